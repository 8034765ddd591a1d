//! `velodesk bench search`: rider search (`store::people::search`, through the engine) by
//! ID, phone, surname prefix, e-mail and card over a large population, beside a raw SQLite
//! primary-key lookup on the same connection.

use super::names::{Rng, rider};
use super::{BenchDir, Progress, failed, group, human, median_p99};
use crate::api::NewRider;
use crate::cli::CliError;
use crate::cli::args::BenchSearchArgs;
use crate::domain::time::local_midnight;
use crate::store::StoreError;
use crate::store::people;
use chrono::NaiveDate;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// What an agent types for each kind of search, for rider `r`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Id,
    Phone,
    SurnamePrefix,
    Email,
    Card,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::Id,
        Kind::Phone,
        Kind::SurnamePrefix,
        Kind::Email,
        Kind::Card,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Id => "ID",
            Kind::Phone => "phone (8 7xx xxx xx xx)",
            Kind::SurnamePrefix => "surname prefix (3 letters)",
            Kind::Email => "e-mail",
            Kind::Card => "card",
        }
    }

    /// The query for rider `r`, or `None` when the rider has no such field.
    fn query(self, r: &NewRider) -> Option<String> {
        match self {
            Kind::Id => r.id.map(|id| id.to_string()),
            Kind::Phone => r.phone.as_ref().map(|p| {
                // As agents type it: 8 701 123 45 67.
                let d = &p[2..];
                format!("8 {} {} {} {}", &d[..3], &d[3..6], &d[6..8], &d[8..])
            }),
            Kind::SurnamePrefix => Some(r.surname.chars().take(3).collect()),
            Kind::Email => r.email.clone(),
            Kind::Card => r.card.clone(),
        }
    }
}

pub fn run(a: &BenchSearchArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let dir = BenchDir::new(a.dir.as_deref())?;
    let mut engine = dir.engine()?;
    let registered = local_midnight(
        engine.time_zone(),
        NaiveDate::from_ymd_opt(2025, 5, 1).unwrap_or_default(),
    );
    writeln!(
        out,
        "bench search: {} riders, database in {}",
        group(a.riders),
        dir.path().display()
    )?;

    let built = Instant::now();
    let store = engine.store();
    store
        .set_bulk_mode(true)
        .map_err(failed("entering bulk mode"))?;
    store
        .write(|c| -> Result<(), StoreError> {
            let mut progress = Progress::new("riders", a.riders);
            for id in 1..=a.riders {
                people::insert_rider(c, &rider(id), registered)?;
                if id.is_multiple_of(1024) {
                    progress.tick(id);
                }
            }
            progress.done();
            Ok(())
        })
        .map_err(failed("building the bench database"))?;
    store
        .set_bulk_mode(false)
        .map_err(failed("restoring synchronous=FULL"))?;
    store
        .connection()
        .execute_batch("ANALYZE")
        .map_err(failed("analysing the bench database"))?;
    writeln!(
        out,
        "  build (bulk mode, one transaction, then ANALYZE): {}",
        human(built.elapsed())
    )?;
    writeln!(
        out,
        "  {:<28} {:>7} {:>10} {:>10} {:>9}",
        "query", "n", "median", "p99", "found"
    )?;

    let mut rng = Rng::new(0x5EA4C4);
    for kind in Kind::ALL {
        let mut samples = Vec::new();
        let mut found = 0u64;
        while (samples.len() as u64) < a.queries {
            let r = rider(1 + rng.below(a.riders));
            let Some(q) = kind.query(&r) else { continue };
            let started = Instant::now();
            let hits = engine.search_riders(&q, 20).map_err(failed("searching"))?;
            samples.push(started.elapsed());
            let wanted = r.id.unwrap_or_default();
            let ok = match kind {
                // A prefix finds 20 of thousands: any hit with that prefix counts.
                Kind::SurnamePrefix => hits.iter().any(|h| h.name.starts_with(&q)),
                _ => hits.iter().any(|h| h.id == wanted),
            };
            found += u64::from(ok);
        }
        let n = samples.len() as u64;
        let (median, p99) = median_p99(&mut samples);
        writeln!(
            out,
            "  {:<28} {:>7} {:>10} {:>10} {:>9}",
            kind.name(),
            n,
            human(median),
            human(p99),
            format!("{found}/{n}")
        )?;
    }

    let mut samples = Vec::new();
    let mut found = 0u64;
    {
        let c = engine.store().connection();
        let mut st = c
            .prepare("SELECT id, surname, name, phone, email, balance FROM riders WHERE id = ?1")
            .map_err(failed("preparing the raw lookup"))?;
        for _ in 0..a.queries {
            let id = 1 + rng.below(a.riders) as i64;
            let started = Instant::now();
            let got: Option<i64> = st
                .query_row([id], |r| r.get(0))
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    other => Err(other),
                })
                .map_err(failed("raw lookup"))?;
            samples.push(started.elapsed());
            found += u64::from(got == Some(id));
        }
    }
    let n = samples.len() as u64;
    let (median, p99): (Duration, Duration) = median_p99(&mut samples);
    writeln!(
        out,
        "  {:<28} {:>7} {:>10} {:>10} {:>9}",
        "raw SQLite primary-key row",
        n,
        human(median),
        human(p99),
        format!("{found}/{n}")
    )?;
    Ok(ExitCode::SUCCESS)
}
