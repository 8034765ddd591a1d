//! The command line (`velodesk …`): each command turns its arguments into calls on the
//! engine and prints the answer. This is the edge: errors become messages and exit codes
//! here (2 for bad arguments and bad files, 1 for a failed check or run), never deeper.

pub mod args;
mod backup;
mod bench;
pub mod config;
pub(crate) mod console;
mod demo;
pub mod demo_args;
mod demo_progress;
mod fleet_check;
mod gbfs;
pub mod gbfs_args;
mod quote;
mod restore;
mod scenario;
mod serve;
pub(crate) mod serve_replication;
pub mod server_args;
mod staff;
mod system;
mod tariff_source;

pub use args::Cli;
use args::{BenchCommand, Command};
use color_eyre::eyre;
use std::io::Write;
use std::process::ExitCode;

/// Why a command did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments or a bad file, in words that say what and where: exit code 2.
    #[error("{0}")]
    Input(String),
    /// The work failed for another reason (the disk, the database): exit code 1.
    #[error(transparent)]
    Failed(#[from] eyre::Report),
}

impl CliError {
    pub fn input(message: impl Into<String>) -> CliError {
        CliError::Input(message.into())
    }

    /// The exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Input(_) => ExitCode::from(2),
            CliError::Failed(_) => ExitCode::FAILURE,
        }
    }

    /// Output went to a closed pipe (`velodesk … | head`): not worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            CliError::Failed(report) => report.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }),
            CliError::Input(_) => false,
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Failed(eyre::Report::new(e))
    }
}

/// Run one command, printing its result to `out`. The exit code says whether what was
/// checked holds (`check`, `scenario`); errors say why the command could not run.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let Some(command) = cli.command else {
        return console::run(&cli.console);
    };
    if !matches!(command, Command::Console(_) | Command::Demo(_)) {
        // The console (and the demo's console) log to their file, set when they start.
        crate::logging::to_stderr();
    }
    match command {
        Command::Console(a) => console::run(&a),
        Command::Quote(a) => quote::run(&a, out),
        Command::Init(a) if a.demo.demo.is_some() => demo::init(&a, out),
        Command::Init(a) => system::init(&a, out),
        Command::Settle(a) => system::settle(&a, out),
        Command::Check(a) => system::check(&a, out),
        Command::Scenario(a) => scenario::run(&a, out),
        Command::Bench(BenchCommand::Settle(a)) => bench::settle::run(&a, out),
        Command::Bench(BenchCommand::Search(a)) => bench::search::run(&a, out),
        Command::Bench(BenchCommand::Console(a)) => bench::console::run(&a, out),
        Command::Bench(BenchCommand::Start(a)) => bench::start::run(&a, out),
        Command::Gbfs(gbfs_args::GbfsCommand::Export(a)) => gbfs::export(&a, out),
        Command::Import(gbfs_args::ImportCommand::Gbfs(a)) => gbfs::import(&a, out),
        Command::Bench(BenchCommand::Day(a)) => bench::day::run(&a, out),
        Command::Bench(BenchCommand::Rebalance(a)) => bench::rebalance::run(&a, out),
        Command::Demo(a) => demo::run(&a, out),
        Command::Bench(BenchCommand::Load(a)) => bench::load::run(&a, out),
        Command::Serve(a) => serve::run(&a, out),
        Command::Staff(server_args::StaffCommand::Add(a)) => staff::add(&a, out),
        Command::Staff(server_args::StaffCommand::List(a)) => staff::list(&a, out),
        Command::Staff(server_args::StaffCommand::Disable(a)) => staff::disable(&a, out),
        Command::Staff(server_args::StaffCommand::Enable(a)) => staff::enable(&a, out),
        Command::Station(server_args::StationCommand::Key(a)) => staff::station_key(&a, out),
        Command::Backup(a) => backup::run(&a, out),
        Command::Restore(a) => restore::run(&a, out),
    }
}
