//! The workbook layout, shared by the reader and the writer: sheet names and, for each sheet,
//! its columns with a one-line help text and a width.
//!
//! A new sheet is a new [`Sheet`] constant here, a branch in the reader's sheet loop and a
//! function in the writer; nothing else depends on the list.

/// One column of a sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header as written, and the key matched on read (after normalising: lower case,
    /// runs of spaces and punctuation read as `_`).
    pub key: &'static str,
    /// What goes in it; written as the header cell's note.
    pub help: &'static str,
    /// Column width in characters.
    pub width: f64,
}

/// One sheet of the layout.
#[derive(Debug, Clone, Copy)]
pub struct Sheet {
    /// The sheet's name (matched case-insensitively on read).
    pub name: &'static str,
    /// Its columns, in the order they are written; any order is read.
    pub columns: &'static [Column],
    /// Columns that must be present in the header.
    pub required: &'static [&'static str],
}

const fn col(key: &'static str, help: &'static str, width: f64) -> Column {
    Column { key, help, width }
}

const SOURCES: &str = "where the coding comes from; one source per line";
const NOTES: &str = "free-text reasoning behind the coding";

/// `Scenario`: one row per field (`field`, `value`).
pub const SCENARIO: Sheet = Sheet {
    name: "Scenario",
    columns: &[
        col("field", "one of the fields below", 16.0),
        col("value", "the value", 80.0),
    ],
    required: &["field", "value"],
};

/// The fields of the `Scenario` sheet, with their help texts.
pub const SCENARIO_FIELDS: [(&str, &str); 6] = [
    ("title", "what the scenario is about"),
    (
        "frozen_at",
        "date the inputs are frozen at (ISO date preferred)",
    ),
    ("author", "who coded it"),
    ("notes", "attribution, licence, caveats"),
    (
        "sources",
        "sources for the scenario as a whole; one per line",
    ),
    (
        "salience_scale",
        "1 (default) or 100: the scale saliences are written on in Stances",
    ),
];

/// `Actors`: one row per actor.
pub const ACTORS: Sheet = Sheet {
    name: "Actors",
    columns: &[
        col("id", "unique short identifier, used in Stances", 16.0),
        col("name", "display name (defaults to the id)", 24.0),
        col(
            "capability",
            "clout, >= 0, any scale (only ratios matter); the most likely value of a range",
            11.0,
        ),
        col(
            "capability_low",
            "optional: lowest plausible capability (fill low and high for a range)",
            11.0,
        ),
        col(
            "capability_high",
            "optional: highest plausible capability",
            11.0,
        ),
        col(
            "group",
            "optional: coalition or country the actor belongs to",
            16.0,
        ),
        col("sources", SOURCES, 40.0),
        col("notes", NOTES, 40.0),
    ],
    required: &["id", "capability"],
};

/// `Issues`: one row per issue.
pub const ISSUES: Sheet = Sheet {
    name: "Issues",
    columns: &[
        col("id", "unique short identifier, used in Stances", 16.0),
        col("question", "the question in words", 40.0),
        col("lo", "lower end of the scale, in the issue's unit", 8.0),
        col("hi", "upper end of the scale (above lo)", 8.0),
        col("unit", "unit of positions, e.g. %, years, tonnes", 8.0),
        col("lo_label", "what a position at lo means", 20.0),
        col("hi_label", "what a position at hi means", 20.0),
        col(
            "reference_point",
            "optional: status quo, within the scale",
            10.0,
        ),
        col(
            "outcome",
            "optional: what was decided, in the issue's unit (for backtests)",
            10.0,
        ),
        col(
            "outcome_date",
            "when it was decided (ISO date preferred)",
            12.0,
        ),
        col(
            "outcome_sources",
            "where the outcome is documented; one per line",
            30.0,
        ),
        col("outcome_notes", "reliability notes on the outcome", 30.0),
        col(
            "attributes",
            "free-form attributes, one `key = value` per line",
            24.0,
        ),
        col("sources", SOURCES, 30.0),
        col("notes", NOTES, 30.0),
    ],
    required: &["id", "lo", "hi"],
};

