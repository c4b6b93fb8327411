//! Exit-pay rules: AfC Section 16 redundancy pay, MARS, termination NI, PILON, pension strain,
//! legal costs and clawback on re-employment.
//!
//! Pure functions of one person's pay, service and the rules in force (docs/sources.md §2). They are used
//! by the simulation for every leaver and by `icbsim exit-cost` for single cases, so both always
//! agree. Amounts are unrounded pounds; callers round to pence for display.

use serde::Serialize;

/// The exit-pay rules in force for one iteration (scenario inputs, sampled).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExitRules {
    /// Salary floor for a month's pay (£23,000).
    pub salary_floor: f64,
    /// Salary cap for a month's pay (£80,000).
    pub salary_cap: f64,
    /// Maximum reckonable years (24).
    pub max_years: f64,
    /// Continuous service needed to qualify, years (2).
    pub min_service_years: f64,
    /// Employer NI on termination payments applies above this (£30,000).
    pub termination_ni_threshold: f64,
    /// Employer NI rate on termination payments above the threshold (15%).
    pub termination_ni_rate: f64,
    /// Employer NI rate on earnings, used for PILON (15%).
    pub earnings_ni_rate: f64,
    /// Month's pay as 4.35 weeks (52 weeks a year) instead of 1/12 of salary.
    pub weekly_basis: bool,
    /// MARS months' pay per complete year of service (0.5).
    pub mars_months_per_year: f64,
    /// MARS minimum months (3).
    pub mars_min_months: f64,
    /// MARS maximum months (12).
    pub mars_max_months: f64,
    /// MARS salary cap (£80,000).
    pub mars_salary_cap: f64,
    /// Legal and administrative cost per compulsory redundancy (assumption).
    pub legal_cost: f64,
    /// Employer-funded legal advice on each VR settlement agreement (docs/sources.md §5).
    pub vr_legal_cost: f64,
}

impl Default for ExitRules {
    /// The 2025/26 rules of docs/sources.md §2.
    fn default() -> Self {
        ExitRules {
            salary_floor: 23_000.0,
            salary_cap: 80_000.0,
            max_years: 24.0,
            min_service_years: 2.0,
            termination_ni_threshold: 30_000.0,
            termination_ni_rate: 0.15,
            earnings_ni_rate: 0.15,
            weekly_basis: false,
            mars_months_per_year: 0.5,
            mars_min_months: 3.0,
            mars_max_months: 12.0,
            mars_salary_cap: 80_000.0,
            legal_cost: 2_000.0,
            vr_legal_cost: 0.0,
        }
    }
}

/// The route by which someone leaves with a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Route {
    /// Voluntary redundancy.
    Vr,
    /// Compulsory redundancy.
    Cr,
    /// Mutually agreed resignation scheme.
    Mars,
}

/// One person's exit cost, itemised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ExitCost {
    /// Section 16 redundancy pay.
    pub redundancy_pay_gbp: f64,
    /// MARS payment.
    pub mars_pay_gbp: f64,
    /// Pay in lieu of notice.
    pub pilon_gbp: f64,
    /// Employer NI: Class 1A on the termination payment above the threshold, plus NI on PILON.
    pub employer_ni_gbp: f64,
    /// Extra pension strain the employer pays on top of redundancy pay (local terms only).
    pub pension_strain_gbp: f64,
    /// Legal and administrative cost (CR), or legal advice on the settlement agreement (VR).
    pub legal_gbp: f64,
    /// Sum of the above.
    pub total_gbp: f64,
    /// Of the redundancy pay, the part paid into the pension scheme to meet the strain cost of
    /// early retirement (already inside `redundancy_pay_gbp`, not added to the total): a
    /// contribution to a registered pension scheme, outside the termination-payment charge
    /// (ITEPA 2003 s.408), so it bears no Class 1A NI and uses none of the £30,000.
    pub paid_to_pension_gbp: f64,
}

/// A month's pay for Section 16: FTE salary floored and capped, then pro rata by FTE.
///
/// `month_pay = min(max(salary, floor), cap) / 12 × FTE` (docs/sources.md §2), or with the weekly basis
/// `× 4.35 / 52` instead of `/ 12`.
pub fn section16_month_pay(rules: &ExitRules, salary: f64, fte: f64) -> f64 {
    let s = salary.max(rules.salary_floor).min(rules.salary_cap);
    let per_month = if rules.weekly_basis {
        s * 4.35 / 52.0
    } else {
        s / 12.0
    };
    per_month * fte
}

