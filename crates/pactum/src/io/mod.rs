//! Readers and writers of scenario files, one module per format.
//!
//! [`read`] detects the format from the content (or takes it from the caller), checks the
//! bytes are UTF-8 (workbooks aside), parses, and validates every scenario it produces.
//! Readers never panic on any input; every error names the file, line (or sheet and cell)
//! and field. When the content matches no format, every text reader is tried and the error
//! says why each refused the file.
//!
//! Size: every reader and the validation are linear (or n log n) in the input — items are
//! located with a [`LineIndex`] and looked up in maps, never by a search per item. No
//! allocation is sized from a count the file declares: KTAB's `nActors`/`nDims` (the only
//! declared counts among the formats) are checked against what the file could hold, with
//! checked arithmetic, before anything uses them.

pub mod decide;
pub mod delimited;
pub mod deu;
pub mod ktab;
pub mod native;
pub mod schelling;
pub mod table;
pub mod workbook;

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
    /// A DEU III table (tab-, semicolon- or comma-separated): one scenario per row.
    Deu,
    /// An Excel workbook (`docs/scenario-format.md`, "Workbooks").
    Xlsx,
    /// An OpenDocument spreadsheet, same layout as [`Format::Xlsx`].
    Ods,
}

impl Format {
    /// Every format, in the order detection tries them.
    pub const ALL: [Format; 8] = [
        Format::Toml,
        Format::Ktab,
        Format::Decide,
        Format::Table,
        Format::Schelling,
        Format::Deu,
        Format::Xlsx,
        Format::Ods,
    ];

    /// The text formats, in the order they are tried when none is recognised.
    pub const TEXT: [Format; 6] = [
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
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
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
/// then reports what is wrong. See [`guess`] for a guess that can say "none".
pub fn detect(text: &str) -> Format {
    guess(text).unwrap_or(Format::Toml)
}

/// The text format the first lines show, or `None` when they match none.
///
/// JSON (an object, or an array of objects) → schelling; `#A`/`#P`/`#M`/`#D` rows →
/// Decide; a delimited header with `isnr` and `out` → DEU; KTAB's title and `Actor` header
/// lines → KTAB; a delimited header naming a position or salience → table; a `key =` or
/// `[table]` line → TOML.
pub fn guess(text: &str) -> Option<Format> {
    let body = text.trim_start_matches('\u{feff}');
    let first = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let first_trim = first.trim_start();
    let json_array = body
        .trim_start()
        .strip_prefix('[')
        .is_some_and(|rest| rest.trim_start().starts_with('{'));
    if first_trim.starts_with('{') || json_array {
        return Some(Format::Schelling);
    }
    let unquoted = first_trim.trim_start_matches(['\'', '"']);
    if ["#A", "#P", "#M", "#D"]
        .iter()
        .any(|p| unquoted.starts_with(p))
    {
        return Some(Format::Decide);
    }
    let delim = delimited::sniff(first);
    let names: Vec<String> = delimited::split(first, delim)
        .iter()
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let has = |n: &str| names.iter().any(|c| c == n);
    if names.len() > 2 && has("isnr") && has("out") {
        return Some(Format::Deu);
    }
    let second = body.lines().nth(1).unwrap_or("");
    if ktab::looks_like(first, second) {
        return Some(Format::Ktab);
    }
    let lower = first.to_ascii_lowercase();
    let looks_tabular = delimited::DELIMITERS.iter().any(|d| first.contains(*d));
    if looks_tabular
        && (lower.contains("position") || lower.contains("salience"))
        && !first.contains('=')
    {
        return Some(Format::Table);
    }
    looks_like_toml(body).then_some(Format::Toml)
}

/// True when some line outside comments is a TOML table header or a `key = value` pair.
fn looks_like_toml(text: &str) -> bool {
    text.lines().map(str::trim).any(|l| {
        if l.starts_with('[') {
            return true;
        }
        let Some((key, _)) = l.split_once('=') else {
            return false;
        };
        let key = key.trim();
        !key.is_empty()
            && key.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\'' | ' ')
            })
    })
}

/// The workbook format of `bytes` when they are a zip archive (xlsx, ods) or an old binary
/// Excel file (refused with a hint); `Ok(None)` for anything else.
pub fn detect_workbook(bytes: &[u8], loc: &Location) -> Result<Option<Format>, InputError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(InputError::new(
            loc.clone(),
            "this is an old binary Excel file (.xls), which pactum does not read",
        )
        .hint("save it as .xlsx (Excel workbook) or .ods and read that"));
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Ok(None);
    }
    let head = &bytes[..bytes.len().min(200)];
    if contains(
        head,
        b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
    ) {
        return Ok(Some(Format::Ods));
    }
    if contains(bytes, b"xl/workbook.xml") {
        return Ok(Some(Format::Xlsx));
    }
    if contains(bytes, b"content.xml") && contains(bytes, b"META-INF/manifest.xml") {
        return Ok(Some(Format::Ods));
    }
    Err(InputError::new(
        loc.clone(),
        "this is a zip archive but neither an xlsx nor an ods workbook",
    )
    .hint("pactum reads .xlsx and .ods workbooks and text files (TOML, CSV, TSV, JSON)"))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads `bytes` named `file` (for messages) in `format`, or the detected one, and validates
