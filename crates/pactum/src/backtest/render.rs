//! Plain-text and CSV renderings of a [`Report`]. The library returns strings; front ends
//! print or save them.

use super::{IssueRow, ModelScore, Report};
use std::fmt::Write;

fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into())
}

/// Signed with two decimals; values that round to zero print as `+0.00` (never `-0.00`).
fn signed(x: f64) -> String {
    if x.abs() < 0.005 {
        "+0.00".into()
    } else {
        format!("{x:+.2}")
    }
}

fn delta(s: &ModelScore, cluster: &str) -> String {
    match &s.mae_minus_compromise {
        Some(i) => match (i.lo, i.hi) {
            (Some(lo), Some(hi)) => {
                format!("{} [{}, {}]", signed(i.estimate), signed(lo), signed(hi))
            }
            _ => format!("{} (one {cluster}: no interval)", signed(i.estimate)),
        },
        None if s.model == "compromise" && s.preset.is_none() => "(baseline)".into(),
        None => "-".into(),
    }
}

fn score_lines(out: &mut String, scores: &[ModelScore], indent: &str, cluster: &str) {
    let width = scores
        .iter()
        .map(|s| s.label().len())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        out,
        "{indent}{:<width$}  {:>4}  {:>6}  {:>6}  {:>6}  {:>5}  MAE - compromise [95% CI]",
        "model", "n", "MAE", "RMSE", "MedAE", "<=10"
    );
    for s in scores {
        let within = s
            .within_10
            .map(|w| format!("{:.0}%", w * 100.0))
            .unwrap_or_else(|| "-".into());
        let missing = if s.n_missing > 0 {
            format!("  ({} not forecast)", s.n_missing)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{indent}{:<width$}  {:>4}  {:>6}  {:>6}  {:>6}  {:>5}  {}{missing}",
            s.label(),
            s.n,
            num(s.mae),
            num(s.rmse),
            num(s.median_ae),
            within,
            delta(s, cluster)
        );
    }
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "-".into())
}

fn one_decimal(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into())
}

fn ci(s: &super::intervals::IntervalScores, key: &str, f: fn(Option<f64>) -> String) -> String {
    match s.interval_ci.get(key) {
        Some([Some(lo), Some(hi)]) => format!("[{}, {}]", f(Some(*lo)), f(Some(*hi))),
        _ => String::new(),
    }
}

/// The held-out intervals of every model, and the naive interval.
fn interval_lines(out: &mut String, r: &Report) {
    let _ = writeln!(
        out,
        "\nPredictive intervals, held out ({}).",
        r.interval_method
    );
    if let Some(n) = &r.naive_interval {
        let _ = writeln!(
            out,
            "Naive interval ({}): coverage {}, mean width {:.1} on {} issues.",
            n.interval,
            pct(Some(n.coverage.estimate)),
            n.width.estimate,
            n.n
        );
    }
    let width = r
        .models
        .iter()
        .map(|s| s.label().len())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        out,
        "{:<width$}  {:>4}  {:>5}  {:>5} {:<11}  {:>7} {:<13}  {:>7}  {:>6}",
        "model", "n", "cov50", "cov80", "[95% CI]", "width80", "[95% CI]", "IS80", "CRPS"
    );
    let naive = r
        .naive_interval
        .as_ref()
        .and_then(|n| n.calibrated.as_ref());
    let rows = r
        .models
        .iter()
        .map(|m| (m.label(), m.intervals.as_ref()))
        .chain(std::iter::once(("naive (midrange)".to_string(), naive)));
    for (label, s) in rows {
        let Some(s) = s else {
            let _ = writeln!(
                out,
                "{label:<width$}  no interval (no forecast or no score)"
            );
            continue;
        };
        let _ = writeln!(
            out,
            "{:<width$}  {:>4}  {:>5}  {:>5} {:<11}  {:>7.1} {:<13}  {:>7.1}  {:>6.2}",
            label,
            s.n_intervals,
            pct(Some(s.coverage_50)),
            pct(Some(s.coverage_80)),
            ci(s, "coverage_80", pct),
            s.width_80,
            ci(s, "width_80", one_decimal),
            s.interval_score_80,
            s.crps
        );
    }
}

