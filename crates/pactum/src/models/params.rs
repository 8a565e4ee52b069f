//! Model parameters: named values from the scenario file, a preset, or `--set key=value`.

use crate::error::ModelError;
use std::collections::BTreeMap;

/// A parameter a model accepts.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    /// Its name, as written in `--set name=value` and `[models.M]`.
    pub name: &'static str,
    /// Its default value, as text.
    pub default: &'static str,
    /// What it means, its unit and range.
    pub help: &'static str,
}

/// A named set of parameter values.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Its name (`--preset NAME`).
    pub name: &'static str,
    /// What it reproduces or is for.
    pub help: &'static str,
    /// The values it sets, as `(name, value)`.
    pub values: &'static [(&'static str, &'static str)],
}

/// Parameter values given by the user, as text; models parse and check them.
///
/// Precedence, lowest first: model defaults, the preset, the scenario's `[models.M]` table,
/// then `--set` on the command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    /// The preset chosen, if any.
    pub preset: Option<String>,
    /// Explicit values by name.
    pub values: BTreeMap<String, String>,
}

impl Params {
    /// No preset and no values: every default.
    pub fn new() -> Self {
        Params::default()
    }

    /// Sets `name` to `value` (later calls win).
    pub fn set(mut self, name: &str, value: &str) -> Self {
        self.values.insert(name.to_string(), value.to_string());
        self
    }

    /// Resolves the preset and values against a model's specs: every name must be known,
    /// the preset must exist. Returns name → value for every parameter (defaults filled in).
    pub fn resolve(
        &self,
        specs: &[ParamSpec],
        presets: &[Preset],
    ) -> Result<BTreeMap<String, String>, ModelError> {
        let mut out: BTreeMap<String, String> = specs
            .iter()
            .map(|s| (s.name.to_string(), s.default.to_string()))
            .collect();
        if let Some(p) = &self.preset {
            let preset =
                presets
                    .iter()
                    .find(|x| x.name == p)
                    .ok_or_else(|| ModelError::Parameter {
                        name: "preset".into(),
                        message: format!(
                            "unknown preset `{p}`; known: {}",
                            if presets.is_empty() {
                                "none for this model".to_string()
                            } else {
                                presets
                                    .iter()
                                    .map(|x| x.name)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            }
                        ),
                    })?;
            for (k, v) in preset.values {
                out.insert(k.to_string(), v.to_string());
            }
        }
        for (k, v) in &self.values {
            if !out.contains_key(k) {
                let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
                return Err(ModelError::Parameter {
                    name: k.clone(),
                    message: format!(
                        "unknown parameter; known: {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                });
            }
            out.insert(k.clone(), v.clone());
        }
        Ok(out)
    }
}

/// Reads a number from resolved parameters, checking it lies in `[min, max]`.
pub fn number(
    values: &BTreeMap<String, String>,
    name: &str,
    min: f64,
    max: f64,
) -> Result<f64, ModelError> {
    let text = values.get(name).map(String::as_str).unwrap_or("");
    let x: f64 = text.trim().parse().map_err(|_| ModelError::Parameter {
        name: name.into(),
        message: format!("expected a number, got `{text}`"),
    })?;
    if !x.is_finite() || x < min || x > max {
        return Err(ModelError::Parameter {
            name: name.into(),
            message: format!("{x} is outside [{min}, {max}]"),
        });
    }
    Ok(x)
}

/// Reads a whole number from resolved parameters, checking it lies in `[min, max]`.
pub fn count(
    values: &BTreeMap<String, String>,
    name: &str,
    min: usize,
    max: usize,
) -> Result<usize, ModelError> {
    let text = values.get(name).map(String::as_str).unwrap_or("");
    let x: usize = text.trim().parse().map_err(|_| ModelError::Parameter {
        name: name.into(),
        message: format!("expected a whole number, got `{text}`"),
    })?;
    if x < min || x > max {
        return Err(ModelError::Parameter {
            name: name.into(),
            message: format!("{x} is outside [{min}, {max}]"),
        });
    }
    Ok(x)
}

/// Reads a boolean (`true`/`false`, `on`/`off`, `yes`/`no`, `1`/`0`).
pub fn flag(values: &BTreeMap<String, String>, name: &str) -> Result<bool, ModelError> {
    let text = values.get(name).map(String::as_str).unwrap_or("");
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "on" | "yes" | "1" => Ok(true),
        "false" | "off" | "no" | "0" => Ok(false),
        _ => Err(ModelError::Parameter {
            name: name.into(),
            message: format!("expected true or false, got `{text}`"),
        }),
    }
}

/// Reads one of a fixed set of words.
pub fn choice<'a>(
    values: &BTreeMap<String, String>,
    name: &str,
    allowed: &[&'a str],
) -> Result<&'a str, ModelError> {
    let text = values.get(name).map(String::as_str).unwrap_or("");
    allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(text.trim()))
        .copied()
        .ok_or_else(|| ModelError::Parameter {
            name: name.into(),
            message: format!("expected one of {}, got `{text}`", allowed.join(", ")),
        })
}

impl Params {
    /// `self` on top of `base`: `self`'s preset and values win, `base` fills the rest (used
    /// to lay a backtest run's parameters over each scenario's own).
    pub fn over(&self, base: &Params) -> Params {
        let mut values = base.values.clone();
        values.extend(self.values.clone());
        Params {
            preset: self.preset.clone().or_else(|| base.preset.clone()),
            values,
        }
    }

    /// The parameters a scenario stores for `model` (its `[models.<model>]` table), as
    /// text; no preset. Front ends add the user's preset and values on top.
    /// Values the model itself derives from the scenario's data
    /// ([`super::Model::scenario_params`]) come first; the table overrides them.
    pub fn from_scenario(scenario: &crate::scenario::Scenario, model: &str) -> Params {
        let mut params = Params::new();
        if let Ok(m) = super::by_name(model) {
            params.values.extend(m.scenario_params(scenario));
        }
        if let Some(table) = scenario.models.get(model) {
            for (k, v) in table {
                let text = match v {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                params.values.insert(k.clone(), text);
            }
        }
        params
    }
}

#[cfg(test)]
mod scenario_params_tests {
    use super::*;

    #[test]
    fn scenario_tables_become_text_values() {
        let mut s = crate::scenario::Scenario::default();
        let mut t = BTreeMap::new();
        t.insert("q".to_string(), toml::Value::Float(0.5));
        t.insert("mode".to_string(), toml::Value::String("fast".into()));
        s.models.insert("m".into(), t);
        let p = Params::from_scenario(&s, "m");
        assert_eq!(p.values.get("q").map(String::as_str), Some("0.5"));
        assert_eq!(p.values.get("mode").map(String::as_str), Some("fast"));
        assert!(p.preset.is_none());
        assert!(Params::from_scenario(&s, "other").values.is_empty());
    }
}
