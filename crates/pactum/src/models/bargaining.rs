//! What the axiomatic bargaining solutions ([`super::nash`], [`super::kalai_smorodinsky`])
//! share: quadratic utilities on the 0–1 scale, the reference point as disagreement point
//! with Achen's disagreement cost, the bargaining set, and the shape of their forecasts.
//!
//! Actor `k` (ideal `x_k`, salience `s_k`, both on 0–1) values an agreement `x` at
//! `u_k(x) = −s_k (x − x_k)²` and disagreement at `u_k(d) = −s_k (q − x_k)² − κ`, where `q`
//! is the reference point and `κ ≥ 0` the cost of disagreement (the same for everyone, in
//! the units of a salience-1 actor's loss over the whole scale). Its gain from `x` is
//! `g_k(x) = s_k [(q − x_k)² − (x − x_k)²] + κ`. Only actors with capability and salience
//! above zero bargain; the others neither gain nor lose and are left out.

use super::{Forecast, IssueForecast, Model, ParamSpec, Params, baseline, params};
use crate::error::ModelError;
use crate::snapshot::{IssueData, Snapshot};
use crate::stats;

/// The parameter both solutions share.
pub const COST: ParamSpec = ParamSpec {
    name: "disagreement_cost",
    default: "1",
    help: "Achen's cost of disagreement κ ≥ 0, in units of a salience-1 actor's loss over \
           the whole scale (0: the status quo is the disagreement point, no extra cost; \
           large: every actor wants a deal)",
};

/// The largest disagreement cost accepted.
pub const MAX_COST: f64 = 1e12;

/// The bargainers of one issue on the 0–1 scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Each bargainer's ideal point, 0–1.
    pub ideal: Vec<f64>,
    /// Each bargainer's salience, > 0.
    pub salience: Vec<f64>,
    /// Each bargainer's capability, > 0.
    pub capability: Vec<f64>,
    /// The disagreement point (reference point), 0–1.
    pub q: f64,
    /// The disagreement cost κ ≥ 0.
    pub cost: f64,
}

impl Table {
    /// The bargainers of issue `d` (the actors with capability and salience above zero);
    /// `None` when the issue has no reference point.
    pub fn of(d: &IssueData, cost: f64) -> Option<Table> {
        let q = d.reference?;
        let span = d.hi - d.lo;
        let mut t = Table {
            ideal: Vec::new(),
            salience: Vec::new(),
            capability: Vec::new(),
            q: (q - d.lo) / span,
            cost,
        };
        for k in 0..d.len() {
            if d.salience[k] > 0.0 && d.capability[k] > 0.0 {
                t.ideal.push((d.position[k] - d.lo) / span);
                t.salience.push(d.salience[k]);
                t.capability.push(d.capability[k]);
            }
        }
        Some(t)
    }

    /// Number of bargainers.
    pub fn len(&self) -> usize {
        self.ideal.len()
    }

    /// True when nobody bargains.
    pub fn is_empty(&self) -> bool {
        self.ideal.is_empty()
    }

    /// Bargainer `k`'s gain from agreement `x` over disagreement (≥ 0 on the bargaining set).
    pub fn gain(&self, k: usize, x: f64) -> f64 {
        let to_q = self.q - self.ideal[k];
        let to_x = x - self.ideal[k];
        self.salience[k] * (to_q * to_q - to_x * to_x) + self.cost
    }

    /// The bargaining set `[a, b]`: the agreements on the scale that leave nobody worse off
    /// than disagreement. It always holds `q`, since `g_k(q) = κ ≥ 0`.
    pub fn feasible(&self) -> (f64, f64) {
        let (mut a, mut b) = (0.0f64, 1.0f64);
        for k in 0..self.len() {
            let to_q = self.q - self.ideal[k];
            let r = (to_q * to_q + self.cost / self.salience[k]).sqrt();
            a = a.max(self.ideal[k] - r);
            b = b.min(self.ideal[k] + r);
        }
        // Rounding must not exclude q itself.
        (a.min(self.q), b.max(self.q))
    }
}

