//! Command-line types (clap derive), and nothing else: `cmd` converts them into the plain requests
//! of `icbsim::workflow` once, so nothing past `cmd` sees a flag.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Parses the process's command line; on a usage error prints it (or `--help`/`--version`) and
/// exits, as clap does.
pub fn parse() -> Cli {
    Cli::parse()
}

/// Monte Carlo simulator of NHS integrated care board running-cost reductions and exit costs.
#[derive(Debug, Parser)]
#[command(name = "icbsim", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one scenario (with no file: the embedded national default) and write results.
    Run(RunArgs),
    /// Check scenario files and print every problem (exit code 0 when all are valid, 2 otherwise).
    Validate {
        /// Scenario files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Overrides to check along with the files.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
    },
    /// The exit cost of one person, itemised (Section 16, NI, PILON, MARS, strain).
    ExitCost(ExitCostArgs),
    /// Print an annotated template scenario documenting every field.
    Example,
    /// Run several scenarios (a directory of *.toml, or files) and compare them.
    Batch(BatchArgs),
    /// Run a scenario over a grid of one or two parameters and compare the results.
    Sweep(SweepArgs),
    /// Combine shard directories (`run --shard K/N`) into the outputs of one full run.
    Merge(MergeArgs),
    /// Goal seek: the value of one input that gives a wanted probability or percentile.
    Solve(SolveArgs),
    /// Run two or more options with common random numbers and compare them pair by pair,
    /// iteration by iteration.
    Compare(CompareArgs),
    /// Redraw the charts of an earlier run from its CSVs, without re-simulating, and rebuild
    /// its report.html and results.xlsx.
    Chart {
        /// A run directory written by `icbsim run`.
        run_dir: PathBuf,
        /// Redraw the charts only; leave report.html and results.xlsx as they are.
        #[arg(long)]
        no_report: bool,
    },
    /// Write the JSON Schema of the scenario format, for editors (Taplo, Even Better TOML: a
    /// first line `#:schema ./icbsim.schema.json`).
    Schema {
        /// Write to this file instead of stdout, e.g. icbsim.schema.json.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a shell completion script (e.g. `icbsim completions bash > ~/.local/share/bash-completion/completions/icbsim`).
    Completions {
        /// The shell: bash, zsh, fish or powershell.
        shell: ShellArg,
    },
}

/// Shells that `icbsim completions` writes a script for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ShellArg {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
}

/// The completion script for `shell`, generated from these clap types.
pub fn completions(shell: ShellArg) -> Vec<u8> {
    use clap::CommandFactory;
    use clap_complete::Shell;
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Powershell => Shell::PowerShell,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "icbsim", &mut out);
    out
}

/// Options of `icbsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML). Omit to run the embedded national default.
    pub scenario: Option<PathBuf>,
    /// Iterations (default: the scenario's `iterations`).
    #[arg(long, short = 'n')]
    pub iterations: Option<u64>,
    /// Seed (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Output directory (default: output/<scenario-slug>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override any input, e.g. --set vr.uptake=0.4 or --set 'vr.uptake={dist="uniform",min=0.2,max=0.5}'.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Skip the board pack: write no report.html and no results.xlsx (CSVs, manifest, charts only).
    #[arg(long)]
    pub no_report: bool,
    /// No progress bar and no summary table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Exit with code 3 (after writing results) when this holds, e.g. "p(target_met) < 0.8" or
    /// "p90(exit_cost_gbp@london) > 1e9". Repeatable.
    #[arg(long = "fail-if", value_name = "EXPR")]
    pub fail_if: Vec<String>,
    /// Run only shard K of N (iterations [K*n/N, (K+1)*n/N)) and write raw results for
    /// `icbsim merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Sampling of the uncertain inputs (overrides the scenario's `sampling`).
    #[arg(long, value_enum)]
    pub sampling: Option<SamplingArg>,
    /// Add blocks of iterations until the 95% half-widths of mean exit cost and P(target met) are
    /// within this share of their values (e.g. 0.01); --iterations is then the maximum [100000].
    #[arg(long, value_name = "REL")]
    pub precision: Option<f64>,
    /// Iterations per block with --precision.
    #[arg(long, default_value_t = 1000)]
    pub block: u64,
}

/// Options shared by `batch` and `sweep`, applied to every run.
#[derive(Debug, Args)]
pub struct ManyArgs {
    /// Iterations (default: each scenario's `iterations`).
    #[arg(long, short = 'n')]
    pub iterations: Option<u64>,
    /// Seed (default: each scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Output directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override an input in every run (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
    /// No progress bar and no table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Exit with code 3 when this holds for any run (repeatable); see `icbsim run --help`.
    #[arg(long = "fail-if", value_name = "EXPR")]
    pub fail_if: Vec<String>,
}

