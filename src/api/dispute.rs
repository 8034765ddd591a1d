//! The docking dispute's view (issue 17): what was recorded about a trip's bike around the
//! rider's claim, the dock's faults, the fair end the rule finds and what settling changes.

use crate::domain::dispute::{Claim, FairEnd, NoCase, Settlement, Sighting};
use crate::domain::{BikeId, RentalId, RiderId, StationId, Tenge};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which trip and which claim: the rider's open rental or `rental` (else the most recent
/// trip); the claim `station` and `at` (else the trip's last lock error).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The trip disputed (none: the open rental, else the latest trip).
    pub rental: Option<RentalId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Where the rider says they docked (none: the last lock error's station).
    pub station: Option<StationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// When they say they docked (none: the last lock error's time).
    pub at: Option<DateTime<Utc>>,
}

/// The evidence of a dispute and the rule's finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DisputeEvidence {
    /// The rider.
    pub rider: RiderId,
    /// The trip.
    pub rental: RentalId,
    /// The bike.
    pub bike: BikeId,
    /// The rental is still open.
    pub open: bool,
    /// When the trip started.
    pub start_at: DateTime<Utc>,
    #[serde(default)]
    /// When it ended, if it has.
    pub end_at: Option<DateTime<Utc>>,
    #[serde(default)]
    /// Where it ended, if it has.
    pub end_station: Option<StationId>,
    /// The claim the evidence is weighed against.
    pub claim: Claim,
    /// What was recorded about the bike from the trip's start on, oldest first: the docks'
    /// failed returns of this trip, other riders asking for it or taking it, the depot.
    pub sightings: Vec<Sighting>,
    /// The claimed station's dock's failed returns (the dock of the report the claim rests
    /// on), newest first.
    pub dock_faults: Vec<Sighting>,
    /// The fair end (indexes into `sightings`), or why there is none.
    #[serde(default)]
    pub fair: Option<FairEnd>,
    #[serde(default)]
    /// Why there is nothing to settle, when there is not.
    pub no_case: Option<NoCase>,
    /// The trip's price: what it cost (ended) or costs to now (open).
    pub price: Tenge,
    /// Its price to the fair end.
    #[serde(default)]
    pub fair_price: Option<Tenge>,
    /// What settling does.
    #[serde(default)]
    pub settlement: Option<Settlement>,
}

impl DisputeEvidence {
    /// The sentence why nothing can be settled, if nothing can.
    pub fn why_not(&self) -> Option<&'static str> {
        match (self.no_case, self.settlement) {
            (Some(n), _) => Some(n.sentence()),
            (None, None) => Some("the fair price is not lower: nothing to give back"),
            (None, Some(_)) => None,
        }
    }
}
