//! The short summary table printed on stdout after a run, in the house number style
//! ([`crate::format`]).

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
    row(&mut s, "", ["P10", "P50", "P90", "mean"].map(String::from));
    let total = |k: Metric| col(sc.orgs.len(), k);
    for (label, m, fmt) in TOTAL_ROWS {
        let x = summarize(&total(m));
        row(&mut s, label, [x.p10, x.p50, x.p90, x.mean].map(fmt));
    }
    let met = summarize_bool(&total(Metric::TargetMet));
    let _ = writeln!(
        s,
        "P(target met by {}): {} (standard error {:.2}%)",
        sc.nominal_deadline().label(),
        pct(met.p),
        met.se * 100.0
    );
    if sc.orgs.len() > 1 {
        s.push('\n');
        let head = ["P10", "P50", "P90", "P(target)"].map(String::from);
        row(&mut s, "Exit cost by organisation", head);
        for (o, org) in sc.orgs.iter().enumerate() {
            let x = summarize(&col(o, Metric::ExitCostGbp));
            let p = summarize_bool(&col(o, Metric::TargetMet));
            let cells = [gbp(x.p10), gbp(x.p50), gbp(x.p90), pct(p.p)];
            row(&mut s, &truncate(&org.name, 37), cells);
        }
    }
    let _ = writeln!(s, "\nResults in {out_dir}");
    s
}

/// How a statistic is printed: [`gbp`], [`count`] or [`pct`].
type Fmt = fn(f64) -> String;

/// The rows for the total: label, metric and how its statistics are printed.
const TOTAL_ROWS: [(&str, Metric, Fmt); 17] = [
    ("Exit cost", Metric::ExitCostGbp, gbp),
    ("Funding gap", Metric::FundingGapGbp, gbp),
    ("Baseline run-rate (a year)", Metric::BaselineGbp, gbp),
    ("Target run-rate (a year)", Metric::TargetGbp, gbp),
    (
        "Run-rate at deadline (a year)",
        Metric::RunRateAtDeadlineGbp,
        gbp,
    ),
    ("Recurrent saving (a year)", Metric::RecurrentSavingGbp, gbp),
    ("NPV of savings less exit costs", Metric::NpvGbp, gbp),
    ("Cost per paid exit", Metric::CostPerPaidExitGbp, gbp),
    ("Exits: voluntary redundancy", Metric::ExitsVr, count),
    ("Exits: MARS", Metric::ExitsMars, count),
    ("Exits: compulsory redundancy", Metric::ExitsCr, count),
    ("Redeployed", Metric::Redeployed, count),
    ("Transferred with functions", Metric::Transferred, count),
    (
        "Natural leavers (not replaced)",
        Metric::NaturalLeavers,
        count,
    ),
    ("Headcount at end", Metric::HeadcountEnd, count),
    ("Payback (months)", Metric::PaybackMonths, count),
    ("Reduction at deadline", Metric::ReductionAtDeadline, pct),
];

/// One table line: a 38-wide label and four 12-wide right-aligned cells.
fn row(s: &mut String, label: &str, cells: [String; 4]) {
    let [a, b, c, d] = cells;
    let _ = writeln!(s, "{label:<38}{a:>12}{b:>12}{c:>12}{d:>12}");
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}
