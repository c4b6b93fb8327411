//! `icbsim merge`: shard directories (`icbsim run --shard K/N`) put back together.
//!
//! Checks that the shards come from one run (same version, scenario, overrides, sampling, seed,
//! iterations and staff records: the run identity) and cover `0..n` exactly once — naming what
//! differs when they do not —, reloads the scenario, checks each `shard.bin` against its SHA-256
//! and its values, and writes the outputs of the full run byte for byte, atomically.

use anyhow::Context;
use icbsim::engine::RunConfig;
use icbsim::guard;
use icbsim::output::shard::{self, ShardManifest};
use icbsim::output::{self, terminal};
use icbsim::scenario::Scenario;
use icbsim::workflow::{
    self, identity, input_error, report_breaches, Error, MergeRequest, Outcome, Staging,
    DEFAULT_NAME,
};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What every shard of one run must share, each as (what, value in words), most telling first;
/// the run identity last catches anything the others miss.
fn identity_fields(m: &ShardManifest) -> Vec<(&'static str, String)> {
    vec![
        ("icbsim version", m.icbsim_version.clone()),
        (
            "scenario file",
            m.scenario_file
                .clone()
                .unwrap_or_else(|| DEFAULT_NAME.into()),
        ),
        ("overrides", format!("{:?}", m.overrides)),
        ("sampling", m.sampling.clone()),
        ("seed", m.seed.to_string()),
        (
            "--seed",
            m.seed_option
                .map_or_else(|| "(none)".into(), |s| s.to_string()),
        ),
        ("iterations", m.iterations.to_string()),
        ("staff records of SHA-256", m.staff_sha256.clone()),
        ("scenario text of SHA-256", m.scenario_sha256.clone()),
        ("run identity", m.run_id.clone()),
    ]
}

/// `shard K (DIR)`.
fn label(dir: &Path, m: &ShardManifest) -> String {
    format!("shard {} ({})", m.shard, dir.display())
}

/// The first field the shards disagree on, in words: which shards were run with what, against
/// the value most of them share (the first shard's on a tie).
fn difference(shards: &[(PathBuf, ShardManifest)]) -> Option<String> {
    let fields: Vec<_> = shards.iter().map(|(_, m)| identity_fields(m)).collect();
    for f in 0..fields[0].len() {
        let values: Vec<&String> = fields.iter().map(|v| &v[f].1).collect();
        if values.iter().all(|v| *v == values[0]) {
            continue;
        }
        let count = |x: &String| values.iter().filter(|v| **v == x).count();
        let common =
            values.iter().copied().fold(
                values[0],
                |best, v| if count(v) > count(best) { v } else { best },
            );
        let what = fields[0][f].0;
        let odd: Vec<String> = shards
            .iter()
            .zip(&values)
            .filter(|(_, v)| **v != common)
            .map(|((dir, m), v)| format!("{} was run with {what} {v}", label(dir, m)))
            .collect();
        return Some(format!(
            "{}, the others with {what} {common}: these are shards of different runs; run them again with the same options",
            odd.join("; ")
        ));
    }
    None
}

/// The record shape of a shard's iterations.
fn shape(m: &ShardManifest) -> (usize, usize, usize, usize, usize, usize) {
    (
        m.n_values,
        m.n_orgs,
        m.n_scalars,
        m.n_series,
        m.months,
        m.years,
    )
}

