//! The depot's actions on the fleet (depot staff, admins): service release and dock, repair,
//! docks out of and back in service.

use crate::api::Op;
use crate::api::wire::*;
use crate::backend::Backend;
use crate::domain::roles::StaffAction;
use crate::domain::{BikeId, StationId};
use crate::server::auth::AuthStaff;
use crate::server::extract::Call;
use crate::server::idempotent::staff_op;
use crate::server::problem::ApiError;
use crate::server::state::AppState;
use crate::server::{IdempotencyKey, Limited, Problems};
use axum::extract::{Path, State};
use axum::response::Response;

type Answer = Result<Response, ApiError>;

/// Release a bike from its dock into the van (service, no rental).
#[utoipa::path(post, path = "/bikes/{id}/release", tag = "depot",
    params(("id" = i64, Path, description = "bike number"), IdempotencyKey),
    request_body = Empty,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn service_release(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<Empty>,
) -> Answer {
    who.may(StaffAction::ServiceRelease)?;
    call.parse()?;
    let op = Op::ServiceRelease { bike: BikeId(id) };
    staff_op(&st, &who, call.idem, op).await
}

/// Dock a bike from the van at a station.
#[utoipa::path(post, path = "/bikes/{id}/dock", tag = "depot",
    params(("id" = i64, Path, description = "bike number"), IdempotencyKey),
    request_body = StationRequest,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn service_dock(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<StationRequest>,
) -> Answer {
    who.may(StaffAction::ServiceDock)?;
    let body = call.parse()?;
    let op = Op::ServiceDock {
        bike: BikeId(id),
        station: body.station,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Send a bike to repair.
#[utoipa::path(post, path = "/bikes/{id}/repair", tag = "depot",
    params(("id" = i64, Path, description = "bike number"), IdempotencyKey),
    request_body = Empty,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn to_repair(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<Empty>,
) -> Answer {
    who.may(StaffAction::ToRepair)?;
    call.parse()?;
    let op = Op::ToRepair { bike: BikeId(id) };
    staff_op(&st, &who, call.idem, op).await
}

/// Put a free dock of the station out of service (the one numbered, else any free one).
#[utoipa::path(post, path = "/stations/{id}/docks/out-of-service", tag = "depot",
    params(("id" = i64, Path, description = "station code"), IdempotencyKey),
    request_body = DockNumberRequest,
    responses((status = 200, body = u32, description = "the dock number", content_type = "application/json"), Problems, Limited))]
pub async fn dock_out_of_service(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<DockNumberRequest>,
) -> Answer {
    who.may(StaffAction::DockOutOfService)?;
    let body = call.parse()?;
    let op = Op::DockOutOfService {
        station: StationId(id),
        number: body.number,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Put a dock back in service.
#[utoipa::path(post, path = "/stations/{id}/docks/in-service", tag = "depot",
    params(("id" = i64, Path, description = "station code"), IdempotencyKey),
    request_body = DockNumberRequest,
    responses((status = 200, body = u32, description = "the dock number", content_type = "application/json"), Problems, Limited))]
pub async fn dock_in_service(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<DockNumberRequest>,
) -> Answer {
    who.may(StaffAction::DockInService)?;
    let body = call.parse()?;
    let op = Op::DockInService {
        station: StationId(id),
        number: body.number,
    };
    staff_op(&st, &who, call.idem, op).await
}

#[derive(Debug, serde::Deserialize, serde::Serialize, utoipa::IntoParams, utoipa::ToSchema)]
pub struct PlanQuery {
    /// `true` computes the plan again now (else it is the one held, at most 15 minutes old
    /// and recomputed after every van's stop).
    pub fresh: Option<bool>,
}

/// The depot's van plan: each van's route, what it avoids, the stations at risk within the
/// hour; `yours` is the asker's van (depot staff). The same plan for every console.
#[utoipa::path(get, path = "/depot/plan", tag = "depot",
    params(PlanQuery),
    responses((status = 200, body = crate::api::RebalancePlan), Problems, Limited))]
pub async fn rebalance_plan(
    State(st): State<AppState>,
    who: AuthStaff,
    axum::extract::Query(q): axum::extract::Query<PlanQuery>,
) -> Result<axum::Json<crate::api::RebalancePlan>, ApiError> {
    who.may(StaffAction::ViewPlan)?;
    let plan = st
        .backend
        .acting(&who.name)
        .rebalance_plan(q.fresh.unwrap_or(false))
        .await?;
    Ok(axum::Json(plan))
}

/// A van's stop: the faulty bikes named go to repair, the van's bikes named into free docks,
/// the station's bikes named into the van; all or nothing, one audit record.
#[utoipa::path(post, path = "/depot/stops", tag = "depot",
    params(IdempotencyKey),
    request_body = crate::api::VanStopRequest,
    responses((status = 200, body = crate::api::VanStopDone), Problems, Limited))]
pub async fn van_stop(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<crate::api::VanStopRequest>,
) -> Answer {
    who.may(StaffAction::VanStop)?;
    let body = call.parse()?;
    staff_op(&st, &who, call.idem, Op::VanStop { stop: body }).await
}
