//! Authoring routes: `POST /api/validate` (every problem, in the page's words) and
//! `POST /api/scenarios/new` (a valid draft becomes version 1).

use axum::Router;
use axum::http::StatusCode;
use pactum_web::store::Store;
use pactum_web::{AppState, router};
use serde_json::{Value, json};

#[path = "common/http.rs"]
mod http;

fn app() -> Router {
    router(AppState::new(Store::in_memory().unwrap(), None))
}

/// `method uri` with an optional JSON body: the status, the body as JSON (null when it is
/// not JSON, as for the pages) and as text.
async fn send(
    app: &Router,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value, String) {
    let r = match body {
        Some(v) => http::send_json(app, method, uri, v).await,
        None => http::call(app, method, uri, None, Vec::new()).await,
    };
    let json = serde_json::from_str(&r.text).unwrap_or(Value::Null);
    (r.status, json, r.text)
}

/// A draft as the page builds it: two issues, four actors, one salience out of its range.
fn draft() -> Value {
    json!({
        "title": "Emission cuts",
        "author": "tester",
        "frozen_at": "2024-01-01",
        "actors": [
            { "id": "eu", "name": "European Union", "capability": 40 },
            { "id": "us", "capability": 50 },
            { "id": "cn", "capability": 60 },
            { "id": "in", "capability": { "low": 20, "mode": 30, "high": 35 } }
        ],
        "issues": [
            { "id": "cut", "question": "Emission cut by 2030", "scale": { "lo": 0, "hi": 50, "unit": "%" } },
            { "id": "fund", "scale": { "lo": 0, "hi": 100 } }
        ],
        "stances": [
            { "actor": "eu", "issue": "cut", "position": 40, "salience": 0.9 },
            { "actor": "us", "issue": "cut", "position": 20, "salience": { "low": 0.25, "mode": 0.95, "high": 0.6 } },
            { "actor": "cn", "issue": "cut", "position": 65, "salience": 0.5 },
            { "actor": "in", "issue": "fund", "position": 80, "salience": 0.7 },
            { "actor": "eu", "issue": "fund", "position": 30, "salience": 0.4 }
        ]
    })
}

#[tokio::test]
async fn validate_lists_every_problem_with_its_target_and_fix() {
    let app = app();
    let (status, body, text) = send(
        &app,
        "POST",
        "/api/validate",
        Some(json!({ "scenario": draft() })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(body["valid"], false);
    let problems = body["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{text}");
    let range = &problems[0];
    assert_eq!(
        range["target"],
        json!({ "actor": "us", "issue": "cut", "field": "salience" })
    );
    assert_eq!(range["fix"]["kind"], "widen_range");
    let m = range["message"].as_str().unwrap();
    assert!(m.starts_with("“us” on “Emission cut by 2030”"), "{m}");
    let scale = &problems[1];
    assert_eq!(
        scale["target"],
        json!({ "actor": "cn", "issue": "cut", "field": "position" })
    );
    assert_eq!(
        scale["fix"],
        json!({ "kind": "widen_scale", "issue": "cut", "lo": 0.0, "hi": 65.0 })
    );
    assert!(
        scale["message"].as_str().unwrap().contains("0–50 %"),
        "{text}"
    );
}

#[tokio::test]
async fn an_empty_draft_says_what_is_missing_in_sentences() {
    let app = app();
    let (status, body, _) = send(
        &app,
        "POST",
        "/api/validate",
        Some(json!({ "scenario": { "title": "" } })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let fields: Vec<&str> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["target"]["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["title", "actors", "issues"]);
}

/// Posts `scenario` to `/api/scenarios/new` and checks it is refused with `sentence`.
async fn refused(app: &Router, scenario: &Value, sentence: &str) {
    let body = json!({ "scenario": scenario });
    let (status, answer, text) = send(app, "POST", "/api/scenarios/new", Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    let message = answer["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains(sentence), "{message}");
}

#[tokio::test]
async fn a_new_scenario_is_stored_only_once_it_validates() {
    let app = app();
    let mut s = draft();
    // Refused while invalid, with the first problem's sentence; nothing is stored.
    refused(&app, &s, "outside its own range").await;
    let (_, lib, _) = send(&app, "GET", "/api/scenarios", None).await;
    assert_eq!(lib["scenarios"].as_array().unwrap().len(), 0);
    // An empty name is refused with a sentence.
    s["stances"][1]["salience"] = json!(0.6);
    s["stances"][2]["position"] = json!(45);
    s["title"] = json!(" ");
    refused(&app, &s, "needs a title").await;
    // Valid: version 1 of a new scenario, readable and forecastable.
    s["title"] = json!("Emission cuts");
    let (status, body, text) = send(
        &app,
        "POST",
        "/api/scenarios/new",
        Some(json!({ "scenario": s })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    assert_eq!(body["version"], 1);
    let id = body["scenario_id"].as_i64().unwrap();
    let (_, v, _) = send(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/versions/1"),
        None,
    )
    .await;
    assert_eq!(v["scenario"]["actors"][3]["capability"]["high"], 35.0);
    assert_eq!(v["scenario"]["author"], "tester");
    let (status, f, text) = send(
        &app,
        "POST",
        "/api/forecast",
        Some(json!({ "scenario_id": id, "model": "compromise" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(f["issues"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_authoring_pages_and_script_are_served() {
    let app = app();
    for uri in ["/scenarios/new", "/scenarios/3/edit"] {
        let (status, _, text) = send(&app, "GET", uri, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(text.contains("/static/editor.js"), "{uri}");
    }
    let (status, _, js) = send(&app, "GET", "/static/editor.js", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(js.contains("/api/validate"));
    // The page never parses user data as HTML: tests/api.rs checks editor.js for the sinks.
}
