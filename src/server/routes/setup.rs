//! Setting up a system over HTTP: stations, bikes, riders, staff accounts, station keys,
//! the season override and (simulated systems only) the clock. Stations, bikes, keys and
//! the clock are for admins; registering a rider is the desk's (it enters personal data);
//! staff accounts need `manage-staff`. Each is audited under the caller's name in the
//! transaction of its effect, and each takes an `Idempotency-Key` (a retry answers as the
//! first time, a new station key included, and is not audited again).

use crate::api::NewRider;
use crate::api::NewStation;
use crate::api::Op;
use crate::api::wire::*;
use crate::backend::Backend;
use crate::domain::roles::StaffAction;
use crate::domain::{Refusal, StationId};
use crate::engine::refuse;
use crate::server::auth::AuthStaff;
use crate::server::extract::Call;
use crate::server::idempotent::{admin_action, admin_action_secret, staff_op};
use crate::server::problem::ApiError;
use crate::server::state::AppState;
use crate::server::{IdempotencyKey, Limited, Problems, secret, validate};
use crate::store::{auth, people};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;

type Answer = Result<Response, ApiError>;

/// An audit target that does not depend on the answer.
fn on<T>(target: String) -> impl Fn(&T) -> String + Send + Sync + 'static {
    move |_| target.clone()
}

/// Add or update a station (its docks are created).
#[utoipa::path(post, path = "/stations", tag = "setup", params(IdempotencyKey),
    request_body = crate::api::NewStation,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn add_station(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<NewStation>,
) -> Answer {
    who.admin()?;
    let body = call.parse()?;
    let op = Op::AddStation { station: body };
    staff_op(&st, &who, call.idem, op).await
}

/// Add a bike, docked at a station or not.
#[utoipa::path(post, path = "/bikes", tag = "setup", params(IdempotencyKey),
    request_body = NewBikeRequest,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn add_bike(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<NewBikeRequest>,
) -> Answer {
    who.admin()?;
    let b = call.parse()?;
    validate::new_id("id", b.id.0)?;
    let op = Op::AddBike {
        bike: b.id,
        station: b.station,
    };
    staff_op(&st, &who, call.idem, op).await
}

/// Register a rider.
#[utoipa::path(post, path = "/riders", tag = "setup", params(IdempotencyKey),
    request_body = crate::api::NewRider,
    responses((status = 200, body = i64, description = "the rider ID", content_type = "application/json"), Problems, Limited))]
pub async fn add_rider(State(st): State<AppState>, who: AuthStaff, call: Call<NewRider>) -> Answer {
    who.may(StaffAction::RevealPersonalData)?;
    let body = call.parse()?;
    validate::new_rider(&body, st.clock.now().date_naive())?;
    let op = Op::AddRider { rider: body };
    staff_op(&st, &who, call.idem, op).await
}

/// Add a staff account (or change its role, and its password when one is given: then
/// the account's sessions end, as a password changed from the shell ends them).
#[utoipa::path(post, path = "/staff", tag = "setup", params(IdempotencyKey),
    request_body = NewStaffRequest,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn add_staff(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<NewStaffRequest>,
) -> Answer {
    who.may(StaffAction::ManageStaff)?;
    let NewStaffRequest {
        name,
        role,
        password,
    } = call.parse()?;
    if let Some(p) = &password {
        validate::password(p)?;
    }
    let hash = match password {
        Some(p) => Some(
            st.passwords
                .run(move || secret::hash_password(&p))
                .await
                .map_err(|_| crate::server::auth::busy())?
                .map_err(ApiError::internal)?,
        ),
        None => None,
    };
    let target = match hash {
        Some(_) => format!("add {name} as {role}, with a new password"),
        None => format!("add {name} as {role}"),
    };
    let op = move |e: &mut crate::engine::Engine| {
        if hash.is_some() {
            // Sessions first: a crash between leaves the old password and no session.
            e.write_with(|_, c| Ok(auth::end_sessions_of(c, &name)?))?;
        }
        e.add_staff(&name, role, hash.as_deref())
    };
    admin_action(&st, &who, call.idem, "manage-staff", on(target), op).await
}

/// Disable a staff account: its sessions end at once.
#[utoipa::path(post, path = "/staff/{name}/disable", tag = "setup",
    params(("name" = String, Path), IdempotencyKey),
    request_body = Empty,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn disable_staff(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(name): Path<String>,
    call: Call<Empty>,
) -> Answer {
    switch_staff(st, who, name, call, false).await
}

