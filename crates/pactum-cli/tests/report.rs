//! `pactum report`: writes one self-contained HTML file, byte-identical across runs, and
//! writes nothing on bad input.

use assert_cmd::Command;
use std::path::Path;

const SMALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small.toml");

fn pactum() -> Command {
    Command::cargo_bin("pactum").unwrap()
}

fn report(args: &[&str], out: &Path) -> std::process::Output {
    pactum()
        .arg("report")
        .args(args)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn report_writes_a_self_contained_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let run = report(&[SMALL], &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("A small test case"));
    assert!(html.contains("Alpha") && html.contains("Gamma"));
    assert!(html.contains("outcome 10.00%"));
    for model in ["compromise", "median", "mean", "median-actor", "reference"] {
        assert!(
            html.contains(&format!("<th scope=\"row\">{model}</th>")),
            "{model}"
        );
    }
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(html.contains("<dt>Scenario file</dt><dd>small.toml</dd>"));
}

#[test]
fn report_is_byte_identical_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.html");
    let b = dir.path().join("b.html");
    assert!(report(&[SMALL], &a).status.success());
    assert!(report(&[SMALL], &b).status.success());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn chosen_models_and_date_appear() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let run = report(&[SMALL, "--model", "median", "--date", "2026-01-02"], &out);
    assert!(run.status.success());
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<th scope=\"row\">median</th>"));
    assert!(!html.contains("<th scope=\"row\">compromise</th>"));
    assert!(html.contains("<dt>Generated</dt><dd>2026-01-02</dd>"));
}

#[test]
fn draws_and_levers_fill_their_sections_reproducibly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let args = [
        SMALL,
        "--model",
        "compromise",
        "--draws",
        "500",
        "--seed",
        "7",
        "--levers",
        "a",
    ];
    let run = report(&args, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("Histogram of 500 draws of the compromise forecast on tariff"),
        "no histogram"
    );
    assert!(
        html.contains("id=\"levers") || html.contains(">Levers<"),
        "no levers section"
    );
    assert!(!html.contains("not computed"), "a section was left out");
    let again = dir.path().join("r2.html");
    assert!(report(&args, &again).status.success());
    assert_eq!(html, std::fs::read_to_string(&again).unwrap());
}

#[test]
fn actor_named_script_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("evil.toml");
    let text = std::fs::read_to_string(SMALL)
        .unwrap()
        .replace("name = \"Alpha\"", "name = \"<script>alert(1)</script>\"");
    std::fs::write(&scenario, text).unwrap();
    let out = dir.path().join("r.html");
    let run = report(&[scenario.to_str().unwrap()], &out);
    assert!(run.status.success());
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

/// Exit 2, a message on standard error, and no file (not even a partial one).
fn fails_without_file(args: &[&str], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let run = report(args, &out);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(needle), "`{needle}` not in: {err}");
    assert!(!out.exists(), "{args:?} wrote a file");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "{args:?} left a temporary file"
    );
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "title = \"x\"\n[[actors]]\nid = \"a\"\ncapability = -1\n",
    )
    .unwrap();
    fails_without_file(&[bad.to_str().unwrap()], "bad.toml");
    fails_without_file(&["/no/such/file.toml"], "cannot read");
    fails_without_file(&[SMALL, "--model", "no-such-model"], "no-such-model");
    fails_without_file(&[SMALL, "--draws", "0"], "--draws");
}

#[test]
fn output_is_required() {
    let run = pactum().args(["report", SMALL]).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn shipped_cases_render() {
    let cases = concat!(env!("CARGO_MANIFEST_DIR"), "/../../cases");
    for (file, issues) in [
        (
            "us-japan-2014.toml",
            &[
                "g20-fx",
                "beef-tariff",
                "car-tariff",
                "rice-quota",
                "collective-self-defense",
            ][..],
        ),
        ("emission-1994.toml", &["emission-delay"][..]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.html");
        let path = format!("{cases}/{file}");
        let run = report(&[&path], &out);
        assert!(
            run.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let html = std::fs::read_to_string(&out).unwrap();
        for id in issues {
            assert!(
                html.contains(&format!("<section class=\"issue\" id=\"issue-{id}\">")),
                "{file}: no section for {id}"
            );
            assert!(
                html.contains(&format!("Positions and forecasts on {id}")),
                "{file}: no position map for {id}"
            );
        }
        assert!(!html.contains("NaN") && !html.contains("inf<"), "{file}");
        let again = dir.path().join("again.html");
        assert!(report(&[&path], &again).status.success());
        assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
    }
}

#[test]
fn backtest_tables_score_the_reports_models_on_a_dataset() {
    let deu = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/deu3/deu3-dev.tsv"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let args = [
        SMALL,
        "--model",
        "compromise",
        "--model",
        "median",
        "--backtest",
        deu,
    ];
    let run = report(&args, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("167 issues with an outcome in 69 proposals"),
        "no backtest table"
    );
    assert!(html.contains("Procedure COD (101 issues)"));
    assert!(html.contains("Procedure CNS (66 issues)"));
    let again = dir.path().join("r2.html");
    assert!(report(&args, &again).status.success());
    assert_eq!(html, std::fs::read_to_string(&again).unwrap());
}
