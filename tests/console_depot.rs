//! The console for the depot (issue 16) and the depot's search rule (#15.9), key by key.

mod console_desk;
#[path = "support/demand.rs"]
mod demand;
mod support;

use console_desk::{Desk, city};
use std::sync::Arc;
use velodesk::backend::LocalBackend;
use velodesk::clock::SimClock;
use velodesk::domain::StationId;
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;
use velodesk::tui::text::Lang;

/// The test city of the server tests (station 1: 10 docks, 6 bikes; station 2: 4 docks,
/// full; 1.2 km apart) with two weeks of riders from 1 to 2, twelve an hour, on a file: the van plan's
/// forecast learns that 1 empties and 2 overflows.
fn depot_city(dir: &tempfile::TempDir) -> Arc<LocalBackend> {
    let db = dir.path().join("city.db");
    support::city(&db);
    let c = rusqlite::Connection::open(&db).unwrap();
    // Where two of Almaty Bike's stations stand, 1.2 km apart.
    c.execute_batch(
        "UPDATE stations SET lat = 43.223566, lon = 76.967225 WHERE id = 1;
         UPDATE stations SET lat = 43.2287, lon = 76.9541 WHERE id = 2;",
    )
    .unwrap();
    let end = support::at(support::START);
    demand::trips(
        &c,
        1,
        2,
        end - chrono::Duration::days(14),
        end,
        chrono::Duration::minutes(5),
    );
    let engine = Engine::new(Store::open(&db).unwrap(), Settings::default()).unwrap();
    let clock = Arc::new(SimClock::new(end));
    Arc::new(LocalBackend::start(engine, clock, "depot"))
}

/// The depot's walk-through (issue #16): the plan opens on the driver's own van, the stop
/// under the cursor opens with its bikes preselected, one confirmation does it, and the
/// van (its content, where it is) and the station change on the screen; the next stop is
/// where the bikes are needed, and the cursor stays on the stop it was on.
#[tokio::test]
async fn a_depot_driver_does_the_first_stop_of_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let b = depot_city(&dir);
    let mut d = Desk::open(b.clone(), "dana", Lang::En).await;
    d.keys("4").await;
    let s = d.screen();
    assert!(s.contains("Van plan · Van 1"), "dana's own van: {s}");
    assert!(
        s.contains("Van 1 · 0 of 20 bikes · at the depot · driver dana"),
        "{s}"
    );
    assert!(s.contains("Expected failures avoided"), "{s}");
    assert!(s.contains("At risk within the hour"), "{s}");
    assert!(
        s.contains("2 FULL for ~"),
        "station 2 at risk of being full: {s}"
    );
    let first = s
        .lines()
        .find(|l| l.contains('›'))
        .unwrap_or_default()
        .to_string();
    assert!(
        first.contains("2 Station 2") && first.contains("take 4"),
        "the first stop takes the overflow of station 2: {s}"
    );
    // `d`: the stop's action, its bikes preselected.
    d.keys("d").await;
    let s = d.screen();
    assert!(s.contains("Van stop (depot)"), "{s}");
    assert!(s.contains("Planned: take 4"), "{s}");
    assert!(s.contains("Station 2 Station 2: bikes 7 8 9 10"), "{s}");
    assert_eq!(
        d.app.dialog.as_ref().map(|f| f.value("take").to_string()),
        Some("7 8 9 10".to_string()),
        "the planned number preselected"
    );
    d.keys("Enter").await;
    let s = d.screen();
    assert!(
        s.contains("Van 1: 0 → 4 bikes · station 2: 4 → 0 bikes"),
        "the preview: {s}"
    );
    d.keys("Right Enter").await;
    let s = d.screen();
    assert!(
        s.contains("van 1 at station 2: took 4, left 0, 0 to repair; it holds 4"),
        "{s}"
    );
    assert!(d.app.dialog.is_none());
    // The van and the station changed; the plan was computed again from there.
    assert!(s.contains("Van 1 · 4 of 20 bikes · last stop 2"), "{s}");
    assert!(s.contains("7 8 9 10"), "what the van carries: {s}");
    let st = d.app.station_by_id(StationId(2)).unwrap();
    assert_eq!(
        (st.bikes, st.free_docks),
        (0, 4),
        "station 2 gave its bikes"
    );
    let next = s
        .lines()
        .find(|l| l.contains('›'))
        .unwrap_or_default()
        .to_string();
    assert!(
        next.contains("1 Station 1") && next.contains("leave 4"),
        "next: leave them where they run out: {s}"
    );
    // The selection follows the stop, not the row: a live change keeps it on station 1.
    d.app.refresh_all();
    d.settle().await;
    let keys = d.app.rebalance_keys();
    assert_eq!(d.app.rebalance_sel.key_in(&keys), Some(&StationId(1)));
    d.keys("Enter").await;
    assert_eq!(
        d.app.page(),
        Some(velodesk::tui::app::Page::Station(StationId(1))),
        "Enter opens the stop's station"
    );
}

/// An agent is not offered the plan, and the view says whose it is.
#[tokio::test]
async fn an_agent_is_told_the_plan_is_the_depots() {
    let dir = tempfile::tempdir().unwrap();
    let b = depot_city(&dir);
    let mut d = Desk::open(b, "aigerim", Lang::En).await;
    d.keys("4").await;
    let s = d.screen();
    assert!(
        s.contains("The van plan is for depot staff, supervisors and admins"),
        "{s}"
    );
    assert!(!d.app.allowed(velodesk::tui::keymap::Action::VanStop));
}

/// The map draws the driver's route: each stop marked with the van's letter and its place.
#[tokio::test]
async fn the_map_draws_the_vans_route() {
    let dir = tempfile::tempdir().unwrap();
    let b = depot_city(&dir);
    let mut d = Desk::open(b, "dana", Lang::En).await;
    d.keys("2").await;
    let s = d.screen();
    assert!(
        s.contains("Van A: 0/20"),
        "the van's load in the title: {s}"
    );
    assert!(s.contains("A1"), "the first stop on the map: {s}");
}

/// #15.9: depot staff at a console on the local system find riders by whole phone numbers
/// only, as on a server: the rule is the engine's, for both backends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn depot_staff_at_a_local_console_find_riders_by_whole_phone_numbers_only() {
    let b = city().await;
    let mut d = Desk::open(b.clone(), "nurlan", Lang::En).await;
    d.keys("3").await;
    d.typ("8 701").await;
    let screen = d.screen();
    assert!(
        screen.contains("finds a rider by the whole phone number only"),
        "the first digits find no one: {screen}"
    );
    d.typ("0000002").await;
    let screen = d.screen();
    assert!(screen.contains("Иванов"), "the whole number does: {screen}");
    // An agent finds by the first digits.
    let mut a = Desk::open(b, "aigerim", Lang::En).await;
    a.keys("3").await;
    a.typ("8 701").await;
    assert!(a.screen().contains("Иванов"), "{}", a.screen());
}
