//! The 2026 timing of issue 10, worked out by hand: a recruitment freeze that lifts, CR that
//! follows the VR outcome, a second wave that closes the gap left by low first-wave uptake, and a
//! pay-award path by financial year — plus their validation, their inputs in the output files,
//! and reproducibility at any thread count and shard split.
//!
//! The `hand/timing-*.toml` fixtures use the ten-person organisation of `hand/staff.csv` (band 5,
//! £36,000, aged 40, 12 years' service, no on-costs). Where a result depends on a person's random
//! draw (a leaving month, an application), the test lists the draws, checks them against the
//! documented rule through the public random streams, and works the result out by hand from them.

mod common;

use common::{icbsim, load_fixture, read_csv, run_engine, s, tmp};
use icbsim::engine::{self, IterationOutput, RunConfig};
use icbsim::metric::{Metric, Series, YearMetric};
use icbsim::rng::{hash_str, iteration_key, Draw, PersonStream};
use icbsim::scenario::{load_str, LoadOptions, Scenario};
use std::path::Path;

fn assert_near(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 0.005 + 1e-9 * want.abs(),
        "{what}: got {got}, expected {want}"
    );
}

/// The value of `metric` for the single organisation in iteration `it`.
fn m(r: &[IterationOutput], it: usize, metric: Metric) -> f64 {
    r[it].orgs[0].scalars[metric]
}

/// The monthly series `s` of the single organisation in iteration `it`.
fn series(r: &[IterationOutput], it: usize, s: Series) -> &[f64] {
    &r[it].orgs[0].series[s.index()]
}

/// The person draws of the (single) organisation of `sc` in iteration `it`.
fn stream(sc: &Scenario, it: u64) -> PersonStream {
    PersonStream::new(iteration_key(sc.seed, it), hash_str(&sc.orgs[0].slug))
}

/// `docs/model.md §2.4` step 1: the month a person with uniform u would leave at annual turnover
/// `annual`, floor(ln u ÷ ln(1 − h)) with h = 1 − (1 − annual)^(1/12).
fn leaving_month(u: f64, annual: f64) -> usize {
    let h = 1.0 - (1.0 - annual).powf(1.0 / 12.0);
    (u.ln() / (1.0 - h).ln()).floor() as usize
}

// The freeze lifts. Turnover 50% a year; the freeze holds until 2026-01 (month 9), after which
// every leaver is replaced (replacement_share_after defaults to 1). No restructure (the target is
// the baseline, 360,000).
// Leaving months in iteration 0 (seed 7, org "hand-icb"), p01..p10, from the Leave draws:
//   11, 1, 0, 6, 14, 16, 42, 25, 17, 15.
// Before the lift (month < 9) p03 (month 0), p02 (1) and p04 (6) leave and are not replaced.
// p01, p05, p06, p09 and p10 would leave in months 11–17, after the lift: replaced, so their posts
// continue at £36,000. p07 and p08 stay beyond the horizon (24 months).
//   Run-rate: month 0: 9 × 36,000 = 324,000; months 1–5: 8 × 36,000 = 288,000; from month 6:
//   7 × 36,000 = 252,000, flat to the horizon (the organisation recruits to its new size).
//   natural_leavers 3, headcount_end 7.
// Had the freeze never lifted (replacement_share_after = 0: nobody replaced after it either), the
// five later leavers go too: 2 × 36,000 = 72,000 by month 17 (p09 the last), 8 natural leavers.
#[test]
fn a_freeze_that_lifts_stops_the_fall_in_the_run_rate() {
    let sc = load_fixture("hand/timing-freeze.toml", &[]);
    let rs = stream(&sc, 0);
    let months: Vec<usize> = (0..10)
        .map(|i| leaving_month(rs.u(i, Draw::Leave), 0.5))
        .collect();
    assert_eq!(months, [11, 1, 0, 6, 14, 16, 42, 25, 17, 15]);
    let r = run_engine(&sc, 4, 1);
    let rr = series(&r, 0, Series::RunRateGbp);
    assert_near(rr[0], 324_000.0, "month 0");
    for (k, &x) in rr.iter().enumerate().take(6).skip(1) {
        assert_near(x, 288_000.0, &format!("month {k}"));
    }
    for (k, &x) in rr.iter().enumerate().skip(6) {
        assert_near(x, 252_000.0, &format!("month {k}"));
    }
    assert_eq!(m(&r, 0, Metric::NaturalLeavers), 3.0);
    assert_eq!(m(&r, 0, Metric::HeadcountEnd), 7.0);
    assert_eq!(m(&r, 0, Metric::PaidExits), 0.0);
    // In every iteration, whatever the draws: the headcount never falls from the lift on.
    for it in 0..4 {
        let hc = series(&r, it, Series::Headcount);
        assert!(
            hc[9..].iter().all(|&h| h == hc[8]),
            "iteration {it}: {hc:?}"
        );
    }

    // The freeze that never lifts, for contrast.
    let never = load_fixture(
        "hand/timing-freeze.toml",
        &["attrition.replacement_share_after=0"],
    );
    let r = run_engine(&never, 1, 1);
    let rr = series(&r, 0, Series::RunRateGbp);
    assert_near(rr[16], 3.0 * 36_000.0, "month 16: p09 still in post");
    assert_near(rr[17], 2.0 * 36_000.0, "month 17");
    assert_near(rr[23], 2.0 * 36_000.0, "month 23");
    assert_eq!(m(&r, 0, Metric::NaturalLeavers), 8.0);
}

