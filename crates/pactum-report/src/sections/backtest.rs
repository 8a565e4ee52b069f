//! Backtest tables: each model's errors on negotiations with known outcomes.

use crate::BacktestTable;
use crate::html::{esc, num};

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
        "<div class=\"scroll\"><table>\n<caption>Errors by model{unit}</caption>\n<thead><tr><th scope=\"col\">Model</th><th scope=\"col\" class=\"n\">Issues</th><th scope=\"col\" class=\"n\">MAE</th><th scope=\"col\" class=\"n\">RMSE</th><th scope=\"col\" class=\"n\">Median AE</th></tr></thead>\n<tbody>\n"
    ));
    let best = t
        .rows
        .iter()
        .map(|r| r.mae)
        .filter(|m| m.is_finite())
        .min_by(|a, b| a.total_cmp(b));
    let d = decimals_for(t);
    for r in &t.rows {
        let class = if Some(r.mae) == best { "n best" } else { "n" };
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"{class}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
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
