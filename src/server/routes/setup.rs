//! Setting up a system over HTTP: stations, bikes, riders, staff accounts, station keys and
//! (simulated systems only) the clock, and the season override. Stations, bikes, keys and the clock are for admins;
//! registering a rider is the desk's (it enters personal data); staff accounts need
//! `manage-staff`. Each is audited under the caller's name.

use crate::backend::Backend;
use crate::domain::StationId;
use crate::domain::roles::StaffAction;
use crate::domain::time::format_local;
use crate::engine::PostingReport;
use crate::server::api::*;
use crate::server::auth::AuthStaff;
use crate::server::extract::Call;
use crate::server::idempotent::{REPLAYED, mutate};
use crate::server::problem::ApiError;
use crate::server::state::AppState;
use crate::server::{IdempotencyKey, Problems, secret};
use crate::store::fleet::NewStation;
use crate::store::people::NewRider;
use crate::store::{audit, auth};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;

type Answer = Result<Response, ApiError>;

/// Record a set-up action in the audit log (the engine's set-up operations take no staff),
/// unless `resp` is a replay of one already recorded; then answer `resp`.
async fn audited_unless_replayed(
    st: &AppState,
    who: &AuthStaff,
    resp: Response,
    action: &'static str,
    target: String,
) -> Answer {
    if !resp.headers().contains_key(REPLAYED) {
        audited(st, who, action, target).await;
    }
    Ok(resp)
}

/// Record a set-up action in the audit log (the engine's set-up operations take no staff).
async fn audited(st: &AppState, who: &AuthStaff, action: &'static str, target: String) {
    let (name, role) = (who.name.clone(), who.role.as_str());
    let _ = st
        .backend
        .call(move |e| {
            let now = e.now();
            let local = format_local(e.time_zone(), now);
            e.store().write(|c| {
                audit::record(c, now, &local, &name, role, action, None, &target, "", "")
            })?;
            Ok(())
        })
        .await;
}

/// Add or update a station (its docks are created).
#[utoipa::path(post, path = "/stations", tag = "setup", params(IdempotencyKey),
    request_body = Object,
    responses((status = 200, body = Object, description = "null"), Problems))]
pub async fn add_station(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<NewStation>,
) -> Answer {
    who.admin()?;
    let body = call.parse()?;
    let target = format!("station {}", body.id);
    let resp = mutate(
        &st,
        who.principal(),
        call.idem,
        st.backend.add_station(body),
    )
    .await?;
    audited_unless_replayed(&st, &who, resp, "add-station", target).await
}

/// Add a bike, docked at a station or not.
#[utoipa::path(post, path = "/bikes", tag = "setup", params(IdempotencyKey),
    request_body = NewBikeRequest,
    responses((status = 200, body = Object, description = "null"), Problems))]
pub async fn add_bike(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<NewBikeRequest>,
) -> Answer {
    who.admin()?;
    let b = call.parse()?;
    let op = st.backend.add_bike(b.id, b.station);
    let resp = mutate(&st, who.principal(), call.idem, op).await?;
    audited_unless_replayed(&st, &who, resp, "add-bike", format!("bike {}", b.id)).await
}

/// Register a rider.
#[utoipa::path(post, path = "/riders", tag = "setup", params(IdempotencyKey),
    request_body = Object,
    responses((status = 200, body = i64, description = "the rider ID"), Problems))]
pub async fn add_rider(State(st): State<AppState>, who: AuthStaff, call: Call<NewRider>) -> Answer {
    who.may(StaffAction::RevealPersonalData)?;
    let body = call.parse()?;
    let op = st.backend.add_rider(body);
    let resp = mutate(&st, who.principal(), call.idem, op).await?;
    audited_unless_replayed(&st, &who, resp, "add-rider", String::new()).await
}

/// Add a staff account (or change its role, and its password when one is given).
#[utoipa::path(post, path = "/staff", tag = "setup", params(IdempotencyKey),
    request_body = NewStaffRequest,
    responses((status = 200, body = Object, description = "null"), Problems))]
