//! Readers of `[[function]]` and `[[org]]`: functions (declared and implicit), organisations,
//! their staff files and synthetic workforces.

use super::input::{check_support, read_input, Check, InputKind};
use super::node::{Node, Value};
use super::policy::read_policy;
use super::reader::Reader;
use super::workforce::{generate, near_miss, read_staff_csv, Band, SyntheticSpec};
use super::*;
use crate::distribution::Dist;
use std::path::{Path, PathBuf};

pub(super) fn read_functions(r: &mut Reader<'_>, root: &Node) -> Vec<Function> {
    let mut out: Vec<Function> = Vec::new();
    let Some(arr) = root.get("function") else {
        return out;
    };
    let Value::Array(items) = &arr.value else {
        r.diag
            .report(arr.span, "function", "expected [[function]] entries");
        return out;
    };
    for (i, item) in items.iter().enumerate() {
        let raw_name = item.get("name").and_then(Node::as_str).map(str::to_string);
        let path = format!(
            "function.{}",
            raw_name.as_deref().map_or(i.to_string(), slugify)
        );
        if !r.table(
            item,
            &path,
            &[
                "name",
                "destination",
                "transfer",
                "share_moving",
                "in_scope",
                "allocation_transfer_share",
                "direction",
                "note",
            ],
        ) {
            continue;
        }
        let Some(name) = r.text(Some(item), "name", &format!("{path}.name")) else {
            r.diag.report(
                item.span,
                &format!("{path}.name"),
                "each [[function]] needs a name",
            );
            continue;
        };
        if out.iter().any(|f| f.name == name) {
            r.diag.report(
                item.span,
                &format!("{path}.name"),
                format!("function '{name}' is declared twice"),
            );
        }
        let destination = r
            .text(Some(item), "destination", &format!("{path}.destination"))
            .unwrap_or_else(|| "retained".into());
        if !["provider", "region", "national", "retained"].contains(&destination.as_str()) {
            let span = item.get("destination").map_or(item.span, |n| n.span);
            r.diag.report(span, &format!("{path}.destination"), format!("'{destination}' is not a destination; use provider, region, national or retained"));
        }
        let arriving = match r
            .text(Some(item), "direction", &format!("{path}.direction"))
            .as_deref()
        {
            None | Some("out") => false,
            Some("in") => true,
            Some(other) => {
                let span = item.get("direction").map_or(item.span, |n| n.span);
                r.diag.report(
                    span,
                    &format!("{path}.direction"),
                    format!("'{other}' is not a direction; use \"out\" (the function leaves, the default) or \"in\" (it arrives with its staff at `transfer`)"),
                );
                false
            }
        };
        if arriving && item.get("transfer").is_none() {
            r.diag.report(
                item.span,
                &format!("{path}.transfer"),
                "a function arriving (direction = \"in\") needs its arrival month in `transfer`",
            );
        }
        if arriving && item.get("share_moving").is_some() {
            let span = item.get("share_moving").map_or(item.span, |n| n.span);
            r.diag.report(
                span,
                &format!("{path}.share_moving"),
                "share_moving is for a function leaving; an arriving function brings all its staff",
            );
        }
        let transfer = item.get("transfer").map(|_| {
            r.month(
                Some(item),
                "transfer",
                &format!("{path}.transfer"),
                None,
                "",
            )
        });
        if transfer.is_some() && destination == "retained" && !arriving {
            r.diag.report(item.span, &format!("{path}.destination"), "a function with a transfer month needs a destination (provider, region or national)");
        }
        let share_moving = r.num(
            Some(item),
            "share_moving",
            &format!("{path}.share_moving"),
            1.0,
            "assumption (TUPE/COSOP: staff move with the function)",
            Check::Share,
        );
        let in_scope = r.flag(Some(item), "in_scope", &format!("{path}.in_scope"), true);
        let allocation_transfer_share = item.get("allocation_transfer_share").map(|n| {
            if transfer.is_none() {
                r.diag.report(
                    n.span,
                    &format!("{path}.allocation_transfer_share"),
                    "only a function with a transfer month can move its budget; give \
                     `transfer` or remove allocation_transfer_share",
                );
            }
            r.num(
                Some(item),
                "allocation_transfer_share",
                &format!("{path}.allocation_transfer_share"),
                0.0,
                "",
                Check::Share,
            )
        });
        let _ = r.text(Some(item), "note", &format!("{path}.note"));
        out.push(Function {
            name,
            destination,
            transfer,
            share_moving,
            in_scope,
            allocation_transfer_share,
            arriving,
        });
    }
    out
}

