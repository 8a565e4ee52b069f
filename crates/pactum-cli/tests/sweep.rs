//! `pactum sweep` end to end: the grid, repetitions, failures as rows, and the same table on
//! one thread or two.

use assert_cmd::Command;

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../cases");
const EMISSION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../cases/emission-1994.toml"
);

fn sweep(args: &[&str], threads: &str) -> (bool, String, String) {
    let out = Command::cargo_bin("pactum")
        .unwrap()
        .arg("sweep")
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn grid_points_and_outcomes_become_rows() {
    let (ok, csv, err) = sweep(&[EMISSION, "-m", "bdm", "--grid", "q=0.5:1:0.25"], "2");
    assert!(ok, "{err}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "scenario,model,preset,parameters,repetition,issue,forecast,outcome,error,failure"
    );
    assert_eq!(lines.len(), 4, "{csv}");
    for (line, q) in lines[1..].iter().zip(["q=0.5", "q=0.75", "q=1"]) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f[1], "bdm");
        assert_eq!(f[3], q);
        let forecast: f64 = f[6].parse().unwrap();
        let outcome: f64 = f[7].parse().unwrap();
        let error: f64 = f[8].parse().unwrap();
        assert_eq!(outcome, 8.833);
        assert!((forecast - outcome - error).abs() < 1e-12);
    }
    // q = 1 is the default: the same forecast as `pactum forecast` (schelling's 9.530).
    let last: Vec<&str> = lines[3].split(',').collect();
    assert!((last[6].parse::<f64>().unwrap() - 9.530).abs() < 5e-4);
}

#[test]
fn seeded_models_repeat_and_failures_are_rows_not_aborts() {
    let args = [
        CASES,
        "-m",
        "exchange",
        "-m",
        "bdm",
        "--grid",
        "rate=random",
        "--repetitions",
        "2",
    ];
    let (ok, one, err) = sweep(&args, "1");
    assert!(ok, "{err}");
    let (_, two, _) = sweep(&args, "2");
    assert_eq!(one, two, "the table depends on the thread count");
    // Repetitions 0 and 1 of the random-rate exchange differ somewhere.
    let reps = |r: &str| -> Vec<String> {
        one.lines()
            .filter(|l| l.contains(",exchange,,rate=random,") && l.split(',').nth(4) == Some(r))
            .map(|l| l.split(',').nth(6).unwrap().to_string())
            .collect()
    };
    assert!(!reps("0").is_empty());
    assert_ne!(reps("0"), reps("1"));
    // bdm has no `rate` and no seed: it runs once per scenario, with no parameters.
    assert!(one.lines().any(|l| l.contains(",bdm,,,0,")));
    assert!(!one.lines().any(|l| l.contains(",bdm,,,1,")));
}

#[test]
fn a_grid_parameter_no_model_has_is_a_usage_error() {
    let (ok, out, err) = sweep(&[EMISSION, "-m", "bdm", "--grid", "qq=1,2"], "1");
    assert!(!ok);
    assert!(out.is_empty());
    assert!(err.contains("qq"), "{err}");
    let (ok, _, err) = sweep(&[EMISSION, "-m", "bdm", "--grid", "q=1:0:1"], "1");
    assert!(!ok);
    assert!(err.contains("stop"), "{err}");
}
