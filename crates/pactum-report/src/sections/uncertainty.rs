//! The optional uncertainty parts of an issue: the Monte Carlo histogram, the tornado of
//! one-at-a-time swings and an actor's levers. Each renders only when its data is given.

use super::{actor_label, clip_middle};
use crate::html::{Units, anchor, coord, esc, general};
use crate::{Histogram, Levers, Report, Tornado};
use pactum::Issue;
use pactum_chart::plain_unit;
use pactum_chart::scale::{self as chart, Linear, extent};

/// Most rows drawn in a tornado or levers chart; the table notes how many more there are.
const MAX_ROWS: usize = pactum_chart::TORNADO_ROWS;

/// Histograms of the issue (one per model with a Monte Carlo run).
pub fn histograms(r: &Report, issue: &Issue, u: &Units) -> String {
    let hs: Vec<(usize, &Histogram)> = r
        .histograms
        .iter()
        .enumerate()
        .filter(|(_, h)| h.issue_id == issue.id)
        .collect();
    if hs.is_empty() {
        return String::new();
    }
    let mut out = String::from("<h3>Monte Carlo distribution</h3>\n");
    out.push_str("<p>Each coded range (positions, saliences, capabilities) was drawn at random many times and the model solved for each draw. The histogram shows where the forecast fell; eight draws in ten lie between p10 and p90.</p>\n");
    for (k, h) in &hs {
        out.push_str(&histogram_figure(issue, *k, h));
    }
    out.push_str(&histogram_table(issue, u, &hs));
    out
}

/// One histogram as a figure with its title (and P(agreement)) and caption.
fn histogram_figure(issue: &Issue, k: usize, h: &Histogram) -> String {
    let outcome = issue.outcome.as_ref().map(|o| o.value);
    let s = pactum_chart::histogram(issue, k, h);
    let agreement = h
        .p_agreement
        .map(|p| format!(" — P(agreement) = {p:.3}"))
        .unwrap_or_default();
    format!(
        "<figure><p class=\"figtitle\">{} forecast over {} draws{agreement}</p>{s}<figcaption>Dashed lines: p10 and p90; solid black: the median{}.</figcaption></figure>\n",
        esc(&h.model),
        h.draws,
        if outcome.is_some() {
            "; orange-red: the known outcome"
        } else {
            ""
        }
    )
}

