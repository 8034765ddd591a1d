//! What happened, for the live stream and the alert list, and what a nightly posting did.

use crate::domain::{RiderId, StationId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Something that changed, for the live stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    StationChanged {
        station: StationId,
    },
    RentalStarted {
        rider: RiderId,
        bike: i64,
        station: Option<StationId>,
    },
    RentalEnded {
        rider: RiderId,
        bike: i64,
        station: Option<StationId>,
        charge: i64,
    },
    Alert {
        kind: String,
        text: String,
        rider: Option<RiderId>,
        station: Option<StationId>,
    },
    LedgerPosted {
        rider: Option<RiderId>,
        entries: u64,
    },
    RiderChanged {
        rider: RiderId,
    },
}

impl Event {
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingReport {
    pub midnights: u32,
    pub entries: u64,
    pub riders: u64,
    pub total: i64,
    pub restricted: u64,
    pub lifted: u64,
    pub deposits_released: u64,
    /// D31: riders whose posting failed (named in an alert); every other rider posted.
    #[serde(default)]
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

/// Something that needs an operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub kind: String,
    pub text: String,
    pub rider: Option<RiderId>,
    pub station: Option<StationId>,
    pub since: Option<DateTime<Utc>>,
}
