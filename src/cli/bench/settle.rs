//! `velodesk bench settle`: one nightly posting of many accrued trip charges (R17), timed
//! with `synchronous=FULL`, beside raw SQLite inserting as many rows into a ledger-shaped
//! table in one transaction with one prepared statement.

use super::names::{Rng, rider};
use super::{BenchDir, Progress, failed, group, human, rate};
use crate::api::Accrual;
use crate::cli::CliError;
use crate::cli::args::BenchSettleArgs;
use crate::domain::ledger::{Actor, EntryKind, Moves};
use crate::domain::time::{format_local, local_midnight};
use crate::domain::{RiderId, Tenge};
use crate::store::ledger::{self as sl, NewEntry};
use crate::store::{Store, people};
use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, params};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Trip charges as they fall (D2 bracket totals): mostly short paid trips.
const CHARGES: &[(u64, i64, &str)] = &[
    (60, 100, "45 min trip (31–60 min bracket)"),
    (25, 250, "95 min trip (61–120 min bracket)"),
    (10, 500, "150 min trip (121–180 min bracket)"),
    (4, 1000, "200 min trip (181–240 min bracket)"),
    (
        1,
        2000,
        "270 min trip (past 240 min: +1 000 ₸ per started 60 min)",
    ),
];

fn charge(rng: &mut Rng) -> (i64, &'static str) {
    let mut roll = rng.below(100);
    for &(weight, amount, label) in CHARGES {
        if roll < weight {
            return (amount, label);
        }
        roll -= weight;
    }
    (100, CHARGES[0].2)
}

