//! Who is selected in each round of the restructure: the post count, approval by priority key and
//! compulsory selection in random order.
//!
//! Pure bookkeeping over people identified by index: what each would save at the deadline, the
//! gap still to close and who has been taken. It knows nothing of dates, fates or draws — the
//! restructure ([`super::restructure`]) decides who is eligible and supplies each person's random
//! priority key — so the selection rules can be checked by hand.
//!
//! The rules, in the order the restructure applies them:
//! - **Post count.** A voluntary round approves a number of posts fixed before looking at who
//!   applied: the gap divided by the mean saving of the untaken pool members who save anything,
//!   rounded up.
//! - **Approval.** The applicants with the smallest priority keys get those posts.
//! - **Compulsory selection.** The rest of the pool is visited in key order, each selected until
//!   the gap is closed.

use super::scratch;

/// The state of the selection across the VR, MARS and CR rounds.
#[derive(Debug, Clone)]
pub(crate) struct Selection {
    /// What each person would save at the deadline if they left (£ a year), by person.
    saving: Vec<f64>,
    /// The gap still to close (£ a year, start-month prices).
    gap: f64,
    /// Whether each person has been approved or selected already.
    taken: Vec<bool>,
}

impl Selection {
    /// A selection with `gap` to close, where person `i` would save `saving[i]`; no one is taken.
    pub fn new(saving: Vec<f64>, gap: f64) -> Selection {
        let taken = scratch::filled(saving.len(), false);
        Selection { saving, gap, taken }
    }

    /// The gap still to close.
    pub fn gap(&self) -> f64 {
        self.gap
    }

    /// Whether person `i` has been taken by an earlier round.
    pub fn is_taken(&self, i: usize) -> bool {
        self.taken[i]
    }

    /// The post-count rule: the gap divided by the mean saving of the untaken `pool` members who
    /// save anything, rounded up; `None` when none of them saves anything.
    pub fn posts(&self, pool: &[u32]) -> Option<usize> {
        let (mut sum, mut n) = (0.0, 0usize);
        for &i in pool {
            let saving = self.saving[i as usize];
            if !self.taken[i as usize] && saving > 0.0 {
                sum += saving;
                n += 1;
            }
        }
        (n > 0).then(|| (self.gap / (sum / n as f64)).ceil() as usize)
    }

    /// Approves the `posts` eligible applicants with the smallest keys (all of them when fewer
    /// apply), given as `(key, person)` pairs: marks them taken and credits their savings against
    /// the gap. Returns the approved pairs (in no particular order).
    pub fn approve(&mut self, mut eligible: Vec<(u64, u32)>, posts: usize) -> Vec<(u64, u32)> {
        if posts < eligible.len() {
            if posts == 0 {
                eligible.clear();
                return eligible;
            }
            // Their order among themselves does not matter, so selecting the smallest keys (O(n))
            // replaces sorting.
            eligible.select_nth_unstable(posts - 1);
            eligible.truncate(posts);
        }
        for &(_, i) in &eligible {
            let i = i as usize;
            self.taken[i] = true;
            self.gap -= self.saving[i];
        }
        eligible
    }

    /// Compulsory selection: visits the untaken `pool` members in order of `key` and selects each
    /// until the gap is closed. Returns those selected, in key order.
    pub fn compulsory(&mut self, pool: &[u32], key: impl Fn(u32) -> u64) -> Vec<usize> {
        let mut candidates = scratch::empty(pool.len());
        let untaken = pool.iter().map(|&i| (i, !self.taken[i as usize]));
        scratch::push_where(&mut candidates, untaken);
        let (sum, count) = candidates.iter().fold((0.0, 0usize), |(s, c), &i| {
            let saving = self.saving[i as usize];
            (s + saving, c + usize::from(saving > 0.0))
        });
        let expected = if count > 0 {
            (self.gap / (sum / count as f64)).ceil() as usize
        } else {
            candidates.len()
        };
        let mut selected = Vec::new();
        in_key_order(&candidates, key, expected, |i| {
            if self.gap <= 0.0 {
                return false;
            }
            self.gap -= self.saving[i];
            self.taken[i] = true;
            selected.push(i);
            true
        });
        scratch::give(candidates);
        selected
    }
}

