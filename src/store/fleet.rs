//! Stations, docks, bikes, rentals, unlocks and cable locks.

use super::{Result, from_ts, ts};
use crate::api::{Bike, BikeState, Dock, NewStation, Rental, StationCounts};
use crate::domain::rental::{DockOutcome, EndHow};
use crate::domain::{BikeId, Refusal, RentalId, RiderId, StationId};
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
        end_how: super::word_opt(r, 9, EndHow::parse)?,
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

// --- unlocks (R10) ---

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
