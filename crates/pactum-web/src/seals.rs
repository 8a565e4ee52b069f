//! Sealed forecasts in the web app: the `seals` and `outcomes` tables (schema 4), and the
//! routes that seal a stored version, list and download seals, record outcomes and grade
//! the seals (issue 15, part 2). Sealing, hashing, verifying and scoring are
//! `pactum::seal`'s; this module stores and serves.
//!
//! Both tables are append-only: SQLite triggers abort any `UPDATE` or `DELETE`. A seal is
//! replaced by a new seal naming it in `supersedes`; an outcome by a newer row for the same
//! issue. Seals hold no foreign key to the scenario tables: the seal's JSON carries the
//! canonical scenario, so a seal outlives the library entry it was made from.

use crate::AppState;
use crate::api::{
    body_bytes, download_headers, param_text, parse_id, parse_json, read_stored, with_store,
};
use crate::error::ApiError;
use crate::montecarlo::{DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, MAX_VALUES};
use crate::store::{Store, StoreError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pactum::models::{self, Selection};
use pactum::seal::{self, RecordedOutcome, Request, Scoreboard, Seal, SealError};
use pactum::{InputError, Location, Scenario};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Migration 4: the `seals` and `outcomes` tables and the triggers that keep them
/// append-only.
pub const SCHEMA: &str = r#"
CREATE TABLE seals (
    id           INTEGER PRIMARY KEY,
    scenario_id  INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    title        TEXT NOT NULL,
    model        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    seal         TEXT NOT NULL,
    supersedes   INTEGER UNIQUE REFERENCES seals(id)
);
CREATE INDEX seals_by_scenario ON seals(scenario_id);
CREATE TRIGGER seals_are_never_edited BEFORE UPDATE ON seals
BEGIN SELECT RAISE(ABORT, 'a seal is never edited: supersede it with a new seal'); END;
CREATE TRIGGER seals_are_never_deleted BEFORE DELETE ON seals
BEGIN SELECT RAISE(ABORT, 'a seal is never deleted: supersede it with a new seal'); END;
CREATE TABLE outcomes (
    id           INTEGER PRIMARY KEY,
    scenario_id  INTEGER NOT NULL,
    issue        TEXT NOT NULL,
    value        REAL NOT NULL,
    date         TEXT NOT NULL,
    source       TEXT NOT NULL,
    recorded_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX outcomes_by_issue ON outcomes(scenario_id, issue);
CREATE TRIGGER outcomes_are_never_edited BEFORE UPDATE ON outcomes
BEGIN SELECT RAISE(ABORT, 'an outcome is never edited: record a newer one'); END;
CREATE TRIGGER outcomes_are_never_deleted BEFORE DELETE ON outcomes
BEGIN SELECT RAISE(ABORT, 'an outcome is never deleted: record a newer one'); END;
"#;

/// One seal as the ledger lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerEntry {
    /// Seal id.
    pub id: i64,
    /// The scenario's library id (the scenario may since have left the library).
    pub scenario_id: i64,
    /// The version sealed.
    pub version: i64,
    /// The scenario's title in that version.
    pub title: String,
    /// The model.
    pub model: String,
    /// When it was sealed (UTC, RFC 3339; the seal's `sealed_at`).
    pub sealed_at: String,
    /// The seal's SHA-256 (lowercase hex).
    pub sha256: String,
    /// The earlier seal this one replaces.
    pub supersedes: Option<i64>,
    /// The later seal that replaces this one.
    pub superseded_by: Option<i64>,
    /// Where to download the seal file.
    pub download: String,
}

/// A seal to store.
#[derive(Debug, Clone)]
pub struct NewSeal<'a> {
    /// The scenario's library id.
    pub scenario_id: i64,
    /// The version sealed.
    pub version: i64,
    /// The sealed seal.
    pub seal: &'a Seal,
    /// Its file text ([`Seal::render`]), stored and served byte for byte.
    pub text: &'a str,
    /// The earlier seal of the same scenario this one replaces.
    pub supersedes: Option<i64>,
}

