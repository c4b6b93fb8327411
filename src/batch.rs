//! `icbsim batch` and `icbsim sweep`: many runs, one comparison.
//!
//! A batch runs every scenario of a directory (or a list of files), writes each one's outputs as
//! it finishes, carries on past a scenario that fails, and writes `comparison.csv` and a chart.
//! A sweep runs one scenario over a grid of one or two parameters with the same seed (so every
//! grid point shares its random numbers) and writes `sweep.csv`, `sweep_summary.csv` and a
//! chart. Both reuse `run`'s loading, engine and writers.

use crate::app::{self, AppError};
use crate::cli::{BatchArgs, ManyArgs, SweepArgs};
use anyhow::Context;
use icbsim::engine::{self, IterationOutput, RunConfig};
use icbsim::guard::{self, Breach};
use icbsim::output::compare::{self, KeyStats, STAT_COLUMNS};
use icbsim::output::compare_chart::{self, RangeRow, SweepSeries};
use icbsim::output::progress::Progress;
use icbsim::output::{csv_writer, summary_records, SUMMARY_HEADER};
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
fn simulate(
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

/// Splits `v1,v2,...` at commas outside quotes, braces and brackets (so TOML tables and arrays
/// stay whole).
pub fn split_values(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut cur) = (0i32, None::<char>, String::new());
    for c in s.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur.trim().to_string());
    out
}

/// Parses the `--vary PATH=V1,V2,...` options: one or two distinct paths, each with values.
///
/// # Errors
/// A message naming the bad option.
pub fn parse_vary(vary: &[String]) -> Result<Vec<(String, Vec<String>)>, String> {
    if vary.len() > 2 {
        return Err("--vary: at most two parameters (a one- or two-way grid)".into());
    }
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for v in vary {
        let Some((path, values)) = v.split_once('=') else {
            return Err(format!(
                "--vary '{v}': expected PATH=V1,V2,..., e.g. vr.uptake=0.1,0.3,0.5"
            ));
        };
        let path = path.trim().to_string();
        let values = split_values(values);
        if path.is_empty() || values.iter().any(String::is_empty) {
            return Err(format!(
                "--vary '{v}': a path and non-empty values are needed, e.g. vr.uptake=0.1,0.3,0.5"
            ));
        }
        if out.iter().any(|(p, _)| *p == path) {
            return Err(format!("--vary '{v}': {path} is varied twice"));
        }
        out.push((path, values));
    }
    Ok(out)
}

/// One grid point of a sweep: its values (one per varied path) and loaded scenario.
struct Point {
    values: Vec<String>,
    sc: Scenario,
}

/// Loads every grid point, collecting every problem.
fn load_grid(args: &SweepArgs, vary: &[(String, Vec<String>)]) -> Result<Vec<Point>, AppError> {
    let second: Vec<Option<&String>> = match vary.get(1) {
        Some((_, vs)) => vs.iter().map(Some).collect(),
        None => vec![None],
    };
    let mut points = Vec::new();
    let mut problems = Vec::new();
    for v1 in &vary[0].1 {
        for v2 in &second {
            let mut set = args.many.set.clone();
            let mut values = vec![v1.clone()];
            set.push(format!("{}={v1}", vary[0].0));
            if let (Some(v2), Some((p2, _))) = (v2, vary.get(1)) {
                set.push(format!("{p2}={v2}"));
                values.push((*v2).clone());
            }
            match app::load(Some(&args.scenario), &set, args.many.seed) {
                Ok(sc) => points.push(Point { values, sc }),
                Err(p) => problems.extend(p.0),
            }
        }
    }
    if problems.is_empty() {
        Ok(points)
    } else {
        problems.dedup();
        Err(icbsim::scenario::Problems(problems).into())
    }
}

