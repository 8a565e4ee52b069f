//! The two levels of an issue: per side its win-set as a band on the scale, its mandate,
//! the reversion point, the level-I outcome and the forecast (`twolevel` forecasts only).

use crate::Report;
use crate::html::{Units, esc};
use pactum::{Issue, IssueForecast};
use pactum_chart::Side;
use serde_json::Value;

/// The "Two levels" part of an issue section, for every two-level forecast of the issue.
pub fn section(r: &Report, issue: &Issue, u: &Units) -> String {
    let mut out = String::new();
    for f in &r.forecasts {
        let Some(i) = f.issues.iter().find(|i| i.id == issue.id) else {
            continue;
        };
        let Some(svg) = pactum_chart::win_set(issue, i, &f.model) else {
            continue;
        };
        let sides = pactum_chart::sides(i);
        if out.is_empty() {
            out.push_str("<h3>Two levels</h3>\n<p>Each side's negotiator takes its domestic arena's mandate (circle) to the international table; the band is the side's win-set, the deals its ratification rule accepts against the reversion point. The hollow diamond is the level-I outcome, the black diamond the forecast after ratification.</p>\n");
        }
        out.push_str(&format!(
            "<figure><p class=\"figtitle\">Two levels on {} ({})</p>{svg}<figcaption>Bands: win-sets (orange where the side's ratification binds, grey where the side does not ratify). Circles: mandates. The dashed grey line is the reversion point (status quo).</figcaption></figure>\n",
            esc(&issue.id),
            esc(&f.model)
        ));
        out.push_str(&table(u, i, &sides));
    }
    out
}

fn table(u: &Units, i: &IssueForecast, sides: &[Side]) -> String {
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
