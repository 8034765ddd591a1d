//! The simulated riders on a real server (`velodesk demo --server URL`): a demo city built
//! as `velodesk init --demo` builds it, served on the system clock, ridden through the
//! station endpoints for a few real seconds; and the command's refusals.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use velodesk::backend::{Backend, BackendError, LocalBackend, RemoteBackend};
use velodesk::clock::SystemClock;
use velodesk::domain::roles::Role;
use velodesk::engine::{Engine, Settings};
use velodesk::server::{self, RunningServer, ServerOptions, secret};
use velodesk::sim::city::{self, CityOptions, Fill};
use velodesk::sim::{SimConfig, SimError, Simulator, Speed, demo};
use velodesk::store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_velodesk");

fn password(name: &str) -> String {
    format!("password-{name}")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// A small demo city as `init --demo almaty --riders 60 --fill 30 --history-days 0` builds
/// it (its day in June 2025: the server catches up to today when it starts), with
/// passwords for the demo admin and the demo agent (as `velodesk staff add` sets them).
fn build(db: &Path) {
    let mut o = CityOptions::almaty(11);
    o.riders = 60;
    o.fill = Fill::Percent(30);
    o.history_days = 0;
    runtime()
        .block_on(city::build(db, &o, &|_, _, _| {}))
        .unwrap();
    let mut e = Engine::new(Store::open(db).unwrap(), Settings::default()).unwrap();
    for (name, role) in [("admin", Role::Admin), ("aigerim", Role::Agent)] {
        let hash = secret::hash_password(&password(name)).unwrap();
        e.add_staff(name, role, Some(&hash)).unwrap();
    }
}

/// Serve `db` as `velodesk serve` does: on the system clock.
async fn serve(db: &Path) -> RunningServer {
    let engine = Engine::new(Store::open(db).unwrap(), Settings::default()).unwrap();
    server::start(
        engine,
        ServerOptions {
            db: db.to_path_buf(),
            listen: "127.0.0.1:0".parse().unwrap(),
            clock: Arc::new(SystemClock),
            session: chrono::Duration::hours(12),
            gbfs: Default::default(),
            proxy: velodesk::server::client_addr::Proxy::None,
            limits: Default::default(),
        },
    )
    .await
    .unwrap()
}

fn count(db: &Path, sql: &str) -> u64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.busy_timeout(Duration::from_secs(5)).unwrap();
    c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as u64
}

