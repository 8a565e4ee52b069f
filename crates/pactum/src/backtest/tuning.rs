//! Fitting discipline: a tunable model, a parameter grid, grouped k-fold cross-validation
//! and fit-on-one-file / score-on-another.
//!
//! Forecasts for a fixed parameter value never look at outcomes, so the grid is solved once
//! over the whole dataset; fitting a fold only *chooses* the grid point with the lowest MAE
//! on that fold's training issues, and the fold's test issues are scored with it. Issues of
//! one proposal are always in the same fold.

use super::Prediction;
use super::dataset::Dataset;
use crate::error::ModelError;
use crate::models::params::{self, ParamSpec};
use crate::models::{Forecast, IssueForecast, Model, Params, baseline};
use crate::snapshot::{IssueData, Snapshot};
use crate::stats;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// The compromise model with a salience exponent, shrunk toward the reference point:
/// `(1 − λ) · Σ c·s^α·x / Σ c·s^α + λ · reference` (no reference: the first term alone).
///
/// With `lambda = 0` and `salience_exponent = 1` it is the compromise model. Not in
/// [`crate::models::all`]: it exists to be fitted here.
pub struct Blend;

const BLEND_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "lambda",
        default: "0",
        help: "weight of the reference point, 0–1 (0 = compromise model)",
    },
    ParamSpec {
        name: "salience_exponent",
        default: "1",
        help: "exponent α on salience in the weights c·s^α, 0–4",
    },
];

fn blend_issue(d: &IssueData, lambda: f64, alpha: f64) -> Option<f64> {
    let w: Vec<f64> = (0..d.len())
        .map(|k| d.capability[k] * d.salience[k].powf(alpha))
        .collect();
    let compromise = stats::weighted_mean(&d.position, &w)?;
    Some(match d.reference {
        Some(r) => (1.0 - lambda) * compromise + lambda * r,
        None => compromise,
    })
}

impl Blend {
    fn read(params: &Params) -> Result<(f64, f64), ModelError> {
        let v = params.resolve(BLEND_PARAMS, &[])?;
        Ok((
            params::number(&v, "lambda", 0.0, 1.0)?,
            params::number(&v, "salience_exponent", 0.0, 4.0)?,
        ))
    }
}

impl Model for Blend {
    fn name(&self) -> &'static str {
        "blend"
    }
    fn summary(&self) -> &'static str {
        "compromise with salience exponent α, shrunk toward the reference point by λ"
    }
    fn parameters(&self) -> &'static [ParamSpec] {
        BLEND_PARAMS
    }
    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        let (lambda, alpha) = Blend::read(params)?;
        let mut issues = Vec::new();
        for d in &snap.issues {
            let id = &snap.issue_ids[d.issue];
            let forecast = blend_issue(d, lambda, alpha).ok_or_else(|| {
                ModelError::Unsuitable(format!("issue `{id}`: all weights are zero"))
            })?;
            let round = baseline::initial_round(snap, d);
            issues.push(IssueForecast {
                id: id.clone(),
                forecast,
                mean: round.mean,
                rounds: vec![round],
                details: Default::default(),
            });
        }
        Ok(Forecast {
            model: self.name().into(),
            preset: None,
            parameters: vec![
                ("lambda".into(), lambda.to_string()),
                ("salience_exponent".into(), alpha.to_string()),
            ],
            issues,
            details: Default::default(),
        })
    }
    fn forecast_values(
        &self,
        snap: &Snapshot,
        params: &Params,
    ) -> Result<Vec<Option<f64>>, ModelError> {
        let (lambda, alpha) = Blend::read(params)?;
        Ok(snap
            .issues
            .iter()
            .map(|d| blend_issue(d, lambda, alpha))
            .collect())
    }
}

/// A model and the parameter values to choose among.
pub struct Tuning {
    /// The model whose parameters are fitted.
    pub model: &'static dyn Model,
    /// The candidate parameter sets, in the order ties are broken (first wins).
    pub grid: Vec<Params>,
}

/// λ from 0 to 1 in steps of 0.05.
pub const LAMBDA_GRID: [f64; 21] = [
    0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8,
    0.85, 0.9, 0.95, 1.0,
];
/// Salience exponents tried.
pub const EXPONENT_GRID: [f64; 6] = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0];

impl Tuning {
    /// [`Blend`] over λ ∈ {0, 0.05, …, 1} × α ∈ {0, 0.5, 1, 1.5, 2, 3} (126 points).
    pub fn blend() -> Tuning {
        let mut grid = Vec::new();
        for a in EXPONENT_GRID {
            for l in LAMBDA_GRID {
                grid.push(
                    Params::new()
                        .set("lambda", &l.to_string())
                        .set("salience_exponent", &a.to_string()),
                );
            }
        }
        Tuning {
            model: &Blend,
            grid,
        }
    }

