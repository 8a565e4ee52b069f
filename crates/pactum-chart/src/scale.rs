//! SVG building blocks: linear scales, tick marks, axes, a colour-blind-safe palette and
//! label placement. Every chart is drawn in a 640-unit-wide view box and scales to the
//! column width.

use crate::fmt::{coord, esc, grouped};

/// Width of every chart's view box, in SVG units.
pub const WIDTH: f64 = 640.0;

/// Okabe–Ito colours (safe for the common colour-vision deficiencies), in the order used
/// for series. Black first so a single series prints well in grey.
/// Vermillion (#D55E00) is left out: it marks the known outcome in every chart.
pub const PALETTE: [&str; 7] = [
    "#000000", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#999933",
];

/// Dash patterns paired with [`PALETTE`], so series stay apart in black-and-white print.
pub const DASHES: [&str; 7] = ["", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2"];

/// The colour of series `k`.
pub fn colour(k: usize) -> &'static str {
    PALETTE[k % PALETTE.len()]
}

/// The dash pattern of series `k` as an attribute (empty for solid lines).
pub fn dash(k: usize) -> String {
    let d = DASHES[k % DASHES.len()];
    if d.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{d}\"")
    }
}

/// A linear map from data values `[d0, d1]` to SVG coordinates `[r0, r1]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    /// Data value at the start of the range.
    pub d0: f64,
    /// Data value at the end of the range.
    pub d1: f64,
    /// SVG coordinate of `d0`.
    pub r0: f64,
    /// SVG coordinate of `d1`.
    pub r1: f64,
}

impl Linear {
    /// A map of `[d0, d1]` onto `[r0, r1]`; a zero-width domain is widened by 1 each side.
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Linear {
        let (d0, d1) = if d1 > d0 && (d1 - d0).is_finite() {
            (d0, d1)
        } else if d0.is_finite() {
            (d0 - 1.0, d0 + 1.0)
        } else {
            (0.0, 1.0)
        };
        Linear { d0, d1, r0, r1 }
    }

    /// The SVG coordinate of data value `x` (not clamped).
    pub fn at(&self, x: f64) -> f64 {
        self.r0 + (x - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }

    /// The SVG coordinate of `x`, clamped to the range.
    pub fn clamped(&self, x: f64) -> f64 {
        let (a, b) = if self.r0 <= self.r1 {
            (self.r0, self.r1)
        } else {
            (self.r1, self.r0)
        };
        self.at(x).clamp(a, b)
    }
}

/// Round tick values covering `[lo, hi]` (about `target` of them, steps of 1, 2, 2.5 or 5
/// times a power of ten) and the decimals their labels need.
pub fn ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, usize) {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return (vec![if lo.is_finite() { lo } else { 0.0 }], 0);
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step - 1e-9).ceil();
    let last = (hi / step + 1e-9).floor();
    let mut out = Vec::new();
    let mut k = first;
    while k <= last && out.len() < 50 {
        out.push(k * step);
        k += 1.0;
    }
    let d = (0..6)
        .find(|d| {
            let v = step * 10f64.powi(*d as i32);
            (v - v.round()).abs() < 1e-6 * v.max(1.0)
        })
        .unwrap_or(6);
    (out, d)
}

/// Like [`ticks`], but with fewer ticks when their labels would not fit side by side in
/// `width` SVG units (labels are about 6.5 units a character at 11 px).
pub fn ticks_fitting(lo: f64, hi: f64, target: usize, width: f64) -> (Vec<f64>, usize) {
    let mut n = target.max(2);
    loop {
        let (t, d) = ticks(lo, hi, n);
        let widest = t
            .iter()
            .map(|v| grouped(*v, d).chars().count())
            .max()
            .unwrap_or(1) as f64;
        let room = width / t.len().max(1) as f64;
        if widest * 6.5 + 12.0 <= room || n <= 2 {
            return (t, d);
        }
        n -= 1;
    }
}

/// Integer ticks for round numbers `0..=max`.
pub fn round_ticks(max: usize) -> Vec<usize> {
    let step = match max {
        0..=10 => 1,
        11..=20 => 2,
        21..=50 => 5,
        51..=100 => 10,
        _ => (max / 10).next_power_of_two(),
    };
    (0..=max).step_by(step).collect()
}

/// A horizontal axis at height `y`: baseline, ticks, tick labels and a centred title.
pub fn x_axis(x: &Linear, y: f64, ticks: &[f64], decimals: usize, title: &str) -> String {
    let mut s = format!(
        "<g class=\"axis\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        coord(x.r0),
        coord(y),
        coord(x.r1),
        coord(y)
    );
    for t in ticks {
        let px = coord(x.at(*t));
        s.push_str(&format!(
            "<line x1=\"{px}\" y1=\"{}\" x2=\"{px}\" y2=\"{}\"/><text x=\"{px}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            coord(y),
            coord(y + 4.0),
            coord(y + 16.0),
            grouped(*t, decimals)
        ));
    }
    s.push_str(&format!(
        "<text class=\"title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
        coord((x.r0 + x.r1) / 2.0),
        coord(y + 32.0),
        esc(title)
    ));
    s
}

