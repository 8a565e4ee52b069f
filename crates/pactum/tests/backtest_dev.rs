//! Backtests on the DEU III dev file (Arregui & Perarnaud 2021, "A new dataset on legislative
//! decision-making in the European Union: the DEU III dataset", doi:10.34810/data53,
//! CC BY 4.0), checked against an independent computation.

use pactum::backtest::{
    self, Capability, Dataset, DeuOptions, Grouping, ModelRun, Options, ParliamentRule, Report,
    Validation, tuning,
};
use pactum::models;

const DEV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/deu3/deu3-dev.tsv"
);

fn dev_text() -> String {
    std::fs::read_to_string(DEV).expect("testdata/deu3/deu3-dev.tsv must exist")
}

fn dev(capability: Capability) -> Dataset {
    Dataset::from_deu("deu3-dev.tsv", &dev_text(), DeuOptions::new(capability))
        .expect("dev file reads")
}

/// The baselines with cross-validation (the default otherwise). The registry's iterative
/// models are slow in debug builds; tests that need them say so.
fn baselines_cv() -> Options {
    Options {
        runs: ModelRun::for_models(&models::baselines()),
        ..Options::default()
    }
}

/// The baselines, no tuned model, 200 bootstrap replicates.
fn quick() -> Options {
    Options {
        validation: Validation::None,
        replicates: 200,
        ..baselines_cv()
    }
}

/// Every registered model and preset, no tuned model, 200 replicates.
fn everything() -> Options {
    Options {
        runs: ModelRun::all(),
        ..quick()
    }
}

fn mae(r: &Report, label: &str) -> f64 {
    r.models
        .iter()
        .find(|m| m.label() == label)
        .and_then(|m| m.mae)
        .unwrap_or_else(|| panic!("no MAE for {label}"))
}

/// The compromise model's MAE computed from the raw file, sharing no code with the reader:
/// split on tabs, strip quotes, capability from line 2 (or 1), salience blank → 50, blank
/// position → actor absent, rows without `out` left out. Returns (MAE, issues, rows left out).
fn independent_compromise_mae(text: &str, equal: bool) -> (f64, usize, usize) {
    const ACTORS: [&str; 30] = [
        "com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el", "hu",
        "ie", "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es", "se", "uk",
    ];
    let clean = |c: &str| c.trim().trim_matches('"').to_string();
    let mut lines = text.lines();
    let head: Vec<String> = lines.next().unwrap().split('\t').map(clean).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let caps_line: Vec<String> = lines.next().unwrap().split('\t').map(clean).collect();
    let (mut sum, mut n, mut no_outcome) = (0.0, 0usize, 0usize);
    for line in lines {
        let cells: Vec<String> = line.split('\t').map(clean).collect();
        let out = &cells[col("out")];
        if out.is_empty() {
            no_outcome += 1;
            continue;
        }
        let out: f64 = out.parse().unwrap();
        let (mut wx, mut w) = (0.0, 0.0);
        for a in ACTORS {
            let p = &cells[col(&format!("p{a}"))];
            if p.is_empty() {
                continue;
            }
            let s = &cells[col(&format!("s{a}"))];
            let s: f64 = if s.is_empty() {
                50.0
            } else {
                s.parse().unwrap()
            };
            let c: f64 = if equal {
                1.0
            } else {
                caps_line[col(&format!("p{a}"))].parse().unwrap()
            };
            wx += c * s * p.parse::<f64>().unwrap();
            w += c * s;
        }
        sum += (wx / w - out).abs();
        n += 1;
    }
    (sum / n as f64, n, no_outcome)
}

#[test]
fn compromise_mae_matches_an_independent_computation() {
    let text = dev_text();
    for (cap, equal) in [(Capability::Gdp, false), (Capability::Equal, true)] {
        let (expected, n, no_outcome) = independent_compromise_mae(&text, equal);
        let r = backtest::run(&dev(cap), &quick()).unwrap();
        assert_eq!((r.n_issues, r.n_unscored, r.n_skipped), (n, no_outcome, 0));
        assert_eq!(
            (n, no_outcome),
            (167, 5),
            "shared README: 172 issues, 167 with an outcome"
        );
        let got = mae(&r, "compromise");
        assert!(
            (got - expected).abs() < 1e-9,
            "{cap}: backtest {got} vs independent {expected}"
        );
    }
}

