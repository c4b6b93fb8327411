//! The reader that walks a located TOML tree: typed getters for plain settings and inputs, each
//! registering its input and reporting problems (unknown keys with a "did you mean", wrong types,
//! out-of-range values, months outside the horizon) without stopping.

use super::input::{check_support, read_input, Check, InputDef, InputKind, Param, Provenance};
use super::labels::label_for;
use super::node::{Node, Value};
use super::schema::{note, Shape};
use super::source::{Diagnostics, Span};
use crate::distribution::Dist;
use crate::month::Month;

/// Reads inputs and plain settings, registering every input.
pub(super) struct Reader<'a> {
    pub diag: &'a mut Diagnostics,
    pub inputs: Vec<InputDef>,
    /// Where each input of `inputs` was written (`None` for defaults).
    pub spans: Vec<Option<Span>>,
    /// Legal but surprising things, reported on stderr without stopping the run.
    pub warnings: Vec<super::source::Problem>,
    pub start: Month,
    pub horizon: i32,
    /// While an organisation's own sections are read ([`super::orgs`]): which inputs it writes.
    pub scope: Option<Scope>,
}

/// An organisation's own inputs being read: inputs it writes are registered under `prefix`
/// (`org.<slug>.vr.uptake`); every other input of the section is the scenario-wide one.
pub(super) struct Scope {
    /// `org.<slug>.`
    pub prefix: String,
    /// The dotted paths (without the prefix) the organisation writes, e.g. `vr.uptake`.
    pub written: Vec<String>,
}

