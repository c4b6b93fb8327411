//! Per-thread scratch vectors, reused from one organisation and iteration to the next.
//!
//! An iteration's per-person state (each person's cost, exit month and fate; a window's
//! savings, pool and applicants) lives in vectors as long as the organisation's staff. Taking
//! them from this thread's pool and handing them back when done means the hot path allocates
//! nothing once each thread has run its largest organisation. The pool only recycles memory:
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

/// An empty vector with room for `capacity` elements, from the pool when one is free.
pub(crate) fn empty<T: Pooled>(capacity: usize) -> Vec<T> {
    let mut v = POOLS
        .try_with(|p| T::pool(&mut p.borrow_mut()).pop())
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
}
