//! Writers for `summary.csv`, `iterations.csv`, `timeseries.csv`, `by_year.csv`, `workforce.csv`,
//! `inputs.csv`, `sensitivity.csv` and `manifest.json`.

use super::format::num;
use crate::engine::{fiscal_years, IterationOutput};
use crate::metric::{Kind, Metric, Series, YearMetric};
use crate::model::exit_terms::{annual_employer_cost, OnCosts};
use crate::scenario::workforce::STAFF_COLUMNS;
use crate::scenario::{InputKind, Scenario};
use crate::stats::{quantile_sorted, ranks, spearman, summarize, summarize_bool};
use anyhow::{Context, Result};
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Run facts recorded in the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct RunMeta {
    /// icbsim version.
    pub icbsim_version: String,
    /// Scenario display name.
    pub scenario_name: String,
    /// Scenario slug.
    pub scenario_slug: String,
    /// Scenario file, or `<embedded national default>`.
    pub scenario_file: String,
    /// SHA-256 of the scenario text plus overrides.
    pub scenario_sha256: String,
    /// `--set` overrides applied.
    pub overrides: Vec<String>,
    /// Seed.
    pub seed: u64,
    /// Iterations in the full run.
    pub iterations: u64,
    /// Random number generation, named.
    pub rng: String,
    /// Worker threads used.
    pub threads: usize,
    /// Wall-clock seconds for simulation and statistics.
    pub wall_seconds: f64,
    /// The command line.
    pub command_line: String,
    /// Start month.
    pub start: String,
    /// Deadline month (median when uncertain).
    pub deadline: String,
    /// Horizon in months.
    pub horizon_months: i32,
    /// Whether transfers count as savings (else the target is on the system run-rate).
    pub counts_transfers: bool,
    /// `random` (plain Monte Carlo) or `lhs` (Latin hypercube).
    pub sampling: String,
    /// Target correlations that had to change to form a valid matrix, in words.
    pub correlation_repairs: Vec<String>,
    /// With `--precision`: why iterations stopped being added.
    pub stop_reason: Option<String>,
    /// Organisation names.
    pub orgs: Vec<String>,
    /// Total staff.
    pub staff: usize,
    /// UTC time the run finished (the only timestamp icbsim writes).
    pub finished_utc: String,
}

fn org_names(sc: &Scenario) -> Vec<String> {
    sc.orgs
        .iter()
        .map(|o| o.name.clone())
        .chain(std::iter::once("total".to_string()))
        .collect()
}

fn create(dir: &Path, name: &str) -> Result<BufWriter<File>> {
    let path = dir.join(name);
    let f = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(BufWriter::new(f))
}

/// A CSV writer for `dir/name` with `\\n` line ends (the format of every icbsim CSV).
///
/// # Errors
/// When the file cannot be created.
pub fn csv_writer(dir: &Path, name: &str) -> Result<csv::Writer<BufWriter<File>>> {
    Ok(csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(create(dir, name)?))
}

/// Writes every CSV and the manifest into `dir` (which must exist).
///
/// # Errors
/// When a file cannot be created or written.
pub fn write_run(
    dir: &Path,
    sc: &Scenario,
    results: &[IterationOutput],
    meta: &RunMeta,
) -> Result<()> {
    write_summary(dir, sc, results)?;
    write_iterations(dir, sc, results)?;
    write_timeseries(dir, sc, results)?;
    write_by_year(dir, sc, results)?;
    write_workforce(dir, sc)?;
    write_inputs(dir, sc)?;
    write_sensitivity(dir, sc, results)?;
    let mut m = create(dir, "manifest.json")?;
    serde_json::to_writer_pretty(&mut m, meta)?;
    m.write_all(b"\n")?;
    m.flush()?;
    Ok(())
}

fn column(results: &[IterationOutput], org: usize, metric: Metric) -> Vec<f64> {
    results
        .iter()
        .map(|r| r.orgs[org].scalars[metric])
        .collect()
}

