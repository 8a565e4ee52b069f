//! `pactum calibrate DATASET -o FILE`: the residual scores every model's intervals are
//! calibrated on (the shipped file is `crates/pactum/src/calibration/deu3-dev.json`).

use crate::Failure;
use crate::output::write_atomic;
use pactum::backtest::{self, Capability, DeuOptions, ModelRun};
use pactum::calibration::{Calibration, Scaling};
use std::path::Path;

/// Arguments of `pactum calibrate`.
#[derive(clap::Args)]
pub struct Args {
    /// A DEU III TSV, a native scenario with outcomes, or a folder of them.
    pub dataset: String,
    /// Where to write the calibration (JSON; `-` for standard output).
    #[arg(short, long, default_value = "-")]
    pub output: String,
    /// DEU capabilities: `equal`, `gdp` or `council`.
    #[arg(long, default_value = "council", value_parser = ["equal", "gdp", "council"])]
    pub capability: String,
    /// What residuals are divided by: `width` (the scale) or `spread` (of positions).
    #[arg(long, default_value = "width", value_parser = ["width", "spread"])]
    pub scaling: String,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let capability: Capability = args.capability.parse().map_err(Failure::Input)?;
    let scaling: Scaling = args.scaling.parse().map_err(Failure::Input)?;
    let path = Path::new(&args.dataset);
    let data = backtest::load(path, DeuOptions::new(capability))?;
    if data.cases.is_empty() {
        return Err(Failure::Input(format!(
            "{}: no issue has a known outcome; nothing to calibrate on",
            args.dataset
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.dataset.clone());
    let cal = Calibration::fit(&name, &data, &ModelRun::all(), scaling);
    write_atomic(&args.output, &cal.to_json())
}
