//! One issue's framing, its position map (actors and model forecasts on the scale), the
//! table of codings and the models side by side.

use super::overview::{NoteEntry, estimate, issue_title, notes_list};
use super::{actor_label, clip, issue_forecast, model_label, paragraphs, sources};
use crate::Report;
use crate::chart::{self, Linear};
use crate::html::{Units, anchor, coord, esc, general, num};
use pactum::{Estimate, Issue, Scenario};

/// One actor's coding on one issue, at the modes.
pub struct Participant<'a> {
    /// The actor's display name.
    pub label: &'a str,
    /// Position, in the issue's units.
    pub position: Estimate,
    /// Salience, 0–1.
    pub salience: Estimate,
    /// Capability in force on this issue.
    pub capability: Estimate,
    /// `capability × salience` at the modes.
    pub weight: f64,
    /// Notes and sources of the stance.
    pub notes: Option<&'a str>,
    /// Sources of the stance.
    pub sources: &'a [String],
}

/// The actors with a stance on `issue`, sorted by position (ties keep file order).
pub fn participants<'a>(s: &'a Scenario, issue: &'a Issue) -> Vec<Participant<'a>> {
    let mut v: Vec<Participant> = s
        .stances_on(&issue.id)
        .map(|st| {
            let capability = st
                .capability
                .or_else(|| s.actor(&st.actor).map(|a| a.capability))
                .unwrap_or(Estimate::point(0.0));
            Participant {
                label: actor_label(s, &st.actor),
                position: st.position,
                salience: st.salience,
                capability,
                weight: capability.mode * st.salience.mode,
                notes: st.notes.as_deref(),
                sources: &st.sources,
            }
        })
        .collect();
    v.sort_by(|a, b| a.position.mode.total_cmp(&b.position.mode));
    v
}

/// The issue's heading and framing: scale, status quo, outcome, notes and sources.
pub fn heading(k: usize, issue: &Issue, u: &Units) -> String {
    let mut out = format!(
        "<h2><span class=\"num\">Issue {} · </span>{}</h2>\n",
        k + 1,
        esc(issue_title(issue))
    );
    let sc = &issue.scale;
    let mut facts = vec![format!("<code>{}</code>", esc(&issue.id))];
    let mut scale = format!("scale <b>{}–{}</b>", u.bare(sc.lo), u.with_unit(sc.hi));
    if !sc.lo_label.is_empty() || !sc.hi_label.is_empty() {
        scale.push_str(&format!(
            " (from {} to {})",
            esc(or_dash(&sc.lo_label)),
            esc(or_dash(&sc.hi_label))
        ));
    }
    facts.push(scale);
    if let Some(r) = issue.reference_point {
        facts.push(format!("status quo <b>{}</b>", u.with_unit(r)));
    }
    if let Some(o) = &issue.outcome {
        let date = o
            .date
            .as_ref()
            .map(|d| format!(" ({})", esc(d)))
            .unwrap_or_default();
        facts.push(format!(
            "known outcome <b>{}</b>{date}",
            u.with_unit(o.value)
        ));
    }
    for (k, v) in &issue.attributes {
        facts.push(format!("{} {}", esc(k), esc(v)));
    }
    out.push_str(&format!("<p class=\"meta\">{}</p>\n", facts.join(" · ")));
    if let Some(n) = &issue.notes {
        out.push_str(&paragraphs(n, ""));
    }
    out.push_str(&sources(&issue.sources, "Sources"));
    if let Some(o) = &issue.outcome {
        if let Some(n) = &o.notes {
            out.push_str(&format!(
                "<p class=\"meta\">On the outcome: {}</p>\n",
                esc(n)
            ));
        }
        out.push_str(&sources(&o.sources, "Outcome sources"));
    }
    out
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "—" } else { s }
}

const LABEL_RIGHT: f64 = 238.0;
const PLOT_LEFT: f64 = 252.0;
const PLOT_RIGHT: f64 = 622.0;
const ROW: f64 = 20.0;

