//! Council of the EU voting weights by treaty regime, and the date rules that pick a regime.
//!
//! Member states are keyed by the DEU III actor codes (`de`, `fr`, `uk`, `bu` = Bulgaria,
//! `cr` = Croatia, `el` = Greece, …). Sources (public treaty facts):
//! - pre-Nice, 1995 – April 2004 (EU-15): Art. 205(2) EC as amended by the 1994 Act of
//!   Accession (87 votes, qualified majority 62);
//! - May – October 2004 (EU-25): the same old-member weights plus the ten new members'
//!   weights of Art. 26 of the 2003 Act of Accession (124 votes, qualified majority 88);
//! - Nice, November 2004 – October 2014: Art. 205(2) EC as amended by the Nice Protocol on
//!   enlargement and the 2003/2005/2012 Acts of Accession (EU-27: 345 votes; EU-28: 352);
//! - Lisbon, from November 2014: double majority (55 % of members, 65 % of population),
//!   approximated here by population share alone, using the 2016 figures of Annex III of the
//!   Council's Rules of Procedure (Council Decision (EU, Euratom) 2015/2393; shares of
//!   508.9 million). The Lisbon transition (a member could ask for Nice weights until
//!   March 2017) is ignored.

use serde::Serialize;
use std::fmt;

/// The treaty regime in force on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
    /// Weighted votes of the EU-15, 1995 – April 2004.
    PreNice,
    /// Pre-Nice weights plus the accession weights of the ten new members, May–Oct 2004.
    Accession2004,
    /// Nice weighted votes, November 2004 – October 2014.
    Nice,
    /// Lisbon double majority, approximated by population share, from November 2014.
    Lisbon,
}

impl Regime {
    /// The regime in force on `date` (year, month, day).
    pub fn on(date: (i32, u32, u32)) -> Regime {
        if date < (2004, 5, 1) {
            Regime::PreNice
        } else if date < (2004, 11, 1) {
            Regime::Accession2004
        } else if date < (2014, 11, 1) {
            Regime::Nice
        } else {
            Regime::Lisbon
        }
    }

    /// The weight table: (DEU actor code, weight). Lisbon weights are population shares in %.
    pub fn table(self) -> &'static [(&'static str, f64)] {
        match self {
            Regime::PreNice => PRE_NICE,
            Regime::Accession2004 => ACCESSION_2004,
            Regime::Nice => NICE,
            Regime::Lisbon => LISBON_POPULATION_2016,
        }
    }

    /// The Council weight of member `code`; `None` for a non-member of the regime.
    pub fn weight(self, code: &str) -> Option<f64> {
        self.table()
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, w)| *w)
    }

    /// The largest member's weight (given to the Commission and, by rule, the Parliament).
    pub fn largest(self) -> f64 {
        self.table().iter().map(|(_, w)| *w).fold(0.0, f64::max)
    }
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Regime::PreNice => "pre-Nice",
            Regime::Accession2004 => "accession-2004",
            Regime::Nice => "Nice",
            Regime::Lisbon => "Lisbon",
        })
    }
}

const PRE_NICE: &[(&str, f64)] = &[
    ("de", 10.0),
    ("fr", 10.0),
    ("it", 10.0),
    ("uk", 10.0),
    ("es", 8.0),
    ("be", 5.0),
    ("el", 5.0),
    ("nl", 5.0),
    ("pt", 5.0),
    ("at", 4.0),
    ("se", 4.0),
    ("dk", 3.0),
    ("ie", 3.0),
    ("fi", 3.0),
    ("lu", 2.0),
];

const ACCESSION_2004: &[(&str, f64)] = &[
    ("de", 10.0),
    ("fr", 10.0),
    ("it", 10.0),
    ("uk", 10.0),
    ("es", 8.0),
    ("pl", 8.0),
    ("be", 5.0),
    ("el", 5.0),
    ("nl", 5.0),
    ("pt", 5.0),
    ("cz", 5.0),
    ("hu", 5.0),
    ("at", 4.0),
    ("se", 4.0),
    ("dk", 3.0),
    ("ie", 3.0),
    ("fi", 3.0),
    ("sk", 3.0),
    ("lt", 3.0),
    ("lv", 3.0),
    ("si", 3.0),
    ("ee", 3.0),
    ("lu", 2.0),
    ("cy", 2.0),
    ("mt", 2.0),
];

const NICE: &[(&str, f64)] = &[
    ("de", 29.0),
    ("fr", 29.0),
    ("it", 29.0),
    ("uk", 29.0),
    ("es", 27.0),
    ("pl", 27.0),
    ("ro", 14.0),
    ("nl", 13.0),
    ("be", 12.0),
    ("cz", 12.0),
    ("el", 12.0),
    ("hu", 12.0),
    ("pt", 12.0),
    ("at", 10.0),
    ("bu", 10.0),
    ("se", 10.0),
    ("dk", 7.0),
    ("ie", 7.0),
    ("lt", 7.0),
    ("sk", 7.0),
    ("fi", 7.0),
    ("cr", 7.0),
    ("cy", 4.0),
    ("ee", 4.0),
    ("lv", 4.0),
    ("lu", 4.0),
    ("si", 4.0),
    ("mt", 3.0),
];

