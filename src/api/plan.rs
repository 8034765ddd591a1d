//! The depot's van plan as everyone sees it (issue #16): each van's route (stops in order,
//! how many bikes to take or leave, when it gets there, its load after), what the plan is
//! expected to avoid, the stations at risk within the hour; and a van's stop, done in one
//! audited operation. Expected failures are expectations, not money: fractions of a rider.

use crate::domain::{BikeId, StationId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The plan the engine holds now: the same for every console of a system.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct RebalancePlan {
    /// The time of the facts it was computed from.
    pub computed_at: DateTime<Utc>,
    /// When it is computed again at the latest (a van's stop recomputes it at once).
    pub next_at: DateTime<Utc>,
    /// Each van's route.
    pub vans: Vec<VanRoute>,
    /// Expected failed rentals and returns the routes avoid over the targets' horizon.
    pub avoided: f64,
    /// Kilometres the routes drive.
    pub km: f64,
    /// Hours the targets look ahead.
    pub lookahead_h: u32,
    /// Stations expected to turn a rider away within the next hour, the worst first.
    pub at_risk: Vec<AtRisk>,
    /// The asker's own van (depot staff: see the README for who drives which).
    pub yours: Option<u32>,
}

/// One van: where it is, what it carries, where it goes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct VanRoute {
    /// Van number, from 1.
    pub van: u32,
    /// How many bikes it carries.
    pub capacity: u32,
    /// The station of its last stop; `None`: at the depot.
    pub at: Option<StationId>,
    /// The bikes in it now.
    pub bikes: Vec<BikeId>,
    /// Who drives it (depot staff), when anyone does.
    pub driver: Option<String>,
    /// Its stops, in order.
    pub stops: Vec<PlannedStop>,
}

/// A stop of a route.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct PlannedStop {
    /// The station.
    pub station: StationId,
    /// Bikes to take into the van (0 when it leaves bikes).
    pub take: u32,
    /// Bikes to leave in free docks (0 when it takes).
    pub leave: u32,
    /// When the van gets there.
    pub arrive: DateTime<Utc>,
    /// Bikes in the van after the stop.
    pub load_after: u32,
}

/// A station expected to fail riders within the hour, at its count now.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct AtRisk {
    /// The station.
    pub station: StationId,
    /// Expected riders who find it empty.
    pub empty: f64,
    /// Expected riders who find it full.
    pub full: f64,
}

/// A van's stop at a station, done as one operation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VanStopRequest {
    /// Van number, from 1.
    #[schema(minimum = 1, maximum = 100)]
    pub van: u32,
    /// The station it stops at.
    pub station: StationId,
    /// Docked bikes of the station to take into the van.
    #[serde(default)]
    pub take: Vec<BikeId>,
    /// Bikes of the van to leave in the station's free docks.
    #[serde(default)]
    pub leave: Vec<BikeId>,
    /// Faulty bikes of the station to send to repair.
    #[serde(default)]
    pub repair: Vec<BikeId>,
}

/// What a van's stop did.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct VanStopDone {
    /// The van.
    pub van: u32,
    /// The station.
    pub station: StationId,
    /// How many bikes were taken into the van.
    pub taken: u32,
    /// How many bikes were docked from the van.
    pub left: u32,
    /// How many bikes were sent to repair.
    pub repaired: u32,
    /// Bikes in the van after the stop.
    pub load: u32,
}
