//! Speed of the classic comparators' fast path (`forecast_values`, what Monte Carlo calls)
//! on every proposal of the DEU III dev file (Arregui & Perarnaud 2021,
//! doi:10.34810/data53, CC BY 4.0): 69 proposals, 167 scored issues.

use criterion::{Criterion, criterion_group, criterion_main};
use pactum::backtest::{self, Capability, Dataset, DeuOptions};
use pactum::models::{self, Params};
use std::hint::black_box;

const DEV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/deu3/deu3-dev.tsv"
);

fn bench(c: &mut Criterion) {
    let text = std::fs::read_to_string(DEV).expect("testdata DEU dev file");
    let d = Dataset::from_deu("dev", &text, DeuOptions::new(Capability::Council)).expect("reads");
    let snaps = backtest::snapshots(&d);
    for name in ["compromise", "nash", "kalai-smorodinsky", "procedural"] {
        let m = models::by_name(name).expect("registered");
        let params: Vec<Params> = d
            .groups
            .iter()
            .map(|g| Params::from_scenario(&g.scenario, name))
            .collect();
        c.bench_function(&format!("comparators/{name}_dev_file"), |b| {
            b.iter(|| {
                snaps
                    .iter()
                    .zip(&params)
                    .map(|(s, p)| {
                        m.forecast_values(black_box(s), p)
                            .map(|v| v.len())
                            .unwrap_or(0)
                    })
                    .sum::<usize>()
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
