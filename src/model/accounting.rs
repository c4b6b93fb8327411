//! Costs and paths of leavers: each person's fate turned into monthly run-rates, headcount, exit
//! costs and counts.
//!
//! One pass over the staff records, for each leaver, what leaves each run-rate measure in their
//! exit month (and, for a rejoiner, what returns later) in monthly "drop" arrays at start-month
//! prices, and prices each paid exit with the exit-pay rules ([`super::exit_terms`]). The drops are
//! then prefix-summed and priced month by month, so an organisation's iteration costs
//! O(staff + months), never O(staff × months).

use super::context::{LeavingTerms, NonpayPath, TargetRule};
use super::exit_terms::{clawback, exit_cost, ExitCost, Leaver, Route};
use super::people::{Fate, OrgRun, People};
use super::results::{OrgPaths, Tally};
use super::staff::PreparedOrg;
use crate::rng::Draw;

/// Takes programme-funded pay out of the cost counted against a target that does not cover it
/// (a share of the running-cost baseline): those people's cost is zero in every run-rate, the
/// baseline and the restructure's arithmetic, and they are not in its pool. Under the £/head
/// envelope, which covers programme-funded pay too, nothing changes (`docs/model.md` §2.2).
pub(crate) fn exclude_uncounted_pay(p: &mut People, staff: &PreparedOrg, target: TargetRule) {
    if target.covers_programme_pay() {
        return;
    }
    for (cost, &programme) in p.cost.iter_mut().zip(&staff.programme) {
        if programme {
            *cost = 0.0;
        }
    }
}

/// The budget that has moved out with transferring functions by each month (£ a year,
/// start-month prices): each mover still in post at their function's transfer takes
/// `allocation_share` of their cost with them (SPEC §2.3 partial credit).
pub(crate) fn moved_budget(p: &People, k: &OrgRun) -> Vec<f64> {
    let h = k.cx.horizon;
    let mut moved = vec![0.0; h];
    for &i in &k.staff.in_transferring_function {
        let i = i as usize;
        let share = k.cx.functions[k.staff.function[i] as usize].allocation_share;
        if share > 0.0 && p.fate[i] == Fate::Transferred && p.exit[i] < h {
            moved[p.exit[i]] += share * p.cost[i];
        }
    }
    let mut sum = 0.0;
    for x in &mut moved {
        sum += *x;
        *x = sum;
    }
    moved
}

/// Turns each person's fate into monthly run-rates, headcount, exit costs and counts.
pub(crate) fn accumulate(p: &People, k: &OrgRun, nonpay: &NonpayPath) -> OrgPaths {
    accumulate_split(p, k, nonpay, usize::MAX).0
}

/// The counts and exit costs of the people an organisation hands to its successor at a merger.
#[derive(Debug, Clone, Default)]
pub(crate) struct Handed {
    /// Their end states and cost components (the staff moved are in `moved`).
    pub tally: Tally,
    /// Their exit costs by exit month (cash timing).
    pub exit_cost: Vec<f64>,
    /// Their exit costs by commitment month (accrued timing).
    pub exit_accrued: Vec<f64>,
}

