//! `velodesk serve` publishes GBFS live: the discovery files of 2.3 and 3.0 and every feed
//! they list answer without a login, from any web origin, valid against the official
//! schemas, linking to each other under the host the reader asked for (or the configured
//! base URL), with no personal data; a rental shows in the very next `station_status`, and
//! a busy engine does not hold a feed up.

#[path = "support/gbfs_schema.rs"]
mod gbfs_schema;
mod support;

use gbfs_schema::schema_errors;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use support::*;
use velodesk::backend::Ops;
use velodesk::clock::SimClock;
use velodesk::engine::{Engine, Settings};
use velodesk::gbfs::Version;
use velodesk::server::{self, GbfsOptions, ServerOptions};
use velodesk::store::{self, Store};

const CONTACT: &str = "gbfs@astanabike.kz";

/// Set the feed contact e-mail as `velodesk gbfs export --contact-email` keeps it.
fn set_contact(db: &std::path::Path) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.busy_timeout(Duration::from_secs(5)).unwrap();
    store::set_meta(&c, "gbfs.feed_contact_email", CONTACT).unwrap();
}

async fn get(url: &str) -> reqwest::Response {
    client().get(url).send().await.unwrap()
}

async fn get_json(url: &str) -> Value {
    let r = get(url).await;
    assert_eq!(r.status(), 200, "GET {url}");
    let kind = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("application/json"), "{url}: {kind}");
    r.json().await.unwrap()
}

