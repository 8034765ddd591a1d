//! Read-only routes: the system, stations, bikes, riders (personal data masked unless
//! revealed with a reason), alerts, the audit log, balance verification, the event log.

use crate::api::AuditFilter;
use crate::backend::Backend;
use crate::domain::roles::{StaffAction, allows};
use crate::domain::{BikeId, RiderId, StationId};
use crate::server::auth::AuthStaff;
use crate::server::mask;
use crate::server::problem::ApiError;
use crate::server::problem::Problem;
use crate::server::state::AppState;
use crate::server::{Limited, Problems};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

type Answer<T> = Result<Json<T>, ApiError>;

/// The system behind the server: its city and time zone to anyone; with a login also
/// where its database is and whether its clock is simulated.
#[utoipa::path(get, path = "/info", tag = "lookups", security((), ("bearer" = [])),
    responses((status = 200, body = crate::api::BackendInfo), Problems, Limited))]
pub async fn info(
    State(st): State<AppState>,
    who: Option<AuthStaff>,
) -> Result<Response, ApiError> {
    let info = st.backend.info();
    Ok(match who {
        Some(_) => Json(info).into_response(),
        None => Json(serde_json::json!({"city": info.city, "time_zone": info.time_zone}))
            .into_response(),
    })
}

/// The time the system has reached.
#[utoipa::path(get, path = "/clock", tag = "lookups",
    responses((status = 200, body = DateTime<Utc>, description = "RFC 3339", content_type = "application/json"), Problems, Limited))]
pub async fn now(State(st): State<AppState>, _who: AuthStaff) -> Answer<DateTime<Utc>> {
    Ok(Json(st.backend.now().await?))
}

/// A staff member's role.
#[utoipa::path(get, path = "/staff/{name}/role", tag = "lookups",
    params(("name" = String, Path)),
    responses((status = 200, body = String, content_type = "application/json", example = "agent"), Problems, Limited))]
pub async fn staff_role(
    State(st): State<AppState>,
    _who: AuthStaff,
    Path(name): Path<String>,
) -> Answer<crate::domain::roles::Role> {
    Ok(Json(st.backend.staff_role(&name).await?))
}

/// Every station with its live counts.
#[utoipa::path(get, path = "/stations", tag = "lookups",
    responses((status = 200, body = Vec<crate::api::StationCounts>), Problems, Limited))]
pub async fn stations(
    State(st): State<AppState>,
    _who: AuthStaff,
) -> Answer<Vec<crate::api::StationCounts>> {
    Ok(Json(st.backend.stations().await?))
}

/// A station: counts, docks, the bikes there.
#[utoipa::path(get, path = "/stations/{id}", tag = "lookups",
    params(("id" = i64, Path, description = "station code")),
    responses((status = 200, body = crate::api::StationView), Problems, Limited))]
pub async fn station(
    State(st): State<AppState>,
    _who: AuthStaff,
    Path(id): Path<i64>,
) -> Answer<crate::api::StationView> {
    Ok(Json(st.backend.station(StationId(id)).await?))
}

/// A bike: state, station, dock, faulty.
#[utoipa::path(get, path = "/bikes/{id}", tag = "lookups",
    params(("id" = i64, Path, description = "bike number")),
    responses((status = 200, body = crate::api::Bike), Problems, Limited))]
pub async fn bike(
    State(st): State<AppState>,
    _who: AuthStaff,
    Path(id): Path<i64>,
) -> Answer<crate::api::Bike> {
    Ok(Json(st.backend.bike(BikeId(id)).await?))
}

#[derive(Debug, Deserialize, Serialize, IntoParams, ToSchema)]
pub struct SearchQuery {
    /// ID, phone, e-mail, card, surname or name prefix, or the bike being ridden.
    #[param(max_length = 200)]
    pub q: String,
    /// At most this many hits (1 to 200, default 20).
    #[serde(default = "default_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: usize,
}

fn default_limit() -> usize {
    20
}

