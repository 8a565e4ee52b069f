//! One round of the exchange model on positions normalised to 0–100.
//!
//! See `docs/models/exchange.md` for the equations in words. Names used here:
//! side `A` supplies issue `q` (moves there toward `B`) and demands `p`; side `B` supplies `p`
//! and demands `q`. A *shift* is a change of an issue's outcome (weighted mean, 0–100); a
//! *move* is a change of one actor's voting position.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Moves at or below this size (0–100 scale) count as no move.
const TINY_MOVE: f64 = 1e-10;
/// Exchanges whose gain is below this are not worth making.
const TINY_GAIN: f64 = 1e-10;
/// Slack allowed when a voting position lands on the edge of the scale.
const EDGE_SLACK: f64 = 1e-9;
/// Gains are compared after rounding to this many units (1e-12): closer gains are ties.
const GAIN_QUANTUM: f64 = 1e12;

/// One actor's stake in one issue, normalised.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stake {
    /// Position 0–100.
    pub x: f64,
    /// Salience 0–1.
    pub s: f64,
    /// Vote weight capability × salience.
    pub w: f64,
}

/// The state at the start of a round: every stake, and per issue the total weight and the
/// weighted sum of positions.
#[derive(Debug, Clone)]
pub(crate) struct Board {
    pub n_actors: usize,
    pub n_issues: usize,
    /// `stakes[issue * n_actors + actor]`; `None` where the actor has no stance.
    pub stakes: Vec<Option<Stake>>,
    /// Σ w per issue.
    pub total_w: Vec<f64>,
    /// Σ w·x per issue.
    pub sum_wx: Vec<f64>,
}

impl Board {
    pub fn stake(&self, issue: usize, actor: usize) -> Option<&Stake> {
        self.stakes[issue * self.n_actors + actor].as_ref()
    }

    fn x(&self, issue: usize, actor: usize) -> f64 {
        self.stake(issue, actor).map_or(0.0, |s| s.x)
    }

    fn s(&self, issue: usize, actor: usize) -> f64 {
        self.stake(issue, actor).map_or(0.0, |s| s.s)
    }

    fn w(&self, issue: usize, actor: usize) -> f64 {
        self.stake(issue, actor).map_or(0.0, |s| s.w)
    }

    /// Recomputes the per-issue sums after positions changed.
    pub fn refresh(&mut self) {
        for k in 0..self.n_issues {
            let (mut tw, mut swx) = (0.0, 0.0);
            for a in 0..self.n_actors {
                if let Some(st) = self.stake(k, a) {
                    tw += st.w;
                    swx += st.w * st.x;
                }
            }
            self.total_w[k] = tw;
            self.sum_wx[k] = swx;
        }
    }

    /// The weighted-mean outcome of `issue` (0–100).
    pub fn outcome(&self, issue: usize) -> f64 {
        self.sum_wx[issue] / self.total_w[issue]
    }
}

/// How the gain of an exchange is split between the two actors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Rate {
    /// Both gain the same (Stokman & Van Oosten's equal-gain solution).
    Equal,
    /// A share drawn per exchange from a ChaCha8 stream seeded with this value.
    Random(u64),
}

/// The planned moves of one side, kept as a running list: Decide's validity test looks at
/// every move a side has been planned since its supply position last changed.
#[derive(Debug, Clone, Copy, Default)]
struct MoveLog {
    count_before: u32,
    sum_before: f64,
    min_before: f64,
    max_before: f64,
    last: Option<f64>,
}

impl MoveLog {
    fn push(&mut self, m: f64) {
        if let Some(l) = self.last {
            if self.count_before == 0 {
                self.min_before = l;
                self.max_before = l;
            } else {
                self.min_before = self.min_before.min(l);
                self.max_before = self.max_before.max(l);
            }
            self.count_before += 1;
            self.sum_before += l;
        }
        self.last = Some(m);
    }

    fn drop_last(&mut self) {
        self.last = None;
    }

    fn replace_last(&mut self, m: f64) {
        self.last = Some(m);
    }

    /// Every planned move points the same way and the net plan stays within the scale.
    fn consistent(&self) -> bool {
        let Some(l) = self.last else { return false };
        let (min, max, sum) = if self.count_before == 0 {
            (l, l, l)
        } else {
            (
                self.min_before.min(l),
                self.max_before.max(l),
                self.sum_before + l,
            )
        };
        sum <= 100.0 && ((min < 0.0 && max < 0.0) || (min > 0.0 && max > 0.0))
    }
}

