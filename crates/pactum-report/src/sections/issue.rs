//! One issue's framing, its position map (actors and model forecasts on the scale), the
//! table of codings and the models side by side.

use super::overview::{NoteEntry, estimate, issue_title, notes_list};
use super::{issue_forecast, model_label, paragraphs, sources};
use crate::Report;
use crate::html::{Units, esc, general, num};
use pactum::{Issue, Scenario};
use pactum_chart::participants;

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

/// The position map as a figure with its caption (the chart is `pactum_chart`'s).
pub fn position_map(r: &Report, issue: &Issue) -> String {
    let s = pactum_chart::position_map(&r.scenario, issue, &r.forecasts);
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
    use pactum_chart::short_label;

    fn tariff(r: &Report) -> (&Issue, Units) {
        let i = &r.scenario.issues[0];
        (i, Units::of(&i.scale))
    }

    #[test]
    fn position_map_draws_each_actor_and_forecast() {
        let r = demo::report();
        let (i, _) = tariff(&r);
        let svg = position_map(&r, i);
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
        let (i, _) = tariff(&r);
        let svg = position_map(&r, i);
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
