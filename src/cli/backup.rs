//! `velodesk backup`: copy a system's database while it is in use (a server running), with
//! SQLite's online backup API, then check the copy opens as a velodesk system.

use super::CliError;
use super::server_args::BackupArgs;
use super::system::open_system;
use crate::engine::Settings;
use color_eyre::eyre;
use rusqlite::{Connection, OpenFlags};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

pub fn run(a: &BackupArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    if !a.db.is_file() {
        return Err(CliError::input(format!(
            "--db {}: no such database file",
            a.db.display()
        )));
    }
    if a.out.exists() {
        return Err(CliError::input(format!(
            "--out {}: exists already; choose a new file",
            a.out.display()
        )));
    }
    let fail = |doing: String| {
        move |e: rusqlite::Error| CliError::Failed(eyre::Report::new(e).wrap_err(doing))
    };
    let src = Connection::open_with_flags(&a.db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(fail(format!("opening {}", a.db.display())))?;
    src.busy_timeout(Duration::from_secs(5))
        .map_err(fail("setting the busy timeout".into()))?;
    let mut dst =
        Connection::open(&a.out).map_err(fail(format!("creating {}", a.out.display())))?;
    {
        let backup = rusqlite::backup::Backup::new(&src, &mut dst)
            .map_err(fail("starting the backup".into()))?;
        // A few pages at a time, pausing between, so a busy server's writer is not starved.
        backup
            .run_to_completion(256, Duration::from_millis(5), None)
            .map_err(fail("copying the database".into()))?;
    }
    let check: String = dst
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(fail("checking the copy".into()))?;
    drop(dst);
    if check != "ok" {
        return Err(CliError::Failed(eyre::eyre!(
            "the copy {} failed its integrity check: {check}",
            a.out.display()
        )));
    }
    let mut engine = open_system(&a.out, Settings::default())?;
    let riders = engine
        .read(|_, c| Ok(crate::store::people::count_riders(c)?))
        .map_err(|e| CliError::Failed(eyre::Report::new(e)))?;
    let bytes = std::fs::metadata(&a.out).map(|m| m.len()).unwrap_or(0);
    writeln!(
        out,
        "Backed up {} to {} ({riders} riders, {} KiB); integrity check ok.",
        a.db.display(),
        a.out.display(),
        bytes / 1024
    )?;
    Ok(ExitCode::SUCCESS)
}
