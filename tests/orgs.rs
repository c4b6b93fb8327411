//! Organisation structure (`docs/model.md` §2.4a): inputs per organisation, functions arriving,
//! statutory mergers and region labels, on hand fixtures with every input fixed, worked out by
//! hand below with the arithmetic shown; and the accounting identities on every iteration of a
//! stochastic merger.
//!
//! Common to the hand fixtures: no pay award, no on-costs, no attrition, no rejoining; staff are
//! band 5 on £30,000, aged 40 with 10 years' service, not pension members (so no early
//! retirement), unless said otherwise. A Section 16 payment is one month's pay (salary / 12,
//! floored at £23,000 and capped at £80,000) per complete year of service, with Class 1A NI at
//! 15% on the part above £30,000 (`docs/sources.md` §2).

mod common;

use common::{fixture, icbsim, load_fixture, read, run_engine, s, tmp};
use icbsim::engine::IterationOutput;
use icbsim::metric::{Metric, Series, YearMetric};

fn assert_near(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 0.005 + 1e-9 * want.abs(),
        "{what}: got {got}, expected {want}"
    );
}

fn m(r: &[IterationOutput], org: usize, k: Metric) -> f64 {
    r[0].orgs[org].scalars[k]
}

// Inputs per organisation (`orgs-inputs.toml`): East and West, 4 staff each, a 50% share target
// with the deadline 2026-03 (month 11), horizon 24 months. Each baseline 4 × 30,000 = 120,000 →
// target 60,000 → gap 60,000 → ceil(60,000 / 30,000) = 2 posts.
// East uses the scenario-wide VR: window 2025-07 (month 3), uptake 1, lag 2 → 2 VR exits in month
//   5. Each: 10 + 5/12 years → 10 complete years × 30,000 / 12 = 25,000 (under £30,000: no NI)
//   → 50,000. Run-rate 120,000 to month 4, 60,000 from month 5: savings 19 months × 60,000 / 12
//   = 95,000; target met from month 5.
// West sets `[org.vr] window = "2025-10"` (month 6), `uptake = 0`: no one applies, CR selects 2;
//   consultation 30 days → 1 month, band-5 notice 2 months → notice served in month 7, exit in
//   month 9. Each: 10 + 9/12 → 10 years → 25,000 + legal 2,000 = 27,000 → 54,000. Run-rate
//   60,000 from month 9: savings 15 × 5,000 = 75,000; met from month 9.
// Total: exit cost 104,000; every organisation meets its target from month 9.
#[test]
fn each_organisation_runs_its_own_window_and_uptake() {
    let sc = load_fixture("hand/orgs-inputs.toml", &[]);
    let r = run_engine(&sc, 2, 1);
    let (east, west, total) = (0, 1, 2);
    assert_eq!(m(&r, east, Metric::ExitsVr), 2.0);
    assert_near(m(&r, east, Metric::ExitCostGbp), 50_000.0, "East exit cost");
    assert_eq!(m(&r, east, Metric::MonthsToTarget), 5.0);
    assert_near(m(&r, east, Metric::SavingsGbp), 95_000.0, "East savings");
    assert_eq!(m(&r, west, Metric::ExitsVr), 0.0);
    assert_eq!(m(&r, west, Metric::ExitsCr), 2.0);
    assert_near(m(&r, west, Metric::ExitCostGbp), 54_000.0, "West exit cost");
    assert_eq!(m(&r, west, Metric::MonthsToTarget), 9.0);
    assert_near(m(&r, west, Metric::SavingsGbp), 75_000.0, "West savings");
    // West's notice is served (accrued) in month 7, its exits paid in month 9.
    let west_series = |s: Series| r[0].orgs[west].series[s.index()].clone();
    assert_near(
        west_series(Series::ExitCostAccruedGbp)[7],
        54_000.0,
        "accrued",
    );
    assert_near(west_series(Series::ExitCostCashGbp)[9], 54_000.0, "cash");
    assert_near(m(&r, total, Metric::ExitCostGbp), 104_000.0, "total");
    assert_eq!(m(&r, total, Metric::MonthsToTarget), 9.0);
    assert_eq!(m(&r, total, Metric::TargetMet), 1.0);
    // West's own inputs are inputs of their own, under the organisation's path.
    let paths: Vec<&str> = sc.inputs.iter().map(|d| d.path.as_str()).collect();
    assert!(paths.contains(&"org.west.vr.window"), "{paths:?}");
    assert!(paths.contains(&"org.west.vr.uptake"));
    assert!(!paths.contains(&"org.east.vr.uptake"));
    assert_eq!(sc.orgs[0].region.as_deref(), Some("Midlands"));
}

