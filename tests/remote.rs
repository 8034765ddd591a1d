//! The remote backend's live side: two consoles on one server see each other's changes
//! within a second; a console whose server restarts shows `Stale`, reconnects, and resumes
//! its events without a gap or a duplicate; calls while the server is down are
//! `unavailable`, and a revoked session shows `LoggedOut`.

mod support;

use std::time::Duration;
use support::*;
use velodesk::api::Event;
use velodesk::api::PayMethod;
use velodesk::api::{BackendError, ConnectionState};
use velodesk::backend::Ops;
use velodesk::backend::{Backend, LocalBackend, RemoteBackend};
use velodesk::clock::SimClock;
use velodesk::domain::{RiderId, Tenge};
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_consoles_see_each_others_changes_within_a_second() {
    let mut s = TestServer::start().await;
    let a = RemoteBackend::connect(&s.url, "aigerim", &password("aigerim"))
        .await
        .unwrap();
    let b = RemoteBackend::connect(&s.url, "bolat", &password("bolat"))
        .await
        .unwrap();
    assert!(a.connection().borrow().is_live());
    let mut seen_by_b = b.subscribe();
    let mut seen_by_a = a.subscribe();
    a.pay(RiderId(2), Tenge(700), PayMethod::Card)
        .await
        .unwrap();
    let (_, e) = tokio::time::timeout(Duration::from_secs(1), seen_by_b.recv())
        .await
        .expect("B hears of A's payment within a second")
        .unwrap();
    assert!(
        matches!(
            e,
            Event::LedgerPosted {
                rider: Some(RiderId(2)),
                ..
            } | Event::RiderChanged { rider: RiderId(2) }
        ),
        "{e:?}"
    );
    b.as_staff("bolat")
        .block(RiderId(3), "lost phone")
        .await
        .unwrap();
    let mut heard = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    while let Ok(Ok((_, e))) = tokio::time::timeout_at(deadline, seen_by_a.recv()).await {
        if e == (Event::RiderChanged { rider: RiderId(3) }) {
            heard = true;
            break;
        }
    }
    assert!(heard, "A hears of B's block within a second");
    let v = a.rider(RiderId(3)).await.unwrap();
    assert_eq!(v.rider.blocked_reason.as_deref(), Some("lost phone"));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_resumes_after_a_server_restart_without_gaps_or_duplicates() {
    let mut s = TestServer::start().await;
    let addr = s.server.as_ref().unwrap().addr;
    let a = RemoteBackend::connect(&s.url, "aigerim", &password("aigerim"))
        .await
        .unwrap();
    let mut rx = a.subscribe();
    let mut state = a.connection();
    a.pay(RiderId(1), Tenge(100), PayMethod::Cash)
        .await
        .unwrap();

    // The server goes away: the console says so, and calls are `unavailable`.
    s.stop().await;
    tokio::time::timeout(
        Duration::from_secs(5),
        state.wait_for(|s| matches!(s, ConnectionState::Stale { .. })),
    )
    .await
    .expect("the console notices")
    .unwrap();
    let down = a.pay(RiderId(1), Tenge(100), PayMethod::Cash).await;
    assert!(
        matches!(down, Err(BackendError::Unavailable { .. })),
        "{down:?}"
    );

    // Meanwhile the system moves on (another process on the same database).
    {
        let engine = Engine::new(Store::open(&s.db).unwrap(), Settings::default()).unwrap();
        let local = LocalBackend::start(engine, std::sync::Arc::new(SimClock::new(at(START))), "x");
        for i in 0..3 {
            local
                .pay(RiderId(2), Tenge(10 + i), PayMethod::Cash)
                .await
                .unwrap();
        }
    }
    // The server comes back on the same address.
    let engine = Engine::new(Store::open(&s.db).unwrap(), Settings::default()).unwrap();
    let back = velodesk::server::start(
        engine,
        velodesk::server::ServerOptions {
            db: s.db.clone(),
            listen: addr,
            clock: std::sync::Arc::new(SimClock::new(at(START))),
            session: chrono::Duration::hours(12),
            gbfs: Default::default(),
            proxy: velodesk::server::client_addr::Proxy::None,
            limits: Default::default(),
        },
    )
    .await
    .unwrap();
    tokio::time::timeout(Duration::from_secs(15), state.wait_for(|s| s.is_live()))
        .await
        .expect("the console reconnects")
        .unwrap();
    a.pay(RiderId(3), Tenge(5), PayMethod::Cash).await.unwrap();

    let mut got = Vec::new();
    while let Ok(Ok((id, _))) = tokio::time::timeout(Duration::from_millis(700), rx.recv()).await {
        got.push(id);
    }
    let c = rusqlite::Connection::open(&s.db).unwrap();
    let first = got[0];
    let all: Vec<i64> = c
        .prepare("SELECT id FROM events WHERE id >= ?1 ORDER BY id")
        .unwrap()
        .query_map([first], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(got, all, "every event once, in order, across the restart");
    assert!(
        got.len() >= 5,
        "one event per payment, the three made while it was away included: {got:?}"
    );
    back.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_staff_members_console_is_logged_out() {
    let mut s = TestServer::start().await;
    let a = RemoteBackend::connect(&s.url, "bolat", &password("bolat"))
        .await
        .unwrap();
    let token = login(&s.url, "ada").await;
    let disabled = client()
        .post(format!("{}/staff/bolat/disable", s.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 200);
    let after = a.pay(RiderId(1), Tenge(1), PayMethod::Cash).await;
    assert!(
        matches!(after, Err(BackendError::Refused { .. })),
        "{after:?}"
    );
    assert!(matches!(
        *a.connection().borrow(),
        ConnectionState::LoggedOut { .. }
    ));
    let wrong = RemoteBackend::connect(&s.url, "ada", "not-her-password").await;
    assert!(wrong.is_err());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_reads_their_own_audit_over_http_and_only_an_admin_sets_the_season() {
    let mut s = TestServer::start().await;
    let agent = RemoteBackend::connect(&s.url, "aigerim", &password("aigerim"))
        .await
        .unwrap();
    agent
        .as_staff("aigerim")
        .block(RiderId(3), "lost card")
        .await
        .unwrap();
    let mine = agent.as_staff("aigerim").own_audit(5).await.unwrap();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(
        (mine[0].staff.as_str(), mine[0].reason.as_str()),
        ("aigerim", "lost card")
    );
    // Logged in as aigerim: another's receipt is not hers to read, nor is the whole log.
    let err = agent.as_staff("bolat").own_audit(5).await.unwrap_err();
    assert_eq!(err.refusal(), Some(velodesk::domain::Refusal::Forbidden));
    let day = |d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let err = agent
        .set_season(day("2025-05-01"), day("2025-09-30"))
        .await
        .unwrap_err();
    assert_eq!(err.refusal(), Some(velodesk::domain::Refusal::Forbidden));
    // R8: the admin's override holds on the server (refused `invalid` backwards).
    let admin = RemoteBackend::connect(&s.url, "ada", &password("ada"))
        .await
        .unwrap();
    let err = admin
        .set_season(day("2025-09-30"), day("2025-05-01"))
        .await
        .unwrap_err();
    assert_eq!(err.refusal(), Some(velodesk::domain::Refusal::Invalid));
    admin
        .set_season(day("2025-06-02"), day("2025-09-30"))
        .await
        .unwrap();
    admin.provision_station_keys().await.unwrap();
    let err = admin
        .rent(RiderId(1), velodesk::domain::BikeId(1), "1234")
        .await;
    assert_eq!(
        err.unwrap_err().refusal(),
        Some(velodesk::domain::Refusal::OutOfSeason),
        "the city's clock is at 2025-06-01, before the season"
    );
    s.stop().await;
}

/// A proxy in front of the server that lets the first payment through to the server and
/// then answers it `408 Request Timeout`, as a server whose request timer ran out after the
/// engine had committed would: the console's backend retries with the same Idempotency-Key
/// and is told the payment's entry, which is in the ledger once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_answered_408_after_it_was_applied_is_retried_and_taken_once() {
    use axum::body::Body;
    use axum::extract::{Request, State};
    use axum::response::Response;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[derive(Clone)]
    struct Proxy {
        upstream: String,
        http: reqwest::Client,
        timed_out: Arc<AtomicBool>,
    }
    async fn forward(State(p): State<Proxy>, req: Request) -> Response {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
        let path = parts.uri.path_and_query().unwrap().as_str().to_string();
        let payment = path.ends_with("/payments")
            || (path == "/ops" && String::from_utf8_lossy(&bytes).contains("\"op\":\"pay\""));
        let mut out = p
            .http
            .request(parts.method.clone(), format!("{}{path}", p.upstream))
            .body(bytes);
        for (name, value) in &parts.headers {
            if name != "host" {
                out = out.header(name, value);
            }
        }
        let r = out.send().await.unwrap();
        if payment && !p.timed_out.swap(true, Ordering::SeqCst) {
            assert!(r.status().is_success(), "the server took the payment");
            return Response::builder().status(408).body(Body::empty()).unwrap();
        }
        let mut resp = Response::builder().status(r.status());
        for (name, value) in r.headers() {
            resp = resp.header(name, value);
        }
        resp.body(Body::from_stream(r.bytes_stream())).unwrap()
    }

    let mut s = TestServer::start().await;
    let proxy = Proxy {
        upstream: s.url.clone(),
        http: client(),
        timed_out: Arc::default(),
    };
    let timed_out = proxy.timed_out.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let via = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(forward).with_state(proxy);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let before = count(&s.db, "SELECT COUNT(*) FROM ledger WHERE kind = 'payment'");
    let desk = RemoteBackend::connect(&via, "aigerim", &password("aigerim"))
        .await
        .unwrap();
    let entry = desk
        .pay(RiderId(3), Tenge(1_234), PayMethod::Cash)
        .await
        .expect("the retry is told the payment's entry");
    assert!(
        timed_out.load(Ordering::SeqCst),
        "the first answer was a 408"
    );
    let after = count(&s.db, "SELECT COUNT(*) FROM ledger WHERE kind = 'payment'");
    assert_eq!(after - before, 1, "taken once");
    assert_eq!(
        count(
            &s.db,
            &format!("SELECT money FROM ledger WHERE id = {entry}")
        ),
        1_234
    );
    s.stop().await;
}

fn count(db: &std::path::Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}
