//! Hand-worked cases of the procedural model (each worked out in
//! `docs/models/procedural.md`).

use super::*;

fn voters(list: &[(f64, f64)]) -> Vec<Voter> {
    list.iter()
        .enumerate()
        .map(|(k, (x, w))| Voter {
            id: format!("v{k}"),
            weight: *w,
            ideal: Some(*x),
        })
        .collect()
}

fn play(setter: f64, q: f64, council: &[(f64, f64)], ep: Option<f64>, rule: &Rule) -> f64 {
    let g = Game {
        setter,
        q,
        voters: voters(council),
        parliament: ep,
        scale: (0.0, 100.0),
    };
    outcome(&g, rule, true).outcome
}

const MAJ: Rule = Rule::Weighted(4.0 / 7.0);

#[test]
fn setter_at_100_reversion_0_pivot_at_40_gives_80() {
    // Weights 3, 2, 2 at 10, 40, 90; 4 of 7 needed. Upwards the members at 90 and 40
    // carry it: pivot 40, who accepts anything up to 2·40 − 0 = 80. The unanimity core is
    // [10, 90], so 80 stands.
    assert_eq!(
        play(
            100.0,
            0.0,
            &[(10.0, 3.0), (40.0, 2.0), (90.0, 2.0)],
            None,
            &MAJ
        ),
        80.0
    );
}

#[test]
fn the_unanimity_core_and_the_parliament_cap_the_setter() {
    // The most extreme member at 70: any proposal above 70 would be amended unanimously.
    assert_eq!(
        play(
            100.0,
            0.0,
            &[(10.0, 3.0), (40.0, 2.0), (70.0, 2.0)],
            None,
            &MAJ
        ),
        70.0
    );
    // Co-decision, Parliament at 30: it accepts only [0, 60] over the reversion 0.
    let council = [(10.0, 3.0), (40.0, 2.0), (90.0, 2.0)];
    assert_eq!(play(100.0, 0.0, &council, Some(30.0), &MAJ), 60.0);
    // Parliament beyond the setter changes nothing.
    assert_eq!(play(100.0, 0.0, &council, Some(100.0), &MAJ), 80.0);
}

#[test]
fn gatekeeping_and_unanimity() {
    let council = [(10.0, 3.0), (40.0, 2.0), (90.0, 2.0)];
    // Setter at 0, reversion 20: the Council would only move up; the setter keeps 20.
    assert_eq!(play(0.0, 20.0, &council, None, &MAJ), 20.0);
    // The setter's ideal inside the acceptable set: it gets it.
    assert_eq!(play(50.0, 0.0, &council, None, &MAJ), 50.0);
    // Unanimity: the member at 10 is pivotal, accepting up to 20; the core starts at 10.
    assert_eq!(play(100.0, 0.0, &council, None, &Rule::Unanimity), 20.0);
    // Moves down: reversion 90, setter 0; downwards the members at 10 and 40 (5 ≥ 4) are
    // a winning coalition: pivot 40, who accepts down to 2·40 − 90 = −10; the core stops
    // at 10, so 10.
    assert_eq!(play(0.0, 90.0, &council, None, &MAJ), 10.0);
}

fn eu(date: Date, positions: &[(&str, f64)]) -> Vec<Voter> {
    voting::members(date)
        .into_iter()
        .map(|(code, weight)| Voter {
            id: code.into(),
            weight,
            ideal: positions.iter().find(|p| p.0 == code).map(|p| p.1),
        })
        .collect()
}

fn play_eu(date: Date, positions: &[(&str, f64)], absent_support: bool) -> f64 {
    let g = Game {
        setter: 100.0,
        q: 0.0,
        voters: eu(date, positions),
        parliament: None,
        scale: (0.0, 100.0),
    };
    outcome(&g, &Rule::Qualified(date), absent_support).outcome
}

#[test]
fn pre_nice_qualified_majority_by_hand() {
    let date = (1999, 6, 1);
    let all = |big: f64| -> Vec<(&str, f64)> {
        voting::members(date)
            .into_iter()
            .map(|(c, _)| {
                let big_four = ["de", "fr", "it", "uk"].contains(&c);
                (c, if big_four { big } else { 100.0 })
            })
            .collect()
    };
    // The four large members (40 of 87 votes) at 0 block: the others hold 47 < 62.
    assert_eq!(play_eu(date, &all(0.0), true), 0.0);
    // The same four at 40 are pivotal: 47 + 40 ≥ 62 only with them, so 2·40 = 80.
    assert_eq!(play_eu(date, &all(40.0), true), 80.0);
    // Only the United Kingdom (10) at 0: the other 77 ≥ 62 carry the setter's 100.
    let mut uk_alone: Vec<(&str, f64)> = all(100.0);
    uk_alone
        .iter_mut()
        .filter(|p| p.0 == "uk")
        .for_each(|p| p.1 = 0.0);
    assert_eq!(play_eu(date, &uk_alone, true), 100.0);
    // Only Germany and France take positions (both at 100): the 67 silent votes decide.
    let two = [("de", 100.0), ("fr", 100.0)];
    assert_eq!(play_eu(date, &two, true), 100.0);
    assert_eq!(play_eu(date, &two, false), 0.0);
}

