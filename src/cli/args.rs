//! The command line, as data: every command, option and its help text. Parsing only;
//! `cli::run` does the work.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// velodesk: the operator console for city bike-sharing (Almaty, Astana).
#[derive(Debug, Parser)]
#[command(name = "velodesk", version, about, propagate_version = true)]
#[command(
    after_help = "With no command, velodesk opens the console: on --db (or the \
configuration's database), else on a fresh demo city."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub console: ConsoleArgs,
}

/// The console's options (`velodesk` with no command, or `velodesk console`).
#[derive(Debug, Args, Clone, Default)]
pub struct ConsoleArgs {
    /// The system's database file [default: the configuration's `database`].
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The configuration file [default: ./velodesk.toml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The staff member at this console (their role decides what is offered).
    #[arg(long, value_name = "NAME")]
    pub staff: Option<String>,
    /// Language of the console: en, ru or kk [default: the configuration's, else LANG].
    #[arg(long, value_name = "en|ru|kk")]
    pub lang: Option<String>,
    /// A wall display: nothing that changes state is offered.
    #[arg(long)]
    pub read_only: bool,
    /// The light theme (the dark one is the default; NO_COLOR is respected).
    #[arg(long)]
    pub light: bool,
    /// Connect to a velodesk server instead of a database file (log in as --staff; the
    /// password is asked for, or taken from VELODESK_PASSWORD).
    #[arg(
        long,
        value_name = "URL",
        env = "VELODESK_SERVER",
        conflicts_with = "db"
    )]
    pub server: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The full-screen console on a system's database (the same as no command).
    #[command(
        after_help = "Examples:\n  velodesk console --db velodesk.db --staff aigerim\n  \
        velodesk console --db velodesk.db --staff saule --lang kk --read-only"
    )]
    Console(ConsoleArgs),
    /// Price a trip: the itemised charge, with the rules that make each line.
    #[command(
        after_help = "Examples:\n  velodesk quote --tariff astana --minutes 95\n  \
        velodesk quote --tariff almaty --minutes 181 --json\n  \
        velodesk quote --tariff my-city.toml --minutes 30 --seconds 1 --pass quarterly"
    )]
    Quote(QuoteArgs),
    /// Create an empty system (database and tariff); refuses a database that holds one.
    #[command(after_help = "Example:\n  velodesk init --db velodesk.db --tariff astana")]
    Init(InitArgs),
    /// Run the nightly postings due up to a time (R17, R18, D16); running it twice posts nothing new.
    #[command(after_help = "Examples:\n  velodesk settle --db velodesk.db\n  \
        velodesk settle --db velodesk.db --at \"2025-06-02 00:05\"")]
    Settle(SettleArgs),
    /// Re-verify every rider's cached balances from the ledger entries (D9); exit 1 on a mismatch.
    #[command(after_help = "Example:\n  velodesk check --db velodesk.db")]
    Check(CheckArgs),
    /// Run scenario files (docs/scenarios.md); exit 1 if any fails, 2 if any is not a scenario.
    #[command(after_help = "Examples:\n  velodesk scenario tests/scenarios\n  \
        velodesk scenario tests/scenarios/r14_cable_lock.scn my-story.scn")]
    Scenario(ScenarioArgs),
    /// Benchmarks on a throw-away database, with raw SQLite measured beside them.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// GBFS feeds of the system: `gbfs export` writes them.
    #[command(subcommand)]
    Gbfs(super::gbfs_args::GbfsCommand),
    /// Bring data in from elsewhere: `import gbfs` seeds or updates stations from a GBFS feed.
    #[command(subcommand)]
    Import(super::gbfs_args::ImportCommand),
    /// The offline demo: a demo city with simulated riders, and a live summary.
    #[command(
        after_help = "Examples:\n  velodesk demo\n  velodesk demo --speed 60 --hours 3\n  \
        velodesk demo --db almaty.db --speed max --hours 24\n  \
        velodesk demo --server http://127.0.0.1:8080 --staff admin"
    )]
    Demo(super::demo_args::DemoArgs),
    /// Serve the HTTP API (consoles, docks, simulator) over a system until Ctrl-C.
    #[command(after_help = "Example:\n  velodesk serve --db velodesk.db --listen 127.0.0.1:8080")]
    Serve(super::server_args::ServeArgs),
    /// Staff accounts of a system: add (with a password), list, disable.
    #[command(subcommand)]
    Staff(super::server_args::StaffCommand),
    /// Stations' keys for their docks.
    #[command(subcommand)]
    Station(super::server_args::StationCommand),
    /// Copy a system's database while it is in use (SQLite online backup).
    #[command(
        after_help = "Example:\n  velodesk backup --db velodesk.db --out velodesk-2025-06-01.db"
    )]
    Backup(super::server_args::BackupArgs),
    /// Bring a database back from its Litestream replica (a new host after the old one was
    /// lost): `litestream restore`, then `check`, then put in place; never overwrites.
    #[command(
        after_help = "Examples:\n  velodesk restore --from /mnt/replica/astana --db astana.db\n  \
        velodesk restore --from s3://city-backups/astana --db astana.db\n\n\
        Litestream is found as VELODESK_LITESTREAM, else on PATH."
    )]
    Restore(super::server_args::RestoreArgs),
}

