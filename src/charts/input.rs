//! Reads a run directory's CSV and JSON files into typed tables for the charts. Each CSV is read
//! through its record type in [`crate::output::records`] (the same type its writer uses), by
//! column name: unknown columns are ignored, so the simulator may add columns without breaking
//! the charts. This is the boundary where the file contract is checked: missing files or columns
//! and unknown metric names are errors naming the file; empty, `NA` or `NaN` cells become NaN and
//! are handled by each chart.

use super::error::ChartError;
use crate::metric::{Metric, Series, YearMetric};
use crate::month::Month;
use crate::output::records::{
    read_records, ByYearRecord, CsvIn, DecileSwing, ReadError, SensitivityRecord, SummaryRecord,
    TimeseriesRecord,
};
use csv::ByteRecord;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use crate::output::records::Quantiles;

/// The org name the simulator uses for the sum across organisations.
pub const TOTAL: &str = "total";

impl From<ReadError> for ChartError {
    fn from(e: ReadError) -> ChartError {
        match e {
            ReadError::Open { path, cause } => ChartError::Read {
                path,
                source: cause,
            },
            ReadError::Csv { path, cause } => ChartError::Csv {
                path,
                source: cause,
            },
            ReadError::MissingColumn { path, column } => ChartError::MissingColumn {
                path,
                column: column.to_string(),
            },
            ReadError::BadCell {
                path,
                line,
                column,
                problem,
            } => ChartError::BadCell {
                path,
                line,
                column: column.to_string(),
                problem,
            },
            ReadError::UnknownMetric {
                path,
                line,
                column,
                cause,
            } => ChartError::BadCell {
                path,
                line,
                column: column.to_string(),
                problem: cause.to_string(),
            },
        }
    }
}

/// summary.csv: one row per organisation and metric.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    path: PathBuf,
    rows: BTreeMap<(String, Metric), Quantiles>,
    /// Organisation names other than `total`, in file order.
    pub orgs: Vec<String>,
}

impl Summary {
    /// Reads `dir/summary.csv`. Fails when the file or one of `org`, `metric`, `mean` … `p95` is
    /// missing, a cell is not a number or a metric is unknown.
    pub fn read(dir: &Path) -> Result<Summary, ChartError> {
        let mut out = Summary {
            path: dir.join("summary.csv"),
            ..Summary::default()
        };
        for r in read_records::<SummaryRecord>(dir)? {
            if r.org != TOTAL && !r.org.is_empty() && !out.orgs.contains(&r.org) {
                out.orgs.push(r.org.clone());
            }
            out.rows.insert((r.org, r.metric), r.q);
        }
        Ok(out)
    }

    /// The row for an organisation and metric, if present.
    pub fn get(&self, org: &str, metric: Metric) -> Option<&Quantiles> {
        self.rows.get(&(org.to_string(), metric))
    }

    /// The row for an organisation and metric. Fails with [`ChartError::MissingRows`] naming
    /// summary.csv, the organisation and the metric when there is none.
    pub fn require(&self, org: &str, metric: Metric) -> Result<&Quantiles, ChartError> {
        self.get(org, metric)
            .ok_or_else(|| missing(&self.path, org, metric.name()))
    }

    /// The mean for an organisation and metric, NaN if absent.
    pub fn mean(&self, org: &str, metric: Metric) -> f64 {
        self.get(org, metric).map_or(f64::NAN, |q| q.mean)
    }

    /// Adds (or replaces) the row of `org` and `metric`, as [`Summary::read`] does for a line of
    /// summary.csv: for charts drawn from synthetic results in tests.
    #[cfg(test)]
    pub fn insert(&mut self, org: &str, metric: Metric, q: Quantiles) {
        if org != TOTAL && !org.is_empty() && !self.orgs.iter().any(|o| o == org) {
            self.orgs.push(org.to_string());
        }
        self.rows.insert((org.to_string(), metric), q);
    }
}

/// timeseries.csv: monthly quantiles per organisation and series, sorted by month.
#[derive(Debug, Clone, Default)]
pub struct Timeseries {
    path: PathBuf,
    series: BTreeMap<(String, Series), Vec<(Month, Quantiles)>>,
}

