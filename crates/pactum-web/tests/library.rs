//! The library's housekeeping and a version's analyses and downloads, against the router
//! (tower `oneshot`, no socket): rename, duplicate, delete; the same file imported twice;
//! the reader's warnings; a file too large; no-change saves; version differences and
//! restores; sensitivity and levers; XLSX, report and results downloads.

// Errors are built on the cold path of a failed request; their size does not matter.
#![allow(clippy::result_large_err)]

use axum::Router;
use axum::http::{StatusCode, header};
use pactum::io;
use pactum::models::{self, Selection};
use pactum::uncertainty::{LeverOptions, SensitivityOptions, levers, sensitivity};
use pactum_web::store::Store;
use pactum_web::{AppState, router};
use serde_json::{Value, json};

mod common;
#[path = "common/http.rs"]
mod http;
use common::big_table;
use http::{Reply, call, get, import as import_id, send_json};

const SMALL: &str = include_str!("../../pactum-cli/tests/fixtures/small.toml");
const FLAGSHIP: &str = include_str!("../../../cases/us-japan-2014.toml");

fn app() -> Router {
    router(AppState::new(Store::in_memory().unwrap(), None))
}

async fn import(app: &Router, name: &str, bytes: &[u8]) -> Reply {
    let uri = format!("/api/scenarios?filename={name}");
    call(
        app,
        "POST",
        &uri,
        Some("application/octet-stream"),
        bytes.to_vec(),
    )
    .await
}

/// Version `v` of scenario `id`: its metadata and scenario JSON.
async fn version(app: &Router, id: i64, v: &str) -> Value {
    get(app, &format!("/api/scenarios/{id}/versions/{v}"))
        .await
        .ok(StatusCode::OK)
        .json()
}

async fn save(app: &Router, id: i64, scenario: &Value, note: &str) -> Reply {
    let uri = format!("/api/scenarios/{id}/versions");
    send_json(
        app,
        "POST",
        &uri,
        json!({"scenario": scenario, "note": note}),
    )
    .await
}

fn read(text: &str) -> pactum::Scenario {
    io::read("case.toml", text.as_bytes(), None)
        .unwrap()
        .scenarios
        .remove(0)
}

fn attachment_name(r: &Reply) -> String {
    let cd = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    cd.strip_prefix("attachment; filename=\"")
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or_else(|| panic!("not an attachment: {cd}"))
        .to_string()
}

