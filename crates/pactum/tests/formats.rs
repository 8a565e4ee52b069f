//! Files as people have them: DEU III, KTAB and plain tables with any delimiter, schelling
//! case libraries, and a clear list of refusals when no reader accepts a file.

use pactum::io::{self, Format, native};
use pactum::{Scenario, Snapshot};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

fn data(path: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn texts(scenarios: &[Scenario]) -> Vec<String> {
    scenarios.iter().map(native::write).collect()
}

#[test]
fn semicolon_deu_reads_as_the_tab_separated_rows() {
    let semicolon = data("formats/deu3-dev-semicolon.csv");
    assert!(semicolon.starts_with("prnrnmc;isnrnmc;prnr;"));
    assert_eq!(io::guess(&semicolon), Some(Format::Deu));
    let l =
        io::read("deu-semicolon.csv", semicolon.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.format, Some(Format::Deu));
    let tsv: String = data("deu3/deu3-dev.tsv")
        .split('\n')
        .take(10)
        .map(|l| format!("{l}\n"))
        .collect();
    let reference = io::read("deu.tsv", tsv.as_bytes(), None).expect("tsv");
    assert_eq!(l.scenarios.len(), 8);
    assert_eq!(texts(&l.scenarios), texts(&reference.scenarios));
    assert_eq!(l.skipped.len(), reference.skipped.len());
    assert!(
        l.warnings.iter().any(|w| w.message.contains("GDP")),
        "the capability line with decimal commas is read: {:?}",
        l.warnings
    );
}

#[test]
fn comma_deu_with_quoted_delimiters_reads_too() {
    let tsv: Vec<String> = data("deu3/deu3-dev.tsv")
        .split('\n')
        .take(4)
        .map(str::to_string)
        .collect();
    // Comma-separated, with a proposal name that holds the delimiter inside quotes.
    let csv: String = tsv
        .iter()
        .map(|l| {
            l.replace("\"landmines\"", "\"landmines, anti-personnel\"")
                .replace('\t', ",")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let l = io::read("deu.csv", csv.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    let reference = io::read("deu.tsv", tsv.join("\n").as_bytes(), None).expect("tsv");
    assert_eq!(l.scenarios.len(), 2);
    for (a, b) in l.scenarios.iter().zip(&reference.scenarios) {
        assert_eq!(Snapshot::modes(a), Snapshot::modes(b));
        assert_eq!(a.issues[0].question, "landmines, anti-personnel");
    }
}

#[test]
fn semicolon_ktab_with_decimal_commas_reads_as_the_comma_file() {
    let comma = data("cases/ktab/SOE-Pol-Comp.csv");
    let semicolon: String = comma
        .lines()
        .map(|line| {
            // As a spreadsheet exports it: a field holding `;` is quoted.
            let fields: Vec<String> = line
                .split(',')
                .map(|f| match f.contains(';') {
                    true => format!("\"{f}\""),
                    false => f.replace('.', ","),
                })
                .collect();
            format!("{}\n", fields.join(";"))
        })
        .collect();
    assert_eq!(io::guess(&semicolon), Some(Format::Ktab));
    let a = io::read("soe.csv", comma.as_bytes(), None).expect("comma");
    let b =
        io::read("soe-semicolon.csv", semicolon.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(texts(&a.scenarios), texts(&b.scenarios));
}

#[test]
fn table_delimiter_ignores_delimiters_inside_quotes() {
    // Two commas inside the quoted header and two semicolons between fields.
    let text = "\"Actor, country, city\";Capability;Position;Salience\n\
                \"Smith, J.\";2;10;0,5\n\
                Jones;1;30;0,9\n";
    let l = io::read("t.csv", text.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    let s = &l.scenarios[0];
    assert_eq!(s.actors[0].name, "Smith, J.");
    assert_eq!(s.stances[0].salience.mode, 0.5);
}

#[test]
fn a_schelling_case_library_gives_one_scenario_per_case() {
    let text = data("formats/schelling-library.json");
    let l = io::read("library.json", text.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.format, Some(Format::Schelling));
    let singles = [
        "emission1994",
        "emission1994_widened",
        "ktab_soe_policy.challenge",
    ];
    assert_eq!(l.scenarios.len(), singles.len());
    for (s, name) in l.scenarios.iter().zip(singles) {
        let path = format!("peers/schelling/{name}.input.json");
        let single = io::read(&path, data(&path).as_bytes(), None).expect("single");
        let one = &single.scenarios[0];
        assert_eq!(Snapshot::modes(s), Snapshot::modes(one), "{name}");
        assert_eq!(
            s.issues,
            one.issues
                .iter()
                .map(|i| {
                    let mut i = i.clone();
                    i.origin = s.issues[0].origin.clone();
                    i
                })
                .collect::<Vec<_>>(),
            "{name}"
        );
        assert_eq!(s.frozen_at, one.frozen_at, "{name}");
        assert!(
            s.title.contains(name),
            "{name}: title from metadata: {}",
            s.title
        );
        assert_eq!(s.sources, vec![format!("testdata/{path}")], "{name}");
    }
    assert_eq!(
        l.scenarios[0].issues[0].id, "Q-1994-EMISSIONS",
        "question_id from metadata"
    );
    assert!(l.warnings.iter().any(|w| w.message.contains("3 cases")));
}

#[test]
fn a_bad_case_in_a_library_is_named() {
    let mut text = data("formats/schelling-library.json");
    let second = text
        .match_indices("\"actors\"")
        .nth(1)
        .expect("two cases")
        .0;
    text.replace_range(second..second + 8, "\"players\"");
    let e = io::read("library.json", text.as_bytes(), None).unwrap_err();
    assert_eq!(e.location.field.as_deref(), Some("cases[1]"), "{e}");
    assert!(e.message.contains("Q-1994-EMISSIONS-WIDENED"), "{e}");
    let e = io::read("empty.json", b"{\"cases\": []}", None).unwrap_err();
    assert!(e.message.contains("no cases"), "{e}");
}

#[test]
fn an_unrecognised_file_lists_every_reader_and_its_refusal() {
    let text = "Minutes of the meeting\nEveryone agreed to disagree.\n";
    assert_eq!(io::guess(text), None);
    let e = io::read("minutes.txt", text.as_bytes(), None).unwrap_err();
    let msg = e.to_string();
    for f in Format::TEXT {
        assert!(msg.contains(&format!("- {f}: ")), "{f} missing from: {msg}");
    }
    assert!(msg.contains("--input-format"), "{msg}");
    assert!(
        !msg.contains("expected `=`\n  hint"),
        "not the last parser's complaint alone"
    );
    // A file whose name promises TOML gets TOML's own error instead.
    let e = io::read("minutes.toml", text.as_bytes(), None).unwrap_err();
    assert!(!e.message.contains("no reader accepts"), "{e}");
    assert_eq!(e.location.line, Some(1), "{e}");
}

#[test]
fn detection_still_knows_every_shared_file() {
    for (path, format) in [
        (
            "cases/bdm/bdm1994_ec_emission_standards_actors.csv",
            Format::Table,
        ),
        ("cases/ktab/SOE-Pol-Comp.csv", Format::Ktab),
        ("cases/ktab/SOE-Policy-table.csv", Format::Table),
        ("cases/decide/sample_data.txt", Format::Decide),
        ("cases/decide/copenhagen.csv", Format::Decide),
        ("peers/schelling/emission1994.input.json", Format::Schelling),
        ("deu3/deu3-dev.tsv", Format::Deu),
    ] {
        assert_eq!(io::guess(&data(path)), Some(format), "{path}");
    }
    let case = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../cases/us-japan-2014.toml"
    ))
    .expect("case");
    assert_eq!(io::guess(&case), Some(Format::Toml));
}
