//! One record type per output table: its file name, its header and its row, written by the
//! simulator and read back by the charts from the same definition.
//!
//! | file              | record                |
//! |-------------------|-----------------------|
//! | `summary.csv`     | [`SummaryRecord`]     |
//! | `timeseries.csv`  | [`TimeseriesRecord`]  |
//! | `by_year.csv`     | [`ByYearRecord`]      |
//! | `sensitivity.csv` | [`SensitivityRecord`] |
//! | `comparison.csv`  | [`ComparisonRecord`]  |
//! | `paired.csv`      | [`PairedRecord`](super::paired::PairedRecord) |
//!
//! This file holds the shared machinery (the [`Record`] trait, reading by column name, the band
//! columns); the record of each file is in `records/files.rs`.
//!
//! Writing gives each number as [`num`] prints it, so a file's bytes depend only on the values.
//! Reading goes by column name, so columns may be added or reordered without breaking a reader:
//! a column in [`Record::REQUIRED`] must be present, any other one reads as missing (NaN) when a
//! file lacks it; an empty, `NA` or `NaN` cell is NaN. A metric name that is not one of
//! [`Metric`](crate::metric::Metric), [`Series`](crate::metric::Series) or
//! [`YearMetric`](crate::metric::YearMetric) is an error ([`ReadError::UnknownMetric`]), never a
//! row silently skipped. `iterations.csv` (one column per uncertain input and per metric),
//! `workforce.csv` and `inputs.csv` are written in `output::tables`; their fixed column names
//! are here too.

use super::error::{CsvOut, OutputError};
use super::format::num;
use crate::metric::UnknownMetric;
use crate::month::Month;
use csv::StringRecord;
use std::fs::File;
use std::path::{Path, PathBuf};

/// A problem reading an output file back.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened.
    #[error("cannot read {}: {cause}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// What the system said.
        cause: std::io::Error,
    },
    /// The file is not valid CSV.
    #[error("{}: not a valid CSV file: {cause}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// What the CSV reader said.
        cause: csv::Error,
    },
    /// A column a reader needs is not in the header.
    #[error("{}: missing column `{column}` (the header must name it)", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column.
        column: &'static str,
    },
    /// A cell does not hold what the column says.
    #[error("{}: line {line}, column `{column}`: {problem}", path.display())]
    BadCell {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The column.
        column: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// A metric column names no known metric.
    #[error("{}: line {line}, column `{column}`: {cause}", path.display())]
    UnknownMetric {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The column.
        column: &'static str,
        /// The name and the nearest known one.
        cause: UnknownMetric,
    },
}

/// One row type of one output file.
pub trait Record: Sized {
    /// File name in the run directory.
    const FILE: &'static str;
    /// Column names, in the order written.
    const HEADER: &'static [&'static str];
    /// Columns a reader cannot do without.
    const REQUIRED: &'static [&'static str];
    /// The cells of this row, in [`Record::HEADER`] order.
    fn cells(&self) -> Vec<String>;
    /// Reads a row by column name.
    ///
    /// # Errors
    /// A cell that is not a number, month or metric where one is expected.
    fn from_row(row: &Row<'_>) -> Result<Self, ReadError>;
}

/// Parses a cell: empty, `NA`, `NaN` or `null` give NaN; anything else must be a number.
pub fn parse_number(text: &str) -> Option<f64> {
    match text.trim() {
        "" | "NA" | "N/A" | "NaN" | "nan" | "null" => Some(f64::NAN),
        t => t.parse().ok(),
    }
}

/// An output CSV file open for reading by column name.
pub struct CsvIn {
    /// The file.
    pub path: PathBuf,
    reader: csv::Reader<File>,
    headers: StringRecord,
}

