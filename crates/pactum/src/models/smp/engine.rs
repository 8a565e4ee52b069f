//! The spatial model's arithmetic on plain numbers: positions on `[0, 1]` per dimension,
//! saliences `[0, 1]` (summing to at most 1 per actor), capabilities `>= 0`.
//!
//! A salience of exactly 0 means the actor has no stance on that dimension: its coordinate
//! there is not its own but the centre of the actors that do care (`fill_indifferent`),
//! set afresh each turn, and bargains never move it nor let it move anyone. With every
//! salience positive (KTAB's inputs) none of this applies and the arithmetic is KTAB's.
//!
//! Memory is `O(n² + n·d)` per turn: the `n × n` table of salience-weighted distances and
//! of each actor's own utilities. Every estimate `u^h(i, j)` that KTAB stores as `n` tables of
//! `n × n` is recomputed from those on demand. Time per turn is `O(n³ + n² d)`.

use super::options::*;
use crate::error::ModelError;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use rayon::prelude::*;

/// Below this much work (about n³ elementary steps) a loop runs on one thread: on small
/// cases the threads cost more than they save.
const PARALLEL_WORK: usize = 1 << 18;

/// `(0..n).map(f)`, on rayon's threads when `parallel`; the order of results is the same.
fn map_range<T: Send>(n: usize, parallel: bool, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    if parallel {
        (0..n).into_par_iter().map(f).collect()
    } else {
        (0..n).map(f).collect()
    }
}

/// Smallest coalition strength, so no probability is 0/0 (KTAB's `minC`).
const MIN_COALITION: f64 = 1e-8;
/// Initial strength of each side of a challenge (KTAB's `minCltn`).
const MIN_CHALLENGE: f64 = 1e-10;
/// Smallest expected gain worth a challenge (KTAB's `minSigEDU`).
const MIN_GAIN: f64 = 1e-5;
/// Two positions closer than this (Euclidean, on `[0, 1]`) count as one option.
pub const SAME_POSITION: f64 = 1e-3;
/// Added to the first turn's movement in the stopping rule, against 0/0.
const MIN_FIRST_MOVE: f64 = 1e-4;
/// Iteration cap of the Markov elections.
const MARKOV_MAX_ITER: usize = 1000;

/// The fixed data of a run: `n` actors in a space of `d` dimensions.
#[derive(Debug, Clone, PartialEq)]
pub struct Space {
    /// Number of actors.
    pub n: usize,
    /// Number of dimensions.
    pub d: usize,
    /// Capability of each actor (`>= 0`).
    pub capability: Vec<f64>,
    /// Salience of actor `i` on dimension `k` at `i * d + k`, each in `[0, 1]`.
    pub salience: Vec<f64>,
}

impl Space {
    fn sal(&self, i: usize) -> &[f64] {
        &self.salience[i * self.d..(i + 1) * self.d]
    }

    fn total_salience(&self, i: usize) -> f64 {
        self.sal(i).iter().sum()
    }

    /// True when actor `i` has a stance on dimension `k` (a positive salience).
    pub fn cares(&self, i: usize, k: usize) -> bool {
        self.salience[i * self.d + k] > 0.0
    }

    /// True when some actor has salience 0 on some dimension.
    fn has_indifference(&self) -> bool {
        (0..self.n).any(|i| (0..self.d).any(|k| !self.cares(i, k)))
    }
}

/// Sets every coordinate of an actor without a stance (salience 0) on a dimension to the
/// centre of the actors with one: their mean position weighted by capability × salience
/// (unweighted when those weights sum to 0; 0.5 when no actor cares). Coordinates of actors
/// with a stance are untouched. `pos` is row-major `n × d` on `[0, 1]`.
fn fill_indifferent(space: &Space, pos: &mut [f64]) {
    let (n, d) = (space.n, space.d);
    for k in 0..d {
        if (0..n).all(|i| space.cares(i, k)) {
            continue;
        }
        let (mut wx, mut w, mut x, mut count) = (0.0, 0.0, 0.0, 0usize);
        for i in (0..n).filter(|&i| space.cares(i, k)) {
            let wi = space.capability[i] * space.salience[i * d + k];
            wx += wi * pos[i * d + k];
            w += wi;
            x += pos[i * d + k];
            count += 1;
        }
        let centre = if w > 0.0 && w.is_finite() {
            wx / w
        } else if count > 0 {
            x / count as f64
        } else {
            0.5
        };
        for i in (0..n).filter(|&i| !space.cares(i, k)) {
            pos[i * d + k] = centre;
        }
    }
}

/// What a run produced. Positions are on `[0, 1]`, actor `i` dimension `k` at `i * d + k`.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// Positions per state; state 0 is the input.
    pub positions: Vec<Vec<f64>>,
    /// Probability that each actor's position wins, per state (empty vectors for states
    /// whose probabilities were not asked for).
    pub win_probability: Vec<Vec<f64>>,
    /// Movement of each turn as a fraction of the first turn's (KTAB's "Fractional change").
    pub fractional_change: Vec<f64>,
    /// The challenges made in each turn, by initiator.
    pub challenges: Vec<Vec<Challenge>>,
}

/// One actor's best challenge in a turn, as the initiator sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Challenge {
    /// Index of the initiator.
    pub initiator: usize,
    /// Index of the target.
    pub target: usize,
    /// The initiator's estimate of the probability that it prevails, 0–1.
    pub probability: f64,
    /// The initiator's expected gain in utility from the challenge (> 1e-5).
    pub gain: f64,
    /// The initiator's interpolated bargain: where it proposes itself to move (`[0, 1]` per
    /// dimension).
    pub initiator_to: Vec<f64>,
    /// Where it proposes the target to move.
    pub target_to: Vec<f64>,
}

