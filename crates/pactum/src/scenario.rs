//! The scenario model: actors, issues and their stances, as an analyst codes them.
//!
//! A [`Scenario`] is built by a reader (see [`crate::io`]) and checked by
//! [`Scenario::validate`]; models only ever see validated scenarios, through the numeric
//! [`crate::snapshot::Snapshot`] view.

use crate::error::{InputError, Location};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A coded number: a point, or a `{low, mode, high}` range when the analyst is unsure.
///
/// A point has `low == mode == high`. Ranges are drawn triangular (or PERT) by the
/// Monte Carlo in [`crate::uncertainty`]; every deterministic model uses `mode`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Smallest plausible value.
    pub low: f64,
    /// Most likely value (used by deterministic runs).
    pub mode: f64,
    /// Largest plausible value.
    pub high: f64,
}

impl Estimate {
    /// An exactly known number.
    pub fn point(x: f64) -> Self {
        Estimate {
            low: x,
            mode: x,
            high: x,
        }
    }

    /// A range; not checked here (see [`Estimate::check`]).
    pub fn range(low: f64, mode: f64, high: f64) -> Self {
        Estimate { low, mode, high }
    }

    /// True when `low == mode == high`.
    pub fn is_point(&self) -> bool {
        self.low == self.mode && self.mode == self.high
    }

    /// The same estimate with every number multiplied by `k` (for rescaling units).
    pub fn scaled(&self, k: f64) -> Self {
        Estimate::range(self.low * k, self.mode * k, self.high * k)
    }

    /// Checks finiteness, `low <= mode <= high` and that all lie in `[min, max]`.
    /// Returns a message describing the first problem.
    pub fn check(&self, min: f64, max: f64, what: &str) -> Result<(), String> {
        for (name, v) in [("low", self.low), ("mode", self.mode), ("high", self.high)] {
            if !v.is_finite() {
                return Err(format!("{what} {name} is {v}; expected a finite number"));
            }
        }
        if self.low > self.mode || self.mode > self.high {
            return Err(format!(
                "{what} range must satisfy low <= mode <= high, got low = {}, mode = {}, high = {}",
                self.low, self.mode, self.high
            ));
        }
        if self.low < min || self.high > max {
            let shown = if self.is_point() {
                format!("{}", self.mode)
            } else {
                format!("[{}, {}]", self.low, self.high)
            };
            return Err(format!("{what} {shown} is outside [{min}, {max}]"));
        }
        Ok(())
    }
}

impl Serialize for Estimate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_point() {
            s.serialize_f64(self.mode)
        } else {
            use serde::ser::SerializeStruct;
            let mut st = s.serialize_struct("Estimate", 3)?;
            st.serialize_field("low", &self.low)?;
            st.serialize_field("mode", &self.mode)?;
            st.serialize_field("high", &self.high)?;
            st.end()
        }
    }
}

impl<'de> Deserialize<'de> for Estimate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(f64),
            Int(i64),
            Range(RawRange),
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawRange {
            low: f64,
            mode: Option<f64>,
            high: f64,
        }
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "expected a number or a table { low = .., mode = .., high = .. } (mode optional: midpoint)",
            )
        })? {
            Raw::Number(x) => Ok(Estimate::point(x)),
            Raw::Int(x) => Ok(Estimate::point(x as f64)),
            Raw::Range(r) => Ok(Estimate::range(
                r.low,
                r.mode.unwrap_or((r.low + r.high) / 2.0),
                r.high,
            )),
        }
    }
}

/// A party to the negotiation: a government, agency, firm, caucus or person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Short unique identifier used in stances and output, e.g. `us-treasury`.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Capability (clout): any non-negative scale; only ratios between actors matter.
    pub capability: Estimate,
    /// Optional group, e.g. the country a domestic actor belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Where the coding comes from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Free-text reasoning behind the coding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Where the actor was defined in its input file (not serialised).
    #[serde(skip)]
    pub origin: Location,
}

