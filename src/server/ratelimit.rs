//! What keeps one client from wearing the server out or guessing its way in:
//!
//! - [`LoginLimiter`]: failed logins, counted per (username, address), per username and
//!   per address within a window. An attempt is counted *before* its password is checked,
//!   so forty wrong passwords sent at once are not forty checks: the sixth is refused
//!   (429) at once. A success takes its own attempt back and clears its (username,
//!   address) pair. The pair's limit is low and the username's across addresses much
//!   higher, so someone at another address cannot lock a colleague out.
//! - [`PasswordGate`]: password checks (Argon2id, slow and memory-hungry on purpose) run a
//!   few at a time; a login that cannot get a turn in time is answered 503.
//! - [`SearchLimiter`]: searches per session, a token bucket (a burst, then a few a
//!   second), so masked phone numbers cannot be spelled out by guessing whole numbers.

use super::limits::Limits;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Above this many keys, those with nothing left in their window are forgotten.
const KEYS_KEPT: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Pair(String, String),
    Name(String),
    Address(String),
}

/// A login being tried: already counted, until it is known to have succeeded.
#[derive(Debug)]
pub struct Attempt {
    id: u64,
    name: String,
    address: String,
}

/// A username refused for a while: from one address, or (`address: None`) from all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lockout {
    pub name: String,
    pub address: Option<String>,
    pub failures: usize,
    /// Seconds until the oldest counted failure leaves the window.
    pub wait: u64,
}

impl Lockout {
    /// The alert's text for the desk.
    pub fn text(&self) -> String {
        match &self.address {
            Some(a) => format!(
                "staff account {}: {} failed logins from {a}, logins from there refused for {} s",
                self.name, self.failures, self.wait
            ),
            None => format!(
                "staff account {}: {} failed logins from many addresses, every login refused for {} s",
                self.name, self.failures, self.wait
            ),
        }
    }
}

#[derive(Default)]
struct LoginState {
    attempts: HashMap<Key, VecDeque<(u64, Instant)>>,
    /// Lock-outs of real accounts already alerted, until their window ends.
    alerted: HashMap<Key, Instant>,
    next: u64,
}

pub struct LoginLimiter {
    per_pair: usize,
    per_name: usize,
    per_address: usize,
    window: Duration,
    state: Mutex<LoginState>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new(&Limits::default())
    }
}

impl LoginLimiter {
    pub fn new(l: &Limits) -> LoginLimiter {
        LoginLimiter {
            per_pair: l.login_per_name_address,
            per_name: l.login_per_name,
            per_address: l.login_per_address,
            window: l.login_window,
            state: Mutex::default(),
        }
    }

    fn keys(name: &str, address: &str) -> [Key; 3] {
        [
            Key::Pair(name.to_string(), address.to_string()),
            Key::Name(name.to_string()),
            Key::Address(address.to_string()),
        ]
    }

    fn limit(&self, key: &Key) -> usize {
        match key {
            Key::Pair(..) => self.per_pair,
            Key::Name(_) => self.per_name,
            Key::Address(_) => self.per_address,
        }
    }

    /// Count a login of `name` from `address` before its password is checked, or
    /// `Err(seconds to wait)` when the pair, the name or the address has failed too often.
    pub fn begin(&self, name: &str, address: &str) -> Result<Attempt, u64> {
        let mut s = lock(&self.state);
        let now = Instant::now();
        let keys = Self::keys(name, address);
        let mut wait = 0;
        for key in &keys {
            if let Some(q) = s.attempts.get_mut(key) {
                while q
                    .front()
                    .is_some_and(|(_, t)| now.duration_since(*t) >= self.window)
                {
                    q.pop_front();
                }
                if q.len() >= self.limit(key)
                    && let Some((_, first)) = q.front()
                {
                    let left = self.window.saturating_sub(now.duration_since(*first));
                    wait = wait.max(left.as_secs().max(1));
                }
            }
        }
        if wait > 0 {
            return Err(wait);
        }
        s.next += 1;
        let id = s.next;
        for key in keys {
            s.attempts.entry(key).or_default().push_back((id, now));
        }
        if s.attempts.len() > KEYS_KEPT {
            let window = self.window;
            s.attempts.retain(|_, q| {
                q.back()
                    .is_some_and(|(_, t)| now.duration_since(*t) < window)
            });
            s.alerted.retain(|_, until| *until > now);
        }
        Ok(Attempt {
            id,
            name: name.to_string(),
            address: address.to_string(),
        })
    }

