//! The headline findings: a handful of plain-English sentences, each with its number, range and
//! probability on the definitions of `docs/model.md` §2.6. Every number in a sentence is a
//! [`Figure`]: one statistic of one metric of one organisation, read from `summary.csv` and
//! printed by the one formatter ([`crate::format`]); the page writes it with `data-metric`,
//! `data-stat` and `data-value` beside it so a test (or a reader) can check it against the file.
//! No number is typed into a sentence.

use super::data::{RunFiles, TOTAL};
use crate::format;
use crate::metric::Metric;
use crate::output::records::SummaryRecord;

/// The percentile level of "P90": the chance of a result above it is 1 − this.
const P90_LEVEL: f64 = 0.9;

/// Which statistic of a `summary.csv` row a figure shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    /// `mean` (for a yes/no metric, its probability).
    Mean,
    /// 1 − `mean`: the chance a yes/no result is no.
    OneMinusMean,
    /// `p10`.
    P10,
    /// `p50`.
    P50,
    /// `p90`.
    P90,
    /// `max`.
    Max,
    /// `share_undefined`.
    ShareUndefined,
}

impl Stat {
    /// The name written in `data-stat`: the `summary.csv` column, or `1-mean`.
    pub fn name(self) -> &'static str {
        match self {
            Stat::Mean => "mean",
            Stat::OneMinusMean => "1-mean",
            Stat::P10 => "p10",
            Stat::P50 => "p50",
            Stat::P90 => "p90",
            Stat::Max => "max",
            Stat::ShareUndefined => "share_undefined",
        }
    }

    /// The value of this statistic in `r`.
    pub fn of(self, r: &SummaryRecord) -> f64 {
        match self {
            Stat::Mean => r.q.mean,
            Stat::OneMinusMean => 1.0 - r.q.mean,
            Stat::P10 => r.q.p10,
            Stat::P50 => r.q.p50,
            Stat::P90 => r.q.p90,
            Stat::Max => r.max,
            Stat::ShareUndefined => r.share_undefined,
        }
    }
}

/// How a figure is printed, by which function of [`crate::format`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// [`format::gbp`].
    Gbp,
    /// [`format::a_chance`], at the start of a sentence: "A 1 in 6 chance".
    AChance,
    /// [`format::chance`]: "1 in 6", "83%".
    Chance,
    /// [`format::percent`] with no decimals.
    Percent,
    /// [`format::count`].
    Count,
    /// [`format::count`] followed by " months".
    Months,
}

impl Shown {
    /// The name written in `data-format`.
    pub fn name(self) -> &'static str {
        match self {
            Shown::Gbp => "gbp",
            Shown::AChance => "a_chance",
            Shown::Chance => "chance",
            Shown::Percent => "percent",
            Shown::Count => "count",
            Shown::Months => "months",
        }
    }

    /// The value as printed.
    pub fn text(self, v: f64) -> String {
        match self {
            Shown::Gbp => format::gbp(v),
            Shown::AChance => format::a_chance(v),
            Shown::Chance => format::chance(v),
            Shown::Percent => format::percent(v, 0),
            Shown::Count => format::count(v),
            Shown::Months => format!("{} months", format::count(v)),
        }
    }
}

/// One number in a sentence, with what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Organisation, or `total`.
    pub org: String,
    /// The metric.
    pub metric: Metric,
    /// The statistic.
    pub stat: Stat,
    /// How it is printed.
    pub shown: Shown,
    /// The value (the statistic of the `summary.csv` row).
    pub value: f64,
}

/// A piece of a sentence: words, or a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Words, as they are (escaped when written).
    Text(String),
    /// A number from the results.
    Figure(Figure),
}

/// One headline sentence.
pub type Finding = Vec<Piece>;

/// Builds one sentence; a figure whose row is missing or has no value drops the sentence.
struct Sentence<'a> {
    files: &'a RunFiles,
    pieces: Vec<Piece>,
    ok: bool,
}

