//! The docking dispute (issue 17): the evidence of a trip's end gathered from the docks'
//! reports, the next riders and the depot; settling it in one audited step (an open rental
//! ended at the fair time, an ended one credited the difference); the docks' reports kept
//! as they come; the faulty-dock alert.

use super::ctx::Tell;
use super::settling::price_rental;
use super::{Aftermath, Ctx, Engine, Result, refuse};
use crate::api::{Alert, AlertKind, DisputeEvidence, DisputeQuery, Outcome, Rental};
use crate::domain::dispute::{self, Claim, Facts, NoCase, Seen, Settlement, Sighting};
use crate::domain::messages::{DisputeNotice, Notice};
use crate::domain::rental::DockOutcome;
use crate::domain::roles::StaffAction;
use crate::domain::{BikeId, Refusal, RentalId, RiderId, StationId};
use crate::store::dispute::{self as sd, DockReport};
use crate::store::fleet;
use crate::store::people::Staff;
use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

/// How many of a dock's faults the evidence lists.
const DOCK_HISTORY: usize = 20;
/// How many later rentals of the bike the evidence looks at.
const NEXT_RENTALS: usize = 5;
/// How many of a rider's trips a named one is looked for in.
const TRIPS_LOOKED_AT: usize = 1000;

/// R12: keep a dock's failed return (`how` a lock error or an unrecognised bike) with its
/// station, dock, bike and rental. Called by the return as it happens.
pub(super) fn record_failed_return(
    ctx: &Ctx<'_>,
    c: &Connection,
    rental: &Rental,
    station: StationId,
    dock: u32,
    how: DockOutcome,
) -> Result<()> {
    sd::insert_report(
        c,
        &DockReport {
            at: ctx.now,
            station,
            dock: Some(dock),
            bike: rental.bike,
            rental: Some(rental.id),
            rider: None,
            seen: if how == DockOutcome::Unrecognised {
                Seen::Unrecognised
            } else {
                Seen::LockError
            },
        },
    )?;
    Ok(())
}

/// A rider asked for a bike the system holds in another rider's rental after a lock error:
/// the bike stands in that station's dock. Recorded even though the unlock is refused
/// ([`Aftermath`]): it is the first rider's evidence.
pub(super) fn note_asked_for(
    ctx: &Ctx<'_>,
    c: &Connection,
    rider: RiderId,
    bike: BikeId,
) -> Result<()> {
    if let Some(r) = fleet::open_rental_of_bike(c, bike)?
        && r.rider != rider
        && let Some(station) = r.lock_error_station
    {
        ctx.after_refusal(Aftermath::AskedFor {
            rider,
            bike,
            station,
            rental: r.id,
        });
    }
    Ok(())
}

/// Write what [`note_asked_for`] noted.
pub(super) fn record_asked_for(
    ctx: &Ctx<'_>,
    c: &Connection,
    rider: RiderId,
    bike: BikeId,
    station: StationId,
    rental: RentalId,
) -> Result<()> {
    sd::insert_report(
        c,
        &DockReport {
            at: ctx.now,
            station,
            dock: None,
            bike,
            rental: Some(rental),
            rider: Some(rider),
            seen: Seen::AskedFor { rider },
        },
    )?;
    Ok(())
}

/// The faulty-dock alerts (issue 17): a dock that failed
/// [`dispute::FAULTY_DOCK_FAULTS`] returns within [`dispute::FAULTY_DOCK_HOURS`] hours.
pub(super) fn faulty_dock_alerts(ctx: &Ctx<'_>, c: &Connection) -> Result<Vec<Alert>> {
    let from = ctx.now - Duration::hours(dispute::FAULTY_DOCK_HOURS);
    let faults = sd::faults_since(c, from)?;
    Ok(dispute::faulty_docks(&faults, ctx.now)
        .into_iter()
        .map(|(station, dock, n, since)| {
            let text = format!(
                "station {station}, dock {dock}: {n} failed returns in {} h — check its lock",
                dispute::FAULTY_DOCK_HOURS
            );
            Alert {
                station: Some(station),
                since: Some(since),
                dock: Some(dock),
                ..Alert::new(AlertKind::FaultyDock, text)
            }
        })
        .collect())
}

