//! Two-level negotiations (Putnam 1988), composed from the registered models.
//!
//! Level II: each side's domestic arena (its negotiator and the members with a stance on
//! the issue) is forecast with the `domestic` model; that forecast is the negotiator's
//! mandate. Level I: the negotiators, at their mandates, and the third parties (actors in
//! no side on the issue) bargain with the `international` model. Ratification: each side's
//! win-set ([`winset`]) is the set of deals its rule accepts against the reversion point;
//! the level-I outcome stands if every side ratifies it, otherwise the forecast is the
//! nearest deal they all ratify, or the reversion point when there is none.
//! See `docs/models/twolevel.md`.

pub mod explain;
pub mod winset;

pub use explain::{Explanation, explain};

use super::{Forecast, IssueForecast, Model, Outcomes, ParamSpec, Params, Positions, Round};
use crate::error::ModelError;
use crate::models::params::choice;
use crate::sides::{SideData, SideIssue};
use crate::snapshot::{IssueData, Snapshot};
use serde::Serialize;
use std::collections::BTreeMap;
use winset::{Voter, WinSet, settle, threshold_set};

/// The two-level model.
pub struct TwoLevel;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "domestic",
        default: "compromise",
        help: "the model that forecasts each side's domestic arena (its negotiator's mandate); any model but twolevel. Its own parameters: --set domestic.NAME=VALUE",
    },
    ParamSpec {
        name: "international",
        default: "compromise",
        help: "the model of the level-I bargain among negotiators and third parties; any model but twolevel. Its own parameters: --set international.NAME=VALUE",
    },
    ParamSpec {
        name: "capability",
        default: "negotiator",
        help: "a negotiator's capability at the international table: `negotiator` (its own) or `arena` (the sum over its domestic arena on the issue)",
    },
];

/// The resolved settings of a run.
struct Settings {
    domestic: &'static dyn Model,
    domestic_params: Params,
    international: &'static dyn Model,
    international_params: Params,
    arena_capability: bool,
}

impl Settings {
    fn from_params(p: &Params) -> Result<Settings, ModelError> {
        let mut own = Params {
            preset: p.preset.clone(),
            values: BTreeMap::new(),
        };
        let mut dom = Params::new();
        let mut int = Params::new();
        for (k, v) in &p.values {
            if let Some(name) = k.strip_prefix("domestic.") {
                dom.values.insert(name.to_string(), v.clone());
            } else if let Some(name) = k.strip_prefix("international.") {
                int.values.insert(name.to_string(), v.clone());
            } else {
                own.values.insert(k.clone(), v.clone());
            }
        }
        let values = own.resolve(PARAMS, &[])?;
        let sub = |name: &str| -> Result<&'static dyn Model, ModelError> {
            let m = values.get(name).map(String::as_str).unwrap_or("");
            if m == "twolevel" {
                return Err(ModelError::Parameter {
                    name: name.into(),
                    message: "twolevel cannot nest itself; choose a one-level model".into(),
                });
            }
            super::by_name(m).map_err(|_| ModelError::Parameter {
                name: name.into(),
                message: format!("unknown model `{m}` (run `pactum models` for the list)"),
            })
        };
        let domestic = sub("domestic")?;
        let international = sub("international")?;
        // Check the forwarded parameters now, so a typo fails before any run.
        dom.resolve(domestic.parameters(), domestic.presets())?;
        int.resolve(international.parameters(), international.presets())?;
        let arena_capability = choice(&values, "capability", &["negotiator", "arena"])? == "arena";
        Ok(Settings {
            domestic,
            domestic_params: dom,
            international,
            international_params: int,
            arena_capability,
        })
    }
}

