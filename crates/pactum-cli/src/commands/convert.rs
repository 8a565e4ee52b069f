//! `pactum convert FILE --to toml`: any supported format to native TOML.

use crate::Failure;
use crate::input;
use crate::output::write_atomic;
use pactum::io::{Format, native};

/// Arguments of `pactum convert`.
#[derive(clap::Args)]
pub struct Args {
    /// The scenario file (`-` for standard input).
    pub file: String,
    /// The output format (only `toml`, pactum's native format).
    #[arg(long, default_value = "toml")]
    pub to: String,
    /// Write to this file instead of standard output (written whole or not at all).
    #[arg(short, long)]
    pub output: Option<String>,
    /// For files holding many scenarios (DEU): write one TOML file per scenario here.
    #[arg(long)]
    pub output_dir: Option<String>,
    /// Read the file as this format instead of detecting it.
    #[arg(long, value_parser = input::parse_format)]
    pub input_format: Option<Format>,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    if args.to != "toml" {
        return Err(Failure::Input(format!(
            "--to {}: only `toml` (pactum's native format) can be written",
            args.to
        )));
    }
    let loaded = input::load(&args.file, args.input_format)?;
    if let Some(dir) = &args.output_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Runtime(format!("{dir}: cannot create: {e}")))?;
        for s in &loaded.scenarios {
            let name = s
                .issues
                .first()
                .map(|i| pactum::io::slug(&i.id))
                .unwrap_or_default();
            let path = format!("{dir}/{name}.toml");
            write_atomic(&path, &native::write(s))?;
        }
        eprintln!("wrote {} scenario(s) to {dir}", loaded.scenarios.len());
        return Ok(());
    }
    if loaded.scenarios.len() != 1 {
        return Err(Failure::Input(format!(
            "{}: holds {} scenarios; use --output-dir DIR to write one file each",
            args.file,
            loaded.scenarios.len()
        )));
    }
    let text = native::write(&loaded.scenarios[0]);
    write_atomic(args.output.as_deref().unwrap_or("-"), &text)
}
