//! Number and date formatting for chart text: money as £k/£m/£bn, counts with thousands
//! separators, probabilities as percentages, and months as "Dec 2025". Kept apart from drawing so
//! that the rules (which board papers quote verbatim) are unit-tested on their own.

/// The typographic minus sign used for negative numbers on charts.
pub const MINUS: char = '\u{2212}';

/// Formats pounds with three significant figures and a k/m/bn suffix, trailing zeros dropped:
/// 1_234_000_000 → "£1.23bn", 850_000_000 → "£850m", 42_300_000 → "£42.3m", 104_000 → "£104k",
/// 1_200_000_000 → "£1.2bn", 950 → "£950". Negative values get a minus sign; NaN gives "n/a".
pub fn format_gbp(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let sign = if x < 0.0 {
        MINUS.to_string()
    } else {
        String::new()
    };
    let r = round_sig(x.abs(), 3);
    let (v, unit) = if r >= 1e9 {
        (r / 1e9, "bn")
    } else if r >= 1e6 {
        (r / 1e6, "m")
    } else if r >= 1e3 {
        (r / 1e3, "k")
    } else {
        return format!("{sign}£{r:.0}");
    };
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{sign}£{}{unit}", trim_zeros(&format!("{v:.digits$}")))
}

/// Formats a range of money, e.g. "£700m–£1.02bn".
pub fn format_gbp_range(lo: f64, hi: f64) -> String {
    format!("{}–{}", format_gbp(lo), format_gbp(hi))
}

/// Rounds to `sig` significant figures (0 stays 0).
pub fn round_sig(x: f64, sig: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let mag = x.abs().log10().floor() as i32;
    let factor = 10f64.powi(mag - sig + 1);
    (x / factor).round() * factor
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// Formats a count rounded to a whole number with thousands separators: 12438.4 → "12,438".
pub fn format_count(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let r = x.round();
    let digits = format!("{}", r.abs() as u64);
    let sign = if r < 0.0 {
        MINUS.to_string()
    } else {
        String::new()
    };
    format!("{sign}{}", group_thousands(&digits))
}

/// Inserts commas every three digits of a string of digits.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Formats an axis tick value with thousands separators and at most `decimals` decimals,
/// trailing zeros dropped: (1250.0, 0) → "1,250", (0.25, 2) → "0.25".
pub fn format_tick(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let s = trim_zeros(&s);
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), format!(".{f}")),
        None => (s.clone(), String::new()),
    };
    let neg = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if neg {
        MINUS.to_string()
    } else {
        String::new()
    };
    format!("{sign}{}{frac}", group_thousands(&int))
}

/// Formats a probability as a whole percentage: 0.381 → "38%"; values that would round to 0% or
/// 100% without being exactly so are shown as "<1%" and ">99%".
pub fn format_pct(p: f64) -> String {
    if !p.is_finite() {
        return "n/a".to_string();
    }
    if p > 0.0 && p < 0.005 {
        "<1%".to_string()
    } else if p < 1.0 && p > 0.995 {
        ">99%".to_string()
    } else {
        format!("{:.0}%", (p * 100.0).round())
    }
}

/// The unit a money axis is drawn in: values are divided by `div` and the axis says `label`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MoneyUnit {
    /// Divisor from pounds.
    pub div: f64,
    /// Unit text, e.g. "£m".
    pub label: &'static str,
}

/// £m for most ICB money; £k below £1m and £bn from £10bn, so ticks stay short.
pub fn money_unit(max_abs: f64) -> MoneyUnit {
    if max_abs >= 1e10 {
        MoneyUnit {
            div: 1e9,
            label: "£bn",
        }
    } else if max_abs >= 1e6 || !max_abs.is_finite() {
        MoneyUnit {
            div: 1e6,
            label: "£m",
        }
    } else {
        MoneyUnit {
            div: 1e3,
            label: "£k",
        }
    }
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Year, e.g. 2025.
    pub year: i32,
    /// Month of the year, 1–12.
    pub month: u32,
}

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Month {
    /// Parses an ISO `YYYY-MM` month; `None` if it is not one.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    /// "Dec 2025".
    pub fn label(self) -> String {
        format!("{} {}", MONTH_NAMES[(self.month - 1) as usize], self.year)
    }

    /// The UK financial year (April–March) the month falls in, e.g. "2025/26".
    pub fn fy(self) -> String {
        let start = if self.month >= 4 {
            self.year
        } else {
            self.year - 1
        };
        format!("{start}/{:02}", (start + 1).rem_euclid(100))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_gbp_examples_from_the_issue() {
        assert_eq!(format_gbp(1_234_000_000.0), "£1.23bn");
        assert_eq!(format_gbp(850_000_000.0), "£850m");
        assert_eq!(format_gbp(42_300_000.0), "£42.3m");
        assert_eq!(format_gbp(104_000.0), "£104k");
    }

    #[test]
    fn formats_gbp_edges() {
        assert_eq!(format_gbp(1_200_000_000.0), "£1.2bn");
        assert_eq!(format_gbp(1_000_000_000.0), "£1bn");
        assert_eq!(format_gbp(999_600_000.0), "£1bn");
        assert_eq!(format_gbp(999_400_000.0), "£999m");
        assert_eq!(format_gbp(5_049_000.0), "£5.05m");
        assert_eq!(format_gbp(950.0), "£950");
        assert_eq!(format_gbp(0.0), "£0");
        assert_eq!(format_gbp(-42_300_000.0), "\u{2212}£42.3m");
        assert_eq!(format_gbp(f64::NAN), "n/a");
        assert_eq!(format_gbp_range(7e8, 1.02e9), "£700m–£1.02bn");
    }

    #[test]
    fn formats_counts_and_ticks_with_separators() {
        assert_eq!(format_count(12438.4), "12,438");
        assert_eq!(format_count(999.5), "1,000");
        assert_eq!(format_count(-2500.0), "\u{2212}2,500");
        assert_eq!(format_tick(1250.0, 0), "1,250");
        assert_eq!(format_tick(1_000_000.0, 2), "1,000,000");
        assert_eq!(format_tick(0.25, 2), "0.25");
        assert_eq!(format_tick(-0.0001, 2), "0");
    }

    #[test]
    fn formats_percentages_without_false_certainty() {
        assert_eq!(format_pct(0.381), "38%");
        assert_eq!(format_pct(0.0), "0%");
        assert_eq!(format_pct(1.0), "100%");
        assert_eq!(format_pct(0.002), "<1%");
        assert_eq!(format_pct(0.998), ">99%");
    }

    #[test]
    fn parses_months_and_financial_years() {
        let m = Month::parse("2025-12").unwrap();
        assert_eq!(m.label(), "Dec 2025");
        assert_eq!(m.fy(), "2025/26");
        assert_eq!(Month::parse("2026-03").unwrap().fy(), "2025/26");
        assert_eq!(Month::parse("2026-04").unwrap().fy(), "2026/27");
        assert!(Month::parse("2026-03").unwrap() > m);
        assert_eq!(Month::parse("2099-12").unwrap().fy(), "2099/00");
        assert!(Month::parse("2025-13").is_none());
        assert!(Month::parse("Dec 2025").is_none());
    }
}
