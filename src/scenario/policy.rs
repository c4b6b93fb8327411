//! An organisation's own inputs: `[org.vr]`, `[org.mars]`, `[org.cr]`, `[org.attrition]` and
//! `[org.target]` (`docs/model.md` §2.4a, "Inputs per organisation").
//!
//! Each sub-table may hold any subset of its scenario-wide section's keys. The organisation's
//! section is the scenario-wide one with those keys replaced, read by the same section reader as
//! the scenario-wide one (so every check, default and cross-field rule applies unchanged) while the
//! reader is scoped to the organisation: a key the organisation writes becomes its own input,
//! `org.<slug>.vr.uptake`, sampled per organisation and a column of `iterations.csv`; every other
//! key stays the scenario-wide input (one draw shared by every organisation that does not override
//! it). Problems already reported for the scenario-wide section are not repeated.

use super::node::{Entry, Node, Value};
use super::reader::{Reader, Scope};
use super::sections::{read_attrition, read_restructure, read_target};
use super::*;

/// The sections an organisation may override, in reading order.
const SECTIONS: [&str; 5] = ["target", "attrition", "vr", "mars", "cr"];

/// Settings that shape how results are compared, so they must be the same for every organisation.
const SCENARIO_ONLY: [(&str, &str); 2] = [("target", "counts_transfers"), ("target", "indexation")];

/// The policy of the `[[org]]` `item` at `path` (`org.<slug>`): `base` with the organisation's own
/// keys; the flag says whether it wrote any.
pub(super) fn read_policy(
    r: &mut Reader<'_>,
    root: &Node,
    item: &Node,
    path: &str,
    base: &Policy,
) -> (Policy, bool) {
    let present: Vec<&str> = SECTIONS
        .iter()
        .copied()
        .filter(|s| item.get(s).is_some())
        .collect();
    if present.is_empty() {
        return (base.clone(), false);
    }
    let mut written = Vec::new();
    let mut entries = Vec::new();
    for sec in SECTIONS {
        let base_node = root.get(sec);
        let node = match item.get(sec) {
            Some(over) if matches!(over.value, Value::Table(_)) => {
                leaves(over, sec, &mut written);
                overlay(base_node, over)
            }
            Some(over) => {
                r.diag.report(
                    over.span,
                    &format!("{path}.{sec}"),
                    format!("expected a table [org.{sec}] of the [{sec}] keys this organisation sets for itself"),
                );
                continue;
            }
            None => match base_node {
                Some(b) => b.clone(),
                None => continue,
            },
        };
        entries.push(Entry {
            key: sec.to_string(),
            key_span: node.span,
            node,
        });
    }
    for (sec, key) in SCENARIO_ONLY {
        if let Some(n) = item.get(sec).and_then(|s| s.get(key)) {
            r.diag.report(
                n.span,
                &format!("{path}.{sec}.{key}"),
                format!("{sec}.{key} is the same for every organisation: set it in [{sec}]"),
            );
        }
    }
    let merged = Node {
        value: Value::Table(entries),
        span: item.span,
    };
    let prefix = format!("{path}.");
    let before = r.diag.problems.len();
    r.scope = Some(Scope {
        prefix: prefix.clone(),
        written,
    });
    let target = if present.contains(&"target") {
        read_target(r, &merged)
    } else {
        base.target.clone()
    };
    let attrition = if present.contains(&"attrition") {
        read_attrition(r, &merged)
    } else {
        base.attrition.clone()
    };
    let (vr, mars, cr) = if ["vr", "mars", "cr"].iter().any(|s| present.contains(s)) {
        read_restructure(r, &merged)
    } else {
        (base.vr.clone(), base.mars.clone(), base.cr.clone())
    };
    r.scope = None;
    keep_new_problems(r, before, &prefix);
    (
        Policy {
            target,
            attrition,
            vr,
            mars,
            cr,
        },
        true,
    )
}

/// Drops the problems found since `before` that repeat one already reported for the scenario-wide
/// sections, and names the rest by the organisation's path.
fn keep_new_problems(r: &mut Reader<'_>, before: usize, prefix: &str) {
    let new = r.diag.problems.split_off(before);
    for mut p in new {
        let repeated = r.diag.problems[..before]
            .iter()
            .any(|q| q.path == p.path && q.message == p.message);
        if repeated {
            continue;
        }
        if !p.path.starts_with(prefix) {
            p.path = format!("{prefix}{}", p.path);
        }
        r.diag.problems.push(p);
    }
}

/// True when a table is a distribution (or a `value = ...` form) rather than a sub-section.
fn is_input(node: &Node) -> bool {
    node.get("dist").is_some() || node.get("value").is_some()
}

/// The dotted paths of the values an organisation writes under `at` (descending into
/// sub-sections such as `cr.notice_months`, not into distributions).
fn leaves(node: &Node, at: &str, out: &mut Vec<String>) {
    match &node.value {
        Value::Table(entries) if !is_input(node) => {
            for e in entries {
                leaves(&e.node, &format!("{at}.{}", e.key), out);
            }
        }
        _ => out.push(at.to_string()),
    }
}

/// The scenario-wide section `base` with the organisation's keys `over` written on top.
fn overlay(base: Option<&Node>, over: &Node) -> Node {
    let (Some(base), Value::Table(over_entries)) = (base, &over.value) else {
        return over.clone();
    };
    let Value::Table(base_entries) = &base.value else {
        return over.clone();
    };
    let mut entries: Vec<Entry> = base_entries.clone();
    for e in over_entries {
        match entries.iter_mut().find(|b| b.key == e.key) {
            Some(b) => {
                let sub = matches!(b.node.value, Value::Table(_))
                    && !is_input(&b.node)
                    && matches!(e.node.value, Value::Table(_))
                    && !is_input(&e.node);
                b.node = if sub {
                    overlay(Some(&b.node), &e.node)
                } else {
                    e.node.clone()
                };
                b.key_span = e.key_span;
            }
            None => entries.push(e.clone()),
        }
    }
    Node {
        value: Value::Table(entries),
        span: over.span,
    }
}
