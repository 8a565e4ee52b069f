//! Reading a workbook: the sheets of the layout, or one plain table sheet.

use super::layout::{self, ACTORS, ISSUES, MODELS, SCENARIO, SIDES, STANCES, Sheet, normalise};
use crate::error::{InputError, Location, Warning};
use crate::io::{Format, Loaded, delimited, table};
use crate::scenario::{
    Actor, Estimate, Issue, Members, Outcome, Ratification, Scale, Scenario, Side, Stance,
};
use calamine::{Data, Range, Reader, Sheets};
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

type Book<'a> = Sheets<Cursor<&'a [u8]>>;

/// Reads an xlsx or ods workbook and validates the scenario; errors name sheet and cell.
pub fn read(bytes: &[u8], format: Format, loc: &Location) -> Result<Loaded, InputError> {
    let mut book = open(bytes, format, loc)?;
    let names = book.sheet_names();
    let layout_sheet = [ACTORS, ISSUES, STANCES]
        .iter()
        .any(|s| find_sheet(&names, s.name).is_some());
    let mut loaded = if layout_sheet {
        read_layout(&mut book, &names, loc)?
    } else {
        read_table_sheet(&mut book, &names, loc)?
    };
    loaded.format = Some(format);
    Ok(loaded)
}

fn open<'a>(bytes: &'a [u8], format: Format, loc: &Location) -> Result<Book<'a>, InputError> {
    let cursor = Cursor::new(bytes);
    let opened = match format {
        Format::Ods => calamine::Ods::new(cursor)
            .map(Sheets::Ods)
            .map_err(|e| e.to_string()),
        _ => calamine::Xlsx::new(cursor)
            .map(Sheets::Xlsx)
            .map_err(|e| e.to_string()),
    };
    opened.map_err(|e| {
        InputError::new(
            loc.clone(),
            format!("cannot open the {format} workbook: {e}"),
        )
        .hint("save it again from the spreadsheet program as .xlsx or .ods")
    })
}

fn find_sheet(names: &[String], wanted: &str) -> Option<String> {
    names
        .iter()
        .find(|n| normalise(n) == normalise(wanted))
        .cloned()
}

/// A sheet's cells, with the 0-based position of its top-left cell.
struct Grid {
    name: String,
    range: Range<Data>,
}

impl Grid {
    fn load(book: &mut Book<'_>, name: &str, loc: &Location) -> Result<Grid, InputError> {
        let range = book.worksheet_range(name).map_err(|e| {
            InputError::new(
                loc.with_field(name),
                format!("cannot read sheet `{name}`: {e}"),
            )
        })?;
        Ok(Grid {
            name: name.to_string(),
            range,
        })
    }

    fn origin(&self) -> (u32, u32) {
        self.range.start().unwrap_or((0, 0))
    }

    /// Rows with their absolute 0-based index, blank rows left out.
    fn rows(&self) -> impl Iterator<Item = (u32, &[Data])> {
        let r0 = self.origin().0;
        self.range
            .rows()
            .enumerate()
            .map(move |(k, cells)| (r0 + k as u32, cells))
            .filter(|(_, cells)| cells.iter().any(|c| !blank(c)))
    }
}

fn blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// One sheet of the layout: its header's columns (absolute 0-based) by key.
struct Table<'a> {
    grid: &'a Grid,
    cols: BTreeMap<&'static str, u32>,
    header_row: u32,
    loc: &'a Location,
}

