//! Plain BDM tables: one row per actor with its capability, position and salience on one
//! issue, comma-, semicolon- or tab-separated, with a header line.
//!
//! Header words (case-insensitive; a column matches when its name starts with the word):
//! - actor: `actor`, `actor_id`, `id`, `name`, `player`, `stakeholder`; an extra
//!   `description`/`label`/`name` column becomes the display name;
//! - capability: `capability`, `power`, `influence`, `resources` or `clout`;
//! - position: `position`, optionally with a unit (`position_years`) or a numeric scale
//!   (`position_0_100`);
//! - salience: `salience`, optionally with its scale (`salience_0_1`, `salience_0_100`).
//!
//! Choices, each stated in a warning:
//! - the salience scale comes from the header (`_0_1`, `_0_100`, `%`) or, failing that, from
//!   the values (any value above 1 means 0–100); 0–100 is divided by 100;
//! - the file holds one issue. Its scale is the header's numeric range when it gives one
//!   (`position_0_100` → [0, 100]); otherwise the smallest and largest position in the file
//!   (the header's word, e.g. `years`, becomes the unit). The issue id is the file's name.
//! - in a semicolon-separated file a decimal comma (`0,8`) is read as a decimal point.

use super::{Loaded, delimited, slug};
use crate::error::{Assumption, InputError, Location, Warning};
use crate::scenario::{Actor, Estimate, Issue, Scale, Scenario, Stance};

/// Words that name the capability column.
const CAPABILITY_WORDS: [&str; 5] = ["capabilit", "power", "influence", "resources", "clout"];

#[derive(Debug, Default)]
struct Columns {
    actor: Option<usize>,
    label: Option<usize>,
    capability: Option<usize>,
    position: Option<usize>,
    salience: Option<usize>,
}

/// The header's delimiter, outside quotes (see [`delimited::sniff`]).
fn delimiter(header: &str) -> u8 {
    delimited::sniff(header) as u8
}

fn columns(names: &[String], loc: &Location) -> Result<Columns, InputError> {
    let mut c = Columns::default();
    for (k, n) in names.iter().enumerate() {
        let n = n.as_str();
        let set = |slot: &mut Option<usize>| {
            if slot.is_none() {
                *slot = Some(k);
            }
        };
        if n.starts_with("position") {
            set(&mut c.position);
        } else if n.starts_with("salience") {
            set(&mut c.salience);
        } else if CAPABILITY_WORDS.iter().any(|w| n.starts_with(w)) {
            set(&mut c.capability);
        } else if c.actor.is_none()
            && (n.starts_with("actor") || ["id", "name", "player", "stakeholder"].contains(&n))
        {
            c.actor = Some(k);
        } else if ["description", "label", "name", "full_name"].contains(&n) {
            set(&mut c.label);
        }
    }
    let at = loc.at_line(1);
    let missing = |what: &str, hint: &str| {
        InputError::new(
            at.with_field(what),
            format!("the header has no {what} column"),
        )
        .hint(hint.to_string())
    };
    if c.actor.is_none() {
        return Err(missing("actor", "name the actor column `actor`"));
    }
    if c.capability.is_none() {
        return Err(missing(
            "capability",
            "name it capability, power, influence, resources or clout",
        ));
    }
    if c.position.is_none() {
        return Err(missing(
            "position",
            "name it position (e.g. position_years)",
        ));
    }
    if c.salience.is_none() {
        return Err(missing("salience", "name it salience (e.g. salience_0_1)"));
    }
    Ok(c)
}

/// The text after `word` in a header, e.g. `years` in `position_years`.
fn suffix<'a>(header: &'a str, word: &str) -> &'a str {
    header
        .get(word.len()..)
        .unwrap_or("")
        .trim_matches(|c: char| {
            c == '_' || c == '-' || c == ' ' || c == '(' || c == ')' || c == '[' || c == ']'
        })
}