/// Which states get win probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probabilities {
    /// Every state (the full history).
    All,
    /// Only the final state (the fast path).
    Last,
}

/// A vote of weight `w` between options worth `ua` and `ub` to the voter; positive favours a.
pub fn vote(rule: VotingRule, w: f64, ua: f64, ub: f64) -> f64 {
    let du = ua - ub;
    let binary = || (du / 1e-8).clamp(-1.0, 1.0);
    match rule {
        VotingRule::Binary => w * binary(),
        VotingRule::PropBin => w * (0.8 * du + 0.2 * binary()),
        VotingRule::Proportional => w * du,
        VotingRule::PropCubic => w * (0.5 * du + 0.5 * du * du * du),
        VotingRule::Cubic => w * du * du * du,
        VotingRule::AsymProspect => {
            if du < 0.0 {
                w * du
            } else if du > 0.0 {
                (2.0 * w * du) / 3.0
            } else {
                0.0
            }
        }
    }
}

/// Probability that a side of strength `a` beats a side of strength `b` (and the converse).
pub fn victory(model: VictoryModel, a: f64, b: f64) -> (f64, f64) {
    let (x, y) = match model {
        VictoryModel::Linear => (a, b),
        VictoryModel::Square => (a * a, b * b),
        VictoryModel::Quartic => (a.powi(4), b.powi(4)),
        VictoryModel::Octic => (a.powi(8), b.powi(8)),
        VictoryModel::Binary => {
            let t = 1.10;
            if a >= t * b {
                (1.0, 1e-6)
            } else if b >= t * a {
                (1e-6, 1.0)
            } else {
                let r = a / (a + b);
                let p = (r * (t + 1.0) - 1.0) / (t - 1.0);
                (p, 1.0 - p)
            }
        }
    };
    let s = x + y;
    if s > 0.0 && s.is_finite() {
        (x / s, y / s)
    } else {
        (0.5, 0.5)
    }
}

/// Utility of an option at salience-weighted distance `dist` (0 = one's ideal, 1 = as far
/// as the scale allows) for risk attitude `r` in `[-1, 1]`: `(1 - d)(1 + d r)`.
pub fn utility(dist: f64, r: f64) -> f64 {
    // min(d, 1)·r is d·r, or exactly r beyond 1: the two cases without a branch
    (1.0 - dist) * (1.0 + dist.min(1.0) * r)
}

/// Salience-weighted distance between `a` and `b` for an actor of saliences `s`:
/// `sqrt(Σ (s_k (a_k - b_k))² / Σ s_k²)`, in `[0, 1]` for positions on `[0, 1]`.
pub fn distance(a: &[f64], b: &[f64], s: &[f64]) -> f64 {
    let mut ds = 0.0;
    let mut ss = 0.0;
    for k in 0..s.len() {
        let x = (a[k] - b[k]) * s[k];
        ds += x * x;
        ss += s[k] * s[k];
    }
    if ss > 0.0 { (ds / ss).sqrt() } else { 0.0 }
}

fn adjust(rule: RiskAdjust, rh: f64, ri: f64) -> f64 {
    match rule {
        RiskAdjust::Full => ri,
        RiskAdjust::TwoThirds => (rh + 2.0 * ri) / 3.0,
        RiskAdjust::Half => (rh + ri) / 2.0,
        RiskAdjust::OneThird => (2.0 * rh + ri) / 3.0,
        RiskAdjust::None => rh,
    }
}

/// Coalition strengths between `m` options for voters with weights `w` and utilities
/// `u(voter, option)` (row-major `w.len() × m`): `c[a * m + b]` = support of a over b.
fn coalitions(rule: VotingRule, w: &[f64], u: &[f64], m: usize) -> Vec<f64> {
    match rule {
        // the default rule written out, so the inner loop has no dispatch
        VotingRule::Proportional => coalitions_with(w, u, m, |wk, a, b| wk * (a - b)),
        _ => coalitions_with(w, u, m, |wk, a, b| vote(rule, wk, a, b)),
    }
}

#[inline(always)]
fn coalitions_with(
    w: &[f64],
    u: &[f64],
    m: usize,
    vote_of: impl Fn(f64, f64, f64) -> f64 + Sync,
) -> Vec<f64> {
    // Row a holds the coalitions of a against every b < a. Voters are the outer loop and
    // the options b the inner one (contiguous in `u`), so each pair's sum still runs over
    // the voters in order.
    let row = |a: usize| -> (Vec<f64>, Vec<f64>) {
        let mut cab = vec![MIN_COALITION; a];
        let mut cba = vec![MIN_COALITION; a];
        for (k, &wk) in w.iter().enumerate() {
            let uk = &u[k * m..k * m + a];
            let uka = u[k * m + a];
            for ((&ukb, ab), ba) in uk.iter().zip(cab.iter_mut()).zip(cba.iter_mut()) {
                // adding max(±v, 0) is exactly "add v to the side it favours"
                let v = vote_of(wk, uka, ukb);
                *ab += v.max(0.0);
                *ba += (-v).max(0.0);
            }
        }
        (cab, cba)
    };
    let rows = map_range(m, m * m * w.len() >= PARALLEL_WORK, row);
    let mut c = vec![0.0; m * m];
    for (a, (cab, cba)) in rows.iter().enumerate() {
        for b in 0..a {
            c[a * m + b] = cab[b];
            c[b * m + a] = cba[b];
        }
        c[a * m + a] = MIN_COALITION;
    }
    c
}

/// Pairwise victory probabilities from coalition strengths; 1/2 on the diagonal.
fn victory_matrix(model: VictoryModel, c: &[f64], m: usize) -> Vec<f64> {
    let mut p = vec![0.0; m * m];
    for a in 0..m {
        for b in 0..a {
            let (pab, pba) = victory(model, c[a * m + b], c[b * m + a]);
            p[a * m + b] = pab;
            p[b * m + a] = pba;
        }
        p[a * m + a] = 0.5;
    }
    p
}

