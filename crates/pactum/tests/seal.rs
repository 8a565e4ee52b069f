//! Sealed forecasts: round trip, one-byte edits, other results, scoring.

use pactum::Params;
use pactum::seal::{self, Request, Seal};

const FLAGSHIP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../cases/us-japan-2014.toml"
);

fn flagship() -> pactum::Scenario {
    let bytes = std::fs::read(FLAGSHIP).unwrap();
    pactum::io::read(FLAGSHIP, &bytes, None)
        .unwrap()
        .scenarios
        .remove(0)
}

fn request(draws: u64) -> Request {
    Request {
        model: "compromise".into(),
        params: Params::new(),
        seed: 7,
        draws,
        sealed_at: "2026-12-01T00:00:00Z".into(),
    }
}

#[test]
fn seal_then_verify_holds_and_is_deterministic() {
    let a = seal::seal(&flagship(), &request(200)).unwrap();
    let b = seal::seal(&flagship(), &request(200)).unwrap();
    assert_eq!(a.render(), b.render());
    assert_eq!(a.sha256, a.seal.hash());
    assert_eq!(a.seal.issues.len(), 5);
    for i in &a.seal.issues {
        assert!(i.interval_80[0] <= i.interval_50[0] && i.interval_50[1] <= i.interval_80[1]);
        assert!(i.scale[0] <= i.interval_80[0] && i.interval_80[1] <= i.scale[1]);
    }
    let v = seal::verify("a.seal.json", &a.render());
    assert!(v.ok(), "{:?}", v.problems);
    assert!(v.notes.is_empty());
}

#[test]
fn a_seal_edited_by_one_byte_fails_verify() {
    let text = seal::seal(&flagship(), &request(0)).unwrap().render();
    let bytes = text.as_bytes();
    // 60 positions spread over the file, each changed to another printable byte.
    for k in 0..60 {
        let at = k * (bytes.len() - 1) / 59;
        let mut edited = bytes.to_vec();
        edited[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
        let edited = String::from_utf8_lossy(&edited).into_owned();
        let v = seal::verify("x.seal.json", &edited);
        assert!(
            !v.ok(),
            "byte {at} ({:?}) edited, yet the seal holds",
            bytes[at] as char
        );
        assert!(
            v.problems.iter().any(|p| p.starts_with("edited file")),
            "byte {at}: {:?}",
            v.problems
        );
    }
}

#[test]
fn a_rehashed_edit_of_the_result_is_reported_as_another_result() {
    let mut s = seal::seal(&flagship(), &request(0)).unwrap();
    s.seal.issues[1].forecast += 1.0;
    s.sha256 = s.seal.hash();
    let v = seal::verify("x.seal.json", &s.render());
    assert!(!v.ok());
    assert!(
        v.problems.iter().any(|p| p.starts_with("other result")
            && p.contains("beef-tariff")
            && p.contains("forecast")),
        "{:?}",
        v.problems
    );
    // Another version that gives the same result is a note, not a failure...
    let mut s = seal::seal(&flagship(), &request(0)).unwrap();
    s.seal.pactum_version = "0.0.1".into();
    s.sha256 = s.seal.hash();
    let v = seal::verify("x.seal.json", &s.render());
    assert!(v.ok(), "{:?}", v.problems);
    assert!(v.notes[0].contains("0.0.1"));
    // ...and with a different result, both are named.
    s.seal.issues[0].interval_80[0] -= 0.5;
    s.sha256 = s.seal.hash();
    let v = seal::verify("x.seal.json", &s.render());
    assert!(
        v.problems
            .iter()
            .any(|p| p.starts_with("other version and other result"))
    );
}

#[test]
fn score_on_the_flagship_with_its_recorded_outcomes() {
    let s = seal::seal(&flagship(), &request(0)).unwrap();
    let board = seal::score(&[("c.seal.json".into(), s.clone())], &[]).unwrap();
    assert_eq!(board.issues.len(), 5);
    assert!(board.pending.is_empty());
    let m = &board.models[0];
    // Same MAE as the backtest of the flagship case (docs/backtest.md: 7.74).
    assert!((m.mae - 7.74).abs() < 0.005, "{}", m.mae);
    // Coverage counted by hand from the intervals.
    let in80 = s
        .seal
        .issues
        .iter()
        .zip(&board.issues)
        .filter(|(i, g)| i.interval_80[0] <= g.outcome && g.outcome <= i.interval_80[1])
        .count();
    assert_eq!(m.coverage_80, in80 as f64 / 5.0);
    assert!(
        board
            .issues
            .iter()
            .all(|i| i.outcome_source == "recorded in the sealed scenario")
    );
}

#[test]
fn outcomes_from_a_csv_take_precedence_and_unknown_ones_are_pending() {
    let mut scenario = flagship();
    scenario.issues[4].outcome = None;
    let s = seal::seal(&scenario, &request(0)).unwrap();
    let csv = "issue,outcome\ng20-fx,30\n";
    let outcomes = seal::read_outcomes_csv("o.csv", csv).unwrap();
    let board = seal::score(&[("c.seal.json".into(), s)], &outcomes).unwrap();
    assert_eq!(board.issues.len(), 4);
    assert_eq!(board.issues[0].outcome, 30.0);
    assert_eq!(board.issues[0].outcome_source, "o.csv:2: field `outcome`");
    assert_eq!(board.pending.len(), 1);
    assert_eq!(board.pending[0].issue, "collective-self-defense");
}

#[test]
fn an_outcome_outside_the_scale_is_refused_with_its_location() {
    let s = seal::seal(&flagship(), &request(0)).unwrap();
    let outcomes =
        seal::read_outcomes_csv("o.csv", "issue,outcome\nbeef-tariff,9\ncar-tariff,31\n").unwrap();
    let err = seal::score(&[("c.seal.json".into(), s)], &outcomes).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("o.csv:3"), "{text}");
    assert!(text.contains("outcome"), "{text}");
    assert!(text.contains("outside its scale 0–30"), "{text}");
}

#[test]
fn a_seal_file_that_is_not_json_is_an_edited_file() {
    let v = seal::verify("x.seal.json", "{ not json");
    assert!(!v.ok());
    assert!(v.problems[0].contains("x.seal.json:1"), "{:?}", v.problems);
    assert!(Seal::parse("x", "{}").is_err());
}