impl CsvIn {
    /// Opens `dir/name` and reads its header.
    ///
    /// # Errors
    /// [`ReadError::Open`] or [`ReadError::Csv`].
    pub fn open(dir: &Path, name: &str) -> Result<CsvIn, ReadError> {
        let path = dir.join(name);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(cause) => return Err(ReadError::Open { path, cause }),
        };
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(file);
        match reader.headers() {
            Ok(h) => {
                let headers = h.clone();
                Ok(CsvIn {
                    path,
                    reader,
                    headers,
                })
            }
            Err(cause) => Err(ReadError::Csv { path, cause }),
        }
    }

    /// How many columns the header names.
    pub fn width(&self) -> usize {
        self.headers.len()
    }

    /// The position of a column, if the header has it.
    pub fn optional_column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The position of a column the reader needs.
    ///
    /// # Errors
    /// [`ReadError::MissingColumn`].
    pub fn column(&self, name: &'static str) -> Result<usize, ReadError> {
        self.optional_column(name)
            .ok_or_else(|| ReadError::MissingColumn {
                path: self.path.clone(),
                column: name,
            })
    }

    /// Reads the next row into `rec`; false at the end of the file.
    ///
    /// # Errors
    /// [`ReadError::Csv`].
    pub fn next_byte_record(&mut self, rec: &mut csv::ByteRecord) -> Result<bool, ReadError> {
        self.reader
            .read_byte_record(rec)
            .map_err(|cause| ReadError::Csv {
                path: self.path.clone(),
                cause,
            })
    }

    /// A number cell (see [`parse_number`]).
    ///
    /// # Errors
    /// [`ReadError::BadCell`] naming the line and column.
    pub fn number(&self, text: &str, line: u64, column: &'static str) -> Result<f64, ReadError> {
        parse_number(text).ok_or_else(|| ReadError::BadCell {
            path: self.path.clone(),
            line,
            column,
            problem: format!("`{text}` is not a number"),
        })
    }

    /// Reads every row as `R`.
    ///
    /// # Errors
    /// A missing required column, malformed CSV or a bad cell.
    pub fn records<R: Record>(mut self) -> Result<Vec<R>, ReadError> {
        for name in R::REQUIRED {
            self.column(name)?;
        }
        let cols: Vec<Option<usize>> = R::HEADER.iter().map(|h| self.optional_column(h)).collect();
        let mut out = Vec::new();
        let mut rec = StringRecord::new();
        loop {
            match self.reader.read_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => return Ok(out),
                Err(cause) => {
                    return Err(ReadError::Csv {
                        path: self.path,
                        cause,
                    })
                }
            }
            let row = Row {
                rec: &rec,
                cols: &cols,
                header: R::HEADER,
                path: &self.path,
                line: rec.position().map_or(0, |p| p.line()),
            };
            out.push(R::from_row(&row)?);
        }
    }
}

/// Reads every row of `dir/R::FILE`.
///
/// # Errors
/// As [`CsvIn::open`] and [`CsvIn::records`].
pub fn read_records<R: Record>(dir: &Path) -> Result<Vec<R>, ReadError> {
    CsvIn::open(dir, R::FILE)?.records()
}

/// Writes `rows` to `dir/R::FILE`, header first.
///
/// # Errors
/// [`OutputError`] naming the file.
pub fn write_records<R: Record + Sync>(dir: &Path, rows: &[R]) -> Result<(), OutputError> {
    use rayon::prelude::*;
    let mut out = CsvOut::create(dir, R::FILE)?;
    out.row(R::HEADER)?;
    // Rows are formatted in parallel blocks and written in order: the same bytes at any thread
    // count.
    let blocks: Vec<Vec<u8>> = rows
        .par_chunks(ROWS_PER_BLOCK)
        .map(|chunk| super::error::csv_block(chunk.iter().map(Record::cells)))
        .collect();
    for b in &blocks {
        out.block(b)?;
    }
    out.finish()
}

/// Rows formatted together by one worker in [`write_records`].
pub const ROWS_PER_BLOCK: usize = 2048;

/// One row of a file being read, with its cells found by column name.
pub struct Row<'a> {
    rec: &'a StringRecord,
    cols: &'a [Option<usize>],
    header: &'static [&'static str],
    path: &'a Path,
    line: u64,
}

