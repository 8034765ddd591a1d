//! Renting (R8–R11, D27–D29): the checks before an unlock, the unlock at the bike or by an
//! agent, the pull that starts the rental (chained onto the last trip, D3), and the count of
//! wrong PINs. Returns are in `returns.rs`, their settling in `settling.rs`.

use super::settling::pass_def;
use super::{Aftermath, Ctx, Engine, Event, Result, refuse};
use crate::api::AlertKind;
use crate::api::BikeState;
use crate::domain::messages::Notice;
use crate::domain::pricing;
use crate::domain::rental::{EndHow, PinTries};
use crate::domain::roles::StaffAction;
use crate::domain::rules::{RentFacts, check_rent};
use crate::domain::{BikeId, Refusal, RentalId, RiderId};
use crate::store::fleet;
use crate::store::ledger as sl;
use crate::store::people::Staff;
use crate::store::{passes, people};
use rusqlite::Connection;

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
pub(super) fn locked_reason(ctx: &Ctx<'_>, r: &crate::api::Rider) -> String {
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
    pub(super) fn manual_unlock_by(
        &mut self,
        s: &Staff,
        rider: RiderId,
        bike: BikeId,
        reason: &str,
    ) -> Result<()> {
        self.write(|ctx, c| {
            if reason.trim().is_empty() {
                return refuse(Refusal::Invalid, "a manual unlock needs a reason");
            }
            check_unlock(ctx, c, rider, bike, None)?;
            fleet::insert_unlock(c, rider, bike, ctx.now, ctx.settings.unlock_window_s)?;
            ctx.audit(
                c,
                s,
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
                if last.end_how != Some(EndHow::Faulty)
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
