//! The seal ledger's scoreboard: `pactum_web::seals::scoreboard_of` over N stored seals of
//! the flagship case (each parsed, its hash checked and its sealed scenario read back, as
//! `GET /api/scoreboard` does after loading the rows), with one outcome recorded.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use pactum::seal::{self, Request};
use pactum_web::seals::{LedgerEntry, OutcomeRow, scoreboard_of};

const FLAGSHIP: &str = include_str!("../../../cases/us-japan-2014.toml");

/// `n` seals of the flagship case (compromise at the inputs' modes), as stored rows.
fn rows(n: usize) -> Vec<(LedgerEntry, String)> {
    let scenario = pactum::io::read("f.toml", FLAGSHIP.as_bytes(), None)
        .unwrap()
        .scenarios
        .remove(0);
    let request = Request {
        model: "compromise".into(),
        params: Default::default(),
        seed: 42,
        draws: 0,
        sealed_at: "2026-12-01T00:00:00Z".into(),
    };
    let sealed = seal::seal(&scenario, &request).unwrap();
    let text = sealed.render();
    (1..=n as i64)
        .map(|id| {
            let entry = LedgerEntry {
                id,
                scenario_id: 1,
                version: 1,
                title: sealed.seal.scenario_title.clone(),
                model: "compromise".into(),
                sealed_at: sealed.seal.sealed_at.clone(),
                sha256: sealed.sha256.clone(),
                supersedes: None,
                superseded_by: None,
                download: format!("/api/seals/{id}"),
            };
            (entry, text.clone())
        })
        .collect()
}

fn scoreboard(c: &mut Criterion) {
    let outcome = OutcomeRow {
        id: 1,
        scenario_id: 1,
        issue: "beef-tariff".into(),
        value: 11.0,
        date: "2016-01-01".into(),
        source: "bench".into(),
        recorded_at: "2026-12-01T00:00:00Z".into(),
        in_force: true,
    };
    let mut group = c.benchmark_group("web_scoreboard_flagship_seals");
    group.sample_size(10);
    for n in [10, 100] {
        let seals = rows(n);
        let outcomes = vec![outcome.clone()];
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| scoreboard_of(&seals, &outcomes).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, scoreboard);
criterion_main!(benches);
