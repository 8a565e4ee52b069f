//! `pactum._native`: the Rust half of the Python package `pactum`.
//!
//! Thin by design: every function here converts Python arguments, calls the library with
//! the GIL released, and returns the library's own JSON (or raw `f64` bytes for draws), so
//! the numbers are the CLI's to the bit. Tables, DataFrames and Dask live in the Python
//! half (`python/pactum/`).

// Library errors carry a full location; they are returned once, on the cold path.
#![allow(clippy::result_large_err)]

use pactum::backtest::{self, Capability, DeuOptions, ModelRun, Options, Validation};
use pactum::calibration;
use pactum::io::{self, Format, native};
use pactum::models::{self, Model, Params, Selection};
use pactum::scenario::Scenario;
use pactum::snapshot::Snapshot;
use pactum::sweep::{self, Plan, Task};
use pactum::uncertainty::{
    self, ForecastTable, LeverOptions, SensitivityOptions, Shape, SimulationOptions,
    UncertaintyError,
};
use pactum::{InputError as LibInputError, Location, ModelError as LibModelError};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde::Deserialize;
use std::path::Path;

create_exception!(
    pactum,
    PactumError,
    PyException,
    "Base class of every error pactum raises."
);
create_exception!(
    pactum,
    InputError,
    PactumError,
    "Bad input: the message names the file (or frame), line, field and what was expected."
);
create_exception!(
    pactum,
    ModelError,
    PactumError,
    "A model could not run: unknown model or parameter, or a scenario it does not suit."
);

fn input_error(e: LibInputError) -> PyErr {
    InputError::new_err(e.to_string())
}

fn model_error(e: LibModelError) -> PyErr {
    ModelError::new_err(e.to_string())
}

fn uncertainty_error(e: UncertaintyError) -> PyErr {
    match e {
        UncertaintyError::Input(e) => input_error(e),
        UncertaintyError::Options(m) => PactumError::new_err(m),
        other => ModelError::new_err(other.to_string()),
    }
}

fn json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| PactumError::new_err(format!("cannot serialise: {e}")))
}

/// A validated scenario, as the library holds it.
#[pyclass(module = "pactum._native", name = "Scenario", frozen)]
pub struct PyScenario {
    inner: Scenario,
}

#[pymethods]
impl PyScenario {
    /// The scenario as pactum's native TOML.
    fn to_toml(&self) -> String {
        native::write(&self.inner)
    }

    /// The scenario as JSON (the native format's keys; numbers round-trip exactly).
    fn to_json(&self) -> PyResult<String> {
        json(&self.inner)
    }

    /// A scenario from JSON with the native format's keys, validated. `origin` names where
    /// the records came from; actor, issue and stance `k` are reported at line `k + 1` of
    /// `origin` `actors`, `issues` or `stances` respectively.
    #[staticmethod]
    fn from_json(text: &str, origin: &str) -> PyResult<PyScenario> {
        let mut inner: Scenario = serde_json::from_str(text)
            .map_err(|e| InputError::new_err(format!("{origin}: {e}")))?;
        for (k, a) in inner.actors.iter_mut().enumerate() {
            a.origin = Location::file(format!("{origin} actors")).at_line(k + 1);
        }
        for (k, i) in inner.issues.iter_mut().enumerate() {
            i.origin = Location::file(format!("{origin} issues")).at_line(k + 1);
        }
        for (k, s) in inner.stances.iter_mut().enumerate() {
            s.origin = Location::file(format!("{origin} stances")).at_line(k + 1);
        }
        inner.validate().map_err(input_error)?;
        Ok(PyScenario { inner })
    }

    /// The scenario's title.
    #[getter]
    fn title(&self) -> String {
        self.inner.title.clone()
    }
}

/// Reads `data` (a file's bytes, named `name` in messages) in `format` or the detected one.
/// Returns the scenarios, the reader's warnings and the rows it skipped, as text.
#[pyfunction]
#[pyo3(signature = (name, data, format=None))]
fn read(
    py: Python<'_>,
    name: &str,
    data: &[u8],
    format: Option<&str>,
) -> PyResult<(Vec<PyScenario>, Vec<String>, Vec<String>)> {
    let format = format
        .map(|f| f.parse::<Format>().map_err(PactumError::new_err))
        .transpose()?;
    let loaded = py
        .detach(|| io::read(name, data, format))
        .map_err(input_error)?;
    Ok((
        loaded
            .scenarios
            .into_iter()
            .map(|inner| PyScenario { inner })
            .collect(),
        loaded.warnings.iter().map(ToString::to_string).collect(),
        loaded.skipped.iter().map(ToString::to_string).collect(),
    ))
}

fn selection(
    models: Vec<String>,
    preset: Option<String>,
    params: Vec<(String, String)>,
) -> Selection {
    Selection {
        models,
        preset,
        values: params,
    }
}

