//! The distributions a ranged estimate is drawn from, as quantile functions.
//!
//! Every draw maps a uniform number `u` in (0, 1) through a quantile (inverse CDF), so one
//! uniform is consumed per ranged input and per draw, and correlated draws only change how
//! `u` is made (see [`super::inputs`]).

use serde::Serialize;
use std::f64::consts::PI;

/// The shape of the distribution between `low` and `high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// Triangular with peak at the mode (the default).
    #[default]
    Triangular,
    /// PERT: a Beta distribution on `[low, high]` with mean `(low + 4·mode + high) / 6`,
    /// i.e. `α = 1 + 4(mode − low)/(high − low)`, `β = 1 + 4(high − mode)/(high − low)`.
    Pert,
}

impl Shape {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Triangular => "triangular",
            Shape::Pert => "pert",
        }
    }
}

impl std::str::FromStr for Shape {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "triangular" | "triangle" => Ok(Shape::Triangular),
            "pert" | "beta-pert" => Ok(Shape::Pert),
            _ => Err(format!(
                "unknown distribution `{s}`; expected triangular or pert"
            )),
        }
    }
}

/// One ranged number ready to be drawn: `low <= mode <= high`, all finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    /// Always `value` (a range of zero width).
    Point(f64),
    /// Triangular on `[low, high]` with peak at `mode`.
    Triangular {
        /// Lower end.
        low: f64,
        /// Peak.
        mode: f64,
        /// Upper end.
        high: f64,
    },
    /// `low + (high − low) · Beta(alpha, beta)`.
    Pert {
        /// Lower end.
        low: f64,
        /// Upper end.
        high: f64,
        /// First Beta shape parameter, 1–5.
        alpha: f64,
        /// Second Beta shape parameter, 1–5.
        beta: f64,
        /// `ln B(alpha, beta)`, cached.
        ln_beta: f64,
    },
}

impl Distribution {
    /// The distribution of shape `shape` for the range `(low, mode, high)`.
    pub fn new(shape: Shape, low: f64, mode: f64, high: f64) -> Self {
        if high <= low {
            return Distribution::Point(mode);
        }
        match shape {
            Shape::Triangular => Distribution::Triangular { low, mode, high },
            Shape::Pert => {
                let alpha = 1.0 + 4.0 * (mode - low) / (high - low);
                let beta = 1.0 + 4.0 * (high - mode) / (high - low);
                Distribution::Pert {
                    low,
                    high,
                    alpha,
                    beta,
                    ln_beta: ln_beta(alpha, beta),
                }
            }
        }
    }

    /// The value below which a fraction `u` (clamped to 0–1) of draws fall.
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match *self {
            Distribution::Point(x) => x,
            Distribution::Triangular { low, mode, high } => triangular_quantile(low, mode, high, u),
            Distribution::Pert {
                low,
                high,
                alpha,
                beta,
                ln_beta,
            } => low + (high - low) * beta_quantile(alpha, beta, ln_beta, u),
        }
    }

    /// The mean of the distribution.
    pub fn mean(&self) -> f64 {
        match *self {
            Distribution::Point(x) => x,
            Distribution::Triangular { low, mode, high } => (low + mode + high) / 3.0,
            Distribution::Pert {
                low,
                high,
                alpha,
                beta,
                ..
            } => low + (high - low) * alpha / (alpha + beta),
        }
    }
}

/// Inverse CDF of the triangular distribution on `[low, high]` with peak `mode`.
fn triangular_quantile(low: f64, mode: f64, high: f64, u: f64) -> f64 {
    let width = high - low;
    let left = (mode - low) / width;
    let x = if u < left {
        low + (u * width * (mode - low)).sqrt()
    } else {
        high - ((1.0 - u) * width * (high - mode)).sqrt()
    };
    x.clamp(low, high)
}

/// `ln Γ(x)` for `x > 0` by the Lanczos approximation (g = 7, nine terms; relative error
/// below 1e-13 for the arguments used here).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        return (PI / (PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let z = x - 1.0;
    let mut sum = C[0];
    for (k, c) in C.iter().enumerate().skip(1) {
        sum += c / (z + k as f64);
    }
    let t = z + G + 0.5;
    0.5 * (2.0 * PI).ln() + (z + 0.5) * t.ln() - t + sum.ln()
}

