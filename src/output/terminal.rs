//! The short summary table printed on stdout after a run.

use super::format::{count, gbp, pct};
use crate::engine::IterationOutput;
use crate::model::results::metric_index;
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
    let col = |org: usize, name: &str| -> Vec<f64> {
        let k = metric_index(name).unwrap_or(0);
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
        ("Exit cost", "exit_cost_gbp"),
        ("Funding gap", "funding_gap_gbp"),
        ("Baseline run-rate (a year)", "baseline_gbp"),
        ("Target run-rate (a year)", "target_gbp"),
        ("Run-rate at deadline (a year)", "run_rate_at_deadline_gbp"),
        ("Recurrent saving (a year)", "recurrent_saving_gbp"),
        ("NPV of savings less exit costs", "npv_gbp"),
        ("Cost per paid exit", "cost_per_paid_exit_gbp"),
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
        ("Exits: voluntary redundancy", "exits_vr"),
        ("Exits: MARS", "exits_mars"),
        ("Exits: compulsory redundancy", "exits_cr"),
        ("Redeployed", "redeployed"),
        ("Transferred with functions", "transferred"),
        ("Natural leavers (not replaced)", "natural_leavers"),
        ("Headcount at end", "headcount_end"),
        ("Payback (months)", "payback_months"),
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
    let red = summarize(&col(total, "reduction_at_deadline"));
    let _ = writeln!(
        s,
        "{:<38}{:>12}{:>12}{:>12}{:>12}",
        "Reduction at deadline",
        pct(red.p10),
        pct(red.p50),
        pct(red.p90),
        pct(red.mean)
    );
    let met = summarize_bool(&col(total, "target_met"));
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
            let x = summarize(&col(o, "exit_cost_gbp"));
            let p = summarize_bool(&col(o, "target_met"));
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