// CR follows the VR outcome. hand/cr.toml's organisation: baseline 10 × 36,000 + 100,000 =
// 460,000, target 230,000, non-pay halved to 50,000 → pay budget 180,000, gap 180,000 = 5 posts.
// VR (window 2025-06, month 2; lag 2) has uptake 0, so CR selects 5. Consultation starts when the
// VR leavers would go, month 2 + 2 = 4; 30 days = 1 month (5 < 20 proposed: no statutory
// minimum) → notice served in month 5 (accrued then); band 5 works 2 months' notice → exit in
// month 7 (2025-11). Each: 12 complete years (12 + 7/12) × 3,000 = 36,000 + NI 15% × 6,000 = 900 +
// legal 2,000 = 38,900; five: 194,500.
//   Run-rate 410,000 in months 0–6, 230,000 from month 7: met at the deadline (month 8) and held;
//   months_to_target 7. Savings 2025/26: 7 × (460 − 410)/12 + 5 × (460 − 230)/12 thousand =
//   29,166.67 + 95,833.33 = 125,000; 2026/27 230,000; NPV (0%, 2 years) 355,000 − 194,500 =
//   160,500. Payback from month 5: 15,000 a month from month 7; 194,500 / 15,000 = 12.97 → 13
//   months → month 19 → 19 − 5 + 1 = 15 months.
// With cr.timing = "parallel" consultation starts at the window: notice month 3, exit month 5
// (hand/cr.toml, tests/model.rs).
#[test]
fn cr_after_vr_starts_consultation_when_the_vr_leavers_go() {
    let r = run_engine(&load_fixture("hand/timing-cr-after-vr.toml", &[]), 2, 1);
    assert_eq!(m(&r, 0, Metric::ExitsVr), 0.0);
    assert_eq!(m(&r, 0, Metric::ExitsCr), 5.0);
    assert_near(m(&r, 0, Metric::ExitCostGbp), 194_500.0, "exit cost");
    assert_eq!(m(&r, 0, Metric::MonthsToTarget), 7.0);
    assert_eq!(m(&r, 0, Metric::TargetMet), 1.0);
    assert_near(m(&r, 0, Metric::NpvGbp), 160_500.0, "NPV");
    assert_eq!(m(&r, 0, Metric::PaybackMonths), 15.0);
    let y = |fy: usize, k: YearMetric| r[0].orgs[0].by_year[fy][k.index()];
    assert_near(y(0, YearMetric::SavingsGbp), 125_000.0, "savings 2025/26");
    assert_near(y(1, YearMetric::SavingsGbp), 230_000.0, "savings 2026/27");
    let rr = series(&r, 0, Series::RunRateGbp);
    assert_near(rr[6], 410_000.0, "month 6");
    assert_near(rr[7], 230_000.0, "month 7");
    // Accrued when notice is served (month 5), paid at exit (month 7).
    let accrued = series(&r, 0, Series::ExitCostAccruedGbp);
    let cash = series(&r, 0, Series::ExitCostCashGbp);
    assert_near(accrued[5], 194_500.0, "accrued in month 5");
    assert_near(cash[7], 194_500.0, "paid in month 7");

    let parallel = load_fixture("hand/timing-cr-after-vr.toml", &["cr.timing=parallel"]);
    let r = run_engine(&parallel, 1, 1);
    assert_near(
        series(&r, 0, Series::ExitCostAccruedGbp)[3],
        194_500.0,
        "parallel accrual",
    );
    assert_near(
        series(&r, 0, Series::ExitCostCashGbp)[5],
        194_500.0,
        "parallel exit",
    );
    assert_eq!(m(&r, 0, Metric::MonthsToTarget), 5.0);
}

