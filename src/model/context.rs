//! The per-iteration context: every sampled input resolved once into plain numbers.
//!
//! The engine samples the scenario's input registry into a vector of values per iteration; this
//! module is the only place in the model that reads that vector. [`IterationContext::new`] turns
//! it, once per iteration, into typed numbers grouped by what uses them — pay and on-costs, exit
//! rules, attrition, each function's transfer, the restructure's terms (VR, MARS, CR), the terms of
//! leaving (early retirement, rejoining, clawback), the non-pay path and each organisation's target
//! and funding — so the per-person code downstream takes plain numbers and never looks a value up
//! by index or path.

use super::exit_terms::{ClawbackRules, ExitRules, OnCosts};
use crate::scenario::{Org, PolicyRef, Scenario, TargetBasis};

/// Sampled, scenario-wide values for one iteration, resolved into plain numbers (shared by its
/// organisations).
#[derive(Debug, Clone)]
pub struct IterationContext {
    /// Horizon in months.
    pub horizon: usize,
    /// Pay index by month (1 in the start month, × (1 + award) each April after it).
    pub pay_index: Vec<f64>,
    /// Deadline month offset (within the horizon).
    pub deadline: usize,
    /// Exit-pay rules.
    pub rules: ExitRules,
    /// On-cost rates.
    pub oncosts: OnCosts,
    /// Monthly natural leaving hazard.
    pub hazard: f64,
    /// Share of natural leavers replaced (while a freeze holds).
    pub replacement_share: f64,
    /// Month the freeze lifts (`None`: never within the horizon) and the share of leavers replaced
    /// from that month on.
    pub freeze_lifts: Option<(usize, f64)>,
    /// Each function's transfer, in the scenario's function order.
    pub functions: Vec<FunctionTerms>,
    /// The restructure's terms.
    pub restructure: RestructureTerms,
    /// The terms that cost a paid exit: early retirement, rejoining and clawback.
    pub leaving: LeavingTerms,
    /// Share of the non-pay baseline cut in each month (the reduction × the ramp).
    pub nonpay_cut: Vec<f64>,
    /// Share of the vacant-post cost line held (cut) in each month.
    pub vacancy_cut: Vec<f64>,
    /// Share of the temporary and agency staffing cost line cut in each month.
    pub temporary_staffing_cut: Vec<f64>,
    /// Each organisation's own numbers, in the scenario's organisation order.
    pub orgs: Vec<OrgTerms>,
    /// Annual discount rate for present values (real).
    pub discount_rate: f64,
    /// GDP deflator a year, nominal → real for the NPV.
    pub deflator: f64,
    /// Whether the target stays in cash or rises with pay.
    pub target_indexation: crate::scenario::Indexation,
    /// A scenario-level central pot for exit costs, when one is declared.
    pub central_pot: Option<f64>,
}

/// One function's transfer in one iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FunctionTerms {
    /// Transfer month (`None` when it does not transfer within the horizon).
    pub transfer_month: Option<usize>,
    /// Share of the function's staff who move with it.
    pub share_moving: f64,
    /// Share of the movers' cost that moves with its budget (leaving the baseline and the
    /// target together); the rest stays on the system basis.
    pub allocation_share: f64,
    /// True when the function arrives (transfers in) at `transfer_month` instead of leaving.
    pub arriving: bool,
}

/// The restructure at the VR window: when it happens, how the gap is measured and the terms of
/// each round.
#[derive(Debug, Clone, PartialEq)]
pub struct RestructureTerms {
    /// Month of the VR window (the restructure's decision month).
    pub window: usize,
    /// Whether expected natural attrition is credited against the gap.
    pub credit_expected: bool,
    /// Whether transferred staff count as savings against the target.
    pub counts_transfers: bool,
    /// Extra reduction planned beyond the target, as a share of the pay budget.
    pub planning_margin: f64,
    /// Voluntary redundancy.
    pub vr: VrTerms,
    /// Mutually agreed resignation scheme.
    pub mars: MarsTerms,
    /// Compulsory redundancy.
    pub cr: CrTerms,
    /// Further windows (`[[wave]]`), in order.
    pub waves: Vec<WaveTerms>,
}

/// One further window: when, and the terms of its rounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaveTerms {
    /// The wave's window month.
    pub window: usize,
    /// Probability that a person of average service and age applies for VR.
    pub uptake: f64,
    /// Months from the wave's window to the exit of an approved applicant.
    pub lag: usize,
    /// Whether a MARS round follows (on the scenario's MARS terms).
    pub mars: bool,
    /// Whether compulsory redundancy fills what the voluntary rounds leave.
    pub cr: bool,
}

