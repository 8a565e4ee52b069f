//! The library's housekeeping and the analyses of one stored version: rename, duplicate
//! and delete a scenario; refuse a save that changes nothing; the difference between two
//! versions (inputs and forecasts); restore an old version; sensitivity and levers on the
//! worker pool; and the downloads of a version (XLSX, the HTML report, results as CSV or
//! JSON with the same bytes as `pactum forecast --format csv/json`).

use crate::AppState;
use crate::api::{
    body_bytes, new_version, parse_id, parse_json, parse_version, read_stored, with_store,
};
use crate::error::ApiError;
use crate::montecarlo::uncertainty_error;
use crate::store::{NewVersion, Store, Version, VersionInfo, sha256_hex};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pactum::io;
use pactum::models::{self, Model, Selection};
use pactum::uncertainty::{LeverOptions, SensitivityOptions, Shape, levers, sensitivity};
use pactum::{Forecast, Scenario, Snapshot};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Most base samples a sensitivity request may ask for (`N·(k + 2)` evaluations).
pub const MAX_SENSITIVITY_SAMPLES: u64 = 65_536;

/// Most draws a levers request may ask for.
pub const MAX_LEVER_DRAWS: u64 = 100_000;

// ---------- saving ----------

/// Stores `item` as the next version of scenario `id` unless its text is the latest
/// version's: then nothing is written and the answer is 409 `unchanged`, naming that
/// version. Runs with the store locked, so the check and the write are one step.
pub fn save_if_changed(
    store: &mut Store,
    id: i64,
    item: &NewVersion,
    note: Option<&str>,
    source: &str,
) -> Result<VersionInfo, ApiError> {
    let latest = store
        .version(id, None)?
        .ok_or_else(|| ApiError::not_found(format!("no scenario {id}")))?;
    if latest.info.sha256 == sha256_hex(&item.toml) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "unchanged",
            format!(
                "nothing changed since version {}, so no new version was saved",
                latest.info.version
            ),
        ));
    }
    store
        .add_version(id, item, note, source)?
        .ok_or_else(|| ApiError::not_found(format!("no scenario {id}")))
}

/// Reads version `v` of scenario `id` from the store (404 when absent).
async fn stored(state: &AppState, id: i64, v: Option<i64>) -> Result<Version, ApiError> {
    with_store(state, move |s| Ok(s.version(id, v)?))
        .await?
        .ok_or_else(|| match v {
            Some(n) => ApiError::not_found(format!("no version {n} of scenario {id}")),
            None => ApiError::not_found(format!("no scenario {id}")),
        })
}

/// The stored scenario of `found`, read on the worker pool.
fn scenario_of(found: &Version) -> Result<Scenario, ApiError> {
    read_stored(
        &found.toml,
        &format!(
            "scenario-{}-v{}.toml",
            found.info.scenario_id, found.info.version
        ),
    )
}

// ---------- rename, duplicate, delete ----------

/// Body of `PATCH /api/scenarios/{id}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenameRequest {
    /// The new title (not empty).
    title: String,
}

/// The title checked: trimmed, not empty, at most 500 characters.
fn checked_title(title: &str) -> Result<String, ApiError> {
    let t = title.trim();
    if t.is_empty() {
        return Err(ApiError::bad_request(
            "the name is empty: give the scenario a name",
        ));
    }
    if t.chars().count() > 500 {
        return Err(ApiError::bad_request(
            "the name is longer than 500 characters: shorten it",
        ));
    }
    Ok(t.to_string())
}

/// `PATCH /api/scenarios/{id}`: renames the scenario. The title is part of the scenario,
/// so the new name is saved as a new version (noted "renamed from …"); the same name is
/// refused as unchanged.
pub async fn rename(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let req: RenameRequest = parse_json(&body_bytes(body)?)?;
    let title = checked_title(&req.title)?;
    let found = stored(&state, id, None).await?;
    let old = found.info.title.clone();
    let item = state
        .pool
        .run(move || {
            let mut s = scenario_of(&found)?;
            s.title = title;
            Ok(new_version(&s))
        })
        .await?;
    let note = format!("renamed from “{old}”");
    let info = with_store(&state, move |s| {
        save_if_changed(s, id, &item, Some(&note), "rename")
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!(info))).into_response())
}

