//! The arguments of the server's commands: `serve`, `staff`, `station key`, `backup`, `restore`,
//! `bench load` (kept apart from `args.rs` so each command's options live in one place).

use clap::{Args, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// `velodesk serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The system's database file.
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
    /// Address and port to listen on (port 0 picks a free one; the address is printed).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The public URL of the server's `/gbfs` (behind a proxy, e.g.
    /// https://bike.example.kz/gbfs); the feeds link to each other under it [default: http://HOST/gbfs of each request].
    #[arg(long, value_name = "URL")]
    pub gbfs_base_url: Option<String>,
    /// The GBFS feeds' ttl: seconds readers may keep a feed (0: always refresh; they are read live).
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub gbfs_ttl: u32,
    /// Behind a reverse proxy: rate-limit failed logins by the last address of
    /// `X-Forwarded-For` (the one the proxy appends) instead of the proxy's own address.
    /// Only when every request comes through that proxy: otherwise clients choose the header.
    #[arg(long)]
    pub trust_proxy: bool,
    /// The depot's vans the van plan routes (issue #16), 1 to 50.
    #[arg(long, value_name = "N", default_value_t = 2,
        value_parser = clap::value_parser!(u32).range(1..=50))]
    pub vans: u32,
    /// Bikes each van carries, 1 to 200.
    #[arg(long, value_name = "BIKES", default_value_t = 20,
        value_parser = clap::value_parser!(u32).range(1..=200))]
    pub van_capacity: u32,
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a staff account (or change its role and password). The password is asked for,
    /// or read from the first line of standard input when that is not a terminal.
    #[command(
        after_help = "Examples:\n  velodesk staff add aigerim --role agent --db velodesk.db\n  \
        echo 's3cret-passw0rd' | velodesk staff add bolat --role supervisor --db velodesk.db"
    )]
    Add(StaffAddArgs),
    /// List staff accounts: name, role, whether they can log in.
    List(StaffDbArgs),
    /// Disable an account: it cannot log in, and its sessions end at once.
    Disable(StaffNameArgs),
    /// Enable a disabled account again: it logs in with the password it has (adding it
    /// again changes its role or password but does not enable it).
    Enable(StaffNameArgs),
}

#[derive(Debug, Args)]
pub struct StaffAddArgs {
    /// The login name (one word).
    pub name: String,
    /// agent, depot, supervisor or admin.
    #[arg(long, value_name = "ROLE")]
    pub role: String,
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
}

#[derive(Debug, Args)]
pub struct StaffDbArgs {
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
}

#[derive(Debug, Args)]
pub struct StaffNameArgs {
    pub name: String,
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum StationCommand {
    /// Print a new key for a station's docks; the old key stops working (rotation).
    #[command(after_help = "Example:\n  velodesk station key 1001 --db velodesk.db")]
    Key(StationKeyArgs),
}

#[derive(Debug, Args)]
pub struct StationKeyArgs {
    /// The station code.
    pub station: i64,
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
}

/// `velodesk backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The system's database file (may be in use by a running server).
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
    /// The backup file to write (must not exist).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `velodesk restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The Litestream replica: a file replica's directory, or a replica URL Litestream
    /// reads (s3://BUCKET/PATH, sftp://USER@HOST/PATH, …).
    #[arg(long, value_name = "DIR|URL")]
    pub from: String,
    /// The database file to create (must not exist: restore never overwrites).
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
}

/// `velodesk bench load`.
#[derive(Debug, Args)]
pub struct BenchLoadArgs {
    /// A running server to load (`http://HOST:PORT`); without it an in-process server on a
    /// throw-away city is started.
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// Concurrent clients (riders at docks, and agents searching).
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub clients: u64,
    /// How long to load.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub seconds: u64,
    /// Admin login for `--server` (the password from VELODESK_PASSWORD).
    #[arg(long, value_name = "NAME", default_value = "admin")]
    pub username: String,
    /// Directory for the throw-away databases [default: the system's temporary directory].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Write every station request the server acknowledged to FILE, one JSON line each
    /// (station, action, Idempotency-Key, body, status, answer, and when the answer came:
    /// `acknowledged_ms`, Unix milliseconds): what a crash must not lose.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// How fast the in-process server's clock runs. A rider has 30 s of its time to pull a
    /// bike out after the unlock (R10): at 20× that is 1.5 s of real time, so a pull slowed
    /// by a loaded machine is not refused as an expired unlock.
    #[arg(long, default_value_t = 20.0, value_parser = speed)]
    pub speed: f64,
}

/// A clock speed from 1× to 3600×.
fn speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (1.0..=3600.0).contains(&v) => Ok(v),
        _ => Err(format!("{s:?}: expected a speed from 1 to 3600")),
    }
}
