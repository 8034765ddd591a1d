//! Who is calling: staff by a bearer token from `POST /auth/login` (12-hour sessions,
//! revocable), docks by their station's key. The role matrix (`domain::roles`) is checked
//! here, on the server, for every route: the staff member is the token's, never a name
//! from the request.

use super::client_addr::client_address;
use super::extract::Call;
use super::problem::{ApiError, Problem};
use super::ratelimit::{Busy, Lockout};
use super::secret;
use super::state::AppState;
use crate::api::Event;
use crate::api::wire::{Empty, LoginRequest, LoginResponse, Me};
use crate::domain::StationId;
use crate::domain::roles::{Role, StaffAction, allows};
use crate::store::{auth, people};
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::Utc;
use std::net::SocketAddr;

/// A logged-in staff member (from the bearer token).
#[derive(Debug, Clone)]
pub struct AuthStaff {
    pub name: String,
    pub role: Role,
    token_hash: String,
}

impl AuthStaff {
    /// Refused 403 unless the role may do `action`.
    pub fn may(&self, action: StaffAction) -> Result<(), ApiError> {
        if allows(self.role, action) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "a {} may not {}",
                self.role,
                action.as_str()
            )))
        }
    }

    /// Setting up the system (stations, bikes, the clock): admins only.
    pub fn admin(&self) -> Result<(), ApiError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "a {} may not set up the system (admins only)",
                self.role
            )))
        }
    }

    /// Whether this caller's session still holds (not logged out, expired or disabled
    /// since): long-lived answers (the event stream) ask again while they run.
    pub async fn still_valid(&self, st: &AppState) -> Result<bool, ApiError> {
        let h = self.token_hash.clone();
        st.db
            .run(move |c| auth::session_live(c, &h, Utc::now()))
            .await
    }

    /// This session's own key (the SHA-256 of its token): what per-session limits count.
    pub fn session_key(&self) -> &str {
        &self.token_hash
    }

    /// The scope of this caller's idempotency keys.
    pub fn principal(&self) -> String {
        format!("staff:{}", self.name)
    }
}

fn credential<'a>(parts: &'a Parts, scheme: &str) -> Option<&'a str> {
    let v = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (s, rest) = v.split_once(' ')?;
    s.eq_ignore_ascii_case(scheme).then(|| rest.trim())
}

impl FromRequestParts<AppState> for AuthStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let Some(token) = credential(parts, "Bearer") else {
            return Err(ApiError::unauthorized(
                "no bearer token: log in with POST /auth/login",
            ));
        };
        let token_hash = secret::token_hash(token);
        let h = token_hash.clone();
        let staff = st.db.run(move |c| auth::session(c, &h, Utc::now())).await?;
        match staff {
            Some(s) => Ok(AuthStaff {
                name: s.name,
                role: s.role,
                token_hash,
            }),
            None => Err(ApiError::unauthorized(
                "the session is unknown, expired or revoked: log in again",
            )),
        }
    }
}

/// A login where one is optional (`GET /info`): no `Authorization` is no login, a bad
/// token is still refused 401.
impl axum::extract::OptionalFromRequestParts<AppState> for AuthStaff {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        st: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            return Ok(None);
        }
        <AuthStaff as FromRequestParts<AppState>>::from_request_parts(parts, st)
            .await
            .map(Some)
    }
}

/// A dock or bike of one station, by the station's key (`Authorization: Station KEY`).
#[derive(Debug, Clone, Copy)]
pub struct AuthStation {
    pub station: StationId,
}

impl AuthStation {
    /// Refused 403 unless the key is `station`'s.
    pub fn is(&self, station: StationId) -> Result<(), ApiError> {
        if self.station == station {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "this key belongs to station {}, not {station}",
                self.station
            )))
        }
    }

    pub fn principal(&self) -> String {
        format!("station:{}", self.station)
    }
}

impl FromRequestParts<AppState> for AuthStation {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let Some(key) = credential(parts, "Station") else {
            return Err(ApiError::unauthorized(
                "no station key (Authorization: Station KEY; `velodesk station key` makes one)",
            ));
        };
        let h = secret::token_hash(key);
        match st.db.run(move |c| auth::station_of_key(c, &h)).await? {
            Some(station) => Ok(AuthStation { station }),
            None => Err(ApiError::unauthorized("unknown station key")),
        }
    }
}

