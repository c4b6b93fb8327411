//! The results of one iteration: monthly paths, counts and costs, and the scalars derived from them.
//!
//! One organisation's iteration produces an [`OrgPaths`]. The national total is the element-wise
//! sum of its organisations' paths, and every scalar (target met, NPV, payback…) is derived from
//! paths by the same function, [`OrgPaths::derive`], so organisation and total results are
//! computed identically. What each result is called and means is in [`crate::metric`].

use crate::metric::{Metric, Scalars, Series, YearMetric};

/// End states and costs counted over one iteration.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// Staff at the start.
    pub headcount: f64,
    /// FTE at the start.
    pub fte: f64,
    /// Natural leavers (not replaced).
    pub natural: f64,
    /// Moved with a function.
    pub transferred: f64,
    /// Voluntary redundancy.
    pub vr: f64,
    /// MARS.
    pub mars: f64,
    /// Compulsory redundancy (paid).
    pub cr: f64,
    /// Redeployed instead of made redundant.
    pub redeployed: f64,
    /// FTE of each route, same order.
    pub natural_fte: f64,
    /// FTE transferred.
    pub transferred_fte: f64,
    /// FTE VR.
    pub vr_fte: f64,
    /// FTE MARS.
    pub mars_fte: f64,
    /// FTE CR.
    pub cr_fte: f64,
    /// FTE redeployed.
    pub redeployed_fte: f64,
    /// Early retirements among VR/CR leavers.
    pub early_retirements: f64,
    /// Voluntary leavers who rejoined the NHS.
    pub rejoiners: f64,
    /// Section 16 pay.
    pub redundancy_pay: f64,
    /// MARS pay.
    pub mars_pay: f64,
    /// PILON.
    pub pilon: f64,
    /// Employer NI on termination payments and PILON.
    pub employer_ni: f64,
    /// Pension strain excess (local terms).
    pub pension_strain: f64,
    /// Legal and admin.
    pub legal: f64,
    /// Clawback recovered (reduces exit cost).
    pub clawback: f64,
    /// Exit cost of VR net of its clawback.
    pub cost_vr: f64,
    /// Exit cost of MARS net of its clawback.
    pub cost_mars: f64,
    /// Exit cost of CR.
    pub cost_cr: f64,
}

impl Tally {
    /// Adds another tally (for the national total).
    pub fn add(&mut self, o: &Tally) {
        let a = self.as_array_mut();
        for (x, y) in a.into_iter().zip(o.as_array()) {
            *x += y;
        }
    }

    fn as_array(&self) -> [f64; 26] {
        [
            self.headcount,
            self.fte,
            self.natural,
            self.transferred,
            self.vr,
            self.mars,
            self.cr,
            self.redeployed,
            self.natural_fte,
            self.transferred_fte,
            self.vr_fte,
            self.mars_fte,
            self.cr_fte,
            self.redeployed_fte,
            self.early_retirements,
            self.rejoiners,
            self.redundancy_pay,
            self.mars_pay,
            self.pilon,
            self.employer_ni,
            self.pension_strain,
            self.legal,
            self.clawback,
            self.cost_vr,
            self.cost_mars,
            self.cost_cr,
        ]
    }

    fn as_array_mut(&mut self) -> [&mut f64; 26] {
        [
            &mut self.headcount,
            &mut self.fte,
            &mut self.natural,
            &mut self.transferred,
            &mut self.vr,
            &mut self.mars,
            &mut self.cr,
            &mut self.redeployed,
            &mut self.natural_fte,
            &mut self.transferred_fte,
            &mut self.vr_fte,
            &mut self.mars_fte,
            &mut self.cr_fte,
            &mut self.redeployed_fte,
            &mut self.early_retirements,
            &mut self.rejoiners,
            &mut self.redundancy_pay,
            &mut self.mars_pay,
            &mut self.pilon,
            &mut self.employer_ni,
            &mut self.pension_strain,
            &mut self.legal,
            &mut self.clawback,
            &mut self.cost_vr,
            &mut self.cost_mars,
            &mut self.cost_cr,
        ]
    }

    /// Total exit cost: every component less clawback.
    pub fn exit_cost(&self) -> f64 {
        self.redundancy_pay
            + self.mars_pay
            + self.pilon
            + self.employer_ni
            + self.pension_strain
            + self.legal
            - self.clawback
    }
}

