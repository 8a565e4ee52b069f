//! Bueno de Mesquita's expected-utility challenge model, as reconstructed by Scholz,
//! Calbert & Smith (2011), "Unravelling Bueno De Mesquita's group decision model".
//!
//! Each round, on one issue: every actor `i` weighs challenging every other `j`. Voters
//! back the nearer of the two positions, weighted by `capability × salience`; the win
//! probability is `i`'s share of the votes. Five basic utilities (success, failure, better,
//! worse, status quo) of normalised distances, raised to a risk exponent, give the expected
//! utility of challenging `EU_ij`. Risk exponents (0.5–2) come from each actor's exposure
//! (what its adversaries expect from challenging it). Each pair's `(EU_ij, EU_ji)` is an
//! offer class: conflict, compromise (the weaker side moves part way, by `|EU_i / EU_j|`),
//! capitulation (it moves fully) or status quo. Every actor takes at most one offer (by
//! default the most enforceable: the proposer expecting most from pressing it) and all move
//! at once. The forecast is the final weighted median; the weighted mean is reported too.
//!
//! Scenarios with several issues are solved one issue at a time, independently: the model
//! has no cross-issue trading (see the `exchange` model for that).
//!
//! Every choice where the paper or the peers differ is a parameter (see [`settings::SPECS`])
//! and is discussed in `docs/models/bdm.md`.

pub mod engine;
pub mod explain;
pub mod settings;

pub use engine::{OfferKind, Stop};
pub use explain::{ActorRoundExplanation, OfferExplanation, RoundExplanation, explain};
pub use settings::Settings;

use super::{Forecast, IssueForecast, Model, ParamSpec, Params, Positions, Preset, Round};
use crate::error::ModelError;
use crate::snapshot::{IssueData, Snapshot};
use engine::{IssueInput, Workspace};
use settings::StatusQuo;

/// The challenge model (`--model bdm`).
pub struct Bdm;

/// The numeric inputs of issue `d`, checked against the settings.
fn input_of<'a>(
    snap: &Snapshot,
    d: &'a IssueData,
    set: &Settings,
) -> Result<IssueInput<'a>, ModelError> {
    if set.status_quo == StatusQuo::Reference && d.reference.is_none() {
        return Err(ModelError::Unsuitable(format!(
            "issue `{}` has no reference point, but status_quo = reference needs one",
            issue_id(snap, d)
        )));
    }
    Ok(IssueInput {
        position: &d.position,
        salience: &d.salience,
        capability: &d.capability,
        lo: d.lo,
        hi: d.hi,
        reference: d.reference,
    })
}

fn issue_id<'a>(snap: &'a Snapshot, d: &IssueData) -> &'a str {
    snap.issue_ids
        .get(d.issue)
        .map(String::as_str)
        .unwrap_or("?")
}

/// Loads issue `d` into `ws`, naming the issue in any error.
fn load(
    ws: &mut Workspace,
    snap: &Snapshot,
    d: &IssueData,
    input: &IssueInput,
) -> Result<(), ModelError> {
    ws.load(input).map_err(|e| match e {
        ModelError::Unsuitable(m) => {
            ModelError::Unsuitable(format!("issue `{}`: {m}", issue_id(snap, d)))
        }
        other => other,
    })
}

fn positions(snap: &Snapshot, d: &IssueData, x: &[f64]) -> Positions {
    Positions(
        d.actors
            .iter()
            .zip(x)
            .map(|(a, x)| (snap.actor_ids[*a].clone(), *x))
            .collect(),
    )
}

impl Model for Bdm {
    fn name(&self) -> &'static str {
        "bdm"
    }

    fn summary(&self) -> &'static str {
        "Bueno de Mesquita's expected-utility challenge model (Scholz et al. 2011): rounds of pairwise challenges, forecast = final weighted median"
    }

    fn parameters(&self) -> &'static [ParamSpec] {
        settings::SPECS
    }

    fn presets(&self) -> &'static [Preset] {
        settings::PRESETS
    }

    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        let (set, values) = settings::resolve(params)?;
        let mut ws = Workspace::new();
        let mut issues = Vec::with_capacity(snap.issues.len());
        for d in &snap.issues {
            let input = input_of(snap, d, &set)?;
            load(&mut ws, snap, d, &input)?;
            let mut rounds = Vec::new();
            let (forecast, played, stop) = ws.run(
                &set,
                &input,
                |k, w| {
                    rounds.push(Round {
                        round: k,
                        median: w.median(),
                        mean: w.mean(),
                        positions: positions(snap, d, &w.x),
                        details: Default::default(),
                    })
                },
                None,
            );
            let mut details = serde_json::Map::new();
            details.insert("rounds_played".into(), played.into());
            details.insert(
                "stopped".into(),
                match stop {
                    Stop::Converged => "converged",
                    Stop::RoundCap => "round cap",
                }
                .into(),
            );
            issues.push(IssueForecast {
                id: issue_id(snap, d).to_string(),
                forecast,
                mean: ws.mean(),
                rounds,
                details,
            });
        }
        Ok(Forecast {
            model: self.name().to_string(),
            preset: params.preset.clone(),
            parameters: values.into_iter().collect(),
            issues,
            details: Default::default(),
        })
    }

    fn forecast_values(
        &self,
        snap: &Snapshot,
        params: &Params,
    ) -> Result<Vec<Option<f64>>, ModelError> {
        let (set, _) = settings::resolve(params)?;
        let mut ws = Workspace::new();
        let mut out = vec![None; snap.issue_ids.len()];
        for d in &snap.issues {
            let input = input_of(snap, d, &set)?;
            load(&mut ws, snap, d, &input)?;
            let (forecast, _, _) = ws.run(&set, &input, |_, _| {}, None);
            if let Some(slot) = out.get_mut(d.issue) {
                *slot = Some(forecast);
            }
        }
        Ok(out)
    }
}
