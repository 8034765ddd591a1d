//! Money with bounds and a posting nothing can stop: what scenario files cannot show of
//! D29 (the desk's alert), D30 (any amount across the whole `i64` range) and D31 (one
//! rider's poisoned account while the city posts, the clock moves, an alert and a log line
//! name the rider), and `velodesk settle` / `check` on such a database.

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use velodesk::api::Event;
use velodesk::api::NewRider;
use velodesk::api::NewStation;
use velodesk::api::PayMethod;
use velodesk::backend::DockOutcome;
use velodesk::domain::roles::Role;
use velodesk::domain::tariff::{FineKind, bundled};
use velodesk::domain::time::parse_local;
use velodesk::domain::{BikeId, EntryId, Refusal, RiderId, StationId, Tenge};
use velodesk::engine::{Engine, EngineError, Settings};
use velodesk::store::Store;

fn at(s: &str) -> DateTime<Utc> {
    parse_local(chrono_tz::Asia::Almaty, s).unwrap()
}

fn rider(id: i64) -> NewRider {
    NewRider {
        id: Some(RiderId(id)),
        surname: format!("Rider{id}"),
        born: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
        resident: true,
        lang: "ru".into(),
        pin: "1234".into(),
        ..NewRider::default()
    }
}

/// An Astana system in `db` (or in memory) on 1 June 2025 at 08:00 with a station of two
/// bikes, an agent, a supervisor and `riders` riders, each paid 20,000 with a monthly pass.
fn system(db: Option<&Path>, riders: i64) -> Engine {
    let store = match db {
        Some(p) => Store::open(p).unwrap(),
        None => Store::open_in_memory().unwrap(),
    };
    let mut e = Engine::init(
        store,
        "astana",
        bundled("astana").unwrap(),
        Settings::default(),
    )
    .unwrap();
    e.advance_to(at("2025-06-01 08:00")).unwrap();
    e.add_station(&NewStation {
        id: StationId(1),
        name: "A".into(),
        docks: 4,
        active: true,
        ..Default::default()
    })
    .unwrap();
    e.add_bike(BikeId(1), Some(StationId(1))).unwrap();
    e.add_bike(BikeId(2), Some(StationId(1))).unwrap();
    e.add_staff("ali", Role::Agent, None).unwrap();
    e.add_staff("sara", Role::Supervisor, None).unwrap();
    for r in 1..=riders {
        e.add_rider(&rider(r)).unwrap();
        e.pay(RiderId(r), Tenge(20_000), PayMethod::Cash, None)
            .unwrap();
        e.buy(RiderId(r), "monthly", None).unwrap();
    }
    e
}

fn kind<T: std::fmt::Debug>(r: Result<T, EngineError>) -> Refusal {
    match r {
        Err(EngineError::Refused { kind, .. }) => kind,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Log lines the engine writes, kept for the test to read (one logger per process).
fn logged() -> &'static Mutex<Vec<String>> {
    static LINES: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    struct Keep;
    impl log::Log for Keep {
        fn enabled(&self, _: &log::Metadata<'_>) -> bool {
            true
        }
        fn log(&self, r: &log::Record<'_>) {
            logged()
                .lock()
                .unwrap()
                .push(format!("{} {}", r.level(), r.args()));
        }
        fn flush(&self) {}
    }
    let lines = LINES.get_or_init(|| Mutex::new(Vec::new()));
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        log::set_boxed_logger(Box::new(Keep)).unwrap();
        log::set_max_level(log::LevelFilter::Info);
    });
    lines
}

