//! Engine and store behaviour that scenario files cannot show: races between connections,
//! all-or-nothing transactions, random ledger sequences, the Backend door.

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use std::path::Path;
use std::sync::{Arc, Barrier};
use velodesk::api::NewRider;
use velodesk::api::NewStation;
use velodesk::api::PayMethod;
use velodesk::backend::Ops;
use velodesk::backend::{Backend, DockOutcome, LocalBackend};
use velodesk::clock::SimClock;
use velodesk::domain::roles::Role;
use velodesk::domain::tariff::{FineKind, bundled};
use velodesk::domain::time::parse_local;
use velodesk::domain::{BikeId, Refusal, RiderId, StationId, Tenge};
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
        lang: "kk".into(),
        pin: "1234".into(),
        ..NewRider::default()
    }
}

/// A city of `riders` riders with a monthly pass and money, and one station of 10 bikes.
fn city(engine: &mut Engine, riders: i64) {
    engine.advance_to(at("2025-06-01 08:00")).unwrap();
    engine
        .add_station(&NewStation {
            id: StationId(1),
            name: "A".into(),
            docks: 12,
            active: true,
            ..Default::default()
        })
        .unwrap();
    for b in 1..=10 {
        engine.add_bike(BikeId(b), Some(StationId(1))).unwrap();
    }
    for r in 1..=riders {
        engine.add_rider(&rider(r)).unwrap();
        engine
            .pay(RiderId(r), Tenge(20_000), PayMethod::Cash, None)
            .unwrap();
        engine.buy(RiderId(r), "monthly", None).unwrap();
    }
    engine.add_staff("ali", Role::Agent, None).unwrap();
}

/// A fresh in-memory Astana system.
fn astana() -> Engine {
    let store = Store::open_in_memory().unwrap();
    Engine::init(
        store,
        "astana",
        bundled("astana").unwrap(),
        Settings::default(),
    )
    .unwrap()
}

fn file_engine(path: &Path, create: bool) -> Engine {
    let store = Store::open(path).unwrap();
    if create {
        Engine::init(
            store,
            "astana",
            bundled("astana").unwrap(),
            Settings::default(),
        )
        .unwrap()
    } else {
        Engine::new(store, Settings::default()).unwrap()
    }
}

/// R8: two connections (two processes' worth) racing for one bike, and one rider racing
/// for two bikes: never both.
#[test]
fn r8_races_between_connections_never_give_two_rentals() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("race.db");
    let mut a = file_engine(&path, true);
    city(&mut a, 40);
    let mut b = file_engine(&path, false);
    b.advance_to(at("2025-06-01 08:00")).unwrap();
    for round in 0..20i64 {
        let t = at("2025-06-01 09:00") + chrono::Duration::minutes(round * 2);
        a.advance_to(t).unwrap();
        b.advance_to(t).unwrap();
        let barrier = Arc::new(Barrier::new(2));
        // Two riders, one bike.
        let (r1, r2) = (RiderId(round * 2 + 1), RiderId(round * 2 + 2));
        let bike = BikeId(round % 10 + 1);
        let (ea_ref, eb_ref) = (&mut a, &mut b);
        let (ok_a, ok_b, ea, eb) = std::thread::scope(|s| {
            let ba = barrier.clone();
            let ha = s.spawn(move || {
                ba.wait();
                ea_ref.rent(r1, bike, "1234")
            });
            let bb = barrier.clone();
            let hb = s.spawn(move || {
                bb.wait();
                eb_ref.rent(r2, bike, "1234")
            });
            let (ra, rb) = (ha.join().unwrap(), hb.join().unwrap());
            (ra.is_ok(), rb.is_ok(), ra.err(), rb.err())
        });
        assert!(
            ok_a ^ ok_b,
            "round {round}: exactly one of two riders gets bike {bike}: {ea:?} {eb:?}"
        );
        let loser = ea.or(eb).unwrap();
        assert!(
            matches!(
                &loser,
                EngineError::Refused {
                    kind: Refusal::BikeUnavailable,
                    ..
                } | EngineError::Conflict(_)
            ),
            "{loser:?}"
        );
        // Return it so the next round starts clean.
        a.return_bike(bike, StationId(1), None, DockOutcome::Locked)
            .unwrap();
    }
    // One rider, two bikes, two connections.
    for round in 0..10i64 {
        let t = at("2025-06-01 11:00") + chrono::Duration::minutes(round * 2);
        a.advance_to(t).unwrap();
        b.advance_to(t).unwrap();
        let who = RiderId(30 + round);
        let barrier = Arc::new(Barrier::new(2));
        let (ea_ref, eb_ref) = (&mut a, &mut b);
        let (ra, rb) = std::thread::scope(|s| {
            let ba = barrier.clone();
            let ha = s.spawn(move || {
                ba.wait();
                ea_ref.rent(who, BikeId(1), "1234")
            });
            let bb = barrier.clone();
            let hb = s.spawn(move || {
                bb.wait();
                eb_ref.rent(who, BikeId(2), "1234")
            });
            (ha.join().unwrap(), hb.join().unwrap())
        });
        assert!(
            ra.is_ok() ^ rb.is_ok(),
            "round {round}: one rider got two bikes or none: {ra:?} {rb:?}"
        );
        let bike = if ra.is_ok() { BikeId(1) } else { BikeId(2) };
        a.return_bike(bike, StationId(1), None, DockOutcome::Locked)
            .unwrap();
    }
    assert!(a.verify().unwrap().is_empty());
}

