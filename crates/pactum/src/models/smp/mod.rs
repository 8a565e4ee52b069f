//! KTAB's spatial model of politics (Wise, Efird & Lester, KAPSARC 2015–2016), our own
//! implementation: every issue of the scenario is one dimension of a common space.
//!
//! Each turn every actor estimates, for every other actor, the expected gain of challenging
//! it (a probabilistic Condorcet contest with third parties joining the side they prefer),
//! picks its best target, and proposes a bargain interpolated between the two positions.
//! Each actor then adopts the bargain in its queue (or its status quo) that wins an
//! election among all actors. The run stops when a turn moves less than 2% of the first.
//! The equations and every choice are in `docs/models/smp.md`.

mod engine;
pub mod options;

pub use engine::{Challenge, History, Probabilities, Space, run};
pub use options::Options;

use super::{Forecast, IssueForecast, Model, Params, Positions, Preset, Round};
use crate::error::ModelError;
use crate::models::ParamSpec;
use crate::snapshot::Snapshot;
use crate::stats;
use serde_json::{Map, Value, json};
use std::io::Write;

/// The spatial model of politics.
pub struct Smp;

/// The numeric problem built from a snapshot: the space, the starting positions on
/// `[0, 1]`, and what is needed to map results back.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Actors, dimensions, capabilities and saliences.
    pub space: Space,
    /// Start positions, actor `i` dimension `k` at `i * d + k`, on `[0, 1]`.
    pub start: Vec<f64>,
    /// Lower and upper end of each dimension's scale, in the issue's units.
    pub scales: Vec<(f64, f64)>,
    /// Actors whose saliences summed above 1 and were divided by their sum.
    pub rescaled: Vec<usize>,
}

impl Problem {
    /// Builds the space from a snapshot: every actor must hold a stance on every issue.
    /// An actor's capability is the mean of its per-issue capabilities.
    pub fn from_snapshot(snap: &Snapshot) -> Result<Problem, ModelError> {
        let n = snap.actor_ids.len();
        let d = snap.issues.len();
        if n < 2 || d == 0 {
            return Err(ModelError::Unsuitable(
                "smp needs at least two actors and one issue".into(),
            ));
        }
        let mut start = vec![f64::NAN; n * d];
        let mut salience = vec![0.0; n * d];
        let mut cap_sum = vec![0.0; n];
        let mut scales = Vec::with_capacity(d);
        for (k, issue) in snap.issues.iter().enumerate() {
            let width = issue.hi - issue.lo;
            scales.push((issue.lo, issue.hi));
            for (p, &a) in issue.actors.iter().enumerate() {
                start[a * d + k] = ((issue.position[p] - issue.lo) / width).clamp(0.0, 1.0);
                salience[a * d + k] = issue.salience[p];
                cap_sum[a] += issue.capability[p];
            }
        }
        for a in 0..n {
            for k in 0..d {
                if start[a * d + k].is_nan() {
                    return Err(ModelError::Unsuitable(format!(
                        "smp treats all issues as one space, so every actor needs a stance on every issue; actor `{}` has none on `{}`",
                        snap.actor_ids[a], snap.issue_ids[k]
                    )));
                }
            }
        }
        let mut rescaled = Vec::new();
        for a in 0..n {
            let row = &mut salience[a * d..(a + 1) * d];
            let total: f64 = row.iter().sum();
            if total <= 0.0 {
                return Err(ModelError::Unsuitable(format!(
                    "actor `{}` has zero salience on every issue; smp measures distance with saliences, so at least one must be positive",
                    snap.actor_ids[a]
                )));
            }
            if total > 1.0 {
                row.iter_mut().for_each(|s| *s /= total);
                rescaled.push(a);
            }
        }
        let capability = cap_sum.iter().map(|c| c / d as f64).collect();
        Ok(Problem {
            space: Space {
                n,
                d,
                capability,
                salience,
            },
            start,
            scales,
            rescaled,
        })
    }

    fn to_units(&self, k: usize, x: f64) -> f64 {
        let (lo, hi) = self.scales[k];
        lo + x * (hi - lo)
    }

    /// Expected outcome on dimension `k` of the final state: Σ over distinct positions of
    /// win probability × position, in the issue's units; and the most probable position.
    fn outcome(&self, h: &History, k: usize) -> (f64, f64) {
        let d = self.space.d;
        let (Some(pos), Some(prob)) = (h.positions.last(), h.win_probability.last()) else {
            return (f64::NAN, f64::NAN);
        };
        let mut seen: Vec<usize> = Vec::new();
        let (mut expected, mut best, mut best_p) = (0.0, pos[k], -1.0);
        for i in 0..self.space.n {
            let pi = &pos[i * d..(i + 1) * d];
            let dup = seen.iter().any(|&j| {
                let pj = &pos[j * d..(j + 1) * d];
                let sq: f64 = pi.iter().zip(pj).map(|(a, b)| (a - b) * (a - b)).sum();
                sq.sqrt() < engine::SAME_POSITION
            });
            if dup {
                continue;
            }
            seen.push(i);
            expected += prob[i] * pi[k];
            if prob[i] > best_p {
                best_p = prob[i];
                best = pi[k];
            }
        }
        (self.to_units(k, expected), self.to_units(k, best))
    }
}

