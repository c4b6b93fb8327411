//! From one iteration's monthly paths to its results, on the definitions of `docs/model.md` §2.6.
//!
//! Every figure set beside the target is on the **target basis**: the system run-rate (own plus
//! functions transferred out) unless the scenario lets transfers count, then the own run-rate.
//! The other bases appear only under their explicit names (`..._own_...`, `..._system_...`).
//! An organisation's results come from [`derive_org`]; the total's from [`derive_total`], which
//! derives the pooled figures from the summed paths and then applies the rules that do not pool:
//! the total meets its target only when every organisation meets its own, and its funding gap is
//! the sum of the organisations' gaps unless the scenario declares a central pot.

use super::results::OrgPaths;
use crate::metric::{Metric, Scalars, Series, YearMetric};
pub use crate::scenario::Indexation;

/// Months after the deadline over which the target must keep holding ("met recurrently").
pub const RECURRENT_MONTHS: usize = 12;

/// What every organisation of an iteration shares, needed to derive its results.
#[derive(Debug, Clone, Copy)]
pub struct DeriveContext<'a> {
    /// Deadline month offset.
    pub deadline: usize,
    /// Whether transfers count as savings (the target basis is then the own run-rate).
    pub counts_transfers: bool,
    /// How the target moves over time.
    pub indexation: Indexation,
    /// Pay index by month (1 in the start month).
    pub pay_index: &'a [f64],
    /// Green Book discount rate, real, a year.
    pub discount_rate: f64,
    /// GDP deflator, a year: nominal → real.
    pub deflator: f64,
    /// Appraisal period for the NPV, months from the start.
    pub appraisal_months: usize,
    /// Financial-year index of each month.
    pub fy_of_month: &'a [usize],
    /// Number of financial years touched.
    pub n_fy: usize,
    /// `(1 + deflator)^(m/12)` for months `m` from 0, computed once per iteration (see
    /// [`npv_factors`]); months beyond it are computed where needed.
    pub deflate: &'a [f64],
    /// `(1 + discount_rate)^(−m/12)` for months `m` from 0, likewise.
    pub discount: &'a [f64],
}

/// The deflation and discount factors of months `0..months` for [`DeriveContext`]: the same
/// values the NPV would compute month by month, computed once for every organisation.
pub fn npv_factors(deflator: f64, discount_rate: f64, months: usize) -> (Vec<f64>, Vec<f64>) {
    (
        (0..months)
            .map(|m| (1.0 + deflator).powf(m as f64 / 12.0))
            .collect(),
        (0..months)
            .map(|m| (1.0 + discount_rate).powf(-(m as f64) / 12.0))
            .collect(),
    )
}

/// What one organisation's (or the total's) iteration reports.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgResult {
    /// Every scalar result, indexed by [`Metric`].
    pub scalars: Scalars,
    /// Series in [`Series::ALL`] order, each one value per month.
    pub series: Vec<Vec<f64>>,
    /// Per financial year, in [`YearMetric::ALL`] order.
    pub by_year: Vec<[f64; YearMetric::COUNT]>,
}

/// An organisation's results with the month-by-month test of its target, which the total needs.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The results.
    pub result: OrgResult,
    /// Whether the target-basis run-rate is at or below the target, month by month.
    pub holds: Vec<bool>,
}

impl<'a> DeriveContext<'a> {
    /// The target of `p` in month `m`: its cash target (with any shift from a merger) less any
    /// budget moved out with a function by then, uprated by the pay index when the target is
    /// indexed to pay.
    fn target_at(&self, p: &OrgPaths, m: usize) -> f64 {
        let target = p.target_in(m) - p.target_moved.get(m).copied().unwrap_or(0.0);
        match self.indexation {
            Indexation::Cash => target,
            Indexation::Pay => target * self.pay_index[m],
        }
    }
}

/// `p`'s baseline in month `m`: the start-month baseline less any budget moved out with a
/// function by then (`allocation_transfer_share`). Savings are measured against it, so a cost
/// that moves with its budget is neither a saving nor a cost shift.
fn baseline_at(p: &OrgPaths, m: usize) -> f64 {
    p.baseline - p.baseline_moved.get(m).copied().unwrap_or(0.0)
}

fn basis<'p>(p: &'p OrgPaths, cx: &DeriveContext<'_>) -> &'p [f64] {
    if cx.counts_transfers {
        &p.own
    } else {
        &p.system
    }
}

