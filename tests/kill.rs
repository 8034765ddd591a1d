//! The real binary, killed with SIGKILL: under load it loses no acknowledged operation
//! (every acknowledged payment is in the ledger, every retried one is applied exactly once)
//! and `velodesk check` stays green; killed while catching up on nightly postings, it
//! neither skips nor repeats a posting after the restart.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

const BIN: &str = env!("CARGO_BIN_EXE_velodesk");

/// Start `velodesk serve` on a free port; returns the child and its URL.
fn serve(db: &Path) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--db"])
        .arg(db)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    // Keep reading what it prints, as a terminal would.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let url = line
        .split(" on ")
        .nth(1)
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim()
        .to_string();
    (child, url)
}

fn check(db: &Path) -> (bool, String) {
    let out = Command::new(BIN)
        .args(["check", "--db"])
        .arg(db)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

fn query(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A payment sent with its key: `Some(entry)` once acknowledged.
struct Payment {
    key: String,
    rider: i64,
    amount: i64,
    entry: Option<i64>,
}

async fn pay(url: &str, token: &str, p: &Payment) -> Option<i64> {
    let r = client()
        .post(format!("{url}/riders/{}/payments", p.rider))
        .bearer_auth(token)
        .header("idempotency-key", &p.key)
        .json(&serde_json::json!({"amount": p.amount, "method": "cash"}))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .ok()?;
    if !r.status().is_success() {
        return None;
    }
    r.json::<i64>().await.ok()
}

#[test]
fn sigkill_under_load_loses_no_acknowledged_payment_and_check_stays_green() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    city_at(&db, chrono::Utc::now() - chrono::Duration::days(2));
    let before = query(&db, "SELECT COUNT(*) FROM ledger WHERE kind = 'payment'");
    let (mut child, url) = serve(&db);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sent: Arc<Mutex<Vec<Payment>>> = Arc::default();
    rt.block_on(async {
        let token = login(&url, "aigerim").await;
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut tasks = Vec::new();
        for client_no in 0..8i64 {
            let (url, token, sent, stop) = (url.clone(), token.clone(), sent.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    n += 1;
                    let mut p = Payment {
                        key: format!("load-{client_no}-{n}"),
                        rider: client_no % 4 + 1,
                        amount: 100 + n,
                        entry: None,
                    };
                    p.entry = pay(&url, &token, &p).await;
                    let failed = p.entry.is_none();
                    sent.lock().unwrap().push(p);
                    if failed {
                        break;
                    }
                }
            }));
        }
        // Kill it once the load is under way (not after a fixed time: a busy machine
        // may take that long to acknowledge a handful).
        let started = std::time::Instant::now();
        loop {
            let acked = sent
                .lock()
                .unwrap()
                .iter()
                .filter(|p| p.entry.is_some())
                .count();
            if acked >= 20 || started.elapsed() > Duration::from_secs(30) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for t in tasks {
            t.await.unwrap();
        }
    });
    let acknowledged: Vec<(i64, i64)> = sent
        .lock()
        .unwrap()
        .iter()
        .filter_map(|p| p.entry.map(|e| (e, p.amount)))
        .collect();
    assert!(
        acknowledged.len() > 10,
        "the load ran: {}",
        acknowledged.len()
    );
    for (entry, amount) in &acknowledged {
        let money = query(&db, &format!("SELECT money FROM ledger WHERE id = {entry}"));
        assert_eq!(
            money, *amount,
            "acknowledged entry {entry} is in the ledger"
        );
    }

    // Restart; the clients retry what was not acknowledged, with the same keys.
    let (mut child, url) = serve(&db);
    rt.block_on(async {
        let token = login(&url, "aigerim").await;
        let mut all = std::mem::take(&mut *sent.lock().unwrap());
        for p in all.iter_mut() {
            let again = pay(&url, &token, p).await;
            assert!(again.is_some(), "retry of {} answered", p.key);
            if let Some(e) = p.entry {
                assert_eq!(
                    again,
                    Some(e),
                    "a retry of an acknowledged payment replays it"
                );
            }
            p.entry = again;
        }
        *sent.lock().unwrap() = all;
    });
    let total = sent.lock().unwrap().len() as i64;
    let after = query(&db, "SELECT COUNT(*) FROM ledger WHERE kind = 'payment'");
    assert_eq!(after - before, total, "every payment applied exactly once");
    child.kill().unwrap();
    child.wait().unwrap();
    let (ok, text) = check(&db);
    assert!(ok, "velodesk check: {text}");
}