impl Timeseries {
    /// Reads `dir/timeseries.csv`. Fails when the file or a needed column is missing, a month is
    /// not `YYYY-MM` or a series is unknown.
    pub fn read(dir: &Path) -> Result<Timeseries, ChartError> {
        let mut out = Timeseries {
            path: dir.join("timeseries.csv"),
            ..Timeseries::default()
        };
        for r in read_records::<TimeseriesRecord>(dir)? {
            let key = (r.org, r.metric);
            out.series.entry(key).or_default().push((r.month, r.q));
        }
        for v in out.series.values_mut() {
            v.sort_by_key(|(m, _)| *m);
        }
        Ok(out)
    }

    /// The monthly series for an organisation (empty if absent).
    pub fn get(&self, org: &str, metric: Series) -> &[(Month, Quantiles)] {
        self.series
            .get(&(org.to_string(), metric))
            .map_or(&[], |v| v.as_slice())
    }

    /// The monthly series for an organisation. Fails with [`ChartError::MissingRows`] naming
    /// timeseries.csv, the organisation and the series when it has no rows.
    pub fn require(&self, org: &str, metric: Series) -> Result<&[(Month, Quantiles)], ChartError> {
        let rows = self.get(org, metric);
        if rows.is_empty() {
            return Err(missing(&self.path, org, metric.name()));
        }
        Ok(rows)
    }
}

/// The error for rows a chart cannot do without.
fn missing(path: &Path, org: &str, metric: &str) -> ChartError {
    ChartError::MissingRows {
        path: path.to_path_buf(),
        org: org.to_string(),
        metric: metric.to_string(),
    }
}

/// by_year.csv: quantiles per organisation, financial year and figure.
#[derive(Debug, Clone, Default)]
pub struct ByYear {
    rows: BTreeMap<(String, YearMetric), Vec<(String, Quantiles)>>,
}

impl ByYear {
    /// Reads `dir/by_year.csv`. Fails when the file or a needed column is missing, a cell is not
    /// a number or a figure is unknown.
    pub fn read(dir: &Path) -> Result<ByYear, ChartError> {
        let mut out = ByYear::default();
        for r in read_records::<ByYearRecord>(dir)? {
            let key = (r.org, r.metric);
            out.rows.entry(key).or_default().push((r.fy, r.q));
        }
        for v in out.rows.values_mut() {
            v.sort_by(|a, b| a.0.cmp(&b.0));
        }
        Ok(out)
    }

    /// Rows for an organisation and figure, sorted by financial year (empty if absent).
    pub fn get(&self, org: &str, metric: YearMetric) -> &[(String, Quantiles)] {
        self.rows
            .get(&(org.to_string(), metric))
            .map_or(&[], |v| v.as_slice())
    }
}

/// One input's rows of sensitivity.csv, as the tornado chart uses them.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Input's dotted name.
    pub input: String,
    /// Input's plain-words label (its dotted name when the file has no label).
    pub label: String,
    /// The £ swing of total exit cost between the input's bottom and top deciles.
    pub exit: DecileSwing,
    /// The £ swing of the run-rate at the deadline (target basis), likewise.
    pub run_rate: DecileSwing,
}

/// Reads the exit-cost and deadline run-rate rows of `dir/sensitivity.csv` for one org, one
/// [`Sensitivity`] per input in file order. Fails when the file or a needed column is missing,
/// or an output is unknown; swings the file lacks (a run from before the swing columns) are NaN.
pub fn read_sensitivity(dir: &Path, org: &str) -> Result<Vec<Sensitivity>, ChartError> {
    let rows = read_records::<SensitivityRecord>(dir)?;
    let none = DecileSwing {
        low_mean: f64::NAN,
        high_mean: f64::NAN,
        swing: f64::NAN,
        se: f64::NAN,
    };
    let mut out: Vec<Sensitivity> = Vec::new();
    for r in rows.into_iter().filter(|r| r.org == org) {
        let at = match out.iter().position(|s| s.input == r.input) {
            Some(i) => i,
            None => {
                out.push(Sensitivity {
                    label: if r.label.is_empty() {
                        r.input.clone()
                    } else {
                        r.label.clone()
                    },
                    input: r.input.clone(),
                    exit: none,
                    run_rate: none,
                });
                out.len() - 1
            }
        };
        match r.output {
            Metric::ExitCostGbp => out[at].exit = r.swing,
            Metric::RunRateAtDeadlineGbp => out[at].run_rate = r.swing,
            _ => {}
        }
    }
    Ok(out)
}

