//! Authoring a scenario in the page: every validation problem at once, in the page's words
//! and attached to the actor, issue and field it concerns, with the one-click fix the page
//! may offer (never applied here); and creating a new scenario from a draft.
//!
//! A new scenario is held as a draft in the browser until it first validates: the library
//! only ever stores versions that `pactum validate` accepts, so version 1 is created by
//! `POST /api/scenarios/new` once the draft has its actors, issues and stances.

use crate::AppState;
use crate::api::{body_bytes, check_scenario, parse_json, with_store};
use crate::error::ApiError;
use crate::store::NewVersion;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pactum::{Estimate, Problem, Scenario, Target};
use serde::Deserialize;
use serde_json::{Value, json};

/// Longest question or name quoted whole in a message, characters.
const QUOTE_MAX: usize = 60;

/// Body of `POST /api/validate`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateRequest {
    /// The scenario being edited (the `scenario` object of `GET .../versions/{v}`).
    scenario: Scenario,
}

/// `POST /api/validate`: every problem of an edited scenario, `[]` when it is valid.
pub async fn validate(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let bytes = body_bytes(body)?;
    let problems = state
        .pool
        .run(move || {
            let req: ValidateRequest = parse_json(&bytes)?;
            Ok(page_problems(&req.scenario))
        })
        .await?;
    Ok(Json(
        json!({ "valid": problems.is_empty(), "problems": problems }),
    ))
}

/// Body of `POST /api/scenarios/new`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    /// The draft: a whole, valid scenario with a title.
    scenario: Scenario,
}

/// `POST /api/scenarios/new`: stores a valid draft as version 1 of a new scenario.
pub async fn create(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = body_bytes(body)?;
    let item = state
        .pool
        .run(move || {
            let req: CreateRequest = parse_json(&bytes)?;
            if let Some(first) = page_problems(&req.scenario).into_iter().next() {
                let message = first["message"].as_str().unwrap_or("").to_string();
                return Err(
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "input", message)
                        .with_hint("POST /api/validate lists every problem"),
                );
            }
            let (checked, toml) = check_scenario(&req.scenario)?;
            Ok(NewVersion {
                title: checked.title.clone(),
                toml,
                json: serde_json::to_string(&checked).ok(),
            })
        })
        .await?;
    let created = with_store(&state, move |s| Ok(s.create_scenarios(&[item], "new")?)).await?;
    let info = created.into_iter().next().ok_or_else(|| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the new scenario was not stored",
        )
    })?;
    Ok((StatusCode::CREATED, Json(json!(info))).into_response())
}

/// Every problem of `s` as the page shows it: `{target, message, fix?}`. An empty title is
/// a problem here (a library entry needs a name) though the library's validation allows it.
pub fn page_problems(s: &Scenario) -> Vec<Value> {
    let mut out = Vec::new();
    if s.title.trim().is_empty() {
        out.push(json!({
            "target": { "field": "title" },
            "message": "The scenario needs a title: give it a short name, e.g. the negotiation it is about.",
        }));
    }
    out.extend(s.problems().iter().map(|p| page_problem(s, p)));
    out
}

/// One problem in the page's words, with the fix the page may offer.
fn page_problem(s: &Scenario, p: &Problem) -> Value {
    let t = &p.target;
    let fix = fix_for(s, t);
    let message = match &fix {
        Some(f) => fix_message(s, t, f),
        None => {
            let mut m = format!("{}: {}", who(s, t), p.error.message);
            if let Some(h) = p.error.hint.as_deref().filter(|h| page_hint(h)) {
                m.push_str(&format!(" ({h})"));
            }
            m
        }
    };
    let mut v = json!({ "target": t, "message": message });
    if let Some(f) = fix {
        v["fix"] = f;
    }
    v
}

/// Whether a library hint makes sense on the page (not advice about a file's syntax).
fn page_hint(hint: &str) -> bool {
    !(hint.contains("[[") || hint.contains("file") || hint.contains('='))
}

/// What a target names, in words: `EU on “Beef tariff”`, `Actor EU`, `Issue “Beef tariff”`.
fn who(s: &Scenario, t: &Target) -> String {
    match (&t.actor, &t.issue) {
        (Some(a), Some(i)) => format!("{} on {}", actor_label(s, a), issue_label(s, i)),
        (Some(a), None) => format!("Actor {}", actor_label(s, a)),
        (None, Some(i)) => format!("Issue {}", issue_label(s, i)),
        (None, None) => "The scenario".to_string(),
    }
}

fn quoted(text: &str) -> String {
    if text.chars().count() <= QUOTE_MAX {
        format!("“{text}”")
    } else {
        let cut: String = text.chars().take(QUOTE_MAX - 1).collect();
        format!("“{cut}…”")
    }
}

fn actor_label(s: &Scenario, id: &str) -> String {
    match s.actor(id) {
        Some(a) if !a.name.trim().is_empty() => quoted(&a.name),
        _ => quoted(id),
    }
}

fn issue_label(s: &Scenario, id: &str) -> String {
    match s.issue(id) {
        Some(i) if !i.question.trim().is_empty() => quoted(&i.question),
        _ => quoted(id),
    }
}

/// The estimate a target names (an actor's capability, a stance's position or salience).
fn estimate_of(s: &Scenario, t: &Target) -> Option<Estimate> {
    match (&t.actor, &t.issue, t.field.as_str()) {
        (Some(a), None, "capability") => s.actor(a).map(|a| a.capability),
        (Some(a), Some(i), field) => {
            let st = s.stances.iter().find(|x| &x.actor == a && &x.issue == i)?;
            match field {
                "position" => Some(st.position),
                "salience" => Some(st.salience),
                "capability" => st.capability,
                _ => None,
            }
        }
        _ => None,
    }
}

