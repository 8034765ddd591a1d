//! The desk's case file at the console (issue 17), key by key: a call found by phone opens
//! the rider and a contact, what the agent does is linked to it, a card at the fee, a
//! pinned note, a case, the contact closed; and the shift handed over between two staff
//! members at two consoles on one server.

mod console_desk;
mod support;

use console_desk::{Desk, city};
use std::sync::Arc;
use velodesk::api::HandoverKind;
use velodesk::backend::{Backend, RemoteBackend};
use velodesk::domain::RiderId;
use velodesk::tui::app::View;
use velodesk::tui::text::Lang;

/// `:call` with the caller's phone opens the rider and the contact form; the agent issues
/// a card (R24, Almaty's 1 000 ₸), pins a note, opens a case and closes the contact as
/// credited: the rider view lists the contact with its actions and the card's message.
#[tokio::test]
async fn a_call_opens_a_contact_and_what_the_agent_does_is_linked_to_it() {
    let b = city().await;
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.keys(":").await;
    d.typ("call +77010000002").await;
    d.keys("Enter").await;
    let s = d.screen();
    assert!(
        s.contains("A contact with the rider (a call, a visit)"),
        "{s}"
    );
    assert!(s.contains("◀ Docking problem ▶"), "{s}");
    d.keys("Enter Right Enter").await;
    let s = d.screen();
    assert!(s.contains("ON A CALL since 09:00: Docking problem"), "{s}");
    // A card at the desk: the preview says the fee, the old card (none) is not mentioned.
    d.keys("I").await;
    d.typ("ab12 3456 7890").await;
    d.keys("Enter").await;
    let s = d.screen();
    assert!(s.contains("card fee 1 000 ₸ charged to the account"), "{s}");
    d.keys("Right Enter").await;
    // A pinned note shows at the top of the view.
    d.keys("n").await;
    d.typ("prefers calls after 18:00").await;
    d.keys("Down Right Enter Right Enter").await;
    let s = d.screen();
    assert!(
        s.contains("PINNED · aigerim: prefers calls after 18:00"),
        "{s}"
    );
    // What the call cannot finish: a case, from the contact.
    d.keys("O").await;
    assert!(d.screen().contains("from contact"), "{}", d.screen());
    d.keys("Down").await;
    d.typ("send the receipt by e-mail").await;
    d.keys("Enter Right Enter").await;
    // The contact closed as credited (the second outcome).
    d.keys("w").await;
    assert!(d.screen().contains("actions so far: 3"), "{}", d.screen());
    d.keys("Right Enter Right Enter").await;
    let s = d.screen();
    assert!(
        s.contains("aigerim · Docking problem → Credited · actions: 3"),
        "{s}"
    );
    // The outbox: the rider was told of the card, in Kazakh (R27).
    assert!(s.contains("Жаңа карта берілді (…7890)"), "{s}");
    assert!(s.contains("▣ case 1 · Docking problem · open"), "{s}");
    let v = b.rider(RiderId(1042)).await.unwrap();
    assert_eq!(v.contacts[0].outcome.as_deref(), Some("credited"));
    assert!(v.ledger.iter().any(|e| e.kind == "card-fee"));
    // The case is in the agent's Cases view.
    d.keys("Esc 7").await;
    let s = d.screen();
    assert!(s.contains("Mine (1)"), "{s}");
    assert!(s.contains("send the receipt by e-mail"), "{s}");
}

