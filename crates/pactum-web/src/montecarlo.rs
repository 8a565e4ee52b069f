//! Monte Carlo jobs. `POST /api/montecarlo` checks the request, starts
//! [`pactum::uncertainty::simulate()`] on a blocking thread and answers 202 with a job id;
//! `GET /api/montecarlo/{job}` reports the draws done and, once finished, the same JSON as
//! `pactum simulate --format json`. Jobs live in memory only: the last [`KEPT_JOBS`] are
//! kept, and a restart forgets them (runs of stored versions are also in the runs table).

use crate::AppState;
use crate::api::{
    SeedValue, body_bytes, check_scenario, parse_id, parse_json, read_stored, run_params,
    with_store,
};
use crate::error::ApiError;
use crate::store::NewRun;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pactum::Scenario;
use pactum::models::{self, Model, Params};
use pactum::uncertainty::{InputSpace, Shape, SimulationOptions, UncertaintyError, simulate};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Draws when the request does not say.
pub const DEFAULT_DRAWS: u64 = 1_000;
/// Most draws one job may ask for.
pub const MAX_DRAWS: u64 = 200_000;
/// Seed when the request does not say (the command line's default too).
pub const DEFAULT_SEED: u64 = 42;
/// Histogram bins when the request does not say (the command line's default too).
pub const DEFAULT_BINS: usize = 20;
/// Most histogram bins.
pub const MAX_BINS: usize = 200;
/// Jobs remembered; older finished ones are forgotten first.
pub const KEPT_JOBS: usize = 32;
/// Jobs allowed to run at once (each one already uses every core).
pub const MAX_RUNNING: usize = 4;
/// Most forecast values (draws × issues) one job may hold in memory: 512 MB of `f64`.
pub const MAX_VALUES: u64 = 1 << 26;

/// How a job ended.
#[derive(Debug, Clone)]
enum Outcome {
    /// The simulation's JSON, the run id when it was recorded, and the wall time.
    Done {
        result: Value,
        /// The histogram of each issue, drawn by `pactum-chart` ([`crate::charts::histograms`]).
        charts: Value,
        run: Option<i64>,
        warning: Option<String>,
        elapsed_ms: f64,
    },
    /// What went wrong.
    Failed { kind: &'static str, message: String },
}

/// One Monte Carlo job.
#[derive(Debug)]
pub struct Job {
    model: String,
    draws: u64,
    seed: u64,
    stored: Option<(i64, i64)>,
    done: AtomicU64,
    outcome: Mutex<Option<Outcome>>,
}

impl Job {
    fn outcome(&self) -> Option<Outcome> {
        self.outcome.lock().map(|o| o.clone()).unwrap_or_else(|_| {
            Some(Outcome::Failed {
                kind: "internal",
                message: "the job's state was lost after a failure".into(),
            })
        })
    }

    fn finish(&self, outcome: Outcome) {
        if let Ok(mut o) = self.outcome.lock() {
            *o = Some(outcome);
        }
    }

    fn is_running(&self) -> bool {
        self.outcome().is_none()
    }

