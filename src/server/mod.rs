//! `velodesk serve`: the HTTP API over one system. A JSON route for every `Backend`
//! operation and lookup, staff sessions and the role matrix checked on every route, the
//! station side for docks (per-station keys), idempotent retries, live events as SSE, and
//! an OpenAPI document (`/openapi.json`) generated from the handlers themselves. The
//! engine runs in a `LocalBackend` (its writer thread also runs the nightly postings and
//! other due jobs on the system clock). The public GBFS feeds are served live under `/gbfs`.

pub mod auth;
pub mod client_addr;
pub mod extract;
pub mod idempotent;
pub mod limits;
mod listen;
pub mod mask;
pub mod problem;
pub mod ratelimit;
mod routes;
pub mod schema;
pub mod secret;
pub mod sidedb;
pub mod state;
pub mod validate;

use crate::backend::LocalBackend;
use crate::clock::Clock;
use crate::engine::Engine;
use axum::Json;
use axum::http::{Method, StatusCode};
use axum::middleware::map_response;
use axum::routing::get;
pub use limits::Limits;
use problem::{Problem, problem_everywhere};
pub use routes::gbfs::GbfsOptions;
use routes::{depot, desk, dispute, events, gbfs, lookups, ops, replication, setup, station};
use state::{AppState, Shared};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Largest request body: a rider's registration is well under a kilobyte.
pub const BODY_LIMIT: usize = 64 * 1024;
/// A request (other than the event stream) that takes longer is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// A staff session lasts one shift.
pub const SESSION_HOURS: i64 = 12;

/// The error answers every route may give (documented once, used everywhere).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Problems {
    #[response(
        status = 400,
        description = "invalid input: what and where",
        content_type = "application/problem+json"
    )]
    Invalid(Problem),
    #[response(
        status = 401,
        description = "no session, or expired or revoked",
        content_type = "application/problem+json"
    )]
    Unauthorized(Problem),
    #[response(
        status = 403,
        description = "the role may not",
        content_type = "application/problem+json"
    )]
    Forbidden(Problem),
    #[response(
        status = 404,
        description = "no such rider, station, bike …",
        content_type = "application/problem+json"
    )]
    NotFound(Problem),
    #[response(
        status = 409,
        description = "lost a race; nothing changed, try again",
        content_type = "application/problem+json"
    )]
    Conflict(Problem),
    #[response(
        status = 422,
        description = "refused by the rules (kind: low-balance, station-full, …) or an Idempotency-Key reused for another request",
        content_type = "application/problem+json"
    )]
    Refused(Problem),
    #[response(
        status = 503,
        description = "the system is stopping or unavailable",
        content_type = "application/problem+json"
    )]
    Unavailable(Problem),
}

/// What the server's own limits answer on any route (documented once, used everywhere).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Limited {
    #[response(
        status = 408,
        description = "the request took longer than 30 s (a change may have been made: retry with the same Idempotency-Key)",
        content_type = "application/problem+json"
    )]
    Timeout(Problem),
    #[response(
        status = 413,
        description = "the request body is larger than 64 KiB",
        content_type = "application/problem+json"
    )]
    TooLarge(Problem),
}

/// The optional `Idempotency-Key` header of a mutating route.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct IdempotencyKey {
    /// Any unique string (1–200 visible ASCII). A retry with the same key and request
    /// replays the first answer and changes nothing; with another request: 422.
    #[serde(rename = "Idempotency-Key")]
    idempotency_key: Option<String>,
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "station_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`Station KEY` (velodesk station key STATION --db PATH)",
            ))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "velodesk", description = "The operator API of a velodesk bike-sharing system: the console, the docks and the simulator speak it."),
    modifiers(&Security),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "staff sessions"),
        (name = "lookups", description = "read-only views"),
        (name = "desk", description = "agents' and supervisors' actions on a rider"),
        (name = "depot", description = "depot staff's actions on the fleet"),
        (name = "setup", description = "stations, bikes, riders, staff, keys, clock"),
        (name = "station", description = "what docks and bikes call (station key)"),
        (name = "events", description = "the live stream and the event log"),
        (name = "gbfs", description = "the public GBFS feeds, 2.3 and 3.0 (no login, any origin)"),
    )
)]
struct ApiDoc;

