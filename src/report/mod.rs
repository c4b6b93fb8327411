//! The board report, `report.html`: one self-contained page built from a finished run directory
//! (its CSVs, manifest and charts), so `icbsim run`, `merge`, `batch` and `chart DIR` make the
//! same report from the same files. It opens with the headline findings in plain English
//! ([`findings`]), then the charts inline, the key assumptions with their sources, the method in
//! a paragraph and the reproducibility footer. It has no script and refers to nothing outside
//! itself; it prints on A4.
//!
//! It is separate from `output` because it reads only what `output` and `charts` wrote, and
//! from `charts` because it draws nothing: it lays out what the chart module drew.

pub mod compare;
pub mod data;
pub mod findings;
pub mod html;

use crate::format;
use crate::metric::Metric;
use crate::output::records::{read_records, ComparisonRecord, ReadError};
use data::{ChartImage, InputRow, InputStyle, RunFiles, TOTAL};
use findings::Shown;
use html::esc;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The report's file name in a run directory.
pub const REPORT_FILE: &str = "report.html";

/// A problem building the board pack (report or workbook).
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A CSV of the run directory is missing or malformed.
    #[error(transparent)]
    Csv(#[from] ReadError),
    /// `manifest.json` is missing or lacks a field.
    #[error("{}: {what}", path.display())]
    Manifest {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The workbook could not be assembled.
    #[error("cannot build {}: {message}", path.display())]
    Workbook {
        /// The file.
        path: PathBuf,
        /// What rust_xlsxwriter said.
        message: String,
    },
}

impl ReportError {
    /// Whether the problem is in the run directory's files (bad input to `icbsim chart DIR`)
    /// rather than in writing.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            ReportError::Csv(_) | ReportError::Manifest { .. } | ReportError::Read { .. }
        )
    }
}

/// Writes `bytes` to `path` through a temporary file renamed into place, so a file linked from
/// elsewhere (as `icbsim chart DIR` links the run's files into its copy) is replaced, never
/// written through, and a failed write leaves the old file.
///
/// # Errors
/// [`ReportError::Write`] naming the file.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let err = |source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    };
    std::fs::write(&tmp, bytes).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}

/// Reads the run directory `dir` and writes `dir/report.html`; returns its path.
///
/// # Errors
/// A missing or malformed run file (naming it), or the report cannot be written.
pub fn write_report(dir: &Path) -> Result<PathBuf, ReportError> {
    let files = RunFiles::read(dir)?;
    let path = dir.join(REPORT_FILE);
    replace_file(&path, run_html(&files).as_bytes())?;
    Ok(path)
}

/// The report of one run as a page.
pub fn run_html(files: &RunFiles) -> String {
    let m = &files.manifest;
    let mut body = String::new();
    let orgs = findings::orgs(files);
    let scope = match orgs.as_slice() {
        [one] if *one == m.scenario_name => String::new(),
        [one] => format!("{} · ", esc(one)),
        many => format!("{} · ", org_count(files, many.len())),
    };
    let when = match (m.start, m.deadline) {
        (Some(s), Some(d)) => format!("from {} · target deadline {} · ", s.label(), d.label()),
        _ => String::new(),
    };
    let _ = write!(
        body,
        "<header>\n<p class=\"kicker\">Board report · running-cost reduction and exit costs</p>\n\
         <h1>{}</h1>\n<p class=\"sub\">{scope}{when}{} iterations</p>\n</header>\n",
        esc(&m.scenario_name),
        format::count(m.iterations as f64)
    );
    body.push_str(
        "<section id=\"findings\">\n<h2>Headline findings</h2>\n<ol class=\"findings\">\n",
    );
    for f in findings::findings(files) {
        let _ = writeln!(body, "<li>{}</li>", html::sentence(&f));
    }
    body.push_str("</ol>\n</section>\n");
    body.push_str(&charts_section(&files.charts, "icbsim chart DIR"));
    body.push_str(&assumptions_section(files));
    body.push_str(&method_section(files));
    body.push_str(&footer(files));
    html::page(&format!("{} — board report", m.scenario_name), &body)
}