/// `POST /api/scenarios/{id}/duplicate`: a new scenario whose version 1 is a copy of this
/// one's latest version, titled "… (copy)".
pub async fn duplicate(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let found = stored(&state, id, None).await?;
    let from = found.info.version;
    let item = state
        .pool
        .run(move || {
            let mut s = scenario_of(&found)?;
            s.title = format!("{} (copy)", s.title);
            Ok(new_version(&s))
        })
        .await?;
    let source = format!("duplicate of scenario {id} v{from}");
    let mut created =
        with_store(&state, move |s| Ok(s.create_scenarios(&[item], &source)?)).await?;
    let info = created.pop().ok_or_else(|| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the copy was not stored",
        )
    })?;
    Ok((StatusCode::CREATED, Json(json!(info))).into_response())
}

/// `GET /api/scenarios/{id}/usage`: how many versions and runs the scenario has (what a
/// delete would take with it).
pub async fn usage(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let u = with_store(&state, move |s| Ok(s.usage(id)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no scenario {id}")))?;
    Ok(Json(
        json!({ "id": id, "versions": u.versions, "runs": u.runs }),
    ))
}

/// `DELETE /api/scenarios/{id}`: deletes the scenario with every version and run, in one
/// transaction; answers what went.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let u = with_store(&state, move |s| Ok(s.delete_scenario(id)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no scenario {id}")))?;
    Ok(Json(
        json!({ "deleted": id, "versions": u.versions, "runs": u.runs }),
    ))
}

/// Earlier versions holding exactly the text of each newly imported scenario: the same file
/// (or the same scenario in another file) imported before. Runs with the store locked,
/// before the new scenarios are written.
pub fn earlier_copies(store: &Store, items: &[NewVersion]) -> Result<Vec<Value>, ApiError> {
    let mut out = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let same = store.versions_with_sha(&sha256_hex(&item.toml))?;
        if let Some(first) = same.first() {
            out.push(json!({
                "index": k,
                "title": item.title,
                "scenario_id": first.scenario_id,
                "version": first.version,
                "existing_title": first.title,
                "message": format!(
                    "“{}” is already in the library: scenario {} version {} (“{}”) has the same content; imported again as a separate scenario",
                    item.title, first.scenario_id, first.version, first.title
                ),
            }));
        }
    }
    Ok(out)
}

// ---------- versions: restore and difference ----------

/// `POST /api/scenarios/{id}/versions/{version}/restore`: saves that version's scenario as
/// the next version (refused as unchanged when it is the latest's text).
pub async fn restore(
    State(state): State<AppState>,
    Path((id, v)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let number = parse_id(&v, "version")?;
    let found = stored(&state, id, Some(number)).await?;
    let item = NewVersion {
        title: found.info.title.clone(),
        toml: found.toml,
        json: found.json,
    };
    let note = format!("restored version {number}");
    let info = with_store(&state, move |s| {
        save_if_changed(s, id, &item, Some(&note), "restore")
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!(info))).into_response())
}

/// Query of `GET /api/scenarios/{id}/diff`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// The older version.
    from: i64,
    /// The newer version.
    to: i64,
}

/// One changed input between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What changed: `scenario` (a top-level field), `actor`, `issue` or `stance`.
    pub what: &'static str,
    /// The actor's id (actors and stances).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The issue's id (issues and stances).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// The field, e.g. `salience` or `scale.hi`; `(added)` or `(removed)` for a whole
    /// entry.
    pub field: String,
    /// The value before (null: absent).
    pub old: Value,
    /// The value after (null: absent).
    pub new: Value,
}

/// How one model's forecast of one issue moved between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    /// The model.
    pub model: String,
    /// The issue's id.
    pub issue: String,
    /// The forecast on the older version, in the issue's units (`None`: not forecast).
    pub from: Option<f64>,
    /// The forecast on the newer version.
    pub to: Option<f64>,
    /// `to − from` when both exist.
    pub change: Option<f64>,
}

