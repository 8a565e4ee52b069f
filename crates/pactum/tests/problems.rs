//! `Scenario::problems`: every problem at once, each with its actor, issue and field.

use pactum::{Actor, Estimate, Issue, Scale, Scenario, Stance, Target};

fn actor(id: &str, cap: f64) -> Actor {
    Actor {
        id: id.into(),
        name: String::new(),
        capability: Estimate::point(cap),
        group: None,
        sources: Vec::new(),
        notes: None,
        origin: Default::default(),
    }
}

fn stance(actor: &str, issue: &str, position: Estimate, salience: Estimate) -> Stance {
    Stance {
        actor: actor.into(),
        issue: issue.into(),
        position,
        salience,
        capability: None,
        sources: Vec::new(),
        notes: None,
        origin: Default::default(),
    }
}

fn valid() -> Scenario {
    let p = Estimate::point;
    Scenario {
        title: "t".into(),
        actors: vec![actor("a", 1.0), actor("b", 2.0), actor("c", 3.0)],
        issues: vec![
            Issue::new("x", Scale::new(0.0, 100.0)),
            Issue::new("y", Scale::new(-1.0, 1.0)),
        ],
        stances: vec![
            stance("a", "x", p(10.0), p(0.5)),
            stance("b", "x", p(90.0), p(0.5)),
            stance("a", "y", p(-0.5), p(0.5)),
            stance("c", "y", p(0.5), p(0.9)),
        ],
        ..Scenario::default()
    }
}

fn target(actor: Option<&str>, issue: Option<&str>, field: &str) -> Target {
    Target {
        actor: actor.map(String::from),
        issue: issue.map(String::from),
        field: field.into(),
    }
}

#[test]
fn a_valid_scenario_has_no_problem() {
    let s = valid();
    assert!(s.problems().is_empty());
    assert!(s.validate().is_ok());
}

#[test]
fn every_problem_is_listed_with_its_target_and_validate_gives_the_first() {
    let mut s = valid();
    // The mode outside its own range, a position beyond the scale, a negative capability.
    s.stances[1].salience = Estimate::range(0.25, 0.95, 0.6);
    s.stances[2].position = Estimate::point(3.0);
    s.actors[2].capability = Estimate::point(-1.0);
    let problems = s.problems();
    let targets: Vec<&Target> = problems.iter().map(|p| &p.target).collect();
    assert_eq!(
        targets,
        vec![
            &target(Some("c"), None, "capability"),
            &target(Some("b"), Some("x"), "salience"),
            &target(Some("a"), Some("y"), "position"),
        ]
    );
    assert!(problems[1].error.message.contains("low <= mode <= high"));
    assert!(problems[2].error.message.contains("outside [-1, 1]"));
    assert_eq!(s.validate().unwrap_err(), problems[0].error);
}

#[test]
fn an_empty_scenario_says_both_what_is_missing() {
    let s = Scenario {
        title: "new".into(),
        ..Scenario::default()
    };
    let fields: Vec<String> = s.problems().into_iter().map(|p| p.target.field).collect();
    assert_eq!(fields, vec!["actors", "issues"]);
}

#[test]
fn an_issue_with_one_stance_and_an_unknown_actor_are_both_reported() {
    let mut s = valid();
    s.stances[3].actor = "nobody".into();
    s.stances.remove(1);
    let problems = s.problems();
    let targets: Vec<&Target> = problems.iter().map(|p| &p.target).collect();
    assert_eq!(
        targets,
        vec![
            &target(Some("nobody"), Some("y"), "actor"),
            &target(None, Some("x"), "stances"),
        ]
    );
}