#[test]
fn the_published_ordering_holds_on_the_dev_file() {
    // Published on the full dataset: compromise ≈ 23, median actor ≈ 28, reference ≈ 51.
    let r = backtest::run(&dev(Capability::Gdp), &quick()).unwrap();
    let c = mae(&r, "compromise");
    assert!((18.0..28.0).contains(&c), "compromise MAE {c}");
    assert!(c < mae(&r, "median") && c < mae(&r, "median-actor"));
    assert!((45.0..60.0).contains(&mae(&r, "reference")));
    // The reference point is absent on some rows: those are counted, not scored.
    let reference = r.models.iter().find(|m| m.model == "reference").unwrap();
    assert_eq!(reference.n + reference.n_missing, 167);
    assert!(reference.n_missing > 0);
}

#[test]
fn the_table_covers_every_registered_model_and_preset() {
    let r = backtest::run(&dev(Capability::Gdp), &everything()).unwrap();
    for m in models::all() {
        assert!(
            r.models
                .iter()
                .any(|s| s.model == m.name() && s.preset.is_none()),
            "{}",
            m.name()
        );
        for p in m.presets() {
            assert!(
                r.models
                    .iter()
                    .any(|s| s.model == m.name() && s.preset.as_deref() == Some(p.name))
            );
        }
    }
    // smp treats a missing stance as salience 0, so it forecasts every scored issue
    for s in r.models.iter().filter(|s| s.model == "smp") {
        assert_eq!(
            (s.n, s.n_missing),
            (r.n_issues, 0),
            "{}: {:?}",
            s.label(),
            s.failures
        );
        assert_eq!(s.n, 167);
    }
    let table = backtest::render::table(&r);
    for s in &r.models {
        assert!(
            table.contains(&s.label()),
            "{} missing from the table",
            s.label()
        );
    }
    assert!(table.contains("COD (101 issues)") && table.contains("CNS (66 issues)"));
    assert!(table.contains("Unan"));
}

#[test]
fn json_follows_the_contract() {
    let r = backtest::run(&dev(Capability::Council), &quick()).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["dataset"], "deu3-dev.tsv");
    assert_eq!(v["n_issues"], 167);
    for m in v["models"].as_array().unwrap() {
        for key in ["model", "n", "mae", "rmse", "median_ae"] {
            assert!(m.get(key).is_some(), "{key} missing in {m}");
        }
    }
    let compromise = &v["models"][0];
    assert_eq!(compromise["model"], "compromise");
    assert!(compromise["mae"].as_f64().unwrap() > 0.0);
}

#[test]
fn same_input_and_seed_give_identical_output() {
    let d = dev(Capability::Council);
    // Every registered model: byte-identical reports.
    let a = serde_json::to_string(&backtest::run(&d, &everything()).unwrap()).unwrap();
    let b = serde_json::to_string(&backtest::run(&d, &everything()).unwrap()).unwrap();
    assert_eq!(a, b);
    let json = |o: &Options| serde_json::to_string(&backtest::run(&d, o).unwrap()).unwrap();
    let other = Options {
        seed: 7,
        ..baselines_cv()
    };
    assert_eq!(json(&baselines_cv()), json(&baselines_cv()));
    assert_ne!(
        json(&baselines_cv()),
        json(&other),
        "the seed must reach the bootstrap and the folds"
    );
}

#[test]
fn cross_validation_never_scores_a_parameter_on_its_training_issues() {
    let d = dev(Capability::Gdp);
    let r = backtest::run(&d, &baselines_cv()).unwrap();
    let t = r.tuned.as_ref().expect("5-fold CV runs by default");
    assert_eq!(t.folds.len(), 5);
    assert_eq!(t.folds.iter().map(|f| f.test_issues).sum::<usize>(), 167);
    for f in &t.folds {
        assert_eq!(f.train_issues + f.test_issues, 167);
        assert_eq!(f.train_proposals + f.test_proposals, r.n_proposals);
    }
    assert_eq!(t.score.n, 167);
    // Leakage check: wreck the outcomes of fold 0's held-out issues. Fold 0's chosen
    // parameters must not move (they never saw those issues), while its test MAE must.
    let folds = tuning::assign_folds(&d, 5, 42);
    let mut wrecked = d.clone();
    for (k, c) in wrecked.cases.iter_mut().enumerate() {
        if folds[k] == 0 {
            c.outcome = if c.outcome > 50.0 { 0.0 } else { 100.0 };
        }
    }
    let w = backtest::run(&wrecked, &baselines_cv()).unwrap();
    let wt = w.tuned.as_ref().unwrap();
    assert_eq!(wt.folds[0].parameters, t.folds[0].parameters);
    assert_eq!(wt.folds[0].train_mae, t.folds[0].train_mae);
    assert_ne!(wt.folds[0].test_mae, t.folds[0].test_mae);
    // Every proposal sits in exactly one fold.
    for (a, ca) in d.cases.iter().enumerate() {
        for (b, cb) in d.cases.iter().enumerate() {
            if ca.proposal == cb.proposal {
                assert_eq!(folds[a], folds[b], "{} straddles folds", ca.proposal);
            }
        }
    }
}

