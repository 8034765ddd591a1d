//! The desk's case file (issue 17) through the one door: notes on riders, bikes and
//! stations; contacts and the actions linked to them; riders told of staff's changes (R27);
//! cards at the desk (R24); cases; the shift's handover; and every new operation refused
//! to a role that may not do it, locally and over `POST /ops`.

mod support;

use std::sync::Arc;
use support::{TestServer, at, password};
use velodesk::api::{CaseStatus, HandoverKind, NoteAbout, Op, PayMethod};
use velodesk::backend::{Backend, BackendError, DeskOps, LocalBackend, Ops, RemoteBackend};
use velodesk::clock::SimClock;
use velodesk::domain::tariff::FineKind;
use velodesk::domain::{BikeId, Refusal, RiderId, StationId, Tenge};
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;

fn local_in(dir: &tempfile::TempDir, tariff: &str, pass: &str) -> LocalBackend {
    let db = dir.path().join("city.db");
    support::city_in(&db, tariff, pass, at(support::START));
    let engine = Engine::new(Store::open(&db).unwrap(), Settings::default()).unwrap();
    LocalBackend::start(engine, Arc::new(SimClock::new(at(support::START))), "test")
}

fn local(dir: &tempfile::TempDir) -> LocalBackend {
    local_in(dir, "astana", "monthly")
}

fn refusal<T: std::fmt::Debug>(r: Result<T, BackendError>) -> Refusal {
    match r {
        Err(BackendError::Refused { kind, .. }) => kind,
        other => panic!("not refused: {other:?}"),
    }
}

