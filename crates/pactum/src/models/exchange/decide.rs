//! `ties=decide`: the round as the Decide tools compute it, number for number.
//!
//! The equations are those of [`super::engine`]; what differs is everything that decides
//! *which* exchange is made when gains tie:
//! - arithmetic in 28-digit decimals ([`Dec`]) in Decide's order of operations, so that two
//!   gains equal on paper differ (or not) in their last digit exactly as in Decide;
//! - Decide's list: every exchange listed (valid or not) in its order, sorted by gain before
//!   each pick with a stable sort; when the first two have gains within 1e-20, one draw of
//!   CPython's `random.random()` ([`PyRandom`]): at 0.5 or more the second is made and the
//!   first goes to the end of the list, otherwise the first is made and the second is
//!   *added* to the end (it is then in the list twice);
//! - an exchange in the list twice is recomputed twice, and once made it may be recomputed
//!   against itself; the positions applied at the end of the round are those the exchange
//!   objects hold then, and only the exchanges still valid then are reported.
//!
//! See `docs/models/exchange.md`, "Decide-exact ties".

use super::pydecimal::Dec;
use super::pyrandom::PyRandom;
use super::{Made, Move, Run, Settings, to_units};
use crate::error::ModelError;
use crate::snapshot::Snapshot;

/// One actor's stake in one issue: position normalised to 0–100, salience, power.
#[derive(Clone, Debug)]
pub(crate) struct Stake {
    pub x: Dec,
    pub s: Dec,
    pub c: Dec,
}

/// The positions at the start of a round, in Decide's numbers.
#[derive(Clone, Debug)]
pub(crate) struct Board {
    pub n_actors: usize,
    /// `stakes[issue][actor]`.
    pub stakes: Vec<Vec<Option<Stake>>>,
    /// Per issue, its actors in the order their stances were given (Decide sums in it).
    pub order: Vec<Vec<usize>>,
    /// Per issue, Σ salience × power.
    pub denom: Vec<Dec>,
}

impl Board {
    fn stake(&self, k: usize, a: usize) -> &Stake {
        // Exchanges only involve actors with a stance on both issues.
        self.stakes[k][a]
            .as_ref()
            .expect("a stance of a trading actor")
    }

    /// Σ salience × power of issue `k`, summed in stance order.
    pub fn refresh(&mut self) {
        self.denom = (0..self.stakes.len())
            .map(|k| {
                self.order[k].iter().fold(Dec::zero(), |acc, &a| {
                    let st = self.stake(k, a);
                    acc.add(&st.s.mul(&st.c))
                })
            })
            .collect();
    }

    /// Σ x·s·c of issue `k` with positions overridden by `pos(actor)`.
    fn weighted_sum(&self, k: usize, pos: impl Fn(usize) -> Option<Dec>) -> Dec {
        self.order[k].iter().fold(Dec::zero(), |acc, &a| {
            let st = self.stake(k, a);
            let x = pos(a).unwrap_or_else(|| st.x.clone());
            acc.add(&x.mul(&st.s).mul(&st.c))
        })
    }

    /// The outcome (weighted mean) of issue `k` at the board's positions.
    pub fn outcome(&self, k: usize) -> Dec {
        self.weighted_sum(k, |_| None).div(&self.denom[k])
    }
}

/// One actor's side of an exchange (Decide's "exchange actor").
#[derive(Clone, Debug)]
pub(crate) struct Side {
    pub actor: usize,
    pub supply: usize,
    pub demand: usize,
    /// Position on the supply issue at the start of the round.
    pub start: Dec,
    /// Current position on the supply issue (moves with exchanges already made).
    pub x: Dec,
    /// Voting position after this exchange.
    pub y: Dec,
    /// Own position on the demand issue at the start of the round.
    demand_x: Dec,
    mv: Dec,
    /// Every move planned for this side since it was listed (Decide's validity test).
    moves: Vec<Dec>,
}

impl Side {
    fn new(b: &Board, actor: usize, supply: usize, demand: usize) -> Side {
        let x = b.stake(supply, actor).x.clone();
        Side {
            actor,
            supply,
            demand,
            start: x.clone(),
            x: x.clone(),
            y: x,
            demand_x: b.stake(demand, actor).x.clone(),
            mv: Dec::zero(),
            moves: Vec::new(),
        }
    }

