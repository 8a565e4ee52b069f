use super::*;
use crate::scenario::{Actor, Estimate, Issue, Scale, Scenario, Stance};

fn actor(id: &str) -> Actor {
    Actor {
        id: id.into(),
        name: String::new(),
        capability: Estimate::point(1.0),
        group: None,
        sources: Vec::new(),
        notes: None,
        origin: Default::default(),
    }
}

fn issue(id: &str, lo: f64, hi: f64) -> Issue {
    Issue::new(id, Scale::new(lo, hi))
}

fn stance(a: &str, i: &str, x: f64, s: f64) -> Stance {
    Stance {
        actor: a.into(),
        issue: i.into(),
        position: Estimate::point(x),
        salience: Estimate::point(s),
        capability: None,
        sources: Vec::new(),
        notes: None,
        origin: Default::default(),
    }
}

/// Japan cares about beef, the US about cars; they sit on opposite sides of both.
fn two_by_two(beef_hi: f64) -> Scenario {
    let k = beef_hi / 100.0;
    Scenario {
        actors: vec![actor("japan"), actor("us"), actor("eu")],
        issues: vec![issue("beef", 0.0, beef_hi), issue("cars", 0.0, 100.0)],
        stances: vec![
            stance("japan", "beef", 90.0 * k, 0.9),
            stance("japan", "cars", 20.0, 0.2),
            stance("us", "beef", 10.0 * k, 0.3),
            stance("us", "cars", 80.0, 0.8),
            stance("eu", "beef", 50.0 * k, 0.5),
        ],
        ..Scenario::default()
    }
}

#[test]
fn a_package_deal_is_made_with_equal_gains() {
    let s = two_by_two(100.0);
    s.validate().expect("valid");
    let snap = Snapshot::modes(&s);
    let run = run(&snap, &Params::new().set("rounds", "1")).expect("runs");
    let made = &run.exchanges[0];
    assert_eq!(made.len(), 1, "{made:?}");
    let [a, b] = &made[0].sides;
    // Japan gives on cars (its less salient issue) toward the US, and the US on beef.
    assert_eq!((a.actor.as_str(), a.issue.as_str()), ("japan", "cars"));
    assert_eq!((b.actor.as_str(), b.issue.as_str()), ("us", "beef"));
    assert!(a.to > a.from && b.to > b.from);
    assert!((a.gain - b.gain).abs() < 1e-12 && a.gain > 0.0);
    // Voting outcomes move toward each demander; preferences follow part of the way.
    assert!(run.voting_mds[1][0] > run.preference_mds[1][0]);
    assert!(run.preference_mds[1][1] > run.preference_mds[1][0]);
    assert!(run.preference_mds[1][1] < run.voting_mds[1][0]);
}

#[test]
fn an_actor_without_a_stance_trades_nothing_on_that_issue() {
    let snap = Snapshot::modes(&two_by_two(100.0));
    let run = run(&snap, &Params::new()).expect("runs");
    for list in &run.exchanges {
        for m in list {
            assert!(m.sides.iter().all(|s| s.actor != "eu"));
        }
    }
    // The EU still counts in the beef outcome.
    let beef = &snap.issues[0];
    assert_eq!(beef.actors.len(), 3);
    assert_eq!(run.preferences[0][0].len(), 3);
}

#[test]
fn units_do_not_change_the_result() {
    let a = run(&Snapshot::modes(&two_by_two(100.0)), &Params::new()).expect("runs");
    let b = run(&Snapshot::modes(&two_by_two(2.5)), &Params::new()).expect("runs");
    assert_eq!(a.rounds_run, b.rounds_run);
    for r in 0..=a.rounds_run {
        let (x, y) = (a.preference_mds[0][r], b.preference_mds[0][r] * 40.0);
        assert!((x - y).abs() < 1e-9, "round {r}: {x} vs {y}");
        assert!((a.preference_mds[1][r] - b.preference_mds[1][r]).abs() < 1e-9);
    }
}

#[test]
fn random_rate_is_seeded_and_splits_gains_unequally() {
    let snap = Snapshot::modes(&two_by_two(100.0));
    let p = |seed: &str| Params::new().set("rate", "random").set("seed", seed);
    let one = run(&snap, &p("7")).expect("runs");
    let again = run(&snap, &p("7")).expect("runs");
    let other = run(&snap, &p("8")).expect("runs");
    assert_eq!(one, again);
    assert_ne!(one.preference_mds, other.preference_mds);
    let [a, b] = &one.exchanges[0][0].sides;
    assert!(a.gain >= 0.0 && b.gain >= 0.0 && (a.gain - b.gain).abs() > 1e-6);
}

