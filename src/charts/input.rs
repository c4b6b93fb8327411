//! Reads a run directory's CSV and JSON files into typed tables, by column name (unknown columns
//! are ignored, so the simulator may add columns without breaking the charts). This is the
//! boundary where the file contract is checked: missing files or columns are errors naming the
//! file; empty, `NA` or `NaN` cells become NaN and are handled by each chart.

use super::error::ChartError;
use super::format::Month;
use csv::{ByteRecord, StringRecord};
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The org name the simulator uses for the sum across organisations.
pub const TOTAL: &str = "total";

/// Mean and percentiles of one quantity across iterations (NaN where the file had no value).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantiles {
    /// Mean across iterations.
    pub mean: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
}

const Q_COLUMNS: [&str; 8] = ["mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95"];

/// An open CSV file with its header, for reading cells by column name.
struct Table {
    path: PathBuf,
    reader: csv::Reader<File>,
    headers: StringRecord,
}

impl Table {
    fn open(dir: &Path, name: &str) -> Result<Table, ChartError> {
        let path = dir.join(name);
        let file = File::open(&path).map_err(|source| ChartError::Read {
            path: path.clone(),
            source,
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(file);
        let headers = reader.headers().map_err(|source| ChartError::Csv {
            path: path.clone(),
            source,
        })?;
        let headers = headers.clone();
        Ok(Table {
            path,
            reader,
            headers,
        })
    }

    fn col(&self, name: &str) -> Result<usize, ChartError> {
        self.opt_col(name).ok_or_else(|| ChartError::MissingColumn {
            path: self.path.clone(),
            column: name.to_string(),
        })
    }

    fn opt_col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    fn csv_err(&self, source: csv::Error) -> ChartError {
        ChartError::Csv {
            path: self.path.clone(),
            source,
        }
    }

    fn number(&self, text: &str, line: u64, col: usize) -> Result<f64, ChartError> {
        parse_number(text).ok_or_else(|| ChartError::BadCell {
            path: self.path.clone(),
            line,
            column: self.headers.get(col).unwrap_or("?").to_string(),
            problem: format!("`{text}` is not a number"),
        })
    }

    fn quantile_columns(&self) -> Result<[usize; 8], ChartError> {
        let mut idx = [0; 8];
        for (slot, name) in idx.iter_mut().zip(Q_COLUMNS) {
            *slot = self.col(name)?;
        }
        Ok(idx)
    }

    fn quantiles(&self, rec: &StringRecord, idx: &[usize; 8]) -> Result<Quantiles, ChartError> {
        let line = rec.position().map_or(0, |p| p.line());
        let mut v = [f64::NAN; 8];
        for (slot, &c) in v.iter_mut().zip(idx) {
            *slot = self.number(rec.get(c).unwrap_or(""), line, c)?;
        }
        Ok(Quantiles {
            mean: v[0],
            p5: v[1],
            p10: v[2],
            p25: v[3],
            p50: v[4],
            p75: v[5],
            p90: v[6],
            p95: v[7],
        })
    }
}

/// Parses a cell: empty, `NA`, `NaN` or `null` give NaN; anything else must be a number.
fn parse_number(text: &str) -> Option<f64> {
    match text.trim() {
        "" | "NA" | "N/A" | "NaN" | "nan" | "null" => Some(f64::NAN),
        t => t.parse().ok(),
    }
}

/// summary.csv: one row per organisation and metric.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    rows: BTreeMap<(String, String), Quantiles>,
    /// Organisation names other than `total`, in file order.
    pub orgs: Vec<String>,
}

impl Summary {
    /// Reads `dir/summary.csv`. Fails when the file or one of `org`, `metric`, `mean` … `p95` is
    /// missing, or a cell is not a number.
    pub fn read(dir: &Path) -> Result<Summary, ChartError> {
        let mut t = Table::open(dir, "summary.csv")?;
        let (org_c, metric_c, q) = (t.col("org")?, t.col("metric")?, t.quantile_columns()?);
        let mut out = Summary::default();
        let mut rec = StringRecord::new();
        while t.reader.read_record(&mut rec).map_err(|e| t.csv_err(e))? {
            let org = rec.get(org_c).unwrap_or("").to_string();
            let metric = rec.get(metric_c).unwrap_or("").to_string();
            if org != TOTAL && !org.is_empty() && !out.orgs.contains(&org) {
                out.orgs.push(org.clone());
            }
            out.rows.insert((org, metric), t.quantiles(&rec, &q)?);
        }
        Ok(out)
    }

