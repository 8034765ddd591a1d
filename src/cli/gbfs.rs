//! `velodesk gbfs export` and `velodesk import gbfs`: the system's feeds written as files,
//! and stations seeded or updated from a real system's feed. Progress goes to stderr on a
//! terminal and stays quiet in a pipe.

use super::CliError;
use super::gbfs_args::{GbfsExportArgs, ImportGbfsArgs};
use super::system::open_system;
use crate::engine::{EngineError, Settings};
use crate::gbfs::fetch::{self, Source};
use crate::gbfs::import::{self, FeedDocs};
use crate::gbfs::{GbfsError, Publish, Snapshot, Version, feeds};
use crate::store::{self, StoreError};
use chrono::Utc;
use color_eyre::eyre;
use indicatif::{ProgressBar, ProgressStyle};
use reqwest::Url;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

fn failed(doing: String) -> impl FnOnce(EngineError) -> CliError {
    move |e| CliError::Failed(eyre::Report::new(e).wrap_err(doing))
}

/// A bar on stderr that hides itself when stderr is not a terminal.
fn bar(len: u64) -> ProgressBar {
    let pb = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len}") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb
}

fn spinner() -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// The settings given on the command line, checked, as `meta` keys and values.
fn settings(a: &GbfsExportArgs) -> Result<Vec<(&'static str, String)>, CliError> {
    let mut out = Vec::new();
    if let Some(mail) = &a.contact_email {
        let ok = mail.split('@').count() == 2
            && !mail.contains(char::is_whitespace)
            && mail
                .split_once('@')
                .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'));
        if !ok {
            return Err(CliError::input(format!(
                "--contact-email {mail:?}: not an e-mail address"
            )));
        }
        out.push(("gbfs.feed_contact_email", mail.clone()));
    }
    if let Some(url) = &a.url {
        web_url(url, "--url")?;
        out.push(("gbfs.url", url.clone()));
    }
    if let Some(op) = &a.operator {
        if op.trim().is_empty() {
            return Err(CliError::input("--operator: the name is empty"));
        }
        out.push(("gbfs.operator", op.trim().to_string()));
    }
    if let Some(id) = &a.system_id {
        let ok = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            return Err(CliError::input(format!(
                "--system-id {id:?}: use ASCII letters, digits, '-', '_' or '.'"
            )));
        }
        out.push(("gbfs.system_id", id.clone()));
    }
    Ok(out)
}

pub(super) fn web_url(url: &str, flag: &str) -> Result<Url, CliError> {
    match Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(u),
        Ok(u) => Err(CliError::input(format!(
            "{flag} {url:?}: expected an http(s) URL, not {}:",
            u.scheme()
        ))),
        Err(e) => Err(CliError::input(format!("{flag} {url:?}: not a URL ({e})"))),
    }
}