/// Month-by-month test of the target. A tolerance of a penny a year absorbs rounding in sums of
/// many people. In a month when the organisation does not exist (before a successor's merger,
/// after a member's) there is nothing to test: it holds, so that the total asks only the
/// organisations that exist in each month.
fn holds(p: &OrgPaths, cx: &DeriveContext<'_>) -> Vec<bool> {
    basis(p, cx)
        .iter()
        .enumerate()
        .map(|(m, r)| !p.live.contains(&m) || *r <= cx.target_at(p, m) + 0.01)
        .collect()
}

/// Whether the target holds in month `m` and each of the [`RECURRENT_MONTHS`] after it that fall
/// inside the horizon.
pub fn holds_recurrently(holds: &[bool], m: usize) -> bool {
    if m >= holds.len() {
        return false;
    }
    let end = (m + RECURRENT_MONTHS).min(holds.len() - 1);
    holds[m..=end].iter().all(|h| *h)
}

/// First month from which the target holds recurrently; `None` is "never".
pub fn months_to_target(holds: &[bool]) -> Option<usize> {
    (0..holds.len()).find(|&m| holds_recurrently(holds, m))
}

/// [`holds_recurrently`] for an organisation that exists in the months `live` only: false
/// outside them, and the 12 months are cut at the end of its life as at the horizon's.
fn holds_within(holds: &[bool], m: usize, live: &std::ops::Range<usize>) -> bool {
    live.contains(&m) && holds_recurrently(&holds[..live.end], m)
}

/// Derives an organisation's results (also the pooled results of the total).
pub fn derive_org(p: &OrgPaths, cx: &DeriveContext<'_>) -> Derived {
    let holds = holds(p, cx);
    let result = derive_with(p, cx, &holds);
    Derived { result, holds }
}

/// Derives the total from the summed paths `pooled` and its organisations' results, with
/// `central_pot` the scenario-level funding pot when one is declared.
pub fn derive_total(
    pooled: &OrgPaths,
    orgs: &[Derived],
    central_pot: Option<f64>,
    cx: &DeriveContext<'_>,
) -> OrgResult {
    let pooled_holds = holds(pooled, cx);
    let h = pooled_holds.len();
    let all_hold: Vec<bool> = (0..h).map(|m| orgs.iter().all(|o| o.holds[m])).collect();
    let mut r = derive_with(pooled, cx, &all_hold);
    let d = cx.deadline.min(h - 1);
    let v = &mut r.scalars;
    v[Metric::TargetMetPooled] = flag(holds_recurrently(&pooled_holds, d));
    v[Metric::OrgsMeetingTarget] = orgs
        .iter()
        .map(|o| o.result.scalars[Metric::TargetMet])
        .filter(|x| !x.is_nan())
        .sum();
    let sum = |m: Metric| orgs.iter().map(|o| o.result.scalars[m]).sum::<f64>();
    let exit = v[Metric::ExitCostGbp];
    match central_pot {
        Some(pot) => {
            let funding = pooled.funding + pot;
            v[Metric::FundingGbp] = funding;
            v[Metric::FundingGapGbp] = (exit - funding).max(0.0);
            v[Metric::FundingSurplusGbp] = (funding - exit).max(0.0);
        }
        None => {
            v[Metric::FundingGapGbp] = sum(Metric::FundingGapGbp);
            v[Metric::FundingSurplusGbp] = sum(Metric::FundingSurplusGbp);
        }
    }
    v[Metric::FundingGapAny] = flag(v[Metric::FundingGapGbp] > 0.0);
    r
}

fn flag(b: bool) -> f64 {
    f64::from(u8::from(b))
}

