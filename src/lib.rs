//! icbsim: a Monte Carlo simulator of NHS integrated care board running-cost reductions.
//!
//! The library holds every typed part; the `icbsim` binary only parses the command line and
//! dispatches to its commands, which call [`workflow`] (requests, loading, running, writing a run
//! directory, the error and exit-code policy) and the parts below it.
//! Data flows one way: [`scenario`] (validated input) → [`engine`] (sampling, parallel
//! iterations of the [`model`]) → [`stats`] → [`output`] (CSV files, manifest, terminal summary)
//! and [`charts`], then the board pack ([`report`], [`workbook`]). Every result is named, with its unit and meaning, in [`metric`].
#![forbid(unsafe_code)]

pub mod charts;
pub mod distribution;
pub mod engine;
pub mod format;
pub mod guard;
pub mod metric;
pub mod model;
pub mod month;
pub mod output;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod solve;
pub mod stat_expr;
pub mod stats;
pub mod suggest;
pub mod workbook;
pub mod workflow;
