//! Models of collective decision-making, one module each, behind the [`Model`] trait.
//!
//! Every model takes a [`Snapshot`] (numbers only) and [`Params`] and returns a
//! [`Forecast`]: per issue the predicted outcome in the issue's own units, the weighted
//! mean, and the path of rounds that led there.

pub mod bargaining;
pub mod baseline;
pub mod bdm;
pub mod exchange;
pub mod kalai_smorodinsky;
pub mod nash;
pub mod params;
pub mod procedural;
pub mod selection;
pub mod smp;
pub mod twolevel;

pub use params::{ParamSpec, Params, Preset};
pub use selection::{Runs, Selection, parse_assignment};

use crate::error::ModelError;
use crate::snapshot::Snapshot;
use serde::Serialize;
use serde::ser::SerializeMap;

/// A model of how a negotiation ends.
pub trait Model: Send + Sync {
    /// The name used on the command line and in JSON, e.g. `compromise`.
    fn name(&self) -> &'static str;

    /// One line saying what the model predicts.
    fn summary(&self) -> &'static str;

    /// The parameters the model accepts, with defaults.
    fn parameters(&self) -> &'static [ParamSpec] {
        &[]
    }

    /// Named parameter sets (`--preset NAME`).
    fn presets(&self) -> &'static [Preset] {
        &[]
    }

    /// Parameter values the model reads from a scenario's own data (e.g. the legislative
    /// procedure a DEU row records), as `(name, value)`. They rank with the scenario's
    /// `[models.M]` table, which overrides them, as `--set` does; presets must not set them.
    fn scenario_params(&self, _scenario: &crate::scenario::Scenario) -> Vec<(String, String)> {
        Vec::new()
    }

    /// Runs the model with its full trace (rounds, positions, model details).
    fn solve(&self, snapshot: &Snapshot, params: &Params) -> Result<Forecast, ModelError>;

    /// Only the forecast of each issue, in issue order (`None` where the model gives
    /// none). Models override this with a fast path used by Monte Carlo and sensitivity.
    fn forecast_values(
        &self,
        snapshot: &Snapshot,
        params: &Params,
    ) -> Result<Vec<Option<f64>>, ModelError> {
        let f = self.solve(snapshot, params)?;
        Ok(snapshot
            .issue_ids
            .iter()
            .map(|id| f.issues.iter().find(|i| &i.id == id).map(|i| i.forecast))
            .collect())
    }

    /// The forecast of each issue and, for models that can end without agreement
    /// (`twolevel`), whether each issue reached one. Monte Carlo uses it for the
    /// probability of agreement; the default has no agreement flags.
    fn forecast_outcomes(
        &self,
        snapshot: &Snapshot,
        params: &Params,
    ) -> Result<Outcomes, ModelError> {
        Ok(Outcomes {
            values: self.forecast_values(snapshot, params)?,
            agreement: None,
        })
    }

    /// Why this model is left out when the user runs "every model" on `scenario` (it would
    /// only repeat another model there), or `None` to run it. Named models always run.
    fn left_out_by_default(&self, scenario: &crate::scenario::Scenario) -> Option<String> {
        let _ = scenario;
        None
    }
}

/// The fast-path result of one run: forecasts and, where the model has them, agreement flags.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcomes {
    /// The forecast of each issue, in snapshot order (`None` where the model gives none).
    pub values: Vec<Option<f64>>,
    /// Per issue, whether a deal was reached; `None` for models that always give one.
    pub agreement: Option<Vec<bool>>,
}

/// What a model predicts for a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// The model's name.
    pub model: String,
    /// The preset used, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// The parameters in force (defaults filled in), as text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<(String, String)>,
    /// One entry per issue the model forecasts, in scenario order.
    pub issues: Vec<IssueForecast>,
    /// Model-specific details about the whole scenario (e.g. exchanges across issues).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty", flatten)]
    pub details: serde_json::Map<String, serde_json::Value>,
}

/// The forecast of one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueForecast {
    /// The issue's id.
    pub id: String,
    /// The predicted outcome, in the issue's units.
    pub forecast: f64,
    /// The capability × salience weighted mean of the final positions, in the issue's units.
    pub mean: f64,
    /// The path: round 0 is the initial state.
    pub rounds: Vec<Round>,
    /// Model-specific details for this issue.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty", flatten)]
    pub details: serde_json::Map<String, serde_json::Value>,
}

/// The state after one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Round {
    /// Round number; 0 is the initial state.
    pub round: usize,
    /// Weighted median of positions after the round.
    pub median: f64,
    /// Weighted mean of positions after the round.
    pub mean: f64,
    /// Each participating actor's position after the round, in the issue's units.
    pub positions: Positions,
    /// Model-specific details for this round.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty", flatten)]
    pub details: serde_json::Map<String, serde_json::Value>,
}

/// Actor id → position, kept in scenario order and serialised as a JSON object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Positions(pub Vec<(String, f64)>);

impl Positions {
    /// The position of actor `id`.
    pub fn get(&self, id: &str) -> Option<f64> {
        self.0.iter().find(|(a, _)| a == id).map(|(_, x)| *x)
    }
}

impl Serialize for Positions {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Every model pactum knows, in the order `pactum models` lists them.
pub fn all() -> Vec<&'static dyn Model> {
    vec![
        &baseline::Compromise,
        &baseline::Median,
        &baseline::Mean,
        &baseline::MedianActor,
        &baseline::Reference,
        &bdm::Bdm,
        &exchange::Exchange,
        &smp::Smp,
        &nash::Nash,
        &kalai_smorodinsky::KalaiSmorodinsky,
        &procedural::Procedural,
        &twolevel::TwoLevel,
    ]
}

/// The baseline models shown side by side by default.
pub fn baselines() -> Vec<&'static dyn Model> {
    all()
        .into_iter()
        .filter(|m| baseline::is_baseline(m.name()))
        .collect()
}

/// The model called `name`.
pub fn by_name(name: &str) -> Result<&'static dyn Model, ModelError> {
    all()
        .into_iter()
        .find(|m| m.name() == name)
        .ok_or_else(|| ModelError::UnknownModel(name.to_string()))
}