// A second wave closes the gap left by low first-wave uptake. The organisation and gap of the CR
// fixture (5 posts, 180,000); no CR. The VR window (2025-06, month 2; lag 2) has uptake 0.2: the
// applicants are those whose VrApply draw is below 0.2. Iteration 0's draws, p01..p10:
//   0.027, 0.479, 0.566, 0.985, 0.685, 0.905, 0.920, 0.133, 0.640, 0.886 → p01 and p08 apply: m = 2
// (iterations 1–3: 2, 2 and 4). All m are approved (5 posts were needed) and leave in month 4.
// The wave (2025-09, month 5; uptake 1, lag 2) re-plans on what is left: 10 − m in post at
// 36,000 against the pay budget 180,000 → a gap of (5 − m) × 36,000 → 5 − m posts; everyone
// applies (fresh draws), 5 − m approved at month 5, leaving in month 7. Those already leaving are
// not asked again, so 5 exits in all — counted as VR.
//   Exit pay at month 4 or 7: 12 complete years → 36,000 + NI 900 = 36,900 each → 184,500.
//   Accrued: 36,900 m in month 2, 36,900 (5 − m) in month 5; cash in months 4 and 7.
//   Run-rate: 410,000 (months 0–3), 410,000 − 36,000 m (months 4–6), 230,000 from month 7:
//   months_to_target 7, met.
//   Savings 2025/26 (thousands): 4 × 50/12 + 3 × (50 + 36 m)/12 + 5 × 230/12 =
//   16.667 + (12.5 + 9 m) + 95.833 = 125 + 9 m → 143,000 for m = 2, 161,000 for m = 4.
//   Payback from month 2: paid exits save 3,000 m a month in months 4–6, then 15,000:
//   m = 2: 18,000 by month 6, + 15,000 × 12 = 198,000 ≥ 184,500 at month 18 → 17 months;
//   m = 4: 36,000 by month 6, + 15,000 × 10 = 186,000 at month 16 → 15 months.
#[test]
fn a_second_wave_closes_the_gap_left_by_low_first_wave_uptake() {
    let sc = load_fixture("hand/timing-wave.toml", &[]);
    let applicants = |it: u64| -> Vec<usize> {
        let rs = stream(&sc, it);
        (0..10).filter(|&i| rs.u(i, Draw::VrApply) < 0.2).collect()
    };
    assert_eq!(applicants(0), [0, 7]);
    let counts: Vec<usize> = (0..4).map(|it| applicants(it).len()).collect();
    assert_eq!(counts, [2, 2, 2, 4]);
    let r = run_engine(&sc, 4, 1);
    for (it, &first) in counts.iter().enumerate() {
        let mm = first as f64;
        assert_eq!(m(&r, it, Metric::ExitsVr), 5.0, "iteration {it}");
        assert_eq!(m(&r, it, Metric::ExitsCr), 0.0);
        assert_near(m(&r, it, Metric::ExitCostGbp), 184_500.0, "exit cost");
        assert_near(m(&r, it, Metric::ExitCostVrGbp), 184_500.0, "VR route");
        let accrued = series(&r, it, Series::ExitCostAccruedGbp);
        assert_near(accrued[2], 36_900.0 * mm, "accrued at the VR window");
        assert_near(accrued[5], 36_900.0 * (5.0 - mm), "accrued at the wave");
        let cash = series(&r, it, Series::ExitCostCashGbp);
        assert_near(cash[4], 36_900.0 * mm, "first-wave exits");
        assert_near(cash[7], 36_900.0 * (5.0 - mm), "second-wave exits");
        let rr = series(&r, it, Series::RunRateGbp);
        assert_near(rr[3], 410_000.0, "month 3");
        assert_near(rr[5], 410_000.0 - 36_000.0 * mm, "month 5");
        assert_near(rr[7], 230_000.0, "month 7");
        assert_eq!(m(&r, it, Metric::MonthsToTarget), 7.0);
        assert_eq!(m(&r, it, Metric::TargetMet), 1.0);
        let savings = r[it].orgs[0].by_year[0][YearMetric::SavingsGbp.index()];
        assert_near(savings, 125_000.0 + 9_000.0 * mm, "savings 2025/26");
        let payback = if first == 2 { 17.0 } else { 15.0 };
        assert_eq!(m(&r, it, Metric::PaybackMonths), payback);
    }

    // With full first-wave uptake the wave finds no gap, even while the first wave's leavers are
    // still in post at its window (a lag of 4 months: they go in month 6, after month 5).
    let full = load_fixture(
        "hand/timing-wave.toml",
        &["vr.uptake=1", "vr.approval_lag_months=4"],
    );
    let r = run_engine(&full, 2, 1);
    assert_eq!(m(&r, 0, Metric::ExitsVr), 5.0);
    assert_near(
        series(&r, 0, Series::ExitCostCashGbp)[6],
        184_500.0,
        "all in month 6",
    );
}

