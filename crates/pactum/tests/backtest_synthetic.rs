//! Backtests on data with a known answer: synthetic proposals whose outcomes follow a stated
//! rule, and a small native scenario scored in its own units.

use pactum::backtest::{self, Dataset, Options, Validation};
use pactum::{Actor, Estimate, Issue, Outcome, Scale, Scenario, Stance};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `groups` random proposals (1–3 issues, 4–9 actors, 0–100 scale) whose outcome is
/// `(1 − λ) · compromise + λ · reference`.
fn synthetic(groups: usize, lambda: f64, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut scenarios = Vec::new();
    for g in 0..groups {
        let n_actors = rng.random_range(4..10);
        let actors: Vec<Actor> = (0..n_actors)
            .map(|a| Actor {
                id: format!("a{a}"),
                name: String::new(),
                capability: Estimate::point(rng.random_range(1.0..10.0)),
                group: None,
                sources: vec![],
                notes: None,
                origin: Default::default(),
            })
            .collect();
        let mut issues = Vec::new();
        let mut stances = Vec::new();
        for i in 0..rng.random_range(1..4) {
            let id = format!("p{g}i{i}");
            let reference: f64 = rng.random_range(0.0..100.0);
            let (mut wx, mut w) = (0.0, 0.0);
            for a in &actors {
                let x: f64 = rng.random_range(0.0..100.0);
                let s: f64 = rng.random_range(0.1..1.0);
                wx += a.capability.mode * s * x;
                w += a.capability.mode * s;
                stances.push(Stance {
                    actor: a.id.clone(),
                    issue: id.clone(),
                    position: Estimate::point(x),
                    salience: Estimate::point(s),
                    capability: None,
                    sources: vec![],
                    notes: None,
                    origin: Default::default(),
                });
            }
            let mut issue = Issue::new(id, Scale::new(0.0, 100.0).with_unit("0-100"));
            issue.reference_point = Some(reference);
            issue.outcome = Some(Outcome {
                value: (1.0 - lambda) * wx / w + lambda * reference,
                date: None,
                sources: vec![],
                notes: None,
            });
            issues.push(issue);
        }
        let s = Scenario {
            title: format!("synthetic {g}"),
            actors,
            issues,
            stances,
            ..Scenario::default()
        };
        s.validate().expect("synthetic scenario is valid");
        scenarios.push((format!("p{g}"), s));
    }
    Dataset::from_scenarios("synthetic", scenarios)
}

/// The baselines with cross-validation: the registry's iterative models are slow in debug
/// builds and have their own tests.
fn baselines() -> Options {
    Options {
        runs: backtest::ModelRun::for_models(&pactum::models::baselines()),
        ..Options::default()
    }
}

fn mae(r: &backtest::Report, model: &str) -> f64 {
    r.models
        .iter()
        .find(|m| m.model == model)
        .and_then(|m| m.mae)
        .unwrap()
}

#[test]
fn outcomes_equal_to_the_compromise_give_it_zero_error() {
    let d = synthetic(30, 0.0, 1);
    let r = backtest::run(
        &d,
        &Options {
            validation: Validation::None,
            ..baselines()
        },
    )
    .unwrap();
    assert!(mae(&r, "compromise") < 1e-9);
    assert!(mae(&r, "median") > 1.0);
    assert!(mae(&r, "reference") > 10.0);
    let m = r.models.iter().find(|m| m.model == "median").unwrap();
    let i = m.mae_minus_compromise.unwrap();
    assert!(
        i.lo.unwrap() > 0.0,
        "the median is worse, and the interval says so: {i:?}"
    );
}

#[test]
fn cross_validation_recovers_a_known_shrinkage() {
    let d = synthetic(40, 0.3, 2);
    let r = backtest::run(&d, &baselines()).unwrap();
    let t = r.tuned.clone().unwrap();
    for f in &t.folds {
        assert_eq!(
            f.parameters,
            vec!["lambda=0.3", "salience_exponent=1"],
            "fold {}",
            f.fold
        );
    }
    let held_out = t.score.mae.unwrap();
    assert!(held_out < 1e-9, "held-out MAE {held_out}");
    assert!(mae(&r, "compromise") > 1.0);
    let i = t.score.mae_minus_compromise.unwrap();
    assert!(
        i.hi.unwrap() < 0.0,
        "the tuned model is better, and the interval says so: {i:?}"
    );
}