impl Actor {
    /// The display name, or the id when no name is given.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

/// The scale on which positions on an issue are measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Lower end, in `unit`.
    pub lo: f64,
    /// Upper end, in `unit` (must exceed `lo`).
    pub hi: f64,
    /// The unit of positions, e.g. `%`, `years`, `tonnes`, `0-100`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// What a position at `lo` means.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lo_label: String,
    /// What a position at `hi` means.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hi_label: String,
}

impl Scale {
    /// A scale from `lo` to `hi` (the issue's own units) with no unit or end labels.
    pub fn new(lo: f64, hi: f64) -> Self {
        Scale {
            lo,
            hi,
            unit: String::new(),
            lo_label: String::new(),
            hi_label: String::new(),
        }
    }

    /// The same scale measured in `unit` (e.g. `%`, `years`).
    pub fn with_unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = unit.into();
        self
    }

    /// The same scale with labels for its low and high ends.
    pub fn with_labels(mut self, lo_label: impl Into<String>, hi_label: impl Into<String>) -> Self {
        self.lo_label = lo_label.into();
        self.hi_label = hi_label.into();
        self
    }

    /// Maps `x` in the scale's units to 0–100.
    pub fn to_percent(&self, x: f64) -> f64 {
        (x - self.lo) / (self.hi - self.lo) * 100.0
    }
}

/// What actually happened on an issue, for scoring forecasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// The outcome, in the issue's units.
    pub value: f64,
    /// When it was decided (free text, ISO date preferred).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Where it is documented.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Reliability notes and coding choices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// One contested question with a scale of possible outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// Short unique identifier, e.g. `beef-tariff`.
    pub id: String,
    /// The question in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub question: String,
    /// The scale of positions.
    pub scale: Scale,
    /// The status quo / reference point, in the issue's units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_point: Option<f64>,
    /// The known outcome, when scoring a past negotiation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Where the issue's framing comes from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Free-text notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Free-form attributes carried from the source dataset (e.g. DEU procedure `proc = "COD"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// Where the issue was defined in its input file (not serialised).
    #[serde(skip)]
    pub origin: Location,
}

impl Issue {
    /// An issue `id` on `scale`, with no question, reference point, outcome or sources yet.
    pub fn new(id: impl Into<String>, scale: Scale) -> Self {
        Issue {
            id: id.into(),
            question: String::new(),
            scale,
            reference_point: None,
            outcome: None,
            sources: Vec::new(),
            notes: None,
            attributes: BTreeMap::new(),
            origin: Location::default(),
        }
    }
}

/// What one actor wants on one issue and how much it cares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stance {
    /// The actor's id.
    pub actor: String,
    /// The issue's id.
    pub issue: String,
    /// Preferred outcome, in the issue's units, within its scale.
    pub position: Estimate,
    /// Salience: 0 (indifferent) to 1 (the issue dominates everything else).
    pub salience: Estimate,
    /// Issue-specific capability overriding the actor's (Decide files carry one per issue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability: Option<Estimate>,
    /// Where the coding comes from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Free-text reasoning behind the coding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Where the stance was defined in its input file (not serialised).
    #[serde(skip)]
    pub origin: Location,
}

/// A negotiation (or a system of linked negotiations) as coded at one moment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the scenario is about.
    #[serde(default)]
    pub title: String,
    /// The date the inputs are frozen at (nothing later may inform them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frozen_at: Option<String>,
    /// Who coded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Free-text notes, attribution and licence of the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Sources for the scenario as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The actors.
    #[serde(default)]
    pub actors: Vec<Actor>,
    /// The issues.
    #[serde(default)]
    pub issues: Vec<Issue>,
    /// Each actor's stance on each issue it takes part in.
    #[serde(default)]
    pub stances: Vec<Stance>,
    /// Model parameters stored with the scenario: model name → parameter → value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub models: BTreeMap<String, BTreeMap<String, toml::Value>>,
    /// The sides of a two-level negotiation (negotiator, domestic arena, ratification rule);
    /// empty for an ordinary, one-level scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sides: Vec<Side>,
}