// The pay-award path [2%, 5%, uniform 1–3%] from a start in April 2025: the pay index is
// 1 (2025/26), 1.02 (2026/27, months 12–23), 1.02 × 1.05 = 1.071 (2027/28, months 24–35) and
// 1.071 × (1 + x) (2028/29, months 36–47), x the iteration's draw of pay.award.2.
// The restructure plans for the deadline (2027-03, month 23) and the 12 months after it: the pay
// budget is the tightest of (230,000 − 50,000) / I: 180,000 / 1.071 = 168,067.23 (2027/28) →
// gap 360,000 − 168,067.23 = 191,932.77 → ⌈5.33⌉ = 6 posts. Everyone applies: 6 leave in month 4
// at today's pay: 36,900 each, 221,400.
//   Run-rate (4 staff): 144,000 × I + 50,000: 194,000 (2025/26 from month 4), 196,880 (2026/27),
//   204,224 (2027/28), 154,224 (1 + x) + 50,000 (2028/29).
//   At the deadline 196,880 ≤ 230,000, and through 2027/28: met.
//   Recurrent saving: today's prices 460,000 − 196,880 / 1.02 = 266,980.39;
//   cash 460,000 × 1.02 − 196,880 = 272,320.
//   Savings 2027/28: 460,000 − 204,224 = 255,776; 2028/29: 255,776 − 154,224 x.
// Under target.indexation = "pay" the target is 230,000 × I: 234,600 at the deadline, and the pay
// budget 230,000 − 50,000 / I is tightest at month 23: 230,000 − 49,019.61 = 180,980.39 → gap
// 179,019.61 → ⌈4.97⌉ = 5 posts.
#[test]
fn a_pay_award_path_drives_the_pay_index_year_by_year() {
    let sc = load_fixture("hand/timing-pay.toml", &[]);
    let labels: Vec<(&str, &str)> = sc
        .inputs
        .iter()
        .filter(|d| d.path.starts_with("pay.award"))
        .map(|d| (d.path.as_str(), d.label.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("pay.award.0", "Pay award 2026/27"),
            ("pay.award.1", "Pay award 2027/28"),
            ("pay.award.2", "Pay award 2028/29"),
        ]
    );
    let x_at = sc
        .inputs
        .iter()
        .position(|d| d.path == "pay.award.2")
        .unwrap();
    let r = run_engine(&sc, 4, 1);
    let mut draws = Vec::new();
    for it in 0..4 {
        let x = r[it].values[x_at];
        assert!((0.01..=0.03).contains(&x), "pay.award.2 = {x}");
        draws.push(x);
        assert_eq!(m(&r, it, Metric::ExitsVr), 6.0);
        assert_near(m(&r, it, Metric::ExitCostGbp), 221_400.0, "exit cost");
        let rr = series(&r, it, Series::RunRateGbp);
        assert_near(rr[11], 194_000.0, "2025/26");
        assert_near(rr[23], 196_880.0, "2026/27");
        assert_near(rr[35], 204_224.0, "2027/28");
        assert_near(rr[47], 154_224.0 * (1.0 + x) + 50_000.0, "2028/29");
        assert_near(
            m(&r, it, Metric::RunRateAtDeadlineGbp),
            196_880.0,
            "deadline",
        );
        assert_eq!(m(&r, it, Metric::TargetMet), 1.0);
        assert_near(
            m(&r, it, Metric::RecurrentSavingGbp),
            460_000.0 - 196_880.0 / 1.02,
            "recurrent, today's prices",
        );
        assert_near(m(&r, it, Metric::RecurrentSavingCashGbp), 272_320.0, "cash");
        let y = |fy: usize| r[it].orgs[0].by_year[fy][YearMetric::SavingsGbp.index()];
        assert_near(y(2), 255_776.0, "savings 2027/28");
        assert_near(y(3), 255_776.0 - 154_224.0 * x, "savings 2028/29");
    }
    // Drawn afresh in each iteration.
    assert!(draws.windows(2).all(|w| w[0] != w[1]), "{draws:?}");

    let indexed = load_fixture("hand/timing-pay.toml", &["target.indexation=pay"]);
    let r = run_engine(&indexed, 1, 1);
    assert_near(m(&r, 0, Metric::TargetGbp), 234_600.0, "indexed target");
    assert_eq!(m(&r, 0, Metric::ExitsVr), 5.0);
}

