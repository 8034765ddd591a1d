//! `velodesk bench day`: build the demo city, then simulate a day as fast as it goes through
//! the `Backend` on the demo's database (WAL, `synchronous=OFF`), beside as many bare SQLite write
//! transactions as the simulator made backend calls, measured in the same run.

use super::{BenchDir, failed, group, human, rate};
use crate::cli::CliError;
use crate::cli::demo::{Bar, runtime, sim_error};
use crate::cli::demo_args::BenchDayArgs;
use crate::sim::city::{self, CityOptions};
use crate::sim::{SimConfig, Simulator, Speed, demo};
use chrono::Duration;
use rusqlite::{Connection, params};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

pub fn run(a: &BenchDayArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let dir = BenchDir::new(a.dir.as_deref())?;
    let db = dir.path().join("almaty.db");
    let mut opts = CityOptions::almaty(1);
    opts.riders = a.riders;
    opts.fill = a.fill;
    writeln!(
        out,
        "bench day: the Almaty demo city, {} riders, fill {:?}, {} simulated hours at speed max, database in {}",
        group(u64::from(a.riders)),
        a.fill,
        a.hours,
        dir.path().display()
    )?;
    let rt = runtime()?;
    let bar = Bar::new();
    let progress = |s: &str, d: u64, t: u64| bar.update(s, d, t);
    let built_at = Instant::now();
    let built = rt
        .block_on(city::build(&db, &opts, &progress))
        .map_err(sim_error("building the demo city"))?;
    bar.finish();
    writeln!(
        out,
        "  build (bulk mode, {} days of history: {} trips): {}",
        opts.history_days,
        group(built.history.trips_ended),
        human(built_at.elapsed())
    )?;

    let (stats, took, verdict) = rt
        .block_on(async {
            let backend = demo::open(&db).await?;
            let now = backend
                .now()
                .await
                .map_err(crate::sim::SimError::backend("reading the clock"))?;
            let mut cfg = SimConfig::new(7, Speed::Max);
            cfg.until = Some(now + Duration::seconds((a.hours * 3600.0) as i64));
            let (_stop, stop) = tokio::sync::watch::channel(false);
            let started = Instant::now();
            let stats = Simulator::new(backend.clone(), cfg).run(stop).await?;
            let took = started.elapsed();
            let ledger = backend
                .verify()
                .await
                .map_err(crate::sim::SimError::backend("verifying"))?;
            let fleet = backend
                .verify_fleet()
                .await
                .map_err(crate::sim::SimError::backend("checking the fleet"))?;
            Ok::<_, crate::sim::SimError>((stats, took, ledger.len() + fleet.len()))
        })
        .map_err(sim_error("simulating the day"))?;
    writeln!(
        out,
        "  simulated day (the demo database: WAL, synchronous=OFF): {} trips, {} cable locks, {} lock errors; {} backend calls in {} ({})",
        group(stats.trips_ended),
        group(stats.cable_locks),
        group(stats.lock_errors),
        group(stats.backend_calls),
        human(took),
        rate(stats.backend_calls, took)
    )?;
    writeln!(
        out,
        "  check afterwards: {}",
        if verdict == 0 {
            "OK, ledger and fleet consistent".to_string()
        } else {
            format!("{verdict} PROBLEMS")
        }
    )?;
    let raw = raw_transactions(&dir.path().join("raw.db"), stats.backend_calls)?;
    writeln!(
        out,
        "  raw SQLite (WAL, synchronous=OFF): {} transactions of one INSERT each, in {} ({})",
        group(stats.backend_calls),
        human(raw),
        rate(stats.backend_calls, raw)
    )?;
    writeln!(
        out,
        "  ratio: the simulated day takes {:.1}× the bare transactions",
        took.as_secs_f64() / raw.as_secs_f64().max(1e-9)
    )?;
    Ok(if verdict == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The baseline: `n` transactions, each one INSERT into an events-shaped table.
fn raw_transactions(path: &Path, n: u64) -> Result<std::time::Duration, CliError> {
    let doing = "timing raw SQLite transactions";
    let mut c = Connection::open(path).map_err(failed(doing))?;
    c.pragma_update(None, "journal_mode", "WAL")
        .map_err(failed(doing))?;
    c.pragma_update(None, "synchronous", "OFF")
        .map_err(failed(doing))?;
    c.execute_batch("CREATE TABLE events (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL) STRICT;")
        .map_err(failed(doing))?;
    let started = Instant::now();
    for i in 0..n {
        let tx = c.transaction().map_err(failed(doing))?;
        tx.prepare_cached(
            "INSERT INTO events (at, kind, payload) VALUES (?1, 'station-changed', ?2)",
        )
        .map_err(failed(doing))?
        .execute(params![
            i as i64,
            "{\"type\":\"station-changed\",\"station\":1001}"
        ])
        .map_err(failed(doing))?;
        tx.commit().map_err(failed(doing))?;
    }
    Ok(started.elapsed())
}
