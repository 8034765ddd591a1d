//! Failed logins, rate-limited per username and per client address: after too many
//! failures in a window, logins from there are refused (429) until the window slides.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per username, and per address, within [`WINDOW`].
pub const PER_USERNAME: usize = 5;
pub const PER_ADDRESS: usize = 20;
pub const WINDOW: Duration = Duration::from_secs(300);

#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    /// `Err(seconds to wait)` when the username or the address has failed too often.
    pub fn check(&self, username: &str, address: &str) -> Result<(), u64> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let mut wait = 0;
        for (key, limit) in [
            (user_key(username), PER_USERNAME),
            (addr_key(address), PER_ADDRESS),
        ] {
            if let Some(q) = map.get_mut(&key) {
                while q.front().is_some_and(|t| now.duration_since(*t) > WINDOW) {
                    q.pop_front();
                }
                if q.len() >= limit
                    && let Some(first) = q.front()
                {
                    let left = WINDOW.saturating_sub(now.duration_since(*first));
                    wait = wait.max(left.as_secs().max(1));
                }
            }
        }
        if wait > 0 { Err(wait) } else { Ok(()) }
    }

    pub fn failed(&self, username: &str, address: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        for key in [user_key(username), addr_key(address)] {
            map.entry(key).or_default().push_back(now);
        }
        if map.len() > 100_000 {
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) <= WINDOW));
        }
    }

    /// A successful login clears the username's failures (not the address's).
    pub fn succeeded(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&user_key(username));
    }
}

fn user_key(u: &str) -> String {
    format!("user:{u}")
}
fn addr_key(a: &str) -> String {
    format!("addr:{a}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_username_is_locked_after_five_failures_and_another_is_not() {
        let l = LoginLimiter::default();
        for _ in 0..PER_USERNAME {
            assert!(l.check("aigerim", "10.0.0.1").is_ok());
            l.failed("aigerim", "10.0.0.1");
        }
        assert!(l.check("aigerim", "10.0.0.2").is_err());
        assert!(l.check("bolat", "10.0.0.2").is_ok());
        l.succeeded("bolat");
        assert!(
            l.check("aigerim", "10.0.0.3").is_err(),
            "success elsewhere clears nothing"
        );
    }

    #[test]
    fn an_address_is_locked_after_twenty_failures_across_usernames() {
        let l = LoginLimiter::default();
        for i in 0..PER_ADDRESS {
            l.failed(&format!("user{i}"), "10.0.0.9");
        }
        assert!(l.check("someone-else", "10.0.0.9").is_err());
        assert!(l.check("someone-else", "10.0.0.8").is_ok());
    }
}