impl<'a> Table<'a> {
    fn new(grid: &'a Grid, spec: &Sheet, loc: &'a Location) -> Result<Table<'a>, InputError> {
        let wanted: Vec<&str> = spec.columns.iter().map(|c| c.key).collect();
        let Some((header_row, header)) = grid.rows().next() else {
            return Err(InputError::new(
                loc.at_cell(format!("{}!A1", grid.name)),
                format!(
                    "sheet `{}` is empty; expected a header row with {}",
                    grid.name,
                    wanted.join(", ")
                ),
            ));
        };
        let c0 = grid.origin().1;
        let mut cols = BTreeMap::new();
        for (j, cell) in header.iter().enumerate() {
            let col = c0 + j as u32;
            let at = loc.at_cell(layout::cell_ref(&grid.name, header_row, col));
            let name = cell_text(cell).unwrap_or_default();
            let key = normalise(&name);
            if key.is_empty() {
                if column_has_data(grid, header_row, j) {
                    return Err(InputError::new(
                        at,
                        "this column holds data but its header is blank",
                    )
                    .hint(format!("name it one of: {}", wanted.join(", "))));
                }
                continue;
            }
            let Some(known) = spec.columns.iter().find(|c| c.key == key) else {
                return Err(InputError::new(
                    at.with_field(name.trim()),
                    format!("sheet `{}` has no column `{}`", grid.name, name.trim()),
                )
                .hint(format!("the columns are: {}", wanted.join(", "))));
            };
            if cols.insert(known.key, col).is_some() {
                return Err(InputError::new(
                    at.with_field(known.key),
                    format!("column `{}` appears twice", known.key),
                ));
            }
        }
        for r in spec.required {
            if !cols.contains_key(r) {
                return Err(InputError::new(
                    loc.at_cell(layout::row_ref(&grid.name, header_row))
                        .with_field(*r),
                    format!("sheet `{}` has no `{r}` column", grid.name),
                )
                .hint(format!("the columns are: {}", wanted.join(", "))));
            }
        }
        Ok(Table {
            grid,
            cols,
            header_row,
            loc,
        })
    }

    fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.grid
            .rows()
            .filter(|(r, _)| *r > self.header_row)
            .map(|(row, cells)| Row {
                table: self,
                row,
                cells,
            })
    }
}

fn column_has_data(grid: &Grid, header_row: u32, j: usize) -> bool {
    grid.rows()
        .filter(|(r, _)| *r > header_row)
        .any(|(_, cells)| cells.get(j).is_some_and(|c| !blank(c)))
}

/// One data row of a [`Table`].
struct Row<'a> {
    table: &'a Table<'a>,
    row: u32,
    cells: &'a [Data],
}

impl Row<'_> {
    fn sheet(&self) -> &str {
        &self.table.grid.name
    }

    /// The row as a whole (`Actors!5:5`), for origins.
    fn origin(&self) -> Location {
        self.table
            .loc
            .at_cell(layout::row_ref(self.sheet(), self.row))
    }

    /// The cell of column `key`, naming the field.
    fn at(&self, key: &str) -> Location {
        let cell = match self.table.cols.get(key) {
            Some(col) => layout::cell_ref(self.sheet(), self.row, *col),
            None => layout::row_ref(self.sheet(), self.row),
        };
        self.table.loc.at_cell(cell).with_field(key)
    }

    fn get(&self, key: &str) -> Option<&Data> {
        let col = *self.table.cols.get(key)?;
        let j = col.checked_sub(self.table.grid.origin().1)? as usize;
        self.cells.get(j).filter(|d| !blank(d))
    }

    fn text(&self, key: &str) -> Result<Option<String>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Data::Error(e)) => Err(self.spreadsheet_error(key, e)),
            Some(d) => Ok(cell_text(d)),
        }
    }

    /// An identifier: text, trimmed, required.
    fn id(&self, key: &str) -> Result<String, InputError> {
        match self.text(key)? {
            Some(t) => Ok(t.trim().to_string()),
            None => Err(InputError::new(
                self.at(key),
                "the cell is blank; expected an id",
            )),
        }
    }

    fn lines(&self, key: &str) -> Result<Vec<String>, InputError> {
        Ok(self.text(key)?.map(|t| split_lines(&t)).unwrap_or_default())
    }

    fn number(&self, key: &str) -> Result<Option<f64>, InputError> {
        let Some(d) = self.get(key) else {
            return Ok(None);
        };
        cell_number(d)
            .map(Some)
            .map_err(|m| InputError::new(self.at(key), m))
    }

    fn required_number(&self, key: &str) -> Result<f64, InputError> {
        self.number(key)?
            .ok_or_else(|| InputError::new(self.at(key), "the cell is blank; expected a number"))
    }

    /// A point or a range from the columns `base`, `base_low` and `base_high`.
    fn estimate(&self, base: &str) -> Result<Option<Estimate>, InputError> {
        let (lo_key, hi_key) = (format!("{base}_low"), format!("{base}_high"));
        let mode = self.number(base)?;
        let low = self.number(&lo_key)?;
        let high = self.number(&hi_key)?;
        match (low, mode, high) {
            (None, None, None) => Ok(None),
            (None, Some(m), None) => Ok(Some(Estimate::point(m))),
            (Some(l), m, Some(h)) => Ok(Some(Estimate::range(l, m.unwrap_or((l + h) / 2.0), h))),
            (Some(_), _, None) => Err(InputError::new(
                self.at(&hi_key),
                format!(
                    "{lo_key} is given but {hi_key} is blank; a range needs both (or neither, for a point)"
                ),
            )),
            (None, _, Some(_)) => Err(InputError::new(
                self.at(&lo_key),
                format!(
                    "{hi_key} is given but {lo_key} is blank; a range needs both (or neither, for a point)"
                ),
            )),
        }
    }

    fn required_estimate(&self, base: &str) -> Result<Estimate, InputError> {
        self.estimate(base)?
            .ok_or_else(|| InputError::new(self.at(base), "the cell is blank; expected a number"))
    }

    fn spreadsheet_error(&self, key: &str, e: &calamine::CellErrorType) -> InputError {
        InputError::new(
            self.at(key),
            format!("the cell holds the spreadsheet error {e}; expected a value"),
        )
    }
}