#[tokio::test]
async fn rename_is_a_new_version_and_an_empty_or_unchanged_name_is_refused() {
    let app = app();
    let id = import_id(&app, "small.toml", SMALL).await;
    let uri = format!("/api/scenarios/{id}");
    let r = send_json(&app, "PATCH", &uri, json!({"title": "  Renamed case "}))
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(r.json()["version"], 2);
    assert_eq!(r.json()["title"], "Renamed case");
    assert!(
        r.json()["note"]
            .as_str()
            .unwrap()
            .starts_with("renamed from")
    );
    let list = get(&app, "/api/scenarios").await.json();
    assert_eq!(list["scenarios"][0]["title"], "Renamed case");
    let v2 = version(&app, id, "2").await;
    assert_eq!(v2["scenario"]["title"], "Renamed case");
    // Only the title changed.
    let mut a = version(&app, id, "1").await["scenario"].clone();
    a["title"] = json!("Renamed case");
    assert_eq!(a, v2["scenario"]);
    let r = send_json(&app, "PATCH", &uri, json!({"title": "   "})).await;
    assert_eq!(
        (r.status, r.kind()),
        (StatusCode::BAD_REQUEST, "bad_request".into())
    );
    assert!(r.text.contains("name is empty"), "{}", r.text);
    let r = send_json(&app, "PATCH", &uri, json!({"title": "Renamed case"})).await;
    assert_eq!(
        (r.status, r.kind()),
        (StatusCode::CONFLICT, "unchanged".into())
    );
    let r = send_json(&app, "PATCH", "/api/scenarios/999", json!({"title": "x"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn duplicate_copies_the_latest_version_and_delete_takes_exactly_its_versions_and_runs() {
    let app = app();
    let id = import_id(&app, "small.toml", SMALL).await;
    let copy = send_json(
        &app,
        "POST",
        &format!("/api/scenarios/{id}/duplicate"),
        json!({}),
    )
    .await
    .ok(StatusCode::CREATED)
    .json();
    let cid = copy["scenario_id"].as_i64().unwrap();
    assert_ne!(cid, id);
    assert_eq!(copy["version"], 1);
    assert!(copy["title"].as_str().unwrap().ends_with("(copy)"));
    assert_eq!(copy["source"], format!("duplicate of scenario {id} v1"));
    let (a, b) = (version(&app, id, "1").await, version(&app, cid, "1").await);
    assert_eq!(a["scenario"]["stances"], b["scenario"]["stances"]);
    assert_eq!(a["scenario"]["actors"], b["scenario"]["actors"]);
    // The copy gains a second version and two runs; the original one run.
    let mut edited = b["scenario"].clone();
    edited["stances"][0]["salience"] = json!(0.33);
    save(&app, cid, &edited, "edit")
        .await
        .ok(StatusCode::CREATED);
    for (sid, v) in [(cid, 1), (cid, 2), (id, 1)] {
        let body = json!({"scenario_id": sid, "version": v, "model": "median"});
        send_json(&app, "POST", "/api/forecast", body)
            .await
            .ok(StatusCode::OK);
    }
    let usage = get(&app, &format!("/api/scenarios/{cid}/usage"))
        .await
        .json();
    assert_eq!(
        (usage["versions"].as_i64(), usage["runs"].as_i64()),
        (Some(2), Some(2))
    );
    let gone = call(
        &app,
        "DELETE",
        &format!("/api/scenarios/{cid}"),
        None,
        vec![],
    )
    .await
    .ok(StatusCode::OK)
    .json();
    assert_eq!(gone, json!({"deleted": cid, "versions": 2, "runs": 2}));
    assert_eq!(
        get(&app, &format!("/api/scenarios/{cid}")).await.status,
        StatusCode::NOT_FOUND
    );
    let again = call(
        &app,
        "DELETE",
        &format!("/api/scenarios/{cid}"),
        None,
        vec![],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let list = get(&app, "/api/scenarios").await.json();
    assert_eq!(list["scenarios"].as_array().unwrap().len(), 1);
    assert_eq!(list["scenarios"][0]["id"], id);
    let runs = get(&app, "/api/runs").await.json();
    assert_eq!(runs["runs"].as_array().unwrap().len(), 1);
    assert_eq!(runs["runs"][0]["scenario_id"], id);
}

#[tokio::test]
async fn the_same_file_or_the_same_content_imported_twice_is_flagged() {
    let app = app();
    let first = import(&app, "small.toml", SMALL.as_bytes())
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(first.json()["duplicates"], json!([]));
    let id = first.json()["created"][0]["scenario_id"].as_i64().unwrap();
    let second = import(&app, "again.toml", SMALL.as_bytes())
        .await
        .ok(StatusCode::CREATED);
    let d = &second.json()["duplicates"];
    assert_eq!(d.as_array().unwrap().len(), 1, "{d}");
    assert_eq!(
        (d[0]["scenario_id"].as_i64(), d[0]["version"].as_i64()),
        (Some(id), Some(1))
    );
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("already in the library")
    );
    // Other bytes, same scenario: the exported TOML read back.
    let exported = get(&app, &format!("/api/scenarios/{id}/versions/1/toml")).await;
    assert_ne!(exported.bytes, SMALL.as_bytes());
    let third = import(&app, "export.toml", &exported.bytes)
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(third.json()["duplicates"][0]["scenario_id"], id);
    // A different scenario is not flagged.
    let other = import(&app, "big.csv", big_table(5).as_bytes())
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(other.json()["duplicates"], json!([]));
}

#[tokio::test]
async fn import_reports_the_readers_guesses_and_a_file_too_large_gets_a_sentence() {
    let app = app();
    // Saliences above 1 in a plain table: read as 0-100, with a warning.
    let table = "actor,capability,position,salience\na,10,20,80\nb,20,70,50\nc,5,40,90\n";
    let r = import(&app, "table.csv", table.as_bytes())
        .await
        .ok(StatusCode::CREATED);
    let warnings = r.json()["warnings"].clone();
    let all = warnings.to_string();
    assert!(all.contains("0-100"), "{all}");
    // Each guess comes with what the page needs to offer its correction.
    let assumed: Vec<Value> = warnings
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["assumption"].clone())
        .collect();
    assert_eq!(
        assumed,
        vec![
            json!({"kind": "salience_divisor", "divisor": 100.0}),
            json!({"kind": "scale", "issue": "table", "lo": 20.0, "hi": 70.0}),
        ]
    );
    let id = r.json()["created"][0]["scenario_id"].as_i64().unwrap();
    let v = version(&app, id, "1").await;
    assert_eq!(v["scenario"]["stances"][0]["salience"], json!(0.8));
    // Beyond the body limit: a sentence with the limit, not the framework's message.
    let big = vec![b'x'; pactum_web::MAX_BODY + 1];
    let r = import(&app, "huge.csv", &big).await;
    assert_eq!(
        (r.status, r.kind()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large".into())
    );
    let msg = r.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(msg.contains("larger than 32 MiB"), "{msg}");
    assert!(!msg.to_lowercase().contains("length limit"), "{msg}");
    assert!(r.json()["error"]["hint"].as_str().is_some());
}

#[tokio::test]
async fn a_save_that_changes_nothing_is_refused_and_stores_nothing() {
    let app = app();
    let id = import_id(&app, "small.toml", SMALL).await;
    let v1 = version(&app, id, "1").await;
    let r = save(&app, id, &v1["scenario"], "no change").await;
    assert_eq!(
        (r.status, r.kind()),
        (StatusCode::CONFLICT, "unchanged".into())
    );
    assert!(
        r.text.contains("nothing changed since version 1"),
        "{}",
        r.text
    );
    let vs = get(&app, &format!("/api/scenarios/{id}/versions"))
        .await
        .json();
    assert_eq!(vs["versions"].as_array().unwrap().len(), 1);
    let mut edited = v1["scenario"].clone();
    edited["stances"][0]["position"] = json!(35.0);
    save(&app, id, &edited, "moved")
        .await
        .ok(StatusCode::CREATED);
    let r = save(&app, id, &edited, "again").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("since version 2"), "{}", r.text);
}

#[tokio::test]
async fn the_version_difference_lists_exactly_the_changed_inputs_and_the_forecast_moves() {
    let app = app();
    let id = import_id(&app, "us-japan-2014.toml", FLAGSHIP).await;
    let v1 = version(&app, id, "1").await;
    let s = &v1["scenario"];
    let mut edited = s.clone();
    let stance = &s["stances"][2];
    let (actor, issue) = (stance["actor"].clone(), stance["issue"].clone());
    edited["stances"][2]["salience"] = json!(0.05);
    let a0 = s["actors"][0]["id"].clone();
    edited["actors"][0]["capability"] = json!(1.0);
    edited["issues"][0]["question"] = json!("A new question?");
    save(&app, id, &edited, "three edits")
        .await
        .ok(StatusCode::CREATED);
    let uri = format!("/api/scenarios/{id}/diff?from=1&to=2");
    let d = get(&app, &uri).await.ok(StatusCode::OK);
    let body = d.json();
    let changes = body["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 3, "{changes:#?}");
    let find = |what: &str| changes.iter().find(|c| c["what"] == what).unwrap();
    let st = find("stance");
    assert_eq!(
        (&st["actor"], &st["issue"], &st["field"]),
        (&actor, &issue, &json!("salience"))
    );
    assert_eq!(
        (&st["old"], &st["new"]),
        (&stance["salience"], &json!(0.05))
    );
    let ac = find("actor");
    assert_eq!(
        (&ac["actor"], &ac["field"], &ac["new"]),
        (&a0, &json!("capability"), &json!(1.0))
    );
    assert_eq!(ac["old"], s["actors"][0]["capability"]);
    let is = find("issue");
    assert_eq!(
        (&is["field"], &is["new"]),
        (&json!("question"), &json!("A new question?"))
    );
    // Every model that suits the case, on every issue, with from/to the models' own
    // forecasts of each version.
    let scenario_of =
        |v: &Value| -> pactum::Scenario { serde_json::from_value(v.clone()).unwrap() };
    let (sa, sb) = (scenario_of(s), scenario_of(&edited));
    let runs = |sc: &pactum::Scenario| {
        Selection::default()
            .run(sc, &pactum::Snapshot::modes(sc))
            .unwrap()
            .forecasts
    };
    let (fa, fb) = (runs(&sa), runs(&sb));
    let moves = body["forecasts"].as_array().unwrap();
    assert_eq!(
        moves.len(),
        fb.iter().map(|f| f.issues.len()).sum::<usize>()
    );
    for f in &fb {
        for i in &f.issues {
            let m = moves
                .iter()
                .find(|m| m["model"] == f.model.as_str() && m["issue"] == i.id.as_str())
                .unwrap();
            let before = fa
                .iter()
                .find(|x| x.model == f.model)
                .unwrap()
                .issues
                .iter()
                .find(|x| x.id == i.id)
                .unwrap()
                .forecast;
            assert_eq!(m["to"].as_f64(), Some(i.forecast));
            assert_eq!(m["from"].as_f64(), Some(before));
        }
    }
    assert!(
        moves.iter().any(|m| m["change"].as_f64() != Some(0.0)),
        "nothing moved"
    );
    // Deterministic: the same answer twice; and a version against itself has no change.
    assert_eq!(get(&app, &uri).await.bytes, d.bytes);
    let same = get(&app, &format!("/api/scenarios/{id}/diff?from=2&to=2"))
        .await
        .json();
    assert_eq!(same["changes"], json!([]));
    assert_eq!(same["same_inputs"], true);
    let bad = get(&app, &format!("/api/scenarios/{id}/diff?from=1")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let missing = get(&app, &format!("/api/scenarios/{id}/diff?from=1&to=9")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn restoring_an_old_version_saves_its_text_as_the_next_version() {
    let app = app();
    let id = import_id(&app, "small.toml", SMALL).await;
    let v1 = version(&app, id, "1").await;
    let mut edited = v1["scenario"].clone();
    edited["stances"][1]["salience"] = json!(0.2);
    save(&app, id, &edited, "edit")
        .await
        .ok(StatusCode::CREATED);
    let uri = format!("/api/scenarios/{id}/versions/1/restore");
    let r = send_json(&app, "POST", &uri, json!({}))
        .await
        .ok(StatusCode::CREATED);
    let v3 = r.json();
    assert_eq!(v3["version"], 3);
    assert_eq!(v3["sha256"], v1["sha256"]);
    assert_eq!(v3["note"], "restored version 1");
    assert_eq!(version(&app, id, "3").await["scenario"], v1["scenario"]);
    // v1 is now the latest's text: restoring it again changes nothing.
    let again = send_json(&app, "POST", &uri, json!({})).await;
    assert_eq!(
        (again.status, again.kind()),
        (StatusCode::CONFLICT, "unchanged".into())
    );
    let none = send_json(
        &app,
        "POST",
        &format!("/api/scenarios/{id}/versions/7/restore"),
        json!({}),
    )
    .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sensitivity_and_levers_answer_the_librarys_results() {
    let app = app();
    let id = import_id(&app, "us-japan-2014.toml", FLAGSHIP).await;
    let scenario = read(FLAGSHIP);
    let model = models::by_name("bdm").unwrap();
    let params = Selection::default().params(&scenario, "bdm");
    let base = format!("/api/scenarios/{id}/versions/1");
    let r = send_json(
        &app,
        "POST",
        &format!("{base}/sensitivity"),
        json!({"model": "bdm", "samples": 64, "seed": 7}),
    )
    .await
    .ok(StatusCode::OK);
    let opts = SensitivityOptions {
        samples: 64,
        seed: 7,
        ..SensitivityOptions::default()
    };
    let want = sensitivity(model, &scenario, &params, &opts).unwrap();
    let mut got = r.json();
    let charts = got
        .as_object_mut()
        .and_then(|o| o.remove("charts"))
        .expect("tornado charts");
    assert_eq!(got, json!(want));
    assert!(!want.inputs.is_empty(), "the flagship has ranged inputs");
    // The tornadoes are the report's, byte for byte.
    let mut report = pactum_report::Report::new(scenario.clone(), Vec::new());
    report.tornadoes = pactum_chart::Tornado::from_sensitivity(&scenario, &want);
    let html = pactum_report::render(&report);
    let charts = charts.as_array().expect("a list");
    assert!(!charts.is_empty());
    for c in charts {
        let svg = c["svg"].as_str().expect("svg text");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(
            html.contains(svg),
            "the report lacks the tornado of {}",
            c["id"]
        );
    }
    let actor = scenario.actors[0].id.clone();
    let r = send_json(
        &app,
        "POST",
        &format!("{base}/levers"),
        json!({"model": "bdm", "actor": actor, "draws": 50}),
    )
    .await
    .ok(StatusCode::OK);
    let opts = LeverOptions {
        draws: 50,
        seed: 42,
        ..LeverOptions::default()
    };
    let want = levers(model, &scenario, &params, &actor, &opts).unwrap();
    assert_eq!(r.json(), json!(want));
    assert!(!want.issues.is_empty());
    // Bad requests are 4xx with a message.
    for (path, body) in [
        ("levers", json!({"model": "bdm"})),
        (
            "levers",
            json!({"model": "bdm", "actor": "nobody", "draws": 10}),
        ),
        (
            "levers",
            json!({"model": "bdm", "actor": actor, "samples": 10}),
        ),
        ("sensitivity", json!({"model": "nope"})),
        (
            "sensitivity",
            json!({"model": "bdm", "samples": 10_000_000}),
        ),
        (
            "sensitivity",
            json!({"model": "bdm", "distribution": "uniformish"}),
        ),
    ] {
        let r = send_json(&app, "POST", &format!("{base}/{path}"), body.clone()).await;
        assert!(
            r.status.is_client_error(),
            "{path} {body}: {} {}",
            r.status,
            r.text
        );
    }
}

#[tokio::test]
async fn the_downloaded_workbook_reimports_to_the_same_scenario_and_forecasts() {
    let app = app();
    let id = import_id(&app, "us-japan-2014.toml", FLAGSHIP).await;
    let r = get(&app, &format!("/api/scenarios/{id}/versions/1/xlsx"))
        .await
        .ok(StatusCode::OK);
    let name = attachment_name(&r);
    assert!(name.ends_with("-v1.xlsx"), "{name}");
    assert_eq!(&r.bytes[..2], b"PK", "an XLSX is a zip file");
    let again = import(&app, &name, &r.bytes).await.ok(StatusCode::CREATED);
    assert_eq!(again.json()["format"], "xlsx");
    let id2 = again.json()["created"][0]["scenario_id"].as_i64().unwrap();
    let (a, b) = (version(&app, id, "1").await, version(&app, id2, "1").await);
    assert_eq!(a["scenario"], b["scenario"]);
    assert_eq!(a["sha256"], b["sha256"]);
    let forecasts = |sid: i64| {
        let app = app.clone();
        async move {
            send_json(&app, "POST", "/api/forecast", json!({"scenario_id": sid}))
                .await
                .ok(StatusCode::OK)
                .bytes
        }
    };
    assert_eq!(forecasts(id).await, forecasts(id2).await);
}

#[tokio::test]
async fn the_downloaded_report_is_html_naming_the_scenario_and_results_come_as_files() {
    let app = app();
    let id = import_id(&app, "small.toml", SMALL).await;
    let title = read(SMALL).title;
    let base = format!("/api/scenarios/{id}/versions/1");
    let r = get(&app, &format!("{base}/report"))
        .await
        .ok(StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(attachment_name(&r).ends_with("-v1.html"));
    let html = r.text;
    assert!(
        html.to_lowercase().starts_with("<!doctype html"),
        "{}",
        &html[..80]
    );
    assert!(
        html.contains(&format!("<title>{title}")),
        "the report's title names the scenario"
    );
    assert!(html.contains(&format!("scenario-{id}-v1.toml")));
    let csv = get(&app, &format!("{base}/results/csv"))
        .await
        .ok(StatusCode::OK);
    assert!(attachment_name(&csv).ends_with("-v1.forecasts.csv"));
    let text = csv.text;
    let models_run = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect::<Vec<_>>();
    assert!(
        models_run.contains(&"compromise") && models_run.contains(&"bdm"),
        "{text}"
    );
    let json = get(&app, &format!("{base}/results/json?model=median"))
        .await
        .ok(StatusCode::OK);
    assert_eq!(json.json()["model"], "median");
    assert!(json.text.ends_with("}\n"));
    let bad = get(&app, &format!("{base}/results/pdf")).await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
    let bad = get(&app, &format!("{base}/results/csv?model=nope")).await;
    assert!(bad.status.is_client_error());
}

#[tokio::test]
async fn version_and_run_urls_serve_the_page_and_its_library_script() {
    let app = app();
    for uri in ["/scenarios/3/versions/2", "/runs/5"] {
        let r = get(&app, uri).await.ok(StatusCode::OK);
        assert!(r.text.contains("/static/library.js"), "{uri}");
    }
    let js = get(&app, "/static/library.js").await.ok(StatusCode::OK);
    assert!(
        js.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    // The page's safety rule holds in this script too: no HTML string is ever parsed.
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
    ] {
        assert!(!js.text.contains(sink), "library.js uses {sink}");
    }
}
