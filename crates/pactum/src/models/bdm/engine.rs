//! The numeric core of the challenge model: one issue, rounds of pairwise challenges.
//!
//! A [`Workspace`] holds every buffer a run needs, so a Monte Carlo draw allocates nothing
//! once the workspace has grown to the issue's size. Positions are in the issue's units;
//! distances are normalised by the round's range `R`; saliences are 0–1; vote weights are
//! `capability × salience`.

use super::settings::{
    AcceptRule, Denominator, Exposure, RangeRule, RiskView, Settings, StatusQuo, TRule, VoteRule,
};
use crate::error::ModelError;

/// One issue's inputs, as numbers (participants in snapshot order).
#[derive(Debug, Clone, Copy)]
pub struct IssueInput<'a> {
    /// Positions, in the issue's units.
    pub position: &'a [f64],
    /// Saliences, 0–1.
    pub salience: &'a [f64],
    /// Capabilities, ≥ 0.
    pub capability: &'a [f64],
    /// Lower end of the issue's scale.
    pub lo: f64,
    /// Upper end of the issue's scale.
    pub hi: f64,
    /// Reference point (status quo), if the issue gives one.
    pub reference: Option<f64>,
}

/// The kind of an offer an actor receives from another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferKind {
    /// Both expect to gain from challenging; the receiver expects less, so it would lose.
    Conflict,
    /// The proposer expects to gain, the receiver to lose less than that: the receiver moves
    /// part way, by the ratio of the two expected utilities.
    Compromise,
    /// The proposer expects to gain, the receiver to lose more than that: it moves fully.
    Capitulation,
}

impl OfferKind {
    /// The word used in traces.
    pub fn word(self) -> &'static str {
        match self {
            OfferKind::Conflict => "conflict",
            OfferKind::Compromise => "compromise",
            OfferKind::Capitulation => "capitulation",
        }
    }
}

/// One offer received, as seen by its receiver.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OfferSeen {
    /// Participant index of the proposer.
    pub from: usize,
    /// The proposer's position, in the issue's units.
    pub from_position: f64,
    /// Its kind.
    pub kind: OfferKind,
    /// Where the receiver would move, in the issue's units.
    pub target: f64,
    /// What the receiver expects from challenging the proposer.
    pub own_eu: f64,
    /// What the proposer expects from challenging the receiver (its enforceability).
    pub proposer_eu: f64,
    /// False when the settings make this kind non-binding (conflicts, capitulations).
    pub binding: bool,
}

/// What one actor saw and did in one round.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorTrace {
    /// Position before the round.
    pub before: f64,
    /// Position after the round.
    pub after: f64,
    /// Risk exponent used in the round (1 when risk is off).
    pub risk_exponent: f64,
    /// Every offer received, in proposer order.
    pub offers: Vec<OfferSeen>,
    /// Index into `offers` of the offer taken.
    pub taken: Option<usize>,
}

/// The trace of one round.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoundTrace {
    /// Range `R` used (issue units); 0 means nobody could move.
    pub range: f64,
    /// Weighted median at the start of the round.
    pub median: f64,
    /// One entry per participant.
    pub actors: Vec<ActorTrace>,
}

/// Why a run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The median moved less than the tolerance in `patience` consecutive rounds.
    Converged,
    /// The round cap was reached.
    RoundCap,
}

/// Scratch buffers for one issue; reused across runs.
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    n: usize,
    /// Current positions.
    pub x: Vec<f64>,
    next: Vec<f64>,
    s: Vec<f64>,
    w: Vec<f64>,
    // Sorted view of the current positions.
    order: Vec<usize>,
    sx: Vec<f64>,
    rank: Vec<usize>,
    run_lo: Vec<usize>,
    run_hi: Vec<usize>,
    cw: Vec<f64>,
    cwx: Vec<f64>,
    // Per-round matrices (row = challenger, column = target) and vectors.
    prob: Vec<f64>,
    eu: Vec<f64>,
    r: Vec<f64>,
    exposure: Vec<f64>,
    quiet: Vec<f64>,
    pairs: Vec<(f64, f64)>,
    best: Vec<Option<OfferSeen>>,
    median: f64,
    /// Tests set this to check the fast path against the general one.
    #[cfg(test)]
    no_fast: bool,
}

#[derive(Debug, Clone, Copy)]
struct RoundCtx {
    range: f64,
    median: f64,
    reference: Option<f64>,
}

impl Workspace {
    /// An empty workspace.
    pub fn new() -> Self {
        Workspace::default()
    }