/// Log in: a token for a shift. Logins are counted before the password is checked and
/// limited per (username, address), per username and per address; password checks run a
/// few at a time (503 when none is free in time).
#[utoipa::path(post, path = "/auth/login", tag = "auth", security(()),
    request_body = LoginRequest,
    responses((status = 200, body = LoginResponse),
        (status = 400, description = "not a log-in: what and where", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "wrong username or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many failures: wait `Retry-After` seconds", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "seconds"))),
        (status = 503, description = "too many logins at once: try again after `Retry-After` seconds", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "seconds")))))]
pub async fn login(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    call: Call<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let body = call.parse()?;
    let LoginRequest { username, password } = body;
    let address = client_address(st.proxy, addr, &headers);
    let attempt = st.limiter.begin(&username, &address).map_err(|wait| {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-requests",
            format!("too many failed logins: try again in {wait} s"),
        )
        .retry_after(wait)
    })?;
    let name = username.clone();
    let staff = match st.db.run(move |c| people::staff(c, &name)).await {
        Ok(s) => s,
        Err(e) => {
            st.limiter.cancel(attempt);
            return Err(e);
        }
    };
    let hash = staff
        .as_ref()
        .filter(|s| !s.disabled)
        .and_then(|s| s.password_hash.clone());
    let checked = st
        .passwords
        .run(move || match hash {
            Some(h) => secret::verify_password(&password, &h),
            None => {
                // As slow as a real check, so a wrong name cannot be told from a wrong password.
                let _ = secret::verify_password(&password, secret::dummy_hash());
                false
            }
        })
        .await;
    let ok = match checked {
        Ok(ok) => ok,
        Err(Busy) => {
            st.limiter.cancel(attempt);
            return Err(busy());
        }
    };
    let known = staff.is_some();
    let Some(staff) = staff.filter(|_| ok) else {
        let locked = st.limiter.failed(attempt, known);
        for lockout in locked {
            raise_alert(&st, &lockout);
        }
        return Err(ApiError::unauthorized("wrong username or password"));
    };
    st.limiter.succeeded(attempt);
    let token = secret::new_token();
    let now = Utc::now();
    let expires_at = now + st.session;
    let (h, who) = (secret::token_hash(&token), staff.name.clone());
    st.db
        .run(move |c| auth::add_session(c, &h, &who, now, expires_at, &address))
        .await?;
    Ok(Json(LoginResponse {
        token,
        staff: staff.name,
        role: staff.role,
        expires_at,
    }))
}

/// A password check could not start in time.
pub fn busy() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "too many password checks at once: try again in a moment",
    )
    .retry_after(1)
}

/// Tell every desk (the event stream) that a staff account is locked out, in the event
/// log too. In the background: the failed login is answered at once.
fn raise_alert(st: &AppState, lockout: &Lockout) {
    let text = lockout.text();
    let backend = st.backend.clone();
    tokio::spawn(async move {
        let _ = backend
            .call(move |e| {
                e.write_with(move |ctx, _| {
                    ctx.emit(Event::Alert {
                        kind: crate::api::AlertKind::LoginLocked,
                        text,
                        rider: None,
                        station: None,
                    });
                    Ok(())
                })
            })
            .await;
    });
}

/// Log out: the token stops working at once.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", request_body = Empty,
    responses((status = 204, description = "the session has ended"), super::Problems))]
pub async fn logout(
    State(st): State<AppState>,
    who: AuthStaff,
    call: Call<Empty>,
) -> Result<StatusCode, ApiError> {
    call.parse()?;
    let h = who.token_hash.clone();
    st.db.run(move |c| auth::end_session(c, &h)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/auth/me", tag = "auth",
    responses((status = 200, body = Me), super::Problems))]
pub async fn me(who: AuthStaff) -> Json<Me> {
    Json(Me {
        staff: who.name,
        role: who.role,
    })
}
