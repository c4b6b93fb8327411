//! A deterministic, mergeable quantile sketch for the monthly series of very long runs: values
//! are counted in logarithmic bins (the top [`BITS`] bits of the mantissa, so a bin's upper end
//! is at most 2^−[`BITS`] (0.78%) above its lower end), and each bin keeps the exact smallest and
//! largest value it holds.
//!
//! What it promises, for the type-7 quantile of [`Sketch::quantile`]:
//! - the two order statistics interpolated between are found by counting, so the estimate uses
//!   the same ranks and weights as [`super::quantile_sorted`];
//! - each order statistic is replaced by a value between the smallest and largest value of the
//!   bin that holds it (interpolated by its place in the bin), so it is **within 0.78% of the true
//!   value**, and exact when the bin holds one distinct value (every 0 and 1 of a probability, a
//!   headcount that does not vary) or at most two values. In rank terms: the value given lies
//!   among the values of the true order statistic's bin, so its rank is off by less than the
//!   number of values in that bin;
//! - the **mean is exact** to 2^−32 (a fixed-point sum), so it does not depend on the order the
//!   values came in.
//!
//! A sketch's state is a function of the multiset of values only: inserting in any order, or
//! merging the sketches of any split, gives the same bits, so a run's results do not depend on
//! its thread count or shard split.

/// Mantissa bits kept in a bin's key: 2^7 = 128 bins per power of two.
pub const BITS: u32 = 7;
/// The largest relative width of a bin: its upper end over its lower end, less 1.
pub const RELATIVE_WIDTH: f64 = 1.0 / (1u64 << BITS) as f64;
/// The fixed-point scale of the exact sum: 2^32.
const SCALE: f64 = 4_294_967_296.0;

/// Bins of one sign, dense from the smallest key seen to the largest.
#[derive(Debug, Clone, Default, PartialEq)]
struct Store {
    offset: i64,
    count: Vec<u32>,
    lo: Vec<f64>,
    hi: Vec<f64>,
}

impl Store {
    /// The key of a magnitude `a` > 0 (or +inf): its exponent and top mantissa bits, which order
    /// like `a` itself.
    fn key(a: f64) -> i64 {
        (a.to_bits() >> (52 - BITS)) as i64
    }

    fn grow_to(&mut self, key: i64) {
        if self.count.is_empty() {
            self.offset = key;
        }
        if key < self.offset {
            let extra = (self.offset - key) as usize;
            self.count.splice(0..0, std::iter::repeat_n(0, extra));
            self.lo
                .splice(0..0, std::iter::repeat_n(f64::INFINITY, extra));
            self.hi
                .splice(0..0, std::iter::repeat_n(f64::NEG_INFINITY, extra));
            self.offset = key;
        }
        let need = (key - self.offset) as usize + 1;
        if need > self.count.len() {
            self.count.resize(need, 0);
            self.lo.resize(need, f64::INFINITY);
            self.hi.resize(need, f64::NEG_INFINITY);
        }
    }

    fn add(&mut self, key: i64, count: u32, lo: f64, hi: f64) {
        self.grow_to(key);
        let i = (key - self.offset) as usize;
        self.count[i] += count;
        if lo < self.lo[i] {
            self.lo[i] = lo;
        }
        if hi > self.hi[i] {
            self.hi[i] = hi;
        }
    }

    fn total(&self) -> u64 {
        self.count.iter().map(|&c| u64::from(c)).sum()
    }

    fn merge(&mut self, o: &Store) {
        for (i, &c) in o.count.iter().enumerate() {
            if c > 0 {
                self.add(o.offset + i as i64, c, o.lo[i], o.hi[i]);
            }
        }
    }

    /// The magnitude of rank `r` (0-based, ascending magnitude) among this store's values.
    fn at(&self, mut r: u64) -> f64 {
        for (i, &c) in self.count.iter().enumerate() {
            let c = u64::from(c);
            if r < c {
                let (lo, hi) = (self.lo[i], self.hi[i]);
                return if c == 1 || lo == hi {
                    lo
                } else {
                    lo + (hi - lo) * (r as f64 / (c - 1) as f64)
                };
            }
            r -= c;
        }
        f64::NAN
    }

    fn bytes(&self) -> usize {
        self.count.capacity() * 4 + (self.lo.capacity() + self.hi.capacity()) * 8
    }
}

/// A quantile sketch of one column of values (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sketch {
    pos: Store,
    neg: Store,
    /// −NaN, −0, +0 and +NaN counts (the ends and middle of the `f64` total order).
    nan_neg: u64,
    zero_neg: u64,
    zero_pos: u64,
    nan_pos: u64,
    /// Fixed-point sum of the finite values (×2^32), and whether an infinity was seen.
    sum: i128,
    inf: f64,
}

impl Sketch {
    /// An empty sketch.
    pub fn new() -> Sketch {
        Sketch::default()
    }

