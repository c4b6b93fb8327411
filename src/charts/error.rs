//! The error type of the charts module. Every message names the file (or chart) concerned and
//! says what is missing or wrong, so that a user can fix the run directory or report a bug.

use std::path::PathBuf;

/// Everything that can stop [`render_run_charts`](super::render_run_charts).
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// An input file could not be opened or read.
    #[error("cannot read {path}: {source} (is this an icbsim run directory?)")]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// An input CSV file is malformed.
    #[error("{path}: not a valid CSV file: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The underlying CSV error.
        source: csv::Error,
    },
    /// A CSV file lacks a column the charts need.
    #[error("{path}: missing column `{column}` (the header must name it)")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column name.
        column: String,
    },
    /// A CSV file has no row for data a chart cannot be drawn without.
    #[error("{path}: no rows for org `{org}`, metric `{metric}`")]
    MissingRows {
        /// The file.
        path: PathBuf,
        /// The organisation (`total` for the national sum).
        org: String,
        /// The metric.
        metric: String,
    },
    /// A cell holds something that is not what the contract says.
    #[error("{path}: line {line}, column `{column}`: {problem}")]
    BadCell {
        /// The file.
        path: PathBuf,
        /// The 1-based line number in the file.
        line: u64,
        /// The column name.
        column: String,
        /// What is wrong with the value.
        problem: String,
    },
    /// manifest.json is not JSON.
    #[error("{path}: not valid JSON: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The underlying JSON error.
        source: serde_json::Error,
    },
    /// manifest.json lacks a field or has it with the wrong type.
    #[error("{path}: field `{field}` is missing or is not {expected}")]
    ManifestField {
        /// The file.
        path: PathBuf,
        /// The field name.
        field: &'static str,
        /// What the field should hold.
        expected: &'static str,
    },
    /// Drawing a chart failed (a bug: please report it with the run directory).
    #[error("drawing chart `{chart}` failed: {message}")]
    Draw {
        /// The chart's file name.
        chart: &'static str,
        /// What went wrong.
        message: String,
    },
    /// An output file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}