    fn s_sup<'a>(&self, b: &'a Board) -> &'a Dec {
        &b.stake(self.supply, self.actor).s
    }

    fn c_sup<'a>(&self, b: &'a Board) -> &'a Dec {
        &b.stake(self.supply, self.actor).c
    }

    fn s_dem<'a>(&self, b: &'a Board) -> &'a Dec {
        &b.stake(self.demand, self.actor).s
    }

    /// Decide's test of a planned move `m`.
    fn move_ok(&self, m: &Dec, tiny: &Dec) -> bool {
        let size = m.abs();
        if size.gt(&Dec::int(100)) || !size.gt(tiny) {
            return false;
        }
        let to = self.x.add(m);
        if to.is_negative() || to.gt(&Dec::int(100)) {
            return false;
        }
        let sum = self.moves.iter().fold(Dec::zero(), |acc, v| acc.add(v));
        if sum.gt(&Dec::int(100)) {
            return false;
        }
        let min = self.moves.iter().min_by(|a, b| a.cmp(b));
        let max = self.moves.iter().max_by(|a, b| a.cmp(b));
        match (min, max) {
            (Some(lo), Some(hi)) => {
                (lo.is_negative() && hi.is_negative())
                    || (lo.gt(&Dec::zero()) && hi.gt(&Dec::zero()))
            }
            _ => false,
        }
    }

    /// `((s_sup + s_other_dem) / (s_dem + s_other_sup)) × shift`: the shift on the other
    /// issue that gives both sides the same gain.
    fn matching_shift(&self, other: &Side, b: &Board, shift: &Dec) -> Dec {
        let num = self.s_sup(b).add(other.s_dem(b));
        let den = self.s_dem(b).add(other.s_sup(b));
        num.div(&den).mul(shift)
    }

    /// The move on the supply issue that shifts its outcome by `shift`.
    fn move_for_shift(&self, b: &Board, shift: &Dec) -> Dec {
        shift
            .mul(&b.denom[self.supply])
            .div(&self.c_sup(b).mul(self.s_sup(b)))
    }

    /// The outcome shift of the supply issue when moving `dist`.
    fn shift_for_move(&self, b: &Board, dist: &Dec) -> Dec {
        dist.mul(self.s_sup(b))
            .mul(self.c_sup(b))
            .div(&b.denom[self.supply])
    }
}

/// A remembered voting position of another actor (Decide's `updates`).
#[derive(Clone, Debug)]
struct Update {
    issue: usize,
    actor: usize,
    pos: Dec,
}

/// One exchange: `i` supplies q and demands p, `j` supplies p and demands q.
#[derive(Clone, Debug)]
pub(crate) struct Trade {
    pub i: Side,
    pub j: Side,
    pub gain: Dec,
    pub valid: bool,
    updates: Vec<Update>,
}

/// Decide's thresholds as exact decimals of its float literals.
struct Limits {
    tiny_move: Dec,
    tiny_gain: Dec,
    tie: Dec,
}

impl Limits {
    fn new() -> Limits {
        Limits {
            tiny_move: Dec::exact(1e-10),
            tiny_gain: Dec::exact(1e-10),
            tie: Dec::exact(1e-20),
        }
    }
}

impl Trade {
    fn new(b: &Board, lim: &Limits, first: usize, second: usize, p: usize, q: usize) -> Trade {
        // The actor with the lower salience ratio p/q (Decimal quotients) supplies p.
        let ratio = |a: usize| b.stake(p, a).s.div(&b.stake(q, a).s);
        let (ip, jp) = if ratio(first).lt(&ratio(second)) {
            (second, first)
        } else {
            (first, second)
        };
        let mut t = Trade {
            i: Side::new(b, ip, q, p),
            j: Side::new(b, jp, p, q),
            gain: Dec::zero(),
            valid: false,
            updates: Vec::new(),
        };
        t.calculate(b, lim);
        t
    }

    fn update(&self, issue: usize, actor: usize) -> Option<Dec> {
        self.updates
            .iter()
            .find(|u| u.issue == issue && u.actor == actor)
            .map(|u| u.pos.clone())
    }

    /// The outcome of `side`'s supply issue with the remembered updates and `side` at
    /// `pos` (its own position wins over an update).
    fn outcome_with(&self, b: &Board, side: &Side, pos: &Dec) -> Dec {
        let k = side.supply;
        b.weighted_sum(k, |a| {
            if a == side.actor {
                Some(pos.clone())
            } else {
                self.update(k, a)
            }
        })
        .div(&b.denom[k])
    }

