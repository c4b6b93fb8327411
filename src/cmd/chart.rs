//! `icbsim chart`: redraw the charts of an earlier run directory from its CSVs, without
//! re-simulating, and rebuild its board pack (`report.html`, `results.xlsx`) around them. The
//! new `charts/` is drawn beside the run and replaces the old one whole, so stale charts go and
//! a failure leaves the old charts as they were; the report and workbook are each replaced by a
//! rename, once the charts they embed are drawn.

use icbsim::charts::{self, ChartError};
use icbsim::workflow::{self, input_error, Error, Outcome};
use std::path::Path;

/// Draws the charts of `dir` (and, unless `no_report`, rebuilds its report and workbook) and
/// prints each file written.
///
/// # Errors
/// A folder that is not a run directory, or whose files are missing or malformed, is bad input
/// (charts read everything before writing anything); failing to draw or write is internal.
pub fn chart(dir: &Path, no_report: bool) -> Result<Outcome, Error> {
    if !dir.join("summary.csv").is_file() {
        return Err(Error::Input(format!(
            "{}: not a run directory (no summary.csv); give a folder written by `icbsim run`",
            dir.display()
        )));
    }
    // `icbsim chart .` names the run by its full path, so it can be swapped beside itself.
    let canonical;
    let dir = if dir.file_name().is_none() {
        canonical = std::fs::canonicalize(dir).map_err(|e| {
            input_error(&format!(
                "{}: cannot read the directory: {e}",
                dir.display()
            ))
        })?;
        canonical.as_path()
    } else {
        dir
    };
    let (files, pack) = workflow::atomic::redraw_charts(dir, |tmp| {
        let files = draw(tmp, dir)?;
        let pack = if no_report {
            Vec::new()
        } else {
            board_pack(tmp, dir)?
        };
        Ok((files, pack))
    })?;
    for f in pack {
        println!("{}", f.display());
    }
    for f in files {
        // Name the files as they are now, in `dir`, not in the temporary copy.
        println!(
            "{}",
            dir.join("charts")
                .join(f.file_name().unwrap_or_default())
                .display()
        );
    }
    Ok(Outcome::Success)
}

/// Builds the report and workbook of `tmp` (the copy with the new charts) and moves each into
/// `dir` by a rename; returns their paths in `dir`.
fn board_pack(tmp: &Path, dir: &Path) -> Result<Vec<std::path::PathBuf>, Error> {
    let built = [
        icbsim::report::write_report(tmp),
        icbsim::workbook::write_workbook(tmp),
    ];
    let mut moved = Vec::new();
    for b in built {
        let from = b.map_err(|e| {
            let msg = e
                .to_string()
                .replace(&tmp.display().to_string(), &dir.display().to_string());
            if e.is_bad_input() {
                input_error(&msg)
            } else {
                Error::Internal(anyhow::anyhow!(msg))
            }
        })?;
        let to = dir.join(from.file_name().unwrap_or_default());
        std::fs::rename(&from, &to).map_err(|e| {
            Error::Internal(anyhow::anyhow!("cannot put {} in place: {e}", to.display()))
        })?;
        moved.push(to);
    }
    Ok(moved)
}

/// Draws the charts of the run directory `tmp` (a temporary copy of the files of `dir`); a
/// problem is reported in `dir`.
fn draw(tmp: &Path, dir: &Path) -> Result<Vec<std::path::PathBuf>, Error> {
    match charts::render_run_charts(tmp) {
        Err(
            e @ (ChartError::Read { .. }
            | ChartError::Csv { .. }
            | ChartError::MissingColumn { .. }
            | ChartError::MissingRows { .. }
            | ChartError::BadCell { .. }
            | ChartError::Json { .. }
            | ChartError::ManifestField { .. }),
        ) => Err(input_error(
            &e.to_string()
                .replace(&tmp.display().to_string(), &dir.display().to_string()),
        )),
        Err(e) => Err(anyhow::Error::from(e)
            .context("cannot draw the charts")
            .into()),
        Ok(f) => Ok(f),
    }
}
