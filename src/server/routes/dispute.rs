//! The docking dispute's evidence (issue 17): `GET /riders/{id}/dispute`, for the staff who
//! may settle one. Rider IDs and stations only: nothing personal to mask.

use crate::api::{DisputeEvidence, DisputeQuery};
use crate::backend::Backend;
use crate::domain::roles::StaffAction;
use crate::domain::{RentalId, RiderId, StationId};
use crate::server::auth::AuthStaff;
use crate::server::problem::ApiError;
use crate::server::state::AppState;
use crate::server::{Limited, Problems};
use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

/// Which trip and which claim (all optional: the open rental or the latest trip, and its
/// last lock error).
#[derive(Debug, Deserialize, IntoParams)]
pub struct DisputeParams {
    /// A trip of the rider's (else the open rental, else the latest).
    pub rental: Option<i64>,
    /// The station the rider says they docked at.
    pub station: Option<i64>,
    /// When they say they docked (RFC 3339).
    pub at: Option<DateTime<Utc>>,
}

/// The evidence around a rider's claim that the bike was returned, and the fair end it
/// shows (nothing changes).
#[utoipa::path(get, path = "/riders/{id}/dispute", tag = "lookups",
    params(("id" = i64, Path, description = "rider ID"), DisputeParams),
    responses((status = 200, body = crate::api::DisputeEvidence), Problems, Limited))]
pub async fn evidence(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    Query(q): Query<DisputeParams>,
) -> Result<Json<DisputeEvidence>, ApiError> {
    who.may(StaffAction::SettleDispute)?;
    let query = DisputeQuery {
        rental: q.rental.map(RentalId),
        station: q.station.map(StationId),
        at: q.at,
    };
    Ok(Json(st.backend.dispute(RiderId(id), query).await?))
}
