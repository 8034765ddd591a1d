//! The server's commands from a shell: `staff add` (password from stdin), `staff list`,
//! `staff disable`, `station key`, and `backup` of a database a running server is writing.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use support::*;

const BIN: &str = env!("CARGO_BIN_EXE_velodesk");

fn run(args: &[&str], db: &std::path::Path, stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .arg("--db")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        // A child that has already exited (a refusal before it reads) closes the pipe: that
        // is its answer, read below, not a failure of the test.
        let written = child.stdin.take().unwrap().write_all(text.as_bytes());
        if let Err(e) = written {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn staff_accounts_from_the_shell_log_in_and_are_disabled_with_their_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    city(&db);
    let (code, out, err) = run(
        &["staff", "add", "zhanna", "--role", "supervisor"],
        &db,
        Some("zhanna-secret-1\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Staff member zhanna (supervisor) can log in now."),
        "{out}"
    );
    let (code, _, err) = run(
        &["staff", "add", "x", "--role", "boss"],
        &db,
        Some("long-enough-1\n"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("--role \"boss\""), "{err}");
    let (code, _, err) = run(
        &["staff", "add", "y", "--role", "agent"],
        &db,
        Some("short\n"),
    );
    assert_eq!(code, 2, "a short password is refused: {err}");
    let (_, list, _) = run(&["staff", "list"], &db, None);
    assert!(
        list.lines()
            .any(|l| l.starts_with("zhanna") && l.contains("supervisor") && l.ends_with("yes")),
        "{list}"
    );

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let server = serve(&db).await;
        let url = server.url();
        let login = |pw: &'static str| {
            let url = url.clone();
            async move {
                client()
                    .post(format!("{url}/auth/login"))
                    .json(&serde_json::json!({"username": "zhanna", "password": pw}))
                    .send()
                    .await
                    .unwrap()
            }
        };
        let r = login("zhanna-secret-1").await;
        assert_eq!(r.status(), 200);
        let token = r.json::<serde_json::Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string();
        let (code, out, _) = run(&["staff", "disable", "zhanna"], &db, None);
        assert_eq!(code, 0);
        assert!(out.contains("1 session(s) ended"), "{out}");
        let me = client()
            .get(format!("{url}/auth/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            me.status(),
            401,
            "the running server sees the disable at once"
        );
        assert_eq!(login("zhanna-secret-1").await.status(), 401);
        server.stop().await.unwrap();
    });
    let (_, list, _) = run(&["staff", "list"], &db, None);
    assert!(
        list.lines()
            .any(|l| l.starts_with("zhanna") && l.ends_with("disabled")),
        "{list}"
    );
    // Adding her again does not let her back in with her old password; enabling does.
    let (code, out, err) = run(
        &["staff", "add", "zhanna", "--role", "agent"],
        &db,
        Some("zhanna-secret-2\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("is disabled: `velodesk staff enable zhanna`"),
        "{out}"
    );
    let (_, list, _) = run(&["staff", "list"], &db, None);
    assert!(
        list.lines()
            .any(|l| l.starts_with("zhanna") && l.contains("agent") && l.ends_with("disabled")),
        "{list}"
    );
    let (code, out, _) = run(&["staff", "enable", "zhanna"], &db, None);
    assert_eq!(
        (code, out.trim()),
        (0, "Staff member zhanna can log in again.")
    );
    let (_, list, _) = run(&["staff", "list"], &db, None);
    assert!(
        list.lines()
            .any(|l| l.starts_with("zhanna") && l.ends_with("yes")),
        "{list}"
    );
    let (code, _, err) = run(&["staff", "enable", "nobody"], &db, None);
    assert_eq!((code, err.contains("no staff member")), (2, true), "{err}");
    // A name that is not one word of letters and digits is refused, saying why.
    let (code, _, err) = run(
        &["staff", "add", "ag\u{200b}1", "--role", "agent"],
        &db,
        Some("long-enough-1\n"),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("U+200B"), "{err}");
}

#[test]
fn a_station_key_from_the_shell_opens_that_stations_docks_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    city(&db);
    let (code, key, _) = run(&["station", "key", "1"], &db, None);
    assert_eq!(code, 0);
    let key = key.trim().to_string();
    assert_eq!(key.len(), 64);
    let (code, _, err) = run(&["station", "key", "77"], &db, None);
    assert_eq!((code, err.contains("no station 77")), (2, true), "{err}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let server = serve(&db).await;
        let post = |path: String, body: serde_json::Value| {
            let (url, key) = (server.url(), key.clone());
            async move {
                let r = client()
                    .post(format!("{url}{path}"))
                    .header("authorization", format!("Station {key}"))
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                (
                    r.status().as_u16(),
                    r.json::<serde_json::Value>().await.unwrap(),
                )
            }
        };
        let (st, v) = post(
            "/station/1/unlock".into(),
            serde_json::json!({"rider": 1, "bike": 7, "pin": "1234"}),
        )
        .await;
        assert_eq!(
            (st, v["kind"].as_str()),
            (422, Some("bike-unavailable")),
            "bike 7 stands at station 2: {v}"
        );
        let (st, v) = post(
            "/station/1/unlock".into(),
            serde_json::json!({"rider": 1, "bike": 1, "pin": "9999"}),
        )
        .await;
        assert_eq!((st, v["kind"].as_str()), (422, Some("bad-pin")), "{v}");
        let (st, _) = post("/station/2/pull".into(), serde_json::json!({"bike": 7})).await;
        assert_eq!(st, 403, "not this key's station");
        server.stop().await.unwrap();
    });
}