/// One side of a two-level negotiation (Putnam 1988): the negotiator who bargains at the
/// international table, the domestic actors of its arena, and the rule by which the arena
/// ratifies a deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Side {
    /// Short unique identifier, e.g. `us`.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The actor who negotiates for the side at the international table.
    pub negotiator: String,
    /// The domestic actors (besides the negotiator): one list for every issue, or a table
    /// issue id → list. An actor takes part on an issue only where it has a stance.
    #[serde(default, skip_serializing_if = "Members::is_empty")]
    pub members: Members,
    /// How the domestic arena ratifies a deal; `None`: no ratification (the arena only
    /// sets the negotiator's mandate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratification: Option<Ratification>,
    /// Where the coding comes from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Free-text reasoning behind the coding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Where the side was defined in its input file (not serialised).
    #[serde(skip)]
    pub origin: Location,
}

/// The domestic actors of a side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Members {
    /// The same actors on every issue the negotiator takes part in.
    All(Vec<String>),
    /// Issue id → the actors on that issue; the side takes part only on these issues.
    PerIssue(BTreeMap<String, Vec<String>>),
}

impl Default for Members {
    fn default() -> Self {
        Members::All(Vec::new())
    }
}

impl Members {
    /// True when no member is listed (an empty list; a per-issue table is never empty).
    pub fn is_empty(&self) -> bool {
        matches!(self, Members::All(v) if v.is_empty())
    }
}

/// A ratification rule: the deal must beat the reversion point for a weighted share of the
/// arena (`threshold`), for every veto player (`veto`), or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ratification {
    /// Share of the arena's weight (capability × salience, negotiator included) that must
    /// prefer the deal to the reversion point, 0–1 (e.g. 0.5, a simple majority).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Actors of the side (negotiator or members) each of whom must prefer the deal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub veto: Vec<String>,
}

impl Side {
    /// The ids of the issues the side takes part in, in scenario order: the issues of its
    /// per-issue member table, or every issue on which its negotiator has a stance.
    pub fn issues<'a>(&'a self, scenario: &'a Scenario) -> Vec<&'a str> {
        scenario
            .issues
            .iter()
            .map(|i| i.id.as_str())
            .filter(|id| match &self.members {
                Members::PerIssue(m) => m.contains_key(*id),
                Members::All(_) => scenario.stances_on(id).any(|s| s.actor == self.negotiator),
            })
            .collect()
    }

    /// The members listed for `issue` (whether or not they have a stance on it).
    pub fn members_on(&self, issue: &str) -> &[String] {
        match &self.members {
            Members::All(v) => v,
            Members::PerIssue(m) => m.get(issue).map(Vec::as_slice).unwrap_or(&[]),
        }
    }
}

