//! Renting and returning (R8–R15, D3–D5, D16): unlock and pull, return with success or lock
//! error, a faulty bike, the cable lock with staff permission, a rental ended by hand.

use super::money::post_fine;
use super::posting::{post_charge, post_rider_accruals};
use super::{Aftermath, Ctx, Engine, Event, Result, refuse};
use crate::api::Accrual;
use crate::api::AlertKind;
use crate::api::{BikeState, Rental};
use crate::domain::ledger::{Actor, EntryKind, Moves};
use crate::domain::messages::Notice;
use crate::domain::pricing::{self, ItemKind, Quote, TripTime};
use crate::domain::rental::{DockOutcome, PinTries, overdue_from, window_end};
use crate::domain::roles::StaffAction;
use crate::domain::rules::{RentFacts, check_rent};
use crate::domain::tariff::{FineKind, PassDef, Period};
use crate::domain::time::next_local_midnight;
use crate::domain::{BikeId, Refusal, RentalId, RiderId, StationId, Tenge};
use crate::store::fleet;
use crate::store::ledger::{self as sl, NewEntry};
use crate::store::{passes, people};
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// Where a bike ends up when its rental ends.
enum Place {
    Dock(u32),
    CableLocked,
}

fn station_exists(c: &Connection, s: StationId) -> Result<crate::api::StationCounts> {
    match fleet::station(c, s)? {
        Some(st) => Ok(st),
        None => refuse(Refusal::NotFound, format!("no station {s}")),
    }
}

/// The pass definition a stored pass was sold under.
pub(super) fn pass_def(p: &crate::api::Pass) -> PassDef {
    PassDef {
        id: p.pass.clone(),
        label: p.label.clone(),
        price: p.price,
        concession_price: None,
        period: Period::Hours(0),
        residents_only: false,
        all_inclusive: p.all_inclusive,
        deposit: p.deposit,
        overuse_per_day: p.overuse_per_day,
    }
}

/// R9's checks for `rider` taking `bike` now; the pass to ride on. A wrong PIN that the
/// checks reach is counted even though the unlock is refused (D29).
fn check_unlock(
    ctx: &Ctx<'_>,
    c: &Connection,
    rider: RiderId,
    bike: BikeId,
    pin: Option<&str>,
) -> Result<crate::api::Pass> {
    let r = people::rider(c, rider)?;
    let b = fleet::bike(c, bike)?;
    let unlock = fleet::live_unlock(c, bike, ctx.now)?;
    let station_active = match b.as_ref().and_then(|b| b.station) {
        Some(s) => fleet::station(c, s)?.is_some_and(|st| st.active),
        None => false,
    };
    let rentable = b.as_ref().is_some_and(|b| {
        matches!(b.state, BikeState::Docked | BikeState::CableLocked) && !b.faulty
    }) && station_active
        && unlock.is_none_or(|(_, who)| who == rider);
    let all_passes = passes::passes_of(c, rider)?;
    let pass = all_passes.iter().find(|p| p.valid_at(ctx.now)).cloned();
    let def = pass.as_ref().map(pass_def);
    let account = sl::account(c, rider).unwrap_or_default();
    let right_pin = match (pin, &r) {
        (Some(pin), Some(_)) => people::pin_matches(c, rider, pin)?,
        (None, _) => true,
        (Some(_), None) => false,
    };
    let locked = r
        .as_ref()
        .is_some_and(|r| r.pin_tries.locked_until(ctx.now).is_some());
    let facts = RentFacts {
        rider_exists: r.is_some(),
        bike_exists: b.is_some(),
        bike_rentable: rentable,
        pin_ok: r.is_some() && right_pin && (pin.is_none() || !locked),
        born: r.as_ref().and_then(|r| r.born.date()).unwrap_or_default(),
        restricted_or_blocked: r
            .as_ref()
            .is_some_and(|r| r.restricted || r.blocked_reason.is_some()),
        pass: def.as_ref(),
        deposit_held: account.deposit,
        available: account.available(),
        // D27: an open rental or a pending unlock (R10's 30 s) is the rider's one bike.
        already_renting: fleet::open_rental_of_rider(c, rider)?.is_some()
            || fleet::live_unlock_of_rider(c, rider, ctx.now)?.is_some(),
    };
    match check_rent(ctx.tariff, &facts, ctx.now) {
        Ok(()) => match pass {
            Some(p) => Ok(p),
            None => refuse(Refusal::NoPass, "no valid pass (R9)"),
        },
        Err(kind) => {
            if kind == Refusal::BadPin && r.is_some() && !right_pin {
                ctx.after_refusal(Aftermath::WrongPin { rider });
            }
            if kind == Refusal::BikeUnavailable {
                super::dispute::note_asked_for(ctx, c, rider, bike)?;
            }
            let reason = match (kind, r.as_ref()) {
                (Refusal::BadPin, Some(r)) if right_pin => locked_reason(ctx, r),
                _ => rent_reason(kind, rider, bike, &facts, r.as_ref(), ctx),
            };
            refuse(kind, reason)
        }
    }
}

