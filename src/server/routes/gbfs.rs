//! The public GBFS feeds, live: `/gbfs/gbfs.json` (2.3) and `/gbfs/v3/gbfs.json` (3.0) and
//! every feed they list, built per request by [`crate::gbfs::feeds`] from what the
//! database holds at that instant. No login, CORS open to any origin (riders' apps and
//! journey planners read them from browsers), no personal data (a snapshot holds none).
//!
//! Reads go through the server's own connection ([`crate::server::sidedb`]), never the
//! engine's writer thread: a feed never waits behind a rental. `last_updated` is the time
//! the data was read; the links inside are absolute, under the configured base URL or else
//! `http://HOST/gbfs` of the request. GBFS 3.0 requires a feed contact e-mail: without
//! one, 3.0 answers 503 saying how to set it, and 2.3 does not advertise 3.0.

use crate::gbfs::export::feed_names;
use crate::gbfs::{Feed, GbfsError, Publish, Snapshot, Version, feeds};
use crate::server::Problems;
use crate::server::problem::ApiError;
use crate::server::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header, uri::Authority};
use axum::response::{IntoResponse, Response};

/// Where the server publishes GBFS and how long readers may keep a feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GbfsOptions {
    /// The public URL the server's `/gbfs` is reached at (e.g. behind a proxy:
    /// `https://bike.example.kz/gbfs`); without it, `http://HOST/gbfs` of each request.
    pub base_url: Option<String>,
    /// The feeds' `ttl` and the `Cache-Control: max-age` of the answers. Every feed is read
    /// live, so the default 0 ("always refresh") is the truth; a busy system may promise
    /// more to let caches absorb its readers.
    pub ttl: u32,
}

/// The feed files of a version, e.g. `station_status.json` (also the path's values).
const FEEDS_DOC: &str = "gbfs.json, gbfs_versions.json, system_information.json, \
    vehicle_types.json, station_information.json, station_status.json, \
    system_pricing_plans.json (and manifest.json in 3.0)";

/// A GBFS 2.3 feed.
#[utoipa::path(get, path = "/gbfs/{feed}", tag = "gbfs", security(()),
    params(("feed" = String, Path, example = "gbfs.json",
        description = "gbfs.json, gbfs_versions.json, system_information.json, vehicle_types.json, station_information.json, station_status.json or system_pricing_plans.json")),
    responses((status = 200, body = Object, description = "the feed (GBFS 2.3)"), Problems, crate::server::Limited))]
pub async fn v2(
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(feed): Path<String>,
) -> Result<Response, ApiError> {
    serve(&st, Version::V2_3, &feed, &uri, &headers).await
}

/// A GBFS 3.0 feed (503 until the system has a feed contact e-mail).
#[utoipa::path(get, path = "/gbfs/v3/{feed}", tag = "gbfs", security(()),
    params(("feed" = String, Path, example = "gbfs.json",
        description = "gbfs.json, manifest.json, gbfs_versions.json, system_information.json, vehicle_types.json, station_information.json, station_status.json or system_pricing_plans.json")),
    responses((status = 200, body = Object, description = "the feed (GBFS 3.0)"), Problems, crate::server::Limited))]
pub async fn v3(
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(feed): Path<String>,
) -> Result<Response, ApiError> {
    serve(&st, Version::V3_0, &feed, &uri, &headers).await
}

async fn serve(
    st: &AppState,
    v: Version,
    file: &str,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("GBFS {v} has no feed {file:?}; the feeds are {FEEDS_DOC}"),
        )
    };
    let name = file
        .strip_suffix(".json")
        .filter(|n| feed_names(v).contains(n))
        .ok_or_else(not_found)?;
    let base_url = match &st.gbfs.base_url {
        Some(base) => base.clone(),
        None => format!("http://{}/gbfs", request_host(uri, headers)?),
    };
    let clock = st.clock.clone();
    let snap = st
        .db
        .run(move |c| Ok(Snapshot::read_stored(c, clock.now())))
        .await?
        .map_err(|e| ApiError::internal(e.to_string()))?;
    // 2.3 advertises 3.0 only when 3.0 can be served.
    let versions = if snap.system.feed_contact_email.is_some() {
        Version::ALL.to_vec()
    } else {
        vec![Version::V2_3]
    };
    let publish = Publish {
        base_url,
        ttl: st.gbfs.ttl,
        versions,
    };
    let all = feeds(&snap, v, &publish).map_err(|e| match e {
        GbfsError::Missing(m) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            format!("{m}; GBFS 2.3 is served at /gbfs/gbfs.json meanwhile"),
        ),
        other => ApiError::internal(other.to_string()),
    })?;
    let found: Feed = all
        .into_iter()
        .find(|f| f.name == name)
        .ok_or_else(not_found)?;
    let mut resp = Json(found.json).into_response();
    let cache = match st.gbfs.ttl {
        0 => "no-cache".to_string(),
        ttl => format!("public, max-age={ttl}"),
    };
    if let Ok(value) = HeaderValue::from_str(&cache) {
        resp.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    Ok(resp)
}

/// The host the reader asked for (`Host`, or the authority of an HTTP/2 or absolute-form
/// request), checked to be a plain `host[:port]`.
fn request_host(uri: &Uri, headers: &HeaderMap) -> Result<String, ApiError> {
    let given = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| uri.authority().map(|a| a.as_str().to_string()));
    let Some(host) = given else {
        return Err(ApiError::invalid(
            "no Host header: the feeds link to each other by absolute URL, so say which \
             host you reached (or the operator sets `velodesk serve --gbfs-base-url`)",
        ));
    };
    match host.parse::<Authority>() {
        Ok(a) if !a.as_str().contains('@') && !a.host().is_empty() => Ok(a.as_str().to_string()),
        _ => Err(ApiError::invalid(format!(
            "Host {host:?}: not a host name or address with an optional port"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(h: &str) -> Result<String, ApiError> {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(h).unwrap());
        request_host(&Uri::from_static("/gbfs/gbfs.json"), &headers)
    }

    #[test]
    fn the_host_is_a_plain_host_and_port() {
        assert_eq!(host("bike.example.kz").unwrap(), "bike.example.kz");
        assert_eq!(host("127.0.0.1:8080").unwrap(), "127.0.0.1:8080");
        assert_eq!(host("[::1]:80").unwrap(), "[::1]:80");
        assert!(host("evil@bike.example.kz").is_err());
        assert!(host("a/b").is_err());
        assert!(host("").is_err());
    }

    #[test]
    fn an_http2_request_names_its_host_in_the_uri() {
        let uri = Uri::from_static("http://bike.example.kz/gbfs/gbfs.json");
        assert_eq!(
            request_host(&uri, &HeaderMap::new()).unwrap(),
            "bike.example.kz"
        );
        assert!(request_host(&Uri::from_static("/x"), &HeaderMap::new()).is_err());
    }
}
