//! The JSON API handlers. Each one parses its input, calls the library or the store, and
//! answers JSON; every failure is an [`ApiError`].

use crate::AppState;
use crate::error::ApiError;
use crate::store::{NewRun, NewVersion, Store, VersionInfo};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pactum::io::{self, Format, native};
use pactum::models::{self, Model, Params, Selection};
use pactum::{Forecast, Scenario, Snapshot};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Instant;

/// Most scenarios one imported file may hold (a DEU file holds one per row).
pub const MAX_IMPORTED: usize = 2_000;

/// Runs `f` on the store in a blocking thread.
pub(crate) async fn with_store<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || {
        let mut guard = store.lock().map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage",
                "the library is unavailable after an earlier failure; restart the server",
            )
        })?;
        f(&mut guard)
    })
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("a worker failed: {e}"),
        )
    })?
}

pub(crate) fn body_bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                e.status(),
                "too_large",
                format!(
                    "the file is larger than {} MiB, the most the library takes at once",
                    crate::MAX_BODY / (1024 * 1024)
                ),
            )
            .with_hint("split it into smaller files, or forecast it with the pactum command line")
        } else {
            ApiError::new(e.status(), "bad_request", e.body_text())
        }
    })
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(format!("the request body is not the JSON expected: {e}"))
    })
}

pub(crate) fn parse_id(text: &str, what: &str) -> Result<i64, ApiError> {
    text.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::bad_request(format!("{what} `{text}` is not a positive whole number"))
    })
}

pub(crate) fn parse_version(text: &str) -> Result<Option<i64>, ApiError> {
    if text == "latest" {
        Ok(None)
    } else {
        parse_id(text, "version").map(Some)
    }
}

/// Validates a scenario given as JSON by writing it as native TOML and reading that back:
/// the stored text is exactly what was checked. Returns the checked scenario and its text.
pub fn check_scenario(scenario: &Scenario) -> Result<(Scenario, String), ApiError> {
    let text = native::write(scenario);
    let mut loaded = io::read("scenario.toml", text.as_bytes(), Some(Format::Toml))
        .map_err(|e| ApiError::input(e, Some(&text)))?;
    Ok((loaded.scenarios.remove(0), text))
}

/// Reads a stored version's native TOML text.
pub(crate) fn read_stored(text: &str, name: &str) -> Result<Scenario, ApiError> {
    let mut loaded = io::read(name, text.as_bytes(), Some(Format::Toml))
        .map_err(|e| ApiError::input(e, Some(text)))?;
    Ok(loaded.scenarios.remove(0))
}

/// `GET /api/health`: answers at once, without the library or the worker pool, so it
/// keeps answering while large jobs run.
pub async fn health(State(state): State<AppState>) -> Json<Value> {
    let limits = state.pool.limits();
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "schema_version": state.schema_version,
        "monte_carlo": true,
        "workers": state.pool.size(),
        "time_limit_s": limits.map(|l| l.time_limit.as_secs_f64()),
    }))
}

/// A seed as a JSON number or as decimal text (a browser's numbers lose digits above
/// 2^53, so the page sends text).
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum SeedValue {
    /// A JSON number.
    Number(u64),
    /// Decimal text, 0 to 2^64-1.
    Text(String),
}

impl SeedValue {
    /// The seed, or 400 when the text is not a whole number from 0 to 2^64-1.
    pub fn value(&self) -> Result<u64, ApiError> {
        match self {
            SeedValue::Number(n) => Ok(*n),
            SeedValue::Text(t) => t.trim().parse::<u64>().map_err(|_| {
                ApiError::bad_request(format!(
                    "`seed` must be a whole number from 0 to 18446744073709551615, not `{t}`"
                ))
            }),
        }
    }
}

