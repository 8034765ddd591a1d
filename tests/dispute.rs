//! The docking dispute (issue 17), through the engine and over HTTP: the evidence a lock
//! error and the next rider leave, settling an open rental at the fair time through
//! `POST /ops` (refused to the depot, for a time in the future, without proof), crediting
//! an ended trip the difference (R26), and the faulty-dock alert for the depot.

mod support;

use std::sync::Arc;
use support::{TestServer, at, password};
use velodesk::api::{AlertKind, DisputeQuery, Op, Outcome};
use velodesk::backend::{Backend, BackendError, DockOutcome, LocalBackend, Ops, RemoteBackend};
use velodesk::clock::SimClock;
use velodesk::domain::dispute::{NoCase, Seen, Settlement};
use velodesk::domain::{BikeId, Refusal, RiderId, StationId, Tenge};
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;

fn local(dir: &tempfile::TempDir) -> LocalBackend {
    let db = dir.path().join("city.db");
    support::city(&db);
    let engine = Engine::new(Store::open(&db).unwrap(), Settings::default()).unwrap();
    LocalBackend::start(engine, Arc::new(SimClock::new(at(support::START))), "test")
}

fn refusal<T: std::fmt::Debug>(r: Result<T, BackendError>) -> Refusal {
    match r {
        Err(BackendError::Refused { kind, .. }) => kind,
        other => panic!("not refused: {other:?}"),
    }
}

const ST: StationId = StationId(1);
const BIKE: BikeId = BikeId(1);

/// Rider 1 takes bike 1 at 08:00 and pushes it back into station 1 at 08:40: lock error.
async fn lock_error(b: &dyn Backend) {
    b.rent(RiderId(1), BIKE, "1234").await.unwrap();
    b.advance_clock(at("2025-06-01 08:40")).await.unwrap();
    let out = b
        .return_bike(BIKE, ST, DockOutcome::LockError)
        .await
        .unwrap();
    assert_eq!(out, None, "R12: a lock error ends nothing");
}

/// R12, R15/D3, R26, R27 over HTTP: the GET route shows the evidence; `POST /ops` settles
/// it for an agent, not for the depot, not at a future time, and the rider is told.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_settles_a_lock_error_over_post_ops_once_another_rider_found_the_bike() {
    let mut s = TestServer::start().await;
    let admin = RemoteBackend::connect(&s.url, "ada", &password("ada"))
        .await
        .unwrap();
    admin.provision_station_keys().await.unwrap();
    lock_error(&admin).await;
    let agent = support::login(&s.url, "aigerim").await;
    let depot = support::login(&s.url, "dana").await;
    let get = |token: String| {
        support::client()
            .get(format!("{}/riders/1/dispute", s.url))
            .bearer_auth(token)
            .send()
    };
    // A lock error alone: no proof (R12).
    let ev: serde_json::Value = get(agent.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(ev["no_case"], "no-proof", "{ev}");
    // Rider 2 at station 1's display asks for bike 1: refused, still rider 1's — and kept.
    admin.advance_clock(at("2025-06-01 09:05")).await.unwrap();
    assert_eq!(
        refusal(admin.rent(RiderId(2), BIKE, "1234").await),
        Refusal::BikeUnavailable
    );
    admin.advance_clock(at("2025-06-01 13:00")).await.unwrap();
    let r = get(agent.clone()).await.unwrap();
    assert_eq!(r.status(), 200);
    let ev: serde_json::Value = r.json().await.unwrap();
    assert_eq!(ev["fair"]["at"], "2025-06-01T03:40:00Z", "{ev}"); // 08:40 in Astana (UTC+5)
    assert_eq!(ev["sightings"][1]["seen"]["what"], "asked-for", "{ev}");
    assert_eq!(ev["sightings"][1]["seen"]["rider"], 2, "{ev}");
    assert_eq!(ev["settlement"]["settle"], "end-at", "{ev}");
    assert_eq!(get(depot.clone()).await.unwrap().status(), 403);
    let post = |token: &str, at: &str| {
        support::client()
            .post(format!("{}/ops", s.url))
            .bearer_auth(token)
            .json(&serde_json::json!({
                "op": "settle-dispute", "rider": 1, "station": 1, "at": at
            }))
            .send()
    };
    assert_eq!(
        post(&depot, "2025-06-01T03:40:00Z").await.unwrap().status(),
        403,
        "the depot may not settle"
    );
    let future = post(&agent, "2025-06-01T09:00:00Z").await.unwrap();
    assert_eq!(future.status(), 400);
    let body: serde_json::Value = future.json().await.unwrap();
    assert!(body.to_string().contains("in the future"), "{body}");
    let done = post(&agent, "2025-06-01T03:45:00Z").await.unwrap();
    assert_eq!(done.status(), 200);
    let body: serde_json::Value = done.json().await.unwrap();
    assert_eq!(body["outcome"], "priced", "{body}");
    // 08:00 → 08:40 = 40 min → 100 ₸, not the five hours to 13:00.
    assert_eq!(body["value"]["total"], 100, "{body}");
    let v = admin.rider(RiderId(1)).await.unwrap();
    assert!(v.open_rental.is_none());
    assert_eq!(v.trips[0].end_at, Some(at("2025-06-01 08:40")));
    let told = v
        .messages
        .iter()
        .find(|m| m.kind == "dispute")
        .expect("told");
    // R27, D34: one settlement, one message (not also the staff's ending of the trip).
    let endings: Vec<&str> = v
        .messages
        .iter()
        .map(|m| m.kind.as_str())
        .filter(|k| k.starts_with("rental-ended"))
        .collect();
    assert!(endings.is_empty(), "{endings:?}");
    assert!(told.text.contains("08:40"), "{}", told.text);
    let me = RemoteBackend::connect(&s.url, "aigerim", &password("aigerim"))
        .await
        .unwrap();
    let own = me.own_audit(3).await.unwrap();
    assert!(
        own.iter()
            .any(|r| r.action == "settle-dispute" && r.details.contains("price 100")),
        "{own:?}"
    );
    assert!(own.iter().any(|r| r.action == "end-rental"), "{own:?}");
    // Rider 2 can take the bike now.
    admin.rent(RiderId(2), BIKE, "1234").await.unwrap();
    s.stop().await;
}

