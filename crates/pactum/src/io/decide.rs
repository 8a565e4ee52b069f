//! Decide exchange-model input files (`#A`, `#P`, `#M`, `#D` rows).
//!
//! One row per line, fields separated by tabs (or, if the first row has no tab, by `;` or
//! `,`), each value optionally quoted with single or double quotes:
//! - `#A  id  name  notes` — an actor (name and notes optional);
//! - `#P  issue-id  name  description` — an issue (name and description optional);
//! - `#M  issue-id  value  [meaning]` — a point of the issue's scale; the lowest and highest
//!   values given become the scale's `lo` and `hi` (at least two distinct values needed;
//!   an issue with no `#M` row gets the 0–100 scale Decide assumes, with a warning);
//! - `#D  actor  issue  position  salience  power  [comment]` — a stance.
//!
//! Rows starting `#/` (comments) and `#O` (descriptions) are skipped; anything else is an
//! error naming line and field.
//!
//! Choices:
//! - Decide's power is given per actor *and* issue: it becomes [`Stance::capability`]; the
//!   actor's own [`Actor::capability`] is the largest power it has on any issue (1 when it
//!   has no stance), so it is only a fallback that the exchange model never uses.
//! - Salience is 0–1 in Decide files. If any salience exceeds 1, the file is taken as coded
//!   0–100: every salience is divided by 100 and a warning says so.

use super::Loaded;
use crate::error::{Assumption, InputError, Location, Warning};
use crate::scenario::{Actor, Estimate, Issue, Scale, Scenario, Stance};
use std::collections::HashMap;

/// One `#M` row: a scale point of an issue.
struct ScalePoint {
    issue: String,
    value: f64,
    meaning: String,
    line: usize,
}

/// Reads a Decide file. Never panics; every error names file, line and field.
pub fn read(text: &str, loc: &Location) -> Result<Loaded, InputError> {
    let text = text.trim_start_matches('\u{feff}');
    let sep = separator(text);
    let mut actors: Vec<Actor> = Vec::new();
    let mut issues: Vec<Issue> = Vec::new();
    let mut points: Vec<ScalePoint> = Vec::new();
    let mut stances: Vec<Stance> = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let at = loc.at_line(k + 1);
        if line.trim().is_empty() {
            continue;
        }
        let fields = split_fields(line, sep);
        match fields[0] {
            "#A" => actors.push(actor_row(&fields, &at)?),
            "#P" => issues.push(issue_row(&fields, &at)?),
            "#M" => points.push(scale_row(&fields, &at, k + 1)?),
            "#D" => stances.push(stance_row(&fields, &at)?),
            "#/" | "#O" => {}
            other => {
                return Err(InputError::new(
                    at.with_field("row type"),
                    format!("unknown row type `{other}`"),
                )
                .hint("Decide rows start with #A (actor), #P (issue), #M (scale point) or #D (stance)"));
            }
        }
    }
    let mut loaded = Loaded::default();
    apply_scales(&mut issues, &points, loc, &mut loaded.warnings)?;
    rescale_salience(&mut stances, loc, &mut loaded.warnings);
    set_actor_capability(&mut actors, &stances);
    let title = loc
        .file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .to_string();
    loaded.scenarios.push(Scenario {
        title,
        actors,
        issues,
        stances,
        ..Scenario::default()
    });
    Ok(loaded)
}

/// The field separator: tab when the first non-empty line has one, else `;`, else `,`.
fn separator(text: &str) -> char {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.contains('\t') {
        '\t'
    } else if first.contains(';') {
        ';'
    } else {
        ','
    }
}

/// Splits a row at `sep`, outside quotes: a field that starts with `'` or `"` runs to the
/// matching quote that is followed by `sep` or the end of the line (so `'a;b'` is one field
/// and `'Côte d'Ivoire'` keeps its apostrophe). Fields come back unquoted and trimmed.
fn split_fields(line: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        let lead = rest.len() - rest.trim_start_matches([' ']).len();
        let body = &rest[lead..];
        let quote = body.chars().next().filter(|c| *c == '\'' || *c == '"');
        let end = quote
            .and_then(|q| closing_quote(body, q, sep))
            .map(|e| lead + e);
        let cut = match end {
            Some(e) => rest[e..].find(sep).map(|k| e + k),
            None => rest.find(sep),
        };
        match cut {
            Some(k) => {
                out.push(unquote(&rest[..k]));
                rest = &rest[k + sep.len_utf8()..];
            }
            None => {
                out.push(unquote(rest));
                return out;
            }
        }
    }
}

