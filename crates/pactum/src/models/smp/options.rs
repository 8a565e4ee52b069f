//! The named options of the spatial model, each one of KTAB's run-time choices.

use crate::error::ModelError;
use crate::models::params::{self, ParamSpec, Preset};
use std::collections::BTreeMap;

/// How coalition strengths become a probability of victory between two options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VictoryModel {
    /// `p = a / (a + b)`.
    Linear,
    /// Strengths squared before the ratio.
    Square,
    /// Strengths to the fourth power.
    Quartic,
    /// Strengths to the eighth power.
    Octic,
    /// Certain victory beyond a 10% margin, linear in between.
    Binary,
}

/// How pairwise victory probabilities become one probability per option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElectionModel {
    /// Probability that an option beats every other, conditioned on one doing so.
    Conditional,
    /// Markov chain where challenges are made in proportion to coalition support.
    MarkovIncentive,
    /// Markov chain where every option is challenged equally often.
    MarkovUniform,
}

/// Which bargain an actor adopts from its queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The most probable bargain (first one on ties).
    Deterministic,
    /// A bargain drawn with its probability, from the seeded generator.
    Stochastic,
}

/// How the difference in utility between two options becomes a vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VotingRule {
    /// All of the weight for the preferred option (a steep ramp of width 1e-8).
    Binary,
    /// 80% proportional, 20% binary.
    PropBin,
    /// Weight × utility difference.
    Proportional,
    /// Half proportional, half cubic.
    PropCubic,
    /// Weight × (utility difference)³.
    Cubic,
    /// Proportional, with gains counted at two thirds of losses.
    AsymProspect,
}

/// The range risk attitudes are mapped onto from win probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskRange {
    /// `[0, 1]`.
    Min,
    /// `[-1/2, 1]`.
    Mid,
    /// `[-1, 1]`.
    Max,
}

/// How much actor h's estimate of actor i's risk attitude leans on i's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskAdjust {
    /// `r_hi = r_i`.
    Full,
    /// `(r_h + 2 r_i) / 3`.
    TwoThirds,
    /// `(r_h + r_i) / 2`.
    Half,
    /// `(2 r_h + r_i) / 3`.
    OneThird,
    /// `r_hi = r_h`.
    None,
}

/// How committed a third party is to the side it joins in a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThirdParty {
    /// It gets the winner's position in full either way.
    Full,
    /// Joining the initiator keeps some of its own position; joining the target does not.
    Semi,
    /// It keeps some of its own position whichever side it joins.
    None,
}

/// How a bargain's position is interpolated between the two actors on each dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interpolation {
    /// Weights salience × probability.
    S1P1,
    /// Weights salience² × probability².
    S2P2,
    /// Move by the excess probability of the other side, scaled by saliences².
    S2PMax,
}

/// Which bargains a challenge puts in the two actors' queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BargainModel {
    /// Only the initiator's interpolation.
    InitOnly,
    /// The initiator's and the receiver's interpolations, both.
    InitRcvr,
    /// One power-weighted compromise of the two interpolations.
    PowerWeighted,
}

/// Every option of a run, with KTAB's CSV-run defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Victory-probability model (`Linear`).
    pub victory: VictoryModel,
    /// Probabilistic Condorcet election (`Conditional`).
    pub election: ElectionModel,
    /// State transitions (`Deterministic`).
    pub transition: Transition,
    /// Voting rule of coalitions (`Prop`).
    pub voting: VotingRule,
    /// Range of risk attitudes (`Mid`).
    pub risk_range: RiskRange,
    /// Estimate of others' risk attitudes (`OneThird`).
    pub risk_adjust: RiskAdjust,
    /// Third-party commitment (`SemiCommit`).
    pub third_party: ThirdParty,
    /// Bargain interpolation (`S2P2`).
    pub interpolation: Interpolation,
    /// Bargain model (`InitOnlyInterp`).
    pub bargain: BargainModel,
    /// Seed of the ChaCha8 generator used in stochastic mode.
    pub seed: u64,
    /// Stop after this many turns at most (100).
    pub max_turns: usize,
    /// Never stop before this many turns (2).
    pub min_turns: usize,
    /// Stop when a turn moves less than this fraction of the first turn (0.02).
    pub stop_ratio: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            victory: VictoryModel::Linear,
            election: ElectionModel::Conditional,
            transition: Transition::Deterministic,
            voting: VotingRule::Proportional,
            risk_range: RiskRange::Mid,
            risk_adjust: RiskAdjust::OneThird,
            third_party: ThirdParty::Semi,
            interpolation: Interpolation::S2P2,
            bargain: BargainModel::InitOnly,
            seed: 0,
            max_turns: 100,
            min_turns: 2,
            stop_ratio: 0.02,
        }
    }
}

