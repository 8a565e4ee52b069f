//! Who votes in the Council and which coalitions win: EU qualified majority by treaty
//! regime and membership on a date, unanimity, or a generic weighted quota.
//!
//! Treaty weights come from [`crate::backtest::council`]. Membership by date: the EU-15
//! until April 2004; ten members join on 1 May 2004; Bulgaria and Romania on 1 January
//! 2007; Croatia on 1 July 2013; the United Kingdom leaves on 1 February 2020.

use crate::backtest::council::{Date, Regime};

/// How the Council decides.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// EU qualified majority under the treaty regime in force on the date.
    Qualified(Date),
    /// Every member must agree.
    Unanimity,
    /// The yes votes' capability must reach `quota` × the voters' total (0 < quota ≤ 1).
    Weighted(f64),
}

/// One voter: a Council member or, under a generic rule, an actor.
#[derive(Debug, Clone, PartialEq)]
pub struct Voter {
    /// The actor id (a DEU member code under EU rules).
    pub id: String,
    /// Votes (Nice and earlier), population share (Lisbon) or capability (generic).
    pub weight: f64,
    /// The voter's ideal point; `None` when it has none (absent or indifferent).
    pub ideal: Option<f64>,
}

/// Members of the Union on `date` under `regime`, with their weights.
pub fn members(date: Date) -> Vec<(&'static str, f64)> {
    let regime = Regime::on(date);
    regime
        .table()
        .iter()
        .filter(|(code, _)| is_member(code, date))
        .copied()
        .collect()
}

fn is_member(code: &str, date: Date) -> bool {
    match code {
        "cy" | "cz" | "ee" | "hu" | "lv" | "lt" | "mt" | "pl" | "sk" | "si" => date >= (2004, 5, 1),
        "bu" | "ro" => date >= (2007, 1, 1),
        "cr" => date >= (2013, 7, 1),
        "uk" => date < (2020, 2, 1),
        _ => true,
    }
}

/// Nice-era qualified majority: (votes needed, total votes) by number of members.
fn nice_threshold(members: usize) -> Option<f64> {
    match members {
        25 => Some(232.0),
        27 => Some(255.0),
        28 => Some(260.0),
        _ => None,
    }
}

impl Rule {
    /// True when the voters marked `yes` (parallel to `voters`) carry the decision.
    pub fn wins(&self, voters: &[Voter], yes: &[bool]) -> bool {
        let n = voters.len();
        let n_yes = yes.iter().filter(|y| **y).count();
        let w_yes: f64 = voters
            .iter()
            .zip(yes)
            .filter(|(_, y)| **y)
            .map(|(v, _)| v.weight)
            .sum();
        let w_all: f64 = voters.iter().map(|v| v.weight).sum();
        match self {
            Rule::Unanimity => n_yes == n,
            Rule::Weighted(quota) => w_yes >= quota * w_all - 1e-12 * w_all.abs(),
            Rule::Qualified(date) => match Regime::on(*date) {
                Regime::PreNice => w_yes >= 62.0,
                Regime::Accession2004 => w_yes >= 88.0,
                Regime::Nice => {
                    let need = nice_threshold(n).unwrap_or(0.739 * w_all);
                    w_yes >= need && 2 * n_yes > n
                }
                Regime::Lisbon => {
                    let members_needed = ((0.55 * n as f64).ceil() as usize).max(15.min(n));
                    let double = n_yes >= members_needed && w_yes >= 0.65 * w_all;
                    // A blocking minority needs at least four members.
                    double || n - n_yes < 4
                }
            },
        }
    }

    /// The pivot for moves up from `q`: the highest `p` such that the voters whose ideal is
    /// at least `p`, with the absent ones if `absent_support`, win. A move to `y > q` passes
    /// when `(q + y) / 2 ≤ p`. `None`: no coalition wins; `+∞`: the absent alone win.
    pub fn pivot_up(&self, voters: &[Voter], absent_support: bool) -> Option<f64> {
        self.pivot(voters, absent_support, |a, b| b.total_cmp(&a))
    }

    /// The pivot for moves down: the lowest `p` such that the voters whose ideal is at
    /// most `p` (and the absent ones if `absent_support`) win; `−∞` if the absent alone win.
    pub fn pivot_down(&self, voters: &[Voter], absent_support: bool) -> Option<f64> {
        self.pivot(voters, absent_support, |a, b| a.total_cmp(&b))
            .map(|p| {
                if p == f64::INFINITY {
                    f64::NEG_INFINITY
                } else {
                    p
                }
            })
    }

