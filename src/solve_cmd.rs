//! `icbsim solve`: goal seek over one input, wiring the library's bisection to scenario loading
//! and the engine. Every evaluation re-validates the scenario with the candidate value as an
//! override and runs the same iterations and seed (common random numbers).

use crate::app::{input_error, load, run_config, AppError};
use crate::cli::SolveArgs;
use anyhow::Context;
use icbsim::engine;
use icbsim::month::Month;
use icbsim::output::format::num;
use icbsim::scenario::InputKind;
use icbsim::solve::{bisect, evaluate, parse_goal};

/// Runs the goal seek and prints the answer with its Monte Carlo uncertainty.
///
/// # Errors
/// Bad input (unknown input path, bounds of the wrong kind, a malformed goal, a goal the bounds
/// do not bracket) is exit 2; engine failures are internal.
pub fn solve(a: &SolveArgs) -> Result<u8, AppError> {
    let goal = parse_goal(&a.target).map_err(|e| input_error(&e.to_string()))?;
    let base = load(Some(&a.scenario), &a.set, a.seed)?;
    let Some(input) = base.inputs.iter().find(|d| d.path == a.vary) else {
        return Err(input_error(&format!(
            "--vary {}: no such input (use a dotted path as in iterations.csv or inputs.csv)",
            a.vary
        )));
    };
    let kind = input.kind;
    let bound = |s: &str, flag: &str| -> Result<f64, AppError> {
        match kind {
            InputKind::Number => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| input_error(&format!("{flag} {s}: expected a number"))),
            InputKind::Month => Month::parse(s.trim())
                .map(|m| f64::from(base.start.months_until(m)))
                .ok_or_else(|| {
                    input_error(&format!(
                        "{flag} {s}: {} is a month input; give YYYY-MM",
                        a.vary
                    ))
                }),
        }
    };
    let (lo, hi) = (bound(&a.lo, "--lo")?, bound(&a.hi, "--hi")?);
    if lo >= hi {
        return Err(input_error("--lo must be below --hi"));
    }
    let cfg = run_config(&base, a.iterations, a.seed, a.threads)?;
    let show = |x: f64| match kind {
        InputKind::Number => num(x),
        InputKind::Month => base.start.plus(x as i32).to_string(),
    };
    // Validate both bounds before spending time on runs.
    for x in [lo, hi] {
        let mut set = a.set.clone();
        set.push(format!("{}={}", a.vary, literal(kind, &show(x))));
        load(Some(&a.scenario), &set, a.seed)?;
    }
    let mut failure: Option<AppError> = None;
    let mut eval = |x: f64| -> (f64, f64) {
        let mut set = a.set.clone();
        set.push(format!("{}={}", a.vary, literal(kind, &show(x))));
        let run = load(Some(&a.scenario), &set, a.seed)
            .map_err(AppError::from)
            .and_then(|sc| {
                engine::run(&sc, &cfg, &|_| {})
                    .context("cannot start worker threads")
                    .map_err(AppError::from)
            });
        match run {
            Ok(results) => evaluate(&goal, &results),
            Err(e) => {
                failure.get_or_insert(e);
                (f64::NAN, f64::NAN)
            }
        }
    };
    let integer = kind == InputKind::Month;
    let tol = if integer { 1.0 } else { (hi - lo) * 1e-6 };
    let solution = bisect(lo, hi, goal.value, a.steps, tol, integer, &mut eval);
    if let Some(e) = failure {
        return Err(e);
    }
    let s = solution.map_err(|e| input_error(&e.to_string()))?;
    println!(
        "{} = {}  (Monte Carlo standard error {})",
        a.vary,
        show(s.value),
        match (s.value_se.is_finite(), kind) {
            (false, _) => "n/a".to_string(),
            (true, InputKind::Month) => format!("{} months", num(s.value_se)),
            (true, InputKind::Number) => num(s.value_se),
        }
    );
    println!(
        "gives {} = {} ± {} (standard error), goal {}; {} iterations per evaluation, seed {}",
        a.target.split('=').next().unwrap_or("").trim(),
        num(s.achieved),
        num(s.stat_se),
        num(goal.value),
        cfg.iterations,
        cfg.seed
    );
    println!("\n{:>16}  {:>16}", a.vary, "statistic");
    for (x, f) in &s.trace {
        println!("{:>16}  {:>16}", show(*x), num(*f));
    }
    Ok(0)
}

/// The override literal for a value: numbers as they are, months quoted.
fn literal(kind: InputKind, shown: &str) -> String {
    match kind {
        InputKind::Number => shown.to_string(),
        InputKind::Month => format!("\"{shown}\""),
    }
}
