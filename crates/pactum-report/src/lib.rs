//! pactum-report: one self-contained HTML file describing a scenario and its forecasts.
//!
//! The page has inline CSS and SVG only: no script, no font or image from the network. It
//! reads without JavaScript, prints on A4 or Letter, and every chart has a title, labelled
//! axes in the issue's units and a text alternative (a table, or an SVG `<desc>`).
//!
//! Build a [`Report`] from a scenario and the [`Forecast`]s of any models, optionally add the
//! Monte Carlo [`Histogram`]s, [`Tornado`]s, [`Levers`] and [`BacktestTable`]s, and call
//! [`render`]. Sections whose data is absent are listed on the page as not computed.
//!
//! The output is a pure function of the [`Report`]: no clock, no randomness, no hash-map
//! order, numbers with fixed decimals. Every user-supplied string is HTML-escaped.

#[doc(hidden)]
pub mod demo;
mod html;
mod sections;

pub use pactum_chart::{Bin, Histogram, Tornado, TornadoRow, short_label};

use pactum::{Forecast, Scenario};

/// Everything a report shows. Fill what you have; empty optional parts are reported on the
/// page as not computed.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The scenario (validated), as read.
    pub scenario: Scenario,
    /// Where the scenario came from, shown in the colophon (e.g. the file name).
    pub source_name: Option<String>,
    /// One forecast per model run, in the order they should be shown.
    pub forecasts: Vec<Forecast>,
    /// One line per model saying what it predicts: (model, summary), shown under "Models".
    pub model_summaries: Vec<(String, String)>,
    /// Models that were asked for or tried but gave no forecast: (model, reason).
    pub skipped_models: Vec<(String, String)>,
    /// Monte Carlo outcome distributions, per issue and model. Empty: not computed.
    pub histograms: Vec<Histogram>,
    /// One-at-a-time sensitivity swings, per issue and model. Empty: not computed.
    pub tornadoes: Vec<Tornado>,
    /// Levers for one actor, per issue and model. Empty: not computed.
    pub levers: Vec<Levers>,
    /// Backtest score tables. Empty: not computed.
    pub backtests: Vec<BacktestTable>,
    /// Why a section was not computed, shown instead of the default explanation.
    pub not_computed: Vec<(Section, String)>,
    /// Run facts for the colophon, e.g. `("seed", "42")`, `("draws", "10000")`.
    pub run_facts: Vec<(String, String)>,
    /// A date or time to print as the generation time. Never taken from the clock, so the
    /// same inputs give the same file.
    pub generated_at: Option<String>,
}

impl Report {
    /// A report of `scenario` with these forecasts and nothing else.
    pub fn new(scenario: Scenario, forecasts: Vec<Forecast>) -> Report {
        Report {
            scenario,
            forecasts,
            ..Report::default()
        }
    }
}

/// The optional sections of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Monte Carlo outcome distributions ([`Report::histograms`]).
    MonteCarlo,
    /// Sensitivity tornadoes ([`Report::tornadoes`]).
    Sensitivity,
    /// Levers for an actor ([`Report::levers`]).
    Levers,
    /// Backtest scores ([`Report::backtests`]).
    Backtest,
}

impl Section {
    /// Every optional section, in page order.
    pub const ALL: [Section; 4] = [
        Section::MonteCarlo,
        Section::Sensitivity,
        Section::Levers,
        Section::Backtest,
    ];

    /// The section's heading.
    pub fn title(self) -> &'static str {
        match self {
            Section::MonteCarlo => "Monte Carlo distribution",
            Section::Sensitivity => "Sensitivity (tornado)",
            Section::Levers => "Levers",
            Section::Backtest => "Backtest",
        }
    }
}

/// What could move one issue's forecast toward one actor's position, under one model.
#[derive(Debug, Clone, PartialEq)]
pub struct Levers {
    /// The actor the levers are for (an actor id of the scenario).
    pub actor_id: String,
    /// The issue's id.
    pub issue_id: String,
    /// The model.
    pub model: String,
    /// The forecast before any move, in the issue's units.
    pub baseline: f64,
    /// The outcome the actor wants (its position), in the issue's units.
    pub ideal: f64,
    /// Candidate moves; the renderer sorts them by gain, largest first.
    pub rows: Vec<Lever>,
}

/// One candidate move of [`Levers`].
#[derive(Debug, Clone, PartialEq)]
pub struct Lever {
    /// The move in words, e.g. `raise own salience 0.4 → 0.8` or `win over Beta (position 40 → 25)`.
    pub label: String,
    /// The forecast after the move, in the issue's units.
    pub forecast: f64,
}

impl Lever {
    /// How much closer the forecast comes to `ideal` than `baseline` was, in the issue's
    /// units (negative: the move hurts the actor).
    pub fn gain(&self, baseline: f64, ideal: f64) -> f64 {
        (baseline - ideal).abs() - (self.forecast - ideal).abs()
    }
}

/// Scores of several models on a dataset of negotiations with known outcomes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BacktestTable {
    /// Heading, e.g. `DEU III, all issues` or `by procedure: COD`.
    pub title: String,
    /// The dataset and its citation, shown under the heading.
    pub dataset: String,
    /// The units of the errors, e.g. `points on the 0–100 scale`.
    pub unit: String,
    /// One row per model.
    pub rows: Vec<BacktestRow>,
    /// Notes under the table (cross-validation scheme, intervals, caveats).
    pub notes: Vec<String>,
    /// Heading of the [`BacktestRow::mae_difference`] column, e.g. `MAE − compromise (95% CI)`.
    pub difference_label: String,
}

