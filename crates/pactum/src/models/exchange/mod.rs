//! The exchange model (Stokman & Van den Bos 1992; Stokman & Van Oosten 1994), as the Decide
//! tools compute it: actors trade voting positions across pairs of issues they weigh
//! differently, each issue's outcome is the capability × salience weighted mean of voting
//! positions, and preferences drift toward the positions voted.
//!
//! Per round (all on positions normalised to 0–100 per issue, reported in issue units):
//! 1. the outcome of each issue from the current (preference) positions;
//! 2. every feasible exchange: two actors who are on opposite sides of the outcome on both
//!    issues of a pair; the one with the higher relative salience of an issue demands it;
//! 3. each exchange's moves with an equal gain for both (or a random split, `rate=random`),
//!    capped so neither actor overshoots the other's position and no outcome is pushed past
//!    the demanding actor's own position;
//! 4. exchanges are made best-first; each one made updates the others it touches; ties
//!    (gains within 1e-12) go to the exchange listed first (`ties=last`: last), listing
//!    issue pairs in scenario order, then group pairs, then actors in scenario order;
//! 5. the voting outcome of each issue from the voting positions; then each actor who voted
//!    away from its preference moves its preference part of the way:
//!    `x' = x + (fixed_pull + salience_pull × (1 − s)) (y − x)`.
//!
//! Actors without a stance on an issue take no part in it (neither in its outcome nor in
//! exchanges over it); actors with zero capability or salience on an issue count in no
//! exchange over it. Full choices: `docs/models/exchange.md`.

mod decide;
pub(crate) mod engine;
mod explain;
mod pydecimal;
mod pyrandom;

pub use explain::{Concession, Deal, Explanation, RoundStory, explain};

use super::params::{self, ParamSpec, Preset};
use super::{Forecast, IssueForecast, Model, Params, Positions, Round};
use crate::error::ModelError;
use crate::snapshot::Snapshot;
use crate::stats;
pub use engine::Ties;
use engine::{Board, Rate, Stake, Trade};
use serde::Serialize;
use serde_json::{Value, json};

/// The exchange model.
pub struct Exchange;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "rounds",
        default: "10",
        help: "number of rounds of exchanges (1-1000)",
    },
    ParamSpec {
        name: "tolerance",
        default: "0",
        help: "stop early once no issue's outcome moves more than this in a round, in percent of the issue's scale (0: run every round)",
    },
    ParamSpec {
        name: "rate",
        default: "equal",
        help: "how an exchange's gain is split: equal (equal gain) or random (a share drawn per exchange)",
    },
    ParamSpec {
        name: "ties",
        default: "first",
        help: "which of several exchanges with equal gain (within 1e-12) is made first: first or last in the list (issue pairs in scenario order, a-d groups before b-c, then actors in order), or decide: Decide's own rule, in its 28-digit decimals, drawing from CPython's random after random.seed(seed)",
    },
    ParamSpec {
        name: "seed",
        default: "0",
        help: "seed of the ChaCha8 stream used by rate=random; with ties=decide, Python's random.seed(seed)",
    },
    ParamSpec {
        name: "skip",
        default: "1",
        help: "ties=decide only: 32-bit words of Python's random stream used up before round 1 (1: what Decide's command-line program uses while it starts; 0: a script that seeds and runs Decide's model directly)",
    },
    ParamSpec {
        name: "fixed_pull",
        default: "0.1",
        help: "share of the gap to its voting position by which every actor that voted away from its preference shifts it (0-1)",
    },
    ParamSpec {
        name: "salience_pull",
        default: "0.4",
        help: "extra share of that gap, times (1 - salience) (0-1)",
    },
];

const PRESETS: &[Preset] = &[Preset {
    name: "decide",
    help: "the Decide tools' Equal Gain run: 10 rounds, pulls 0.1 and 0.4",
    values: &[
        ("rounds", "10"),
        ("rate", "equal"),
        ("fixed_pull", "0.1"),
        ("salience_pull", "0.4"),
    ],
}];