/// The parameters `smp` accepts.
pub const SPECS: &[ParamSpec] = &[
    ParamSpec {
        name: "victory",
        default: "Linear",
        help: "victory probability from coalition strengths a, b: Linear a/(a+b), Square, Quartic, Octic (powers before the ratio), Binary (certain beyond a 10% margin)",
    },
    ParamSpec {
        name: "election",
        default: "Conditional",
        help: "probabilistic Condorcet election: Conditional (beat all others, renormalised), MarkovIncentive, MarkovUniform",
    },
    ParamSpec {
        name: "transition",
        default: "Deterministic",
        help: "Deterministic (each actor adopts its most probable bargain) or Stochastic (drawn with that probability, seeded)",
    },
    ParamSpec {
        name: "voting",
        default: "Prop",
        help: "vote from a utility difference du, weight w: Binary, PropBin, Prop (w·du), PropCbc, Cubic (w·du³), ASymProsp",
    },
    ParamSpec {
        name: "risk_range",
        default: "Mid",
        help: "risk attitudes from win probabilities mapped onto Min [0,1], Mid [-0.5,1] or Max [-1,1]",
    },
    ParamSpec {
        name: "risk_adjust",
        default: "OneThird",
        help: "h's estimate of i's risk attitude: Full (r_i), TwoThirds, Half, OneThird ((2 r_h + r_i)/3), None (r_h)",
    },
    ParamSpec {
        name: "third_party",
        default: "SemiCommit",
        help: "third-party commitment in a challenge: FullCommit, SemiCommit, NoCommit",
    },
    ParamSpec {
        name: "interpolation",
        default: "S2P2",
        help: "bargain position per dimension: S1P1 (weights s·p), S2P2 (s²·p²), S2PMax",
    },
    ParamSpec {
        name: "bargain",
        default: "InitOnlyInterp",
        help: "bargains queued per challenge: InitOnlyInterp, InitRcvrInterp, PWCompInterp",
    },
    ParamSpec {
        name: "seed",
        default: "0",
        help: "seed of the ChaCha8 generator (stochastic transitions only), 0 to 2^64-1",
    },
    ParamSpec {
        name: "max_turns",
        default: "100",
        help: "stop after this many turns (1 to 10000)",
    },
    ParamSpec {
        name: "min_turns",
        default: "2",
        help: "do not stop on small moves before this many turns (1 to 10000)",
    },
    ParamSpec {
        name: "stop_ratio",
        default: "0.02",
        help: "stop when a turn's total movement is below this fraction of the first turn's (0 to 1)",
    },
];

/// Named parameter sets.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "ktab",
        help: "KTAB smpc --csv defaults (the same as pactum's defaults)",
        values: &[],
    },
    Preset {
        name: "markov",
        help: "KTAB defaults with the Markov (incentive) Condorcet election",
        values: &[("election", "MarkovIncentive")],
    },
];

fn pick<T: Copy>(
    values: &BTreeMap<String, String>,
    name: &str,
    table: &[(&'static str, T)],
) -> Result<T, ModelError> {
    let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
    let chosen = params::choice(values, name, &names)?;
    table
        .iter()
        .find(|(n, _)| *n == chosen)
        .map(|(_, v)| *v)
        .ok_or_else(|| ModelError::Parameter {
            name: name.into(),
            message: "internal: choice not in table".into(),
        })
}

impl Options {
    /// Reads options from resolved parameter values.
    pub fn from_values(v: &BTreeMap<String, String>) -> Result<Options, ModelError> {
        use VictoryModel as V;
        let seed_text = v.get("seed").map(String::as_str).unwrap_or("0");
        let seed = seed_text
            .trim()
            .parse::<u64>()
            .map_err(|_| ModelError::Parameter {
                name: "seed".into(),
                message: format!("expected a whole number from 0 to 2^64-1, got `{seed_text}`"),
            })?;
        Ok(Options {
            victory: pick(
                v,
                "victory",
                &[
                    ("Linear", V::Linear),
                    ("Square", V::Square),
                    ("Quartic", V::Quartic),
                    ("Octic", V::Octic),
                    ("Binary", V::Binary),
                ],
            )?,
            election: pick(
                v,
                "election",
                &[
                    ("Conditional", ElectionModel::Conditional),
                    ("MarkovIncentive", ElectionModel::MarkovIncentive),
                    ("MarkovUniform", ElectionModel::MarkovUniform),
                ],
            )?,
            transition: pick(
                v,
                "transition",
                &[
                    ("Deterministic", Transition::Deterministic),
                    ("Stochastic", Transition::Stochastic),
                ],
            )?,
            voting: pick(
                v,
                "voting",
                &[
                    ("Binary", VotingRule::Binary),
                    ("PropBin", VotingRule::PropBin),
                    ("Prop", VotingRule::Proportional),
                    ("PropCbc", VotingRule::PropCubic),
                    ("Cubic", VotingRule::Cubic),
                    ("ASymProsp", VotingRule::AsymProspect),
                ],
            )?,
            risk_range: pick(
                v,
                "risk_range",
                &[
                    ("Min", RiskRange::Min),
                    ("Mid", RiskRange::Mid),
                    ("Max", RiskRange::Max),
                ],
            )?,
            risk_adjust: pick(
                v,
                "risk_adjust",
                &[
                    ("Full", RiskAdjust::Full),
                    ("TwoThirds", RiskAdjust::TwoThirds),
                    ("Half", RiskAdjust::Half),
                    ("OneThird", RiskAdjust::OneThird),
                    ("None", RiskAdjust::None),
                ],
            )?,
            third_party: pick(
                v,
                "third_party",
                &[
                    ("FullCommit", ThirdParty::Full),
                    ("SemiCommit", ThirdParty::Semi),
                    ("NoCommit", ThirdParty::None),
                ],
            )?,
            interpolation: pick(
                v,
                "interpolation",
                &[
                    ("S1P1", Interpolation::S1P1),
                    ("S2P2", Interpolation::S2P2),
                    ("S2PMax", Interpolation::S2PMax),
                ],
            )?,
            bargain: pick(
                v,
                "bargain",
                &[
                    ("InitOnlyInterp", BargainModel::InitOnly),
                    ("InitRcvrInterp", BargainModel::InitRcvr),
                    ("PWCompInterp", BargainModel::PowerWeighted),
                ],
            )?,
            seed,
            max_turns: params::count(v, "max_turns", 1, 10_000)?,
            min_turns: params::count(v, "min_turns", 1, 10_000)?,
            stop_ratio: params::number(v, "stop_ratio", 0.0, 1.0)?,
        })
    }
}
