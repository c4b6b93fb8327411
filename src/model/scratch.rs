//! Per-thread scratch vectors, reused from one organisation and iteration to the next.
//!
//! An iteration's per-person state (each person's cost, exit month and fate; a window's
//! savings, pool and applicants) lives in vectors as long as the organisation's staff. Taking
//! them from this thread's pool and handing them back when done means these per-person vectors
//! are allocated once per thread, not per organisation and iteration (what still allocates is
//! small and per organisation: its monthly paths and results). The pool only recycles memory:
//! every vector is cleared and filled before use, so results never depend on what it held.

use super::people::Fate;
use std::cell::RefCell;

/// The most vectors of one type a thread keeps for reuse.
const KEEP: usize = 32;

/// This thread's free vectors, by element type.
#[derive(Default)]
pub(crate) struct Pools {
    f64s: Vec<Vec<f64>>,
    usizes: Vec<Vec<usize>>,
    u32s: Vec<Vec<u32>>,
    bools: Vec<Vec<bool>>,
    fates: Vec<Vec<Fate>>,
    keyed: Vec<Vec<(u64, u32)>>,
    draws: Vec<Vec<(u32, f64)>>,
}

thread_local! {
    static POOLS: RefCell<Pools> = RefCell::new(Pools::default());
}

/// An element type with a pool of its own.
pub(crate) trait Pooled: Copy + 'static {
    /// The pool of vectors of this type.
    fn pool(p: &mut Pools) -> &mut Vec<Vec<Self>>;
}

macro_rules! pooled {
    ($t:ty, $field:ident) => {
        impl Pooled for $t {
            fn pool(p: &mut Pools) -> &mut Vec<Vec<Self>> {
                &mut p.$field
            }
        }
    };
}
pooled!(f64, f64s);
pooled!(usize, usizes);
pooled!(u32, u32s);
pooled!(bool, bools);
pooled!(Fate, fates);
pooled!((u64, u32), keyed);
pooled!((u32, f64), draws);

/// An empty vector with room for `capacity` elements, from the pool when one is free.
pub(crate) fn empty<T: Pooled>(capacity: usize) -> Vec<T> {
    // The smallest free vector with room enough (organisations of different sizes share a
    // pool), else the largest, grown.
    let mut v = POOLS
        .try_with(|p| {
            let mut p = p.borrow_mut();
            let pool = T::pool(&mut p);
            let room = |v: &Vec<T>| v.capacity() >= capacity;
            let best = (0..pool.len())
                .filter(|&k| room(&pool[k]))
                .min_by_key(|&k| pool[k].capacity())
                .or_else(|| (0..pool.len()).max_by_key(|&k| pool[k].capacity()));
            best.map(|k| pool.swap_remove(k))
        })
        .ok()
        .flatten()
        .unwrap_or_default();
    v.clear();
    v.reserve(capacity);
    v
}

/// `n` copies of `fill`, in a vector from the pool when one is free.
pub(crate) fn filled<T: Pooled>(n: usize, fill: T) -> Vec<T> {
    let mut v = empty(n);
    v.resize(n, fill);
    v
}

/// Hands `v` back to this thread's pool (dropped when the pool is full or `v` never allocated).
pub(crate) fn give<T: Pooled>(v: Vec<T>) {
    if v.capacity() == 0 {
        return;
    }
    // A thread being torn down drops `v` instead.
    let _ = POOLS.try_with(|p| {
        let mut p = p.borrow_mut();
        let pool = T::pool(&mut p);
        if pool.len() < KEEP {
            pool.push(v);
        }
    });
}

/// Hands the vector in `v` back to the pool, leaving `v` empty.
pub(crate) fn give_back<T: Pooled>(v: &mut Vec<T>) {
    give(std::mem::take(v));
}

/// Appends to `out` each item whose flag is true, in order, without a branch per item: every
/// item is written at the end and the length moves on only past those kept. Random draws decide
/// the flags in the hot loops, and a branch on them would be mispredicted about as often as not,
/// stalling the draws queued behind it.
#[inline]
pub(crate) fn push_where<T: Copy + Default>(
    out: &mut Vec<T>,
    items: impl ExactSizeIterator<Item = (T, bool)>,
) {
    let start = out.len();
    out.resize(start + items.len(), T::default());
    let mut len = start;
    for (x, keep) in items {
        // `len` stays below `out.len()`: at most one step per item.
        if let Some(slot) = out.get_mut(len) {
            *slot = x;
        }
        len += usize::from(keep);
    }
    out.truncate(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_vector_holds_only_what_it_is_filled_with() {
        let mut v = filled(5, 7.0f64);
        v[2] = 99.0;
        give(v);
        let w = filled(3, 1.5f64);
        assert_eq!(w, vec![1.5; 3]);
        give(w);
        let e: Vec<f64> = empty(10);
        assert!(e.is_empty() && e.capacity() >= 10);
    }

    #[test]
    fn push_where_keeps_the_flagged_items_in_order_after_those_already_there() {
        let mut out = vec![9u32];
        push_where(&mut out, (0..10u32).map(|i| (i, i % 3 == 1)));
        assert_eq!(out, [9, 1, 4, 7]);
        push_where(&mut out, (0..4u32).map(|i| (i, false)));
        assert_eq!(out, [9, 1, 4, 7]);
        push_where(&mut out, std::iter::empty::<(u32, bool)>());
        assert_eq!(out, [9, 1, 4, 7]);
    }
}
