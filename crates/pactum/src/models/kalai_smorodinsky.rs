//! The Kalai–Smorodinsky bargaining solution for many actors on one issue.
//!
//! With the gains `g_k` of [`super::bargaining`] and the bargaining set `[a, b]`, each
//! actor's largest possible gain is `m_k = g_k(clamp(x_k, a, b))` and its relative gain is
//! `r_k(x) = g_k(x) / m_k ∈ [0, 1]`. The solution is the agreement that maximises the
//! smallest relative gain, `max_x min_k r_k(x)`: the largest point of the (comprehensive)
//! utility set on the segment from the disagreement point to the ideal point, i.e. the
//! classic definition extended to n actors. At the solution the actors whose relative gain
//! is smallest — one on each side, or one at its own ideal — have *equal* relative gains,
//! every other actor gains relatively more. With `power = capability` the criterion is
//! `max_x min_k (c_k / c̄) ln r_k(x)` (`c̄` the mean capability), so that binding actors
//! satisfy `r_i^{c_i} = r_j^{c_j}`: a stronger actor must get relatively closer to its
//! maximum. See `docs/models/kalai-smorodinsky.md`.

use super::bargaining::{self, Table};
use super::{Forecast, Model, ParamSpec, Params, Preset, params};
use crate::error::ModelError;
use crate::snapshot::Snapshot;

/// The Kalai–Smorodinsky solution, disagreement point = reference point.
pub struct KalaiSmorodinsky;

const POWER: ParamSpec = ParamSpec {
    name: "power",
    default: "none",
    help: "`none`: the classic symmetric solution (equal relative gains); `capability`: \
           relative gains raised to capability / mean capability must be equal",
};

const PARAMS: &[ParamSpec] = &[bargaining::COST, POWER];

const PRESETS: &[Preset] = &[Preset {
    name: "weighted",
    help: "capability as bargaining power (power = capability)",
    values: &[("power", "capability")],
}];

/// Golden-section steps: each keeps 0.618 of the bracket, so 120 reach the spacing of `f64`.
const STEPS: usize = 120;

/// Relative gain of every bargainer at `x`, with each one's exponent.
pub struct Criterion<'a> {
    table: &'a Table,
    best: Vec<f64>,
    exponent: Vec<f64>,
}

impl<'a> Criterion<'a> {
    /// The criterion for `table`; `weighted` makes capabilities the exponents.
    pub fn new(table: &'a Table, weighted: bool) -> Self {
        let (a, b) = table.feasible();
        let best = (0..table.len())
            .map(|k| table.gain(k, table.ideal[k].clamp(a, b)))
            .collect();
        let mean_c = table.capability.iter().sum::<f64>() / table.len().max(1) as f64;
        let exponent = (0..table.len())
            .map(|k| {
                if weighted {
                    table.capability[k] / mean_c
                } else {
                    1.0
                }
            })
            .collect();
        Criterion {
            table,
            best,
            exponent,
        }
    }

    /// Actor `k`'s relative gain `g_k(x) / m_k`, in [0, 1] on the bargaining set.
    pub fn relative_gain(&self, k: usize, x: f64) -> f64 {
        (self.table.gain(k, x).max(0.0) / self.best[k]).min(1.0)
    }

    /// The quantity the solution maximises: `min_k e_k ln r_k(x)`.
    pub fn value(&self, x: f64) -> f64 {
        (0..self.table.len())
            .map(|k| self.exponent[k] * self.relative_gain(k, x).ln())
            .fold(f64::INFINITY, f64::min)
    }
}