/// One model with its layered parameters, for the uncertainty functions.
fn one_model(
    scenario: &Scenario,
    model: &str,
    preset: Option<String>,
    params: Vec<(String, String)>,
) -> PyResult<(&'static dyn Model, Params)> {
    let sel = selection(vec![model.to_string()], preset, params);
    let m = models::by_name(model).map_err(model_error)?;
    Ok((m, sel.params(scenario, model)))
}

/// Runs the models (every model when `models` is empty; unsuitable ones are then skipped)
/// with the calibrated intervals `pactum forecast` adds, and returns `{"calibration",
/// "forecasts": [...], "skipped": [[model, reason], ...], "notes": [...]}` as JSON.
#[pyfunction]
#[pyo3(signature = (scenario, models, preset=None, params=Vec::new()))]
fn forecast(
    py: Python<'_>,
    scenario: &PyScenario,
    models: Vec<String>,
    preset: Option<String>,
    params: Vec<(String, String)>,
) -> PyResult<String> {
    let sel = selection(models, preset, params);
    let s = &scenario.inner;
    let (forecasts, skipped, notes) = py
        .detach(|| -> Result<_, LibModelError> {
            let snapshot = Snapshot::modes(s);
            let runs = sel.run(s, &snapshot)?;
            let mut forecasts = runs.forecasts;
            let (_, notes) = calibration::calibrate_runs(&mut forecasts, s, &snapshot, &sel)?;
            Ok((forecasts, runs.skipped, notes))
        })
        .map_err(model_error)?;
    let mut out = calibration::forecasts_json(&forecasts);
    out["skipped"] = serde_json::json!(skipped);
    out["notes"] = serde_json::json!(notes);
    json(&out)
}

/// Options of a Monte Carlo run, as the Python side passes them.
#[derive(Deserialize)]
struct SimOpts {
    draws: u64,
    seed: u64,
    #[serde(default = "triangular")]
    distribution: String,
    #[serde(default)]
    thresholds: Vec<f64>,
    #[serde(default = "twenty")]
    bins: usize,
}

fn triangular() -> String {
    "triangular".into()
}

fn twenty() -> usize {
    20
}

fn sim_options(text: &str) -> PyResult<SimulationOptions> {
    let o: SimOpts = serde_json::from_str(text)
        .map_err(|e| PactumError::new_err(format!("simulation options: {e}")))?;
    if o.thresholds.iter().any(|t| !t.is_finite()) {
        return Err(PactumError::new_err("thresholds must be finite numbers"));
    }
    Ok(SimulationOptions {
        draws: o.draws,
        seed: o.seed,
        shape: o
            .distribution
            .parse::<Shape>()
            .map_err(PactumError::new_err)?,
        correlation: None,
        thresholds: o.thresholds,
        bins: o.bins.max(1),
    })
}

/// The draws as little-endian `f64` bytes, draw-major (`draws × issues`), written straight
/// into one Python `bytes` object.
fn draws_bytes<'py>(py: Python<'py>, values: &[f64]) -> PyResult<Bound<'py, PyBytes>> {
    PyBytes::new_with(py, values.len() * 8, |buf| {
        for (dst, v) in buf.chunks_exact_mut(8).zip(values) {
            dst.copy_from_slice(&v.to_le_bytes());
        }
        Ok(())
    })
}

/// A Monte Carlo run: `(summary JSON, draws as f64 bytes, issues per draw)`. The summary is
/// the JSON `pactum simulate --format json` prints.
#[pyfunction]
#[pyo3(signature = (scenario, model, options, preset=None, params=Vec::new()))]
fn simulate<'py>(
    py: Python<'py>,
    scenario: &PyScenario,
    model: &str,
    options: &str,
    preset: Option<String>,
    params: Vec<(String, String)>,
) -> PyResult<(String, Bound<'py, PyBytes>, usize)> {
    let s = &scenario.inner;
    let opts = sim_options(options)?;
    let (m, p) = one_model(s, model, preset, params)?;
    let (sim, table) = py
        .detach(|| {
            let (mut sim, table) = uncertainty::simulate_with_draws(m, s, &p, &opts, None)?;
            // As `pactum simulate`: an uncalibrated model keeps its run without intervals.
            let _ = calibration::calibrate_simulation(&mut sim, &table, s, m, &p);
            Ok::<_, UncertaintyError>((sim, table))
        })
        .map_err(uncertainty_error)?;
    Ok((json(&sim)?, draws_bytes(py, &table.values)?, table.issues))
}

