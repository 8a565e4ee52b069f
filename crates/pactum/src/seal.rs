//! Sealed forecasts: a forecast with its intervals, its canonical scenario, model,
//! parameters, seed, pactum version and time, under a SHA-256 that proves it was not changed
//! after the outcome became known; checked by [`verify`] and graded by [`score`].
//!
//! The hash covers the [`SealBody`], serialised canonically: compact JSON (no whitespace),
//! fields in the order they are declared below, parameter names sorted, numbers in the
//! shortest form that reads back to the same `f64`, strings escaped as JSON requires and
//! nothing else, UTF-8. The file is `{"seal": BODY, "sha256": HEX}` pretty-printed with
//! two-space indentation and a final newline; [`verify`] also checks that the file is byte
//! for byte that rendering. See `docs/seal.md`.

use crate::calibration::{self, CalibrationRef};
use crate::error::{InputError, Location, ModelError};
use crate::io;
use crate::models::{self, Model, Params};
use crate::scenario::Scenario;
use crate::snapshot::Snapshot;
use crate::uncertainty::{self, SimulationOptions};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The format tag of seals written by this version.
pub const FORMAT: &str = "pactum-seal/1";

/// The pactum version that writes and re-runs seals.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Everything the hash covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealBody {
    /// [`FORMAT`].
    pub format: String,
    /// The pactum version that made the forecast.
    pub pactum_version: String,
    /// When the seal was made (UTC, RFC 3339, as given by the caller).
    pub sealed_at: String,
    /// The scenario's title.
    pub scenario_title: String,
    /// SHA-256 (hex) of `scenario_toml`'s UTF-8 bytes.
    pub scenario_sha256: String,
    /// The model's name.
    pub model: String,
    /// The preset, if any.
    pub preset: Option<String>,
    /// Parameters set explicitly (scenario table and `--set`), by name.
    pub parameters: BTreeMap<String, String>,
    /// Seed of the Monte Carlo draws.
    pub seed: u64,
    /// Monte Carlo draws over the ranged inputs (0: the inputs' modes only).
    pub draws: u64,
    /// The calibration of the intervals.
    pub calibration: CalibrationRef,
    /// The forecast of every issue.
    pub issues: Vec<SealedIssue>,
    /// The scenario in pactum's native TOML (the canonical form the forecast was run on).
    pub scenario_toml: String,
}

/// The sealed forecast of one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedIssue {
    /// The issue's id.
    pub id: String,
    /// The issue's unit.
    pub unit: String,
    /// The scale `[lo, hi]`, in the issue's units.
    pub scale: [f64; 2],
    /// The model's forecast with every input at its mode.
    pub forecast: f64,
    /// The Monte Carlo median (equal to `forecast` without draws).
    pub median: f64,
    /// Predictive 50 % interval `[lo, hi]`.
    pub interval_50: [f64; 2],
    /// Predictive 80 % interval `[lo, hi]`.
    pub interval_80: [f64; 2],
}

/// A sealed forecast: the body and its hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seal {
    /// What is hashed.
    pub seal: SealBody,
    /// SHA-256 (lowercase hex) of the canonical serialisation of `seal`.
    pub sha256: String,
}

/// Why a seal could not be made, read or checked.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SealError {
    /// Bad input (scenario, outcomes, seal file), located.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The model failed or rejected its parameters.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The Monte Carlo run failed.
    #[error("{0}")]
    Uncertainty(String),
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

impl SealBody {
    /// The canonical serialisation that is hashed.
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The SHA-256 of [`SealBody::canonical`].
    pub fn hash(&self) -> String {
        sha256_hex(self.canonical().as_bytes())
    }
}

impl Seal {
    /// The file's text: pretty JSON and a final newline.
    pub fn render(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads a seal file's text (`name` in messages).
    pub fn parse(name: &str, text: &str) -> Result<Seal, InputError> {
        serde_json::from_str(text).map_err(|e| {
            InputError::new(
                Location::file(name).at_line(e.line()),
                format!("not a readable pactum seal: {e}"),
            )
        })
    }
}

/// What to seal.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The model's name.
    pub model: String,
    /// Its parameters (preset and explicit values).
    pub params: Params,
    /// Seed of the draws.
    pub seed: u64,
    /// Monte Carlo draws (0: modes only).
    pub draws: u64,
    /// The time to record (UTC, RFC 3339).
    pub sealed_at: String,
}

