//! Sorting result columns in the total order of `f64` ([`f64::total_cmp`]) fast enough for the
//! tens of thousands of columns a national run summarises.
//!
//! The sorted sequence in a total order is unique, bit for bit, so any correct sort gives the same
//! result: [`sort_total`] returns exactly what `sort_unstable_by(f64::total_cmp)` returns. It skips
//! columns already in order (a month before anything happens is often the same in every
//! iteration) and sorts long columns by their bits with an LSD radix sort, one pass per byte that
//! varies.

/// The bits of `x` as an unsigned key in the order of [`f64::total_cmp`]: negative numbers
/// flipped whole, positive numbers with the sign bit set.
fn key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The `f64` whose [`key`] is `k`.
fn unkey(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Columns shorter than this are sorted by comparison.
const RADIX_FROM: usize = 512;

/// Sorts `xs` in the total order of `f64` (−NaN < −∞ < … < −0 < +0 < … < +∞ < +NaN).
pub fn sort_total(xs: &mut [f64]) {
    if xs.is_sorted_by(|a, b| a.total_cmp(b).is_le()) {
        return;
    }
    if xs.len() < RADIX_FROM {
        xs.sort_unstable_by(f64::total_cmp);
        return;
    }
    let mut a: Vec<u64> = xs.iter().map(|&x| key(x)).collect();
    let mut counts = [[0_usize; 256]; 8];
    for &k in &a {
        for (d, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * d)) & 0xff) as usize] += 1;
        }
    }
    let mut b = vec![0_u64; a.len()];
    for (d, c) in counts.iter().enumerate() {
        // A byte every key shares orders nothing.
        if c.contains(&a.len()) {
            continue;
        }
        let mut next = [0_usize; 256];
        let mut sum = 0;
        for (n, &count) in next.iter_mut().zip(c) {
            *n = sum;
            sum += count;
        }
        for &k in &a {
            let digit = ((k >> (8 * d)) & 0xff) as usize;
            b[next[digit]] = k;
            next[digit] += 1;
        }
        std::mem::swap(&mut a, &mut b);
    }
    for (x, &k) in xs.iter_mut().zip(&a) {
        *x = unkey(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_comparison(xs: &[f64]) -> Vec<u64> {
        let mut v = xs.to_vec();
        v.sort_unstable_by(f64::total_cmp);
        v.iter().map(|x| x.to_bits()).collect()
    }

    fn by_radix(xs: &[f64]) -> Vec<u64> {
        let mut v = xs.to_vec();
        sort_total(&mut v);
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn keys_follow_the_total_order_and_invert() {
        let xs = [
            -f64::NAN,
            f64::NEG_INFINITY,
            -1e300,
            -1.0,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            1.0,
            1e300,
            f64::INFINITY,
            f64::NAN,
        ];
        for w in xs.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{} {}", w[0], w[1]);
        }
        for x in xs {
            assert_eq!(unkey(key(x)).to_bits(), x.to_bits());
        }
    }

    #[test]
    fn radix_sort_gives_the_comparison_sort_bit_for_bit() {
        // A deterministic mix: money-like values, many repeats, signed zeros, NaN and infinities.
        let mut s = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        for n in [0, 1, 2, 511, 512, 513, 5_000, 20_000] {
            let xs: Vec<f64> = (0..n)
                .map(|_| match next() % 10 {
                    0 => 0.0,
                    1 => -0.0,
                    2 => f64::NAN,
                    3 => f64::NEG_INFINITY,
                    4 => (next() % 7) as f64 * 1_000.0,
                    5 => -((next() % 1_000_000) as f64) / 3.0,
                    _ => (next() % 1_000_000_000) as f64 * 61.37,
                })
                .collect();
            assert_eq!(by_radix(&xs), by_comparison(&xs), "n = {n}");
        }
        // Already sorted and constant columns come back unchanged.
        let sorted: Vec<f64> = (0..1_000).map(f64::from).collect();
        assert_eq!(by_radix(&sorted), by_comparison(&sorted));
        let constant = vec![42.5; 1_000];
        assert_eq!(by_radix(&constant), by_comparison(&constant));
    }
}