/// `icbsim sweep SCENARIO --vary PATH=V1,V2,... [--vary PATH2=...]`.
///
/// # Errors
/// Bad input (exit 2, nothing written) when a `--vary`, `--fail-if` or any grid point's scenario
/// is invalid; internal errors when a run or file fails.
pub fn sweep(args: &SweepArgs) -> Result<u8, AppError> {
    let many = &args.many;
    let guards = guard::parse_all(&many.fail_if).map_err(|m| app::input_error(&m))?;
    let vary = parse_vary(&args.vary).map_err(|m| app::input_error(&m))?;
    let points = load_grid(args, &vary)?;
    let cols = guard::resolve_all(&guards, &points[0].sc).map_err(|m| app::input_error(&m))?;
    for p in &points {
        app::run_config(&p.sc, many.iterations, many.seed, many.threads)?;
    }
    let out_dir = many
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-sweep", points[0].sc.slug)));
    let total: u64 = points
        .iter()
        .map(|p| many.iterations.unwrap_or(u64::from(p.sc.iterations)))
        .sum();
    let progress = Progress::new(total, many.quiet, &format!("{} sweep", points[0].sc.name));
    let mut runs = Vec::new();
    for p in &points {
        let (cfg, results) = simulate(&p.sc, many, &progress)?;
        runs.push((cfg, results));
    }
    progress.finish();
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    write_sweep(&out_dir, &vary, &points, &runs, many)?;
    let mut breaches = Vec::new();
    for (p, (_, results)) in points.iter().zip(&runs) {
        for b in guard::check(&guards, &cols, results) {
            breaches.push(format!("{}: {b}", point_label(&vary, p)));
        }
    }
    if !many.quiet {
        let rows: Vec<(String, KeyStats)> = points
            .iter()
            .zip(&runs)
            .map(|(p, (_, r))| (point_label(&vary, p), KeyStats::of(r)))
            .collect();
        print!(
            "{}",
            compare::comparison_table(
                &format!("{} — sweep of {} points", points[0].sc.name, points.len()),
                &rows
            )
        );
        println!("\nResults in {}", out_dir.display());
    }
    for b in &breaches {
        eprintln!("{b}");
    }
    Ok(if breaches.is_empty() { 0 } else { 3 })
}

