//! The two levels of an issue: per side its win-set as a band on the scale, its mandate,
//! the reversion point, the level-I outcome and the forecast (`twolevel` forecasts only).

use crate::Report;
use crate::chart::{self, Linear};
use crate::html::{Units, anchor, coord, esc};
use pactum::{Issue, IssueForecast};
use serde_json::Value;

const LEFT: f64 = 252.0;
const RIGHT: f64 = 622.0;
const ROW: f64 = 26.0;

/// One side as the chart needs it.
struct SideRow {
    id: String,
    negotiator: String,
    mandate: f64,
    ratifies: bool,
    win_set: Option<(f64, f64)>,
    binds: bool,
}

fn rows(i: &IssueForecast) -> Vec<SideRow> {
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
            SideRow {
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

/// The "Two levels" part of an issue section, for every two-level forecast of the issue.
pub fn section(r: &Report, issue: &Issue, u: &Units) -> String {
    let mut out = String::new();
    for f in &r.forecasts {
        let Some(i) = f.issues.iter().find(|i| i.id == issue.id) else {
            continue;
        };
        let sides = rows(i);
        if sides.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str("<h3>Two levels</h3>\n<p>Each side's negotiator takes its domestic arena's mandate (circle) to the international table; the band is the side's win-set, the deals its ratification rule accepts against the reversion point. The hollow diamond is the level-I outcome, the black diamond the forecast after ratification.</p>\n");
        }
        out.push_str(&chart_of(issue, u, i, &sides, &f.model));
        out.push_str(&table(u, i, &sides));
    }
    out
}

fn chart_of(issue: &Issue, u: &Units, i: &IssueForecast, sides: &[SideRow], model: &str) -> String {
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
    let desc = format!(
        "Win-sets of {} sides on {} from {} to {}, with mandates, the level-I outcome {} and the forecast {}{}. The same numbers are in the table that follows.",
        sides.len(),
        issue.id,
        u.bare(sc.lo),
        u.bare(sc.hi),
        i.details
            .get("level_one")
            .and_then(Value::as_f64)
            .map(|v| u.bare(v))
            .unwrap_or_default(),
        u.bare(i.forecast),
        if agreement { "" } else { " (no agreement)" }
    );
    let title = format!("Two levels ({model}): {}", issue.id);
    let mut s = chart::open(&id, bottom + 58.0, &title, &desc);
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
    s.push_str(&super::issue::markers(issue, u, &x, top - 4.0, bottom));
    let (ticks, d) = chart::ticks_fitting(sc.lo, sc.hi, 8, x.r1 - x.r0);
    s.push_str(&chart::x_axis(
        &x,
        bottom,
        &ticks,
        d,
        &format!("Position{}", super::issue::plain_unit(u)),
    ));
    s.push_str("</svg>");
    format!(
        "<figure><p class=\"figtitle\">Two levels on {} ({})</p>{s}<figcaption>Bands: win-sets (orange where the side's ratification binds, grey where the side does not ratify). Circles: mandates. The dashed grey line is the reversion point (status quo).</figcaption></figure>\n",
        esc(&issue.id),
        esc(model)
    )
}

fn diamond(cx: f64, y: f64, fill: &str, title: &str) -> String {
    format!(
        "<path d=\"M{} {}l6 6l-6 6l-6 -6z\" fill=\"{fill}\" stroke=\"#000\" stroke-width=\"1.5\"><title>{}</title></path>",
        coord(cx),
        coord(y - 6.0),
        esc(title)
    )
}

fn table(u: &Units, i: &IssueForecast, sides: &[SideRow]) -> String {
    let agreement = i
        .details
        .get("agreement")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let mut out = format!(
        "<div class=\"scroll\"><table>\n<caption>Sides{} — {}</caption>\n<thead><tr><th scope=\"col\">Side</th><th scope=\"col\">Negotiator</th><th scope=\"col\" class=\"n\">Mandate</th><th scope=\"col\">Win-set</th><th scope=\"col\">Binds</th></tr></thead>\n<tbody>\n",
        u.header(),
        if agreement {
            "agreement"
        } else {
            "no agreement: the reversion point stands"
        }
    );
    for s in sides {
        let set = match (s.ratifies, s.win_set) {
            (false, _) => "any deal (no ratification)".to_string(),
            (true, Some((lo, hi))) => format!("{}–{}", u.bare(lo), u.bare(hi)),
            (true, None) => "empty".to_string(),
        };
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&s.id),
            esc(&s.negotiator),
            u.bare(s.mandate),
            esc(&set),
            if s.binds { "yes" } else { "no" }
        ));
    }
    out.push_str("</tbody></table></div>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pactum::{Model, Params, Snapshot};

    const TEXTBOOK: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/twolevel/textbook.toml"
    ));

    #[test]
    fn draws_each_sides_win_set_as_a_band_and_marks_the_binding_one() {
        let s = pactum::io::read("textbook.toml", TEXTBOOK.as_bytes(), None)
            .unwrap()
            .scenarios
            .remove(0);
        let f = pactum::models::twolevel::TwoLevel
            .solve(&Snapshot::modes(&s), &Params::new())
            .unwrap();
        let r = Report::new(s.clone(), vec![f]);
        let issue = &s.issues[0];
        let html = section(&r, issue, &Units::of(&issue.scale));
        // Yland's win-set 0–40 binds (orange band); Xland's 0–100 does not (blue band).
        assert!(html.contains("yland: win-set 0.0%–40.0%"), "{html}");
        assert!(html.contains("fill=\"#E69F00\""), "{html}");
        assert!(html.contains("xland: win-set 0.0%–100.0%"), "{html}");
        assert!(html.contains("forecast 40.0%"), "{html}");
        assert!(html.contains("status quo"), "{html}");
        assert_eq!(html.matches("<tr><th scope=\"row\">").count(), 2);
        // A one-level forecast draws nothing.
        let flat = pactum::models::by_name("compromise")
            .unwrap()
            .solve(&Snapshot::modes(&s), &Params::new())
            .unwrap();
        let r = Report::new(s.clone(), vec![flat]);
        assert!(section(&r, issue, &Units::of(&issue.scale)).is_empty());
    }
}