    /// Loads an issue's inputs, checking they are finite and that some weight is positive.
    pub fn load(&mut self, input: &IssueInput) -> Result<(), ModelError> {
        let n = input.position.len();
        if input.salience.len() != n || input.capability.len() != n {
            return Err(ModelError::Unsuitable(
                "positions, saliences and capabilities differ in length".into(),
            ));
        }
        for k in 0..n {
            let (x, s, c) = (input.position[k], input.salience[k], input.capability[k]);
            if !x.is_finite() || !s.is_finite() || !c.is_finite() || s < 0.0 || c < 0.0 {
                return Err(ModelError::Unsuitable(format!(
                    "actor {k} has position {x}, salience {s}, capability {c}; expected finite numbers, salience and capability ≥ 0"
                )));
            }
        }
        self.n = n;
        fill(&mut self.x, input.position.iter().copied());
        fill(&mut self.next, input.position.iter().copied());
        fill(&mut self.s, input.salience.iter().copied());
        fill(
            &mut self.w,
            input
                .capability
                .iter()
                .zip(input.salience)
                .map(|(c, s)| c * s),
        );
        let total: f64 = self.w.iter().sum();
        if n == 0 || total <= 0.0 || !total.is_finite() {
            return Err(ModelError::Unsuitable(
                "every actor has zero capability or zero salience (or there are none), so no vote and no forecast is defined".into(),
            ));
        }
        self.r.clear();
        self.r.resize(n, 1.0);
        Ok(())
    }

    /// Sorts the current positions and rebuilds the prefix sums; sets the median.
    fn prepare(&mut self) {
        let n = self.n;
        fill(&mut self.order, 0..n);
        let x = &self.x;
        self.order
            .sort_unstable_by(|a, b| x[*a].total_cmp(&x[*b]).then(a.cmp(b)));
        fill(&mut self.sx, self.order.iter().map(|k| x[*k]));
        self.rank.resize(n, 0);
        for (pos, k) in self.order.iter().enumerate() {
            self.rank[*k] = pos;
        }
        let base = self.sx.first().copied().unwrap_or(0.0);
        self.cw.clear();
        self.cwx.clear();
        self.cw.push(0.0);
        self.cwx.push(0.0);
        let (mut a, mut b) = (0.0, 0.0);
        for k in &self.order {
            a += self.w[*k];
            b += self.w[*k] * (self.x[*k] - base);
            self.cw.push(a);
            self.cwx.push(b);
        }
        self.run_lo.resize(n, 0);
        self.run_hi.resize(n, 0);
        let mut start = 0;
        for p in 0..n {
            if p > 0 && self.sx[p] != self.sx[p - 1] {
                start = p;
            }
            self.run_lo[p] = start;
        }
        let mut end = n;
        for p in (0..n).rev() {
            if p + 1 < n && self.sx[p] != self.sx[p + 1] {
                end = p + 1;
            }
            self.run_hi[p] = end;
        }
        self.median = self.weighted_median();
    }

    /// Weighted median of the current positions (the rule of [`crate::stats::weighted_median`]:
    /// an exact half-way cumulative weight takes the midpoint to the next position).
    fn weighted_median(&self) -> f64 {
        let total: f64 = self.w.iter().filter(|w| **w > 0.0).sum();
        let half = total / 2.0;
        let eps = 1e-12 * total;
        let mut cum = 0.0;
        let mut last = self.sx.last().copied().unwrap_or(0.0);
        for p in 0..self.n {
            let w = self.w[self.order[p]];
            if w <= 0.0 {
                continue;
            }
            let x = self.sx[p];
            last = x;
            cum += w;
            if (cum - half).abs() <= eps {
                let next = (p + 1..self.n)
                    .find(|q| self.w[self.order[*q]] > 0.0)
                    .map(|q| self.sx[q])
                    .unwrap_or(x);
                return (x + next) / 2.0;
            }
            if cum > half {
                return x;
            }
        }
        last
    }

    /// The weighted median of the current positions.
    pub fn median(&self) -> f64 {
        self.median
    }

    /// Weighted mean of the current positions (weights `capability × salience`).
    pub fn mean(&self) -> f64 {
        let total: f64 = self.w.iter().sum();
        self.x.iter().zip(&self.w).map(|(x, w)| x * w).sum::<f64>() / total
    }

    fn range(&self, set: &Settings, input: &IssueInput, initial: f64) -> f64 {
        match set.range {
            RangeRule::Dynamic => match (self.sx.first(), self.sx.last()) {
                (Some(a), Some(b)) => b - a,
                _ => 0.0,
            },
            RangeRule::Fixed => input.hi - input.lo,
            RangeRule::Initial => initial,
        }
    }

