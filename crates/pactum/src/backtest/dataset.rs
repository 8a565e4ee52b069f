//! Datasets of negotiations with known outcomes: a DEU III file, or native scenarios.
//!
//! A dataset is a list of *groups* (a DEU proposal, or one native scenario), each a scenario
//! the models run on, and the *cases* to score: the issues that carry an outcome. DEU rows
//! are grouped by proposal (`prnr`; under `council` also by treaty regime, should a proposal's
//! `intro` dates disagree), so multi-issue models see all of a proposal's issues;
//! single-issue models give the same forecasts either way. Issues without an outcome stay
//! in their proposal's scenario (their positions are legitimate inputs) but are not scored,
//! and are listed and counted.

use super::council::{self, Regime};
use crate::error::{InputError, Location, Warning};
use crate::io::{self, Format};
use crate::scenario::{Estimate, Scenario};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// How DEU actors' capabilities are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// Every actor, the Commission and Parliament included, has capability 1.
    Equal,
    /// The file's second line (a GDP-based proxy; the Commission and Parliament carry the
    /// largest member's value in the shared copy).
    Gdp,
    /// Council voting weights of the treaty regime in force when the proposal was
    /// introduced (see [`council`]); the Commission gets the largest member's weight.
    Council,
}

impl Capability {
    /// Every option, in the order the CLI lists them.
    pub const ALL: [Capability; 3] = [Capability::Equal, Capability::Gdp, Capability::Council];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Capability::Equal => "equal",
            Capability::Gdp => "gdp",
            Capability::Council => "council",
        }
    }

    /// The Parliament rule used unless the caller chooses one.
    pub fn default_parliament(self) -> ParliamentRule {
        match self {
            Capability::Council => ParliamentRule::ByProcedure,
            _ => ParliamentRule::Always,
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Capability {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Capability::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown capability `{s}`; expected equal, gdp or council"))
    }
}

/// How the European Parliament's capability depends on the legislative procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParliamentRule {
    /// The Parliament keeps its capability under every procedure.
    Always,
    /// Co-decision (`COD`): the Parliament is a co-legislator and keeps its capability (under
    /// `council`, the largest member's weight). Consultation (`CNS`): its opinion does not
    /// bind the Council, so its capability is 0 (it still counts in unweighted models).
    ByProcedure,
}

impl ParliamentRule {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ParliamentRule::Always => "always",
            ParliamentRule::ByProcedure => "by-procedure",
        }
    }

    fn factor(self, procedure: &str) -> f64 {
        match self {
            ParliamentRule::ByProcedure if procedure == "CNS" => 0.0,
            _ => 1.0,
        }
    }
}

impl FromStr for ParliamentRule {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [ParliamentRule::Always, ParliamentRule::ByProcedure]
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown parliament rule `{s}`; expected always or by-procedure")
            })
    }
}

/// What DEU rows the models see together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grouping {
    /// One scenario per proposal with all its issues (multi-issue models need this).
    Proposal,
    /// One scenario per issue (for models that need every actor on every issue, e.g. smp).
    /// Bootstrap clusters and folds are still proposals.
    Issue,
}

impl Grouping {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Grouping::Proposal => "proposal",
            Grouping::Issue => "issue",
        }
    }
}

impl FromStr for Grouping {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Grouping::Proposal, Grouping::Issue]
            .into_iter()
            .find(|g| g.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown grouping `{s}`; expected proposal or issue"))
    }
}

/// How a DEU file becomes a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeuOptions {
    /// How capabilities are set.
    pub capability: Capability,
    /// How the Parliament's capability depends on the procedure.
    pub parliament: ParliamentRule,
    /// What rows the models see together.
    pub grouping: Grouping,
}

impl DeuOptions {
    /// `capability` with its default Parliament rule, grouped by proposal.
    pub fn new(capability: Capability) -> Self {
        DeuOptions {
            capability,
            parliament: capability.default_parliament(),
            grouping: Grouping::Proposal,
        }
    }
}

