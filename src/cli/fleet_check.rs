//! `velodesk check`, the fleet half: every fleet invariant (a bike in one place, dock
//! counts) re-checked beside the ledger; each broken one is printed and fails the check.

use super::CliError;
use crate::engine::Engine;
use color_eyre::eyre;
use std::io::Write;
use std::path::Path;

/// Print the fleet's verdict (nothing for a system without stations); true when it holds.
pub fn check_fleet(engine: &mut Engine, db: &Path, out: &mut dyn Write) -> Result<bool, CliError> {
    let failed = |e| {
        CliError::Failed(
            eyre::Report::new(e).wrap_err(format!("checking the fleet of {}", db.display())),
        )
    };
    let problems = engine.verify_fleet().map_err(failed)?;
    let stations = engine.stations().map_err(failed)?;
    if stations.is_empty() && problems.is_empty() {
        return Ok(true);
    }
    for p in &problems {
        writeln!(out, "FLEET {p}")?;
    }
    if problems.is_empty() {
        let docks: u32 = stations.iter().map(|s| s.docks).sum();
        writeln!(
            out,
            "OK: fleet consistent at {} stations, {docks} docks: every bike in one place",
            stations.len()
        )?;
        Ok(true)
    } else {
        writeln!(
            out,
            "FAILED: {} fleet problems: a bike must be in one place, and a station's free docks its working docks less its bikes",
            problems.len()
        )?;
        Ok(false)
    }
}