/// Enable a disabled staff account: it logs in with the password it has. Adding an
/// account again never enables it.
#[utoipa::path(post, path = "/staff/{name}/enable", tag = "setup",
    params(("name" = String, Path), IdempotencyKey),
    request_body = Empty,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn enable_staff(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(name): Path<String>,
    call: Call<Empty>,
) -> Answer {
    switch_staff(st, who, name, call, true).await
}

/// Enable or disable an account (disabling ends its sessions), audited as `manage-staff`.
async fn switch_staff(
    st: AppState,
    who: AuthStaff,
    name: String,
    call: Call<Empty>,
    enable: bool,
) -> Answer {
    who.may(StaffAction::ManageStaff)?;
    call.parse()?;
    let target = format!("{} {name}", if enable { "enable" } else { "disable" });
    let op = move |e: &mut crate::engine::Engine| {
        e.write_with(move |_, c| {
            let found = if enable {
                people::enable_staff(c, &name)?
            } else {
                people::disable_staff(c, &name)?
            };
            if !found {
                return refuse(Refusal::NotFound, format!("no staff member {name:?}"));
            }
            if !enable {
                auth::end_sessions_of(c, &name)?;
            }
            Ok(())
        })
    };
    admin_action(&st, &who, call.idem, "manage-staff", on(target), op).await
}

/// A new key for a station's docks (the old one stops working), shown once: no record
/// keeps it. A retry with the same `Idempotency-Key` is answered 409 `key-issued` (the key
/// was issued; if it was lost, rotate again with a new key).
#[utoipa::path(post, path = "/stations/{id}/key", tag = "setup",
    params(("id" = i64, Path, description = "station code"), IdempotencyKey),
    request_body = Empty,
    responses((status = 200, body = StationKey), Problems, Limited))]
pub async fn station_key(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    call: Call<Empty>,
) -> Answer {
    who.admin()?;
    call.parse()?;
    let station = StationId(id);
    st.backend.station(station).await?;
    let key = secret::new_token();
    let op = move |e: &mut crate::engine::Engine| {
        e.write_with(move |_, c| {
            auth::set_station_key(c, station, &secret::token_hash(&key), Utc::now())?;
            Ok(StationKey { station, key })
        })
    };
    let target = format!("station {id}");
    let issued = |k: &StationKey| {
        ApiError::new(
            StatusCode::CONFLICT,
            "key-issued",
            format!(
                "station {}'s key (SHA-256 {}…) was issued to the first request with this \
                 Idempotency-Key and is not kept anywhere: if it was lost, rotate the key \
                 again with a new Idempotency-Key",
                k.station,
                &secret::token_hash(&k.key)[..12]
            ),
        )
    };
    admin_action_secret(&st, &who, call.idem, "station-key", on(target), issued, op).await
}

/// Override the rental season (R8): renting and passes only from `from` to `to`, local
/// dates, inclusive. Kept in the database: it outlives a restart, until the next
/// override. Refused `invalid` when `to` comes before `from`.
#[utoipa::path(post, path = "/season", tag = "setup", params(IdempotencyKey),
    request_body = SeasonRequest,
    responses((status = 200, body = crate::server::schema::Null, description = "null", content_type = "application/json"), Problems, Limited))]
pub async fn set_season(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<SeasonRequest>,
) -> Answer {
    who.admin()?;
    let SeasonRequest { from, to } = call.parse()?;
    validate::season(from, to)?;
    staff_op(&st, &who, call.idem, Op::SetSeason { from, to }).await
}

/// Move a simulated clock forward, running what falls due (refused on the real clock).
/// Time never moves back: a second call to the same time posts nothing; with the same
/// `Idempotency-Key` it answers the first call's report.
#[utoipa::path(post, path = "/clock", tag = "setup", params(IdempotencyKey),
    request_body = ClockRequest,
    responses((status = 200, body = crate::api::PostingReport, description = "what the nightly postings did"), Problems, Limited))]
pub async fn advance_clock(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<ClockRequest>,
) -> Answer {
    who.admin()?;
    let to = call.parse()?.to;
    staff_op(&st, &who, call.idem, Op::AdvanceClock { to }).await
}