/// Liveness: answers while the server runs.
#[utoipa::path(get, path = "/health", tag = "lookups", security(()),
    responses((status = 200, body = String, content_type = "text/plain", example = "ok")))]
async fn health() -> &'static str {
    "ok"
}

/// The router and its OpenAPI document. Every route is registered through `routes!`, so the
/// document lists exactly the routes served.
pub fn router(state: AppState) -> (axum::Router, utoipa::openapi::OpenApi) {
    let api = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(lookups::info))
        .routes(routes!(replication::replication))
        .routes(routes!(lookups::now, setup::advance_clock))
        .routes(routes!(lookups::staff_role))
        .routes(routes!(lookups::stations, setup::add_station))
        .routes(routes!(lookups::station))
        .routes(routes!(lookups::bike))
        .routes(routes!(lookups::bikes_in))
        .routes(routes!(lookups::desk_info))
        .routes(routes!(lookups::desk_file))
        .routes(routes!(lookups::search_riders, setup::add_rider))
        .routes(routes!(lookups::rider))
        .routes(routes!(lookups::alerts))
        .routes(routes!(lookups::audit))
        .routes(routes!(lookups::own_audit))
        .routes(routes!(lookups::preview_end))
        .routes(routes!(dispute::evidence))
        .routes(routes!(lookups::verify))
        .routes(routes!(lookups::verify_fleet))
        .routes(routes!(lookups::open_rentals))
        .routes(routes!(lookups::events_after))
        .routes(routes!(ops::execute))
        .routes(routes!(ops::preview))
        .routes(routes!(desk::pay))
        .routes(routes!(desk::buy))
        .routes(routes!(desk::hold_deposit))
        .routes(routes!(desk::authorise_cable_lock))
        .routes(routes!(desk::manual_unlock))
        .routes(routes!(desk::end_rental))
        .routes(routes!(desk::fine))
        .routes(routes!(desk::approve_fine))
        .routes(routes!(desk::reject_fine))
        .routes(routes!(desk::refund))
        .routes(routes!(desk::credit_claim))
        .routes(routes!(desk::give_bonus))
        .routes(routes!(desk::correct))
        .routes(routes!(desk::block))
        .routes(routes!(desk::unblock))
        .routes(routes!(desk::set_restriction))
        .routes(routes!(desk::reset_pin))
        .routes(routes!(desk::block_lost_card))
        .routes(routes!(depot::service_release))
        .routes(routes!(depot::service_dock))
        .routes(routes!(depot::to_repair))
        .routes(routes!(depot::dock_out_of_service))
        .routes(routes!(depot::dock_in_service))
        .routes(routes!(depot::rebalance_plan))
        .routes(routes!(depot::van_stop))
        .routes(routes!(setup::add_bike))
        .routes(routes!(setup::add_staff))
        .routes(routes!(setup::disable_staff))
        .routes(routes!(setup::enable_staff))
        .routes(routes!(setup::station_key))
        .routes(routes!(setup::set_season))
        .routes(routes!(station::unlock))
        .routes(routes!(station::pull))
        .routes(routes!(station::dock))
        .routes(routes!(station::cable_lock_call))
        .routes(routes!(station::cable_lock))
        .merge(gbfs_routes())
        // The event stream is long-lived: no request timeout for it.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .routes(routes!(events::stream));
    let (router, mut doc) = api.split_for_parts();
    doc.paths
        .paths
        .insert("/openapi.json".to_string(), openapi_path_item());
    let served = doc.clone();
    let router = router
        .route("/openapi.json", get(move || async move { Json(served) }))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(map_response(problem_everywhere))
        .with_state(state);
    (router, doc)
}

