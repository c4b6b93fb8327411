//! `icbsim batch`: many scenarios, one comparison.
//!
//! A batch runs every scenario of a directory (or a list of files), writes each one's outputs as
//! it finishes, carries on past a scenario that fails, and writes `comparison.csv` and a chart.
//! The whole batch folder is written beside its target and put in place when finished
//! ([`icbsim::workflow::atomic`]), replacing an earlier batch whole.

use anyhow::Context;
use icbsim::charts::{self, RangeRow};
use icbsim::engine::RunConfig;
use icbsim::guard::{self, Breach, Guard};
use icbsim::output::compare::{self, KeyStats};
use icbsim::output::csv_writer;
use icbsim::output::progress::Progress;
use icbsim::scenario::Scenario;
use icbsim::workflow::{self, input_error, BatchRequest, Error, ManyRequest, Outcome, Staging};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The scenario files named by `inputs`: each directory's `*.toml` sorted by name, and files as
/// given. Unreadable directories are reported in the second list.
fn scenario_files(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut failed = Vec::new();
    for p in inputs {
        if !p.is_dir() {
            files.push(p.clone());
            continue;
        }
        match std::fs::read_dir(p) {
            Ok(rd) => {
                let mut found: Vec<PathBuf> = rd
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "toml"))
                    .collect();
                found.sort();
                files.extend(found);
            }
            Err(e) => failed.push((p.clone(), format!("cannot read the directory: {e}"))),
        }
    }
    (files, failed)
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

/// One finished scenario of a batch.
struct Done {
    name: String,
    slug: String,
    cfg: RunConfig,
    stats: KeyStats,
}

/// A scenario that loaded, with its guards' result columns.
struct Loaded {
    file: PathBuf,
    sc: Scenario,
    cols: Vec<usize>,
}

/// What became of every scenario of a batch.
#[derive(Default)]
struct Tally {
    done: Vec<Done>,
    invalid: Vec<(PathBuf, String)>,
    run_failed: Vec<(PathBuf, String)>,
    breaches: Vec<(String, Breach)>,
}