/// The charts, numbered, or a note that none were drawn.
fn charts_section(charts: &[ChartImage], redraw: &str) -> String {
    let mut s = String::from("<section id=\"charts\" class=\"charts\">\n<h2>Charts</h2>\n");
    if charts.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"note\">No charts were drawn for this run (--no-charts); <code>{}</code> draws them and rebuilds this report.</p>",
            esc(redraw)
        );
    }
    for (i, c) in charts.iter().enumerate() {
        s.push_str(&html::chart_figure(i + 1, c));
    }
    s.push_str("</section>\n");
    s
}

/// The number columns of an input printed as a reader expects them: £ for `_gbp` inputs, a
/// percentage for shares and rates, a plain number otherwise; months as `Mar 2027`.
fn input_value(row: &InputRow, k: usize) -> String {
    if row.kind == "month" {
        return crate::month::Month::parse(&row.months[k])
            .map_or_else(|| esc(&row.months[k]), |m| m.label());
    }
    let x = row.numbers[1 + k];
    match row.style() {
        InputStyle::Money => format::gbp(x),
        InputStyle::Share => format::percent(x, 1),
        InputStyle::Plain => format::decimal(x, 2, format::MISSING),
    }
}

/// The uncertain inputs, those that move exit cost most first, with P10/P50/P90 and source.
fn assumptions_section(files: &RunFiles) -> String {
    let weight = |path: &str| {
        files
            .sensitivity
            .iter()
            .find(|r| r.org == TOTAL && r.output == Metric::ExitCostGbp && r.input == path)
            .map_or(0.0, |r| r.rho.abs())
    };
    let mut uncertain: Vec<&InputRow> = files.inputs.iter().filter(|r| r.is_uncertain()).collect();
    uncertain.sort_by(|a, b| weight(&b.path).total_cmp(&weight(&a.path)));
    let rows: Vec<Vec<String>> = uncertain
        .iter()
        .map(|r| {
            let source = if r.source.is_empty() {
                "not given".to_string()
            } else {
                r.source.clone()
            };
            vec![
                format!("{}<br><code>{}</code>", esc(&r.label), esc(&r.path)),
                input_value(r, 0),
                input_value(r, 1),
                input_value(r, 2),
                esc(&r.distribution),
                esc(&source),
            ]
        })
        .collect();
    let fixed = files.inputs.len() - uncertain.len();
    let mut s = String::from("<section id=\"assumptions\">\n<h2>Key assumptions</h2>\n");
    if rows.is_empty() {
        s.push_str("<p>Every input of this scenario is a fixed value.</p>\n");
    } else {
        let _ = writeln!(
            s,
            "<p>The {} uncertain inputs, each drawn once per iteration; those that move the exit cost most come first (rank correlation in <code>sensitivity.csv</code>).</p>",
            uncertain.len()
        );
        s.push_str(&html::table(
            &["Assumption", "P10", "P50", "P90", "Distribution", "Source"],
            &rows,
            &[1, 2, 3],
        ));
    }
    let _ = writeln!(
        s,
        "<p class=\"note\">The {fixed} fixed inputs, with their sources, are in <code>inputs.csv</code> and the Inputs sheet of <code>results.xlsx</code>.</p>\n</section>"
    );
    s
}

/// "N organisations" (`all` of them), or with mergers that leave fewer in place at the deadline,
/// "42 organisations before mergers, 26 at the deadline": the organisations before mergers,
/// then those in place at the deadline ([`findings::orgs_at_deadline`]).
fn org_count(files: &RunFiles, all: usize) -> String {
    format::organisations(
        all,
        findings::orgs_before_mergers(files).len(),
        findings::orgs_at_deadline(files).len(),
    )
}

