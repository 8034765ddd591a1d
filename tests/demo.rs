//! The demo city and its simulator as a user meets them: `init --demo` builds the same
//! database from the same seed, a simulated day leaves the ledger and the fleet consistent,
//! trouble happens at its rates, and `velodesk check` catches a broken fleet.

use rusqlite::types::Value;
use std::path::Path;
use std::process::{Command, Output};
use velodesk::sim::city::{self, CityOptions, Fill};
use velodesk::sim::{SimConfig, Simulator, Speed, demo};

fn quiet(_: &str, _: u64, _: u64) {}

/// The whole map with fewer riders and bikes, for debug-build tests.
fn small(seed: u64, fill: u8, history_days: u32) -> CityOptions {
    let mut o = CityOptions::almaty(seed);
    o.riders = 150;
    o.fill = Fill::Percent(fill);
    o.history_days = history_days;
    o
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

fn velodesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_velodesk"))
        .args(args)
        .output()
        .expect("the velodesk binary runs")
}

fn text(o: &Output) -> (String, String, i32) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().expect("exited"),
    )
}

type Tables = Vec<(String, Vec<Vec<Value>>)>;

/// Every table's rows, in insertion order.
fn content(path: &Path) -> Tables {
    let c = rusqlite::Connection::open(path).expect("opens");
    let mut st = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    let tables: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let mut st = c
                .prepare(&format!("SELECT * FROM {t} ORDER BY rowid"))
                .unwrap();
            let n = st.column_count();
            let rows = st
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
                .unwrap()
                .collect::<Result<Vec<Vec<Value>>, _>>()
                .unwrap();
            (t, rows)
        })
        .collect()
}

fn rows(c: &Tables, table: &str) -> usize {
    c.iter()
        .find(|x| x.0 == table)
        .map(|x| x.1.len())
        .unwrap_or(0)
}

#[test]
fn the_same_seed_builds_the_same_city_and_another_seed_another() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a.db"),
        dir.path().join("b.db"),
        dir.path().join("c.db"),
    );
    let rt = runtime();
    let built = rt
        .block_on(city::build(&a, &small(7, 15, 1), &quiet))
        .unwrap();
    rt.block_on(city::build(&b, &small(7, 15, 1), &quiet))
        .unwrap();
    rt.block_on(city::build(&c, &small(8, 15, 1), &quiet))
        .unwrap();
    assert_eq!(built.stations, 190);
    assert!(
        built.history.trips_ended > 100,
        "a day of history: {:?}",
        built.history
    );
    let (ca, cb, cc) = (content(&a), content(&b), content(&c));
    for t in [
        "audit", "ledger", "rentals", "riders", "events", "messages", "bikes", "docks", "passes",
        "fines",
    ] {
        assert!(rows(&ca, t) > 0, "table {t} is empty");
    }
    assert_eq!(ca.len(), cb.len());
    for ((ta, ra), (_, rb)) in ca.iter().zip(&cb) {
        assert!(
            ra == rb,
            "table {ta} differs between two builds with seed 7"
        );
    }
    assert_ne!(ca, cc, "seed 8 built the same city as seed 7");
}

#[test]
fn a_simulated_day_keeps_the_books_and_the_fleet_and_has_its_trouble() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("day.db");
    let rt = runtime();
    rt.block_on(async {
        city::build(&db, &small(3, 40, 0), &quiet).await.unwrap();
        let backend = demo::open(&db).await.unwrap();
        let start = backend.now().await.unwrap();
        let mut cfg = SimConfig::new(3, Speed::Max);
        cfg.until = Some(start + chrono::Duration::hours(24));
        let sim = Simulator::new(backend.clone(), cfg);
        let live = sim.stats();
        let (_stop, stop) = tokio::sync::watch::channel(false);
        let s = sim.run(stop).await.unwrap();
        assert_eq!(*live.borrow(), s, "the live figures end where the run ends");
        assert_eq!(
            backend.now().await.unwrap(),
            start + chrono::Duration::hours(24)
        );
        assert!(s.trips_ended > 500, "{s:?}");
        // R12, R13, R14, R15: trouble happens at its rates over a day.
        assert!(
            s.lock_errors > 0 && s.faulty > 0 && s.kept_over_24h > 0,
            "{s:?}"
        );
        assert!(
            s.station_full > 0 && s.cable_calls > 0 && s.cable_locks > 0,
            "{s:?}"
        );
        assert!(
            s.calls_for_console > 0 && s.desk_authorisations > 0,
            "{s:?}"
        );
        assert!(s.no_pass + s.low_money + s.restricted > 0, "{s:?}");
        assert_eq!(s.unexpected, 0, "{s:?}");
        assert_eq!(
            backend.verify().await.unwrap(),
            vec![],
            "D9: balances equal their entries"
        );
        assert_eq!(
            backend.verify_fleet().await.unwrap(),
            vec![],
            "every bike in one place"
        );
        let out = backend.open_rentals().await.unwrap();
        assert!(
            !out.is_empty(),
            "the bikes kept long are still out at the end of the day (R15)"
        );
        // #15.4: the simulation works under its own accounts, never a person's.
        let audit = backend
            .as_staff("admin")
            .audit(velodesk::api::AuditFilter {
                limit: 100_000,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            audit.iter().any(|r| r.staff == "sim-desk"),
            "the simulated desk acts"
        );
        let human: Vec<_> = audit
            .iter()
            .filter(|r| ["aigerim", "nurlan", "saule"].contains(&r.staff.as_str()))
            .collect();
        assert!(
            human.is_empty(),
            "the simulation acted as a person: {:?}",
            human.first()
        );
    });
}

