//! Cases and their own log, the shift's handovers and their items (issue 17), and what a
//! handover gathers from other tables: the cable-lock permissions a staff member gave and
//! that were not used, the fines they entered that wait for approval.

use super::{Result, from_ts, ts};
use crate::api::{Case, CaseLine, CaseStatus, Handover, HandoverItem, HandoverKind};
use crate::domain::{RiderId, StationId, Tenge};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

const CASE_COLS: &str =
    "id, kind, rider_id, owner, status, next_action, due_at, opened_by, opened_at, contact_id";

fn case_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Case> {
    let status: String = r.get(4)?;
    Ok(Case {
        id: r.get(0)?,
        kind: r.get(1)?,
        rider: r.get::<_, Option<i64>>(2)?.map(RiderId),
        owner: r.get(3)?,
        status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Open),
        next_action: r.get(5)?,
        due: from_ts(r.get(6)?),
        opened_by: r.get(7)?,
        opened_at: from_ts(r.get(8)?),
        contact: r.get(9)?,
        overdue: false,
        log: Vec::new(),
    })
}

/// A new case; its id.
#[allow(clippy::too_many_arguments)]
pub fn insert_case(
    c: &Connection,
    kind: &str,
    rider: Option<RiderId>,
    owner: Option<&str>,
    next_action: &str,
    due: DateTime<Utc>,
    by: &str,
    at: DateTime<Utc>,
    contact: Option<i64>,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO cases (kind, rider_id, owner, status, next_action, due_at, opened_by,
                            opened_at, contact_id)
         VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        kind,
        rider.map(|r| r.0),
        owner,
        next_action,
        ts(due),
        by,
        ts(at),
        contact
    ])?;
    Ok(c.last_insert_rowid())
}

pub fn case(c: &Connection, id: i64) -> Result<Option<Case>> {
    Ok(
        c.prepare_cached(&format!("SELECT {CASE_COLS} FROM cases WHERE id = ?1"))?
            .query_row([id], case_row)
            .optional()?,
    )
}

