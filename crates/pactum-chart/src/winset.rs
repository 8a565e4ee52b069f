//! The two levels of an issue: per side its win-set as a band on the scale, its mandate,
//! the reversion point, the level-I outcome and the forecast (`twolevel` forecasts only).

use crate::fmt::{Units, anchor, coord, esc};
use crate::scale::{self, Linear};
use crate::{markers, plain_unit};
use pactum::{Issue, IssueForecast};
use serde_json::Value;

const LEFT: f64 = 252.0;
const RIGHT: f64 = 622.0;
const ROW: f64 = 26.0;

/// One side of a two-level forecast, as the chart and tables need it (read from the
/// forecast's `details.sides`).
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// The side's id.
    pub id: String,
    /// The id of the side's negotiator.
    pub negotiator: String,
    /// The mandate its domestic arena gives the negotiator, in the issue's units (NaN when
    /// not given).
    pub mandate: f64,
    /// Whether the side ratifies at all (false: any deal stands for it).
    pub ratifies: bool,
    /// The win-set `[lo, hi]` in the issue's units; `None` when empty.
    pub win_set: Option<(f64, f64)>,
    /// Whether this side's ratification binds the forecast.
    pub binds: bool,
}

/// The sides of a two-level issue forecast; empty for a one-level model.
pub fn sides(i: &IssueForecast) -> Vec<Side> {
    let Some(Value::Array(sides)) = i.details.get("sides") else {
        return Vec::new();
    };
    sides
        .iter()
        .map(|s| {
            let f = |k: &str| s.get(k).and_then(Value::as_f64);
            let t = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let set = s
                .get("win_set")
                .and_then(|w| Some((w.get("lo")?.as_f64()?, w.get("hi")?.as_f64()?)));
            Side {
                id: t("id"),
                negotiator: t("negotiator"),
                mandate: f("mandate").unwrap_or(f64::NAN),
                ratifies: s.get("ratifies").and_then(Value::as_bool).unwrap_or(false),
                win_set: set,
                binds: s.get("binds").and_then(Value::as_bool).unwrap_or(false),
            }
        })
        .collect()
}

/// The two levels of `issue` under the two-level forecast `i` of `model`, as an SVG element:
/// per side its win-set as a band on the issue's scale (labelled with the side and its
/// negotiator), its mandate, the reversion point, the level-I outcome and the forecast, and
/// "no agreement" when the win-sets do not meet. `None` for a one-level forecast.
pub fn win_set(issue: &Issue, i: &IssueForecast, model: &str) -> Option<String> {
    let sides = sides(i);
    if sides.is_empty() {
        return None;
    }
    let u = &Units::of(&issue.scale);
    let sc = &issue.scale;
    let x = Linear::new(sc.lo, sc.hi, LEFT, RIGHT);
    let top = 40.0;
    let bottom = top + ROW * (sides.len() as f64 + 1.0) + 6.0;
    let id = anchor("twolevel-", &issue.id);
    let agreement = i
        .details
        .get("agreement")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let each: Vec<String> = sides.iter().map(|side| side_text(side, u)).collect();
    let desc = format!(
        "Win-sets of {} sides on {} from {} to {}: {}. Level-I outcome {} and forecast {}{}. The same numbers are in the table that follows.",
        sides.len(),
        issue.id,
        u.bare(sc.lo),
        u.bare(sc.hi),
        each.join("; "),
        i.details
            .get("level_one")
            .and_then(Value::as_f64)
            .map(|v| u.bare(v))
            .unwrap_or_default(),
        u.bare(i.forecast),
        if agreement {
            ""
        } else {
            " (no agreement: the win-sets do not meet, the reversion point stands)"
        }
    );
    let title = format!("Two levels ({model}): {}", issue.id);
    let mut s = scale::open(&id, bottom + 58.0, &title, &desc);
    for (k, side) in sides.iter().enumerate() {
        let y = top + ROW * (k as f64 + 0.5);
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dy=\"0.32em\">{}</text>",
            coord(LEFT - 14.0),
            coord(y),
            esc(&format!("{} ({})", side.id, side.negotiator))
        ));
        let band = match (side.ratifies, side.win_set) {
            (false, _) => Some((sc.lo, sc.hi, "#CCCCCC", "no ratification")),
            (true, Some((lo, hi))) => Some((
                lo,
                hi,
                if side.binds { "#E69F00" } else { "#56B4E9" },
                "win-set",
            )),
            (true, None) => None,
        };
        match band {
            Some((lo, hi, fill, what)) => s.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"12\" fill=\"{fill}\" fill-opacity=\"0.6\"><title>{}: {what} {}–{}</title></rect>",
                coord(x.clamped(lo)),
                coord(y - 6.0),
                coord((x.clamped(hi) - x.clamped(lo)).max(1.0)),
                esc(&side.id),
                u.with_unit(lo),
                u.with_unit(hi)
            )),
            None => s.push_str(&format!(
                "<text class=\"small\" x=\"{}\" y=\"{}\" dy=\"0.32em\">empty win-set: ratifies no deal</text>",
                coord(LEFT),
                coord(y)
            )),
        }
        if side.mandate.is_finite() {
            s.push_str(&format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#0072B2\" stroke=\"#000\"><title>{} mandate: {}</title></circle>",
                coord(x.clamped(side.mandate)),
                coord(y),
                esc(&side.id),
                u.with_unit(side.mandate)
            ));
        }
    }
    let y = top + ROW * (sides.len() as f64 + 0.5);
    s.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dy=\"0.32em\">{}</text>",
        coord(LEFT - 14.0),
        coord(y),
        if agreement {
            "forecast"
        } else {
            "no agreement"
        }
    ));
    if let Some(l1) = i.details.get("level_one").and_then(Value::as_f64) {
        s.push_str(&diamond(
            x.clamped(l1),
            y,
            "none",
            &format!("level-I outcome {}", u.with_unit(l1)),
        ));
    }
    s.push_str(&diamond(
        x.clamped(i.forecast),
        y,
        "#000",
        &format!("forecast {}", u.with_unit(i.forecast)),
    ));
    s.push_str(&markers(issue, u, &x, top - 4.0, bottom));
    s.push_str(&scale::fitted_x_axis(
        &x,
        bottom,
        8,
        &format!("Position{}", plain_unit(u)),
    ));
    s.push_str("</svg>");
    Some(s)
}

/// One side in words, not escaped: `us (ustr): win-set 0–40 (%), mandate 20`.
fn side_text(side: &Side, u: &Units) -> String {
    let set = match (side.ratifies, side.win_set) {
        (false, _) => "no ratification".to_string(),
        (true, Some((lo, hi))) => format!("win-set {}–{}{}", u.bare(lo), u.bare(hi), plain_unit(u)),
        (true, None) => "empty win-set".to_string(),
    };
    let mandate = if side.mandate.is_finite() {
        format!(", mandate {}", u.bare(side.mandate))
    } else {
        String::new()
    };
    let binds = if side.binds { ", binds" } else { "" };
    format!("{} ({}): {set}{mandate}{binds}", side.id, side.negotiator)
}

fn diamond(cx: f64, y: f64, fill: &str, title: &str) -> String {
    format!(
        "<path d=\"M{} {}l6 6l-6 6l-6 -6z\" fill=\"{fill}\" stroke=\"#000\" stroke-width=\"1.5\"><title>{}</title></path>",
        coord(cx),
        coord(y - 6.0),
        esc(title)
    )
}