#[test]
fn sigkill_while_catching_up_on_postings_neither_skips_nor_repeats_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    // A city left 40 days ago: the server posts 40 midnights when it starts.
    city_at(&db, chrono::Utc::now() - chrono::Duration::days(40));
    let due = query(&db, "SELECT COUNT(*) FROM accruals");
    assert!(due > 0);
    for delay_ms in [5u64, 20, 60, 150] {
        let mut child = Command::new(BIN)
            .args(["serve", "--db"])
            .arg(&db)
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let (mut child, _url) = serve(&db);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        query(
            &db,
            "SELECT COUNT(*) FROM accruals a WHERE due_at <= strftime('%s','now')
             AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.accrual_id = a.id)"
        ),
        0,
        "no due charge skipped"
    );
    assert_eq!(
        query(
            &db,
            "SELECT COUNT(*) FROM ledger WHERE accrual_id IS NOT NULL"
        ),
        query(
            &db,
            "SELECT COUNT(DISTINCT l.accrual_id) FROM ledger l JOIN accruals a ON a.id = l.accrual_id"
        ),
        "each posted once"
    );
    let posted_through = query(
        &db,
        "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'posted_through'",
    );
    let now = chrono::Utc::now().timestamp();
    assert!(
        now - posted_through < 86_400 + 3600,
        "caught up to the last midnight"
    );
    let (ok, text) = check(&db);
    assert!(ok, "velodesk check: {text}");
}

/// Whether `rental` has ended, as the database says.
fn rental_ended(db: &Path, rental: i64) -> bool {
    query(
        db,
        &format!("SELECT end_at IS NOT NULL FROM rentals WHERE id = {rental}"),
    ) == 1
}

/// The load benchmark itself (`velodesk bench load --server`, riders renting and returning
/// through the station endpoints with Idempotency-Keys, agents searching) against the real
/// server binary, which is killed with SIGKILL mid-run. Every station request the bench
/// heard acknowledged is on disk (its idempotency record and its effect: a pull's rental
/// exists, a dock's ended it), the restarted server replays each with the same answer and
/// applies none twice, and `velodesk check` is green.
#[test]
fn sigkill_during_the_load_benchmark_loses_no_acknowledged_station_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    // Almaty rents all year: the real clock's date is always in season.
    city_in(&db, "almaty", "seasonal", chrono::Utc::now());
    let (mut server, url) = serve(&db);
    let journal = dir.path().join("journal.jsonl");
    let bench = bench_load_with_journal(&url, &journal);
    // Kill the server once the riders are well under way.
    wait_for_ended_rentals(&db, 30);
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    let out = bench.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the bench says the server went: {text}"
    );
    assert!(text.contains("the server stopped answering"), "{text}");

    let acknowledged = read_journal(&journal);
    assert!(acknowledged.len() >= 60, "{text}");
    eprintln!(
        "{} acknowledged station requests before the kill",
        acknowledged.len()
    );
    // On disk, before any restart: each acknowledged request's record and its effect.
    let mut rental_of_bike = std::collections::HashMap::new();
    for a in &acknowledged {
        let (station, key) = (a["station"].as_i64().unwrap(), a["key"].as_str().unwrap());
        assert_eq!(
            query(
                &db,
                &format!(
                    "SELECT COUNT(*) FROM idempotency WHERE principal = 'station:{station}' AND key = '{key}'"
                )
            ),
            1,
            "the record of acknowledged {a}"
        );
        let bike = a["body"]["bike"].as_i64().unwrap();
        match a["action"].as_str().unwrap() {
            "pull" => {
                let rental = a["answer"].as_i64().unwrap();
                assert_eq!(
                    query(
                        &db,
                        &format!("SELECT bike_id FROM rentals WHERE id = {rental}")
                    ),
                    bike,
                    "acknowledged {a} started its rental"
                );
                rental_of_bike.insert(bike, rental);
            }
            "dock" => {
                if let Some(rental) = rental_of_bike.get(&bike) {
                    assert!(
                        rental_ended(&db, *rental),
                        "acknowledged {a} ended rental {rental}"
                    );
                }
            }
            _ => {}
        }
    }
    let rentals_before = query(&db, "SELECT COUNT(*) FROM rentals");
    let ended_before = query(&db, "SELECT COUNT(*) FROM rentals WHERE end_at IS NOT NULL");

    // Restarted, the server answers every acknowledged request's retry as the first time.
    let (mut server, url) = serve(&db);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut docks = Docks::new(&url, "ada").await;
        for a in &acknowledged {
            let (status, replayed, answer) = docks.retry(a).await;
            assert_eq!(status, a["status"].as_i64().unwrap(), "{a}");
            assert!(replayed, "{a} replayed");
            assert_eq!(answer, a["answer"], "the retry of {a} answers the same");
        }
    });
    assert_eq!(
        query(&db, "SELECT COUNT(*) FROM rentals"),
        rentals_before,
        "no rental twice"
    );
    assert_eq!(
        query(&db, "SELECT COUNT(*) FROM rentals WHERE end_at IS NOT NULL"),
        ended_before,
        "no return twice"
    );
    server.kill().unwrap();
    server.wait().unwrap();
    let (ok, text) = check(&db);
    assert!(ok, "velodesk check: {text}");
}
