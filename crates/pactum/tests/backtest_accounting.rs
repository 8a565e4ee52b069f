//! Nothing is dropped silently: every data row of a DEU file is scored, listed as not
//! scored (no outcome) or listed as skipped with its reason, and the three add up to the
//! rows in the file, under every capability rule and grouping, on the dev file and on
//! generated copies whose `intro` dates disagree with their proposal numbers.

use pactum::backtest::{self, ModelRun};
use pactum::backtest::{Capability, Dataset, DeuOptions, Grouping, Options, Report, Validation};
use std::collections::BTreeMap;

const DEV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/deu3/deu3-dev.tsv"
);

fn dev_text() -> String {
    std::fs::read_to_string(DEV).expect("testdata/deu3/deu3-dev.tsv must exist")
}

/// Line numbers (1-based) of the data rows, counted without the reader: every non-blank
/// line after the header except a second line with a blank `isnr` (the capability line).
fn data_lines(text: &str) -> Vec<usize> {
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let isnr = head
        .iter()
        .position(|h| h.trim_matches('"') == "isnr")
        .unwrap();
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let id = line.split('\t').nth(isnr).unwrap_or("").trim_matches('"');
        if k == 1 && id.is_empty() {
            continue;
        }
        out.push(k + 1);
    }
    out
}

/// Every data line appears exactly once among cases, unscored and skipped rows.
fn assert_accounted(d: &Dataset, text: &str, what: &str) {
    let expected = data_lines(text);
    let mut seen: BTreeMap<usize, &str> = BTreeMap::new();
    let mut record = |line: Option<usize>, kind: &'static str| {
        let line = line.unwrap_or_else(|| panic!("{what}: a {kind} row has no line"));
        if let Some(before) = seen.insert(line, kind) {
            panic!("{what}: line {line} is both {before} and {kind}");
        }
    };
    d.cases.iter().for_each(|c| record(c.line, "scored"));
    d.unscored.iter().for_each(|u| record(u.line, "not scored"));
    d.skipped.iter().for_each(|s| record(s.line, "skipped"));
    let got: Vec<usize> = seen.keys().copied().collect();
    assert_eq!(got, expected, "{what}: rows not accounted for");
    assert_eq!(
        d.cases.len() + d.unscored.len() + d.skipped.len(),
        d.rows,
        "{what}: counts"
    );
    assert_eq!(d.rows, expected.len(), "{what}: rows in the file");
}

fn every_option() -> Vec<DeuOptions> {
    let mut out = Vec::new();
    for c in Capability::ALL {
        for g in [Grouping::Proposal, Grouping::Issue] {
            out.push(DeuOptions {
                grouping: g,
                ..DeuOptions::new(c)
            });
        }
    }
    out
}

fn quick_report(d: &Dataset) -> Report {
    let options = Options {
        runs: ModelRun::for_models(&pactum::models::baselines()),
        validation: Validation::None,
        replicates: 50,
        ..Options::default()
    };
    backtest::run(d, &options).expect("runs")
}

#[test]
fn every_dev_row_is_scored_unscored_or_skipped() {
    let text = dev_text();
    assert_eq!(
        data_lines(&text).len(),
        172,
        "the shared README: 172 issues"
    );
    for o in every_option() {
        let d = Dataset::from_deu("dev.tsv", &text, o).unwrap();
        assert_accounted(&d, &text, &format!("{o:?}"));
        assert_eq!(
            (d.cases.len(), d.unscored.len(), d.skipped.len()),
            (167, 5, 0)
        );
    }
    let r = quick_report(&Dataset::from_deu("dev.tsv", &text, every_option()[4]).unwrap());
    assert_eq!(r.n_issues + r.n_unscored + r.n_skipped, r.n_rows);
    assert!(backtest::render::table(&r).contains("172 rows in all"));
}

/// The dev file with the `intro` of the given rows (0-based among data rows) replaced.
fn with_intro(text: &str, edits: &[(usize, &str)]) -> String {
    let head: Vec<&str> = text.lines().next().unwrap().split('\t').collect();
    let intro = head
        .iter()
        .position(|h| h.trim_matches('"') == "intro")
        .unwrap();
    let data = data_lines(text);
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for (row, date) in edits {
        let k = data[*row] - 1;
        let mut cells: Vec<String> = lines[k].split('\t').map(String::from).collect();
        cells[intro] = format!("\"{date}\"");
        lines[k] = cells.join("\t");
    }
    lines.join("\n")
}

