//! The restructure: at the VR window and at each further wave's window, the pay gap to the target
//! and the VR, MARS and CR rounds that close it.
//!
//! At a window each person still in post is projected to the deadline (expected attrition
//! credited when the scenario says so, at the share of leavers replaced before and after the
//! freeze lifts; movers and displaced staff as their transfers decide; people already leaving from
//! an earlier window as gone), which gives what each would save by leaving and the gap between the
//! projected pay bill and the pay budget. Then VR, MARS and CR run in that order, each only while
//! a gap remains. A wave re-plans the same way on the state the earlier windows actually left:
//! realised exits, natural leavers gone by then, transfers and exits that slipped past the horizon.
//! Who applies and when they leave is decided here, from the iteration's resolved terms and each
//! person's draws; who is approved or selected is decided by the rules of [`super::selection`].

use super::context::RestructureTerms;
use super::people::{Displaced, Fate, OrgRun, People, NEVER};
use super::scratch;
use super::selection::Selection;
use crate::rng::{Draw, PersonStream};

/// The restructure: the VR window (VR, then MARS, then CR, until the pay gap to the target is
/// closed), then each further wave in turn on the gap left. `pay_allowance` is the pay the target
/// leaves room for, at start-month prices, in the tightest month it must hold (£ a year).
pub(crate) fn restructure(p: &mut People, k: &OrgRun, pay_allowance: f64, displaced: &[Displaced]) {
    restructure_in(p, k, pay_allowance, displaced, 0..usize::MAX);
}

/// [`restructure`] at the windows (the VR window and the further waves) whose month falls in
/// `months`: a merger's members run those before the merger month alone, its successor those from
/// it (`docs/model.md` §2.4a).
pub(crate) fn restructure_in(
    p: &mut People,
    k: &OrgRun,
    pay_allowance: f64,
    displaced: &[Displaced],
    months: std::ops::Range<usize>,
) {
    let r = &k.cx.restructure;
    if months.contains(&r.window) {
        let first = Window {
            month: r.window,
            vr: r.vr.enabled.then_some((r.vr.uptake, r.vr.lag)),
            mars: r.mars.enabled,
            cr: r.cr.enabled,
            rs: k.rs,
        };
        first.run(p, k, pay_allowance, displaced);
    }
    for (n, w) in r.waves.iter().enumerate() {
        if !months.contains(&w.window) {
            continue;
        }
        let wave = Window {
            month: w.window,
            vr: Some((w.uptake, w.lag)),
            mars: w.mars,
            cr: w.cr,
            // Fresh application and priority draws for each wave (the VR window keeps the
            // organisation's own stream, so a scenario without waves draws as before).
            rs: k.rs.derive(n as u64 + 1),
        };
        wave.run(p, k, pay_allowance, displaced);
    }
}

/// Whether any window of `r` (the VR window or a further wave) falls in `months`.
pub(crate) fn any_window_in(r: &RestructureTerms, months: &std::ops::Range<usize>) -> bool {
    months.contains(&r.window) || r.waves.iter().any(|w| months.contains(&w.window))
}

/// One restructure window: its month, which rounds run and the stream its applications and
/// priority orders are drawn from.
#[derive(Clone, Copy)]
struct Window {
    /// The decision month.
    month: usize,
    /// VR uptake and lag (window → exit), when a VR round runs.
    vr: Option<(f64, usize)>,
    /// Whether a MARS round runs (on the scenario's MARS terms).
    mars: bool,
    /// Whether CR fills what the voluntary rounds leave.
    cr: bool,
    /// Draws for applying and for priority orders.
    rs: PersonStream,
}