fn point_label(vary: &[(String, Vec<String>)], p: &Point) -> String {
    vary.iter()
        .zip(&p.values)
        .map(|((path, _), v)| format!("{path}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes `sweep.csv`, `sweep_summary.csv`, `sweep.json` and (unless `--no-charts`) the chart.
fn write_sweep(
    dir: &Path,
    vary: &[(String, Vec<String>)],
    points: &[Point],
    runs: &[(RunConfig, Vec<IterationOutput>)],
    many: &ManyArgs,
) -> Result<(), AppError> {
    let paths: Vec<String> = vary.iter().map(|(p, _)| p.clone()).collect();
    let mut w = csv_writer(dir, "sweep.csv")?;
    let mut header = paths.clone();
    header.extend(STAT_COLUMNS.iter().map(|s| s.to_string()));
    w.write_record(&header).context("cannot write sweep.csv")?;
    let stats: Vec<KeyStats> = runs.iter().map(|(_, r)| KeyStats::of(r)).collect();
    for (p, k) in points.iter().zip(&stats) {
        let mut rec = p.values.clone();
        rec.extend(k.cells());
        w.write_record(&rec).context("cannot write sweep.csv")?;
    }
    w.flush().context("cannot write sweep.csv")?;
    let mut w = csv_writer(dir, "sweep_summary.csv")?;
    let mut header = paths.clone();
    header.extend(SUMMARY_HEADER.iter().map(|s| s.to_string()));
    w.write_record(&header)
        .context("cannot write sweep_summary.csv")?;
    for (p, (_, r)) in points.iter().zip(runs) {
        for row in summary_records(&p.sc, r) {
            let mut rec = p.values.clone();
            rec.extend(row);
            w.write_record(&rec)
                .context("cannot write sweep_summary.csv")?;
        }
    }
    w.flush().context("cannot write sweep_summary.csv")?;
    let (cfg, _) = &runs[0];
    let manifest = serde_json::json!({
        "icbsim_version": env!("CARGO_PKG_VERSION"),
        "scenario_name": points[0].sc.name,
        "scenario_file": points[0].sc.file.as_ref().map(|p| p.display().to_string()),
        "overrides": many.set,
        "vary": vary.iter().map(|(p, v)| serde_json::json!({"path": p, "values": v})).collect::<Vec<_>>(),
        "seed": cfg.seed,
        "iterations": cfg.iterations,
        "points": points.len(),
    });
    let text = serde_json::to_string_pretty(&manifest).map_err(anyhow::Error::from)? + "\n";
    std::fs::write(dir.join("sweep.json"), text).context("cannot write sweep.json")?;
    if !many.no_charts {
        draw_sweep(dir, vary, &stats, &points[0].sc, cfg)?;
    }
    Ok(())
}

fn draw_sweep(
    dir: &Path,
    vary: &[(String, Vec<String>)],
    stats: &[KeyStats],
    sc: &Scenario,
    cfg: &RunConfig,
) -> Result<(), AppError> {
    let n2 = vary.get(1).map_or(1, |(_, v)| v.len());
    let series: Vec<SweepSeries> = (0..n2)
        .map(|j| {
            let pts: Vec<&KeyStats> = stats.iter().skip(j).step_by(n2).collect();
            SweepSeries {
                label: vary.get(1).map(|(p, v)| format!("{p} = {}", v[j])),
                exit: pts
                    .iter()
                    .map(|k| (k.exit_cost_p10, k.exit_cost_p50, k.exit_cost_p90))
                    .collect(),
                p_met: pts.iter().map(|k| k.p_target_met).collect(),
            }
        })
        .collect();
    let svg = compare_chart::sweep_svg(
        &vary[0].0,
        &vary[0].1,
        &series,
        &format!(
            "{} · {} iterations per point · seed {} (common random numbers)",
            sc.name, cfg.iterations, cfg.seed
        ),
        &format!("icbsim {}", env!("CARGO_PKG_VERSION")),
    );
    compare_chart::write_chart(dir, "sweep", &svg, &format!("Sweep of {}", vary[0].0))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_split_at_top_level_commas_only() {
        assert_eq!(split_values("0.1, 0.3,0.5"), vec!["0.1", "0.3", "0.5"]);
        assert_eq!(
            split_values(r#"{dist="uniform",min=0.2,max=0.5},0.4,"a,b""#),
            vec![r#"{dist="uniform",min=0.2,max=0.5}"#, "0.4", r#""a,b""#]
        );
        assert_eq!(split_values("2026-04,2026-10"), vec!["2026-04", "2026-10"]);
    }

    #[test]
    fn vary_needs_path_values_and_at_most_two_distinct_paths() {
        let v = parse_vary(&["vr.uptake=0.1,0.3".into()]).unwrap();
        assert_eq!(
            v,
            vec![("vr.uptake".to_string(), vec!["0.1".into(), "0.3".into()])]
        );
        assert!(parse_vary(&["vr.uptake".into()])
            .unwrap_err()
            .contains("expected PATH=V1"));
        assert!(parse_vary(&["vr.uptake=0.1,,0.3".into()]).is_err());
        assert!(parse_vary(&["a=1".into(), "a=2".into()])
            .unwrap_err()
            .contains("twice"));
        assert!(parse_vary(&["a=1".into(), "b=2".into(), "c=3".into()]).is_err());
    }

    #[test]
    fn repeated_slugs_get_numbered_folders() {
        let mut used = HashSet::new();
        assert_eq!(unique_slug("a", &mut used), "a");
        assert_eq!(unique_slug("a", &mut used), "a-2");
        assert_eq!(unique_slug("a", &mut used), "a-3");
    }
}