    /// Forecasts of every grid point on every case of `data`.
    pub fn solve_grid(&self, data: &Dataset) -> Vec<Prediction> {
        let snaps = super::snapshots(data);
        self.grid
            .iter()
            .map(|p| super::predict_on(data, &snaps, self.model, p))
            .collect()
    }
}

/// The grid point with the lowest MAE (0–100) on the cases `train` selects; points that
/// forecast fewer of those cases than the best-covered point are not eligible. Ties: first.
pub fn choose(grid: &[Prediction], data: &Dataset, train: &[bool]) -> Option<(usize, f64)> {
    let stats: Vec<(usize, f64)> = grid
        .iter()
        .map(|p| {
            let errs: Vec<f64> = (0..data.cases.len())
                .filter(|k| train[*k])
                .filter_map(|k| p.error(data, k))
                .collect();
            let mae = errs.iter().sum::<f64>() / errs.len().max(1) as f64;
            (errs.len(), mae)
        })
        .collect();
    let most = stats.iter().map(|s| s.0).max()?;
    if most == 0 {
        return None;
    }
    let mut best: Option<(usize, f64)> = None;
    for (k, (n, mae)) in stats.iter().enumerate() {
        if *n == most && best.is_none_or(|b| *mae < b.1) {
            best = Some((k, *mae));
        }
    }
    best
}

/// Assigns each case to one of `k` folds by its proposal: the proposals are shuffled by a
/// ChaCha8 generator seeded with `seed` and dealt round-robin, so all issues of a proposal
/// share a fold. Returns the fold of every case.
pub fn assign_folds(data: &Dataset, k: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..data.n_proposals()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for i in (1..order.len()).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    let mut fold_of = vec![0; order.len()];
    for (pos, p) in order.iter().enumerate() {
        fold_of[*p] = pos % k.max(1);
    }
    data.cases.iter().map(|c| fold_of[c.cluster]).collect()
}

/// One fold (or the single fit/score split): what was fitted where, and how it scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoldResult {
    /// Fold number (0-based); 0 for a fit/score split.
    pub fold: usize,
    /// Proposals used for fitting.
    pub train_proposals: usize,
    /// Issues used for fitting.
    pub train_issues: usize,
    /// Proposals scored.
    pub test_proposals: usize,
    /// Issues scored.
    pub test_issues: usize,
    /// The chosen parameters, as `name=value`.
    pub parameters: Vec<String>,
    /// MAE of the chosen point on the training issues (0–100; the fitting criterion).
    pub train_mae: f64,
    /// MAE on the held-out issues (0–100).
    pub test_mae: Option<f64>,
}

/// `name=value` strings of a parameter set.
pub fn describe(p: &Params) -> Vec<String> {
    p.values.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_issue(positions: &[(f64, f64, f64)], reference: Option<f64>) -> Snapshot {
        Snapshot::single_issue(0.0, 100.0, reference, positions)
    }

    #[test]
    fn blend_defaults_equal_the_compromise_model() {
        let snap = one_issue(
            &[(0.0, 0.5, 1.0), (100.0, 1.0, 2.0), (40.0, 0.2, 3.0)],
            Some(10.0),
        );
        let b = Blend.forecast_values(&snap, &Params::new()).unwrap();
        let c = baseline::Compromise
            .forecast_values(&snap, &Params::new())
            .unwrap();
        assert!((b[0].unwrap() - c[0].unwrap()).abs() < 1e-12);
        let full = Blend
            .forecast_values(&snap, &Params::new().set("lambda", "1"))
            .unwrap();
        assert_eq!(full[0], Some(10.0));
        // α = 0: capability only: (0·1 + 100·2 + 40·3) / 6.
        let cap_only = Blend
            .forecast_values(&snap, &Params::new().set("salience_exponent", "0"))
            .unwrap();
        assert!((cap_only[0].unwrap() - 320.0 / 6.0).abs() < 1e-12);
        assert!(
            Blend
                .forecast_values(&snap, &Params::new().set("lambda", "2"))
                .is_err()
        );
    }

    #[test]
    fn solve_and_fast_path_agree() {
        let snap = one_issue(&[(20.0, 0.5, 1.0), (90.0, 0.7, 2.0)], Some(50.0));
        let p = Params::new()
            .set("lambda", "0.3")
            .set("salience_exponent", "2");
        let f = Blend.solve(&snap, &p).unwrap();
        let v = Blend.forecast_values(&snap, &p).unwrap();
        assert_eq!(Some(f.issues[0].forecast), v[0]);
    }
}