/// A model's parameters for one run and the run's seed. Parameters are layered as the
/// command line does: the scenario's `[models.<name>]`, then `preset`, then `values`.
/// The seed is `seed` when given (a model with a `seed` parameter runs with it; a
/// `values.seed` that disagrees is refused); otherwise the `seed` parameter those layers
/// resolve to, or `default_seed` for a model without one. The seed returned is the one
/// the model used and the one to record.
pub(crate) fn run_params(
    scenario: &Scenario,
    model: &dyn Model,
    preset: Option<&String>,
    values: &BTreeMap<String, Value>,
    seed: Option<u64>,
    default_seed: u64,
) -> Result<(Params, u64), ApiError> {
    let selection = Selection {
        models: vec![model.name().to_string()],
        preset: preset.cloned(),
        values: values
            .iter()
            .map(|(k, v)| Ok((k.clone(), param_text(k, v)?)))
            .collect::<Result<_, ApiError>>()?,
    };
    let mut params = selection.params(scenario, model.name());
    let takes_seed = model.parameters().iter().any(|p| p.name == "seed");
    if let Some(s) = seed {
        if let Some(given) = values.get("seed") {
            let text = param_text("seed", given)?;
            if text.trim().parse::<u64>().ok() != Some(s) {
                return Err(ApiError::bad_request(format!(
                    "`seed` {s} and `parameters.seed` `{text}` disagree: give the seed once"
                )));
            }
        }
        if takes_seed {
            params.values.insert("seed".into(), s.to_string());
        }
        return Ok((params, s));
    }
    if !takes_seed {
        return Ok((params, default_seed));
    }
    let resolved = params.resolve(model.parameters(), model.presets())?;
    let text = resolved.get("seed").map(String::as_str).unwrap_or("0");
    let s = text.trim().parse::<u64>().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "parameter",
            format!("parameter `seed`: expected a whole number from 0 to 2^64-1, got `{text}`"),
        )
    })?;
    Ok((params, s))
}