/// A numeric range such as `0_100`, `0-10` or `1 to 7`.
fn numeric_range(s: &str) -> Option<(f64, f64)> {
    let parts: Vec<&str> = s
        .split(['_', '-', ' '])
        .filter(|p| !p.is_empty() && *p != "to")
        .collect();
    match parts.as_slice() {
        [a, b] => {
            let (a, b) = (a.parse::<f64>().ok()?, b.parse::<f64>().ok()?);
            (a.is_finite() && b.is_finite() && a < b).then_some((a, b))
        }
        _ => None,
    }
}

struct Row {
    line: usize,
    id: String,
    name: String,
    capability: f64,
    position: f64,
    salience: f64,
}

fn cell(rec: &csv::StringRecord, k: usize) -> &str {
    rec.get(k).unwrap_or("").trim()
}

fn number(raw: &str, decimal_comma: bool, at: &Location, field: &str) -> Result<f64, InputError> {
    let text = if decimal_comma && raw.contains(',') && !raw.contains('.') {
        raw.replace(',', ".")
    } else {
        raw.to_string()
    };
    let x: f64 = text
        .parse()
        .map_err(|_| InputError::new(at.with_field(field), format!("`{raw}` is not a number")))?;
    if !x.is_finite() {
        return Err(InputError::new(
            at.with_field(field),
            format!("`{raw}` is not a finite number"),
        ));
    }
    Ok(x)
}

