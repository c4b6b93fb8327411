//! The model: exit-pay rules, one iteration of one organisation, and the results it reports.
//!
//! Pure code: no I/O, no global random state, no threads. The engine prepares each organisation's
//! staff once per run ([`staff::PreparedOrg`]), resolves each iteration's sampled inputs once into
//! plain numbers ([`context::IterationContext`]) and calls [`iteration::simulate_org`] for each
//! organisation with them and its random streams. The steps of an iteration live by concept:
//! natural leaving and transfers (`people`), the restructure (`restructure`) and its selection
//! rules (`selection`), and the costs and paths of leavers (`accounting`).

mod accounting;
pub mod context;
pub mod derive;
pub mod exit_terms;
pub mod iteration;
pub mod merger;
mod people;
pub mod phase;
mod restructure;
pub mod results;
mod scratch;
mod selection;
pub mod staff;

pub use context::IterationContext;
pub use iteration::simulate_org;
pub use staff::PreparedOrg;