/// Byte offset just past the quote `q` that closes a field starting at `body[0]`: the first
/// later `q` followed (after spaces) by `sep` or the end.
fn closing_quote(body: &str, q: char, sep: char) -> Option<usize> {
    let mut from = q.len_utf8();
    while let Some(k) = body[from..].find(q) {
        let after = from + k + q.len_utf8();
        let next = body[after..].trim_start_matches(' ').chars().next();
        if next.is_none() || next == Some(sep) {
            return Some(after);
        }
        from = after;
    }
    None
}

fn unquote(s: &str) -> &str {
    let t = s.trim();
    for q in ['\'', '"'] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return &t[1..t.len() - 1];
        }
    }
    t
}

fn field<'a>(
    fields: &[&'a str],
    k: usize,
    name: &str,
    at: &Location,
) -> Result<&'a str, InputError> {
    match fields.get(k) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(InputError::new(
            at.with_field(name),
            format!("missing {name} (column {})", k + 1),
        )),
    }
}

fn optional<'a>(fields: &[&'a str], k: usize) -> &'a str {
    fields.get(k).copied().unwrap_or("")
}

fn number(fields: &[&str], k: usize, name: &str, at: &Location) -> Result<f64, InputError> {
    let text = field(fields, k, name, at)?;
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(InputError::new(
            at.with_field(name),
            format!("{name} `{text}` is not a finite number"),
        )),
    }
}

fn actor_row(fields: &[&str], at: &Location) -> Result<Actor, InputError> {
    let id = field(fields, 1, "actor id", at)?;
    let notes = optional(fields, 3);
    Ok(Actor {
        id: id.to_string(),
        name: optional(fields, 2).to_string(),
        capability: Estimate::point(1.0),
        group: None,
        sources: Vec::new(),
        notes: (!notes.is_empty()).then(|| notes.to_string()),
        origin: at.clone(),
    })
}

fn issue_row(fields: &[&str], at: &Location) -> Result<Issue, InputError> {
    let id = field(fields, 1, "issue id", at)?;
    let name = optional(fields, 2);
    let description = optional(fields, 3);
    let question = if !description.is_empty() && description != id {
        description
    } else if name != id {
        name
    } else {
        ""
    };
    Ok(Issue {
        id: id.to_string(),
        question: question.to_string(),
        scale: Scale {
            lo: 0.0,
            hi: 100.0,
            unit: String::new(),
            lo_label: String::new(),
            hi_label: String::new(),
        },
        reference_point: None,
        outcome: None,
        sources: Vec::new(),
        notes: None,
        attributes: Default::default(),
        origin: at.clone(),
    })
}

fn scale_row(fields: &[&str], at: &Location, line: usize) -> Result<ScalePoint, InputError> {
    Ok(ScalePoint {
        issue: field(fields, 1, "issue id", at)?.to_string(),
        value: number(fields, 2, "scale value", at)?,
        meaning: optional(fields, 3).to_string(),
        line,
    })
}

fn stance_row(fields: &[&str], at: &Location) -> Result<Stance, InputError> {
    let actor = field(fields, 1, "actor", at)?;
    let issue = field(fields, 2, "issue", at)?;
    let position = number(fields, 3, "position", at)?;
    let salience = number(fields, 4, "salience", at)?;
    let power = number(fields, 5, "power", at)?;
    if salience < 0.0 {
        return Err(InputError::new(
            at.with_field("salience"),
            format!("salience {salience} is negative"),
        ));
    }
    if power < 0.0 {
        return Err(InputError::new(
            at.with_field("power"),
            format!("power {power} is negative"),
        ));
    }
    let notes = optional(fields, 6);
    Ok(Stance {
        actor: actor.to_string(),
        issue: issue.to_string(),
        position: Estimate::point(position),
        salience: Estimate::point(salience),
        capability: Some(Estimate::point(power)),
        sources: Vec::new(),
        notes: (!notes.is_empty()).then(|| notes.to_string()),
        origin: at.clone(),
    })
}