/// Draws `start..start + count` of a run: `(f64 bytes, agreement flags, issues per draw)`;
/// a flag is 1 (agreement), 0 (none) or 2 (the model does not say).
#[pyfunction]
#[pyo3(signature = (scenario, model, options, start, count, preset=None, params=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn draw_chunk<'py>(
    py: Python<'py>,
    scenario: &PyScenario,
    model: &str,
    options: &str,
    start: u64,
    count: u64,
    preset: Option<String>,
    params: Vec<(String, String)>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>, usize)> {
    let s = &scenario.inner;
    let opts = sim_options(options)?;
    let (m, p) = one_model(s, model, preset, params)?;
    let table = py
        .detach(|| uncertainty::draw_chunk(m, s, &p, &opts, start, count))
        .map_err(uncertainty_error)?;
    Ok((
        draws_bytes(py, &table.values)?,
        PyBytes::new(py, &table.agreement),
        table.issues,
    ))
}

/// The summary JSON of draws gathered from chunks in draw order (`f64` bytes and their
/// agreement flags).
#[pyfunction]
#[pyo3(signature = (scenario, model, options, draws, agreement, issues, preset=None, params=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn simulation_from_draws(
    py: Python<'_>,
    scenario: &PyScenario,
    model: &str,
    options: &str,
    draws: &[u8],
    agreement: &[u8],
    issues: usize,
    preset: Option<String>,
    params: Vec<(String, String)>,
) -> PyResult<String> {
    let s = &scenario.inner;
    let opts = sim_options(options)?;
    let (m, p) = one_model(s, model, preset, params)?;
    if !draws.len().is_multiple_of(8) {
        return Err(PactumError::new_err("draw bytes are not whole f64 values"));
    }
    let values: Vec<f64> = draws
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .collect();
    let table = ForecastTable {
        issues,
        values,
        agreement: agreement.to_vec(),
    };
    let sim = py
        .detach(|| {
            let mut sim = uncertainty::simulation_from_draws(m, s, &p, &opts, &table)?;
            let _ = calibration::calibrate_simulation(&mut sim, &table, s, m, &p);
            Ok::<_, UncertaintyError>(sim)
        })
        .map_err(uncertainty_error)?;
    json(&sim)
}

/// Tornado and variance-based indices, as `pactum sensitivity --format json` prints them.
#[pyfunction]
#[pyo3(signature = (scenario, model, samples=4096, seed=42, distribution="triangular", preset=None, params=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn sensitivity(
    py: Python<'_>,
    scenario: &PyScenario,
    model: &str,
    samples: u64,
    seed: u64,
    distribution: &str,
    preset: Option<String>,
    params: Vec<(String, String)>,
) -> PyResult<String> {
    let s = &scenario.inner;
    let (m, p) = one_model(s, model, preset, params)?;
    let opts = SensitivityOptions {
        samples,
        seed,
        shape: distribution.parse().map_err(PactumError::new_err)?,
    };
    let r = py
        .detach(|| uncertainty::sensitivity(m, s, &p, &opts))
        .map_err(uncertainty_error)?;
    json(&r)
}

/// The levers of `actor`, as `pactum levers --format json` prints them.
#[pyfunction]
#[pyo3(signature = (scenario, model, actor, draws=1000, seed=42, distribution="triangular", preset=None, params=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn levers(
    py: Python<'_>,
    scenario: &PyScenario,
    model: &str,
    actor: &str,
    draws: u64,
    seed: u64,
    distribution: &str,
    preset: Option<String>,
    params: Vec<(String, String)>,
) -> PyResult<String> {
    let s = &scenario.inner;
    let (m, p) = one_model(s, model, preset, params)?;
    let opts = LeverOptions {
        draws,
        seed,
        shape: distribution.parse().map_err(PactumError::new_err)?,
        ..LeverOptions::default()
    };
    let r = py
        .detach(|| uncertainty::levers(m, s, &p, actor, &opts))
        .map_err(uncertainty_error)?;
    json(&r)
}

/// Scores models on a dataset with known outcomes (a DEU III file, a native scenario with
/// outcomes, or a folder of them), as `pactum backtest --format json` prints it.
#[pyfunction]
#[pyo3(name = "backtest", signature = (path, models=Vec::new(), capability="council", folds=5, seed=42, replicates=2000))]
fn run_backtest(
    py: Python<'_>,
    path: &str,
    models: Vec<String>,
    capability: &str,
    folds: usize,
    seed: u64,
    replicates: usize,
) -> PyResult<String> {
    let capability: Capability = capability.parse().map_err(PactumError::new_err)?;
    let runs = if models.is_empty() {
        None
    } else {
        let chosen = models
            .iter()
            .map(|n| models::by_name(n))
            .collect::<Result<Vec<_>, _>>()
            .map_err(model_error)?;
        Some(ModelRun::for_models(&chosen))
    };
    let mut options = Options {
        runs: Vec::new(),
        validation: if folds == 0 {
            Validation::None
        } else {
            Validation::KFold(folds)
        },
        replicates: replicates.max(1),
        seed,
        ..Options::default()
    };
    let report = py.detach(|| -> PyResult<_> {
        let data =
            backtest::load(Path::new(path), DeuOptions::new(capability)).map_err(input_error)?;
        if data.cases.is_empty() {
            return Err(InputError::new_err(format!(
                "{path}: no issue has a known outcome; nothing to score"
            )));
        }
        options.runs = runs.unwrap_or_else(|| ModelRun::all_for(&data));
        backtest::run(&data, &options).map_err(model_error)
    })?;
    json(&report)
}

