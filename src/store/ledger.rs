//! Ledger persistence: entries (append-only), open debts and settlements, accruals and the
//! cached balances that `check` re-verifies from the entries alone.

use super::{Result, from_ts, ts};
use crate::api::{Accrual, Entry, Mismatch, PostingFailure};
use crate::domain::ledger::{Account, Actor, EntryKind, Moves, OpenDebt};
use crate::domain::{EntryId, RentalId, RiderId, Tenge};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

/// An entry to append.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub rider: RiderId,
    pub at: DateTime<Utc>,
    pub kind: EntryKind,
    pub moves: Moves,
    pub actor: &'a Actor,
    pub reason: &'a str,
    pub method: Option<&'a str>,
    pub corrects: Option<EntryId>,
    pub rental: Option<RentalId>,
    pub fine: Option<i64>,
    pub accrual: Option<i64>,
}

impl<'a> NewEntry<'a> {
    pub fn new(
        rider: RiderId,
        at: DateTime<Utc>,
        kind: EntryKind,
        actor: &'a Actor,
        reason: &'a str,
    ) -> Self {
        NewEntry {
            rider,
            at,
            kind,
            moves: Moves::default(),
            actor,
            reason,
            method: None,
            corrects: None,
            rental: None,
            fine: None,
            accrual: None,
        }
    }
}

/// Append an entry and move the cached balances with it, in the caller's transaction.
pub fn append(c: &Connection, e: &NewEntry<'_>) -> Result<EntryId> {
    let id = insert_entry(c, e)?;
    move_balances(c, e.rider, e.moves, Tenge::ZERO)?;
    Ok(id)
}

/// Move a rider's cached balances (money, bonus, deposit, and accrued by `accrued`).
/// Callers that append entries with [`insert_entry`] move the balances once per rider.
/// Each new sum is computed here with checked arithmetic: one that would not fit is
/// refused (D30) and nothing is written — SQLite would turn it into a REAL.
pub fn move_balances(c: &Connection, rider: RiderId, m: Moves, accrued: Tenge) -> Result<()> {
    let now: (i64, i64, i64, i64) = c
        .prepare_cached("SELECT balance, bonus, deposit, accrued FROM riders WHERE id = ?1")?
        .query_row([rider.0], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let of = |what: &str| format!("rider {rider}'s {what}");
    let balance = Tenge(now.0).plus(m.money, &of("balance"))?;
    let bonus = Tenge(now.1).plus(m.bonus, &of("bonus"))?;
    let deposit = Tenge(now.2).plus(m.deposit, &of("deposit"))?;
    let accrued = Tenge(now.3).plus(accrued, &of("accrued total"))?;
    write_balances(c, rider, [balance, bonus, deposit, accrued])
}

/// The one statement that writes the cached balances: money, bonus, deposit, accrued.
fn write_balances(c: &Connection, rider: RiderId, sums: [Tenge; 4]) -> Result<()> {
    let [balance, bonus, deposit, accrued] = sums;
    c.prepare_cached(
        "UPDATE riders SET balance = ?2, bonus = ?3, deposit = ?4, accrued = ?5 WHERE id = ?1",
    )?
    .execute(params![rider.0, balance.0, bonus.0, deposit.0, accrued.0])?;
    Ok(())
}

/// Write a rider's cached balances as `account` holds them, its sums already checked by the
/// caller that read it in this transaction and moved it ([`move_balances`] reads them first).
pub fn set_balances(c: &Connection, rider: RiderId, account: &Account) -> Result<()> {
    let a = account;
    write_balances(c, rider, [a.balance, a.bonus, a.deposit, a.accrued])
}

/// Insert an entry row only; the caller moves the cached balances ([`set_balances`]).
pub fn insert_entry(c: &Connection, e: &NewEntry<'_>) -> Result<EntryId> {
    c.prepare_cached(
        "INSERT INTO ledger (rider_id, at, kind, money, bonus, deposit, actor, reason, method,
                             corrects, rental_id, fine_id, accrual_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        e.rider.0,
        ts(e.at),
        e.kind.as_str(),
        e.moves.money.0,
        e.moves.bonus.0,
        e.moves.deposit.0,
        e.actor.to_string(),
        e.reason,
        e.method,
        e.corrects.map(|x| x.0),
        e.rental.map(|x| x.0),
        e.fine,
        e.accrual,
    ])?;
    Ok(EntryId(c.last_insert_rowid()))
}

