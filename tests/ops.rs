//! The one door (issue 14): every change is an `Op`, run by the engine for the handle's
//! staff member and previewed by the same code with nothing kept; on a server `POST /ops`
//! carries any operation, answered as the routes per operation answer it.

mod support;

use std::sync::Arc;
use support::{TestServer, at, password};
use velodesk::api::{Op, Outcome, PayMethod};
use velodesk::backend::{Backend, BackendError, LocalBackend, Ops, RemoteBackend};
use velodesk::clock::SimClock;
use velodesk::domain::{BikeId, Refusal, RiderId, Tenge};
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;

fn local(dir: &tempfile::TempDir) -> LocalBackend {
    let db = dir.path().join("city.db");
    support::city(&db);
    let engine = Engine::new(Store::open(&db).unwrap(), Settings::default()).unwrap();
    LocalBackend::start(engine, Arc::new(SimClock::new(at(support::START))), "test")
}

/// POST `body` to `path` with `authorization`: the status and the JSON answered.
async fn post(
    url: &str,
    path: &str,
    authorization: Option<&str>,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let mut req = support::client().post(format!("{url}{path}")).json(body);
    if let Some(a) = authorization {
        req = req.header("authorization", a);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

fn refusal<T: std::fmt::Debug>(r: Result<T, BackendError>) -> Refusal {
    match r {
        Err(BackendError::Refused { kind, .. }) => kind,
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preview_answers_as_the_operation_would_and_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    let agent = b.acting("aigerim");
    let before = b.rider(RiderId(1)).await.unwrap();
    let pay = Op::Pay {
        rider: RiderId(1),
        amount: Tenge(5_000),
        method: PayMethod::Cash,
    };
    let seen = agent.preview(pay.clone()).await.unwrap();
    assert!(matches!(seen, Outcome::Entry(_)), "{seen:?}");
    let after = b.rider(RiderId(1)).await.unwrap();
    assert_eq!(after.rider.balance, before.rider.balance, "nothing kept");
    assert_eq!(after.ledger.len(), before.ledger.len());
    // A refusal is previewed as the refusal (R19: no negative payment; D30 bounds).
    let negative = Op::Pay {
        rider: RiderId(1),
        amount: Tenge(-500),
        method: PayMethod::Cash,
    };
    assert_eq!(refusal(agent.preview(negative).await), Refusal::Invalid);
    // A depot worker's preview of a fine is refused as the fine would be.
    let fine = Op::Fine {
        rider: RiderId(1),
        kind: velodesk::domain::tariff::FineKind::Damage,
        amount: Some(Tenge(1_000)),
        rental: None,
        note: "scratched".into(),
    };
    assert_eq!(
        refusal(b.acting("dana").preview(fine.clone()).await),
        Refusal::Forbidden
    );
    // D29: a wrong PIN previewed is not counted (five of them would lock the rider).
    for _ in 0..6 {
        let wrong = Op::Unlock {
            rider: RiderId(1),
            bike: BikeId(1),
            pin: "0000".into(),
        };
        assert_eq!(refusal(b.preview(wrong).await), Refusal::BadPin);
    }
    assert!(
        b.rider(RiderId(1))
            .await
            .unwrap()
            .pin_locked_until
            .is_none()
    );
    // And the operation itself, run, is kept.
    agent.execute(pay).await.unwrap();
    let paid = b.rider(RiderId(1)).await.unwrap();
    assert_eq!(paid.rider.balance, before.rider.balance + Tenge(5_000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_operation_needs_a_staff_member_and_is_theirs_in_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    // No one logged in: a staff member's operation is refused before anything happens.
    assert_eq!(
        refusal(b.block(RiderId(2), "lost card reported by phone").await),
        Refusal::Forbidden
    );
    b.acting("aigerim")
        .note(
            RiderId(2),
            "called about a double charge; call back tomorrow",
        )
        .await
        .unwrap();
    let v = b.rider(RiderId(2)).await.unwrap();
    assert_eq!(v.notes.len(), 1, "the note is in the rider view");
    assert_eq!(v.notes[0].staff, "aigerim");
    assert!(v.notes[0].text.contains("double charge"));
    let own = b.acting("aigerim").own_audit(1).await.unwrap();
    assert_eq!(own[0].action, "add-note");
    // Depot staff do not write on riders; an empty note is no note.
    assert_eq!(
        refusal(b.acting("dana").note(RiderId(2), "x").await),
        Refusal::Forbidden
    );
    assert_eq!(
        refusal(b.acting("aigerim").note(RiderId(2), "   ").await),
        Refusal::Invalid
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_ops_runs_any_operation_for_the_token_and_the_docks_for_their_key() {
    let mut s = TestServer::start().await;
    let agent = RemoteBackend::connect(&s.url, "aigerim", &password("aigerim"))
        .await
        .unwrap();
    // The note goes through the one door: no route of its own was written for it.
    agent.note(RiderId(3), "prefers Kazakh").await.unwrap();
    let v = agent.rider(RiderId(3)).await.unwrap();
    assert_eq!(v.notes.len(), 1);
    // A session acts only as who logged in.
    assert_eq!(
        refusal(agent.as_staff("bolat").note(RiderId(3), "x").await),
        Refusal::Forbidden
    );
    // A dock's operation with a staff token is refused; with its station's key it runs.
    let token = support::login(&s.url, "aigerim").await;
    let (status, body) = post(
        &s.url,
        "/ops",
        Some(&format!("Bearer {token}")),
        &serde_json::json!({"op": "call-cable-lock", "rider": 1, "station": 2}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let key = support::station_key(&s.db, 2);
    let (status, body) = post(
        &s.url,
        "/ops",
        Some(&format!("Station {key}")),
        &serde_json::json!({"op": "rent", "rider": 1, "bike": 7, "pin": "1234"}),
    )
    .await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("rental")),
        "{body}"
    );
    // A bike that is not at the key's station is not its dock's to release.
    let (status, _) = post(
        &s.url,
        "/ops",
        Some(&format!("Station {key}")),
        &serde_json::json!({"op": "pull", "bike": 1}),
    )
    .await;
    assert_eq!(status, 422);
    // Another station's key may not speak for station 1.
    let (status, _) = post(
        &s.url,
        "/ops",
        Some(&format!("Station {key}")),
        &serde_json::json!({"op": "return-bike", "bike": 7, "station": 1, "how": "locked"}),
    )
    .await;
    assert_eq!(status, 403);
    // Unknown fields and unknown operations are refused, saying so.
    let (status, body) = post(
        &s.url,
        "/ops",
        Some(&format!("Bearer {token}")),
        &serde_json::json!({"op": "note", "rider": 3, "text": "x", "by": "admin"}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    s.stop().await;
}

/// #15.3: a cable-lock call ends when its rental does; an alert can be taken ("I am on
/// it"), shown with who took it to every desk, and not taken twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_ends_with_its_rental_and_an_alert_is_taken_once() {
    use velodesk::api::AlertKind;
    use velodesk::domain::StationId;
    use velodesk::domain::rental::DockOutcome;
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    let calls = |alerts: &[velodesk::api::Alert]| {
        alerts
            .iter()
            .filter(|a| a.kind == AlertKind::CableLockCall)
            .count()
    };
    b.rent(RiderId(1), BikeId(1), "1234").await.unwrap();
    b.call_cable_lock(RiderId(1), StationId(2)).await.unwrap();
    assert_eq!(calls(&b.alerts().await.unwrap()), 1);
    let take = Op::TakeAlert {
        kind: AlertKind::CableLockCall,
        rider: Some(RiderId(1)),
        station: Some(StationId(2)),
    };
    b.acting("aigerim").execute(take.clone()).await.unwrap();
    let taken = b.alerts().await.unwrap();
    let call = taken
        .iter()
        .find(|a| a.kind == AlertKind::CableLockCall)
        .unwrap();
    assert_eq!(call.taken.as_ref().map(|t| t.0.as_str()), Some("aigerim"));
    match b.acting("bolat").execute(take.clone()).await {
        Err(BackendError::Conflict { message }) => {
            assert!(message.contains("aigerim"), "{message}")
        }
        other => panic!("taken twice: {other:?}"),
    }
    // The rider found a free dock at last: the call is over with the rental.
    b.return_bike(BikeId(1), StationId(1), DockOutcome::Locked)
        .await
        .unwrap();
    assert_eq!(calls(&b.alerts().await.unwrap()), 0, "no stale call");
    assert_eq!(
        refusal(b.acting("aigerim").execute(take).await),
        Refusal::NotFound,
        "an ended call cannot be taken"
    );
}
