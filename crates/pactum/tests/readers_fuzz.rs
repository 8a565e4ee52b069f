//! Property tests standing in for a fuzzer in CI: every reader, fed arbitrary bytes or
//! mutated copies of real files, returns a scenario or an error — never panics, and every
//! scenario it returns is valid and free of NaN.

use pactum::io::{self, Format};
use proptest::prelude::*;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

/// Real inputs of every format, read once; mutations of these reach deep into each parser.
fn corpus() -> Vec<Vec<u8>> {
    let files = [
        "cases/bdm/bdm1994_ec_emission_standards_actors.csv",
        "cases/ktab/SOE-Pol-Comp.csv",
        "cases/ktab/dummyData_3Dim.csv",
        "cases/ktab/SOE-Policy-table.csv",
        "cases/decide/sample_data.txt",
        "peers/schelling/emission1994.input.json",
    ];
    let mut out: Vec<Vec<u8>> = files
        .iter()
        .map(|f| {
            std::fs::read(format!("{SHARED}/{f}"))
                .unwrap_or_else(|e| panic!("shared file {f} is missing: {e}"))
        })
        .collect();
    let deu = std::fs::read_to_string(format!("{SHARED}/deu3/deu3-dev.tsv"))
        .expect("shared DEU file is missing");
    out.push(
        deu.lines()
            .take(6)
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
    );
    out.push(include_bytes!("../../pactum-cli/tests/fixtures/small.toml").to_vec());
    out
}

/// Workbooks: one pactum wrote, one openpyxl wrote, one LibreOffice saved as ods.
fn workbooks() -> Vec<Vec<u8>> {
    let case = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../cases/emission-1994.toml"
    ))
    .expect("shipped case");
    let s = io::read("case.toml", &case, None)
        .expect("reads")
        .scenarios
        .remove(0);
    let mut out = vec![io::workbook::write(&s).expect("writes")];
    for f in [
        "workbooks/emission-table.openpyxl.xlsx",
        "workbooks/us-japan-2014.libreoffice.ods",
    ] {
        out.push(std::fs::read(format!("{SHARED}/{f}")).expect("workbook fixture"));
    }
    out
}

/// Applies byte edits: (where, byte, kind) with kind 0 replace, 1 insert, 2 remove, 3 cut.
fn mutate(bytes: &mut Vec<u8>, edits: Vec<(prop::sample::Index, u8, u8)>) {
    for (at, byte, kind) in edits {
        if bytes.is_empty() {
            break;
        }
        let i = at.index(bytes.len());
        match kind {
            0 => bytes[i] = byte,
            1 => bytes.insert(i, byte),
            2 => {
                bytes.remove(i);
            }
            _ => bytes.truncate(i),
        }
    }
}

