//! `icbsim compare A.toml B.toml [C.toml…]`: options run with common random numbers and compared
//! pair by pair, iteration by iteration.
//!
//! Every option runs with one seed and one iteration count (`--seed`/`-n`, else the first
//! option's), so iteration `i` draws the same random numbers in every option wherever their
//! structure allows (the same input path, the same organisation and person; see the README's
//! "Comparing options"). Each option's usual outputs go to `OUT/<slug>/`; `paired.csv`,
//! `paired_iterations.csv`, `compare.json` and one chart per pair go to `OUT/`. The whole folder
//! is written beside its target and put in place when finished ([`icbsim::workflow::atomic`]).
//! Any option that fails validation stops the comparison before anything runs (exit 2, nothing
//! written): a comparison with an option missing is not the comparison asked for.

use anyhow::Context;
use icbsim::charts::{self, DiffRow};
use icbsim::format::percent;
use icbsim::output::paired::{
    self, label, CompareManifest, ManifestOption, ManifestPair, OptionInfo, OptionTotals,
    PairedComparison, PairedRecord,
};
use icbsim::output::progress::Progress;
use icbsim::output::records::write_records;
use icbsim::scenario::{Problems, Scenario};
use icbsim::workflow::{self, input_error, CompareRequest, Error, Outcome, RunSettings, Staging};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The most options one comparison takes (they are lettered A to Z).
const MAX_OPTIONS: usize = 26;

/// `icbsim compare`.
///
/// # Errors
/// Bad input (exit 2, nothing written) when a setting or any option's scenario is invalid;
/// internal errors when a run or a file fails.
pub fn compare(req: &CompareRequest) -> Result<Outcome, Error> {
    workflow::check_settings(&req.settings)?;
    if req.scenarios.len() > MAX_OPTIONS {
        return Err(input_error(&format!(
            "{} options given: compare takes 2 to {MAX_OPTIONS} (lettered A to Z)",
            req.scenarios.len()
        )));
    }
    let (options, settings) = load_options(req)?;
    for sc in &options {
        workflow::run_config(sc, &settings)?;
    }
    let out_dir = req
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join("compare"));
    let staging = Staging::begin(&out_dir)?;
    let infos = option_infos(req, &options);
    let totals = run_options(&options, &infos, &settings, req, staging.path())?;
    let (n, seed) = (settings.iterations.unwrap_or(0), settings.seed.unwrap_or(0));
    let cmp = PairedComparison::new(infos, &totals, n, seed)
        .map_err(|m| Error::Internal(anyhow::anyhow!(m)))?;
    write_comparison(staging.path(), &cmp, &totals, req)?;
    if !req.output.no_report {
        icbsim::report::compare::write_compare_report(staging.path())
            .context("cannot write the comparison report")?;
    }
    staging.commit()?;
    if !req.output.quiet {
        print!("{}", paired::paired_table(&cmp));
        println!("\nResults in {}", out_dir.display());
    }
    Ok(Outcome::Success)
}

/// Loads every option with the overrides and the common seed, collecting every problem; returns
/// them with the settings every option runs under (iterations and seed fixed).
fn load_options(req: &CompareRequest) -> Result<(Vec<Scenario>, RunSettings), Error> {
    let mut loaded = Vec::new();
    let mut problems = Vec::new();
    let mut seed = req.settings.seed;
    for file in &req.scenarios {
        match workflow::load(Some(file), &req.overrides, seed) {
            Ok(sc) => {
                seed = seed.or(Some(sc.seed));
                loaded.push(sc);
            }
            Err(p) => problems.extend(p.0),
        }
    }
    workflow::print_warnings(loaded.iter().flat_map(|sc| &sc.warnings));
    if !problems.is_empty() {
        return Err(Problems(problems).into());
    }
    let first = &loaded[0];
    let settings = RunSettings {
        iterations: Some(req.settings.iterations_for(first)),
        seed: Some(req.settings.seed.unwrap_or(first.seed)),
        threads: req.settings.threads,
    };
    note_ignored(req, &loaded);
    Ok((loaded, settings))
}

/// Says on stderr when a later option's own seed or iterations are set aside for the first's.
fn note_ignored(req: &CompareRequest, options: &[Scenario]) {
    let first = &options[0];
    for sc in &options[1..] {
        if req.settings.seed.is_none() && sc.seed != first.seed {
            eprintln!(
                "note: {} declares seed {}; every option runs with the first option's seed {} (common random numbers). Give --seed to choose it.",
                sc.name, sc.seed, first.seed
            );
        }
        if req.settings.iterations.is_none() && sc.iterations != first.iterations {
            eprintln!(
                "note: {} declares {} iterations; every option runs the first option's {}. Give -n to choose.",
                sc.name, sc.iterations, first.iterations
            );
        }
    }
}

/// Letters, names, files and distinct folder names of the options.
fn option_infos(req: &CompareRequest, options: &[Scenario]) -> Vec<OptionInfo> {
    let mut used = HashSet::new();
    options
        .iter()
        .zip(&req.scenarios)
        .zip('A'..='Z')
        .map(|((sc, file), letter)| OptionInfo {
            letter,
            name: sc.name.clone(),
            slug: unique_slug(&workflow::default_slug(sc), &mut used),
            file: file.display().to_string(),
        })
        .collect()
}

