//! Sealed forecasts through the API: sealing a stored version, the ledger, downloads that
//! `pactum verify` accepts, superseding, append-only storage, outcomes and the scoreboard
//! (equal to `pactum score` on the same files).

// Errors are built on the cold path of a failed request; their size does not matter.
#![allow(clippy::result_large_err)]

use axum::Router;
use axum::http::{StatusCode, header};
use pactum::io::{self, Format};
use pactum::seal::{self, Request, Seal};
use pactum_web::seals::file_name;
use pactum_web::store::Store;
use pactum_web::{AppState, router};
use serde_json::{Value, json};

mod common;
#[path = "common/http.rs"]
mod http;
use common::big_table;
use http::{get, import, post_json};

/// What would parse text as HTML or code; the page's scripts use none of them.
const HTML_SINKS: [&str; 5] = [
    "innerHTML",
    "outerHTML",
    "insertAdjacentHTML",
    "document.write",
    "eval(",
];

const SMALL: &str = include_str!("../../pactum-cli/tests/fixtures/small.toml");
const FLAGSHIP: &str = include_str!("../../../cases/us-japan-2014.toml");

fn app() -> Router {
    router(AppState::new(Store::in_memory().unwrap(), None))
}

/// Seals version 1 of scenario `id`; returns the ledger entry (checks 201).
async fn seal_v1(app: &Router, id: i64, body: Value) -> Value {
    let r = post_json(app, &format!("/api/scenarios/{id}/versions/1/seal"), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

/// The 422 error of a reply: its message and located field.
fn input_error(r: &http::Reply) -> (String, String) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let e = &r.json()["error"];
    assert_eq!(e["kind"], "input", "{}", r.text);
    (
        e["message"].as_str().unwrap().to_string(),
        e["location"]["field"].as_str().unwrap_or("").to_string(),
    )
}

fn stored_scenario(text: &str) -> pactum::Scenario {
    io::read("s.toml", text.as_bytes(), Some(Format::Toml))
        .unwrap()
        .scenarios
        .remove(0)
}

#[tokio::test]
async fn a_seal_downloads_byte_for_byte_and_verifies() {
    let app = app();
    let id = import(&app, "us-japan-2014.toml", FLAGSHIP).await;
    let entry = seal_v1(&app, id, json!({"model": "bdm", "seed": 7, "draws": 200})).await;
    let sid = entry["id"].as_i64().unwrap();
    assert_eq!(entry["model"], "bdm");
    assert_eq!(entry["version"], 1);
    assert_eq!(entry["superseded_by"], Value::Null);
    let r = get(&app, &format!("/api/seals/{sid}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let disposition = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.contains(&format!("filename=\"{}\"", file_name(sid))),
        "{disposition}"
    );
    assert_eq!(
        r.headers["x-pactum-sha256"],
        entry["sha256"].as_str().unwrap()
    );
    let v = seal::verify(&file_name(sid), &r.text);
    assert!(v.ok(), "{:?}", v.problems);
    // The file is what the library seals for the stored version with the same request.
    let parsed = Seal::parse("x", &r.text).unwrap();
    assert_eq!(parsed.sha256, entry["sha256"].as_str().unwrap());
    let toml = get(&app, &format!("/api/scenarios/{id}/versions/1/toml")).await;
    let request = Request {
        model: "bdm".into(),
        params: Default::default(),
        seed: 7,
        draws: 200,
        sealed_at: parsed.seal.sealed_at.clone(),
    };
    let direct = seal::seal(&stored_scenario(&toml.text), &request).unwrap();
    assert_eq!(direct.render(), r.text);
    // One byte changed in the download no longer verifies.
    let edited = r.text.replacen("\"seed\": 7", "\"seed\": 8", 1);
    assert_ne!(edited, r.text);
    assert!(!seal::verify("edited", &edited).ok());
}