/// Terms of the VR round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VrTerms {
    /// Whether the scheme runs.
    pub enabled: bool,
    /// Probability that a person of average service and age applies.
    pub uptake: f64,
    /// Shift in log-odds of applying per year of service above 10.
    pub service_tilt: f64,
    /// Shift in log-odds of applying per year of age above 50.
    pub age_tilt: f64,
    /// Months from the window to the exit of an approved applicant.
    pub lag: usize,
}

/// Terms of the MARS round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarsTerms {
    /// Whether the scheme runs.
    pub enabled: bool,
    /// Probability that a person applies.
    pub uptake: f64,
    /// Months from the window to the exit of an approved applicant.
    pub lag: usize,
}

/// Terms of compulsory redundancy (and of redeployment, which also applies to displaced staff).
#[derive(Debug, Clone, PartialEq)]
pub struct CrTerms {
    /// Whether compulsory redundancies are made to close the gap.
    pub enabled: bool,
    /// Consultation days planned (raised to the statutory minimum where it applies).
    pub consultation_days: f64,
    /// Whether notice is paid in lieu (exit at the end of consultation) or worked.
    pub pilon: bool,
    /// Share of those selected who are redeployed instead of leaving.
    pub redeploy_share: f64,
    /// Notice months by band, in [`crate::scenario::Band::ALL`] order.
    pub notice_months: Vec<f64>,
    /// Whether consultation starts when the voluntary rounds' leavers go (`cr.timing =
    /// "after_vr"`) rather than at the window.
    pub after_vr: bool,
}

/// The terms that cost a paid exit, beyond the exit-pay rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeavingTerms {
    /// Minimum age for early retirement with an unreduced pension.
    pub early_retirement_age: f64,
    /// Share of eligible leavers who take early retirement.
    pub early_retirement_take_up: f64,
    /// Pension strain as a multiple of annual pay.
    pub strain_multiple: f64,
    /// Share of voluntary leavers who rejoin the NHS.
    pub rejoin_share: f64,
    /// Rejoiners come back 1..=this many months after leaving (at least 1).
    pub rejoin_span_months: f64,
    /// Share of compulsory leavers who rejoin the NHS.
    pub cr_rejoin_share: f64,
    /// When rejoining claws a payment back.
    pub clawback: ClawbackRules,
}

/// How one organisation's target is set, resolved for one iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TargetRule {
    /// Cut the baseline by this share.
    Share(f64),
    /// A fixed envelope in £ a year (per head × population).
    Envelope(f64),
}

impl TargetRule {
    /// The target run-rate (£ a year) for an organisation with this `baseline` run-rate.
    pub fn target(self, baseline: f64) -> f64 {
        match self {
            TargetRule::Share(s) => baseline * (1.0 - s),
            TargetRule::Envelope(gbp) => gbp,
        }
    }
}

impl TargetRule {
    /// How far the target falls when `budget` (£ a year) moves out with a function: a share
    /// target is set on the baseline less the budget, so it falls by (1 − share) × budget; an
    /// envelope falls by the whole budget (it moved with its cost: no cost shift, no credit).
    pub fn moved(self, budget: f64) -> f64 {
        match self {
            TargetRule::Share(s) => budget * (1.0 - s),
            TargetRule::Envelope(_) => budget,
        }
    }

    /// Whether programme-funded pay counts against this target: the £/head envelope covers
    /// running-cost and programme-funded pay, a share target the running-cost allowance only.
    pub fn covers_programme_pay(self) -> bool {
        matches!(self, TargetRule::Envelope(_))
    }
}

/// One organisation's own numbers in one iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrgTerms {
    /// Non-pay run-rate at the start (£ a year).
    pub nonpay_baseline: f64,
    /// Cost of vacant funded posts at the start (£ a year, start-month pay).
    pub vacancy_baseline: f64,
    /// Temporary and agency staffing at the start (£ a year, start-month pay).
    pub temporary_staffing_baseline: f64,
    /// How its target is set.
    pub target: TargetRule,
    /// Its funding (£ a year).
    pub funding: f64,
}

