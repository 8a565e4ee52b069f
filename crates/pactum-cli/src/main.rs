//! `pactum`: forecast how multi-party negotiations end.
//!
//! A thin front end over the `pactum` library: argument parsing, reading files, printing.
//! Exit codes: 0 success, 1 a model or runtime failure, 2 bad input or usage.

mod commands;
mod input;
mod output;

use clap::Parser;
use std::process::ExitCode;

/// Forecast how multi-party negotiations end.
///
/// A scenario lists actors (capability), issues (a scale in real units) and each actor's
/// position and salience. pactum reads it in any supported format and runs models of
/// collective decision-making on it.
#[derive(Parser)]
#[command(name = "pactum", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  pactum forecast cases/us-japan-2014.toml\n  pactum forecast cases/emission-1994.toml --model compromise --format json\n  pactum validate my-case.toml\n  pactum convert ktab-input.csv --to toml -o my-case.toml\n  pactum models"
)]
struct Cli {
    #[command(subcommand)]
    command: commands::Command,
}

/// A failure, with the exit code it maps to.
pub enum Failure {
    /// Bad input or usage: exit 2.
    Input(String),
    /// The input was fine but something failed while running: exit 1.
    Runtime(String),
}

impl From<pactum::InputError> for Failure {
    fn from(e: pactum::InputError) -> Self {
        Failure::Input(e.to_string())
    }
}

impl From<pactum::ModelError> for Failure {
    fn from(e: pactum::ModelError) -> Self {
        match e {
            pactum::ModelError::Unsuitable(_) => Failure::Runtime(e.to_string()),
            _ => Failure::Input(e.to_string()),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A server must outlive any client that hangs up: only the commands that print their
    // answer to standard output take the default SIGPIPE action (Rust's runtime ignores it,
    // so a write to a closed socket is an EPIPE error that the server handles).
    if cli.command.prints_to_stdout() {
        restore_sigpipe();
    }
    match commands::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

/// Lets `pactum … | head` end quietly, as Unix tools do, instead of panicking on a closed pipe.
#[cfg(unix)]
fn restore_sigpipe() {
    // SAFETY: setting a signal disposition to its default at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}