/// `ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b)`.
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// The regularised incomplete Beta function `I_x(a, b)` for `a, b > 0`, `x` in 0–1.
pub fn beta_cdf(a: f64, b: f64, ln_b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (a * x.ln() + b * (1.0 - x).ln() - ln_b).exp();
    // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry
    // I_x(a, b) = 1 − I_{1−x}(b, a) on the other side.
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// The continued fraction of the incomplete Beta function, evaluated by the modified
/// Lentz method.
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-15;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut f = d;
    for m in 1..300 {
        let m = m as f64;
        // Even step: d_{2m} = m(b − m)x / ((a + 2m − 1)(a + 2m)).
        let even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 + even * d;
        d = if d.abs() < TINY { 1.0 / TINY } else { 1.0 / d };
        c = 1.0 + even / c;
        if c.abs() < TINY {
            c = TINY;
        }
        f *= d * c;
        // Odd step: d_{2m+1} = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
        let odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 + odd * d;
        d = if d.abs() < TINY { 1.0 / TINY } else { 1.0 / d };
        c = 1.0 + odd / c;
        if c.abs() < TINY {
            c = TINY;
        }
        let step = d * c;
        f *= step;
        if (step - 1.0).abs() < EPS {
            break;
        }
    }
    f
}

/// The Beta(a, b) density at `x` in (0, 1).
fn beta_pdf(a: f64, b: f64, ln_b: f64, x: f64) -> f64 {
    ((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_b).exp()
}

/// Inverse of [`beta_cdf`]: Newton steps kept inside a shrinking bisection bracket, to
/// an absolute error in `x` below 1e-12.
pub fn beta_quantile(a: f64, b: f64, ln_b: f64, u: f64) -> f64 {
    if u <= 0.0 {
        return 0.0;
    }
    if u >= 1.0 {
        return 1.0;
    }
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    let mut x = a / (a + b);
    for _ in 0..100 {
        let f = beta_cdf(a, b, ln_b, x) - u;
        if f.abs() < 1e-14 {
            return x;
        }
        if f > 0.0 {
            hi = x;
        } else {
            lo = x;
        }
        let pdf = beta_pdf(a, b, ln_b, x);
        let newton = x - f / pdf;
        let next = if pdf > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() < 1e-13 || hi - lo < 1e-13 {
            return next;
        }
        x = next;
    }
    x
}

/// The standard normal CDF Φ(z), by Abramowitz & Stegun 26.2.17 (absolute error < 7.5e-8),
/// made exactly symmetric: Φ(−z) = 1 − Φ(z).
pub fn normal_cdf(z: f64) -> f64 {
    const P: f64 = 0.231_641_9;
    const B: [f64; 5] = [
        0.319_381_530,
        -0.356_563_782,
        1.781_477_937,
        -1.821_255_978,
        1.330_274_429,
    ];
    let x = z.abs();
    let t = 1.0 / (1.0 + P * x);
    let poly = t * (B[0] + t * (B[1] + t * (B[2] + t * (B[3] + t * B[4]))));
    let density = (-0.5 * x * x).exp() / (2.0 * PI).sqrt();
    let upper = density * poly;
    if z >= 0.0 { 1.0 - upper } else { upper }
}

/// Two independent standard normals from two uniforms in (0, 1) (Box–Muller).
pub fn box_muller(u1: f64, u2: f64) -> (f64, f64) {
    let r = (-2.0 * u1.ln()).sqrt();
    let angle = 2.0 * PI * u2;
    (r * angle.cos(), r * angle.sin())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_matches_factorials() {
        for (n, fact) in [(1.0, 1.0_f64), (2.0, 1.0), (5.0, 24.0), (7.0, 720.0)] {
            assert!((ln_gamma(n) - fact.ln()).abs() < 1e-12, "n = {n}");
        }
        // Γ(1/2) = √π.
        assert!((ln_gamma(0.5) - PI.sqrt().ln()).abs() < 1e-12);
    }

    #[test]
    fn triangular_quantile_inverts_its_cdf() {
        let d = Distribution::new(Shape::Triangular, 2.0, 4.0, 7.0);
        assert_eq!(d.quantile(0.0), 2.0);
        assert_eq!(d.quantile(1.0), 7.0);
        // F(mode) = (4 − 2) / (7 − 2) = 0.4.
        assert!((d.quantile(0.4) - 4.0).abs() < 1e-12);
        // Left branch: F(x) = (x − a)² / ((b − a)(c − a)); x = 3 → 1/10.
        assert!((d.quantile(0.1) - 3.0).abs() < 1e-12);
        // Right branch: 1 − F(x) = (b − x)² / ((b − a)(b − c)); x = 6 → 1 − 1/15.
        assert!((d.quantile(1.0 - 1.0 / 15.0) - 6.0).abs() < 1e-12);
    }

    #[test]
    fn beta_cdf_has_closed_forms_where_known() {
        // Beta(1, 1) is uniform; Beta(2, 1) has CDF x²; Beta(1, 3) has CDF 1 − (1 − x)³.
        for x in [0.1, 0.37, 0.5, 0.93] {
            assert!((beta_cdf(1.0, 1.0, ln_beta(1.0, 1.0), x) - x).abs() < 1e-13);
            assert!((beta_cdf(2.0, 1.0, ln_beta(2.0, 1.0), x) - x * x).abs() < 1e-13);
            let want = 1.0 - (1.0 - x).powi(3);
            assert!((beta_cdf(1.0, 3.0, ln_beta(1.0, 3.0), x) - want).abs() < 1e-13);
        }
    }

    #[test]
    fn beta_quantile_inverts_the_cdf() {
        for (a, b) in [(1.0, 5.0), (2.3, 3.7), (3.0, 3.0), (4.9, 1.1), (5.0, 1.0)] {
            let lb = ln_beta(a, b);
            for u in [1e-6, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0 - 1e-6] {
                let x = beta_quantile(a, b, lb, u);
                assert!(
                    (beta_cdf(a, b, lb, x) - u).abs() < 1e-10,
                    "a {a} b {b} u {u}"
                );
            }
        }
    }

    #[test]
    fn pert_mean_is_the_weighted_average() {
        let d = Distribution::new(Shape::Pert, 2.0, 4.0, 7.0);
        assert!((d.mean() - (2.0 + 16.0 + 7.0) / 6.0).abs() < 1e-12);
        // The numerical mean of the quantile function agrees.
        let n = 20_000;
        let m: f64 = (0..n)
            .map(|k| d.quantile((k as f64 + 0.5) / n as f64))
            .sum::<f64>()
            / n as f64;
        assert!((m - d.mean()).abs() < 1e-4, "{m}");
    }

    #[test]
    fn zero_width_range_is_a_point() {
        let d = Distribution::new(Shape::Pert, 3.0, 3.0, 3.0);
        assert_eq!(d, Distribution::Point(3.0));
        assert_eq!(d.quantile(0.7), 3.0);
    }

    proptest::proptest! {
        #[test]
        fn quantiles_stay_in_range_and_increase(
            low in -1e3..1e3f64,
            a in 0.0..1.0f64,
            width in 0.0..1e3f64,
            u1 in 0.0..1.0f64,
            u2 in 0.0..1.0f64,
        ) {
            let (mode, high) = (low + a * width, low + width);
            let (u1, u2) = if u1 <= u2 { (u1, u2) } else { (u2, u1) };
            for shape in [Shape::Triangular, Shape::Pert] {
                let d = Distribution::new(shape, low, mode, high);
                let (x1, x2) = (d.quantile(u1), d.quantile(u2));
                proptest::prop_assert!(x1.is_finite() && x2.is_finite());
                proptest::prop_assert!(low <= x1 && x2 <= high, "{shape:?} {x1} {x2}");
                proptest::prop_assert!(x1 <= x2 + 1e-9 * (1.0 + width), "{shape:?} {x1} > {x2}");
            }
        }
    }

    #[test]
    fn normal_cdf_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959_963_985) - 0.975).abs() < 1e-7);
        assert!((normal_cdf(-1.0) - 0.158_655_254).abs() < 1e-7);
        assert_eq!(normal_cdf(2.0) + normal_cdf(-2.0), 1.0);
    }
}
