//! The demo city and its riders: `velodesk init --demo` and `velodesk demo`.
//!
//! - [`city::build`] creates Almaty Bike's real stations (`assets/cities/almaty/`), bikes
//!   placed to the real snapshot's counts or to a fill, a few thousand riders with passes,
//!   balances, debts, restrictions, concessions and a history of trips and payments, and the
//!   demo staff [`city::DEMO_STAFF`] — all through the engine (each change an engine
//!   operation, so every ledger balance checks and every staff action is audited), from a
//!   seed, on a simulated clock: the same seed gives the same database, byte for byte in
//!   content.
//! - [`Simulator`] drives any [`crate::backend::Backend`] (never the engine directly):
//!   riders arrive with the time of day, walk to a station, rent, ride and return; lock
//!   errors, full stations and cable-lock calls, faulty bikes, bikes kept past 24 h and
//!   riders short of money happen at realistic rates. It moves the clock with
//!   `Backend::advance_clock`, at real time, accelerated or as fast as it goes, and
//!   publishes live [`SimStats`] on a `watch` channel. On a backend whose clock is real
//!   (`BackendInfo::simulated_clock` false: a server) it runs at real time only, never
//!   moves the clock and reads the time from the wall (the server runs its due jobs).
//!   Everything it needs of the riders comes through the backend: their count (ids 1..N,
//!   found by lookups) and their PINs ([`names::demo_pin`] of the id), so a server built
//!   with `init --demo` needs no local file.
//! - [`demo::start`] builds or opens a city, starts the simulator in a tokio task and hands
//!   back the backend, the live figures and a stop handle: the console goes on top of it.
//!   [`demo::attach`] starts it on a backend already open (`velodesk demo --server`).
//!
//! The interfaces, as a front end uses them:
//!
//! ```text
//! city::build(path: &Path, &CityOptions { city, seed, riders, fill: Fill::Snapshot | Fill::Percent(u8),
//!             start, history_days }, progress: &dyn Fn(stage, done, total)) -> Result<CitySummary, SimError>
//! city::DEMO_STAFF: &[(&str, Role)]   // aigerim agent, nurlan depot, saule supervisor, admin admin
//! Simulator::new(Arc<dyn Backend>, SimConfig { seed, speed: Speed::RealTime | Times(f64) | Max,
//!                until: Option<DateTime<Utc>>, desk_share, trips_per_bike, rush /* tests */ })
//! Simulator::stats(&self) -> watch::Receiver<SimStats>        // live figures, after every event
//! Simulator::run(self, stop: watch::Receiver<bool>) -> Result<SimStats, SimError>
//! demo::start(&DemoOptions { db, seed, speed, hours, riders, fill }, progress)
//!     -> Result<Demo { backend: Arc<dyn Backend>, run: Running, db, built }, SimError>
//! demo::attach(Arc<dyn Backend>, SimConfig, hours: Option<f64>)
//!     -> Result<Running { stats, stop: watch::Sender<bool>, task }, SimError>
//! demo::open(path) -> Arc<dyn Backend>                        // a demo database on a SimClock
//! ```
//!
//! The simulator needs two lookups the `Backend` gained for it: `open_rentals` (who has which
//! bike, to resume rentals already open) and `verify_fleet` (the fleet invariants).
//!
//! Decisions where the issue is silent:
//! - The demo day starts on Monday 2 June 2025 at 06:00 in Almaty ([`city::default_start`]),
//!   after two days of history; the tariff is Almaty's (`assets/tariffs/almaty.toml`).
//! - Station names: Kazakh and English where they could be given honestly (see
//!   `assets/cities/almaty/README.md`), the Russian otherwise. Inactive stations and those
//!   without docks are kept, inactive; the sales office is not a station.
//! - The fleet: the snapshot's 197 docked bikes (or the fill), plus 15% and 10 spare bikes
//!   that make up for the history's losses and then wait in the repair depot; the
//!   snapshot's broken docks are put out of service. `init --demo` places the snapshot by
//!   default; `velodesk demo` fills 50% of the docks by default, so that the console sees
//!   full stations and cable-lock calls (the snapshot's 10% rarely fills a station).
//! - Demo riders are numbered 1..N; their PINs are [`names::demo_pin`] of their id (demo
//!   data, no secret), which is how the simulator rents as them.
//! - Cable-lock calls: the simulated desk (`aigerim`) answers 75% after 1–5 minutes; the
//!   rest wait for the human at the console, and the rider rides on after 45 minutes.

mod accounts;
mod act;
mod cable;
pub mod city;
mod demand;
pub mod demo;
mod depot;
pub mod names;
pub mod people;
pub mod record;
pub mod rng;
mod run;
pub mod stations;
pub mod vans;
mod world;

pub use record::{Kpis, SimRecord};
pub use run::{DepotMode, SimConfig, SimStats, Simulator, Speed};
pub use vans::{PlannerHandle, VanPlanner, VanSetup};

use crate::api::BackendError;

/// Why building a city or running the simulation stopped.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// Bad options or data (an unknown city, an existing file): the user's to fix.
    #[error("{0}")]
    Setup(String),
    /// The backend failed (not a refusal by the rules: those the simulation handles).
    #[error("{doing}: {source}")]
    Backend {
        doing: String,
        #[source]
        source: BackendError,
    },
    #[error(transparent)]
    Engine(#[from] crate::engine::EngineError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl SimError {
    /// Wrap a backend error with what was being done.
    pub fn backend(doing: &str) -> impl FnOnce(BackendError) -> SimError + '_ {
        move |source| SimError::Backend {
            doing: doing.to_string(),
            source,
        }
    }
}

/// The simulated staff member `name` acting on `b`; on a server, whose session plays every
/// role of the simulation, the session's own account.
pub(crate) fn staff(
    b: &dyn crate::backend::Backend,
    name: &str,
) -> std::sync::Arc<dyn crate::backend::Backend> {
    match b.acting_as() {
        Some(me) => b.as_staff(&me),
        None => b.as_staff(name),
    }
}
