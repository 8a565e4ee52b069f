//! Parameter sweeps: every scenario × model × preset × grid point × repetition, run as
//! independent tasks whose rows are gathered in task order, so the table is the same
//! whether the tasks ran on one thread, many threads, or many machines.
//!
//! A grid axis is `name=start:stop:step` (Decide-style, both ends included) or
//! `name=v1,v2,…`. Repetitions matter only for models with a `seed` parameter: repetition
//! `r` runs with `seed = r` (unless the grid sets `seed` itself); a deterministic model
//! runs once per point. A task that fails gives one row with its message; it never stops
//! the sweep. An axis applies to the models that have that parameter (the others run
//! once per preset); an axis no chosen model has is an error.

use crate::models::{Forecast, Model, Params, Selection, by_name};
use crate::scenario::Scenario;
use crate::snapshot::Snapshot;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};

/// Most values one axis may take (a guard against a mistyped step).
pub const MAX_AXIS_VALUES: usize = 100_000;

/// Most tasks one sweep may hold.
pub const MAX_TASKS: usize = 10_000_000;

/// One parameter and the values it takes, as text (as `--set` would give them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// The parameter's name, e.g. `q`.
    pub name: String,
    /// Its values in sweep order.
    pub values: Vec<String>,
}

impl Axis {
    /// Parses `name=start:stop:step` or `name=v1,v2,…`.
    pub fn parse(text: &str) -> Result<Axis, String> {
        let Some((name, spec)) = text.split_once('=') else {
            return Err(format!(
                "grid `{text}`: expected NAME=START:STOP:STEP or NAME=V1,V2,…"
            ));
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("grid `{text}`: the parameter name is empty"));
        }
        let values = if spec.contains(':') {
            range_values(spec).map_err(|e| format!("grid `{text}`: {e}"))?
        } else {
            spec.split(',')
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect()
        };
        if values.is_empty() {
            return Err(format!("grid `{text}`: no values"));
        }
        Ok(Axis {
            name: name.to_string(),
            values,
        })
    }
}

/// `start:stop:step` with both ends included, each value computed as `start + k·step`
/// (no accumulated rounding) and written in the shortest form that reads back the same.
fn range_values(spec: &str) -> Result<Vec<String>, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let [start, stop, step] = parts.as_slice() else {
        return Err("expected START:STOP:STEP".into());
    };
    let number = |s: &str, what: &str| {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("{what} `{s}` is not a finite number"))
    };
    let (a, b, h) = (
        number(start, "start")?,
        number(stop, "stop")?,
        number(step, "step")?,
    );
    if h <= 0.0 {
        return Err(format!("step {h} must be positive"));
    }
    if b < a {
        return Err(format!("stop {b} is below start {a}"));
    }
    let span = (b - a) / h;
    if !span.is_finite() || span >= MAX_AXIS_VALUES as f64 {
        return Err(format!(
            "more than {MAX_AXIS_VALUES} values; use a larger step"
        ));
    }
    // A stop that is a whole number of steps away up to rounding is included.
    let n = (span + 1e-9).floor() as usize + 1;
    Ok((0..n).map(|k| format!("{}", a + k as f64 * h)).collect())
}

/// What to sweep.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Plan {
    /// Model names (at least one).
    pub models: Vec<String>,
    /// Presets to run each model under; empty means the model's defaults only. A preset
    /// the model does not have makes that task fail (reported in its row).
    #[serde(default)]
    pub presets: Vec<String>,
    /// The grid: the cartesian product of the axes' values, first axis slowest.
    #[serde(default)]
    pub grid: Vec<Axis>,
    /// Repetitions per point for models with a `seed` parameter (≥ 1).
    #[serde(default = "one")]
    pub repetitions: u32,
}

fn one() -> u32 {
    1
}

/// One unit of work: a scenario (by index), a model, an optional preset, parameter
/// values and a repetition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Index of the scenario in the sweep's list.
    pub scenario: usize,
    /// The model's name.
    pub model: String,
    /// The preset, if any.
    pub preset: Option<String>,
    /// `(name, value)` parameter values of this grid point.
    pub values: Vec<(String, String)>,
    /// Repetition number, from 0.
    pub repetition: u32,
}

