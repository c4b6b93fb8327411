//! `icbsim batch`: many scenarios, one comparison.
//!
//! A batch runs every scenario of a directory (or a list of files), writes each one's outputs as
//! it finishes, carries on past a scenario that fails, and writes `comparison.csv` and a chart.
//! It reuses `run`'s loading, engine and writers; [`crate::sweep`] shares its [`simulate`].

use crate::app::{self, AppError};
use crate::cli::{BatchArgs, ManyArgs};
use anyhow::Context;
use icbsim::engine::{self, IterationOutput, RunConfig};
use icbsim::guard::{self, Breach};
use icbsim::output::compare::{self, KeyStats};
use icbsim::output::compare_chart::{self, RangeRow};
use icbsim::output::csv_writer;
use icbsim::output::progress::Progress;
use icbsim::scenario::Scenario;
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

/// Runs one loaded scenario (all iterations), calling `progress` as iterations finish.
pub(crate) fn simulate(
    sc: &Scenario,
    many: &ManyArgs,
    progress: &Progress,
) -> Result<(RunConfig, Vec<IterationOutput>), AppError> {
    let cfg = app::run_config(sc, many.iterations, many.seed, many.threads)?;
    let results =
        engine::run(sc, &cfg, &|n| progress.inc(n)).context("cannot start worker threads")?;
    Ok((cfg, results))
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

/// `icbsim batch DIR|FILES...`.
///
/// # Errors
/// A malformed `--fail-if` or no scenario files at all is bad input; otherwise failures are
/// reported per scenario and reflected in the exit code (2 validation, 1 run, 3 guard).
pub fn batch(args: &BatchArgs) -> Result<u8, AppError> {
    let many = &args.many;
    let guards = guard::parse_all(&many.fail_if).map_err(|m| app::input_error(&m))?;
    let (files, mut invalid) = scenario_files(&args.inputs);
    if files.is_empty() && invalid.is_empty() {
        return Err(app::input_error(&format!(
            "no scenario files (*.toml) in {}",
            args.inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut loaded = Vec::new();
    for f in files {
        let checked = app::load(Some(&f), &many.set, many.seed)
            .map_err(|p| p.to_string())
            .and_then(|sc| Ok((guard::resolve_all(&guards, &sc)?, sc)));
        match checked {
            Ok((cols, sc)) => loaded.push((f, sc, cols)),
            Err(msg) => invalid.push((f, msg)),
        }
    }
    let out_root = many
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join("batch"));
    std::fs::create_dir_all(&out_root)
        .with_context(|| format!("cannot create {}", out_root.display()))?;
    let total: u64 = loaded
        .iter()
        .map(|(_, sc, _)| many.iterations.unwrap_or(u64::from(sc.iterations)))
        .sum();
    let progress = Progress::new(total, many.quiet, "batch");
    let mut used = HashSet::new();
    let mut done = Vec::new();
    let mut run_failed = Vec::new();
    let mut breaches: Vec<(String, Breach)> = Vec::new();
    for (f, sc, cols) in &loaded {
        let started = Instant::now();
        let slug = unique_slug(&sc.slug, &mut used);
        let result = simulate(sc, many, &progress).and_then(|(cfg, results)| {
            let meta = app::run_meta(sc, &cfg, &many.set, started);
            app::write_outputs(&out_root.join(&slug), sc, &results, &meta, many.no_charts)?;
            Ok((cfg, results))
        });
        match result {
            Ok((cfg, results)) => {
                breaches.extend(
                    guard::check(&guards, cols, &results)
                        .into_iter()
                        .map(|b| (f.display().to_string(), b)),
                );
                done.push(Done {
                    name: sc.name.clone(),
                    slug,
                    cfg,
                    stats: KeyStats::of(&results),
                });
            }
            Err(AppError::Input(m)) => invalid.push((f.clone(), m)),
            Err(AppError::Internal(e)) => run_failed.push((f.clone(), format!("{e:#}"))),
        }
    }
    progress.finish();
    write_comparison(&out_root, &done, many.no_charts)?;
    if !many.quiet {
        let rows: Vec<(String, KeyStats)> =
            done.iter().map(|d| (d.name.clone(), d.stats)).collect();
        print!(
            "{}",
            compare::comparison_table(&format!("{} scenarios compared", done.len()), &rows)
        );
        println!("\nResults in {}", out_root.display());
    }
    for (f, why) in &invalid {
        eprintln!("{}: not run (bad input):\n{why}", f.display());
    }
    for (f, why) in &run_failed {
        eprintln!("{}: failed to run: {why}", f.display());
    }
    for (f, b) in &breaches {
        eprintln!("{f}: {b}");
    }
    Ok(if !invalid.is_empty() {
        2
    } else if !run_failed.is_empty() {
        1
    } else if !breaches.is_empty() {
        3
    } else {
        0
    })
}

fn write_comparison(dir: &Path, done: &[Done], no_charts: bool) -> Result<(), AppError> {
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
        let svg = compare_chart::comparison_svg(
            &rows,
            &format!(
                "{} scenarios · total of each scenario's organisations",
                done.len()
            ),
            &format!("icbsim {}", env!("CARGO_PKG_VERSION")),
        );
        compare_chart::write_chart(
            dir,
            "comparison",
            &svg,
            "Exit cost and chance of meeting the target, by scenario",
        )?;
    }
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
