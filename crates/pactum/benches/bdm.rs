//! Challenge-model speed: one deterministic solve of the 10-actor emission case, and
//! synthetic issues of 100 and 1,000 actors (default settings: O(n² log n) per round).

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pactum::models::bdm::Bdm;
use pactum::{Model, Params, Snapshot};
use std::hint::black_box;

/// The emission case (BDM 1994 Table 1, via Scholz et al. 2011): position (years), salience, capability.
const EMISSION: [(f64, f64, f64); 10] = [
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
];

fn snapshot(lo: f64, hi: f64, actors: &[(f64, f64, f64)]) -> Snapshot {
    Snapshot::single_issue(lo, hi, None, actors)
}

/// `n` actors on 0–100 from a fixed linear congruential sequence (deterministic).
fn synthetic(n: usize) -> Snapshot {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let actors: Vec<(f64, f64, f64)> = (0..n)
        .map(|_| (100.0 * next(), 0.1 + 0.9 * next(), 0.1 + 9.9 * next()))
        .collect();
    snapshot(0.0, 100.0, &actors)
}

fn bench(c: &mut Criterion) {
    let emission = snapshot(4.0, 10.0, &EMISSION);
    let defaults = Params::new();
    let preset = Params {
        preset: Some("scholz2011".into()),
        ..Params::new()
    };
    c.bench_function("bdm/emission10/forecast_values", |b| {
        b.iter(|| {
            Bdm.forecast_values(black_box(&emission), &defaults)
                .unwrap()
        })
    });
    c.bench_function("bdm/emission10/solve", |b| {
        b.iter(|| Bdm.solve(black_box(&emission), &defaults).unwrap())
    });
    c.bench_function("bdm/emission10/scholz2011/forecast_values", |b| {
        b.iter(|| Bdm.forecast_values(black_box(&emission), &preset).unwrap())
    });
    let s100 = synthetic(100);
    c.bench_function("bdm/synthetic100/forecast_values", |b| {
        b.iter(|| Bdm.forecast_values(black_box(&s100), &defaults).unwrap())
    });
    let mut slow = c.benchmark_group("bdm/large");
    slow.sample_size(10);
    let s1000 = synthetic(1000);
    for (name, s) in [("synthetic100", &s100), ("synthetic1000", &s1000)] {
        let f = Bdm.solve(s, &defaults).unwrap();
        let i = &f.issues[0];
        eprintln!(
            "{name}: {} rounds ({}), forecast {:.3}",
            i.details["rounds_played"], i.details["stopped"], i.forecast
        );
    }
    slow.bench_function("synthetic1000/forecast_values", |b| {
        b.iter(|| Bdm.forecast_values(black_box(&s1000), &defaults).unwrap())
    });
    let twenty = Params::new().set("tolerance", "0");
    slow.bench_function("synthetic1000/forecast_values_20_rounds", |b| {
        b.iter(|| Bdm.forecast_values(black_box(&s1000), &twenty).unwrap())
    });
    slow.finish();
}

criterion_group!(benches, bench);

fn bench_resolve(c: &mut Criterion) {
    let p = Params::new();
    c.bench_function("bdm/resolve_params", |b| {
        b.iter(|| pactum::models::bdm::settings::resolve(black_box(&p)).unwrap())
    });
}

criterion_group!(parts, bench_resolve);

/// CPU time of the benchmarking thread (`CLOCK_THREAD_CPUTIME_ID`, ns): unlike wall time,
/// it does not count time spent waiting for a core on a loaded machine.
struct ThreadCpu;

fn thread_cpu_ns() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; the clock id is a constant the OS knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    if rc != 0 {
        return f64::NAN;
    }
    t.tv_sec as f64 * 1e9 + t.tv_nsec as f64
}

impl Measurement for ThreadCpu {
    type Intermediate = f64;
    type Value = f64;
    fn start(&self) -> f64 {
        thread_cpu_ns()
    }
    fn end(&self, start: f64) -> f64 {
        thread_cpu_ns() - start
    }
    fn add(&self, a: &f64, b: &f64) -> f64 {
        a + b
    }
    fn zero(&self) -> f64 {
        0.0
    }
    fn to_f64(&self, v: &f64) -> f64 {
        *v
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical < 1e3 {
            (1.0, "ns cpu")
        } else if typical < 1e6 {
            (1e-3, "µs cpu")
        } else if typical < 1e9 {
            (1e-6, "ms cpu")
        } else {
            (1e-9, "s cpu")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }
    fn scale_throughputs(&self, _: f64, _: &Throughput, values: &mut [f64]) -> &'static str {
        values.iter_mut().for_each(|v| *v = f64::NAN);
        "n/a"
    }
    fn scale_for_machines(&self, _: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn bench_cpu(c: &mut Criterion<ThreadCpu>) {
    let emission = snapshot(4.0, 10.0, &EMISSION);
    let defaults = Params::new();
    c.bench_function("bdm-cpu/emission10/forecast_values", |b| {
        b.iter(|| {
            Bdm.forecast_values(black_box(&emission), &defaults)
                .unwrap()
        })
    });
    c.bench_function("bdm-cpu/emission10/solve", |b| {
        b.iter(|| Bdm.solve(black_box(&emission), &defaults).unwrap())
    });
    let preset = Params {
        preset: Some("scholz2011".into()),
        ..Params::new()
    };
    c.bench_function("bdm-cpu/emission10/scholz2011/forecast_values", |b| {
        b.iter(|| Bdm.forecast_values(black_box(&emission), &preset).unwrap())
    });
    let s100 = synthetic(100);
    c.bench_function("bdm-cpu/synthetic100/forecast_values", |b| {
        b.iter(|| Bdm.forecast_values(black_box(&s100), &defaults).unwrap())
    });
    let mut slow = c.benchmark_group("bdm-cpu/large");
    slow.sample_size(10);
    let s1000 = synthetic(1000);
    slow.bench_function("synthetic1000/forecast_values", |b| {
        b.iter(|| Bdm.forecast_values(black_box(&s1000), &defaults).unwrap())
    });
    let twenty = Params::new().set("tolerance", "0");
    slow.bench_function("synthetic1000/forecast_values_20_rounds", |b| {
        b.iter(|| Bdm.forecast_values(black_box(&s1000), &twenty).unwrap())
    });
    slow.finish();
}

criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = bench_cpu
}

criterion_main!(benches, parts, cpu);
