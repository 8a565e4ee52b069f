//! The round-by-round path: the weighted median per round for every model that bargains,
//! and each actor's position per round under each such model.

use super::issue::plain_unit;
use super::{actor_label, clip, issue_forecast, model_label};
use crate::Report;
use crate::chart::{self, Linear};
use crate::html::{Units, anchor, coord, esc};
use pactum::{Forecast, Issue, IssueForecast};

const LEFT: f64 = 62.0;
const RIGHT: f64 = 500.0;

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
    out.push_str(&median_chart(issue, u, &paths));
    out.push_str(&median_table(issue, u, &paths));
    for (k, f, i) in &paths {
        out.push_str(&actor_chart(r, issue, u, *k, f, i));
    }
    out
}

/// The y scale for a path chart: the data's extent (with status quo and outcome), padded by
/// 5% of the scale and kept within the scale.
fn y_domain(issue: &Issue, values: impl Iterator<Item = f64>) -> (f64, f64) {
    let sc = &issue.scale;
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let extra = issue
        .reference_point
        .into_iter()
        .chain(issue.outcome.as_ref().map(|o| o.value));
    for v in values.chain(extra).filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (sc.lo, sc.hi);
    }
    let pad = 0.05 * (sc.hi - sc.lo);
    let (a, b) = ((lo - pad).max(sc.lo), (hi + pad).min(sc.hi));
    if b > a { (a, b) } else { (sc.lo, sc.hi) }
}

fn polyline(points: &[(f64, f64)], x: &Linear, y: &Linear, style: &str) -> String {
    let pts: Vec<String> = points
        .iter()
        .filter(|(_, v)| v.is_finite())
        .map(|(r, v)| format!("{},{}", coord(x.at(*r)), coord(y.at(*v))))
        .collect();
    format!(
        "<polyline fill=\"none\" points=\"{}\" {style}/>",
        pts.join(" ")
    )
}

/// Horizontal status quo and outcome lines across a path chart.
fn hlines(issue: &Issue, x: &Linear, y: &Linear) -> String {
    let mut s = String::new();
    if let Some(r) = issue.reference_point {
        s.push_str(&format!(
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#777\" stroke-dasharray=\"4 3\"/><text class=\"small\" x=\"{3}\" y=\"{4}\">status quo</text>",
            coord(x.r0),
            coord(y.at(r)),
            coord(x.r1),
            coord(x.r0 + 4.0),
            coord(y.at(r) - 4.0)
        ));
    }
    if let Some(o) = &issue.outcome {
        s.push_str(&format!(
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#D55E00\" stroke-width=\"1.5\"/><text x=\"{3}\" y=\"{4}\" fill=\"#D55E00\" font-size=\"10\">outcome</text>",
            coord(x.r0),
            coord(y.at(o.value)),
            coord(x.r1),
            coord(x.r0 + 4.0),
            coord(y.at(o.value) + 11.0)
        ));
    }
    s
}

fn frame(
    issue: &Issue,
    u: &Units,
    max_round: usize,
    h: f64,
    values: Vec<f64>,
) -> (Linear, Linear, String) {
    let (lo, hi) = y_domain(issue, values.into_iter());
    let x = Linear::new(0.0, max_round.max(1) as f64, LEFT, RIGHT);
    let y = Linear::new(lo, hi, h - 46.0, 14.0);
    let (yt, yd) = chart::ticks(lo, hi, 6);
    let xt: Vec<f64> = chart::round_ticks(max_round.max(1))
        .into_iter()
        .map(|r| r as f64)
        .collect();
    let mut s = String::new();
    for t in &yt {
        s.push_str(&format!(
            "<line class=\"guide\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>",
            coord(LEFT),
            coord(y.at(*t)),
            coord(RIGHT)
        ));
    }
    s.push_str(&chart::x_axis(&x, h - 46.0, &xt, 0, "Round"));
    s.push_str(&chart::y_axis(
        &y,
        LEFT,
        &yt,
        yd,
        &format!("Position{}", plain_unit(u)),
        16.0,
    ));
    (x, y, s)
}

fn median_chart(issue: &Issue, u: &Units, paths: &[(usize, &Forecast, &IssueForecast)]) -> String {
    let max_round = paths
        .iter()
        .flat_map(|(_, _, i)| i.rounds.iter().map(|r| r.round))
        .max()
        .unwrap_or(1);
    let h = 300.0;
    let values: Vec<f64> = paths
        .iter()
        .flat_map(|(_, _, i)| i.rounds.iter().map(|r| r.median))
        .collect();
    let id = anchor("path-", &issue.id);
    let desc = format!(
        "Line chart of the weighted median position per round on {} for {} model(s); the numbers are in the table below.",
        issue.id,
        paths.len()
    );
    let mut s = chart::open(
        &id,
        h,
        &format!(
            "Weighted median per round: {}",
            super::overview::issue_title(issue)
        ),
        &desc,
    );
    let (x, y, axes) = frame(issue, u, max_round, h, values);
    s.push_str(&axes);
    s.push_str(&hlines(issue, &x, &y));
    let mut ends = Vec::new();
    for (k, (_, f, i)) in paths.iter().enumerate() {
        let pts: Vec<(f64, f64)> = i
            .rounds
            .iter()
            .map(|r| (r.round as f64, r.median))
            .collect();
        s.push_str(&polyline(
            &pts,
            &x,
            &y,
            &format!(
                "stroke=\"{}\" stroke-width=\"2\"{}",
                chart::colour(k),
                chart::dash(k)
            ),
        ));
        if let Some(last) = pts.iter().rev().find(|p| p.1.is_finite()) {
            ends.push((k, model_label(f), x.at(last.0), y.at(last.1)));
        }
    }
    s.push_str(&end_labels(&ends, &y, true));
    s.push_str("</svg>");
    format!(
        "<figure><p class=\"figtitle\">Weighted median per round</p>{s}<figcaption>One line per model that bargains over rounds; round 0 is the coded positions. Each line ends at the model's final round.</figcaption></figure>\n"
    )
}

