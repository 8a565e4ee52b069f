//! Every class of bad input exits with code 2 and a message naming the place.

use assert_cmd::Command;
use std::path::PathBuf;

const GOOD: &str = include_str!("fixtures/small.toml");

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Runs `pactum validate` and `pactum forecast` on `bytes`; both must exit 2 with every
/// needle in standard error, and print nothing on standard output.
fn rejects(name: &str, bytes: &[u8], needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, name, bytes);
    for cmd in ["validate", "forecast"] {
        let out = Command::cargo_bin("pactum")
            .unwrap()
            .arg(cmd)
            .arg(&path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd} {name}: stderr: {err}");
        assert!(
            out.stdout.is_empty(),
            "{cmd} {name}: printed output on failure"
        );
        for n in needles {
            assert!(err.contains(n), "{cmd} {name}: `{n}` not in: {err}");
        }
        assert!(!err.contains("panicked"), "{cmd} {name}: panic: {err}");
    }
}

#[test]
fn good_fixture_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "good.toml", GOOD.as_bytes());
    Command::cargo_bin("pactum")
        .unwrap()
        .arg("validate")
        .arg(&path)
        .assert()
        .success();
}

#[test]
fn unknown_key() {
    let bad = GOOD.replacen("position = 0", "positon = 0", 1);
    rejects(
        "k.toml",
        bad.as_bytes(),
        &["k.toml:29:1", "unknown field `positon`"],
    );
}

#[test]
fn duplicate_actor_id() {
    let bad = GOOD.replacen("id = \"b\"", "id = \"a\"", 1);
    rejects(
        "d.toml",
        bad.as_bytes(),
        &["d.toml:10:1", "duplicate actor id `a`"],
    );
}

#[test]
fn stance_for_unknown_actor() {
    let bad = GOOD.replacen("actor = \"c\"", "actor = \"zeta\"", 1);
    rejects(
        "u.toml",
        bad.as_bytes(),
        &["u.toml:39:1", "field `actor`", "unknown actor `zeta`"],
    );
}

#[test]
fn salience_outside_its_scale() {
    let bad = GOOD.replacen("salience = 1.0", "salience = 80", 1);
    rejects(
        "s.toml",
        bad.as_bytes(),
        &[
            "s.toml:36:1",
            "salience",
            "outside [0, 1]",
            "salience_scale = 100",
        ],
    );
}

#[test]
fn position_outside_the_scale() {
    let bad = GOOD.replacen("position = 40", "position = 45", 1);
    rejects(
        "p.toml",
        bad.as_bytes(),
        &["p.toml:35:1", "position 45 is outside [0, 40]"],
    );
}

#[test]
fn range_low_above_high() {
    let bad = GOOD.replacen(
        "{ low = 0.2, mode = 0.4, high = 0.6 }",
        "{ low = 0.6, mode = 0.4, high = 0.2 }",
        1,
    );
    rejects(
        "r.toml",
        bad.as_bytes(),
        &["r.toml:42:1", "low <= mode <= high"],
    );
}

#[test]
fn nan_and_infinity() {
    let bad = GOOD.replacen("position = 0", "position = nan", 1);
    rejects(
        "n.toml",
        bad.as_bytes(),
        &["n.toml:29:1", "position", "finite"],
    );
    let bad = GOOD.replacen("capability = 2", "capability = inf", 1);
    rejects(
        "i.toml",
        bad.as_bytes(),
        &["i.toml:7:1", "capability", "finite"],
    );
}

#[test]
fn empty_scenario() {
    rejects("e.toml", b"title = \"nothing\"\n", &["e.toml", "no actors"]);
    rejects("e2.toml", b"", &["e2.toml", "the file is empty"]);
}

#[test]
fn one_actor() {
    let end = GOOD.find("[[stances]]\nactor = \"b\"").unwrap();
    let bad = &GOOD[..end];
    rejects(
        "o.toml",
        bad.as_bytes(),
        &["o.toml:19", "1 stance(s)", "at least two actors"],
    );
}

#[test]
fn all_saliences_zero() {
    let bad = GOOD
        .replace("salience = 0.5", "salience = 0")
        .replace("salience = 1.0", "salience = 0")
        .replace("{ low = 0.2, mode = 0.4, high = 0.6 }", "0");
    rejects("z.toml", bad.as_bytes(), &["z.toml:19", "zero salience"]);
}

