//! Output files: the tidy CSVs, the manifest and the terminal summary.
//!
//! The column names written here are the contract documented in the README. Every file is written
//! from results already collected in iteration order, so its bytes depend only on the scenario,
//! seed and iteration count — never on threads or timing (timestamps live in `manifest.json` only).

pub mod format;
pub mod progress;
mod tables;
pub mod terminal;

pub use tables::{sensitivity_rows, write_run, RunMeta, SensitivityRow, SENSITIVITY_OUTPUTS};