/// Labels at the right end of lines, spread so they do not overlap.
fn end_labels(ends: &[(usize, String, f64, f64)], y: &Linear, coloured: bool) -> String {
    let wanted: Vec<f64> = ends.iter().map(|e| e.3).collect();
    let placed = chart::spread(&wanted, 11.0, y.r1.min(y.r0), y.r0.max(y.r1));
    let mut s = String::new();
    for ((k, name, ex, ey), py) in ends.iter().zip(placed) {
        let fill = if coloured { chart::colour(*k) } else { "#333" };
        s.push_str(&format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#bbb\" stroke-width=\"0.6\"/><text x=\"{}\" y=\"{}\" dy=\"0.32em\" fill=\"{fill}\" font-size=\"10\">{}</text>",
            coord(*ex),
            coord(*ey),
            coord(RIGHT + 6.0),
            coord(py),
            coord(RIGHT + 8.0),
            coord(py),
            esc(&clip(name, 22))
        ));
    }
    s
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

/// Each actor's position per round under one model, with the weighted median in bold.
fn actor_chart(
    r: &Report,
    issue: &Issue,
    u: &Units,
    k: usize,
    f: &Forecast,
    i: &IssueForecast,
) -> String {
    let actors: Vec<&str> = i
        .rounds
        .first()
        .map(|r0| r0.positions.0.iter().map(|(a, _)| a.as_str()).collect())
        .unwrap_or_default();
    let max_round = i.rounds.iter().map(|r| r.round).max().unwrap_or(1);
    let h = (actors.len() as f64 * 11.0 + 90.0).max(280.0);
    let values: Vec<f64> = i
        .rounds
        .iter()
        .flat_map(|r| r.positions.0.iter().map(|(_, v)| *v).chain([r.median]))
        .collect();
    let id = anchor(&format!("actors-{k}-"), &issue.id);
    let name = model_label(f);
    let desc = actor_desc(r, u, i, &actors);
    let mut s = chart::open(
        &id,
        h,
        &format!("Actor positions per round under {name}"),
        &desc,
    );
    let (x, y, axes) = frame(issue, u, max_round, h, values);
    s.push_str(&axes);
    s.push_str(&hlines(issue, &x, &y));
    let mut ends = Vec::new();
    for a in &actors {
        let pts: Vec<(f64, f64)> = i
            .rounds
            .iter()
            .filter_map(|r| r.positions.get(a).map(|v| (r.round as f64, v)))
            .collect();
        s.push_str(&polyline(
            &pts,
            &x,
            &y,
            "stroke=\"#56B4E9\" stroke-width=\"1.2\" stroke-opacity=\"0.9\"",
        ));
        if let Some(last) = pts.iter().rev().find(|p| p.1.is_finite()) {
            ends.push((
                0,
                super::issue::short_label(actor_label(&r.scenario, a)).to_string(),
                x.at(last.0),
                y.at(last.1),
            ));
        }
    }
    let med: Vec<(f64, f64)> = i
        .rounds
        .iter()
        .map(|r| (r.round as f64, r.median))
        .collect();
    s.push_str(&polyline(
        &med,
        &x,
        &y,
        "stroke=\"#000\" stroke-width=\"2.5\"",
    ));
    s.push_str(&end_labels(&ends, &y, false));
    s.push_str("</svg>");
    format!(
        "<figure><p class=\"figtitle\">Actor positions per round under {}</p>{s}<figcaption>Thin blue lines are actors (labelled at their final position); the thick black line is the weighted median.</figcaption></figure>\n{}",
        esc(&name),
        actor_table(r, u, i, &actors)
    )
}

fn actor_desc(r: &Report, u: &Units, i: &IssueForecast, actors: &[&str]) -> String {
    let (Some(first), Some(last)) = (i.rounds.first(), i.rounds.last()) else {
        return String::new();
    };
    let moves: Vec<String> = actors
        .iter()
        .map(|a| {
            format!(
                "{} {} to {}",
                actor_label(&r.scenario, a),
                first
                    .positions
                    .get(a)
                    .map(|v| u.bare(v))
                    .unwrap_or_default(),
                last.positions.get(a).map(|v| u.bare(v)).unwrap_or_default()
            )
        })
        .collect();
    format!(
        "Positions from round {} to round {}: {}.",
        first.round,
        last.round,
        moves.join("; ")
    )
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
