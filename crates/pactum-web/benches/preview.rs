//! The page's live preview through the whole router (no socket): an unsaved scenario
//! posted to `/api/forecast` and answered with the forecasts of every model; and the same
//! body posted to `/api/charts` (the page's request), answered with the forecasts and
//! every chart, on the flagship case.

use axum::body::Body;
use axum::http::{Request, header};
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use pactum_web::store::Store;
use pactum_web::{AppState, router};
use tower::ServiceExt;

const SMALL: &str = include_str!("../../pactum-cli/tests/fixtures/small.toml");

fn preview(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let app = router(AppState::new(Store::in_memory().unwrap(), None));
    let scenario = pactum::io::read("small.toml", SMALL.as_bytes(), None)
        .unwrap()
        .scenarios
        .remove(0);
    let body = serde_json::json!({ "scenario": scenario }).to_string();
    c.bench_function("web_preview_all_models_small", |b| {
        b.iter(|| {
            rt.block_on(async {
                let req = Request::post("/api/forecast")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.clone()))
                    .unwrap();
                let res = app.clone().oneshot(req).await.unwrap();
                assert!(res.status().is_success());
                res.into_body().collect().await.unwrap().to_bytes()
            })
        })
    });
}

/// One POST of `body` to `uri`, answered 2xx, body collected.
fn post(rt: &tokio::runtime::Runtime, app: &axum::Router, uri: &str, body: &str) -> usize {
    rt.block_on(async {
        let req = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        assert!(res.status().is_success());
        res.into_body().collect().await.unwrap().to_bytes().len()
    })
}

/// Forecasts alone against forecasts and charts, on the flagship case (every model).
fn charts(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let app = router(AppState::new(Store::in_memory().unwrap(), None));
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../cases/us-japan-2014.toml"
    );
    let text = std::fs::read(path).unwrap();
    let scenario = pactum::io::read(path, &text, None)
        .unwrap()
        .scenarios
        .remove(0);
    let body = serde_json::json!({ "scenario": scenario }).to_string();
    let mut g = c.benchmark_group("web_flagship_preview");
    g.sample_size(20);
    g.bench_function("forecast", |b| {
        b.iter(|| post(&rt, &app, "/api/forecast", &body))
    });
    g.bench_function("charts", |b| {
        b.iter(|| post(&rt, &app, "/api/charts", &body))
    });
    g.finish();
}

criterion_group!(benches, preview, charts);
criterion_main!(benches);