fn conditional(pv: &[f64], m: usize) -> Vec<f64> {
    let mut p: Vec<f64> = (0..m)
        .map(|a| pv[a * m..(a + 1) * m].iter().product())
        .collect();
    normalise(&mut p);
    p
}

fn normalise(p: &mut [f64]) {
    let s: f64 = p.iter().sum();
    if s > 0.0 && s.is_finite() {
        p.iter_mut().for_each(|x| *x /= s);
    } else {
        let u = 1.0 / p.len() as f64;
        p.iter_mut().for_each(|x| *x = u);
    }
}

fn markov_uniform(pv: &[f64], m: usize) -> Vec<f64> {
    let mut p = vec![1.0 / m as f64; m];
    let mut q = p.clone();
    for _ in 0..MARKOV_MAX_ITER {
        let mut change: f64 = 0.0;
        for a in 0..m {
            let mut s = 0.0;
            for b in 0..m {
                s += pv[a * m + b] * (p[a] + p[b]);
            }
            q[a] = s / m as f64;
            change = change.max((q[a] - p[a]).abs());
        }
        for a in 0..m {
            p[a] = (p[a] + q[a]) / 2.0;
        }
        if change <= 1e-6 {
            break;
        }
    }
    p
}

fn markov_incentive(c: &[f64], pv: &[f64], m: usize) -> Vec<f64> {
    let mut inc: Vec<f64> = (0..m * m).map(|x| c[x] * pv[x]).collect();
    for a in 0..m {
        inc[a * m + a] += 1e-10;
    }
    let mut challenge = vec![0.0; m * m];
    for b in 0..m {
        let col: f64 = (0..m).map(|k| inc[k * m + b]).sum();
        for a in 0..m {
            challenge[a * m + b] = inc[a * m + b] / col;
        }
    }
    let mut p = vec![1.0 / m as f64; m];
    let mut q = p.clone();
    for _ in 0..MARKOV_MAX_ITER {
        let mut change: f64 = 0.0;
        for a in 0..m {
            let mut s = 0.0;
            for b in 0..m {
                let ct_ab = p[a] * challenge[b * m + a];
                let ct_ba = p[b] * challenge[a * m + b];
                s += pv[a * m + b] * (ct_ab + ct_ba);
            }
            q[a] = s;
            change = change.max((q[a] - p[a]).abs());
        }
        for a in 0..m {
            p[a] = (p[a] + q[a]) / 2.0;
        }
        if change <= 1e-8 {
            break;
        }
    }
    p
}

/// Probability that each of `m` options wins a probabilistic Condorcet election among
/// voters of weight `w` with utilities `u(voter, option)`.
pub fn election(opts: &Options, w: &[f64], u: &[f64], m: usize) -> Vec<f64> {
    let c = coalitions(opts.voting, w, u, m);
    let pv = victory_matrix(opts.victory, &c, m);
    match opts.election {
        ElectionModel::Conditional => conditional(&pv, m),
        ElectionModel::MarkovUniform => markov_uniform(&pv, m),
        ElectionModel::MarkovIncentive => markov_incentive(&c, &pv, m),
    }
}

/// Risk attitudes from win probabilities, mapped linearly onto the chosen range.
fn risk_from_probability(p: &[f64], range: RiskRange) -> Vec<f64> {
    let lo = p.iter().copied().fold(1.0, f64::min);
    let hi = p.iter().copied().fold(0.0, f64::max);
    if hi - lo <= 0.0 {
        return vec![0.0; p.len()];
    }
    p.iter()
        .map(|&x| match range {
            RiskRange::Min => (x - lo) / (hi - lo),
            RiskRange::Mid => (3.0 * x - (hi + 2.0 * lo)) / (2.0 * (hi - lo)),
            RiskRange::Max => (2.0 * x - (hi + lo)) / (hi - lo),
        })
        .collect()
}

/// What the third-party loop of one challenge needs.
struct ThirdParties<'c> {
    rh: &'c [f64],
    col_i: &'c [f64],
    dist_j: &'c [f64],
    i: usize,
    j: usize,
    /// Strength of the sides of i and of j from the two principals.
    base: (f64, f64),
}

/// One state: positions with their distance table and risk attitudes.
struct State<'a> {
    space: &'a Space,
    opts: &'a Options,
    pos: &'a [f64],
    /// `dist[i * n + j]`: distance from i's ideal (= position) to j's position, i's saliences.
    dist: Vec<f64>,
    /// `dist_t[j * n + i] = dist[i * n + j]`, so a column of distances is contiguous.
    dist_t: Vec<f64>,
    /// Risk attitude of each actor.
    risk: Vec<f64>,
    /// `own[i * n + j] = u^i(i, j)`: i's utility of j's position with i's own risk attitude.
    own: Vec<f64>,
    /// Challenge weight of each actor: total salience × capability.
    weight: Vec<f64>,
}