/// One organisation's (or the total's) monthly paths in one iteration. All run-rates are £ a year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgPaths {
    /// Own running-cost run-rate by month.
    pub own: Vec<f64>,
    /// Own plus functions transferred out (the "system" run-rate).
    pub system: Vec<f64>,
    /// Everything the NHS still pays: system plus redeployed staff and rejoiners.
    pub nhs: Vec<f64>,
    /// Do-nothing run-rate: every starting post kept, pay awards applied, non-pay at baseline.
    pub counterfactual: Vec<f64>,
    /// Run-rate saved by paid exits (VR, MARS, CR), net of rejoiners, for payback.
    pub paid_saving: Vec<f64>,
    /// Headcount by month.
    pub headcount: Vec<f64>,
    /// FTE by month.
    pub fte: Vec<f64>,
    /// Exit costs falling in each month (clawback in the month repaid).
    pub exit_cost: Vec<f64>,
    /// Counts and cost components.
    pub tally: Tally,
    /// Baseline run-rate.
    pub baseline: f64,
    /// Target run-rate.
    pub target: f64,
    /// Central funding.
    pub funding: f64,
}

/// Settings shared by every organisation in an iteration, needed to derive scalars.
#[derive(Debug, Clone, Copy)]
pub struct DeriveContext<'a> {
    /// Deadline month offset.
    pub deadline: usize,
    /// Whether transfers count as savings (target measured on own run-rate).
    pub counts_transfers: bool,
    /// Annual discount rate.
    pub discount_rate: f64,
    /// Financial-year index of each month.
    pub fy_of_month: &'a [usize],
    /// Number of financial years touched.
    pub n_fy: usize,
}

/// What one organisation's iteration reports.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgResult {
    /// Every scalar result, indexed by [`Metric`].
    pub scalars: Scalars,
    /// Series in [`Series::ALL`] order, each one value per month.
    pub series: Vec<Vec<f64>>,
    /// Per financial year, in [`YearMetric::ALL`] order.
    pub by_year: Vec<[f64; YearMetric::COUNT]>,
}

impl OrgPaths {
    /// Zeroed paths for a horizon.
    pub fn zeros(h: usize) -> OrgPaths {
        let z = vec![0.0; h];
        OrgPaths {
            own: z.clone(),
            system: z.clone(),
            nhs: z.clone(),
            counterfactual: z.clone(),
            paid_saving: z.clone(),
            headcount: z.clone(),
            fte: z.clone(),
            exit_cost: z,
            ..OrgPaths::default()
        }
    }

