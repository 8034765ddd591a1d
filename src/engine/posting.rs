//! Charges, credits and the nightly posting (R17–R19, D10–D12, D16): the one place where
//! money moves on an account, so every path keeps balance = sum of entries.

use super::{Ctx, Engine, Event, PostingReport, Result};
use crate::domain::ledger::{self, Actor, EntryKind, Moves};
use crate::domain::messages::Notice;
use crate::domain::{EntryId, RiderId, Tenge};
use crate::store::ledger::{self as sl, NewEntry};
use crate::store::{self, fleet, passes, people};
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// Post a charge now (fines, overuse past the deposit, immediate postings): bonus pays trip
/// charges first (D11), the uncovered part becomes an open debt (D10), and a balance at
/// zero or below restricts the rider (R18).
pub(super) fn post_charge(
    ctx: &Ctx<'_>,
    c: &Connection,
    mut entry: NewEntry<'_>,
    amount: Tenge,
) -> Result<EntryId> {
    let account = sl::account(c, entry.rider)?;
    let split = ledger::split_charge(&account, entry.kind, amount);
    entry.moves.money += split.money;
    entry.moves.bonus += split.bonus;
    let id = sl::append(c, &entry)?;
    if split.new_debt.is_positive() {
        sl::add_debt(c, id, entry.rider, split.new_debt)?;
    }
    let balance = account.balance + split.money;
    if ledger::restricts(balance) {
        restrict(ctx, c, entry.rider, balance)?;
    }
    Ok(id)
}

/// Incoming money (payment, claim credit, positive correction): settle debts oldest first
/// (R19, D10), then see whether the restriction lifts (R18, D12).
pub(super) fn post_credit(
    ctx: &Ctx<'_>,
    c: &Connection,
    mut entry: NewEntry<'_>,
    amount: Tenge,
) -> Result<EntryId> {
    let account = sl::account(c, entry.rider)?;
    entry.moves.money += amount;
    let id = sl::append(c, &entry)?;
    for (debt, paid) in ledger::settle_debts(&account, amount) {
        sl::add_settlement(c, id, debt, paid)?;
    }
    maybe_lift(ctx, c, entry.rider)?;
    Ok(id)
}

fn restrict(ctx: &Ctx<'_>, c: &Connection, rider: RiderId, balance: Tenge) -> Result<()> {
    let r = ctx.rider(c, rider)?;
    if r.restricted {
        return Ok(());
    }
    let reason = format!(
        "balance {balance} at the posting of {} (R18)",
        ctx.local(ctx.now)
    );
    people::set_restricted(c, rider, Some(&reason))?;
    ctx.notify(c, rider, Notice::Restricted { balance })?;
    ctx.emit(Event::Alert {
        kind: "restricted".into(),
        text: format!("rider {rider} restricted: {reason}"),
        rider: Some(rider),
        station: None,
    });
    Ok(())
}

/// R18, D12: lift a system restriction once the debt is paid and the latest pass's fee is
/// there in advance. A restriction imposed by hand stays until lifted by hand.
pub(super) fn maybe_lift(ctx: &Ctx<'_>, c: &Connection, rider: RiderId) -> Result<bool> {
    let r = ctx.rider(c, rider)?;
    if !r.restricted
        || r.restricted_reason
            .as_deref()
            .is_some_and(|s| s.starts_with("by "))
    {
        return Ok(false);
    }
    let fee = passes::passes_of(c, rider)?
        .first()
        .map(|p| p.price)
        .unwrap_or(Tenge::ZERO);
    let account = sl::account(c, rider)?;
    if ledger::restriction_lifts(&account, fee) {
        people::set_restricted(c, rider, None)?;
        ctx.notify(c, rider, Notice::RestrictionLifted)?;
        ctx.emit(Event::RiderChanged { rider });
        return Ok(true);
    }
    Ok(false)
}

/// Post every accrual of `rider` due by `until` (at its due time), as the nightly posting
/// does; used at midnight, and at once for trips ended by hand in the past.
pub(super) fn post_rider_accruals(
    ctx: &Ctx<'_>,
    c: &Connection,
    rider: RiderId,
    until: DateTime<Utc>,
) -> Result<u64> {
    let due: Vec<_> = sl::pending_accruals(c, rider)?
        .into_iter()
        .filter(|a| a.due_at <= until)
        .collect();
    post_accruals(ctx, c, &due)
}