/// A folder name for `slug` not yet in `used`: the slug, else `slug-2`, `slug-3`…
fn unique_slug(slug: &str, used: &mut HashSet<String>) -> String {
    let mut name = slug.to_string();
    let mut k = 2;
    while !used.insert(name.clone()) {
        name = format!("{slug}-{k}");
        k += 1;
    }
    name
}

/// Runs every option in turn under one progress bar, writes its outputs to `dir/<slug>/` and
/// keeps only its totals per iteration.
fn run_options(
    options: &[Scenario],
    infos: &[OptionInfo],
    settings: &RunSettings,
    req: &CompareRequest,
    dir: &Path,
) -> Result<Vec<OptionTotals>, Error> {
    let total: u64 = options.iter().map(|sc| settings.iterations_for(sc)).sum();
    let progress = Progress::new(total, req.output.quiet, "compare");
    let mut totals = Vec::new();
    for (sc, info) in options.iter().zip(infos) {
        let started = Instant::now();
        // Each option streams into its folder's sink, as `icbsim run` does; only its totals are
        // kept for the pairing.
        let cfg = workflow::run_config(sc, settings)?;
        let out = dir.join(&info.slug);
        let collected = workflow::run_folder(
            &out,
            sc,
            &cfg,
            &req.overrides,
            &req.output,
            &progress,
            started,
        )?;
        let kept = OptionTotals::of_columns(&collected, sc.orgs.len())
            .context("cannot read back an option's results")?;
        totals.push(kept);
    }
    progress.finish();
    Ok(totals)
}

/// Writes `paired.csv`, `paired_iterations.csv`, `compare.json` and (unless `--no-charts`) one
/// chart per pair.
fn write_comparison(
    dir: &Path,
    cmp: &PairedComparison,
    totals: &[OptionTotals],
    req: &CompareRequest,
) -> Result<(), Error> {
    write_records::<PairedRecord>(dir, &paired::paired_records(cmp))
        .map_err(anyhow::Error::from)?;
    paired::write_iterations(dir, &cmp.options, totals).map_err(anyhow::Error::from)?;
    CompareManifest {
        icbsim_version: env!("CARGO_PKG_VERSION").to_string(),
        iterations: cmp.iterations,
        options: cmp
            .options
            .iter()
            .map(|o| ManifestOption {
                file: o.file.clone(),
                letter: o.letter.to_string(),
                name: o.name.clone(),
                slug: o.slug.clone(),
            })
            .collect(),
        overrides: req.overrides.clone(),
        pairs: cmp
            .pairs
            .iter()
            .map(|p| ManifestPair {
                chart: chart_stem(cmp, p),
                finding: cmp.headline(p),
                option_a: cmp.options[p.a].slug.clone(),
                option_b: cmp.options[p.b].slug.clone(),
            })
            .collect(),
        seed: cmp.seed,
    }
    .write(dir)?;
    if !req.output.no_charts {
        for pair in &cmp.pairs {
            draw_pair(dir, cmp, pair)?;
        }
    }
    Ok(())
}

/// The file stem of a pair's chart: `paired_a_b`.
fn chart_stem(cmp: &PairedComparison, pair: &paired::Pair) -> String {
    format!(
        "paired_{}_{}",
        cmp.options[pair.a].letter.to_ascii_lowercase(),
        cmp.options[pair.b].letter.to_ascii_lowercase()
    )
}

/// The chart of one pair: each result's difference A − B, titled with the exit-cost finding.
fn draw_pair(dir: &Path, cmp: &PairedComparison, pair: &paired::Pair) -> Result<(), Error> {
    let (a, b) = (&cmp.options[pair.a], &cmp.options[pair.b]);
    let rows: Vec<DiffRow> = pair
        .differences
        .iter()
        .map(|d| {
            let s = &d.summary;
            DiffRow {
                label: label(d.metric).to_string(),
                q: [s.p5, s.p25, s.p50, s.p75, s.p95],
                note: format!("{} lower in {}", a.letter, percent(d.a_lower.p, 0)),
            }
        })
        .collect();
    let title = cmp.headline(pair);
    let chart = charts::paired_svg(
        &title,
        &rows,
        &format!(
            "{}: {} · {}: {} · {} iterations · seed {}",
            a.letter,
            a.name,
            b.letter,
            b.name,
            icbsim::format::count(cmp.iterations as f64),
            cmp.seed
        ),
        &format!(
            "Difference {} − {} in the same iteration",
            a.letter, b.letter
        ),
        &format!("icbsim {}", env!("CARGO_PKG_VERSION")),
    );
    charts::write_chart(dir, &chart_stem(cmp, pair), &chart, &title)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_slugs_get_numbered_folders() {
        let mut used = HashSet::new();
        assert_eq!(unique_slug("a", &mut used), "a");
        assert_eq!(unique_slug("a", &mut used), "a-2");
    }
}
