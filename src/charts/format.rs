//! The chart code's names for the one human formatter ([`crate::format`]) and the one calendar
//! month ([`crate::month::Month`]). The rules themselves (three significant figures for money,
//! `n/a` for a missing value, the typographic minus) are documented and tested there; this module
//! only fixes the choices charts make: whole percentages, and empty text for a missing tick.

pub use crate::format::{money_unit, MoneyUnit, MINUS};
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

/// A probability as a board paper says it: "1 in N" below one half when 1/N is within a tenth of
/// `p` (N a whole number below 20, to the nearest 5 below 100, else to two significant figures),
/// otherwise a whole percentage: 0.17 → `1 in 6`, 0.32 → `1 in 3`, 0.45 → `45%`, 0.83 → `83%`.
pub fn format_chance(p: f64) -> String {
    if p.is_finite() && p > 0.0 && p < 0.5 {
        let x = 1.0 / p;
        let n = if x < 20.0 {
            x.round()
        } else if x < 100.0 {
            (x / 5.0).round() * 5.0
        } else {
            crate::format::round_sig(x, 2)
        };
        if (1.0 / n - p).abs() <= 0.1 * p {
            return format!("1 in {}", format_count(n));
        }
    }
    format_pct(p)
}

/// "A 1 in 6 chance", "An 83% chance", "A 40% chance": [`format_chance`] with its article.
pub fn a_chance(p: f64) -> String {
    let c = format_chance(p);
    let an = c.starts_with('8') || c.starts_with("11%") || c.starts_with("18%");
    format!("{} {c} chance", if an { "An" } else { "A" })
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
    fn chances_read_as_one_in_n_below_a_half_when_that_is_close() {
        assert_eq!(format_chance(1.0 / 6.0), "1 in 6");
        assert_eq!(format_chance(0.32), "1 in 3");
        assert_eq!(format_chance(0.45), "45%");
        assert_eq!(format_chance(0.4), "40%");
        assert_eq!(format_chance(0.026), "1 in 40");
        assert_eq!(format_chance(0.0004), "1 in 2,500");
        assert_eq!(format_chance(0.83), "83%");
        assert_eq!(format_chance(0.0), "0%");
        assert_eq!(format_chance(f64::NAN), "n/a");
        assert_eq!(a_chance(0.83), "An 83% chance");
        assert_eq!(a_chance(0.17), "A 1 in 6 chance");
        assert_eq!(a_chance(0.6), "A 60% chance");
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
