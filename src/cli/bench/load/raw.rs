//! The raw SQLite figure measured beside the server's: the same writes, one durable
//! transaction per request, one thread.

use super::super::failed;
use crate::cli::CliError;
use crate::server::secret;
use crate::store::Store;
use rusqlite::params;
use std::path::Path;
use std::time::{Duration, Instant};

/// Raw SQLite: per request, one durable transaction with the rows a station request
/// writes (its bike, its dock, two events, the idempotency record), on velodesk's schema.
pub(super) fn raw_baseline(dir: &Path, run: Duration) -> Result<(u64, Duration), CliError> {
    let path = dir.join("raw.db");
    let mut store = Store::open(&path).map_err(failed("creating the raw database"))?;
    let c = store.connection();
    c.execute_batch(
        "INSERT INTO stations (id, name, address, lat, lon, active, updated_at)
             VALUES (1, 'raw', '', 0, 0, 1, 0);
         INSERT INTO docks (station_id, number) VALUES (1, 1);
         INSERT INTO bikes (id, state, station_id, updated_at) VALUES (1, 'docked', 1, 0);",
    )
    .map_err(failed("preparing the raw database"))?;
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < run {
        n += 1;
        let tx = c
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(failed("raw transaction"))?;
        let docked = n.is_multiple_of(2);
        tx.prepare_cached(
            "UPDATE bikes SET state = ?2, station_id = ?3, updated_at = ?4 WHERE id = ?1",
        )
        .and_then(|mut st| {
            let (state, station) = if docked {
                ("docked", Some(1))
            } else {
                ("rental", None)
            };
            st.execute(params![1, state, station, n as i64])
        })
        .map_err(failed("raw update"))?;
        tx.prepare_cached("UPDATE docks SET bike_id = ?1 WHERE station_id = 1 AND number = 1")
            .and_then(|mut st| st.execute(params![docked.then_some(1)]))
            .map_err(failed("raw update"))?;
        for kind in ["station-changed", "rental-started"] {
            tx.prepare_cached("INSERT INTO events (at, kind, payload) VALUES (?1, ?2, ?3)")
                .and_then(|mut st| st.execute(params![n as i64, kind, "{\"station\":1}"]))
                .map_err(failed("raw insert"))?;
        }
        let key = format!("raw-{n}");
        tx.prepare_cached(
            "INSERT INTO idempotency (principal, key, fingerprint, status, body, created_at)
             VALUES ('station:1', ?1, ?2, 200, 'null', ?3)",
        )
        .and_then(|mut st| st.execute(params![key, secret::token_hash(&key), n as i64]))
        .map_err(failed("raw insert"))?;
        tx.commit().map_err(failed("raw commit"))?;
    }
    Ok((n, started.elapsed()))
}
