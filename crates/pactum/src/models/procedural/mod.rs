//! The procedural agenda-setter model of EU legislation (after Tsebelis & Garrett,
//! Steunenberg and Crombez, as summarised in Thomson et al., *The European Union Decides*).
//!
//! Per issue, on one dimension with symmetric single-peaked preferences (an actor prefers
//! the nearer of two points, and votes yes when indifferent):
//! - the **setter** (the Commission) proposes; if nothing it may propose beats the reference
//!   point for it, it proposes nothing and the reference point stays (ties keep it too);
//! - the **Council** adopts a proposal `y` only when a winning coalition (qualified majority
//!   by treaty weights on the proposal's date, unanimity, or a weighted quota) prefers `y` to
//!   the reference point `q`; it can replace any proposal outside its unanimity core — the
//!   span of its members' ideals — by unanimous amendment, so the setter stays inside it;
//! - under **co-decision** the Parliament also vetoes: `y` must be at least as close to its
//!   ideal as `q` is.
//!
//! The forecast is the point of the resulting acceptable set nearest the setter's ideal
//! (see [`outcome`]). Members without a position (or with salience 0) are indifferent and,
//! by default, support any change (`absent = support`). See `docs/models/procedural.md`.

pub mod voting;

use super::{Forecast, IssueForecast, Model, ParamSpec, Params, Preset, baseline, params};
use crate::backtest::council::{self, Date, Regime};
use crate::error::ModelError;
use crate::scenario::Scenario;
use crate::snapshot::{IssueData, Snapshot};
use crate::stats;
use voting::{Rule, Voter};

/// The procedural agenda-setter model.
pub struct Procedural;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "procedure",
        default: "auto",
        help: "`consultation` (Council only) or `codecision` (the Parliament also vetoes); \
               `auto`: the DEU `proc` column (CNS, COD)",
    },
    ParamSpec {
        name: "rule",
        default: "auto",
        help: "Council rule: `qmv` (EU treaty weights on `date`), `unanimity`, or `weighted` \
               (the voters' capabilities against `quota`); `auto`: the DEU `counvte` column",
    },
    ParamSpec {
        name: "date",
        default: "auto",
        help: "YYYY-MM-DD picking the treaty regime and the members for `qmv` (and the \
               members for `unanimity`); `auto`: the DEU `intro` date",
    },
    ParamSpec {
        name: "setter",
        default: "com",
        help: "id of the agenda setter (the Commission in DEU data)",
    },
    ParamSpec {
        name: "parliament",
        default: "ep",
        help: "id of the Parliament (vetoes under codecision; never votes in the Council)",
    },
    ParamSpec {
        name: "quota",
        default: "0.5",
        help: "under `weighted`: share of the voters' total capability a winning coalition \
               needs, in (0, 1]",
    },
    ParamSpec {
        name: "codecision",
        default: "veto",
        help: "co-decision as `veto` (the Commission sets the agenda, the Parliament can only \
               reject) or `conciliation` (the Parliament and the Council split the difference \
               between the Parliament's ideal and the Council's qualified-majority core)",
    },
    ParamSpec {
        name: "absent",
        default: "support",
        help: "how voters without a position or with salience 0 vote: `support` any change \
               or `oppose` every change",
    },
];

const PRESETS: &[Preset] = &[
    Preset {
        name: "conciliation",
        help: "co-decision settled in conciliation between the Parliament and the Council",
        values: &[("codecision", "conciliation")],
    },
    Preset {
        name: "absent-oppose",
        help: "members without a position vote against every change",
        values: &[("absent", "oppose")],
    },
];

/// The legislative procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Procedure {
    /// The Council alone adopts (the Parliament's opinion does not bind).
    Consultation,
    /// The Council and the Parliament must both accept.
    Codecision,
}

/// The resolved parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The procedure.
    pub procedure: Procedure,
    /// The Council rule.
    pub rule: Rule,
    /// The date, when one is known (EU membership for unanimity and qmv).
    pub date: Option<Date>,
    /// The agenda setter's id.
    pub setter: String,
    /// The Parliament's id.
    pub parliament: String,
    /// Whether voters without a position support change.
    pub absent_support: bool,
    /// Co-decision settled in conciliation rather than by the setter with a veto.
    pub conciliation: bool,
}

fn parse_date(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let date = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&date.1) && (1..=31).contains(&date.2) && y.len() == 4).then_some(date)
}

