//! Scenarios: the typed, validated description of one simulation.
//!
//! A scenario is read from TOML ([`load`]), checked in one pass that reports every problem with
//! file, line, column and dotted path ([`source::Problems`]), and turned into the plain types below.
//! After this boundary the model trusts its input: every share is in [0, 1], every month inside the
//! horizon, every staff record complete.

pub mod input;
mod labels;
mod mergers;
pub mod node;
mod orgs;
mod policy;
mod reader;
pub mod schema;
mod sections;
pub mod source;
mod validate;
pub mod workforce;

pub use input::{Check, InputDef, InputKind, Param, Provenance};
pub use source::{Problem, Problems};
pub use validate::{load, load_str, LoadOptions};
pub use workforce::{Band, Funding, Staff, Terms};

use crate::month::Month;

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Display name.
    pub name: String,
    /// File-system friendly name, used for the default output folder.
    pub slug: String,
    /// SHA-256 of the scenario text (after overrides are applied, the text plus the overrides).
    pub sha256: String,
    /// The file it came from, if any.
    pub file: Option<std::path::PathBuf>,
    /// First simulated month.
    pub start: Month,
    /// Number of months simulated.
    pub horizon: i32,
    /// Default iteration count.
    pub iterations: u32,
    /// Default seed.
    pub seed: u64,
    /// Every input, fixed or uncertain, in registry order.
    pub inputs: Vec<InputDef>,
    /// Green Book discount rate (a year), real.
    pub discount_rate: Param,
    /// GDP deflator (a year), to turn nominal cash into real terms for the NPV.
    pub deflator: Param,
    /// NPV appraisal period in years from the start (savings held beyond the horizon).
    pub appraisal_years: u32,
    /// A central pot for exit costs (`[scenario] funding_gbp`): when declared, the total's
    /// funding gap pools against it; otherwise the organisations' gaps are summed.
    pub central_funding: Option<Param>,
    /// The target.
    pub target: Target,
    /// Pay awards and on-cost rates.
    pub pay: Pay,
    /// Non-pay reduction ramp.
    pub nonpay: NonPay,
    /// Vacant posts held: the reduction and ramp of each org's vacancy cost line.
    pub vacancies: CostLine,
    /// Temporary and agency staffing: the reduction and ramp of each org's cost line.
    pub temporary_staffing: CostLine,
    /// Natural turnover.
    pub attrition: Attrition,
    /// Voluntary redundancy.
    pub vr: Vr,
    /// Mutually agreed resignation scheme.
    pub mars: Mars,
    /// Compulsory redundancy.
    pub cr: Cr,
    /// Further restructure windows after the VR window (`[[wave]]`), in file order.
    pub waves: Vec<Wave>,
    /// Early retirement in lieu of redundancy.
    pub early_retirement: EarlyRetirement,
    /// Re-employment and clawback.
    pub clawback: Clawback,
    /// Section 16 and termination NI rules.
    pub exit_terms: ExitTermsParams,
    /// Functions (declared and implicit), indexed by `Staff::function`.
    pub functions: Vec<Function>,
    /// Organisations: those declared in `[[org]]`, then one successor per `[[merger]]`.
    pub orgs: Vec<Org>,
    /// Statutory mergers (`[[merger]]`), in file order.
    pub mergers: Vec<Merger>,
    /// How uncertain inputs are sampled across iterations.
    pub sampling: Sampling,
    /// Target rank correlations between inputs: (registry index, registry index, Spearman rho).
    pub correlations: Vec<(usize, usize, f64)>,
    /// Legal but surprising things found while loading (already printed on stderr by
    /// [`load_str`]), e.g. a correlation dropped because `--set` fixed one of its inputs.
    pub warnings: Vec<Problem>,
}

/// How the engine spreads each uncertain input's draws across iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sampling {
    /// Independent draws (plain Monte Carlo).
    Random,
    /// Latin hypercube: each input's draws fall one per equal-probability stratum.
    Lhs,
}

/// How the target run-rate is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TargetBasis {
    /// Baseline × (1 − reduction share).
    Share(Param),
    /// £ per head × population.
    Envelope(Param),
}

/// The running-cost target.
#[derive(Debug, Clone)]
pub struct Target {
    /// Share or envelope.
    pub basis: TargetBasis,
    /// Month by which the run-rate must be at or below the target.
    pub deadline: Param,
    /// Whether functions transferred to other NHS bodies count as savings.
    pub counts_transfers: bool,
    /// Whether the target stays in cash or rises with the pay index.
    pub indexation: Indexation,
    /// Extra pay reduction the restructure plans for, as a share of the pay budget at the target.
    pub planning_margin: Param,
}