/// One actor's part in an exchange.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Side {
    pub actor: usize,
    /// The issue on which this actor moves.
    pub supply: usize,
    /// The issue on which the other actor moves toward this one.
    pub demand: usize,
    /// The actor's position on `supply` at the start of the round.
    pub start: f64,
    /// Its voting position on `supply` before this exchange.
    pub x: f64,
    /// Its voting position on `supply` after this exchange.
    pub y: f64,
    log: MoveLog,
}

impl Side {
    fn new(board: &Board, actor: usize, supply: usize, demand: usize) -> Side {
        let x = board.x(supply, actor);
        Side {
            actor,
            supply,
            demand,
            start: x,
            x,
            y: x,
            log: MoveLog::default(),
        }
    }

    fn move_ok(&self, m: f64) -> bool {
        if m.abs() > 100.0 || m.abs() <= TINY_MOVE {
            return false;
        }
        let to = self.x + m;
        if !(-EDGE_SLACK..=100.0 + EDGE_SLACK).contains(&to) {
            return false;
        }
        self.log.consistent()
    }

    fn set_move(&mut self, m: f64, replace: bool) {
        if replace {
            self.log.replace_last(m);
        } else {
            self.log.push(m);
        }
        self.y = (self.x + m).clamp(0.0, 100.0);
    }
}

/// A voting position another actor took in an exchange already made this round, as one
/// exchange remembers it (Decide's bookkeeping: see the docs).
#[derive(Debug, Clone, Copy)]
struct Update {
    issue: usize,
    actor: usize,
    pos: f64,
}

/// A possible exchange between two actors over two issues.
#[derive(Debug, Clone)]
pub(crate) struct Trade {
    pub a: Side,
    pub b: Side,
    /// Outcome shift on `p` (B's supply issue) and on `q` (A's), 0–100.
    dp: f64,
    dq: f64,
    /// Weight of A's saliences in the exchange rate (0.5: equal gain).
    share: f64,
    updates: Vec<Update>,
    pub valid: bool,
    alive: bool,
    /// Position in the list of all exchanges of the round (the tie rule).
    pub order: u32,
}

impl Trade {
    /// Gain of side A and of side B (salience-weighted outcome shifts).
    pub fn gains(&self, board: &Board) -> (f64, f64) {
        let (a, b) = (&self.a, &self.b);
        let ga = self.dp * board.s(b.supply, a.actor) - self.dq * board.s(a.supply, a.actor);
        let gb = self.dq * board.s(a.supply, b.actor) - self.dp * board.s(b.supply, b.actor);
        (ga, gb)
    }

    fn rank_key(&self, board: &Board) -> i64 {
        let (ga, gb) = self.gains(board);
        ((ga.abs() + gb.abs()) / 2.0 * GAIN_QUANTUM).round() as i64
    }

    /// Outcome shift on `q` per unit shift on `p` that splits the gain by `share`.
    fn rate(&self, board: &Board) -> f64 {
        let (a, b) = (self.a.actor, self.b.actor);
        let (p, q) = (self.b.supply, self.a.supply);
        let w = self.share;
        (w * board.s(p, a) + (1.0 - w) * board.s(p, b))
            / (w * board.s(q, a) + (1.0 - w) * board.s(q, b))
    }

    /// The outcome of `side`'s supply issue with the remembered updates, then `side` at
    /// `pos` (the side's own position wins over an update).
    fn outcome_with(&self, board: &Board, side: &Side, pos: f64) -> f64 {
        let k = side.supply;
        let mut sum = board.sum_wx[k];
        for u in self
            .updates
            .iter()
            .filter(|u| u.issue == k && u.actor != side.actor)
        {
            sum += board.w(k, u.actor) * (u.pos - board.x(k, u.actor));
        }
        sum += board.w(k, side.actor) * (pos - board.x(k, side.actor));
        sum / board.total_w[k]
    }

    /// The outcome with `side` at `pos` and then the updates (an update wins).
    fn outcome_updates_last(&self, board: &Board, side: &Side, pos: f64) -> f64 {
        let k = side.supply;
        let mut sum = board.sum_wx[k];
        let mut own = false;
        for u in self.updates.iter().filter(|u| u.issue == k) {
            sum += board.w(k, u.actor) * (u.pos - board.x(k, u.actor));
            own |= u.actor == side.actor;
        }
        if !own {
            sum += board.w(k, side.actor) * (pos - board.x(k, side.actor));
        }
        sum / board.total_w[k]
    }

