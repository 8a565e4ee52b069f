//! The exchanges of a run as data and as sentences, for `pactum forecast --explain`.

use super::{Made, Params, run};
use crate::error::ModelError;
use crate::scenario::Scenario;
use crate::snapshot::Snapshot;
use serde::Serialize;
use std::fmt;

/// One actor's concession in an exchange, with names and units for reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concession {
    /// The actor's id.
    pub actor_id: String,
    /// The actor's name (its id when it has none).
    pub actor: String,
    /// The issue's id.
    pub issue: String,
    /// The issue's unit (`points` when the scale has none).
    pub unit: String,
    /// Voting position before and after, in the issue's units.
    pub from: f64,
    /// See `from`.
    pub to: f64,
    /// The name of the actor it moves toward.
    pub toward: String,
    /// The id of the actor it moves toward.
    pub toward_id: String,
    /// Its gain from the whole exchange (salience-weighted outcome shifts, percent of scale).
    pub gain: f64,
}

impl Concession {
    /// How far it moves, in the issue's units.
    pub fn distance(&self) -> f64 {
        (self.to - self.from).abs()
    }
}

impl fmt::Display for Concession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} moves {} {} on {} toward {} (from {} to {})",
            self.actor,
            short(self.distance()),
            self.unit,
            self.issue,
            self.toward,
            short(self.from),
            short(self.to)
        )
    }
}

/// An exchange made: two concessions on two issues.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deal {
    /// 1-based order within its round.
    pub rank: usize,
    /// The two sides.
    pub sides: [Concession; 2],
}

impl fmt::Display for Deal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b] = &self.sides;
        write!(f, "{a}; {b}; ")?;
        if (a.gain - b.gain).abs() <= 1e-9 * a.gain.abs().max(1.0) {
            write!(f, "each gains {}", short(a.gain))
        } else {
            write!(
                f,
                "{} gains {}, {} gains {}",
                a.actor,
                short(a.gain),
                b.actor,
                short(b.gain)
            )
        }
    }
}

/// The exchanges of one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundStory {
    /// Round number, from 1.
    pub round: usize,
    /// The exchanges in the order made.
    pub deals: Vec<Deal>,
}

impl fmt::Display for RoundStory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.deals.is_empty() {
            return writeln!(f, "Round {}: no exchange is worth making.", self.round);
        }
        writeln!(f, "Round {}: {} exchanges.", self.round, self.deals.len())?;
        for d in &self.deals {
            writeln!(f, "  {}. {d}.", d.rank)?;
        }
        Ok(())
    }
}

/// Every round's exchanges of a run of the exchange model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// One entry per round run.
    pub rounds: Vec<RoundStory>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in &self.rounds {
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

/// Runs the exchange model on `scenario` (validated) and tells which exchanges were made.
pub fn explain(scenario: &Scenario, params: &Params) -> Result<Explanation, ModelError> {
    let snap = Snapshot::modes(scenario);
    let run = run(&snap, params)?;
    let name = |k: usize| scenario.actors[k].label().to_string();
    let concession = |m: &super::Move, other: &super::Move| {
        let issue = &scenario.issues[snap.issues[m.issue_index].issue];
        Concession {
            actor_id: m.actor.clone(),
            actor: name(m.actor_index),
            issue: issue.id.clone(),
            unit: if issue.scale.unit.is_empty() {
                "points".to_string()
            } else {
                issue.scale.unit.clone()
            },
            from: m.from,
            to: m.to,
            toward: name(other.actor_index),
            toward_id: other.actor.clone(),
            gain: m.gain,
        }
    };
    let deal = |d: &Made| Deal {
        rank: d.rank,
        sides: [
            concession(&d.sides[0], &d.sides[1]),
            concession(&d.sides[1], &d.sides[0]),
        ],
    };
    Ok(Explanation {
        rounds: run
            .exchanges
            .iter()
            .enumerate()
            .map(|(r, list)| RoundStory {
                round: r + 1,
                deals: list.iter().map(deal).collect(),
            })
            .collect(),
    })
}

/// A number with at most 3 decimals and no trailing zeros.
fn short(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}