    /// Adds one value.
    pub fn insert(&mut self, x: f64) {
        if x.is_nan() {
            if x.is_sign_negative() {
                self.nan_neg += 1;
            } else {
                self.nan_pos += 1;
            }
            return;
        }
        if x == 0.0 {
            if x.is_sign_negative() {
                self.zero_neg += 1;
            } else {
                self.zero_pos += 1;
            }
            return;
        }
        if x.is_finite() {
            self.sum += (x * SCALE).round() as i128;
        } else {
            self.inf += x;
        }
        let a = x.abs();
        let store = if x > 0.0 {
            &mut self.pos
        } else {
            &mut self.neg
        };
        store.add(Store::key(a), 1, a, a);
    }

    /// Adds every value of `other` (the same result as inserting them one by one).
    pub fn merge(&mut self, other: &Sketch) {
        self.pos.merge(&other.pos);
        self.neg.merge(&other.neg);
        self.nan_neg += other.nan_neg;
        self.zero_neg += other.zero_neg;
        self.zero_pos += other.zero_pos;
        self.nan_pos += other.nan_pos;
        self.sum += other.sum;
        self.inf += other.inf;
    }

    /// How many values it holds.
    pub fn len(&self) -> u64 {
        self.nan_neg
            + self.neg.total()
            + self.zero_neg
            + self.zero_pos
            + self.pos.total()
            + self.nan_pos
    }

    /// Whether it holds no value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of rank `r` (0-based) in the `f64` total order, as the sketch knows it.
    fn at(&self, mut r: u64) -> f64 {
        let neg = self.neg.total();
        let parts = [
            self.nan_neg,
            neg,
            self.zero_neg,
            self.zero_pos,
            self.pos.total(),
            self.nan_pos,
        ];
        for (k, &c) in parts.iter().enumerate() {
            if r < c {
                return match k {
                    0 => -f64::NAN,
                    // Negative values: the largest magnitude comes first.
                    1 => -self.neg.at(neg - 1 - r),
                    2 => -0.0,
                    3 => 0.0,
                    4 => self.pos.at(r),
                    _ => f64::NAN,
                };
            }
            r -= c;
        }
        f64::NAN
    }

    /// The type-7 p-quantile (NaN when empty or p is NaN), with the ranks and weights of
    /// [`super::quantile_sorted`] and each order statistic as [`Sketch`] describes.
    pub fn quantile(&self, p: f64) -> f64 {
        let n = self.len();
        if n == 0 || p.is_nan() {
            return f64::NAN;
        }
        let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
        let lower = h.floor();
        let i = lower as u64;
        let x = self.at(i);
        if i + 1 < n {
            x + (h - lower) * (self.at(i + 1) - x)
        } else {
            x
        }
    }

    /// The mean: NaN when empty or any value is NaN, ±inf when an infinity was seen, else the
    /// exact fixed-point sum over the count.
    pub fn mean(&self) -> f64 {
        let n = self.len();
        if n == 0 || self.nan_neg + self.nan_pos > 0 {
            return f64::NAN;
        }
        if self.inf != 0.0 || self.inf.is_nan() {
            return self.inf;
        }
        self.sum as f64 / SCALE / n as f64
    }

