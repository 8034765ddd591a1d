//! The clock is an input: production reads the system clock; tests and scenarios move a
//! simulated one, and moving it runs what falls due exactly as production does.

use chrono::{DateTime, Utc};
use std::sync::Mutex;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// A simulated clock can be set; the system clock cannot.
    fn set(&self, _to: DateTime<Utc>) -> bool {
        false
    }
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told.
pub struct SimClock {
    now: Mutex<DateTime<Utc>>,
}

impl SimClock {
    pub fn new(start: DateTime<Utc>) -> SimClock {
        SimClock {
            now: Mutex::new(start),
        }
    }
}

impl Clock for SimClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn set(&self, to: DateTime<Utc>) -> bool {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) = to;
        true
    }
}