fn discovery_feeds(v: Version, gbfs: &Value) -> Vec<(String, String)> {
    let list = match v {
        Version::V2_3 => &gbfs["data"]["ru"]["feeds"],
        Version::V3_0 => &gbfs["data"]["feeds"],
    };
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["url"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn root(v: Version) -> &'static str {
    match v {
        Version::V2_3 => "/gbfs",
        Version::V3_0 => "/gbfs/v3",
    }
}

fn status_of(status: &Value, station: &str) -> Value {
    status["data"]["stations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["station_id"] == station)
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_listed_feed_is_served_without_login_and_valid_against_the_official_schemas() {
    let mut s = TestServer::start().await;
    set_contact(&s.db);
    for v in Version::ALL {
        let gbfs = get_json(&format!("{}{}/gbfs.json", s.url, root(v))).await;
        let errors = schema_errors(v, "gbfs", &gbfs);
        assert!(errors.is_empty(), "{v}:\n{}", errors.join("\n"));
        let listed = discovery_feeds(v, &gbfs);
        let names: BTreeSet<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
        for needed in [
            "gbfs_versions",
            "system_information",
            "station_information",
            "station_status",
            "vehicle_types",
            "system_pricing_plans",
        ] {
            assert!(names.contains(needed), "{v}: {needed} not listed");
        }
        let mut bodies = vec![gbfs.to_string()];
        for (name, url) in &listed {
            // Absolute, on the host the reader reached, in the version's folder.
            assert_eq!(*url, format!("{}{}/{name}.json", s.url, root(v)), "{v}");
            let feed = get_json(url).await;
            let errors = schema_errors(v, name, &feed);
            assert!(errors.is_empty(), "{v} {name}:\n{}", errors.join("\n"));
            assert_eq!(feed["ttl"], 0, "{v} {name}: read live, so always refresh");
            assert_eq!(feed["version"], v.as_str());
            bodies.push(feed.to_string());
        }
        // Both versions are advertised, each where it is served.
        let versions = get_json(&format!("{}{}/gbfs_versions.json", s.url, root(v))).await;
        let advertised: Vec<&str> = versions["data"]["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["url"].as_str().unwrap())
            .collect();
        assert_eq!(
            advertised,
            [
                format!("{}/gbfs/gbfs.json", s.url),
                format!("{}/gbfs/v3/gbfs.json", s.url)
            ]
        );
        if v == Version::V3_0 {
            let info = get_json(&format!("{}/gbfs/v3/system_information.json", s.url)).await;
            assert_eq!(info["data"]["feed_contact_email"], CONTACT);
            let manifest = get_json(info["data"]["manifest_url"].as_str().unwrap()).await;
            let errors = schema_errors(v, "manifest", &manifest);
            assert!(errors.is_empty(), "manifest:\n{}", errors.join("\n"));
        }
        // The riders of the test city (support::new_rider) appear nowhere.
        let all = bodies.join("\n");
        for personal in ["Rider1", "+7701000", "@mail.kz", "1990-01-01"] {
            assert!(!all.contains(personal), "{v}: {personal} in a feed");
        }
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_are_open_to_any_web_origin() {
    let mut s = TestServer::start().await;
    let r = client()
        .get(format!("{}/gbfs/station_status.json", s.url))
        .header("origin", "https://maps.example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    // A browser's preflight is answered too.
    let pre = client()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/gbfs/gbfs.json", s.url),
        )
        .header("origin", "https://maps.example.org")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert!(pre.status().is_success(), "{}", pre.status());
    assert_eq!(pre.headers()["access-control-allow-origin"], "*");
    // The staff API stays closed to other origins.
    let staff = client()
        .get(format!("{}/stations", s.url))
        .header("origin", "https://maps.example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(staff.status(), 401);
    assert!(!staff.headers().contains_key("access-control-allow-origin"));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rental_shows_in_the_next_station_status_and_moves_last_updated() {
    let mut s = TestServer::start().await;
    set_contact(&s.db);
    let status_url = |v: Version| format!("{}{}/station_status.json", s.url, root(v));
    let before = get_json(&status_url(Version::V2_3)).await;
    assert_eq!(before["last_updated"], at(START).timestamp());
    assert_eq!(status_of(&before, "1")["num_bikes_available"], 6);

    let later = at("2025-06-01 08:05");
    let backend = s.server.as_ref().unwrap().backend.clone();
    backend.advance_clock(later).await.unwrap();
    let key = format!("Station {}", station_key(&s.db, 1));
    for (path, body) in [
        ("unlock", json!({"rider": 1, "bike": 1, "pin": "1234"})),
        ("pull", json!({"bike": 1})),
    ] {
        let r = client()
            .post(format!("{}/station/1/{path}", s.url))
            .header("authorization", &key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}: {}", r.text().await.unwrap());
    }

    let after = get_json(&status_url(Version::V2_3)).await;
    assert_eq!(after["last_updated"], later.timestamp());
    let one = status_of(&after, "1");
    assert_eq!(one["num_bikes_available"], 5, "{one}");
    assert_eq!(one["last_reported"], later.timestamp());
    let v3 = get_json(&status_url(Version::V3_0)).await;
    assert_eq!(v3["last_updated"], "2025-06-01T03:05:00Z");
    assert_eq!(status_of(&v3, "1")["num_vehicles_available"], 5);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_contact_email_2_3_is_served_and_3_0_says_how_to_set_one() {
    let mut s = TestServer::start().await;
    let r = get(&format!("{}/gbfs/v3/gbfs.json", s.url)).await;
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let p: Value = r.json().await.unwrap();
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("--contact-email"), "{detail}");
    // 2.3 works, and does not send readers to the 3.0 that cannot be served.
    let versions = get_json(&format!("{}/gbfs/gbfs_versions.json", s.url)).await;
    assert_eq!(versions["data"]["versions"].as_array().unwrap().len(), 1);
    assert_eq!(versions["data"]["versions"][0]["version"], "2.3");
    // Once set, 3.0 answers at the next request.
    set_contact(&s.db);
    let gbfs = get_json(&format!("{}/gbfs/v3/gbfs.json", s.url)).await;
    assert_eq!(gbfs["version"], "3.0");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_feed_is_a_404_problem_naming_the_feeds() {
    let mut s = TestServer::start().await;
    for path in [
        "/gbfs/free_bike_status.json",
        "/gbfs/manifest.json",
        "/gbfs/station_status",
        "/gbfs/v3/nope.json",
    ] {
        let r = get(&format!("{}{path}", s.url)).await;
        assert_eq!(r.status(), 404, "{path}");
        let p: Value = r.json().await.unwrap();
        assert!(
            p["detail"]
                .as_str()
                .unwrap()
                .contains("station_status.json"),
            "{path}: {p}"
        );
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_follow_the_host_asked_for_or_the_configured_base_url() {
    let mut s = TestServer::start().await;
    let r = client()
        .get(format!("{}/gbfs/gbfs.json", s.url))
        .header("host", "bike.example.kz")
        .send()
        .await
        .unwrap();
    let gbfs: Value = r.json().await.unwrap();
    for (name, url) in discovery_feeds(Version::V2_3, &gbfs) {
        assert_eq!(url, format!("http://bike.example.kz/gbfs/{name}.json"));
    }
    let bad = client()
        .get(format!("{}/gbfs/gbfs.json", s.url))
        .header("host", "evil@bike.example.kz")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    s.stop().await;

    // Behind a proxy the operator names the public URL, and the host asked for is ignored.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    city(&db);
    let engine = Engine::new(Store::open(&db).unwrap(), Settings::default()).unwrap();
    let running = server::start(
        engine,
        ServerOptions {
            db: db.clone(),
            listen: "127.0.0.1:0".parse().unwrap(),
            clock: Arc::new(SimClock::new(at(START))),
            session: chrono::Duration::hours(12),
            gbfs: GbfsOptions {
                base_url: Some("https://bike.example.kz/feeds/gbfs/".into()),
                ttl: 60,
            },
            proxy: velodesk::server::client_addr::Proxy::None,
            limits: Default::default(),
        },
    )
    .await
    .unwrap();
    let r = get(&format!("{}/gbfs/gbfs.json", running.url())).await;
    assert_eq!(r.headers()["cache-control"], "public, max-age=60");
    let gbfs: Value = r.json().await.unwrap();
    assert_eq!(gbfs["ttl"], 60);
    for (name, url) in discovery_feeds(Version::V2_3, &gbfs) {
        assert_eq!(
            url,
            format!("https://bike.example.kz/feeds/gbfs/{name}.json")
        );
    }
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_answers_while_the_engine_is_busy() {
    let mut s = TestServer::start().await;
    let backend = s.server.as_ref().unwrap().backend.clone();
    // Hold the engine's writer thread until the feed has been read.
    let (release, held) = std::sync::mpsc::channel::<()>();
    let (started, running) = tokio::sync::oneshot::channel::<()>();
    let busy = tokio::spawn(async move {
        backend
            .call(move |_| {
                let _ = started.send(());
                let _ = held.recv_timeout(Duration::from_secs(30));
                Ok(())
            })
            .await
    });
    running.await.unwrap();
    let feed = tokio::time::timeout(
        Duration::from_secs(20),
        get_json(&format!("{}/gbfs/station_status.json", s.url)),
    )
    .await
    .expect("the feed waited for the engine");
    assert_eq!(status_of(&feed, "1")["num_bikes_available"], 6);
    release.send(()).unwrap();
    busy.await.unwrap().unwrap();
    s.stop().await;
}