/// The posted state of an account: cached balances and open debts, oldest first.
pub fn account(c: &Connection, rider: RiderId) -> Result<Account> {
    let (balance, bonus, deposit, accrued) = c
        .prepare_cached("SELECT balance, bonus, deposit, accrued FROM riders WHERE id = ?1")?
        .query_row([rider.0], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    Ok(Account {
        balance: Tenge(balance),
        bonus: Tenge(bonus),
        deposit: Tenge(deposit),
        accrued: Tenge(accrued),
        open_debts: open_debts(c, rider)?,
    })
}

pub fn open_debts(c: &Connection, rider: RiderId) -> Result<Vec<OpenDebt>> {
    let mut st = c.prepare_cached(
        "SELECT d.entry_id,
                d.amount - COALESCE((SELECT SUM(s.amount) FROM settlements s
                                     WHERE s.debt_entry = d.entry_id), 0) AS remaining
         FROM debts d WHERE d.rider_id = ?1 AND remaining > 0 ORDER BY d.entry_id",
    )?;
    let rows = st.query_map([rider.0], |r| {
        Ok(OpenDebt {
            entry: EntryId(r.get(0)?),
            remaining: Tenge(r.get(1)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn add_debt(c: &Connection, entry: EntryId, rider: RiderId, amount: Tenge) -> Result<()> {
    c.prepare_cached("INSERT INTO debts (entry_id, rider_id, amount) VALUES (?1, ?2, ?3)")?
        .execute(params![entry.0, rider.0, amount.0])?;
    Ok(())
}

pub fn add_settlement(c: &Connection, credit: EntryId, debt: EntryId, amount: Tenge) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO settlements (credit_entry, debt_entry, amount) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![credit.0, debt.0, amount.0])?;
    Ok(())
}

pub fn add_accrual(c: &Connection, a: &Accrual, pass: Option<i64>) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO accruals (rider_id, kind, amount, at, due_at, label, rental_id, pass_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        a.rider.0,
        a.kind.as_str(),
        a.amount.0,
        ts(a.at),
        ts(a.due_at),
        a.label,
        a.rental.map(|r| r.0),
        pass,
    ])?;
    let id = c.last_insert_rowid();
    move_balances(c, a.rider, Moves::default(), a.amount)?;
    Ok(id)
}

fn accrual_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Accrual> {
    let kind: String = r.get(2)?;
    Ok(Accrual {
        id: r.get(0)?,
        rider: RiderId(r.get(1)?),
        kind: EntryKind::parse(&kind).unwrap_or(EntryKind::TripCharge),
        amount: Tenge(r.get(3)?),
        at: from_ts(r.get(4)?),
        due_at: from_ts(r.get(5)?),
        label: r.get(6)?,
        rental: r.get::<_, Option<i64>>(7)?.map(RentalId),
    })
}

const ACCRUAL_COLS: &str = "id, rider_id, kind, amount, at, due_at, label, rental_id";

/// The meta key of the last midnight posted: every accrual due at or before it is posted
/// (the nightly posting moves it in the transaction that posts them; an accrual created
/// already due is posted in the transaction that creates it).
pub const POSTED_THROUGH: &str = "posted_through";

/// An accrual is posted once its entry exists (`ledger.accrual_id`, unique: once only).
/// The accrual row itself is never updated — marking each one cost as much as posting it
/// (BENCHMARKS.md). `posted_entry` is only set on rows posted before that change.
const UNPOSTED: &str = "posted_entry IS NULL
     AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.accrual_id = accruals.id)";

fn posted_through(c: &Connection) -> Result<i64> {
    Ok(super::get_meta(c, POSTED_THROUGH)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(i64::MIN))
}

/// Accruals due at or before `until`, by rider then age (one pass per rider). Only those
/// due after the last midnight posted are looked at: the ones before are all posted.
pub fn due_accruals(c: &Connection, until: DateTime<Utc>) -> Result<Vec<Accrual>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {ACCRUAL_COLS} FROM accruals
         WHERE due_at > ?1 AND due_at <= ?2 AND {UNPOSTED}"
    ))?;
    let rows = st.query_map(params![posted_through(c)?, ts(until)], accrual_row)?;
    let mut due: Vec<Accrual> = rows.collect::<rusqlite::Result<_>>()?;
    // Sorted here rather than by SQLite: a night's million rows sort faster in memory.
    due.sort_unstable_by_key(|a| (a.rider, a.due_at, a.id));
    Ok(due)
}

