//! DEU III tables (Arregui & Perarnaud 2021, doi:10.34810/data53, CC BY 4.0), tab-,
//! semicolon- or comma-separated (the delimiter is found from the header; fields may be
//! double-quoted and then hold the delimiter; a decimal comma `4,1` is read as `4.1`).
//!
//! One row per contested issue of an EU legislative proposal: `p<actor>` position 0–100 and
//! `s<actor>` salience 0–100 for the Commission (`com`), Parliament (`ep`) and member states,
//! `rp` the reference point, `out` the outcome; blank means missing. Each row becomes one
//! single-issue scenario on a 0–100 scale. An optional second line without an issue id holds
//! a capability per actor (the shared copy carries a GDP-based proxy); without it every actor
//! has capability 1.
//!
//! Choices, stated as warnings when they apply:
//! - an actor with a blank position is absent from the issue (a salience alone is ignored);
//! - a position with a blank salience gets salience 50 (the scale midpoint);
//! - a row with a malformed number, or fewer than two actors, is skipped and reported.

use super::{Loaded, delimited};
use crate::error::{InputError, Location, Warning};
use crate::scenario::{Actor, Estimate, Issue, Outcome, Scale, Scenario, Stance};

/// Salience given to an actor whose position is coded but whose salience is blank (0–100).
pub const MISSING_SALIENCE: f64 = 50.0;

/// Columns copied into [`Issue::attributes`] when present.
const ATTRIBUTES: [&str; 10] = [
    "prnr", "prname", "type", "council", "proc", "counvte", "proccde", "intro", "finact", "issues",
];

struct Columns {
    delim: char,
    names: Vec<String>,
    actors: Vec<(String, usize, Option<usize>)>,
    issue_id: usize,
}

fn header(line: &str, loc: &Location) -> Result<Columns, InputError> {
    let delim = delimited::sniff(line);
    let names: Vec<String> = delimited::split(line, delim)
        .into_iter()
        .map(|c| unquote(c).to_string())
        .collect();
    let find = |n: &str| names.iter().position(|c| c == n);
    let issue_id = find("isnr").ok_or_else(|| {
        InputError::new(
            loc.at_line(1).with_field("isnr"),
            "DEU header has no `isnr` column",
        )
    })?;
    for required in ["rp", "out"] {
        if find(required).is_none() {
            return Err(InputError::new(
                loc.at_line(1).with_field(required),
                format!("DEU header has no `{required}` column"),
            ));
        }
    }
    let not_actor = ["prnrnmc", "prnr", "prname", "proc", "proccde"];
    let actors: Vec<(String, usize, Option<usize>)> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.len() > 1 && n.starts_with('p') && !not_actor.contains(&n.as_str()))
        .map(|(k, n)| {
            let id = n[1..].to_string();
            let s = find(&format!("s{id}"));
            (id, k, s)
        })
        .collect();
    if actors.len() < 2 {
        return Err(InputError::new(
            loc.at_line(1),
            "DEU header names fewer than two actor position columns (`p<actor>`)",
        ));
    }
    Ok(Columns {
        delim,
        names,
        actors,
        issue_id,
    })
}

fn unquote(s: &str) -> &str {
    let t = s.trim();
    t.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(t)
}

fn number(
    cells: &[&str],
    k: usize,
    loc: &Location,
    field: &str,
) -> Result<Option<f64>, InputError> {
    let raw = cells.get(k).map(|c| unquote(c)).unwrap_or("");
    if raw.is_empty() || raw == "NA" {
        return Ok(None);
    }
    let parsed = raw.parse().ok().or_else(|| delimited::decimal_comma(raw));
    let x: f64 = parsed.ok_or_else(|| {
        InputError::new(
            loc.with_field(field),
            format!("`{raw}` is not a number; expected a number or a blank"),
        )
    })?;
    if !x.is_finite() {
        return Err(InputError::new(
            loc.with_field(field),
            format!("`{raw}` is not a finite number"),
        ));
    }
    Ok(Some(x))
}

