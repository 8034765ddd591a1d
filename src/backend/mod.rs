//! The one door: the console, the simulator and the server speak to a [`Backend`].
//! `LocalBackend` runs the engine in-process; a remote one speaks HTTP to `velodesk serve`.

mod local;
mod readers;
pub mod remote;

pub use local::LocalBackend;
pub use remote::RemoteBackend;

use crate::api::Mismatch;
use crate::api::Pass;
use crate::api::{Alert, DeskInfo, Event, PostingReport, RiderView, StationView};
use crate::api::{AuditFilter, AuditRecord};
pub use crate::api::{BResult, BackendError, BackendInfo, ConnectionState};
use crate::api::{Bike, BikeState, NewStation, StationCounts};
use crate::api::{FineOutcome, PayMethod};
use crate::api::{NewRider, RiderHit};
use crate::domain::pricing::Quote;
pub use crate::domain::rental::DockOutcome;
use crate::domain::roles::Role;
use crate::domain::tariff::FineKind;
use crate::domain::{BikeId, EntryId, Refusal, RentalId, RiderId, StationId, Tenge};
use crate::engine::EngineError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::{broadcast, watch};

/// What a backend answers for an operation it does not offer yet (the default of operations
/// added to [`Backend`] after an implementation was written).
fn not_offered(what: &str) -> BackendError {
    BackendError::Unavailable {
        message: format!("this backend does not offer {what} yet"),
    }
}

/// Every operation of velodesk, as one async interface.
#[async_trait]
pub trait Backend: Send + Sync {
    fn info(&self) -> BackendInfo;
    /// Live events (station changed, rental started/ended, alert, ledger posted).
    fn subscribe(&self) -> broadcast::Receiver<(i64, Event)>;
    /// Whether the events are current (a remote backend may be reconnecting).
    fn connection(&self) -> watch::Receiver<ConnectionState> {
        watch::channel(ConnectionState::Live).1
    }
    async fn events_after(&self, after: i64, limit: usize) -> BResult<Vec<(i64, Event)>>;
    async fn now(&self) -> BResult<DateTime<Utc>>;
    /// Move a simulated clock (refused `invalid` on the system clock).
    async fn advance_clock(&self, to: DateTime<Utc>) -> BResult<PostingReport>;
    /// An operator's override of the rental season (R8): renting and passes only from `from`
    /// to `to`, inclusive, local dates. Refused `invalid` when `to` comes before `from`. It
    /// lasts while the system runs (it is not stored).
    async fn set_season(&self, from: chrono::NaiveDate, to: chrono::NaiveDate) -> BResult<()> {
        let _ = (from, to);
        Err(not_offered("setting the season"))
    }

    /// Whether the system's database is replicated now (Litestream): a server tells its
    /// admins; `None` where there is nothing to tell (an in-process system).
    async fn replication(&self) -> BResult<Option<crate::api::Replication>> {
        Ok(None)
    }

    // --- lookups ---
    async fn staff_role(&self, name: &str) -> BResult<Role>;
    async fn stations(&self) -> BResult<Vec<StationCounts>>;
    async fn station(&self, id: StationId) -> BResult<StationView>;
    async fn bike(&self, id: BikeId) -> BResult<Bike>;
    /// The bikes in one state (the van, repair), up to `limit`.
    async fn bikes_in(&self, state: BikeState, limit: usize) -> BResult<Vec<Bike>>;
    async fn search_riders(&self, query: &str, limit: usize) -> BResult<Vec<RiderHit>>;
    async fn rider(&self, id: RiderId) -> BResult<RiderView>;
    /// The rider with personal data shown, for a role that may, with a reason (audited).
    /// A remote backend's `rider` and `search_riders` mask personal data.
    async fn reveal_rider(&self, id: RiderId, reason: &str, by: &str) -> BResult<RiderView>;
    async fn alerts(&self) -> BResult<Vec<Alert>>;
    async fn audit(&self, by: &str, filter: AuditFilter) -> BResult<Vec<AuditRecord>>;
    /// `by`'s own latest audit records, newest first, at most `limit` (0: 200): the receipt
    /// of what they just did. Every active staff member may read their own (refused
    /// `forbidden` for an unknown or disabled name); the whole log is [`Backend::audit`].
    async fn own_audit(&self, by: &str, limit: usize) -> BResult<Vec<AuditRecord>> {
        let _ = (by, limit);
        Err(not_offered("reading one's own audit records"))
    }
    async fn preview_end(&self, rider: RiderId, at: DateTime<Utc>) -> BResult<Quote>;
    async fn verify(&self) -> BResult<Vec<Mismatch>>;
    /// The tariff in force and the desk's thresholds (forms, previews).
    async fn desk_info(&self) -> BResult<DeskInfo>;
    /// Every open rental, oldest first: who has which bike now (the simulator resumes
    /// them; the Transport Control asks). A backend without it refuses `invalid`.
    async fn open_rentals(&self) -> BResult<Vec<crate::api::Rental>> {
        Err(BackendError::Refused {
            kind: Refusal::Invalid,
            message: "this backend does not list open rentals".into(),
        })
    }
    /// The fleet invariants (a bike in one place, dock counts): each broken one, in words.
    async fn verify_fleet(&self) -> BResult<Vec<crate::api::FleetProblem>> {
        Err(BackendError::Refused {
            kind: Refusal::Invalid,
            message: "this backend does not check the fleet".into(),
        })
    }

