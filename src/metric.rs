//! The results contract: every scalar result, monthly series and financial-year figure as a type.
//!
//! A [`Metric`] names one scalar result of an iteration (per organisation and for the total): its
//! column name in the output files, its unit, its kind and a one-line meaning. Results are stored
//! in [`Scalars`], an array indexed by [`Metric`], so a metric cannot be misspelt or looked up by
//! a position that has drifted. [`Series`] and [`YearMetric`] do the same for `timeseries.csv` and
//! `by_year.csv`. This is the only place a metric's name is written as text: everything else
//! (writers, readers, guards, goal seek, comparison, the terminal) goes through these types.
//! The definitions themselves are in `docs/model.md`.

use std::fmt;
use std::ops::{Deref, DerefMut, Index, IndexMut};

/// What a metric measures, which decides how it is printed and which statistics make sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Pounds (a stock, or a run-rate in £ a year).
    Money,
    /// A number of people.
    Count,
    /// Full-time equivalents.
    Fte,
    /// A share between 0 and 1.
    Share,
    /// A yes/no result: its mean over iterations is a probability.
    Probability,
    /// A number of months.
    Months,
}

/// The name given is not a metric; carries the nearest name, if any.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown metric '{name}'{}", hint(.suggestion))]
pub struct UnknownMetric {
    /// The name as given.
    pub name: String,
    /// The closest known name.
    pub suggestion: Option<&'static str>,
}

fn hint(s: &Option<&'static str>) -> String {
    s.map(|c| format!(" (did you mean '{c}'?)"))
        .unwrap_or_default()
}

