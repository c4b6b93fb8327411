//! Cost lines and terms (issue 10, part A2), each on a fixture with every input fixed and its
//! results worked out by hand below, then the accounting identities on a stochastic scenario that
//! uses every one of them.
//!
//! Common to the `hand/terms-*` fixtures unless they say otherwise: start 2025-04, 12 months,
//! deadline 2025-12 (month 8; the target must hold in months 8–11), no pay award, no on-costs, no
//! attrition, no non-pay. Staff are band 5 on £36,000, aged 40 with 12 years' service. The VR
//! window is 2025-06 (month 2), everyone applies, approved staff leave after 2 months (month 4).
//! A VR exit then costs: service 12 + 4/12 → 12 complete years × 36,000 / 12 = 36,000; Class 1A
//! NI 15% × (36,000 − 30,000) = 900; legal advice on the settlement agreement (`vr.legal_cost_gbp
//! = 600` in each fixture; the default is 0) 600 → 37,500.

mod common;

use common::{load_fixture, run_engine};
use icbsim::engine::IterationOutput;
use icbsim::metric::{Metric, Series, YearMetric};
use icbsim::scenario::{load_str, LoadOptions, Scenario};

/// Two iterations on one thread of the fixture `hand/<name>` with `overrides`.
fn run(name: &str, overrides: &[&str]) -> Vec<IterationOutput> {
    run_engine(&load_fixture(&format!("hand/{name}"), overrides), 2, 1)
}

/// The scalar `metric` of the first organisation in the first iteration.
fn m(r: &[IterationOutput], metric: Metric) -> f64 {
    r[0].orgs[0].scalars[metric]
}

/// The series `s` of the first organisation in the first iteration.
fn series(r: &[IterationOutput], s: Series) -> &[f64] {
    &r[0].orgs[0].series[s.index()]
}

fn assert_near(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 0.005 + 1e-9 * want.abs(),
        "{what}: got {got}, expected {want}"
    );
}

// ---------------------------------------------------------------------------------------------
// Running- and programme-funded pay
// ---------------------------------------------------------------------------------------------

// `terms-programme.toml`: 8 running-cost staff and 2 programme-funded (the `funding` column,
// any case), all at £36,000.
//   Share target: the running-cost baseline is 8 × 36,000 = 288,000 (programme pay is outside
//   the running-cost allowance); target 50% → 144,000. Gap 288,000 − 144,000 = 144,000 = 4 posts
//   of 36,000, taken from the 8 running-cost staff only (cutting programme pay saves nothing
//   against this target). 4 × 37,500 = 150,000. Run-rate at the deadline 4 × 36,000 = 144,000:
//   met. Headcount at the end: 10 − 4 = 6 (headcount counts everyone).
#[test]
fn a_share_target_covers_running_cost_pay_only() {
    let r = run("terms-programme.toml", &[]);
    assert_near(m(&r, Metric::BaselineGbp), 288_000.0, "baseline");
    assert_near(m(&r, Metric::TargetGbp), 144_000.0, "target");
    assert_eq!(m(&r, Metric::ExitsVr), 4.0);
    assert_near(m(&r, Metric::ExitCostGbp), 150_000.0, "exit cost");
    assert_near(
        m(&r, Metric::RunRateAtDeadlineGbp),
        144_000.0,
        "run-rate at the deadline",
    );
    assert_eq!(m(&r, Metric::TargetMet), 1.0);
    assert_eq!(m(&r, Metric::HeadcountStart), 10.0);
    assert_eq!(m(&r, Metric::HeadcountEnd), 6.0);
    // The run-rate before the exits is the running-cost pay alone.
    assert_near(series(&r, Series::RunRateGbp)[0], 288_000.0, "month 0");
}

