//! What happened, for the live stream and the alert list, and what a nightly posting did.

use crate::domain::{BikeId, RiderId, StationId, Tenge};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Something that changed, for the live stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    /// A station's counts changed.
    StationChanged {
        /// The station.
        station: StationId,
    },
    /// A rental started (R11).
    RentalStarted {
        /// The rider.
        rider: RiderId,
        /// The bike.
        bike: i64,
        /// Where it started.
        station: Option<StationId>,
    },
    /// A rental ended (R12–R14).
    RentalEnded {
        /// The rider.
        rider: RiderId,
        /// The bike.
        bike: i64,
        /// Where it ended.
        station: Option<StationId>,
        /// The trip's price, in tenge.
        charge: i64,
    },
    /// Something needs an operator.
    Alert {
        /// What kind of alert.
        kind: AlertKind,
        /// The words.
        text: String,
        /// The rider it is about, if any.
        rider: Option<RiderId>,
        /// The station it is about, if any.
        station: Option<StationId>,
    },
    /// Entries were posted to a rider's ledger.
    LedgerPosted {
        /// The rider.
        rider: Option<RiderId>,
        /// How many ledger entries.
        entries: u64,
    },
    /// A rider's account or state changed.
    RiderChanged {
        /// The rider.
        rider: RiderId,
    },
}

impl Event {
    /// The event's word in the event log and the stream (`station-changed`…).
    pub fn kind(&self) -> &'static str {
        match self {
            Event::StationChanged { .. } => "station-changed",
            Event::RentalStarted { .. } => "rental-started",
            Event::RentalEnded { .. } => "rental-ended",
            Event::Alert { .. } => "alert",
            Event::LedgerPosted { .. } => "ledger-posted",
            Event::RiderChanged { .. } => "rider-changed",
        }
    }
}

/// What a nightly posting did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PostingReport {
    /// How many local midnights were posted.
    pub midnights: u32,
    /// How many entries were posted.
    pub entries: u64,
    /// How many riders were posted.
    pub riders: u64,
    /// What was posted in all.
    pub total: i64,
    /// How many riders were restricted (R18).
    pub restricted: u64,
    /// How many restrictions lifted (D12).
    pub lifted: u64,
    /// How many deposits were released (R5).
    pub deposits_released: u64,
    /// D31: riders whose posting failed (named in an alert); every other rider posted.
    // Always sent (`default` reads an older server's answer).
    #[serde(default)]
    #[schema(required = true)]
    pub failed: u64,
}

impl PostingReport {
    /// Add another posting's figures (midnight after midnight).
    pub fn add(&mut self, o: &PostingReport) {
        self.midnights += o.midnights;
        self.entries += o.entries;
        self.riders += o.riders;
        self.total += o.total;
        self.restricted += o.restricted;
        self.lifted += o.lifted;
        self.deposits_released += o.deposits_released;
        self.failed += o.failed;
    }
}

/// What an alert is about: the console words each kind in its language from the alert's
/// typed fields; `text` is the engine's line in English, for logs and API clients.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum AlertKind {
    /// A rider waits at a full station for a cable-lock permission (R14).
    #[default]
    CableLockCall,
    /// A bike kept past its window (R15, D20).
    Overdue,
    /// A dock failed to lock a returned bike; the rental goes on (R12).
    LockError,
    /// A station did not recognise the bike returned; as a lock error (R12).
    Unrecognised,
    /// A bike reported faulty right after its start (R13).
    FaultyBike,
    /// A fine above the threshold waits for a supervisor (D14).
    FineApproval,
    /// Too many wrong PINs: unlocks refused for a while (D29).
    PinLocked,
    /// A rider restricted by a posting and still in debt (R18).
    RestrictedInDebt,
    /// A rider's nightly posting failed and is retried (D31).
    PostingFailed,
    /// A station with no bike.
    EmptyStation,
    /// A station with no free dock.
    FullStation,
    /// Log-ins locked out after failed passwords (a server's).
    LoginLocked,
    /// A dock that failed several returns within a day (issue 17): for the depot.
    FaultyDock,
}

impl AlertKind {
    /// The word in the API, the audit log and the console's filter.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::CableLockCall => "cable-lock-call",
            AlertKind::Overdue => "overdue",
            AlertKind::LockError => "lock-error",
            AlertKind::Unrecognised => "unrecognised",
            AlertKind::FaultyBike => "faulty-bike",
            AlertKind::FineApproval => "fine-approval",
            AlertKind::PinLocked => "pin-locked",
            AlertKind::RestrictedInDebt => "restricted-in-debt",
            AlertKind::PostingFailed => "posting-failed",
            AlertKind::EmptyStation => "empty-station",
            AlertKind::FullStation => "full-station",
            AlertKind::LoginLocked => "login-locked",
            AlertKind::FaultyDock => "faulty-dock",
        }
    }
}

impl std::fmt::Display for AlertKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something that needs an operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Alert {
    /// What kind of alert.
    pub kind: AlertKind,
    /// What it says.
    pub text: String,
    /// The rider it is about, if any.
    pub rider: Option<RiderId>,
    /// The station it is about, if any.
    pub station: Option<StationId>,
    /// Since when it stands, if known.
    pub since: Option<DateTime<Utc>>,
    /// The bike it is about, where it is about one.
    #[serde(default)]
    pub bike: Option<BikeId>,
    /// The money it is about (a fine waiting, a debt).
    #[serde(default)]
    pub amount: Option<Tenge>,
    /// Until when it holds (a PIN lock).
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
    /// Who took it ("I am on it", [`crate::api::Op::TakeAlert`]) and when: `[staff, at]`.
    #[serde(default)]
    #[schema(min_items = 2, max_items = 2)]
    pub taken: Option<(String, DateTime<Utc>)>,
    /// The dock it is about (a faulty dock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dock: Option<u32>,
}

impl Alert {
    /// An alert of `kind` with `text`, about nothing in particular yet.
    pub fn new(kind: AlertKind, text: impl Into<String>) -> Alert {
        Alert {
            kind,
            text: text.into(),
            rider: None,
            station: None,
            since: None,
            bike: None,
            amount: None,
            until: None,
            taken: None,
            dock: None,
        }
    }
}
