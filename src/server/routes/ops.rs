//! `POST /ops`: any operation as data ([`Op`]), the one door the remote backend uses. A
//! staff member's bearer token acts as them (the engine checks the operation's declared
//! permission against their role); a station's key sends only the docks' operations of its
//! own station. `POST /ops/preview` answers what an operation would, with nothing kept.
//! The routes per operation (`/riders/{id}/payments`…) build the same `Op`.

use super::station::dock_op;
use crate::api::{BackendError, Op, Permission};
use crate::backend::Backend;
use crate::domain::Refusal;
use crate::server::auth::{AuthStaff, AuthStation};
use crate::server::extract::Call;
use crate::server::idempotent::{Shape, run_op};
use crate::server::problem::ApiError;
use crate::server::state::AppState;
use crate::server::{IdempotencyKey, Limited, Problems, validate};
use axum::extract::{FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

type Answer = Result<Response, ApiError>;

/// Who sends an operation: a staff member's session or a station's docks.
pub enum Caller {
    Staff(AuthStaff),
    Station(AuthStation),
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let station = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.len() > 8 && v[..8].eq_ignore_ascii_case("station "));
        Ok(if station {
            Caller::Station(AuthStation::from_request_parts(parts, st).await?)
        } else {
            Caller::Staff(AuthStaff::from_request_parts(parts, st).await?)
        })
    }
}

/// The same bounds as the operation's own route ([`validate`]).
fn checked(st: &AppState, op: &Op) -> Result<(), ApiError> {
    match op {
        Op::Pay { amount, .. }
        | Op::HoldDeposit { amount, .. }
        | Op::CreditClaim { amount, .. }
        | Op::GiveBonus { amount, .. } => validate::amount("amount", *amount, false),
        Op::Fine {
            amount: Some(a), ..
        } => validate::amount("amount", *a, false),
        Op::Correct { amount, .. } => validate::amount("amount", *amount, true),
        Op::AddBike { bike, .. } => validate::new_id("bike", bike.0),
        Op::AddRider { rider } => validate::new_rider(rider, st.clock.now().date_naive()),
        Op::SetSeason { from, to } => validate::season(*from, *to),
        _ => Ok(()),
    }
}

/// What `caller` may send: a dock only its station's operations, staff no dock's.
fn principal_for(caller: &Caller, op: &Op) -> Result<(String, Option<String>), ApiError> {
    let docks = op.permission() == Permission::Station;
    match caller {
        Caller::Staff(who) if docks => Err(ApiError::forbidden(format!(
            "{} is a dock's: send it with the station's key (Authorization: Station KEY), not as {}",
            op.name(),
            who.name
        ))),
        Caller::Staff(who) => Ok((who.principal(), Some(who.name.clone()))),
        Caller::Station(_) if !docks => Err(ApiError::forbidden(format!(
            "{} is a staff member's: a station's key sends only the docks' operations",
            op.name()
        ))),
        Caller::Station(s) => {
            if let Some(at) = op.station() {
                s.is(at)?;
            }
            Ok((s.principal(), None))
        }
    }
}

/// Run an operation: its answer as `{"outcome": KIND, "value": …}`.
#[utoipa::path(post, path = "/ops", tag = "ops",
    params(IdempotencyKey),
    request_body(content = crate::api::Op, description = "an operation: `op` names it, the other fields are its own (see `velodesk::api::Op`)"),
    security(("bearer" = []), ("station_key" = [])),
    responses((status = 200, body = crate::api::Outcome, description = "what the operation did"), Problems, Limited))]
pub async fn execute(State(st): State<AppState>, caller: Caller, call: Call<Op>) -> Answer {
    let op = call.parse()?;
    checked(&st, &op)?;
    let (principal, actor) = principal_for(&caller, &op)?;
    match &caller {
        Caller::Station(s) => dock_op(&st, s, call.idem, op, Shape::Whole).await,
        Caller::Staff(_) => {
            run_op(&st, principal, actor, call.idem, op, Shape::Whole, async {
                Ok(())
            })
            .await
        }
    }
}

/// What an operation would answer now, refusal included, with nothing kept (a form's
/// preview). Not idempotent: nothing happens.
#[utoipa::path(post, path = "/ops/preview", tag = "ops",
    request_body(content = crate::api::Op, description = "an operation, as for POST /ops"),
    security(("bearer" = []), ("station_key" = [])),
    responses((status = 200, body = crate::api::Outcome, description = "what the operation would do"), Problems, Limited))]
pub async fn preview(State(st): State<AppState>, caller: Caller, call: Call<Op>) -> Answer {
    let op = call.parse()?;
    checked(&st, &op)?;
    let (_, actor) = principal_for(&caller, &op)?;
    if let (Caller::Station(s), Some(bike)) = (&caller, op.bike_from_dock()) {
        super::station::bike_at(&st, bike, s.station).await?;
    }
    let backend = match actor {
        Some(name) => st.backend.acting(&name),
        None => st.backend.as_ref().clone(),
    };
    match backend.preview(op).await {
        Ok(out) => Ok(axum::Json(out).into_response()),
        Err(BackendError::Refused {
            kind: Refusal::Forbidden,
            message,
        }) => Err(ApiError::forbidden(message)),
        Err(e) => Err(e.into()),
    }
}