    /// Win probabilities with linear votes and the per-contest denominator: O(n² log n).
    fn linear_probabilities(&mut self) {
        let n = self.n;
        self.prob.clear();
        self.prob.resize(n * n, 0.5);
        let base = self.sx.first().copied().unwrap_or(0.0);
        let total = self.cw[n];
        for i in 0..n {
            for j in i + 1..n {
                let (xi, xj) = (self.x[i], self.x[j]);
                if xi == xj {
                    continue;
                }
                let (lo_actor, hi_actor) = if xi < xj { (i, j) } else { (j, i) };
                let lo = self.x[lo_actor] - base;
                let hi = self.x[hi_actor] - base;
                let a_end = self.run_hi[self.rank[lo_actor]];
                let b_start = self.run_lo[self.rank[hi_actor]];
                let sum = lo + hi;
                let mid = 0.5 * sum;
                let m = a_end + self.sx[a_end..b_start].partition_point(|v| v - base < mid);
                let (w1, wx1) = (self.cw[m] - self.cw[a_end], self.cwx[m] - self.cwx[a_end]);
                let (w2, wx2) = (
                    self.cw[b_start] - self.cw[m],
                    self.cwx[b_start] - self.cwx[m],
                );
                let d = hi - lo;
                let for_lo = (d * self.cw[a_end] + sum * w1 - 2.0 * wx1).max(0.0);
                let for_hi = (d * (total - self.cw[b_start]) + 2.0 * wx2 - sum * w2).max(0.0);
                let den = for_lo + for_hi;
                let (p_lo, p_hi) = if den > 0.0 {
                    (for_lo / den, for_hi / den)
                } else {
                    (0.5, 0.5)
                };
                let (pi, pj) = if lo_actor == i {
                    (p_lo, p_hi)
                } else {
                    (p_hi, p_lo)
                };
                self.prob[i * n + j] = pi;
                self.prob[j * n + i] = pj;
            }
        }
    }

    /// Support of voter `k` for position `a` over `b`.
    fn vote(&self, set: &Settings, k: usize, a: f64, b: f64, range: f64, r: f64) -> f64 {
        let (da, db) = ((self.x[k] - a).abs() / range, (self.x[k] - b).abs() / range);
        match set.votes {
            VoteRule::Linear => self.w[k] * (db - da),
            VoteRule::Risk => self.w[k] * (db.powf(r) - da.powf(r)),
        }
    }

