//! smp on scenarios where actors lack stances: a missing stance is salience 0 on that
//! dimension, its position irrelevant; an actor with no positive salience anywhere is left
//! out (`docs/models/smp.md`, "Missing stances"). Checked on generated scenarios, on the
//! flagship case and through the Monte Carlo and sensitivity fast path.

use pactum::models::smp::{self, Options, Probabilities, Problem, SAME_POSITION, Smp, Space};
use pactum::uncertainty::{SensitivityOptions, SimulationOptions, sensitivity, simulate};
use pactum::{Forecast, IssueData, Model, ModelError, Params, Scenario, Snapshot, io};
use proptest::prelude::*;

/// A generated scenario: `n` actors on `d` issues of scale 0–100, with some stances absent.
#[derive(Debug, Clone)]
struct Case {
    n: usize,
    d: usize,
    capability: Vec<f64>,
    /// Position and salience of actor `a` on issue `k` at `a * d + k`; `None`: no stance.
    stance: Vec<Option<(f64, f64)>>,
}

/// A small deterministic generator (64-bit LCG), so a case is fixed by its seed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl Case {
    /// `n` in 3–7, `d` in 2–4, about a third of the stances missing; every actor keeps at
    /// least one stance and every issue at least two.
    fn generate(seed: u64) -> Case {
        let mut g = Lcg(seed.wrapping_mul(2654435761).wrapping_add(17));
        let n = 3 + (g.next() * 5.0) as usize;
        let d = 2 + (g.next() * 3.0) as usize;
        let capability = (0..n).map(|_| 5.0 + 95.0 * g.next()).collect();
        let mut stance: Vec<Option<(f64, f64)>> = (0..n * d)
            .map(|_| {
                let (x, s) = ((100.0 * g.next()).round(), 0.05 + 0.4 * g.next());
                (g.next() > 0.35).then_some((x, s))
            })
            .collect();
        for a in 0..n {
            if (0..d).all(|k| stance[a * d + k].is_none()) {
                stance[a * d + a % d] = Some((50.0, 0.3));
            }
        }
        for k in 0..d {
            for a in 0..2 {
                let a = (k + a) % n;
                stance[a * d + k].get_or_insert((25.0, 0.2));
            }
        }
        Case {
            n,
            d,
            capability,
            stance,
        }
    }

    fn missing(&self) -> Vec<usize> {
        (0..self.n * self.d)
            .filter(|&x| self.stance[x].is_none())
            .collect()
    }

    /// The snapshot; a missing stance becomes salience 0 at `fill[x]` when `fill` is given.
    fn snapshot(&self, fill: Option<&[f64]>) -> Snapshot {
        let issues = (0..self.d)
            .map(|k| {
                let mut data = IssueData {
                    issue: k,
                    lo: 0.0,
                    hi: 100.0,
                    reference: None,
                    actors: Vec::new(),
                    position: Vec::new(),
                    salience: Vec::new(),
                    capability: Vec::new(),
                };
                for a in 0..self.n {
                    let x = a * self.d + k;
                    let (pos, sal) = match (self.stance[x], fill) {
                        (Some(st), _) => st,
                        (None, Some(f)) => (f[x], 0.0),
                        (None, None) => continue,
                    };
                    data.actors.push(a);
                    data.position.push(pos);
                    data.salience.push(sal);
                    data.capability.push(self.capability[a]);
                }
                data
            })
            .collect();
        Snapshot {
            actor_ids: (0..self.n).map(|a| format!("a{a}")).collect(),
            issue_ids: (0..self.d).map(|k| format!("q{k}")).collect(),
            issues,
            sides: Vec::new(),
        }
    }
}

/// Inserts actor `ghost` at index 1 of `snap`, with salience 0 at `position` on every issue
/// when `position` is given, with no stance at all otherwise.
fn with_ghost(snap: &Snapshot, position: Option<f64>) -> Snapshot {
    let mut s = snap.clone();
    s.actor_ids.insert(1, "ghost".into());
    for issue in &mut s.issues {
        issue
            .actors
            .iter_mut()
            .filter(|a| **a >= 1)
            .for_each(|a| *a += 1);
        if let Some(x) = position {
            issue.actors.push(1);
            issue.position.push(x);
            issue.salience.push(0.0);
            issue.capability.push(80.0);
        }
    }
    s
}

fn solve(snap: &Snapshot) -> Forecast {
    Smp.solve(snap, &Params::new()).expect("smp solves")
}

