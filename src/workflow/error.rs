//! The error type every command returns and the exit-code policy: bad input is exit code 2 with
//! nothing written, anything else that fails is 1, and a breached `--fail-if` guard is 3 (after
//! the results are written). The binary maps these to the process exit code and nothing else
//! decides a code.

use crate::charts::ChartError;
use crate::guard::Breach;
use crate::scenario::Problems;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: the message lists every problem (exit code 2).
    #[error("{0}")]
    Input(String),
    /// Anything else, e.g. a file that cannot be written (exit code 1). The chain of causes comes
    /// from the writers and the engine, which report with `anyhow`.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// The process exit code for this failure: 2 for bad input, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) => 2,
            Error::Internal(_) => 1,
        }
    }

    /// Whether the failure is only stdout closing early (`icbsim … | head`), which is not a crash.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Input(_) => false,
            Error::Internal(e) => e
                .chain()
                .filter_map(|c| c.downcast_ref::<std::io::Error>())
                .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe),
        }
    }
}

impl From<Problems> for Error {
    fn from(p: Problems) -> Self {
        let n = p.0.len();
        Error::Input(format!(
            "{p}\n{n} problem{} found; nothing was written.",
            if n == 1 { "" } else { "s" }
        ))
    }
}

impl From<ChartError> for Error {
    /// A chart that could not be drawn or written is not bad input (exit code 1).
    fn from(e: ChartError) -> Self {
        Error::Internal(anyhow::Error::from(e))
    }
}

impl From<crate::output::OutputError> for Error {
    /// A results file that could not be written (or spilled values read back) is not bad input.
    fn from(e: crate::output::OutputError) -> Self {
        match e {
            // A run too large for the disk is stopped after its first block and its staging
            // directory removed: the request must change, like bad input (exit code 2).
            crate::output::OutputError::Room { .. } => input_error(&e.to_string()),
            e => Error::Internal(anyhow::Error::from(e)),
        }
    }
}

/// Bad input with "nothing was written." appended.
pub fn input_error(msg: &str) -> Error {
    Error::Input(format!("{msg}\nnothing was written."))
}

/// How a command that did its work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything ran and no guard was breached (exit code 0).
    Success,
    /// Some runs of a batch had bad input; the others were written (exit code 2).
    SomeInvalid,
    /// Some runs of a batch failed; the others were written (exit code 1).
    SomeFailed,
    /// A `--fail-if` guard held; the results were written (exit code 3).
    GuardBreached,
}

impl Outcome {
    /// The process exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::SomeInvalid => 2,
            Outcome::SomeFailed => 1,
            Outcome::GuardBreached => 3,
        }
    }
}

/// Prints each breached guard on stderr after `prefix`; [`Outcome::GuardBreached`] if any.
pub fn report_breaches(breaches: &[Breach], prefix: &str) -> Outcome {
    for b in breaches {
        eprintln!("{prefix}{b}");
    }
    if breaches.is_empty() {
        Outcome::Success
    } else {
        Outcome::GuardBreached
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_documented_policy() {
        assert_eq!(Error::Input(String::new()).exit_code(), 2);
        assert_eq!(Error::Internal(anyhow::anyhow!("x")).exit_code(), 1);
        let codes = [
            Outcome::Success,
            Outcome::SomeFailed,
            Outcome::SomeInvalid,
            Outcome::GuardBreached,
        ]
        .map(Outcome::exit_code);
        assert_eq!(codes, [0, 1, 2, 3]);
    }

    #[test]
    fn a_closed_pipe_is_recognised_through_the_context_chain() {
        let io = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "closed");
        let e = Error::Internal(anyhow::Error::from(io).context("cannot write"));
        assert!(e.is_broken_pipe());
        assert!(!Error::Internal(anyhow::anyhow!("other")).is_broken_pipe());
    }
}
