//! Limits of the rules as the station and desk endpoints enforce them: a rider's wrong PINs
//! at a dock (D29) and the bounds of a single amount (D30). Refused with the rule's kind,
//! never a database error, and nothing written.

mod support;

use serde_json::{Value, json};
use support::*;

async fn unlock(url: &str, key: &str, pin: &str) -> (u16, Value) {
    let r = client()
        .post(format!("{url}/station/1/unlock"))
        .header("authorization", format!("Station {key}"))
        .json(&json!({"rider": 1, "bike": 1, "pin": pin}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// D29: from the fifth wrong PIN in a row the rider's unlocks are refused `bad-pin`,
/// whatever the PIN, and the desk is alerted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_pins_at_a_dock_refuse_the_right_one_too_and_alert_the_desk() {
    let mut s = TestServer::start().await;
    let key = station_key(&s.db, 1);
    for i in 0..5 {
        let (st, p) = unlock(&s.url, &key, &format!("99{i:02}")).await;
        assert_eq!(
            (st, p["kind"].as_str()),
            (422, Some("bad-pin")),
            "try {i}: {p}"
        );
    }
    let (st, p) = unlock(&s.url, &key, "1234").await;
    assert_eq!(
        (st, p["kind"].as_str()),
        (422, Some("bad-pin")),
        "the right PIN after five wrong ones (D29): {p}"
    );
    let agent = login(&s.url, "aigerim").await;
    let alerts = get_json_as(&format!("{}/alerts", s.url), &agent).await;
    let log = get_json_as(&format!("{}/events/log?after=0&limit=5000", s.url), &agent).await;
    let about_rider_1 =
        |a: &Value| a["rider"] == 1 && a["text"].as_str().is_some_and(|t| t.contains("PIN"));
    let alerted = alerts.as_array().unwrap().iter().any(about_rider_1)
        || log
            .as_array()
            .unwrap()
            .iter()
            .any(|pair| pair[1]["type"] == "alert" && about_rider_1(&pair[1]));
    assert!(alerted, "the desk is told about rider 1's PIN: {alerts}");
    s.stop().await;
}

/// D30: an amount past 10,000,000 ₸ (or i64::MAX) through the desk is refused `invalid`,
/// never a conflict, and writes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amounts_past_the_bound_are_invalid_never_a_conflict_and_write_nothing() {
    let mut s = TestServer::start().await;
    let sup = login(&s.url, "sergey").await;
    let watch = Watch::new(&s.db);
    let before = watch.version();
    for amount in [10_000_001_i64, i64::MAX] {
        for (path, body) in [
            (
                "/riders/1/payments",
                json!({"amount": amount, "method": "cash"}),
            ),
            (
                "/riders/1/fines",
                json!({"kind": "damage", "amount": amount}),
            ),
            ("/riders/1/deposit", json!({"amount": amount})),
            ("/riders/1/claims", json!({"amount": amount, "reason": "x"})),
            ("/riders/1/bonus", json!({"amount": amount, "reason": "x"})),
            (
                "/riders/1/corrections",
                json!({"entry": 1, "amount": amount, "reason": "x"}),
            ),
            (
                "/riders/1/corrections",
                json!({"entry": 1, "amount": -amount, "reason": "x"}),
            ),
        ] {
            let r = client()
                .post(format!("{}{path}", s.url))
                .bearer_auth(&sup)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let p: Value = r.json().await.unwrap();
            assert!(matches!(status, 400 | 422), "{path} {amount}: {status} {p}");
            assert_eq!(p["kind"], "invalid", "{path} {amount}: {p}");
            assert!(p["detail"].as_str().unwrap().contains("D30"), "{p}");
        }
    }
    assert_eq!(watch.version(), before, "nothing was written");
    s.stop().await;
}
