//! One shard of a run (`icbsim run --shard K/N`): which iterations it covers and its shard
//! directory of raw results ([`crate::output::shard`]) for `icbsim merge` to put back together,
//! written atomically like a run directory ([`super::atomic`]).
//!
//! Shard K of N runs iterations `[K*n/N, (K+1)*n/N)`; each iteration's results depend only on
//! the seed and its index, so the shards of a run merge into the full run byte for byte.

use super::atomic::Staging;
use super::error::{input_error, Error, Outcome};
use super::identity;
use super::load::{sampling_name, with_sampling};
use super::request::RunRequest;
use super::run::default_slug;
use crate::engine::{self, RunConfig};
use crate::output::progress::Progress;
use crate::output::shard::{self, ShardManifest, FORMAT};
use crate::scenario::Scenario;
use anyhow::Context;
use std::path::PathBuf;

/// Parses `K/N` with 0 ≤ K < N.
///
/// # Errors
/// Anything else is bad input.
pub fn parse_shard(s: &str) -> Result<(u64, u64), Error> {
    let parsed = s
        .split_once('/')
        .and_then(|(k, n)| Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?)));
    match parsed {
        Some((k, n)) if n >= 1 && k < n => Ok((k, n)),
        _ => Err(input_error(&format!(
            "--shard '{s}': expected K/N with 0 <= K < N, e.g. --shard 0/4 (the first of four)"
        ))),
    }
}

/// Iterations `[K*n/N, (K+1)*n/N)` of a run of `n`.
pub fn shard_range(n: u64, k: u64, shards: u64) -> std::ops::Range<u64> {
    let at = |j: u64| (u128::from(n) * u128::from(j) / u128::from(shards)) as u64;
    at(k)..at(k + 1)
}

/// Runs shard `k` of `n` of the scenario `sc` asked for by `req` and writes its shard directory
/// (default `output/<slug>-shard-K-of-N/`).
///
/// # Errors
/// Internal failures (threads, files).
pub fn run_shard(
    req: &RunRequest,
    sc: &Scenario,
    cfg: &RunConfig,
    (k, n): (u64, u64),
) -> Result<Outcome, Error> {
    let range = cfg.range.clone().unwrap_or(0..cfg.iterations);
    let out_dir = req.output.out.clone().unwrap_or_else(|| {
        PathBuf::from("output").join(format!("{}-shard-{k}-of-{n}", default_slug(sc)))
    });
    let staging = Staging::begin(&out_dir)?;
    let progress = Progress::new(range.end - range.start, req.output.quiet, &sc.name);
    // Records are written as blocks of iterations arrive, so a shard of any size runs in bounded
    // memory.
    // A shard of a run whose series are sketched keeps its records to the inputs and scalars and
    // sketches the series itself, so its size grows by the scalars only.
    let sketched = cfg.iterations > crate::output::SERIES_EXACT_UP_TO;
    let mut writer = shard::ShardWriter::create(staging.path(), sketched.then_some(sc))?;
    engine::run_streaming(sc, cfg, &|i| progress.inc(i), &mut |b| writer.write(b))
        .context("cannot start worker threads")??;
    progress.finish();
    writer.finish(&shard_manifest(req, sc, cfg, (k, n)))?;
    staging.commit()?;
    if !req.output.quiet {
        println!(
            "{}: shard {k}/{n}, iterations {}..{} of {}, in {}",
            sc.name,
            range.start,
            range.end,
            cfg.iterations,
            out_dir.display()
        );
    }
    Ok(Outcome::Success)
}

/// What a shard directory records about its run, so `merge` can check and reload it (the
/// record shape and SHA-256 are filled in by [`shard::ShardWriter::finish`]).
fn shard_manifest(
    req: &RunRequest,
    sc: &Scenario,
    cfg: &RunConfig,
    (k, n): (u64, u64),
) -> ShardManifest {
    let range = cfg.range.clone().unwrap_or(0..cfg.iterations);
    ShardManifest {
        format: FORMAT.to_string(),
        icbsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_file: req.scenario.as_ref().map(|p| p.display().to_string()),
        scenario_path: req
            .scenario
            .as_ref()
            .and_then(|p| std::fs::canonicalize(p).ok())
            .map(|p| p.display().to_string()),
        scenario_sha256: sc.sha256.clone(),
        // The `--sampling` choice too: the scenario's hash includes it, so merge must reload
        // with it.
        overrides: with_sampling(&req.overrides, req.sampling),
        sampling: sampling_name(sc.sampling).to_string(),
        staff_sha256: identity::staff_sha256(sc),
        run_id: identity::run_id(sc, cfg),
        seed_option: req.settings.seed,
        seed: cfg.seed,
        iterations: cfg.iterations,
        shard: k,
        shards: n,
        start: range.start,
        end: range.end,
        // The record shape and the data's hash are set by the writer.
        n_values: 0,
        n_orgs: 0,
        n_scalars: 0,
        n_series: 0,
        months: 0,
        years: 0,
        data_sha256: String::new(),
        series: String::new(),
        series_sha256: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_iteration_once() {
        let parts: Vec<_> = (0..3).map(|k| shard_range(10, k, 3)).collect();
        assert_eq!(parts, vec![0..3, 3..6, 6..10]);
    }

    #[test]
    fn shard_must_be_k_of_n_with_k_below_n() {
        assert_eq!(parse_shard("1/4").unwrap(), (1, 4));
        for bad in ["4/4", "1", "a/b", "0/0"] {
            assert_eq!(parse_shard(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }
}
