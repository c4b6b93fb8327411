//! Orchestration: from parsed command line to scenario loading, simulation, files and messages.
//!
//! Owns the exit-code policy: problems with the user's input (scenario files, overrides, calculator
//! arguments) are [`AppError::Input`] (exit 2, nothing written); anything else is internal (exit 1).

use crate::cli::{Cli, Command, ExitCostArgs, RouteArg, RunArgs, SamplingArg, TermsArg};
use anyhow::Context;
use icbsim::engine::{self, IterationOutput, RunConfig};
use icbsim::guard::{self, Breach};
use icbsim::model::exit_terms::{
    annual_employer_cost, exit_cost, section16_years, ExitRules, Leaver, OnCosts, Route,
};
use icbsim::output::{self, progress::Progress, RunMeta};
use icbsim::scenario::{self, Band, LoadOptions, Problems, Scenario};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The embedded national default scenario.
pub const DEFAULT_SCENARIO: &str = include_str!("../scenarios/england-icbs-2025.toml");
/// Display name of the embedded default.
pub const DEFAULT_NAME: &str = "<embedded>/england-icbs-2025.toml";
/// The annotated template printed by `icbsim example`.
pub const TEMPLATE: &str = include_str!("../scenarios/template.toml");

/// Why a command failed.
#[derive(Debug)]
pub enum AppError {
    /// Bad input: the message lists every problem (exit code 2).
    Input(String),
    /// Anything else (exit code 1).
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

impl From<Problems> for AppError {
    fn from(p: Problems) -> Self {
        let n = p.0.len();
        AppError::Input(format!(
            "{p}\n{n} problem{} found; nothing was written.",
            if n == 1 { "" } else { "s" }
        ))
    }
}

/// Runs a parsed command line; returns the process exit code on success.
///
/// # Errors
/// Input problems (exit 2) or internal failures (exit 1).
pub fn dispatch(cli: Cli) -> Result<u8, AppError> {
    match cli.command {
        Command::Run(args) => run(&args),
        Command::Validate { files, set } => validate(&files, &set),
        Command::ExitCost(args) => exit_cost_cmd(&args),
        Command::Example => {
            print!("{TEMPLATE}");
            Ok(0)
        }
        Command::Chart { run_dir } => chart(&run_dir),
        Command::Batch(args) => crate::batch::batch(&args),
        Command::Sweep(args) => crate::sweep::sweep(&args),
        Command::Merge(args) => crate::shard::merge(&args),
        Command::Solve(args) => crate::solve_cmd::solve(&args),
    }
}

/// Loads the scenario named on the command line, or the embedded default.
///
/// # Errors
/// Every problem in the file or the overrides.
pub(crate) fn load(
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

/// Iteration count, seed and threads for a scenario: the command line's, else the scenario's.
///
/// # Errors
/// `--iterations 0` is bad input.
pub(crate) fn run_config(
    sc: &Scenario,
    iterations: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> Result<RunConfig, AppError> {
    let iterations = iterations.unwrap_or(u64::from(sc.iterations));
    if iterations == 0 {
        return Err(AppError::Input(
            "--iterations must be at least 1; nothing was written.".into(),
        ));
    }
    Ok(RunConfig {
        iterations,
        seed: seed.unwrap_or(sc.seed),
        threads: threads.unwrap_or(0),
        range: None,
    })
}

/// The manifest of a run of `sc` under `cfg` with `overrides`, finished now.
pub(crate) fn run_meta(
    sc: &Scenario,
    cfg: &RunConfig,
    overrides: &[String],
    started: Instant,
) -> RunMeta {
    RunMeta {
        icbsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: sc.name.clone(),
        scenario_slug: sc.slug.clone(),
        scenario_file: sc.file.as_ref().map_or(DEFAULT_NAME.to_string(), |p| p.display().to_string()),
        scenario_sha256: sc.sha256.clone(),
        overrides: overrides.to_vec(),
        seed: cfg.seed,
        iterations: cfg.iterations,
        rng: "SplitMix64 counter-based streams keyed by (seed, iteration, input path / organisation, person, purpose); synthetic staff from Xoshiro256++".into(),
        threads: if cfg.threads == 0 { rayon::current_num_threads() } else { cfg.threads },
        wall_seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        command_line: std::env::args().collect::<Vec<_>>().join(" "),
        start: sc.start.to_string(),
        deadline: sc.nominal_deadline().to_string(),
        horizon_months: sc.horizon,
        counts_transfers: sc.target.counts_transfers,
        sampling: match sc.sampling {
            icbsim::scenario::Sampling::Random => "random".into(),
            icbsim::scenario::Sampling::Lhs => "lhs".into(),
        },
        correlation_repairs: correlation_notes(sc, cfg),
        stop_reason: None,
        orgs: sc.orgs.iter().map(|o| o.name.clone()).collect(),
        staff: sc.staff_count(),
        finished_utc: utc_now(),
    }
}

/// In words, each target correlation that had to change to make the matrix valid.
pub(crate) fn correlation_notes(sc: &Scenario, cfg: &RunConfig) -> Vec<String> {
    let (_, repairs) = icbsim::engine::sampling::plan(sc, cfg.seed, cfg.iterations);
    repairs
        .iter()
        .map(|r| {
            format!(
                "correlation of {} and {} changed from {} to {:.3} to make the matrix valid",
                r.a, r.b, r.asked, r.used
            )
        })
        .collect()
}

/// Writes every CSV, the manifest and (unless `no_charts`) the charts of a run into `out_dir`.
///
/// # Errors
/// When a file cannot be written or a chart cannot be drawn.
pub(crate) fn write_outputs(
    out_dir: &Path,
    sc: &Scenario,
    results: &[IterationOutput],
    meta: &RunMeta,
    no_charts: bool,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    output::write_run(out_dir, sc, results, meta)?;
    if !no_charts {
        icbsim::charts::render_run_charts(out_dir).context("cannot draw the charts")?;
    }
    Ok(())
}

/// Prints each breached guard on stderr; returns exit code 3 if any, else 0.
pub(crate) fn report_breaches(breaches: &[Breach], prefix: &str) -> u8 {
    for b in breaches {
        eprintln!("{prefix}{b}");
    }
    if breaches.is_empty() {
        0
    } else {
        3
    }
}

fn run(args: &RunArgs) -> Result<u8, AppError> {
    let started = Instant::now();
    let guards = guard::parse_all(&args.fail_if).map_err(|m| input_error(&m))?;
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    if shard.is_some() && !guards.is_empty() {
        return Err(input_error(
            "--fail-if cannot judge one shard; give it to `icbsim merge` instead",
        ));
    }
    let mut overrides = args.set.clone();
    if let Some(sampling) = args.sampling {
        let name = match sampling {
            SamplingArg::Random => "random",
            SamplingArg::Lhs => "lhs",
        };
        overrides.push(format!("scenario.sampling=\"{name}\""));
    }
    let precision = match args.precision {
        Some(p) if !(p > 0.0 && p < 1.0) => {
            return Err(input_error(&format!(
                "--precision {p}: give a share between 0 and 1, e.g. 0.01 for 1%"
            )));
        }
        Some(_) if shard.is_some() => {
            return Err(input_error(
                "--precision decides the iteration count as it goes; it cannot be sharded",
            ));
        }
        Some(_) if args.block < 2 => return Err(input_error("--block must be at least 2")),
        p => p,
    };
    let sc = load(args.scenario.as_deref(), &overrides, args.seed)?;
    let cols = guard::resolve_all(&guards, &sc).map_err(|m| input_error(&m))?;
    let max = if precision.is_some() {
        Some(args.iterations.unwrap_or(100_000))
    } else {
        args.iterations
    };
    let mut cfg = run_config(&sc, max, args.seed, args.threads)?;
    if let Some((k, n)) = shard {
        cfg.range = Some(shard_range(cfg.iterations, k, n));
        return crate::shard::run_shard(args, &sc, &cfg, (k, n));
    }
    let progress = Progress::new(cfg.iterations, args.quiet, &sc.name);
    let (results, stop_reason) = match precision {
        Some(relative) => {
            let p = engine::Precision {
                relative,
                block: args.block,
                max_iterations: cfg.iterations,
            };
            let (r, why) =
                engine::run_to_precision(&sc, cfg.seed, cfg.threads, p, &|n| progress.inc(n))
                    .context("cannot start worker threads")?;
            cfg.iterations = r.len() as u64;
            (r, Some(why))
        }
        None => (
            engine::run(&sc, &cfg, &|n| progress.inc(n)).context("cannot start worker threads")?,
            None,
        ),
    };
    progress.finish();
    if let Some(why) = &stop_reason {
        if !args.quiet {
            eprintln!("{why}");
        }
    }
    let timing = std::env::var_os("ICBSIM_TIMING").is_some();
    let t_sim = started.elapsed().as_secs_f64();
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&sc.slug));
    let mut meta = run_meta(&sc, &cfg, &overrides, started);
    meta.stop_reason = stop_reason;
    for note in &meta.correlation_repairs {
        eprintln!("note: {note}");
    }
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    output::write_run(&out_dir, &sc, &results, &meta)?;
    let t_files = started.elapsed().as_secs_f64();
    if !args.no_charts {
        icbsim::charts::render_run_charts(&out_dir).context("cannot draw the charts")?;
    }
    if timing {
        let t_all = started.elapsed().as_secs_f64();
        eprintln!(
            "timing: load+simulate {t_sim:.2}s, statistics+files {:.2}s, charts {:.2}s",
            t_files - t_sim,
            t_all - t_files
        );
    }
    if !args.quiet {
        print!(
            "{}",
            output::terminal::summary_table(
                &sc,
                &results,
                cfg.seed,
                &out_dir.display().to_string()
            )
        );
    }
    Ok(report_breaches(&guard::check(&guards, &cols, &results), ""))
}

/// Bad input with "nothing was written." appended.
pub(crate) fn input_error(msg: &str) -> AppError {
    AppError::Input(format!("{msg}\nnothing was written."))
}

/// Parses `K/N` with 0 ≤ K < N.
///
/// # Errors
/// Anything else is bad input.
pub(crate) fn parse_shard(s: &str) -> Result<(u64, u64), AppError> {
    let parsed = s
        .split_once('/')
        .and_then(|(k, n)| Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?)));
    match parsed {
        Some((k, n)) if n >= 1 && k < n => Ok((k, n)),
        _ => Err(input_error(&format!(
            "--shard '{s}': expected K/N with 0 <= K < N, e.g. --shard 0/4 (the first of four)"
        ))),
    }
}

