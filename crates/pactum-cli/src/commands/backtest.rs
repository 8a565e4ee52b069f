//! `pactum backtest DATASET`: score every model on negotiations whose outcome is known.

use crate::Failure;
use pactum::backtest::{
    self, Capability, Dataset, DeuOptions, Grouping, ModelRun, Options, ParliamentRule, Validation,
};
use pactum::models::{self, Params};
use std::path::Path;

/// Arguments of `pactum backtest`.
#[derive(clap::Args)]
pub struct Args {
    /// A DEU III TSV, a native scenario with outcomes, or a folder of native scenarios.
    pub dataset: Option<String>,
    /// A model to score, as `NAME` or `NAME:PRESET` (repeatable). Default: every model and
    /// preset. The compromise model is always scored, as the baseline of the intervals.
    #[arg(long, short)]
    pub model: Vec<String>,
    /// DEU capabilities: `equal`, `gdp` (the file's second line) or `council` (treaty-regime
    /// Council voting weights at the proposal's introduction).
    #[arg(long, default_value = "council", value_parser = ["equal", "gdp", "council"])]
    pub capability: String,
    /// The Parliament's capability: `always`, or `by-procedure` (0 under consultation).
    /// Default: `by-procedure` for `council`, `always` otherwise.
    #[arg(long, value_parser = ["always", "by-procedure"])]
    pub parliament: Option<String>,
    /// DEU: give models one scenario per `proposal` (all its issues), or per `issue` (for
    /// models that need every actor on every issue, e.g. smp). Clusters and folds are
    /// proposals either way.
    #[arg(long, default_value = "proposal", value_parser = ["proposal", "issue"])]
    pub grouping: String,
    /// Cross-validate the tuned model with K folds grouped by proposal (0: no tuned model).
    #[arg(long, default_value_t = 5, conflicts_with = "fit")]
    pub folds: usize,
    /// Fit the tuned model on this dataset (no proposal may also be in the scored one).
    #[arg(long, value_name = "FILE")]
    pub fit: Option<String>,
    /// The dataset to score (instead of DATASET), usually with --fit.
    #[arg(long, value_name = "FILE")]
    pub score: Option<String>,
    /// Output format: `table` for people, `json` for programs.
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    pub format: String,
    /// Write every forecast of every issue to this CSV file.
    #[arg(long, value_name = "FILE")]
    pub per_issue: Option<String>,
    /// Also print every forecast of every issue, in its units and on 0–100 (table format).
    #[arg(long)]
    pub issues: bool,
    /// Seed of the bootstrap and of the fold assignment.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// What residuals are divided by when intervals are calibrated: `width` (the issue's
    /// scale) or `spread` (the range of the actors' positions, at least 5 % of the scale).
    #[arg(long, default_value = "width", value_parser = ["width", "spread"])]
    pub interval_scaling: String,
    /// Bootstrap replicates.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub replicates: u64,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let capability: Capability = args.capability.parse().map_err(Failure::Input)?;
    let parliament = match &args.parliament {
        Some(p) => p.parse::<ParliamentRule>().map_err(Failure::Input)?,
        None => capability.default_parliament(),
    };
    let deu = DeuOptions {
        capability,
        parliament,
        grouping: args.grouping.parse::<Grouping>().map_err(Failure::Input)?,
    };
    let scored = match (&args.dataset, &args.score) {
        (Some(d), None) | (None, Some(d)) => d.clone(),
        (Some(_), Some(_)) => {
            return Err(Failure::Input(
                "give the dataset either as DATASET or as --score, not both".into(),
            ));
        }
        (None, None) => {
            return Err(Failure::Input(
                "no dataset: give DATASET (or --fit FILE --score FILE)".into(),
            ));
        }
    };
    let data = load(&scored, deu)?;
    let validation = match &args.fit {
        Some(f) => Validation::FitOn(Box::new(load(f, deu)?)),
        None if args.folds == 0 => Validation::None,
        None => Validation::KFold(args.folds),
    };
    let options = Options {
        runs: runs(&args.model, &data)?,
        validation,
        replicates: args.replicates as usize,
        seed: args.seed,
        scaling: args.interval_scaling.parse().map_err(Failure::Input)?,
    };
    let report = backtest::run(&data, &options)?;
    if let Some(path) = &args.per_issue {
        let csv = backtest::render::issues_csv(&report)
            .map_err(|e| Failure::Runtime(format!("cannot write the per-issue CSV: {e}")))?;
        std::fs::write(path, csv)
            .map_err(|e| Failure::Runtime(format!("{path}: cannot write: {e}")))?;
    }
    if args.format == "json" {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::Runtime(format!("cannot serialise the report: {e}")))?;
        println!("{text}");
    } else {
        print!("{}", backtest::render::table(&report));
        if args.issues {
            println!();
            print!("{}", backtest::render::issues_table(&report));
        }
    }
    Ok(())
}

fn load(path: &str, deu: DeuOptions) -> Result<Dataset, Failure> {
    // Warnings are part of the report (table and JSON), not repeated here.
    let data = backtest::load(Path::new(path), deu)?;
    if !data.skipped.is_empty() {
        eprintln!(
            "warning: {path}: {} row(s) skipped (listed in the report)",
            data.skipped.len()
        );
    }
    if data.cases.is_empty() {
        return Err(Failure::Input(format!(
            "{path}: no issue has a known outcome; nothing to score"
        )));
    }
    Ok(data)
}

/// `NAME` or `NAME:PRESET` → model runs; empty → every model and preset that suits `data`.
fn runs(names: &[String], data: &Dataset) -> Result<Vec<ModelRun>, Failure> {
    if names.is_empty() {
        return Ok(ModelRun::all_for(data));
    }
    names
        .iter()
        .map(|n| {
            let (name, preset) = match n.split_once(':') {
                Some((m, p)) => (m, Some(p.to_string())),
                None => (n.as_str(), None),
            };
            let model = models::by_name(name)?;
            if let Some(p) = &preset
                && !model.presets().iter().any(|x| x.name == p)
            {
                return Err(Failure::Input(format!(
                    "model {name} has no preset `{p}` (see `pactum models`)"
                )));
            }
            Ok(ModelRun {
                model,
                params: Params {
                    preset,
                    values: Default::default(),
                },
            })
        })
        .collect()
}