fn finite(e: &Estimate) -> bool {
    e.low.is_finite() && e.mode.is_finite() && e.high.is_finite()
}

/// The fix the page may offer for a problem: widen a value's own range to hold its most
/// likely value, or widen an issue's scale to hold a position or reference point.
fn fix_for(s: &Scenario, t: &Target) -> Option<Value> {
    if let Some(e) = estimate_of(s, t).filter(finite)
        && e.low <= e.high
        && (e.mode < e.low || e.mode > e.high)
    {
        return Some(json!({
            "kind": "widen_range", "actor": t.actor, "issue": t.issue, "field": t.field,
            "low": e.low.min(e.mode), "high": e.high.max(e.mode),
        }));
    }
    let issue = s.issue(t.issue.as_deref()?)?;
    let (lo, hi) = (issue.scale.lo, issue.scale.hi);
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return None;
    }
    let (low, high) = match t.field.as_str() {
        "position" => {
            let e = estimate_of(s, t).filter(finite)?;
            if e.low > e.mode || e.mode > e.high {
                return None;
            }
            (e.low, e.high)
        }
        "reference_point" => {
            let r = issue.reference_point.filter(|r| r.is_finite())?;
            (r, r)
        }
        _ => return None,
    };
    (low < lo || high > hi).then(|| {
        json!({
            "kind": "widen_scale", "issue": issue.id, "lo": lo.min(low), "hi": hi.max(high),
        })
    })
}

/// The message of a problem the page can fix, naming the value and what the fix does.
fn fix_message(s: &Scenario, t: &Target, fix: &Value) -> String {
    let who = who(s, t);
    let field = t.field.replace('_', " ");
    if fix["kind"] == "widen_range" {
        let e = estimate_of(s, t).unwrap_or(Estimate::point(f64::NAN));
        return format!(
            "{who}: the most likely {field}, {}, is outside its own range {}–{}; change it, or widen the range to {}–{}.",
            e.mode, e.low, e.high, fix["low"], fix["high"]
        );
    }
    let Some(issue) = t.issue.as_deref().and_then(|i| s.issue(i)) else {
        return who;
    };
    let unit = if issue.scale.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", issue.scale.unit)
    };
    let value = match estimate_of(s, t) {
        Some(e) if e.is_point() => format!("{}", e.mode),
        Some(e) => format!("{}–{}", e.low, e.high),
        None => issue
            .reference_point
            .map(|r| r.to_string())
            .unwrap_or_default(),
    };
    format!(
        "{who}: the {field} {value} is outside the issue's scale {}–{}{unit}; change it, or widen the scale to {}–{}{unit}.",
        issue.scale.lo, issue.scale.hi, fix["lo"], fix["hi"]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use pactum::io::{self, Format};

    const SMALL: &str = include_str!("../../pactum-cli/tests/fixtures/small.toml");

    fn small() -> Scenario {
        io::read("small.toml", SMALL.as_bytes(), Some(Format::Toml))
            .unwrap()
            .scenarios
            .remove(0)
    }

    #[test]
    fn a_valid_scenario_has_no_problem_and_an_empty_title_is_one() {
        let mut s = small();
        assert!(page_problems(&s).is_empty());
        s.title = "  ".into();
        let p = page_problems(&s);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0]["target"]["field"], "title");
        assert!(p[0]["message"].as_str().unwrap().contains("needs a title"));
    }

    #[test]
    fn a_salience_outside_its_own_range_offers_to_widen_the_range() {
        let mut s = small();
        s.stances[0].salience = Estimate::range(0.25, 0.95, 0.6);
        let (actor, issue) = (s.stances[0].actor.clone(), s.stances[0].issue.clone());
        let p = page_problems(&s);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0]["target"]["actor"], actor.as_str());
        assert_eq!(p[0]["target"]["issue"], issue.as_str());
        assert_eq!(p[0]["target"]["field"], "salience");
        let m = p[0]["message"].as_str().unwrap();
        assert!(m.contains("0.95") && m.contains("0.25–0.6"), "{m}");
        assert!(!m.contains("stances["), "{m}");
        assert_eq!(p[0]["fix"]["kind"], "widen_range");
        assert_eq!(p[0]["fix"]["low"], 0.25);
        assert_eq!(p[0]["fix"]["high"], 0.95);
    }

    #[test]
    fn a_position_beyond_the_scale_offers_to_widen_the_scale_and_every_problem_is_listed() {
        let mut s = small();
        let hi = s.issues[0].scale.hi;
        let issue = s.issues[0].id.clone();
        let k = s.stances.iter().position(|x| x.issue == issue).unwrap();
        s.stances[k].position = Estimate::point(hi + 10.0);
        s.stances[k].salience = Estimate::point(1.5);
        let p = page_problems(&s);
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0]["fix"]["kind"], "widen_scale");
        assert_eq!(p[0]["fix"]["hi"], hi + 10.0);
        assert_eq!(p[0]["fix"]["lo"], s.issues[0].scale.lo);
        // A salience beyond 0–1 has no fix, and no advice about the top of a file.
        assert_eq!(p[1]["target"]["field"], "salience");
        assert!(p[1].get("fix").is_none());
        let m = p[1]["message"].as_str().unwrap();
        assert!(m.contains("1.5") && !m.contains("file"), "{m}");
    }
}
