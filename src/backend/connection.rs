//! Whether a backend's live stream is current: the console shows `LIVE` or `STALE since …`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The state of the link behind a backend's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum ConnectionState {
    /// Events arrive as they happen (always so for an in-process backend).
    Live,
    /// The stream broke at `since`; the backend is reconnecting and will resume without gaps.
    Stale {
        since: DateTime<Utc>,
        reason: String,
    },
    /// The server refused the session (expired, revoked, staff disabled): log in again.
    LoggedOut { since: DateTime<Utc> },
}

impl ConnectionState {
    pub fn is_live(&self) -> bool {
        matches!(self, ConnectionState::Live)
    }
}