    /// The job's status as answered by `GET /api/montecarlo/{job}`.
    fn status(&self, id: u64) -> Value {
        let outcome = self.outcome();
        let state = match &outcome {
            None => "running",
            Some(Outcome::Done { .. }) => "done",
            Some(Outcome::Failed { .. }) => "failed",
        };
        let done = match &outcome {
            Some(Outcome::Done { .. }) => self.draws,
            _ => self.done.load(Ordering::Relaxed).min(self.draws),
        };
        let mut body = json!({
            "job": id,
            "state": state,
            "model": self.model,
            "seed": self.seed,
            "draws": self.draws,
            "done_draws": done,
        });
        if let Some((scenario, version)) = self.stored {
            body["scenario_id"] = json!(scenario);
            body["version"] = json!(version);
        }
        match outcome {
            Some(Outcome::Done {
                result,
                charts,
                run,
                warning,
                elapsed_ms,
            }) => {
                body["elapsed_ms"] = json!(elapsed_ms);
                body["run"] = json!(run);
                if let Some(w) = warning {
                    body["warning"] = json!(w);
                }
                body["result"] = result;
                body["charts"] = charts;
            }
            Some(Outcome::Failed { kind, message }) => {
                body["error"] = json!({ "kind": kind, "message": message });
            }
            None => {}
        }
        body
    }
}

#[derive(Debug, Default)]
struct JobList {
    last_id: u64,
    jobs: VecDeque<(u64, Arc<Job>)>,
}

/// The jobs the server remembers.
#[derive(Debug, Default)]
pub struct Jobs {
    inner: Mutex<JobList>,
}

impl Jobs {
    /// Registers a new job, forgetting the oldest finished jobs beyond [`KEPT_JOBS`];
    /// refused (429) while [`MAX_RUNNING`] jobs run.
    fn add(&self, job: Job) -> Result<(u64, Arc<Job>), ApiError> {
        let mut list = self.inner.lock().map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "internal",
                "the job list is unavailable after an earlier failure; restart the server",
            )
        })?;
        let running = list.jobs.iter().filter(|(_, j)| j.is_running()).count();
        if running >= MAX_RUNNING {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "busy",
                format!("{running} Monte Carlo runs are in progress; wait for one to finish"),
            ));
        }
        while list.jobs.len() >= KEPT_JOBS {
            let Some(k) = list.jobs.iter().position(|(_, j)| !j.is_running()) else {
                break;
            };
            list.jobs.remove(k);
        }
        list.last_id += 1;
        let id = list.last_id;
        let job = Arc::new(job);
        list.jobs.push_back((id, job.clone()));
        Ok((id, job))
    }

    fn get(&self, id: u64) -> Option<Arc<Job>> {
        let list = self.inner.lock().ok()?;
        list.jobs
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, j)| j.clone())
    }
}

/// Body of `POST /api/montecarlo`: a stored version (`scenario_id`, `version`) or an
/// unsaved `scenario`, one `model` with its `preset` and `parameters`, and the run's
/// `draws`, `seed`, `distribution` (`triangular` or `pert`) and histogram `bins`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonteCarloRequest {
    scenario_id: Option<i64>,
    version: Option<i64>,
    scenario: Option<Scenario>,
    model: Option<String>,
    preset: Option<String>,
    #[serde(default)]
    parameters: BTreeMap<String, Value>,
    draws: Option<u64>,
    seed: Option<SeedValue>,
    distribution: Option<String>,
    bins: Option<usize>,
}

/// The library's error as an API error (4xx: the request cannot run as asked).
pub fn uncertainty_error(e: UncertaintyError) -> ApiError {
    match e {
        UncertaintyError::Input(e) => ApiError::input(e, None),
        UncertaintyError::Model(e) => e.into(),
        UncertaintyError::Draw { .. } => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "model", e.to_string())
        }
        UncertaintyError::Options(m) => ApiError::bad_request(m),
        _ => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "model", e.to_string()),
    }
}

/// The simulation options a request asks for, checked; the seed is set later, by
/// [`run_params`] (the same seed drives the draws and a model that reads one).
fn options(req: &MonteCarloRequest) -> Result<SimulationOptions, ApiError> {
    let draws = req.draws.unwrap_or(DEFAULT_DRAWS);
    if draws == 0 || draws > MAX_DRAWS {
        return Err(ApiError::bad_request(format!(
            "`draws` must be between 1 and {MAX_DRAWS}, not {draws}"
        )));
    }
    let bins = req.bins.unwrap_or(DEFAULT_BINS);
    if bins == 0 || bins > MAX_BINS {
        return Err(ApiError::bad_request(format!(
            "`bins` must be between 1 and {MAX_BINS}, not {bins}"
        )));
    }
    let shape = match &req.distribution {
        Some(d) => d.parse::<Shape>().map_err(ApiError::bad_request)?,
        None => Shape::Triangular,
    };
    Ok(SimulationOptions {
        draws,
        seed: DEFAULT_SEED,
        shape,
        correlation: None,
        thresholds: Vec::new(),
        bins,
    })
}

/// Everything checked before a job starts: bad parameters, an unsuitable scenario or too
/// large a run are answered at once. Runs the model once, with every input at its mode.
fn check_run(
    scenario: &Scenario,
    model: &dyn Model,
    params: &Params,
    opts: &SimulationOptions,
) -> Result<(), ApiError> {
    let values = opts
        .draws
        .saturating_mul(scenario.issues.len().max(1) as u64);
    if values > MAX_VALUES {
        return Err(ApiError::bad_request(format!(
            "{} draws × {} issues is more than the {MAX_VALUES} forecasts one run may hold; ask for fewer draws",
            opts.draws,
            scenario.issues.len()
        )));
    }
    let space = InputSpace::new(scenario, opts.shape, opts.correlation.clone())
        .map_err(uncertainty_error)?;
    model.forecast_values(&space.base, params)?;
    Ok(())
}

