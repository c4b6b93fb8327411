//! Calendar months and NHS financial years.
//!
//! The model runs on whole months counted from the scenario's start month. This module owns the
//! conversion between `YYYY-MM` text, absolute months, financial-year labels (`2025/26`, April
//! to March) and the label people read (`Dec 2025`), so that nothing else has to do calendar
//! arithmetic. It is the one `Month` of the crate: the model, the output files and the charts
//! (which parse the months back from the run directory) all use it.

use std::fmt;

/// A calendar month, stored as months since January of year 0 so that arithmetic is plain integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    /// Builds a month from a year and a month number (1..=12); `None` when either is out of range.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        Some(Month(year * 12 + month as i32 - 1))
    }

    /// Parses `YYYY-MM`; `None` for anything else (including `YYYY-M` and dates with days).
    pub fn parse(text: &str) -> Option<Month> {
        let bytes = text.as_bytes();
        if bytes.len() != 7 || bytes[4] != b'-' {
            return None;
        }
        if !bytes[..4].iter().chain(&bytes[5..]).all(u8::is_ascii_digit) {
            return None;
        }
        let year: i32 = text[..4].parse().ok()?;
        let month: u32 = text[5..].parse().ok()?;
        Month::new(year, month)
    }

    /// Calendar year.
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// Month number, 1 for January.
    pub fn month(self) -> u32 {
        (self.0.rem_euclid(12) + 1) as u32
    }

    /// The month `n` months later (negative `n` goes back).
    pub fn plus(self, n: i32) -> Month {
        Month(self.0 + n)
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        later.0 - self.0
    }

    /// The first calendar year of the NHS financial year (April to March) holding this month.
    pub fn fy_start_year(self) -> i32 {
        if self.month() >= 4 {
            self.year()
        } else {
            self.year() - 1
        }
    }

    /// The financial-year label, e.g. `2025/26` for any month from April 2025 to March 2026.
    pub fn fy_label(self) -> String {
        let y = self.fy_start_year();
        format!("{}/{:02}", y, (y + 1).rem_euclid(100))
    }

    /// The label people read, in charts and summaries: `Dec 2025`.
    pub fn label(self) -> String {
        const NAMES: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!("{} {}", NAMES[(self.month() - 1) as usize], self.year())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso_months() {
        let m = Month::parse("2025-04").unwrap();
        assert_eq!((m.year(), m.month()), (2025, 4));
        assert_eq!(m.to_string(), "2025-04");
        assert_eq!(m.plus(9).to_string(), "2026-01");
        assert_eq!(m.plus(-4).to_string(), "2024-12");
    }

    #[test]
    fn rejects_malformed_months() {
        for bad in [
            "2025-4",
            "2025-13",
            "2025-00",
            "25-04",
            "2025/04",
            "2025-04-01",
            "abcd-ef",
        ] {
            assert!(Month::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn financial_years_run_april_to_march() {
        assert_eq!(Month::parse("2025-04").unwrap().fy_label(), "2025/26");
        assert_eq!(Month::parse("2026-03").unwrap().fy_label(), "2025/26");
        assert_eq!(Month::parse("2026-04").unwrap().fy_label(), "2026/27");
        assert_eq!(Month::parse("2099-12").unwrap().fy_label(), "2099/00");
    }

    #[test]
    fn counts_months_between() {
        let a = Month::parse("2025-04").unwrap();
        let b = Month::parse("2025-12").unwrap();
        assert_eq!(a.months_until(b), 8);
        assert_eq!(b.months_until(a), -8);
        assert_eq!(b.label(), "Dec 2025");
    }
}