    /// Win probabilities under any vote rule and denominator: O(n³).
    fn general_probabilities(&mut self, set: &Settings, range: f64, use_r: bool) {
        let n = self.n;
        let r_of = |k: usize| if use_r { self.r[k] } else { 1.0 };
        let mut all = 0.0;
        if set.denominator == Denominator::AllPairs {
            for k in 0..n {
                for a in 0..n {
                    for b in 0..n {
                        all += self
                            .vote(set, k, self.x[a], self.x[b], range, r_of(k))
                            .abs();
                    }
                }
            }
        }
        let mut prob = std::mem::take(&mut self.prob);
        prob.clear();
        prob.resize(n * n, 0.5);
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let (xi, xj) = (self.x[i], self.x[j]);
                let (mut num, mut den) = (0.0, 0.0);
                for k in 0..n {
                    let v = self.vote(set, k, xi, xj, range, r_of(k));
                    num += v.max(0.0);
                    den += v.abs();
                }
                if set.denominator == Denominator::AllPairs {
                    den = if xi == xj { 0.0 } else { all };
                }
                prob[i * n + j] = if den > 0.0 { num / den } else { 0.5 };
            }
        }
        self.prob = prob;
    }

    /// Expected utility to challenger `c` of challenging `t`, priced with exponent `r`.
    fn eu_cell(&self, set: &Settings, ctx: &RoundCtx, c: usize, t: usize, r: f64) -> f64 {
        let n = self.n;
        let (xc, xt) = (self.x[c], self.x[t]);
        let d = (xc - xt).abs() / ctx.range;
        let p = self.prob[c * n + t];
        let st = self.s[t];
        let us = utility(0.5 - 0.5 * d, r);
        let uf = utility(0.5 + 0.5 * d, r);
        let challenge = st * (p * us + (1.0 - p) * uf) + (1.0 - st) * us;
        let usq = match (set.status_quo, ctx.reference) {
            (StatusQuo::Reference, Some(rp)) => {
                utility(0.5 + 0.5 * ((xc - rp).abs() / ctx.range).min(1.0), r)
            }
            _ => utility(0.5, r),
        };
        let quiet = if set.q == 1.0 {
            usq
        } else {
            let dbw = (xc - ctx.median).abs() / ctx.range + d;
            let ub = utility(0.5 - 0.25 * dbw, r);
            let uw = utility(0.5 + 0.25 * dbw, r);
            let t_weight = match set.t_rule {
                TRule::Median => {
                    if (xc - ctx.median).abs() < (xc - xt).abs() {
                        1.0
                    } else {
                        0.0
                    }
                }
                TRule::Half => 0.5,
            };
            set.q * usq + (1.0 - set.q) * (t_weight * ub + (1.0 - t_weight) * uw)
        };
        challenge - quiet
    }

    fn fill_eu(&mut self, set: &Settings, ctx: &RoundCtx, use_r: bool) {
        if set.q == 1.0 && set.status_quo == StatusQuo::Own {
            self.fill_eu_plain(ctx.range, use_r);
            return;
        }
        let n = self.n;
        let mut eu = std::mem::take(&mut self.eu);
        eu.clear();
        eu.resize(n * n, 0.0);
        for c in 0..n {
            let r = if use_r { self.r[c] } else { 1.0 };
            for t in 0..n {
                if c != t {
                    eu[c * n + t] = self.eu_cell(set, ctx, c, t, r);
                }
            }
        }
        self.eu = eu;
    }

    /// [`Workspace::fill_eu`] for Q = 1 and the status quo at the actor's own position (the
    /// defaults): each unordered pair is visited once, and `base^r` is `exp(r·ln base)` with
    /// the logarithms shared by both directions.
    fn fill_eu_plain(&mut self, range: f64, use_r: bool) {
        let n = self.n;
        let mut eu = std::mem::take(&mut self.eu);
        eu.clear();
        eu.resize(n * n, 0.0);
        let mut quiet = std::mem::take(&mut self.quiet);
        quiet.clear();
        quiet.extend(
            self.r
                .iter()
                .map(|r| if use_r { utility(0.5, *r) } else { 0.0 }),
        );
        let expected = |p: f64, st: f64, us: f64, uf: f64, usq: f64| {
            st * (p * us + (1.0 - p) * uf) + (1.0 - st) * us - usq
        };
        for c in 0..n {
            for t in c + 1..n {
                let d = (self.x[c] - self.x[t]).abs() / range;
                let bs = (0.5 - 0.5 * d).max(0.0);
                let bf = 0.5 + 0.5 * d;
                let (ct, tc) = (c * n + t, t * n + c);
                if use_r {
                    let (ls, lf) = (bs.ln(), bf.ln());
                    let (rc, rt) = (self.r[c], self.r[t]);
                    let u = |r: f64, l: f64| 2.0 - 4.0 * (r * l).exp();
                    eu[ct] = expected(self.prob[ct], self.s[t], u(rc, ls), u(rc, lf), quiet[c]);
                    eu[tc] = expected(self.prob[tc], self.s[c], u(rt, ls), u(rt, lf), quiet[t]);
                } else {
                    let (us, uf) = (2.0 - 4.0 * bs, 2.0 - 4.0 * bf);
                    eu[ct] = expected(self.prob[ct], self.s[t], us, uf, quiet[c]);
                    eu[tc] = expected(self.prob[tc], self.s[c], us, uf, quiet[t]);
                }
            }
        }
        self.eu = eu;
        self.quiet = quiet;
    }

    /// Exposures from the EU matrix, then risk exponents.
    fn set_risk(&mut self, set: &Settings) {
        let n = self.n;
        self.exposure.clear();
        self.exposure.resize(n, 0.0);
        for c in 0..n {
            for t in 0..n {
                let v = self.eu[c * n + t];
                match set.exposure {
                    Exposure::Adversaries => self.exposure[t] += v,
                    Exposure::Own => self.exposure[c] += v,
                }
            }
        }
        self.risk_from_exposure();
    }

    /// Risk exponents from exposure: scaled to [−1, 1] across actors, `r = (1 − R/3)/(1 + R/3)`
    /// (0.5 for the most exposed, 2 for the safest).
    fn risk_from_exposure(&mut self) {
        let max = self.exposure.iter().copied().fold(f64::MIN, f64::max);
        let min = self.exposure.iter().copied().fold(f64::MAX, f64::min);
        let spread = max - min;
        // Exposures equal up to rounding (e.g. mirror-image actors) mean equal risk
        // attitudes: scaling rounding noise to [−1, 1] would make them 0.5 and 2.
        let equal = spread <= TIE * max.abs().max(min.abs()).max(1.0);
        for k in 0..self.n {
            let basis = if !equal && spread.is_finite() {
                (2.0 * self.exposure[k] - max - min) / spread
            } else {
                0.0
            };
            self.r[k] = (1.0 - basis / 3.0) / (1.0 + basis / 3.0);
        }
    }

    fn probabilities(&mut self, set: &Settings, range: f64, use_r: bool) {
        if set.linear_votes() {
            self.linear_probabilities();
        } else {
            self.general_probabilities(set, range, use_r);
        }
    }

    /// Plays one round: every actor receives its offers, takes at most one, all move at once.
    fn step(
        &mut self,
        set: &Settings,
        input: &IssueInput,
        initial_range: f64,
        mut trace: Option<&mut RoundTrace>,
    ) {
        let n = self.n;
        let range = self.range(set, input, initial_range);
        let ctx = RoundCtx {
            range,
            median: self.median,
            reference: input.reference,
        };
        self.r.iter_mut().for_each(|r| *r = 1.0);
        if let Some(t) = trace.as_deref_mut() {
            t.range = if range > 0.0 && range.is_finite() {
                range
            } else {
                0.0
            };
            t.median = self.median;
            t.actors.clear();
        }
        if !(range > 0.0 && range.is_finite()) || n < 2 {
            if let Some(t) = trace {
                t.actors = self.x.iter().map(|x| still(*x)).collect();
            }
            self.next.copy_from_slice(&self.x);
            return;
        }
        #[cfg(test)]
        let fast = fast_path(set) && !self.no_fast;
        #[cfg(not(test))]
        let fast = fast_path(set);
        if fast {
            self.step_fast(set, range, trace);
            return;
        }
        self.probabilities(set, range, false);
        self.fill_eu(set, &ctx, false);
        if set.risk {
            self.set_risk(set);
            if !set.linear_votes() && set.votes == VoteRule::Risk {
                self.probabilities(set, range, true);
            }
            self.fill_eu(set, &ctx, true);
        }
        for i in 0..n {
            let mut best: Option<OfferSeen> = None;
            let mut taken = None;
            let mut seen = trace.as_ref().map(|_| Vec::new());
            for j in 0..n {
                if j == i || self.x[j] == self.x[i] {
                    continue;
                }
                let a = self.eu[i * n + j];
                let b = match set.risk_view {
                    RiskView::Challenger => self.eu[j * n + i],
                    RiskView::Receiver => self.eu_cell(set, &ctx, j, i, self.r[i]),
                };
                let Some(offer) = classify(set, a, b, j, self.x[i], self.x[j]) else {
                    continue;
                };
                if let Some(v) = seen.as_mut() {
                    v.push(offer);
                }
                if offer.binding && best.is_none_or(|cur| prefer(set, self.x[i], &offer, &cur)) {
                    best = Some(offer);
                    taken = seen.as_ref().map(|v| v.len() - 1);
                }
            }
            self.next[i] = best.map(|o| o.target).unwrap_or(self.x[i]);
            if let (Some(t), Some(offers)) = (trace.as_deref_mut(), seen) {
                t.actors.push(ActorTrace {
                    before: self.x[i],
                    after: self.next[i],
                    risk_exponent: self.r[i],
                    offers,
                    taken,
                });
            }
        }
    }

    /// The contest of sorted positions `p < q` (different positions): the win probabilities
    /// of the lower and the upper actor. `m` is the first sorted index at or above the
    /// midpoint for the previous `q` (it only moves up as `q` grows).
    fn contest(&self, p: usize, q: usize, m: &mut usize) -> (f64, f64) {
        let n = self.n;
        let base = self.sx[0];
        let (lo, hi) = (self.sx[p] - base, self.sx[q] - base);
        let a_end = self.run_hi[p];
        let b_start = self.run_lo[q];
        let sum = lo + hi;
        let mid = 0.5 * sum;
        *m = (*m).max(a_end);
        while *m < b_start && self.sx[*m] - base < mid {
            *m += 1;
        }
        let m = *m;
        let (w1, wx1) = (self.cw[m] - self.cw[a_end], self.cwx[m] - self.cwx[a_end]);
        let (w2, wx2) = (
            self.cw[b_start] - self.cw[m],
            self.cwx[b_start] - self.cwx[m],
        );
        let d = hi - lo;
        let for_lo = (d * self.cw[a_end] + sum * w1 - 2.0 * wx1).max(0.0);
        let for_hi = (d * (self.cw[n] - self.cw[b_start]) + 2.0 * wx2 - sum * w2).max(0.0);
        let den = for_lo + for_hi;
        if den > 0.0 {
            (for_lo / den, for_hi / den)
        } else {
            (0.5, 0.5)
        }
    }

    /// One round under the default family of settings (linear votes, per-contest
    /// denominator, Q = 1, own status quo, challenger's risk view, strongest offer taken):
    /// pairs are visited in position order with a moving midpoint, so each contest costs
    /// O(1) amortised, and no n × n matrix is stored.
    fn step_fast(&mut self, set: &Settings, range: f64, trace: Option<&mut RoundTrace>) {
        let n = self.n;
        let expected = |p: f64, st: f64, us: f64, uf: f64, usq: f64| {
            st * (p * us + (1.0 - p) * uf) + (1.0 - st) * us - usq
        };
        // Pass 1: win probabilities (kept, in pair order) and exposures at r = 1.
        let mut pairs = std::mem::take(&mut self.pairs);
        pairs.clear();
        self.exposure.clear();
        self.exposure.resize(n, 0.0);
        for p in 0..n {
            let mut m = p + 1;
            for q in self.run_hi[p]..n {
                let (lower, upper) = self.contest(p, q, &mut m);
                pairs.push((lower, upper));
                let (i, j) = (self.order[p], self.order[q]);
                let d = (self.x[j] - self.x[i]).abs() / range;
                let us = 2.0 - 4.0 * (0.5 - 0.5 * d).max(0.0);
                let uf = 2.0 - 4.0 * (0.5 + 0.5 * d);
                let eu_ij = expected(lower, self.s[j], us, uf, 0.0);
                let eu_ji = expected(upper, self.s[i], us, uf, 0.0);
                match set.exposure {
                    Exposure::Adversaries => {
                        self.exposure[j] += eu_ij;
                        self.exposure[i] += eu_ji;
                    }
                    Exposure::Own => {
                        self.exposure[i] += eu_ij;
                        self.exposure[j] += eu_ji;
                    }
                }
            }
        }
        if set.risk {
            self.risk_from_exposure();
        }
        let mut quiet = std::mem::take(&mut self.quiet);
        quiet.clear();
        quiet.extend(self.r.iter().map(|r| utility(0.5, *r)));
        let mut best = std::mem::take(&mut self.best);
        best.clear();
        best.resize(n, None);
        let mut seen: Vec<Vec<OfferSeen>> = match trace {
            Some(_) => vec![Vec::new(); n],
            None => Vec::new(),
        };
        // Pass 2: expected utilities with each challenger's exponent, offers, choices.
        let mut k = 0;
        for p in 0..n {
            for q in self.run_hi[p]..n {
                let (lower, upper) = pairs[k];
                k += 1;
                let (i, j) = (self.order[p], self.order[q]);
                let (xi, xj) = (self.x[i], self.x[j]);
                let d = (xj - xi).abs() / range;
                let bs = (0.5 - 0.5 * d).max(0.0);
                let bf = 0.5 + 0.5 * d;
                let (ri, rj) = (self.r[i], self.r[j]);
                let u =
                    |r: f64, b: f64, l: f64| 2.0 - 4.0 * if r == 1.0 { b } else { (r * l).exp() };
                let (ls, lf) = if ri == 1.0 && rj == 1.0 {
                    (0.0, 0.0)
                } else {
                    (bs.ln(), bf.ln())
                };
                let eu_ij = expected(lower, self.s[j], u(ri, bs, ls), u(ri, bf, lf), quiet[i]);
                let eu_ji = expected(upper, self.s[i], u(rj, bs, ls), u(rj, bf, lf), quiet[j]);
                for (recv, from, a, b, xr, xf) in
                    [(i, j, eu_ij, eu_ji, xi, xj), (j, i, eu_ji, eu_ij, xj, xi)]
                {
                    let Some(offer) = classify(set, a, b, from, xr, xf) else {
                        continue;
                    };
                    if let Some(v) = seen.get_mut(recv) {
                        v.push(offer);
                    }
                    if offer.binding && best[recv].is_none_or(|cur| prefer(set, xr, &offer, &cur)) {
                        best[recv] = Some(offer);
                    }
                }
            }
        }
        for ((next, b), x) in self.next.iter_mut().zip(&best).zip(&self.x) {
            *next = b.map(|o| o.target).unwrap_or(*x);
        }
        if let Some(t) = trace {
            for (i, mut offers) in seen.into_iter().enumerate() {
                offers.sort_by_key(|o| o.from);
                let taken = best[i].and_then(|b| offers.iter().position(|o| *o == b));
                t.actors.push(ActorTrace {
                    before: self.x[i],
                    after: self.next[i],
                    risk_exponent: self.r[i],
                    offers,
                    taken,
                });
            }
        }
        self.pairs = pairs;
        self.quiet = quiet;
        self.best = best;
    }

    /// Runs the issue: round 0 is the loaded state; `each_round(k, self)` is called after
    /// every round (and for round 0); the trace of round `trace_round` is written to `trace`.
    /// Returns the forecast (final weighted median), the rounds played and why it stopped.
    pub fn run(
        &mut self,
        set: &Settings,
        input: &IssueInput,
        mut each_round: impl FnMut(usize, &Workspace),
        mut trace: Option<(usize, &mut RoundTrace)>,
    ) -> (f64, usize, Stop) {
        self.prepare();
        let initial_range = self.range(
            &Settings {
                range: RangeRule::Dynamic,
                ..*set
            },
            input,
            0.0,
        );
        each_round(0, self);
        let mut previous = self.median;
        let mut streak = 0;
        for round in 1..=set.max_rounds {
            let t = match trace.as_mut() {
                Some((k, t)) if *k == round => Some(&mut **t),
                _ => None,
            };
            self.step(set, input, initial_range, t);
            std::mem::swap(&mut self.x, &mut self.next);
            self.prepare();
            each_round(round, self);
            if round > 1 && (self.median - previous).abs() < set.tolerance {
                streak += 1;
            } else {
                streak = 0;
            }
            previous = self.median;
            if streak >= set.patience {
                return (self.median, round, Stop::Converged);
            }
        }
        (self.median, set.max_rounds, Stop::RoundCap)
    }
}

