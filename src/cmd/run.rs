//! `icbsim run`: one scenario (or the embedded national default) simulated and written as a run
//! directory, optionally to a target precision or as one shard of a larger run. The directory
//! is checked and locked before simulating and put in place whole when finished
//! ([`icbsim::workflow::atomic`]).

use anyhow::Context;
use icbsim::engine::{self, RunConfig};
use icbsim::guard::{self, Guard};
use icbsim::output::{self, progress::Progress};
use icbsim::scenario::Scenario;
use icbsim::workflow::shard::{parse_shard, run_shard, shard_range};
use icbsim::workflow::{
    self, input_error, report_breaches, run_config, Error, Outcome, RunRequest, Staging,
};
use std::time::Instant;

/// The options of a run, checked before anything is loaded.
struct Checked {
    guards: Vec<Guard>,
    shard: Option<(u64, u64)>,
    precision: Option<f64>,
}

/// Checks the guards, the shard and the precision options, in that order.
fn check(req: &RunRequest) -> Result<Checked, Error> {
    let guards = guard::parse_all(&req.fail_if).map_err(|m| input_error(&m))?;
    let shard = req.shard.as_deref().map(parse_shard).transpose()?;
    if shard.is_some() && !guards.is_empty() {
        return Err(input_error(
            "--fail-if cannot judge one shard; give it to `icbsim merge` instead",
        ));
    }
    let precision = match req.precision {
        Some(p) if !(p > 0.0 && p < 1.0) => {
            return Err(input_error(&format!(
                "--precision {p}: give a share between 0 and 1, e.g. 0.01 for 1%"
            )));
        }
        Some(_) if shard.is_some() => {
            return Err(input_error(
                "--precision decides the iteration count as it goes; it cannot be sharded",
            ));
        }
        Some(_) if !(2..=workflow::run::MAX_ITERATIONS).contains(&req.block) => {
            return Err(input_error(&format!(
                "--block {}: give 2 to {} iterations per block",
                req.block,
                workflow::run::MAX_ITERATIONS
            )))
        }
        p => p,
    };
    Ok(Checked {
        guards,
        shard,
        precision,
    })
}

/// Runs the request: a shard directory with `shard`, else a full run directory.
///
/// # Errors
/// Bad options, scenario or overrides are bad input (nothing written); thread and file failures
/// are internal.
pub fn run(req: &RunRequest) -> Result<Outcome, Error> {
    let started = Instant::now();
    let checked = check(req)?;
    workflow::check_settings(&req.settings)?;
    let overrides = workflow::with_sampling(&req.overrides, req.sampling);
    let sc = workflow::load(req.scenario.as_deref(), &overrides, req.settings.seed)?;
    workflow::print_warnings(&sc.warnings);
    let cols = guard::resolve_all(&checked.guards, &sc).map_err(|m| input_error(&m))?;
    let mut settings = req.settings;
    if checked.precision.is_some() {
        settings.iterations = Some(req.settings.iterations.unwrap_or(100_000));
    }
    let mut cfg = run_config(&sc, &settings)?;
    if let Some((k, n)) = checked.shard {
        cfg.range = Some(shard_range(cfg.iterations, k, n));
        return run_shard(req, &sc, &cfg, (k, n));
    }
    let out_dir = workflow::run_dir(req.output.out.as_deref(), &sc);
    let staging = Staging::begin(&out_dir)?;
    let progress = Progress::new(cfg.iterations, req.output.quiet, &sc.name);
    let (collected, stop_reason) = match checked.precision {
        Some(relative) => {
            // The count is not known in advance: the sink keeps series exactly and sketches them
            // if the run passes the exact count, as a run of that count would.
            let mut sink = output::Sink::new(staging.path(), &sc, 0)?;
            let why = to_precision(req, &sc, &mut cfg, relative, &progress, &mut sink)?;
            (sink.finish()?, Some(why))
        }
        None => {
            let c = workflow::simulate_into(staging.path(), &sc, &cfg, &progress)?;
            progress.finish();
            (c, None)
        }
    };
    let t_sim = started.elapsed().as_secs_f64();
    let mut meta = workflow::run_meta(&sc, &cfg, &overrides, started);
    meta.stop_reason = stop_reason;
    for note in &meta.correlation_repairs {
        eprintln!("note: {note}");
    }
    workflow::write_collected(staging.path(), &sc, &cfg, &collected, &meta)?;
    let t_files = started.elapsed().as_secs_f64();
    if !req.output.no_charts {
        workflow::draw_charts(staging.path())?;
    }
    let t_charts = started.elapsed().as_secs_f64();
    if !req.output.no_report {
        workflow::write_board_pack(staging.path())?;
    }
    staging.commit()?;
    if std::env::var_os("ICBSIM_TIMING").is_some() {
        let t_all = started.elapsed().as_secs_f64();
        let (spilled, sketch) = collected.footprint();
        eprintln!(
            "timing: load+simulate {t_sim:.2}s, statistics+files {:.2}s, charts {:.2}s, report+workbook {:.2}s; spilled to disk: {}, sketches {:.1} MB",
            t_files - t_sim,
            t_charts - t_files,
            t_all - t_charts,
            if spilled { "yes" } else { "no" },
            sketch as f64 / 1e6
        );
    }
    if !req.output.quiet {
        let shown = out_dir.display().to_string();
        let table = output::terminal::summary_table(&sc, &collected, cfg.seed, &shown)
            .context("cannot read back the results")?;
        print!("{table}");
    }
    let breaches =
        guard::check(&checked.guards, &cols, &collected).context("cannot read back the results")?;
    Ok(report_breaches(&breaches, ""))
}

/// Adds blocks of iterations into `sink` until `relative` precision is reached (setting
/// `cfg.iterations` to the count run); returns why it stopped.
fn to_precision(
    req: &RunRequest,
    sc: &Scenario,
    cfg: &mut RunConfig,
    relative: f64,
    progress: &Progress,
    sink: &mut output::Sink,
) -> Result<String, Error> {
    let p = engine::Precision {
        relative,
        block: req.block,
        max_iterations: cfg.iterations,
    };
    let why =
        engine::run_to_precision_into(sc, cfg.seed, cfg.threads, p, &|n| progress.inc(n), sink)
            .context("cannot start worker threads")??;
    cfg.iterations = sink.iterations() as u64;
    progress.finish();
    if !req.output.quiet {
        eprintln!("{why}");
    }
    Ok(why)
}
