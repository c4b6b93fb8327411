//! Reader of `[[merger]]`: statutory mergers of organisations into a successor
//! (`docs/model.md` §2.4a, "Clusters and statutory mergers").
//!
//! Each merger adds its successor to the scenario's organisations (after the declared ones), so
//! every output file gets its rows without knowing about mergers; the successor has no staff of
//! its own: its members' staff join it at the merger month.

use super::input::Check;
use super::node::{Node, Value};
use super::reader::Reader;
use super::workforce::Band;
use super::*;

const MERGER_KEYS: &[&str] = &[
    "successor",
    "members",
    "clustered",
    "month",
    "cost_gbp",
    "duplicated_bands",
    "target",
    "funding_gbp",
    "region",
    "note",
];

/// Reads every `[[merger]]`, appending each successor to `orgs`.
pub(super) fn read_mergers(
    r: &mut Reader<'_>,
    root: &Node,
    orgs: &mut Vec<Org>,
    wide: &Target,
) -> Vec<Merger> {
    let mut out = Vec::new();
    let Some(arr) = root.get("merger") else {
        return out;
    };
    let Value::Array(items) = &arr.value else {
        r.diag
            .report(arr.span, "merger", "expected [[merger]] entries");
        return out;
    };
    let declared = orgs.len();
    for (g, item) in items.iter().enumerate() {
        let raw = item
            .get("successor")
            .and_then(Node::as_str)
            .map(str::to_string);
        let slug = raw.as_deref().map_or(g.to_string(), slugify);
        let path = format!("merger.{slug}");
        if !r.table(item, &path, MERGER_KEYS) {
            continue;
        }
        let Some(name) = r.text(Some(item), "successor", &format!("{path}.successor")) else {
            r.diag.report(
                item.span,
                &format!("{path}.successor"),
                "each [[merger]] needs the name of its successor organisation",
            );
            continue;
        };
        if name.eq_ignore_ascii_case("total") || orgs.iter().any(|o| o.slug == slug) {
            r.diag.report(
                item.get("successor").map_or(item.span, |n| n.span),
                &format!("{path}.successor"),
                format!("organisation name '{name}' is reserved or used twice (a successor is a new organisation)"),
            );
        }
        let members = read_members(r, item, &path, &orgs[..declared], &out);
        let month = r.month(Some(item), "month", &format!("{path}.month"), None, "");
        let clustered = item.get("clustered").map(|_| {
            r.month(
                Some(item),
                "clustered",
                &format!("{path}.clustered"),
                None,
                "",
            )
        });
        if let Some(c) = clustered {
            r.ordered(
                Some(item),
                root,
                c,
                month,
                "a cluster's shared leadership team forms no later than the statutory merger",
            );
        }
        let first = r.inputs[month.0 as usize].value_at(0.0);
        if first < 1.0 && item.get("month").is_some() {
            r.diag.report(
                item.get("month").map_or(item.span, |n| n.span),
                &format!("{path}.month"),
                "a merger in the start month leaves its members no months of their own; merge them in the staff files instead, or merge from the second month on",
            );
        }
        let cost = r.num(
            Some(item),
            "cost_gbp",
            &format!("{path}.cost_gbp"),
            0.0,
            "not given",
            Check::NonNeg,
        );
        let funding = r.num(
            Some(item),
            "funding_gbp",
            &format!("{path}.funding_gbp"),
            0.0,
            "no central funding for the successor",
            Check::NonNeg,
        );
        let duplicated_bands = read_bands(r, item, &path);
        let target = match r
            .text(Some(item), "target", &format!("{path}.target"))
            .as_deref()
        {
            None | Some("sum") => MergerTarget::Sum,
            Some("envelope") => {
                if !matches!(wide.basis, TargetBasis::Envelope(_)) {
                    r.diag.report(
                        item.get("target").map_or(item.span, |n| n.span),
                        &format!("{path}.target"),
                        "an envelope successor target needs [target] basis = \"envelope\" for its per-head figure",
                    );
                }
                MergerTarget::Envelope
            }
            Some(other) => {
                r.diag.report(
                    item.get("target").map_or(item.span, |n| n.span),
                    &format!("{path}.target"),
                    format!("'{other}' is not a successor target; use \"sum\" (the members' targets added) or \"envelope\" (its population × £ per head)"),
                );
                MergerTarget::Sum
            }
        };
        let region = r
            .text(Some(item), "region", &format!("{path}.region"))
            .or_else(|| shared_region(orgs, &members));
        let _ = r.text(Some(item), "note", &format!("{path}.note"));
        let Some(&lead) = members.first() else {
            continue;
        };
        let index = out.len();
        for &m in &members {
            orgs[m].role = OrgRole::Member(index);
        }
        let template = &orgs[lead];
        orgs.push(Org {
            name,
            slug,
            population: template.population,
            nonpay_baseline: template.nonpay_baseline,
            vacancy_baseline: template.vacancy_baseline,
            temporary_staffing_baseline: template.temporary_staffing_baseline,
            funding,
            staff: Vec::new(),
            synthetic: false,
            region,
            policy: template.policy.clone(),
            overrides: false,
            role: OrgRole::Successor(index),
        });
        out.push(Merger {
            successor: orgs.len() - 1,
            members,
            clustered,
            month,
            cost,
            duplicated_bands,
            target,
        });
    }
    out
}

