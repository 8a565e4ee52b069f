//! Decimal numbers with the arithmetic of Python's `decimal` module in its default context:
//! every result of `+ − × ÷`, `abs` and negation is the exact result rounded to 28
//! significant digits, half to even. Conversions from a float are exact (as `Decimal(x)` is),
//! and comparisons are exact. `ties=decide` computes in this type because Decide does: two
//! gains that are equal on paper often differ in their 28th digit there, and that difference
//! decides which of them Decide's sort puts first.
//!
//! Written from the General Decimal Arithmetic rules that Python documents; only what the
//! exchange model needs.

use num_bigint::BigUint;
use std::cmp::Ordering;
use std::sync::OnceLock;

/// Significant digits kept by every operation (Python's default context).
const PREC: u32 = 28;

/// `±coef × 10^exp`.
#[derive(Clone, Debug)]
pub(crate) struct Dec {
    neg: bool,
    coef: BigUint,
    exp: i32,
}

/// Powers of ten kept ready: most operations need one or two below 10^120.
const CACHED: u32 = 120;

fn powers() -> &'static [BigUint] {
    static TABLE: OnceLock<Vec<BigUint>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v = vec![BigUint::from(1u32)];
        for k in 1..=CACHED as usize {
            let next = &v[k - 1] * 10u32;
            v.push(next);
        }
        v
    })
}

fn pow10(k: u32) -> BigUint {
    match powers().get(k as usize) {
        Some(p) => p.clone(),
        None => BigUint::from(10u32).pow(k),
    }
}

/// `c >= 10^d`, without building 10^d when it is in the table.
fn at_least_pow10(c: &BigUint, d: u32) -> bool {
    match powers().get(d as usize) {
        Some(p) => c >= p,
        None => *c >= pow10(d),
    }
}

/// Number of decimal digits of `c` (1 for zero).
fn digits(c: &BigUint) -> u32 {
    let bits = c.bits();
    if bits == 0 {
        return 1;
    }
    // 10^(d-1) <= c < 10^d; start from the estimate given by the bit length.
    let mut d = ((bits - 1) as f64 * std::f64::consts::LOG10_2) as u32 + 1;
    while at_least_pow10(c, d) {
        d += 1;
    }
    while d > 1 && !at_least_pow10(c, d - 1) {
        d -= 1;
    }
    d
}

impl Dec {
    /// Zero.
    pub fn zero() -> Dec {
        Dec {
            neg: false,
            coef: BigUint::default(),
            exp: 0,
        }
    }

    /// An integer, exactly.
    pub fn int(v: i64) -> Dec {
        Dec {
            neg: v < 0,
            coef: BigUint::from(v.unsigned_abs()),
            exp: 0,
        }
    }

    /// The exact value of a float (Python's `Decimal(x)` for a float `x`). Non-finite
    /// values give zero (callers check finiteness first).
    pub fn exact(x: f64) -> Dec {
        if !x.is_finite() || x == 0.0 {
            return Dec::zero();
        }
        let bits = x.to_bits();
        let neg = bits >> 63 == 1;
        let raw_exp = ((bits >> 52) & 0x7ff) as i32;
        let frac = bits & ((1u64 << 52) - 1);
        let (mant, e2) = if raw_exp == 0 {
            (frac, -1074)
        } else {
            (frac | (1u64 << 52), raw_exp - 1075)
        };
        if e2 >= 0 {
            Dec {
                neg,
                coef: BigUint::from(mant) << (e2 as usize),
                exp: 0,
            }
        } else {
            // mant × 2^e2 = mant × 5^(−e2) × 10^e2.
            Dec {
                neg,
                coef: BigUint::from(mant) * BigUint::from(5u32).pow((-e2) as u32),
                exp: e2,
            }
        }
    }

    /// The shortest decimal that reads back as `x` (what a file said when `x` was read from
    /// a short decimal such as `0.95`). Non-finite values give zero.
    pub fn shortest(x: f64) -> Dec {
        if !x.is_finite() || x == 0.0 {
            return Dec::zero();
        }
        // Rust prints the shortest round-trip digits, e.g. "-9.5e-1".
        let text = format!("{:e}", x.abs());
        let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all = format!("{whole}{frac}");
        let coef = all.parse::<BigUint>().unwrap_or_default();
        Dec {
            neg: x < 0.0,
            coef,
            exp: exp - frac.len() as i32,
        }
    }

    /// The nearest float.
    pub fn to_f64(&self) -> f64 {
        let v: f64 = format!("{}e{}", self.coef, self.exp).parse().unwrap_or(0.0);
        if self.neg { -v } else { v }
    }

    /// True for zero (of either sign).
    pub fn is_zero(&self) -> bool {
        self.coef.bits() == 0
    }

    /// True below zero.
    pub fn is_negative(&self) -> bool {
        self.neg && !self.is_zero()
    }

