//! Staff sessions over time: a live event stream ends once its session does (logout,
//! disable, expiry), a console following it then shows "logged out" instead of
//! reconnecting for ever, and an expired token is refused 401 until its owner logs in again.
//! Failed logins behind a trusted proxy are counted per client, not per proxy.

mod support;

use std::time::Duration;
use support::*;
use velodesk::backend::{Backend, ConnectionState, RemoteBackend};
use velodesk::server::Limits;
use velodesk::server::client_addr::Proxy;

/// An open `GET /events`, read frame by frame.
struct Events {
    resp: reqwest::Response,
    buf: String,
}

impl Events {
    async fn open(url: &str, token: &str) -> Events {
        let resp = client()
            .get(format!("{url}/events"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        Events {
            resp,
            buf: String::new(),
        }
    }

    /// The next event's kind; `None` once the server closed the stream. Panics when nothing
    /// came within `wait`.
    async fn next(&mut self, wait: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let frame: String = self.buf.drain(..end + 2).collect();
                if let Some(kind) = frame.lines().find_map(|l| l.strip_prefix("event:")) {
                    return Some(kind.trim().to_string());
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.resp.chunk())
                .await
                .expect("the stream neither sent an event nor ended in time")
                .ok()?;
            self.buf.push_str(&String::from_utf8_lossy(&chunk?));
        }
    }

    /// Every event until the stream ends (which must happen within `wait`).
    async fn rest(&mut self, wait: Duration) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut got = Vec::new();
        while let Some(kind) = self
            .next(deadline.saturating_duration_since(tokio::time::Instant::now()))
            .await
        {
            got.push(kind);
        }
        got
    }
}

async fn pay(url: &str, token: &str, rider: i64) {
    let r = client()
        .post(format!("{url}/riders/{rider}/payments"))
        .bearer_auth(token)
        .json(&serde_json::json!({"amount": 500, "method": "cash"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// Past the stream's "checked a moment ago" window, so the next event is checked.
const PAST_FRESH: Duration = Duration::from_millis(1300);
/// An idle stream checks every 3 s: this covers it with room to spare.
const WITHIN: Duration = Duration::from_secs(8);

/// A stream open as aigerim that delivers bolat's payments while her session holds.
async fn live_stream(s: &TestServer, aigerim: &str, bolat: &str) -> Events {
    let mut ev = Events::open(&s.url, aigerim).await;
    assert_eq!(ev.next(WITHIN).await.as_deref(), Some("hello"));
    pay(&s.url, bolat, 1).await;
    assert!(
        ev.next(WITHIN).await.is_some(),
        "a live session's stream shows another desk's payment"
    );
    ev
}

/// Once the session's end is noticed, bolat's next payment reaches `ev` no more.
async fn delivers_nothing_more(s: &TestServer, mut ev: Events, bolat: &str, what: &str) {
    tokio::time::sleep(PAST_FRESH).await;
    pay(&s.url, bolat, 2).await;
    let after = ev.rest(WITHIN).await;
    assert!(after.is_empty(), "{what} delivers nothing more: {after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_ends_when_its_session_is_logged_out() {
    let mut s = TestServer::start().await;
    let (aigerim, bolat) = (login(&s.url, "aigerim").await, login(&s.url, "bolat").await);
    let ev = live_stream(&s, &aigerim, &bolat).await;
    let out = client()
        .post(format!("{}/auth/logout", s.url))
        .bearer_auth(&aigerim)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    delivers_nothing_more(&s, ev, &bolat, "a logged-out stream").await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_ends_when_its_staff_member_is_disabled() {
    let mut s = TestServer::start().await;
    let (aigerim, bolat) = (login(&s.url, "aigerim").await, login(&s.url, "bolat").await);
    let admin = login(&s.url, "ada").await;
    let ev = live_stream(&s, &aigerim, &bolat).await;
    let disabled = client()
        .post(format!("{}/staff/aigerim/disable", s.url))
        .bearer_auth(&admin)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 200);
    delivers_nothing_more(&s, ev, &bolat, "a disabled member's stream").await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_whose_stream_is_cut_shows_logged_out_and_stops_reconnecting() {
    let mut s = TestServer::start().await;
    let console = RemoteBackend::connect(&s.url, "bolat", &password("bolat"))
        .await
        .unwrap();
    let mut state = console.connection();
    assert!(matches!(*state.borrow(), ConnectionState::Live));
    let admin = login(&s.url, "ada").await;
    let disabled = client()
        .post(format!("{}/staff/bolat/disable", s.url))
        .bearer_auth(&admin)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 200);
    // The console itself calls nothing: only its event stream can tell it.
    tokio::time::timeout(
        WITHIN,
        state.wait_for(|s| matches!(s, ConnectionState::LoggedOut { .. })),
    )
    .await
    .expect("the console learns it is logged out from its stream alone")
    .unwrap();
    // It stays logged out: no reconnecting (which would go back to Stale).
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(matches!(
        *console.connection().borrow(),
        ConnectionState::LoggedOut { .. }
    ));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_expires_on_the_wall_clock_and_logging_in_again_works() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    city(&db);
    // The system's clock is simulated and stands still: sessions run on the wall clock.
    let server = serve_with(&db, chrono::Duration::seconds(2), Proxy::None).await;
    let url = server.url();
    let token = login(&url, "aigerim").await;
    assert_eq!(me_status(&url, &token).await, 200);
    let mut ev = Events::open(&url, &token).await;
    assert_eq!(ev.next(WITHIN).await.as_deref(), Some("hello"));
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert_eq!(me_status(&url, &token).await, 401, "expired after 2 s");
    assert_eq!(
        ev.rest(WITHIN).await,
        Vec::<String>::new(),
        "an idle stream ends with its session"
    );
    let again = login(&url, "aigerim").await;
    assert_eq!(
        me_status(&url, &again).await,
        200,
        "a new login gives a new shift"
    );
    assert_eq!(
        me_status(&url, &token).await,
        401,
        "the old token stays dead"
    );
    server.stop().await.unwrap();
}

/// A failed login (a different name each time, so only the address limit counts).
async fn fail_login(url: &str, n: usize, forwarded: &str) -> u16 {
    client()
        .post(format!("{url}/auth/login"))
        .header("x-forwarded-for", forwarded)
        .json(&serde_json::json!({"username": format!("nobody{n}"), "password": "wrong"}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_failed_logins_count_per_client_not_per_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    city(&db);
    let behind = serve_with(&db, chrono::Duration::hours(12), Proxy::Trusted).await;
    let url = behind.url();
    for n in 0..Limits::default().login_per_address {
        assert_eq!(fail_login(&url, n, "203.0.113.7").await, 401);
    }
    assert_eq!(
        fail_login(&url, 100, "203.0.113.7").await,
        429,
        "that client waits"
    );
    assert_eq!(
        fail_login(&url, 101, "203.0.113.8, 203.0.113.7").await,
        429,
        "the proxy's own (last) entry counts, not one the client wrote before it"
    );
    assert_eq!(
        fail_login(&url, 102, "203.0.113.8").await,
        401,
        "another client behind the same proxy may still try"
    );
    behind.stop().await.unwrap();

    // Without --trust-proxy the header is the client's word: the peer address counts.
    let direct = serve_with(&db, chrono::Duration::hours(12), Proxy::None).await;
    let url = direct.url();
    for n in 0..Limits::default().login_per_address {
        assert_eq!(fail_login(&url, n, &format!("203.0.113.{n}")).await, 401);
    }
    assert_eq!(fail_login(&url, 100, "198.51.100.1").await, 429);
    direct.stop().await.unwrap();
}
