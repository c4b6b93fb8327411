//! The chart code's names for the one human formatter ([`crate::format`]) and the one calendar
//! month ([`crate::month::Month`]). The rules themselves (three significant figures for money,
//! `n/a` for a missing value, the typographic minus) are documented and tested there; this module
//! only fixes the choices charts make: whole percentages, and empty text for a missing tick.

pub use crate::format::{a_chance, money_unit, MoneyUnit, MINUS};
pub use crate::month::Month;

/// Money as a chart labels it: `£1.20bn`, `£850m`, `£42.3m`, `£104k`, `£950`; `n/a` if missing.
pub fn format_gbp(x: f64) -> String {
    crate::format::gbp(x)
}

/// A range of money, e.g. `£700m–£1.02bn`.
pub fn format_gbp_range(lo: f64, hi: f64) -> String {
    crate::format::gbp_range(lo, hi)
}

/// A count rounded to a whole number with thousands separators: 12438.4 → `12,438`.
pub fn format_count(x: f64) -> String {
    crate::format::count(x)
}

/// An axis tick value with thousands separators and at most `decimals` decimals, trailing zeros
/// dropped: (1250.0, 0) → `1,250`, (0.25, 2) → `0.25`; empty for NaN.
pub fn format_tick(x: f64, decimals: usize) -> String {
    crate::format::decimal(x, decimals, "")
}

/// A probability as a whole percentage: 0.381 → `38%`, with `<1%` and `>99%` for values that
/// would round to 0% or 100% without being exactly so.
pub fn format_pct(p: f64) -> String {
    crate::format::percent(p, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_labels_follow_the_house_formatter() {
        assert_eq!(format_gbp(1_234_000_000.0), "£1.23bn");
        assert_eq!(format_gbp(1_200_000_000.0), "£1.20bn");
        assert_eq!(format_gbp(1_000_000_000.0), "£1.00bn");
        assert_eq!(format_gbp(5_049_000.0), "£5.05m");
        assert_eq!(format_gbp(-42_300_000.0), "\u{2212}£42.3m");
        assert_eq!(format_gbp(f64::NAN), "n/a");
        assert_eq!(format_gbp_range(7e8, 1.02e9), "£700m–£1.02bn");
        assert_eq!(format_count(-2500.0), "\u{2212}2,500");
        assert_eq!(format_tick(1250.0, 0), "1,250");
        assert_eq!(format_tick(-0.0001, 2), "0");
        assert_eq!(format_tick(f64::NAN, 2), "");
        assert_eq!(format_pct(0.381), "38%");
        assert_eq!(format_pct(0.002), "<1%");
        assert_eq!(format_pct(0.998), ">99%");
    }

    #[test]
    fn charts_use_the_crate_month() {
        let m = Month::parse("2025-12").unwrap();
        assert_eq!(
            (m.label(), m.fy_label()),
            ("Dec 2025".into(), "2025/26".into())
        );
    }
}