/// One issue with a known outcome, to be scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// Index of its group in [`Dataset::groups`].
    pub group: usize,
    /// Index of the issue in its group's scenario.
    pub issue: usize,
    /// The issue's id.
    pub id: String,
    /// The proposal (DEU `prnr`) or native scenario it belongs to.
    pub proposal: String,
    /// Dense index of its proposal (numbered in order of first appearance): the bootstrap
    /// cluster and cross-validation unit, whatever the grouping.
    pub cluster: usize,
    /// Legislative procedure (DEU `proc`: `COD`, `CNS`), or `-` when not given.
    pub procedure: String,
    /// Council voting rule (DEU `counvte`: `QMV`, `Unan`, …), or `-` when not given.
    pub voting_rule: String,
    /// The known outcome, in the issue's units.
    pub outcome: f64,
    /// Scale lower end, in the issue's units.
    pub lo: f64,
    /// Scale upper end, in the issue's units.
    pub hi: f64,
    /// The issue's unit.
    pub unit: String,
    /// The line in the input file, where known.
    pub line: Option<usize>,
}

impl Case {
    /// Maps `x` in the issue's units to the 0–100 scale.
    pub fn percent(&self, x: f64) -> f64 {
        (x - self.lo) / (self.hi - self.lo) * 100.0
    }
}

/// A scenario the models run on (a DEU proposal or a native scenario).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The proposal number or the scenario's file/title.
    pub id: String,
    /// The scenario.
    pub scenario: Scenario,
}

/// An issue left out of scoring because it has no outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unscored {
    /// The issue's id.
    pub issue: String,
    /// Where it is, as `file:line`.
    pub location: String,
    /// The line number, where known.
    pub line: Option<usize>,
}

/// A row skipped as malformed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedRow {
    /// Where it is, as `file:line: field`.
    pub location: String,
    /// The line number, where known.
    pub line: Option<usize>,
    /// Why it was skipped.
    pub message: String,
}

impl From<&InputError> for SkippedRow {
    fn from(e: &InputError) -> Self {
        SkippedRow {
            location: e.location.to_string(),
            line: e.location.line,
            message: e.message.clone(),
        }
    }
}

/// Negotiations with known outcomes, ready to score.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// The name shown in reports (usually the path).
    pub name: String,
    /// The scenarios the models run on.
    pub groups: Vec<Group>,
    /// The issues to score, in input order.
    pub cases: Vec<Case>,
    /// Malformed rows, skipped (never silently).
    pub skipped: Vec<SkippedRow>,
    /// Issues without an outcome: kept as model input, not scored.
    pub unscored: Vec<Unscored>,
    /// How capabilities were set, in words.
    pub capability: String,
    /// What a cluster (bootstrap resampling unit, fold unit) is called: `proposal` (DEU) or
    /// `scenario` (native files).
    pub cluster: String,
    /// Reader and preparation notices.
    pub warnings: Vec<Warning>,
    /// Rows read: for a DEU file every non-blank line after the header except the
    /// capability line; for native scenarios their issues. Each is a case, unscored or
    /// skipped, so `cases + unscored + skipped == rows`.
    pub rows: usize,
    /// Cluster of each proposal that has a case (keeps [`Dataset::push_group`] linear).
    cluster_of: HashMap<String, usize>,
}

impl Dataset {
    /// Reads a DEU III TSV (`text`, named `name` in messages) with the given capability rule.
    pub fn from_deu(name: &str, text: &str, options: DeuOptions) -> Result<Dataset, InputError> {
        let DeuOptions {
            capability,
            parliament,
            grouping,
        } = options;
        let loc = Location::file(name);
        let loaded = io::deu::read(text, &loc)?;
        // The reader notes that it took capabilities from line 2; only true under `gdp`.
        let warnings = loaded
            .warnings
            .into_iter()
            .filter(|w| capability == Capability::Gdp || w.location.line != Some(2))
            .collect();
        let mut data = Dataset {
            name: name.to_string(),
            skipped: loaded.skipped.iter().map(SkippedRow::from).collect(),
            warnings,
            capability: describe(capability, parliament, grouping),
            cluster: "proposal".into(),
            ..Dataset::default()
        };
        if capability == Capability::Gdp && !has_capability_row(text) {
            return Err(InputError::new(
                loc.at_line(2),
                "capability `gdp` needs the file's second line of per-actor capabilities",
            )
            .hint("use --capability equal or council"));
        }
        data.rows = loaded.scenarios.len() + loaded.skipped.len();
        for (prnr, rows) in by_proposal(loaded.scenarios) {
            let rows = data.distinct_issues(&prnr, rows);
            for (regime, rows) in data.by_regime(&prnr, rows, capability) {
                let parts: Vec<Vec<Scenario>> = match grouping {
                    Grouping::Proposal => vec![rows],
                    Grouping::Issue => rows.into_iter().map(|r| vec![r]).collect(),
                };
                for part in parts {
                    let scenario = merge(&prnr, part, capability, parliament, regime);
                    data.push_group(prnr.clone(), scenario);
                }
            }
        }
        Ok(data)
    }

