//! Reproduction of the schelling peer's Monte Carlo and tornado on the widened 1994 EC
//! car-emission case (Germany's and France's positions given as triangular ranges).
//!
//! The peer ran 10,000 draws with seed 42 and triangular sampling; its generator differs
//! from ours, so only the distribution is compared: median within 0.15, p10 within 0.3,
//! p90 within 0.15. Its swings are the forecast with one input at the low and high end of
//! its range, the others at their modes — the same definition as our tornado.

use pactum::models::{Params, by_name};
use pactum::uncertainty::{SensitivityOptions, SimulationOptions, sensitivity, simulate};
use pactum::{Scenario, io};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/peers/schelling/"
);

fn widened() -> Scenario {
    let path = format!("{DIR}emission1994_widened.input.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    io::read(&path, &bytes, None)
        .unwrap_or_else(|e| panic!("{e}"))
        .scenarios
        .remove(0)
}

fn peer() -> serde_json::Value {
    let path = format!("{DIR}emission1994_widened.mc10000.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("peer output is JSON")
}

#[test]
fn bdm_monte_carlo_matches_the_peer_distribution() {
    let model = by_name("bdm").expect("the bdm model is registered");
    let opts = SimulationOptions {
        draws: 10_000,
        seed: 42,
        ..Default::default()
    };
    let sim = simulate(model, &widened(), &Params::new(), &opts, None).expect("simulation runs");
    assert_eq!(sim.issues.len(), 1);
    let ours = &sim.issues[0];
    let peer = peer();
    let want = |k: &str| peer["ensemble"][k].as_f64().expect("peer figure");
    let checks = [
        ("median", ours.median, want("median"), 0.15),
        ("p10", ours.p10, want("p10"), 0.3),
        ("p90", ours.p90, want("p90"), 0.15),
    ];
    for (name, got, peer, tol) in checks {
        eprintln!("{name}: ours {got:.4}, peer {peer:.4}");
        assert!(
            (got - peer).abs() <= tol,
            "{name}: ours {got:.4}, peer {peer:.4}, tolerance {tol}"
        );
    }
}

#[test]
fn bdm_tornado_ranks_inputs_as_the_peer_does() {
    let model = by_name("bdm").expect("the bdm model is registered");
    let opts = SensitivityOptions {
        samples: 1024,
        seed: 42,
        ..Default::default()
    };
    let r = sensitivity(model, &widened(), &Params::new(), &opts).expect("sensitivity runs");
    let tornado = &r.issues[0].tornado;
    let peer = peer();
    let peer_rank: Vec<String> = peer["sensitivity"]
        .as_array()
        .expect("peer swings")
        .iter()
        .map(|s| s["parameter"].as_str().unwrap_or_default().to_string())
        .collect();
    let ours: Vec<&str> = tornado.iter().map(|s| s.input.as_str()).collect();
    for s in tornado {
        eprintln!(
            "{}: low {} -> {:.4}, high {} -> {:.4}, swing {:.4}",
            s.input, s.low_value, s.forecast_at_low, s.high_value, s.forecast_at_high, s.swing
        );
    }
    for v in &r.issues[0].indices {
        eprintln!(
            "{}: first-order {:?}, total {:?}",
            v.input, v.first_order, v.total
        );
    }
    assert_eq!(ours, peer_rank, "tornado order");
    assert_eq!(ours[0], "germany.position");
    // Same range ends as the peer's.
    let g = &tornado[0];
    assert_eq!((g.low_value, g.high_value), (2.0, 7.0));
}

#[test]
fn bdm_simulation_is_identical_on_one_and_two_threads() {
    let model = by_name("bdm").expect("the bdm model is registered");
    let s = widened();
    let opts = SimulationOptions {
        draws: 2_000,
        seed: 42,
        thresholds: vec![9.0],
        ..Default::default()
    };
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool")
            .install(|| {
                let sim = simulate(model, &s, &Params::new(), &opts, None).expect("runs");
                serde_json::to_string(&sim).expect("serialises")
            })
    };
    assert_eq!(run(1), run(2));
}