impl Scenario {
    /// The actor with this id.
    pub fn actor(&self, id: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.id == id)
    }

    /// The issue with this id.
    pub fn issue(&self, id: &str) -> Option<&Issue> {
        self.issues.iter().find(|i| i.id == id)
    }

    /// Stances on the issue with this id, in file order.
    pub fn stances_on<'a>(&'a self, issue: &'a str) -> impl Iterator<Item = &'a Stance> + 'a {
        self.stances.iter().filter(move |s| s.issue == issue)
    }

    /// Checks everything a model relies on; the first problem found is returned,
    /// located at the offending actor, issue or stance (the first of [`Scenario::problems`]).
    pub fn validate(&self) -> Result<(), InputError> {
        match self.problems().into_iter().next() {
            Some(p) => Err(p.error),
            None => Ok(()),
        }
    }

    /// Every problem [`Scenario::validate`] would refuse, in the order it checks them, each
    /// with the actor, issue and field it concerns (for an editor to show beside the
    /// field). Empty when the scenario is valid. The sides of a two-level scenario are
    /// checked only when everything else is valid, and give at most one problem.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Problems::default();
        let file_loc = self
            .actors
            .first()
            .map(|a| Location::file(a.origin.file.clone()))
            .unwrap_or_default();
        if self.actors.is_empty() {
            out.push(
                Target::field("actors"),
                InputError::new(file_loc.clone(), "the scenario has no actors")
                    .hint("add at least two [[actors]] with id and capability"),
            );
        }
        if self.issues.is_empty() {
            out.push(
                Target::field("issues"),
                InputError::new(file_loc, "the scenario has no issues")
                    .hint("add an [[issues]] table with id and scale"),
            );
        }
        self.validate_actors(&mut out);
        self.validate_issues(&mut out);
        self.validate_stances(&mut out);
        self.validate_participation(&mut out);
        if out.0.is_empty()
            && let Err(e) = crate::sides::validate(self)
        {
            out.push(Target::field("sides"), e);
        }
        out.0
    }

    fn validate_actors(&self, out: &mut Problems) {
        let mut seen = HashSet::new();
        for a in &self.actors {
            let at = |field: &str| Target::actor(&a.id, field);
            if let Err(e) = check_id(&a.id, &a.origin.with_field("id")) {
                out.push(at("id"), e);
            } else if !seen.insert(a.id.as_str()) {
                out.push(
                    at("id"),
                    InputError::new(
                        a.origin.with_field("id"),
                        format!(
                            "duplicate actor id `{}`; each actor needs a unique id",
                            a.id
                        ),
                    ),
                );
            }
            if let Err(m) = a.capability.check(0.0, f64::MAX, "capability") {
                out.push(
                    at("capability"),
                    InputError::new(a.origin.with_field("capability"), m),
                );
            }
        }
        if let Some(first) = self.actors.first()
            && self.actors.iter().all(|a| a.capability.high <= 0.0)
        {
            out.push(
                Target::actor(&first.id, "capability"),
                InputError::new(
                    first.origin.with_field("capability"),
                    "every actor has zero capability; at least one must be positive",
                ),
            );
        }
    }

    fn validate_issues(&self, out: &mut Problems) {
        let mut seen = HashSet::new();
        for i in &self.issues {
            let at = |field: &str| Target::issue(&i.id, field);
            if let Err(e) = check_id(&i.id, &i.origin.with_field("id")) {
                out.push(at("id"), e);
            } else if !seen.insert(i.id.as_str()) {
                out.push(
                    at("id"),
                    InputError::new(
                        i.origin.with_field("id"),
                        format!(
                            "duplicate issue id `{}`; each issue needs a unique id",
                            i.id
                        ),
                    ),
                );
            }
            let s = &i.scale;
            if !s.lo.is_finite() || !s.hi.is_finite() || s.lo >= s.hi {
                out.push(
                    at("scale"),
                    InputError::new(
                        i.origin.with_field("scale"),
                        format!(
                            "scale must have finite lo < hi, got lo = {}, hi = {}",
                            s.lo, s.hi
                        ),
                    ),
                );
                continue;
            }
            if !(s.hi - s.lo).is_finite() {
                out.push(at("scale"), InputError::new(
                    i.origin.with_field("scale"),
                    format!(
                        "scale width hi - lo overflows (lo = {:?}, hi = {:?}); models divide by it",
                        s.lo, s.hi
                    ),
                )
                .hint("code the issue in smaller units so that hi - lo is a finite number"));
            }
            if let Some(r) = i.reference_point
                && let Err(m) = Estimate::point(r).check(s.lo, s.hi, "reference point")
            {
                out.push(
                    at("reference_point"),
                    InputError::new(i.origin.with_field("reference_point"), m),
                );
            }
            if let Some(o) = &i.outcome
                && !o.value.is_finite()
            {
                out.push(
                    at("outcome.value"),
                    InputError::new(
                        i.origin.with_field("outcome.value"),
                        format!("outcome is {}; expected a finite number", o.value),
                    ),
                );
            }
        }
    }

    fn validate_stances(&self, out: &mut Problems) {
        let issues: HashMap<&str, &Issue> =
            self.issues.iter().map(|i| (i.id.as_str(), i)).collect();
        let actors: HashSet<&str> = self.actors.iter().map(|a| a.id.as_str()).collect();
        let mut pairs = HashSet::new();
        for st in &self.stances {
            let at = |field: &str| Target::stance(&st.actor, &st.issue, field);
            if !actors.contains(st.actor.as_str()) {
                out.push(
                    at("actor"),
                    InputError::new(
                        st.origin.with_field("actor"),
                        format!("stance for unknown actor `{}`", st.actor),
                    )
                    .hint(format!(
                        "known actors: {}",
                        join_ids(self.actors.iter().map(|a| &a.id))
                    )),
                );
                continue;
            }
            let Some(issue) = issues.get(st.issue.as_str()) else {
                out.push(
                    at("issue"),
                    InputError::new(
                        st.origin.with_field("issue"),
                        format!("stance on unknown issue `{}`", st.issue),
                    )
                    .hint(format!(
                        "known issues: {}",
                        join_ids(self.issues.iter().map(|i| &i.id))
                    )),
                );
                continue;
            };
            if !pairs.insert((st.actor.as_str(), st.issue.as_str())) {
                out.push(
                    at("actor"),
                    InputError::new(
                        st.origin.with_field("actor"),
                        format!(
                            "duplicate stance of `{}` on `{}`; give one stance per actor and issue",
                            st.actor, st.issue
                        ),
                    ),
                );
                continue;
            }
            if let Err(m) = st
                .position
                .check(issue.scale.lo, issue.scale.hi, "position")
            {
                out.push(at("position"), InputError::new(st.origin.with_field("position"), m).hint(format!(
                    "positions are in the issue's units ({}); widen the issue's scale if this is intended",
                    if issue.scale.unit.is_empty() { "no unit given" } else { &issue.scale.unit }
                )));
            }
            if let Err(m) = st.salience.check(0.0, 1.0, "salience") {
                out.push(at("salience"), InputError::new(st.origin.with_field("salience"), m)
                    .hint("salience is 0-1; for a 0-100 coding set `salience_scale = 100` at the top of the file"));
            }
            if let Some(c) = &st.capability
                && let Err(m) = c.check(0.0, f64::MAX, "capability")
            {
                out.push(
                    at("capability"),
                    InputError::new(st.origin.with_field("capability"), m),
                );
            }
        }
    }

    /// Every issue needs two stances and some weight, and its weights must stay finite in
    /// the models' sums. One pass over the stances: linear in the scenario's size.
    fn validate_participation(&self, out: &mut Problems) {
        let capability: HashMap<&str, Estimate> = self
            .actors
            .iter()
            .map(|a| (a.id.as_str(), a.capability))
            .collect();
        let index: HashMap<&str, usize> = self
            .issues
            .iter()
            .enumerate()
            .map(|(k, i)| (i.id.as_str(), k))
            .collect();
        let mut tally = vec![Tally::default(); self.issues.len()];
        for s in &self.stances {
            let Some(&k) = index.get(s.issue.as_str()) else {
                continue;
            };
            let cap = s
                .capability
                .or_else(|| capability.get(s.actor.as_str()).copied())
                .unwrap_or(Estimate::point(0.0));
            let t = &mut tally[k];
            t.stances += 1;
            t.any_weight |= s.salience.high > 0.0 && cap.high > 0.0;
            t.weight += cap.high * s.salience.high;
        }
        for (i, t) in self.issues.iter().zip(&tally) {
            if let Err(e) = check_tally(i, t) {
                let field = e.location.field.clone().unwrap_or_default();
                out.push(Target::issue(&i.id, &field), e);
            }
        }
        let total: f64 = self.actors.iter().map(|a| a.capability.high).sum();
        if let Some(first) = self.actors.first()
            && total > MAX_TOTAL
        {
            out.push(Target::field("capability"), InputError::new(
                first.origin.with_field("capability"),
                format!(
                    "the actors' capabilities add up to {total:e}, beyond {MAX_TOTAL:e}, so the models' sums would overflow"
                ),
            )
            .hint("only ratios of capability matter; divide every capability by the same factor"));
        }
    }
}