    /// Skips (and lists) a row whose issue id repeats an earlier row of the same proposal:
    /// one scenario cannot hold the same issue twice.
    fn distinct_issues(&mut self, prnr: &str, rows: Vec<Scenario>) -> Vec<Scenario> {
        let mut first_line: HashMap<String, Option<usize>> = HashMap::new();
        let mut kept = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(issue) = row.issues.first() else {
                continue;
            };
            if let Some(line) = first_line.get(&issue.id) {
                let earlier = line.map_or_else(String::new, |l| format!(" (first on line {l})"));
                self.skipped.push(SkippedRow::from(&InputError::new(
                    issue.origin.with_field("isnr"),
                    format!(
                        "issue `{}` appears twice in proposal {prnr}{earlier}",
                        issue.id
                    ),
                )));
                continue;
            }
            first_line.insert(issue.id.clone(), issue.origin.line);
            kept.push(row);
        }
        kept
    }

    /// Under `council`, each row's treaty regime from its own `intro` date: rows whose date
    /// leaves the regime ambiguous are skipped (and listed), a date that disagrees with the
    /// proposal year but not on the regime is a warning, and the remaining rows are grouped
    /// by regime in order of first appearance (one group unless the proposal's dates
    /// disagree, which is warned about). Other capability rules need no date.
    fn by_regime(
        &mut self,
        prnr: &str,
        rows: Vec<Scenario>,
        capability: Capability,
    ) -> Vec<(Option<Regime>, Vec<Scenario>)> {
        if capability != Capability::Council {
            return vec![(None, rows)];
        }
        let mut groups: Vec<(Option<Regime>, Vec<Scenario>)> = Vec::new();
        for row in rows {
            let Some(issue) = row.issues.first() else {
                continue;
            };
            let intro = issue.attributes.get("intro").map_or("", String::as_str);
            let at = issue.origin.with_field("intro");
            let regime = match council::resolve_regime(intro, prnr) {
                Ok((regime, None)) => regime,
                Ok((regime, Some(note))) => {
                    self.warnings.push(Warning {
                        location: at,
                        assumption: None,
                        message: note,
                    });
                    regime
                }
                Err(message) => {
                    self.skipped
                        .push(SkippedRow::from(&InputError::new(at, message)));
                    continue;
                }
            };
            match groups.iter_mut().find(|(r, _)| *r == Some(regime)) {
                Some((_, v)) => v.push(row),
                None => groups.push((Some(regime), vec![row])),
            }
        }
        if groups.len() > 1 {
            let names: Vec<String> = groups
                .iter()
                .filter_map(|(r, _)| r.map(|r| r.to_string()))
                .collect();
            let at = groups[0]
                .1
                .first()
                .and_then(|s| s.issues.first())
                .map(|i| i.origin.with_field("intro"))
                .unwrap_or_default();
            self.warnings.push(Warning {
                location: at,
                assumption: None,
                message: format!(
                    "the intro dates of proposal {prnr} fall under different treaty regimes ({}); each row is weighted by its own, and the models see one scenario per regime",
                    names.join(", ")
                ),
            });
        }
        groups
    }

    /// Builds a dataset from native scenarios, each `(name, scenario)` one group, scored on
    /// the issues that carry an outcome. Capabilities are as coded.
    pub fn from_scenarios(name: &str, scenarios: Vec<(String, Scenario)>) -> Dataset {
        let mut data = Dataset {
            name: name.to_string(),
            capability: "as coded in the scenarios".into(),
            cluster: "scenario".into(),
            ..Dataset::default()
        };
        for (id, s) in scenarios {
            data.rows += s.issues.len();
            data.push_group(id, s);
        }
        data
    }

    fn push_group(&mut self, id: String, scenario: Scenario) {
        let g = self.groups.len();
        let cluster = match self.cluster_of.get(&id) {
            Some(c) => *c,
            None => self.cluster_of.len(),
        };
        if scenario.issues.iter().any(|i| i.outcome.is_some()) {
            self.cluster_of.insert(id.clone(), cluster);
        }
        for (k, issue) in scenario.issues.iter().enumerate() {
            let Some(out) = &issue.outcome else {
                self.unscored.push(Unscored {
                    issue: issue.id.clone(),
                    location: issue.origin.to_string(),
                    line: issue.origin.line,
                });
                continue;
            };
            let attr = |key: &str| {
                issue
                    .attributes
                    .get(key)
                    .cloned()
                    .unwrap_or_else(|| "-".into())
            };
            self.cases.push(Case {
                group: g,
                issue: k,
                id: issue.id.clone(),
                proposal: id.clone(),
                cluster,
                procedure: attr("proc"),
                voting_rule: attr("counvte"),
                outcome: out.value,
                lo: issue.scale.lo,
                hi: issue.scale.hi,
                unit: issue.scale.unit.clone(),
                line: issue.origin.line,
            });
        }
        self.groups.push(Group { id, scenario });
    }

    /// Number of distinct proposals among the cases.
    pub fn n_proposals(&self) -> usize {
        self.cases.iter().map(|c| c.cluster + 1).max().unwrap_or(0)
    }

    /// The dataset restricted to the given groups (indices into [`Dataset::groups`]), e.g. a
    /// cross-validation fold or one half of a split. Skipped rows are kept for the record.
    pub fn subset(&self, groups: &[usize]) -> Dataset {
        let mut out = Dataset {
            name: self.name.clone(),
            skipped: self.skipped.clone(),
            capability: self.capability.clone(),
            cluster: self.cluster.clone(),
            warnings: self.warnings.clone(),
            ..Dataset::default()
        };
        out.rows = out.skipped.len();
        for &g in groups {
            if let Some(group) = self.groups.get(g) {
                out.rows += group.scenario.issues.len();
                out.push_group(group.id.clone(), group.scenario.clone());
            }
        }
        out
    }
}

