//! Workbooks: every shipped case goes TOML → XLSX → TOML unchanged with every model's
//! forecast unchanged; workbooks made by other programs read; errors name sheet and cell.

use pactum::io::{self, Format, native, workbook};
use pactum::models::{self, Params};
use pactum::{Scenario, Snapshot};
use rust_xlsxwriter::Workbook;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn read_one(name: &str, bytes: &[u8]) -> Scenario {
    let mut l = io::read(name, bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(l.scenarios.len(), 1, "{name}");
    l.scenarios.remove(0)
}

fn shipped_cases() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(format!("{ROOT}/cases"))
        .expect("cases/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// Asserts `b` is `a` read back: same TOML text, same numbers, same forecast from `models`.
fn assert_same(name: &str, a: &Scenario, b: &Scenario, model_names: &[&str]) {
    assert_eq!(native::write(a), native::write(b), "{name}: TOML differs");
    assert_eq!(Snapshot::modes(a), Snapshot::modes(b), "{name}");
    for m in model_names {
        let model = models::by_name(m).expect("model");
        let fa = model.solve(&Snapshot::modes(a), &Params::from_scenario(a, m));
        let fb = model.solve(&Snapshot::modes(b), &Params::from_scenario(b, m));
        assert_eq!(fa, fb, "{name}: model {m} forecast changed");
    }
}

#[test]
fn every_shipped_case_round_trips_through_xlsx_with_every_forecast() {
    let all: Vec<&str> = models::all().iter().map(|m| m.name()).collect();
    let cases = shipped_cases();
    assert!(cases.len() >= 4, "the shipped cases are found");
    let mut two_level = 0;
    for path in cases {
        let name = path.display().to_string();
        let original = read_one(&name, &std::fs::read(&path).expect("readable"));
        two_level += usize::from(!original.sides.is_empty());
        let bytes = workbook::write(&original).unwrap_or_else(|e| panic!("{name}: {e}"));
        let loaded = io::read("case.xlsx", &bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(loaded.format, Some(Format::Xlsx));
        assert!(loaded.warnings.is_empty(), "{name}: {:?}", loaded.warnings);
        let back = &loaded.scenarios[0];
        assert_eq!(
            serde_json::to_string(&back.sides).expect("json"),
            serde_json::to_string(&original.sides).expect("json"),
            "{name}: sides differ"
        );
        assert_same(&name, &original, back, &all);
        assert_eq!(
            workbook::write(back).expect("second write"),
            bytes,
            "{name}: the second workbook differs"
        );
    }
    assert_eq!(two_level, 1, "the two-level flagship is among the cases");
}

/// Inputs of every other reader (ranges, per-issue capabilities, attributes, outcomes, 40
/// actors, 172 DEU rows) survive the workbook too.
#[test]
fn every_shared_input_round_trips_through_xlsx() {
    let files = [
        "cases/bdm/bdm1994_ec_emission_standards_actors.csv",
        "cases/ktab/SOE-Pol-Comp.csv",
        "cases/ktab/dummyData-a040.csv",
        "cases/decide/sample_data.txt",
        "cases/decide/copenhagen.csv",
        "peers/schelling/emission1994_widened.input.json",
        "deu3/deu3-dev.tsv",
    ];
    let mut checked = 0;
    for f in files {
        let bytes = std::fs::read(format!("{ROOT}/testdata/{f}")).expect("shared file");
        for original in io::read(f, &bytes, None).expect("reads").scenarios {
            let xlsx = workbook::write(&original).unwrap_or_else(|e| panic!("{f}: {e}"));
            let back = read_one(f, &xlsx);
            assert_same(f, &original, &back, &["compromise", "median"]);
            checked += 1;
        }
    }
    assert_eq!(checked, 6 + 172);
}

fn workbook_with(edit: impl FnOnce(&mut Scenario)) -> Vec<u8> {
    let mut s = read_one(
        "emission-1994.toml",
        &std::fs::read(format!("{ROOT}/cases/emission-1994.toml")).expect("case"),
    );
    edit(&mut s);
    workbook::write(&s).expect("writes")
}

#[test]
fn validation_errors_name_sheet_cell_and_field() {
    // The third stance (row 4) gets salience 1.5: column F of Stances.
    let bytes = workbook_with(|s| s.stances[2].salience = pactum::Estimate::point(1.5));
    let e = io::read("bad.xlsx", &bytes, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Stances!F4"), "{e}");
    assert_eq!(e.location.field.as_deref(), Some("salience"));
    assert!(
        e.to_string()
            .starts_with("bad.xlsx: Stances!F4: field `salience`"),
        "{e}"
    );

    let bytes = workbook_with(|s| s.actors[1].capability = pactum::Estimate::point(-1.0));
    let e = io::read("bad.xlsx", &bytes, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Actors!C3"), "{e}");

    let bytes = workbook_with(|s| s.stances[0].actor = "nobody".into());
    let e = io::read("bad.xlsx", &bytes, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Stances!A2"), "{e}");
    assert!(e.message.contains("unknown actor `nobody`"), "{e}");

    let bytes = workbook_with(|s| s.issues[0].scale.hi = s.issues[0].scale.lo);
    let e = io::read("bad.xlsx", &bytes, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Issues!C2"), "{e}");
}

/// A small workbook made cell by cell, for errors the writer would never produce.
fn handmade(stance_rows: &[&[&str]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Actors").expect("name");
    for (c, h) in ["id", "capability"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("cell");
    }
    for (r, (id, cap)) in [("a", 1.0), ("b", 2.0)].iter().enumerate() {
        ws.write_string(r as u32 + 1, 0, *id).expect("cell");
        ws.write_number(r as u32 + 1, 1, *cap).expect("cell");
    }
    let ws = book.add_worksheet();
    ws.set_name("Issues").expect("name");
    for (c, h) in ["id", "lo", "hi"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("cell");
    }
    ws.write_string(1, 0, "x").expect("cell");
    ws.write_number(1, 1, 0.0).expect("cell");
    ws.write_number(1, 2, 10.0).expect("cell");
    let ws = book.add_worksheet();
    ws.set_name("Stances").expect("name");
    for (r, row) in stance_rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(x) => ws.write_number(r as u32, c as u16, x),
                Err(_) => ws.write_string(r as u32, c as u16, *v),
            }
            .expect("cell");
        }
    }
    book.save_to_buffer().expect("saves")
}

#[test]
fn cell_errors_name_sheet_cell_field_and_what_was_expected() {
    let header: &[&str] = &["actor", "issue", "position", "salience"];
    let ok = handmade(&[header, &["a", "x", "2", "0.5"], &["b", "x", "8", "0.9"]]);
    let s = read_one("ok.xlsx", &ok);
    assert_eq!(s.stances[1].position.mode, 8.0);

    let bad = handmade(&[header, &["a", "x", "2", "0.5"], &["b", "x", "8", "lots"]]);
    let e = io::read("bad.xlsx", &bad, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Stances!D3"), "{e}");
    assert_eq!(e.location.field.as_deref(), Some("salience"));
    assert!(e.message.contains("`lots` is not a number"), "{e}");

    let bad = handmade(&[header, &["a", "x", "2", "0.5"], &["b", "x", "", "0.9"]]);
    let e = io::read("bad.xlsx", &bad, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Stances!C3"), "{e}");
    assert!(e.message.contains("blank; expected a number"), "{e}");

    let typo: &[&str] = &["actor", "issue", "position", "salinece"];
    let bad = handmade(&[typo, &["a", "x", "2", "0.5"], &["b", "x", "8", "0.9"]]);
    let e = io::read("bad.xlsx", &bad, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Stances!D1"), "{e}");
    assert!(e.message.contains("no column `salinece`"), "{e}");

    let half: &[&str] = &["actor", "issue", "position", "position_low", "salience"];
    let bad = handmade(&[
        half,
        &["a", "x", "2", "1", "0.5"],
        &["b", "x", "8", "", "0.9"],
    ]);
    let e = io::read("bad.xlsx", &bad, None).unwrap_err();
    assert!(e.message.contains("needs both"), "{e}");
    assert!(
        e.location.cell.as_deref().is_some_and(|c| c.ends_with('2')),
        "{e}"
    );
}

#[test]
fn a_missing_sheet_and_a_non_workbook_zip_are_explained() {
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Actors").expect("name");
    let bytes = book.save_to_buffer().expect("saves");
    let e = io::read("part.xlsx", &bytes, None).unwrap_err();
    assert!(e.message.contains("no `Issues` sheet"), "{e}");

    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend_from_slice(&[0u8; 64]);
    let e = io::read("x.zip", &zip, None).unwrap_err();
    assert!(e.message.contains("neither an xlsx nor an ods"), "{e}");
    let e = io::read("old.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0, 0], None).unwrap_err();
    assert!(e.message.contains(".xls"), "{e}");
    let e = io::read("broken.xlsx", b"PK\x03\x04 xl/workbook.xml", None).unwrap_err();
    assert!(e.message.contains("cannot open the xlsx workbook"), "{e}");
}

#[test]
fn one_table_sheet_is_read_as_a_bdm_table_with_cells_in_errors() {
    let table = |rows: &[[&str; 4]]| {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.set_name("Emission").expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                match v.parse::<f64>() {
                    Ok(x) => ws.write_number(r as u32 + 2, c as u16 + 1, x),
                    Err(_) => ws.write_string(r as u32 + 2, c as u16 + 1, *v),
                }
                .expect("cell");
            }
        }
        book.save_to_buffer().expect("saves")
    };
    let header = ["Actor", "Capability", "Position_years", "Salience"];
    let good = table(&[
        header,
        ["Germany", "16", "4", "80"],
        ["France", "16", "10", "60"],
    ]);
    let l = io::read("emission.xlsx", &good, None).expect("reads");
    let s = &l.scenarios[0];
    assert_eq!(s.issues[0].id, "emission");
    assert_eq!(s.issues[0].scale.unit, "years");
    assert_eq!(s.stances[0].salience.mode, 0.8);
    assert!(
        l.warnings.iter().any(|w| w.location.cell.is_some()),
        "warnings name cells: {:?}",
        l.warnings
    );
    let bad = table(&[
        header,
        ["Germany", "16", "4", "80"],
        ["France", "much", "10", "60"],
    ]);
    let e = io::read("emission.xlsx", &bad, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Emission!C5"), "{e}");
    assert_eq!(e.location.field.as_deref(), Some("Capability"));
}

#[test]
fn the_writer_refuses_what_a_cell_cannot_keep() {
    let mut s = read_one(
        "emission-1994.toml",
        &std::fs::read(format!("{ROOT}/cases/emission-1994.toml")).expect("case"),
    );
    s.actors[0].sources = vec!["two\nlines".into()];
    let e = workbook::write(&s).unwrap_err();
    assert_eq!(e.location.field.as_deref(), Some("sources"));
}

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/workbooks");

/// Workbooks written by openpyxl and converted by LibreOffice (see
/// `testdata/workbooks/PROVENANCE.md`) hold the flagship case with readable headers, other
/// column orders, date cells and an extra sheet: they read as the TOML case exactly.
#[test]
fn workbooks_from_other_programs_read_as_the_flagship_case() {
    let toml = std::fs::read(format!("{ROOT}/cases/us-japan-2014.toml")).expect("case");
    let case = read_one("us-japan-2014.toml", &toml);
    for (file, format) in [
        ("us-japan-2014.openpyxl.xlsx", Format::Xlsx),
        ("us-japan-2014.libreoffice.ods", Format::Ods),
    ] {
        let bytes = std::fs::read(format!("{FIXTURES}/{file}")).expect("fixture");
        let loaded = io::read(file, &bytes, None).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(loaded.format, Some(format), "{file}");
        assert!(
            loaded
                .warnings
                .iter()
                .any(|w| w.message.contains("`Read me`")),
            "{file}: the extra sheet is reported: {:?}",
            loaded.warnings
        );
        let s = &loaded.scenarios[0];
        assert_eq!(
            s.frozen_at.as_deref(),
            Some("2015-04-26"),
            "{file}: a date cell"
        );
        assert_same(file, &case, s, &["compromise", "median", "bdm"]);
    }
}

#[test]
fn a_table_sheet_under_a_title_reads_as_the_emission_table() {
    let file = "emission-table.openpyxl.xlsx";
    let bytes = std::fs::read(format!("{FIXTURES}/{file}")).expect("fixture");
    let l = io::read(file, &bytes, None).unwrap_or_else(|e| panic!("{file}: {e}"));
    let s = &l.scenarios[0];
    assert_eq!(s.actors.len(), 10);
    assert_eq!(s.issues[0].scale.unit, "years");
    assert_eq!((s.issues[0].scale.lo, s.issues[0].scale.hi), (4.0, 10.0));
    assert_eq!(s.stances[6].salience.mode, 0.9, "UK salience 90 of 100");
    let case = read_one(
        "emission-1994.toml",
        &std::fs::read(format!("{ROOT}/cases/emission-1994.toml")).expect("case"),
    );
    for m in ["compromise", "median", "bdm"] {
        let model = models::by_name(m).expect("model");
        let table = model.forecast_values(&Snapshot::modes(s), &Params::new());
        let native = model.forecast_values(&Snapshot::modes(&case), &Params::new());
        let (a, b) = (table.expect("forecast")[0], native.expect("forecast")[0]);
        let (a, b) = (a.expect("a value"), b.expect("a value"));
        assert!((a - b).abs() < 1e-9, "{m}: table {a} vs case {b}");
    }
}

fn two_level_textbook() -> Scenario {
    read_one(
        "textbook.toml",
        &std::fs::read(format!("{ROOT}/testdata/twolevel/textbook.toml")).expect("case"),
    )
}

/// A case outside `cases/`, with per-issue members written as one row per side and issue,
/// round-trips with the same twolevel forecast.
#[test]
fn sides_round_trip_with_per_issue_members() {
    let mut s = two_level_textbook();
    assert!(!s.sides.is_empty());
    let issue = s.issues[0].id.clone();
    let side = &mut s.sides[0];
    let members = match &side.members {
        pactum::scenario::Members::All(v) => v.clone(),
        pactum::scenario::Members::PerIssue(_) => panic!("the textbook lists members once"),
    };
    side.members =
        pactum::scenario::Members::PerIssue(std::collections::BTreeMap::from([(issue, members)]));
    s.validate().expect("still valid");
    let bytes = workbook::write(&s).expect("writes");
    let back = read_one("textbook.xlsx", &bytes);
    assert!(matches!(
        back.sides[0].members,
        pactum::scenario::Members::PerIssue(_)
    ));
    assert_same("textbook", &s, &back, &["twolevel", "compromise"]);
}

/// Rewrites the Sides sheet of the textbook's workbook with `rows` (header first).
fn with_sides_rows(rows: &[&[&str]]) -> Vec<u8> {
    let s = two_level_textbook();
    let mut book = Workbook::new();
    // The core sheets, written by hand with only their required columns.
    let ws = book.add_worksheet();
    ws.set_name("Actors").expect("name");
    for (c, h) in ["id", "capability"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("cell");
    }
    for (r, a) in s.actors.iter().enumerate() {
        ws.write_string(r as u32 + 1, 0, &a.id).expect("cell");
        ws.write_number(r as u32 + 1, 1, a.capability.mode)
            .expect("cell");
    }
    let ws = book.add_worksheet();
    ws.set_name("Issues").expect("name");
    for (c, h) in ["id", "lo", "hi", "reference_point"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("cell");
    }
    for (r, i) in s.issues.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, &i.id).expect("cell");
        ws.write_number(r, 1, i.scale.lo).expect("cell");
        ws.write_number(r, 2, i.scale.hi).expect("cell");
        ws.write_number(r, 3, i.reference_point.unwrap_or(i.scale.lo))
            .expect("cell");
    }
    let ws = book.add_worksheet();
    ws.set_name("Stances").expect("name");
    for (c, h) in ["actor", "issue", "position", "salience"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).expect("cell");
    }
    for (r, st) in s.stances.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, &st.actor).expect("cell");
        ws.write_string(r, 1, &st.issue).expect("cell");
        ws.write_number(r, 2, st.position.mode).expect("cell");
        ws.write_number(r, 3, st.salience.mode).expect("cell");
    }
    let ws = book.add_worksheet();
    ws.set_name("Sides").expect("name");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).expect("cell");
            }
        }
    }
    book.save_to_buffer().expect("saves")
}