/// Checks that the shards agree and cover `0..iterations` exactly once; returns them sorted.
fn check_cover(
    mut shards: Vec<(PathBuf, ShardManifest)>,
) -> Result<Vec<(PathBuf, ShardManifest)>, String> {
    let Some((_, first)) = shards.first().cloned() else {
        return Err("no shard directories given".into());
    };
    if let Some(why) = difference(&shards) {
        return Err(why);
    }
    // Empty shards (more shards than iterations) hold no records, so no shape.
    let full: Vec<_> = shards.iter().filter(|(_, m)| m.end > m.start).collect();
    if let Some((dir, m)) = full.iter().find(|(_, m)| shape(m) != shape(&full[0].1)) {
        return Err(format!(
            "{} holds records of another shape than {}; run the shards again with one icbsim",
            label(dir, m),
            label(&full[0].0, &full[0].1)
        ));
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
    workflow::print_warnings(&sc.warnings);
    if sc.sha256 != m.scenario_sha256 {
        return Err(input_error(&format!(
            "{}: the scenario (or an override) has changed since the shards were run (SHA-256 {} now, {} then); run the shards again",
            path.as_deref().map_or(DEFAULT_NAME.to_string(), |p| p.display().to_string()),
            sc.sha256,
            m.scenario_sha256
        )));
    }
    let staff = identity::staff_sha256(&sc);
    if staff != m.staff_sha256 {
        return Err(input_error(&format!(
            "the staff records have changed since the shards were run (a staff file was edited: SHA-256 {staff} now, {} then); run the shards again",
            m.staff_sha256
        )));
    }
    if m.end > m.start && (m.n_values != sc.inputs.len() || m.n_orgs != sc.orgs.len() + 1) {
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
    let first = shards
        .iter()
        .find(|(_, m)| m.end > m.start)
        .unwrap_or(&shards[0])
        .1
        .clone();
    let sc = reload(&first)?;
    let cols = guard::resolve_all(&guards, &sc).map_err(|m| input_error(&m))?;
    let out_dir = workflow::run_dir(req.output.out.as_deref(), &sc);
    let staging = Staging::begin(&out_dir)?;
    // Shards are read back one at a time, in order, into the same sink a run uses, so the merged
    // files are the unsharded run's, byte for byte.
    let mut sink = output::Sink::new(staging.path(), &sc, first.iterations)?;
    for (dir, m) in &shards {
        let bad = |e: &dyn std::fmt::Display| input_error(&format!("{}: {e}", label(dir, m)));
        // A sketched shard (of a run above the exact count) brings its series as sketches.
        let sketched = m.sketched() && m.end > m.start;
        if sketched != (sink.sketches() && m.end > m.start) {
            return Err(bad(&format!(
                "its series are {}, but a run of {} iterations {} them; run the shard again with this version",
                m.series,
                first.iterations,
                if sink.sketches() { "sketches" } else { "keeps every value of" }
            )));
        }
        if sketched {
            let part = shard::read_sketches(dir, m).map_err(|e| bad(&e))?;
            if !sink.merge_series(&part) {
                return Err(bad(&format!(
                    "{} holds {} sketches, not the {} of this scenario",
                    shard::SERIES,
                    part.len(),
                    output::sink::sketch_count(&sc)
                )));
            }
        }
        shard::read_blocks(dir, m, &mut |block| {
            let pushed = if sketched {
                sink.push_scalars(block)
            } else {
                sink.push(block)
            };
            pushed.map_err(anyhow::Error::from)
        })
        .map_err(|e| match e {
            shard::ReadError::Shard(e) => bad(&e),
            shard::ReadError::Consumer(e) => Error::Internal(e),
        })?;
    }
    let collected = sink.finish()?;
    let cfg = RunConfig {
        iterations: first.iterations,
        seed: first.seed,
        threads: 0,
        range: None,
    };
    let meta = workflow::run_meta(&sc, &cfg, &first.overrides, started);
    workflow::write_collected(staging.path(), &sc, &cfg, &collected, &meta)?;
    if !req.output.no_charts {
        workflow::draw_charts(staging.path())?;
    }
    if !req.output.no_report {
        workflow::write_board_pack(staging.path())?;
    }
    staging.commit()?;
    if !req.output.quiet {
        let table = terminal::summary_table(&sc, &collected, cfg.seed, &display(&out_dir))
            .context("cannot read back the results")?;
        print!("{table}");
    }
    let breaches =
        guard::check(&guards, &cols, &collected).context("cannot read back the results")?;
    Ok(report_breaches(&breaches, ""))
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