const LISBON_POPULATION_2016: &[(&str, f64)] = &[
    ("de", 15.93),
    ("fr", 13.04),
    ("uk", 12.73),
    ("it", 12.07),
    ("es", 9.12),
    ("pl", 7.47),
    ("ro", 3.90),
    ("nl", 3.37),
    ("be", 2.21),
    ("el", 2.13),
    ("cz", 2.05),
    ("pt", 2.04),
    ("hu", 1.94),
    ("se", 1.92),
    ("at", 1.69),
    ("bu", 1.42),
    ("dk", 1.11),
    ("fi", 1.08),
    ("sk", 1.06),
    ("ie", 0.91),
    ("cr", 0.83),
    ("lt", 0.57),
    ("si", 0.41),
    ("lv", 0.39),
    ("ee", 0.26),
    ("cy", 0.17),
    ("lu", 0.11),
    ("mt", 0.08),
];

/// A calendar date as (year, month, day).
pub type Date = (i32, u32, u32);

/// The year encoded in a DEU proposal number (`d96085` → 1996, `d120193` → 2012).
pub fn proposal_year(prnr: &str) -> Option<i32> {
    let digits: String = prnr.chars().skip(1).take(2).collect();
    let yy: i32 = digits.parse().ok()?;
    if digits.len() != 2 {
        return None;
    }
    Some(if yy >= 50 { 1900 + yy } else { 2000 + yy })
}

fn two_digit_year(yy: i32) -> i32 {
    if yy >= 50 { 1900 + yy } else { 2000 + yy }
}

fn valid(date: Date) -> bool {
    (1..=12).contains(&date.1) && (1..=31).contains(&date.2)
}

/// Reads a DEU `intro` date.
///
/// The shared copy mixes three spellings: `dd-mm-yy`, `dd-mm-yyyy`, and `yyyy-mm-dd` where a
/// spreadsheet read an original `dd-mm-yy` as `yy-mm-dd` (e.g. `2029-09-04` for 29 Sep 2004,
/// `1930-05-05` for 30 May 2005). A `yyyy-mm-dd` value is taken literally when its year is the
/// proposal's year (from `prnr`), and as the repaired `dd-mm-yy` when that one matches;
/// anything else is an error. Without a proposal year the literal reading is used.
pub fn parse_intro(text: &str, prnr: Option<&str>) -> Result<Date, String> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let nums: Vec<i32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if parts.len() != 3 || nums.len() != 3 {
        return Err(format!(
            "`{text}` is not a date (expected dd-mm-yy or dd-mm-yyyy)"
        ));
    }
    let expected = prnr.and_then(proposal_year);
    let (a, b, c) = (nums[0], nums[1], nums[2]);
    let date: Date = if parts[0].len() == 4 {
        let literal: Date = (a, b as u32, c as u32);
        let repaired: Date = (two_digit_year(c), b as u32, (a % 100) as u32);
        match expected {
            Some(y) if y == literal.0 => literal,
            Some(y) if y == repaired.0 => repaired,
            Some(y) => {
                return Err(format!(
                    "`{text}` matches neither the proposal year {y} nor its repaired reading"
                ));
            }
            None => literal,
        }
    } else if parts[2].len() == 4 {
        (c, b as u32, a as u32)
    } else {
        (two_digit_year(c), b as u32, a as u32)
    };
    if !valid(date) {
        return Err(format!("`{text}` is not a valid date"));
    }
    if let Some(y) = expected
        && y != date.0
    {
        return Err(format!(
            "`{text}` gives year {}, but the proposal number says {y}",
            date.0
        ));
    }
    Ok(date)
}

/// Every valid date `text` can be read as, ignoring the proposal year: the literal reading,
/// and for a `yyyy-mm-dd` value also its repaired `dd-mm-yy` reading (see [`parse_intro`]).
fn readings(text: &str) -> Vec<Date> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let mut out = Vec::new();
    if let Ok(date) = parse_intro(text, None) {
        out.push(date);
    }
    if parts.len() == 3 && parts[0].len() == 4 {
        let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        if let [a, b, c] = nums[..] {
            let repaired: Date = (two_digit_year(c as i32 % 100), b, a % 100);
            if valid(repaired) {
                out.push(repaired);
            }
        }
    }
    out
}