/// R26: a trip that ended later at the same station (someone pushed the bike in again) and
/// that the next rider took from there is credited what it cost beyond its fair price.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ended_trip_is_credited_the_difference_as_a_recognised_claim() {
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    lock_error(&b).await;
    b.advance_clock(at("2025-06-01 12:00")).await.unwrap();
    let q = b.return_bike(BIKE, ST, DockOutcome::Locked).await.unwrap();
    assert_eq!(
        q.map(|q| q.total),
        Some(Tenge(1_000)),
        "four hours: 1 000 ₸"
    );
    b.advance_clock(at("2025-06-01 12:30")).await.unwrap();
    b.rent(RiderId(2), BIKE, "1234").await.unwrap();
    let ev = b
        .dispute(RiderId(1), DisputeQuery::default())
        .await
        .unwrap();
    assert!(!ev.open);
    let fair = ev.fair.expect("a fair end");
    assert_eq!(fair.at, at("2025-06-01 08:40"));
    assert_eq!(
        ev.sightings[fair.proof].seen,
        Seen::NextRental { rider: RiderId(2) }
    );
    assert_eq!(
        ev.settlement,
        Some(Settlement::Credit { amount: Tenge(900) })
    );
    let before = b.rider(RiderId(1)).await.unwrap().rider.balance;
    let agent = b.acting("aigerim");
    let out = agent
        .execute(Op::SettleDispute {
            rider: RiderId(1),
            rental: Some(ev.rental),
            station: ST,
            at: ev.claim.at,
        })
        .await
        .unwrap();
    assert!(matches!(out, Outcome::Entry(_)), "{out:?}");
    let v = b.rider(RiderId(1)).await.unwrap();
    assert_eq!(v.rider.balance, before + Tenge(900));
    assert!(v.messages.iter().any(|m| m.kind == "dispute"));
    // R27, D34: the credit is told once, in the dispute's message.
    assert!(
        !v.messages.iter().any(|m| m.kind == "claim"),
        "{:?}",
        v.messages
    );
    let own = agent.own_audit(3).await.unwrap();
    assert!(own.iter().any(|r| r.action == "settle-dispute"));
    assert!(own.iter().any(|r| r.action == "credit-claim"));
    // Settled once: a second settlement would give the money twice.
    let again = b
        .dispute(RiderId(1), DisputeQuery::default())
        .await
        .unwrap();
    assert_eq!(again.no_case, Some(NoCase::AlreadySettled));
    let twice = agent
        .execute(Op::SettleDispute {
            rider: RiderId(1),
            rental: Some(ev.rental),
            station: ST,
            at: ev.claim.at,
        })
        .await;
    assert_eq!(refusal(twice), Refusal::Invalid);
    assert_eq!(
        b.rider(RiderId(1)).await.unwrap().rider.balance,
        before + Tenge(900)
    );
}