/// D29: the fifth wrong PIN in a row tells the desk — an alert event and an alert in the
/// list while the lock lasts — and says so in the log; the refusals change nothing else.
#[test]
fn d29_the_desk_is_alerted_when_a_riders_pin_locks() {
    let log = logged();
    let mut e = system(None, 1);
    e.advance_to(at("2025-06-01 10:00")).unwrap();
    e.take_events();
    for pin in ["0000", "0001", "0002", "0003"] {
        assert_eq!(kind(e.unlock(RiderId(1), BikeId(1), pin)), Refusal::BadPin);
    }
    assert!(
        !e.alerts()
            .unwrap()
            .iter()
            .any(|a| a.kind == velodesk::api::AlertKind::PinLocked),
        "four wrong PINs lock nothing"
    );
    assert_eq!(kind(e.rent(RiderId(1), BikeId(1), "0004")), Refusal::BadPin);
    let alerts: Vec<_> = e
        .take_events()
        .into_iter()
        .filter_map(|(_, ev)| match ev {
            Event::Alert {
                kind: velodesk::api::AlertKind::PinLocked,
                rider,
                text,
                ..
            } => Some((rider, text)),
            _ => None,
        })
        .collect();
    assert_eq!(alerts.len(), 1, "one alert, at the fifth: {alerts:?}");
    assert_eq!(alerts[0].0, Some(RiderId(1)));
    assert!(alerts[0].1.contains("10:15"), "until when: {}", alerts[0].1);
    let listed = e.alerts().unwrap();
    assert!(
        listed
            .iter()
            .any(|a| a.kind == velodesk::api::AlertKind::PinLocked && a.rider == Some(RiderId(1))),
        "{listed:?}"
    );
    assert!(
        log.lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("rider 1") && l.contains("wrong PINs")),
        "the log has a line"
    );
    // A sixth wrong PIN is counted (the lock runs from it) but alerts no more.
    e.advance_to(at("2025-06-01 10:05")).unwrap();
    assert_eq!(kind(e.unlock(RiderId(1), BikeId(1), "9")), Refusal::BadPin);
    assert!(
        !e.take_events()
            .iter()
            .any(|(_, ev)| matches!(ev, Event::Alert { kind, .. } if *kind == velodesk::api::AlertKind::PinLocked))
    );
    assert_eq!(
        e.rider_view(RiderId(1)).unwrap().pin_locked_until,
        Some(at("2025-06-01 10:20"))
    );
    // Nothing but the count was written by the refusals: no unlock, no rental, no entry.
    let v = e.rider_view(RiderId(1)).unwrap();
    assert!(v.open_rental.is_none());
    assert_eq!(v.rider.balance, Tenge(20_000));
    assert!(e.verify().unwrap().is_empty());
    // Once the lock is over the alert is gone.
    e.advance_to(at("2025-06-01 10:20")).unwrap();
    assert!(
        !e.alerts()
            .unwrap()
            .iter()
            .any(|a| a.kind == velodesk::api::AlertKind::PinLocked)
    );
}

/// D29: inside a unit (the server's idempotent requests run so), a refused unlock still
/// counts its wrong PIN, and the unit's own writes are undone.
#[test]
fn d29_a_wrong_pin_counts_when_the_operation_runs_in_a_unit() {
    let mut e = system(None, 1);
    e.advance_to(at("2025-06-01 10:00")).unwrap();
    let hook = |_: &velodesk::engine::Ctx<'_>, c: &rusqlite::Connection, _: &()| {
        c.execute("INSERT INTO meta (key, value) VALUES ('hook', 'ran')", [])?;
        Ok(())
    };
    for pin in ["1", "2", "3", "4", "5"] {
        let out = e.atomically(|e| e.unlock(RiderId(1), BikeId(1), pin), hook);
        assert_eq!(kind(out.map(|(v, _)| v)), Refusal::BadPin);
    }
    let v = e.rider_view(RiderId(1)).unwrap();
    assert!(v.pin_locked_until.is_some(), "five wrong PINs counted");
    let hooked = e
        .read(|_, c| Ok(velodesk::store::get_meta(c, "hook")?))
        .unwrap();
    assert_eq!(hooked, None, "the refused unit wrote nothing of its own");
}

