//! Backtest tables: each model's errors on negotiations with known outcomes.

use crate::BacktestTable;
use crate::html::{esc, num, signed};

/// The backtest section: one table per [`BacktestTable`], lowest MAE in bold.
pub fn section(tables: &[BacktestTable]) -> String {
    let mut out = String::from(
        "<section id=\"backtest\">\n<h2>Backtest</h2>\n<p>How far each model's forecasts fell from the known outcomes of past negotiations. Lower is better; the lowest mean absolute error of each table is in bold.</p>\n",
    );
    for t in tables {
        out.push_str(&table(t));
    }
    out.push_str("</section>\n");
    out
}

fn table(t: &BacktestTable) -> String {
    let mut out = String::new();
    if !t.title.is_empty() {
        out.push_str(&format!("<h3>{}</h3>\n", esc(&t.title)));
    }
    if !t.dataset.is_empty() {
        out.push_str(&format!("<p class=\"meta\">{}</p>\n", esc(&t.dataset)));
    }
    let unit = if t.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", esc(&t.unit))
    };
    out.push_str(&format!(
        "<div class=\"scroll\"><table>\n<caption>Errors by model{unit}</caption>\n<thead><tr><th scope=\"col\">Model</th><th scope=\"col\" class=\"n\">Issues</th><th scope=\"col\" class=\"n\">MAE</th><th scope=\"col\" class=\"n\">RMSE</th><th scope=\"col\" class=\"n\">Median AE</th>{}</tr></thead>\n<tbody>\n",
        diff_head(t)
    ));
    let best = t
        .rows
        .iter()
        .map(|r| r.mae)
        .filter(|m| m.is_finite())
        .min_by(|a, b| a.total_cmp(b));
    let d = decimals_for(t);
    let with_diff = t.rows.iter().any(|r| r.mae_difference.is_some());
    for r in &t.rows {
        let class = if Some(r.mae) == best { "n best" } else { "n" };
        let diff = match (with_diff, r.mae_difference) {
            (false, _) => String::new(),
            (true, None) => "<td class=\"n\">—</td>".into(),
            (true, Some(x)) => format!(
                "<td class=\"n\">{} [{}, {}]</td>",
                signed(x.estimate, d),
                signed(x.lo, d),
                signed(x.hi, d)
            ),
        };
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"{class}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{diff}</tr>\n",
            esc(&r.model),
            r.n,
            num(r.mae, d),
            num(r.rmse, d),
            num(r.median_ae, d)
        ));
    }
    out.push_str("</tbody></table></div>\n");
    for n in &t.notes {
        out.push_str(&format!("<p class=\"meta\">{}</p>\n", esc(n)));
    }
    out
}

/// The difference column's heading, when any row has a difference.
fn diff_head(t: &BacktestTable) -> String {
    if !t.rows.iter().any(|r| r.mae_difference.is_some()) {
        return String::new();
    }
    let label = if t.difference_label.is_empty() {
        "MAE difference (interval)"
    } else {
        &t.difference_label
    };
    format!("<th scope=\"col\" class=\"n\">{}</th>", esc(label))
}

/// Decimals for the errors: about three significant digits of the largest error.
fn decimals_for(t: &BacktestTable) -> usize {
    let max = t
        .rows
        .iter()
        .flat_map(|r| [r.mae, r.rmse, r.median_ae])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    if max <= 0.0 {
        return 2;
    }
    (2 - max.log10().floor() as i32).clamp(0, 4) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BacktestRow;

    fn row(model: &str, mae: f64) -> BacktestRow {
        BacktestRow {
            model: model.into(),
            n: 160,
            mae,
            rmse: mae * 1.3,
            median_ae: mae * 0.8,
            mae_difference: None,
        }
    }

    #[test]
    fn lowest_mae_is_bold_and_numbers_right_aligned() {
        let t = BacktestTable {
            title: "All <issues>".into(),
            dataset: "DEU III (CC BY 4.0)".into(),
            unit: "points on the 0–100 scale".into(),
            rows: vec![row("compromise", 22.84), row("median", 24.9)],
            notes: vec!["grouped 5-fold".into()],
            ..Default::default()
        };
        let html = section(&[t]);
        assert!(html.contains("<td class=\"n best\">22.8</td>"));
        assert!(html.contains("<td class=\"n\">24.9</td>"));
        assert!(html.contains("<td class=\"n\">160</td>"));
        assert!(html.contains("All &lt;issues&gt;"));
        assert!(html.contains("(points on the 0–100 scale)"));
        assert!(html.contains("grouped 5-fold"));
    }

    #[test]
    fn differences_get_a_column_only_when_given() {
        let mut t = BacktestTable {
            rows: vec![row("compromise", 22.8), row("median", 24.9)],
            difference_label: "MAE − compromise (95% CI)".into(),
            ..Default::default()
        };
        assert!(!section(std::slice::from_ref(&t)).contains("MAE − compromise"));
        t.rows[1].mae_difference = Some(crate::Difference {
            estimate: 2.1,
            lo: 0.4,
            hi: 3.9,
        });
        let html = section(&[t]);
        assert!(html.contains("<th scope=\"col\" class=\"n\">MAE − compromise (95% CI)</th>"));
        assert!(html.contains("<td class=\"n\">+2.1 [+0.4, +3.9]</td>"));
        assert!(html.contains("<td class=\"n\">—</td>"), "the reference row");
    }

    #[test]
    fn small_errors_get_more_decimals() {
        let t = BacktestTable {
            rows: vec![row("a", 0.0123)],
            ..Default::default()
        };
        assert!(section(&[t]).contains("0.0123"));
    }
}
