//! Speed of the spatial model (`smp`) on KTAB's shared inputs and on generated cases.
//!
//! `cargo bench -p pactum --bench smp`. KTAB's own times on this machine (-O2) are in
//! `/work/shared/README.md`; ours are recorded in BENCHMARKS.md.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use pactum::models::smp::{Options, Probabilities, Smp, Space};
use pactum::{Model, Params, Snapshot, io};
use std::hint::black_box;
use std::time::Duration;

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/cases/ktab/");

fn snapshot(file: &str) -> Snapshot {
    let path = format!("{CASES}{file}");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let loaded = io::read(file, &bytes, None).expect("KTAB file reads");
    Snapshot::modes(&loaded.scenarios[0])
}

/// A deterministic random case of `n` actors and `d` dimensions in the manner of KTAB's
/// `randomSMP`: capability in [10, 200], total salience in [0.75, 0.99] split over the
/// dimensions, positions uniform on [0, 1]. A small linear congruential generator keeps the
/// case identical on every machine.
pub fn generated(n: usize, d: usize, seed: u64) -> (Space, Vec<f64>) {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut capability = Vec::with_capacity(n);
    let mut salience = Vec::with_capacity(n * d);
    let mut start = Vec::with_capacity(n * d);
    for _ in 0..n {
        capability.push(10.0 + 190.0 * next());
        let total = 0.75 + 0.24 * next();
        let raw: Vec<f64> = (0..d).map(|_| 0.1 + 0.9 * next()).collect();
        let sum: f64 = raw.iter().sum();
        salience.extend(raw.iter().map(|s| total * s / sum));
        start.extend((0..d).map(|_| next()));
    }
    (
        Space {
            n,
            d,
            capability,
            salience,
        },
        start,
    )
}

fn ktab_inputs(c: &mut Criterion) {
    let mut g = c.benchmark_group("smp/ktab");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for (name, file) in [
        ("SOE-Pol-Comp 13x2", "SOE-Pol-Comp.csv"),
        ("dummyData_3Dim 7x3", "dummyData_3Dim.csv"),
        ("a040 40x1", "dummyData-a040.csv"),
        ("a080 80x1", "dummyData-a080.csv"),
    ] {
        let snap = snapshot(file);
        g.bench_function(BenchmarkId::new("solve", name), |b| {
            b.iter(|| Smp.solve(black_box(&snap), &Params::new()).expect("solves"))
        });
    }
    let (space, start) = generated(27, 6, 6);
    g.bench_function(BenchmarkId::new("run", "generated 27x6"), |b| {
        b.iter(|| {
            pactum::models::smp::run(
                black_box(&space),
                &start,
                &Options::default(),
                Probabilities::All,
            )
            .expect("runs")
        })
    });
    g.finish();
}

/// Time of one turn (state setup, challenges, bargains, elections) against actors; each
/// iteration also sets up the final state and its election, so it is one turn plus a bit.
fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("smp/one-turn");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    let one_turn = Options {
        max_turns: 1,
        ..Options::default()
    };
    for n in [20, 40, 80, 160, 320] {
        let (space, start) = generated(n, 2, n as u64);
        g.bench_function(BenchmarkId::new("actors x2 dims", n), |b| {
            b.iter(|| {
                pactum::models::smp::run(black_box(&space), &start, &one_turn, Probabilities::Last)
                    .expect("runs")
            })
        });
    }
    g.finish();
}

/// Whole runs (to the stopping rule, with every turn's win probabilities) on generated
/// one-dimensional cases like KTAB's a040/a080.
fn full_runs(c: &mut Criterion) {
    let mut g = c.benchmark_group("smp/full-run");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for n in [20, 40, 80, 160] {
        let (space, start) = generated(n, 1, 1000 + n as u64);
        g.bench_function(BenchmarkId::new("actors x1 dim", n), |b| {
            b.iter(|| {
                pactum::models::smp::run(
                    black_box(&space),
                    &start,
                    &Options::default(),
                    Probabilities::All,
                )
                .expect("runs")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, ktab_inputs, scaling, full_runs);
criterion_main!(benches);
