//! `pactum simulate FILE --model M`: Monte Carlo over the ranged inputs.

use super::uncertain::{self, CorrelationArgs, ModelArgs};
use crate::Failure;
use crate::output::{num, rpad, watch_progress};
use pactum::calibration;
use pactum::uncertainty::{Simulation, SimulationOptions, simulate_with_draws};
use std::sync::atomic::AtomicU64;

/// Arguments of `pactum simulate`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub common: ModelArgs,
    /// Number of draws.
    #[arg(long, default_value_t = 10_000)]
    pub draws: u64,
    /// Seed: the same seed gives the same result on any number of threads.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Report the probability that the forecast reaches this value (repeatable).
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true)]
    pub threshold: Vec<f64>,
    /// Histogram bins.
    #[arg(long, default_value_t = 20)]
    pub bins: usize,
    #[command(flatten)]
    pub correlation: CorrelationArgs,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let (scenario, model, params) = uncertain::load(&args.common)?;
    if args.threshold.iter().any(|t| !t.is_finite()) {
        return Err(Failure::Input("--threshold must be a finite number".into()));
    }
    let opts = SimulationOptions {
        draws: args.draws,
        seed: args.seed,
        shape: args.common.distribution,
        correlation: args.correlation.correlation(),
        thresholds: args.threshold.clone(),
        bins: args.bins.max(1),
    };
    let done = AtomicU64::new(0);
    let result = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let (mut sim, table) =
                simulate_with_draws(model, &scenario, &params, &opts, Some(&done))
                    .map_err(uncertain::failure)?;
            if let Err(e) =
                calibration::calibrate_simulation(&mut sim, &table, &scenario, model, &params)
            {
                eprintln!("note: no predictive interval: {e}");
            }
            Ok::<_, Failure>(sim)
        });
        watch_progress(&worker, &done, args.draws, "draws");
        worker.join()
    })
    .map_err(|_| Failure::Runtime("the simulation stopped unexpectedly".into()))??;
    if args.common.format == "json" {
        uncertain::print_json(&result)
    } else {
        print!("{}", table(&scenario, &result));
        Ok(())
    }
}

fn table(scenario: &pactum::Scenario, sim: &Simulation) -> String {
    let mut out = format!(
        "{} — {} draws, seed {}, {} inputs, model {}\n",
        if scenario.title.is_empty() {
            "scenario"
        } else {
            &scenario.title
        },
        sim.draws,
        sim.seed,
        sim.distribution.name(),
        sim.model
    );
    if sim.inputs.is_empty() {
        out.push_str("note: no input is a range, so every draw is the same\n");
    } else {
        let names: Vec<&str> = sim.inputs.iter().map(|i| i.name.as_str()).collect();
        out.push_str(&format!("ranged inputs: {}\n", names.join(", ")));
    }
    out.push_str("quantiles: linear interpolation (type 7, as R and NumPy)\n");
    if let Some(c) = &sim.calibration {
        out.push_str(&format!(
            "predictive intervals: the draws mixed with the model's out-of-sample error, calibrated on {} ({} issues, split-conformal; docs/uncertainty.md)\n",
            c.dataset, c.n
        ));
    }
    out.push('\n');
    for x in &sim.issues {
        let (d, unit) = uncertain::issue_format(scenario, &x.id);
        out.push_str(&format!("{}\n", x.id));
        out.push_str(&format!(
            "  median {}{unit}   mean {}   p10 {}   p90 {}   at modes {}\n",
            num(Some(x.median), d),
            num(Some(x.mean), d),
            num(Some(x.p10), d),
            num(Some(x.p90), d),
            num(x.at_modes, d)
        ));
        out.push_str(&format!(
            "  median 95% interval {}–{}, mean ± {} (standard error)\n",
            num(Some(x.convergence.median_ci95[0]), d),
            num(Some(x.convergence.median_ci95[1]), d),
            num(Some(x.convergence.mean_standard_error), d + 1)
        ));
        if let (Some(a), Some(b)) = (x.interval_50, x.interval_80) {
            out.push_str(&format!(
                "  outcome: 50% interval {}–{}{unit}, 80% interval {}–{}{unit}\n",
                num(Some(a[0]), d),
                num(Some(a[1]), d),
                num(Some(b[0]), d),
                num(Some(b[1]), d)
            ));
        }
        for t in &x.thresholds {
            out.push_str(&format!(
                "  P(forecast ≥ {}) = {:.3} ± {:.3}\n",
                num(Some(t.threshold), d),
                t.p_at_or_above,
                t.standard_error
            ));
        }
        out.push_str(&histogram(&x.histogram, d));
        if let Some(p) = x.p_agreement {
            out.push_str(&format!(
                "  p_agreement = {p:.3} (share of draws in which every side ratifies a deal)\n"
            ));
            match &x.given_agreement {
                Some(g) => {
                    out.push_str(&format!(
                        "  given agreement ({} draws): median {}{unit}   mean {}   p10 {}   p90 {}\n",
                        g.draws,
                        num(Some(g.median), d),
                        num(Some(g.mean), d),
                        num(Some(g.p10), d),
                        num(Some(g.p90), d)
                    ));
                    if p < 1.0 {
                        out.push_str(&histogram(&g.histogram, d));
                    }
                }
                None => out.push_str("  no draw reached agreement\n"),
            }
        }
        out.push('\n');
    }
    out
}

fn histogram(h: &pactum::uncertainty::summary::Histogram, d: usize) -> String {
    let max = h.counts.iter().copied().max().unwrap_or(0).max(1);
    let total: u64 = h.counts.iter().sum::<u64>().max(1);
    let width = (h.hi - h.lo) / h.counts.len().max(1) as f64;
    let mut out = String::new();
    for (k, c) in h.counts.iter().enumerate() {
        let lo = h.lo + k as f64 * width;
        let bar = "█".repeat(((*c as f64 / max as f64) * 40.0).round() as usize);
        out.push_str(&format!(
            "  {} {:>5.1}% {bar}\n",
            rpad(&num(Some(lo), d), 10),
            100.0 * *c as f64 / total as f64
        ));
    }
    out
}