/// `velodesk quote`.
#[derive(Debug, Args)]
pub struct QuoteArgs {
    /// The tariff: a bundled city (`astana`, `almaty`) or the path of a tariff TOML file.
    #[arg(long, value_name = "astana|almaty|PATH.toml")]
    pub tariff: String,
    /// Trip duration, whole minutes.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(..=5_256_000))]
    pub minutes: u32,
    /// Seconds on top of the minutes (0–59); a started minute counts whole (D1).
    #[arg(long, value_name = "S", default_value_t = 0, value_parser = clap::value_parser!(u8).range(..60))]
    pub seconds: u8,
    /// The pass the trip is ridden on [default: `monthly`, or `seasonal` where the tariff has no monthly pass].
    #[arg(long, value_name = "PASS")]
    pub pass: Option<String>,
    /// Print a JSON object (`total` in whole tenge, `minutes`, `pass`, `items`) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `velodesk init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The database file to create.
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
    /// The tariff: a bundled city (`astana`, `almaty`) or the path of a tariff TOML file.
    #[arg(
        long,
        value_name = "astana|almaty|PATH.toml",
        required_unless_present = "demo",
        conflicts_with = "demo"
    )]
    pub tariff: Option<String>,
    #[command(flatten)]
    pub demo: super::demo_args::DemoCityArgs,
}

/// `velodesk settle`.
#[derive(Debug, Args)]
pub struct SettleArgs {
    /// The system's database file.
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
    /// Settle up to this local time in the tariff's zone, `YYYY-MM-DD HH:MM` [default: now].
    #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
    pub at: Option<String>,
}

/// `velodesk check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The system's database file.
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
}

/// `velodesk scenario`.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Scenario files to run, in order; a directory runs its `*.scn` files, sorted by name.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Time one nightly posting of many accrued trip charges, and raw SQLite inserting as many rows.
    #[command(
        after_help = "Example:\n  cargo run --release -- bench settle --riders 100000 --charges 1000000"
    )]
    Settle(BenchSettleArgs),
    /// Time rider search by ID, phone, surname prefix, e-mail and card, and a raw primary-key lookup.
    #[command(after_help = "Example:\n  cargo run --release -- bench search --riders 1000000")]
    Search(BenchSearchArgs),
    /// Riders renting and returning through the station endpoints and agents searching,
    /// concurrently, against a server; beside it the raw SQLite rate of the same transaction.
    #[command(
        after_help = "Example:\n  cargo run --release -- bench load --clients 32 --seconds 20"
    )]
    Load(super::server_args::BenchLoadArgs),
    /// Build the demo city and simulate a day as fast as it goes, beside as many bare SQLite transactions.
    #[command(after_help = "Example:\n  cargo run --release -- bench day --riders 3000 --fill 50")]
    Day(super::demo_args::BenchDayArgs),
    /// Time `velodesk` from the command to its first frame and to the city, in a real terminal (tmux).
    #[command(after_help = "Example:\n  cargo run --release -- bench start --runs 5")]
    Start(BenchStartArgs),
    /// The depot's van plan against today's greedy moves and no rebalancing, on the same
    /// seeded days: lost demand, empty/full minutes, van-km per bike, time per plan.
    #[command(
        after_help = "Example:\n  cargo run --release -- bench rebalance --days 30 --city almaty"
    )]
    Rebalance(super::demo_args::BenchRebalanceArgs),
    /// Time the console's frames (live update + render + diff) for the stations table and the map.
    #[command(after_help = "Example:\n  cargo run --release -- bench console --stations 1000")]
    Console(BenchConsoleArgs),
}

/// `velodesk bench start`.
#[derive(Debug, Args)]
pub struct BenchStartArgs {
    /// Times the console is started (each on a fresh demo city).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=100))]
    pub runs: u64,
    /// The binary to start [default: this one] (another build, to compare).
    #[arg(long, value_name = "PATH")]
    pub bin: Option<PathBuf>,
}

/// `velodesk bench console`.
#[derive(Debug, Args)]
pub struct BenchConsoleArgs {
    /// Stations in the city.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub stations: u64,
    /// Frames timed per view.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub frames: u64,
    /// Terminal width.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u16).range(80..=1000))]
    pub width: u16,
    /// Terminal height.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u16).range(24..=500))]
    pub height: u16,
}

/// `velodesk bench settle`.
#[derive(Debug, Args)]
pub struct BenchSettleArgs {
    /// Riders in the system.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub riders: u64,
    /// Accrued trip charges due at the one midnight that is posted.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub charges: u64,
    /// Directory for the throw-away databases [default: the system's temporary directory].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `velodesk bench search`.
#[derive(Debug, Args)]
pub struct BenchSearchArgs {
    /// Riders in the system.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub riders: u64,
    /// Queries timed per kind of search.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub queries: u64,
    /// Directory for the throw-away database [default: the system's temporary directory].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}