/// Every changed input of `b` against `a`: top-level fields, then actors (by id), issues
/// (by id) and stances (by actor and issue), each in the newer version's order with
/// removed entries after.
pub fn input_changes(a: &Scenario, b: &Scenario) -> Vec<Change> {
    let va = serde_json::to_value(a).unwrap_or(Value::Null);
    let vb = serde_json::to_value(b).unwrap_or(Value::Null);
    let empty = Map::new();
    let (oa, ob) = (
        va.as_object().unwrap_or(&empty),
        vb.as_object().unwrap_or(&empty),
    );
    let mut out = Vec::new();
    let mut top_keys: Vec<&String> = oa.keys().chain(ob.keys()).collect();
    top_keys.sort();
    top_keys.dedup();
    for key in top_keys {
        if matches!(key.as_str(), "actors" | "issues" | "stances") {
            continue;
        }
        let mut leaves = Vec::new();
        leaf_changes(
            key,
            oa.get(key).unwrap_or(&Value::Null),
            ob.get(key).unwrap_or(&Value::Null),
            &mut leaves,
        );
        out.extend(leaves.into_iter().map(|(field, old, new)| Change {
            what: "scenario",
            actor: None,
            issue: None,
            field,
            old,
            new,
        }));
    }
    for (what, list) in [
        ("actor", "actors"),
        ("issue", "issues"),
        ("stance", "stances"),
    ] {
        let before = keyed(&va, list, what);
        let after = keyed(&vb, list, what);
        let change = |(actor, issue): &EntryKey, field, old, new| Change {
            what,
            actor: actor.clone(),
            issue: issue.clone(),
            field,
            old,
            new,
        };
        for (k, new) in &after {
            match before.iter().find(|(kb, _)| kb == k) {
                None => out.push(change(k, "(added)".into(), Value::Null, new.clone())),
                Some((_, old)) => {
                    let mut leaves = Vec::new();
                    leaf_changes("", old, new, &mut leaves);
                    out.extend(leaves.into_iter().map(|(f, o, n)| change(k, f, o, n)));
                }
            }
        }
        for (k, old) in &before {
            if !after.iter().any(|(ka, _)| ka == k) {
                out.push(change(k, "(removed)".into(), old.clone(), Value::Null));
            }
        }
    }
    out
}

/// Who an actor, issue or stance entry is about: (actor id, issue id).
type EntryKey = (Option<String>, Option<String>);

/// The entries of list `list` of a scenario's JSON, each with its key: an actor by its id,
/// an issue by its id, a stance by its actor and issue.
fn keyed(scenario: &Value, list: &str, what: &str) -> Vec<(EntryKey, Value)> {
    let text = |x: &Value, k: &str| x.get(k).and_then(Value::as_str).map(str::to_string);
    let key = |x: &Value| match what {
        "actor" => (text(x, "id"), None),
        "issue" => (None, text(x, "id")),
        _ => (text(x, "actor"), text(x, "issue")),
    };
    scenario
        .get(list)
        .and_then(Value::as_array)
        .map(|xs| xs.iter().map(|x| (key(x), x.clone())).collect())
        .unwrap_or_default()
}

/// The leaves that differ between `a` and `b`, with dotted paths under `prefix`. Objects
/// are compared key by key; anything else (numbers, ranges against points, lists) whole.
fn leaf_changes(prefix: &str, a: &Value, b: &Value, out: &mut Vec<(String, Value, Value)>) {
    if a == b {
        return;
    }
    if let (Value::Object(x), Value::Object(y)) = (a, b) {
        let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            leaf_changes(
                &path,
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
                out,
            );
        }
    } else {
        out.push((prefix.to_string(), a.clone(), b.clone()));
    }
}

/// Every model that suits the scenario, run with the scenario's own parameters (as
/// `pactum forecast` without `--model`); deterministic.
fn default_forecasts(scenario: &Scenario) -> Result<Vec<Forecast>, ApiError> {
    let snapshot = Snapshot::modes(scenario);
    Ok(Selection::default().run(scenario, &snapshot)?.forecasts)
}

