//! The schelling peer's GameSpec JSON: one question (issue) on a continuum, actors with
//! `position`, `salience` and `capability`, each `{low, mode, high}`. A *case library* — an
//! object with `cases: [...]` (or a bare array), each case a GameSpec with its continuum,
//! actors and `metadata` — gives one scenario per case, in file order.
//!
//! Choices, stated as warnings where they apply:
//! - salience is coded 0–100 in this format and is divided by 100;
//! - the format gives no numeric scale (its anchors are words), so the issue's scale is the
//!   smallest `low` and largest `high` of all positions in the file;
//! - `continuum.label` becomes the issue's question, `anchor_0`/`anchor_100` its
//!   `lo_label`/`hi_label`; `question_id` is the issue id; `evidence` entries become the
//!   actor's sources;
//! - in a library, a case's `question_id` may also sit in its `metadata` (or be its `id` or
//!   `case_id`); `metadata.title` becomes the scenario's title, `metadata.frozen_at` and
//!   `metadata.notes` fill those when the case has none, and `metadata.source`/`sources`
//!   become the scenario's sources.

use super::{LineIndex, Loaded};
use crate::error::{Assumption, InputError, Location, Warning};
use crate::scenario::{Actor, Estimate, Issue, Scale, Scenario, Stance};
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};

