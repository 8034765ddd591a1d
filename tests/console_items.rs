//! The console as people use it (issue 15), key by key: procedures that say why they cannot
//! be done, the depot's dock under the cursor, the cable lock that tells what happened, the
//! supervisor's work, masked headers, live search answers, the alerts' keys, the
//! translations and their plurals.

mod console_desk;

use console_desk::{Desk, at, city};
use crossterm::event::KeyCode;
use velodesk::api::NewRider;
use velodesk::backend::Ops;
use velodesk::backend::{Backend, DockOutcome};
use velodesk::domain::tariff::FineKind;
use velodesk::domain::{BikeId, RiderId, StationId, Tenge};
use velodesk::tui::text::{Lang, Noun, T, count};

/// `e` on a rider who has no rental open says why, and opens no form; the hint bar greys
/// the key with the same reason.
#[tokio::test]
async fn e_on_a_rider_without_a_rental_says_why_and_opens_nothing() {
    let b = city().await;
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.keys(":").await;
    d.typ("rider 1041").await;
    d.keys("Enter").await;
    let s = d.screen();
    assert!(s.contains("e end rental (no rental open)"), "{s}");
    d.keys("e").await;
    assert!(d.app.dialog.is_none(), "no form opens");
    let s = d.screen();
    assert!(s.contains("End a stuck rental: no rental open"), "{s}");
    // In Russian too.
    let mut d = Desk::open(b.clone(), "aigerim", Lang::Ru).await;
    d.keys(":").await;
    d.typ("rider 1041").await;
    d.keys("Enter e").await;
    assert!(d.app.dialog.is_none());
    assert!(d.screen().contains("нет открытой аренды"), "{}", d.screen());
}

/// Depot `o` puts the dock under the cursor out of service (dock 5, not the first free
/// one); the dialog names the dock and its preview says so.
#[tokio::test]
async fn depot_o_takes_the_dock_under_the_cursor() {
    let b = city().await;
    let mut d = Desk::open(b.clone(), "nurlan", Lang::En).await;
    d.keys(":").await;
    d.typ("station 1005").await;
    d.keys("Enter").await;
    // Docks 1 and 2 hold the station's two bikes; the cursor goes down to dock 5.
    d.keys("Down Down Down Down o").await;
    let s = d.screen();
    assert!(s.contains("Put a free dock out of service"), "{s}");
    assert!(s.contains("Dock number (empty: any free one) 5"), "{s}");
    d.keys("Enter").await;
    let s = d.screen();
    assert!(
        s.contains("dock 5 of station 1005 ТРЦ Esentai Mall goes out of service"),
        "{s}"
    );
    d.keys("Right Enter").await;
    let v = b.station(StationId(1005)).await.unwrap();
    let out: Vec<u32> = v
        .docks
        .iter()
        .filter(|d| !d.in_service)
        .map(|d| d.number)
        .collect();
    assert_eq!(out, vec![5], "dock 5 and only it is out of service");
    // On a dock with a bike, `o` says why instead.
    assert!(d.app.dialog.is_none(), "done: the dialog closed");
    d.keys("Up Up Up Up o").await;
    assert!(d.app.dialog.is_none());
    assert!(
        d.screen().contains("a bike is in the dock"),
        "{}",
        d.screen()
    );
}

async fn authorise_the_call(d: &mut Desk) {
    d.keys("5").await;
    let i = d
        .app
        .visible_alerts()
        .iter()
        .position(|a| a.kind == velodesk::api::AlertKind::CableLockCall)
        .unwrap();
    for _ in 0..i {
        d.keys("Down").await;
    }
    d.keys("Enter").await;
    d.keys("Enter Right Enter").await;
    assert!(
        d.screen().contains("Waiting for the rider"),
        "{}",
        d.screen()
    );
}