    /// Appends the sketch as bytes (little-endian; read back by [`Sketch::read`]), for shards.
    pub fn write(&self, out: &mut Vec<u8>) {
        for c in [self.nan_neg, self.zero_neg, self.zero_pos, self.nan_pos] {
            out.extend_from_slice(&c.to_le_bytes());
        }
        out.extend_from_slice(&self.sum.to_le_bytes());
        out.extend_from_slice(&self.inf.to_le_bytes());
        for st in [&self.pos, &self.neg] {
            out.extend_from_slice(&st.offset.to_le_bytes());
            out.extend_from_slice(&(st.count.len() as u64).to_le_bytes());
            for &c in &st.count {
                out.extend_from_slice(&c.to_le_bytes());
            }
            for x in st.lo.iter().chain(&st.hi) {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
    }

    /// Reads a sketch written by [`Sketch::write`] from the front of `bytes`, returning it and
    /// the bytes it took; `None` when the bytes are cut short or hold an impossible store.
    pub fn read(bytes: &[u8]) -> Option<(Sketch, usize)> {
        let mut at = 0usize;
        let mut take = |k: usize| -> Option<&[u8]> {
            let b = bytes.get(at..at.checked_add(k)?)?;
            at += k;
            Some(b)
        };
        let u64_of = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
        let mut s = Sketch {
            nan_neg: u64_of(take(8)?),
            zero_neg: u64_of(take(8)?),
            zero_pos: u64_of(take(8)?),
            nan_pos: u64_of(take(8)?),
            sum: i128::from_le_bytes(take(16)?.try_into().ok()?),
            inf: f64::from_le_bytes(take(8)?.try_into().ok()?),
            ..Sketch::default()
        };
        for k in 0..2 {
            let offset = i64::from_le_bytes(take(8)?.try_into().ok()?);
            let len = usize::try_from(u64_of(take(8)?)).ok()?;
            // A store spans at most every key of an f64 magnitude.
            if len > (1usize << (11 + BITS)) + 1 {
                return None;
            }
            let count = take(4 * len)?
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes(b.try_into().unwrap_or([0; 4])))
                .collect();
            let mut floats = take(16 * len)?
                .chunks_exact(8)
                .map(|b| f64::from_le_bytes(b.try_into().unwrap_or([0; 8])));
            let lo = floats.by_ref().take(len).collect();
            let hi = floats.collect();
            let st = Store {
                offset,
                count,
                lo,
                hi,
            };
            if k == 0 {
                s.pos = st;
            } else {
                s.neg = st;
            }
        }
        Some((s, at))
    }

    /// Bytes held on the heap (for the memory figures in the README).
    pub fn heap_bytes(&self) -> usize {
        self.pos.bytes() + self.neg.bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{quantile_sorted, sort_total};

    fn sketch(v: &[f64]) -> Sketch {
        let mut s = Sketch::new();
        for &x in v {
            s.insert(x);
        }
        s
    }

    /// Values 1..=4 lie in four different bins, each holding one value, so every type-7 quantile
    /// is exact: P25 at h = 0.75 is 1.75 (numpy.quantile([1, 2, 3, 4], 0.25)).
    #[test]
    fn one_value_per_bin_is_exact() {
        let s = sketch(&[4.0, 1.0, 3.0, 2.0]);
        assert_eq!(s.quantile(0.25), 1.75);
        assert_eq!(s.quantile(0.5), 2.5);
        assert_eq!(s.quantile(1.0), 4.0);
        assert_eq!(s.mean(), 2.5);
    }

    /// A probability's 0s and 1s and a count that repeats are exact: 7 zeros and 3 ones give
    /// P50 0, P90 at h = 8.1 equal to 1, mean 0.3.
    #[test]
    fn repeated_values_are_exact() {
        let mut v = vec![0.0; 7];
        v.extend([1.0; 3]);
        let s = sketch(&v);
        assert_eq!(s.quantile(0.5), 0.0);
        assert_eq!(s.quantile(0.9), 1.0);
        assert_eq!(s.quantile(0.75), 0.75); // h = 6.75: 0 + 0.75 × (1 − 0)
        assert!((s.mean() - 0.3).abs() < 1e-9);
        let s = sketch(&[2000.0; 5]);
        assert_eq!(s.quantile(0.3), 2000.0);
    }

    /// On 20,000 spread values of both signs, every BANDS quantile is within the bin width of
    /// the exact type-7 quantile, relative to the value (or 1e-9 absolute near zero).
    #[test]
    fn quantiles_are_within_the_bin_width_of_exact() {
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let v: Vec<f64> = (0..20_000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let u = (x >> 11) as f64 / (1u64 << 53) as f64;
                if i % 10 == 0 {
                    0.0
                } else {
                    (u - 0.3) * 5e7 * (1.0 + u * u)
                }
            })
            .collect();
        let s = sketch(&v);
        let mut sorted = v.clone();
        sort_total(&mut sorted);
        for p in [0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0] {
            let exact = quantile_sorted(&sorted, p);
            let got = s.quantile(p);
            assert!(
                (got - exact).abs() <= RELATIVE_WIDTH * exact.abs() + 1e-9,
                "p {p}: {got} vs {exact}"
            );
        }
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        assert!((s.mean() - mean).abs() < 1e-6 * mean.abs());
    }

    /// Merging the sketches of any split, in any order, gives the same sketch as one pass.
    #[test]
    fn merging_any_split_gives_the_same_bits() {
        let v: Vec<f64> = (0..1000)
            .map(|i| ((i * 7919) % 1000) as f64 * 1234.5 - 2e5)
            .collect();
        let whole = sketch(&v);
        for cut in [1, 333, 999] {
            let mut a = sketch(&v[cut..]);
            a.merge(&sketch(&v[..cut]));
            assert_eq!(a, whole, "cut {cut}");
        }
        let mut rev = v.clone();
        rev.reverse();
        assert_eq!(sketch(&rev), whole);
    }

    #[test]
    fn a_sketch_round_trips_through_bytes() {
        let v: Vec<f64> = (0..500).map(|i| (i as f64 - 100.0) * 37.5).collect();
        let mut bytes = Vec::new();
        let (a, b) = (sketch(&v), sketch(&[f64::NAN, 0.0, -0.0, 1.0]));
        a.write(&mut bytes);
        b.write(&mut bytes);
        let (ra, k) = Sketch::read(&bytes).unwrap();
        let (rb, j) = Sketch::read(&bytes[k..]).unwrap();
        assert_eq!((ra, k + j), (a, bytes.len()));
        assert_eq!(rb.len(), 4);
        assert!(Sketch::read(&bytes[..k - 1]).is_none());
    }

    #[test]
    fn nan_sorts_like_the_total_order_and_poisons_the_mean() {
        let s = sketch(&[1.0, f64::NAN, 2.0]);
        assert!(s.mean().is_nan());
        assert_eq!(s.quantile(0.0), 1.0);
        assert!(s.quantile(1.0).is_nan());
        assert!(Sketch::new().quantile(0.5).is_nan());
    }
}
