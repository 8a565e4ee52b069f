//! Which ranged inputs drive the forecast: one-at-a-time swings (tornado) and
//! variance-based (Sobol) first-order and total indices.

use super::inputs::{Field, InputSpace, Purpose};
use super::{Shape, UncertaintyError};
use crate::models::{Model, Params};
use crate::scenario::Scenario;
use rayon::prelude::*;
use serde::Serialize;

/// How to run the sensitivity analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityOptions {
    /// Base sample size `N` of the variance-based indices; they cost `N·(k + 2)`
    /// evaluations for `k` ranged inputs. 0 skips them.
    pub samples: u64,
    /// Seed of the variance-based sample.
    pub seed: u64,
    /// Distribution of every ranged input (independent draws).
    pub shape: Shape,
}

impl Default for SensitivityOptions {
    fn default() -> Self {
        SensitivityOptions {
            samples: 4096,
            seed: 0,
            shape: Shape::Triangular,
        }
    }
}

/// The forecast at one input's low and high end, the others at their modes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swing {
    /// The input's name, e.g. `germany.position`.
    pub input: String,
    /// The actor.
    pub actor: String,
    /// Which number.
    pub field: Field,
    /// The input's low end.
    pub low_value: f64,
    /// The input's high end.
    pub high_value: f64,
    /// Forecast with the input at its low end.
    pub forecast_at_low: f64,
    /// Forecast with the input at its high end.
    pub forecast_at_high: f64,
    /// `|forecast_at_high − forecast_at_low|`, in the issue's units.
    pub swing: f64,
}

/// The variance-based indices of one input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VarianceShare {
    /// The input's name.
    pub input: String,
    /// First-order index `Var(E[Y | Xᵢ]) / Var(Y)`: the share of the forecast's variance
    /// this input explains alone (Saltelli 2010 estimator). `None` when the forecast does
    /// not vary.
    pub first_order: Option<f64>,
    /// Total index `E[Var(Y | X₋ᵢ)] / Var(Y)`, including interactions (Jansen estimator).
    pub total: Option<f64>,
}

/// Sensitivity of one issue's forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueSensitivity {
    /// The issue's id.
    pub id: String,
    /// The forecast with every input at its mode.
    pub at_modes: f64,
    /// Swings, largest first (ties keep input order).
    pub tornado: Vec<Swing>,
    /// Variance of the forecast over the variance-based sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variance: Option<f64>,
    /// Variance-based indices, largest first-order index first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indices: Vec<VarianceShare>,
}

/// Model evaluations spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Evaluations {
    /// `1 + 2k` for the tornado.
    pub tornado: u64,
    /// `N·(k + 2)` for the variance-based indices.
    pub variance_based: u64,
}

/// The result of a sensitivity analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The model's name.
    pub model: String,
    /// Distribution of the inputs for the variance-based indices.
    pub distribution: Shape,
    /// Base sample size `N`.
    pub samples: u64,
    /// Seed of the sample.
    pub seed: u64,
    /// The number of model evaluations.
    pub evaluations: Evaluations,
    /// Ranged inputs considered.
    pub inputs: Vec<String>,
    /// One entry per issue the model forecasts at the modes.
    pub issues: Vec<IssueSensitivity>,
}

/// Tornado swings and variance-based indices of every ranged input of `scenario`.
pub fn sensitivity(
    model: &dyn Model,
    scenario: &Scenario,
    params: &Params,
    opts: &SensitivityOptions,
) -> Result<Sensitivity, UncertaintyError> {
    let space = InputSpace::new(scenario, opts.shape, None)?;
    let at_modes = model.forecast_values(&space.base, params)?;
    let swings = tornado(model, &space, params)?;
    let k = space.len();
    let variance = if opts.samples > 0 && k > 0 {
        Some(variance_based(model, &space, params, opts)?)
    } else {
        None
    };
    let issues = at_modes
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let at_modes = (*f)?;
            let mut tornado: Vec<Swing> = swings.iter().filter_map(|s| s[i].clone()).collect();
            tornado.sort_by(|a, b| b.swing.total_cmp(&a.swing));
            let (variance, indices) = match &variance {
                Some(v) => v.issue(i, &space),
                None => (None, Vec::new()),
            };
            Some(IssueSensitivity {
                id: space.base.issue_ids[i].clone(),
                at_modes,
                tornado,
                variance,
                indices,
            })
        })
        .collect();
    Ok(Sensitivity {
        model: model.name().to_string(),
        distribution: opts.shape,
        samples: if k > 0 { opts.samples } else { 0 },
        seed: opts.seed,
        evaluations: Evaluations {
            tornado: 1 + 2 * k as u64,
            variance_based: if k > 0 {
                opts.samples * (k as u64 + 2)
            } else {
                0
            },
        },
        inputs: space.inputs.iter().map(|x| x.name.clone()).collect(),
        issues,
    })
}