/// The two forecasts agree on every issue's forecast, mean and median in every round, every
/// position of the actors in `b`, the turns and the win probabilities.
fn assert_same(a: &Forecast, b: &Forecast) {
    assert_eq!(a.issues.len(), b.issues.len());
    for (x, y) in a.issues.iter().zip(&b.issues) {
        assert_eq!(x.id, y.id);
        assert_eq!(x.forecast, y.forecast, "{}", x.id);
        assert_eq!(x.details, y.details, "{}", x.id);
        assert_eq!(x.rounds.len(), y.rounds.len(), "{}", x.id);
        for (rx, ry) in x.rounds.iter().zip(&y.rounds) {
            assert_eq!((rx.mean, rx.median), (ry.mean, ry.median), "{}", x.id);
            for (actor, pos) in &ry.positions.0 {
                assert_eq!(rx.positions.get(actor), Some(*pos), "{} {actor}", x.id);
            }
        }
    }
    for key in ["turns", "win_probability", "fractional_change"] {
        assert_eq!(a.details.get(key), b.details.get(key), "{key}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// A missing stance gives the same result as salience 0 at any position.
    #[test]
    fn a_missing_stance_is_salience_zero_at_any_position(
        seed in 0u64..1_000_000,
        fill in proptest::collection::vec(0.0f64..=100.0, 28),
    ) {
        let case = Case::generate(seed);
        prop_assume!(!case.missing().is_empty());
        let absent = case.snapshot(None);
        let zero = case.snapshot(Some(&fill));
        let (fa, fz) = (solve(&absent), solve(&zero));
        assert_same(&fz, &fa);
        // the salience-0 stances keep their stated positions in every round
        for x in case.missing() {
            let (a, k) = (x / case.d, x % case.d);
            for r in &fz.issues[k].rounds {
                prop_assert_eq!(r.positions.get(&format!("a{a}")), Some(fill[x]));
            }
        }
        // the fast path gives the same numbers
        let fast = Smp.forecast_values(&zero, &Params::new()).unwrap();
        let slow: Vec<Option<f64>> = fa.issues.iter().map(|i| Some(i.forecast)).collect();
        prop_assert_eq!(fast, slow);
    }

    /// An actor without stances, or with salience 0 on every issue, changes nothing.
    #[test]
    fn an_actor_without_stances_changes_nothing(seed in 0u64..1_000_000, x in 0.0f64..=100.0) {
        let case = Case::generate(seed);
        let base = case.snapshot(None);
        let f = solve(&base);
        for ghost in [None, Some(x)] {
            let g = solve(&with_ghost(&base, ghost));
            assert_same(&g, &f);
            prop_assert_eq!(g.details.get("left_out"), Some(&serde_json::json!(["ghost"])));
        }
    }

    /// The engine itself ignores the coordinates of actors on dimensions they have
    /// salience 0 on, whatever a caller puts there.
    #[test]
    fn the_engine_ignores_coordinates_without_a_stance(
        seed in 0u64..1_000_000,
        fill in proptest::collection::vec(0.0f64..=1.0, 28),
    ) {
        let case = Case::generate(seed);
        prop_assume!(!case.missing().is_empty());
        let pb = Problem::from_snapshot(&case.snapshot(None)).unwrap();
        let (n, d) = (pb.space.n, pb.space.d);
        let mut start = pb.start.clone();
        for x in (0..n * d).filter(|&x| !pb.space.cares(x / d, x % d)) {
            start[x] = fill[x];
        }
        prop_assume!(start != pb.start);
        let opts = Options::default();
        let a = smp::run(&pb.space, &pb.start, &opts, Probabilities::All).unwrap();
        let b = smp::run(&pb.space, &start, &opts, Probabilities::All).unwrap();
        prop_assert_eq!(&a, &b);
    }

    /// On a dimension one party has no stance on, a bargain moves neither party; the
    /// forecast is a weighted mean of the final positions of the actors with a stance.
    #[test]
    fn indifferent_actors_move_nobody_and_pull_no_forecast(seed in 0u64..1_000_000) {
        let case = Case::generate(seed);
        let snap = case.snapshot(None);
        let pb = Problem::from_snapshot(&snap).unwrap();
        let h = smp::run(&pb.space, &pb.start, &Options::default(), Probabilities::All)
            .unwrap();
        let (n, d) = (pb.space.n, pb.space.d);
        for (t, made) in h.challenges.iter().enumerate() {
            let pos = &h.positions[t];
            for c in made {
                let (i, j) = (c.initiator, c.target);
                for k in (0..d).filter(|&k| !(pb.space.cares(i, k) && pb.space.cares(j, k))) {
                    prop_assert_eq!(c.initiator_to[k], pos[i * d + k]);
                    prop_assert_eq!(c.target_to[k], pos[j * d + k]);
                }
            }
        }
        let last = h.positions.last().unwrap();
        let prob = h.win_probability.last().unwrap();
        let at = |i: usize| &last[i * d..(i + 1) * d];
        let f = solve(&snap);
        for (k, issue) in f.issues.iter().enumerate() {
            // the options of the actors with a stance on k, each counted once
            let mut options: Vec<usize> = Vec::new();
            for i in (0..n).filter(|&i| pb.space.cares(i, k)) {
                let same = |j: &usize| {
                    at(i).iter().zip(at(*j)).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt()
                        < SAME_POSITION
                };
                if !options.iter().any(same) {
                    options.push(i);
                }
            }
            let total: f64 = options.iter().map(|&i| prob[i]).sum();
            let expected: f64 =
                options.iter().map(|&i| prob[i] * 100.0 * at(i)[k]).sum::<f64>() / total;
            prop_assert!((issue.forecast - expected).abs() < 1e-9, "{}", issue.id);
            let xs: Vec<f64> = options.iter().map(|&i| 100.0 * at(i)[k]).collect();
            let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(
                issue.forecast >= lo - 1e-9 && issue.forecast <= hi + 1e-9,
                "{}: {} outside [{lo}, {hi}]", issue.id, issue.forecast
            );
        }
    }
}

#[test]
fn an_issue_no_actor_cares_about_is_not_forecast() {
    let case = Case::generate(7);
    let mut snap = case.snapshot(None);
    let dead = snap.issues.len() - 1;
    snap.issues[dead].salience.iter_mut().for_each(|s| *s = 0.0);
    let f = solve(&snap);
    assert_eq!(f.issues.len(), case.d - 1);
    assert!(f.issues.iter().all(|i| i.id != snap.issue_ids[dead]));
    let fast = Smp.forecast_values(&snap, &Params::new()).unwrap();
    assert_eq!(fast[dead], None);
    assert!(fast[..dead].iter().all(|x| x.is_some_and(f64::is_finite)));
}

#[test]
fn fewer_than_two_actors_with_a_stance_is_refused() {
    let snap = Snapshot::single_issue(0.0, 100.0, None, &[(10.0, 0.5, 1.0), (90.0, 0.0, 1.0)]);
    let e = Smp.solve(&snap, &Params::new()).unwrap_err();
    assert!(
        matches!(&e, ModelError::Unsuitable(why) if why.contains("at least two actors")),
        "{e:?}"
    );
}

#[test]
fn the_engine_refuses_an_actor_that_cares_about_nothing() {
    let space = Space {
        n: 3,
        d: 1,
        capability: vec![1.0, 1.0, 1.0],
        salience: vec![0.5, 0.0, 0.5],
    };
    let r = smp::run(
        &space,
        &[0.1, 0.5, 0.9],
        &Options::default(),
        Probabilities::Last,
    );
    assert!(matches!(r, Err(ModelError::Unsuitable(_))));
}

fn flagship() -> Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../cases/us-japan-2014.toml"
    );
    let bytes = std::fs::read(path).expect("the flagship case is shipped");
    io::read(path, &bytes, None)
        .expect("the flagship reads")
        .scenarios
        .remove(0)
}