/// Why a seal could not supersede another.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// No seal has that id.
    NoSuchSeal(i64),
    /// The seal belongs to another scenario.
    OtherScenario {
        /// The seal named.
        seal: i64,
        /// Its scenario.
        scenario_id: i64,
    },
    /// The seal was already replaced.
    AlreadySuperseded {
        /// The seal named.
        seal: i64,
        /// The seal that replaced it.
        by: i64,
    },
}

impl Refusal {
    fn into_api(self, scenario_id: i64) -> ApiError {
        match self {
            Refusal::NoSuchSeal(s) => {
                ApiError::not_found(format!("`supersedes`: there is no seal {s}"))
            }
            Refusal::OtherScenario {
                seal,
                scenario_id: other,
            } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!(
                    "`supersedes`: seal {seal} is of scenario {other}, not of scenario {scenario_id}"
                ),
            ),
            Refusal::AlreadySuperseded { seal, by } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("`supersedes`: seal {seal} is already superseded by seal {by}"),
            )
            .with_hint(format!("supersede seal {by} instead")),
        }
    }
}

/// An outcome to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOutcome {
    /// The scenario's library id.
    pub scenario_id: i64,
    /// The issue's id.
    pub issue: String,
    /// The outcome, in the issue's units.
    pub value: f64,
    /// When it became known (`YYYY-MM-DD`).
    pub date: String,
    /// Where it comes from, in words.
    pub source: String,
}

/// A recorded outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeRow {
    /// Row id.
    pub id: i64,
    /// The scenario's library id.
    pub scenario_id: i64,
    /// The issue's id.
    pub issue: String,
    /// The outcome, in the issue's units.
    pub value: f64,
    /// When it became known (`YYYY-MM-DD`).
    pub date: String,
    /// Where it comes from.
    pub source: String,
    /// When it was recorded (UTC, ISO 8601).
    pub recorded_at: String,
    /// True for the newest row of its issue: the one the scoreboard uses.
    pub in_force: bool,
}

const LEDGER_SQL: &str = "SELECT s.id, s.scenario_id, s.version, s.title, s.model, s.created_at, \
     s.sha256, s.supersedes, n.id, s.seal FROM seals s LEFT JOIN seals n ON n.supersedes = s.id";

fn ledger_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(LedgerEntry, String)> {
    let id: i64 = r.get(0)?;
    Ok((
        LedgerEntry {
            id,
            scenario_id: r.get(1)?,
            version: r.get(2)?,
            title: r.get(3)?,
            model: r.get(4)?,
            sealed_at: r.get(5)?,
            sha256: r.get(6)?,
            supersedes: r.get(7)?,
            superseded_by: r.get(8)?,
            download: format!("/api/seals/{id}"),
        },
        r.get(9)?,
    ))
}

fn outcome_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutcomeRow> {
    Ok(OutcomeRow {
        id: r.get(0)?,
        scenario_id: r.get(1)?,
        issue: r.get(2)?,
        value: r.get(3)?,
        date: r.get(4)?,
        source: r.get(5)?,
        recorded_at: r.get(6)?,
        in_force: r.get(7)?,
    })
}

