//! The short summary table printed on stdout after a run, in the house number style
//! ([`crate::format`]). Every label says literally what its figures are (the definitions are in
//! [`crate::metric`]): run-rates beside the target are on the target basis, named; a result
//! undefined in some iterations shows its percentiles over the defined ones and the share
//! "never".

use super::format::{count, gbp, pct};
use crate::engine::Columns;
use crate::metric::Metric;
use crate::scenario::{OrgRole, Scenario};
use crate::stats::{summarize, summarize_bool};
use std::cell::RefCell;
use std::fmt::Write;

/// "7 organisations", or with mergers that leave fewer in place at the deadline, "42
/// organisations before mergers, 26 at the deadline" (as the report says): the organisations that
/// are not merger successors, then those with a target at the deadline in some iteration (a
/// member merged before it, or a successor formed after it, has none: `docs/model.md` §2.6).
fn org_count(sc: &Scenario, col: &dyn Fn(usize, Metric) -> Vec<f64>, n: usize) -> String {
    let all = sc.orgs.len();
    let live = (0..all)
        .filter(|&o| col(o, Metric::TargetGbp).iter().any(|x| !x.is_nan()))
        .count();
    let before = sc
        .orgs
        .iter()
        .filter(|o| !matches!(o.role, OrgRole::Successor(_)))
        .count();
    crate::format::organisations(all, before, if n == 0 { all } else { live })
}

/// Renders the summary for the total (and one line per organisation when there are several),
/// reading each column it shows from `cols` when it needs it.
///
/// # Errors
/// When values kept on disk cannot be read.
pub fn summary_table(
    sc: &Scenario,
    cols: &(impl Columns + ?Sized),
    seed: u64,
    out_dir: &str,
) -> std::io::Result<String> {
    let failed: RefCell<Option<std::io::Error>> = RefCell::new(None);
    let col = |org: usize, k: Metric| -> Vec<f64> {
        cols.column(org, k).unwrap_or_else(|e| {
            failed.borrow_mut().get_or_insert(e);
            Vec::new()
        })
    };
    let n = cols.iterations();
    let several = sc.orgs.len() > 1;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — {} iterations, seed {}, {} staff in {}",
        sc.name,
        count(n as f64),
        seed,
        count(sc.staff_count() as f64),
        org_count(sc, &col, n)
    );
    let _ = writeln!(s, "Target basis: {}", basis_words(sc));
    row(
        &mut s,
        "",
        ["P10", "P50", "P90", "mean"].map(String::from),
        "",
    );
    let total = |k: Metric| col(sc.orgs.len(), k);
    for (label, m, fmt) in total_rows(sc) {
        let v = total(m);
        let x = summarize(&v);
        let never = share_never(x.n, v.len());
        let note = if never > 0.0 {
            let what = if m == Metric::CostPerPaidExitGbp {
                "no paid exits"
            } else {
                "never"
            };
            format!("  {what} in {}", pct(never))
        } else {
            String::new()
        };
        row(
            &mut s,
            &label,
            [x.p10, x.p50, x.p90, x.mean].map(fmt),
            &note,
        );
    }
    probability_lines(&mut s, sc, &total);
    if several {
        s.push('\n');
        let head = ["P10", "P50", "P90", "P(target)"].map(String::from);
        row(&mut s, "Exit cost by organisation", head, "");
        for (o, org) in sc.orgs.iter().enumerate() {
            let x = summarize(&col(o, Metric::ExitCostGbp));
            let p = summarize_bool(&col(o, Metric::TargetMet));
            let cells = [gbp(x.p10), gbp(x.p50), gbp(x.p90), pct(p.p)];
            row(&mut s, &truncate(&org.name, LABEL - 1), cells, "");
        }
    }
    let _ = writeln!(s, "\nResults in {out_dir}");
    match failed.into_inner() {
        Some(e) => Err(e),
        None => Ok(s),
    }
}