/// Sets each issue's scale from its `#M` rows (lowest and highest value).
fn apply_scales(
    issues: &mut [Issue],
    points: &[ScalePoint],
    loc: &Location,
    warnings: &mut Vec<Warning>,
) -> Result<(), InputError> {
    let mut by_issue: HashMap<String, Vec<&ScalePoint>> =
        issues.iter().map(|i| (i.id.clone(), Vec::new())).collect();
    for p in points {
        let Some(mine) = by_issue.get_mut(p.issue.as_str()) else {
            return Err(InputError::new(
                loc.at_line(p.line).with_field("issue id"),
                format!("scale point for unknown issue `{}`", p.issue),
            )
            .hint("declare the issue with a #P row"));
        };
        mine.push(p);
    }
    for issue in issues.iter_mut() {
        let mine = by_issue.remove(issue.id.as_str()).unwrap_or_default();
        let (Some(lo), Some(hi)) = (
            mine.iter().min_by(|a, b| a.value.total_cmp(&b.value)),
            mine.iter().max_by(|a, b| a.value.total_cmp(&b.value)),
        ) else {
            warnings.push(Warning {
                location: issue.origin.clone(),
                assumption: Some(Assumption::Scale {
                    issue: issue.id.clone(),
                    lo: issue.scale.lo,
                    hi: issue.scale.hi,
                }),
                message: format!(
                    "issue `{}` has no #M rows; its scale is taken as 0-100",
                    issue.id
                ),
            });
            continue;
        };
        if lo.value >= hi.value {
            return Err(InputError::new(
                loc.at_line(hi.line).with_field("scale value"),
                format!(
                    "issue `{}` needs two different #M values (lowest and highest), got only {}",
                    issue.id, hi.value
                ),
            ));
        }
        issue.scale.lo = lo.value;
        issue.scale.hi = hi.value;
        issue.scale.lo_label = lo.meaning.clone();
        issue.scale.hi_label = hi.meaning.clone();
    }
    Ok(())
}

/// Divides every salience by 100 when any exceeds 1 (a 0–100 coding), with a warning.
fn rescale_salience(stances: &mut [Stance], loc: &Location, warnings: &mut Vec<Warning>) {
    if stances.iter().all(|s| s.salience.mode <= 1.0) {
        return;
    }
    for s in stances.iter_mut() {
        s.salience = s.salience.scaled(0.01);
    }
    warnings.push(Warning {
        location: loc.with_field("salience"),
        assumption: Some(Assumption::SalienceDivisor { divisor: 100.0 }),
        message: "some salience exceeds 1, so saliences were read as 0-100 and divided by 100"
            .to_string(),
    });
}

