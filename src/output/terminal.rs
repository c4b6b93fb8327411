//! The short summary table printed on stdout after a run.

use super::format::{count, gbp, pct};
use crate::engine::IterationOutput;
use crate::metric::Metric;
use crate::scenario::Scenario;
use crate::stats::{summarize, summarize_bool};
use std::fmt::Write;

/// Renders the summary for the national total (and one line per organisation when there are
/// several).
pub fn summary_table(
    sc: &Scenario,
    results: &[IterationOutput],
    seed: u64,
    out_dir: &str,
) -> String {
    let total = sc.orgs.len();
    let col = |org: usize, k: Metric| -> Vec<f64> {
        results.iter().map(|r| r.orgs[org].scalars[k]).collect()
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — {} iterations, seed {}, {} staff in {} organisation{}",
        sc.name,
        count(results.len() as f64),
        seed,
        count(sc.staff_count() as f64),
        sc.orgs.len(),
        if sc.orgs.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        s,
        "{:<38}{:>12}{:>12}{:>12}{:>12}",
        "", "P10", "P50", "P90", "mean"
    );
    let money = [
        ("Exit cost", Metric::ExitCostGbp),
        ("Funding gap", Metric::FundingGapGbp),
        ("Baseline run-rate (a year)", Metric::BaselineGbp),
        ("Target run-rate (a year)", Metric::TargetGbp),
        (
            "Run-rate at deadline (a year)",
            Metric::RunRateAtDeadlineGbp,
        ),
        ("Recurrent saving (a year)", Metric::RecurrentSavingGbp),
        ("NPV of savings less exit costs", Metric::NpvGbp),
        ("Cost per paid exit", Metric::CostPerPaidExitGbp),
    ];
    for (label, m) in money {
        let x = summarize(&col(total, m));
        let _ = writeln!(
            s,
            "{label:<38}{:>12}{:>12}{:>12}{:>12}",
            gbp(x.p10),
            gbp(x.p50),
            gbp(x.p90),
            gbp(x.mean)
        );
    }
    let counts = [
        ("Exits: voluntary redundancy", Metric::ExitsVr),
        ("Exits: MARS", Metric::ExitsMars),
        ("Exits: compulsory redundancy", Metric::ExitsCr),
        ("Redeployed", Metric::Redeployed),
        ("Transferred with functions", Metric::Transferred),
        ("Natural leavers (not replaced)", Metric::NaturalLeavers),
        ("Headcount at end", Metric::HeadcountEnd),
        ("Payback (months)", Metric::PaybackMonths),
    ];
    for (label, m) in counts {
        let x = summarize(&col(total, m));
        let _ = writeln!(
            s,
            "{label:<38}{:>12}{:>12}{:>12}{:>12}",
            count(x.p10),
            count(x.p50),
            count(x.p90),
            count(x.mean)
        );
    }
    let red = summarize(&col(total, Metric::ReductionAtDeadline));
    let _ = writeln!(
        s,
        "{:<38}{:>12}{:>12}{:>12}{:>12}",
        "Reduction at deadline",
        pct(red.p10),
        pct(red.p50),
        pct(red.p90),
        pct(red.mean)
    );
    let met = summarize_bool(&col(total, Metric::TargetMet));
    let _ = writeln!(
        s,
        "P(target met by {}): {} (standard error {:.2}%)",
        sc.nominal_deadline().short_label(),
        pct(met.p),
        met.se * 100.0
    );
    if sc.orgs.len() > 1 {
        let _ = writeln!(
            s,
            "\n{:<38}{:>12}{:>12}{:>12}{:>12}",
            "Exit cost by organisation", "P10", "P50", "P90", "P(target)"
        );
        for (o, org) in sc.orgs.iter().enumerate() {
            let x = summarize(&col(o, Metric::ExitCostGbp));
            let p = summarize_bool(&col(o, Metric::TargetMet));
            let _ = writeln!(
                s,
                "{:<38}{:>12}{:>12}{:>12}{:>12}",
                truncate(&org.name, 37),
                gbp(x.p10),
                gbp(x.p50),
                gbp(x.p90),
                pct(p.p)
            );
        }
    }
    let _ = writeln!(s, "\nResults in {out_dir}");
    s
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}