impl Store {
    /// Stores a seal; returns its id, or why it may not supersede the seal it names.
    pub fn add_seal(&mut self, s: &NewSeal<'_>) -> Result<Result<i64, Refusal>, StoreError> {
        let tx = self.conn_mut().transaction()?;
        if let Some(old) = s.supersedes {
            let found: Option<(i64, Option<i64>)> = tx
                .query_row(
                    "SELECT s.scenario_id, n.id FROM seals s
                     LEFT JOIN seals n ON n.supersedes = s.id WHERE s.id = ?1",
                    params![old],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match found {
                None => return Ok(Err(Refusal::NoSuchSeal(old))),
                Some((sc, _)) if sc != s.scenario_id => {
                    return Ok(Err(Refusal::OtherScenario {
                        seal: old,
                        scenario_id: sc,
                    }));
                }
                Some((_, Some(by))) => {
                    return Ok(Err(Refusal::AlreadySuperseded { seal: old, by }));
                }
                Some(_) => {}
            }
        }
        let body = &s.seal.seal;
        tx.execute(
            "INSERT INTO seals (scenario_id, version, title, model, created_at, sha256, seal, supersedes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                s.scenario_id,
                s.version,
                body.scenario_title,
                body.model,
                body.sealed_at,
                s.seal.sha256,
                s.text,
                s.supersedes
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Ok(id))
    }

    /// Every seal with its file text, oldest first; only those not superseded when
    /// `current_only`, only scenario `scenario`'s when given.
    pub fn seals(
        &mut self,
        scenario: Option<i64>,
        current_only: bool,
    ) -> Result<Vec<(LedgerEntry, String)>, StoreError> {
        let sql = format!(
            "{LEDGER_SQL} WHERE (?1 IS NULL OR s.scenario_id = ?1) AND (?2 = 0 OR n.id IS NULL)
             ORDER BY s.id"
        );
        let mut st = self.conn_mut().prepare(&sql)?;
        let rows = st.query_map(params![scenario, current_only], ledger_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Seal `id` with its file text.
    pub fn seal(&mut self, id: i64) -> Result<Option<(LedgerEntry, String)>, StoreError> {
        let sql = format!("{LEDGER_SQL} WHERE s.id = ?1");
        Ok(self
            .conn_mut()
            .query_row(&sql, params![id], ledger_row)
            .optional()?)
    }

    /// Records an outcome; returns the stored row.
    pub fn add_outcome(&mut self, o: &NewOutcome) -> Result<OutcomeRow, StoreError> {
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT INTO outcomes (scenario_id, issue, value, date, source) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![o.scenario_id, o.issue, o.value, o.date, o.source],
        )?;
        let id = tx.last_insert_rowid();
        let row = tx.query_row(
            &format!("{OUTCOME_SQL} WHERE o.id = ?1"),
            params![id],
            outcome_row,
        )?;
        tx.commit()?;
        Ok(row)
    }

    /// Recorded outcomes, newest first: of scenario `scenario` when given, else of every
    /// scenario; only those in force when `in_force_only`.
    pub fn outcomes(
        &mut self,
        scenario: Option<i64>,
        in_force_only: bool,
    ) -> Result<Vec<OutcomeRow>, StoreError> {
        let sql = format!(
            "SELECT * FROM ({OUTCOME_SQL} WHERE (?1 IS NULL OR o.scenario_id = ?1))
             WHERE (?2 = 0 OR in_force) ORDER BY id DESC"
        );
        let mut st = self.conn_mut().prepare(&sql)?;
        let rows = st.query_map(params![scenario, in_force_only], outcome_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

const OUTCOME_SQL: &str = "SELECT o.id, o.scenario_id, o.issue, o.value, o.date, o.source, \
     o.recorded_at, o.id = (SELECT MAX(p.id) FROM outcomes p \
     WHERE p.scenario_id = o.scenario_id AND p.issue = o.issue) AS in_force FROM outcomes o";

// ---------- sealing ----------

/// Body of `POST /api/scenarios/{id}/versions/{version}/seal`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealRequest {
    /// The model.
    model: String,
    /// A preset of the model.
    preset: Option<String>,
    /// Parameters (name → value), layered over the scenario's `[models.<name>]` and the
    /// preset as `pactum seal --set` does.
    #[serde(default)]
    params: BTreeMap<String, Value>,
    /// Seed of the draws (default [`DEFAULT_SEED`]); a number or decimal text.
    seed: Option<crate::api::SeedValue>,
    /// Monte Carlo draws (default [`DEFAULT_DRAWS`], 0: the inputs' modes only).
    draws: Option<u64>,
    /// An earlier seal of the same scenario that this one replaces.
    supersedes: Option<i64>,
}

fn seal_failure(e: SealError) -> ApiError {
    match e {
        SealError::Input(e) => ApiError::input(e, None),
        SealError::Model(e) => e.into(),
        other => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "model", other.to_string()),
    }
}

/// `POST /api/scenarios/{id}/versions/{version}/seal`: seals the stored version with
/// `pactum::seal::seal` (on the worker pool) and stores the seal. Answers 201 with its
/// ledger entry.
pub async fn seal_version(
    State(state): State<AppState>,
    Path((id, v)): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let number = parse_id(&v, "version")?;
    let req: SealRequest = parse_json(&body_bytes(body)?)?;
    let model = models::by_name(&req.model)?;
    let seed = match &req.seed {
        Some(s) => s.value()?,
        None => DEFAULT_SEED,
    };
    let draws = req.draws.unwrap_or(DEFAULT_DRAWS);
    if draws > MAX_DRAWS {
        return Err(ApiError::bad_request(format!(
            "`draws` {draws} is more than the {MAX_DRAWS} one seal may run"
        )));
    }
    let values = req
        .params
        .iter()
        .map(|(k, v)| Ok((k.clone(), param_text(k, v)?)))
        .collect::<Result<Vec<_>, ApiError>>()?;
    let found = with_store(&state, move |s| Ok(s.version(id, Some(number))?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no version {number} of scenario {id}")))?;
    let preset = req.preset.clone();
    let sealed = state
        .pool
        .run(move || {
            let name = format!("scenario-{id}-v{number}.toml");
            let scenario = read_stored(&found.toml, &name)?;
            let held = draws.saturating_mul(scenario.issues.len().max(1) as u64);
            if held > MAX_VALUES {
                return Err(ApiError::bad_request(format!(
                    "{draws} draws × {} issues is more than the {MAX_VALUES} forecasts one seal may hold; ask for fewer draws",
                    scenario.issues.len()
                )));
            }
            let selection = Selection {
                models: vec![model.name().to_string()],
                preset,
                values,
            };
            let request = Request {
                model: model.name().to_string(),
                params: selection.params(&scenario, model.name()),
                seed,
                draws,
                sealed_at: seal::now_utc(),
            };
            seal::seal(&scenario, &request).map_err(seal_failure)
        })
        .await?;
    let text = sealed.render();
    let supersedes = req.supersedes;
    let entry = with_store(&state, move |s| {
        let new = NewSeal {
            scenario_id: id,
            version: number,
            seal: &sealed,
            text: &text,
            supersedes,
        };
        let sid = s.add_seal(&new)?.map_err(|r| r.into_api(id))?;
        s.seal(sid)?
            .map(|(e, _)| e)
            .ok_or_else(|| StoreError(format!("seal {sid} was not stored")).into())
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!(entry))).into_response())
}

/// `GET /api/seals`: the ledger, newest first.
pub async fn ledger(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let mut list = with_store(&state, |s| Ok(s.seals(None, false)?)).await?;
    list.reverse();
    let seals: Vec<LedgerEntry> = list.into_iter().map(|(e, _)| e).collect();
    Ok(Json(json!({ "seals": seals })))
}

/// The file name a seal is downloaded as (also its name on the scoreboard).
pub fn file_name(id: i64) -> String {
    format!("seal-{id}.seal.json")
}

/// `GET /api/seals/{id}`: the seal file, byte for byte as it was hashed and stored, as a
/// download.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "seal id")?;
    let (entry, text) = with_store(&state, move |s| Ok(s.seal(id)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no seal {id}")))?;
    let headers = download_headers("application/json", &file_name(id), &entry.sha256);
    Ok((headers, text).into_response())
}

// ---------- outcomes ----------

/// An issue an outcome may be recorded for, with the scale it must lie in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnownIssue {
    /// The issue's id.
    pub id: String,
    /// The question in words (empty when only a seal knows the issue).
    pub question: String,
    /// The unit.
    pub unit: String,
    /// The scale `[lo, hi]`.
    pub scale: [f64; 2],
    /// Where the scale comes from (`version 2`, `seal 4`).
    pub from: String,
}

/// The issues of scenario `id`: those of its latest stored version, then those of its
/// current seals (a sealed scale that differs, or an issue the library no longer has, is
/// listed too, so an outcome is checked against every scale it will be graded on).
/// `None` when neither the library nor any seal knows the scenario.
async fn known_issues(state: &AppState, id: i64) -> Result<Option<Vec<KnownIssue>>, ApiError> {
    let (latest, seals) = with_store(state, move |s| {
        Ok((s.version(id, None)?, s.seals(Some(id), true)?))
    })
    .await?;
    if latest.is_none() && seals.is_empty() {
        return Ok(None);
    }
    state
        .pool
        .run(move || {
            let mut out: Vec<KnownIssue> = Vec::new();
            if let Some(v) = latest {
                let scenario: Scenario = match v.json.as_deref().map(serde_json::from_str) {
                    Some(Ok(s)) => s,
                    _ => read_stored(&v.toml, &format!("scenario-{id}-v{}.toml", v.info.version))?,
                };
                for i in &scenario.issues {
                    out.push(KnownIssue {
                        id: i.id.clone(),
                        question: i.question.clone(),
                        unit: i.scale.unit.clone(),
                        scale: [i.scale.lo, i.scale.hi],
                        from: format!("version {}", v.info.version),
                    });
                }
            }
            for (entry, text) in seals {
                let sealed = Seal::parse(&file_name(entry.id), &text)
                    .map_err(|e| ApiError::input(e, None))?;
                for i in sealed.seal.issues {
                    let same = |k: &KnownIssue| k.id == i.id && k.scale == i.scale;
                    if !out.iter().any(same) {
                        out.push(KnownIssue {
                            id: i.id,
                            question: String::new(),
                            unit: i.unit,
                            scale: i.scale,
                            from: format!("seal {}", entry.id),
                        });
                    }
                }
            }
            Ok(out)
        })
        .await
        .map(Some)
}

/// Body of `POST /api/scenarios/{id}/outcomes`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    issue: String,
    value: f64,
    date: String,
    source: String,
}

/// A 422 naming the outcome's field.
fn outcome_error(id: i64, field: &str, message: String) -> ApiError {
    let loc = Location::file(format!("outcome of scenario {id}")).with_field(field);
    ApiError::input(InputError::new(loc, message), None)
}

/// True for a `YYYY-MM-DD` date with a month from 1 to 12 and a day from 1 to 31.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) {
        return false;
    }
    if !digits(5..7) || !digits(8..10) {
        return false;
    }
    let month: u32 = s[5..7].parse().unwrap_or(0);
    let day: u32 = s[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// Checks an outcome against the scenario's issues: the issue must be known and the value
/// inside every scale it is known with.
fn check_outcome(id: i64, req: &OutcomeRequest, issues: &[KnownIssue]) -> Result<(), ApiError> {
    let issue = req.issue.trim();
    if issue.is_empty() {
        return Err(outcome_error(id, "issue", "give the issue's id".into()));
    }
    let scales: Vec<&KnownIssue> = issues.iter().filter(|k| k.id == issue).collect();
    if scales.is_empty() {
        let mut ids: Vec<&str> = issues.iter().map(|k| k.id.as_str()).collect();
        ids.dedup();
        return Err(outcome_error(
            id,
            "issue",
            format!(
                "scenario {id} has no issue `{issue}`; its issues are: {}",
                ids.join(", ")
            ),
        ));
    }
    for k in scales {
        let [lo, hi] = k.scale;
        if !(lo..=hi).contains(&req.value) {
            let unit = if k.unit.is_empty() { "" } else { " " };
            return Err(outcome_error(
                id,
                "value",
                format!(
                    "outcome {} of issue `{issue}` is outside its scale {lo}–{hi}{unit}{} ({})",
                    req.value, k.unit, k.from
                ),
            ));
        }
    }
    if !is_date(req.date.trim()) {
        return Err(outcome_error(
            id,
            "date",
            format!(
                "`{}` is not a date: expected YYYY-MM-DD, the day the outcome became known",
                req.date
            ),
        ));
    }
    if req.source.trim().is_empty() {
        return Err(outcome_error(
            id,
            "source",
            "say where the outcome comes from (a document, an article, a record)".into(),
        ));
    }
    Ok(())
}

/// `POST /api/scenarios/{id}/outcomes`: records an outcome (201 with the row). An unknown
/// issue, a value outside the issue's scale, a bad date or an empty source is a 422 that
/// names the field, the issue and the scale.
pub async fn record_outcome(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let req: OutcomeRequest = parse_json(&body_bytes(body)?)?;
    let issues = known_issues(&state, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no scenario {id} and no seal of it")))?;
    check_outcome(id, &req, &issues)?;
    let new = NewOutcome {
        scenario_id: id,
        issue: req.issue.trim().to_string(),
        value: req.value,
        date: req.date.trim().to_string(),
        source: req.source.trim().to_string(),
    };
    let row = with_store(&state, move |s| Ok(s.add_outcome(&new)?)).await?;
    Ok((StatusCode::CREATED, Json(json!(row))).into_response())
}

/// `GET /api/scenarios/{id}/outcomes`: the issues outcomes may be recorded for (with their
/// scales) and every recorded outcome, newest first, marked `in_force`.
pub async fn list_outcomes(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "scenario id")?;
    let issues = known_issues(&state, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no scenario {id} and no seal of it")))?;
    let rows = with_store(&state, move |s| Ok(s.outcomes(Some(id), false)?)).await?;
    Ok(Json(
        json!({ "scenario_id": id, "issues": issues, "outcomes": rows }),
    ))
}

// ---------- scoreboard ----------

/// The outcomes in force as the library's [`RecordedOutcome`]s, each located by its row.
fn recorded(rows: &[OutcomeRow]) -> Vec<RecordedOutcome> {
    rows.iter()
        .map(|o| RecordedOutcome {
            issue: o.issue.clone(),
            value: o.value,
            location: Location::file(format!("outcome #{} ({}, {})", o.id, o.source, o.date)),
        })
        .collect()
}

/// Grades every current seal with `pactum::seal::score`, scenario by scenario (outcomes
/// are matched by issue id within their scenario), then grades each model over all of
/// them with `pactum::seal::grades`.
pub fn scoreboard_of(
    seals: &[(LedgerEntry, String)],
    outcomes: &[OutcomeRow],
) -> Result<Scoreboard, ApiError> {
    let mut board = Scoreboard::default();
    let mut scenarios: Vec<i64> = seals.iter().map(|(e, _)| e.scenario_id).collect();
    scenarios.sort_unstable();
    scenarios.dedup();
    for sid in scenarios {
        let mut group = Vec::new();
        for (entry, text) in seals.iter().filter(|(e, _)| e.scenario_id == sid) {
            let name = file_name(entry.id);
            let s = Seal::parse(&name, text).map_err(|e| ApiError::input(e, None))?;
            if s.seal.hash() != s.sha256 {
                return Err(ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "storage",
                    format!("{name}: its hash does not match its content"),
                ));
            }
            group.push((name, s));
        }
        let rows: Vec<OutcomeRow> = outcomes
            .iter()
            .filter(|o| o.scenario_id == sid && o.in_force)
            .cloned()
            .collect();
        let b = seal::score(&group, &recorded(&rows)).map_err(seal_failure)?;
        board.issues.extend(b.issues);
        board.pending.extend(b.pending);
        board.unmatched.extend(b.unmatched);
    }
    board.models = seal::grades(&board.issues);
    Ok(board)
}

/// `GET /api/scoreboard`: every seal not superseded, graded against the outcomes in force
/// (the same numbers as `pactum score` on the same seal files and an outcomes CSV).
pub async fn scoreboard(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let (seals, outcomes) = with_store(&state, |s| {
        Ok((s.seals(None, true)?, s.outcomes(None, true)?))
    })
    .await?;
    let board = state
        .pool
        .run(move || scoreboard_of(&seals, &outcomes))
        .await?;
    Ok(Json(json!(board)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2015-04-28"));
        for bad in [
            "2015-4-28",
            "2015-13-01",
            "2015-04-00",
            "28.04.2015",
            "",
            "2015-04-2x",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