/// One side on one issue, as solved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideResult {
    /// The side's id.
    pub id: String,
    /// Its negotiator's actor id.
    pub negotiator: String,
    /// The members with a stance on the issue.
    pub members: Vec<String>,
    /// The negotiator's position at the table: the domestic forecast, in the issue's units.
    pub mandate: f64,
    /// The negotiator's salience at the table: the arena's capability-weighted mean, 0–1.
    pub salience: f64,
    /// The negotiator's capability at the table.
    pub capability: f64,
    /// Whether the side ratifies on this issue.
    pub ratifies: bool,
    /// The deals it ratifies (`None`: none); the whole scale when it has no rule.
    pub win_set: Option<WinSet>,
    /// Whether its ratification rejects the level-I outcome (never when that outcome is
    /// the reversion point itself: then level I made no deal to reject).
    pub binds: bool,
}

/// The two-level solution of one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueResult {
    /// Index of the issue in the snapshot.
    #[serde(skip)]
    pub issue: usize,
    /// The reversion point (no agreement), if the issue has one.
    pub reversion: Option<f64>,
    /// The level-I outcome, before ratification, in the issue's units.
    pub level_one: f64,
    /// The forecast, in the issue's units.
    pub forecast: f64,
    /// Whether every side ratifies a deal.
    pub agreement: bool,
    /// The sides taking part, in scenario order.
    pub sides: Vec<SideResult>,
}

/// The full two-level solution: per issue the result, and the level-I snapshot.
struct Solution {
    issues: Vec<IssueResult>,
    table: Snapshot,
    solved_table: Vec<usize>,
}

/// Runs both levels and the ratification on every issue.
fn solve_levels(snap: &Snapshot, s: &Settings) -> Result<Solution, ModelError> {
    let mandates = mandates(snap, s)?;
    let (table, seats) = level_one_snapshot(snap, &mandates);
    // Issues with one participant at the table keep its position; the rest go to the model.
    let solved_table: Vec<usize> = (0..table.issues.len())
        .filter(|&i| table.issues[i].len() >= 2)
        .collect();
    let sub = subset(&table, &solved_table);
    let values = if solved_table.is_empty() {
        Vec::new()
    } else {
        s.international
            .forecast_values(&sub, &s.international_params)?
    };
    let mut issues = Vec::with_capacity(snap.issues.len());
    for (i, d) in snap.issues.iter().enumerate() {
        let level_one = match solved_table.iter().position(|&k| k == i) {
            Some(k) => values.get(k).copied().flatten(),
            None => table.issues[i].position.first().copied(),
        }
        .ok_or_else(|| {
            ModelError::Unsuitable(format!(
                "the international model `{}` gave no forecast for issue `{}`",
                s.international.name(),
                snap.issue_ids[i]
            ))
        })?;
        issues.push(ratify(snap, d, i, level_one, &mandates, &seats)?);
    }
    Ok(Solution {
        issues,
        table,
        solved_table,
    })
}

/// Each side's mandate, salience and capability at the table, per issue it takes part in:
/// `mandates[side][entry]`.
type Mandates = Vec<Vec<(f64, f64, f64)>>;

fn mandates(snap: &Snapshot, s: &Settings) -> Result<Mandates, ModelError> {
    let mut out = Vec::with_capacity(snap.sides.len());
    for side in &snap.sides {
        let arenas: Vec<usize> = (0..side.issues.len())
            .filter(|&e| !side.issues[e].members.is_empty())
            .collect();
        let domestic = if arenas.is_empty() {
            Vec::new()
        } else {
            let sub = arena_snapshot(snap, side, &arenas);
            s.domestic.forecast_values(&sub, &s.domestic_params)?
        };
        let mut per = Vec::with_capacity(side.issues.len());
        for (e, si) in side.issues.iter().enumerate() {
            let d = &snap.issues[si.issue];
            let own = d.position[si.negotiator];
            let mandate = arenas
                .iter()
                .position(|&a| a == e)
                .and_then(|k| domestic.get(k).copied().flatten())
                .unwrap_or(own);
            let (salience, capability) = arena_stakes(d, si, s.arena_capability);
            per.push((mandate.clamp(d.lo, d.hi), salience, capability));
        }
        out.push(per);
    }
    Ok(out)
}

