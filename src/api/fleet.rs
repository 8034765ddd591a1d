//! Stations, docks, bikes and rentals as everyone sees them: a station's counts and docks,
//! where a bike is, a rental open or ended, what the fleet check found.

use crate::domain::rental::{DockOutcome, EndHow};
use crate::domain::{BikeId, RentalId, RiderId, StationId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A station with its docks, the bikes cable-locked there and what happened lately.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StationView {
    /// The station and its counts.
    pub station: StationCounts,
    /// Its docks.
    pub docks: Vec<Dock>,
    /// The bikes at it.
    pub bikes: Vec<Bike>,
    /// The notes on the station and on the bikes standing there, pinned first.
    // Always sent (`default` reads an older server's answer).
    #[serde(default)]
    #[schema(required = true)]
    pub notes: Vec<super::Note>,
}

/// A station to create or update (its docks are created up to `docks`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct NewStation {
    /// The station's number.
    #[schema(value_type = i64, minimum = 1, maximum = 999_999_999)]
    pub id: StationId,
    /// The name.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// The name in Kazakh.
    #[schema(max_length = 200)]
    pub name_kk: Option<String>,
    /// The name in English.
    #[schema(max_length = 200)]
    pub name_en: Option<String>,
    /// The street address.
    #[schema(max_length = 500)]
    pub address: String,
    /// Latitude, degrees.
    #[schema(minimum = -90, maximum = 90)]
    pub lat: f64,
    /// Longitude, degrees.
    #[schema(minimum = -180, maximum = 180)]
    pub lon: f64,
    /// How many docks it has: docks are added up to it, never removed (0: none yet, as
    /// an import without capacity leaves a station).
    #[schema(maximum = 500)]
    pub docks: u32,
    /// Open to riders.
    pub active: bool,
}

/// Where a bike is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BikeState {
    /// Locked in a dock.
    Docked,
    /// Out with a rider.
    Rental,
    /// Cable-locked at a full station (R14).
    CableLocked,
    /// In a depot van.
    Van,
    /// In repair.
    Repair,
    /// Lost or stolen (R22).
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Bike {
    /// The bike's inventory number.
    pub id: BikeId,
    /// Where it is.
    pub state: BikeState,
    /// The station it stands at, if any.
    pub station: Option<StationId>,
    /// The dock it is locked in, if any.
    pub dock: Option<u32>,
    /// Reported faulty (R13).
    pub faulty: bool,
    /// Staff's notes on the bike, pinned first ("rear brake weak"): they follow it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<super::Note>,
}

/// A station with its live counts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct StationCounts {
    /// The station's number.
    pub id: StationId,
    /// The name.
    pub name: String,
    /// The name in Kazakh.
    pub name_kk: Option<String>,
    /// The name in English.
    pub name_en: Option<String>,
    /// The street address.
    pub address: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Open to riders.
    pub active: bool,
    /// The percentage of its docks the depot aims to keep filled.
    pub target_fill: u32,
    /// How many docks it has.
    pub docks: u32,
    /// Docked or cable-locked, not faulty.
    pub bikes: u32,
    /// Free working docks.
    pub free_docks: u32,
    /// Docks out of service.
    pub out_of_service: u32,
    /// Bikes cable-locked there (R14).
    pub cable_locked: u32,
    /// Faulty bikes there.
    pub faulty: u32,
    /// When its counts last changed.
    pub updated_at: DateTime<Utc>,
}

/// A dock of a station, for the station view.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Dock {
    /// The dock's number at its station.
    pub number: u32,
    /// Working (not taken out of service).
    pub in_service: bool,
    /// The bike locked in it, if any.
    pub bike: Option<BikeId>,
}

/// A rental, open or ended.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Rental {
    /// The rental's id.
    pub id: RentalId,
    /// The rider.
    pub rider: RiderId,
    /// The bike.
    pub bike: BikeId,
    /// The pass it was taken on.
    pub pass_id: i64,
    /// The first rental of its chain (D3); itself when not chained.
    pub chain: RentalId,
    /// When the bike was taken (R11).
    pub start_at: DateTime<Utc>,
    /// Where it started.
    pub start_station: Option<StationId>,
    /// When it ended; `None` while open.
    pub end_at: Option<DateTime<Utc>>,
    /// Where it ended.
    pub end_station: Option<StationId>,
    /// How it ended (R12–R14).
    pub end_how: Option<EndHow>,
    /// When a return failed (R12), if one did.
    pub lock_error_at: Option<DateTime<Utc>>,
    /// Where a return failed.
    pub lock_error_station: Option<StationId>,
    /// What the failed return was (R12): a lock error or an unrecognised bike.
    #[serde(default)]
    pub lock_error_kind: Option<DockOutcome>,
    /// Its price once ended, in tenge.
    pub charge: Option<i64>,
    /// When it was marked overdue (R15).
    pub overdue_at: Option<DateTime<Utc>>,
}

/// One broken invariant, on one bike or station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FleetProblem {
    /// Which invariant (`docked-without-dock`, `dock-holds-other`, …).
    pub check: String,
    /// What it is about: `bike 17`, `station 1001`, `rental 5`.
    pub subject: String,
    /// What is wrong, in words.
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
