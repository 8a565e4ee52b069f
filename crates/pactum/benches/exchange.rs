//! Speed of the exchange model: 10 rounds of equal gain on the COP15 Copenhagen case
//! (11 actors × 7 issues) and on a generated 50 actors × 20 issues case. Set
//! `EXCHANGE_BENCH_FILE=path` to also time any Decide input file (e.g. Decide's COP21).

use criterion::{Criterion, criterion_group, criterion_main};
use pactum::models::exchange;
use pactum::{Actor, Estimate, Issue, Params, Scale, Scenario, Snapshot, Stance};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

fn decide_case(path: &str) -> Snapshot {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let loaded = pactum::io::read(path, &bytes, None).expect("reads");
    Snapshot::modes(&loaded.scenarios[0])
}

/// `actors` × `issues`, every actor on every issue: positions 0-100, saliences 0.1-1,
/// capabilities 0.1-1, from a ChaCha8 stream with seed 2026.
fn generated(actors: usize, issues: usize) -> Snapshot {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut s = Scenario::default();
    for a in 0..actors {
        s.actors.push(Actor {
            id: format!("a{a}"),
            name: String::new(),
            capability: Estimate::point(0.1 + 0.9 * rng.random::<f64>()),
            group: None,
            sources: Vec::new(),
            notes: None,
            origin: Default::default(),
        });
    }
    for i in 0..issues {
        s.issues
            .push(Issue::new(format!("i{i}"), Scale::new(0.0, 100.0)));
        for a in 0..actors {
            s.stances.push(Stance {
                actor: format!("a{a}"),
                issue: format!("i{i}"),
                position: Estimate::point((100.0 * rng.random::<f64>()).round()),
                salience: Estimate::point(0.1 + 0.9 * rng.random::<f64>()),
                capability: None,
                sources: Vec::new(),
                notes: None,
                origin: Default::default(),
            });
        }
    }
    s.validate().expect("valid");
    Snapshot::modes(&s)
}

fn bench(c: &mut Criterion) {
    let params = Params::new();
    let cop15 = decide_case(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/cases/decide/copenhagen.csv"
    ));
    c.bench_function("exchange/cop15-11x7-10-rounds", |b| {
        b.iter(|| exchange::run(black_box(&cop15), &params).expect("runs"))
    });
    let big = generated(50, 20);
    let mut g = c.benchmark_group("exchange-large");
    g.sample_size(10);
    g.bench_function("generated-50x20-10-rounds", |b| {
        b.iter(|| exchange::run(black_box(&big), &params).expect("runs"))
    });
    g.finish();
    match std::env::var("EXCHANGE_BENCH_FILE") {
        Ok(path) => {
            let snap = decide_case(&path);
            c.bench_function("exchange/file-10-rounds", |b| {
                b.iter(|| exchange::run(black_box(&snap), &params).expect("runs"))
            });
        }
        Err(_) => eprintln!("EXCHANGE_BENCH_FILE not set: the extra Decide file is not timed"),
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
