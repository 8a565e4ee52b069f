//! The parts about the whole scenario: masthead, contents, the forecasts at a glance, the
//! actor table and the colophon.

use super::{actor_label, has, issue_forecast, model_label, paragraphs, sources};
use crate::html::{Units, anchor, esc, general};
use crate::{Report, Section};
use pactum::{Estimate, Scenario};

/// Title, date, author, notes and sources of the scenario.
pub fn masthead(r: &Report, title: &str) -> String {
    let s = &r.scenario;
    let mut out =
        String::from("<header class=\"masthead\">\n<p class=\"kicker\">Negotiation forecast</p>\n");
    out.push_str(&format!("<h1>{}</h1>\n", esc(title)));
    let mut facts = Vec::new();
    if let Some(d) = &s.frozen_at {
        facts.push(format!("Inputs frozen at <b>{}</b>", esc(d)));
    }
    if let Some(a) = &s.author {
        facts.push(format!("coded by <b>{}</b>", esc(a)));
    }
    facts.push(format!(
        "{} actors, {} issue{}",
        s.actors.len(),
        s.issues.len(),
        if s.issues.len() == 1 { "" } else { "s" }
    ));
    out.push_str(&format!("<p class=\"meta\">{}</p>\n", facts.join(" · ")));
    if let Some(n) = &s.notes {
        out.push_str(&paragraphs(n, "lede"));
    }
    out.push_str(&sources(&s.sources, "Sources"));
    out.push_str("</header>\n");
    out
}

/// Links to each part of the page (hidden in print).
pub fn contents(r: &Report) -> String {
    let mut out = String::from("<nav class=\"toc\" aria-label=\"Contents\"><b>Contents</b><ol>");
    out.push_str("<li><a href=\"#glance\">Forecasts at a glance</a></li>");
    out.push_str("<li><a href=\"#actors\">Actors</a></li>");
    for i in &r.scenario.issues {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>",
            anchor("issue-", &i.id),
            esc(issue_title(i))
        ));
    }
    if has(r, Section::Backtest) {
        out.push_str("<li><a href=\"#backtest\">Backtest</a></li>");
    }
    out.push_str("<li><a href=\"#about\">About this report</a></li></ol></nav>\n");
    out
}

pub use pactum_chart::issue_title;

/// A box listing the optional sections that are not in this report, and why.
pub fn not_computed(r: &Report) -> String {
    let missing: Vec<Section> = Section::ALL.into_iter().filter(|s| !has(r, *s)).collect();
    if missing.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<aside class=\"note\" id=\"not-computed\"><b>Not computed for this report.</b><ul>",
    );
    for s in missing {
        let why = r
            .not_computed
            .iter()
            .find(|(k, _)| *k == s)
            .map(|(_, w)| esc(w))
            .unwrap_or_else(|| default_reason(s).to_string());
        out.push_str(&format!("<li>{}: {why}</li>", s.title()));
    }
    out.push_str("</ul></aside>\n");
    out
}

fn default_reason(s: Section) -> &'static str {
    match s {
        Section::MonteCarlo => {
            "no Monte Carlo draws were supplied, so the spread of outcomes is not shown"
        }
        Section::Sensitivity => "no one-at-a-time sensitivity run was supplied",
        Section::Levers => "no levers were computed for any actor",
        Section::Backtest => "no dataset with known outcomes was supplied",
    }
}