/// Section 16 reckonable years: complete years of service, at most `max_years`; zero below the
/// qualifying service (2 years).
pub fn section16_years(rules: &ExitRules, service_years: f64) -> f64 {
    if service_years + 1e-9 < rules.min_service_years {
        0.0
    } else {
        whole(service_years + 1e-9).min(rules.max_years)
    }
}

/// The whole part of a non-negative number of years, `x.floor()` for `0 ≤ x < 2⁶⁴`, by an integer
/// conversion instead of the software `floor` a baseline x86-64 build calls (exit pay is priced
/// for over a third of the staff in every iteration). Below zero it gives 0, which every caller's
/// minimum (no pay below 2 years' service, at least the MARS minimum) makes the same result.
#[inline]
fn whole(x: f64) -> f64 {
    x as u64 as f64
}

/// AfC Section 16 redundancy pay: one month's pay per reckonable year (docs/sources.md §2).
pub fn section16_pay(rules: &ExitRules, salary: f64, fte: f64, service_years: f64) -> f64 {
    section16_years(rules, service_years) * section16_month_pay(rules, salary, fte)
}

/// Employer NI (Class 1A) on the part of a termination payment above the threshold.
pub fn termination_ni(rules: &ExitRules, payment: f64) -> f64 {
    rules.termination_ni_rate * (payment - rules.termination_ni_threshold).max(0.0)
}

/// MARS months' pay: `clamp(per_year × complete years, min, max)` (docs/sources.md §2, secondary).
pub fn mars_months(rules: &ExitRules, service_years: f64) -> f64 {
    (rules.mars_months_per_year * whole(service_years + 1e-9))
        .max(rules.mars_min_months)
        .min(rules.mars_max_months)
}

/// MARS payment: months × capped FTE salary / 12 × FTE.
pub fn mars_pay(rules: &ExitRules, salary: f64, fte: f64, service_years: f64) -> f64 {
    mars_months(rules, service_years) * salary.min(rules.mars_salary_cap) / 12.0 * fte
}

/// The facts about one leaver that the rules need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leaver {
    /// Full-time annual salary at exit, £.
    pub salary: f64,
    /// FTE.
    pub fte: f64,
    /// Continuous service at exit, years.
    pub service_years: f64,
    /// On local (non-AfC) terms.
    pub local_terms: bool,
    /// Notice paid in lieu, months (0 when notice is worked).
    pub pilon_months: f64,
    /// Takes early retirement with an unreduced pension.
    pub early_retirement: bool,
    /// Pension strain cost as a multiple of annual (FTE) pay, for local-terms early retirement.
    pub strain_multiple: f64,
}

/// The itemised exit cost of one leaver by `route` (redeployed staff cost nothing and are not
/// passed here).
///
/// Early retirement: the redundancy payment first meets the strain cost (`strain_multiple` ×
/// annual pay), paid into the pension scheme. For AfC staff the employer's cost is capped at the
/// redundancy payment, so it is unchanged; for staff on local terms the employer pays
/// `max(redundancy pay, strain)`, shown as the redundancy pay plus the excess in
/// `pension_strain_gbp` (docs/sources.md §2). Class 1A NI falls only on the part of the payment
/// the leaver receives, above the £30,000 threshold: the part paid into the scheme is outside the
/// termination-payment charge (ITEPA 2003 s.408; docs/sources.md §2).
///
/// Legal costs: `legal_cost` per CR case; `vr_legal_cost` per VR (the employer-funded advice on
/// the settlement agreement).
pub fn exit_cost(rules: &ExitRules, route: Route, p: &Leaver) -> ExitCost {
    let mut c = ExitCost::default();
    match route {
        Route::Vr | Route::Cr => {
            c.redundancy_pay_gbp = section16_pay(rules, p.salary, p.fte, p.service_years);
            if p.early_retirement {
                let strain = p.strain_multiple * p.salary * p.fte;
                c.paid_to_pension_gbp = strain.min(c.redundancy_pay_gbp);
                if p.local_terms {
                    c.pension_strain_gbp = (strain - c.redundancy_pay_gbp).max(0.0);
                }
            }
            c.employer_ni_gbp = termination_ni(rules, c.redundancy_pay_gbp - c.paid_to_pension_gbp);
            if route == Route::Cr {
                c.pilon_gbp = p.salary * p.fte / 12.0 * p.pilon_months;
                c.employer_ni_gbp += rules.earnings_ni_rate * c.pilon_gbp;
                c.legal_gbp = rules.legal_cost;
            } else {
                c.legal_gbp = rules.vr_legal_cost;
            }
        }
        Route::Mars => {
            c.mars_pay_gbp = mars_pay(rules, p.salary, p.fte, p.service_years);
            c.employer_ni_gbp = termination_ni(rules, c.mars_pay_gbp);
        }
    }
    c.total_gbp = c.redundancy_pay_gbp
        + c.mars_pay_gbp
        + c.pilon_gbp
        + c.employer_ni_gbp
        + c.pension_strain_gbp
        + c.legal_gbp;
    c
}

