//! Server credentials: staff sessions (the token's SHA-256 only, never the token) and the
//! per-station keys the docks authenticate with (hashed the same way).

use super::people::{self, Staff};
use super::{Result, ts};
use crate::domain::StationId;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// Set (or replace) a staff member's password hash (Argon2id PHC string).
pub fn set_password(c: &Connection, staff: &str, hash: &str) -> Result<bool> {
    Ok(c.execute(
        "UPDATE staff SET password_hash = ?2 WHERE name = ?1",
        params![staff, hash],
    )? > 0)
}

/// Record a session for `staff`, valid until `expires`.
pub fn add_session(
    c: &Connection,
    token_hash: &str,
    staff: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
    address: &str,
) -> Result<()> {
    c.execute(
        "DELETE FROM sessions WHERE expires_at <= ?1",
        params![ts(now)],
    )?;
    c.execute(
        "INSERT INTO sessions (token_hash, staff, created_at, expires_at, address)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, staff, ts(now), ts(expires), address],
    )?;
    Ok(())
}

/// The staff member of a live session: not expired, not revoked, not disabled.
pub fn session(c: &Connection, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Staff>> {
    let name: Option<String> = c
        .prepare_cached("SELECT staff FROM sessions WHERE token_hash = ?1 AND expires_at > ?2")?
        .query_row(params![token_hash, ts(now)], |r| r.get(0))
        .optional()?;
    let Some(name) = name else {
        return Ok(None);
    };
    Ok(people::staff(c, &name)?.filter(|s| !s.disabled))
}

/// Whether a session is still live (not expired, not revoked, its staff member not
/// disabled): one look-up by the token's primary key, for long-lived streams that check
/// again and again.
pub fn session_live(c: &Connection, token_hash: &str, now: DateTime<Utc>) -> Result<bool> {
    Ok(c.prepare_cached(
        "SELECT 1 FROM sessions s JOIN staff f ON f.name = s.staff
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND f.disabled = 0",
    )?
    .query_row(params![token_hash, ts(now)], |_| Ok(()))
    .optional()?
    .is_some())
}

/// End one session (logout). Returns whether it existed.
pub fn end_session(c: &Connection, token_hash: &str) -> Result<bool> {
    Ok(c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])? > 0)
}

/// End every session of a staff member (disabled, password changed). Returns how many.
pub fn end_sessions_of(c: &Connection, staff: &str) -> Result<usize> {
    Ok(c.execute("DELETE FROM sessions WHERE staff = ?1", [staff])?)
}

/// Set a station's key (a new one replaces the old: rotation).
pub fn set_station_key(
    c: &Connection,
    station: StationId,
    key_hash: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    c.execute(
        "INSERT INTO station_keys (station_id, key_hash, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (station_id) DO UPDATE SET key_hash = excluded.key_hash,
             created_at = excluded.created_at",
        params![station.0, key_hash, ts(now)],
    )?;
    Ok(())
}

/// The station a key belongs to.
pub fn station_of_key(c: &Connection, key_hash: &str) -> Result<Option<StationId>> {
    Ok(
        c.prepare_cached("SELECT station_id FROM station_keys WHERE key_hash = ?1")?
            .query_row([key_hash], |r| r.get(0).map(StationId))
            .optional()?,
    )
}