    // --- riders and stations (the hardware's side) ---
    async fn pay(
        &self,
        rider: RiderId,
        amount: Tenge,
        method: PayMethod,
        by: Option<&str>,
    ) -> BResult<EntryId>;
    async fn buy(&self, rider: RiderId, pass: &str, by: Option<&str>) -> BResult<Pass>;
    async fn hold_deposit(
        &self,
        rider: RiderId,
        amount: Tenge,
        by: Option<&str>,
    ) -> BResult<EntryId>;
    async fn unlock(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<()>;
    async fn pull(&self, bike: BikeId) -> BResult<RentalId>;
    async fn rent(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<RentalId>;
    /// The bike is pushed into a free dock of `station`, and the dock reports `how` (R12, R13).
    async fn return_bike(
        &self,
        bike: BikeId,
        station: StationId,
        how: DockOutcome,
    ) -> BResult<Option<Quote>>;
    async fn call_cable_lock(&self, rider: RiderId, station: StationId) -> BResult<()>;
    async fn cable_lock(&self, bike: BikeId, station: StationId, pin: &str) -> BResult<Quote>;

    // --- staff ---
    async fn authorise_cable_lock(
        &self,
        rider: RiderId,
        station: StationId,
        by: &str,
    ) -> BResult<()>;
    /// Release a bike for a rider whose own unlock failed (no PIN; audited with a reason).
    async fn manual_unlock(
        &self,
        rider: RiderId,
        bike: BikeId,
        reason: &str,
        by: &str,
    ) -> BResult<()>;
    async fn end_rental(
        &self,
        rider: RiderId,
        station: StationId,
        at: DateTime<Utc>,
        reason: &str,
        by: &str,
    ) -> BResult<Quote>;
    async fn fine(
        &self,
        rider: RiderId,
        kind: FineKind,
        amount: Option<Tenge>,
        rental: Option<RentalId>,
        note: &str,
        by: &str,
    ) -> BResult<FineOutcome>;
    async fn approve_fine(&self, rider: RiderId, by: &str) -> BResult<FineOutcome>;
    /// D14: reject the rider's oldest fine waiting for approval; its amount.
    async fn reject_fine(&self, rider: RiderId, reason: &str, by: &str) -> BResult<Tenge>;
    async fn refund(&self, rider: RiderId, by: &str) -> BResult<Tenge>;
    async fn credit_claim(
        &self,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> BResult<EntryId>;
    async fn give_bonus(
        &self,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> BResult<EntryId>;
    async fn correct(
        &self,
        rider: RiderId,
        entry: EntryId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> BResult<EntryId>;
    async fn block(&self, rider: RiderId, reason: &str, by: &str) -> BResult<()>;
    async fn unblock(&self, rider: RiderId, reason: &str, by: &str) -> BResult<()>;
    async fn set_restriction(
        &self,
        rider: RiderId,
        reason: Option<&str>,
        note: &str,
        by: &str,
    ) -> BResult<()>;
    async fn reset_pin(&self, rider: RiderId, pin: &str, by: &str) -> BResult<()>;
    async fn block_lost_card(&self, rider: RiderId, by: &str) -> BResult<()>;
    async fn service_release(&self, bike: BikeId, by: &str) -> BResult<()>;
    async fn service_dock(&self, bike: BikeId, station: StationId, by: &str) -> BResult<()>;
    async fn to_repair(&self, bike: BikeId, by: &str) -> BResult<()>;
    /// Put a free dock out of service: `number`, else any free working one; its number.
    async fn dock_out_of_service(
        &self,
        station: StationId,
        number: Option<u32>,
        by: &str,
    ) -> BResult<u32>;
    async fn dock_in_service(
        &self,
        station: StationId,
        number: Option<u32>,
        by: &str,
    ) -> BResult<u32>;

    // --- setting up ---
    async fn add_station(&self, station: NewStation) -> BResult<()>;
    async fn add_bike(&self, bike: BikeId, station: Option<StationId>) -> BResult<()>;
    async fn add_rider(&self, rider: NewRider) -> BResult<RiderId>;
    async fn add_staff(&self, name: &str, role: Role) -> BResult<()>;
}
