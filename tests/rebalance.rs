//! Issue #16 as a user meets it: the simulator records a failed return at a full station
//! and what the rider did next; the database keeps when stations were empty or full for
//! the forecast; `velodesk bench rebalance` runs a small city and ends with the line the
//! scripts read.

use std::process::Command;
use velodesk::sim::city::{self, CityOptions, Fill};
use velodesk::sim::record::{AttemptKind, Outcome, Then};
use velodesk::sim::{DepotMode, SimConfig, Simulator, Speed, demo};

fn quiet(_: &str, _: u64, _: u64) {}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// A synthetic city of `n` stations, every dock holding a bike.
fn full_city(n: u32) -> CityOptions {
    let mut o = CityOptions::almaty(4);
    o.city = format!("synthetic:{n}");
    o.riders = 120;
    o.fill = Fill::Percent(100);
    o.history_days = 0;
    o
}

#[test]
fn a_full_station_yields_a_failed_return_and_the_rider_rides_on_or_calls() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("full.db");
    let rt = runtime();
    let record = rt.block_on(async {
        city::build(&db, &full_city(6), &quiet).await.unwrap();
        let backend = demo::open(&db).await.unwrap();
        let start = backend.now().await.unwrap();
        let mut cfg = SimConfig::new(5, Speed::Max);
        cfg.until = Some(start + chrono::Duration::hours(6));
        cfg.depot = DepotMode::Maintenance;
        let (_stop, stop) = tokio::sync::watch::channel(false);
        let (_, record) = Simulator::new(backend.clone(), cfg)
            .run_recorded(stop)
            .await
            .unwrap();
        assert_eq!(backend.verify_fleet().await.unwrap(), vec![]);
        record
    });
    let fails: Vec<_> = record
        .attempts
        .iter()
        .filter(|a| a.kind == AttemptKind::Return && matches!(a.outcome, Outcome::Full(_)))
        .collect();
    assert!(
        !fails.is_empty(),
        "no failed return in a full city: {:?}",
        record.kpis
    );
    assert!(
        fails
            .iter()
            .any(|a| matches!(a.outcome, Outcome::Full(Then::RodeOn(s)) if s != a.station)),
        "some ride on to another station"
    );
    assert!(
        fails
            .iter()
            .any(|a| a.outcome == Outcome::Full(Then::CalledForCableLock)),
        "some call for a cable lock"
    );
    let k = &record.kpis;
    assert_eq!(k.return_failed as usize, fails.len());
    assert!(
        k.return_attempts > k.return_failed && k.rent_attempts > 0,
        "{k:?}"
    );
    assert!(k.full_min > 0.0, "stations were full for a while: {k:?}");
    // The database kept when the stations were full, for the forecast.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let full: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM station_states WHERE state = 'full'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let ok: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM station_states WHERE state = 'ok'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(full > 0 && ok > 0, "full {full}, ok {ok}");
}

#[test]
fn a_small_bench_run_prints_the_line_scripts_read() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_velodesk"))
        .args([
            "bench",
            "rebalance",
            "--days",
            "1",
            "--city",
            "synthetic:12",
            "--riders",
            "150",
            "--history-days",
            "1",
            "--dir",
            dir.path().to_str().unwrap(),
        ])
        .output()
        .expect("the velodesk binary runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = text.lines().last().unwrap_or_default();
    let words: Vec<&str> = last.split(' ').collect();
    assert_eq!(
        words.iter().enumerate().filter(|(i, _)| ![4, 8, 13, 16].contains(i)).map(|(_, w)| *w).collect::<Vec<_>>(),
        "rebalance: lost demand P2/P1 _ empty/full minutes P2/P1 _ van-km per bike P2/P1 _ plan p95 _ s"
            .split(' ')
            .filter(|w| *w != "_")
            .collect::<Vec<_>>(),
        "{last}"
    );
    for i in [4, 8, 13, 16] {
        let n = words[i].trim_end_matches(',');
        assert!(
            n.parse::<f64>().is_ok() && n.contains('.'),
            "{n:?} in {last}"
        );
    }
    for policy in ["P0 no rebalancing", "P1 greedy moves", "P2 van plan"] {
        assert!(text.contains(policy), "{text}");
    }
}