/// Reads and checks the parameters; a scenario that says nothing about its procedure,
/// rule or date (where needed) is unsuitable, with what to set.
pub fn settings(params: &Params) -> Result<Settings, ModelError> {
    let v = params.resolve(PARAMS, PRESETS)?;
    let procedure = params::choice(&v, "procedure", &["auto", "consultation", "codecision"])?;
    let rule = params::choice(&v, "rule", &["auto", "qmv", "unanimity", "weighted"])?;
    let date_text = v.get("date").map(String::as_str).unwrap_or("auto");
    let date = match date_text.trim() {
        "auto" => None,
        t => Some(parse_date(t).ok_or_else(|| ModelError::Parameter {
            name: "date".into(),
            message: format!("expected a date YYYY-MM-DD or auto, got `{t}`"),
        })?),
    };
    let quota = params::number(&v, "quota", f64::MIN_POSITIVE, 1.0)?;
    let absent_support = params::choice(&v, "absent", &["support", "oppose"])? == "support";
    let conciliation =
        params::choice(&v, "codecision", &["veto", "conciliation"])? == "conciliation";
    let mut missing = Vec::new();
    if procedure == "auto" {
        missing.push("the legislative procedure (`procedure` = consultation or codecision)");
    }
    if rule == "auto" {
        missing.push("the Council's voting rule (`rule` = qmv, unanimity or weighted)");
    }
    if rule == "qmv" && date.is_none() {
        missing.push("a date for the treaty weights of `rule = qmv` (`date` = YYYY-MM-DD)");
    }
    if !missing.is_empty() {
        return Err(ModelError::Unsuitable(format!(
            "the procedural model needs {}; DEU rows give them (proc, counvte, intro: one value per proposal), other \
             scenarios set them in [models.procedural] or with --set",
            missing.join(", ")
        )));
    }
    let rule = match (rule, date) {
        ("qmv", Some(d)) => Rule::Qualified(d),
        ("unanimity", _) => Rule::Unanimity,
        _ => Rule::Weighted(quota),
    };
    Ok(Settings {
        procedure: if procedure == "codecision" {
            Procedure::Codecision
        } else {
            Procedure::Consultation
        },
        rule,
        date,
        setter: v.get("setter").cloned().unwrap_or_default(),
        parliament: v.get("parliament").cloned().unwrap_or_default(),
        absent_support,
        conciliation,
    })
}

/// What the model needs of one issue, on the issue's scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Game {
    /// The setter's ideal point.
    pub setter: f64,
    /// The reversion point (the reference point).
    pub q: f64,
    /// The Council's voters.
    pub voters: Vec<Voter>,
    /// The Parliament's ideal under co-decision, when it has one.
    pub parliament: Option<f64>,
    /// The scale, `(lo, hi)`.
    pub scale: (f64, f64),
}

/// The solution of one issue with the sets that produced it.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The outcome.
    pub outcome: f64,
    /// The Council's pivot for moves up (`None`: no move up can pass).
    pub pivot_up: Option<f64>,
    /// The Council's pivot for moves down.
    pub pivot_down: Option<f64>,
    /// The acceptable changes: up to two intervals `[lo, hi]` (each excluding `q` itself).
    pub acceptable: Vec<(f64, f64)>,
}

fn intersect(a: (f64, f64), b: (f64, f64)) -> Option<(f64, f64)> {
    let lo = a.0.max(b.0);
    let hi = a.1.min(b.1);
    (lo <= hi).then_some((lo, hi))
}

/// Solves one issue: the point nearest the setter among the reference point and the
/// proposals a winning Council coalition prefers to it, that no unanimous Council
/// amendment beats, that the Parliament accepts under co-decision, and on the scale.
pub fn outcome(game: &Game, rule: &Rule, absent_support: bool) -> Solution {
    let q = game.q;
    let up = rule.pivot_up(&game.voters, absent_support);
    let down = rule.pivot_down(&game.voters, absent_support);
    let mut pieces = Vec::new();
    if let Some(p) = up.filter(|p| *p > q) {
        pieces.push((q, 2.0 * p - q));
    }
    if let Some(p) = down.filter(|p| *p < q) {
        pieces.push((2.0 * p - q, q));
    }
    let ideals: Vec<f64> = game.voters.iter().filter_map(|v| v.ideal).collect();
    let core = if ideals.is_empty() {
        (f64::NEG_INFINITY, f64::INFINITY)
    } else {
        (
            ideals.iter().copied().fold(f64::INFINITY, f64::min),
            ideals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        )
    };
    let ep = match game.parliament {
        Some(e) => (e - (q - e).abs(), e + (q - e).abs()),
        None => (f64::NEG_INFINITY, f64::INFINITY),
    };
    let acceptable: Vec<(f64, f64)> = pieces
        .into_iter()
        .filter_map(|w| intersect(w, core))
        .filter_map(|w| intersect(w, ep))
        .filter_map(|w| intersect(w, game.scale))
        .collect();
    Solution {
        outcome: nearest(game.setter, q, &acceptable),
        pivot_up: up,
        pivot_down: down,
        acceptable,
    }
}

