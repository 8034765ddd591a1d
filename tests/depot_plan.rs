//! The depot's van plan through the one door (issue #16): the engine computes it from what
//! the database holds and keeps it, so a console on the server sees the plan a console on
//! the same system in-process sees; a van's stop is one audited operation after which the
//! plan is computed again (the van starts where the stop was, carrying what it took); it is
//! computed again 15 minutes after its facts, not before; and only depot staff, supervisors
//! and admins read it, only depot staff (their own van) and admins do a stop.

#[path = "support/demand.rs"]
mod demand;
mod support;

use chrono::Duration;
use std::path::Path;
use std::sync::Arc;
use support::*;
use velodesk::api::{AuditFilter, BackendError, BikeState, VanStopRequest};
use velodesk::backend::Ops;
use velodesk::backend::{Backend, LocalBackend, RemoteBackend};
use velodesk::clock::SimClock;
use velodesk::domain::{BikeId, Refusal, RiderId, StationId};
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;

/// The test city (station 1: 10 docks, 6 bikes; station 2: 4 docks, full) with two weeks
/// of riders going from 1 to 2, twelve an hour: 1 empties, 2 overflows.
fn demand_city(db: &Path) {
    city(db);
    let c = rusqlite::Connection::open(db).unwrap();
    let end = at(START);
    demand::trips(
        &c,
        1,
        2,
        end - Duration::days(14),
        end,
        Duration::minutes(5),
    );
}

fn local_on(db: &Path) -> LocalBackend {
    let engine = Engine::new(Store::open(db).unwrap(), Settings::default()).unwrap();
    LocalBackend::start(engine, Arc::new(SimClock::new(at(START))), "local")
}

