//! The tornado of one-at-a-time swings of one issue's forecast.

use crate::fmt::{Units, anchor, coord, esc};
use crate::scale::{self, Linear, extent};
use crate::{clip_middle, plain_unit};
use pactum::Issue;

/// Most rows drawn in a tornado chart; the report's table notes how many more there are.
pub const TORNADO_ROWS: usize = 15;

/// One-at-a-time sensitivity of one issue's forecast under one model.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    /// The issue's id.
    pub issue_id: String,
    /// The model.
    pub model: String,
    /// The forecast with every input at its mode, in the issue's units.
    pub baseline: f64,
    /// One row per varied input; the renderer sorts them by swing, largest first.
    pub rows: Vec<TornadoRow>,
}

/// One varied input of a [`Tornado`].
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoRow {
    /// What was varied, e.g. `Germany salience`.
    pub label: String,
    /// The input's low value (in the input's own units, e.g. salience 0–1).
    pub low_value: f64,
    /// The input's high value.
    pub high_value: f64,
    /// The forecast with the input at `low_value`, in the issue's units.
    pub forecast_at_low: f64,
    /// The forecast with the input at `high_value`, in the issue's units.
    pub forecast_at_high: f64,
}

/// How far one input swings the forecast (0 when not finite), in the issue's units.
pub fn swing(row: &TornadoRow) -> f64 {
    let s = (row.forecast_at_high - row.forecast_at_low).abs();
    if s.is_finite() { s } else { 0.0 }
}

/// The rows of `t` that move the forecast, the largest swing first.
pub fn moving_rows(t: &Tornado) -> Vec<&TornadoRow> {
    let mut rows: Vec<&TornadoRow> = t.rows.iter().filter(|r| swing(r) > 0.0).collect();
    rows.sort_by(|a, b| swing(b).total_cmp(&swing(a)));
    rows
}

/// The tornado of `t` on `issue` (the `k`-th of the caller's list, which names the element's
/// id) as an SVG element: at most [`TORNADO_ROWS`] inputs, the largest swing first, bars from
/// the baseline to the forecast at the input's low and high value; `None` when no input
/// moves the forecast.
pub fn tornado(issue: &Issue, k: usize, t: &Tornado) -> Option<String> {
    let u = &Units::of(&issue.scale);
    let rows = moving_rows(t);
    if rows.is_empty() {
        return None;
    }
    let shown = &rows[..rows.len().min(TORNADO_ROWS)];
    let (lo, hi) = extent(
        shown
            .iter()
            .flat_map(|r| [r.forecast_at_low, r.forecast_at_high])
            .chain([t.baseline])
            .filter(|v| v.is_finite()),
    );
    let row_h = 24.0;
    let top = 34.0;
    let base = top + shown.len() as f64 * row_h + 6.0;
    let height = base + 44.0;
    let x = Linear::new(lo, hi, 236.0, 620.0);
    let id = anchor(&format!("tornado-{k}-"), &issue.id);
    let desc = format!(
        "Tornado chart of the {} forecast on {} (baseline {}): {} inputs, the largest swing first; the numbers are in the table below.",
        t.model,
        issue.id,
        u.bare(t.baseline),
        shown.len()
    );
    let mut s = scale::open(
        &id,
        height,
        &format!("What moves the {} forecast", t.model),
        &desc,
    );
    s.push_str("<rect x=\"236\" y=\"6\" width=\"10\" height=\"10\" fill=\"#0072B2\"/><text x=\"250\" y=\"15\">input at its low value</text><rect x=\"390\" y=\"6\" width=\"10\" height=\"10\" fill=\"#E69F00\"/><text x=\"404\" y=\"15\">input at its high value</text>");
    let bx = x.clamped(t.baseline);
    for (i, row) in shown.iter().enumerate() {
        let y = top + row_h * i as f64;
        s.push_str(&format!(
            "<text class=\"lab\" x=\"228\" y=\"{}\" dy=\"0.32em\" text-anchor=\"end\">{}</text>",
            coord(y + row_h / 2.0),
            esc(&clip_middle(&row.label, 36))
        ));
        for (v, colour, dy) in [
            (row.forecast_at_low, "#0072B2", 3.0),
            (row.forecast_at_high, "#E69F00", row_h / 2.0),
        ] {
            if !v.is_finite() {
                continue;
            }
            let px = x.clamped(v);
            let (x0, w) = if px < bx {
                (px, bx - px)
            } else {
                (bx, px - bx)
            };
            s.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>",
                coord(x0),
                coord(y + dy),
                coord(w.max(0.8)),
                coord(row_h / 2.0 - 3.0)
            ));
        }
    }
    s.push_str(&format!(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#000\" stroke-width=\"1.2\"/><text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\" font-size=\"10\">baseline {4}</text>",
        coord(bx),
        coord(top - 4.0),
        coord(base),
        coord(top - 7.0),
        esc(&u.bare(t.baseline))
    ));
    s.push_str(&scale::fitted_x_axis(
        &x,
        base,
        6,
        &format!("Forecast{}", plain_unit(u)),
    ));
    s.push_str("</svg>");
    Some(s)
}