/// The trip disputed: `rental` of the rider, else their open rental, else their latest.
fn disputed_trip(c: &Connection, rider: RiderId, rental: Option<RentalId>) -> Result<Rental> {
    let found = match rental {
        Some(id) => fleet::rentals_of_rider(c, rider, TRIPS_LOOKED_AT)?
            .into_iter()
            .find(|r| r.id == id),
        None => match fleet::open_rental_of_rider(c, rider)? {
            Some(r) => Some(r),
            None => fleet::last_rental_of_rider(c, rider)?,
        },
    };
    match (found, rental) {
        (Some(r), _) => Ok(r),
        (None, Some(id)) => refuse(Refusal::NotFound, format!("rider {rider} has no trip {id}")),
        (None, None) => refuse(
            Refusal::NotFound,
            format!("rider {rider} has no trip to dispute"),
        ),
    }
}

/// The evidence about `rental`'s bike from its start on: this trip's failed returns, other
/// riders asking for the bike while it was open, the next rentals, the depot; oldest first.
fn sightings(c: &Connection, rental: &Rental) -> Result<Vec<Sighting>> {
    let mut out: Vec<Sighting> = sd::reports_of_bike(c, rental.bike, rental.start_at)?
        .into_iter()
        // This trip's own records: its failed returns, and the asks while it was open.
        .filter(|r| r.rental == Some(rental.id))
        .map(|r| Sighting {
            at: r.at,
            station: r.station,
            dock: r.dock,
            seen: r.seen,
        })
        .collect();
    out.extend(sd::next_rentals(
        c,
        rental.bike,
        rental.rider,
        rental.start_at,
        NEXT_RENTALS,
    )?);
    out.extend(sd::depot_takes(c, rental.bike, rental.start_at)?);
    out.sort_by_key(|s| s.at);
    Ok(out)
}

