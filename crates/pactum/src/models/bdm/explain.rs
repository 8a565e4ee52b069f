//! The explanation trace: for one round of one issue, the offers each actor received, the
//! one it took and why (`pactum forecast FILE --model bdm --explain ROUND`).

use super::engine::{OfferKind, RoundTrace, Workspace};
use super::settings::{self, AcceptRule, Settings};
use super::{input_of, issue_id, load};
use crate::error::ModelError;
use crate::models::Params;
use crate::snapshot::Snapshot;
use std::fmt;

/// One offer an actor received.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferExplanation {
    /// The proposer's actor id.
    pub from: String,
    /// The proposer's position, in the issue's units.
    pub from_position: f64,
    /// Conflict, compromise or capitulation.
    pub kind: OfferKind,
    /// Where the receiver would move, in the issue's units.
    pub target: f64,
    /// What the receiver expects from challenging the proposer (utility units, −4 to 4).
    pub own_eu: f64,
    /// What the proposer expects from challenging the receiver (its enforceability).
    pub proposer_eu: f64,
    /// False when the settings make this kind of offer non-binding.
    pub binding: bool,
}

/// What one actor saw and did in one round.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorRoundExplanation {
    /// The actor's id.
    pub actor: String,
    /// Position before the round, in the issue's units.
    pub before: f64,
    /// Position after the round, in the issue's units.
    pub after: f64,
    /// Risk exponent in force (0.5 risk-averse … 2 risk-acceptant; 1 when risk is off).
    pub risk_exponent: f64,
    /// Every offer received, in actor order.
    pub offers: Vec<OfferExplanation>,
    /// Index into `offers` of the one taken.
    pub taken: Option<usize>,
    /// Why that one (or none), in words.
    pub reason: String,
}

/// The trace of one round of one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundExplanation {
    /// The issue's id.
    pub issue: String,
    /// The round (1 = the first round played).
    pub round: usize,
    /// The unit of positions, for display (empty: none). Set it with [`RoundExplanation::in_units`].
    pub unit: String,
    /// Weighted median at the start of the round, in the issue's units.
    pub median_before: f64,
    /// The range `R` normalising distances; 0 means nobody could move.
    pub range: f64,
    /// One entry per participant, in scenario order.
    pub actors: Vec<ActorRoundExplanation>,
}

impl RoundExplanation {
    /// The same explanation, displaying positions in `unit` (e.g. the issue's `scale.unit`).
    pub fn in_units(mut self, unit: &str) -> Self {
        self.unit = unit.to_string();
        self
    }
}

/// Replays issue `issue_index` (its index in `snapshot.issues`) up to `round` (≥ 1) and
/// returns what every actor was offered in that round, what it took and why.
pub fn explain(
    snapshot: &Snapshot,
    params: &Params,
    issue_index: usize,
    round: usize,
) -> Result<RoundExplanation, ModelError> {
    let (set, _) = settings::resolve(params)?;
    let d = snapshot.issues.get(issue_index).ok_or_else(|| {
        ModelError::Unsuitable(format!(
            "issue index {issue_index} is out of range; the scenario has {} issue(s)",
            snapshot.issues.len()
        ))
    })?;
    let id = issue_id(snapshot, d).to_string();
    if round == 0 {
        return Err(ModelError::Unsuitable(
            "round 0 is the coded positions; explain rounds from 1".into(),
        ));
    }
    let input = input_of(snapshot, d, &set)?;
    let mut ws = Workspace::new();
    load(&mut ws, snapshot, d, &input)?;
    let mut trace = RoundTrace::default();
    let (_, played, _) = ws.run(&set, &input, |_, _| {}, Some((round, &mut trace)));
    if round > played {
        return Err(ModelError::Unsuitable(format!(
            "issue `{id}` stopped after {played} round(s); there is no round {round} to explain"
        )));
    }
    let name = |k: usize| {
        d.actors
            .get(k)
            .and_then(|a| snapshot.actor_ids.get(*a))
            .cloned()
            .unwrap_or_default()
    };
    let actors = trace
        .actors
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let offers: Vec<OfferExplanation> = a
                .offers
                .iter()
                .map(|o| OfferExplanation {
                    from: name(o.from),
                    from_position: o.from_position,
                    kind: o.kind,
                    target: o.target,
                    own_eu: o.own_eu,
                    proposer_eu: o.proposer_eu,
                    binding: o.binding,
                })
                .collect();
            let reason = reason(&set, trace.range, &offers, a.taken);
            ActorRoundExplanation {
                actor: name(k),
                before: a.before,
                after: a.after,
                risk_exponent: a.risk_exponent,
                offers,
                taken: a.taken,
                reason,
            }
        })
        .collect();
    Ok(RoundExplanation {
        issue: id,
        round,
        unit: String::new(),
        median_before: trace.median,
        range: trace.range,
        actors,
    })
}