/// Loads a dataset from `path`: a DEU III TSV, one native scenario file, or a folder whose
/// `*.toml` files are native scenarios (read in name order).
pub fn load(path: &Path, deu: DeuOptions) -> Result<Dataset, InputError> {
    let name = path.display().to_string();
    if path.is_dir() {
        return load_folder(path);
    }
    let bytes = std::fs::read(path).map_err(|e| {
        InputError::new(Location::file(&name), format!("cannot read the file: {e}"))
    })?;
    let text = String::from_utf8_lossy(&bytes);
    if io::detect(&text) == Format::Deu {
        return Dataset::from_deu(&name, &text, deu);
    }
    let loaded = io::read(&name, &bytes, None)?;
    let mut data = Dataset::from_scenarios(
        &name,
        loaded
            .scenarios
            .into_iter()
            .map(|s| (stem(path), s))
            .collect(),
    );
    data.warnings = loaded.warnings;
    Ok(data)
}

fn load_folder(dir: &Path) -> Result<Dataset, InputError> {
    let name = dir.display().to_string();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| {
            InputError::new(
                Location::file(&name),
                format!("cannot read the folder: {e}"),
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut scenarios = Vec::new();
    let mut warnings = Vec::new();
    for f in &files {
        let file = f.display().to_string();
        let bytes = std::fs::read(f).map_err(|e| {
            InputError::new(Location::file(&file), format!("cannot read the file: {e}"))
        })?;
        let loaded = io::read(&file, &bytes, None)?;
        warnings.extend(loaded.warnings);
        scenarios.extend(loaded.scenarios.into_iter().map(|s| (stem(f), s)));
    }
    if scenarios.is_empty() {
        return Err(InputError::new(
            Location::file(&name),
            "the folder holds no .toml scenario",
        ));
    }
    let mut data = Dataset::from_scenarios(&name, scenarios);
    data.warnings = warnings;
    Ok(data)
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn describe(capability: Capability, parliament: ParliamentRule, grouping: Grouping) -> String {
    let base = match capability {
        Capability::Equal => "equal (every actor 1)",
        Capability::Gdp => "gdp (the file's second line)",
        Capability::Council => {
            "council (treaty-regime voting weights at introduction; Commission = largest member)"
        }
    };
    let ep = match parliament {
        ParliamentRule::Always => "Parliament weight under every procedure",
        ParliamentRule::ByProcedure => "Parliament weight under COD, 0 under CNS",
    };
    let together = match grouping {
        Grouping::Proposal => "models see one scenario per proposal",
        Grouping::Issue => "models see one scenario per issue",
    };
    format!("{base}; {ep}; {together}")
}

/// True when the second line of a DEU file is a capability row (blank issue id).
fn has_capability_row(text: &str) -> bool {
    let mut lines = text.lines();
    let Some(head) = lines.next() else {
        return false;
    };
    let delim = io::delimited::sniff(head);
    let Some(k) = io::delimited::split(head, delim)
        .into_iter()
        .position(|c| c.trim().trim_matches('"') == "isnr")
    else {
        return false;
    };
    lines
        .next()
        .and_then(|l| io::delimited::split(l, delim).into_iter().nth(k))
        .is_some_and(|c| c.trim().trim_matches('"').is_empty())
}

/// Groups one-issue DEU scenarios by proposal, in order of first appearance.
fn by_proposal(rows: Vec<Scenario>) -> Vec<(String, Vec<Scenario>)> {
    let mut groups: Vec<(String, Vec<Scenario>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for s in rows {
        let key = s
            .issues
            .first()
            .and_then(|i| i.attributes.get("prnr").cloned())
            .unwrap_or_else(|| s.issues.first().map(|i| i.id.clone()).unwrap_or_default());
        match index.get(&key) {
            Some(&k) => groups[k].1.push(s),
            None => {
                index.insert(key.clone(), groups.len());
                groups.push((key, vec![s]));
            }
        }
    }
    groups
}

/// Merges one proposal's rows (all under `regime`, when capabilities follow the Council)
/// into one multi-issue scenario and sets capabilities.
fn merge(
    prnr: &str,
    rows: Vec<Scenario>,
    capability: Capability,
    parliament: ParliamentRule,
    regime: Option<Regime>,
) -> Scenario {
    let procedure = rows
        .first()
        .and_then(|s| s.issues.first())
        .and_then(|i| i.attributes.get("proc").cloned())
        .unwrap_or_default();
    let mut out = Scenario {
        title: format!("DEU III proposal {prnr}"),
        notes: Some(
            "DEU III dataset (Arregui & Perarnaud 2021, doi:10.34810/data53), CC BY 4.0".into(),
        ),
        ..Scenario::default()
    };
    let mut seen = std::collections::HashSet::new();
    for row in rows {
        for a in row.actors {
            if seen.insert(a.id.clone()) {
                out.actors.push(a);
            }
        }
        out.issues.extend(row.issues);
        out.stances.extend(row.stances);
    }
    for a in &mut out.actors {
        let base = match (capability, regime) {
            (Capability::Equal, _) => 1.0,
            (Capability::Gdp, _) => a.capability.mode,
            (Capability::Council, Some(r)) => council_weight(r, &a.id),
            (Capability::Council, None) => 1.0,
        };
        let factor = if a.id == "ep" {
            parliament.factor(&procedure)
        } else {
            1.0
        };
        a.capability = Estimate::point(base * factor);
    }
    if let Some(r) = regime {
        for i in &mut out.issues {
            i.attributes.insert("regime".into(), r.to_string());
        }
    }
    out
}

/// Council-rule capability of DEU actor `id` under regime `r`: treaty weight for members,
/// the largest member's weight for the Commission and Parliament, 0 for a non-member.
fn council_weight(r: Regime, id: &str) -> f64 {
    match id {
        "com" | "ep" => r.largest(),
        _ => r.weight(id).unwrap_or(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "\"prnr\"\t\"isnr\"\t\"proc\"\t\"counvte\"\t\"intro\"\t\"pcom\"\t\"pep\"\t\"pde\"\t\"ppl\"\t\"scom\"\t\"sep\"\t\"sde\"\t\"spl\"\t\"rp\"\t\"out\"";

    fn tsv(rows: &[&str]) -> String {
        let mut t = HEAD.to_string();
        for r in rows {
            t.push('\n');
            t.push_str(r);
        }
        t
    }

    #[test]
    fn rows_group_by_proposal_and_unscored_issues_are_counted() {
        let text = tsv(&[
            "\"n96001\"\t\"a1\"\t\"CNS\"\t\"QMV\"\t\"01-02-96\"\t0\t100\t50\t\t50\t50\t50\t\t0\t40",
            "\"n96001\"\t\"a2\"\t\"CNS\"\t\"Unan\"\t\"01-02-96\"\t10\t90\t20\t\t50\t50\t50\t\t0\t",
            "\"d16001\"\t\"b1\"\t\"COD\"\t\"QMV\"\t\"14-09-2016\"\t0\t100\t50\t80\t50\t50\t50\t50\t0\t60",
        ]);
        let d = Dataset::from_deu("t.tsv", &text, DeuOptions::new(Capability::Council)).unwrap();
        assert_eq!(d.groups.len(), 2);
        assert_eq!(d.groups[0].scenario.issues.len(), 2);
        assert_eq!(d.cases.len(), 2);
        assert_eq!(d.unscored.len(), 1);
        assert_eq!(d.unscored[0].issue, "a2");
        assert!(d.unscored[0].location.contains("t.tsv:3"));
        // Pre-Nice: Germany 10, Commission 10, Parliament 0 under consultation.
        let cap = |g: usize, id: &str| d.groups[g].scenario.actor(id).unwrap().capability.mode;
        assert_eq!(cap(0, "de"), 10.0);
        assert_eq!(cap(0, "com"), 10.0);
        assert_eq!(cap(0, "ep"), 0.0);
        // Lisbon: population shares; Parliament keeps the largest share under COD.
        assert_eq!(cap(1, "pl"), 7.47);
        assert_eq!(cap(1, "ep"), 15.93);
        assert_eq!(d.cases[1].procedure, "COD");
    }

    #[test]
    fn malformed_rows_and_bad_dates_are_reported_by_row() {
        let text = tsv(&[
            "\"d96001\"\t\"a1\"\t\"COD\"\t\"QMV\"\t\"01-02-96\"\t0\tx\t50\t\t50\t50\t50\t\t0\t40",
            "\"d97001\"\t\"b1\"\t\"COD\"\t\"QMV\"\t\"someday\"\t0\t100\t50\t\t50\t50\t50\t\t0\t40",
            "\"d98001\"\t\"c1\"\t\"COD\"\t\"QMV\"\t\"01-02-98\"\t0\t100\t50\t\t50\t50\t50\t\t0\t40",
        ]);
        let d = Dataset::from_deu(
            "t.tsv",
            &text,
            DeuOptions {
                parliament: ParliamentRule::Always,
                ..DeuOptions::new(Capability::Council)
            },
        )
        .unwrap();
        assert_eq!(d.cases.len(), 1);
        assert_eq!(d.skipped.len(), 2);
        assert_eq!(d.skipped[0].line, Some(2));
        assert!(d.skipped[0].location.contains("pep"));
        assert_eq!(d.skipped[1].line, Some(3));
        assert!(d.skipped[1].location.contains("intro"));
        // The same file with equal capabilities does not need the date.
        let e = Dataset::from_deu("t.tsv", &text, DeuOptions::new(Capability::Equal)).unwrap();
        assert_eq!((e.cases.len(), e.skipped.len()), (2, 1));
    }

    #[test]
    fn gdp_without_a_capability_row_is_an_error() {
        let text = tsv(&[
            "\"d96001\"\t\"a1\"\t\"COD\"\t\"QMV\"\t\"01-02-96\"\t0\t1\t50\t\t50\t50\t50\t\t0\t40",
        ]);
        let e = Dataset::from_deu("t.tsv", &text, DeuOptions::new(Capability::Gdp));
        assert!(e.unwrap_err().to_string().contains("second line"));
    }
}
