//! Bueno de Mesquita's expected-utility challenge model, as reconstructed by Scholz,
//! Calbert & Smith (2011), "Unravelling Bueno De Mesquita's group decision model".
//!
//! Each round, on one issue: every actor `i` weighs challenging every other `j`. Voters
//! back the nearer of the two positions, weighted by `capability × salience`; the win
//! probability is `i`'s share of the votes. Five basic utilities (success, failure, better,
//! worse, status quo) of normalised distances, raised to a risk exponent, give the expected
//! utility of challenging `EU_ij`. Risk exponents (0.5–2) come from each actor's exposure
//! (what its adversaries expect from challenging it). Each pair's `(EU_ij, EU_ji)` is an
//! offer class: conflict, compromise (the weaker side moves part way, by `|EU_i / EU_j|`),
//! capitulation (it moves fully) or status quo. Every actor takes at most one offer (by
//! default the most enforceable: the proposer expecting most from pressing it) and all move
//! at once. The forecast is the final weighted median; the weighted mean is reported too.
//!
//! Scenarios with several issues are solved one issue at a time, independently: the model
//! has no cross-issue trading (see the `exchange` model for that).
//!
//! Every choice where the paper or the peers differ is a parameter (see [`settings::SPECS`])
//! and is discussed in `docs/models/bdm.md`.

mod engine;
pub mod explain;
pub mod settings;

pub use engine::{OfferKind, Stop};
pub use explain::{ActorRoundExplanation, OfferExplanation, RoundExplanation, explain};
pub use settings::Settings;

use super::{Forecast, IssueForecast, Model, ParamSpec, Params, Positions, Preset, Round};
use crate::error::ModelError;
use crate::snapshot::{IssueData, Snapshot};
use engine::{IssueInput, Workspace};
use settings::StatusQuo;

/// The challenge model (`--model bdm`).
pub struct Bdm;

/// Per-thread buffers for [`Model::forecast_values`], so repeated calls (Monte Carlo)
/// neither re-parse the same parameters nor reallocate.
#[derive(Default)]
struct Scratch {
    last: Option<(Params, Settings)>,
    workspace: Workspace,
}

impl Scratch {
    fn settings(&mut self, params: &Params) -> Result<Settings, ModelError> {
        if let Some((p, s)) = &self.last
            && p == params
        {
            return Ok(*s);
        }
        let (s, _) = settings::resolve(params)?;
        self.last = Some((params.clone(), s));
        Ok(s)
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The numeric inputs of issue `d`, checked against the settings.
fn input_of<'a>(
    snap: &Snapshot,
    d: &'a IssueData,
    set: &Settings,
) -> Result<IssueInput<'a>, ModelError> {
    if set.status_quo == StatusQuo::Reference && d.reference.is_none() {
        return Err(ModelError::Unsuitable(format!(
            "issue `{}` has no reference point, but status_quo = reference needs one",
            issue_id(snap, d)
        )));
    }
    Ok(IssueInput {
        position: &d.position,
        salience: &d.salience,
        capability: &d.capability,
        lo: d.lo,
        hi: d.hi,
        reference: d.reference,
    })
}

fn issue_id<'a>(snap: &'a Snapshot, d: &IssueData) -> &'a str {
    snap.issue_ids
        .get(d.issue)
        .map(String::as_str)
        .unwrap_or("?")
}

/// Loads issue `d` into `ws`, naming the issue in any error.
fn load(
    ws: &mut Workspace,
    snap: &Snapshot,
    d: &IssueData,
    input: &IssueInput,
) -> Result<(), ModelError> {
    ws.load(input).map_err(|e| match e {
        ModelError::Unsuitable(m) => {
            ModelError::Unsuitable(format!("issue `{}`: {m}", issue_id(snap, d)))
        }
        other => other,
    })
}

fn positions(snap: &Snapshot, d: &IssueData, x: &[f64]) -> Positions {
    Positions(
        d.actors
            .iter()
            .zip(x)
            .map(|(a, x)| (snap.actor_ids[*a].clone(), *x))
            .collect(),
    )
}