    /// Computes the moves and gains from the sides' current positions.
    fn calculate(&mut self, board: &Board) {
        let (p, q) = (self.b.supply, self.a.supply);
        let (aa, ba) = (self.a.actor, self.b.actor);
        let (wap, wbp) = (board.w(q, aa), board.w(p, ba));
        let k = self.rate(board);
        // A's position on p is B's target; B's position on q is A's target.
        let target_b = board.x(p, aa);
        let target_a = board.x(q, ba);
        let gap_b = (target_b - self.b.x).abs();
        let gap_a = (target_a - self.a.x).abs();
        self.dp = gap_b * wbp / board.total_w[p];
        self.dq = self.dp * k;
        let mut move_a = self.dq * board.total_w[q] / wap;
        let mut move_b = gap_b;
        if move_a > gap_a {
            self.dq = gap_a * wap / board.total_w[q];
            self.dp = self.dq / k;
            move_a = gap_a;
            move_b = self.dp * board.total_w[p] / wbp;
        }
        if self.a.x > target_a {
            move_a = -move_a;
        }
        if self.b.x > target_b {
            move_b = -move_b;
        }
        self.a.set_move(move_a, false);
        self.b.set_move(move_b, false);
        let (ga, _) = self.gains(board);
        self.valid = self.a.move_ok(move_a) && self.b.move_ok(move_b) && ga.abs() >= TINY_GAIN;
        if !self.valid {
            return;
        }
        self.cap_at_target(board, true);
        self.cap_at_target(board, false);
        let (ma, mb) = (self.a.y - self.a.x, self.b.y - self.b.x);
        self.valid = self.a.move_ok(ma) && self.b.move_ok(mb);
    }

    /// If `side`'s move would push its supply issue's outcome past the other actor's own
    /// position there, shrinks it so the outcome lands exactly on that position, and scales
    /// the other side's move to keep the exchange rate.
    fn cap_at_target(&mut self, board: &Board, side_a: bool) {
        let (me, other) = if side_a {
            (&self.a, &self.b)
        } else {
            (&self.b, &self.a)
        };
        let target = board.x(me.supply, other.actor);
        let before = self.outcome_with(board, me, me.x);
        let after = self.outcome_with(board, me, me.y);
        let same_side = (target - before >= 0.0 && target - after >= 0.0)
            || (target - before <= 0.0 && target - after <= 0.0);
        if same_side {
            return;
        }
        let k_me = me.supply;
        let now = self.outcome_updates_last(board, me, me.x);
        let w_me = board.w(k_me, me.actor);
        let delta = ((target - now) * board.total_w[k_me] / w_me).abs();
        let shift_me = delta * w_me / board.total_w[k_me];
        let rate = self.rate(board);
        let shift_other = if side_a {
            shift_me / rate
        } else {
            shift_me * rate
        };
        let k_other = other.supply;
        let mut move_other = shift_other * board.total_w[k_other] / board.w(k_other, other.actor);
        if other.x > board.x(k_other, me.actor) {
            move_other = -move_other;
        }
        let move_me = if me.x > target { -delta } else { delta };
        if side_a {
            self.dq = shift_me;
            self.dp = shift_other;
            self.a.set_move(move_me, true);
            self.b.set_move(move_other, true);
        } else {
            self.dp = shift_me;
            self.dq = shift_other;
            self.b.set_move(move_me, true);
            self.a.set_move(move_other, true);
        }
    }

    /// Brings this exchange up to date after exchange `done` was made. Returns whether it
    /// had to be recomputed.
    fn refresh_after(&mut self, board: &Board, done: &Trade) -> bool {
        let mut moved = [false, false];
        for (k, side) in [&mut self.a, &mut self.b].into_iter().enumerate() {
            for d in [&done.a, &done.b] {
                if side.actor == d.actor && side.supply == d.supply {
                    side.x = d.y;
                    moved[k] = true;
                    break;
                }
            }
        }
        let mut recompute = moved[0] || moved[1];
        let pairs = [(&done.b, &done.a), (&done.a, &done.b)];
        for (demander, supplier) in pairs {
            let mine = |s: &Side| s.actor == demander.actor && s.demand == demander.demand;
            if mine(&self.b) || mine(&self.a) {
                self.remember(demander.demand, supplier);
                recompute = true;
            }
        }
        if !recompute {
            return false;
        }
        if !moved[0] {
            self.a.log.drop_last();
        }
        if !moved[1] {
            self.b.log.drop_last();
        }
        self.calculate(board);
        true
    }

