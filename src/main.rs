//! The `icbsim` binary: parse the command line, dispatch to the command, and turn its outcome or
//! error into the process exit code (0 success, 1 internal error, 2 bad input, 3 a `--fail-if`
//! guard breached; the policy itself is [`icbsim::workflow::Error`] and
//! [`icbsim::workflow::Outcome`]).

use icbsim::workflow::Error;
use std::process::ExitCode;

mod cli;
mod cmd;

fn main() -> ExitCode {
    let cli = cli::parse();
    match cmd::dispatch(cli) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        // `icbsim … | head`: stdout closed early is not a crash.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            match &e {
                Error::Input(msg) => eprintln!("{msg}"),
                Error::Internal(cause) => eprintln!("error: {cause:#}"),
            }
            ExitCode::from(e.exit_code())
        }
    }
}
