//! Issue 17's done-when, key by key: "I returned the bike, but the rental went on". A
//! rider's bike goes into a dock that reports a lock error (the rental goes on, R12);
//! another rider then asks that station for the bike (refused — it is still the first
//! rider's — and kept as evidence); the first rider calls; the agent finds them by phone,
//! opens a contact for the call, presses `D`, sees the other rider at that station as the
//! proof, and ends the rental at the proposed time (R15, D3), which is linked to the
//! contact; the contact closes as "credited"; the trip is priced to that time and the rider
//! is told (R27).

mod console_desk;

use console_desk::{Desk, at, city};
use velodesk::backend::{Backend, BackendError, DockOutcome, Ops};
use velodesk::domain::ledger::EntryKind;
use velodesk::domain::{BikeId, Refusal, RiderId, StationId, Tenge};
use velodesk::tui::text::Lang;

#[tokio::test]
async fn an_agent_ends_a_rental_the_dock_did_not_lock_once_another_rider_found_the_bike() {
    let b = city().await;
    let (first, next, bike, station) = (RiderId(1041), RiderId(1042), BikeId(101), StationId(1002));
    b.rent(first, bike, "1234").await.unwrap();
    b.advance_clock(at("2025-06-02 09:40")).await.unwrap();
    assert_eq!(
        b.return_bike(bike, station, DockOutcome::LockError)
            .await
            .unwrap(),
        None,
        "R12: the lock error ends nothing"
    );
    b.advance_clock(at("2025-06-02 10:05")).await.unwrap();
    match b.rent(next, bike, "1234").await {
        Err(BackendError::Refused { kind, message }) => {
            assert_eq!(kind, Refusal::BikeUnavailable, "{message}")
        }
        other => panic!("the bike is still the first rider's: {other:?}"),
    }
    b.advance_clock(at("2025-06-02 12:00")).await.unwrap();

    // The rider calls; the agent finds them by phone.
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.keys("3").await;
    d.typ("+7 701 000 00 01").await;
    d.keys("Enter").await;
    assert!(
        d.screen().contains("1041 · Сейтқали Айгерім"),
        "{}",
        d.screen()
    );
    // The call is a contact: its reason, a docking problem (the first of the catalogue).
    d.keys("o").await;
    assert!(d.screen().contains("◀ Docking problem ▶"), "{}", d.screen());
    d.keys("Enter Right Enter").await;
    assert!(d.screen().contains("ON A CALL since"), "{}", d.screen());
    d.keys("D").await;
    let s = d.screen();
    assert!(s.contains("Docking dispute"), "{s}");
    assert!(
        s.contains("1002"),
        "the claim is the lock error's station: {s}"
    );
    assert!(s.contains("2025-06-02 09:40"), "and its time: {s}");
    d.keys("Enter").await;
    let s = d.screen();
    assert!(s.contains("Confirm"), "{s}");
    assert!(s.contains("STILL OPEN"), "{s}");
    assert!(
        s.contains("02.06 09:40  station 1002, dock 9  LOCK ERROR (R12)  ◀ the dock's report"),
        "{s}"
    );
    assert!(
        s.contains("▶ 02.06 10:05  station 1002  rider 1042 asked for it here  ◀ PROOF: left here"),
        "the other rider is the proof, marked: {s}"
    );
    assert!(s.contains("◀ PROOF: left here"), "{s}");
    assert!(
        s.contains("proposed end: 2025-06-02 09:40 at station 1002"),
        "{s}"
    );
    // Almaty prices trips as Astana (D5): 40 min is 100 ₸; to noon (180 min) 500 ₸.
    assert!(
        s.contains("the trip costs 500 ₸ to now; ended then, 100 ₸ (400 ₸ less)"),
        "{s}"
    );
    assert!(
        b.rider(first).await.unwrap().open_rental.is_some(),
        "previewed, not done"
    );
    // Cancel is focused: Right, then Enter confirms.
    d.keys("Right Enter").await;
    let s = d.screen();
    assert!(
        s.contains("dispute of rider 1041 settled: rental ended at station 1002, 100 ₸"),
        "{s}"
    );
    // The contact closes as credited (the second outcome); the settlement is linked to it.
    d.keys("w").await;
    // Two audited actions: the rental ended by hand, and the dispute settled (why, with
    // the evidence).
    assert!(d.screen().contains("actions so far: 2"), "{}", d.screen());
    d.keys("Right Enter Right Enter").await;
    let s = d.screen();
    assert!(
        s.contains("aigerim · Docking problem → Credited · actions: 2"),
        "{s}"
    );

    let v = b.rider(first).await.unwrap();
    assert_eq!(v.contacts[0].outcome.as_deref(), Some("credited"));
    assert!(v.open_rental.is_none());
    assert_eq!(v.trips[0].end_at, Some(at("2025-06-02 09:40")));
    assert_eq!(v.trips[0].charge, Some(100));
    let trip = v
        .pending
        .iter()
        .find(|a| a.kind == EntryKind::TripCharge)
        .expect("the trip's charge is accrued");
    assert_eq!(trip.amount, Tenge(100), "priced to 09:40");
    assert_eq!(trip.at, at("2025-06-02 09:40"));
    let told = v
        .messages
        .iter()
        .find(|m| m.kind == "dispute")
        .expect("the rider's message is in the outbox");
    assert_eq!(told.lang, "kk");
    assert!(told.text.contains("1002 бекетке"), "{}", told.text);
    // The bike is back at the station: the next rider can take it now.
    b.rent(next, bike, "1234").await.unwrap();
}

/// A rider with no trip at all: `D` says why and opens nothing (the hint bar too).
#[tokio::test]
async fn d_on_a_rider_without_a_trip_says_why() {
    let b = city().await;
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.keys(":").await;
    d.typ("rider 1043").await;
    d.keys("Enter").await;
    d.keys("D").await;
    assert!(d.app.dialog.is_none());
    assert!(d.screen().contains("no trip to dispute"), "{}", d.screen());
    // The depot is not offered the key; `:dispute` says it is not allowed.
    let mut depot = Desk::open(b, "nurlan", Lang::En).await;
    depot.keys(":").await;
    depot.typ("rider 1043").await;
    depot.keys("Enter :").await;
    depot.typ("dispute").await;
    depot.keys("Enter").await;
    assert!(depot.app.dialog.is_none());
}