impl<'a> State<'a> {
    fn new(space: &'a Space, opts: &'a Options, pos: &'a [f64]) -> Self {
        let (n, d) = (space.n, space.d);
        let mut dist = vec![0.0; n * n];
        for i in 0..n {
            let pi = &pos[i * d..(i + 1) * d];
            let si = space.sal(i);
            for j in 0..n {
                dist[i * n + j] = distance(pi, &pos[j * d..(j + 1) * d], si);
            }
        }
        let neutral: Vec<f64> = dist.iter().map(|&x| utility(x, 0.0)).collect();
        let p = election(opts, &space.capability, &neutral, n);
        let risk = risk_from_probability(&p, opts.risk_range);
        let mut own = vec![0.0; n * n];
        for i in 0..n {
            let r = adjust(opts.risk_adjust, risk[i], risk[i]);
            for j in 0..n {
                own[i * n + j] = utility(dist[i * n + j], r);
            }
        }
        let mut dist_t = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                dist_t[j * n + i] = dist[i * n + j];
            }
        }
        let weight = (0..n)
            .map(|i| space.total_salience(i) * space.capability[i])
            .collect();
        State {
            space,
            opts,
            pos,
            dist,
            dist_t,
            risk,
            own,
            weight,
        }
    }

    fn n(&self) -> usize {
        self.space.n
    }

    fn at(&self, i: usize) -> &[f64] {
        let d = self.space.d;
        &self.pos[i * d..(i + 1) * d]
    }

    /// Actor h's estimate of the risk attitude of every actor.
    fn risks_seen_by(&self, h: usize) -> Vec<f64> {
        self.risk
            .iter()
            .map(|&ri| adjust(self.opts.risk_adjust, self.risk[h], ri))
            .collect()
    }

    /// h's estimate (risks `rh`) of the probability that i beats j in a challenge of i
    /// against j, and of the change in utility for actor k; KTAB's `probEduChlg`.
    fn challenge(&self, rh: &[f64], k: usize, i: usize, j: usize) -> (f64, f64) {
        self.challenge_with(rh, &self.column(rh, i), k, i, j)
    }

    /// Utility of actor i's position to every actor m, with risk attitudes `rh`.
    fn column(&self, rh: &[f64], i: usize) -> Vec<f64> {
        let n = self.n();
        let col = &self.dist_t[i * n..(i + 1) * n];
        col.iter().zip(rh).map(|(&x, &r)| utility(x, r)).collect()
    }

    /// [`State::challenge`] with the column of utilities of i's position given.
    fn challenge_with(
        &self,
        rh: &[f64],
        col_i: &[f64],
        k: usize,
        i: usize,
        j: usize,
    ) -> (f64, f64) {
        let n = self.n();
        let u = |a: usize, b: usize| utility(self.dist[a * n + b], rh[a]);
        let dist_j = &self.dist_t[j * n..(j + 1) * n];
        let rule = self.opts.voting;
        let (uii, uij, uji, ujj) = (u(i, i), u(i, j), u(j, i), u(j, j));
        let status_quo = u(k, i) + u(k, j);
        let k_wins = u(k, i) + u(k, i);
        let k_loses = u(k, j) + u(k, j);
        let sj = self.space.total_salience(j);
        let vi = vote(rule, self.weight[i], uii, uij);
        let vj = vote(rule, self.weight[j], uji, ujj);
        let mut for_i = MIN_CHALLENGE + vi.max(0.0) + vj.max(0.0);
        let mut for_j = MIN_CHALLENGE + (-vi).max(0.0) + (-vj).max(0.0);
        let third = ThirdParties {
            rh,
            col_i,
            dist_j,
            i,
            j,
            base: (for_i, for_j),
        };
        let (add_i, add_j) = match (rule, self.opts.third_party) {
            // the default options, with the rule written out so the loop has no dispatch
            (VotingRule::Proportional, ThirdParty::Semi) => self.third_parties(
                &third,
                |w, a, b| w * (a - b),
                |pin, ui, uj, uk| {
                    let pjn = 1.0 - pin;
                    let join_i = pin * (ui + ui + uk) + pjn * (uj + uj + uj);
                    let join_j = pin * (ui + ui + ui) + pjn * (uj + uj + uk);
                    (join_i, join_j)
                },
            ),
            _ => self.third_parties(
                &third,
                |w, a, b| vote(rule, w, a, b),
                |pin, ui, uj, uk| self.sides(pin, ui, uj, uk),
            ),
        };
        for_i = add_i;
        for_j = add_j;
        let p = for_i / (for_i + for_j);
        let contest = p * k_wins + (1.0 - p) * k_loses;
        let challenge = (1.0 - sj) * k_wins + sj * contest;
        (p, challenge - status_quo)
    }

    /// Adds every third party's vote to the two sides of challenge i → j; `vote_of` is the
    /// voting rule, `sides` a third party's expected utility of joining i and of joining j.
    #[inline(always)]
    fn third_parties(
        &self,
        c: &ThirdParties,
        vote_of: impl Fn(f64, f64, f64) -> f64,
        sides: impl Fn(f64, f64, f64, f64) -> (f64, f64),
    ) -> (f64, f64) {
        let (base_i, base_j) = c.base;
        let (mut for_i, mut for_j) = c.base;
        for (m, &wm) in self.weight.iter().enumerate() {
            if m == c.i || m == c.j {
                continue;
            }
            // every actor's ideal is its position, so u(m, m) = utility(0, r) = 1
            let (umi, umj, umm) = (c.col_i[m], utility(c.dist_j[m], c.rh[m]), 1.0);
            // x + max(v, 0) adds exactly nothing when v <= 0, so these are KTAB's
            // "add v to the side it favours", without branches
            let vm = vote_of(wm, umi, umj);
            let ci = base_i + vm.max(0.0);
            let cj = base_j + (-vm).max(0.0);
            let pin = ci / (ci + cj);
            let (join_i, join_j) = sides(pin, umi, umj, umm);
            let v = vote_of(wm, join_i, join_j);
            for_i += v.max(0.0);
            for_j += (-v).max(0.0);
        }
        (for_i, for_j)
    }

    /// A third party's expected utility of joining i and of joining j, given its estimate
    /// `pin` that i wins with it; KTAB's `thirdPartyVoteSU`.
    fn sides(&self, pin: f64, ui: f64, uj: f64, uk: f64) -> (f64, f64) {
        let pjn = 1.0 - pin;
        let (ik_beats_j, j_beats_ik, i_beats_jk, jk_beats_i) = match self.opts.third_party {
            ThirdParty::Full => (3.0 * ui, 3.0 * uj, 3.0 * ui, 3.0 * uj),
            ThirdParty::Semi => (ui + ui + uk, uj + uj + uj, ui + ui + ui, uj + uj + uk),
            ThirdParty::None => (ui + ui + uk, uj + uj + uk, ui + ui + uk, uj + uj + uk),
        };
        let join_i = pin * ik_beats_j + pjn * j_beats_ik;
        let join_j = pin * i_beats_jk + pjn * jk_beats_i;
        (join_i, join_j)
    }

    /// i's estimate of its challenge against every target at once: per j, (probability i
    /// wins, i's expected gain); entry i is meaningless. The same sums as
    /// [`State::challenge`] with `h = k = i`, in the same order (third parties ascending),
    /// but with the targets in the inner loop so it runs over contiguous memory.
    fn all_challenges(&self, i: usize) -> Vec<(f64, f64)> {
        let rule = self.opts.voting;
        match (rule, self.opts.third_party) {
            (VotingRule::Proportional, ThirdParty::Semi) => self.all_challenges_with(
                i,
                |w, a, b| w * (a - b),
                |pin, ui, uj, uk| {
                    let pjn = 1.0 - pin;
                    let join_i = pin * (ui + ui + uk) + pjn * (uj + uj + uj);
                    let join_j = pin * (ui + ui + ui) + pjn * (uj + uj + uk);
                    (join_i, join_j)
                },
            ),
            _ => self.all_challenges_with(
                i,
                |w, a, b| vote(rule, w, a, b),
                |pin, ui, uj, uk| self.sides(pin, ui, uj, uk),
            ),
        }
    }

    #[inline(always)]
    fn all_challenges_with(
        &self,
        i: usize,
        vote_of: impl Fn(f64, f64, f64) -> f64,
        sides: impl Fn(f64, f64, f64, f64) -> (f64, f64),
    ) -> Vec<(f64, f64)> {
        let n = self.n();
        let rh = self.risks_seen_by(i);
        let col_i = self.column(&rh, i);
        let u = |a: usize, b: usize| utility(self.dist[a * n + b], rh[a]);
        let uii = u(i, i);
        let mut base_i = vec![1.0; n];
        let mut base_j = vec![1.0; n];
        for j in 0..n {
            if j == i {
                continue;
            }
            let vi = vote_of(self.weight[i], uii, u(i, j));
            let vj = vote_of(self.weight[j], u(j, i), u(j, j));
            base_i[j] = MIN_CHALLENGE + vi.max(0.0) + vj.max(0.0);
            base_j[j] = MIN_CHALLENGE + (-vi).max(0.0) + (-vj).max(0.0);
        }
        let mut for_i = base_i.clone();
        let mut for_j = base_j.clone();
        for (m, &wm) in self.weight.iter().enumerate() {
            if m == i {
                continue;
            }
            let (umi, rm) = (col_i[m], rh[m]);
            // every actor's ideal is its position, so u(m, m) = utility(0, r) = 1
            let umm = 1.0;
            let row = &self.dist[m * n..(m + 1) * n];
            let add = |range: std::ops::Range<usize>, for_i: &mut [f64], for_j: &mut [f64]| {
                let lanes = row[range.clone()]
                    .iter()
                    .zip(&base_i[range.clone()])
                    .zip(&base_j[range.clone()])
                    .zip(for_i[range.clone()].iter_mut())
                    .zip(for_j[range].iter_mut());
                for ((((&d, &bi), &bj), fi), fj) in lanes {
                    let umj = utility(d, rm);
                    let vm = vote_of(wm, umi, umj);
                    let ci = bi + vm.max(0.0);
                    let cj = bj + (-vm).max(0.0);
                    let pin = ci / (ci + cj);
                    let (join_i, join_j) = sides(pin, umi, umj, umm);
                    let v = vote_of(wm, join_i, join_j);
                    *fi += v.max(0.0);
                    *fj += (-v).max(0.0);
                }
            };
            // m is a principal, not a third party, of the contest against itself
            add(0..m, &mut for_i, &mut for_j);
            add(m + 1..n, &mut for_i, &mut for_j);
        }
        (0..n)
            .map(|j| {
                let (uij, sj) = (u(i, j), self.space.total_salience(j));
                let (k_wins, k_loses, status_quo) = (uii + uii, uij + uij, uii + uij);
                let p = for_i[j] / (for_i[j] + for_j[j]);
                let contest = p * k_wins + (1.0 - p) * k_loses;
                let challenge = (1.0 - sj) * k_wins + sj * contest;
                (p, challenge - status_quo)
            })
            .collect()
    }

    /// i's most profitable target: (j, i's estimate that i wins, i's expected gain), if any
    /// gain is worth it.
    fn best_target(&self, i: usize) -> Option<(usize, f64, f64)> {
        let all = self.all_challenges(i);
        let mut best: Option<(usize, f64, f64)> = None;
        let mut best_gain = -1.0;
        for (j, &(p, gain)) in all.iter().enumerate() {
            if j == i {
                continue;
            }
            if MIN_GAIN < gain && best_gain < gain {
                best = Some((j, p, gain));
                best_gain = gain;
            }
        }
        best
    }

    /// Utility to actor a of position `p` (its own risk attitude, ideal = position).
    fn utility_of(&self, a: usize, p: &[f64]) -> f64 {
        utility(distance(self.at(a), p, self.space.sal(a)), self.risk[a])
    }

    /// Win probability of each actor's position (equal positions share one option).
    fn win_probability(&self) -> Vec<f64> {
        let n = self.n();
        let mut unique: Vec<usize> = Vec::new();
        for i in 0..n {
            if !unique.iter().any(|&k| self.same(i, k)) {
                unique.push(i);
            }
        }
        let m = unique.len();
        let mut u = vec![0.0; n * m];
        for a in 0..n {
            for (c, &k) in unique.iter().enumerate() {
                u[a * m + c] = self.own[a * n + k];
            }
        }
        let p = election(self.opts, &self.space.capability, &u, m);
        (0..n)
            .map(|i| {
                let c = unique.iter().rposition(|&k| self.same(i, k)).unwrap_or(0);
                p[c]
            })
            .collect()
    }

    fn same(&self, i: usize, j: usize) -> bool {
        let (a, b) = (self.at(i), self.at(j));
        let sq: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
        sq.sqrt() < SAME_POSITION
    }
}

