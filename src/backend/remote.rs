//! `RemoteBackend`: the same `Backend` over HTTP to `velodesk serve`, and its live events
//! over SSE. Logs in as one staff member (the server takes the staff member from the
//! token, so the `by` arguments are not sent). Every mutating call carries an
//! `Idempotency-Key` and is retried with the same key when the connection fails, so a
//! retry never applies anything twice. The station side (unlock, pull, dock, cable lock)
//! needs the stations' keys: [`RemoteBackend::set_station_key`] or, as an admin,
//! [`RemoteBackend::provision_station_keys`].

mod ops;
mod stream;

use super::{BResult, BackendError, BackendInfo, ConnectionState};
use crate::api::Event;
use crate::api::problem::{Problem, to_backend_error};
use crate::api::wire::{LoginRequest, LoginResponse, StationKey};
use crate::domain::{Refusal, StationId};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::{Mutex, Once};
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

/// Install rustls's `ring` provider once, before any HTTP client is built.
pub fn install_crypto() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// How long a request may take before it is retried (the server's own limit is 30 s).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(35);
/// Retries of a request whose connection failed (same idempotency key each time).
const RETRIES: u32 = 3;

/// How a request authenticates.
#[derive(Clone, Copy)]
pub(super) enum Auth {
    Staff,
    Station(StationId),
}

#[derive(Clone)]
pub struct RemoteBackend {
    http: reqwest::Client,
    base: String,
    token: String,
    staff: String,
    info: BackendInfo,
    events: broadcast::Sender<(i64, Event)>,
    state_tx: std::sync::Arc<watch::Sender<ConnectionState>>,
    state: watch::Receiver<ConnectionState>,
    station_keys: std::sync::Arc<Mutex<HashMap<StationId, String>>>,
    /// The staff member a handle of [`Backend::as_staff`] was asked to act as, when it is
    /// not the one logged in: its operations are refused.
    acting: Option<String>,
    _stream: std::sync::Arc<Following>,
}

/// The task following the server's events, stopped with the last handle.
struct Following(JoinHandle<()>);

impl Drop for Following {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn unavailable(e: impl std::fmt::Display) -> BackendError {
    BackendError::Unavailable {
        message: e.to_string(),
    }
}

impl RemoteBackend {
    /// Log in to the server at `url` (`http://host:port`) and start following its events.
    /// Returns once the event stream is live (or after 5 s, stale and reconnecting).
    pub async fn connect(url: &str, username: &str, password: &str) -> BResult<RemoteBackend> {
        install_crypto();
        let base = url.trim_end_matches('/').to_string();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(unavailable)?;
        let login: LoginResponse = decode(
            http.post(format!("{base}/auth/login"))
                .json(&LoginRequest {
                    username: username.to_string(),
                    password: password.to_string(),
                })
                .send()
                .await
                .map_err(|e| unavailable(format!("cannot reach {base}: {e}")))?,
        )
        .await?;
        let mut info: BackendInfo = decode(
            http.get(format!("{base}/info"))
                .bearer_auth(&login.token)
                .send()
                .await
                .map_err(unavailable)?,
        )
        .await?;
        info.location = format!("server {base}");
        info.remote = true;
        let (events, _) = broadcast::channel(4096);
        let (state_tx, state) = watch::channel(ConnectionState::Stale {
            since: chrono::Utc::now(),
            reason: "connecting".into(),
        });
        let state_tx = std::sync::Arc::new(state_tx);
        let stream = tokio::spawn(stream::follow(
            base.clone(),
            login.token.clone(),
            events.clone(),
            state_tx.clone(),
        ));
        let mut live = state.clone();
        let _ = tokio::time::timeout(
            Duration::from_secs(5),
            live.wait_for(|s| !matches!(s, ConnectionState::Stale { .. })),
        )
        .await;
        Ok(RemoteBackend {
            http,
            base,
            token: login.token,
            staff: login.staff,
            info,
            events,
            state_tx,
            state,
            station_keys: Default::default(),
            acting: None,
            _stream: std::sync::Arc::new(Following(stream)),
        })
    }

    /// The staff member this backend is logged in as.
    pub fn staff(&self) -> &str {
        &self.staff
    }

    /// The key the docks of `station` use (from `velodesk station key`).
    pub fn set_station_key(&self, station: StationId, key: &str) {
        self.keys().insert(station, key.to_string());
    }

    /// As an admin: give every station a new key and keep them (the old keys stop
    /// working). For the simulator and tests that play the docks. Returns how many.
    pub async fn provision_station_keys(&self) -> BResult<usize> {
        let stations: Vec<crate::api::StationCounts> = self.get("/stations", &[]).await?;
        for s in &stations {
            let k: StationKey = self
                .post(&format!("/stations/{}/key", s.id), &serde_json::json!({}))
                .await?;
            self.set_station_key(k.station, &k.key);
        }
        Ok(stations.len())
    }

