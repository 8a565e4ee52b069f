//! The page, section by section. Each function returns an HTML fragment; [`page`] joins them.

mod backtest;
pub(crate) mod issue;
mod overview;
mod rounds;
mod twolevel;
mod uncertainty;

use crate::html::{Units, esc};
use crate::{Report, Section};
use pactum::Issue;
use pactum_chart::{actor_label, clip_middle, issue_forecast, model_label};

const STYLE: &str = include_str!("../style.css");

/// The whole HTML document.
pub fn page(r: &Report) -> String {
    let title = if r.scenario.title.trim().is_empty() {
        "Untitled scenario".to_string()
    } else {
        r.scenario.title.clone()
    };
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str(&format!("<title>{} — pactum report</title>\n", esc(&title)));
    out.push_str("<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    out.push_str(&overview::masthead(r, &title));
    out.push_str(&overview::contents(r));
    out.push_str(&overview::not_computed(r));
    out.push_str(&overview::at_a_glance(r));
    out.push_str(&overview::actors(&r.scenario));
    for (k, issue) in r.scenario.issues.iter().enumerate() {
        out.push_str(&issue_section(r, k, issue));
    }
    if !r.backtests.is_empty() {
        out.push_str(&backtest::section(&r.backtests));
    }
    out.push_str(&overview::colophon(r));
    out.push_str("</body>\n</html>\n");
    out
}

/// Everything about one issue: framing, position map, models, path and the optional
/// uncertainty parts.
fn issue_section(r: &Report, k: usize, issue: &Issue) -> String {
    let units = Units::of(&issue.scale);
    let mut out = format!(
        "<section class=\"issue\" id=\"{}\">\n",
        crate::html::anchor("issue-", &issue.id)
    );
    out.push_str(&issue::heading(k, issue, &units));
    out.push_str(&issue::position_map(r, issue));
    out.push_str(&issue::model_table(r, issue, &units));
    out.push_str(&twolevel::section(r, issue, &units));
    out.push_str(&issue::stance_table(&r.scenario, issue, &units));
    out.push_str(&rounds::section(r, issue, &units));
    out.push_str(&uncertainty::histograms(r, issue, &units));
    out.push_str(&uncertainty::tornadoes(r, issue, &units));
    out.push_str(&uncertainty::levers(r, issue, &units));
    out.push_str(&issue::stance_notes(&r.scenario, issue));
    out.push_str("</section>\n");
    out
}

/// True when the optional section has data.
fn has(r: &Report, s: Section) -> bool {
    match s {
        Section::MonteCarlo => !r.histograms.is_empty(),
        Section::Sensitivity => !r.tornadoes.is_empty(),
        Section::Levers => !r.levers.is_empty(),
        Section::Backtest => !r.backtests.is_empty(),
    }
}

/// Free text as paragraphs (blank lines separate them), escaped.
fn paragraphs(text: &str, class: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p class=\"{class}\">{}</p>\n", overview::lines(p)))
        .collect()
}

/// A labelled line of sources (links for plain web addresses), or nothing.
fn sources(list: &[String], label: &str) -> String {
    if list.is_empty() {
        return String::new();
    }
    let items: Vec<String> = list.iter().map(|s| crate::html::source(s)).collect();
    format!(
        "<p class=\"sources\"><b>{}:</b> {}</p>\n",
        esc(label),
        items.join("; ")
    )
}