/// Gather the evidence and apply the rule.
fn evidence(
    ctx: &Ctx<'_>,
    c: &Connection,
    rider: RiderId,
    q: DisputeQuery,
) -> Result<DisputeEvidence> {
    ctx.rider(c, rider)?;
    let rental = disputed_trip(c, rider, q.rental)?;
    let sightings = sightings(c, &rental)?;
    let last_report = sightings.iter().rev().find(|s| s.seen.is_dock_report());
    let claim = match (q.station, q.at, last_report) {
        (Some(station), Some(at), _) => Claim { station, at },
        (None, None, Some(s)) => Claim {
            station: s.station,
            at: s.at,
        },
        (None, None, None) => match (rental.lock_error_station, rental.lock_error_at) {
            (Some(station), Some(at)) => Claim { station, at },
            _ => {
                return refuse(
                    Refusal::Invalid,
                    format!(
                        "no lock error was recorded on trip {} of rider {rider}: give the station and the time the rider says they docked",
                        rental.id
                    ),
                );
            }
        },
        _ => {
            return refuse(
                Refusal::Invalid,
                "a claim needs both the station and the time the rider says they docked",
            );
        }
    };
    let open = rental.end_at.is_none();
    let facts = Facts {
        start: rental.start_at,
        end: rental.end_at.map(|e| (e, rental.end_station)),
        now: ctx.now,
        claim,
        sightings: sightings.clone(),
    };
    let found = match sd::settled(c, rental.id)? {
        true => Err(NoCase::AlreadySettled),
        false => dispute::fair_end(&facts),
    };
    let price = match rental.charge {
        Some(charged) if !open => crate::domain::Tenge(charged),
        _ => price_rental(ctx.tariff, c, &rental, ctx.now)?.total,
    };
    let (fair, no_case) = match found {
        Ok(f) => (Some(f), None),
        Err(n) => (None, Some(n)),
    };
    let fair_price = match fair {
        Some(f) => Some(price_rental(ctx.tariff, c, &rental, f.at)?.total),
        None => None,
    };
    let settlement = match (fair, fair_price) {
        (Some(f), Some(p)) => dispute::settlement(open, f.at, price, p),
        _ => None,
    };
    let dock = fair
        .and_then(|f| f.report)
        .map(|i| sightings[i])
        .or(last_report.copied())
        .filter(|s| s.station == claim.station)
        .and_then(|s| s.dock);
    let dock_faults = match dock {
        Some(d) => sd::faults_of_dock(c, claim.station, d, DOCK_HISTORY)?
            .into_iter()
            .map(|r| Sighting {
                at: r.at,
                station: r.station,
                dock: r.dock,
                seen: r.seen,
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(DisputeEvidence {
        rider,
        rental: rental.id,
        bike: rental.bike,
        open,
        start_at: rental.start_at,
        end_at: rental.end_at,
        end_station: rental.end_station,
        claim,
        sightings,
        dock_faults,
        fair,
        no_case,
        price,
        fair_price,
        settlement,
    })
}

impl Engine {
    /// The evidence of a docking dispute on the rider's trip, with the rule's finding.
    pub fn dispute(&mut self, rider: RiderId, q: DisputeQuery) -> Result<DisputeEvidence> {
        self.read(|ctx, c| evidence(ctx, c, rider, q))
    }

    /// Settle a docking dispute in one unit: the open rental ended at the fair time at the
    /// claimed station (R15, D3, as [`Engine::end_rental`]), or the ended trip credited
    /// what it cost beyond its fair price (R26, as [`Engine::credit_claim`]); audited as
    /// `settle-dispute` with the evidence, and the rider told (R27).
    pub fn settle_dispute(
        &mut self,
        rider: RiderId,
        rental: Option<RentalId>,
        station: StationId,
        at: DateTime<Utc>,
        s: &Staff,
    ) -> Result<Outcome> {
        let q = DisputeQuery {
            rental,
            station: Some(station),
            at: Some(at),
        };
        let staff = s.clone();
        let (out, ()) = self.atomically(
            move |e| {
                let ev = e.dispute(rider, q)?;
                let (Some(fair), Some(settle)) = (ev.fair, ev.settlement) else {
                    return refuse(
                        Refusal::Invalid,
                        format!(
                            "nothing to settle on trip {} of rider {rider}: {}",
                            ev.rental,
                            ev.why_not().unwrap_or("no evidence")
                        ),
                    );
                };
                let proof = ev.sightings[fair.proof];
                let reason = format!(
                    "docking dispute: bike {} back at station {} ({}, proof: {} at {})",
                    ev.bike,
                    fair.station,
                    fair.report
                        .map(|i| ev.sightings[i].seen.word())
                        .unwrap_or("no dock report"),
                    proof.seen.word(),
                    e.read(|ctx, _| Ok(ctx.local(proof.at)))?,
                );
                let out = match settle {
                    Settlement::EndAt { at } => Outcome::Priced(Some(e.end_rental_by(
                        &staff,
                        rider,
                        fair.station,
                        at,
                        &reason,
                        Tell::ByCaller,
                    )?)),
                    Settlement::Credit { amount } => Outcome::Entry(e.credit_claim_by(
                        &staff,
                        rider,
                        amount,
                        &reason,
                        Tell::ByCaller,
                    )?),
                };
                Ok((out, ev, reason))
            },
            |ctx, c, (_, ev, reason)| {
                let (Some(fair), Some(settle)) = (ev.fair, ev.settlement) else {
                    return Ok(());
                };
                let at = ctx.local(fair.at);
                let fair_price = ev.fair_price.unwrap_or_default();
                let (details, credited) = match settle {
                    Settlement::EndAt { .. } => (
                        format!("ended {at}, price {fair_price} instead of {}", ev.price),
                        None,
                    ),
                    Settlement::Credit { amount } => (
                        format!(
                            "credited {amount}: price {fair_price} instead of {}",
                            ev.price
                        ),
                        Some(amount),
                    ),
                };
                let notice = Notice::Dispute(DisputeNotice {
                    station: fair.station.0,
                    at,
                    price: fair_price,
                    credited,
                });
                ctx.audit(
                    c,
                    s,
                    StaffAction::SettleDispute,
                    Some(ev.rider),
                    &format!("trip {}, bike {}", ev.rental, ev.bike),
                    reason,
                    &details,
                )?;
                ctx.notify(c, ev.rider, notice)?;
                Ok(())
            },
        )?;
        Ok(out.0)
    }
}