    /// The move of `side` (from its current position, updates winning over it) that puts
    /// its supply issue's outcome at `target`.
    fn move_to_outcome(&self, b: &Board, side: &Side, target: &Dec) -> Dec {
        let k = side.supply;
        let sum = b.weighted_sum(k, |a| {
            self.update(k, a)
                .or_else(|| (a == side.actor).then(|| side.x.clone()))
        });
        let st = b.stake(k, side.actor);
        target.mul(&b.denom[k]).sub(&sum).div(&st.s.mul(&st.c))
    }

    /// Gain of `side` for the shifts `own` (its supply issue) and `other` (its demand).
    fn gain_of(b: &Board, side: &Side, own: &Dec, other: &Dec) -> Dec {
        own.mul(side.s_sup(b)).sub(&other.mul(side.s_dem(b))).abs()
    }

    fn calculate(&mut self, b: &Board, lim: &Limits) {
        let (i, j) = (&mut self.i, &mut self.j);
        // First j moves all the way to i's position on p.
        let gap_j = i.demand_x.sub(&j.x).abs();
        let mut dp = j.shift_for_move(b, &gap_j);
        let mut dq = j.matching_shift(i, b, &dp);
        i.mv = i.move_for_shift(b, &dq);
        j.mv = gap_j;
        let gap_i = j.demand_x.sub(&i.x).abs();
        if i.mv.abs().gt(&gap_i) {
            dq = i.shift_for_move(b, &gap_i);
            dp = i.matching_shift(j, b, &dq);
            i.mv = gap_i;
            j.mv = j.move_for_shift(b, &dp);
        }
        if i.x.gt(&j.demand_x) {
            i.mv = i.mv.mul(&Dec::int(-1));
        }
        if j.x.gt(&i.demand_x) {
            j.mv = j.mv.mul(&Dec::int(-1));
        }
        i.moves.push(i.mv.clone());
        j.moves.push(j.mv.clone());
        i.y = i.x.add(&i.mv);
        j.y = j.x.add(&j.mv);
        self.gain = Trade::gain_of(b, i, &dq, &dp);
        self.valid = i.move_ok(&i.mv, &lim.tiny_move) && j.move_ok(&j.mv, &lim.tiny_move);
        if self.gain.lt(&lim.tiny_gain) {
            self.valid = false;
        }
        if !self.valid {
            return;
        }
        self.cap(b, true);
        self.cap(b, false);
        self.valid = self.i.move_ok(&self.i.mv, &lim.tiny_move)
            && self.j.move_ok(&self.j.mv, &lim.tiny_move);
    }

    /// If the move of side `i` (or `j`) pushes its supply issue's outcome past the other
    /// actor's own position there, the move stops where the outcome reaches it and the
    /// other side's move follows from the equal-gain ratio.
    fn cap(&mut self, b: &Board, side_i: bool) {
        let (me, other) = if side_i {
            (&self.i, &self.j)
        } else {
            (&self.j, &self.i)
        };
        let target = other.demand_x.clone();
        let before = self.outcome_with(b, me, &me.x);
        let after = self.outcome_with(b, me, &me.y);
        let d0 = target.sub(&before);
        let d1 = target.sub(&after);
        let same_side = (!d0.is_negative() && !d1.is_negative())
            || (!d0.gt(&Dec::zero()) && !d1.gt(&Dec::zero()));
        if same_side {
            return;
        }
        let delta = self.move_to_outcome(b, me, &target).abs();
        let shift_me = me.shift_for_move(b, &delta);
        let shift_other = me.matching_shift(other, b, &shift_me);
        let mut move_other = other.move_for_shift(b, &shift_other).abs();
        let mut move_me = delta;
        if other.x.gt(&me.demand_x) {
            move_other = move_other.mul(&Dec::int(-1));
        }
        if me.x.gt(&other.demand_x) {
            move_me = move_me.mul(&Dec::int(-1));
        }
        let gain = Trade::gain_of(b, other, &shift_other, &shift_me);
        let (me, other) = if side_i {
            (&mut self.i, &mut self.j)
        } else {
            (&mut self.j, &mut self.i)
        };
        other.moves.pop();
        me.moves.pop();
        other.moves.push(move_other.clone());
        me.moves.push(move_me.clone());
        other.y = other.x.add(&move_other);
        me.y = me.x.add(&move_me);
        other.mv = move_other;
        me.mv = move_me;
        self.gain = gain;
    }