    /// Adds another organisation's paths (for the national total).
    pub fn add(&mut self, o: &OrgPaths) {
        for (a, b) in [
            (&mut self.own, &o.own),
            (&mut self.system, &o.system),
            (&mut self.nhs, &o.nhs),
            (&mut self.counterfactual, &o.counterfactual),
            (&mut self.paid_saving, &o.paid_saving),
            (&mut self.headcount, &o.headcount),
            (&mut self.fte, &o.fte),
            (&mut self.exit_cost, &o.exit_cost),
        ] {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        self.tally.add(&o.tally);
        self.baseline += o.baseline;
        self.target += o.target;
        self.funding += o.funding;
    }

    /// The run-rate measured against the target.
    fn target_basis(&self, counts_transfers: bool) -> &[f64] {
        if counts_transfers {
            &self.own
        } else {
            &self.system
        }
    }

    /// Derives every scalar, series and financial-year figure.
    pub fn derive(&self, cx: &DeriveContext<'_>) -> OrgResult {
        let h = self.own.len();
        let d = cx.deadline.min(h - 1);
        let basis = self.target_basis(cx.counts_transfers);
        // A tolerance of a penny a year absorbs rounding in sums of many people.
        let met = |m: usize| basis[m] <= self.target + 0.01;
        let first_met = (0..h).find(|&m| met(m));
        let months_to_target = first_met.map_or(f64::NAN, |m| m as f64);
        let target_met_by: Vec<f64> = (0..h)
            .map(|m| f64::from(u8::from(first_met.is_some_and(|f| f <= m))))
            .collect();

        let monthly_saving = |m: usize, path: &[f64]| (self.counterfactual[m] - path[m]) / 12.0;
        let mut npv = 0.0;
        let mut by_year = vec![[0.0; YearMetric::COUNT]; cx.n_fy];
        for m in 0..h {
            let s_own = monthly_saving(m, &self.own);
            let s_nhs = monthly_saving(m, &self.nhs);
            let y = &mut by_year[cx.fy_of_month[m]];
            y[YearMetric::ExitCostGbp.index()] += self.exit_cost[m];
            y[YearMetric::SavingsGbp.index()] += s_own;
            y[YearMetric::SavingsNhsGbp.index()] += s_nhs;
            y[YearMetric::NetGbp.index()] += s_nhs - self.exit_cost[m];
            npv += (s_nhs - self.exit_cost[m]) / (1.0 + cx.discount_rate).powf(m as f64 / 12.0);
        }
        let payback = self.payback_months();
        let t = &self.tally;
        let exit_cost = t.exit_cost();
        let paid = t.vr + t.mars + t.cr;
        let mut v = Scalars::default();
        v[Metric::BaselineGbp] = self.baseline;
        v[Metric::TargetGbp] = self.target;
        v[Metric::ExitCostGbp] = exit_cost;
        v[Metric::RedundancyPayGbp] = t.redundancy_pay;
        v[Metric::MarsPayGbp] = t.mars_pay;
        v[Metric::PilonGbp] = t.pilon;
        v[Metric::EmployerNiGbp] = t.employer_ni;
        v[Metric::PensionStrainGbp] = t.pension_strain;
        v[Metric::LegalGbp] = t.legal;
        v[Metric::ClawbackGbp] = t.clawback;
        v[Metric::ExitCostVrGbp] = t.cost_vr;
        v[Metric::ExitCostMarsGbp] = t.cost_mars;
        v[Metric::ExitCostCrGbp] = t.cost_cr;
        v[Metric::FundingGbp] = self.funding;
        v[Metric::FundingGapGbp] = (exit_cost - self.funding).max(0.0);
        v[Metric::TargetMet] = f64::from(u8::from(met(d)));
        v[Metric::MonthsToTarget] = months_to_target;
        v[Metric::RunRateAtDeadlineGbp] = self.own[d];
        v[Metric::RunRateSystemAtDeadlineGbp] = self.system[d];
        v[Metric::ReductionAtDeadline] = 1.0 - basis[d] / self.baseline;
        v[Metric::RecurrentSavingGbp] = self.counterfactual[h - 1] - basis[h - 1];
        v[Metric::RecurrentSavingNhsGbp] = self.counterfactual[h - 1] - self.nhs[h - 1];
        v[Metric::NpvGbp] = npv;
        v[Metric::PaybackMonths] = payback;
        v[Metric::HeadcountStart] = t.headcount;
        v[Metric::HeadcountEnd] = self.headcount[h - 1];
        v[Metric::NaturalLeavers] = t.natural;
        v[Metric::Transferred] = t.transferred;
        v[Metric::ExitsVr] = t.vr;
        v[Metric::ExitsMars] = t.mars;
        v[Metric::ExitsCr] = t.cr;
        v[Metric::Redeployed] = t.redeployed;
        v[Metric::PaidExits] = paid;
        v[Metric::EarlyRetirements] = t.early_retirements;
        v[Metric::Rejoiners] = t.rejoiners;
        v[Metric::FteStart] = t.fte;
        v[Metric::NaturalLeaversFte] = t.natural_fte;
        v[Metric::TransferredFte] = t.transferred_fte;
        v[Metric::ExitsVrFte] = t.vr_fte;
        v[Metric::ExitsMarsFte] = t.mars_fte;
        v[Metric::ExitsCrFte] = t.cr_fte;
        v[Metric::RedeployedFte] = t.redeployed_fte;
        v[Metric::CostPerPaidExitGbp] = if paid > 0.0 {
            exit_cost / paid
        } else {
            f64::NAN
        };
        OrgResult {
            scalars: v,
            series: Series::ALL
                .iter()
                .map(|s| match s {
                    Series::RunRateGbp => self.own.clone(),
                    Series::RunRateSystemGbp => self.system.clone(),
                    Series::Headcount => self.headcount.clone(),
                    Series::Fte => self.fte.clone(),
                    Series::TargetMetBy => target_met_by.clone(),
                    Series::ExitCostGbp => self.exit_cost.clone(),
                })
                .collect(),
            by_year,
        }
    }

    /// Months of savings from paid exits needed to cover cumulative exit costs, counted from the
    /// first month with an exit cost (NaN when there are none or they are not recovered in the
    /// horizon). Greater Manchester's figure of ~17 months is this measure.
    fn payback_months(&self) -> f64 {
        let Some(first) = self.exit_cost.iter().position(|c| *c > 0.0) else {
            return f64::NAN;
        };
        let (mut cost, mut saved) = (0.0, 0.0);
        for m in first..self.exit_cost.len() {
            cost += self.exit_cost[m];
            saved += self.paid_saving[m] / 12.0;
            if saved >= cost {
                return (m - first + 1) as f64;
            }
        }
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payback_counts_months_of_savings_to_cover_cost() {
        // Greater Manchester's shape: £104k cost, £72k a year saved → 104 / 6 = 17.3 → 18 months.
        let mut p = OrgPaths::zeros(36);
        p.exit_cost[3] = 104_000.0;
        for m in 3..36 {
            p.paid_saving[m] = 72_000.0;
        }
        assert_eq!(p.payback_months(), 18.0);
        let mut never = OrgPaths::zeros(12);
        never.exit_cost[0] = 1e9;
        assert!(never.payback_months().is_nan());
    }
}