/// Find riders (personal data masked). A role that may not see personal data finds a
/// rider by the whole phone number only, never by its first digits, and each such search
/// is audited (`search-by-phone`). Searches are limited per session: a burst of 20, then 5
/// a second (429 with `Retry-After`).
#[utoipa::path(get, path = "/riders", tag = "lookups", params(SearchQuery),
    responses((status = 200, body = Vec<crate::api::RiderHit>),
        (status = 429, description = "too many searches: wait `Retry-After` seconds", body = Problem,
            content_type = "application/problem+json", headers(("Retry-After" = u64, description = "seconds"))),
        Problems, Limited))]
pub async fn search_riders(
    State(st): State<AppState>,
    who: AuthStaff,
    Query(q): Query<SearchQuery>,
) -> Answer<Vec<crate::api::RiderHit>> {
    if q.q.chars().count() > MAX_QUERY {
        return Err(ApiError::invalid(format!(
            "query parameter q: at most {MAX_QUERY} characters"
        )));
    }
    if !(1..=MAX_HITS).contains(&q.limit) {
        return Err(ApiError::invalid(format!(
            "query parameter limit: {} is not from 1 to {MAX_HITS}",
            q.limit
        )));
    }
    st.searches.take(who.session_key()).map_err(|wait| {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-requests",
            format!("too many searches: try again in {wait} s"),
        )
        .retry_after(wait)
    })?;
    let may_see = allows(who.role, StaffAction::RevealPersonalData);
    let mut hits = st
        .backend
        .acting(&who.name)
        .search_riders(&q.q, q.limit)
        .await?;
    if !may_see && looks_like_a_phone(&q.q) {
        audit_phone_search(&st, &who, &q.q, hits.len()).await?;
    }
    hits.iter_mut().for_each(mask::hit);
    Ok(Json(hits))
}

/// The longest search text, and the most hits one search answers.
const MAX_QUERY: usize = 200;
const MAX_HITS: usize = 200;

/// A whole phone number, as people type one (`+7 701 123 45 67`, `8(701)1234567`).
fn looks_like_a_phone(q: &str) -> bool {
    let digits = q.chars().filter(char::is_ascii_digit).count();
    digits >= 7
        && q.trim()
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'))
}

/// Who looked a phone number up without the right to see personal data: in the audit log,
/// so guessing numbers leaves a trail.
async fn audit_phone_search(
    st: &AppState,
    who: &AuthStaff,
    q: &str,
    found: usize,
) -> Result<(), ApiError> {
    let (staff, role, target) = (
        who.name.clone(),
        who.role.as_str(),
        format!("phone {}: {found} found", q.trim()),
    );
    st.backend
        .call(move |e| {
            e.write_with(move |ctx, c| {
                let local = ctx.local(ctx.now);
                Ok(crate::store::audit::record(
                    c,
                    ctx.now,
                    &local,
                    &staff,
                    role,
                    "search-by-phone",
                    None,
                    &target,
                    "",
                    "",
                )?)
            })
        })
        .await?;
    Ok(())
}

#[derive(Debug, Deserialize, Serialize, IntoParams, ToSchema)]
pub struct RevealQuery {
    /// Why the personal data is needed: shows it unmasked, for a role that may (audited).
    pub reveal: Option<String>,
}

/// A rider's account view; personal data masked unless `?reveal=REASON`.
#[utoipa::path(get, path = "/riders/{id}", tag = "lookups",
    params(("id" = i64, Path, description = "rider ID"), RevealQuery),
    responses((status = 200, body = crate::api::RiderView), Problems, Limited))]
pub async fn rider(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    Query(q): Query<RevealQuery>,
) -> Answer<crate::api::RiderView> {
    let id = RiderId(id);
    match q.reveal {
        Some(reason) => {
            who.may(StaffAction::RevealPersonalData)?;
            Ok(Json(
                st.backend
                    .acting(&who.name)
                    .reveal_rider(id, &reason)
                    .await?,
            ))
        }
        None => {
            let mut v = st.backend.rider(id).await?;
            mask::view(&mut v);
            Ok(Json(v))
        }
    }
}

/// What needs an operator now; for those who manage staff or read the audit log, also
/// the staff accounts locked out by failed logins (`login-locked`).
#[utoipa::path(get, path = "/alerts", tag = "lookups",
    responses((status = 200, body = Vec<crate::api::Alert>), Problems, Limited))]
