//! The system as a console sees it: where it runs, the desk's settings, the link's state,
//! the audit log, checks of the ledger and the fleet, replication.

use crate::domain::{RiderId, Tenge};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the console shows in its header.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BackendInfo {
    /// The city of the tariff in force.
    pub city: String,
    /// `local file PATH`, `in-memory`, `server URL` (a server tells it only to a login).
    #[schema(required = false)]
    pub location: String,
    /// The operator's time zone (D13).
    pub time_zone: String,
    /// Its clock moves only when told (a scenario, a demo); a server tells it only to a
    /// login.
    #[schema(required = false)]
    pub simulated_clock: bool,
    /// Whether this system is reached over the network (a server's, through
    /// `RemoteBackend`): the client sets it, a server never sends it.
    #[serde(default, skip_serializing)]
    pub remote: bool,
}

impl BackendInfo {
    /// Whether the system is a server's (reads cost a request).
    pub fn on_server(&self) -> bool {
        self.remote
    }
}

/// The state of the link behind a backend's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum ConnectionState {
    /// Events arrive as they happen (always so for an in-process backend).
    Live,
    /// The stream broke at `since`; the backend is reconnecting and will resume without gaps.
    Stale {
        /// Since when.
        since: DateTime<Utc>,
        /// Why, in words.
        reason: String,
    },
    /// The server refused the session (expired, revoked, staff disabled): log in again.
    LoggedOut {
        /// Since when.
        since: DateTime<Utc>,
    },
}

impl ConnectionState {
    /// Whether events arrive as they happen.
    pub fn is_live(&self) -> bool {
        matches!(self, ConnectionState::Live)
    }
}

/// What a desk needs to know about the system to fill its forms: the tariff in force (its
/// TOML, parsed again by the console), the fine approval threshold (D14) and how long a
/// cable-lock permission stays valid (R14).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeskInfo {
    /// The tariff in force's file name.
    pub tariff_file: String,
    /// Its TOML.
    pub tariff_source: String,
    /// Fines above this wait for a supervisor (D14).
    pub approval_threshold: Tenge,
    /// How long a cable-lock permission stays valid (R14).
    pub cable_auth_valid_s: i64,
}

impl DeskInfo {
    /// The tariff in force, parsed from its source.
    pub fn tariff(&self) -> std::result::Result<crate::domain::tariff::Tariff, String> {
        crate::domain::tariff::Tariff::parse(&self.tariff_file, &self.tariff_source)
            .map_err(|e| e.to_string())
    }
}

/// A rider whose cached balances disagree with the sum of the ledger entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Mismatch {
    /// The rider.
    pub rider: RiderId,
    /// Which balance.
    pub what: String,
    /// The balance kept on the account.
    pub cached: Tenge,
    /// The sum of the entries (D9).
    pub from_entries: Tenge,
}

impl Mismatch {
    /// A mismatch of two sums taken in 128 bits; one that does not fit an amount is shown
    /// at the bound, and the exact figure is said in `what`.
    pub fn of(rider: RiderId, what: &str, cached: i128, from_entries: i128) -> Mismatch {
        let fit = |v: i128| i64::try_from(v).ok();
        let what = match (fit(cached), fit(from_entries)) {
            (Some(_), Some(_)) => what.to_string(),
            _ => format!(
                "{what} (cached {cached}, the entries sum to {from_entries}: beyond any amount)"
            ),
        };
        let clamp = |v: i128| Tenge(v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64);
        Mismatch {
            rider,
            what,
            cached: clamp(cached),
            from_entries: clamp(from_entries),
        }
    }
}

/// D31: why a rider's nightly posting failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingFailure {
    /// Since when it fails.
    pub since: DateTime<Utc>,
    /// The midnight that was not posted.
    pub midnight: DateTime<Utc>,
    /// Why, in words.
    pub error: String,
}

/// One audited staff action.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct AuditRecord {
    /// The record's id.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// When, in local time (D13).
    pub at_local: String,
    /// Who.
    pub staff: String,
    /// Their role then.
    pub role: String,
    /// What they did.
    pub action: String,
    /// The rider it was about, if any.
    pub rider: Option<RiderId>,
    /// What it was done to.
    pub target: String,
    /// Why, in their words.
    pub reason: String,
    /// What came of it.
    pub details: String,
}

/// Filter for the audit view.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Only this staff member's.
    pub staff: Option<String>,
    /// Only about this rider.
    pub rider: Option<RiderId>,
    /// Only this action.
    pub action: Option<String>,
    /// At most this many, newest first.
    pub limit: usize,
}

/// What replicates the database now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplicationState {
    /// A Litestream process has the database open: it replicates every change.
    Live,
    /// Litestream replicated it on this host (its directory is beside the file), but no
    /// Litestream process has it open now.
    Stopped,
    /// It came from a Litestream replica (it has Litestream's tables), and nothing
    /// replicates it here.
    Restored,
    /// No sign of Litestream.
    Off,
    /// Litestream replicated it here; whether it runs now cannot be told on this system
    /// (no `/proc/locks`).
    Unknown,
}

/// What [`detect`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replication {
    /// Where the replication stands.
    pub state: ReplicationState,
    /// The Litestream process that has the database open (when live).
    pub pid: Option<u32>,
    /// When Litestream last wrote down a change of the database beside it (its newest LTX
    /// file); it ships that to the replica within its sync interval.
    pub last_sync: Option<DateTime<Utc>>,
    /// Litestream's directory beside the database.
    pub meta_dir: String,
}

impl Replication {
    /// Whether a Litestream process replicates the database now.
    pub fn is_live(&self) -> bool {
        self.state == ReplicationState::Live
    }

    /// One sentence for the server's log and the admin.
    pub fn describe(&self) -> String {
        let last = match self.last_sync {
            Some(t) => {
                let secs = (Utc::now() - t).num_milliseconds() as f64 / 1000.0;
                format!("last change written down {:.1} s ago", secs.max(0.0))
            }
            None => "no change written down yet".to_string(),
        };
        match self.state {
            ReplicationState::Live => format!(
                "on: Litestream (pid {}) replicates it ({last}); WAL checkpoints are left to Litestream",
                self.pid.unwrap_or_default()
            ),
            ReplicationState::Stopped => format!(
                "OFF: Litestream replicated it here before ({}, {last}) but no Litestream process has it open now; start `litestream replicate`",
                self.meta_dir
            ),
            ReplicationState::Restored => "OFF: it was restored from a Litestream replica, but nothing replicates it here; start `litestream replicate`".to_string(),
            ReplicationState::Off => "off: no Litestream replicates it, so a lost disk loses everything since the last `velodesk backup`".to_string(),
            ReplicationState::Unknown => format!(
                "unknown: Litestream replicated it here ({}, {last}); whether it runs now cannot be told on this system",
                self.meta_dir
            ),
        }
    }
}
