//! The page, section by section. Each function returns an HTML fragment; [`page`] joins them.

mod backtest;
pub(crate) mod issue;
mod overview;
mod rounds;
mod twolevel;
mod uncertainty;

use crate::html::{Units, esc};
use crate::{Report, Section};
use pactum::{Forecast, Issue, IssueForecast, Scenario};

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
    out.push_str(&issue::position_map(r, issue, &units));
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

/// The display name of a forecast: the model, with its preset if any.
fn model_label(f: &Forecast) -> String {
    match &f.preset {
        Some(p) => format!("{} ({p})", f.model),
        None => f.model.clone(),
    }
}

/// The forecast of `issue` under `f`, if the model gave one.
fn issue_forecast<'a>(f: &'a Forecast, issue: &str) -> Option<&'a IssueForecast> {
    f.issues.iter().find(|i| i.id == issue)
}

/// The display name of actor `id` (its id when unknown).
fn actor_label<'a>(s: &'a Scenario, id: &'a str) -> &'a str {
    s.actor(id).map(|a| a.label()).unwrap_or(id)
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

/// Shortens `s` to at most `n` characters, with an ellipsis (before escaping).
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Shortens `s` to at most `n` characters by cutting out its middle, so both the subject at
/// the start and the move at the end of a label stay readable (before escaping).
fn clip_middle(s: &str, n: usize) -> String {
    let len = s.chars().count();
    if len <= n || n < 5 {
        return s.to_string();
    }
    // The end (the field and the move) matters more than the rest of a long name.
    let tail = (n - 1) * 3 / 5;
    let head = n - 1 - tail;
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(len - tail).collect();
    format!("{}…{}", start.trim_end(), end.trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_keeps_the_ends() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
        let s = "Japan's Prime Minister's Office salience 0.7 → 1";
        let c = clip_middle(s, 30);
        assert!(c.chars().count() <= 30, "{c}");
        assert!(c.starts_with("Japan's Pri"), "{c}");
        assert!(c.ends_with("salience 0.7 → 1"), "{c}");
        assert_eq!(clip_middle("short", 30), "short");
    }
}