fn function_index(functions: &mut Vec<Function>, r: &mut Reader<'_>, name: &str) -> usize {
    if let Some(i) = functions.iter().position(|f| f.name == name) {
        return i;
    }
    let share_moving = r.default_param(
        &format!("function.{}.share_moving", slugify(name)),
        InputKind::Number,
        0.0,
        "implicit retained function",
    );
    functions.push(Function {
        name: name.to_string(),
        destination: "retained".into(),
        transfer: None,
        share_moving,
        in_scope: true,
        allocation_transfer_share: None,
        arriving: false,
    });
    functions.len() - 1
}

const ORG_KEYS: &[&str] = &[
    "name",
    "region",
    "population",
    "nonpay_baseline_gbp",
    "vacancy_baseline_gbp",
    "temporary_staffing_baseline_gbp",
    "funding_gbp",
    "staff_file",
    "synthetic",
    "target",
    "attrition",
    "vr",
    "mars",
    "cr",
];

pub(super) fn read_orgs(
    r: &mut Reader<'_>,
    root: &Node,
    base: &Path,
    functions: &mut Vec<Function>,
    seed: u64,
    policy: &Policy,
) -> Vec<Org> {
    let target = &policy.target;
    let mut out: Vec<Org> = Vec::new();
    // Functions declared in [[function]]; implicit ones are appended after them.
    let declared = functions.len();
    let items = match root.get("org").map(|n| (&n.value, n.span)) {
        Some((Value::Array(items), _)) if !items.is_empty() => items,
        Some((_, span)) => {
            r.diag
                .report(span, "org", "expected one or more [[org]] entries");
            return out;
        }
        None => {
            r.diag.report(
                root.span,
                "org",
                "a scenario needs at least one [[org]] with staff",
            );
            return out;
        }
    };
    for (i, item) in items.iter().enumerate() {
        let raw = item.get("name").and_then(Node::as_str).map(str::to_string);
        let slug = raw.as_deref().map_or(i.to_string(), slugify);
        let path = format!("org.{slug}");
        if !r.table(item, &path, ORG_KEYS) {
            continue;
        }
        let Some(name) = r.text(Some(item), "name", &format!("{path}.name")) else {
            r.diag.report(
                item.span,
                &format!("{path}.name"),
                "each [[org]] needs a name",
            );
            continue;
        };
        if name.eq_ignore_ascii_case("total") || out.iter().any(|o| o.slug == slug) {
            r.diag.report(
                item.span,
                &format!("{path}.name"),
                format!("organisation name '{name}' is reserved or used twice"),
            );
        }
        let region = r.text(Some(item), "region", &format!("{path}.region"));
        let (own_policy, overrides) = read_policy(r, root, item, &path, policy);
        let envelope = matches!(target.basis, TargetBasis::Envelope(_))
            || matches!(own_policy.target.basis, TargetBasis::Envelope(_));
        if envelope && item.get("population").is_none() {
            r.diag.report(
                item.span,
                &format!("{path}.population"),
                "an envelope target (£ per head) needs each org's population",
            );
        }
        let population = r.num(
            Some(item),
            "population",
            &format!("{path}.population"),
            0.0,
            "not given",
            Check::NonNeg,
        );
        let nonpay_baseline = r.num(
            Some(item),
            "nonpay_baseline_gbp",
            &format!("{path}.nonpay_baseline_gbp"),
            0.0,
            "not given",
            Check::NonNeg,
        );
        let vacancy_baseline = r.num(
            Some(item),
            "vacancy_baseline_gbp",
            &format!("{path}.vacancy_baseline_gbp"),
            0.0,
            "not given",
            Check::NonNeg,
        );
        let temporary_staffing_baseline = r.num(
            Some(item),
            "temporary_staffing_baseline_gbp",
            &format!("{path}.temporary_staffing_baseline_gbp"),
            0.0,
            "not given",
            Check::NonNeg,
        );
        let funding = r.num(
            Some(item),
            "funding_gbp",
            &format!("{path}.funding_gbp"),
            0.0,
            "no central funding",
            Check::NonNeg,
        );
        let org_seed = crate::rng::mix(seed, crate::rng::hash_str(&slug));
        let (staff, synthetic) = match (item.get("staff_file"), item.get("synthetic")) {
            (Some(_), Some(s)) => {
                r.diag.report(
                    s.span,
                    &format!("{path}.synthetic"),
                    "give either staff_file or [org.synthetic], not both",
                );
                (None, false)
            }
            (Some(f), None) => (
                read_staff_file(
                    r,
                    f,
                    base,
                    &format!("{path}.staff_file"),
                    functions,
                    declared,
                ),
                false,
            ),
            (None, Some(s)) => (
                read_synthetic(
                    r,
                    s,
                    &format!("{path}.synthetic"),
                    functions,
                    declared,
                    org_seed,
                    &slug,
                ),
                true,
            ),
            (None, None) => {
                r.diag.report(
                    item.span,
                    &path,
                    "each [[org]] needs staff: `staff_file = \"...\"` or an [org.synthetic] table",
                );
                (None, false)
            }
        };
        out.push(Org {
            name,
            slug,
            population,
            nonpay_baseline,
            vacancy_baseline,
            temporary_staffing_baseline,
            funding,
            staff: staff.unwrap_or_default(),
            synthetic,
            region,
            policy: own_policy,
            overrides,
            role: OrgRole::Standalone,
        });
    }
    out
}