macro_rules! metric_table {
    ($(#[$doc:meta])* $ty:ident : $( $v:ident => $name:literal, $unit:literal, $kind:ident, $meaning:literal; )*) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $ty {
            $(
                #[doc = $meaning]
                $v,
            )*
        }

        impl $ty {
            /// Every variant, in output order.
            pub const ALL: &'static [$ty] = &[$($ty::$v),*];
            /// How many there are.
            pub const COUNT: usize = [$($name),*].len();
            const NAMES: &'static [&'static str] = &[$($name),*];

            /// The column name used in every output file.
            pub fn name(self) -> &'static str {
                match self { $($ty::$v => $name),* }
            }

            /// The unit written beside it (`gbp`, `gbp_per_year`, `count`…).
            pub fn unit(self) -> &'static str {
                match self { $($ty::$v => $unit),* }
            }

            /// What kind of quantity it is.
            pub fn kind(self) -> Kind {
                match self { $($ty::$v => Kind::$kind),* }
            }

            /// One line saying what it means.
            pub fn meaning(self) -> &'static str {
                match self { $($ty::$v => $meaning),* }
            }

            /// Position in output order (the index into a results array).
            pub fn index(self) -> usize {
                self as usize
            }

            /// The variant with this column name.
            ///
            /// # Errors
            /// [`UnknownMetric`], with the closest name as a suggestion, for any other name.
            pub fn from_name(name: &str) -> Result<$ty, UnknownMetric> {
                $ty::ALL
                    .iter()
                    .copied()
                    .find(|m| m.name() == name)
                    .ok_or_else(|| UnknownMetric {
                        name: name.to_string(),
                        suggestion: crate::suggest::closest(name, $ty::NAMES),
                    })
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

metric_table! {
    /// A scalar result of one iteration, per organisation and for the total (`summary.csv`,
    /// `iterations.csv`).
    Metric:
    BaselineGbp => "baseline_gbp", "gbp_per_year", Money, "Run-rate the target is set on, in the deadline month: counted pay with on-costs, non-pay, vacant posts and temporary staffing at the start, less budgets moved out with functions; cash.";
    TargetGbp => "target_gbp", "gbp_per_year", Money, "The target run-rate in the deadline month (uprated by the pay index when indexation is \"pay\").";
    ExitCostGbp => "exit_cost_gbp", "gbp", Money, "Total exit cost: every component less clawback (the same on the accrued and the cash timing).";
    RedundancyPayGbp => "redundancy_pay_gbp", "gbp", Money, "Section 16 redundancy pay (VR and CR).";
    MarsPayGbp => "mars_pay_gbp", "gbp", Money, "MARS payments.";
    PilonGbp => "pilon_gbp", "gbp", Money, "Pay in lieu of notice.";
    EmployerNiGbp => "employer_ni_gbp", "gbp", Money, "Employer NI on termination payments above £30,000 and on PILON.";
    PensionStrainGbp => "pension_strain_gbp", "gbp", Money, "Pension strain paid beyond the redundancy payment (local terms).";
    LegalGbp => "legal_gbp", "gbp", Money, "Legal and administrative cost of compulsory redundancies, and legal advice on VR settlement agreements.";
    ClawbackGbp => "clawback_gbp", "gbp", Money, "Payments recovered from leavers who rejoin the NHS (reduces exit cost).";
    ExitCostVrGbp => "exit_cost_vr_gbp", "gbp", Money, "Exit cost of voluntary redundancy, net of its clawback.";
    ExitCostMarsGbp => "exit_cost_mars_gbp", "gbp", Money, "Exit cost of MARS, net of its clawback.";
    ExitCostCrGbp => "exit_cost_cr_gbp", "gbp", Money, "Exit cost of compulsory redundancy (including staff displaced by a transfer).";
    FundingGbp => "funding_gbp", "gbp", Money, "Central funding for exit costs (for the total: the organisations' funding plus any central pot).";
    FundingGapGbp => "funding_gap_gbp", "gbp", Money, "Exit cost not covered by funding: per organisation max(0, exit cost - funding); for the total the sum of the organisations' gaps (pooled only against a declared central pot).";
    FundingSurplusGbp => "funding_surplus_gbp", "gbp", Money, "Funding left after exit costs: per organisation max(0, funding - exit cost); summed for the total.";
    MergerCostGbp => "merger_cost_gbp", "gbp", Money, "One-off cost of statutory mergers, in the merger month (not an exit cost; counted in the NPV).";
    FundingGapAny => "funding_gap_any", "probability", Probability, "1 when the funding gap is above zero (for the total: any organisation, or the central pot, is short).";
    TargetMet => "target_met", "probability", Probability, "1 when the target is met in the deadline month and each of the 12 months after it inside the horizon (for the total: every organisation meets its own in the months it exists); undefined for an organisation that does not exist in the deadline month.";
    TargetMetAtDeadline => "target_met_at_deadline", "probability", Probability, "1 when the target is met in the deadline month alone (for the total: every organisation).";
    TargetMetPooled => "target_met_pooled", "probability", Probability, "target_met tested on the summed run-rate against the summed target (equals target_met for one organisation).";
    OrgsMeetingTarget => "orgs_meeting_target", "count", Count, "How many organisations meet their own target (target_met).";
    MonthsToTarget => "months_to_target", "months", Months, "Months from the start to the first month from which the target holds for 12 months or to the horizon end; undefined (\"never\") otherwise.";
    RunRateAtDeadlineGbp => "run_rate_at_deadline_gbp", "gbp_per_year", Money, "Run-rate on the target basis in the deadline month.";
    RunRateOwnAtDeadlineGbp => "run_rate_own_at_deadline_gbp", "gbp_per_year", Money, "The organisation's own run-rate in the deadline month.";
    RunRateSystemAtDeadlineGbp => "run_rate_system_at_deadline_gbp", "gbp_per_year", Money, "Own run-rate plus functions transferred out, in the deadline month.";
    ReductionAtDeadline => "reduction_at_deadline", "share", Share, "1 - target-basis run-rate at the deadline / baseline.";
    RecurrentSavingGbp => "recurrent_saving_gbp", "gbp_per_year", Money, "Baseline less the target-basis run-rate at the deadline deflated to start-month prices by the pay index (today's prices).";
    RecurrentSavingCashGbp => "recurrent_saving_cash_gbp", "gbp_per_year", Money, "Baseline uprated by the pay index to the deadline less the target-basis run-rate there (cash).";
    SavingsGbp => "savings_gbp", "gbp", Money, "Savings over the horizon: the sum over months of (baseline - target-basis run-rate) / 12, cash.";
    CostShiftedGbp => "cost_shifted_gbp", "gbp", Money, "Cost moved to other NHS bodies over the horizon: the sum over months of (system - own run-rate) / 12; never a saving.";
    NpvGbp => "npv_gbp", "gbp", Money, "Savings less cash exit costs and merger costs, in real terms (GDP deflator), discounted at the Green Book rate over the appraisal period, savings held at their last real level beyond the horizon.";
    PaybackMonths => "payback_months", "months", Months, "Months from the first accrued exit cost until savings from paid exits cover cumulative accrued exit cost; undefined (\"never\") when there is no exit cost or it is not recovered inside the horizon.";
    HeadcountStart => "headcount_start", "count", Count, "Staff at the start.";
    HeadcountAtDeadline => "headcount_at_deadline", "count", Count, "Staff in post in the deadline month.";
    HeadcountEnd => "headcount_end", "count", Count, "Staff in post in the last month.";
    NaturalLeavers => "natural_leavers", "count", Count, "Staff who left naturally and were not replaced.";
    Transferred => "transferred", "count", Count, "Staff who moved with a transferred function.";
    TransferredIn => "transferred_in", "count", Count, "Staff who joined with a function arriving (transfer in).";
    MovedByMerger => "moved_by_merger", "count", Count, "Staff moved by a statutory merger: out of a member (negative) into its successor (positive); 0 for the total.";
    ExitsVr => "exits_vr", "count", Count, "Voluntary redundancies.";
    ExitsMars => "exits_mars", "count", Count, "Mutually agreed resignations.";
    ExitsCr => "exits_cr", "count", Count, "Compulsory redundancies (paid).";
    Redeployed => "redeployed", "count", Count, "Staff at risk redeployed into other NHS posts.";
    PaidExits => "paid_exits", "count", Count, "VR + MARS + CR exits.";
    EarlyRetirements => "early_retirements", "count", Count, "VR/CR leavers who took an unreduced pension.";
    Rejoiners => "rejoiners", "count", Count, "Paid leavers (VR, MARS and CR) who rejoined the NHS within the horizon.";
    FteStart => "fte_start", "fte", Fte, "FTE at the start.";
    NaturalLeaversFte => "natural_leavers_fte", "fte", Fte, "FTE of natural leavers.";
    TransferredFte => "transferred_fte", "fte", Fte, "FTE transferred with functions.";
    TransferredInFte => "transferred_in_fte", "fte", Fte, "FTE joined with functions arriving.";
    ExitsVrFte => "exits_vr_fte", "fte", Fte, "FTE of voluntary redundancies.";
    ExitsMarsFte => "exits_mars_fte", "fte", Fte, "FTE of MARS exits.";
    ExitsCrFte => "exits_cr_fte", "fte", Fte, "FTE of compulsory redundancies.";
    RedeployedFte => "redeployed_fte", "fte", Fte, "FTE redeployed.";
    CostPerPaidExitGbp => "cost_per_paid_exit_gbp", "gbp", Money, "Exit cost / paid exits (undefined with no paid exits).";
}

metric_table! {
    /// A monthly series (`timeseries.csv`).
    Series:
    RunRateGbp => "run_rate_gbp", "gbp_per_year", Money, "Run-rate on the target basis.";
    RunRateOwnGbp => "run_rate_own_gbp", "gbp_per_year", Money, "The organisation's own running-cost run-rate.";
    RunRateSystemGbp => "run_rate_system_gbp", "gbp_per_year", Money, "Own run-rate plus functions transferred out.";
    TargetGbp => "target_gbp", "gbp_per_year", Money, "The target run-rate (constant in cash, or uprated by the pay index).";
    Headcount => "headcount", "count", Count, "Staff in post.";
    Fte => "fte", "fte", Fte, "FTE in post.";
    TargetMetBy => "target_met_by", "probability", Probability, "1 once months_to_target has been reached (the target then holds for 12 months).";
    ExitCostAccruedGbp => "exit_cost_accrued_gbp", "gbp", Money, "Exit costs accrued in the month (when the organisation is committed).";
    ExitCostCashGbp => "exit_cost_cash_gbp", "gbp", Money, "Exit costs paid in the month (the exit month; clawback when repaid).";
}

metric_table! {
    /// A figure per financial year (`by_year.csv`).
    YearMetric:
    ExitCostAccruedGbp => "exit_cost_accrued_gbp", "gbp", Money, "Exit costs accrued in the year (provision booked when committed, IAS 37).";
    ExitCostCashGbp => "exit_cost_cash_gbp", "gbp", Money, "Exit costs paid in the year.";
    SavingsGbp => "savings_gbp", "gbp", Money, "In-year saving: the sum over the year's months of (baseline - target-basis run-rate) / 12.";
    CostShiftedGbp => "cost_shifted_gbp", "gbp", Money, "Cost moved to other NHS bodies in the year: the sum of (system - own run-rate) / 12; not a saving.";
    NetAccruedGbp => "net_accrued_gbp", "gbp", Money, "Savings less accrued exit costs.";
    NetCashGbp => "net_cash_gbp", "gbp", Money, "Savings less cash exit costs.";
}

/// Every scalar result of one organisation (or the total) in one iteration, indexed by [`Metric`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scalars(pub [f64; Metric::COUNT]);

impl Default for Scalars {
    fn default() -> Self {
        Scalars([0.0; Metric::COUNT])
    }
}

impl Scalars {
    /// From values in [`Metric::ALL`] order.
    ///
    /// # Errors
    /// Returns the slice's length when it is not [`Metric::COUNT`] (a shard from another version).
    pub fn from_slice(v: &[f64]) -> Result<Scalars, usize> {
        <[f64; Metric::COUNT]>::try_from(v)
            .map(Scalars)
            .map_err(|_| v.len())
    }
}

impl Index<Metric> for Scalars {
    type Output = f64;
    fn index(&self, m: Metric) -> &f64 {
        &self.0[m.index()]
    }
}

impl IndexMut<Metric> for Scalars {
    fn index_mut(&mut self, m: Metric) -> &mut f64 {
        &mut self.0[m.index()]
    }
}

impl Deref for Scalars {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        &self.0
    }
}

impl DerefMut for Scalars {
    fn deref_mut(&mut self) -> &mut [f64] {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_in_variant_order() {
        for (i, m) in Metric::ALL.iter().enumerate() {
            assert_eq!(m.index(), i);
            assert!(Metric::ALL[i + 1..].iter().all(|b| b.name() != m.name()));
        }
        assert_eq!(Metric::ALL.len(), Metric::COUNT);
        assert_eq!(Series::ALL.len(), Series::COUNT);
        assert_eq!(YearMetric::ALL.len(), YearMetric::COUNT);
    }

    #[test]
    fn from_name_round_trips_and_suggests_for_a_typo() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_name(m.name()), Ok(*m));
        }
        let e = Metric::from_name("exit_cots_gbp").unwrap_err();
        assert_eq!(e.suggestion, Some("exit_cost_gbp"));
        assert_eq!(
            e.to_string(),
            "unknown metric 'exit_cots_gbp' (did you mean 'exit_cost_gbp'?)"
        );
    }

    #[test]
    fn probabilities_have_the_probability_unit() {
        for m in Metric::ALL {
            assert_eq!(m.kind() == Kind::Probability, m.unit() == "probability");
        }
    }
}