/// The backtest as a plain-text table (errors on the 0–100 scale).
pub fn table(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Backtest on {}: {} issues with an outcome in {} {}(s); {} without outcome not scored; {} rows skipped; {} {} in all",
        r.dataset,
        r.n_issues,
        r.n_proposals,
        r.cluster,
        r.n_unscored,
        r.n_skipped,
        r.n_rows,
        if r.cluster == "proposal" {
            "rows"
        } else {
            "issues"
        }
    );
    let _ = writeln!(out, "Capabilities: {}", r.capability);
    let _ = writeln!(
        out,
        "Absolute errors on the 0-100 scale. Intervals: paired bootstrap, {} replicates resampling {}, seed {}.\n",
        r.replicates, r.resampling, r.seed
    );
    score_lines(&mut out, &r.models, "", &r.cluster);
    interval_lines(&mut out, r);
    for (title, groups) in [
        ("procedure", &r.by_procedure),
        ("voting rule", &r.by_voting_rule),
    ] {
        if groups.len() < 2 {
            continue;
        }
        let _ = writeln!(out, "\nBy {title}:");
        for g in groups {
            let _ = writeln!(out, "  {} ({} issues)", g.value, g.n_issues);
            score_lines(&mut out, &g.models, "    ", &r.cluster);
        }
    }
    if let Some(t) = &r.tuned {
        let _ = writeln!(
            out,
            "\nTuned model `{}` ({} grid points): {}.",
            t.model, t.grid_points, t.method
        );
        for f in &t.folds {
            let _ = writeln!(
                out,
                "  fold {}: fitted on {} issues ({} {c}s): {} (train MAE {:.2}); held out {} issues ({} {c}s): MAE {}",
                f.fold,
                f.train_issues,
                f.train_proposals,
                f.parameters.join(" "),
                f.train_mae,
                f.test_issues,
                f.test_proposals,
                num(f.test_mae),
                c = r.cluster
            );
        }
        let _ = writeln!(out, "  Held-out forecasts only:");
        score_lines(&mut out, std::slice::from_ref(&t.score), "    ", &r.cluster);
        if !t.parameters_for_new_data.is_empty() {
            let _ = writeln!(
                out,
                "  For new data, fitted on all issues (in-sample error not reported): {}",
                t.parameters_for_new_data.join(" ")
            );
        }
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings ({}):", r.warnings.len());
        for w in &r.warnings {
            let _ = writeln!(out, "  {w}");
        }
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(out, "\nSkipped rows ({}):", r.n_skipped);
        for s in &r.skipped {
            let _ = writeln!(out, "  {}: {}", s.location, s.message);
        }
    }
    if !r.unscored.is_empty() {
        let list: Vec<String> = r
            .unscored
            .iter()
            .map(|u| format!("{} ({})", u.issue, u.location))
            .collect();
        let _ = writeln!(
            out,
            "\nNot scored, no outcome ({}): {}",
            r.n_unscored,
            list.join(", ")
        );
    }
    out
}

/// Every forecast of every scored issue: in the issue's own units and on 0–100.
pub fn issues_table(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<24} {:<16} {:>10} {:>10} {:>10} {:>8} {:>8}  unit",
        "issue", "model", "forecast", "outcome", "abs err", "err/100", "fc/100"
    );
    for row in &r.rows {
        let label = if row.preset.is_empty() {
            row.model.clone()
        } else {
            format!("{}:{}", row.model, row.preset)
        };
        let _ = writeln!(
            out,
            "{:<24} {:<16} {:>10} {:>10.2} {:>10} {:>8} {:>8}  {}",
            row.issue,
            label,
            num(row.forecast),
            row.outcome,
            num(row.abs_error),
            num(row.abs_error_100),
            num(row.forecast_100),
            row.unit
        );
    }
    out
}

/// The per-issue CSV: one line per (issue, model), with a header.
pub fn issues_csv(r: &Report) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in &r.rows {
        w.serialize::<&IssueRow>(row)?;
    }
    if r.rows.is_empty() {
        w.write_record([
            "proposal",
            "issue",
            "procedure",
            "voting_rule",
            "model",
            "preset",
            "unit",
            "forecast",
            "outcome",
            "abs_error",
            "forecast_100",
            "outcome_100",
            "abs_error_100",
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::signed;

    #[test]
    fn no_negative_zero() {
        assert_eq!(signed(-1e-15), "+0.00");
        assert_eq!(signed(-0.004), "+0.00");
        assert_eq!(signed(-0.006), "-0.01");
        assert_eq!(signed(1.234), "+1.23");
    }
}
