//! The parameters of the challenge model, their defaults and the named presets.
//!
//! Defaults are the settings of the schelling peer (Q = 1, dynamic range, risk on, exposure
//! from adversaries, conflicts do not move anyone, ≤ 20 rounds, stop when the median moves
//! < 0.5 in 2 consecutive rounds). The `scholz2011` preset switches on every quirk of the
//! jmckib replication of Scholz, Calbert & Smith (2011); see `docs/models/bdm.md`.

use crate::error::ModelError;
use crate::models::params::{self, ParamSpec, Params, Preset};
use std::collections::BTreeMap;

/// What `R`, the range that normalises distances, is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeRule {
    /// Max − min of the current round's positions (Scholz's reading; schelling).
    Dynamic,
    /// The scale, `hi − lo`.
    Fixed,
    /// Max − min of the coded (round 0) positions, kept for every round (jmckib).
    Initial,
}

/// The weight `T` of "things get better" in the no-challenge term (used only when Q < 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TRule {
    /// `T = 1` when the challenger is nearer the median than the target, else 0.
    Median,
    /// `T = 0.5` always.
    Half,
}

/// Whose expected utilities measure an actor's exposure (its security level).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exposure {
    /// Σ over others of what they expect from challenging the actor (Scholz's prose).
    Adversaries,
    /// Σ of what the actor expects from challenging others (a literal reading of the appendix).
    Own,
}

/// What the status quo is for an actor that does not challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusQuo {
    /// Nothing moves: utility of distance 0.
    Own,
    /// The reference point: utility falls with the actor's distance from it.
    Reference,
}

/// How a voter's support in a contest is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteRule {
    /// `w_k (|x_k − x_j| − |x_k − x_i|) / R`: piecewise linear, solved with prefix sums.
    Linear,
    /// `w_k ((|x_k − x_j|/R)^r_k − (|x_k − x_i|/R)^r_k)` with the voter's risk exponent (jmckib).
    Risk,
}

/// The denominator of the win probability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denominator {
    /// Σ |votes| in this contest: `P_ij + P_ji = 1`.
    Contest,
    /// Σ |votes| over every ordered pair of actors (jmckib, "faithful to Scholz's code").
    AllPairs,
}

/// Whose risk exponent prices the two expected utilities of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskView {
    /// Each challenger's own exponent (schelling).
    Challenger,
    /// The receiver of the offer prices both sides with its own exponent (jmckib).
    Receiver,
}

/// Which offer an actor takes when it receives several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptRule {
    /// The offer whose proposer expects most from pressing it (the most enforceable); ties
    /// go to the smallest move, then to the lower position.
    Strongest,
    /// Class priority: a lost conflict (smallest move), else a compromise (smallest
    /// `(|EU_i| x_i + |EU_j| x_j) / (|EU_i| + |EU_j|)`), else a capitulation (smallest
    /// move); ties go to the earlier actor. The rule of Scholz's code as jmckib ports it.
    Scholz,
}

/// Every setting of the model, parsed and checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Probability that the status quo persists when nobody challenges, 0–1.
    pub q: f64,
    /// The `T` rule.
    pub t_rule: TRule,
    /// The range rule.
    pub range: RangeRule,
    /// Whether risk exponents are derived from exposure (a second EU pass).
    pub risk: bool,
    /// Exposure rule for risk.
    pub exposure: Exposure,
    /// Whether the loser of a conflict (both sides expect to gain) moves to the winner.
    pub conflicts_move: bool,
    /// Whether capitulation offers (the loser moves fully) bind.
    pub capitulation: bool,
    /// Round cap (≥ 1).
    pub max_rounds: usize,
    /// Convergence: the median must move less than this (issue units) …
    pub tolerance: f64,
    /// … in this many consecutive rounds.
    pub patience: usize,
    /// Status-quo rule.
    pub status_quo: StatusQuo,
    /// Vote rule.
    pub votes: VoteRule,
    /// Win-probability denominator.
    pub denominator: Denominator,
    /// Risk-exponent viewpoint.
    pub risk_view: RiskView,
    /// Offer-acceptance rule.
    pub accept: AcceptRule,
}

impl Settings {
    /// True when contests can use the O(log n) prefix-sum path.
    pub fn linear_votes(&self) -> bool {
        self.votes == VoteRule::Linear && self.denominator == Denominator::Contest
    }
}

