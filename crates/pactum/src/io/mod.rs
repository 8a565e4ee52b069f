//! Readers and writers of scenario files, one module per format.
//!
//! [`read`] detects the format from the content (or takes it from the caller), checks the
//! bytes are UTF-8, parses, and validates every scenario it produces. Readers never panic on
//! any input; every error names the file, line and field.
//!
//! Size: every reader and the validation are linear (or n log n) in the input — items are
//! located with a [`LineIndex`] and looked up in maps, never by a search per item. No
//! allocation is sized from a count the file declares: KTAB's `nActors`/`nDims` (the only
//! declared counts among the formats) are checked against what the file could hold, with
//! checked arithmetic, before anything uses them.

pub mod decide;
pub mod deu;
pub mod ktab;
pub mod native;
pub mod schelling;
pub mod table;

use crate::error::{InputError, Location, Warning};
use crate::scenario::Scenario;
use std::fmt;
use std::str::FromStr;

/// A supported input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// pactum's own TOML (`docs/scenario-format.md`).
    Toml,
    /// KTAB's SMP CSV: title line, header line, one row per actor with position/salience pairs.
    Ktab,
    /// The Decide exchange-model files: tab-separated `#A`, `#P`, `#M`, `#D` rows.
    Decide,
    /// A plain table: actor, capability, position, salience (comma, semicolon or tab).
    Table,
    /// The schelling peer's GameSpec JSON.
    Schelling,
    /// A DEU III tab-separated file: one scenario per row.
    Deu,
}

impl Format {
    /// Every format, in the order detection tries them.
    pub const ALL: [Format; 6] = [
        Format::Toml,
        Format::Ktab,
        Format::Decide,
        Format::Table,
        Format::Schelling,
        Format::Deu,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Ktab => "ktab",
            Format::Decide => "decide",
            Format::Table => "table",
            Format::Schelling => "schelling",
            Format::Deu => "deu",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown input format `{s}`; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

/// What a reader produced: one scenario (most formats) or many (DEU: one per row), and
/// anything it inferred that the user should know.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The validated scenarios, in file order.
    pub scenarios: Vec<Scenario>,
    /// Notices such as an inferred salience scale.
    pub warnings: Vec<Warning>,
    /// Rows skipped as malformed (DEU), each with the reason, never silently.
    pub skipped: Vec<InputError>,
    /// The format that was read.
    pub format: Option<Format>,
}

/// Guesses the format from the content. Never fails: TOML is the fallback, and its parser
/// then reports what is wrong.
pub fn detect(text: &str) -> Format {
    let body = text.trim_start_matches('\u{feff}');
    let first = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let first_trim = first.trim_start();
    if first_trim.starts_with('{') {
        return Format::Schelling;
    }
    let unquoted = first_trim.trim_start_matches(['\'', '"']);
    if unquoted.starts_with("#A")
        || unquoted.starts_with("#P")
        || unquoted.starts_with("#M")
        || unquoted.starts_with("#D")
    {
        return Format::Decide;
    }
    let lower = first.to_ascii_lowercase();
    if first.contains('\t') && lower.contains("isnr") && lower.contains("out") {
        return Format::Deu;
    }
    let second = body.lines().nth(1).unwrap_or("");
    if ktab::looks_like(first, second) {
        return Format::Ktab;
    }
    let looks_tabular = [',', ';', '\t'].iter().any(|d| first.contains(*d));
    if looks_tabular
        && (lower.contains("position") || lower.contains("salience"))
        && !first.contains('=')
    {
        return Format::Table;
    }
    Format::Toml
}

/// Reads `bytes` named `file` (for messages) in `format`, or the detected one, and validates
/// every scenario. DEU rows that cannot be read are reported in [`Loaded::skipped`].
pub fn read(file: &str, bytes: &[u8], format: Option<Format>) -> Result<Loaded, InputError> {
    let loc = Location::file(file);
    let text = utf8(bytes, &loc)?;
    let format = format.unwrap_or_else(|| detect(text));
    let mut loaded = match format {
        Format::Toml => native::read(text, &loc)?,
        Format::Deu => deu::read(text, &loc)?,
        Format::Ktab => ktab::read(text, &loc)?,
        Format::Schelling => schelling::read(text, &loc)?,
        Format::Table => table::read(text, &loc)?,
        Format::Decide => decide::read(text, &loc)?,
    };
    loaded.format = Some(format);
    if loaded.scenarios.is_empty() {
        return Err(InputError::new(
            Location::file(file),
            "the file holds no scenario",
        ));
    }
    for s in &loaded.scenarios {
        s.validate().map_err(|mut e| {
            if e.location.file.is_empty() {
                e.location.file = file.to_string();
            }
            if format == Format::Toml {
                native::refine(text, &mut e);
            }
            e
        })?;
    }
    Ok(loaded)
}

fn utf8<'a>(bytes: &'a [u8], loc: &Location) -> Result<&'a str, InputError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let col = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        InputError::new(
            Location {
                line: Some(line),
                column: Some(col),
                ..loc.clone()
            },
            format!(
                "the file is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
        .hint("save the file as UTF-8")
    })
}

/// 1-based (line, column) of byte offset `pos` in `text`. Scans `text` once; to locate many
/// offsets in the same text, build a [`LineIndex`] instead.
pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(pos)
}

/// The byte offsets where each line of a text starts, so that locating an offset costs
/// O(log lines) instead of a scan from the start (which made reading n items O(n²)).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text` in one pass.
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(k, _)| k + 1),
        );
        LineIndex { text, starts }
    }

    /// 1-based (line, column) of byte offset `pos` (clamped to the text); the column counts
    /// characters, not bytes.
    pub fn line_col(&self, pos: usize) -> (usize, usize) {
        let pos = pos.min(self.text.len());
        let line = self.starts.partition_point(|s| *s <= pos);
        let col_start = self.starts[line - 1];
        let col = self
            .text
            .get(col_start..pos)
            .map(|s| s.chars().count())
            .unwrap_or(pos - col_start)
            + 1;
        (line, col)
    }
}

/// Normalises a free-text label into an id: lower case, spaces and punctuation to `-`.
pub fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}