/// What a validation problem concerns, in the scenario's own terms: an actor, an issue,
/// both (a stance), or neither (the scenario as a whole), and the field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Target {
    /// The actor's id, for a problem of an actor or a stance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The issue's id, for a problem of an issue or a stance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// The field: `id`, `capability`, `scale`, `reference_point`, `outcome.value`,
    /// `position`, `salience`, `actor`, `issue`, `stances`, `stances.salience`,
    /// `stances.capability`, `actors`, `issues` or `sides`.
    pub field: String,
}

impl Target {
    fn field(field: &str) -> Self {
        Target {
            field: field.into(),
            ..Target::default()
        }
    }

    fn actor(actor: &str, field: &str) -> Self {
        Target {
            actor: Some(actor.into()),
            ..Target::field(field)
        }
    }

    fn issue(issue: &str, field: &str) -> Self {
        Target {
            issue: Some(issue.into()),
            ..Target::field(field)
        }
    }

    fn stance(actor: &str, issue: &str, field: &str) -> Self {
        Target {
            actor: Some(actor.into()),
            issue: Some(issue.into()),
            field: field.into(),
        }
    }
}

/// One problem found by [`Scenario::problems`]: what it concerns and the error
/// [`Scenario::validate`] gives for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The actor, issue and field concerned.
    pub target: Target,
    /// The error, located in the input file as [`Scenario::validate`] locates it.
    pub error: InputError,
}