/// Reads a DEU TSV. Malformed rows go to [`Loaded::skipped`]; the rest become scenarios.
pub fn read(text: &str, loc: &Location) -> Result<Loaded, InputError> {
    let mut lines = text.lines().enumerate();
    let Some((_, head)) = lines.next() else {
        return Err(InputError::new(loc.clone(), "the file is empty"));
    };
    let cols = header(head.trim_start_matches('\u{feff}'), loc)?;
    let mut capability: Vec<f64> = vec![1.0; cols.actors.len()];
    let mut loaded = Loaded::default();
    let mut filled = 0usize;
    let mut gdp_row = false;
    for (k, line) in lines {
        let at = loc.at_line(k + 1);
        if line.trim().is_empty() {
            continue;
        }
        let cells = delimited::split(line, cols.delim);
        if cells.len() != cols.names.len() {
            loaded.skipped.push(InputError::new(
                at,
                format!(
                    "row has {} columns; the header has {}",
                    cells.len(),
                    cols.names.len()
                ),
            ));
            continue;
        }
        let id = unquote(cells[cols.issue_id]);
        if id.is_empty() && k == 1 {
            capability = capability_row(&cells, &cols, &at)?;
            gdp_row = true;
            continue;
        }
        match row(&cells, &cols, &capability, &at, &mut filled) {
            Ok(s) => loaded.scenarios.push(s),
            Err(e) => loaded.skipped.push(e),
        }
    }
    if gdp_row {
        loaded.warnings.push(Warning {
            location: loc.at_line(2),
            assumption: None,
            message: "capabilities taken from the file's second line (a GDP-based proxy)".into(),
        });
    }
    if filled > 0 {
        loaded.warnings.push(Warning {
            location: loc.clone(),
            assumption: None,
            message: format!(
                "{filled} coded positions had a blank salience; salience {MISSING_SALIENCE} (of 100) was used"
            ),
        });
    }
    Ok(loaded)
}

fn capability_row(cells: &[&str], cols: &Columns, at: &Location) -> Result<Vec<f64>, InputError> {
    cols.actors
        .iter()
        .map(|(id, p, _)| {
            let c = number(cells, *p, at, &format!("p{id}"))?.unwrap_or(0.0);
            if c < 0.0 {
                return Err(InputError::new(
                    at.with_field(format!("p{id}")),
                    format!("capability {c} is negative"),
                ));
            }
            Ok(c)
        })
        .collect()
}

fn row(
    cells: &[&str],
    cols: &Columns,
    capability: &[f64],
    at: &Location,
    filled: &mut usize,
) -> Result<Scenario, InputError> {
    let id = unquote(cells[cols.issue_id]).to_string();
    if id.is_empty() {
        return Err(InputError::new(at.with_field("isnr"), "blank issue id"));
    }
    let idx = |n: &str| cols.names.iter().position(|c| c == n);
    let get = |n: &str| {
        idx(n)
            .and_then(|k| cells.get(k))
            .map(|c| unquote(c))
            .unwrap_or("")
    };
    let rp = number(cells, idx("rp").unwrap_or(usize::MAX), at, "rp")?;
    let out = number(cells, idx("out").unwrap_or(usize::MAX), at, "out")?;
    let mut actors = Vec::new();
    let mut stances = Vec::new();
    for (k, (actor, p, s)) in cols.actors.iter().enumerate() {
        let Some(pos) = number(cells, *p, at, &format!("p{actor}"))? else {
            continue;
        };
        let sal = match s {
            Some(s) => number(cells, *s, at, &format!("s{actor}"))?,
            None => None,
        };
        let sal = sal.unwrap_or_else(|| {
            *filled += 1;
            MISSING_SALIENCE
        });
        actors.push(Actor {
            id: actor.clone(),
            name: actor.to_uppercase(),
            capability: Estimate::point(capability[k]),
            group: None,
            sources: vec![],
            notes: None,
            origin: at.with_field(format!("p{actor}")),
        });
        stances.push(Stance {
            actor: actor.clone(),
            issue: id.clone(),
            position: Estimate::point(pos),
            salience: Estimate::point(sal / 100.0),
            capability: None,
            sources: vec![],
            notes: None,
            origin: at.with_field(format!("p{actor}")),
        });
    }
    let mut issue = Issue {
        id: id.clone(),
        question: get("prname").to_string(),
        scale: Scale {
            lo: 0.0,
            hi: 100.0,
            unit: "0-100".into(),
            lo_label: String::new(),
            hi_label: String::new(),
        },
        reference_point: rp,
        outcome: out.map(|value| Outcome {
            value,
            date: None,
            sources: vec![
                "DEU III (Arregui & Perarnaud 2021, doi:10.34810/data53, CC BY 4.0)".into(),
            ],
            notes: None,
        }),
        sources: vec![],
        notes: None,
        attributes: Default::default(),
        origin: at.clone(),
    };
    for a in ATTRIBUTES {
        let v = get(a);
        if !v.is_empty() {
            issue.attributes.insert(a.to_string(), v.to_string());
        }
    }
    let scenario = Scenario {
        title: format!("DEU III {} {}", get("prnr"), id),
        notes: Some("DEU III dataset (Arregui & Perarnaud 2021), CC BY 4.0".into()),
        actors,
        issues: vec![issue],
        stances,
        ..Scenario::default()
    };
    scenario.validate()?;
    Ok(scenario)
}