/// Every scalar, series and financial-year figure of `p`, with `holds` the month-by-month test
/// of the target that `target_met`, `months_to_target` and `target_met_by` read.
fn derive_with(p: &OrgPaths, cx: &DeriveContext<'_>, holds: &[bool]) -> OrgResult {
    let h = p.own.len();
    let d = cx.deadline.min(h - 1);
    let b = basis(p, cx);
    let live = p.live.clone();
    let first = live.clone().find(|&m| holds_within(holds, m, &live));
    let by_year = by_year(p, cx, b);
    let mut v = Scalars::default();
    let base = baseline_at(p, d);
    v[Metric::BaselineGbp] = base;
    v[Metric::TargetGbp] = cx.target_at(p, d);
    v[Metric::TargetMet] = flag(holds_within(holds, d, &live));
    v[Metric::TargetMetAtDeadline] = flag(holds[d]);
    v[Metric::TargetMetPooled] = v[Metric::TargetMet];
    v[Metric::OrgsMeetingTarget] = v[Metric::TargetMet];
    v[Metric::MonthsToTarget] = first.map_or(f64::NAN, |m| m as f64);
    v[Metric::RunRateAtDeadlineGbp] = b[d];
    v[Metric::RunRateOwnAtDeadlineGbp] = p.own[d];
    v[Metric::RunRateSystemAtDeadlineGbp] = p.system[d];
    v[Metric::ReductionAtDeadline] = 1.0 - b[d] / base;
    v[Metric::RecurrentSavingGbp] = base - b[d] / cx.pay_index[d];
    v[Metric::RecurrentSavingCashGbp] = base * cx.pay_index[d] - b[d];
    if !live.contains(&d) {
        // The organisation does not exist in the deadline month (a member merged before it, a
        // successor formed after it): nothing beside the target is defined for it.
        for m in AT_DEADLINE {
            v[m] = f64::NAN;
        }
    }
    let total = |k: YearMetric| by_year.iter().map(|y| y[k.index()]).sum::<f64>();
    v[Metric::SavingsGbp] = total(YearMetric::SavingsGbp);
    v[Metric::CostShiftedGbp] = total(YearMetric::CostShiftedGbp);
    v[Metric::NpvGbp] = npv(p, cx, b);
    v[Metric::PaybackMonths] = payback_months(p);
    v[Metric::MergerCostGbp] = p.merger_cost.iter().sum();
    costs_and_counts(p, &mut v);
    v[Metric::HeadcountAtDeadline] = p.headcount[d];
    v[Metric::HeadcountEnd] = p.headcount[h - 1];
    let target: Vec<f64> = (0..h)
        .map(|m| {
            if live.contains(&m) {
                cx.target_at(p, m)
            } else {
                0.0
            }
        })
        .collect();
    let met_by: Vec<f64> = (0..h)
        .map(|m| flag(first.is_some_and(|f| f <= m)))
        .collect();
    let series = Series::ALL
        .iter()
        .map(|s| match s {
            Series::RunRateGbp => b.to_vec(),
            Series::RunRateOwnGbp => p.own.clone(),
            Series::RunRateSystemGbp => p.system.clone(),
            Series::TargetGbp => target.clone(),
            Series::Headcount => p.headcount.clone(),
            Series::Fte => p.fte.clone(),
            Series::TargetMetBy => met_by.clone(),
            Series::ExitCostAccruedGbp => p.exit_accrued.clone(),
            Series::ExitCostCashGbp => p.exit_cost.clone(),
        })
        .collect();
    OrgResult {
        scalars: v,
        series,
        by_year,
    }
}

/// The results measured in the deadline month beside the target: undefined for an organisation
/// that does not exist then.
const AT_DEADLINE: [Metric; 11] = [
    Metric::TargetGbp,
    Metric::TargetMet,
    Metric::TargetMetAtDeadline,
    Metric::TargetMetPooled,
    Metric::OrgsMeetingTarget,
    Metric::RunRateAtDeadlineGbp,
    Metric::RunRateOwnAtDeadlineGbp,
    Metric::RunRateSystemAtDeadlineGbp,
    Metric::ReductionAtDeadline,
    Metric::RecurrentSavingGbp,
    Metric::RecurrentSavingCashGbp,
];

