//! GBFS, the open feed format of bike-sharing systems: velodesk publishes its stations,
//! their live counts and its tariff as GBFS 2.3 and 3.0 feeds, and seeds or updates its
//! stations from another system's feed.
//!
//! Publishing is a pure function: a [`Snapshot`] (system settings, tariff, stations with
//! their counts, the time) and a [`Publish`] (where the feeds live, their `ttl`) become a
//! list of [`Feed`]s — the CLI writes them to files, the server answers with them. No
//! personal data is in a snapshot, so none can reach a feed.
//!
//! Importing parses a feed at the boundary ([`import::plan`]) into stations velodesk can
//! hold, with what was skipped and why; the engine writes them in one transaction.

pub mod export;
pub mod fetch;
pub mod import;
pub mod model;
pub mod pricing;

pub use export::feeds;
pub use model::{Feed, Publish, Snapshot, SystemInfo, Version};

/// Why a feed could not be built or read.
#[derive(Debug, thiserror::Error)]
pub enum GbfsError {
    /// The system lacks a setting this feed version requires.
    #[error("{0}")]
    Missing(String),
    /// A source could not be read or fetched: what, where, why.
    #[error("{source_name}: {message}")]
    Source {
        source_name: String,
        message: String,
    },
    /// A file was read but is not the feed it should be.
    #[error("{source_name}: {message}")]
    NotAFeed {
        source_name: String,
        message: String,
    },
}
