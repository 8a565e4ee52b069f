//! `pactum convert FILE --to toml|xlsx`: any supported format to native TOML or a workbook.

use crate::Failure;
use crate::input;
use crate::output::write_bytes_atomic;
use pactum::Scenario;
use pactum::io::{Format, native, workbook};
use std::io::IsTerminal;

/// Arguments of `pactum convert`.
#[derive(clap::Args)]
pub struct Args {
    /// The scenario file (`-` for standard input).
    pub file: String,
    /// The output format: `toml` (pactum's native format) or `xlsx` (a workbook with the
    /// sheets Scenario, Actors, Issues, Stances and Models).
    #[arg(long, default_value = "toml")]
    pub to: String,
    /// Write to this file instead of standard output (written whole or not at all).
    #[arg(short, long)]
    pub output: Option<String>,
    /// For files holding many scenarios (DEU, schelling case libraries): write one file per
    /// scenario here.
    #[arg(long)]
    pub output_dir: Option<String>,
    /// Read the file as this format instead of detecting it.
    #[arg(long, value_parser = input::parse_format)]
    pub input_format: Option<Format>,
}

/// An output format of `convert`.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    Toml,
    Xlsx,
}

impl Target {
    fn parse(s: &str) -> Result<Target, Failure> {
        match s.to_ascii_lowercase().as_str() {
            "toml" => Ok(Target::Toml),
            "xlsx" => Ok(Target::Xlsx),
            _ => Err(Failure::Input(format!(
                "--to {s}: expected `toml` (pactum's native format) or `xlsx` (a workbook)"
            ))),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Target::Toml => "toml",
            Target::Xlsx => "xlsx",
        }
    }

    fn encode(self, s: &Scenario) -> Result<Vec<u8>, Failure> {
        match self {
            Target::Toml => Ok(native::write(s).into_bytes()),
            Target::Xlsx => Ok(workbook::write(s)?),
        }
    }
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let target = Target::parse(&args.to)?;
    let to_stdout = args.output.as_deref().is_none_or(|o| o == "-");
    if target == Target::Xlsx
        && args.output_dir.is_none()
        && to_stdout
        && std::io::stdout().is_terminal()
    {
        return Err(Failure::Input(
            "--to xlsx writes a binary workbook; name the file with -o FILE.xlsx".into(),
        ));
    }
    let loaded = input::load(&args.file, args.input_format)?;
    if let Some(dir) = &args.output_dir {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for s in &loaded.scenarios {
            let name = unique(file_name(s, target), &files);
            files.push((name, target.encode(s)?));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Runtime(format!("{dir}: cannot create: {e}")))?;
        for (name, bytes) in &files {
            write_bytes_atomic(&format!("{dir}/{name}"), bytes)?;
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
    let bytes = target.encode(&loaded.scenarios[0])?;
    write_bytes_atomic(args.output.as_deref().unwrap_or("-"), &bytes)
}

/// The file name of one scenario in `--output-dir`: its first issue's id.
fn file_name(s: &Scenario, target: Target) -> String {
    let name = s
        .issues
        .first()
        .map(|i| pactum::io::slug(&i.id))
        .unwrap_or_default();
    format!("{name}.{}", target.extension())
}

/// `name`, or `name-2.ext`, `name-3.ext`, … when an earlier scenario took it.
fn unique(name: String, taken: &[(String, Vec<u8>)]) -> String {
    let used = |n: &str| taken.iter().any(|(t, _)| t == n);
    if !used(&name) {
        return name;
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    (2..)
        .map(|k| format!("{stem}-{k}.{ext}"))
        .find(|n| !used(n))
        .unwrap_or(name.clone())
}
