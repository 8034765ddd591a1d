//! Returning (R12–R14, §5): a bike pushed into a dock (with success, a lock error, an
//! unrecognised bike or a faulty report), the cable lock with staff permission, a rental
//! ended by hand, and the price a rental would have now.

use super::ctx::Tell;
use super::rentals::{clear_wrong_pins, locked_reason};
use super::settling::{Place, finish_rental, price_rental};
use super::{Aftermath, Ctx, Engine, Event, Result, refuse};
use crate::api::{AlertKind, Rental};
use crate::domain::messages::Notice;
use crate::domain::pricing::Quote;
use crate::domain::rental::{DockOutcome, EndHow};
use crate::domain::roles::StaffAction;
use crate::domain::{BikeId, Refusal, RiderId, StationId};
use crate::store::people::Staff;
use crate::store::{fleet, people};
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// The open rental of `bike`, brought to `station`: refused when there is no such bike, it
/// is not out, or there is no such station.
fn rental_of_bike_at(
    ctx: &Ctx<'_>,
    c: &Connection,
    bike: BikeId,
    station: StationId,
) -> Result<Rental> {
    ctx.bike(c, bike)?;
    let Some(rental) = fleet::open_rental_of_bike(c, bike)? else {
        return refuse(
            Refusal::NotRenting,
            format!("bike {bike} is not in a rental"),
        );
    };
    ctx.station(c, station)?;
    Ok(rental)
}

/// The dock a bike is pushed into: the one the station names (it must be there, working and
/// empty), or the first free one when the caller does not know it (the desk, a scenario).
fn dock_pushed_into(c: &Connection, station: StationId, named: Option<u32>) -> Result<u32> {
    let Some(n) = named else {
        return match fleet::free_dock(c, station)? {
            Some(d) => Ok(d),
            None => refuse(
                Refusal::StationFull,
                format!("station {station} has no free dock: call support for a cable lock (R14)"),
            ),
        };
    };
    match fleet::docks(c, station)?
        .into_iter()
        .find(|d| d.number == n)
    {
        None => refuse(
            Refusal::Invalid,
            format!("station {station} has no dock {n}"),
        ),
        Some(d) if !d.in_service => refuse(
            Refusal::Invalid,
            format!("dock {n} of station {station} is out of service"),
        ),
        Some(d) => match d.bike {
            Some(b) => refuse(
                Refusal::Invalid,
                format!("dock {n} of station {station} holds bike {b}"),
            ),
            None => Ok(n),
        },
    }
}

impl Engine {
    /// R12: the bike is pushed into a free dock: "Return OK" ends the rental; a lock error or
    /// an unrecognised bike keeps it going and raises an alert. R13: `Faulty` right after
    /// unlocking cancels it.
    pub fn return_bike(
        &mut self,
        bike: BikeId,
        station: StationId,
        dock: Option<u32>,
        how: DockOutcome,
    ) -> Result<Option<Quote>> {
        self.write(|ctx, c| {
            let rental = rental_of_bike_at(ctx, c, bike, station)?;
            let dock = dock_pushed_into(c, station, dock)?;
            if how.failed() {
                fleet::set_lock_error(c, rental.id, ctx.now, station, how)?;
                super::dispute::record_failed_return(ctx, c, &rental, station, dock, how)?;
                let what = match how {
                    DockOutcome::Unrecognised => "unrecognised bike",
                    _ => "lock error",
                };
                ctx.emit(Event::Alert {
                    kind: if how == DockOutcome::Unrecognised {
                        AlertKind::Unrecognised
                    } else {
                        AlertKind::LockError
                    },
                    text: format!("{what}: bike {bike} at station {station}, dock {dock}; rental of rider {} goes on (R12)", rental.rider),
                    rider: Some(rental.rider),
                    station: Some(station),
                });
                return Ok(None);
            }
            let faulty = how == DockOutcome::Faulty;
            if faulty && ctx.now - rental.start_at <= chrono::Duration::seconds(ctx.settings.faulty_grace_s) {
                fleet::end_rental(c, rental.id, ctx.now, Some(station), EndHow::Faulty, 0)?;
                fleet::dock_bike(c, bike, station, dock, ctx.now)?;
                fleet::set_bike_faulty(c, bike, true)?;
                ctx.emit(Event::Alert {
                    kind: AlertKind::FaultyBike,
                    text: format!("bike {bike} reported faulty at station {station} (R13)"),
                    rider: Some(rental.rider),
                    station: Some(station),
                });
                ctx.emit(Event::StationChanged { station });
                return Ok(None);
            }
            let q = finish_rental(ctx, c, &rental, ctx.now, station, EndHow::Dock, Place::Dock(dock))?;
            if faulty {
                fleet::set_bike_faulty(c, bike, true)?;
            }
            Ok(Some(q))
        })
    }