/// The header of `summary.csv`.
pub const SUMMARY_HEADER: [&str; 20] = [
    "org",
    "metric",
    "unit",
    "mean",
    "sd",
    "se_mean",
    "min",
    "p5",
    "p10",
    "p25",
    "p50",
    "p75",
    "p90",
    "p95",
    "max",
    "n",
    "p50_ci_low",
    "p50_ci_high",
    "p90_ci_low",
    "p90_ci_high",
];

/// The rows of `summary.csv` (every organisation, then `total`, × every metric), as CSV cells.
pub fn summary_records(sc: &Scenario, results: &[IterationOutput]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (o, name) in org_names(sc).iter().enumerate() {
        for &metric in Metric::ALL {
            let v = column(results, o, metric);
            let s = summarize(&v);
            let se = if metric.kind() == Kind::Probability {
                summarize_bool(&v).se
            } else {
                s.se_mean
            };
            let cells = [
                s.mean, s.sd, se, s.min, s.p5, s.p10, s.p25, s.p50, s.p75, s.p90, s.p95, s.max,
                s.n as f64, s.p50_ci.0, s.p50_ci.1, s.p90_ci.0, s.p90_ci.1,
            ];
            let mut rec = vec![name.clone(), metric.to_string(), metric.unit().to_string()];
            rec.extend(cells.iter().map(|x| num(*x)));
            rows.push(rec);
        }
    }
    rows
}