/// A horizontal axis at height `y` in value units: about `target` round ticks that fit the
/// axis's width (see [`ticks_fitting`]) and `title` centred below.
pub fn fitted_x_axis(x: &Linear, y: f64, target: usize, title: &str) -> String {
    let lo = x.d0.min(x.d1);
    let hi = x.d0.max(x.d1);
    let (ticks, d) = ticks_fitting(lo, hi, target, (x.r1 - x.r0).abs());
    x_axis(x, y, &ticks, d, title)
}

/// A vertical axis at `x`: baseline, ticks, labels and a rotated title at `title_x`.
pub fn y_axis(
    y: &Linear,
    x: f64,
    ticks: &[f64],
    decimals: usize,
    title: &str,
    title_x: f64,
) -> String {
    let mut s = format!(
        "<g class=\"axis\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        coord(x),
        coord(y.r0),
        coord(x),
        coord(y.r1)
    );
    for t in ticks {
        let py = coord(y.at(*t));
        s.push_str(&format!(
            "<line x1=\"{}\" y1=\"{py}\" x2=\"{}\" y2=\"{py}\"/><text x=\"{}\" y=\"{py}\" dy=\"0.32em\" text-anchor=\"end\">{}</text>",
            coord(x - 4.0),
            coord(x),
            coord(x - 6.0),
            grouped(*t, decimals)
        ));
    }
    let mid = coord((y.r0 + y.r1) / 2.0);
    s.push_str(&format!(
        "<text class=\"title\" x=\"{0}\" y=\"{mid}\" text-anchor=\"middle\" transform=\"rotate(-90 {0} {mid})\">{1}</text></g>",
        coord(title_x),
        esc(title)
    ));
    s
}

/// Opens an `<svg>` of height `h` with an accessible title and description (both escaped).
pub fn open(id: &str, h: f64, title: &str, desc: &str) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        coord(WIDTH),
        coord(h),
        esc(title),
        esc(desc)
    )
}

/// Spreads label positions (sorted by the caller's order of `wanted`) so that neighbours
/// are at least `gap` apart, staying within `[min, max]` where possible. Returns positions
/// in the order of `wanted`.
pub fn spread(wanted: &[f64], gap: f64, min: f64, max: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|a, b| wanted[*a].total_cmp(&wanted[*b]).then(a.cmp(b)));
    let mut placed = vec![0.0; wanted.len()];
    let mut prev = f64::NEG_INFINITY;
    for &k in &order {
        let y = wanted[k].max(min).max(prev + gap);
        placed[k] = y;
        prev = y;
    }
    // Push back up from the bottom if the stack ran past `max`.
    let mut next = f64::INFINITY;
    for &k in order.iter().rev() {
        let y = placed[k].min(max).min(next - gap);
        placed[k] = y;
        next = y;
    }
    placed
}

/// The range covering `values`, padded by 5% (and widened when all values are equal).
pub fn extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo {
        0.05 * (hi - lo)
    } else {
        lo.abs().max(1.0) * 0.05
    };
    (lo - pad, hi + pad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_maps_ends_and_survives_empty_domain() {
        let s = Linear::new(0.0, 40.0, 100.0, 500.0);
        assert_eq!(s.at(0.0), 100.0);
        assert_eq!(s.at(40.0), 500.0);
        assert_eq!(s.at(10.0), 200.0);
        let flat = Linear::new(5.0, 5.0, 0.0, 10.0);
        assert!(flat.at(5.0).is_finite());
        assert_eq!(flat.at(5.0), 5.0);
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let (t, d) = ticks(0.0, 40.0, 5);
        assert_eq!(t, vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(d, 0);
        let (t, d) = ticks(4.0, 10.0, 6);
        assert_eq!(t.first(), Some(&4.0));
        assert_eq!(t.last(), Some(&10.0));
        assert_eq!(d, 0);
        let (t, d) = ticks(0.0, 1.0, 4);
        assert_eq!(t, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(d, 2);
        let (t, d) = ticks(0.0, 0.6, 6);
        assert_eq!(t.len(), 7);
        assert_eq!(d, 1);
    }

    #[test]
    fn wide_labels_get_fewer_ticks() {
        let (many, _) = ticks(0.0, 200_000.0, 8);
        let (fit, _) = ticks_fitting(0.0, 200_000.0, 8, 420.0);
        assert!(fit.len() < many.len(), "{fit:?}");
        assert!(fit.len() >= 3);
        let (small, _) = ticks_fitting(0.0, 40.0, 8, 420.0);
        assert_eq!(small, ticks(0.0, 40.0, 8).0, "short labels keep every tick");
    }

    #[test]
    fn round_ticks_thin_out() {
        assert_eq!(round_ticks(3), vec![0, 1, 2, 3]);
        assert_eq!(round_ticks(40), vec![0, 5, 10, 15, 20, 25, 30, 35, 40]);
    }

    #[test]
    fn spread_keeps_gaps_and_order() {
        let p = spread(&[10.0, 10.0, 11.0, 50.0], 8.0, 0.0, 100.0);
        assert_eq!(p[0], 10.0);
        assert_eq!(p[1], 18.0);
        assert_eq!(p[2], 26.0);
        assert_eq!(p[3], 50.0);
        let tight = spread(&[95.0, 96.0, 97.0], 10.0, 0.0, 100.0);
        assert!(tight.iter().all(|y| *y <= 100.0));
        assert!((tight[1] - tight[0]).abs() >= 10.0 - 1e-9);
    }
}