/// One organisation's cost lines other than its staff in one iteration: non-pay (in cash, not
/// uprated) and the pay-like lines saved without exit costs — vacant posts held and temporary
/// and agency staffing — which are priced like pay (× the pay index of the month).
#[derive(Debug, Clone, PartialEq)]
pub struct NonpayPath {
    /// Non-pay at the start (£ a year).
    pub baseline: f64,
    /// Non-pay in each month of the horizon, after the planned reduction (£ a year).
    pub by_month: Vec<f64>,
    /// The pay-like lines at the start (£ a year, start-month prices).
    pub pay_lines_baseline: f64,
    /// The pay-like lines left in each month after their reductions (£ a year, start-month
    /// prices; the accounting multiplies by the month's pay index).
    pub pay_lines: Vec<f64>,
}

impl OrgTerms {
    /// The organisation's non-pay run-rate and pay-like cost lines, month by month, under the
    /// iteration's cuts ([`IterationContext::nonpay_cut`], `vacancy_cut`,
    /// `temporary_staffing_cut`).
    pub fn nonpay(&self, cx: &IterationContext) -> NonpayPath {
        let base = self.nonpay_baseline;
        let (vac, temp) = (self.vacancy_baseline, self.temporary_staffing_baseline);
        NonpayPath {
            baseline: base,
            by_month: cx.nonpay_cut.iter().map(|c| base * (1.0 - c)).collect(),
            pay_lines_baseline: vac + temp,
            pay_lines: cx
                .vacancy_cut
                .iter()
                .zip(&cx.temporary_staffing_cut)
                .map(|(v, t)| vac * (1.0 - v) + temp * (1.0 - t))
                .collect(),
        }
    }
}

impl IterationContext {
    /// The share of natural leavers replaced among those leaving in month `m`: the freeze's
    /// `replacement_share` before the freeze lifts, `replacement_share_after` from then on.
    pub fn replacement_share_at(&self, m: usize) -> f64 {
        match self.freeze_lifts {
            Some((lift, after)) if m >= lift => after,
            _ => self.replacement_share,
        }
    }

    /// Resolves one iteration's sampled values `v` (registry order) of scenario `sc`.
    pub fn new(sc: &Scenario, v: &[f64]) -> IterationContext {
        let h = sc.horizon as usize;
        let annual = sc.attrition.annual_rate.of(v);
        IterationContext {
            horizon: h,
            pay_index: pay_index(sc, v),
            deadline: (sc.target.deadline.month_of(v).max(0) as usize).min(h - 1),
            rules: exit_rules(sc, v),
            oncosts: OnCosts {
                ni_rate: sc.pay.employer_ni_rate.of(v),
                ni_threshold: sc.pay.ni_threshold.of(v),
                pension_rate: sc.pay.pension_rate.of(v),
                levy_rate: sc.pay.levy_rate.of(v),
            },
            hazard: 1.0 - (1.0 - annual).powf(1.0 / 12.0),
            replacement_share: sc.attrition.replacement_share.of(v),
            freeze_lifts: sc
                .attrition
                .freeze_lifts
                .map(|(m, share)| (m.month_of(v).max(0) as usize, share.of(v))),
            functions: sc
                .functions
                .iter()
                .map(|f| FunctionTerms {
                    transfer_month: f
                        .transfer
                        .map(|p| p.month_of(v))
                        .filter(|m| (0..h as i32).contains(m))
                        .map(|m| m as usize),
                    share_moving: f.share_moving.of(v),
                    allocation_share: f.allocation_transfer_share.map_or(0.0, |p| p.of(v)),
                    arriving: f.arriving,
                })
                .collect(),
            restructure: RestructureTerms::new(sc, v),
            leaving: LeavingTerms::new(sc, v),
            nonpay_cut: nonpay_cut(sc, v),
            vacancy_cut: line_cut(sc, &sc.vacancies, v),
            temporary_staffing_cut: line_cut(sc, &sc.temporary_staffing, v),
            orgs: org_terms(sc, v),
            discount_rate: sc.discount_rate.of(v),
            deflator: sc.deflator.of(v),
            target_indexation: sc.target.indexation,
            central_pot: sc.central_funding.as_ref().map(|f| f.of(v)),
        }
    }
}