impl Drop for Selection {
    /// Hands the savings and the taken flags back to this thread's scratch pool.
    fn drop(&mut self) {
        scratch::give_back(&mut self.saving);
        scratch::give_back(&mut self.taken);
    }
}

/// Visits `items` in the order of their priority keys (uniformly random keys give a uniformly
/// random order, the same for a person in every scenario variant sharing the seed), calling
/// `visit` until it returns false. `expected` is a guess of how many visits will be needed: keys
/// are uniform, so only the items whose key falls in a first band sized for that many are
/// ordered; the band doubles while `visit` wants more. Each band is ordered by a bucket sort on
/// the keys, so a call costs O(n) whatever the guess.
pub(crate) fn in_key_order(
    items: &[u32],
    key: impl Fn(u32) -> u64,
    expected: usize,
    visit: impl FnMut(usize) -> bool,
) {
    let n = items.len();
    if n == 0 {
        return;
    }
    let share = ((expected as f64 * 1.25 + 32.0) / n as f64).min(1.0);
    let width = (share * u64::MAX as f64) as u64;
    let lo = 0u64;
    let mut band = scratch::empty((share * n as f64) as usize + 16);
    visit_bands(items, key, &mut band, lo, width, visit);
    scratch::give(band);
}

/// The bands of [`in_key_order`] from `[lo, lo + width)` on, each twice as wide as the last,
/// gathered in `band`.
fn visit_bands(
    items: &[u32],
    key: impl Fn(u32) -> u64,
    band: &mut Vec<(u64, u32)>,
    mut lo: u64,
    mut width: u64,
    mut visit: impl FnMut(usize) -> bool,
) {
    loop {
        let hi = lo.saturating_add(width);
        let last = hi == u64::MAX;
        band.clear();
        let in_band = items.iter().map(|&i| {
            let k = key(i);
            ((k, i), (k >= lo) & ((k < hi) | last))
        });
        scratch::push_where(band, in_band);
        bucket_sort(band, lo, hi);
        for &(_, i) in band.iter() {
            if !visit(i as usize) {
                return;
            }
        }
        if last {
            return;
        }
        lo = hi;
        width = width.saturating_mul(2);
    }
}