/// The GBFS feeds: public, and readable from any web page.
fn gbfs_routes() -> OpenApiRouter<AppState> {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD]);
    OpenApiRouter::new()
        .routes(routes!(gbfs::v2))
        .routes(routes!(gbfs::v3))
        .layer(cors)
}

/// `/openapi.json` describes itself too.
fn openapi_path_item() -> utoipa::openapi::PathItem {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder};
    use utoipa::openapi::{PathItem, ResponseBuilder};
    PathItem::new(
        HttpMethod::Get,
        OperationBuilder::new()
            .summary(Some("This document"))
            .tag("lookups")
            .security(utoipa::openapi::security::SecurityRequirement::default())
            .response(
                "200",
                ResponseBuilder::new().description("the OpenAPI document"),
            )
            .build(),
    )
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("{0}")]
    Database(#[from] crate::store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// How to run a server.
pub struct ServerOptions {
    /// The system's database file (the engine's, also opened for sessions and keys).
    pub db: PathBuf,
    /// Where to listen; port 0 picks a free one.
    pub listen: SocketAddr,
    pub clock: Arc<dyn Clock>,
    pub session: chrono::Duration,
    /// Where GBFS is published and its `ttl` (`GbfsOptions::default()`: the request's host, 0).
    pub gbfs: GbfsOptions,
    /// Behind a trusted reverse proxy (`--trust-proxy`: logins are keyed on the last
    /// `X-Forwarded-For` address), or not (`Proxy::None`: the peer's address).
    pub proxy: client_addr::Proxy,
    /// Logins, password checks, searches and connections ([`Limits::default`] documents
    /// what `velodesk serve` runs with).
    pub limits: Limits,
}

/// A server that runs until [`RunningServer::stop`].
pub struct RunningServer {
    pub addr: SocketAddr,
    pub backend: Arc<LocalBackend>,
    stop: watch::Sender<bool>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stop gracefully: no new connections, event streams end, requests in flight finish.
    pub async fn stop(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        match tokio::time::timeout(Duration::from_secs(10), self.task).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => Err(std::io::Error::other(e)),
            Err(_) => Err(std::io::Error::other("the server did not stop within 10 s")),
        }
    }

    /// Wait until the server stops on its own (it does not, unless it fails).
    pub async fn wait(&mut self) -> std::io::Result<()> {
        match (&mut self.task).await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

/// Start serving `engine` (opened from `opts.db`).
pub async fn start(engine: Engine, opts: ServerOptions) -> Result<RunningServer, ServerError> {
    let location = format!("server database {}", opts.db.display());
    let backend = Arc::new(LocalBackend::start(engine, opts.clock.clone(), &location));
    let db = sidedb::SideDb::open(&opts.db)?;
    let (stop, stopping) = watch::channel(false);
    let state = AppState(Arc::new(Shared {
        backend: backend.clone(),
        clock: opts.clock.clone(),
        gbfs: opts.gbfs,
        db,
        limiter: ratelimit::LoginLimiter::new(&opts.limits),
        passwords: ratelimit::PasswordGate::new(&opts.limits),
        searches: ratelimit::SearchLimiter::new(&opts.limits),
        proxy: opts.proxy,
        session: opts.session,
        stopping: stopping.clone(),
    }));
    let (router, _) = router(state);
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .map_err(|source| ServerError::Listen {
            addr: opts.listen,
            source,
        })?;
    let addr = listener
        .local_addr()
        .map_err(|source| ServerError::Listen {
            addr: opts.listen,
            source,
        })?;
    let task = tokio::spawn(listen::serve(
        listener,
        router,
        opts.limits,
        opts.proxy,
        stopping,
    ));
    Ok(RunningServer {
        addr,
        backend,
        stop,
        task,
    })
}