#[test]
fn smp_runs_on_the_flagship_inside_the_positions() {
    let s = flagship();
    let snap = Snapshot::modes(&s);
    let missing = snap.issues.iter().map(|i| i.len()).sum::<usize>()
        < snap.actor_ids.len() * snap.issues.len();
    assert!(
        missing,
        "the flagship has actors without a stance on some issue"
    );
    let f = solve(&snap);
    assert_eq!(f.issues.len(), 5);
    for (issue, data) in f.issues.iter().zip(&snap.issues) {
        let lo = data.position.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = data
            .position
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(
            (lo..=hi).contains(&issue.forecast),
            "{}: {} outside the positions {lo}–{hi}",
            issue.id,
            issue.forecast
        );
    }
    let fast = Smp.forecast_values(&snap, &Params::new()).unwrap();
    let slow: Vec<Option<f64>> = f.issues.iter().map(|i| Some(i.forecast)).collect();
    assert_eq!(fast, slow);
}

#[test]
fn monte_carlo_and_sensitivity_run_smp_on_the_flagship() {
    let s = flagship();
    let opts = SimulationOptions {
        draws: 16,
        seed: 5,
        ..Default::default()
    };
    let sim = simulate(&Smp, &s, &Params::new(), &opts, None).unwrap();
    assert_eq!(sim.issues.len(), 5);
    for x in &sim.issues {
        assert_eq!(x.draws_with_forecast, 16, "{}", x.id);
        assert!(x.mean.is_finite() && x.at_modes.is_some(), "{}", x.id);
    }
    let opts = SensitivityOptions {
        samples: 0,
        ..Default::default()
    };
    let sens = sensitivity(&Smp, &s, &Params::new(), &opts).unwrap();
    assert_eq!(sens.issues.len(), 5);
}