impl Window {
    /// Plans on the state `p` at this window and runs the rounds until the gap is closed.
    fn run(&self, p: &mut People, k: &OrgRun, pay_allowance: f64, displaced: &[Displaced]) {
        let r = &k.cx.restructure;
        let mut projection = Projection::new(p, k, displaced, self.month);
        let gap = projection.projected - pay_allowance * (1.0 - r.planning_margin);
        if gap <= 0.0 {
            return;
        }
        let mut rounds = Rounds {
            k: *k,
            w: *self,
            sel: Selection::new(std::mem::take(&mut projection.saving), gap),
            pool: std::mem::take(&mut projection.pool),
            displaced_at: std::mem::take(&mut projection.displaced_at),
        };
        if let Some((uptake, lag)) = self.vr {
            let applicants = rounds.vr_applicants(uptake);
            let round = Round {
                lag,
                order: Draw::VrOrder,
                fate: Fate::Vr,
            };
            rounds.voluntary(p, &applicants, round);
            scratch::give(applicants);
        }
        if self.mars && rounds.sel.gap() > 0.0 {
            let applicants = rounds.mars_applicants();
            let round = Round {
                lag: r.mars.lag,
                order: Draw::MarsOrder,
                fate: Fate::Mars,
            };
            rounds.voluntary(p, &applicants, round);
            scratch::give(applicants);
        }
        if self.cr && rounds.sel.gap() > 0.0 {
            rounds.compulsory(p, self.consultation_start(r));
        }
    }

    /// The month CR consultation starts: at the window (`cr.timing = "parallel"`), or
    /// (`"after_vr"`) when the voluntary rounds run at this window have realised their outcome —
    /// the month their approved leavers go, the window plus the longer of the VR and MARS lags —
    /// so no compulsory redundancy exits anyone before the voluntary leavers go.
    fn consultation_start(&self, r: &RestructureTerms) -> usize {
        if !r.cr.after_vr {
            return self.month;
        }
        let vr = self.vr.map_or(0, |(_, lag)| lag);
        let mars = if self.mars { r.mars.lag } else { 0 };
        self.month + vr.max(mars)
    }
}

/// Everyone still in post at a window, projected to the deadline.
struct Projection {
    /// What each person would save at the deadline by leaving at the window (£ a year): their
    /// cost × the share of them expected still to count then.
    saving: Vec<f64>,
    /// The projected pay bill at the deadline (£ a year, start-month prices).
    projected: f64,
    /// Who may be selected: in post at the window, not moving with a function, in scope, not
    /// already leaving from an earlier window.
    pool: Vec<u32>,
    /// The month each person's function goes without them ([`NEVER`] when it does not).
    displaced_at: Vec<usize>,
}