//   Envelope target (£1 a head × 216,000 people = 216,000): the envelope covers running-cost AND
//   programme-funded pay, so the baseline is 10 × 36,000 = 360,000 and the gap 360,000 − 216,000
//   = 144,000 = 4 posts, from all 10 staff. 150,000 of exit cost; run-rate at the deadline 6 ×
//   36,000 = 216,000 = the envelope: met.
#[test]
fn the_envelope_covers_programme_pay_too() {
    let r = run(
        "terms-programme.toml",
        &["target.basis=\"envelope\"", "target.per_head_gbp=1"],
    );
    assert_near(m(&r, Metric::BaselineGbp), 360_000.0, "baseline");
    assert_near(m(&r, Metric::TargetGbp), 216_000.0, "target");
    assert_eq!(m(&r, Metric::ExitsVr), 4.0);
    assert_near(m(&r, Metric::ExitCostGbp), 150_000.0, "exit cost");
    assert_near(
        m(&r, Metric::RunRateAtDeadlineGbp),
        216_000.0,
        "run-rate at the deadline",
    );
    assert_eq!(m(&r, Metric::TargetMet), 1.0);
}

// ---------------------------------------------------------------------------------------------
// Cheap savings first
// ---------------------------------------------------------------------------------------------

// `terms-cheap.toml`: 10 staff (360,000), one vacant post's budget (36,000, held in full from
// the start month) and 36,000 of temporary staffing (cut by half on a ramp from month 0 to
// month 4). Both lines are priced like pay.
//   Baseline 360,000 + 36,000 + 36,000 = 432,000; target 50% → 216,000.
//   At the deadline the lines leave 0 + 18,000, so the pay allowance is 216,000 − 18,000 =
//   198,000 and the gap 360,000 − 198,000 = 162,000 → ⌈4.5⌉ = 5 posts: 5 × 37,500 = 187,500.
//   Run-rate: month 0 360,000 + 0 + 36,000 = 396,000; month 2 (temporary cut 0.5 × 2/4 = 0.25)
//   360,000 + 27,000 = 387,000; from month 4 5 × 36,000 + 18,000 = 198,000 ≤ 216,000: met.
//   Savings (baseline − run-rate) / 12: months 0–3 (36,000, 40,500, 45,000, 49,500) / 12 =
//   14,250; months 4–11 8 × (432,000 − 198,000) / 12 = 156,000; in all 170,250.
//   Recurrent saving 432,000 − 198,000 = 234,000.
// Without the cheap savings (both reduction shares 0) the lines keep 72,000: allowance 144,000,
//   gap 216,000 = 6 posts, 6 × 37,500 = 225,000; run-rate 4 × 36,000 + 72,000 = 216,000.
#[test]
fn cheap_savings_close_part_of_the_gap_before_paid_exits() {
    let r = run("terms-cheap.toml", &[]);
    assert_near(m(&r, Metric::BaselineGbp), 432_000.0, "baseline");
    assert_near(m(&r, Metric::TargetGbp), 216_000.0, "target");
    assert_eq!(m(&r, Metric::ExitsVr), 5.0);
    assert_near(m(&r, Metric::ExitCostGbp), 187_500.0, "exit cost");
    let rr = series(&r, Series::RunRateGbp);
    assert_near(rr[0], 396_000.0, "month 0");
    assert_near(rr[2], 387_000.0, "month 2");
    assert_near(rr[4], 198_000.0, "month 4");
    assert_near(
        m(&r, Metric::RunRateAtDeadlineGbp),
        198_000.0,
        "run-rate at the deadline",
    );
    assert_eq!(m(&r, Metric::TargetMet), 1.0);
    assert_near(m(&r, Metric::SavingsGbp), 170_250.0, "savings");
    assert_near(m(&r, Metric::RecurrentSavingGbp), 234_000.0, "recurrent");
    // Headcount counts staff, not the cost lines.
    assert_eq!(m(&r, Metric::HeadcountEnd), 5.0);

    let without = run(
        "terms-cheap.toml",
        &[
            "vacancies.reduction_share=0",
            "temporary_staffing.reduction_share=0",
        ],
    );
    assert_eq!(m(&without, Metric::ExitsVr), 6.0);
    assert_near(m(&without, Metric::ExitCostGbp), 225_000.0, "exit cost");
    assert_near(
        m(&without, Metric::RunRateAtDeadlineGbp),
        216_000.0,
        "run-rate",
    );
}

