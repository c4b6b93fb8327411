//! Statistics over plain numbers: quantiles, run summaries with order-statistic confidence
//! intervals, probabilities and rank correlation. Nothing here knows about distributions, random
//! numbers or the model, so output and sensitivity code can use it on any column of results.
//!
//! Everything is deterministic: sums run in index order and sorting uses a total order, so the
//! same input gives the same bits whatever the thread count of the run that produced it.

mod quantile;
mod rank;
mod sketch;
mod sort;
mod summary;

pub use quantile::{quantile_ci_sorted, quantile_sorted};
pub use rank::{pearson, ranks, spearman};
pub use sketch::{Sketch, RELATIVE_WIDTH};
pub use sort::sort_total;
pub use summary::{summarize, summarize_bool, ProbSummary, Summary};
