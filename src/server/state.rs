//! What every handler shares: the engine (a `LocalBackend`), the server's own database
//! connection, the login limiter, and the shutdown signal long-lived streams listen to.

use super::ratelimit::LoginLimiter;
use super::sidedb::SideDb;
use crate::backend::LocalBackend;
use std::ops::Deref;
use std::sync::Arc;
use tokio::sync::watch;

pub struct Shared {
    pub backend: Arc<LocalBackend>,
    pub db: SideDb,
    pub limiter: LoginLimiter,
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
