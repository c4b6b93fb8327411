//! Output files: the tidy CSVs, the manifest and the terminal summary.
//!
//! The column names written here are the contract documented in the README; each table's header
//! and row are one type in [`records`], shared with the chart reader. Iterations reach the
//! [`sink`] in blocks, in iteration order, and every file is written from what it kept, so its
//! bytes depend only on the scenario, seed and iteration count — never on threads, blocks, shards
//! or timing (timestamps live in `manifest.json` only).
//! A file that cannot be written is an [`OutputError`] naming it.

pub mod compare;
mod error;
pub mod format;
mod iterations;
pub mod paired;
pub mod progress;
pub mod records;
pub mod room;
mod sensitivity;
pub mod shard;
pub mod sink;
mod statistics;
pub mod store;
mod tables;
pub mod terminal;

pub use error::{CsvOut, OutputError};
pub use sensitivity::{sensitivity_rows, SENSITIVITY_OUTPUTS};
pub use sink::{Collected, Sink, SERIES_EXACT_UP_TO};
pub use statistics::{statistics, summary_records, summary_rows, Tables, SUMMARY_HEADER};
pub use tables::{csv_writer, write_tables, RunMeta};
