//! Scoring calibrated intervals out of sample: coverage, width, interval score and CRPS of
//! each model's 50 % and 80 % intervals, each issue's interval calibrated without its own
//! proposal (see [`crate::calibration`]).

use super::Prediction;
use super::dataset::Dataset;
use super::metrics;
use crate::calibration::{self, Frame, Scaling, position_range};
use crate::snapshot::Snapshot;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where the scores calibrating an issue's interval come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Every other proposal of the same dataset (leave one proposal out).
    OtherProposals,
    /// A separate dataset's scores (`--fit FILE`): the finite ones ascending, and the
    /// count of all.
    Fixed(Vec<f64>, usize),
}

/// One scored issue's held-out intervals, on the 0–100 scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaseEval {
    /// The outcome inside the 50 % interval.
    pub covered_50: bool,
    /// The outcome inside the 80 % interval.
    pub covered_80: bool,
    /// Width of the 80 % interval (0–100).
    pub width_80: f64,
    /// Interval score of the 80 % interval (0–100 points).
    pub interval_score_80: f64,
    /// CRPS of the predictive distribution (0–100 points).
    pub crps: f64,
}

/// The naive interval (the range of the actors' positions) of every case: (covered, width
/// on 0–100).
pub fn naive(data: &Dataset, snaps: &[Snapshot]) -> Vec<(bool, f64)> {
    data.cases
        .iter()
        .map(|c| {
            let (lo, hi) = position_range(&snaps[c.group].issues[c.issue]);
            let covered = lo - 1e-9 <= c.outcome && c.outcome <= hi + 1e-9;
            (covered, c.percent(hi) - c.percent(lo))
        })
        .collect()
}

/// Held-out intervals of prediction `p` on every case (`None` where the model gave no
/// forecast or no calibration score exists).
pub fn held_out(
    data: &Dataset,
    snaps: &[Snapshot],
    p: &Prediction,
    source: &Source,
    scaling: Scaling,
) -> Vec<Option<CaseEval>> {
    let own = calibration::case_scores(data, snaps, p, scaling);
    let mut per_cluster: BTreeMap<usize, (Vec<f64>, usize)> = BTreeMap::new();
    (0..data.cases.len())
        .map(|k| {
            let c = &data.cases[k];
            let f = p.forecasts.get(k).copied().flatten()?;
            let (finite, n) = match source {
                Source::Fixed(s, n) => (s.clone(), *n),
                Source::OtherProposals => per_cluster
                    .entry(c.cluster)
                    .or_insert_with(|| others(data, &own, c.cluster))
                    .clone(),
            };
            if finite.is_empty() {
                return None;
            }
            let scores = calibration::Scores { finite: &finite, n };
            let frame = Frame::of(&snaps[c.group].issues[c.issue], scaling);
            let at = |level| calibration::interval(&[f], scores, frame, level);
            let (i50, i80) = (at(0.5), at(0.8));
            let inside = |iv: [f64; 2]| iv[0] - 1e-9 <= c.outcome && c.outcome <= iv[1] + 1e-9;
            let pc = |x: f64| c.percent(x);
            let crps = calibration::crps(&[f], &finite, frame, c.outcome)?;
            Some(CaseEval {
                covered_50: inside(i50),
                covered_80: inside(i80),
                width_80: pc(i80[1]) - pc(i80[0]),
                interval_score_80: calibration::interval_score(
                    pc(i80[0]),
                    pc(i80[1]),
                    pc(c.outcome),
                    0.8,
                ),
                crps: crps * 100.0 / (c.hi - c.lo),
            })
        })
        .collect()
}

/// The finite scores of every case outside `cluster`, ascending, and the count of all.
fn others(data: &Dataset, own: &[Option<Option<f64>>], cluster: usize) -> (Vec<f64>, usize) {
    let rest: Vec<Option<f64>> = own
        .iter()
        .zip(&data.cases)
        .filter(|(_, c)| c.cluster != cluster)
        .filter_map(|(s, _)| *s)
        .collect();
    let mut v: Vec<f64> = rest.iter().flatten().copied().collect();
    v.sort_by(f64::total_cmp);
    (v, rest.len())
}

/// A mean over issues with its 95 % cluster-bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mean {
    /// The mean.
    pub estimate: f64,
    /// 2.5th percentile of the bootstrap (`None` with one cluster).
    pub lo: Option<f64>,
    /// 97.5th percentile.
    pub hi: Option<f64>,
}