/// How each model's forecast of each issue moved from `a` to `b` (models and issues of
/// either version; one that exists on one side only has `None` on the other).
pub fn forecast_moves(a: &[Forecast], b: &[Forecast]) -> Vec<Move> {
    let mut keys: Vec<(String, String)> = Vec::new();
    for f in b.iter().chain(a) {
        for i in &f.issues {
            let k = (f.model.clone(), i.id.clone());
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    let find = |fs: &[Forecast], (m, i): &(String, String)| {
        fs.iter()
            .find(|f| &f.model == m)
            .and_then(|f| f.issues.iter().find(|x| &x.id == i))
            .map(|x| x.forecast)
    };
    keys.into_iter()
        .map(|k| {
            let (from, to) = (find(a, &k), find(b, &k));
            Move {
                change: from.zip(to).map(|(x, y)| y - x),
                model: k.0,
                issue: k.1,
                from,
                to,
            }
        })
        .collect()
}

/// `GET /api/scenarios/{id}/diff?from=A&to=B`: which inputs changed from version A to B
/// (actor, issue, stance or field; old → new) and how each model's forecast moved (every
/// suitable model run on both, deterministically).
pub async fn diff(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<DiffQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let Query(q) = query.map_err(|e| {
        ApiError::bad_request(format!(
            "{}: give two version numbers, e.g. ?from=1&to=2",
            e.body_text()
        ))
    })?;
    let a = stored(&state, id, Some(q.from)).await?;
    let b = stored(&state, id, Some(q.to)).await?;
    let (info_a, info_b) = (a.info.clone(), b.info.clone());
    let (changes, moves) = state
        .pool
        .run(move || {
            let (sa, sb) = (scenario_of(&a)?, scenario_of(&b)?);
            let changes = input_changes(&sa, &sb);
            let moves = forecast_moves(&default_forecasts(&sa)?, &default_forecasts(&sb)?);
            Ok((changes, moves))
        })
        .await?;
    Ok(Json(json!({
        "scenario_id": id,
        "from": info_a,
        "to": info_b,
        "same_inputs": info_a.sha256 == info_b.sha256,
        "changes": changes,
        "forecasts": moves,
    })))
}

// ---------- sensitivity and levers ----------

/// Body of the sensitivity and levers routes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisRequest {
    /// The model (see `GET /api/models`).
    model: String,
    /// A preset of the model.
    preset: Option<String>,
    /// Parameter values (name → value).
    #[serde(default)]
    parameters: BTreeMap<String, Value>,
    /// `triangular` (default) or `pert`.
    distribution: Option<String>,
    /// Seed (default 42, as the CLI).
    seed: Option<crate::api::SeedValue>,
    /// Sensitivity: base sample size N (default 4096, as the CLI; 0 skips the
    /// variance-based indices).
    samples: Option<u64>,
    /// Levers: the actor's id.
    actor: Option<String>,
    /// Levers: draws for robustness (default 1000, as the CLI).
    draws: Option<u64>,
}

/// The seed the CLI's `sensitivity` and `levers` default to.
pub const ANALYSIS_SEED: u64 = 42;

/// An analysis's model, parameters, distribution of the ranged inputs and seed.
type Setup = (&'static dyn Model, pactum::Params, Shape, u64);

/// The analysis's model, parameters, distribution and seed.
fn analysis_setup(scenario: &Scenario, req: &AnalysisRequest) -> Result<Setup, ApiError> {
    let model = models::by_name(&req.model)?;
    let values = req
        .parameters
        .iter()
        .map(|(k, v)| Ok((k.clone(), crate::api::param_text(k, v)?)))
        .collect::<Result<Vec<_>, ApiError>>()?;
    let selection = Selection {
        models: vec![model.name().to_string()],
        preset: req.preset.clone(),
        values,
    };
    let params = selection.params(scenario, model.name());
    let shape = match req.distribution.as_deref() {
        None | Some("") => Shape::Triangular,
        Some(d) => d.parse::<Shape>().map_err(ApiError::bad_request)?,
    };
    let seed = match &req.seed {
        Some(s) => s.value()?,
        None => ANALYSIS_SEED,
    };
    Ok((model, params, shape, seed))
}

/// One analysis of a stored version: the request checked by `check`, then `run` on the
/// worker pool with the version's scenario, the request and its [`analysis_setup`].
async fn analysis_route(
    state: AppState,
    id: &str,
    v: &str,
    body: Result<Bytes, BytesRejection>,
    check: fn(&AnalysisRequest) -> Result<(), ApiError>,
    run: fn(&Scenario, &AnalysisRequest, Setup) -> Result<Value, ApiError>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(id, "scenario id")?;
    let number = parse_version(v)?;
    let req: AnalysisRequest = parse_json(&body_bytes(body)?)?;
    check(&req)?;
    let found = stored(&state, id, number).await?;
    let out = state
        .pool
        .run(move || {
            let scenario = scenario_of(&found)?;
            let setup = analysis_setup(&scenario, &req)?;
            run(&scenario, &req, setup)
        })
        .await?;
    Ok(Json(out))
}

/// `POST /api/scenarios/{id}/versions/{version}/sensitivity`: tornado swings and
/// variance-based indices of the version's ranged inputs, the JSON `pactum sensitivity
/// --format json` prints for the same model, samples and seed, plus `charts`: the tornado
/// of each issue as the report draws it ([`crate::charts::tornadoes`]).
pub async fn sensitivity_route(
    State(state): State<AppState>,
    Path((id, v)): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    analysis_route(
        state,
        &id,
        &v,
        body,
        check_sensitivity,
        |scenario, req, setup| {
            let (model, params, shape, seed) = setup;
            let opts = SensitivityOptions {
                samples: req.samples.unwrap_or(4096),
                seed,
                shape,
            };
            let r = sensitivity(model, scenario, &params, &opts).map_err(uncertainty_error)?;
            let mut out = json!(r);
            out["charts"] = crate::charts::tornadoes(scenario, &r);
            Ok(out)
        },
    )
    .await
}

fn check_sensitivity(req: &AnalysisRequest) -> Result<(), ApiError> {
    if req.actor.is_some() || req.draws.is_some() {
        return Err(ApiError::bad_request(
            "`actor` and `draws` belong to levers, not to sensitivity",
        ));
    }
    match req.samples {
        Some(n) if n > MAX_SENSITIVITY_SAMPLES => Err(ApiError::bad_request(format!(
            "`samples` {n} is more than {MAX_SENSITIVITY_SAMPLES}"
        ))),
        _ => Ok(()),
    }
}

/// `POST /api/scenarios/{id}/versions/{version}/levers`: what `actor`, and others, could
/// do to move the forecast toward the actor's position; the JSON `pactum levers --format
/// json` prints for the same model, actor, draws and seed.
pub async fn levers_route(
    State(state): State<AppState>,
    Path((id, v)): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    analysis_route(
        state,
        &id,
        &v,
        body,
        check_levers,
        |scenario, req, setup| {
            let (model, params, shape, seed) = setup;
            let opts = LeverOptions {
                draws: req.draws.unwrap_or(1000),
                seed,
                shape,
                ..LeverOptions::default()
            };
            let actor = req.actor.as_deref().unwrap_or_default();
            let r = levers(model, scenario, &params, actor, &opts).map_err(uncertainty_error)?;
            Ok(json!(r))
        },
    )
    .await
}

fn check_levers(req: &AnalysisRequest) -> Result<(), ApiError> {
    if req.samples.is_some() {
        return Err(ApiError::bad_request(
            "`samples` belongs to sensitivity, not to levers",
        ));
    }
    if req.actor.as_deref().is_none_or(|a| a.trim().is_empty()) {
        return Err(ApiError::bad_request(
            "give `actor`: the id of the actor whose levers to search",
        ));
    }
    match req.draws {
        Some(n) if n > MAX_LEVER_DRAWS => Err(ApiError::bad_request(format!(
            "`draws` {n} is more than {MAX_LEVER_DRAWS}"
        ))),
        _ => Ok(()),
    }
}

// ---------- downloads ----------

/// Longest title slug a download's file name carries, characters.
pub const MAX_SLUG: usize = 48;

/// The download's file name: the title's slug (cut at a word to [`MAX_SLUG`] characters;
/// `scenario-{id}` when empty), the version and the extension.
pub fn file_name(info: &VersionInfo, ext: &str) -> String {
    // ASCII only: a header value carries no other characters, and byte cuts stay on
    // character boundaries.
    let ascii: String = io::slug(&info.title)
        .chars()
        .map(|c| if c.is_ascii() { c } else { ' ' })
        .collect();
    let mut slug = io::slug(&ascii);
    if slug.len() > MAX_SLUG {
        let cut = slug[..=MAX_SLUG]
            .rfind('-')
            .filter(|k| *k > 0)
            .unwrap_or(MAX_SLUG);
        slug.truncate(cut);
    }
    let stem = if slug.is_empty() {
        format!("scenario-{}", info.scenario_id)
    } else {
        slug
    };
    format!("{stem}-v{}.{ext}", info.version)
}

/// A download: its content type, `Content-Disposition: attachment` with `name`, and the
/// version's SHA-256.
fn download(content_type: &'static str, name: &str, sha: &str, body: Vec<u8>) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(sha) {
        headers.insert("x-pactum-sha256", v);
    }
    (headers, body).into_response()
}

/// `GET /api/scenarios/{id}/versions/{version}/xlsx`: the version as a workbook (actors,
/// issues and stances sheets; `pactum convert --to xlsx`).
pub async fn version_xlsx(
    State(state): State<AppState>,
    Path((id, v)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let found = stored(&state, id, parse_version(&v)?).await?;
    let info = found.info.clone();
    let bytes = state
        .pool
        .run(move || {
            let s = scenario_of(&found)?;
            io::workbook::write(&s).map_err(|e| ApiError::input(e, None))
        })
        .await?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &file_name(&info, "xlsx"),
        &info.sha256,
        bytes,
    ))
}