/// A cell as text: numbers in their shortest exact form, dates as ISO dates.
fn cell_text(d: &Data) -> Option<String> {
    match d {
        Data::Empty => None,
        Data::String(s) if s.trim().is_empty() => None,
        Data::String(s) => Some(s.clone()),
        Data::Float(x) => Some(number_text(*x)),
        Data::Int(i) => Some(i.to_string()),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(dt) => Some(date_text(dt)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => Some(e.to_string()),
    }
}

/// `3` for 3.0, else the shortest text that reads back as the same number.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// An Excel date as `YYYY-MM-DD` (with `THH:MM:SS` when it has a time of day).
fn date_text(dt: &calamine::ExcelDateTime) -> String {
    let serial = dt.as_f64();
    if dt.is_duration() || !(0.0..2_958_466.0).contains(&serial) {
        return number_text(serial);
    }
    let (y, m, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
    }
}

fn cell_number(d: &Data) -> Result<f64, String> {
    let x = match d {
        Data::Float(x) => *x,
        Data::Int(i) => *i as f64,
        Data::String(s) => {
            let t = s.trim();
            t.parse::<f64>()
                .ok()
                .or_else(|| delimited::decimal_comma(t))
                .ok_or_else(|| format!("`{t}` is not a number; expected a number"))?
        }
        Data::Bool(b) => return Err(format!("{b} is not a number; expected a number")),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            return Err(
                "the cell holds a date; expected a number (format the cell as a number)".into(),
            );
        }
        Data::Error(e) => {
            return Err(format!(
                "the cell holds the spreadsheet error {e}; expected a number"
            ));
        }
        Data::Empty => return Err("the cell is blank; expected a number".into()),
    };
    if x.is_finite() {
        Ok(x)
    } else {
        Err(format!("{x} is not a finite number"))
    }
}

