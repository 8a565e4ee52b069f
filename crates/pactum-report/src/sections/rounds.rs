//! The round-by-round path: the weighted median per round for every model that bargains,
//! and each actor's position per round under each such model.

use super::{actor_label, issue_forecast, model_label};
use crate::Report;
use crate::html::{Units, esc};
use pactum::{Forecast, Issue, IssueForecast};

/// The "Path" part of an issue section.
pub fn section(r: &Report, issue: &Issue, u: &Units) -> String {
    let mut out = String::from("<h3>Round-by-round path</h3>\n");
    let paths: Vec<(usize, &Forecast, &IssueForecast)> = r
        .forecasts
        .iter()
        .enumerate()
        .filter_map(|(k, f)| issue_forecast(f, &issue.id).map(|i| (k, f, i)))
        .filter(|(_, _, i)| i.rounds.len() >= 2)
        .collect();
    if paths.is_empty() {
        out.push_str("<p class=\"muted sans\">Every model shown is closed-form here: each has only round 0 (the coded positions), so there is no bargaining path to draw.</p>\n");
        return out;
    }
    if let Some(svg) = pactum_chart::round_medians(issue, &r.forecasts) {
        out.push_str(&format!(
            "<figure><p class=\"figtitle\">Weighted median per round</p>{svg}<figcaption>One line per model that bargains over rounds; round 0 is the coded positions. Each line ends at the model's final round.</figcaption></figure>\n"
        ));
    }
    out.push_str(&median_table(issue, u, &paths));
    for (k, f, i) in &paths {
        out.push_str(&actor_figure(r, issue, u, *k, f, i));
    }
    out
}

/// Each actor's position per round under one model, with its table.
fn actor_figure(
    r: &Report,
    issue: &Issue,
    u: &Units,
    k: usize,
    f: &Forecast,
    i: &IssueForecast,
) -> String {
    let Some(svg) = pactum_chart::round_actors(&r.scenario, issue, k, f) else {
        return String::new();
    };
    let actors: Vec<&str> = i
        .rounds
        .first()
        .map(|r0| r0.positions.0.iter().map(|(a, _)| a.as_str()).collect())
        .unwrap_or_default();
    format!(
        "<figure><p class=\"figtitle\">Actor positions per round under {}</p>{svg}<figcaption>Thin blue lines are actors (labelled at their final position); the thick black line is the weighted median.</figcaption></figure>\n{}",
        esc(&model_label(f)),
        actor_table(r, u, i, &actors)
    )
}