#[test]
fn one_award_still_applies_every_april() {
    // `--set pay.award=0.03` replaces the path with one value for every April: 1.03^3 by 2028/29.
    let sc = load_fixture("hand/timing-pay.toml", &["pay.award=0.03"]);
    assert_eq!(
        sc.inputs
            .iter()
            .filter(|d| d.path.starts_with("pay.award"))
            .count(),
        1
    );
    let r = run_engine(&sc, 1, 1);
    let rr = series(&r, 0, Series::RunRateGbp);
    // 0.03 makes the tightest month 180,000 / 1.0609 = 169,667.26 → ⌈5.29⌉ = 6 posts again.
    assert_near(rr[47], 144_000.0 * 1.03f64.powi(3) + 50_000.0, "2028/29");
    // And one element of the path can be set on its own.
    let sc = load_fixture("hand/timing-pay.toml", &["pay.award.1=0.04"]);
    let r = run_engine(&sc, 1, 1);
    assert_near(
        series(&r, 0, Series::RunRateGbp)[35],
        144_000.0 * 1.02 * 1.04 + 50_000.0,
        "2027/28 at 4%",
    );
}

/// A scenario text with the `hand/` staff file, for validation tests.
fn load(text: &str) -> Result<Scenario, icbsim::scenario::Problems> {
    let dir = common::fixture("hand");
    load_str("t.toml", text, &dir, &LoadOptions::default())
}

const BASE: &str = r#"[scenario]
name = "t"
start = "2025-04"
horizon_months = 24
[target]
deadline = "2026-03"
[vr]
window = "2025-12"
[[org]]
name = "o"
staff_file = "staff.csv"
"#;