/// D29: why a right PIN is refused.
fn locked_reason(ctx: &Ctx<'_>, r: &crate::api::Rider) -> String {
    match r.pin_tries.locked_until(ctx.now) {
        Some(until) => format!(
            "{} wrong PINs in a row: unlocks refused until {} (D29)",
            r.pin_tries.wrong,
            ctx.local(until)
        ),
        None => "wrong PIN".into(),
    }
}

/// D29: one more wrong PIN for `rider`; at the one that locks, the desk is alerted.
pub(super) fn count_wrong_pin(ctx: &Ctx<'_>, c: &Connection, rider: RiderId) -> Result<()> {
    let r = ctx.rider(c, rider)?;
    let tries = r.pin_tries.after_wrong(ctx.now);
    people::set_pin_tries(c, rider, tries)?;
    if tries.just_locked() {
        let until = tries.locked_until(ctx.now).unwrap_or(ctx.now);
        log::warn!(
            "rider {rider}: {} wrong PINs in a row, unlocks refused until {} (D29)",
            tries.wrong,
            ctx.local(until)
        );
        ctx.emit(Event::Alert {
            kind: AlertKind::PinLocked,
            text: format!(
                "rider {rider}: {} wrong PINs in a row; unlocks and cable locks refused until {} — under attack, or forgotten? (D29)",
                tries.wrong,
                ctx.local(until)
            ),
            rider: Some(rider),
            station: None,
        });
    }
    ctx.emit(Event::RiderChanged { rider });
    Ok(())
}

/// D29: a success (unlock, cable lock) or a PIN reset clears the count.
pub(super) fn clear_wrong_pins(c: &Connection, r: &crate::api::Rider) -> Result<()> {
    if r.pin_tries != PinTries::default() {
        people::set_pin_tries(c, r.id, PinTries::default())?;
    }
    Ok(())
}

fn rent_reason(
    kind: Refusal,
    rider: RiderId,
    bike: BikeId,
    f: &RentFacts<'_>,
    r: Option<&crate::api::Rider>,
    ctx: &Ctx<'_>,
) -> String {
    match kind {
        Refusal::NotFound if !f.rider_exists => format!("no rider {rider}"),
        Refusal::NotFound => format!("no bike {bike}"),
        Refusal::BikeUnavailable => format!("bike {bike} is not available to rent"),
        Refusal::BadPin => "wrong PIN".into(),
        Refusal::UnderAge => "riders must be 16 or older (R8)".into(),
        Refusal::Restricted => match r {
            Some(r) if r.blocked_reason.is_some() => {
                format!("blocked: {}", r.blocked_reason.clone().unwrap_or_default())
            }
            Some(r) => format!(
                "restricted: {}",
                r.restricted_reason.clone().unwrap_or_default()
            ),
            None => "restricted".into(),
        },
        Refusal::OutOfSeason => "the rental season is closed".into(),
        Refusal::NoPass => "no valid pass (R9)".into(),
        Refusal::NoDeposit => format!(
            "a daily pass needs the deposit held; {} held (R5)",
            f.deposit_held
        ),
        Refusal::LowBalance => format!(
            "{} available after accrued charges; {} must stay on the account (R1, D15)",
            f.available, ctx.tariff.minimum_balance
        ),
        Refusal::AlreadyRenting => "one bike at a time (R8)".into(),
        other => other.to_string(),
    }
}

impl Engine {
    /// R10: the unlock procedure at the bike; it waits 30 s for the bike to be pulled.
    pub fn unlock(&mut self, rider: RiderId, bike: BikeId, pin: &str) -> Result<()> {
        self.write(|ctx, c| {
            check_unlock(ctx, c, rider, bike, Some(pin))?;
            clear_wrong_pins(c, &ctx.rider(c, rider)?)?;
            fleet::insert_unlock(c, rider, bike, ctx.now, ctx.settings.unlock_window_s)?;
            Ok(())
        })
    }