pub async fn alerts(State(st): State<AppState>, who: AuthStaff) -> Answer<Vec<crate::api::Alert>> {
    let mut all = st.backend.alerts().await?;
    if allows(who.role, StaffAction::ManageStaff) || allows(who.role, StaffAction::ViewAudit) {
        let now = Utc::now();
        all.extend(
            st.limiter
                .lockouts()
                .into_iter()
                .map(|l| crate::api::Alert {
                    since: Some(now),
                    ..crate::api::Alert::new(crate::api::AlertKind::LoginLocked, l.text())
                }),
        );
    }
    Ok(Json(all))
}

#[derive(Debug, Default, Deserialize, Serialize, IntoParams, ToSchema)]
pub struct AuditQuery {
    pub staff: Option<String>,
    pub rider: Option<i64>,
    pub action: Option<String>,
    pub limit: Option<usize>,
}

/// The audit log (supervisors, admins).
#[utoipa::path(get, path = "/audit", tag = "lookups", params(AuditQuery),
    responses((status = 200, body = Vec<crate::api::AuditRecord>), Problems, Limited))]
pub async fn audit(
    State(st): State<AppState>,
    who: AuthStaff,
    Query(q): Query<AuditQuery>,
) -> Answer<Vec<crate::api::AuditRecord>> {
    who.may(StaffAction::ViewAudit)?;
    let filter = AuditFilter {
        staff: q.staff,
        rider: q.rider.map(RiderId),
        action: q.action,
        limit: q.limit.unwrap_or(200).min(10_000),
    };
    Ok(Json(st.backend.acting(&who.name).audit(filter).await?))
}

#[derive(Debug, Default, Deserialize, Serialize, IntoParams, ToSchema)]
pub struct OwnAuditQuery {
    /// At most this many records, newest first (default and 0: 200).
    pub limit: Option<usize>,
}

/// The caller's own latest audit records, newest first: the receipt of what they just did.
/// Every staff member may read their own; the whole log is `GET /audit`.
#[utoipa::path(get, path = "/audit/own", tag = "lookups", params(OwnAuditQuery),
    responses((status = 200, body = Vec<crate::api::AuditRecord>), Problems, Limited))]
pub async fn own_audit(
    State(st): State<AppState>,
    who: AuthStaff,
    Query(q): Query<OwnAuditQuery>,
) -> Answer<Vec<crate::api::AuditRecord>> {
    let limit = q.limit.unwrap_or(200).min(10_000);
    Ok(Json(st.backend.acting(&who.name).own_audit(limit).await?))
}

#[derive(Debug, Deserialize, Serialize, IntoParams, ToSchema)]
pub struct AtQuery {
    /// RFC 3339.
    pub at: DateTime<Utc>,
}

/// What ending the rider's rental at a time would charge (nothing changes).
#[utoipa::path(get, path = "/riders/{id}/rental/end-preview", tag = "lookups",
    params(("id" = i64, Path, description = "rider ID"), AtQuery),
    responses((status = 200, body = crate::domain::pricing::Quote), Problems, Limited))]
pub async fn preview_end(
    State(st): State<AppState>,
    who: AuthStaff,
    Path(id): Path<i64>,
    Query(q): Query<AtQuery>,
) -> Answer<crate::domain::pricing::Quote> {
    who.may(StaffAction::EndRental)?;
    Ok(Json(st.backend.preview_end(RiderId(id), q.at).await?))
}

/// Every rider's balances re-verified from the ledger (D9): the mismatches.
#[utoipa::path(get, path = "/verify", tag = "lookups",
    responses((status = 200, body = Vec<crate::api::Mismatch>), Problems, Limited))]
pub async fn verify(
    State(st): State<AppState>,
    who: AuthStaff,
) -> Answer<Vec<crate::api::Mismatch>> {
    who.may(StaffAction::ViewAudit)?;
    Ok(Json(st.backend.verify().await?))
}

