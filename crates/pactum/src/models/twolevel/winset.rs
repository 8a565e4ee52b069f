//! Win-sets on one issue and how a level-I bargain is settled against them.
//!
//! Every domestic actor compares a deal `x` with the reversion point `r` by its own
//! position `p` under a symmetric single-peaked utility: it accepts `x ≠ r` when
//! `|x − p| ≤ |r − p|`, i.e. `x` lies between `r` and `2p − r` (its mirror image of `r`).
//! Each actor's acceptance set, a threshold over them and an intersection of veto players'
//! sets are therefore all of the form `[lo, hi]` with `lo ≤ r ≤ hi`, minus the point `r`
//! itself (no deal is not a deal). [`WinSet`] stores that interval.

use serde::Serialize;

/// The deals a side ratifies: `[lo, hi]` without the reversion point, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WinSet {
    /// Lowest ratified deal (equals the reversion point when none lies below it).
    pub lo: f64,
    /// Highest ratified deal (equals the reversion point when none lies above it).
    pub hi: f64,
}

impl WinSet {
    /// Every deal on the scale `[lo, hi]` (a side without a ratification rule).
    pub fn whole(lo: f64, hi: f64) -> WinSet {
        WinSet { lo, hi }
    }

    /// True when no deal is ratified (`lo == hi`, i.e. only the reversion point).
    pub fn is_empty(&self) -> bool {
        self.lo >= self.hi
    }

    /// True when `x` is a ratified deal; `r` is the reversion point.
    pub fn contains(&self, x: f64, r: f64) -> bool {
        !self.is_empty() && x != r && self.lo <= x && x <= self.hi
    }

    /// The deals both sets ratify.
    pub fn intersect(&self, other: &WinSet) -> WinSet {
        WinSet {
            lo: self.lo.max(other.lo),
            hi: self.hi.min(other.hi),
        }
    }
}

/// One domestic actor as the ratification sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Voter {
    /// Its position, in the units.
    pub position: f64,
    /// Its weight `capability × salience` (≥ 0).
    pub weight: f64,
}

/// The acceptance set of one actor at `p`, on the scale `[lo, hi]`, reversion `r`.
pub fn accepted(p: f64, r: f64, lo: f64, hi: f64) -> WinSet {
    let mirror = 2.0 * p - r;
    if p > r {
        WinSet {
            lo: r,
            hi: mirror.min(hi),
        }
    } else if p < r {
        WinSet {
            lo: mirror.max(lo),
            hi: r,
        }
    } else {
        WinSet { lo: r, hi: r }
    }
}

/// The deals that at least a share `threshold` (0–1) of the voters' total weight prefers
/// to `r`. Ties at the threshold ratify (shares compared with a relative tolerance of
/// 1e-12, so an exact half reaches 0.5). With zero total weight only a zero threshold
/// ratifies anything.
pub fn threshold_set(voters: &[Voter], threshold: f64, r: f64, lo: f64, hi: f64) -> WinSet {
    let total: f64 = voters.iter().map(|v| v.weight).sum();
    if threshold <= 0.0 {
        return WinSet::whole(lo, hi);
    }
    let need = threshold * total * (1.0 - 1e-12);
    if total <= 0.0 {
        return WinSet { lo: r, hi: r };
    }
    // Above r: the supporters of x are the voters whose mirror lies at or beyond x, so the
    // set ends at the mirror where the cumulative weight (farthest first) reaches `need`.
    let reach = |mut ends: Vec<(f64, f64)>, far_first: fn(&f64, &f64) -> std::cmp::Ordering| {
        ends.sort_by(|a, b| far_first(&a.0, &b.0));
        let mut cum = 0.0;
        for (end, w) in ends {
            cum += w;
            if cum >= need {
                return Some(end);
            }
        }
        None
    };
    let up: Vec<(f64, f64)> = voters
        .iter()
        .filter(|v| v.position > r)
        .map(|v| (accepted(v.position, r, lo, hi).hi, v.weight))
        .collect();
    let down: Vec<(f64, f64)> = voters
        .iter()
        .filter(|v| v.position < r)
        .map(|v| (accepted(v.position, r, lo, hi).lo, v.weight))
        .collect();
    let hi_end = reach(up, |a, b| b.total_cmp(a)).unwrap_or(r);
    let lo_end = reach(down, |a, b| a.total_cmp(b)).unwrap_or(r);
    WinSet {
        lo: lo_end,
        hi: hi_end,
    }
}