/// Each actor's capability: its largest per-issue power, or 1 without stances.
fn set_actor_capability(actors: &mut [Actor], stances: &[Stance]) {
    let mut max: HashMap<&str, f64> = HashMap::new();
    for s in stances {
        if let Some(c) = s.capability {
            max.entry(s.actor.as_str())
                .and_modify(|m| *m = m.max(c.mode))
                .or_insert(c.mode);
        }
    }
    for a in actors.iter_mut() {
        a.capability = Estimate::point(max.get(a.id.as_str()).copied().unwrap_or(1.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Loaded, InputError> {
        crate::io::read("t.txt", text.as_bytes(), None)
    }

    const SMALL: &str = "'#A'\t'a'\t'Actor A'\t''\n'#A'\t'b'\t'B'\t'note'\n\
        '#P'\t'x'\t'x'\t'Tariff'\n'#M'\t'x'\t0.5\n'#M'\t'x'\t7\n\
        '#D'\t'a'\t'x'\t3.0\t0.7\t0.5\n'#D'\t'b'\t'x'\t5\t0.9\t1.0\n";

    #[test]
    fn reads_a_small_file() {
        let l = load(SMALL).expect("reads");
        assert_eq!(l.format, Some(crate::io::Format::Decide));
        let s = &l.scenarios[0];
        assert_eq!(s.actors.len(), 2);
        assert_eq!(s.actors[0].name, "Actor A");
        assert_eq!(s.actors[0].capability.mode, 0.5);
        assert_eq!(s.issues[0].scale.lo, 0.5);
        assert_eq!(s.issues[0].scale.hi, 7.0);
        assert_eq!(s.issues[0].question, "Tariff");
        assert_eq!(s.stances[1].capability.map(|c| c.mode), Some(1.0));
        assert!(l.warnings.is_empty());
    }

    #[test]
    fn salience_over_one_is_read_as_percent_with_a_warning() {
        let text = SMALL
            .replace("0.7\t0.5", "70\t0.5")
            .replace("0.9\t1.0", "90\t1.0");
        let l = load(&text).expect("reads");
        assert!((l.scenarios[0].stances[0].salience.mode - 0.7).abs() < 1e-12);
        assert_eq!(l.warnings.len(), 1);
        assert_eq!(
            l.warnings[0].assumption,
            Some(Assumption::SalienceDivisor { divisor: 100.0 })
        );
    }

    #[test]
    fn errors_name_line_and_field() {
        let text = SMALL.replace("3.0\t0.7", "three\t0.7");
        let e = load(&text).expect_err("bad number");
        assert_eq!(e.location.line, Some(6));
        assert_eq!(e.location.field.as_deref(), Some("position"));
        let e = load(&SMALL.replace("'#M'\t'x'\t7", "'#M'\t'y'\t7")).expect_err("unknown");
        assert_eq!(e.location.line, Some(5));
        let e = load(&SMALL.replace("\t0.5\n'#D'\t'b'", "\n'#D'\t'b'")).expect_err("power");
        assert_eq!(e.location.field.as_deref(), Some("power"));
        let e = load(&format!("{SMALL}'#Q'\t'z'\n")).expect_err("row type");
        assert_eq!(e.location.line, Some(8));
        let e = load(&SMALL.replace("'b'\t'x'\t5", "'c'\t'x'\t5")).expect_err("actor");
        assert_eq!(e.location.line, Some(7));
    }

    #[test]
    fn quoted_fields_may_hold_the_separator_and_apostrophes() {
        assert_eq!(split_fields("'#A';'a;b';'x'", ';'), vec!["#A", "a;b", "x"]);
        assert_eq!(
            split_fields("'#A'\t'Côte d'Ivoire'\t''", '\t'),
            vec!["#A", "Côte d'Ivoire", ""]
        );
        assert_eq!(split_fields("#D\ta\tx\t3", '\t'), vec!["#D", "a", "x", "3"]);
        assert_eq!(split_fields("'open", ','), vec!["'open"]);
        let text = "'#A';'EU, Norway';''\n'#A';'b';''\n'#P';'x';'x';''\n\
            '#D';'EU, Norway';'x';10;0.5;1\n'#D';'b';'x';90;0.5;1\n";
        let l = load(text).expect("reads");
        assert_eq!(l.scenarios[0].actors[0].id, "EU, Norway");
        assert_eq!(
            l.warnings.len(),
            1,
            "no #M rows: 0-100 assumed, with a warning"
        );
        assert_eq!(
            l.warnings[0].assumption,
            Some(Assumption::Scale {
                issue: "x".into(),
                lo: 0.0,
                hi: 100.0
            })
        );
    }

    #[test]
    fn never_panics_on_fragments() {
        for cut in 0..SMALL.len() {
            if SMALL.is_char_boundary(cut) {
                let _ = load(&SMALL[..cut]);
            }
        }
        let _ = load("'#D'\n'#A'\t\n#M\tx\n");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(body in "(('?#[ADMPO/]'?)?[\t;, a-z0-9.'\"-]{0,30}\n){0,8}") {
            let _ = load(&body);
        }
    }

    #[test]
    fn reads_the_shared_cases() {
        for f in ["sample_data.txt", "copenhagen.csv"] {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/cases/decide/")
                .to_string()
                + f;
            let bytes = std::fs::read(&path).expect("shared Decide case present");
            let l = crate::io::read(f, &bytes, None).expect("reads");
            assert_eq!(l.format, Some(crate::io::Format::Decide));
            assert!(l.scenarios[0].issues.len() >= 6);
        }
    }
}
