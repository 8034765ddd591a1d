//! Test backends that wrap a real one and change one thing, to show that the scenario
//! runner notices what a faulty backend would get wrong (they delegate everything else).

use chrono::{DateTime, Utc};
use std::sync::Arc;
use tokio::sync::broadcast;
use velodesk::api::Mismatch;
use velodesk::api::Pass;
use velodesk::api::{Alert, DeskInfo, Event, PostingReport, RiderView, StationView};
use velodesk::api::{AuditFilter, AuditRecord};
use velodesk::api::{BResult, BackendInfo};
use velodesk::api::{Bike, BikeState, NewStation, StationCounts};
use velodesk::api::{FineOutcome, PayMethod};
use velodesk::api::{NewRider, RiderHit};
use velodesk::backend::{Backend, DockOutcome};
use velodesk::domain::pricing::Quote;
use velodesk::domain::roles::Role;
use velodesk::domain::tariff::FineKind;
use velodesk::domain::{BikeId, EntryId, RentalId, RiderId, StationId, Tenge};

/// `impl Backend for $name` (a tuple struct around an `Arc<dyn Backend>`) delegating every
/// operation the trait requires, plus the items given.
macro_rules! wrapper {
    ($name:ident { $($extra:tt)* }) => {
        #[async_trait::async_trait]
        impl Backend for $name {
            $($extra)*
            fn info(&self) -> BackendInfo { self.0.info() }
            fn subscribe(&self) -> broadcast::Receiver<(i64, Event)> { self.0.subscribe() }
            async fn events_after(&self, after: i64, limit: usize) -> BResult<Vec<(i64, Event)>> { self.0.events_after(after, limit).await }
            async fn now(&self) -> BResult<DateTime<Utc>> { self.0.now().await }
            async fn advance_clock(&self, to: DateTime<Utc>) -> BResult<PostingReport> { self.0.advance_clock(to).await }
            async fn staff_role(&self, name: &str) -> BResult<Role> { self.0.staff_role(name).await }
            async fn stations(&self) -> BResult<Vec<StationCounts>> { self.0.stations().await }
            async fn station(&self, id: StationId) -> BResult<StationView> { self.0.station(id).await }
            async fn bike(&self, id: BikeId) -> BResult<Bike> { self.0.bike(id).await }
            async fn search_riders(&self, query: &str, limit: usize) -> BResult<Vec<RiderHit>> { self.0.search_riders(query, limit).await }
            async fn rider(&self, id: RiderId) -> BResult<RiderView> { self.0.rider(id).await }
            async fn alerts(&self) -> BResult<Vec<Alert>> { self.0.alerts().await }
            async fn audit(&self, by: &str, filter: AuditFilter) -> BResult<Vec<AuditRecord>> { self.0.audit(by, filter).await }
            async fn preview_end(&self, rider: RiderId, at: DateTime<Utc>) -> BResult<Quote> { self.0.preview_end(rider, at).await }
            async fn verify(&self) -> BResult<Vec<Mismatch>> { self.0.verify().await }
            async fn bikes_in(&self, state: BikeState, limit: usize) -> BResult<Vec<Bike>> { self.0.bikes_in(state, limit).await }
            async fn desk_info(&self) -> BResult<DeskInfo> { self.0.desk_info().await }
            async fn reveal_rider(&self, rider: RiderId, reason: &str, by: &str) -> BResult<RiderView> { self.0.reveal_rider(rider, reason, by).await }
            async fn manual_unlock(&self, rider: RiderId, bike: BikeId, reason: &str, by: &str) -> BResult<()> { self.0.manual_unlock(rider, bike, reason, by).await }
            async fn pay(&self, rider: RiderId, amount: Tenge, method: PayMethod, by: Option<&str>) -> BResult<EntryId> { self.0.pay(rider, amount, method, by).await }
            async fn buy(&self, rider: RiderId, pass: &str, by: Option<&str>) -> BResult<Pass> { self.0.buy(rider, pass, by).await }
            async fn hold_deposit(&self, rider: RiderId, amount: Tenge, by: Option<&str>) -> BResult<EntryId> { self.0.hold_deposit(rider, amount, by).await }
            async fn unlock(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<()> { self.0.unlock(rider, bike, pin).await }
            async fn pull(&self, bike: BikeId) -> BResult<RentalId> { self.0.pull(bike).await }
            async fn rent(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<RentalId> { self.0.rent(rider, bike, pin).await }
            async fn return_bike(&self, bike: BikeId, station: StationId, how: DockOutcome) -> BResult<Option<Quote>> { self.0.return_bike(bike, station, how).await }
            async fn call_cable_lock(&self, rider: RiderId, station: StationId) -> BResult<()> { self.0.call_cable_lock(rider, station).await }
            async fn cable_lock(&self, bike: BikeId, station: StationId, pin: &str) -> BResult<Quote> { self.0.cable_lock(bike, station, pin).await }
            async fn authorise_cable_lock(&self, rider: RiderId, station: StationId, by: &str) -> BResult<()> { self.0.authorise_cable_lock(rider, station, by).await }
            async fn end_rental(&self, rider: RiderId, station: StationId, at: DateTime<Utc>, reason: &str, by: &str) -> BResult<Quote> { self.0.end_rental(rider, station, at, reason, by).await }
            async fn fine(&self, rider: RiderId, kind: FineKind, amount: Option<Tenge>, rental: Option<RentalId>, note: &str, by: &str) -> BResult<FineOutcome> { self.0.fine(rider, kind, amount, rental, note, by).await }
            async fn approve_fine(&self, rider: RiderId, by: &str) -> BResult<FineOutcome> { self.0.approve_fine(rider, by).await }
            async fn reject_fine(&self, rider: RiderId, reason: &str, by: &str) -> BResult<Tenge> { self.0.reject_fine(rider, reason, by).await }
            async fn refund(&self, rider: RiderId, by: &str) -> BResult<Tenge> { self.0.refund(rider, by).await }
            async fn credit_claim(&self, rider: RiderId, amount: Tenge, reason: &str, by: &str) -> BResult<EntryId> { self.0.credit_claim(rider, amount, reason, by).await }
            async fn give_bonus(&self, rider: RiderId, amount: Tenge, reason: &str, by: &str) -> BResult<EntryId> { self.0.give_bonus(rider, amount, reason, by).await }
            async fn correct(&self, rider: RiderId, entry: EntryId, amount: Tenge, reason: &str, by: &str) -> BResult<EntryId> { self.0.correct(rider, entry, amount, reason, by).await }
            async fn block(&self, rider: RiderId, reason: &str, by: &str) -> BResult<()> { self.0.block(rider, reason, by).await }
            async fn unblock(&self, rider: RiderId, reason: &str, by: &str) -> BResult<()> { self.0.unblock(rider, reason, by).await }
            async fn set_restriction(&self, rider: RiderId, reason: Option<&str>, note: &str, by: &str) -> BResult<()> { self.0.set_restriction(rider, reason, note, by).await }
            async fn reset_pin(&self, rider: RiderId, pin: &str, by: &str) -> BResult<()> { self.0.reset_pin(rider, pin, by).await }
            async fn block_lost_card(&self, rider: RiderId, by: &str) -> BResult<()> { self.0.block_lost_card(rider, by).await }
            async fn service_release(&self, bike: BikeId, by: &str) -> BResult<()> { self.0.service_release(bike, by).await }
            async fn service_dock(&self, bike: BikeId, station: StationId, by: &str) -> BResult<()> { self.0.service_dock(bike, station, by).await }
            async fn to_repair(&self, bike: BikeId, by: &str) -> BResult<()> { self.0.to_repair(bike, by).await }
            async fn dock_out_of_service(&self, station: StationId, number: Option<u32>, by: &str) -> BResult<u32> { self.0.dock_out_of_service(station, number, by).await }
            async fn dock_in_service(&self, station: StationId, number: Option<u32>, by: &str) -> BResult<u32> { self.0.dock_in_service(station, number, by).await }
            async fn add_station(&self, station: NewStation) -> BResult<()> { self.0.add_station(station).await }
            async fn add_bike(&self, bike: BikeId, station: Option<StationId>) -> BResult<()> { self.0.add_bike(bike, station).await }
            async fn add_rider(&self, rider: NewRider) -> BResult<RiderId> { self.0.add_rider(rider).await }
            async fn add_staff(&self, name: &str, role: Role) -> BResult<()> { self.0.add_staff(name, role).await }
        }
    };
}

/// A backend written before `set_season` and `own_audit` were added to the trait: it
/// answers them with the trait's defaults.
pub struct Older(pub Arc<dyn Backend>);
wrapper!(Older {});

/// A backend whose staff actions leave no audit record it can show.
pub struct Unaudited(pub Arc<dyn Backend>);
wrapper!(Unaudited {
    async fn set_season(&self, from: chrono::NaiveDate, to: chrono::NaiveDate) -> BResult<()> {
        self.0.set_season(from, to).await
    }
    async fn own_audit(&self, _by: &str, _limit: usize) -> BResult<Vec<AuditRecord>> {
        Ok(Vec::new())
    }
});
