//! `velodesk backup`: copy a system's database while it is in use (a server running), with
//! SQLite's online backup API, then check the copy opens as a velodesk system. The copy is
//! one snapshot, taken in one step: the database is in WAL mode, so the read it holds does
//! not stop the server's writes — whereas a copy made in steps starts over whenever another
//! connection writes between two of them (SQLite's backup documentation), which on a busy
//! system could go on for a long time. It is
//! written beside `--out` and renamed into place only once checked: a failed backup leaves
//! no half-copy under the name asked for.

use super::CliError;
use super::server_args::BackupArgs;
use super::system::open_system;
use crate::engine::Settings;
use color_eyre::eyre;
use rusqlite::backup::StepResult;
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
    let fail = |doing: String| -> Box<dyn FnOnce(rusqlite::Error) -> CliError> {
        Box::new(move |e| CliError::Failed(eyre::Report::new(e).wrap_err(doing)))
    };
    let src = Connection::open_with_flags(&a.db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(fail(format!("opening {}", a.db.display())))?;
    src.busy_timeout(Duration::from_secs(5))
        .map_err(fail("setting the busy timeout".into()))?;
    let mut partial = a.out.clone().into_os_string();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    let copied = copy(&src, &partial, &fail);
    let placed = copied.and_then(|()| {
        std::fs::rename(&partial, &a.out).map_err(|e| {
            CliError::Failed(
                eyre::Report::new(e).wrap_err(format!("moving the copy to {}", a.out.display())),
            )
        })
    });
    if let Err(e) = placed {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
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

/// Copy `src` into a new database at `to` in one step and check its integrity.
fn copy(
    src: &Connection,
    to: &std::path::Path,
    fail: &dyn Fn(String) -> Box<dyn FnOnce(rusqlite::Error) -> CliError>,
) -> Result<(), CliError> {
    let mut dst = Connection::open(to).map_err(fail(format!("creating {}", to.display())))?;
    {
        let backup = rusqlite::backup::Backup::new(src, &mut dst)
            .map_err(fail("starting the backup".into()))?;
        // Every page in one step (-1); a busy or locked source is tried again.
        loop {
            match backup
                .step(-1)
                .map_err(fail("copying the database".into()))?
            {
                StepResult::Done => break,
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    let check: String = dst
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(fail("checking the copy".into()))?;
    if check != "ok" {
        return Err(CliError::Failed(eyre::eyre!(
            "the copy failed its integrity check: {check}"
        )));
    }
    Ok(())
}
