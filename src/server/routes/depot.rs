//! The depot's actions on the fleet (depot staff, admins): service release and dock, repair,
//! docks out of and back in service.

use crate::api::wire::*;
use crate::backend::Backend;
use crate::domain::roles::StaffAction;
use crate::domain::{BikeId, StationId};
use crate::server::auth::AuthStaff;
use crate::server::extract::Call;
use crate::server::idempotent::mutate;
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
    let op = st.backend.service_release(BikeId(id), &who.name);
    mutate(&st, who.principal(), call.idem, op).await
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
    let op = st.backend.service_dock(BikeId(id), body.station, &who.name);
    mutate(&st, who.principal(), call.idem, op).await
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
    let op = st.backend.to_repair(BikeId(id), &who.name);
    mutate(&st, who.principal(), call.idem, op).await
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
    let op = st
        .backend
        .dock_out_of_service(StationId(id), body.number, &who.name);
    mutate(&st, who.principal(), call.idem, op).await
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
    let op = st
        .backend
        .dock_in_service(StationId(id), body.number, &who.name);
    mutate(&st, who.principal(), call.idem, op).await
}