/// A cable lock the rider did not need: they found a dock at another station. The dialog
/// says so, not "Locked".
#[tokio::test]
async fn a_cable_lock_not_used_says_the_rider_docked_elsewhere() {
    let b = city().await;
    b.rent(RiderId(1042), BikeId(101), "1234").await.unwrap();
    b.advance_clock(at("2025-06-02 09:25")).await.unwrap();
    b.call_cable_lock(RiderId(1042), StationId(1004))
        .await
        .unwrap();
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    authorise_the_call(&mut d).await;
    b.return_bike(BikeId(101), StationId(1005), DockOutcome::Locked)
        .await
        .unwrap();
    d.settle().await;
    let s = d.screen();
    assert!(
        s.contains("The rider docked the bike at station 1005: the permission was not used"),
        "{s}"
    );
    assert!(!s.contains("Locked with the cable"), "{s}");
}

/// The wait for the rider's lock counts on the system's clock (a demo's runs fast).
#[tokio::test]
async fn the_cable_lock_wait_follows_the_systems_clock() {
    let b = city().await;
    b.rent(RiderId(1042), BikeId(101), "1234").await.unwrap();
    b.advance_clock(at("2025-06-02 09:25")).await.unwrap();
    b.call_cable_lock(RiderId(1042), StationId(1004))
        .await
        .unwrap();
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    authorise_the_call(&mut d).await;
    b.advance_clock(at("2025-06-02 09:28")).await.unwrap();
    d.app.update(velodesk::tui::app::Msg::Tick);
    d.settle().await;
    d.app.update(velodesk::tui::app::Msg::Tick);
    d.settle().await;
    let s = d.screen();
    assert!(s.contains("lock the bike with the cable… 3 min"), "{s}");
    // Past two minutes it says what to do.
    assert!(s.contains("The permission stays valid until"), "{s}");
}

/// From the rider's page, `c` puts the rider's pending call's station first; another
/// station is chosen by typing its code.
#[tokio::test]
async fn a_cable_lock_from_the_rider_takes_the_call_and_a_typed_station() {
    let b = city().await;
    b.rent(RiderId(1042), BikeId(101), "1234").await.unwrap();
    b.call_cable_lock(RiderId(1042), StationId(1004))
        .await
        .unwrap();
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.keys(":").await;
    d.typ("rider 1042").await;
    d.keys("Enter c").await;
    let s = d.screen();
    assert!(s.contains("◀ 1004 Кафе Менд-Аль — FULL ▶"), "{s}");
    d.typ("1005").await;
    let s = d.screen();
    assert!(s.contains("◀ 1005 ТРЦ Esentai Mall"), "{s}");
}