    /// Remembers where `supplier` votes on `issue` now (of two, the one nearer to where it
    /// started the round).
    fn remember(&mut self, issue: usize, supplier: &Side) {
        let found = self
            .updates
            .iter_mut()
            .find(|u| u.issue == issue && u.actor == supplier.actor);
        match found {
            Some(u) => {
                let keep = if !supplier.start.gt(&u.pos) {
                    u.pos.lt(&supplier.y)
                } else {
                    u.pos.gt(&supplier.y)
                };
                if !keep {
                    u.pos = supplier.y.clone();
                }
            }
            None => self.updates.push(Update {
                issue,
                actor: supplier.actor,
                pos: supplier.y.clone(),
            }),
        }
    }

    /// Brings this exchange up to date after `done` was made (`done` may be this very
    /// exchange, as it is in Decide when an exchange is in its list twice).
    fn refresh_after(&mut self, b: &Board, lim: &Limits, done: &Trade) {
        let mut matched = [false, false];
        for (m, side) in matched.iter_mut().zip([&mut self.i, &mut self.j]) {
            let d = [&done.i, &done.j]
                .into_iter()
                .find(|d| d.actor == side.actor && d.supply == side.supply);
            if let Some(d) = d {
                side.x = d.y.clone();
                *m = true;
            }
        }
        let mut recompute = matched[0] || matched[1];
        if recompute {
            // A side that moved keeps its planned moves; the other forgets its last one.
            if !matched[0] {
                self.i.moves.pop();
            }
            if !matched[1] {
                self.j.moves.pop();
            }
        }
        for (demander, supplier) in [(&done.j, &done.i), (&done.i, &done.j)] {
            let mine = |s: &Side| s.actor == demander.actor && s.demand == demander.demand;
            if mine(&self.j) || mine(&self.i) {
                self.remember(demander.demand, supplier);
                if !recompute {
                    self.i.moves.pop();
                    self.j.moves.pop();
                    recompute = true;
                }
            }
        }
        if recompute {
            self.calculate(b, lim);
        }
    }
}

/// Every exchange of the round in Decide's order, valid or not: issue pairs in scenario
/// order; per pair the actors right of both outcomes with those left of both, then left of
/// the first only with left of the second only; actors in scenario order.
fn list(b: &Board, lim: &Limits) -> Vec<Trade> {
    let n_issues = b.stakes.len();
    let outcome: Vec<Dec> = (0..n_issues).map(|k| b.outcome(k)).collect();
    let mut out = Vec::new();
    for p in 0..n_issues {
        for q in p + 1..n_issues {
            let mut groups: [Vec<usize>; 4] = Default::default();
            for a in 0..b.n_actors {
                let (Some(sp), Some(sq)) = (&b.stakes[p][a], &b.stakes[q][a]) else {
                    continue;
                };
                let left_p = usize::from(!sp.x.gt(&outcome[p]));
                let left_q = usize::from(!sq.x.gt(&outcome[q]));
                groups[left_p | (left_q << 1)].push(a);
            }
            for (gi, gj) in [(0, 3), (1, 2)] {
                for &i in &groups[gi] {
                    for &j in &groups[gj] {
                        out.push(Trade::new(b, lim, i, j, p, q));
                    }
                }
            }
        }
    }
    out
}

/// Stable sort of the list by gain, highest first; float keys settle all but near-equal
/// gains, which are compared exactly.
fn sort_by_gain(list: &mut [usize], trades: &[Trade], keys: &[f64]) {
    list.sort_by(|&x, &y| {
        let (kx, ky) = (keys[x], keys[y]);
        if (kx - ky).abs() > 1e-9 * kx.abs().max(ky.abs()) {
            ky.total_cmp(&kx)
        } else {
            trades[y].gain.cmp(&trades[x].gain)
        }
    });
}

/// Decide's pick: the first of the sorted list, or on a tie with the second one draw.
fn pick(list: &mut Vec<usize>, trades: &[Trade], lim: &Limits, rng: &mut PyRandom) -> usize {
    let mut made = list.remove(0);
    if let Some(&next) = list.first() {
        let diff = trades[made].gain.sub(&trades[next].gain).abs();
        if diff.lt(&lim.tie) {
            if rng.random() >= 0.5 {
                list.push(made);
                made = list.remove(0);
            } else {
                list.push(next);
            }
        }
    }
    made
}

