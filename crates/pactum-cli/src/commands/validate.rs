//! `pactum validate FILE`: read, check, summarise.

use crate::Failure;
use crate::input;
use pactum::io::Format;

/// Arguments of `pactum validate`.
#[derive(clap::Args)]
pub struct Args {
    /// The scenario file (`-` for standard input).
    pub file: String,
    /// Read the file as this format instead of detecting it
    /// (toml, ktab, decide, table, schelling, deu).
    #[arg(long, value_parser = input::parse_format)]
    pub input_format: Option<Format>,
}

/// Runs the command: exit 0 and a summary when the file is valid.
pub fn run(args: Args) -> Result<(), Failure> {
    let loaded = input::load(&args.file, args.input_format)?;
    let format = loaded.format.map(|f| f.name()).unwrap_or("?");
    if loaded.scenarios.len() == 1 {
        let s = &loaded.scenarios[0];
        println!(
            "{}: ok ({format}): {} actors, {} issues, {} stances",
            args.file,
            s.actors.len(),
            s.issues.len(),
            s.stances.len()
        );
    } else {
        println!(
            "{}: ok ({format}): {} scenarios, {} rows skipped",
            args.file,
            loaded.scenarios.len(),
            loaded.skipped.len()
        );
    }
    Ok(())
}