/// The arena's salience (capability-weighted mean over negotiator and members) and the
/// negotiator's capability at the table (its own, or the arena's sum).
fn arena_stakes(d: &IssueData, si: &SideIssue, arena_capability: bool) -> (f64, f64) {
    let k = si.negotiator;
    if si.members.is_empty() {
        return (d.salience[k], d.capability[k]);
    }
    let all = std::iter::once(k).chain(si.members.iter().copied());
    let (mut cs, mut c) = (0.0, 0.0);
    for m in all {
        cs += d.capability[m] * d.salience[m];
        c += d.capability[m];
    }
    let salience = if c > 0.0 { cs / c } else { d.salience[k] };
    let capability = if arena_capability { c } else { d.capability[k] };
    (salience, capability)
}

/// The snapshot of one side's arenas: the listed entries, with the negotiator and members.
fn arena_snapshot(snap: &Snapshot, side: &SideData, entries: &[usize]) -> Snapshot {
    let mut issues = Vec::with_capacity(entries.len());
    let mut ids = Vec::with_capacity(entries.len());
    for &e in entries {
        let si = &side.issues[e];
        let d = &snap.issues[si.issue];
        let keep: Vec<usize> = (0..d.len())
            .filter(|&k| k == si.negotiator || si.members.contains(&k))
            .collect();
        let mut sub = pick(d, &keep);
        sub.issue = issues.len(); // models index issue_ids by it
        issues.push(sub);
        ids.push(snap.issue_ids[si.issue].clone());
    }
    Snapshot {
        actor_ids: snap.actor_ids.clone(),
        issue_ids: ids,
        issues,
        sides: Vec::new(),
    }
}

fn pick(d: &IssueData, keep: &[usize]) -> IssueData {
    IssueData {
        issue: d.issue,
        lo: d.lo,
        hi: d.hi,
        reference: d.reference,
        actors: keep.iter().map(|&k| d.actors[k]).collect(),
        position: keep.iter().map(|&k| d.position[k]).collect(),
        salience: keep.iter().map(|&k| d.salience[k]).collect(),
        capability: keep.iter().map(|&k| d.capability[k]).collect(),
    }
}

fn subset(snap: &Snapshot, issues: &[usize]) -> Snapshot {
    Snapshot {
        actor_ids: snap.actor_ids.clone(),
        issue_ids: issues.iter().map(|&i| snap.issue_ids[i].clone()).collect(),
        issues: issues
            .iter()
            .enumerate()
            .map(|(k, &i)| IssueData {
                issue: k, // models index issue_ids by it
                ..snap.issues[i].clone()
            })
            .collect(),
        sides: Vec::new(),
    }
}

/// Which participant of each table issue is a negotiator: `seats[i]` lists (side index,
/// entry index, table participant index).
type Seats = Vec<Vec<(usize, usize, usize)>>;

/// The level-I table: per issue the participants in stance order, members dropped,
/// negotiators at their mandates with the arena's stakes.
fn level_one_snapshot(snap: &Snapshot, mandates: &Mandates) -> (Snapshot, Seats) {
    let mut issues = Vec::with_capacity(snap.issues.len());
    let mut seats: Seats = vec![Vec::new(); snap.issues.len()];
    for (i, d) in snap.issues.iter().enumerate() {
        let mut role: Vec<Option<(usize, usize)>> = vec![None; d.len()];
        let mut dropped = vec![false; d.len()];
        for (s, side) in snap.sides.iter().enumerate() {
            for (e, si) in side.issues.iter().enumerate() {
                if si.issue == i {
                    role[si.negotiator] = Some((s, e));
                    for &m in &si.members {
                        dropped[m] = true;
                    }
                }
            }
        }
        let keep: Vec<usize> = (0..d.len()).filter(|&k| !dropped[k]).collect();
        let mut t = pick(d, &keep);
        for (slot, &k) in keep.iter().enumerate() {
            if let Some((s, e)) = role[k] {
                let (x, sal, cap) = mandates[s][e];
                t.position[slot] = x;
                t.salience[slot] = sal;
                t.capability[slot] = cap;
                seats[i].push((s, e, slot));
            }
        }
        issues.push(t);
    }
    let table = Snapshot {
        actor_ids: snap.actor_ids.clone(),
        issue_ids: snap.issue_ids.clone(),
        issues,
        sides: Vec::new(),
    };
    (table, seats)
}

