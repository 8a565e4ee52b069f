//! `pactum new FILE`: write a commented scenario template to start from (TOML, or with
//! `--xlsx` a workbook holding the same scenario).

use crate::Failure;
use crate::output::write_bytes_atomic;

/// Arguments of `pactum new`.
#[derive(clap::Args)]
pub struct Args {
    /// Where to write the template (refuses to overwrite an existing file).
    pub file: String,
    /// Write an xlsx workbook (sheets Scenario, Actors, Issues, Stances, Models, each header
    /// explained in a cell note) instead of TOML; implied by a name ending in `.xlsx`.
    #[arg(long)]
    pub xlsx: bool,
}

const TEMPLATE: &str = r#"# A pactum scenario. Reference: docs/scenario-format.md
# Check it with `pactum validate FILE`, forecast with `pactum forecast FILE`.
title = "What is being negotiated"
frozen_at = "2026-01-01"   # inputs use nothing later than this date
author = ""
notes = ""

# One [[actors]] table per party. capability: any non-negative scale, only ratios matter.
# Any number may be a range: { low = 40, mode = 50, high = 70 }.
[[actors]]
id = "first"
name = "First actor"
capability = 100
sources = []

[[actors]]
id = "second"
name = "Second actor"
capability = 60
sources = []

# One [[issues]] table per question, on a scale in real units.
[[issues]]
id = "the-issue"
question = "What will be decided?"
scale = { lo = 0, hi = 100, unit = "%", lo_label = "nothing changes", hi_label = "everything changes" }
# reference_point = 0                      # the status quo, if any
# outcome = { value = 40, date = "2026-06-01", sources = [] }   # once known, for backtests

# One [[stances]] table per actor and issue it takes part in.
# position: in the issue's units; salience: 0 (indifferent) to 1 (dominates everything).
[[stances]]
actor = "first"
issue = "the-issue"
position = 20
salience = 0.8
sources = []
notes = ""

[[stances]]
actor = "second"
issue = "the-issue"
position = { low = 60, mode = 70, high = 90 }
salience = 0.5
sources = []
notes = ""
"#;

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    if std::path::Path::new(&args.file).exists() {
        return Err(Failure::Input(format!(
            "{}: already exists; choose another name",
            args.file
        )));
    }
    let xlsx = args.xlsx || args.file.to_ascii_lowercase().ends_with(".xlsx");
    let bytes = if xlsx {
        workbook_template()?
    } else {
        TEMPLATE.as_bytes().to_vec()
    };
    write_bytes_atomic(&args.file, &bytes)?;
    eprintln!(
        "wrote {}; edit it, then run `pactum validate {}`",
        args.file, args.file
    );
    Ok(())
}

/// The template scenario as a workbook.
fn workbook_template() -> Result<Vec<u8>, Failure> {
    let loaded = pactum::io::read("template.toml", TEMPLATE.as_bytes(), None)?;
    Ok(pactum::io::workbook::write(&loaded.scenarios[0])?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn template_is_a_valid_scenario() {
        let loaded = pactum::io::read("template.toml", super::TEMPLATE.as_bytes(), None).unwrap();
        assert_eq!(loaded.scenarios[0].actors.len(), 2);
    }

    #[test]
    fn workbook_template_reads_as_the_same_scenario() {
        let bytes = super::workbook_template().unwrap_or_else(|_| panic!("template writes"));
        let book = pactum::io::read("template.xlsx", &bytes, None).unwrap();
        let toml = pactum::io::read("template.toml", super::TEMPLATE.as_bytes(), None).unwrap();
        let numbers = |s: &pactum::Scenario| -> Vec<_> {
            s.stances
                .iter()
                .map(|x| (x.actor.clone(), x.position, x.salience))
                .collect()
        };
        assert_eq!(numbers(&book.scenarios[0]), numbers(&toml.scenarios[0]));
        assert_eq!(book.scenarios[0].actors.len(), 2);
    }
}
