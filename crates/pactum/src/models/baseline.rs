//! Closed-form baselines: the compromise (weighted mean), the weighted median, the plain
//! mean and median actor, and the reference point.
//!
//! Each has one round (round 0: the coded positions), since nobody moves.

use super::{Forecast, IssueForecast, Model, Positions, Round};
use crate::error::ModelError;
use crate::models::Params;
use crate::snapshot::{IssueData, Snapshot};
use crate::stats;

/// True for the models shown side by side when no `--model` is given.
pub fn is_baseline(name: &str) -> bool {
    matches!(
        name,
        "compromise" | "median" | "mean" | "median-actor" | "reference"
    )
}

/// Achen's compromise model: `Σ c·s·x / Σ c·s`.
pub struct Compromise;
/// The weighted median ("median voter") with weights `c·s`.
pub struct Median;
/// The plain mean of positions.
pub struct Mean;
/// The plain median of positions (the median actor).
pub struct MedianActor;
/// The reference point (status quo), where an issue gives one.
pub struct Reference;

fn weights(d: &IssueData) -> Vec<f64> {
    (0..d.len()).map(|k| d.weight(k)).collect()
}

/// The initial state of an issue as round 0.
pub fn initial_round(snap: &Snapshot, d: &IssueData) -> Round {
    let w = weights(d);
    Round {
        round: 0,
        median: stats::weighted_median(&d.position, &w).unwrap_or(f64::NAN),
        mean: stats::weighted_mean(&d.position, &w).unwrap_or(f64::NAN),
        positions: Positions(
            d.actors
                .iter()
                .zip(&d.position)
                .map(|(a, x)| (snap.actor_ids[*a].clone(), *x))
                .collect(),
        ),
        details: Default::default(),
    }
}

fn closed_form(
    name: &str,
    snap: &Snapshot,
    params: &Params,
    rule: impl Fn(&IssueData) -> Option<f64>,
) -> Result<Forecast, ModelError> {
    params.resolve(&[], &[])?;
    let mut issues = Vec::new();
    for d in &snap.issues {
        let Some(forecast) = rule(d) else { continue };
        let w = weights(d);
        let mean = stats::weighted_mean(&d.position, &w).ok_or_else(|| {
            ModelError::Unsuitable(format!(
                "issue `{}`: all weights are zero",
                snap.issue_ids[d.issue]
            ))
        })?;
        issues.push(IssueForecast {
            id: snap.issue_ids[d.issue].clone(),
            forecast,
            mean,
            rounds: vec![initial_round(snap, d)],
            details: Default::default(),
        });
    }
    Ok(Forecast {
        model: name.to_string(),
        preset: None,
        parameters: Vec::new(),
        issues,
        details: Default::default(),
    })
}

impl Model for Compromise {
    fn name(&self) -> &'static str {
        "compromise"
    }
    fn summary(&self) -> &'static str {
        "weighted mean of positions, weights capability × salience (Achen 2006)"
    }
    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        closed_form(self.name(), snap, params, |d| {
            stats::weighted_mean(&d.position, &weights(d))
        })
    }
}

impl Model for Median {
    fn name(&self) -> &'static str {
        "median"
    }
    fn summary(&self) -> &'static str {
        "weighted median of positions, weights capability × salience (median voter)"
    }
    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        closed_form(self.name(), snap, params, |d| {
            stats::weighted_median(&d.position, &weights(d))
        })
    }
}

impl Model for Mean {
    fn name(&self) -> &'static str {
        "mean"
    }
    fn summary(&self) -> &'static str {
        "unweighted mean of the actors' positions"
    }
    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        closed_form(self.name(), snap, params, |d| stats::mean(&d.position))
    }
}

impl Model for MedianActor {
    fn name(&self) -> &'static str {
        "median-actor"
    }
    fn summary(&self) -> &'static str {
        "unweighted median of the actors' positions"
    }
    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        closed_form(self.name(), snap, params, |d| stats::median(&d.position))
    }
}

impl Model for Reference {
    fn name(&self) -> &'static str {
        "reference"
    }
    fn summary(&self) -> &'static str {
        "the reference point (status quo) where the issue gives one: nothing changes"
    }
    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        closed_form(self.name(), snap, params, |d| d.reference)
    }
}