/// One row of a sweep's table: one issue of one task, or one failed task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The scenario's label (its file name or title).
    pub scenario: String,
    /// The model's name.
    pub model: String,
    /// The preset, or empty.
    pub preset: String,
    /// The grid point as `name=value` pairs joined by `;`, or empty.
    pub parameters: String,
    /// Repetition number, from 0.
    pub repetition: u32,
    /// The issue's id (empty on a failed task's row).
    pub issue: String,
    /// The forecast, in the issue's units.
    pub forecast: Option<f64>,
    /// The known outcome, where the scenario records one.
    pub outcome: Option<f64>,
    /// Forecast minus outcome, where both exist.
    pub error: Option<f64>,
    /// Empty when the task ran; otherwise why it failed.
    pub failure: String,
}

/// Every task of `plan` over `scenarios` scenarios, in a fixed order: scenario, model,
/// preset, grid point, repetition.
pub fn tasks(scenarios: usize, plan: &Plan) -> Result<Vec<Task>, String> {
    if plan.models.is_empty() {
        return Err("a sweep needs at least one model".into());
    }
    if plan.repetitions == 0 {
        return Err("repetitions must be at least 1".into());
    }
    let models: Vec<&'static dyn Model> = plan
        .models
        .iter()
        .map(|m| by_name(m).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    for axis in &plan.grid {
        if !models.iter().any(|m| knows(*m, &axis.name)) {
            return Err(format!(
                "grid parameter `{}` is not a parameter of {} (see `pactum models -v`)",
                axis.name,
                plan.models.join(", ")
            ));
        }
    }
    let points: Vec<Vec<Vec<(String, String)>>> = models
        .iter()
        .map(|m| {
            let axes: Vec<Axis> = plan
                .grid
                .iter()
                .filter(|a| knows(*m, &a.name))
                .cloned()
                .collect();
            grid_points(&axes)
        })
        .collect::<Result<_, _>>()?;
    let presets: Vec<Option<String>> = if plan.presets.is_empty() {
        vec![None]
    } else {
        plan.presets.iter().cloned().map(Some).collect()
    };
    let per_scenario: usize = models
        .iter()
        .zip(&points)
        .map(|(m, p)| presets.len() * p.len() * repetitions_of(*m, plan) as usize)
        .sum();
    if per_scenario.saturating_mul(scenarios) > MAX_TASKS {
        return Err(format!(
            "{scenarios} scenario(s) × {per_scenario} runs each is more than {MAX_TASKS} tasks"
        ));
    }
    let mut out = Vec::with_capacity(per_scenario * scenarios);
    for s in 0..scenarios {
        for (m, model_points) in models.iter().zip(&points) {
            for preset in &presets {
                for point in model_points {
                    for repetition in 0..repetitions_of(*m, plan) {
                        out.push(Task {
                            scenario: s,
                            model: m.name().to_string(),
                            preset: preset.clone(),
                            values: point.clone(),
                            repetition,
                        });
                    }
                }
            }
        }
    }
    Ok(out)
}

/// True when `model` takes a parameter called `name`.
fn knows(model: &dyn Model, name: &str) -> bool {
    model.parameters().iter().any(|p| p.name == name)
}

/// Repetitions for `model`: as planned for a model with a `seed`, else one.
fn repetitions_of(model: &dyn Model, plan: &Plan) -> u32 {
    if model.parameters().iter().any(|p| p.name == "seed") {
        plan.repetitions
    } else {
        1
    }
}

/// The cartesian product of the axes, first axis slowest; one empty point for no axes.
fn grid_points(axes: &[Axis]) -> Result<Vec<Vec<(String, String)>>, String> {
    let mut points: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for axis in axes {
        if points.len().saturating_mul(axis.values.len()) > MAX_TASKS {
            return Err(format!("the grid has more than {MAX_TASKS} points"));
        }
        points = points
            .iter()
            .flat_map(|p| {
                axis.values.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push((axis.name.clone(), v.clone()));
                    q
                })
            })
            .collect();
    }
    Ok(points)
}

/// Runs one task on `scenario` (labelled `label`): one row per issue, or one failure row.
pub fn run_task(label: &str, scenario: &Scenario, task: &Task) -> Vec<Row> {
    let parameters = task
        .values
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(";");
    let row = |issue: String, forecast: Option<f64>, outcome: Option<f64>, failure: String| Row {
        scenario: label.to_string(),
        model: task.model.clone(),
        preset: task.preset.clone().unwrap_or_default(),
        parameters: parameters.clone(),
        repetition: task.repetition,
        issue,
        forecast,
        outcome,
        error: forecast.zip(outcome).map(|(f, o)| f - o),
        failure,
    };
    match solve(scenario, task) {
        Ok(f) => f
            .issues
            .iter()
            .map(|i| {
                let outcome = scenario
                    .issues
                    .iter()
                    .find(|s| s.id == i.id)
                    .and_then(|s| s.outcome.as_ref())
                    .map(|o| o.value);
                row(i.id.clone(), Some(i.forecast), outcome, String::new())
            })
            .collect(),
        Err(why) => vec![row(String::new(), None, None, why)],
    }
}