/// Exit cost components, funding and end-state counts from the tally.
fn costs_and_counts(p: &OrgPaths, v: &mut Scalars) {
    let t = &p.tally;
    let exit = t.exit_cost();
    let paid = t.vr + t.mars + t.cr;
    let pairs = [
        (Metric::ExitCostGbp, exit),
        (Metric::RedundancyPayGbp, t.redundancy_pay),
        (Metric::MarsPayGbp, t.mars_pay),
        (Metric::PilonGbp, t.pilon),
        (Metric::EmployerNiGbp, t.employer_ni),
        (Metric::PensionStrainGbp, t.pension_strain),
        (Metric::LegalGbp, t.legal),
        (Metric::ClawbackGbp, t.clawback),
        (Metric::ExitCostVrGbp, t.cost_vr),
        (Metric::ExitCostMarsGbp, t.cost_mars),
        (Metric::ExitCostCrGbp, t.cost_cr),
        (Metric::FundingGbp, p.funding),
        (Metric::FundingGapGbp, (exit - p.funding).max(0.0)),
        (Metric::FundingSurplusGbp, (p.funding - exit).max(0.0)),
        (Metric::FundingGapAny, flag(exit - p.funding > 0.0)),
        (Metric::HeadcountStart, t.headcount),
        (Metric::NaturalLeavers, t.natural),
        (Metric::Transferred, t.transferred),
        (Metric::TransferredIn, t.arrived),
        (Metric::TransferredInFte, t.arrived_fte),
        (Metric::MovedByMerger, t.moved),
        (Metric::ExitsVr, t.vr),
        (Metric::ExitsMars, t.mars),
        (Metric::ExitsCr, t.cr),
        (Metric::Redeployed, t.redeployed),
        (Metric::PaidExits, paid),
        (Metric::EarlyRetirements, t.early_retirements),
        (Metric::Rejoiners, t.rejoiners),
        (Metric::FteStart, t.fte),
        (Metric::NaturalLeaversFte, t.natural_fte),
        (Metric::TransferredFte, t.transferred_fte),
        (Metric::ExitsVrFte, t.vr_fte),
        (Metric::ExitsMarsFte, t.mars_fte),
        (Metric::ExitsCrFte, t.cr_fte),
        (Metric::RedeployedFte, t.redeployed_fte),
        (
            Metric::CostPerPaidExitGbp,
            if paid > 0.0 { exit / paid } else { f64::NAN },
        ),
    ];
    for (m, x) in pairs {
        v[m] = x;
    }
}

/// Per financial year: exit costs accrued and paid, savings on the target basis against the
/// baseline, cost shifted to other bodies, and net on both timings.
fn by_year(p: &OrgPaths, cx: &DeriveContext<'_>, b: &[f64]) -> Vec<[f64; YearMetric::COUNT]> {
    let mut out = vec![[0.0; YearMetric::COUNT]; cx.n_fy];
    for (m, &fy) in cx.fy_of_month.iter().enumerate().take(b.len()) {
        let y = &mut out[fy];
        y[YearMetric::ExitCostAccruedGbp.index()] += p.exit_accrued[m];
        y[YearMetric::ExitCostCashGbp.index()] += p.exit_cost[m];
        if p.live.contains(&m) {
            y[YearMetric::SavingsGbp.index()] += (baseline_at(p, m) - b[m]) / 12.0;
        }
        y[YearMetric::CostShiftedGbp.index()] += (p.system[m] - p.own[m]) / 12.0;
    }
    for y in &mut out {
        let s = y[YearMetric::SavingsGbp.index()];
        y[YearMetric::NetAccruedGbp.index()] = s - y[YearMetric::ExitCostAccruedGbp.index()];
        y[YearMetric::NetCashGbp.index()] = s - y[YearMetric::ExitCostCashGbp.index()];
    }
    out
}

/// Green Book NPV: monthly savings (baseline − target-basis run-rate) / 12 less cash exit costs,
/// deflated to start-month prices by the GDP deflator, discounted at the real rate; months past
/// the horizon up to the appraisal period keep the last month's real saving.
fn npv(p: &OrgPaths, cx: &DeriveContext<'_>, b: &[f64]) -> f64 {
    let h = b.len();
    let real = |m: usize, x: f64| {
        x / cx
            .deflate
            .get(m)
            .copied()
            .unwrap_or_else(|| (1.0 + cx.deflator).powf(m as f64 / 12.0))
    };
    let discount = |m: usize| {
        cx.discount
            .get(m)
            .copied()
            .unwrap_or_else(|| (1.0 + cx.discount_rate).powf(-(m as f64) / 12.0))
    };
    let mut total = 0.0;
    for (m, (rate, cash)) in b.iter().zip(&p.exit_cost).enumerate() {
        let saving = if p.live.contains(&m) {
            (baseline_at(p, m) - rate) / 12.0
        } else {
            0.0
        };
        let net = saving - cash - p.merger_cost[m];
        total += real(m, net) * discount(m);
    }
    let held = if p.live.contains(&(h - 1)) {
        real(h - 1, (baseline_at(p, h - 1) - b[h - 1]) / 12.0)
    } else {
        0.0
    };
    for m in h..cx.appraisal_months {
        total += held * discount(m);
    }
    total
}

