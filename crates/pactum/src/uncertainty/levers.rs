//! Levers of one actor: which of its own moves (stated position, salience), and which other
//! actor's shift, brings the forecast closest to the actor's own position, and how robust
//! each is across draws of the ranged inputs.

use super::inputs::{Correlation, Field, InputSpace, Purpose};
use super::summary::quantile_sorted;
use super::{Shape, UncertaintyError};
use crate::models::{Model, Params};
use crate::scenario::Scenario;
use crate::snapshot::Snapshot;
use rayon::prelude::*;
use serde::Serialize;

/// How to search for levers.
#[derive(Debug, Clone, PartialEq)]
pub struct LeverOptions {
    /// Draws used to test each lever's robustness (0: no robustness).
    pub draws: u64,
    /// Seed of those draws (the same draws as `simulate` with this seed).
    pub seed: u64,
    /// Distribution of every ranged input.
    pub shape: Shape,
    /// Correlated draws within groups, if wanted.
    pub correlation: Option<Correlation>,
    /// Points of the grid over the issue's scale searched for the actor's own position (≥ 2).
    pub position_grid: usize,
    /// Points of the grid over 0–1 searched for the actor's own salience (≥ 2).
    pub salience_grid: usize,
}

impl Default for LeverOptions {
    fn default() -> Self {
        LeverOptions {
            draws: 1000,
            seed: 0,
            shape: Shape::Triangular,
            correlation: None,
            position_grid: 41,
            salience_grid: 21,
        }
    }
}

/// How a lever fares across draws of the ranged inputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Robustness {
    /// Draws used.
    pub draws: u64,
    /// Share of draws in which the move brings the forecast closer to the actor's position.
    pub p_closer: f64,
    /// Share of draws in which it moves the forecast away.
    pub p_farther: f64,
    /// Median gain over the draws, in the issue's units.
    pub median_gain: f64,
    /// 10th percentile of the gain.
    pub p10_gain: f64,
    /// 90th percentile of the gain.
    pub p90_gain: f64,
}

/// One possible move and its effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lever {
    /// Who moves.
    pub actor: String,
    /// What changes: `position` or `salience`.
    pub field: Field,
    /// The coded value (mode).
    pub from: f64,
    /// The value after the move.
    pub to: f64,
    /// The forecast after the move, all else at the modes.
    pub forecast: f64,
    /// How much closer the forecast gets to the actor's position, in the issue's units
    /// (`|before − target| − |after − target|`; negative: farther).
    pub gain: f64,
    /// The same move across draws; `None` when nothing is ranged or no draws were asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub robustness: Option<Robustness>,
    #[serde(skip)]
    issue: usize,
    #[serde(skip)]
    slot: usize,
}

/// The levers on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueLevers {
    /// The issue's id.
    pub id: String,
    /// The actor's own position (mode): the target.
    pub target: f64,
    /// The forecast with every input at its mode.
    pub forecast: f64,
    /// `|forecast − target|`.
    pub distance: f64,
    /// The actor's best stated position and best salience.
    pub own: Vec<Lever>,
    /// Each other actor moving to the target position, or to salience 0 or 1 (whichever
    /// helps more), largest gain first.
    pub others: Vec<Lever>,
    /// Forecast for each stated position of the actor on the grid: `[position, forecast]`.
    pub position_curve: Vec<[f64; 2]>,
    /// Forecast for each salience of the actor on the grid: `[salience, forecast]`.
    pub salience_curve: Vec<[f64; 2]>,
}

/// The result of a lever search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Levers {
    /// The model's name.
    pub model: String,
    /// The actor whose levers these are.
    pub actor: String,
    /// Draws used for robustness.
    pub draws: u64,
    /// Their seed.
    pub seed: u64,
    /// Distribution of every ranged input.
    pub distribution: Shape,
    /// Model evaluations spent.
    pub evaluations: u64,
    /// One entry per issue the actor takes part in and the model forecasts.
    pub issues: Vec<IssueLevers>,
}

/// Searches the levers of `actor` on every issue it takes part in.
pub fn levers(
    model: &dyn Model,
    scenario: &Scenario,
    params: &Params,
    actor: &str,
    opts: &LeverOptions,
) -> Result<Levers, UncertaintyError> {
    let space = InputSpace::new(scenario, opts.shape, opts.correlation.clone())?;
    let a = space
        .base
        .actor_ids
        .iter()
        .position(|id| id == actor)
        .ok_or_else(|| {
            UncertaintyError::Options(format!(
                "unknown actor `{actor}`; known: {}",
                space.base.actor_ids.join(", ")
            ))
        })?;
    let base = model.forecast_values(&space.base, params)?;
    let mut evaluations = 1u64;
    let mut issues = Vec::new();
    for (i, d) in space.base.issues.iter().enumerate() {
        let (Some(k), Some(Some(forecast))) = (d.actors.iter().position(|x| *x == a), base.get(i))
        else {
            continue;
        };
        let (levers, evals) = issue_levers(model, &space, params, i, k, *forecast, opts)?;
        evaluations += evals;
        issues.push(levers);
    }
    if issues.is_empty() {
        return Err(UncertaintyError::Options(format!(
            "actor `{actor}` takes part in no issue the model forecasts"
        )));
    }
    if opts.draws > 0 && !space.is_empty() {
        evaluations += robustness(model, &space, params, a, &mut issues, opts)?;
    }
    Ok(Levers {
        model: model.name().to_string(),
        actor: actor.to_string(),
        draws: if space.is_empty() { 0 } else { opts.draws },
        seed: opts.seed,
        distribution: opts.shape,
        evaluations,
        issues,
    })
}

