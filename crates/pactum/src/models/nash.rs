//! The Nash bargaining solution with Achen's disagreement cost (Achen 2006).
//!
//! Per issue, the agreement `x` on the bargaining set that maximises
//! `Σ_k c_k ln g_k(x)` — the asymmetric Nash product with each actor's capability `c_k` as
//! its bargaining power and the gains `g_k` of [`super::bargaining`]. The objective is
//! strictly concave, so the maximiser is unique; it is found by bisection on the sign of the
//! derivative `Σ_k −2 c_k s_k (x − x_k) / g_k(x)`. As the cost `κ` grows every `g_k` tends to
//! the same `κ`, the first-order condition tends to `Σ c_k s_k (x − x_k) = 0`, and the
//! solution tends to the compromise model's capability × salience weighted mean.
//! See `docs/models/nash.md`.

use super::bargaining::{self, Table};
use super::{Forecast, Model, ParamSpec, Params, Preset};
use crate::error::ModelError;
use crate::snapshot::Snapshot;

/// The Nash bargaining solution, disagreement point = reference point.
pub struct Nash;

const PARAMS: &[ParamSpec] = &[bargaining::COST];

const PRESETS: &[Preset] = &[
    Preset {
        name: "status-quo",
        help: "κ = 0: disagreement means the status quo and nothing worse",
        values: &[("disagreement_cost", "0")],
    },
    Preset {
        name: "high-cost",
        help: "κ = 100: disagreement is very costly (close to the compromise model)",
        values: &[("disagreement_cost", "100")],
    },
];

/// Bisection steps: the bracket halves each step, so 200 reach the spacing of `f64`.
const STEPS: usize = 200;

/// The derivative of the log Nash product at `x` (strictly decreasing in `x`).
fn slope(t: &Table, x: f64) -> f64 {
    (0..t.len())
        .map(|k| -2.0 * t.capability[k] * t.salience[k] * (x - t.ideal[k]) / t.gain(k, x))
        .sum()
}

/// The Nash bargaining solution of one issue, on the 0–1 scale.
pub fn solve_table(t: &Table) -> f64 {
    let (mut a, mut b) = t.feasible();
    for _ in 0..STEPS {
        let mid = 0.5 * (a + b);
        if mid <= a || mid >= b {
            break;
        }
        if slope(t, mid) > 0.0 {
            a = mid;
        } else {
            b = mid;
        }
    }
    0.5 * (a + b)
}

impl Model for Nash {
    fn name(&self) -> &'static str {
        "nash"
    }
    fn summary(&self) -> &'static str {
        "Nash bargaining solution, reference point as disagreement point, capability as \
         bargaining power, Achen's disagreement cost (tends to the compromise as it grows)"
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
        bargaining::need_reference(snap, self.name())?;
        bargaining::values(snap, cost, solve_table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::baseline::Compromise;

    fn two(q: f64, cost: f64) -> Table {
        Table {
            ideal: vec![0.0, 1.0],
            salience: vec![1.0, 1.0],
            capability: vec![1.0, 1.0],
            q,
            cost,
        }
    }

    #[test]
    fn symmetric_actors_split_the_difference() {
        // Equal power and salience, status quo in the middle: the midpoint.
        assert!((solve_table(&two(0.5, 1.0)) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn two_actors_without_cost_by_hand() {
        // Ideals 0 and 1, q = 0.2, κ = 0: g_0 = 0.04 − x², g_1 = 0.64 − (1 − x)², feasible
        // x ∈ [0.2, 0.2]: actor 0 only accepts x ≤ 0.2 and actor 1 only x ≥ 0.2.
        assert!((solve_table(&two(0.2, 0.0)) - 0.2).abs() < 1e-12);
        // Both on the same side of q = 0: actor 0 (ideal 0.4, power 1) and actor 1 (ideal
        // 0.8, power 1), saliences 1, κ = 0. g_0 = 0.16 − (x − 0.4)² = x(0.8 − x),
        // g_1 = 0.64 − (x − 0.8)² = x(1.6 − x); maximise ln x(0.8 − x) + ln x(1.6 − x):
        // 2/x = 1/(0.8 − x) + 1/(1.6 − x) ⇒ 4x² − 7.2x + 2.56 = 0 ⇒ x = (7.2 − √10.88)/8.
        let t = Table {
            ideal: vec![0.4, 0.8],
            salience: vec![1.0, 1.0],
            capability: vec![1.0, 1.0],
            q: 0.0,
            cost: 0.0,
        };
        let expected = (7.2 - 10.88f64.sqrt()) / 8.0;
        assert!(
            (solve_table(&t) - expected).abs() < 1e-12,
            "{}",
            solve_table(&t)
        );
    }

    #[test]
    fn large_cost_gives_the_compromise_and_missing_reference_is_skipped() {
        let mut snap = Snapshot::single_issue(
            0.0,
            100.0,
            Some(10.0),
            &[(20.0, 0.9, 3.0), (70.0, 0.4, 1.0), (95.0, 0.6, 2.0)],
        );
        let p = Params::new().set("disagreement_cost", "1e9");
        let nash = Nash.forecast_values(&snap, &p).unwrap()[0].unwrap();
        let mean = Compromise.forecast_values(&snap, &p_none()).unwrap()[0].unwrap();
        assert!((nash - mean).abs() < 1e-6, "{nash} vs {mean}");
        snap.issues[0].reference = None;
        let e = Nash.forecast_values(&snap, &p).unwrap_err();
        assert!(e.to_string().contains("reference point"), "{e}");
    }

    fn p_none() -> Params {
        Params::new()
    }

    #[test]
    fn bad_cost_is_a_parameter_error() {
        let snap = Snapshot::single_issue(0.0, 1.0, Some(0.0), &[(0.2, 1.0, 1.0)]);
        for bad in ["-1", "x", "1e13"] {
            let e = Nash
                .forecast_values(&snap, &Params::new().set("disagreement_cost", bad))
                .unwrap_err();
            assert!(matches!(e, ModelError::Parameter { .. }), "{bad}: {e}");
        }
    }
}
