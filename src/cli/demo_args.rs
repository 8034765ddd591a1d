//! The demo's command-line options: `init --demo`, `demo`, `bench day`. Parsed into
//! `sim` types at the boundary (a bad `--fill` or `--speed` is refused with what it takes).

use crate::sim::Speed;
use crate::sim::city::Fill;
use clap::Args;
use std::path::PathBuf;

fn fill(text: &str) -> Result<Fill, String> {
    Fill::parse(text)
}

fn speed(text: &str) -> Result<Speed, String> {
    Speed::parse(text)
}

fn hours(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(h) if h.is_finite() && h > 0.0 && h <= 24.0 * 366.0 => Ok(h),
        _ => Err(format!(
            "{text:?}: expected simulated hours, more than 0 (e.g. 1, 0.5, 24)"
        )),
    }
}

/// `velodesk init --demo almaty`: the options of the demo city.
#[derive(Debug, Args)]
pub struct DemoCityArgs {
    /// Build the demo city instead of an empty system (its own tariff, stations, bikes, riders and history).
    #[arg(long, value_name = "almaty")]
    pub demo: Option<String>,
    /// The seed: the same seed builds the same database.
    #[arg(long, default_value_t = 1, requires = "demo")]
    pub seed: u64,
    /// Riders in the demo city.
    #[arg(long, default_value_t = 3000, requires = "demo", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub riders: u32,
    /// Bikes in the docks at the start: the real snapshot's counts, or a percentage of each station's working docks.
    #[arg(long, default_value = "snapshot", value_name = "snapshot|PCT", value_parser = fill, requires = "demo")]
    pub fill: Fill,
    /// Days of history ridden before the demo day starts.
    #[arg(long, default_value_t = 2, requires = "demo", value_parser = clap::value_parser!(u32).range(0..=60))]
    pub history_days: u32,
}

/// `velodesk demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Run the riders on the server at URL instead (real time; logs in as an admin, who gives every station a new key: for a demo or test server).
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// The database: built there if the file does not exist, continued if it does [default: a temporary file, removed at the end].
    #[arg(long, value_name = "PATH", conflicts_with = "server")]
    pub db: Option<PathBuf>,
    /// The seed of the city and of the riders' day.
    #[arg(long, default_value_t = 1, conflicts_with = "server")]
    pub seed: u64,
    /// Simulated seconds per second (`1` is real time), or `max`: as fast as it goes [default: 60; with --server: 1, the only speed there].
    #[arg(long, value_name = "N|max", value_parser = speed)]
    pub speed: Option<Speed>,
    /// Stop after this many simulated hours (real hours with --server) [default: at Ctrl-C].
    #[arg(long, value_name = "H", value_parser = hours)]
    pub hours: Option<f64>,
    /// Riders in a new demo city.
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u32).range(1..=1_000_000), conflicts_with = "server")]
    pub riders: u32,
    /// Bikes in the docks of a new demo city: `snapshot` (the real 197) or a percentage of the docks.
    #[arg(long, default_value = "50", value_name = "snapshot|PCT", value_parser = fill, conflicts_with = "server")]
    pub fill: Fill,
    /// Print a plain-text live summary instead of opening the console (always so in a pipe).
    #[arg(long)]
    pub plain: bool,
    /// The staff member: at the console aigerim (agent, the default), saule (supervisor), nurlan (depot), admin; with --server the one logged in, an admin [default there: admin].
    #[arg(long, value_name = "NAME")]
    pub staff: Option<String>,
    /// Language of the console: en, ru or kk [default: LANG].
    #[arg(long, value_name = "en|ru|kk")]
    pub lang: Option<String>,
}

/// `velodesk bench day`.
#[derive(Debug, Args)]
pub struct BenchDayArgs {
    /// Riders in the demo city.
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub riders: u32,
    /// Bikes in the docks: `snapshot` or a percentage.
    #[arg(long, default_value = "50", value_name = "snapshot|PCT", value_parser = fill)]
    pub fill: Fill,
    /// Simulated hours.
    #[arg(long, default_value = "24", value_name = "H", value_parser = hours)]
    pub hours: f64,
    /// Directory for the throw-away databases [default: the system's temporary directory].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `velodesk bench rebalance`.
#[derive(Debug, Args)]
pub struct BenchRebalanceArgs {
    /// Simulated days per policy (the same seed for each).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub days: u32,
    /// `almaty` (the demo city, 190 stations), `synthetic` (600 stations) or `synthetic:N`.
    #[arg(
        long,
        default_value = "almaty",
        value_name = "almaty|synthetic|synthetic:N"
    )]
    pub city: String,
    /// Riders [default: 3,000 for Almaty, 16 per station for a synthetic city].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub riders: Option<u32>,
    /// Vans, and bikes each carries.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub vans: u32,
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub capacity: u32,
    /// Days of history before the first day (the planner learns from them).
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=60))]
    pub history_days: u32,
    /// The seed of the city and of the riders.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// P2's look-ahead of the targets (hours), of a route (hours), and the least expected
    /// failures a stop must remove.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=24))]
    pub lookahead_h: u64,
    #[arg(long, default_value_t = 2.0)]
    pub route_h: f64,
    #[arg(long, default_value_t = crate::domain::planning::routes::MIN_GAIN)]
    pub min_gain: f64,
    /// Directory for the throw-away databases [default: the system's temporary directory].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}
