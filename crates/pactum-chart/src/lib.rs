//! pactum-chart: every chart of pactum drawn once, as SVG text.
//!
//! The HTML report (`pactum-report`) and the web page (`pactum serve`, which serves these
//! strings from `POST /api/charts` and with its Monte Carlo jobs) show the same bytes for
//! the same inputs. Each function takes plain data (a scenario and issue, forecasts,
//! histograms, tornado rows) and returns one `<svg>` element: a 640-unit-wide view box that
//! scales to its container, with `role="img"`, a `<title>` and a `<desc>` (the accessible
//! name and text alternative), labelled axes in the issue's units and the Okabe–Ito
//! palette. Nothing here knows about HTTP, terminals or files.
//!
//! Output is a pure function of the input: fixed decimals ([`fmt`]), no clock, no hash-map
//! order; every user string passes through [`fmt::esc`].

pub mod fmt;
mod histogram;
mod map;
mod rounds;
pub mod scale;
mod tornado;
mod winset;

pub use fmt::decimals;
pub use histogram::{Bin, Histogram, histogram};
pub use map::{
    MAP_ACTORS, Participant, markers, participants, plain_unit, position_map, short_label,
};
pub use rounds::{round_actors, round_medians, y_domain};
pub use tornado::{TORNADO_ROWS, Tornado, TornadoRow, moving_rows, swing, tornado};
pub use winset::{Side, sides, win_set};

use pactum::{Forecast, IssueForecast, Scenario};

/// The display name of a forecast: the model, with its preset if any.
pub fn model_label(f: &Forecast) -> String {
    match &f.preset {
        Some(p) => format!("{} ({p})", f.model),
        None => f.model.clone(),
    }
}

/// The forecast of issue `issue` under `f`, if the model gave one.
pub fn issue_forecast<'a>(f: &'a Forecast, issue: &str) -> Option<&'a IssueForecast> {
    f.issues.iter().find(|i| i.id == issue)
}

/// The display name of actor `id` (its id when unknown).
pub fn actor_label<'a>(s: &'a Scenario, id: &'a str) -> &'a str {
    s.actor(id).map(|a| a.label()).unwrap_or(id)
}

/// The issue's question, or its id when no question is written.
pub fn issue_title(i: &pactum::Issue) -> &str {
    if i.question.trim().is_empty() {
        &i.id
    } else {
        &i.question
    }
}

/// Shortens `s` to at most `n` characters, with an ellipsis (before escaping).
pub fn clip(s: &str, n: usize) -> String {
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
pub fn clip_middle(s: &str, n: usize) -> String {
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
