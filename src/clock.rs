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

/// The system clock's pace (or a multiple of it) from a chosen start: time passes by
/// itself, as in production, on a day of one's choosing (`velodesk bench load` runs a
/// summer noon at 60×). It cannot be set.
pub struct RunningClock {
    start: DateTime<Utc>,
    since: std::time::Instant,
    speed: f64,
}

impl RunningClock {
    pub fn new(start: DateTime<Utc>, speed: f64) -> RunningClock {
        RunningClock {
            start,
            since: std::time::Instant::now(),
            speed,
        }
    }
}

impl Clock for RunningClock {
    fn now(&self) -> DateTime<Utc> {
        let micros = self.since.elapsed().as_secs_f64() * self.speed * 1e6;
        self.start + chrono::Duration::microseconds(micros as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_clock_moves_by_itself_at_its_speed_and_cannot_be_set() {
        let start = DateTime::from_timestamp(1_750_000_000, 0).unwrap_or_default();
        let c = RunningClock::new(start, 60.0);
        assert!(!c.set(start + chrono::Duration::days(1)));
        std::thread::sleep(std::time::Duration::from_millis(50));
        let moved = c.now() - start;
        // 50 ms of wall time at 60× is at least 3 s of its time.
        assert!(moved >= chrono::Duration::seconds(3), "{moved}");
        assert!(moved < chrono::Duration::days(1), "{moved}");
    }
}