/// every scenario. DEU rows that cannot be read are reported in [`Loaded::skipped`].
pub fn read(file: &str, bytes: &[u8], format: Option<Format>) -> Result<Loaded, InputError> {
    let loc = Location::file(file);
    let format = match format {
        Some(f) => Some(f),
        None => detect_workbook(bytes, &loc)?,
    };
    let loaded = match format {
        Some(f @ (Format::Xlsx | Format::Ods)) => workbook::read(bytes, f, &loc)?,
        Some(f) => read_as(utf8(bytes, &loc)?, f, &loc)?,
        None => {
            let text = utf8(bytes, &loc)?;
            if text.trim_start_matches('\u{feff}').trim().is_empty() {
                return Err(InputError::new(loc, "the file is empty"));
            }
            match guess(text).or_else(|| by_extension(file)) {
                Some(f) => read_as(text, f, &loc)?,
                None => read_unrecognised(text, &loc)?,
            }
        }
    };
    if loaded.scenarios.is_empty() {
        return Err(InputError::new(
            Location::file(file),
            "the file holds no scenario",
        ));
    }
    Ok(loaded)
}

/// Reads `text` as the text format `format` and validates the result (TOML validation
/// errors point at the key's own line).
fn read_as(text: &str, format: Format, loc: &Location) -> Result<Loaded, InputError> {
    let mut loaded = match format {
        Format::Toml => native::read(text, loc)?,
        Format::Deu => deu::read(text, loc)?,
        Format::Ktab => ktab::read(text, loc)?,
        Format::Schelling => schelling::read(text, loc)?,
        Format::Table => table::read(text, loc)?,
        Format::Decide => decide::read(text, loc)?,
        Format::Xlsx | Format::Ods => {
            return Err(InputError::new(
                loc.clone(),
                format!("a {format} workbook is a zip archive, but this file is text"),
            ));
        }
    };
    loaded.format = Some(format);
    for s in &loaded.scenarios {
        s.validate().map_err(|mut e| {
            if e.location.file.is_empty() {
                e.location.file = loc.file.clone();
            }
            if format == Format::Toml {
                native::refine(text, &mut e);
            }
            e
        })?;
    }
    Ok(loaded)
}

/// The format a file's name promises when its content shows none: `.toml` or `.json`
/// (the other extensions, `.csv` and `.txt`, are shared by several formats).
fn by_extension(file: &str) -> Option<Format> {
    let ext = std::path::Path::new(file).extension()?.to_str()?;
    match ext.to_ascii_lowercase().as_str() {
        "toml" => Some(Format::Toml),
        "json" => Some(Format::Schelling),
        _ => None,
    }
}

/// Tries every text reader on a file whose first lines match no format; the first that
/// reads it wins (with a warning saying so). When all refuse, the error lists each refusal.
fn read_unrecognised(text: &str, loc: &Location) -> Result<Loaded, InputError> {
    let mut refusals = Vec::new();
    for format in Format::TEXT {
        match read_as(text, format, loc) {
            Ok(mut loaded) if !loaded.scenarios.is_empty() => {
                loaded.warnings.insert(
                    0,
                    Warning {
                        location: loc.clone(),
                        assumption: None,
                        message: format!(
                            "the first lines match no known format; read as {format}, the first reader that accepted the file"
                        ),
                    },
                );
                return Ok(loaded);
            }
            Ok(_) => refusals.push(format!("{format}: holds no scenario")),
            Err(e) => refusals.push(format!("{format}: {}", without_file(&e))),
        }
    }
    let names: Vec<&str> = Format::TEXT.iter().map(|f| f.name()).collect();
    Err(InputError::new(
        loc.clone(),
        format!(
            "no reader accepts this file (its first lines match no known format); tried:\n  - {}",
            refusals.join("\n  - ")
        ),
    )
    .hint(format!(
        "if you know the format, name it with --input-format ({}, xlsx, ods) to see that reader's error alone",
        names.join(", ")
    )))
}

/// An error's place and first line, without the file name the caller's message gives.
fn without_file(e: &InputError) -> String {
    let l = &e.location;
    let mut parts = Vec::new();
    if let Some(c) = &l.cell {
        parts.push(c.clone());
    }
    if let Some(line) = l.line {
        parts.push(match l.column {
            Some(c) => format!("line {line}:{c}"),
            None => format!("line {line}"),
        });
    }
    if let Some(f) = &l.field {
        parts.push(format!("field `{f}`"));
    }
    parts.push(e.message.lines().next().unwrap_or("").to_string());
    parts.join(": ")
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