    /// The row for an organisation and metric, if present.
    pub fn get(&self, org: &str, metric: &str) -> Option<&Quantiles> {
        self.rows.get(&(org.to_string(), metric.to_string()))
    }

    /// The mean for an organisation and metric, NaN if absent.
    pub fn mean(&self, org: &str, metric: &str) -> f64 {
        self.get(org, metric).map_or(f64::NAN, |q| q.mean)
    }
}

/// timeseries.csv: monthly quantiles per organisation and metric, sorted by month.
#[derive(Debug, Clone, Default)]
pub struct Timeseries {
    series: BTreeMap<(String, String), Vec<(Month, Quantiles)>>,
}

impl Timeseries {
    /// Reads `dir/timeseries.csv`. Fails when the file or a needed column is missing, or when a
    /// month is not `YYYY-MM`.
    pub fn read(dir: &Path) -> Result<Timeseries, ChartError> {
        let mut t = Table::open(dir, "timeseries.csv")?;
        let (org_c, month_c, metric_c) = (t.col("org")?, t.col("month")?, t.col("metric")?);
        let q = t.quantile_columns()?;
        let mut out = Timeseries::default();
        let mut rec = StringRecord::new();
        while t.reader.read_record(&mut rec).map_err(|e| t.csv_err(e))? {
            let text = rec.get(month_c).unwrap_or("");
            let month = Month::parse(text).ok_or_else(|| ChartError::BadCell {
                path: t.path.clone(),
                line: rec.position().map_or(0, |p| p.line()),
                column: "month".to_string(),
                problem: format!("`{text}` is not an ISO month like 2025-04"),
            })?;
            let key = (
                rec.get(org_c).unwrap_or("").to_string(),
                rec.get(metric_c).unwrap_or("").to_string(),
            );
            let value = t.quantiles(&rec, &q)?;
            out.series.entry(key).or_default().push((month, value));
        }
        for v in out.series.values_mut() {
            v.sort_by_key(|(m, _)| *m);
        }
        Ok(out)
    }

    /// The monthly series for an organisation and metric (empty if absent).
    pub fn get(&self, org: &str, metric: &str) -> &[(Month, Quantiles)] {
        self.series
            .get(&(org.to_string(), metric.to_string()))
            .map_or(&[], |v| v.as_slice())
    }
}

/// by_year.csv: quantiles per organisation, financial year and metric.
#[derive(Debug, Clone, Default)]
pub struct ByYear {
    rows: BTreeMap<(String, String), Vec<(String, Quantiles)>>,
}

impl ByYear {
    /// Reads `dir/by_year.csv`. Fails when the file or a needed column is missing.
    pub fn read(dir: &Path) -> Result<ByYear, ChartError> {
        let mut t = Table::open(dir, "by_year.csv")?;
        let (org_c, fy_c, metric_c) = (t.col("org")?, t.col("fy")?, t.col("metric")?);
        let q = t.quantile_columns()?;
        let mut out = ByYear::default();
        let mut rec = StringRecord::new();
        while t.reader.read_record(&mut rec).map_err(|e| t.csv_err(e))? {
            let key = (
                rec.get(org_c).unwrap_or("").to_string(),
                rec.get(metric_c).unwrap_or("").to_string(),
            );
            let fy = rec.get(fy_c).unwrap_or("").to_string();
            let value = t.quantiles(&rec, &q)?;
            out.rows.entry(key).or_default().push((fy, value));
        }
        for v in out.rows.values_mut() {
            v.sort_by(|a, b| a.0.cmp(&b.0));
        }
        Ok(out)
    }

