//! Calibrated intervals: the coverage machinery recovers the nominal coverage on synthetic
//! data with known error distributions; the shipped calibration regenerates byte for byte;
//! fit on one half of the DEU III dev file, scored on the other.

use pactum::backtest::{self, Dataset, ModelRun, Options, Validation};
use pactum::calibration::{self, Calibration, Frame, Scaling, Scores};
use pactum::models;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// An error distribution on the 0–1 scale, drawn by inverse CDF from `u` in (0, 1).
#[derive(Clone, Copy, Debug)]
enum Noise {
    Normal(f64),
    Laplace(f64),
    Uniform(f64),
    /// Exponential with this mean, shifted to mean zero (skewed).
    SkewedExp(f64),
}

impl Noise {
    fn draw(self, rng: &mut ChaCha8Rng) -> f64 {
        let u: f64 = rng.random_range(1e-12..1.0);
        match self {
            Noise::Normal(sd) => {
                let v: f64 = rng.random_range(0.0..1.0);
                sd * (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
            }
            Noise::Laplace(b) => {
                let x = u - 0.5;
                -b * x.signum() * (1.0 - 2.0 * x.abs()).ln()
            }
            Noise::Uniform(h) => (2.0 * u - 1.0) * h,
            Noise::SkewedExp(m) => -m * u.ln() - m,
        }
    }
}

/// `groups` proposals of 1–3 issues on 0–100; two anchor actors at 0 and 100 make the hull
/// the whole scale, so intervals are not cut by it; the outcome is the compromise forecast
/// plus `noise`·100 (redrawn while it would leave the scale). Written as native TOML.
fn synthetic(groups: usize, noise: Noise, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut scenarios = Vec::new();
    for g in 0..groups {
        let mut actors = vec![("lo".to_string(), 0.01), ("hi".to_string(), 0.01)];
        for a in 0..4 {
            actors.push((format!("a{a}"), rng.random_range(1.0..10.0)));
        }
        let mut toml = format!("title = \"synthetic {g}\"\n");
        for (id, c) in &actors {
            toml += &format!("[[actors]]\nid = \"{id}\"\ncapability = {c:?}\n");
        }
        let mut stances = String::new();
        for i in 0..rng.random_range(1..4) {
            let id = format!("p{g}i{i}");
            let (mut wx, mut w) = (0.0, 0.0);
            for (a, c) in &actors {
                let x: f64 = match a.as_str() {
                    "lo" => 0.0,
                    "hi" => 100.0,
                    _ => rng.random_range(30.0..70.0),
                };
                wx += c * x;
                w += c;
                stances += &format!(
                    "[[stances]]\nactor = \"{a}\"\nissue = \"{id}\"\nposition = {x:?}\nsalience = 0.5\n"
                );
            }
            let forecast = wx / w;
            let outcome = loop {
                let y = forecast + 100.0 * noise.draw(&mut rng);
                if (0.0..=100.0).contains(&y) {
                    break y;
                }
            };
            toml += &format!(
                "[[issues]]\nid = \"{id}\"\nscale = {{ lo = 0, hi = 100, unit = \"0-100\" }}\noutcome = {{ value = {outcome:?} }}\n"
            );
        }
        toml += &stances;
        let mut loaded = pactum::io::read("synthetic.toml", toml.as_bytes(), None)
            .expect("synthetic scenario reads");
        scenarios.push((format!("p{g}"), loaded.scenarios.remove(0)));
    }
    Dataset::from_scenarios("synthetic", scenarios)
}

fn compromise_only(validation: Validation) -> Options {
    Options {
        runs: ModelRun::for_models(&[&models::baseline::Compromise]),
        validation,
        replicates: 200,
        ..Options::default()
    }
}

#[test]
fn the_conformal_interval_has_its_nominal_coverage_exactly_in_expectation() {
    // Split conformal with n = 19 calibration scores: coverage at level p is exactly
    // ⌈20p⌉/20 for continuous errors (0.5 → 10/20, 0.8 → 16/20), whatever the distribution.
    for noise in [
        Noise::Normal(0.1),
        Noise::Laplace(0.05),
        Noise::Uniform(0.2),
        Noise::SkewedExp(0.08),
    ] {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let frame = Frame {
            scale: (-1e6, 1e6),
            hull: (-1e6, 1e6),
            s: 1.0,
        };
        let trials = 20_000;
        let (mut in50, mut in80) = (0, 0);
        for _ in 0..trials {
            let mut scores: Vec<f64> = (0..19).map(|_| noise.draw(&mut rng).abs()).collect();
            scores.sort_by(f64::total_cmp);
            let all = Scores {
                finite: &scores,
                n: 19,
            };
            let y = noise.draw(&mut rng);
            let [a, b] = calibration::interval(&[0.0], all, frame, 0.5);
            in50 += usize::from(a <= y && y <= b);
            let [a, b] = calibration::interval(&[0.0], all, frame, 0.8);
            in80 += usize::from(a <= y && y <= b);
        }
        let (c50, c80) = (in50 as f64 / trials as f64, in80 as f64 / trials as f64);
        // Binomial standard error at 20,000 trials: 0.0035 (50 %), 0.0028 (80 %).
        assert!((c50 - 0.5).abs() < 0.012, "{noise:?}: 50% coverage {c50}");
        assert!((c80 - 0.8).abs() < 0.012, "{noise:?}: 80% coverage {c80}");
    }
}

#[test]
fn held_out_backtest_intervals_recover_the_nominal_coverage() {
    for (k, noise) in [
        Noise::Normal(0.1),
        Noise::Laplace(0.07),
        Noise::Uniform(0.25),
        Noise::SkewedExp(0.1),
    ]
    .into_iter()
    .enumerate()
    {
        let data = synthetic(300, noise, 100 + k as u64);
        let r = backtest::run(&data, &compromise_only(Validation::None)).unwrap();
        let s = r.models[0].intervals.as_ref().expect("intervals");
        assert_eq!(s.n_intervals, data.cases.len());
        assert!(
            (s.coverage_50 - 0.5).abs() < 0.05,
            "{noise:?}: {}",
            s.coverage_50
        );
        assert!(
            (s.coverage_80 - 0.8).abs() < 0.04,
            "{noise:?}: {}",
            s.coverage_80
        );
        // The bootstrap interval of the coverage brackets the estimate.
        let [lo, hi] = s.interval_ci["coverage_80"];
        assert!(lo.unwrap() <= s.coverage_80 && s.coverage_80 <= hi.unwrap());
    }
}

#[test]
fn fit_on_one_dataset_score_on_another_recovers_the_nominal_coverage() {
    let fit = synthetic(300, Noise::Laplace(0.07), 1);
    let mut score = synthetic(300, Noise::Laplace(0.07), 2);
    // Distinct proposal names: the fit and the scored data share none.
    for c in &mut score.cases {
        c.proposal = format!("other-{}", c.proposal);
    }
    let options = compromise_only(Validation::FitOn(Box::new(fit)));
    let r = backtest::run(&score, &options).unwrap();
    let s = r.models[0].intervals.as_ref().expect("intervals");
    assert!((s.coverage_80 - 0.8).abs() < 0.04, "{}", s.coverage_80);
    assert!(r.interval_method.contains("calibrated on synthetic"));
    // Wider errors at scoring time than at fitting time: coverage falls, as it must.
    let wide = synthetic(300, Noise::Laplace(0.14), 3);
    let options = compromise_only(Validation::FitOn(Box::new(synthetic(
        300,
        Noise::Laplace(0.07),
        1,
    ))));
    let mut wide_renamed = wide;
    for c in &mut wide_renamed.cases {
        c.proposal = format!("wide-{}", c.proposal);
    }
    let r = backtest::run(&wide_renamed, &options).unwrap();
    let s = r.models[0].intervals.as_ref().unwrap();
    assert!(s.coverage_80 < 0.7, "{}", s.coverage_80);
}

#[test]
fn the_shipped_calibration_regenerates_byte_for_byte() {
    let data = calibration::dev_dataset().unwrap();
    let fresh = Calibration::fit(
        calibration::DEV_NAME,
        &data,
        &ModelRun::all(),
        Scaling::Width,
    );
    assert!(
        fresh.to_json() == calibration::SHIPPED_JSON,
        "crates/pactum/src/calibration/deu3-dev.json is stale; regenerate it with\n  \
         cargo run -p pactum-cli -- calibrate testdata/deu3/deu3-dev.tsv -o crates/pactum/src/calibration/deu3-dev.json"
    );
    let shipped = Calibration::shipped().unwrap();
    for m in models::all() {
        assert!(
            shipped.find(m.name(), None).is_some(),
            "{} missing",
            m.name()
        );
    }
}

#[test]
fn fitted_on_one_half_of_the_dev_file_the_80_percent_interval_covers_the_other() {
    // Proposals in order of first appearance, dealt alternately into two halves.
    let data = calibration::dev_dataset().unwrap();
    let (a, b): (Vec<usize>, Vec<usize>) = (0..data.groups.len()).partition(|g| g % 2 == 0);
    let (first, second) = (data.subset(&a), data.subset(&b));
    let mut both = Vec::new();
    for (fit, score) in [(&first, &second), (&second, &first)] {
        let options = compromise_only(Validation::FitOn(Box::new(fit.clone())));
        let r = backtest::run(score, &options).unwrap();
        let s = r.models[0].intervals.as_ref().unwrap();
        let naive = r.naive_interval.as_ref().unwrap();
        eprintln!(
            "halves: fit {} issues, score {}: coverage 50% {:.3}, 80% {:.3}, width80 {:.1} (naive {:.1} covering {:.3})",
            fit.cases.len(),
            score.cases.len(),
            s.coverage_50,
            s.coverage_80,
            s.width_80,
            naive.width.estimate,
            naive.coverage.estimate
        );
        // About 35 proposals per half, calibrated on the other 35: one half's coverage varies
        // with both halves' sampling (measured: 72.0 % and 90.6 %), so the per-half check is
        // loose and the 75–85 % goal is checked on the mean of the two directions.
        assert!((0.65..=0.95).contains(&s.coverage_80), "{}", s.coverage_80);
        assert!(s.width_80 < naive.width.estimate);
        both.push(s.coverage_80);
    }
    let mean = (both[0] + both[1]) / 2.0;
    assert!(
        (0.75..=0.85).contains(&mean),
        "mean coverage over both halves {mean}"
    );
}
