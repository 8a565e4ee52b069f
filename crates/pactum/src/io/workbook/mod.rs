//! Workbooks: a scenario as a spreadsheet, read from `.xlsx` and `.ods` and written as
//! `.xlsx` (layout in `docs/scenario-format.md`, "Workbooks").
//!
//! The layout mirrors the native TOML: sheets `Scenario` (field/value rows), `Actors`,
//! `Issues`, `Stances` (one row each, a range as three columns `x`, `x_low`, `x_high`) and
//! `Models`. A workbook without `Actors`/`Issues`/`Stances` sheets is read as one plain
//! table (actor, capability, position, salience) by [`crate::io::table`]. Errors name the
//! sheet and cell (`Stances!D7`) and the field.
//!
//! Choices: a blank cell is the same as an absent key (so an empty `notes = ""` is not kept);
//! lists (sources) are one entry per line of a cell; a whole-number parameter in `Models` is
//! read as an integer (`q = 1.0` comes back as `q = 1`; models read parameters as text, so
//! the meaning is the same).

pub mod layout;
mod read;
mod write;

pub use read::read;
pub use write::write;
