//! End-to-end behaviour of the `pactum` commands on good input.

use assert_cmd::Command;
use serde_json::Value;

const SMALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small.toml");
const DEU: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/deu3/deu3-dev.tsv"
);

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
fn forecast_json_follows_the_contract() {
    let text = stdout(&[
        "forecast",
        SMALL,
        "--model",
        "compromise",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["model"], "compromise");
    let issue = &v["issues"][0];
    assert_eq!(issue["id"], "tariff");
    // weights c·s: a 2·0.5 = 1 at 0, b 1·1 = 1 at 40, c 1·0.4 = 0.4 at 20
    let expected = (0.0 * 1.0 + 40.0 * 1.0 + 20.0 * 0.4) / 2.4;
    assert!((issue["forecast"].as_f64().unwrap() - expected).abs() < 1e-12);
    assert_eq!(issue["rounds"][0]["round"], 0);
    assert_eq!(issue["rounds"][0]["positions"]["b"], 40.0);
}

#[test]
fn forecast_is_byte_identical_across_runs() {
    let a = stdout(&["forecast", SMALL, "--format", "json"]);
    let b = stdout(&["forecast", SMALL, "--format", "json"]);
    assert_eq!(a, b);
    let v: Value = serde_json::from_str(&a).unwrap();
    assert!(v["forecasts"].as_array().unwrap().len() >= 5);
}

#[test]
fn table_shows_outcome_and_error() {
    let text = stdout(&["forecast", SMALL]);
    assert!(text.contains("known outcome: 10.00 %"), "{text}");
    assert!(text.contains("reference"), "{text}");
    assert!(text.contains("+30.00"), "{text}");
}

#[test]
fn convert_round_trips_native_toml() {
    let once = stdout(&["convert", SMALL, "--to", "toml"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("once.toml");
    std::fs::write(&path, &once).unwrap();
    let twice = stdout(&["convert", path.to_str().unwrap(), "--to", "toml"]);
    assert_eq!(once, twice);
    let a = stdout(&["forecast", SMALL, "--format", "json"]);
    let b = stdout(&["forecast", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(a, b, "the converted file forecasts the same");
}

#[test]
fn convert_deu_writes_one_file_per_issue() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deu");
    pactum()
        .args(["convert", DEU, "--to", "toml", "--output-dir"])
        .arg(&out)
        .assert()
        .success();
    let n = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(n, 172);
    let one = out.join("d00062i1.toml");
    let toml = std::fs::read_to_string(&one).unwrap();
    assert!(toml.contains("value = 90.0"), "outcome kept: {toml}");
    let text = stdout(&[
        "forecast",
        one.to_str().unwrap(),
        "--model",
        "reference",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(
        v["issues"].as_array().unwrap().is_empty(),
        "this row has no reference point"
    );
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.toml");
    pactum()
        .args(["convert", SMALL, "-o"])
        .arg(&path)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("[[stances]]")
    );
    // A bad input leaves no file behind.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "title = 1").unwrap();
    let target = dir.path().join("never.toml");
    pactum()
        .args(["convert", bad.to_str().unwrap(), "-o"])
        .arg(&target)
        .assert()
        .code(2);
    assert!(!target.exists());
}

#[test]
fn models_lists_the_baselines() {
    let text = stdout(&["models"]);
    for m in ["compromise", "median", "mean", "median-actor", "reference"] {
        assert!(
            text.lines().any(|l| l.starts_with(m)),
            "{m} missing: {text}"
        );
    }
}

const EMISSION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../cases/emission-1994.toml"
);

#[test]
fn explain_bdm_round_names_offers_and_moves() {
    let text = stdout(&["forecast", EMISSION, "--model", "bdm", "--explain", "1"]);
    assert!(
        text.starts_with("Round 1 of issue `emission-delay`"),
        "{text}"
    );
    assert!(
        text.contains("greece moved from 7.000 years to 9.530 years"),
        "{text}"
    );
    assert!(text.contains("[taken]"), "{text}");
    let out = pactum()
        .args(["forecast", EMISSION, "--model", "bdm", "--explain", "99"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stopped after 3 round(s)"));
}

#[test]
fn explain_needs_one_model() {
    pactum()
        .args(["forecast", EMISSION, "--explain"])
        .assert()
        .code(2);
}

const FLAGSHIP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../cases/us-japan-2014.toml"
);

#[test]
fn explain_exchange_lists_package_deals_as_sentences() {
    let text = stdout(&[
        "forecast",
        FLAGSHIP,
        "--model",
        "exchange",
        "--explain",
        "1",
    ]);
    assert!(text.starts_with("Round 1: "), "{text}");
    assert!(
        text.contains(" moves ") && text.contains(" toward ") && text.contains("gains"),
        "{text}"
    );
    let beef = stdout(&[
        "forecast",
        FLAGSHIP,
        "--model",
        "exchange",
        "--explain",
        "1",
        "--issue",
        "beef-tariff",
    ]);
    for line in beef.lines().skip(1) {
        assert!(line.contains("beef-tariff"), "{line}");
    }
}

const SOE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/cases/ktab/SOE-Pol-Comp.csv"
);

#[test]
fn flagship_forecast_shows_smp_beside_the_other_models() {
    let out = pactum().args(["forecast", FLAGSHIP]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("skipped"), "{stderr}");
    let text = String::from_utf8(out.stdout).unwrap();
    // one smp line under each of the five issues
    let smp = text
        .lines()
        .filter(|l| l.trim_start().starts_with("smp "))
        .count();
    assert_eq!(smp, 5, "{text}");
}

#[test]
fn smp_history_csv_lists_actors_without_a_stance_on_the_first_issue() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.csv");
    stdout(&[
        "forecast",
        FLAGSHIP,
        "--model",
        "smp",
        "--history",
        path.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(&path).unwrap();
    // USTR has no stance on g20-fx (the first issue): an empty cell, then its TPP positions
    let ustr = csv
        .lines()
        .find(|l| l.starts_with("0,ustr,"))
        .expect("ustr row");
    assert!(ustr.starts_with("0,ustr,,3,30,175000,,"), "{ustr}");
    assert_eq!(csv.lines().filter(|l| l.starts_with("0,")).count(), 23);
}

#[test]
fn smp_history_csv_has_a_row_per_turn_and_actor() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.csv");
    let text = stdout(&[
        "forecast",
        SOE,
        "--model",
        "smp",
        "--format",
        "json",
        "--history",
        path.to_str().unwrap(),
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    let turns = v["issues"][0]["rounds"].as_array().unwrap().len();
    let csv = std::fs::read_to_string(&path).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("turn,actor,policy,competitive,win_probability")
    );
    assert_eq!(lines.count(), turns * 13);
    // The first row repeats the coded input: Xi Jinping at 30 (policy) and 20 (competitive).
    assert!(csv.lines().nth(1).unwrap().starts_with("0,XJ,30,20,"));
}

#[test]
fn the_comparators_are_listed_run_on_deu_rows_and_refuse_the_flagship() {
    let text = stdout(&["models"]);
    for m in ["nash", "kalai-smorodinsky", "procedural"] {
        assert!(text.lines().any(|l| l.starts_with(m)), "{m} missing");
    }
    // One DEU row with a reference point (n00250i3, sugar, consultation, QMV, 4 Oct 2000): the
    // procedure, rule and date come from its columns.
    let raw = std::fs::read_to_string(DEU).unwrap();
    let mut lines = raw.lines();
    let head = lines.next().unwrap();
    let row = lines
        .find(|l| l.contains("\"n00250i3\""))
        .expect("row n00250i3");
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.tsv");
    std::fs::write(&one, format!("{head}\n{row}\n")).unwrap();
    let one = one.to_str().unwrap();
    let v: Value = serde_json::from_str(&stdout(&[
        "forecast",
        one,
        "--model",
        "procedural",
        "--format",
        "json",
    ]))
    .unwrap();
    let params = v["parameters"].as_array().unwrap();
    for (k, want) in [
        ("procedure", "consultation"),
        ("rule", "qmv"),
        ("date", "2000-10-04"),
    ] {
        assert!(
            params.iter().any(|p| p[0] == k && p[1] == want),
            "{k}: {params:?}"
        );
    }
    let table = stdout(&["forecast", one]);
    for m in ["nash", "kalai-smorodinsky", "procedural"] {
        assert!(
            table.lines().any(|l| l.trim_start().starts_with(m)),
            "{m}: {table}"
        );
    }
    // The flagship has no procedure: skipped with the reason, or refused when named.
    let flagship = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../cases/us-japan-2014.toml"
    );
    let out = pactum().args(["forecast", flagship]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("model procedural skipped") && err.contains("procedure"),
        "{err}"
    );
    let out = pactum()
        .args(["forecast", flagship, "--model", "procedural"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("[models.procedural]"));
}