/// The position map: one row per actor (circle area ∝ capability × salience, whisker over
/// a coded range), one row per model forecast, status quo and outcome as vertical lines.
pub fn position_map(r: &Report, issue: &Issue, u: &Units) -> String {
    let ps = participants(&r.scenario, issue);
    let forecasts: Vec<(String, f64)> = r
        .forecasts
        .iter()
        .filter_map(|f| issue_forecast(f, &issue.id).map(|i| (model_label(f), i.forecast)))
        .filter(|(_, x)| x.is_finite())
        .collect();
    let sc = &issue.scale;
    let x = Linear::new(sc.lo, sc.hi, PLOT_LEFT, PLOT_RIGHT);
    let top = 40.0;
    let actors_h = ps.len() as f64 * ROW;
    let models_top = top + actors_h + if forecasts.is_empty() { 0.0 } else { 22.0 };
    let bottom = models_top + forecasts.len() as f64 * ROW + 6.0;
    let height = bottom + 58.0;
    let id = anchor("map-", &issue.id);
    let desc = format!(
        "Dot plot of {} actors' positions on {} from {} to {}, sorted by position, with {} model forecasts below. The same numbers are in the tables that follow.",
        ps.len(),
        issue.id,
        u.bare(sc.lo),
        u.bare(sc.hi),
        forecasts.len()
    );
    let title = format!("Positions and forecasts: {}", issue_title(issue));
    let mut s = chart::open(&id, height, &title, &desc);
    let wmax = ps.iter().map(|p| p.weight).fold(0.0, f64::max);
    s.push_str(&format!(
        "<text class=\"head\" x=\"{}\" y=\"{}\" text-anchor=\"end\">ACTORS</text>",
        coord(LABEL_RIGHT),
        coord(top - 8.0)
    ));
    for (k, p) in ps.iter().enumerate() {
        let y = top + ROW * (k as f64 + 0.5);
        s.push_str(&actor_row(p, y, &x, wmax));
    }
    if !forecasts.is_empty() {
        s.push_str(&format!(
            "<text class=\"head\" x=\"{}\" y=\"{}\" text-anchor=\"end\">MODEL FORECASTS</text>",
            coord(LABEL_RIGHT),
            coord(models_top - 6.0)
        ));
    }
    for (k, (name, v)) in forecasts.iter().enumerate() {
        let y = models_top + ROW * (k as f64 + 0.5);
        s.push_str(&guide(y, &x));
        s.push_str(&label(&clip(name, 40), y));
        let cx = x.clamped(*v);
        s.push_str(&format!(
            "<path d=\"M{} {}l6 6l-6 6l-6 -6z\" fill=\"#000\"><title>{}: {}</title></path>",
            coord(cx),
            coord(y - 6.0),
            esc(name),
            u.with_unit(*v)
        ));
        s.push_str(&format!(
            "<text class=\"small\" x=\"{}\" y=\"{}\" dy=\"0.32em\">{}</text>",
            coord(cx + 9.0),
            coord(y),
            u.bare(*v)
        ));
    }
    s.push_str(&markers(issue, u, &x, top - 4.0, bottom));
    let (ticks, d) = chart::ticks_fitting(sc.lo, sc.hi, 8, x.r1 - x.r0);
    let axis_title = format!("Position{}", plain_unit(u));
    s.push_str(&chart::x_axis(&x, bottom, &ticks, d, &axis_title));
    s.push_str(&end_labels(issue, &x, bottom + 48.0));
    s.push_str("</svg>");
    let caption = format!(
        "Each circle is an actor at its coded position; circle area is proportional to capability × salience (its weight in the compromise and median models). A line through a circle spans a coded range of positions. Diamonds are model forecasts.{}{} The codings table below gives the same numbers.",
        if issue.reference_point.is_some() {
            " The dashed grey line is the status quo."
        } else {
            ""
        },
        if issue.outcome.is_some() {
            " The solid orange-red line is the known outcome."
        } else {
            ""
        }
    );
    format!(
        "<figure><p class=\"figtitle\">Positions and forecasts on {}</p>{s}<figcaption>{caption}</figcaption></figure>\n",
        esc(&issue.id)
    )
}

/// ` (unit)` for an axis title, not escaped (the axis escapes it).
pub fn plain_unit(u: &Units) -> String {
    if u.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", u.unit)
    }
}

/// A name without a trailing parenthesis, for chart labels: `Japan's Ministry of Finance
/// (Aso)` → `Japan's Ministry of Finance`. Tables keep the full name.
pub fn short_label(name: &str) -> &str {
    match name
        .trim_end()
        .strip_suffix(')')
        .and_then(|s| s.rfind(" ("))
    {
        Some(k) if k > 0 => &name[..k],
        _ => name,
    }
}

