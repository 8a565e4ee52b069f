//! KTAB's SMP CSV files (KAPSARC Toolkit for Behavioral Analysis, MIT).
//!
//! Layout, comma-separated (or semicolon- or tab-separated, as found from the header line;
//! then a decimal comma `0,5` is read too), fields may be quoted and padded with spaces,
//! lines may end in a trailing delimiter:
//!
//! ```text
//! scenario name, description, nActors, nDims,
//! Actor, Description, Influence, <dim 1> Position, <dim 1> Salience, ..., <dim n> Salience,
//! <actor id>, <description>, <capability>, <position 0-100>, <salience 0-100>, ...
//! ```
//!
//! The third header may read `Influence` or `Power`. Each dimension becomes one issue on a
//! 0–100 scale; its question is the position column's header (e.g. `Policy Position`, or
//! `Pstn1` in KTAB's dummy data) and its id that header in lower case without a trailing
//! `position`. Saliences are divided by 100 (with a warning). The actor and dimension counts
//! of line 1 are checked against the header and the rows.

use super::{Loaded, delimited, slug};
use crate::error::{InputError, Location, Warning};
use crate::scenario::{Actor, Estimate, Issue, Scale, Scenario, Stance};
use std::collections::HashSet;

/// Splits one line on `delim` outside double quotes; trims spaces and quotes. Trailing
/// empty fields (from a trailing delimiter) are dropped.
fn fields(line: &str, delim: char) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start_col = 1;
    let mut in_quotes = false;
    for (col, c) in line.chars().enumerate() {
        match c {
            '"' => in_quotes = !in_quotes,
            c if c == delim && !in_quotes => {
                out.push((cur.trim().to_string(), start_col + leading_spaces(&cur)));
                cur.clear();
                start_col = col + 2;
            }
            _ => cur.push(c),
        }
    }
    out.push((cur.trim().to_string(), start_col + leading_spaces(&cur)));
    while out.last().is_some_and(|(f, _)| f.is_empty()) {
        out.pop();
    }
    out
}

/// Characters of white space before a field's text, so its column points at the text.
fn leading_spaces(field: &str) -> usize {
    field.chars().take_while(|c| c.is_whitespace()).count()
}

fn at(loc: &Location, line: usize, col: usize, field: &str) -> Location {
    Location {
        line: Some(line),
        column: Some(col),
        field: Some(field.to_string()),
        ..loc.clone()
    }
}

fn number(
    cells: &[(String, usize)],
    k: usize,
    loc: &Location,
    line: usize,
    field: &str,
) -> Result<f64, InputError> {
    let (text, col) = cells
        .get(k)
        .map(|(t, c)| (t.as_str(), *c))
        .unwrap_or(("", 1));
    let parsed = text.parse().ok().or_else(|| delimited::decimal_comma(text));
    let x: f64 = parsed.ok_or_else(|| {
        InputError::new(
            at(loc, line, col, field),
            format!("expected a number, got `{text}`"),
        )
    })?;
    if !x.is_finite() {
        return Err(InputError::new(
            at(loc, line, col, field),
            format!("expected a finite number, got `{text}`"),
        ));
    }
    Ok(x)
}

/// A count of line 1 (`nActors`, `nDims`): a whole number no larger than `most`, the most
/// this file's size could hold, so that nothing is ever sized from an absurd declared count.
fn count(
    cells: &[(String, usize)],
    k: usize,
    at_line: &Location,
    field: &str,
    most: usize,
) -> Result<usize, InputError> {
    let (text, col) = cells
        .get(k)
        .map(|(t, c)| (t.as_str(), *c))
        .unwrap_or(("", 1));
    let here = || at(at_line, at_line.line.unwrap_or(1), col, field);
    let n = text.parse::<usize>().map_err(|_| {
        InputError::new(
            here(),
            format!("expected a whole number from 0 to {}, got `{text}`", usize::MAX),
        )
        .hint("line 1 of a KTAB file is: scenario name, description, number of actors, number of dimensions")
    })?;
    if n > most {
        return Err(InputError::new(
            here(),
            format!("declares {n}, more than this file could hold (at most {most})"),
        ));
    }
    Ok(n)
}

