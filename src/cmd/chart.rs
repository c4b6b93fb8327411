//! `icbsim chart`: redraw the charts of an earlier run directory from its CSVs, without
//! re-simulating.

use icbsim::charts::{self, ChartError};
use icbsim::workflow::{input_error, Error, Outcome};
use std::path::Path;

/// Draws the charts of `dir` and prints each file written.
///
/// # Errors
/// A folder that is not a run directory, or whose files are missing or malformed, is bad input
/// (charts read everything before writing anything); failing to draw or write is internal.
pub fn chart(dir: &Path) -> Result<Outcome, Error> {
    if !dir.join("summary.csv").is_file() {
        return Err(Error::Input(format!(
            "{}: not a run directory (no summary.csv); give a folder written by `icbsim run`",
            dir.display()
        )));
    }
    let files = match charts::render_run_charts(dir) {
        Ok(f) => f,
        Err(
            e @ (ChartError::Read { .. }
            | ChartError::Csv { .. }
            | ChartError::MissingColumn { .. }
            | ChartError::MissingRows { .. }
            | ChartError::BadCell { .. }
            | ChartError::Json { .. }
            | ChartError::ManifestField { .. }),
        ) => return Err(input_error(&e.to_string())),
        Err(e) => {
            return Err(anyhow::Error::from(e)
                .context("cannot draw the charts")
                .into())
        }
    };
    for f in files {
        println!("{}", f.display());
    }
    Ok(Outcome::Success)
}
