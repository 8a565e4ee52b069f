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
