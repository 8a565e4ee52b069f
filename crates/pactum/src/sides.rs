//! Two-level scenario data: checking the `[[sides]]` of a scenario, and their numeric view
//! in a [`crate::Snapshot`].
//!
//! A side has a negotiator, domestic members (all issues or per issue) and an optional
//! ratification rule; see `docs/scenario-format.md` and `docs/models/twolevel.md`.

use crate::error::InputError;
use crate::scenario::{Members, Scenario, Side};
use crate::snapshot::IssueData;
use std::collections::{HashMap, HashSet};

/// One side on one issue, as indices into the issue's participants.
#[derive(Debug, Clone, PartialEq)]
pub struct SideIssue {
    /// Index of the issue in the snapshot.
    pub issue: usize,
    /// Participant index (into [`IssueData`]'s vectors) of the negotiator.
    pub negotiator: usize,
    /// Participant indices of the members with a stance on the issue, in stance order.
    pub members: Vec<usize>,
    /// Whether the side ratifies on this issue (it has a rule).
    pub ratifies: bool,
    /// Share of the arena's weight that must prefer the deal, 0–1, if the rule has one.
    pub threshold: Option<f64>,
    /// Participant indices of the veto players with a stance on the issue.
    pub veto: Vec<usize>,
}

/// A side as numbers: which participants of which issues form it.
#[derive(Debug, Clone, PartialEq)]
pub struct SideData {
    /// The side's id.
    pub id: String,
    /// Index into [`crate::Snapshot::actor_ids`] of its negotiator.
    pub negotiator: usize,
    /// One entry per issue the side takes part in, in issue order.
    pub issues: Vec<SideIssue>,
}

impl SideData {
    /// The side's entry on snapshot issue `i`, if it takes part there.
    pub fn on(&self, i: usize) -> Option<&SideIssue> {
        self.issues.iter().find(|s| s.issue == i)
    }
}

/// Builds the numeric view of every side, given the snapshot's issues (filled in stance
/// order) and actor ids. Sides of an unvalidated scenario whose ids do not resolve are
/// skipped where they do not.
pub fn snapshot_sides(
    scenario: &Scenario,
    actor_ids: &[String],
    issues: &[IssueData],
) -> Vec<SideData> {
    let actor_index = |id: &str| actor_ids.iter().position(|a| a == id);
    let mut out = Vec::new();
    for side in &scenario.sides {
        let Some(neg) = actor_index(&side.negotiator) else {
            continue;
        };
        let mut entries = Vec::new();
        for issue_id in side.issues(scenario) {
            let Some(i) = scenario.issues.iter().position(|x| x.id == issue_id) else {
                continue;
            };
            let Some(d) = issues.get(i) else { continue };
            let slot = |a: usize| d.actors.iter().position(|&x| x == a);
            let Some(negotiator) = slot(neg) else {
                continue;
            };
            let listed: HashSet<usize> = side
                .members_on(issue_id)
                .iter()
                .filter_map(|m| actor_index(m))
                .collect();
            let members: Vec<usize> = (0..d.actors.len())
                .filter(|&k| k != negotiator && listed.contains(&d.actors[k]))
                .collect();
            let rule = side.ratification.as_ref();
            let veto = rule
                .map(|r| {
                    r.veto
                        .iter()
                        .filter_map(|v| actor_index(v).and_then(slot))
                        .collect()
                })
                .unwrap_or_default();
            entries.push(SideIssue {
                issue: i,
                negotiator,
                members,
                ratifies: rule.is_some(),
                threshold: rule.and_then(|r| r.threshold),
                veto,
            });
        }
        out.push(SideData {
            id: side.id.clone(),
            negotiator: neg,
            issues: entries,
        });
    }
    out
}

