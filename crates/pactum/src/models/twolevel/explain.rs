//! The two levels of a run in sentences, for `pactum forecast --model twolevel --explain`.

use super::{IssueResult, Settings, SideResult, solve_levels};
use crate::error::ModelError;
use crate::models::Params;
use crate::scenario::{Scenario, Side};
use crate::snapshot::Snapshot;
use std::fmt;

/// The story of one issue: a heading and sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueStory {
    /// The issue's id.
    pub issue: String,
    /// One sentence per step: mandates, the level-I bargain, each ratification, the forecast.
    pub sentences: Vec<String>,
}

/// Every issue's story.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// One entry per issue, in scenario order.
    pub issues: Vec<IssueStory>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for story in &self.issues {
            writeln!(f, "{}", story.issue)?;
            for s in &story.sentences {
                writeln!(f, "  {s}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// Explains the two-level forecast of a validated scenario at its modes.
pub fn explain(scenario: &Scenario, params: &Params) -> Result<Explanation, ModelError> {
    let snap = Snapshot::modes(scenario);
    let s = Settings::from_params(params)?;
    let sol = solve_levels(&snap, &s)?;
    let issues = sol
        .issues
        .iter()
        .map(|r| story(scenario, &snap, &sol.table, r, &s))
        .collect();
    Ok(Explanation { issues })
}

fn story(
    scenario: &Scenario,
    snap: &Snapshot,
    table: &Snapshot,
    r: &IssueResult,
    s: &Settings,
) -> IssueStory {
    let issue = &scenario.issues[r.issue];
    let unit = if issue.scale.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", issue.scale.unit)
    };
    let digits = decimals(issue.scale.hi - issue.scale.lo);
    let x = |v: f64| format!("{}{unit}", short(v, digits));
    let name = |id: &str| {
        scenario
            .actor(id)
            .map(|a| a.label().to_string())
            .unwrap_or_else(|| id.to_string())
    };
    let mut out = Vec::new();
    if r.sides.is_empty() {
        out.push(format!(
            "No side negotiates this issue at two levels: the forecast is the international model's ({}), {}.",
            s.international.name(),
            x(r.forecast)
        ));
        return IssueStory {
            issue: issue.id.clone(),
            sentences: out,
        };
    }
    for side in &r.sides {
        out.push(mandate_sentence(scenario, side, s, &x, &name));
    }
    let third: Vec<String> = table.issues[r.issue]
        .actors
        .iter()
        .map(|&a| snap.actor_ids[a].clone())
        .filter(|a| !r.sides.iter().any(|sd| &sd.negotiator == a))
        .map(|a| name(&a))
        .collect();
    out.push(format!(
        "Level I: the negotiators{} bargain with the {} model and reach {}.",
        if third.is_empty() {
            String::new()
        } else {
            format!(" and the third parties ({})", third.join(", "))
        },
        s.international.name(),
        x(r.level_one)
    ));
    for side in &r.sides {
        out.push(ratification_sentence(scenario, side, r, &x));
    }
    out.push(match (r.agreement, r.forecast == r.level_one) {
        (true, true) => format!(
            "Forecast: {}, the level-I outcome, which every side ratifies.",
            x(r.forecast)
        ),
        (true, false) => format!(
            "Forecast: {}, the deal nearest to the level-I outcome that every side ratifies.",
            x(r.forecast)
        ),
        (false, _) => format!(
            "Forecast: no agreement; the issue stays at the reversion point {}.",
            x(r.forecast)
        ),
    });
    IssueStory {
        issue: issue.id.clone(),
        sentences: out,
    }
}

fn side_label<'a>(scenario: &'a Scenario, id: &'a str) -> &'a str {
    scenario
        .sides
        .iter()
        .find(|s| s.id == id)
        .map(|s| {
            if s.name.is_empty() {
                s.id.as_str()
            } else {
                s.name.as_str()
            }
        })
        .unwrap_or(id)
}

fn mandate_sentence(
    scenario: &Scenario,
    side: &SideResult,
    s: &Settings,
    x: &dyn Fn(f64) -> String,
    name: &dyn Fn(&str) -> String,
) -> String {
    let label = side_label(scenario, &side.id);
    if side.members.is_empty() {
        return format!(
            "Level II, {label}: {} negotiates alone at its own position {} (salience {:.2}).",
            name(&side.negotiator),
            x(side.mandate),
            side.salience
        );
    }
    let members: Vec<String> = side.members.iter().map(|m| name(m)).collect();
    format!(
        "Level II, {label}: the {} model over the negotiator {} with {} gives the mandate {} (arena salience {:.2}, capability at the table {}).",
        s.domestic.name(),
        name(&side.negotiator),
        members.join(", "),
        x(side.mandate),
        side.salience,
        short(side.capability, 2)
    )
}

fn rule_text(side: Option<&Side>) -> String {
    let Some(rule) = side.and_then(|s| s.ratification.as_ref()) else {
        return "no ratification".into();
    };
    let mut parts = Vec::new();
    if let Some(t) = rule.threshold {
        parts.push(format!("{:.0}% of the arena's weight", t * 100.0));
    }
    if !rule.veto.is_empty() {
        parts.push(format!("the consent of {}", rule.veto.join(", ")));
    }
    parts.join(" and ")
}

fn ratification_sentence(
    scenario: &Scenario,
    side: &SideResult,
    r: &IssueResult,
    x: &dyn Fn(f64) -> String,
) -> String {
    let label = side_label(scenario, &side.id);
    let def = scenario.sides.iter().find(|s| s.id == side.id);
    if !side.ratifies {
        return format!("{label} has no ratification rule: it takes any deal.");
    }
    let rule = rule_text(def);
    let Some(w) = side.win_set else {
        return format!(
            "{label} needs {rule}: no deal beats the reversion point for them, so its win-set is empty."
        );
    };
    let verdict = if side.binds {
        format!(
            "it would reject {}, so its ratification binds",
            x(r.level_one)
        )
    } else {
        format!("it ratifies {}", x(r.level_one))
    };
    format!(
        "{label} needs {rule}: its win-set is {}–{} (the reversion point itself excluded); {verdict}.",
        x(w.lo),
        x(w.hi)
    )
}

/// Decimals for a scale of this width: 0 from 1000 up, 1 from 100, 2 below.
fn decimals(width: f64) -> usize {
    if width >= 1000.0 {
        0
    } else if width >= 100.0 {
        1
    } else {
        2
    }
}

/// A number with at most `digits` decimals, trailing zeros dropped.
fn short(v: f64, digits: usize) -> String {
    let s = format!("{v:.digits$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}
