//! `icbsim sweep`: one scenario over a grid of one or two parameters.
//!
//! Every grid point is the scenario with `--set PATH=VALUE` added, validated before anything
//! runs, and run with the same seed, so every point shares its random numbers (common random
//! numbers). Writes `sweep.csv` (key statistics per point), `sweep_summary.csv` (each point's
//! whole `summary.csv`), `sweep.json` and a chart, into a folder put in place whole when
//! finished ([`icbsim::workflow::atomic`]).

use anyhow::Context;
use icbsim::charts::{self, SweepSeries};
use icbsim::engine::RunConfig;
use icbsim::guard::{self, Breach, Guard};
use icbsim::output::compare::{self, KeyStats, STAT_COLUMNS};
use icbsim::output::progress::Progress;
use icbsim::output::{csv_writer, summary_records, SUMMARY_HEADER};
use icbsim::scenario::{Problems, Scenario};
use icbsim::workflow::{
    self, input_error, run_config, Error, ManyRequest, Outcome, Staging, SweepRequest,
};
use std::path::{Path, PathBuf};

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
fn load_grid(req: &SweepRequest, vary: &[(String, Vec<String>)]) -> Result<Vec<Point>, Error> {
    let second: Vec<Option<&String>> = match vary.get(1) {
        Some((_, vs)) => vs.iter().map(Some).collect(),
        None => vec![None],
    };
    let mut points = Vec::new();
    let mut problems = Vec::new();
    for v1 in &vary[0].1 {
        for v2 in &second {
            let mut set = req.many.overrides.clone();
            let mut values = vec![v1.clone()];
            set.push(format!("{}={v1}", vary[0].0));
            if let (Some(v2), Some((p2, _))) = (v2, vary.get(1)) {
                set.push(format!("{p2}={v2}"));
                values.push((*v2).clone());
            }
            match workflow::load(Some(&req.scenario), &set, req.many.settings.seed) {
                Ok(sc) => points.push(Point { values, sc }),
                Err(p) => problems.extend(p.0),
            }
        }
    }
    workflow::print_warnings(points.iter().flat_map(|p| &p.sc.warnings));
    if problems.is_empty() {
        Ok(points)
    } else {
        problems.dedup();
        Err(Problems(problems).into())
    }
}

/// `icbsim sweep SCENARIO --vary PATH=V1,V2,... [--vary PATH2=...]`.
///
/// # Errors
/// Bad input (exit 2, nothing written) when a `--vary`, `--fail-if` or any grid point's scenario
/// is invalid; internal errors when a run or file fails.
pub fn sweep(req: &SweepRequest) -> Result<Outcome, Error> {
    let many = &req.many;
    let guards = guard::parse_all(&many.fail_if).map_err(|m| input_error(&m))?;
    let vary = parse_vary(&req.vary).map_err(|m| input_error(&m))?;
    let points = load_grid(req, &vary)?;
    let cols = guard::resolve_all(&guards, &points[0].sc).map_err(|m| input_error(&m))?;
    for p in &points {
        run_config(&p.sc, &many.settings)?;
    }
    let out_dir = many.output.out.clone().unwrap_or_else(|| {
        PathBuf::from("output").join(format!("{}-sweep", workflow::default_slug(&points[0].sc)))
    });
    let staging = Staging::begin(&out_dir)?;
    let runs = run_grid(&points, many, (&guards, &cols))?;
    write_sweep(staging.path(), &vary, &points, &runs, many)?;
    staging.commit()?;
    let mut breaches = Vec::new();
    for (p, run) in points.iter().zip(&runs) {
        for b in &run.breaches {
            breaches.push(format!("{}: {b}", point_label(&vary, p)));
        }
    }
    if !many.output.quiet {
        print_table(&vary, &points, &runs);
        println!("\nResults in {}", out_dir.display());
    }
    for b in &breaches {
        eprintln!("{b}");
    }
    Ok(if breaches.is_empty() {
        Outcome::Success
    } else {
        Outcome::GuardBreached
    })
}