/// `GET /api/models`: every model with its parameters and presets.
pub async fn list_models() -> Json<Value> {
    let list: Vec<Value> = models::all()
        .into_iter()
        .map(|m| {
            json!({
                "name": m.name(),
                "summary": m.summary(),
                "parameters": m.parameters().iter().map(|p| json!({
                    "name": p.name, "default": p.default, "help": p.help,
                })).collect::<Vec<_>>(),
                "presets": m.presets().iter().map(|p| json!({
                    "name": p.name, "help": p.help,
                    "values": p.values.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!({ "models": list }))
}

/// `GET /api/scenarios`.
pub async fn list_scenarios(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let list = with_store(&state, |s| Ok(s.list_scenarios()?)).await?;
    Ok(Json(json!({ "scenarios": list })))
}

/// Query of `POST /api/scenarios`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// The file's name, for messages and the version's source.
    filename: Option<String>,
    /// The format, when detection should be skipped.
    format: Option<String>,
}

/// `POST /api/scenarios`: the body is a scenario file in any supported format; each
/// scenario in it becomes a new library entry at version 1.
pub async fn import(
    State(state): State<AppState>,
    query: Result<Query<ImportQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let bytes = body_bytes(body)?;
    let name = q
        .filename
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "upload".into());
    let format = match q.format.as_deref() {
        None | Some("") => None,
        Some(f) => Some(f.parse::<Format>().map_err(ApiError::bad_request)?),
    };
    let read_name = name.clone();
    let (loaded, items) = state
        .pool
        .run(move || {
            let loaded =
                io::read(&read_name, &bytes, format).map_err(|e| ApiError::input(e, None))?;
            if loaded.scenarios.len() > MAX_IMPORTED {
                return Ok((loaded, Vec::new()));
            }
            let items: Vec<NewVersion> = loaded.scenarios.iter().map(new_version).collect();
            Ok((loaded, items))
        })
        .await?;
    if loaded.scenarios.len() > MAX_IMPORTED {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "the file holds {} scenarios; at most {MAX_IMPORTED} are imported at once",
                loaded.scenarios.len()
            ),
        ));
    }
    let fmt = loaded.format.map(|f| f.name()).unwrap_or("?");
    let source = format!("import:{name} ({fmt})");
    let (created, duplicates) = with_store(&state, move |s| {
        let earlier = crate::library::earlier_copies(s, &items)?;
        Ok((s.create_scenarios(&items, &source)?, earlier))
    })
    .await?;
    let body = json!({
        "created": created,
        "duplicates": duplicates,
        "format": fmt,
        "warnings": loaded.warnings.iter().map(warning_json).collect::<Vec<_>>(),
        "skipped": loaded.skipped.iter().map(|e| json!({"location": e.location.to_string(), "message": e.message})).collect::<Vec<_>>(),
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// A reader's warning as the import answers it: where, what, and the guess behind it (when
/// there is one) in a form the page can offer to correct.
fn warning_json(w: &pactum::Warning) -> Value {
    let assumption = match &w.assumption {
        Some(pactum::Assumption::Scale { issue, lo, hi }) => {
            json!({"kind": "scale", "issue": issue, "lo": lo, "hi": hi})
        }
        Some(pactum::Assumption::SalienceDivisor { divisor }) => {
            json!({"kind": "salience_divisor", "divisor": divisor})
        }
        _ => Value::Null,
    };
    json!({"location": w.location.to_string(), "message": w.message, "assumption": assumption})
}

/// A scenario to store: its native TOML text and its JSON.
pub(crate) fn new_version(s: &Scenario) -> NewVersion {
    NewVersion {
        title: s.title.clone(),
        toml: native::write(s),
        json: serde_json::to_string(s).ok(),
    }
}

/// `GET /api/scenarios/{id}`: the scenario's versions.
pub async fn scenario(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let versions = with_store(&state, move |s| Ok(s.list_versions(id)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no scenario {id}")))?;
    let title = versions.last().map(|v| v.title.clone()).unwrap_or_default();
    Ok(Json(
        json!({ "id": id, "title": title, "versions": versions }),
    ))
}

/// `GET /api/scenarios/{id}/versions`.
pub async fn versions(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let versions = with_store(&state, move |s| Ok(s.list_versions(id)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no scenario {id}")))?;
    Ok(Json(json!({ "versions": versions })))
}

/// Body of `POST /api/scenarios/{id}/versions`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveRequest {
    /// The edited scenario (the `scenario` object of `GET .../versions/{v}`).
    scenario: Scenario,
    /// What changed, in words.
    note: Option<String>,
}

/// `POST /api/scenarios/{id}/versions`: stores an edited scenario as the next version.
pub async fn save_version(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let bytes = body_bytes(body)?;
    let (item, note) = state
        .pool
        .run(move || {
            let req: SaveRequest = parse_json(&bytes)?;
            let (checked, toml) = check_scenario(&req.scenario)?;
            let item = NewVersion {
                title: checked.title.clone(),
                toml,
                json: serde_json::to_string(&checked).ok(),
            };
            Ok((item, req.note.filter(|n| !n.trim().is_empty())))
        })
        .await?;
    let info: VersionInfo = with_store(&state, move |s| {
        crate::library::save_if_changed(s, id, &item, note.as_deref(), "edit")
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!(info))).into_response())
}

/// `GET /api/scenarios/{id}/versions/{version}`: metadata and the scenario as JSON — the
/// scenario page's data. Linear in the scenario's size: the JSON stored with the version
/// is spliced into the answer as it is; a version stored before schema 3 (no JSON) has its
/// TOML read on the worker pool.
pub async fn version(
    State(state): State<AppState>,
    Path((id, v)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let number = parse_version(&v)?;
    let found = with_store(&state, move |s| Ok(s.version(id, number)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no version {v} of scenario {id}")))?;
    let scenario_json = match found.json {
        Some(j) => j,
        None => {
            let name = format!("scenario-{id}-v{}.toml", found.info.version);
            let toml = found.toml;
            state
                .pool
                .run(move || {
                    let s = read_stored(&toml, &name)?;
                    serde_json::to_string(&s).map_err(|e| {
                        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
                    })
                })
                .await?
        }
    };
    Ok(version_body(&found.info, &scenario_json))
}

/// `{...info, "scenario": <scenario_json>}` without parsing the scenario's JSON again.
pub fn version_body(info: &VersionInfo, scenario_json: &str) -> Response {
    let mut body = json!(info).to_string();
    body.pop(); // the closing brace of the info object
    body.reserve(scenario_json.len() + 14);
    body.push_str(",\"scenario\":");
    body.push_str(scenario_json);
    body.push('}');
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// `GET /api/scenarios/{id}/versions/{version}/toml`: the native TOML text (download).
pub async fn version_toml(
    State(state): State<AppState>,
    Path((id, v)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let number = parse_version(&v)?;
    let found = with_store(&state, move |s| Ok(s.version(id, number)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no version {v} of scenario {id}")))?;
    let file = format!("scenario-{id}-v{}.toml", found.info.version);
    let headers = download_headers("application/toml; charset=utf-8", &file, &found.info.sha256);
    Ok((headers, found.toml).into_response())
}

/// The headers of a file download: its content type, `attachment; filename="NAME"` and
/// its SHA-256 in `X-Pactum-Sha256`.
pub(crate) fn download_headers(content_type: &'static str, name: &str, sha256: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(sha256) {
        headers.insert("x-pactum-sha256", v);
    }
    headers
}

/// Body of `POST /api/forecast`: a stored version (`scenario_id`, `version`) or an
/// unsaved `scenario`, and the models to run.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastRequest {
    pub(crate) scenario_id: Option<i64>,
    pub(crate) version: Option<i64>,
    pub(crate) scenario: Option<Scenario>,
    model: Option<String>,
    models: Option<Vec<String>>,
    preset: Option<String>,
    #[serde(default)]
    parameters: BTreeMap<String, Value>,
    pub(crate) seed: Option<SeedValue>,
}

/// Which models a request asks for, and whether it named them.
pub(crate) fn chosen_models(
    req: &ForecastRequest,
) -> Result<(Vec<&'static dyn Model>, bool), ApiError> {
    let names: Vec<String> = match (&req.model, &req.models) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "give either `model` or `models`, not both",
            ));
        }
        (Some(m), None) => vec![m.clone()],
        (None, Some(ms)) => ms.clone(),
        (None, None) => Vec::new(),
    };
    let explicit = !names.is_empty();
    let selection = Selection {
        models: names,
        preset: req.preset.clone(),
        values: req
            .parameters
            .keys()
            .map(|k| (k.clone(), String::new()))
            .collect(),
    };
    let chosen = selection.models().map_err(|e| match e {
        pactum::ModelError::Parameter { name, .. } if name == "preset" => ApiError::bad_request(
            "`preset` and `parameters` apply to one model: give exactly one `model`",
        ),
        e => e.into(),
    })?;
    Ok((chosen, explicit))
}

pub(crate) fn param_text(name: &str, v: &Value) -> Result<String, ApiError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(ApiError::bad_request(format!(
            "parameter `{name}`: expected a string, number or boolean"
        ))),
    }
}

/// One model's forecast with its wall time in microseconds and the seed it ran with.
pub(crate) struct Ran {
    pub(crate) forecast: Forecast,
    elapsed_us: i64,
    seed: u64,
}

/// Seed recorded for a model that reads none, when the request gives none.
pub const DEFAULT_FORECAST_SEED: u64 = 0;

/// Runs the chosen models like `pactum forecast`: scenario parameters, then preset and
/// values; unsuitable models are skipped unless named.
pub(crate) fn run_models(
    scenario: &Scenario,
    chosen: &[&'static dyn Model],
    explicit: bool,
    req: &ForecastRequest,
    seed: Option<u64>,
) -> Result<Vec<Ran>, ApiError> {
    let snapshot = Snapshot::modes(scenario);
    let mut out = Vec::new();
    for m in chosen {
        if !explicit && m.left_out_by_default(scenario).is_some() {
            continue;
        }
        let (params, used) = run_params(
            scenario,
            *m,
            req.preset.as_ref(),
            &req.parameters,
            seed,
            DEFAULT_FORECAST_SEED,
        )?;
        let t0 = Instant::now();
        match m.solve(&snapshot, &params) {
            Ok(mut forecast) => out.push(Ran {
                // The same intervals as `pactum forecast`; a model that cannot be
                // calibrated keeps its point forecast (the CLI notes it on stderr).
                forecast: {
                    let _ = pactum::calibration::calibrate_forecast(
                        &mut forecast,
                        &snapshot,
                        *m,
                        &params,
                    );
                    forecast
                },
                elapsed_us: t0.elapsed().as_micros() as i64,
                seed: used,
            }),
            Err(pactum::ModelError::Unsuitable(_)) if !explicit => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// The body `pactum forecast --format json` prints for these forecasts.
pub(crate) fn cli_json(ran: &[Ran], explicit: bool) -> Value {
    if explicit && ran.len() == 1 {
        json!(ran[0].forecast)
    } else {
        let all: Vec<Forecast> = ran.iter().map(|r| r.forecast.clone()).collect();
        pactum::calibration::forecasts_json(&all)
    }
}

/// `POST /api/forecast`: the same JSON as `pactum forecast --format json`. Runs of a stored
/// version are recorded; their ids are in the `X-Pactum-Run` header.
pub async fn forecast(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let mut req: ForecastRequest = parse_json(&body_bytes(body)?)?;
    let (chosen, explicit) = chosen_models(&req)?;
    let seed = req.seed.as_ref().map(SeedValue::value).transpose()?;
    match (req.scenario.take(), req.scenario_id) {
        (Some(_), Some(_)) => Err(ApiError::bad_request(
            "give either `scenario` (unsaved) or `scenario_id` (stored), not both",
        )),
        (None, None) => Err(ApiError::bad_request(
            "give `scenario_id` (and optionally `version`) or an inline `scenario`",
        )),
        (Some(inline), None) => {
            if req.version.is_some() {
                return Err(ApiError::bad_request(
                    "`version` applies to a stored scenario (`scenario_id`)",
                ));
            }
            let ran = state
                .pool
                .run(move || {
                    let (scenario, _) = check_scenario(&inline)?;
                    run_models(&scenario, &chosen, explicit, &req, seed)
                })
                .await?;
            Ok(Json(cli_json(&ran, explicit)).into_response())
        }
        (None, Some(id)) => forecast_stored(state, id, chosen, explicit, req, seed).await,
    }
}

async fn forecast_stored(
    state: AppState,
    id: i64,
    chosen: Vec<&'static dyn Model>,
    explicit: bool,
    req: ForecastRequest,
    seed: Option<u64>,
) -> Result<Response, ApiError> {
    let number = req.version;
    let found = with_store(&state, move |s| Ok(s.version(id, number)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no such version of scenario {id}")))?;
    let version = found.info.version;
    let sha = found.info.sha256.clone();
    let parameters = json!(req.parameters);
    let preset = req.preset.clone();
    let ran = state
        .pool
        .run(move || {
            let scenario = read_stored(&found.toml, &format!("scenario-{id}-v{version}.toml"))?;
            run_models(&scenario, &chosen, explicit, &req, seed)
        })
        .await?;
    let body = cli_json(&ran, explicit);
    let outputs: Vec<(String, String, i64, u64)> = ran
        .iter()
        .map(|r| {
            (
                r.forecast.model.clone(),
                serde_json::to_string(&r.forecast).unwrap_or_default(),
                r.elapsed_us,
                r.seed,
            )
        })
        .collect();
    let ids = with_store(&state, move |s| {
        let mut ids = Vec::new();
        for (model, output, elapsed_us, seed) in &outputs {
            let run = NewRun {
                scenario_id: id,
                version,
                model,
                preset: preset.as_deref(),
                parameters: &parameters,
                seed: *seed,
                output,
                elapsed_us: *elapsed_us,
                draws: None,
            };
            if let Some(run_id) = s.add_run(&run)? {
                ids.push(run_id.to_string());
            }
        }
        Ok(ids)
    })
    .await?;
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&ids.join(",")) {
        headers.insert("x-pactum-run", v);
    }
    if let Ok(v) = HeaderValue::from_str(&sha) {
        headers.insert("x-pactum-sha256", v);
    }
    Ok((headers, Json(body)).into_response())
}

/// Query of `GET /api/runs`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunsQuery {
    scenario: Option<i64>,
    limit: Option<i64>,
}

/// `GET /api/runs`: run history, newest first.
pub async fn runs(
    State(state): State<AppState>,
    query: Result<Query<RunsQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let list = with_store(&state, move |s| Ok(s.list_runs(q.scenario, limit)?)).await?;
    Ok(Json(json!({ "runs": list })))
}

/// `GET /api/runs/{id}`: one run and the forecast JSON it returned.
pub async fn run(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "run id")?;
    let (info, output) = with_store(&state, move |s| Ok(s.run(id)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no run {id}")))?;
    let forecast: Value = serde_json::from_str(&output).unwrap_or(Value::Null);
    if info.draws.is_none_or(|d| d == 0) {
        return Ok(Json(json!({ "run": info, "forecast": forecast })));
    }
    // A Monte Carlo run: its histograms as the job drew them, from its version's scenario.
    let (sid, number) = (info.scenario_id, info.version);
    let found = with_store(&state, move |s| Ok(s.version(sid, Some(number))?)).await?;
    let charts = match found {
        Some(v) => {
            let name = format!("scenario-{sid}-v{number}.toml");
            let out = forecast.clone();
            state
                .pool
                .run(move || {
                    let s = read_stored(&v.toml, &name)?;
                    Ok(crate::charts::recorded_histograms(&s, &out))
                })
                .await?
        }
        None => json!([]),
    };
    Ok(Json(
        json!({ "run": info, "forecast": forecast, "charts": charts }),
    ))
}