/// Reads a plain BDM table.
pub fn read(text: &str, loc: &Location) -> Result<Loaded, InputError> {
    let body = text.trim_start_matches('\u{feff}');
    let first = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delim = delimiter(first);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(body.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(csv_error(e, loc)),
        None => return Err(InputError::new(loc.clone(), "the file is empty")),
    };
    let header_line = header.position().map(|p| p.line() as usize).unwrap_or(1);
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let cols = columns(&names, &loc.at_line(header_line))?;
    let field = |k: Option<usize>| {
        k.and_then(|k| header.get(k))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let decimal_comma = delim == b';';
    let mut rows = Vec::new();
    for rec in records {
        let rec = rec.map_err(|e| csv_error(e, loc))?;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        let at = loc.at_line(line);
        if rec.len() != names.len() {
            return Err(InputError::new(
                at,
                format!(
                    "this row has {} field(s); the header has {}",
                    rec.len(),
                    names.len()
                ),
            ));
        }
        let get = |k: Option<usize>, name: &str| -> Result<f64, InputError> {
            let k = k.unwrap_or(usize::MAX);
            number(
                cell(&rec, k),
                decimal_comma,
                &at,
                &field(Some(k)).if_empty(name),
            )
        };
        let label = cell(&rec, cols.actor.unwrap_or(usize::MAX)).to_string();
        let id = slug(&label);
        if id.is_empty() {
            return Err(InputError::new(
                at.with_field(field(cols.actor)),
                "the actor is blank",
            ));
        }
        let name = cols
            .label
            .map(|k| cell(&rec, k).to_string())
            .filter(|n| !n.is_empty())
            .unwrap_or(label);
        rows.push(Row {
            line,
            id,
            name,
            capability: get(cols.capability, "capability")?,
            position: get(cols.position, "position")?,
            salience: get(cols.salience, "salience")?,
        });
    }
    if rows.is_empty() {
        return Err(InputError::new(
            loc.at_line(header_line + 1),
            "the table has no actor rows",
        ));
    }
    build(rows, &names, &cols, loc)
}

trait IfEmpty {
    fn if_empty(self, other: &str) -> String;
}

impl IfEmpty for String {
    fn if_empty(self, other: &str) -> String {
        if self.is_empty() {
            other.to_string()
        } else {
            self
        }
    }
}

fn csv_error(e: csv::Error, loc: &Location) -> InputError {
    let line = e.position().map(|p| p.line() as usize);
    InputError::new(
        Location {
            line,
            ..loc.clone()
        },
        format!("cannot read the table: {e}"),
    )
}

/// The divisor of the saliences (1 or 100), why, and whether it was guessed from the
/// values (the header said nothing).
fn salience_scale(header: &str, rows: &[Row]) -> (f64, String, bool) {
    let s = suffix(header, "salience");
    match numeric_range(s) {
        Some((_, 100.0)) => return (100.0, format!("header `{header}` says 0-100"), false),
        Some((_, 1.0)) => return (1.0, format!("header `{header}` says 0-1"), false),
        _ => {}
    }
    if s.contains('%') || s.contains("pct") || s.contains("percent") {
        return (100.0, format!("header `{header}` says percent"), false);
    }
    let max = rows.iter().map(|r| r.salience).fold(f64::MIN, f64::max);
    if max > 1.0 {
        (100.0, format!("a value above 1 ({max}) means 0-100"), true)
    } else {
        (1.0, "all values lie in 0-1".to_string(), true)
    }
}

fn build(
    rows: Vec<Row>,
    names: &[String],
    cols: &Columns,
    loc: &Location,
) -> Result<Loaded, InputError> {
    let mut warnings = Vec::new();
    let sal_header = cols
        .salience
        .map(|k| names[k].as_str())
        .unwrap_or("salience");
    let (divisor, why, guessed) = salience_scale(sal_header, &rows);
    warnings.push(Warning {
        location: loc.at_line(1).with_field(sal_header),
        assumption: guessed.then_some(Assumption::SalienceDivisor { divisor }),
        message: if divisor == 100.0 {
            format!("salience read as 0-100 ({why}); divided by 100")
        } else {
            format!("salience read as 0-1 ({why})")
        },
    });
    let pos_header = cols
        .position
        .map(|k| names[k].as_str())
        .unwrap_or("position");
    let unit_text = suffix(pos_header, "position");
    let (lo, hi, unit, how, guessed) = match numeric_range(unit_text) {
        Some((a, b)) => (
            a,
            b,
            unit_text.replace('_', "-"),
            format!("from the header `{pos_header}`"),
            false,
        ),
        None => {
            let lo = rows
                .iter()
                .map(|r| r.position)
                .fold(f64::INFINITY, f64::min);
            let hi = rows
                .iter()
                .map(|r| r.position)
                .fold(f64::NEG_INFINITY, f64::max);
            if lo >= hi {
                return Err(InputError::new(
                    loc.at_line(rows[0].line).with_field(pos_header),
                    format!(
                        "every position is {lo}; without a scale in the header (e.g. `position_0_100`) the issue's scale is the positions' min and max, so they must differ"
                    ),
                ));
            }
            (
                lo,
                hi,
                unit_text.to_string(),
                "the smallest and largest position in the file (the header gives no numeric scale)"
                    .into(),
                true,
            )
        }
    };
    let stem = std::path::Path::new(&loc.file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let issue_id = match slug(stem) {
        s if s.is_empty() => "issue".to_string(),
        s => s,
    };
    warnings.push(Warning {
        location: loc.at_line(1).with_field(pos_header),
        assumption: guessed.then(|| Assumption::Scale {
            issue: issue_id.clone(),
            lo,
            hi,
        }),
        message: format!("one issue; its scale [{lo}, {hi}] is {how}"),
    });
    let issue = Issue {
        id: issue_id.clone(),
        question: String::new(),
        scale: Scale {
            lo,
            hi,
            unit,
            lo_label: String::new(),
            hi_label: String::new(),
        },
        reference_point: None,
        outcome: None,
        sources: Vec::new(),
        notes: None,
        attributes: Default::default(),
        origin: loc.at_line(1),
    };
    let mut actors = Vec::new();
    let mut stances = Vec::new();
    for r in rows {
        let at = loc.at_line(r.line);
        actors.push(Actor {
            id: r.id.clone(),
            name: r.name,
            capability: Estimate::point(r.capability),
            group: None,
            sources: Vec::new(),
            notes: None,
            origin: at.clone(),
        });
        stances.push(Stance {
            actor: r.id,
            issue: issue_id.clone(),
            position: Estimate::point(r.position),
            salience: Estimate::point(r.salience / divisor),
            capability: None,
            sources: Vec::new(),
            notes: None,
            origin: at,
        });
    }
    Ok(Loaded {
        scenarios: vec![Scenario {
            title: stem.to_string(),
            actors,
            issues: vec![issue],
            stances,
            ..Scenario::default()
        }],
        warnings,
        skipped: Vec::new(),
        format: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Loaded, InputError> {
        read(text, &Location::file("cases/my-case.csv"))
    }

    #[test]
    fn emission_style_header() {
        let l = load("actor,capability,position_years,salience_0_1\nA,0.1,4,0.8\nB,0.2,10,0.5\n")
            .unwrap();
        let s = &l.scenarios[0];
        s.validate().unwrap();
        assert_eq!(s.issues[0].id, "my-case");
        assert_eq!(s.issues[0].scale.unit, "years");
        assert_eq!((s.issues[0].scale.lo, s.issues[0].scale.hi), (4.0, 10.0));
        assert_eq!(s.stances[0].salience.mode, 0.8);
        assert!(l.warnings.iter().any(|w| w.message.contains("0-1")));
    }

    #[test]
    fn semicolons_decimal_commas_and_0_100() {
        let l = load("Actor;Power;Position_0_100;Salience\nA;1,5;30;80\nB;2;60;40\n").unwrap();
        let s = &l.scenarios[0];
        s.validate().unwrap();
        assert_eq!(s.actors[0].capability.mode, 1.5);
        assert_eq!((s.issues[0].scale.lo, s.issues[0].scale.hi), (0.0, 100.0));
        assert_eq!(s.stances[0].salience.mode, 0.8);
        assert!(l.warnings.iter().any(|w| w.message.contains("above 1")));
    }

    /// The guesses a front end can offer to correct: a scale from the data and a salience
    /// coding from the values; what the header states is no guess.
    #[test]
    fn guesses_are_marked_as_assumptions() {
        let assumed = |text: &str| -> Vec<Assumption> {
            load(text)
                .unwrap()
                .warnings
                .into_iter()
                .filter_map(|w| w.assumption)
                .collect()
        };
        let scale = Assumption::Scale {
            issue: "my-case".into(),
            lo: 4.0,
            hi: 10.0,
        };
        assert_eq!(
            assumed("actor,capability,position,salience\nA,1,4,80\nB,1,10,50\n"),
            vec![
                Assumption::SalienceDivisor { divisor: 100.0 },
                scale.clone()
            ]
        );
        assert_eq!(
            assumed("actor,capability,position,salience\nA,1,4,0.8\nB,1,10,0.5\n"),
            vec![Assumption::SalienceDivisor { divisor: 1.0 }, scale]
        );
        assert_eq!(
            assumed("actor,capability,position_0_100,salience_0_1\nA,1,4,0.8\nB,1,10,0.5\n"),
            vec![]
        );
    }

    #[test]
    fn tabs_and_description_column() {
        let l = load("actor_id\tdescription\tclout\tposition\tsalience_0_100\nXJ\tXi\t100\t30\t30\nLK\tLi\t65\t45\t65\n").unwrap();
        let s = &l.scenarios[0];
        assert_eq!(s.actors[0].id, "xj");
        assert_eq!(s.actors[0].name, "Xi");
        assert_eq!(s.stances[1].salience.mode, 0.65);
    }

    #[test]
    fn errors_name_line_and_column() {
        let e =
            load("actor,capability,position,salience\nA,0.1,4,0.8\nB,lots,10,0.5\n").unwrap_err();
        assert_eq!(e.location.line, Some(3));
        assert_eq!(e.location.field.as_deref(), Some("capability"));
        let e = load("actor,position,salience\nA,4,0.8\n").unwrap_err();
        assert_eq!(e.location.field.as_deref(), Some("capability"));
        let e = load("actor,capability,position,salience\nA,1,4,0.8\nB,1,4,0.5\n").unwrap_err();
        assert!(e.message.contains("must differ"));
        let e = load("actor,capability,position,salience\n").unwrap_err();
        assert!(e.message.contains("no actor rows"));
        let e = load("actor,capability,position,salience\nA,1,4\n").unwrap_err();
        assert_eq!(e.location.line, Some(2));
        assert!(
            e.message.contains("3 field(s); the header has 4"),
            "{}",
            e.message
        );
    }
}
