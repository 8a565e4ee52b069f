//! pactum's native TOML format: read with file:line:column errors, and written back.
//!
//! The format is documented in `docs/scenario-format.md`. Unknown keys are errors.

use super::{LineIndex, Loaded};
use crate::error::{InputError, Location, Warning};
use crate::scenario::{Actor, Issue, Scenario, Side, Stance};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    #[serde(default)]
    title: String,
    frozen_at: Option<String>,
    author: Option<String>,
    notes: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    /// The scale saliences are written on: 1 (default) or 100.
    salience_scale: Option<Spanned<f64>>,
    #[serde(default)]
    actors: Vec<Spanned<Actor>>,
    #[serde(default)]
    issues: Vec<Spanned<Issue>>,
    #[serde(default)]
    stances: Vec<Spanned<Stance>>,
    #[serde(default)]
    models: BTreeMap<String, BTreeMap<String, toml::Value>>,
    #[serde(default)]
    sides: Vec<Spanned<Side>>,
}

fn located(lines: &LineIndex, loc: &Location, span: std::ops::Range<usize>) -> Location {
    let (line, col) = lines.line_col(span.start);
    Location {
        line: Some(line),
        column: Some(col),
        ..loc.clone()
    }
}

/// Reads a native TOML scenario. Validation is left to the caller ([`super::read`]).
pub fn read(text: &str, loc: &Location) -> Result<Loaded, InputError> {
    let lines = LineIndex::new(text);
    let raw: RawScenario = toml::from_str(text).map_err(|e| toml_error(&lines, loc, &e))?;
    let mut warnings = Vec::new();
    let salience_scale = match &raw.salience_scale {
        None => 1.0,
        Some(s) if *s.get_ref() == 1.0 || *s.get_ref() == 100.0 => *s.get_ref(),
        Some(s) => {
            return Err(InputError::new(
                located(&lines, loc, s.span()).with_field("salience_scale"),
                format!("salience_scale is {}; expected 1 or 100", s.get_ref()),
            ));
        }
    };
    if salience_scale == 100.0 {
        warnings.push(Warning {
            location: loc.with_field("salience_scale"),
            assumption: None,
            message: "saliences are read on a 0-100 scale and divided by 100".into(),
        });
    }
    let actors = raw
        .actors
        .into_iter()
        .enumerate()
        .map(|(k, s)| {
            let origin = located(&lines, loc, s.span()).with_field(format!("actors[{k}]"));
            let mut a = s.into_inner();
            a.origin = origin;
            a
        })
        .collect();
    let issues = raw
        .issues
        .into_iter()
        .enumerate()
        .map(|(k, s)| {
            let origin = located(&lines, loc, s.span()).with_field(format!("issues[{k}]"));
            let mut i = s.into_inner();
            i.origin = origin;
            i
        })
        .collect();
    let stances = raw
        .stances
        .into_iter()
        .enumerate()
        .map(|(k, s)| {
            let origin = located(&lines, loc, s.span()).with_field(format!("stances[{k}]"));
            let mut st = s.into_inner();
            st.origin = origin;
            if salience_scale != 1.0 {
                st.salience = st.salience.scaled(1.0 / salience_scale);
            }
            st
        })
        .collect();
    let scenario = Scenario {
        title: raw.title,
        frozen_at: raw.frozen_at,
        author: raw.author,
        notes: raw.notes,
        sources: raw.sources,
        actors,
        issues,
        stances,
        models: raw.models,
        sides: located_sides(&lines, loc, raw.sides),
    };
    Ok(Loaded {
        scenarios: vec![scenario],
        warnings,
        ..Loaded::default()
    })
}

/// The sides with their origins (two-level scenarios, `docs/models/twolevel.md`).
fn located_sides(lines: &LineIndex, loc: &Location, sides: Vec<Spanned<Side>>) -> Vec<Side> {
    sides
        .into_iter()
        .enumerate()
        .map(|(k, s)| {
            let origin = located(lines, loc, s.span()).with_field(format!("sides[{k}]"));
            let mut side = s.into_inner();
            side.origin = origin;
            side
        })
        .collect()
}

/// Points a validation error at the exact line of its key: the error names the line where
/// the actor, issue or stance table starts and the field; the key's own line is the first
/// line of that table that assigns the field.
pub fn refine(text: &str, err: &mut InputError) {
    let (Some(start), Some(field)) = (err.location.line, err.location.field.as_deref()) else {
        return;
    };
    let key = field.split('.').next().unwrap_or(field);
    for (k, line) in text.lines().enumerate().skip(start) {
        let t = line.trim_start();
        if t.starts_with('[') {
            break;
        }
        let Some(rest) = t.strip_prefix(key) else {
            continue;
        };
        if rest.trim_start().starts_with('=') {
            err.location.line = Some(k + 1);
            err.location.column = Some(line.len() - t.len() + 1);
            return;
        }
    }
}

