//! `pactum sensitivity FILE --model M`: which ranged inputs drive the forecast.

use super::uncertain::{self, ModelArgs};
use crate::Failure;
use crate::output::{num, pad, rpad};
use pactum::uncertainty::{Sensitivity, SensitivityOptions, sensitivity};

/// Arguments of `pactum sensitivity`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub common: ModelArgs,
    /// Base sample size N of the variance-based indices (N·(k + 2) evaluations; 0 skips).
    #[arg(long, default_value_t = 4096)]
    pub samples: u64,
    /// Seed of the variance-based sample.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let (scenario, model, params) = uncertain::load(&args.common)?;
    let opts = SensitivityOptions {
        samples: args.samples,
        seed: args.seed,
        shape: args.common.distribution,
    };
    let r = sensitivity(model, &scenario, &params, &opts).map_err(uncertain::failure)?;
    if args.common.format == "json" {
        uncertain::print_json(&r)
    } else {
        print!("{}", table(&scenario, &r));
        Ok(())
    }
}

fn table(scenario: &pactum::Scenario, r: &Sensitivity) -> String {
    let mut out = format!(
        "model {}: {} ranged inputs; {} evaluations for the tornado, {} for the variance-based indices (N = {}, {})\n",
        r.model,
        r.inputs.len(),
        r.evaluations.tornado,
        r.evaluations.variance_based,
        r.samples,
        r.distribution.name()
    );
    if r.inputs.is_empty() {
        out.push_str("note: no input is a range; code ranges { low, mode, high } to see what drives the forecast\n");
        return out;
    }
    let w = r
        .inputs
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    for x in &r.issues {
        let (d, unit) = uncertain::issue_format(scenario, &x.id);
        out.push_str(&format!(
            "\n{} (at modes {}{unit})\n",
            x.id,
            num(Some(x.at_modes), d)
        ));
        out.push_str(&format!(
            "  {}  {}  {}  {}  {}  {}\n",
            pad("input", w),
            rpad("at low", 10),
            rpad("at high", 10),
            rpad("swing", 10),
            rpad("first", 7),
            rpad("total", 7)
        ));
        for s in &x.tornado {
            let share = x.indices.iter().find(|v| v.input == s.input);
            let idx = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into());
            out.push_str(&format!(
                "  {}  {}  {}  {}  {}  {}\n",
                pad(&s.input, w),
                rpad(&num(Some(s.forecast_at_low), d), 10),
                rpad(&num(Some(s.forecast_at_high), d), 10),
                rpad(&num(Some(s.swing), d), 10),
                rpad(&idx(share.and_then(|v| v.first_order)), 7),
                rpad(&idx(share.and_then(|v| v.total)), 7)
            ));
        }
    }
    out.push_str("\nswing: forecast with the input at its high minus at its low end, others at their modes;\nfirst/total: share of the forecast's variance explained by the input alone / with interactions.\n");
    out
}