impl Projection {
    fn new(p: &People, k: &OrgRun, displaced: &[Displaced], w: usize) -> Projection {
        let (cx, r) = (k.cx, &k.cx.restructure);
        let d = cx.deadline;
        let (survive, survive_until) = expected_survival(k, w);
        let n = p.cost.len();
        let mut displaced_at = scratch::filled(n, NEVER);
        for x in displaced {
            displaced_at[x.person] = x.month;
        }
        // Per function, once per window: the share of a transferred person's cost still counted
        // (on the system basis), and what a mover to a function gone by the deadline keeps.
        let gone_keep: Vec<f64> = cx
            .functions
            .iter()
            .map(|f| {
                if r.counts_transfers {
                    0.0
                } else {
                    1.0 - f.allocation_share
                }
            })
            .collect();
        // What a mover to a function transferred by the deadline keeps, and whether it has one.
        let mut mover_keep = scratch::empty(cx.functions.len());
        let mut mover_kept = scratch::empty(cx.functions.len());
        for (f, &until) in cx.functions.iter().zip(&survive_until) {
            let keep = match f.transfer_month {
                Some(t) if t <= d && r.counts_transfers => Some(0.0),
                // Less the share that moves with its budget (it leaves the target too).
                Some(t) if t <= d => Some(until * (1.0 - f.allocation_share)),
                _ => None,
            };
            mover_keep.push(keep.unwrap_or(0.0));
            mover_kept.push(keep.is_some());
        }
        let mut saving = scratch::filled(n, 0.0);
        let mut projected = 0.0;
        // The same length for every column, so the listing below indexes without bounds checks.
        let (function, in_scope) = (&k.staff.function[..n], &k.staff.in_scope[..n]);
        let (cost, exit, fate) = (&p.cost[..n], &p.exit[..n], &p.fate[..n]);
        let (mover, arrival, displaced_at_) = (&p.mover[..n], &p.arrival[..n], &displaced_at[..n]);
        // Who counts at all, in person order: everyone still in post at the window (or leaving
        // later), and, on the system basis, those gone with a transferred function. Who has
        // gone by the window is random from one person to the next, so they are listed without
        // a branch, and the loop below skips no one on a coin toss.
        let system_basis = !r.counts_transfers;
        let mut counted = scratch::empty(n);
        scratch::push_where(
            &mut counted,
            (0..n).map(|i| {
                let gone_with_function = system_basis & (fate[i] == Fate::Transferred);
                (i as u32, (exit[i] > w) | gone_with_function)
            }),
        );
        // Each person counted adds their term to `projected`, in person order; those who may be
        // asked to go join the pool without a branch (`push_where`).
        let mut pool = scratch::empty(counted.len());
        let one = |b: bool| f64::from(u8::from(b));
        let candidates = counted.iter().map(|&i| {
            let i = i as usize;
            let f = function[i] as usize;
            if exit[i] <= w {
                // Gone before the window with a function already transferred out, which still
                // counts against a target measured on the system run-rate.
                projected += cost[i] * gone_keep[f];
                return (i as u32, false);
            }
            if matches!(fate[i], Fate::Vr | Fate::Mars | Fate::Cr | Fate::Redeployed) {
                // Leaving from an earlier window: not selected again, and counted only if their
                // exit falls after the deadline.
                if exit[i] > d {
                    projected += cost[i] * survive;
                }
                return (i as u32, false);
            }
            // Movers stay in the system run-rate at full cost (the receiving body replaces
            // leavers); displaced staff leave when their function goes; on the own basis, staff
            // not yet arrived by the deadline do not count. Which applies is again random by
            // person: each is a 0-or-1 factor (every value is finite and not negative, so × 1
            // and + 0 change nothing), not a branch.
            let kept_as_mover = mover[i] & mover_kept[f];
            let zeroed = (displaced_at_[i] <= d) | (r.counts_transfers & (arrival[i] > d));
            let other = survive * one(!zeroed);
            let keep = mover_keep[f] * one(kept_as_mover) + other * one(!kept_as_mover);
            let s = cost[i] * keep;
            saving[i] = s;
            projected += s;
            // Pay the target does not count (programme-funded under a share target: cost 0)
            // saves nothing, so its holders are not in the pool; staff of a function still to
            // arrive cannot be asked to go.
            let pooled = !mover[i] & in_scope[i] & (cost[i] > 0.0) & (arrival[i] <= w);
            (i as u32, pooled)
        });
        scratch::push_where(&mut pool, candidates);
        scratch::give(counted);
        scratch::give(mover_keep);
        scratch::give(mover_kept);
        Projection {
            saving,
            projected,
            pool,
            displaced_at,
        }
    }
}

impl Drop for Projection {
    /// Hands what the rounds did not take back to this thread's scratch pool.
    fn drop(&mut self) {
        scratch::give_back(&mut self.saving);
        scratch::give_back(&mut self.pool);
        scratch::give_back(&mut self.displaced_at);
    }
}

/// Expected share of today's staff still in post at the deadline, and at each function's transfer
/// month (the deadline's share for a function that does not transfer), counted from window `w`:
/// `(1 − h × (1 − s))^frozen × (1 − h × (1 − s_after))^lifted` when expected attrition is
/// credited (else 1), where h is the monthly hazard, `frozen` the months from the window before
/// the freeze lifts (replacement share s) and `lifted` the months from then on
/// (`replacement_share_after`).
fn expected_survival(k: &OrgRun, w: usize) -> (f64, Vec<f64>) {
    let (cx, r) = (k.cx, &k.cx.restructure);
    let stay = |share: f64| 1.0 - cx.hazard * (1.0 - share);
    let (lift, after) = cx
        .freeze_lifts
        .unwrap_or((usize::MAX, cx.replacement_share));
    let (stay_frozen, stay_lifted) = (stay(cx.replacement_share), stay(after));
    let survive_to = |m: usize| {
        if r.credit_expected {
            let frozen = m.min(lift).saturating_sub(w);
            let lifted = m.saturating_sub(w.max(lift));
            stay_frozen.powf(frozen as f64) * stay_lifted.powf(lifted as f64)
        } else {
            1.0
        }
    };
    let survive = survive_to(cx.deadline);
    let until = cx
        .functions
        .iter()
        .map(|f| f.transfer_month.map_or(survive, survive_to))
        .collect();
    (survive, until)
}