fn solve(scenario: &Scenario, task: &Task) -> Result<Forecast, String> {
    let model = by_name(&task.model).map_err(|e| e.to_string())?;
    let mut values = task.values.clone();
    let seeded = model.parameters().iter().any(|p| p.name == "seed");
    if seeded && !values.iter().any(|(k, _)| k == "seed") {
        values.push(("seed".into(), task.repetition.to_string()));
    }
    let selection = Selection {
        models: vec![task.model.clone()],
        preset: task.preset.clone(),
        values,
    };
    let params: Params = selection.params(scenario, model.name());
    let snapshot = Snapshot::modes(scenario);
    model.solve(&snapshot, &params).map_err(|e| e.to_string())
}

/// Runs every task on rayon's current pool and returns the rows in task order.
/// `progress`, when given, counts finished tasks.
pub fn run(
    scenarios: &[(String, Scenario)],
    tasks: &[Task],
    progress: Option<&AtomicU64>,
) -> Vec<Row> {
    let per_task: Vec<Vec<Row>> = tasks
        .par_iter()
        .map(|t| {
            let rows = match scenarios.get(t.scenario) {
                Some((label, s)) => run_task(label, s, t),
                None => vec![Row {
                    scenario: String::new(),
                    model: t.model.clone(),
                    preset: t.preset.clone().unwrap_or_default(),
                    parameters: String::new(),
                    repetition: t.repetition,
                    issue: String::new(),
                    forecast: None,
                    outcome: None,
                    error: None,
                    failure: format!("no scenario number {}", t.scenario),
                }],
            };
            if let Some(p) = progress {
                p.fetch_add(1, Ordering::Relaxed);
            }
            rows
        })
        .collect();
    per_task.into_iter().flatten().collect()
}

/// The rows as CSV with a header: `scenario,model,preset,parameters,repetition,issue,
/// forecast,outcome,error,failure`; numbers in Rust's shortest round-trip form, blanks
/// where a value is absent.
pub fn to_csv(rows: &[Row]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "scenario",
        "model",
        "preset",
        "parameters",
        "repetition",
        "issue",
        "forecast",
        "outcome",
        "error",
        "failure",
    ])?;
    let num = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_default();
    for r in rows {
        w.write_record([
            r.scenario.as_str(),
            &r.model,
            &r.preset,
            &r.parameters,
            &r.repetition.to_string(),
            &r.issue,
            &num(r.forecast),
            &num(r.outcome),
            &num(r.error),
            &r.failure,
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_include_both_ends_without_drift() {
        let a = Axis::parse("q=0.1:1.0:0.1").expect("axis");
        assert_eq!(a.values.len(), 10);
        assert_eq!(a.values[0], "0.1");
        assert_eq!(a.values[9], "1");
        assert_eq!(a.values[2], format!("{}", 0.1 + 2.0 * 0.1));
        let b = Axis::parse("rounds=5,10, 20").expect("list");
        assert_eq!(b.values, ["5", "10", "20"]);
    }

    #[test]
    fn bad_axes_are_refused_with_the_reason() {
        for bad in [
            "q",
            "=1:2:1",
            "q=1:2",
            "q=2:1:1",
            "q=0:1:0",
            "q=0:1:-1",
            "q=0:1e9:1e-9",
            "q=a:2:1",
            "q=",
        ] {
            assert!(Axis::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn tasks_cover_the_product_and_repeat_only_seeded_models() {
        let plan = Plan {
            models: vec!["compromise".into(), "exchange".into()],
            presets: vec![],
            grid: vec![Axis::parse("rounds=1,2").expect("axis")],
            repetitions: 3,
        };
        let t = tasks(2, &plan).expect("tasks");
        // Per scenario: compromise once (no `rounds`), exchange 2 points × 3 repetitions.
        assert_eq!(t.len(), 2 * (1 + 6));
        assert_eq!(t[0].scenario, 0);
        assert!(t[0].values.is_empty());
        assert_eq!(t[1].values, [("rounds".to_string(), "1".to_string())]);
        assert_eq!(t[7].scenario, 1);
        assert!(tasks(1, &Plan::default()).is_err());
        let typo = Plan {
            grid: vec![Axis::parse("rouns=1,2").expect("axis")],
            ..plan
        };
        assert!(tasks(1, &typo).unwrap_err().contains("rouns"));
    }
}