fn read_staff_file(
    r: &mut Reader<'_>,
    node: &Node,
    base: &Path,
    path: &str,
    functions: &mut Vec<Function>,
    declared: usize,
) -> Option<Vec<crate::scenario::Staff>> {
    let Some(rel) = node.as_str() else {
        r.diag
            .report(node.span, path, "expected a file path string");
        return None;
    };
    let full: PathBuf = base.join(rel);
    let text = match std::fs::read_to_string(&full) {
        Ok(t) => t,
        Err(e) => {
            r.diag.report(
                node.span,
                path,
                format!("cannot read staff file {}: {e}", full.display()),
            );
            return None;
        }
    };
    let display = full.display().to_string();
    let mut names: Vec<String> = Vec::new();
    let declared: Vec<&str> = functions[..declared]
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    let staff = read_staff_csv(
        r.diag,
        &display,
        &text,
        path,
        &declared,
        &mut |n: &str| match names.iter().position(|x| x == n) {
            Some(i) => i,
            None => {
                names.push(n.to_string());
                names.len() - 1
            }
        },
    )?;
    let map: Vec<usize> = names
        .iter()
        .map(|n| function_index(functions, r, n))
        .collect();
    Some(
        staff
            .into_iter()
            .map(|mut s| {
                s.function = map[s.function];
                s
            })
            .collect(),
    )
}

/// FTE range a synthetic workforce can hold (a tenth of full time up to full time).
const SYNTH_FTE: (f64, f64) = (0.1, 1.0);

/// Age range a synthetic workforce can hold (working age up to the NHS pension age).
const SYNTH_AGE: (f64, f64) = (18.0, 67.0);

const SYNTH_KEYS: &[&str] = &[
    "headcount",
    "band_mix",
    "fte",
    "age",
    "service_years",
    "function_shares",
    "pension_member_share",
    "local_terms_bands",
    "programme_share",
];