#[derive(Deserialize)]
struct GameSpec {
    question_id: String,
    #[serde(default)]
    frozen_at: Option<String>,
    #[serde(default)]
    continuum: Option<Continuum>,
    #[serde(default)]
    notes: Option<String>,
    actors: Vec<RawActor>,
    #[serde(flatten)]
    _rest: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct Continuum {
    #[serde(default)]
    label: String,
    #[serde(default)]
    anchor_0: String,
    #[serde(default)]
    anchor_100: String,
}

#[derive(Deserialize)]
struct RawActor {
    id: String,
    #[serde(default)]
    name: String,
    position: Triple,
    salience: Triple,
    capability: Triple,
    #[serde(default)]
    evidence: Vec<serde_json::Value>,
}

#[derive(Deserialize, Clone, Copy)]
struct Triple {
    low: f64,
    mode: f64,
    high: f64,
}

impl Triple {
    fn estimate(self, k: f64) -> Estimate {
        Estimate::range(self.low * k, self.mode * k, self.high * k)
    }
}

/// Reads a schelling GameSpec, or a case library of them (one scenario per case).
pub fn read(text: &str, loc: &Location) -> Result<Loaded, InputError> {
    if let Some(cases) = library_cases(text) {
        return read_library(text, cases, loc);
    }
    let spec: GameSpec = serde_json::from_str(text).map_err(|e| {
        InputError::new(
            Location {
                line: Some(e.line()),
                column: Some(e.column()),
                ..loc.clone()
            },
            format!("not a schelling GameSpec: {e}"),
        )
        .hint("expected {\"question_id\", \"continuum\", \"actors\": [{\"id\", \"position\", \"salience\", \"capability\"}]}, each number as {\"low\", \"mode\", \"high\"}, or a case library {\"cases\": [...]}")
    })?;
    let (scenario, warnings) = build(spec, text, 0, loc)?;
    Ok(Loaded {
        scenarios: vec![scenario],
        warnings,
        skipped: Vec::new(),
        format: None,
    })
}

/// The cases of a library: `{"cases": [...]}` or a bare array; `None` for one GameSpec or
/// text that is not JSON (then the GameSpec parser reports the problem).
fn library_cases(text: &str) -> Option<Vec<serde_json::Value>> {
    match serde_json::from_str::<serde_json::Value>(text).ok()? {
        serde_json::Value::Array(cases) => Some(cases),
        serde_json::Value::Object(mut top) => match top.remove("cases")? {
            serde_json::Value::Array(cases) => Some(cases),
            _ => None,
        },
        _ => None,
    }
}

/// One scenario per case; a case that cannot be read fails the file, naming the case.
fn read_library(
    text: &str,
    cases: Vec<serde_json::Value>,
    loc: &Location,
) -> Result<Loaded, InputError> {
    if cases.is_empty() {
        return Err(InputError::new(
            loc.with_field("cases"),
            "the case library has no cases",
        ));
    }
    let mut loaded = Loaded::default();
    let mut search_from = 0;
    for (k, case) in cases.into_iter().enumerate() {
        let (spec, meta) = library_case(case, k, loc)?;
        let quoted = format!("\"{}\"", spec.question_id);
        let case_at = text[search_from..]
            .find(&quoted)
            .map(|p| p + search_from)
            .unwrap_or(search_from);
        let (mut scenario, warnings) = build(spec, text, case_at, loc).map_err(|mut e| {
            let field = e.location.field.take().unwrap_or_default();
            e.location.field = Some(format!("cases[{k}].{field}"));
            e
        })?;
        meta.apply(&mut scenario);
        search_from = case_at;
        if loaded.warnings.is_empty() {
            // The salience note holds for every case; the scale note is per case and is
            // summed up once below.
            loaded.warnings = warnings
                .into_iter()
                .filter(|w| w.location.field.as_deref() != Some("continuum"))
                .collect();
        }
        loaded.scenarios.push(scenario);
    }
    if loaded.scenarios.len() > 1 {
        loaded.warnings.push(Warning {
            location: loc.with_field("cases"),
            assumption: None,
            message: format!(
                "a case library: {} cases, one scenario each; each case's scale is the smallest low and largest high of its own positions",
                loaded.scenarios.len()
            ),
        });
    }
    Ok(loaded)
}

/// What a library case's `metadata` adds to its scenario.
#[derive(Default)]
struct CaseMeta {
    title: Option<String>,
    sources: Vec<String>,
}

impl CaseMeta {
    fn apply(self, s: &mut Scenario) {
        if let Some(t) = self.title {
            s.title = t;
        }
        s.sources.extend(self.sources);
    }
}

/// A library case as a GameSpec, with the `metadata` fields the GameSpec lacks filled in.
fn library_case(
    case: serde_json::Value,
    k: usize,
    loc: &Location,
) -> Result<(GameSpec, CaseMeta), InputError> {
    let at = loc.with_field(format!("cases[{k}]"));
    let serde_json::Value::Object(mut obj) = case else {
        return Err(InputError::new(
            at,
            "a case must be a JSON object (a GameSpec)",
        ));
    };
    let meta = match obj.get("metadata") {
        Some(serde_json::Value::Object(m)) => m.clone(),
        _ => serde_json::Map::new(),
    };
    let text = |m: &serde_json::Map<String, serde_json::Value>, key: &str| {
        m.get(key).and_then(|v| v.as_str()).map(str::to_string)
    };
    if !obj.contains_key("question_id") {
        let id = text(&meta, "question_id")
            .or_else(|| text(&obj, "id"))
            .or_else(|| text(&obj, "case_id"))
            .or_else(|| text(&meta, "id"))
            .unwrap_or_else(|| format!("case-{}", k + 1));
        obj.insert("question_id".into(), id.into());
    }
    for key in ["frozen_at", "notes"] {
        if !obj.contains_key(key)
            && let Some(v) = text(&meta, key)
        {
            obj.insert(key.into(), v.into());
        }
    }
    let mut sources = Vec::new();
    for key in ["source", "sources"] {
        match meta.get(key) {
            Some(serde_json::Value::String(s)) => sources.push(s.clone()),
            Some(serde_json::Value::Array(list)) => sources.extend(list.iter().map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })),
            _ => {}
        }
    }
    let id = text(&obj, "question_id").unwrap_or_default();
    let spec: GameSpec = serde_json::from_value(serde_json::Value::Object(obj)).map_err(|e| {
        InputError::new(
            at.clone(),
            format!("case `{id}` is not a schelling GameSpec: {e}"),
        )
    })?;
    let meta = CaseMeta {
        title: text(&meta, "title").filter(|t| !t.trim().is_empty()),
        sources,
    };
    Ok((spec, meta))
}

