//! API tests against the router (tower `oneshot`, no socket).

// Errors are built on the cold path of a failed request; their size does not matter.
#![allow(clippy::result_large_err)]

use axum::Router;
use axum::http::{StatusCode, header};
use pactum::models::{self, Params};
use pactum::uncertainty::{SimulationOptions, simulate};
use pactum::{Snapshot, io};
use pactum_web::store::{Store, sha256_hex};
use pactum_web::{AppState, router, routes};
use serde_json::{Value, json};

mod common;
#[path = "common/http.rs"]
mod http;
use common::big_table;
use http::{Reply, call, call_with, get, post_json};

const SMALL: &str = include_str!("../../pactum-cli/tests/fixtures/small.toml");

fn app() -> Router {
    router(AppState::new(Store::in_memory().unwrap(), None))
}

async fn import(app: &Router, name: &str, text: &str) -> Reply {
    call(
        app,
        "POST",
        &format!("/api/scenarios?filename={name}"),
        Some("application/octet-stream"),
        text.as_bytes().to_vec(),
    )
    .await
}

/// Imports the fixture; returns its scenario id.
async fn import_small(app: &Router) -> i64 {
    let r = import(app, "small.toml", SMALL).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["created"][0]["scenario_id"].as_i64().unwrap()
}

/// The error kind of an error reply, checking the status is 4xx and the body is JSON.
fn error_kind(r: &Reply) -> String {
    assert!(
        r.status.is_client_error(),
        "expected 4xx, got {}: {}",
        r.status,
        r.text
    );
    let v = r.json();
    assert_eq!(v["error"]["status"], r.status.as_u16(), "{}", r.text);
    assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    v["error"]["kind"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn openapi_describes_every_route_and_nothing_else() {
    let app = app();
    let r = get(&app, "/api/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let served = routes();
    for spec in &served {
        let entry = paths
            .get(spec.path)
            .unwrap_or_else(|| panic!("{} is served but not in openapi.json", spec.path));
        let documented: Vec<String> = entry
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.to_ascii_uppercase())
            .collect();
        let mut want: Vec<String> = spec.methods.iter().map(|m| m.to_string()).collect();
        let mut have = documented.clone();
        want.sort();
        have.sort();
        assert_eq!(have, want, "methods of {}", spec.path);
    }
    for path in paths.keys() {
        assert!(
            served.iter().any(|s| s.path == path),
            "{path} is documented but not served"
        );
    }
    // Every documented method really is routed: a request never falls through to the
    // unknown-route or wrong-method answer.
    for spec in &served {
        let uri = spec.path.replace("{id}", "1").replace("{version}", "1");
        for m in spec.methods {
            let r = call(&app, m, &uri, Some("application/json"), b"{}".to_vec()).await;
            assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{m} {uri}");
            assert!(
                !r.text.contains("no such route"),
                "{m} {uri} is documented but falls through: {}",
                r.text
            );
        }
    }
}

#[tokio::test]
async fn stored_forecast_is_the_cli_json_and_is_recorded() {
    let app = app();
    let id = import_small(&app).await;
    let scenario = io::read("small.toml", SMALL.as_bytes(), None)
        .unwrap()
        .scenarios
        .remove(0);
    let snapshot = Snapshot::modes(&scenario);
    let mut suitable = 0;
    // Models that "every model" runs: suitable, and not left out on a scenario like this
    // one (twolevel without sides).
    let mut in_default = 0;
    for m in models::all() {
        let r = post_json(
            &app,
            "/api/forecast",
            json!({"scenario_id": id, "model": m.name(), "seed": 42}),
        )
        .await;
        // The request's seed is the seed of every model that reads one.
        let takes_seed = m.parameters().iter().any(|p| p.name == "seed");
        let params = if takes_seed {
            Params::new().set("seed", "42")
        } else {
            Params::new()
        };
        let solved = match m.solve(&snapshot, &params) {
            Ok(f) => f,
            Err(pactum::ModelError::Unsuitable(_)) => {
                // A named model that does not suit the scenario: 422, like the CLI's error.
                assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
                assert_eq!(r.json()["error"]["kind"], "model");
                continue;
            }
            Err(e) => panic!("{}: {e}", m.name()),
        };
        suitable += 1;
        if m.left_out_by_default(&scenario).is_none() {
            in_default += 1;
        }
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        // The CLI's JSON: the forecast with its calibrated intervals.
        let mut solved = solved;
        pactum::calibration::calibrate_forecast(&mut solved, &snapshot, m, &Params::new()).unwrap();
        let want = serde_json::to_value(solved).unwrap();
        assert_eq!(r.json(), want, "model {}", m.name());
        let run_id = r.headers["x-pactum-run"].to_str().unwrap().to_string();
        let run = get(&app, &format!("/api/runs/{run_id}")).await.json();
        assert_eq!(run["forecast"], want);
        assert_eq!(run["run"]["model"], m.name());
        assert_eq!(run["run"]["seed"], 42);
        assert_eq!(run["run"]["version"], 1);
        let toml = get(&app, &format!("/api/scenarios/{id}/versions/1/toml")).await;
        assert_eq!(run["run"]["sha256"], sha256_hex(&toml.text));
    }
    // No model named: every model, as `{"forecasts": [...]}` like the CLI.
    let all = post_json(&app, "/api/forecast", json!({"scenario_id": id})).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(
        all.json()["forecasts"].as_array().unwrap().len(),
        in_default
    );
    let runs = get(&app, &format!("/api/runs?scenario={id}")).await.json();
    assert_eq!(
        runs["runs"].as_array().unwrap().len(),
        suitable + in_default
    );
}

#[tokio::test]
async fn an_edit_is_a_new_version_and_the_old_one_is_kept() {
    let app = app();
    let id = import_small(&app).await;
    let v1 = get(&app, &format!("/api/scenarios/{id}/versions/1"))
        .await
        .json();
    let mut edited = v1["scenario"].clone();
    edited["stances"][1]["salience"] = json!(0.1);
    let saved = post_json(
        &app,
        &format!("/api/scenarios/{id}/versions"),
        json!({"scenario": edited, "note": "Beta cares less"}),
    )
    .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.text);
    let saved = saved.json();
    assert_eq!(saved["version"], 2);
    assert_ne!(saved["sha256"], v1["sha256"]);
    let list = get(&app, &format!("/api/scenarios/{id}/versions"))
        .await
        .json();
    assert_eq!(list["versions"].as_array().unwrap().len(), 2);
    assert_eq!(list["versions"][1]["note"], "Beta cares less");
    let again = get(&app, &format!("/api/scenarios/{id}/versions/1"))
        .await
        .json();
    assert_eq!(again, v1);
    let latest = get(&app, &format!("/api/scenarios/{id}/versions/latest"))
        .await
        .json();
    assert_eq!(latest["scenario"]["stances"][1]["salience"], 0.1);
    // The forecast moves with the edit (less weight on Beta's 40 %).
    let f1 = post_json(
        &app,
        "/api/forecast",
        json!({"scenario_id": id, "version": 1, "model": "compromise"}),
    )
    .await
    .json();
    let f2 = post_json(
        &app,
        "/api/forecast",
        json!({"scenario_id": id, "version": 2, "model": "compromise"}),
    )
    .await
    .json();
    let (a, b) = (
        f1["issues"][0]["forecast"].as_f64().unwrap(),
        f2["issues"][0]["forecast"].as_f64().unwrap(),
    );
    assert!(b < a, "forecast {a} -> {b}");
    // The exported TOML is native and reads back to the same scenario.
    let toml = get(&app, &format!("/api/scenarios/{id}/versions/2/toml")).await;
    assert_eq!(
        toml.headers["x-pactum-sha256"],
        saved["sha256"].as_str().unwrap()
    );
    let back = io::read("x.toml", toml.text.as_bytes(), None).unwrap();
    assert_eq!(
        serde_json::to_value(&back.scenarios[0]).unwrap(),
        latest["scenario"]
    );
}

#[tokio::test]
async fn an_inline_forecast_is_not_recorded() {
    let app = app();
    let id = import_small(&app).await;
    let s = get(&app, &format!("/api/scenarios/{id}/versions/1"))
        .await
        .json();
    let r = post_json(&app, "/api/forecast", json!({"scenario": s["scenario"]})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.headers.get("x-pactum-run").is_none());
    let runs = get(&app, "/api/runs").await.json();
    assert_eq!(runs["runs"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn bad_scenarios_are_422_with_their_place() {
    let app = app();
    let bad = SMALL.replace("salience = 1.0", "salience = 2.0");
    let r = import(&app, "bad.toml", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let e = r.json();
    assert_eq!(e["error"]["kind"], "input");
    assert_eq!(e["error"]["location"]["file"], "bad.toml");
    assert_eq!(e["error"]["location"]["field"], "salience");
    let line = e["error"]["location"]["line"].as_u64().unwrap() as usize;
    assert!(
        bad.lines()
            .nth(line - 1)
            .unwrap()
            .contains("salience = 2.0")
    );

    let broken = import(&app, "broken.toml", "title = \"x\n[[actors]]").await;
    assert_eq!(error_kind(&broken), "input");
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    let binary = import(&app, "x.bin", "\u{0}\u{1}garbage").await;
    assert!(binary.status.is_client_error(), "{}", binary.text);

    let id = import_small(&app).await;
    let mut s = get(&app, &format!("/api/scenarios/{id}/versions/1"))
        .await
        .json()["scenario"]
        .clone();
    s["stances"][2]["salience"] = json!(1.5);
    let r = post_json(
        &app,
        &format!("/api/scenarios/{id}/versions"),
        json!({ "scenario": s }),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["error"]["location"]["path"], "stances[2].salience");
    let same = post_json(&app, "/api/forecast", json!({ "scenario": s })).await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing was stored by the failed save.
    let list = get(&app, &format!("/api/scenarios/{id}/versions"))
        .await
        .json();
    assert_eq!(list["versions"].as_array().unwrap().len(), 1);
}

/// Method, URI, content type, body, expected error kind.
type Case = (
    &'static str,
    String,
    Option<&'static str>,
    Vec<u8>,
    &'static str,
);

#[tokio::test]
async fn bad_requests_are_json_4xx_never_500() {
    let app = app();
    let id = import_small(&app).await;
    let cases: Vec<Case> = vec![
        ("POST", "/api/forecast".into(), Some("application/json"), b"{not json".to_vec(), "bad_request"),
        ("POST", "/api/forecast".into(), Some("application/json"), b"[]".to_vec(), "bad_request"),
        ("POST", "/api/forecast".into(), Some("application/json"), b"{}".to_vec(), "bad_request"),
        ("POST", "/api/forecast".into(), Some("application/json"), format!("{{\"scenario_id\": {id}, \"model\": \"nope\"}}").into_bytes(), "model"),
        ("POST", "/api/forecast".into(), Some("application/json"), format!("{{\"scenario_id\": {id}, \"model\": \"compromise\", \"parameters\": {{\"zz\": 1}}}}").into_bytes(), "parameter"),
        ("POST", "/api/forecast".into(), Some("application/json"), format!("{{\"scenario_id\": {id}, \"parameters\": {{\"zz\": 1}}}}").into_bytes(), "bad_request"),
        ("POST", "/api/forecast".into(), Some("application/json"), format!("{{\"scenario_id\": {id}, \"version\": 99}}").into_bytes(), "not_found"),
        ("POST", "/api/forecast".into(), Some("application/json"), b"{\"scenario_id\": 12345}".to_vec(), "not_found"),
        ("POST", "/api/forecast".into(), Some("text/plain"), b"{}".to_vec(), "unsupported_media_type"),
        ("POST", "/api/forecast".into(), None, b"{}".to_vec(), "unsupported_media_type"),
        ("POST", "/api/forecast".into(), Some("application/json"), vec![b' '; pactum_web::MAX_BODY + 10], "too_large"),
        ("POST", format!("/api/scenarios/{id}/versions"), Some("application/json"), b"{\"scenario\": {\"actors\": 3}}".to_vec(), "bad_request"),
        ("POST", format!("/api/scenarios/{id}/versions"), Some("application/json"), b"{\"scenario\": {}}".to_vec(), "input"),
        ("POST", "/api/scenarios/999/versions".into(), Some("application/json"), format!("{{\"scenario\": {}}}", serde_json::to_string(&io::read("s.toml", SMALL.as_bytes(), None).unwrap().scenarios[0]).unwrap()).into_bytes(), "not_found"),
        ("POST", "/api/scenarios?format=nope".into(), Some("application/octet-stream"), SMALL.as_bytes().to_vec(), "bad_request"),
        ("POST", "/api/scenarios?bogus=1".into(), Some("application/octet-stream"), SMALL.as_bytes().to_vec(), "bad_request"),
        ("GET", "/api/scenarios/abc".into(), None, vec![], "bad_request"),
        ("GET", "/api/scenarios/-1/versions".into(), None, vec![], "bad_request"),
        ("GET", "/api/scenarios/77".into(), None, vec![], "not_found"),
        ("GET", format!("/api/scenarios/{id}/versions/0"), None, vec![], "bad_request"),
        ("GET", format!("/api/scenarios/{id}/versions/9/toml"), None, vec![], "not_found"),
        ("GET", "/api/runs/99".into(), None, vec![], "not_found"),
        ("GET", "/api/runs?limit=abc".into(), None, vec![], "bad_request"),
        ("GET", "/api/nothing".into(), None, vec![], "not_found"),
        ("DELETE", "/api/scenarios".into(), None, vec![], "method_not_allowed"),
    ];
    for (method, uri, ct, body, kind) in cases {
        let r = call(&app, method, &uri, ct, body).await;
        assert_eq!(error_kind(&r), kind, "{method} {uri}: {}", r.text);
    }
}

#[tokio::test]
async fn arbitrary_bodies_never_give_a_server_error() {
    let app = app();
    let id = import_small(&app).await;
    let bodies: Vec<Vec<u8>> = vec![
        vec![],
        b"null".to_vec(),
        b"\"x\"".to_vec(),
        b"{\"scenario\": null}".to_vec(),
        b"{\"scenario\": {\"actors\": [{\"id\": \"a\", \"capability\": -1}]}}".to_vec(),
        b"{\"scenario\": {\"title\": \"x\", \"models\": {\"m\": {\"k\": null}}}}".to_vec(),
        b"{\"scenario_id\": 1e400}".to_vec(),
        b"{\"scenario_id\": -5}".to_vec(),
        vec![0xff, 0xfe, 0x00],
        "actor,capability,position,salience\nA,1,2"
            .as_bytes()
            .to_vec(),
        b"#A\tx\n".to_vec(),
    ];
    let uris = [
        "/api/forecast".to_string(),
        format!("/api/scenarios/{id}/versions"),
        "/api/scenarios".to_string(),
    ];
    for uri in &uris {
        for b in &bodies {
            for ct in ["application/json", "application/octet-stream"] {
                let r = call(&app, "POST", uri, Some(ct), b.clone()).await;
                assert!(
                    r.status.is_client_error(),
                    "POST {uri} {:?} -> {} {}",
                    String::from_utf8_lossy(b),
                    r.status,
                    r.text
                );
                r.json();
            }
        }
    }
}

#[tokio::test]
async fn user_strings_come_back_as_data() {
    let app = app();
    let evil = SMALL.replace("name = \"Alpha\"", "name = \"<script>alert(1)</script>\"");
    let r = import(&app, "evil.toml", &evil).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.json()["created"][0]["scenario_id"].as_i64().unwrap();
    let s = get(&app, &format!("/api/scenarios/{id}/versions/1")).await;
    assert_eq!(s.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(
        s.json()["scenario"]["actors"][0]["name"],
        "<script>alert(1)</script>"
    );
    // The page never parses user data as HTML.
    for (path, _) in pactum_web::SCRIPTS {
        let js = get(&app, path).await.text;
        assert!(js.contains("\"use strict\""), "{path} is served");
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(!js.contains(sink), "{path} uses {sink}");
        }
    }
    let page = get(&app, "/scenarios/1").await;
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
}

#[tokio::test]
async fn a_token_guards_every_route() {
    let token = "0123456789abcdef0123";
    let app = router(AppState::new(
        Store::in_memory().unwrap(),
        Some(token.into()),
    ));
    for uri in ["/api/scenarios", "/api/openapi.json", "/api/health"] {
        let r = get(&app, uri).await;
        assert_eq!(error_kind(&r), "unauthorized", "{uri}");
    }
    // A page load without the token goes to the login page; it and its assets are open.
    for uri in ["/", "/scenarios/1"] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(r.headers[header::LOCATION], "/login", "{uri}");
    }
    for uri in ["/login", "/static/app.js", "/static/app.css"] {
        assert_eq!(get(&app, uri).await.status, StatusCode::OK, "{uri}");
    }
    let bearer = format!("Bearer {token}");
    let ok = call_with(
        &app,
        "GET",
        "/api/scenarios",
        None,
        vec![],
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
    let wrong = call_with(
        &app,
        "GET",
        "/api/scenarios",
        None,
        vec![],
        &[("authorization", "Bearer 0123456789abcdef0124")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    // The login step takes the token in a JSON body only, never in the URL.
    let login = post_json(&app, "/login", json!({ "token": token })).await;
    assert_eq!(login.status, StatusCode::NO_CONTENT);
    let cookie = login.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().unwrap();
    let with_cookie = call_with(&app, "GET", "/", None, vec![], &[("cookie", pair)]).await;
    assert_eq!(with_cookie.status, StatusCode::OK);
    let bad_login = post_json(&app, "/login", json!({ "token": "nope" })).await;
    assert_eq!(error_kind(&bad_login), "unauthorized");
    assert!(!bad_login.headers.contains_key(header::SET_COOKIE));
    // A token in the query string is not a login: no cookie is ever set from a URL.
    let in_url = get(&app, &format!("/login?token={token}")).await;
    assert!(!in_url.headers.contains_key(header::SET_COOKIE));
    let form = call(
        &app,
        "POST",
        "/login",
        Some("application/x-www-form-urlencoded"),
        format!("token={token}").into_bytes(),
    )
    .await;
    assert!(!form.headers.contains_key(header::SET_COOKIE));
    assert_eq!(error_kind(&form), "unsupported_media_type");
}

#[tokio::test]
async fn foreign_host_names_are_refused_without_a_token() {
    let app = app();
    let r = call_with(
        &app,
        "GET",
        "/api/scenarios",
        None,
        vec![],
        &[("host", "attacker.example")],
    )
    .await;
    assert_eq!(error_kind(&r), "forbidden_host");
    let ok = call_with(
        &app,
        "GET",
        "/api/scenarios",
        None,
        vec![],
        &[("host", "127.0.0.1:8700")],
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[test]
fn binding_off_loopback_needs_a_token() {
    let opts = |bind: &str, token: Option<&str>| pactum_web::ServeOptions {
        data_dir: None,
        bind: bind.parse().unwrap(),
        token: token.map(String::from),
        workers: None,
        limits: None,
    };
    assert!(pactum_web::check_options(&opts("127.0.0.1:8700", None)).is_ok());
    assert!(pactum_web::check_options(&opts("[::1]:8700", None)).is_ok());
    assert!(pactum_web::check_options(&opts("0.0.0.0:8700", None)).is_err());
    assert!(pactum_web::check_options(&opts("0.0.0.0:8700", Some("short"))).is_err());
    assert!(pactum_web::check_options(&opts("0.0.0.0:8700", Some("0123456789abcdef;x"))).is_err());
    assert!(pactum_web::check_options(&opts("0.0.0.0:8700", Some("0123456789abcdef"))).is_ok());
}

/// The small fixture as the library reads it.
fn small_scenario() -> pactum::Scenario {
    io::read("small.toml", SMALL.as_bytes(), None)
        .unwrap()
        .scenarios
        .remove(0)
}

/// `pactum::uncertainty::simulate` called directly, as pretty JSON (what `pactum simulate
/// --format json` prints).
fn simulate_directly(model: &str, draws: u64, seed: u64) -> String {
    let scenario = small_scenario();
    let model = models::by_name(model).unwrap();
    let params = Params::from_scenario(&scenario, model.name());
    let opts = SimulationOptions {
        draws,
        seed,
        ..SimulationOptions::default()
    };
    let sim = simulate(model, &scenario, &params, &opts, None).unwrap();
    serde_json::to_string_pretty(&sim).unwrap()
}

/// Polls a job until it leaves `running` (checking progress never goes back); returns the
/// final status and how many polls saw it running.
async fn wait_for_job(app: &Router, job: &Value) -> (Value, usize) {
    let uri = format!("/api/montecarlo/{}", job.as_u64().unwrap());
    let mut last_done = 0;
    for polls in 0..20_000 {
        let r = get(app, &uri).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let v = r.json();
        let done = v["done_draws"].as_u64().unwrap();
        assert!(
            done >= last_done && done <= v["draws"].as_u64().unwrap(),
            "{v}"
        );
        last_done = done;
        if v["state"] != "running" {
            return (v, polls);
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("job {job} still running after 20,000 polls");
}

async fn start_job(app: &Router, body: Value) -> Value {
    let r = post_json(app, "/api/montecarlo", body).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let v = r.json();
    assert_eq!(
        r.headers[header::LOCATION].to_str().unwrap(),
        format!("/api/montecarlo/{}", v["job"])
    );
    assert!(v["state"] == "running" || v["state"] == "done", "{v}");
    v
}

#[tokio::test]
async fn monte_carlo_of_a_stored_version_is_the_library_result_and_is_recorded() {
    let app = app();
    let id = import_small(&app).await;
    let started = start_job(
        &app,
        json!({"scenario_id": id, "model": "compromise", "draws": 1000, "seed": 42}),
    )
    .await;
    assert_eq!(started["draws"], 1000);
    let (done, _) = wait_for_job(&app, &started["job"]).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["done_draws"], 1000);
    assert_eq!(
        (done["scenario_id"].as_i64(), done["version"].as_i64()),
        (Some(id), Some(1))
    );
    // Byte-identical to the library called directly with the same inputs.
    let got = serde_json::to_string_pretty(&done["result"]).unwrap();
    assert_eq!(got, simulate_directly("compromise", 1000, 42));
    // Recorded like a forecast, with its draws and the version's SHA-256.
    let run_id = done["run"]
        .as_i64()
        .expect("a stored version's run is recorded");
    let run = get(&app, &format!("/api/runs/{run_id}")).await.json();
    assert_eq!(run["run"]["model"], "compromise");
    assert_eq!(run["run"]["seed"], 42);
    assert_eq!(run["run"]["draws"], 1000);
    assert_eq!(run["forecast"], done["result"]);
    let toml = get(&app, &format!("/api/scenarios/{id}/versions/1/toml")).await;
    assert_eq!(run["run"]["sha256"], sha256_hex(&toml.text));
}

#[tokio::test]
async fn monte_carlo_of_an_unsaved_scenario_uses_the_defaults_and_is_not_recorded() {
    let app = app();
    let started = start_job(
        &app,
        json!({"scenario": small_scenario(), "model": "median"}),
    )
    .await;
    assert_eq!(
        (started["draws"].as_u64(), started["seed"].as_u64()),
        (Some(1000), Some(42))
    );
    let (done, _) = wait_for_job(&app, &started["job"]).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["run"], Value::Null);
    let got = serde_json::to_string_pretty(&done["result"]).unwrap();
    assert_eq!(got, simulate_directly("median", 1000, 42));
    // Another seed gives another, equally reproducible, result.
    let other = start_job(
        &app,
        json!({"scenario": small_scenario(), "model": "median", "seed": 7, "draws": 300}),
    )
    .await;
    let (done7, _) = wait_for_job(&app, &other["job"]).await;
    let got7 = serde_json::to_string_pretty(&done7["result"]).unwrap();
    assert_eq!(got7, simulate_directly("median", 300, 7));
    let runs = get(&app, "/api/runs").await.json();
    assert_eq!(runs["runs"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn bad_monte_carlo_requests_are_json_4xx() {
    let app = app();
    let id = import_small(&app).await;
    let base = json!({"scenario_id": id, "model": "compromise"});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let cases = [
        (with("draws", json!(0)), "bad_request"),
        (with("draws", json!(200_001)), "bad_request"),
        (with("draws", json!(-5)), "bad_request"),
        (with("draws", json!("many")), "bad_request"),
        (with("bins", json!(0)), "bad_request"),
        (with("distribution", json!("normal")), "bad_request"),
        (with("model", json!("no-such-model")), "model"),
        (
            with("parameters", json!({"no_such_parameter": 1})),
            "parameter",
        ),
        (with("preset", json!("no-such-preset")), "parameter"),
        (with("scenario_id", json!(999)), "not_found"),
        (with("scenario", json!(small_scenario())), "bad_request"),
        (with("surprise", json!(1)), "bad_request"),
        (json!({"scenario_id": id}), "bad_request"),
        (json!({"model": "compromise"}), "bad_request"),
    ];
    for (body, kind) in cases {
        let r = post_json(&app, "/api/montecarlo", body.clone()).await;
        assert_eq!(error_kind(&r), kind, "{body}: {}", r.text);
    }
    // A scenario the library rejects: 422 with its place, before any job starts.
    let mut bad = serde_json::to_value(small_scenario()).unwrap();
    bad["stances"][0]["salience"] = json!(1.5);
    let r = post_json(
        &app,
        "/api/montecarlo",
        json!({"scenario": bad, "model": "median"}),
    )
    .await;
    assert_eq!(error_kind(&r), "input", "{}", r.text);
    // Unknown and malformed jobs.
    let r = get(&app, "/api/montecarlo/12345").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(error_kind(&r), "not_found");
    let r = get(&app, "/api/montecarlo/abc").await;
    assert_eq!(error_kind(&r), "bad_request");
    // No job was started by any of these.
    let r = get(&app, "/api/montecarlo/1").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
}

#[tokio::test]
async fn finished_monte_carlo_jobs_beyond_the_kept_number_are_forgotten() {
    let app = app();
    let body = json!({"scenario": small_scenario(), "model": "median", "draws": 10});
    let kept = pactum_web::montecarlo::KEPT_JOBS as u64;
    let mut last = Value::Null;
    for _ in 0..kept + 3 {
        last = start_job(&app, body.clone()).await;
        let (done, _) = wait_for_job(&app, &last["job"]).await;
        assert_eq!(done["state"], "done");
    }
    let newest = last["job"].as_u64().unwrap();
    assert_eq!(newest, kept + 3);
    for gone in 1..=3 {
        let r = get(&app, &format!("/api/montecarlo/{gone}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "job {gone}: {}", r.text);
    }
    for k in 4..=newest {
        let r = get(&app, &format!("/api/montecarlo/{k}")).await;
        assert_eq!(r.status, StatusCode::OK, "job {k}");
    }
}

#[tokio::test]
async fn a_deu_file_imports_one_scenario_per_row_in_one_go() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/deu3/deu3-dev.tsv"
    );
    let text = std::fs::read_to_string(path).expect("testdata/deu3/deu3-dev.tsv is needed");
    let app = app();
    let r = import(&app, "deu3-dev.tsv", &text).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let v = r.json();
    assert_eq!(v["format"], "deu");
    let n = v["created"].as_array().unwrap().len();
    assert!(n > 100, "{n} scenarios");
    let list = get(&app, "/api/scenarios").await.json();
    assert_eq!(list["scenarios"].as_array().unwrap().len(), n);
}

const FLAGSHIP: &str = include_str!("../../../cases/us-japan-2014.toml");

/// Imports the flagship case (several issues: the exchange model runs on it).
async fn import_flagship(app: &Router) -> i64 {
    let r = import(app, "us-japan-2014.toml", FLAGSHIP).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["created"][0]["scenario_id"].as_i64().unwrap()
}

/// A recorded forecast run: its id and the answer's exact text.
async fn recorded(app: &Router, body: Value) -> (String, String) {
    let r = post_json(app, "/api/forecast", body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = r.headers["x-pactum-run"].to_str().unwrap().to_string();
    (id, r.text)
}

#[tokio::test]
async fn the_seed_is_used_recorded_and_reruns_reproduce_byte_for_byte() {
    let app = app();
    let id = import_flagship(&app).await;
    let random = |seed: Value| json!({"scenario_id": id, "model": "exchange", "parameters": {"rate": "random"}, "seed": seed});
    let (run1, out1) = recorded(&app, random(json!(1))).await;
    let (run2, out2) = recorded(&app, random(json!(2))).await;
    let f1: Value = serde_json::from_str(&out1).unwrap();
    let f2: Value = serde_json::from_str(&out2).unwrap();
    assert_ne!(
        f1["issues"], f2["issues"],
        "seeds 1 and 2 gave the same random-rate exchange forecast"
    );
    // The answer is the library's forecast with that seed.
    let scenario = io::read("us-japan-2014.toml", FLAGSHIP.as_bytes(), None)
        .unwrap()
        .scenarios
        .remove(0);
    let params = Params::from_scenario(&scenario, "exchange")
        .set("rate", "random")
        .set("seed", "2");
    let exchange = models::by_name("exchange").unwrap();
    let mut direct = exchange
        .solve(&Snapshot::modes(&scenario), &params)
        .unwrap();
    // With the calibrated intervals the CLI and the web app add.
    pactum::calibration::calibrate_forecast(
        &mut direct,
        &Snapshot::modes(&scenario),
        exchange,
        &params,
    )
    .unwrap();
    assert_eq!(out2, serde_json::to_string(&direct).unwrap());
    // Re-running what a run recorded gives its output byte for byte.
    for (run, out, seed) in [(&run1, &out1, 1u64), (&run2, &out2, 2)] {
        let rec = get(&app, &format!("/api/runs/{run}")).await.json();
        assert_eq!(rec["run"]["seed"], seed);
        let again = json!({
            "scenario_id": rec["run"]["scenario_id"],
            "version": rec["run"]["version"],
            "model": rec["run"]["model"],
            "preset": rec["run"]["preset"],
            "parameters": rec["run"]["parameters"],
            "seed": rec["run"]["seed"],
        });
        let (rerun, out_again) = recorded(&app, again).await;
        assert_eq!(&out_again, out, "run {run} did not reproduce");
        let stored = |r: &str| {
            let r = r.to_string();
            let app = app.clone();
            async move { get(&app, &format!("/api/runs/{r}")).await.json()["forecast"].clone() }
        };
        assert_eq!(stored(run).await, stored(&rerun).await);
    }
    // Seeds above 2^63 (and above a browser's 2^53) keep every digit, sent as text.
    let big = u64::MAX - 1;
    let (run_big, _) = recorded(&app, random(json!(big.to_string()))).await;
    let rec = get(&app, &format!("/api/runs/{run_big}")).await;
    assert!(
        rec.text.contains(&format!("\"seed\":{big}")),
        "{}",
        rec.text
    );
    let (_, out_big_number) = recorded(&app, random(json!(big))).await;
    let rerun_big = get(&app, &format!("/api/runs/{run_big}")).await.json();
    assert_eq!(
        serde_json::to_string(&rerun_big["forecast"]).unwrap(),
        serde_json::to_string(&serde_json::from_str::<Value>(&out_big_number).unwrap()).unwrap()
    );
    // The seed is said once: a disagreeing `parameters.seed` is refused.
    let clash = json!({"scenario_id": id, "model": "exchange",
        "parameters": {"rate": "random", "seed": "5"}, "seed": 6});
    let r = post_json(&app, "/api/forecast", clash).await;
    assert_eq!(error_kind(&r), "bad_request");
    for bad in [
        json!("-1"),
        json!("18446744073709551616"),
        json!("x"),
        json!(-1),
    ] {
        let r = post_json(&app, "/api/forecast", random(bad.clone())).await;
        assert_eq!(error_kind(&r), "bad_request", "{bad}");
    }
    // No seed: the one the model resolves to (its default, 0) is used and recorded.
    let (run0, out0) = recorded(
        &app,
        json!({"scenario_id": id, "model": "exchange", "parameters": {"rate": "random"}}),
    )
    .await;
    assert_eq!(
        get(&app, &format!("/api/runs/{run0}")).await.json()["run"]["seed"],
        0
    );
    let (_, out_seed0) = recorded(&app, random(json!(0))).await;
    assert_eq!(out0, out_seed0);
}

#[tokio::test]
async fn monte_carlo_uses_its_seed_for_the_draws_and_the_model() {
    let app = app();
    let id = import_flagship(&app).await;
    let scenario = io::read("us-japan-2014.toml", FLAGSHIP.as_bytes(), None)
        .unwrap()
        .scenarios
        .remove(0);
    let model = models::by_name("exchange").unwrap();
    let mut results = Vec::new();
    for seed in [5u64, 6] {
        let started = start_job(
            &app,
            json!({"scenario_id": id, "model": "exchange", "parameters": {"rate": "random"},
                   "draws": 40, "seed": seed.to_string()}),
        )
        .await;
        assert_eq!(started["seed"], seed);
        let (done, _) = wait_for_job(&app, &started["job"]).await;
        assert_eq!(done["state"], "done", "{done}");
        let params = Params::from_scenario(&scenario, "exchange")
            .set("rate", "random")
            .set("seed", &seed.to_string());
        let opts = SimulationOptions {
            draws: 40,
            seed,
            ..SimulationOptions::default()
        };
        let direct = simulate(model, &scenario, &params, &opts, None).unwrap();
        let got = serde_json::to_string_pretty(&done["result"]).unwrap();
        assert_eq!(got, serde_json::to_string_pretty(&direct).unwrap());
        let run = get(&app, &format!("/api/runs/{}", done["run"]))
            .await
            .json();
        assert_eq!(run["run"]["seed"], seed);
        results.push(got);
    }
    assert_ne!(
        results[0], results[1],
        "seeds 5 and 6 gave the same simulation"
    );
}

#[tokio::test]
async fn the_scenario_page_json_is_the_stored_scenario_for_every_import() {
    let app = app();
    for (name, text) in [
        ("small.toml", SMALL.to_string()),
        ("us-japan-2014.toml", FLAGSHIP.to_string()),
        ("big.csv", big_table(300)),
    ] {
        let r = import(&app, name, &text).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.json()["created"][0]["scenario_id"].as_i64().unwrap();
        let page = get(&app, &format!("/api/scenarios/{id}/versions/latest")).await;
        assert_eq!(page.status, StatusCode::OK);
        let toml = get(&app, &format!("/api/scenarios/{id}/versions/1/toml")).await;
        let from_toml = io::read("v.toml", toml.text.as_bytes(), None)
            .unwrap()
            .scenarios
            .remove(0);
        // The JSON stored with the version is exactly the scenario its TOML holds.
        assert_eq!(
            page.json()["scenario"],
            serde_json::to_value(&from_toml).unwrap(),
            "{name}"
        );
        assert_eq!(page.json()["sha256"], sha256_hex(&toml.text));
        // A saved edit too.
        let mut edited = page.json()["scenario"].clone();
        edited["title"] = json!(format!("{name} edited"));
        let saved = post_json(
            &app,
            &format!("/api/scenarios/{id}/versions"),
            json!({ "scenario": edited }),
        )
        .await;
        assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.text);
        let v2 = get(&app, &format!("/api/scenarios/{id}/versions/2"))
            .await
            .json();
        let toml2 = get(&app, &format!("/api/scenarios/{id}/versions/2/toml")).await;
        let from_toml2 = io::read("v.toml", toml2.text.as_bytes(), None)
            .unwrap()
            .scenarios
            .remove(0);
        assert_eq!(v2["scenario"], serde_json::to_value(&from_toml2).unwrap());
        assert_eq!(v2["scenario"]["title"], json!(format!("{name} edited")));
    }
}

/// A router over a pool of one slot, with `limits`, and the state to reach the pool.
fn one_slot(token: Option<&str>, limits: Option<pactum_web::pool::Limits>) -> (Router, AppState) {
    let pool = pactum_web::pool::Pool::new(1, limits);
    let state = AppState::with_pool(Store::in_memory().unwrap(), token.map(String::from), pool);
    (router(state.clone()), state)
}

/// Takes the pool's only slot with a job that runs until the sender is used or dropped.
async fn hold_slot(state: &AppState) -> std::sync::mpsc::Sender<()> {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let pool = state.pool.clone();
    tokio::spawn(async move {
        let _ = pool
            .run(move || {
                let _ = started_tx.send(());
                let _ = rx.recv();
                Ok(())
            })
            .await;
    });
    started_rx.await.unwrap();
    tx
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_while_a_large_job_waits_or_runs() {
    let (app, state) = one_slot(None, None);
    // 1,500 actors: large next to the fixtures, small enough for a debug build's reader.
    let csv = big_table(1_500);
    // A large import while the only worker is busy: it waits for the slot...
    let release = hold_slot(&state).await;
    let big = {
        let app = app.clone();
        tokio::spawn(async move { import(&app, "big.csv", &csv).await })
    };
    // ...and health and the library list answer in the meantime.
    for _ in 0..3 {
        let h = get(&app, "/api/health").await;
        assert_eq!(h.status, StatusCode::OK, "{}", h.text);
        assert_eq!(h.json()["workers"], 1);
        assert_eq!(get(&app, "/api/scenarios").await.status, StatusCode::OK);
    }
    assert!(
        !big.is_finished(),
        "the large import ran while the only worker was held"
    );
    release.send(()).unwrap();
    let done = big.await.unwrap();
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    let id = done.json()["created"][0]["scenario_id"].as_i64().unwrap();
    // The same for a forecast of the 1,500 actors.
    let release = hold_slot(&state).await;
    let fc = {
        let app = app.clone();
        tokio::spawn(async move {
            post_json(
                &app,
                "/api/forecast",
                json!({"scenario_id": id, "model": "compromise"}),
            )
            .await
        })
    };
    let h = get(&app, "/api/health").await;
    assert_eq!(h.status, StatusCode::OK);
    let page = get(&app, &format!("/api/scenarios/{id}/versions/latest")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.json()["scenario"]["actors"].as_array().unwrap().len(),
        1_500
    );
    assert!(
        !fc.is_finished(),
        "the forecast ran while the only worker was held"
    );
    release.send(()).unwrap();
    let answer = fc.await.unwrap();
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{}",
        &answer.text[..answer.text.len().min(300)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_loopback_a_full_pool_is_503_and_a_slow_run_504() {
    let token = "0123456789abcdef0123";
    let bearer = format!("Bearer {token}");
    let limits = pactum_web::pool::Limits {
        wait: std::time::Duration::from_millis(20),
        time_limit: std::time::Duration::from_millis(20),
    };
    let (app, state) = one_slot(Some(token), Some(limits));
    let body = json!({"scenario": small_scenario(), "model": "median"}).to_string();
    let forecast = |app: Router, body: String, bearer: String| async move {
        call_with(
            &app,
            "POST",
            "/api/forecast",
            Some("application/json"),
            body.into_bytes(),
            &[("authorization", &bearer)],
        )
        .await
    };
    let free = forecast(app.clone(), body.clone(), bearer.clone()).await;
    assert_eq!(free.status, StatusCode::OK, "{}", free.text);
    // Every worker busy: 503 `busy`, as JSON.
    let release = hold_slot(&state).await;
    let busy = forecast(app.clone(), body.clone(), bearer.clone()).await;
    assert_eq!(
        busy.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        busy.text
    );
    assert_eq!(busy.json()["error"]["kind"], "busy");
    let mc = call_with(
        &app,
        "POST",
        "/api/montecarlo",
        Some("application/json"),
        json!({"scenario": small_scenario(), "model": "median"})
            .to_string()
            .into_bytes(),
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(mc.json()["error"]["kind"], "busy", "{}", mc.text);
    // Health still answers.
    let h = call_with(
        &app,
        "GET",
        "/api/health",
        None,
        vec![],
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.json()["time_limit_s"], 0.02);
    drop(release);
    // A job that outlasts the time limit (held until released): 504 `timed_out`.
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    let e = loop {
        let rx = rx.clone();
        match state
            .pool
            .run(move || {
                let _ = rx.lock().map(|r| r.recv());
                Ok(())
            })
            .await
        {
            // The held job may still be ending: the slot frees up shortly.
            Err(e) if e.kind == "busy" => continue,
            other => break other.unwrap_err(),
        }
    };
    assert_eq!(
        (e.status, e.kind),
        (StatusCode::GATEWAY_TIMEOUT, "timed_out")
    );
    assert_eq!(e.body()["error"]["status"], 504);
    drop(tx);
}

/// The page's scripts share one global scope: a top-level function or binding defined in
/// two of them would silently replace the other (an editor's `actorName(actor)` once
/// replaced the library panel's `actorName(id)` and blanked its actor columns).
#[test]
fn no_two_page_scripts_define_the_same_global_name() {
    let mut seen: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for (path, text) in pactum_web::SCRIPTS {
        for line in text.lines() {
            let name = ["async function ", "function ", "const ", "let ", "var "]
                .iter()
                .find_map(|kw| line.strip_prefix(kw))
                .map(|rest| {
                    rest.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                        .collect::<String>()
                });
            let Some(name) = name.filter(|n| !n.is_empty()) else {
                continue;
            };
            if let Some(first) = seen.insert(name.clone(), path) {
                panic!("`{name}` is defined at the top level of both {first} and {path}");
            }
        }
    }
    assert!(
        seen.contains_key("el") && seen.contains_key("when"),
        "{seen:?}"
    );
}