/// Recomputes every listed exchange after `done` was made and drops the invalid ones.
fn refresh_list(
    list: &mut Vec<usize>,
    trades: &mut [Trade],
    keys: &mut [f64],
    b: &Board,
    lim: &Limits,
    done: usize,
) {
    let mut snapshot = trades[done].clone();
    let mut kept = Vec::with_capacity(list.len());
    for &e in list.iter() {
        if !trades[e].valid {
            continue;
        }
        trades[e].refresh_after(b, lim, &snapshot);
        keys[e] = trades[e].gain.to_f64();
        if e == done {
            snapshot = trades[done].clone();
        }
        if trades[e].valid {
            kept.push(e);
        }
    }
    *list = kept;
}

/// One round. Returns the voting board, the next preference board, the exchanges Decide
/// reports (those made that are still valid at the end, in their final state) and how many
/// were made.
pub(crate) fn round(
    b: &Board,
    rng: &mut PyRandom,
    fixed_pull: &Dec,
    salience_pull: &Dec,
) -> (Board, Board, Vec<Trade>, usize) {
    let lim = Limits::new();
    let mut trades = list(b, &lim);
    let mut keys: Vec<f64> = trades.iter().map(|t| t.gain.to_f64()).collect();
    let mut list: Vec<usize> = (0..trades.len()).collect();
    let mut made = Vec::new();
    while !list.is_empty() {
        sort_by_gain(&mut list, &trades, &keys);
        let id = pick(&mut list, &trades, &lim, rng);
        if trades[id].valid {
            refresh_list(&mut list, &mut trades, &mut keys, b, &lim, id);
            made.push(id);
        }
    }
    let mut votes = b.clone();
    let mut prefs = b.clone();
    for &id in &made {
        for s in [&trades[id].i, &trades[id].j] {
            if let Some(st) = votes.stakes[s.supply][s.actor].as_mut() {
                st.x = s.y.clone();
            }
        }
    }
    for &id in &made {
        for s in [&trades[id].i, &trades[id].j] {
            let sal = b.stake(s.supply, s.actor).s.clone();
            if let Some(st) = prefs.stakes[s.supply][s.actor].as_mut() {
                st.x = new_preference(&sal, &s.start, &s.y, fixed_pull, salience_pull);
            }
        }
    }
    let reported = made
        .iter()
        .filter(|&&id| trades[id].valid)
        .map(|&id| trades[id].clone())
        .collect();
    (votes, prefs, reported, made.len())
}

/// `x' = (1 − s)·sp·y + fp·y + (1 − (1 − s)·sp − fp)·x`, in Decide's order.
fn new_preference(s: &Dec, x: &Dec, y: &Dec, fixed_pull: &Dec, salience_pull: &Dec) -> Dec {
    let one = Dec::int(1);
    let rest = one.sub(s);
    let by_salience = rest.mul(salience_pull).mul(y);
    let fixed = fixed_pull.mul(y);
    let stay = one.sub(&rest.mul(salience_pull)).sub(fixed_pull).mul(x);
    by_salience.add(&fixed).add(&stay)
}

/// The outcome of `side`'s supply issue before and after its move, as the exchange sees it
/// (0–100).
pub(crate) fn outcomes(b: &Board, t: &Trade, side: &Side) -> (f64, f64) {
    (
        t.outcome_with(b, side, &side.x).to_f64(),
        t.outcome_with(b, side, &side.y).to_f64(),
    )
}

