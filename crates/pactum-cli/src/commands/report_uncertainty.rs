//! Fills the report's Monte Carlo, tornado and levers sections from `pactum::uncertainty`.

use crate::Failure;
use pactum::Scenario;
use pactum::models::{Model, Params};
use pactum::uncertainty::{self, LeverOptions, SensitivityOptions, SimulationOptions};
use pactum_report::{Histogram, Lever, Levers, Report, Tornado, TornadoRow};

/// An input as an analyst reads it: `Germany salience` rather than `de.salience@issue`.
fn input_label(scenario: &Scenario, actor: &str, field: &str) -> String {
    let name = scenario
        .actor(actor)
        .map(|a| pactum_report::short_label(a.label()))
        .unwrap_or(actor);
    format!("{name} {field}")
}

/// Monte Carlo histograms of every issue under `model`.
pub fn histograms(
    report: &mut Report,
    model: &dyn Model,
    scenario: &Scenario,
    params: &Params,
    draws: u64,
    seed: u64,
) -> Result<(), Failure> {
    let opts = SimulationOptions {
        draws,
        seed,
        ..SimulationOptions::default()
    };
    let sim = uncertainty::simulate(model, scenario, params, &opts, None)
        .map_err(|e| Failure::Runtime(format!("Monte Carlo of {}: {e}", model.name())))?;
    report.histograms.extend(Histogram::from_simulation(&sim));
    Ok(())
}

/// One-at-a-time swings of every issue under `model`.
pub fn tornadoes(
    report: &mut Report,
    model: &dyn Model,
    scenario: &Scenario,
    params: &Params,
    seed: u64,
) -> Result<(), Failure> {
    let opts = SensitivityOptions {
        samples: 0,
        seed,
        ..SensitivityOptions::default()
    };
    let sens = uncertainty::sensitivity(model, scenario, params, &opts)
        .map_err(|e| Failure::Runtime(format!("sensitivity of {}: {e}", model.name())))?;
    for i in sens.issues.iter().filter(|i| !i.tornado.is_empty()) {
        report.tornadoes.push(Tornado {
            issue_id: i.id.clone(),
            model: sens.model.clone(),
            baseline: i.at_modes,
            rows: i
                .tornado
                .iter()
                .map(|s| TornadoRow {
                    label: input_label(scenario, &s.actor, s.field.name()),
                    low_value: s.low_value,
                    high_value: s.high_value,
                    forecast_at_low: s.forecast_at_low,
                    forecast_at_high: s.forecast_at_high,
                })
                .collect(),
        });
    }
    Ok(())
}

/// The levers of `actor` on every issue it takes part in, under `model`.
pub fn levers(
    report: &mut Report,
    model: &dyn Model,
    scenario: &Scenario,
    params: &Params,
    actor: &str,
    seed: u64,
) -> Result<(), Failure> {
    let opts = LeverOptions {
        draws: 0,
        seed,
        ..LeverOptions::default()
    };
    let found = uncertainty::levers(model, scenario, params, actor, &opts)
        .map_err(|e| Failure::Input(format!("levers of {actor}: {e}")))?;
    for i in &found.issues {
        let rows = i
            .own
            .iter()
            .chain(&i.others)
            .map(|l| Lever {
                label: format!(
                    "{} {} {} → {}",
                    scenario
                        .actor(&l.actor)
                        .map(|a| pactum_report::short_label(a.label()))
                        .unwrap_or(&l.actor),
                    l.field.name(),
                    pactum_report_number(l.from),
                    pactum_report_number(l.to)
                ),
                forecast: l.forecast,
            })
            .collect();
        report.levers.push(Levers {
            actor_id: found.actor.clone(),
            issue_id: i.id.clone(),
            model: found.model.clone(),
            baseline: i.forecast,
            ideal: i.target,
            rows,
        });
    }
    Ok(())
}

/// Up to three decimals, trailing zeros dropped.
fn pactum_report_number(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