#[tokio::test]
async fn a_generated_scenario_seals_with_its_parameters_and_verifies() {
    let app = app();
    let r = http::call(
        &app,
        "POST",
        "/api/scenarios?filename=gen.csv",
        Some("application/octet-stream"),
        big_table(40).into_bytes(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["created"][0]["scenario_id"].as_i64().unwrap();
    let entry = seal_v1(
        &app,
        id,
        json!({"model": "exchange", "draws": 0, "seed": "18446744073709551615", "params": {}}),
    )
    .await;
    let text = get(&app, entry["download"].as_str().unwrap()).await.text;
    let parsed = Seal::parse("g", &text).unwrap();
    assert_eq!(parsed.seal.seed, u64::MAX);
    assert_eq!(parsed.seal.draws, 0);
    assert!(seal::verify("g", &text).ok());
    // A model parameter reaches the seal as `pactum seal --set` would put it there.
    let entry = seal_v1(
        &app,
        id,
        json!({"model": "bdm", "draws": 0, "params": {"q": 0.8}}),
    )
    .await;
    let text = get(&app, entry["download"].as_str().unwrap()).await.text;
    let parsed = Seal::parse("g", &text).unwrap();
    assert_eq!(
        parsed.seal.parameters.get("q").map(String::as_str),
        Some("0.8")
    );
    assert!(seal::verify("g", &text).ok());
}

#[tokio::test]
async fn bad_seal_requests_are_refused_in_words() {
    let app = app();
    let id = import(&app, "small.toml", SMALL).await;
    let url = format!("/api/scenarios/{id}/versions/1/seal");
    let r = post_json(&app, &url, json!({"model": "nope"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("nope"), "{}", r.text);
    let r = post_json(&app, &url, json!({"model": "bdm", "draws": 10_000_000})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("draws"), "{}", r.text);
    let r = post_json(&app, &url, json!({"model": "bdm", "seed": "-1"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = post_json(&app, &url, json!({"model": "bdm", "colour": 1})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("colour"), "{}", r.text);
    let r = post_json(
        &app,
        &format!("/api/scenarios/{id}/versions/9/seal"),
        json!({"model": "bdm"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("no version 9"), "{}", r.text);
    let r = post_json(&app, &url, json!({"model": "bdm", "supersedes": 99})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("no seal 99"), "{}", r.text);
    assert_eq!(get(&app, "/api/seals").await.json()["seals"], json!([]));
    assert_eq!(
        get(&app, "/api/seals/5").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn superseding_adds_a_seal_and_marks_the_old_one() {
    let app = app();
    let id = import(&app, "small.toml", SMALL).await;
    let other = import(&app, "small.toml", SMALL).await;
    let first = seal_v1(&app, id, json!({"model": "compromise", "draws": 0})).await;
    let a = first["id"].as_i64().unwrap();
    let second = seal_v1(
        &app,
        id,
        json!({"model": "compromise", "draws": 0, "supersedes": a}),
    )
    .await;
    let b = second["id"].as_i64().unwrap();
    assert_eq!(second["supersedes"], a);
    let ledger = get(&app, "/api/seals").await.json();
    let seals = ledger["seals"].as_array().unwrap();
    assert_eq!(seals.len(), 2);
    assert_eq!(seals[0]["id"], b, "newest first");
    assert_eq!(seals[1]["superseded_by"], b);
    assert_eq!(seals[0]["superseded_by"], Value::Null);
    // The old seal is still served unchanged.
    let old = get(&app, &format!("/api/seals/{a}")).await;
    assert!(seal::verify("a", &old.text).ok());
    // A seal is superseded once, and only by a seal of its own scenario.
    let url = format!("/api/scenarios/{id}/versions/1/seal");
    let r = post_json(&app, &url, json!({"model": "median", "supersedes": a})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(
        r.text.contains(&format!("already superseded by seal {b}")),
        "{}",
        r.text
    );
    let r = post_json(
        &app,
        &format!("/api/scenarios/{other}/versions/1/seal"),
        json!({"model": "median", "supersedes": b}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains(&format!("scenario {id}")), "{}", r.text);
    assert_eq!(
        get(&app, "/api/seals").await.json()["seals"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn seals_and_outcomes_cannot_be_edited_or_deleted_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let app = router(AppState::new(Store::open(&path).unwrap(), None));
    let id = import(&app, "small.toml", SMALL).await;
    seal_v1(&app, id, json!({"model": "median", "draws": 0})).await;
    let r = post_json(
        &app,
        &format!("/api/scenarios/{id}/outcomes"),
        json!({"issue": "tariff", "value": 12, "date": "2021-01-01", "source": "test"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 4);
    for sql in [
        "UPDATE seals SET sha256 = 'x'",
        "UPDATE seals SET supersedes = 1",
        "DELETE FROM seals",
        "UPDATE outcomes SET value = 13",
        "DELETE FROM outcomes WHERE id = 1",
    ] {
        let e = conn.execute(sql, []).expect_err(sql).to_string();
        assert!(e.contains("never"), "{sql}: {e}");
    }
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM seals", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    // A seal outlives its scenario: no foreign key ties it to the library's tables.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; DELETE FROM runs; DELETE FROM versions; DELETE FROM scenarios;",
    )
    .unwrap();
    drop(conn);
    let text = get(&app, "/api/seals/1").await.text;
    assert!(seal::verify("s", &text).ok());
    let board = get(&app, "/api/scoreboard").await.json();
    assert_eq!(board["models"][0]["n"], 1, "{board}");
    // The deleted scenario's outcomes are still checked against the sealed scale.
    let r = post_json(
        &app,
        &format!("/api/scenarios/{id}/outcomes"),
        json!({"issue": "tariff", "value": 41, "date": "2021-01-02", "source": "test"}),
    )
    .await;
    let (message, _) = input_error(&r);
    assert!(message.contains("seal 1"), "{message}");
}

#[tokio::test]
async fn outcomes_outside_the_scale_or_of_unknown_issues_are_refused_in_place() {
    let app = app();
    let id = import(&app, "small.toml", SMALL).await;
    let url = format!("/api/scenarios/{id}/outcomes");
    let ok = json!({"issue": "tariff", "value": 12.5, "date": "2021-03-04", "source": "gazette"});
    let mut bad = ok.clone();
    bad["value"] = json!(55);
    let (message, field) = input_error(&post_json(&app, &url, bad).await);
    assert_eq!(field, "value");
    assert!(
        message.contains("`tariff`") && message.contains("0–40 %"),
        "{message}"
    );
    let mut bad = ok.clone();
    bad["issue"] = json!("quota");
    let (message, field) = input_error(&post_json(&app, &url, bad).await);
    assert_eq!(field, "issue");
    assert!(
        message.contains("`quota`") && message.contains("tariff"),
        "{message}"
    );
    let mut bad = ok.clone();
    bad["date"] = json!("4 March");
    assert_eq!(input_error(&post_json(&app, &url, bad).await).1, "date");
    let mut bad = ok.clone();
    bad["source"] = json!(" ");
    assert_eq!(input_error(&post_json(&app, &url, bad).await).1, "source");
    let r = post_json(&app, &url, json!({"issue": "tariff", "value": "x"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = post_json(&app, "/api/scenarios/77/outcomes", ok.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Nothing refused was stored; a newer outcome replaces the older one in force.
    let listed = get(&app, &url).await.json();
    assert_eq!(listed["outcomes"], json!([]));
    assert_eq!(listed["issues"][0]["id"], "tariff");
    assert_eq!(listed["issues"][0]["scale"], json!([0.0, 40.0]));
    assert_eq!(
        post_json(&app, &url, ok.clone()).await.status,
        StatusCode::CREATED
    );
    let mut newer = ok.clone();
    newer["value"] = json!(15);
    let row = post_json(&app, &url, newer).await.json();
    assert_eq!(row["in_force"], true);
    let rows = get(&app, &url).await.json()["outcomes"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert_eq!(
        (rows[0]["value"].as_f64(), &rows[0]["in_force"]),
        (Some(15.0), &json!(true))
    );
    assert_eq!(
        (rows[1]["value"].as_f64(), &rows[1]["in_force"]),
        (Some(12.5), &json!(false))
    );
}

/// Asserts that two scoreboards (the API's JSON and the library's) hold the same numbers.
fn same_numbers(api: &Value, cli: &Value) {
    assert_eq!(api["models"], cli["models"], "models");
    assert_eq!(api["pending"], cli["pending"], "pending");
    let (a, c) = (
        api["issues"].as_array().unwrap(),
        cli["issues"].as_array().unwrap(),
    );
    assert_eq!(a.len(), c.len());
    for (x, y) in a.iter().zip(c) {
        for k in [
            "seal",
            "sha256",
            "model",
            "issue",
            "forecast",
            "interval_50",
            "interval_80",
            "outcome",
            "abs_error",
            "abs_error_100",
            "in_50",
            "in_80",
            "interval_score_80",
        ] {
            assert_eq!(x[k], y[k], "issue {} field {k}", x["issue"]);
        }
    }
}

#[tokio::test]
async fn the_scoreboard_is_pactum_score_on_the_same_seals_and_outcomes() {
    let app = app();
    let id = import(&app, "us-japan-2014.toml", FLAGSHIP).await;
    let a = seal_v1(&app, id, json!({"model": "compromise", "draws": 0})).await;
    seal_v1(&app, id, json!({"model": "bdm", "draws": 100, "seed": 3})).await;
    seal_v1(
        &app,
        id,
        json!({"model": "compromise", "draws": 100, "supersedes": a["id"]}),
    )
    .await;
    // A scenario without recorded outcomes: its seal is pending until one is recorded.
    let plain = SMALL.replace(
        "outcome = { value = 10, date = \"2020-06-01\", sources = [\"made up\"] }\n",
        "",
    );
    let small = import(&app, "small.toml", &plain).await;
    seal_v1(&app, small, json!({"model": "median", "draws": 0})).await;
    let board = get(&app, "/api/scoreboard").await.json();
    assert_eq!(board["pending"].as_array().unwrap().len(), 1, "{board}");
    assert_eq!(board["pending"][0]["issue"], "tariff");
    for (sid, issue, value) in [
        (id, "beef-tariff", 20.0),
        (id, "beef-tariff", 11.5),
        (id, "g20-fx", 50.0),
        (small, "tariff", 30.0),
    ] {
        let r = post_json(
            &app,
            &format!("/api/scenarios/{sid}/outcomes"),
            json!({"issue": issue, "value": value, "date": "2016-01-01", "source": "test"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let api = get(&app, "/api/scoreboard").await.json();
    assert_eq!(api["pending"], json!([]));
    let models: Vec<&str> = api["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["bdm", "compromise", "median"]);
    assert_eq!(
        api["models"][1]["n"], 5,
        "the superseded seal is not scored"
    );
    let beef = api["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["issue"] == "beef-tariff")
        .unwrap();
    assert_eq!(beef["outcome"], 11.5, "the newest outcome is in force");
    // `pactum score` on the downloaded files, one CSV of outcomes per scenario (issue ids
    // are matched within a scenario), gives the same numbers.
    let ledger = get(&app, "/api/seals").await.json();
    let mut files = Vec::new();
    let mut scored = Vec::new();
    for e in ledger["seals"].as_array().unwrap().iter().rev() {
        if e["superseded_by"].is_null() {
            let sid = e["id"].as_i64().unwrap();
            let text = get(&app, &format!("/api/seals/{sid}")).await.text;
            files.push((e["scenario_id"].as_i64().unwrap(), file_name(sid), text));
        }
    }
    for (scenario, csv) in [
        (
            id,
            "issue,outcome,date\nbeef-tariff,11.5,2016\ng20-fx,50,2016\n",
        ),
        (small, "issue,outcome\ntariff,30\n"),
    ] {
        let seals: Vec<(String, Seal)> = files
            .iter()
            .filter(|(s, _, _)| *s == scenario)
            .map(|(_, n, t)| (n.clone(), Seal::parse(n, t).unwrap()))
            .collect();
        let outcomes = seal::read_outcomes_csv("outcomes.csv", csv).unwrap();
        scored.push(seal::score(&seals, &outcomes).unwrap());
    }
    let mut cli = scored.remove(0);
    let rest = scored.remove(0);
    cli.issues.extend(rest.issues);
    cli.pending.extend(rest.pending);
    cli.models = seal::grades(&cli.issues);
    same_numbers(&api, &serde_json::to_value(&cli).unwrap());
    // With one scenario the CLI scores it in one call, exactly as the API does.
    let only: Vec<(String, Seal)> = files
        .iter()
        .filter(|(s, _, _)| *s == id)
        .map(|(_, n, t)| (n.clone(), Seal::parse(n, t).unwrap()))
        .collect();
    let csv = "issue,outcome\nbeef-tariff,11.5\ng20-fx,50\n";
    let one = seal::score(&only, &seal::read_outcomes_csv("o.csv", csv).unwrap()).unwrap();
    let api_models = &api["models"].as_array().unwrap()[..2];
    assert_eq!(
        json!(api_models),
        serde_json::to_value(&one.models).unwrap()
    );
}

#[tokio::test]
async fn junk_bodies_are_client_errors_never_server_errors() {
    let app = app();
    let id = import(&app, "small.toml", SMALL).await;
    let bodies: [&[u8]; 8] = [
        b"",
        b"null",
        b"{}",
        b"{\"model\": 5}",
        b"{\"model\": \"bdm\", \"draws\": -1}",
        b"{\"issue\": \"tariff\", \"value\": 1e400, \"date\": \"2020-01-01\", \"source\": \"s\"}",
        b"{\"issue\": \"\", \"value\": 1, \"date\": \"2020-01-01\", \"source\": \"s\"}",
        &[0xff, 0xfe, 0x00],
    ];
    for uri in [
        format!("/api/scenarios/{id}/versions/1/seal"),
        format!("/api/scenarios/{id}/outcomes"),
        "/api/scenarios/x/outcomes".to_string(),
        format!("/api/scenarios/{id}/versions/latest/seal"),
    ] {
        for b in bodies {
            let r = http::call(&app, "POST", &uri, Some("application/json"), b.to_vec()).await;
            let what = format!("POST {uri} {:?}", String::from_utf8_lossy(b));
            http::assert_client_error(&r, &what);
        }
    }
}

#[tokio::test]
async fn the_seal_page_script_is_served_and_never_parses_html() {
    let app = app();
    let page = get(&app, "/seals").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("/static/seals.js") && page.text.contains("href=\"/seals\""));
    let js = get(&app, "/static/seals.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(
        js.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(js.text.contains("function sealsPage") && js.text.contains("function sealCard"));
    let sinks = HTML_SINKS.iter().filter(|s| js.text.contains(**s));
    assert_eq!(
        sinks.collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "HTML sinks in seals.js"
    );
}

/// A scenario of two actors and `n` issues, in native TOML.
fn many_issues(n: usize) -> String {
    let mut s = String::from(
        "title = \"many\"\n\n[[actors]]\nid = \"a\"\ncapability = 1\n\n[[actors]]\nid = \"b\"\ncapability = 2\n",
    );
    for k in 0..n {
        s.push_str(&format!(
            "\n[[issues]]\nid = \"i{k}\"\nscale = {{ lo = 0, hi = 100 }}\n"
        ));
        for (actor, position) in [("a", 10), ("b", 80)] {
            s.push_str(&format!(
                "\n[[stances]]\nactor = \"{actor}\"\nissue = \"i{k}\"\nposition = {position}\nsalience = 0.5\n"
            ));
        }
    }
    s
}

#[tokio::test]
async fn a_seal_too_large_to_hold_is_refused_before_it_runs() {
    let app = app();
    let id = import(&app, "many.toml", &many_issues(400)).await;
    let url = format!("/api/scenarios/{id}/versions/1/seal");
    let r = post_json(&app, &url, json!({"model": "compromise", "draws": 200_000})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("400 issues"), "{}", r.text);
    assert_eq!(get(&app, "/api/seals").await.json()["seals"], json!([]));
    // The same scenario at the modes seals, one issue per entry.
    let entry = seal_v1(&app, id, json!({"model": "compromise", "draws": 0})).await;
    let text = get(&app, entry["download"].as_str().unwrap()).await.text;
    assert_eq!(Seal::parse("m", &text).unwrap().seal.issues.len(), 400);
}
