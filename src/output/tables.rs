//! Writers for `summary.csv`, `timeseries.csv`, `by_year.csv`, `workforce.csv`, `inputs.csv`,
//! `sensitivity.csv` and `manifest.json`: the statistics of each table are computed in
//! [`super::statistics`] into its record type in [`super::records`], which writes it; the tables
//! whose columns depend on the scenario (`workforce.csv`, `inputs.csv`) are formatted and written
//! here directly. `iterations.csv` is written by the sink as iterations arrive
//! ([`super::iterations`]).

use super::error::{create, csv_format, CsvOut, OutputError};
use super::format::num;
use super::iterations::input_cell;
use super::records::{write_records, INPUTS_HEADER, WORKFORCE_COST_COLUMN};
use super::statistics::Tables;
use crate::model::exit_terms::{annual_employer_cost, OnCosts};
use crate::scenario::workforce::STAFF_COLUMNS;
use crate::scenario::{InputKind, Scenario};
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
    /// Each organisation's `region` label, in the order of `orgs` (empty where none is given).
    pub regions: Vec<String>,
    /// Total staff.
    pub staff: usize,
    /// UTC time the run finished (the only timestamp icbsim writes).
    pub finished_utc: String,
}

/// The organisations of every per-organisation file, as (column in the results, name): each
/// organisation, then `total`. A one-organisation scenario has only `total`: the organisation IS
/// the total, so its rows would be written twice.
pub(super) fn org_columns(sc: &Scenario) -> Vec<(usize, String)> {
    let total = (sc.orgs.len(), "total".to_string());
    if sc.orgs.len() == 1 {
        return vec![total];
    }
    sc.orgs
        .iter()
        .enumerate()
        .map(|(o, org)| (o, org.name.clone()))
        .chain(std::iter::once(total))
        .collect()
}

/// A CSV writer for `dir/name` with `\\n` line ends (the format of every icbsim CSV), for
/// commands that write their own tables (`sweep.csv`).
///
/// # Errors
/// When the file cannot be created ([`OutputError::Create`], naming it).
pub fn csv_writer(dir: &Path, name: &str) -> anyhow::Result<csv::Writer<BufWriter<File>>> {
    let (_, file) = create(dir, name)?;
    Ok(csv_format().from_writer(file))
}

/// Writes the tables of [`super::statistics::statistics`], `workforce.csv`, `inputs.csv` and the manifest into
/// `dir` (which must exist; `iterations.csv` is written by the sink as iterations arrive).
///
/// # Errors
/// [`OutputError`] naming the file that could not be created or written.
pub fn write_tables(
    dir: &Path,
    sc: &Scenario,
    tables: &Tables,
    meta: &RunMeta,
) -> Result<(), OutputError> {
    write_records(dir, &tables.summary)?;
    write_records(dir, &tables.timeseries)?;
    write_records(dir, &tables.by_year)?;
    write_workforce(dir, sc)?;
    write_inputs(dir, sc)?;
    write_records(dir, &tables.sensitivity)?;
    write_manifest(dir, meta)
}

fn write_manifest(dir: &Path, meta: &RunMeta) -> Result<(), OutputError> {
    let (path, mut m) = create(dir, "manifest.json")?;
    if let Err(cause) = serde_json::to_writer_pretty(&mut m, meta) {
        return Err(OutputError::Json { path, cause });
    }
    match m.write_all(b"\n").and_then(|()| m.flush()) {
        Ok(()) => Ok(()),
        Err(cause) => Err(OutputError::Write { path, cause }),
    }
}

fn write_workforce(dir: &Path, sc: &Scenario) -> Result<(), OutputError> {
    let mut w = CsvOut::create(dir, "workforce.csv")?;
    // The staff-file columns, so a workforce.csv (less org and cost) can be read back as staff.
    let header = std::iter::once("org")
        .chain(STAFF_COLUMNS)
        .chain(std::iter::once(WORKFORCE_COST_COLUMN));
    w.row(header)?;
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
            w.row([
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
                s.funding.code().to_string(),
                num(
                    (annual_employer_cost(&on, s.salary, s.fte, s.pension_member) * 100.0).round()
                        / 100.0,
                ),
            ])?;
        }
    }
    w.finish()
}

fn write_inputs(dir: &Path, sc: &Scenario) -> Result<(), OutputError> {
    let mut w = CsvOut::create(dir, "inputs.csv")?;
    w.row(INPUTS_HEADER)?;
    for d in &sc.inputs {
        let kind = match d.kind {
            InputKind::Number => "number",
            InputKind::Month => "month",
        };
        // Numbers and months never share a column: a number input fills the number columns, a
        // month input the `_month` ones.
        let quantiles = [0.1, 0.5, 0.9].map(|p| d.value_at(p));
        let blank = || [String::new(), String::new(), String::new()];
        let (mean, numbers, months) = match d.kind {
            InputKind::Number => (num(d.dist.mean()), quantiles.map(num), blank()),
            InputKind::Month => (
                String::new(),
                blank(),
                quantiles.map(|x| input_cell(sc, d.kind, x)),
            ),
        };
        let [n10, n50, n90] = numbers;
        let [m10, m50, m90] = months;
        w.row([
            d.path.clone(),
            d.label.clone(),
            kind.to_string(),
            d.dist.kind().to_string(),
            mean,
            n10,
            n50,
            n90,
            m10,
            m50,
            m90,
            d.explicit.to_string(),
            d.provenance.source.clone().unwrap_or_default(),
            d.provenance.date.clone().unwrap_or_default(),
            d.provenance.note.clone().unwrap_or_default(),
        ])?;
    }
    w.finish()
}
