//! `compare.json`: what a comparison folder holds — the icbsim version, seed, iterations and
//! overrides, the options and the pairs — as one record type, written by `icbsim compare` and
//! read by its report. Fields are in alphabetical order, the order the file has always had.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file name in a comparison folder.
pub const COMPARE_FILE: &str = "compare.json";

/// The contents of `compare.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareManifest {
    /// icbsim version that made the comparison.
    pub icbsim_version: String,
    /// Iterations, the same for every option.
    pub iterations: u64,
    /// The options, in the order given.
    pub options: Vec<ManifestOption>,
    /// `--set` overrides applied to every option.
    pub overrides: Vec<String>,
    /// Every pair compared.
    pub pairs: Vec<ManifestPair>,
    /// Seed, the same for every option.
    pub seed: u64,
}

/// One option as `compare.json` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestOption {
    /// The scenario file as given.
    pub file: String,
    /// `A`, `B`, `C`…
    pub letter: String,
    /// Scenario name.
    pub name: String,
    /// Its folder in the comparison folder, and its name in `paired.csv`.
    pub slug: String,
}

/// One pair as `compare.json` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestPair {
    /// The pair chart's file stem (`paired_a_b`).
    pub chart: String,
    /// The pair's finding in words (the chart's title).
    pub finding: String,
    /// The first option's slug.
    pub option_a: String,
    /// The second option's slug.
    pub option_b: String,
}

impl CompareManifest {
    /// Writes `dir/compare.json` (pretty, with a final newline).
    ///
    /// # Errors
    /// When the file cannot be written (the message names it).
    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        let path = dir.join(COMPARE_FILE);
        let text = serde_json::to_string_pretty(self)? + "\n";
        std::fs::write(&path, text)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
    }

    /// Reads `dir/compare.json`; `Err` says what is wrong, in words.
    ///
    /// # Errors
    /// When the file cannot be read or is not a comparison manifest.
    pub fn read(dir: &Path) -> Result<CompareManifest, String> {
        let text = std::fs::read_to_string(dir.join(COMPARE_FILE)).map_err(|e| e.to_string())?;
        serde_json::from_str(&text).map_err(|e| e.to_string())
    }

    /// The option whose slug is `slug`.
    pub fn option(&self, slug: &str) -> Option<&ManifestOption> {
        self.options.iter().find(|o| o.slug == slug)
    }
}