/// [`accumulate`] for an organisation that merges in month `split` (`docs/model.md` §2.4a): the
/// paths are its staff's over the whole horizon, but the counts and exit costs of people still
/// employed in the merger month (who leave from then on, or stay) are handed to the successor.
/// Everyone in post at the start, and everyone who arrived before the merger, is counted by the
/// member; the staff it hands over are its `moved` (negative) and the successor's (positive).
pub(crate) fn accumulate_split(
    p: &People,
    k: &OrgRun,
    nonpay: &NonpayPath,
    split: usize,
) -> (OrgPaths, Handed) {
    let h = k.cx.horizon;
    let mut ledger = Ledger::zeros(h);
    // A local tally (not a field of the ledger) lets the compiler keep it in registers.
    let mut tally = Tally::default();
    let (mut later, mut handed) = if split < h {
        (Ledger::zeros(h), Tally::default())
    } else {
        (Ledger::zeros(0), Tally::default())
    };
    for i in 0..k.staff.len() {
        if split < h && p.exit[i] >= split {
            later.person(&mut handed, p, k, i);
            // Counted at the start (or on arrival before the merger) by the member.
            if p.arrival[i] < split {
                let fte = k.staff.fte[i];
                if p.arrival[i] == 0 {
                    handed.headcount -= 1.0;
                    handed.fte -= fte;
                    tally.headcount += 1.0;
                    tally.fte += fte;
                } else {
                    handed.arrived -= 1.0;
                    handed.arrived_fte -= fte;
                    tally.arrived += 1.0;
                    tally.arrived_fte += fte;
                }
                handed.moved += 1.0;
                tally.moved -= 1.0;
            }
        } else {
            ledger.person(&mut tally, p, k, i);
        }
    }
    if split >= h {
        return (ledger.paths(tally, p, k, nonpay), Handed::default());
    }
    for (a, b) in [
        (&mut ledger.own, &later.own),
        (&mut ledger.system, &later.system),
        (&mut ledger.nhs, &later.nhs),
        (&mut ledger.paid, &later.paid),
        (&mut ledger.headcount, &later.headcount),
        (&mut ledger.fte, &later.fte),
    ] {
        a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
    }
    // The starting headcount of the paths is everyone in post at the start.
    let mut start = tally;
    start.headcount += handed.headcount;
    start.fte += handed.fte;
    let mut paths = ledger.paths(start, p, k, nonpay);
    paths.tally = tally;
    let handed = Handed {
        tally: handed,
        exit_cost: later.exit_cost,
        exit_accrued: later.exit_accrued,
    };
    (paths, handed)
}

/// The monthly accumulators of one organisation's iteration. The drops are the base-price annual
/// cost leaving each measure in each month (negative for rejoiners returning).
struct Ledger {
    own: Vec<f64>,
    system: Vec<f64>,
    nhs: Vec<f64>,
    paid: Vec<f64>,
    headcount: Vec<f64>,
    fte: Vec<f64>,
    /// Exit costs by exit month (£, at the month's prices), net of clawbacks: the cash timing.
    exit_cost: Vec<f64>,
    /// The same costs by the month the organisation became committed: the accrued timing.
    exit_accrued: Vec<f64>,
}

impl Ledger {
    fn zeros(h: usize) -> Ledger {
        Ledger {
            own: vec![0.0; h],
            system: vec![0.0; h],
            nhs: vec![0.0; h],
            paid: vec![0.0; h],
            headcount: vec![0.0; h],
            fte: vec![0.0; h],
            exit_cost: vec![0.0; h],
            exit_accrued: vec![0.0; h],
        }
    }

    /// Records person `i`: counted in the starting headcount, and if they leave within the
    /// horizon, their drops, counts and (for a paid exit) costs.
    #[inline(always)]
    fn person(&mut self, t: &mut Tally, p: &People, k: &OrgRun, i: usize) {
        let fte = k.staff.fte[i];
        let joins = p.arrival[i];
        if joins == 0 {
            t.headcount += 1.0;
            t.fte += fte;
        } else {
            // Joins with an arriving function: outside the own run-rate and headcount until
            // then; the system run-rate counts them from the start (their cost sits at the
            // sending body), so an arrival moves cost without saving or adding any.
            let c = p.cost[i];
            t.arrived += 1.0;
            t.arrived_fte += fte;
            self.own[0] += c;
            self.own[joins] -= c;
            self.headcount[joins] -= 1.0;
            self.fte[joins] -= fte;
        }
        let m = p.exit[i];
        if m >= k.cx.horizon {
            return;
        }
        let c = p.cost[i];
        self.own[m] += c;
        self.headcount[m] += 1.0;
        self.fte[m] += fte;
        let route = match p.fate[i] {
            Fate::InPost => return,
            Fate::Natural => {
                self.system[m] += c;
                self.nhs[m] += c;
                t.natural += 1.0;
                t.natural_fte += fte;
                return;
            }
            Fate::Transferred => {
                // The share of their cost that moved with its budget leaves the system too.
                let share = k.cx.functions[k.staff.function[i] as usize].allocation_share;
                self.system[m] += share * c;
                t.transferred += 1.0;
                t.transferred_fte += fte;
                return;
            }
            Fate::Redeployed => {
                let legal = k.cx.rules.legal_cost;
                self.system[m] += c;
                t.redeployed += 1.0;
                t.redeployed_fte += fte;
                t.legal += legal;
                t.cost_cr += legal;
                self.exit_cost[m] += legal;
                self.exit_accrued[p.committed[i].min(m)] += legal;
                return;
            }
            Fate::Vr => Route::Vr,
            Fate::Mars => Route::Mars,
            Fate::Cr => Route::Cr,
        };
        self.paid_exit(t, p, k, PaidExit { i, m, route });
    }

