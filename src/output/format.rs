//! Number formatting for the output files, and the terminal's names for the one human formatter.
//!
//! CSV numbers ([`num`]) are plain decimals without thousands separators, at most six decimal
//! places with trailing zeros trimmed, and empty for "no value" (NaN), so the same results always
//! print the same bytes. Everything a person reads (£, counts, percentages) comes from
//! [`crate::format`], whose rules are the house style; [`gbp`], [`count`] and [`pct`] are those
//! functions under the names the terminal code uses.

pub use crate::format::{count, gbp};

/// A CSV cell for a number: pounds-sized values (|x| ≥ 1000) to the penny, smaller ones to six
/// decimals, trailing zeros trimmed, empty for NaN. Rounds half away from zero on the scaled value.
pub fn num(x: f64) -> String {
    let mut out = Vec::with_capacity(24);
    num_into(&mut out, x);
    // Only ASCII digits, '-' and '.' are written.
    String::from_utf8(out).unwrap_or_default()
}

/// [`num`], appended to `out` (no allocation: `iterations.csv` has tens of millions of cells).
pub fn num_into(out: &mut Vec<u8>, x: f64) {
    if !x.is_finite() {
        return;
    }
    let (scale, digits) = if x.abs() >= 1000.0 {
        (100.0, 2)
    } else {
        (1e6, 6)
    };
    let scaled = (x * scale).round();
    if scaled.abs() >= 9.0e18 {
        // Beyond i64: fall back to the standard formatter.
        out.extend_from_slice(format!("{x:.0}").as_bytes());
        return;
    }
    let n = scaled as i64;
    let (neg, m) = (n < 0, n.unsigned_abs());
    let pow = 10u64.pow(digits);
    let (mut whole, mut frac) = (m / pow, m % pow);
    // Digits are written right to left into a buffer, then appended.
    let mut buf = [0_u8; 32];
    let mut pos = buf.len();
    let mut put = |b: u8| {
        pos -= 1;
        buf[pos] = b;
    };
    if frac != 0 {
        let mut width = digits;
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        for _ in 0..width {
            put(b'0' + (frac % 10) as u8);
            frac /= 10;
        }
        put(b'.');
    }
    loop {
        put(b'0' + (whole % 10) as u8);
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    if neg {
        put(b'-');
    }
    out.extend_from_slice(&buf[pos..]);
}

/// A probability or share as a percentage with one decimal, as the terminal tables print it.
pub fn pct(p: f64) -> String {
    crate::format::percent(p, 1)
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
        // Negative values, leading zeros of the fraction, zero and the largest to the penny.
        assert_eq!(num(-1234.5), "-1234.5");
        assert_eq!(num(-0.05), "-0.05");
        assert_eq!(num(0.000_102), "0.000102");
        assert_eq!(num(1000.07), "1000.07");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-999_999.994), "-999999.99");
        assert_eq!(num(8.0e16), "80000000000000000");
    }

    #[test]
    fn terminal_percentages_have_one_decimal() {
        assert_eq!(pct(0.5134), "51.3%");
        assert_eq!(pct(1.0), "100.0%");
        assert_eq!(pct(f64::NAN), "n/a");
    }
}
