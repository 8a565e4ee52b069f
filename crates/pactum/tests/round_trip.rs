//! Every shared case file is read, written as native TOML, and read back to the same
//! scenario: same numbers, same forecasts, and a second write gives the same text.

use pactum::io::{self, native};
use pactum::models;
use pactum::{Params, Snapshot};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

const FILES: [&str; 12] = [
    "cases/bdm/bdm1994_ec_emission_standards_actors.csv",
    "cases/ktab/SOE-Pol-Comp.csv",
    "cases/ktab/SOE-Policy-table.csv",
    "cases/ktab/dummyData_3Dim.csv",
    "cases/ktab/dummyData-a040.csv",
    "cases/ktab/dummyData-a080.csv",
    "cases/decide/sample_data.txt",
    "cases/decide/copenhagen.csv",
    "peers/schelling/emission1994.input.json",
    "peers/schelling/emission1994_widened.input.json",
    "peers/schelling/ktab_soe_policy.challenge.input.json",
    "deu3/deu3-dev.tsv",
];

/// The shipped native cases, relative to the repository root.
const CASES: [&str; 5] = [
    "cases/us-japan-2014.toml",
    "cases/us-japan-2014-two-level.toml",
    "cases/emission-1994.toml",
    "cases/soe-2014.toml",
    "cases/cop15-copenhagen.toml",
];

fn read(name: &str, bytes: &[u8]) -> Vec<pactum::Scenario> {
    io::read(name, bytes, None)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .scenarios
}

#[test]
fn every_shared_case_round_trips_through_native_toml() {
    let mut scenarios_checked = 0;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let paths = FILES
        .iter()
        .map(|f| (*f, format!("{SHARED}/{f}")))
        .chain(CASES.iter().map(|f| (*f, format!("{root}/{f}"))));
    for (f, path) in paths {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for original in read(f, &bytes) {
            let text = native::write(&original);
            let back = read(&format!("{f} (as TOML)"), text.as_bytes());
            assert_eq!(back.len(), 1, "{f}");
            let back = &back[0];
            assert_eq!(native::write(back), text, "{f}: second write differs");
            let (a, b) = (Snapshot::modes(&original), Snapshot::modes(back));
            assert_eq!(a, b, "{f}: numbers changed in the round trip");
            for (x, y) in original.stances.iter().zip(&back.stances) {
                assert_eq!(
                    (x.position, x.salience, x.capability),
                    (y.position, y.salience, y.capability),
                    "{f}"
                );
            }
            assert_eq!(original.sides.len(), back.sides.len(), "{f}: sides lost");
            let params = Params::new();
            for m in ["compromise", "median", "twolevel"] {
                let model = models::by_name(m).unwrap();
                assert_eq!(
                    model.forecast_values(&a, &params).unwrap(),
                    model.forecast_values(&b, &params).unwrap(),
                    "{f}: {m} forecast changed"
                );
            }
            scenarios_checked += 1;
        }
    }
    // 11 single-scenario shared files, the 172 rows of the DEU file, and the shipped cases.
    assert_eq!(scenarios_checked, 11 + 172 + CASES.len());
}
