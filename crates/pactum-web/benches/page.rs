//! The scenario page's JSON endpoint, `GET /api/scenarios/{id}/versions/latest`, through
//! the whole router (no socket), on one-issue scenarios of 1,000, 10,000 and 100,000
//! actors imported as plain CSV tables. Linear work gives ×10 time per ×10 actors.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, header};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use pactum_web::store::Store;
use pactum_web::{AppState, router};
use tower::ServiceExt;

#[path = "../tests/common/mod.rs"]
mod common;

async fn send(app: &Router, req: Request<Body>) -> (u16, Bytes) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    (status, res.into_body().collect().await.unwrap().to_bytes())
}

fn page(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let app = router(AppState::new(Store::in_memory().unwrap(), None));
    let mut group = c.benchmark_group("web_scenario_page_json");
    group.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let id = rt.block_on(async {
            let req = Request::post("/api/scenarios?filename=big.csv")
                .header(header::CONTENT_TYPE, "application/octet-stream")
                .body(Body::from(common::big_table(n)))
                .unwrap();
            let (status, body) = send(&app, req).await;
            assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            v["created"][0]["scenario_id"].as_i64().unwrap()
        });
        let uri = format!("/api/scenarios/{id}/versions/latest");
        group.bench_with_input(BenchmarkId::from_parameter(n), &uri, |b, uri| {
            b.iter(|| {
                rt.block_on(async {
                    let req = Request::get(uri.as_str()).body(Body::empty()).unwrap();
                    let (status, body) = send(&app, req).await;
                    assert_eq!(status, 200);
                    body.len()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, page);
criterion_main!(benches);