/// The self-contained HTML report of the models' forecasts (every suitable model when
/// `models` is empty).
#[pyfunction]
#[pyo3(signature = (scenario, models=Vec::new()))]
fn report(py: Python<'_>, scenario: &PyScenario, models: Vec<String>) -> PyResult<String> {
    let s = &scenario.inner;
    let sel = selection(models, None, Vec::new());
    py.detach(|| {
        let runs = sel.run(s, &Snapshot::modes(s))?;
        let mut r = pactum_report::Report::new(s.clone(), runs.forecasts);
        for m in sel.models()? {
            if r.forecasts.iter().any(|f| f.model == m.name()) {
                r.model_summaries
                    .push((m.name().to_string(), m.summary().to_string()));
            }
        }
        Ok(pactum_report::render(&r))
    })
    .map_err(model_error)
}

/// The tasks of a sweep plan (JSON of `pactum::sweep::Plan`) over `scenarios` scenarios.
#[pyfunction]
fn sweep_tasks(scenarios: usize, plan: &str) -> PyResult<String> {
    let plan: Plan =
        serde_json::from_str(plan).map_err(|e| PactumError::new_err(format!("sweep plan: {e}")))?;
    let tasks = sweep::tasks(scenarios, &plan).map_err(PactumError::new_err)?;
    json(&tasks)
}

/// Runs one sweep task (JSON) on a scenario labelled `label`; its rows as JSON.
#[pyfunction]
fn sweep_task(py: Python<'_>, label: &str, scenario: &PyScenario, task: &str) -> PyResult<String> {
    let task: Task =
        serde_json::from_str(task).map_err(|e| PactumError::new_err(format!("sweep task: {e}")))?;
    let rows = py.detach(|| sweep::run_task(label, &scenario.inner, &task));
    json(&rows)
}

/// Runs every task of a plan on this machine's threads; the rows as JSON, in task order.
#[pyfunction]
fn sweep_local(
    py: Python<'_>,
    scenarios: Vec<(String, PyRef<'_, PyScenario>)>,
    plan: &str,
) -> PyResult<String> {
    let plan: Plan =
        serde_json::from_str(plan).map_err(|e| PactumError::new_err(format!("sweep plan: {e}")))?;
    let owned: Vec<(String, Scenario)> = scenarios
        .iter()
        .map(|(l, s)| (l.clone(), s.inner.clone()))
        .collect();
    let tasks = sweep::tasks(owned.len(), &plan).map_err(PactumError::new_err)?;
    let rows = py.detach(|| sweep::run(&owned, &tasks, None));
    json(&rows)
}

/// A grid axis `name=start:stop:step` or `name=v1,v2,…`, as `{"name", "values"}` JSON.
#[pyfunction]
fn parse_axis(text: &str) -> PyResult<String> {
    let axis = sweep::Axis::parse(text).map_err(PactumError::new_err)?;
    json(&axis)
}

/// Every model with its summary, parameters and presets, as JSON.
#[pyfunction]
fn models_json() -> PyResult<String> {
    let list: Vec<serde_json::Value> = models::all()
        .into_iter()
        .map(|m| {
            serde_json::json!({
                "name": m.name(),
                "summary": m.summary(),
                "parameters": m.parameters().iter().map(|p| serde_json::json!({
                    "name": p.name, "default": p.default, "help": p.help
                })).collect::<Vec<_>>(),
                "presets": m.presets().iter().map(|p| p.name).collect::<Vec<_>>(),
            })
        })
        .collect();
    json(&list)
}

/// The module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("PactumError", py.get_type::<PactumError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<PyScenario>()?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(forecast, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    m.add_function(wrap_pyfunction!(draw_chunk, m)?)?;
    m.add_function(wrap_pyfunction!(simulation_from_draws, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(levers, m)?)?;
    m.add_function(wrap_pyfunction!(run_backtest, m)?)?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_tasks, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_task, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_local, m)?)?;
    m.add_function(wrap_pyfunction!(models_json, m)?)?;
    m.add_function(wrap_pyfunction!(parse_axis, m)?)?;
    Ok(())
}