fn write_summary(dir: &Path, sc: &Scenario, results: &[IterationOutput]) -> Result<()> {
    let mut w = csv_writer(dir, "summary.csv")?;
    w.write_record(SUMMARY_HEADER)?;
    for rec in summary_records(sc, results) {
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

fn input_cell(sc: &Scenario, kind: InputKind, x: f64) -> String {
    match kind {
        InputKind::Number => num(x),
        InputKind::Month => sc.start.plus(x as i32).to_string(),
    }
}

fn write_iterations(dir: &Path, sc: &Scenario, results: &[IterationOutput]) -> Result<()> {
    let mut w = csv_writer(dir, "iterations.csv")?;
    let uncertain: Vec<usize> = sc.uncertain_inputs().map(|(i, _)| i).collect();
    let mut header = vec!["iteration".to_string(), "org".to_string()];
    header.extend(uncertain.iter().map(|&i| sc.inputs[i].path.clone()));
    header.extend(Metric::ALL.iter().map(|m| m.name().to_string()));
    w.write_record(&header)?;
    let names = org_names(sc);
    for r in results {
        let inputs: Vec<String> = uncertain
            .iter()
            .map(|&i| input_cell(sc, sc.inputs[i].kind, r.values[i]))
            .collect();
        for (o, name) in names.iter().enumerate() {
            let mut rec = Vec::with_capacity(header.len());
            rec.push(r.index.to_string());
            rec.push(name.clone());
            rec.extend(inputs.iter().cloned());
            rec.extend(r.orgs[o].scalars.iter().map(|x| num(*x)));
            w.write_record(&rec)?;
        }
    }
    w.flush()?;
    Ok(())
}

const BANDS: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

fn band_cells(values: &mut [f64]) -> Vec<String> {
    values.sort_unstable_by(f64::total_cmp);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    std::iter::once(num(mean))
        .chain(BANDS.iter().map(|&p| num(quantile_sorted(values, p))))
        .collect()
}

fn write_timeseries(dir: &Path, sc: &Scenario, results: &[IterationOutput]) -> Result<()> {
    let mut w = csv_writer(dir, "timeseries.csv")?;
    w.write_record([
        "org", "month", "fy", "metric", "mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95",
    ])?;
    let (n, h) = (results.len(), sc.horizon as usize);
    // Month-major copy of one series across iterations, filled in one pass over the results.
    let mut by_month = vec![0.0; n * h];
    for (o, name) in org_names(sc).iter().enumerate() {
        for (k, metric) in Series::ALL.iter().enumerate() {
            for (it, r) in results.iter().enumerate() {
                for (m, x) in r.orgs[o].series[k].iter().enumerate() {
                    by_month[m * n + it] = *x;
                }
            }
            for (m, buf) in by_month.chunks_mut(n).enumerate() {
                let month = sc.start.plus(m as i32);
                let mut rec = vec![
                    name.clone(),
                    month.to_string(),
                    month.fy_label(),
                    metric.to_string(),
                ];
                rec.extend(band_cells(buf));
                w.write_record(&rec)?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

fn write_by_year(dir: &Path, sc: &Scenario, results: &[IterationOutput]) -> Result<()> {
    let mut w = csv_writer(dir, "by_year.csv")?;
    w.write_record([
        "org", "fy", "metric", "mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95",
    ])?;
    let (_, labels) = fiscal_years(sc);
    let mut buf = vec![0.0; results.len()];
    for (o, name) in org_names(sc).iter().enumerate() {
        for (y, label) in labels.iter().enumerate() {
            for (k, metric) in YearMetric::ALL.iter().enumerate() {
                for (b, r) in buf.iter_mut().zip(results) {
                    *b = r.orgs[o].by_year[y][k];
                }
                let mut rec = vec![name.clone(), label.clone(), metric.to_string()];
                rec.extend(band_cells(&mut buf));
                w.write_record(&rec)?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

fn write_workforce(dir: &Path, sc: &Scenario) -> Result<()> {
    let mut w = csv_writer(dir, "workforce.csv")?;
    // The staff-file columns, so a workforce.csv (less org and cost) can be read back as staff.
    let header = std::iter::once("org")
        .chain(STAFF_COLUMNS)
        .chain(std::iter::once("annual_employer_cost_gbp"));
    w.write_record(header)?;
    // On-costs at the scenario's central (fixed or median) rates.
    let rate = |p: crate::scenario::Param| sc.inputs[p.0 as usize].value_at(0.5);
    let on = OnCosts {
        ni_rate: rate(sc.pay.employer_ni_rate),
        ni_threshold: rate(sc.pay.ni_threshold),
        pension_rate: rate(sc.pay.pension_rate),
        levy_rate: rate(sc.pay.levy_rate),
    };
    for org in &sc.orgs {
        for s in &org.staff {
            w.write_record([
                org.name.clone(),
                s.id.clone(),
                sc.functions[s.function].name.clone(),
                s.band.code().to_string(),
                num(s.fte),
                num(s.salary),
                num(s.age),
                num(s.service),
                s.terms.code().to_string(),
                if s.pension_member { "yes" } else { "no" }.to_string(),
                num(
                    (annual_employer_cost(&on, s.salary, s.fte, s.pension_member) * 100.0).round()
                        / 100.0,
                ),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

fn write_inputs(dir: &Path, sc: &Scenario) -> Result<()> {
    let mut w = csv_writer(dir, "inputs.csv")?;
    w.write_record([
        "path",
        "label",
        "kind",
        "distribution",
        "mean",
        "p10",
        "p50",
        "p90",
        "explicit",
        "source",
        "date",
        "note",
    ])?;
    for d in &sc.inputs {
        let kind = match d.kind {
            InputKind::Number => "number",
            InputKind::Month => "month",
        };
        let cell = |x: f64| input_cell(sc, d.kind, x);
        let mean = match d.kind {
            InputKind::Number => num(d.dist.mean()),
            InputKind::Month => String::new(),
        };
        w.write_record([
            d.path.clone(),
            d.label.clone(),
            kind.to_string(),
            d.dist.kind().to_string(),
            mean,
            cell(d.value_at(0.1)),
            cell(d.value_at(0.5)),
            cell(d.value_at(0.9)),
            d.explicit.to_string(),
            d.provenance.source.clone().unwrap_or_default(),
            d.provenance.date.clone().unwrap_or_default(),
            d.provenance.note.clone().unwrap_or_default(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The outputs whose drivers `sensitivity.csv` ranks.
pub const SENSITIVITY_OUTPUTS: [Metric; 3] = [
    Metric::ExitCostGbp,
    Metric::RunRateAtDeadlineGbp,
    Metric::NpvGbp,
];

/// One row of `sensitivity.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityRow {
    /// Organisation or `total`.
    pub org: String,
    /// Output metric.
    pub output: String,
    /// Input path.
    pub input: String,
    /// Input label.
    pub label: String,
    /// Spearman rank correlation.
    pub rho: f64,
    /// Share of the output's rank variance attributed to this input (normalised rho²).
    pub contribution: f64,
    /// Mean percentile of this input among the iterations where the output is in its top 10%
    /// (0.5: no pull; near 1: high values of the input push the output to its top decile).
    pub top_decile: f64,
}

/// Spearman rank correlations of every uncertain input with each sensitivity output, per org.
pub fn sensitivity_rows(sc: &Scenario, results: &[IterationOutput]) -> Vec<SensitivityRow> {
    let uncertain: Vec<usize> = sc.uncertain_inputs().map(|(i, _)| i).collect();
    let inputs: Vec<Vec<f64>> = uncertain
        .iter()
        .map(|&i| results.iter().map(|r| r.values[i]).collect())
        .collect();
    // Each input's draws as percentile ranks in (0, 1): (rank − ½) / n.
    let n = results.len() as f64;
    let input_pct: Vec<Vec<f64>> = inputs
        .iter()
        .map(|x| ranks(x).iter().map(|r| (r - 0.5) / n).collect())
        .collect();
    let mut rows = Vec::new();
    for (o, name) in org_names(sc).iter().enumerate() {
        for out in SENSITIVITY_OUTPUTS {
            let y = column(results, o, out);
            let rhos: Vec<f64> = inputs.iter().map(|x| spearman(x, &y)).collect();
            let total: f64 = rhos.iter().filter(|r| r.is_finite()).map(|r| r * r).sum();
            let top = top_decile(&y);
            for (j, &i) in uncertain.iter().enumerate() {
                let rho = rhos[j];
                let top_decile = if top.is_empty() {
                    f64::NAN
                } else {
                    top.iter().map(|&t| input_pct[j][t]).sum::<f64>() / top.len() as f64
                };
                rows.push(SensitivityRow {
                    org: name.clone(),
                    output: out.to_string(),
                    input: sc.inputs[i].path.clone(),
                    label: sc.inputs[i].label.clone(),
                    rho,
                    contribution: if total > 0.0 && rho.is_finite() {
                        rho * rho / total
                    } else {
                        f64::NAN
                    },
                    top_decile,
                });
            }
        }
    }
    rows
}

/// Indices of the iterations whose output is in its top decile (at or above its P90); empty when
/// the output does not vary.
fn top_decile(y: &[f64]) -> Vec<usize> {
    let mut sorted: Vec<f64> = y.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_unstable_by(f64::total_cmp);
    if sorted.first() == sorted.last() {
        return Vec::new();
    }
    let p90 = quantile_sorted(&sorted, 0.9);
    (0..y.len()).filter(|&t| y[t] >= p90).collect()
}

fn write_sensitivity(dir: &Path, sc: &Scenario, results: &[IterationOutput]) -> Result<()> {
    let mut w = csv_writer(dir, "sensitivity.csv")?;
    w.write_record([
        "org",
        "output",
        "input",
        "input_label",
        "spearman_rho",
        "contribution_to_variance",
        "top_decile_input_percentile",
    ])?;
    for r in sensitivity_rows(sc, results) {
        w.write_record([
            r.org,
            r.output,
            r.input,
            r.label,
            num(r.rho),
            num(r.contribution),
            num(r.top_decile),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_decile_is_at_or_above_the_p90() {
        // 1..=20: P90 by type 7 = 18.1, so 19 and 20 (indices 18, 19) are the top decile.
        let y: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(top_decile(&y), vec![18, 19]);
        assert!(top_decile(&[3.0; 10]).is_empty());
    }
}