/// The problems found so far.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, target: Target, error: InputError) {
        self.0.push(Problem { target, error });
    }
}

/// Largest total a model may sum (capabilities, capability × salience × position): far
/// below `f64::MAX` so that the few further bounded factors models multiply in stay finite.
pub const MAX_TOTAL: f64 = 1e300;

/// What one pass over the stances learns about one issue.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    stances: usize,
    any_weight: bool,
    /// Σ capability × salience (upper ends of ranges).
    weight: f64,
}

fn check_tally(i: &Issue, t: &Tally) -> Result<(), InputError> {
    if t.stances < 2 {
        return Err(InputError::new(
            i.origin.with_field("stances"),
            format!(
                "issue `{}` has {} stance(s); a negotiation needs at least two actors",
                i.id, t.stances
            ),
        ));
    }
    if !t.any_weight {
        return Err(InputError::new(
            i.origin.with_field("stances.salience"),
            format!(
                "on issue `{}` every actor has zero salience or zero capability, so no forecast is defined",
                i.id
            ),
        ));
    }
    let magnitude = i.scale.lo.abs().max(i.scale.hi.abs()).max(1.0);
    let weighted = t.weight * magnitude;
    if weighted > MAX_TOTAL {
        return Err(InputError::new(
            i.origin.with_field("stances.capability"),
            format!(
                "on issue `{}` capability × salience × position adds up to {weighted:e}, beyond {MAX_TOTAL:e}, so the models' weighted sums would overflow",
                i.id
            ),
        )
        .hint("only ratios of capability matter; divide every capability by the same factor, or code the scale in smaller units"));
    }
    Ok(())
}

fn join_ids<'a>(ids: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<&str> = ids.map(String::as_str).take(12).collect();
    v.join(", ")
}

fn check_id(id: &str, loc: &Location) -> Result<(), InputError> {
    if id.trim().is_empty() {
        return Err(InputError::new(
            loc.clone(),
            "id is empty; expected a short name",
        ));
    }
    if id.chars().any(|c| c.is_control()) {
        return Err(InputError::new(
            loc.clone(),
            "id contains control characters",
        ));
    }
    Ok(())
}
