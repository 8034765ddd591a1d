//! Shared set-up for the server tests: a small Astana city in a temp database, staff with
//! passwords, and an in-process server on 127.0.0.1:0 with a simulated clock.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use velodesk::clock::SimClock;
use velodesk::domain::roles::Role;
use velodesk::domain::tariff::bundled;
use velodesk::domain::time::parse_local;
use velodesk::domain::{BikeId, Refusal, RiderId, StationId, Tenge};
use velodesk::engine::{Engine, EngineError, PayMethod, Settings};
use velodesk::server::{self, Limits, RunningServer, ServerOptions, secret};
use velodesk::store::Store;
use velodesk::store::fleet::NewStation;
use velodesk::store::people::NewRider;

pub fn at(s: &str) -> DateTime<Utc> {
    parse_local(chrono_tz::Asia::Almaty, s).unwrap()
}

pub const START: &str = "2025-06-01 08:00";

/// Staff of the test city: (name, role). Each one's password is `password-NAME`.
pub const STAFF: [(&str, Role); 5] = [
    ("ada", Role::Admin),
    ("aigerim", Role::Agent),
    ("bolat", Role::Agent),
    ("dana", Role::Depot),
    ("sergey", Role::Supervisor),
];

pub fn password(name: &str) -> String {
    format!("password-{name}")
}

pub fn new_rider(id: i64) -> NewRider {
    NewRider {
        id: Some(RiderId(id)),
        surname: format!("Rider{id}"),
        name: "Test".into(),
        phone: Some(format!("+7701000{id:04}")),
        email: Some(format!("rider{id}@mail.kz")),
        born: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
        resident: true,
        lang: "kk".into(),
        pin: "1234".into(),
        ..NewRider::default()
    }
}

/// Stations 1 (10 docks, bikes 1–6) and 2 (4 docks, bikes 7–10: full); riders 1–4 with
/// 20 000 ₸ and a monthly pass; the staff of [`STAFF`].
pub fn city(path: &Path) {
    city_at(path, at(START));
}

/// [`city`], set up at `start`.
pub fn city_at(path: &Path, start: DateTime<Utc>) {
    city_in(path, "astana", "monthly", start);
}

/// [`city`] on the bundled `tariff` (`almaty` rents all year), its riders with `pass`.
pub fn city_in(path: &Path, tariff: &str, pass: &str, start: DateTime<Utc>) {
    let store = Store::open(path).unwrap();
    let mut e = Engine::init(store, tariff, bundled(tariff).unwrap(), Settings::default()).unwrap();
    e.advance_to(start).unwrap();
    for (id, docks) in [(1, 10), (2, 4)] {
        e.add_station(&NewStation {
            id: StationId(id),
            name: format!("Station {id}"),
            docks,
            active: true,
            ..Default::default()
        })
        .unwrap();
    }
    for b in 1..=10 {
        let st = if b <= 6 { 1 } else { 2 };
        e.add_bike(BikeId(b), Some(StationId(st))).unwrap();
    }
    for r in 1..=4 {
        e.add_rider(&new_rider(r)).unwrap();
        e.pay(RiderId(r), Tenge(20_000), PayMethod::Cash, None)
            .unwrap();
        // Out of season (a city set up at the real date) there is no pass to sell.
        match e.buy(RiderId(r), pass, None) {
            Ok(_) => {}
            Err(EngineError::Refused {
                kind: Refusal::OutOfSeason,
                ..
            }) => {}
            Err(other) => panic!("{other}"),
        }
    }
    for (name, role) in STAFF {
        let hash = secret::hash_password(&password(name)).unwrap();
        e.add_staff(name, role, Some(&hash)).unwrap();
    }
}

pub struct TestServer {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub server: Option<RunningServer>,
    pub url: String,
}

impl TestServer {
    pub async fn start() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("city.db");
        city(&db);
        TestServer::on(dir, db).await
    }

    /// A server on the city already built at `db` in `dir`.
    pub async fn on(dir: tempfile::TempDir, db: PathBuf) -> TestServer {
        let server = serve(&db).await;
        TestServer {
            url: server.url(),
            dir,
            db,
            server: Some(server),
        }
    }

    /// A server on a fresh [`city`] with `limits`.
    pub async fn limited(limits: Limits) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("city.db");
        city(&db);
        let server = serve_limited(
            &db,
            chrono::Duration::hours(12),
            velodesk::server::client_addr::Proxy::None,
            limits,
        )
        .await;
        TestServer {
            url: server.url(),
            dir,
            db,
            server: Some(server),
        }
    }

    pub async fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            s.stop().await.unwrap();
        }
    }
}

/// Serve `db` on a free port with a simulated clock at [`START`].
pub async fn serve(db: &Path) -> RunningServer {
    serve_with(
        db,
        chrono::Duration::hours(12),
        velodesk::server::client_addr::Proxy::None,
    )
    .await
}

/// [`serve`] with sessions of `session`, behind `proxy`.
pub async fn serve_with(
    db: &Path,
    session: chrono::Duration,
    proxy: velodesk::server::client_addr::Proxy,
) -> RunningServer {
    serve_limited(db, session, proxy, Limits::default()).await
}

