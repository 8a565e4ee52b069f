//! The shipped cases in `cases/*.toml`: each reads and validates, the flagship is complete
//! and sourced, and the emission case reproduces its published inputs and compromise.

use pactum::models::{self, Params};
use pactum::{Scenario, Snapshot};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../cases");
const PRIOR_FACTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/us-japan-2014/prior-facts.csv"
);
const BDM_ACTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/cases/bdm/bdm1994_ec_emission_standards_actors.csv"
);

/// The five issues of the flagship, in file order.
const FLAGSHIP_ISSUES: [&str; 5] = [
    "g20-fx",
    "beef-tariff",
    "car-tariff",
    "rice-quota",
    "collective-self-defense",
];

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(CASES)
        .expect("cases/ directory must exist")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn load(path: &Path) -> Scenario {
    let bytes = std::fs::read(path).expect("case file must be readable");
    let name = path.display().to_string();
    match pactum::io::read(&name, &bytes, None) {
        Ok(mut loaded) => {
            assert_eq!(loaded.scenarios.len(), 1, "{name}: one scenario per file");
            loaded.scenarios.remove(0)
        }
        Err(e) => panic!("{name} does not read: {e:?}"),
    }
}

fn case(name: &str) -> Scenario {
    load(&Path::new(CASES).join(name))
}

/// The forecast of `model` for every issue, in issue order.
fn forecasts(s: &Scenario, model: &str) -> Vec<(String, f64)> {
    let m = models::by_name(model).expect("baseline model is registered");
    let f = m
        .solve(&Snapshot::modes(s), &Params::new())
        .expect("baseline solves");
    f.issues.into_iter().map(|i| (i.id, i.forecast)).collect()
}

#[test]
fn every_shipped_case_reads_and_validates() {
    let files = case_files();
    let names: Vec<String> = files
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    assert!(
        names.contains(&"us-japan-2014.toml".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"emission-1994.toml".to_string()),
        "{names:?}"
    );
    for f in &files {
        let s = load(f);
        assert!(
            !s.title.is_empty(),
            "{}: a shipped case needs a title",
            f.display()
        );
        assert!(
            !s.sources.is_empty(),
            "{}: a shipped case needs sources",
            f.display()
        );
    }
}

#[test]
fn flagship_has_the_five_issues_each_with_an_outcome() {
    let s = case("us-japan-2014.toml");
    let ids: Vec<&str> = s.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, FLAGSHIP_ISSUES);
    for i in &s.issues {
        let o = i
            .outcome
            .as_ref()
            .unwrap_or_else(|| panic!("issue `{}` has no outcome", i.id));
        assert!(
            o.value >= i.scale.lo && o.value <= i.scale.hi,
            "outcome of `{}` off its scale",
            i.id
        );
        assert!(o.date.is_some(), "outcome of `{}` has no date", i.id);
        assert!(!o.sources.is_empty(), "outcome of `{}` has no source", i.id);
        assert!(
            i.reference_point.is_some(),
            "issue `{}` has no reference point",
            i.id
        );
        assert!(
            s.stances_on(&i.id).count() >= 4,
            "issue `{}` has too few actors",
            i.id
        );
    }
}

#[test]
fn flagship_codings_are_all_sourced_and_explained() {
    let s = case("us-japan-2014.toml");
    for st in &s.stances {
        assert!(
            !st.sources.is_empty(),
            "stance {} on {} has no source",
            st.actor,
            st.issue
        );
        assert!(
            st.notes.as_deref().is_some_and(|n| !n.is_empty()),
            "stance {} on {} has no reasoning",
            st.actor,
            st.issue
        );
    }
    for a in &s.actors {
        assert!(!a.sources.is_empty(), "actor {} has no source", a.id);
        assert!(
            a.notes.is_some(),
            "actor {} has no capability reasoning",
            a.id
        );
        assert!(
            s.stances.iter().any(|st| st.actor == a.id),
            "actor {} takes no stance",
            a.id
        );
    }
}