fn guide(y: f64, x: &Linear) -> String {
    format!(
        "<line class=\"guide\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>",
        coord(x.r0),
        coord(y),
        coord(x.r1)
    )
}

fn label(text: &str, y: f64) -> String {
    format!(
        "<text class=\"lab\" x=\"{}\" y=\"{}\" dy=\"0.32em\" text-anchor=\"end\">{}</text>",
        coord(LABEL_RIGHT),
        coord(y),
        esc(text)
    )
}

fn actor_row(p: &Participant, y: f64, x: &Linear, wmax: f64) -> String {
    let mut s = guide(y, x);
    s.push_str(&label(&clip(short_label(p.label), 40), y));
    if !p.position.is_point() {
        s.push_str(&format!(
            "<line x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"#0072B2\" stroke-width=\"1.5\"/>",
            coord(x.clamped(p.position.low)),
            coord(x.clamped(p.position.high)),
            coord(y)
        ));
    }
    let cx = coord(x.clamped(p.position.mode));
    let tip = format!(
        "{}: position {}, salience {}, capability {}",
        p.label,
        general(p.position.mode),
        general(p.salience.mode),
        general(p.capability.mode)
    );
    if p.weight > 0.0 && wmax > 0.0 {
        let r = (8.5 * (p.weight / wmax).sqrt()).max(2.5);
        s.push_str(&format!(
            "<circle cx=\"{cx}\" cy=\"{}\" r=\"{}\" fill=\"#0072B2\" fill-opacity=\"0.8\" stroke=\"#00466e\" stroke-width=\"0.8\"><title>{}</title></circle>",
            coord(y),
            coord(r),
            esc(&tip)
        ));
    } else {
        s.push_str(&format!(
            "<circle cx=\"{cx}\" cy=\"{}\" r=\"2.5\" fill=\"#fff\" stroke=\"#0072B2\"><title>{} (zero weight)</title></circle>",
            coord(y),
            esc(&tip)
        ));
    }
    s
}

/// Status quo (dashed grey) and outcome (solid vermillion) lines with labels on top.
/// The status quo and outcome lines over a chart.
pub(crate) fn markers(issue: &Issue, u: &Units, x: &Linear, top: f64, bottom: f64) -> String {
    let mut s = String::new();
    let mut marks: Vec<(f64, &str, &str, &str, f64)> = Vec::new();
    if let Some(r) = issue.reference_point {
        marks.push((r, "status quo", "#777", " stroke-dasharray=\"4 3\"", 12.0));
    }
    if let Some(o) = &issue.outcome {
        marks.push((o.value, "outcome", "#D55E00", "", 26.0));
    }
    for (v, name, colour, dash, ty) in marks {
        let px = x.clamped(v);
        let anchor = if px > x.r1 - 60.0 {
            "end"
        } else if px < x.r0 + 60.0 {
            "start"
        } else {
            "middle"
        };
        s.push_str(&format!(
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{colour}\" stroke-width=\"1.5\"{dash}/><text x=\"{0}\" y=\"{3}\" text-anchor=\"{anchor}\" fill=\"{colour}\" font-weight=\"600\">{name} {4}</text>",
            coord(px),
            coord(top),
            coord(bottom),
            coord(ty),
            u.with_unit(v)
        ));
    }
    s
}

/// The scale's end labels under the axis ends, in italics.
fn end_labels(issue: &Issue, x: &Linear, y: f64) -> String {
    let sc = &issue.scale;
    let mut s = String::new();
    if !sc.lo_label.is_empty() {
        s.push_str(&format!(
            "<text class=\"endlab\" x=\"{}\" y=\"{}\" text-anchor=\"start\">← {}</text>",
            coord(x.r0),
            coord(y),
            esc(&clip(&sc.lo_label, 36))
        ));
    }
    if !sc.hi_label.is_empty() {
        s.push_str(&format!(
            "<text class=\"endlab\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{} →</text>",
            coord(x.r1),
            coord(y),
            esc(&clip(&sc.hi_label, 36))
        ));
    }
    s
}

