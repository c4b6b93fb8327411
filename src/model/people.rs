//! One organisation's people in one iteration, and what happens to them without a restructure.
//!
//! [`People`] is the scratch state of an iteration: each person's annual cost, the month their
//! story ends and how it ends ([`Fate`]). The events here come before the restructure and need no
//! target: natural leaving (one geometric draw per person) and function transfers (each person of
//! a transferring function moves with it or is displaced). The restructure ([`super::restructure`])
//! and the accounting ([`super::accounting`]) read and extend the same state.

use super::context::IterationContext;
use super::exit_terms::annual_employer_cost;
use super::scratch;
use super::staff::PreparedOrg;
use crate::rng::{Draw, PersonStream};

/// What every step of one organisation's iteration reads: its staff, the iteration's resolved
/// numbers and the organisation's random streams.
#[derive(Clone, Copy)]
pub(crate) struct OrgRun<'a> {
    /// The organisation's staff.
    pub staff: &'a PreparedOrg,
    /// The iteration's resolved numbers.
    pub cx: &'a IterationContext,
    /// The organisation's per-person draws in this iteration.
    pub rs: PersonStream,
}

/// How a person's story ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// Still in post at the end of the horizon.
    InPost,
    /// Left naturally and not replaced.
    Natural,
    /// Moved with a transferring function.
    Transferred,
    /// Voluntary redundancy.
    Vr,
    /// Mutually agreed resignation.
    Mars,
    /// Compulsory redundancy.
    Cr,
    /// Selected for redundancy but redeployed elsewhere in the system.
    Redeployed,
}

/// The exit month of someone who does not leave.
pub(crate) const NEVER: usize = usize::MAX;

/// Scratch state of one organisation's iteration, one entry per person.
pub(crate) struct People {
    /// Annual employer cost at start-month prices.
    pub cost: Vec<f64>,
    /// Month the person leaves the organisation's run-rate ([`NEVER`] when they stay).
    pub exit: Vec<usize>,
    /// How their story ends.
    pub fate: Vec<Fate>,
    /// Whether they move with their function when it transfers.
    pub mover: Vec<bool>,
    /// Months of notice paid in lieu, for compulsory redundancies.
    pub pilon: Vec<f64>,
    /// Month the organisation became committed to a paid exit or redeployment (VR/MARS approval,
    /// CR notice served, notice served to someone their function leaves behind): when its cost
    /// is accrued ([`NEVER`] for everyone else).
    pub committed: Vec<usize>,
    /// Month the person joins: 0 for staff in post at the start, the arrival month for staff of
    /// a function arriving (transferring in).
    pub arrival: Vec<usize>,
}

impl People {
    /// Everyone in post, at the annual employer cost of their pay.
    pub fn in_post(k: &OrgRun) -> People {
        let (st, on) = (k.staff, &k.cx.oncosts);
        let n = st.len();
        let mut cost = scratch::empty(n);
        match &st.annual_cost {
            Some((fixed, annual)) if fixed == on => cost.extend_from_slice(annual),
            _ => cost.extend(
                (0..n).map(|i| annual_employer_cost(on, st.salary[i], st.fte[i], st.member[i])),
            ),
        }
        People {
            cost,
            exit: scratch::filled(n, NEVER),
            fate: scratch::filled(n, Fate::InPost),
            mover: scratch::filled(n, false),
            pilon: scratch::filled(n, 0.0),
            committed: scratch::filled(n, NEVER),
            arrival: arrivals(k),
        }
    }

    /// Ends person `i`'s story at month `exit`, redeployed or made compulsorily redundant by their
    /// redeployment draw, with `pilon` months of notice paid in lieu if they leave; the
    /// organisation is committed from month `committed` (notice served).
    pub fn redundant(&mut self, i: usize, exit: usize, committed: usize, k: &OrgRun, pilon: f64) {
        self.exit[i] = exit;
        self.committed[i] = committed;
        let redeployed = k.rs.u(i, Draw::Redeploy) < k.cx.restructure.cr.redeploy_share;
        self.fate[i] = if redeployed {
            Fate::Redeployed
        } else {
            Fate::Cr
        };
        self.pilon[i] = if redeployed { 0.0 } else { pilon };
    }
}

