//! Each `Backend` operation as its HTTP call (the routes of `server::routes`).

use super::super::*;
use super::RemoteBackend;
use super::{Auth, Method};
use crate::api::Permission;

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
    async fn execute(&self, op: Op) -> BResult<Outcome> {
        self.acts()?;
        match op.permission() {
            Permission::Station => {
                let station = match (op.station(), op.bike_from_dock()) {
                    (Some(s), _) => s,
                    (None, Some(bike)) => self.station_of(bike).await?,
                    (None, None) => unreachable_station(&op)?,
                };
                self.send(Method::POST, "/ops", Auth::Station(station), &op)
                    .await
            }
            _ => self.post("/ops", &op).await,
        }
    }
    async fn preview(&self, op: Op) -> BResult<Outcome> {
        self.acts()?;
        self.post("/ops/preview", &op).await
    }
    fn as_staff(&self, name: &str) -> std::sync::Arc<dyn Backend> {
        let acting = (name != self.staff).then(|| name.to_string());
        std::sync::Arc::new(RemoteBackend {
            acting,
            ..self.clone()
        })
    }
    fn acting_as(&self) -> Option<String> {
        Some(self.acting.clone().unwrap_or_else(|| self.staff.clone()))
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
    async fn reveal_rider(&self, id: RiderId, reason: &str) -> BResult<RiderView> {
        self.acts()?;
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
    async fn audit(&self, filter: AuditFilter) -> BResult<Vec<AuditRecord>> {
        self.acts()?;
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
    async fn own_audit(&self, limit: usize) -> BResult<Vec<AuditRecord>> {
        self.acts()?;
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
    async fn dispute(
        &self,
        rider: RiderId,
        query: crate::api::DisputeQuery,
    ) -> BResult<crate::api::DisputeEvidence> {
        let mut q = Vec::new();
        if let Some(r) = query.rental {
            q.push(("rental", r.to_string()));
        }
        if let Some(s) = query.station {
            q.push(("station", s.to_string()));
        }
        if let Some(at) = query.at {
            q.push(("at", at.to_rfc3339()));
        }
        self.get(&format!("/riders/{rider}/dispute"), &q).await
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
    async fn desk_file(&self) -> BResult<crate::api::DeskFile> {
        self.acts()?;
        self.get("/desk/file", &[]).await
    }
    async fn rebalance_plan(&self, fresh: bool) -> BResult<crate::api::RebalancePlan> {
        self.acts()?;
        let q = if fresh {
            vec![("fresh", "true".to_string())]
        } else {
            Vec::new()
        };
        self.get("/depot/plan", &q).await
    }
}

fn unreachable_station<T>(op: &Op) -> BResult<T> {
    Err(BackendError::Internal {
        message: format!("{} names no station", op.name()),
    })
}

impl RemoteBackend {
    /// Refused when this handle was asked to act as someone other than who logged in.
    fn acts(&self) -> BResult<()> {
        match &self.acting {
            Some(name) => Err(BackendError::Refused {
                kind: Refusal::Forbidden,
                message: format!(
                    "this session is {}'s: {name} must log in to act as themselves",
                    self.staff
                ),
            }),
            None => Ok(()),
        }
    }

    /// The station a bike stands at: the dock that speaks for it.
    async fn station_of(&self, bike: BikeId) -> BResult<StationId> {
        let b = self.bike(bike).await?;
        // A bike still in a rental after a lock error stands in that station's dock
        // (issue 17): that dock speaks for it, and the engine says why it is refused.
        let left = match (b.station, b.state) {
            // A handle that may not list rentals gets the usual refusal.
            (None, BikeState::Rental) => self
                .open_rentals()
                .await
                .ok()
                .and_then(|all| all.into_iter().find(|r| r.bike == bike))
                .and_then(|r| r.lock_error_station),
            _ => None,
        };
        b.station.or(left).ok_or_else(|| BackendError::Refused {
            kind: Refusal::BikeUnavailable,
            message: format!("bike {bike} is not at a station"),
        })
    }
}
