//! Passes bought and fines entered.

use super::{Result, from_ts, ts};
use crate::api::{Fine, Pass};
use crate::domain::fine::{FineKind, FineStatus};
use crate::domain::{EntryId, RentalId, RiderId, Tenge};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

const PASS_COLS: &str = "id, rider_id, pass, label, price, bought_at, starts_at, ends_at, ended_at,
    all_inclusive, deposit, overuse_per_day, period_end";

fn pass_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Pass> {
    Ok(Pass {
        id: r.get(0)?,
        rider: RiderId(r.get(1)?),
        pass: r.get(2)?,
        label: r.get(3)?,
        price: Tenge(r.get(4)?),
        bought_at: from_ts(r.get(5)?),
        starts_at: from_ts(r.get(6)?),
        ends_at: from_ts(r.get(7)?),
        ended_at: r.get::<_, Option<i64>>(8)?.map(from_ts),
        all_inclusive: r.get(9)?,
        deposit: Tenge(r.get(10)?),
        overuse_per_day: Tenge(r.get(11)?),
        period_end: r.get::<_, Option<i64>>(12)?.map(from_ts),
    })
}

pub fn insert_pass(c: &Connection, p: &Pass) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO passes (rider_id, pass, label, price, bought_at, starts_at, ends_at,
                             all_inclusive, deposit, overuse_per_day, period_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        p.rider.0,
        p.pass,
        p.label,
        p.price.0,
        ts(p.bought_at),
        ts(p.starts_at),
        ts(p.ends_at),
        p.all_inclusive,
        p.deposit.0,
        p.overuse_per_day.0,
        p.period_end.map(ts),
    ])?;
    Ok(c.last_insert_rowid())
}

/// Passes not ended early that run into or begin after `from` (D21: the ones a change of
/// the season beginning on `from` applies to).
pub fn passes_from(c: &Connection, from: DateTime<Utc>) -> Result<Vec<Pass>> {
    let mut st = c.prepare(&format!(
        "SELECT {PASS_COLS} FROM passes WHERE ended_at IS NULL AND (ends_at > ?1 OR starts_at >= ?1)"
    ))?;
    let rows = st.query_map([ts(from)], pass_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Move a pass's end (D21).
pub fn set_pass_end(c: &Connection, id: i64, ends_at: DateTime<Utc>) -> Result<()> {
    c.execute(
        "UPDATE passes SET ends_at = ?2 WHERE id = ?1",
        params![id, ts(ends_at)],
    )?;
    Ok(())
}

pub fn pass(c: &Connection, id: i64) -> Result<Option<Pass>> {
    Ok(
        c.prepare_cached(&format!("SELECT {PASS_COLS} FROM passes WHERE id = ?1"))?
            .query_row([id], pass_row)
            .optional()?,
    )
}

/// A rider's passes, newest first.
pub fn passes_of(c: &Connection, rider: RiderId) -> Result<Vec<Pass>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {PASS_COLS} FROM passes WHERE rider_id = ?1 ORDER BY starts_at DESC, id DESC"
    ))?;
    let rows = st.query_map([rider.0], pass_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn end_passes(c: &Connection, rider: RiderId, at: DateTime<Utc>) -> Result<()> {
    c.execute(
        "UPDATE passes SET ended_at = ?2 WHERE rider_id = ?1 AND ended_at IS NULL AND ends_at > ?2",
        params![rider.0, ts(at)],
    )?;
    Ok(())
}

/// Riders holding a deposit whose last all-inclusive pass window ended by `at` (D16).
pub fn deposit_release_candidates(c: &Connection, at: DateTime<Utc>) -> Result<Vec<RiderId>> {
    let mut st = c.prepare_cached(
        "SELECT r.id FROM riders r
         WHERE r.deposit > 0
           AND EXISTS (SELECT 1 FROM passes p WHERE p.rider_id = r.id AND p.all_inclusive = 1
                       AND MIN(p.ends_at, COALESCE(p.ended_at, p.ends_at)) <= ?1)
           AND NOT EXISTS (SELECT 1 FROM passes p WHERE p.rider_id = r.id AND p.all_inclusive = 1
                       AND MIN(p.ends_at, COALESCE(p.ended_at, p.ends_at)) > ?1)
           AND NOT EXISTS (SELECT 1 FROM rentals x WHERE x.rider_id = r.id AND x.end_at IS NULL)",
    )?;
    let rows = st.query_map([ts(at)], |r| Ok(RiderId(r.get(0)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const FINE_COLS: &str = "id, rider_id, kind, amount, rental_id, note, entered_by, entered_at, status, decided_by, entry_id";

fn fine_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Fine> {
    Ok(Fine {
        id: r.get(0)?,
        rider: RiderId(r.get(1)?),
        kind: super::word(r, 2, FineKind::parse)?,
        amount: Tenge(r.get(3)?),
        rental: r.get::<_, Option<i64>>(4)?.map(RentalId),
        note: r.get(5)?,
        entered_by: r.get(6)?,
        entered_at: from_ts(r.get(7)?),
        status: super::word(r, 8, FineStatus::parse)?,
        decided_by: r.get(9)?,
        entry: r.get::<_, Option<i64>>(10)?.map(EntryId),
    })
}

#[allow(clippy::too_many_arguments)]
pub fn insert_fine(
    c: &Connection,
    rider: RiderId,
    kind: FineKind,
    amount: Tenge,
    rental: Option<RentalId>,
    note: &str,
    entered_by: &str,
    at: DateTime<Utc>,
    status: FineStatus,
) -> Result<i64> {
    c.execute(
        "INSERT INTO fines (rider_id, kind, amount, rental_id, note, entered_by, entered_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            rider.0,
            kind.as_str(),
            amount.0,
            rental.map(|r| r.0),
            note,
            entered_by,
            ts(at),
            status.as_str()
        ],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn set_fine_posted(
    c: &Connection,
    id: i64,
    entry: EntryId,
    decided_by: Option<&str>,
    at: DateTime<Utc>,
) -> Result<()> {
    c.execute(
        "UPDATE fines SET status = 'posted', entry_id = ?2, decided_by = COALESCE(?3, decided_by),
                          decided_at = CASE WHEN ?3 IS NULL THEN decided_at ELSE ?4 END
         WHERE id = ?1",
        params![id, entry.0, decided_by, ts(at)],
    )?;
    Ok(())
}

/// D14: a fine waiting for approval is rejected; nothing is posted.
pub fn set_fine_rejected(
    c: &Connection,
    id: i64,
    decided_by: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    c.execute(
        "UPDATE fines SET status = 'rejected', decided_by = ?2, decided_at = ?3 WHERE id = ?1",
        params![id, decided_by, ts(at)],
    )?;
    Ok(())
}

pub fn oldest_pending_fine(c: &Connection, rider: RiderId) -> Result<Option<Fine>> {
    Ok(c
        .prepare_cached(&format!(
            "SELECT {FINE_COLS} FROM fines WHERE rider_id = ?1 AND status = 'pending' ORDER BY id LIMIT 1"
        ))?
        .query_row([rider.0], fine_row)
        .optional()?)
}

pub fn fines_of(c: &Connection, rider: RiderId) -> Result<Vec<Fine>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {FINE_COLS} FROM fines WHERE rider_id = ?1 ORDER BY id"
    ))?;
    let rows = st.query_map([rider.0], fine_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn pending_fines(c: &Connection, limit: usize) -> Result<Vec<Fine>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {FINE_COLS} FROM fines WHERE status = 'pending' ORDER BY id LIMIT ?1"
    ))?;
    let rows = st.query_map([limit as i64], fine_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