/// `GET /api/scenarios/{id}/versions/{version}/report`: the HTML report, the bytes `pactum
/// report scenario-{id}-v{version}.toml` writes for the exported TOML (every suitable model,
/// no Monte Carlo).
pub async fn version_report(
    State(state): State<AppState>,
    Path((id, v)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let found = stored(&state, id, parse_version(&v)?).await?;
    let info = found.info.clone();
    let html = state
        .pool
        .run(move || {
            let s = scenario_of(&found)?;
            let chosen = models::all();
            let mut report = pactum_report::Report::with_models(&s, &chosen, false)?;
            report.source_name = Some(format!(
                "scenario-{}-v{}.toml",
                found.info.scenario_id, found.info.version
            ));
            Ok(pactum_report::render(&report))
        })
        .await?;
    Ok(download(
        "text/html; charset=utf-8",
        &file_name(&info, "html"),
        &info.sha256,
        html.into_bytes(),
    ))
}

/// Query of the results download.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    /// One model (default: every model that suits the scenario, as `pactum forecast`).
    model: Option<String>,
}

/// `GET /api/scenarios/{id}/versions/{version}/results/{format}` (`csv` or `json`): the
/// forecasts, byte for byte what `pactum forecast FILE --format csv|json [--model M]` prints
/// for the exported TOML.
pub async fn version_results(
    State(state): State<AppState>,
    Path((id, v, format)): Path<(String, String, String)>,
    query: Result<Query<ResultsQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let Query(q) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if format != "csv" && format != "json" {
        return Err(ApiError::not_found(format!(
            "results come as `csv` or `json`, not `{format}`"
        )));
    }
    let found = stored(&state, id, parse_version(&v)?).await?;
    let info = found.info.clone();
    let csv = format == "csv";
    let text = state
        .pool
        .run(move || {
            let s = scenario_of(&found)?;
            let selection = Selection {
                models: q.model.into_iter().filter(|m| !m.is_empty()).collect(),
                ..Selection::default()
            };
            results_text(&s, &selection, csv)
        })
        .await?;
    let (ct, ext) = if csv {
        ("text/csv; charset=utf-8", "csv")
    } else {
        ("application/json", "json")
    };
    Ok(download(
        ct,
        &file_name(&info, &format!("forecasts.{ext}")),
        &info.sha256,
        text.into_bytes(),
    ))
}