    /// As an admin: a new key for one station's docks, kept (its old key stops working).
    pub async fn provision_station_key(&self, station: StationId) -> BResult<()> {
        let k: StationKey = self
            .post(&format!("/stations/{station}/key"), &serde_json::json!({}))
            .await?;
        self.set_station_key(k.station, &k.key);
        Ok(())
    }

    /// With `manage-staff`: add a staff account (or change its role) with a password, so
    /// that it can log in ([`crate::backend::Backend::add_staff`] sets none).
    pub async fn add_staff_with_password(
        &self,
        name: &str,
        role: crate::domain::roles::Role,
        password: &str,
    ) -> BResult<()> {
        let body = crate::api::wire::NewStaffRequest {
            name: name.into(),
            role,
            password: Some(password.into()),
        };
        self.post("/staff", &body).await
    }

    /// End the session on the server (the token stops working).
    pub async fn logout(&self) -> BResult<()> {
        let r = self
            .http
            .post(format!("{}/auth/logout", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(unavailable)?;
        if r.status().is_success() {
            Ok(())
        } else {
            Err(to_backend_error(r.status().as_u16(), None))
        }
    }

    fn keys(&self) -> std::sync::MutexGuard<'_, HashMap<StationId, String>> {
        self.station_keys.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn station_key(&self, station: StationId) -> BResult<String> {
        self.keys()
            .get(&station)
            .cloned()
            .ok_or_else(|| BackendError::Refused {
                kind: Refusal::Forbidden,
                message: format!(
                    "no key for station {station}: set one (velodesk station key) or provision them"
                ),
            })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, String)]) -> BResult<T> {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .query(query)
            .send()
            .await
            .map_err(unavailable)?;
        self.answer(r).await
    }

    async fn post<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> BResult<T> {
        self.send(Method::POST, path, Auth::Staff, body).await
    }

    /// A mutating request, with an idempotency key, retried on connection failures, 503
    /// and 408.
    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        auth: Auth,
        body: &impl Serialize,
    ) -> BResult<T> {
        let bytes = serde_json::to_vec(body).map_err(|e| BackendError::Internal {
            message: e.to_string(),
        })?;
        let key = new_key();
        let authorization = match auth {
            Auth::Staff => format!("Bearer {}", self.token),
            Auth::Station(s) => format!("Station {}", self.station_key(s)?),
        };
        let mut wait = Duration::from_millis(100);
        let mut attempt = 0;
        loop {
            let sent = self
                .http
                .request(method.clone(), format!("{}{path}", self.base))
                .header("authorization", &authorization)
                .header("idempotency-key", &key)
                .header("content-type", "application/json")
                .body(bytes.clone())
                .send()
                .await;
            // Retried with the same key, so a change the server applied but could not
            // answer (its request timer ran out: 408) is told, not applied again.
            let retry = match &sent {
                Err(e) => e.is_connect() || e.is_timeout() || e.is_request(),
                Ok(r) => matches!(
                    r.status(),
                    reqwest::StatusCode::SERVICE_UNAVAILABLE | reqwest::StatusCode::REQUEST_TIMEOUT
                ),
            };
            if retry && attempt < RETRIES {
                attempt += 1;
                tokio::time::sleep(wait).await;
                wait *= 3;
                continue;
            }
            return self.answer(sent.map_err(unavailable)?).await;
        }
    }

    async fn answer<T: DeserializeOwned>(&self, r: reqwest::Response) -> BResult<T> {
        if r.status() == reqwest::StatusCode::UNAUTHORIZED
            && !r.url().path().starts_with("/station/")
        {
            self.state_tx.send_replace(ConnectionState::LoggedOut {
                since: chrono::Utc::now(),
            });
        }
        decode(r).await
    }
}

/// A 2xx answer's JSON, or the problem document as the Backend's error.
async fn decode<T: DeserializeOwned>(r: reqwest::Response) -> BResult<T> {
    let status = r.status();
    let bytes = r.bytes().await.map_err(unavailable)?;
    if status.is_success() {
        let text: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
        serde_json::from_slice(text).map_err(|e| BackendError::Internal {
            message: format!("the server's answer could not be read: {e}"),
        })
    } else {
        let problem: Option<Problem> = serde_json::from_slice(&bytes).ok();
        Err(to_backend_error(status.as_u16(), problem.as_ref()))
    }
}

/// A new idempotency key: 128 random bits as hex.
fn new_key() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
