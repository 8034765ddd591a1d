//! Rentals in the store: started, chained (D3), ended, failed returns (R12), overdue (R15).

use crate::api::Rental;
use crate::domain::rental::{DockOutcome, EndHow};
use crate::domain::{BikeId, RentalId, RiderId, StationId};
use crate::store::{Result, from_ts, ts};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

const RENTAL_COLS: &str =
    "id, rider_id, bike_id, pass_id, chain_id, start_at, start_station, end_at,
    end_station, end_how, lock_error_at, lock_error_station, charge, overdue_at, lock_error_kind";

fn rental_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Rental> {
    Ok(Rental {
        id: RentalId(r.get(0)?),
        rider: RiderId(r.get(1)?),
        bike: BikeId(r.get(2)?),
        pass_id: r.get(3)?,
        chain: RentalId(r.get(4)?),
        start_at: from_ts(r.get(5)?),
        start_station: r.get::<_, Option<i64>>(6)?.map(StationId),
        end_at: r.get::<_, Option<i64>>(7)?.map(from_ts),
        end_station: r.get::<_, Option<i64>>(8)?.map(StationId),
        end_how: crate::store::word_opt(r, 9, EndHow::parse)?,
        lock_error_at: r.get::<_, Option<i64>>(10)?.map(from_ts),
        lock_error_station: r.get::<_, Option<i64>>(11)?.map(StationId),
        charge: r.get(12)?,
        overdue_at: r.get::<_, Option<i64>>(13)?.map(from_ts),
        lock_error_kind: r
            .get::<_, Option<String>>(14)?
            .as_deref()
            .and_then(DockOutcome::parse),
    })
}

/// Start a rental. The unique indexes refuse a second open rental for the rider or the bike.
pub fn insert_rental(
    c: &Connection,
    rider: RiderId,
    bike: BikeId,
    pass_id: i64,
    chain: Option<RentalId>,
    station: Option<StationId>,
    now: DateTime<Utc>,
) -> Result<RentalId> {
    c.prepare_cached(
        "INSERT INTO rentals (rider_id, bike_id, pass_id, chain_id, start_at, start_station)
         VALUES (?1, ?2, ?3, COALESCE(?4, (SELECT COALESCE(MAX(id), 0) + 1 FROM rentals)), ?5, ?6)",
    )?
    .execute(params![
        rider.0,
        bike.0,
        pass_id,
        chain.map(|x| x.0),
        ts(now),
        station.map(|s| s.0)
    ])?;
    Ok(RentalId(c.last_insert_rowid()))
}

pub fn open_rental_of_rider(c: &Connection, rider: RiderId) -> Result<Option<Rental>> {
    Ok(c.prepare_cached(&format!(
        "SELECT {RENTAL_COLS} FROM rentals WHERE rider_id = ?1 AND end_at IS NULL"
    ))?
    .query_row([rider.0], rental_row)
    .optional()?)
}

pub fn open_rental_of_bike(c: &Connection, bike: BikeId) -> Result<Option<Rental>> {
    Ok(c.prepare_cached(&format!(
        "SELECT {RENTAL_COLS} FROM rentals WHERE bike_id = ?1 AND end_at IS NULL"
    ))?
    .query_row([bike.0], rental_row)
    .optional()?)
}

pub fn last_rental_of_rider(c: &Connection, rider: RiderId) -> Result<Option<Rental>> {
    Ok(c
        .prepare_cached(&format!(
            "SELECT {RENTAL_COLS} FROM rentals WHERE rider_id = ?1 ORDER BY start_at DESC, id DESC LIMIT 1"
        ))?
        .query_row([rider.0], rental_row)
        .optional()?)
}

pub fn rentals_of_rider(c: &Connection, rider: RiderId, limit: usize) -> Result<Vec<Rental>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RENTAL_COLS} FROM rentals WHERE rider_id = ?1 ORDER BY start_at DESC, id DESC LIMIT ?2"
    ))?;
    let rows = st.query_map(params![rider.0, limit as i64], rental_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn rentals_in_chain(c: &Connection, chain: RentalId) -> Result<Vec<Rental>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RENTAL_COLS} FROM rentals WHERE chain_id = ?1 ORDER BY id"
    ))?;
    let rows = st.query_map([chain.0], rental_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn open_rentals(c: &Connection) -> Result<Vec<Rental>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RENTAL_COLS} FROM rentals WHERE end_at IS NULL ORDER BY start_at"
    ))?;
    let rows = st.query_map([], rental_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Finished trips of a rider; a chain counts once (D3). Faulty-bike returns do not count.
pub fn trip_count(c: &Connection, rider: RiderId) -> Result<u32> {
    Ok(c.query_row(
        "SELECT COUNT(DISTINCT chain_id) FROM rentals
         WHERE rider_id = ?1 AND end_at IS NOT NULL AND end_how != 'faulty'",
        [rider.0],
        |r| r.get(0),
    )?)
}

pub fn end_rental(
    c: &Connection,
    id: RentalId,
    at: DateTime<Utc>,
    station: Option<StationId>,
    how: EndHow,
    charge: i64,
) -> Result<()> {
    c.prepare_cached(
        "UPDATE rentals SET end_at = ?2, end_station = ?3, end_how = ?4, charge = ?5 WHERE id = ?1 AND end_at IS NULL",
    )?
    .execute(params![id.0, ts(at), station.map(|s| s.0), how.as_str(), charge])?;
    Ok(())
}

/// A failed return (R12): the dock's lock error or an unrecognised bike, at `station`.
pub fn set_lock_error(
    c: &Connection,
    id: RentalId,
    at: DateTime<Utc>,
    station: StationId,
    kind: DockOutcome,
) -> Result<()> {
    c.execute(
        "UPDATE rentals SET lock_error_at = ?2, lock_error_station = ?3, lock_error_kind = ?4
         WHERE id = ?1",
        params![id.0, ts(at), station.0, kind.as_str()],
    )?;
    Ok(())
}

pub fn set_overdue(c: &Connection, id: RentalId, at: DateTime<Utc>) -> Result<()> {
    c.execute(
        "UPDATE rentals SET overdue_at = ?2 WHERE id = ?1 AND overdue_at IS NULL",
        params![id.0, ts(at)],
    )?;
    Ok(())
}

/// Open rentals not yet marked overdue that may be by now (R15, D20): those on a
/// monthly-type pass started before `cutoff`, and every one on a daily pass (whose window
/// the caller looks at).
pub fn rentals_becoming_overdue(c: &Connection, cutoff: DateTime<Utc>) -> Result<Vec<Rental>> {
    let cols = RENTAL_COLS
        .split(',')
        .map(|col| format!("x.{}", col.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut st = c.prepare_cached(&format!(
        "SELECT {cols} FROM rentals x JOIN passes p ON p.id = x.pass_id
         WHERE x.end_at IS NULL AND x.overdue_at IS NULL
           AND (x.start_at < ?1 OR p.all_inclusive = 1)
         ORDER BY x.start_at"
    ))?;
    let rows = st.query_map([ts(cutoff)], rental_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