/// The win-set of one side on issue data `d` (reversion `r`).
fn win_set(d: &IssueData, si: &SideIssue, r: f64) -> WinSet {
    if !si.ratifies {
        return WinSet::whole(d.lo, d.hi);
    }
    let mut set = WinSet::whole(d.lo, d.hi);
    if let Some(t) = si.threshold {
        let voters: Vec<Voter> = std::iter::once(si.negotiator)
            .chain(si.members.iter().copied())
            .map(|k| Voter {
                position: d.position[k],
                weight: d.weight(k),
            })
            .collect();
        set = set.intersect(&threshold_set(&voters, t, r, d.lo, d.hi));
    }
    for &v in &si.veto {
        set = set.intersect(&winset::accepted(d.position[v], r, d.lo, d.hi));
    }
    set
}

fn ratify(
    snap: &Snapshot,
    d: &IssueData,
    i: usize,
    level_one: f64,
    mandates: &Mandates,
    seats: &Seats,
) -> Result<IssueResult, ModelError> {
    let needs_reference = seats[i]
        .iter()
        .any(|&(s, e, _)| snap.sides[s].issues[e].ratifies);
    let r = match d.reference {
        Some(r) => r,
        None if needs_reference => {
            return Err(ModelError::Unsuitable(format!(
                "issue `{}` has a ratifying side but no reference point (the reversion outcome)",
                snap.issue_ids[i]
            )));
        }
        None => f64::NAN,
    };
    let mut sides = Vec::with_capacity(seats[i].len());
    let mut sets = Vec::new();
    for &(s, e, _) in &seats[i] {
        let side = &snap.sides[s];
        let si = &side.issues[e];
        let set = if r.is_nan() {
            WinSet::whole(d.lo, d.hi)
        } else {
            win_set(d, si, r)
        };
        if si.ratifies {
            sets.push(set);
        }
        let (mandate, salience, capability) = mandates[s][e];
        sides.push(SideResult {
            id: side.id.clone(),
            negotiator: snap.actor_ids[side.negotiator].clone(),
            members: si
                .members
                .iter()
                .map(|&m| snap.actor_ids[d.actors[m]].clone())
                .collect(),
            mandate,
            salience,
            capability,
            ratifies: si.ratifies,
            win_set: (!set.is_empty()).then_some(set),
            binds: si.ratifies && !r.is_nan() && level_one != r && !set.contains(level_one, r),
        });
    }
    let (forecast, agreement) = if r.is_nan() {
        (level_one, true)
    } else {
        let st = settle(level_one, r, &sets);
        (st.forecast, st.agreement)
    };
    Ok(IssueResult {
        issue: i,
        reversion: d.reference,
        level_one,
        forecast,
        agreement,
        sides,
    })
}

impl IssueResult {
    /// The JSON details of the issue: `agreement`, `reversion`, `level_one`, `mandates`,
    /// `win_sets`, `binding` and `sides`.
    fn details(&self) -> serde_json::Map<String, serde_json::Value> {
        use serde_json::{Value, json};
        let mut m = serde_json::Map::new();
        m.insert("agreement".into(), json!(self.agreement));
        m.insert("reversion".into(), json!(self.reversion));
        m.insert("level_one".into(), json!(self.level_one));
        let mandates: serde_json::Map<String, Value> = self
            .sides
            .iter()
            .map(|s| (s.id.clone(), json!(s.mandate)))
            .collect();
        m.insert("mandates".into(), Value::Object(mandates));
        let sets: serde_json::Map<String, Value> = self
            .sides
            .iter()
            .map(|s| {
                let v = match s.win_set {
                    Some(w) => json!([w.lo, w.hi]),
                    None => Value::Null,
                };
                (s.id.clone(), v)
            })
            .collect();
        m.insert("win_sets".into(), Value::Object(sets));
        let binding: Vec<&str> = self
            .sides
            .iter()
            .filter(|s| s.binds)
            .map(|s| s.id.as_str())
            .collect();
        m.insert("binding".into(), json!(binding));
        m.insert(
            "sides".into(),
            serde_json::to_value(&self.sides).unwrap_or(Value::Null),
        );
        m
    }
}