fn read_synthetic(
    r: &mut Reader<'_>,
    node: &Node,
    path: &str,
    functions: &mut Vec<Function>,
    declared: usize,
    seed: u64,
    slug: &str,
) -> Option<Vec<crate::scenario::Staff>> {
    if !r.table(node, path, SYNTH_KEYS) {
        return None;
    }
    let before = r.diag.problems.len();
    let headcount = r.integer(
        Some(node),
        "headcount",
        &format!("{path}.headcount"),
        0,
        1,
        1_000_000,
    ) as usize;
    if node.get("headcount").is_none() {
        r.diag.report(
            node.span,
            &format!("{path}.headcount"),
            "missing required field 'headcount'",
        );
    }
    let band_mix = weights_table(
        r,
        node.get("band_mix"),
        &format!("{path}.band_mix"),
        Band::parse,
        "a band (2..9, 8a..8d, VSM)",
    );
    if node.get("band_mix").is_none() {
        r.diag.report(
            node.span,
            &format!("{path}.band_mix"),
            "missing required table 'band_mix' (band = weight)",
        );
    }
    let mut gen_dist = |key: &str, default: Dist, lo: f64, hi: f64| -> Dist {
        let p = format!("{path}.{key}");
        match node.get(key) {
            None => default,
            Some(n) => match read_input(r.diag, n, &p, InputKind::Number, r.start) {
                Some((d, _)) => {
                    check_support(r.diag, d, Check::Range(lo, hi), n.span, &p).unwrap_or(default)
                }
                None => default,
            },
        }
    };
    // The generator draws FTE in [0.1, 1] and ages in [18, 67]; a distribution reaching outside
    // those ranges is an error rather than being clamped silently.
    let fte = gen_dist(
        "fte",
        Dist::discrete(vec![1.0, 0.8, 0.6], vec![0.8, 0.1, 0.1]).ok()?,
        SYNTH_FTE.0,
        SYNTH_FTE.1,
    );
    let age = gen_dist(
        "age",
        Dist::normal(46.0, 10.0, Some(20.0), Some(66.0)).ok()?,
        SYNTH_AGE.0,
        SYNTH_AGE.1,
    );
    let service = gen_dist(
        "service_years",
        Dist::triangular(0.0, 8.0, 40.0).ok()?,
        0.0,
        64.0,
    );
    let pension_member_share =
        gen_dist("pension_member_share", Dist::fixed(0.9).ok()?, 0.0, 1.0).mean();
    let programme_share = gen_dist("programme_share", Dist::fixed(0.0).ok()?, 0.0, 1.0).mean();
    let shares = weights_table(
        r,
        node.get("function_shares"),
        &format!("{path}.function_shares"),
        |k| Some(k.to_string()),
        "a function name",
    );
    if let Some(Value::Table(entries)) = node.get("function_shares").map(|n| &n.value) {
        let names: Vec<&str> = functions[..declared]
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        for e in entries {
            if let Some(d) = near_miss(&e.key, &names) {
                r.diag.report(
                    e.key_span,
                    &format!("{path}.function_shares.{}", e.key),
                    format!(
                        "unknown function '{}' (did you mean '{d}'?); spell a declared \
                         [[function]] exactly (names are case-sensitive)",
                        e.key
                    ),
                );
            }
        }
    }
    let total: f64 = shares.iter().map(|(_, w)| w).sum();
    if total > 1.0 + 1e-9 {
        let span = node.get("function_shares").map_or(node.span, |n| n.span);
        r.diag.report(
            span,
            &format!("{path}.function_shares"),
            format!("function shares sum to {total:.4}, more than 1"),
        );
    }
    let function_shares: Vec<(usize, f64)> = shares
        .iter()
        .map(|(n, w)| (function_index(functions, r, n), *w))
        .collect();
    let rest_function = function_index(functions, r, "corporate");
    let local_bands = match node.get("local_terms_bands") {
        None => vec![Band::Vsm],
        Some(n) => match &n.value {
            Value::Array(items) => items
                .iter()
                .filter_map(|it| {
                    let b = it.as_str().and_then(Band::parse);
                    if b.is_none() {
                        r.diag.report(
                            it.span,
                            &format!("{path}.local_terms_bands"),
                            "expected band codes such as \"VSM\" or \"9\"",
                        );
                    }
                    b
                })
                .collect(),
            _ => {
                r.diag.report(
                    n.span,
                    &format!("{path}.local_terms_bands"),
                    "expected an array of band codes",
                );
                vec![]
            }
        },
    };
    if r.diag.problems.len() > before {
        return None;
    }
    let spec = SyntheticSpec {
        headcount,
        band_mix,
        fte,
        age,
        service,
        function_shares,
        rest_function,
        pension_member_share,
        local_bands,
        programme_share,
    };
    Some(generate(&spec, seed, slug))
}

fn weights_table<K>(
    r: &mut Reader<'_>,
    node: Option<&Node>,
    path: &str,
    parse: impl Fn(&str) -> Option<K>,
    what: &str,
) -> Vec<(K, f64)> {
    let Some(node) = node else { return Vec::new() };
    let Value::Table(entries) = &node.value else {
        r.diag.report(
            node.span,
            path,
            format!("expected a table of {what} = weight"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries {
        let p = format!("{path}.{}", e.key);
        let Some(k) = parse(&e.key) else {
            r.diag
                .report(e.key_span, &p, format!("'{}' is not {what}", e.key));
            continue;
        };
        match e.node.as_f64() {
            Some(w) if w.is_finite() && w >= 0.0 => out.push((k, w)),
            _ => r
                .diag
                .report(e.node.span, &p, "weight must be a number, zero or more"),
        }
    }
    if out.iter().map(|(_, w)| w).sum::<f64>() <= 0.0 && !entries.is_empty() {
        r.diag
            .report(node.span, path, "weights must not all be zero");
    }
    out
}
