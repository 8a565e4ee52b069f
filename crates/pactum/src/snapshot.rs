//! The numeric view of a validated scenario that models compute on.
//!
//! A [`Snapshot`] resolves every [`crate::scenario::Estimate`] to one number (the mode, or a
//! Monte Carlo draw) and lays the data out as flat vectors, so models do no string look-ups
//! and the uncertainty module can refill it cheaply for each draw.

use crate::scenario::Scenario;
use crate::sides::SideData;

/// One issue as numbers: the actors with a stance on it, their positions, saliences and
/// capabilities, in the scenario's stance order.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueData {
    /// Index of the issue in [`Scenario::issues`].
    pub issue: usize,
    /// Lower end of the scale, in the issue's units.
    pub lo: f64,
    /// Upper end of the scale, in the issue's units.
    pub hi: f64,
    /// Reference point (status quo), in the issue's units.
    pub reference: Option<f64>,
    /// Index into [`Snapshot::actor_ids`] of each participating actor.
    pub actors: Vec<usize>,
    /// Position of each participating actor, in the issue's units.
    pub position: Vec<f64>,
    /// Salience of each participating actor, 0–1.
    pub salience: Vec<f64>,
    /// Capability of each participating actor (≥ 0; only ratios matter).
    pub capability: Vec<f64>,
}

impl IssueData {
    /// Number of participating actors.
    pub fn len(&self) -> usize {
        self.actors.len()
    }

    /// True when no actor takes part (never the case after validation).
    pub fn is_empty(&self) -> bool {
        self.actors.is_empty()
    }

    /// Vote weight `capability × salience` of participant `k`.
    pub fn weight(&self, k: usize) -> f64 {
        self.capability[k] * self.salience[k]
    }
}

/// A scenario with every estimate resolved to a number.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Actor ids, in scenario order.
    pub actor_ids: Vec<String>,
    /// Issue ids, in scenario order.
    pub issue_ids: Vec<String>,
    /// One entry per issue, in scenario order.
    pub issues: Vec<IssueData>,
    /// The sides of a two-level scenario (empty otherwise); see [`crate::sides`].
    pub sides: Vec<SideData>,
}

impl Snapshot {
    /// A one-issue snapshot on `[lo, hi]` (issue `q`, actors `a0`, `a1`, …) from
    /// `(position, salience, capability)` triples, for computing without a [`Scenario`]
    /// (tests, benches, generated cases). Inputs are not validated.
    pub fn single_issue(
        lo: f64,
        hi: f64,
        reference: Option<f64>,
        actors: &[(f64, f64, f64)],
    ) -> Snapshot {
        let n = actors.len();
        Snapshot {
            actor_ids: (0..n).map(|k| format!("a{k}")).collect(),
            issue_ids: vec!["q".into()],
            issues: vec![IssueData {
                issue: 0,
                lo,
                hi,
                reference,
                actors: (0..n).collect(),
                position: actors.iter().map(|a| a.0).collect(),
                salience: actors.iter().map(|a| a.1).collect(),
                capability: actors.iter().map(|a| a.2).collect(),
            }],
            sides: Vec::new(),
        }
    }

    /// The deterministic view: every estimate at its mode.
    ///
    /// The scenario must be validated first; stances on unknown actors or issues are skipped.
    pub fn modes(scenario: &Scenario) -> Snapshot {
        let actor_ids: Vec<String> = scenario.actors.iter().map(|a| a.id.clone()).collect();
        let issue_ids: Vec<String> = scenario.issues.iter().map(|i| i.id.clone()).collect();
        let mut issues: Vec<IssueData> = scenario
            .issues
            .iter()
            .enumerate()
            .map(|(k, i)| IssueData {
                issue: k,
                lo: i.scale.lo,
                hi: i.scale.hi,
                reference: i.reference_point,
                actors: Vec::new(),
                position: Vec::new(),
                salience: Vec::new(),
                capability: Vec::new(),
            })
            .collect();
        // Maps, not a search per stance: linear in the scenario (100k actors took minutes).
        let actor_at: std::collections::HashMap<&str, usize> = actor_ids
            .iter()
            .enumerate()
            .rev()
            .map(|(k, id)| (id.as_str(), k))
            .collect();
        let issue_at: std::collections::HashMap<&str, usize> = issue_ids
            .iter()
            .enumerate()
            .rev()
            .map(|(k, id)| (id.as_str(), k))
            .collect();
        for st in &scenario.stances {
            let (Some(&a), Some(&i)) = (
                actor_at.get(st.actor.as_str()),
                issue_at.get(st.issue.as_str()),
            ) else {
                continue;
            };
            let cap = st.capability.unwrap_or(scenario.actors[a].capability).mode;
            let d = &mut issues[i];
            d.actors.push(a);
            d.position.push(st.position.mode);
            d.salience.push(st.salience.mode);
            d.capability.push(cap);
        }
        let sides = crate::sides::snapshot_sides(scenario, &actor_ids, &issues);
        Snapshot {
            actor_ids,
            issue_ids,
            issues,
            sides,
        }
    }
}
