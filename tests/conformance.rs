//! One behaviour, two backends: the same operations against `LocalBackend` and against
//! `RemoteBackend` → a real server on 127.0.0.1:0, from the same starting city, give the
//! same transcript: values, refusal kinds, balances, audit and the events observed.

mod support;

use chrono::Duration;
use std::collections::HashMap;
use std::sync::Arc;
use support::*;
use tokio::sync::broadcast;
use velodesk::api::AuditFilter;
use velodesk::api::Event;
use velodesk::api::PayMethod;
use velodesk::backend::Ops;
use velodesk::backend::{Backend, DockOutcome, LocalBackend, RemoteBackend};
use velodesk::clock::SimClock;
use velodesk::domain::tariff::FineKind;
use velodesk::domain::{BikeId, RiderId, StationId, Tenge};
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;

/// A system as the suite sees it: a backend per staff member, and one for the docks.
struct Sys {
    staff: HashMap<&'static str, Arc<dyn Backend>>,
    docks: Arc<dyn Backend>,
}

impl Sys {
    fn by(&self, name: &str) -> &Arc<dyn Backend> {
        &self.staff[name]
    }
}

/// The transcript of a run: one line per observable outcome.
#[derive(Default)]
struct Log(Vec<String>);

impl Log {
    fn add<T: std::fmt::Debug>(&mut self, what: &str, r: &Result<T, velodesk::api::BackendError>) {
        let line = match r {
            Ok(v) => format!("{what}: ok {v:?}"),
            Err(e) => format!(
                "{what}: refused {}",
                e.refusal()
                    .map(|k| k.to_string())
                    .unwrap_or_else(|| match e {
                        velodesk::api::BackendError::Conflict { .. } => "conflict".into(),
                        velodesk::api::BackendError::Unavailable { .. } => "unavailable".into(),
                        _ => format!("{e}"),
                    })
            ),
        };
        self.0.push(line);
    }
}