/// The model's settings, checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Maximum number of rounds.
    pub rounds: usize,
    /// Convergence threshold in percent of the scale; 0 runs every round.
    pub tolerance: f64,
    /// Gain split.
    rate: Rate,
    /// Tie rule.
    pub ties: Ties,
    /// Share of the gap to the voting position every mover shifts its preference.
    pub fixed_pull: f64,
    /// Extra share, times (1 − salience).
    pub salience_pull: f64,
    /// Seed of the random stream (`rate=random`, `ties=decide`).
    seed: u64,
    /// `ties=decide`: words of the Python stream used up before round 1.
    skip: u32,
}

impl Settings {
    /// Reads and checks the parameters.
    pub fn from_params(p: &Params) -> Result<Settings, ModelError> {
        let v = p.resolve(PARAMS, PRESETS)?;
        let seed = params::count(&v, "seed", 0, usize::MAX)? as u64;
        let rate = match params::choice(&v, "rate", &["equal", "random"])? {
            "random" => Rate::Random(seed),
            _ => Rate::Equal,
        };
        let fixed_pull = params::number(&v, "fixed_pull", 0.0, 1.0)?;
        let salience_pull = params::number(&v, "salience_pull", 0.0, 1.0)?;
        if fixed_pull + salience_pull > 1.0 {
            return Err(ModelError::Parameter {
                name: "salience_pull".into(),
                message: format!(
                    "fixed_pull + salience_pull = {} exceeds 1 (an actor would overshoot its vote)",
                    fixed_pull + salience_pull
                ),
            });
        }
        Ok(Settings {
            rounds: params::count(&v, "rounds", 1, 1000)?,
            tolerance: params::number(&v, "tolerance", 0.0, 100.0)?,
            rate,
            ties: match params::choice(&v, "ties", &["first", "last", "decide"])? {
                "last" => Ties::Last,
                "decide" => Ties::Decide,
                _ => Ties::First,
            },
            fixed_pull,
            salience_pull,
            seed,
            skip: params::count(&v, "skip", 0, 1_000_000)? as u32,
        })
        .and_then(Settings::checked)
    }

    fn checked(self) -> Result<Settings, ModelError> {
        if self.ties == Ties::Decide && self.rate != Rate::Equal {
            return Err(ModelError::Parameter {
                name: "ties".into(),
                message: "ties=decide follows Decide's Equal Gain model: it needs rate=equal"
                    .into(),
            });
        }
        Ok(self)
    }
}

/// One side of an exchange made, in issue units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    /// The actor that moves (index into [`Snapshot::actor_ids`]).
    #[serde(skip)]
    pub actor_index: usize,
    /// The issue it moves on (index into [`Snapshot::issue_ids`]).
    #[serde(skip)]
    pub issue_index: usize,
    /// Actor id.
    pub actor: String,
    /// Issue id.
    pub issue: String,
    /// Its voting position before the exchange.
    pub from: f64,
    /// Its voting position after the exchange.
    pub to: f64,
    /// The actor it moves toward (the other party).
    pub toward: String,
    /// The issue's outcome before and after this move, as the two parties see it.
    pub outcome_before: f64,
    /// See `outcome_before`.
    pub outcome_after: f64,
    /// This actor's gain: salience-weighted outcome shifts in percent of the scales
    /// (what it gains on the issue it demands minus what it concedes here).
    pub gain: f64,
}

impl Move {
    /// Actor `who[0]` moving on issue `who[1]` toward actor `who[2]`; `moved` holds its
    /// position before and after and the issue's outcome before and after, all 0–100.
    fn new(snap: &Snapshot, who: [usize; 3], moved: [f64; 4], gain: f64) -> Move {
        let [actor, issue, toward] = who;
        let units = |v: f64| to_units(snap, issue, v);
        Move {
            actor_index: actor,
            issue_index: issue,
            actor: snap.actor_ids[actor].clone(),
            issue: snap.issue_ids[snap.issues[issue].issue].clone(),
            from: units(moved[0]),
            to: units(moved[1]),
            toward: snap.actor_ids[toward].clone(),
            outcome_before: units(moved[2]),
            outcome_after: units(moved[3]),
            gain,
        }
    }
}

