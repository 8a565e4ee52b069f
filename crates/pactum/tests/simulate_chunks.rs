//! A Monte Carlo run split into chunks of any size, gathered in draw order, gives the same
//! bytes as the run made at once: the basis of scaling `simulate` out over many workers.

use pactum::models::{Params, by_name};
use pactum::uncertainty::{
    ForecastTable, Shape, SimulationOptions, draw_chunk, simulate, simulation_from_draws,
};
use pactum::{Scenario, io};

fn case(name: &str) -> Scenario {
    let path = format!("{}/../../cases/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("the case is shipped");
    io::read(name, &bytes, None)
        .expect("the case reads")
        .scenarios
        .remove(0)
}

fn flagship() -> Scenario {
    case("us-japan-2014.toml")
}

fn chunked(
    model: &str,
    scenario: &Scenario,
    opts: &SimulationOptions,
    chunk: u64,
) -> pactum::uncertainty::Simulation {
    let m = by_name(model).expect("model");
    let params = Params::new();
    let mut values = Vec::new();
    let mut agreement = Vec::new();
    let mut issues = 0;
    let mut start = 0;
    while start < opts.draws {
        let count = chunk.min(opts.draws - start);
        let t = draw_chunk(m, scenario, &params, opts, start, count).expect("chunk");
        issues = t.issues;
        values.extend(t.values);
        agreement.extend(t.agreement);
        start += count;
    }
    simulation_from_draws(
        m,
        scenario,
        &params,
        opts,
        &ForecastTable {
            issues,
            values,
            agreement,
        },
    )
    .expect("gathered")
}

#[test]
fn chunks_of_any_size_give_the_bytes_of_one_run() {
    let scenario = flagship();
    for model in ["compromise", "bdm"] {
        let opts = SimulationOptions {
            draws: 1_000,
            seed: 7,
            shape: Shape::Pert,
            thresholds: vec![10.0],
            ..SimulationOptions::default()
        };
        let m = by_name(model).expect("model");
        let whole = simulate(m, &scenario, &Params::new(), &opts, None).expect("whole run");
        let whole = serde_json::to_string(&whole).expect("json");
        for chunk in [1, 97, 256, 1_000] {
            let parts =
                serde_json::to_string(&chunked(model, &scenario, &opts, chunk)).expect("json");
            assert_eq!(parts, whole, "{model}, chunks of {chunk}");
        }
    }
}

#[test]
fn chunked_two_level_runs_keep_the_probability_of_agreement() {
    let scenario = case("us-japan-2014-two-level.toml");
    let opts = SimulationOptions {
        draws: 300,
        seed: 3,
        ..SimulationOptions::default()
    };
    let m = by_name("twolevel").expect("model");
    let whole = simulate(m, &scenario, &Params::new(), &opts, None).expect("whole run");
    assert!(whole.issues.iter().any(|i| i.p_agreement.is_some()));
    let whole = serde_json::to_string(&whole).expect("json");
    let parts = serde_json::to_string(&chunked("twolevel", &scenario, &opts, 77)).expect("json");
    assert_eq!(parts, whole);
}

#[test]
fn another_seed_gives_other_draws() {
    let scenario = flagship();
    let m = by_name("compromise").expect("model");
    let a = SimulationOptions {
        draws: 64,
        seed: 1,
        ..SimulationOptions::default()
    };
    let b = SimulationOptions {
        seed: 2,
        ..a.clone()
    };
    let ta = draw_chunk(m, &scenario, &Params::new(), &a, 0, 64).expect("a");
    let tb = draw_chunk(m, &scenario, &Params::new(), &b, 0, 64).expect("b");
    assert_ne!(ta.values, tb.values);
}

#[test]
fn a_short_gathering_is_refused_not_summarised() {
    let scenario = flagship();
    let m = by_name("compromise").expect("model");
    let opts = SimulationOptions {
        draws: 10,
        ..SimulationOptions::default()
    };
    let t = draw_chunk(m, &scenario, &Params::new(), &opts, 0, 9).expect("chunk");
    assert!(simulation_from_draws(m, &scenario, &Params::new(), &opts, &t).is_err());
    assert!(draw_chunk(m, &scenario, &Params::new(), &opts, u64::MAX, 2).is_err());
}
