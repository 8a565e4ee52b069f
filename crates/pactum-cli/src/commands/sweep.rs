//! `pactum sweep FOLDER|FILE --model M --grid name=start:stop:step`: every scenario × model
//! × preset × grid point × repetition, in parallel, as one tidy CSV.

use crate::Failure;
use crate::input;
use crate::output::{watch_progress, write_atomic};
use pactum::Scenario;
use pactum::io::Format;
use pactum::sweep::{self, Axis, Plan};
use std::path::Path;
use std::sync::atomic::AtomicU64;

/// Arguments of `pactum sweep`.
#[derive(clap::Args)]
pub struct Args {
    /// A scenario file, or a folder whose scenario files are all swept (in name order; a
    /// file holding several scenarios, such as a DEU table, gives each of them).
    pub path: String,
    /// A model to sweep (repeatable; at least one).
    #[arg(long, short, required = true)]
    pub model: Vec<String>,
    /// A preset to run each model under (repeatable). Default: the model's defaults.
    #[arg(long)]
    pub preset: Vec<String>,
    /// A grid axis, `NAME=START:STOP:STEP` (both ends included) or `NAME=V1,V2,…`
    /// (repeatable; the sweep runs every combination).
    #[arg(long, value_name = "AXIS")]
    pub grid: Vec<String>,
    /// Runs per grid point for models with a `seed` parameter (repetition r uses seed r).
    #[arg(long, default_value_t = 1)]
    pub repetitions: u32,
    /// Read every file as this format instead of detecting it.
    #[arg(long, value_parser = input::parse_format)]
    pub input_format: Option<Format>,
    /// Where to write the CSV (`-` for standard output).
    #[arg(long, short, default_value = "-")]
    pub output: String,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let grid = args
        .grid
        .iter()
        .map(|g| Axis::parse(g).map_err(|e| Failure::Input(format!("--grid {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let plan = Plan {
        models: args.model.clone(),
        presets: args.preset.clone(),
        grid,
        repetitions: args.repetitions,
    };
    let scenarios = scenarios(&args.path, args.input_format)?;
    let tasks = sweep::tasks(scenarios.len(), &plan).map_err(Failure::Input)?;
    let done = AtomicU64::new(0);
    let rows = std::thread::scope(|s| {
        let worker = s.spawn(|| sweep::run(&scenarios, &tasks, Some(&done)));
        watch_progress(&worker, &done, tasks.len() as u64, "runs");
        worker.join()
    })
    .map_err(|_| Failure::Runtime("the sweep stopped unexpectedly".into()))?;
    let failed = rows.iter().filter(|r| !r.failure.is_empty()).count();
    if failed > 0 {
        eprintln!(
            "note: {failed} of {} run(s) failed; see the `failure` column",
            tasks.len()
        );
    }
    let text =
        sweep::to_csv(&rows).map_err(|e| Failure::Runtime(format!("cannot write the CSV: {e}")))?;
    write_atomic(&args.output, &text)
}

/// The scenarios of a file, or of every file in a folder (sorted by name), each labelled
/// with its file name (and its title when a file holds several).
fn scenarios(path: &str, format: Option<Format>) -> Result<Vec<(String, Scenario)>, Failure> {
    let files: Vec<String> = if Path::new(path).is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(path)
            .map_err(|e| Failure::Input(format!("{path}: cannot list: {e}")))?
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path().to_string_lossy().into_owned())
            .collect();
        names.sort();
        if names.is_empty() {
            return Err(Failure::Input(format!("{path}: the folder has no files")));
        }
        names
    } else {
        vec![path.to_string()]
    };
    let mut out = Vec::new();
    for file in &files {
        let loaded = input::load(file, format)?;
        let several = loaded.scenarios.len() > 1;
        for (k, s) in loaded.scenarios.into_iter().enumerate() {
            let label = match (several, s.title.is_empty()) {
                (false, _) => file.clone(),
                (true, false) => format!("{file}#{}", s.title),
                (true, true) => format!("{file}#{}", k + 1),
            };
            out.push((label, s));
        }
    }
    Ok(out)
}