    /// R14: the rider calls support from a station that cannot take the bike.
    pub fn call_cable_lock(&mut self, rider: RiderId, station: StationId) -> Result<()> {
        self.write(|ctx, c| {
            ctx.rider(c, rider)?;
            ctx.station(c, station)?;
            if fleet::open_rental_of_rider(c, rider)?.is_none() {
                return refuse(
                    Refusal::NotRenting,
                    format!("rider {rider} has no bike out"),
                );
            }
            fleet::insert_cable_call(c, rider, station, ctx.now)?;
            ctx.emit(Event::Alert {
                kind: AlertKind::CableLockCall,
                text: format!("rider {rider} calls for a cable lock at station {station} (R14)"),
                rider: Some(rider),
                station: Some(station),
            });
            Ok(())
        })
    }

    /// R14: staff permit this rider's cable lock at this station.
    pub(super) fn authorise_cable_lock_by(
        &mut self,
        s: &Staff,
        rider: RiderId,
        station: StationId,
    ) -> Result<()> {
        self.write(|ctx, c| {
            ctx.rider(c, rider)?;
            ctx.station(c, station)?;
            let Some(rental) = fleet::open_rental_of_rider(c, rider)? else {
                return refuse(
                    Refusal::NotRenting,
                    format!("rider {rider} has no bike out"),
                );
            };
            fleet::insert_cable_auth(
                c,
                rider,
                station,
                rental.id,
                &s.name,
                ctx.now,
                ctx.settings.cable_auth_valid_s,
            )?;
            fleet::answer_cable_calls(c, rider, ctx.now)?;
            ctx.audit(
                c,
                s,
                StaffAction::AuthoriseCableLock,
                Some(rider),
                &format!("station {station}, bike {}", rental.bike),
                "",
                "",
            )?;
            ctx.emit(Event::StationChanged { station });
            Ok(())
        })
    }

    /// R14: the cable procedure on the bike; ends the rental only with staff permission.
    pub fn cable_lock(&mut self, bike: BikeId, station: StationId, pin: &str) -> Result<Quote> {
        self.write(|ctx, c| {
            let rental = rental_of_bike_at(ctx, c, bike, station)?;
            let r = ctx.rider(c, rental.rider)?;
            if !people::pin_matches(c, rental.rider, pin)? {
                ctx.after_refusal(Aftermath::WrongPin { rider: rental.rider });
                return refuse(Refusal::BadPin, "wrong PIN");
            }
            if r.pin_tries.locked_until(ctx.now).is_some() {
                return refuse(Refusal::BadPin, locked_reason(ctx, &r));
            }
            let Some((auth, _)) = fleet::cable_auth(c, rental.id, station, ctx.now)? else {
                return refuse(Refusal::NotAuthorised, format!("no operator permission for a cable lock at station {station}: the rental goes on (R14)"));
            };
            fleet::use_cable_auth(c, auth, ctx.now)?;
            clear_wrong_pins(c, &r)?;
            finish_rental(ctx, c, &rental, ctx.now, station, EndHow::CableLock, Place::CableLocked)
        })
    }

    /// End a stuck rental by hand at the real time, with a reason (docs/rules.md §5).
    pub(super) fn end_rental_by(
        &mut self,
        s: &Staff,
        rider: RiderId,
        station: StationId,
        at: DateTime<Utc>,
        reason: &str,
        tell: Tell,
    ) -> Result<Quote> {
        self.write(|ctx, c| {
            if reason.trim().is_empty() {
                return refuse(Refusal::Invalid, "ending a rental by hand needs a reason");
            }
            ctx.rider(c, rider)?;
            let Some(rental) = fleet::open_rental_of_rider(c, rider)? else {
                return refuse(
                    Refusal::NotRenting,
                    format!("rider {rider} has no bike out"),
                );
            };
            ctx.station(c, station)?;
            if at < rental.start_at || at > ctx.now {
                return refuse(
                    Refusal::Invalid,
                    format!(
                        "the end time {} must be between the start {} and now {}",
                        ctx.local(at),
                        ctx.local(rental.start_at),
                        ctx.local(ctx.now)
                    ),
                );
            }
            let place = match fleet::free_dock(c, station)? {
                Some(d) => Place::Dock(d),
                None => Place::CableLocked,
            };
            let q = finish_rental(ctx, c, &rental, at, station, EndHow::Staff, place)?;
            ctx.audit(
                c,
                s,
                StaffAction::EndRental,
                Some(rider),
                &format!(
                    "bike {} at station {station}, ended {}",
                    rental.bike,
                    ctx.local(at)
                ),
                reason,
                &format!("price {}", q.total),
            )?;
            // R27: the rider learns that staff ended it, when and where it counted.
            if tell == Tell::Rider {
                ctx.notify(
                    c,
                    rider,
                    Notice::RentalEndedByStaff {
                        at: ctx.local(at),
                        station: station.0,
                        price: q.total,
                    },
                )?;
            }
            Ok(q)
        })
    }

    /// The price a rental would have if it ended at `at` (live accrued price, previews).
    pub fn preview_end(&mut self, rider: RiderId, at: DateTime<Utc>) -> Result<Quote> {
        self.read(|ctx, c| {
            let Some(rental) = fleet::open_rental_of_rider(c, rider)? else {
                return refuse(
                    Refusal::NotRenting,
                    format!("rider {rider} has no bike out"),
                );
            };
            price_rental(ctx.tariff, c, &rental, at)
        })
    }
}