    /// Records a paid exit: its drops, its costs by component and route, and a rejoiner's return
    /// and clawback.
    #[inline]
    fn paid_exit(&mut self, t: &mut Tally, p: &People, k: &OrgRun, x: PaidExit) {
        let (i, m, c) = (x.i, x.m, p.cost[x.i]);
        self.system[m] += c;
        self.nhs[m] += c;
        self.paid[m] += c;
        let (ec, retire) = price(p, k, x);
        t.redundancy_pay += ec.redundancy_pay_gbp;
        t.mars_pay += ec.mars_pay_gbp;
        t.pilon += ec.pilon_gbp;
        t.employer_ni += ec.employer_ni_gbp;
        t.pension_strain += ec.pension_strain_gbp;
        t.legal += ec.legal_gbp;
        t.early_retirements += f64::from(u8::from(retire));
        self.exit_cost[m] += ec.total_gbp;
        self.exit_accrued[p.committed[i].min(m)] += ec.total_gbp;
        let mut route_cost = ec.total_gbp;
        let leaving = &k.cx.leaving;
        let rejoin_share = if x.route == Route::Cr {
            leaving.cr_rejoin_share
        } else {
            leaving.rejoin_share
        };
        if k.rs.u(i, Draw::Rejoin) < rejoin_share {
            // Rejoins the NHS 1..=span months after leaving: the NHS-wide saving is lost from then,
            // and within the clawback window part of the payment comes back.
            let after =
                // (A non-negative value's integer conversion is its floor.)
                1 + (k.rs.u(i, Draw::RejoinWhen) * leaving.rejoin_span_months) as usize;
            let r = m + after;
            if r < k.cx.horizon {
                t.rejoiners += 1.0;
                self.nhs[r] -= c;
                self.paid[r] -= c;
                let senior = k.staff.senior[i];
                let back = clawback(&leaving.clawback, x.route, senior, &ec, after as f64);
                if back > 0.0 {
                    t.clawback += back;
                    self.exit_cost[r] -= back;
                    self.exit_accrued[r] -= back;
                    route_cost -= back;
                }
            }
        }
        let fte = k.staff.fte[i];
        match x.route {
            Route::Vr => {
                t.vr += 1.0;
                t.vr_fte += fte;
                t.cost_vr += route_cost;
            }
            Route::Mars => {
                t.mars += 1.0;
                t.mars_fte += fte;
                t.cost_mars += route_cost;
            }
            Route::Cr => {
                t.cr += 1.0;
                t.cr_fte += fte;
                t.cost_cr += route_cost;
            }
        }
    }

    /// The organisation's paths: the drops prefix-summed from the starting run-rates and priced
    /// with each month's pay index, plus non-pay.
    fn paths(self, tally: Tally, p: &People, k: &OrgRun, nonpay: &NonpayPath) -> OrgPaths {
        let h = k.cx.horizon;
        let mut out = OrgPaths::zeros(h);
        let total: f64 = p.cost.iter().sum();
        let (mut own, mut sys, mut nhs, mut paid, mut hc, mut fte) =
            (total, total, total, 0.0, tally.headcount, tally.fte);
        for m in 0..h {
            own -= self.own[m];
            sys -= self.system[m];
            nhs -= self.nhs[m];
            paid += self.paid[m];
            hc -= self.headcount[m];
            fte -= self.fte[m];
            let idx = k.cx.pay_index[m];
            let np = nonpay.by_month[m];
            let lines = nonpay.pay_lines[m];
            out.own[m] = (own + lines) * idx + np;
            out.system[m] = (sys + lines) * idx + np;
            out.nhs[m] = (nhs + lines) * idx + np;
            out.counterfactual[m] = (total + nonpay.pay_lines_baseline) * idx + nonpay.baseline;
            out.paid_saving[m] = paid * idx;
            out.headcount[m] = hc;
            out.fte[m] = fte;
        }
        out.exit_cost = self.exit_cost;
        out.exit_accrued = self.exit_accrued;
        out.tally = tally;
        out
    }
}

