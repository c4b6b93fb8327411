//! How icbsim writes a number for people: the one formatter behind the terminal tables, the chart
//! labels and anything else a reader sees (CSV cells are a file format, not for people, and are
//! written by `output::format::num`).
//!
//! The rules are those of a board paper, so a figure reads the same on screen, in a chart and in
//! the report:
//! - **Money** is pounds to three significant figures with a unit, trailing zeros kept so that a
//!   column of figures carries the same precision: `£950`, `£28.6k`, `£5.05m`, `£42.3m`, `£582m`,
//!   `£1.20bn`, `£12.3bn`. Below £999.50 it is whole pounds (`£0`, `£950`). The unit is chosen
//!   after rounding, so £999,600 is `£1.00m`, never `£1000k`.
//! - **Counts** are whole numbers with thousands separators: `12,438`.
//! - **Percentages** have the decimals the caller asks for (one in tables, none in chart text);
//!   a value that would round to 0% or 100% without being exactly so is shown as `<0.1%` /
//!   `>99.9%` (`<1%` / `>99%` with no decimals), so rounding never claims false certainty.
//! - **Chances** (probabilities in prose) read as a board paper says them: "1 in N" below one
//!   half when that is close, otherwise a whole percentage ([`chance`], [`a_chance`]).
//! - **Negative** values take the typographic minus sign `−` (U+2212) before the £: `−£2.50m`.
//!   A value that rounds to zero has no sign.
//! - **Missing** (NaN or infinite) values are `n/a`, everywhere.
//!
//! Money, counts and percentages round half away from zero on the scaled value.

/// The typographic minus sign used for negative numbers.
pub const MINUS: char = '\u{2212}';

/// What a missing (NaN or infinite) value prints as.
pub const MISSING: &str = "n/a";

fn sign(negative: bool) -> &'static str {
    if negative {
        "\u{2212}"
    } else {
        ""
    }
}

/// Money: three significant figures with a k/m/bn unit (see the module rules).
pub fn gbp(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.to_string();
    }
    let a = x.abs();
    if a < 999.5 {
        let whole = a.round();
        return format!("{}£{whole:.0}", sign(x < 0.0 && whole != 0.0));
    }
    let r = round_sig(a, 3);
    let (v, unit) = if r >= 1e9 {
        (r / 1e9, "bn")
    } else if r >= 1e6 {
        (r / 1e6, "m")
    } else {
        (r / 1e3, "k")
    };
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{}£{v:.digits$}{unit}", sign(x < 0.0))
}

/// How many organisations a run covers, as the terminal, charts and report say it: "1
/// organisation", "7 organisations", or — when mergers leave fewer in place at the deadline than
/// there are in the file — "42 organisations before mergers, 26 at the deadline" (`all`: every
/// organisation in the file; `before_mergers`: those that are not merger successors; `at_deadline`:
/// those with a target at the deadline in some iteration, `docs/model.md` §2.4a).
pub fn organisations(all: usize, before_mergers: usize, at_deadline: usize) -> String {
    if at_deadline == all {
        return format!("{all} organisation{}", if all == 1 { "" } else { "s" });
    }
    format!("{before_mergers} organisations before mergers, {at_deadline} at the deadline")
}

/// A range of money, e.g. `£700m–£1.02bn`.
pub fn gbp_range(lo: f64, hi: f64) -> String {
    format!("{}–{}", gbp(lo), gbp(hi))
}

/// Rounds to `sig` significant figures (0 and non-finite values are returned unchanged).
pub fn round_sig(x: f64, sig: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let mag = x.abs().log10().floor() as i32;
    let factor = 10f64.powi(mag - sig + 1);
    (x / factor).round() * factor
}

/// A count: the whole number nearest `x`, with thousands separators.
pub fn count(x: f64) -> String {
    decimal(x.round(), 0, MISSING)
}