fn split_lines(t: &str) -> Vec<String> {
    t.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn read_layout(
    book: &mut Book<'_>,
    names: &[String],
    loc: &Location,
) -> Result<Loaded, InputError> {
    let mut grids: HashMap<&'static str, Grid> = HashMap::new();
    for spec in layout::SHEETS {
        if let Some(name) = find_sheet(names, spec.name) {
            grids.insert(spec.name, Grid::load(book, &name, loc)?);
        }
    }
    for required in [ACTORS, ISSUES, STANCES] {
        if !grids.contains_key(required.name) {
            return Err(InputError::new(
                loc.with_field(required.name),
                format!(
                    "the workbook has no `{}` sheet; a scenario workbook needs the sheets Actors, Issues and Stances (Scenario and Models are optional)",
                    required.name
                ),
            )
            .hint("see \"Workbooks\" in docs/scenario-format.md, or start from `pactum new --xlsx FILE`"));
        }
    }
    let mut loaded = Loaded::default();
    for n in names {
        if !layout::SHEETS
            .iter()
            .any(|s| normalise(s.name) == normalise(n))
        {
            loaded.warnings.push(Warning {
                location: loc.with_field(n.clone()),
                assumption: None,
                message: format!("sheet `{n}` is not part of the scenario layout; ignored"),
            });
        }
    }
    let mut scenario = Scenario::default();
    let mut salience_scale = 1.0;
    if let Some(g) = grids.get(SCENARIO.name) {
        salience_scale = read_meta(g, loc, &mut scenario)?;
    }
    let actors = Table::new(&grids[ACTORS.name], &ACTORS, loc)?;
    let issues = Table::new(&grids[ISSUES.name], &ISSUES, loc)?;
    let stances = Table::new(&grids[STANCES.name], &STANCES, loc)?;
    scenario.actors = actors.rows().map(|r| actor(&r)).collect::<Result<_, _>>()?;
    scenario.issues = issues.rows().map(|r| issue(&r)).collect::<Result<_, _>>()?;
    scenario.stances = stances
        .rows()
        .map(|r| stance(&r, salience_scale))
        .collect::<Result<_, _>>()?;
    if let Some(g) = grids.get(MODELS.name) {
        scenario.models = read_models(&Table::new(g, &MODELS, loc)?)?;
    }
    let sides = match grids.get(SIDES.name) {
        Some(g) => Some(Table::new(g, &SIDES, loc)?),
        None => None,
    };
    if let Some(t) = &sides {
        scenario.sides = read_sides(t)?;
    }
    if salience_scale != 1.0 {
        loaded.warnings.push(Warning {
            location: loc.with_field("salience_scale"),
            assumption: None,
            message: "saliences are read on a 0-100 scale and divided by 100".into(),
        });
    }
    scenario.validate().map_err(|mut e| {
        for t in [&actors, &issues, &stances].into_iter().chain(sides.as_ref()) {
            refine(t, &mut e);
        }
        if e.hint.as_deref().is_some_and(|h| h.contains("salience_scale")) {
            e.hint = Some(
                "salience is 0-1; for a 0-100 coding set salience_scale to 100 in the Scenario sheet"
                    .into(),
            );
        }
        e
    })?;
    loaded.scenarios.push(scenario);
    Ok(loaded)
}

/// Points a validation error located at a row (`Stances!7:7`) at the cell of its field.
fn refine(table: &Table<'_>, err: &mut InputError) {
    let (Some(cell), Some(field)) = (&err.location.cell, &err.location.field) else {
        return;
    };
    let prefix = layout::row_ref(&table.grid.name, 0);
    let prefix = prefix.trim_end_matches("1:1");
    let Some(rows) = cell.strip_prefix(prefix) else {
        return;
    };
    let Some(row) = rows
        .split(':')
        .next()
        .and_then(|r| r.parse::<u32>().ok())
        .and_then(|r| r.checked_sub(1))
    else {
        return;
    };
    let key = match field.as_str() {
        "scale" => "lo",
        "outcome.value" => "outcome",
        "id" if table.cols.contains_key("side") => "side",
        "ratification" if err.message.contains("threshold") => "threshold",
        "ratification" if err.message.contains("veto") => "veto",
        other => other,
    };
    if let Some(col) = table.cols.get(key) {
        err.location.cell = Some(layout::cell_ref(&table.grid.name, row, *col));
    }
}

fn optional(t: Option<String>) -> Option<String> {
    t.filter(|s| !s.is_empty())
}

fn actor(r: &Row<'_>) -> Result<Actor, InputError> {
    Ok(Actor {
        id: r.id("id")?,
        name: r.text("name")?.unwrap_or_default(),
        capability: r.required_estimate("capability")?,
        group: optional(r.text("group")?),
        sources: r.lines("sources")?,
        notes: optional(r.text("notes")?),
        origin: r.origin(),
    })
}

fn issue(r: &Row<'_>) -> Result<Issue, InputError> {
    let outcome = match r.number("outcome")? {
        Some(value) => Some(Outcome {
            value,
            date: optional(r.text("outcome_date")?),
            sources: r.lines("outcome_sources")?,
            notes: optional(r.text("outcome_notes")?),
        }),
        None => {
            for k in ["outcome_date", "outcome_sources", "outcome_notes"] {
                if r.get(k).is_some() {
                    return Err(InputError::new(
                        r.at("outcome"),
                        format!(
                            "{k} is given but the outcome is blank; expected the outcome's value"
                        ),
                    ));
                }
            }
            None
        }
    };
    Ok(Issue {
        id: r.id("id")?,
        question: r.text("question")?.unwrap_or_default(),
        scale: Scale {
            lo: r.required_number("lo")?,
            hi: r.required_number("hi")?,
            unit: r.text("unit")?.unwrap_or_default(),
            lo_label: r.text("lo_label")?.unwrap_or_default(),
            hi_label: r.text("hi_label")?.unwrap_or_default(),
        },
        reference_point: r.number("reference_point")?,
        outcome,
        sources: r.lines("sources")?,
        notes: optional(r.text("notes")?),
        attributes: attributes(r)?,
        origin: r.origin(),
    })
}

/// `key = value` lines of the `attributes` cell.
fn attributes(r: &Row<'_>) -> Result<BTreeMap<String, String>, InputError> {
    let mut out = BTreeMap::new();
    for line in r.lines("attributes")? {
        let Some((k, v)) = line.split_once('=') else {
            return Err(InputError::new(
                r.at("attributes"),
                format!("`{line}` is not `key = value`; expected one `key = value` per line"),
            ));
        };
        let k = k.trim();
        if k.is_empty() {
            return Err(InputError::new(
                r.at("attributes"),
                format!("`{line}` has no key before `=`"),
            ));
        }
        out.insert(k.to_string(), v.trim().to_string());
    }
    Ok(out)
}

fn stance(r: &Row<'_>, salience_scale: f64) -> Result<Stance, InputError> {
    let mut salience = r.required_estimate("salience")?;
    if salience_scale != 1.0 {
        salience = salience.scaled(1.0 / salience_scale);
    }
    Ok(Stance {
        actor: r.id("actor")?,
        issue: r.id("issue")?,
        position: r.required_estimate("position")?,
        salience,
        capability: r.estimate("capability")?,
        sources: r.lines("sources")?,
        notes: optional(r.text("notes")?),
        origin: r.origin(),
    })
}

/// The `Sides` sheet: rows grouped by side id, in the order sides first appear.
fn read_sides(t: &Table<'_>) -> Result<Vec<Side>, InputError> {
    let mut sides: Vec<Side> = Vec::new();
    for r in t.rows() {
        let id = r.id("side")?;
        let issue = r.text("issue")?.map(|i| i.trim().to_string());
        let members = r.lines("members")?;
        match sides.iter_mut().find(|s| s.id == id) {
            None => {
                let mut side = first_side_row(&r, id)?;
                side.members = match issue {
                    None => Members::All(members),
                    Some(i) => Members::PerIssue(BTreeMap::from([(i, members)])),
                };
                sides.push(side);
            }
            Some(side) => {
                check_repeated_side_row(&r, side)?;
                add_side_members(&r, side, issue, members)?;
            }
        }
    }
    Ok(sides)
}

/// A side from its first row: everything but the members.
fn first_side_row(r: &Row<'_>, id: String) -> Result<Side, InputError> {
    let threshold = r.number("threshold")?;
    let veto = r.lines("veto")?;
    let ratification =
        (threshold.is_some() || !veto.is_empty()).then_some(Ratification { threshold, veto });
    Ok(Side {
        id,
        name: r.text("name")?.unwrap_or_default(),
        negotiator: r.id("negotiator")?,
        members: Members::default(),
        ratification,
        sources: r.lines("sources")?,
        notes: optional(r.text("notes")?),
        origin: r.origin(),
    })
}

/// A further row of a side: its own columns are blank or repeat the first row's.
fn check_repeated_side_row(r: &Row<'_>, side: &Side) -> Result<(), InputError> {
    let threshold = side.ratification.as_ref().and_then(|x| x.threshold);
    let veto = side
        .ratification
        .as_ref()
        .map(|x| x.veto.clone())
        .unwrap_or_default();
    let same = [
        ("name", r.text("name")?.is_none_or(|t| t == side.name)),
        (
            "negotiator",
            r.text("negotiator")?
                .is_none_or(|t| t.trim() == side.negotiator),
        ),
        (
            "threshold",
            r.number("threshold")?.is_none_or(|t| Some(t) == threshold),
        ),
        ("veto", r.get("veto").is_none() || r.lines("veto")? == veto),
        (
            "sources",
            r.get("sources").is_none() || r.lines("sources")? == side.sources,
        ),
        (
            "notes",
            r.text("notes")?.is_none_or(|t| Some(t) == side.notes),
        ),
    ];
    match same.iter().find(|(_, ok)| !ok) {
        Some((key, _)) => Err(InputError::new(
            r.at(key),
            format!(
                "side `{}` is given a different {key} here than on its first row",
                side.id
            ),
        )
        .hint("a side's own columns are read from its first row; leave them blank on its further rows")),
        None => Ok(()),
    }
}

/// Adds a further row's members: per-issue rows only, each issue once.
fn add_side_members(
    r: &Row<'_>,
    side: &mut Side,
    issue: Option<String>,
    members: Vec<String>,
) -> Result<(), InputError> {
    let (Members::PerIssue(map), Some(issue)) = (&mut side.members, issue) else {
        return Err(InputError::new(
            r.at("issue"),
            format!(
                "side `{}` has a row with a blank issue and another row; give its members either in one row for every issue or in one row per issue",
                side.id
            ),
        ));
    };
    if map.contains_key(&issue) {
        return Err(InputError::new(
            r.at("issue"),
            format!("side `{}` lists issue `{issue}` twice", side.id),
        ));
    }
    map.insert(issue, members);
    Ok(())
}

/// The `Scenario` sheet: `field`/`value` rows (the header row is optional). Returns the
/// salience scale (1 or 100).
fn read_meta(g: &Grid, loc: &Location, s: &mut Scenario) -> Result<f64, InputError> {
    let c0 = g.origin().1;
    let mut scale = 1.0;
    for (row, cells) in g.rows() {
        let key_text = cells.first().and_then(cell_text).unwrap_or_default();
        let key = normalise(&key_text);
        let at = loc
            .at_cell(layout::cell_ref(&g.name, row, c0 + 1))
            .with_field(key.clone());
        let value = cells.get(1).filter(|d| !blank(d));
        if let Some(Data::Error(e)) = value {
            return Err(InputError::new(
                at,
                format!("the cell holds the spreadsheet error {e}; expected a value"),
            ));
        }
        let text = value.and_then(cell_text);
        match key.as_str() {
            "field" => {}
            "" => {
                return Err(InputError::new(
                    loc.at_cell(layout::cell_ref(&g.name, row, c0)),
                    "a value without a field name; expected a field in the first column",
                ));
            }
            "title" => s.title = text.unwrap_or_default(),
            "frozen_at" => s.frozen_at = optional(text),
            "author" => s.author = optional(text),
            "notes" => s.notes = optional(text),
            "sources" => s
                .sources
                .extend(text.map(|t| split_lines(&t)).unwrap_or_default()),
            "salience_scale" => {
                scale = match value.map(cell_number) {
                    None => 1.0,
                    Some(Ok(x)) if x == 1.0 || x == 100.0 => x,
                    Some(Ok(x)) => {
                        return Err(InputError::new(
                            at,
                            format!("salience_scale is {x}; expected 1 or 100"),
                        ));
                    }
                    Some(Err(m)) => return Err(InputError::new(at, m)),
                }
            }
            _ => {
                let fields: Vec<&str> = layout::SCENARIO_FIELDS.iter().map(|f| f.0).collect();
                return Err(InputError::new(
                    loc.at_cell(layout::cell_ref(&g.name, row, c0))
                        .with_field(key_text.trim()),
                    format!("sheet `{}` has no field `{}`", g.name, key_text.trim()),
                )
                .hint(format!("the fields are: {}", fields.join(", "))));
            }
        }
    }
    Ok(scale)
}

/// The `Models` sheet. Whole numbers become TOML integers, other numbers floats.
fn read_models(
    t: &Table<'_>,
) -> Result<BTreeMap<String, BTreeMap<String, toml::Value>>, InputError> {
    let mut out: BTreeMap<String, BTreeMap<String, toml::Value>> = BTreeMap::new();
    for r in t.rows() {
        let model = r.id("model")?;
        let parameter = r.id("parameter")?;
        let value = match r.get("value") {
            None => {
                return Err(InputError::new(
                    r.at("value"),
                    "the cell is blank; expected the parameter's value",
                ));
            }
            Some(Data::Bool(b)) => toml::Value::Boolean(*b),
            Some(Data::Int(i)) => toml::Value::Integer(*i),
            Some(Data::Float(x)) if x.fract() == 0.0 && x.abs() < 9.0e15 => {
                toml::Value::Integer(*x as i64)
            }
            Some(Data::Float(x)) if x.is_finite() => toml::Value::Float(*x),
            Some(Data::Error(e)) => return Err(r.spreadsheet_error("value", e)),
            Some(d) => toml::Value::String(cell_text(d).unwrap_or_default()),
        };
        let params = out.entry(model).or_default();
        if params.insert(parameter.clone(), value).is_some() {
            return Err(InputError::new(
                r.at("parameter"),
                format!("parameter `{parameter}` is given twice for this model"),
            ));
        }
    }
    Ok(out)
}

/// One plain table sheet (actor, capability, position, salience): the first sheet with
/// data, read by the table reader; its lines are the sheet's rows.
fn read_table_sheet(
    book: &mut Book<'_>,
    names: &[String],
    loc: &Location,
) -> Result<Loaded, InputError> {
    let mut found = None;
    for n in names {
        let g = Grid::load(book, n, loc)?;
        if g.rows().next().is_some() {
            found = Some(g);
            break;
        }
    }
    let Some(grid) = found else {
        return Err(InputError::new(
            loc.clone(),
            "every sheet of the workbook is empty",
        ));
    };
    let text = grid_as_tsv(&grid).map_err(|e| {
        InputError::new(
            loc.with_field(grid.name.clone()),
            format!("cannot read the sheet: {e}"),
        )
    })?;
    let header = header_cells(&grid);
    let to_cell = |l: &Location| sheet_location(l, &grid, &header);
    let mut loaded = table::read(&text, loc).map_err(|mut e| {
        e.location = to_cell(&e.location);
        e.hint.get_or_insert_with(|| {
            "a workbook holds either the sheets Actors, Issues and Stances, or one table with actor, capability, position and salience columns".into()
        });
        e
    })?;
    for w in &mut loaded.warnings {
        w.location = to_cell(&w.location);
    }
    for s in &loaded.scenarios {
        s.validate().map_err(|mut e| {
            e.location = to_cell(&e.location);
            e
        })?;
    }
    Ok(loaded)
}

/// The sheet's header row: the first with at least two filled cells (a title above the
/// table is passed over).
fn header_row(grid: &Grid) -> Option<(u32, &[Data])> {
    grid.rows()
        .find(|(_, cells)| cells.iter().filter(|c| !blank(c)).count() >= 2)
}

/// The sheet from its header row down as tab-separated text, one line per row and one field
/// per column from column A, so that line numbers are row numbers (rows above the header
/// are blank lines).
fn grid_as_tsv(grid: &Grid) -> Result<String, csv::Error> {
    let (r0, c0) = grid.origin();
    let first = header_row(grid).map(|(r, _)| r).unwrap_or(r0);
    let width = c0 as usize + grid.range.width();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .flexible(true)
        .from_writer(Vec::new());
    let mut text = "\n".repeat(first as usize);
    for cells in grid.range.rows().skip((first - r0) as usize) {
        let mut rec: Vec<String> = vec![String::new(); width];
        for (j, c) in cells.iter().enumerate() {
            rec[c0 as usize + j] = cell_text(c).unwrap_or_default();
        }
        w.write_record(&rec)?;
    }
    let body = w.into_inner().map_err(|e| e.into_error())?;
    text.push_str(&String::from_utf8_lossy(&body));
    Ok(text)
}

/// The header row's cells as trimmed text, with their absolute columns.
fn header_cells(grid: &Grid) -> Vec<(u32, String)> {
    let c0 = grid.origin().1;
    header_row(grid)
        .map(|(_, cells)| {
            cells
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    (
                        c0 + j as u32,
                        cell_text(c).unwrap_or_default().trim().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A table reader's `line` and `field` as the sheet's cell.
fn sheet_location(l: &Location, grid: &Grid, header: &[(u32, String)]) -> Location {
    let Some(line) = l.line else {
        return l.clone();
    };
    let row = line.saturating_sub(1) as u32;
    let col = l
        .field
        .as_deref()
        .and_then(|f| header.iter().find(|(_, h)| h.eq_ignore_ascii_case(f)))
        .map(|(c, _)| *c);
    let cell = match col {
        Some(c) => layout::cell_ref(&grid.name, row, c),
        None => layout::row_ref(&grid.name, row),
    };
    l.at_cell(cell)
}