/// Issue id and question for a position column header such as `Policy Position`.
fn dimension(header: &str) -> (String, String) {
    let lower = header.to_ascii_lowercase();
    let base = if lower.ends_with(" position") && header.len() > " position".len() {
        &header[..header.len() - " position".len()]
    } else {
        header
    };
    let id = slug(base);
    let id = if id.is_empty() { slug(header) } else { id };
    (id, header.to_string())
}

/// True when the first two lines look like a KTAB SMP file: a header line whose first field
/// is `Actor`, or a title line whose third and fourth fields are the actor and dimension
/// counts followed by a header starting with `Actor`.
pub fn looks_like(first: &str, second: &str) -> bool {
    let delim = delimited::sniff(second);
    let header = fields(second, delim);
    let starts_with_actor = header
        .first()
        .is_some_and(|(f, _)| f.eq_ignore_ascii_case("actor"));
    if !starts_with_actor {
        return false;
    }
    let title = fields(first, delim);
    let counts = title.len() >= 4
        && title[2].0.parse::<usize>().is_ok()
        && title[3].0.parse::<usize>().is_ok();
    let third = header.get(2).map(|(f, _)| f.to_ascii_lowercase());
    counts || matches!(third.as_deref(), Some("influence" | "power"))
}

/// Reads a KTAB SMP CSV file into one scenario.
pub fn read(text: &str, loc: &Location) -> Result<Loaded, InputError> {
    let body = text.trim_start_matches('\u{feff}');
    let lines: Vec<(usize, &str)> = body
        .lines()
        .enumerate()
        .map(|(k, l)| (k + 1, l))
        .filter(|(_, l)| !l.trim().trim_matches(',').trim().is_empty())
        .collect();
    let Some(&(title_line, title)) = lines.first() else {
        return Err(InputError::new(loc.clone(), "the KTAB file is empty"));
    };
    let delim = lines
        .get(1)
        .map(|(_, header)| delimited::sniff(header))
        .unwrap_or(',');
    let head = fields(title, delim);
    if head.len() < 4 {
        return Err(InputError::new(
            loc.at_line(title_line),
            format!(
                "line 1 has {} field(s); expected: scenario name, description, number of actors, number of dimensions",
                head.len()
            ),
        ));
    }
    let title_at = loc.at_line(title_line);
    // Each actor needs a line of its own, and each dimension two header fields.
    let n_actors = count(&head, 2, &title_at, "nActors", lines.len())?;
    let n_dims = count(&head, 3, &title_at, "nDims", body.len() / 2)?;
    if n_actors < 2 {
        return Err(InputError::new(
            at(loc, title_line, head[2].1, "nActors"),
            format!("{n_actors} actor(s); a negotiation needs at least two"),
        ));
    }
    if n_dims < 1 {
        return Err(InputError::new(
            at(loc, title_line, head[3].1, "nDims"),
            "0 dimensions; expected at least one",
        ));
    }
    let Some(&(header_line, header)) = lines.get(1) else {
        return Err(InputError::new(
            loc.at_line(title_line + 1),
            "missing the header line (Actor, Description, Influence, <dim> Position, <dim> Salience, ...)",
        ));
    };
    let cols = fields(header, delim);
    let Some(want) = n_dims.checked_mul(2).and_then(|w| w.checked_add(3)) else {
        return Err(InputError::new(
            at(loc, title_line, head[3].1, "nDims"),
            format!("{n_dims} dimensions overflow the column count"),
        ));
    };
    if cols.len() != want {
        return Err(InputError::new(
            loc.at_line(header_line),
            format!(
                "the header has {} column(s); line 1 declares {n_dims} dimension(s), so expected {want} (Actor, Description, Influence, then a position and a salience per dimension)",
                cols.len()
            ),
        ));
    }
    let dims: Vec<(String, String)> = (0..n_dims).map(|d| dimension(&cols[3 + 2 * d].0)).collect();
    let mut seen = HashSet::new();
    for (d, (id, _)) in dims.iter().enumerate() {
        if !seen.insert(id.as_str()) {
            return Err(InputError::new(
                at(loc, header_line, cols[3 + 2 * d].1, &cols[3 + 2 * d].0),
                format!("dimension `{id}` appears twice in the header"),
            ));
        }
    }
    let rows = &lines[2..];
    if rows.len() != n_actors {
        let where_ = rows.last().map(|r| r.0).unwrap_or(header_line);
        return Err(InputError::new(
            loc.at_line(where_),
            format!(
                "line 1 declares {n_actors} actor(s) but the file has {} actor row(s)",
                rows.len()
            ),
        ));
    }
    let file_loc = Location::file(loc.file.clone());
    let mut scenario = Scenario {
        title: head[0].0.clone(),
        notes: (!head[1].0.is_empty()).then(|| head[1].0.clone()),
        ..Scenario::default()
    };
    for (id, question) in &dims {
        scenario.issues.push(Issue {
            id: id.clone(),
            question: question.clone(),
            scale: Scale {
                lo: 0.0,
                hi: 100.0,
                unit: "0-100".into(),
                lo_label: String::new(),
                hi_label: String::new(),
            },
            reference_point: None,
            outcome: None,
            sources: Vec::new(),
            notes: None,
            attributes: Default::default(),
            origin: file_loc.at_line(header_line),
        });
    }
    for &(line, text) in rows {
        let cells = fields(text, delim);
        if cells.len() != want {
            return Err(InputError::new(
                loc.at_line(line),
                format!(
                    "this actor row has {} field(s); expected {want}",
                    cells.len()
                ),
            ));
        }
        let id = cells[0].0.clone();
        if id.is_empty() {
            return Err(InputError::new(
                at(loc, line, cells[0].1, &cols[0].0),
                "empty actor name",
            ));
        }
        let capability = number(&cells, 2, loc, line, &cols[2].0)?;
        if capability < 0.0 {
            return Err(InputError::new(
                at(loc, line, cells[2].1, &cols[2].0),
                format!("capability {capability} is negative"),
            ));
        }
        let origin = file_loc.at_line(line);
        scenario.actors.push(Actor {
            id: id.clone(),
            name: cells[1].0.clone(),
            capability: Estimate::point(capability),
            group: None,
            sources: Vec::new(),
            notes: None,
            origin: origin.clone(),
        });
        for (d, (issue, _)) in dims.iter().enumerate() {
            let pk = 3 + 2 * d;
            let position = number(&cells, pk, loc, line, &cols[pk].0)?;
            let salience = number(&cells, pk + 1, loc, line, &cols[pk + 1].0)?;
            if !(0.0..=100.0).contains(&position) {
                return Err(InputError::new(
                    at(loc, line, cells[pk].1, &cols[pk].0),
                    format!("position {position} is outside [0, 100]"),
                ));
            }
            if !(0.0..=100.0).contains(&salience) {
                return Err(InputError::new(
                    at(loc, line, cells[pk + 1].1, &cols[pk + 1].0),
                    format!("salience {salience} is outside [0, 100]"),
                ));
            }
            scenario.stances.push(Stance {
                actor: id.clone(),
                issue: issue.clone(),
                position: Estimate::point(position),
                salience: Estimate::point(salience / 100.0),
                capability: None,
                sources: Vec::new(),
                notes: None,
                origin: origin.with_field(cols[pk].0.clone()),
            });
        }
    }
    let warnings = vec![Warning {
        location: file_loc.at_line(header_line),
        assumption: None,
        message: "KTAB saliences are on 0-100; divided by 100".into(),
    }];
    Ok(Loaded {
        scenarios: vec![scenario],
        warnings,
        skipped: Vec::new(),
        format: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "Test scen, \"a, quoted description\", 3, 2,\n\
        Actor, Description, Power, Econ Position, Econ Salience, Pstn2, Sal2,\n\
        A, first ,  10.0, 20, 50, 30, 40,\n\
        B, second, 20, 80, 30, 70.5, 20,\n\
        C, third, 5, 50, 10, 50, 10, \n";

    fn read_str(t: &str) -> Result<Loaded, InputError> {
        read(t, &Location::file("x.csv"))
    }

    #[test]
    fn reads_actors_dimensions_and_scales_salience() {
        let l = read_str(SMALL).unwrap();
        let s = &l.scenarios[0];
        assert_eq!(s.title, "Test scen");
        assert_eq!(s.notes.as_deref(), Some("a, quoted description"));
        let ids: Vec<&str> = s.issues.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["econ", "pstn2"]);
        assert_eq!(s.issues[0].question, "Econ Position");
        assert_eq!(s.actors.len(), 3);
        assert_eq!(s.actors[1].capability.mode, 20.0);
        assert_eq!(s.actors[0].name, "first");
        let st = s
            .stances
            .iter()
            .find(|x| x.actor == "B" && x.issue == "pstn2")
            .unwrap();
        assert_eq!(st.position.mode, 70.5);
        assert!((st.salience.mode - 0.2).abs() < 1e-12);
        assert_eq!(l.warnings.len(), 1);
        s.validate().unwrap();
    }

    #[test]
    fn row_count_mismatch_names_the_line() {
        let t = SMALL.replace(", 3, 2,", ", 4, 2,");
        let e = read_str(&t).unwrap_err();
        assert_eq!(e.location.line, Some(5));
        assert!(e.message.contains("4 actor"), "{}", e.message);
    }

    #[test]
    fn header_column_mismatch_is_an_error() {
        let t = SMALL.replace(", 3, 2,", ", 3, 3,");
        let e = read_str(&t).unwrap_err();
        assert_eq!(e.location.line, Some(2));
    }

    #[test]
    fn bad_number_names_line_and_field() {
        let t = SMALL.replace("80, 30", "eighty, 30");
        let e = read_str(&t).unwrap_err();
        assert_eq!(e.location.line, Some(4));
        assert_eq!(e.location.field.as_deref(), Some("Econ Position"));
    }

    #[test]
    fn short_row_and_out_of_range_are_errors() {
        let t = SMALL.replace("5, 50, 10, 50, 10,", "5, 50, 10,");
        assert_eq!(read_str(&t).unwrap_err().location.line, Some(5));
        let t = SMALL.replace("5, 50, 10, 50, 10,", "5, 50, 110, 50, 10,");
        let e = read_str(&t).unwrap_err();
        assert_eq!(e.location.field.as_deref(), Some("Econ Salience"));
    }

    #[test]
    fn detects_every_shared_ktab_file_and_not_the_plain_table() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/cases/ktab/");
        for f in [
            "SOE-Pol-Comp.csv",
            "dummyData_3Dim.csv",
            "dummyData-a040.csv",
            "dummyData-a080.csv",
        ] {
            let t = std::fs::read_to_string(format!("{dir}{f}")).unwrap();
            assert_eq!(super::super::detect(&t), super::super::Format::Ktab, "{f}");
        }
        let t = std::fs::read_to_string(format!("{dir}SOE-Policy-table.csv")).unwrap();
        assert_ne!(super::super::detect(&t), super::super::Format::Ktab);
    }

    #[test]
    fn never_panics_on_junk() {
        for t in [
            "",
            ",,,",
            "a,b,c,d",
            "a,b,2,1\n",
            "a,b,2,1\nActor,D,P,X,Y\n1,2,3\n",
            "\"",
            "a,b,99999999999999999999,1",
        ] {
            let _ = read_str(t);
        }
    }
}