/// One model's scores in a [`BacktestTable`].
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestRow {
    /// The model.
    pub model: String,
    /// Number of issues scored.
    pub n: u64,
    /// Mean absolute error, in [`BacktestTable::unit`].
    pub mae: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Median absolute error.
    pub median_ae: f64,
    /// This model's MAE minus the reference model's (usually the compromise), with a
    /// confidence interval; `None` when not computed (or for the reference model itself).
    pub mae_difference: Option<Difference>,
}

/// A difference with its confidence interval, in the table's units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// The point estimate (negative: better than the reference model).
    pub estimate: f64,
    /// Lower end of the interval.
    pub lo: f64,
    /// Upper end of the interval.
    pub hi: f64,
}

/// The whole page as one HTML string (UTF-8, self-contained, deterministic).
pub fn render(report: &Report) -> String {
    sections::page(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = r#"
title = "<script>alert(1)</script> talks"
notes = "a & b < c"
sources = ["javascript:alert(1)", "https://example.org/x?a=1&b=\"2\""]

[[actors]]
id = "evil"
name = "<script>alert(1)</script>"
capability = 1
notes = "<img src=x onerror=alert(1)>"

[[actors]]
id = "ok"
name = "Fine \"quoted\" 'actor'"
capability = 1

[[issues]]
id = "i<1>"
question = "</title><script>x()</script>"
scale = { lo = 0, hi = 10, unit = "<b>u</b>", lo_label = "<i>lo", hi_label = "hi</svg>" }

[[stances]]
actor = "evil"
issue = "i<1>"
position = 2
salience = 1

[[stances]]
actor = "ok"
issue = "i<1>"
position = 8
salience = 1
"#;

    fn hostile() -> Report {
        let s = pactum::io::read("hostile.toml", HOSTILE.as_bytes(), None)
            .unwrap()
            .scenarios
            .remove(0);
        let snap = pactum::Snapshot::modes(&s);
        let mut f = pactum::models::by_name("compromise")
            .unwrap()
            .solve(&snap, &pactum::Params::new())
            .unwrap();
        f.model = "<script>m</script>".into();
        let mut r = Report::new(s, vec![f]);
        r.generated_at = Some("<script>t</script>".into());
        r.not_computed = vec![(Section::Levers, "<script>why</script>".into())];
        r
    }

    #[test]
    fn an_actor_named_script_renders_as_text() {
        let html = render(&hostile());
        assert!(
            !html.to_ascii_lowercase().contains("<script"),
            "a raw script tag reached the page"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("<b>u</b>"));
        assert!(!html.contains("hi</svg>"));
        assert!(!html.contains("href=\"javascript"));
        assert!(html.contains("&lt;script&gt;why&lt;/script&gt;"));
    }

    #[test]
    fn same_report_gives_the_same_bytes() {
        let a = render(&demo::report());
        let b = render(&demo::report().clone());
        assert_eq!(a, b);
        assert_eq!(render(&hostile()), render(&hostile()));
    }

    #[test]
    fn the_page_is_self_contained() {
        let html = render(&demo::report());
        let lower = html.to_ascii_lowercase();
        for needle in [
            "<script", " src=", "@import", "url(", "<link", "<iframe", "<img",
        ] {
            assert!(!lower.contains(needle), "found `{needle}`");
        }
        assert!(html.contains("@media print"));
        // The only addresses: the SVG namespace and the scenario's own sources.
        let outside: Vec<&str> = html
            .match_indices("http")
            .map(|(k, _)| &html[k..(k + 40).min(html.len())])
            .filter(|s| {
                !s.starts_with("http://www.w3.org/2000/svg")
                    && !s.starts_with("https://example.org/briefing")
                    && !s.starts_with("http-equiv")
            })
            .collect();
        assert!(outside.is_empty(), "{outside:?}");
    }

    #[test]
    fn no_nan_or_infinity_reaches_the_page() {
        let mut r = demo::report();
        r.forecasts[0].issues[0].forecast = f64::NAN;
        r.forecasts[0].issues[0].mean = f64::INFINITY;
        r.histograms[0].p10 = f64::NAN;
        r.tornadoes[0].rows[0].forecast_at_low = f64::NAN;
        r.levers[0].rows[0].forecast = f64::NEG_INFINITY;
        r.backtests[0].rows[0].rmse = f64::NAN;
        let html = render(&r);
        for needle in ["NaN", "inf"] {
            assert!(!html.contains(needle), "found `{needle}`");
        }
    }

    #[test]
    fn missing_sections_are_named_on_the_page() {
        let full = render(&demo::report());
        assert!(!full.contains("Not computed for this report"));
        let bare = Report::new(demo::scenario(), Vec::new());
        let html = render(&bare);
        assert!(html.contains("Not computed for this report"));
        for s in Section::ALL {
            assert!(html.contains(s.title()), "{} not listed", s.title());
        }
        assert!(html.contains("No model gave a forecast"));
        assert!(!html.contains("<h3>Monte Carlo distribution</h3>"));
        assert!(!html.contains("id=\"backtest\""));
    }

    /// Opening tags `<tag>` or `<tag …>` of `tag` in `html`.
    fn opened(html: &str, tag: &str) -> usize {
        html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count()
    }

    #[test]
    fn markup_is_balanced() {
        for html in [render(&demo::report()), render(&hostile())] {
            for tag in [
                "svg", "table", "figure", "section", "tr", "text", "p", "ul", "li", "title", "a",
            ] {
                assert_eq!(
                    opened(&html, tag),
                    html.matches(&format!("</{tag}>")).count(),
                    "<{tag}> is not balanced"
                );
            }
        }
    }

    #[test]
    fn generation_time_only_when_passed_in() {
        let mut r = demo::report();
        assert!(!render(&r).contains("Generated"));
        r.generated_at = Some("2025-02-01".into());
        assert!(render(&r).contains("<dt>Generated</dt><dd>2025-02-01</dd>"));
    }
}