/// The point nearest `target` among `q` and the intervals (`q` wins ties).
fn nearest(target: f64, q: f64, intervals: &[(f64, f64)]) -> f64 {
    let mut best = q;
    for (lo, hi) in intervals {
        let y = target.max(*lo).min(*hi);
        if (y - target).abs() < (best - target).abs() {
            best = y;
        }
    }
    best
}

/// Co-decision settled in conciliation: the Council's qualified-majority core is
/// `[pivot_up, pivot_down]` (the points no winning coalition moves); the Council's side
/// is the point of that core nearest the Parliament's ideal `e`, and the two split the
/// difference. The result must still beat the reversion for both: it is replaced by the
/// nearest point of the acceptable set (or `q`). Without a Parliament position this is
/// the veto solution.
pub fn conciliation(game: &Game, rule: &Rule, absent_support: bool) -> Solution {
    let veto = outcome(game, rule, absent_support);
    let Some(e) = game.parliament else {
        return veto;
    };
    let lo = veto.pivot_up.unwrap_or(f64::NEG_INFINITY);
    let hi = veto.pivot_down.unwrap_or(f64::INFINITY);
    let council = if lo <= hi {
        e.max(lo).min(hi)
    } else if lo.is_finite() && hi.is_finite() {
        // No point is safe from every winning coalition (a quota at or below one half):
        // the Council's side is where its two pivots meet.
        0.5 * (lo + hi)
    } else {
        // The members without a position win alone: the Council has no side to take.
        e
    };
    let target = 0.5 * (e + council);
    Solution {
        outcome: nearest(target, game.q, &veto.acceptable),
        ..veto
    }
}

/// Builds the game of issue `d`, or says why it cannot be played.
pub fn game(snap: &Snapshot, d: &IssueData, s: &Settings) -> Result<Game, String> {
    let q = d
        .reference
        .ok_or("no reference point (the reversion point)")?;
    let ideal_of = |id: &str| -> Option<(f64, f64, f64)> {
        (0..d.len())
            .find(|k| snap.actor_ids[d.actors[*k]] == id)
            .map(|k| (d.position[k], d.salience[k], d.capability[k]))
    };
    let setter = ideal_of(&s.setter)
        .map(|x| x.0)
        .ok_or_else(|| format!("the agenda setter `{}` has no position", s.setter))?;
    let active = |x: (f64, f64, f64)| (x.1 > 0.0).then_some(x.0);
    let voters: Vec<Voter> = match (&s.rule, s.date.as_ref()) {
        (Rule::Qualified(date), _) | (Rule::Unanimity, Some(date)) => voting::members(*date)
            .into_iter()
            .map(|(code, weight)| Voter {
                id: code.to_string(),
                weight,
                ideal: ideal_of(code).and_then(active),
            })
            .collect(),
        _ => (0..d.len())
            .filter(|k| {
                let id = &snap.actor_ids[d.actors[*k]];
                *id != s.setter && *id != s.parliament
            })
            .map(|k| Voter {
                id: snap.actor_ids[d.actors[k]].clone(),
                weight: d.capability[k],
                ideal: active((d.position[k], d.salience[k], d.capability[k])),
            })
            .collect(),
    };
    let parliament = match s.procedure {
        Procedure::Codecision => ideal_of(&s.parliament).and_then(active),
        Procedure::Consultation => None,
    };
    Ok(Game {
        setter,
        q,
        voters,
        parliament,
        scale: (d.lo, d.hi),
    })
}

/// One issue's game and solution, or why it has none.
type Solved = Result<(Game, Solution), String>;

fn solve_all(snap: &Snapshot, s: &Settings) -> Result<Vec<Solved>, ModelError> {
    let out: Vec<Solved> = snap
        .issues
        .iter()
        .map(|d| {
            game(snap, d, s).map(|g| {
                let sol = if s.conciliation && s.procedure == Procedure::Codecision {
                    conciliation(&g, &s.rule, s.absent_support)
                } else {
                    outcome(&g, &s.rule, s.absent_support)
                };
                (g, sol)
            })
        })
        .collect();
    if let Some(Err(why)) = out.iter().find(|r| r.is_err())
        && out.iter().all(Result::is_err)
    {
        return Err(ModelError::Unsuitable(format!(
            "procedural: no issue can be solved ({why})"
        )));
    }
    Ok(out)
}