/// `icbsim batch DIR|FILES...`.
///
/// # Errors
/// A malformed `--fail-if` or no scenario files at all is bad input; otherwise failures are
/// reported per scenario and reflected in the outcome (2 validation, 1 run, 3 guard).
pub fn batch(req: &BatchRequest) -> Result<Outcome, Error> {
    let many = &req.many;
    let guards = guard::parse_all(&many.fail_if).map_err(|m| input_error(&m))?;
    workflow::check_settings(&many.settings)?;
    let (files, invalid) = scenario_files(&req.inputs);
    if files.is_empty() && invalid.is_empty() {
        return Err(input_error(&format!(
            "no scenario files (*.toml) in {}",
            req.inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut tally = Tally {
        invalid,
        ..Tally::default()
    };
    let loaded = load_all(files, many, &guards, &mut tally.invalid);
    let out_root = many
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join("batch"));
    let staging = Staging::begin(&out_root)?;
    run_all(&loaded, many, &guards, staging.path(), &mut tally);
    write_comparison(staging.path(), &tally.done, many.output.no_charts)?;
    if !many.output.no_report {
        icbsim::report::write_batch_report(staging.path())
            .context("cannot write the batch report")?;
    }
    staging.commit()?;
    Ok(report(&tally, &out_root, many.output.quiet))
}

/// Loads every file with the batch's overrides and resolves the guards on it; files that fail
/// go to `invalid` with their problems.
fn load_all(
    files: Vec<PathBuf>,
    many: &ManyRequest,
    guards: &[Guard],
    invalid: &mut Vec<(PathBuf, String)>,
) -> Vec<Loaded> {
    let mut loaded = Vec::new();
    for file in files {
        let checked = workflow::load(Some(&file), &many.overrides, many.settings.seed)
            .map_err(|p| p.to_string())
            .and_then(|sc| {
                workflow::print_warnings(&sc.warnings);
                Ok((guard::resolve_all(guards, &sc)?, sc))
            });
        match checked {
            Ok((cols, sc)) => loaded.push(Loaded { file, sc, cols }),
            Err(msg) => invalid.push((file, msg)),
        }
    }
    loaded
}

/// Runs and writes every loaded scenario in turn, carrying on past failures.
fn run_all(
    loaded: &[Loaded],
    many: &ManyRequest,
    guards: &[Guard],
    out_root: &Path,
    tally: &mut Tally,
) {
    let total: u64 = loaded
        .iter()
        .map(|l| many.settings.iterations_for(&l.sc))
        .sum();
    let progress = Progress::new(total, many.output.quiet, "batch");
    let mut used = HashSet::new();
    for Loaded { file, sc, cols } in loaded {
        let started = Instant::now();
        let slug = unique_slug(&workflow::default_slug(sc), &mut used);
        // Each run streams into its own folder's sink, as `icbsim run` does, so a batch holds
        // one run's kept columns at a time.
        let dir = out_root.join(&slug);
        let result = workflow::run_config(sc, &many.settings).and_then(|cfg| {
            let collected = workflow::run_folder(
                &dir,
                sc,
                &cfg,
                &many.overrides,
                &many.output,
                &progress,
                started,
            )?;
            let read = |e: std::io::Error| Error::Internal(anyhow::Error::from(e));
            let breaches = guard::check(guards, cols, &collected).map_err(read)?;
            let stats = KeyStats::of_columns(&collected, sc.orgs.len()).map_err(read)?;
            Ok((cfg, breaches, stats))
        });
        match result {
            Ok((cfg, breaches, stats)) => {
                tally.breaches.extend(
                    breaches
                        .into_iter()
                        .map(|b| (file.display().to_string(), b)),
                );
                tally.done.push(Done {
                    name: sc.name.clone(),
                    slug,
                    cfg,
                    stats,
                });
            }
            Err(Error::Input(m)) => tally.invalid.push((file.clone(), m)),
            Err(Error::Internal(e)) => tally.run_failed.push((file.clone(), format!("{e:#}"))),
        }
    }
    progress.finish();
}

/// Prints the comparison table and every failure and breach; the outcome, worst first.
fn report(tally: &Tally, out_root: &Path, quiet: bool) -> Outcome {
    if !quiet {
        let rows: Vec<(String, KeyStats)> = tally
            .done
            .iter()
            .map(|d| (d.name.clone(), d.stats))
            .collect();
        let title = format!("{} scenarios compared", tally.done.len());
        print!("{}", compare::comparison_table(&title, &rows));
        println!("\nResults in {}", out_root.display());
    }
    for (f, why) in &tally.invalid {
        eprintln!("{}: not run (bad input):\n{why}", f.display());
    }
    for (f, why) in &tally.run_failed {
        eprintln!("{}: failed to run: {why}", f.display());
    }
    for (f, b) in &tally.breaches {
        eprintln!("{f}: {b}");
    }
    if !tally.invalid.is_empty() {
        Outcome::SomeInvalid
    } else if !tally.run_failed.is_empty() {
        Outcome::SomeFailed
    } else if !tally.breaches.is_empty() {
        Outcome::GuardBreached
    } else {
        Outcome::Success
    }
}

/// Writes `comparison.csv` and (unless `no_charts`) its chart.
fn write_comparison(dir: &Path, done: &[Done], no_charts: bool) -> Result<(), Error> {
    let mut w = csv_writer(dir, "comparison.csv")?;
    w.write_record(compare::comparison_header())
        .context("cannot write comparison.csv")?;
    for d in done {
        w.write_record(compare::comparison_record(
            &d.name,
            &d.slug,
            d.cfg.iterations,
            d.cfg.seed,
            &d.stats,
        ))
        .context("cannot write comparison.csv")?;
    }
    w.flush().context("cannot write comparison.csv")?;
    if !no_charts && !done.is_empty() {
        draw_comparison(dir, done)?;
    }
    Ok(())
}

/// The comparison chart: each scenario's exit-cost range and chance of meeting the target.
fn draw_comparison(dir: &Path, done: &[Done]) -> Result<(), Error> {
    let rows: Vec<RangeRow> = done
        .iter()
        .map(|d| RangeRow {
            label: d.name.clone(),
            exit: (
                d.stats.exit_cost_p10,
                d.stats.exit_cost_p50,
                d.stats.exit_cost_p90,
            ),
            p_met: d.stats.p_target_met,
        })
        .collect();
    let svg = charts::comparison_svg(
        &rows,
        &format!(
            "{} scenarios · total of each scenario's organisations",
            done.len()
        ),
        &format!("icbsim {}", env!("CARGO_PKG_VERSION")),
    );
    charts::write_chart(dir, "comparison", &svg, "")?;
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
        assert_eq!(unique_slug("a", &mut used), "a-3");
    }
}