/// The method in one paragraph, with the run's own sizes.
fn method_section(files: &RunFiles) -> String {
    let m = &files.manifest;
    let orgs = org_count(files, findings::orgs(files).len().max(1));
    let sampling = if m.sampling == "lhs" {
        "Latin hypercube sampling"
    } else {
        "independent random draws"
    };
    let start = m
        .start
        .map_or_else(|| "the start".to_string(), |s| s.label());
    let deadline = m
        .deadline
        .map_or_else(|| "the deadline".to_string(), |d| d.label());
    let basis = if m.counts_transfers {
        "the organisation's own run-rate is"
    } else {
        "the run-rate including functions transferred out (so a transfer is never counted as a saving) is"
    };
    format!(
        "<section id=\"method\">\n<h2>Method</h2>\n<p>icbsim simulates every member of staff ({} people in {}) month by month for {} months from {start}, {} times ({sampling}). \
         In each iteration every uncertain input is drawn once from its distribution; staff leave naturally, move with transferred functions, \
         or leave through voluntary redundancy, MARS or compulsory redundancy, and each exit is costed on NHS terms \
         (Section 16 redundancy pay, pay in lieu of notice, employer NI, pension strain and legal costs, less payments recovered from those who rejoin the NHS). \
         The target is met when {basis} at or below the target in {deadline} and in each of the 12 months after. \
         A figure marked P50 is the middle outcome across iterations, P10 and P90 bound the central 80%, and a chance is the share of iterations in which the event happens. \
         Every figure is defined in the icbsim README and its model document (section 2.6).</p>\n</section>\n",
        format::count(m.staff as f64),
        orgs,
        m.horizon_months,
        format::count(m.iterations as f64),
    )
}

/// The reproducibility footer: what made the run, and the command that makes it again.
fn footer(files: &RunFiles) -> String {
    let m = &files.manifest;
    let mut rows = vec![
        ("icbsim version", esc(&m.version)),
        (
            "Scenario",
            esc(&format!("{} ({})", m.scenario_name, m.scenario_file)),
        ),
        (
            "Scenario SHA-256",
            format!("<code>{}</code>", esc(&m.scenario_sha256)),
        ),
    ];
    if !m.run_id.is_empty() {
        rows.push(("Run identity", format!("<code>{}</code>", esc(&m.run_id))));
    }
    for (path, sha) in &m.staff_files {
        rows.push((
            "Staff file SHA-256",
            format!("{} <code>{}</code>", esc(path), esc(sha)),
        ));
    }
    rows.push(("Seed", m.seed.to_string()));
    rows.push(("Iterations", format::count(m.iterations as f64)));
    rows.push(("Sampling", esc(&m.sampling)));
    if !m.overrides.is_empty() {
        rows.push((
            "Overrides",
            format!("<code>{}</code>", esc(&m.overrides.join("; "))),
        ));
    }
    let mut cmd = String::from("icbsim run");
    if !m.scenario_file.starts_with("<embedded>") {
        let _ = write!(cmd, " {}", m.scenario_file);
    }
    let _ = write!(cmd, " --iterations {} --seed {}", m.iterations, m.seed);
    for o in &m.overrides {
        let _ = write!(cmd, " --set '{o}'");
    }
    rows.push(("Reproduce", format!("<code>{}</code>", esc(&cmd))));
    let mut s = String::from("<footer id=\"reproduce\">\n<dl>\n");
    for (k, v) in rows {
        let _ = writeln!(s, "<dt>{k}</dt><dd>{v}</dd>");
    }
    s.push_str("</dl>\n</footer>\n");
    s
}

/// Reads a batch folder (`comparison.csv` and its chart) and writes its `report.html`, which
/// compares the scenarios and links each one's own report; returns its path.
///
/// # Errors
/// A missing or malformed `comparison.csv`, or the report cannot be written.
pub fn write_batch_report(dir: &Path) -> Result<PathBuf, ReportError> {
    let rows: Vec<ComparisonRecord> = read_records(dir)?;
    let charts = data::read_charts(dir)?;
    let path = dir.join(REPORT_FILE);
    let linked: Vec<bool> = rows
        .iter()
        .map(|r| dir.join(&r.slug).join(REPORT_FILE).is_file())
        .collect();
    replace_file(&path, batch_html(&rows, &charts, &linked).as_bytes())?;
    Ok(path)
}

