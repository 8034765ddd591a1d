//! The docking dispute (issue 17): "I returned the bike, but the rental went on". Given what
//! was recorded about the bike — the docks' failed returns, the next riders who took or
//! asked for it, the depot taking it — and the rider's claim (a station and a time), the
//! fair end of the rental and what settling it does. Pure: the engine gathers the records,
//! this decides (R12, R15/D3, R26).

use super::{RiderId, StationId, Tenge};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A dock's report within this long of the claimed time backs the claim (either side).
pub const CLAIM_WINDOW_MINUTES: i64 = 15;
/// A dock that failed this many returns …
pub const FAULTY_DOCK_FAULTS: usize = 3;
/// … within this many hours is faulty: the depot is alerted.
pub const FAULTY_DOCK_HOURS: i64 = 24;

/// What was recorded about the bike at a station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "what", rename_all = "kebab-case")]
pub enum Seen {
    /// The dock did not lock the bike pushed in (R12): the rental went on.
    LockError,
    /// The station did not recognise the bike pushed in (R12): as a lock error.
    Unrecognised,
    /// Another rider asked that station's display for the bike (refused: it was still in a
    /// rental) — the bike stood there.
    AskedFor { rider: RiderId },
    /// Another rider took the bike from that station: a rental of theirs began there.
    NextRental { rider: RiderId },
    /// The depot took the bike from that station (a service release, a van's stop).
    DepotTook,
}

impl Seen {
    /// A dock's failed return (what a claim leans on).
    pub fn is_dock_report(self) -> bool {
        matches!(self, Seen::LockError | Seen::Unrecognised)
    }
    /// Proof that the bike stood at the station: someone else found it there.
    pub fn proves_left(self) -> bool {
        matches!(
            self,
            Seen::AskedFor { .. } | Seen::NextRental { .. } | Seen::DepotTook
        )
    }
    /// The record's word (the audit, the transcript).
    pub fn word(self) -> &'static str {
        match self {
            Seen::LockError => "lock-error",
            Seen::Unrecognised => "unrecognised",
            Seen::AskedFor { .. } => "asked-for",
            Seen::NextRental { .. } => "next-rental",
            Seen::DepotTook => "depot-took",
        }
    }
}

/// One record about the bike: when, where (and at which dock, when the dock said).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Sighting {
    pub at: DateTime<Utc>,
    pub station: StationId,
    #[serde(default)]
    pub dock: Option<u32>,
    pub seen: Seen,
}

/// What the rider says: "I docked it at this station at this time".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Claim {
    pub station: StationId,
    pub at: DateTime<Utc>,
}

/// The rental disputed, as the rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub start: DateTime<Utc>,
    /// Its end and where, when it has ended.
    pub end: Option<(DateTime<Utc>, Option<StationId>)>,
    pub now: DateTime<Utc>,
    pub claim: Claim,
    /// What was recorded about the bike from the rental's start on, oldest first.
    pub sightings: Vec<Sighting>,
}

/// The fair end of a rental: when and where, the dock's report it rests on (if any) and the
/// record that proves the bike stayed (indexes into [`Facts::sightings`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FairEnd {
    pub at: DateTime<Utc>,
    pub station: StationId,
    pub report: Option<usize>,
    pub proof: usize,
}

/// Why there is nothing to settle, in words for the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NoCase {
    /// The claimed time is after now.
    InTheFuture,
    /// The claimed time is before the rental began.
    BeforeStart,
    /// The claimed time is after the rental ended.
    AfterEnd,
    /// The trip ended at another station: the bike was with the rider until then.
    EndedElsewhere,
    /// Nothing shows the bike stayed at the station (R12: a lock error alone continues it).
    NoProof,
    /// The bike was reported at another station after the claim and before any proof.
    SeenElsewhere,
    /// The fair end is not earlier than the end the rental has (or now).
    NothingToGain,
    /// The trip's dispute was settled already (a second credit would pay twice).
    AlreadySettled,
}

impl NoCase {
    /// The refusal's sentence.
    pub fn sentence(self) -> &'static str {
        match self {
            NoCase::InTheFuture => "the claimed time is in the future",
            NoCase::BeforeStart => "the claimed time is before the rental started",
            NoCase::AfterEnd => "the claimed time is after the trip ended",
            NoCase::EndedElsewhere => {
                "the trip ended at another station: the bike was with the rider until then"
            }
            NoCase::NoProof => {
                "no evidence that the bike stayed at that station: no one took it or asked for it there, and the depot did not find it (a lock error alone continues the rental, R12)"
            }
            NoCase::SeenElsewhere => {
                "the bike was reported at another station after the claimed time: it was not left there"
            }
            NoCase::NothingToGain => "the rental already ends at or before the fair time",
            NoCase::AlreadySettled => "the trip's dispute was settled already",
        }
    }
}