/// Seals the forecast of `scenario` under `request`. The scenario is first written in the
/// native TOML and read back, and the forecast is run on that canonical form, so that
/// [`verify`] re-runs exactly what was sealed.
pub fn seal(scenario: &Scenario, request: &Request) -> Result<Seal, SealError> {
    let toml = io::native::write(scenario);
    let body = forecast_body(&toml, request)?;
    let sha256 = body.hash();
    Ok(Seal { seal: body, sha256 })
}

/// Runs the forecast of the canonical scenario `toml` under `request`.
fn forecast_body(toml: &str, request: &Request) -> Result<SealBody, SealError> {
    let scenario = read_canonical(toml)?;
    let model = models::by_name(&request.model)?;
    let params = &request.params;
    let issues = if request.draws == 0 {
        point_issues(&scenario, model, params)?
    } else {
        drawn_issues(&scenario, model, params, request)?
    };
    let (cal, _) = calibration::for_model(model, params)?;
    Ok(SealBody {
        format: FORMAT.into(),
        pactum_version: VERSION.into(),
        sealed_at: request.sealed_at.clone(),
        scenario_title: scenario.title.clone(),
        scenario_sha256: sha256_hex(toml.as_bytes()),
        model: model.name().into(),
        preset: params.preset.clone(),
        parameters: params.values.clone().into_iter().collect(),
        seed: request.seed,
        draws: request.draws,
        calibration: cal,
        issues,
        scenario_toml: toml.to_string(),
    })
}

fn read_canonical(toml: &str) -> Result<Scenario, SealError> {
    let mut loaded = io::read("<sealed scenario>", toml.as_bytes(), Some(io::Format::Toml))?;
    if loaded.scenarios.len() != 1 {
        return Err(InputError::new(
            Location::file("<sealed scenario>"),
            "the sealed scenario must hold exactly one scenario",
        )
        .into());
    }
    Ok(loaded.scenarios.remove(0))
}

fn sealed_issue(scenario: &Scenario, id: &str, forecast: f64, median: f64) -> SealedIssue {
    let (unit, scale) = scenario
        .issue(id)
        .map(|i| (i.scale.unit.clone(), [i.scale.lo, i.scale.hi]))
        .unwrap_or_default();
    SealedIssue {
        id: id.to_string(),
        unit,
        scale,
        forecast,
        median,
        interval_50: [f64::NAN; 2],
        interval_80: [f64::NAN; 2],
    }
}

fn point_issues(
    scenario: &Scenario,
    model: &'static dyn Model,
    params: &Params,
) -> Result<Vec<SealedIssue>, SealError> {
    let snap = Snapshot::modes(scenario);
    let mut f = model.solve(&snap, params)?;
    calibration::calibrate_forecast(&mut f, &snap, model, params)?;
    Ok(f.issues
        .iter()
        .map(|i| {
            let mut s = sealed_issue(scenario, &i.id, i.forecast, i.forecast);
            s.interval_50 = calibration::annotated_interval(i, 0.5).unwrap_or(s.scale);
            s.interval_80 = calibration::annotated_interval(i, 0.8).unwrap_or(s.scale);
            s
        })
        .collect())
}

fn drawn_issues(
    scenario: &Scenario,
    model: &'static dyn Model,
    params: &Params,
    request: &Request,
) -> Result<Vec<SealedIssue>, SealError> {
    let opts = SimulationOptions {
        draws: request.draws,
        seed: request.seed,
        ..SimulationOptions::default()
    };
    let (mut sim, table) = uncertainty::simulate_with_draws(model, scenario, params, &opts, None)
        .map_err(|e| SealError::Uncertainty(e.to_string()))?;
    calibration::calibrate_simulation(&mut sim, &table, scenario, model, params)?;
    Ok(sim
        .issues
        .iter()
        .map(|d| {
            let mut s = sealed_issue(scenario, &d.id, d.at_modes.unwrap_or(d.median), d.median);
            s.interval_50 = d.interval_50.unwrap_or(s.scale);
            s.interval_80 = d.interval_80.unwrap_or(s.scale);
            s
        })
        .collect())
}

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    /// Everything that differs; empty when the seal holds.
    pub problems: Vec<String>,
    /// Remarks that are not failures (e.g. sealed by another version, same result).
    pub notes: Vec<String>,
}

