//! The page's live preview through the whole router (no socket): an unsaved scenario
//! posted to `/api/forecast` and answered with the forecasts of every model.

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

criterion_group!(benches, preview);
criterion_main!(benches);
