//! The page's charts are the report's: `POST /api/charts` and the Monte Carlo job serve the
//! SVG text `pactum-report` embeds, byte for byte, for the same scenario and forecasts.
// Errors are built on the cold path of a failed request; their size does not matter.
#![allow(clippy::result_large_err)]

use axum::Router;
use axum::http::StatusCode;
use pactum::models::{self, Params};
use pactum::uncertainty::{SimulationOptions, simulate};
use pactum::{Forecast, Scenario, Snapshot, io};
use pactum_chart::Histogram;
use pactum_report::Report;
use pactum_web::store::Store;
use pactum_web::{AppState, router};
use serde_json::{Value, json};

mod common;
#[path = "common/http.rs"]
mod http;

fn app() -> Router {
    router(AppState::new(Store::in_memory().unwrap(), None))
}

/// `method uri` with an optional JSON body: the status and the JSON answer.
async fn call(app: &Router, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let r = match body {
        Some(v) => http::send_json(app, method, uri, v).await,
        None => http::call(app, method, uri, None, Vec::new()).await,
    };
    (r.status, r.json())
}

/// The Monte Carlo job `job` (the answer that started it), polled until it stops running.
async fn finished(app: &Router, job: &Value) -> Value {
    let uri = format!("/api/montecarlo/{}", job["job"]);
    loop {
        let (_, v) = call(app, "GET", &uri, None).await;
        if v["state"] != "running" {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

fn case(name: &str) -> Scenario {
    let path = format!("{}/../../cases/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read(&path).unwrap();
    io::read(&path, &text, None).unwrap().scenarios.remove(0)
}

/// What `pactum report` runs: each model with the scenario's parameters, calibrated.
fn forecasts_like_the_cli(s: &Scenario, names: &[String]) -> Vec<Forecast> {
    let snap = Snapshot::modes(s);
    names
        .iter()
        .map(|n| {
            let m = models::by_name(n).unwrap();
            let params = Params::from_scenario(s, m.name());
            let mut f = m.solve(&snap, &params).unwrap();
            let _ = pactum::calibration::calibrate_forecast(&mut f, &snap, m, &params);
            f
        })
        .collect()
}

/// Posts the scenario to `/api/charts`, checks the served forecasts are the library's and
/// that the report of those forecasts holds every served chart byte for byte. Returns the
/// served charts.
async fn served_equals_report(s: &Scenario) -> Value {
    let app = app();
    let (status, v) = call(
        &app,
        "POST",
        "/api/charts",
        Some(json!({"scenario": serde_json::to_value(s).unwrap()})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let names: Vec<String> = v["forecasts"]["forecasts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["model"].as_str().unwrap().to_string())
        .collect();
    assert!(names.len() >= 3, "{names:?}");
    let mine = forecasts_like_the_cli(s, &names);
    assert_eq!(pactum::calibration::forecasts_json(&mine), v["forecasts"]);
    let html = pactum_report::render(&Report::new(s.clone(), mine));
    let issues = v["charts"]["issues"].as_array().unwrap();
    assert_eq!(issues.len(), s.issues.len());
    let mut checked = 0;
    for i in issues {
        let map = i["position_map"].as_str().unwrap();
        assert!(map.starts_with("<svg class=\"chart\"") && map.contains("<title id="));
        let mut all = vec![map];
        all.extend(i["round_medians"].as_str());
        for group in ["round_actors", "win_sets"] {
            all.extend(
                i[group]
                    .as_object()
                    .unwrap()
                    .values()
                    .filter_map(Value::as_str),
            );
        }
        for svg in all {
            assert!(
                html.contains(svg),
                "the report lacks a served chart of {}",
                i["id"]
            );
            checked += 1;
        }
    }
    assert!(checked > issues.len(), "only position maps were compared");
    v
}

#[tokio::test]
async fn the_flat_flagships_charts_are_the_reports_bytes() {
    let v = served_equals_report(&case("us-japan-2014.toml")).await;
    let charts = &v["charts"];
    let first = &charts["issues"][0];
    assert!(
        first["round_actors"]
            .as_object()
            .unwrap()
            .contains_key("bdm")
    );
    assert!(
        first["win_sets"].as_object().unwrap().is_empty(),
        "no sides, no win-sets"
    );
}

#[tokio::test]
async fn the_two_level_flagships_win_sets_are_the_reports_bytes_and_name_each_side() {
    let s = case("us-japan-2014-two-level.toml");
    let v = served_equals_report(&s).await;
    let two = v["forecasts"]["forecasts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["model"] == "twolevel")
        .expect("every model runs twolevel on a scenario with sides");
    let mut drawn = 0;
    for (i, f) in v["charts"]["issues"]
        .as_array()
        .unwrap()
        .iter()
        .zip(two["issues"].as_array().unwrap())
    {
        let sides = f["sides"].as_array().unwrap();
        let Some(svg) = i["win_sets"]["twolevel"].as_str() else {
            assert!(sides.is_empty(), "{}: sides but no chart", i["id"]);
            continue;
        };
        drawn += 1;
        let desc = &svg[svg.find("<desc").unwrap()..svg.find("</desc>").unwrap()];
        for side in sides {
            let name = format!(
                "{} ({})",
                side["id"].as_str().unwrap(),
                side["negotiator"].as_str().unwrap()
            );
            assert!(desc.contains(&name), "{name} not named: {desc}");
            assert!(
                svg.contains(&format!(">{name}</text>")),
                "{name} not labelled"
            );
        }
    }
    assert!(drawn >= 3, "win-set charts on {drawn} issues");
}

#[tokio::test]
async fn a_large_generated_issue_draws_the_heaviest_actors_the_same_on_both() {
    let table = common::big_table(150);
    let s = io::read("big.csv", table.as_bytes(), None)
        .unwrap()
        .scenarios
        .remove(0);
    let v = served_equals_report(&s).await;
    let map = v["charts"]["issues"][0]["position_map"].as_str().unwrap();
    assert_eq!(map.matches("<circle").count(), pactum_chart::MAP_ACTORS);
    assert!(map.contains("the 60 heaviest of 150"), "the cap is said");
}

#[tokio::test]
async fn monte_carlo_histograms_are_the_reports_and_carry_p_agreement() {
    let s = case("us-japan-2014-two-level.toml");
    let app = app();
    let (status, job) = call(
        &app,
        "POST",
        "/api/montecarlo",
        Some(json!({"scenario": serde_json::to_value(&s).unwrap(), "model": "twolevel", "draws": 200, "seed": 7})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let done = finished(&app, &job).await;
    assert_eq!(done["state"], "done", "{done}");
    let model = models::by_name("twolevel").unwrap();
    let opts = SimulationOptions {
        draws: 200,
        seed: 7,
        ..SimulationOptions::default()
    };
    let sim = simulate(
        model,
        &s,
        &Params::from_scenario(&s, "twolevel"),
        &opts,
        None,
    )
    .unwrap();
    let hs = Histogram::from_simulation(&sim);
    let mut report = Report::new(s.clone(), Vec::new());
    report.histograms = hs.clone();
    let html = pactum_report::render(&report);
    let charts = done["charts"].as_array().unwrap();
    assert_eq!(charts.len(), s.issues.len());
    for (k, (c, h)) in charts.iter().zip(&hs).enumerate() {
        let issue = s.issues.iter().find(|i| i.id == h.issue_id).unwrap();
        let svg = c["svg"].as_str().unwrap();
        assert_eq!(svg, pactum_chart::histogram(issue, k, h));
        assert!(
            html.contains(svg),
            "the report lacks the served histogram of {}",
            h.issue_id
        );
        let p = c["p_agreement"]
            .as_f64()
            .expect("twolevel reports p_agreement");
        assert!((0.0..=1.0).contains(&p));
        assert_eq!(Some(p), h.p_agreement);
    }
}

#[tokio::test]
async fn charts_refuse_a_stored_version_and_an_empty_body_with_4xx() {
    let app = app();
    let (status, v) = call(&app, "POST", "/api/charts", Some(json!({"scenario_id": 1}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    let (status, v) = call(&app, "POST", "/api/charts", Some(json!({}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
}

/// A recorded Monte Carlo run reopened as a page draws the histograms its job answered,
/// byte for byte, from the JSON stored with the run.
#[tokio::test]
async fn a_recorded_monte_carlo_run_reopens_with_the_jobs_histograms() {
    let path = format!(
        "{}/../../cases/us-japan-2014-two-level.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let app = app();
    let text = std::fs::read_to_string(&path).unwrap();
    let id = http::import(&app, "two-level.toml", &text).await;
    let (status, job) = call(
        &app,
        "POST",
        "/api/montecarlo",
        Some(json!({"scenario_id": id, "model": "twolevel", "draws": 100, "seed": 3})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let done = finished(&app, &job).await;
    assert_eq!(done["state"], "done", "{done}");
    let run = done["run"]
        .as_i64()
        .expect("a stored version's job is recorded");
    let (status, page) = call(&app, "GET", &format!("/api/runs/{run}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["run"]["draws"], 100);
    assert!(!done["charts"].as_array().unwrap().is_empty());
    assert_eq!(page["charts"], done["charts"]);
    // A point run carries no histograms.
    let (status, _) = call(
        &app,
        "POST",
        "/api/forecast",
        Some(json!({"scenario_id": id, "models": ["compromise"]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, runs) = call(&app, "GET", "/api/runs?limit=1", None).await;
    let point = runs["runs"][0]["id"].as_i64().unwrap();
    let (_, page) = call(&app, "GET", &format!("/api/runs/{point}"), None).await;
    assert!(page.get("charts").is_none(), "{page}");
}
