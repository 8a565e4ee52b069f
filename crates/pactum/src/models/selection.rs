//! Choosing models and layering their parameters: the one path the CLI, the report and the
//! web app take from "the user asked for these models with these settings" to runs.
//!
//! Parameter precedence, lowest first: the model's defaults, the preset, the scenario's
//! `[models.<name>]` table, then the values the user gave (`--set`, or a request's
//! `parameters`).

use super::{Forecast, Model, Params, all, by_name};
use crate::error::ModelError;
use crate::scenario::Scenario;
use crate::snapshot::Snapshot;

/// What the user asked to run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// Model names; empty means every registered model.
    pub models: Vec<String>,
    /// A preset (`--preset`); applies to exactly one model.
    pub preset: Option<String>,
    /// `(name, value)` parameter values, later ones winning; apply to exactly one model.
    pub values: Vec<(String, String)>,
}

impl Selection {
    /// True when the user named the models (so an unsuitable one is an error, not a skip).
    pub fn explicit(&self) -> bool {
        !self.models.is_empty()
    }

    /// The chosen models in the order given (every model, in `pactum models` order, when
    /// none is named). A preset or values with other than one model is an error.
    pub fn models(&self) -> Result<Vec<&'static dyn Model>, ModelError> {
        let chosen: Vec<&'static dyn Model> = if self.models.is_empty() {
            all()
        } else {
            self.models
                .iter()
                .map(|n| by_name(n))
                .collect::<Result<_, _>>()?
        };
        if (self.preset.is_some() || !self.values.is_empty()) && chosen.len() != 1 {
            return Err(ModelError::Parameter {
                name: "preset".into(),
                message: "a preset and parameter values apply to one model: name exactly one"
                    .into(),
            });
        }
        Ok(chosen)
    }

    /// The parameters for `model` on `scenario`: its `[models.<model>]` table, then this
    /// selection's preset and values.
    pub fn params(&self, scenario: &Scenario, model: &str) -> Params {
        let mut params = Params::from_scenario(scenario, model);
        params.preset = self.preset.clone();
        for (k, v) in &self.values {
            params.values.insert(k.clone(), v.clone());
        }
        params
    }

    /// Runs every chosen model on `snapshot` (the numeric view of `scenario`). A model that
    /// does not suit the scenario is skipped, with its reason, unless it was named.
    pub fn run(&self, scenario: &Scenario, snapshot: &Snapshot) -> Result<Runs, ModelError> {
        let mut runs = Runs::default();
        for m in self.models()? {
            match m.solve(snapshot, &self.params(scenario, m.name())) {
                Ok(f) => runs.forecasts.push(f),
                Err(ModelError::Unsuitable(why)) if !self.explicit() => {
                    runs.skipped.push((m.name().to_string(), why));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(runs)
    }
}

/// Parses `NAME=VALUE` (spaces around either side are trimmed).
pub fn parse_assignment(text: &str) -> Result<(String, String), ModelError> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(ModelError::Parameter {
            name: text.to_string(),
            message: "expected NAME=VALUE, e.g. q=0.8".into(),
        }),
    }
}

/// The outcome of [`Selection::run`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Runs {
    /// One forecast per model that ran, in the order chosen.
    pub forecasts: Vec<Forecast>,
    /// `(model, reason)` for each unsuitable model skipped.
    pub skipped: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn scenario_with_table() -> Scenario {
        let mut s = Scenario::default();
        let mut t = BTreeMap::new();
        t.insert("q".to_string(), toml::Value::Float(0.5));
        t.insert("rounds".to_string(), toml::Value::Integer(7));
        s.models.insert("bdm".into(), t);
        s
    }

    #[test]
    fn user_values_override_the_scenario_table_and_keep_the_rest() {
        let sel = Selection {
            models: vec!["bdm".into()],
            preset: Some("scholz2011".into()),
            values: vec![("q".into(), "0.9".into())],
        };
        let p = sel.params(&scenario_with_table(), "bdm");
        assert_eq!(p.values.get("q").map(String::as_str), Some("0.9"));
        assert_eq!(p.values.get("rounds").map(String::as_str), Some("7"));
        assert_eq!(p.preset.as_deref(), Some("scholz2011"));
        assert!(sel.params(&scenario_with_table(), "smp").values.len() == 1);
    }

    #[test]
    fn every_model_when_none_is_named_and_values_need_exactly_one() {
        let all_models = Selection::default().models().expect("all");
        assert_eq!(all_models.len(), all().len());
        let tuned = Selection {
            values: vec![("q".into(), "1".into())],
            ..Selection::default()
        };
        assert!(matches!(tuned.models(), Err(ModelError::Parameter { .. })));
        let unknown = Selection {
            models: vec!["nope".into()],
            ..Selection::default()
        };
        assert!(matches!(unknown.models(), Err(ModelError::UnknownModel(_))));
    }

    #[test]
    fn assignments_need_a_name_and_an_equals_sign() {
        assert_eq!(
            parse_assignment(" q = 0.8 ").expect("ok"),
            ("q".to_string(), "0.8".to_string())
        );
        assert!(parse_assignment("q").is_err());
        assert!(parse_assignment("=3").is_err());
    }
}