/// Per-iteration results for org `total` from iterations.csv.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IterationTotals {
    /// Total exit cost of each iteration, in file order (NaN where empty).
    pub exit_cost: Vec<f64>,
    /// Total funding of each iteration, when the file has a funding column.
    pub funding: Option<Vec<f64>>,
}

/// Reads the exit cost (and the funding, if present) of the `total` rows of
/// `dir/iterations.csv`, parsing only those columns. Fails when the file, `org` or the exit-cost
/// column is missing, or a cell is not a number.
///
/// The file has a row per organisation per iteration (560,000 rows, 340 MB for 10,000 iterations
/// of the national default), and only one row in 56 is a total. A general CSV parser spends most
/// of a chart run on it, so the lines are read directly: a line is a record when its quotes are
/// balanced (a field can hold a newline only inside quotes); it must have the header's number of
/// fields; and only total rows are split further. Anything else (an unbalanced quote, text after
/// a closing quote, a wrong field count) sends the whole file through the CSV parser, which reads
/// every valid file and names the fault in any other.
pub fn read_iteration_totals(dir: &Path) -> Result<IterationTotals, ChartError> {
    let t = CsvIn::open(dir, "iterations.csv")?;
    let cols = TotalsColumns {
        org: t.column("org")?,
        exit: t.column(Metric::ExitCostGbp.name())?,
        fund: t.optional_column(Metric::FundingGbp.name()),
        width: t.width(),
    };
    match totals_by_lines(&t, &cols)? {
        Some(out) => Ok(out),
        None => totals_by_records(t, &cols),
    }
}

/// Where [`read_iteration_totals`] finds its fields, and how many a row has.
struct TotalsColumns {
    org: usize,
    exit: usize,
    fund: Option<usize>,
    width: usize,
}

/// Bytes read at a time by [`totals_by_lines`].
const LINES_BLOCK: usize = 8 << 20;