/// One row per model, one column per issue, with the status quo above and the known
/// outcome below when the scenario gives them.
pub fn at_a_glance(r: &Report) -> String {
    let s = &r.scenario;
    let mut out = String::from("<section id=\"glance\">\n<h2>Forecasts at a glance</h2>\n");
    if r.forecasts.is_empty() {
        out.push_str("<p class=\"muted sans\">No model gave a forecast.</p>\n");
    } else {
        out.push_str("<p>Each model's forecast of each issue, in the issue's units. Models are described under <a href=\"#about\">About this report</a>.</p>\n");
    }
    let units: Vec<Units> = s.issues.iter().map(|i| Units::of(&i.scale)).collect();
    out.push_str("<div class=\"scroll\"><table>\n<caption>Forecast by model and issue</caption>\n<thead><tr><th scope=\"col\">Model</th>");
    for (i, u) in s.issues.iter().zip(&units) {
        out.push_str(&format!(
            "<th scope=\"col\" class=\"n\"><a href=\"#{}\" title=\"{}\">{}</a>{}</th>",
            anchor("issue-", &i.id),
            esc(issue_title(i)),
            esc(&i.id),
            u.header()
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    if s.issues.iter().any(|i| i.reference_point.is_some()) {
        out.push_str("<tr class=\"ref\"><th scope=\"row\">Status quo</th>");
        for (i, u) in s.issues.iter().zip(&units) {
            out.push_str(&cell(i.reference_point, u));
        }
        out.push_str("</tr>\n");
    }
    for f in &r.forecasts {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>",
            esc(&model_label(f))
        ));
        for (i, u) in s.issues.iter().zip(&units) {
            out.push_str(&cell(issue_forecast(f, &i.id).map(|x| x.forecast), u));
        }
        out.push_str("</tr>\n");
    }
    if s.issues.iter().any(|i| i.outcome.is_some()) {
        out.push_str("<tr class=\"total\"><th scope=\"row\">Known outcome</th>");
        for (i, u) in s.issues.iter().zip(&units) {
            out.push_str(&cell(i.outcome.as_ref().map(|o| o.value), u));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n<p class=\"meta\">");
    let keys: Vec<String> = s
        .issues
        .iter()
        .map(|i| format!("<code>{}</code> {}", esc(&i.id), esc(issue_title(i))))
        .collect();
    out.push_str(&keys.join(" · "));
    out.push_str("</p>\n</section>\n");
    out
}

fn cell(x: Option<f64>, u: &Units) -> String {
    format!(
        "<td class=\"n\">{}</td>",
        x.map(|v| u.bare(v)).unwrap_or_else(|| "—".into())
    )
}

/// An estimate as `mode` or `mode (low–high)`, escaped.
pub fn estimate(e: &Estimate, fmt: impl Fn(f64) -> String) -> String {
    if e.is_point() {
        fmt(e.mode)
    } else {
        format!(
            "{} <span class=\"range\">({}–{})</span>",
            fmt(e.mode),
            fmt(e.low),
            fmt(e.high)
        )
    }
}

/// The actor table: name, group, capability, issues taken part in, notes and sources.
pub fn actors(s: &Scenario) -> String {
    let mut out = String::from("<section id=\"actors\">\n<h2>Actors</h2>\n");
    out.push_str("<p>Capability is the actor's clout; only ratios between actors matter. A range shows the analyst's uncertainty (mode, then low–high).</p>\n");
    let any_group = s.actors.iter().any(|a| a.group.is_some());
    out.push_str("<div class=\"scroll\"><table>\n<caption>Actors and their capability</caption>\n<thead><tr><th scope=\"col\">Actor</th>");
    if any_group {
        out.push_str("<th scope=\"col\">Group</th>");
    }
    out.push_str("<th scope=\"col\" class=\"n\">Capability</th><th scope=\"col\" class=\"n\">Issues</th></tr></thead>\n<tbody>\n");
    for a in &s.actors {
        let n_issues = s.stances.iter().filter(|st| st.actor == a.id).count();
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>",
            esc(actor_label(s, &a.id))
        ));
        if any_group {
            out.push_str(&format!(
                "<td>{}</td>",
                a.group.as_deref().map(esc).unwrap_or_default()
            ));
        }
        out.push_str(&format!(
            "<td class=\"n\">{}</td><td class=\"n\">{n_issues}</td></tr>\n",
            estimate(&a.capability, general),
        ));
    }
    out.push_str("</tbody></table></div>\n");
    let notes: Vec<NoteEntry> = s
        .actors
        .iter()
        .map(|a| (a.label(), a.notes.as_deref(), a.sources.as_slice()))
        .collect();
    out.push_str(&notes_list("Notes on the actors", &notes));
    out.push_str("</section>\n");
    out
}

/// One entry of a notes list: (who, notes, sources).
pub type NoteEntry<'a> = (&'a str, Option<&'a str>, &'a [String]);

/// A titled list of notes and sources, one entry per label that has any; empty when none
/// has. Sources shared by every entry are given once, above the list.
pub fn notes_list(title: &str, entries: &[NoteEntry]) -> String {
    let common: Vec<&String> = match entries.split_first() {
        Some((first, rest)) if !rest.is_empty() => first
            .2
            .iter()
            .filter(|s| rest.iter().all(|e| e.2.contains(s)))
            .collect(),
        _ => Vec::new(),
    };
    let mut body = String::new();
    for (label, notes, src) in entries {
        let notes = notes.map(str::trim).filter(|n| !n.is_empty());
        let own: Vec<String> = src
            .iter()
            .filter(|s| !common.contains(s))
            .map(|s| crate::html::source(s))
            .collect();
        if notes.is_none() && own.is_empty() {
            continue;
        }
        body.push_str(&format!("<dt>{}</dt><dd>", esc(label)));
        if let Some(n) = notes {
            body.push_str(&lines(n));
        }
        if !own.is_empty() {
            body.push_str(&format!(
                " <span class=\"src\">Sources: {}</span>",
                own.join("; ")
            ));
        }
        body.push_str("</dd>");
    }
    if body.is_empty() && common.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<div class=\"notes\"><p class=\"notes-title\">{}</p>",
        esc(title)
    );
    if !common.is_empty() {
        let items: Vec<String> = common.iter().map(|s| crate::html::source(s)).collect();
        out.push_str(&format!(
            "<p class=\"src\">Sources for all: {}</p>",
            items.join("; ")
        ));
    }
    if !body.is_empty() {
        out.push_str(&format!("<dl>{body}</dl>"));
    }
    out.push_str("</div>\n");
    out
}