/// The basis the target is tested on, in words.
fn basis_words(sc: &Scenario) -> &'static str {
    if sc.target.counts_transfers {
        "own run-rate (functions transferred out count as savings)"
    } else {
        "system run-rate (own + functions transferred out; a transfer is not a saving)"
    }
}

/// The share of `total` iterations without a value when `defined` have one.
fn share_never(defined: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        (total - defined) as f64 / total as f64
    }
}

/// The probability lines under the table.
fn probability_lines(s: &mut String, sc: &Scenario, total: &dyn Fn(Metric) -> Vec<f64>) {
    let by = sc.nominal_deadline().label();
    let met = summarize_bool(&total(Metric::TargetMet));
    let p = |m: Metric| pct(summarize_bool(&total(m)).p);
    let se = format!("(standard error {:.2}%)", met.se * 100.0);
    if sc.orgs.len() > 1 {
        let _ = writeln!(
            s,
            "P(every organisation meets its target by {by} and holds it 12 months): {} {se}",
            pct(met.p)
        );
        let _ = writeln!(
            s,
            "P(pooled total meets it): {}",
            p(Metric::TargetMetPooled)
        );
        let _ = writeln!(
            s,
            "P(every organisation meets it in the deadline month, hold not required): {}",
            p(Metric::TargetMetAtDeadline)
        );
    } else {
        let _ = writeln!(
            s,
            "P(target met by {by} and held 12 months): {} {se}",
            pct(met.p)
        );
        let _ = writeln!(
            s,
            "P(met in the deadline month, hold not required): {}",
            p(Metric::TargetMetAtDeadline)
        );
    }
    let _ = writeln!(s, "P(funding gap): {}", p(Metric::FundingGapAny));
}

/// How a statistic is printed: [`gbp`], [`count`] or [`pct`].
type Fmt = fn(f64) -> String;

/// The rows for the total: label, metric and how its statistics are printed.
fn total_rows(sc: &Scenario) -> Vec<(String, Metric, Fmt)> {
    let gap = if sc.central_funding.is_some() {
        "Funding gap (pooled with the central pot)"
    } else if sc.orgs.len() > 1 {
        "Funding gap (summed over organisations)"
    } else {
        "Funding gap"
    };
    let npv = format!("NPV (real, {}-year appraisal)", sc.appraisal_years);
    let rows: [(&str, Metric, Fmt); 20] = [
        ("Exit cost", Metric::ExitCostGbp, gbp),
        (gap, Metric::FundingGapGbp, gbp),
        ("Baseline run-rate (a year)", Metric::BaselineGbp, gbp),
        (
            "Target run-rate at deadline (a year)",
            Metric::TargetGbp,
            gbp,
        ),
        (
            "Run-rate at deadline, target basis",
            Metric::RunRateAtDeadlineGbp,
            gbp,
        ),
        (
            "Reduction at deadline, target basis",
            Metric::ReductionAtDeadline,
            pct,
        ),
        (
            "Recurrent saving a year (today's prices)",
            Metric::RecurrentSavingGbp,
            gbp,
        ),
        (
            "Savings over the horizon (excl. cost shifted)",
            Metric::SavingsGbp,
            gbp,
        ),
        (
            "Cost shifted to other NHS bodies",
            Metric::CostShiftedGbp,
            gbp,
        ),
        (&npv, Metric::NpvGbp, gbp),
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
        ("Months to target (when met)", Metric::MonthsToTarget, count),
        (
            "Payback months (when reached)",
            Metric::PaybackMonths,
            count,
        ),
    ];
    rows.into_iter()
        .map(|(l, m, f)| (l.to_string(), m, f))
        .collect()
}

/// Width of the label column.
const LABEL: usize = 46;

/// One table line: a label, four 12-wide right-aligned cells and an optional note.
fn row(s: &mut String, label: &str, cells: [String; 4], note: &str) {
    let [a, b, c, d] = cells;
    let _ = writeln!(s, "{label:<LABEL$}{a:>12}{b:>12}{c:>12}{d:>12}{note}");
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}
