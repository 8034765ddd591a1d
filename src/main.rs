//! The `velodesk` command. Arguments are parsed by clap (usage errors exit 2); the work is
//! `velodesk::cli::run`. Our own errors exit 2 for bad arguments and files, 1 otherwise.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use velodesk::cli::{self, Cli, CliError};

fn main() -> ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("velodesk: could not install the error reporter: {e}");
    }
    let args = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = cli::run(args, &mut out);
    let flushed = out.flush();
    match result {
        Ok(code) => match flushed {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                eprintln!("velodesk: could not write the output: {e}");
                ExitCode::FAILURE
            }
            _ => code,
        },
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            match &e {
                CliError::Input(message) => eprintln!("velodesk: error: {message}"),
                // The cause chain on one line; the full report (location, backtrace) on request.
                CliError::Failed(report) if std::env::var_os("RUST_BACKTRACE").is_some() => {
                    eprintln!("velodesk: error: {report:?}")
                }
                CliError::Failed(report) => eprintln!("velodesk: error: {report:#}"),
            }
            e.exit_code()
        }
    }
}
