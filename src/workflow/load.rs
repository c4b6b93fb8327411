//! Loading the scenario a command names — a file or the embedded national default — with its
//! `--set` overrides, and the one place a typed sampling choice joins those overrides.

use crate::scenario::{self, LoadOptions, Problem, Problems, Sampling, Scenario};
use std::path::Path;

/// The embedded national default scenario: the 42 ICBs of 2026 with their clusters and mergers.
///
/// Its organisations are synthetic (`[org.synthetic]`, generated from
/// `scenarios/data/england-icbs-2026.csv` by `scripts/gen_england_2026.py`): it names no staff
/// file, so the embedded text alone runs from any working directory.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/england-icbs-2026.toml");
/// Display name of the embedded default.
pub const DEFAULT_NAME: &str = "<embedded>/england-icbs-2026.toml";

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

/// Prints `warnings` (a loaded scenario's [`Scenario::warnings`]) on stderr as `warning: …`,
/// each field's message once: the points of a sweep or a goal seek differ only in a `--set`
/// value, and would otherwise repeat the same warning for every point.
pub fn print_warnings<'a>(warnings: impl IntoIterator<Item = &'a Problem>) {
    for w in distinct(warnings) {
        eprintln!("warning: {w}");
    }
}

/// The first of each field's warnings with the same message, in order.
fn distinct<'a>(warnings: impl IntoIterator<Item = &'a Problem>) -> Vec<&'a Problem> {
    let mut kept: Vec<&Problem> = Vec::new();
    for w in warnings {
        if !kept
            .iter()
            .any(|k| (&k.path, &k.message) == (&w.path, &w.message))
        {
            kept.push(w);
        }
    }
    kept
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
    use crate::scenario::OrgRole;

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

    #[test]
    fn the_default_is_the_42_icbs_of_2026_and_needs_no_file() {
        let sc = load(None, &[], None).unwrap();
        assert_eq!(sc.name, "England ICBs 2026");
        // 13 mergers in the file: 42 ICBs (13 standalone + 29 members) and 13 successors.
        assert_eq!(sc.mergers.len(), 13);
        let members: usize = sc.mergers.iter().map(|m| m.members.len()).sum();
        assert_eq!(members, 29);
        assert_eq!(sc.orgs.len(), 42 + 13);
        // Every ICB's workforce is generated and a successor has none of its own: no staff file
        // to find relative to a folder.
        for o in &sc.orgs {
            match o.role {
                OrgRole::Successor(_) => assert!(o.staff.is_empty(), "{}", o.name),
                _ => assert!(o.synthetic, "{}", o.name),
            }
        }
        assert!(sc.file.is_none());
    }

    #[test]
    fn a_warning_repeated_by_every_sweep_point_is_kept_once() {
        let at = |file: &str, path: &str| Problem {
            file: file.into(),
            line: 1,
            column: 1,
            path: path.into(),
            message: "dropped".into(),
        };
        let ws = [
            at("--set vr.uptake=0.2", "vr.uptake"),
            at("--set vr.uptake=0.3", "vr.uptake"),
            at("t.toml", "mars.uptake"),
        ];
        let kept: Vec<&str> = distinct(&ws).iter().map(|w| w.file.as_str()).collect();
        assert_eq!(kept, ["--set vr.uptake=0.2", "t.toml"]);
    }
}