/// Two halves by proposal: alternate proposals in id order.
fn halves(d: &Dataset) -> (Dataset, Dataset) {
    let mut ids: Vec<usize> = (0..d.groups.len()).collect();
    ids.sort_by(|a, b| d.groups[*a].id.cmp(&d.groups[*b].id));
    let pick = |h: usize| -> Vec<usize> {
        ids.iter()
            .enumerate()
            .filter(|(k, _)| k % 2 == h)
            .map(|(_, g)| *g)
            .collect()
    };
    (d.subset(&pick(0)), d.subset(&pick(1)))
}

fn ranking(r: &Report) -> Vec<String> {
    let mut v: Vec<(f64, String)> = r
        .models
        .iter()
        .map(|m| (m.mae.unwrap(), m.label()))
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    v.into_iter().map(|x| x.1).collect()
}

#[test]
fn the_model_ranking_is_stable_across_halves_of_the_proposals() {
    let options = Options {
        runs: ModelRun::for_models(&models::baselines()),
        ..quick()
    };
    for cap in Capability::ALL {
        let d = dev(cap);
        let (a, b) = halves(&d);
        assert_eq!(a.cases.len() + b.cases.len(), 167);
        let ra = ranking(&backtest::run(&a, &options).unwrap());
        let rb = ranking(&backtest::run(&b, &options).unwrap());
        assert_eq!(ra[0], "compromise", "{cap}: first half {ra:?}");
        assert_eq!(rb[0], "compromise", "{cap}: second half {rb:?}");
        assert_eq!(
            ra.last(),
            rb.last(),
            "{cap}: the reference point is last in both"
        );
        if cap == Capability::Gdp {
            assert_eq!(ra, rb, "gdp: the whole ranking is the same in both halves");
        }
    }
}

#[test]
fn fit_on_one_half_score_on_the_other() {
    let d = dev(Capability::Gdp);
    let (a, b) = halves(&d);
    let options = Options {
        validation: Validation::FitOn(Box::new(a.clone())),
        ..quick()
    };
    let r = backtest::run(&b, &options).unwrap();
    let t = r.tuned.unwrap();
    assert_eq!(t.folds.len(), 1);
    assert_eq!(t.folds[0].train_issues, a.cases.len());
    assert_eq!(t.score.n, b.cases.len());
    assert!(t.method.contains("no proposal in both"));
    // Fitting and scoring on overlapping proposals is refused.
    let same = Options {
        validation: Validation::FitOn(Box::new(d.clone())),
        ..quick()
    };
    let e = backtest::run(&b, &same).unwrap_err();
    assert!(e.to_string().contains("share"), "{e}");
}

#[test]
fn malformed_rows_and_missing_outcomes_are_counted_never_silent() {
    let text = dev_text();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // Line 3 (first issue): a bad number in `pcom`. Line 4: drop the outcome.
    let mut cells: Vec<String> = lines[2].split('\t').map(String::from).collect();
    let head: Vec<&str> = text.lines().next().unwrap().split('\t').collect();
    let k = head
        .iter()
        .position(|h| h.trim_matches('"') == "pcom")
        .unwrap();
    cells[k] = "1O0".into();
    lines[2] = cells.join("\t");
    let mut cells: Vec<String> = lines[3].split('\t').map(String::from).collect();
    let last = cells.len() - 1;
    cells[last] = String::new();
    lines[3] = cells.join("\t");
    let d = Dataset::from_deu(
        "bad.tsv",
        &lines.join("\n"),
        DeuOptions::new(Capability::Gdp),
    )
    .unwrap();
    let r = backtest::run(&d, &quick()).unwrap();
    assert_eq!(r.n_skipped, 1);
    assert_eq!(r.skipped[0].line, Some(3));
    assert!(r.skipped[0].location.contains("pcom"));
    assert_eq!(r.n_unscored, 6);
    assert!(r.unscored.iter().any(|u| u.location.contains("bad.tsv:4")));
    assert_eq!(r.n_issues, 165);
    let table = backtest::render::table(&r);
    assert!(table.contains("1 rows skipped") && table.contains("bad.tsv:3"));
}