#[test]
fn tolerance_stops_early_and_says_why() {
    let snap = Snapshot::modes(&two_by_two(100.0));
    let run = run(
        &snap,
        &Params::new().set("rounds", "200").set("tolerance", "0.5"),
    )
    .expect("runs");
    assert!(run.rounds_run < 200);
    assert!(run.stopped == "converged" || run.stopped == "no exchange");
}

#[test]
fn bad_parameters_are_named() {
    let snap = Snapshot::modes(&two_by_two(100.0));
    for (k, v) in [
        ("rounds", "0"),
        ("rate", "fair"),
        ("fixed_pull", "0.9"),
        ("nope", "1"),
    ] {
        let e = run(&snap, &Params::new().set(k, v)).expect_err("rejected");
        assert!(
            e.to_string().contains(if k == "fixed_pull" {
                "salience_pull"
            } else {
                k
            }),
            "{e}"
        );
    }
}

#[test]
fn the_forecast_carries_rounds_and_exchanges() {
    let s = two_by_two(100.0);
    let snap = Snapshot::modes(&s);
    let f = Exchange.solve(&snap, &Params::new()).expect("solves");
    let json = serde_json::to_value(&f).expect("serialises");
    assert_eq!(json["model"], "exchange");
    let r1 = &json["issues"][1]["rounds"][1];
    assert!(r1["preference_mds"].is_number() && r1["voting_mds"].is_number());
    assert!(r1["voting_positions"]["us"].is_number());
    assert_eq!(json["exchanges"][0]["round"], 1);
    assert_eq!(
        json["exchanges"][0]["exchanges"][0]["sides"][0]["actor"],
        "japan"
    );
    let fast = Exchange
        .forecast_values(&snap, &Params::new())
        .expect("fast path");
    assert_eq!(fast[1], Some(f.issues[1].forecast));
    let text = explain(&s, &Params::new()).expect("explains").to_string();
    assert!(
        text.contains("japan moves") && text.contains("toward us"),
        "{text}"
    );
    assert!(text.contains("each gains"), "{text}");
}

mod random_inputs {
    use super::*;
    use proptest::prelude::*;

    /// A scenario of up to 6 actors × 4 issues with random stances (some missing), scales,
    /// saliences (zeros included) and per-stance capabilities.
    fn scenario() -> impl Strategy<Value = Scenario> {
        (2usize..7, 2usize..5)
            .prop_flat_map(|(n, m)| {
                (
                    Just((n, m)),
                    prop::collection::vec(
                        (0.0f64..=1.0, 0.0f64..=1.0, 0.0f64..=2.0, any::<bool>()),
                        n * m,
                    ),
                    prop::collection::vec((-50.0f64..50.0, 0.1f64..200.0), m),
                )
            })
            .prop_map(|((n, m), cells, scales)| {
                let mut s = Scenario {
                    actors: (0..n).map(|a| actor(&format!("a{a}"))).collect(),
                    ..Scenario::default()
                };
                for (k, (lo, width)) in scales.iter().enumerate() {
                    s.issues.push(issue(&format!("i{k}"), *lo, lo + width));
                }
                for k in 0..m {
                    for a in 0..n {
                        let (x, sal, cap, present) = cells[k * n + a];
                        if present || a < 2 {
                            let (lo, width) = scales[k];
                            let mut st =
                                stance(&format!("a{a}"), &format!("i{k}"), lo + x * width, sal);
                            st.capability = Some(Estimate::point(cap));
                            s.stances.push(st);
                        }
                    }
                }
                s
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn outputs_are_finite_or_a_clear_error(s in scenario(), random in any::<bool>()) {
            let snap = Snapshot::modes(&s);
            let params = if random { Params::new().set("rate", "random").set("seed", "3") } else { Params::new() };
            match run(&snap, &params) {
                Ok(r) => {
                    for (k, d) in snap.issues.iter().enumerate() {
                        for v in r.preference_mds[k].iter().chain(&r.voting_mds[k]) {
                            prop_assert!(v.is_finite() && *v >= d.lo - 1e-9 && *v <= d.hi + 1e-9);
                        }
                    }
                    for list in &r.exchanges {
                        for m in list {
                            for side in &m.sides {
                                prop_assert!(side.from.is_finite() && side.to.is_finite() && side.gain.is_finite());
                            }
                        }
                    }
                    prop_assert_eq!(&r, &run(&snap, &params).expect("runs again"));
                }
                Err(e) => prop_assert!(e.to_string().contains("zero")),
            }
        }
    }
}