async fn suite(sys: &Sys) -> Vec<String> {
    let mut log = Log::default();
    let (ada, agent, other, depot, sup) = (
        sys.by("ada"),
        sys.by("aigerim"),
        sys.by("bolat"),
        sys.by("dana"),
        sys.by("sergey"),
    );
    let docks = &sys.docks;
    let (r1, r2, r3, r4) = (RiderId(1), RiderId(2), RiderId(3), RiderId(4));
    let (s1, s2) = (StationId(1), StationId(2));
    let mut now = agent.now().await.unwrap();
    log.add("now", &Ok::<_, velodesk::api::BackendError>(now));

    // Money at the desk.
    log.add(
        "pay",
        &agent
            .as_staff("aigerim")
            .pay(r1, Tenge(500), PayMethod::Cash)
            .await,
    );
    log.add("buy", &agent.as_staff("aigerim").buy(r2, "monthly").await);
    log.add(
        "deposit",
        &agent
            .as_staff("aigerim")
            .hold_deposit(r3, Tenge(37_500))
            .await,
    );

    // A trip: rent, ride 20 minutes, return.
    log.add("rent", &docks.rent(r1, BikeId(1), "1234").await);
    now += Duration::minutes(20);
    log.add("clock", &ada.advance_clock(now).await);
    log.add(
        "return",
        &docks.return_bike(BikeId(1), s1, DockOutcome::Locked).await,
    );

    // A full station: refused, call, permission, cable lock (R14).
    log.add("rent 2", &docks.rent(r2, BikeId(2), "1234").await);
    now += Duration::minutes(10);
    log.add("clock", &ada.advance_clock(now).await);
    log.add(
        "return full",
        &docks.return_bike(BikeId(2), s2, DockOutcome::Locked).await,
    );
    log.add(
        "cable lock early",
        &docks.cable_lock(BikeId(2), s2, "1234").await,
    );
    log.add("call", &docks.call_cable_lock(r2, s2).await);
    log.add(
        "permit",
        &agent.as_staff("aigerim").authorise_cable_lock(r2, s2).await,
    );
    log.add("cable lock", &docks.cable_lock(BikeId(2), s2, "1234").await);

    // A rental ended by hand (R12).
    log.add("rent 3", &docks.rent(r3, BikeId(3), "1234").await);
    now += Duration::minutes(30);
    log.add("clock", &ada.advance_clock(now).await);
    let left = now - Duration::minutes(5);
    log.add("preview", &agent.preview_end(r3, left).await);
    log.add(
        "end by hand",
        &agent
            .as_staff("aigerim")
            .end_rental(r3, s1, left, "dock broken")
            .await,
    );

    // A fine above the threshold waits for a supervisor (D14).
    log.add(
        "fine",
        &agent
            .as_staff("aigerim")
            .fine(r1, FineKind::Damage, Some(Tenge(60_000)), None, "wheel")
            .await,
    );
    log.add(
        "approve as agent",
        &other.as_staff("bolat").approve_fine(r1).await,
    );
    log.add("approve", &sup.as_staff("sergey").approve_fine(r1).await);

    // Refund ends the contract (R25).
    log.add("refund", &agent.as_staff("aigerim").refund(r4).await);

    // Errors of each kind.
    log.add("bad pin", &docks.rent(r2, BikeId(4), "0000").await);
    log.add("blocked rider", &docks.rent(r4, BikeId(4), "1234").await);
    log.add(
        "no rider",
        &agent
            .as_staff("aigerim")
            .pay(RiderId(999), Tenge(1), PayMethod::Cash)
            .await,
    );
    log.add(
        "negative",
        &agent
            .as_staff("aigerim")
            .pay(r1, Tenge(-5), PayMethod::Cash)
            .await,
    );
    log.add(
        "depot pays",
        &depot
            .as_staff("dana")
            .pay(r1, Tenge(5), PayMethod::Cash)
            .await,
    );
    log.add(
        "agent gives bonus",
        &agent
            .as_staff("aigerim")
            .give_bonus(r1, Tenge(5), "x")
            .await,
    );
    let mut twin = new_rider(60);
    twin.card = Some("CARD-60".into());
    log.add("add rider", &agent.add_rider(twin.clone()).await);
    twin.id = Some(RiderId(61));
    log.add("same card", &agent.add_rider(twin).await);
    log.add(
        "no station",
        &depot
            .as_staff("dana")
            .dock_out_of_service(StationId(77), None)
            .await,
    );
    log.add(
        "depot",
        &depot.as_staff("dana").dock_out_of_service(s1, None).await,
    );

    // What the desk sees afterwards.
    for r in [r1, r2, r3, r4] {
        let v = agent.rider(r).await.map(|v| {
            (
                v.rider.balance,
                v.rider.bonus,
                v.rider.deposit,
                v.available,
                v.debt,
                v.pass.map(|p| p.pass),
                v.open_rental.map(|o| o.rental.bike),
                v.trip_count,
                v.ledger.len(),
                v.fines.len(),
                v.rider.blocked_reason,
            )
        });
        log.add(&format!("rider {r}"), &v);
    }
    log.add("verify", &sup.verify().await);
    log.add(
        "stations",
        &agent.stations().await.map(|s| {
            s.into_iter()
                .map(|s| {
                    (
                        s.id,
                        s.bikes,
                        s.free_docks,
                        s.out_of_service,
                        s.cable_locked,
                    )
                })
                .collect::<Vec<_>>()
        }),
    );
    log.add(
        "alerts",
        &agent.alerts().await.map(|a| {
            a.into_iter()
                .map(|a| (a.kind, a.rider, a.station))
                .collect::<Vec<_>>()
        }),
    );
    let audit = sup
        .as_staff("sergey")
        .audit(AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .map(|a| {
            a.into_iter()
                // The server also audits set-up calls under the caller's name (the engine's
                // set-up operations take no staff member): those are the one difference.
                .filter(|r| {
                    !matches!(
                        r.action.as_str(),
                        "add-rider" | "station-key" | "advance-clock"
                    )
                })
                .map(|r| (r.staff, r.action, r.rider, r.reason))
                .collect::<Vec<_>>()
        });
    log.add("audit", &audit);
    log.0
}

/// Every event until the stream is quiet for a while.
async fn drain(rx: &mut broadcast::Receiver<(i64, Event)>) -> Vec<(i64, Event)> {
    let mut out = Vec::new();
    while let Ok(Ok(e)) =
        tokio::time::timeout(std::time::Duration::from_millis(700), rx.recv()).await
    {
        out.push(e);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_and_remote_backends_give_the_same_transcript_and_events() {
    // Local: the city in its own file, the engine in-process.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("local.db");
    city(&db);
    let engine = Engine::new(Store::open(&db).unwrap(), Settings::default()).unwrap();
    let local: Arc<dyn Backend> = Arc::new(LocalBackend::start(
        engine,
        Arc::new(SimClock::new(at(START))),
        "test",
    ));
    let sys = Sys {
        staff: STAFF.iter().map(|(n, _)| (*n, local.clone())).collect(),
        docks: local.clone(),
    };
    let mut rx = local.subscribe();
    let local_log = suite(&sys).await;
    let local_events = drain(&mut rx).await;

    // Remote: the same city behind a server, a console per staff member.
    let mut srv = TestServer::start().await;
    let mut staff: HashMap<&'static str, Arc<dyn Backend>> = HashMap::new();
    let mut admin = None;
    for (name, _) in STAFF {
        let b = RemoteBackend::connect(&srv.url, name, &password(name))
            .await
            .unwrap();
        if name == "ada" {
            b.provision_station_keys().await.unwrap();
            admin = Some(Arc::new(b));
        } else {
            staff.insert(name, Arc::new(b));
        }
    }
    let admin = admin.unwrap();
    staff.insert("ada", admin.clone());
    let sys = Sys {
        staff,
        docks: admin.clone(),
    };
    let mut rx = admin.subscribe();
    let remote_log = suite(&sys).await;
    let remote_events = drain(&mut rx).await;

    for (i, (l, r)) in local_log.iter().zip(&remote_log).enumerate() {
        assert_eq!(l, r, "line {i} differs");
    }
    assert_eq!(local_log.len(), remote_log.len());
    assert!(
        local_log
            .iter()
            .any(|l| l.starts_with("return full: refused station-full"))
    );
    assert!(
        local_log
            .iter()
            .any(|l| l.starts_with("same card: refused conflict")),
        "{local_log:#?}"
    );
    assert!(!local_events.is_empty());
    assert_eq!(local_events, remote_events, "the events observed");
    srv.stop().await;
}
