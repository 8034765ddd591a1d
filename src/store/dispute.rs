//! The docking dispute's records (issue 17): the docks' failed returns and the riders who
//! asked a station for a bike still in a rental (`dock_reports`, migration 009), and the
//! reads a dispute gathers — what happened to a bike after a time, a dock's faults.

use super::{Result, from_ts, ts};
use crate::domain::dispute::{Seen, Sighting};
use crate::domain::{BikeId, RentalId, RiderId, StationId};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

/// One report of a dock about a bike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DockReport {
    pub at: DateTime<Utc>,
    pub station: StationId,
    pub dock: Option<u32>,
    pub bike: BikeId,
    pub rental: Option<RentalId>,
    /// Who asked for the bike (`asked-for`).
    pub rider: Option<RiderId>,
    pub seen: Seen,
}

fn kind_word(seen: Seen) -> &'static str {
    match seen {
        Seen::Unrecognised => "unrecognised",
        Seen::AskedFor { .. } => "asked-for",
        _ => "lock-error",
    }
}

/// Keep a dock's report.
pub fn insert_report(c: &Connection, r: &DockReport) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO dock_reports (at, station_id, dock, bike_id, rental_id, rider_id, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        ts(r.at),
        r.station.0,
        r.dock,
        r.bike.0,
        r.rental.map(|x| x.0),
        r.rider.map(|x| x.0),
        kind_word(r.seen)
    ])?;
    Ok(())
}

fn report_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DockReport> {
    let rider: Option<i64> = r.get(5)?;
    let kind: String = r.get(6)?;
    let seen = match kind.as_str() {
        "unrecognised" => Seen::Unrecognised,
        "asked-for" => Seen::AskedFor {
            rider: RiderId(rider.unwrap_or_default()),
        },
        _ => Seen::LockError,
    };
    Ok(DockReport {
        at: from_ts(r.get(0)?),
        station: StationId(r.get(1)?),
        dock: r.get(2)?,
        bike: BikeId(r.get(3)?),
        rental: r.get::<_, Option<i64>>(4)?.map(RentalId),
        rider: rider.map(RiderId),
        seen,
    })
}

const REPORT_COLS: &str = "at, station_id, dock, bike_id, rental_id, rider_id, kind";