/// The case's status, next action and due time as given; closed now when `status` is.
pub fn update_case(
    c: &Connection,
    id: i64,
    status: CaseStatus,
    next_action: &str,
    due: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<()> {
    let closed = (status == CaseStatus::Closed).then(|| ts(at));
    c.prepare_cached(
        "UPDATE cases SET status = ?2, next_action = ?3, due_at = ?4, closed_at = ?5 WHERE id = ?1",
    )?
    .execute(params![id, status.as_str(), next_action, ts(due), closed])?;
    Ok(())
}

pub fn set_owner(c: &Connection, id: i64, owner: Option<&str>) -> Result<()> {
    c.prepare_cached("UPDATE cases SET owner = ?2 WHERE id = ?1")?
        .execute(params![id, owner])?;
    Ok(())
}

pub fn add_case_log(
    c: &Connection,
    case: i64,
    at: DateTime<Utc>,
    staff: &str,
    text: &str,
) -> Result<()> {
    c.prepare_cached("INSERT INTO case_log (case_id, at, staff, text) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![case, ts(at), staff, text])?;
    Ok(())
}

/// The case's own log lines (`kind` "case"), oldest first.
pub fn case_log(c: &Connection, case: i64) -> Result<Vec<CaseLine>> {
    let mut st =
        c.prepare_cached("SELECT at, staff, text FROM case_log WHERE case_id = ?1 ORDER BY id")?;
    let rows = st.query_map([case], |r| {
        Ok(CaseLine {
            at: from_ts(r.get(0)?),
            kind: "case".into(),
            staff: r.get(1)?,
            text: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Cases not closed: all (`seen_by` None), or those `seen_by` owns and the desk's.
pub fn open_cases(c: &Connection, seen_by: Option<&str>) -> Result<Vec<Case>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {CASE_COLS} FROM cases WHERE status <> 'closed'
         AND (?1 IS NULL OR owner = ?1 OR owner IS NULL) ORDER BY due_at, id LIMIT 1000"
    ))?;
    let rows = st.query_map([seen_by], case_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The open cases `staff` owns.
pub fn cases_owned(c: &Connection, staff: &str) -> Result<Vec<Case>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {CASE_COLS} FROM cases WHERE status <> 'closed' AND owner = ?1 ORDER BY due_at, id"
    ))?;
    let rows = st.query_map([staff], case_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The rider's cases, newest first (closed ones too).
pub fn cases_of_rider(c: &Connection, rider: RiderId) -> Result<Vec<Case>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {CASE_COLS} FROM cases WHERE rider_id = ?1 ORDER BY id DESC LIMIT 50"
    ))?;
    let rows = st.query_map([rider.0], case_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// --- handovers ---

pub fn insert_handover(c: &Connection, staff: &str, at: DateTime<Utc>) -> Result<i64> {
    c.prepare_cached("INSERT INTO handovers (staff, at) VALUES (?1, ?2)")?
        .execute(params![staff, ts(at)])?;
    Ok(c.last_insert_rowid())
}

pub fn insert_item(
    c: &Connection,
    handover: i64,
    kind: HandoverKind,
    rider: Option<RiderId>,
    case: Option<i64>,
    text: &str,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO handover_items (handover_id, kind, rider_id, case_id, text)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        handover,
        kind.as_str(),
        rider.map(|r| r.0),
        case,
        text
    ])?;
    Ok(c.last_insert_rowid())
}

fn items(c: &Connection, handover: i64) -> Result<Vec<HandoverItem>> {
    let mut st = c.prepare_cached(
        "SELECT id, kind, rider_id, text, acked_by, acked_at FROM handover_items
         WHERE handover_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([handover], |r| {
        let kind: String = r.get(1)?;
        let acked = match (r.get::<_, Option<String>>(4)?, r.get::<_, Option<i64>>(5)?) {
            (Some(by), Some(at)) => Some((by, from_ts(at))),
            _ => None,
        };
        Ok(HandoverItem {
            id: r.get(0)?,
            kind: HandoverKind::parse(&kind).unwrap_or(HandoverKind::Note),
            rider: r.get::<_, Option<i64>>(2)?.map(RiderId),
            text: r.get(3)?,
            acked,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A handover with all its items.
pub fn handover(c: &Connection, id: i64) -> Result<Option<Handover>> {
    let head: Option<(String, i64)> = c
        .prepare_cached("SELECT staff, at FROM handovers WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((staff, at)) = head else {
        return Ok(None);
    };
    Ok(Some(Handover {
        id,
        staff,
        at: from_ts(at),
        items: items(c, id)?,
    }))
}

/// The handovers with an item nobody took over yet, oldest first, but `except`'s own.
pub fn open_handovers(c: &Connection, except: &str) -> Result<Vec<Handover>> {
    let ids: Vec<i64> = {
        let mut st = c.prepare_cached(
            "SELECT DISTINCT h.id FROM handovers h JOIN handover_items i ON i.handover_id = h.id
             WHERE i.acked_by IS NULL AND h.staff <> ?1 ORDER BY h.id LIMIT 50",
        )?;
        st.query_map([except], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut out = Vec::new();
    for id in ids {
        out.extend(handover(c, id)?);
    }
    Ok(out)
}

/// An item as its taking over needs it.
pub struct ItemRef {
    pub handover_staff: String,
    /// Whether it is an alert the handing staff member had taken (taking it over takes it).
    pub alert: bool,
    pub acked_by: Option<String>,
    pub case: Option<i64>,
    pub rider: Option<RiderId>,
    pub text: String,
}

/// The item: whose handover it is, who took it over already, its case.
pub fn item_ref(c: &Connection, item: i64) -> Result<Option<ItemRef>> {
    Ok(c.prepare_cached(
        "SELECT h.staff, i.acked_by, i.case_id, i.rider_id, i.text, i.kind = 'alert' FROM handover_items i
             JOIN handovers h ON h.id = i.handover_id WHERE i.id = ?1",
    )?
    .query_row([item], |r| {
        Ok(ItemRef {
            handover_staff: r.get(0)?,
            acked_by: r.get(1)?,
            case: r.get(2)?,
            rider: r.get::<_, Option<i64>>(3)?.map(RiderId),
            text: r.get(4)?,
            alert: r.get(5)?,
        })
    })
    .optional()?)
}

pub fn ack_item(c: &Connection, item: i64, by: &str, at: DateTime<Utc>) -> Result<()> {
    c.prepare_cached("UPDATE handover_items SET acked_by = ?2, acked_at = ?3 WHERE id = ?1")?
        .execute(params![item, by, ts(at)])?;
    Ok(())
}

/// The cable-lock permissions `staff` gave that are neither used nor expired at `now`:
/// (rider, station, valid until).
pub fn unused_cable_auths(
    c: &Connection,
    staff: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(RiderId, StationId, DateTime<Utc>)>> {
    let mut st = c.prepare_cached(
        "SELECT a.rider_id, a.station_id, a.expires_at FROM cable_auths a
         JOIN rentals r ON r.id = a.rental_id
         WHERE a.staff = ?1 AND a.used_at IS NULL AND a.expires_at > ?2 AND r.end_at IS NULL
         ORDER BY a.id",
    )?;
    let rows = st.query_map(params![staff, ts(now)], |r| {
        Ok((RiderId(r.get(0)?), StationId(r.get(1)?), from_ts(r.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The fines `staff` entered that wait for a supervisor (D14): (rider, kind, amount).
pub fn fines_waiting(c: &Connection, staff: &str) -> Result<Vec<(RiderId, String, Tenge)>> {
    let mut st = c.prepare_cached(
        "SELECT rider_id, kind, amount FROM fines WHERE status = 'pending' AND entered_by = ?1
         ORDER BY id",
    )?;
    let rows = st.query_map([staff], |r| {
        Ok((RiderId(r.get(0)?), r.get(1)?, Tenge(r.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