/// Whether the target stays in cash or is uprated with pay (`target.indexation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Indexation {
    /// The target is a fixed cash sum (a running-cost allowance).
    #[default]
    Cash,
    /// The target rises with the pay index.
    Pay,
}

/// Pay award and employer on-costs.
#[derive(Debug, Clone)]
pub struct Pay {
    /// Pay award of each April after the start month: element k applies in the (k + 1)-th April,
    /// the last repeating (one element: the same award every April).
    pub award: Vec<Param>,
    /// Employer NI rate.
    pub employer_ni_rate: Param,
    /// Employer NI secondary threshold, £ a year.
    pub ni_threshold: Param,
    /// Employer pension contribution rate paid by the organisation.
    pub pension_rate: Param,
    /// Apprenticeship levy rate.
    pub levy_rate: Param,
}

/// Non-pay savings ramp.
#[derive(Debug, Clone)]
pub struct NonPay {
    /// Share of non-pay baseline removed at full effect.
    pub reduction_share: Param,
    /// Month the ramp starts.
    pub ramp_start: Param,
    /// Month of full effect.
    pub ramp_full: Param,
}

/// A pay-like cost line saved without exit costs (vacant posts held, temporary and agency
/// staffing): its reduction share and ramp, like [`NonPay`]'s. Each org's baseline is on
/// [`Org`].
#[derive(Debug, Clone)]
pub struct CostLine {
    /// Share of each org's baseline of the line removed at full effect.
    pub reduction_share: Param,
    /// Month the ramp starts.
    pub ramp_start: Param,
    /// Month of full effect.
    pub ramp_full: Param,
}

/// Natural turnover.
#[derive(Debug, Clone)]
pub struct Attrition {
    /// Annual turnover rate.
    pub annual_rate: Param,
    /// Share of leavers replaced (0 under a full freeze).
    pub replacement_share: Param,
    /// When the freeze lifts (`freeze_until`) and the share of leavers replaced from then on
    /// (`replacement_share_after`); `None` when the freeze never lifts.
    pub freeze_lifts: Option<(Param, Param)>,
    /// Whether the restructure credits expected attrition before the deadline.
    pub credit_expected: bool,
}

/// Voluntary redundancy scheme.
#[derive(Debug, Clone)]
pub struct Vr {
    /// Whether a VR window runs.
    pub enabled: bool,
    /// Month of the restructure decision (VR window).
    pub window: Param,
    /// Uptake probability for a person with 10 years' service aged 50.
    pub uptake: Param,
    /// Change in log-odds of applying per year of service above 10.
    pub service_tilt: Param,
    /// Change in log-odds of applying per year of age above 50.
    pub age_tilt: Param,
    /// Months from the window to exit.
    pub approval_lag: Param,
    /// Employer-funded legal advice on each VR settlement agreement, £.
    pub legal_cost: Param,
}

/// Mutually agreed resignation scheme.
#[derive(Debug, Clone)]
pub struct Mars {
    /// Whether MARS runs.
    pub enabled: bool,
    /// Uptake probability.
    pub uptake: Param,
    /// Months' pay per complete year of service.
    pub months_per_year: Param,
    /// Minimum months' pay.
    pub min_months: Param,
    /// Maximum months' pay.
    pub max_months: Param,
    /// Salary cap for MARS, £.
    pub salary_cap: Param,
    /// Months from the window to exit.
    pub lag: Param,
}

/// Compulsory redundancy.
#[derive(Debug, Clone)]
pub struct Cr {
    /// Whether CR fills any remaining gap.
    pub enabled: bool,
    /// Consultation length in days (statutory minimum applied on top).
    pub consultation_days: Param,
    /// Pay in lieu of notice instead of working it.
    pub pilon: bool,
    /// Share of those selected who are redeployed.
    pub redeploy_share: Param,
    /// Legal and administrative cost per case, £.
    pub legal_cost: Param,
    /// Share of compulsory leavers who rejoin the NHS (re-employment; AfC Section 16 recovers
    /// the payment only within 4 weeks of leaving).
    pub rejoin_share: Param,
    /// Notice in months, by band.
    pub notice_months: Vec<(Band, Param)>,
    /// When consultation starts: after the voluntary rounds or alongside them.
    pub timing: CrTiming,
}