/// Free text with its line breaks kept, escaped.
pub fn lines(text: &str) -> String {
    text.lines()
        .map(|l| esc(l.trim()))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("<br>")
}

/// How the report was made: models and parameters, run facts, version.
pub fn colophon(r: &Report) -> String {
    let mut out = String::from("<footer id=\"about\">\n<h2>About this report</h2>\n");
    if !r.forecasts.is_empty() {
        out.push_str("<h3>Models</h3>\n<table>\n<caption>Models run and their parameters</caption>\n<thead><tr><th scope=\"col\">Model</th><th scope=\"col\">What it predicts</th><th scope=\"col\">Parameters</th></tr></thead>\n<tbody>\n");
        for f in &r.forecasts {
            let summary = r
                .model_summaries
                .iter()
                .find(|(m, _)| *m == f.model)
                .map(|(_, s)| esc(s))
                .unwrap_or_default();
            let params: Vec<String> = f
                .parameters
                .iter()
                .map(|(k, v)| format!("<code>{}&#8239;=&#8239;{}</code>", esc(k), esc(v)))
                .collect();
            let params = if params.is_empty() {
                "<span class=\"muted\">none</span>".to_string()
            } else {
                params.join(" ")
            };
            out.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{summary}</td><td>{params}</td></tr>\n",
                esc(&super::model_label(f))
            ));
        }
        out.push_str("</tbody></table>\n");
    }
    if !r.skipped_models.is_empty() {
        out.push_str("<p class=\"meta\">Models that gave no forecast:</p><ul class=\"sources\">");
        for (m, why) in &r.skipped_models {
            out.push_str(&format!("<li><b>{}</b>: {}</li>", esc(m), esc(why)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<dl class=\"facts\">");
    if let Some(src) = &r.source_name {
        out.push_str(&format!("<dt>Scenario file</dt><dd>{}</dd>", esc(src)));
    }
    for (k, v) in &r.run_facts {
        out.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(k), esc(v)));
    }
    if let Some(g) = &r.generated_at {
        out.push_str(&format!("<dt>Generated</dt><dd>{}</dd>", esc(g)));
    }
    out.push_str(&format!(
        "<dt>Made with</dt><dd>pactum {}</dd></dl>\n",
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str("<p class=\"meta\">This file is self-contained: it loads nothing from the network and runs no scripts. The same scenario, models, parameters and seed give the same file byte for byte.</p>\n</footer>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_sources_are_listed_once() {
        let shared = vec!["Book 1994".to_string()];
        let more = vec!["Book 1994".to_string(), "https://example.org/a".to_string()];
        let html = notes_list(
            "Notes",
            &[
                ("A", None, &shared),
                ("B", Some("why"), &more),
                ("C", None, &shared),
            ],
        );
        assert_eq!(html.matches("Book 1994").count(), 1);
        assert!(html.contains("Sources for all: Book 1994"));
        assert!(html.contains("<dt>B</dt><dd>why <span class=\"src\">Sources: <a href"));
        assert!(!html.contains("<dt>A</dt>"), "nothing left to say about A");
    }

    #[test]
    fn no_notes_no_list() {
        assert!(notes_list("Notes", &[("A", None, &[]), ("B", Some("  "), &[])]).is_empty());
    }

    #[test]
    fn glance_table_has_status_quo_and_outcome_rows() {
        let r = crate::demo::report();
        let html = at_a_glance(&r);
        assert!(html.contains("<tr class=\"ref\"><th scope=\"row\">Status quo</th><td class=\"n\">38.50</td><td class=\"n\">0.00</td>"));
        assert!(html.contains(
            "<th scope=\"row\">Known outcome</th><td class=\"n\">12.00</td><td class=\"n\">—</td>"
        ));
        assert_eq!(
            html.matches("<tr>").count(),
            r.forecasts.len() + 1,
            "header + models"
        );
    }
}
