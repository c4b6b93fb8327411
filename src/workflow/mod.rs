//! What every command shares, below the commands and above the core: the plain request structs a
//! command line becomes, loading a scenario with its overrides, the run configuration, running,
//! writing a run directory atomically with its manifest and identity, shard runs, and the error and exit-code policy.
//!
//! It is separate so that the commands (`src/cmd/` in the binary) call down into one place and
//! never into each other; nothing here knows about the command line parser or the commands.

pub mod atomic;
pub mod error;
pub mod identity;
pub mod load;
pub mod meta;
pub mod request;
pub mod run;
pub mod shard;

pub use atomic::Staging;
pub use error::{input_error, report_breaches, Error, Outcome};
pub use load::{load, print_warnings, with_sampling, DEFAULT_NAME, DEFAULT_SCENARIO};
pub use meta::run_meta;
pub use request::{
    BatchRequest, CompareRequest, ExitCostRequest, ManyRequest, MergeRequest, OutputOptions,
    RunRequest, RunSettings, SolveRequest, SweepRequest, ValidateRequest,
};
pub use run::{
    check_iterations, check_settings, default_slug, draw_charts, run_config, run_dir, run_folder,
    simulate, simulate_into, write_board_pack, write_collected,
};