/// One GameSpec as a scenario; actors are located in `text` after byte `from`.
fn build(
    spec: GameSpec,
    text: &str,
    from: usize,
    loc: &Location,
) -> Result<(Scenario, Vec<Warning>), InputError> {
    let actors_at = text
        .get(from..)
        .and_then(|t| t.find("\"actors\""))
        .map(|p| p + from)
        .unwrap_or(from);
    let lines = LineIndex::new(text);
    let mut ids = id_offsets(text, actors_at);
    let offsets: Vec<usize> = spec
        .actors
        .iter()
        .map(|a| {
            ids.get_mut(a.id.as_str())
                .and_then(VecDeque::pop_front)
                .unwrap_or(actors_at)
        })
        .collect();
    let key_loc = |key: &str| {
        let at = text
            .get(from..)
            .and_then(|t| t.find(&format!("\"{key}\"")))
            .map_or(from, |p| p + from);
        let (line, column) = lines.line_col(at);
        Location {
            line: Some(line),
            column: Some(column),
            field: Some(key.to_string()),
            ..loc.clone()
        }
    };
    let actor_loc = |k: usize, field: &str| {
        let (line, column) = lines.line_col(offsets.get(k).copied().unwrap_or(actors_at));
        Location {
            line: Some(line),
            column: Some(column),
            field: Some(field.to_string()),
            ..loc.clone()
        }
    };
    if spec.actors.is_empty() {
        return Err(InputError::new(
            key_loc("actors"),
            "the GameSpec has no actors",
        ));
    }
    for (k, a) in spec.actors.iter().enumerate() {
        for (field, t) in [
            ("position", a.position),
            ("salience", a.salience),
            ("capability", a.capability),
        ] {
            Estimate::range(t.low, t.mode, t.high)
                .check(f64::MIN, f64::MAX, field)
                .map_err(|m| InputError::new(actor_loc(k, field), m))?;
        }
        a.salience
            .estimate(1.0)
            .check(0.0, 100.0, "salience")
            .map_err(|m| {
                InputError::new(actor_loc(k, "salience"), m)
                    .hint("schelling files code salience 0-100")
            })?;
    }
    let lo = spec
        .actors
        .iter()
        .map(|a| a.position.low)
        .fold(f64::INFINITY, f64::min);
    let hi = spec
        .actors
        .iter()
        .map(|a| a.position.high)
        .fold(f64::NEG_INFINITY, f64::max);
    if lo >= hi {
        return Err(InputError::new(
            key_loc("actors").with_field("actors.position"),
            format!(
                "every position is {lo}; the issue's scale is taken from the positions' smallest low and largest high, so they must differ"
            ),
        )
        .hint("give at least one position a different value or a range"));
    }
    let file_loc = loc.at_line(1);
    let mut warnings = vec![
        Warning {
            location: file_loc.with_field("salience"),
            assumption: None,
            message: "salience is coded 0-100 in schelling files; divided by 100".into(),
        },
        Warning {
            location: file_loc.with_field("continuum"),
            assumption: Some(Assumption::Scale {
                issue: spec.question_id.trim().to_string(),
                lo,
                hi,
            }),
            message: format!(
                "the file gives no numeric scale; the issue's scale is [{lo}, {hi}], the smallest low and largest high of all positions"
            ),
        },
    ];
    let continuum = spec.continuum.unwrap_or(Continuum {
        label: String::new(),
        anchor_0: String::new(),
        anchor_100: String::new(),
    });
    let issue_id = spec.question_id.trim().to_string();
    let issue = Issue {
        id: issue_id.clone(),
        question: continuum.label,
        scale: Scale {
            lo,
            hi,
            unit: String::new(),
            lo_label: continuum.anchor_0,
            hi_label: continuum.anchor_100,
        },
        reference_point: None,
        outcome: None,
        sources: Vec::new(),
        notes: None,
        attributes: Default::default(),
        origin: key_loc("question_id"),
    };
    let mut actors = Vec::new();
    let mut stances = Vec::new();
    for (k, a) in spec.actors.into_iter().enumerate() {
        let origin = actor_loc(k, "id");
        actors.push(Actor {
            id: a.id.clone(),
            name: a.name,
            capability: a.capability.estimate(1.0),
            group: None,
            sources: a.evidence.iter().map(evidence_text).collect(),
            notes: None,
            origin: origin.clone(),
        });
        stances.push(Stance {
            actor: a.id,
            issue: issue_id.clone(),
            position: a.position.estimate(1.0),
            salience: a.salience.estimate(0.01),
            capability: None,
            sources: Vec::new(),
            notes: None,
            origin,
        });
    }
    if issue_id.is_empty() {
        warnings.push(Warning {
            location: loc.with_field("question_id"),
            assumption: None,
            message: "question_id is empty".into(),
        });
    }
    let scenario = Scenario {
        title: issue_id.clone(),
        frozen_at: spec.frozen_at,
        author: None,
        notes: spec.notes,
        sources: Vec::new(),
        actors,
        issues: vec![issue],
        stances,
        models: Default::default(),
        sides: Vec::new(),
    };
    Ok((scenario, warnings))
}