/// The fleet invariants (each bike in one place, dock counts that add up): what is broken.
#[utoipa::path(get, path = "/verify/fleet", tag = "lookups",
    responses((status = 200, body = Vec<crate::api::FleetProblem>), Problems, Limited))]
pub async fn verify_fleet(
    State(st): State<AppState>,
    who: AuthStaff,
) -> Answer<Vec<crate::api::FleetProblem>> {
    who.may(StaffAction::ViewAudit)?;
    Ok(Json(st.backend.verify_fleet().await?))
}

/// Every open rental, oldest first: which rider has which bike since when (no personal data
/// beyond the rider's ID).
#[utoipa::path(get, path = "/rentals/open", tag = "lookups",
    responses((status = 200, body = Vec<crate::api::Rental>), Problems, Limited))]
pub async fn open_rentals(
    State(st): State<AppState>,
    _who: AuthStaff,
) -> Answer<Vec<crate::api::Rental>> {
    Ok(Json(st.backend.open_rentals().await?))
}

#[derive(Debug, Deserialize, Serialize, IntoParams, ToSchema)]
pub struct AfterQuery {
    #[serde(default)]
    pub after: i64,
    #[serde(default = "default_page")]
    pub limit: usize,
}

fn default_page() -> usize {
    500
}

/// Events after an id, oldest first (the live stream is `GET /events`).
#[utoipa::path(get, path = "/events/log", tag = "events", params(AfterQuery),
    responses((status = 200, body = Vec<crate::server::schema::LoggedEvent>, description = "[[id, event], …]"), Problems, Limited))]
pub async fn events_after(
    State(st): State<AppState>,
    _who: AuthStaff,
    Query(q): Query<AfterQuery>,
) -> Answer<Vec<(i64, crate::api::Event)>> {
    Ok(Json(
        st.backend.events_after(q.after, q.limit.min(5000)).await?,
    ))
}

#[derive(Debug, Deserialize, Serialize, IntoParams, ToSchema)]
pub struct BikesQuery {
    /// `van`, `repair`, `docked`, `rental`, `cable-locked`, `lost`.
    pub state: String,
    #[serde(default = "default_bikes_limit")]
    pub limit: usize,
}

fn default_bikes_limit() -> usize {
    500
}

/// The bikes in one state (the depot's van, the repair shop).
#[utoipa::path(get, path = "/bikes", tag = "lookups", params(BikesQuery),
    responses((status = 200, body = Vec<crate::api::Bike>), Problems, Limited))]
pub async fn bikes_in(
    State(st): State<AppState>,
    _who: AuthStaff,
    Query(q): Query<BikesQuery>,
) -> Answer<Vec<crate::api::Bike>> {
    let Some(state) = crate::api::BikeState::parse(&q.state) else {
        return Err(crate::api::BackendError::Refused {
            kind: crate::domain::Refusal::Invalid,
            message: format!(
                "state {:?}: use van, repair, docked, rental, cable-locked or lost",
                q.state
            ),
        }
        .into());
    };
    Ok(Json(st.backend.bikes_in(state, q.limit.min(5000)).await?))
}

/// What a desk needs for its forms: the tariff in force (TOML), the fine approval threshold
/// (D14), how long a cable-lock permission lasts (R14).
#[utoipa::path(get, path = "/desk", tag = "lookups",
    responses((status = 200, body = crate::api::DeskInfo), Problems, Limited))]
pub async fn desk_info(
    State(st): State<AppState>,
    _who: AuthStaff,
) -> Answer<crate::api::DeskInfo> {
    Ok(Json(st.backend.desk_info().await?))
}

/// The caller's desk file (issue 17): the cases they see — theirs and the desk's, a
/// supervisor's every open one — overdue first, each with its log; and the handovers of
/// others with items nobody took over yet. Agents and supervisors.
#[utoipa::path(get, path = "/desk/file", tag = "lookups",
    responses((status = 200, body = crate::api::DeskFile), Problems, Limited))]
pub async fn desk_file(State(st): State<AppState>, who: AuthStaff) -> Answer<crate::api::DeskFile> {
    who.may(StaffAction::WorkCase)?;
    Ok(Json(st.backend.acting(&who.name).desk_file().await?))
}