#[derive(Debug, Clone)]
enum Op {
    Pay(i64),
    Fine(i64),
    Correct(i64),
    Bonus(i64),
    Credit(i64),
    Deposit(i64),
    Buy(&'static str),
    Ride(i64),
    Night,
}

/// An amount across the whole `i64` range, with its edges and the bounds' edges often.
fn amount() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        prop_oneof![
            Just(i64::MIN),
            Just(i64::MIN + 1),
            Just(i64::MAX),
            Just(i64::MAX / 2 + 1),
            Just(0),
            Just(-1),
            Just(1),
            Just(10_000_000),
            Just(10_000_001),
            Just(-10_000_000),
            Just(-10_000_001),
        ],
        -20_000_000i64..20_000_000,
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        amount().prop_map(Op::Pay),
        amount().prop_map(Op::Fine),
        amount().prop_map(Op::Correct),
        amount().prop_map(Op::Bonus),
        amount().prop_map(Op::Credit),
        amount().prop_map(Op::Deposit),
        prop_oneof![Just("monthly"), Just("day1"), Just("seasonal")].prop_map(Op::Buy),
        (1i64..3000).prop_map(Op::Ride),
        Just(Op::Night),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// D30, D31: whatever amounts are tried — anything from `i64::MIN` to `i64::MAX` — each
    /// operation is taken or refused (`invalid` for an amount out of bounds), never a
    /// conflict, a database error or a panic; the ledger always verifies, and the nightly
    /// posting and the clock never fail.
    #[test]
    fn d30_any_amounts_are_taken_or_refused_and_posting_and_verify_never_fail(
        ops in proptest::collection::vec(op(), 1..40)
    ) {
        let mut e = system(None, 2);
        let r = RiderId(1);
        let mut t = at("2025-06-01 09:00");
        for o in ops {
            t += chrono::Duration::minutes(11);
            let report = e.advance_to(t).unwrap();
            prop_assert_eq!(report.failed, 0);
            let last_entry = e.rider_view(r).unwrap().ledger.last().map(|x| x.id).unwrap_or(EntryId(1));
            let out: Result<(), EngineError> = match &o {
                Op::Pay(n) => e.pay(r, Tenge(*n), PayMethod::Card, Some("ali")).map(drop),
                Op::Fine(n) => e.fine(r, FineKind::Damage, Some(Tenge(*n)), None, "", "ali").map(drop),
                Op::Correct(n) => e.correct(r, last_entry, Tenge(*n), "correction", "sara").map(drop),
                Op::Bonus(n) => e.give_bonus(r, Tenge(*n), "promo", "sara").map(drop),
                Op::Credit(n) => e.credit_claim(r, Tenge(*n), "claim", "ali").map(drop),
                Op::Deposit(n) => e.hold_deposit(r, Tenge(*n), None).map(drop),
                Op::Buy(p) => e.buy(r, p, None).map(drop),
                Op::Ride(min) => match e.rent(r, BikeId(1), "1234") {
                    Ok(_) => {
                        t += chrono::Duration::minutes(*min);
                        e.advance_to(t).unwrap();
                        e.return_bike(BikeId(1), StationId(1), None, DockOutcome::Locked).map(drop)
                    }
                    Err(x) => Err(x),
                },
                Op::Night => {
                    t = velodesk::domain::time::next_local_midnight(chrono_tz::Asia::Almaty, t);
                    e.advance_to(t).map(drop)
                }
            };
            match (&o, out) {
                (_, Ok(())) => {}
                (_, Err(EngineError::Refused { kind, message })) => {
                    let amount = match o {
                        Op::Pay(n) | Op::Fine(n) | Op::Bonus(n) | Op::Credit(n) | Op::Deposit(n) => Some(n),
                        Op::Correct(n) => Some(n),
                        _ => None,
                    };
                    if let Some(n) = amount {
                        let out_of_bounds = match o {
                            Op::Correct(_) => n == 0 || n.unsigned_abs() > 10_000_000,
                            _ => !(1..=10_000_000).contains(&n),
                        };
                        if out_of_bounds {
                            prop_assert_eq!(kind, Refusal::Invalid, "{}", message);
                            prop_assert!(message.contains("D30"), "the bound is named: {}", message);
                        }
                    }
                }
                (o, Err(other)) => prop_assert!(false, "{o:?} failed: {other}"),
            }
            let m = e.verify().unwrap();
            prop_assert!(m.is_empty(), "{m:?}");
        }
        // A month of nights after it all: every posting runs, for everyone.
        let report = e.advance_to(t + chrono::Duration::days(31)).unwrap();
        prop_assert_eq!(report.failed, 0);
        prop_assert!(e.verify().unwrap().is_empty());
    }
}