/// The supervisor's work from the rider page: reject a fine, give a bonus, correct an
/// entry, impose a restriction and lift it.
#[tokio::test]
async fn a_supervisor_rejects_a_fine_gives_a_bonus_corrects_and_restricts() {
    let b = city().await;
    b.as_staff("aigerim")
        .fine(
            RiderId(1043),
            FineKind::Damage,
            Some(Tenge(60_000)),
            None,
            "bent wheel",
        )
        .await
        .unwrap();
    let mut d = Desk::open(b.clone(), "saule", Lang::En).await;
    d.keys(":").await;
    d.typ("rider 1043").await;
    d.keys("Enter X").await;
    let s = d.screen();
    assert!(s.contains("Reject the fine (D14)"), "{s}");
    assert!(s.contains("damage 60 000 ₸ · aigerim · bent wheel"), "{s}");
    d.typ("photo shows old damage").await;
    d.keys("Enter Right Enter").await;
    let v = b.rider(RiderId(1043)).await.unwrap();
    assert_eq!(v.fines[0].status, "rejected");
    assert_eq!(v.rider.balance, Tenge(20_000), "nothing posted");
    // Nothing waits now: `X` says so.
    d.keys("X").await;
    assert!(d.app.dialog.is_none());
    assert!(d.screen().contains("no fine waits for approval"));

    d.keys("g").await;
    d.typ("500").await;
    d.keys("Tab").await;
    d.typ("birthday").await;
    d.keys("Enter").await;
    assert!(d.screen().contains("Bonus 0 ₸ → 500 ₸"), "{}", d.screen());
    d.keys("Right Enter").await;
    assert_eq!(
        b.rider(RiderId(1043)).await.unwrap().rider.bonus,
        Tenge(500)
    );

    d.keys("E").await;
    let s = d.screen();
    assert!(s.contains("Correct a ledger entry"), "{s}");
    d.keys("Tab").await;
    d.typ("-300").await;
    d.keys("Tab").await;
    d.typ("double payment typed").await;
    d.keys("Enter").await;
    assert!(
        d.screen().contains("balance 20 000 ₸ → 19 700 ₸"),
        "{}",
        d.screen()
    );
    d.keys("Right Enter").await;
    assert_eq!(
        b.rider(RiderId(1043)).await.unwrap().rider.balance,
        Tenge(19_700)
    );

    d.keys("r").await;
    let s = d.screen();
    assert!(s.contains("Reason (sent to the rider)"), "{s}");
    assert!(s.contains("it is lifted only by hand"), "{s}");
    d.typ("documents to check").await;
    d.keys("Tab").await;
    d.typ("passport expired").await;
    d.keys("Enter Right Enter").await;
    assert!(b.rider(RiderId(1043)).await.unwrap().rider.restricted);
    d.keys("r").await;
    assert!(d.screen().contains("already restricted"), "{}", d.screen());
    d.keys("l").await;
    d.typ("new passport seen").await;
    d.keys("Enter Right Enter").await;
    assert!(!b.rider(RiderId(1043)).await.unwrap().rider.restricted);
}

/// A dialog's header shows the patronymic as an initial, as the panel does; a block's
/// reason says it goes to the rider.
#[tokio::test]
async fn dialog_headers_mask_the_patronymic_and_a_block_says_who_reads_the_reason() {
    let b = city().await;
    b.add_rider(NewRider {
        id: Some(RiderId(1050)),
        surname: "Иванов".into(),
        name: "Сергей".into(),
        patronymic: "Петрович".into(),
        phone: Some("+77010000050".into()),
        born: chrono::NaiveDate::from_ymd_opt(1980, 1, 2).unwrap(),
        resident: true,
        lang: "ru".into(),
        pin: "1234".into(),
        ..NewRider::default()
    })
    .await
    .unwrap();
    let mut d = Desk::open(b.clone(), "saule", Lang::En).await;
    d.keys(":").await;
    d.typ("rider 1050").await;
    d.keys("Enter p").await;
    let s = d.screen();
    assert!(s.contains("Иванов Сергей П."), "{s}");
    assert!(!s.contains("Петрович"), "{s}");
    d.keys("Esc B").await;
    let s = d.screen();
    assert!(
        s.contains("The reason is sent to the rider in a message."),
        "{s}"
    );
    assert!(s.contains("Reason (sent to the rider)"), "{s}");
}

/// The search's answer follows the riders it shows: a payment changes the balance there.
#[tokio::test]
async fn search_results_refresh_when_the_rider_changes() {
    let b = city().await;
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.keys("3").await;
    d.typ("Иванов").await;
    assert!(d.screen().contains("20 000 ₸"), "{}", d.screen());
    b.pay(RiderId(1042), Tenge(5_000), velodesk::api::PayMethod::Cash)
        .await
        .unwrap();
    d.settle().await;
    d.app.update(velodesk::tui::app::Msg::Tick);
    d.settle().await;
    assert!(d.screen().contains("25 000 ₸"), "{}", d.screen());
}

