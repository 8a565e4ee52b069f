//! Speed of Monte Carlo, sensitivity and lever search.
//!
//! The case is the 1994 EC car-emission case (10 actors, one issue) with Germany's and
//! France's positions widened to triangular ranges, as in the schelling peer's
//! `emission1994_widened.input.json`. Models: `bdm` when it is registered (the issue's
//! targets are for bdm), and the `compromise` baseline always.
//!
//! Run: `cargo bench -p pactum --bench uncertainty`.

use criterion::{Criterion, criterion_group, criterion_main};
use pactum::models::{Model, Params, by_name};
use pactum::uncertainty::{
    LeverOptions, SensitivityOptions, SimulationOptions, levers, sensitivity, simulate,
};
use pactum::{Forecast, ModelError, Scenario, Snapshot, io};
use std::hint::black_box;
use std::time::Duration;

const WIDENED: &str = r#"
title = "EC car-emission standards 1994, Germany and France widened"
[[actors]]
id = "netherlands"
capability = 0.08
[[actors]]
id = "belgium"
capability = 0.08
[[actors]]
id = "luxembourg"
capability = 0.03
[[actors]]
id = "germany"
capability = 0.16
[[actors]]
id = "france"
capability = 0.16
[[actors]]
id = "italy"
capability = 0.16
[[actors]]
id = "uk"
capability = 0.16
[[actors]]
id = "ireland"
capability = 0.05
[[actors]]
id = "denmark"
capability = 0.05
[[actors]]
id = "greece"
capability = 0.08
[[issues]]
id = "emission"
scale = { lo = 2, hi = 12, unit = "years" }
[[stances]]
actor = "netherlands"
issue = "emission"
position = 4
salience = 0.8
[[stances]]
actor = "belgium"
issue = "emission"
position = 7
salience = 0.4
[[stances]]
actor = "luxembourg"
issue = "emission"
position = 4
salience = 0.2
[[stances]]
actor = "germany"
issue = "emission"
position = { low = 2, mode = 4, high = 7 }
salience = 0.8
[[stances]]
actor = "france"
issue = "emission"
position = { low = 8, mode = 10, high = 12 }
salience = 0.6
[[stances]]
actor = "italy"
issue = "emission"
position = 10
salience = 0.6
[[stances]]
actor = "uk"
issue = "emission"
position = 10
salience = 0.9
[[stances]]
actor = "ireland"
issue = "emission"
position = 7
salience = 0.1
[[stances]]
actor = "denmark"
issue = "emission"
position = 4
salience = 1.0
[[stances]]
actor = "greece"
issue = "emission"
position = 7
salience = 0.7
"#;

fn case() -> Scenario {
    io::read("widened.toml", WIDENED.as_bytes(), None)
        .expect("bench case reads")
        .scenarios
        .remove(0)
}

fn models() -> Vec<&'static dyn Model> {
    let mut out = vec![by_name("compromise").expect("compromise")];
    match by_name("bdm") {
        Ok(m) => out.insert(0, m),
        Err(_) => {
            eprintln!("NOTE: model `bdm` is not registered in this build; benching compromise only")
        }
    }
    out
}

/// A model that costs nothing: the first actor's position. Measures the Monte Carlo's own
/// cost per draw (generator, quantiles, snapshot writes, collection, sorting).
struct FirstPosition;

impl Model for FirstPosition {
    fn name(&self) -> &'static str {
        "first-position"
    }
    fn summary(&self) -> &'static str {
        "bench only"
    }
    fn solve(&self, _: &Snapshot, _: &Params) -> Result<Forecast, ModelError> {
        Err(ModelError::Unsuitable("bench only".into()))
    }
    fn forecast_values(&self, s: &Snapshot, _: &Params) -> Result<Vec<Option<f64>>, ModelError> {
        Ok(s.issues
            .iter()
            .map(|d| d.position.first().copied())
            .collect())
    }
}

fn bench_single(c: &mut Criterion) {
    let s = case();
    let snap = Snapshot::modes(&s);
    let params = Params::new();
    let mut g = c.benchmark_group("single-forecast");
    for model in models() {
        g.bench_function(model.name(), |b| {
            b.iter(|| black_box(model.forecast_values(&snap, &params).expect("runs")))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("simulate/overhead");
    g.sample_size(10);
    let opts = SimulationOptions {
        draws: 1_000_000,
        seed: 42,
        ..Default::default()
    };
    g.bench_function("1000000", |b| {
        b.iter(|| black_box(simulate(&FirstPosition, &s, &params, &opts, None).expect("runs")))
    });
    g.finish();
}

fn bench_simulate(c: &mut Criterion) {
    let s = case();
    let params = Params::new();
    for model in models() {
        let mut g = c.benchmark_group(format!("simulate/{}", model.name()));
        g.sample_size(10).measurement_time(Duration::from_secs(10));
        for draws in [10_000u64, 1_000_000] {
            let opts = SimulationOptions {
                draws,
                seed: 42,
                ..Default::default()
            };
            g.bench_function(format!("{draws}"), |b| {
                b.iter(|| black_box(simulate(model, &s, &params, &opts, None).expect("runs")))
            });
        }
        g.finish();
    }
}

fn bench_sensitivity_and_levers(c: &mut Criterion) {
    let s = case();
    let params = Params::new();
    for model in models() {
        let mut g = c.benchmark_group(format!("analysis/{}", model.name()));
        g.sample_size(10).measurement_time(Duration::from_secs(5));
        let so = SensitivityOptions::default();
        g.bench_function("sensitivity", |b| {
            b.iter(|| black_box(sensitivity(model, &s, &params, &so).expect("runs")))
        });
        let lo = LeverOptions::default();
        g.bench_function("levers-germany", |b| {
            b.iter(|| black_box(levers(model, &s, &params, "germany", &lo).expect("runs")))
        });
        g.finish();
    }
}

/// CPU time of the whole process, all threads (`CLOCK_PROCESS_CPUTIME_ID`): on the shared,
/// loaded 2-core machine wall time includes waiting for a core; CPU time / 2 is what two
/// free cores would take (an upper bound: idle rayon workers spin a little).
fn process_cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into the valid, exclusively borrowed `t`.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Runs `f` `iters` times and returns the process CPU time spent.
fn cpu_time(iters: u64, mut f: impl FnMut()) -> Duration {
    let start = process_cpu();
    for _ in 0..iters {
        f();
    }
    process_cpu().saturating_sub(start)
}

fn bench_cpu(c: &mut Criterion) {
    let s = case();
    let params = Params::new();
    for model in models() {
        let mut g = c.benchmark_group(format!("cpu/{}", model.name()));
        g.sample_size(10).measurement_time(Duration::from_secs(10));
        for draws in [10_000u64, 1_000_000] {
            let opts = SimulationOptions {
                draws,
                seed: 42,
                ..Default::default()
            };
            g.bench_function(format!("simulate-{draws}"), |b| {
                b.iter_custom(|iters| {
                    cpu_time(iters, || {
                        black_box(simulate(model, &s, &params, &opts, None).expect("runs"));
                    })
                })
            });
        }
        let lo = LeverOptions::default();
        g.bench_function("levers-germany", |b| {
            b.iter_custom(|iters| {
                cpu_time(iters, || {
                    black_box(levers(model, &s, &params, "germany", &lo).expect("runs"));
                })
            })
        });
        g.finish();
    }
}

criterion_group!(
    benches,
    bench_cpu,
    bench_single,
    bench_simulate,
    bench_sensitivity_and_levers
);
criterion_main!(benches);