#[test]
fn bad_utf8() {
    let mut bytes = GOOD.as_bytes().to_vec();
    let at = GOOD.find("Gamma").unwrap();
    bytes[at] = 0xff;
    rejects("b.toml", &bytes, &["b.toml:16:9", "not valid UTF-8"]);
}

#[test]
fn missing_file_is_an_input_error() {
    let out = Command::cargo_bin("pactum")
        .unwrap()
        .args(["forecast", "no/such/file.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.toml"));
}

#[test]
fn unknown_model_and_parameter_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "g.toml", GOOD.as_bytes());
    let out = Command::cargo_bin("pactum")
        .unwrap()
        .args(["forecast", "--model", "oracle"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown model `oracle`"));
    let out = Command::cargo_bin("pactum")
        .unwrap()
        .args(["forecast", "--model", "compromise", "--set", "q=1"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("parameter `q`"));
}

#[test]
fn wrong_column_count_in_deu_row_is_reported_and_skipped() {
    let text = "\"isnr\"\t\"pcom\"\t\"scom\"\t\"pep\"\t\"sep\"\t\"rp\"\t\"out\"\n\
                \"i1\"\t10\t50\t90\t50\t0\t40\n\
                \"i2\"\t10\t50\t90\n";
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "w.tsv", text.as_bytes());
    let out = Command::cargo_bin("pactum")
        .unwrap()
        .arg("validate")
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("w.tsv:3: row has 4 columns; the header has 7"),
        "{err}"
    );
    assert!(err.contains("1 row(s) skipped"), "{err}");
}

#[test]
fn wrong_column_count_in_a_table() {
    let text = "actor,capability,position,salience\nA,1,4,0.5\nB,1,7\nC,2,9,0.3\n";
    rejects(
        "t.csv",
        text.as_bytes(),
        &["t.csv:3", "3 field(s); the header has 4"],
    );
}

#[test]
fn wrong_column_count_in_ktab_csv() {
    let text = "Scen,desc, 2, 1,\nActor,Description,Power,X Position,X Salience,\nA,a,10,20,30,\nB,b,10,40,\n";
    rejects("k.csv", text.as_bytes(), &["k.csv:4", "field(s); expected"]);
}

const KTAB_HEAD: &str =
    "Actor, Description, Power, X Position, X Salience,\nA, a, 1, 10, 50,\nB, b, 2, 20, 50,\n";

#[test]
fn ktab_count_beyond_the_integer_limits() {
    // 2^63 overflowed the column count and panicked (exit 101).
    let t = format!("T, d, 2, 9223372036854775808,\n{KTAB_HEAD}");
    rejects(
        "k.csv",
        t.as_bytes(),
        &["k.csv:1:10", "field `nDims`", "9223372036854775808"],
    );
    let t = format!("T, d, 9223372036854775808, 1,\n{KTAB_HEAD}");
    rejects("k.csv", t.as_bytes(), &["k.csv:1:7", "field `nActors`"]);
    let t = format!("T, d, 2, 18446744073709551616,\n{KTAB_HEAD}");
    rejects(
        "k.csv",
        t.as_bytes(),
        &["k.csv:1:10", "field `nDims`", "whole number"],
    );
    let t = format!("T, d, -1, 1,\n{KTAB_HEAD}");
    rejects("k.csv", t.as_bytes(), &["k.csv:1:7", "field `nActors`"]);
}

#[test]
fn scale_whose_width_overflows() {
    let bad = GOOD.replacen("lo = 0, hi = 40", "lo = -1e308, hi = 1e308", 1);
    rejects(
        "w.toml",
        bad.as_bytes(),
        &["w.toml:22:1", "field `scale`", "width"],
    );
}

#[test]
fn capabilities_whose_weighted_sum_overflows() {
    let bad = GOOD
        .replacen("capability = 2\n", "capability = 1.7e308\n", 1)
        .replacen("capability = 1\n", "capability = 1.7e308\n", 1);
    rejects(
        "c.toml",
        bad.as_bytes(),
        &["c.toml:19:1", "field `stances.capability`", "overflow"],
    );
}