/// D31: one rider's account poisoned through the store (a balance no amount within D30
/// could make) does not stop the city: at midnight every other rider posts, the watermark
/// and the clock move on, the rider is named in an alert and in the log; `check` reports
/// the mismatch for that rider instead of failing; once mended, the next posting takes
/// what the rider owes and the alert goes.
#[test]
fn d31_one_poisoned_account_never_stops_the_nightly_posting() {
    let log = logged();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    let mut e = system(Some(&db), 3);
    let poison = |value: i64| {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute("UPDATE riders SET balance = ?1 WHERE id = 2", [value])
            .unwrap();
    };
    poison(i64::MIN + 100);
    let report = e.advance_to(at("2025-06-02 09:00")).unwrap();
    assert_eq!(report.midnights, 1);
    assert_eq!(report.failed, 1, "{report:?}");
    assert_eq!(report.riders, 2, "the others posted: {report:?}");
    assert_eq!(e.now(), at("2025-06-02 09:00"), "the clock moved on");
    for ok in [1, 3] {
        let v = e.rider_view(RiderId(ok)).unwrap();
        assert_eq!(
            v.rider.balance,
            Tenge(17_500),
            "rider {ok}'s pass fee posted"
        );
        assert!(v.pending.is_empty());
    }
    let stuck = e.rider_view(RiderId(2)).unwrap();
    assert_eq!(stuck.pending.len(), 1, "rider 2's fee is still owed");
    let alerts = e.alerts().unwrap();
    let named: Vec<_> = alerts
        .iter()
        .filter(|a| a.kind == velodesk::api::AlertKind::PostingFailed)
        .collect();
    assert_eq!(named.len(), 1, "{alerts:?}");
    assert_eq!(named[0].rider, Some(RiderId(2)));
    assert!(named[0].text.contains("D31"), "{}", named[0].text);
    assert!(
        log.lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("ERROR") && l.contains("rider 2")),
        "the log names the rider: {:?}",
        log.lock().unwrap()
    );
    // `check` names the rider and does not fail for the city.
    let mismatches = e.verify().unwrap();
    assert!(
        mismatches.iter().all(|m| m.rider == RiderId(2)),
        "{mismatches:?}"
    );
    assert!(!mismatches.is_empty());
    drop(e);
    let settle = Command::new(env!("CARGO_BIN_EXE_velodesk"))
        .args(["settle", "--db"])
        .arg(&db)
        .args(["--at", "2025-06-04 09:00"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&settle.stdout);
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        settle.status.code(),
        Some(1),
        "settle posts the city and says who it could not: {out} {}",
        String::from_utf8_lossy(&settle.stderr)
    );
    assert!(words.contains("midnights posted: 2"), "{out}");
    assert!(words.contains("riders not posted: 2"), "both nights: {out}");
    assert!(out.contains("rider 2:"), "{out}");
    let check = Command::new(env!("CARGO_BIN_EXE_velodesk"))
        .args(["check", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert_eq!(
        check.status.code(),
        Some(1),
        "a mismatch, not an error: {said}"
    );
    assert!(said.contains("rider 2"), "{said}");
    // Mended (the balance put back as the entries say): the next midnight posts it.
    poison(20_000);
    let mut e = Engine::new(Store::open(&db).unwrap(), Settings::default()).unwrap();
    let report = e.advance_to(at("2025-06-05 09:00")).unwrap();
    assert_eq!(report.failed, 0, "{report:?}");
    let v = e.rider_view(RiderId(2)).unwrap();
    assert!(v.pending.is_empty(), "the owed fee posted once mended");
    assert_eq!(v.rider.balance, Tenge(17_500));
    assert!(e.verify().unwrap().is_empty());
    assert!(
        !e.alerts()
            .unwrap()
            .iter()
            .any(|a| a.kind == velodesk::api::AlertKind::PostingFailed)
    );
}