    /// Remembers where `supplier` now votes on `issue` (keeping, of two moves, the one
    /// nearer to where it started the round).
    fn remember(&mut self, issue: usize, supplier: &Side) {
        let found = self
            .updates
            .iter_mut()
            .find(|u| u.issue == issue && u.actor == supplier.actor);
        match found {
            Some(u) => {
                u.pos = if supplier.start <= u.pos {
                    u.pos.min(supplier.y)
                } else {
                    u.pos.max(supplier.y)
                };
            }
            None => self.updates.push(Update {
                issue,
                actor: supplier.actor,
                pos: supplier.y,
            }),
        }
    }

    /// The outcome of `side`'s supply issue before and after its move, as this exchange
    /// sees it (0–100).
    pub fn outcomes(&self, board: &Board, side: &Side) -> (f64, f64) {
        (
            self.outcome_with(board, side, side.x),
            self.outcome_with(board, side, side.y),
        )
    }
}

/// Every feasible exchange of the round, in the order of the tie rule: issue pairs in
/// scenario order, within a pair the a–d group pairs before b–c, then actors in order.
pub(crate) fn list_exchanges(board: &Board, rate: Rate, round: usize) -> Vec<Trade> {
    let mut rng = match rate {
        Rate::Random(seed) => Some(ChaCha8Rng::seed_from_u64(
            seed ^ (round as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        )),
        Rate::Equal => None,
    };
    let outcome: Vec<f64> = (0..board.n_issues).map(|k| board.outcome(k)).collect();
    let mut out = Vec::new();
    let mut groups: [Vec<usize>; 4] = Default::default();
    for p in 0..board.n_issues {
        for q in p + 1..board.n_issues {
            for g in groups.iter_mut() {
                g.clear();
            }
            for a in 0..board.n_actors {
                let (Some(sp), Some(sq)) = (board.stake(p, a), board.stake(q, a)) else {
                    continue;
                };
                if sp.w <= 0.0 || sq.w <= 0.0 {
                    continue;
                }
                let left_p = usize::from(sp.x <= outcome[p]);
                let left_q = usize::from(sq.x <= outcome[q]);
                groups[left_p | (left_q << 1)].push(a);
            }
            for (gi, gj) in [(0, 3), (1, 2)] {
                for &i in &groups[gi] {
                    for &j in &groups[gj] {
                        let share = rng.as_mut().map_or(0.5, |r| r.random::<f64>());
                        let mut t = new_trade(board, i, j, p, q, share, out.len() as u32);
                        t.calculate(board);
                        if t.valid {
                            out.push(t);
                        }
                    }
                }
            }
        }
    }
    for (k, t) in out.iter_mut().enumerate() {
        t.order = k as u32;
    }
    out
}

/// Sets up the exchange of actors `i` and `j` over issues `p < q`: the actor with the
/// higher relative salience of `p` demands `p` (Decide gives `i` that role on a tie).
fn new_trade(
    board: &Board,
    i: usize,
    j: usize,
    p: usize,
    q: usize,
    share: f64,
    order: u32,
) -> Trade {
    let i_less_on_p = board.s(p, i) * board.s(q, j) < board.s(p, j) * board.s(q, i);
    let (demands_p, supplies_p) = if i_less_on_p { (j, i) } else { (i, j) };
    Trade {
        a: Side::new(board, demands_p, q, p),
        b: Side::new(board, supplies_p, p, q),
        dp: 0.0,
        dq: 0.0,
        share,
        updates: Vec::new(),
        valid: false,
        alive: true,
        order,
    }
}

/// Which of several exchanges with the same gain is made first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ties {
    /// The one listed first (issue pairs in scenario order, a–d before b–c groups, then
    /// actors in scenario order).
    First,
    /// The one listed last.
    Last,
    /// Decide's own rule (a stable sort by gain in 28-digit decimals and a draw from
    /// CPython's `random` between the first two); run by the `decide` module, not here.
    Decide,
}

impl Ties {
    fn key(self, order: u32) -> i64 {
        match self {
            Ties::First | Ties::Decide => -i64::from(order),
            Ties::Last => i64::from(order),
        }
    }
}

/// Picks one of several exchanges tied for the highest gain (given in tie-rule order);
/// The first argument is how many exchanges the round has made so far; `None` keeps the
/// tie rule's choice. Used to replay another program's random choices.
pub(crate) type Chooser<'a> = dyn FnMut(usize, &[&Trade]) -> Option<usize> + 'a;

/// Rank of an exchange: gain (rounded), then the tie rule. Made exchanges rank `DEAD`.
type Rank = (i64, i64);
const DEAD: Rank = (i64::MIN, i64::MIN);