/// An exchange made in a round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Made {
    /// 1-based order in which it was made within its round.
    pub rank: usize,
    /// The two sides.
    pub sides: [Move; 2],
}

/// Everything one run computes.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Rounds actually run (≤ the `rounds` parameter).
    pub rounds_run: usize,
    /// Why the run stopped: `round cap`, `converged` or `no exchange`.
    pub stopped: &'static str,
    /// Per issue (snapshot order), per round 0..=rounds_run: the preference outcome.
    pub preference_mds: Vec<Vec<f64>>,
    /// Per issue, per round 1..=rounds_run (index 0 = round 1): the voting outcome.
    pub voting_mds: Vec<Vec<f64>>,
    /// Per round 0..=rounds_run, per issue, per participant: preference positions.
    pub preferences: Vec<Vec<Vec<f64>>>,
    /// Per round 1..=rounds_run, per issue, per participant: voting positions.
    pub votes: Vec<Vec<Vec<f64>>>,
    /// Per round 1..=rounds_run: the exchanges made, in order.
    pub exchanges: Vec<Vec<Made>>,
}

/// Picks among exchanges tied for the highest gain: `(round, made_so_far, tied)` → index
/// into `tied`, or `None` for the tie rule's choice.
pub type TieChooser<'a> = dyn FnMut(usize, usize, &[Made]) -> Option<usize> + 'a;

/// Runs the model and returns its full trace.
pub fn run(snap: &Snapshot, params: &Params) -> Result<Run, ModelError> {
    run_inner(snap, params, None, true)
}

/// Runs the model, letting `choose(round, made_so_far, tied)` pick among exchanges tied for
/// the highest gain (`tied` in tie-rule order, each described as if made now; `None` keeps
/// the tie rule). This replays another program's tie choices, e.g. Decide's random ones.
pub fn run_choosing(
    snap: &Snapshot,
    params: &Params,
    choose: &mut TieChooser<'_>,
) -> Result<Run, ModelError> {
    run_inner(snap, params, Some(choose), true)
}

/// The model's loop. Without `trace`, only the outcomes are recorded (positions and
/// exchanges stay empty): the fast path for Monte Carlo.
fn run_inner(
    snap: &Snapshot,
    params: &Params,
    mut choose: Option<&mut TieChooser<'_>>,
    trace: bool,
) -> Result<Run, ModelError> {
    let set = Settings::from_params(params)?;
    if set.ties == Ties::Decide {
        if choose.is_some() {
            return Err(ModelError::Parameter {
                name: "ties".into(),
                message: "ties=decide makes its own choices: a tie chooser cannot be used with it"
                    .into(),
            });
        }
        return decide::run(snap, &set, trace);
    }
    let mut board = board(snap)?;
    let mut out = Run {
        rounds_run: 0,
        stopped: "round cap",
        preference_mds: vec![Vec::new(); snap.issues.len()],
        voting_mds: vec![Vec::new(); snap.issues.len()],
        preferences: if trace {
            vec![positions(snap, &board)]
        } else {
            Vec::new()
        },
        votes: Vec::new(),
        exchanges: Vec::new(),
    };
    record_outcomes(snap, &board, &mut out.preference_mds);
    for round in 1..=set.rounds {
        let before: Vec<f64> = (0..board.n_issues).map(|k| board.outcome(k)).collect();
        let trades = engine::list_exchanges(&board, set.rate, round);
        let made = {
            let b = &board;
            let mut pick = |so_far: usize, tied: &[&Trade]| {
                let choose = choose.as_mut()?;
                let owned: Vec<Trade> = tied.iter().map(|t| (*t).clone()).collect();
                choose(round, so_far, &describe(snap, b, &owned))
            };
            engine::realise(&board, trades, set.ties, &mut pick)
        };
        let (votes, prefs) = apply(&board, &made, &set);
        if trace {
            out.exchanges.push(describe(snap, &board, &made));
            out.votes.push(positions(snap, &votes));
        }
        record_outcomes(snap, &votes, &mut out.voting_mds);
        board = prefs;
        if trace {
            out.preferences.push(positions(snap, &board));
        }
        record_outcomes(snap, &board, &mut out.preference_mds);
        out.rounds_run = round;
        if made.is_empty() {
            out.stopped = "no exchange";
            break;
        }
        let moved = (0..board.n_issues)
            .map(|k| (board.outcome(k) - before[k]).abs())
            .fold(0.0, f64::max);
        if set.tolerance > 0.0 && moved <= set.tolerance {
            out.stopped = "converged";
            break;
        }
    }
    Ok(out)
}

