//! Properties of the two-level model: without arenas or ratification it is the
//! international model; a smaller win-set never moves the deal away from its side
//! (Schelling's conjecture); disjoint win-sets mean no agreement; same seed, same bytes.

use pactum::models::twolevel::winset::{WinSet, settle};
use pactum::models::{self, Params};
use pactum::uncertainty::{SimulationOptions, simulate};
use pactum::{Scenario, Snapshot};
use proptest::prelude::*;

/// One generated actor: (position 0–100, salience, capability) per issue.
type Coded = Vec<(f64, f64, f64)>;

/// A scenario in native TOML: `issues` issues on 0–100 with reference `r`, actors a0.. with
/// a stance on every issue, and the `sides` text appended.
fn scenario(actors: &[Coded], issues: usize, r: Option<f64>, sides: &str) -> Scenario {
    let mut t = String::from("title = \"generated\"\n");
    for (k, a) in actors.iter().enumerate() {
        t += &format!("[[actors]]\nid = \"a{k}\"\ncapability = {}\n", a[0].2);
    }
    for q in 0..issues {
        t += &format!("[[issues]]\nid = \"q{q}\"\nscale = {{ lo = 0, hi = 100 }}\n");
        if let Some(r) = r {
            t += &format!("reference_point = {r}\n");
        }
    }
    for (k, a) in actors.iter().enumerate() {
        for (q, (x, s, _)) in a.iter().enumerate().take(issues) {
            t += &format!(
                "[[stances]]\nactor = \"a{k}\"\nissue = \"q{q}\"\nposition = {x}\nsalience = {s}\n"
            );
        }
    }
    t += sides;
    pactum::io::read("generated.toml", t.as_bytes(), None)
        .unwrap_or_else(|e| panic!("{e}\n{t}"))
        .scenarios
        .remove(0)
}

fn actors(n: std::ops::Range<usize>, issues: usize) -> impl Strategy<Value = Vec<Coded>> {
    prop::collection::vec(
        prop::collection::vec((0.0..100.0f64, 0.05..1.0f64, 1.0..10.0f64), issues),
        n,
    )
}

fn twolevel(s: &Scenario, p: &Params) -> Vec<Option<f64>> {
    models::by_name("twolevel")
        .unwrap()
        .forecast_values(&Snapshot::modes(s), p)
        .unwrap()
}