fn reason(set: &Settings, range: f64, offers: &[OfferExplanation], taken: Option<usize>) -> String {
    if range <= 0.0 {
        return "all positions coincide (range 0), so nobody can move".into();
    }
    let binding = offers.iter().filter(|o| o.binding).count();
    let Some(k) = taken else {
        return if offers.is_empty() {
            "no one had the upper hand over it (each pair was a standoff, or it was the stronger side), so it received no offer and stays".into()
        } else {
            format!(
                "none of its {} offer(s) binds under these settings ({}), so it stays",
                offers.len(),
                non_binding_rule(set)
            )
        };
    };
    let o = &offers[k];
    if binding == 1 {
        return format!(
            "it was the only binding offer ({} from {})",
            o.kind.word(),
            o.from
        );
    }
    match set.accept {
        AcceptRule::Strongest => format!(
            "of {binding} binding offers, {} expects most from pressing it (EU {:+.3}), so it is the most enforceable",
            o.from, o.proposer_eu
        ),
        AcceptRule::Scholz => match o.kind {
            OfferKind::Conflict => format!(
                "Scholz's rule: a lost conflict comes first, and of those this one moves it least ({binding} binding offers)"
            ),
            OfferKind::Compromise => format!(
                "Scholz's rule: no lost conflict, so a compromise; this one has the lowest EU-weighted position of the pair ({binding} binding offers)"
            ),
            OfferKind::Capitulation => format!(
                "Scholz's rule: no conflict or compromise, so the capitulation that moves it least ({binding} binding offers)"
            ),
        },
    }
}

fn non_binding_rule(set: &Settings) -> &'static str {
    match (set.conflicts_move, set.capitulation) {
        (false, false) => "conflicts and capitulations move no one",
        (false, true) => "a conflict moves no one: the outcome is uncertain",
        (true, false) => "capitulations are switched off",
        (true, true) => "every offer binds",
    }
}

struct Units<'a>(f64, &'a str);

impl fmt::Display for Units<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.1.is_empty() {
            write!(f, "{:.3}", self.0)
        } else {
            write!(f, "{:.3} {}", self.0, self.1)
        }
    }
}

impl fmt::Display for RoundExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = self.unit.as_str();
        writeln!(
            f,
            "Round {} of issue `{}`: the weighted median stood at {}; distances are measured against a range of {}.",
            self.round,
            self.issue,
            Units(self.median_before, u),
            Units(self.range, u)
        )?;
        for a in &self.actors {
            let moved = if a.after != a.before {
                format!("moved from {} to {}", Units(a.before, u), Units(a.after, u))
            } else {
                format!("stayed at {}", Units(a.before, u))
            };
            writeln!(
                f,
                "- {} {} (risk exponent {:.2}): {}.",
                a.actor, moved, a.risk_exponent, a.reason
            )?;
            for (k, o) in a.offers.iter().enumerate() {
                let mark = if Some(k) == a.taken {
                    "taken"
                } else if o.binding {
                    "declined"
                } else {
                    "not binding"
                };
                writeln!(
                    f,
                    "    {} from {} (at {}): move to {}; {} expects {:+.3} from challenging, {} {:+.3} [{}]",
                    o.kind.word(),
                    o.from,
                    Units(o.from_position, u),
                    Units(o.target, u),
                    o.from,
                    o.proposer_eu,
                    a.actor,
                    o.own_eu,
                    mark
                )?;
            }
        }
        Ok(())
    }
}