fn refusal<T: std::fmt::Debug>(r: Result<T, BackendError>) -> Option<Refusal> {
    match r {
        Err(e) => e.refusal(),
        Ok(v) => panic!("not refused: {v:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_on_a_server_is_the_local_one_and_a_stop_recomputes_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    demand_city(&db);
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    let local = local_on(&copy);
    let mut s = TestServer::on(dir, db).await;
    let ada = RemoteBackend::connect(&s.url, "ada", &password("ada"))
        .await
        .unwrap();
    let dana = RemoteBackend::connect(&s.url, "dana", &password("dana"))
        .await
        .unwrap();

    // The same facts at the same time: the same plan, whichever way it is asked.
    let here = local.as_staff("ada").rebalance_plan(false).await.unwrap();
    let there = ada.as_staff("ada").rebalance_plan(false).await.unwrap();
    assert_eq!(here, there, "the server's plan is the in-process one");
    assert_eq!(there.vans.len(), 2, "two vans by default");
    assert!(there.vans.iter().all(|v| v.capacity == 20));
    assert_eq!(there.yours, None, "an admin drives no van");
    let risky: Vec<StationId> = there.at_risk.iter().map(|r| r.station).collect();
    assert!(
        risky.contains(&StationId(1)) && risky.contains(&StationId(2)),
        "1 runs out of bikes and 2 of docks within the hour: {:?}",
        there.at_risk
    );
    let full = there.at_risk.iter().find(|r| r.station == StationId(2));
    assert!(
        full.is_some_and(|r| r.full > r.empty),
        "2 is at risk of FULL"
    );

    // Depot staff see their own van: dana, the only depot member, drives van 1.
    let mine = dana.as_staff("dana").rebalance_plan(false).await.unwrap();
    assert_eq!(mine.yours, Some(1));
    assert_eq!(mine.vans[0].driver.as_deref(), Some("dana"));
    assert_eq!(mine.vans[0].at, None, "van 1 starts at the depot");
    assert!(there.avoided > 0.0, "the plan avoids failures");
    let route = &mine.vans[0].stops;
    let first = route.first().expect("van 1 has stops").clone();
    assert_eq!(first.station, StationId(2), "the overflowing station first");
    assert!(first.take > 0 && first.leave == 0, "{first:?}");
    assert!(
        route
            .iter()
            .any(|s| s.station == StationId(1) && s.leave > 0),
        "then leaves bikes where they run out: {route:?}"
    );

    // The stop, as planned: the station's first bikes into van 1.
    let v = dana.station(StationId(2)).await.unwrap();
    let take: Vec<BikeId> = v
        .bikes
        .iter()
        .filter(|b| b.state == BikeState::Docked)
        .take(first.take as usize)
        .map(|b| b.id)
        .collect();
    let done = dana
        .as_staff("dana")
        .van_stop(&VanStopRequest {
            van: 1,
            station: StationId(2),
            take: take.clone(),
            leave: vec![],
            repair: vec![],
        })
        .await
        .unwrap();
    assert_eq!(done.load, first.take, "the van holds what it took");
    let v = ada.station(StationId(2)).await.unwrap();
    assert_eq!(v.station.bikes, 4 - first.take, "the station gave them");
    for b in &take {
        assert_eq!(ada.bike(*b).await.unwrap().state, BikeState::Van);
    }

    // Computed again at once: van 1 starts at station 2 with its load, the stop is done.
    let after = ada.as_staff("ada").rebalance_plan(false).await.unwrap();
    let van = &after.vans[0];
    assert_eq!(van.at, Some(StationId(2)));
    assert_eq!(van.bikes, take);
    assert!(
        van.stops.iter().all(|s| s.station != StationId(2)),
        "the stop done is no longer planned: {:?}",
        van.stops
    );
    assert!(
        van.stops
            .first()
            .is_some_and(|s| s.station == StationId(1) && s.leave > 0),
        "next it leaves what it carries: {:?}",
        van.stops
    );

    // One audit record for the whole stop.
    let records = ada
        .as_staff("ada")
        .audit(AuditFilter {
            action: Some("van-stop".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].staff, "dana");
    assert_eq!(records[0].target, "van 1 at station 2");
    assert!(
        records[0]
            .details
            .starts_with(&format!("took {}", first.take)),
        "{}",
        records[0].details
    );
    s.stop().await;
}

#[tokio::test]
async fn the_plan_is_kept_for_15_minutes_then_computed_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    demand_city(&db);
    let b = local_on(&db);
    let first = b.as_staff("dana").rebalance_plan(false).await.unwrap();
    assert_eq!(first.computed_at, at(START));
    assert_eq!(first.next_at, at(START) + Duration::minutes(15));
    // A rider takes a bike: the plan stands until its time is up (or a stop is done).
    b.rent(RiderId(1), BikeId(1), "1234").await.unwrap();
    b.advance_clock(at(START) + Duration::minutes(10))
        .await
        .unwrap();
    let kept = b.as_staff("dana").rebalance_plan(false).await.unwrap();
    assert_eq!(kept, first, "the same plan within 15 minutes");
    // Asked afresh, it is computed now.
    let fresh = b.as_staff("dana").rebalance_plan(true).await.unwrap();
    assert_eq!(fresh.computed_at, at(START) + Duration::minutes(10));
    b.advance_clock(at(START) + Duration::minutes(26))
        .await
        .unwrap();
    let later = b.as_staff("dana").rebalance_plan(false).await.unwrap();
    assert_eq!(later.computed_at, at(START) + Duration::minutes(26));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_may_neither_read_the_plan_nor_do_a_stop() {
    let mut s = TestServer::start().await;
    let aigerim = RemoteBackend::connect(&s.url, "aigerim", &password("aigerim"))
        .await
        .unwrap();
    let stop = VanStopRequest {
        van: 1,
        station: StationId(1),
        take: vec![BikeId(3)],
        leave: vec![],
        repair: vec![],
    };
    assert_eq!(
        refusal(aigerim.as_staff("aigerim").rebalance_plan(false).await),
        Some(Refusal::Forbidden)
    );
    assert_eq!(
        refusal(aigerim.as_staff("aigerim").van_stop(&stop).await),
        Some(Refusal::Forbidden)
    );
    // A supervisor reads the plan but does no stop.
    let sergey = RemoteBackend::connect(&s.url, "sergey", &password("sergey"))
        .await
        .unwrap();
    assert!(
        sergey
            .as_staff("sergey")
            .rebalance_plan(false)
            .await
            .is_ok()
    );
    assert_eq!(
        refusal(sergey.as_staff("sergey").van_stop(&stop).await),
        Some(Refusal::Forbidden)
    );
    // Depot staff drive their own van only; there is no van 3.
    let dana = RemoteBackend::connect(&s.url, "dana", &password("dana"))
        .await
        .unwrap();
    let other = VanStopRequest {
        van: 2,
        ..stop.clone()
    };
    assert_eq!(
        refusal(dana.as_staff("dana").van_stop(&other).await),
        Some(Refusal::Forbidden)
    );
    let none = VanStopRequest {
        van: 3,
        ..stop.clone()
    };
    assert_eq!(
        refusal(dana.as_staff("dana").van_stop(&none).await),
        Some(Refusal::Invalid)
    );
    // Nothing of the refused stops happened.
    let bike = dana.bike(BikeId(3)).await.unwrap();
    assert_eq!(bike.state, BikeState::Docked);
    assert_eq!(bike.station, Some(StationId(1)));
    // Locally the same.
    s.stop().await;
    let local = local_on(&s.db);
    assert_eq!(
        refusal(local.as_staff("aigerim").rebalance_plan(false).await),
        Some(Refusal::Forbidden)
    );
}

#[tokio::test]
async fn a_stop_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    city(&db);
    let b = local_on(&db);
    // Bike 7 stands at station 2, not 1: the whole stop is refused, bike 3 stays docked.
    let stop = VanStopRequest {
        van: 1,
        station: StationId(1),
        take: vec![BikeId(3), BikeId(7)],
        leave: vec![],
        repair: vec![],
    };
    assert_eq!(
        refusal(b.as_staff("dana").van_stop(&stop).await),
        Some(Refusal::BikeUnavailable)
    );
    assert_eq!(b.bike(BikeId(3)).await.unwrap().state, BikeState::Docked);
    // A bike not in this van cannot be left; nor can a van take more than it holds.
    let leave = VanStopRequest {
        take: vec![],
        leave: vec![BikeId(3)],
        ..stop.clone()
    };
    assert_eq!(
        refusal(b.as_staff("dana").van_stop(&leave).await),
        Some(Refusal::BikeUnavailable)
    );
    let done = b
        .as_staff("dana")
        .van_stop(&VanStopRequest {
            take: vec![BikeId(3), BikeId(4)],
            ..stop.clone()
        })
        .await
        .unwrap();
    assert_eq!((done.taken, done.load), (2, 2));
    // And back: left at station 1's free docks.
    let back = b
        .as_staff("dana")
        .van_stop(&VanStopRequest {
            take: vec![],
            leave: vec![BikeId(4)],
            ..stop.clone()
        })
        .await
        .unwrap();
    assert_eq!((back.left, back.load), (1, 1));
    let bike = b.bike(BikeId(4)).await.unwrap();
    assert_eq!(
        (bike.state, bike.station),
        (BikeState::Docked, Some(StationId(1)))
    );
}

/// A bike reported faulty (R13) waits at its station; at a stop it goes to repair, never into
/// the van to be left somewhere else, and the console's form names it first.
#[tokio::test]
async fn r13_a_faulty_bike_goes_to_repair_at_a_stop_not_into_the_van() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    city(&db);
    let b = local_on(&db);
    b.rent(RiderId(1), BikeId(1), "1234").await.unwrap();
    b.return_bike(
        BikeId(1),
        StationId(1),
        velodesk::backend::DockOutcome::Faulty,
    )
    .await
    .unwrap();
    assert!(b.bike(BikeId(1)).await.unwrap().faulty);
    let stop = |take: Vec<BikeId>, repair: Vec<BikeId>| VanStopRequest {
        van: 1,
        station: StationId(1),
        take,
        leave: vec![],
        repair,
    };
    assert_eq!(
        refusal(
            b.as_staff("dana")
                .van_stop(&stop(vec![BikeId(1)], vec![]))
                .await
        ),
        Some(Refusal::Invalid),
        "a faulty bike is not taken to be left elsewhere"
    );
    assert_eq!(
        refusal(
            b.as_staff("dana")
                .van_stop(&stop(vec![], vec![BikeId(2)]))
                .await
        ),
        Some(Refusal::Invalid),
        "a sound bike is not sent to repair"
    );
    // The form's choice at this station: the faulty one to repair, two sound ones to take.
    let view = b.station(StationId(1)).await.unwrap();
    let planned = velodesk::api::PlannedStop {
        station: StationId(1),
        take: 2,
        leave: 0,
        arrive: at(START),
        load_after: 2,
    };
    let choice = velodesk::tui::views::rebalance::stop_choice(&planned, &view, &[]);
    assert_eq!(choice.repair, vec![BikeId(1)]);
    assert_eq!(choice.take.len(), 2);
    assert!(!choice.take.contains(&BikeId(1)));
    let done = b
        .as_staff("dana")
        .van_stop(&stop(choice.take.clone(), choice.repair.clone()))
        .await
        .unwrap();
    assert_eq!((done.repaired, done.taken, done.load), (1, 2, 2));
    let bike = b.bike(BikeId(1)).await.unwrap();
    assert_eq!(bike.state, BikeState::Repair);
    assert_eq!(
        b.verify_fleet().await.unwrap(),
        vec![],
        "every bike in one place"
    );
}
