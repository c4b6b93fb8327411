//! Output files: the tidy CSVs, the manifest and the terminal summary.
//!
//! The column names written here are the contract documented in the README. Every file is written
//! from results already collected in iteration order, so its bytes depend only on the scenario,
//! seed and iteration count — never on threads or timing (timestamps live in `manifest.json` only).

pub mod compare;
pub mod compare_chart;
pub mod format;
pub mod progress;
pub mod shard;
mod tables;
pub mod terminal;

pub use tables::{
    csv_writer, sensitivity_rows, summary_records, write_run, RunMeta, SensitivityRow,
    SENSITIVITY_OUTPUTS, SUMMARY_HEADER,
};
