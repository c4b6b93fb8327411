//! Uncertain inputs: the registry of every number and month a scenario declares.
//!
//! Each field that may be uncertain is registered once as an [`InputDef`] (dotted path, plain-words
//! label, distribution, provenance) and referred to by a [`Param`] index. The engine samples the
//! whole registry once per iteration into a `Vec<f64>`; the model reads values by index. Months are
//! stored as offsets from the scenario's start month.

use super::node::{Node, Value};
use super::source::{Diagnostics, Span};
use crate::distribution::{Dist, DistError};
use crate::month::Month;

/// Index of an input in the scenario's registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Param(pub u32);

impl Param {
    /// The sampled value of this input in one iteration.
    #[inline]
    pub fn of(self, values: &[f64]) -> f64 {
        values[self.0 as usize]
    }

    /// The sampled month offset (months after the start month).
    #[inline]
    pub fn month_of(self, values: &[f64]) -> i32 {
        values[self.0 as usize] as i32
    }
}

/// Whether an input is a plain number or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A number in the unit its name says.
    Number,
    /// A month, held as an offset from the start month and sampled to whole months.
    Month,
}

/// Rounds a sampled month offset to a whole month, halves up (so a uniform over whole months
/// `min − ½ .. max + ½` gives each month the same chance).
pub fn month_round(x: f64) -> f64 {
    (x + 0.5).floor()
}

/// The whole months a month distribution can give: its support rounded inward at open ends.
pub fn month_support(lo: f64, hi: f64) -> (f64, f64) {
    (month_round(lo), (hi - 0.5).ceil())
}

/// Where a number came from; travels to `inputs.csv`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// Citation, e.g. "docs/sources.md §2 (NHS Employers)".
    pub source: Option<String>,
    /// Date of the source or judgement.
    pub date: Option<String>,
    /// Free-text note.
    pub note: Option<String>,
}

/// One registered input.
#[derive(Debug, Clone)]
pub struct InputDef {
    /// Dotted path, e.g. `vr.uptake`; the column name in `iterations.csv`.
    pub path: String,
    /// Plain-words name for charts and tables.
    pub label: String,
    /// Number or month.
    pub kind: InputKind,
    /// Its distribution (a fixed one for plain values).
    pub dist: Dist,
    /// Source, date and note, if given.
    pub provenance: Provenance,
    /// False when the scenario left it at icbsim's default.
    pub explicit: bool,
}

impl InputDef {
    /// True when the value varies between iterations.
    pub fn is_uncertain(&self) -> bool {
        !self.dist.is_fixed()
    }

    /// Draws this input from a uniform `u` in (0, 1), rounding months to whole months.
    #[inline]
    pub fn value_at(&self, u: f64) -> f64 {
        let x = self.dist.quantile(u);
        match self.kind {
            InputKind::Number => x,
            InputKind::Month => month_round(x),
        }
    }
}

/// The range a value must stay in; checked against the whole support of a distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Check {
    /// Any finite number.
    Any,
    /// Zero or more.
    NonNeg,
    /// Strictly positive.
    Positive,
    /// A share in [0, 1].
    Share,
    /// Between the two bounds inclusive.
    Range(f64, f64),
}

impl Check {
    /// The allowed interval.
    fn bounds(self) -> (f64, f64) {
        match self {
            Check::Any => (f64::NEG_INFINITY, f64::INFINITY),
            Check::NonNeg => (0.0, f64::INFINITY),
            Check::Positive => (f64::MIN_POSITIVE, f64::INFINITY),
            Check::Share => (0.0, 1.0),
            Check::Range(a, b) => (a, b),
        }
    }

    /// The allowed range in words.
    fn describe(self) -> String {
        match self {
            Check::Any => "any number".into(),
            Check::NonNeg => "zero or more".into(),
            Check::Positive => "more than zero".into(),
            Check::Share => "a share between 0 and 1".into(),
            Check::Range(a, b) => format!("between {a} and {b}"),
        }
    }