    /// Rounds an exact `±coef × 10^exp` to the context; `sticky` says that nonzero digits
    /// were cut off below `coef` already (division).
    fn round(neg: bool, coef: BigUint, exp: i32, sticky: bool) -> Dec {
        let d = digits(&coef);
        if d <= PREC {
            return Dec { neg, coef, exp };
        }
        let drop = d - PREC;
        let unit = pow10(drop);
        let mut q = &coef / &unit;
        let r = coef - &q * &unit;
        let half = pow10(drop - 1) * BigUint::from(5u32);
        let up = match r.cmp(&half) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => sticky || q.bit(0),
        };
        if up {
            q += 1u32;
        }
        Dec {
            neg,
            coef: q,
            exp: exp + drop as i32,
        }
    }

    /// The coefficients of `a` and `b` scaled to their common (smaller) exponent.
    fn aligned(a: &Dec, b: &Dec) -> (BigUint, BigUint, i32) {
        let e = a.exp.min(b.exp);
        let ca = &a.coef * pow10((a.exp - e) as u32);
        let cb = &b.coef * pow10((b.exp - e) as u32);
        (ca, cb, e)
    }

    /// `self + other`, rounded.
    pub fn add(&self, other: &Dec) -> Dec {
        let (ca, cb, e) = Dec::aligned(self, other);
        let (neg, coef) = if self.neg == other.neg {
            (self.neg, ca + cb)
        } else {
            match ca.cmp(&cb) {
                Ordering::Greater => (self.neg, ca - cb),
                Ordering::Less => (other.neg, cb - ca),
                Ordering::Equal => (false, BigUint::default()),
            }
        };
        let neg = neg && coef.bits() != 0;
        Dec::round(neg, coef, e, false)
    }

    /// `self − other`, rounded.
    pub fn sub(&self, other: &Dec) -> Dec {
        self.add(&other.negated_exact())
    }

    /// `self × other`, rounded.
    pub fn mul(&self, other: &Dec) -> Dec {
        let coef = &self.coef * &other.coef;
        let neg = (self.neg != other.neg) && coef.bits() != 0;
        Dec::round(neg, coef, self.exp + other.exp, false)
    }

    /// `self ÷ other`, rounded. Division by zero gives zero: callers never divide by zero
    /// (the model checks every salience and capability first).
    pub fn div(&self, other: &Dec) -> Dec {
        if other.is_zero() || self.is_zero() {
            return Dec::zero();
        }
        let (da, db) = (digits(&self.coef) as i64, digits(&other.coef) as i64);
        // Enough digits that the quotient has at least PREC + 1 of them.
        let shift = (i64::from(PREC) + 2 + db - da).max(0) as u32;
        let num = &self.coef * pow10(shift);
        let q = &num / &other.coef;
        let r = num - &q * &other.coef;
        let neg = self.neg != other.neg;
        Dec::round(neg, q, self.exp - other.exp - shift as i32, r.bits() != 0)
    }

    /// `abs(self)`, rounded (Python rounds here too).
    pub fn abs(&self) -> Dec {
        Dec::round(false, self.coef.clone(), self.exp, false)
    }

    fn negated_exact(&self) -> Dec {
        Dec {
            neg: !self.neg && !self.is_zero(),
            coef: self.coef.clone(),
            exp: self.exp,
        }
    }

    /// `−self`, rounded.
    #[cfg(test)]
    pub fn neg(&self) -> Dec {
        let n = self.negated_exact();
        Dec::round(n.neg, n.coef, n.exp, false)
    }

    /// Exact comparison.
    pub fn cmp(&self, other: &Dec) -> Ordering {
        let (za, zb) = (self.is_zero(), other.is_zero());
        let sign = |neg: bool, zero: bool| {
            if zero {
                0
            } else if neg {
                -1
            } else {
                1
            }
        };
        let (sa, sb) = (sign(self.neg, za), sign(other.neg, zb));
        if sa != sb || sa == 0 {
            return sa.cmp(&sb);
        }
        // The position of the leading digit settles most comparisons.
        let lead_a = digits(&self.coef) as i64 + i64::from(self.exp);
        let lead_b = digits(&other.coef) as i64 + i64::from(other.exp);
        let mag = if lead_a != lead_b {
            lead_a.cmp(&lead_b)
        } else {
            let (ca, cb, _) = Dec::aligned(self, other);
            ca.cmp(&cb)
        };
        if sa < 0 { mag.reverse() } else { mag }
    }

    /// `self < other`.
    pub fn lt(&self, other: &Dec) -> bool {
        self.cmp(other) == Ordering::Less
    }

    /// `self > other`.
    pub fn gt(&self, other: &Dec) -> bool {
        self.cmp(other) == Ordering::Greater
    }
}

#[cfg(test)]
mod tests {
    use super::Dec;
    use std::cmp::Ordering;

