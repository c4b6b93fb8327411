//! `icbsim solve`: goal seek over one input, wiring the library's bisection to scenario loading
//! and the engine. Every evaluation re-validates the scenario with the candidate value as an
//! override and runs the same iterations and seed (common random numbers).

use anyhow::Context;
use icbsim::engine::{self, RunConfig};
use icbsim::month::Month;
use icbsim::output::format::num;
use icbsim::scenario::{InputKind, Problems, Scenario};
use icbsim::solve::{bisect, evaluate, parse_goal, Goal, Solution};
use icbsim::workflow::{self, input_error, run_config, Error, Outcome, SolveRequest};

/// The input being varied: how its values are read, shown and written as an override.
struct Varied<'a> {
    req: &'a SolveRequest,
    kind: InputKind,
    start: Month,
}

impl Varied<'_> {
    /// A bound as typed: a number, or a month as an offset from the start month.
    fn bound(&self, s: &str, flag: &str) -> Result<f64, Error> {
        match self.kind {
            InputKind::Number => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| input_error(&format!("{flag} {s}: expected a number"))),
            InputKind::Month => Month::parse(s.trim())
                .map(|m| f64::from(self.start.months_until(m)))
                .ok_or_else(|| {
                    input_error(&format!(
                        "{flag} {s}: {} is a month input; give YYYY-MM",
                        self.req.vary
                    ))
                }),
        }
    }

    /// A value as printed: a number, or its month.
    fn show(&self, x: f64) -> String {
        match self.kind {
            InputKind::Number => num(x),
            InputKind::Month => self.start.plus(x as i32).to_string(),
        }
    }

    /// The scenario with the input set to `x`.
    fn load_at(&self, x: f64) -> Result<Scenario, Problems> {
        let shown = self.show(x);
        let literal = match self.kind {
            InputKind::Number => shown,
            InputKind::Month => format!("\"{shown}\""),
        };
        let mut set = self.req.overrides.clone();
        set.push(format!("{}={literal}", self.req.vary));
        workflow::load(Some(&self.req.scenario), &set, self.req.settings.seed)
    }
}

/// Runs the goal seek and prints the answer with its Monte Carlo uncertainty.
///
/// # Errors
/// Bad input (unknown input path, bounds of the wrong kind, a malformed goal, a goal the bounds
/// do not bracket) is exit 2; engine failures are internal.
pub fn solve(req: &SolveRequest) -> Result<Outcome, Error> {
    let goal = parse_goal(&req.target).map_err(|e| input_error(&e.to_string()))?;
    let base = workflow::load(Some(&req.scenario), &req.overrides, req.settings.seed)?;
    let Some(input) = base.inputs.iter().find(|d| d.path == req.vary) else {
        return Err(input_error(&format!(
            "--vary {}: no such input (use a dotted path as in iterations.csv or inputs.csv)",
            req.vary
        )));
    };
    let varied = Varied {
        req,
        kind: input.kind,
        start: base.start,
    };
    let (lo, hi) = (
        varied.bound(&req.lo, "--lo")?,
        varied.bound(&req.hi, "--hi")?,
    );
    if lo >= hi {
        return Err(input_error("--lo must be below --hi"));
    }
    let cfg = run_config(&base, &req.settings)?;
    // Validate both bounds before spending time on runs.
    for x in [lo, hi] {
        varied.load_at(x)?;
    }
    let s = seek(&varied, &goal, &cfg, (lo, hi))?;
    print_solution(&varied, &goal, &cfg, &s);
    Ok(Outcome::Success)
}

/// Bisects between the bounds, running the scenario at each candidate value.
fn seek(v: &Varied, goal: &Goal, cfg: &RunConfig, (lo, hi): (f64, f64)) -> Result<Solution, Error> {
    let mut failure: Option<Error> = None;
    let mut eval = |x: f64| -> (f64, f64) {
        let run = v.load_at(x).map_err(Error::from).and_then(|sc| {
            engine::run(&sc, cfg, &|_| {})
                .context("cannot start worker threads")
                .map_err(Error::from)
        });
        match run {
            Ok(results) => evaluate(goal, &results),
            Err(e) => {
                failure.get_or_insert(e);
                (f64::NAN, f64::NAN)
            }
        }
    };
    let integer = v.kind == InputKind::Month;
    let tol = if integer { 1.0 } else { (hi - lo) * 1e-6 };
    let solution = bisect(lo, hi, goal.value, v.req.steps, tol, integer, &mut eval);
    if let Some(e) = failure {
        return Err(e);
    }
    solution.map_err(|e| input_error(&e.to_string()))
}

/// Prints the value found, the statistic it gives and the bisection trace.
fn print_solution(v: &Varied, goal: &Goal, cfg: &RunConfig, s: &Solution) {
    let req = v.req;
    println!(
        "{} = {}  (Monte Carlo standard error {})",
        req.vary,
        v.show(s.value),
        match (s.value_se.is_finite(), v.kind) {
            (false, _) => "n/a".to_string(),
            (true, InputKind::Month) => format!("{} months", num(s.value_se)),
            (true, InputKind::Number) => num(s.value_se),
        }
    );
    println!(
        "gives {} = {} ± {} (standard error), goal {}; {} iterations per evaluation, seed {}",
        req.target.split('=').next().unwrap_or("").trim(),
        num(s.achieved),
        num(s.stat_se),
        num(goal.value),
        cfg.iterations,
        cfg.seed
    );
    println!("\n{:>16}  {:>16}", req.vary, "statistic");
    for (x, f) in &s.trace {
        println!("{:>16}  {:>16}", v.show(*x), num(*f));
    }
}
