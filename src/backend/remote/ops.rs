//! Each `Backend` operation as its HTTP call (the routes of `server::routes`).

use super::super::*;
use super::RemoteBackend;
use crate::api::wire::*;
use serde_json::json;

/// Personal data comes masked unless revealed (see `server::mask`).
#[async_trait]
impl Backend for RemoteBackend {
    fn info(&self) -> BackendInfo {
        self.info.clone()
    }
    fn subscribe(&self) -> broadcast::Receiver<(i64, Event)> {
        self.events.subscribe()
    }
    fn connection(&self) -> watch::Receiver<ConnectionState> {
        self.state.clone()
    }
    async fn events_after(&self, after: i64, limit: usize) -> BResult<Vec<(i64, Event)>> {
        self.get(
            "/events/log",
            &[("after", after.to_string()), ("limit", limit.to_string())],
        )
        .await
    }
    async fn now(&self) -> BResult<DateTime<Utc>> {
        self.get("/clock", &[]).await
    }
    async fn advance_clock(&self, to: DateTime<Utc>) -> BResult<PostingReport> {
        self.post("/clock", &ClockRequest { to }).await
    }
    async fn set_season(&self, from: chrono::NaiveDate, to: chrono::NaiveDate) -> BResult<()> {
        self.post("/season", &SeasonRequest { from, to }).await
    }

    async fn replication(&self) -> BResult<Option<crate::api::Replication>> {
        self.get("/replication", &[]).await.map(Some)
    }

    async fn staff_role(&self, name: &str) -> BResult<Role> {
        self.get(&format!("/staff/{name}/role"), &[]).await
    }
    async fn stations(&self) -> BResult<Vec<StationCounts>> {
        self.get("/stations", &[]).await
    }
    async fn station(&self, id: StationId) -> BResult<StationView> {
        self.get(&format!("/stations/{id}"), &[]).await
    }
    async fn bike(&self, id: BikeId) -> BResult<Bike> {
        self.get(&format!("/bikes/{id}"), &[]).await
    }
    async fn search_riders(&self, query: &str, limit: usize) -> BResult<Vec<RiderHit>> {
        self.get(
            "/riders",
            &[("q", query.to_string()), ("limit", limit.to_string())],
        )
        .await
    }
    async fn rider(&self, id: RiderId) -> BResult<RiderView> {
        self.get(&format!("/riders/{id}"), &[]).await
    }
    async fn reveal_rider(&self, id: RiderId, reason: &str, _by: &str) -> BResult<RiderView> {
        self.get(&format!("/riders/{id}"), &[("reveal", reason.to_string())])
            .await
    }
    async fn bikes_in(&self, state: BikeState, limit: usize) -> BResult<Vec<Bike>> {
        self.get(
            "/bikes",
            &[
                ("state", state.as_str().to_string()),
                ("limit", limit.to_string()),
            ],
        )
        .await
    }
    async fn desk_info(&self) -> BResult<DeskInfo> {
        self.get("/desk", &[]).await
    }
    async fn alerts(&self) -> BResult<Vec<Alert>> {
        self.get("/alerts", &[]).await
    }
    async fn audit(&self, _by: &str, filter: AuditFilter) -> BResult<Vec<AuditRecord>> {
        let mut q = vec![("limit", filter.limit.to_string())];
        if let Some(s) = filter.staff {
            q.push(("staff", s));
        }
        if let Some(r) = filter.rider {
            q.push(("rider", r.to_string()));
        }
        if let Some(a) = filter.action {
            q.push(("action", a));
        }
        self.get("/audit", &q).await
    }
    /// The server answers for the logged-in staff member: `by` must be them.
    async fn own_audit(&self, by: &str, limit: usize) -> BResult<Vec<AuditRecord>> {
        if by != self.staff() {
            return Err(BackendError::Refused {
                kind: Refusal::Forbidden,
                message: format!(
                    "logged in as {}: cannot read the own audit records of {by}",
                    self.staff()
                ),
            });
        }
        self.get("/audit/own", &[("limit", limit.to_string())])
            .await
    }
    async fn preview_end(&self, rider: RiderId, at: DateTime<Utc>) -> BResult<Quote> {
        self.get(
            &format!("/riders/{rider}/rental/end-preview"),
            &[("at", at.to_rfc3339())],
        )
        .await
    }
    async fn verify(&self) -> BResult<Vec<Mismatch>> {
        self.get("/verify", &[]).await
    }
    async fn verify_fleet(&self) -> BResult<Vec<crate::api::FleetProblem>> {
        self.get("/verify/fleet", &[]).await
    }
    async fn open_rentals(&self) -> BResult<Vec<crate::api::Rental>> {
        self.get("/rentals/open", &[]).await
    }

