//! The progress bar on stderr.
//!
//! Shown only for interactive runs: hidden when stderr is not a terminal, when the `CI`
//! environment variable is set (indicatif would still draw under a CI pseudo-terminal), and with
//! `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar that may be hidden.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar for `total` iterations, visible only when it should be.
    pub fn new(total: u64, quiet: bool, label: &str) -> Progress {
        let visible = !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = if visible {
            let b =
                ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr_with_hz(8));
            let style = ProgressStyle::with_template(
                "{msg} [{bar:40.cyan/blue}] {pos}/{len} iterations, {per_sec}, ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            b.set_style(style);
            b.set_message(label.to_string());
            b
        } else {
            ProgressBar::hidden()
        };
        Progress { bar }
    }

    /// Records `n` more iterations done.
    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