impl Model for Bdm {
    fn name(&self) -> &'static str {
        "bdm"
    }

    fn summary(&self) -> &'static str {
        "Bueno de Mesquita's expected-utility challenge model (Scholz et al. 2011): rounds of pairwise challenges, forecast = final weighted median"
    }

    fn parameters(&self) -> &'static [ParamSpec] {
        settings::SPECS
    }

    fn presets(&self) -> &'static [Preset] {
        settings::PRESETS
    }

    fn solve(&self, snap: &Snapshot, params: &Params) -> Result<Forecast, ModelError> {
        let (set, values) = settings::resolve(params)?;
        let mut ws = Workspace::new();
        let mut issues = Vec::with_capacity(snap.issues.len());
        for d in &snap.issues {
            let input = input_of(snap, d, &set)?;
            load(&mut ws, snap, d, &input)?;
            let mut rounds = Vec::new();
            let (forecast, played, stop) = ws.run(
                &set,
                &input,
                |k, w| {
                    rounds.push(Round {
                        round: k,
                        median: w.median(),
                        mean: w.mean(),
                        positions: positions(snap, d, &w.x),
                        details: Default::default(),
                    })
                },
                None,
            );
            let mut details = serde_json::Map::new();
            details.insert("rounds_played".into(), played.into());
            details.insert(
                "stopped".into(),
                match stop {
                    Stop::Converged => "converged",
                    Stop::RoundCap => "round cap",
                }
                .into(),
            );
            issues.push(IssueForecast {
                id: issue_id(snap, d).to_string(),
                forecast,
                mean: ws.mean(),
                rounds,
                details,
            });
        }
        Ok(Forecast {
            model: self.name().to_string(),
            preset: params.preset.clone(),
            parameters: values.into_iter().collect(),
            issues,
            details: Default::default(),
        })
    }

    fn forecast_values(
        &self,
        snap: &Snapshot,
        params: &Params,
    ) -> Result<Vec<Option<f64>>, ModelError> {
        SCRATCH.with(|cell| {
            let mut fresh = Scratch::default();
            let mut guard = cell.try_borrow_mut();
            let scratch = match guard.as_deref_mut() {
                Ok(s) => s,
                Err(_) => &mut fresh,
            };
            let set = scratch.settings(params)?;
            let ws = &mut scratch.workspace;
            let mut out = vec![None; snap.issue_ids.len()];
            for d in &snap.issues {
                let input = input_of(snap, d, &set)?;
                load(ws, snap, d, &input)?;
                let (forecast, _, _) = ws.run(&set, &input, |_, _| {}, None);
                if let Some(slot) = out.get_mut(d.issue) {
                    *slot = Some(forecast);
                }
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-issue snapshot on [lo, hi] from (position, salience, capability) triples.
    pub(crate) fn snap(lo: f64, hi: f64, actors: &[(f64, f64, f64)]) -> Snapshot {
        Snapshot::single_issue(lo, hi, None, actors)
    }

    fn emission() -> Snapshot {
        snap(
            4.0,
            10.0,
            &[
                (4.0, 0.8, 0.08),
                (7.0, 0.4, 0.08),
                (4.0, 0.2, 0.03),
                (4.0, 0.8, 0.16),
                (10.0, 0.6, 0.16),
                (10.0, 0.6, 0.16),
                (10.0, 0.9, 0.16),
                (7.0, 0.1, 0.05),
                (4.0, 1.0, 0.05),
                (7.0, 0.7, 0.08),
            ],
        )
    }

    fn no_nan(f: &Forecast) {
        for i in &f.issues {
            assert!(i.forecast.is_finite() && i.mean.is_finite());
            for r in &i.rounds {
                assert!(r.median.is_finite() && r.mean.is_finite());
                assert!(r.positions.0.iter().all(|(_, x)| x.is_finite()));
            }
        }
    }

    #[test]
    fn a_single_actor_stays_where_it_is() {
        for range in ["dynamic", "fixed", "initial"] {
            let p = Params::new().set("range", range);
            let f = Bdm.solve(&snap(0.0, 10.0, &[(3.0, 0.5, 1.0)]), &p).unwrap();
            no_nan(&f);
            assert_eq!(f.issues[0].forecast, 3.0);
        }
    }

    #[test]
    fn equal_positions_give_that_position() {
        let s = snap(
            0.0,
            10.0,
            &[(6.0, 0.5, 1.0), (6.0, 0.9, 2.0), (6.0, 0.1, 0.5)],
        );
        for (preset, stop) in [
            (None, "converged"),
            (Some("scholz2011".to_string()), "round cap"),
        ] {
            let p = Params {
                preset,
                ..Params::new()
            };
            let f = Bdm.solve(&s, &p).unwrap();
            no_nan(&f);
            assert_eq!(f.issues[0].forecast, 6.0);
            assert_eq!(f.issues[0].details["stopped"], stop);
        }
    }

    #[test]
    fn zero_capabilities_or_saliences_are_a_clear_error() {
        let zero_c = snap(0.0, 10.0, &[(2.0, 0.5, 0.0), (8.0, 0.9, 0.0)]);
        let zero_s = snap(0.0, 10.0, &[(2.0, 0.0, 1.0), (8.0, 0.0, 3.0)]);
        for s in [zero_c, zero_s] {
            let e = Bdm.solve(&s, &Params::new()).unwrap_err();
            assert!(e.to_string().contains("issue `q`"), "{e}");
            assert!(e.to_string().contains("zero"), "{e}");
            assert!(Bdm.forecast_values(&s, &Params::new()).is_err());
        }
    }

    #[test]
    fn some_zero_weights_are_fine() {
        let s = snap(
            0.0,
            10.0,
            &[(2.0, 0.0, 1.0), (8.0, 0.9, 0.0), (5.0, 0.5, 1.0)],
        );
        for preset in [None, Some("scholz2011".to_string())] {
            let p = Params {
                preset,
                ..Params::new()
            };
            no_nan(&Bdm.solve(&s, &p).unwrap());
        }
    }

    #[test]
    fn non_finite_input_is_an_error_not_nan() {
        let s = snap(0.0, 10.0, &[(f64::NAN, 0.5, 1.0), (8.0, 0.9, 1.0)]);
        assert!(Bdm.solve(&s, &Params::new()).is_err());
    }

    #[test]
    fn reference_status_quo_needs_a_reference_point() {
        let p = Params::new().set("status_quo", "reference").set("q", "0.5");
        let mut s = emission();
        assert!(
            Bdm.solve(&s, &p)
                .unwrap_err()
                .to_string()
                .contains("reference point")
        );
        s.issues[0].reference = Some(4.0);
        no_nan(&Bdm.solve(&s, &p).unwrap());
    }

    #[test]
    fn every_option_runs_without_nan() {
        let options = [
            ("q", "0.5"),
            ("t_rule", "half"),
            ("range", "fixed"),
            ("risk", "false"),
            ("exposure", "own"),
            ("conflicts_move", "true"),
            ("capitulation", "false"),
            ("votes", "risk"),
            ("denominator", "all-pairs"),
            ("risk_view", "receiver"),
            ("accept", "scholz"),
        ];
        for (k, v) in options {
            let f = Bdm.solve(&emission(), &Params::new().set(k, v)).unwrap();
            no_nan(&f);
            let fast = Bdm
                .forecast_values(&emission(), &Params::new().set(k, v))
                .unwrap();
            assert_eq!(fast, vec![Some(f.issues[0].forecast)], "{k} = {v}");
        }
    }

    #[test]
    fn explanation_matches_the_round_it_explains() {
        let s = emission();
        let f = Bdm.solve(&s, &Params::new()).unwrap();
        let e = explain(&s, &Params::new(), 0, 1).unwrap().in_units("years");
        assert_eq!(e.actors.len(), 10);
        for (a, (_, x)) in e.actors.iter().zip(&f.issues[0].rounds[1].positions.0) {
            assert_eq!(a.after, *x);
            if let Some(k) = a.taken {
                assert_eq!(a.offers[k].target, a.after);
            } else {
                assert_eq!(a.after, a.before);
            }
        }
        // Denmark (a8) moves in round 1, by a compromise.
        let denmark = &e.actors[8];
        let taken = &denmark.offers[denmark.taken.unwrap()];
        assert_eq!(taken.kind, OfferKind::Compromise);
        let text = e.to_string();
        println!("{text}");
        assert!(
            text.contains("a8 moved from 4.000 years to 4.097 years"),
            "{text}"
        );
        assert!(explain(&s, &Params::new(), 0, 9).is_err());
        assert!(explain(&s, &Params::new(), 0, 0).is_err());
        assert!(explain(&s, &Params::new(), 3, 1).is_err());
    }

    #[test]
    fn every_round_explained_matches_the_solve_under_every_preset() {
        let s = emission();
        for preset in [None, Some("scholz2011".to_string())] {
            let p = Params {
                preset,
                ..Params::new()
            };
            let f = Bdm.solve(&s, &p).unwrap();
            let rounds = &f.issues[0].rounds;
            for k in 1..rounds.len() {
                let e = explain(&s, &p, 0, k).unwrap();
                for (a, ((_, before), (_, after))) in e
                    .actors
                    .iter()
                    .zip(rounds[k - 1].positions.0.iter().zip(&rounds[k].positions.0))
                {
                    assert_eq!((a.before, a.after), (*before, *after), "round {k}");
                    assert_eq!(
                        a.taken.map(|t| a.offers[t].target),
                        (a.after != a.before).then_some(a.after)
                    );
                }
                assert!(!e.to_string().contains("NaN"));
            }
        }
    }

    #[test]
    fn issues_are_solved_independently() {
        let mut s = emission();
        let mut second = s.issues[0].clone();
        second.issue = 1;
        second.position.reverse();
        s.issue_ids.push("r".into());
        s.issues.push(second);
        let both = Bdm.solve(&s, &Params::new()).unwrap();
        let alone = Bdm.solve(&emission(), &Params::new()).unwrap();
        assert_eq!(both.issues[0], alone.issues[0]);
        assert_eq!(both.issues.len(), 2);
        let v = Bdm.forecast_values(&s, &Params::new()).unwrap();
        assert_eq!(
            v,
            vec![Some(both.issues[0].forecast), Some(both.issues[1].forecast)]
        );
    }
}