/// What the docks reported about `bike` from `from` on, oldest first.
pub fn reports_of_bike(
    c: &Connection,
    bike: BikeId,
    from: DateTime<Utc>,
) -> Result<Vec<DockReport>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {REPORT_COLS} FROM dock_reports WHERE bike_id = ?1 AND at >= ?2 ORDER BY at, id"
    ))?;
    let rows = st.query_map(params![bike.0, ts(from)], report_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A dock's failed returns, newest first, at most `limit`.
pub fn faults_of_dock(
    c: &Connection,
    station: StationId,
    dock: u32,
    limit: usize,
) -> Result<Vec<DockReport>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {REPORT_COLS} FROM dock_reports
         WHERE station_id = ?1 AND dock = ?2 AND kind != 'asked-for'
         ORDER BY at DESC, id DESC LIMIT ?3"
    ))?;
    let rows = st.query_map(params![station.0, dock, limit as i64], report_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every failed return from `from` on: `(station, dock, at)` (the faulty-dock alert).
pub fn faults_since(
    c: &Connection,
    from: DateTime<Utc>,
) -> Result<Vec<(StationId, u32, DateTime<Utc>)>> {
    let mut st = c.prepare_cached(
        "SELECT station_id, dock, at FROM dock_reports
         WHERE at >= ?1 AND kind != 'asked-for' AND dock IS NOT NULL ORDER BY at",
    )?;
    let rows = st.query_map([ts(from)], |r| {
        Ok((StationId(r.get(0)?), r.get(1)?, from_ts(r.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The rentals of `bike` by riders other than `rider` that began at a station from `from`
/// on, oldest first, at most `limit`: who took it, from where and when.
pub fn next_rentals(
    c: &Connection,
    bike: BikeId,
    rider: RiderId,
    from: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<Sighting>> {
    let mut st = c.prepare_cached(
        "SELECT start_at, start_station, rider_id FROM rentals
         WHERE bike_id = ?1 AND rider_id != ?2 AND start_at >= ?3 AND start_station IS NOT NULL
         ORDER BY start_at, id LIMIT ?4",
    )?;
    let rows = st.query_map(params![bike.0, rider.0, ts(from), limit as i64], |r| {
        Ok(Sighting {
            at: from_ts(r.get(0)?),
            station: StationId(r.get(1)?),
            dock: None,
            seen: Seen::NextRental {
                rider: RiderId(r.get(2)?),
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether the dispute of `rental` was settled already (its `settle-dispute` audit record).
pub fn settled(c: &Connection, rental: RentalId) -> Result<bool> {
    Ok(c.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM audit WHERE action = 'settle-dispute' AND target LIKE ?1)",
    )?
    .query_row([format!("trip {rental},%")], |r| r.get(0))?)
}

/// The depot taking `bike` from a station from `from` on, as the audit log recorded it: a
/// service release (`bike B from station S`) or a van's stop that took it (`van V at
/// station S`, `took N [B …]`).
pub fn depot_takes(c: &Connection, bike: BikeId, from: DateTime<Utc>) -> Result<Vec<Sighting>> {
    let mut st = c.prepare_cached(
        "SELECT at, action, target, details FROM audit
         WHERE at >= ?1 AND action IN ('service-release', 'van-stop') ORDER BY at, id",
    )?;
    let rows = st.query_map([ts(from)], |r| {
        Ok((
            from_ts(r.get(0)?),
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (at, action, target, details) = row?;
        let station = target
            .rsplit_once("station ")
            .and_then(|(_, s)| s.trim().parse::<i64>().ok());
        let took = match action.as_str() {
            "service-release" => target.starts_with(&format!("bike {bike} from ")),
            _ => details
                .split_once("took ")
                .and_then(|(_, rest)| rest.split_once('[')?.1.split_once(']'))
                .is_some_and(|(list, _)| list.split_whitespace().any(|b| b == bike.to_string())),
        };
        if let (true, Some(s)) = (took, station) {
            out.push(Sighting {
                at,
                station: StationId(s),
                dock: None,
                seen: Seen::DepotTook,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, audit};
    use chrono::TimeZone;

    /// The depot's records as the engine writes them (`service_release`, `van_stop`).
    #[test]
    fn the_depot_taking_a_bike_is_read_from_the_audit_of_a_release_and_a_van_stop() {
        let mut s = Store::open_in_memory().unwrap();
        let t = |h| Utc.with_ymd_and_hms(2025, 6, 1, h, 0, 0).unwrap();
        let c = s.connection();
        let rec = |at, action: &str, target: &str, details: &str| {
            audit::record(
                c, at, "", "dana", "depot", action, None, target, "", details,
            )
            .unwrap()
        };
        rec(t(9), "service-release", "bike 17 from station 1002", "");
        rec(t(10), "service-release", "bike 170 from station 1003", "");
        rec(
            t(11),
            "van-stop",
            "van 1 at station 1004",
            "took 2 [5 17], left 0 [], to repair 0 [], van holds 2",
        );
        rec(
            t(12),
            "van-stop",
            "van 1 at station 1005",
            "took 1 [170], left 1 [17], to repair 0 [], van holds 2",
        );
        let got = depot_takes(c, BikeId(17), t(8)).unwrap();
        let places: Vec<_> = got.iter().map(|s| (s.at, s.station)).collect();
        assert_eq!(
            places,
            vec![(t(9), StationId(1002)), (t(11), StationId(1004))],
            "bike 170 is another bike; leaving 17 at 1005 is not taking it"
        );
        assert!(got.iter().all(|s| s.seen == Seen::DepotTook));
        assert!(depot_takes(c, BikeId(17), t(12)).unwrap().is_empty());
    }
}