fn agreements(s: &Scenario, p: &Params) -> Vec<bool> {
    models::by_name("twolevel")
        .unwrap()
        .forecast_outcomes(&Snapshot::modes(s), p)
        .unwrap()
        .agreement
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Sides with empty arenas and no ratification rule change nothing: the forecast is the
    /// international model's on the flat scenario, bit for bit.
    #[test]
    fn without_arenas_or_rules_it_is_the_international_model(
        coded in actors(3..8, 3),
        international in prop::sample::select(vec!["compromise", "median", "bdm", "exchange"]),
        r in prop::option::of(0.0..100.0f64),
    ) {
        let flat = scenario(&coded, 3, r, "");
        let sides = "[[sides]]\nid = \"s0\"\nnegotiator = \"a0\"\n[[sides]]\nid = \"s1\"\nnegotiator = \"a1\"\n";
        let two = scenario(&coded, 3, r, sides);
        let p = Params::new().set("international", international);
        let want = models::by_name(international)
            .unwrap()
            .forecast_values(&Snapshot::modes(&flat), &Params::new())
            .unwrap();
        prop_assert_eq!(twolevel(&two, &p), want.clone());
        // And a scenario without any side is the same again.
        prop_assert_eq!(twolevel(&flat, &p), want);
    }

    /// Schelling's conjecture on the settlement: cutting from one side's win-set the deals
    /// farthest from its negotiator's mandate `m` never moves the agreed deal away from `m`.
    #[test]
    fn shrinking_a_win_set_toward_its_negotiator_never_moves_the_deal_away(
        r in 0.0..100.0f64,
        x in 0.0..100.0f64,
        m in 0.0..100.0f64,
        a in (0.0..100.0f64, 0.0..100.0f64),
        b in (0.0..100.0f64, 0.0..100.0f64),
        extra in 0.0..60.0f64,
    ) {
        let set = |(u, v): (f64, f64)| WinSet { lo: u.min(r), hi: v.max(r) };
        let (wa, wb) = (set(a), set(b));
        // Keep the deals within |m - r| + extra of m: r stays at the edge or inside.
        let delta = (m - r).abs() + extra;
        let shrunk = WinSet { lo: wa.lo.max(m - delta), hi: wa.hi.min(m + delta) };
        let before = settle(x, r, &[wa, wb]);
        let after = settle(x, r, &[shrunk, wb]);
        if before.agreement && after.agreement {
            prop_assert!((after.forecast - m).abs() <= (before.forecast - m).abs() + 1e-9,
                "before {:?} after {:?}", before, after);
        }
        // A smaller win-set never creates an agreement that was not there.
        prop_assert!(before.agreement || !after.agreement);
    }

    /// The same conjecture in a whole scenario: with the reversion point at the bottom of
    /// the scale, moving a side's veto player toward it (tying the negotiator's hands) never
    /// raises the forecast, i.e. never moves it toward the other side.
    #[test]
    fn a_veto_player_nearer_the_reversion_point_never_moves_the_deal_away_from_it(
        coded in actors(5..8, 1),
        shift in 0.0..1.0f64,
    ) {
        let sides = "[[sides]]\nid = \"s0\"\nnegotiator = \"a0\"\nmembers = [\"a2\"]\nratification = { veto = [\"a2\"] }\n[[sides]]\nid = \"s1\"\nnegotiator = \"a1\"\nmembers = [\"a3\"]\nratification = { threshold = 0.5 }\n";
        let before = scenario(&coded, 1, Some(0.0), sides);
        let mut tied = coded.clone();
        tied[2][0].0 *= shift;
        let after = scenario(&tied, 1, Some(0.0), sides);
        let p = Params::new();
        let (f0, f1) = (twolevel(&before, &p)[0].unwrap(), twolevel(&after, &p)[0].unwrap());
        prop_assert!(f1 <= f0 + 1e-9, "{} -> {}", f0, f1);
    }

    /// Veto players on opposite sides of the reversion point leave no deal both sides
    /// ratify: agreement is false and the forecast is the reversion point.
    #[test]
    fn disjoint_win_sets_give_no_agreement(
        coded in actors(4..7, 2),
        r in 20.0..80.0f64,
        below in 0.0..1.0f64,
        above in 0.0..1.0f64,
        international in prop::sample::select(vec!["compromise", "bdm", "median"]),
    ) {
        let mut c = coded;
        for stance in c[2].iter_mut() {
            stance.0 = r * below.min(0.999);
        }
        for stance in c[3].iter_mut() {
            stance.0 = r + (100.0 - r) * above.max(0.001);
        }
        let sides = "[[sides]]\nid = \"s0\"\nnegotiator = \"a0\"\nmembers = [\"a2\"]\nratification = { veto = [\"a2\"] }\n[[sides]]\nid = \"s1\"\nnegotiator = \"a1\"\nmembers = [\"a3\"]\nratification = { veto = [\"a3\"] }\n";
        let s = scenario(&c, 2, Some(r), sides);
        let p = Params::new().set("international", international);
        prop_assert_eq!(agreements(&s, &p), vec![false, false]);
        prop_assert_eq!(twolevel(&s, &p), vec![Some(r), Some(r)]);
    }
}

fn textbook() -> Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/twolevel/textbook.toml"
    );
    let bytes = std::fs::read(path).unwrap();
    pactum::io::read("textbook.toml", &bytes, None)
        .unwrap()
        .scenarios
        .remove(0)
}

