//! One iteration of a statutory merger: its members up to the merger month, their successor
//! from it (`docs/model.md` §2.4a, "Clusters and statutory mergers").
//!
//! Each member's people go through natural leaving and transfers as in a standalone organisation
//! (their own inputs and random streams). Leadership posts duplicated across the members are
//! deleted once, at clustering or at the merger: in each duplicated band the member with the most
//! staff in post then keeps its complement (the first listed on a tie), and the others' posts go
//! as compulsory redundancies (or redeployments) on the normal terms, notice served before, like
//! staff left behind by a transfer. Each restructure window (the VR window, each further wave)
//! that falls before the merger is each member's own, for its own target; every window on or after
//! the merger is the successor's, and plans for the whole successor (one pool, one target: the
//! members' summed or its own envelope).
//! Then each member's paths are split at the merger month: the member's row keeps the months
//! before it, the successor's row the months from it, and the counts and exit costs of the people
//! still employed at the merger move with them to the successor.

use super::accounting::{accumulate_split, exclude_uncounted_pay, moved_budget, Handed};
use super::context::{IterationContext, NonpayPath, OrgTerms};
use super::iteration::{baseline, pay_allowance};
use super::people::{displaced_leave, natural_attrition, transfers, Displaced, OrgRun, People};
use super::phase::{self, Phase};
use super::restructure::{any_window_in, restructure_in};
use super::results::OrgPaths;
use super::scratch;
use super::staff::PreparedOrg;
use crate::rng::PersonStream;

/// One member of a merger in one iteration.
#[derive(Clone, Copy)]
pub struct MemberRun<'a> {
    /// Its staff.
    pub staff: &'a PreparedOrg,
    /// Its resolved inputs (its own where it sets any).
    pub cx: &'a IterationContext,
    /// Its own numbers (non-pay, target, funding).
    pub org: &'a OrgTerms,
    /// Its per-person draws.
    pub rs: PersonStream,
}

/// A merger's numbers in one iteration.
#[derive(Debug, Clone, PartialEq)]
pub struct MergerTerms {
    /// The merger month.
    pub month: usize,
    /// The month duplicated posts go (clustering, else the merger month).
    pub delete_at: usize,
    /// One-off merger cost, £.
    pub cost: f64,
    /// Positions in [`crate::scenario::Band::ALL`] of the duplicated bands.
    pub duplicated_bands: Vec<usize>,
    /// The successor's own envelope (£ a year), when its target is not the members' sum.
    pub envelope: Option<f64>,
    /// The successor's funding for exit costs, £.
    pub funding: f64,
}