/// What `pactum forecast --format csv|json` prints for `selection` on `scenario`.
pub fn results_text(
    scenario: &Scenario,
    selection: &Selection,
    csv: bool,
) -> Result<String, ApiError> {
    let snapshot = Snapshot::modes(scenario);
    let mut forecasts = selection.run(scenario, &snapshot)?.forecasts;
    pactum::calibration::calibrate_runs(&mut forecasts, scenario, &snapshot, selection)?;
    if csv {
        return Ok(pactum::calibration::forecasts_csv(&forecasts));
    }
    let value = if selection.explicit() && forecasts.len() == 1 {
        json!(forecasts[0])
    } else {
        pactum::calibration::forecasts_json(&forecasts)
    };
    let mut text = serde_json::to_string_pretty(&value)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Scenario {
        let text = include_str!("../../pactum-cli/tests/fixtures/small.toml");
        io::read("small.toml", text.as_bytes(), None)
            .unwrap()
            .scenarios
            .remove(0)
    }

    #[test]
    fn the_difference_names_each_changed_input_and_nothing_else() {
        let a = small();
        assert!(input_changes(&a, &a).is_empty());
        let mut b = a.clone();
        b.title = "other".into();
        b.stances[1].salience = pactum::Estimate::point(0.25);
        let gone = b.actors.len() - 1;
        let removed = b.actors[gone].id.clone();
        b.actors.remove(gone);
        b.stances.retain(|s| s.actor != removed);
        let c = input_changes(&a, &b);
        let title = c.iter().find(|x| x.field == "title").unwrap();
        assert_eq!((title.what, &title.new), ("scenario", &json!("other")));
        let sal = c
            .iter()
            .find(|x| x.what == "stance" && x.field == "salience")
            .unwrap();
        assert_eq!(sal.actor.as_deref(), Some(a.stances[1].actor.as_str()));
        assert_eq!(sal.new, json!(0.25));
        assert!(c.iter().any(|x| x.what == "actor"
            && x.field == "(removed)"
            && x.actor.as_deref() == Some(removed.as_str())));
        // Nothing else: the title, the salience, the actor and its stances.
        let stances_gone = a.stances.iter().filter(|s| s.actor == removed).count();
        assert_eq!(c.len(), 3 + stances_gone, "{c:#?}");
    }

    #[test]
    fn file_names_are_short_slugs_with_the_version() {
        let info = |title: &str| VersionInfo {
            scenario_id: 7,
            version: 3,
            title: title.into(),
            sha256: String::new(),
            note: None,
            source: None,
            created_at: String::new(),
        };
        assert_eq!(
            file_name(&info("EU emission trading"), "xlsx"),
            "eu-emission-trading-v3.xlsx"
        );
        assert_eq!(file_name(&info("???"), "html"), "scenario-7-v3.html");
        assert_eq!(
            file_name(&info("Zürich–Genève"), "toml"),
            "z-rich-gen-ve-v3.toml"
        );
        let long = file_name(&info(&"word ".repeat(40)), "csv");
        assert!(long.len() <= MAX_SLUG + "-v3.csv".len(), "{long}");
        assert!(long.ends_with("word-v3.csv"), "{long}");
    }

    #[test]
    fn forecast_moves_pair_models_and_issues() {
        let a = small();
        let mut b = a.clone();
        b.stances[0].position = pactum::Estimate::point(b.issues[0].scale.hi);
        let fa = default_forecasts(&a).unwrap();
        let fb = default_forecasts(&b).unwrap();
        let moves = forecast_moves(&fa, &fb);
        assert_eq!(
            moves.len(),
            fa.iter().map(|f| f.issues.len()).sum::<usize>()
        );
        for m in &moves {
            assert_eq!(m.change, Some(m.to.unwrap() - m.from.unwrap()));
        }
        assert!(moves.iter().any(|m| m.change != Some(0.0)));
        assert!(
            forecast_moves(&fa, &fa)
                .iter()
                .all(|m| m.change == Some(0.0))
        );
    }
}
