//! `velodesk init`, `settle` and `check`: create a system, run its nightly postings, and
//! re-verify its balances from the ledger.

use super::args::{CheckArgs, InitArgs, SettleArgs};
use super::{CliError, tariff_source};
use crate::api::PostingReport;
use crate::domain::Tenge;
use crate::domain::time::{format_local, parse_local};
use crate::engine::{Engine, EngineError, Settings};
use crate::store::{Store, StoreError, people};
use chrono::Utc;
use color_eyre::eyre;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// An engine error that is not the user's doing, with what we were trying to do.
fn failed(doing: String) -> impl FnOnce(EngineError) -> CliError {
    move |e| CliError::Failed(eyre::Report::new(e).wrap_err(doing))
}

/// Open an existing system; a missing file or one that is not a velodesk database is a
/// bad argument (exit 2), not a crash, and is left as it was: nothing is written to a file
/// before it is known to hold a velodesk system (an older one is then migrated).
pub fn open_system(db: &Path, settings: Settings) -> Result<Engine, CliError> {
    open(db, settings, Store::open_existing)
}

/// Open an existing system to read it only (`check`): the file is never written, not even
/// migrated ([`Store::open_read_only`]).
pub fn open_system_read_only(db: &Path) -> Result<Engine, CliError> {
    open(db, Settings::default(), Store::open_read_only)
}

fn open(
    db: &Path,
    settings: Settings,
    open_store: fn(&Path) -> Result<Store, StoreError>,
) -> Result<Engine, CliError> {
    let shown = db.display();
    if !db.is_file() {
        return Err(CliError::input(format!(
            "--db {shown}: no such database file (create one with `velodesk init --db {shown} --tariff astana`)"
        )));
    }
    let store = open_store(db).map_err(|e| match e {
        StoreError::NotASystem(_) => CliError::input(format!("--db {shown}: {e}")),
        e => CliError::input(format!(
            "--db {shown}: cannot open it as a velodesk database: {e}"
        )),
    })?;
    Engine::new(store, settings).map_err(|e| match e {
        EngineError::Store(StoreError::NotASystem(_)) | EngineError::Refused { .. } => {
            CliError::input(format!("--db {shown}: {e}"))
        }
        other => failed(format!("opening {shown}"))(other),
    })
}

pub fn init(a: &InitArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let source = tariff_source::load(a.tariff.as_deref().unwrap_or_default())?;
    let shown = a.db.display();
    let existed = a.db.exists();
    let store = Store::open(&a.db).map_err(|e| {
        CliError::input(format!(
            "--db {shown}: cannot create or open a database there: {e}"
        ))
    })?;
    let engine =
        Engine::init(store, &source.name, &source.text, Settings::default()).map_err(|e| match e {
            EngineError::Refused { message, .. } => {
                CliError::input(format!("--db {shown}: {message}; nothing was changed"))
            }
            other => failed(format!("creating a system in {shown}"))(other),
        });
    let engine = match engine {
        Ok(engine) => engine,
        Err(e) => {
            if !existed {
                remove_database(&a.db);
            }
            return Err(e);
        }
    };
    let t = &source.tariff;
    writeln!(out, "Created a velodesk system for {} in {shown}.", t.city)?;
    writeln!(
        out,
        "  tariff:    {} ({}), from {}",
        t.name, source.name, t.effective_from
    )?;
    writeln!(out, "  time zone: {}", engine.time_zone())?;
    writeln!(
        out,
        "Next: `velodesk settle --db {shown}` runs the nightly postings; `velodesk check --db {shown}` verifies balances."
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Remove a database file this command created and could not finish.
pub fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

pub fn settle(a: &SettleArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let mut engine = open_system(&a.db, Settings::default())?;
    let tz = engine.time_zone();
    // A database on a simulated clock (the demo city's) settles to its own time, never to
    // the system clock's, unless --at says otherwise.
    let simulated = engine
        .read(|_, c| Ok(crate::store::simulated_now(c)?))
        .map_err(failed(format!("reading the clock of {}", a.db.display())))?;
    let at = match &a.at {
        Some(text) => parse_local(tz, text).ok_or_else(|| {
            CliError::input(format!(
                "--at {text:?}: expected a local time YYYY-MM-DD HH:MM (zone {tz})"
            ))
        })?,
        None => simulated.unwrap_or_else(Utc::now),
    };
    let report = engine.advance_to(at).map_err(|e| match e {
        EngineError::Refused { message, .. } => CliError::input(format!("--at: {message}")),
        other => failed(format!("settling {}", a.db.display()))(other),
    })?;
    let mut when = format!("{} ({tz})", format_local(tz, at));
    if a.at.is_none() && simulated.is_some() {
        when.push_str(
            ", the database's simulated clock (its last event; --at settles to another time)",
        );
    }
    write_report(out, &report, &when)?;
    if report.failed == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    // D31: the others posted; the riders who did not are named, and the run says it failed.
    let failures = engine
        .read(|_, c| Ok(crate::store::ledger::posting_failures(c)?))
        .map_err(failed(format!("reading {}", a.db.display())))?;
    writeln!(
        out,
        "Not posted (every other rider was): a supervisor must mend these accounts (D31):"
    )?;
    for (rider, f) in failures {
        writeln!(out, "  rider {rider}: {}", f.error)?;
    }
    Ok(ExitCode::FAILURE)
}

fn write_report(out: &mut dyn Write, r: &PostingReport, when: &str) -> std::io::Result<()> {
    writeln!(out, "Settled up to {when}.")?;
    if r.midnights == 0 {
        writeln!(out, "No nightly posting was due: nothing posted.")?;
    }
    let lines: [(&str, String); 8] = [
        ("midnights posted", r.midnights.to_string()),
        ("ledger entries", r.entries.to_string()),
        ("riders charged", r.riders.to_string()),
        ("total posted", Tenge(r.total).to_string()),
        ("riders restricted", r.restricted.to_string()),
        ("restrictions lifted", r.lifted.to_string()),
        ("deposits released", r.deposits_released.to_string()),
        ("riders not posted", r.failed.to_string()),
    ];
    for (what, value) in lines {
        writeln!(out, "  {:<20} {value}", format!("{what}:"))?;
    }
    Ok(())
}

pub fn check(a: &CheckArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let mut engine = open_system_read_only(&a.db)?;
    let doing = || format!("verifying {}", a.db.display());
    let mismatches = engine.verify().map_err(failed(doing()))?;
    let riders = engine
        .read(|_, c| Ok(crate::store::people::count_riders(c)?))
        .map_err(failed(doing()))?;
    if mismatches.is_empty() {
        let noun = if riders == 1 { "rider" } else { "riders" };
        writeln!(out, "OK: {riders} {noun} verified")?;
        let fleet_ok = super::fleet_check::check_fleet(&mut engine, &a.db, out)?;
        return Ok(if fleet_ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let mut who: Vec<_> = mismatches.iter().map(|m| m.rider).collect();
    who.dedup();
    for m in &mismatches {
        let name = engine
            .read(|_, c| Ok(people::rider(c, m.rider)?))
            .map_err(failed(doing()))?
            .map(|r| r.full_name())
            .unwrap_or_default();
        writeln!(
            out,
            "MISMATCH rider {} ({name}): {} is {} in the cache but {} from the ledger entries",
            m.rider, m.what, m.cached, m.from_entries
        )?;
    }
    writeln!(
        out,
        "FAILED: {} of {riders} riders disagree with their ledger (D9)",
        who.len()
    )?;
    super::fleet_check::check_fleet(&mut engine, &a.db, out)?;
    Ok(ExitCode::FAILURE)
}