// ---------------------------------------------------------------------------------------------
// Partial credit for a transfer
// ---------------------------------------------------------------------------------------------

// `terms-transfer.toml`: 8 corporate staff and 2 digital staff; digital moves to a provider in
// 2025-05 (month 1) with both its staff and `allocation_transfer_share = 0.5`: half their cost
// (0.5 × 72,000 = 36,000) moves with its budget, the other half stays on the system basis.
//   Baseline 360,000 in the start month, 360,000 − 36,000 = 324,000 from month 1 (the baseline
//   reported is the one at the deadline); target 50% of it: 162,000 (180,000 before the move).
//   System run-rate: 360,000 in month 0; 288,000 + 36,000 = 324,000 in months 1–3.
//   At the window the projected system pay is 288,000 + 36,000 = 324,000 against 162,000: gap
//   162,000 → ⌈4.5⌉ = 5 posts, 187,500. From month 4: system 3 × 36,000 + 36,000 = 144,000
//   ≤ 162,000, met; own 108,000.
//   Savings against the moving baseline: month 0 0, months 1–3 0, months 4–11 8 × (324,000 −
//   144,000) / 12 = 120,000 — the budget that moved is not a saving. Cost shifted (system − own)
//   / 12 = 3,000 a month in months 1–11: 33,000. Recurrent saving 324,000 − 144,000 = 180,000.
#[test]
fn a_share_of_the_cost_moves_with_its_budget() {
    let r = run("terms-transfer.toml", &[]);
    assert_near(m(&r, Metric::BaselineGbp), 324_000.0, "baseline");
    assert_near(m(&r, Metric::TargetGbp), 162_000.0, "target");
    let target = series(&r, Series::TargetGbp);
    assert_near(target[0], 180_000.0, "target before the transfer");
    assert_near(target[1], 162_000.0, "target after the transfer");
    let sys = series(&r, Series::RunRateSystemGbp);
    assert_near(sys[0], 360_000.0, "system before");
    assert_near(sys[1], 324_000.0, "system after");
    assert_near(sys[4], 144_000.0, "system after the exits");
    assert_eq!(m(&r, Metric::ExitsVr), 5.0);
    assert_near(m(&r, Metric::ExitCostGbp), 187_500.0, "exit cost");
    assert_near(
        m(&r, Metric::RunRateAtDeadlineGbp),
        144_000.0,
        "run-rate at the deadline",
    );
    assert_near(
        m(&r, Metric::RunRateOwnAtDeadlineGbp),
        108_000.0,
        "own at the deadline",
    );
    assert_eq!(m(&r, Metric::TargetMet), 1.0);
    assert_near(m(&r, Metric::SavingsGbp), 120_000.0, "savings");
    assert_near(m(&r, Metric::CostShiftedGbp), 33_000.0, "cost shifted");
    assert_near(m(&r, Metric::RecurrentSavingGbp), 180_000.0, "recurrent");
    assert_near(
        m(&r, Metric::ReductionAtDeadline),
        1.0 - 144_000.0 / 324_000.0,
        "reduction",
    );
}