/// One evidence entry as a line of text: `source (date): note`, or its JSON.
fn evidence_text(e: &serde_json::Value) -> String {
    let field = |k: &str| e.get(k).and_then(|v| v.as_str()).unwrap_or("").trim();
    let (source, date, note) = (field("source"), field("date"), field("note"));
    if source.is_empty() && note.is_empty() {
        return e.to_string();
    }
    let mut out = source.to_string();
    if !date.is_empty() {
        out.push_str(&format!(" ({date})"));
    }
    if !note.is_empty() {
        out.push_str(&format!(": {note}"));
    }
    out
}

/// Byte offsets of every `"id": "<value>"` string value after `from`, by raw value in file
/// order: one pass, so locating n actors is linear (a search per actor was quadratic).
fn id_offsets(text: &str, from: usize) -> HashMap<&str, VecDeque<usize>> {
    let mut out: HashMap<&str, VecDeque<usize>> = HashMap::new();
    let mut at = from.min(text.len());
    while let Some(k) = text[at..].find("\"id\"") {
        at += k + "\"id\"".len();
        let rest = &text[at..];
        let after_colon = rest.trim_start().strip_prefix(':').map(str::trim_start);
        let Some(value) = after_colon.and_then(|v| v.strip_prefix('"')) else {
            continue;
        };
        let open = text.len() - value.len() - 1;
        let Some(end) = closing_quote(value) else {
            break;
        };
        out.entry(&value[..end]).or_default().push_back(open);
        at = open + 1 + end + 1;
    }
    out
}

/// Byte offset of the unescaped `"` that ends a JSON string body.
fn closing_quote(body: &str) -> Option<usize> {
    let mut escaped = false;
    for (k, c) in body.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(k),
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{
  "question_id": "Q-1",
  "continuum": {"label": "How much?", "anchor_0": "none", "anchor_100": "all"},
  "actors": [
    {"id": "a", "name": "A", "position": {"low": 10, "mode": 20, "high": 30},
     "salience": {"low": 50, "mode": 50, "high": 50}, "capability": {"low": 1, "mode": 1, "high": 1},
     "evidence": [{"source": "s", "date": "2020", "note": "n"}]},
    {"id": "b", "position": {"low": 60, "mode": 60, "high": 60},
     "salience": {"low": 100, "mode": 100, "high": 100}, "capability": {"low": 2, "mode": 2, "high": 2}}
  ]
}"#;

    #[test]
    fn reads_labels_scale_and_salience() {
        let l = read(SMALL, &Location::file("x.json")).unwrap();
        let s = &l.scenarios[0];
        s.validate().unwrap();
        let i = &s.issues[0];
        assert_eq!((i.scale.lo, i.scale.hi), (10.0, 60.0));
        assert_eq!(i.question, "How much?");
        assert_eq!(
            (i.scale.lo_label.as_str(), i.scale.hi_label.as_str()),
            ("none", "all")
        );
        assert_eq!(s.stances[0].salience.mode, 0.5);
        assert_eq!(s.stances[0].position, Estimate::range(10.0, 20.0, 30.0));
        assert_eq!(s.actors[0].sources, vec!["s (2020): n".to_string()]);
        assert!(
            l.warnings
                .iter()
                .any(|w| w.message.contains("divided by 100"))
        );
        let scale = Assumption::Scale {
            issue: i.id.clone(),
            lo: 10.0,
            hi: 60.0,
        };
        assert!(
            l.warnings
                .iter()
                .any(|w| w.assumption == Some(scale.clone())),
            "the scale taken from the positions is marked as a guess"
        );
    }

    #[test]
    fn errors_name_line_and_field() {
        let bad = SMALL.replace("\"mode\": 50", "\"mode\": 500");
        let e = read(&bad, &Location::file("x.json")).unwrap_err();
        assert_eq!(e.location.field.as_deref(), Some("salience"));
        assert_eq!(e.location.line, Some(5), "the line of the actor");
        let e = read("{\"question_id\": 3}", &Location::file("x.json")).unwrap_err();
        assert_eq!(e.location.line, Some(1));
        let e = read("{", &Location::file("x.json")).unwrap_err();
        assert!(e.location.line.is_some());
    }

    #[test]
    fn equal_positions_are_a_clear_error() {
        let same = SMALL.replace(
            "{\"low\": 10, \"mode\": 20, \"high\": 30}",
            "{\"low\": 60, \"mode\": 60, \"high\": 60}",
        );
        let e = read(&same, &Location::file("x.json")).unwrap_err();
        assert!(e.message.contains("must differ"), "{e}");
    }
}
