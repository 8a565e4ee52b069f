//! `pactum report FILE -o report.html`: one self-contained HTML file with the scenario, the
//! position map, every model's forecast side by side and the bargaining paths.

use crate::Failure;
use crate::input;
use crate::output::write_atomic;
use pactum::io::Format;
use pactum::models::{self, Model, Params};
use pactum::{Scenario, Snapshot};
use pactum_report::{Report, Section};

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
    let chosen: Vec<&'static dyn Model> = if args.model.is_empty() {
        models::all()
    } else {
        args.model
            .iter()
            .map(|n| models::by_name(n))
            .collect::<Result<_, _>>()?
    };
    if args.draws == Some(0) {
        return Err(Failure::Input(
            "--draws 0: expected a positive number of draws, e.g. --draws 10000".into(),
        ));
    }
    let mut report = build(&scenario, &chosen, !args.model.is_empty())?;
    report.source_name = Some(display_name(&args.file));
    report.generated_at = args.date.clone();
    if let Some(n) = args.draws {
        // The Monte Carlo module is not part of this build yet: say so, on the page and here.
        let why = format!(
            "{n} draws with seed {} were asked for, but this build of pactum has no Monte Carlo module yet",
            args.seed
        );
        eprintln!("note: Monte Carlo not computed: {why}");
        report.not_computed.push((Section::MonteCarlo, why));
        report
            .run_facts
            .push(("Seed".into(), args.seed.to_string()));
    }
    write_atomic(&args.output, &pactum_report::render(&report))
}

/// Runs the models and gathers what the report shows. Unsuitable models are skipped (and
/// listed) unless the user named them.
fn build(
    scenario: &Scenario,
    chosen: &[&'static dyn Model],
    explicit: bool,
) -> Result<Report, Failure> {
    let snapshot = Snapshot::modes(scenario);
    let mut report = Report::new(scenario.clone(), Vec::new());
    for m in chosen {
        let params = params_for(scenario, m.name());
        match m.solve(&snapshot, &params) {
            Ok(f) => {
                report
                    .model_summaries
                    .push((m.name().to_string(), m.summary().to_string()));
                report.forecasts.push(f);
            }
            Err(pactum::ModelError::Unsuitable(why)) if !explicit => {
                eprintln!("note: model {} skipped: {why}", m.name());
                report.skipped_models.push((m.name().to_string(), why));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(report)
}

/// Parameters stored in the scenario's `[models.<name>]` table.
fn params_for(scenario: &Scenario, model: &str) -> Params {
    let mut params = Params::new();
    if let Some(table) = scenario.models.get(model) {
        for (k, v) in table {
            let text = match v {
                toml::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            params.values.insert(k.clone(), text);
        }
    }
    params
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
