//! The Monte Carlo histogram of one issue's forecast.

use crate::fmt::{Units, anchor, coord, esc};
use crate::plain_unit;
use crate::scale::{self, Linear, extent};
use pactum::Issue;
use pactum::uncertainty::Simulation;

/// The Monte Carlo distribution of one issue's forecast under one model.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// The issue's id.
    pub issue_id: String,
    /// The model whose forecasts were drawn.
    pub model: String,
    /// Number of draws (the total of the bin counts may be lower when some draws failed).
    pub draws: u64,
    /// Bins in increasing order: `(lo, hi, count)`, bounds in the issue's units.
    pub bins: Vec<Bin>,
    /// 10th percentile of the forecast, in the issue's units.
    pub p10: f64,
    /// Median of the forecast, in the issue's units.
    pub p50: f64,
    /// 90th percentile of the forecast, in the issue's units.
    pub p90: f64,
    /// Mean of the forecast, in the issue's units, if computed.
    pub mean: Option<f64>,
    /// Share of draws that reached agreement, for models that can fail to agree
    /// (`twolevel`); shown beside the histogram.
    pub p_agreement: Option<f64>,
}

/// One histogram bin: draws with `lo <= forecast < hi` (the last bin includes `hi`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    /// Lower bound, in the issue's units.
    pub lo: f64,
    /// Upper bound, in the issue's units.
    pub hi: f64,
    /// Number of draws in the bin.
    pub count: u64,
}

impl Histogram {
    /// One histogram per issue of a Monte Carlo run (`pactum simulate`), in the run's order:
    /// the bins spread evenly over the run's `[lo, hi]`.
    pub fn from_simulation(sim: &Simulation) -> Vec<Histogram> {
        sim.issues
            .iter()
            .map(|d| {
                let h = &d.histogram;
                let w = (h.hi - h.lo) / h.counts.len().max(1) as f64;
                Histogram {
                    issue_id: d.id.clone(),
                    model: sim.model.clone(),
                    draws: d.draws_with_forecast,
                    bins: h
                        .counts
                        .iter()
                        .enumerate()
                        .map(|(k, c)| Bin {
                            lo: h.lo + k as f64 * w,
                            hi: h.lo + (k + 1) as f64 * w,
                            count: *c,
                        })
                        .collect(),
                    p10: d.p10,
                    p50: d.median,
                    p90: d.p90,
                    mean: Some(d.mean),
                    p_agreement: d.p_agreement,
                }
            })
            .collect()
    }
}

/// The Monte Carlo histogram `h` of `issue` (the `k`-th of the caller's list, which names
/// the element's id) as an SVG element: bars over the bins that hold draws, p10, median
/// and p90 (and the known outcome) marked, x in the issue's units.
pub fn histogram(issue: &Issue, k: usize, h: &Histogram) -> String {
    let u = &Units::of(&issue.scale);
    let outcome = issue.outcome.as_ref().map(|o| o.value);
    // Zoom on the bins that hold draws: a histogram binned over the whole scale would
    // otherwise squeeze the mass into a corner.
    let xs = h
        .bins
        .iter()
        .filter(|b| b.count > 0)
        .flat_map(|b| [b.lo, b.hi])
        .chain([h.p10, h.p90])
        .chain(outcome)
        .filter(|v| v.is_finite());
    let (lo, hi) = extent(xs);
    let height = 270.0;
    let base = height - 46.0;
    let x = Linear::new(lo, hi, 62.0, 620.0);
    let max = h.bins.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let y = Linear::new(0.0, max, base, 44.0);
    let id = anchor(&format!("hist-{k}-"), &issue.id);
    let desc = format!(
        "Histogram of {} draws of the {} forecast on {}: p10 {}, median {}, p90 {}. Bins: {}.",
        h.draws,
        h.model,
        issue.id,
        u.bare(h.p10),
        u.bare(h.p50),
        u.bare(h.p90),
        h.bins
            .iter()
            .map(|b| format!("{}–{}: {}", u.bare(b.lo), u.bare(b.hi), b.count))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let mut s = scale::open(
        &id,
        height,
        &format!("Distribution of the {} forecast", h.model),
        &desc,
    );
    let (yt, _) = scale::ticks(0.0, max, 4);
    let yt: Vec<f64> = yt.into_iter().filter(|t| t.fract() == 0.0).collect();
    for t in &yt {
        s.push_str(&format!(
            "<line class=\"guide\" x1=\"62\" y1=\"{0}\" x2=\"620\" y2=\"{0}\"/>",
            coord(y.at(*t))
        ));
    }
    for b in &h.bins {
        if b.count == 0 || !(b.lo.is_finite() && b.hi.is_finite()) {
            continue;
        }
        let x0 = x.at(b.lo);
        let w = (x.at(b.hi) - x0).max(0.5);
        s.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#56B4E9\" stroke=\"#fff\" stroke-width=\"0.5\"/>",
            coord(x0),
            coord(y.at(b.count as f64)),
            coord(w),
            coord(base - y.at(b.count as f64))
        ));
    }
    let marks = [
        (
            h.p10,
            format!("p10 {}", u.bare(h.p10)),
            "#000",
            " stroke-dasharray=\"4 3\"",
            11.0,
            "end",
            -3.0,
        ),
        (
            h.p90,
            format!("p90 {}", u.bare(h.p90)),
            "#000",
            " stroke-dasharray=\"4 3\"",
            11.0,
            "start",
            3.0,
        ),
        (
            h.p50,
            format!("median {}", u.bare(h.p50)),
            "#000",
            "",
            23.0,
            "middle",
            0.0,
        ),
    ];
    for (v, text, colour, dash, ty, anchor, dx) in marks.into_iter().chain(outcome.map(|o| {
        (
            o,
            format!("outcome {}", u.bare(o)),
            "#D55E00",
            "",
            35.0,
            "middle",
            0.0,
        )
    })) {
        if !v.is_finite() {
            continue;
        }
        let px = x.clamped(v);
        s.push_str(&format!(
            "<line x1=\"{0}\" y1=\"40\" x2=\"{0}\" y2=\"{1}\" stroke=\"{colour}\" stroke-width=\"1.5\"{dash}/><text x=\"{2}\" y=\"{3}\" text-anchor=\"{anchor}\" fill=\"{colour}\" font-size=\"10\" font-weight=\"600\">{4}</text>",
            coord(px),
            coord(base),
            coord(px + dx),
            coord(ty),
            esc(&text)
        ));
    }
    s.push_str(&scale::fitted_x_axis(
        &x,
        base,
        7,
        &format!("Forecast{}", plain_unit(u)),
    ));
    s.push_str(&scale::y_axis(&y, 62.0, &yt, 0, "Draws", 16.0));
    s.push_str("</svg>");
    s
}