/// The parameters `bdm` accepts.
pub const SPECS: &[ParamSpec] = &[
    ParamSpec {
        name: "q",
        default: "1.0",
        help: "probability Q that the status quo persists if no one challenges, 0-1 (Scholz: 1)",
    },
    ParamSpec {
        name: "t_rule",
        default: "median",
        help: "weight T of 'things get better' when Q < 1: median (1 if the challenger is nearer the median than the target, else 0) or half (0.5)",
    },
    ParamSpec {
        name: "range",
        default: "dynamic",
        help: "distance normaliser R: dynamic (spread of current positions), fixed (the issue's scale), initial (spread of coded positions)",
    },
    ParamSpec {
        name: "risk",
        default: "true",
        help: "derive each actor's risk exponent (0.5-2) from its exposure, then recompute expected utilities",
    },
    ParamSpec {
        name: "exposure",
        default: "adversaries",
        help: "exposure of an actor: adversaries (what others expect from challenging it) or own (what it expects from challenging others)",
    },
    ParamSpec {
        name: "conflicts_move",
        default: "false",
        help: "when both sides expect to gain, the side expecting less moves to the other (false: conflict, nobody moves)",
    },
    ParamSpec {
        name: "capitulation",
        default: "true",
        help: "capitulation offers bind (the side expecting to lose more than the other gains moves fully)",
    },
    ParamSpec {
        name: "max_rounds",
        default: "20",
        help: "round cap, 1-10000",
    },
    ParamSpec {
        name: "tolerance",
        default: "0.5",
        help: "converged when the median moves less than this (issue units) in `patience` consecutive rounds; 0 runs to the cap",
    },
    ParamSpec {
        name: "patience",
        default: "2",
        help: "consecutive small median moves needed to stop, 1-100",
    },
    ParamSpec {
        name: "status_quo",
        default: "own",
        help: "status quo when no one challenges: own (no move) or reference (the issue's reference point; needs one)",
    },
    ParamSpec {
        name: "votes",
        default: "linear",
        help: "votes: linear in distance, or risk (distances raised to the voter's risk exponent; O(n^3))",
    },
    ParamSpec {
        name: "denominator",
        default: "contest",
        help: "win-probability denominator: contest (|votes| in this contest) or all-pairs (|votes| over every pair of actors; O(n^3))",
    },
    ParamSpec {
        name: "risk_view",
        default: "challenger",
        help: "risk exponent pricing a pair's expected utilities: challenger (each its own) or receiver (the offer's receiver prices both)",
    },
    ParamSpec {
        name: "accept",
        default: "strongest",
        help: "offer taken: strongest (proposer expecting most from it) or scholz (conflict > compromise > capitulation, Scholz's keys)",
    },
];

/// Named parameter sets.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "schelling",
        help: "the schelling peer's solver (the defaults, named)",
        values: &[],
    },
    Preset {
        name: "scholz2011",
        help: "the jmckib replication of Scholz, Calbert & Smith (2011) Table 2, quirks included: initial range, risk-weighted votes over an all-pairs denominator, receiver's risk view, no capitulation, Scholz's offer keys, 10 rounds",
        values: &[
            ("range", "initial"),
            ("votes", "risk"),
            ("denominator", "all-pairs"),
            ("risk_view", "receiver"),
            ("capitulation", "false"),
            ("conflicts_move", "true"),
            ("accept", "scholz"),
            ("max_rounds", "10"),
            ("tolerance", "0"),
        ],
    },
];

/// Resolves `params` against [`SPECS`] and [`PRESETS`] and parses every value.
pub fn resolve(params: &Params) -> Result<(Settings, BTreeMap<String, String>), ModelError> {
    let v = params.resolve(SPECS, PRESETS)?;
    let settings = Settings {
        q: params::number(&v, "q", 0.0, 1.0)?,
        t_rule: match params::choice(&v, "t_rule", &["median", "half"])? {
            "half" => TRule::Half,
            _ => TRule::Median,
        },
        range: match params::choice(&v, "range", &["dynamic", "fixed", "initial"])? {
            "fixed" => RangeRule::Fixed,
            "initial" => RangeRule::Initial,
            _ => RangeRule::Dynamic,
        },
        risk: params::flag(&v, "risk")?,
        exposure: match params::choice(&v, "exposure", &["adversaries", "own"])? {
            "own" => Exposure::Own,
            _ => Exposure::Adversaries,
        },
        conflicts_move: params::flag(&v, "conflicts_move")?,
        capitulation: params::flag(&v, "capitulation")?,
        max_rounds: params::count(&v, "max_rounds", 1, 10_000)?,
        tolerance: params::number(&v, "tolerance", 0.0, f64::MAX)?,
        patience: params::count(&v, "patience", 1, 100)?,
        status_quo: match params::choice(&v, "status_quo", &["own", "reference"])? {
            "reference" => StatusQuo::Reference,
            _ => StatusQuo::Own,
        },
        votes: match params::choice(&v, "votes", &["linear", "risk"])? {
            "risk" => VoteRule::Risk,
            _ => VoteRule::Linear,
        },
        denominator: match params::choice(&v, "denominator", &["contest", "all-pairs"])? {
            "all-pairs" => Denominator::AllPairs,
            _ => Denominator::Contest,
        },
        risk_view: match params::choice(&v, "risk_view", &["challenger", "receiver"])? {
            "receiver" => RiskView::Receiver,
            _ => RiskView::Challenger,
        },
        accept: match params::choice(&v, "accept", &["strongest", "scholz"])? {
            "scholz" => AcceptRule::Scholz,
            _ => AcceptRule::Strongest,
        },
    };
    Ok((settings, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_schelling_settings() {
        let (s, _) = resolve(&Params::new()).unwrap();
        assert_eq!(s.q, 1.0);
        assert_eq!(s.range, RangeRule::Dynamic);
        assert!(s.risk && !s.conflicts_move && s.capitulation);
        assert_eq!(s.exposure, Exposure::Adversaries);
        assert_eq!((s.max_rounds, s.tolerance, s.patience), (20, 0.5, 2));
        assert!(s.linear_votes());
    }

    #[test]
    fn preset_then_set_wins() {
        let p = Params {
            preset: Some("scholz2011".into()),
            ..Params::new()
        }
        .set("max_rounds", "3");
        let (s, _) = resolve(&p).unwrap();
        assert_eq!(s.range, RangeRule::Initial);
        assert_eq!(s.max_rounds, 3);
        assert!(!s.linear_votes());
    }

    #[test]
    fn bad_values_are_named() {
        let e = resolve(&Params::new().set("q", "1.5")).unwrap_err();
        assert!(e.to_string().contains("`q`"));
        let e = resolve(&Params::new().set("range", "wide")).unwrap_err();
        assert!(e.to_string().contains("dynamic"));
    }
}
