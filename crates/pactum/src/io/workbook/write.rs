//! Writing a scenario as an xlsx workbook in the layout of [`super::layout`].

use super::layout::{self, ACTORS, Column, ISSUES, MODELS, SCENARIO, SIDES, STANCES, Sheet};
use crate::error::{InputError, Location};
use crate::scenario::{Estimate, Members, Scenario, Side};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatBorder, Formula, Note, Workbook, Worksheet, XlsxError,
};

/// Rows given input checks (data validation) beyond the written ones, so that rows an
/// analyst adds are checked too.
const CHECKED_ROWS: u32 = 1000;

/// Writes `scenario` as an xlsx workbook (saliences 0–1). The bytes depend only on the
/// scenario. Fails, naming the actor, issue or stance, when a text cannot be kept in a cell
/// (a source with a line break, an attribute key with `=`).
pub fn write(scenario: &Scenario) -> Result<Vec<u8>, InputError> {
    check(scenario)?;
    build(scenario).map_err(|e| {
        InputError::new(
            Location::default(),
            format!("cannot write the workbook: {e}"),
        )
    })
}

/// Refuses what a cell cannot hold so that reading gives it back.
fn check(s: &Scenario) -> Result<(), InputError> {
    let one_per_line = |list: &[String], at: &Location, field: &str| match list
        .iter()
        .find(|x| x.contains('\n') || x.trim().is_empty())
    {
        Some(x) => Err(InputError::new(
            at.with_field(field),
            format!(
                "the entry `{}` is blank or holds a line break; in a workbook each line of the cell is one entry",
                x.escape_debug()
            ),
        )),
        None => Ok(()),
    };
    one_per_line(&s.sources, &Location::default(), "sources")?;
    for side in &s.sides {
        one_per_line(&side.sources, &side.origin, "sources")?;
        check_side_ids(side)?;
    }
    for a in &s.actors {
        one_per_line(&a.sources, &a.origin, "sources")?;
    }
    for st in &s.stances {
        one_per_line(&st.sources, &st.origin, "sources")?;
    }
    for i in &s.issues {
        one_per_line(&i.sources, &i.origin, "sources")?;
        if let Some(o) = &i.outcome {
            one_per_line(&o.sources, &i.origin, "outcome.sources")?;
        }
        for (k, v) in &i.attributes {
            let bad_key = k.contains(['=', '\n']) || k.trim() != k || k.is_empty();
            if bad_key || v.contains('\n') || v.trim() != v {
                return Err(InputError::new(
                    i.origin.with_field("attributes"),
                    format!(
                        "attribute `{}` = `{}` cannot be written as a `key = value` line",
                        k.escape_debug(),
                        v.escape_debug()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The cell styles used.
struct Styles {
    header: Format,
    wrap: Format,
}

fn build(s: &Scenario) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(1980, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(&s.title)
            .set_creation_datetime(&created),
    );
    let styles = Styles {
        header: Format::new()
            .set_bold()
            .set_background_color("#DDE5F0")
            .set_border_bottom(FormatBorder::Thin),
        wrap: Format::new().set_text_wrap(),
    };
    write_meta(book.add_worksheet(), s, &styles)?;
    write_actors(book.add_worksheet(), s, &styles)?;
    write_issues(book.add_worksheet(), s, &styles)?;
    write_stances(book.add_worksheet(), s, &styles)?;
    write_sides(book.add_worksheet(), s, &styles)?;
    write_models(book.add_worksheet(), s, &styles)?;
    book.save_to_buffer()
}

/// Names the sheet, writes the header row with each column's help as a note, sets widths
/// and keeps the header in view.
fn start(ws: &mut Worksheet, spec: &Sheet, styles: &Styles) -> Result<(), XlsxError> {
    ws.set_name(spec.name)?;
    for (c, col) in spec.columns.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, col.key, &styles.header)?;
        ws.insert_note(0, c, &Note::new(col.help).add_author_prefix(false))?;
        ws.set_column_width(c, col.width)?;
        if is_long_text(col) {
            ws.set_column_format(c, &styles.wrap)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn is_long_text(col: &Column) -> bool {
    col.key.ends_with("sources")
        || col.key.ends_with("notes")
        || col.key == "attributes"
        || col.key == "question"
        || col.key == "members"
        || col.key == "veto"
}

/// Actor ids of a side go one per line in a cell: refuses an id a line cannot hold.
fn check_side_ids(side: &Side) -> Result<(), InputError> {
    let members: Vec<&String> = match &side.members {
        Members::All(v) => v.iter().collect(),
        Members::PerIssue(m) if m.is_empty() => {
            return Err(InputError::new(
                side.origin.with_field("members"),
                format!(
                    "side `{}` has an empty per-issue member table, which a workbook row cannot express",
                    side.id
                ),
            ));
        }
        Members::PerIssue(m) => m.values().flatten().collect(),
    };
    let veto = side.ratification.iter().flat_map(|r| r.veto.iter());
    match members
        .into_iter()
        .chain(veto)
        .find(|id| id.contains('\n') || id.trim() != id.as_str() || id.is_empty())
    {
        Some(id) => Err(InputError::new(
            side.origin.with_field("members"),
            format!(
                "side `{}` lists the actor id `{}`, which a line of a cell cannot hold (blank, a line break or spaces at an end)",
                side.id,
                id.escape_debug()
            ),
        )),
        None => Ok(()),
    }
}

/// Writes into the sheet's columns by key.
struct Cells<'a> {
    ws: &'a mut Worksheet,
    spec: &'a Sheet,
}

impl Cells<'_> {
    fn col(&self, key: &str) -> u16 {
        self.spec
            .columns
            .iter()
            .position(|c| c.key == key)
            .unwrap_or(0) as u16
    }

    fn text(&mut self, row: u32, key: &str, value: &str) -> Result<(), XlsxError> {
        if !value.is_empty() {
            let c = self.col(key);
            self.ws.write_string(row, c, value)?;
        }
        Ok(())
    }

    fn lines(&mut self, row: u32, key: &str, values: &[String]) -> Result<(), XlsxError> {
        self.text(row, key, &values.join("\n"))
    }

    fn number(&mut self, row: u32, key: &str, value: f64) -> Result<(), XlsxError> {
        let c = self.col(key);
        self.ws.write_number(row, c, value)?;
        Ok(())
    }

    /// A point in the `base` column; a range also in `base_low` and `base_high`.
    fn estimate(&mut self, row: u32, base: &str, e: &Estimate) -> Result<(), XlsxError> {
        self.number(row, base, e.mode)?;
        if !e.is_point() {
            self.number(row, &format!("{base}_low"), e.low)?;
            self.number(row, &format!("{base}_high"), e.high)?;
        }
        Ok(())
    }

    /// An input check on the rows below the header of the column `key`; a warning the
    /// analyst may override, not a refusal.
    fn check(&mut self, key: &str, rows: usize, v: DataValidation) -> Result<(), XlsxError> {
        let c = self.col(key);
        let last = (rows as u32).max(CHECKED_ROWS);
        let v = v.set_error_style(DataValidationErrorStyle::Warning);
        self.ws.add_data_validation(1, c, last, c, &v)?;
        Ok(())
    }
}

fn write_meta(ws: &mut Worksheet, s: &Scenario, styles: &Styles) -> Result<(), XlsxError> {
    start(ws, &SCENARIO, styles)?;
    ws.set_column_format(1, &styles.wrap)?;
    let values = [
        s.title.clone(),
        s.frozen_at.clone().unwrap_or_default(),
        s.author.clone().unwrap_or_default(),
        s.notes.clone().unwrap_or_default(),
        s.sources.join("\n"),
    ];
    for (k, (field, help)) in layout::SCENARIO_FIELDS.iter().enumerate() {
        let row = k as u32 + 1;
        ws.write_string(row, 0, *field)?;
        ws.insert_note(row, 0, &Note::new(*help).add_author_prefix(false))?;
        match values.get(k) {
            Some(v) if !v.is_empty() => {
                ws.write_string(row, 1, v)?;
            }
            Some(_) => {}
            None => {
                ws.write_number(row, 1, 1.0)?;
            }
        }
    }
    Ok(())
}

fn write_actors(ws: &mut Worksheet, s: &Scenario, styles: &Styles) -> Result<(), XlsxError> {
    start(ws, &ACTORS, styles)?;
    let mut c = Cells { ws, spec: &ACTORS };
    for (k, a) in s.actors.iter().enumerate() {
        let row = k as u32 + 1;
        c.text(row, "id", &a.id)?;
        c.text(row, "name", &a.name)?;
        c.estimate(row, "capability", &a.capability)?;
        c.text(row, "group", a.group.as_deref().unwrap_or(""))?;
        c.lines(row, "sources", &a.sources)?;
        c.text(row, "notes", a.notes.as_deref().unwrap_or(""))?;
    }
    let n = s.actors.len();
    for key in ["capability", "capability_low", "capability_high"] {
        c.check(key, n, non_negative()?)?;
    }
    Ok(())
}

fn write_issues(ws: &mut Worksheet, s: &Scenario, styles: &Styles) -> Result<(), XlsxError> {
    start(ws, &ISSUES, styles)?;
    let mut c = Cells { ws, spec: &ISSUES };
    for (k, i) in s.issues.iter().enumerate() {
        let row = k as u32 + 1;
        c.text(row, "id", &i.id)?;
        c.text(row, "question", &i.question)?;
        c.number(row, "lo", i.scale.lo)?;
        c.number(row, "hi", i.scale.hi)?;
        c.text(row, "unit", &i.scale.unit)?;
        c.text(row, "lo_label", &i.scale.lo_label)?;
        c.text(row, "hi_label", &i.scale.hi_label)?;
        if let Some(r) = i.reference_point {
            c.number(row, "reference_point", r)?;
        }
        if let Some(o) = &i.outcome {
            c.number(row, "outcome", o.value)?;
            c.text(row, "outcome_date", o.date.as_deref().unwrap_or(""))?;
            c.lines(row, "outcome_sources", &o.sources)?;
            c.text(row, "outcome_notes", o.notes.as_deref().unwrap_or(""))?;
        }
        let attributes: Vec<String> = i
            .attributes
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        c.lines(row, "attributes", &attributes)?;
        c.lines(row, "sources", &i.sources)?;
        c.text(row, "notes", i.notes.as_deref().unwrap_or(""))?;
    }
    Ok(())
}

fn write_stances(ws: &mut Worksheet, s: &Scenario, styles: &Styles) -> Result<(), XlsxError> {
    start(ws, &STANCES, styles)?;
    let mut c = Cells { ws, spec: &STANCES };
    for (k, st) in s.stances.iter().enumerate() {
        let row = k as u32 + 1;
        c.text(row, "actor", &st.actor)?;
        c.text(row, "issue", &st.issue)?;
        c.estimate(row, "position", &st.position)?;
        c.estimate(row, "salience", &st.salience)?;
        if let Some(cap) = &st.capability {
            c.estimate(row, "capability", cap)?;
        }
        c.lines(row, "sources", &st.sources)?;
        c.text(row, "notes", st.notes.as_deref().unwrap_or(""))?;
    }
    let n = s.stances.len();
    let ids = |sheet: &str, count: usize| {
        let last = (count as u32).max(CHECKED_ROWS) + 1;
        DataValidation::new().allow_list_formula(Formula::new(format!("={sheet}!$A$2:$A${last}")))
    };
    c.check("actor", n, ids(ACTORS.name, s.actors.len()))?;
    c.check("issue", n, ids(ISSUES.name, s.issues.len()))?;
    for key in ["salience", "salience_low", "salience_high"] {
        let v = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 1.0))
            .set_error_message("salience is 0 (indifferent) to 1 (dominates); with salience_scale = 100 in Scenario, 0-100")?;
        c.check(key, n, v)?;
    }
    for key in ["capability", "capability_low", "capability_high"] {
        c.check(key, n, non_negative()?)?;
    }
    Ok(())
}

/// One row per side, or one per side and issue when its members differ by issue; the
/// side's own columns on its first row only.
fn write_sides(ws: &mut Worksheet, s: &Scenario, styles: &Styles) -> Result<(), XlsxError> {
    start(ws, &SIDES, styles)?;
    let mut c = Cells { ws, spec: &SIDES };
    let mut row = 1;
    for side in &s.sides {
        let per_issue: Vec<(Option<&str>, &[String])> = match &side.members {
            Members::All(v) => vec![(None, v.as_slice())],
            Members::PerIssue(m) => m
                .iter()
                .map(|(issue, v)| (Some(issue.as_str()), v.as_slice()))
                .collect(),
        };
        for (k, (issue, members)) in per_issue.into_iter().enumerate() {
            c.text(row, "side", &side.id)?;
            if k == 0 {
                c.text(row, "name", &side.name)?;
                c.text(row, "negotiator", &side.negotiator)?;
                if let Some(rule) = &side.ratification {
                    if let Some(t) = rule.threshold {
                        c.number(row, "threshold", t)?;
                    }
                    c.lines(row, "veto", &rule.veto)?;
                }
                c.lines(row, "sources", &side.sources)?;
                c.text(row, "notes", side.notes.as_deref().unwrap_or(""))?;
            }
            c.text(row, "issue", issue.unwrap_or(""))?;
            c.lines(row, "members", members)?;
            row += 1;
        }
    }
    let v = DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(0.0, 1.0))
        .set_error_message(
            "the threshold is a share of the arena's weight, 0-1 (0.5: a simple majority)",
        )?;
    c.check("threshold", row as usize, v)?;
    Ok(())
}

fn non_negative() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_error_message("capability is a number >= 0")
}

fn write_models(ws: &mut Worksheet, s: &Scenario, styles: &Styles) -> Result<(), XlsxError> {
    start(ws, &MODELS, styles)?;
    let mut row = 1;
    for (model, params) in &s.models {
        for (name, value) in params {
            ws.write_string(row, 0, model)?;
            ws.write_string(row, 1, name)?;
            match value {
                toml::Value::Integer(i) => ws.write_number(row, 2, *i as f64)?,
                toml::Value::Float(x) => ws.write_number(row, 2, *x)?,
                toml::Value::Boolean(b) => ws.write_boolean(row, 2, *b)?,
                toml::Value::String(t) => ws.write_string(row, 2, t)?,
                other => ws.write_string(row, 2, other.to_string())?,
            };
            row += 1;
        }
    }
    Ok(())
}