fn options(params: &Params) -> Result<(Options, Vec<(String, String)>), ModelError> {
    let values = params.resolve(options::SPECS, options::PRESETS)?;
    let opts = Options::from_values(&values)?;
    Ok((opts, values.into_iter().collect()))
}

fn round_of(snap: &Snapshot, pb: &Problem, h: &History, k: usize, t: usize) -> Round {
    let d = pb.space.d;
    let issue = &snap.issues[k];
    let pos = &h.positions[t];
    let mut xs = Vec::with_capacity(issue.len());
    let mut ws = Vec::with_capacity(issue.len());
    let mut positions = Vec::with_capacity(issue.len());
    for (p, &a) in issue.actors.iter().enumerate() {
        let x = pb.to_units(k, pos[a * d + k]);
        xs.push(x);
        ws.push(issue.weight(p));
        positions.push((snap.actor_ids[a].clone(), x));
    }
    let mean = stats::weighted_mean(&xs, &ws)
        .or_else(|| stats::mean(&xs))
        .unwrap_or(0.0);
    let median = stats::weighted_median(&xs, &ws)
        .or_else(|| stats::median(&xs))
        .unwrap_or(mean);
    Round {
        round: t,
        median,
        mean,
        positions: Positions(positions),
        details: Map::new(),
    }
}

fn details(snap: &Snapshot, pb: &Problem, h: &History) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("turns".into(), json!(h.positions.len() - 1));
    let probs: Vec<Value> = h
        .win_probability
        .iter()
        .map(|p| {
            Value::Object(
                snap.actor_ids
                    .iter()
                    .zip(p)
                    .map(|(a, x)| (a.clone(), json!(x)))
                    .collect(),
            )
        })
        .collect();
    m.insert("win_probability".into(), Value::Array(probs));
    m.insert("fractional_change".into(), json!(h.fractional_change));
    if !pb.rescaled.is_empty() {
        let ids: Vec<&String> = pb.rescaled.iter().map(|&a| &snap.actor_ids[a]).collect();
        m.insert("salience_rescaled".into(), json!(ids));
    }
    m
}