/// Iterations `[K*n/N, (K+1)*n/N)` of a run of `n`.
pub(crate) fn shard_range(n: u64, k: u64, shards: u64) -> std::ops::Range<u64> {
    let at = |j: u64| (u128::from(n) * u128::from(j) / u128::from(shards)) as u64;
    at(k)..at(k + 1)
}

fn validate(files: &[PathBuf], set: &[String]) -> Result<u8, AppError> {
    let mut all = Vec::new();
    for f in files {
        match load(Some(f), set, None) {
            Ok(sc) => println!(
                "{}: ok ({}, {} staff, {} inputs of which {} uncertain)",
                f.display(),
                sc.name,
                sc.staff_count(),
                sc.inputs.len(),
                sc.uncertain_inputs().count()
            ),
            Err(p) => all.extend(p.0),
        }
    }
    if all.is_empty() {
        Ok(0)
    } else {
        Err(Problems(all).into())
    }
}

fn exit_cost_cmd(a: &ExitCostArgs) -> Result<u8, AppError> {
    let mut bad = Vec::new();
    if !(a.salary.is_finite() && a.salary > 0.0) {
        bad.push(format!(
            "--salary: {} must be a positive amount in £",
            a.salary
        ));
    }
    if !(a.service.is_finite() && a.service >= 0.0) {
        bad.push(format!(
            "--service: {} must be zero or more years",
            a.service
        ));
    }
    if !(a.age.is_finite() && (16.0..=80.0).contains(&a.age)) {
        bad.push(format!("--age: {} must be between 16 and 80", a.age));
    } else if a.service > a.age - 16.0 {
        bad.push(format!(
            "--service: {} years is more than age − 16",
            a.service
        ));
    }
    if !(a.fte > 0.0 && a.fte <= 1.0) {
        bad.push(format!(
            "--fte: {} must be more than 0 and at most 1",
            a.fte
        ));
    }
    let band = match a.band.as_deref().map(|b| (b, Band::parse(b))) {
        Some((b, None)) => {
            bad.push(format!(
                "--band: '{b}' is not a band; use 2..9, 8a..8d or VSM"
            ));
            None
        }
        Some((_, band)) => band,
        None => None,
    };
    let route = match a.route {
        RouteArg::Vr => Route::Vr,
        RouteArg::Cr => Route::Cr,
        RouteArg::Mars => Route::Mars,
    };
    if a.pilon && (route != Route::Cr || band.is_none()) {
        bad.push("--pilon: needs --route cr and a --band (notice depends on the band)".into());
    }
    let eligible_er = a.age >= 55.0 && !a.no_pension && a.service >= 2.0;
    if a.early_retirement && (!eligible_er || route == Route::Mars) {
        bad.push(
            "--early-retirement: needs age 55+, pension membership, 2+ years and route vr or cr"
                .into(),
        );
    }
    if !bad.is_empty() {
        return Err(AppError::Input(format!(
            "{}\nnothing was calculated.",
            bad.join("\n")
        )));
    }
    let rules = ExitRules {
        weekly_basis: a.weekly_basis,
        ..ExitRules::default()
    };
    let leaver = Leaver {
        salary: a.salary,
        fte: a.fte,
        service_years: a.service,
        local_terms: matches!(a.terms, TermsArg::Local),
        pilon_months: if a.pilon {
            band.map_or(0.0, Band::default_notice_months)
        } else {
            0.0
        },
        early_retirement: a.early_retirement,
        strain_multiple: a.strain_multiple,
    };
    let c = exit_cost(&rules, route, &leaver);
    let annual = annual_employer_cost(&OnCosts::default(), a.salary, a.fte, !a.no_pension);
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    let years = section16_years(&rules, a.service);
    if a.json {
        let v = serde_json::json!({
            "route": route,
            "reckonable_years": if route == Route::Mars { serde_json::Value::Null } else { years.into() },
            "redundancy_pay_gbp": r2(c.redundancy_pay_gbp),
            "mars_pay_gbp": r2(c.mars_pay_gbp),
            "pilon_gbp": r2(c.pilon_gbp),
            "employer_ni_gbp": r2(c.employer_ni_gbp),
            "pension_strain_gbp": r2(c.pension_strain_gbp),
            "legal_gbp": r2(c.legal_gbp),
            "total_gbp": r2(c.total_gbp),
            "annual_employer_cost_gbp": r2(annual),
            "payback_months": if annual > 0.0 { r2(c.total_gbp / annual * 12.0) } else { 0.0 },
            "early_retirement_eligible": eligible_er,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(anyhow::Error::from)?
        );
        return Ok(0);
    }
    let line = |label: &str, x: f64| println!("{label:<44}{:>14}", format!("£{}", money(r2(x))));
    println!(
        "Exit cost: {}, salary £{}, {} FTE, {} years' service, age {}",
        format!("{route:?}").to_uppercase(),
        money(a.salary),
        a.fte,
        a.service,
        a.age
    );
    if route != Route::Mars {
        println!(
            "{:<44}{:>14}",
            "Reckonable years (max 24, 2 to qualify)", years
        );
        line("Redundancy pay (Section 16)", c.redundancy_pay_gbp);
    } else {
        line("MARS payment", c.mars_pay_gbp);
    }
    line("Pay in lieu of notice", c.pilon_gbp);
    line("Employer NI (termination > £30k, PILON)", c.employer_ni_gbp);
    line("Pension strain above redundancy pay", c.pension_strain_gbp);
    line("Legal and administrative", c.legal_gbp);
    line("Total exit cost", c.total_gbp);
    line("Annual employer cost saved", annual);
    println!(
        "{:<44}{:>14}",
        "Payback (months)",
        format!("{:.1}", c.total_gbp / annual * 12.0)
    );
    Ok(0)
}

/// £ with thousands separators and pence.
fn money(x: f64) -> String {
    let whole = x.trunc() as i64;
    let pence = ((x - whole as f64).abs() * 100.0).round() as i64;
    format!("{}.{pence:02}", output::format::count(whole as f64))
}

fn chart(dir: &Path) -> Result<u8, AppError> {
    if !dir.join("summary.csv").is_file() {
        return Err(AppError::Input(format!(
            "{}: not a run directory (no summary.csv); give a folder written by `icbsim run`",
            dir.display()
        )));
    }
    use icbsim::charts::ChartError;
    let files = match icbsim::charts::render_run_charts(dir) {
        Ok(f) => f,
        // Missing or malformed run files are the user's input: exit 2 (charts read everything
        // before writing anything).
        Err(
            e @ (ChartError::Read { .. }
            | ChartError::Csv { .. }
            | ChartError::MissingColumn { .. }
            | ChartError::MissingRows { .. }
            | ChartError::BadCell { .. }
            | ChartError::Json { .. }
            | ChartError::ManifestField { .. }),
        ) => return Err(input_error(&e.to_string())),
        Err(e) => {
            return Err(anyhow::Error::from(e)
                .context("cannot draw the charts")
                .into())
        }
    };
    for f in files {
        println!("{}", f.display());
    }
    Ok(0)
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ` (for the manifest only).
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