/// The fair end of the rental (R12, R15/D3, R26): the claim must fall within the rental;
/// a dock's failed return at the claimed station within [`CLAIM_WINDOW_MINUTES`] of the
/// claimed time fixes the time (the earliest such report); someone else finding the bike at
/// that station afterwards — another rider taking it or asking for it, the depot taking it —
/// proves it was left there, unless the bike was reported at another station first. With
/// no dock's report, the proof's own time is the earliest the bike is shown to be back.
pub fn fair_end(f: &Facts) -> Result<FairEnd, NoCase> {
    let c = f.claim;
    if c.at > f.now {
        return Err(NoCase::InTheFuture);
    }
    if c.at < f.start {
        return Err(NoCase::BeforeStart);
    }
    if let Some((end, station)) = f.end {
        if c.at > end {
            return Err(NoCase::AfterEnd);
        }
        if station.is_some_and(|s| s != c.station) {
            return Err(NoCase::EndedElsewhere);
        }
    }
    let window = Duration::minutes(CLAIM_WINDOW_MINUTES);
    let report = f
        .sightings
        .iter()
        .enumerate()
        .filter(|(_, s)| s.seen.is_dock_report() && s.station == c.station)
        .filter(|(_, s)| s.at >= f.start && (s.at - c.at).abs() <= window)
        .min_by_key(|(_, s)| s.at)
        .map(|(i, _)| i);
    let from = report.map_or(c.at, |i| f.sightings[i].at);
    let mut proof = None;
    for (i, s) in f.sightings.iter().enumerate() {
        if s.at < from || Some(i) == report {
            continue;
        }
        if s.station != c.station {
            return Err(NoCase::SeenElsewhere);
        }
        if s.seen.proves_left() {
            proof = Some(i);
            break;
        }
    }
    let Some(proof) = proof else {
        return Err(NoCase::NoProof);
    };
    let at = report.map_or(f.sightings[proof].at, |i| f.sightings[i].at);
    let until = f.end.map_or(f.now, |(end, _)| end);
    if at >= until {
        return Err(NoCase::NothingToGain);
    }
    Ok(FairEnd {
        at,
        station: c.station,
        report,
        proof,
    })
}

/// What settling does: an open rental ends at the fair time (R15/D3); an ended one is
/// credited what it cost beyond its fair price, as a recognised claim (R26).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "settle", rename_all = "kebab-case")]
pub enum Settlement {
    EndAt { at: DateTime<Utc> },
    Credit { amount: Tenge },
}

/// The settlement for a fair end at `fair` whose price is `fair_price`, when the rental
/// is `open` and costs `price` to its end (or to now); `None` when the fair price is not
/// lower (nothing to give back).
pub fn settlement(
    open: bool,
    fair: DateTime<Utc>,
    price: Tenge,
    fair_price: Tenge,
) -> Option<Settlement> {
    if open {
        return Some(Settlement::EndAt { at: fair });
    }
    let amount = price - fair_price;
    amount
        .is_positive()
        .then_some(Settlement::Credit { amount })
}

