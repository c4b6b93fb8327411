//! The board-true definitions (`docs/model.md` §2.6) on a two-organisation scenario with every
//! input fixed, worked out by hand below with the arithmetic shown.
//!
//! `tests/fixtures/hand/board.toml`: start 2025-04, 36 months (to 2028-03), deadline 2027-03
//! (month 23), pay award 3% each April (pay index 1 in 2025/26, 1.03 in 2026/27, 1.0609 in
//! 2027/28), no on-costs, no attrition, non-pay halved from the start, targets by envelope
//! (£1 a head): North 421,000, South 330,000. Transfers do not count: the target basis is the
//! system run-rate.
//!
//! North: 10 staff at £36,000 in an out-of-scope function (no one can be made redundant).
//!   Baseline 360,000 + 100,000 = 460,000. Run-rate 360,000 × index + 50,000:
//!   410,000 (2025/26), 420,800 (2026/27), 431,924 (2027/28).
//!   At the deadline 420,800 ≤ 421,000: met in the deadline month; from April 2027 the pay award
//!   takes it to 431,924 > 421,000: broken, so not met recurrently. (It did hold for 12 months
//!   from the start, months 0–12, so months_to_target is 0: that measure looks at any 12 months,
//!   target_met at the deadline and the 12 after it.)
//! South: 8 corporate staff and 2 digital staff at £36,000; digital moves to a provider in
//!   2025-10 (month 6) with both staff. Baseline 460,000. The VR window is 2026-02 (month 10):
//!   the restructure plans for the tightest month of the deadline and the 12 after it (months
//!   23–35): pay allowed at start prices = (330,000 − 50,000) / 1.0609 = 263,926.86; the system
//!   pay projected is 360,000 (the movers still count) → gap 96,073.14 → ceil(96,073 / 36,000) =
//!   3 posts. Everyone applies; 3 are approved in month 10 (2025/26: accrued) and leave after
//!   the 2-month lag in month 12 (2026/27: cash).
//!   Each exit: salary 36,000 × 1.03 = 37,080; service 12 + 12/12 = 13 complete years →
//!   13 × 37,080 / 12 = 40,170; Class 1A NI 15% × (40,170 − 30,000) = 1,525.50 → 41,695.50;
//!   3 exits: 125,086.50.
//!   System run-rate: 410,000 (months 0–11); 7 × 36,000 × 1.03 + 50,000 = 309,560 (2026/27);
//!   7 × 36,000 × 1.0609 + 50,000 = 317,346.80 (2027/28): met from month 12 and held → met
//!   recurrently, months_to_target 12.
//!   Own run-rate drops the 2 movers from month 6; cost shifted a month = 2 × 36,000 × index / 12:
//!   6,000 × 6 = 36,000 (2025/26), 6,180 × 12 = 74,160 (2026/27), 6,365.40 × 12 = 76,384.80.
//!   Savings (baseline − system) / 12 a month: 2025/26 (460,000 − 410,000) = 50,000;
//!   2026/27 (460,000 − 309,560) = 150,440; 2027/28 (460,000 − 317,346.80) = 142,653.20.
//!   Net accrued: 2025/26 50,000 − 125,086.50 = −75,086.50; 2026/27 150,440.
//!   Net cash: 2025/26 50,000; 2026/27 150,440 − 125,086.50 = 25,353.50.
//!   Recurrent saving at the deadline (month 23, index 1.03, run-rate 309,560):
//!   today's prices 460,000 − 309,560 / 1.03 = 159,456.31; cash 460,000 × 1.03 − 309,560 =
//!   164,240.
//! Total: every organisation must meet its own target: North does not → target_met 0, one of two
//!   organisations meets; pooled: 751,000 against 420,800 + 309,560 = 730,360 (2026/27) and
//!   431,924 + 317,346.80 = 749,270.80 (2027/28) → met. Both meet in the deadline month alone.
//! Funding: North 200,000 against no exits (surplus 200,000); South 100,000 against 125,086.50
//!   (gap 25,086.50). The total's gap is the sum, 25,086.50, not netted against North's surplus;
//!   with a central pot of 0 declared, funding pools: 300,000 ≥ 125,086.50, no gap.

mod common;

use common::{load_fixture, run_engine};
use icbsim::engine::IterationOutput;
use icbsim::metric::{Metric, YearMetric};
use icbsim::scenario::Scenario;

/// The board fixture with `overrides` applied.
fn scenario(overrides: &[&str]) -> Scenario {
    load_fixture("hand/board.toml", overrides)
}

/// Two iterations on one thread.
fn run(sc: &Scenario) -> Vec<IterationOutput> {
    run_engine(sc, 2, 1)
}

const NORTH: usize = 0;
const SOUTH: usize = 1;
const TOTAL: usize = 2;

fn assert_near(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 0.005 + 1e-9 * want.abs(),
        "{what}: got {got}, expected {want}"
    );
}

