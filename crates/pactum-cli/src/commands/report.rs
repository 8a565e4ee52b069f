//! `pactum report FILE -o report.html`: one self-contained HTML file with the scenario, the
//! position map, every model's forecast side by side and the bargaining paths.

use super::report_uncertainty;
use crate::Failure;
use crate::input;
use crate::output::write_atomic;
use pactum::Scenario;
use pactum::backtest::{self, Capability, DeuOptions, ModelRun, Options, Validation};
use pactum::io::Format;
use pactum::models::{self, Model, Params, Selection};
use pactum_report::{BacktestRow, BacktestTable, Difference, Report};
use std::path::Path;

/// Arguments of `pactum report`.
#[derive(clap::Args)]
pub struct Args {
    /// The scenario file (`-` for standard input).
    pub file: String,
    /// The model to run (repeatable). Default: every model that suits the scenario.
    #[arg(long, short)]
    pub model: Vec<String>,
    /// Monte Carlo draws over the coded ranges, for the outcome histograms.
    #[arg(long)]
    pub draws: Option<u64>,
    /// Seed of the Monte Carlo draws (the same seed gives the same report).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Show the levers of this actor on every issue it takes part in (repeatable).
    #[arg(long, value_name = "ACTOR")]
    pub levers: Vec<String>,
    /// Score the report's models on this dataset (a DEU III TSV, or a folder of native
    /// scenarios whose issues record outcomes) and add the backtest tables.
    #[arg(long, value_name = "DATASET")]
    pub backtest: Option<String>,
    /// Where to write the HTML (`-` for standard output).
    #[arg(long, short)]
    pub output: String,
    /// A date or time to print in the report (none by default, so reruns are identical).
    #[arg(long, value_name = "TEXT")]
    pub date: Option<String>,
    /// Read the file as this format instead of detecting it.
    #[arg(long, value_parser = input::parse_format)]
    pub input_format: Option<Format>,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let scenario = input::load_one(&args.file, args.input_format)?;
    let selection = Selection {
        models: args.model.clone(),
        ..Selection::default()
    };
    let chosen = selection.models()?;
    if args.draws == Some(0) {
        return Err(Failure::Input(
            "--draws 0: expected a positive number of draws, e.g. --draws 10000".into(),
        ));
    }
    let mut report = build(&scenario, &chosen, !args.model.is_empty())?;
    report.source_name = Some(display_name(&args.file));
    report.generated_at = args.date.clone();
    let runs: Vec<(&'static dyn Model, Params)> = report
        .forecasts
        .iter()
        .filter_map(|f| models::by_name(&f.model).ok())
        .map(|m| (m, selection.params(&scenario, m.name())))
        .collect();
    for (m, params) in &runs {
        if let Some(n) = args.draws {
            report_uncertainty::histograms(&mut report, *m, &scenario, params, n, args.seed)?;
            report_uncertainty::tornadoes(&mut report, *m, &scenario, params, args.seed)?;
        }
        for actor in &args.levers {
            report_uncertainty::levers(&mut report, *m, &scenario, params, actor, args.seed)?;
        }
    }
    if let Some(n) = args.draws {
        report
            .run_facts
            .push(("Seed".into(), args.seed.to_string()));
        report.run_facts.push(("Draws".into(), n.to_string()));
    }
    if let Some(path) = &args.backtest {
        backtest_tables(&mut report, path, args.seed)?;
    }
    write_atomic(&args.output, &pactum_report::render(&report))
}

/// Scores the models the report shows on `path` (council capabilities, proposals grouped, no
/// tuned model) and adds one table for all issues and one per procedure.
fn backtest_tables(report: &mut Report, path: &str, seed: u64) -> Result<(), Failure> {
    let data = backtest::load(Path::new(path), DeuOptions::new(Capability::Council))?;
    if data.cases.is_empty() {
        return Err(Failure::Input(format!(
            "{path}: no issue has a known outcome; nothing to score"
        )));
    }
    let chosen: Vec<&'static dyn Model> = report
        .forecasts
        .iter()
        .filter_map(|f| models::by_name(&f.model).ok())
        .collect();
    let options = Options {
        runs: ModelRun::for_models(&chosen),
        validation: Validation::None,
        seed,
        ..Options::default()
    };
    let scored = backtest::run(&data, &options)?;
    let dataset = format!(
        "{} ({} issues with an outcome in {} {}s; capabilities: {})",
        display_name(path),
        scored.n_issues,
        scored.n_proposals,
        scored.cluster,
        scored.capability
    );
    let notes = vec![format!(
        "Absolute errors on the 0–100 scale. Intervals: paired bootstrap of the MAE difference to the compromise model, {} replicates resampling {}, seed {}.",
        scored.replicates, scored.resampling, scored.seed
    )];
    let table = |title: String, models: &[backtest::ModelScore]| BacktestTable {
        title,
        dataset: dataset.clone(),
        unit: "points on the 0–100 scale".into(),
        rows: models.iter().map(backtest_row).collect(),
        notes: notes.clone(),
        difference_label: "MAE − compromise (95% CI)".into(),
    };
    report
        .backtests
        .push(table("All issues".into(), &scored.models));
    for g in &scored.by_procedure {
        report.backtests.push(table(
            format!("Procedure {} ({} issues)", g.value, g.n_issues),
            &g.models,
        ));
    }
    Ok(())
}

fn backtest_row(m: &backtest::ModelScore) -> BacktestRow {
    BacktestRow {
        model: m.label(),
        n: m.n as u64,
        mae: m.mae.unwrap_or(f64::NAN),
        rmse: m.rmse.unwrap_or(f64::NAN),
        median_ae: m.median_ae.unwrap_or(f64::NAN),
        mae_difference: m.mae_minus_compromise.as_ref().map(|i| Difference {
            estimate: i.estimate,
            lo: i.lo.unwrap_or(f64::NAN),
            hi: i.hi.unwrap_or(f64::NAN),
        }),
    }
}

/// Runs the models and gathers what the report shows (see [`Report::with_models`]), noting
/// each skipped model on standard error.
fn build(
    scenario: &Scenario,
    chosen: &[&'static dyn Model],
    explicit: bool,
) -> Result<Report, Failure> {
    let report = Report::with_models(scenario, chosen, explicit)?;
    for (model, why) in &report.skipped_models {
        eprintln!("note: model {model} skipped: {why}");
    }
    Ok(report)
}

/// The file's name without its folders, so the report does not depend on where it was run.
fn display_name(path: &str) -> String {
    if path == "-" {
        return "<stdin>".into();
    }
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}
