//! Why the system refuses an action: the rule-refusal kinds of `docs/scenarios.md`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A refusal by the rules, with the kind the scenario files and the API use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refusal {
    Restricted,
    LowBalance,
    NoPass,
    AlreadyRenting,
    BikeUnavailable,
    BadPin,
    UnderAge,
    NotResident,
    NotEligible,
    NoDeposit,
    StationFull,
    NotRenting,
    NotAuthorised,
    OutOfSeason,
    Forbidden,
    NotFound,
    Invalid,
}

impl Refusal {
    pub const ALL: [Refusal; 17] = [
        Refusal::Restricted,
        Refusal::LowBalance,
        Refusal::NoPass,
        Refusal::AlreadyRenting,
        Refusal::BikeUnavailable,
        Refusal::BadPin,
        Refusal::UnderAge,
        Refusal::NotResident,
        Refusal::NotEligible,
        Refusal::NoDeposit,
        Refusal::StationFull,
        Refusal::NotRenting,
        Refusal::NotAuthorised,
        Refusal::OutOfSeason,
        Refusal::Forbidden,
        Refusal::NotFound,
        Refusal::Invalid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Restricted => "restricted",
            Refusal::LowBalance => "low-balance",
            Refusal::NoPass => "no-pass",
            Refusal::AlreadyRenting => "already-renting",
            Refusal::BikeUnavailable => "bike-unavailable",
            Refusal::BadPin => "bad-pin",
            Refusal::UnderAge => "under-age",
            Refusal::NotResident => "not-resident",
            Refusal::NotEligible => "not-eligible",
            Refusal::NoDeposit => "no-deposit",
            Refusal::StationFull => "station-full",
            Refusal::NotRenting => "not-renting",
            Refusal::NotAuthorised => "not-authorised",
            Refusal::OutOfSeason => "out-of-season",
            Refusal::Forbidden => "forbidden",
            Refusal::NotFound => "not-found",
            Refusal::Invalid => "invalid",
        }
    }

    pub fn parse(s: &str) -> Option<Refusal> {
        Refusal::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