/// Per input, per issue: the swing (None where the model gives no forecast).
fn tornado(
    model: &dyn Model,
    space: &InputSpace,
    params: &Params,
) -> Result<Vec<Vec<Option<Swing>>>, UncertaintyError> {
    (0..space.len())
        .into_par_iter()
        .map_init(
            || space.base.clone(),
            |snap, j| {
                let input = &space.inputs[j];
                space.set(snap, j, input.low);
                let low = model.forecast_values(snap, params);
                space.set(snap, j, input.high);
                let high = model.forecast_values(snap, params);
                space.set(snap, j, input.mode);
                let (low, high) = (low?, high?);
                Ok(low
                    .iter()
                    .zip(&high)
                    .map(|(l, h)| {
                        let (l, h) = ((*l)?, (*h)?);
                        Some(Swing {
                            input: input.name.clone(),
                            actor: input.actor.clone(),
                            field: input.field,
                            low_value: input.low,
                            high_value: input.high,
                            forecast_at_low: l,
                            forecast_at_high: h,
                            swing: (h - l).abs(),
                        })
                    })
                    .collect())
            },
        )
        .collect()
}

/// Per sample row `j`: `f(A_j)`, `f(B_j)` and `f(A_j with input i from B_j)` for every `i`,
/// each a vector over issues (NaN where no forecast).
struct VarianceSample {
    rows: Vec<Vec<Vec<f64>>>,
}

fn variance_based(
    model: &dyn Model,
    space: &InputSpace,
    params: &Params,
    opts: &SensitivityOptions,
) -> Result<VarianceSample, UncertaintyError> {
    let k = space.len();
    let rows: Result<Vec<Vec<Vec<f64>>>, UncertaintyError> = (0..opts.samples)
        .into_par_iter()
        .map_init(
            || (space.base.clone(), vec![0.0; k], vec![0.0; k]),
            |(snap, a, b), j| {
                space.draw_uniforms(opts.seed, Purpose::SobolA, j, a);
                space.draw_uniforms(opts.seed, Purpose::SobolB, j, b);
                let eval = |snap: &crate::Snapshot| -> Result<Vec<f64>, UncertaintyError> {
                    let f = model
                        .forecast_values(snap, params)
                        .map_err(|error| UncertaintyError::Draw { draw: j, error })?;
                    Ok(f.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
                };
                let mut row = Vec::with_capacity(k + 2);
                space.apply(snap, a);
                row.push(eval(snap)?);
                space.apply(snap, b);
                row.push(eval(snap)?);
                space.apply(snap, a);
                for i in 0..k {
                    space.set_quantile(snap, i, b[i]);
                    row.push(eval(snap)?);
                    space.set_quantile(snap, i, a[i]);
                }
                Ok(row)
            },
        )
        .collect();
    Ok(VarianceSample { rows: rows? })
}

impl VarianceSample {
    /// Variance and indices of issue `i`, in row order (deterministic sums).
    fn issue(&self, i: usize, space: &InputSpace) -> (Option<f64>, Vec<VarianceShare>) {
        let n = self.rows.len() as f64;
        let fa = |r: &Vec<Vec<f64>>| r[0][i];
        let fb = |r: &Vec<Vec<f64>>| r[1][i];
        let all_finite = self.rows.iter().all(|r| r.iter().all(|v| v[i].is_finite()));
        let variance = if all_finite && n > 1.0 {
            let mean = self.rows.iter().map(|r| fa(r) + fb(r)).sum::<f64>() / (2.0 * n);
            let ss: f64 = self
                .rows
                .iter()
                .map(|r| (fa(r) - mean).powi(2) + (fb(r) - mean).powi(2))
                .sum();
            Some(ss / (2.0 * n - 1.0))
        } else {
            None
        };
        let usable = variance.filter(|v| *v > 1e-24);
        // Centring on the overall mean leaves the estimators unbiased and removes the
        // large `mean²` terms that otherwise dominate their noise.
        let centre = self.rows.iter().map(|r| fa(r) + fb(r)).sum::<f64>() / (2.0 * n);
        let mut shares: Vec<VarianceShare> = space
            .inputs
            .iter()
            .enumerate()
            .map(|(j, input)| {
                let (first, total) = match usable {
                    Some(v) => {
                        let s1 = self
                            .rows
                            .iter()
                            .map(|r| (fb(r) - centre) * (r[2 + j][i] - fa(r)))
                            .sum::<f64>()
                            / n;
                        let st = self
                            .rows
                            .iter()
                            .map(|r| (fa(r) - r[2 + j][i]).powi(2))
                            .sum::<f64>()
                            / (2.0 * n);
                        (Some(s1 / v), Some(st / v))
                    }
                    None => (None, None),
                };
                VarianceShare {
                    input: input.name.clone(),
                    first_order: first,
                    total,
                }
            })
            .collect();
        shares.sort_by(|a, b| {
            let key = |x: &VarianceShare| x.first_order.unwrap_or(f64::NEG_INFINITY);
            key(b).total_cmp(&key(a))
        });
        (variance, shares)
    }
}
