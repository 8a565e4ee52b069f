//! Backtests on the DEU III dev file (Arregui & Perarnaud 2021, doi:10.34810/data53,
//! CC BY 4.0), checked against an independent computation.

use pactum::backtest::{self, Capability, Dataset, Options, ParliamentRule, Validation};

const DEV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/deu3/deu3-dev.tsv"
);

fn dev_text() -> String {
    std::fs::read_to_string(DEV).expect("the shared DEU III dev file must exist at ../shared")
}

fn dev(capability: Capability) -> Dataset {
    Dataset::from_deu(
        "deu3-dev.tsv",
        &dev_text(),
        capability,
        capability.default_parliament(),
    )
    .expect("dev file reads")
}

#[test]
fn print_table() {
    let d = dev(Capability::Gdp);
    let r = backtest::run(&d, &Options::default()).unwrap();
    println!("{}", backtest::render::table(&r));
}