/// How a level-I bargain ends once every side's ratification is applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settlement {
    /// The forecast: the level-I outcome, the nearest ratified deal, or the reversion point.
    pub forecast: f64,
    /// Whether a deal every side ratifies is reached.
    pub agreement: bool,
}

/// Settles the level-I outcome `x` against the sides' win-sets (`r`: reversion point).
///
/// `x` stands if every side ratifies it. Otherwise the forecast is the nearest point of the
/// intersection of the win-sets. There is no agreement (forecast `r`) when the intersection
/// is empty, when `x` is the reversion point, or when the only ratified deals lie on the
/// other side of `r` from `x` (the nearest of them is then arbitrarily close to `r`).
pub fn settle(x: f64, r: f64, sets: &[WinSet]) -> Settlement {
    let none = Settlement {
        forecast: r,
        agreement: false,
    };
    let Some(both) = sets.iter().copied().reduce(|a, b| a.intersect(&b)) else {
        return Settlement {
            forecast: x,
            agreement: true,
        };
    };
    if both.is_empty() || x == r {
        return none;
    }
    let f = x.clamp(both.lo, both.hi);
    if f == r {
        return none;
    }
    Settlement {
        forecast: f,
        agreement: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(position: f64, weight: f64) -> Voter {
        Voter { position, weight }
    }

    #[test]
    fn one_actor_accepts_up_to_its_mirror_of_the_reversion() {
        assert_eq!(
            accepted(30.0, 38.5, 0.0, 38.5),
            WinSet { lo: 21.5, hi: 38.5 }
        );
        assert_eq!(
            accepted(25.0, 0.0, 0.0, 100.0),
            WinSet { lo: 0.0, hi: 50.0 }
        );
        assert!(accepted(30.0, 30.0, 0.0, 30.0).is_empty());
        assert_eq!(accepted(10.0, 38.5, 0.0, 38.5).lo, 0.0); // clipped to the scale
    }

    #[test]
    fn threshold_counts_weight_farthest_first() {
        // r = 0; voters at 10 (w 1), 20 (w 1), 40 (w 2): mirrors 20, 40, 80.
        let vs = [v(10.0, 1.0), v(20.0, 1.0), v(40.0, 2.0)];
        assert_eq!(threshold_set(&vs, 0.5, 0.0, 0.0, 100.0).hi, 80.0);
        assert_eq!(threshold_set(&vs, 0.75, 0.0, 0.0, 100.0).hi, 40.0);
        assert_eq!(threshold_set(&vs, 1.0, 0.0, 0.0, 100.0).hi, 20.0);
        assert_eq!(threshold_set(&vs, 0.0, 0.0, 0.0, 100.0).hi, 100.0);
    }

    #[test]
    fn a_voter_at_the_reversion_point_counts_against_every_deal() {
        let vs = [v(0.0, 1.0), v(10.0, 1.0)];
        assert_eq!(threshold_set(&vs, 0.5, 0.0, 0.0, 100.0).hi, 20.0);
        assert!(threshold_set(&vs, 0.6, 0.0, 0.0, 100.0).is_empty());
    }

    #[test]
    fn settle_keeps_ratified_deals_and_clamps_others() {
        let a = WinSet { lo: 0.0, hi: 40.0 };
        let b = WinSet { lo: 0.0, hi: 25.0 };
        assert_eq!(settle(20.0, 0.0, &[a, b]).forecast, 20.0);
        let s = settle(30.0, 0.0, &[a, b]);
        assert_eq!((s.forecast, s.agreement), (25.0, true));
        let c = WinSet { lo: -5.0, hi: 0.0 };
        let s = settle(30.0, 0.0, &[a, c]);
        assert_eq!((s.forecast, s.agreement), (0.0, false));
        assert!(settle(10.0, 0.0, &[]).agreement);
    }
}
