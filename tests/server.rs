//! The HTTP server on 127.0.0.1:0: every mutating route refuses a request without a token
//! (401), with the token of a role that may not (403), or with a malformed body (400) —
//! as `application/problem+json`, and without changing anything. Sessions, logout, login
//! rate limits, personal data masking, and the OpenAPI document's completeness.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;

const PROBLEM: &str = "application/problem+json";

/// A mutating staff route, a valid body for it, and a role that may not call it.
struct Route {
    path: &'static str,
    body: Value,
    forbidden_for: Option<&'static str>,
}

fn staff_routes() -> Vec<Route> {
    let r = |path, body, forbidden_for| Route {
        path,
        body,
        forbidden_for,
    };
    let when = "2025-06-01T04:00:00Z";
    vec![
        // The one door: any operation as data, checked as its own route is.
        r(
            "/ops",
            json!({"op": "fine", "rider": 1, "kind": "damage", "amount": 1000, "note": "x"}),
            Some("dana"),
        ),
        r(
            "/ops/preview",
            json!({"op": "pay", "rider": 1, "amount": 500, "method": "cash"}),
            Some("dana"),
        ),
        r(
            "/riders/1/payments",
            json!({"amount": 500, "method": "cash"}),
            Some("dana"),
        ),
        r("/riders/1/passes", json!({"pass": "monthly"}), Some("dana")),
        r("/riders/1/deposit", json!({"amount": 1000}), Some("dana")),
        r(
            "/riders/1/cable-lock-permission",
            json!({"station": 1}),
            Some("dana"),
        ),
        r(
            "/riders/1/manual-unlock",
            json!({"bike": 1, "reason": "the dock did not answer"}),
            Some("dana"),
        ),
        r(
            "/riders/1/rental/end",
            json!({"station": 1, "at": when, "reason": "x"}),
            Some("dana"),
        ),
        r(
            "/riders/1/fines",
            json!({"kind": "damage", "amount": 1000, "note": "x"}),
            Some("dana"),
        ),
        r("/riders/1/fines/approve", json!({}), Some("aigerim")),
        r(
            "/riders/1/fines/reject",
            json!({"reason": "x"}),
            Some("aigerim"),
        ),
        r("/riders/1/refund", json!({}), Some("dana")),
        r(
            "/riders/1/claims",
            json!({"amount": 100, "reason": "x"}),
            Some("dana"),
        ),
        r(
            "/riders/1/bonus",
            json!({"amount": 100, "reason": "x"}),
            Some("aigerim"),
        ),
        r(
            "/riders/1/corrections",
            json!({"entry": 1, "amount": 1, "reason": "x"}),
            Some("aigerim"),
        ),
        r("/riders/1/block", json!({"reason": "x"}), Some("dana")),
        r("/riders/1/unblock", json!({"reason": "x"}), Some("dana")),
        r(
            "/riders/1/restriction",
            json!({"reason": "x", "note": ""}),
            Some("aigerim"),
        ),
        r("/riders/1/pin", json!({"pin": "9999"}), Some("dana")),
        r("/riders/1/card/block", json!({}), Some("dana")),
        r("/bikes/1/release", json!({}), Some("aigerim")),
        r("/bikes/1/dock", json!({"station": 1}), Some("aigerim")),
        r("/bikes/1/repair", json!({}), Some("aigerim")),
        r(
            "/stations/1/docks/out-of-service",
            json!({}),
            Some("aigerim"),
        ),
        r("/stations/1/docks/in-service", json!({}), Some("aigerim")),
        r(
            "/depot/stops",
            json!({"van": 1, "station": 1, "take": [1]}),
            Some("aigerim"),
        ),
        r(
            "/stations",
            json!({"id": 9, "name": "N", "address": "", "lat": 51.1, "lon": 71.4, "docks": 3, "active": true}),
            Some("sergey"),
        ),
        r("/bikes", json!({"id": 99, "station": 1}), Some("sergey")),
        r(
            "/riders",
            serde_json::to_value(new_rider(50)).unwrap(),
            Some("dana"),
        ),
        r(
            "/staff",
            json!({"name": "newbie", "role": "agent"}),
            Some("sergey"),
        ),
        r("/staff/bolat/disable", json!({}), Some("sergey")),
        r("/staff/bolat/enable", json!({}), Some("sergey")),
        r("/stations/1/key", json!({}), Some("sergey")),
        r(
            "/clock",
            json!({"to": "2025-06-02T04:00:00Z"}),
            Some("sergey"),
        ),
        r(
            "/season",
            json!({"from": "2025-04-15", "to": "2025-11-15"}),
            Some("sergey"),
        ),
        r("/auth/logout", json!({}), None),
    ]
}

