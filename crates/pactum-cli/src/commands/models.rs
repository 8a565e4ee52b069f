//! `pactum models`: the models with one line each, their parameters and presets.

use crate::Failure;

/// Arguments of `pactum models`.
#[derive(clap::Args)]
pub struct Args {
    /// Also list every parameter with its default and meaning.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let models = pactum::models::all();
    let width = models.iter().map(|m| m.name().len()).max().unwrap_or(0);
    for m in models {
        println!("{:width$}  {}", m.name(), m.summary());
        for p in m.presets() {
            println!("{:width$}    preset {}: {}", "", p.name, p.help);
        }
        if args.verbose {
            for p in m.parameters() {
                println!("{:width$}    {} = {}  {}", "", p.name, p.default, p.help);
            }
        }
    }
    Ok(())
}
