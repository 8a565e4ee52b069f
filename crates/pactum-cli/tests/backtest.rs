//! `pactum backtest` end to end, on the DEU III dev file (Arregui & Perarnaud 2021,
//! doi:10.34810/data53, CC BY 4.0) and on small native scenarios.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const DEU: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/deu3/deu3-dev.tsv"
);
const SMALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small.toml");

fn pactum() -> Command {
    Command::cargo_bin("pactum").unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = pactum().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn json_report_follows_the_contract() {
    let text = stdout(&["backtest", DEU, "--format", "json", "--replicates", "200"]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v["dataset"].as_str().unwrap().ends_with("deu3-dev.tsv"));
    assert_eq!(v["n_issues"], 167);
    assert_eq!(v["n_unscored"], 5);
    let models = v["models"].as_array().unwrap();
    assert_eq!(models[0]["model"], "compromise");
    for m in models {
        for key in ["model", "n", "mae", "rmse", "median_ae"] {
            assert!(m.get(key).is_some(), "{key} missing in {m}");
        }
    }
    assert!(v["tuned"]["method"].as_str().unwrap().contains("5-fold"));
}

#[test]
fn table_and_per_issue_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("issues.csv");
    let text = stdout(&[
        "backtest",
        DEU,
        "--capability",
        "gdp",
        "--model",
        "compromise",
        "--model",
        "median",
        "--folds",
        "0",
        "--per-issue",
        csv.to_str().unwrap(),
    ]);
    assert!(
        text.contains("compromise") && text.contains("median"),
        "{text}"
    );
    assert!(text.contains("gdp"));
    assert!(!text.contains("Tuned model"), "--folds 0 turns tuning off");
    let body = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(body.lines().count(), 1 + 2 * 167);
}

#[test]
fn fit_on_one_file_score_on_another() {
    // Co-decision proposals (prnr d…, a…) to fit; consultation proposals (n…) to score.
    let text = std::fs::read_to_string(DEU).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (head, caps) = (lines[0], lines[1]);
    let pick = |consultation: bool| {
        let mut out = vec![head, caps];
        out.extend(
            lines[2..]
                .iter()
                .filter(|l| l.contains("\"n") == consultation),
        );
        out.join("\n")
    };
    let dir = tempfile::tempdir().unwrap();
    let fit = dir.path().join("fit.tsv");
    let score = dir.path().join("score.tsv");
    std::fs::write(&fit, pick(false)).unwrap();
    std::fs::write(&score, pick(true)).unwrap();
    let (f, s) = (fit.to_str().unwrap(), score.to_str().unwrap());
    let out = stdout(&[
        "backtest",
        "--fit",
        f,
        "--score",
        s,
        "--model",
        "compromise",
        "--format",
        "json",
        "--replicates",
        "100",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["n_issues"], 66);
    assert_eq!(v["tuned"]["folds"][0]["train_issues"], 101);
    assert!(v["tuned"]["method"].as_str().unwrap().contains("fit.tsv"));
    // The same file on both sides is refused.
    pactum()
        .args(["backtest", "--fit", s, "--score", s])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("share"));
}

#[test]
fn a_native_scenario_is_scored_per_issue_in_its_units() {
    let text = stdout(&["backtest", SMALL, "--issues", "--folds", "0"]);
    assert!(text.contains("tariff") && text.contains('%'), "{text}");
    assert!(text.contains("as coded in the scenarios"));
}

#[test]
fn bad_input_exits_2_with_the_place() {
    pactum()
        .args(["backtest", "no-such-file.tsv"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no-such-file.tsv"));
    pactum()
        .args(["backtest", DEU, "--model", "bogus"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bogus"));
    pactum().args(["backtest"]).assert().code(2);
    pactum()
        .args(["backtest", DEU, "--folds", "1"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("folds"));
    pactum()
        .args(["backtest", SMALL, "--folds", "5"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("2 ≤ k ≤ 1"));
    // A DEU file with a bad header names the file, the line and the missing column.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.tsv");
    std::fs::write(
        &bad,
        "\"isnr\"\t\"pcom\"\t\"pep\"\t\"out\"\n\"x\"\t1\t2\t3\n",
    )
    .unwrap();
    pactum()
        .args(["backtest", bad.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.tsv:1").and(predicates::str::contains("`rp`")));
}