/// Reads and checks the disagreement cost.
pub fn cost(values: &std::collections::BTreeMap<String, String>) -> Result<f64, ModelError> {
    params::number(values, COST.name, 0.0, MAX_COST)
}

/// Fails when no issue has a reference point (the disagreement point).
pub fn need_reference(snap: &Snapshot, model: &str) -> Result<(), ModelError> {
    if snap.issues.iter().any(|d| d.reference.is_some()) {
        return Ok(());
    }
    Err(ModelError::Unsuitable(format!(
        "{model} needs a reference point (the disagreement point) and no issue gives one"
    )))
}

/// The forecast of each issue in scale units by `solve` (on the 0–1 scale), `None` where the
/// issue has no reference point. Fails when an issue with one has no bargainer.
pub fn values(
    snap: &Snapshot,
    cost: f64,
    solve: impl Fn(&Table) -> f64,
) -> Result<Vec<Option<f64>>, ModelError> {
    let mut out = Vec::with_capacity(snap.issues.len());
    for d in &snap.issues {
        let Some(t) = Table::of(d, cost) else {
            out.push(None);
            continue;
        };
        if t.is_empty() {
            return Err(ModelError::Unsuitable(format!(
                "issue `{}`: no actor has both capability and salience above zero",
                snap.issue_ids[d.issue]
            )));
        }
        out.push(Some(d.lo + solve(&t) * (d.hi - d.lo)));
    }
    Ok(out)
}

/// A full forecast from per-issue values: round 0 only (nobody moves), the reference
/// point and bargaining set per issue, and the issues left out for want of a reference point.
pub fn forecast(
    model: &str,
    snap: &Snapshot,
    params: &Params,
    resolved: Vec<(String, String)>,
    values: Vec<Option<f64>>,
) -> Result<Forecast, ModelError> {
    let mut issues = Vec::new();
    let mut without = Vec::new();
    for (d, value) in snap.issues.iter().zip(values) {
        let id = snap.issue_ids[d.issue].clone();
        let Some(forecast) = value else {
            without.push(serde_json::Value::String(id));
            continue;
        };
        let w: Vec<f64> = (0..d.len()).map(|k| d.weight(k)).collect();
        let mean = stats::weighted_mean(&d.position, &w).unwrap_or(forecast);
        let mut details = serde_json::Map::new();
        if let (Some(q), Some(t)) = (d.reference, Table::of(d, 0.0)) {
            details.insert("disagreement_point".into(), q.into());
            let cost = resolved
                .iter()
                .find(|(k, _)| k == COST.name)
                .and_then(|(_, v)| v.parse::<f64>().ok())
                .unwrap_or(0.0);
            let (a, b) = Table { cost, ..t }.feasible();
            let span = d.hi - d.lo;
            details.insert(
                "bargaining_set".into(),
                serde_json::json!([d.lo + a * span, d.lo + b * span]),
            );
        }
        issues.push(IssueForecast {
            id,
            forecast,
            mean,
            rounds: vec![baseline::initial_round(snap, d)],
            details,
        });
    }
    let mut details = serde_json::Map::new();
    if !without.is_empty() {
        details.insert(
            "not_forecast_no_reference_point".into(),
            serde_json::Value::Array(without),
        );
    }
    Ok(Forecast {
        model: model.to_string(),
        preset: params.preset.clone(),
        parameters: resolved,
        issues,
        details,
    })
}

/// The full forecast of a bargaining `model`: its resolved parameters and its
/// [`Model::forecast_values`], laid out by [`forecast`].
pub fn solve(model: &dyn Model, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
    let resolved = params.resolve(model.parameters(), model.presets())?;
    let values = model.forecast_values(snap, params)?;
    forecast(
        model.name(),
        snap,
        params,
        resolved.into_iter().collect(),
        values,
    )
}