#[test]
fn lisbon_double_majority_by_hand() {
    // 2016: Germany, France, Italy and the UK (53.8 % of the population) at 0 block a move;
    // three of them are not a blocking minority.
    let date = (2016, 6, 1);
    let with = |zero: &[&str]| -> Vec<(&str, f64)> {
        voting::members(date)
            .into_iter()
            .map(|(c, _)| (c, if zero.contains(&c) { 0.0 } else { 100.0 }))
            .collect()
    };
    assert_eq!(play_eu(date, &with(&["de", "fr", "it", "uk"]), true), 0.0);
    assert_eq!(play_eu(date, &with(&["de", "fr", "uk"]), true), 100.0);
}

#[test]
fn settings_need_a_procedure_and_a_rule() {
    let e = settings(&Params::new()).unwrap_err();
    assert!(matches!(e, ModelError::Unsuitable(_)), "{e}");
    assert!(
        e.to_string().contains("procedure") && e.to_string().contains("rule"),
        "{e}"
    );
    let p = Params::new()
        .set("procedure", "consultation")
        .set("rule", "qmv");
    assert!(settings(&p).unwrap_err().to_string().contains("date"));
    let p = p.set("date", "2005-13-01");
    assert!(matches!(
        settings(&p).unwrap_err(),
        ModelError::Parameter { .. }
    ));
    let p = Params::new()
        .set("procedure", "co-decision")
        .set("rule", "qmv");
    assert!(matches!(
        settings(&p).unwrap_err(),
        ModelError::Parameter { .. }
    ));
    let p = Params::new()
        .set("procedure", "consultation")
        .set("rule", "weighted")
        .set("quota", "0");
    assert!(matches!(
        settings(&p).unwrap_err(),
        ModelError::Parameter { .. }
    ));
}

#[test]
fn a_generic_scenario_with_a_named_setter_and_rule() {
    // Actors a0 (setter, ideal 100), a1..a3 voting by capability with quota 4/7.
    let snap = Snapshot::single_issue(
        0.0,
        100.0,
        Some(0.0),
        &[
            (100.0, 1.0, 1.0),
            (10.0, 1.0, 3.0),
            (40.0, 1.0, 2.0),
            (90.0, 1.0, 2.0),
        ],
    );
    let p = Params::new()
        .set("procedure", "consultation")
        .set("rule", "weighted")
        .set("quota", &(4.0f64 / 7.0).to_string())
        .set("setter", "a0");
    let f = Procedural.solve(&snap, &p).unwrap();
    assert!((f.issues[0].forecast - 80.0).abs() < 1e-9);
    assert_eq!(
        Procedural.forecast_values(&snap, &p).unwrap(),
        vec![Some(f.issues[0].forecast)]
    );
    // Without the setter among the actors: unsuitable, naming it.
    let e = Procedural
        .solve(&snap, &p.clone().set("setter", "com"))
        .unwrap_err();
    assert!(e.to_string().contains("`com`"), "{e}");
    // Without a reference point: unsuitable, saying so.
    let mut none = snap.clone();
    none.issues[0].reference = None;
    let e = Procedural.solve(&none, &p).unwrap_err();
    assert!(e.to_string().contains("reference point"), "{e}");
}

#[test]
fn deu_attributes_become_parameters() {
    let text = r#"
[[actors]]
id = "com"
capability = 1
[[issues]]
id = "i1"
scale = { lo = 0, hi = 100 }
attributes = { proc = "COD", counvte = "QMV", intro = "2029-09-04", prnr = "d04218" }
[[issues]]
id = "i2"
scale = { lo = 0, hi = 100 }
attributes = { proc = "COD", counvte = "QMV", intro = "2029-09-04", prnr = "d04218" }
"#;
    let mut s: Scenario = toml::from_str(text).unwrap();
    let got = Procedural.scenario_params(&s);
    assert!(got.contains(&("procedure".into(), "codecision".into())));
    assert!(got.contains(&("rule".into(), "qmv".into())));
    assert!(got.contains(&("date".into(), "2004-09-29".into())));
    // Issues that disagree give no procedure.
    s.issues[1].attributes.insert("proc".into(), "CNS".into());
    let got = Procedural.scenario_params(&s);
    assert!(!got.iter().any(|(k, _)| k == "procedure"));
}

#[test]
fn conciliation_splits_the_difference_with_the_council_core() {
    // Weights 3, 2, 2 at 10, 40, 90, quota 4/7: both pivots at 40, so the Council's core
    // is {40}. Parliament at 100: midpoint 70, inside the acceptable [10, 80].
    let g = |ep: f64| Game {
        setter: 100.0,
        q: 0.0,
        voters: voters(&[(10.0, 3.0), (40.0, 2.0), (90.0, 2.0)]),
        parliament: Some(ep),
        scale: (0.0, 100.0),
    };
    assert_eq!(conciliation(&g(100.0), &MAJ, true).outcome, 70.0);
    // Parliament at 30: midpoint 35, acceptable [10, 60] (the veto solution was 60).
    assert_eq!(conciliation(&g(30.0), &MAJ, true).outcome, 35.0);
    assert_eq!(outcome(&g(30.0), &MAJ, true).outcome, 60.0);
    // Parliament at 0 = the reversion: it accepts nothing else, so 0 stays.
    assert_eq!(conciliation(&g(0.0), &MAJ, true).outcome, 0.0);
}