#[test]
fn fit_then_score_recovers_the_shrinkage_on_new_proposals() {
    let fit = synthetic(20, 0.6, 3);
    let score = synthetic(15, 0.6, 4);
    // Proposal ids of the two synthetic sets overlap by construction (p0, p1, …): rename.
    let mut score = score;
    for g in &mut score.groups {
        g.id = format!("new-{}", g.id);
    }
    for c in &mut score.cases {
        c.proposal = format!("new-{}", c.proposal);
    }
    let options = Options {
        validation: Validation::FitOn(Box::new(fit)),
        ..baselines()
    };
    let t = backtest::run(&score, &options).unwrap().tuned.unwrap();
    assert_eq!(
        t.folds[0].parameters,
        vec!["lambda=0.6", "salience_exponent=1"]
    );
    assert!(t.score.mae.unwrap() < 1e-9);
}

const NATIVE: &str = r#"
title = "Tariff talks (test)"

[[actors]]
id = "a"
capability = 3

[[actors]]
id = "b"
capability = 1

[[issues]]
id = "tariff"
scale = { lo = 0, hi = 40, unit = "%" }
reference_point = 40
outcome = { value = 10 }

[[issues]]
id = "quota"
scale = { lo = 100, hi = 300, unit = "kt" }
outcome = { value = 250 }

[[issues]]
id = "pending"
scale = { lo = 0, hi = 1 }

[[stances]]
actor = "a"
issue = "tariff"
position = 0
salience = 1

[[stances]]
actor = "b"
issue = "tariff"
position = 40
salience = 1

[[stances]]
actor = "a"
issue = "quota"
position = 300
salience = 0.5

[[stances]]
actor = "b"
issue = "quota"
position = 100
salience = 0.5

[[stances]]
actor = "a"
issue = "pending"
position = 0
salience = 1

[[stances]]
actor = "b"
issue = "pending"
position = 1
salience = 1
"#;

#[test]
fn a_native_scenario_is_scored_in_its_units_and_on_0_100() {
    let loaded = pactum::io::read("talks.toml", NATIVE.as_bytes(), None).unwrap();
    let d = Dataset::from_scenarios(
        "talks.toml",
        loaded
            .scenarios
            .into_iter()
            .map(|s| ("talks".to_string(), s))
            .collect(),
    );
    assert_eq!((d.cases.len(), d.unscored.len()), (2, 1));
    let r = backtest::run(
        &d,
        &Options {
            validation: Validation::None,
            ..baselines()
        },
    )
    .unwrap();
    let row = |issue: &str, model: &str| {
        r.rows
            .iter()
            .find(|x| x.issue == issue && x.model == model)
            .unwrap()
            .clone()
    };
    // Compromise on the tariff: (3·0 + 1·40) / 4 = 10 % → exact.
    let t = row("tariff", "compromise");
    assert_eq!(
        (t.forecast, t.abs_error, t.abs_error_100),
        (Some(10.0), Some(0.0), Some(0.0))
    );
    // Quota: (3·300 + 1·100) / 4 = 250 kt → exact; the median is 300 kt: 50 kt = 25 points.
    let q = row("quota", "median");
    assert_eq!(
        (q.forecast, q.abs_error, q.abs_error_100),
        (Some(300.0), Some(50.0), Some(25.0))
    );
    assert_eq!(q.unit, "kt");
    // Reference point: tariff 40 % vs 10 % = 30 % = 75 points; quota has none (not forecast).
    let rp = row("tariff", "reference");
    assert_eq!((rp.abs_error, rp.abs_error_100), (Some(30.0), Some(75.0)));
    assert_eq!(row("quota", "reference").forecast, None);
    let reference = r.models.iter().find(|m| m.model == "reference").unwrap();
    assert_eq!((reference.n, reference.n_missing), (1, 1));
    let text = backtest::render::issues_table(&r);
    assert!(text.contains("quota") && text.contains("kt"));
    assert!(backtest::render::table(&r).contains("Not scored, no outcome (1): pending"));
}