    /// Python's `str(Decimal)` for the values these tests use (no exponent form).
    fn text(d: &Dec) -> String {
        let digits = d.coef.to_string();
        let sign = if d.is_negative() { "-" } else { "" };
        if d.exp >= 0 {
            return format!("{sign}{digits}{}", "0".repeat(d.exp as usize));
        }
        let point = digits.len() as i32 + d.exp;
        if point > 0 {
            let (a, b) = digits.split_at(point as usize);
            format!("{sign}{a}.{b}")
        } else {
            format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
        }
    }

    /// A decimal from its text, exactly (`Decimal('…')`).
    fn s(x: &str) -> Dec {
        let (mantissa, exp) = x.split_once('e').unwrap_or((x, "0"));
        let exp: i32 = exp.parse().unwrap();
        let neg = mantissa.starts_with('-');
        let mantissa = mantissa.trim_start_matches('-');
        let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        Dec {
            neg,
            coef: format!("{whole}{frac}").parse().unwrap(),
            exp: exp - frac.len() as i32,
        }
    }

    // Expected strings printed by CPython 3.11.7 on this machine, e.g.
    // python3 -c "from decimal import Decimal as D; print(D(1)/D(3))".
    #[test]
    fn division_rounds_to_28_digits() {
        assert_eq!(
            text(&Dec::int(1).div(&Dec::int(3))),
            "0.3333333333333333333333333333"
        );
        assert_eq!(
            text(&Dec::int(2).div(&Dec::int(3))),
            "0.6666666666666666666666666667"
        );
        assert_eq!(
            text(&Dec::int(100).div(&s("6.5"))),
            "15.38461538461538461538461538"
        );
        assert_eq!(
            text(&Dec::int(7).div(&s("0.3"))),
            "23.33333333333333333333333333"
        );
        assert_eq!(
            text(&Dec::int(-1).div(&Dec::int(7))),
            "-0.1428571428571428571428571429"
        );
    }

    #[test]
    fn sums_and_products_round_half_even() {
        assert_eq!(text(&s("0.95").mul(&s("0.9"))), "0.855");
        let one = Dec::int(1);
        assert_eq!(text(&one.add(&s("1e-30"))), "1.000000000000000000000000000");
        // Exactly half a unit in the 28th digit: to even, down then up.
        assert_eq!(text(&one.add(&s("5e-28"))), "1.000000000000000000000000000");
        assert_eq!(
            text(&one.add(&s("1.5e-27"))),
            "1.000000000000000000000000002"
        );
        assert_eq!(
            text(&s("38.46153846153846153846153845").sub(&s("69.23076923076923076923076921"))),
            "-30.76923076923076923076923076"
        );
        assert_eq!(
            text(
                &s("0.6")
                    .mul(&s("1.0"))
                    .mul(&s("38.46153846153846153846153845"))
            ),
            "23.07692307692307692307692307"
        );
    }

    #[test]
    fn floats_enter_exactly_and_round_on_first_use() {
        // Decimal(0.4) * Decimal(3); Decimal(0.4) * Decimal('2.040000000000000057731597280')
        assert_eq!(
            text(&Dec::exact(0.4).mul(&Dec::int(3))),
            "1.200000000000000066613381478"
        );
        assert_eq!(
            text(&Dec::exact(0.4).mul(&s("2.040000000000000057731597280"))),
            "0.8160000000000000683897383167"
        );
        // abs(Decimal(0.1)), 0 + Decimal(0.1) and -Decimal(0.4) round to 28 digits.
        assert_eq!(
            text(&Dec::exact(0.1).abs()),
            "0.1000000000000000055511151231"
        );
        assert_eq!(
            text(&Dec::zero().add(&Dec::exact(0.1))),
            "0.1000000000000000055511151231"
        );
        assert_eq!(
            text(&Dec::exact(0.4).neg()),
            "-0.4000000000000000222044604925"
        );
        // Decimal(0.1) < Decimal('0.1') is False; Decimal('1e-10') <= 1e-10 is True.
        assert_eq!(Dec::exact(0.1).cmp(&s("0.1")), Ordering::Greater);
        assert_ne!(s("1e-10").cmp(&Dec::exact(1e-10)), Ordering::Greater);
    }

    #[test]
    fn comparisons_and_conversions() {
        assert!(s("-2").lt(&s("-1.5")));
        assert!(s("0.001").gt(&Dec::zero()));
        assert_eq!(Dec::zero().cmp(&Dec::int(0).neg()), Ordering::Equal);
        assert_eq!(s("0.95").to_f64(), 0.95);
        // Shortest decimals of floats read from a file are the file's decimals.
        assert_eq!(Dec::shortest(0.95).cmp(&s("0.95")), Ordering::Equal);
        assert_eq!(
            Dec::shortest(-2.5e-7).cmp(&s("-0.00000025")),
            Ordering::Equal
        );
        assert_eq!(Dec::shortest(1234.0).cmp(&s("1234")), Ordering::Equal);
        assert_eq!(Dec::int(2).div(&Dec::int(3)).to_f64(), 2.0 / 3.0);
        assert_eq!(text(&s("1e-10")), "0.0000000001");
    }
}
