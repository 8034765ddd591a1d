//! Charges, credits and the nightly posting (R17–R19, D10–D12, D16): the one place where
//! money moves on an account, so every path keeps balance = sum of entries.

use super::{Ctx, Engine, Event, PostingReport, Result};
use crate::domain::ledger::{self, Actor, EntryKind, Moves};
use crate::domain::messages::Notice;
use crate::domain::rules::RestrictionSource;
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
    people::set_restricted(c, rider, Some((RestrictionSource::System, &reason)))?;
    fleet::cancel_unlocks(
        c,
        None,
        Some(rider),
        ctx.now,
        crate::domain::Refusal::Restricted,
    )?;
    ctx.notify(c, rider, Notice::Restricted { balance })?;
    ctx.emit(Event::Alert {
        kind: crate::api::AlertKind::RestrictedInDebt,
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
    if !r.restricted || r.restriction == Some(RestrictionSource::Hand) {
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

fn post_accruals(ctx: &Ctx<'_>, c: &Connection, due: &[crate::api::Accrual]) -> Result<u64> {
    let mut n = 0;
    for group in due.chunk_by(|a, b| a.rider == b.rider) {
        n += post_rider_group(ctx, c, group)?.0;
    }
    Ok(n)
}

/// Post one rider's due accruals (all of `group` are the same rider's, oldest first): the
/// account is loaded once, the entries appended, and the cached balances written once — the
/// same entries and debts as posting each charge alone, in a fraction of the statements.
/// Returns the entries posted and the balance after them.
fn post_rider_group(
    ctx: &Ctx<'_>,
    c: &Connection,
    group: &[crate::api::Accrual],
) -> Result<(u64, Tenge)> {
    let Some(first) = group.first() else {
        return Ok((0, Tenge::ZERO));
    };
    let system = Actor::System;
    let rider = first.rider;
    let mut account = sl::account(c, rider)?;
    let mut n = 0;
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
        // D30: every kept sum checked as it moves (the account was read in this unit, which
        // no one else writes: its sums are the row's).
        account.balance = account.balance.plus(split.money, "the balance")?;
        account.bonus = account.bonus.plus(split.bonus, "the bonus")?;
        account.accrued = account.accrued.plus(-a.amount, "the accrued total")?;
        n += 1;
    }
    sl::set_balances(c, rider, &account)?;
    // Charges only lower the balance: at or below zero at the end means it was at some
    // point of this posting (R18).
    if ledger::restricts(account.balance) {
        restrict(ctx, c, rider, account.balance)?;
    }
    Ok((n, account.balance))
}

/// D31: run `f` for one rider of a nightly posting in a savepoint of its own: if it fails,
/// what it wrote and emitted is undone, and the error comes back for the caller to name in
/// an alert, while the posting goes on for everyone else.
fn isolated<T>(
    ctx: &Ctx<'_>,
    c: &Connection,
    f: impl FnOnce() -> Result<T>,
) -> Result<std::result::Result<T, super::EngineError>> {
    let mark = ctx.events.borrow().len();
    let out = store::Store::savepoint(c, f)?;
    if out.is_err() {
        ctx.events.borrow_mut().truncate(mark);
    }
    Ok(out)
}

/// D31: the rider whose posting at `m` failed is named in an alert and the log, and kept
/// in `posting_failures` until a later posting of theirs succeeds.
fn posting_failed(
    ctx: &Ctx<'_>,
    c: &Connection,
    rider: RiderId,
    m: DateTime<Utc>,
    what: &str,
    e: &super::EngineError,
) -> Result<()> {
    log::error!(
        "nightly posting of {}: rider {rider} not posted ({what}): {e}; every other rider posted (D31)",
        ctx.local(m)
    );
    sl::record_posting_failure(c, rider, m, ctx.now, &format!("{what}: {e}"))?;
    ctx.emit(Event::Alert {
        kind: crate::api::AlertKind::PostingFailed,
        text: format!(
            "the nightly posting of {} failed for rider {rider} ({what}: {e}); the others posted — a supervisor must mend the account (D31)",
            ctx.local(m)
        ),
        rider: Some(rider),
        station: None,
    });
    Ok(())
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
            let mut due = sl::due_accruals(c, m)?;
            // D31: riders whose posting failed before are tried again with all they owe.
            let failed_before = sl::posting_failures(c)?;
            let retried: std::collections::HashSet<RiderId> =
                failed_before.iter().map(|(r, _)| *r).collect();
            for (rider, _) in &failed_before {
                due.retain(|a| a.rider != *rider);
                due.extend(
                    sl::pending_accruals(c, *rider)?
                        .into_iter()
                        .filter(|a| a.due_at <= m),
                );
            }
            due.sort_by_key(|a| (a.rider, a.due_at, a.id));
            let was_restricted = people::count_restricted(c)?;
            for group in due.chunk_by(|a, b| a.rider == b.rider) {
                let rider = group[0].rider;
                let posted = isolated(ctx, c, || {
                    let (n, balance) = post_rider_group(ctx, c, group)?;
                    // D12 lifts only at a positive balance: none to look for below it.
                    let lifted = balance.is_positive() && maybe_lift(ctx, c, rider)?;
                    Ok((n, lifted))
                })?;
                match posted {
                    Ok((n, lifted)) => {
                        report.entries += n;
                        report.riders += 1;
                        report.total = report.total.saturating_add(
                            group
                                .iter()
                                .map(|a| a.amount.0)
                                .fold(0, i64::saturating_add),
                        );
                        report.lifted += u64::from(lifted);
                        if retried.contains(&rider) {
                            sl::clear_posting_failure(c, rider)?;
                        }
                    }
                    Err(e) => {
                        report.failed += 1;
                        posting_failed(ctx, c, rider, m, "its charges", &e)?;
                    }
                }
            }
            report.restricted =
                (people::count_restricted(c)? + report.lifted).saturating_sub(was_restricted);
            let system = Actor::System;
            for rider in passes::deposit_release_candidates(c, m)? {
                let released = isolated(ctx, c, || {
                    let held = sl::account(c, rider)?.deposit;
                    let mut e = NewEntry::new(
                        rider,
                        m,
                        EntryKind::DepositRelease,
                        &system,
                        "pass window over (D16)",
                    );
                    e.moves = Moves {
                        deposit: held.checked_neg().unwrap_or(Tenge::ZERO),
                        ..Moves::default()
                    };
                    sl::append(c, &e)?;
                    Ok(())
                })?;
                match released {
                    Ok(()) => report.deposits_released += 1,
                    Err(e) => {
                        report.failed += 1;
                        posting_failed(ctx, c, rider, m, "its deposit release", &e)?;
                    }
                }
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

    /// R15, D20, D24: mark open rentals overdue (once) — 24 h after the bike was taken on a
    /// monthly-type pass, past the window on a daily pass — raise the alert, tell the rider.
    pub(super) fn mark_overdue(&mut self, at: DateTime<Utc>) -> Result<()> {
        let hours = self.tariff_at(at).late_after_hours;
        self.write(|ctx, c| {
            let cutoff = at - chrono::Duration::hours(hours);
            for r in fleet::rentals_becoming_overdue(c, cutoff)? {
                let from = super::settling::rental_overdue_from(ctx.tariff, c, &r)?;
                if at <= from {
                    continue;
                }
                fleet::set_overdue(c, r.id, from + chrono::Duration::seconds(1))?;
                ctx.notify(c, r.rider, Notice::Overdue)?;
                ctx.emit(Event::Alert {
                    kind: crate::api::AlertKind::Overdue,
                    text: format!(
                        "bike {} with rider {} is overdue since {} (R15, D20)",
                        r.bike,
                        r.rider,
                        ctx.local(from)
                    ),
                    rider: Some(r.rider),
                    station: None,
                });
            }
            Ok(())
        })
    }
}
