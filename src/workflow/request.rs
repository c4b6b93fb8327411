//! The plain requests a command line becomes, one per command that takes options. The binary's
//! command-line types are converted into these once; everything below works from them, so no
//! flag parser reaches the library.

use crate::model::exit_terms::Route;
use crate::scenario::Sampling;
use std::path::PathBuf;

/// Iterations, seed and worker threads as asked; `None` takes the scenario's (threads: one per
/// core).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunSettings {
    /// Iterations.
    pub iterations: Option<u64>,
    /// Seed.
    pub seed: Option<u64>,
    /// Worker threads (results do not depend on them).
    pub threads: Option<usize>,
}

impl RunSettings {
    /// The iterations to run for `sc`: the command line's, else the scenario's own.
    pub fn iterations_for(&self, sc: &crate::scenario::Scenario) -> u64 {
        self.iterations.unwrap_or(u64::from(sc.iterations))
    }
}

/// Where results go and what is shown while they are made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputOptions {
    /// Output directory (`None`: the command's default under `output/`).
    pub out: Option<PathBuf>,
    /// Skip the charts.
    pub no_charts: bool,
    /// Skip the board pack (`report.html`, `results.xlsx`).
    pub no_report: bool,
    /// No progress bar and no summary table.
    pub quiet: bool,
}

/// `icbsim run`: one scenario, one run directory (or one shard of a run).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunRequest {
    /// Scenario file (`None`: the embedded national default).
    pub scenario: Option<PathBuf>,
    /// Iterations, seed, threads.
    pub settings: RunSettings,
    /// `PATH=VALUE` overrides, in order.
    pub overrides: Vec<String>,
    /// Sampling method, replacing the scenario's.
    pub sampling: Option<Sampling>,
    /// Output directory, charts, quiet.
    pub output: OutputOptions,
    /// `--fail-if` guard expressions.
    pub fail_if: Vec<String>,
    /// `K/N`: run only shard K of N (as typed; checked by the command).
    pub shard: Option<String>,
    /// Stop adding blocks of iterations when the 95% half-widths are within this share.
    pub precision: Option<f64>,
    /// Iterations per block with `precision`.
    pub block: u64,
}

/// Settings shared by every run of `icbsim batch` and `icbsim sweep`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManyRequest {
    /// Iterations, seed, threads for every run.
    pub settings: RunSettings,
    /// Overrides applied to every run.
    pub overrides: Vec<String>,
    /// Output directory, charts, quiet.
    pub output: OutputOptions,
    /// `--fail-if` guard expressions, judged on every run.
    pub fail_if: Vec<String>,
}

/// `icbsim batch`: many scenarios compared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchRequest {
    /// Directories (every `*.toml` in each) and scenario files.
    pub inputs: Vec<PathBuf>,
    /// Settings for every scenario.
    pub many: ManyRequest,
}

/// `icbsim sweep`: one scenario over a grid of one or two parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepRequest {
    /// Scenario file.
    pub scenario: PathBuf,
    /// `PATH=V1,V2,...`, once or twice (as typed; checked by the command).
    pub vary: Vec<String>,
    /// Settings for every grid point.
    pub many: ManyRequest,
}

/// `icbsim compare`: options run with common random numbers and compared pair by pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareRequest {
    /// The options' scenario files, in order (A, B, C…).
    pub scenarios: Vec<PathBuf>,
    /// Iterations, seed and threads, the same for every option.
    pub settings: RunSettings,
    /// Overrides applied to every option.
    pub overrides: Vec<String>,
    /// Output directory, charts, quiet.
    pub output: OutputOptions,
}

/// `icbsim merge`: shard directories put back together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeRequest {
    /// Shard directories.
    pub shards: Vec<PathBuf>,
    /// Output directory, charts, quiet.
    pub output: OutputOptions,
    /// `--fail-if` guard expressions, judged on the merged run.
    pub fail_if: Vec<String>,
}

/// `icbsim solve`: goal seek over one input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SolveRequest {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Dotted path of the input to vary.
    pub vary: String,
    /// Lower bound, as typed (a number, or YYYY-MM for a month input).
    pub lo: String,
    /// Upper bound, as typed.
    pub hi: String,
    /// The goal, `STAT(METRIC)=VALUE`.
    pub target: String,
    /// Iterations, seed and threads of every evaluation.
    pub settings: RunSettings,
    /// Other overrides applied to every evaluation.
    pub overrides: Vec<String>,
    /// At most this many bisection steps.
    pub steps: usize,
}

/// `icbsim validate`: check scenario files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidateRequest {
    /// Scenario files.
    pub files: Vec<PathBuf>,
    /// Overrides checked with every file.
    pub overrides: Vec<String>,
}

/// `icbsim exit-cost`: one person's exit cost, itemised.
#[derive(Debug, Clone, PartialEq)]
pub struct ExitCostRequest {
    /// Full-time annual basic salary, £.
    pub salary: f64,
    /// Years of continuous NHS service.
    pub service: f64,
    /// Age in years.
    pub age: f64,
    /// AfC band as typed (checked by the command).
    pub band: Option<String>,
    /// Full-time equivalent.
    pub fte: f64,
    /// Local terms rather than Agenda for Change.
    pub local_terms: bool,
    /// Exit route.
    pub route: Route,
    /// Pay notice in lieu.
    pub pilon: bool,
    /// Early retirement with an unreduced pension.
    pub early_retirement: bool,
    /// Pension strain as a multiple of annual pay (local terms).
    pub strain_multiple: f64,
    /// Not a member of the NHS Pension Scheme.
    pub no_pension: bool,
    /// A month's pay is 4.35 weeks' pay.
    pub weekly_basis: bool,
    /// JSON instead of a table.
    pub json: bool,
}
