//! The classic comparators: Nash bargaining tends to the compromise model as the cost of
//! disagreement grows, Kalai–Smorodinsky equalises relative gains, and the procedural model
//! runs on the DEU III dev file (Arregui & Perarnaud 2021, doi:10.34810/data53, CC BY 4.0)
//! and under Monte Carlo.

use pactum::backtest::{self, Capability, Dataset, DeuOptions};
use pactum::models::bargaining::Table;
use pactum::models::kalai_smorodinsky::{self, Criterion};
use pactum::models::procedural::{self, Procedural};
use pactum::models::{Model, Params, baseline::Compromise, nash::Nash};
use pactum::uncertainty::{SimulationOptions, simulate};
use pactum::{Snapshot, io};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

const DEV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/deu3/deu3-dev.tsv"
);

fn dev() -> Dataset {
    let text = std::fs::read_to_string(DEV).expect("testdata/deu3/deu3-dev.tsv must exist");
    Dataset::from_deu("deu3-dev.tsv", &text, DeuOptions::new(Capability::Council))
        .expect("dev file reads")
}

const COSTS: [f64; 8] = [0.0, 0.1, 1.0, 10.0, 100.0, 1e3, 1e5, 1e8];

/// From this index of [`COSTS`] (κ = 100) on the gap must not grow. Below it, it can: the
/// solution may cross the mean on its way (`docs/models/nash.md` gives the cases found).
const MONOTONE_FROM: usize = 4;

/// |Nash − compromise| of every issue with a reference point, per cost in [`COSTS`].
fn gaps(snap: &Snapshot) -> Vec<Vec<f64>> {
    let mean = Compromise.forecast_values(snap, &Params::new()).unwrap();
    COSTS
        .iter()
        .map(|c| {
            let p = Params::new().set("disagreement_cost", &c.to_string());
            let nash = Nash.forecast_values(snap, &p).unwrap();
            nash.iter()
                .zip(&mean)
                .filter_map(|(n, m)| Some((n.as_ref()? - m.as_ref()?).abs()))
                .collect()
        })
        .collect()
}