/// A proposed pair of new positions for an initiator and a receiver.
#[derive(Debug, Clone)]
struct Bargain {
    init: usize,
    rcvr: usize,
    at_init: Vec<f64>,
    at_rcvr: Vec<f64>,
}

fn round4(x: f64) -> f64 {
    ((0.5 + x * 10_000.0) as i64) as f64 / 10_000.0
}

/// Interpolated positions of i and j on one dimension: targets `ti, tj`, saliences
/// `si, sj`, probabilities `pi, pj`.
fn interpolate(
    how: Interpolation,
    (ti, si, pi): (f64, f64, f64),
    (tj, sj, pj): (f64, f64, f64),
) -> (f64, f64) {
    let min_w = 1e-6;
    match how {
        Interpolation::S1P1 | Interpolation::S2P2 => {
            let (wi, wj) = if how == Interpolation::S1P1 {
                (si * pi, sj * pj)
            } else {
                (si * si * (pi * pi), sj * sj * (pj * pj))
            };
            let bi = round4(((wi + min_w) * ti + wj * tj) / (wi + min_w + wj));
            let bj = round4((wi * ti + (min_w + wj) * tj) / (wi + min_w + wj));
            (bi, bj)
        }
        Interpolation::S2PMax => {
            let di = (pj - pi).max(0.0);
            let dj = (pi - pj).max(0.0);
            let (si2, sj2) = (si * si, sj * sj);
            let dik = (di * sj2) / ((di * sj2) + min_w + ((1.0 - di) * si2));
            let djk = (dj * si2) / ((dj * si2) + min_w + ((1.0 - dj) * sj2));
            (ti + dik * (tj - ti), tj + djk * (ti - tj))
        }
    }
}