    /// Rows for an organisation and metric, sorted by financial year (empty if absent).
    pub fn get(&self, org: &str, metric: &str) -> &[(String, Quantiles)] {
        self.rows
            .get(&(org.to_string(), metric.to_string()))
            .map_or(&[], |v| v.as_slice())
    }
}

/// One row of sensitivity.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Input's dotted name.
    pub input: String,
    /// Input's plain-words label.
    pub label: String,
    /// Spearman rank correlation with the output.
    pub rho: f64,
}

/// Reads the rows of `dir/sensitivity.csv` for one org and output. Fails when the file or a
/// needed column is missing; rows with an empty rho are skipped.
pub fn read_sensitivity(
    dir: &Path,
    org: &str,
    output: &str,
) -> Result<Vec<Sensitivity>, ChartError> {
    let mut t = Table::open(dir, "sensitivity.csv")?;
    let (org_c, out_c, in_c) = (t.col("org")?, t.col("output")?, t.col("input")?);
    let (label_c, rho_c) = (t.col("input_label")?, t.col("spearman_rho")?);
    let mut rows = Vec::new();
    let mut rec = StringRecord::new();
    while t.reader.read_record(&mut rec).map_err(|e| t.csv_err(e))? {
        if rec.get(org_c) != Some(org) || rec.get(out_c) != Some(output) {
            continue;
        }
        let line = rec.position().map_or(0, |p| p.line());
        let rho = t.number(rec.get(rho_c).unwrap_or(""), line, rho_c)?;
        let input = rec.get(in_c).unwrap_or("").to_string();
        let label = match rec.get(label_c).unwrap_or("") {
            "" => input.clone(),
            l => l.to_string(),
        };
        if rho.is_finite() {
            rows.push(Sensitivity { input, label, rho });
        }
    }
    Ok(rows)
}

/// Per-iteration results for org `total` from iterations.csv.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IterationTotals {
    /// Total exit cost of each iteration, in file order (NaN where empty).
    pub exit_cost: Vec<f64>,
    /// Total funding of each iteration, when the file has a `funding_gbp` column.
    pub funding: Option<Vec<f64>>,
}

/// Reads `exit_cost_gbp` (and `funding_gbp` if present) of the `total` rows of
/// `dir/iterations.csv`, parsing only those columns. Fails when the file, `org` or
/// `exit_cost_gbp` is missing, or a cell is not a number.
pub fn read_iteration_totals(dir: &Path) -> Result<IterationTotals, ChartError> {
    let mut t = Table::open(dir, "iterations.csv")?;
    let (org_c, exit_c) = (t.col("org")?, t.col("exit_cost_gbp")?);
    let fund_c = t.opt_col("funding_gbp");
    let mut out = IterationTotals {
        exit_cost: Vec::new(),
        funding: fund_c.map(|_| Vec::new()),
    };
    let mut rec = ByteRecord::new();
    while t
        .reader
        .read_byte_record(&mut rec)
        .map_err(|e| t.csv_err(e))?
    {
        if rec.get(org_c) != Some(TOTAL.as_bytes()) {
            continue;
        }
        let line = rec.position().map_or(0, |p| p.line());
        let cell = |c: usize| String::from_utf8_lossy(rec.get(c).unwrap_or(b"")).into_owned();
        out.exit_cost.push(t.number(&cell(exit_c), line, exit_c)?);
        if let (Some(c), Some(f)) = (fund_c, out.funding.as_mut()) {
            f.push(t.number(&cell(c), line, c)?);
        }
    }
    Ok(out)
}

/// The fields of manifest.json the charts print.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// icbsim version that made the run.
    pub version: String,
    /// Scenario name.
    pub scenario_name: String,
    /// SHA-256 of the scenario file, hex.
    pub scenario_sha256: String,
    /// Seed of the run.
    pub seed: u64,
    /// Number of iterations.
    pub iterations: u64,
    /// Deadline for meeting the target.
    pub deadline: Month,
    /// Whether transfers count as savings; when false the target is measured on the system
    /// run-rate (own plus functions transferred out). Absent in older runs: taken as true.
    pub counts_transfers: bool,
}