/// A plain number with thousands separators and at most `decimals` decimals (rounded as Rust's
/// `{:.N}` does), trailing zeros dropped: (1250.0, 0) → `1,250`, (0.25, 2) → `0.25`; `missing`
/// for NaN. Axis ticks use it.
pub fn decimal(x: f64, decimals: usize, missing: &str) -> String {
    if !x.is_finite() {
        return missing.to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let s = trim_zeros(&s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let negative = x < 0.0 && s.bytes().any(|c| c.is_ascii_digit() && c != b'0');
    let dot = if frac.is_empty() { "" } else { "." };
    format!("{}{}{dot}{frac}", sign(negative), group_thousands(int))
}

/// A share as a percentage with `decimals` decimals: (0.381, 0) → `38%`, (0.5134, 1) →
/// `51.3%`; near-certain values that are not exactly 0 or 1 show as `<1%` / `>99%` (with the
/// step of the last decimal).
pub fn percent(p: f64, decimals: usize) -> String {
    if !p.is_finite() {
        return MISSING.to_string();
    }
    let step = 10f64.powi(-(decimals as i32));
    let half = step / 200.0;
    let text = |v: f64| format!("{v:.decimals$}");
    if p > 0.0 && p < half {
        return format!("<{}%", text(step));
    }
    if p < 1.0 && p > 1.0 - half {
        return format!(">{}%", text(100.0 - step));
    }
    let scaled = (p.abs() * 100.0 / step).round() * step;
    format!("{}{}%", sign(p < 0.0 && scaled != 0.0), text(scaled))
}

/// A probability as a board paper says it: "1 in N" below one half when 1/N is within a tenth of
/// `p` (N a whole number below 20, to the nearest 5 below 100, else to two significant figures),
/// otherwise a whole percentage: 0.17 → `1 in 6`, 0.32 → `1 in 3`, 0.45 → `45%`, 0.83 → `83%`.
pub fn chance(p: f64) -> String {
    if p.is_finite() && p > 0.0 && p < 0.5 {
        let x = 1.0 / p;
        let n = if x < 20.0 {
            x.round()
        } else if x < 100.0 {
            (x / 5.0).round() * 5.0
        } else {
            round_sig(x, 2)
        };
        if (1.0 / n - p).abs() <= 0.1 * p {
            return format!("1 in {}", count(n));
        }
    }
    percent(p, 0)
}

/// "A 1 in 6 chance", "An 83% chance", "A 40% chance": [`chance`] with its article.
pub fn a_chance(p: f64) -> String {
    let c = chance(p);
    let an = c.starts_with('8') || c.starts_with("11%") || c.starts_with("18%");
    format!("{} {c} chance", if an { "An" } else { "A" })
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Inserts a comma every three digits of a string of digits.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The unit a money axis is drawn in: values are divided by `div` and the axis says `label`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MoneyUnit {
    /// Divisor from pounds.
    pub div: f64,
    /// Unit text, e.g. "£m".
    pub label: &'static str,
}

/// £m for most ICB money; £k below £1m and £bn from £10bn, so axis ticks stay short.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisations_are_counted_before_mergers_and_at_the_deadline() {
        assert_eq!(organisations(1, 1, 1), "1 organisation");
        assert_eq!(organisations(7, 7, 7), "7 organisations");
        // The 2026 default: 42 ICBs and 13 successors; 29 members merge before the deadline.
        assert_eq!(
            organisations(55, 42, 26),
            "42 organisations before mergers, 26 at the deadline"
        );
    }

    #[test]
    fn money_is_three_significant_figures_with_a_unit() {
        assert_eq!(gbp(1_234_000_000.0), "£1.23bn");
        assert_eq!(gbp(1_200_000_000.0), "£1.20bn");
        assert_eq!(gbp(12_340_000_000.0), "£12.3bn");
        assert_eq!(gbp(850_000_000.0), "£850m");
        assert_eq!(gbp(581_900_000.0), "£582m");
        assert_eq!(gbp(42_300_000.0), "£42.3m");
        assert_eq!(gbp(5_049_000.0), "£5.05m");
        assert_eq!(gbp(28_640.0), "£28.6k");
        assert_eq!(gbp(104_000.0), "£104k");
        assert_eq!(gbp(950.0), "£950");
        assert_eq!(gbp(0.0), "£0");
        assert_eq!(gbp_range(7e8, 1.02e9), "£700m–£1.02bn");
    }

    #[test]
    fn money_units_are_chosen_after_rounding() {
        assert_eq!(gbp(999.4), "£999");
        assert_eq!(gbp(999.6), "£1.00k");
        assert_eq!(gbp(999_600.0), "£1.00m");
        assert_eq!(gbp(99_960_000.0), "£100m");
        assert_eq!(gbp(999_400_000.0), "£999m");
        assert_eq!(gbp(999_600_000.0), "£1.00bn");
    }

    #[test]
    fn negatives_take_a_minus_and_missing_is_na() {
        assert_eq!(gbp(-2_500_000.0), "\u{2212}£2.50m");
        assert_eq!(gbp(-0.3), "£0");
        assert_eq!(gbp(f64::NAN), "n/a");
        assert_eq!(gbp(f64::INFINITY), "n/a");
        assert_eq!(count(-2500.0), "\u{2212}2,500");
        assert_eq!(count(-0.4), "0");
        assert_eq!(count(f64::NAN), "n/a");
        assert_eq!(percent(-0.05, 1), "\u{2212}5.0%");
        assert_eq!(percent(f64::NAN, 0), "n/a");
    }

    #[test]
    fn counts_and_decimals_have_separators() {
        assert_eq!(count(12_438.4), "12,438");
        assert_eq!(count(999.5), "1,000");
        assert_eq!(count(-1_000_000.0), "\u{2212}1,000,000");
        assert_eq!(decimal(1250.0, 0, ""), "1,250");
        assert_eq!(decimal(1_000_000.0, 2, ""), "1,000,000");
        assert_eq!(decimal(0.25, 2, ""), "0.25");
        assert_eq!(decimal(-0.0001, 2, ""), "0");
        assert_eq!(decimal(f64::NAN, 2, ""), "");
    }

    #[test]
    fn percentages_never_claim_false_certainty() {
        assert_eq!(percent(0.381, 0), "38%");
        assert_eq!(percent(0.0, 0), "0%");
        assert_eq!(percent(1.0, 0), "100%");
        assert_eq!(percent(0.002, 0), "<1%");
        assert_eq!(percent(0.998, 0), ">99%");
        assert_eq!(percent(0.5134, 1), "51.3%");
        assert_eq!(percent(1.0, 1), "100.0%");
        assert_eq!(percent(0.9996, 1), ">99.9%");
        assert_eq!(percent(0.0004, 1), "<0.1%");
    }

    #[test]
    fn chances_read_as_one_in_n_below_a_half_when_that_is_close() {
        assert_eq!(chance(1.0 / 6.0), "1 in 6");
        assert_eq!(chance(0.32), "1 in 3");
        assert_eq!(chance(0.45), "45%");
        assert_eq!(chance(0.4), "40%");
        assert_eq!(chance(0.026), "1 in 40");
        assert_eq!(chance(0.0004), "1 in 2,500");
        assert_eq!(chance(0.83), "83%");
        assert_eq!(chance(0.0), "0%");
        assert_eq!(chance(f64::NAN), "n/a");
        assert_eq!(a_chance(0.83), "An 83% chance");
        assert_eq!(a_chance(0.17), "A 1 in 6 chance");
        assert_eq!(a_chance(0.6), "A 60% chance");
    }
}