fn bargain(st: &State, i: usize, j: usize, pi: f64) -> Bargain {
    let d = st.space.d;
    let (a, b) = (st.at(i), st.at(j));
    let (si, sj) = (st.space.sal(i), st.space.sal(j));
    let mut at_init = vec![0.0; d];
    let mut at_rcvr = vec![0.0; d];
    for k in 0..d {
        let (x, y) = interpolate(
            st.opts.interpolation,
            (a[k], si[k], pi),
            (b[k], sj[k], 1.0 - pi),
        );
        at_init[k] = x;
        at_rcvr[k] = y;
    }
    hold_indifferent(st, i, j, &mut at_init, &mut at_rcvr);
    Bargain {
        init: i,
        rcvr: j,
        at_init,
        at_rcvr,
    }
}

/// On a dimension where i or j has no stance, a bargain between them moves neither: the
/// one that cares has nobody to concede to, the other has no position of its own to give.
fn hold_indifferent(st: &State, i: usize, j: usize, at_init: &mut [f64], at_rcvr: &mut [f64]) {
    let space = st.space;
    for k in 0..space.d {
        if !(space.cares(i, k) && space.cares(j, k)) {
            at_init[k] = st.at(i)[k];
            at_rcvr[k] = st.at(j)[k];
        }
    }
}

/// The bargains challenge i → j puts into the two actors' queues.
fn bargains_of(st: &State, i: usize, j: usize, pi: f64) -> Vec<Bargain> {
    let by_i = bargain(st, i, j, pi);
    match st.opts.bargain {
        BargainModel::InitOnly => vec![by_i],
        BargainModel::InitRcvr | BargainModel::PowerWeighted => {
            // KTAB passes the second element of j's estimate (the expected gain to i), not
            // the probability its comment names; kept so the options give KTAB's answers.
            let rh = st.risks_seen_by(j);
            let (_, pj) = st.challenge(&rh, i, i, j);
            let by_j = bargain(st, i, j, pj);
            if st.opts.bargain == BargainModel::InitRcvr {
                return vec![by_i, by_j];
            }
            // KTAB weighs the receiver's version by the initiator's capability (sic).
            let cap = &st.space.capability;
            let wi = cap[i] * st.space.total_salience(i);
            let wj = cap[i] * st.space.total_salience(j);
            let mix = |x: &[f64], y: &[f64]| -> Vec<f64> {
                x.iter()
                    .zip(y)
                    .map(|(a, b)| (wi * a + wj * b) / (wi + wj))
                    .collect()
            };
            let mut at_init = mix(&by_i.at_init, &by_j.at_init);
            let mut at_rcvr = mix(&by_i.at_rcvr, &by_j.at_rcvr);
            hold_indifferent(st, i, j, &mut at_init, &mut at_rcvr);
            vec![Bargain {
                init: i,
                rcvr: j,
                at_init,
                at_rcvr,
            }]
        }
    }
}

/// Average utility to every actor of the state after bargain `b`: the two movers at the
/// bargain's positions, everyone else where they are. `row_sums[a]` is a's total utility
/// of the current positions.
fn bargain_values(st: &State, row_sums: &[f64], b: &Bargain) -> Vec<f64> {
    let n = st.n();
    (0..n)
        .map(|a| {
            let row = &st.own[a * n..(a + 1) * n];
            let moved = st.utility_of(a, &b.at_init) + st.utility_of(a, &b.at_rcvr);
            let stay = row_sums[a] - row[b.init] - row[b.rcvr];
            (moved + stay) / n as f64
        })
        .collect()
}