impl Verification {
    /// True when the hash and the re-run forecast both match.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks a seal file's text (`name` in messages): that it is the canonical rendering of its
/// content, that the hash matches, and that re-running the forecast gives the sealed result.
pub fn verify(name: &str, text: &str) -> Verification {
    let mut v = Verification {
        problems: Vec::new(),
        notes: Vec::new(),
    };
    let seal = match Seal::parse(name, text) {
        Ok(s) => s,
        Err(e) => {
            v.problems.push(format!("edited file: {e}"));
            return v;
        }
    };
    let computed = seal.seal.hash();
    if computed != seal.sha256 {
        v.problems.push(format!(
            "edited file: the content's SHA-256 is {computed}, the seal records {}",
            seal.sha256
        ));
    }
    let canonical = seal.render();
    if canonical != text {
        let at = first_difference(&canonical, text);
        v.problems.push(format!(
            "edited file: {name} is not byte for byte the seal's canonical rendering (first difference at byte {at}, line {})",
            line_of(text, at)
        ));
    }
    let body = &seal.seal;
    if sha256_hex(body.scenario_toml.as_bytes()) != body.scenario_sha256 {
        v.problems
            .push("edited file: scenario_sha256 does not match scenario_toml".into());
    }
    let other_version = body.pactum_version != VERSION;
    if other_version {
        v.notes.push(format!(
            "sealed with pactum {}, re-run with pactum {VERSION}",
            body.pactum_version
        ));
    }
    let request = Request {
        model: body.model.clone(),
        params: Params {
            preset: body.preset.clone(),
            values: body.parameters.clone().into_iter().collect(),
        },
        seed: body.seed,
        draws: body.draws,
        sealed_at: body.sealed_at.clone(),
    };
    match forecast_body(&body.scenario_toml, &request) {
        Err(e) => v
            .problems
            .push(format!("the sealed forecast cannot be re-run: {e}")),
        Ok(now) => {
            let prefix = if other_version {
                format!(
                    "other version and other result (sealed with pactum {}, this is {VERSION})",
                    body.pactum_version
                )
            } else {
                "other result".to_string()
            };
            for d in result_differences(body, &now) {
                v.problems.push(format!("{prefix}: {d}"));
            }
        }
    }
    v
}

fn first_difference(a: &str, b: &str) -> usize {
    a.bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Every difference between the sealed forecast and a re-run, in words.
fn result_differences(sealed: &SealBody, now: &SealBody) -> Vec<String> {
    let mut out = Vec::new();
    if sealed.calibration != now.calibration {
        out.push(format!(
            "calibration differs (sealed: {} n={}, now: {} n={})",
            sealed.calibration.dataset,
            sealed.calibration.n,
            now.calibration.dataset,
            now.calibration.n
        ));
    }
    if sealed.issues.len() != now.issues.len() {
        out.push(format!(
            "{} issues sealed, {} forecast now",
            sealed.issues.len(),
            now.issues.len()
        ));
    }
    for (a, b) in sealed.issues.iter().zip(&now.issues) {
        let fields: [(&str, Vec<f64>, Vec<f64>); 4] = [
            ("forecast", vec![a.forecast], vec![b.forecast]),
            ("median", vec![a.median], vec![b.median]),
            (
                "interval_50",
                a.interval_50.to_vec(),
                b.interval_50.to_vec(),
            ),
            (
                "interval_80",
                a.interval_80.to_vec(),
                b.interval_80.to_vec(),
            ),
        ];
        if a.id != b.id {
            out.push(format!(
                "issue `{}` sealed where `{}` is forecast now",
                a.id, b.id
            ));
            continue;
        }
        for (field, x, y) in fields {
            if x.iter().zip(&y).any(|(p, q)| p.to_bits() != q.to_bits()) {
                out.push(format!("issue `{}`: {field} sealed {x:?}, now {y:?}", a.id));
            }
        }
    }
    out
}

/// An outcome to score seals against.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedOutcome {
    /// The issue's id.
    pub issue: String,
    /// The outcome, in the issue's units.
    pub value: f64,
    /// Where it was read (file:line, field `outcome`).
    pub location: Location,
}

/// Reads an outcomes CSV: a header with at least `issue` and `outcome` (other columns, e.g.
/// `date` or `source`, are ignored), then one row per issue.
pub fn read_outcomes_csv(name: &str, text: &str) -> Result<Vec<RecordedOutcome>, InputError> {
    let loc = Location::file(name);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| InputError::new(loc.at_line(1), format!("cannot read the header: {e}")))?
        .clone();
    let column = |n: &str| {
        headers.iter().position(|h| h == n).ok_or_else(|| {
            InputError::new(
                loc.at_line(1).with_field(n),
                format!("no `{n}` column; expected a header with `issue` and `outcome`"),
            )
        })
    };
    let (ci, co) = (column("issue")?, column("outcome")?);
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            InputError::new(loc.at_line(line), format!("unreadable row: {e}"))
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let issue = rec.get(ci).unwrap_or("").to_string();
        if issue.is_empty() {
            return Err(InputError::new(
                loc.at_line(line).with_field("issue"),
                "empty issue id",
            ));
        }
        let raw = rec.get(co).unwrap_or("");
        let value: f64 = raw
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| {
                InputError::new(
                    loc.at_line(line).with_field("outcome"),
                    format!("`{raw}` is not a finite number"),
                )
            })?;
        out.push(RecordedOutcome {
            issue,
            value,
            location: loc.at_line(line).with_field("outcome"),
        });
    }
    Ok(out)
}

