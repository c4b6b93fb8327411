//! `icbsim solve`: goal seek over one input, wiring the library's searches to scenario loading
//! and the engine. Every evaluation re-validates the scenario with the candidate value as an
//! override and runs the same iterations and seed (common random numbers). A number input is
//! bisected ([`bisect`]) and its answer printed to the precision its standard error supports
//! ([`round_to_error`]); a month input is discrete, so the search is over whole months
//! ([`search_months`]) and the answer is a month with the statistic there and at its neighbour.

use anyhow::Context;
use icbsim::engine::{self, RunConfig};
use icbsim::month::Month;
use icbsim::output::format::num;
use icbsim::scenario::{InputKind, Problem, Problems, Scenario};
use icbsim::solve::{
    bisect, evaluate, parse_goal, round_to_error, search_months, Goal, MonthAnswer, Solution,
    SolveError,
};
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
/// do not bracket, no month in the range reaching the goal) is exit 2; engine failures are
/// internal.
pub fn solve(req: &SolveRequest) -> Result<Outcome, Error> {
    let goal = parse_goal(&req.target).map_err(|e| input_error(&e.to_string()))?;
    let base = workflow::load(Some(&req.scenario), &req.overrides, req.settings.seed)?;
    workflow::print_warnings(&base.warnings);
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
    // Validate both bounds before spending time on runs, and show the warnings that setting the
    // input brings (once: every evaluation would repeat them).
    let (at_lo, at_hi) = (varied.load_at(lo)?, varied.load_at(hi)?);
    let known = |w: &&Problem| {
        base.warnings
            .iter()
            .any(|b| (&b.path, &b.message) == (&w.path, &w.message))
    };
    workflow::print_warnings(
        at_lo
            .warnings
            .iter()
            .chain(&at_hi.warnings)
            .filter(|w| !known(w)),
    );
    match varied.kind {
        InputKind::Number => {
            let s = seek(&varied, &goal, &cfg, (lo, hi))?;
            print_solution(&varied, &goal, &cfg, &s);
        }
        InputKind::Month => {
            let a = seek_month(&varied, &goal, &cfg, (lo as i32, hi as i32))?;
            print_month(&varied, &goal, &cfg, &a);
        }
    }
    Ok(Outcome::Success)
}

/// The goal's statistic and its standard error with the input at `x`; the first failure is kept
/// in `failure` (and NaN returned) so that a search can finish and report it.
fn evaluate_at(
    v: &Varied,
    goal: &Goal,
    cfg: &RunConfig,
    x: f64,
    failure: &mut Option<Error>,
) -> (f64, f64) {
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
}

/// Bisects between the bounds, running the scenario at each candidate value.
fn seek(v: &Varied, goal: &Goal, cfg: &RunConfig, (lo, hi): (f64, f64)) -> Result<Solution, Error> {
    let mut failure: Option<Error> = None;
    let tol = (hi - lo) * 1e-6;
    let solution = bisect(lo, hi, goal.value, v.req.steps, tol, false, |x| {
        evaluate_at(v, goal, cfg, x, &mut failure)
    });
    if let Some(e) = failure {
        return Err(e);
    }
    solution.map_err(|e| input_error(&e.to_string()))
}

/// Searches the whole months between the bounds for the boundary of those reaching the goal.
fn seek_month(
    v: &Varied,
    goal: &Goal,
    cfg: &RunConfig,
    (lo, hi): (i32, i32),
) -> Result<MonthAnswer, Error> {
    let mut failure: Option<Error> = None;
    let answer = search_months(lo, hi, goal.value, |m| {
        evaluate_at(v, goal, cfg, f64::from(m), &mut failure)
    });
    if let Some(e) = failure {
        return Err(e);
    }
    answer.map_err(|e| match e {
        // Only the two ends were evaluated: say what is known, and what it implies.
        SolveError::NoMonth { goal, at_lo, at_hi } => input_error(&format!(
            "no month reaches the goal {} at either end of the range: {stat} is {} at --lo {} \
             and {} at --hi {}. If {stat} moves one way as the month moves later, no month in \
             the range reaches it; if it rises and then falls, narrow --lo/--hi around its peak",
            num(goal),
            num(at_lo),
            v.show(f64::from(lo)),
            num(at_hi),
            v.show(f64::from(hi)),
            stat = stat_name(v.req),
        )),
        other => input_error(&other.to_string()),
    })
}

/// A standard error to about two significant figures (all that its own noise supports).
fn rounded_se(se: f64) -> f64 {
    round_to_error(se, se / 10.0)
}

/// The statistic's name as typed in the goal, e.g. `p(target_met)`.
fn stat_name(req: &SolveRequest) -> &str {
    req.target.split('=').next().unwrap_or("").trim()
}

/// Prints the month found, the statistic there and at its neighbour, and the trace.
fn print_month(v: &Varied, goal: &Goal, cfg: &RunConfig, a: &MonthAnswer) {
    let req = v.req;
    let stat = stat_name(req);
    let (month, f, se) = a.month;
    let which = if a.rising { "earliest" } else { "latest" };
    println!(
        "{} = {}: the {which} month with {stat} at or above the goal {}",
        req.vary,
        v.show(f64::from(month)),
        num(goal.value)
    );
    println!(
        "gives {stat} = {} ± {} (standard error); {} iterations per evaluation, seed {}",
        num(f),
        num(rounded_se(se)),
        cfg.iterations,
        cfg.seed
    );
    match a.neighbour {
        Some((m, g)) => println!(
            "{}, {}: {stat} = {} (below the goal)",
            if a.rising {
                "the month before"
            } else {
                "the month after"
            },
            v.show(f64::from(m)),
            num(g)
        ),
        None => println!(
            "every month from --lo to --hi reaches the goal; widen the range to find the boundary"
        ),
    }
    if !a.monotone {
        println!(
            "warning: {stat} does not move one way only across the months evaluated, so another \
             boundary may exist; check the trace (more iterations reduce the noise)"
        );
    }
    println!("\n{:>16}  {:>16}", req.vary, stat);
    for (m, f) in &a.trace {
        println!("{:>16}  {:>16}", v.show(f64::from(*m)), num(*f));
    }
}

/// Prints the value found (rounded to its standard error), the statistic it gives and the
/// bisection trace.
fn print_solution(v: &Varied, goal: &Goal, cfg: &RunConfig, s: &Solution) {
    let req = v.req;
    let se = if s.value_se.is_finite() {
        num(rounded_se(s.value_se))
    } else {
        "n/a".to_string()
    };
    println!(
        "{} = {}  (Monte Carlo standard error {se})",
        req.vary,
        num(round_to_error(s.value, s.value_se)),
    );
    println!(
        "gives {} = {} ± {} (standard error), goal {}; {} iterations per evaluation, seed {}",
        stat_name(req),
        num(s.achieved),
        num(rounded_se(s.stat_se)),
        num(goal.value),
        cfg.iterations,
        cfg.seed
    );
    println!("\n{:>16}  {:>16}", req.vary, "statistic");
    for (x, f) in &s.trace {
        println!("{:>16}  {:>16}", v.show(*x), num(*f));
    }
}