/// The members' indices among the declared organisations: two or more, each in one merger only.
fn read_members(
    r: &mut Reader<'_>,
    item: &Node,
    path: &str,
    orgs: &[Org],
    earlier: &[Merger],
) -> Vec<usize> {
    let p = format!("{path}.members");
    let Some(Value::Array(names)) = item.get("members").map(|n| &n.value) else {
        r.diag.report(
            item.get("members").map_or(item.span, |n| n.span),
            &p,
            "expected members = [\"Org A\", \"Org B\"]: two or more [[org]] names",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for n in names {
        let Some(name) = n.as_str() else {
            r.diag.report(n.span, &p, "expected an organisation name");
            continue;
        };
        match orgs.iter().position(|o| o.name == name || o.slug == name) {
            None => {
                let known: Vec<&str> = orgs.iter().map(|o| o.name.as_str()).collect();
                let hint = crate::suggest::closest(name, &known)
                    .map(|c| format!(" (did you mean '{c}'?)"))
                    .unwrap_or_default();
                r.diag
                    .report(n.span, &p, format!("no [[org]] named '{name}'{hint}"));
            }
            Some(i) if out.contains(&i) || earlier.iter().any(|m| m.members.contains(&i)) => {
                r.diag.report(
                    n.span,
                    &p,
                    format!(
                        "'{name}' is already a member of a merger; an organisation merges once"
                    ),
                );
            }
            Some(i) => out.push(i),
        }
    }
    if names.len() < 2 {
        r.diag.report(
            item.get("members").map_or(item.span, |n| n.span),
            &p,
            "a merger needs two or more members",
        );
    }
    out
}

fn read_bands(r: &mut Reader<'_>, item: &Node, path: &str) -> Vec<Band> {
    let p = format!("{path}.duplicated_bands");
    let Some(n) = item.get("duplicated_bands") else {
        return Vec::new();
    };
    let Value::Array(items) = &n.value else {
        r.diag.report(
            n.span,
            &p,
            "expected an array of band codes such as [\"VSM\", \"9\"]",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for it in items {
        match it.as_str().and_then(Band::parse) {
            Some(b) if !out.contains(&b) => out.push(b),
            Some(_) => r.diag.report(it.span, &p, "this band is listed twice"),
            None => r
                .diag
                .report(it.span, &p, "expected a band code: 2..9, 8a..8d or VSM"),
        }
    }
    out
}

/// The members' region when they all share one.
fn shared_region(orgs: &[Org], members: &[usize]) -> Option<String> {
    let first = orgs.get(*members.first()?)?.region.clone()?;
    members
        .iter()
        .all(|&m| orgs[m].region.as_deref() == Some(first.as_str()))
        .then_some(first)
}