/// The done-when test of the handover: aigerim hands her shift over at her console; bolat,
/// at another console on the same server, sees it first and takes it over item by item;
/// what he does not take stays on the list for the next console.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shift_is_handed_over_between_two_consoles_on_one_server() {
    let mut s = support::TestServer::start().await;
    let connect = |name: &'static str| {
        let url = s.url.clone();
        async move {
            let r = RemoteBackend::connect(&url, name, &support::password(name))
                .await
                .unwrap();
            Arc::new(r) as Arc<dyn Backend>
        }
    };
    let mut a = Desk::open(connect("aigerim").await, "aigerim", Lang::En).await;
    a.keys(":").await;
    a.typ("rider 2").await;
    a.keys("Enter O Down").await;
    a.typ("check the bank transfer").await;
    a.keys("Enter Right Enter Esc").await;
    a.keys(":").await;
    a.typ("handover").await;
    a.keys("Enter").await;
    a.typ("the desk printer is out of paper").await;
    a.keys("Enter").await;
    let screen = a.screen();
    assert!(screen.contains("Hand the shift over"), "{screen}");
    assert!(
        screen.contains("case: case 1 · docking-problem · rider 2"),
        "{screen}"
    );
    assert!(screen.contains("check the bank transfer"), "{screen}");
    assert!(
        screen.contains("note: the desk printer is out of paper"),
        "{screen}"
    );
    a.keys("Right Enter").await;
    assert!(
        a.screen().contains("shift handed over: 2 items"),
        "{}",
        a.screen()
    );

    // The next one at the desk logs in: the handover first.
    let mut b = Desk::open(connect("bolat").await, "bolat", Lang::En).await;
    assert_eq!(b.app.view, View::Cases);
    let screen = b.screen();
    assert!(screen.contains("aigerim handed the shift over"), "{screen}");
    assert!(screen.contains("Handed over by aigerim"), "{screen}");
    assert!(
        screen.contains("›case: case 1 · docking-problem · rider 2"),
        "{screen}"
    );
    // The case item taken over: bolat owns the case now.
    b.keys("a").await;
    assert!(
        b.screen().contains("Take over a handover item"),
        "{}",
        b.screen()
    );
    b.keys("Enter Right Enter").await;
    let screen = b.screen();
    assert!(screen.contains("taken over by"), "{screen}");
    assert!(screen.contains("Mine (1)"), "{screen}");
    let file = b.app.desk_file.clone().unwrap();
    let items = &file.handovers[0].items;
    assert_eq!(items[0].acked.as_ref().map(|x| x.0.as_str()), Some("bolat"));
    assert_eq!(items[1].kind, HandoverKind::Note);
    assert!(items[1].acked.is_none(), "the note stays until taken over");
    // Another console of the next shift still sees what is not taken over.
    let c = Desk::open(connect("sergey").await, "sergey", Lang::En).await;
    assert_eq!(c.app.view, View::Cases);
    let screen = c.screen();
    assert!(
        screen.contains("note: the desk printer is out of paper"),
        "{screen}"
    );
    assert!(screen.contains("taken over by"), "{screen}");
    s.stop().await;
}

/// A bike's note follows it: the depot reads it in the dock form as it docks the bike from
/// the van, and on the station's page once it stands there.
#[tokio::test]
async fn the_depot_reads_a_bikes_note_as_it_docks_it() {
    use velodesk::api::NoteAbout;
    use velodesk::backend::{DeskOps, Ops};
    use velodesk::domain::BikeId;
    let b = city().await;
    b.acting("aigerim")
        .note_on(NoteAbout::Bike(BikeId(101)), "rear brake weak", false)
        .await
        .unwrap();
    b.acting("nurlan")
        .service_release(BikeId(101))
        .await
        .unwrap();
    let mut d = Desk::open(b.clone(), "nurlan", Lang::En).await;
    d.keys("4").await;
    d.keys(":").await;
    d.typ("station 1003").await;
    d.keys("Enter D").await;
    let s = d.screen();
    assert!(s.contains("Bike 101 · aigerim: rear brake weak"), "{s}");
    d.keys("Enter").await;
    assert!(
        d.screen().contains("Bike 101 · aigerim: rear brake weak"),
        "the preview too"
    );
    d.keys("Right Enter").await;
    let s = d.screen();
    assert!(
        s.contains("Bike 101 · aigerim: rear brake weak"),
        "the station's page: {s}"
    );
}

/// Quitting after a shift's length opens the handover first; `q` again quits.
#[tokio::test]
async fn quitting_after_a_shift_asks_for_the_handover_first() {
    use velodesk::backend::Ops;
    let b = city().await;
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.app.opts.shift = chrono::Duration::hours(1);
    d.keys("q").await;
    assert!(d.app.quit, "within the shift, q quits");
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.app.opts.shift = chrono::Duration::hours(1);
    b.advance_clock(console_desk::at("2025-06-02 10:30"))
        .await
        .unwrap();
    d.app.refresh_all();
    d.settle().await;
    d.keys("q").await;
    assert!(!d.app.quit);
    let s = d.screen();
    assert!(s.contains("Hand the shift over"), "{s}");
    assert!(s.contains("your shift is over (1 h)"), "{s}");
    d.keys("Esc q").await;
    assert!(d.app.quit, "q again quits");
}