/// When compulsory-redundancy consultation starts (`cr.timing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CrTiming {
    /// When the voluntary rounds' outcome is realised: the month their approved leavers exit
    /// (window + the VR lag, or the MARS lag when later), so CR never exits anyone before VR does.
    #[default]
    AfterVr,
    /// At the window, alongside VR (the behaviour before issue 10).
    Parallel,
}

/// A further restructure window (`[[wave]]`): re-plans on the gap actually left at its window.
#[derive(Debug, Clone)]
pub struct Wave {
    /// The wave's window month.
    pub window: Param,
    /// VR uptake in this wave (`vr.uptake`'s input when not given).
    pub uptake: Param,
    /// Months from the wave's window to its VR exits (`vr.approval_lag_months`'s input when not
    /// given).
    pub approval_lag: Param,
    /// Whether a MARS round follows the wave's VR.
    pub mars: bool,
    /// Whether compulsory redundancy fills what the wave's voluntary rounds leave.
    pub cr: bool,
}

/// Early retirement in lieu of redundancy.
#[derive(Debug, Clone)]
pub struct EarlyRetirement {
    /// Minimum age at exit.
    pub min_age: Param,
    /// Take-up among eligible leavers.
    pub take_up: Param,
    /// Pension strain cost as a multiple of annual salary (assumption).
    pub strain_multiple: Param,
}

/// Re-employment and clawback.
#[derive(Debug, Clone)]
pub struct Clawback {
    /// Share of voluntary leavers who rejoin the NHS within the rejoin horizon.
    pub rejoin_share: Param,
    /// Months over which rejoining happens (uniform).
    pub rejoin_horizon_months: Param,
    /// Clawback window in months.
    pub window_months: Param,
    /// Clawback window in months for senior staff and larger payments.
    pub senior_window_months: Param,
    /// Bands whose leavers have the senior window.
    pub senior_bands: Vec<Band>,
    /// Payments (redundancy or MARS pay) of at least this have the senior window (`None`: no
    /// payment test).
    pub senior_payment: Option<Param>,
    /// Share of the payment repaid when rejoining within the window.
    pub repay_share: Param,
}

/// Section 16 and termination NI parameters.
#[derive(Debug, Clone)]
pub struct ExitTermsParams {
    /// Salary floor for a month's pay, £.
    pub salary_floor: Param,
    /// Salary cap for a month's pay, £.
    pub salary_cap: Param,
    /// Maximum reckonable years.
    pub max_years: Param,
    /// Minimum continuous service to qualify, years.
    pub min_service_years: Param,
    /// Termination payments above this bear employer NI, £.
    pub ni_threshold: Param,
    /// Employer NI rate on termination payments.
    pub ni_rate: Param,
    /// Month's pay as 1/12 of salary or 4.35 weeks.
    pub weekly_basis: bool,
}

/// A function (team) of the organisations, possibly transferring out.
#[derive(Debug, Clone)]
pub struct Function {
    /// Name as used in staff records.
    pub name: String,
    /// Where it goes (`provider`, `region`, `national`, or `retained`).
    pub destination: String,
    /// Transfer month, if it transfers.
    pub transfer: Option<Param>,
    /// Share of its staff in post who move with it.
    pub share_moving: Param,
    /// Whether its staff are in scope for VR, MARS and CR.
    pub in_scope: bool,
    /// Share of the function's cost that moves with its budget at the transfer, leaving the
    /// baseline and the target together (`None`: none; SPEC §2.3 partial credit).
    pub allocation_transfer_share: Option<Param>,
    /// True when the function transfers in (`direction = "in"`): its staff join at `transfer`.
    pub arriving: bool,
}

/// An organisation: an ICB, a cluster, or a group of ICBs.
#[derive(Debug, Clone)]
pub struct Org {
    /// Display name (`total` is reserved).
    pub name: String,
    /// Slug used in input paths.
    pub slug: String,
    /// Population served (for the envelope target).
    pub population: Param,
    /// Non-pay running cost baseline, £ a year.
    pub nonpay_baseline: Param,
    /// Cost of vacant funded posts at the start, £ a year at start-month pay.
    pub vacancy_baseline: Param,
    /// Temporary and agency staffing at the start, £ a year at start-month pay.
    pub temporary_staffing_baseline: Param,
    /// Central funding allocated for exit costs, £.
    pub funding: Param,
    /// Staff records.
    pub staff: Vec<Staff>,
    /// True when the workforce was generated.
    pub synthetic: bool,
    /// Descriptive region label (`region`), shown where organisations are listed.
    pub region: Option<String>,
    /// The organisation's VR, MARS, CR, attrition and target inputs: the scenario-wide ones with
    /// any `[org.vr]`, `[org.mars]`, `[org.cr]`, `[org.attrition]`, `[org.target]` keys overriding
    /// them (each override its own input, `org.<slug>.vr.uptake`…).
    pub policy: Policy,
    /// True when any of the policy's inputs differ from the scenario-wide ones.
    pub overrides: bool,
    /// Its place in a statutory merger, if any.
    pub role: OrgRole,
}