//   With the whole cost moving (share 1): baseline 288,000, target 144,000, the system run-rate
//   drops to 288,000 at the transfer and the gap is 144,000 = 4 posts; nothing is cost shifted.
//   With none moving (share 0, the default): baseline 360,000, target 180,000, the movers stay
//   on the system basis at 72,000: gap 180,000 = 5 posts; system at the deadline 3 × 36,000 +
//   72,000 = 180,000; cost shifted 6,000 a month × 11 = 66,000.
#[test]
fn the_allocation_share_runs_from_no_credit_to_the_whole_budget() {
    let all = run(
        "terms-transfer.toml",
        &["function.digital.allocation_transfer_share=1"],
    );
    assert_near(m(&all, Metric::BaselineGbp), 288_000.0, "baseline");
    assert_near(m(&all, Metric::TargetGbp), 144_000.0, "target");
    assert_eq!(m(&all, Metric::ExitsVr), 4.0);
    assert_near(m(&all, Metric::CostShiftedGbp), 0.0, "cost shifted");
    assert_near(m(&all, Metric::RunRateAtDeadlineGbp), 144_000.0, "run-rate");
    let none = run(
        "terms-transfer.toml",
        &["function.digital.allocation_transfer_share=0"],
    );
    assert_near(m(&none, Metric::BaselineGbp), 360_000.0, "baseline");
    assert_near(m(&none, Metric::TargetGbp), 180_000.0, "target");
    assert_eq!(m(&none, Metric::ExitsVr), 5.0);
    assert_near(
        m(&none, Metric::RunRateAtDeadlineGbp),
        180_000.0,
        "run-rate",
    );
    assert_near(m(&none, Metric::CostShiftedGbp), 66_000.0, "cost shifted");
}

// ---------------------------------------------------------------------------------------------
// Audit items: clawback by seniority, CR re-employment, VR legal cost, NI and pension strain
// ---------------------------------------------------------------------------------------------

// `terms-audit.toml`: a target of 0 (reduction share 1), so all four staff go by VR in month 4;
// everyone rejoins the NHS one month later (rejoin share 1 over a 1-month span). The ordinary
// clawback window is 0 months, the senior one 1 month, for band VSM or a payment of £140,000+.
// Salaries at exit are those at the start (no award); a month's pay is capped at 80,000 / 12.
//   a1 band 5, £36,000, 12 years: 36,000; NI 900; legal 600 → 37,500. Keeps it (window 0).
//   a2 VSM (local terms), £120,000, 10 years: 10 × 6,666.67 = 66,666.67; NI 15% × 36,666.67 =
//     5,500; legal 600 → 72,766.67. Senior by band: repays 66,666.67.
//   a3 band 8d, £96,000, 20 years, aged 58, pension member: 20 × 6,666.67 = 133,333.33; early
//     retirement (take-up 1), strain 1.0 × 96,000 = 96,000 paid from it into the scheme, so
//     Class 1A falls on 133,333.33 − 96,000 = 37,333.33 only: 15% × 7,333.33 = 1,100 (not
//     15% × 103,333.33 = 15,500); legal 600 → 135,033.33. Payment below 140,000, band not
//     senior: keeps it.
//   a4 band 9, £110,000, 25 years: 24 × 6,666.67 = 160,000; NI 15% × 130,000 = 19,500; legal
//     600 → 180,100. Payment ≥ 140,000: the senior window, repays 160,000.
//   Redundancy pay 396,000; NI 27,000; legal 2,400; clawback 226,666.67;
//   exit cost 396,000 + 27,000 + 2,400 − 226,666.67 = 198,733.33.
#[test]
fn vr_terms_follow_the_audit_rules() {
    let r = run("terms-audit.toml", &[]);
    assert_eq!(m(&r, Metric::ExitsVr), 4.0);
    assert_eq!(m(&r, Metric::EarlyRetirements), 1.0);
    assert_eq!(m(&r, Metric::Rejoiners), 4.0);
    assert_near(m(&r, Metric::RedundancyPayGbp), 396_000.0, "redundancy pay");
    assert_near(m(&r, Metric::EmployerNiGbp), 27_000.0, "employer NI");
    assert_near(m(&r, Metric::LegalGbp), 2_400.0, "legal");
    assert_near(m(&r, Metric::PensionStrainGbp), 0.0, "strain (AfC)");
    assert_near(m(&r, Metric::ClawbackGbp), 226_666.67, "clawback");
    assert_near(m(&r, Metric::ExitCostGbp), 198_733.33, "exit cost");
    assert_near(m(&r, Metric::ExitCostVrGbp), 198_733.33, "VR route");
    // The clawback is credited in the month they rejoin (month 5), on both timings.
    for s in [Series::ExitCostCashGbp, Series::ExitCostAccruedGbp] {
        assert_near(series(&r, s)[5], -226_666.67, "clawback month");
    }
    // Widening the ordinary window to a month claws back a1's and a3's payments too.
    let all = run("terms-audit.toml", &["clawback.window_months=1"]);
    assert_near(m(&all, Metric::ClawbackGbp), 396_000.0, "all clawed back");
}

