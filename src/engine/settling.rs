//! Settling a return in the store: gather the facts of a rental that ends (its chain, its
//! pass and window, what the chain accrued, the deposit held), ask the domain
//! ([`crate::domain::settle`]), and write the plan: the accrual (R17, D26), the late fine
//! (R7, D4, D16), the deposit capture and the rest of the overuse (R5, D16), the bike's place.

use super::fines::post_fine;
use super::posting::{post_charge, post_rider_accruals};
use super::{Ctx, Event, Result, refuse};
use crate::api::Accrual;
use crate::api::{BikeState, Rental};
use crate::domain::fine::{FineKind, FineStatus};
use crate::domain::ledger::{Actor, EntryKind, Moves};
use crate::domain::messages::Notice;
use crate::domain::pricing::Quote;
use crate::domain::rental::{EndHow, overdue_from, window_end};
use crate::domain::settle::{self, ChainTimes, ReturnFacts};
use crate::domain::tariff::{PassDef, Period, Tariff};
use crate::domain::{Refusal, RentalId, StationId};
use crate::store::fleet;
use crate::store::ledger::{self as sl, NewEntry};
use crate::store::passes;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// Where a bike ends up when its rental ends.
pub(super) enum Place {
    Dock(u32),
    CableLocked,
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

/// A rental's chain as the price rules see it: the pass it was taken on, the chain's times
/// (D3, D19, D24) and the chain's rental ids.
pub(super) struct Chain {
    pass: PassDef,
    times: ChainTimes,
    ids: Vec<RentalId>,
}

/// Gather the facts that price `rental`: its chain's first start, its pass and window.
fn chain_of(c: &Connection, rental: &Rental) -> Result<Chain> {
    let chain = fleet::rentals_in_chain(c, rental.chain)?;
    let chain_start = chain.first().map(|r| r.start_at).unwrap_or(rental.start_at);
    let Some(pass) = passes::pass(c, rental.pass_id)? else {
        return refuse(
            Refusal::NotFound,
            format!("rental {} has no pass", rental.id),
        );
    };
    let window_end = daily_window_end(c, &pass)?.unwrap_or_else(|| pass.valid_until());
    Ok(Chain {
        pass: pass_def(&pass),
        times: ChainTimes {
            chain_start,
            taken_at: rental.start_at,
            window_end,
        },
        ids: chain.iter().map(|r| r.id).collect(),
    })
}

/// Price a rental as if it ended at `end` ([`settle::price_chain`]: the time charge of its
/// whole chain, D3; the late fine of this bike alone, D24; on a daily pass the overuse past
/// its window, R5, D19). Previews and the live price come here; returns settle through the
/// same function.
pub(super) fn price_rental(
    tariff: &Tariff,
    c: &Connection,
    rental: &Rental,
    end: DateTime<Utc>,
) -> Result<Quote> {
    let chain = chain_of(c, rental)?;
    Ok(settle::price_chain(tariff, &chain.pass, chain.times, end))
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
    tariff: &Tariff,
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

/// End a rental at `end` at `station`: settle it ([`settle::settle_return`]) and write the
/// plan: accrue the time charge (R17, posted at once past its midnight, D26), post the late
/// fine (R7, D4, D16), take overuse from the deposit and charge the rest (R5, D16); place
/// the bike, tell the rider.
pub(super) fn finish_rental(
    ctx: &Ctx<'_>,
    c: &Connection,
    rental: &Rental,
    end: DateTime<Utc>,
    station: StationId,
    how: EndHow,
    place: Place,
) -> Result<Quote> {
    let rider = rental.rider;
    let chain = chain_of(c, rental)?;
    let plan = settle::settle_return(&ReturnFacts {
        tariff: ctx.tariff,
        pass: &chain.pass,
        times: chain.times,
        end,
        now: ctx.now,
        accrued_for_chain: sl::accrued_for_rentals(c, &chain.ids)?,
        deposit_held: sl::account(c, rider)?.deposit,
    });
    let q = plan.quote;
    let system = Actor::System;
    if let Some(a) = plan.accrual {
        sl::add_accrual(
            c,
            &Accrual {
                id: 0,
                rider,
                kind: EntryKind::TripCharge,
                amount: a.amount,
                at: end,
                due_at: a.due_at,
                label: format!("trip {} min, bike {}", q.minutes, rental.bike),
                rental: Some(rental.id),
            },
            None,
        )?;
        if a.post_now {
            post_rider_accruals(ctx, c, rider, ctx.now)?;
        }
    }
    if plan.late_fine.is_positive() {
        let fine = passes::insert_fine(
            c,
            rider,
            FineKind::Late,
            plan.late_fine,
            Some(rental.id),
            "late return (R7, D4)",
            "system",
            ctx.now,
            FineStatus::Posted,
        )?;
        post_fine(
            ctx,
            c,
            rider,
            fine,
            FineKind::Late,
            plan.late_fine,
            &system,
            "late return (R7, D4)",
            None,
        )?;
    }
    if plan.deposit_capture.is_positive() {
        let mut e = NewEntry::new(
            rider,
            ctx.now,
            EntryKind::DepositCapture,
            &system,
            "daily pass overuse (R5)",
        );
        e.moves = Moves {
            deposit: -plan.deposit_capture,
            ..Moves::default()
        };
        e.rental = Some(rental.id);
        sl::append(c, &e)?;
    }
    if plan.remaining_charge.is_positive() {
        let mut e = NewEntry::new(
            rider,
            ctx.now,
            EntryKind::DepositCapture,
            &system,
            "daily pass overuse beyond the deposit (R5)",
        );
        e.rental = Some(rental.id);
        post_charge(ctx, c, e, plan.remaining_charge)?;
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
    // R27: one message per ending. A staff member's ending is told by its caller (when and
    // where it counted, or the docking dispute's settlement, which says it all at once).
    if how != EndHow::Staff {
        ctx.notify(
            c,
            rider,
            Notice::RentalEnded {
                minutes: q.minutes,
                price: q.total,
            },
        )?;
    }
    ctx.emit(Event::RentalEnded {
        rider,
        bike: rental.bike.0,
        station: Some(station),
        charge: q.total.0,
    });
    ctx.emit(Event::StationChanged { station });
    Ok(q)
}