#[test]
fn flagship_baselines_give_a_forecast_on_every_scale() {
    let s = case("us-japan-2014.toml");
    for model in ["compromise", "median", "reference"] {
        let f = forecasts(&s, model);
        assert_eq!(f.len(), FLAGSHIP_ISSUES.len(), "{model}");
        for ((id, x), issue) in f.iter().zip(&s.issues) {
            assert_eq!(id, &issue.id);
            assert!(
                x.is_finite() && *x >= issue.scale.lo && *x <= issue.scale.hi,
                "{model} on {id}: {x}"
            );
            let outcome = issue.outcome.as_ref().map(|o| o.value).unwrap_or(f64::NAN);
            eprintln!("{model:<10} {id:<24} forecast {x:>12.3}  outcome {outcome:>10}");
        }
    }
}

#[test]
fn emission_case_matches_the_published_table() {
    let s = case("emission-1994.toml");
    let text = std::fs::read_to_string(BDM_ACTORS).expect("testdata BDM actor table must exist");
    let rows: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(rows.len(), 10);
    assert_eq!(s.actors.len(), 10);
    for (row, actor) in rows.iter().zip(&s.actors) {
        let cols: Vec<f64> = row
            .split(',')
            .skip(1)
            .map(|c| c.trim().parse().expect("numeric column"))
            .collect();
        let stance = s
            .stances
            .iter()
            .find(|st| st.actor == actor.id)
            .expect("every actor has a stance");
        assert_eq!(actor.capability.mode, cols[0], "{}", actor.id);
        assert_eq!(stance.position.mode, cols[1], "{}", actor.id);
        assert_eq!(stance.salience.mode, cols[2], "{}", actor.id);
    }
    let outcome = s.issues[0].outcome.as_ref().expect("outcome recorded");
    assert_eq!(outcome.value, 8.833);
}

#[test]
fn emission_compromise_is_7_39_years() {
    let s = case("emission-1994.toml");
    let f = forecasts(&s, "compromise");
    assert_eq!(f.len(), 1);
    assert!((f[0].1 - 7.39).abs() < 0.005, "compromise {}", f[0].1);
    for model in ["median", "mean", "median-actor"] {
        eprintln!("{model:<12} {:.3}", forecasts(&s, model)[0].1);
    }
}

/// Dated, tagged facts by source URL: `(date, timing tag)` for every row citing the URL.
fn facts_by_url() -> HashMap<String, Vec<(String, String)>> {
    let mut reader =
        csv::Reader::from_path(PRIOR_FACTS).expect("testdata prior-facts.csv must exist");
    let headers = reader.headers().expect("header row").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("prior-facts.csv has no `{name}` column"))
    };
    let (url, date, note) = (col("source_url"), col("date"), col("reliability_note"));
    let mut by_url: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for row in reader.records() {
        let row = row.expect("well-formed CSV row");
        by_url
            .entry(row[url].trim().to_string())
            .or_default()
            .push((row[date].to_string(), row[note].to_string()));
    }
    by_url
}

/// True when `source` is the seed or a fact-file URL with a `[PRE` row dated on or
/// before `cut_off` (ISO dates compare as strings).
fn usable_before(
    facts: &HashMap<String, Vec<(String, String)>>,
    source: &str,
    cut_off: &str,
) -> bool {
    if source.contains("000_5da28bc1c3d8cd67.txt") {
        return true;
    }
    facts.get(source).is_some_and(|rows| {
        rows.iter()
            .any(|(date, note)| note.starts_with("[PRE") && date.as_str() <= cut_off)
    })
}

#[test]
fn flagship_inputs_respect_each_issue_cut_off() {
    for name in ["us-japan-2014.toml", "us-japan-2014-two-level.toml"] {
        inputs_respect_cut_offs(&case(name));
    }
}