/// The same seed gives byte-identical Monte Carlo output on 1 and 4 threads, with the
/// probability of agreement in it.
#[test]
fn simulation_is_byte_identical_for_the_same_seed_on_any_thread_count() {
    let s = textbook();
    let model = models::by_name("twolevel").unwrap();
    let p = Params::new()
        .set("domestic", "bdm")
        .set("international", "bdm");
    let opts = SimulationOptions {
        draws: 600,
        seed: 7,
        ..SimulationOptions::default()
    };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let sim = pool.install(|| simulate(model, &s, &p, &opts, None).map_err(|e| e.to_string()));
        serde_json::to_string(&sim.unwrap()).unwrap()
    };
    let one = run(1);
    assert_eq!(one, run(4));
    assert!(one.contains("\"p_agreement\""), "{one}");
}

/// The textbook case: Yland's farm union (at 20, reversion 0) vetoes any cut beyond 40%,
/// so the level-I bargain (about 46.6%) is cut back to 40% and Yland's ratification binds.
#[test]
fn the_textbook_veto_binds_at_its_mirror_point() {
    let s = textbook();
    let f = models::by_name("twolevel")
        .unwrap()
        .solve(&Snapshot::modes(&s), &Params::new())
        .unwrap();
    let i = &f.issues[0];
    assert_eq!(i.forecast, 40.0);
    assert_eq!(i.details["agreement"], true);
    assert_eq!(i.details["binding"], serde_json::json!(["yland"]));
    assert_eq!(
        i.details["win_sets"]["yland"],
        serde_json::json!([0.0, 40.0])
    );
    let level_one = i.details["level_one"].as_f64().unwrap();
    assert!(level_one > 40.0, "{level_one}");
}

/// A veto player whose range straddles the reversion point: agreement exactly when it
/// lies above it. With a triangular (30, 60, 80) position and reversion 50 that is
/// 1 − 20²/(50·30) = 0.7333 of the draws.
#[test]
fn p_agreement_is_the_share_of_draws_with_intersecting_win_sets() {
    let text = r#"title = "straddle"
[[actors]]
id = "a0"
capability = 1
[[actors]]
id = "a1"
capability = 1
[[actors]]
id = "a2"
capability = 1
[[actors]]
id = "a3"
capability = 1
[[issues]]
id = "q"
scale = { lo = 0, hi = 100 }
reference_point = 50
[[stances]]
actor = "a0"
issue = "q"
position = 80
salience = 0.5
[[stances]]
actor = "a1"
issue = "q"
position = 70
salience = 0.5
[[stances]]
actor = "a2"
issue = "q"
position = 70
salience = 0.5
[[stances]]
actor = "a3"
issue = "q"
position = { low = 30, mode = 60, high = 80 }
salience = 0.5
[[sides]]
id = "s0"
negotiator = "a0"
members = ["a2"]
ratification = { veto = ["a2"] }
[[sides]]
id = "s1"
negotiator = "a1"
members = ["a3"]
ratification = { veto = ["a3"] }
"#;
    let s = pactum::io::read("straddle.toml", text.as_bytes(), None)
        .unwrap()
        .scenarios
        .remove(0);
    let opts = SimulationOptions {
        draws: 8000,
        seed: 3,
        ..SimulationOptions::default()
    };
    let sim = simulate(
        models::by_name("twolevel").unwrap(),
        &s,
        &Params::new(),
        &opts,
        None,
    )
    .unwrap();
    let issue = &sim.issues[0];
    let p = issue.p_agreement.unwrap();
    assert!((p - 0.7333).abs() < 0.02, "{p}");
    let given = issue.given_agreement.as_ref().unwrap();
    assert_eq!(given.draws, (p * 8000.0).round() as u64);
    assert!(
        given.p10 > 50.0,
        "agreed deals lie above the reversion point: {given:?}"
    );
    // Without agreement the forecast is the reversion point, so the overall p10 is 50.
    assert_eq!(issue.p10, 50.0);
}
