//! Monte Carlo: draw every ranged input, run the model's fast path, summarise per issue.

use super::inputs::{Correlation, Input, InputSpace, Purpose};
use super::summary::{Convergence, Crossing, Histogram, quantile_sorted};
use super::{Shape, UncertaintyError};
use crate::models::{Model, Params};
use crate::scenario::Scenario;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

/// Draws handled by one parallel task; progress advances by this much.
const BLOCK: usize = 256;

/// Most forecast values one run keeps (draws × issues): 4 GB of `f64`.
pub const MAX_VALUES: usize = 1 << 29;

/// The quantile definition reported in the output.
pub const QUANTILE_DEFINITION: &str = "Hyndman-Fan type 7: linear interpolation between order statistics at (n-1)p (R and NumPy default)";

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulationOptions {
    /// Number of draws (≥ 1).
    pub draws: u64,
    /// Seed; draw `i` depends only on `(seed, i)`.
    pub seed: u64,
    /// Distribution of every ranged input.
    pub shape: Shape,
    /// Correlated draws within groups, if wanted.
    pub correlation: Option<Correlation>,
    /// Thresholds (issue units) whose crossing probability is reported for every issue.
    pub thresholds: Vec<f64>,
    /// Histogram bins (≥ 1).
    pub bins: usize,
}

impl Default for SimulationOptions {
    fn default() -> Self {
        SimulationOptions {
            draws: 10_000,
            seed: 0,
            shape: Shape::Triangular,
            correlation: None,
            thresholds: Vec::new(),
            bins: 20,
        }
    }
}

/// The distribution of the forecast of one issue over the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueDistribution {
    /// The issue's id.
    pub id: String,
    /// Median of the forecasts, in the issue's units.
    pub median: f64,
    /// Mean of the forecasts.
    pub mean: f64,
    /// 10th percentile (see [`QUANTILE_DEFINITION`]).
    pub p10: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Standard deviation (divisor n − 1; 0 for one draw).
    pub sd: f64,
    /// Smallest forecast.
    pub min: f64,
    /// Largest forecast.
    pub max: f64,
    /// The forecast with every input at its mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_modes: Option<f64>,
    /// Draws in which the model gave a forecast for this issue.
    pub draws_with_forecast: u64,
    /// Forecasts per bin.
    pub histogram: Histogram,
    /// Probabilities of reaching each requested threshold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<Crossing>,
    /// How settled the estimates are.
    pub convergence: Convergence,
    /// Predictive 50 % interval of the outcome `[lo, hi]` (Monte Carlo spread and the
    /// model's calibrated error), when computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval_50: Option<[f64; 2]>,
    /// Predictive 80 % interval of the outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval_80: Option<[f64; 2]>,
    /// Share of draws that reached agreement, for models that can fail to agree
    /// (`twolevel`); the statistics above then cover every draw, the reversion point
    /// counted where there was no agreement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_agreement: Option<f64>,
    /// The forecast over the draws that reached agreement (absent when none did, or for
    /// models that always agree).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_agreement: Option<GivenAgreement>,
}

/// The distribution of an issue's forecast over the draws that reached agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GivenAgreement {
    /// Number of draws with agreement.
    pub draws: u64,
    /// Median, in the issue's units.
    pub median: f64,
    /// Mean.
    pub mean: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Forecasts per bin.
    pub histogram: Histogram,
}

impl GivenAgreement {
    fn new(values: &[f64], bins: usize) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        Some(GivenAgreement {
            draws: values.len() as u64,
            median: quantile_sorted(&sorted, 0.5),
            mean: values.iter().sum::<f64>() / values.len() as f64,
            p10: quantile_sorted(&sorted, 0.1),
            p90: quantile_sorted(&sorted, 0.9),
            histogram: Histogram::new(&sorted, bins),
        })
    }
}

/// The result of a Monte Carlo run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    /// The model's name.
    pub model: String,
    /// Number of draws.
    pub draws: u64,
    /// The seed.
    pub seed: u64,
    /// Distribution of every ranged input.
    pub distribution: Shape,
    /// Correlated draws, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation: Option<Correlation>,
    /// How quantiles are computed.
    pub quantiles: &'static str,
    /// The ranged inputs that were drawn.
    pub inputs: Vec<Input>,
    /// One entry per issue the model forecasts, in scenario order.
    pub issues: Vec<IssueDistribution>,
    /// The calibration of the predictive intervals, when they were computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<crate::calibration::CalibrationRef>,
}

/// Runs `opts.draws` draws of `scenario` through `model` in parallel (rayon's current
/// pool). Results are identical for any number of threads. `progress`, when given, is
/// increased by the number of draws done as they finish.
pub fn simulate(
    model: &dyn Model,
    scenario: &Scenario,
    params: &Params,
    opts: &SimulationOptions,
    progress: Option<&AtomicU64>,
) -> Result<Simulation, UncertaintyError> {
    simulate_with_draws(model, scenario, params, opts, progress).map(|r| r.0)
}