/// Months of savings from paid exits needed to cover cumulative accrued exit cost, counted from
/// the first month with an accrued exit cost (NaN when there is none or it is not recovered in
/// the horizon). Greater Manchester's figure of ~17 months is this measure.
fn payback_months(p: &OrgPaths) -> f64 {
    let Some(first) = p.exit_accrued.iter().position(|c| *c > 0.0) else {
        return f64::NAN;
    };
    let (mut cost, mut saved) = (0.0, 0.0);
    for m in first..p.exit_accrued.len() {
        cost += p.exit_accrued[m];
        saved += p.paid_saving[m] / 12.0;
        if saved >= cost {
            return (m - first + 1) as f64;
        }
    }
    f64::NAN
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx<'a>(pay_index: &'a [f64], fy: &'a [usize]) -> DeriveContext<'a> {
        DeriveContext {
            deadline: 2,
            counts_transfers: false,
            indexation: Indexation::Cash,
            pay_index,
            discount_rate: 0.0,
            deflator: 0.0,
            appraisal_months: pay_index.len(),
            fy_of_month: fy,
            n_fy: fy.last().map_or(0, |l| l + 1),
            deflate: &[],
            discount: &[],
        }
    }

    fn flat(h: usize, baseline: f64, run_rate: f64, target: f64) -> OrgPaths {
        let mut p = OrgPaths::zeros(h);
        p.baseline = baseline;
        p.target = target;
        p.own = vec![run_rate; h];
        p.system = vec![run_rate; h];
        p
    }

    #[test]
    fn payback_counts_months_of_savings_to_cover_accrued_cost() {
        // Greater Manchester's shape: £104k cost, £72k a year saved → 104 / 6 = 17.3 → 18 months.
        let mut p = OrgPaths::zeros(36);
        p.exit_accrued[3] = 104_000.0;
        for m in 3..36 {
            p.paid_saving[m] = 72_000.0;
        }
        assert_eq!(payback_months(&p), 18.0);
        let mut never = OrgPaths::zeros(12);
        never.exit_accrued[0] = 1e9;
        assert!(payback_months(&never).is_nan());
    }

    #[test]
    fn met_recurrently_needs_the_twelve_months_after_the_deadline() {
        // Holds at the deadline (month 2) but breaks in month 10: met at the deadline only.
        let mut h = vec![
            false, false, true, true, true, true, true, true, true, true, false,
        ];
        h.extend(vec![true; 10]);
        assert!(!holds_recurrently(&h, 2));
        assert!(h[2]);
        // First month from which 12 months hold (to 23, or the horizon end) is 11.
        assert_eq!(months_to_target(&h), Some(11));
        assert_eq!(months_to_target(&[false, false]), None);
        // Near the horizon end the window is cut at the last month.
        assert!(holds_recurrently(&[false, true, true], 1));
    }

    #[test]
    fn pay_indexation_uprates_the_target_each_month() {
        let idx = [1.0, 1.0, 1.03, 1.03];
        let fy = [0, 0, 1, 1];
        let mut c = cx(&idx, &fy);
        c.indexation = Indexation::Pay;
        // Run-rate 102 against a cash target of 100: misses in cash, meets when uprated to 103.
        let p = flat(4, 200.0, 102.0, 100.0);
        let d = derive_org(&p, &c);
        assert_eq!(d.holds, vec![false, false, true, true]);
        assert_eq!(d.result.scalars[Metric::TargetGbp], 103.0);
        c.indexation = Indexation::Cash;
        assert_eq!(derive_org(&p, &c).holds, vec![false; 4]);
    }

    #[test]
    fn savings_exclude_cost_shifted_and_net_subtracts_each_timing() {
        // Baseline 1,200 a year; own 600 and system 840 (240 moved to another body) throughout.
        let idx = [1.0; 4];
        let fy = [0, 0, 1, 1];
        let mut p = flat(4, 1200.0, 600.0, 700.0);
        p.system = vec![840.0; 4];
        p.exit_accrued[0] = 50.0;
        p.exit_cost[2] = 50.0;
        let r = derive_org(&p, &cx(&idx, &fy)).result;
        let y0 = r.by_year[0];
        // Savings a month (1200 − 840) / 12 = 30; cost shifted (840 − 600) / 12 = 20.
        assert_eq!(y0[YearMetric::SavingsGbp.index()], 60.0);
        assert_eq!(y0[YearMetric::CostShiftedGbp.index()], 40.0);
        assert_eq!(y0[YearMetric::NetAccruedGbp.index()], 10.0);
        assert_eq!(y0[YearMetric::NetCashGbp.index()], 60.0);
        assert_eq!(r.by_year[1][YearMetric::NetCashGbp.index()], 10.0);
        assert_eq!(r.scalars[Metric::SavingsGbp], 120.0);
        assert_eq!(r.scalars[Metric::CostShiftedGbp], 80.0);
        // The target basis is the system run-rate: 840 > 700, not met.
        assert_eq!(r.scalars[Metric::RunRateAtDeadlineGbp], 840.0);
        assert_eq!(r.scalars[Metric::RunRateOwnAtDeadlineGbp], 600.0);
        assert_eq!(r.scalars[Metric::TargetMet], 0.0);
    }

    #[test]
    fn recurrent_saving_in_todays_prices_and_cash() {
        // Baseline 1,000; run-rate 550 at the deadline after a 10% pay index.
        let idx = [1.0, 1.1, 1.1];
        let fy = [0, 1, 1];
        let p = flat(3, 1000.0, 550.0, 500.0);
        let r = derive_org(&p, &cx(&idx, &fy)).result;
        assert!((r.scalars[Metric::RecurrentSavingGbp] - 500.0).abs() < 1e-9);
        assert!((r.scalars[Metric::RecurrentSavingCashGbp] - 550.0).abs() < 1e-9);
    }

    #[test]
    fn npv_deflates_discounts_and_holds_savings_past_the_horizon() {
        // Saving 120 a year = 10 a month; 2 months simulated, appraisal 4 months; rates zero:
        // 10 + 10 + 10 + 10 − 15 exit = 25.
        let idx = [1.0, 1.0];
        let fy = [0, 0];
        let mut c = cx(&idx, &fy);
        c.deadline = 0;
        c.appraisal_months = 4;
        let mut p = flat(2, 240.0, 120.0, 200.0);
        p.exit_cost[1] = 15.0;
        assert!((derive_org(&p, &c).result.scalars[Metric::NpvGbp] - 25.0).abs() < 1e-9);
        // A 12% deflator a year and 0% discount: month 12 would count 10 / 1.12; check one
        // month at m = 1: 10 / 1.12^(1/12).
        c.deflator = 0.12;
        c.appraisal_months = 2;
        p.exit_cost[1] = 0.0;
        let want = 10.0 + 10.0 / 1.12f64.powf(1.0 / 12.0);
        assert!((derive_org(&p, &c).result.scalars[Metric::NpvGbp] - want).abs() < 1e-9);
    }

    #[test]
    fn the_total_meets_only_when_every_organisation_does_and_gaps_do_not_net() {
        let idx = [1.0; 3];
        let fy = [0, 0, 0];
        let c = cx(&idx, &fy);
        // A meets (90 ≤ 100), B misses (110 > 100); pooled 200 ≤ 200 meets.
        let mut a = flat(3, 200.0, 90.0, 100.0);
        let mut b = flat(3, 200.0, 110.0, 100.0);
        a.funding = 50.0;
        a.tally.redundancy_pay = 10.0; // surplus 40
        b.funding = 0.0;
        b.tally.redundancy_pay = 30.0; // gap 30
        let (da, db) = (derive_org(&a, &c), derive_org(&b, &c));
        let mut pooled = a.clone();
        pooled.add(&b);
        let t = derive_total(&pooled, &[da.clone(), db.clone()], None, &c);
        assert_eq!(t.scalars[Metric::TargetMet], 0.0);
        assert_eq!(t.scalars[Metric::TargetMetPooled], 1.0);
        assert_eq!(t.scalars[Metric::OrgsMeetingTarget], 1.0);
        assert!(t.scalars[Metric::MonthsToTarget].is_nan());
        assert_eq!(t.scalars[Metric::FundingGapGbp], 30.0);
        assert_eq!(t.scalars[Metric::FundingSurplusGbp], 40.0);
        assert_eq!(t.scalars[Metric::FundingGapAny], 1.0);
        // With a central pot of 0 the funding pools: 50 of funding against 40 of cost.
        let t = derive_total(&pooled, &[da, db], Some(0.0), &c);
        assert_eq!(t.scalars[Metric::FundingGapGbp], 0.0);
        assert_eq!(t.scalars[Metric::FundingSurplusGbp], 10.0);
        assert_eq!(t.scalars[Metric::FundingGapAny], 0.0);
    }
}