/// One sealed issue graded against its outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredIssue {
    /// The seal file.
    pub seal: String,
    /// The seal's hash.
    pub sha256: String,
    /// The model.
    pub model: String,
    /// Its preset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// The issue.
    pub issue: String,
    /// The issue's unit.
    pub unit: String,
    /// The sealed forecast.
    pub forecast: f64,
    /// The sealed 50 % interval.
    pub interval_50: [f64; 2],
    /// The sealed 80 % interval.
    pub interval_80: [f64; 2],
    /// The outcome.
    pub outcome: f64,
    /// Where the outcome came from.
    pub outcome_source: String,
    /// Absolute error in the issue's units.
    pub abs_error: f64,
    /// Absolute error on the 0–100 scale.
    pub abs_error_100: f64,
    /// Outcome inside the 50 % interval.
    pub in_50: bool,
    /// Outcome inside the 80 % interval.
    pub in_80: bool,
    /// Interval score of the 80 % interval on the 0–100 scale.
    pub interval_score_80: f64,
}

/// A model's grades over every scored issue of its seals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelGrade {
    /// The model.
    pub model: String,
    /// Its preset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// Issues scored.
    pub n: usize,
    /// Mean absolute error on 0–100.
    pub mae: f64,
    /// Share of outcomes inside the 50 % interval.
    pub coverage_50: f64,
    /// Share inside the 80 % interval.
    pub coverage_80: f64,
    /// Mean interval score of the 80 % interval on 0–100.
    pub interval_score_80: f64,
}

/// A sealed issue whose outcome is not known yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pending {
    /// The seal file.
    pub seal: String,
    /// The model.
    pub model: String,
    /// The issue.
    pub issue: String,
}

/// The grades of a set of seals.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scoreboard {
    /// Per model (and preset), in order of first appearance.
    pub models: Vec<ModelGrade>,
    /// Per sealed issue with a known outcome.
    pub issues: Vec<ScoredIssue>,
    /// Sealed issues without an outcome yet.
    pub pending: Vec<Pending>,
    /// Outcomes given that match no sealed issue.
    pub unmatched: Vec<String>,
}