/// Every money-moving operation is one transaction: a failure in the middle (here the
/// outbox refuses the message written after the ledger entry) leaves nothing half-written.
#[test]
fn a_failure_in_the_middle_of_an_operation_leaves_nothing_half_written() {
    let mut e = astana();
    city(&mut e, 1);
    let before = e.rider_view(RiderId(1)).unwrap();
    e.store()
        .connection()
        .execute_batch(
            "CREATE TEMP TRIGGER fail_outbox BEFORE INSERT ON messages
             BEGIN SELECT RAISE(ABORT, 'simulated crash'); END;",
        )
        .unwrap();
    assert!(
        e.pay(RiderId(1), Tenge(5000), PayMethod::Cash, None)
            .is_err()
    );
    assert!(e.rent(RiderId(1), BikeId(1), "1234").is_err());
    assert!(
        e.fine(
            RiderId(1),
            FineKind::Damage,
            Some(Tenge(700)),
            None,
            "",
            "ali"
        )
        .is_err()
    );
    let after = e.rider_view(RiderId(1)).unwrap();
    assert_eq!(after.rider.balance, before.rider.balance);
    assert_eq!(after.ledger.len(), before.ledger.len());
    assert!(after.open_rental.is_none());
    assert!(after.fines.is_empty());
    assert_eq!(e.station_view(StationId(1)).unwrap().station.bikes, 10);
    assert!(
        e.audit_log(&Default::default()).unwrap().is_empty(),
        "no audit without its effect"
    );
    assert!(e.verify().unwrap().is_empty());
}

