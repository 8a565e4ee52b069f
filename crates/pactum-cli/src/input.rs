//! Reading scenario files (or standard input) and reporting what the reader inferred.

use crate::Failure;
use pactum::io::{self, Format, Loaded};
use std::io::Read;

/// Reads and validates `path` (`-` for standard input) in `format` or the detected one.
/// Warnings go to standard error.
pub fn load(path: &str, format: Option<Format>) -> Result<Loaded, Failure> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Failure::Input(format!("<stdin>: cannot read: {e}")))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| Failure::Input(format!("{path}: cannot read: {e}")))?
    };
    let name = if path == "-" { "<stdin>" } else { path };
    let loaded = io::read(name, &bytes, format)?;
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    for s in &loaded.skipped {
        eprintln!("warning: skipped: {s}");
    }
    if !loaded.skipped.is_empty() {
        eprintln!(
            "warning: {} row(s) skipped, {} scenario(s) read",
            loaded.skipped.len(),
            loaded.scenarios.len()
        );
    }
    Ok(loaded)
}

/// Reads a file that must hold exactly one scenario.
pub fn load_one(path: &str, format: Option<Format>) -> Result<pactum::Scenario, Failure> {
    let mut loaded = load(path, format)?;
    if loaded.scenarios.len() != 1 {
        return Err(Failure::Input(format!(
            "{path}: holds {} scenarios; this command takes one (convert it with `pactum convert {path} --to toml --output-dir DIR`)",
            loaded.scenarios.len()
        )));
    }
    Ok(loaded.scenarios.remove(0))
}

/// Parses `--input-format`.
pub fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}
