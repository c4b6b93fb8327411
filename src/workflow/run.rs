//! Running a loaded scenario and writing its run directory: the run configuration from the
//! request and the scenario (with the bounds of iterations, threads and blocks), the engine
//! call, the default folder name, the CSVs and manifest, and the charts.

use super::error::{input_error, Error};
use super::request::{OutputOptions, RunSettings};
use crate::engine::{self, IterationOutput, RunConfig};
use crate::output::{self, progress::Progress, RunMeta};
use crate::scenario::{slugify, Scenario};
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The most iterations a run may have (as a scenario file's `iterations`).
pub const MAX_ITERATIONS: u64 = 10_000_000;
/// The most worker threads a run may ask for.
pub const MAX_THREADS: usize = 1024;

/// Checks the iterations and threads asked for on the command line: iterations
/// 1..=[`MAX_ITERATIONS`], threads 1..=[`MAX_THREADS`].
///
/// # Errors
/// Bad input naming the option and its bounds.
pub fn check_settings(settings: &RunSettings) -> Result<(), Error> {
    if let Some(n) = settings.iterations {
        check_iterations(n)?;
    }
    match settings.threads {
        Some(t) if t == 0 || t > MAX_THREADS => Err(input_error(&format!(
            "--threads {t}: give 1 to {MAX_THREADS} worker threads (leave it out for one per core)"
        ))),
        _ => Ok(()),
    }
}

/// Checks an iteration count is 1..=[`MAX_ITERATIONS`].
///
/// # Errors
/// Bad input naming the bounds.
pub fn check_iterations(n: u64) -> Result<(), Error> {
    if (1..=MAX_ITERATIONS).contains(&n) {
        Ok(())
    } else {
        Err(input_error(&format!(
            "--iterations {n}: give 1 to {MAX_ITERATIONS} iterations (as a scenario's `iterations`); split bigger runs with --shard K/N"
        )))
    }
}

/// Iteration count, seed and threads for a scenario: the request's, else the scenario's.
///
/// # Errors
/// Iterations outside 1..=[`MAX_ITERATIONS`] or threads outside 1..=[`MAX_THREADS`] are bad
/// input.
pub fn run_config(sc: &Scenario, settings: &RunSettings) -> Result<RunConfig, Error> {
    check_settings(settings)?;
    let iterations = settings.iterations_for(sc);
    check_iterations(iterations)?;
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

/// Runs every iteration of `cfg` (or its shard range), streaming them into a
/// [`output::Sink`] that writes `iterations.csv` into `out_dir` as they arrive and keeps what the
/// statistics need in bounded memory.
///
/// # Errors
/// Worker threads that cannot start, or a file that cannot be written, are internal.
pub fn simulate_into<'a>(
    out_dir: &Path,
    sc: &'a Scenario,
    cfg: &RunConfig,
    progress: &Progress,
) -> Result<output::Collected<'a>, Error> {
    let range = cfg.range.clone().unwrap_or(0..cfg.iterations);
    let mut sink = output::Sink::new(out_dir, sc, range.end - range.start)?;
    engine::run_streaming(sc, cfg, &|n| progress.inc(n), &mut |b| sink.push(b))
        .context("cannot start worker threads")??;
    Ok(sink.finish()?)
}

/// Writes the statistics tables, `workforce.csv`, `inputs.csv` and the manifest (with the run's
/// identity) of a run whose iterations a sink has `collected` into `out_dir`.
///
/// # Errors
/// When a file cannot be written or spilled values cannot be read back.
pub fn write_collected(
    out_dir: &Path,
    sc: &Scenario,
    cfg: &RunConfig,
    collected: &output::Collected,
    meta: &RunMeta,
) -> Result<(), Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .context("cannot start worker threads")?;
    pool.install(|| {
        let tables = output::statistics(collected)?;
        output::write_tables(out_dir, sc, &tables, meta)
    })?;
    super::identity::stamp_manifest(out_dir, sc, cfg)?;
    Ok(())
}

/// The run directory: `out` if given, else `output/<default_slug>/`.
pub fn run_dir(out: Option<&Path>, sc: &Scenario) -> PathBuf {
    out.map_or_else(
        || PathBuf::from("output").join(default_slug(sc)),
        Path::to_path_buf,
    )
}

/// The folder name of a scenario's default outputs: its slug when its name has letters or
/// digits; otherwise (a name such as `..`, `.` or `£££`) the slug of the file's stem (or
/// `scenario`) with the first 8 hex digits of the name's SHA-256, so that distinct names never
/// share a folder.
pub fn default_slug(sc: &Scenario) -> String {
    if sc.name.chars().any(|c| c.is_ascii_alphanumeric()) {
        return sc.slug.clone();
    }
    let stem = sc
        .file
        .as_ref()
        .and_then(|f| f.file_stem())
        .map_or_else(|| "scenario".to_string(), |s| slugify(&s.to_string_lossy()));
    let h = Sha256::digest(sc.name.as_bytes());
    format!("{stem}-{}", super::atomic::hex(&h[..4]))
}

/// Draws the charts of the run directory `out_dir` from its CSVs.
///
/// # Errors
/// When a chart cannot be drawn or written.
pub fn draw_charts(out_dir: &Path) -> Result<(), Error> {
    crate::charts::render_run_charts(out_dir).context("cannot draw the charts")?;
    Ok(())
}

/// Writes the board pack of the run directory `out_dir` from its files: `report.html` and
/// `results.xlsx` (after the charts, which both embed).
///
/// # Errors
/// When a run file cannot be read back or the report or workbook cannot be written.
pub fn write_board_pack(out_dir: &Path) -> Result<(), Error> {
    crate::report::write_report(out_dir).context("cannot write the report")?;
    crate::workbook::write_workbook(out_dir).context("cannot write the workbook")?;
    Ok(())
}

/// Runs `sc` under `cfg` into the run folder `dir` as a member of a set (a batch's scenario, a
/// comparison's option): streams it into a sink, writes its tables and manifest (started at
/// `started`, with `overrides`), then its charts and board pack as `output` asks. Returns what
/// the sink kept, for the set's own statistics.
///
/// # Errors
/// Worker threads that cannot start, or a file that cannot be written, are internal.
#[allow(clippy::too_many_arguments)]
pub fn run_folder<'a>(
    dir: &Path,
    sc: &'a Scenario,
    cfg: &RunConfig,
    overrides: &[String],
    output: &OutputOptions,
    progress: &Progress,
    started: std::time::Instant,
) -> Result<output::Collected<'a>, Error> {
    let collected = simulate_into(dir, sc, cfg, progress)?;
    let meta = super::run_meta(sc, cfg, overrides, started);
    write_collected(dir, sc, cfg, &collected, &meta)?;
    if !output.no_charts {
        draw_charts(dir)?;
    }
    if !output.no_report {
        write_board_pack(dir)?;
    }
    Ok(collected)
}