    fn take_back(&self, s: &mut LoginState, a: &Attempt) {
        for key in Self::keys(&a.name, &a.address) {
            if let Some(q) = s.attempts.get_mut(&key) {
                q.retain(|(id, _)| *id != a.id);
            }
        }
    }

    /// The attempt's password was never checked (the server was too busy): not counted.
    pub fn cancel(&self, a: Attempt) {
        let mut s = lock(&self.state);
        self.take_back(&mut s, &a);
    }

    /// The right password: the attempt is not a failure, and the pair starts again.
    pub fn succeeded(&self, a: Attempt) {
        let mut s = lock(&self.state);
        self.take_back(&mut s, &a);
        s.attempts.remove(&Key::Pair(a.name, a.address));
    }

    /// A wrong password (it stays counted). For a real account (`known`), the lock-outs
    /// this failure began: each is told once per window, to raise an alert.
    pub fn failed(&self, a: Attempt, known: bool) -> Vec<Lockout> {
        if !known {
            return Vec::new();
        }
        let mut s = lock(&self.state);
        let now = Instant::now();
        let mut out = Vec::new();
        for key in [
            Key::Pair(a.name.clone(), a.address.clone()),
            Key::Name(a.name.clone()),
        ] {
            let Some(lockout) = self.lockout(&s, &key, now) else {
                continue;
            };
            if s.alerted.get(&key).is_some_and(|until| *until > now) {
                continue;
            }
            s.alerted
                .insert(key, now + Duration::from_secs(lockout.wait));
            out.push(lockout);
        }
        out
    }

    fn lockout(&self, s: &LoginState, key: &Key, now: Instant) -> Option<Lockout> {
        let q = s.attempts.get(key)?;
        let live: Vec<Instant> = q
            .iter()
            .map(|(_, t)| *t)
            .filter(|t| now.duration_since(*t) < self.window)
            .collect();
        let first = live.first()?;
        if live.len() < self.limit(key) {
            return None;
        }
        let wait = self
            .window
            .saturating_sub(now.duration_since(*first))
            .as_secs()
            .max(1);
        let (name, address) = match key {
            Key::Pair(n, a) => (n.clone(), Some(a.clone())),
            Key::Name(n) => (n.clone(), None),
            Key::Address(_) => return None,
        };
        Some(Lockout {
            name,
            address,
            failures: live.len(),
            wait,
        })
    }

    /// The real accounts refused now (for the alerts of those who manage staff).
    pub fn lockouts(&self) -> Vec<Lockout> {
        let s = lock(&self.state);
        let now = Instant::now();
        let mut out: Vec<Lockout> = s
            .alerted
            .iter()
            .filter(|(_, until)| **until > now)
            .filter_map(|(key, _)| self.lockout(&s, key, now))
            .collect();
        out.sort_by(|a, b| (&a.name, &a.address).cmp(&(&b.name, &b.address)));
        out
    }
}

/// Password checks a few at a time.
#[derive(Clone)]
pub struct PasswordGate {
    slots: Arc<Semaphore>,
    wait: Duration,
}

/// No password check could be started in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl PasswordGate {
    pub fn new(l: &Limits) -> PasswordGate {
        PasswordGate {
            slots: Arc::new(Semaphore::new(l.password_checks.max(1))),
            wait: l.password_wait,
        }
    }

    /// Run `check` (a hash or a verification) on the blocking pool once a slot is free, or
    /// `Busy` when none was within the gate's wait. The slot is held until `check` ends,
    /// even if the request that asked for it has gone.
    pub async fn run<T: Send + 'static>(
        &self,
        check: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let permit = match tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await
        {
            Ok(Ok(p)) => p,
            _ => return Err(Busy),
        };
        tokio::task::spawn_blocking(move || {
            let out = check();
            drop(permit);
            out
        })
        .await
        .map_err(|_| Busy)
    }
}

/// Searches per session: a bucket of `burst` tokens refilled at `per_second`.
pub struct SearchLimiter {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl SearchLimiter {
    pub fn new(l: &Limits) -> SearchLimiter {
        SearchLimiter {
            burst: f64::from(l.search_burst.max(1)),
            per_second: f64::from(l.search_per_second.max(1)),
            buckets: Mutex::default(),
        }
    }