    /// An agent releases the bike for a rider whose own unlock failed (card, app, PIN
    /// keypad): every rental rule but the PIN applies, and the rider then has the usual
    /// window to pull the bike out (R10). Audited with the reason.
    pub fn manual_unlock(
        &mut self,
        rider: RiderId,
        bike: BikeId,
        reason: &str,
        by: &str,
    ) -> Result<()> {
        self.write(|ctx, c| {
            let s = ctx.authorise(c, by, StaffAction::ManualUnlock)?;
            if reason.trim().is_empty() {
                return refuse(Refusal::Invalid, "a manual unlock needs a reason");
            }
            check_unlock(ctx, c, rider, bike, None)?;
            fleet::insert_unlock(c, rider, bike, ctx.now, ctx.settings.unlock_window_s)?;
            ctx.audit(
                c,
                &s,
                StaffAction::ManualUnlock,
                Some(rider),
                &format!("bike {bike}"),
                reason,
                "",
            )?;
            Ok(())
        })
    }

    /// R11: the bike leaves the dock after a successful unlock: the rental starts. D28: an
    /// unlock that a service release, a block or a restriction cancelled starts nothing.
    pub fn pull(&mut self, bike: BikeId) -> Result<RentalId> {
        self.write(|ctx, c| {
            let Some((unlock, rider)) = fleet::live_unlock(c, bike, ctx.now)? else {
                return match fleet::cancelled_unlock(c, bike, ctx.now)? {
                    Some(Refusal::Restricted) => refuse(
                        Refusal::Restricted,
                        format!("the unlock of bike {bike} was cancelled: its rider was blocked or restricted meanwhile (D28)"),
                    ),
                    Some(kind) => refuse(
                        kind,
                        format!("the unlock of bike {bike} was cancelled: the bike was taken out of service meanwhile (D28)"),
                    ),
                    None => refuse(
                        Refusal::BikeUnavailable,
                        format!("bike {bike} is locked: unlock it first (R10: 30 s to pull)"),
                    ),
                };
            };
            // What the unlock found may have changed in its 30 s (D27, D28).
            let b = fleet::bike(c, bike)?;
            if !b.is_some_and(|b| matches!(b.state, BikeState::Docked | BikeState::CableLocked)) {
                return refuse(
                    Refusal::BikeUnavailable,
                    format!("bike {bike} is no longer at a station (D28)"),
                );
            }
            let r = ctx.rider(c, rider)?;
            if r.restricted || r.blocked_reason.is_some() {
                return refuse(
                    Refusal::Restricted,
                    format!("rider {rider} was blocked or restricted after the unlock (D28)"),
                );
            }
            if fleet::open_rental_of_rider(c, rider)?.is_some() {
                return refuse(
                    Refusal::AlreadyRenting,
                    format!("rider {rider} has a bike out already: one bike at a time (D27)"),
                );
            }
            start_rental(ctx, c, rider, bike, Some(unlock))
        })
    }

    /// Unlock and pull at once.
    pub fn rent(&mut self, rider: RiderId, bike: BikeId, pin: &str) -> Result<RentalId> {
        self.write(|ctx, c| {
            check_unlock(ctx, c, rider, bike, Some(pin))?;
            clear_wrong_pins(c, &ctx.rider(c, rider)?)?;
            start_rental(ctx, c, rider, bike, None)
        })
    }

