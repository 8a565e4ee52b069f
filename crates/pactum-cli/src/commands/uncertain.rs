//! What `simulate`, `sensitivity` and `levers` share: the model choice, its parameters,
//! the distribution options and the mapping of library errors to exit codes.

use super::forecast;
use crate::Failure;
use crate::input;
use pactum::Scenario;
use pactum::io::Format;
use pactum::models::{self, Model, Params};
use pactum::uncertainty::{Correlation, Field, Shape, UncertaintyError};

/// The model and input options of an uncertainty command.
#[derive(clap::Args)]
pub struct ModelArgs {
    /// The scenario file (`-` for standard input).
    pub file: String,
    /// The model to run (see `pactum models`).
    #[arg(long, short)]
    pub model: String,
    /// A named parameter set of the model.
    #[arg(long)]
    pub preset: Option<String>,
    /// Set a model parameter, e.g. `--set q=0.8` (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Read the file as this format instead of detecting it.
    #[arg(long, value_parser = input::parse_format)]
    pub input_format: Option<Format>,
    /// Distribution of every ranged input: `triangular` or `pert`.
    #[arg(long, default_value = "triangular", value_parser = parse_shape)]
    pub distribution: Shape,
    /// Output format: `table` for people, `json` for programs.
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    pub format: String,
}

/// Correlated draws within groups.
#[derive(clap::Args)]
pub struct CorrelationArgs {
    /// Correlation (0–1) of the inputs of actors sharing a `group` (Gaussian copula).
    #[arg(long, value_name = "RHO")]
    pub correlation: Option<f64>,
    /// The fields that move together within a group, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "salience", value_parser = parse_field)]
    pub correlate: Vec<Field>,
}

impl CorrelationArgs {
    /// The library's correlation option.
    pub fn correlation(&self) -> Option<Correlation> {
        self.correlation.map(|rho| Correlation {
            rho,
            fields: self.correlate.clone(),
        })
    }
}

fn parse_shape(s: &str) -> Result<Shape, String> {
    s.parse()
}

fn parse_field(s: &str) -> Result<Field, String> {
    s.parse()
}

/// The scenario, the model and its parameters.
pub fn load(args: &ModelArgs) -> Result<(Scenario, &'static dyn Model, Params), Failure> {
    let scenario = input::load_one(&args.file, args.input_format)?;
    let model = models::by_name(&args.model)?;
    let params = forecast::params_from(&scenario, model.name(), args.preset.as_deref(), &args.set)?;
    Ok((scenario, model, params))
}

/// Exit code 2 for bad input or options, 1 for a model failing while running.
pub fn failure(e: UncertaintyError) -> Failure {
    match e {
        UncertaintyError::Input(e) => e.into(),
        UncertaintyError::Model(e) => e.into(),
        UncertaintyError::Draw { .. } => Failure::Runtime(e.to_string()),
        UncertaintyError::Options(m) => Failure::Input(m),
        _ => Failure::Runtime(e.to_string()),
    }
}

/// Pretty JSON of `value` on standard output.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Runtime(format!("cannot serialise the result: {e}")))?;
    println!("{text}");
    Ok(())
}

/// The issue's display decimals and unit suffix.
pub fn issue_format(scenario: &Scenario, id: &str) -> (usize, String) {
    match scenario.issue(id) {
        Some(i) => (
            crate::output::decimals(i.scale.hi - i.scale.lo),
            if i.scale.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", i.scale.unit)
            },
        ),
        None => (2, String::new()),
    }
}
