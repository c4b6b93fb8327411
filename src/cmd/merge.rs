//! `icbsim merge`: shard directories (`icbsim run --shard K/N`) put back together.
//!
//! Checks that the shards come from the same scenario, overrides, seed and iteration count and
//! cover `0..n` exactly once, reloads the scenario, and writes the outputs of the full run byte
//! for byte.

use icbsim::engine::RunConfig;
use icbsim::guard;
use icbsim::output::shard::{self, ShardManifest};
use icbsim::output::terminal;
use icbsim::scenario::Scenario;
use icbsim::workflow::{
    self, input_error, report_breaches, Error, MergeRequest, Outcome, DEFAULT_NAME,
};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The fields that every shard of one run must share.
fn run_identity(m: &ShardManifest) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        &m.scenario_file,
        &m.scenario_sha256,
        &m.overrides,
        m.seed_option,
        m.seed,
        m.iterations,
        (
            m.n_values,
            m.n_orgs,
            m.n_scalars,
            m.n_series,
            m.months,
            m.years,
        ),
    )
}

/// Checks that the shards agree and cover `0..iterations` exactly once; returns them sorted.
fn check_cover(
    mut shards: Vec<(PathBuf, ShardManifest)>,
) -> Result<Vec<(PathBuf, ShardManifest)>, String> {
    let Some((first_dir, first)) = shards.first().cloned() else {
        return Err("no shard directories given".into());
    };
    for (dir, m) in &shards {
        if run_identity(m) != run_identity(&first) {
            return Err(format!(
                "{} and {} are shards of different runs (scenario file, scenario hash, overrides, seed or iterations differ)",
                first_dir.display(),
                dir.display()
            ));
        }
    }
    shards.sort_by_key(|(_, m)| (m.start, m.end));
    let mut at = 0;
    for (dir, m) in &shards {
        if m.start != at {
            return Err(if m.start < at {
                format!(
                    "{} (iterations {}..{}) overlaps another shard: iteration {} is covered twice",
                    dir.display(),
                    m.start,
                    m.end,
                    m.start
                )
            } else {
                format!("iterations {at}..{} are in no shard given", m.start)
            });
        }
        at = m.end;
    }
    if at != first.iterations {
        return Err(format!(
            "iterations {at}..{} are in no shard given",
            first.iterations
        ));
    }
    Ok(shards)
}

/// Reloads the scenario the shards were run on and checks it has not changed.
fn reload(m: &ShardManifest) -> Result<Scenario, Error> {
    let path = m.scenario_file.as_ref().map(|given| {
        let p = PathBuf::from(given);
        match &m.scenario_path {
            Some(abs) if !p.is_file() => PathBuf::from(abs),
            _ => p,
        }
    });
    let sc = workflow::load(path.as_deref(), &m.overrides, m.seed_option)?;
    if sc.sha256 != m.scenario_sha256 {
        return Err(input_error(&format!(
            "{}: the scenario (or an override) has changed since the shards were run (SHA-256 {} now, {} then); run the shards again",
            path.as_deref().map_or(DEFAULT_NAME.to_string(), |p| p.display().to_string()),
            sc.sha256,
            m.scenario_sha256
        )));
    }
    if m.n_values != sc.inputs.len() || m.n_orgs != sc.orgs.len() + 1 {
        return Err(input_error(
            "the shards' records do not match the scenario's inputs and organisations; run the shards again with this icbsim",
        ));
    }
    Ok(sc)
}

/// `icbsim merge SHARD_DIRS... --out DIR`.
///
/// # Errors
/// Bad input (exit 2) when a shard cannot be read, shards disagree or do not cover the run, or
/// the scenario changed; internal errors when outputs cannot be written.
pub fn merge(req: &MergeRequest) -> Result<Outcome, Error> {
    let started = Instant::now();
    let guards = guard::parse_all(&req.fail_if).map_err(|m| input_error(&m))?;
    let mut shards = Vec::new();
    let mut bad = Vec::new();
    for dir in &req.shards {
        match shard::read_manifest(dir) {
            Ok(m) => shards.push((dir.clone(), m)),
            Err(e) => bad.push(e.to_string()),
        }
    }
    if !bad.is_empty() {
        return Err(input_error(&bad.join("\n")));
    }
    let shards = check_cover(shards).map_err(|m| input_error(&m))?;
    let first = shards[0].1.clone();
    let sc = reload(&first)?;
    let cols = guard::resolve_all(&guards, &sc).map_err(|m| input_error(&m))?;
    let mut results = Vec::with_capacity(first.iterations as usize);
    for (dir, m) in &shards {
        results.extend(shard::read_data(dir, m).map_err(|e| input_error(&e.to_string()))?);
    }
    let cfg = RunConfig {
        iterations: first.iterations,
        seed: first.seed,
        threads: 0,
        range: None,
    };
    let out_dir = workflow::run_dir(req.output.out.as_deref(), &sc);
    let meta = workflow::run_meta(&sc, &cfg, &first.overrides, started);
    workflow::write_outputs(&out_dir, &sc, &results, &meta, req.output.no_charts)?;
    if !req.output.quiet {
        print!(
            "{}",
            terminal::summary_table(&sc, &results, cfg.seed, &display(&out_dir))
        );
    }
    Ok(report_breaches(&guard::check(&guards, &cols, &results), ""))
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
