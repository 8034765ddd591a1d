//! The `velodesk` binary as a user runs it: prices, exit codes, messages that say what and
//! where, and a system that settles once and verifies its balances.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use velodesk::api::Accrual;
use velodesk::api::NewRider;
use velodesk::domain::ledger::EntryKind;
use velodesk::domain::time::{next_local_midnight, parse_local};
use velodesk::domain::{RiderId, Tenge};
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;
use velodesk::store::ledger as sl;
use velodesk::store::people;

const ASTANA: &str = include_str!("../assets/tariffs/astana.toml");

fn velodesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_velodesk"))
        .args(args)
        .output()
        .expect("the velodesk binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited, not killed")
}

fn quote_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["quote", "--json"];
    all.extend_from_slice(args);
    let o = velodesk(&all);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("quote --json prints one JSON object")
}

#[test]
fn d2_quotes_are_bracket_totals() {
    for (minutes, total) in [(45, 100), (100, 250), (150, 500), (181, 1000), (241, 2000)] {
        let q = quote_json(&["--tariff", "astana", "--minutes", &minutes.to_string()]);
        assert_eq!(q["total"], total, "{minutes} min (D2): {q}");
        assert_eq!(q["minutes"], minutes);
        assert_eq!(q["pass"], "monthly", "monthly is the default pass");
        assert!(q["items"].as_array().is_some_and(|i| !i.is_empty()), "{q}");
    }
}

#[test]
fn d1_a_started_minute_counts_whole() {
    let q = quote_json(&["--tariff", "astana", "--minutes", "30"]);
    assert_eq!(q["total"], 0);
    let q = quote_json(&["--tariff", "astana", "--minutes", "30", "--seconds", "1"]);
    assert_eq!(q["minutes"], 31);
    assert_eq!(q["total"], 100);
}

#[test]
fn almaty_quotes_on_its_yearly_pass_by_default() {
    let q = quote_json(&["--tariff", "almaty", "--minutes", "181"]);
    assert_eq!(q["pass"], "seasonal", "Almaty has no monthly pass");
    assert_eq!(q["total"], 1000);
}

#[test]
fn r7_d4_a_trip_past_24_hours_includes_the_late_fine() {
    let q = quote_json(&["--tariff", "astana", "--minutes", "1500"]);
    let items = q["items"].as_array().expect("items");
    let late: Vec<_> = items.iter().filter(|i| i["kind"] == "late-fine").collect();
    assert_eq!(late.len(), 1, "{q}");
    assert_eq!(late[0]["amount"], 30_000);
    // 1500 min = 240 + 1260 → 21 started hours past the brackets: 1 000 + 21 000.
    assert_eq!(q["total"], 30_000 + 22_000);
}

#[test]
fn the_text_quote_itemises_with_tenge_and_rules() {
    let o = velodesk(&["quote", "--tariff", "astana", "--minutes", "1500"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("30 000 ₸"), "{text}");
    assert!(text.contains("R7"), "the late fine cites its rule: {text}");
    assert!(
        text.contains("R3"),
        "the trip charge cites its rule: {text}"
    );
    let total = text
        .lines()
        .find(|l| l.trim_start().starts_with("Total"))
        .expect("a Total line");
    assert!(total.contains("52 000 ₸"), "{text}");
}

/// Write the Astana tariff with one line changed; the 1-based number of the changed line.
fn broken_tariff(dir: &Path, file: &str, from: &str, to: &str) -> (PathBuf, usize) {
    assert!(ASTANA.contains(from), "the bundled tariff has {from:?}");
    let text = ASTANA.replacen(from, to, 1);
    let marker = to.lines().last().expect("a replacement line");
    let line = text
        .lines()
        .position(|l| l.contains(marker))
        .expect("the changed line")
        + 1;
    let path = dir.join(file);
    std::fs::write(&path, text).expect("write the tariff");
    (path, line)
}

#[test]
fn a_malformed_tariff_file_is_refused_with_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        broken_tariff(
            dir.path(),
            "brackets.toml",
            "brackets = [[30, 0], [60, 100], [120, 250]",
            "brackets = [[30, 0], [60, 100], [50, 250]",
        ),
        broken_tariff(dir.path(), "negative.toml", "price = 2500", "price = -2500"),
        broken_tariff(
            dir.path(),
            "unknown.toml",
            "months = 3\n",
            "months = 3\nfree_coffee = true\n",
        ),
    ];
    for (path, line) in cases {
        let p = path.to_str().expect("utf-8 path");
        let o = velodesk(&["quote", "--tariff", p, "--minutes", "45"]);
        assert_eq!(code(&o), 2, "{p}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(&format!("{p}:{line}:")),
            "names {p} line {line}: {err}"
        );
        assert!(stdout(&o).is_empty(), "no price from a bad tariff");
    }
}