impl Drop for People {
    /// Hands the per-person vectors back to this thread's scratch pool for the next organisation.
    fn drop(&mut self) {
        scratch::give_back(&mut self.cost);
        scratch::give_back(&mut self.exit);
        scratch::give_back(&mut self.fate);
        scratch::give_back(&mut self.mover);
        scratch::give_back(&mut self.pilon);
        scratch::give_back(&mut self.committed);
        scratch::give_back(&mut self.arrival);
    }
}

/// The month each person joins: 0, or their function's arrival month.
fn arrivals(k: &OrgRun) -> Vec<usize> {
    let mut out = scratch::filled(k.staff.len(), 0);
    for &i in &k.staff.in_arriving_function {
        let f = &k.cx.functions[k.staff.function[i as usize] as usize];
        out[i as usize] = f.transfer_month.unwrap_or(0);
    }
    out
}

/// One geometric draw per person: the month they would leave (never, when replaced), counted
/// from the month they join.
pub(crate) fn natural_attrition(p: &mut People, cx: &IterationContext, rs: PersonStream) {
    if cx.hazard <= 0.0 {
        return;
    }
    // The table of this hazard and horizon, built once per thread for as long as they last (every
    // organisation of an iteration without inputs of its own shares them).
    LEAVE_TABLE.with(|cell| {
        let mut cached = cell.borrow_mut();
        let fresh = !cached
            .as_ref()
            .is_some_and(|(h, n, _)| *h == cx.hazard.to_bits() && *n == cx.horizon);
        if fresh {
            let search = LeaveSearch::new(survival_table(cx.hazard, cx.horizon));
            *cached = Some((cx.hazard.to_bits(), cx.horizon, search));
        }
        if let Some((_, _, search)) = cached.as_ref() {
            place_leavers(p, cx, rs, search);
        }
    });
}

thread_local! {
    /// The last survival table built on this thread, by the bits of its hazard and its horizon.
    static LEAVE_TABLE: std::cell::RefCell<Option<(u64, usize, LeaveSearch)>> =
        const { std::cell::RefCell::new(None) };
}

/// P(still in post after k months) = (1 − h)^k for k = 1..=horizon. The leaving month of a
/// uniform u is floor(ln u / ln(1 − h)): the largest k with (1 − h)^k ≥ u, the number of entries
/// of this decreasing table at or above u, instead of a logarithm per person.
fn survival_table(hazard: f64, horizon: usize) -> Vec<f64> {
    let log_stay = (1.0 - hazard).ln();
    (1..=horizon).map(|k| (log_stay * k as f64).exp()).collect()
}

/// Each person's leaving draw, then the month of each who leaves within the horizon (staying the
/// whole horizon needs no search at all).
fn place_leavers(p: &mut People, cx: &IterationContext, rs: PersonStream, search: &LeaveSearch) {
    let stays = search.table[cx.horizon - 1];
    let n = p.exit.len();
    let (exit, fate, arrival) = (&mut p.exit[..n], &mut p.fate[..n], &p.arrival[..n]);
    // First every person's draw, keeping those who would leave within the horizon (without a
    // branch on the draw); then the leavers.
    let mut leavers = scratch::empty(n);
    scratch::push_where(
        &mut leavers,
        (0..n).map(|i| {
            let u = rs.u(i, Draw::Leave);
            ((i as u32, u), u > stays)
        }),
    );
    for &(i, u) in &leavers {
        let i = i as usize;
        let k = search.count_at_or_above(u);
        // A replaced leaver's post continues at its cost: modelled as the person staying. The
        // share replaced is the freeze's until it lifts, then `replacement_share_after`.
        let month = k + arrival[i];
        let share = cx.replacement_share_at(month);
        if share <= 0.0 || rs.u(i, Draw::Replace) >= share {
            exit[i] = month;
            fate[i] = Fate::Natural;
        }
    }
    scratch::give(leavers);
}

