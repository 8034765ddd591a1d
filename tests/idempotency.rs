//! `Idempotency-Key`: a retry replays the first answer and applies nothing twice (also
//! when the copies race), a key reused for another request is refused 422, keys are per
//! sender, and only what happened is remembered (a refusal is evaluated again).

mod support;

use serde_json::{Value, json};
use support::*;

struct Sent {
    status: u16,
    replayed: bool,
    body: Value,
}

async fn send(url: &str, path: &str, auth: &str, key: &str, body: &Value) -> Sent {
    let r = client()
        .post(format!("{url}{path}"))
        .header("authorization", auth)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    Sent {
        status: r.status().as_u16(),
        replayed: r.headers().get("idempotent-replayed").is_some(),
        body: r.json().await.unwrap_or(Value::Null),
    }
}

fn count(db: &std::path::Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_payment_is_taken_once_and_answered_the_same() {
    let mut s = TestServer::start().await;
    let agent = format!("Bearer {}", login(&s.url, "aigerim").await);
    let pay = json!({"amount": 500, "method": "cash"});
    let entries = || count(&s.db, "SELECT COUNT(*) FROM ledger WHERE rider_id = 1");
    let before = entries();
    let first = send(&s.url, "/riders/1/payments", &agent, "k-1", &pay).await;
    assert_eq!((first.status, first.replayed), (200, false));
    let again = send(&s.url, "/riders/1/payments", &agent, "k-1", &pay).await;
    assert_eq!((again.status, again.replayed), (200, true));
    assert_eq!(again.body, first.body, "the same ledger entry");
    assert_eq!(entries(), before + 1, "taken once");

    let other = send(
        &s.url,
        "/riders/1/payments",
        &agent,
        "k-1",
        &json!({"amount": 900, "method": "cash"}),
    )
    .await;
    assert_eq!(other.status, 422);
    assert_eq!(other.body["kind"], "idempotency-key-reused");
    assert_eq!(entries(), before + 1);

    // Keys are per sender: another agent's "k-1" is another request.
    let bolat = format!("Bearer {}", login(&s.url, "bolat").await);
    let theirs = send(&s.url, "/riders/1/payments", &bolat, "k-1", &pay).await;
    assert_eq!((theirs.status, theirs.replayed), (200, false));
    assert_eq!(entries(), before + 2);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copies_racing_with_one_key_apply_once() {
    let mut s = TestServer::start().await;
    let agent = format!("Bearer {}", login(&s.url, "aigerim").await);
    let before = count(&s.db, "SELECT COUNT(*) FROM ledger WHERE rider_id = 2");
    let body = json!({"amount": 300, "method": "card"});
    let sends = (0..8).map(|_| send(&s.url, "/riders/2/payments", &agent, "race", &body));
    let answers = futures_util::future::join_all(sends).await;
    assert!(
        answers.iter().all(|a| a.status == 200),
        "every copy is answered 200"
    );
    assert!(
        answers.iter().all(|a| a.body == answers[0].body),
        "with the same entry"
    );
    assert_eq!(
        answers.iter().filter(|a| !a.replayed).count(),
        1,
        "one applied, the rest replayed"
    );
    assert_eq!(
        count(&s.db, "SELECT COUNT(*) FROM ledger WHERE rider_id = 2"),
        before + 1
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_record_commits_with_the_effect_and_a_refusal_is_not_remembered() {
    let mut s = TestServer::start().await;
    let agent = format!("Bearer {}", login(&s.url, "aigerim").await);
    let records = || count(&s.db, "SELECT COUNT(*) FROM idempotency");
    // A refusal (no such rider) writes nothing, so the same request is judged again.
    let body = json!({"amount": 100, "method": "cash"});
    for _ in 0..2 {
        let r = send(&s.url, "/riders/99/payments", &agent, "k-x", &body).await;
        assert_eq!((r.status, r.replayed), (404, false));
    }
    assert_eq!(records(), 0);
    // Each kind of answer crosses: a pass, a fine outcome, a unit, a quote-or-null.
    let key1 = format!("Station {}", station_key(&s.db, 1));
    let calls = [
        (
            "/riders/3/passes",
            agent.clone(),
            json!({"pass": "monthly"}),
        ),
        (
            "/riders/3/fines",
            agent.clone(),
            json!({"kind": "damage", "amount": 1000, "note": "bell"}),
        ),
        (
            "/riders/3/block",
            agent.clone(),
            json!({"reason": "card stolen"}),
        ),
        (
            "/station/1/unlock",
            key1.clone(),
            json!({"rider": 1, "bike": 4, "pin": "1234"}),
        ),
        ("/station/1/pull", key1.clone(), json!({"bike": 4})),
        ("/station/1/dock", key1.clone(), json!({"bike": 4})),
    ];
    for (i, (path, auth, body)) in calls.iter().enumerate() {
        let key = format!("k-{i}");
        let first = send(&s.url, path, auth, &key, body).await;
        assert_eq!(first.status, 200, "{path}: {}", first.body);
        assert_eq!(
            records(),
            i as i64 + 1,
            "{path}: remembered with its effect"
        );
        let again = send(&s.url, path, auth, &key, body).await;
        assert_eq!((again.status, again.replayed), (200, true), "{path}");
        assert_eq!(again.body, first.body, "{path}");
    }
    let rentals = count(&s.db, "SELECT COUNT(*) FROM rentals WHERE bike_id = 4");
    assert_eq!(rentals, 1, "the retried pull started no second rental");
    s.stop().await;
}

/// Set-up actions (station keys, staff accounts, riders, bikes, the clock) take a key like
/// every other change: a retry is not applied or audited again. Each is audited once under
/// the admin's name, with what it was done to; a refused one not at all. A station key is
/// a secret shown once: its record keeps no key (every backup would carry working dock
/// keys), and a retry is told the key was issued and must be rotated again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_up_actions_replay_with_their_key_and_are_audited_once() {
    let mut s = TestServer::start().await;
    let admin = format!("Bearer {}", login(&s.url, "ada").await);
    let audited = |action: &str, target: &str| {
        count(
            &s.db,
            &format!(
                "SELECT COUNT(*) FROM audit WHERE staff = 'ada' AND action = '{action}' AND target = '{target}'"
            ),
        )
    };
    let first = send(&s.url, "/stations/1/key", &admin, "key-1", &json!({})).await;
    assert_eq!(first.status, 200);
    let issued = first.body["key"].as_str().unwrap().to_string();
    let c = rusqlite::Connection::open(&s.db).unwrap();
    let kept: Vec<String> = c
        .prepare("SELECT body FROM idempotency")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!kept.is_empty(), "the key's request is remembered");
    assert!(
        kept.iter().all(|b| !b.contains(&issued)),
        "no idempotency record holds the station key: {kept:?}"
    );
    let again = send(&s.url, "/stations/1/key", &admin, "key-1", &json!({})).await;
    assert_eq!(
        (again.status, again.replayed, again.body["kind"].as_str()),
        (409, true, Some("key-issued")),
        "the retry is told the key was issued: {}",
        again.body
    );
    assert!(again.body["detail"].as_str().unwrap().contains("rotate"));
    let key = format!("Station {issued}");
    let unlock = json!({"rider": 1, "bike": 1, "pin": "1234"});
    let r = send(&s.url, "/station/1/unlock", &key, "u-1", &unlock).await;
    assert_eq!(
        r.status, 200,
        "the key issued first is still the one in force: {}",
        r.body
    );
    assert_eq!(audited("station-key", "station 1"), 1);

    // A rider registered: audited with the new rider's ID.
    let rider = serde_json::to_value(new_rider(60)).unwrap();
    let first = send(&s.url, "/riders", &admin, "rider-60", &rider).await;
    let again = send(&s.url, "/riders", &admin, "rider-60", &rider).await;
    assert_eq!(
        (first.status, again.body.clone()),
        (200, first.body.clone())
    );
    assert_eq!(count(&s.db, "SELECT COUNT(*) FROM riders WHERE id = 60"), 1);
    assert_eq!(audited("add-rider", "rider 60"), 1);

    // Disabling an account: its sessions end; the retry replays and is not audited again.
    let bolat = format!("Bearer {}", login(&s.url, "bolat").await);
    let first = send(&s.url, "/staff/bolat/disable", &admin, "off-1", &json!({})).await;
    let again = send(&s.url, "/staff/bolat/disable", &admin, "off-1", &json!({})).await;
    assert_eq!(
        (first.status, again.status, again.replayed),
        (200, 200, true)
    );
    let r = send(
        &s.url,
        "/riders/1/payments",
        &bolat,
        "p-1",
        &json!({"amount": 1, "method": "cash"}),
    )
    .await;
    assert_eq!(r.status, 401, "a disabled account's session is over");
    assert_eq!(audited("manage-staff", "disable bolat"), 1);
    let r = send(&s.url, "/staff/nobody/disable", &admin, "off-2", &json!({})).await;
    assert_eq!(
        (r.status, r.body["kind"].as_str()),
        (404, Some("not-found"))
    );
    assert_eq!(
        audited("manage-staff", "disable nobody"),
        0,
        "nothing happened"
    );

    // A new password given over HTTP ends the account's sessions, as from the shell.
    let dana = format!("Bearer {}", login(&s.url, "dana").await);
    let body = json!({"name": "dana", "role": "depot", "password": "a-new-password"});
    let r = send(&s.url, "/staff", &admin, "pw-1", &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = send(&s.url, "/bikes/1/repair", &dana, "rep-1", &json!({})).await;
    assert_eq!(r.status, 401, "the old password's session is over");
    assert_eq!(
        audited("manage-staff", "add dana as depot, with a new password"),
        1
    );

    // The clock: the retry is told the first call's postings, not an empty report.
    let to = json!({"to": "2025-06-03T04:00:00Z"});
    let first = send(&s.url, "/clock", &admin, "clock-1", &to).await;
    let again = send(&s.url, "/clock", &admin, "clock-1", &to).await;
    assert_eq!((first.status, again.replayed), (200, true));
    assert_eq!(again.body, first.body);
    assert_eq!(audited("advance-clock", "2025-06-03T04:00:00+00:00"), 1);

    // A bike for a station that does not exist: refused, and not audited.
    let r = send(
        &s.url,
        "/bikes",
        &admin,
        "bike-1",
        &json!({"id": 77, "station": 42}),
    )
    .await;
    assert!(r.status >= 400, "{}", r.body);
    assert_eq!(audited("add-bike", "bike 77"), 0);
    s.stop().await;
}