    /// R12: the bike is pushed into a free dock: "Return OK" ends the rental; a lock error or
    /// an unrecognised bike keeps it going and raises an alert. R13: `Faulty` right after
    /// unlocking cancels it.
    pub fn return_bike(
        &mut self,
        bike: BikeId,
        station: StationId,
        how: DockOutcome,
    ) -> Result<Option<Quote>> {
        self.write(|ctx, c| {
            if fleet::bike(c, bike)?.is_none() {
                return refuse(Refusal::NotFound, format!("no bike {bike}"));
            }
            let Some(rental) = fleet::open_rental_of_bike(c, bike)? else {
                return refuse(Refusal::NotRenting, format!("bike {bike} is not in a rental"));
            };
            station_exists(c, station)?;
            let Some(dock) = fleet::free_dock(c, station)? else {
                return refuse(Refusal::StationFull, format!("station {station} has no free dock: call support for a cable lock (R14)"));
            };
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
                fleet::end_rental(c, rental.id, ctx.now, Some(station), "faulty", 0)?;
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
            let q = finish_rental(ctx, c, &rental, ctx.now, station, "dock", Place::Dock(dock))?;
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
            station_exists(c, station)?;
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
    pub fn authorise_cable_lock(
        &mut self,
        rider: RiderId,
        station: StationId,
        by: &str,
    ) -> Result<()> {
        self.write(|ctx, c| {
            let s = ctx.authorise(c, by, StaffAction::AuthoriseCableLock)?;
            ctx.rider(c, rider)?;
            station_exists(c, station)?;
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
                &s,
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
            if fleet::bike(c, bike)?.is_none() {
                return refuse(Refusal::NotFound, format!("no bike {bike}"));
            }
            let Some(rental) = fleet::open_rental_of_bike(c, bike)? else {
                return refuse(Refusal::NotRenting, format!("bike {bike} is not in a rental"));
            };
            station_exists(c, station)?;
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
            finish_rental(ctx, c, &rental, ctx.now, station, "cable-lock", Place::CableLocked)
        })
    }

    /// End a stuck rental by hand at the real time, with a reason (docs/rules.md §5).
    pub fn end_rental(
        &mut self,
        rider: RiderId,
        station: StationId,
        at: DateTime<Utc>,
        reason: &str,
        by: &str,
    ) -> Result<Quote> {
        self.write(|ctx, c| {
            let s = ctx.authorise(c, by, StaffAction::EndRental)?;
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
            station_exists(c, station)?;
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
            let q = finish_rental(ctx, c, &rental, at, station, "staff", place)?;
            ctx.audit(
                c,
                &s,
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
            ctx.notify(
                c,
                rider,
                Notice::RentalEndedByStaff {
                    at: ctx.local(at),
                    station: station.0,
                    price: q.total,
                },
            )?;
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
            price_rental(ctx.tariff, c, &rental, at).map(|(q, _)| q)
        })
    }
}

fn start_rental(
    ctx: &Ctx<'_>,
    c: &Connection,
    rider: RiderId,
    bike: BikeId,
    unlock: Option<i64>,
) -> Result<RentalId> {
    let pass = passes::passes_of(c, rider)?
        .into_iter()
        .find(|p| p.valid_at(ctx.now));
    let Some(pass) = pass else {
        return refuse(Refusal::NoPass, "no valid pass (R9)");
    };
    let b = fleet::bike(c, bike)?;
    let station = b.as_ref().and_then(|b| b.station);
    // D3: a break shorter than 30 s chains this trip onto the last one.
    let chain = match fleet::last_rental_of_rider(c, rider)? {
        Some(last) => match last.end_at {
            Some(end)
                if last.end_how.as_deref() != Some("faulty")
                    && pricing::chains(ctx.tariff, (ctx.now - end).num_seconds()) =>
            {
                Some(last.chain)
            }
            _ => None,
        },
        None => None,
    };
    let id = fleet::insert_rental(c, rider, bike, pass.id, chain, station, ctx.now)?;
    if let Some(u) = unlock {
        fleet::mark_pulled(c, u, ctx.now)?;
    }
    fleet::set_bike_state(c, bike, BikeState::Rental, None, ctx.now)?;
    ctx.notify(c, rider, Notice::RentalStarted { bike: bike.0 })?;
    ctx.emit(Event::RentalStarted {
        rider,
        bike: bike.0,
        station,
    });
    if let Some(s) = station {
        ctx.emit(Event::StationChanged { station: s });
    }
    Ok(id)
}

/// Price a rental as if it ended at `end`: the time charge of its whole chain (D3: from the
/// first start to this end), the late fine of this bike alone (D24), and on a daily pass the
/// overuse past its window (R5, D19). Returns the quote and the chain's rental ids. The one
/// pricing of a rental: returns, previews and the live price all come here.
pub(super) fn price_rental(
    tariff: &crate::domain::tariff::Tariff,
    c: &Connection,
    rental: &Rental,
    end: DateTime<Utc>,
) -> Result<(Quote, Vec<RentalId>)> {
    let chain = fleet::rentals_in_chain(c, rental.chain)?;
    let first_start = chain.first().map(|r| r.start_at).unwrap_or(rental.start_at);
    let ids: Vec<RentalId> = chain.iter().map(|r| r.id).collect();
    let Some(pass) = passes::pass(c, rental.pass_id)? else {
        return refuse(
            Refusal::NotFound,
            format!("rental {} has no pass", rental.id),
        );
    };
    let window = daily_window_end(c, &pass)?.unwrap_or_else(|| pass.valid_until());
    let time = TripTime {
        seconds: (end - first_start).num_seconds(),
        held_seconds: (end - rental.start_at).num_seconds(),
        past_window_seconds: (end - window).num_seconds(),
    };
    Ok((pricing::quote(tariff, &pass_def(&pass), time), ids))
}

/// D19: for a daily pass, the end of its window with the daily passes bought back to back
/// after it; `None` for a pass of another kind.
fn daily_window_end(c: &Connection, pass: &crate::api::Pass) -> Result<Option<DateTime<Utc>>> {
    if !pass.all_inclusive {
        return Ok(None);
    }
    let spans: Vec<_> = passes::passes_of(c, pass.rider)?
        .iter()
        .map(|p| p.span())
        .collect();
    Ok(Some(window_end(pass.span(), &spans)))
}

/// R15, D20, D24: the instant from which an open rental is overdue.
pub(super) fn rental_overdue_from(
    tariff: &crate::domain::tariff::Tariff,
    c: &Connection,
    rental: &Rental,
) -> Result<DateTime<Utc>> {
    let window = match passes::pass(c, rental.pass_id)? {
        Some(p) => daily_window_end(c, &p)?,
        None => None,
    };
    Ok(overdue_from(
        rental.start_at,
        tariff.late_after_hours,
        window,
    ))
}

/// End a rental at `end` at `station`: price the chain, accrue the time charge (R17), post
/// a late fine (R7, D4, D16) or take overuse from the deposit (R5, D16), place the bike.
fn finish_rental(
    ctx: &Ctx<'_>,
    c: &Connection,
    rental: &Rental,
    end: DateTime<Utc>,
    station: StationId,
    how: &str,
    place: Place,
) -> Result<Quote> {
    let (q, chain) = price_rental(ctx.tariff, c, rental, end)?;
    let rider = rental.rider;
    let system = Actor::System;
    // Time charge: the chain's price less what earlier legs already accrued (D3).
    let already = sl::accrued_for_rentals(c, &chain)?;
    let charge = q.amount_of(ItemKind::TripCharge) - already;
    if charge.is_positive() {
        let due_at = next_local_midnight(ctx.tariff.time_zone, end);
        sl::add_accrual(
            c,
            &Accrual {
                id: 0,
                rider,
                kind: EntryKind::TripCharge,
                amount: charge,
                at: end,
                due_at,
                label: format!("trip {} min, bike {}", q.minutes, rental.bike),
                rental: Some(rental.id),
            },
            None,
        )?;
        if due_at <= ctx.now {
            post_rider_accruals(ctx, c, rider, ctx.now)?;
        }
    }
    // Late fine of this bike (D24), assessed by the system and posted at the return without
    // approval (D16, D25).
    let late = q.amount_of(ItemKind::LateFine);
    if late.is_positive() {
        let fine = passes::insert_fine(
            c,
            rider,
            FineKind::Late,
            late,
            Some(rental.id),
            "late return (R7, D4)",
            "system",
            ctx.now,
            false,
        )?;
        post_fine(
            ctx,
            c,
            rider,
            fine,
            "late",
            late,
            &system,
            "late return (R7, D4)",
            None,
        )?;
    }
    // Daily-pass overuse: from the deposit, the rest from the balance (R5, D16).
    let overuse = q.amount_of(ItemKind::Overuse);
    if overuse.is_positive() {
        let deposit = sl::account(c, rider)?.deposit.max(Tenge::ZERO);
        let from_deposit = overuse.min(deposit);
        if from_deposit.is_positive() {
            let mut e = NewEntry::new(
                rider,
                ctx.now,
                EntryKind::DepositCapture,
                &system,
                "daily pass overuse (R5)",
            );
            e.moves = Moves {
                deposit: -from_deposit,
                ..Moves::default()
            };
            e.rental = Some(rental.id);
            sl::append(c, &e)?;
        }
        let rest = overuse - from_deposit;
        if rest.is_positive() {
            let mut e = NewEntry::new(
                rider,
                ctx.now,
                EntryKind::DepositCapture,
                &system,
                "daily pass overuse beyond the deposit (R5)",
            );
            e.rental = Some(rental.id);
            post_charge(ctx, c, e, rest)?;
        }
    }
    fleet::end_rental(c, rental.id, end, Some(station), how, q.total.0)?;
    match place {
        Place::Dock(n) => fleet::dock_bike(c, rental.bike, station, n, ctx.now)?,
        Place::CableLocked => fleet::set_bike_state(
            c,
            rental.bike,
            BikeState::CableLocked,
            Some(station),
            ctx.now,
        )?,
    }
    ctx.notify(
        c,
        rider,
        Notice::RentalEnded {
            minutes: q.minutes,
            price: q.total,
        },
    )?;
    ctx.emit(Event::RentalEnded {
        rider,
        bike: rental.bike.0,
        station: Some(station),
        charge: q.total.0,
    });
    ctx.emit(Event::StationChanged { station });
    Ok(q)
}
