//! The round-by-round path: the weighted median per round of every model that bargains,
//! and each actor's position per round under one model.

use crate::fmt::{Units, anchor, coord, esc};
use crate::scale::{self, Linear};
use crate::{actor_label, clip, issue_forecast, issue_title, model_label, plain_unit, short_label};
use pactum::{Forecast, Issue, IssueForecast, Scenario};

const LEFT: f64 = 62.0;
const RIGHT: f64 = 500.0;

/// The forecasts of `issue` that bargain over two rounds or more, with their index.
fn paths<'a>(
    issue: &Issue,
    forecasts: &'a [Forecast],
) -> Vec<(usize, &'a Forecast, &'a IssueForecast)> {
    forecasts
        .iter()
        .enumerate()
        .filter_map(|(k, f)| issue_forecast(f, &issue.id).map(|i| (k, f, i)))
        .filter(|(_, _, i)| i.rounds.len() >= 2)
        .collect()
}

/// The y scale for a path chart: the data's extent (with status quo and outcome), padded by
/// 5% of the scale and kept within the scale.
pub fn y_domain(issue: &Issue, values: impl Iterator<Item = f64>) -> (f64, f64) {
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
    let (yt, yd) = scale::ticks(lo, hi, 6);
    let xt: Vec<f64> = scale::round_ticks(max_round.max(1))
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
    s.push_str(&scale::x_axis(&x, h - 46.0, &xt, 0, "Round"));
    s.push_str(&scale::y_axis(
        &y,
        LEFT,
        &yt,
        yd,
        &format!("Position{}", plain_unit(u)),
        16.0,
    ));
    (x, y, s)
}

/// The weighted median per round of every forecast in `forecasts` that bargains over
/// rounds (two rounds or more), one line each, as an SVG element; `None` when none does.
pub fn round_medians(issue: &Issue, forecasts: &[Forecast]) -> Option<String> {
    let paths = paths(issue, forecasts);
    if paths.is_empty() {
        return None;
    }
    let u = &Units::of(&issue.scale);
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
    let mut s = scale::open(
        &id,
        h,
        &format!("Weighted median per round: {}", issue_title(issue)),
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
                scale::colour(k),
                scale::dash(k)
            ),
        ));
        if let Some(last) = pts.iter().rev().find(|p| p.1.is_finite()) {
            ends.push((k, model_label(f), x.at(last.0), y.at(last.1)));
        }
    }
    s.push_str(&end_labels(&ends, &y, true));
    s.push_str("</svg>");
    Some(s)
}

/// Labels at the right end of lines, spread so they do not overlap.
fn end_labels(ends: &[(usize, String, f64, f64)], y: &Linear, coloured: bool) -> String {
    let wanted: Vec<f64> = ends.iter().map(|e| e.3).collect();
    let placed = scale::spread(&wanted, 11.0, y.r1.min(y.r0), y.r0.max(y.r1));
    let mut s = String::new();
    for ((k, name, ex, ey), py) in ends.iter().zip(placed) {
        let fill = if coloured { scale::colour(*k) } else { "#333" };
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

/// Each actor's position per round under forecast `f` (the `k`-th of the caller's list,
/// which names the element's id), with the weighted median in bold, as an SVG element;
/// `None` when `f` has no path of two rounds or more on `issue`. On an issue with more than
/// [`MAP_ACTORS`](crate::MAP_ACTORS) actors only the heaviest are drawn.
pub fn round_actors(scenario: &Scenario, issue: &Issue, k: usize, f: &Forecast) -> Option<String> {
    let i = issue_forecast(f, &issue.id).filter(|i| i.rounds.len() >= 2)?;
    let u = &Units::of(&issue.scale);
    let keep = crate::map::heaviest_ids(scenario, issue);
    let actors: Vec<&str> = i
        .rounds
        .first()
        .map(|r0| {
            r0.positions
                .0
                .iter()
                .map(|(a, _)| a.as_str())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .filter(|a| keep.as_ref().is_none_or(|set| set.contains(a)))
        .collect();
    let max_round = i.rounds.iter().map(|r| r.round).max().unwrap_or(1);
    let h = (actors.len() as f64 * 11.0 + 90.0).max(280.0);
    let values: Vec<f64> = i
        .rounds
        .iter()
        .flat_map(|r| r.positions.0.iter().map(|(_, v)| *v).chain([r.median]))
        .collect();
    let id = anchor(&format!("actors-{k}-"), &issue.id);
    let name = model_label(f);
    let desc = actor_desc(scenario, u, i, &actors);
    let mut s = scale::open(
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
                short_label(actor_label(scenario, a)).to_string(),
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
    Some(s)
}

fn actor_desc(scenario: &Scenario, u: &Units, i: &IssueForecast, actors: &[&str]) -> String {
    let (Some(first), Some(last)) = (i.rounds.first(), i.rounds.last()) else {
        return String::new();
    };
    let moves: Vec<String> = actors
        .iter()
        .map(|a| {
            format!(
                "{} {} to {}",
                actor_label(scenario, a),
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