/// Checks the sides: known and unique ids, a negotiator with a stance on each of the side's
/// issues, no actor in two sides on the same issue, thresholds 0–1, veto players of the
/// side, and a reference point on every issue where a side ratifies.
pub fn validate(scenario: &Scenario) -> Result<(), InputError> {
    let actors: HashSet<&str> = scenario.actors.iter().map(|a| a.id.as_str()).collect();
    let issues: HashMap<&str, usize> = scenario
        .issues
        .iter()
        .enumerate()
        .map(|(k, i)| (i.id.as_str(), k))
        .collect();
    let mut ids = HashSet::new();
    // (issue, actor) → side id, to find an actor in two sides on the same issue.
    let mut owner: HashMap<(&str, &str), &str> = HashMap::new();
    for side in &scenario.sides {
        let at = |field: &str| side.origin.with_field(field);
        if side.id.trim().is_empty() {
            return Err(InputError::new(
                at("id"),
                "side id is empty; expected a short name",
            ));
        }
        if !ids.insert(side.id.as_str()) {
            return Err(InputError::new(
                at("id"),
                format!(
                    "duplicate side id `{}`; each side needs a unique id",
                    side.id
                ),
            ));
        }
        check_actor(
            &side.negotiator,
            &actors,
            scenario,
            || at("negotiator"),
            "negotiator",
        )?;
        for m in all_members(side) {
            check_actor(m, &actors, scenario, || at("members"), "member")?;
        }
        if let Members::PerIssue(map) = &side.members {
            for issue in map.keys() {
                if !issues.contains_key(issue.as_str()) {
                    return Err(InputError::new(
                        at("members"),
                        format!(
                            "side `{}` lists members for unknown issue `{issue}`",
                            side.id
                        ),
                    ));
                }
            }
        }
        let side_issues = side.issues(scenario);
        if side_issues.is_empty() {
            return Err(InputError::new(
                at("negotiator"),
                format!(
                    "negotiator `{}` of side `{}` has no stance on any issue, so the side takes part in none",
                    side.negotiator, side.id
                ),
            )
            .hint("give the negotiator a stance on the issues it negotiates"));
        }
        for issue in &side_issues {
            let has = |a: &str| scenario.stances_on(issue).any(|s| s.actor == a);
            if !has(&side.negotiator) {
                return Err(InputError::new(
                    at("negotiator"),
                    format!(
                        "negotiator `{}` of side `{}` has no stance on issue `{issue}`, where the side has members",
                        side.negotiator, side.id
                    ),
                )
                .hint("every issue of a side needs its negotiator's stance"));
            }
            let mut arena: Vec<&str> = vec![side.negotiator.as_str()];
            arena.extend(side.members_on(issue).iter().map(String::as_str));
            for a in arena {
                if let Some(other) = owner.insert((issue, a), side.id.as_str()) {
                    return Err(InputError::new(
                        at(if a == side.negotiator {
                            "negotiator"
                        } else {
                            "members"
                        }),
                        format!(
                            "actor `{a}` is in two sides on issue `{issue}`: `{other}` and `{}`",
                            side.id
                        ),
                    )
                    .hint("an actor belongs to at most one side on each issue"));
                }
            }
        }
        check_ratification(side, scenario, &side_issues)?;
    }
    Ok(())
}

fn all_members(side: &Side) -> Vec<&String> {
    match &side.members {
        Members::All(v) => v.iter().collect(),
        Members::PerIssue(m) => m.values().flatten().collect(),
    }
}

fn check_actor(
    id: &str,
    actors: &HashSet<&str>,
    scenario: &Scenario,
    at: impl Fn() -> crate::error::Location,
    role: &str,
) -> Result<(), InputError> {
    if actors.contains(id) {
        return Ok(());
    }
    let known: Vec<&str> = scenario
        .actors
        .iter()
        .map(|a| a.id.as_str())
        .take(12)
        .collect();
    let what = if id.trim().is_empty() {
        format!("{role} is missing (empty id)")
    } else {
        format!("{role} `{id}` is not an actor of the scenario")
    };
    Err(InputError::new(at(), what).hint(format!("known actors: {}", known.join(", "))))
}

