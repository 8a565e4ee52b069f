//! An illustrative report with every section filled with made-up numbers, for tests and
//! for previewing the layout (`cargo run -p pactum-report --example demo`). None of these
//! numbers comes from a model or a real negotiation.

use crate::{
    BacktestRow, BacktestTable, Bin, Difference, Histogram, Lever, Levers, Report, Tornado,
    TornadoRow,
};
use pactum::models::{Forecast, IssueForecast, Positions, Round};
use pactum::{Scenario, Snapshot, stats};

/// A fictional two-issue scenario (the text of a native TOML file).
pub const SCENARIO: &str = r#"
title = "Illustrative: a fictional trade round"
frozen_at = "2025-01-15"
author = "pactum test suite"
notes = "Made-up numbers to preview every section of the report. Not a real negotiation."
sources = ["https://example.org/briefing", "Interview notes, January 2025"]

[[actors]]
id = "north"
name = "Northland"
capability = 40
group = "Bloc A"
notes = "Largest market."

[[actors]]
id = "south"
name = "Southland"
capability = { low = 20, mode = 25, high = 30 }
group = "Bloc A"

[[actors]]
id = "east"
name = "Eastmark"
capability = 15
group = "Bloc B"

[[actors]]
id = "west"
name = "Westport"
capability = 10
group = "Bloc B"
sources = ["Westport trade ministry, press release"]

[[actors]]
id = "farm"
name = "Farm lobby"
capability = 8

[[issues]]
id = "tariff"
question = "Final tariff on processed food"
scale = { lo = 0, hi = 40, unit = "%", lo_label = "free trade", hi_label = "today's tariff" }
reference_point = 38.5
outcome = { value = 12.0, date = "2025-06-30", sources = ["Final act, annex 2"] }

[[issues]]
id = "phase-in"
question = "Years to phase the cut in"
scale = { lo = 0, hi = 15, unit = "years", lo_label = "at once", hi_label = "fifteen years" }
reference_point = 0

[[stances]]
actor = "north"
issue = "tariff"
position = 5
salience = 0.6
notes = "Stated at the ministerial."

[[stances]]
actor = "south"
issue = "tariff"
position = { low = 10, mode = 15, high = 20 }
salience = 0.5

[[stances]]
actor = "east"
issue = "tariff"
position = 30
salience = 0.8

[[stances]]
actor = "west"
issue = "tariff"
position = 20
salience = { low = 0.3, mode = 0.4, high = 0.6 }

[[stances]]
actor = "farm"
issue = "tariff"
position = 38.5
salience = 1.0
capability = 12

[[stances]]
actor = "north"
issue = "phase-in"
position = 3
salience = 0.4

[[stances]]
actor = "south"
issue = "phase-in"
position = 5
salience = 0.3

[[stances]]
actor = "east"
issue = "phase-in"
position = 12
salience = 0.7

[[stances]]
actor = "farm"
issue = "phase-in"
position = 15
salience = 0.9
"#;

/// The demo scenario, read and validated.
pub fn scenario() -> Scenario {
    let loaded = pactum::io::read("demo.toml", SCENARIO.as_bytes(), None)
        .expect("the demo scenario is valid");
    loaded.scenarios.into_iter().next().expect("one scenario")
}

/// A made-up bargaining forecast: every actor moves `pull` of the way to the weighted
/// mean each round, for `rounds` rounds.
pub fn converging_forecast(s: &Scenario, model: &str, rounds: usize, pull: f64) -> Forecast {
    let snap = Snapshot::modes(s);
    let mut issues = Vec::new();
    for d in &snap.issues {
        let w: Vec<f64> = (0..d.len()).map(|k| d.weight(k)).collect();
        let mut x = d.position.clone();
        let mut path = Vec::new();
        for r in 0..=rounds {
            let median = stats::weighted_median(&x, &w).unwrap_or(f64::NAN);
            let mean = stats::weighted_mean(&x, &w).unwrap_or(f64::NAN);
            path.push(Round {
                round: r,
                median,
                mean,
                positions: Positions(
                    d.actors
                        .iter()
                        .zip(&x)
                        .map(|(a, v)| (snap.actor_ids[*a].clone(), *v))
                        .collect(),
                ),
                details: Default::default(),
            });
            x = x.iter().map(|v| v + pull * (mean - v)).collect();
        }
        let last = path.last().expect("at least round 0");
        issues.push(IssueForecast {
            id: snap.issue_ids[d.issue].clone(),
            forecast: last.median,
            mean: last.mean,
            rounds: path,
            details: Default::default(),
        });
    }
    Forecast {
        model: model.to_string(),
        preset: None,
        parameters: vec![("pull".into(), format!("{pull}"))],
        issues,
        details: Default::default(),
    }
}