#[test]
fn two_organisations_match_the_hand_calculation() {
    let r = run(&scenario(&[]));
    let o = |org: usize| &r[0].orgs[org];
    let m = |org: usize, k: Metric| o(org).scalars[k];
    let y = |org: usize, fy: usize, k: YearMetric| o(org).by_year[fy][k.index()];

    // North: met in the deadline month, broken by April 2027's pay award.
    assert_near(
        m(NORTH, Metric::RunRateAtDeadlineGbp),
        420_800.0,
        "North run-rate",
    );
    assert_eq!(m(NORTH, Metric::TargetMetAtDeadline), 1.0);
    assert_eq!(m(NORTH, Metric::TargetMet), 0.0);
    assert_eq!(m(NORTH, Metric::MonthsToTarget), 0.0);
    assert_eq!(m(NORTH, Metric::PaidExits), 0.0);
    assert_near(
        y(NORTH, 2, YearMetric::SavingsGbp),
        28_076.0,
        "North 2027/28 savings",
    );

    // South: VR accrued in 2025/26, paid in 2026/27.
    assert_eq!(m(SOUTH, Metric::ExitsVr), 3.0);
    assert_near(m(SOUTH, Metric::ExitCostGbp), 125_086.5, "South exit cost");
    assert_near(
        y(SOUTH, 0, YearMetric::ExitCostAccruedGbp),
        125_086.5,
        "accrued 25/26",
    );
    assert_near(y(SOUTH, 0, YearMetric::ExitCostCashGbp), 0.0, "cash 25/26");
    assert_near(
        y(SOUTH, 1, YearMetric::ExitCostAccruedGbp),
        0.0,
        "accrued 26/27",
    );
    assert_near(
        y(SOUTH, 1, YearMetric::ExitCostCashGbp),
        125_086.5,
        "cash 26/27",
    );
    // Savings exclude the transfer; the cost shifted is reported beside them.
    assert_near(
        y(SOUTH, 0, YearMetric::SavingsGbp),
        50_000.0,
        "savings 25/26",
    );
    assert_near(
        y(SOUTH, 1, YearMetric::SavingsGbp),
        150_440.0,
        "savings 26/27",
    );
    assert_near(
        y(SOUTH, 2, YearMetric::SavingsGbp),
        142_653.2,
        "savings 27/28",
    );
    assert_near(
        y(SOUTH, 0, YearMetric::CostShiftedGbp),
        36_000.0,
        "shifted 25/26",
    );
    assert_near(
        y(SOUTH, 1, YearMetric::CostShiftedGbp),
        74_160.0,
        "shifted 26/27",
    );
    assert_near(
        y(SOUTH, 2, YearMetric::CostShiftedGbp),
        76_384.8,
        "shifted 27/28",
    );
    assert_near(
        y(SOUTH, 0, YearMetric::NetAccruedGbp),
        -75_086.5,
        "net accrued 25/26",
    );
    assert_near(
        y(SOUTH, 1, YearMetric::NetAccruedGbp),
        150_440.0,
        "net accrued 26/27",
    );
    assert_near(
        y(SOUTH, 0, YearMetric::NetCashGbp),
        50_000.0,
        "net cash 25/26",
    );
    assert_near(
        y(SOUTH, 1, YearMetric::NetCashGbp),
        25_353.5,
        "net cash 26/27",
    );
    // Recurrent saving in today's prices and in cash.
    assert_near(
        m(SOUTH, Metric::RecurrentSavingGbp),
        460_000.0 - 309_560.0 / 1.03,
        "recurrent, today's prices",
    );
    assert_near(
        m(SOUTH, Metric::RecurrentSavingCashGbp),
        164_240.0,
        "recurrent, cash",
    );
    assert_eq!(m(SOUTH, Metric::TargetMet), 1.0);
    assert_eq!(m(SOUTH, Metric::MonthsToTarget), 12.0);
    assert_near(
        m(SOUTH, Metric::RunRateAtDeadlineGbp),
        309_560.0,
        "South system",
    );
    assert_near(
        m(SOUTH, Metric::RunRateOwnAtDeadlineGbp),
        309_560.0 - 74_160.0,
        "own",
    );

    // The total: every organisation vs pooled.
    assert_eq!(m(TOTAL, Metric::TargetMet), 0.0);
    assert_eq!(m(TOTAL, Metric::TargetMetPooled), 1.0);
    assert_eq!(m(TOTAL, Metric::TargetMetAtDeadline), 1.0);
    assert_eq!(m(TOTAL, Metric::OrgsMeetingTarget), 1.0);
    // Funding gaps summed, not netted.
    assert_near(m(TOTAL, Metric::FundingGapGbp), 25_086.5, "summed gap");
    assert_near(
        m(TOTAL, Metric::FundingSurplusGbp),
        200_000.0,
        "summed surplus",
    );
    assert_eq!(m(TOTAL, Metric::FundingGapAny), 1.0);
}

#[test]
fn a_central_pot_pools_the_funding_gap() {
    let r = run(&scenario(&["scenario.funding_gbp=0"]));
    let t = &r[0].orgs[TOTAL].scalars;
    assert_near(t[Metric::FundingGbp], 300_000.0, "pooled funding");
    assert_near(t[Metric::FundingGapGbp], 0.0, "pooled gap");
    assert_near(
        t[Metric::FundingSurplusGbp],
        300_000.0 - 125_086.5,
        "pooled surplus",
    );
    assert_eq!(t[Metric::FundingGapAny], 0.0);
    // The organisations' own gaps are unchanged.
    assert_near(
        r[0].orgs[SOUTH].scalars[Metric::FundingGapGbp],
        25_086.5,
        "South gap",
    );
}

#[test]
fn a_pay_indexed_target_rises_with_the_award() {
    // North's target uprated by the pay index: 421,000 × 1.0609 = 446,638.90 ≥ 431,924 in
    // 2027/28, so it now holds recurrently (and from the start: months_to_target 0).
    let r = run(&scenario(&["target.indexation=pay"]));
    let n = &r[0].orgs[NORTH].scalars;
    assert_eq!(n[Metric::TargetMet], 1.0);
    assert_eq!(n[Metric::MonthsToTarget], 0.0);
    assert_near(
        n[Metric::TargetGbp],
        421_000.0 * 1.03,
        "target at the deadline",
    );
}
