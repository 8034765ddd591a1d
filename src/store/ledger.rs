//! Ledger persistence: entries (append-only), open debts and settlements, accruals and the
//! cached balances that `check` re-verifies from the entries alone.

use super::{Result, from_ts, ts};
use crate::domain::ledger::{Account, Actor, EntryKind, Moves, OpenDebt};
use crate::domain::{EntryId, RentalId, RiderId, Tenge};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

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
pub fn move_balances(c: &Connection, rider: RiderId, m: Moves, accrued: Tenge) -> Result<()> {
    c.prepare_cached(
        "UPDATE riders SET balance = balance + ?2, bonus = bonus + ?3, deposit = deposit + ?4,
                           accrued = accrued + ?5
         WHERE id = ?1",
    )?
    .execute(params![
        rider.0,
        m.money.0,
        m.bonus.0,
        m.deposit.0,
        accrued.0
    ])?;
    Ok(())
}

/// Insert an entry row only; the caller moves the cached balances ([`move_balances`]).
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

/// A charge accrued and not yet posted (R17).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Accrual {
    pub id: i64,
    pub rider: RiderId,
    pub kind: EntryKind,
    pub amount: Tenge,
    pub at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub label: String,
    pub rental: Option<RentalId>,
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
    c.prepare_cached("UPDATE riders SET accrued = accrued + ?2 WHERE id = ?1")?
        .execute(params![a.rider.0, a.amount.0])?;
    Ok(c.last_insert_rowid())
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

/// A ledger entry as shown and verified.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    pub rider: RiderId,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub money: Tenge,
    pub bonus: Tenge,
    pub deposit: Tenge,
    pub actor: String,
    pub reason: String,
    pub method: Option<String>,
    pub corrects: Option<EntryId>,
    pub rental: Option<RentalId>,
    /// Running money balance after this entry.
    pub running: Tenge,
    /// For incoming money: the debts it settled `(debt entry, amount)` (D10).
    pub settled: Vec<(EntryId, Tenge)>,
    /// For a debt: what settled it `(credit entry, amount)`.
    pub settled_by: Vec<(EntryId, Tenge)>,
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

/// A rider whose cached balances disagree with the sum of the ledger entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mismatch {
    pub rider: RiderId,
    pub what: String,
    pub cached: Tenge,
    pub from_entries: Tenge,
}

/// D9: re-verify every account from its entries alone (and the accrued total from the
/// unposted accruals, and open debts against the balance).
pub fn verify(c: &Connection) -> Result<Vec<Mismatch>> {
    let mut st = c.prepare(&format!(
        "SELECT r.id, r.balance, r.bonus, r.deposit, r.accrued,
                COALESCE(l.money, 0), COALESCE(l.bonus, 0), COALESCE(l.deposit, 0),
                COALESCE(a.amount, 0), COALESCE(d.open, 0)
         FROM riders r
         LEFT JOIN (SELECT rider_id, SUM(money) money, SUM(bonus) bonus, SUM(deposit) deposit
                    FROM ledger GROUP BY rider_id) l ON l.rider_id = r.id
         LEFT JOIN (SELECT rider_id, SUM(amount) amount FROM accruals
                    WHERE {UNPOSTED} GROUP BY rider_id) a ON a.rider_id = r.id
         LEFT JOIN (SELECT d.rider_id, SUM(d.amount - COALESCE(s.paid, 0)) open FROM debts d
                    LEFT JOIN (SELECT debt_entry, SUM(amount) paid FROM settlements
                               GROUP BY debt_entry) s ON s.debt_entry = d.entry_id
                    GROUP BY d.rider_id) d ON d.rider_id = r.id
         ORDER BY r.id"
    ))?;
    let mut out = Vec::new();
    let rows = st.query_map([], |r| {
        let v: [i64; 10] = [
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
        ];
        Ok(v)
    })?;
    for row in rows {
        let v = row?;
        let rider = RiderId(v[0]);
        let checks = [
            ("balance", v[1], v[5]),
            ("bonus", v[2], v[6]),
            ("deposit", v[3], v[7]),
            ("accrued", v[4], v[8]),
            ("open debt", v[9], (-v[5]).max(0)),
        ];
        for (what, cached, from_entries) in checks {
            if cached != from_entries {
                out.push(Mismatch {
                    rider,
                    what: what.to_string(),
                    cached: Tenge(cached),
                    from_entries: Tenge(from_entries),
                });
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
