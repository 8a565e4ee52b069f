//! Errors and warnings about input, each naming the place it concerns.

use std::fmt;

/// Where in an input something was found: file, line, column (or spreadsheet cell) and field.
///
/// Lines and columns are 1-based. Any part may be unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file name as the user gave it (or `<stdin>`).
    pub file: String,
    /// 1-based line number.
    pub line: Option<usize>,
    /// 1-based column number.
    pub column: Option<usize>,
    /// The field, column header or key concerned, e.g. `stances[3].salience`.
    pub field: Option<String>,
    /// In a workbook: the sheet and cell, e.g. `Stances!D7` (then `line` and `column` are
    /// unset).
    pub cell: Option<String>,
}

impl Location {
    /// A location in `file` with no line known yet.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            ..Location::default()
        }
    }

    /// The same location at `line` (1-based).
    pub fn at_line(&self, line: usize) -> Self {
        Location {
            line: Some(line),
            column: None,
            ..self.clone()
        }
    }

    /// The same location at a workbook cell such as `Stances!D7`.
    pub fn at_cell(&self, cell: impl Into<String>) -> Self {
        Location {
            line: None,
            column: None,
            cell: Some(cell.into()),
            ..self.clone()
        }
    }

    /// The same location, naming `field`.
    pub fn with_field(&self, field: impl Into<String>) -> Self {
        Location {
            field: Some(field.into()),
            ..self.clone()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(cell) = &self.cell {
            write!(f, ": {cell}")?;
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        Ok(())
    }
}

/// Bad input: what is wrong, where, and what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{location}: {message}{}", hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
pub struct InputError {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong and what was expected.
    pub message: String,
    /// An optional suggestion for the fix.
    pub hint: Option<String>,
}

impl InputError {
    /// A new error at `location`.
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        InputError {
            location,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint for the fix.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Something a reader inferred or adjusted that the user should know about.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// Where it applies.
    pub location: Location,
    /// What was inferred or changed.
    pub message: String,
    /// The guess behind the warning, when a front end can offer to correct it (the web
    /// app's import does); `None` for notes that follow from the file or its format.
    pub assumption: Option<Assumption>,
}

/// A guess a reader made where the file was silent, in a form that can be corrected.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Assumption {
    /// The file gave no scale for `issue`; `[lo, hi]` (issue units) was taken from the
    /// positions or a default.
    Scale {
        /// The issue's id in the scenario read.
        issue: String,
        /// The lower end taken.
        lo: f64,
        /// The upper end taken.
        hi: f64,
    },
    /// The file did not say how saliences are coded; every salience read was divided by
    /// `divisor` (100: read as 0–100; 1: read as 0–1, as they are).
    SalienceDivisor {
        /// 1 or 100.
        divisor: f64,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// A model could not produce a forecast for a valid scenario.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// A parameter name the model does not know, or a value it cannot take.
    #[error("parameter `{name}`: {message}")]
    Parameter {
        /// The parameter name as given.
        name: String,
        /// What was expected.
        message: String,
    },
    /// The scenario does not have what the model needs (e.g. one issue for a multi-issue model).
    #[error("{0}")]
    Unsuitable(String),
    /// No model of that name.
    #[error("unknown model `{0}` (run `pactum models` for the list)")]
    UnknownModel(String),
}