/// A database of some size (3,000 riders more) copied while the server writes all the
/// time: the backup ends, the copy is checked and holds every payment made before it
/// began, and no half-copy is left beside it.
#[test]
fn backup_copies_a_database_a_running_server_is_writing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    let out = dir.path().join("copy.db");
    city(&db);
    {
        let mut e = velodesk::engine::Engine::new(
            velodesk::store::Store::open(&db).unwrap(),
            Default::default(),
        )
        .unwrap();
        e.store().set_bulk_mode(true).unwrap();
        for id in 100..3_100 {
            e.add_rider(&new_rider(id)).unwrap();
        }
        e.store().set_bulk_mode(false).unwrap();
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let paid_before = rt.block_on(async {
        let server = serve(&db).await;
        let token = login(&server.url(), "aigerim").await;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let paid = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
        let writer = {
            let (url, stop, paid) = (server.url(), stop.clone(), paid.clone());
            tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    i += 1;
                    let r = client()
                        .post(format!("{url}/riders/1/payments"))
                        .bearer_auth(&token)
                        .json(&serde_json::json!({"amount": 10 + i, "method": "cash"}))
                        .send()
                        .await
                        .unwrap();
                    assert!(r.status().is_success());
                    paid.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            })
        };
        while paid.load(std::sync::atomic::Ordering::SeqCst) < 20 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let paid_before = paid.load(std::sync::atomic::Ordering::SeqCst);
        let o = out.clone();
        let db2 = db.clone();
        let backup = tokio::task::spawn_blocking(move || {
            Command::new(BIN)
                .args(["backup", "--db"])
                .arg(&db2)
                .arg("--out")
                .arg(&o)
                .output()
                .unwrap()
        });
        let done = tokio::time::timeout(std::time::Duration::from_secs(120), backup).await;
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let done = done
            .expect("the backup ends while the server writes")
            .unwrap();
        let text = String::from_utf8_lossy(&done.stdout);
        assert_eq!(
            done.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        assert!(
            text.contains("3004 riders") && text.contains("integrity check ok"),
            "{text}"
        );
        writer.await.unwrap();
        server.stop().await.unwrap();
        paid_before
    });
    assert!(
        !dir.path().join("copy.db.partial").exists(),
        "no half-copy left"
    );
    let c = rusqlite::Connection::open(&out).unwrap();
    let copied: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM ledger WHERE kind = 'payment' AND rider_id = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        copied > paid_before,
        "the copy holds every payment made before it began ({copied} of > {paid_before})"
    );
    let (code, text, _) = run(&["check"], &out, None);
    assert_eq!(code, 0);
    assert!(text.starts_with("OK: 3004 riders verified"), "{text}");
    let again = Command::new(BIN)
        .args(["backup", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing backup is never overwritten"
    );
}

/// `bench load` runs its whole workload on an in-process server: riders through the
/// station endpoints, agents searching, none refused (each client's riders take turns on
/// its bike, so nobody is refused as already renting or out of season; the clock at 5×
/// leaves a loaded machine 6 s for a pull after its unlock), and the raw
/// baseline beside it.
#[test]
fn the_load_benchmark_runs_its_riders_and_agents_without_a_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args([
            "bench",
            "load",
            "--clients",
            "4",
            "--seconds",
            "2",
            "--speed",
            "5",
            "--dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("3 riders at docks, 1 agents searching"),
        "{text}"
    );
    assert!(text.contains("refused or failed: 0"), "{text}");
    let count = |label: &str| -> u64 {
        let line = text.lines().find(|l| l.contains(label)).unwrap_or_default();
        let after = line.split(':').nth(1).unwrap_or_default();
        let n: String = after
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ' ' || *c == '\u{a0}')
            .filter(char::is_ascii_digit)
            .collect();
        n.parse().unwrap_or(0)
    };
    assert!(count("station requests") >= 30, "{text}");
    assert!(count("agent requests") >= 10, "{text}");
    assert!(
        text.contains("raw SQLite") && text.contains("ratio:"),
        "{text}"
    );
}

/// `bench load --speed` takes 1× to 3600×: outside that it says what it expected (exit 2).
#[test]
fn the_load_benchmarks_clock_speed_is_bounded() {
    for bad in ["0", "3601", "fast"] {
        let out = Command::new(BIN)
            .args(["bench", "load", "--speed", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--speed {bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("expected a speed from 1 to 3600"), "{err}");
    }
}