/// The inputs that an organisation may set for itself (`docs/model.md` §2.4a).
#[derive(Debug, Clone)]
pub struct Policy {
    /// The target.
    pub target: Target,
    /// Natural turnover.
    pub attrition: Attrition,
    /// Voluntary redundancy.
    pub vr: Vr,
    /// MARS.
    pub mars: Mars,
    /// Compulsory redundancy.
    pub cr: Cr,
}

/// A borrowed [`Policy`]: the scenario-wide sections or an organisation's own.
#[derive(Debug, Clone, Copy)]
pub struct PolicyRef<'a> {
    /// The target.
    pub target: &'a Target,
    /// Natural turnover.
    pub attrition: &'a Attrition,
    /// Voluntary redundancy.
    pub vr: &'a Vr,
    /// MARS.
    pub mars: &'a Mars,
    /// Compulsory redundancy.
    pub cr: &'a Cr,
}

impl Policy {
    /// The policy borrowed.
    pub fn as_ref(&self) -> PolicyRef<'_> {
        PolicyRef {
            target: &self.target,
            attrition: &self.attrition,
            vr: &self.vr,
            mars: &self.mars,
            cr: &self.cr,
        }
    }
}

/// An organisation's place in a statutory merger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrgRole {
    /// Not part of a merger.
    #[default]
    Standalone,
    /// A member of merger `.0` (index into [`Scenario::mergers`]): reported up to the merger.
    Member(usize),
    /// The successor created by merger `.0`: reported from the merger month; it has no staff of
    /// its own (its members' staff join it).
    Successor(usize),
}

/// How a successor's target is set (`[[merger]] target`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergerTarget {
    /// The members' targets summed.
    Sum,
    /// The successor's envelope: the members' populations summed × the per-head figure.
    Envelope,
}

/// A statutory merger (`[[merger]]`, `docs/model.md` §2.4a).
#[derive(Debug, Clone)]
pub struct Merger {
    /// Index of the successor in [`Scenario::orgs`].
    pub successor: usize,
    /// Indices of the members in [`Scenario::orgs`], in the order written.
    pub members: Vec<usize>,
    /// Month a shared leadership team forms (duplicated posts go then), if before the merger.
    pub clustered: Option<Param>,
    /// The statutory merger month.
    pub month: Param,
    /// One-off cost of the merger, £.
    pub cost: Param,
    /// Bands whose posts are duplicated across members: one member's complement is kept.
    pub duplicated_bands: Vec<Band>,
    /// How the successor's target is set.
    pub target: MergerTarget,
}

impl Scenario {
    /// The inputs that vary between iterations, in registry order.
    pub fn uncertain_inputs(&self) -> impl Iterator<Item = (usize, &InputDef)> {
        self.inputs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.is_uncertain())
    }

    /// The deadline if fixed (the usual case), else its median month.
    pub fn nominal_deadline(&self) -> Month {
        let d = &self.inputs[self.target.deadline.0 as usize];
        self.start.plus(d.value_at(0.5) as i32)
    }

    /// The policy every organisation gets unless it overrides part of it.
    pub fn policy(&self) -> Policy {
        Policy {
            target: self.target.clone(),
            attrition: self.attrition.clone(),
            vr: self.vr.clone(),
            mars: self.mars.clone(),
            cr: self.cr.clone(),
        }
    }

    /// The scenario-wide policy, borrowed.
    pub fn policy_ref(&self) -> PolicyRef<'_> {
        PolicyRef {
            target: &self.target,
            attrition: &self.attrition,
            vr: &self.vr,
            mars: &self.mars,
            cr: &self.cr,
        }
    }

    /// Total staff across organisations.
    pub fn staff_count(&self) -> usize {
        self.orgs.iter().map(|o| o.staff.len()).sum()
    }
}

/// Lower-case, hyphen-separated form of a name for folders and input paths.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("scenario");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_and_hyphenated() {
        assert_eq!(slugify("England ICBs 2025"), "england-icbs-2025");
        assert_eq!(
            slugify("  NHS North East & Yorkshire "),
            "nhs-north-east-yorkshire"
        );
        assert_eq!(slugify("£££"), "scenario");
    }
}