impl IterationContext {
    /// The context of organisation `org`, which sets some inputs of its own (`org.overrides`):
    /// this iteration's scenario-wide context with the organisation's attrition, deadline and
    /// restructure terms (VR, MARS, CR and the exit rules they carry) resolved from its policy.
    pub fn for_org(&self, org: &Org, v: &[f64]) -> IterationContext {
        let p = &org.policy;
        let mut cx = self.clone();
        let annual = p.attrition.annual_rate.of(v);
        cx.hazard = 1.0 - (1.0 - annual).powf(1.0 / 12.0);
        cx.replacement_share = p.attrition.replacement_share.of(v);
        cx.deadline = (p.target.deadline.month_of(v).max(0) as usize).min(cx.horizon - 1);
        cx.freeze_lifts = p
            .attrition
            .freeze_lifts
            .map(|(m, share)| (m.month_of(v).max(0) as usize, share.of(v)));
        // Further waves are scenario-wide: the organisation keeps them.
        let waves = std::mem::take(&mut cx.restructure.waves);
        cx.restructure = RestructureTerms::of_policy(&p.as_ref(), v);
        cx.restructure.waves = waves;
        cx.rules.vr_legal_cost = p.vr.legal_cost.of(v);
        cx.leaving.cr_rejoin_share = p.cr.rejoin_share.of(v);
        cx.rules.mars_months_per_year = p.mars.months_per_year.of(v);
        cx.rules.mars_min_months = p.mars.min_months.of(v);
        cx.rules.mars_max_months = p.mars.max_months.of(v);
        cx.rules.mars_salary_cap = p.mars.salary_cap.of(v);
        cx.rules.legal_cost = p.cr.legal_cost.of(v);
        cx
    }
}

impl RestructureTerms {
    fn new(sc: &Scenario, v: &[f64]) -> RestructureTerms {
        let mut terms = RestructureTerms::of_policy(&sc.policy_ref(), v);
        terms.waves = sc
            .waves
            .iter()
            .map(|w| WaveTerms {
                window: w.window.month_of(v).max(0) as usize,
                uptake: w.uptake.of(v),
                lag: w.approval_lag.of(v).round() as usize,
                mars: w.mars,
                cr: w.cr,
            })
            .collect();
        terms
    }

    /// The terms of a policy (the scenario-wide one or an organisation's own).
    fn of_policy(sc: &PolicyRef<'_>, v: &[f64]) -> RestructureTerms {
        RestructureTerms {
            window: sc.vr.window.month_of(v).max(0) as usize,
            credit_expected: sc.attrition.credit_expected,
            counts_transfers: sc.target.counts_transfers,
            planning_margin: sc.target.planning_margin.of(v),
            vr: VrTerms {
                enabled: sc.vr.enabled,
                uptake: sc.vr.uptake.of(v),
                service_tilt: sc.vr.service_tilt.of(v),
                age_tilt: sc.vr.age_tilt.of(v),
                lag: sc.vr.approval_lag.of(v).round() as usize,
            },
            mars: MarsTerms {
                enabled: sc.mars.enabled,
                uptake: sc.mars.uptake.of(v),
                lag: sc.mars.lag.of(v).round() as usize,
            },
            cr: CrTerms {
                enabled: sc.cr.enabled,
                consultation_days: sc.cr.consultation_days.of(v),
                pilon: sc.cr.pilon,
                redeploy_share: sc.cr.redeploy_share.of(v),
                notice_months: sc.cr.notice_months.iter().map(|(_, n)| n.of(v)).collect(),
                after_vr: sc.cr.timing == crate::scenario::CrTiming::AfterVr,
            },
            waves: Vec::new(),
        }
    }

    /// Whether any of VR, MARS and CR runs.
    pub fn any(&self) -> bool {
        self.vr.enabled || self.mars.enabled || self.cr.enabled
    }
}

impl LeavingTerms {
    fn new(sc: &Scenario, v: &[f64]) -> LeavingTerms {
        let (er, cb) = (&sc.early_retirement, &sc.clawback);
        LeavingTerms {
            early_retirement_age: er.min_age.of(v),
            early_retirement_take_up: er.take_up.of(v),
            strain_multiple: er.strain_multiple.of(v),
            rejoin_share: cb.rejoin_share.of(v),
            rejoin_span_months: cb.rejoin_horizon_months.of(v).max(1.0),
            cr_rejoin_share: sc.cr.rejoin_share.of(v),
            clawback: ClawbackRules {
                window_months: cb.window_months.of(v),
                senior_window_months: cb.senior_window_months.of(v),
                senior_payment: cb.senior_payment.map_or(f64::INFINITY, |p| p.of(v)),
                repay_share: cb.repay_share.of(v),
            },
        }
    }
}