/// Alerts: `/` filters, `G`/End go to the last row and `g`/Home to the first; within a kind
/// the newest comes first.
#[tokio::test]
async fn alerts_filter_and_jump_and_put_the_newest_first() {
    let b = city().await;
    b.rent(RiderId(1042), BikeId(101), "1234").await.unwrap();
    b.rent(RiderId(1043), BikeId(102), "1234").await.unwrap();
    b.call_cable_lock(RiderId(1042), StationId(1004))
        .await
        .unwrap();
    b.advance_clock(at("2025-06-02 09:20")).await.unwrap();
    b.call_cable_lock(RiderId(1043), StationId(1004))
        .await
        .unwrap();
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.keys("5").await;
    let calls: Vec<_> = d
        .app
        .visible_alerts()
        .iter()
        .filter(|a| a.kind == velodesk::api::AlertKind::CableLockCall)
        .map(|a| a.rider)
        .collect();
    assert_eq!(
        calls,
        vec![Some(RiderId(1043)), Some(RiderId(1042))],
        "newest first"
    );
    let n = d.app.visible_alerts().len();
    d.keys("G").await;
    assert_eq!(d.app.alerts_sel.index(&d.app.alert_keys()), n - 1);
    d.key(KeyCode::Home).await;
    assert_eq!(d.app.alerts_sel.index(&d.app.alert_keys()), 0);
    d.keys("/").await;
    d.typ("1042").await;
    let s = d.screen();
    assert!(s.contains("rider 1042 waits for a cable lock"), "{s}");
    assert!(!s.contains("rider 1043 waits"), "{s}");
    // Enter opens what the filtered list shows.
    d.keys("Esc").await;
    d.keys("Enter").await;
    assert_eq!(
        d.app.page(),
        Some(velodesk::tui::app::Page::Rider(RiderId(1042)))
    );
}

/// The alerts speak the console's language.
#[tokio::test]
async fn alerts_are_worded_in_russian_and_kazakh() {
    let b = city().await;
    b.rent(RiderId(1042), BikeId(101), "1234").await.unwrap();
    b.call_cable_lock(RiderId(1042), StationId(1004))
        .await
        .unwrap();
    for (lang, word) in [
        (Lang::Ru, "клиент 1042 ждёт разрешения на трос"),
        (Lang::Kk, "1042 клиент 1004 Кафе Менд-Аль бекетте трос"),
    ] {
        let mut d = Desk::open(b.clone(), "aigerim", lang).await;
        d.keys("5").await;
        let s = d.screen();
        assert!(s.contains(word), "{s}");
        assert!(!s.contains("waits for a cable lock"), "{s}");
    }
}

/// Every text exists in every language, and counts take the plural a person would say.
#[test]
fn every_message_in_every_language_and_plurals() {
    for t in T::ALL {
        for lang in [Lang::En, Lang::Ru, Lang::Kk] {
            assert!(!t.get(lang).trim().is_empty(), "{t:?} in {lang:?}");
        }
    }
    assert_eq!(count(1, Noun::Bike, Lang::Ru), "1 велосипед");
    assert_eq!(count(2, Noun::Bike, Lang::Ru), "2 велосипеда");
    assert_eq!(count(5, Noun::Bike, Lang::Ru), "5 велосипедов");
    assert_eq!(count(5, Noun::Bike, Lang::Kk), "5 велосипед");
}

/// The station page counts its bikes and docks as people say them.
#[tokio::test]
async fn the_station_page_counts_in_russian_plurals() {
    let b = city().await;
    let mut d = Desk::open(b.clone(), "aigerim", Lang::Ru).await;
    d.keys(":").await;
    d.typ("station 1002").await;
    d.keys("Enter").await;
    assert!(
        d.screen()
            .contains("Станция 1002 · 8 велосипедов · 12 доков"),
        "{}",
        d.screen()
    );
    d.keys("Esc :").await;
    d.typ("station 1005").await;
    d.keys("Enter").await;
    assert!(
        d.screen()
            .contains("Станция 1005 · 2 велосипеда · 10 доков"),
        "{}",
        d.screen()
    );
}

