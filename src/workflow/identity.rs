//! The identity of a run: one SHA-256 (`run_id`) over everything that decides its results — the
//! scenario text after overrides (the sampling choice included), the staff records read from its
//! staff files (or generated), the seed, the iteration count, the sampling method and the icbsim
//! version. Shards of one run share it, `icbsim merge` checks it, and `manifest.json` records it
//! with the SHA-256 of each staff file.

use super::atomic::hex;
use super::load::sampling_name;
use crate::engine::RunConfig;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A staff file a scenario reads, with its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffFile {
    /// The file as found from the scenario's folder.
    pub path: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// SHA-256 of every organisation's staff records, in order (what the staff files gave, or the
/// synthetic workforce generated).
pub fn staff_sha256(sc: &Scenario) -> String {
    let mut h = Sha256::new();
    for o in &sc.orgs {
        h.update(format!("org {} {}\n", o.name, o.staff.len()));
        for s in &o.staff {
            h.update(format!("{s:?}\n"));
        }
    }
    hex(&h.finalize())
}

/// The run identity of `sc` run under `cfg`.
pub fn run_id(sc: &Scenario, cfg: &RunConfig) -> String {
    let text = format!(
        "icbsim-run-1\nversion {}\nscenario {}\nstaff {}\nseed {}\niterations {}\nsampling {}\n",
        env!("CARGO_PKG_VERSION"),
        sc.sha256,
        staff_sha256(sc),
        cfg.seed,
        cfg.iterations,
        sampling_name(sc.sampling)
    );
    hex(&Sha256::digest(text.as_bytes()))
}

/// The staff files named in the scenario's file (`[[org]] staff_file`), with their SHA-256.
/// Files that cannot be read are left out (the scenario would not have loaded).
pub fn staff_files(sc: &Scenario) -> Vec<StaffFile> {
    let Some(file) = &sc.file else {
        return Vec::new();
    };
    let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let orgs = doc.get("org").and_then(toml::Value::as_array);
    orgs.into_iter()
        .flatten()
        .filter_map(|o| o.get("staff_file")?.as_str())
        .filter_map(|rel| {
            let p: PathBuf = base.join(rel);
            let bytes = std::fs::read(&p).ok()?;
            Some(StaffFile {
                path: p.display().to_string(),
                sha256: hex(&Sha256::digest(&bytes)),
            })
        })
        .collect()
}

/// Adds `run_id` and `staff_files` to the `manifest.json` written in `dir` (appended as the
/// last keys, the rest unchanged).
///
/// # Errors
/// When the manifest cannot be read or written.
pub fn stamp_manifest(dir: &Path, sc: &Scenario, cfg: &RunConfig) -> anyhow::Result<()> {
    use anyhow::Context;
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let Some(body) = text.trim_end().strip_suffix('}') else {
        anyhow::bail!("{}: not a JSON object", path.display());
    };
    let files = serde_json::to_string_pretty(&staff_files(sc))?.replace('\n', "\n  ");
    let out = format!(
        "{},\n  \"run_id\": \"{}\",\n  \"staff_files\": {files}\n}}\n",
        body.trim_end(),
        run_id(sc, cfg)
    );
    std::fs::write(&path, out).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identity_changes_with_seed_iterations_and_sampling() {
        let sc = crate::workflow::load(None, &[], None).unwrap();
        let cfg = RunConfig {
            iterations: 10,
            seed: 7,
            threads: 0,
            range: None,
        };
        let id = run_id(&sc, &cfg);
        assert_eq!(id.len(), 64);
        assert_eq!(id, run_id(&sc, &cfg));
        assert_ne!(
            id,
            run_id(
                &sc,
                &RunConfig {
                    seed: 8,
                    ..cfg.clone()
                }
            )
        );
        assert_ne!(
            id,
            run_id(
                &sc,
                &RunConfig {
                    iterations: 11,
                    ..cfg.clone()
                }
            )
        );
        let lhs = crate::workflow::load(None, &["scenario.sampling=\"lhs\"".into()], None).unwrap();
        assert_ne!(id, run_id(&lhs, &cfg));
    }
}