/// As [`simulate()`], also returning every draw's forecasts.
pub fn simulate_with_draws(
    model: &dyn Model,
    scenario: &Scenario,
    params: &Params,
    opts: &SimulationOptions,
    progress: Option<&AtomicU64>,
) -> Result<(Simulation, ForecastTable), UncertaintyError> {
    if opts.draws == 0 {
        return Err(UncertaintyError::Options("draws must be at least 1".into()));
    }
    let space = InputSpace::new(scenario, opts.shape, opts.correlation.clone())?;
    let table = draw_forecasts(model, &space, params, opts.draws, opts.seed, progress)?;
    let sim = summarise_draws(model, &space, params, opts, &table)?;
    Ok((sim, table))
}

/// Draws `start..start + count` of the run that `opts` describes (`opts.draws` is not
/// used), for splitting one run into chunks: draw `i` depends only on `(opts.seed, i)`, so
/// chunks gathered in draw order equal the draws of [`simulate`] with the same seed,
/// whatever the chunk sizes.
pub fn draw_chunk(
    model: &dyn Model,
    scenario: &Scenario,
    params: &Params,
    opts: &SimulationOptions,
    start: u64,
    count: u64,
) -> Result<ForecastTable, UncertaintyError> {
    if start.checked_add(count).is_none() {
        return Err(UncertaintyError::Options(format!(
            "draws {start}..{start}+{count} run past the largest draw index"
        )));
    }
    let space = InputSpace::new(scenario, opts.shape, opts.correlation.clone())?;
    draw_forecasts_from(model, &space, params, start, count, opts.seed, None)
}

/// The [`Simulation`] of draws `0..n` that were run in chunks ([`draw_chunk`]) and
/// gathered in draw order into `table`: byte-identical to [`simulate`] with the same
/// options and `opts.draws == n`.
pub fn simulation_from_draws(
    model: &dyn Model,
    scenario: &Scenario,
    params: &Params,
    opts: &SimulationOptions,
    table: &ForecastTable,
) -> Result<Simulation, UncertaintyError> {
    let space = InputSpace::new(scenario, opts.shape, opts.correlation.clone())?;
    let issues = space.base.issues.len().max(1);
    if table.issues != issues
        || Some(table.values.len() as u64) != opts.draws.checked_mul(issues as u64)
        || table.agreement.len() != table.values.len()
    {
        return Err(UncertaintyError::Options(format!(
            "the gathered draws hold {} values of {} issue(s); {} draws of {issues} issue(s) were expected",
            table.values.len(),
            table.issues,
            opts.draws
        )));
    }
    summarise_draws(model, &space, params, opts, table)
}

/// Per-issue distributions of the draws in `table`, with the forecast at the modes.
fn summarise_draws(
    model: &dyn Model,
    space: &InputSpace,
    params: &Params,
    opts: &SimulationOptions,
    table: &ForecastTable,
) -> Result<Simulation, UncertaintyError> {
    let at_modes = model.forecast_values(&space.base, params)?;
    let issues = (0..space.base.issues.len())
        .filter_map(|i| {
            let values: Vec<f64> = table.column(i).filter(|x| x.is_finite()).collect();
            let distribution = summarise(&values, opts)?;
            let (p_agreement, given_agreement) = agreement_summary(table, i, opts.bins);
            Some(IssueDistribution {
                id: space.base.issue_ids[i].clone(),
                at_modes: at_modes.get(i).copied().flatten(),
                p_agreement,
                given_agreement,
                ..distribution
            })
        })
        .collect();
    let sim = Simulation {
        model: model.name().to_string(),
        draws: opts.draws,
        seed: opts.seed,
        distribution: opts.shape,
        correlation: opts.correlation.clone(),
        quantiles: QUANTILE_DEFINITION,
        inputs: space.inputs.clone(),
        issues,
        calibration: None,
    };
    Ok(sim)
}

/// The share of draws with agreement on issue `i` and the forecast given agreement, when
/// the model reports agreement.
fn agreement_summary(
    table: &ForecastTable,
    i: usize,
    bins: usize,
) -> (Option<f64>, Option<GivenAgreement>) {
    let flags: Vec<(u8, f64)> = table
        .agreement_column(i)
        .zip(table.column(i))
        .filter(|(a, x)| *a != UNKNOWN && x.is_finite())
        .collect();
    if flags.is_empty() {
        return (None, None);
    }
    let agreed: Vec<f64> = flags
        .iter()
        .filter(|(a, _)| *a == 1)
        .map(|(_, x)| *x)
        .collect();
    let p = agreed.len() as f64 / flags.len() as f64;
    (Some(p), GivenAgreement::new(&agreed, bins))
}

/// Agreement flag of a draw whose model does not report agreement.
pub const UNKNOWN: u8 = 2;