/// The earliest instant any unposted accrual is due.
pub fn next_due(c: &Connection) -> Result<Option<DateTime<Utc>>> {
    let t: Option<i64> = c
        .prepare_cached(&format!(
            "SELECT MIN(due_at) FROM accruals WHERE due_at > ?1 AND {UNPOSTED}"
        ))?
        .query_row([posted_through(c)?], |r| r.get(0))?;
    Ok(t.map(from_ts))
}

/// A rider's accruals not posted yet (all of them: one just created may be due already).
pub fn pending_accruals(c: &Connection, rider: RiderId) -> Result<Vec<Accrual>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {ACCRUAL_COLS} FROM accruals
         WHERE rider_id = ?1 AND {UNPOSTED} ORDER BY due_at, id"
    ))?;
    let rows = st.query_map([rider.0], accrual_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Accruals due at or before `until` that no midnight posting will take: the ones due at
/// or before the last midnight posted and still without their entry (`check`: none).
pub fn missed_accruals(c: &Connection) -> Result<Vec<Accrual>> {
    let mut st = c.prepare(&format!(
        "SELECT {ACCRUAL_COLS} FROM accruals WHERE due_at <= ?1 AND {UNPOSTED} ORDER BY id"
    ))?;
    let rows = st.query_map([posted_through(c)?], accrual_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sum of charges accrued for a rental chain so far (D3: a chain is priced as a whole).
pub fn accrued_for_rentals(c: &Connection, rentals: &[RentalId]) -> Result<Tenge> {
    let mut total = Tenge::ZERO;
    let mut st = c.prepare_cached(
        "SELECT COALESCE(SUM(amount), 0) FROM accruals WHERE rental_id = ?1 AND kind = 'trip-charge'",
    )?;
    for r in rentals {
        total += Tenge(st.query_row([r.0], |row| row.get(0))?);
    }
    Ok(total)
}

/// A rider's ledger, oldest first, with running balance and the settlement links.
pub fn entries(c: &Connection, rider: RiderId) -> Result<Vec<Entry>> {
    let mut st = c.prepare_cached(
        "SELECT id, at, kind, money, bonus, deposit, actor, reason, method, corrects, rental_id
         FROM ledger WHERE rider_id = ?1 ORDER BY id",
    )?;
    let mut running = Tenge::ZERO;
    let mut out = Vec::new();
    let rows = st.query_map([rider.0], |r| {
        Ok(Entry {
            id: EntryId(r.get(0)?),
            rider,
            at: from_ts(r.get(1)?),
            kind: r.get(2)?,
            money: Tenge(r.get(3)?),
            bonus: Tenge(r.get(4)?),
            deposit: Tenge(r.get(5)?),
            actor: r.get(6)?,
            reason: r.get(7)?,
            method: r.get(8)?,
            corrects: r.get::<_, Option<i64>>(9)?.map(EntryId),
            rental: r.get::<_, Option<i64>>(10)?.map(RentalId),
            running: Tenge::ZERO,
            settled: Vec::new(),
            settled_by: Vec::new(),
        })
    })?;
    for row in rows {
        let mut e = row?;
        running += e.money;
        e.running = running;
        out.push(e);
    }
    let mut st = c.prepare_cached(
        "SELECT s.credit_entry, s.debt_entry, s.amount FROM settlements s
         JOIN debts d ON d.entry_id = s.debt_entry WHERE d.rider_id = ?1 ORDER BY s.id",
    )?;
    let links = st.query_map([rider.0], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for link in links {
        let (credit, debt, amount) = link?;
        if let Some(e) = out.iter_mut().find(|e| e.id.0 == credit) {
            e.settled.push((EntryId(debt), Tenge(amount)));
        }
        if let Some(e) = out.iter_mut().find(|e| e.id.0 == debt) {
            e.settled_by.push((EntryId(credit), Tenge(amount)));
        }
    }
    Ok(out)
}

/// D9: re-verify every account from its entries alone (and the accrued total from the
/// unposted accruals, and open debts against the balance). The sums are taken here in
/// 128 bits, not by SQLite's `SUM` (which fails the whole query on an overflow): a rider
/// whose entries do not add up to an amount that fits is a mismatch of that rider, never
/// an error for the city.
pub fn verify(c: &Connection) -> Result<Vec<Mismatch>> {
    use std::collections::BTreeMap;
    #[derive(Default)]
    struct Sums {
        money: i128,
        bonus: i128,
        deposit: i128,
        accrued: i128,
        debt: i128,
    }
    let mut sums: BTreeMap<i64, Sums> = BTreeMap::new();
    {
        let mut st = c.prepare("SELECT rider_id, money, bonus, deposit FROM ledger")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let s = sums.entry(r.get(0)?).or_default();
            s.money += i128::from(r.get::<_, i64>(1)?);
            s.bonus += i128::from(r.get::<_, i64>(2)?);
            s.deposit += i128::from(r.get::<_, i64>(3)?);
        }
    }
    {
        let mut st = c.prepare(&format!(
            "SELECT rider_id, amount FROM accruals WHERE {UNPOSTED}"
        ))?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            sums.entry(r.get(0)?).or_default().accrued += i128::from(r.get::<_, i64>(1)?);
        }
    }
    for (sql, sign) in [
        ("SELECT rider_id, amount FROM debts", 1),
        (
            "SELECT d.rider_id, s.amount FROM settlements s JOIN debts d ON d.entry_id = s.debt_entry",
            -1,
        ),
    ] {
        let mut st = c.prepare(sql)?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            sums.entry(r.get(0)?).or_default().debt += sign * i128::from(r.get::<_, i64>(1)?);
        }
    }
    let mut out = Vec::new();
    let mut st =
        c.prepare("SELECT id, balance, bonus, deposit, accrued FROM riders ORDER BY id")?;
    let mut rows = st.query([])?;
    let empty = Sums::default();
    while let Some(r) = rows.next()? {
        let rider = RiderId(r.get(0)?);
        let s = sums.get(&rider.0).unwrap_or(&empty);
        let cached: [i64; 4] = [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?];
        let checks = [
            ("balance", i128::from(cached[0]), s.money),
            ("bonus", i128::from(cached[1]), s.bonus),
            ("deposit", i128::from(cached[2]), s.deposit),
            ("accrued", i128::from(cached[3]), s.accrued),
            ("open debt", s.debt, (-s.money).max(0)),
        ];
        for (what, cached, from_entries) in checks {
            if cached != from_entries {
                out.push(Mismatch::of(rider, what, cached, from_entries));
            }
        }
    }
    for a in missed_accruals(c)? {
        out.push(Mismatch {
            rider: a.rider,
            what: format!("accrual {} due {} and never posted", a.id, ts(a.due_at)),
            cached: a.amount,
            from_entries: Tenge::ZERO,
        });
    }
    Ok(out)
}

/// D31: the rider's nightly posting at `midnight` failed with `error` (kept until one
/// succeeds; `since` is the first failure).
pub fn record_posting_failure(
    c: &Connection,
    rider: RiderId,
    midnight: DateTime<Utc>,
    now: DateTime<Utc>,
    error: &str,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO posting_failures (rider_id, since, midnight, error) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (rider_id) DO UPDATE SET midnight = excluded.midnight, error = excluded.error",
    )?
    .execute(params![rider.0, ts(now), ts(midnight), error])?;
    Ok(())
}

/// D31: the rider's posting succeeded: the failure is mended.
pub fn clear_posting_failure(c: &Connection, rider: RiderId) -> Result<()> {
    c.prepare_cached("DELETE FROM posting_failures WHERE rider_id = ?1")?
        .execute([rider.0])?;
    Ok(())
}

/// D31: riders whose last nightly posting failed, with when it first did and why.
pub fn posting_failures(c: &Connection) -> Result<Vec<(RiderId, PostingFailure)>> {
    let mut st = c.prepare_cached(
        "SELECT rider_id, since, midnight, error FROM posting_failures ORDER BY rider_id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            RiderId(r.get(0)?),
            PostingFailure {
                since: from_ts(r.get(1)?),
                midnight: from_ts(r.get(2)?),
                error: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