/// Options of `icbsim batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// A directory (every `*.toml` in it, by name) or scenario files.
    #[arg(required = true, value_name = "DIR|FILES")]
    pub inputs: Vec<PathBuf>,
    /// Settings for every scenario (`--out` default: output/batch/).
    #[command(flatten)]
    pub many: ManyArgs,
    /// Skip the board packs: no report.html or results.xlsx, in the batch folder or any run.
    #[arg(long)]
    pub no_report: bool,
}

/// Options of `icbsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A parameter and its values, e.g. --vary vr.uptake=0.1,0.3,0.5 (once or twice).
    #[arg(long, required = true, value_name = "PATH=V1,V2,...")]
    pub vary: Vec<String>,
    /// Settings for every grid point (`--out` default: output/<slug>-sweep/).
    #[command(flatten)]
    pub many: ManyArgs,
}

/// Options of `icbsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard directories written by `icbsim run --shard K/N`.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Output directory (default: output/<scenario-slug>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Skip the board pack: write no report.html and no results.xlsx.
    #[arg(long)]
    pub no_report: bool,
    /// No summary table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Exit with code 3 when this holds for the merged run (repeatable).
    #[arg(long = "fail-if", value_name = "EXPR")]
    pub fail_if: Vec<String>,
}

/// Contract terms for the calculator.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TermsArg {
    /// Agenda for Change.
    Afc,
    /// Local terms.
    Local,
}

/// Exit route for the calculator.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RouteArg {
    /// Voluntary redundancy.
    Vr,
    /// Compulsory redundancy.
    Cr,
    /// Mutually agreed resignation scheme.
    Mars,
}

/// Options of `icbsim exit-cost`.
#[derive(Debug, Args)]
pub struct ExitCostArgs {
    /// Full-time annual basic salary, £.
    #[arg(long)]
    pub salary: f64,
    /// Years of continuous NHS service.
    #[arg(long)]
    pub service: f64,
    /// Age in years.
    #[arg(long)]
    pub age: f64,
    /// AfC band (2..9, 8a..8d, VSM): sets the notice period for PILON.
    #[arg(long)]
    pub band: Option<String>,
    /// Full-time equivalent.
    #[arg(long, default_value_t = 1.0)]
    pub fte: f64,
    /// Contract terms.
    #[arg(long, value_enum, default_value = "afc")]
    pub terms: TermsArg,
    /// Exit route.
    #[arg(long, value_enum, default_value = "vr")]
    pub route: RouteArg,
    /// Pay notice in lieu (CR only; needs --band).
    #[arg(long)]
    pub pilon: bool,
    /// Take early retirement with an unreduced pension (55+, pension member).
    #[arg(long)]
    pub early_retirement: bool,
    /// Pension strain cost as a multiple of annual pay (local terms, early retirement).
    #[arg(long, default_value_t = 1.5)]
    pub strain_multiple: f64,
    /// Not a member of the NHS Pension Scheme.
    #[arg(long)]
    pub no_pension: bool,
    /// Use 4.35 weeks' pay as a month's pay instead of 1/12 of salary.
    #[arg(long)]
    pub weekly_basis: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Sampling method.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SamplingArg {
    /// Independent draws (plain Monte Carlo).
    Random,
    /// Latin hypercube.
    Lhs,
}

/// Options of `icbsim solve`.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// The input to vary (dotted path), e.g. vr.uptake or org.london.funding_gbp.
    #[arg(long)]
    pub vary: String,
    /// Lower bound (a number, or a month YYYY-MM for month inputs).
    #[arg(long, allow_hyphen_values = true)]
    pub lo: String,
    /// Upper bound.
    #[arg(long, allow_hyphen_values = true)]
    pub hi: String,
    /// The goal, STAT(METRIC)=VALUE with STAT p, mean or p1..p99 of the national total,
    /// e.g. "p(target_met)=0.8" or "p90(exit_cost_gbp)=1e9".
    #[arg(long)]
    pub target: String,
    /// Iterations per evaluation (default: the scenario's).
    #[arg(long, short = 'n')]
    pub iterations: Option<u64>,
    /// Seed (default: the scenario's); the same for every evaluation.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Other overrides, applied to every evaluation.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// At most this many bisection steps.
    #[arg(long, default_value_t = 30)]
    pub steps: usize,
}

/// Options of `icbsim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The options' scenario files (two or more; the same file twice is allowed).
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Iterations, the same for every option (default: the first option's `iterations`).
    #[arg(long, short = 'n')]
    pub iterations: Option<u64>,
    /// Seed, the same for every option (default: the first option's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Output directory (default: output/compare/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override an input in every option (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Skip the board packs: no report.html in the comparison folder, no report.html or
    /// results.xlsx in the options' folders.
    #[arg(long)]
    pub no_report: bool,
    /// No progress bar and no table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}
