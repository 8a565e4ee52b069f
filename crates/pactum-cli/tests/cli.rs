//! End-to-end behaviour of the `pactum` commands on good input.

use assert_cmd::Command;
use serde_json::Value;

const SMALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small.toml");
const DEU: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/deu3/deu3-dev.tsv"
);

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

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
    assert!(!stderr.contains("model smp skipped"), "{stderr}");
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

// Workbooks (`convert --to xlsx`, `new --xlsx`) and schelling case libraries.

#[test]
fn every_shipped_case_converts_to_xlsx_and_back_with_the_same_forecasts() {
    let dir = tempfile::tempdir().unwrap();
    for case in [
        "us-japan-2014",
        "emission-1994",
        "soe-2014",
        "cop15-copenhagen",
    ] {
        let toml = format!("{ROOT}/cases/{case}.toml");
        let xlsx = dir.path().join(format!("{case}.xlsx"));
        let xlsx = xlsx.to_str().unwrap();
        stdout(&["convert", &toml, "--to", "xlsx", "-o", xlsx]);
        let bytes = std::fs::read(xlsx).unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"), "{case}: a zip workbook");
        assert_eq!(
            stdout(&["convert", xlsx, "--to", "toml"]),
            stdout(&["convert", &toml, "--to", "toml"]),
            "{case}: TOML -> XLSX -> TOML"
        );
        assert_eq!(
            stdout(&["forecast", xlsx, "--format", "json"]),
            stdout(&["forecast", &toml, "--format", "json"]),
            "{case}: every model's forecast"
        );
        let again = dir.path().join("again.xlsx");
        stdout(&[
            "convert",
            xlsx,
            "--to",
            "xlsx",
            "-o",
            again.to_str().unwrap(),
        ]);
        assert_eq!(
            std::fs::read(&again).unwrap(),
            bytes,
            "{case}: byte-identical"
        );
    }
}

#[test]
fn new_xlsx_writes_a_template_that_validates_and_forecasts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("start.xlsx");
    let p = path.to_str().unwrap();
    pactum().args(["new", "--xlsx", p]).assert().success();
    let out = stdout(&["validate", p]);
    assert!(out.contains("(xlsx)") && out.contains("2 actors"), "{out}");
    assert!(stdout(&["forecast", p]).contains("the-issue"));
    pactum().args(["new", "--xlsx", p]).assert().code(2);
}

#[test]
fn workbook_errors_name_the_cell_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("case.xlsx");
    let x = xlsx.to_str().unwrap();
    stdout(&[
        "convert",
        &format!("{ROOT}/cases/emission-1994.toml"),
        "--to",
        "xlsx",
        "-o",
        x,
    ]);
    // Truncate the archive: a workbook that does not open.
    let bytes = std::fs::read(&xlsx).unwrap();
    std::fs::write(&xlsx, &bytes[..bytes.len() / 2]).unwrap();
    let out = pactum().args(["validate", x]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("case.xlsx") && err.contains("workbook"),
        "{err}"
    );
}

#[test]
fn convert_refuses_unknown_targets_and_writes_libraries_one_file_per_case() {
    let small = format!("{ROOT}/cases/emission-1994.toml");
    let out = pactum()
        .args(["convert", &small, "--to", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`xlsx`"));

    let dir = tempfile::tempdir().unwrap();
    let lib = format!("{ROOT}/testdata/formats/schelling-library.json");
    let out_dir = dir.path().join("lib");
    pactum()
        .args(["convert", &lib, "--to", "xlsx", "--output-dir"])
        .arg(&out_dir)
        .assert()
        .success();
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "q-1994-emissions-widened.xlsx",
            "q-1994-emissions.xlsx",
            "q-soe-policy.xlsx"
        ]
    );
}