/// Each issue's gap never grows along the cost ladder beyond rounding, and at the last
/// cost it is below `limit` (in the issue's units).
fn assert_shrinks(gaps: &[Vec<f64>], scale: f64, limit: f64) -> Result<(), String> {
    for i in 0..gaps[0].len() {
        for k in MONOTONE_FROM + 1..gaps.len() {
            if gaps[k][i] > gaps[k - 1][i] + 1e-9 * scale {
                return Err(format!(
                    "issue {i}: gap {} at cost {} after {} at cost {}",
                    gaps[k][i],
                    COSTS[k],
                    gaps[k - 1][i],
                    COSTS[k - 1]
                ));
            }
        }
        let last = gaps[gaps.len() - 1][i];
        if last > limit {
            return Err(format!("issue {i}: gap {last} at the largest cost"));
        }
        // The gap falls like 1/κ: from κ = 10⁵ to 10⁸ by a factor of about 1000.
        let before = gaps[gaps.len() - 2][i];
        if last > 1.01e-3 * before + 1e-9 * scale {
            return Err(format!(
                "issue {i}: gap {last} at 1e8 after {before} at 1e5"
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1000,
        rng_seed: RngSeed::Fixed(20_261_201),
        ..ProptestConfig::default()
    })]

    #[test]
    fn nash_tends_to_the_compromise_on_random_scenarios(
        actors in prop::collection::vec((0.0f64..100.0, 0.01f64..1.0, 0.1f64..30.0), 2..12),
        q in 0.0f64..100.0,
    ) {
        let snap = Snapshot::single_issue(0.0, 100.0, Some(q), &actors);
        let g = gaps(&snap);
        prop_assert!(assert_shrinks(&g, 100.0, 1e-4).is_ok(), "{:?} {:?}", assert_shrinks(&g, 100.0, 1e-4), g);
    }

    #[test]
    fn kalai_smorodinsky_equalises_relative_gains(
        actors in prop::collection::vec((0.0f64..1.0, 0.01f64..1.0, 0.1f64..30.0), 2..10),
        q in 0.0f64..1.0,
        cost in prop::sample::select(vec![0.0, 0.05, 1.0, 20.0]),
        weighted in any::<bool>(),
    ) {
        let t = Table {
            ideal: actors.iter().map(|a| a.0).collect(),
            salience: actors.iter().map(|a| a.1).collect(),
            capability: actors.iter().map(|a| a.2).collect(),
            q,
            cost,
        };
        let x = kalai_smorodinsky::solve_table(&t, weighted);
        let (a, b) = t.feasible();
        prop_assert!(x >= a - 1e-12 && x <= b + 1e-12);
        if b - a < 1e-9 {
            return Ok(());
        }
        let c = Criterion::new(&t, weighted);
        let best = c.value(x);
        // No agreement on a fine grid of the bargaining set gives a larger smallest
        // (weighted log) relative gain.
        for k in 0..=2000 {
            let y = a + (b - a) * k as f64 / 2000.0;
            prop_assert!(c.value(y) <= best + 1e-7, "y = {y}: {} > {best} at x = {x}", c.value(y));
        }
        // The defining proportionality: the binding actors have equal (weighted) relative
        // gains, one wanting more and one wanting less — unless the solution is the ideal
        // point of the binding actor.
        let mean_c = t.capability.iter().sum::<f64>() / t.len() as f64;
        let e = |k: usize| if weighted { t.capability[k] / mean_c } else { 1.0 };
        let binding: Vec<usize> = (0..t.len())
            .filter(|&k| (e(k) * c.relative_gain(k, x).ln() - best).abs() < 1e-6 * best.abs().max(1.0))
            .collect();
        prop_assert!(!binding.is_empty());
        let peak = |k: usize| t.ideal[k].clamp(a, b);
        let above = binding.iter().any(|&k| peak(k) >= x - 1e-9);
        let below = binding.iter().any(|&k| peak(k) <= x + 1e-9);
        prop_assert!(above && below, "binding {binding:?} at x = {x}");
        // Two actors on either side: gains exactly proportional to their largest gains.
        if t.len() == 2 && !weighted && peak(0) != peak(1) {
            prop_assert!((c.relative_gain(0, x) - c.relative_gain(1, x)).abs() < 1e-6);
        }
    }
}

#[test]
fn nash_tends_to_the_compromise_on_the_deu_dev_file() {
    let data = dev();
    let mut issues = 0;
    for snap in backtest::snapshots(&data) {
        if snap.issues.iter().all(|d| d.reference.is_none()) {
            assert!(Nash.forecast_values(&snap, &Params::new()).is_err());
            continue;
        }
        let g = gaps(&snap);
        issues += g[0].len();
        assert_shrinks(&g, 100.0, 1e-4).unwrap();
    }
    // 135 rows of the file have a non-blank `rp` (counted with awk on the raw TSV).
    assert_eq!(issues, 135, "issues with a reference point in the dev file");
}

#[test]
fn procedural_solves_every_deu_proposal_it_can_and_says_why_not() {
    let data = dev();
    let mut forecast = 0;
    let mut refused = Vec::new();
    let mut mixed = Vec::new();
    for (snap, g) in backtest::snapshots(&data).iter().zip(&data.groups) {
        let params = Params::from_scenario(&g.scenario, "procedural");
        let s = match procedural::settings(&params) {
            Ok(s) => s,
            Err(e) => {
                // Only a proposal whose issues disagree on the voting rule lacks one.
                let rules: std::collections::BTreeSet<_> = g
                    .scenario
                    .issues
                    .iter()
                    .filter_map(|i| i.attributes.get("counvte"))
                    .collect();
                assert!(rules.len() > 1, "{}: {e}", g.id);
                assert!(Procedural.solve(snap, &params).is_err());
                mixed.push(g.id.clone());
                continue;
            }
        };
        let f = match Procedural.solve(snap, &params) {
            Ok(f) => f,
            Err(e) => {
                refused.push(e.to_string());
                continue;
            }
        };
        let values = Procedural.forecast_values(snap, &params).unwrap();
        for issue in &f.issues {
            let k = snap.issue_ids.iter().position(|i| *i == issue.id).unwrap();
            let d = &snap.issues[k];
            // The fast path agrees with the full solution.
            assert_eq!(values[k], Some(issue.forecast));
            // Within the scale, and either the reversion point or an acceptable change.
            assert!(issue.forecast >= d.lo && issue.forecast <= d.hi);
            let q = d.reference.unwrap();
            let acceptable = issue.details["acceptable"].as_array().unwrap();
            let inside = acceptable.iter().any(|w| {
                let (lo, hi) = (w[0].as_f64().unwrap(), w[1].as_f64().unwrap());
                issue.forecast >= lo - 1e-9 && issue.forecast <= hi + 1e-9
            });
            assert!(issue.forecast == q || inside, "{}", issue.id);
            forecast += 1;
        }
        if let Some(skipped) = f.details.get("not_forecast") {
            for s in skipped.as_array().unwrap() {
                let why = s["reason"].as_str().unwrap();
                assert!(
                    why.contains("reference point") || why.contains("setter"),
                    "{why}"
                );
            }
        }
        assert!(matches!(
            s.procedure,
            procedural::Procedure::Consultation | procedural::Procedure::Codecision
        ));
    }
    // 132 rows have both `rp` and `pcom` (awk on the raw TSV); the two of d05127 (QMV and
    // Unan on one proposal) are refused.
    assert_eq!(
        forecast, 130,
        "issues with a reference point and a Commission position"
    );
    assert_eq!(mixed, ["d05127"]);
    for why in &refused {
        assert!(why.contains("no issue can be solved"), "{why}");
    }
}

const RANGED: &str = r#"
title = "ranged"
[[actors]]
id = "com"
capability = 1
[[actors]]
id = "a"
capability = 3
[[actors]]
id = "b"
capability = 2
[[actors]]
id = "c"
capability = 2
[[issues]]
id = "x"
scale = { lo = 0, hi = 100 }
reference_point = 0
[[stances]]
actor = "com"
issue = "x"
position = 100
salience = 1
[[stances]]
actor = "a"
issue = "x"
position = { low = 5, mode = 10, high = 20 }
salience = 0.5
[[stances]]
actor = "b"
issue = "x"
position = { low = 20, mode = 40, high = 60 }
salience = 0.7
[[stances]]
actor = "c"
issue = "x"
position = 90
salience = { low = 0.2, mode = 0.6, high = 0.9 }
[models.procedural]
procedure = "consultation"
rule = "weighted"
quota = 0.55
"#;

#[test]
fn monte_carlo_runs_every_comparator_identically_on_any_thread_count() {
    let s = io::read("ranged.toml", RANGED.as_bytes(), None)
        .unwrap()
        .scenarios
        .remove(0);
    let opts = SimulationOptions {
        draws: 500,
        seed: 3,
        ..Default::default()
    };
    let snap = Snapshot::modes(&s);
    for name in ["nash", "kalai-smorodinsky", "procedural"] {
        let m = pactum::models::by_name(name).unwrap();
        let params = Params::from_scenario(&s, name);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| simulate(m, &s, &params, &opts, None).unwrap())
        };
        let (one, two) = (run(1), run(2));
        assert_eq!(one, two, "{name}");
        let x = &one.issues[0];
        assert_eq!(x.draws_with_forecast, 500, "{name}");
        let solved = m.solve(&snap, &params).unwrap().issues[0].forecast;
        assert_eq!(x.at_modes, Some(solved), "{name}");
        assert!(
            x.min <= solved && solved <= x.max && x.min < x.max,
            "{name}"
        );
    }
    // The procedural model at the modes: b (weight 2) at 40 joins c (2) at 90 for 4 of 7 ≥
    // 0.55: pivot 40, so up to 80, inside the core [10, 90].
    let f = Procedural
        .solve(&snap, &Params::from_scenario(&s, "procedural"))
        .unwrap();
    assert!((f.issues[0].forecast - 80.0).abs() < 1e-9);
}