fn check_ratification(
    side: &Side,
    scenario: &Scenario,
    side_issues: &[&str],
) -> Result<(), InputError> {
    let Some(rule) = &side.ratification else {
        return Ok(());
    };
    let at = |field: &str| side.origin.with_field(field);
    if rule.threshold.is_none() && rule.veto.is_empty() {
        return Err(InputError::new(
            at("ratification"),
            format!("side `{}` has an empty ratification rule", side.id),
        )
        .hint("give `threshold` (0-1), `veto` (actor ids) or both; omit `ratification` for none"));
    }
    if let Some(t) = rule.threshold
        && !(t.is_finite() && (0.0..=1.0).contains(&t))
    {
        return Err(InputError::new(
            at("ratification"),
            format!(
                "ratification threshold {t} of side `{}` is outside 0-1",
                side.id
            ),
        )
        .hint("the threshold is a share of the arena's weight, e.g. 0.5 for a simple majority"));
    }
    for v in &rule.veto {
        let in_side = *v == side.negotiator || all_members(side).contains(&v);
        if !in_side {
            return Err(InputError::new(
                at("ratification"),
                format!(
                    "veto player `{v}` is not the negotiator or a member of side `{}`",
                    side.id
                ),
            )
            .hint("veto players ratify at home: list them in the side's members"));
        }
    }
    for issue in side_issues {
        if let Some(i) = scenario.issue(issue)
            && i.reference_point.is_none()
        {
            return Err(InputError::new(
                at("ratification"),
                format!(
                    "side `{}` ratifies on issue `{issue}`, which has no reference point",
                    side.id
                ),
            )
            .hint("ratification compares a deal with the reversion outcome: give the issue a `reference_point`"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::io;

    const BASE: &str = r#"title = "t"
[[actors]]
id = "a"
capability = 1
[[actors]]
id = "b"
capability = 1
[[actors]]
id = "c"
capability = 1
[[issues]]
id = "x"
scale = { lo = 0, hi = 10 }
reference_point = 0
[[stances]]
actor = "a"
issue = "x"
position = 2
salience = 0.5
[[stances]]
actor = "b"
issue = "x"
position = 8
salience = 0.5
[[stances]]
actor = "c"
issue = "x"
position = 5
salience = 0.5
"#;

    fn error(sides: &str) -> crate::InputError {
        let text = format!("{BASE}{sides}");
        match io::read("t.toml", text.as_bytes(), None) {
            Ok(_) => panic!("accepted:\n{sides}"),
            Err(e) => e,
        }
    }

    /// The 1-based line of `needle` in BASE + sides.
    fn line_of(sides: &str, needle: &str) -> usize {
        let text = format!("{BASE}{sides}");
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn valid_sides_are_read_and_written_back() {
        let sides = "[[sides]]\nid = \"s\"\nnegotiator = \"a\"\nmembers = { x = [\"c\"] }\nratification = { threshold = 0.5, veto = [\"c\"] }\n";
        let text = format!("{BASE}{sides}");
        let s = io::read("t.toml", text.as_bytes(), None)
            .unwrap()
            .scenarios
            .remove(0);
        assert_eq!(s.sides[0].members_on("x"), ["c".to_string()]);
        let again = io::native::write(&s);
        let t = io::read("u.toml", again.as_bytes(), None)
            .unwrap()
            .scenarios
            .remove(0);
        assert_eq!(
            t.sides,
            s.sides
                .iter()
                .map(|x| {
                    let mut y = x.clone();
                    y.origin = t.sides[0].origin.clone();
                    y
                })
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_missing_negotiator_is_located() {
        let sides = "[[sides]]\nid = \"s\"\nnegotiator = \"zz\"\n";
        let e = error(sides);
        assert!(e.message.contains("negotiator `zz`"), "{e}");
        assert_eq!(e.location.line, Some(line_of(sides, "negotiator = ")));
        assert_eq!(e.location.column, Some(1));
        let e = error("[[sides]]\nid = \"s\"\n");
        assert!(e.message.contains("negotiator"), "{e}");
    }

    #[test]
    fn an_actor_in_two_sides_is_located() {
        let sides = "[[sides]]\nid = \"s\"\nnegotiator = \"a\"\nmembers = [\"c\"]\n[[sides]]\nid = \"t\"\nnegotiator = \"b\"\nmembers = [\"c\"]\n";
        let e = error(sides);
        assert!(e.message.contains("`c` is in two sides"), "{e}");
        assert_eq!(
            e.location.line,
            Some(line_of(sides, "negotiator = \"b\"") + 1)
        );
    }

    #[test]
    fn a_threshold_outside_zero_to_one_is_located() {
        let sides =
            "[[sides]]\nid = \"s\"\nnegotiator = \"a\"\nratification = { threshold = 1.5 }\n";
        let e = error(sides);
        assert!(e.message.contains("outside 0-1"), "{e}");
        assert_eq!(e.location.line, Some(line_of(sides, "ratification")));
    }

    #[test]
    fn ratification_without_a_reference_point_is_an_error() {
        let base = BASE.replace("reference_point = 0\n", "");
        let text = format!(
            "{base}[[sides]]\nid = \"s\"\nnegotiator = \"a\"\nratification = {{ veto = [\"a\"] }}\n"
        );
        let e = io::read("t.toml", text.as_bytes(), None).err().unwrap();
        assert!(e.message.contains("no reference point"), "{e}");
        // Without a rule no reference point is needed.
        let text = format!("{base}[[sides]]\nid = \"s\"\nnegotiator = \"a\"\n");
        assert!(io::read("t.toml", text.as_bytes(), None).is_ok());
    }

    #[test]
    fn veto_players_must_belong_to_the_side() {
        let e =
            error("[[sides]]\nid = \"s\"\nnegotiator = \"a\"\nratification = { veto = [\"b\"] }\n");
        assert!(e.message.contains("veto player `b`"), "{e}");
    }
}