/// A report with every section filled (illustrative numbers).
pub fn report() -> Report {
    let s = scenario();
    let snap = Snapshot::modes(&s);
    let mut forecasts = Vec::new();
    let mut summaries = Vec::new();
    for m in pactum::models::baselines() {
        if let Ok(f) = m.solve(&snap, &pactum::Params::new()) {
            forecasts.push(f);
            summaries.push((m.name().to_string(), m.summary().to_string()));
        }
    }
    forecasts.push(converging_forecast(&s, "converge-fast", 6, 0.5));
    forecasts.push(converging_forecast(&s, "converge-slow", 12, 0.15));
    for (name, pull) in [("converge-fast", "half"), ("converge-slow", "15%")] {
        summaries.push((
            name.to_string(),
            format!("made-up path for the demo: actors move {pull} of the way to the weighted mean each round"),
        ));
    }
    let mut r = Report::new(s, forecasts);
    r.model_summaries = summaries;
    r.histograms = vec![Histogram {
        issue_id: "tariff".into(),
        model: "converge-fast".into(),
        draws: 1000,
        bins: (0..12)
            .map(|k| Bin {
                lo: 8.0 + 2.0 * k as f64,
                hi: 10.0 + 2.0 * k as f64,
                count: [4, 15, 42, 88, 140, 190, 176, 139, 101, 63, 31, 11][k],
            })
            .collect(),
        p10: 13.1,
        p50: 19.2,
        p90: 25.4,
        mean: Some(19.4),
        p_agreement: None,
    }];
    r.tornadoes = vec![Tornado {
        issue_id: "tariff".into(),
        model: "converge-fast".into(),
        baseline: 19.0,
        rows: vec![
            row("Westport salience", 0.3, 0.6, 18.5, 20.1),
            row("Southland capability", 20.0, 30.0, 21.0, 17.2),
            row("Southland position", 10.0, 20.0, 16.0, 22.5),
            row("Farm lobby salience", 0.8, 1.0, 18.9, 19.0),
        ],
    }];
    r.levers = vec![Levers {
        actor_id: "east".into(),
        issue_id: "tariff".into(),
        model: "converge-fast".into(),
        baseline: 19.0,
        ideal: 30.0,
        rows: vec![
            Lever {
                label: "raise own salience 0.8 → 1.0".into(),
                forecast: 20.5,
            },
            Lever {
                label: "win over Westport (20 → 28)".into(),
                forecast: 24.0,
            },
            Lever {
                label: "lose Farm lobby support".into(),
                forecast: 15.0,
            },
        ],
    }];
    r.backtests = vec![BacktestTable {
        title: "Illustrative dataset, all issues".into(),
        dataset: "Made-up scores for layout only.".into(),
        unit: "points on the 0–100 scale".into(),
        rows: vec![
            backtest_row("compromise", 160, 22.8, 29.1, 18.4),
            backtest_row("median", 160, 24.9, 33.0, 17.9),
            backtest_row("converge-fast", 160, 23.6, 31.2, 18.0),
        ],
        notes: vec!["Five-fold cross-validation grouped by proposal.".into()],
        difference_label: "MAE − compromise (95% CI)".into(),
    }];
    r.run_facts = vec![
        ("Seed".into(), "42".into()),
        ("Draws".into(), "1000".into()),
    ];
    r.source_name = Some("demo.toml".into());
    r
}

fn row(label: &str, lo: f64, hi: f64, at_lo: f64, at_hi: f64) -> TornadoRow {
    TornadoRow {
        label: label.into(),
        low_value: lo,
        high_value: hi,
        forecast_at_low: at_lo,
        forecast_at_high: at_hi,
    }
}

fn backtest_row(model: &str, n: u64, mae: f64, rmse: f64, median_ae: f64) -> BacktestRow {
    BacktestRow {
        model: model.into(),
        n,
        mae,
        rmse,
        median_ae,
        mae_difference: (model != "compromise").then_some(Difference {
            estimate: mae - 22.8,
            lo: mae - 24.0,
            hi: mae - 21.5,
        }),
    }
}