    /// Take one search for `session`, or `Err(seconds to wait)`.
    pub fn take(&self, session: &str) -> Result<(), u64> {
        let mut b = lock(&self.buckets);
        let now = Instant::now();
        if b.len() > KEYS_KEPT {
            let (burst, rate) = (self.burst, self.per_second);
            b.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = b.entry(session.to_string()).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - *tokens) / self.per_second).ceil();
            Err((wait as u64).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            login_per_name_address: 5,
            login_per_name: 8,
            login_per_address: 20,
            ..Limits::default()
        }
    }

    fn fail(l: &LoginLimiter, name: &str, address: &str) -> Result<Vec<Lockout>, u64> {
        l.begin(name, address).map(|a| l.failed(a, true))
    }

    #[test]
    fn a_pair_is_locked_after_five_failures_and_the_same_name_elsewhere_is_not() {
        let l = LoginLimiter::new(&limits());
        for i in 0..5 {
            let told = fail(&l, "ag1", "10.0.0.1").unwrap();
            assert_eq!(told.len(), usize::from(i == 4), "the fifth locks the pair");
        }
        assert!(l.begin("ag1", "10.0.0.1").is_err());
        let from_desk = l
            .begin("ag1", "10.0.0.2")
            .expect("another address may log in");
        l.succeeded(from_desk);
        assert!(
            l.begin("ag1", "10.0.0.1").is_err(),
            "success elsewhere clears nothing"
        );
        assert_eq!(l.lockouts().len(), 1);
        assert_eq!(l.lockouts()[0].address.as_deref(), Some("10.0.0.1"));
    }

    #[test]
    fn attempts_count_before_their_check_so_concurrent_ones_cannot_pass_the_limit() {
        let l = LoginLimiter::new(&limits());
        let open: Vec<Attempt> = (0..40)
            .filter_map(|_| l.begin("ag1", "10.0.0.1").ok())
            .collect();
        assert_eq!(
            open.len(),
            5,
            "only five are let through to a password check"
        );
        for a in open {
            l.cancel(a);
        }
        assert!(
            l.begin("ag1", "10.0.0.1").is_ok(),
            "unchecked attempts are not failures"
        );
    }

    #[test]
    fn a_name_is_locked_everywhere_after_its_own_higher_limit() {
        let l = LoginLimiter::new(&limits());
        for i in 0..8 {
            fail(&l, "ag1", &format!("10.0.1.{i}")).unwrap();
        }
        assert!(l.begin("ag1", "10.0.9.9").is_err());
        assert!(l.lockouts().iter().any(|o| o.address.is_none()));
        assert!(l.begin("ag2", "10.0.9.9").is_ok());
    }

    #[test]
    fn an_address_is_locked_after_twenty_failures_across_usernames() {
        let l = LoginLimiter::new(&limits());
        for i in 0..20 {
            l.begin(&format!("user{i}"), "10.0.0.9")
                .map(|a| l.failed(a, false))
                .unwrap();
        }
        assert!(l.begin("someone-else", "10.0.0.9").is_err());
        assert!(l.begin("someone-else", "10.0.0.8").is_ok());
        assert!(l.lockouts().is_empty(), "unknown names raise no alert");
    }

    #[test]
    fn searches_burst_then_wait() {
        let s = SearchLimiter::new(&Limits {
            search_burst: 3,
            search_per_second: 1,
            ..Limits::default()
        });
        for _ in 0..3 {
            assert!(s.take("a").is_ok());
        }
        assert_eq!(s.take("a"), Err(1));
        assert!(s.take("b").is_ok(), "per session");
    }

    #[tokio::test]
    async fn a_check_that_cannot_start_in_time_is_busy() {
        let g = PasswordGate::new(&Limits {
            password_checks: 1,
            password_wait: Duration::from_millis(20),
            ..Limits::default()
        });
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let g2 = g.clone();
        let held = tokio::spawn(async move { g2.run(move || rx.recv().is_ok()).await });
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(g.run(|| 1).await, Err(Busy));
        tx.send(()).unwrap();
        assert_eq!(held.await.unwrap(), Ok(true));
        assert_eq!(g.run(|| 2).await, Ok(2));
    }
}