/// (prnr, data-row indices) of proposals with at least two rows.
fn multi_row_proposals(text: &str) -> Vec<(String, Vec<usize>)> {
    let head: Vec<&str> = text.lines().next().unwrap().split('\t').collect();
    let prnr = head
        .iter()
        .position(|h| h.trim_matches('"') == "prnr")
        .unwrap();
    let mut by: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let lines: Vec<&str> = text.lines().collect();
    for (row, line) in data_lines(text).into_iter().enumerate() {
        let p = lines[line - 1]
            .split('\t')
            .nth(prnr)
            .unwrap()
            .trim_matches('"');
        by.entry(p.to_string()).or_default().push(row);
    }
    by.into_iter().filter(|(_, v)| v.len() >= 2).collect()
}

#[test]
fn a_bad_date_on_one_row_costs_that_row_only() {
    let text = dev_text();
    let multi = multi_row_proposals(&text);
    // Pick a pre-Nice proposal (a 1990s number) with at least two rows.
    let (prnr, rows) = multi
        .iter()
        .find(|(p, _)| p[1..3].parse::<u32>().is_ok_and(|y| y >= 96))
        .expect("a 1990s proposal with several issues");
    let year = 1900 + prnr[1..3].parse::<i32>().unwrap();
    let same_regime = format!("01-02-{:02}", (year + 1) % 100);
    let other_regime = "01-02-2010";
    let edited = with_intro(&text, &[(rows[0], &same_regime), (rows[1], other_regime)]);
    let o = DeuOptions::new(Capability::Council);
    let d = Dataset::from_deu("gen.tsv", &edited, o).unwrap();
    assert_accounted(&d, &edited, "edited dev file");
    // The row off by a year within the same regime: a warning, still scored or listed.
    let lines = data_lines(&edited);
    let warned = lines[rows[0]];
    assert!(
        d.warnings
            .iter()
            .any(|w| w.location.line == Some(warned) && w.message.contains("pre-Nice")),
        "{:?}",
        d.warnings
    );
    assert!(!d.skipped.iter().any(|s| s.line == Some(warned)));
    // The row in another regime: skipped with its reason, alone.
    let skipped = lines[rows[1]];
    assert_eq!(d.skipped.len(), 1, "{:?}", d.skipped);
    assert_eq!(d.skipped[0].line, Some(skipped));
    assert!(d.skipped[0].location.contains("intro"));
    assert!(d.skipped[0].message.contains("ambiguous"));
    // The proposal's other rows are still there.
    let kept = d
        .groups
        .iter()
        .filter(|g| g.id == *prnr)
        .map(|g| g.scenario.issues.len())
        .sum::<usize>();
    assert_eq!(kept, rows.len() - 1);
    // The warning is part of the backtest output.
    let table = backtest::render::table(&quick_report(&d));
    assert!(table.contains("Warnings (") && table.contains(&format!("gen.tsv:{warned}")));
}

/// A small deterministic generator (xorshift) so the test needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn generated_files_with_disagreeing_dates_add_up() {
    let text = dev_text();
    let n = data_lines(&text).len();
    let (mut warned, mut skipped) = (0, 0);
    for seed in 1..=12u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut edits: Vec<(usize, String)> = Vec::new();
        for row in 0..n {
            if rng.next(3) != 0 {
                continue;
            }
            let (d, m) = (1 + rng.next(28), 1 + rng.next(12));
            let date = match rng.next(4) {
                0 => format!("{d:02}-{m:02}-{:02}", rng.next(100)),
                1 => format!("{}-{m:02}-{d:02}", 1990 + rng.next(40)),
                2 => format!("{d:02}-{m:02}-{}", 1995 + rng.next(25)),
                _ => "not a date".to_string(),
            };
            edits.push((row, date));
        }
        let refs: Vec<(usize, &str)> = edits.iter().map(|(r, d)| (*r, d.as_str())).collect();
        let edited = with_intro(&text, &refs);
        for o in every_option() {
            let d = Dataset::from_deu("gen.tsv", &edited, o).unwrap();
            assert_accounted(&d, &edited, &format!("seed {seed}, {o:?}"));
            if o.capability != Capability::Council {
                assert!(d.skipped.is_empty(), "dates matter only under council");
            } else {
                warned += d
                    .warnings
                    .iter()
                    .filter(|w| w.message.contains("regime, which is used"))
                    .count();
                skipped += d.skipped.len();
            }
        }
    }
    // The generator reaches both outcomes: warnings (same regime) and skips (ambiguous).
    assert!(
        warned > 0 && skipped > 0,
        "warned {warned}, skipped {skipped}"
    );
}