fn toml_error(lines: &LineIndex, loc: &Location, e: &toml::de::Error) -> InputError {
    let mut at = loc.clone();
    if let Some(span) = e.span() {
        let (line, col) = lines.line_col(span.start);
        at.line = Some(line);
        at.column = Some(col);
        at.field = key_at(lines.text, span.start);
    }
    let message = e.message().trim().to_string();
    let mut err = InputError::new(at, message.clone());
    if message.contains("unknown field") {
        err = err.hint("see docs/scenario-format.md for the keys each table accepts");
    } else if message.contains("missing field") {
        err = err.hint("every actor needs id and capability; every issue id and scale; every stance actor, issue, position and salience");
    }
    err
}

/// The key assigned on the line holding byte offset `pos` (`key = value`), if that line is
/// an assignment: the field a parse error in the value concerns.
fn key_at(text: &str, pos: usize) -> Option<String> {
    let start = text.get(..pos)?.rfind('\n').map_or(0, |k| k + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches(['"', '\'']);
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain.then(|| key.to_string())
}

/// Writes a scenario as native TOML (saliences 0–1). Reading the result gives back an equal
/// scenario (origins aside).
pub fn write(scenario: &Scenario) -> String {
    let mut out = String::new();
    let mut top = toml::Table::new();
    top.insert("title".into(), scenario.title.clone().into());
    if let Some(v) = &scenario.frozen_at {
        top.insert("frozen_at".into(), v.clone().into());
    }
    if let Some(v) = &scenario.author {
        top.insert("author".into(), v.clone().into());
    }
    if let Some(v) = &scenario.notes {
        top.insert("notes".into(), v.clone().into());
    }
    if !scenario.sources.is_empty() {
        top.insert("sources".into(), string_array(&scenario.sources));
    }
    out.push_str(&toml::to_string(&top).unwrap_or_default());
    for (name, values) in &scenario.models {
        out.push_str(&format!("\n[models.{}]\n", quoted_key(name)));
        let t: toml::Table = values.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        out.push_str(&toml::to_string(&t).unwrap_or_default());
    }
    for a in &scenario.actors {
        out.push_str("\n[[actors]]\n");
        out.push_str(&table_body(a));
    }
    for i in &scenario.issues {
        out.push_str("\n[[issues]]\n");
        out.push_str(&table_body(i));
    }
    for s in &scenario.stances {
        out.push_str("\n[[stances]]\n");
        out.push_str(&table_body(s));
    }
    for s in &scenario.sides {
        out.push_str("\n[[sides]]\n");
        out.push_str(&table_body(s));
    }
    out
}

fn string_array(v: &[String]) -> toml::Value {
    toml::Value::Array(v.iter().map(|s| toml::Value::String(s.clone())).collect())
}

fn quoted_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        k.to_string()
    } else {
        toml::Value::String(k.to_string()).to_string()
    }
}

/// Serialises one table's body with nested tables inline, so that `[[actors]]` stays flat
/// and diff-friendly.
fn table_body<T: serde::Serialize>(value: &T) -> String {
    let Ok(toml::Value::Table(t)) = toml::Value::try_from(value) else {
        return String::new();
    };
    let mut out = String::new();
    for (k, v) in t {
        out.push_str(&quoted_key(&k));
        out.push_str(" = ");
        out.push_str(&inline(&v));
        out.push('\n');
    }
    out
}

fn inline(v: &toml::Value) -> String {
    match v {
        toml::Value::Table(t) => {
            let parts: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{} = {}", quoted_key(k), inline(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
        toml::Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(inline).collect();
            format!("[{}]", parts.join(", "))
        }
        toml::Value::Float(f) => format_float(*f),
        other => other.to_string(),
    }
}

/// Floats that are whole print as `4.0`, others with the shortest round-trip digits.
fn format_float(f: f64) -> String {
    toml::Value::Float(f).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
title = "t"
[[actors]]
id = "a"
capability = 1
[[actors]]
id = "b"
capability = { low = 1, mode = 2, high = 3 }
[[issues]]
id = "x"
scale = { lo = 0, hi = 10, unit = "years" }
[[stances]]
actor = "a"
issue = "x"
position = 2
salience = 0.5
[[stances]]
actor = "b"
issue = "x"
position = 8
salience = { low = 0.2, high = 0.6 }
"#;

    #[test]
    fn reads_points_and_ranges() {
        let l = read(SMALL, &Location::file("t.toml")).unwrap();
        let s = &l.scenarios[0];
        assert_eq!(s.actors[1].capability.mode, 2.0);
        assert!((s.stances[1].salience.mode - 0.4).abs() < 1e-12);
        assert_eq!(s.stances[0].origin.line, Some(12)); // the `[[stances]]` header
    }

    #[test]
    fn round_trips_through_write() {
        let a = read(SMALL, &Location::file("t.toml"))
            .unwrap()
            .scenarios
            .remove(0);
        let text = write(&a);
        let b = read(&text, &Location::file("u.toml"))
            .unwrap()
            .scenarios
            .remove(0);
        assert_eq!(write(&b), text);
        assert_eq!(a.stances[1].salience, b.stances[1].salience);
    }

    #[test]
    fn unknown_key_names_line_and_column() {
        let bad = SMALL.replace("position = 2", "positon = 2");
        let e = read(&bad, &Location::file("t.toml")).err().unwrap();
        assert_eq!(e.location.line, Some(15));
        assert!(e.message.contains("positon"), "{}", e.message);
    }
}