/// When re-employment in the NHS claws back a leaver's payment (docs/sources.md §2, §5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClawbackRules {
    /// VR and MARS: rejoining within this many months repays `repay_share` of the payment (6).
    pub window_months: f64,
    /// The same for senior staff and larger payments (12).
    pub senior_window_months: f64,
    /// A payment of at least this has the senior window (∞: no payment test).
    pub senior_payment: f64,
    /// Share of the redundancy or MARS payment repaid within the window (1).
    pub repay_share: f64,
}

/// AfC Section 16: a redundancy payment is not due to someone who takes up NHS employment
/// within 4 weeks of leaving (docs/sources.md §2 "Re-employment"), in months (28 days of an
/// average 30.4375-day month).
pub const SECTION16_REEMPLOYMENT_MONTHS: f64 = 28.0 / 30.4375;

/// The payment clawed back when a paid leaver rejoins the NHS `months_after` months after
/// leaving. VR and MARS (the 2025 model scheme): `repay_share` of the redundancy or MARS pay if
/// they rejoin within the window — the senior window when `senior` (their band is a senior band)
/// or the payment is at least `senior_payment`. CR (AfC Section 16): the whole redundancy
/// payment if they rejoin within 4 weeks ([`SECTION16_REEMPLOYMENT_MONTHS`]); a rejoiner in a
/// later month keeps it.
pub fn clawback(
    rules: &ClawbackRules,
    route: Route,
    senior: bool,
    cost: &ExitCost,
    months_after: f64,
) -> f64 {
    let payment = cost.redundancy_pay_gbp + cost.mars_pay_gbp;
    match route {
        Route::Cr => {
            if months_after <= SECTION16_REEMPLOYMENT_MONTHS {
                payment
            } else {
                0.0
            }
        }
        Route::Vr | Route::Mars => {
            let window = if senior || payment >= rules.senior_payment {
                rules.senior_window_months
            } else {
                rules.window_months
            };
            if months_after <= window {
                rules.repay_share * payment
            } else {
                0.0
            }
        }
    }
}

/// Employer on-cost rates (docs/sources.md §3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnCosts {
    /// Employer NI rate (15%).
    pub ni_rate: f64,
    /// Employer NI secondary threshold (£5,000 a year).
    pub ni_threshold: f64,
    /// Employer pension rate paid by the organisation (14.38% cash).
    pub pension_rate: f64,
    /// Apprenticeship levy (0.5%).
    pub levy_rate: f64,
}

impl Default for OnCosts {
    fn default() -> Self {
        OnCosts {
            ni_rate: 0.15,
            ni_threshold: 5_000.0,
            pension_rate: 0.1438,
            levy_rate: 0.005,
        }
    }
}