impl Row<'_> {
    /// The column's name as written in the header constant, and its cell ("" when absent).
    fn cell(&self, name: &str) -> (&'static str, &str) {
        let i = self.header.iter().position(|h| *h == name);
        debug_assert!(i.is_some(), "{name} is not a column of {:?}", self.header);
        let column = i.map_or("?", |i| self.header[i]);
        let text = i
            .and_then(|i| self.cols[i])
            .and_then(|c| self.rec.get(c))
            .unwrap_or("");
        (column, text)
    }

    fn bad(&self, column: &'static str, problem: String) -> ReadError {
        ReadError::BadCell {
            path: self.path.to_path_buf(),
            line: self.line,
            column,
            problem,
        }
    }

    /// The error for a cell of column `name` that does not hold what the column says.
    pub fn invalid(&self, name: &str, problem: String) -> ReadError {
        self.bad(self.cell(name).0, problem)
    }

    /// A text cell.
    pub fn text(&self, name: &str) -> String {
        self.cell(name).1.to_string()
    }

    /// A number cell (see [`parse_number`]).
    ///
    /// # Errors
    /// [`ReadError::BadCell`].
    pub fn number(&self, name: &str) -> Result<f64, ReadError> {
        let (column, text) = self.cell(name);
        parse_number(text).ok_or_else(|| self.bad(column, format!("`{text}` is not a number")))
    }

    /// A whole-number cell.
    ///
    /// # Errors
    /// [`ReadError::BadCell`].
    pub fn integer(&self, name: &str) -> Result<u64, ReadError> {
        let (column, text) = self.cell(name);
        text.parse()
            .map_err(|_| self.bad(column, format!("`{text}` is not a whole number")))
    }

    /// An ISO month cell (`2025-04`).
    ///
    /// # Errors
    /// [`ReadError::BadCell`].
    pub fn month(&self, name: &str) -> Result<Month, ReadError> {
        let (column, text) = self.cell(name);
        Month::parse(text)
            .ok_or_else(|| self.bad(column, format!("`{text}` is not an ISO month like 2025-04")))
    }

    /// A metric-name cell, parsed by `from_name` ([`Metric::from_name`](crate::metric::Metric::from_name) and its kin).
    ///
    /// # Errors
    /// [`ReadError::UnknownMetric`].
    pub fn metric<M>(
        &self,
        name: &str,
        from_name: fn(&str) -> Result<M, UnknownMetric>,
    ) -> Result<M, ReadError> {
        let (column, text) = self.cell(name);
        from_name(text).map_err(|cause| ReadError::UnknownMetric {
            path: self.path.to_path_buf(),
            line: self.line,
            column,
            cause,
        })
    }
}

/// Mean and percentiles of one quantity across iterations: the columns `mean`, `p5` … `p95`
/// shared by `summary.csv`, `timeseries.csv` and `by_year.csv` (NaN where a file has no value).
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

/// The percentiles in the band columns, in order.
pub const BANDS: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

impl Quantiles {
    /// The column names, in order.
    pub const COLUMNS: [&'static str; 8] = ["mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95"];

    /// From the mean and the [`BANDS`] percentiles.
    pub fn new(mean: f64, bands: [f64; 7]) -> Quantiles {
        let [p5, p10, p25, p50, p75, p90, p95] = bands;
        Quantiles {
            mean,
            p5,
            p10,
            p25,
            p50,
            p75,
            p90,
            p95,
        }
    }

    fn cells(&self) -> impl Iterator<Item = String> {
        [
            self.mean, self.p5, self.p10, self.p25, self.p50, self.p75, self.p90, self.p95,
        ]
        .into_iter()
        .map(num)
    }

    fn from_row(row: &Row<'_>) -> Result<Quantiles, ReadError> {
        let mut v = [f64::NAN; 8];
        for (slot, name) in v.iter_mut().zip(Quantiles::COLUMNS) {
            *slot = row.number(name)?;
        }
        Ok(Quantiles::new(
            v[0],
            [v[1], v[2], v[3], v[4], v[5], v[6], v[7]],
        ))
    }
}

mod files;
pub use files::{
    ByYearRecord, ComparisonRecord, DecileSwing, KeyStats, SensitivityRecord, SummaryRecord,
    TimeseriesRecord, INPUTS_HEADER, STAT_COLUMNS, WORKFORCE_COST_COLUMN,
};