    fn admits(self, lo: f64, hi: f64) -> Result<(), String> {
        let (a, b, what) = match self {
            Check::Any => return Ok(()),
            Check::NonNeg => (0.0, f64::INFINITY, "zero or more".to_string()),
            Check::Positive => (
                f64::MIN_POSITIVE,
                f64::INFINITY,
                "more than zero".to_string(),
            ),
            Check::Share => (0.0, 1.0, "a share between 0 and 1".to_string()),
            Check::Range(a, b) => (a, b, format!("between {a} and {b}")),
        };
        if lo >= a && hi <= b {
            return Ok(());
        }
        if lo == hi {
            Err(format!(
                "{} is not allowed here: it must be {what}",
                fmt_num(lo)
            ))
        } else if lo.is_infinite() || hi.is_infinite() {
            Err(format!(
                "this distribution is unbounded but the value must be {what}: give it min and max (a truncated normal) or use a bounded family"
            ))
        } else {
            Err(format!(
                "this distribution ranges over {}..{} but the value must be {what}",
                fmt_num(lo),
                fmt_num(hi)
            ))
        }
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The keys a distribution table may hold (the schema lists them as its properties).
pub(super) const DIST_KEYS: &[&str] = &[
    "dist", "value", "min", "max", "mean", "sd", "cv", "mode", "alpha", "beta", "values",
    "weights", "p10", "p50", "p90", "source", "date", "note",
];

/// Reads one input (number or month) from a node: a plain value, or a table with `dist = ...` and
/// provenance. Reports every problem it finds; returns `None` when the input is unusable.
pub fn read_input(
    diag: &mut Diagnostics,
    node: &Node,
    path: &str,
    kind: InputKind,
    start: Month,
) -> Option<(Dist, Provenance)> {
    super::schema::note(
        diag,
        node,
        None,
        super::schema::Shape::Input(kind, Check::Any, None),
    );
    let point = |diag: &mut Diagnostics, n: &Node, p: &str| -> Option<f64> {
        read_point(diag, n, p, kind, start)
    };
    let entries = match &node.value {
        Value::Table(e) => e,
        _ => {
            let v = point(diag, node, path)?;
            return finish(diag, Dist::fixed(v), node.span, path, node)
                .map(|d| (d, Provenance::default()));
        }
    };
    let mut ok = true;
    for e in entries {
        if !DIST_KEYS.contains(&e.key.as_str()) {
            diag.report(
                e.key_span,
                &format!("{path}.{}", e.key),
                format!(
                    "unknown key '{}' in a distribution; expected one of: {}",
                    e.key,
                    DIST_KEYS.join(", ")
                ),
            );
            ok = false;
        }
    }
    let prov = Provenance {
        source: text_field(diag, node, "source", path),
        date: text_field(diag, node, "date", path),
        note: text_field(diag, node, "note", path),
    };
    let kind_name = match node.get("dist") {
        Some(n) => match n.as_str() {
            Some(s) => s.to_string(),
            None => {
                diag.report(
                    n.span,
                    &format!("{path}.dist"),
                    "must be a string naming a distribution",
                );
                return None;
            }
        },
        None if node.get("value").is_some() => "fixed".to_string(),
        None => {
            diag.report(
                node.span,
                path,
                "a table here needs `dist = \"...\"` (fixed, uniform, normal, lognormal, triangular, pert, beta, discrete, percentiles) or `value = ...`",
            );
            return None;
        }
    };
    let mut get = |key: &str, is_point: bool| -> Option<f64> {
        let n = node.get(key)?;
        let p = format!("{path}.{key}");
        if is_point {
            point(diag, n, &p)
        } else {
            number(diag, n, &p)
        }
    };
    let need = |v: Option<f64>, key: &str, diag: &mut Diagnostics| -> Option<f64> {
        if v.is_none() && node.get(key).is_none() {
            diag.report(
                node.span,
                path,
                format!("a {kind_name} distribution needs `{key}`"),
            );
        }
        v
    };
    let dist = match kind_name.as_str() {
        "fixed" => {
            let v = get("value", true);
            Dist::fixed(need(v, "value", diag)?)
        }
        "uniform" => {
            let (a, b) = (get("min", true), get("max", true));
            let (a, b) = (need(a, "min", diag)?, need(b, "max", diag)?);
            if kind == InputKind::Month && a <= b {
                // Whole months min..=max, each equally likely once rounded half up.
                Dist::uniform(a - 0.5, b + 0.5)
            } else {
                Dist::uniform(a, b)
            }
        }
        "normal" => {
            let (mean, sd, p10, p90) = (
                get("mean", true),
                get("sd", false),
                get("p10", true),
                get("p90", true),
            );
            let (min, max) = (get("min", true), get("max", true));
            match (p10, p90) {
                (Some(a), Some(b)) => {
                    Dist::normal_p10_p90(a, b).and_then(|d| Dist::truncated(d, min, max))
                }
                _ => Dist::normal(need(mean, "mean", diag)?, need(sd, "sd", diag)?, min, max),
            }
        }
        "lognormal" => {
            let (mean, cv, p10, p90) = (
                get("mean", true),
                get("cv", false),
                get("p10", true),
                get("p90", true),
            );
            let (min, max) = (get("min", true), get("max", true));
            let base = match (p10, p90) {
                (Some(a), Some(b)) => Dist::lognormal_p10_p90(a, b),
                _ => Dist::lognormal_mean_cv(need(mean, "mean", diag)?, need(cv, "cv", diag)?),
            };
            base.and_then(|d| Dist::truncated(d, min, max))
        }
        "triangular" | "pert" => {
            let (a, m, b) = (get("min", true), get("mode", true), get("max", true));
            let (a, m, b) = (
                need(a, "min", diag)?,
                need(m, "mode", diag)?,
                need(b, "max", diag)?,
            );
            if kind_name == "pert" {
                Dist::pert(a, m, b)
            } else {
                Dist::triangular(a, m, b)
            }
        }
        "beta" => {
            let (al, be) = (get("alpha", false), get("beta", false));
            let (lo, hi) = (
                get("min", true).unwrap_or(0.0),
                get("max", true).unwrap_or(1.0),
            );
            if kind == InputKind::Month && (node.get("min").is_none() || node.get("max").is_none())
            {
                diag.report(
                    node.span,
                    path,
                    "a beta month needs both `min` and `max` (months \"YYYY-MM\"); without them \
                     it would range over the first month only",
                );
                ok = false;
            }
            Dist::beta(need(al, "alpha", diag)?, need(be, "beta", diag)?, lo, hi)
        }
        "percentiles" => {
            let (a, m, b) = (get("p10", true), get("p50", true), get("p90", true));
            let (a, m, b) = (
                need(a, "p10", diag)?,
                need(m, "p50", diag)?,
                need(b, "p90", diag)?,
            );
            Dist::percentiles(a, m, b)
        }
        "discrete" => {
            let values = list(diag, node, "values", path, |d, n, p| {
                read_point(d, n, p, kind, start)
            });
            let weights = list(diag, node, "weights", path, number);
            if node.get("values").is_none() {
                diag.report(node.span, path, "a discrete distribution needs `values`");
            }
            let values = values?;
            let weights = weights.unwrap_or_else(|| vec![1.0; values.len()]);
            Dist::discrete(values, weights)
        }
        other => {
            diag.report(
                node.get("dist").map_or(node.span, |n| n.span),
                &format!("{path}.dist"),
                format!("unknown distribution '{other}'; use fixed, uniform, normal, lognormal, triangular, pert, beta, discrete or percentiles"),
            );
            return None;
        }
    };
    if !ok {
        return None;
    }
    finish(diag, dist, node.span, path, node).map(|d| (d, prov))
}

fn finish(
    diag: &mut Diagnostics,
    dist: Result<Dist, DistError>,
    span: Span,
    path: &str,
    node: &Node,
) -> Option<Dist> {
    match dist {
        Ok(d) => Some(d),
        Err(e) => {
            let at = node.get(e.field).map_or(span, |n| n.span);
            let p = if node.get(e.field).is_some() {
                format!("{path}.{}", e.field)
            } else {
                path.to_string()
            };
            diag.report(at, &p, e.message);
            None
        }
    }
}

/// Largest share of an unbounded distribution that may fall outside an input's allowed range and
/// be truncated away silently (0.1%); more than that is reported.
const SILENT_TAIL: f64 = 0.001;

/// Checks that every value a distribution can take passes `check`, and returns the distribution
/// to use. An unbounded family (lognormal, percentiles, normal by P10/P90) whose tails cross the
/// range by at most 0.1% is truncated to the range; anything else outside it is reported (and
/// `None` returned).
pub fn check_support(
    diag: &mut Diagnostics,
    dist: Dist,
    check: Check,
    span: Span,
    path: &str,
) -> Option<Dist> {
    let (lo, hi) = dist.support();
    let Err(msg) = check.admits(lo, hi) else {
        return Some(dist);
    };
    let (a, b) = check.bounds();
    let unbounded_side = (lo < a && lo.is_infinite()) || (hi > b && hi.is_infinite());
    if unbounded_side && lo.max(a) < hi.min(b) {
        let outside = dist.cdf(a) + (1.0 - dist.cdf(b));
        if outside <= SILENT_TAIL {
            let min = (lo < a).then_some(a);
            let max = (hi > b).then_some(b);
            if let Ok(t) = Dist::truncated(dist, min, max) {
                return Some(t);
            }
        } else {
            diag.report(
                span,
                path,
                format!(
                    "{:.1}% of this distribution falls outside the allowed range ({}); add min and max to truncate it, or choose a bounded family",
                    outside * 100.0,
                    check.describe()
                ),
            );
            return None;
        }
    }
    diag.report(span, path, msg);
    None
}

fn number(diag: &mut Diagnostics, n: &Node, path: &str) -> Option<f64> {
    match n.as_f64() {
        Some(v) if v.is_finite() => Some(v),
        Some(_) => {
            diag.report(n.span, path, "must be a finite number");
            None
        }
        None => {
            diag.report(
                n.span,
                path,
                format!("expected a number, found {}", n.value.type_name()),
            );
            None
        }
    }
}

fn read_point(
    diag: &mut Diagnostics,
    n: &Node,
    path: &str,
    kind: InputKind,
    start: Month,
) -> Option<f64> {
    match kind {
        InputKind::Number => number(diag, n, path),
        InputKind::Month => match &n.value {
            Value::Str(s) => match Month::parse(s) {
                Some(m) => Some(start.months_until(m) as f64),
                None => {
                    diag.report(
                        n.span,
                        path,
                        format!("'{s}' is not a month; write it as \"YYYY-MM\", e.g. \"2026-04\""),
                    );
                    None
                }
            },
            Value::Datetime(d) => {
                diag.report(
                    n.span,
                    path,
                    format!("{d} is a TOML date; write the month as a quoted string \"YYYY-MM\""),
                );
                None
            }
            other => {
                diag.report(
                    n.span,
                    path,
                    format!("expected a month \"YYYY-MM\", found {}", other.type_name()),
                );
                None
            }
        },
    }
}

fn list(
    diag: &mut Diagnostics,
    node: &Node,
    key: &str,
    path: &str,
    item: impl Fn(&mut Diagnostics, &Node, &str) -> Option<f64>,
) -> Option<Vec<f64>> {
    let n = node.get(key)?;
    let p = format!("{path}.{key}");
    match &n.value {
        Value::Array(items) => {
            let vals: Vec<Option<f64>> = items
                .iter()
                .enumerate()
                .map(|(i, x)| item(diag, x, &format!("{p}[{i}]")))
                .collect();
            vals.into_iter().collect()
        }
        other => {
            diag.report(
                n.span,
                &p,
                format!("expected an array, found {}", other.type_name()),
            );
            None
        }
    }
}

fn text_field(diag: &mut Diagnostics, node: &Node, key: &str, path: &str) -> Option<String> {
    let n = node.get(key)?;
    match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Datetime(d) if key == "date" => Some(d.clone()),
        other => {
            diag.report(
                n.span,
                &format!("{path}.{key}"),
                format!("expected a string, found {}", other.type_name()),
            );
            None
        }
    }
}
