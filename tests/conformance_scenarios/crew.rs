//! A scenario's system behind a real server: a fresh database set up as the scenario's
//! `SetUp` says, served on 127.0.0.1:0, and a [`Crew`] — one `Backend` that speaks to it as
//! the scenario's people would: each staff call through a `RemoteBackend` logged in as that
//! staff member (made with a password on its `staff` line), set-up calls, lookups and the
//! riders' own payments through an admin's session, and the docks' calls with the station
//! keys the admin provisions as stations are added.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::{broadcast, watch};
use velodesk::api::{Alert, AuditFilter, AuditRecord, DeskInfo, Event, RiderView, StationView};
use velodesk::api::{BResult, BackendError, BackendInfo, ConnectionState, Op, Outcome};
use velodesk::api::{Bike, BikeState, FleetProblem, Mismatch, Rental, RiderHit, StationCounts};
use velodesk::backend::{Backend, RemoteBackend};
use velodesk::clock::SimClock;
use velodesk::domain::pricing::Quote;
use velodesk::domain::roles::Role;
use velodesk::domain::{BikeId, RiderId, StationId};
use velodesk::engine::{Engine, Settings};
use velodesk::scenario::SetUp;
use velodesk::server::{self, RunningServer, ServerOptions, secret};
use velodesk::store::Store;

/// The admin the crew sets up with (no scenario names it: scenario names are short).
const ADMIN: &str = "conformance-admin";

fn password(name: &str) -> String {
    format!("password-of-{name}")
}

fn internal(e: impl std::fmt::Display) -> BackendError {
    BackendError::Internal {
        message: e.to_string(),
    }
}

/// A scenario's system on a server, spoken to as its staff, riders and docks.
pub struct Crew {
    /// Set-up, lookups, the riders' side and the docks (with the stations' keys).
    admin: Arc<RemoteBackend>,
    /// One session per staff member of the scenario.
    staff: Mutex<HashMap<String, Arc<RemoteBackend>>>,
    url: String,
    // Dropped after the sessions: stopping the server, then removing its files.
    _server: RunningServer,
    _dir: tempfile::TempDir,
}

/// The factory `scenario::run_on` takes: a fresh system as `setup` says, behind a server.
pub async fn remote_backend(setup: SetUp) -> BResult<Arc<dyn Backend>> {
    Ok(Arc::new(Crew::start(setup).await?))
}

