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
    if opts.draws == 0 {
        return Err(UncertaintyError::Options("draws must be at least 1".into()));
    }
    let space = InputSpace::new(scenario, opts.shape, opts.correlation.clone())?;
    let table = draw_forecasts(model, &space, params, opts.draws, opts.seed, progress)?;
    summarise_draws(model, &space, params, opts, &table)
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
            Some(IssueDistribution {
                id: space.base.issue_ids[i].clone(),
                at_modes: at_modes.get(i).copied().flatten(),
                ..distribution
            })
        })
        .collect();
    Ok(Simulation {
        model: model.name().to_string(),
        draws: opts.draws,
        seed: opts.seed,
        distribution: opts.shape,
        correlation: opts.correlation.clone(),
        quantiles: QUANTILE_DEFINITION,
        inputs: space.inputs.clone(),
        issues,
    })
}

/// Forecasts of every draw, draw-major: `values[draw · issues + issue]`, NaN where the
/// model gave none.
pub struct ForecastTable {
    /// Number of issues per draw.
    pub issues: usize,
    /// The forecasts.
    pub values: Vec<f64>,
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
    let outcomes: Vec<Result<(), UncertaintyError>> = values
        .par_chunks_mut(BLOCK * issues)
        .enumerate()
        .map_init(
            || (space.base.clone(), vec![0.0; space.len()]),
            |(snap, u), (block, chunk)| {
                for (r, row) in chunk.chunks_mut(issues).enumerate() {
                    let draw = start + (block * BLOCK + r) as u64;
                    space.draw_uniforms(seed, Purpose::Simulate, draw, u);
                    space.apply(snap, u);
                    let f = model
                        .forecast_values(snap, params)
                        .map_err(|error| UncertaintyError::Draw { draw, error })?;
                    for (slot, v) in row.iter_mut().zip(f) {
                        *slot = v.unwrap_or(f64::NAN);
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
    Ok(ForecastTable { issues, values })
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
    })
}
