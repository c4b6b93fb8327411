//! Number formatting for files and the terminal.
//!
//! CSV numbers are plain decimals without thousands separators, at most six decimal places with
//! trailing zeros trimmed, and empty for "no value" (NaN), so the same results always print the
//! same bytes. Terminal money uses £k / £m / £bn.

/// A CSV cell for a number: pounds-sized values (|x| ≥ 1000) to the penny, smaller ones to six
/// decimals, trailing zeros trimmed, empty for NaN. Rounds half away from zero on the scaled value.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let (scale, digits) = if x.abs() >= 1000.0 {
        (100.0, 2)
    } else {
        (1e6, 6)
    };
    let scaled = (x * scale).round();
    if scaled.abs() >= 9.0e18 {
        // Beyond i64: fall back to the standard formatter.
        return format!("{x:.0}");
    }
    let n = scaled as i64;
    let (neg, m) = (n < 0, n.unsigned_abs());
    let pow = 10u64.pow(digits);
    let (whole, mut frac) = (m / pow, m % pow);
    let mut s = String::with_capacity(24);
    if neg {
        s.push('-');
    }
    s.push_str(&whole.to_string());
    if frac != 0 {
        let mut width = digits as usize;
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        s.push('.');
        s.push_str(&format!("{frac:0width$}"));
    }
    s
}

/// Money for people: £1.23bn, £850m, £42.3m, £104k, £950.
pub fn gbp(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let (sign, a) = if x < 0.0 { ("-", -x) } else { ("", x) };
    // Thresholds sit where rounding would carry into the next unit (99.96m shows as £100m).
    let body = if a >= 999.5e6 {
        format!("{:.2}bn", a / 1e9)
    } else if a >= 99.95e6 {
        format!("{:.0}m", a / 1e6)
    } else if a >= 999.5e3 {
        format!("{:.1}m", a / 1e6)
    } else if a >= 999.5 {
        format!("{:.0}k", a / 1e3)
    } else {
        format!("{a:.0}")
    };
    format!("{sign}£{body}")
}

/// A probability as a percentage with one decimal.
pub fn pct(p: f64) -> String {
    if p.is_finite() {
        format!("{:.1}%", p * 100.0)
    } else {
        "–".into()
    }
}

/// A count with thousands separators for the terminal.
pub fn count(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let n = x.round() as i64;
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_numbers_are_plain_and_trimmed() {
        assert_eq!(num(1234567.891), "1234567.89");
        assert_eq!(num(999.1234567), "999.123457");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(-0.0000001), "0");
        assert_eq!(num(f64::NAN), "");
        assert_eq!(num(1.0 / 3.0), "0.333333");
    }

    #[test]
    fn money_uses_sensible_units() {
        assert_eq!(gbp(1_234_000_000.0), "£1.23bn");
        assert_eq!(gbp(850_000_000.0), "£850m");
        assert_eq!(gbp(42_300_000.0), "£42.3m");
        assert_eq!(gbp(104_000.0), "£104k");
        assert_eq!(gbp(-2_500_000.0), "-£2.5m");
        assert_eq!(gbp(99_960_000.0), "£100m");
        assert_eq!(gbp(999_700_000.0), "£1.00bn");
        assert_eq!(gbp(999_600.0), "£1.0m");
    }

    #[test]
    fn counts_have_separators() {
        assert_eq!(count(12_500.4), "12,500");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(-1_000_000.0), "-1,000,000");
    }
}