/// The totals read line by line, or `None` when the file needs the CSV parser (see
/// [`read_iteration_totals`]).
fn totals_by_lines(t: &CsvIn, cols: &TotalsColumns) -> Result<Option<IterationTotals>, ChartError> {
    use std::io::Read;
    let read_err = |source| ChartError::Read {
        path: t.path.clone(),
        source,
    };
    let mut file = std::fs::File::open(&t.path).map_err(read_err)?;
    let mut out = IterationTotals {
        exit_cost: Vec::new(),
        funding: cols.fund.map(|_| Vec::new()),
    };
    let (exit, fund) = (Metric::ExitCostGbp.name(), Metric::FundingGbp.name());
    // The unfinished line of the last block, then the next block.
    let mut buf: Vec<u8> = Vec::with_capacity(LINES_BLOCK * 2);
    let mut line_no: u64 = 0;
    let mut at_end = false;
    let mut places: Vec<std::ops::Range<usize>> = Vec::new();
    while !at_end {
        let start = buf.len();
        buf.resize(start + LINES_BLOCK, 0);
        let got = file.read(&mut buf[start..]).map_err(read_err)?;
        buf.truncate(start + got);
        at_end = got == 0;
        // Whole lines; at the end of the file, the last line even without its newline.
        let whole = match memchr::memrchr(b'\n', &buf) {
            _ if at_end => buf.len(),
            Some(last) => last + 1,
            None => continue,
        };
        let mut rest = &buf[..whole];
        while !rest.is_empty() {
            let (line, next) = match memchr::memchr(b'\n', rest) {
                Some(end) => (&rest[..end], &rest[end + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            rest = next;
            line_no += 1;
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            // The header, and empty lines (which the CSV parser skips too).
            if line_no == 1 || line.is_empty() {
                continue;
            }
            let quoted = memchr::memchr(b'"', line).is_some();
            if quoted {
                // Quote-aware: the fields' places, or the CSV parser for anything unusual.
                if !split_quoted(line, &mut places) || places.len() != cols.width {
                    return Ok(None);
                }
            } else if memchr::memchr_iter(b',', line).count() + 1 != cols.width {
                return Ok(None);
            }
            let cell = |c: usize| {
                let raw = if quoted {
                    places.get(c).map_or(&b""[..], |r| &line[r.clone()])
                } else {
                    line.split(|&b| b == b',').nth(c).unwrap_or(b"")
                };
                // The CSV parser trims the spaces around each field too.
                raw.trim_ascii()
            };
            if cell(cols.org) != TOTAL.as_bytes() {
                continue;
            }
            let text = |c: usize| String::from_utf8_lossy(cell(c)).into_owned();
            out.exit_cost
                .push(t.number(&text(cols.exit), line_no, exit)?);
            if let (Some(c), Some(f)) = (cols.fund, out.funding.as_mut()) {
                f.push(t.number(&text(c), line_no, fund)?);
            }
        }
        buf.drain(..whole);
    }
    Ok(Some(out))
}

/// The fields of a line that has quotes, as ranges of `line` (a quoted field's range is inside
/// its quotes; a doubled quote inside is left as it is, which no total row or number has).
/// False for a line the CSV parser must read: an unclosed quote or text after a closing quote.
fn split_quoted(line: &[u8], places: &mut Vec<std::ops::Range<usize>>) -> bool {
    places.clear();
    let mut at = 0;
    loop {
        // Only a field that starts with a quote is quoted (the CSV parser reads a quote after a
        // space as text).
        if line.get(at) == Some(&b'"') {
            let open = at + 1;
            let mut end = open;
            loop {
                match memchr::memchr(b'"', &line[end..]) {
                    None => return false,
                    Some(q) if line.get(end + q + 1) == Some(&b'"') => end += q + 2,
                    Some(q) => {
                        end += q;
                        break;
                    }
                }
            }
            places.push(open..end);
            match line.get(end + 1) {
                None => return true,
                Some(b',') => at = end + 2,
                Some(_) => return false,
            }
        } else {
            match memchr::memchr2(b',', b'"', &line[at..]) {
                Some(c) if line[at + c] == b'"' => return false,
                Some(c) => {
                    places.push(at..at + c);
                    at += c + 1;
                }
                None => {
                    places.push(at..line.len());
                    return true;
                }
            }
        }
    }
}

/// The totals through the CSV parser.
fn totals_by_records(mut t: CsvIn, cols: &TotalsColumns) -> Result<IterationTotals, ChartError> {
    let (exit, fund) = (Metric::ExitCostGbp.name(), Metric::FundingGbp.name());
    let mut out = IterationTotals {
        exit_cost: Vec::new(),
        funding: cols.fund.map(|_| Vec::new()),
    };
    let mut rec = ByteRecord::new();
    while t.next_byte_record(&mut rec)? {
        if rec.get(cols.org) != Some(TOTAL.as_bytes()) {
            continue;
        }
        let line = rec.position().map_or(0, |p| p.line());
        let cell = |c: usize| String::from_utf8_lossy(rec.get(c).unwrap_or(b"")).into_owned();
        out.exit_cost.push(t.number(&cell(cols.exit), line, exit)?);
        if let (Some(c), Some(f)) = (cols.fund, out.funding.as_mut()) {
            f.push(t.number(&cell(c), line, fund)?);
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
    /// The organisations' names (empty when the manifest has no `orgs` list).
    pub orgs: Vec<String>,
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
            orgs: v
                .get("orgs")
                .and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::records::parse_number;

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
        assert_eq!(s.mean(TOTAL, Metric::HeadcountStart), 1000.0);
        let ts = Timeseries::read(&dir).unwrap();
        let rr = ts.get(TOTAL, Series::RunRateGbp);
        assert_eq!(rr.len(), 36);
        assert_eq!(rr[0].0, Month::parse("2025-04").unwrap());
        assert_eq!(
            ByYear::read(&dir)
                .unwrap()
                .get(TOTAL, YearMetric::SavingsGbp)
                .len(),
            3
        );
        let sens = read_sensitivity(&dir, TOTAL).unwrap();
        assert_eq!(sens.len(), 12);
        assert!(sens
            .iter()
            .any(|s| s.exit.swing.is_finite() && s.run_rate.swing.is_finite()));
        let it = read_iteration_totals(&dir).unwrap();
        assert_eq!(it.exit_cost.len(), 200);
        assert_eq!(it.funding.map(|f| f.len()), Some(200));
        let m = Manifest::read(&dir).unwrap();
        assert_eq!(
            (m.iterations, m.deadline.label(), m.orgs),
            (200, "Mar 2027".to_string(), vec!["Example ICB".to_string()])
        );
        let e = s.require(TOTAL, Metric::TargetMet).map(|q| q.mean);
        assert_eq!(e.ok(), Some(0.97));
        let e = ts.require("Nowhere ICB", Series::TargetGbp).unwrap_err();
        assert!(
            e.to_string().contains("timeseries.csv")
                && e.to_string().contains("target_gbp")
                && e.to_string().contains("Nowhere ICB"),
            "{e}"
        );
    }

    /// A folder holding only `iterations.csv` with `text`.
    fn iterations_file(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("icbsim-it-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("iterations.csv"), text).unwrap();
        dir
    }

    /// Both readers of `dir`'s totals.
    fn both(dir: &Path) -> (Option<IterationTotals>, IterationTotals) {
        let open = || CsvIn::open(dir, "iterations.csv").unwrap();
        let t = open();
        let cols = TotalsColumns {
            org: t.column("org").unwrap(),
            exit: t.column("exit_cost_gbp").unwrap(),
            fund: t.optional_column("funding_gbp"),
            width: t.width(),
        };
        let lines = totals_by_lines(&t, &cols).unwrap();
        (lines, totals_by_records(open(), &cols).unwrap())
    }

    /// Names with commas are quoted, as icbsim writes them; the line reader takes the total rows'
    /// cells by position after them, with spaces trimmed, CRLF endings and a blank line, and
    /// agrees with the CSV parser: exit costs 10 and 20.5, funding 100 and 200.
    #[test]
    fn the_line_reader_takes_the_totals_from_quoted_rows_as_the_csv_parser_does() {
        let text = "iteration,org,exit_cost_gbp,funding_gbp\r\n\
                    0,\"Shropshire, Telford and Wrekin\",1.5,9\r\n\
                    0,total, 10 ,100\r\n\
                    \r\n\
                    1,\"Say \"\"Hi\"\", ICB\",2,9\r\n\
                    1,total,20.5,200";
        let dir = iterations_file("quoted", text);
        let (lines, records) = both(&dir);
        let want = IterationTotals {
            exit_cost: vec![10.0, 20.5],
            funding: Some(vec![100.0, 200.0]),
        };
        assert_eq!(lines, Some(want.clone()));
        assert_eq!(records, want);
        assert_eq!(read_iteration_totals(&dir).unwrap(), want);
    }

    /// A quoted field holding a newline makes one record of two lines, and a quote after a space
    /// is text to the CSV parser: the line reader gives such a file to the parser, which reads it
    /// (exit costs 3 and 4).
    #[test]
    fn a_record_over_two_lines_or_a_quote_after_a_space_goes_to_the_csv_parser() {
        for (name, odd) in [("newline", "\"North\nEast\""), ("space", " \"North East\"")] {
            let text = format!("iteration,org,exit_cost_gbp\n0,{odd},1\n0,total,3\n1,total,4\n");
            let dir = iterations_file(name, &text);
            let (lines, records) = both(&dir);
            assert_eq!(lines, None, "{name}");
            assert_eq!(records.exit_cost, [3.0, 4.0]);
            assert_eq!(read_iteration_totals(&dir).unwrap().exit_cost, [3.0, 4.0]);
        }
    }

    /// A row short of a field is the CSV parser's error; a total row whose exit cost is not a
    /// number is named by its line (4: the header is line 1) and column, as the parser would.
    #[test]
    fn a_short_row_or_a_bad_total_cell_is_named_as_the_csv_parser_names_it() {
        let dir = iterations_file("short", "iteration,org,exit_cost_gbp\n0,a,1\n0,total\n");
        let e = read_iteration_totals(&dir).unwrap_err().to_string();
        assert!(e.contains("not a valid CSV file"), "{e}");
        let text = "iteration,org,exit_cost_gbp\n0,a,1\n0,total,2\n1,total,lots\n";
        let dir = iterations_file("bad", text);
        let e = read_iteration_totals(&dir).unwrap_err();
        match e {
            ChartError::BadCell { line, column, .. } => {
                assert_eq!((line, column.as_str()), (4, "exit_cost_gbp"));
            }
            other => panic!("{other}"),
        }
        // The CSV parser names the same line.
        let t = CsvIn::open(&dir, "iterations.csv").unwrap();
        let cols = TotalsColumns {
            org: 1,
            exit: 2,
            fund: None,
            width: 3,
        };
        match totals_by_records(t, &cols).unwrap_err() {
            ChartError::BadCell { line, .. } => assert_eq!(line, 4),
            other => panic!("{other}"),
        }
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
