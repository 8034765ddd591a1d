//! Personal data in the server's answers (C 3.5: phone, e-mail, document, address,
//! patronymic, date of birth): masked in every rider-shaped answer (the rider view, search
//! hits) for every role; shown whole only with `?reveal=REASON` to a role that may, and
//! audited. A role that may not see it cannot spell out a masked phone number by searching
//! its first digits one more at a time either.

mod support;

use chrono::NaiveDate;
use serde_json::Value;
use support::*;
use velodesk::backend::{Backend, RemoteBackend};
use velodesk::domain::{Born, RiderId};
use velodesk::engine::{Engine, Settings};
use velodesk::store::Store;

const PHONE: &str = "+77017654321";
const EMAIL: &str = "aliya.akhmetova@mail.kz";
const PATRONYMIC: &str = "Сергеевна";
const BORN: &str = "1987-03-14";
const DOCUMENT: &str = "049123456";
const ADDRESS: &str = "Астана, Кенесары 40, кв. 12";

/// Every whole value that must never show masked.
const SECRETS: [&str; 6] = [PHONE, EMAIL, PATRONYMIC, BORN, DOCUMENT, ADDRESS];

/// The test city and rider 5, Ахметова Алия Сергеевна, with every personal field filled.
async fn city_with_rider_5() -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    city(&db);
    {
        let mut e = Engine::new(Store::open(&db).unwrap(), Settings::default()).unwrap();
        let mut r = new_rider(5);
        r.surname = "Ахметова".into();
        r.name = "Алия".into();
        r.patronymic = PATRONYMIC.into();
        r.phone = Some(PHONE.into());
        r.email = Some(EMAIL.into());
        r.document = Some(DOCUMENT.into());
        r.address = Some(ADDRESS.into());
        r.born = NaiveDate::parse_from_str(BORN, "%Y-%m-%d").unwrap();
        e.add_rider(&r).unwrap();
    }
    TestServer::on(dir, db).await
}

async fn get(url: &str, token: &str, path: &str) -> (u16, String) {
    let r = client()
        .get(format!("{url}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn assert_masked(body: &str, what: &str) {
    for s in SECRETS {
        assert!(!body.contains(s), "{what} shows {s:?}: {body}");
    }
}

/// The ids a search finds.
async fn found(url: &str, token: &str, q: &str) -> Vec<i64> {
    let (st, body) = get(url, token, &format!("/riders?q={}", urlencode(q))).await;
    assert_eq!(st, 200, "{body}");
    assert_masked(&body, &format!("the search {q:?}"));
    let hits: Vec<Value> = serde_json::from_str(&body).unwrap();
    hits.iter().map(|h| h["id"].as_i64().unwrap()).collect()
}

fn urlencode(q: &str) -> String {
    q.replace('+', "%2B")
        .replace(' ', "%20")
        .replace('@', "%40")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_sees_a_rider_masked_without_a_reason() {
    let mut s = city_with_rider_5().await;
    for name in ["dana", "aigerim", "sergey", "ada"] {
        let token = login(&s.url, name).await;
        let (st, body) = get(&s.url, &token, "/riders/5").await;
        assert_eq!(st, 200, "{body}");
        assert_masked(&body, &format!("the rider view for {name}"));
        let v: Value = serde_json::from_str(&body).unwrap();
        let r = &v["rider"];
        assert_eq!(r["phone"], "+*******4321", "{name}");
        assert_eq!(r["email"], "a***@mail.kz", "{name}");
        assert_eq!(r["patronymic"], "С.", "{name}: the initial only");
        assert_eq!(r["born"], "1987-**-**", "{name}: the year only");
        assert_eq!(r["address"], "***", "{name}");
        assert_eq!(found(&s.url, &token, "Ахметова").await, vec![5], "{name}");
        assert_eq!(found(&s.url, &token, EMAIL).await, vec![5], "{name}");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reason_reveals_to_an_agent_audited_and_never_to_the_depot() {
    let mut s = city_with_rider_5().await;
    let depot = login(&s.url, "dana").await;
    let (st, body) = get(&s.url, &depot, "/riders/5?reveal=rider%20called").await;
    assert_eq!(st, 403, "depot staff may not see personal data: {body}");
    assert_masked(&body, "the refusal");

    let agent = login(&s.url, "aigerim").await;
    let (st, body) = get(&s.url, &agent, "/riders/5?reveal=rider%20called").await;
    assert_eq!(st, 200, "{body}");
    let r = &serde_json::from_str::<Value>(&body).unwrap()["rider"];
    for (field, whole) in [
        ("phone", PHONE),
        ("email", EMAIL),
        ("patronymic", PATRONYMIC),
        ("born", BORN),
        ("document", DOCUMENT),
        ("address", ADDRESS),
    ] {
        assert_eq!(r[field], whole, "revealed {field}");
    }
    let (_, own) = get(&s.url, &agent, "/audit/own?limit=1").await;
    let own: Vec<Value> = serde_json::from_str(&own).unwrap();
    assert_eq!(
        (own[0]["action"].as_str(), own[0]["rider"].as_i64()),
        (Some("reveal-personal-data"), Some(5)),
        "the reveal is audited: {own:?}"
    );
    assert_eq!(own[0]["reason"], "rider called");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_depot_cannot_spell_out_a_phone_number_by_its_first_digits() {
    let mut s = city_with_rider_5().await;
    let depot = login(&s.url, "dana").await;
    let agent = login(&s.url, "aigerim").await;
    // Every prefix from "+7701" to one digit short of the number: one probe each.
    for n in 5..PHONE.len() {
        let prefix = &PHONE[..n];
        assert_eq!(
            found(&s.url, &depot, prefix).await,
            Vec::<i64>::new(),
            "the depot searching {prefix:?}"
        );
    }
    assert_eq!(found(&s.url, &depot, "770176543").await, Vec::<i64>::new());
    assert_eq!(
        found(&s.url, &depot, PHONE).await,
        vec![5],
        "the whole number still finds the rider"
    );
    assert_eq!(found(&s.url, &depot, "8 701 765 43 21").await, vec![5]);
    // The desk (which may see personal data) keeps searching by the first digits.
    assert!(found(&s.url, &agent, "+7701765").await.contains(&5));
    assert!(found(&s.url, &agent, "770176543").await.contains(&5));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_console_reads_the_masked_rider_and_the_revealed_one() {
    let mut s = city_with_rider_5().await;
    let console = RemoteBackend::connect(&s.url, "aigerim", &password("aigerim"))
        .await
        .unwrap();
    let masked = console.rider(RiderId(5)).await.unwrap();
    assert_eq!(masked.rider.born, Born::Year(1987));
    assert_eq!(masked.rider.full_name(), "Ахметова Алия С.");
    let whole = console
        .as_staff("aigerim")
        .reveal_rider(RiderId(5), "rider called")
        .await
        .unwrap();
    assert_eq!(whole.rider.born.to_string(), BORN);
    assert_eq!(whole.rider.patronymic, PATRONYMIC);
    s.stop().await;
}