fn median_table(issue: &Issue, u: &Units, paths: &[(usize, &Forecast, &IssueForecast)]) -> String {
    let max_round = paths
        .iter()
        .flat_map(|(_, _, i)| i.rounds.iter().map(|r| r.round))
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "<div class=\"scroll\"><table class=\"compact\">\n<caption>Weighted median per round on {}{}</caption>\n<thead><tr><th scope=\"col\" class=\"n\">Round</th>",
        esc(&issue.id),
        u.header()
    );
    for (_, f, _) in paths {
        out.push_str(&format!(
            "<th scope=\"col\" class=\"n\">{}</th>",
            esc(&model_label(f))
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let step = shown_step(max_round);
    for round in (0..=max_round).filter(|r| r % step == 0 || *r == max_round) {
        out.push_str(&format!("<tr><td class=\"n\">{round}</td>"));
        for (_, _, i) in paths {
            let v = i
                .rounds
                .iter()
                .find(|r| r.round == round)
                .map(|r| u.bare(r.median))
                .unwrap_or_default();
            out.push_str(&format!("<td class=\"n\">{v}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    let mut notes = Vec::new();
    if paths
        .iter()
        .any(|(_, _, i)| i.rounds.iter().map(|r| r.round).max() != Some(max_round))
    {
        notes.push("Blank cells: the model had stopped.".to_string());
    }
    if step > 1 {
        notes.push(format!("One row every {step} rounds, and the last round."));
    }
    if !notes.is_empty() {
        out.push_str(&format!("<p class=\"meta\">{}</p>\n", notes.join(" ")));
    }
    out
}

/// Every how many rounds the median table shows a row, so it stays under about 25 rows.
fn shown_step(max_round: usize) -> usize {
    max_round.div_ceil(24).max(1)
}

fn actor_table(r: &Report, u: &Units, i: &IssueForecast, actors: &[&str]) -> String {
    let (Some(first), Some(last)) = (i.rounds.first(), i.rounds.last()) else {
        return String::new();
    };
    let mut out = format!(
        "<div class=\"scroll\"><table class=\"compact\">\n<caption>Each actor's first and last position{}</caption>\n<thead><tr><th scope=\"col\">Actor</th><th scope=\"col\" class=\"n\">Round {}</th><th scope=\"col\" class=\"n\">Round {}</th><th scope=\"col\" class=\"n\">Change</th></tr></thead>\n<tbody>\n",
        u.header(),
        first.round,
        last.round
    );
    for a in actors {
        let p0 = first.positions.get(a);
        let p1 = last.positions.get(a);
        let change = match (p0, p1) {
            (Some(x), Some(y)) => u.diff(y - x),
            _ => "—".into(),
        };
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{change}</td></tr>\n",
            esc(actor_label(&r.scenario, a)),
            p0.map(|v| u.bare(v)).unwrap_or_else(|| "—".into()),
            p1.map(|v| u.bare(v)).unwrap_or_else(|| "—".into())
        ));
    }
    out.push_str(&format!(
        "<tr class=\"total\"><th scope=\"row\">Weighted median</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n</tbody></table></div>\n",
        u.bare(first.median),
        u.bare(last.median),
        u.diff(last.median - first.median)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use pactum_chart::y_domain;

    #[test]
    fn closed_form_models_have_no_path() {
        let mut r = demo::report();
        r.forecasts
            .retain(|f| f.issues.iter().all(|i| i.rounds.len() == 1));
        let i = &r.scenario.issues[0];
        let html = section(&r, i, &Units::of(&i.scale));
        assert!(html.contains("no bargaining path to draw"));
        assert!(!html.contains("<svg"));
    }

    #[test]
    fn many_rounds_draw_medians_and_actors() {
        let r = demo::report();
        let i = &r.scenario.issues[0];
        let html = section(&r, i, &Units::of(&i.scale));
        // One median chart and one actor chart per bargaining model (2).
        assert_eq!(html.matches("<svg").count(), 3);
        // Median chart: 2 lines; each actor chart: 5 actors + the median.
        assert_eq!(html.matches("<polyline").count(), 2 + 2 * 6);
        // The round table runs 0..=12; the 6-round model leaves rounds 7–12 blank.
        assert!(html.contains("<tr><td class=\"n\">12</td><td class=\"n\"></td><td class=\"n\">"));
        assert!(html.contains("Round 6") && html.contains("Round 12"));
        assert!(html.contains("Blank cells: the model had stopped."));
        assert!(html.contains("Actor positions per round under converge-fast"));
        // The x axis ends at the last round.
        assert!(html.contains(">12</text>"));
    }

    #[test]
    fn long_paths_thin_the_table_not_the_chart() {
        let s = demo::scenario();
        let f = demo::converging_forecast(&s, "long", 60, 0.05);
        let r = crate::Report::new(s, vec![f]);
        let i = &r.scenario.issues[0];
        let html = section(&r, i, &Units::of(&i.scale));
        assert_eq!(shown_step(60), 3);
        assert!(html.contains("<tr><td class=\"n\">57</td>"));
        assert!(html.contains("<tr><td class=\"n\">60</td>"));
        assert!(!html.contains("<tr><td class=\"n\">58</td>"));
        assert!(html.contains("One row every 3 rounds"));
        assert!(
            !html.contains("Blank cells"),
            "one model: nothing stopped early"
        );
        let points = html.split("points=\"").nth(1).unwrap();
        assert_eq!(points[..points.find('"').unwrap()].split(' ').count(), 61);
    }

    #[test]
    fn path_points_follow_the_rounds() {
        let r = demo::report();
        let f = &r
            .forecasts
            .iter()
            .find(|f| f.model == "converge-fast")
            .unwrap();
        let i = &r.scenario.issues[0];
        let html = section(&r, i, &Units::of(&i.scale));
        let n_points = html
            .split("<polyline")
            .nth(1)
            .and_then(|s| s.split("points=\"").nth(1))
            .map(|s| s[..s.find('"').unwrap()].split(' ').count())
            .unwrap();
        assert_eq!(n_points, f.issues[0].rounds.len());
    }

    #[test]
    fn y_domain_covers_data_and_markers_within_scale() {
        let s = demo::scenario();
        let i = &s.issues[0];
        let (lo, hi) = y_domain(i, [15.0, 20.0].into_iter());
        assert!(lo <= 12.0 && hi >= 38.5, "outcome and status quo inside");
        assert!(lo >= 0.0 && hi <= 40.0);
    }
}
