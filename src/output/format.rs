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
    let scaled = x * scale;
    if scaled.abs() >= 9.0e18 {
        // Beyond i64: fall back to the standard formatter.
        out.extend_from_slice(format!("{x:.0}").as_bytes());
        return;
    }
    let n = round_half_away(scaled);
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

/// `y.round() as i64` for |y| < 9·10¹⁸, without a library call (a baseline x86-64 build calls
/// one for `round`, and `iterations.csv` rounds tens of millions of numbers): the integer part by
/// truncation, then one away from zero when the fraction, which a float holds exactly, is at
/// least a half.
#[inline]
fn round_half_away(y: f64) -> i64 {
    let whole = y as i64;
    let frac = y - whole as f64;
    whole + i64::from(frac >= 0.5) - i64::from(frac <= -0.5)
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

    /// The same integer as the library's `round` (half away from zero) at halves, next to them,
    /// at the edges of exact integers (2⁵², 2⁵³) and below 9·10¹⁸, either sign.
    #[test]
    fn rounding_matches_the_library_round() {
        let mut ys = vec![0.0, 0.5, 1.5, 2.5, 0.49999999999999994, 4503599627370495.5];
        for k in 0..2_000 {
            let y = k as f64 * 0.25 + 0.125 * (k % 3) as f64;
            ys.extend([y, y.next_up(), y.next_down()]);
        }
        for e in [20, 40, 51, 52, 53, 60, 62] {
            let y = 2f64.powi(e);
            ys.extend([y, y.next_up(), y.next_down(), y + 0.5, y - 0.5]);
        }
        ys.push(8.99e18);
        for y in ys.iter().flat_map(|&y| [y, -y]) {
            assert_eq!(round_half_away(y), y.round() as i64, "{y}");
        }
    }

    #[test]
    fn terminal_percentages_have_one_decimal() {
        assert_eq!(pct(0.5134), "51.3%");
        assert_eq!(pct(1.0), "100.0%");
        assert_eq!(pct(f64::NAN), "n/a");
    }
}
