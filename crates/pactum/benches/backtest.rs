//! Backtest speed on the DEU III dev file (Arregui & Perarnaud 2021, doi:10.34810/data53,
//! CC BY 4.0): 167 scored issues in 69 proposals.

use criterion::{Criterion, criterion_group, criterion_main};
use pactum::backtest::{self, Capability, Dataset, DeuOptions, ModelRun, Options, Validation};
use pactum::models;
use std::hint::black_box;

const DEV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/deu3/deu3-dev.tsv"
);

fn dev() -> Dataset {
    let text = std::fs::read_to_string(DEV).expect("shared DEU dev file");
    Dataset::from_deu("dev", &text, DeuOptions::new(Capability::Council)).expect("reads")
}

fn bench(c: &mut Criterion) {
    let text = std::fs::read_to_string(DEV).expect("shared DEU dev file");
    c.bench_function("backtest/load_dev_council", |b| {
        b.iter(|| {
            Dataset::from_deu(
                "dev",
                black_box(&text),
                DeuOptions::new(Capability::Council),
            )
            .map(|d| d.cases.len())
            .ok()
        })
    });
    let d = dev();
    let baselines = Options {
        runs: ModelRun::for_models(&models::baselines()),
        validation: Validation::None,
        ..Options::default()
    };
    c.bench_function("backtest/baselines_2000_bootstrap", |b| {
        b.iter(|| backtest::run(black_box(&d), &baselines))
    });
    let everything = Options::default();
    c.bench_function("backtest/all_models_cv5_126_grid", |b| {
        b.iter(|| backtest::run(black_box(&d), &everything))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