/// The Cases view lists the agent's cases by when they are due, overdue first; when the
/// list re-sorts, the cursor stays on the case it was on.
#[tokio::test]
async fn the_cursor_stays_on_its_case_when_the_cases_re_sort() {
    use velodesk::api::Op;
    use velodesk::backend::DeskOps;
    use velodesk::tui::views::cases::CaseKey;
    let b = city().await;
    let agent = b.acting("aigerim");
    let at = console_desk::at;
    let early = agent
        .open_case(
            None,
            "complaint",
            "call the landlord",
            at("2025-06-02 10:00"),
        )
        .await
        .unwrap();
    let late = agent
        .open_case(None, "other", "order paper", at("2025-06-02 12:00"))
        .await
        .unwrap();
    let mut d = Desk::open(b.clone(), "aigerim", Lang::En).await;
    d.keys("7 Down").await;
    assert_eq!(d.app.selected_case_key(), Some(CaseKey::Case(late)));
    agent
        .execute(Op::UpdateCase {
            case: early,
            status: None,
            next_action: None,
            due: Some(at("2025-06-02 13:00")),
            note: String::new(),
        })
        .await
        .unwrap();
    d.app.refresh_all();
    d.settle().await;
    let s = d.screen();
    let first = s.find("order paper").unwrap();
    assert!(
        first < s.find("call the landlord").unwrap(),
        "re-sorted: {s}"
    );
    assert_eq!(d.app.selected_case_key(), Some(CaseKey::Case(late)), "{s}");
    assert!(s.contains("›case 2 · Other"), "{s}");
}

/// A bike's note can be pinned as it is written (`b`), shows first on the station's page
/// the bike stands at, and `N` there unpins it; all of it in the desk's language (ru).
#[tokio::test]
async fn the_depot_pins_a_bikes_note_and_unpins_it() {
    let b = city().await;
    let mut d = Desk::open(b.clone(), "nurlan", Lang::Ru).await;
    d.keys(":").await;
    d.typ("station 1001").await;
    d.keys("Enter b").await;
    d.typ("rear brake weak").await;
    let s = d.screen();
    assert!(
        s.contains("Закрепить сверху"),
        "the bike's note may be pinned: {s}"
    );
    d.keys("Down Right Enter Right Enter").await;
    let s = d.screen();
    assert!(
        s.contains("ЗАКРЕПЛЕНО · Велосипед 101 · nurlan: rear brake weak"),
        "{s}"
    );
    assert!(
        s.contains("заметка (Велосипед 101) сохранена"),
        "in Russian: {s}"
    );
    d.keys("N").await;
    let s = d.screen();
    assert!(s.contains("Открепить заметку"), "{s}");
    assert!(
        s.contains("Велосипед 101 · nurlan: rear brake weak"),
        "which note: {s}"
    );
    d.keys("Enter").await;
    d.keys("Right Enter").await;
    let s = d.screen();
    assert!(s.contains("Велосипед 101 · nurlan: rear brake weak"), "{s}");
    assert!(!s.contains("ЗАКРЕПЛЕНО"), "unpinned: {s}");
}

/// A supervisor gives a case to someone by picking a name (those who work cases: the
/// desk's agents and supervisors, not the depot), or back to the desk, with no name typed.
#[tokio::test]
async fn a_supervisor_reassigns_a_case_by_picking_who() {
    use velodesk::backend::DeskOps;
    let b = city().await;
    let at = console_desk::at;
    let case = b
        .acting("aigerim")
        .open_case(None, "complaint", "call back", at("2025-06-02 10:00"))
        .await
        .unwrap();
    let mut d = Desk::open(b.clone(), "saule", Lang::En).await;
    d.keys("7 A").await;
    let s = d.screen();
    assert!(s.contains("◀ aigerim ▶  (2/3)"), "the case's owner: {s}");
    d.keys("Right Right").await;
    let s = d.screen();
    assert!(
        s.contains("◀ saule ▶  (3/3)"),
        "the desk, aigerim, saule; no depot: {s}"
    );
    d.keys("Left Left").await;
    assert!(d.screen().contains("◀ the desk ▶  (1/3)"), "{}", d.screen());
    d.keys("Enter Right Enter").await;
    let s = d.screen();
    assert!(s.contains(&format!("case {case} given to the desk")), "{s}");
    let file = b.acting("saule").desk_file().await.unwrap();
    let k = file.cases.iter().find(|k| k.id == case).unwrap();
    assert_eq!(k.owner, None, "back to the desk");
}