fn draw(rng: &mut ChaCha8Rng, p: &[f64]) -> usize {
    let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    let mut s = 0.0;
    for (k, x) in p.iter().enumerate() {
        s += x;
        if u <= s {
            return k;
        }
    }
    p.len() - 1
}

fn first_max(p: &[f64]) -> usize {
    let mut best = 0;
    for (k, x) in p.iter().enumerate() {
        if x.abs() > p[best].abs() {
            best = k;
        }
    }
    best
}

/// One turn: every actor challenges its best target, bargains are queued, and each actor
/// adopts the bargain its queue's election favours. Returns the new positions.
fn step(st: &State, rng: &mut ChaCha8Rng) -> (Vec<f64>, Vec<Challenge>) {
    let n = st.n();
    let d = st.space.d;
    let parallel = n * n * n >= PARALLEL_WORK;
    let per_initiator: Vec<Option<(Challenge, Vec<Bargain>)>> = map_range(n, parallel, |i| {
        let (j, p, gain) = st.best_target(i)?;
        let own = bargain(st, i, j, p);
        let challenge = Challenge {
            initiator: i,
            target: j,
            probability: p,
            gain,
            initiator_to: own.at_init,
            target_to: own.at_rcvr,
        };
        Some((challenge, bargains_of(st, i, j, p)))
    });
    let mut challenges = Vec::new();
    let mut all: Vec<Bargain> = Vec::new();
    for (c, b) in per_initiator.into_iter().flatten() {
        challenges.push(c);
        all.extend(b);
    }
    let mut queues: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, b) in all.iter().enumerate() {
        queues[b.init].push(k);
        queues[b.rcvr].push(k);
    }
    let row_sums: Vec<f64> = st.own.chunks(n).map(|r| r.iter().sum()).collect();
    let values: Vec<Vec<f64>> = map_range(all.len(), parallel, |b| {
        bargain_values(st, &row_sums, &all[b])
    });
    let queue_election = |queue: &Vec<usize>| -> Vec<f64> {
        let m = queue.len() + 1;
        let mut u = vec![0.0; n * m];
        for a in 0..n {
            u[a * m] = row_sums[a] / n as f64;
            for (c, &b) in queue.iter().enumerate() {
                u[a * m + c + 1] = values[b][a];
            }
        }
        election(st.opts, &st.space.capability, &u, m)
    };
    let elections: Vec<Vec<f64>> = map_range(n, parallel, |k| queue_election(&queues[k]));
    let mut next = st.pos.to_vec();
    for (k, p) in elections.iter().enumerate() {
        let queue = &queues[k];
        if queue.is_empty() {
            continue;
        }
        let chosen = match st.opts.transition {
            Transition::Deterministic => first_max(p),
            Transition::Stochastic => draw(rng, p),
        };
        if chosen == 0 {
            continue;
        }
        let b = &all[queue[chosen - 1]];
        let new = if b.init == k { &b.at_init } else { &b.at_rcvr };
        next[k * d..(k + 1) * d].copy_from_slice(new);
    }
    (next, challenges)
}

/// Total movement between two states: the sum over actors of the Euclidean length of
/// their move, over the dimensions each actor has a stance on.
fn movement(space: &Space, a: &[f64], b: &[f64]) -> f64 {
    let d = space.d;
    a.chunks(d)
        .zip(b.chunks(d))
        .zip(space.salience.chunks(d))
        .map(|((x, y), s)| {
            x.iter()
                .zip(y)
                .zip(s)
                .filter(|(_, s)| **s > 0.0)
                .map(|((p, q), _)| (p - q) * (p - q))
                .sum::<f64>()
                .sqrt()
        })
        .sum()
}

