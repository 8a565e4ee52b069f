//! Workbook speed on the flagship case (`cases/us-japan-2014.toml`: 23 actors, 5 issues, 34
//! stances with ranges and sources): writing it as xlsx, reading it back, and reading the
//! TOML for comparison.

use criterion::{Criterion, criterion_group, criterion_main};
use pactum::io::{self, workbook};
use std::hint::black_box;

const FLAGSHIP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../cases/us-japan-2014.toml"
);

fn bench(c: &mut Criterion) {
    let toml = std::fs::read(FLAGSHIP).expect("flagship case");
    let scenario = io::read("case.toml", &toml, None)
        .expect("reads")
        .scenarios
        .remove(0);
    let xlsx = workbook::write(&scenario).expect("writes");
    c.bench_function("workbook/write_flagship_xlsx", |b| {
        b.iter(|| workbook::write(black_box(&scenario)).map(|v| v.len()).ok())
    });
    c.bench_function("workbook/read_flagship_xlsx", |b| {
        b.iter(|| {
            io::read("case.xlsx", black_box(&xlsx), None)
                .map(|l| l.scenarios.len())
                .ok()
        })
    });
    c.bench_function("workbook/read_flagship_toml", |b| {
        b.iter(|| {
            io::read("case.toml", black_box(&toml), None)
                .map(|l| l.scenarios.len())
                .ok()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