/// The dispute without evidence says why; a rider with no trip has nothing to dispute.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_trip_no_proof_and_a_report_elsewhere_are_refused_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    assert_eq!(
        refusal(b.dispute(RiderId(3), DisputeQuery::default()).await),
        Refusal::NotFound
    );
    lock_error(&b).await;
    b.advance_clock(at("2025-06-01 10:00")).await.unwrap();
    let ev = b
        .dispute(
            RiderId(1),
            DisputeQuery {
                station: Some(ST),
                at: Some(at("2025-06-01 08:40")),
                ..DisputeQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(ev.no_case, Some(NoCase::NoProof));
    match b
        .acting("aigerim")
        .execute(Op::SettleDispute {
            rider: RiderId(1),
            rental: None,
            station: ST,
            at: at("2025-06-01 08:40"),
        })
        .await
    {
        Err(BackendError::Refused { kind, message }) => {
            assert_eq!(kind, Refusal::Invalid);
            assert!(
                message.contains("no evidence that the bike stayed"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(b.rider(RiderId(1)).await.unwrap().open_rental.is_some());
}

/// Issue 17 #3: three failed returns at one dock within 24 hours raise a faulty-dock alert
/// for the depot, naming the station and the dock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_lock_errors_at_one_dock_within_a_day_alert_the_depot() {
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    let faulty = |alerts: &[velodesk::api::Alert]| {
        alerts
            .iter()
            .filter(|a| a.kind == AlertKind::FaultyDock)
            .map(|a| (a.station, a.dock))
            .collect::<Vec<_>>()
    };
    b.rent(RiderId(1), BIKE, "1234").await.unwrap();
    for (i, t) in ["2025-06-01 08:10", "2025-06-01 08:20"].iter().enumerate() {
        b.advance_clock(at(t)).await.unwrap();
        b.return_bike(BIKE, ST, DockOutcome::LockError)
            .await
            .unwrap();
        assert!(
            faulty(&b.alerts().await.unwrap()).is_empty(),
            "{i}: not yet"
        );
    }
    b.advance_clock(at("2025-06-01 08:30")).await.unwrap();
    b.return_bike(BIKE, ST, DockOutcome::Unrecognised)
        .await
        .unwrap();
    let dock = b
        .station(ST)
        .await
        .unwrap()
        .docks
        .iter()
        .find(|d| d.bike.is_none())
        .map(|d| d.number);
    assert_eq!(faulty(&b.alerts().await.unwrap()), vec![(Some(ST), dock)]);
    // A day later the pattern has aged out.
    b.advance_clock(at("2025-06-02 08:31")).await.unwrap();
    assert!(faulty(&b.alerts().await.unwrap()).is_empty());
}

/// Issue 17 #3 with the station's word for the dock: a station names the dock the bike was
/// pushed into (`POST /station/{id}/dock` with `dock`), so lock errors at three docks are
/// three bad pushes, not a faulty dock, and three at one dock are; a dock the station does
/// not have or one that holds a bike is refused, and nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_station_names_the_dock_and_three_failures_there_alert_the_depot() {
    let mut s = TestServer::start().await;
    let admin = RemoteBackend::connect(&s.url, "ada", &password("ada"))
        .await
        .unwrap();
    let key = format!("Station {}", support::station_key(&s.db, 1));
    let station = |path: &str, body: serde_json::Value| {
        support::client()
            .post(format!("{}/station/1/{path}", s.url))
            .header("authorization", key.clone())
            .json(&body)
            .send()
    };
    let rent = serde_json::json!({"rider": 1, "bike": 1, "pin": "1234"});
    assert_eq!(station("unlock", rent).await.unwrap().status(), 200);
    let pull = station("pull", serde_json::json!({"bike": 1}))
        .await
        .unwrap();
    assert_eq!(pull.status(), 200);
    let reports = || {
        let c = rusqlite::Connection::open(&s.db).unwrap();
        c.query_row("SELECT COUNT(*) FROM dock_reports", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap()
    };
    let push = |body: serde_json::Value| station("dock", body);
    let faulty = || async {
        admin
            .alerts()
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.kind == AlertKind::FaultyDock)
            .map(|a| (a.station, a.dock))
            .collect::<Vec<_>>()
    };
    // Station 1 has ten docks; bike 3 stands in dock 3.
    for (dock, says) in [(11, "no dock 11"), (3, "dock 3"), (0, "no dock 0")] {
        let r = push(serde_json::json!({"bike": 1, "lock_error": true, "dock": dock}))
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "dock {dock}");
        let body = r.text().await.unwrap();
        assert!(body.contains(says), "{body}");
    }
    assert_eq!(reports(), 0, "a refused push leaves no report");
    let mut clock = at("2025-06-01 08:10");
    for dock in [7, 8, 9, 7, 7] {
        let before = faulty().await;
        assert!(before.is_empty(), "not yet at dock {dock}: {before:?}");
        admin.advance_clock(clock).await.unwrap();
        clock += chrono::Duration::minutes(5);
        let r = push(serde_json::json!({"bike": 1, "lock_error": true, "dock": dock}))
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    assert_eq!(faulty().await, vec![(Some(ST), Some(7))]);
    // The rider tries dock 1 (bike 1's own, empty since the rental): locked.
    let r = push(serde_json::json!({"bike": 1, "dock": 1}))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let st = admin.station(ST).await.unwrap();
    let one = st.docks.iter().find(|d| d.number == 1).unwrap();
    assert_eq!(one.bike, Some(BIKE), "in the dock the station named");
    assert!(admin.rider(RiderId(1)).await.unwrap().open_rental.is_none());
    s.stop().await;
}