impl Manifest {
    /// Reads `dir/manifest.json`. Fails when it is not JSON or lacks one of the fields above.
    pub fn read(dir: &Path) -> Result<Manifest, ChartError> {
        let path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&path).map_err(|source| ChartError::Read {
            path: path.clone(),
            source,
        })?;
        let v: serde_json::Value =
            serde_json::from_str(&text).map_err(|source| ChartError::Json {
                path: path.clone(),
                source,
            })?;
        let err = |field, expected| ChartError::ManifestField {
            path: path.clone(),
            field,
            expected,
        };
        let string = |field: &'static str| {
            v.get(field)
                .and_then(|x| x.as_str())
                .map(str::to_string)
                .ok_or_else(|| err(field, "a string"))
        };
        let integer = |field: &'static str| {
            v.get(field)
                .and_then(|x| x.as_u64())
                .ok_or_else(|| err(field, "a non-negative integer"))
        };
        let month = |field: &'static str| {
            v.get(field)
                .and_then(|x| x.as_str())
                .and_then(Month::parse)
                .ok_or_else(|| err(field, "a month like \"2025-04\""))
        };
        Ok(Manifest {
            version: string("icbsim_version")?,
            scenario_name: string("scenario_name")?,
            scenario_sha256: string("scenario_sha256")?,
            seed: integer("seed")?,
            iterations: integer("iterations")?,
            deadline: month("deadline")?,
            counts_transfers: v
                .get("counts_transfers")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(true),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/run-sample")
    }

    #[test]
    fn reads_cells_leniently_but_rejects_text() {
        assert!(parse_number("").unwrap().is_nan());
        assert!(parse_number("NaN").unwrap().is_nan());
        assert_eq!(parse_number(" 1.5e3 "), Some(1500.0));
        assert_eq!(parse_number("twelve"), None);
    }

    #[test]
    fn reads_the_sample_run_by_column_name() {
        let dir = fixture();
        let s = Summary::read(&dir).unwrap();
        assert_eq!(s.orgs, vec!["All ICBs in England".to_string()]);
        assert_eq!(s.mean(TOTAL, "headcount_start"), 25000.0);
        assert!(s.mean(TOTAL, "no_such_metric").is_nan());
        let ts = Timeseries::read(&dir).unwrap();
        let rr = ts.get(TOTAL, "run_rate_gbp");
        assert_eq!(rr.len(), 36);
        assert_eq!(rr[0].0, Month::parse("2025-04").unwrap());
        assert_eq!(
            ByYear::read(&dir).unwrap().get(TOTAL, "savings_gbp").len(),
            3
        );
        let sens = read_sensitivity(&dir, TOTAL, "exit_cost_gbp").unwrap();
        assert_eq!(sens.len(), 12);
        let it = read_iteration_totals(&dir).unwrap();
        assert_eq!(it.exit_cost.len(), 200);
        assert_eq!(it.funding.map(|f| f.len()), Some(200));
        let m = Manifest::read(&dir).unwrap();
        assert_eq!(
            (m.iterations, m.deadline.label()),
            (200, "Dec 2025".to_string())
        );
    }

    #[test]
    fn names_the_file_and_column_that_is_missing() {
        let dir = std::env::temp_dir().join(format!("icbsim-charts-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("summary.csv"),
            "org,metric,unit,mean\ntotal,x,gbp,1\n",
        )
        .unwrap();
        let e = Summary::read(&dir).unwrap_err().to_string();
        assert!(e.contains("summary.csv") && e.contains("`p5`"), "{e}");
        std::fs::write(dir.join("manifest.json"), "{\"icbsim_version\": \"0.1.0\"}").unwrap();
        let e = Manifest::read(&dir).unwrap_err().to_string();
        assert!(
            e.contains("manifest.json") && e.contains("scenario_name"),
            "{e}"
        );
        let e = Timeseries::read(&dir).unwrap_err().to_string();
        assert!(e.contains("timeseries.csv"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