/// Counts the entries of a decreasing table at or above a value (`partition_point(|s| s >= u)`),
/// starting from a bucket index instead of a binary search: the range of values is cut into
/// [`LeaveSearch::BUCKETS`] equal buckets, each knowing the count at a value at or above every
/// value in it, and the count is finished by stepping forward (rarely more than one step).
struct LeaveSearch {
    table: Vec<f64>,
    lo: f64,
    scale: f64,
    start: Vec<usize>,
}

impl LeaveSearch {
    const BUCKETS: usize = 256;

    fn new(table: Vec<f64>) -> LeaveSearch {
        let lo = table.last().copied().unwrap_or(0.0);
        let scale = Self::BUCKETS as f64 / (1.0 - lo);
        // Bucket b starts from the count at the top of bucket b + 1: a value at or above any u
        // whose bucket rounds to b, so stepping forward from it finds u's count exactly.
        // Tops fall as b falls, so the counts only grow: one merged walk down the buckets.
        let mut start = vec![0; Self::BUCKETS];
        let mut k = 0;
        for b in (0..Self::BUCKETS).rev() {
            let top = (lo + (b + 2) as f64 / scale).min(1.0);
            while k < table.len() && table[k] >= top {
                k += 1;
            }
            start[b] = k;
        }
        LeaveSearch {
            table,
            lo,
            scale,
            start,
        }
    }

    /// The number of entries at or above `u`, for `u` in (the last entry, 1).
    #[inline]
    fn count_at_or_above(&self, u: f64) -> usize {
        let b = (((u - self.lo) * self.scale) as usize).min(Self::BUCKETS - 1);
        let mut k = self.start[b];
        while k < self.table.len() && self.table[k] >= u {
            k += 1;
        }
        k
    }
}

/// A person of a transferring function who does not move with it, and the month it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Displaced {
    /// The person.
    pub person: usize,
    /// Their function's transfer month.
    pub month: usize,
}

/// Marks movers and transfers those still in post at the transfer month; returns the displaced
/// (non-movers of a transferring function) with their function's transfer month, in person order.
pub(crate) fn transfers(p: &mut People, k: &OrgRun) -> Vec<Displaced> {
    // At most everyone in a transferring function: one allocation, not one per doubling.
    let mut displaced = Vec::with_capacity(k.staff.in_transferring_function.len());
    for &i in &k.staff.in_transferring_function {
        let i = i as usize;
        let f = &k.cx.functions[k.staff.function[i] as usize];
        let Some(t) = f.transfer_month else {
            continue;
        };
        if k.rs.u(i, Draw::Move) < f.share_moving {
            p.mover[i] = true;
            if t < p.exit[i] {
                p.exit[i] = t;
                p.fate[i] = Fate::Transferred;
            }
        } else {
            displaced.push(Displaced {
                person: i,
                month: t,
            });
        }
    }
    displaced
}