/// Decide's numbers for a snapshot: positions normalised as Decide does,
/// `(x − lo) × (100 / (hi − lo))`, from the shortest decimals of the inputs.
fn board(snap: &Snapshot) -> Result<Board, ModelError> {
    let n_actors = snap.actor_ids.len();
    let mut stakes = vec![vec![None; n_actors]; snap.issues.len()];
    let mut order = vec![Vec::new(); snap.issues.len()];
    for (k, d) in snap.issues.iter().enumerate() {
        let lo = Dec::shortest(d.lo);
        let step = Dec::int(100).div(&Dec::shortest(d.hi).sub(&lo));
        for (m, &a) in d.actors.iter().enumerate() {
            let (s, c) = (d.salience[m], d.capability[m]);
            if !(s > 0.0 && c > 0.0 && s.is_finite() && c.is_finite()) {
                return Err(ModelError::Unsuitable(format!(
                    "ties=decide: actor `{}` on issue `{}` has salience {s} and capability {c}; \
                     Decide divides by both, so both must be above 0",
                    snap.actor_ids[a], snap.issue_ids[d.issue]
                )));
            }
            stakes[k][a] = Some(Stake {
                x: Dec::shortest(d.position[m]).sub(&lo).mul(&step),
                s: Dec::shortest(s),
                c: Dec::shortest(c),
            });
            order[k].push(a);
        }
    }
    let mut b = Board {
        n_actors,
        stakes,
        order,
        denom: Vec::new(),
    };
    b.refresh();
    Ok(b)
}

fn outcomes_in_units(snap: &Snapshot, b: &Board) -> Vec<f64> {
    (0..snap.issues.len())
        .map(|k| to_units(snap, k, b.outcome(k).to_f64()))
        .collect()
}

fn positions_in_units(snap: &Snapshot, b: &Board) -> Vec<Vec<f64>> {
    snap.issues
        .iter()
        .enumerate()
        .map(|(k, d)| {
            d.actors
                .iter()
                .map(|&a| {
                    let x = b.stakes[k][a].as_ref().map_or(0.0, |st| st.x.to_f64());
                    to_units(snap, k, x)
                })
                .collect()
        })
        .collect()
}

fn describe(snap: &Snapshot, b: &Board, made: &[Trade]) -> Vec<Made> {
    made.iter()
        .enumerate()
        .map(|(r, t)| {
            let gain = t.gain.to_f64();
            let side = |s: &Side, other: &Side| {
                let (o0, o1) = outcomes(b, t, s);
                let moved = [s.x.to_f64(), s.y.to_f64(), o0, o1];
                Move::new(snap, [s.actor, s.supply, other.actor], moved, gain)
            };
            Made {
                rank: r + 1,
                sides: [side(&t.i, &t.j), side(&t.j, &t.i)],
            }
        })
        .collect()
}

/// The model's loop with Decide's numbers and tie rule. Without `trace`, only the outcomes
/// are recorded.
pub(crate) fn run(snap: &Snapshot, set: &Settings, trace: bool) -> Result<Run, ModelError> {
    let mut b = board(snap)?;
    let mut rng = PyRandom::new(set.seed);
    for _ in 0..set.skip {
        rng.next_u32();
    }
    let fixed = Dec::exact(set.fixed_pull);
    let salience = Dec::exact(set.salience_pull);
    let n = snap.issues.len();
    let mut out = Run {
        rounds_run: 0,
        stopped: "round cap",
        preference_mds: vec![Vec::new(); n],
        voting_mds: vec![Vec::new(); n],
        preferences: Vec::new(),
        votes: Vec::new(),
        exchanges: Vec::new(),
    };
    let push = |into: &mut Vec<Vec<f64>>, values: Vec<f64>| {
        for (v, x) in into.iter_mut().zip(values) {
            v.push(x);
        }
    };
    let mut before = outcomes_in_units(snap, &b);
    push(&mut out.preference_mds, before.clone());
    if trace {
        out.preferences.push(positions_in_units(snap, &b));
    }
    for r in 1..=set.rounds {
        let (votes, prefs, made, count) = round(&b, &mut rng, &fixed, &salience);
        push(&mut out.voting_mds, outcomes_in_units(snap, &votes));
        if trace {
            out.exchanges.push(describe(snap, &b, &made));
            out.votes.push(positions_in_units(snap, &votes));
            out.preferences.push(positions_in_units(snap, &prefs));
        }
        b = prefs;
        let after = outcomes_in_units(snap, &b);
        push(&mut out.preference_mds, after.clone());
        out.rounds_run = r;
        if count == 0 {
            out.stopped = "no exchange";
            break;
        }
        let moved = (0..n)
            .map(|k| {
                let d = &snap.issues[k];
                (after[k] - before[k]).abs() * 100.0 / (d.hi - d.lo)
            })
            .fold(0.0, f64::max);
        if set.tolerance > 0.0 && moved <= set.tolerance {
            out.stopped = "converged";
            break;
        }
        before = after;
    }
    Ok(out)
}
