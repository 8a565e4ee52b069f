//! Properties the challenge model must have on any input: symmetric positions forecast the
//! centre, the order of actors does not matter, and rescaling units rescales the forecast.

use pactum::models::bdm::Bdm;
use pactum::{Model, Params, Snapshot};
use proptest::prelude::*;

fn snap(lo: f64, hi: f64, reference: Option<f64>, a: &[(f64, f64, f64)]) -> Snapshot {
    Snapshot::single_issue(lo, hi, reference, a)
}

fn forecast(s: &Snapshot, p: &Params) -> f64 {
    Bdm.forecast_values(s, p).unwrap()[0].unwrap()
}

fn actors() -> impl Strategy<Value = Vec<(f64, f64, f64)>> {
    prop::collection::vec((0.0..100.0f64, 0.05..1.0f64, 0.1..10.0f64), 2..12)
}

/// Parameter sets the properties must hold under: defaults and a few variants.
fn settings() -> impl Strategy<Value = Params> {
    prop::sample::select(vec![
        Params::new(),
        Params::new().set("q", "0.7").set("range", "fixed"),
        Params::new()
            .set("risk", "false")
            .set("conflicts_move", "true"),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn symmetric_positions_forecast_the_centre(
        half in prop::collection::vec((0.5..50.0f64, 0.05..1.0f64, 0.1..10.0f64), 1..6),
        centre in -100.0..100.0f64,
        p in settings(),
    ) {
        // Mirror pairs around 0 (exact in floating point), then shift to the centre.
        let mut a = Vec::new();
        for (d, s, c) in &half {
            a.push((centre - d, *s, *c));
            a.push((centre + d, *s, *c));
        }
        let f = forecast(&snap(centre - 60.0, centre + 60.0, Some(centre), &a), &p);
        prop_assert!((f - centre).abs() < 1e-6 * (1.0 + centre.abs()), "forecast {} vs centre {}", f, centre);
    }

    #[test]
    fn permuting_actors_changes_nothing(a in actors(), seed in any::<u64>(), p in settings()) {
        let mut b = a.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for k in (1..b.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            b.swap(k, (state % (k as u64 + 1)) as usize);
        }
        let fa = forecast(&snap(0.0, 100.0, None, &a), &p);
        let fb = forecast(&snap(0.0, 100.0, None, &b), &p);
        prop_assert!((fa - fb).abs() < 1e-9, "{} vs {}", fa, fb);
    }

    #[test]
    fn scaling_units_scales_the_forecast(a in actors(), k in 0.01..1000.0f64, p in settings()) {
        let scaled: Vec<(f64, f64, f64)> = a.iter().map(|(x, s, c)| (x * k, *s, *c)).collect();
        let f1 = forecast(&snap(0.0, 100.0, None, &a), &p);
        let tolerance = format!("{}", 0.5 * k);
        let pk = p.clone().set("tolerance", &tolerance);
        let fk = forecast(&snap(0.0, 100.0 * k, None, &scaled), &pk);
        prop_assert!((fk - f1 * k).abs() < 1e-9 * k * 100.0, "{} vs {}", fk, f1 * k);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every move goes toward another actor's position, so no one ever leaves the hull of
    /// the coded positions, and nothing is NaN — under every preset, with wild magnitudes.
    #[test]
    fn positions_stay_in_the_coded_hull(
        a in prop::collection::vec((-1e6..1e6f64, 0.0..1.0f64, 0.0..1e6f64), 1..10),
        preset in prop::sample::select(vec![None, Some("scholz2011")]),
    ) {
        prop_assume!(a.iter().any(|t| t.1 * t.2 > 0.0));
        let lo = a.iter().map(|t| t.0).fold(f64::INFINITY, f64::min);
        let hi = a.iter().map(|t| t.0).fold(f64::NEG_INFINITY, f64::max);
        let p = Params { preset: preset.map(String::from), ..Params::new() };
        let f = Bdm.solve(&snap(lo - 1.0, hi + 1.0, None, &a), &p).unwrap();
        let i = &f.issues[0];
        prop_assert!(i.forecast.is_finite() && i.mean.is_finite());
        for r in &i.rounds {
            prop_assert!(r.median.is_finite() && r.mean.is_finite());
            for (_, x) in &r.positions.0 {
                prop_assert!(*x >= lo && *x <= hi, "{} outside [{}, {}]", x, lo, hi);
            }
        }
    }
}