/// True when a round can take [`Workspace::step_fast`].
fn fast_path(set: &Settings) -> bool {
    set.linear_votes()
        && set.q == 1.0
        && set.status_quo == StatusQuo::Own
        && set.risk_view == RiskView::Challenger
        && set.accept == AcceptRule::Strongest
}

fn still(x: f64) -> ActorTrace {
    ActorTrace {
        before: x,
        after: x,
        risk_exponent: 1.0,
        offers: Vec::new(),
        taken: None,
    }
}

fn fill<T>(v: &mut Vec<T>, it: impl Iterator<Item = T>) {
    v.clear();
    v.extend(it);
}

/// Expected utilities closer than this (utility units) count as equal.
const TIE: f64 = 1e-12;

/// A basic utility `2 − 4·base^r`, with `base` clamped at 0.
fn utility(base: f64, r: f64) -> f64 {
    let b = base.max(0.0);
    2.0 - 4.0 * if r == 1.0 { b } else { b.powf(r) }
}

/// The offer receiver `i` (at `xi`) gets from `j` (at `xj`), given `a` = what `i` expects
/// from challenging `j` and `b` = what `j` expects from challenging `i`.
fn classify(set: &Settings, a: f64, b: f64, j: usize, xi: f64, xj: f64) -> Option<OfferSeen> {
    // Expected utilities are O(1) (they lie in [−4, 4]); within TIE of zero they count as
    // zero, and within TIE of each other as equal, so that pairs equal in exact arithmetic
    // (mirror images) never move on floating-point noise.
    let (kind, target, binding) = if a > TIE && b > TIE {
        if b - a <= TIE {
            return None;
        }
        (OfferKind::Conflict, xj, set.conflicts_move)
    } else if a < -TIE && b > TIE {
        if b >= -a {
            // Part way toward x_j; clamped so rounding never overshoots x_j.
            let target = (xi - (xi - xj) * (a / b).abs()).clamp(xi.min(xj), xi.max(xj));
            (OfferKind::Compromise, target, true)
        } else {
            (OfferKind::Capitulation, xj, set.capitulation)
        }
    } else {
        return None;
    };
    Some(OfferSeen {
        from: j,
        from_position: xj,
        kind,
        target,
        own_eu: a,
        proposer_eu: b,
        binding,
    })
}

