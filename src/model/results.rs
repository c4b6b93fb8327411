//! The results of one iteration: monthly paths, counts and costs, and the scalars derived from them.
//!
//! One organisation's iteration produces an [`OrgPaths`]. The national total is the element-wise
//! sum of its organisations' paths, and every scalar (target met, NPV, payback…) is derived from
//! paths by the same function, [`OrgPaths::derive`], so organisation and total results are
//! computed identically. The metric names here are the column contract of the output files.

/// Scalar metrics, in output order: (name, unit).
pub const METRICS: &[(&str, &str)] = &[
    ("baseline_gbp", "gbp_per_year"),
    ("target_gbp", "gbp_per_year"),
    ("exit_cost_gbp", "gbp"),
    ("redundancy_pay_gbp", "gbp"),
    ("mars_pay_gbp", "gbp"),
    ("pilon_gbp", "gbp"),
    ("employer_ni_gbp", "gbp"),
    ("pension_strain_gbp", "gbp"),
    ("legal_gbp", "gbp"),
    ("clawback_gbp", "gbp"),
    ("exit_cost_vr_gbp", "gbp"),
    ("exit_cost_mars_gbp", "gbp"),
    ("exit_cost_cr_gbp", "gbp"),
    ("funding_gbp", "gbp"),
    ("funding_gap_gbp", "gbp"),
    ("target_met", "probability"),
    ("months_to_target", "months"),
    ("run_rate_at_deadline_gbp", "gbp_per_year"),
    ("run_rate_system_at_deadline_gbp", "gbp_per_year"),
    ("reduction_at_deadline", "share"),
    ("recurrent_saving_gbp", "gbp_per_year"),
    ("recurrent_saving_nhs_gbp", "gbp_per_year"),
    ("npv_gbp", "gbp"),
    ("payback_months", "months"),
    ("headcount_start", "count"),
    ("headcount_end", "count"),
    ("natural_leavers", "count"),
    ("transferred", "count"),
    ("exits_vr", "count"),
    ("exits_mars", "count"),
    ("exits_cr", "count"),
    ("redeployed", "count"),
    ("paid_exits", "count"),
    ("early_retirements", "count"),
    ("rejoiners", "count"),
    ("fte_start", "fte"),
    ("natural_leavers_fte", "fte"),
    ("transferred_fte", "fte"),
    ("exits_vr_fte", "fte"),
    ("exits_mars_fte", "fte"),
    ("exits_cr_fte", "fte"),
    ("redeployed_fte", "fte"),
    ("cost_per_paid_exit_gbp", "gbp"),
];

/// Index of a metric in [`METRICS`]; panics in tests only if the name is wrong.
pub fn metric_index(name: &str) -> Option<usize> {
    METRICS.iter().position(|(n, _)| *n == name)
}

/// Monthly series written to `timeseries.csv`, in output order: (name, unit).
pub const SERIES: &[(&str, &str)] = &[
    ("run_rate_gbp", "gbp_per_year"),
    ("run_rate_system_gbp", "gbp_per_year"),
    ("headcount", "count"),
    ("fte", "fte"),
    ("target_met_by", "probability"),
    ("exit_cost_gbp", "gbp"),
];

/// Per-financial-year metrics written to `by_year.csv`.
pub const YEAR_METRICS: &[(&str, &str)] = &[
    ("exit_cost_gbp", "gbp"),
    ("savings_gbp", "gbp"),
    ("savings_nhs_gbp", "gbp"),
    ("net_gbp", "gbp"),
];

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
    /// Scalars in [`METRICS`] order.
    pub scalars: Vec<f64>,
    /// Series in [`SERIES`] order, each one value per month.
    pub series: Vec<Vec<f64>>,
    /// Per financial year, [`YEAR_METRICS`] order.
    pub by_year: Vec<[f64; 4]>,
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
        let mut by_year = vec![[0.0; 4]; cx.n_fy];
        for m in 0..h {
            let s_own = monthly_saving(m, &self.own);
            let s_nhs = monthly_saving(m, &self.nhs);
            let y = &mut by_year[cx.fy_of_month[m]];
            y[0] += self.exit_cost[m];
            y[1] += s_own;
            y[2] += s_nhs;
            y[3] += s_nhs - self.exit_cost[m];
            npv += (s_nhs - self.exit_cost[m]) / (1.0 + cx.discount_rate).powf(m as f64 / 12.0);
        }
        let payback = self.payback_months();
        let t = &self.tally;
        let exit_cost = t.exit_cost();
        let paid = t.vr + t.mars + t.cr;
        let values = [
            self.baseline,
            self.target,
            exit_cost,
            t.redundancy_pay,
            t.mars_pay,
            t.pilon,
            t.employer_ni,
            t.pension_strain,
            t.legal,
            t.clawback,
            t.cost_vr,
            t.cost_mars,
            t.cost_cr,
            self.funding,
            (exit_cost - self.funding).max(0.0),
            f64::from(u8::from(met(d))),
            months_to_target,
            self.own[d],
            self.system[d],
            1.0 - basis[d] / self.baseline,
            self.counterfactual[h - 1] - basis[h - 1],
            self.counterfactual[h - 1] - self.nhs[h - 1],
            npv,
            payback,
            t.headcount,
            self.headcount[h - 1],
            t.natural,
            t.transferred,
            t.vr,
            t.mars,
            t.cr,
            t.redeployed,
            paid,
            t.early_retirements,
            t.rejoiners,
            t.fte,
            t.natural_fte,
            t.transferred_fte,
            t.vr_fte,
            t.mars_fte,
            t.cr_fte,
            t.redeployed_fte,
            if paid > 0.0 {
                exit_cost / paid
            } else {
                f64::NAN
            },
        ];
        debug_assert_eq!(values.len(), METRICS.len());
        OrgResult {
            scalars: values.to_vec(),
            series: vec![
                self.own.clone(),
                self.system.clone(),
                self.headcount.clone(),
                self.fte.clone(),
                target_met_by,
                self.exit_cost.clone(),
            ],
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
    fn metric_names_are_unique() {
        for (i, (a, _)) in METRICS.iter().enumerate() {
            assert!(METRICS[i + 1..].iter().all(|(b, _)| a != b), "{a}");
        }
    }

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
