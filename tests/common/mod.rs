//! Helpers shared by the integration tests (issue 8).
//!
//! Each file under `tests/` is its own crate, so it says `mod common;` and uses what it needs
//! from here; this file is in a directory so that cargo does not build it as a test of its own.
//! A given test crate uses only some of these helpers, hence the `dead_code` allowance.

#![allow(dead_code)]

use assert_cmd::Command;
use icbsim::engine::{self, IterationOutput, RunConfig};
use icbsim::scenario::{load, LoadOptions, Scenario};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

/// The repository root (where Cargo.toml is).
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `tests/fixtures/`, e.g. `fixture("bad/typo.toml")`.
pub fn fixture(rel: &str) -> PathBuf {
    manifest_dir().join("tests").join("fixtures").join(rel)
}

/// A path as a `String`, for building argument lists.
pub fn s(p: &Path) -> String {
    p.display().to_string()
}

/// A fresh temporary directory, removed when dropped.
pub fn tmp() -> TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// What one run of the binary did.
pub struct Out {
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

/// How to start the binary, beyond what every run gets (`RUST_BACKTRACE=0`, `cwd`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Env {
    /// Remove the `CI` variable from the environment, so progress output does not depend on
    /// whether the tests run on a CI runner.
    pub remove_ci: bool,
    /// Kill the run and fail the test after this long (a hang fails instead of blocking).
    pub timeout: Option<Duration>,
}

/// Runs `icbsim ARGS` with `cwd` as the current directory and `RUST_BACKTRACE=0`, set up as
/// `env` says.
pub fn icbsim_in<I, S>(env: Env, cwd: &Path, args: I) -> Out
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut cmd = Command::cargo_bin("icbsim").expect("the icbsim binary is built");
    cmd.env("RUST_BACKTRACE", "0");
    if env.remove_ci {
        cmd.env_remove("CI");
    }
    cmd.current_dir(cwd);
    if let Some(t) = env.timeout {
        cmd.timeout(t);
    }
    let out = cmd.args(args).output().expect("icbsim runs");
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `icbsim ARGS` with `cwd` as the current directory and `RUST_BACKTRACE=0`, inheriting the
/// rest of the environment (`CI` included) and with no time limit.
pub fn icbsim<I, S>(cwd: &Path, args: I) -> Out
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    icbsim_in(Env::default(), cwd, args)
}

/// Like [`icbsim`], but without the `CI` variable in the environment.
pub fn icbsim_without_ci<I, S>(cwd: &Path, args: I) -> Out
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let env = Env {
        remove_ci: true,
        ..Env::default()
    };
    icbsim_in(env, cwd, args)
}

/// Like [`icbsim`], but killed (failing the test) after `limit`.
pub fn icbsim_timed<I, S>(limit: Duration, cwd: &Path, args: I) -> Out
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let env = Env {
        timeout: Some(limit),
        ..Env::default()
    };
    icbsim_in(env, cwd, args)
}

/// A text file's contents; panics with the path when it cannot be read.
pub fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// The `manifest.json` of run directory `dir`, parsed.
pub fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&dir.join("manifest.json"))).unwrap()
}

/// A CSV file as header + rows of cells, split on commas (for the files icbsim writes without
/// quoted commas).
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect());
    let header = lines.next().expect("a header");
    (header, lines.collect())
}

/// Every file under `dir`, recursively, as full paths, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Every file under `dir`, recursively, as paths relative to `dir`, sorted as strings.
pub fn rel_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = files_under(dir)
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    out.sort();
    out
}

/// The names of the entries directly in `dir` (not recursive), sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Asserts that each of `rel` (paths relative to both directories) has the same bytes in `a` as
/// in `b`.
#[track_caller]
pub fn assert_same_files<P: AsRef<Path>>(a: &Path, b: &Path, rel: &[P]) {
    for r in rel {
        let r = r.as_ref();
        assert!(
            fs::read(a.join(r)).unwrap() == fs::read(b.join(r)).unwrap(),
            "{} differs",
            r.display()
        );
    }
}

/// Loads and validates the scenario fixture `rel` (under `tests/fixtures/`) through the library,
/// with `overrides` (`PATH=VALUE`) applied and the scenario's own seed; panics with the problems.
pub fn load_fixture(rel: &str, overrides: &[&str]) -> Scenario {
    let opts = LoadOptions {
        overrides: overrides.iter().map(|s| s.to_string()).collect(),
        seed: None,
    };
    load(&fixture(rel), &opts).unwrap_or_else(|p| panic!("{p}"))
}

/// Runs the engine on `sc` for `iterations` iterations on `threads` threads, with the
/// scenario's seed, all iterations, and no progress reporting.
pub fn run_engine(sc: &Scenario, iterations: u64, threads: usize) -> Vec<IterationOutput> {
    let cfg = RunConfig {
        iterations,
        seed: sc.seed,
        threads,
        range: None,
    };
    engine::run(sc, &cfg, &|_| {}).unwrap()
}

/// Writes `tests/fixtures/stochastic.toml` to `dir/<stem>.toml` with VR uptake fixed at `uptake`
/// and the name `name`: two such files differ only in VR uptake (and name).
pub fn option_file(dir: &Path, stem: &str, name: &str, uptake: f64) -> String {
    let text = read(&fixture("stochastic.toml"));
    let text = text
        .replace(
            "uptake = { dist = \"beta\", alpha = 3, beta = 7 }",
            &format!("uptake = {uptake}"),
        )
        .replace("name = \"Stochastic mix\"", &format!("name = \"{name}\""));
    assert!(
        text.contains(&format!("uptake = {uptake}\n")),
        "the VR uptake line was replaced"
    );
    let path = dir.join(format!("{stem}.toml"));
    std::fs::write(&path, text).unwrap();
    s(&path)
}