/// True when `cand` beats `cur` as the offer an actor at `x` takes.
fn prefer(set: &Settings, x: f64, cand: &OfferSeen, cur: &OfferSeen) -> bool {
    let moved = |o: &OfferSeen| (o.target - x).abs();
    match set.accept {
        AcceptRule::Strongest => {
            if cand.proposer_eu != cur.proposer_eu {
                return cand.proposer_eu > cur.proposer_eu;
            }
            if moved(cand) != moved(cur) {
                return moved(cand) < moved(cur);
            }
            cand.target < cur.target
        }
        AcceptRule::Scholz => {
            let class = |o: &OfferSeen| match o.kind {
                OfferKind::Conflict => 0,
                OfferKind::Compromise => 1,
                OfferKind::Capitulation => 2,
            };
            if class(cand) != class(cur) {
                return class(cand) < class(cur);
            }
            scholz_key(x, cand) < scholz_key(x, cur)
        }
    }
}

/// The key Scholz's code minimises within an offer class.
pub fn scholz_key(x: f64, o: &OfferSeen) -> f64 {
    match o.kind {
        OfferKind::Compromise => {
            let (a, b) = (o.own_eu.abs(), o.proposer_eu.abs());
            (a * x + b * o.from_position) / (a + b)
        }
        _ => (o.target - x).abs(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Params;
    use crate::models::bdm::settings;
    use proptest::prelude::*;

    fn loaded(x: &[f64], s: &[f64], c: &[f64]) -> Workspace {
        let mut ws = Workspace::new();
        let input = IssueInput {
            position: x,
            salience: s,
            capability: c,
            lo: 0.0,
            hi: 100.0,
            reference: None,
        };
        ws.load(&input).unwrap();
        ws.prepare();
        ws
    }

    fn actors() -> impl Strategy<Value = Vec<(f64, f64, f64)>> {
        // Positions on a coarse grid so that ties (shared positions, voters at midpoints) occur.
        prop::collection::vec(
            (
                (0u32..=20).prop_map(|k| k as f64 * 5.0),
                0.0..1.0f64,
                0.01..10.0f64,
            ),
            1..12,
        )
    }

    proptest! {
        #[test]
        fn prefix_sums_equal_the_direct_vote_count(a in actors()) {
            let x: Vec<f64> = a.iter().map(|t| t.0).collect();
            let s: Vec<f64> = a.iter().map(|t| t.1).collect();
            let c: Vec<f64> = a.iter().map(|t| t.2).collect();
            let mut ws = loaded(&x, &s, &c);
            let (set, _) = settings::resolve(&Params::new()).unwrap();
            ws.linear_probabilities();
            let fast = ws.prob.clone();
            ws.general_probabilities(&set, 100.0, false);
            for (k, (f, g)) in fast.iter().zip(&ws.prob).enumerate() {
                let (i, j) = (k / x.len(), k % x.len());
                if i != j {
                    prop_assert!((f - g).abs() < 1e-12, "P[{i}][{j}] {f} vs {g}");
                }
            }
        }

        #[test]
        fn plain_expected_utilities_equal_the_general_formula(a in actors(), risk in any::<bool>()) {
            let x: Vec<f64> = a.iter().map(|t| t.0).collect();
            let s: Vec<f64> = a.iter().map(|t| t.1).collect();
            let c: Vec<f64> = a.iter().map(|t| t.2).collect();
            let mut ws = loaded(&x, &s, &c);
            let (set, _) = settings::resolve(&Params::new()).unwrap();
            ws.linear_probabilities();
            for (k, r) in ws.r.iter_mut().enumerate() {
                *r = if risk { 0.5 + 1.5 * (k % 4) as f64 / 3.0 } else { 1.0 };
            }
            let ctx = RoundCtx { range: 100.0, median: ws.median, reference: None };
            ws.fill_eu_plain(100.0, true);
            let n = x.len();
            for i in 0..n {
                for j in 0..n {
                    if i != j {
                        let g = ws.eu_cell(&set, &ctx, i, j, ws.r[i]);
                        let f = ws.eu[i * n + j];
                        prop_assert!((f - g).abs() < 1e-12, "EU[{i}][{j}] {f} vs {g}");
                    }
                }
            }
        }

        #[test]
        fn fast_path_equals_the_general_path(
            a in prop::collection::vec((0.0..100.0f64, 0.0..1.0f64, 0.01..10.0f64), 1..14),
            variant in 0usize..4,
        ) {
            let x: Vec<f64> = a.iter().map(|t| t.0).collect();
            let s: Vec<f64> = a.iter().map(|t| t.1).collect();
            let c: Vec<f64> = a.iter().map(|t| t.2).collect();
            let p = match variant {
                0 => Params::new(),
                1 => Params::new().set("risk", "false"),
                2 => Params::new().set("conflicts_move", "true").set("exposure", "own"),
                _ => Params::new().set("range", "fixed").set("capitulation", "false"),
            };
            let (set, _) = settings::resolve(&p).unwrap();
            let input = IssueInput { position: &x, salience: &s, capability: &c, lo: 0.0, hi: 100.0, reference: None };
            let mut fast = Workspace::new();
            fast.load(&input).unwrap();
            let mut slow = fast.clone();
            slow.no_fast = true;
            let mut t_fast = RoundTrace::default();
            let mut t_slow = RoundTrace::default();
            let rf = fast.run(&set, &input, |_, _| {}, Some((1, &mut t_fast)));
            let rs = slow.run(&set, &input, |_, _| {}, Some((1, &mut t_slow)));
            prop_assert_eq!(rf.1, rs.1);
            prop_assert!((rf.0 - rs.0).abs() < 1e-9);
            for (f, g) in fast.x.iter().zip(&slow.x) {
                prop_assert!((f - g).abs() < 1e-9, "{} vs {}", f, g);
            }
            prop_assert_eq!(t_fast.actors.len(), t_slow.actors.len());
            for (f, g) in t_fast.actors.iter().zip(&t_slow.actors) {
                prop_assert_eq!(f.offers.len(), g.offers.len());
                prop_assert_eq!(f.taken, g.taken);
                prop_assert!((f.risk_exponent - g.risk_exponent).abs() < 1e-9);
            }
        }

        #[test]
        fn median_is_the_stats_median(a in actors()) {
            let x: Vec<f64> = a.iter().map(|t| t.0).collect();
            let s: Vec<f64> = a.iter().map(|t| t.1).collect();
            let c: Vec<f64> = a.iter().map(|t| t.2).collect();
            let w: Vec<f64> = s.iter().zip(&c).map(|(s, c)| s * c).collect();
            let ws = loaded(&x, &s, &c);
            prop_assert_eq!(Some(ws.median()), crate::stats::weighted_median(&x, &w));
            prop_assert_eq!(Some(ws.mean()), crate::stats::weighted_mean(&x, &w));
        }
    }
}