/// Annual employer cost of one person: pay × FTE plus employer NI above the threshold, employer
/// pension (members only) and the apprenticeship levy (docs/sources.md §3).
#[inline]
pub fn annual_employer_cost(on: &OnCosts, salary: f64, fte: f64, pension_member: bool) -> f64 {
    let pay = salary * fte;
    let pension = if pension_member {
        on.pension_rate * pay
    } else {
        0.0
    };
    pay + on.ni_rate * (pay - on.ni_threshold).max(0.0) + pension + on.levy_rate * pay
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ExitRules {
        ExitRules::default()
    }

    #[test]
    fn the_whole_part_is_the_floor_of_any_service_length() {
        let mut xs: Vec<f64> = (0..=6_000).map(|k| k as f64 / 100.0).collect();
        for y in 0..=60 {
            let y = y as f64;
            xs.extend([y, y.next_up(), y.next_down().max(0.0), y + 1e-9, y - 1e-9]);
        }
        for x in xs.into_iter().filter(|&x| x >= 0.0) {
            assert_eq!(whole(x).to_bits(), x.floor().to_bits(), "{x}");
        }
    }

    fn pennies(x: f64) -> f64 {
        (x * 100.0).round() / 100.0
    }

    #[test]
    fn one_month_per_year_of_service() {
        // £55,000 × 20 years: 55,000 / 12 × 20 = 91,666.666… → £91,666.67.
        assert_eq!(
            pennies(section16_pay(&rules(), 55_000.0, 1.0, 20.0)),
            91_666.67
        );
    }

    #[test]
    fn employer_ni_on_termination_above_30k_matches_domain_example() {
        // docs/sources.md §2: pay £91,666.67 → 15% × 61,666.67 = £9,250.00.
        assert_eq!(pennies(termination_ni(&rules(), 91_666.67)), 9_250.00);
        assert_eq!(termination_ni(&rules(), 29_999.0), 0.0);
    }

    #[test]
    fn salary_below_floor_is_raised_to_23k() {
        // £20,000 → floored to £23,000: 23,000 / 12 × 5 = £9,583.33.
        assert_eq!(
            pennies(section16_pay(&rules(), 20_000.0, 1.0, 5.0)),
            9_583.33
        );
    }

    #[test]
    fn caps_salary_at_80k() {
        // £120,000 → capped £80,000: 80,000 / 12 × 10 = £66,666.67.
        assert_eq!(
            pennies(section16_pay(&rules(), 120_000.0, 1.0, 10.0)),
            66_666.67
        );
    }

    #[test]
    fn counts_at_most_24_years_so_pay_never_exceeds_160k() {
        // 35 years at £95,000 → 24 × 80,000 / 12 = £160,000.00 exactly.
        assert_eq!(
            pennies(section16_pay(&rules(), 95_000.0, 1.0, 35.0)),
            160_000.00
        );
        assert_eq!(section16_years(&rules(), 35.0), 24.0);
    }

    #[test]
    fn under_two_years_service_gets_nothing() {
        assert_eq!(section16_pay(&rules(), 50_000.0, 1.0, 1.99), 0.0);
        // Exactly two complete years qualifies: 50,000 / 12 × 2 = £8,333.33.
        assert_eq!(
            pennies(section16_pay(&rules(), 50_000.0, 1.0, 2.0)),
            8_333.33
        );
    }

    #[test]
    fn only_complete_years_count() {
        // 12.9 years → 12: 36,000 / 12 × 12 = £36,000.00.
        assert_eq!(
            pennies(section16_pay(&rules(), 36_000.0, 1.0, 12.9)),
            36_000.00
        );
    }

    #[test]
    fn part_timers_are_pro_rata_after_floor_and_cap() {
        // FTE salary £90,000 at 0.6 FTE: cap first (80,000), then pro rata:
        // 80,000 / 12 × 0.6 = 4,000 a month × 15 years = £60,000.00.
        assert_eq!(
            pennies(section16_pay(&rules(), 90_000.0, 0.6, 15.0)),
            60_000.00
        );
        // FTE salary £21,000 at 0.5 FTE: floor to 23,000, then half: 958.333… × 4 = £3,833.33.
        assert_eq!(
            pennies(section16_pay(&rules(), 21_000.0, 0.5, 4.0)),
            3_833.33
        );
    }

    #[test]
    fn weekly_basis_is_0_385_percent_higher() {
        let r = ExitRules {
            weekly_basis: true,
            ..rules()
        };
        // 80,000 × 4.35 / 52 × 24 = £160,615.38.
        assert_eq!(pennies(section16_pay(&r, 80_000.0, 1.0, 24.0)), 160_615.38);
    }

    #[test]
    fn mars_is_half_a_month_per_year_between_3_and_12_months() {
        // 4 years → 2 months → raised to 3: 3 × 40,000 / 12 = £10,000.00.
        assert_eq!(pennies(mars_pay(&rules(), 40_000.0, 1.0, 4.0)), 10_000.00);
        // 15 years → 7.5 months: 7.5 × 60,000 / 12 = £37,500.00.
        assert_eq!(pennies(mars_pay(&rules(), 60_000.0, 1.0, 15.0)), 37_500.00);
        // 30 years → 15 → capped at 12 months, salary capped at 80,000, 0.5 FTE: 12 × 80,000 / 12 × 0.5 = £40,000.
        assert_eq!(pennies(mars_pay(&rules(), 100_000.0, 0.5, 30.0)), 40_000.00);
    }

    #[test]
    fn compulsory_redundancy_adds_pilon_with_ni_and_legal_cost() {
        let p = Leaver {
            salary: 48_000.0,
            fte: 1.0,
            service_years: 10.0,
            local_terms: false,
            pilon_months: 3.0,
            early_retirement: false,
            strain_multiple: 0.0,
        };
        let c = exit_cost(&rules(), Route::Cr, &p);
        // Section 16: 48,000 / 12 × 10 = 40,000; NI 15% × 10,000 = 1,500.
        // PILON: 48,000 / 12 × 3 = 12,000; NI 15% × 12,000 = 1,800. Legal £2,000.
        assert_eq!(pennies(c.redundancy_pay_gbp), 40_000.00);
        assert_eq!(pennies(c.pilon_gbp), 12_000.00);
        assert_eq!(pennies(c.employer_ni_gbp), 3_300.00);
        assert_eq!(pennies(c.total_gbp), 57_300.00);
    }

    #[test]
    fn early_retirement_costs_afc_staff_nothing_extra_but_local_staff_the_strain_excess() {
        let mut p = Leaver {
            salary: 150_000.0,
            fte: 1.0,
            service_years: 30.0,
            local_terms: false,
            pilon_months: 0.0,
            early_retirement: true,
            strain_multiple: 1.5,
        };
        let afc = exit_cost(&rules(), Route::Vr, &p);
        assert_eq!(afc.pension_strain_gbp, 0.0);
        assert_eq!(pennies(afc.redundancy_pay_gbp), 160_000.00);
        // Strain 1.5 × 150,000 = 225,000 ≥ 160,000: the whole payment goes into the scheme, so
        // no Class 1A NI (ITEPA s.408); the cost is the payment alone.
        assert_eq!(pennies(afc.paid_to_pension_gbp), 160_000.00);
        assert_eq!(afc.employer_ni_gbp, 0.0);
        assert_eq!(pennies(afc.total_gbp), 160_000.00);
        p.local_terms = true;
        let local = exit_cost(&rules(), Route::Vr, &p);
        // Employer pays the larger of the two: excess 225,000 − 160,000 = £65,000.
        assert_eq!(pennies(local.pension_strain_gbp), 65_000.00);
        assert_eq!(local.employer_ni_gbp, 0.0);
        assert_eq!(pennies(local.total_gbp), 160_000.00 + 65_000.00);
    }

    #[test]
    fn class_1a_ni_falls_only_on_the_part_of_the_payment_the_leaver_receives() {
        // £60,000, 22 years, AfC, early retirement with strain 0.5 × 60,000 = 30,000.
        // Redundancy pay 22 × 5,000 = 110,000: 30,000 to the scheme, 80,000 to the leaver.
        // Class 1A 15% × (80,000 − 30,000) = 7,500 (without retirement: 15% × 80,000 = 12,000).
        let p = Leaver {
            salary: 60_000.0,
            fte: 1.0,
            service_years: 22.0,
            local_terms: false,
            pilon_months: 0.0,
            early_retirement: true,
            strain_multiple: 0.5,
        };
        let c = exit_cost(&rules(), Route::Cr, &p);
        assert_eq!(pennies(c.redundancy_pay_gbp), 110_000.00);
        assert_eq!(pennies(c.paid_to_pension_gbp), 30_000.00);
        assert_eq!(pennies(c.employer_ni_gbp), 7_500.00);
        // CR legal £2,000: 110,000 + 7,500 + 2,000.
        assert_eq!(pennies(c.total_gbp), 119_500.00);
        let no_er = exit_cost(
            &rules(),
            Route::Cr,
            &Leaver {
                early_retirement: false,
                ..p
            },
        );
        assert_eq!(no_er.paid_to_pension_gbp, 0.0);
        assert_eq!(pennies(no_er.employer_ni_gbp), 12_000.00);
    }

    #[test]
    fn voluntary_redundancy_carries_the_settlement_agreement_legal_cost() {
        let p = Leaver {
            salary: 36_000.0,
            fte: 1.0,
            service_years: 10.0,
            local_terms: false,
            pilon_months: 0.0,
            early_retirement: false,
            strain_multiple: 0.0,
        };
        // 10 × 3,000 = 30,000 (no NI at the threshold) + £600 legal advice (£500 + VAT).
        let r = ExitRules {
            vr_legal_cost: 600.0,
            ..rules()
        };
        let c = exit_cost(&r, Route::Vr, &p);
        assert_eq!((c.legal_gbp, pennies(c.total_gbp)), (600.0, 30_600.00));
        // The default is none; MARS has no settlement-agreement cost in the model.
        assert_eq!(exit_cost(&rules(), Route::Vr, &p).legal_gbp, 0.0);
        assert_eq!(exit_cost(&r, Route::Mars, &p).legal_gbp, 0.0);
    }

    fn paid(redundancy: f64) -> ExitCost {
        ExitCost {
            redundancy_pay_gbp: redundancy,
            ..ExitCost::default()
        }
    }

    #[test]
    fn the_clawback_window_is_six_months_or_twelve_for_senior_staff_and_large_payments() {
        let r = ClawbackRules {
            window_months: 6.0,
            senior_window_months: 12.0,
            senior_payment: 100_000.0,
            repay_share: 1.0,
        };
        // Band 7, £40,000 paid: back within 6 months, kept after.
        assert_eq!(
            clawback(&r, Route::Vr, false, &paid(40_000.0), 6.0),
            40_000.0
        );
        assert_eq!(clawback(&r, Route::Vr, false, &paid(40_000.0), 7.0), 0.0);
        // A senior band: 12 months.
        assert_eq!(
            clawback(&r, Route::Vr, true, &paid(40_000.0), 12.0),
            40_000.0
        );
        assert_eq!(clawback(&r, Route::Vr, true, &paid(40_000.0), 13.0), 0.0);
        // A payment of £100,000 or more: 12 months whatever the band.
        assert_eq!(
            clawback(&r, Route::Mars, false, &paid(100_000.0), 9.0),
            100_000.0
        );
        // Half repaid under repay_share 0.5.
        let half = ClawbackRules {
            repay_share: 0.5,
            ..r
        };
        assert_eq!(
            clawback(&half, Route::Vr, false, &paid(40_000.0), 3.0),
            20_000.0
        );
    }

    #[test]
    fn a_compulsory_leaver_forfeits_the_payment_only_within_four_weeks() {
        let r = ClawbackRules {
            window_months: 6.0,
            senior_window_months: 12.0,
            senior_payment: f64::INFINITY,
            repay_share: 0.5,
        };
        // 28 days = 0.92 months: within it the whole payment, not repay_share of it.
        assert!((SECTION16_REEMPLOYMENT_MONTHS - 0.919_917).abs() < 1e-6);
        assert_eq!(
            clawback(&r, Route::Cr, false, &paid(30_000.0), 0.9),
            30_000.0
        );
        // From the month after leaving on (the model's rejoining months), nothing comes back.
        assert_eq!(clawback(&r, Route::Cr, true, &paid(30_000.0), 1.0), 0.0);
    }

    #[test]
    fn employer_cost_includes_ni_pension_and_levy() {
        // docs/sources.md §3: £20,000 → NI 15% × 15,000 = 2,250; pension 14.38% = 2,876; levy 100.
        let c = annual_employer_cost(&OnCosts::default(), 20_000.0, 1.0, true);
        assert_eq!(pennies(c), 20_000.0 + 2_250.0 + 2_876.0 + 100.0);
        let non_member = annual_employer_cost(&OnCosts::default(), 20_000.0, 1.0, false);
        assert_eq!(pennies(non_member), 22_350.0);
    }
}
