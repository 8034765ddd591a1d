//! `velodesk scenario FILE...`: run scenario files (see `shared/SCENARIOS.md`) and print
//! one line per file: `PASS name` or `FAIL name: line N: message`.

use super::CliError;
use super::args::ScenarioArgs;
use crate::scenario::{ScenarioResult, run_path};
use std::io::Write;
use std::process::ExitCode;

pub fn run(a: &ScenarioArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    if let Some(missing) = a.files.iter().find(|p| !p.is_file()) {
        return Err(CliError::input(format!(
            "{}: no such scenario file",
            missing.display()
        )));
    }
    let mut failed = 0usize;
    for path in &a.files {
        match run_path(path) {
            ScenarioResult::Pass { name } => writeln!(out, "PASS {name}")?,
            ScenarioResult::Fail {
                name,
                line,
                message,
            } => {
                failed += 1;
                writeln!(out, "FAIL {name}: line {line}: {message}")?;
            }
        }
    }
    if a.files.len() > 1 {
        writeln!(out, "{} passed, {failed} failed", a.files.len() - failed)?;
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
