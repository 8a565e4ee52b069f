//! One module per subcommand.

mod backtest;
mod calibrate;
mod convert;
mod forecast;
mod levers;
mod models;
mod new;
mod report;
mod report_uncertainty;
mod seal;
mod sensitivity;
mod serve;
mod simulate;
mod sweep;
mod uncertain;
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
    /// Convert a scenario file (any supported format) to pactum's native TOML or an xlsx workbook.
    Convert(convert::Args),
    /// List the models, their parameters and presets.
    Models(models::Args),
    /// Write a commented scenario template to start from (TOML, or an xlsx workbook with --xlsx).
    New(new::Args),
    /// Score every model on negotiations whose outcome is known (DEU III file or scenarios).
    Backtest(backtest::Args),
    /// Compute the residual scores that calibrate every model's intervals (DEU III or scenarios).
    Calibrate(calibrate::Args),
    /// Monte Carlo over the ranged inputs: median, p10/p90, histogram, thresholds.
    Simulate(simulate::Args),
    /// Which ranged inputs drive the forecast: tornado and variance-based indices.
    Sensitivity(sensitivity::Args),
    /// What an actor, and others, could do to move the forecast toward its position.
    Levers(levers::Args),
    /// Write one self-contained HTML report: actors, position maps, every model side by side.
    Report(report::Args),
    /// Seal a forecast: scenario, model, parameters, seed, version, intervals and time under a SHA-256.
    Seal(seal::SealArgs),
    /// Check a seal: its hash, its canonical form, and that re-running gives the sealed forecast.
    Verify(seal::VerifyArgs),
    /// Grade sealed forecasts against outcomes: MAE, interval coverage, interval score.
    Score(seal::ScoreArgs),
    /// Run every scenario × model × preset × grid point in parallel, as one tidy CSV.
    Sweep(sweep::Args),
    /// Run the local web app: scenario library, editor and JSON API (loopback by default).
    Serve(serve::Args),
}

impl Command {
    /// True for the commands whose output is meant for a pipe (`pactum forecast … | head`);
    /// false for `serve`, which talks to clients over sockets and must never die because
    /// one of them left.
    pub fn prints_to_stdout(&self) -> bool {
        !matches!(self, Command::Serve(_))
    }
}

/// Runs a subcommand.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Forecast(a) => forecast::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Convert(a) => convert::run(a),
        Command::Models(a) => models::run(a),
        Command::New(a) => new::run(a),
        Command::Backtest(a) => backtest::run(a),
        Command::Calibrate(a) => calibrate::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Sensitivity(a) => sensitivity::run(a),
        Command::Levers(a) => levers::run(a),
        Command::Report(a) => report::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Seal(a) => seal::run_seal(a),
        Command::Verify(a) => seal::run_verify(a),
        Command::Score(a) => seal::run_score(a),
    }
}