fn check(bytes: &[u8], format: Option<Format>) {
    if let Ok(loaded) = io::read("fuzz", bytes, format) {
        for s in &loaded.scenarios {
            assert!(s.validate().is_ok());
            let snap = pactum::Snapshot::modes(s);
            for d in &snap.issues {
                assert!(
                    d.position
                        .iter()
                        .chain(&d.salience)
                        .chain(&d.capability)
                        .all(|x| x.is_finite())
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes, None);
        for f in Format::ALL {
            check(&bytes, Some(f));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        check(text.as_bytes(), None);
        for f in Format::ALL {
            check(text.as_bytes(), Some(f));
        }
    }

    #[test]
    fn mutated_workbooks_never_panic(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..6),
    ) {
        let mut bytes = workbooks()[which].clone();
        mutate(&mut bytes, edits);
        check(&bytes, None);
        check(&bytes, Some(Format::Xlsx));
        check(&bytes, Some(Format::Ods));
    }

    #[test]
    fn mutated_real_files_never_panic(
        which in 0usize..8,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..8),
    ) {
        let corpus = corpus();
        let mut bytes = corpus[which % corpus.len()].clone();
        mutate(&mut bytes, edits);
        check(&bytes, None);
        for f in Format::ALL {
            check(&bytes, Some(f));
        }
    }
}

/// Numbers at and beyond the limits of the integer and float types, as text.
const EXTREMES: [&str; 20] = [
    "0",
    "1",
    "-1",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "340282366920938463463374607431768211456",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "1e309",
    "5e-324",
    "NaN",
    "inf",
    "-0",
];

/// One small file per reader with a `{}` slot where a count or number goes, the field it
/// fills, and the value (if any) for which the file is valid however the rest reads.
struct Template {
    format: Format,
    text: &'static str,
    field: &'static str,
    /// A value for which the file reads and validates (so the slot is really exercised).
    normal: &'static str,
}

const TEMPLATES: &[Template] = &[
    Template {
        format: Format::Ktab,
        text: "T, d, {}, 1,\nActor, Description, Power, X Position, X Salience,\nA, a, 1, 10, 50,\nB, b, 2, 20, 50,\n",
        field: "nActors",
        normal: "2",
    },
    Template {
        format: Format::Ktab,
        text: "T, d, 2, {},\nActor, Description, Power, X Position, X Salience,\nA, a, 1, 10, 50,\nB, b, 2, 20, 50,\n",
        field: "nDims",
        normal: "1",
    },
    Template {
        format: Format::Ktab,
        text: "T, d, 2, 1,\nActor, Description, Power, X Position, X Salience,\nA, a, {}, 10, 50,\nB, b, 2, 20, 50,\n",
        field: "Power",
        normal: "1",
    },
    Template {
        format: Format::Ktab,
        text: "T, d, 2, 1,\nActor, Description, Power, X Position, X Salience,\nA, a, 1, {}, 50,\nB, b, 2, 20, 50,\n",
        field: "X Position",
        normal: "10",
    },
    Template {
        format: Format::Decide,
        text: "#A\ta\n#A\tb\n#P\tx\n#M\tx\t0\n#M\tx\t10\n#D\ta\tx\t2\t0.5\t{}\n#D\tb\tx\t8\t0.5\t1\n",
        field: "power",
        normal: "1",
    },
    Template {
        format: Format::Decide,
        text: "#A\ta\n#A\tb\n#P\tx\n#M\tx\t0\n#M\tx\t{}\n#D\ta\tx\t0\t0.5\t1\n#D\tb\tx\t0\t0.5\t1\n",
        field: "scale value",
        normal: "10",
    },
    Template {
        format: Format::Table,
        text: "actor,capability,position,salience\nA,{},0,0.5\nB,2,10,0.5\n",
        field: "capability",
        normal: "1",
    },
    Template {
        format: Format::Table,
        text: "actor,capability,position,salience_0_1\nA,1,{},0.5\nB,2,3,0.5\n",
        field: "position",
        normal: "10",
    },
    Template {
        format: Format::Schelling,
        text: "{\"question_id\": \"q\", \"actors\": [\n{\"id\": \"a\", \"position\": {\"low\": {}, \"mode\": 10, \"high\": 10}, \"salience\": {\"low\": 50, \"mode\": 50, \"high\": 50}, \"capability\": {\"low\": 1, \"mode\": 1, \"high\": 1}},\n{\"id\": \"b\", \"position\": {\"low\": 20, \"mode\": 20, \"high\": 100}, \"salience\": {\"low\": 50, \"mode\": 50, \"high\": 50}, \"capability\": {\"low\": 2, \"mode\": 2, \"high\": 2}}]}\n",
        field: "position",
        normal: "0",
    },
    Template {
        format: Format::Schelling,
        text: "{\"question_id\": \"q\", \"actors\": [\n{\"id\": \"a\", \"position\": {\"low\": 0, \"mode\": 10, \"high\": 10}, \"salience\": {\"low\": 50, \"mode\": 50, \"high\": 50}, \"capability\": {\"low\": 1, \"mode\": 1, \"high\": {}}},\n{\"id\": \"b\", \"position\": {\"low\": 20, \"mode\": 20, \"high\": 20}, \"salience\": {\"low\": 50, \"mode\": 50, \"high\": 50}, \"capability\": {\"low\": 2, \"mode\": 2, \"high\": 2}}]}\n",
        field: "capability",
        normal: "1",
    },
    Template {
        format: Format::Deu,
        text: "prnr\tisnr\tpcom\tpep\tpde\tscom\tsep\tsde\trp\tout\n\tx\t1\t{}\t1\t\t\t\t\t\np1\ta\t0\t100\t50\t50\t50\t50\t0\t40\np1\tb\t0\t100\t50\t50\t50\t50\t0\t40\n",
        field: "pep",
        normal: "1",
    },
    Template {
        format: Format::Deu,
        text: "prnr\tisnr\tpcom\tpep\tpde\tscom\tsep\tsde\trp\tout\np1\ta\t0\t100\t{}\t50\t50\t50\t0\t40\np1\tb\t0\t100\t50\t50\t50\t50\t0\t40\n",
        field: "pde",
        normal: "50",
    },
    Template {
        format: Format::Toml,
        text: "[[actors]]\nid = \"a\"\ncapability = {}\n[[actors]]\nid = \"b\"\ncapability = 1\n[[issues]]\nid = \"x\"\nscale = { lo = 0, hi = 10 }\n[[stances]]\nactor = \"a\"\nissue = \"x\"\nposition = 1\nsalience = 1\n[[stances]]\nactor = \"b\"\nissue = \"x\"\nposition = 2\nsalience = 1\n",
        field: "capability",
        normal: "1",
    },
    Template {
        format: Format::Toml,
        text: "[[actors]]\nid = \"a\"\ncapability = 1\n[[actors]]\nid = \"b\"\ncapability = 1\n[[issues]]\nid = \"x\"\nscale = { lo = {}, hi = 10 }\n[[stances]]\nactor = \"a\"\nissue = \"x\"\nposition = 1\nsalience = 1\n[[stances]]\nactor = \"b\"\nissue = \"x\"\nposition = 2\nsalience = 1\n",
        field: "scale",
        normal: "0",
    },
];

/// An error must name a line and the column or field; a file that reads must be clean.
fn assert_located_or_valid(t: &Template, value: &str) {
    let text = t.text.replacen("{}", value, 1);
    let what = format!("{} `{}` = {value}", t.format, t.field);
    match io::read("limits", text.as_bytes(), Some(t.format)) {
        Err(e) => {
            assert!(e.location.line.is_some(), "{what}: no line in `{e}`");
            assert!(
                e.location.column.is_some() || e.location.field.is_some(),
                "{what}: neither column nor field in `{e}`"
            );
        }
        Ok(loaded) => {
            for s in &loaded.skipped {
                assert!(
                    s.location.line.is_some() && s.location.field.is_some(),
                    "{what}: skipped row not located: {s}"
                );
            }
            check(text.as_bytes(), Some(t.format));
        }
    }
}

#[test]
fn every_template_reads_with_its_normal_value() {
    for t in TEMPLATES {
        let text = t.text.replacen("{}", t.normal, 1);
        let loaded = io::read("limits", text.as_bytes(), Some(t.format))
            .unwrap_or_else(|e| panic!("{} `{}`: {e}", t.format, t.field));
        assert!(loaded.skipped.is_empty(), "{} `{}`", t.format, t.field);
    }
}

#[test]
fn counts_and_numbers_at_the_integer_limits_give_located_errors() {
    for t in TEMPLATES {
        for v in EXTREMES {
            assert_located_or_valid(t, v);
        }
    }
}

#[test]
fn a_huge_declared_count_is_refused_at_its_field() {
    for t in TEMPLATES
        .iter()
        .filter(|t| t.format == Format::Ktab)
        .take(2)
    {
        for v in EXTREMES.iter().filter(|v| !["1", "2"].contains(v)) {
            let text = t.text.replacen("{}", v, 1);
            let e = io::read("k.csv", text.as_bytes(), Some(Format::Ktab))
                .expect_err("a wrong count is an error");
            assert_eq!(e.location.line, Some(1), "{v}: {e}");
            assert_eq!(e.location.field.as_deref(), Some(t.field), "{v}: {e}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_integer_in_any_slot_never_panics(
        which in 0usize..TEMPLATES.len(),
        n in prop_oneof![
            any::<u64>().prop_map(|x| x.to_string()),
            any::<i64>().prop_map(|x| x.to_string()),
            any::<u128>().prop_map(|x| x.to_string()),
            (u64::MAX - 1024..=u64::MAX).prop_map(|x| x.to_string()),
            ((1u64 << 63) - 512..(1u64 << 63) + 512).prop_map(|x| x.to_string()),
            (0u32..40).prop_map(|k| format!("1e{}", 300 + k)),
        ],
    ) {
        assert_located_or_valid(&TEMPLATES[which], &n);
    }
}