/// What a sweep keeps of one grid point's run: its configuration, key statistics, `summary.csv`
/// rows and breached guards. The iterations themselves are dropped once these are computed, so a
/// sweep holds one point's iterations at a time.
struct PointRun {
    cfg: RunConfig,
    stats: KeyStats,
    summary: Vec<Vec<String>>,
    breaches: Vec<Breach>,
}

/// Runs every grid point in order under one progress bar, judging `guards` (with their
/// organisation columns) on each.
fn run_grid(
    points: &[Point],
    many: &ManyRequest,
    (guards, cols): (&[Guard], &[usize]),
) -> Result<Vec<PointRun>, Error> {
    let total: u64 = points
        .iter()
        .map(|p| many.settings.iterations_for(&p.sc))
        .sum();
    let label = format!("{} sweep", points[0].sc.name);
    let progress = Progress::new(total, many.output.quiet, &label);
    let mut runs = Vec::new();
    for p in points {
        let (cfg, results) = workflow::simulate(&p.sc, &many.settings, &progress)?;
        let results = results.as_slice();
        runs.push(PointRun {
            cfg,
            stats: KeyStats::of(results),
            summary: summary_records(&p.sc, results).context("cannot summarise a sweep point")?,
            breaches: guard::check(guards, cols, results).context("cannot judge a guard")?,
        });
    }
    progress.finish();
    Ok(runs)
}

/// Prints the key statistics of every grid point.
fn print_table(vary: &[(String, Vec<String>)], points: &[Point], runs: &[PointRun]) {
    let rows: Vec<(String, KeyStats)> = points
        .iter()
        .zip(runs)
        .map(|(p, r)| (point_label(vary, p), r.stats))
        .collect();
    print!(
        "{}",
        compare::comparison_table(
            &format!("{} — sweep of {} points", points[0].sc.name, points.len()),
            &rows
        )
    );
}

/// `path=value, path=value` for a grid point.
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
    runs: &[PointRun],
    many: &ManyRequest,
) -> Result<(), Error> {
    let paths: Vec<String> = vary.iter().map(|(p, _)| p.clone()).collect();
    let mut w = csv_writer(dir, "sweep.csv")?;
    let mut header = paths.clone();
    header.extend(STAT_COLUMNS.iter().map(|s| s.to_string()));
    w.write_record(&header).context("cannot write sweep.csv")?;
    let stats: Vec<KeyStats> = runs.iter().map(|r| r.stats).collect();
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
    for (p, r) in points.iter().zip(runs) {
        for row in &r.summary {
            let mut rec = p.values.clone();
            rec.extend(row.iter().cloned());
            w.write_record(&rec)
                .context("cannot write sweep_summary.csv")?;
        }
    }
    w.flush().context("cannot write sweep_summary.csv")?;
    let cfg = &runs[0].cfg;
    let manifest = serde_json::json!({
        "icbsim_version": env!("CARGO_PKG_VERSION"),
        "scenario_name": points[0].sc.name,
        "scenario_file": points[0].sc.file.as_ref().map(|p| p.display().to_string()),
        "overrides": many.overrides,
        "vary": vary.iter().map(|(p, v)| serde_json::json!({"path": p, "values": v})).collect::<Vec<_>>(),
        "seed": cfg.seed,
        "iterations": cfg.iterations,
        "points": points.len(),
    });
    let text = serde_json::to_string_pretty(&manifest).map_err(anyhow::Error::from)? + "\n";
    std::fs::write(dir.join("sweep.json"), text).context("cannot write sweep.json")?;
    if !many.output.no_charts {
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
) -> Result<(), Error> {
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
    let svg = charts::sweep_svg(
        &vary[0].0,
        &vary[0].1,
        &series,
        &format!(
            "{} · {} iterations per point · seed {} (common random numbers)",
            sc.name, cfg.iterations, cfg.seed
        ),
        &format!("icbsim {}", env!("CARGO_PKG_VERSION")),
    );
    charts::write_chart(dir, "sweep", &svg, "")?;
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
}
