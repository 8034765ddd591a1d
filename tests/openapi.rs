//! `/openapi.json` is generated from the handlers: every route the server serves is in it
//! (and nothing else), each with its responses, its tag and, for a mutating route, the
//! `Idempotency-Key` header; every documented operation is really served.

mod support;

use std::collections::BTreeSet;
use support::*;

/// Every route of the API, as (method, path).
const ROUTES: &[(&str, &str)] = &[
    ("get", "/health"),
    ("get", "/bikes"),
    ("get", "/desk"),
    ("post", "/riders/{id}/manual-unlock"),
    ("get", "/openapi.json"),
    ("post", "/auth/login"),
    ("post", "/auth/logout"),
    ("get", "/auth/me"),
    ("get", "/info"),
    ("get", "/clock"),
    ("post", "/clock"),
    ("get", "/staff/{name}/role"),
    ("post", "/staff"),
    ("post", "/staff/{name}/disable"),
    ("post", "/staff/{name}/enable"),
    ("get", "/stations"),
    ("post", "/stations"),
    ("get", "/stations/{id}"),
    ("post", "/stations/{id}/key"),
    ("post", "/stations/{id}/docks/out-of-service"),
    ("post", "/stations/{id}/docks/in-service"),
    ("get", "/bikes/{id}"),
    ("post", "/bikes"),
    ("post", "/bikes/{id}/release"),
    ("post", "/bikes/{id}/dock"),
    ("post", "/bikes/{id}/repair"),
    ("get", "/riders"),
    ("post", "/riders"),
    ("get", "/riders/{id}"),
    ("get", "/riders/{id}/rental/end-preview"),
    ("post", "/riders/{id}/payments"),
    ("post", "/riders/{id}/passes"),
    ("post", "/riders/{id}/deposit"),
    ("post", "/riders/{id}/cable-lock-permission"),
    ("post", "/riders/{id}/rental/end"),
    ("post", "/riders/{id}/fines"),
    ("post", "/riders/{id}/fines/approve"),
    ("post", "/riders/{id}/refund"),
    ("post", "/riders/{id}/claims"),
    ("post", "/riders/{id}/bonus"),
    ("post", "/riders/{id}/corrections"),
    ("post", "/riders/{id}/block"),
    ("post", "/riders/{id}/unblock"),
    ("post", "/riders/{id}/restriction"),
    ("post", "/riders/{id}/pin"),
    ("post", "/riders/{id}/card/block"),
    ("get", "/alerts"),
    ("get", "/audit"),
    ("get", "/audit/own"),
    ("post", "/season"),
    ("get", "/verify"),
    ("get", "/verify/fleet"),
    ("get", "/rentals/open"),
    ("get", "/events"),
    ("get", "/events/log"),
    ("post", "/station/{station}/unlock"),
    ("post", "/station/{station}/pull"),
    ("post", "/station/{station}/dock"),
    ("post", "/station/{station}/cable-lock-call"),
    ("post", "/station/{station}/cable-lock"),
    ("get", "/gbfs/{feed}"),
    ("get", "/gbfs/v3/{feed}"),
];

/// Mutating routes that take no key: a log-in makes a new session each time (a retry's
/// spare session expires unused), and a second log-out finds the session over (401).
const NO_KEY: &[&str] = &["/auth/login", "/auth/logout"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_lists_exactly_the_routes_served() {
    let mut s = TestServer::start().await;
    let doc = get_json(&format!("{}/openapi.json", s.url)).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            documented.insert((method.clone(), path.clone()));
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}: responses"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path}: tag"
            );
            let keyed = op["parameters"].as_array().is_some_and(|ps| {
                ps.iter()
                    .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header")
            });
            if method == "post" && !NO_KEY.contains(&path.as_str()) {
                assert!(keyed, "{method} {path}: Idempotency-Key documented");
            }
        }
    }
    let expected: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = expected.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, undocumented-here {extra:?}"
    );

    // Every documented operation is served: without credentials it answers 200 (public) or
    // 401, never 404 or 405.
    for (method, path) in &documented {
        if path == "/events" {
            continue; // a stream: checked with a token in the remote tests
        }
        let concrete = path
            .replace("{id}", "1")
            .replace("{station}", "1")
            .replace("{name}", "ada")
            .replace("{feed}", "gbfs.json");
        let req = match method.as_str() {
            "get" => client().get(format!("{}{concrete}", s.url)),
            _ => client()
                .post(format!("{}{concrete}", s.url))
                .json(&serde_json::json!({})),
        };
        let status = req.send().await.unwrap().status().as_u16();
        // GBFS 3.0 is refused (503) until the system has a feed contact e-mail.
        let unset = path == "/gbfs/v3/{feed}" && status == 503;
        assert!(
            matches!(status, 200 | 400 | 401) || unset,
            "{method} {path}: {status}"
        );
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert!(schemes["bearer"].is_object() && schemes["station_key"].is_object());
    s.stop().await;
}
