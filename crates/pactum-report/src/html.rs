//! Escaping and deterministic number formatting shared by every section.
//!
//! Every string that comes from a user (a scenario file, a model name, a label) passes
//! through [`esc`] before it reaches the page. Numbers are formatted with a fixed number of
//! decimals, never with `{}` of an `f64`, so the same input gives the same bytes.

pub use pactum_chart::fmt::{Units, anchor, coord, esc, general, num, signed};

/// A source reference: a link when it is a plain http(s) address, escaped text otherwise.
pub fn source(s: &str) -> String {
    let t = s.trim();
    let is_url = (t.starts_with("https://") || t.starts_with("http://"))
        && !t
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == '"');
    if is_url {
        format!("<a href=\"{0}\">{0}</a>", esc(t))
    } else {
        esc(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_web_addresses_become_links() {
        assert_eq!(
            source("https://example.org/a?b=1&c=2"),
            "<a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>"
        );
        assert_eq!(source("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(source("Smith 2011, p. 3"), "Smith 2011, p. 3");
    }
}