/// [`serve_with`] with `limits`.
pub async fn serve_limited(
    db: &Path,
    session: chrono::Duration,
    proxy: velodesk::server::client_addr::Proxy,
    limits: Limits,
) -> RunningServer {
    let engine = Engine::new(Store::open(db).unwrap(), Settings::default()).unwrap();
    server::start(
        engine,
        ServerOptions {
            db: db.to_path_buf(),
            listen: "127.0.0.1:0".parse().unwrap(),
            clock: Arc::new(SimClock::new(at(START))),
            session,
            gbfs: Default::default(),
            proxy,
            limits,
        },
    )
    .await
    .unwrap()
}

/// An HTTP client (rustls provider installed once).
pub fn client() -> reqwest::Client {
    velodesk::backend::remote::install_crypto();
    reqwest::Client::new()
}

/// `GET url` as JSON (no login: public documents).
pub async fn get_json(url: &str) -> serde_json::Value {
    client()
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// `GET url` as `token`, its answer as JSON.
pub async fn get_json_as(url: &str, token: &str) -> serde_json::Value {
    client()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// `POST url{path}` with `body` as `token`, its answer as JSON.
pub async fn post_json(
    url: &str,
    path: &str,
    token: &str,
    body: &serde_json::Value,
) -> serde_json::Value {
    client()
        .post(format!("{url}{path}"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The status `GET /auth/me` answers `token`: 200 while its session holds, else 401.
pub async fn me_status(url: &str, token: &str) -> u16 {
    client()
        .get(format!("{url}/auth/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

pub async fn login(url: &str, name: &str) -> String {
    let r = client()
        .post(format!("{url}/auth/login"))
        .json(&serde_json::json!({"username": name, "password": password(name)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "login {name}");
    let v: serde_json::Value = r.json().await.unwrap();
    v["token"].as_str().unwrap().to_string()
}

/// A station key for `station`, written as `velodesk station key` would.
pub fn station_key(db: &Path, station: i64) -> String {
    let key = secret::new_token();
    let c = rusqlite::Connection::open(db).unwrap();
    c.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    velodesk::store::auth::set_station_key(
        &c,
        StationId(station),
        &secret::token_hash(&key),
        Utc::now(),
    )
    .unwrap();
    key
}

/// SQLite's data version as seen from a connection of our own: it changes when any other
/// connection commits, so equal values before and after mean nothing was written.
pub struct Watch(rusqlite::Connection);

impl Watch {
    pub fn new(db: &Path) -> Watch {
        Watch(rusqlite::Connection::open(db).unwrap())
    }
    pub fn version(&self) -> i64 {
        self.0
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .unwrap()
    }
}

/// The docks of a `bench load --journal`, retrying its requests against a server (after a
/// crash or a restore): each station is given a new key by an admin once, and each
/// request goes again with its Idempotency-Key.
pub struct Docks {
    url: String,
    admin: String,
    keys: std::collections::HashMap<i64, String>,
    http: reqwest::Client,
}

impl Docks {
    /// Docks on the server at `url`, their keys made by the admin `admin`.
    pub async fn new(url: &str, admin: &str) -> Docks {
        Docks {
            url: url.to_string(),
            admin: login(url, admin).await,
            keys: Default::default(),
            http: client(),
        }
    }

    /// Send the journal's request `a` again: (status, whether replayed, answer).
    pub async fn retry(&mut self, a: &serde_json::Value) -> (i64, bool, serde_json::Value) {
        let station = a["station"].as_i64().unwrap();
        if let std::collections::hash_map::Entry::Vacant(slot) = self.keys.entry(station) {
            let path = format!("/stations/{station}/key");
            let k = post_json(&self.url, &path, &self.admin, &serde_json::json!({})).await;
            slot.insert(k["key"].as_str().unwrap().to_string());
        }
        let r = self
            .http
            .post(format!(
                "{}/station/{station}/{}",
                self.url,
                a["action"].as_str().unwrap()
            ))
            .header("authorization", format!("Station {}", self.keys[&station]))
            .header("idempotency-key", a["key"].as_str().unwrap())
            .json(&a["body"])
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16() as i64;
        let replayed = r.headers().contains_key("idempotent-replayed");
        (status, replayed, r.json().await.unwrap_or_default())
    }
}

/// `velodesk bench load --server URL` as the admin `ada`: 4 clients for up to a minute,
/// every acknowledged station request written to `journal`.
pub fn bench_load_with_journal(url: &str, journal: &Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_velodesk"))
        .args(["bench", "load", "--server", url, "--username", "ada"])
        .args(["--clients", "4", "--seconds", "60", "--journal"])
        .arg(journal)
        .env("VELODESK_PASSWORD", password("ada"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait (30 s at most) until `db` has `n` ended rentals: the bench's riders are under way.
pub fn wait_for_ended_rentals(db: &Path, n: i64) {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    let started = std::time::Instant::now();
    let ended = || -> i64 {
        c.query_row(
            "SELECT COUNT(*) FROM rentals WHERE end_at IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    while ended() < n {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the bench's riders never got going"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The lines of a bench's journal.
pub fn read_journal(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