/// Solves every issue and returns the per-issue results (for `--explain`, the report and
/// tests).
pub fn solve_issues(snap: &Snapshot, params: &Params) -> Result<Vec<IssueResult>, ModelError> {
    let s = Settings::from_params(params)?;
    Ok(solve_levels(snap, &s)?.issues)
}

impl Model for TwoLevel {
    fn name(&self) -> &'static str {
        "twolevel"
    }

    fn left_out_by_default(&self, scenario: &crate::scenario::Scenario) -> Option<String> {
        scenario.sides.is_empty().then(|| {
            "the scenario has no [[sides]], so it would repeat its international model".into()
        })
    }

    fn summary(&self) -> &'static str {
        "two-level game (Putnam): domestic mandates, level-I bargain, ratification by each side's win-set"
    }

    fn parameters(&self) -> &'static [ParamSpec] {
        PARAMS
    }

    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        let s = Settings::from_params(params)?;
        let sol = solve_levels(snap, &s)?;
        let sub = subset(&sol.table, &sol.solved_table);
        let table_forecast = if sol.solved_table.is_empty() {
            None
        } else {
            Some(s.international.solve(&sub, &s.international_params)?)
        };
        let mut issues = Vec::with_capacity(sol.issues.len());
        for r in &sol.issues {
            let id = &snap.issue_ids[r.issue];
            let level = table_forecast
                .as_ref()
                .and_then(|f| f.issues.iter().find(|x| &x.id == id));
            let (mean, rounds) = match level {
                Some(l) => (l.mean, l.rounds.clone()),
                None => (
                    r.level_one,
                    vec![single_round(&sol.table, &sol.table.issues[r.issue])],
                ),
            };
            issues.push(IssueForecast {
                id: id.clone(),
                forecast: r.forecast,
                mean,
                rounds,
                details: r.details(),
            });
        }
        let mut details = serde_json::Map::new();
        details.insert("domestic".into(), s.domestic.name().into());
        details.insert("international".into(), s.international.name().into());
        Ok(Forecast {
            model: self.name().to_string(),
            preset: params.preset.clone(),
            parameters: vec![
                ("domestic".into(), s.domestic.name().into()),
                ("international".into(), s.international.name().into()),
                (
                    "capability".into(),
                    if s.arena_capability {
                        "arena"
                    } else {
                        "negotiator"
                    }
                    .into(),
                ),
            ],
            issues,
            details,
        })
    }

    fn forecast_values(
        &self,
        snap: &Snapshot,
        params: &Params,
    ) -> Result<Vec<Option<f64>>, ModelError> {
        Ok(self.forecast_outcomes(snap, params)?.values)
    }

    fn forecast_outcomes(&self, snap: &Snapshot, params: &Params) -> Result<Outcomes, ModelError> {
        let s = Settings::from_params(params)?;
        let sol = solve_levels(snap, &s)?;
        Ok(Outcomes {
            values: sol.issues.iter().map(|r| Some(r.forecast)).collect(),
            agreement: Some(sol.issues.iter().map(|r| r.agreement).collect()),
        })
    }
}

fn single_round(table: &Snapshot, d: &IssueData) -> Round {
    let x = d.position.first().copied().unwrap_or(f64::NAN);
    Round {
        round: 0,
        median: x,
        mean: x,
        positions: Positions(
            d.actors
                .iter()
                .zip(&d.position)
                .map(|(a, p)| (table.actor_ids[*a].clone(), *p))
                .collect(),
        ),
        details: Default::default(),
    }
}