#[test]
fn riders_ride_a_real_server_through_its_docks_and_the_books_stay_right() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("almaty.db");
    build(&db);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM rentals"), 0);
    let rt = runtime();
    rt.block_on(async {
        let server = serve(&db).await;
        let remote = RemoteBackend::connect(&server.url(), "admin", &password("admin"))
            .await
            .unwrap();
        assert!(!remote.info().simulated_clock, "the server's clock is real");
        assert_eq!(remote.provision_station_keys().await.unwrap(), 190);
        let backend: Arc<dyn Backend> = Arc::new(remote);

        // Only real time on a real clock.
        let sim = Simulator::new(backend.clone(), SimConfig::new(1, Speed::Times(60.0)));
        let (_keep, stop) = tokio::sync::watch::channel(false);
        match sim.run(stop).await {
            Err(SimError::Setup(m)) => assert!(m.contains("real clock"), "{m}"),
            other => panic!("speed 60 on a server: {other:?}"),
        }

        let mut cfg = SimConfig::new(11, Speed::RealTime);
        cfg.trips_per_bike = 10_000.0;
        cfg.rush = true;
        let started = std::time::Instant::now();
        let run = demo::attach(backend.clone(), cfg, Some(6.0 / 3600.0))
            .await
            .unwrap();
        let s = run.task.await.unwrap().unwrap();
        let took = started.elapsed();
        assert!(
            (5.5..20.0).contains(&took.as_secs_f64()),
            "six seconds of real time took {took:?}"
        );
        assert!(s.trips_started >= 2 && s.trips_ended >= 1, "{s:?}");
        assert_eq!(s.unexpected, 0, "{s:?}");
        // The clock was the server's own: not moved (it stays with the wall clock).
        let now = backend.now().await.unwrap();
        assert!((chrono::Utc::now() - now).num_seconds().abs() < 5, "{now}");

        // What the server holds: every trip the riders started, and ended, is there.
        let rentals = count(&db, "SELECT COUNT(*) FROM rentals");
        let ended = count(&db, "SELECT COUNT(*) FROM rentals WHERE end_at IS NOT NULL");
        let docked = count(
            &db,
            "SELECT COUNT(*) FROM rentals WHERE end_how IN ('dock', 'cable-lock', 'faulty')",
        );
        assert_eq!(rentals, s.trips_started, "{s:?}");
        assert_eq!(ended, s.trips_ended, "{s:?}");
        assert_eq!(docked, s.trips_ended - s.ended_by_desk, "{s:?}");
        assert_eq!(backend.verify().await.unwrap(), vec![], "D9 over HTTP");
        let local: &LocalBackend = &server.backend;
        assert_eq!(local.verify().await.unwrap(), vec![], "D9");
        assert_eq!(
            local.verify_fleet().await.unwrap(),
            vec![],
            "every bike in one place"
        );
        assert_eq!(backend.verify_fleet().await.unwrap(), vec![], "over HTTP");
        // The riders still out are listed alike on both sides (a next run resumes them).
        let open = |r: Vec<velodesk::store::fleet::Rental>| {
            r.into_iter().map(|r| (r.rider, r.bike)).collect::<Vec<_>>()
        };
        let out_now = open(backend.open_rentals().await.unwrap());
        assert_eq!(out_now, open(local.open_rentals().await.unwrap()));
        assert_eq!(
            out_now.len() as u64,
            s.trips_started - s.trips_ended,
            "{s:?}"
        );

        // The server goes away mid-run: the riders stop with the reason, not a panic or a
        // run that goes on refusing everything.
        let mut cfg = SimConfig::new(12, Speed::RealTime);
        cfg.trips_per_bike = 10_000.0;
        cfg.rush = true;
        let run = demo::attach(backend.clone(), cfg, Some(60.0 / 3600.0))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(2)).await;
        server.stop().await.unwrap();
        let ended = tokio::time::timeout(Duration::from_secs(15), run.task)
            .await
            .expect("the riders stop soon after the server does")
            .unwrap();
        match ended {
            Err(SimError::Backend {
                source: BackendError::Unavailable { .. },
                ..
            }) => {}
            other => panic!("after the server stopped: {other:?}"),
        }
    });
}

fn velodesk(args: &[&str], password: &str) -> (i32, String, String) {
    let o = Command::new(BIN)
        .args(args)
        .env("VELODESK_PASSWORD", password)
        .output()
        .expect("the velodesk binary runs");
    (
        o.status.code().expect("exited"),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn demo_on_a_server_runs_as_an_admin_at_real_time_and_refuses_what_makes_no_sense() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("almaty.db");
    build(&db);
    let rt = runtime();
    let server = rt.block_on(serve(&db));
    let url = server.url();
    let admin = password("admin");

    let (code, _, err) = velodesk(&["demo", "--server", &url, "--speed", "60"], &admin);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--speed 60×: a server runs on its real clock"),
        "{err}"
    );
    let (code, _, err) = velodesk(&["demo", "--server", &url, "--db", "x.db"], &admin);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--db") && err.contains("cannot be used with") && err.contains("--server"),
        "{err}"
    );
    for flag in ["--riders", "--fill", "--seed"] {
        let (code, _, err) = velodesk(&["demo", "--server", &url, flag, "10"], &admin);
        assert_eq!(code, 2, "{flag}: {err}");
        assert!(err.contains("cannot be used with"), "{flag}: {err}");
    }
    let (code, _, err) = velodesk(&["demo", "--server", &url, "--plain"], "not-the-password");
    assert_ne!(code, 0);
    assert!(err.contains("wrong username or password"), "{err}");
    let (code, _, err) = velodesk(
        &["demo", "--server", &url, "--staff", "aigerim", "--plain"],
        &password("aigerim"),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--staff aigerim is agent") && err.contains("only an admin"),
        "{err}"
    );
    let (code, _, err) = velodesk(
        &["demo", "--server", "http://127.0.0.1:9", "--plain"],
        &admin,
    );
    assert_ne!(code, 0);
    assert!(err.contains("cannot reach http://127.0.0.1:9"), "{err}");

    // As the demo admin, for four real seconds: keys given, the books checked at the end.
    let (code, out, err) = velodesk(
        &["demo", "--server", &url, "--hours", "0.001", "--plain"],
        &admin,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("at real time, as admin: 190 stations got new keys"),
        "{out}"
    );
    assert!(out.contains("check: 0 ledger mismatches"), "{out}");
    rt.block_on(server.stop()).unwrap();
}