impl Model for Smp {
    fn name(&self) -> &'static str {
        "smp"
    }

    fn summary(&self) -> &'static str {
        "KTAB's spatial model of politics: all issues as one space, challenges, interpolated bargains, probabilistic Condorcet elections"
    }

    fn parameters(&self) -> &'static [ParamSpec] {
        options::SPECS
    }

    fn presets(&self) -> &'static [Preset] {
        options::PRESETS
    }

    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        let (opts, parameters) = options(params)?;
        let pb = Problem::from_snapshot(snap)?;
        let h = engine::run(&pb.space, &pb.start, &opts, Probabilities::All)?;
        let mut issues = Vec::with_capacity(snap.issues.len());
        for k in 0..snap.issues.len() {
            let rounds: Vec<Round> = (0..h.positions.len())
                .map(|t| round_of(snap, &pb, &h, k, t))
                .collect();
            let (forecast, most_likely) = pb.outcome(&h, k);
            let mean = rounds.last().map(|r| r.mean).unwrap_or(forecast);
            let mut det = Map::new();
            det.insert("most_likely".into(), json!(most_likely));
            issues.push(IssueForecast {
                id: snap.issue_ids[k].clone(),
                forecast,
                mean,
                rounds,
                details: det,
            });
        }
        Ok(Forecast {
            model: self.name().into(),
            preset: params.preset.clone(),
            parameters,
            issues,
            details: details(snap, &pb, &h),
        })
    }

    fn forecast_values(
        &self,
        snap: &Snapshot,
        params: &Params,
    ) -> Result<Vec<Option<f64>>, ModelError> {
        let (opts, _) = options(params)?;
        let pb = Problem::from_snapshot(snap)?;
        let h = engine::run(&pb.space, &pb.start, &opts, Probabilities::Last)?;
        Ok((0..snap.issues.len())
            .map(|k| Some(pb.outcome(&h, k).0))
            .collect())
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes an `smp` forecast's history as CSV: one row per turn and actor, columns `turn`,
/// `actor`, one column per issue (position in the issue's units), `win_probability`.
/// Positions are written in full precision; KTAB prints them with one decimal.
pub fn write_history_csv(forecast: &Forecast, out: &mut dyn Write) -> std::io::Result<()> {
    let mut header = vec!["turn".to_string(), "actor".to_string()];
    header.extend(forecast.issues.iter().map(|i| csv_field(&i.id)));
    header.push("win_probability".into());
    writeln!(out, "{}", header.join(","))?;
    let turns = forecast.issues.first().map(|i| i.rounds.len()).unwrap_or(0);
    let probs = forecast
        .details
        .get("win_probability")
        .and_then(Value::as_array);
    for t in 0..turns {
        let actors = &forecast.issues[0].rounds[t].positions.0;
        for (actor, _) in actors {
            let mut row = vec![t.to_string(), csv_field(actor)];
            for issue in &forecast.issues {
                let x = issue.rounds.get(t).and_then(|r| r.positions.get(actor));
                row.push(x.map(|x| x.to_string()).unwrap_or_default());
            }
            let p = probs
                .and_then(|p| p.get(t))
                .and_then(|m| m.get(actor))
                .and_then(Value::as_f64);
            row.push(p.map(|x| x.to_string()).unwrap_or_default());
            writeln!(out, "{}", row.join(","))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io;

    fn snapshot(text: &str) -> Snapshot {
        let l = io::read("t.csv", text.as_bytes(), None).unwrap();
        Snapshot::modes(&l.scenarios[0])
    }

    const TWO_DIM: &str = "t, d, 4, 2,\nActor, Description, Power, A Position, A Salience, B Position, B Salience,\n\
        P, p, 100, 10, 40, 90, 40,\nQ, q, 60, 80, 50, 20, 30,\nR, r, 40, 50, 60, 60, 20,\nS, s, 30, 30, 20, 40, 70,\n";

    #[test]
    fn solves_a_small_case_and_writes_history() {
        let snap = snapshot(TWO_DIM);
        let f = Smp.solve(&snap, &Params::new()).unwrap();
        assert_eq!(f.issues.len(), 2);
        let turns = f.issues[0].rounds.len();
        assert!(turns >= 3, "at least two turns are run");
        for i in &f.issues {
            assert!(i.forecast.is_finite() && (0.0..=100.0).contains(&i.forecast));
            assert_eq!(i.rounds.len(), turns);
        }
        let mut out = Vec::new();
        write_history_csv(&f, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1 + 4 * turns);
        assert!(text.starts_with("turn,actor,a,b,win_probability\n0,P,10,90,"));
        let fast = Smp.forecast_values(&snap, &Params::new()).unwrap();
        assert_eq!(fast[0], Some(f.issues[0].forecast));
    }

    #[test]
    fn stochastic_runs_are_reproducible_per_seed() {
        let snap = snapshot(TWO_DIM);
        let p = Params::new()
            .set("transition", "Stochastic")
            .set("seed", "7");
        let a = Smp.solve(&snap, &p).unwrap();
        let b = Smp.solve(&snap, &p).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn same_answer_on_one_and_several_threads() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/cases/ktab/dummyData-a080.csv"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let snap = snapshot(&text);
        let solve_on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| Smp.solve(&snap, &Params::new()).unwrap())
        };
        let one = serde_json::to_string(&solve_on(1)).unwrap();
        let four = serde_json::to_string(&solve_on(4)).unwrap();
        assert_eq!(one, four);
    }

    #[test]
    fn every_option_runs_without_nan() {
        let snap = snapshot(TWO_DIM);
        let sets: [(&str, &[&str]); 8] = [
            ("victory", &["Square", "Quartic", "Octic", "Binary"]),
            ("election", &["MarkovIncentive", "MarkovUniform"]),
            (
                "voting",
                &["Binary", "PropBin", "PropCbc", "Cubic", "ASymProsp"],
            ),
            ("risk_range", &["Min", "Max"]),
            ("risk_adjust", &["Full", "TwoThirds", "Half", "None"]),
            ("third_party", &["FullCommit", "NoCommit"]),
            ("interpolation", &["S1P1", "S2PMax"]),
            ("bargain", &["InitRcvrInterp", "PWCompInterp"]),
        ];
        for (name, values) in sets {
            for v in values {
                let f = Smp.solve(&snap, &Params::new().set(name, v)).unwrap();
                for i in &f.issues {
                    assert!(i.forecast.is_finite(), "{name}={v}");
                    for r in &i.rounds {
                        assert!(
                            r.positions.0.iter().all(|(_, x)| x.is_finite()),
                            "{name}={v}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn unknown_option_value_is_a_parameter_error() {
        let snap = snapshot(TWO_DIM);
        let e = Smp
            .solve(&snap, &Params::new().set("voting", "Loud"))
            .unwrap_err();
        assert!(matches!(e, ModelError::Parameter { .. }));
    }
}
