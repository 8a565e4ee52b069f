//! `pactum simulate`, `sensitivity` and `levers` end to end.

use assert_cmd::Command;
use serde_json::Value;

const RANGED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ranged.toml");

fn run(args: &[&str], threads: &str) -> String {
    let out = Command::cargo_bin("pactum")
        .unwrap()
        .env("RAYON_NUM_THREADS", threads)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn simulate_json_follows_the_contract_and_is_thread_independent() {
    let args = [
        "simulate",
        RANGED,
        "--model",
        "compromise",
        "--draws",
        "3000",
        "--seed",
        "9",
        "--threshold",
        "20",
        "--correlation",
        "0.5",
        "--format",
        "json",
    ];
    let one = run(&args, "1");
    let two = run(&args, "2");
    assert_eq!(one, two, "1 vs 2 threads");
    let v: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(v["model"], "compromise");
    assert_eq!(v["draws"], 3000);
    assert_eq!(v["seed"], 9);
    let issue = &v["issues"][0];
    assert_eq!(issue["id"], "tariff");
    let (p10, median, p90) = (
        issue["p10"].as_f64().unwrap(),
        issue["median"].as_f64().unwrap(),
        issue["p90"].as_f64().unwrap(),
    );
    assert!(p10 < median && median < p90, "{p10} {median} {p90}");
    assert!(issue["mean"].as_f64().unwrap() > 0.0);
    let p = issue["thresholds"][0]["p_at_or_above"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    // A different seed changes the draws.
    let other = run(
        &[
            "simulate",
            RANGED,
            "--model",
            "compromise",
            "--draws",
            "3000",
            "--seed",
            "10",
            "--format",
            "json",
        ],
        "2",
    );
    assert_ne!(one, other);
}

#[test]
fn simulate_table_is_quiet_when_piped() {
    let out = Command::cargo_bin("pactum")
        .unwrap()
        .args(["simulate", RANGED, "--model", "median", "--draws", "500"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("median"), "{text}");
    assert!(text.contains("p90"), "{text}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sensitivity_json_ranks_and_counts_evaluations() {
    let args = [
        "sensitivity",
        RANGED,
        "--model",
        "compromise",
        "--samples",
        "500",
        "--format",
        "json",
    ];
    let one = run(&args, "1");
    assert_eq!(one, run(&args, "2"));
    let v: Value = serde_json::from_str(&one).unwrap();
    let k = v["inputs"].as_array().unwrap().len() as u64;
    assert_eq!(k, 5);
    assert_eq!(v["evaluations"]["tornado"], 1 + 2 * k);
    assert_eq!(v["evaluations"]["variance_based"], 500 * (k + 2));
    let tornado = v["issues"][0]["tornado"].as_array().unwrap();
    let swings: Vec<f64> = tornado
        .iter()
        .map(|s| s["swing"].as_f64().unwrap())
        .collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "{swings:?}");
}

#[test]
fn levers_json_lists_own_and_other_moves() {
    let args = [
        "levers",
        RANGED,
        "--model",
        "compromise",
        "--actor",
        "a",
        "--draws",
        "200",
        "--format",
        "json",
    ];
    let one = run(&args, "1");
    assert_eq!(one, run(&args, "2"));
    let v: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(v["actor"], "a");
    let issue = &v["issues"][0];
    assert_eq!(issue["own"].as_array().unwrap().len(), 2);
    // Others: b and c, each a position and a salience move.
    assert_eq!(issue["others"].as_array().unwrap().len(), 4);
    // b moving from 40 to a's 5 must help a.
    let b = issue["others"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["actor"] == "b" && l["field"] == "position")
        .unwrap();
    assert!(b["gain"].as_f64().unwrap() > 0.0);
    assert!(b["robustness"]["p_closer"].as_f64().unwrap() > 0.9);
}

#[test]
fn bad_options_exit_2_with_a_message() {
    for args in [
        vec!["simulate", RANGED, "--model", "compromise", "--draws", "0"],
        vec![
            "simulate",
            RANGED,
            "--model",
            "compromise",
            "--correlation",
            "1.5",
        ],
        vec!["simulate", RANGED, "--model", "nosuch"],
        vec![
            "simulate",
            RANGED,
            "--model",
            "compromise",
            "--distribution",
            "normal",
        ],
        vec!["levers", RANGED, "--model", "compromise", "--actor", "zz"],
        vec![
            "sensitivity",
            RANGED,
            "--model",
            "compromise",
            "--set",
            "nosuch=1",
        ],
    ] {
        let out = Command::cargo_bin("pactum")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("error"), "{args:?}: {err}");
    }
}

#[test]
fn bdm_simulation_of_the_widened_peer_case_is_thread_independent() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/peers/schelling/emission1994_widened.input.json"
    );
    let args = [
        "simulate", file, "--model", "bdm", "--draws", "2000", "--seed", "42", "--format", "json",
    ];
    let one = run(&args, "1");
    assert_eq!(one, run(&args, "2"));
    let v: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(v["model"], "bdm");
    assert_eq!(v["inputs"][0]["name"], "germany.position");
}
