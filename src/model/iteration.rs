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

use super::accounting::accumulate;
use super::context::{IterationContext, OrgTerms};
use super::people::{displaced_leave, natural_attrition, transfers, OrgRun, People};
use super::restructure::restructure;
use super::results::OrgPaths;
use super::staff::PreparedOrg;
use crate::rng::PersonStream;

/// Simulates one organisation — its `staff`, its own numbers `org` — in the iteration resolved in
/// `cx`, drawing from its stream `rs`.
pub fn simulate_org(
    staff: &PreparedOrg,
    cx: &IterationContext,
    org: &OrgTerms,
    rs: PersonStream,
) -> OrgPaths {
    let k = OrgRun { staff, cx, rs };
    let mut p = People::in_post(&k);
    natural_attrition(&mut p, cx, rs);
    let displaced = transfers(&mut p, &k);
    let nonpay = org.nonpay(&cx.nonpay_cut);
    let total_cost: f64 = p.cost.iter().sum();
    let baseline = total_cost * cx.pay_index[0] + nonpay.baseline;
    let target = org.target.target(baseline);
    if cx.restructure.any() {
        restructure(
            &mut p,
            &k,
            target - nonpay.by_month[cx.deadline],
            &displaced,
        );
    }
    // Staff whose function left without them are made redundant when it goes, unless something
    // else happened first.
    displaced_leave(&mut p, &k, &displaced);
    let mut paths = accumulate(&p, &k, &nonpay);
    paths.baseline = baseline;
    paths.target = target;
    paths.funding = org.funding;
    paths
}