/// The Kalai–Smorodinsky solution of one issue, on the 0–1 scale.
pub fn solve_table(t: &Table, weighted: bool) -> f64 {
    let (mut a, mut b) = t.feasible();
    if b - a <= 0.0 {
        return t.q;
    }
    let c = Criterion::new(t, weighted);
    let ratio = 0.5 * (5f64.sqrt() - 1.0);
    let mut x1 = b - ratio * (b - a);
    let mut x2 = a + ratio * (b - a);
    let (mut f1, mut f2) = (c.value(x1), c.value(x2));
    for _ in 0..STEPS {
        if f1 < f2 {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + ratio * (b - a);
            f2 = c.value(x2);
        } else {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - ratio * (b - a);
            f1 = c.value(x1);
        }
        if b - a <= f64::EPSILON * 4.0 {
            break;
        }
    }
    0.5 * (a + b)
}

fn weighted(values: &std::collections::BTreeMap<String, String>) -> Result<bool, ModelError> {
    Ok(params::choice(values, POWER.name, &["none", "capability"])? == "capability")
}

impl Model for KalaiSmorodinsky {
    fn name(&self) -> &'static str {
        "kalai-smorodinsky"
    }
    fn summary(&self) -> &'static str {
        "Kalai–Smorodinsky bargaining solution: equal shares of each actor's largest possible \
         gain over the reference point (disagreement cost as for nash)"
    }
    fn parameters(&self) -> &'static [ParamSpec] {
        PARAMS
    }
    fn presets(&self) -> &'static [Preset] {
        PRESETS
    }
    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        bargaining::solve(self, snap, params)
    }
    fn forecast_values(
        &self,
        snap: &Snapshot,
        params: &Params,
    ) -> Result<Vec<Option<f64>>, ModelError> {
        let resolved = params.resolve(PARAMS, PRESETS)?;
        let cost = bargaining::cost(&resolved)?;
        let weighted = weighted(&resolved)?;
        bargaining::need_reference(snap, self.name())?;
        bargaining::values(snap, cost, |t| solve_table(t, weighted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_actors_by_hand() {
        // Ideals 0 and 1, saliences 1 and 0.5, q = 0.5, κ = 0.25. Gains:
        // g_0 = 0.25 − x² + 0.25 = 0.5 − x², g_1 = 0.5 (0.25 − (1 − x)²) + 0.25.
        // Bargaining set: x² ≤ 0.5 and (1 − x)² ≤ 0.75 ⇒ [1 − √0.75, √0.5]; maxima
        // m_0 = g_0(1 − √0.75), m_1 = g_1(√0.5). Equal relative gains: solve numerically
        // here by bisection on g_0/m_0 − g_1/m_1, independently of the golden section.
        let t = Table {
            ideal: vec![0.0, 1.0],
            salience: vec![1.0, 0.5],
            capability: vec![1.0, 1.0],
            q: 0.5,
            cost: 0.25,
        };
        let g0 = |x: f64| 0.5 - x * x;
        let g1 = |x: f64| 0.5 * (0.25 - (1.0 - x) * (1.0 - x)) + 0.25;
        let (lo, hi) = (1.0 - 0.75f64.sqrt(), 0.5f64.sqrt());
        assert!(((lo, hi).0 - t.feasible().0).abs() < 1e-12);
        assert!(((lo, hi).1 - t.feasible().1).abs() < 1e-12);
        let (m0, m1) = (g0(lo), g1(hi));
        let (mut a, mut b) = (lo, hi);
        for _ in 0..200 {
            let mid = 0.5 * (a + b);
            if g0(mid) / m0 > g1(mid) / m1 {
                a = mid;
            } else {
                b = mid;
            }
        }
        let x = solve_table(&t, false);
        assert!((x - a).abs() < 1e-9, "{x} vs {a}");
        // Capability weighting with equal capabilities changes nothing.
        assert!((solve_table(&t, true) - x).abs() < 1e-12);
    }

    #[test]
    fn stronger_actor_gets_more_under_power() {
        let t = Table {
            ideal: vec![0.0, 1.0],
            salience: vec![1.0, 1.0],
            capability: vec![3.0, 1.0],
            q: 0.5,
            cost: 1.0,
        };
        assert!((solve_table(&t, false) - 0.5).abs() < 1e-9);
        assert!(solve_table(&t, true) < 0.45);
    }
}