fn post_accruals(ctx: &Ctx<'_>, c: &Connection, due: &[sl::Accrual]) -> Result<u64> {
    // One rider at a time (`due` comes ordered by rider): the account is loaded once, the
    // entries appended, and the cached balances moved once — the same entries and debts
    // as posting each charge alone, in a fraction of the statements.
    let system = Actor::System;
    let mut n = 0;
    for group in due.chunk_by(|a, b| a.rider == b.rider) {
        let rider = group[0].rider;
        let mut account = sl::account(c, rider)?;
        let mut moved = Moves::default();
        let mut accrued = Tenge::ZERO;
        for a in group {
            let split = ledger::split_charge(&account, a.kind, a.amount);
            let mut e = NewEntry::new(rider, a.due_at, a.kind, &system, &a.label);
            e.accrual = Some(a.id);
            e.rental = a.rental;
            e.moves = Moves {
                money: split.money,
                bonus: split.bonus,
                ..Moves::default()
            };
            let id = sl::insert_entry(c, &e)?;
            if split.new_debt.is_positive() {
                sl::add_debt(c, id, rider, split.new_debt)?;
                account.open_debts.push(ledger::OpenDebt {
                    entry: id,
                    remaining: split.new_debt,
                });
            }
            account.balance += split.money;
            account.bonus += split.bonus;
            moved += e.moves;
            accrued -= a.amount;
            n += 1;
        }
        sl::move_balances(c, rider, moved, accrued)?;
        // Charges only lower the balance: at or below zero at the end means it was at some
        // point of this posting (R18).
        if ledger::restricts(account.balance) {
            restrict(ctx, c, rider, account.balance)?;
        }
    }
    Ok(n)
}

impl Engine {
    /// The nightly posting at local midnight `m` (R17): post what is due, restrict (R18),
    /// lift (D12), release deposits whose pass window is over (D16). Idempotent: each
    /// accrual posts once, and `posted_through` moves past `m` in the same transaction.
    pub(super) fn nightly_posting(&mut self, m: DateTime<Utc>) -> Result<PostingReport> {
        self.write(|ctx, c| {
            let mut report = PostingReport {
                midnights: 1,
                ..PostingReport::default()
            };
            let due = sl::due_accruals(c, m)?;
            let mut riders: Vec<RiderId> = due.iter().map(|a| a.rider).collect();
            riders.dedup();
            let was_restricted = people::count_restricted(c)?;
            report.entries = post_accruals(ctx, c, &due)?;
            report.total = due.iter().map(|a| a.amount.0).sum();
            report.riders = riders.len() as u64;
            for r in &riders {
                if maybe_lift(ctx, c, *r)? {
                    report.lifted += 1;
                }
            }
            report.restricted =
                (people::count_restricted(c)? + report.lifted).saturating_sub(was_restricted);
            let system = Actor::System;
            for rider in passes::deposit_release_candidates(c, m)? {
                let held = sl::account(c, rider)?.deposit;
                let mut e = NewEntry::new(
                    rider,
                    m,
                    EntryKind::DepositRelease,
                    &system,
                    "pass window over (D16)",
                );
                e.moves = Moves {
                    deposit: -held,
                    ..Moves::default()
                };
                sl::append(c, &e)?;
                report.deposits_released += 1;
            }
            store::set_meta(c, sl::POSTED_THROUGH, &store::ts(m).to_string())?;
            if report.entries > 0 {
                ctx.emit(Event::LedgerPosted {
                    rider: None,
                    entries: report.entries,
                });
            }
            Ok(report)
        })
    }

    /// R15: mark rentals past 24 h as overdue (once), raise the alert, tell the rider.
    pub(super) fn mark_overdue(&mut self, at: DateTime<Utc>) -> Result<()> {
        let hours = self.tariff_at(at).late_after_hours;
        self.write(|ctx, c| {
            let cutoff = at - chrono::Duration::hours(hours);
            for r in fleet::rentals_becoming_overdue(c, cutoff)? {
                let when =
                    r.start_at + chrono::Duration::hours(hours) + chrono::Duration::seconds(1);
                fleet::set_overdue(c, r.id, when)?;
                ctx.notify(c, r.rider, Notice::Overdue)?;
                ctx.emit(Event::Alert {
                    kind: "overdue".into(),
                    text: format!(
                        "bike {} with rider {} is over {hours} h out (R15)",
                        r.bike, r.rider
                    ),
                    rider: Some(r.rider),
                    station: None,
                });
            }
            Ok(())
        })
    }
}