/// Staff whose function left without them are made redundant when it goes (consultation and
/// notice served beforehand, so the organisation is committed a notice period before the
/// transfer), unless something else happened first.
pub(crate) fn displaced_leave(p: &mut People, k: &OrgRun, displaced: &[Displaced]) {
    for d in displaced {
        if d.month < p.exit[d.person] {
            let notice = k.cx.restructure.cr.notice_months[k.staff.band[d.person]];
            let committed = d.month.saturating_sub(notice.round().max(0.0) as usize);
            p.redundant(d.person, d.month, committed, k, 0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::context::tests::context;
    use crate::rng::{hash_str, iteration_key};

    fn people(n: usize) -> People {
        People {
            cost: vec![1.0; n],
            exit: vec![NEVER; n],
            fate: vec![Fate::InPost; n],
            mover: vec![false; n],
            pilon: vec![0.0; n],
            committed: vec![NEVER; n],
            arrival: vec![0; n],
        }
    }

    #[test]
    fn natural_leaving_months_are_geometric_with_the_annual_rate() {
        let n = 200_000;
        let cx = context(0.1, 24);
        let mut p = people(n);
        natural_attrition(
            &mut p,
            &cx,
            PersonStream::new(iteration_key(5, 0), hash_str("x")),
        );
        let share = |pred: &dyn Fn(usize) -> bool| {
            p.exit.iter().filter(|&&m| pred(m)).count() as f64 / n as f64
        };
        // Within a year: the annual rate, 0.1; SE √(0.09/n) = 0.00067, allow 4.
        assert!((share(&|m| m < 12) - 0.1).abs() < 0.0027);
        // Within two years: 1 − 0.9² = 0.19; SE √(0.19·0.81/n) = 0.00088.
        assert!((share(&|m| m < 24) - 0.19).abs() < 0.0036);
        // The first month: the monthly hazard h = 1 − 0.9^(1/12) = 0.008742; SE 0.00021.
        assert!((share(&|m| m == 0) - cx.hazard).abs() < 0.00084);
        assert!(p.exit.iter().all(|&m| m == NEVER || m < 24));
    }

    #[test]
    fn the_bucketed_search_counts_like_a_binary_search() {
        // A monthly survival table and values across its range, including each entry exactly,
        // its neighbours and values packed between two entries.
        for h in [0.002, 0.05, 0.3] {
            let table: Vec<f64> = (1..=48).map(|k| (1.0f64 - h).powi(k)).collect();
            let search = LeaveSearch::new(table.clone());
            let last = table[47];
            let mut us: Vec<f64> = (1..10_000)
                .map(|j| last + (1.0 - last) * j as f64 / 10_000.0)
                .collect();
            for &s in &table[..47] {
                us.extend([s, s.next_up(), s.next_down()]);
            }
            us.push(1.0f64.next_down());
            for u in us.into_iter().filter(|&u| u > last && u < 1.0) {
                assert_eq!(
                    search.count_at_or_above(u),
                    table.partition_point(|&s| s >= u),
                    "h {h}, u {u}"
                );
            }
        }
    }

    #[test]
    fn leavers_after_the_freeze_lifts_are_replaced() {
        // Under a freeze that lifts in month 12 with every later leaver replaced, exactly the
        // people who would leave in months 0–11 under a permanent freeze leave (the same draws),
        // and no one later.
        let n = 5_000;
        let rs = PersonStream::new(iteration_key(8, 2), hash_str("f"));
        let mut frozen = people(n);
        natural_attrition(&mut frozen, &context(0.2, 36), rs);
        let mut cx = context(0.2, 36);
        cx.freeze_lifts = Some((12, 1.0));
        let mut lifted = people(n);
        natural_attrition(&mut lifted, &cx, rs);
        for i in 0..n {
            let want = if frozen.exit[i] < 12 {
                frozen.exit[i]
            } else {
                NEVER
            };
            assert_eq!(lifted.exit[i], want, "person {i}");
        }
        assert!(frozen.exit.iter().any(|&m| (12..36).contains(&m)));
        // With half replaced after the lift, a later leaver goes by their replacement draw.
        cx.freeze_lifts = Some((12, 0.5));
        let mut half = people(n);
        natural_attrition(&mut half, &cx, rs);
        for i in 0..n {
            let later = frozen.exit[i] >= 12 && frozen.exit[i] != NEVER;
            let replaced = rs.u(i, Draw::Replace) < 0.5;
            let want = if later && replaced {
                NEVER
            } else {
                frozen.exit[i]
            };
            assert_eq!(half.exit[i], want, "person {i}");
        }
    }

    #[test]
    fn displaced_staff_leave_when_their_function_goes_unless_they_left_first() {
        let cx = context(0.0, 24);
        let st = crate::model::staff::tests::staff(&[30_000.0; 3]);
        let k = OrgRun {
            staff: &st,
            cx: &cx,
            rs: PersonStream::new(iteration_key(1, 0), hash_str("d")),
        };
        let mut p = people(3);
        p.exit[1] = 4;
        p.fate[1] = Fate::Natural;
        let displaced = [
            Displaced {
                person: 0,
                month: 6,
            },
            Displaced {
                person: 1,
                month: 6,
            },
        ];
        displaced_leave(&mut p, &k, &displaced);
        // No one is redeployed in this context (redeploy share 0), and no notice is paid in lieu.
        assert_eq!((p.exit[0], p.fate[0], p.pilon[0]), (6, Fate::Cr, 0.0));
        assert_eq!((p.exit[1], p.fate[1]), (4, Fate::Natural));
        assert_eq!((p.exit[2], p.fate[2]), (NEVER, Fate::InPost));
    }
}