fn histogram_table(issue: &Issue, u: &Units, hs: &[(usize, &Histogram)]) -> String {
    let outcome = issue.outcome.as_ref().map(|o| o.value);
    let mut out = format!(
        "<div class=\"scroll\"><table>\n<caption>Monte Carlo summary{}</caption>\n<thead><tr><th scope=\"col\">Model</th><th scope=\"col\" class=\"n\">Draws</th><th scope=\"col\" class=\"n\">p10</th><th scope=\"col\" class=\"n\">Median</th><th scope=\"col\" class=\"n\">p90</th><th scope=\"col\" class=\"n\">Mean</th>",
        u.header()
    );
    let agreement = hs.iter().any(|(_, h)| h.p_agreement.is_some());
    if agreement {
        out.push_str("<th scope=\"col\" class=\"n\">P(agreement)</th>");
    }
    if outcome.is_some() {
        out.push_str("<th scope=\"col\" class=\"n\">Outcome in p10–p90</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (_, h) in hs {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            esc(&h.model),
            h.draws,
            u.bare(h.p10),
            u.bare(h.p50),
            u.bare(h.p90),
            h.mean.map(|m| u.bare(m)).unwrap_or_else(|| "—".into())
        ));
        if agreement {
            out.push_str(&format!(
                "<td class=\"n\">{}</td>",
                h.p_agreement
                    .map(|p| format!("{:.3}", p))
                    .unwrap_or_else(|| "—".into())
            ));
        }
        if let Some(o) = outcome {
            let inside = o >= h.p10 && o <= h.p90;
            out.push_str(&format!(
                "<td class=\"n\">{}</td>",
                if inside { "yes" } else { "no" }
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// Tornado charts of the issue (one per model with a sensitivity run).
pub fn tornadoes(r: &Report, issue: &Issue, u: &Units) -> String {
    let ts: Vec<(usize, &Tornado)> = r
        .tornadoes
        .iter()
        .enumerate()
        .filter(|(_, t)| t.issue_id == issue.id)
        .collect();
    if ts.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<h3>Sensitivity</h3>\n<p>Each input was moved alone to its low and then its high value, all others at their modes. Inputs are sorted by how far they swing the forecast.</p>\n",
    );
    for (k, t) in ts {
        out.push_str(&tornado(issue, u, k, t));
    }
    out
}

fn tornado(issue: &Issue, u: &Units, k: usize, t: &Tornado) -> String {
    let rows = pactum_chart::moving_rows(t);
    let still = t.rows.len() - rows.len();
    let Some(s) = pactum_chart::tornado(issue, k, t) else {
        return format!(
            "<p class=\"meta\">Under {}, none of the {still} inputs moves this forecast.</p>\n",
            esc(&t.model)
        );
    };
    let shown = &rows[..rows.len().min(MAX_ROWS)];
    let mut out = format!(
        "<figure><p class=\"figtitle\">One-at-a-time swings of the {} forecast</p>{s}<figcaption>Bars run from the baseline forecast to the forecast with one input at its low (blue, upper bar) or high (orange, lower bar) value.</figcaption></figure>\n",
        esc(&t.model)
    );
    out.push_str(&format!(
        "<div class=\"scroll\"><table class=\"compact\">\n<caption>Swings of the {} forecast{}</caption>\n<thead><tr><th scope=\"col\">Input</th><th scope=\"col\" class=\"n\">Low</th><th scope=\"col\" class=\"n\">High</th><th scope=\"col\" class=\"n\">Forecast at low</th><th scope=\"col\" class=\"n\">Forecast at high</th><th scope=\"col\" class=\"n\">Swing</th></tr></thead>\n<tbody>\n",
        esc(&t.model),
        u.header()
    ));
    for row in shown {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            esc(&row.label),
            general(row.low_value),
            general(row.high_value),
            u.bare(row.forecast_at_low),
            u.bare(row.forecast_at_high),
            u.bare(pactum_chart::swing(row))
        ));
    }
    out.push_str("</tbody></table></div>\n");
    let mut omitted = Vec::new();
    if rows.len() > shown.len() {
        omitted.push(format!(
            "{} more inputs with smaller swings are not shown.",
            rows.len() - shown.len()
        ));
    }
    if still > 0 {
        omitted.push(if still == 1 {
            "1 input does not move this forecast at all and is left out.".to_string()
        } else {
            format!("{still} inputs do not move this forecast at all and are left out.")
        });
    }
    if !omitted.is_empty() {
        out.push_str(&format!("<p class=\"meta\">{}</p>\n", omitted.join(" ")));
    }
    out
}

/// Levers for actors on this issue.
pub fn levers(r: &Report, issue: &Issue, u: &Units) -> String {
    let ls: Vec<(usize, &Levers)> = r
        .levers
        .iter()
        .enumerate()
        .filter(|(_, l)| l.issue_id == issue.id)
        .collect();
    if ls.is_empty() {
        return String::new();
    }
    let mut out = String::from("<h3>Levers</h3>\n");
    for (k, l) in ls {
        out.push_str(&lever_block(r, issue, u, k, l));
    }
    out
}

fn lever_block(r: &Report, issue: &Issue, u: &Units, k: usize, l: &Levers) -> String {
    let full = actor_label(&r.scenario, &l.actor_id);
    let who = pactum_chart::short_label(full);
    let mut rows: Vec<(&crate::Lever, f64)> = l
        .rows
        .iter()
        .map(|m| {
            let g = m.gain(l.baseline, l.ideal);
            (m, if g.is_finite() { g } else { f64::NEG_INFINITY })
        })
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    let shown = &rows[..rows.len().min(MAX_ROWS)];
    let mut out = format!(
        "<p><b>{}</b> wants {}; under <b>{}</b> the forecast is {}, {} away. The moves below are sorted by how much closer they bring the forecast to {}.</p>\n",
        esc(full),
        u.with_unit(l.ideal),
        esc(&l.model),
        u.with_unit(l.baseline),
        u.with_unit((l.baseline - l.ideal).abs()),
        esc(who)
    );
    let (lo, hi) = extent(
        shown
            .iter()
            .map(|(_, g)| *g)
            .filter(|g| g.is_finite())
            .chain([0.0]),
    );
    let row_h = 22.0;
    let top = 10.0;
    let base = top + shown.len() as f64 * row_h + 6.0;
    let x = Linear::new(lo, hi, 286.0, 620.0);
    let id = anchor(&format!("levers-{k}-"), &issue.id);
    let desc = format!(
        "Bar chart of the gain toward {}'s position from each of {} moves; the numbers are in the table below.",
        who,
        shown.len()
    );
    let mut s = chart::open(&id, base + 44.0, &format!("Levers for {who}"), &desc);
    let zx = x.at(0.0);
    for (i, (m, g)) in shown.iter().enumerate() {
        let y = top + row_h * i as f64;
        s.push_str(&format!(
            "<text class=\"lab\" x=\"278\" y=\"{}\" dy=\"0.32em\" text-anchor=\"end\">{}</text>",
            coord(y + row_h / 2.0),
            esc(&clip_middle(&m.label, 44))
        ));
        if g.is_finite() {
            let px = x.clamped(*g);
            let (x0, w) = if px < zx {
                (px, zx - px)
            } else {
                (zx, px - zx)
            };
            let colour = if *g >= 0.0 { "#009E73" } else { "#D55E00" };
            s.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>",
                coord(x0),
                coord(y + 4.0),
                coord(w.max(0.8)),
                coord(row_h - 8.0)
            ));
        }
    }
    s.push_str(&format!(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#000\"/>",
        coord(zx),
        coord(top),
        coord(base)
    ));
    s.push_str(&chart::fitted_x_axis(
        &x,
        base,
        5,
        &format!("Forecast moves toward {who}{}", plain_unit(u)),
    ));
    s.push_str("</svg>");
    out.push_str(&format!(
        "<figure><p class=\"figtitle\">Levers for {}</p>{s}<figcaption>Green bars bring the forecast closer to {}'s position, orange-red bars push it away.</figcaption></figure>\n",
        esc(who),
        esc(who)
    ));
    out.push_str(&format!(
        "<div class=\"scroll\"><table class=\"compact\">\n<caption>Levers for {} under {}{}</caption>\n<thead><tr><th scope=\"col\">Move</th><th scope=\"col\" class=\"n\">Forecast after</th><th scope=\"col\" class=\"n\">Closer by</th></tr></thead>\n<tbody>\n",
        esc(who),
        esc(&l.model),
        u.header()
    ));
    for (m, g) in shown {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            esc(&m.label),
            u.bare(m.forecast),
            u.diff(*g)
        ));
    }
    out.push_str("</tbody></table></div>\n");
    if rows.len() > shown.len() {
        out.push_str(&format!(
            "<p class=\"meta\">{} weaker moves are not shown.</p>\n",
            rows.len() - shown.len()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    fn tariff(r: &Report) -> (&Issue, Units) {
        let i = &r.scenario.issues[0];
        (i, Units::of(&i.scale))
    }

    #[test]
    fn histogram_draws_bins_and_quantiles() {
        let r = demo::report();
        let (i, u) = tariff(&r);
        let html = histograms(&r, i, &u);
        assert_eq!(html.matches("<rect").count(), 12);
        assert!(html.contains("p10 13.10") && html.contains("p90 25.40"));
        assert!(html.contains("median 19.20"));
        // outcome 12 lies below p10: the table says so.
        assert!(html.contains("<td class=\"n\">no</td>"));
        assert!(html.contains("Draws"));
        let other = &r.scenario.issues[1];
        assert!(histograms(&r, other, &Units::of(&other.scale)).is_empty());
    }

    #[test]
    fn tornado_sorts_by_swing() {
        let r = demo::report();
        let (i, u) = tariff(&r);
        let html = tornadoes(&r, i, &u);
        let at = |s: &str| html.find(&format!("<th scope=\"row\">{s}</th>")).unwrap();
        assert!(at("Southland position") < at("Southland capability"));
        assert!(at("Southland capability") < at("Westport salience"));
        assert!(at("Westport salience") < at("Farm lobby salience"));
        assert!(
            html.contains("<td class=\"n\">6.50</td>"),
            "swing 16 → 22.5"
        );
        assert!(html.contains("baseline 19.00"));
        assert_eq!(
            html.matches("<rect").count(),
            2 + 2 * 4,
            "legend + two bars a row"
        );
    }

    #[test]
    fn tornado_keeps_the_largest_rows() {
        let mut r = demo::report();
        r.tornadoes[0].rows = (0..20)
            .map(|k| crate::TornadoRow {
                label: format!("input {k}"),
                low_value: 0.0,
                high_value: 1.0,
                forecast_at_low: 19.0 - k as f64 * 0.1,
                forecast_at_high: 19.0 + k as f64 * 0.1,
            })
            .collect();
        let (i, u) = tariff(&r);
        let html = tornadoes(&r, i, &u);
        assert!(html.contains("input 19") && !html.contains("input 4<"));
        // input 0 has no swing: left out and counted; 19 remain, 15 drawn.
        assert!(html.contains("4 more inputs with smaller swings"));
        assert!(html.contains("1 input does not move this forecast at all"));
    }

    #[test]
    fn inputs_without_effect_are_counted_not_drawn() {
        let mut r = demo::report();
        r.tornadoes[0].rows.push(crate::TornadoRow {
            label: "Northland capability".into(),
            low_value: 30.0,
            high_value: 50.0,
            forecast_at_low: 19.0,
            forecast_at_high: 19.0,
        });
        let (i, u) = tariff(&r);
        let html = tornadoes(&r, i, &u);
        assert!(!html.contains("Northland capability"));
        assert!(html.contains("1 input does not move this forecast at all"));
        let mut flat = r.clone();
        for row in &mut flat.tornadoes[0].rows {
            row.forecast_at_high = row.forecast_at_low;
        }
        let html = tornadoes(&flat, i, &u);
        assert!(html.contains("none of the 5 inputs moves this forecast"));
        assert!(!html.contains("<svg"));
    }

    #[test]
    fn histogram_zooms_on_the_bins_with_draws() {
        let mut r = demo::report();
        let h = &mut r.histograms[0];
        h.bins.insert(
            0,
            crate::Bin {
                lo: 0.0,
                hi: 8.0,
                count: 0,
            },
        );
        h.bins.push(crate::Bin {
            lo: 32.0,
            hi: 40.0,
            count: 0,
        });
        let (i, u) = tariff(&r);
        let html = histograms(&r, i, &u);
        assert_eq!(
            html.matches("<rect").count(),
            12,
            "empty bins are not drawn"
        );
        // The axis starts near the first bin with draws (8) and the outcome (12), not at 0.
        assert!(!html.contains("text-anchor=\"middle\">0</text>"));
        assert!(!html.contains("text-anchor=\"middle\">40</text>"));
        assert!(html.contains("text-anchor=\"middle\">10</text>"));
    }

    #[test]
    fn levers_sort_by_gain_toward_the_actor() {
        let r = demo::report();
        let (i, u) = tariff(&r);
        let html = levers(&r, i, &u);
        // Eastmark wants 30 from 19: 24 is 5 closer, 20.5 is 1.5 closer, 15 is 4 further.
        let a = html.find("win over Westport").unwrap();
        let b = html.find("raise own salience").unwrap();
        let c = html.find("lose Farm lobby").unwrap();
        assert!(a < b && b < c);
        assert!(html.contains("<td class=\"n\">+5.00</td>"));
        assert!(html.contains("<td class=\"n\">-4.00</td>"));
        assert!(html.contains("<b>Eastmark</b> wants 30.00%"));
        assert!(html.contains("Forecast moves toward Eastmark (%)"));
        assert_eq!(html.matches("fill=\"#009E73\"").count(), 2);
        assert_eq!(html.matches("fill=\"#D55E00\"").count(), 1);
    }

    #[test]
    fn lever_gain_is_distance_saved() {
        let l = crate::Lever {
            label: String::new(),
            forecast: 24.0,
        };
        assert_eq!(l.gain(19.0, 30.0), 5.0);
        assert_eq!(l.gain(19.0, 10.0), -5.0);
    }
}