/// `Stances`: one row per actor and issue it takes part in.
pub const STANCES: Sheet = Sheet {
    name: "Stances",
    columns: &[
        col("actor", "an actor id from Actors", 16.0),
        col("issue", "an issue id from Issues", 16.0),
        col(
            "position",
            "preferred outcome in the issue's unit, within its scale (most likely value of a range)",
            10.0,
        ),
        col("position_low", "optional: lowest plausible position", 10.0),
        col(
            "position_high",
            "optional: highest plausible position",
            10.0,
        ),
        col(
            "salience",
            "0 (indifferent) to 1 (dominates); 0-100 with salience_scale = 100 in Scenario",
            10.0,
        ),
        col("salience_low", "optional: lowest plausible salience", 10.0),
        col(
            "salience_high",
            "optional: highest plausible salience",
            10.0,
        ),
        col(
            "capability",
            "optional: the actor's clout on this issue only",
            10.0,
        ),
        col("capability_low", "optional: lowest plausible", 10.0),
        col("capability_high", "optional: highest plausible", 10.0),
        col("sources", SOURCES, 30.0),
        col("notes", NOTES, 30.0),
    ],
    required: &["actor", "issue", "position", "salience"],
};

/// `Sides`: the sides of a two-level negotiation (optional). One row per side whose members
/// are the same on every issue (`issue` blank), or one row per side and issue for members
/// that differ by issue. The side's own columns (name, negotiator, threshold, veto, sources,
/// notes) are read from its first row; on its further rows they are blank or the same.
pub const SIDES: Sheet = Sheet {
    name: "Sides",
    columns: &[
        col("side", "unique short identifier of the side, e.g. us", 14.0),
        col("name", "optional: display name of the side", 20.0),
        col(
            "negotiator",
            "the actor id who negotiates for the side at the international table",
            16.0,
        ),
        col(
            "issue",
            "optional: the issue id these members are for; blank: the same members on every issue the negotiator takes part in",
            16.0,
        ),
        col(
            "members",
            "the domestic actors besides the negotiator, one actor id per line",
            24.0,
        ),
        col(
            "threshold",
            "optional: share of the arena's weight (capability x salience) that must prefer the deal to the reference point, 0-1",
            10.0,
        ),
        col(
            "veto",
            "optional: actors of the side who each must prefer the deal, one id per line",
            18.0,
        ),
        col("sources", SOURCES, 30.0),
        col("notes", NOTES, 30.0),
    ],
    required: &["side", "negotiator"],
};

/// `Models`: parameters stored with the scenario, one row per model and parameter.
pub const MODELS: Sheet = Sheet {
    name: "Models",
    columns: &[
        col("model", "model name, as in `pactum models`", 14.0),
        col("parameter", "parameter name", 18.0),
        col("value", "its value (number, true/false or text)", 14.0),
    ],
    required: &["model", "parameter", "value"],
};

/// Every sheet of the layout, in the order they are written.
pub const SHEETS: [Sheet; 6] = [SCENARIO, ACTORS, ISSUES, STANCES, SIDES, MODELS];

/// Normalises a header or sheet name for matching: lower case, every run of characters
/// other than letters and digits becomes one `_`, none at the ends.
pub fn normalise(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// The spreadsheet name of the 0-based column `col`: `A`, …, `Z`, `AA`, ….
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push(b'A' + r);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `Sheet!B7` for the 0-based row and column. Sheet names with spaces or punctuation are
/// quoted as spreadsheets do (`'My sheet'!B7`).
pub fn cell_ref(sheet: &str, row: u32, col: u32) -> String {
    format!(
        "{}!{}{}",
        sheet_prefix(sheet),
        column_letters(col),
        row as u64 + 1
    )
}

/// `Sheet!7:7` for a whole 0-based row.
pub fn row_ref(sheet: &str, row: u32) -> String {
    let r = row as u64 + 1;
    format!("{}!{r}:{r}", sheet_prefix(sheet))
}

fn sheet_prefix(sheet: &str) -> String {
    if sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cells_as_spreadsheets_do() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(cell_ref("Stances", 6, 3), "Stances!D7");
        assert_eq!(cell_ref("My sheet", 0, 0), "'My sheet'!A1");
        assert_eq!(row_ref("Actors", 4), "Actors!5:5");
    }

    #[test]
    fn normalises_headers() {
        assert_eq!(normalise(" Capability (low) "), "capability_low");
        assert_eq!(normalise("Reference point"), "reference_point");
        assert_eq!(normalise("lo_label"), "lo_label");
        assert_eq!(normalise("Salience 0-1"), "salience_0_1");
    }

    #[test]
    fn every_required_column_is_a_column() {
        for s in SHEETS {
            for r in s.required {
                assert!(s.columns.iter().any(|c| c.key == *r), "{}: {r}", s.name);
            }
        }
    }
}
