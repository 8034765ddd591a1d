//! The server tried as an attacker would, on loopback (other addresses of 127.0.0.0/8 play
//! other clients): logins sent at once, an account locked out from elsewhere, slow and
//! greedy connections, masked phones guessed by search, odd input, bad stream positions,
//! what `/info` tells a stranger, look-ups queued behind writes. Each test reproduces the
//! attack and shows it refused or bounded. The limits are set small through `Limits`
//! where that keeps a test short.

mod support;

use futures_util::future::join_all;
use serde_json::{Value, json};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use velodesk::server::Limits;

/// A client whose connections come from `from` (e.g. 127.0.0.2).
fn client_from(from: &str) -> reqwest::Client {
    velodesk::backend::remote::install_crypto();
    reqwest::Client::builder()
        .local_address(from.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn try_login(c: &reqwest::Client, url: &str, name: &str, pw: &str) -> reqwest::Response {
    c.post(format!("{url}/auth/login"))
        .json(&json!({"username": name, "password": pw}))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_wrong_passwords_at_once_are_five_checks_and_the_rest_wait() {
    let mut s = TestServer::start().await;
    let c = client();
    let tries = (0..40).map(|_| try_login(&c, &s.url, "aigerim", "wrong-password"));
    let answers: Vec<u16> = join_all(tries)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    let checked = answers.iter().filter(|s| **s == 401).count();
    assert!(
        checked <= 5,
        "at most five passwords are checked, not {checked}: {answers:?}"
    );
    assert!(
        answers.iter().all(|s| matches!(s, 401 | 429 | 503)),
        "{answers:?}"
    );
    let r = try_login(&c, &s.url, "aigerim", &password("aigerim")).await;
    assert_eq!(r.status(), 429, "the right password waits too, from there");
    assert!(r.headers().get("retry-after").is_some());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_checks_run_a_few_at_a_time_and_the_rest_are_told_to_come_back() {
    let mut s = TestServer::limited(Limits {
        password_checks: 1,
        password_wait: Duration::ZERO,
        login_per_address: 1000,
        ..Limits::default()
    })
    .await;
    let c = client();
    let tries = (0..150).map(|i| {
        let name = format!("nobody{i}");
        let (c, url) = (&c, &s.url);
        async move { try_login(c, url, &name, "wrong-password").await }
    });
    let answers = join_all(tries).await;
    let busy: Vec<&reqwest::Response> = answers.iter().filter(|r| r.status() == 503).collect();
    assert!(
        !busy.is_empty(),
        "150 logins at once are not 150 password checks at once"
    );
    assert!(
        busy.iter()
            .all(|r| r.headers().get("retry-after").is_some())
    );
    assert!(
        answers
            .iter()
            .all(|r| matches!(r.status().as_u16(), 401 | 503)),
        "a login is checked or told to come back"
    );
    assert_eq!(
        try_login(&c, &s.url, "aigerim", &password("aigerim"))
            .await
            .status(),
        200,
        "logins told to come back were not counted as failures, and the server still serves"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_from_one_address_do_not_lock_the_staff_member_out_elsewhere() {
    let mut s = TestServer::start().await;
    let attacker = client_from("127.0.0.2");
    for _ in 0..5 {
        let r = try_login(&attacker, &s.url, "aigerim", "guess").await;
        assert_eq!(r.status(), 401);
    }
    let r = try_login(&attacker, &s.url, "aigerim", &password("aigerim")).await;
    assert_eq!(r.status(), 429, "the guessing address is locked out");
    let desk = client_from("127.0.0.1");
    let r = try_login(&desk, &s.url, "aigerim", &password("aigerim")).await;
    assert_eq!(r.status(), 200, "aigerim logs in at her own desk");

    // Whoever manages staff sees the lock-out among the alerts, and the desks' streams
    // carried it; an agent's alerts do not name it.
    let alerts_of = |name: &'static str| {
        let url = s.url.clone();
        async move {
            let t = login(&url, name).await;
            let v = get_json_as(&format!("{url}/alerts"), &t).await;
            v.as_array()
                .unwrap()
                .iter()
                .filter(|a| a["kind"] == "login-locked")
                .cloned()
                .collect::<Vec<Value>>()
        }
    };
    let seen = alerts_of("ada").await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    let text = seen[0]["text"].as_str().unwrap();
    assert!(
        text.contains("aigerim") && text.contains("127.0.0.2"),
        "{text}"
    );
    assert_eq!(alerts_of("sergey").await.len(), 1, "a supervisor sees it");
    assert!(alerts_of("bolat").await.is_empty(), "an agent does not");
    let admin = login(&s.url, "ada").await;
    let log = get_json_as(&format!("{}/events/log?after=0&limit=5000", s.url), &admin).await;
    let streamed = log.as_array().unwrap().iter().any(|pair| {
        pair[1]["type"] == "alert"
            && pair[1]["kind"] == "login-locked"
            && pair[1]["text"].as_str().unwrap().contains("aigerim")
    });
    assert!(streamed, "the lock-out went out as an alert event");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_is_locked_everywhere_only_past_its_own_higher_limit() {
    let mut s = TestServer::limited(Limits {
        login_per_name: 8,
        ..Limits::default()
    })
    .await;
    for i in 0..8 {
        let c = client_from(&format!("127.0.0.{}", 10 + i));
        assert_eq!(try_login(&c, &s.url, "bolat", "guess").await.status(), 401);
    }
    let r = try_login(&client(), &s.url, "bolat", &password("bolat")).await;
    assert_eq!(r.status(), 429, "eight addresses together lock the account");
    s.stop().await;
}

/// A socket from `from` to the server that sends half a request head.
async fn slow_socket(from: &str, to: SocketAddr) -> TcpStream {
    let sock = TcpSocket::new_v4().unwrap();
    sock.bind(format!("{from}:0").parse().unwrap()).unwrap();
    let mut s = sock.connect(to).await.unwrap();
    // A connection the server closed at once may refuse the write: that is its answer.
    let _ = s
        .write_all(b"GET /health HTTP/1.1\r\nHost: velodesk\r\nX-Slow: ")
        .await;
    s
}

/// Whether the server closes `s` (without an answer) before `within`: a closed
/// connection reads end-of-file or a reset, an open one waits.
async fn closed_by_server(s: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 512];
    match tokio::time::timeout(within, s.read(&mut buf)).await {
        Ok(Ok(0)) | Ok(Err(_)) => true,
        Ok(Ok(_)) => {
            // An answer (such as 408) and then the close.
            tokio::time::timeout(within, s.read_to_end(&mut Vec::new()))
                .await
                .is_ok()
        }
        Err(_) => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_headers_and_idle_connections_are_closed_after_the_header_timeout() {
    let mut s = TestServer::limited(Limits {
        header_read_timeout: Duration::from_secs(1),
        ..Limits::default()
    })
    .await;
    let addr = s.server.as_ref().unwrap().addr;
    let mut slow = Vec::new();
    for _ in 0..20 {
        slow.push(slow_socket("127.0.0.2", addr).await);
    }
    // Well past the 1 s timeout: a hang here means the sockets are held for ever.
    for sock in &mut slow {
        assert!(
            closed_by_server(sock, Duration::from_secs(20)).await,
            "a connection that sent half a header is closed"
        );
    }
    // A kept-alive connection that sends nothing more is closed too.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: velodesk\r\n\r\n")
        .await
        .unwrap();
    let mut answer = vec![0u8; 512];
    let n = idle.read(&mut answer).await.unwrap();
    assert!(String::from_utf8_lossy(&answer[..n]).starts_with("HTTP/1.1 200"));
    assert!(
        closed_by_server(&mut idle, Duration::from_secs(20)).await,
        "an idle keep-alive connection is closed"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_cannot_take_the_last_connections_and_logins_still_get_in() {
    let mut s = TestServer::limited(Limits {
        header_read_timeout: Duration::from_secs(120),
        max_connections: 24,
        max_connections_per_address: 16,
        ..Limits::default()
    })
    .await;
    let addr = s.server.as_ref().unwrap().addr;
    // 40 slow sockets from one client: it holds 16, the others are closed at once.
    let mut held = Vec::new();
    for _ in 0..40 {
        held.push(slow_socket("127.0.0.2", addr).await);
    }
    let mut closed = 0;
    for sock in &mut held {
        if closed_by_server(sock, Duration::from_millis(300)).await {
            closed += 1;
        }
    }
    assert_eq!(
        closed, 24,
        "past 16 from one address, a connection is closed"
    );
    let desk = client_from("127.0.0.1");
    let health = desk
        .get(format!("{}/health", s.url))
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let r = try_login(&desk, &s.url, "aigerim", &password("aigerim")).await;
    assert_eq!(r.status(), 200, "a login still gets in");
    // The server as a whole: 24 at once. Another client's 8 fill it; a ninth is closed.
    let mut more = Vec::new();
    for _ in 0..7 {
        more.push(slow_socket("127.0.0.3", addr).await);
    }
    let mut ninth = slow_socket("127.0.0.3", addr).await;
    assert!(
        closed_by_server(&mut ninth, Duration::from_secs(20)).await,
        "past 24 in all, a connection is closed"
    );
    drop((held, more));
    s.stop().await;
}

async fn search(url: &str, token: &str, q: &str) -> reqwest::Response {
    client()
        .get(format!("{url}/riders"))
        .bearer_auth(token)
        .query(&[("q", q)])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_phone_numbers_is_slowed_to_a_few_a_second_and_audited() {
    let mut s = TestServer::limited(Limits {
        search_burst: 20,
        search_per_second: 1,
        ..Limits::default()
    })
    .await;
    let depot = login(&s.url, "dana").await;
    let started = std::time::Instant::now();
    let first = search(&s.url, &depot, "+77010000001").await;
    assert_eq!(first.status(), 200);
    let guesses = (1..60).map(|i| {
        let (url, t) = (&s.url, &depot);
        async move { search(url, t, &format!("+7701000{i:04}")).await }
    });
    let answers = join_all(guesses).await;
    let elapsed = started.elapsed().as_secs_f64();
    let allowed = 1 + answers.iter().filter(|r| r.status() == 200).count();
    let limited: Vec<&reqwest::Response> = answers.iter().filter(|r| r.status() == 429).collect();
    assert_eq!(allowed + limited.len(), 60, "answered or limited");
    assert!(
        allowed as f64 <= 20.0 + elapsed.ceil() + 1.0,
        "a burst of 20, then 1 a second: {allowed} answered in {elapsed:.1} s"
    );
    assert!(
        limited
            .iter()
            .all(|r| r.headers().get("retry-after").is_some())
    );
    // Another session is not held back by this one's searches.
    let agent = login(&s.url, "aigerim").await;
    assert_eq!(search(&s.url, &agent, "Rider").await.status(), 200);
    // Each whole number looked up by a role that may not see personal data is audited.
    let sup = login(&s.url, "sergey").await;
    let audit = get_json_as(
        &format!("{}/audit?action=search-by-phone&limit=1000", s.url),
        &sup,
    )
    .await;
    let records = audit.as_array().unwrap();
    assert_eq!(
        records.len(),
        allowed,
        "every search answered is in the audit log"
    );
    assert!(records.iter().all(|r| r["staff"] == "dana"));
    assert!(
        records
            .iter()
            .any(|r| r["target"].as_str().unwrap().contains("1 found"))
    );
    s.stop().await;
}

async fn post(url: &str, path: &str, token: &str, body: &str) -> (u16, Value) {
    let r = client()
        .post(format!("{url}{path}"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_input_is_refused_with_what_and_where_and_writes_nothing() {
    let mut s = TestServer::start().await;
    let admin = login(&s.url, "ada").await;
    let watch = Watch::new(&s.db);
    let before = watch.version();
    let long = "x".repeat(60_000);
    let zero_width = "ag\u{200b}1";
    let station = |id: i64| {
        json!({"id": id, "name": "N", "address": "", "lat": 51.1, "lon": 71.4, "docks": 3, "active": true})
            .to_string()
    };
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "/riders/1/payments",
            r#"[100,"cash"]"#.into(),
            "JSON object",
        ),
        (
            "/staff",
            json!({"name": long, "role": "agent"}).to_string(),
            "staff name",
        ),
        (
            "/staff",
            json!({"name": zero_width, "role": "agent"}).to_string(),
            "U+200B",
        ),
        // The year 262142 as chrono writes it, and as people do (no date to chrono: column 40).
        (
            "/season",
            json!({"from": "2025-04-01", "to": "+262142-01-01"}).to_string(),
            "to: +262142-01-01 is not in the years 2000 to 2100",
        ),
        (
            "/season",
            json!({"from": "2025-04-01", "to": "262142-01-01"}).to_string(),
            "column 40",
        ),
        (
            "/season",
            json!({"from": "2025-04-01", "to": "2999-01-01"}).to_string(),
            "2100",
        ),
        ("/stations", station(-5), "1 to 999999999"),
        ("/bikes", json!({"id": -5}).to_string(), "id"),
        (
            "/riders/1/payments",
            json!({"amount": 10_000_001, "method": "cash"}).to_string(),
            "D30",
        ),
        (
            "/riders/1/payments",
            json!({"amount": i64::MAX, "method": "cash"}).to_string(),
            "D30",
        ),
    ];
    for (path, body, says) in cases {
        let (status, p) = post(&s.url, path, &admin, &body).await;
        assert_eq!(
            (status, p["kind"].as_str()),
            (400, Some("invalid")),
            "{path} {body:.80}: {p}"
        );
        let detail = p["detail"].as_str().unwrap();
        assert!(
            detail.contains(says),
            "{path}: {detail:.200} should say {says:?}"
        );
    }
    assert_eq!(watch.version(), before, "nothing was written");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_a_disabled_account_again_does_not_enable_it_enabling_does() {
    let mut s = TestServer::start().await;
    let admin = login(&s.url, "ada").await;
    let (st, _) = post(&s.url, "/staff/bolat/disable", &admin, "{}").await;
    assert_eq!(st, 200);
    let (st, _) = post(
        &s.url,
        "/staff",
        &admin,
        &json!({"name": "bolat", "role": "agent"}).to_string(),
    )
    .await;
    assert_eq!(st, 200);
    let c = client();
    assert_eq!(
        try_login(&c, &s.url, "bolat", &password("bolat"))
            .await
            .status(),
        401,
        "still disabled: the old password does not let them back in"
    );
    let (st, _) = post(&s.url, "/staff/bolat/enable", &admin, "{}").await;
    assert_eq!(st, 200);
    assert_eq!(
        try_login(&c, &s.url, "bolat", &password("bolat"))
            .await
            .status(),
        200
    );
    let (st, p) = post(&s.url, "/staff/nobody/enable", &admin, "{}").await;
    assert_eq!((st, p["kind"].as_str()), (404, Some("not-found")));
    let n: i64 = rusqlite::Connection::open(&s.db)
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'manage-staff' AND target = 'enable bolat'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1, "enabling is audited");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_last_event_id_is_refused_not_taken_as_the_head() {
    let mut s = TestServer::start().await;
    let t = login(&s.url, "aigerim").await;
    for bad in ["abc", "1e3", "99999999999999999999", "-1", ""] {
        let r = client()
            .get(format!("{}/events", s.url))
            .bearer_auth(&t)
            .header("last-event-id", bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "Last-Event-ID {bad:?}");
        let p: Value = r.json().await.unwrap();
        assert!(
            p["detail"].as_str().unwrap().contains("Last-Event-ID"),
            "{p}"
        );
    }
    for bad in ["abc", "-1"] {
        let r = client()
            .get(format!("{}/events?after={bad}", s.url))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "after={bad}");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn info_tells_a_stranger_the_city_and_time_zone_only() {
    let mut s = TestServer::start().await;
    let public = get_json(&format!("{}/info", s.url)).await;
    let keys: Vec<&String> = public.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["city", "time_zone"], "{public}");
    assert!(!public.to_string().contains("city.db"));
    let t = login(&s.url, "aigerim").await;
    let full = get_json_as(&format!("{}/info", s.url), &t).await;
    assert!(
        full["location"].as_str().unwrap().contains("city.db"),
        "{full}"
    );
    assert_eq!(full["simulated_clock"], true);
    let r = client()
        .get(format!("{}/info", s.url))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        401,
        "a bad token is refused, not taken for no login"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn look_ups_answer_while_the_writer_is_busy() {
    let mut s = TestServer::start().await;
    let sup = login(&s.url, "sergey").await;
    // Hold the engine's writer thread until every look-up has answered.
    let (release, held) = std::sync::mpsc::channel::<()>();
    let backend = s.server.as_ref().unwrap().backend.clone();
    let writer = tokio::spawn(async move {
        backend
            .call(move |_| {
                let _ = held.recv_timeout(Duration::from_secs(60));
                Ok(())
            })
            .await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    for path in [
        "/verify",
        "/verify/fleet",
        "/audit",
        "/events/log?after=0",
        "/staff/aigerim/role",
    ] {
        let r = client()
            .get(format!("{}{path}", s.url))
            .bearer_auth(&sup)
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path} queued behind the writer: {e}"));
        assert_eq!(r.status(), 200, "{path}");
    }
    release.send(()).unwrap();
    writer.await.unwrap().unwrap();
    s.stop().await;
}