/// Every problem of `extra` appended to the base scenario, as (line, column, path, message).
fn problems(extra: &str) -> Vec<(usize, usize, String, String)> {
    let text = format!("{BASE}{extra}");
    match load(&text) {
        Ok(_) => Vec::new(),
        Err(p) => {
            p.0.into_iter()
                .map(|p| (p.line, p.column, p.path, p.message))
                .collect()
        }
    }
}

#[test]
fn timing_fields_are_validated_with_located_errors() {
    // The base scenario has 11 lines, so the extra text starts on line 12.
    let cases: &[(&str, usize, usize, &str, &str)] = &[
        (
            "[attrition]\nfreeze = false\nfreeze_until = \"2026-01\"\n",
            14,
            16,
            "attrition.freeze_until",
            "only meaningful under a freeze",
        ),
        (
            "[attrition]\nreplacement_share_after = 0.5\n",
            13,
            27,
            "attrition.replacement_share_after",
            "add freeze_until",
        ),
        (
            "[attrition]\nfreeze_until = \"2026-01\"\nreplacement_share_after = 1.5\n",
            14,
            27,
            "attrition.replacement_share_after",
            "a share between 0 and 1",
        ),
        (
            "[attrition]\nfreeze_until = \"2027-06\"\n",
            13,
            16,
            "attrition.freeze_until",
            "outside the horizon",
        ),
        (
            "[cr]\ntiming = \"later\"\n",
            13,
            10,
            "cr.timing",
            "not a CR timing",
        ),
        (
            "[[wave]]\nwindow = \"2025-10\"\n",
            13,
            10,
            "wave.0.window",
            "no earlier than the VR window",
        ),
        (
            "[[wave]]\nuptake = 0.5\n",
            12,
            1,
            "wave.0.window",
            "missing required month",
        ),
        (
            "[[wave]]\nwindow = \"2026-01\"\nuptak = 0.5\n",
            14,
            1,
            "wave.0.uptak",
            "did you mean 'uptake'",
        ),
        (
            "[[wave]]\nwindow = \"2026-01\"\nuptake = 1.2\n",
            14,
            10,
            "wave.0.uptake",
            "a share between 0 and 1",
        ),
        (
            "[[wave]]\nwindow = \"2026-02\"\n[[wave]]\nwindow = \"2026-01\"\n",
            15,
            10,
            "wave.1.window",
            "the wave before",
        ),
        (
            "[wave]\nwindow = \"2026-01\"\n",
            12,
            1,
            "wave",
            "expected [[wave]] entries",
        ),
        (
            "[pay]\naward = [0.03, 0.02]\n",
            13,
            16,
            "pay.award.1",
            "this award would never apply",
        ),
        ("[pay]\naward = []\n", 13, 9, "pay.award", "an empty list"),
        (
            "[pay]\naward = [0.9]\n",
            13,
            10,
            "pay.award.0",
            "between -0.2 and 0.5",
        ),
    ];
    for &(extra, line, column, path, fragment) in cases {
        let got = problems(extra);
        assert_eq!(got.len(), 1, "{extra}: {got:?}");
        let (l, c, p, msg) = &got[0];
        assert_eq!((*l, *c, p.as_str()), (line, column, path), "{extra}: {msg}");
        assert!(msg.contains(fragment), "{extra}: {msg}");
    }
    // Every problem at once.
    let all = problems("[cr]\ntiming = \"later\"\n[pay]\naward = []\n[[wave]]\nuptake = 2\n");
    assert_eq!(all.len(), 4, "{all:?}");
    // The valid forms load.
    let ok = "[attrition]\nfreeze_until = { dist = \"uniform\", min = \"2026-01\", max = \"2026-06\" }\n\
              [cr]\ntiming = \"parallel\"\n[pay]\naward = [{ dist = \"uniform\", min = 0.02, max = 0.04 }]\n\
              [[wave]]\nwindow = \"2026-02\"\nmars = true\ncr = false\n";
    assert!(problems(ok).is_empty(), "{:?}", problems(ok));
}

