//! Finding a rider as people type at the desk: Russian spellings of Kazakh names, Latin
//! transliterations, a card read off in any case with spaces, the start of an e-mail, a
//! phone's middle digits — and, for a desk that may not see personal data, none of the
//! partial matches that would spell out what the answers mask.

use chrono::NaiveDate;
use velodesk::api::NewRider;
use velodesk::domain::RiderId;
use velodesk::domain::tariff::bundled;
use velodesk::domain::time::parse_local;
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;
use velodesk::store::people::PhoneMatch;

fn desk() -> Engine {
    let mut e = Engine::init(
        Store::open_in_memory().unwrap(),
        "astana",
        bundled("astana").unwrap(),
        Settings::default(),
    )
    .unwrap();
    e.advance_to(parse_local(chrono_tz::Asia::Almaty, "2025-06-01 08:00").unwrap())
        .unwrap();
    let people = [
        (
            1,
            "Сәрсенбаев",
            "Айгерім",
            "+77021965432",
            "aigerim.s@mail.kz",
            "04A1B2C3D4E5F6",
        ),
        (
            2,
            "Өмірбеков",
            "Ерлан",
            "+77015550101",
            "erlan@example.kz",
            "04FFEE00112233",
        ),
        (
            3,
            "Иванов",
            "Сергей",
            "+77771112233",
            "ivanov@mail.kz",
            "04000000000001",
        ),
    ];
    for (id, surname, name, phone, email, card) in people {
        e.add_rider(&NewRider {
            id: Some(RiderId(id)),
            surname: surname.into(),
            name: name.into(),
            phone: Some(phone.into()),
            email: Some(email.into()),
            card: Some(card.into()),
            born: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            resident: true,
            lang: "kk".into(),
            pin: "1234".into(),
            ..NewRider::default()
        })
        .unwrap();
    }
    e.add_staff("aigerim", velodesk::domain::roles::Role::Agent, None)
        .unwrap();
    e.add_staff("nurlan", velodesk::domain::roles::Role::Depot, None)
        .unwrap();
    e
}

/// Who searches: an agent (phones by their first digits too) or depot staff, who may not
/// see personal data (#15.9: whole numbers only, in the engine for both backends).
fn ids(e: &mut Engine, q: &str, phones: PhoneMatch) -> Vec<i64> {
    let who = match phones {
        PhoneMatch::Prefix => "aigerim",
        PhoneMatch::Whole => "nurlan",
    };
    e.search_riders_as(Some(who), q, 10)
        .unwrap()
        .iter()
        .map(|h| h.id.0)
        .collect()
}

#[test]
fn kazakh_names_are_found_in_russian_and_latin_spellings() {
    let mut e = desk();
    let p = PhoneMatch::Prefix;
    assert_eq!(ids(&mut e, "Сарсенбаев", p), vec![1]);
    assert_eq!(ids(&mut e, "Сәрсенбаев", p), vec![1]);
    assert_eq!(ids(&mut e, "Sarsenbayev", p), vec![1]);
    assert_eq!(ids(&mut e, "sarsen", p), vec![1]);
    assert_eq!(ids(&mut e, "Омирбеков", p), vec![2]);
    assert_eq!(ids(&mut e, "Omirbekov Yerlan", p), vec![2]);
    assert_eq!(ids(&mut e, "Ivanov", p), vec![3]);
    assert_eq!(
        ids(&mut e, "Айгерим", p),
        vec![1],
        "the first name, Russian spelling"
    );
}

#[test]
fn a_card_in_any_case_with_spaces_and_contact_details_as_people_say_them() {
    let mut e = desk();
    let p = PhoneMatch::Prefix;
    assert_eq!(ids(&mut e, "04 a1b2 c3d4 e5f6", p), vec![1]);
    assert_eq!(ids(&mut e, "04ffee00112233", p), vec![2]);
    assert_eq!(
        ids(&mut e, "aigerim.s", p),
        vec![1],
        "the start of an e-mail"
    );
    assert_eq!(ids(&mut e, "ERLAN@", p), vec![2]);
    assert_eq!(
        ids(&mut e, "702 196", p),
        vec![1],
        "a phone's middle digits"
    );
    assert_eq!(ids(&mut e, "196 54 32", p), vec![1]);
}

#[test]
fn a_desk_without_the_personal_data_right_finds_by_whole_values_only() {
    let mut e = desk();
    let w = PhoneMatch::Whole;
    assert!(ids(&mut e, "702 196", w).is_empty(), "no middle digits");
    assert!(ids(&mut e, "8 702", w).is_empty(), "no first digits");
    assert!(
        ids(&mut e, "aigerim.s", w).is_empty(),
        "no start of an e-mail"
    );
    assert_eq!(
        ids(&mut e, "+7 702 196 54 32", w),
        vec![1],
        "the whole number"
    );
    assert_eq!(
        ids(&mut e, "Сарсенбаев", w),
        vec![1],
        "names are not masked"
    );
}
