//! The one door: the console, the simulator and the server speak to a [`Backend`].
//! `LocalBackend` runs the engine in-process; a remote one speaks HTTP to `velodesk serve`.

#![warn(missing_docs)]

// The adapters document what they add; the lint holds this module's own items: the trait,
// its errors and its shapes.
#[allow(missing_docs)]
mod desk_ops;
#[allow(missing_docs)]
mod local;
mod ops;
#[allow(missing_docs)]
mod readers;
#[allow(missing_docs)]
pub mod remote;

pub use desk_ops::DeskOps;
pub use local::LocalBackend;
pub use ops::Ops;
pub use remote::RemoteBackend;

use crate::api::Mismatch;
use crate::api::Pass;
use crate::api::{Alert, DeskInfo, Event, PostingReport, RiderView, StationView};
use crate::api::{AuditFilter, AuditRecord};
pub use crate::api::{BResult, BackendError, BackendInfo, ConnectionState};
use crate::api::{Bike, BikeState, NewStation, StationCounts};
use crate::api::{FineOutcome, PayMethod};
use crate::api::{NewRider, RiderHit};
pub use crate::api::{Op, Outcome};
use crate::domain::pricing::Quote;
pub use crate::domain::rental::DockOutcome;
use crate::domain::roles::Role;
use crate::domain::tariff::FineKind;
use crate::domain::{BikeId, EntryId, Refusal, RentalId, RiderId, StationId, Tenge};
use crate::engine::EngineError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use tokio::sync::{broadcast, watch};

/// Every operation of velodesk, as one async interface: changes go through one door,
/// [`Backend::execute`] (typed helpers in [`Ops`]), looks-ups are methods of their own. A
/// handle acts as one staff member ([`Backend::as_staff`]; on a server, the token's) or as
/// no one: the rider, the docks, and set-up in-process.
#[async_trait]
pub trait Backend: Send + Sync {
    /// Which system this is and where (the console's header).
    fn info(&self) -> BackendInfo;
    /// Live events (station changed, rental started/ended, alert, ledger posted).
    fn subscribe(&self) -> broadcast::Receiver<(i64, Event)>;
    /// Whether the events are current (a remote backend may be reconnecting).
    fn connection(&self) -> watch::Receiver<ConnectionState>;
    /// The events logged after `after`, at most `limit` (catching up after a gap).
    async fn events_after(&self, after: i64, limit: usize) -> BResult<Vec<(i64, Event)>>;
    /// The system's time.
    async fn now(&self) -> BResult<DateTime<Utc>>;

    /// Run `op` as this handle acts: one transaction, audited, its events out before the
    /// answer comes back.
    async fn execute(&self, op: Op) -> BResult<Outcome>;
    /// What `op` would answer now, refusal included, with nothing kept (forms' previews).
    async fn preview(&self, op: Op) -> BResult<Outcome>;
    /// This system, acting as staff member `name` (a server session acts only as the one
    /// who logged in: another name is refused `forbidden` on its first operation).
    fn as_staff(&self, name: &str) -> Arc<dyn Backend>;
    /// The staff member this handle acts as, if any.
    fn acting_as(&self) -> Option<String>;

    /// Whether the system's database is replicated now (Litestream): a server tells its
    /// admins; `None` where there is nothing to tell (an in-process system).
    async fn replication(&self) -> BResult<Option<crate::api::Replication>>;

    // --- lookups ---
    /// A staff member's role (refused `not-found` for an unknown name).
    async fn staff_role(&self, name: &str) -> BResult<Role>;
    /// Every station with its live counts.
    async fn stations(&self) -> BResult<Vec<StationCounts>>;
    /// One station with its docks and cable-locked bikes.
    async fn station(&self, id: StationId) -> BResult<StationView>;
    /// One bike.
    async fn bike(&self, id: BikeId) -> BResult<Bike>;
    /// The bikes in one state (the van, repair), up to `limit`.
    async fn bikes_in(&self, state: BikeState, limit: usize) -> BResult<Vec<Bike>>;
    /// Riders found by ID, phone, name, e-mail or card (masked on a server).
    async fn search_riders(&self, query: &str, limit: usize) -> BResult<Vec<RiderHit>>;
    /// Everything an agent sees about a rider (masked on a server).
    async fn rider(&self, id: RiderId) -> BResult<RiderView>;
    /// The rider with personal data shown, for a role that may, with a reason (audited).
    async fn reveal_rider(&self, id: RiderId, reason: &str) -> BResult<RiderView>;
    /// What needs an operator now.
    async fn alerts(&self) -> BResult<Vec<Alert>>;
    /// The audit log, filtered (a supervisor's or an admin's).
    async fn audit(&self, filter: AuditFilter) -> BResult<Vec<AuditRecord>>;
    /// This handle's staff member's own latest audit records, newest first, at most
    /// `limit` (0: 200): the receipt of what they just did.
    async fn own_audit(&self, limit: usize) -> BResult<Vec<AuditRecord>>;
    /// The price of ending the rider's rental at `at` (R15, D3).
    async fn preview_end(&self, rider: RiderId, at: DateTime<Utc>) -> BResult<Quote>;
    /// The evidence of a docking dispute on a rider's trip and the fair end it shows (issue 17).
    async fn dispute(
        &self,
        rider: RiderId,
        query: crate::api::DisputeQuery,
    ) -> BResult<crate::api::DisputeEvidence>;
    /// The ledger's cached balances checked against its entries (D9).
    async fn verify(&self) -> BResult<Vec<Mismatch>>;
    /// The tariff in force and the desk's thresholds (forms, previews).
    async fn desk_info(&self) -> BResult<DeskInfo>;
    /// Every open rental, oldest first: who has which bike now.
    async fn open_rentals(&self) -> BResult<Vec<crate::api::Rental>>;
    /// The fleet invariants (a bike in one place, dock counts): each broken one, in words.
    async fn verify_fleet(&self) -> BResult<Vec<crate::api::FleetProblem>>;
    /// The depot's van plan the system holds (depot staff, supervisors, admins; refused
    /// `forbidden` to others), `yours` marking this handle's van; `fresh` computes it again.
    async fn rebalance_plan(&self, fresh: bool) -> BResult<crate::api::RebalancePlan>;
    /// This handle's staff member's desk file: the cases they see, overdue first, and the
    /// handovers of others with items not taken over yet (the desk's roles; `forbidden` to
    /// others).
    async fn desk_file(&self) -> BResult<crate::api::DeskFile>;
}