#[test]
fn grouping_by_proposal_leaves_single_issue_forecasts_unchanged() {
    let text = dev_text();
    let grouped = Dataset::from_deu("dev", &text, DeuOptions::new(Capability::Gdp)).unwrap();
    let rows = pactum::io::deu::read(&text, &pactum::Location::file("dev")).unwrap();
    let single = Dataset::from_scenarios(
        "dev",
        rows.scenarios
            .into_iter()
            .map(|s| (s.issues[0].id.clone(), s))
            .collect(),
    );
    assert!(grouped.groups.len() < single.groups.len());
    for m in models::baselines() {
        let a = backtest::predict(&grouped, m, &pactum::Params::new());
        let b = backtest::predict(&single, m, &pactum::Params::new());
        let by_id = |d: &Dataset, p: &backtest::Prediction, id: &str| {
            let k = d.cases.iter().position(|c| c.id == id).unwrap();
            p.forecasts[k]
        };
        for c in &grouped.cases {
            assert_eq!(
                by_id(&grouped, &a, &c.id),
                by_id(&single, &b, &c.id),
                "{} {}",
                m.name(),
                c.id
            );
        }
    }
}

#[test]
fn per_issue_csv_has_one_line_per_issue_and_model() {
    let r = backtest::run(
        &dev(Capability::Gdp),
        &Options {
            replicates: 50,
            ..baselines_cv()
        },
    )
    .unwrap();
    let csv = backtest::render::issues_csv(&r).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("proposal,issue,procedure,voting_rule,model,preset,unit,forecast")
    );
    // Every run plus the cross-validated blend.
    assert_eq!(lines.len() - 1, 167 * (r.models.len() + 1));
    assert!(lines.iter().any(|l| l.contains(",blend,cross-validated,")));
}

#[test]
fn grouping_by_issue_keeps_proposals_as_clusters_and_folds() {
    let by_issue = Dataset::from_deu(
        "dev",
        &dev_text(),
        DeuOptions {
            grouping: Grouping::Issue,
            ..DeuOptions::new(Capability::Council)
        },
    )
    .unwrap();
    assert_eq!(by_issue.groups.len(), 172);
    let by_proposal = dev(Capability::Council);
    // Baselines only: multi-issue models (exchange, smp) rightly differ between groupings.
    let a = backtest::run(&by_issue, &baselines_cv()).unwrap();
    let b = backtest::run(&by_proposal, &baselines_cv()).unwrap();
    assert_eq!(a.n_proposals, 69);
    // Baselines, intervals (proposal clusters) and CV folds are the same either way.
    for (x, y) in a.models.iter().zip(&b.models) {
        assert_eq!(x.mae, y.mae);
        assert_eq!(x.mae_minus_compromise, y.mae_minus_compromise);
    }
    assert_eq!(a.tuned.unwrap().folds, b.tuned.unwrap().folds);
}

#[test]
fn parliament_rule_changes_only_consultation_weights() {
    let text = dev_text();
    let always = DeuOptions {
        parliament: ParliamentRule::Always,
        ..DeuOptions::new(Capability::Council)
    };
    let a = Dataset::from_deu("dev", &text, always).unwrap();
    let b = dev(Capability::Council);
    for (ga, gb) in a.groups.iter().zip(&b.groups) {
        let cap = |g: &backtest::dataset::Group| g.scenario.actor("ep").map(|x| x.capability.mode);
        let procedure = ga.scenario.issues[0].attributes.get("proc").cloned();
        if procedure.as_deref() == Some("CNS") {
            assert_eq!(cap(gb), cap(ga).map(|_| 0.0));
        } else {
            assert_eq!(cap(ga), cap(gb));
        }
    }
}
