//! `velodesk demo`, the engine room: build a fresh demo city (in a temporary database, or
//! `--db`) or open one, start the simulator in a tokio task on a simulated clock, and hand
//! back what a front end needs: the backend, the live figures and a stop handle. Or
//! ([`attach`]) start the simulator on a backend already open, such as a server's.

use super::city::{self, CityOptions, CitySummary, Fill, Progress};
use super::{SimConfig, SimError, SimStats, Simulator, Speed};
use crate::backend::{Backend, LocalBackend};
use crate::clock::SimClock;
use crate::engine::{Engine, Settings};
use crate::store::Store;
use chrono::Duration;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// What to run.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The database: built there if the file does not exist, continued if it does;
    /// `None`: a temporary file removed when the demo ends.
    pub db: Option<PathBuf>,
    pub seed: u64,
    pub speed: Speed,
    /// Simulated hours to run (`None`: until stopped).
    pub hours: Option<f64>,
    pub riders: u32,
    pub fill: Fill,
}

/// A simulator running in a task. Dropping it stops nothing by itself: send `true` on
/// `stop`, then await `task` for the final figures.
pub struct Running {
    pub stats: watch::Receiver<SimStats>,
    pub stop: watch::Sender<bool>,
    pub task: JoinHandle<Result<SimStats, SimError>>,
}

/// A running demo on its own database.
pub struct Demo {
    pub backend: Arc<dyn Backend>,
    pub run: Running,
    pub db: PathBuf,
    /// What was built, when the city was new.
    pub built: Option<CitySummary>,
    _temp: Option<TempDb>,
}

/// A temporary database, removed (with its WAL files) when dropped.
struct TempDb(PathBuf);

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

fn temp_path() -> PathBuf {
    // A name that only needs to be unique on this machine now; nothing in the database
    // depends on it.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!("velodesk-demo-{}-{nanos}.db", std::process::id()))
}

/// Build or open the city, start the simulator; returns at once with it running.
pub async fn start(opts: &DemoOptions, progress: Progress<'_>) -> Result<Demo, SimError> {
    let (db, temp) = match &opts.db {
        Some(p) => (p.clone(), None),
        None => {
            let p = temp_path();
            (p.clone(), Some(TempDb(p)))
        }
    };
    let built = if db.exists() {
        None
    } else {
        let mut c = CityOptions::almaty(opts.seed);
        c.riders = opts.riders;
        c.fill = opts.fill;
        Some(city::build(&db, &c, progress).await?)
    };
    let backend = open(&db).await?;
    let run = attach(
        backend.clone(),
        SimConfig::new(opts.seed, opts.speed),
        opts.hours,
    )
    .await?;
    Ok(Demo {
        backend,
        run,
        db,
        built,
        _temp: temp,
    })
}

/// Start the simulator on `backend` for `hours` from its clock's now (`None`: until
/// stopped); returns at once with it running.
pub async fn attach(
    backend: Arc<dyn Backend>,
    mut cfg: SimConfig,
    hours: Option<f64>,
) -> Result<Running, SimError> {
    let now = backend
        .now()
        .await
        .map_err(SimError::backend("reading the clock"))?;
    cfg.until = hours.map(|h| now + Duration::seconds((h * 3600.0).round() as i64));
    let sim = Simulator::new(backend, cfg);
    let stats = sim.stats();
    let (stop, stop_rx) = watch::channel(false);
    let task = tokio::spawn(sim.run(stop_rx));
    Ok(Running { stats, stop, task })
}

/// Open a demo database on a simulated clock that resumes where its events stopped.
pub async fn open(db: &Path) -> Result<Arc<dyn Backend>, SimError> {
    let mut store = Store::open(db)?;
    // A demo's database is rebuilt from its seed, not kept: it runs without waiting for
    // the disk (WAL, synchronous=OFF), as a build does. Production keeps synchronous=FULL.
    store.set_bulk_mode(true)?;
    let last = store.read(crate::store::audit::last_event_at)?;
    let start = last.unwrap_or_else(city::default_start);
    let engine = Engine::new(store, Settings::default())?;
    let clock = Arc::new(SimClock::new(start));
    Ok(Arc::new(LocalBackend::start(
        engine,
        clock,
        &format!("local file {}", db.display()),
    )))
}
