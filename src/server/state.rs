//! What every handler shares: the engine (a `LocalBackend`) and its clock, the server's
//! own database connection, the GBFS options, the login, password and search limits, and the shutdown signal long-lived streams listen to.

use super::ratelimit::{LoginLimiter, PasswordGate, SearchLimiter};
use super::routes::gbfs::GbfsOptions;
use super::sidedb::SideDb;
use crate::backend::LocalBackend;
use crate::clock::Clock;
use std::ops::Deref;
use std::sync::Arc;
use tokio::sync::watch;

pub struct Shared {
    pub backend: Arc<LocalBackend>,
    /// The system's clock, read without the engine (GBFS `last_updated`).
    pub clock: Arc<dyn Clock>,
    /// Where GBFS is published and its `ttl`.
    pub gbfs: GbfsOptions,
    pub db: SideDb,
    pub limiter: LoginLimiter,
    /// Password checks a few at a time.
    pub passwords: PasswordGate,
    /// Searches per session.
    pub searches: SearchLimiter,
    /// Whose address a login is from (the peer, or a trusted proxy's `X-Forwarded-For`).
    pub proxy: super::client_addr::Proxy,
    /// How long a session lasts: a shift.
    pub session: chrono::Duration,
    /// Turns `true` when the server is stopping (event streams end).
    pub stopping: watch::Receiver<bool>,
}

#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}