/// The docks that failed [`FAULTY_DOCK_FAULTS`] returns or more within the last
/// [`FAULTY_DOCK_HOURS`] before `now`: `(station, dock, faults, since)`, given every failed
/// return's `(station, dock, at)`.
pub fn faulty_docks(
    faults: &[(StationId, u32, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> Vec<(StationId, u32, usize, DateTime<Utc>)> {
    let from = now - Duration::hours(FAULTY_DOCK_HOURS);
    let mut by_dock: std::collections::BTreeMap<(StationId, u32), Vec<DateTime<Utc>>> =
        Default::default();
    for &(s, d, at) in faults {
        if at > from && at <= now {
            by_dock.entry((s, d)).or_default().push(at);
        }
    }
    by_dock
        .into_iter()
        .filter(|(_, ats)| ats.len() >= FAULTY_DOCK_FAULTS)
        .map(|((s, d), ats)| {
            let since = ats.iter().min().copied().unwrap_or(now);
            (s, d, ats.len(), since)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, h, m, 0).unwrap()
    }
    const S: StationId = StationId(1002);
    const OTHER: StationId = StationId(1001);

    fn seen(h: u32, m: u32, station: StationId, seen: Seen) -> Sighting {
        Sighting {
            at: t(h, m),
            station,
            dock: Some(1),
            seen,
        }
    }

    fn open(claim_at: DateTime<Utc>, sightings: Vec<Sighting>) -> Facts {
        Facts {
            start: t(10, 0),
            end: None,
            now: t(15, 0),
            claim: Claim {
                station: S,
                at: claim_at,
            },
            sightings,
        }
    }

    #[test]
    fn d32_r12_r15_a_lock_error_then_another_rider_at_that_station_ends_it_at_the_lock_error() {
        let f = open(
            t(10, 40),
            vec![
                seen(10, 40, S, Seen::LockError),
                seen(11, 5, S, Seen::AskedFor { rider: RiderId(6) }),
            ],
        );
        assert_eq!(
            fair_end(&f),
            Ok(FairEnd {
                at: t(10, 40),
                station: S,
                report: Some(0),
                proof: 1
            })
        );
    }

    #[test]
    fn d32_r12_a_lock_error_alone_continues_the_rental() {
        let f = open(t(10, 40), vec![seen(10, 40, S, Seen::LockError)]);
        assert_eq!(fair_end(&f), Err(NoCase::NoProof));
    }

    #[test]
    fn d32_the_claim_leans_on_the_earliest_report_within_the_window() {
        // The rider says 10:45; the dock failed at 10:38 and 10:41 (tried twice).
        let f = open(
            t(10, 45),
            vec![
                seen(10, 20, S, Seen::LockError), // 25 min before: outside the window
                seen(10, 38, S, Seen::LockError),
                seen(10, 41, S, Seen::Unrecognised),
                seen(12, 0, S, Seen::DepotTook),
            ],
        );
        let end = fair_end(&f).unwrap();
        assert_eq!((end.at, end.report, end.proof), (t(10, 38), Some(1), 3));
    }

    #[test]
    fn r26_without_a_dock_report_the_proof_itself_is_the_earliest_the_bike_is_back() {
        let f = open(
            t(10, 40),
            vec![seen(11, 30, S, Seen::NextRental { rider: RiderId(7) })],
        );
        assert_eq!(fair_end(&f).map(|e| e.at), Ok(t(11, 30)));
    }

    #[test]
    fn d32_a_report_at_another_station_after_the_claim_means_the_rider_still_had_it() {
        let f = open(
            t(10, 40),
            vec![
                seen(10, 40, S, Seen::LockError),
                seen(10, 55, OTHER, Seen::LockError),
                seen(11, 30, S, Seen::AskedFor { rider: RiderId(6) }),
            ],
        );
        assert_eq!(fair_end(&f), Err(NoCase::SeenElsewhere));
    }

    #[test]
    fn d3_the_time_must_fall_between_the_start_and_now() {
        let proof = vec![
            seen(10, 40, S, Seen::LockError),
            seen(11, 5, S, Seen::DepotTook),
        ];
        assert_eq!(
            fair_end(&open(t(16, 0), proof.clone())),
            Err(NoCase::InTheFuture)
        );
        assert_eq!(fair_end(&open(t(9, 30), proof)), Err(NoCase::BeforeStart));
    }

    #[test]
    fn r26_an_ended_trip_must_have_ended_at_the_claimed_station_and_after_the_fair_time() {
        let mut f = open(
            t(10, 40),
            vec![
                seen(10, 40, S, Seen::LockError),
                seen(14, 0, S, Seen::NextRental { rider: RiderId(6) }),
            ],
        );
        f.end = Some((t(13, 0), Some(OTHER)));
        assert_eq!(fair_end(&f), Err(NoCase::EndedElsewhere));
        f.end = Some((t(13, 0), Some(S)));
        assert_eq!(fair_end(&f).map(|e| e.at), Ok(t(10, 40)));
        f.end = Some((t(10, 40), Some(S)));
        assert_eq!(fair_end(&f), Err(NoCase::NothingToGain));
        f.claim.at = t(13, 30);
        assert_eq!(fair_end(&f), Err(NoCase::AfterEnd));
    }

    #[test]
    fn r15_r26_an_open_rental_ends_at_the_fair_time_an_ended_one_gets_the_difference() {
        assert_eq!(
            settlement(true, t(10, 40), Tenge(1000), Tenge(100)),
            Some(Settlement::EndAt { at: t(10, 40) })
        );
        assert_eq!(
            settlement(false, t(10, 40), Tenge(1000), Tenge(100)),
            Some(Settlement::Credit { amount: Tenge(900) })
        );
        // Both within the free first 30 minutes: nothing to give back.
        assert_eq!(settlement(false, t(10, 40), Tenge(0), Tenge(0)), None);
    }

    #[test]
    fn three_failed_returns_at_one_dock_within_a_day_make_it_faulty() {
        let d = |h, m, dock| (S, dock, t(h, m));
        let faults = [d(9, 0, 1), d(10, 0, 1), d(11, 0, 2), d(12, 0, 1)];
        assert_eq!(faulty_docks(&faults, t(13, 0)), vec![(S, 1, 3, t(9, 0))]);
        // Two at dock 1 in the last 24 hours is not yet a pattern.
        let late = Utc.with_ymd_and_hms(2025, 6, 2, 9, 30, 0).unwrap();
        assert_eq!(faulty_docks(&faults, late), vec![]);
    }
}
