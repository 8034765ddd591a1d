//! Unlocks waiting to be pulled (R10, D28) and cable locks: the calls and the permissions
//! (R14).

use crate::domain::{BikeId, Refusal, RentalId, RiderId, StationId};
use crate::store::{Result, from_ts, ts};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

pub fn insert_unlock(
    c: &Connection,
    rider: RiderId,
    bike: BikeId,
    now: DateTime<Utc>,
    window_s: i64,
) -> Result<()> {
    c.execute(
        "INSERT INTO unlocks (rider_id, bike_id, at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![rider.0, bike.0, ts(now), ts(now) + window_s],
    )?;
    Ok(())
}

/// The live (not pulled, not expired, not cancelled) unlock of a bike: `(id, rider)`.
pub fn live_unlock(
    c: &Connection,
    bike: BikeId,
    now: DateTime<Utc>,
) -> Result<Option<(i64, RiderId)>> {
    Ok(c.prepare_cached(
        "SELECT id, rider_id FROM unlocks WHERE bike_id = ?1 AND pulled_at IS NULL
               AND cancelled_at IS NULL AND expires_at >= ?2
             ORDER BY id DESC LIMIT 1",
    )?
    .query_row(params![bike.0, ts(now)], |r| {
        Ok((r.get(0)?, RiderId(r.get(1)?)))
    })
    .optional()?)
}

/// The rider's live unlock, if any: `(id, bike)` (D27: one bike at a time).
pub fn live_unlock_of_rider(
    c: &Connection,
    rider: RiderId,
    now: DateTime<Utc>,
) -> Result<Option<(i64, BikeId)>> {
    Ok(c.prepare_cached(
        "SELECT id, bike_id FROM unlocks WHERE rider_id = ?1 AND pulled_at IS NULL
               AND cancelled_at IS NULL AND expires_at >= ?2
             ORDER BY id DESC LIMIT 1",
    )?
    .query_row(params![rider.0, ts(now)], |r| {
        Ok((r.get(0)?, BikeId(r.get(1)?)))
    })
    .optional()?)
}

/// D28: cancel the live unlocks of a bike (`Some(bike)`) or of a rider; a later pull of
/// the bike is refused `kind`.
pub fn cancel_unlocks(
    c: &Connection,
    bike: Option<BikeId>,
    rider: Option<RiderId>,
    now: DateTime<Utc>,
    kind: Refusal,
) -> Result<usize> {
    Ok(c.prepare_cached(
        "UPDATE unlocks SET cancelled_at = ?3, cancelled_kind = ?4
         WHERE pulled_at IS NULL AND cancelled_at IS NULL AND expires_at >= ?3
           AND (?1 IS NULL OR bike_id = ?1) AND (?2 IS NULL OR rider_id = ?2)
           AND (?1 IS NOT NULL OR ?2 IS NOT NULL)",
    )?
    .execute(params![
        bike.map(|b| b.0),
        rider.map(|r| r.0),
        ts(now),
        kind.as_str()
    ])?)
}

/// D28: why the bike's unlock still within its window was cancelled, if it was.
pub fn cancelled_unlock(
    c: &Connection,
    bike: BikeId,
    now: DateTime<Utc>,
) -> Result<Option<Refusal>> {
    let kind: Option<String> = c
        .prepare_cached(
            "SELECT cancelled_kind FROM unlocks WHERE bike_id = ?1 AND pulled_at IS NULL
               AND cancelled_at IS NOT NULL AND expires_at >= ?2
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![bike.0, ts(now)], |r| r.get(0))
        .optional()?;
    Ok(kind.as_deref().and_then(Refusal::parse))
}

pub fn mark_pulled(c: &Connection, unlock: i64, now: DateTime<Utc>) -> Result<()> {
    c.execute(
        "UPDATE unlocks SET pulled_at = ?2 WHERE id = ?1",
        params![unlock, ts(now)],
    )?;
    Ok(())
}

// --- cable locks (R14) ---

pub fn insert_cable_call(
    c: &Connection,
    rider: RiderId,
    station: StationId,
    now: DateTime<Utc>,
) -> Result<i64> {
    c.execute(
        "INSERT INTO cable_calls (rider_id, station_id, at) VALUES (?1, ?2, ?3)",
        params![rider.0, station.0, ts(now)],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn answer_cable_calls(c: &Connection, rider: RiderId, now: DateTime<Utc>) -> Result<()> {
    c.execute(
        "UPDATE cable_calls SET answered_at = ?2 WHERE rider_id = ?1 AND answered_at IS NULL",
        params![rider.0, ts(now)],
    )?;
    Ok(())
}

/// Calls waiting for an operator: `(rider, station, at)`.
/// The cable-lock calls still waiting: unanswered, of a rental still open (a call ends
/// when its rental does, however it ended).
pub fn waiting_cable_calls(c: &Connection) -> Result<Vec<(RiderId, StationId, DateTime<Utc>)>> {
    let mut st = c.prepare_cached(
        "SELECT k.rider_id, k.station_id, k.at FROM cable_calls k
         WHERE k.answered_at IS NULL
           AND EXISTS (SELECT 1 FROM rentals r
                       WHERE r.rider_id = k.rider_id AND r.end_at IS NULL AND r.start_at <= k.at)
         ORDER BY k.at",
    )?;
    let rows = st.query_map([], |r| {
        Ok((RiderId(r.get(0)?), StationId(r.get(1)?), from_ts(r.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_cable_auth(
    c: &Connection,
    rider: RiderId,
    station: StationId,
    rental: RentalId,
    staff: &str,
    now: DateTime<Utc>,
    valid_s: i64,
) -> Result<()> {
    c.execute(
        "INSERT INTO cable_auths (rider_id, station_id, rental_id, staff, at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            rider.0,
            station.0,
            rental.0,
            staff,
            ts(now),
            ts(now) + valid_s
        ],
    )?;
    Ok(())
}

/// A valid, unused permission for this rental at this station: its id and who gave it.
pub fn cable_auth(
    c: &Connection,
    rental: RentalId,
    station: StationId,
    now: DateTime<Utc>,
) -> Result<Option<(i64, String)>> {
    Ok(c.query_row(
        "SELECT id, staff FROM cable_auths WHERE rental_id = ?1 AND station_id = ?2
             AND used_at IS NULL AND expires_at >= ?3 ORDER BY id DESC LIMIT 1",
        params![rental.0, station.0, ts(now)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?)
}

pub fn use_cable_auth(c: &Connection, id: i64, now: DateTime<Utc>) -> Result<()> {
    c.execute(
        "UPDATE cable_auths SET used_at = ?2 WHERE id = ?1",
        params![id, ts(now)],
    )?;
    Ok(())
}