/// A tournament tree over the exchanges of a round: the root holds the best one still
/// open. Each node keeps the winning rank beside its exchange, so a change costs O(log n)
/// reads of neighbouring nodes.
struct Ranking {
    size: usize,
    node: Vec<(Rank, u32)>,
}

impl Ranking {
    fn new(ranks: Vec<Rank>) -> Ranking {
        let size = ranks.len().next_power_of_two().max(1);
        let mut node = vec![(DEAD, 0u32); 2 * size];
        for (i, n) in node[size..].iter_mut().enumerate() {
            *n = (ranks.get(i).copied().unwrap_or(DEAD), i as u32);
        }
        for j in (1..size).rev() {
            node[j] = Self::winner(node[2 * j], node[2 * j + 1]);
        }
        Ranking { size, node }
    }

    fn winner(a: (Rank, u32), b: (Rank, u32)) -> (Rank, u32) {
        if b.0 > a.0 { b } else { a }
    }

    fn set(&mut self, leaf: usize, rank: Rank) {
        let mut j = self.size + leaf;
        self.node[j].0 = rank;
        while j > 1 {
            j /= 2;
            self.node[j] = Self::winner(self.node[2 * j], self.node[2 * j + 1]);
        }
    }

    /// The best open exchange and its rank.
    fn best(&self) -> Option<(usize, Rank)> {
        let (rank, b) = self.node[1];
        (rank != DEAD).then_some((b as usize, rank))
    }
}

/// Makes exchanges best-first until none is left. Returns them in the order made.
pub(crate) fn realise(
    board: &Board,
    mut trades: Vec<Trade>,
    ties: Ties,
    choose: &mut Chooser<'_>,
) -> Vec<Trade> {
    let slots = board.n_issues * board.n_actors;
    let mut by_supply: Vec<Vec<u32>> = vec![Vec::new(); slots];
    let mut by_demand: Vec<Vec<u32>> = vec![Vec::new(); slots];
    for (id, t) in trades.iter().enumerate() {
        for s in [&t.a, &t.b] {
            by_supply[s.supply * board.n_actors + s.actor].push(id as u32);
            by_demand[s.demand * board.n_actors + s.actor].push(id as u32);
        }
    }
    let rank = |t: &Trade| (t.rank_key(board), ties.key(t.order));
    let mut ranking = Ranking::new(trades.iter().map(rank).collect());
    let mut seen = vec![u32::MAX; trades.len()];
    let mut made = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    let mut tied: Vec<(usize, Rank)> = Vec::new();
    while let Some(top) = ranking.best() {
        // Gather every open exchange with the same gain, in tie-rule order.
        tied.clear();
        tied.push(top);
        ranking.set(top.0, DEAD);
        while let Some(next) = ranking.best() {
            if next.1.0 != top.1.0 {
                break;
            }
            tied.push(next);
            ranking.set(next.0, DEAD);
        }
        let pick = if tied.len() > 1 {
            let refs: Vec<&Trade> = tied.iter().map(|e| &trades[e.0]).collect();
            choose(made.len(), &refs)
                .filter(|&k| k < tied.len())
                .unwrap_or(0)
        } else {
            0
        };
        let id = tied[pick].0;
        for (k, e) in tied.iter().enumerate() {
            if k != pick {
                ranking.set(e.0, e.1);
            }
        }
        trades[id].alive = false;
        let done = trades[id].clone();
        touched.clear();
        let stamp = made.len() as u32;
        let n = board.n_actors;
        let lists = [
            (true, done.a.supply * n + done.a.actor),
            (true, done.b.supply * n + done.b.actor),
            (false, done.a.demand * n + done.a.actor),
            (false, done.b.demand * n + done.b.actor),
        ];
        for (supply, key) in lists {
            let index = if supply {
                &mut by_supply
            } else {
                &mut by_demand
            };
            // Drop exchanges no longer open while looking for the ones to update.
            index[key].retain(|&other| {
                let open = trades[other as usize].alive;
                if open && seen[other as usize] != stamp {
                    seen[other as usize] = stamp;
                    touched.push(other);
                }
                open
            });
        }
        for &other in &touched {
            let t = &mut trades[other as usize];
            if t.refresh_after(board, &done) {
                if t.valid {
                    let r = rank(t);
                    ranking.set(other as usize, r);
                } else {
                    t.alive = false;
                    ranking.set(other as usize, DEAD);
                }
            }
        }
        made.push(done);
    }
    made
}
