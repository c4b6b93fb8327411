//! Running a loaded scenario and writing its run directory: the run configuration from the
//! request and the scenario, the engine call, the CSVs and manifest, and the charts.

use super::error::Error;
use super::request::RunSettings;
use crate::engine::{self, IterationOutput, RunConfig};
use crate::output::{self, progress::Progress, RunMeta};
use crate::scenario::Scenario;
use anyhow::Context;
use std::path::{Path, PathBuf};

/// Iteration count, seed and threads for a scenario: the request's, else the scenario's.
///
/// # Errors
/// Zero iterations is bad input.
pub fn run_config(sc: &Scenario, settings: &RunSettings) -> Result<RunConfig, Error> {
    let iterations = settings.iterations.unwrap_or(u64::from(sc.iterations));
    if iterations == 0 {
        return Err(Error::Input(
            "--iterations must be at least 1; nothing was written.".into(),
        ));
    }
    Ok(RunConfig {
        iterations,
        seed: settings.seed.unwrap_or(sc.seed),
        threads: settings.threads.unwrap_or(0),
        range: None,
    })
}

/// Runs one loaded scenario (all iterations), calling `progress` as iterations finish.
///
/// # Errors
/// Zero iterations is bad input; worker threads that cannot start are internal.
pub fn simulate(
    sc: &Scenario,
    settings: &RunSettings,
    progress: &Progress,
) -> Result<(RunConfig, Vec<IterationOutput>), Error> {
    let cfg = run_config(sc, settings)?;
    let results =
        engine::run(sc, &cfg, &|n| progress.inc(n)).context("cannot start worker threads")?;
    Ok((cfg, results))
}

/// The run directory: `out` if given, else `output/<scenario-slug>/`.
pub fn run_dir(out: Option<&Path>, sc: &Scenario) -> PathBuf {
    out.map_or_else(|| PathBuf::from("output").join(&sc.slug), Path::to_path_buf)
}

/// Writes every CSV and the manifest of a run into `out_dir`, creating it.
///
/// # Errors
/// When the directory or a file cannot be written.
pub fn write_files(
    out_dir: &Path,
    sc: &Scenario,
    results: &[IterationOutput],
    meta: &RunMeta,
) -> Result<(), Error> {
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    output::write_run(out_dir, sc, results, meta)?;
    Ok(())
}

/// Draws the charts of the run directory `out_dir` from its CSVs.
///
/// # Errors
/// When a chart cannot be drawn or written.
pub fn draw_charts(out_dir: &Path) -> Result<(), Error> {
    crate::charts::render_run_charts(out_dir).context("cannot draw the charts")?;
    Ok(())
}

/// Writes every CSV, the manifest and (unless `no_charts`) the charts of a run into `out_dir`.
///
/// # Errors
/// When a file cannot be written or a chart cannot be drawn.
pub fn write_outputs(
    out_dir: &Path,
    sc: &Scenario,
    results: &[IterationOutput],
    meta: &RunMeta,
    no_charts: bool,
) -> Result<(), Error> {
    write_files(out_dir, sc, results, meta)?;
    if !no_charts {
        draw_charts(out_dir)?;
    }
    Ok(())
}
