//! Stations, docks, bikes and rentals as everyone sees them: a station's counts and docks,
//! where a bike is, a rental open or ended, what the fleet check found.

use crate::domain::rental::{DockOutcome, EndHow};
use crate::domain::{BikeId, RentalId, RiderId, StationId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A station with its docks, the bikes cable-locked there and what happened lately.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StationView {
    pub station: StationCounts,
    pub docks: Vec<Dock>,
    pub bikes: Vec<Bike>,
}

/// A station to create or update.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct NewStation {
    pub id: StationId,
    pub name: String,
    pub name_kk: Option<String>,
    pub name_en: Option<String>,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub docks: u32,
    pub active: bool,
}

/// Where a bike is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BikeState {
    Docked,
    Rental,
    CableLocked,
    Van,
    Repair,
    Lost,
}

impl BikeState {
    /// The state's word in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            BikeState::Docked => "docked",
            BikeState::Rental => "rental",
            BikeState::CableLocked => "cable-locked",
            BikeState::Van => "van",
            BikeState::Repair => "repair",
            BikeState::Lost => "lost",
        }
    }
    /// The state of a word, if it is one.
    pub fn parse(s: &str) -> Option<BikeState> {
        [
            BikeState::Docked,
            BikeState::Rental,
            BikeState::CableLocked,
            BikeState::Van,
            BikeState::Repair,
            BikeState::Lost,
        ]
        .into_iter()
        .find(|b| b.as_str() == s)
    }
}

/// A bike, where it is and in what state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bike {
    pub id: BikeId,
    pub state: BikeState,
    pub station: Option<StationId>,
    pub dock: Option<u32>,
    pub faulty: bool,
}

/// A station with its live counts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StationCounts {
    pub id: StationId,
    pub name: String,
    pub name_kk: Option<String>,
    pub name_en: Option<String>,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub active: bool,
    pub target_fill: u32,
    pub docks: u32,
    /// Docked or cable-locked, not faulty.
    pub bikes: u32,
    pub free_docks: u32,
    pub out_of_service: u32,
    pub cable_locked: u32,
    pub faulty: u32,
    pub updated_at: DateTime<Utc>,
}

/// A dock of a station, for the station view.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dock {
    pub number: u32,
    pub in_service: bool,
    pub bike: Option<BikeId>,
}

/// A rental, open or ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rental {
    pub id: RentalId,
    pub rider: RiderId,
    pub bike: BikeId,
    pub pass_id: i64,
    pub chain: RentalId,
    pub start_at: DateTime<Utc>,
    pub start_station: Option<StationId>,
    pub end_at: Option<DateTime<Utc>>,
    pub end_station: Option<StationId>,
    pub end_how: Option<EndHow>,
    pub lock_error_at: Option<DateTime<Utc>>,
    pub lock_error_station: Option<StationId>,
    /// What the failed return was (R12): a lock error or an unrecognised bike.
    #[serde(default)]
    pub lock_error_kind: Option<DockOutcome>,
    pub charge: Option<i64>,
    pub overdue_at: Option<DateTime<Utc>>,
}

/// One broken invariant, on one bike or station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetProblem {
    /// Which invariant (`docked-without-dock`, `dock-holds-other`, …).
    pub check: String,
    /// What it is about: `bike 17`, `station 1001`, `rental 5`.
    pub subject: String,
    pub detail: String,
}

impl std::fmt::Display for FleetProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.subject, self.detail, self.check)
    }
}

impl StationCounts {
    /// The station as the depot's planner sees it: bikes a rider can take (docked, not
    /// cable-locked, not faulty) and working docks.
    pub fn planning_view(&self) -> crate::domain::planning::StationNow {
        crate::domain::planning::StationNow {
            id: self.id,
            pos: (self.lat, self.lon),
            active: self.active,
            docks: self.docks.saturating_sub(self.out_of_service),
            bikes: self.bikes.saturating_sub(self.cable_locked),
            free: self.free_docks,
            target_fill: self.target_fill,
        }
    }
}
