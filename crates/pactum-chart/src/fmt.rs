//! Escaping and deterministic number formatting shared by every chart, the report and
//! the page: one `decimals`, one `grouped`, one `esc`.
//!
//! Every string that comes from a user (a scenario file, a model name, a label) passes
//! through [`esc`] before it reaches the page. Numbers are formatted with a fixed number of
//! decimals, never with `{}` of an `f64`, so the same input gives the same bytes.

use pactum::Scale;

/// Escapes `s` for HTML text and for attribute values in double or single quotes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A fragment identifier (`id="…"`) made from user text: ASCII letters, digits, `-` and `_`
/// kept, everything else hex-encoded, so distinct inputs give distinct ids.
pub fn anchor(prefix: &str, s: &str) -> String {
    let mut out = String::from(prefix);
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            out.push_str(&format!(".{:x}", c as u32));
        }
    }
    out
}

/// Decimals to show for values on a scale of width `range`: about four significant digits
/// of the scale (years on 4–10: 3; percent 0–100: 1; tonnes 0–100,000: 0).
pub fn decimals(range: f64) -> usize {
    if !(range.is_finite() && range > 0.0) {
        return 2;
    }
    (3 - range.log10().floor() as i32).clamp(0, 3) as usize
}

/// `x` with `d` decimals; `—` when not finite. Never prints `-0`.
pub fn num(x: f64, d: usize) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let s = format!("{x:.d$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// `x` with `d` decimals and thousands separated by commas once the integer part has five
/// digits or more (`72,917`, but `2014` and `9.85` unchanged).
pub fn grouped(x: f64, d: usize) -> String {
    let s = num(x, d);
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s.as_str()),
    };
    let (int, frac) = match rest.find('.') {
        Some(k) => (&rest[..k], &rest[k..]),
        None => (rest, ""),
    };
    if int.len() < 5 || !int.chars().all(|c| c.is_ascii_digit()) {
        return s;
    }
    let mut out = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}{frac}")
}

/// `x` with `d` decimals and an explicit sign (`+1.5`, `-0.3`, `0.0`); `—` when not finite.
pub fn signed(x: f64, d: usize) -> String {
    let s = num(x, d);
    if s == "—" || s.starts_with('-') || s.chars().all(|c| c == '0' || c == '.') {
        s
    } else {
        format!("+{s}")
    }
}

/// A number without a known scale (capability, salience, a parameter): at most three
/// decimals, trailing zeros dropped (`2`, `0.5`, `0.333`).
pub fn general(x: f64) -> String {
    let s = num(x, 3);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// An SVG coordinate with one decimal (non-finite values are drawn at 0).
pub fn coord(x: f64) -> String {
    if x.is_finite() {
        num(x, 1)
    } else {
        "0".to_string()
    }
}

/// How to print values in one issue's units.
#[derive(Debug, Clone, PartialEq)]
pub struct Units {
    /// Decimals shown.
    pub decimals: usize,
    /// The unit, as typed in the scenario (not escaped).
    pub unit: String,
}

impl Units {
    /// The units of a scale: decimals from its width.
    pub fn of(scale: &Scale) -> Units {
        Units {
            decimals: decimals(scale.hi - scale.lo),
            unit: scale.unit.clone(),
        }
    }

    /// A value without its unit, e.g. `12.5` or `72,917`.
    pub fn bare(&self, x: f64) -> String {
        grouped(x, self.decimals)
    }

    /// A signed difference without its unit, e.g. `+2.5` or `-22,917`.
    pub fn diff(&self, x: f64) -> String {
        let s = grouped(x, self.decimals);
        if s == "—" || s.starts_with('-') || s.chars().all(|c| c == '0' || c == '.') {
            s
        } else {
            format!("+{s}")
        }
    }

    /// A value with its unit, escaped for HTML, e.g. `12.5%` or `8.350 years`.
    pub fn with_unit(&self, x: f64) -> String {
        let v = self.bare(x);
        if v == "—" || self.unit.is_empty() {
            v
        } else if self.unit == "%" {
            format!("{v}%")
        } else {
            format!("{v} {}", esc(&self.unit))
        }
    }

    /// The unit for a column header or axis title, escaped, e.g. ` (%)`, or empty.
    pub fn header(&self) -> String {
        if self.unit.is_empty() {
            String::new()
        } else {
            format!(" ({})", esc(&self.unit))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn anchors_are_distinct_and_safe() {
        assert_eq!(anchor("i-", "beef-tariff"), "i-beef-tariff");
        let a = anchor("i-", "a b");
        let b = anchor("i-", "a_b");
        assert_ne!(a, b);
        assert!(
            anchor("i-", "\"><x")
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        );
    }

    #[test]
    fn numbers_never_show_negative_zero_or_nan() {
        assert_eq!(num(-0.0001, 2), "0.00");
        assert_eq!(num(-0.5, 1), "-0.5");
        assert_eq!(num(f64::NAN, 2), "—");
        assert_eq!(signed(2.25, 1), "+2.2");
        assert_eq!(signed(-0.0, 1), "0.0");
        assert_eq!(general(2.0), "2");
        assert_eq!(general(0.4), "0.4");
        assert_eq!(general(1.0 / 3.0), "0.333");
    }

    #[test]
    fn large_numbers_get_thousands_separators() {
        assert_eq!(grouped(72916.7, 0), "72,917");
        assert_eq!(grouped(-1234567.0, 0), "-1,234,567");
        assert_eq!(grouped(2014.0, 0), "2014");
        assert_eq!(grouped(12345.678, 1), "12,345.7");
        assert_eq!(grouped(f64::NAN, 0), "—");
        let t = Units {
            decimals: 0,
            unit: "tonnes".into(),
        };
        assert_eq!(t.diff(22917.0), "+22,917");
        assert_eq!(t.diff(-22917.0), "-22,917");
        assert_eq!(t.with_unit(50000.0), "50,000 tonnes");
    }

    #[test]
    fn units_follow_the_scale() {
        let pct = Units {
            decimals: decimals(40.0),
            unit: "%".into(),
        };
        assert_eq!(pct.with_unit(16.666), "16.67%");
        let years = Units {
            decimals: decimals(6.0),
            unit: "years".into(),
        };
        assert_eq!(years.with_unit(8.35), "8.350 years");
        let evil = Units {
            decimals: 0,
            unit: "<b>".into(),
        };
        assert_eq!(evil.with_unit(3.0), "3 &lt;b&gt;");
    }
}
