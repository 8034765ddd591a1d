//! Test backends that wrap a real one and change one thing, to show that the scenario
//! runner notices what a faulty backend would get wrong (they delegate everything else).

use chrono::{DateTime, Utc};
use std::sync::Arc;
use tokio::sync::{broadcast, watch};
use velodesk::api::{Alert, AuditFilter, AuditRecord, DeskInfo, Event, RiderView, StationView};
use velodesk::api::{BResult, BackendError, BackendInfo, ConnectionState, Op, Outcome};
use velodesk::api::{Bike, BikeState, FleetProblem, Mismatch, Rental, RiderHit, StationCounts};
use velodesk::backend::Backend;
use velodesk::domain::pricing::Quote;
use velodesk::domain::roles::Role;
use velodesk::domain::{BikeId, RiderId, StationId};

/// `impl Backend for $name` (a tuple struct around an `Arc<dyn Backend>`) delegating every
/// method the trait requires but `execute`, `as_staff` and `own_audit`, given with the
/// items.
macro_rules! wrapper {
    ($name:ident { $($extra:tt)* }) => {
        #[async_trait::async_trait]
        impl Backend for $name {
            $($extra)*
            fn as_staff(&self, name: &str) -> Arc<dyn Backend> { Arc::new($name(self.0.as_staff(name))) }
            fn acting_as(&self) -> Option<String> { self.0.acting_as() }
            fn info(&self) -> BackendInfo { self.0.info() }
            fn subscribe(&self) -> broadcast::Receiver<(i64, Event)> { self.0.subscribe() }
            fn connection(&self) -> watch::Receiver<ConnectionState> { self.0.connection() }
            async fn events_after(&self, after: i64, limit: usize) -> BResult<Vec<(i64, Event)>> { self.0.events_after(after, limit).await }
            async fn now(&self) -> BResult<DateTime<Utc>> { self.0.now().await }
            async fn preview(&self, op: Op) -> BResult<Outcome> { self.0.preview(op).await }
            async fn replication(&self) -> BResult<Option<velodesk::api::Replication>> { self.0.replication().await }
            async fn staff_role(&self, name: &str) -> BResult<Role> { self.0.staff_role(name).await }
            async fn stations(&self) -> BResult<Vec<StationCounts>> { self.0.stations().await }
            async fn station(&self, id: StationId) -> BResult<StationView> { self.0.station(id).await }
            async fn bike(&self, id: BikeId) -> BResult<Bike> { self.0.bike(id).await }
            async fn bikes_in(&self, state: BikeState, limit: usize) -> BResult<Vec<Bike>> { self.0.bikes_in(state, limit).await }
            async fn search_riders(&self, query: &str, limit: usize) -> BResult<Vec<RiderHit>> { self.0.search_riders(query, limit).await }
            async fn rider(&self, id: RiderId) -> BResult<RiderView> { self.0.rider(id).await }
            async fn reveal_rider(&self, rider: RiderId, reason: &str) -> BResult<RiderView> { self.0.reveal_rider(rider, reason).await }
            async fn alerts(&self) -> BResult<Vec<Alert>> { self.0.alerts().await }
            async fn audit(&self, filter: AuditFilter) -> BResult<Vec<AuditRecord>> { self.0.audit(filter).await }
            async fn preview_end(&self, rider: RiderId, at: DateTime<Utc>) -> BResult<Quote> { self.0.preview_end(rider, at).await }
            async fn dispute(&self, rider: RiderId, query: velodesk::api::DisputeQuery) -> BResult<velodesk::api::DisputeEvidence> { self.0.dispute(rider, query).await }
            async fn verify(&self) -> BResult<Vec<Mismatch>> { self.0.verify().await }
            async fn desk_info(&self) -> BResult<DeskInfo> { self.0.desk_info().await }
            async fn open_rentals(&self) -> BResult<Vec<Rental>> { self.0.open_rentals().await }
            async fn verify_fleet(&self) -> BResult<Vec<FleetProblem>> { self.0.verify_fleet().await }
            async fn rebalance_plan(&self, fresh: bool) -> BResult<velodesk::api::RebalancePlan> { self.0.rebalance_plan(fresh).await }
            async fn desk_file(&self) -> BResult<velodesk::api::DeskFile> { self.0.desk_file().await }
        }
    };
}

/// A backend that does not offer the season override: it refuses it `unavailable`.
pub struct Older(pub Arc<dyn Backend>);
wrapper!(Older {
    async fn execute(&self, op: Op) -> BResult<Outcome> {
        match op {
            Op::SetSeason { .. } => Err(BackendError::Unavailable {
                message: "this backend does not offer setting the season".into(),
            }),
            op => self.0.execute(op).await,
        }
    }
    async fn own_audit(&self, limit: usize) -> BResult<Vec<AuditRecord>> {
        self.0.own_audit(limit).await
    }
});

/// A backend whose staff actions leave no audit record it can show.
pub struct Unaudited(pub Arc<dyn Backend>);
wrapper!(Unaudited {
    async fn execute(&self, op: Op) -> BResult<Outcome> {
        self.0.execute(op).await
    }
    async fn own_audit(&self, _limit: usize) -> BResult<Vec<AuditRecord>> {
        Ok(Vec::new())
    }
});