//   Compulsory instead (VR off): CR consultation 30 days → 1 month, from the window (month 2) to
//   month 3, then notice worked: band 5 two months (exit month 5), VSM six (9), 8d and 9 three
//   (6). Service at exit: 12.42, 10.75, 20.5, 25.5 → 12, 10, 20, 24 years, the same payments.
//   a1 36,000 + 900 + 2,000 legal = 38,900; a2 66,666.67 + 5,500 + 2,000 = 74,166.67;
//   a3 133,333.33 + 1,100 + 2,000 = 136,433.33 (early retirement as before);
//   a4 160,000 + 19,500 + 2,000 = 181,500. In all 431,000.
//   All four rejoin a month after leaving (cr.rejoin_share 1), inside the horizon: 4 rejoiners;
//   AfC Section 16 recovers a redundancy payment only for NHS employment within 4 weeks, so
//   nothing is clawed back.
#[test]
fn compulsory_leavers_who_rejoin_keep_their_payment_after_four_weeks() {
    let r = run("terms-audit.toml", &["vr.enabled=false"]);
    assert_eq!(m(&r, Metric::ExitsCr), 4.0);
    assert_eq!(m(&r, Metric::Rejoiners), 4.0);
    assert_near(m(&r, Metric::ClawbackGbp), 0.0, "clawback");
    assert_near(m(&r, Metric::LegalGbp), 8_000.0, "legal");
    assert_near(m(&r, Metric::EmployerNiGbp), 27_000.0, "employer NI");
    assert_near(m(&r, Metric::ExitCostGbp), 431_000.0, "exit cost");
    let none = run(
        "terms-audit.toml",
        &["vr.enabled=false", "cr.rejoin_share=0"],
    );
    assert_eq!(m(&none, Metric::Rejoiners), 0.0);
    assert_near(m(&none, Metric::ExitCostGbp), 431_000.0, "exit cost");
}

// ---------------------------------------------------------------------------------------------
// Identities and reproducibility on a stochastic scenario with every feature uncertain
// ---------------------------------------------------------------------------------------------

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

