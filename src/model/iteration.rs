//! One iteration of the simulation for one organisation: the steps in order.
//!
//! Every member of staff ends the horizon in exactly one state: in post, natural leaver,
//! transferred, VR, MARS, CR or redeployed. Each person's story is decided by a handful of events
//! — a natural leaving month from one geometric draw and a function transfer ([`super::people`]),
//! a restructure decision at the VR window ([`super::restructure`]), redundancy when their function
//! leaves without them — and the earliest event wins. The accounting ([`super::accounting`]) then
//! turns the fates into paths and costs.
//!
//! All randomness comes from a [`PersonStream`] addressed by person and purpose, so the same
//! person draws the same numbers in every scenario variant that shares a seed. All inputs come
//! resolved in an [`IterationContext`]; nothing here reads the scenario.

use super::accounting::{accumulate, exclude_uncounted_pay, moved_budget};
use super::context::{IterationContext, NonpayPath, OrgTerms};
use super::people::{displaced_leave, natural_attrition, transfers, OrgRun, People};
use super::phase::{self, Phase};
use super::restructure::restructure;
use super::results::OrgPaths;
use super::staff::PreparedOrg;
use crate::rng::PersonStream;
use crate::scenario::Indexation;

/// Simulates one organisation — its `staff`, its own numbers `org` — in the iteration resolved in
/// `cx`, drawing from its stream `rs`.
pub fn simulate_org(
    staff: &PreparedOrg,
    cx: &IterationContext,
    org: &OrgTerms,
    rs: PersonStream,
) -> OrgPaths {
    let k = OrgRun { staff, cx, rs };
    phase::start();
    let mut p = People::in_post(&k);
    exclude_uncounted_pay(&mut p, staff, org.target);
    natural_attrition(&mut p, cx, rs);
    phase::done(Phase::Attrition);
    let displaced = transfers(&mut p, &k);
    phase::done(Phase::Transfers);
    let nonpay = org.nonpay(cx);
    let baseline = baseline(&p, cx, &nonpay);
    let target = org.target.target(baseline);
    let baseline_moved = moved_budget(&p, &k);
    let target_moved: Vec<f64> = baseline_moved
        .iter()
        .map(|b| org.target.moved(*b))
        .collect();
    if cx.restructure.any() {
        let allowance = pay_allowance(cx, target, &target_moved, &nonpay);
        restructure(&mut p, &k, allowance, &displaced);
    }
    phase::done(Phase::Restructure);
    // Staff whose function left without them are made redundant when it goes, unless something
    // else happened first.
    displaced_leave(&mut p, &k, &displaced);
    let mut paths = accumulate(&p, &k, &nonpay);
    paths.baseline = baseline;
    paths.target = target;
    paths.baseline_moved = baseline_moved;
    paths.target_moved = target_moved;
    paths.funding = org.funding;
    phase::done(Phase::Accounting);
    paths
}

/// The baseline (`docs/model.md` §2.3): the start month's run-rate on the target basis — pay
/// and on-costs, the pay-like cost lines (vacancies, temporary staffing) and non-pay. Staff of a
/// function still to arrive count on the system basis (their cost is already an NHS running
/// cost, at the sending body) but not on the own basis.
pub(crate) fn baseline(p: &People, cx: &IterationContext, nonpay: &NonpayPath) -> f64 {
    let own_basis = cx.restructure.counts_transfers;
    let pay: f64 = p
        .cost
        .iter()
        .zip(&p.arrival)
        .filter(|(_, &a)| !own_basis || a == 0)
        .map(|(c, _)| c)
        .sum();
    (pay + nonpay.pay_lines_baseline) * cx.pay_index[0] + nonpay.baseline
}

/// The pay the target leaves room for, at start-month prices, over the months the target must
/// hold: the deadline and the 12 after it inside the horizon (`docs/model.md` §2.6, "met
/// recurrently"). In each month that is (target − budget moved out by then − non-pay) ÷ pay
/// index − the pay-like cost lines left then (vacancies, temporary staffing: what they save is
/// room the restructure does not have to find), the target uprated too when it is indexed to
/// pay; the restructure plans for the tightest month, so a pay award in the April after the
/// deadline does not undo it.
pub(crate) fn pay_allowance(
    cx: &IterationContext,
    target: f64,
    target_moved: &[f64],
    lines: &NonpayPath,
) -> f64 {
    let d = cx.deadline.min(cx.horizon - 1);
    let end = (d + crate::model::derive::RECURRENT_MONTHS).min(cx.horizon - 1);
    (d..=end)
        .map(|m| {
            let t = target - target_moved[m];
            let t = match cx.target_indexation {
                Indexation::Cash => t,
                Indexation::Pay => t * cx.pay_index[m],
            };
            (t - lines.by_month[m]) / cx.pay_index[m] - lines.pay_lines[m]
        })
        .fold(f64::INFINITY, f64::min)
}