#[test]
fn sides_sheet_errors_name_the_cell() {
    const HEAD: &[&str] = &[
        "side",
        "negotiator",
        "issue",
        "members",
        "threshold",
        "veto",
    ];
    // A sound sheet reads, with the threshold as a number typed as text.
    let ok = with_sides_rows(&[
        HEAD,
        &["x", "x-gov", "", "x-union\nx-exporters", "0.5", ""],
        &["y", "y-gov", "", "y-farmers\ny-industry", "", "y-farmers"],
    ]);
    let s = read_one("ok.xlsx", &ok);
    assert_eq!(s.sides.len(), 2);
    assert_eq!(
        s.sides[1].ratification.as_ref().map(|r| r.veto.clone()),
        Some(vec!["y-farmers".to_string()])
    );

    // A further row of a side with another negotiator.
    let bytes = with_sides_rows(&[
        HEAD,
        &["x", "x-gov", "tariff-cut", "x-union", "", ""],
        &["x", "y-gov", "other", "x-exporters", "", ""],
    ]);
    let e = io::read("bad.xlsx", &bytes, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Sides!B3"), "{e}");
    assert!(e.message.contains("different negotiator"), "{e}");

    // The same issue twice for one side.
    let bytes = with_sides_rows(&[
        HEAD,
        &["x", "x-gov", "tariff-cut", "x-union", "", ""],
        &["x", "", "tariff-cut", "x-exporters", "", ""],
    ]);
    let e = io::read("bad.xlsx", &bytes, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Sides!C3"), "{e}");

    // A threshold outside 0-1 is pointed at its cell by validation.
    let bytes = with_sides_rows(&[HEAD, &["x", "x-gov", "", "x-union", "1.5", ""]]);
    let e = io::read("bad.xlsx", &bytes, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Sides!E2"), "{e}");
    assert!(e.message.contains("outside 0-1"), "{e}");

    // An unknown member is pointed at the members cell.
    let bytes = with_sides_rows(&[HEAD, &["x", "x-gov", "", "nobody", "", ""]]);
    let e = io::read("bad.xlsx", &bytes, None).unwrap_err();
    assert_eq!(e.location.cell.as_deref(), Some("Sides!D2"), "{e}");
}