#[test]
fn init_refuses_a_bad_tariff_and_leaves_no_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (tariff, line) = broken_tariff(dir.path(), "neg.toml", "price = 2500", "price = -1");
    let db = dir.path().join("v.db");
    let o = velodesk(&[
        "init",
        "--db",
        db.to_str().expect("path"),
        "--tariff",
        tariff.to_str().expect("path"),
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains(&format!(":{line}:")), "{}", stderr(&o));
    assert!(!db.exists(), "nothing created");
}

fn init(dir: &Path, tariff: &str) -> String {
    let db = dir.join("velodesk.db");
    let db = db.to_str().expect("utf-8 path").to_string();
    let o = velodesk(&["init", "--db", &db, "--tariff", tariff]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    db
}

fn a_rider(id: i64) -> NewRider {
    NewRider {
        id: Some(RiderId(id)),
        surname: "Ахметова".into(),
        name: "Айгерим".into(),
        born: chrono::NaiveDate::from_ymd_opt(1990, 5, 17).expect("date"),
        resident: true,
        lang: "kk".into(),
        pin: "4321".into(),
        ..NewRider::default()
    }
}

/// A rider whose 45-minute trip ended at 2025-06-01 10:00 local: 100 ₸ accrued, due at the
/// next local midnight (R17). The engine's clock is set to that time first.
fn rider_with_a_trip(db: &str) {
    let store = Store::open(Path::new(db)).expect("open");
    let mut engine = Engine::new(store, Settings::default()).expect("a system");
    let tz = engine.time_zone();
    let ended = parse_local(tz, "2025-06-01 10:00").expect("time");
    engine.advance_to(ended).expect("clock");
    engine
        .store()
        .write(|c| -> Result<(), velodesk::store::StoreError> {
            let rider = people::insert_rider(c, &a_rider(1), ended)?;
            sl::add_accrual(
                c,
                &Accrual {
                    id: 0,
                    rider,
                    kind: EntryKind::TripCharge,
                    amount: Tenge(100),
                    at: ended,
                    due_at: next_local_midnight(tz, ended),
                    label: "45 min trip".into(),
                    rental: None,
                },
                None,
            )?;
            Ok(())
        })
        .expect("rider and accrual");
}

/// `ledger entries:      1` → 1.
fn reported(text: &str, what: &str) -> String {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{what}:")))
        .unwrap_or_else(|| panic!("no {what:?} line in {text}"))
        .trim()
        .to_string()
}

#[test]
fn r17_settle_posts_what_is_due_once_and_nothing_the_second_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = init(dir.path(), "almaty");
    rider_with_a_trip(&db);

    let o = velodesk(&["settle", "--db", &db, "--at", "2025-06-02 00:05"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let first = stdout(&o);
    assert_eq!(reported(&first, "midnights posted"), "1", "{first}");
    assert_eq!(reported(&first, "ledger entries"), "1", "{first}");
    assert_eq!(reported(&first, "total posted"), "100 ₸", "{first}");

    let o = velodesk(&["settle", "--db", &db, "--at", "2025-06-02 00:05"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let second = stdout(&o);
    assert_eq!(reported(&second, "midnights posted"), "0", "{second}");
    assert_eq!(reported(&second, "ledger entries"), "0", "{second}");
    assert_eq!(reported(&second, "total posted"), "0 ₸", "{second}");

    let o = velodesk(&["check", "--db", &db]);
    assert_eq!(
        code(&o),
        0,
        "the posting kept every balance equal to its entries: {}",
        stdout(&o)
    );
}

#[test]
fn d9_check_passes_on_a_fresh_system_and_names_the_rider_whose_balance_was_tampered_with() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = init(dir.path(), "astana");
    let o = velodesk(&["check", "--db", &db]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "OK: 0 riders verified");

    rider_with_a_trip(&db);
    let o = velodesk(&["check", "--db", &db]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).starts_with("OK: 1 rider verified"),
        "{}",
        stdout(&o)
    );

    let raw = rusqlite::Connection::open(&db).expect("raw connection");
    raw.execute("UPDATE riders SET balance = balance + 1", [])
        .expect("tamper");
    drop(raw);
    let o = velodesk(&["check", "--db", &db]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let text = stdout(&o);
    assert!(text.contains("rider 1 (Ахметова Айгерим)"), "{text}");
    assert!(
        text.contains("balance is 1 ₸ in the cache but 0 ₸ from the ledger"),
        "{text}"
    );
}

#[test]
fn init_refuses_a_database_that_holds_a_system() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = init(dir.path(), "astana");
    let o = velodesk(&["init", "--db", &db, "--tariff", "almaty"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("already holds a velodesk system"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_arguments_and_files_exit_2_saying_what_and_where() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = init(dir.path(), "astana");
    let missing = dir.path().join("missing.db");
    let missing = missing.to_str().expect("path");
    let not_a_db = dir.path().join("notes.txt");
    std::fs::write(&not_a_db, "not a database, just notes\n").expect("write");
    let not_a_db = not_a_db.to_str().expect("path");
    let cases: &[(&[&str], &str)] = &[
        (&[], "the console needs a terminal"),
        (&["frobnicate"], "frobnicate"),
        (
            &["quote", "--tariff", "astana", "--minutes", "abc"],
            "--minutes",
        ),
        (
            &[
                "quote",
                "--tariff",
                "astana",
                "--minutes",
                "5",
                "--seconds",
                "60",
            ],
            "--seconds",
        ),
        (
            &[
                "quote",
                "--tariff",
                "astana",
                "--minutes",
                "5",
                "--pass",
                "weekly",
            ],
            "--pass weekly",
        ),
        (
            &["quote", "--tariff", "nowhere.toml", "--minutes", "5"],
            "nowhere.toml",
        ),
        (
            &["settle", "--db", &db, "--at", "tomorrow"],
            "--at \"tomorrow\"",
        ),
        (&["check", "--db", missing], "missing.db"),
        (&["check", "--db", not_a_db], "notes.txt"),
        (&["scenario", "no-such-file.scn"], "no-such-file.scn"),
    ];
    for (args, says) in cases {
        let o = velodesk(args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(says),
            "{args:?} says {says:?}: {}",
            stderr(&o)
        );
    }
    assert!(
        !Path::new(missing).exists(),
        "check does not create a database"
    );
}

#[test]
fn every_command_has_help() {
    for cmd in [
        &["quote"][..],
        &["init"],
        &["settle"],
        &["check"],
        &["scenario"],
        &["bench", "settle"],
        &["bench", "search"],
        &["bench", "start"],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let o = velodesk(&args);
        assert_eq!(code(&o), 0, "{args:?}");
        assert!(
            stdout(&o).contains("Usage: velodesk"),
            "{args:?}: {}",
            stdout(&o)
        );
    }
}

/// A scenario that runs: a rider pays 300 ₸; line 6 expects it.
fn paid(expected: u32) -> String {
    format!(
        "tariff astana\nrider 5 resident born 1990-05-01 pin 1234\nat 2025-06-01 09:00\n\
         pay 5 300 cash\n# the balance\nexpect 5 balance {expected}\n"
    )
}

#[test]
fn scenario_exits_1_when_an_expectation_fails_and_2_for_a_file_that_is_not_a_scenario() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p.to_str().expect("path").to_string()
    };
    let good = write("good.scn", &paid(300));
    let wrong = write("wrong.scn", &paid(200));
    let bad = write("bad.scn", "tariff astana\n\nfrobnicate 1 2\n");

    let o = velodesk(&["scenario", &good]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(stdout(&o).trim(), "PASS good");

    // A line that ran and did not hold: the run failed, exit 1.
    let o = velodesk(&["scenario", &good, &wrong]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let text = stdout(&o);
    assert!(text.contains("PASS good"), "{text}");
    assert!(
        text.contains("FAIL wrong: line 6: expected rider 5 balance 200, got 300"),
        "{text}"
    );
    assert!(!stderr(&o).contains("error"), "{}", stderr(&o));

    // A line that cannot be read: a bad file, exit 2, named with its line; the others
    // still run and are reported.
    let o = velodesk(&["scenario", &bad, &good]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    let text = stdout(&o);
    assert!(
        text.contains("BAD bad: line 3: unknown command \"frobnicate\""),
        "{text}"
    );
    assert!(text.contains("PASS good"), "the other file ran: {text}");
    assert!(
        stderr(&o).contains(&format!("{bad}:3: unknown command")),
        "{}",
        stderr(&o)
    );

    // A directory runs its *.scn files sorted by name; other files are not scenarios.
    write("notes.txt", "not a scenario");
    let o = velodesk(&["scenario", dir.path().to_str().expect("path")]);
    assert_eq!(code(&o), 2, "a bad file among them: {}", stdout(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.split(':').next().unwrap_or(l))
        .collect();
    assert_eq!(
        lines,
        [
            "BAD bad",
            "PASS good",
            "FAIL wrong",
            "1 passed, 1 failed, 1 bad"
        ],
        "{}",
        stdout(&o)
    );
    std::fs::remove_file(&bad).expect("remove");
    let o = velodesk(&["scenario", dir.path().to_str().expect("path")]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(
        stdout(&o).ends_with("1 passed, 1 failed\n"),
        "{}",
        stdout(&o)
    );

    let empty = tempfile::tempdir().expect("temp dir");
    let o = velodesk(&["scenario", empty.path().to_str().expect("path")]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("no scenario files (*.scn)"),
        "{}",
        stderr(&o)
    );
}

/// Every file in `dir` with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read the directory")
        .map(|e| {
            let p = e.expect("an entry").path();
            let name = p
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect();
    all.sort();
    all
}

#[test]
fn check_says_a_file_is_not_a_velodesk_system_and_leaves_it_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").expect("write");
    // Another program's SQLite database, in its own (rollback journal) mode.
    let other = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&other).expect("open");
        c.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me');")
            .expect("a table");
    }
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database, just notes\n").expect("write");
    let before = files(dir.path());
    for (file, says) in [
        (&empty, "not a velodesk system: it is empty"),
        (
            &other,
            "not a velodesk system: it is another program's SQLite database (tables: notes)",
        ),
        (&text, "file is not a database"),
    ] {
        let db = file.to_str().expect("path");
        for command in ["check", "settle"] {
            let o = velodesk(&[command, "--db", db]);
            assert_eq!(code(&o), 2, "{command} {db}: {}", stderr(&o));
            assert!(
                stderr(&o).contains(&format!("--db {db}: ")) && stderr(&o).contains(says),
                "{command} {db} says {says:?}: {}",
                stderr(&o)
            );
            assert!(stdout(&o).is_empty(), "{}", stdout(&o));
        }
    }
    assert!(
        files(dir.path()) == before,
        "every file as it was, and no file added"
    );

    let missing = dir.path().join("missing.db");
    let o = velodesk(&["check", "--db", missing.to_str().expect("path")]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("no such database file"),
        "{}",
        stderr(&o)
    );
    assert!(!missing.exists(), "check creates no database");
}

#[test]
fn check_on_a_velodesk_system_leaves_its_file_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = init(dir.path(), "astana");
    rider_with_a_trip(&db);
    let before = std::fs::read(&db).expect("read");
    let o = velodesk(&["check", "--db", &db]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).starts_with("OK: 1 rider verified"),
        "{}",
        stdout(&o)
    );
    assert!(
        std::fs::read(&db).expect("read") == before,
        "not a byte changed"
    );
}

#[test]
fn settle_on_a_system_on_the_real_clock_settles_to_now() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = init(dir.path(), "almaty");
    let today = || {
        chrono::Utc::now()
            .with_timezone(&chrono_tz::Asia::Almaty)
            .format("%Y-%m-%d")
            .to_string()
    };
    let before = today();
    let o = velodesk(&["settle", "--db", &db]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let first = stdout(&o).lines().next().unwrap_or_default().to_string();
    assert!(
        first.starts_with(&format!("Settled up to {before}"))
            || first.starts_with(&format!("Settled up to {}", today())),
        "{first}"
    );
    assert!(!first.contains("simulated"), "{first}");
}

#[test]
fn the_console_refuses_a_staff_member_who_is_not_there_and_names_who_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = init(dir.path(), "astana");
    let o = velodesk(&["console", "--db", &db, "--staff", "bolat"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("--staff bolat: no such staff member")
            && stderr(&o).contains("has no active staff: add one with `velodesk staff add"),
        "{}",
        stderr(&o)
    );
    let add = |name: &str, role: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_velodesk"))
            .args(["staff", "add", name, "--role", role, "--db", &db])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("staff add runs");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"a-long-password\n")
            .expect("the password");
        assert!(child.wait().expect("ends").success());
    };
    add("aigerim", "agent");
    add("saule", "supervisor");
    let o = velodesk(&["console", "--db", &db, "--staff", "bolat"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("its staff: aigerim (agent), saule (supervisor)"),
        "{}",
        stderr(&o)
    );
    // Someone who is there gets as far as the terminal (this test has none).
    let o = velodesk(&["console", "--db", &db, "--staff", "saule"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("the console needs a terminal"),
        "{}",
        stderr(&o)
    );
}