#[derive(Debug, Clone)]
enum Op {
    Pay(i64),
    Buy(&'static str),
    Fine(i64),
    Credit(i64),
    Bonus(i64),
    Deposit(i64),
    Ride(i64),
    Night,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1i64..20_000).prop_map(Op::Pay),
        prop_oneof![Just("monthly"), Just("day1"), Just("quarterly")].prop_map(Op::Buy),
        (1i64..60_000).prop_map(Op::Fine),
        (1i64..5_000).prop_map(Op::Credit),
        (1i64..2_000).prop_map(Op::Bonus),
        (1i64..40_000).prop_map(Op::Deposit),
        (1i64..600).prop_map(Op::Ride),
        Just(Op::Night),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// D9: any sequence of ledger operations keeps every balance equal to the sum of its
    /// entries, open debt equal to the negative balance, and postings idempotent (R17).
    #[test]
    fn d9_any_sequence_keeps_balances_equal_to_their_entries(ops in proptest::collection::vec(op(), 1..30)) {
        let mut e = astana();
        e.advance_to(at("2025-06-01 08:00")).unwrap();
        e.add_station(&NewStation { id: StationId(1), name: "A".into(), docks: 4, active: true, ..Default::default() }).unwrap();
        e.add_bike(BikeId(1), Some(StationId(1))).unwrap();
        e.add_rider(&rider(1)).unwrap();
        e.add_staff("ali", Role::Agent, None).unwrap();
        e.add_staff("sara", Role::Supervisor, None).unwrap();
        let r = RiderId(1);
        let mut t = at("2025-06-01 09:00");
        for o in ops {
            t += chrono::Duration::minutes(7);
            e.advance_to(t).unwrap();
            let _ = match o {
                Op::Pay(n) => e.pay(r, Tenge(n), PayMethod::Card, None).map(drop),
                Op::Buy(p) => e.buy(r, p, None).map(drop),
                Op::Fine(n) => e.fine(r, FineKind::Damage, Some(Tenge(n)), None, "", "ali").map(drop),
                Op::Credit(n) => e.credit_claim(r, Tenge(n), "claim", "ali").map(drop),
                Op::Bonus(n) => e.give_bonus(r, Tenge(n), "promo", "sara").map(drop),
                Op::Deposit(n) => e.hold_deposit(r, Tenge(n), None).map(drop),
                Op::Ride(min) => match e.rent(r, BikeId(1), "1234") {
                    Ok(_) => {
                        t += chrono::Duration::minutes(min);
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
            let m = e.verify().unwrap();
            prop_assert!(m.is_empty(), "{m:?}");
        }
        // Posting again at the same instant posts nothing (R17 idempotence).
        let again = e.advance_to(t).unwrap();
        prop_assert_eq!(again.entries, 0);
    }
}

/// The Backend door: the same operations through `LocalBackend` on its writer thread, and
/// the events they raise.
#[tokio::test]
async fn local_backend_runs_the_engine_off_the_async_threads_and_streams_events() {
    let engine = astana();
    let clock = Arc::new(SimClock::new(at("2025-06-01 08:00")));
    let b = LocalBackend::start(engine, clock, "in-memory");
    assert!(b.info().simulated_clock);
    let mut events = b.subscribe();
    b.add_station(NewStation {
        id: StationId(7),
        name: "Z".into(),
        docks: 2,
        active: true,
        ..Default::default()
    })
    .await
    .unwrap();
    b.add_bike(BikeId(70), Some(StationId(7))).await.unwrap();
    b.add_rider(rider(1)).await.unwrap();
    b.add_staff("ali", Role::Agent).await.unwrap();
    b.advance_clock(at("2025-06-01 09:00")).await.unwrap();
    b.as_staff("ali")
        .pay(RiderId(1), Tenge(5000), PayMethod::Cash)
        .await
        .unwrap();
    b.buy(RiderId(1), "monthly").await.unwrap();
    b.rent(RiderId(1), BikeId(70), "1234").await.unwrap();
    let err = b.rent(RiderId(1), BikeId(70), "1234").await.unwrap_err();
    assert_eq!(err.refusal(), Some(Refusal::BikeUnavailable));
    assert_eq!(
        b.search_riders("70", 5).await.unwrap()[0].id,
        RiderId(1),
        "who rides bike 70"
    );
    b.advance_clock(at("2025-06-01 09:45")).await.unwrap();
    let q = b
        .return_bike(BikeId(70), StationId(7), DockOutcome::Locked)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(q.total, Tenge(100), "R3: 45 min costs 100");
    let mut kinds = Vec::new();
    while let Ok((_, e)) = events.try_recv() {
        kinds.push(e.kind());
    }
    assert!(
        kinds.contains(&"rental-started") && kinds.contains(&"rental-ended"),
        "{kinds:?}"
    );
    let view = b.rider(RiderId(1)).await.unwrap();
    assert_eq!(view.rider.accrued, Tenge(2600));
    assert_eq!(view.messages.len(), 4, "payment, pass, start, end (R27)");
    assert!(
        view.messages
            .iter()
            .any(|m| m.text.starts_with("Қайтару ОК")),
        "kk texts"
    );
    let audit = b
        .as_staff("ali")
        .audit(Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        audit.refusal(),
        Some(Refusal::Forbidden),
        "agents do not read the audit"
    );
    let since = b.events_after(0, 100).await.unwrap();
    assert!(
        since.len() >= kinds.len(),
        "the event log resumes from any id"
    );
}

/// R27: a plugged-in sender receives the riders' messages, each once, in their language.
#[tokio::test]
async fn r27_a_plugged_sender_delivers_each_message_once() {
    use std::sync::Mutex;
    use velodesk::api::Message;
    use velodesk::engine::MessageSender;
    struct Collect(Arc<Mutex<Vec<String>>>);
    impl MessageSender for Collect {
        fn deliver(&mut self, m: &Message) -> Result<(), String> {
            self.0
                .lock()
                .unwrap()
                .push(format!("{} {}", m.lang, m.text));
            Ok(())
        }
    }
    let got = Arc::new(Mutex::new(Vec::new()));
    let engine = astana();
    let clock = Arc::new(SimClock::new(at("2025-06-01 08:00")));
    let b = LocalBackend::start_with_sender(
        engine,
        clock,
        "in-memory",
        Some(Box::new(Collect(got.clone()))),
    );
    b.add_rider(rider(1)).await.unwrap();
    b.pay(RiderId(1), Tenge(3000), PayMethod::Bank)
        .await
        .unwrap();
    b.pay(RiderId(1), Tenge(500), PayMethod::Card)
        .await
        .unwrap();
    b.stations().await.unwrap();
    let sent = got.lock().unwrap().clone();
    assert_eq!(
        sent,
        vec![
            "kk Төлем қабылданды: 3 000 ₸. Теңгерім: 3 000 ₸.",
            "kk Төлем қабылданды: 500 ₸. Теңгерім: 3 500 ₸."
        ]
    );
}

/// R17: a new system's first look at the clock does not skip the midnight a waiting charge
/// is due at (found by `settle` on a freshly built database).
#[test]
fn r17_the_first_look_at_the_clock_posts_charges_due_at_that_midnight() {
    use velodesk::api::Accrual;
    use velodesk::domain::ledger::EntryKind;
    use velodesk::store::ledger::add_accrual;
    let mut e = astana();
    let id = e.add_rider(&rider(1)).unwrap();
    let charge = Accrual {
        id: 0,
        rider: id,
        kind: EntryKind::TripCharge,
        amount: Tenge(250),
        at: at("2025-06-01 10:00"),
        due_at: at("2025-06-02 00:00"),
        label: "trip".into(),
        rental: None,
    };
    e.store().write(|c| add_accrual(c, &charge, None)).unwrap();
    let report = e.advance_to(at("2025-06-02 00:05")).unwrap();
    assert_eq!(report.entries, 1);
    let v = e.rider_view(id).unwrap();
    assert_eq!((v.rider.balance, v.rider.accrued), (Tenge(-250), Tenge(0)));
    assert!(v.rider.restricted, "R18: posted to a balance below zero");
    assert_eq!(
        e.advance_to(at("2025-06-02 00:10")).unwrap().entries,
        0,
        "once only"
    );
}

/// docs/rules.md §5: an agent finds a rider by name typed in any case, Cyrillic and Kazakh
/// letters included, by phone as people say it, by e-mail, card, ID, or the bike they ride.
#[test]
fn riders_are_found_by_name_in_any_case_phone_email_card_id_and_bike() {
    let mut e = astana();
    e.advance_to(at("2025-06-01 08:00")).unwrap();
    let people = [
        (
            1,
            "Иванов",
            "Сергей",
            "+77011234567",
            "ivanov@mail.kz",
            "CARD-0001",
        ),
        (
            2,
            "Сәрсенбаев",
            "Айгерим",
            "+77027654321",
            "aigerim@example.kz",
            "CARD-0002",
        ),
        (
            3,
            "Smith",
            "John",
            "+14155550100",
            "john@smith.example",
            "CARD-0003",
        ),
    ];
    for (id, surname, name, phone, email, card) in people {
        let mut r = rider(id);
        r.surname = surname.into();
        r.name = name.into();
        r.phone = Some(phone.into());
        r.email = Some(email.into());
        r.card = Some(card.into());
        e.add_rider(&r).unwrap();
    }
    let ids = |e: &mut Engine, q: &str| -> Vec<i64> {
        e.search_riders(q, 10)
            .unwrap()
            .iter()
            .map(|h| h.id.0)
            .collect()
    };
    assert_eq!(ids(&mut e, "иванов"), vec![1]);
    assert_eq!(ids(&mut e, "ИВАН"), vec![1]);
    assert_eq!(ids(&mut e, "сәр"), vec![2]);
    assert_eq!(ids(&mut e, "айгерим"), vec![2], "by first name");
    assert_eq!(ids(&mut e, "smi"), vec![3]);
    assert_eq!(ids(&mut e, "Иванов серг"), vec![1]);
    assert!(
        ids(&mut e, "Иванов Айг").is_empty(),
        "the second word narrows"
    );
    assert_eq!(
        ids(&mut e, "8 702 765 43 21"),
        vec![2],
        "phone as people say it"
    );
    assert_eq!(
        ids(&mut e, "8 702 765"),
        vec![2],
        "the first digits as people say them, while the agent types"
    );
    assert_eq!(ids(&mut e, "+7 702 765"), vec![2]);
    assert_eq!(ids(&mut e, "702 765 43 21"), vec![2], "without the country");
    assert_eq!(ids(&mut e, "AIGERIM@example.kz"), vec![2]);
    assert_eq!(ids(&mut e, "CARD-0003"), vec![3]);
    assert_eq!(ids(&mut e, "1"), vec![1]);
    assert!(ids(&mut e, "").is_empty());
}

fn refusal<T: std::fmt::Debug>(r: Result<T, EngineError>) -> Refusal {
    match r {
        Err(EngineError::Refused { kind, .. }) => kind,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// R10, R11 at the desk: an agent releases a bike for a rider whose own unlock failed — no
/// PIN, every other rental rule, a reason in the audit — and the rider's pull starts the
/// rental. Depot staff may not; a blocked rider is refused as at the dock (R24).
#[test]
fn r10_a_manual_unlock_releases_the_bike_for_the_rider_with_an_audited_reason() {
    let mut e = astana();
    city(&mut e, 2);
    e.add_staff("dina", Role::Depot, None).unwrap();
    assert_eq!(
        refusal(e.manual_unlock(RiderId(1), BikeId(1), "card reader broken", "dina")),
        Refusal::Forbidden
    );
    assert_eq!(
        refusal(e.manual_unlock(RiderId(1), BikeId(1), " ", "ali")),
        Refusal::Invalid,
        "a reason is required"
    );
    e.manual_unlock(RiderId(1), BikeId(1), "card reader broken", "ali")
        .unwrap();
    let rental = e.pull(BikeId(1)).unwrap();
    let v = e.rider_view(RiderId(1)).unwrap();
    assert_eq!(v.open_rental.unwrap().rental.id, rental);
    let log = e
        .audit_log(&velodesk::api::AuditFilter {
            action: Some("manual-unlock".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].staff.as_str(), log[0].reason.as_str()),
        ("ali", "card reader broken")
    );
    e.block(RiderId(2), "fraud", "ali").unwrap();
    assert_eq!(
        refusal(e.manual_unlock(RiderId(2), BikeId(2), "app down", "ali")),
        Refusal::Restricted,
        "R24: the desk cannot unlock for a blocked rider"
    );
}

/// Personal data comes unmasked only with a reason, to a role that may see it, and every
/// look is in the audit.
#[test]
fn personal_data_is_revealed_only_with_a_reason_and_audited() {
    let mut e = astana();
    city(&mut e, 1);
    e.add_staff("dina", Role::Depot, None).unwrap();
    assert_eq!(
        refusal(e.reveal_rider(RiderId(1), "caller asks", "dina")),
        Refusal::Forbidden
    );
    assert_eq!(
        refusal(e.reveal_rider(RiderId(1), "", "ali")),
        Refusal::Invalid
    );
    let v = e
        .reveal_rider(RiderId(1), "identity check on the phone", "ali")
        .unwrap();
    assert_eq!(v.rider.phone, e.rider_view(RiderId(1)).unwrap().rider.phone);
    let log = e
        .audit_log(&velodesk::api::AuditFilter {
            action: Some("reveal-personal-data".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].reason, "identity check on the phone");
}

/// A system on the bundled `tariff` in the file `db`, at 1 June 2025 08:00, with rider 1
/// and 20,000 ₸ paid.
fn one_rider_system(db: &Path, tariff: &str) -> (Engine, RiderId) {
    let mut e = Engine::init(
        Store::open(db).unwrap(),
        tariff,
        bundled(tariff).unwrap(),
        Settings::default(),
    )
    .unwrap();
    e.advance_to(at("2025-06-01 08:00")).unwrap();
    let id = e.add_rider(&rider(1)).unwrap();
    e.pay(id, Tenge(20_000), PayMethod::Cash, None).unwrap();
    (e, id)
}

/// R8, C 1: the operator may shorten or extend the season. The override is kept in the
/// database: a system opened again (a server restarted) still rents by it, and an override
/// that ends before it starts is refused and changes nothing.
#[test]
fn r8_a_season_override_outlives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("astana.db");
    let (mut e, _) = one_rider_system(&db, "astana");
    let day = |d: u32| NaiveDate::from_ymd_opt(2025, 7, d).unwrap();
    let refused = e.set_season(day(31), day(1)).unwrap_err();
    assert!(
        matches!(
            refused,
            EngineError::Refused {
                kind: Refusal::Invalid,
                ..
            }
        ),
        "{refused}"
    );
    // The season now starts in July: on 1 June there is no pass to sell.
    e.set_season(day(1), day(31)).unwrap();
    drop(e);
    let mut e = Engine::new(Store::open(&db).unwrap(), Settings::default()).unwrap();
    e.advance_to(at("2025-06-01 09:00")).unwrap();
    let out = e.buy(RiderId(1), "monthly", None).unwrap_err();
    assert!(
        matches!(
            out,
            EngineError::Refused {
                kind: Refusal::OutOfSeason,
                ..
            }
        ),
        "the override holds after the restart: {out}"
    );
    e.advance_to(at("2025-07-02 09:00")).unwrap();
    e.buy(RiderId(1), "monthly", None).unwrap();
}

/// R17: a charge is posted at the first midnight after it is due, once. The accrual row is
/// never updated (its entry's `accrual_id` says it is posted); what the midnight postings
/// have passed is all posted, and `verify` names an accrual that would be left behind.
#[test]
fn r17_each_accrual_posts_once_and_verify_names_one_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("almaty.db");
    let (mut e, id) = one_rider_system(&db, "almaty");
    e.hold_deposit(id, Tenge(37_500), None).unwrap();
    e.buy(id, "day1", None).unwrap();
    assert_eq!(e.rider_view(id).unwrap().pending.len(), 1, "the fee waits");
    let report = e.advance_to(at("2025-06-03 08:00")).unwrap();
    assert_eq!(
        (report.midnights, report.entries),
        (2, 1),
        "posted at the first midnight"
    );
    assert!(e.rider_view(id).unwrap().pending.is_empty());
    assert!(e.verify().unwrap().is_empty());
    // An accrual due before the last midnight posted, without its entry, is named.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute(
        "INSERT INTO accruals (rider_id, kind, amount, at, due_at, label)
         VALUES (1, 'trip-charge', 500, ?1, ?1, 'lost')",
        [at("2025-06-02 00:00").timestamp()],
    )
    .unwrap();
    c.execute("UPDATE riders SET accrued = accrued + 500 WHERE id = 1", [])
        .unwrap();
    let found = e.verify().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].what.contains("never posted"), "{found:?}");
}
