//! The depot planner's facts (issue #16): each station's occupancy class kept as it changes
//! (`station_states`, written by the fleet moves), and what the demand forecast learns
//! from — the trips' starts and docked returns and the classes over a window.

use super::{Result, from_ts, ts};
use crate::domain::StationId;
use crate::domain::planning::Occupancy;
use crate::domain::planning::forecast::DemandFacts;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::path::Path;

/// Write the station's class at `now` when it differs from the last one written. A
/// station with no working dock has no class.
pub fn note_occupancy(c: &Connection, station: StationId, now: DateTime<Utc>) -> Result<()> {
    let (working, bikes, free): (u32, u32, u32) = c
        .prepare_cached(
            "SELECT COUNT(*) FILTER (WHERE d.in_service = 1),
                    COUNT(*) FILTER (WHERE b.state = 'docked' AND b.faulty = 0),
                    COUNT(*) FILTER (WHERE d.in_service = 1 AND d.bike_id IS NULL)
             FROM docks d LEFT JOIN bikes b ON b.id = d.bike_id
             WHERE d.station_id = ?1",
        )?
        .query_row([station.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    if working == 0 {
        return Ok(());
    }
    let class = Occupancy::of(bikes, free);
    let last: Option<String> = c
        .prepare_cached(
            "SELECT state FROM station_states WHERE station_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([station.0], |r| r.get(0))
        .optional()?;
    if last.as_deref() != Some(class.as_str()) {
        c.prepare_cached(
            "INSERT INTO station_states (station_id, at, state, bikes, free)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![station.0, ts(now), class.as_str(), bikes, free])?;
    }
    Ok(())
}

/// Every class change, oldest first: (station, time, class). For the bench and tests.
pub fn occupancy_changes(c: &Connection) -> Result<Vec<(StationId, DateTime<Utc>, Occupancy)>> {
    let mut st = c.prepare("SELECT station_id, at, state FROM station_states ORDER BY id")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (s, at, state) = row?;
        if let Some(class) = Occupancy::parse(&state) {
            out.push((StationId(s), from_ts(at), class));
        }
    }
    Ok(out)
}

/// What the forecast learns from in `[from, to)`: every rental's start station and time,
/// every return into a dock (a cable lock is a return the station could not take), the
/// class changes in the window and each station's class at its start.
pub fn demand_facts(c: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<DemandFacts> {
    let (f, t) = (ts(from), ts(to));
    let pairs = |sql: &str| -> Result<Vec<(StationId, i64)>> {
        let mut st = c.prepare(sql)?;
        let rows = st.query_map(params![f, t], |r| Ok((StationId(r.get(0)?), r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let departures = pairs(
        "SELECT start_station, start_at FROM rentals
         WHERE start_at >= ?1 AND start_at < ?2 AND start_station IS NOT NULL",
    )?;
    let arrivals = pairs(
        "SELECT end_station, end_at FROM rentals
         WHERE end_at >= ?1 AND end_at < ?2 AND end_station IS NOT NULL
           AND end_how IN ('dock', 'faulty', 'staff')",
    )?;
    let classes = |sql: &str| -> Result<Vec<(StationId, i64, Occupancy)>> {
        let mut st = c.prepare(sql)?;
        let rows = st.query_map(params![f, t], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (s, at, state) = row?;
            if let Some(class) = Occupancy::parse(&state) {
                out.push((StationId(s), at, class));
            }
        }
        Ok(out)
    };
    let changes = classes(
        "SELECT station_id, at, state FROM station_states
         WHERE at >= ?1 AND at < ?2 ORDER BY station_id, id",
    )?;
    let initial = classes(
        "SELECT s.station_id, s.at, s.state FROM station_states s
         JOIN (SELECT MAX(id) AS id FROM station_states WHERE at < ?1 AND ?2 IS NOT NULL
               GROUP BY station_id) m ON m.id = s.id",
    )?
    .into_iter()
    .map(|(s, _, class)| (s, class))
    .collect();
    Ok(DemandFacts {
        from: f,
        to: t,
        departures,
        arrivals,
        changes,
        initial,
    })
}

/// [`demand_facts`] on a read-only connection of its own to the database at `path` (beside
/// the writer, as a read under WAL).
pub fn read_demand_facts(
    path: &Path,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<DemandFacts> {
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    c.busy_timeout(std::time::Duration::from_secs(5))?;
    demand_facts(&c, from, to)
}

/// The bikes in van `van` (taken at its stops, still in the van), by number.
pub fn van_bikes(c: &Connection, van: u32) -> Result<Vec<crate::domain::BikeId>> {
    let mut st = c.prepare_cached(
        "SELECT v.bike_id FROM van_bikes v JOIN bikes b ON b.id = v.bike_id AND b.state = 'van'
         WHERE v.van = ?1 ORDER BY v.bike_id",
    )?;
    let rows = st.query_map([van], |r| Ok(crate::domain::BikeId(r.get(0)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Put a bike (already in the `van` state) into van `van`.
pub fn load_into_van(c: &Connection, van: u32, bike: crate::domain::BikeId) -> Result<()> {
    c.prepare_cached("INSERT OR REPLACE INTO van_bikes (bike_id, van) VALUES (?1, ?2)")?
        .execute(params![bike.0, van])?;
    Ok(())
}

/// Where van `van` did its last stop, and when; `None` for a van still at the depot.
pub fn van_place(c: &Connection, van: u32) -> Result<Option<(StationId, DateTime<Utc>)>> {
    Ok(
        c.prepare_cached("SELECT station_id, at FROM vans WHERE van = ?1")?
            .query_row([van], |r| {
                Ok((StationId(r.get(0)?), from_ts(r.get::<_, i64>(1)?)))
            })
            .optional()?,
    )
}

/// Van `van` has done a stop at `station`.
pub fn set_van_place(
    c: &Connection,
    van: u32,
    station: StationId,
    now: DateTime<Utc>,
) -> Result<()> {
    c.prepare_cached("INSERT OR REPLACE INTO vans (van, station_id, at) VALUES (?1, ?2, ?3)")?
        .execute(params![van, station.0, ts(now)])?;
    Ok(())
}

/// When the oldest trip the system holds started: a forecast's window begins no earlier
/// (hours before the system had riders are not hours in which nobody rode).
pub fn first_trip(c: &Connection) -> Result<Option<DateTime<Utc>>> {
    let t: Option<i64> = c
        .prepare_cached("SELECT MIN(start_at) FROM rentals")?
        .query_row([], |r| r.get(0))?;
    Ok(t.map(from_ts))
}