fn station_routes() -> Vec<(&'static str, Value)> {
    vec![
        (
            "/station/1/unlock",
            json!({"rider": 1, "bike": 1, "pin": "1234"}),
        ),
        ("/station/1/pull", json!({"bike": 1})),
        ("/station/1/dock", json!({"bike": 1})),
        ("/station/1/cable-lock-call", json!({"rider": 1})),
        ("/station/1/cable-lock", json!({"bike": 1, "pin": "1234"})),
    ]
}

async fn post(
    url: &str,
    path: &str,
    auth: Option<String>,
    body: Option<&str>,
) -> (u16, String, Value) {
    let mut req = client().request(Method::POST, format!("{url}{path}"));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let ctype = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let text = resp.text().await.unwrap();
    (
        status,
        ctype,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mutating_route_refuses_no_token_wrong_role_and_bad_bodies_and_changes_nothing() {
    let mut s = TestServer::start().await;
    let url = s.url.clone();
    let mut tokens = std::collections::HashMap::new();
    for (name, _) in STAFF {
        tokens.insert(name, format!("Bearer {}", login(&url, name).await));
    }
    let key1 = format!("Station {}", station_key(&s.db, 1));
    let key2 = format!("Station {}", station_key(&s.db, 2));
    let watch = Watch::new(&s.db);
    let before = watch.version();

    let mut checked = 0;
    for route in staff_routes() {
        let body = route.body.to_string();
        let p = route.path;
        let (st, ct, prob) = post(&url, p, None, Some(&body)).await;
        assert_eq!((st, ct.as_str()), (401, PROBLEM), "{p} without a token");
        assert_eq!(prob["kind"], "unauthorized", "{p}");
        let (st, _, prob) = post(&url, p, Some("Bearer not-a-token".into()), Some(&body)).await;
        assert_eq!(
            (st, prob["kind"].as_str()),
            (401, Some("unauthorized")),
            "{p} bad token"
        );
        if let Some(who) = route.forbidden_for {
            let (st, ct, prob) = post(&url, p, Some(tokens[who].clone()), Some(&body)).await;
            assert_eq!((st, ct.as_str()), (403, PROBLEM), "{p} as {who}: {prob}");
            assert_eq!(prob["kind"], "forbidden", "{p}");
        }
        let admin = Some(tokens["ada"].clone());
        let (st, ct, prob) = post(&url, p, admin.clone(), Some("{\"oops\"")).await;
        assert_eq!((st, ct.as_str()), (400, PROBLEM), "{p} malformed: {prob}");
        assert!(
            prob["detail"].as_str().unwrap().contains("request body"),
            "{prob}"
        );
        if route.body.as_object().is_some_and(|o| !o.is_empty()) {
            let (st, _, prob) = post(&url, p, admin, Some("{\"unknown_field\": 1}")).await;
            assert_eq!(st, 400, "{p} with a wrong field: {prob}");
        }
        checked += 1;
    }
    for (p, body) in station_routes() {
        let body = body.to_string();
        let (st, ct, _) = post(&url, p, None, Some(&body)).await;
        assert_eq!((st, ct.as_str()), (401, PROBLEM), "{p} without a key");
        let (st, _, _) = post(&url, p, Some(tokens["ada"].clone()), Some(&body)).await;
        assert_eq!(st, 401, "{p}: a staff token is not a station key");
        let (st, _, prob) = post(&url, p, Some(key2.clone()), Some(&body)).await;
        assert_eq!(
            (st, prob["kind"].as_str()),
            (403, Some("forbidden")),
            "{p} other station's key"
        );
        let (st, _, _) = post(&url, p, Some(key1.clone()), Some("[1, 2")).await;
        assert_eq!(st, 400, "{p} malformed");
        checked += 1;
    }
    // Logging in is public; a malformed log-in is refused all the same.
    for body in [
        "{\"username\": \"ada\"",
        "{\"username\": \"ada\", \"pin\": 1}",
    ] {
        let (st, ct, prob) = post(&url, "/auth/login", None, Some(body)).await;
        assert_eq!(
            (st, ct.as_str()),
            (400, PROBLEM),
            "log-in with {body}: {prob}"
        );
    }
    assert_eq!(
        watch.version(),
        before,
        "a refused request wrote to the database"
    );
    // Every route that changes something is among those checked: the OpenAPI document
    // lists what the server serves.
    let doc = get_json(&format!("{url}/openapi.json")).await;
    let tested: Vec<String> = staff_routes()
        .iter()
        .map(|r| r.path)
        .chain(station_routes().iter().map(|(p, _)| *p))
        .chain(["/auth/login"])
        .map(str::to_string)
        .collect();
    let mut mutating = 0;
    for (template, item) in doc["paths"].as_object().unwrap() {
        for method in ["post", "put", "patch", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            mutating += 1;
            let matching = tested.iter().filter(|p| fits(template, p)).count();
            assert_eq!(matching, 1, "{method} {template} is checked once");
        }
    }
    assert_eq!(checked + 1, mutating, "every checked route is served");
    s.stop().await;
}

/// Whether `path` is an instance of the OpenAPI path `template` (`/riders/{id}/pin`).
fn fits(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}')))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_keep_their_kind_and_status_and_unknown_paths_are_problems_too() {
    let mut s = TestServer::start().await;
    let url = s.url.clone();
    let agent = Some(format!("Bearer {}", login(&url, "aigerim").await));
    let pay = |amount: i64| json!({"amount": amount, "method": "cash"}).to_string();
    let (st, _, p) = post(&url, "/riders/999/payments", agent.clone(), Some(&pay(100))).await;
    assert_eq!((st, p["kind"].as_str()), (404, Some("not-found")));
    let (st, _, p) = post(&url, "/riders/1/payments", agent.clone(), Some(&pay(-5))).await;
    assert_eq!((st, p["kind"].as_str()), (400, Some("invalid")), "{p}");
    let (st, _, p) = post(&url, "/riders/abc/payments", agent.clone(), Some(&pay(5))).await;
    assert_eq!((st, p["kind"].as_str()), (400, Some("invalid")), "{p}");
    // A rule refusal: 422 with its kind (R14: no open rental to cable-lock).
    let (st, _, p) = post(
        &url,
        "/riders/1/cable-lock-permission",
        agent.clone(),
        Some(&json!({"station": 2}).to_string()),
    )
    .await;
    assert_eq!((st, p["kind"].as_str()), (422, Some("not-renting")), "{p}");
    assert_eq!(p["type"], "urn:velodesk:problem:not-renting");
    let (st, ct, _) = post(&url, "/no/such/route", agent.clone(), None).await;
    assert_eq!((st, ct.as_str()), (404, PROBLEM));
    let big = "x".repeat(100 * 1024);
    let (st, ct, _) = post(
        &url,
        "/riders/1/block",
        agent,
        Some(&format!("{{\"reason\":\"{big}\"}}")),
    )
    .await;
    assert_eq!((st, ct.as_str()), (413, PROBLEM), "body limit");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_and_disable_end_a_session_and_failed_logins_are_rate_limited() {
    let mut s = TestServer::start().await;
    let url = s.url.clone();
    let t = login(&url, "aigerim").await;
    assert_eq!(me_status(&url, &t).await, 200);
    let (st, _, _) = post(&url, "/auth/logout", Some(format!("Bearer {t}")), None).await;
    assert_eq!(st, 204);
    assert_eq!(
        me_status(&url, &t).await,
        401,
        "a logged-out token no longer works"
    );

    let t = login(&url, "bolat").await;
    let admin = format!("Bearer {}", login(&url, "ada").await);
    let (st, _, _) = post(&url, "/staff/bolat/disable", Some(admin), None).await;
    assert_eq!(st, 200);
    assert_eq!(
        me_status(&url, &t).await,
        401,
        "disabling revokes the sessions"
    );

    // Wrong passwords: five per username, then 429 even with the right one.
    let attempt = |name: &'static str, pw: String| {
        let url = url.clone();
        async move {
            client()
                .post(format!("{url}/auth/login"))
                .json(&json!({"username": name, "password": pw}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for _ in 0..5 {
        assert_eq!(attempt("sergey", "wrong".into()).await, 401);
    }
    assert_eq!(attempt("sergey", password("sergey")).await, 429);
    assert_eq!(
        attempt("nobody", "wrong".into()).await,
        401,
        "unknown names fail the same way"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_data_is_masked_unless_revealed_with_a_reason_which_is_audited() {
    let mut s = TestServer::start().await;
    let url = s.url.clone();
    let get = |path: String, token: String| {
        let url = url.clone();
        async move {
            let r = client()
                .get(format!("{url}{path}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let agent = login(&url, "aigerim").await;
    let depot = login(&url, "dana").await;
    let (st, v) = get("/riders/1".into(), agent.clone()).await;
    assert_eq!(st, 200);
    assert_eq!(v["rider"]["phone"], "+*******0001");
    assert_eq!(v["rider"]["email"], "r***@mail.kz");
    let (_, hits) = get("/riders?q=Rider1".into(), depot.clone()).await;
    assert_eq!(hits[0]["phone"], "+*******0001");
    let (st, v) = get(
        "/riders/1?reveal=rider%20on%20the%20phone".into(),
        agent.clone(),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(v["rider"]["phone"], "+77010000001");
    let (st, p) = get("/riders/1?reveal=curious".into(), depot).await;
    assert_eq!((st, p["kind"].as_str()), (403, Some("forbidden")));
    let (st, _) = get("/riders/1?reveal=%20".into(), agent).await;
    assert_eq!(st, 400, "a reason is needed");
    let sup = login(&url, "sergey").await;
    let (_, audit) = get("/audit?action=reveal-personal-data".into(), sup).await;
    assert_eq!(audit.as_array().unwrap().len(), 1);
    assert_eq!(audit[0]["staff"], "aigerim");
    assert_eq!(audit[0]["reason"], "rider on the phone");
    s.stop().await;
}