/// The mean of `values` (cluster, value) with a bootstrap over clusters.
pub fn mean(values: &[(usize, f64)], replicates: usize, seed: u64) -> Option<Mean> {
    let pairs: Vec<(usize, f64, f64)> = values.iter().map(|(c, v)| (*c, *v, 0.0)).collect();
    let i = metrics::paired_bootstrap(&pairs, replicates, seed)?;
    Some(Mean {
        estimate: i.estimate,
        lo: i.lo,
        hi: i.hi,
    })
}

/// Interval scores of one model on a set of issues (flattened into the model's scores).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalScores {
    /// Issues with a held-out interval.
    pub n_intervals: usize,
    /// Share of outcomes inside the 50 % interval (0–1).
    pub coverage_50: f64,
    /// Share inside the 80 % interval (0–1).
    pub coverage_80: f64,
    /// Mean width of the 80 % interval (0–100).
    pub width_80: f64,
    /// Mean interval score of the 80 % interval (0–100 points; lower is better).
    pub interval_score_80: f64,
    /// Mean CRPS (0–100 points; lower is better).
    pub crps: f64,
    /// 95 % cluster-bootstrap interval `[lo, hi]` of each of the five means above (`null`
    /// bounds with one cluster).
    pub interval_ci: BTreeMap<String, [Option<f64>; 2]>,
}

/// Summarises the held-out intervals of the cases in `subset`.
pub fn summarise(
    data: &Dataset,
    subset: &[usize],
    evals: &[Option<CaseEval>],
    replicates: usize,
    seed: u64,
) -> Option<IntervalScores> {
    let rows: Vec<(usize, CaseEval)> = subset
        .iter()
        .filter_map(|k| Some((data.cases[*k].cluster, evals.get(*k).copied().flatten()?)))
        .collect();
    let m = |f: &dyn Fn(&CaseEval) -> f64| {
        let v: Vec<(usize, f64)> = rows.iter().map(|(c, e)| (*c, f(e))).collect();
        mean(&v, replicates, seed)
    };
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let metrics: [(&str, Mean); 5] = [
        ("coverage_50", m(&|e| flag(e.covered_50))?),
        ("coverage_80", m(&|e| flag(e.covered_80))?),
        ("width_80", m(&|e| e.width_80)?),
        ("interval_score_80", m(&|e| e.interval_score_80)?),
        ("crps", m(&|e| e.crps)?),
    ];
    Some(IntervalScores {
        n_intervals: rows.len(),
        coverage_50: metrics[0].1.estimate,
        coverage_80: metrics[1].1.estimate,
        width_80: metrics[2].1.estimate,
        interval_score_80: metrics[3].1.estimate,
        crps: metrics[4].1.estimate,
        interval_ci: metrics
            .iter()
            .map(|(k, v)| (k.to_string(), [v.lo, v.hi]))
            .collect(),
    })
}

/// The naive interval's coverage and mean width on a set of issues.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NaiveScores {
    /// What it is.
    pub interval: String,
    /// Issues.
    pub n: usize,
    /// Share of outcomes inside the range of positions.
    pub coverage: Mean,
    /// Mean width (0–100).
    pub width: Mean,
    /// The same range shrunk to the 50 % and 80 % levels: the midpoint of the positions as
    /// the forecast, calibrated exactly like the models (so its widths compare at equal
    /// coverage).
    pub calibrated: Option<IntervalScores>,
}

/// The midpoint of the positions of every case: the naive interval's centre, as a forecast.
pub fn midpoints(data: &Dataset, snaps: &[Snapshot]) -> Prediction {
    Prediction {
        forecasts: data
            .cases
            .iter()
            .map(|c| {
                let (lo, hi) = position_range(&snaps[c.group].issues[c.issue]);
                Some((lo + hi) / 2.0)
            })
            .collect(),
        failures: Vec::new(),
    }
}

/// Summarises the naive interval on all cases (`calibrated` is filled by the caller).
pub fn naive_scores(
    data: &Dataset,
    naive: &[(bool, f64)],
    replicates: usize,
    seed: u64,
) -> Option<NaiveScores> {
    let cov: Vec<(usize, f64)> = naive
        .iter()
        .zip(&data.cases)
        .map(|((b, _), c)| (c.cluster, if *b { 1.0 } else { 0.0 }))
        .collect();
    let wid: Vec<(usize, f64)> = naive
        .iter()
        .zip(&data.cases)
        .map(|((_, w), c)| (c.cluster, *w))
        .collect();
    Some(NaiveScores {
        interval: "the range of the actors' positions (min to max)".into(),
        n: naive.len(),
        coverage: mean(&cov, replicates, seed)?,
        width: mean(&wid, replicates, seed)?,
        calibrated: None,
    })
}
