//! Stations, docks and bikes; rentals (`fleet/rentals.rs`) and unlocks and cable locks
//! (`fleet/locks.rs`) beside them, under the same path (`fleet::open_rental_of_bike`).

mod locks;
mod rentals;

pub use locks::*;
pub use rentals::*;

use super::{Result, from_ts, ts};
use crate::api::{Bike, BikeState, Dock, NewStation, StationCounts};
use crate::domain::{BikeId, StationId};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

pub fn upsert_station(c: &Connection, s: &NewStation, now: DateTime<Utc>) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO stations (id, name, name_kk, name_en, address, lat, lon, active, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_kk = excluded.name_kk,
            name_en = excluded.name_en, address = excluded.address, lat = excluded.lat,
            lon = excluded.lon, active = excluded.active, updated_at = excluded.updated_at",
    )?
    .execute(params![
        s.id.0,
        s.name,
        s.name_kk,
        s.name_en,
        s.address,
        s.lat,
        s.lon,
        s.active,
        ts(now)
    ])?;
    let have: u32 = c.query_row(
        "SELECT COUNT(*) FROM docks WHERE station_id = ?1",
        [s.id.0],
        |r| r.get(0),
    )?;
    for n in have + 1..=s.docks {
        c.prepare_cached("INSERT INTO docks (station_id, number) VALUES (?1, ?2)")?
            .execute(params![s.id.0, n])?;
    }
    Ok(())
}

pub fn insert_bike(c: &Connection, id: BikeId, now: DateTime<Utc>) -> Result<()> {
    c.prepare_cached("INSERT INTO bikes (id, state, updated_at) VALUES (?1, 'van', ?2)")?
        .execute(params![id.0, ts(now)])?;
    Ok(())
}

pub fn bike(c: &Connection, id: BikeId) -> Result<Option<Bike>> {
    Ok(c.prepare_cached(
        "SELECT b.id, b.state, b.station_id, d.number, b.faulty
             FROM bikes b LEFT JOIN docks d ON d.bike_id = b.id WHERE b.id = ?1",
    )?
    .query_row([id.0], |r| {
        let state: String = r.get(1)?;
        Ok(Bike {
            id: BikeId(r.get(0)?),
            state: BikeState::parse(&state).unwrap_or(BikeState::Lost),
            station: r.get::<_, Option<i64>>(2)?.map(StationId),
            dock: r.get(3)?,
            faulty: r.get(4)?,
            notes: Vec::new(),
        })
    })
    .optional()?)
}