fn message<T: std::fmt::Debug>(r: Result<T, BackendError>) -> String {
    match r {
        Err(BackendError::Refused { message, .. }) | Err(BackendError::Conflict { message }) => {
            message
        }
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_note_comes_first_and_a_bikes_note_follows_the_bike() {
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    let (agent, depot) = (b.acting("aigerim"), b.acting("dana"));
    let first = agent
        .note(RiderId(1), "asked about the yearly pass")
        .await
        .unwrap();
    let pinned = agent
        .note_on(NoteAbout::Rider(RiderId(1)), "speaks Kazakh only", true)
        .await
        .unwrap();
    agent.note(RiderId(1), "called again").await.unwrap();
    let v = b.rider(RiderId(1)).await.unwrap();
    let texts: Vec<&str> = v.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "speaks Kazakh only",
            "called again",
            "asked about the yearly pass"
        ],
        "the pinned note first, then newest first"
    );
    // Unpinned by hand, it takes its place by time; pinning twice is refused.
    agent.pin_note(pinned, false).await.unwrap();
    assert_eq!(
        refusal(agent.pin_note(pinned, false).await),
        Refusal::Invalid
    );
    agent.pin_note(first, true).await.unwrap();
    let v = b.rider(RiderId(1)).await.unwrap();
    assert_eq!(v.notes[0].text, "asked about the yearly pass");
    assert!(v.notes[0].pinned);
    // The depot may not pin (or write) a rider's note.
    assert_eq!(
        refusal(depot.pin_note(first, false).await),
        Refusal::Forbidden
    );

    // A bike's note: seen on the station where it stands, in the van, and where it docks.
    agent
        .note_on(NoteAbout::Bike(BikeId(7)), "rear brake weak", false)
        .await
        .unwrap();
    depot
        .note_on(NoteAbout::Station(StationId(2)), "dock 3 sticks", true)
        .await
        .unwrap();
    let s2 = b.station(StationId(2)).await.unwrap();
    let texts: Vec<&str> = s2.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["dock 3 sticks", "rear brake weak"]);
    depot.service_release(BikeId(7)).await.unwrap();
    let van = depot
        .bikes_in(velodesk::api::BikeState::Van, 10)
        .await
        .unwrap();
    assert_eq!(
        van[0].notes[0].text, "rear brake weak",
        "the depot sees it in the van"
    );
    depot.service_dock(BikeId(7), StationId(1)).await.unwrap();
    let s1 = b.station(StationId(1)).await.unwrap();
    assert!(s1.notes.iter().any(|n| n.text == "rear brake weak"));
    let s2 = b.station(StationId(2)).await.unwrap();
    assert!(!s2.notes.iter().any(|n| n.text == "rear brake weak"));
    // Every note is audited under its writer.
    let audit = b.acting("ada").audit(Default::default()).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "add-fleet-note" && a.staff == "dana" && a.target == "station 2")
    );
    assert!(
        audit
            .iter()
            .any(|a| a.action == "pin-note" && a.details == "unpin")
    );
    // No note on a bike that is not there; no empty note.
    assert_eq!(
        refusal(
            agent
                .note_on(NoteAbout::Bike(BikeId(999)), "x", false)
                .await
        ),
        Refusal::NotFound
    );
    assert_eq!(
        refusal(depot.note_on(NoteAbout::Bike(BikeId(1)), "  ", false).await),
        Refusal::Invalid
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_links_the_actions_taken_while_it_is_open_and_closes_with_an_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    let (agent, other) = (b.acting("aigerim"), b.acting("bolat"));
    let k = agent
        .open_contact(RiderId(1), "charge-question")
        .await
        .unwrap();
    // One contact open per staff member and rider.
    assert!(message(agent.open_contact(RiderId(1), "refund").await).contains("open already"));
    // Unknown reasons are refused, naming the ones there are.
    assert!(message(agent.open_contact(RiderId(2), "weather").await).contains("docking-problem"));
    agent
        .credit_claim(RiderId(1), Tenge(300), "double charge")
        .await
        .unwrap();
    agent
        .note(RiderId(1), "credited the double charge")
        .await
        .unwrap();
    // Another agent's action on the rider is not this contact's.
    other
        .pay(RiderId(1), Tenge(1_000), PayMethod::Cash)
        .await
        .unwrap();
    assert!(message(agent.close_contact(RiderId(1), "happy", "").await).contains("credited"));
    assert_eq!(
        agent
            .close_contact(RiderId(1), "credited", "300 ₸ back")
            .await
            .unwrap(),
        k
    );
    // Actions after the contact closed are not linked either.
    agent.note(RiderId(1), "after the call").await.unwrap();
    let v = b.rider(RiderId(1)).await.unwrap();
    let c = &v.contacts[0];
    assert_eq!(
        (
            c.reason.as_str(),
            c.outcome.as_deref(),
            c.staff.as_str(),
            c.actions
        ),
        ("charge-question", Some("credited"), "aigerim", 2),
        "{c:?}"
    );
    assert_eq!(c.note, "300 ₸ back");
    assert_eq!(
        refusal(agent.close_contact(RiderId(1), "resolved", "").await),
        Refusal::NotFound,
        "no contact is open now"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn d34_r27_the_rider_is_told_of_an_end_by_hand_a_bonus_and_a_correction_in_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    let (agent, sup) = (b.acting("aigerim"), b.acting("sergey"));
    b.rent(RiderId(1), BikeId(1), "1234").await.unwrap();
    b.advance_clock(at("2025-06-01 08:40")).await.unwrap();
    agent
        .end_rental(
            RiderId(1),
            StationId(1),
            at("2025-06-01 08:20"),
            "dock did not lock",
        )
        .await
        .unwrap();
    let entry = sup
        .give_bonus(RiderId(1), Tenge(500), "sorry for the trouble")
        .await
        .unwrap();
    sup.correct(RiderId(1), entry, Tenge(-200), "bonus too large")
        .await
        .unwrap();
    let v = b.rider(RiderId(1)).await.unwrap();
    let kinds: Vec<&str> = v.messages.iter().map(|m| m.kind.as_str()).collect();
    for k in ["rental-ended-by-staff", "bonus", "correction"] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    // One change, one message: the staff's ending is not also told as a rider's return.
    assert!(!kinds.contains(&"rental-ended"), "{kinds:?}");
    let ended = v
        .messages
        .iter()
        .find(|m| m.kind == "rental-ended-by-staff")
        .unwrap();
    assert_eq!(ended.lang, "kk");
    assert!(
        ended.text.contains("оператор") && ended.text.contains("08:20"),
        "{}",
        ended.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn d33_r24_a_card_at_the_desk_costs_the_tariffs_fee_and_blocks_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let b = local_in(&dir, "almaty", "seasonal");
    let agent = b.acting("aigerim");
    let before = b.rider(RiderId(1)).await.unwrap();
    let fee = agent
        .issue_card(RiderId(1), "ab12 3456 7890")
        .await
        .unwrap();
    assert_eq!(fee, Tenge(1_000), "Almaty's card is 1 000 ₸");
    let v = b.rider(RiderId(1)).await.unwrap();
    assert_eq!(v.rider.card.as_deref(), Some("AB1234567890"));
    assert_eq!(v.rider.balance, before.rider.balance - Tenge(1_000));
    let fee_entry = v.ledger.iter().find(|e| e.kind == "card-fee").unwrap();
    assert_eq!(
        (fee_entry.money, fee_entry.actor.as_str()),
        (Tenge(-1_000), "staff:aigerim")
    );
    assert!(
        v.messages[0].text.contains("7890"),
        "{}",
        v.messages[0].text
    );
    // Lost: replaced; the old card is blocked and cannot go to anyone else.
    agent
        .issue_card(RiderId(1), "CD99 0000 1111")
        .await
        .unwrap();
    assert!(message(agent.issue_card(RiderId(2), "AB1234567890").await).contains("was rider 1's"));
    assert!(message(agent.issue_card(RiderId(1), "CD9900001111").await).contains("already"));
    let audit = b.acting("ada").audit(Default::default()).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "issue-card"
        && a.target == "card CD9900001111 replaces AB1234567890 (blocked)"));
    assert_eq!(
        refusal(agent.issue_card(RiderId(1), "x1").await),
        Refusal::Invalid,
        "a card number as printed"
    );
    // Astana's tariff has no card fee: no ledger entry.
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    let before = b.rider(RiderId(1)).await.unwrap();
    assert_eq!(
        b.acting("aigerim")
            .issue_card(RiderId(1), "5555 6666")
            .await
            .unwrap(),
        Tenge::ZERO
    );
    let v = b.rider(RiderId(1)).await.unwrap();
    assert_eq!(v.ledger.len(), before.ledger.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_from_a_contact_is_its_owners_the_supervisor_sees_all_and_reassigns() {
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    let (agent, other, sup) = (b.acting("aigerim"), b.acting("bolat"), b.acting("sergey"));
    let contact = agent
        .open_contact(RiderId(1), "docking-problem")
        .await
        .unwrap();
    let late = agent
        .open_case(
            Some(RiderId(1)),
            "docking-problem",
            "ask the depot for the dock's log",
            at("2025-06-01 09:00"),
        )
        .await
        .unwrap();
    let soon = agent
        .open_case(
            None,
            "complaint",
            "call the station's landlord",
            at("2025-06-01 18:00"),
        )
        .await
        .unwrap();
    agent
        .credit_claim(RiderId(1), Tenge(150), "rental ran on")
        .await
        .unwrap();
    agent
        .close_contact(RiderId(1), "escalated", "")
        .await
        .unwrap();
    b.advance_clock(at("2025-06-01 10:00")).await.unwrap();
    let mine = agent.desk_file().await.unwrap();
    let ids: Vec<i64> = mine.cases.iter().map(|k| k.id).collect();
    assert_eq!(ids, [late, soon], "overdue first");
    let k = &mine.cases[0];
    assert!(k.overdue);
    assert_eq!(k.contact, Some(contact), "opened from the contact");
    let kinds: Vec<&str> = k.log.iter().map(|l| l.kind.as_str()).collect();
    for want in ["case", "contact", "action", "message"] {
        assert!(kinds.contains(&want), "{want} in {kinds:?}");
    }
    // Another agent sees neither (they are aigerim's) and may not work on them.
    assert!(other.desk_file().await.unwrap().cases.is_empty());
    assert_eq!(
        refusal(other.set_case_status(late, CaseStatus::Closed, "").await),
        Refusal::Forbidden
    );
    assert_eq!(
        refusal(agent.assign_case(late, Some("bolat")).await),
        Refusal::Forbidden
    );
    // The supervisor sees all and gives one to bolat, who works it.
    assert_eq!(sup.desk_file().await.unwrap().cases.len(), 2);
    sup.assign_case(late, Some("bolat")).await.unwrap();
    other
        .set_case_status(late, CaseStatus::WaitingDepot, "asked dana")
        .await
        .unwrap();
    let theirs = other.desk_file().await.unwrap();
    assert_eq!(theirs.cases[0].status, CaseStatus::WaitingDepot);
    assert_eq!(theirs.cases[0].owner.as_deref(), Some("bolat"));
    assert!(
        theirs.cases[0]
            .log
            .iter()
            .any(|l| l.text.contains("given to bolat"))
    );
    other
        .set_case_status(late, CaseStatus::Closed, "")
        .await
        .unwrap();
    assert!(other.desk_file().await.unwrap().cases.is_empty());
    assert_eq!(
        b.rider(RiderId(1)).await.unwrap().cases[0].status,
        CaseStatus::Closed
    );
    // The depot has no desk file.
    assert_eq!(
        refusal(b.acting("dana").desk_file().await),
        Refusal::Forbidden
    );
    // A case is not opened with its next action already past.
    assert_eq!(
        refusal(
            agent
                .open_case(None, "other", "x", at("2025-06-01 09:59"))
                .await
        ),
        Refusal::Invalid
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handover_gathers_what_is_open_and_the_next_agent_takes_it_over_item_by_item() {
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    let (agent, next) = (b.acting("aigerim"), b.acting("bolat"));
    let case = agent
        .open_case(
            Some(RiderId(2)),
            "refund",
            "check the bank transfer",
            at("2025-06-02 10:00"),
        )
        .await
        .unwrap();
    // A cable lock allowed at the full station 2, not used yet (R14).
    b.rent(RiderId(1), BikeId(1), "1234").await.unwrap();
    agent
        .authorise_cable_lock(RiderId(1), StationId(2))
        .await
        .unwrap();
    // A fine above the threshold waits for a supervisor (D14).
    agent
        .fine(
            RiderId(3),
            FineKind::Damage,
            Some(Tenge(60_000)),
            None,
            "broken wheel",
        )
        .await
        .unwrap();
    assert!(
        message(next.handover("").await).contains("nothing to hand over"),
        "bolat has nothing open"
    );
    let h = agent
        .handover("printer at the desk is out of paper")
        .await
        .unwrap();
    let kinds: Vec<HandoverKind> = h.items.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [
            HandoverKind::Case,
            HandoverKind::CableLock,
            HandoverKind::Fine,
            HandoverKind::Note
        ]
    );
    assert!(
        h.items[0].text.contains("check the bank transfer"),
        "{:?}",
        h.items[0]
    );
    // The next one sees it; aigerim does not see her own.
    assert!(agent.desk_file().await.unwrap().handovers.is_empty());
    let seen = next.desk_file().await.unwrap();
    assert_eq!(seen.handovers.len(), 1);
    assert_eq!(seen.handovers[0].staff, "aigerim");
    // Taking over the case item gives bolat the case; the rest stays on the list.
    next.ack_handover(h.items[0].id).await.unwrap();
    let seen = next.desk_file().await.unwrap();
    assert_eq!(
        seen.cases
            .iter()
            .find(|k| k.id == case)
            .unwrap()
            .owner
            .as_deref(),
        Some("bolat")
    );
    let open: Vec<_> = seen.handovers[0]
        .items
        .iter()
        .filter(|i| i.acked.is_none())
        .collect();
    assert_eq!(open.len(), 3);
    assert!(message(next.ack_handover(h.items[0].id).await).contains("bolat has taken over"));
    assert_eq!(
        refusal(agent.ack_handover(h.items[1].id).await),
        Refusal::Invalid
    );
    for i in &h.items[1..] {
        next.ack_handover(i.id).await.unwrap();
    }
    assert!(
        next.desk_file().await.unwrap().handovers.is_empty(),
        "all taken over"
    );
}

/// Every new operation with a role that may not do it: refused `forbidden` locally, and
/// 403 over `POST /ops`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_new_operation_is_refused_to_a_role_that_may_not_do_it_locally_and_over_http() {
    let due = at("2025-06-02 10:00");
    let refused: Vec<(&str, Op)> = vec![
        (
            "dana",
            Op::Note {
                rider: RiderId(1),
                text: "x".into(),
                pinned: false,
            },
        ),
        (
            "dana",
            Op::OpenContact {
                rider: RiderId(1),
                reason: "other".into(),
            },
        ),
        (
            "dana",
            Op::CloseContact {
                rider: RiderId(1),
                outcome: "resolved".into(),
                note: String::new(),
            },
        ),
        (
            "dana",
            Op::IssueCard {
                rider: RiderId(1),
                card: "12345678".into(),
            },
        ),
        (
            "dana",
            Op::OpenCase {
                rider: None,
                kind: "other".into(),
                next_action: "x".into(),
                due,
                note: String::new(),
            },
        ),
        (
            "dana",
            Op::UpdateCase {
                case: 1,
                status: Some(CaseStatus::Closed),
                next_action: None,
                due: None,
                note: String::new(),
            },
        ),
        ("dana", Op::Handover { note: "x".into() }),
        ("dana", Op::AckHandover { item: 1 }),
        (
            "aigerim",
            Op::AssignCase {
                case: 1,
                owner: Some("bolat".into()),
            },
        ),
        (
            "bolat",
            Op::AssignCase {
                case: 1,
                owner: None,
            },
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    // A case to reassign, so the refusal is the role's and not "no case".
    b.acting("aigerim")
        .open_case(None, "other", "x", due)
        .await
        .unwrap();
    for (who, op) in &refused {
        assert_eq!(
            refusal(b.acting(who).execute(op.clone()).await),
            Refusal::Forbidden,
            "{who}: {op:?}"
        );
    }
    // The fleet's notes are the desk's and the depot's: no one logged in may not.
    let bike_note = Op::BikeNote {
        bike: BikeId(1),
        text: "x".into(),
        pinned: false,
    };
    assert_eq!(
        refusal(b.execute(bike_note.clone()).await),
        Refusal::Forbidden
    );
    b.acting("dana").execute(bike_note).await.unwrap();

    let mut s = TestServer::start().await;
    let agent = RemoteBackend::connect(&s.url, "aigerim", &password("aigerim"))
        .await
        .unwrap();
    agent.open_case(None, "other", "x", due).await.unwrap();
    for (who, op) in &refused {
        let token = support::login(&s.url, who).await;
        let r = support::client()
            .post(format!("{}/ops", s.url))
            .header("authorization", format!("Bearer {token}"))
            .header("idempotency-key", format!("k-{who}-{}", op.name()))
            .json(op)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "{who}: {}", op.name());
    }
    // And the typed refusal survives the wire.
    let depot = RemoteBackend::connect(&s.url, "dana", &password("dana"))
        .await
        .unwrap();
    assert_eq!(
        refusal(depot.open_contact(RiderId(1), "other").await),
        Refusal::Forbidden
    );
    assert_eq!(refusal(depot.desk_file().await), Refusal::Forbidden);
    depot
        .note_on(NoteAbout::Station(StationId(1)), "bench broken", false)
        .await
        .unwrap();
    assert_eq!(
        agent.station(StationId(1)).await.unwrap().notes[0].text,
        "bench broken"
    );
    s.stop().await;
}

/// An alert taken ("I am on it") and handed over moves with the shift: whoever takes the
/// handover's alert item over is shown as the one on it.
#[tokio::test]
async fn taking_over_an_alert_item_takes_the_alert() {
    let dir = tempfile::tempdir().unwrap();
    let b = local(&dir);
    let (agent, next) = (b.acting("aigerim"), b.acting("bolat"));
    b.rent(RiderId(1), BikeId(1), "1234").await.unwrap();
    b.call_cable_lock(RiderId(1), StationId(2)).await.unwrap();
    let call = velodesk::api::AlertKind::CableLockCall;
    agent
        .execute(Op::TakeAlert {
            kind: call,
            rider: Some(RiderId(1)),
            station: Some(StationId(2)),
        })
        .await
        .unwrap();
    let taker = |alerts: Vec<velodesk::api::Alert>| {
        alerts
            .into_iter()
            .find(|a| a.kind == call && a.rider == Some(RiderId(1)))
            .and_then(|a| a.taken)
            .map(|(who, _)| who)
    };
    assert_eq!(taker(b.alerts().await.unwrap()).as_deref(), Some("aigerim"));
    let h = agent.handover("").await.unwrap();
    let item = h
        .items
        .iter()
        .find(|i| i.kind == HandoverKind::Alert)
        .expect("the taken alert is handed over");
    next.ack_handover(item.id).await.unwrap();
    assert_eq!(taker(b.alerts().await.unwrap()).as_deref(), Some("bolat"));
}