    async fn pay(
        &self,
        rider: RiderId,
        amount: Tenge,
        method: PayMethod,
        _by: Option<&str>,
    ) -> BResult<EntryId> {
        let body = PayRequest { amount, method };
        self.post(&format!("/riders/{rider}/payments"), &body).await
    }
    async fn buy(&self, rider: RiderId, pass: &str, _by: Option<&str>) -> BResult<Pass> {
        let body = BuyRequest { pass: pass.into() };
        self.post(&format!("/riders/{rider}/passes"), &body).await
    }
    async fn hold_deposit(
        &self,
        rider: RiderId,
        amount: Tenge,
        _by: Option<&str>,
    ) -> BResult<EntryId> {
        let body = AmountRequest { amount };
        self.post(&format!("/riders/{rider}/deposit"), &body).await
    }
    async fn unlock(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<()> {
        let station = self.station_of(bike).await?;
        let body = UnlockRequest {
            rider,
            bike,
            pin: pin.into(),
        };
        self.station_post(station, "unlock", &body).await
    }
    async fn pull(&self, bike: BikeId) -> BResult<RentalId> {
        let station = self.station_of(bike).await?;
        self.station_post(station, "pull", &BikeRequest { bike })
            .await
    }
    async fn rent(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<RentalId> {
        self.unlock(rider, bike, pin).await?;
        self.pull(bike).await
    }
    async fn return_bike(
        &self,
        bike: BikeId,
        station: StationId,
        how: DockOutcome,
    ) -> BResult<Option<Quote>> {
        self.station_post(station, "dock", &DockRequest::of(bike, how))
            .await
    }
    async fn call_cable_lock(&self, rider: RiderId, station: StationId) -> BResult<()> {
        self.station_post(station, "cable-lock-call", &RiderRequest { rider })
            .await
    }
    async fn cable_lock(&self, bike: BikeId, station: StationId, pin: &str) -> BResult<Quote> {
        let body = CableLockRequest {
            bike,
            pin: pin.into(),
        };
        self.station_post(station, "cable-lock", &body).await
    }

    async fn authorise_cable_lock(
        &self,
        rider: RiderId,
        station: StationId,
        _by: &str,
    ) -> BResult<()> {
        let body = StationRequest { station };
        self.post(&format!("/riders/{rider}/cable-lock-permission"), &body)
            .await
    }
    async fn manual_unlock(
        &self,
        rider: RiderId,
        bike: BikeId,
        reason: &str,
        _by: &str,
    ) -> BResult<()> {
        let body = ManualUnlockRequest {
            bike,
            reason: reason.into(),
        };
        self.post(&format!("/riders/{rider}/manual-unlock"), &body)
            .await
    }
    async fn end_rental(
        &self,
        rider: RiderId,
        station: StationId,
        at: DateTime<Utc>,
        reason: &str,
        _by: &str,
    ) -> BResult<Quote> {
        let body = EndRentalRequest {
            station,
            at,
            reason: reason.into(),
        };
        self.post(&format!("/riders/{rider}/rental/end"), &body)
            .await
    }
    async fn fine(
        &self,
        rider: RiderId,
        kind: FineKind,
        amount: Option<Tenge>,
        rental: Option<RentalId>,
        note: &str,
        _by: &str,
    ) -> BResult<FineOutcome> {
        let body = FineRequest {
            kind: kind.as_str().into(),
            amount,
            rental,
            note: note.into(),
        };
        self.post(&format!("/riders/{rider}/fines"), &body).await
    }
    async fn approve_fine(&self, rider: RiderId, _by: &str) -> BResult<FineOutcome> {
        self.post(&format!("/riders/{rider}/fines/approve"), &json!({}))
            .await
    }
    async fn reject_fine(&self, rider: RiderId, reason: &str, _by: &str) -> BResult<Tenge> {
        let body = ReasonRequest {
            reason: reason.into(),
        };
        self.post(&format!("/riders/{rider}/fines/reject"), &body)
            .await
    }
    async fn refund(&self, rider: RiderId, _by: &str) -> BResult<Tenge> {
        self.post(&format!("/riders/{rider}/refund"), &json!({}))
            .await
    }
    async fn credit_claim(
        &self,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
        _by: &str,
    ) -> BResult<EntryId> {
        let body = AmountReasonRequest {
            amount,
            reason: reason.into(),
        };
        self.post(&format!("/riders/{rider}/claims"), &body).await
    }
    async fn give_bonus(
        &self,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
        _by: &str,
    ) -> BResult<EntryId> {
        let body = AmountReasonRequest {
            amount,
            reason: reason.into(),
        };
        self.post(&format!("/riders/{rider}/bonus"), &body).await
    }
    async fn correct(
        &self,
        rider: RiderId,
        entry: EntryId,
        amount: Tenge,
        reason: &str,
        _by: &str,
    ) -> BResult<EntryId> {
        let body = CorrectRequest {
            entry,
            amount,
            reason: reason.into(),
        };
        self.post(&format!("/riders/{rider}/corrections"), &body)
            .await
    }
    async fn block(&self, rider: RiderId, reason: &str, _by: &str) -> BResult<()> {
        let body = ReasonRequest {
            reason: reason.into(),
        };
        self.post(&format!("/riders/{rider}/block"), &body).await
    }
    async fn unblock(&self, rider: RiderId, reason: &str, _by: &str) -> BResult<()> {
        let body = ReasonRequest {
            reason: reason.into(),
        };
        self.post(&format!("/riders/{rider}/unblock"), &body).await
    }
    async fn set_restriction(
        &self,
        rider: RiderId,
        reason: Option<&str>,
        note: &str,
        _by: &str,
    ) -> BResult<()> {
        let body = RestrictionRequest {
            reason: reason.map(Into::into),
            note: note.into(),
        };
        self.post(&format!("/riders/{rider}/restriction"), &body)
            .await
    }
    async fn reset_pin(&self, rider: RiderId, pin: &str, _by: &str) -> BResult<()> {
        let body = PinRequest { pin: pin.into() };
        self.post(&format!("/riders/{rider}/pin"), &body).await
    }
    async fn block_lost_card(&self, rider: RiderId, _by: &str) -> BResult<()> {
        self.post(&format!("/riders/{rider}/card/block"), &json!({}))
            .await
    }
    async fn service_release(&self, bike: BikeId, _by: &str) -> BResult<()> {
        self.post(&format!("/bikes/{bike}/release"), &json!({}))
            .await
    }
    async fn service_dock(&self, bike: BikeId, station: StationId, _by: &str) -> BResult<()> {
        self.post(&format!("/bikes/{bike}/dock"), &StationRequest { station })
            .await
    }
    async fn to_repair(&self, bike: BikeId, _by: &str) -> BResult<()> {
        self.post(&format!("/bikes/{bike}/repair"), &json!({}))
            .await
    }
    async fn dock_out_of_service(
        &self,
        station: StationId,
        number: Option<u32>,
        _by: &str,
    ) -> BResult<u32> {
        self.post(
            &format!("/stations/{station}/docks/out-of-service"),
            &DockNumberRequest { number },
        )
        .await
    }
    async fn dock_in_service(
        &self,
        station: StationId,
        number: Option<u32>,
        _by: &str,
    ) -> BResult<u32> {
        self.post(
            &format!("/stations/{station}/docks/in-service"),
            &DockNumberRequest { number },
        )
        .await
    }

    async fn add_station(&self, station: NewStation) -> BResult<()> {
        self.post("/stations", &station).await
    }
    async fn add_bike(&self, bike: BikeId, station: Option<StationId>) -> BResult<()> {
        self.post("/bikes", &NewBikeRequest { id: bike, station })
            .await
    }
    async fn add_rider(&self, rider: NewRider) -> BResult<RiderId> {
        self.post("/riders", &rider).await
    }
    async fn add_staff(&self, name: &str, role: Role) -> BResult<()> {
        let body = NewStaffRequest {
            name: name.into(),
            role,
            password: None,
        };
        self.post("/staff", &body).await
    }
}

impl RemoteBackend {
    /// The station a bike stands at: the dock that speaks for it.
    async fn station_of(&self, bike: BikeId) -> BResult<StationId> {
        let b = self.bike(bike).await?;
        b.station.ok_or_else(|| BackendError::Refused {
            kind: Refusal::BikeUnavailable,
            message: format!("bike {bike} is not at a station"),
        })
    }
}
