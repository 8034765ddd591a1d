//! The audit log (who did what, never edited), the rider outbox (R27) and the event log
//! behind the live stream.

use super::{Result, from_ts, ts};
use crate::api::{AuditFilter, AuditRecord, Message};
use crate::domain::RiderId;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

/// Write an audit record. A record of a staff member on a rider names the contact that
/// staff member has open on that rider, if any (issue 17: the actions taken during a call
/// are linked to it, whatever the operation).
#[allow(clippy::too_many_arguments)]
pub fn record(
    c: &Connection,
    at: DateTime<Utc>,
    at_local: &str,
    staff: &str,
    role: &str,
    action: &str,
    rider: Option<RiderId>,
    target: &str,
    reason: &str,
    details: &str,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO audit (at, at_local, staff, role, action, rider_id, target, reason, details,
                            contact_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
                 (SELECT id FROM contacts WHERE staff = ?3 AND rider_id = ?6 AND closed_at IS NULL))",
    )?
    .execute(params![
        ts(at),
        at_local,
        staff,
        role,
        action,
        rider.map(|r| r.0),
        target,
        reason,
        details
    ])?;
    Ok(())
}

pub fn list(c: &Connection, f: &AuditFilter) -> Result<Vec<AuditRecord>> {
    let mut st = c.prepare_cached(
        "SELECT id, at, at_local, staff, role, action, rider_id, target, reason, details FROM audit
         WHERE (?1 IS NULL OR staff = ?1) AND (?2 IS NULL OR rider_id = ?2) AND (?3 IS NULL OR action = ?3)
         ORDER BY id DESC LIMIT ?4",
    )?;
    let limit = if f.limit == 0 { 200 } else { f.limit } as i64;
    let rows = st.query_map(
        params![f.staff, f.rider.map(|r| r.0), f.action, limit],
        |r| {
            Ok(AuditRecord {
                id: r.get(0)?,
                at: from_ts(r.get(1)?),
                at_local: r.get(2)?,
                staff: r.get(3)?,
                role: r.get(4)?,
                action: r.get(5)?,
                rider: r.get::<_, Option<i64>>(6)?.map(RiderId),
                target: r.get(7)?,
                reason: r.get(8)?,
                details: r.get(9)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn add_message(
    c: &Connection,
    rider: RiderId,
    at: DateTime<Utc>,
    lang: &str,
    kind: &str,
    text: &str,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO messages (rider_id, at, channel, lang, kind, text) VALUES (?1, ?2, 'sms', ?3, ?4, ?5)",
    )?
    .execute(params![rider.0, ts(at), lang, kind, text])?;
    Ok(())
}

pub fn messages(c: &Connection, rider: RiderId, limit: usize) -> Result<Vec<Message>> {
    let mut st = c.prepare_cached(
        "SELECT id, rider_id, at, channel, lang, kind, text FROM messages WHERE rider_id = ?1
         ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = st.query_map(params![rider.0, limit as i64], |r| {
        Ok(Message {
            id: r.get(0)?,
            rider: RiderId(r.get(1)?),
            at: from_ts(r.get(2)?),
            channel: r.get(3)?,
            lang: r.get(4)?,
            kind: r.get(5)?,
            text: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Append to the event log; returns the event id (the stream's resume point).
pub fn add_event(c: &Connection, at: DateTime<Utc>, kind: &str, payload: &str) -> Result<i64> {
    c.prepare_cached("INSERT INTO events (at, kind, payload) VALUES (?1, ?2, ?3)")?
        .execute(params![ts(at), kind, payload])?;
    Ok(c.last_insert_rowid())
}

/// When the last event happened (where a simulated clock resumes).
pub fn last_event_at(c: &Connection) -> Result<Option<DateTime<Utc>>> {
    let t: Option<i64> = c.query_row("SELECT MAX(at) FROM events", [], |r| r.get(0))?;
    Ok(t.map(super::from_ts))
}

/// Events after `after`, oldest first: `(id, kind, payload)`.
pub fn events_after(
    c: &Connection,
    after: i64,
    limit: usize,
) -> Result<Vec<(i64, String, String)>> {
    let mut st = c.prepare_cached(
        "SELECT id, kind, payload FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = st.query_map(params![after, limit as i64], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Messages not yet handed to a sender, oldest first.
pub fn undelivered(c: &Connection, limit: usize) -> Result<Vec<Message>> {
    let mut st = c.prepare_cached(
        "SELECT id, rider_id, at, channel, lang, kind, text FROM messages WHERE sent_at IS NULL
         ORDER BY id LIMIT ?1",
    )?;
    let rows = st.query_map([limit as i64], |r| {
        Ok(Message {
            id: r.get(0)?,
            rider: RiderId(r.get(1)?),
            at: from_ts(r.get(2)?),
            channel: r.get(3)?,
            lang: r.get(4)?,
            kind: r.get(5)?,
            text: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn mark_sent(c: &Connection, id: i64, at: DateTime<Utc>) -> Result<()> {
    c.prepare_cached("UPDATE messages SET sent_at = ?2 WHERE id = ?1")?
        .execute(params![id, ts(at)])?;
    Ok(())
}

/// An alert a staff member took ("I am on it"): kept in the audit log as `take-alert`,
/// with the alert's kind as its target and its station in the details.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertTaken {
    pub kind: String,
    pub rider: Option<RiderId>,
    pub station: Option<crate::domain::StationId>,
    pub staff: String,
    pub at: DateTime<Utc>,
}

/// The latest alerts taken, newest first.
pub fn alerts_taken(c: &Connection) -> Result<Vec<AlertTaken>> {
    let mut st = c.prepare_cached(
        "SELECT target, rider_id, details, staff, at FROM audit WHERE action = 'take-alert'
         ORDER BY id DESC LIMIT 500",
    )?;
    let rows = st.query_map([], |r| {
        Ok(AlertTaken {
            kind: r.get(0)?,
            rider: r.get::<_, Option<i64>>(1)?.map(RiderId),
            station: r
                .get::<_, String>(2)?
                .parse::<i64>()
                .ok()
                .map(crate::domain::StationId),
            staff: r.get(3)?,
            at: from_ts(r.get(4)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