#[test]
fn a_bad_timing_field_exits_2_with_a_located_error_and_writes_nothing() {
    let t = tmp();
    let file = t.path().join("bad.toml");
    let staff = common::fixture("hand/staff.csv");
    let text = BASE.replace("staff.csv", &s(&staff)) + "[[wave]]\nwindow = \"2025-10\"\n";
    std::fs::write(&file, text).unwrap();
    let out_dir = t.path().join("out");
    let out = icbsim(
        t.path(),
        ["run", &s(&file), "-n", "2", "--out", &s(&out_dir)],
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    let want = format!("{}:13:10: wave.0.window: ", s(&file));
    assert!(out.stderr.contains(&want), "{}", out.stderr);
    assert!(!out_dir.exists());
}

#[test]
fn the_template_validates_with_its_wave_uncommented() {
    let text =
        std::fs::read_to_string(common::manifest_dir().join("scenarios/template.toml")).unwrap();
    let mut lines: Vec<String> = Vec::new();
    let mut in_wave = false;
    for line in text.lines() {
        if line.starts_with("# [[wave]]") {
            in_wave = true;
        }
        if in_wave && line.starts_with("# ") {
            lines.push(line[2..].to_string());
            continue;
        }
        in_wave = false;
        lines.push(line.to_string());
    }
    let text = lines.join("\n");
    assert!(text.contains("\n[[wave]]"));
    let sc = load_str(
        "template.toml",
        &text,
        &common::manifest_dir().join("scenarios"),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(sc.waves.len(), 1);
    assert!(sc.attrition.freeze_lifts.is_some());
}

/// Bit-for-bit equality of two runs' values and results.
fn same(a: &[IterationOutput], b: &[IterationOutput]) -> bool {
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.index == y.index
                && bits(&x.values) == bits(&y.values)
                && x.orgs.iter().zip(&y.orgs).all(|(p, q)| {
                    bits(&p.scalars) == bits(&q.scalars)
                        && p.series
                            .iter()
                            .zip(&q.series)
                            .all(|(s, t)| bits(s) == bits(t))
                })
        })
}

#[test]
fn the_timing_features_reproduce_at_any_thread_count_and_shard_split() {
    let sc = load_fixture("timing-stochastic.toml", &[]);
    let one = run_engine(&sc, 24, 1);
    let three = run_engine(&sc, 24, 3);
    assert!(same(&one, &three), "1 vs 3 threads");
    let cfg = RunConfig {
        iterations: 24,
        seed: sc.seed,
        threads: 2,
        range: Some(7..19),
    };
    let part = engine::run(&sc, &cfg, &|_| {}).unwrap();
    assert!(same(&part, &one[7..19]), "a shard");
    // The wave really ran and the freeze really lifted in some iterations (not vacuous).
    let wave_at = sc.inputs.iter().position(|d| d.path == "wave.0.window");
    assert!(wave_at.is_some());
}

#[test]
fn new_inputs_are_written_with_their_provenance() {
    let t = tmp();
    let out = t.path().join("run");
    let fx = common::fixture("timing-stochastic.toml");
    let r = icbsim(
        t.path(),
        [
            "run",
            &s(&fx),
            "-n",
            "20",
            "--no-charts",
            "--quiet",
            "--out",
            &s(&out),
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let (header, _) = read_csv(&out.join("iterations.csv"));
    for col in [
        "pay.award.0",
        "pay.award.1",
        "attrition.freeze_until",
        "attrition.replacement_share_after",
        "wave.0.window",
        "wave.0.uptake",
    ] {
        assert!(header.iter().any(|h| h == col), "{col} not in {header:?}");
    }
    let inputs = std::fs::read_to_string(out.join("inputs.csv")).unwrap();
    assert!(inputs.contains("pay.award.0,Pay award 2026/27"), "{inputs}");
    assert!(inputs.contains("wave.0.window,Wave 2 window"), "{inputs}");
    assert!(Path::new(&out.join("summary.csv")).exists());
}
