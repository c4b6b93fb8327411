//! The model: exit-pay rules, one iteration of one organisation, and the results it reports.
//!
//! Pure code: no I/O, no global random state, no threads. The engine calls
//! [`iteration::simulate_org`] for each organisation of each iteration with that iteration's
//! sampled inputs and random streams.

pub mod derive;
pub mod exit_terms;
pub mod iteration;
pub mod results;