/// The page of a batch: which scenario is cheapest and which most likely to meet the target,
/// the comparison chart and a table of every scenario (`linked[i]`: scenario i has a report).
pub fn batch_html(rows: &[ComparisonRecord], charts: &[ChartImage], linked: &[bool]) -> String {
    let mut body = format!(
        "<header>\n<p class=\"kicker\">Board report · scenario comparison</p>\n<h1>{} scenarios compared</h1>\n\
         <p class=\"sub\">Each scenario's total; its own report has the detail.</p>\n</header>\n",
        rows.len()
    );
    body.push_str(
        "<section id=\"findings\">\n<h2>Headline findings</h2>\n<ol class=\"findings\">\n",
    );
    let fig = |r: &ComparisonRecord, col: &str, shown: Shown, v: f64| {
        html::figure(&r.slug, col, "value", shown, v)
    };
    let cheapest = rows
        .iter()
        .filter(|r| r.stats.exit_cost_p50.is_finite())
        .min_by(|a, b| a.stats.exit_cost_p50.total_cmp(&b.stats.exit_cost_p50));
    let surest = rows
        .iter()
        .filter(|r| r.stats.p_target_met.is_finite())
        .max_by(|a, b| a.stats.p_target_met.total_cmp(&b.stats.p_target_met));
    if let Some(r) = cheapest {
        let _ = writeln!(
            body,
            "<li>{} has the lowest exit cost: most likely {} (P50), between {} (P10) and {} (P90).</li>",
            esc(&r.scenario),
            fig(r, "exit_cost_p50_gbp", Shown::Gbp, r.stats.exit_cost_p50),
            fig(r, "exit_cost_p10_gbp", Shown::Gbp, r.stats.exit_cost_p10),
            fig(r, "exit_cost_p90_gbp", Shown::Gbp, r.stats.exit_cost_p90),
        );
    }
    if let Some(r) = surest {
        let _ = writeln!(
            body,
            "<li>{} is the most likely to meet its target: every organisation meets it and holds it for the 12 months after the deadline in {} of iterations.</li>",
            esc(&r.scenario),
            fig(r, "p_target_met", Shown::Percent, r.stats.p_target_met),
        );
    }
    body.push_str("</ol>\n</section>\n");
    body.push_str(&charts_section(charts, "icbsim batch"));
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .zip(linked.iter().chain(std::iter::repeat(&false)))
        .map(|(r, &has)| {
            let name = html::own_report_link(&r.slug, &r.scenario, has);
            let s = &r.stats;
            vec![
                name,
                fig(r, "exit_cost_p50_gbp", Shown::Gbp, s.exit_cost_p50),
                format!(
                    "{}–{}",
                    fig(r, "exit_cost_p10_gbp", Shown::Gbp, s.exit_cost_p10),
                    fig(r, "exit_cost_p90_gbp", Shown::Gbp, s.exit_cost_p90)
                ),
                fig(r, "p_target_met", Shown::Percent, s.p_target_met),
                fig(r, "funding_gap_p90_gbp", Shown::Gbp, s.funding_gap_p90),
                fig(r, "p_funding_gap", Shown::Percent, s.p_funding_gap),
                format!("{} · seed {}", format::count(r.iterations as f64), r.seed),
            ]
        })
        .collect();
    body.push_str("<section id=\"scenarios\">\n<h2>Scenarios</h2>\n");
    body.push_str(&html::table(
        &[
            "Scenario",
            "Exit cost P50",
            "P10–P90",
            "Chance target met",
            "Funding gap P90",
            "Chance of a gap",
            "Iterations",
        ],
        &table_rows,
        &[1, 2, 3, 4, 5, 6],
    ));
    let _ = writeln!(
        body,
        "<p class=\"note\">Every figure is the total's, from <code>comparison.csv</code>: the target is met when every organisation meets its own and holds it for the 12 months after the deadline. icbsim {}.</p>\n</section>",
        env!("CARGO_PKG_VERSION")
    );
    html::page(
        &format!("{} scenarios compared — board report", rows.len()),
        &body,
    )
}
