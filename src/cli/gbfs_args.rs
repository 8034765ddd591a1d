//! The command line of GBFS, as data: `velodesk gbfs export` and `velodesk import gbfs`.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum GbfsCommand {
    /// Write the system's GBFS feeds (stations, live counts, tariff) as static files.
    #[command(
        after_help = "Examples:\n  \
        velodesk gbfs export --db velodesk.db --out feeds --contact-email gbfs@almatybike.kz\n  \
        velodesk gbfs export --db velodesk.db --out feeds --version 2.3 --base-url https://almatybike.kz/gbfs\n\n\
        Without --version both are written: 2.3 in DIR, 3.0 in DIR/v3 (as the server publishes them).",
        disable_version_flag = true
    )]
    Export(GbfsExportArgs),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Seed or update stations from a real system's GBFS feed (2.x or 3.0), in one transaction.
    #[command(after_help = "Examples:\n  \
        velodesk import gbfs --db velodesk.db feeds/\n  \
        velodesk import gbfs --db velodesk.db --with-bikes https://example.org/gbfs/gbfs.json\n\n\
        Stations are matched by their code (the GBFS station_id); what the feed does not say is\n\
        kept; docks and bikes are added, never removed. Stations that cannot be imported are\n\
        listed with the reason, and the rest is imported.")]
    Gbfs(ImportGbfsArgs),
}

/// `velodesk gbfs export`.
#[derive(Debug, Args)]
pub struct GbfsExportArgs {
    /// The system's database file.
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
    /// The directory to write the feeds to (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// One GBFS version only [default: both, 2.3 in DIR and 3.0 in DIR/v3].
    #[arg(long, value_name = "2.3|3.0")]
    pub version: Option<String>,
    /// Where the files will be published; the feeds link to each other under it [default: file:// URL of DIR].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Seconds readers may keep the files before fetching them again.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub ttl: u32,
    /// Who to write to about the feed (required by GBFS 3.0); kept in the database.
    #[arg(long, value_name = "ADDRESS")]
    pub contact_email: Option<String>,
    /// The operator's name; kept in the database.
    #[arg(long, value_name = "NAME")]
    pub operator: Option<String>,
    /// The operator's web site; kept in the database.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The system's GBFS id [default: the city, e.g. `almaty`]; kept in the database.
    #[arg(long, value_name = "ID")]
    pub system_id: Option<String>,
}

/// `velodesk import gbfs`.
#[derive(Debug, Args)]
pub struct ImportGbfsArgs {
    /// The system's database file.
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
    /// Also bring each station up to the feed's count of bikes now (new bikes, docked).
    #[arg(long)]
    pub with_bikes: bool,
    /// A directory of GBFS files, or the URL of a system's gbfs.json.
    #[arg(value_name = "DIR|URL")]
    pub source: String,
}
