//! `LocalBackend` on a database file as a server runs it: look-ups on their own connections
//! beside the writer, and group commit. What a desk would notice: a rider's view answers
//! while a long write runs, a payment acknowledged is there when the view is opened next,
//! and many riders paying at once are each counted once.

use chrono::{DateTime, NaiveDate, Utc};
use std::sync::Arc;
use std::time::Duration;
use velodesk::api::NewRider;
use velodesk::api::PayMethod;
use velodesk::backend::Ops;
use velodesk::backend::{Backend, LocalBackend};
use velodesk::clock::SimClock;
use velodesk::domain::tariff::bundled;
use velodesk::domain::time::parse_local;
use velodesk::domain::{RiderId, Tenge};
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;

fn at(s: &str) -> DateTime<Utc> {
    parse_local(chrono_tz::Asia::Almaty, s).unwrap()
}

/// A system in a file with `riders` riders and no money, started as a backend.
fn backend(dir: &tempfile::TempDir, riders: i64) -> LocalBackend {
    let store = Store::open(&dir.path().join("city.db")).unwrap();
    let source = bundled("astana").unwrap();
    let mut engine = Engine::init(store, "astana", source, Settings::default()).unwrap();
    let start = at("2025-06-01 08:00");
    engine.advance_to(start).unwrap();
    for id in 1..=riders {
        engine
            .add_rider(&NewRider {
                id: Some(RiderId(id)),
                surname: format!("Rider{id}"),
                born: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
                resident: true,
                lang: "kk".into(),
                pin: "1234".into(),
                ..NewRider::default()
            })
            .unwrap();
    }
    LocalBackend::start(engine, Arc::new(SimClock::new(start)), "test file")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_riders_view_answers_while_a_long_write_holds_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let b = Arc::new(backend(&dir, 3));
    // A write that holds the writer until the test lets it go (a night's posting, say).
    let (release, held) = std::sync::mpsc::channel::<()>();
    let held = std::sync::Mutex::new(held);
    let writer = {
        let b = b.clone();
        tokio::spawn(async move {
            b.call(move |_| {
                let _ = held.lock().unwrap().recv_timeout(Duration::from_secs(30));
                Ok(())
            })
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let view = tokio::time::timeout(Duration::from_secs(10), b.rider(RiderId(2)))
        .await
        .expect("the look-up does not wait for the writer")
        .unwrap();
    assert_eq!(view.rider.surname, "Rider2");
    let hits = tokio::time::timeout(Duration::from_secs(10), b.search_riders("rider3", 5))
        .await
        .expect("nor does a search")
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert!(!writer.is_finished(), "the write was still running");
    release.send(()).unwrap();
    writer.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payments_made_at_once_are_each_kept_once_and_read_back_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let b = Arc::new(backend(&dir, 20));
    // Twenty riders pay at the same moment (a batch or several), five times each; after
    // each acknowledged payment the rider's view already shows it.
    let mut tasks = Vec::new();
    for id in 1..=20 {
        let b = b.clone();
        tasks.push(tokio::spawn(async move {
            for n in 1..=5 {
                b.pay(RiderId(id), Tenge(100), PayMethod::Card)
                    .await
                    .unwrap();
                let seen = b.rider(RiderId(id)).await.unwrap().available;
                assert_eq!(seen, Tenge(100 * n), "rider {id} after payment {n}");
            }
            // A refused payment among them changes nothing of the others'.
            let refused = b.pay(RiderId(id), Tenge(-5), PayMethod::Card).await;
            assert!(refused.is_err());
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    for id in 1..=20 {
        assert_eq!(b.rider(RiderId(id)).await.unwrap().available, Tenge(500));
    }
    assert_eq!(
        b.verify().await.unwrap(),
        vec![],
        "D9: balances match the ledger"
    );
    // What was acknowledged is on disk: a fresh connection sees every payment.
    let mut store = Store::open(&dir.path().join("city.db")).unwrap();
    let payments: i64 = store
        .read(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM ledger WHERE kind = 'payment'",
                [],
                |r| r.get(0),
            )
            .map_err(velodesk::store::StoreError::from)
        })
        .unwrap();
    assert_eq!(payments, 100);
}