/// The treaty regime of a DEU row introduced on `text` (its `intro`) in proposal `prnr`.
///
/// `Ok((regime, None))` when the date agrees with the proposal year (see [`parse_intro`]).
/// When it does not, but every reading of the date and every day of the proposal year fall
/// under one regime, that regime is used and the note says so: `Ok((regime, Some(note)))`,
/// a warning, not a skip. Otherwise (no date, or the readings span regimes) `Err` says why.
pub fn resolve_regime(text: &str, prnr: &str) -> Result<(Regime, Option<String>), String> {
    let strict = match parse_intro(text, Some(prnr)) {
        Ok(date) => return Ok((Regime::on(date), None)),
        Err(m) => m,
    };
    let dates = readings(text);
    let Some(year) = proposal_year(prnr) else {
        return Err(strict);
    };
    if dates.is_empty() {
        return Err(strict);
    }
    let mut regimes: Vec<Regime> = dates.iter().map(|d| Regime::on(*d)).collect();
    regimes.push(Regime::on((year, 1, 1)));
    regimes.push(Regime::on((year, 12, 31)));
    regimes.sort();
    regimes.dedup();
    let years: Vec<String> = dates.iter().map(|d| d.0.to_string()).collect();
    let shown = years.join(" or ");
    match regimes[..] {
        [r] => Ok((
            r,
            Some(format!(
                "`{text}` gives year {shown}, but the proposal number says {year}; both lie in the {r} regime, which is used"
            )),
        )),
        _ => {
            let names: Vec<String> = regimes.iter().map(Regime::to_string).collect();
            Err(format!(
                "`{text}` gives year {shown}, but the proposal number says {year}, and the two span treaty regimes ({}), so the Council weights are ambiguous",
                names.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regimes_switch_on_treaty_dates() {
        assert_eq!(Regime::on((2004, 4, 30)), Regime::PreNice);
        assert_eq!(Regime::on((2004, 5, 1)), Regime::Accession2004);
        assert_eq!(Regime::on((2004, 11, 1)), Regime::Nice);
        assert_eq!(Regime::on((2014, 10, 31)), Regime::Nice);
        assert_eq!(Regime::on((2014, 11, 1)), Regime::Lisbon);
    }

    #[test]
    fn weight_totals_match_the_treaties() {
        let total = |r: Regime| r.table().iter().map(|(_, w)| w).sum::<f64>();
        assert_eq!(total(Regime::PreNice), 87.0);
        assert_eq!(total(Regime::Accession2004), 124.0);
        // EU-28 under Nice: 352 votes.
        assert_eq!(total(Regime::Nice), 352.0);
        assert!((total(Regime::Lisbon) - 100.0).abs() < 0.1);
        assert_eq!(Regime::Nice.weight("pl"), Some(27.0));
        assert_eq!(Regime::PreNice.weight("pl"), None);
        assert_eq!(Regime::Lisbon.largest(), 15.93);
    }

    #[test]
    fn intro_dates_in_every_spelling() {
        assert_eq!(parse_intro("14-03-00", Some("d00062")), Ok((2000, 3, 14)));
        assert_eq!(parse_intro("13-03-96", Some("d96085")), Ok((1996, 3, 13)));
        assert_eq!(
            parse_intro("14-09-2016", Some("d160280")),
            Ok((2016, 9, 14))
        );
        assert_eq!(parse_intro("2029-09-04", Some("d04218")), Ok((2004, 9, 29)));
        assert_eq!(parse_intro("1930-05-05", Some("n05099")), Ok((2005, 5, 30)));
        assert_eq!(parse_intro("2004-09-29", Some("d04218")), Ok((2004, 9, 29)));
        assert!(parse_intro("2029-09-04", Some("d98000")).is_err());
        assert!(parse_intro("31-13-99", None).is_err());
        assert!(parse_intro("soon", None).is_err());
        assert!(parse_intro("", None).is_err());
    }

    #[test]
    fn a_date_off_the_proposal_year_warns_or_skips_by_regime() {
        // Agrees: no note.
        assert_eq!(
            resolve_regime("13-03-96", "d96085"),
            Ok((Regime::PreNice, None))
        );
        // 1997 against 1996: both pre-Nice, so a warning.
        let (r, note) = resolve_regime("13-03-97", "d96085").unwrap();
        assert_eq!(r, Regime::PreNice);
        assert!(note.unwrap().contains("1996"));
        // 2012 against 2010: both Nice.
        assert_eq!(
            resolve_regime("2012-01-05", "d10001").unwrap().0,
            Regime::Nice
        );
        // 2005 against 2003: pre-Nice vs Nice, ambiguous.
        let e = resolve_regime("01-02-05", "d03001").unwrap_err();
        assert!(e.contains("pre-Nice") && e.contains("Nice"), "{e}");
        // The proposal year 2004 spans three regimes whatever the date says.
        assert!(resolve_regime("01-02-03", "d04001").is_err());
        // Not a date at all.
        assert!(resolve_regime("someday", "d96085").is_err());
    }
}
