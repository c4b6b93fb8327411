//! The `icbsim` binary: parse the command line, hand over to the library, map errors to exit codes
//! (0 success, 1 internal error, 2 bad input, 3 a `--fail-if` guard breached).

use clap::Parser;
use std::process::ExitCode;

mod app;
mod batch;
mod cli;
mod shard;
mod solve_cmd;
mod sweep;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match app::dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(app::AppError::Input(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
        Err(app::AppError::Internal(e)) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