/// Forecasts of every draw, draw-major: `values[draw · issues + issue]`, NaN where the
/// model gave none.
pub struct ForecastTable {
    /// Number of issues per draw.
    pub issues: usize,
    /// The forecasts.
    pub values: Vec<f64>,
    /// Per value, 1 if the issue reached agreement, 0 if not, [`UNKNOWN`] if the model does
    /// not say.
    pub agreement: Vec<u8>,
}

impl ForecastTable {
    /// The forecasts of issue `i`, in draw order.
    pub fn column(&self, i: usize) -> impl Iterator<Item = f64> + '_ {
        self.values
            .iter()
            .skip(i)
            .step_by(self.issues.max(1))
            .copied()
    }

    /// The agreement flags of issue `i`, in draw order.
    pub fn agreement_column(&self, i: usize) -> impl Iterator<Item = u8> + '_ {
        self.agreement
            .iter()
            .skip(i)
            .step_by(self.issues.max(1))
            .copied()
    }
}

/// Runs draws `0..draws` and keeps only the forecast values.
pub fn draw_forecasts(
    model: &dyn Model,
    space: &InputSpace,
    params: &Params,
    draws: u64,
    seed: u64,
    progress: Option<&AtomicU64>,
) -> Result<ForecastTable, UncertaintyError> {
    draw_forecasts_from(model, space, params, 0, draws, seed, progress)
}

/// Runs draws `start..start + draws` and keeps only the forecast values.
fn draw_forecasts_from(
    model: &dyn Model,
    space: &InputSpace,
    params: &Params,
    start: u64,
    draws: u64,
    seed: u64,
    progress: Option<&AtomicU64>,
) -> Result<ForecastTable, UncertaintyError> {
    let issues = space.base.issues.len().max(1);
    let too_many = || {
        UncertaintyError::Options(format!(
            "{draws} draws of {issues} issue(s) need more than the {} forecast values (4 GB) kept at most; use fewer draws",
            MAX_VALUES
        ))
    };
    let len = usize::try_from(draws)
        .ok()
        .and_then(|d| d.checked_mul(issues))
        .filter(|n| *n <= MAX_VALUES)
        .ok_or_else(too_many)?;
    let mut values = Vec::new();
    values.try_reserve_exact(len).map_err(|_| too_many())?;
    values.resize(len, f64::NAN);
    let mut agreement = Vec::new();
    agreement.try_reserve_exact(len).map_err(|_| too_many())?;
    agreement.resize(len, UNKNOWN);
    let outcomes: Vec<Result<(), UncertaintyError>> = values
        .par_chunks_mut(BLOCK * issues)
        .zip(agreement.par_chunks_mut(BLOCK * issues))
        .enumerate()
        .map_init(
            || (space.base.clone(), vec![0.0; space.len()]),
            |(snap, u), (block, (chunk, flags))| {
                for (r, (row, frow)) in chunk
                    .chunks_mut(issues)
                    .zip(flags.chunks_mut(issues))
                    .enumerate()
                {
                    let draw = start + (block * BLOCK + r) as u64;
                    space.draw_uniforms(seed, Purpose::Simulate, draw, u);
                    space.apply(snap, u);
                    let f = model
                        .forecast_outcomes(snap, params)
                        .map_err(|error| UncertaintyError::Draw { draw, error })?;
                    for (slot, v) in row.iter_mut().zip(f.values) {
                        *slot = v.unwrap_or(f64::NAN);
                    }
                    if let Some(a) = f.agreement {
                        for (slot, yes) in frow.iter_mut().zip(a) {
                            *slot = u8::from(yes);
                        }
                    }
                }
                if let Some(p) = progress {
                    p.fetch_add((chunk.len() / issues) as u64, Ordering::Relaxed);
                }
                Ok(())
            },
        )
        .collect();
    // The first failing block in draw order, so the error is the same on any thread count.
    outcomes.into_iter().collect::<Result<Vec<()>, _>>()?;
    Ok(ForecastTable {
        issues,
        values,
        agreement,
    })
}

/// Summary statistics of one issue's forecasts; `None` when there are none.
fn summarise(values: &[f64], opts: &SimulationOptions) -> Option<IssueDistribution> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 {
        (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    Some(IssueDistribution {
        id: String::new(),
        median: quantile_sorted(&sorted, 0.5),
        mean,
        p10: quantile_sorted(&sorted, 0.1),
        p90: quantile_sorted(&sorted, 0.9),
        sd,
        min: sorted[0],
        max: sorted[n - 1],
        at_modes: None,
        draws_with_forecast: n as u64,
        histogram: Histogram::new(&sorted, opts.bins),
        thresholds: opts
            .thresholds
            .iter()
            .map(|t| Crossing::new(&sorted, *t))
            .collect(),
        convergence: Convergence::new(values, &sorted, sd),
        interval_50: None,
        interval_80: None,
        p_agreement: None,
        given_agreement: None,
    })
}