impl Reader<'_> {
    /// Checks that `node` is a table with only `allowed` keys; reports otherwise.
    pub(super) fn table(&mut self, node: &Node, path: &str, allowed: &[&str]) -> bool {
        note(self.diag, node, None, Shape::Table(owned(allowed)));
        match &node.value {
            Value::Table(entries) => {
                for e in entries {
                    if !allowed.contains(&e.key.as_str()) {
                        let p = if path.is_empty() {
                            e.key.clone()
                        } else {
                            format!("{path}.{}", e.key)
                        };
                        let hint = crate::suggest::closest(&e.key, allowed)
                            .map(|c| format!(" (did you mean '{c}'?)"))
                            .unwrap_or_default();
                        self.diag.report(
                            e.key_span,
                            &p,
                            format!(
                                "unknown key '{}'{hint}; allowed here: {}",
                                e.key,
                                allowed.join(", ")
                            ),
                        );
                    }
                }
                true
            }
            other => {
                self.diag.report(
                    node.span,
                    path,
                    format!("expected a table, found {}", other.type_name()),
                );
                false
            }
        }
    }

    /// The section `key` of `root` if present and a table with only `allowed` keys.
    pub(super) fn section<'n>(
        &mut self,
        root: &'n Node,
        key: &str,
        allowed: &[&str],
    ) -> Option<&'n Node> {
        note(self.diag, root, Some(key), Shape::Table(owned(allowed)));
        let n = root.get(key)?;
        self.table(n, key, allowed).then_some(n)
    }

    pub(super) fn register(
        &mut self,
        path: &str,
        kind: InputKind,
        dist: Dist,
        provenance: Provenance,
        explicit: bool,
    ) -> Param {
        let mut path = path.to_string();
        if let Some(scope) = &self.scope {
            if !scope.written.contains(&path) {
                // Not the organisation's own: the scenario-wide input (already registered).
                if let Some(i) = self.inputs.iter().position(|d| d.path == path) {
                    return Param(i as u32);
                }
            }
            path = format!("{}{path}", scope.prefix);
        }
        let path = path.as_str();
        self.inputs.push(InputDef {
            path: path.to_string(),
            label: label_for(path),
            kind,
            dist,
            provenance,
            explicit,
        });
        self.spans.push(None);
        Param((self.inputs.len() - 1) as u32)
    }

    pub(super) fn default_param(
        &mut self,
        path: &str,
        kind: InputKind,
        value: f64,
        source: &str,
    ) -> Param {
        let prov = Provenance {
            source: Some(source.to_string()),
            date: None,
            note: Some("icbsim default".into()),
        };
        // Defaults are finite literals, so the unchecked constant is valid.
        let dist = Dist::Fixed(value);
        self.register(path, kind, dist, prov, false)
    }

    /// A numeric input: `sec.key`, or `default` (cited by `source`) when absent.
    pub(super) fn num(
        &mut self,
        sec: Option<&Node>,
        key: &str,
        path: &str,
        default: f64,
        source: &str,
        check: Check,
    ) -> Param {
        if let Some(s) = sec {
            let shape = Shape::Input(InputKind::Number, check, Some(default));
            note(self.diag, s, Some(key), shape);
        }
        let Some(node) = sec.and_then(|s| s.get(key)) else {
            return self.default_param(path, InputKind::Number, default, source);
        };
        self.num_node(node, path, default, source, check)
    }

    /// A numeric input written at `node` (e.g. an element of a list), registered as `path`;
    /// `default` (cited by `source`) stands in when it is unusable.
    pub(super) fn num_node(
        &mut self,
        node: &Node,
        path: &str,
        default: f64,
        source: &str,
        check: Check,
    ) -> Param {
        match read_input(self.diag, node, path, InputKind::Number, self.start) {
            Some((dist, prov)) => match check_support(self.diag, dist, check, node.span, path) {
                Some(dist) => {
                    let p = self.register(path, InputKind::Number, dist, prov, true);
                    self.spans[p.0 as usize] = Some(node.span);
                    p
                }
                None => self.fallback(node, path, InputKind::Number, default, source),
            },
            None => self.fallback(node, path, InputKind::Number, default, source),
        }
    }

    /// A month input within the horizon: `sec.key`, or `default` (an offset) when absent.
    pub(super) fn month(
        &mut self,
        sec: Option<&Node>,
        key: &str,
        path: &str,
        default: Option<i32>,
        source: &str,
    ) -> Param {
        if let Some(s) = sec {
            let shape = Shape::Input(InputKind::Month, Check::Any, None);
            note(self.diag, s, Some(key), shape);
        }
        let Some(node) = sec.and_then(|s| s.get(key)) else {
            if default.is_none() {
                let span = sec.map_or(Span::default(), |s| s.span);
                self.diag.report(
                    span,
                    path,
                    format!("missing required month '{key}' (\"YYYY-MM\")"),
                );
            }
            return self.default_param(path, InputKind::Month, default.unwrap_or(0) as f64, source);
        };
        match read_input(self.diag, node, path, InputKind::Month, self.start) {
            Some((dist, prov)) => {
                let (lo, hi) = dist.support();
                let last = self.start.plus(self.horizon - 1);
                if !(lo.is_finite() && hi.is_finite()) {
                    self.diag.report(
                        node.span,
                        path,
                        "this month distribution is unbounded; give it min and max",
                    );
                } else {
                    let (lo, hi) = super::input::month_support(lo, hi);
                    if lo < 0.0 || hi > f64::from(self.horizon - 1) {
                        let months = format!(
                            "months {}..{} fall",
                            self.start.plus(lo as i32),
                            self.start.plus(hi as i32)
                        );
                        self.diag.report(
                            node.span,
                            path,
                            format!(
                                "{months} outside the horizon {}..{} (scenario.start and \
                                 scenario.horizon_months)",
                                self.start, last
                            ),
                        );
                    }
                }
                let p = self.register(path, InputKind::Month, dist, prov, true);
                self.spans[p.0 as usize] = Some(node.span);
                p
            }
            None => self.fallback(
                node,
                path,
                InputKind::Month,
                default.unwrap_or(0) as f64,
                source,
            ),
        }
    }

    /// The default standing in for an input written at `node` that was reported as unusable;
    /// it keeps the node's location so later checks blame the right place.
    fn fallback(
        &mut self,
        node: &Node,
        path: &str,
        kind: InputKind,
        value: f64,
        source: &str,
    ) -> Param {
        let p = self.default_param(path, kind, value, source);
        self.spans[p.0 as usize] = Some(node.span);
        p
    }

    /// Reports when the input `lo` can exceed the input `hi` (both read from section `sec`):
    /// fixed values must be in order, and uncertain ones must not overlap so that every draw
    /// keeps `lo ≤ hi`. The problem is located at a `--set` override of either if there is one,
    /// else at whichever of the two the scenario wrote (the upper one if both), else at the
    /// section.
    pub(super) fn ordered(
        &mut self,
        sec: Option<&Node>,
        root: &Node,
        lo: Param,
        hi: Param,
        fix: &str,
    ) {
        let (a, b) = (&self.inputs[lo.0 as usize], &self.inputs[hi.0 as usize]);
        // The extreme values each can take: the exact support of a bounded number, the whole
        // months a month can round to, the 1e-12 quantiles of an unbounded family.
        let extremes = |d: &InputDef| {
            let (lo, hi) = d.dist.support();
            match d.kind {
                InputKind::Number if lo.is_finite() && hi.is_finite() => (lo, hi),
                _ => (d.value_at(0.0), d.value_at(1.0)),
            }
        };
        let (a_max, b_min) = (extremes(a).1, extremes(b).0);
        if a_max <= b_min {
            return;
        }
        let show = |d: &InputDef, x: f64| match d.kind {
            InputKind::Month => self.start.plus(x as i32).to_string(),
            InputKind::Number => fmt_value(x),
        };
        let message = if a.is_uncertain() || b.is_uncertain() {
            format!(
                "{} can be as high as {} but {} can be as low as {}; {fix}: narrow the ranges \
                 so that no draw crosses",
                a.path,
                show(a, a_max),
                b.path,
                show(b, b_min)
            )
        } else {
            let above = match a.kind {
                InputKind::Month => "after",
                InputKind::Number => "above",
            };
            format!(
                "{} ({}) is {above} {} ({}); {fix}",
                a.path,
                show(a, a_max),
                b.path,
                show(b, b_min)
            )
        };
        // Blame a --set override first (it caused the clash), then what the file wrote.
        let written = [
            (b.path.clone(), self.spans[hi.0 as usize]),
            (a.path.clone(), self.spans[lo.0 as usize]),
        ];
        let pick = written
            .iter()
            .find(|(_, s)| s.is_some_and(|s| s.source != root.span.source))
            .or_else(|| written.iter().find(|(_, s)| s.is_some()));
        let (path, span) = match pick {
            Some((p, Some(s))) => (p.clone(), *s),
            _ => (b.path.clone(), sec.unwrap_or(root).span),
        };
        self.diag.report(span, &path, message);
    }

    pub(super) fn flag(
        &mut self,
        sec: Option<&Node>,
        key: &str,
        path: &str,
        default: bool,
    ) -> bool {
        if let Some(s) = sec {
            note(self.diag, s, Some(key), Shape::Flag(default));
        }
        match sec.and_then(|s| s.get(key)) {
            None => default,
            Some(n) => match n.value {
                Value::Bool(b) => b,
                ref other => {
                    self.diag.report(
                        n.span,
                        path,
                        format!("expected true or false, found {}", other.type_name()),
                    );
                    default
                }
            },
        }
    }

    pub(super) fn text(&mut self, sec: Option<&Node>, key: &str, path: &str) -> Option<String> {
        if let Some(s) = sec {
            note(self.diag, s, Some(key), Shape::Text);
        }
        let n = sec.and_then(|s| s.get(key))?;
        match &n.value {
            Value::Str(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::Str(_) => {
                self.diag.report(n.span, path, "must not be empty");
                None
            }
            other => {
                self.diag.report(
                    n.span,
                    path,
                    format!("expected a string, found {}", other.type_name()),
                );
                None
            }
        }
    }

    pub(super) fn integer(
        &mut self,
        sec: Option<&Node>,
        key: &str,
        path: &str,
        default: i64,
        lo: i64,
        hi: i64,
    ) -> i64 {
        if let Some(s) = sec {
            note(self.diag, s, Some(key), Shape::Integer(lo, hi, default));
        }
        let Some(n) = sec.and_then(|s| s.get(key)) else {
            return default;
        };
        match n.value {
            Value::Int(i) if (lo..=hi).contains(&i) => i,
            Value::Int(i) => {
                self.diag
                    .report(n.span, path, format!("{i} is outside {lo}..{hi}"));
                default
            }
            ref other => {
                self.diag.report(
                    n.span,
                    path,
                    format!("expected a whole number, found {}", other.type_name()),
                );
                default
            }
        }
    }
}

/// A list of keys as owned strings, for the schema's notebook.
fn owned(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| (*k).to_string()).collect()
}

/// A number for messages: whole numbers without a fraction.
fn fmt_value(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}