/// The codings of the issue as a table (the position map's text alternative).
pub fn stance_table(s: &Scenario, issue: &Issue, u: &Units) -> String {
    let ps = participants(s, issue);
    let total: f64 = ps.iter().map(|p| p.weight).sum();
    let mut out = format!(
        "<div class=\"scroll\"><table>\n<caption>Codings on this issue, by position</caption>\n<thead><tr><th scope=\"col\">Actor</th><th scope=\"col\" class=\"n\">Position{}</th><th scope=\"col\" class=\"n\">Salience</th><th scope=\"col\" class=\"n\">Capability</th><th scope=\"col\" class=\"n\">Weight share</th>",
        u.header()
    );
    out.push_str("</tr></thead>\n<tbody>\n");
    for p in &ps {
        let share = if total > 0.0 {
            format!("{}%", num(100.0 * p.weight / total, 1))
        } else {
            "—".into()
        };
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{share}</td>",
            esc(p.label),
            estimate(&p.position, |v| u.bare(v)),
            estimate(&p.salience, general),
            estimate(&p.capability, general),
        ));
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// Notes and sources of the codings on the issue, by position.
pub fn stance_notes(s: &Scenario, issue: &Issue) -> String {
    let ps = participants(s, issue);
    let notes: Vec<NoteEntry> = ps.iter().map(|p| (p.label, p.notes, p.sources)).collect();
    notes_list(&format!("Notes on the codings of {}", issue.id), &notes)
}

