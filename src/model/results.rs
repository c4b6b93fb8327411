//! The results of one iteration: monthly paths, counts and costs, and the scalars derived from them.
//!
//! One organisation's iteration produces an [`OrgPaths`]. The national total is the element-wise
//! sum of its organisations' paths; every scalar (target met, NPV, payback…) is derived from
//! paths in [`super::derive`], the same way for an organisation and for the total. What each result is called and means is in [`crate::metric`].

pub use super::derive::OrgResult;

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
    /// Joined with a function arriving.
    pub arrived: f64,
    /// FTE joined with a function arriving.
    pub arrived_fte: f64,
    /// Moved by a statutory merger: negative out of a member, positive into its successor.
    pub moved: f64,
}

impl Tally {
    /// Adds another tally (for the national total).
    pub fn add(&mut self, o: &Tally) {
        let a = self.as_array_mut();
        for (x, y) in a.into_iter().zip(o.as_array()) {
            *x += y;
        }
    }

    fn as_array(&self) -> [f64; 29] {
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
            self.arrived,
            self.arrived_fte,
            self.moved,
        ]
    }

    fn as_array_mut(&mut self) -> [&mut f64; 29] {
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
            &mut self.arrived,
            &mut self.arrived_fte,
            &mut self.moved,
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
    /// Exit costs paid in each month: the cash timing (clawback in the month repaid).
    pub exit_cost: Vec<f64>,
    /// Exit costs accrued in each month, when the organisation is committed (VR/MARS approval,
    /// CR notice served, a transfer confirmed); clawback in the month repaid.
    pub exit_accrued: Vec<f64>,
    /// One-off merger costs by month (the same on the accrued and the cash timing).
    pub merger_cost: Vec<f64>,
    /// Counts and cost components.
    pub tally: Tally,
    /// Baseline run-rate in the start month.
    pub baseline: f64,
    /// Target run-rate before any budget moves out with a function.
    pub target: f64,
    /// Budget moved out with functions by each month (`allocation_transfer_share`; £ a year,
    /// start-month prices): it leaves the baseline from the transfer month.
    pub baseline_moved: Vec<f64>,
    /// How far those moves have lowered the (cash) target by each month (£ a year).
    pub target_moved: Vec<f64>,
    /// Changes of the target from a month on (before indexation): a successor whose own envelope
    /// differs from its members' targets changes the total's target from the merger month.
    pub target_shift: Vec<(usize, f64)>,
    /// Central funding.
    pub funding: f64,
    /// The months in which the organisation exists: the whole horizon, up to the merger for a
    /// member, from the merger for a successor (`docs/model.md` §2.4a). Outside them its monthly
    /// figures are zero and its target is not tested.
    pub live: std::ops::Range<usize>,
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
            exit_cost: z.clone(),
            exit_accrued: z.clone(),
            baseline_moved: z.clone(),
            target_moved: z.clone(),
            merger_cost: z,
            live: 0..h,
            ..OrgPaths::default()
        }
    }

    /// The target (before indexation) in month `m`: the target with every shift from `m` or
    /// earlier added.
    pub fn target_in(&self, m: usize) -> f64 {
        self.target
            + self
                .target_shift
                .iter()
                .filter(|(from, _)| *from <= m)
                .map(|(_, x)| x)
                .sum::<f64>()
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
            (&mut self.exit_accrued, &o.exit_accrued),
            (&mut self.baseline_moved, &o.baseline_moved),
            (&mut self.target_moved, &o.target_moved),
            (&mut self.merger_cost, &o.merger_cost),
        ] {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        self.tally.add(&o.tally);
        // Baseline and target are those of the organisations existing at the start; a successor
        // carries its members' (summed) and changes the target only by its shifts.
        if o.live.start == 0 {
            self.baseline += o.baseline;
            self.target += o.target;
        }
        self.target_shift.extend_from_slice(&o.target_shift);
        self.funding += o.funding;
    }
}