/// `POST /api/montecarlo`: checks the request and starts the run; 202 with the job id.
pub async fn start(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let mut req: MonteCarloRequest = parse_json(&body_bytes(body)?)?;
    let mut opts = options(&req)?;
    let seed = req.seed.as_ref().map(SeedValue::value).transpose()?;
    let name = req.model.clone().ok_or_else(|| {
        ApiError::bad_request("give the `model` to simulate")
            .with_hint("GET /api/models lists the models")
    })?;
    let model = models::by_name(&name)?;
    let (scenario, stored) = match (req.scenario.take(), req.scenario_id) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "give either `scenario` (unsaved) or `scenario_id` (stored), not both",
            ));
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "give `scenario_id` (and optionally `version`) or an inline `scenario`",
            ));
        }
        (Some(inline), None) => {
            if req.version.is_some() {
                return Err(ApiError::bad_request(
                    "`version` applies to a stored scenario (`scenario_id`)",
                ));
            }
            let checked = state.pool.run(move || check_scenario(&inline)).await?;
            (checked.0, None)
        }
        (None, Some(id)) => {
            let number = req.version;
            let found = with_store(&state, move |s| Ok(s.version(id, number)?))
                .await?
                .ok_or_else(|| ApiError::not_found(format!("no such version of scenario {id}")))?;
            let version = found.info.version;
            let name = format!("scenario-{id}-v{version}.toml");
            let scenario = state
                .pool
                .run(move || read_stored(&found.toml, &name))
                .await?;
            (scenario, Some((id, version)))
        }
    };
    let (params, used_seed) = run_params(
        &scenario,
        model,
        req.preset.as_ref(),
        &req.parameters,
        seed,
        DEFAULT_SEED,
    )?;
    opts.seed = used_seed;
    let (scenario, params) = {
        let opts = opts.clone();
        state
            .pool
            .run(move || check_run(&scenario, model, &params, &opts).map(|()| (scenario, params)))
            .await?
    };
    // The job holds a worker slot while it runs. With limits the slot is taken now (503
    // `busy` when none frees up in time); without, the job waits for one in the
    // background, showing 0 draws done.
    let permit = match state.pool.limits() {
        Some(_) => Some(state.pool.acquire().await?),
        None => None,
    };
    let job = Job {
        model: model.name().to_string(),
        draws: opts.draws,
        seed: opts.seed,
        stored,
        done: AtomicU64::new(0),
        outcome: Mutex::new(None),
    };
    let (id, job) = state.jobs.add(job)?;
    let record = Record {
        state: state.clone(),
        preset: req.preset.clone(),
        parameters: json!(req.parameters),
    };
    let pool = state.pool.clone();
    let running = job.clone();
    tokio::spawn(async move {
        let permit = match permit {
            Some(p) => p,
            None => match pool.acquire().await {
                Ok(p) => p,
                Err(e) => {
                    return running.finish(Outcome::Failed {
                        kind: e.kind,
                        message: e.message,
                    });
                }
            },
        };
        let _ = tokio::task::spawn_blocking(move || {
            let _slot = permit;
            run_job(&running, model, &scenario, &params, &opts, &record)
        })
        .await;
    });
    let mut res = (StatusCode::ACCEPTED, Json(job.status(id))).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/montecarlo/{id}")) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// What recording a finished run of a stored version needs.
struct Record {
    state: AppState,
    preset: Option<String>,
    parameters: Value,
}