/// One voluntary round: how long after the window its leavers go, the draw that orders its
/// applicants, and how their story ends.
#[derive(Debug, Clone, Copy)]
struct Round {
    /// Months from the window to the exit of an approved applicant.
    lag: usize,
    /// The draw that orders applicants.
    order: Draw,
    /// How an approved applicant's story ends.
    fate: Fate,
}

/// The rounds' shared state: the organisation, the window, the selection so far and the pool.
struct Rounds<'a> {
    k: OrgRun<'a>,
    w: Window,
    sel: Selection,
    pool: Vec<u32>,
    displaced_at: Vec<usize>,
}

impl Drop for Rounds<'_> {
    /// Hands the pool and the displacement months back to this thread's scratch pool.
    fn drop(&mut self) {
        scratch::give_back(&mut self.pool);
        scratch::give_back(&mut self.displaced_at);
    }
}

impl Rounds<'_> {
    /// Pool members who apply for VR with probability `uptake`. P(apply) =
    /// 1 / (1 + e^(−logit(uptake) − tilt)): the uptake's log-odds shifted by a tilt linear in
    /// service and age.
    fn vr_applicants(&self, uptake: f64) -> Vec<u32> {
        let (vr, rs, st) = (&self.k.cx.restructure.vr, self.w.rs, self.k.staff);
        let draw = |i: u32| rs.u(i as usize, Draw::VrApply);
        let mut out = scratch::empty(self.pool.len());
        if vr.service_tilt == 0.0 && vr.age_tilt == 0.0 || uptake <= 0.0 || uptake >= 1.0 {
            scratch::push_where(&mut out, self.pool.iter().map(|&i| (i, draw(i) < uptake)));
            return out;
        }
        let odds_against = (1.0 - uptake) / uptake;
        let applies = |i: u32, factor: f64| draw(i) * (1.0 + odds_against * factor) < 1.0;
        // The factors are per-person constants when the tilts are fixed inputs (the usual case).
        match &st.vr_odds_factor {
            Some(factors) => {
                let applying = self
                    .pool
                    .iter()
                    .map(|&i| (i, applies(i, factors[i as usize])));
                scratch::push_where(&mut out, applying);
            }
            None => {
                let applying = self.pool.iter().map(|&i| {
                    let factor = st.vr_odds_factor(i as usize, vr.service_tilt, vr.age_tilt);
                    (i, applies(i, factor))
                });
                scratch::push_where(&mut out, applying);
            }
        }
        out
    }

    /// Pool members not taken by VR who apply for MARS.
    fn mars_applicants(&self) -> Vec<u32> {
        let (uptake, rs) = (self.k.cx.restructure.mars.uptake, self.w.rs);
        let mut out = scratch::empty(self.pool.len());
        let applying = self.pool.iter().map(|&i| {
            let applies = rs.u(i as usize, Draw::MarsApply) < uptake;
            (i, applies & !self.sel.is_taken(i as usize))
        });
        scratch::push_where(&mut out, applying);
        out
    }

    /// Approves applicants in random priority order, as many posts as the gap needs.
    ///
    /// The number of posts is fixed before looking at who applied (see [`Selection::posts`]) and
    /// the first applicants in priority order get them. People who would leave anyway before the
    /// exit date (naturally, with a transfer, or because their function goes) do not apply. So a
    /// variant with higher uptake (a superset of applicants under common random numbers) never
    /// approves fewer exits.
    fn voluntary(&mut self, p: &mut People, applicants: &[u32], round: Round) {
        let approved = self.w.month;
        let exit = approved + round.lag;
        if exit >= self.k.cx.horizon || self.sel.gap() <= 0.0 {
            return;
        }
        let Some(posts) = self.sel.posts(&self.pool) else {
            return;
        };
        let rs = self.w.rs;
        let mut eligible = scratch::empty(applicants.len());
        let staying = applicants.iter().map(|&i| {
            let j = i as usize;
            let stays = (p.exit[j] > exit) & (self.displaced_at[j] > exit);
            ((0, i), stays & !self.sel.is_taken(j))
        });
        scratch::push_where(&mut eligible, staying);
        for (key, i) in eligible.iter_mut() {
            *key = rs.bits(*i as usize, round.order);
        }
        let approved_pairs = self.sel.approve(eligible, posts);
        for &(_, i) in &approved_pairs {
            p.exit[i as usize] = exit;
            p.fate[i as usize] = round.fate;
            p.committed[i as usize] = approved;
        }
        scratch::give(approved_pairs);
    }

    /// Selects compulsory redundancies at random from the rest of the pool until the gap is
    /// closed; consultation starts in month `start`, and they leave after it (and notice, unless
    /// it is paid in lieu), or are redeployed. The organisation is committed (notice served) at
    /// the end of consultation.
    fn compulsory(&mut self, p: &mut People, start: usize) {
        let (k, cr, rs) = (self.k, &self.k.cx.restructure.cr, self.w.rs);
        let selected = self
            .sel
            .compulsory(&self.pool, |i| rs.bits(i as usize, Draw::CrOrder));
        // Collective consultation minimums: 45 days for 100+ proposed redundancies, 30 for 20–99.
        let statutory = match selected.len() {
            100.. => 45.0,
            20..=99 => 30.0,
            _ => 0.0,
        };
        let days = cr.consultation_days.max(statutory);
        let notice_served = start + (days / 30.4375).ceil() as usize;
        for i in selected {
            let notice = cr.notice_months[k.staff.band[i]];
            let (exit, pilon) = if cr.pilon {
                (notice_served, notice)
            } else {
                (notice_served + notice.round() as usize, 0.0)
            };
            if exit < p.exit[i] && exit < k.cx.horizon {
                p.redundant(i, exit, notice_served, &k, pilon);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::context::tests::context;
    use crate::model::context::IterationContext;
    use crate::model::staff::tests::staff;
    use crate::model::staff::PreparedOrg;
    use crate::rng::{hash_str, iteration_key, PersonStream};

    fn everyone_in_post(st: &PreparedOrg, cx: &IterationContext, rs: PersonStream) -> People {
        People::in_post(&OrgRun { staff: st, cx, rs })
    }

    /// The persons of `pool` in order of their `draw` keys.
    fn by_key(rs: PersonStream, draw: Draw, pool: impl Iterator<Item = usize>) -> Vec<usize> {
        let mut keyed: Vec<(u64, usize)> = pool.map(|i| (rs.bits(i, draw), i)).collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, i)| i).collect()
    }

    fn with_fate(p: &People, fate: Fate) -> Vec<usize> {
        (0..p.fate.len()).filter(|&i| p.fate[i] == fate).collect()
    }

    #[test]
    fn vr_takes_the_posts_the_gap_needs_in_priority_order_then_cr_closes_the_rest() {
        // Ten people each costing the same c; a pay budget of 6.5c leaves a gap of 3.5c.
        let st = staff(&[30_000.0; 10]);
        let mut cx = context(0.0, 24);
        cx.restructure.window = 2;
        cx.restructure.vr = crate::model::context::VrTerms {
            enabled: true,
            uptake: 0.5,
            service_tilt: 0.0,
            age_tilt: 0.0,
            lag: 1,
        };
        cx.restructure.cr.enabled = true;
        cx.restructure.cr.consultation_days = 30.0;
        let rs = PersonStream::new(iteration_key(11, 3), hash_str("org"));
        let k = OrgRun {
            staff: &st,
            cx: &cx,
            rs,
        };
        let mut p = everyone_in_post(&st, &cx, rs);
        let c = p.cost[0];
        restructure(&mut p, &k, 6.5 * c, &[]);
        // Posts: 3.5c / c → 4. Applicants are those whose VrApply draw is under one half; the four
        // with the smallest VrOrder keys are approved (all, if fewer apply).
        let applicants: Vec<usize> = (0..10).filter(|&i| rs.u(i, Draw::VrApply) < 0.5).collect();
        let mut vr = by_key(rs, Draw::VrOrder, applicants.into_iter());
        vr.truncate(4);
        assert_eq!(with_fate(&p, Fate::Vr), {
            let mut v = vr.clone();
            v.sort_unstable();
            v
        });
        assert!(vr.iter().all(|&i| p.exit[i] == 3));
        // CR takes the rest, in CrOrder key order, until 3.5c is covered: 4 − |VR| more people,
        // leaving after one month's consultation (30 days); none redeployed (share 0).
        let rest = by_key(rs, Draw::CrOrder, (0..10).filter(|i| !vr.contains(i)));
        let mut cr: Vec<usize> = rest[..4 - vr.len()].to_vec();
        cr.sort_unstable();
        assert_eq!(with_fate(&p, Fate::Cr), cr);
        assert!(cr.iter().all(|&i| p.exit[i] == 3 && p.pilon[i] == 1.0));
    }

    #[test]
    fn mars_takes_the_posts_the_gap_needs_and_no_one_leaves_without_a_gap() {
        let st = staff(&[40_000.0; 8]);
        let mut cx = context(0.0, 24);
        cx.restructure.mars = crate::model::context::MarsTerms {
            enabled: true,
            uptake: 1.0,
            lag: 2,
        };
        let rs = PersonStream::new(iteration_key(2, 9), hash_str("m"));
        let k = OrgRun {
            staff: &st,
            cx: &cx,
            rs,
        };
        let mut p = everyone_in_post(&st, &cx, rs);
        let c = p.cost[0];
        // A budget of 8c: no gap, no one leaves.
        restructure(&mut p, &k, 8.0 * c, &[]);
        assert!(p.fate.iter().all(|&f| f == Fate::InPost));
        // A budget of 5.5c: a gap of 2.5c, three posts; everyone applies for MARS, and the three
        // with the smallest MarsOrder keys leave two months after the window.
        restructure(&mut p, &k, 5.5 * c, &[]);
        let mut mars = by_key(rs, Draw::MarsOrder, 0..8);
        mars.truncate(3);
        mars.sort_unstable();
        assert_eq!(with_fate(&p, Fate::Mars), mars);
        assert!(mars.iter().all(|&i| p.exit[i] == 2));
    }

    #[test]
    fn cr_after_vr_starts_consultation_when_the_vr_leavers_go() {
        // The first test's organisation (uptake 0.1), with CR following the VR outcome: consultation starts in
        // the VR exit month (window 2 + lag 1 = 3), notice is served a month later (30 days) and,
        // paid in lieu, the CR leavers go then: month 4, after every VR leaver (month 3).
        let st = staff(&[30_000.0; 10]);
        let mut cx = context(0.0, 24);
        cx.restructure.window = 2;
        cx.restructure.vr = crate::model::context::VrTerms {
            enabled: true,
            uptake: 0.1,
            service_tilt: 0.0,
            age_tilt: 0.0,
            lag: 1,
        };
        cx.restructure.cr.enabled = true;
        cx.restructure.cr.consultation_days = 30.0;
        cx.restructure.cr.after_vr = true;
        let rs = PersonStream::new(iteration_key(11, 3), hash_str("org"));
        let k = OrgRun {
            staff: &st,
            cx: &cx,
            rs,
        };
        let mut p = everyone_in_post(&st, &cx, rs);
        let c = p.cost[0];
        restructure(&mut p, &k, 6.5 * c, &[]);
        let (vr, cr) = (with_fate(&p, Fate::Vr), with_fate(&p, Fate::Cr));
        assert_eq!(vr.len() + cr.len(), 4);
        assert!(!vr.is_empty() && !cr.is_empty(), "both rounds take someone");
        assert!(vr.iter().all(|&i| p.exit[i] == 3 && p.committed[i] == 2));
        assert!(cr.iter().all(|&i| p.exit[i] == 4 && p.committed[i] == 4));
    }

    #[test]
    fn a_wave_plans_on_the_gap_left_and_does_not_reselect_those_already_leaving() {
        // Ten people costing c, a budget of 6.5c: a gap of 3.5c, four posts. The VR window
        // (month 2) approves four with a lag of 5, so they are still in post at the wave's window
        // (month 3) but already leaving: the wave sees 6c ≤ 6.5c, no gap, and no one else goes.
        let st = staff(&[30_000.0; 10]);
        let mut cx = context(0.0, 24);
        cx.restructure.window = 2;
        cx.restructure.vr = crate::model::context::VrTerms {
            enabled: true,
            uptake: 1.0,
            service_tilt: 0.0,
            age_tilt: 0.0,
            lag: 5,
        };
        let wave = crate::model::context::WaveTerms {
            window: 3,
            uptake: 1.0,
            lag: 1,
            mars: false,
            cr: false,
        };
        cx.restructure.waves = vec![wave];
        let rs = PersonStream::new(iteration_key(4, 1), hash_str("w"));
        let k = OrgRun {
            staff: &st,
            cx: &cx,
            rs,
        };
        let mut p = everyone_in_post(&st, &cx, rs);
        let c = p.cost[0];
        restructure(&mut p, &k, 6.5 * c, &[]);
        let vr = with_fate(&p, Fate::Vr);
        assert_eq!(vr.len(), 4);
        assert!(vr.iter().all(|&i| p.exit[i] == 7 && p.committed[i] == 2));

        // With no first-window uptake the wave closes the whole gap: the four smallest keys of the
        // wave's own stream leave at month 3 + 1.
        cx.restructure.vr.uptake = 0.0;
        let k = OrgRun {
            staff: &st,
            cx: &cx,
            rs,
        };
        let mut p = everyone_in_post(&st, &cx, rs);
        restructure(&mut p, &k, 6.5 * c, &[]);
        let mut want = by_key(rs.derive(1), Draw::VrOrder, 0..10);
        want.truncate(4);
        want.sort_unstable();
        assert_eq!(with_fate(&p, Fate::Vr), want);
        assert!(want.iter().all(|&i| p.exit[i] == 4 && p.committed[i] == 3));
    }

    #[test]
    fn expected_attrition_is_credited_only_until_the_freeze_lifts() {
        let st = staff(&[30_000.0]);
        let mut cx = context(0.12, 24);
        cx.restructure.window = 3;
        cx.restructure.credit_expected = true;
        cx.deadline = 15;
        // The freeze lifts in month 9 and every leaver is then replaced: six frozen months of the
        // twelve, (1 − h)^6 = (1 − 0.12)^(1/2).
        cx.freeze_lifts = Some((9, 1.0));
        let k = OrgRun {
            staff: &st,
            cx: &cx,
            rs: PersonStream::new(1, 2),
        };
        let (survive, _) = expected_survival(&k, 3);
        assert!((survive - 0.88f64.sqrt()).abs() < 1e-12);
        // Half of the later leavers replaced: × (1 − h/2)^6 for the six months from the lift.
        let h = cx.hazard;
        cx.freeze_lifts = Some((9, 0.5));
        let k = OrgRun {
            staff: &st,
            cx: &cx,
            rs: PersonStream::new(1, 2),
        };
        let (survive, _) = expected_survival(&k, 3);
        let want = 0.88f64.sqrt() * (1.0 - h / 2.0).powi(6);
        assert!((survive - want).abs() < 1e-12);
        // A wave planning after the lift credits no attrition at all when everyone is replaced.
        cx.freeze_lifts = Some((9, 1.0));
        let k = OrgRun {
            staff: &st,
            cx: &cx,
            rs: PersonStream::new(1, 2),
        };
        assert_eq!(expected_survival(&k, 10).0, 1.0);
    }

    #[test]
    fn expected_attrition_is_credited_from_the_window_to_the_deadline() {
        let st = staff(&[30_000.0]);
        let mut cx = context(0.12, 24);
        cx.restructure.window = 3;
        cx.restructure.credit_expected = true;
        cx.deadline = 15;
        let k = OrgRun {
            staff: &st,
            cx: &cx,
            rs: PersonStream::new(1, 2),
        };
        let (survive, until) = expected_survival(&k, cx.restructure.window);
        // Twelve months at the monthly hazard h: (1 − h)^12 = 1 − 0.12.
        assert!((survive - 0.88).abs() < 1e-12);
        assert_eq!(until, vec![survive]);
    }
}