pub async fn add_staff(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<NewStaffRequest>,
) -> Answer {
    who.may(StaffAction::ManageStaff)?;
    let body = call.parse()?;
    let NewStaffRequest {
        name,
        role,
        password,
    } = body;
    let hash = match password {
        Some(p) if p.chars().count() < 8 => {
            return Err(ApiError::invalid("password: at least 8 characters"));
        }
        Some(p) => Some(
            tokio::task::spawn_blocking(move || secret::hash_password(&p))
                .await
                .map_err(|e| ApiError::internal(e.to_string()))?
                .map_err(ApiError::internal)?,
        ),
        None => None,
    };
    let n = name.clone();
    let op = st
        .backend
        .call(move |e| e.add_staff(&n, role, hash.as_deref()));
    let resp = mutate(&st, who.principal(), call.idem, op).await?;
    audited_unless_replayed(
        &st,
        &who,
        resp,
        "manage-staff",
        format!("add {name} as {role}"),
    )
    .await
}

/// Disable a staff account: its sessions end at once.
#[utoipa::path(post, path = "/staff/{name}/disable", tag = "setup",
    params(("name" = String, Path)),
    request_body = Empty,
    responses((status = 200, body = Object, description = "null"), Problems))]
pub async fn disable_staff(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(name): Path<String>,
    call: Call<Empty>,
) -> Result<Json<()>, ApiError> {
    who.may(StaffAction::ManageStaff)?;
    call.parse()?;
    let n = name.clone();
    let found = st
        .db
        .run(move |c| {
            let found = crate::store::people::disable_staff(c, &n)?;
            auth::end_sessions_of(c, &n)?;
            Ok(found)
        })
        .await?;
    if !found {
        return Err(ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not-found",
            format!("no staff member {name:?}"),
        ));
    }
    audited(&st, &who, "manage-staff", format!("disable {name}")).await;
    Ok(Json(()))
}

/// A new key for a station's docks (the old one stops working): shown once.
#[utoipa::path(post, path = "/stations/{id}/key", tag = "setup",
    params(("id" = i64, Path, description = "station code")),
    request_body = Empty,
    responses((status = 200, body = StationKey), Problems))]
pub async fn station_key(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<Empty>,
) -> Result<Json<StationKey>, ApiError> {
    who.admin()?;
    call.parse()?;
    let station = StationId(id);
    st.backend.station(station).await?;
    let key = secret::new_token();
    let h = secret::token_hash(&key);
    st.db
        .run(move |c| auth::set_station_key(c, station, &h, Utc::now()))
        .await?;
    audited(&st, &who, "station-key", format!("station {id}")).await;
    Ok(Json(StationKey { station, key }))
}

/// Override the rental season (R8): renting and passes only from `from` to `to`, local
/// dates, inclusive. The override is held in memory by the running engine: it lasts until
/// the server stops (a restart goes back to the tariff's season). Refused `invalid` when
/// `to` comes before `from`.
#[utoipa::path(post, path = "/season", tag = "setup", params(IdempotencyKey),
    request_body = SeasonRequest,
    responses((status = 200, body = Object, description = "null"), Problems))]
pub async fn set_season(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<SeasonRequest>,
) -> Answer {
    who.admin()?;
    let SeasonRequest { from, to } = call.parse()?;
    let op = st.backend.set_season(from, to);
    let resp = mutate(&st, who.principal(), call.idem, op).await?;
    audited_unless_replayed(&st, &who, resp, "set-season", format!("{from} to {to}")).await
}

/// Move a simulated clock forward, running what falls due (refused on the real clock).
/// Idempotent by nature (time never moves back: a second call to the same time posts
/// nothing), so an `Idempotency-Key` is accepted and not needed.
#[utoipa::path(post, path = "/clock", tag = "setup", params(IdempotencyKey),
    request_body = ClockRequest,
    responses((status = 200, body = Object, description = "what the nightly postings did"), Problems))]
pub async fn advance_clock(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<ClockRequest>,
) -> Result<Json<PostingReport>, ApiError> {
    who.admin()?;
    let body = call.parse()?;
    let report = st.backend.advance_clock(body.to).await?;
    audited(&st, &who, "advance-clock", body.to.to_rfc3339()).await;
    Ok(Json(report))
}