pub fn export(a: &GbfsExportArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let versions = match a.version.as_deref() {
        None => Version::ALL.to_vec(),
        Some(v) => vec![Version::parse(v).ok_or_else(|| {
            CliError::input(format!("--version {v:?}: velodesk writes GBFS 2.3 or 3.0"))
        })?],
    };
    let chosen = settings(a)?;
    let mut engine = open_system(&a.db, Settings::default())?;
    let shown = a.out.display();
    std::fs::create_dir_all(&a.out)
        .map_err(|e| CliError::input(format!("--out {shown}: cannot create the directory: {e}")))?;
    let base_url = match &a.base_url {
        Some(u) => match Url::parse(u) {
            Ok(p) if matches!(p.scheme(), "http" | "https" | "file") => u.clone(),
            _ => {
                return Err(CliError::input(format!(
                    "--base-url {u:?}: expected an http(s) or file URL"
                )));
            }
        },
        None => {
            let abs = std::fs::canonicalize(&a.out)?;
            Url::from_directory_path(&abs)
                .map_err(|()| CliError::input(format!("--out {shown}: no file URL for it")))?
                .to_string()
        }
    };
    if !chosen.is_empty() {
        engine
            .store()
            .write(|c| -> Result<(), StoreError> {
                for (key, value) in &chosen {
                    store::set_meta(c, key, value)?;
                }
                Ok(())
            })
            .map_err(|e| CliError::Failed(eyre::Report::new(e)))?;
    }
    let snap = Snapshot::load(&mut engine, Utc::now())
        .map_err(failed(format!("reading {}", a.db.display())))?;
    let publish = Publish {
        base_url,
        ttl: a.ttl,
        versions: versions.clone(),
    };
    let mut sets = Vec::new();
    for v in &versions {
        let all = feeds(&snap, *v, &publish).map_err(|e| match e {
            GbfsError::Missing(m) => {
                CliError::input(format!("{m} (or write 2.3 only: --version 2.3)"))
            }
            other => CliError::Failed(eyre::Report::new(other)),
        })?;
        sets.push((*v, all));
    }
    let total: usize = sets.iter().map(|(_, all)| all.len()).sum();
    let pb = bar(total as u64);
    pb.set_message("writing GBFS feeds");
    for (v, all) in &sets {
        let dir = a.out.join(publish.dir(*v));
        std::fs::create_dir_all(&dir)?;
        for f in all {
            write_atomically(&dir.join(f.file_name()), &f.json)?;
            pb.inc(1);
        }
    }
    pb.finish_and_clear();
    for (v, all) in &sets {
        let dir = a.out.join(publish.dir(*v));
        writeln!(
            out,
            "Wrote GBFS {v}: {} files in {}; readers start at {}",
            all.len(),
            dir.display(),
            publish.url(*v, "gbfs")
        )?;
    }
    writeln!(
        out,
        "  {} stations, {} pricing plans, ttl {} s",
        snap.stations.len(),
        snap.tariff.passes.len(),
        a.ttl
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Write a file whole or not at all: a reader never sees half a feed.
fn write_atomically(path: &Path, json: &serde_json::Value) -> Result<(), CliError> {
    let mut text = serde_json::to_vec_pretty(json).map_err(|e| CliError::Failed(e.into()))?;
    text.push(b'\n');
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// The feed's documents, from a directory or a URL, with a spinner naming each step.
fn read_source(source: &Source, pb: &ProgressBar) -> Result<FeedDocs, CliError> {
    let mut step = |what: &str| pb.set_message(format!("reading {what}"));
    match source {
        Source::Dir(dir) => {
            fetch::read_dir(dir, &mut step).map_err(|e| CliError::input(e.to_string()))
        }
        Source::Url(url) => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(fetch::fetch_url(url, &mut step))
                .map_err(|e| match e {
                    GbfsError::NotAFeed { .. } => CliError::input(e.to_string()),
                    other => CliError::Failed(eyre::Report::new(other)),
                })
        }
    }
}

pub fn import(a: &ImportGbfsArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let mut engine = open_system(&a.db, Settings::default())?;
    let source = Source::parse(&a.source);
    let pb = spinner();
    let docs = read_source(&source, &pb);
    let docs = match docs {
        Ok(d) => d,
        Err(e) => {
            pb.finish_and_clear();
            return Err(e);
        }
    };
    pb.set_message("checking stations");
    let plan = import::plan(&docs, a.with_bikes);
    pb.set_message(format!("writing {} stations", plan.import.stations.len()));
    let doing = format!("importing into {}", a.db.display());
    let result = engine
        .advance_to(Utc::now())
        .and_then(|_| engine.import_stations(&plan.import));
    pb.finish_and_clear();
    let report = result.map_err(|e| match e {
        EngineError::Refused { message, .. } => {
            CliError::input(format!("{}: {message}; nothing was imported", docs.source))
        }
        other => failed(doing)(other),
    })?;
    let version = plan
        .version
        .as_deref()
        .map(|v| format!(" (GBFS {v})"))
        .unwrap_or_default();
    writeln!(out, "Imported from {}{version}:", docs.source)?;
    writeln!(
        out,
        "  stations: {} added, {} updated, {} unchanged",
        report.added, report.updated, report.unchanged
    )?;
    if a.with_bikes {
        writeln!(out, "  bikes added: {}", report.bikes_added)?;
    }
    if !plan.skipped.is_empty() {
        writeln!(out, "Skipped {}:", plan.skipped.len())?;
        for s in &plan.skipped {
            writeln!(out, "  station {}: {}", s.station, s.reason)?;
        }
    }
    let notes: Vec<&String> = plan.notes.iter().chain(&report.notes).collect();
    if !notes.is_empty() {
        writeln!(out, "Notes:")?;
        for n in notes {
            writeln!(out, "  {n}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