pub fn run(a: &BenchSettleArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let dir = BenchDir::new(a.dir.as_deref())?;
    let mut engine = dir.engine()?;
    let tz = engine.time_zone();
    let day = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap_or_default();
    let midnight = local_midnight(tz, day);
    // The clock stands an hour before the midnight: the trips of the evening are accrued.
    engine
        .advance_to(midnight - Duration::hours(1))
        .map_err(failed("setting the bench clock"))?;

    writeln!(
        out,
        "bench settle: {} riders, {} accrued trip charges due at {} ({tz}), database in {}",
        group(a.riders),
        group(a.charges),
        format_local(tz, midnight),
        dir.path().display()
    )?;
    let built = Instant::now();
    build(engine.store(), a.riders, a.charges, midnight)?;
    let build_time = built.elapsed();
    writeln!(
        out,
        "  build (bulk mode, synchronous=OFF, one transaction): {}",
        human(build_time)
    )?;

    // Timed: one nightly posting, durable as in production.
    let started = Instant::now();
    let report = engine
        .advance_to(midnight + Duration::seconds(1))
        .map_err(failed("running the nightly posting"))?;
    let posting = started.elapsed();
    writeln!(
        out,
        "  nightly posting (synchronous=FULL): {} entries for {} riders, {} total, {} restricted, in {} ({})",
        group(report.entries),
        group(report.riders),
        Tenge(report.total),
        group(report.restricted),
        human(posting),
        rate(report.entries, posting)
    )?;

    let verified = Instant::now();
    let mismatches = engine.verify().map_err(failed("verifying the balances"))?;
    writeln!(
        out,
        "  check afterwards: {} in {}",
        if mismatches.is_empty() {
            "OK, every balance equals its entries".to_string()
        } else {
            format!("{} MISMATCHES", mismatches.len())
        },
        human(verified.elapsed())
    )?;

    let raw = raw_inserts(&dir.path().join("raw.db"), a.riders, a.charges)?;
    writeln!(
        out,
        "  raw SQLite (synchronous=FULL, WAL): {} rows into a ledger-shaped table, one transaction, one prepared statement, in {} ({})",
        group(a.charges),
        human(raw),
        rate(a.charges, raw)
    )?;
    let ratio = posting.as_secs_f64() / raw.as_secs_f64().max(1e-9);
    writeln!(
        out,
        "  ratio: the nightly posting takes {ratio:.1}× the raw inserts"
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Riders with an opening payment, and the evening's trip charges, written directly through
/// the store in one transaction with durability relaxed (the file is thrown away on failure).
fn build(
    store: &mut Store,
    riders: u64,
    charges: u64,
    midnight: chrono::DateTime<chrono::Utc>,
) -> Result<(), CliError> {
    store
        .set_bulk_mode(true)
        .map_err(failed("entering bulk mode"))?;
    let registered = midnight - Duration::days(30);
    let system = Actor::System;
    store
        .write(|c| -> Result<(), crate::store::StoreError> {
            let mut progress = Progress::new("riders", riders);
            let mut rng = Rng::new(0x005E_771E);
            for id in 1..=riders {
                let r = rider(id);
                people::insert_rider(c, &r, registered)?;
                // Opening balances of 500–5 000: some riders end the night in debt (R18).
                let amount = Tenge(500 * (1 + rng.below(10) as i64));
                let mut e = NewEntry::new(
                    RiderId(id as i64),
                    registered,
                    EntryKind::Payment,
                    &system,
                    "payment",
                );
                e.method = Some("card");
                e.moves = Moves {
                    money: amount,
                    ..Moves::default()
                };
                sl::append(c, &e)?;
                if id.is_multiple_of(1024) {
                    progress.tick(id);
                }
            }
            progress.done();
            let mut progress = Progress::new("charges", charges);
            for n in 1..=charges {
                let (amount, label) = charge(&mut rng);
                let ended = midnight - Duration::seconds(60 + rng.below(12 * 3600) as i64);
                sl::add_accrual(
                    c,
                    &Accrual {
                        id: 0,
                        rider: RiderId(1 + rng.below(riders) as i64),
                        kind: EntryKind::TripCharge,
                        amount: Tenge(amount),
                        at: ended,
                        due_at: midnight,
                        label: label.to_string(),
                        rental: None,
                    },
                    None,
                )?;
                if n.is_multiple_of(4096) {
                    progress.tick(n);
                }
            }
            progress.done();
            Ok(())
        })
        .map_err(failed("building the bench database"))?;
    store
        .set_bulk_mode(false)
        .map_err(failed("restoring synchronous=FULL"))?;
    Ok(())
}

/// The baseline: the same number of rows into a table shaped like `ledger` (same columns,
/// same indexes), in one transaction through one prepared statement, `synchronous=FULL`.
fn raw_inserts(path: &Path, riders: u64, rows: u64) -> Result<std::time::Duration, CliError> {
    let doing = "timing raw SQLite inserts";
    let mut c = Connection::open(path).map_err(failed(doing))?;
    c.pragma_update(None, "journal_mode", "WAL")
        .map_err(failed(doing))?;
    c.pragma_update(None, "synchronous", "FULL")
        .map_err(failed(doing))?;
    c.execute_batch(
        "CREATE TABLE ledger (
            id INTEGER PRIMARY KEY, rider_id INTEGER NOT NULL, at INTEGER NOT NULL,
            kind TEXT NOT NULL, money INTEGER NOT NULL DEFAULT 0, bonus INTEGER NOT NULL DEFAULT 0,
            deposit INTEGER NOT NULL DEFAULT 0, actor TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
            method TEXT, corrects INTEGER, rental_id INTEGER, fine_id INTEGER, accrual_id INTEGER UNIQUE
         ) STRICT;
         CREATE INDEX ledger_rider ON ledger (rider_id, id);",
    )
    .map_err(failed(doing))?;
    let mut rng = Rng::new(0xBA5E);
    let mut progress = Progress::new("raw rows", rows);
    let started = Instant::now();
    let tx = c.transaction().map_err(failed(doing))?;
    {
        let mut st = tx
            .prepare(
                "INSERT INTO ledger (rider_id, at, kind, money, bonus, deposit, actor, reason, accrual_id)
                 VALUES (?1, ?2, 'trip-charge', ?3, 0, 0, 'system', ?4, ?5)",
            )
            .map_err(failed(doing))?;
        for n in 1..=rows {
            let (amount, label) = charge(&mut rng);
            st.execute(params![
                1 + rng.below(riders) as i64,
                1_748_800_800i64,
                -amount,
                label,
                n as i64
            ])
            .map_err(failed(doing))?;
            if n.is_multiple_of(4096) {
                progress.tick(n);
            }
        }
    }
    tx.commit().map_err(failed(doing))?;
    let took = started.elapsed();
    progress.done();
    Ok(took)
}
