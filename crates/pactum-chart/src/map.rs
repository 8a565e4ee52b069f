//! The position map: one row per actor on the issue's scale and one row per model forecast.

use crate::fmt::{Units, anchor, coord, esc, general};
use crate::scale::{self, Linear};
use crate::{actor_label, clip, issue_forecast, issue_title, model_label};
use pactum::{Estimate, Forecast, Issue, Scenario};
use std::collections::BTreeSet;

/// Most actors drawn in a position map: the heaviest (capability × salience), so a large
/// scenario stays readable; the chart's description says how many were left out.
pub const MAP_ACTORS: usize = 60;

/// One actor's coding on one issue, at the modes.
pub struct Participant<'a> {
    /// The actor's id.
    pub actor: &'a str,
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
                actor: &st.actor,
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

const LABEL_RIGHT: f64 = 238.0;
const PLOT_LEFT: f64 = 252.0;
const PLOT_RIGHT: f64 = 622.0;
const ROW: f64 = 20.0;

/// The position map of `issue` as an SVG element: one row per actor (circle area ∝
/// capability × salience, whisker over a coded range; at most [`MAP_ACTORS`], the
/// heaviest), one row per model forecast in `forecasts`, status quo and outcome as vertical
/// lines, on the issue's scale in its units.
pub fn position_map(scenario: &Scenario, issue: &Issue, forecasts: &[Forecast]) -> String {
    let u = &Units::of(&issue.scale);
    let all = participants(scenario, issue);
    let total = all.len();
    let ps = heaviest(all, MAP_ACTORS);
    let forecasts: Vec<(String, f64)> = forecasts
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
    let shown = if ps.len() < total {
        format!("the {} heaviest of {total}", ps.len())
    } else {
        total.to_string()
    };
    let desc = format!(
        "Dot plot of {shown} actors' positions on {} from {} to {}, sorted by position, with {} model forecasts below. The same numbers are in the tables that follow.",
        issue.id,
        u.bare(sc.lo),
        u.bare(sc.hi),
        forecasts.len()
    );
    let title = format!("Positions and forecasts: {}", issue_title(issue));
    let mut s = scale::open(&id, height, &title, &desc);
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
    let axis_title = format!("Position{}", plain_unit(u));
    s.push_str(&scale::fitted_x_axis(&x, bottom, 8, &axis_title));
    s.push_str(&end_labels(issue, &x, bottom + 48.0));
    s.push_str("</svg>");
    s
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

/// Status quo (dashed grey) and outcome (solid vermillion) lines from `top` to `bottom`,
/// with labels on top.
pub fn markers(issue: &Issue, u: &Units, x: &Linear, top: f64, bottom: f64) -> String {
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

/// The `n` heaviest of `ps` (ties keep order), still sorted by position.
fn heaviest(mut ps: Vec<Participant<'_>>, n: usize) -> Vec<Participant<'_>> {
    if ps.len() <= n {
        return ps;
    }
    let mut order: Vec<usize> = (0..ps.len()).collect();
    order.sort_by(|a, b| ps[*b].weight.total_cmp(&ps[*a].weight).then(a.cmp(b)));
    let mut keep = vec![false; ps.len()];
    for k in order.into_iter().take(n) {
        keep[k] = true;
    }
    let mut k = 0;
    ps.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    ps
}

/// The ids of the [`MAP_ACTORS`] heaviest actors on `issue`, or `None` when the issue has
/// no more than that (every actor is drawn).
pub(crate) fn heaviest_ids<'a>(
    scenario: &'a Scenario,
    issue: &'a Issue,
) -> Option<BTreeSet<&'a str>> {
    let ps = participants(scenario, issue);
    if ps.len() <= MAP_ACTORS {
        return None;
    }
    let mut order: Vec<usize> = (0..ps.len()).collect();
    order.sort_by(|a, b| ps[*b].weight.total_cmp(&ps[*a].weight).then(a.cmp(b)));
    Some(
        order
            .into_iter()
            .take(MAP_ACTORS)
            .map(|k| ps[k].actor)
            .collect(),
    )
}