#[test]
fn an_organisations_input_is_a_set_path_and_its_own_column_when_uncertain() {
    // Giving West an uptake of 1 by --set: both organisations now fill their posts by VR
    // (West: 2 VR exits in month 8 = window 6 + lag 2; 10 + 8/12 → 10 years → 25,000 each).
    let sc = load_fixture("hand/orgs-inputs.toml", &["org.west.vr.uptake=1"]);
    let r = run_engine(&sc, 2, 1);
    assert_eq!(m(&r, 1, Metric::ExitsVr), 2.0);
    assert_near(m(&r, 1, Metric::ExitCostGbp), 50_000.0, "West by VR");
    // An uncertain organisation's input is sampled per organisation: its own column.
    let dir = tmp();
    let out = dir.path().join("run");
    let o = icbsim(
        dir.path(),
        [
            "run",
            &s(&fixture("hand/orgs-inputs.toml")),
            "-n",
            "4",
            "--no-charts",
            "-q",
            "--out",
            &s(&out),
            "--set",
            "org.west.vr.uptake={ dist = \"uniform\", min = 0.1, max = 0.9 }",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let header = read(&out.join("iterations.csv"));
    let header = header.lines().next().unwrap();
    assert!(header.contains(",org.west.vr.uptake,"), "{header}");
    assert!(!header.contains("org.east.vr.uptake"));
}

// Functions arriving (`orgs-arrival.toml`): 4 corporate staff in post and 2 of a CSU function
// arriving in 2025-10 (month 6); 50% share target, deadline 2026-03 (month 11); the target basis
// is the system run-rate (transfers do not count).
//   Baseline: the arriving function's cost is already an NHS running cost (at the CSU), so on the
//   system basis it is in the baseline: 6 × 30,000 = 180,000 → target 90,000.
//   VR window 2026-01 (month 9), after the arrival: projected pay 180,000, budget 90,000 → gap
//   90,000 → 3 posts from the 6 (all apply); exits after 1 month in month 10. Each 25,000
//   (10 + 10/12 → 10 years) → 75,000.
//   Own run-rate: 120,000 (months 0–5), 180,000 (6–9), 90,000 (10–23); system: 180,000 (0–9),
//   90,000 (10–23). Cost outside the organisation before it arrives: (180,000 − 120,000) / 12 ×
//   6 months = 30,000. Savings (180,000 − 90,000) / 12 × 14 months = 105,000; the arrival is
//   neither a saving nor a cost pressure.
//   Counts: 4 at the start + 2 arriving = 3 in post at the end + 3 VR.
#[test]
fn an_arriving_function_brings_its_staff_and_budget() {
    let sc = load_fixture("hand/orgs-arrival.toml", &[]);
    let r = run_engine(&sc, 2, 1);
    let t = 0;
    assert_near(m(&r, t, Metric::BaselineGbp), 180_000.0, "baseline");
    assert_near(m(&r, t, Metric::TargetGbp), 90_000.0, "target");
    assert_eq!(m(&r, t, Metric::ExitsVr), 3.0);
    assert_near(m(&r, t, Metric::ExitCostGbp), 75_000.0, "exit cost");
    assert_eq!(m(&r, t, Metric::HeadcountStart), 4.0);
    assert_eq!(m(&r, t, Metric::TransferredIn), 2.0);
    assert_eq!(m(&r, t, Metric::HeadcountEnd), 3.0);
    assert_near(
        m(&r, t, Metric::CostShiftedGbp),
        30_000.0,
        "outside before arrival",
    );
    assert_near(m(&r, t, Metric::SavingsGbp), 105_000.0, "savings");
    let own = &r[0].orgs[t].series[Series::RunRateOwnGbp.index()];
    let sys = &r[0].orgs[t].series[Series::RunRateSystemGbp.index()];
    assert_eq!(
        (own[5], own[6], own[9], own[10]),
        (120_000.0, 180_000.0, 180_000.0, 90_000.0)
    );
    assert_eq!((sys[5], sys[6], sys[10]), (180_000.0, 180_000.0, 90_000.0));
    let hc = &r[0].orgs[t].series[Series::Headcount.index()];
    assert_eq!((hc[5], hc[6], hc[10]), (4.0, 6.0, 3.0));
}

#[test]
fn staff_still_to_arrive_cannot_be_asked_to_go_and_count_on_the_own_basis_only_when_they_count() {
    // Window 2025-07 (month 3), before the arrival: the gap is the same 90,000 (3 posts) but the
    // pool is the 4 staff in post; 3 leave in month 4 and the 2 arrivals stay: 1 + 2 = 3 at the end.
    let r = run_engine(
        &load_fixture("hand/orgs-arrival.toml", &["vr.window=\"2025-07\""]),
        2,
        1,
    );
    assert_eq!(m(&r, 0, Metric::ExitsVr), 3.0);
    assert_eq!(m(&r, 0, Metric::HeadcountEnd), 3.0);
    // Transfers counting (own basis): the arrival is a cost pressure. Baseline 4 × 30,000 =
    // 120,000 → target 60,000; projected own pay at the deadline 180,000 → gap 120,000 → 4 posts.
    let r = run_engine(
        &load_fixture("hand/orgs-arrival.toml", &["target.counts_transfers=true"]),
        2,
        1,
    );
    assert_near(m(&r, 0, Metric::BaselineGbp), 120_000.0, "own baseline");
    assert_eq!(m(&r, 0, Metric::ExitsVr), 4.0);
    assert_near(
        m(&r, 0, Metric::RunRateAtDeadlineGbp),
        60_000.0,
        "own at deadline",
    );
}

// A statutory merger (`orgs-merger.toml`): East (chief executive VSM £150,000, age 50, 20 years,
// local terms; 2 band-5 staff) and West (chief executive VSM £140,000, age 45, 15 years, local
// terms; 1 band-5 staff) merge in 2026-04 (month 12) into "East and West"; VSM posts are
// duplicated. No reduction is asked (share 0), so only the merger moves anyone.
//   Baselines East 150,000 + 60,000 = 210,000; West 140,000 + 30,000 = 170,000. Targets (share
//   0) the same; the successor's is their sum, 380,000, and so is its baseline.
//   Duplicated VSM posts: one each in post at the merger, a tie → the first member listed (East)
//   keeps its chief executive; West's post goes at the merger month, notice (VSM 6 months) served
//   in month 6. Section 16: 15 + 12/12 = 16 complete years × min(140,000, 80,000) / 12 =
//   106,666.67; NI 15% × (106,666.67 − 30,000) = 11,500; legal 2,000 → 120,166.67, accrued in
//   month 6 and paid in month 12 — by the successor, which employs West's staff when they leave
//   (it inherits the provision).
//   Rows: East 210,000 and West 170,000 a year in months 0–11, nothing from month 12; the
//   successor 380,000 − 140,000 = 240,000 from month 12; the total 380,000 then 240,000.
//   Counts: East 3 at the start, −3 moved; West 2, −2 moved; the successor +5 moved = 4 at the
//   end + 1 CR. Savings: the successor (380,000 − 240,000) / 12 × 24 months = 280,000.
//   Merger cost 1,000,000 in month 12; NPV (no discounting) 280,000 − 120,166.67 − 1,000,000 =
//   −840,166.67. Funding: the successor's 200,000 covers its 120,166.67.
#[test]
fn a_merger_deletes_the_duplicated_post_once_and_hands_on_staff_and_costs() {
    let sc = load_fixture("hand/orgs-merger.toml", &[]);
    assert_eq!(sc.orgs.len(), 3);
    assert_eq!(sc.orgs[2].name, "East and West");
    assert_eq!(sc.orgs[2].region.as_deref(), Some("Midlands"));
    let r = run_engine(&sc, 2, 1);
    let (east, west, succ, total) = (0, 1, 2, 3);
    assert_near(m(&r, east, Metric::BaselineGbp), 210_000.0, "East baseline");
    assert_near(m(&r, west, Metric::BaselineGbp), 170_000.0, "West baseline");
    assert_near(
        m(&r, succ, Metric::BaselineGbp),
        380_000.0,
        "successor baseline",
    );
    assert_near(
        m(&r, total, Metric::BaselineGbp),
        380_000.0,
        "total baseline",
    );
    assert_near(
        m(&r, succ, Metric::TargetGbp),
        380_000.0,
        "successor target",
    );
    // The members no longer exist at the deadline: nothing beside the target is defined.
    assert!(m(&r, east, Metric::TargetMet).is_nan());
    assert!(m(&r, west, Metric::RunRateAtDeadlineGbp).is_nan());
    assert_eq!(m(&r, succ, Metric::TargetMet), 1.0);
    assert_eq!(m(&r, total, Metric::TargetMet), 1.0);
    assert_eq!(m(&r, total, Metric::OrgsMeetingTarget), 1.0);
    let want = 16.0 * 80_000.0 / 12.0;
    let cost = want + 0.15 * (want - 30_000.0) + 2_000.0;
    assert_near(cost, 120_166.67, "the arithmetic above");
    assert_eq!(m(&r, succ, Metric::ExitsCr), 1.0);
    assert_near(
        m(&r, succ, Metric::ExitCostGbp),
        cost,
        "successor exit cost",
    );
    assert_eq!(m(&r, east, Metric::ExitCostGbp), 0.0);
    assert_eq!(m(&r, west, Metric::ExitCostGbp), 0.0);
    let series = |o: usize, s: Series| r[0].orgs[o].series[s.index()].clone();
    assert_near(
        series(succ, Series::ExitCostAccruedGbp)[6],
        cost,
        "accrued month 6",
    );
    assert_near(
        series(succ, Series::ExitCostCashGbp)[12],
        cost,
        "paid month 12",
    );
    let own = |o: usize| series(o, Series::RunRateGbp);
    assert_eq!((own(east)[11], own(east)[12]), (210_000.0, 0.0));
    assert_eq!((own(west)[11], own(west)[12]), (170_000.0, 0.0));
    assert_eq!((own(succ)[11], own(succ)[12]), (0.0, 240_000.0));
    assert_eq!((own(total)[11], own(total)[12]), (380_000.0, 240_000.0));
    assert_eq!(m(&r, east, Metric::MovedByMerger), -3.0);
    assert_eq!(m(&r, west, Metric::MovedByMerger), -2.0);
    assert_eq!(m(&r, succ, Metric::MovedByMerger), 5.0);
    assert_eq!(m(&r, succ, Metric::HeadcountEnd), 4.0);
    assert_eq!(m(&r, total, Metric::MovedByMerger), 0.0);
    assert_near(m(&r, succ, Metric::SavingsGbp), 280_000.0, "savings");
    assert_near(
        m(&r, succ, Metric::MergerCostGbp),
        1_000_000.0,
        "merger cost",
    );
    assert_near(
        m(&r, total, Metric::MergerCostGbp),
        1_000_000.0,
        "total merger cost",
    );
    assert_near(
        m(&r, total, Metric::NpvGbp),
        280_000.0 - cost - 1_000_000.0,
        "NPV",
    );
    assert_near(m(&r, succ, Metric::FundingGapGbp), 0.0, "successor funding");
}

// A second wave after the merger is the successor's (`orgs-merger-wave.toml`): the merger
// fixture with a 12.5% cut, nobody applying at the July 2025 VR window and no CR, no duplicated
// posts, and a wave in June 2026 (month 14, after the April 2026 merger in month 12) that everyone
// applies to, leaving 3 months later (month 17). No on-costs, so each cost is the salary.
//   Targets: East 0.875 × 210,000 = 183,750; West 0.875 × 170,000 = 148,750; the successor's
//   their sum, 332,500, against a pool costing 380,000: a gap of 47,500. The wave plans once for
//   the merged pool of 5 (mean saving 380,000 / 5 = 76,000): ceil(47,500 / 76,000) = 1 post, so
//   exactly one VR exit, the successor's. Planned by each member alone it would be 2: East
//   ceil(26,250 / 70,000) = 1 and West ceil(21,250 / 85,000) = 1.
#[test]
fn a_wave_after_the_merger_is_planned_once_for_the_successor() {
    let sc = load_fixture("hand/orgs-merger-wave.toml", &[]);
    let r = run_engine(&sc, 2, 1);
    let (east, west, succ, total) = (0, 1, 2, 3);
    for it in &r {
        let v = |o: usize, k: Metric| it.orgs[o].scalars[k];
        assert_eq!(
            v(succ, Metric::ExitsVr),
            1.0,
            "one post for the merged pool"
        );
        assert_eq!(v(east, Metric::ExitsVr), 0.0);
        assert_eq!(v(west, Metric::ExitsVr), 0.0);
        assert_eq!(v(total, Metric::ExitsVr), 1.0);
        assert_near(v(succ, Metric::TargetGbp), 332_500.0, "successor target");
        // The leaver goes in month 17: the successor's run-rate falls by one person's salary.
        let own = &it.orgs[succ].series[Series::RunRateGbp.index()];
        assert_eq!(own[16], 380_000.0);
        let gone = 380_000.0 - own[17];
        assert!(
            [150_000.0, 140_000.0, 30_000.0].contains(&gone),
            "one salary leaves, not {gone}"
        );
        assert_eq!(own[17], own[35]);
    }
}

#[test]
fn a_cluster_deletes_the_duplicated_post_earlier_at_the_members_cost() {
    // Clustered from 2025-10 (month 6): West's chief executive goes then, notice served in month
    // 0, by West: 15 + 6/12 → 15 complete years × 80,000 / 12 = 100,000; NI 15% × 70,000 =
    // 10,500; legal 2,000 → 112,500.
    let r = run_engine(
        &load_fixture("hand/orgs-merger.toml", &["merger.0.clustered=\"2025-10\""]),
        2,
        1,
    );
    assert_near(m(&r, 1, Metric::ExitCostGbp), 112_500.0, "West pays");
    assert_eq!(m(&r, 2, Metric::ExitCostGbp), 0.0);
    assert_eq!(m(&r, 1, Metric::MovedByMerger), -1.0);
    let accrued = &r[0].orgs[1].series[Series::ExitCostAccruedGbp.index()];
    assert_near(accrued[0], 112_500.0, "accrued at the start");
}

#[test]
fn an_envelope_successor_target_changes_the_totals_target_from_the_merger() {
    // Envelope basis at £1 a head: East 300,000 people (target 300,000), West 200,000 (200,000).
    // A successor on its own envelope with West's per-head figure raised to £1.20 for West alone
    // would differ from the sum; here the members set their own per-head figure instead:
    // West `[org.target] per_head_gbp = 0.5` → 100,000. Summed 400,000; the successor's own
    // envelope is 500,000 people × £1 = 500,000, so the total's target is 400,000 before the
    // merger and 500,000 from it.
    let sc = load_fixture(
        "hand/orgs-merger.toml",
        &[
            "target.basis=\"envelope\"",
            "target.per_head_gbp=1",
            "org.east.population=300000",
            "org.west.population=200000",
            "org.west.target.per_head_gbp=0.5",
            "merger.0.target=\"envelope\"",
        ],
    );
    let r = run_engine(&sc, 2, 1);
    assert_near(m(&r, 1, Metric::BaselineGbp), 170_000.0, "West baseline");
    assert_near(m(&r, 2, Metric::TargetGbp), 500_000.0, "successor envelope");
    let target = &r[0].orgs[3].series[Series::TargetGbp.index()];
    assert_eq!((target[11], target[12]), (400_000.0, 500_000.0));
}

#[test]
fn accounting_identities_hold_through_a_merger_on_every_iteration() {
    // The merger fixture made uncertain: attrition, uptake, the merger month and a reduction.
    let sc = load_fixture(
        "hand/orgs-merger.toml",
        &[
            "target.reduction_share=0.3",
            "attrition.annual_rate=0.1",
            "vr.uptake={ dist = \"uniform\", min = 0.2, max = 0.8 }",
            "vr.window={ dist = \"uniform\", min = \"2025-07\", max = \"2026-09\" }",
            "merger.0.month={ dist = \"uniform\", min = \"2025-12\", max = \"2026-06\" }",
            "merger.0.cost_gbp={ dist = \"uniform\", min = 500000, max = 2000000 }",
            "cr.redeploy_share=0.3",
        ],
    );
    let r = run_engine(&sc, 200, 2);
    let n = sc.orgs.len();
    let month_input = sc
        .inputs
        .iter()
        .position(|d| d.path == "merger.east-and-west.month")
        .unwrap();
    let g = |it: usize, o: usize, k: Metric| r[it].orgs[o].scalars[k];
    for (it, out) in r.iter().enumerate() {
        for o in 0..=n {
            let v = |k: Metric| g(it, o, k);
            // Each person ends in exactly one state (arrivals and merger moves included).
            let ends = v(Metric::HeadcountEnd)
                + v(Metric::NaturalLeavers)
                + v(Metric::Transferred)
                + v(Metric::ExitsVr)
                + v(Metric::ExitsMars)
                + v(Metric::ExitsCr)
                + v(Metric::Redeployed);
            let starts =
                v(Metric::HeadcountStart) + v(Metric::TransferredIn) + v(Metric::MovedByMerger);
            assert!((ends - starts).abs() < 1e-9, "iteration {it} org {o}");
            // A member hands its staff in post in the month before the merger to the successor.
            let hc = &out.orgs[o].series[Series::Headcount.index()];
            if o < 2 {
                let merger = out.values[month_input] as usize;
                assert_eq!(v(Metric::MovedByMerger), -hc[merger - 1]);
                assert!(hc[merger..].iter().all(|x| *x == 0.0));
            }
            // Σ accrued = Σ cash = exit cost, by month and by financial year.
            let res = &out.orgs[o];
            for s in [Series::ExitCostCashGbp, Series::ExitCostAccruedGbp] {
                let monthly: f64 = res.series[s.index()].iter().sum();
                assert!((monthly - v(Metric::ExitCostGbp)).abs() < 1e-6);
            }
            let fy: f64 = res
                .by_year
                .iter()
                .map(|y| y[YearMetric::SavingsGbp.index()])
                .sum();
            assert!((fy - v(Metric::SavingsGbp)).abs() < 1e-6);
        }
        // The total is the sum of the rows, month by month and in every flow; the merger moves
        // no one and no cost in or out of it.
        for k in [
            Metric::ExitCostGbp,
            Metric::ExitsCr,
            Metric::ExitsVr,
            Metric::Redeployed,
            Metric::NaturalLeavers,
            Metric::HeadcountStart,
            Metric::HeadcountEnd,
            Metric::SavingsGbp,
            Metric::MergerCostGbp,
            Metric::MovedByMerger,
        ] {
            let sum: f64 = (0..n).map(|o| g(it, o, k)).sum();
            assert!((sum - g(it, n, k)).abs() < 1e-6, "{k} in iteration {it}");
        }
        for s in [
            Series::RunRateGbp,
            Series::Headcount,
            Series::ExitCostCashGbp,
        ] {
            let t = &out.orgs[n].series[s.index()];
            for (mth, x) in t.iter().enumerate() {
                let sum: f64 = (0..n).map(|o| out.orgs[o].series[s.index()][mth]).sum();
                assert!((sum - x).abs() < 1e-6, "{s} month {mth}");
            }
        }
        // The total's baseline is its members' (the successor's is theirs summed).
        assert!((g(it, n, Metric::BaselineGbp) - g(it, 2, Metric::BaselineGbp)).abs() < 1e-6);
        // The total meets its target only when every organisation existing in each month meets
        // its own; the successor exists at the deadline, so here that is the successor.
        assert_eq!(g(it, n, Metric::TargetMet), g(it, 2, Metric::TargetMet));
    }
}

#[test]
fn a_merger_run_is_the_same_at_any_thread_count() {
    let sc = load_fixture(
        "hand/orgs-merger.toml",
        &[
            "attrition.annual_rate=0.1",
            "target.reduction_share=0.3",
            "merger.0.month={ dist = \"uniform\", min = \"2025-12\", max = \"2026-06\" }",
        ],
    );
    let bits = |r: &[IterationOutput]| -> Vec<u64> {
        r.iter()
            .flat_map(|x| {
                x.orgs
                    .iter()
                    .flat_map(|o| o.scalars.iter().map(|v| v.to_bits()))
            })
            .collect()
    };
    assert_eq!(bits(&run_engine(&sc, 24, 1)), bits(&run_engine(&sc, 24, 3)));
}

#[test]
fn bad_organisation_structure_is_located_and_nothing_is_written() {
    let dir = tmp();
    let text = read(&fixture("hand/orgs-merger.toml"))
        .replace(
            "members = [\"East\", \"West\"]",
            "members = [\"East\", \"Wset\"]",
        )
        .replace(
            "duplicated_bands = [\"VSM\"]",
            "duplicated_bands = [\"VSM\", \"10\"]",
        )
        + "\n[org.vr]\nuptake = 1.5\n";
    let file = dir.path().join("bad.toml");
    for csv in ["orgs-staff-merger-east.csv", "orgs-staff-merger-west.csv"] {
        std::fs::copy(fixture(&format!("hand/{csv}")), dir.path().join(csv)).unwrap();
    }
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let o = icbsim(dir.path(), ["run", &s(&file), "--out", &s(&out), "-q"]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(!out.exists());
    let err = &o.stderr;
    assert!(
        err.contains(
            "merger.east-and-west.members: no [[org]] named 'Wset' (did you mean 'West'?)"
        ),
        "{err}"
    );
    assert!(err.contains("merger.east-and-west.duplicated_bands: expected a band code"));
    assert!(
        err.contains("org.west.vr.uptake: 1.5 is not allowed here"),
        "{err}"
    );
    // Every problem is FILE:LINE:COLUMN: path: message.
    for line in err.lines().filter(|l| l.contains("bad.toml:")) {
        let mut parts = line.splitn(4, ':');
        let (_, l, c) = (parts.next(), parts.next(), parts.next());
        assert!(l.unwrap().trim().parse::<usize>().is_ok(), "{line}");
        assert!(c.unwrap().trim().parse::<usize>().is_ok(), "{line}");
    }
}