/// Runs the model from positions `start` (row-major `n × d`, on `[0, 1]`). Fails when the
/// lengths of `start`, capabilities or saliences do not fit `n` and `d`, when `n < 2`, or
/// when an actor has salience 0 on every dimension (leave such actors out). Coordinates of
/// actors on dimensions they have salience 0 on are ignored: state 0 of the history holds
/// them at the centre of the actors with a stance there.
pub fn run(
    space: &Space,
    start: &[f64],
    opts: &Options,
    probs: Probabilities,
) -> Result<History, ModelError> {
    let (n, d) = (space.n, space.d);
    if n < 2 || d == 0 {
        return Err(ModelError::Unsuitable(format!(
            "smp needs at least two actors and one dimension, got {n} and {d}"
        )));
    }
    if start.len() != n * d || space.salience.len() != n * d || space.capability.len() != n {
        return Err(ModelError::Unsuitable(format!(
            "smp input of {n} actors × {d} dimensions needs {} positions, {} saliences and {n} capabilities; got {}, {} and {}",
            n * d,
            n * d,
            start.len(),
            space.salience.len(),
            space.capability.len()
        )));
    }
    if let Some(i) = (0..n).find(|&i| (0..d).all(|k| !space.cares(i, k))) {
        return Err(ModelError::Unsuitable(format!(
            "smp: actor {i} has salience 0 on every dimension, so it has no stance to bargain over; leave it out"
        )));
    }
    let indifference = space.has_indifference();
    let mut first = start.to_vec();
    if indifference {
        fill_indifferent(space, &mut first);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut positions = vec![first];
    let mut win_probability = Vec::new();
    let mut fractional_change = Vec::new();
    let mut challenges = Vec::new();
    let mut first_move = 0.0;
    for turn in 1..=opts.max_turns {
        let current = positions.last().cloned().unwrap_or_default();
        let st = State::new(space, opts, &current);
        win_probability.push(match probs {
            Probabilities::All => st.win_probability(),
            Probabilities::Last => Vec::new(),
        });
        let (mut next, made) = step(&st, &mut rng);
        challenges.push(made);
        let moved = movement(space, &current, &next);
        if turn == 1 {
            first_move = moved + MIN_FIRST_MOVE;
        }
        let ratio = moved / first_move;
        fractional_change.push(ratio);
        if indifference {
            fill_indifferent(space, &mut next);
        }
        positions.push(next);
        if turn >= opts.min_turns && ratio < opts.stop_ratio {
            break;
        }
    }
    let last = positions.last().cloned().unwrap_or_default();
    win_probability.push(State::new(space, opts, &last).win_probability());
    Ok(History {
        positions,
        win_probability,
        fractional_change,
        challenges,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utility_is_one_at_the_ideal_and_zero_at_full_distance() {
        for r in [-0.5, 0.0, 1.0] {
            assert_eq!(utility(0.0, r), 1.0);
            assert_eq!(utility(1.0, r), 0.0);
        }
        assert!(utility(0.5, 1.0) > utility(0.5, 0.0));
    }

    #[test]
    fn distance_weights_dimensions_by_salience() {
        let d = distance(&[0.0, 0.0], &[1.0, 0.0], &[1.0, 0.0]);
        assert!((d - 1.0).abs() < 1e-12);
        let d = distance(&[0.0, 0.0], &[0.0, 1.0], &[1.0, 0.0]);
        assert_eq!(d, 0.0);
    }

    #[test]
    fn conditional_election_favours_the_stronger_option() {
        let opts = Options::default();
        // two voters, weights 2 and 1, each prefers its own option
        let u = [1.0, 0.0, 0.0, 1.0];
        let p = election(&opts, &[2.0, 1.0], &u, 2);
        assert!((p[0] + p[1] - 1.0).abs() < 1e-12);
        assert!((p[0] - 2.0 / 3.0).abs() < 1e-6, "{p:?}");
        for model in [ElectionModel::MarkovUniform, ElectionModel::MarkovIncentive] {
            let o = Options {
                election: model,
                ..Options::default()
            };
            let p = election(&o, &[2.0, 1.0], &u, 2);
            assert!(p[0] > p[1], "{model:?} {p:?}");
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-6);
        }
    }

    #[test]
    fn interpolation_weights_by_salience_and_probability() {
        let (bi, bj) = interpolate(Interpolation::S2P2, (0.0, 1.0, 0.5), (1.0, 1.0, 0.5));
        assert_eq!((bi, bj), (0.5, 0.5));
        let (bi, _) = interpolate(Interpolation::S2P2, (0.0, 1.0, 0.9), (1.0, 1.0, 0.1));
        assert!(bi < 0.05);
    }

    #[test]
    fn all_targets_at_once_equals_one_target_at_a_time() {
        let n = 9;
        let d = 2;
        let mut x = 0.37_f64;
        let mut next = || {
            x = (x * 9301.0 + 49297.0) % 233280.0 / 233280.0;
            x
        };
        let space = Space {
            n,
            d,
            capability: (0..n).map(|_| 10.0 + 100.0 * next()).collect(),
            salience: (0..n * d).map(|_| 0.1 + 0.4 * next()).collect(),
        };
        let pos: Vec<f64> = (0..n * d).map(|_| next()).collect();
        for third_party in [ThirdParty::Semi, ThirdParty::Full] {
            let opts = Options {
                third_party,
                ..Options::default()
            };
            let st = State::new(&space, &opts, &pos);
            for i in 0..n {
                let all = st.all_challenges(i);
                let rh = st.risks_seen_by(i);
                for j in (0..n).filter(|&j| j != i) {
                    assert_eq!(all[j], st.challenge(&rh, i, i, j), "{i} -> {j}");
                }
            }
        }
    }

    #[test]
    fn coalitions_sum_each_pair_over_voters_in_order() {
        let (nv, m) = (7, 5);
        let w: Vec<f64> = (0..nv).map(|k| 1.0 + k as f64 * 0.7).collect();
        let u: Vec<f64> = (0..nv * m).map(|x| ((x * 37 % 11) as f64) / 10.0).collect();
        for rule in [
            VotingRule::Proportional,
            VotingRule::Cubic,
            VotingRule::Binary,
        ] {
            let c = coalitions(rule, &w, &u, m);
            for a in 0..m {
                for b in 0..a {
                    let (mut ab, mut ba) = (MIN_COALITION, MIN_COALITION);
                    for k in 0..nv {
                        let v = vote(rule, w[k], u[k * m + a], u[k * m + b]);
                        if v > 0.0 {
                            ab += v;
                        }
                        if v < 0.0 {
                            ba -= v;
                        }
                    }
                    assert_eq!((c[a * m + b], c[b * m + a]), (ab, ba), "{rule:?} {a} {b}");
                }
            }
        }
    }

    #[test]
    fn equal_positions_do_not_move_and_stop() {
        let space = Space {
            n: 3,
            d: 1,
            capability: vec![1.0, 2.0, 3.0],
            salience: vec![0.5, 0.5, 0.5],
        };
        let h = run(
            &space,
            &[0.4, 0.4, 0.4],
            &Options::default(),
            Probabilities::All,
        )
        .unwrap();
        let short = run(&space, &[0.4, 0.4], &Options::default(), Probabilities::All);
        assert!(short.is_err());
        assert_eq!(h.positions.len(), 3);
        assert!(h.positions.iter().all(|p| p == &vec![0.4, 0.4, 0.4]));
        assert!(h.win_probability.iter().flatten().all(|x| x.is_finite()));
    }
}