/// The light theme paints its own background, so that it reads on a dark terminal: every
/// cell, a dialog's included, is dark on white.
#[tokio::test]
async fn the_light_theme_sets_its_background() {
    use ratatui::style::Color;
    use velodesk::tui::theme::{Palette, Theme};
    let b = city().await;
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.app.opts.theme = Theme::new(Palette::Light);
    d.keys(":").await;
    d.typ("rider 1041").await;
    d.keys("Enter p").await;
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    t.draw(|f| velodesk::tui::views::render(f, &d.app)).unwrap();
    let buf = t.backend().buffer();
    // An empty cell of the page and one inside the dialog.
    for (x, y) in [(119, 30), (60, 20)] {
        assert_eq!(buf[(x, y)].bg, Color::White, "cell {x},{y}");
    }
}

/// The mouse stays the terminal's (to select and copy) until `m` gives it to the console.
#[tokio::test]
async fn the_mouse_is_the_terminals_until_m() {
    let b = city().await;
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    assert!(!d.app.mouse, "off at the start");
    d.keys("m").await;
    assert!(d.app.mouse);
    assert!(d.screen().contains("The console takes the mouse"));
    d.keys("m").await;
    assert!(!d.app.mouse);
    assert!(d.screen().contains("The terminal has the mouse again"));
}

/// A session that can no longer write (logged out) says READ-ONLY in its header, as a
/// `--read-only` console does, and at 80 columns the header keeps its state words.
#[tokio::test]
async fn a_session_that_cannot_write_says_read_only() {
    let b = city().await;
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    let s = d.screen_at(80, 24);
    let header = s.lines().next().unwrap_or_default();
    assert!(header.contains("[LIVE]"), "{header}");
    assert!(header.contains("aigerim (agent)"), "{header}");
    assert!(!header.contains("READ-ONLY"), "{header}");
    d.app.update(velodesk::tui::app::Msg::Connection(
        velodesk::api::ConnectionState::LoggedOut {
            since: at("2025-06-02 09:00"),
        },
    ));
    let s = d.screen_at(80, 24);
    assert!(
        s.lines().next().unwrap_or_default().contains("[READ-ONLY]"),
        "{s}"
    );
}

/// #15 "previews that do not validate": the preview is the engine's answer to the same
/// request, so approving one's own fine (D14) is refused before Confirm — and nothing of
/// the dry run is kept.
#[tokio::test]
async fn a_preview_is_the_engines_answer_and_says_no_before_confirm() {
    let b = city().await;
    b.as_staff("saule")
        .fine(
            RiderId(1043),
            FineKind::Damage,
            Some(Tenge(60_000)),
            None,
            "bent wheel",
        )
        .await
        .unwrap();
    let mut d = Desk::open(b.clone(), "saule", Lang::En).await;
    d.keys(":").await;
    d.typ("rider 1043").await;
    d.keys("Enter a").await;
    assert!(d.app.dialog.is_some(), "{}", d.screen());
    d.keys("Enter").await;
    let s = d.screen();
    let form = d.app.dialog.as_ref().expect("the form stays open");
    assert!(
        form.error
            .as_deref()
            .is_some_and(|e| e.contains("someone other than who entered it")),
        "refused at the preview: {:?}\n{s}",
        form.error
    );
    assert_eq!(
        b.rider(RiderId(1043)).await.unwrap().fines[0].status,
        "pending",
        "the dry run kept nothing"
    );
    // A payment's preview runs the engine too and keeps nothing.
    d.keys("Esc p").await;
    d.typ("5000").await;
    d.keys("Enter").await;
    assert!(d.screen().contains("Confirm"), "{}", d.screen());
    assert_eq!(
        b.rider(RiderId(1043)).await.unwrap().rider.balance,
        Tenge(20_000),
        "previewed, not taken"
    );
}