/// Runs the simulation (on the calling, blocking thread) and stores its outcome in `job`.
fn run_job(
    job: &Job,
    model: &dyn Model,
    scenario: &Scenario,
    params: &Params,
    opts: &SimulationOptions,
    record: &Record,
) {
    let t0 = Instant::now();
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        simulate(model, scenario, params, opts, Some(&job.done))
    }));
    let elapsed = t0.elapsed();
    let sim = match ran {
        Ok(Ok(sim)) => sim,
        Ok(Err(e)) => {
            let e = uncertainty_error(e);
            return job.finish(Outcome::Failed {
                kind: e.kind,
                message: e.message,
            });
        }
        Err(_) => {
            return job.finish(Outcome::Failed {
                kind: "internal",
                message: "the simulation stopped unexpectedly".into(),
            });
        }
    };
    let result = match serde_json::to_value(&sim) {
        Ok(v) => v,
        Err(e) => {
            return job.finish(Outcome::Failed {
                kind: "internal",
                message: format!("cannot serialise the result: {e}"),
            });
        }
    };
    let (run, warning) = match job.stored {
        Some((id, version)) => match save_run(job, id, version, &result, elapsed, record) {
            Ok(run) => (run, None),
            Err(e) => (None, Some(format!("the run was not recorded: {e}"))),
        },
        None => (None, None),
    };
    job.finish(Outcome::Done {
        result,
        charts: crate::charts::histograms(scenario, &sim),
        run,
        warning,
        elapsed_ms: elapsed.as_secs_f64() * 1e3,
    });
}

/// Records a finished run of a stored version in the runs table.
fn save_run(
    job: &Job,
    id: i64,
    version: i64,
    result: &Value,
    elapsed: std::time::Duration,
    record: &Record,
) -> Result<Option<i64>, String> {
    let output = result.to_string();
    let run = NewRun {
        scenario_id: id,
        version,
        model: &job.model,
        preset: record.preset.as_deref(),
        parameters: &record.parameters,
        seed: job.seed,
        output: &output,
        elapsed_us: elapsed.as_micros() as i64,
        draws: Some(job.draws),
    };
    let mut store = record
        .state
        .store
        .lock()
        .map_err(|_| "the library is unavailable after an earlier failure".to_string())?;
    store.add_run(&run).map_err(|e| e.to_string())
}

/// `GET /api/montecarlo/{job}`: the job's state, draws done and, when done, the result.
pub async fn status(
    State(state): State<AppState>,
    Path(job): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&job, "job id")? as u64;
    let found = state.jobs.get(id).ok_or_else(|| {
        ApiError::not_found(format!("no Monte Carlo job {id}")).with_hint(format!(
            "jobs are kept in memory: the last {KEPT_JOBS}, until the server stops"
        ))
    })?;
    Ok(Json(found.status(id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(draws: u64) -> Job {
        Job {
            model: "median".into(),
            draws,
            seed: 1,
            stored: None,
            done: AtomicU64::new(0),
            outcome: Mutex::new(None),
        }
    }

    fn done() -> Outcome {
        Outcome::Done {
            result: json!({}),
            charts: json!([]),
            run: None,
            warning: None,
            elapsed_ms: 1.0,
        }
    }

    #[test]
    fn a_fifth_running_job_is_refused_until_one_finishes() {
        let jobs = Jobs::default();
        let started: Vec<_> = (0..MAX_RUNNING)
            .map(|_| jobs.add(job(10)).unwrap())
            .collect();
        let refused = jobs.add(job(10)).unwrap_err();
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(refused.kind, "busy");
        started[0].1.finish(done());
        let (id, _) = jobs.add(job(10)).unwrap();
        assert_eq!(id, MAX_RUNNING as u64 + 1);
    }

    #[test]
    fn running_jobs_are_never_forgotten_and_finished_ones_go_oldest_first() {
        let jobs = Jobs::default();
        let (first, running) = jobs.add(job(10)).unwrap();
        for _ in 1..KEPT_JOBS + 5 {
            let (_, j) = jobs.add(job(10)).unwrap();
            j.finish(done());
        }
        assert!(running.is_running());
        assert!(jobs.get(first).is_some(), "a running job was dropped");
        assert!(jobs.get(2).is_none() && jobs.get(6).is_none());
        assert!(jobs.get(7).is_some());
        assert_eq!(jobs.inner.lock().unwrap().jobs.len(), KEPT_JOBS);
    }

    #[test]
    fn status_reports_progress_then_the_outcome() {
        let j = job(1000);
        j.done.store(512, Ordering::Relaxed);
        let s = j.status(3);
        assert_eq!(
            (s["state"].as_str(), s["done_draws"].as_u64()),
            (Some("running"), Some(512))
        );
        assert!(s.get("result").is_none());
        j.finish(Outcome::Failed {
            kind: "model",
            message: "draw 7: no".into(),
        });
        let s = j.status(3);
        assert_eq!(s["state"], "failed");
        assert_eq!(s["error"]["message"], "draw 7: no");
        let k = job(1000);
        k.finish(done());
        assert_eq!(k.status(4)["done_draws"], 1000);
    }
}
