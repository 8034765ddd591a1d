//! One behaviour, two backends: every scenario file of tests/scenarios/ runs on a
//! `LocalBackend` in memory and on `RemoteBackend`s → a real server on 127.0.0.1:0 (each
//! staff member logged in as themselves, the docks with their stations' keys), and each
//! file ends the same way on both — and passes.

mod crew;

use futures_util::StreamExt;
use std::path::{Path, PathBuf};
use velodesk::scenario::{ScenarioResult, local_backend, run_on};

/// How many files run at once (each remote run has a server and a session per staff member).
const AT_ONCE: usize = 8;

fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "scn"))
        .collect();
    files.sort();
    files
}

/// A file's result on the local backend and on the server.
async fn both(path: PathBuf) -> (ScenarioResult, ScenarioResult) {
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(&path).unwrap();
    let local = run_on(&name, &text, local_backend).await;
    let remote = run_on(&name, &text, crew::remote_backend).await;
    (local, remote)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_ends_the_same_on_both_backends_and_passes() {
    let files = scenario_files();
    assert!(files.len() >= 60, "only {} scenario files", files.len());
    let started = std::time::Instant::now();
    let results: Vec<(ScenarioResult, ScenarioResult)> = futures_util::stream::iter(files)
        .map(both)
        .buffer_unordered(AT_ONCE)
        .collect()
        .await;
    let differ: Vec<String> = results
        .iter()
        .filter(|(l, r)| l != r)
        .map(|(l, r)| format!("local:  {l}\nremote: {r}"))
        .collect();
    let failed: Vec<String> = results
        .iter()
        .flat_map(|(l, r)| [l, r])
        .filter(|r| !r.passed())
        .map(|r| r.to_string())
        .collect();
    eprintln!(
        "{} scenario files on both backends in {:.1} s",
        results.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        differ.is_empty(),
        "{} of {} files end differently:\n{}",
        differ.len(),
        results.len(),
        differ.join("\n")
    );
    assert!(failed.is_empty(), "failed:\n{}", failed.join("\n"));
}

/// The remote run really reads the server: a wrong number (D4: a late fine) fails there at
/// the same line with the same message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_expectation_fails_at_the_same_line_on_both_backends() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/d04_late_days.scn");
    let text = std::fs::read_to_string(path).unwrap();
    let wrong = text.replace("expect 5 balance 47500", "expect 5 balance 47400");
    assert_ne!(wrong, text, "the file checks the balance after a late fine");
    let local = run_on("d04", &wrong, local_backend).await;
    let remote = run_on("d04", &wrong, crew::remote_backend).await;
    assert!(
        matches!(&remote, ScenarioResult::Fail { message, .. }
            if message == "expected rider 5 balance 47400, got 47500"),
        "{remote}"
    );
    assert_eq!(local, remote);
}