/// Each model's forecast of the issue side by side: forecast, weighted mean of final
/// positions, rounds, shift from the status quo and error against the outcome.
pub fn model_table(r: &Report, issue: &Issue, u: &Units) -> String {
    let mut out = String::from("<h3>Models side by side</h3>\n");
    let rows: Vec<_> = r
        .forecasts
        .iter()
        .filter_map(|f| issue_forecast(f, &issue.id).map(|i| (f, i)))
        .collect();
    if rows.is_empty() {
        out.push_str("<p class=\"muted sans\">No model gave a forecast for this issue.</p>\n");
        return out;
    }
    let outcome = issue.outcome.as_ref().map(|o| o.value);
    let mut head = format!(
        "<th scope=\"col\">Model</th><th scope=\"col\" class=\"n\">Forecast{0}</th><th scope=\"col\" class=\"n\">Mean{0}</th><th scope=\"col\" class=\"n\">Rounds</th>",
        u.header()
    );
    if issue.reference_point.is_some() {
        head.push_str("<th scope=\"col\" class=\"n\">From status quo</th>");
    }
    if outcome.is_some() {
        head.push_str("<th scope=\"col\" class=\"n\">Error</th>");
    }
    out.push_str(&format!(
        "<div class=\"scroll\"><table>\n<caption>Forecast of {} under each model</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n",
        esc(&issue.id)
    ));
    let best = outcome.and_then(|o| {
        rows.iter()
            .map(|(_, i)| (i.forecast - o).abs())
            .filter(|e| e.is_finite())
            .min_by(|a, b| a.total_cmp(b))
    });
    for (f, i) in rows {
        let rounds = i.rounds.len().saturating_sub(1);
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{rounds}</td>",
            esc(&model_label(f)),
            u.bare(i.forecast),
            u.bare(i.mean)
        ));
        if let Some(rp) = issue.reference_point {
            out.push_str(&format!("<td class=\"n\">{}</td>", u.diff(i.forecast - rp)));
        }
        if let Some(o) = outcome {
            let e = i.forecast - o;
            let class = match best {
                Some(b) if e.abs() == b => "n best",
                _ => "n",
            };
            out.push_str(&format!("<td class=\"{class}\">{}</td>", u.diff(e)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    if outcome.is_some() {
        out.push_str("<p class=\"meta\">Error is forecast minus outcome; the smallest absolute error is in bold. ");
    } else {
        out.push_str("<p class=\"meta\">");
    }
    out.push_str("Mean is the capability × salience weighted mean of the final positions. Rounds counts bargaining rounds after the initial state (0 for closed-form models).</p>\n");
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
    fn position_map_draws_each_actor_and_forecast() {
        let r = demo::report();
        let (i, u) = tariff(&r);
        let svg = position_map(&r, i, &u);
        assert_eq!(svg.matches("<circle").count(), 5, "one circle per actor");
        assert_eq!(svg.matches("<path d=").count(), r.forecasts.len());
        assert!(svg.contains("status quo 38.50%"));
        assert!(svg.contains("outcome 12.00%"));
        assert!(svg.contains("← free trade"));
        assert!(svg.contains("Position (%)"));
        // Southland's coded range 10–20 is drawn as a whisker.
        assert_eq!(
            svg.matches("stroke=\"#0072B2\" stroke-width=\"1.5\"")
                .count(),
            1
        );
        // Northland has the largest weight (40 × 0.6): the largest circle, radius 8.5.
        assert!(svg.contains("r=\"8.5\" fill=\"#0072B2\" fill-opacity=\"0.8\" stroke=\"#00466e\" stroke-width=\"0.8\"><title>Northland"));
    }

    #[test]
    fn circle_area_follows_weight() {
        let r = demo::report();
        let (i, u) = tariff(&r);
        let svg = position_map(&r, i, &u);
        let radius = |name: &str| -> f64 {
            let k = svg.find(&format!("<title>{name}:")).unwrap();
            let before = &svg[..k];
            let r0 = before.rfind(" r=\"").unwrap() + 4;
            before[r0..r0 + before[r0..].find('"').unwrap()]
                .parse()
                .unwrap()
        };
        // Eastmark 15 × 0.8 = 12 against Northland 40 × 0.6 = 24: area half, radius / √2.
        let ratio = radius("Eastmark") / radius("Northland");
        assert!((ratio - 0.5f64.sqrt()).abs() < 0.02, "{ratio}");
    }

    #[test]
    fn chart_labels_drop_a_trailing_parenthesis() {
        assert_eq!(
            short_label("Japan's Ministry of Finance (Aso)"),
            "Japan's Ministry of Finance"
        );
        assert_eq!(short_label("Westport"), "Westport");
        assert_eq!(short_label("(all)"), "(all)");
        assert_eq!(short_label("A (b) c"), "A (b) c");
    }

    #[test]
    fn participants_are_sorted_by_position() {
        let s = demo::scenario();
        let ps = participants(&s, &s.issues[0]);
        let xs: Vec<f64> = ps.iter().map(|p| p.position.mode).collect();
        assert_eq!(xs, vec![5.0, 15.0, 20.0, 30.0, 38.5]);
        assert_eq!(ps[4].capability.mode, 12.0, "per-issue capability wins");
    }

    #[test]
    fn stance_table_shows_shares_and_ranges() {
        let s = demo::scenario();
        let u = Units::of(&s.issues[0].scale);
        let t = stance_table(&s, &s.issues[0], &u);
        // weights 24, 12.5, 4, 12, 12 → total 64.5; Northland 37.2%.
        assert!(t.contains("<td class=\"n\">37.2%</td>"));
        assert!(t.contains("15.00 <span class=\"range\">(10.00–20.00)</span>"));
        assert!(!t.contains("Stated at the ministerial."));
        assert!(stance_notes(&s, &s.issues[0]).contains("Stated at the ministerial."));
        assert!(
            stance_notes(&s, &s.issues[1]).is_empty(),
            "no notes, no list"
        );
    }

    #[test]
    fn model_table_marks_the_smallest_error() {
        let r = demo::report();
        let (i, u) = tariff(&r);
        let t = model_table(&r, i, &u);
        // outcome 12: median 15 is off by +3, the smallest.
        assert!(t.contains("<td class=\"n best\">+3.00</td>"));
        assert!(t.contains("<td class=\"n\">+26.50</td>"), "reference 38.5");
        assert!(
            t.contains("<td class=\"n\">-23.50</td>"),
            "median vs status quo"
        );
        assert!(
            t.contains("<td class=\"n\">12</td>"),
            "converge-slow has 12 rounds"
        );
    }

    #[test]
    fn issue_without_outcome_or_forecasts_says_so() {
        let mut r = demo::report();
        r.forecasts.clear();
        let i = &r.scenario.issues[1];
        let u = Units::of(&i.scale);
        assert!(model_table(&r, i, &u).contains("No model gave a forecast for this issue"));
        let h = heading(1, i, &u);
        assert!(!h.contains("known outcome"));
        assert!(h.contains("status quo <b>0.00 years</b>"));
    }
}