impl<'a> Sentence<'a> {
    fn new(files: &'a RunFiles) -> Sentence<'a> {
        Sentence {
            files,
            pieces: Vec::new(),
            ok: true,
        }
    }

    fn t(mut self, s: &str) -> Self {
        self.pieces.push(Piece::Text(s.to_string()));
        self
    }

    fn f(mut self, metric: Metric, stat: Stat, shown: Shown) -> Self {
        match value(self.files, metric, stat) {
            Some(value) => self.pieces.push(Piece::Figure(Figure {
                org: TOTAL.to_string(),
                metric,
                stat,
                shown,
                value,
            })),
            None => self.ok = false,
        }
        self
    }

    fn done(self) -> Option<Finding> {
        self.ok.then_some(self.pieces)
    }
}

/// The statistic of the `total` row of `metric`, if the row exists and the value is finite.
fn value(files: &RunFiles, metric: Metric, stat: Stat) -> Option<f64> {
    files
        .stat(TOTAL, metric)
        .map(|r| stat.of(r))
        .filter(|v| v.is_finite())
}

/// The organisations of the run: the manifest's list, else the summary's.
pub fn orgs(files: &RunFiles) -> Vec<String> {
    if !files.manifest.orgs.is_empty() {
        return files.manifest.orgs.clone();
    }
    let mut v: Vec<String> = Vec::new();
    for r in &files.summary {
        if r.org != TOTAL && !v.contains(&r.org) {
            v.push(r.org.clone());
        }
    }
    v
}

/// The organisations in place at the deadline: those whose `target_gbp` is defined in at least
/// one iteration. A member merged into its successor before the deadline, or a successor formed
/// after it, has no target there (`docs/model.md` §2.6); a run whose summary has no row for an
/// organisation keeps it.
pub fn orgs_at_deadline(files: &RunFiles) -> Vec<String> {
    orgs(files)
        .into_iter()
        .filter(|o| {
            files
                .stat(o, Metric::TargetGbp)
                .is_none_or(|r| r.share_undefined < 1.0)
        })
        .collect()
}

/// The organisations before any merger: every organisation but the successors, which are the
/// ones that take in staff by a merger (`moved_by_merger` above 0 in some iteration).
pub fn orgs_before_mergers(files: &RunFiles) -> Vec<String> {
    orgs(files)
        .into_iter()
        .filter(|o| {
            files
                .stat(o, Metric::MovedByMerger)
                .is_none_or(|r| r.max.is_nan() || r.max <= 0.0)
        })
        .collect()
}

/// Who the first finding is about: the one organisation, or "at least one of the N
/// organisations", counting those in place at the deadline (with the count before mergers when
/// mergers change it).
fn who(files: &RunFiles) -> String {
    let all = orgs(files);
    let live = orgs_at_deadline(files);
    let before = orgs_before_mergers(files);
    match (all.as_slice(), live.as_slice()) {
        ([one], _) => one.clone(),
        ([], _) => "the organisation".to_string(),
        (many, live) if live.len() == many.len() => {
            format!("at least one of the {} organisations", many.len())
        }
        (_, [one]) => format!(
            "{one}, the one organisation in place at the deadline ({} before mergers),",
            before.len()
        ),
        (_, live) => format!(
            "at least one of the {} organisations in place at the deadline ({} before mergers)",
            live.len(),
            before.len()
        ),
    }
}

/// The headline findings of a run, most important first; a sentence whose results are missing
/// is left out.
pub fn findings(files: &RunFiles) -> Vec<Finding> {
    [
        target(files),
        exit_cost(files),
        funding(files),
        run_rate(files),
        people(files),
        value_for_money(files),
        payback(files),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn deadline(files: &RunFiles) -> String {
    files
        .manifest
        .deadline
        .map_or_else(|| "the deadline".to_string(), |m| m.label())
}

fn target(files: &RunFiles) -> Option<Finding> {
    use {Shown::*, Stat::*};
    let who = who(files);
    let s = Sentence::new(files)
        .f(Metric::TargetMet, OneMinusMean, AChance)
        .t(&format!(
            " that {who} misses its running-cost target by {} (met in that month and held for the 12 months after).",
            deadline(files)
        ));
    if orgs_at_deadline(files).len() < 2 {
        return s.done();
    }
    s.t(" Taken together, the summed run-rate meets the summed target with ")
        .f(Metric::TargetMetPooled, Mean, Chance)
        .t(" probability.")
        .done()
}

fn exit_cost(files: &RunFiles) -> Option<Finding> {
    use {Shown::*, Stat::*};
    Sentence::new(files)
        .t("Exit costs most likely ")
        .f(Metric::ExitCostGbp, P50, Gbp)
        .t(&format!(
            " (P50, as likely above as below); {} chance above ",
            format::chance(1.0 - P90_LEVEL)
        ))
        .f(Metric::ExitCostGbp, P90, Gbp)
        .t(" (P90) and the same chance below ")
        .f(Metric::ExitCostGbp, P10, Gbp)
        .t(" (P10).")
        .done()
}

fn funding(files: &RunFiles) -> Option<Finding> {
    use {Shown::*, Stat::*};
    let any_funding = value(files, Metric::FundingGbp, Max)? > 0.0;
    if !any_funding {
        return Sentence::new(files)
            .t("No central funding for exit costs is declared: the whole ")
            .f(Metric::ExitCostGbp, P50, Gbp)
            .t(" (P50) falls on the organisations' own budgets.")
            .done();
    }
    let p_gap = value(files, Metric::FundingGapAny, Mean)?;
    if p_gap == 0.0 {
        return Sentence::new(files)
            .t("Central funding of ")
            .f(Metric::FundingGbp, P50, Gbp)
            .t(" (P50) covers exit costs in every iteration.")
            .done();
    }
    let several = orgs(files).len() > 1;
    let s = Sentence::new(files)
        .f(Metric::FundingGapAny, Mean, AChance)
        .t(if several {
            " that central funding does not cover exit costs for at least one organisation ("
        } else {
            " that central funding does not cover exit costs ("
        });
    let s = if value(files, Metric::FundingGapGbp, P90)? > 0.0 {
        s.t("P90 shortfall ").f(Metric::FundingGapGbp, P90, Gbp)
    } else {
        s.t("largest shortfall in any iteration ")
            .f(Metric::FundingGapGbp, Max, Gbp)
    };
    s.t(").").done()
}

fn run_rate(files: &RunFiles) -> Option<Finding> {
    use {Shown::*, Stat::*};
    let basis = if files.manifest.counts_transfers {
        "own run-rate"
    } else {
        "run-rate including functions transferred out"
    };
    Sentence::new(files)
        .t(&format!(
            "Running costs in {} ({basis}) most likely ",
            deadline(files)
        ))
        .f(Metric::RunRateAtDeadlineGbp, P50, Gbp)
        .t(" a year (P50) against a target of ")
        .f(Metric::TargetGbp, P50, Gbp)
        .t(": a ")
        .f(Metric::ReductionAtDeadline, P50, Percent)
        .t(" reduction on the ")
        .f(Metric::BaselineGbp, P50, Gbp)
        .t(" baseline.")
        .done()
}

fn people(files: &RunFiles) -> Option<Finding> {
    use {Shown::*, Stat::*};
    let mars = value(files, Metric::ExitsMars, Max).unwrap_or(0.0) > 0.0;
    let s = Sentence::new(files)
        .t("About ")
        .f(Metric::PaidExits, P50, Count)
        .t(" paid exits (P50 of each figure): ")
        .f(Metric::ExitsVr, P50, Count)
        .t(" voluntary and ")
        .f(Metric::ExitsCr, P50, Count)
        .t(" compulsory redundancies");
    let s = if mars {
        s.t(", ").f(Metric::ExitsMars, P50, Count).t(" MARS")
    } else {
        s
    };
    s.t("; ")
        .f(Metric::Transferred, P50, Count)
        .t(" staff move with transferred functions and ")
        .f(Metric::NaturalLeavers, P50, Count)
        .t(" leave naturally.")
        .done()
}

fn value_for_money(files: &RunFiles) -> Option<Finding> {
    use {Shown::*, Stat::*};
    Sentence::new(files)
        .t("Recurrent saving ")
        .f(Metric::RecurrentSavingGbp, P50, Gbp)
        .t(" a year at today's prices (P50); net present value ")
        .f(Metric::NpvGbp, P50, Gbp)
        .t(" (P50; P10 ")
        .f(Metric::NpvGbp, P10, Gbp)
        .t(", P90 ")
        .f(Metric::NpvGbp, P90, Gbp)
        .t(") over the appraisal period.")
        .done()
}

fn payback(files: &RunFiles) -> Option<Finding> {
    use {Shown::*, Stat::*};
    let never = value(files, Metric::PaybackMonths, ShareUndefined)?;
    if never >= 1.0 {
        return Sentence::new(files)
            .t("Exit costs are not paid back inside the horizon in ")
            .f(Metric::PaybackMonths, ShareUndefined, Percent)
            .t(" of iterations.")
            .done();
    }
    let s = Sentence::new(files)
        .t("Exit costs are paid back ")
        .f(Metric::PaybackMonths, P50, Months)
        .t(" after the first is booked (P50 of the iterations that pay back)");
    if never > 0.0 {
        s.t("; not inside the horizon in ")
            .f(Metric::PaybackMonths, ShareUndefined, Percent)
            .t(" of iterations.")
            .done()
    } else {
        s.t(".").done()
    }
}