/// A paid exit: person `i` leaves in month `m` by `route`.
#[derive(Debug, Clone, Copy)]
struct PaidExit {
    i: usize,
    m: usize,
    route: Route,
}

/// The cost of a paid exit at the exit month's pay, and whether the leaver takes early retirement
/// (pension members old enough with two years' service, except on MARS, by their take-up draw).
#[inline]
fn price(p: &People, k: &OrgRun, x: PaidExit) -> (ExitCost, bool) {
    let (st, i, m) = (k.staff, x.i, x.m);
    let er: &LeavingTerms = &k.cx.leaving;
    let years = m as f64 / 12.0;
    let retire = x.route != Route::Mars
        && st.member[i]
        && st.age[i] + years >= er.early_retirement_age
        && st.service[i] + years >= 2.0
        && k.rs.u(i, Draw::Retire) < er.early_retirement_take_up;
    let leaver = Leaver {
        salary: st.salary[i] * k.cx.pay_index[m],
        fte: st.fte[i],
        service_years: st.service[i] + years,
        local_terms: st.local[i],
        pilon_months: p.pilon[i],
        early_retirement: retire,
        strain_multiple: er.strain_multiple,
    };
    (exit_cost(&k.cx.rules, x.route, &leaver), retire)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::context::tests::context;
    use crate::model::people::NEVER;
    use crate::model::staff::tests::staff;
    use crate::rng::PersonStream;

    #[test]
    fn each_person_is_counted_once_and_the_paths_follow_their_exits() {
        // Three people costing 100, 200 and 300 a year: one in post, one natural leaver in month
        // 2, one transferred in month 4. Non-pay 50 a year, cut by 10% from month 3.
        let st = staff(&[0.0; 3]);
        let mut cx = context(0.0, 6);
        cx.nonpay_cut = vec![0.0, 0.0, 0.0, 0.1, 0.1, 0.1];
        let k = OrgRun {
            staff: &st,
            cx: &cx,
            rs: PersonStream::new(3, 4),
        };
        let p = People {
            cost: vec![100.0, 200.0, 300.0],
            exit: vec![NEVER, 2, 4],
            fate: vec![Fate::InPost, Fate::Natural, Fate::Transferred],
            mover: vec![false, false, true],
            pilon: vec![0.0; 3],
            committed: vec![NEVER; 3],
            arrival: vec![0; 3],
        };
        let nonpay = NonpayPath {
            baseline: 50.0,
            by_month: vec![50.0, 50.0, 50.0, 45.0, 45.0, 45.0],
            pay_lines_baseline: 0.0,
            pay_lines: vec![0.0; 6],
        };
        let out = accumulate(&p, &k, &nonpay);
        assert_eq!(out.tally.headcount, 3.0);
        assert_eq!((out.tally.natural, out.tally.transferred), (1.0, 1.0));
        assert_eq!(out.headcount, vec![3.0, 3.0, 2.0, 2.0, 1.0, 1.0]);
        // Own run-rate: 600 → 400 from month 2 → 100 from month 4, plus non-pay.
        assert_eq!(out.own, vec![650.0, 650.0, 450.0, 445.0, 145.0, 145.0]);
        // The system keeps paying for the transferred person; the natural leaver is gone.
        assert_eq!(out.system, vec![650.0, 650.0, 450.0, 445.0, 445.0, 445.0]);
        assert_eq!(out.counterfactual, vec![650.0; 6]);
        assert!(out.exit_cost.iter().all(|&c| c == 0.0));
    }
}
