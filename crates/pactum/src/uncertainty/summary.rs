//! Summaries of a sample of forecasts: quantiles, histogram, threshold probabilities and
//! Monte Carlo convergence.

use serde::Serialize;

/// The quantile at probability `p` (0–1) of an ascending-sorted, non-empty sample, by linear
/// interpolation between order statistics: with `h = (n − 1)·p`, `x[⌊h⌋] + (h − ⌊h⌋)·
/// (x[⌊h⌋ + 1] − x[⌊h⌋])` — Hyndman & Fan's definition 7, the default of R and NumPy.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Counts of draws per equal-width bin, over the range of the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Histogram {
    /// Lower edge of the first bin: the smallest draw, in the units.
    pub lo: f64,
    /// Upper edge of the last bin: the largest draw.
    pub hi: f64,
    /// Draws per bin; bin `k` is `[lo + k·w, lo + (k+1)·w)` with `w = (hi − lo)/bins`, the
    /// last one closed. When every draw is equal, all are in the first bin.
    pub counts: Vec<u64>,
}

impl Histogram {
    /// Bins a sorted sample over `[x₀, xₙ₋₁]`.
    pub fn new(sorted: &[f64], bins: usize) -> Self {
        let bins = bins.max(1);
        let lo = sorted.first().copied().unwrap_or(0.0);
        let hi = sorted.last().copied().unwrap_or(0.0);
        let mut counts = vec![0u64; bins];
        let width = (hi - lo) / bins as f64;
        for &x in sorted {
            let k = if width > 0.0 {
                (((x - lo) / width) as usize).min(bins - 1)
            } else {
                0
            };
            counts[k] += 1;
        }
        Histogram { lo, hi, counts }
    }
}

/// How often the forecast reaches a threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crossing {
    /// The threshold, in the units.
    pub threshold: f64,
    /// Share of draws with forecast ≥ threshold.
    pub p_at_or_above: f64,
    /// Share of draws with forecast < threshold (`1 − p_at_or_above`).
    pub p_below: f64,
    /// Monte Carlo standard error of the share, `√(p(1 − p)/n)`.
    pub standard_error: f64,
}

impl Crossing {
    /// The crossing probabilities of `threshold` in an ascending-sorted sample.
    pub fn new(sorted: &[f64], threshold: f64) -> Self {
        let n = sorted.len().max(1) as f64;
        let below = sorted.partition_point(|x| *x < threshold) as f64;
        let p = 1.0 - below / n;
        Crossing {
            threshold,
            p_at_or_above: p,
            p_below: below / n,
            standard_error: (p * (1.0 - p) / n).sqrt(),
        }
    }
}

/// The median and mean after the first `draws` draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checkpoint {
    /// Number of draws used (the first ones, in draw order).
    pub draws: u64,
    /// Median of those draws.
    pub median: f64,
    /// Mean of those draws.
    pub mean: f64,
}

/// How settled the Monte Carlo estimates are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Convergence {
    /// Standard error of the mean, `sd / √n`.
    pub mean_standard_error: f64,
    /// Distribution-free 95% interval of the median: the order statistics at ranks
    /// `n/2 ∓ 1.96·√n/2` (normal approximation to the binomial).
    pub median_ci95: [f64; 2],
    /// Median and mean after 1/4, 1/2 and all of the draws.
    pub checkpoints: Vec<Checkpoint>,
}

impl Convergence {
    /// Convergence statistics of `values` (in draw order) and the same sorted.
    pub fn new(values: &[f64], sorted: &[f64], sd: f64) -> Self {
        let n = sorted.len();
        let half_width = 1.96 * (n as f64).sqrt() / 2.0;
        let rank = |r: f64| sorted[(r.round().max(0.0) as usize).min(n.saturating_sub(1))];
        let checkpoints = [4, 2, 1]
            .iter()
            .map(|d| n / d)
            .filter(|m| *m > 0)
            .map(|m| {
                let mut prefix = values[..m].to_vec();
                prefix.sort_unstable_by(f64::total_cmp);
                Checkpoint {
                    draws: m as u64,
                    median: quantile_sorted(&prefix, 0.5),
                    mean: prefix.iter().sum::<f64>() / m as f64,
                }
            })
            .collect();
        Convergence {
            mean_standard_error: sd / (n.max(1) as f64).sqrt(),
            median_ci95: if n == 0 {
                [f64::NAN; 2]
            } else {
                [
                    rank(n as f64 / 2.0 - half_width - 1.0),
                    rank(n as f64 / 2.0 + half_width),
                ]
            },
            checkpoints,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_type7_matches_numpy() {
        // numpy.percentile([1, 2, 3, 4], [10, 50, 90]) = [1.3, 2.5, 3.7].
        let x = [1.0, 2.0, 3.0, 4.0];
        assert!((quantile_sorted(&x, 0.1) - 1.3).abs() < 1e-12);
        assert!((quantile_sorted(&x, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile_sorted(&x, 0.9) - 3.7).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[5.0], 0.9), 5.0);
    }

    #[test]
    fn histogram_counts_every_draw_once() {
        let x = [0.0, 0.5, 1.0, 9.99, 10.0];
        let h = Histogram::new(&x, 10);
        assert_eq!(h.counts.iter().sum::<u64>(), 5);
        assert_eq!(h.counts[0], 2);
        assert_eq!(h.counts[1], 1);
        assert_eq!(h.counts[9], 2);
    }

    #[test]
    fn crossing_counts_ties_as_reaching() {
        let x = [1.0, 2.0, 3.0, 3.0];
        let c = Crossing::new(&x, 3.0);
        assert_eq!(c.p_at_or_above, 0.5);
        assert_eq!(c.p_below, 0.5);
    }
}
