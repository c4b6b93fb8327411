//! The commands, one file each, and the dispatch to them. Dispatch converts each command's
//! parsed arguments ([`crate::cli`]) into its plain request ([`icbsim::workflow`]) once; the
//! command files see only requests, call the library below them and never each other.

mod batch;
mod chart;
mod compare;
mod example;
mod exit_cost;
mod merge;
mod run;
mod schema;
mod solve;
mod sweep;
mod validate;

use crate::cli::{
    BatchArgs, Cli, Command, CompareArgs, ExitCostArgs, ManyArgs, MergeArgs, RouteArg, RunArgs,
    SamplingArg, SolveArgs, SweepArgs, TermsArg,
};
use icbsim::model::exit_terms::Route;
use icbsim::scenario::Sampling;
use icbsim::workflow::{
    BatchRequest, CompareRequest, Error, ExitCostRequest, ManyRequest, MergeRequest, Outcome,
    OutputOptions, RunRequest, RunSettings, SolveRequest, SweepRequest, ValidateRequest,
};

/// Runs a parsed command line.
///
/// # Errors
/// Bad input (exit code 2) or internal failures (exit code 1), as the command reports them.
pub fn dispatch(cli: Cli) -> Result<Outcome, Error> {
    match cli.command {
        Command::Run(a) => run::run(&run_request(a)),
        Command::Validate { files, set } => validate::validate(&ValidateRequest {
            files,
            overrides: set,
        }),
        Command::ExitCost(a) => exit_cost::calculate(&exit_cost_request(a)),
        Command::Example => Ok(example::example()),
        Command::Chart { run_dir, no_report } => chart::chart(&run_dir, no_report),
        Command::Batch(a) => batch::batch(&batch_request(a)),
        Command::Sweep(a) => sweep::sweep(&sweep_request(a)),
        Command::Merge(a) => merge::merge(&merge_request(a)),
        Command::Solve(a) => solve::solve(&solve_request(a)),
        Command::Compare(a) => compare::compare(&compare_request(a)),
        Command::Schema { out } => schema::schema(out.as_deref()),
        Command::Completions { shell } => {
            use std::io::Write;
            // Generated into memory first, so a closed pipe is an error to report (exit 0 for
            // `| head`), not a panic inside the generator.
            let script = crate::cli::completions(shell);
            let mut out = std::io::stdout().lock();
            out.write_all(&script)
                .and_then(|()| out.flush())
                .map_err(|e| Error::Internal(e.into()))?;
            Ok(Outcome::Success)
        }
    }
}

/// The plain request of `icbsim run`.
fn run_request(a: RunArgs) -> RunRequest {
    RunRequest {
        scenario: a.scenario,
        settings: RunSettings {
            iterations: a.iterations,
            seed: a.seed,
            threads: a.threads,
        },
        overrides: a.set,
        sampling: a.sampling.map(|s| match s {
            SamplingArg::Random => Sampling::Random,
            SamplingArg::Lhs => Sampling::Lhs,
        }),
        output: OutputOptions {
            out: a.out,
            no_charts: a.no_charts,
            no_report: a.no_report,
            quiet: a.quiet,
        },
        fail_if: a.fail_if,
        shard: a.shard,
        precision: a.precision,
        block: a.block,
    }
}

/// The settings shared by `batch` and `sweep`, as a plain request.
fn many_request(a: ManyArgs) -> ManyRequest {
    ManyRequest {
        settings: RunSettings {
            iterations: a.iterations,
            seed: a.seed,
            threads: a.threads,
        },
        overrides: a.set,
        output: OutputOptions {
            out: a.out,
            no_charts: a.no_charts,
            no_report: false,
            quiet: a.quiet,
        },
        fail_if: a.fail_if,
    }
}

/// The plain request of `icbsim batch`.
fn batch_request(a: BatchArgs) -> BatchRequest {
    let mut many = many_request(a.many);
    many.output.no_report = a.no_report;
    BatchRequest {
        inputs: a.inputs,
        many,
    }
}

/// The plain request of `icbsim sweep`.
fn sweep_request(a: SweepArgs) -> SweepRequest {
    SweepRequest {
        scenario: a.scenario,
        vary: a.vary,
        many: many_request(a.many),
    }
}

/// The plain request of `icbsim compare`.
fn compare_request(a: CompareArgs) -> CompareRequest {
    CompareRequest {
        scenarios: a.scenarios,
        settings: RunSettings {
            iterations: a.iterations,
            seed: a.seed,
            threads: a.threads,
        },
        overrides: a.set,
        output: OutputOptions {
            out: a.out,
            no_charts: a.no_charts,
            quiet: a.quiet,
            no_report: a.no_report,
        },
    }
}

/// The plain request of `icbsim merge`.
fn merge_request(a: MergeArgs) -> MergeRequest {
    MergeRequest {
        shards: a.shards,
        output: OutputOptions {
            out: a.out,
            no_charts: a.no_charts,
            no_report: a.no_report,
            quiet: a.quiet,
        },
        fail_if: a.fail_if,
    }
}

/// The plain request of `icbsim solve`.
fn solve_request(a: SolveArgs) -> SolveRequest {
    SolveRequest {
        scenario: a.scenario,
        vary: a.vary,
        lo: a.lo,
        hi: a.hi,
        target: a.target,
        settings: RunSettings {
            iterations: a.iterations,
            seed: a.seed,
            threads: a.threads,
        },
        overrides: a.set,
        steps: a.steps,
    }
}

/// The plain request of `icbsim exit-cost`.
fn exit_cost_request(a: ExitCostArgs) -> ExitCostRequest {
    ExitCostRequest {
        salary: a.salary,
        service: a.service,
        age: a.age,
        band: a.band,
        fte: a.fte,
        local_terms: matches!(a.terms, TermsArg::Local),
        route: match a.route {
            RouteArg::Vr => Route::Vr,
            RouteArg::Cr => Route::Cr,
            RouteArg::Mars => Route::Mars,
        },
        pilon: a.pilon,
        early_retirement: a.early_retirement,
        strain_multiple: a.strain_multiple,
        no_pension: a.no_pension,
        weekly_basis: a.weekly_basis,
        json: a.json,
    }
}