/// #15.3: `t` takes the alert under the cursor ("I am on it"): every desk sees who has it,
/// and another agent who tries is told.
#[tokio::test]
async fn t_takes_an_alert_and_every_desk_sees_who_has_it() {
    let b = city().await;
    b.rent(RiderId(1042), BikeId(101), "1234").await.unwrap();
    b.call_cable_lock(RiderId(1042), StationId(1004))
        .await
        .unwrap();
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.keys("5").await;
    let at = d
        .app
        .visible_alerts()
        .iter()
        .position(|a| a.kind == velodesk::api::AlertKind::CableLockCall)
        .expect("the call is listed");
    d.key(KeyCode::Home).await;
    for _ in 0..at {
        d.key(KeyCode::Down).await;
    }
    d.keys("t").await;
    let s = d.screen();
    assert!(s.contains("aigerim is on it"), "{s}");
    // Another desk sees it, and cannot take it again.
    let mut other = Desk::open(b.clone(), "saule", Lang::Ru).await;
    other.keys("5").await;
    assert!(
        other.screen().contains("занимается aigerim"),
        "{}",
        other.screen()
    );
}

/// Issue 14's example operation at the desk: `n` writes a note on the rider, kept in the
/// audit under the agent's name and shown in the rider view.
#[tokio::test]
async fn n_keeps_a_note_on_the_rider_shown_in_the_view() {
    let b = city().await;
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.keys(":").await;
    d.typ("rider 1042").await;
    d.keys("Enter n").await;
    assert!(d.screen().contains("A note on the rider"), "{}", d.screen());
    d.typ("asked for a receipt by e-mail").await;
    d.keys("Enter Right Enter").await;
    let v = b.rider(RiderId(1042)).await.unwrap();
    assert_eq!(v.notes.len(), 1, "{}", d.screen());
    assert_eq!(v.notes[0].staff, "aigerim");
    assert!(
        d.screen().contains("aigerim: asked for a receipt"),
        "{}",
        d.screen()
    );
}

/// The end-rental preview is the engine's quote worded in the desk's language (R3, D2):
/// a Russian desk reads the bracket in Russian, not the engine's English label.
#[tokio::test]
async fn r3_the_end_rental_preview_speaks_the_desks_language() {
    let b = city().await;
    b.rent(RiderId(1042), BikeId(101), "1234").await.unwrap();
    b.advance_clock(at("2025-06-02 09:30")).await.unwrap();
    for (lang, words) in [
        (Lang::Ru, "поездка 30 мин (до 30 мин, включено)"),
        (Lang::Kk, "30 мин сапар (30 минутқа дейін, кіреді)"),
        (Lang::En, "30 min trip (up to 30 min, included)"),
    ] {
        let mut d = Desk::open(b.clone(), "aigerim", lang).await;
        d.keys(":").await;
        d.typ("rider 1042").await;
        d.keys("Enter e").await;
        d.typ("1001").await;
        d.keys("Tab Tab").await;
        d.typ("lock error").await;
        d.keys("Enter").await;
        let s = d.screen();
        assert!(s.contains(words), "{lang:?}: {s}");
        if lang != Lang::En {
            assert!(!s.contains("min trip"), "{lang:?}: {s}");
        }
    }
}

/// Esc and `6` typed quickly reach the console as one Alt-6 (the terminal's escape
/// sequence): in the search field that is Esc, then `6`, which opens the audit; the search
/// does not get a "6".
#[tokio::test]
async fn esc_and_a_key_typed_at_once_leave_the_field_then_act() {
    use crossterm::event::{KeyEvent, KeyModifiers};
    use velodesk::tui::app::Msg;
    let b = city().await;
    let mut d = Desk::open(b.clone(), "saule", Lang::En).await;
    d.keys("3").await;
    d.typ("Ив").await;
    d.app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('6'),
        KeyModifiers::ALT,
    )));
    d.settle().await;
    assert_eq!(
        d.app.riders.input.value(),
        "Ив",
        "the search is left as it was"
    );
    assert!(d.screen().contains("Audit ("), "{}", d.screen());
}
