//! A scenario's system behind a real server: a fresh database set up as the scenario's
//! `SetUp` says, served on 127.0.0.1:0, and a [`Crew`] — one `Backend` that speaks to it as
//! the scenario's people would: each staff call through a `RemoteBackend` logged in as that
//! staff member (made with a password on its `staff` line), set-up calls, lookups and the
//! riders' own payments through an admin's session, and the docks' calls with the station
//! keys the admin provisions as stations are added.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::{broadcast, watch};
use velodesk::api::FleetProblem;
use velodesk::api::Mismatch;
use velodesk::api::Pass;
use velodesk::api::{Alert, DeskInfo, Event, PostingReport, RiderView, StationView};
use velodesk::api::{AuditFilter, AuditRecord};
use velodesk::api::{BResult, BackendError, BackendInfo, ConnectionState};
use velodesk::api::{Bike, BikeState, NewStation, Rental, StationCounts};
use velodesk::api::{FineOutcome, PayMethod};
use velodesk::api::{NewRider, RiderHit};
use velodesk::backend::{Backend, DockOutcome, RemoteBackend};
use velodesk::clock::SimClock;
use velodesk::domain::pricing::Quote;
use velodesk::domain::roles::Role;
use velodesk::domain::tariff::FineKind;
use velodesk::domain::{BikeId, EntryId, Refusal, RentalId, RiderId, StationId, Tenge};
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

    /// The session of staff member `name` (made on their `staff` line).
    fn by(&self, name: &str) -> BResult<Arc<RemoteBackend>> {
        self.sessions()
            .get(name)
            .cloned()
            .ok_or_else(|| BackendError::Refused {
                kind: Refusal::Forbidden,
                message: format!("no session of staff member {name:?}"),
            })
    }

    /// A staff member's session when the call names one, else the admin's.
    fn by_or_admin(&self, name: Option<&str>) -> BResult<Arc<RemoteBackend>> {
        match name {
            Some(n) => self.by(n),
            None => Ok(self.admin.clone()),
        }
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
    async fn advance_clock(&self, to: DateTime<Utc>) -> BResult<PostingReport> {
        self.admin.advance_clock(to).await
    }
    async fn set_season(&self, from: NaiveDate, to: NaiveDate) -> BResult<()> {
        self.admin.set_season(from, to).await
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
    async fn reveal_rider(&self, id: RiderId, reason: &str, by: &str) -> BResult<RiderView> {
        self.by(by)?.reveal_rider(id, reason, by).await
    }
    async fn alerts(&self) -> BResult<Vec<Alert>> {
        self.admin.alerts().await
    }
    async fn audit(&self, by: &str, filter: AuditFilter) -> BResult<Vec<AuditRecord>> {
        self.by(by)?.audit(by, filter).await
    }
    async fn own_audit(&self, by: &str, limit: usize) -> BResult<Vec<AuditRecord>> {
        self.by(by)?.own_audit(by, limit).await
    }
    async fn preview_end(&self, rider: RiderId, at: DateTime<Utc>) -> BResult<Quote> {
        self.admin.preview_end(rider, at).await
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

    // --- riders and stations ---
    async fn pay(
        &self,
        rider: RiderId,
        amount: Tenge,
        method: PayMethod,
        by: Option<&str>,
    ) -> BResult<EntryId> {
        let b = self.by_or_admin(by)?;
        b.pay(rider, amount, method, by).await
    }
    async fn buy(&self, rider: RiderId, pass: &str, by: Option<&str>) -> BResult<Pass> {
        self.by_or_admin(by)?.buy(rider, pass, by).await
    }
    async fn hold_deposit(
        &self,
        rider: RiderId,
        amount: Tenge,
        by: Option<&str>,
    ) -> BResult<EntryId> {
        let b = self.by_or_admin(by)?;
        b.hold_deposit(rider, amount, by).await
    }
    async fn unlock(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<()> {
        self.admin.unlock(rider, bike, pin).await
    }
    async fn pull(&self, bike: BikeId) -> BResult<RentalId> {
        self.admin.pull(bike).await
    }
    async fn rent(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<RentalId> {
        self.admin.rent(rider, bike, pin).await
    }
    async fn return_bike(
        &self,
        bike: BikeId,
        station: StationId,
        how: DockOutcome,
    ) -> BResult<Option<Quote>> {
        self.admin.return_bike(bike, station, how).await
    }
    async fn call_cable_lock(&self, rider: RiderId, station: StationId) -> BResult<()> {
        self.admin.call_cable_lock(rider, station).await
    }
    async fn cable_lock(&self, bike: BikeId, station: StationId, pin: &str) -> BResult<Quote> {
        self.admin.cable_lock(bike, station, pin).await
    }

    // --- staff ---
    async fn authorise_cable_lock(
        &self,
        rider: RiderId,
        station: StationId,
        by: &str,
    ) -> BResult<()> {
        self.by(by)?.authorise_cable_lock(rider, station, by).await
    }
    async fn manual_unlock(
        &self,
        rider: RiderId,
        bike: BikeId,
        reason: &str,
        by: &str,
    ) -> BResult<()> {
        self.by(by)?.manual_unlock(rider, bike, reason, by).await
    }
    async fn end_rental(
        &self,
        rider: RiderId,
        station: StationId,
        at: DateTime<Utc>,
        reason: &str,
        by: &str,
    ) -> BResult<Quote> {
        let b = self.by(by)?;
        b.end_rental(rider, station, at, reason, by).await
    }
    async fn fine(
        &self,
        rider: RiderId,
        kind: FineKind,
        amount: Option<Tenge>,
        rental: Option<RentalId>,
        note: &str,
        by: &str,
    ) -> BResult<FineOutcome> {
        let b = self.by(by)?;
        b.fine(rider, kind, amount, rental, note, by).await
    }
    async fn approve_fine(&self, rider: RiderId, by: &str) -> BResult<FineOutcome> {
        self.by(by)?.approve_fine(rider, by).await
    }
    async fn reject_fine(&self, rider: RiderId, reason: &str, by: &str) -> BResult<Tenge> {
        self.by(by)?.reject_fine(rider, reason, by).await
    }
    async fn refund(&self, rider: RiderId, by: &str) -> BResult<Tenge> {
        self.by(by)?.refund(rider, by).await
    }
    async fn credit_claim(
        &self,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> BResult<EntryId> {
        let b = self.by(by)?;
        b.credit_claim(rider, amount, reason, by).await
    }
    async fn give_bonus(
        &self,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> BResult<EntryId> {
        let b = self.by(by)?;
        b.give_bonus(rider, amount, reason, by).await
    }
    async fn correct(
        &self,
        rider: RiderId,
        entry: EntryId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> BResult<EntryId> {
        let b = self.by(by)?;
        b.correct(rider, entry, amount, reason, by).await
    }
    async fn block(&self, rider: RiderId, reason: &str, by: &str) -> BResult<()> {
        self.by(by)?.block(rider, reason, by).await
    }
    async fn unblock(&self, rider: RiderId, reason: &str, by: &str) -> BResult<()> {
        self.by(by)?.unblock(rider, reason, by).await
    }
    async fn set_restriction(
        &self,
        rider: RiderId,
        reason: Option<&str>,
        note: &str,
        by: &str,
    ) -> BResult<()> {
        let b = self.by(by)?;
        b.set_restriction(rider, reason, note, by).await
    }
    async fn reset_pin(&self, rider: RiderId, pin: &str, by: &str) -> BResult<()> {
        self.by(by)?.reset_pin(rider, pin, by).await
    }
    async fn block_lost_card(&self, rider: RiderId, by: &str) -> BResult<()> {
        self.by(by)?.block_lost_card(rider, by).await
    }
    async fn service_release(&self, bike: BikeId, by: &str) -> BResult<()> {
        self.by(by)?.service_release(bike, by).await
    }
    async fn service_dock(&self, bike: BikeId, station: StationId, by: &str) -> BResult<()> {
        self.by(by)?.service_dock(bike, station, by).await
    }
    async fn to_repair(&self, bike: BikeId, by: &str) -> BResult<()> {
        self.by(by)?.to_repair(bike, by).await
    }
    async fn dock_out_of_service(
        &self,
        station: StationId,
        number: Option<u32>,
        by: &str,
    ) -> BResult<u32> {
        self.by(by)?.dock_out_of_service(station, number, by).await
    }
    async fn dock_in_service(
        &self,
        station: StationId,
        number: Option<u32>,
        by: &str,
    ) -> BResult<u32> {
        let b = self.by(by)?;
        b.dock_in_service(station, number, by).await
    }

    // --- setting up ---
    /// The station, and a key for its docks.
    async fn add_station(&self, station: NewStation) -> BResult<()> {
        let id = station.id;
        self.admin.add_station(station).await?;
        self.admin.provision_station_key(id).await
    }
    async fn add_bike(&self, bike: BikeId, station: Option<StationId>) -> BResult<()> {
        self.admin.add_bike(bike, station).await
    }
    async fn add_rider(&self, rider: NewRider) -> BResult<RiderId> {
        self.admin.add_rider(rider).await
    }
    /// The account with a password, and (once) a session of its own.
    async fn add_staff(&self, name: &str, role: Role) -> BResult<()> {
        self.admin
            .add_staff_with_password(name, role, &password(name))
            .await?;
        if self.sessions().contains_key(name) {
            return Ok(());
        }
        let session = RemoteBackend::connect(&self.url, name, &password(name)).await?;
        self.sessions().insert(name.to_string(), Arc::new(session));
        Ok(())
    }
}