/// Simulates the merger of `members` (their staff laid end to end in `combined`), with the
/// successor's restructure drawing from `successor_rs`. Returns each member's paths (months before
/// the merger) and the successor's (months from it).
pub fn simulate_merger(
    members: &[MemberRun<'_>],
    combined: &PreparedOrg,
    successor_rs: PersonStream,
    t: &MergerTerms,
) -> (Vec<OrgPaths>, OrgPaths) {
    let runs: Vec<OrgRun> = members
        .iter()
        .map(|m| OrgRun {
            staff: m.staff,
            cx: m.cx,
            rs: m.rs,
        })
        .collect();
    let mut people = Vec::with_capacity(members.len());
    let mut displaced = Vec::with_capacity(members.len());
    phase::start();
    for (k, m) in runs.iter().zip(members) {
        let mut p = People::in_post(k);
        exclude_uncounted_pay(&mut p, k.staff, m.org.target);
        natural_attrition(&mut p, k.cx, k.rs);
        phase::done(Phase::Attrition);
        displaced.push(transfers(&mut p, k));
        phase::done(Phase::Transfers);
        people.push(p);
    }
    delete_duplicates(&people, &runs, t, &mut displaced);
    phase::done(Phase::Transfers);
    let nonpay: Vec<_> = members.iter().map(|m| m.org.nonpay(m.cx)).collect();
    let baselines: Vec<f64> = (0..members.len())
        .map(|j| baseline(&people[j], members[j].cx, &nonpay[j]))
        .collect();
    let targets: Vec<f64> = (0..members.len())
        .map(|j| members[j].org.target.target(baselines[j]))
        .collect();
    // Budget moved out with functions (`allocation_transfer_share`), and the target with it.
    let baseline_moved: Vec<Vec<f64>> = (0..members.len())
        .map(|j| moved_budget(&people[j], &runs[j]))
        .collect();
    let target_moved: Vec<Vec<f64>> = (0..members.len())
        .map(|j| {
            baseline_moved[j]
                .iter()
                .map(|b| members[j].org.target.moved(*b))
                .collect()
        })
        .collect();
    // Windows before the merger month are each member's own, for its own target.
    let before = 0..t.month;
    for (j, k) in runs.iter().enumerate() {
        let r = &k.cx.restructure;
        if r.any() && any_window_in(r, &before) {
            let allowance = pay_allowance(k.cx, targets[j], &target_moved[j], &nonpay[j]);
            restructure_in(&mut people[j], k, allowance, &displaced[j], before.clone());
        }
    }
    let summed: f64 = targets.iter().sum();
    let successor_target = t.envelope.unwrap_or(summed);
    // Windows from the merger month on are the successor's, one restructure for the whole pool:
    // on the terms of the member whose own VR window is the first on or after the merger, else
    // (only further waves fall after it) the first member's.
    let from = t.month..usize::MAX;
    let lead = (0..runs.len())
        .filter(|&j| runs[j].cx.restructure.any() && runs[j].cx.restructure.window >= t.month)
        .min_by_key(|&j| (runs[j].cx.restructure.window, j))
        .or_else(|| {
            (0..runs.len()).find(|&j| {
                runs[j].cx.restructure.any() && any_window_in(&runs[j].cx.restructure, &from)
            })
        });
    if let Some(j) = lead {
        let h = runs[j].cx.horizon;
        let nonpay_sum = NonpayPath {
            baseline: nonpay.iter().map(|n| n.baseline).sum(),
            by_month: (0..h)
                .map(|m| nonpay.iter().map(|n| n.by_month[m]).sum())
                .collect(),
            pay_lines_baseline: nonpay.iter().map(|n| n.pay_lines_baseline).sum(),
            pay_lines: (0..h)
                .map(|m| nonpay.iter().map(|n| n.pay_lines[m]).sum())
                .collect(),
        };
        let moved_sum = sum_paths(&target_moved, h);
        let k = OrgRun {
            staff: combined,
            cx: runs[j].cx,
            rs: successor_rs,
        };
        let (mut all, all_displaced) = concat(&mut people, &displaced);
        let allowance = pay_allowance(k.cx, successor_target, &moved_sum, &nonpay_sum);
        restructure_in(&mut all, &k, allowance, &all_displaced, from);
        people = split(all, &runs);
    }
    phase::done(Phase::Restructure);
    let h = runs[0].cx.horizon;
    let mut successor = OrgPaths::zeros(h);
    let mut rows = Vec::with_capacity(members.len());
    for (j, k) in runs.iter().enumerate() {
        displaced_leave(&mut people[j], k, &displaced[j]);
        let (mut row, handed) = accumulate_split(&people[j], k, &nonpay[j], t.month);
        row.baseline = baselines[j];
        row.target = targets[j];
        row.baseline_moved = baseline_moved[j].clone();
        row.target_moved = target_moved[j].clone();
        row.funding = members[j].org.funding;
        successor.add_from(&row, &handed, t.month);
        row.end_at(t.month);
        rows.push(row);
    }
    successor.baseline = baselines.iter().sum();
    successor.target = summed;
    successor.baseline_moved = sum_paths(&baseline_moved, h);
    successor.target_moved = sum_paths(&target_moved, h);
    if successor_target != summed {
        successor
            .target_shift
            .push((t.month, successor_target - summed));
    }
    successor.funding = t.funding;
    successor.merger_cost[t.month] += t.cost;
    successor.live = t.month..h;
    phase::done(Phase::Accounting);
    (rows, successor)
}

/// In each duplicated band, the member with the most staff in post in the deletion month keeps
/// its complement; the others' staff in that band (in scope, not moving with a function, not
/// already displaced) are displaced then.
fn delete_duplicates(
    people: &[People],
    runs: &[OrgRun],
    t: &MergerTerms,
    displaced: &mut [Vec<Displaced>],
) {
    let at = t.delete_at;
    for &band in &t.duplicated_bands {
        let holders: Vec<Vec<usize>> = runs
            .iter()
            .zip(people)
            .zip(displaced.iter())
            .map(|((k, p), gone)| {
                (0..k.staff.len())
                    .filter(|&i| {
                        k.staff.band[i] == band
                            && k.staff.in_scope[i]
                            && !p.mover[i]
                            && p.arrival[i] <= at
                            && p.exit[i] > at
                            && !gone.iter().any(|d| d.person == i && d.month <= at)
                    })
                    .collect()
            })
            .collect();
        let keep = (0..holders.len())
            .max_by_key(|&j| (holders[j].len(), std::cmp::Reverse(j)))
            .unwrap_or(0);
        for (j, posts) in holders.into_iter().enumerate() {
            if j != keep {
                displaced[j].extend(
                    posts
                        .into_iter()
                        .map(|person| Displaced { person, month: at }),
                );
            }
        }
    }
}

/// The month-by-month sum of `paths` over a horizon of `h` months.
fn sum_paths(paths: &[Vec<f64>], h: usize) -> Vec<f64> {
    (0..h).map(|m| paths.iter().map(|p| p[m]).sum()).collect()
}

/// The members' people laid end to end (taking them out of `people`), and their displaced with
/// indices shifted to match.
fn concat(people: &mut [People], displaced: &[Vec<Displaced>]) -> (People, Vec<Displaced>) {
    let n: usize = people.iter().map(|p| p.cost.len()).sum();
    let mut all = People {
        cost: scratch::empty(n),
        exit: scratch::empty(n),
        fate: scratch::empty(n),
        mover: scratch::empty(n),
        pilon: scratch::empty(n),
        committed: scratch::empty(n),
        arrival: scratch::empty(n),
    };
    let mut moved = Vec::new();
    for (p, d) in people.iter_mut().zip(displaced) {
        let offset = all.cost.len();
        moved.extend(d.iter().map(|x| Displaced {
            person: x.person + offset,
            month: x.month,
        }));
        all.cost.append(&mut p.cost);
        all.exit.append(&mut p.exit);
        all.fate.append(&mut p.fate);
        all.mover.append(&mut p.mover);
        all.pilon.append(&mut p.pilon);
        all.committed.append(&mut p.committed);
        all.arrival.append(&mut p.arrival);
    }
    (all, moved)
}

/// [`concat`] undone: each member's people, in order.
fn split(all: People, runs: &[OrgRun]) -> Vec<People> {
    fn part<T: scratch::Pooled>(all: &[T], at: usize, len: usize) -> Vec<T> {
        let mut v = scratch::empty(len);
        v.extend_from_slice(&all[at..at + len]);
        v
    }
    let mut out = Vec::with_capacity(runs.len());
    let mut at = 0;
    for k in runs {
        let n = k.staff.len();
        out.push(People {
            cost: part(&all.cost, at, n),
            exit: part(&all.exit, at, n),
            fate: part(&all.fate, at, n),
            mover: part(&all.mover, at, n),
            pilon: part(&all.pilon, at, n),
            committed: part(&all.committed, at, n),
            arrival: part(&all.arrival, at, n),
        });
        at += n;
    }
    out
}

/// The members' staff laid end to end, for the successor's restructure (built once per run).
pub fn combine(parts: &[&PreparedOrg]) -> PreparedOrg {
    let mut out = PreparedOrg {
        salary: Vec::new(),
        fte: Vec::new(),
        age: Vec::new(),
        service: Vec::new(),
        function: Vec::new(),
        band: Vec::new(),
        local: Vec::new(),
        member: Vec::new(),
        vr_odds_factor: parts
            .iter()
            .all(|p| p.vr_odds_factor.is_some())
            .then(Vec::new),
        in_scope: Vec::new(),
        in_transferring_function: Vec::new(),
        in_arriving_function: Vec::new(),
        senior: Vec::new(),
        programme: Vec::new(),
        // The members' constant costs laid end to end, when all have them on the same on-costs.
        annual_cost: match parts.first().and_then(|p| p.annual_cost.as_ref()) {
            Some((on, _))
                if parts
                    .iter()
                    .all(|p| p.annual_cost.as_ref().is_some_and(|(o, _)| o == on)) =>
            {
                Some((*on, Vec::new()))
            }
            _ => None,
        },
    };
    for p in parts {
        if let (Some((_, all)), Some((_, c))) = (out.annual_cost.as_mut(), &p.annual_cost) {
            all.extend_from_slice(c);
        }
        let offset = out.salary.len() as u32;
        out.salary.extend_from_slice(&p.salary);
        out.fte.extend_from_slice(&p.fte);
        out.age.extend_from_slice(&p.age);
        out.service.extend_from_slice(&p.service);
        out.function.extend_from_slice(&p.function);
        out.band.extend_from_slice(&p.band);
        out.local.extend_from_slice(&p.local);
        out.member.extend_from_slice(&p.member);
        if let (Some(all), Some(f)) = (out.vr_odds_factor.as_mut(), &p.vr_odds_factor) {
            all.extend_from_slice(f);
        }
        out.in_scope.extend_from_slice(&p.in_scope);
        out.in_transferring_function
            .extend(p.in_transferring_function.iter().map(|i| i + offset));
        out.in_arriving_function
            .extend(p.in_arriving_function.iter().map(|i| i + offset));
        out.senior.extend_from_slice(&p.senior);
        out.programme.extend_from_slice(&p.programme);
    }
    out
}

impl OrgPaths {
    /// Adds a member's months from `month` on, and the counts and exit costs it `handed` over,
    /// to this successor.
    fn add_from(&mut self, member: &OrgPaths, handed: &Handed, month: usize) {
        for (a, b) in [
            (&mut self.own, &member.own),
            (&mut self.system, &member.system),
            (&mut self.nhs, &member.nhs),
            (&mut self.counterfactual, &member.counterfactual),
            (&mut self.paid_saving, &member.paid_saving),
            (&mut self.headcount, &member.headcount),
            (&mut self.fte, &member.fte),
        ] {
            a.iter_mut().zip(b).skip(month).for_each(|(x, y)| *x += y);
        }
        for (a, b) in [
            (&mut self.exit_cost, &handed.exit_cost),
            (&mut self.exit_accrued, &handed.exit_accrued),
        ] {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        self.tally.add(&handed.tally);
    }

    /// Ends a member's life at the merger `month`: its monthly run-rates, headcount and FTE are
    /// zero from then (the successor carries them).
    fn end_at(&mut self, month: usize) {
        for a in [
            &mut self.own,
            &mut self.system,
            &mut self.nhs,
            &mut self.counterfactual,
            &mut self.paid_saving,
            &mut self.headcount,
            &mut self.fte,
        ] {
            a.iter_mut().skip(month).for_each(|x| *x = 0.0);
        }
        self.live = 0..month;
    }
}
