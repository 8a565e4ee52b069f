//! `pactum convert --to xlsx`, `pactum new --xlsx` and reading workbooks and case libraries
//! from the command line.

use assert_cmd::Command;

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
