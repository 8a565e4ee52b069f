//! One module per subcommand.

mod convert;
mod forecast;
mod models;
mod new;
mod report;
mod serve;
mod validate;

use crate::Failure;
use clap::Subcommand;

/// The subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Forecast each issue of a scenario with one or more models.
    Forecast(forecast::Args),
    /// Check a scenario file and report every problem with its place.
    Validate(validate::Args),
    /// Convert a scenario file (any supported format) to pactum's native TOML.
    Convert(convert::Args),
    /// List the models, their parameters and presets.
    Models(models::Args),
    /// Write a commented scenario template to start from.
    New(new::Args),
    /// Write one self-contained HTML report: actors, position maps, every model side by side.
    Report(report::Args),
    /// Run the local web app: scenario library, editor and JSON API (loopback by default).
    Serve(serve::Args),
}

/// Runs a subcommand.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Forecast(a) => forecast::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Convert(a) => convert::run(a),
        Command::Models(a) => models::run(a),
        Command::New(a) => new::run(a),
        Command::Report(a) => report::run(a),
        Command::Serve(a) => serve::run(a),
    }
}