/// Pay index by month: 1 in the start month, × (1 + award) each April after it, where the k-th
/// April (from 0) takes the path's element k and the last element repeats.
fn pay_index(sc: &Scenario, v: &[f64]) -> Vec<f64> {
    let awards: Vec<f64> = sc.pay.award.iter().map(|p| p.of(v)).collect();
    let mut level = 1.0;
    let mut aprils = 0;
    (0..sc.horizon as usize)
        .map(|m| {
            if m > 0 && sc.start.plus(m as i32).month() == 4 {
                let k = aprils.min(awards.len().saturating_sub(1));
                level *= 1.0 + awards.get(k).copied().unwrap_or(0.0);
                aprils += 1;
            }
            level
        })
        .collect()
}

fn exit_rules(sc: &Scenario, v: &[f64]) -> ExitRules {
    let e = &sc.exit_terms;
    ExitRules {
        salary_floor: e.salary_floor.of(v),
        salary_cap: e.salary_cap.of(v),
        max_years: e.max_years.of(v),
        min_service_years: e.min_service_years.of(v),
        termination_ni_threshold: e.ni_threshold.of(v),
        termination_ni_rate: e.ni_rate.of(v),
        earnings_ni_rate: sc.pay.employer_ni_rate.of(v),
        weekly_basis: e.weekly_basis,
        mars_months_per_year: sc.mars.months_per_year.of(v),
        mars_min_months: sc.mars.min_months.of(v),
        mars_max_months: sc.mars.max_months.of(v),
        mars_salary_cap: sc.mars.salary_cap.of(v),
        legal_cost: sc.cr.legal_cost.of(v),
        vr_legal_cost: sc.vr.legal_cost.of(v),
    }
}

/// Share of the non-pay baseline cut in each month: the reduction share × a linear ramp from 0 at
/// the ramp's start month to 1 at its full month.
fn nonpay_cut(sc: &Scenario, v: &[f64]) -> Vec<f64> {
    let (s, f) = (
        sc.nonpay.ramp_start.month_of(v) as f64,
        sc.nonpay.ramp_full.month_of(v) as f64,
    );
    let reduction = sc.nonpay.reduction_share.of(v);
    (0..sc.horizon as usize)
        .map(|m| reduction * ramp(s, f, m as f64))
        .collect()
}

/// Share of a pay-like cost line (`[vacancies]`, `[temporary_staffing]`) cut in each month:
/// its reduction share × a linear ramp, as for non-pay.
fn line_cut(sc: &Scenario, line: &crate::scenario::CostLine, v: &[f64]) -> Vec<f64> {
    let (s, f) = (
        line.ramp_start.month_of(v) as f64,
        line.ramp_full.month_of(v) as f64,
    );
    let reduction = line.reduction_share.of(v);
    (0..sc.horizon as usize)
        .map(|m| reduction * ramp(s, f, m as f64))
        .collect()
}

/// A linear ramp from 0 before month `start` to 1 from month `full` on.
fn ramp(start: f64, full: f64, m: f64) -> f64 {
    if m < start {
        0.0
    } else if m >= full || full <= start {
        1.0
    } else {
        (m - start) / (full - start)
    }
}