impl Crew {
    async fn start(setup: SetUp) -> BResult<Crew> {
        // In memory where the system offers it (/dev/shm): the server's database is a file,
        // and a disk's fsync per commit would make the suite wait on the disk.
        let dir = match Path::new("/dev/shm") {
            shm if shm.is_dir() => tempfile::tempdir_in(shm),
            _ => tempfile::tempdir(),
        }
        .map_err(internal)?;
        let db = dir.path().join("scenario.db");
        let store = Store::open(&db).map_err(internal)?;
        let mut engine = Engine::init(
            store,
            &setup.tariff_file,
            &setup.tariff_source,
            Settings::default(),
        )?;
        let hash = secret::hash_password(&password(ADMIN)).map_err(internal)?;
        engine.add_staff(ADMIN, Role::Admin, Some(&hash))?;
        let server = server::start(
            engine,
            ServerOptions {
                db: db.clone(),
                listen: ([127, 0, 0, 1], 0).into(),
                clock: Arc::new(SimClock::new(setup.start)),
                session: chrono::Duration::hours(12),
                gbfs: Default::default(),
                proxy: velodesk::server::client_addr::Proxy::None,
                limits: Default::default(),
            },
        )
        .await
        .map_err(internal)?;
        let url = server.url();
        let admin = RemoteBackend::connect(&url, ADMIN, &password(ADMIN)).await?;
        Ok(Crew {
            admin: Arc::new(admin),
            staff: Mutex::new(HashMap::new()),
            url,
            _server: server,
            _dir: dir,
        })
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<RemoteBackend>>> {
        self.staff.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl Backend for Crew {
    fn info(&self) -> BackendInfo {
        self.admin.info()
    }
    fn subscribe(&self) -> broadcast::Receiver<(i64, Event)> {
        self.admin.subscribe()
    }
    fn connection(&self) -> watch::Receiver<ConnectionState> {
        self.admin.connection()
    }
    async fn events_after(&self, after: i64, limit: usize) -> BResult<Vec<(i64, Event)>> {
        self.admin.events_after(after, limit).await
    }
    async fn now(&self) -> BResult<DateTime<Utc>> {
        self.admin.now().await
    }
    /// The riders' side, the docks (with their stations' keys) and set-up, as the admin:
    /// a new station gets a key for its docks, a new staff member a password and (once) a
    /// session of their own, which [`Backend::as_staff`] hands out.
    async fn execute(&self, op: Op) -> BResult<Outcome> {
        match op {
            Op::AddStation { station } => {
                let id = station.id;
                let out = self.admin.execute(Op::AddStation { station }).await?;
                self.admin.provision_station_key(id).await?;
                Ok(out)
            }
            Op::AddStaff { name, role } => {
                self.admin
                    .add_staff_with_password(&name, role, &password(&name))
                    .await?;
                if !self.sessions().contains_key(&name) {
                    let session =
                        RemoteBackend::connect(&self.url, &name, &password(&name)).await?;
                    self.sessions().insert(name, Arc::new(session));
                }
                Ok(Outcome::Done)
            }
            op => self.admin.execute(op).await,
        }
    }
    async fn preview(&self, op: Op) -> BResult<Outcome> {
        self.admin.preview(op).await
    }
    /// The session of staff member `name` (made on their `staff` line).
    fn as_staff(&self, name: &str) -> Arc<dyn Backend> {
        match self.sessions().get(name) {
            Some(s) => s.clone(),
            None => self.admin.as_staff(name),
        }
    }
    fn acting_as(&self) -> Option<String> {
        None
    }
    async fn replication(&self) -> BResult<Option<velodesk::api::Replication>> {
        self.admin.replication().await
    }

    // --- lookups ---
    async fn staff_role(&self, name: &str) -> BResult<Role> {
        self.admin.staff_role(name).await
    }
    async fn stations(&self) -> BResult<Vec<StationCounts>> {
        self.admin.stations().await
    }
    async fn station(&self, id: StationId) -> BResult<StationView> {
        self.admin.station(id).await
    }
    async fn bike(&self, id: BikeId) -> BResult<Bike> {
        self.admin.bike(id).await
    }
    async fn bikes_in(&self, state: BikeState, limit: usize) -> BResult<Vec<Bike>> {
        self.admin.bikes_in(state, limit).await
    }
    async fn search_riders(&self, query: &str, limit: usize) -> BResult<Vec<RiderHit>> {
        self.admin.search_riders(query, limit).await
    }
    async fn rider(&self, id: RiderId) -> BResult<RiderView> {
        self.admin.rider(id).await
    }
    async fn reveal_rider(&self, id: RiderId, reason: &str) -> BResult<RiderView> {
        self.admin.reveal_rider(id, reason).await
    }
    async fn alerts(&self) -> BResult<Vec<Alert>> {
        self.admin.alerts().await
    }
    async fn audit(&self, filter: AuditFilter) -> BResult<Vec<AuditRecord>> {
        self.admin.audit(filter).await
    }
    async fn own_audit(&self, limit: usize) -> BResult<Vec<AuditRecord>> {
        self.admin.own_audit(limit).await
    }
    async fn preview_end(&self, rider: RiderId, at: DateTime<Utc>) -> BResult<Quote> {
        self.admin.preview_end(rider, at).await
    }
    async fn dispute(
        &self,
        rider: RiderId,
        query: velodesk::api::DisputeQuery,
    ) -> BResult<velodesk::api::DisputeEvidence> {
        self.admin.dispute(rider, query).await
    }
    async fn verify(&self) -> BResult<Vec<Mismatch>> {
        self.admin.verify().await
    }
    async fn desk_info(&self) -> BResult<DeskInfo> {
        self.admin.desk_info().await
    }
    async fn open_rentals(&self) -> BResult<Vec<Rental>> {
        self.admin.open_rentals().await
    }
    async fn verify_fleet(&self) -> BResult<Vec<FleetProblem>> {
        self.admin.verify_fleet().await
    }
    async fn rebalance_plan(&self, fresh: bool) -> BResult<velodesk::api::RebalancePlan> {
        self.admin.rebalance_plan(fresh).await
    }
    async fn desk_file(&self) -> BResult<velodesk::api::DeskFile> {
        self.admin.desk_file().await
    }
}