/// Writes `value` into `field` of participant `slot` on issue `i`.
fn set(snap: &mut Snapshot, i: usize, slot: usize, field: Field, value: f64) {
    let d = &mut snap.issues[i];
    match field {
        Field::Position => d.position[slot] = value,
        Field::Salience => d.salience[slot] = value,
        Field::Capability => d.capability[slot] = value,
    }
}

fn get(snap: &Snapshot, i: usize, slot: usize, field: Field) -> f64 {
    let d = &snap.issues[i];
    match field {
        Field::Position => d.position[slot],
        Field::Salience => d.salience[slot],
        Field::Capability => d.capability[slot],
    }
}

/// Forecast of issue `i` with one value changed (all else at the modes).
fn forecast_with(
    model: &dyn Model,
    snap: &mut Snapshot,
    params: &Params,
    (i, slot, field): (usize, usize, Field),
    value: f64,
) -> Result<Option<f64>, UncertaintyError> {
    let old = get(snap, i, slot, field);
    set(snap, i, slot, field, value);
    let f = model.forecast_values(snap, params);
    set(snap, i, slot, field, old);
    match f {
        Ok(v) => Ok(v.get(i).copied().flatten()),
        // A move that leaves the model undefined (e.g. smp with an actor whose saliences are
        // all zero) is not available as a lever; it is skipped, not an error for the search.
        Err(crate::error::ModelError::Unsuitable(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Forecasts of issue `i` for each value in `values` of one field, in parallel.
fn curve(
    model: &dyn Model,
    space: &InputSpace,
    params: &Params,
    target: (usize, usize, Field),
    values: &[f64],
) -> Result<Vec<[f64; 2]>, UncertaintyError> {
    let points: Result<Vec<Option<[f64; 2]>>, UncertaintyError> = values
        .par_iter()
        .map_init(
            || space.base.clone(),
            |snap, &v| Ok(forecast_with(model, snap, params, target, v)?.map(|f| [v, f])),
        )
        .collect();
    Ok(points?.into_iter().flatten().collect())
}

fn grid(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let n = n.max(2);
    (0..n)
        .map(|s| lo + (hi - lo) * s as f64 / (n - 1) as f64)
        .collect()
}

/// The point of `curve` with the largest gain toward `target`; ties go to the smallest
/// change from `from`.
fn best(curve: &[[f64; 2]], target: f64, from: f64) -> Option<[f64; 2]> {
    curve.iter().copied().min_by(|p, q| {
        (p[1] - target)
            .abs()
            .total_cmp(&(q[1] - target).abs())
            .then((p[0] - from).abs().total_cmp(&(q[0] - from).abs()))
    })
}

#[allow(clippy::too_many_arguments)]
fn make_lever(
    space: &InputSpace,
    i: usize,
    slot: usize,
    field: Field,
    to: f64,
    forecast: f64,
    base: f64,
    target: f64,
) -> Lever {
    let d = &space.base.issues[i];
    Lever {
        actor: space.base.actor_ids[d.actors[slot]].clone(),
        field,
        from: get(&space.base, i, slot, field),
        to,
        forecast,
        gain: (base - target).abs() - (forecast - target).abs(),
        robustness: None,
        issue: i,
        slot,
    }
}

/// Own moves and other actors' moves on issue `i`, where the actor is participant `k`.
fn issue_levers(
    model: &dyn Model,
    space: &InputSpace,
    params: &Params,
    i: usize,
    k: usize,
    base: f64,
    opts: &LeverOptions,
) -> Result<(IssueLevers, u64), UncertaintyError> {
    let d = &space.base.issues[i];
    let target = d.position[k];
    let mut positions = grid(d.lo, d.hi, opts.position_grid);
    positions.push(target);
    let mut saliences = grid(0.0, 1.0, opts.salience_grid);
    saliences.push(d.salience[k]);
    let position_curve = curve(model, space, params, (i, k, Field::Position), &positions)?;
    let salience_curve = curve(model, space, params, (i, k, Field::Salience), &saliences)?;
    let mut evaluations = (positions.len() + saliences.len()) as u64;
    let mut own = Vec::new();
    for (field, c) in [
        (Field::Position, &position_curve),
        (Field::Salience, &salience_curve),
    ] {
        if let Some([to, f]) = best(c, target, get(&space.base, i, k, field)) {
            own.push(make_lever(space, i, k, field, to, f, base, target));
        }
    }
    let mut others = Vec::new();
    let mut snap = space.base.clone();
    for slot in (0..d.len()).filter(|s| *s != k) {
        let moves = [
            (Field::Position, target),
            (Field::Salience, 0.0),
            (Field::Salience, 1.0),
        ];
        let mut best_salience: Option<Lever> = None;
        for (field, to) in moves {
            evaluations += 1;
            let Some(f) = forecast_with(model, &mut snap, params, (i, slot, field), to)? else {
                continue;
            };
            let lever = make_lever(space, i, slot, field, to, f, base, target);
            match field {
                Field::Salience => {
                    if best_salience.as_ref().is_none_or(|b| lever.gain > b.gain) {
                        best_salience = Some(lever);
                    }
                }
                _ => others.push(lever),
            }
        }
        others.extend(best_salience);
    }
    others.sort_by(|a, b| b.gain.total_cmp(&a.gain));
    // Restore the search's own grid points to ascending order for the curves.
    let sorted = |mut c: Vec<[f64; 2]>| {
        c.sort_by(|p, q| p[0].total_cmp(&q[0]));
        c.dedup_by(|p, q| p[0] == q[0]);
        c
    };
    Ok((
        IssueLevers {
            id: space.base.issue_ids[i].clone(),
            target,
            forecast: base,
            distance: (base - target).abs(),
            own,
            others,
            position_curve: sorted(position_curve),
            salience_curve: sorted(salience_curve),
        },
        evaluations,
    ))
}

/// Re-evaluates every lever on draws `0..opts.draws` with common random numbers: in each
/// draw the gain is measured against the actor's drawn position, before and after the
/// move. Returns the evaluations spent.
fn robustness(
    model: &dyn Model,
    space: &InputSpace,
    params: &Params,
    actor: usize,
    issues: &mut [IssueLevers],
    opts: &LeverOptions,
) -> Result<u64, UncertaintyError> {
    let moves: Vec<(usize, usize, Field, f64)> = issues
        .iter()
        .flat_map(|l| l.own.iter().chain(&l.others))
        .map(|l| (l.issue, l.slot, l.field, l.to))
        .collect();
    let gains: Result<Vec<Vec<f64>>, UncertaintyError> =
        (0..opts.draws)
            .into_par_iter()
            .map_init(
                || (space.base.clone(), vec![0.0; space.len()]),
                |(snap, u), draw| {
                    space.draw_uniforms(opts.seed, Purpose::Simulate, draw, u);
                    space.apply(snap, u);
                    let wrap = |error| UncertaintyError::Draw { draw, error };
                    let before = model.forecast_values(snap, params).map_err(wrap)?;
                    let mut row = Vec::with_capacity(moves.len());
                    for &(i, slot, field, to) in &moves {
                        let d = &snap.issues[i];
                        let k = d.actors.iter().position(|x| *x == actor).unwrap_or(0);
                        let target = d.position[k];
                        let after = forecast_with(model, snap, params, (i, slot, field), to)
                            .map_err(|e| match e {
                                UncertaintyError::Model(error) => wrap(error),
                                other => other,
                            })?;
                        let gain = match (before.get(i).copied().flatten(), after) {
                            (Some(b), Some(a)) => (b - target).abs() - (a - target).abs(),
                            _ => f64::NAN,
                        };
                        row.push(gain);
                    }
                    Ok(row)
                },
            )
            .collect();
    let gains = gains?;
    let levers = issues
        .iter_mut()
        .flat_map(|l| l.own.iter_mut().chain(l.others.iter_mut()));
    for (m, lever) in levers.enumerate() {
        let mut g: Vec<f64> = gains
            .iter()
            .map(|r| r[m])
            .filter(|x| x.is_finite())
            .collect();
        if g.is_empty() {
            continue;
        }
        let scale = space.base.issues[lever.issue].hi - space.base.issues[lever.issue].lo;
        let eps = 1e-9 * scale;
        let n = g.len() as f64;
        let closer = g.iter().filter(|x| **x > eps).count() as f64;
        let farther = g.iter().filter(|x| **x < -eps).count() as f64;
        g.sort_unstable_by(f64::total_cmp);
        lever.robustness = Some(Robustness {
            draws: g.len() as u64,
            p_closer: closer / n,
            p_farther: farther / n,
            median_gain: quantile_sorted(&g, 0.5),
            p10_gain: quantile_sorted(&g, 0.1),
            p90_gain: quantile_sorted(&g, 0.9),
        });
    }
    Ok(opts.draws * (1 + moves.len() as u64))
}