#[test]
fn a_folder_of_native_scenarios_loads_in_name_order() {
    let dir = std::env::temp_dir().join(format!("pactum-backtest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("b.toml"), NATIVE).unwrap();
    std::fs::write(
        dir.join("a.toml"),
        NATIVE.replace("Tariff talks", "Other talks"),
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not a scenario").unwrap();
    let d = backtest::load(&dir, backtest::DeuOptions::new(backtest::Capability::Equal)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let ids: Vec<&str> = d.groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(d.cases.len(), 4);
}

/// A model that only takes single-issue scenarios, to see failures reported.
struct SingleIssueOnly;

impl pactum::Model for SingleIssueOnly {
    fn name(&self) -> &'static str {
        "single-only"
    }
    fn summary(&self) -> &'static str {
        "test model: the first actor's position, single-issue scenarios only"
    }
    fn solve(
        &self,
        _: &pactum::Snapshot,
        _: &pactum::Params,
    ) -> Result<pactum::Forecast, pactum::ModelError> {
        Err(pactum::ModelError::Unsuitable("not used".into()))
    }
    fn forecast_values(
        &self,
        snap: &pactum::Snapshot,
        _: &pactum::Params,
    ) -> Result<Vec<Option<f64>>, pactum::ModelError> {
        if snap.issues.len() > 1 {
            return Err(pactum::ModelError::Unsuitable("one issue only".into()));
        }
        Ok(snap
            .issues
            .iter()
            .map(|d| d.position.first().copied())
            .collect())
    }
}

#[test]
fn any_model_is_scored_and_its_failures_are_reported() {
    static MODEL: SingleIssueOnly = SingleIssueOnly;
    let multi = synthetic(12, 0.0, 9);
    let single: Vec<usize> = (0..multi.groups.len())
        .filter(|g| multi.groups[*g].scenario.issues.len() == 1)
        .collect();
    let n_multi_cases = multi
        .cases
        .iter()
        .filter(|c| multi.groups[c.group].scenario.issues.len() > 1)
        .count();
    assert!(!single.is_empty() && n_multi_cases > 0);
    let options = Options {
        runs: backtest::ModelRun::for_models(&[&MODEL]),
        validation: Validation::None,
        ..baselines()
    };
    let r = backtest::run(&multi, &options).unwrap();
    let s = r.models.iter().find(|m| m.model == "single-only").unwrap();
    assert_eq!(s.n_missing, n_multi_cases);
    assert_eq!(s.n + s.n_missing, multi.cases.len());
    assert_eq!(s.failures.len(), multi.groups.len() - single.len());
    assert!(s.failures[0].contains("one issue only"));
    assert!(backtest::render::table(&r).contains(&format!("({n_multi_cases} not forecast)")));
}

/// One issue on the scale [b, 100·a + b]: every number of a 0–100 coding mapped by x·a + b.
fn rescaled(positions: &[(f64, f64)], outcome: f64, a: f64, b: f64) -> Scenario {
    let map = |x: f64| x * a + b;
    let actors: Vec<Actor> = (0..positions.len())
        .map(|k| Actor {
            id: format!("a{k}"),
            name: String::new(),
            capability: Estimate::point(1.0 + k as f64),
            group: None,
            sources: vec![],
            notes: None,
            origin: Default::default(),
        })
        .collect();
    let stances = positions
        .iter()
        .enumerate()
        .map(|(k, (x, s))| Stance {
            actor: format!("a{k}"),
            issue: "i".into(),
            position: Estimate::point(map(*x)),
            salience: Estimate::point(*s),
            capability: None,
            sources: vec![],
            notes: None,
            origin: Default::default(),
        })
        .collect();
    let mut issue = Issue::new("i", Scale::new(map(0.0), map(100.0)).with_unit("u"));
    issue.reference_point = Some(map(50.0));
    issue.outcome = Some(Outcome {
        value: map(outcome),
        date: None,
        sources: vec![],
        notes: None,
    });
    Scenario {
        actors,
        issues: vec![issue],
        stances,
        ..Scenario::default()
    }
}

proptest::proptest! {
    #[test]
    fn errors_on_0_100_do_not_depend_on_the_units(
        positions in proptest::collection::vec((0.0f64..100.0, 0.05f64..1.0), 2..8),
        outcome in 0.0f64..100.0,
        a in 0.01f64..1000.0,
        b in -1000.0f64..1000.0,
    ) {
        let plain = Dataset::from_scenarios("p", vec![("p".into(), rescaled(&positions, outcome, 1.0, 0.0))]);
        let units = Dataset::from_scenarios("u", vec![("u".into(), rescaled(&positions, outcome, a, b))]);
        let options = Options { validation: Validation::None, replicates: 10, ..baselines() };
        let rp = backtest::run(&plain, &options).unwrap();
        let ru = backtest::run(&units, &options).unwrap();
        for (x, y) in rp.rows.iter().zip(&ru.rows) {
            let (ex, ey) = (x.abs_error_100.unwrap(), y.abs_error_100.unwrap());
            proptest::prop_assert!((ex - ey).abs() < 1e-6, "{}: {ex} vs {ey}", x.model);
            let units_err = y.abs_error.unwrap();
            // Units error = 0–100 error × (hi − lo) / 100 = × a.
            proptest::prop_assert!((units_err - ex * a).abs() < 1e-6 * (1.0 + units_err));
        }
    }
}