/// `velodesk init --demo almaty` in `db`: `riders` riders, a tenth of the docks filled,
/// no history (quick in a debug build), seed 5.
fn init_small_demo(db: &str, riders: u32) -> Output {
    let riders = riders.to_string();
    velodesk(&[
        "init",
        "--demo",
        "almaty",
        "--db",
        db,
        "--riders",
        &riders,
        "--fill",
        "10",
        "--history-days",
        "0",
        "--seed",
        "5",
    ])
}

#[test]
fn init_demo_then_demo_then_check_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("almaty.db");
    let db = db.to_str().unwrap();
    let (out, err, code) = text(&init_small_demo(db, 80));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Built the Almaty Bike demo city"), "{out}");
    assert!(
        out.contains("stations: 190 (178 active), 1938 docks"),
        "{out}"
    );
    assert!(err.is_empty(), "no progress bar in a pipe: {err:?}");

    let (out, err, code) = text(&velodesk(&[
        "demo", "--db", db, "--hours", "1", "--speed", "max",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("0 ledger mismatches, 0 fleet problems"),
        "{out}"
    );
    assert!(out.lines().count() <= 4, "compact in a pipe: {out}");
    assert!(!out.contains('\r'), "a pipe gets whole lines: {out:?}");

    let (out, _, code) = text(&velodesk(&["check", "--db", db]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("OK: 80 riders verified"), "{out}");
    assert!(
        out.contains("OK: fleet consistent at 190 stations"),
        "{out}"
    );

    let (_, err, code) = text(&velodesk(&["init", "--demo", "almaty", "--db", db]));
    assert_eq!(code, 2);
    assert!(err.contains("exists already"), "{err}");
    let other = dir.path().join("paris.db");
    let (_, err, code) = text(&velodesk(&[
        "init",
        "--demo",
        "paris",
        "--db",
        other.to_str().unwrap(),
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("no demo city \"paris\""), "{err}");
    assert!(!other.exists(), "a failed build leaves no file");
    let (_, err, code) = text(&velodesk(&["demo", "--speed", "fast"]));
    assert_eq!(code, 2);
    assert!(err.contains("expected `max` or a speed-up factor"), "{err}");
}

#[test]
fn check_catches_a_broken_fleet() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("broken.db");
    runtime()
        .block_on(city::build(&db, &small(9, 20, 0), &quiet))
        .unwrap();
    let (out, _, code) = text(&velodesk(&["check", "--db", db.to_str().unwrap()]));
    assert_eq!(code, 0, "{out}");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        // A docked bike also put in the van: in two places at once.
        c.execute(
            "UPDATE bikes SET state = 'van', station_id = NULL
             WHERE id = (SELECT MIN(bike_id) FROM docks WHERE bike_id IS NOT NULL)",
            [],
        )
        .unwrap();
        // A dock that lost its bike while the bike still says it is docked there.
        c.execute(
            "UPDATE docks SET bike_id = NULL WHERE bike_id = (SELECT MAX(bike_id) FROM docks)",
            [],
        )
        .unwrap();
    }
    let (out, _, code) = text(&velodesk(&["check", "--db", db.to_str().unwrap()]));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("OK: 150 riders verified"),
        "the ledger is fine: {out}"
    );
    assert!(
        out.contains("(dock-holds-other)") && out.contains("but van"),
        "{out}"
    );
    assert!(out.contains("(docked-without-dock)"), "{out}");
    assert!(out.contains("(free-docks)"), "{out}");
    assert!(out.contains("FAILED: 4 fleet problems"), "{out}");
}

#[test]
fn settle_on_the_demo_city_keeps_to_its_simulated_clock_unless_told_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("almaty.db");
    let db = db.to_str().unwrap();
    let (_, err, code) = text(&init_small_demo(db, 40));
    assert_eq!(code, 0, "{err}");
    // The demo's day starts on 2 June 2025 at 06:00: that is its time, not today's.
    let (out, err, code) = text(&velodesk(&["settle", "--db", db]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(
            "Settled up to 2025-06-02 06:00:00 (Asia/Almaty), the database's simulated clock"
        ),
        "{out}"
    );
    assert!(out.contains("midnights posted:    0"), "{out}");
    // Its next midnight is still to post: the settle above did not run to today.
    let (out, err, code) = text(&velodesk(&[
        "settle",
        "--db",
        db,
        "--at",
        "2025-06-03 00:30",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Settled up to 2025-06-03 00:30:00 (Asia/Almaty)."),
        "{out}"
    );
    assert!(out.contains("midnights posted:    1"), "{out}");
    let (out, _, code) = text(&velodesk(&["check", "--db", db]));
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_demo_refuses_a_staff_member_it_does_not_have_and_names_its_staff() {
    let (_, err, code) = text(&velodesk(&["demo", "--staff", "bolat", "--hours", "1"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "--staff bolat: no such staff member in the demo city; its staff: aigerim (agent), nurlan (depot), saule (supervisor), admin (admin)"
        ),
        "{err}"
    );
}
