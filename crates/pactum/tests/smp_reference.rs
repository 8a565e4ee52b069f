//! Reproduction of KTAB's SMP (`smpc --csv`, default options) on the shared reference runs:
//! every actor's position on every dimension at every turn (printed by KTAB with one
//! decimal on 0–100), every win probability (4 decimals), and the `Fractional change` lines
//! of KTAB's shipped reference logs.

use pactum::models::smp::Smp;
use pactum::{Forecast, Model, Params, Snapshot, io};
use serde_json::Value;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/");

fn read(path: &str) -> String {
    let full = format!("{SHARED}{path}");
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}

fn solve(case: &str) -> (pactum::Scenario, Forecast) {
    let text = read(&format!("cases/ktab/{case}.csv"));
    let loaded = io::read(case, text.as_bytes(), None).expect("KTAB file reads");
    assert_eq!(loaded.format, Some(io::Format::Ktab));
    let scenario = loaded.scenarios[0].clone();
    let f = Smp
        .solve(&Snapshot::modes(&scenario), &Params::new())
        .expect("smp solves");
    (scenario, f)
}

/// KTAB's printed history: (actor, dimension or "prob") → values per turn.
fn history(case: &str) -> Vec<(String, String, Vec<String>)> {
    let text = read(&format!("peers/ktab/{case}.history.txt"));
    let mut rows = Vec::new();
    for line in text.lines() {
        let Some((actor, rest)) = line.split_once(", ") else {
            continue;
        };
        let Some((what, values)) = rest.split_once(':') else {
            continue;
        };
        let values: Vec<String> = values.split_whitespace().map(str::to_string).collect();
        if values.is_empty() {
            continue;
        }
        rows.push((actor.to_string(), what.trim().to_string(), values));
    }
    rows
}

struct Tally {
    compared: usize,
    differ: Vec<String>,
    max_dev: f64,
}

fn compare_positions(case: &str) -> Tally {
    let (scenario, f) = solve(case);
    let mut t = Tally {
        compared: 0,
        differ: Vec::new(),
        max_dev: 0.0,
    };
    for (actor, what, values) in history(case) {
        if what == "prob" {
            continue;
        }
        let issue = scenario
            .issues
            .iter()
            .position(|i| i.question == what)
            .unwrap_or_else(|| panic!("no issue for dimension `{what}`"));
        let rounds = &f.issues[issue].rounds;
        assert_eq!(
            rounds.len(),
            values.len(),
            "{case}: number of states (KTAB {}, ours {})",
            values.len(),
            rounds.len()
        );
        for (turn, want) in values.iter().enumerate() {
            let got = rounds[turn].positions.get(&actor).expect("actor in round");
            let shown = format!("{got:.1}");
            let want_x: f64 = want.parse().expect("number");
            t.max_dev = t.max_dev.max((got - want_x).abs());
            t.compared += 1;
            if &shown != want {
                t.differ.push(format!(
                    "{actor} {what} turn {turn}: KTAB {want}, ours {shown}"
                ));
            }
        }
    }
    t
}

fn compare_probabilities(case: &str) -> Tally {
    let (_, f) = solve(case);
    let probs = f.details["win_probability"]
        .as_array()
        .expect("win probabilities")
        .clone();
    let mut t = Tally {
        compared: 0,
        differ: Vec::new(),
        max_dev: 0.0,
    };
    for (actor, what, values) in history(case) {
        if what != "prob" {
            continue;
        }
        assert_eq!(
            probs.len(),
            values.len(),
            "{case}: states with probabilities"
        );
        for (turn, want) in values.iter().enumerate() {
            let got = probs[turn]
                .get(&actor)
                .and_then(Value::as_f64)
                .expect("prob");
            let want_x: f64 = want.parse().expect("number");
            t.max_dev = t.max_dev.max((got - want_x).abs());
            t.compared += 1;
            if format!("{got:.4}") != *want {
                t.differ
                    .push(format!("{actor} turn {turn}: KTAB {want}, ours {got:.4}"));
            }
        }
    }
    t
}

/// KTAB's reference log: the `Fractional change` per turn and the final `prob :` lines.
fn reference_log(case: &str) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let text = read(&format!("peers/ktab/20170530_ref-{case}.txt"));
    let mut fractional = Vec::new();
    let mut probs = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Fractional change compared to first step: ") {
            fractional.push(rest.split_whitespace().next().unwrap_or("").to_string());
        }
        if let Some((actor, values)) = line.split_once(", prob :") {
            probs.push((
                actor.trim().to_string(),
                values.split_whitespace().map(str::to_string).collect(),
            ));
        }
    }
    (fractional, probs)
}

fn check_case(case: &str) {
    let pos = compare_positions(case);
    assert!(pos.compared > 0);
    assert!(
        pos.differ.is_empty(),
        "{case}: {} of {} positions differ at one decimal (max deviation {:.4}):\n{}",
        pos.differ.len(),
        pos.compared,
        pos.max_dev,
        pos.differ.join("\n")
    );
    let pr = compare_probabilities(case);
    assert!(pr.compared > 0);
    assert!(
        pr.differ.is_empty(),
        "{case}: {} of {} win probabilities differ at 4 decimals (max deviation {:.6}):\n{}",
        pr.differ.len(),
        pr.compared,
        pr.max_dev,
        pr.differ.join("\n")
    );
}

fn check_log(case: &str) {
    let (_, f) = solve(case);
    let (fractional, probs) = reference_log(case);
    assert!(
        !fractional.is_empty() && !probs.is_empty(),
        "{case}: log lines found"
    );
    let ours = f.details["fractional_change"]
        .as_array()
        .expect("fractional change");
    let ours: Vec<String> = ours
        .iter()
        .map(|v| format!("{:.4}", v.as_f64().unwrap_or(f64::NAN)))
        .collect();
    assert_eq!(ours, fractional, "{case}: Fractional change per turn");
    let win = f.details["win_probability"]
        .as_array()
        .expect("win probabilities");
    for (actor, values) in probs {
        let got: Vec<String> = win
            .iter()
            .map(|m| format!("{:.4}", m[&actor].as_f64().unwrap_or(f64::NAN)))
            .collect();
        assert_eq!(got, values, "{case}: prob line of {actor}");
    }
}

#[test]
fn dummy_3dim_matches_ktab_history() {
    check_case("dummyData_3Dim");
}

#[test]
fn soe_pol_comp_matches_ktab_history() {
    check_case("SOE-Pol-Comp");
}

#[test]
fn dummy_3dim_matches_ktab_reference_log() {
    check_log("dummyData_3Dim");
}

#[test]
fn soe_pol_comp_matches_ktab_reference_log() {
    check_log("SOE-Pol-Comp");
}