/// Move a bike: out of any dock it holds, then to its new state (and dock, if docking).
/// The station it leaves and the one it comes to are both updated at `now` (GBFS
/// `last_reported`: a rental changes the counts of the station it starts from).
pub fn set_bike_state(
    c: &Connection,
    id: BikeId,
    state: BikeState,
    station: Option<StationId>,
    now: DateTime<Utc>,
) -> Result<()> {
    let left: Option<i64> = c
        .prepare_cached("SELECT station_id FROM bikes WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))
        .optional()?
        .flatten();
    if let Some(s) = left {
        c.prepare_cached("UPDATE stations SET updated_at = ?2 WHERE id = ?1")?
            .execute(params![s, ts(now)])?;
    }
    c.prepare_cached("UPDATE docks SET bike_id = NULL WHERE bike_id = ?1")?
        .execute([id.0])?;
    c.prepare_cached(
        "UPDATE bikes SET state = ?2, station_id = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id.0, state.as_str(), station.map(|s| s.0), ts(now)])?;
    // Whatever moves a bike takes it out of the van it was in (a van's stop puts it in again).
    c.prepare_cached("DELETE FROM van_bikes WHERE bike_id = ?1")?
        .execute([id.0])?;
    if let Some(s) = station {
        c.prepare_cached("UPDATE stations SET updated_at = ?2 WHERE id = ?1")?
            .execute(params![s.0, ts(now)])?;
    }
    if let Some(s) = left {
        super::planning::note_occupancy(c, StationId(s), now)?;
    }
    Ok(())
}

pub fn set_bike_faulty(c: &Connection, id: BikeId, faulty: bool) -> Result<()> {
    c.execute(
        "UPDATE bikes SET faulty = ?2 WHERE id = ?1",
        params![id.0, faulty],
    )?;
    // A faulty bike in a dock cannot be rented: the station may have become empty, at the
    // time the bike was last moved (the same transaction).
    let at: Option<(Option<i64>, i64)> = c
        .prepare_cached("SELECT station_id, updated_at FROM bikes WHERE id = ?1")?
        .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((Some(s), t)) = at {
        super::planning::note_occupancy(c, StationId(s), from_ts(t))?;
    }
    Ok(())
}

/// The lowest-numbered free working dock of a station.
pub fn free_dock(c: &Connection, station: StationId) -> Result<Option<u32>> {
    Ok(c.prepare_cached(
        // `+bike_id`: look the station up by its key; the bike_id index would scan every free dock.
        "SELECT number FROM docks WHERE station_id = ?1 AND in_service = 1 AND +bike_id IS NULL
             ORDER BY number LIMIT 1",
    )?
    .query_row([station.0], |r| r.get(0))
    .optional()?)
}

/// Dock a bike in a given free dock.
pub fn dock_bike(
    c: &Connection,
    id: BikeId,
    station: StationId,
    dock: u32,
    now: DateTime<Utc>,
) -> Result<()> {
    set_bike_state(c, id, BikeState::Docked, Some(station), now)?;
    c.prepare_cached(
        "UPDATE docks SET bike_id = ?3 WHERE station_id = ?1 AND number = ?2 AND bike_id IS NULL",
    )?
    .execute(params![station.0, dock, id.0])?;
    super::planning::note_occupancy(c, station, now)
}

/// Put one free working dock out of service; returns its number.
pub fn dock_out_of_service(
    c: &Connection,
    station: StationId,
    number: Option<u32>,
    now: DateTime<Utc>,
) -> Result<Option<u32>> {
    let n = match number {
        None => free_dock(c, station)?,
        Some(d) => c
            .query_row(
                "SELECT number FROM docks WHERE station_id = ?1 AND number = ?2
                 AND in_service = 1 AND bike_id IS NULL",
                params![station.0, d],
                |r| r.get(0),
            )
            .optional()?,
    };
    let Some(n) = n else {
        return Ok(None);
    };
    c.execute(
        "UPDATE docks SET in_service = 0 WHERE station_id = ?1 AND number = ?2",
        params![station.0, n],
    )?;
    c.execute(
        "UPDATE stations SET updated_at = ?2 WHERE id = ?1",
        params![station.0, ts(now)],
    )?;
    super::planning::note_occupancy(c, station, now)?;
    Ok(Some(n))
}

/// Put an out-of-service dock back in service; returns its number.
pub fn dock_in_service(
    c: &Connection,
    station: StationId,
    number: Option<u32>,
    now: DateTime<Utc>,
) -> Result<Option<u32>> {
    let n: Option<u32> = c
        .query_row(
            "SELECT number FROM docks WHERE station_id = ?1 AND in_service = 0
             AND (?2 IS NULL OR number = ?2) ORDER BY number LIMIT 1",
            params![station.0, number],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(n) = n {
        c.execute(
            "UPDATE docks SET in_service = 1 WHERE station_id = ?1 AND number = ?2",
            params![station.0, n],
        )?;
        c.execute(
            "UPDATE stations SET updated_at = ?2 WHERE id = ?1",
            params![station.0, ts(now)],
        )?;
        super::planning::note_occupancy(c, station, now)?;
    }
    Ok(n)
}

const STATION_SQL: &str = "
    SELECT s.id, s.name, s.name_kk, s.name_en, s.address, s.lat, s.lon, s.active, s.target_fill,
      (SELECT COUNT(*) FROM docks d WHERE d.station_id = s.id),
      (SELECT COUNT(*) FROM bikes b WHERE b.station_id = s.id AND b.faulty = 0),
      (SELECT COUNT(*) FROM docks d WHERE d.station_id = s.id AND d.in_service = 1 AND +d.bike_id IS NULL),
      (SELECT COUNT(*) FROM docks d WHERE d.station_id = s.id AND d.in_service = 0),
      (SELECT COUNT(*) FROM bikes b WHERE b.station_id = s.id AND b.state = 'cable-locked'),
      (SELECT COUNT(*) FROM bikes b WHERE b.station_id = s.id AND b.faulty = 1),
      s.updated_at
    FROM stations s";

fn station_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StationCounts> {
    Ok(StationCounts {
        id: StationId(r.get(0)?),
        name: r.get(1)?,
        name_kk: r.get(2)?,
        name_en: r.get(3)?,
        address: r.get(4)?,
        lat: r.get(5)?,
        lon: r.get(6)?,
        active: r.get(7)?,
        target_fill: r.get(8)?,
        docks: r.get(9)?,
        bikes: r.get(10)?,
        free_docks: r.get(11)?,
        out_of_service: r.get(12)?,
        cable_locked: r.get(13)?,
        faulty: r.get(14)?,
        updated_at: from_ts(r.get(15)?),
    })
}

pub fn station(c: &Connection, id: StationId) -> Result<Option<StationCounts>> {
    Ok(c.prepare_cached(&format!("{STATION_SQL} WHERE s.id = ?1"))?
        .query_row([id.0], station_row)
        .optional()?)
}

pub fn stations(c: &Connection) -> Result<Vec<StationCounts>> {
    let mut st = c.prepare_cached(&format!("{STATION_SQL} ORDER BY s.id"))?;
    let rows = st.query_map([], station_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn docks(c: &Connection, station: StationId) -> Result<Vec<Dock>> {
    let mut st = c.prepare_cached(
        "SELECT number, in_service, bike_id FROM docks WHERE station_id = ?1 ORDER BY number",
    )?;
    let rows = st.query_map([station.0], |r| {
        Ok(Dock {
            number: r.get(0)?,
            in_service: r.get(1)?,
            bike: r.get::<_, Option<i64>>(2)?.map(BikeId),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn bikes_at(c: &Connection, station: StationId) -> Result<Vec<Bike>> {
    let mut st = c.prepare_cached("SELECT id FROM bikes WHERE station_id = ?1 ORDER BY id")?;
    let ids: Vec<i64> = st
        .query_map([station.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(b) = bike(c, BikeId(id))? {
            out.push(b);
        }
    }
    Ok(out)
}

/// The bikes in one state (the van, the repair shop), up to `limit`.
pub fn bikes_in_state(c: &Connection, state: BikeState, limit: usize) -> Result<Vec<Bike>> {
    let mut st = c.prepare_cached("SELECT id FROM bikes WHERE state = ?1 ORDER BY id LIMIT ?2")?;
    let ids: Vec<i64> = st
        .query_map(params![state.as_str(), limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(b) = bike(c, BikeId(id))? {
            out.push(b);
        }
    }
    Ok(out)
}

/// The highest bike number in use (0 when there is none).
pub fn max_bike_id(c: &Connection) -> Result<i64> {
    Ok(c.query_row("SELECT COALESCE(MAX(id), 0) FROM bikes", [], |r| r.get(0))?)
}

/// The highest station code in use (0 when there is none).
pub fn max_station_id(c: &Connection) -> Result<i64> {
    Ok(
        c.query_row("SELECT COALESCE(MAX(id), 0) FROM stations", [], |r| {
            r.get(0)
        })?,
    )
}
