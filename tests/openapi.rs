//! `/openapi.json` is generated from the handlers: every route the server serves is in it
//! (and nothing else), each with its responses, its tag and, for a mutating route, the
//! `Idempotency-Key` header; every documented operation is really served.

mod support;

use std::collections::BTreeSet;
use support::*;

/// Every route of the API, as (method, path).
const ROUTES: &[(&str, &str)] = &[
    ("get", "/health"),
    ("post", "/ops"),
    ("post", "/ops/preview"),
    ("get", "/bikes"),
    ("get", "/desk"),
    ("post", "/riders/{id}/manual-unlock"),
    ("get", "/openapi.json"),
    ("post", "/auth/login"),
    ("post", "/auth/logout"),
    ("get", "/auth/me"),
    ("get", "/info"),
    ("get", "/replication"),
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
    ("get", "/depot/plan"),
    ("post", "/depot/stops"),
    ("get", "/riders"),
    ("post", "/riders"),
    ("get", "/riders/{id}"),
    ("get", "/riders/{id}/rental/end-preview"),
    ("get", "/riders/{id}/dispute"),
    ("post", "/riders/{id}/payments"),
    ("post", "/riders/{id}/passes"),
    ("post", "/riders/{id}/deposit"),
    ("post", "/riders/{id}/cable-lock-permission"),
    ("post", "/riders/{id}/rental/end"),
    ("post", "/riders/{id}/fines"),
    ("post", "/riders/{id}/fines/approve"),
    ("post", "/riders/{id}/fines/reject"),
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
    ("get", "/desk/file"),
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
const NO_KEY: &[&str] = &["/auth/login", "/auth/logout", "/ops/preview"];

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

/// The schema the document gives for `method path`'s `status` answer in `content_type`,
/// as a JSON Schema whose `#/components/...` references resolve in the document.
fn documented(
    doc: &serde_json::Value,
    method: &str,
    path: &str,
    status: u16,
) -> (String, serde_json::Value) {
    let op = &doc["paths"][path][method];
    let answer = &op["responses"][status.to_string()];
    assert!(
        answer.is_object(),
        "{method} {path}: status {status} is not documented"
    );
    let (ctype, media) = answer["content"]
        .as_object()
        .and_then(|c| c.iter().next())
        .map(|(k, v)| (k.clone(), v.clone()))
        .unwrap_or_default();
    let mut schema = media["schema"].clone();
    if let Some(o) = schema.as_object_mut() {
        o.insert("components".into(), doc["components"].clone());
    }
    (ctype, schema)
}

/// `schema` with every object closed: a property it does not name is an error.
fn closed(schema: &serde_json::Value) -> serde_json::Value {
    match schema {
        serde_json::Value::Object(o) => {
            let mut o: serde_json::Map<String, serde_json::Value> =
                o.iter().map(|(k, v)| (k.clone(), closed(v))).collect();
            if o.contains_key("properties") && !o.contains_key("additionalProperties") {
                o.insert("additionalProperties".into(), false.into());
            }
            serde_json::Value::Object(o)
        }
        serde_json::Value::Array(a) => a.iter().map(closed).collect(),
        other => other.clone(),
    }
}

/// Real answers, of a city with a rental, a fine and a lock-out, against the document:
/// each status documented, with its content type, its body valid by its schema (the
/// schemathesis run of `.ci/schemathesis.sh` does the same for generated requests).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_answers_match_the_documented_status_content_type_and_schema() {
    let mut s = TestServer::start().await;
    let doc = get_json(&format!("{}/openapi.json", s.url)).await;
    let admin = login(&s.url, "ada").await;
    let key = station_key(&s.db, 1);
    let station = |path: &str, body: serde_json::Value| {
        client()
            .post(format!("{}{path}", s.url))
            .header("authorization", format!("Station {key}"))
            .json(&body)
    };
    let bearer = |method: &str, path: &str, body: Option<serde_json::Value>| {
        let url = format!("{}{path}", s.url);
        let req = match method {
            "get" => client().get(url),
            _ => client()
                .post(url)
                .json(&body.unwrap_or(serde_json::json!({}))),
        };
        req.bearer_auth(&admin)
    };
    use serde_json::json;
    let calls: Vec<(&str, &str, reqwest::RequestBuilder)> = vec![
        ("get", "/health", client().get(format!("{}/health", s.url))),
        ("get", "/info", client().get(format!("{}/info", s.url))),
        (
            "post",
            "/station/{station}/unlock",
            station(
                "/station/1/unlock",
                json!({"rider": 1, "bike": 1, "pin": "1234"}),
            ),
        ),
        (
            "post",
            "/station/{station}/pull",
            station("/station/1/pull", json!({"bike": 1})),
        ),
        (
            "post",
            "/station/{station}/unlock",
            station(
                "/station/1/unlock",
                json!({"rider": 2, "bike": 2, "pin": "0000"}),
            ),
        ),
        ("get", "/info", bearer("get", "/info", None)),
        ("get", "/clock", bearer("get", "/clock", None)),
        (
            "get",
            "/staff/{name}/role",
            bearer("get", "/staff/aigerim/role", None),
        ),
        ("get", "/stations", bearer("get", "/stations", None)),
        ("get", "/stations/{id}", bearer("get", "/stations/1", None)),
        ("get", "/bikes/{id}", bearer("get", "/bikes/1", None)),
        ("get", "/bikes", bearer("get", "/bikes?state=docked", None)),
        ("get", "/desk", bearer("get", "/desk", None)),
        ("get", "/riders", bearer("get", "/riders?q=Rider", None)),
        ("get", "/riders/{id}", bearer("get", "/riders/1", None)),
        (
            "get",
            "/riders/{id}/rental/end-preview",
            bearer(
                "get",
                "/riders/1/rental/end-preview?at=2025-06-01T04:30:00Z",
                None,
            ),
        ),
        (
            "get",
            "/riders/{id}/dispute",
            bearer(
                "get",
                "/riders/1/dispute?station=1&at=2025-06-01T03:30:00Z",
                None,
            ),
        ),
        ("get", "/rentals/open", bearer("get", "/rentals/open", None)),
        (
            "post",
            "/riders/{id}/payments",
            bearer(
                "post",
                "/riders/2/payments",
                Some(json!({"amount": 500, "method": "cash"})),
            ),
        ),
        (
            "post",
            "/riders/{id}/fines",
            bearer(
                "post",
                "/riders/2/fines",
                Some(json!({"kind": "damage", "amount": 1000})),
            ),
        ),
        (
            "post",
            "/riders/{id}/block",
            bearer(
                "post",
                "/riders/3/block",
                Some(json!({"reason": "lost card"})),
            ),
        ),
        (
            "post",
            "/riders/{id}/passes",
            bearer(
                "post",
                "/riders/3/passes",
                Some(json!({"pass": "nonsense"})),
            ),
        ),
        (
            "post",
            "/stations/{id}/docks/out-of-service",
            bearer("post", "/stations/1/docks/out-of-service", None),
        ),
        (
            "post",
            "/riders",
            bearer(
                "post",
                "/riders",
                Some(serde_json::to_value(new_rider(70)).unwrap()),
            ),
        ),
        (
            "post",
            "/stations/{id}/key",
            bearer("post", "/stations/2/key", None),
        ),
        (
            "post",
            "/clock",
            bearer(
                "post",
                "/clock",
                Some(json!({"to": "2025-06-02T04:00:00Z"})),
            ),
        ),
        (
            "get",
            "/depot/plan",
            bearer("get", "/depot/plan?fresh=true", None),
        ),
        (
            "post",
            "/depot/stops",
            bearer(
                "post",
                "/depot/stops",
                Some(json!({"van": 1, "station": 1, "take": [3]})),
            ),
        ),
        (
            "post",
            "/depot/stops",
            bearer("post", "/depot/stops", Some(json!({"van": 1}))),
        ),
        ("get", "/alerts", bearer("get", "/alerts", None)),
        ("get", "/desk/file", bearer("get", "/desk/file", None)),
        ("get", "/audit", bearer("get", "/audit", None)),
        ("get", "/audit/own", bearer("get", "/audit/own", None)),
        ("get", "/verify", bearer("get", "/verify", None)),
        ("get", "/verify/fleet", bearer("get", "/verify/fleet", None)),
        (
            "get",
            "/events/log",
            bearer("get", "/events/log?after=0", None),
        ),
        ("get", "/auth/me", bearer("get", "/auth/me", None)),
        ("get", "/riders/{id}", bearer("get", "/riders/999", None)),
    ];
    // The check bites: a bike without its state is not what the document says.
    let (_, bike) = documented(&doc, "get", "/bikes/{id}", 200);
    let strict = jsonschema::options().build(&bike).unwrap();
    assert!(!strict.is_valid(&json!({"id": 1, "station": null, "dock": null, "faulty": false})));
    assert!(strict.is_valid(
        &json!({"id": 1, "state": "van", "station": null, "dock": null, "faulty": false})
    ));
    for (method, path, req) in calls {
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let ctype = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let text = r.text().await.unwrap();
        let (want_type, schema) = documented(&doc, method, path, status);
        assert!(
            ctype.starts_with(&want_type),
            "{method} {path} {status}: sent {ctype}, documented {want_type}"
        );
        if want_type.contains("json") {
            let body: serde_json::Value = serde_json::from_str(&text).unwrap();
            let v = jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .unwrap();
            let errors: Vec<String> = v
                .iter_errors(&body)
                .map(|e| format!("{} {e}", e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{method} {path} {status}: {errors:?}\n{text:.400}"
            );
            // Every field sent is documented: the schemas are the types' own, not copies
            // that could miss a field.
            let closed = jsonschema::options().build(&closed(&schema)).unwrap();
            let undocumented: Vec<String> = closed
                .iter_errors(&body)
                .map(|e| format!("{} {e}", e.instance_path()))
                .collect();
            assert!(
                undocumented.is_empty(),
                "{method} {path} {status}: {undocumented:?}\n{text:.400}"
            );
        }
    }
    s.stop().await;
}
