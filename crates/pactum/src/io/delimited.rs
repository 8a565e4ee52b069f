//! What the delimited-table readers (plain tables, DEU, KTAB) share: finding the delimiter of
//! a header line, splitting a line at it outside double quotes, and reading a decimal comma.
//!
//! The delimiter is the one of tab, semicolon and comma that occurs most often outside
//! double quotes in the line; ties go to tab, then semicolon (a semicolon file often has
//! decimal commas, a comma file never has semicolons between fields). A line with none of
//! them is taken as comma-separated.

/// The candidate delimiters, in the order ties are broken.
pub const DELIMITERS: [char; 3] = ['\t', ';', ','];

/// The delimiter of `line` (normally a header): tab, `;` or `,`.
pub fn sniff(line: &str) -> char {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for c in line.chars() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if !in_quotes && let Some(k) = DELIMITERS.iter().position(|d| *d == c) {
            counts[k] += 1;
        }
    }
    let mut best = 2;
    for k in [1, 0] {
        if counts[k] >= counts[best] && counts[k] > 0 {
            best = k;
        }
    }
    DELIMITERS[best]
}

/// Splits `line` at `delim` outside double quotes. Fields come back as they are written
/// (quotes and surrounding spaces kept), so callers that strip quotes keep doing so.
pub fn split(line: &str, delim: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    for (k, c) in line.char_indices() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c == delim && !in_quotes {
            out.push(&line[start..k]);
            start = k + c.len_utf8();
        }
    }
    out.push(&line[start..]);
    out
}

/// Parses a number written with a decimal comma (`0,8`): one comma, no point, digits
/// around it. Returns `None` for anything else, so callers report the original text.
pub fn decimal_comma(raw: &str) -> Option<f64> {
    if raw.contains('.') || raw.matches(',').count() != 1 {
        return None;
    }
    let (int, frac) = raw.split_once(',')?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let int_digits = int.strip_prefix(['-', '+']).unwrap_or(int);
    if !digits(int_digits) || !digits(frac) {
        return None;
    }
    raw.replace(',', ".").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_most_frequent_delimiter_outside_quotes() {
        assert_eq!(sniff("a\tb\tc"), '\t');
        assert_eq!(sniff("prnrnmc;isnrnmc;prnr;out"), ';');
        assert_eq!(sniff("actor,capability,position"), ',');
        assert_eq!(
            sniff("\"a,b,c\";d;e"),
            ';',
            "commas inside quotes do not count"
        );
        assert_eq!(sniff("a;b,c"), ';', "ties go to the semicolon");
        assert_eq!(sniff("single"), ',');
    }

    #[test]
    fn splits_outside_quotes_only() {
        assert_eq!(split("a;\"b;c\";d", ';'), vec!["a", "\"b;c\"", "d"]);
        assert_eq!(split("a\t\tb", '\t'), vec!["a", "", "b"]);
        assert_eq!(split("", ','), vec![""]);
        assert_eq!(split("\"open;x", ';'), vec!["\"open;x"]);
    }

    #[test]
    fn reads_decimal_commas_and_nothing_else() {
        assert_eq!(decimal_comma("0,8"), Some(0.8));
        assert_eq!(decimal_comma("-12,25"), Some(-12.25));
        assert_eq!(decimal_comma("1.000,5"), None);
        assert_eq!(decimal_comma("1,2,3"), None);
        assert_eq!(decimal_comma("a,b"), None);
        assert_eq!(decimal_comma(",5"), None);
    }
}
