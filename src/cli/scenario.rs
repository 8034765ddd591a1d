//! `velodesk scenario FILE|DIR...`: run scenario files (the format: `docs/scenarios.md`)
//! and print one line per file: `PASS name`, `FAIL name: line N: message` (the file ran and
//! a line did not hold: exit 1) or `BAD name: line N: message` (the file cannot run as a
//! scenario: exit 2, a bad file, named on standard error with its line). A directory stands
//! for its `*.scn` files, sorted by name. Every file runs, whatever the others did.

use super::CliError;
use super::args::ScenarioArgs;
use crate::scenario::{ScenarioResult, run_path};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(a: &ScenarioArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let mut files = Vec::new();
    for path in &a.files {
        files.extend(scenario_files(path)?);
    }
    let (mut failed, mut bad) = (0usize, Vec::new());
    for path in &files {
        let result = run_path(path);
        writeln!(out, "{result}")?;
        match result {
            ScenarioResult::Pass { .. } => {}
            ScenarioResult::Fail { .. } => failed += 1,
            ScenarioResult::Bad { line, message, .. } => {
                bad.push(format!("{}:{line}: {message}", path.display()));
            }
        }
    }
    if files.len() > 1 {
        let passed = files.len() - failed - bad.len();
        match bad.len() {
            0 => writeln!(out, "{passed} passed, {failed} failed")?,
            n => writeln!(out, "{passed} passed, {failed} failed, {n} bad")?,
        }
    }
    if !bad.is_empty() {
        let noun = if bad.len() == 1 { "file" } else { "files" };
        return Err(CliError::input(format!(
            "{}\n(not a scenario {noun}: the format is in docs/scenarios.md)",
            bad.join("\n")
        )));
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The scenario files a command-line argument names: the file itself, or a directory's
/// `*.scn` files sorted by name. A missing path, or a directory without any, is a bad
/// argument (exit 2), found before anything runs.
fn scenario_files(path: &Path) -> Result<Vec<PathBuf>, CliError> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        return Err(CliError::input(format!(
            "{}: no such scenario file or directory",
            path.display()
        )));
    }
    let entries = std::fs::read_dir(path).map_err(|e| {
        CliError::input(format!(
            "{}: cannot read the directory: {e}",
            path.display()
        ))
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let p = entry
            .map_err(|e| {
                CliError::input(format!(
                    "{}: cannot read the directory: {e}",
                    path.display()
                ))
            })?
            .path();
        if p.is_file() && p.extension().is_some_and(|x| x == "scn") {
            files.push(p);
        }
    }
    if files.is_empty() {
        return Err(CliError::input(format!(
            "{}: the directory has no scenario files (*.scn)",
            path.display()
        )));
    }
    files.sort();
    Ok(files)
}
