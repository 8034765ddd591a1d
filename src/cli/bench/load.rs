//! `velodesk bench load`: not yet written.

use super::super::CliError;
use super::super::server_args::BenchLoadArgs;
use std::io::Write;
use std::process::ExitCode;

pub fn run(_a: &BenchLoadArgs, _out: &mut dyn Write) -> Result<ExitCode, CliError> {
    Err(CliError::input("bench load: not yet written"))
}
