//! Demand written straight into a system's database, as if riders had ridden: trips from one
//! station to another at a steady rate over past days, which the depot planner's forecast
//! learns back (it reads only what the database holds).
#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, params};

/// One trip every `every` from station `from` to station `to` over `[start, end)`, each ten
/// minutes long, docked at the end; by the first rider with a pass, on the first bike.
pub fn trips(
    c: &Connection,
    from: i64,
    to: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    every: Duration,
) {
    let (rider, pass): (i64, i64) = c
        .query_row(
            "SELECT rider_id, id FROM passes ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let bike: i64 = c
        .query_row("SELECT id FROM bikes ORDER BY id LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let mut t = start;
    while t < end {
        c.execute(
            "INSERT INTO rentals (rider_id, bike_id, pass_id, chain_id, start_at, start_station,
                                  end_at, end_station, end_how, charge)
             VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, 'dock', 0)",
            params![
                rider,
                bike,
                pass,
                t.timestamp(),
                from,
                (t + Duration::minutes(10)).timestamp(),
                to
            ],
        )
        .unwrap();
        t += every;
    }
}
