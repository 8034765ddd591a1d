//! A form's preview is the engine's answer to the same request (issue 14 #5, #15's
//! "previews that do not validate"): the procedure's own request runs against [`DryRun`],
//! a backend whose operations are previewed (`Backend::preview`: run and rolled back), so
//! a refusal shows before Confirm, in the same words as after it.

use crate::api::*;
use crate::backend::Backend;
use crate::domain::pricing::Quote;
use crate::domain::roles::Role;
use crate::domain::{BikeId, RiderId, StationId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use tokio::sync::{broadcast, watch};

/// `inner` with every operation previewed, nothing kept; look-ups as they are, but for
/// revealing personal data (audited): the masked rider instead.
pub struct DryRun(pub Arc<dyn Backend>);

#[async_trait]
impl Backend for DryRun {
    async fn execute(&self, op: Op) -> BResult<Outcome> {
        self.0.preview(op).await
    }
    async fn preview(&self, op: Op) -> BResult<Outcome> {
        self.0.preview(op).await
    }
    fn as_staff(&self, name: &str) -> Arc<dyn Backend> {
        Arc::new(DryRun(self.0.as_staff(name)))
    }
    async fn reveal_rider(&self, id: RiderId, _reason: &str) -> BResult<RiderView> {
        self.0.rider(id).await
    }
    fn acting_as(&self) -> Option<String> {
        self.0.acting_as()
    }
    fn info(&self) -> BackendInfo {
        self.0.info()
    }
    fn subscribe(&self) -> broadcast::Receiver<(i64, Event)> {
        self.0.subscribe()
    }
    fn connection(&self) -> watch::Receiver<ConnectionState> {
        self.0.connection()
    }
    async fn events_after(&self, after: i64, limit: usize) -> BResult<Vec<(i64, Event)>> {
        self.0.events_after(after, limit).await
    }
    async fn now(&self) -> BResult<DateTime<Utc>> {
        self.0.now().await
    }
    async fn replication(&self) -> BResult<Option<Replication>> {
        self.0.replication().await
    }
    async fn staff_role(&self, name: &str) -> BResult<Role> {
        self.0.staff_role(name).await
    }
    async fn stations(&self) -> BResult<Vec<StationCounts>> {
        self.0.stations().await
    }
    async fn station(&self, id: StationId) -> BResult<StationView> {
        self.0.station(id).await
    }
    async fn bike(&self, id: BikeId) -> BResult<Bike> {
        self.0.bike(id).await
    }
    async fn bikes_in(&self, state: BikeState, limit: usize) -> BResult<Vec<Bike>> {
        self.0.bikes_in(state, limit).await
    }
    async fn search_riders(&self, query: &str, limit: usize) -> BResult<Vec<RiderHit>> {
        self.0.search_riders(query, limit).await
    }
    async fn rider(&self, id: RiderId) -> BResult<RiderView> {
        self.0.rider(id).await
    }
    async fn alerts(&self) -> BResult<Vec<Alert>> {
        self.0.alerts().await
    }
    async fn audit(&self, filter: AuditFilter) -> BResult<Vec<AuditRecord>> {
        self.0.audit(filter).await
    }
    async fn own_audit(&self, limit: usize) -> BResult<Vec<AuditRecord>> {
        self.0.own_audit(limit).await
    }
    async fn preview_end(&self, rider: RiderId, at: DateTime<Utc>) -> BResult<Quote> {
        self.0.preview_end(rider, at).await
    }
    async fn dispute(
        &self,
        rider: RiderId,
        query: crate::api::DisputeQuery,
    ) -> BResult<crate::api::DisputeEvidence> {
        self.0.dispute(rider, query).await
    }
    async fn verify(&self) -> BResult<Vec<Mismatch>> {
        self.0.verify().await
    }
    async fn desk_info(&self) -> BResult<DeskInfo> {
        self.0.desk_info().await
    }
    async fn open_rentals(&self) -> BResult<Vec<Rental>> {
        self.0.open_rentals().await
    }
    async fn verify_fleet(&self) -> BResult<Vec<FleetProblem>> {
        self.0.verify_fleet().await
    }
    async fn rebalance_plan(&self, fresh: bool) -> BResult<RebalancePlan> {
        self.0.rebalance_plan(fresh).await
    }
    async fn desk_file(&self) -> BResult<DeskFile> {
        self.0.desk_file().await
    }
}