/// The accounting identities of `docs/model.md` §2.6 on every iteration and organisation.
fn check_identities(sc: &Scenario, r: &[IterationOutput]) {
    let n_org = sc.orgs.len();
    for it in r {
        for (org, o) in it.orgs.iter().enumerate() {
            let g = |k: Metric| o.scalars[k];
            let ends = g(Metric::HeadcountEnd)
                + g(Metric::NaturalLeavers)
                + g(Metric::Transferred)
                + g(Metric::ExitsVr)
                + g(Metric::ExitsMars)
                + g(Metric::ExitsCr)
                + g(Metric::Redeployed);
            assert!(close(ends, g(Metric::HeadcountStart)), "end states");
            let parts = g(Metric::RedundancyPayGbp)
                + g(Metric::MarsPayGbp)
                + g(Metric::PilonGbp)
                + g(Metric::EmployerNiGbp)
                + g(Metric::PensionStrainGbp)
                + g(Metric::LegalGbp)
                - g(Metric::ClawbackGbp);
            assert!(close(parts, g(Metric::ExitCostGbp)), "components");
            let routes =
                g(Metric::ExitCostVrGbp) + g(Metric::ExitCostMarsGbp) + g(Metric::ExitCostCrGbp);
            assert!(close(routes, g(Metric::ExitCostGbp)), "routes");
            // On the moving baseline: reduction and recurrent saving at the deadline.
            let (base, rr) = (g(Metric::BaselineGbp), g(Metric::RunRateAtDeadlineGbp));
            assert!(close(g(Metric::ReductionAtDeadline), 1.0 - rr / base));
            let s = |k: Series| &o.series[k.index()];
            let years = |k: YearMetric| o.by_year.iter().map(|y| y[k.index()]).sum::<f64>();
            assert!(close(years(YearMetric::SavingsGbp), g(Metric::SavingsGbp)));
            assert!(close(
                years(YearMetric::CostShiftedGbp),
                g(Metric::CostShiftedGbp)
            ));
            for k in [Series::ExitCostCashGbp, Series::ExitCostAccruedGbp] {
                assert!(close(s(k).iter().sum(), g(Metric::ExitCostGbp)));
            }
            // The share that moves with its budget never makes the system cheaper than own.
            assert!(s(Series::RunRateOwnGbp)
                .iter()
                .zip(s(Series::RunRateSystemGbp))
                .all(|(own, sys)| *own <= sys + 1e-6));
            // The target falls only when a budget moves out, never rises (cash target).
            assert!(s(Series::TargetGbp).windows(2).all(|w| w[1] <= w[0] + 1e-6));
            if org == n_org {
                for k in [
                    Metric::BaselineGbp,
                    Metric::TargetGbp,
                    Metric::ExitCostGbp,
                    Metric::ClawbackGbp,
                    Metric::LegalGbp,
                    Metric::SavingsGbp,
                    Metric::Rejoiners,
                ] {
                    let sum: f64 = it.orgs[..n_org].iter().map(|x| x.scalars[k]).sum();
                    assert!(close(sum, g(k)), "total of {}", k.name());
                }
            }
        }
    }
}

#[test]
fn identities_hold_with_every_cost_line_and_term_uncertain() {
    let sc = load_fixture("hand/terms-stochastic.toml", &[]);
    let r = run_engine(&sc, 120, 2);
    check_identities(&sc, &r);
    // Every feature was exercised: budgets moved, CR rejoiners, clawback, VR legal costs.
    let total = |k: Metric| r.iter().map(|it| it.orgs[2].scalars[k]).sum::<f64>();
    assert!(total(Metric::CostShiftedGbp) > 0.0);
    assert!(total(Metric::ClawbackGbp) > 0.0 && total(Metric::Rejoiners) > 0.0);
    assert!(total(Metric::LegalGbp) > total(Metric::ExitsCr) * 2_000.0);
    // Under the envelope programme pay counts: the baseline is higher.
    let env = load_fixture(
        "hand/terms-stochastic.toml",
        &["target.basis=\"envelope\"", "target.per_head_gbp=30"],
    );
    let e = run_engine(&env, 40, 2);
    check_identities(&env, &e);
    assert!(e[0].orgs[0].scalars[Metric::BaselineGbp] > r[0].orgs[0].scalars[Metric::BaselineGbp]);
}

#[test]
fn every_new_input_is_drawn_per_iteration_and_results_ignore_the_thread_count() {
    let sc = load_fixture("hand/terms-stochastic.toml", &[]);
    for path in [
        "vacancies.reduction_share",
        "vacancies.ramp_full",
        "temporary_staffing.reduction_share",
        "org.alpha-icb.vacancy_baseline_gbp",
        "org.beta-icb.temporary_staffing_baseline_gbp",
        "function.digital.allocation_transfer_share",
        "clawback.senior_window_months",
        "cr.rejoin_share",
        "vr.legal_cost_gbp",
    ] {
        assert!(
            sc.uncertain_inputs().any(|(_, d)| d.path == path),
            "{path} is not an uncertain input"
        );
    }
    let bits = |r: &[IterationOutput]| -> Vec<u64> {
        r.iter()
            .flat_map(|it| {
                it.values.iter().chain(
                    it.orgs
                        .iter()
                        .flat_map(|o| o.scalars.iter().chain(o.series.iter().flatten())),
                )
            })
            .map(|x| x.to_bits())
            .collect()
    };
    let one = run_engine(&sc, 24, 1);
    let many = run_engine(&sc, 24, 3);
    assert_eq!(bits(&one), bits(&many));
}

