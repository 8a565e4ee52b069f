//! The shipped flagship case scored per issue: forecast against the recorded outcome, in the
//! issue's own units and on 0–100, checked against the models run directly.

use pactum::backtest::{self, DeuOptions, Options, Validation};
use pactum::models;

const FLAGSHIP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../cases/us-japan-2014.toml"
);

#[test]
fn flagship_case_is_scored_per_issue_in_units_and_on_0_100() {
    let d = backtest::load(
        std::path::Path::new(FLAGSHIP),
        DeuOptions::new(backtest::Capability::Equal),
    )
    .expect("cases/us-japan-2014.toml loads");
    let scenario = &d.groups[0].scenario;
    let with_outcome = scenario
        .issues
        .iter()
        .filter(|i| i.outcome.is_some())
        .count();
    assert!(with_outcome > 0);
    assert_eq!(d.cases.len(), with_outcome);
    let options = Options {
        runs: backtest::ModelRun::for_models(&models::baselines()),
        validation: Validation::None,
        ..Options::default()
    };
    let r = backtest::run(&d, &options).unwrap();
    let snap = pactum::Snapshot::modes(scenario);
    for m in models::baselines() {
        let direct = m.solve(&snap, &pactum::Params::new()).unwrap();
        for issue in scenario.issues.iter().filter(|i| i.outcome.is_some()) {
            let row = r
                .rows
                .iter()
                .find(|x| x.model == m.name() && x.issue == issue.id)
                .unwrap();
            let outcome = issue.outcome.as_ref().unwrap().value;
            let forecast = direct
                .issues
                .iter()
                .find(|f| f.id == issue.id)
                .map(|f| f.forecast);
            assert_eq!(row.forecast, forecast, "{} {}", m.name(), issue.id);
            if let Some(f) = forecast {
                let units = (f - outcome).abs();
                let pct = units / (issue.scale.hi - issue.scale.lo) * 100.0;
                assert!((row.abs_error.unwrap() - units).abs() < 1e-9);
                assert!((row.abs_error_100.unwrap() - pct).abs() < 1e-9);
                assert_eq!(row.unit, issue.scale.unit);
            }
        }
    }
    let table = backtest::render::issues_table(&r);
    for issue in &scenario.issues {
        assert!(table.contains(&issue.id));
    }
    // A single scenario is one cluster: no bootstrap interval is claimed.
    let median = r.models.iter().find(|m| m.model == "median").unwrap();
    assert_eq!(median.mae_minus_compromise.unwrap().lo, None);
}