/// The normalised board of a snapshot.
fn board(snap: &Snapshot) -> Result<Board, ModelError> {
    let (n_actors, n_issues) = (snap.actor_ids.len(), snap.issues.len());
    let mut stakes = vec![None; n_actors * n_issues];
    for (k, d) in snap.issues.iter().enumerate() {
        let width = d.hi - d.lo;
        if !(width > 0.0 && width.is_finite()) {
            return Err(ModelError::Unsuitable(format!(
                "issue `{}`: the scale needs lo < hi",
                snap.issue_ids[d.issue]
            )));
        }
        for (m, &a) in d.actors.iter().enumerate() {
            let w = d.weight(m);
            if !w.is_finite() || w < 0.0 {
                return Err(ModelError::Unsuitable(format!(
                    "issue `{}`: actor `{}` has weight {w}",
                    snap.issue_ids[d.issue], snap.actor_ids[a]
                )));
            }
            stakes[k * n_actors + a] = Some(Stake {
                x: ((d.position[m] - d.lo) / width * 100.0).clamp(0.0, 100.0),
                s: d.salience[m],
                w,
            });
        }
    }
    let mut b = Board {
        n_actors,
        n_issues,
        stakes,
        total_w: vec![0.0; n_issues],
        sum_wx: vec![0.0; n_issues],
    };
    b.refresh();
    for (k, d) in snap.issues.iter().enumerate() {
        if b.total_w[k] <= 0.0 {
            return Err(ModelError::Unsuitable(format!(
                "issue `{}`: every actor has zero capability or salience",
                snap.issue_ids[d.issue]
            )));
        }
    }
    Ok(b)
}

fn to_units(snap: &Snapshot, issue: usize, v: f64) -> f64 {
    let d = &snap.issues[issue];
    d.lo + v * (d.hi - d.lo) / 100.0
}

/// Positions per issue and participant (snapshot order), in issue units.
fn positions(snap: &Snapshot, b: &Board) -> Vec<Vec<f64>> {
    snap.issues
        .iter()
        .enumerate()
        .map(|(k, d)| {
            d.actors
                .iter()
                .map(|&a| to_units(snap, k, b.stake(k, a).map_or(0.0, |s| s.x)))
                .collect()
        })
        .collect()
}

fn record_outcomes(snap: &Snapshot, b: &Board, into: &mut [Vec<f64>]) {
    for (k, v) in into.iter_mut().enumerate() {
        v.push(to_units(snap, k, b.outcome(k)));
    }
}

/// The voting board (positions after the round's exchanges) and the next round's
/// preference board.
fn apply(board: &Board, made: &[Trade], set: &Settings) -> (Board, Board) {
    let mut votes = board.clone();
    let mut prefs = board.clone();
    for t in made {
        for s in [&t.a, &t.b] {
            let slot = s.supply * board.n_actors + s.actor;
            let sal = board.stake(s.supply, s.actor).map_or(0.0, |st| st.s);
            let pull = set.fixed_pull + set.salience_pull * (1.0 - sal);
            if let Some(st) = votes.stakes[slot].as_mut() {
                st.x = s.y;
            }
            if let Some(st) = prefs.stakes[slot].as_mut() {
                st.x = s.start + pull * (s.y - s.start);
            }
        }
    }
    votes.refresh();
    prefs.refresh();
    (votes, prefs)
}