    fn pivot(
        &self,
        voters: &[Voter],
        absent_support: bool,
        order: impl Fn(f64, f64) -> std::cmp::Ordering,
    ) -> Option<f64> {
        let mut yes: Vec<bool> = voters
            .iter()
            .map(|v| v.ideal.is_none() && absent_support)
            .collect();
        if self.wins(voters, &yes) {
            return Some(f64::INFINITY);
        }
        let mut ideals: Vec<f64> = voters.iter().filter_map(|v| v.ideal).collect();
        ideals.sort_by(|a, b| order(*a, *b));
        ideals.dedup();
        for p in ideals {
            for (k, v) in voters.iter().enumerate() {
                if v.ideal == Some(p) {
                    yes[k] = true;
                }
            }
            if self.wins(voters, &yes) {
                return Some(p);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn council(date: Date) -> Vec<Voter> {
        members(date)
            .into_iter()
            .map(|(id, weight)| Voter {
                id: id.to_string(),
                weight,
                ideal: Some(0.0),
            })
            .collect()
    }

    #[test]
    fn membership_and_totals_follow_the_enlargements() {
        let total = |d: Date| members(d).iter().map(|m| m.1).sum::<f64>();
        assert_eq!(members((1999, 1, 1)).len(), 15);
        assert_eq!(total((1999, 1, 1)), 87.0);
        assert_eq!(total((2004, 6, 1)), 124.0);
        assert_eq!(
            (members((2005, 1, 1)).len(), total((2005, 1, 1))),
            (25, 321.0)
        );
        assert_eq!(
            (members((2008, 1, 1)).len(), total((2008, 1, 1))),
            (27, 345.0)
        );
        assert_eq!(
            (members((2014, 1, 1)).len(), total((2014, 1, 1))),
            (28, 352.0)
        );
        assert_eq!(members((2016, 1, 1)).len(), 28);
        assert_eq!(members((2021, 1, 1)).len(), 27);
    }

    #[test]
    fn qualified_majority_thresholds() {
        // Pre-Nice: the four large members (40) and Spain (8) and the Benelux (12) and
        // Portugal (5) make 65 ≥ 62; without Portugal and Luxembourg 58 < 62.
        let date = (1999, 1, 1);
        let v = council(date);
        let yes_of = |ids: &[&str]| -> Vec<bool> {
            v.iter().map(|m| ids.contains(&m.id.as_str())).collect()
        };
        let rule = Rule::Qualified(date);
        assert!(rule.wins(
            &v,
            &yes_of(&["de", "fr", "it", "uk", "es", "be", "nl", "lu", "pt"])
        ));
        assert!(!rule.wins(&v, &yes_of(&["de", "fr", "it", "uk", "es", "be", "nl"])));
        // Lisbon: 24 small and middle members lack 65 % of the population but three large
        // ones (de, fr, uk: 41.7 %) are fewer than four: no blocking minority, it passes.
        let date = (2016, 1, 1);
        let v = council(date);
        let all_but = |out: &[&str]| -> Vec<bool> {
            v.iter().map(|m| !out.contains(&m.id.as_str())).collect()
        };
        let rule = Rule::Qualified(date);
        assert!(rule.wins(&v, &all_but(&["de", "fr", "uk"])));
        assert!(!rule.wins(&v, &all_but(&["de", "fr", "uk", "it"])));
        assert!(Rule::Unanimity.wins(&v, &all_but(&[])));
        assert!(!Rule::Unanimity.wins(&v, &all_but(&["mt"])));
    }

    #[test]
    fn pivots_of_a_weighted_majority() {
        let v = |ideals: &[(f64, f64)]| -> Vec<Voter> {
            ideals
                .iter()
                .enumerate()
                .map(|(k, (x, w))| Voter {
                    id: format!("v{k}"),
                    weight: *w,
                    ideal: Some(*x),
                })
                .collect()
        };
        // Weights 3, 2, 2 at 10, 40, 90; quota 4/7: upwards the 90 and 40 voters (4) win:
        // pivot 40. Downwards 10 and 40 (5) win: pivot 40.
        let voters = v(&[(10.0, 3.0), (40.0, 2.0), (90.0, 2.0)]);
        let rule = Rule::Weighted(4.0 / 7.0);
        assert_eq!(rule.pivot_up(&voters, true), Some(40.0));
        assert_eq!(rule.pivot_down(&voters, true), Some(40.0));
        assert_eq!(Rule::Unanimity.pivot_up(&voters, true), Some(10.0));
        assert_eq!(Rule::Unanimity.pivot_down(&voters, true), Some(90.0));
    }
}