// ---------------------------------------------------------------------------------------------
// Validation: located errors
// ---------------------------------------------------------------------------------------------

const BASE: &str = r#"[scenario]
name = "v"
start = "2025-04"
horizon_months = 12

[target]
deadline = "2025-12"

[vr]
window = "2025-06"
"#;

const ORG: &str = r#"
[[org]]
name = "Hand ICB"
staff_file = "terms-staff.csv"
"#;

/// The problems of `BASE` + `extra` + `ORG`, as `LINE:COLUMN: path: message` lines.
fn problems(extra: &str) -> Vec<String> {
    let text = format!("{BASE}{extra}{ORG}");
    let dir = common::fixture("hand");
    match load_str("t.toml", &text, &dir, &LoadOptions::default()) {
        Ok(_) => Vec::new(),
        Err(p) => {
            p.0.iter()
                .map(|p| format!("{}:{}: {}: {}", p.line, p.column, p.path, p.message))
                .collect()
        }
    }
}

fn assert_problem(extra: &str, want: &str) {
    let got = problems(extra);
    assert!(
        got.iter().any(|p| p.starts_with(want)),
        "expected a problem starting {want:?}, got {got:#?}"
    );
}

#[test]
fn bad_cost_lines_and_terms_are_located_errors() {
    // BASE is 10 lines; `extra` starts on line 11.
    assert_problem(
        "\n[vacancies]\nreduction_share = 1.5\n",
        "13:19: vacancies.reduction_share: 1.5 is not allowed here",
    );
    assert_problem(
        "\n[temporary_staffing]\nramp_start = \"2025-09\"\nramp_full = \"2025-06\"\n",
        "14:13: temporary_staffing.ramp_full: ",
    );
    assert_problem(
        "\n[temporary_staffing]\nramp_full = \"2027-06\"\n",
        "13:13: temporary_staffing.ramp_full: months 2027-06..2027-06 fall outside the horizon",
    );
    assert_problem(
        "\n[vacancies]\nshare = 0.5\n",
        "13:1: vacancies.share: unknown key 'share'",
    );
    assert_problem(
        "\n[clawback]\nwindow_months = 12\nsenior_window_months = 6\n",
        "14:24: clawback.senior_window_months: clawback.window_months (12) is above",
    );
    assert_problem(
        "\n[clawback]\nsenior_bands = [\"8e\"]\n",
        "13:17: clawback.senior_bands: not a band",
    );
    assert_problem(
        "\n[cr]\nrejoin_share = -0.1\n",
        "13:16: cr.rejoin_share: -0.1 is not allowed here",
    );
    assert_problem(
        "\n[[function]]\nname = \"digital\"\nallocation_transfer_share = 0.5\n",
        "14:29: function.digital.allocation_transfer_share: only a function with a transfer month",
    );
    assert_problem(
        "\n[[function]]\nname = \"digital\"\ndestination = \"provider\"\ntransfer = \"2025-09\"\nallocation_transfer_share = 1.2\n",
        "16:29: function.digital.allocation_transfer_share: 1.2 is not allowed here",
    );
}

#[test]
fn bad_org_cost_lines_and_programme_shares_are_located_errors() {
    let text = format!(
        "{BASE}\n[[org]]\nname = \"A\"\nvacancy_baseline_gbp = -5\n[org.synthetic]\nheadcount = 10\n\
         band_mix = {{ \"5\" = 1 }}\nprogramme_share = 1.5\n"
    );
    let p = load_str(
        "t.toml",
        &text,
        std::path::Path::new("."),
        &LoadOptions::default(),
    )
    .expect_err("problems");
    let lines: Vec<String> =
        p.0.iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.path))
            .collect();
    assert!(
        lines.contains(&"14:24: org.a.vacancy_baseline_gbp".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"18:19: org.a.synthetic.programme_share".to_string()),
        "{lines:?}"
    );
}
