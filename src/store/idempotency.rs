//! Idempotency records: the first response to a request carrying an `Idempotency-Key`,
//! stored in the same transaction as the request's effect, so a retry replays the answer
//! and never applies the effect twice.

use super::{Result, ts};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// How long a key is remembered. A client retries within minutes; a day is ample.
pub const KEEP_SECONDS: i64 = 24 * 3600;

/// One remembered request and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Who sent it (`staff:NAME` or `station:ID`): keys are scoped per sender.
    pub principal: String,
    pub key: String,
    /// SHA-256 of method, path and body: a reuse with another request is refused.
    pub fingerprint: String,
    pub status: u16,
    pub body: String,
}

pub fn get(c: &Connection, principal: &str, key: &str) -> Result<Option<Record>> {
    Ok(c.prepare_cached(
        "SELECT fingerprint, status, body FROM idempotency WHERE principal = ?1 AND key = ?2",
    )?
    .query_row(params![principal, key], |r| {
        Ok(Record {
            principal: principal.to_string(),
            key: key.to_string(),
            fingerprint: r.get(0)?,
            status: r.get(1)?,
            body: r.get(2)?,
        })
    })
    .optional()?)
}

/// Remember `r`. A second record with the same principal and key breaks the primary key:
/// the whole transaction (and so the effect) rolls back.
pub fn put(c: &Connection, r: &Record, now: DateTime<Utc>) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO idempotency (principal, key, fingerprint, status, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        r.principal,
        r.key,
        r.fingerprint,
        r.status,
        r.body,
        ts(now)
    ])?;
    Ok(())
}

/// Forget records older than [`KEEP_SECONDS`]. Returns how many.
pub fn purge(c: &Connection, now: DateTime<Utc>) -> Result<usize> {
    Ok(c.execute(
        "DELETE FROM idempotency WHERE created_at < ?1",
        [ts(now) - KEEP_SECONDS],
    )?)
}
