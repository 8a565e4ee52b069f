//! Reproduction of the challenge model's references: the schelling peer's per-round positions
//! (emission case and SOE policy case) and the jmckib replication of Scholz et al. Table 2.

use pactum::io::{self, Format};
use pactum::models::bdm::Bdm;
use pactum::{Forecast, Model, Params, Snapshot};
use serde_json::Value;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

fn text(rel: &str) -> String {
    let path = format!("{SHARED}/{rel}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn snapshot(rel: &str) -> (Snapshot, Format) {
    let loaded = io::read(rel, text(rel).as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    let format = loaded.format.expect("a format");
    (Snapshot::modes(&loaded.scenarios[0]), format)
}

/// Max |ours − peer| over every actor and every round; fails if the round counts differ.
fn deviation_from_schelling(ours: &Forecast, peer: &Value) -> f64 {
    let rounds = peer["rounds"].as_array().expect("rounds");
    let mine = &ours.issues[0].rounds;
    // schelling numbers rounds from 0 = after the first round; ours: 0 = the coded state.
    assert_eq!(mine.len(), rounds.len() + 1, "rounds played differ");
    let mut worst: f64 = 0.0;
    for r in rounds {
        let k = r["round"].as_u64().expect("round") as usize + 1;
        let positions = r["positions"].as_object().expect("positions");
        assert_eq!(positions.len(), mine[k].positions.0.len());
        for (id, x) in positions {
            let ours = mine[k]
                .positions
                .get(id)
                .unwrap_or_else(|| panic!("no actor {id}"));
            worst = worst.max((ours - x.as_f64().expect("number")).abs());
        }
        let median = r["weighted_median"].as_f64().expect("median");
        worst = worst.max((mine[k].median - median).abs());
    }
    worst
}

fn check_schelling(input: &str, output: &str) -> Forecast {
    let (snap, format) = snapshot(input);
    assert_eq!(format, Format::Schelling);
    let ours = Bdm.solve(&snap, &Params::new()).expect("solves");
    let peer: Value = serde_json::from_str(&text(output)).expect("json");
    let dev = deviation_from_schelling(&ours, &peer);
    println!("{input}: max |deviation| = {dev:e}");
    assert!(dev <= 1e-9, "max deviation {dev}");
    let f = peer["forecast_median"].as_f64().unwrap();
    assert!((ours.issues[0].forecast - f).abs() <= 1e-9);
    let m = peer["forecast_mean"].as_f64().unwrap();
    assert!((ours.issues[0].mean - m).abs() <= 1e-9);
    ours
}

#[test]
fn emission_case_matches_schelling_every_round() {
    let ours = check_schelling(
        "peers/schelling/emission1994.input.json",
        "peers/schelling/emission1994.challenge.json",
    );
    let f = ours.issues[0].forecast;
    assert!((f - 9.530).abs() < 5e-4, "forecast {f}");
    // The fast path gives the same forecast.
    let (snap, _) = snapshot("peers/schelling/emission1994.input.json");
    let v = Bdm.forecast_values(&snap, &Params::new()).unwrap();
    assert_eq!(v, vec![Some(f)]);
}

#[test]
fn soe_policy_case_matches_schelling_every_round() {
    check_schelling(
        "peers/schelling/ktab_soe_policy.challenge.input.json",
        "peers/schelling/ktab_soe_policy.challenge.json",
    );
}

/// Every position in every round of two forecasts, pairwise: max |difference|.
fn max_round_difference(a: &Forecast, b: &Forecast) -> f64 {
    let (ra, rb) = (&a.issues[0].rounds, &b.issues[0].rounds);
    assert_eq!(ra.len(), rb.len(), "rounds played differ");
    let mut worst: f64 = 0.0;
    for (x, y) in ra.iter().zip(rb) {
        assert_eq!(x.positions.0.len(), y.positions.0.len());
        for ((ia, xa), (ib, xb)) in x.positions.0.iter().zip(&y.positions.0) {
            assert_eq!(ia, ib);
            worst = worst.max((xa - xb).abs());
        }
    }
    worst
}

#[test]
fn the_tables_read_the_same_cases() {
    for (table, json) in [
        (
            "cases/bdm/bdm1994_ec_emission_standards_actors.csv",
            "peers/schelling/emission1994.input.json",
        ),
        (
            "cases/ktab/SOE-Policy-table.csv",
            "peers/schelling/ktab_soe_policy.challenge.input.json",
        ),
    ] {
        let (t, format) = snapshot(table);
        assert_eq!(format, Format::Table);
        let (j, _) = snapshot(json);
        let a = Bdm.solve(&t, &Params::new()).unwrap();
        let b = Bdm.solve(&j, &Params::new()).unwrap();
        assert!(max_round_difference(&a, &b) < 1e-9, "{table}");
    }
}

/// jmckib's CSV: round, one column per actor, median, mean (6 decimals).
fn jmckib() -> (Vec<String>, Vec<Vec<f64>>) {
    let t = text("peers/bdm-replications/jmckib_example_positions.csv");
    let mut lines = t.lines();
    let head: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|s| s.to_lowercase())
        .collect();
    let rows = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .map(|c| c.parse::<f64>().expect("number"))
                .collect()
        })
        .collect();
    (head, rows)
}

#[test]
fn scholz2011_preset_reproduces_jmckib_every_round() {
    let (snap, _) = snapshot("cases/bdm/bdm1994_ec_emission_standards_actors.csv");
    let params = Params {
        preset: Some("scholz2011".into()),
        ..Params::new()
    };
    let ours = Bdm.solve(&snap, &params).unwrap();
    let (head, rows) = jmckib();
    let mine = &ours.issues[0].rounds;
    assert_eq!(mine.len(), rows.len(), "rounds");
    let mut worst: f64 = 0.0;
    for row in &rows {
        let k = row[0] as usize;
        for (c, name) in head.iter().enumerate().skip(1) {
            let ours = match name.as_str() {
                "median" => mine[k].median,
                "mean" => mine[k].mean,
                id => mine[k]
                    .positions
                    .get(id)
                    .unwrap_or_else(|| panic!("no {id}")),
            };
            worst = worst.max((ours - row[c]).abs());
        }
    }
    println!("scholz2011 vs jmckib: max |deviation| = {worst:e}");
    assert!(worst <= 1e-6, "max deviation {worst}");
}