/// Grades `seals` (file name, seal) against `outcomes`; an issue without one there is graded
/// against the outcome recorded in its sealed scenario, if any, else listed as pending. An
/// outcome outside its issue's scale is refused with its location.
pub fn score(
    seals: &[(String, Seal)],
    outcomes: &[RecordedOutcome],
) -> Result<Scoreboard, SealError> {
    let mut board = Scoreboard::default();
    for (file, seal) in seals {
        let body = &seal.seal;
        let recorded = read_canonical(&body.scenario_toml).ok();
        for si in &body.issues {
            let given = outcomes.iter().find(|o| o.issue == si.id);
            let from_scenario = recorded
                .as_ref()
                .and_then(|s| s.issue(&si.id))
                .and_then(|i| i.outcome.as_ref())
                .map(|o| o.value);
            let (outcome, source, location) = match (given, from_scenario) {
                (Some(o), _) => (o.value, o.location.to_string(), o.location.clone()),
                (None, Some(v)) => (
                    v,
                    "recorded in the sealed scenario".to_string(),
                    Location::file(file.as_str()).with_field(format!("issue {} outcome", si.id)),
                ),
                (None, None) => {
                    board.pending.push(Pending {
                        seal: file.clone(),
                        model: body.model.clone(),
                        issue: si.id.clone(),
                    });
                    continue;
                }
            };
            let [lo, hi] = si.scale;
            if !(lo..=hi).contains(&outcome) {
                return Err(InputError::new(
                    location,
                    format!(
                        "outcome {outcome} of issue `{}` is outside its scale {lo}–{hi} {} (sealed in {file})",
                        si.id, si.unit
                    ),
                )
                .into());
            }
            board.issues.push(grade(file, seal, si, outcome, source));
        }
    }
    for o in outcomes {
        let known = seals
            .iter()
            .any(|(_, s)| s.seal.issues.iter().any(|i| i.id == o.issue));
        if !known {
            board
                .unmatched
                .push(format!("{}: issue `{}` is in no seal", o.location, o.issue));
        }
    }
    board.models = grades(&board.issues);
    Ok(board)
}

fn grade(file: &str, seal: &Seal, si: &SealedIssue, outcome: f64, source: String) -> ScoredIssue {
    let [lo, hi] = si.scale;
    let pc = |x: f64| (x - lo) / (hi - lo) * 100.0;
    let inside = |iv: [f64; 2]| iv[0] <= outcome && outcome <= iv[1];
    ScoredIssue {
        seal: file.to_string(),
        sha256: seal.sha256.clone(),
        model: seal.seal.model.clone(),
        preset: seal.seal.preset.clone(),
        issue: si.id.clone(),
        unit: si.unit.clone(),
        forecast: si.forecast,
        interval_50: si.interval_50,
        interval_80: si.interval_80,
        outcome,
        outcome_source: source,
        abs_error: (si.forecast - outcome).abs(),
        abs_error_100: (pc(si.forecast) - pc(outcome)).abs(),
        in_50: inside(si.interval_50),
        in_80: inside(si.interval_80),
        interval_score_80: calibration::interval_score(
            pc(si.interval_80[0]),
            pc(si.interval_80[1]),
            pc(outcome),
            0.8,
        ),
    }
}

/// Each model's (and preset's) grades over `issues`, in order of first appearance (what
/// [`score`] puts in [`Scoreboard::models`]; public so that boards scored in parts can be
/// graded as a whole).
pub fn grades(issues: &[ScoredIssue]) -> Vec<ModelGrade> {
    let mut keys: Vec<(String, Option<String>)> = Vec::new();
    for i in issues {
        let k = (i.model.clone(), i.preset.clone());
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .map(|(model, preset)| {
            let rows: Vec<&ScoredIssue> = issues
                .iter()
                .filter(|i| i.model == model && i.preset == preset)
                .collect();
            let n = rows.len() as f64;
            let mean = |f: &dyn Fn(&ScoredIssue) -> f64| rows.iter().map(|r| f(r)).sum::<f64>() / n;
            ModelGrade {
                n: rows.len(),
                mae: mean(&|r| r.abs_error_100),
                coverage_50: mean(&|r| f64::from(u8::from(r.in_50))),
                coverage_80: mean(&|r| f64::from(u8::from(r.in_80))),
                interval_score_80: mean(&|r| r.interval_score_80),
                model,
                preset,
            }
        })
        .collect()
}

/// The current time as RFC 3339 UTC (seconds), from the system clock.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

/// Seconds since 1970-01-01T00:00:00Z as RFC 3339 UTC.
pub fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_of_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_764_633_600 + 3_723), "2025-12-02T01:02:03Z");
    }

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn outcomes_csv_errors_are_located() {
        let e = read_outcomes_csv("o.csv", "issue,outcome\na,1\nb,x\n").unwrap_err();
        assert_eq!(e.location.line, Some(3));
        assert_eq!(e.location.field.as_deref(), Some("outcome"));
        let e = read_outcomes_csv("o.csv", "issue,value\na,1\n").unwrap_err();
        assert!(e.message.contains("`outcome`"), "{}", e.message);
        let ok = read_outcomes_csv("o.csv", "issue,outcome,date\na, 2.5 ,2020\n").unwrap();
        assert_eq!((ok[0].issue.as_str(), ok[0].value), ("a", 2.5));
    }
}