/// The two-level flagship is the flat one plus sides: same actors, issues and stances.
#[test]
fn two_level_flagship_adds_only_sides_to_the_flat_one() {
    let flat = case("us-japan-2014.toml");
    let two = case("us-japan-2014-two-level.toml");
    assert_eq!(
        two.actors,
        flat.actors
            .iter()
            .map(|a| pactum::Actor {
                origin: two.actor(&a.id).unwrap().origin.clone(),
                ..a.clone()
            })
            .collect::<Vec<_>>()
    );
    assert_eq!(two.issues.len(), flat.issues.len());
    for (a, b) in two.issues.iter().zip(&flat.issues) {
        assert_eq!(
            (
                &a.id,
                &a.scale,
                a.reference_point,
                &a.outcome,
                &a.attributes
            ),
            (
                &b.id,
                &b.scale,
                b.reference_point,
                &b.outcome,
                &b.attributes
            )
        );
    }
    assert_eq!(Snapshot::modes(&two).issues, Snapshot::modes(&flat).issues);
    assert!(flat.sides.is_empty());
    let ids: Vec<&str> = two.sides.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["us-tpp", "japan-tpp", "japan-defense", "us-defense"]);
    for s in &two.sides {
        assert!(
            !s.sources.is_empty() && s.notes.as_ref().is_some_and(|n| n.len() > 100),
            "side {} needs sources and reasoning",
            s.id
        );
    }
}

/// Every side's sources are [PRE] facts dated on or before the cut-off of every issue the
/// side takes part in; the JSON of the two-level forecast has per issue the forecast,
/// agreement, win-sets and mandates.
#[test]
fn two_level_flagship_rules_respect_the_cut_offs_and_forecast_every_issue() {
    let s = case("us-japan-2014-two-level.toml");
    let facts = facts_by_url();
    for side in &s.sides {
        for issue in side.issues(&s) {
            let date = &s.issue(issue).unwrap().attributes["inputs_cut_off"];
            for src in &side.sources {
                assert!(
                    usable_before(&facts, src, date),
                    "side {} on {issue} cites {src}, not a [PRE] fact on or before {date}",
                    side.id
                );
            }
        }
    }
    let f = models::by_name("twolevel")
        .unwrap()
        .solve(&Snapshot::modes(&s), &Params::new())
        .unwrap();
    let json = serde_json::to_value(&f).unwrap();
    for (i, issue) in json["issues"].as_array().unwrap().iter().enumerate() {
        assert!(issue["forecast"].is_number(), "{issue}");
        assert!(issue["agreement"].is_boolean(), "{issue}");
        assert!(
            issue["win_sets"].is_object() && issue["mandates"].is_object(),
            "{issue}"
        );
        let sc = &s.issues[i].scale;
        let x = issue["forecast"].as_f64().unwrap();
        assert!(sc.lo <= x && x <= sc.hi, "{x}");
    }
    // Komeito's consent binds collective self-defense: at its coded 25 (reversion 0) it
    // ratifies nothing beyond 50.
    let csd = f
        .issues
        .iter()
        .find(|i| i.id == "collective-self-defense")
        .unwrap();
    assert_eq!(csd.forecast, 50.0);
    assert_eq!(csd.details["binding"], serde_json::json!(["japan-defense"]));
}

fn inputs_respect_cut_offs(s: &Scenario) {
    let facts = facts_by_url();
    assert_eq!(facts.values().map(Vec::len).sum::<usize>(), 204);
    let cut_off = |issue: &str| -> String {
        let i = s.issue(issue).expect("stance on a known issue");
        i.attributes
            .get("inputs_cut_off")
            .unwrap_or_else(|| panic!("issue `{issue}` has no inputs_cut_off attribute"))
            .clone()
    };
    for st in &s.stances {
        let date = cut_off(&st.issue);
        for src in &st.sources {
            assert!(
                usable_before(&facts, src, &date),
                "stance {} on {} cites {src}, which is not a [PRE] fact dated on or before {date}",
                st.actor,
                st.issue
            );
        }
        if st.capability.is_none() {
            let actor = s.actor(&st.actor).expect("known actor");
            for src in &actor.sources {
                assert!(
                    usable_before(&facts, src, &date),
                    "capability of {} (used on {}) cites {src}, not a [PRE] fact dated on or before {date}",
                    actor.id,
                    st.issue
                );
            }
        }
    }
}
