//! Loading the scenario a command names — a file or the embedded national default — with its
//! `--set` overrides, and the one place a typed sampling choice joins those overrides.

use crate::scenario::{self, LoadOptions, Problems, Sampling, Scenario};
use std::path::Path;

/// The embedded national default scenario.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/england-icbs-2025.toml");
/// Display name of the embedded default.
pub const DEFAULT_NAME: &str = "<embedded>/england-icbs-2025.toml";

/// Loads the scenario at `path` (`None`: the embedded default) with `overrides` applied in order;
/// `seed` replaces the scenario's seed for synthetic workforces.
///
/// # Errors
/// Every problem in the file or the overrides.
pub fn load(
    path: Option<&Path>,
    overrides: &[String],
    seed: Option<u64>,
) -> Result<Scenario, Problems> {
    let opts = LoadOptions {
        overrides: overrides.to_vec(),
        seed,
    };
    match path {
        Some(p) => scenario::load(p, &opts),
        None => scenario::load_str(
            DEFAULT_NAME,
            DEFAULT_SCENARIO,
            Path::new("scenarios"),
            &opts,
        ),
    }
}

/// The overrides of a run as the loader takes them and the manifest records them: the `--set`s
/// in order, then a sampling choice as `scenario.sampling="…"`.
///
/// The scenario loader takes overrides as text and hashes them into the scenario's SHA-256, so
/// passing the choice this way keeps the hash (and `icbsim merge`'s check of it) telling a Latin
/// hypercube run from a plain one.
pub fn with_sampling(overrides: &[String], sampling: Option<Sampling>) -> Vec<String> {
    let mut all = overrides.to_vec();
    if let Some(s) = sampling {
        all.push(format!("scenario.sampling=\"{}\"", sampling_name(s)));
    }
    all
}

/// The scenario-file spelling of a sampling method.
pub fn sampling_name(s: Sampling) -> &'static str {
    match s {
        Sampling::Random => "random",
        Sampling::Lhs => "lhs",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sampling_choice_follows_the_sets_in_scenario_file_form() {
        let sets = vec!["vr.uptake=0.4".to_string()];
        assert_eq!(with_sampling(&sets, None), sets);
        assert_eq!(
            with_sampling(&sets, Some(Sampling::Lhs)),
            vec!["vr.uptake=0.4", "scenario.sampling=\"lhs\""]
        );
    }

    #[test]
    fn the_typed_choice_reaches_the_scenario() {
        let ov = with_sampling(&[], Some(Sampling::Lhs));
        assert_eq!(load(None, &ov, None).unwrap().sampling, Sampling::Lhs);
        let ov = with_sampling(&[], Some(Sampling::Random));
        assert_eq!(load(None, &ov, None).unwrap().sampling, Sampling::Random);
    }
}
