//! Calibrated intervals in `forecast`/`simulate`/`backtest` output, and `seal`, `verify`,
//! `score` end to end.

use assert_cmd::Command;
use serde_json::Value;

const FLAGSHIP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../cases/us-japan-2014.toml"
);
const DEV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/deu3/deu3-dev.tsv"
);

fn pactum(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("pactum")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = pactum(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn forecast_json_has_intervals_and_names_the_calibration() {
    let v = json(&[
        "forecast",
        FLAGSHIP,
        "--model",
        "compromise",
        "--format",
        "json",
    ]);
    assert_eq!(v["calibration"]["dataset"], "deu3-dev.tsv");
    for issue in v["issues"].as_array().unwrap() {
        let f = issue["forecast"].as_f64().unwrap();
        let i50: Vec<f64> = serde_json::from_value(issue["interval_50"].clone()).unwrap();
        let i80: Vec<f64> = serde_json::from_value(issue["interval_80"].clone()).unwrap();
        assert!(
            i80[0] <= i50[0] && i50[0] <= f && f <= i50[1] && i50[1] <= i80[1],
            "{issue}"
        );
    }
    let all = json(&["forecast", FLAGSHIP, "--format", "json"]);
    assert_eq!(all["calibration"]["dataset"], "deu3-dev.tsv");
    let table = pactum(&["forecast", FLAGSHIP, "--model", "bdm"]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("80% interval") && text.contains("calibrated on deu3-dev.tsv"),
        "{text}"
    );
}

#[test]
fn simulate_json_has_intervals_wider_than_the_draws() {
    let v = json(&[
        "simulate",
        FLAGSHIP,
        "--model",
        "compromise",
        "--draws",
        "500",
        "--format",
        "json",
    ]);
    assert_eq!(v["calibration"]["dataset"], "deu3-dev.tsv");
    for issue in v["issues"].as_array().unwrap() {
        let i80: Vec<f64> = serde_json::from_value(issue["interval_80"].clone()).unwrap();
        // The outcome interval adds the model's error to the spread of the draws.
        assert!(i80[0] <= issue["p10"].as_f64().unwrap(), "{issue}");
        assert!(i80[1] >= issue["p90"].as_f64().unwrap(), "{issue}");
    }
}

#[test]
fn backtest_json_reports_held_out_interval_scores_per_model() {
    let v = json(&[
        "backtest",
        DEV,
        "--model",
        "compromise",
        "--model",
        "median",
        "--folds",
        "0",
        "--replicates",
        "200",
        "--format",
        "json",
    ]);
    for m in v["models"].as_array().unwrap() {
        for key in [
            "coverage_50",
            "coverage_80",
            "width_80",
            "interval_score_80",
            "crps",
        ] {
            let x = m[key].as_f64().unwrap_or_else(|| panic!("{key} in {m}"));
            assert!(x.is_finite() && x >= 0.0);
            let ci = &m["interval_ci"][key];
            assert!(
                ci[0].as_f64().unwrap() <= x && x <= ci[1].as_f64().unwrap(),
                "{key}: {ci}"
            );
        }
        let c80 = m["coverage_80"].as_f64().unwrap();
        assert!((0.7..=0.9).contains(&c80), "{c80}");
    }
    assert!(
        v["naive_interval"]["coverage"]["estimate"]
            .as_f64()
            .unwrap()
            > 0.9
    );
}

#[test]
fn seal_verify_score_round_trip_and_a_one_byte_edit_fails() {
    let dir = tempfile::tempdir().unwrap();
    let seal = dir.path().join("c.seal.json");
    let seal_s = seal.to_str().unwrap();
    let out = pactum(&[
        "seal",
        FLAGSHIP,
        "--model",
        "compromise",
        "--draws",
        "100",
        "-o",
        seal_s,
        "--sealed-at",
        "2026-12-01T00:00:00Z",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = pactum(&["verify", seal_s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let text = std::fs::read_to_string(&seal).unwrap();
    let edited = text.replacen("\"seed\": 42", "\"seed\": 43", 1);
    assert_ne!(edited, text);
    let bad = dir.path().join("bad.seal.json");
    std::fs::write(&bad, edited).unwrap();
    let out = pactum(&["verify", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("edited file"), "{err}");

    let v = json(&["score", seal_s, "--format", "json"]);
    assert_eq!(v["issues"].as_array().unwrap().len(), 5);
    assert!((v["models"][0]["mae"].as_f64().unwrap() - 7.74).abs() < 0.005);

    let outcomes = dir.path().join("outcomes.csv");
    std::fs::write(&outcomes, "issue,outcome\ng20-fx,25\nbeef-tariff,40\n").unwrap();
    let out = pactum(&["score", seal_s, "--outcomes", outcomes.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("outcomes.csv:3") && err.contains("outcome"),
        "{err}"
    );
    assert!(err.contains("outside its scale"), "{err}");
}
