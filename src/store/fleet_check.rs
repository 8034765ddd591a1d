//! The fleet invariants that `velodesk check` verifies beside the ledger, one query each:
//! a bike is in exactly one place (a dock, an open rental, cable-locked at a station, the
//! van, repair), a station's docks are numbered 1..N, and its free docks are its working
//! docks less the bikes docked there.

use super::Result;
use crate::api::FleetProblem;
use rusqlite::Connection;

/// `(check, query)`: each query returns `(subject, detail)` rows, one per violation.
const CHECKS: &[(&str, &str)] = &[
    (
        "docked-without-dock",
        "SELECT 'bike ' || b.id, 'docked at station ' || COALESCE(b.station_id, '?') || ' but in no dock'
         FROM bikes b WHERE b.state = 'docked'
           AND NOT EXISTS (SELECT 1 FROM docks d WHERE d.bike_id = b.id)",
    ),
    (
        "dock-holds-other",
        "SELECT 'bike ' || b.id, 'in dock ' || d.number || ' of station ' || d.station_id
                || ' but ' || b.state || COALESCE(' at station ' || b.station_id, '')
         FROM docks d JOIN bikes b ON b.id = d.bike_id
         WHERE b.state != 'docked' OR b.station_id IS NOT d.station_id",
    ),
    (
        "rental-bike-elsewhere",
        "SELECT 'bike ' || b.id, 'in open rental ' || r.id || ' but ' || b.state
         FROM rentals r JOIN bikes b ON b.id = r.bike_id
         WHERE r.end_at IS NULL AND b.state != 'rental'",
    ),
    (
        "riding-without-rental",
        "SELECT 'bike ' || b.id, 'marked in a rental but no rental is open'
         FROM bikes b WHERE b.state = 'rental'
           AND NOT EXISTS (SELECT 1 FROM rentals r WHERE r.bike_id = b.id AND r.end_at IS NULL)",
    ),
    (
        "out-of-service-dock-holds-bike",
        "SELECT 'station ' || station_id, 'dock ' || number || ' is out of service but holds bike ' || bike_id
         FROM docks WHERE in_service = 0 AND bike_id IS NOT NULL",
    ),
    (
        "dock-numbering",
        "SELECT 'station ' || station_id, COUNT(*) || ' docks numbered ' || MIN(number) || '..' || MAX(number)
         FROM docks GROUP BY station_id HAVING COUNT(*) != MAX(number) OR MIN(number) != 1",
    ),
    (
        "free-docks",
        "SELECT 'station ' || s.id, f.free || ' free docks, but ' || w.working || ' working docks less '
                || COALESCE(k.docked, 0) || ' bikes docked here leave ' || (w.working - COALESCE(k.docked, 0))
         FROM stations s
         JOIN (SELECT station_id, COUNT(*) free FROM docks WHERE in_service = 1 AND bike_id IS NULL
               GROUP BY station_id) f ON f.station_id = s.id
         JOIN (SELECT station_id, COUNT(*) working FROM docks WHERE in_service = 1
               GROUP BY station_id) w ON w.station_id = s.id
         LEFT JOIN (SELECT station_id, COUNT(*) docked FROM bikes WHERE state = 'docked'
               GROUP BY station_id) k ON k.station_id = s.id
         WHERE f.free != w.working - COALESCE(k.docked, 0)
         UNION ALL
         SELECT 'station ' || s.id, 'no free dock, but ' || w.working || ' working docks hold '
                || COALESCE(k.docked, 0) || ' bikes'
         FROM stations s
         JOIN (SELECT station_id, COUNT(*) working FROM docks WHERE in_service = 1
               GROUP BY station_id) w ON w.station_id = s.id
         LEFT JOIN (SELECT station_id, COUNT(*) docked FROM bikes WHERE state = 'docked'
               GROUP BY station_id) k ON k.station_id = s.id
         WHERE NOT EXISTS (SELECT 1 FROM docks d WHERE d.station_id = s.id AND d.in_service = 1
                           AND +d.bike_id IS NULL)
           AND COALESCE(k.docked, 0) != w.working",
    ),
];

/// Every broken fleet invariant (empty when the fleet is consistent).
pub fn verify(c: &Connection) -> Result<Vec<FleetProblem>> {
    let mut out = Vec::new();
    for (check, sql) in CHECKS {
        let mut st = c.prepare_cached(sql)?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (subject, detail) = row?;
            out.push(FleetProblem {
                check: (*check).to_string(),
                subject,
                detail,
            });
        }
    }
    Ok(out)
}