fn describe(snap: &Snapshot, board: &Board, made: &[Trade]) -> Vec<Made> {
    made.iter()
        .enumerate()
        .map(|(r, t)| {
            let (ga, gb) = t.gains(board);
            let side = |s: &engine::Side, other: &engine::Side, gain: f64| {
                let (o0, o1) = t.outcomes(board, s);
                let moved = [s.x, s.y, o0, o1];
                Move::new(snap, [s.actor, s.supply, other.actor], moved, gain)
            };
            Made {
                rank: r + 1,
                sides: [side(&t.a, &t.b, ga), side(&t.b, &t.a, gb)],
            }
        })
        .collect()
}

impl Model for Exchange {
    fn name(&self) -> &'static str {
        "exchange"
    }

    fn summary(&self) -> &'static str {
        "actors trade voting positions across issues they weigh differently (Stokman & Van Oosten 1994, equal gain as in Decide)"
    }

    fn parameters(&self) -> &'static [ParamSpec] {
        PARAMS
    }

    fn presets(&self) -> &'static [Preset] {
        PRESETS
    }

    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        let run = run(snap, params)?;
        let resolved = params.resolve(PARAMS, PRESETS)?;
        let mut issues = Vec::new();
        for (k, d) in snap.issues.iter().enumerate() {
            let ids: Vec<String> = d
                .actors
                .iter()
                .map(|&a| snap.actor_ids[a].clone())
                .collect();
            let weights: Vec<f64> = (0..d.len()).map(|m| d.weight(m)).collect();
            let rounds: Vec<Round> = (0..=run.rounds_run)
                .map(|r| issue_round(&run, k, r, &ids, &weights))
                .collect();
            let forecast = run.preference_mds[k][run.rounds_run];
            issues.push(IssueForecast {
                id: snap.issue_ids[d.issue].clone(),
                forecast,
                mean: forecast,
                rounds,
                details: Default::default(),
            });
        }
        let mut details = serde_json::Map::new();
        details.insert("rounds_run".into(), json!(run.rounds_run));
        details.insert("stopped".into(), json!(run.stopped));
        let exchanges: Vec<Value> = run
            .exchanges
            .iter()
            .enumerate()
            .map(|(r, list)| json!({"round": r + 1, "exchanges": list}))
            .collect();
        details.insert("exchanges".into(), Value::Array(exchanges));
        Ok(Forecast {
            model: self.name().to_string(),
            preset: params.preset.clone(),
            parameters: resolved.into_iter().collect(),
            issues,
            details,
        })
    }

    fn forecast_values(
        &self,
        snap: &Snapshot,
        params: &Params,
    ) -> Result<Vec<Option<f64>>, ModelError> {
        let run = run_inner(snap, params, None, false)?;
        Ok(run
            .preference_mds
            .iter()
            .map(|v| v.last().copied())
            .collect())
    }
}

fn issue_round(run: &Run, k: usize, r: usize, ids: &[String], weights: &[f64]) -> Round {
    let prefs = &run.preferences[r][k];
    let mut details = serde_json::Map::new();
    details.insert("preference_mds".into(), json!(run.preference_mds[k][r]));
    if r >= 1 {
        details.insert("voting_mds".into(), json!(run.voting_mds[k][r - 1]));
        let votes = Positions(
            ids.iter()
                .cloned()
                .zip(run.votes[r - 1][k].iter().copied())
                .collect(),
        );
        details.insert(
            "voting_positions".into(),
            serde_json::to_value(&votes).unwrap_or(Value::Null),
        );
    }
    Round {
        round: r,
        median: stats::weighted_median(prefs, weights).unwrap_or(run.preference_mds[k][r]),
        mean: run.preference_mds[k][r],
        positions: Positions(ids.iter().cloned().zip(prefs.iter().copied()).collect()),
        details,
    }
}

#[cfg(test)]
mod tests;