/// `(name, value)` for a DEU attribute that every issue carrying it gives the same way.
fn common_attribute(scenario: &Scenario, key: &str) -> Option<String> {
    let mut seen: Option<&String> = None;
    for i in &scenario.issues {
        if let Some(v) = i.attributes.get(key) {
            match seen {
                Some(s) if s != v => return None,
                _ => seen = Some(v),
            }
        }
    }
    seen.cloned()
}

fn rule_label(r: &Rule) -> String {
    match r {
        Rule::Qualified(d) => format!("qmv ({} weights)", Regime::on(*d)),
        Rule::Unanimity => "unanimity".into(),
        Rule::Weighted(q) => format!("weighted (quota {q})"),
    }
}

fn resolved(params: &Params) -> Vec<(String, String)> {
    params
        .resolve(PARAMS, PRESETS)
        .map(|v| v.into_iter().collect())
        .unwrap_or_default()
}

fn issue_details(
    g: &Game,
    sol: &Solution,
    s: &Settings,
) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    let num = |x: Option<f64>| match x {
        Some(v) if v.is_finite() => serde_json::json!(v),
        Some(_) => serde_json::json!("any"),
        None => serde_json::Value::Null,
    };
    m.insert("reversion".into(), g.q.into());
    m.insert(
        "setter".into(),
        serde_json::json!({ "id": s.setter, "ideal": g.setter }),
    );
    m.insert("rule".into(), rule_label(&s.rule).into());
    m.insert("pivot_up".into(), num(sol.pivot_up));
    m.insert("pivot_down".into(), num(sol.pivot_down));
    m.insert(
        "acceptable".into(),
        serde_json::json!(
            sol.acceptable
                .iter()
                .map(|(a, b)| [*a, *b])
                .collect::<Vec<_>>()
        ),
    );
    if let Some(e) = g.parliament {
        m.insert("parliament".into(), e.into());
    }
    m
}

impl Model for Procedural {
    fn name(&self) -> &'static str {
        "procedural"
    }
    fn summary(&self) -> &'static str {
        "EU agenda-setter model: Commission proposes, Council by qualified majority (treaty \
         weights) or unanimity, Parliament vetoes under co-decision, reference point reverts"
    }
    fn parameters(&self) -> &'static [ParamSpec] {
        PARAMS
    }
    fn presets(&self) -> &'static [Preset] {
        PRESETS
    }
    fn scenario_params(&self, scenario: &Scenario) -> Vec<(String, String)> {
        let mut out = Vec::new();
        match common_attribute(scenario, "proc").as_deref() {
            Some("COD") => out.push(("procedure".into(), "codecision".into())),
            Some("CNS") => out.push(("procedure".into(), "consultation".into())),
            _ => {}
        }
        match common_attribute(scenario, "counvte") {
            Some(v) if v.starts_with("QMV") => out.push(("rule".into(), "qmv".into())),
            Some(v) if v.starts_with("Unan") => out.push(("rule".into(), "unanimity".into())),
            _ => {}
        }
        let intro = common_attribute(scenario, "intro");
        let prnr = common_attribute(scenario, "prnr");
        if let Some(Ok((y, m, d))) = intro.map(|t| council::parse_intro(&t, prnr.as_deref())) {
            out.push(("date".into(), format!("{y:04}-{m:02}-{d:02}")));
        }
        out
    }
    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        let s = settings(params)?;
        let mut issues = Vec::new();
        let mut skipped = Vec::new();
        for (d, r) in snap.issues.iter().zip(solve_all(snap, &s)?) {
            let id = snap.issue_ids[d.issue].clone();
            match r {
                Ok((g, sol)) => {
                    let w: Vec<f64> = (0..d.len()).map(|k| d.weight(k)).collect();
                    issues.push(IssueForecast {
                        id,
                        forecast: sol.outcome,
                        mean: stats::weighted_mean(&d.position, &w).unwrap_or(sol.outcome),
                        rounds: vec![baseline::initial_round(snap, d)],
                        details: issue_details(&g, &sol, &s),
                    });
                }
                Err(why) => skipped.push(serde_json::json!({ "issue": id, "reason": why })),
            }
        }
        let mut details = serde_json::Map::new();
        if !skipped.is_empty() {
            details.insert("not_forecast".into(), serde_json::Value::Array(skipped));
        }
        Ok(Forecast {
            model: self.name().into(),
            preset: params.preset.clone(),
            parameters: resolved(params),
            issues,
            details,
        })
    }
    fn forecast_values(
        &self,
        snap: &Snapshot,
        params: &Params,
    ) -> Result<Vec<Option<f64>>, ModelError> {
        let s = settings(params)?;
        Ok(solve_all(snap, &s)?
            .into_iter()
            .map(|r| r.ok().map(|(_, sol)| sol.outcome))
            .collect())
    }
}

#[cfg(test)]
mod tests;