fn org_terms(sc: &Scenario, v: &[f64]) -> Vec<OrgTerms> {
    sc.orgs
        .iter()
        .map(|org| OrgTerms {
            nonpay_baseline: org.nonpay_baseline.of(v),
            vacancy_baseline: org.vacancy_baseline.of(v),
            temporary_staffing_baseline: org.temporary_staffing_baseline.of(v),
            target: match org.policy.target.basis {
                TargetBasis::Share(s) => TargetRule::Share(s.of(v)),
                TargetBasis::Envelope(per_head) => {
                    TargetRule::Envelope(per_head.of(v) * org.population.of(v))
                }
            },
            funding: org.funding.of(v),
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A context of `horizon` months at today's pay, default exit rules and on-costs, natural
    /// leaving at `annual` a year with no replacement, no transfers, a restructure at month 0 with
    /// every scheme off and nothing for leavers beyond their exit pay.
    pub(crate) fn context(annual: f64, horizon: usize) -> IterationContext {
        IterationContext {
            horizon,
            pay_index: vec![1.0; horizon],
            deadline: horizon - 1,
            rules: ExitRules::default(),
            oncosts: OnCosts::default(),
            hazard: 1.0 - (1.0 - annual).powf(1.0 / 12.0),
            replacement_share: 0.0,
            freeze_lifts: None,
            functions: vec![FunctionTerms {
                transfer_month: None,
                share_moving: 0.0,
                allocation_share: 0.0,
                arriving: false,
            }],
            restructure: RestructureTerms {
                window: 0,
                credit_expected: false,
                counts_transfers: false,
                planning_margin: 0.0,
                vr: VrTerms {
                    enabled: false,
                    uptake: 0.0,
                    service_tilt: 0.0,
                    age_tilt: 0.0,
                    lag: 0,
                },
                mars: MarsTerms {
                    enabled: false,
                    uptake: 0.0,
                    lag: 0,
                },
                cr: CrTerms {
                    enabled: false,
                    consultation_days: 0.0,
                    pilon: true,
                    redeploy_share: 0.0,
                    notice_months: vec![1.0],
                    after_vr: false,
                },
                waves: Vec::new(),
            },
            leaving: LeavingTerms {
                early_retirement_age: 55.0,
                early_retirement_take_up: 0.0,
                strain_multiple: 0.0,
                rejoin_share: 0.0,
                rejoin_span_months: 1.0,
                cr_rejoin_share: 0.0,
                clawback: ClawbackRules {
                    window_months: 0.0,
                    senior_window_months: 0.0,
                    senior_payment: f64::INFINITY,
                    repay_share: 0.0,
                },
            },
            nonpay_cut: vec![0.0; horizon],
            vacancy_cut: vec![0.0; horizon],
            temporary_staffing_cut: vec![0.0; horizon],
            orgs: Vec::new(),
            discount_rate: 0.0,
            deflator: 0.0,
            target_indexation: crate::scenario::Indexation::Cash,
            central_pot: None,
        }
    }

    #[test]
    fn the_ramp_rises_linearly_from_its_start_to_its_full_month() {
        assert_eq!(ramp(2.0, 6.0, 1.0), 0.0);
        assert_eq!(ramp(2.0, 6.0, 2.0), 0.0);
        assert_eq!(ramp(2.0, 6.0, 3.0), 0.25);
        assert_eq!(ramp(2.0, 6.0, 6.0), 1.0);
        assert_eq!(ramp(2.0, 6.0, 9.0), 1.0);
    }

    #[test]
    fn a_ramp_that_ends_before_it_starts_is_a_step() {
        assert_eq!(ramp(4.0, 2.0, 3.0), 0.0);
        assert_eq!(ramp(4.0, 2.0, 4.0), 1.0);
    }

    #[test]
    fn a_share_target_cuts_the_baseline_and_an_envelope_is_fixed() {
        assert_eq!(TargetRule::Share(0.25).target(1000.0), 750.0);
        assert_eq!(TargetRule::Envelope(600.0).target(1000.0), 600.0);
    }

    #[test]
    fn a_budget_moving_out_lowers_a_share_target_by_its_kept_share_and_an_envelope_by_all() {
        // 200 of budget leaves a 1,000 baseline: a 25% cut is then set on 800 → 600 = 750 − 150.
        let share = TargetRule::Share(0.25);
        assert_eq!(
            share.target(1000.0) - share.moved(200.0),
            share.target(800.0)
        );
        assert_eq!(TargetRule::Envelope(600.0).moved(200.0), 200.0);
        assert!(!share.covers_programme_pay());
        assert!(TargetRule::Envelope(600.0).covers_programme_pay());
    }

    #[test]
    fn pay_like_cost_lines_follow_their_own_ramps() {
        // Vacancies 100 held in full from month 1; temporary staffing 40 cut by half over
        // months 0–2.
        let mut cx = context(0.0, 4);
        cx.vacancy_cut = vec![0.0, 1.0, 1.0, 1.0];
        cx.temporary_staffing_cut = vec![0.0, 0.25, 0.5, 0.5];
        let org = OrgTerms {
            nonpay_baseline: 10.0,
            vacancy_baseline: 100.0,
            temporary_staffing_baseline: 40.0,
            target: TargetRule::Share(0.5),
            funding: 0.0,
        };
        let np = org.nonpay(&cx);
        assert_eq!(np.pay_lines_baseline, 140.0);
        // Month 0: 100 + 40; month 1: 0 + 30; months 2–3: 0 + 20.
        assert_eq!(np.pay_lines, vec![140.0, 30.0, 20.0, 20.0]);
        assert_eq!(np.by_month, vec![10.0; 4]);
    }
}