/// Sorts `(key, item)` pairs whose keys are spread uniformly over [lo, hi) in O(n): one counting
/// pass into about n buckets by key, then insertion sort inside each (tiny) bucket.
pub(crate) fn bucket_sort(v: &mut Vec<(u64, u32)>, lo: u64, hi: u64) {
    let n = v.len();
    if n < 32 {
        v.sort_unstable();
        return;
    }
    let span = (hi - lo).max(1) as f64;
    let buckets = n;
    let bucket = |k: u64| (((k - lo) as f64 / span * buckets as f64) as usize).min(buckets - 1);
    let mut start = scratch::filled(buckets + 1, 0u32);
    for &(k, _) in v.iter() {
        start[bucket(k) + 1] += 1;
    }
    for b in 1..=buckets {
        start[b] += start[b - 1];
    }
    let mut out = scratch::filled(n, (0u64, 0u32));
    for &(k, i) in v.iter() {
        let b = bucket(k);
        out[start[b] as usize] = (k, i);
        start[b] += 1;
    }
    // `start[b]` now holds the end of bucket b; insertion sort runs over the whole array, which is
    // already ordered between buckets, so each element moves only within its bucket.
    for j in 1..n {
        let x = out[j];
        let mut k = j;
        while k > 0 && out[k - 1] > x {
            out[k] = out[k - 1];
            k -= 1;
        }
        out[k] = x;
    }
    scratch::give(std::mem::replace(v, out));
    scratch::give(start);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::splitmix;

    fn sorted(mut v: Vec<usize>) -> Vec<usize> {
        v.sort_unstable();
        v
    }

    #[test]
    fn posts_are_the_gap_over_the_mean_saving_of_those_who_save_rounded_up() {
        // Pool members 0..=3 save 100, 200, 300 and 0; person 4 (not in the pool) saves 50.
        let sel = Selection::new(vec![100.0, 200.0, 300.0, 0.0, 50.0], 450.0);
        // Mean over those who save: (100 + 200 + 300) / 3 = 200; 450 / 200 = 2.25 → 3 posts.
        assert_eq!(sel.posts(&[0, 1, 2, 3]), Some(3));
        // Exactly a whole number of posts is not rounded up: 400 / 200 = 2.
        let sel = Selection::new(vec![100.0, 200.0, 300.0, 0.0, 50.0], 400.0);
        assert_eq!(sel.posts(&[0, 1, 2, 3]), Some(2));
        // No one in the pool saves anything: no posts.
        assert_eq!(sel.posts(&[3]), None);
        assert_eq!(sel.posts(&[]), None);
    }

    #[test]
    fn posts_leave_out_those_already_taken() {
        let mut sel = Selection::new(vec![100.0, 200.0, 300.0], 1000.0);
        sel.approve(vec![(7, 2)], 1);
        // Person 2 is taken: the gap is 1000 − 300 = 700 and the mean saving of 0 and 1 is 150;
        // 700 / 150 = 4.67 → 5.
        assert_eq!(sel.gap(), 700.0);
        assert_eq!(sel.posts(&[0, 1, 2]), Some(5));
    }

    #[test]
    fn approval_takes_the_applicants_with_the_smallest_keys() {
        let mut sel = Selection::new(vec![10.0, 20.0, 30.0, 40.0, 50.0], 200.0);
        let keyed = vec![(50, 0), (10, 1), (40, 2), (20, 3), (30, 4)];
        let approved = sel.approve(keyed, 3);
        // Keys 10, 20 and 30 belong to persons 1, 3 and 4.
        let people = sorted(approved.iter().map(|&(_, i)| i as usize).collect());
        assert_eq!(people, vec![1, 3, 4]);
        assert_eq!(sel.gap(), 200.0 - 20.0 - 40.0 - 50.0);
        assert!(sel.is_taken(1) && sel.is_taken(3) && sel.is_taken(4));
        assert!(!sel.is_taken(0) && !sel.is_taken(2));
    }

    #[test]
    fn approval_takes_every_applicant_when_fewer_apply_than_there_are_posts() {
        let mut sel = Selection::new(vec![10.0, 20.0, 30.0], 100.0);
        let approved = sel.approve(vec![(9, 2), (3, 0)], 5);
        assert_eq!(approved.len(), 2);
        assert_eq!(sel.gap(), 60.0);
    }

    #[test]
    fn no_posts_approve_no_one() {
        let mut sel = Selection::new(vec![10.0, 20.0], 100.0);
        assert!(sel.approve(vec![(1, 0), (2, 1)], 0).is_empty());
        assert_eq!(sel.gap(), 100.0);
    }

    #[test]
    fn compulsory_selection_follows_the_keys_until_the_gap_is_closed() {
        // Everyone saves 100; the gap is 250, so three people are needed.
        let mut sel = Selection::new(vec![100.0; 6], 250.0);
        let keys = [60u64, 10, 50, 20, 40, 30];
        let selected = sel.compulsory(&[0, 1, 2, 3, 4, 5], |i| keys[i as usize]);
        // Key order: 1 (10), 3 (20), 5 (30), …; the gap is closed after the third.
        assert_eq!(selected, vec![1, 3, 5]);
        assert_eq!(sel.gap(), -50.0);
    }

    #[test]
    fn vr_then_mars_then_compulsory_rounds_close_the_gap_in_turn() {
        // Six in the pool saving 100, 200, 300, 400, 500, 600; the gap is 1,500.
        let saving = vec![100.0, 200.0, 300.0, 400.0, 500.0, 600.0];
        let pool = [0, 1, 2, 3, 4, 5];
        let mut sel = Selection::new(saving, 1500.0);
        // VR: mean saving 2100 / 6 = 350, 1500 / 350 = 4.29 → 5 posts, but only persons 0 and 5
        // apply: both approved. Gap 1500 − 100 − 600 = 800.
        let vr_posts = sel.posts(&pool).unwrap();
        assert_eq!(vr_posts, 5);
        let vr = sel.approve(vec![(5, 0), (1, 5)], vr_posts);
        assert_eq!(
            sorted(vr.iter().map(|&(_, i)| i as usize).collect()),
            [0, 5]
        );
        assert_eq!(sel.gap(), 800.0);
        // MARS: the untaken 1..=4 save 200..500, mean 350; 800 / 350 = 2.29 → 3 posts. Persons 1,
        // 2, 3 and 4 apply with keys 40, 30, 20, 10: the three smallest are 4, 3 and 2.
        let mars_posts = sel.posts(&pool).unwrap();
        assert_eq!(mars_posts, 3);
        let mars = sel.approve(vec![(40, 1), (30, 2), (20, 3), (10, 4)], mars_posts);
        assert_eq!(
            sorted(mars.iter().map(|&(_, i)| i as usize).collect()),
            [2, 3, 4]
        );
        assert_eq!(sel.gap(), 800.0 - 300.0 - 400.0 - 500.0);
        // The gap is closed: compulsory selection takes no one (person 1 is left in post).
        assert!(sel.compulsory(&pool, u64::from).is_empty());
    }

    #[test]
    fn compulsory_selection_takes_the_rest_of_the_pool_after_the_voluntary_rounds() {
        let mut sel = Selection::new(vec![100.0; 5], 350.0);
        // VR approves person 2 (gap 250); compulsory selection skips them and takes the others
        // in key order until 250 is covered: persons 4 (key 1), 0 (key 2) and 3 (key 3).
        sel.approve(vec![(0, 2)], 1);
        let keys = [2u64, 5, 0, 3, 1];
        assert_eq!(
            sel.compulsory(&[0, 1, 2, 3, 4], |i| keys[i as usize]),
            [4, 0, 3]
        );
    }

    #[test]
    fn bucket_sort_agrees_with_a_plain_sort() {
        for n in [0usize, 1, 5, 31, 32, 33, 100, 1000, 5000] {
            let (lo, hi) = (1u64 << 40, 1u64 << 50);
            let mut v: Vec<(u64, u32)> = (0..n as u32)
                .map(|i| (lo + splitmix(u64::from(i) + 17) % (hi - lo), i))
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            bucket_sort(&mut v, lo, hi);
            assert_eq!(v, want, "n = {n}");
        }
    }

    #[test]
    fn bucket_sort_agrees_with_a_plain_sort_for_clustered_and_repeated_keys() {
        // Keys bunched into a tiny part of the range, with many repeats: buckets are uneven.
        let mut v: Vec<(u64, u32)> = (0..2000u32)
            .map(|i| (splitmix(u64::from(i)) % 7, i))
            .collect();
        let mut want = v.clone();
        want.sort_unstable();
        bucket_sort(&mut v, 0, u64::MAX);
        assert_eq!(v, want);
    }

    #[test]
    fn key_order_visits_every_item_by_ascending_key_across_bands() {
        let items: Vec<u32> = (0..3000).collect();
        let key = |i: u32| splitmix(u64::from(i) ^ 0xABCD);
        let mut want: Vec<(u64, u32)> = items.iter().map(|&i| (key(i), i)).collect();
        want.sort_unstable();
        let mut seen = Vec::new();
        // A guess of 10 visits starts with a narrow band, which doubles many times.
        in_key_order(&items, key, 10, |i| {
            seen.push(i as u32);
            true
        });
        assert_eq!(seen, want.iter().map(|&(_, i)| i).collect::<Vec<_>>());
    }

    #[test]
    fn key_order_stops_when_the_visitor_has_enough() {
        let items: Vec<u32> = (0..500).collect();
        let key = |i: u32| splitmix(u64::from(i));
        let mut want: Vec<(u64, u32)> = items.iter().map(|&i| (key(i), i)).collect();
        want.sort_unstable();
        let mut seen = Vec::new();
        in_key_order(&items, key, 400, |i| {
            seen.push(i as u32);
            seen.len() < 7
        });
        assert_eq!(seen, want[..7].iter().map(|&(_, i)| i).collect::<Vec<_>>());
    }
}
