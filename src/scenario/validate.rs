//! From a located TOML tree to a typed [`Scenario`], reporting every problem at once.
//!
//! Each section is read by one function below; every field is either a plain setting (name,
//! flags) or an input registered through [`Reader::num`] / [`Reader::month`]. Unknown keys, wrong
//! types and impossible values are reported with their location and the reading carries on, so
//! one run of `icbsim validate` lists everything that needs fixing.

use super::input::Check;
use super::mergers::read_mergers;
use super::node::{parse_document, parse_override_value, Entry, Node, Value};
use super::orgs::{read_functions, read_orgs};
use super::reader::Reader;
use super::sections::*;
use super::source::{Diagnostics, Problems, Source, Span};
use super::*;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Options applied while loading.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `PATH=VALUE` overrides, applied in order before validation.
    pub overrides: Vec<String>,
    /// Seed for synthetic workforces (defaults to the scenario's seed).
    pub seed: Option<u64>,
}

/// Loads and validates a scenario file.
///
/// # Errors
/// Every problem found, located (an unreadable file is one problem at line 1, column 1).
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Scenario, Problems> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Problems(vec![Problem {
            file: name.clone(),
            line: 1,
            column: 1,
            path: String::new(),
            message: format!("cannot read the scenario file: {e}"),
        }])
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut s = load_str(&name, &text, &base, opts)?;
    s.file = Some(path.to_path_buf());
    Ok(s)
}

/// Loads and validates scenario text; `base_dir` resolves relative staff-file paths.
///
/// # Errors
/// Every problem found, located.
pub fn load_str(
    name: &str,
    text: &str,
    base_dir: &Path,
    opts: &LoadOptions,
) -> Result<Scenario, Problems> {
    let mut diag = Diagnostics::default();
    let main = diag.add_source(Source::new(name, text));
    let Some(mut root) = parse_document(&mut diag, main) else {
        return Err(Problems(diag.problems));
    };
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    for ov in &opts.overrides {
        hasher.update(b"\n--set ");
        hasher.update(ov.as_bytes());
        apply_override(&mut diag, &mut root, ov);
    }
    let sha256 = hex(&hasher.finalize());
    let scenario = read_scenario(&mut diag, &root, base_dir, sha256, opts.seed);
    match scenario {
        // Warnings are kept in `Scenario::warnings`; the commands print them.
        Some(s) if diag.is_clean() => Ok(s),
        _ => Err(Problems(diag.problems)),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Grafts `PATH=VALUE` into the tree. Path segments name table keys; inside `org` and `function`
/// arrays a segment picks the element by slug, name or index.
fn apply_override(diag: &mut Diagnostics, root: &mut Node, ov: &str) {
    let src = diag.add_source(Source::new(format!("--set {ov}"), ov.to_string()));
    let Some(eq) = ov.find('=') else {
        let span = Span {
            source: src,
            start: 0,
            end: ov.len(),
        };
        diag.report(
            span,
            ov,
            "an override must be PATH=VALUE, e.g. vr.uptake=0.4",
        );
        return;
    };
    let path = ov[..eq].trim();
    let lead = ov.len() - ov.trim_start().len();
    let span = Span {
        source: src,
        start: lead.min(eq),
        end: eq,
    };
    let Some(value) = parse_override_value(diag, src, eq + 1) else {
        return;
    };
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        diag.report(span, path, "empty segment in the path");
        return;
    }
    let mut node = root;
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        node = match &mut node.value {
            Value::Table(entries) => {
                let pos = entries.iter().position(|e| e.key == *seg);
                let pos = match pos {
                    Some(p) => p,
                    None => {
                        let fresh = if last {
                            value.clone()
                        } else {
                            Node {
                                value: Value::Table(Vec::new()),
                                span,
                            }
                        };
                        entries.push(Entry {
                            key: seg.to_string(),
                            key_span: span,
                            node: fresh,
                        });
                        entries.len() - 1
                    }
                };
                if last {
                    entries[pos].node = value;
                    return;
                }
                &mut entries[pos].node
            }
            Value::Array(items) => {
                let found = seg
                    .parse::<usize>()
                    .ok()
                    .filter(|k| *k < items.len())
                    .or_else(|| {
                        items.iter().position(|it| {
                            it.get("name")
                                .or_else(|| it.get("successor"))
                                .and_then(Node::as_str)
                                .is_some_and(|n| n == *seg || slugify(n) == *seg)
                        })
                    });
                match found {
                    Some(k) if last => {
                        items[k] = value;
                        return;
                    }
                    Some(k) => &mut items[k],
                    None => {
                        let prefix = segments[..i].join(".");
                        diag.report(
                            span,
                            path,
                            format!("no element '{seg}' in {prefix} (use its name, slug or index)"),
                        );
                        return;
                    }
                }
            }
            _ => {
                let prefix = segments[..i].join(".");
                diag.report(
                    span,
                    path,
                    format!("{prefix} is a value, not a table; cannot set '{seg}' inside it"),
                );
                return;
            }
        };
    }
}

const TOP_KEYS: &[&str] = &[
    "scenario",
    "target",
    "pay",
    "nonpay",
    "vacancies",
    "temporary_staffing",
    "attrition",
    "vr",
    "mars",
    "cr",
    "early_retirement",
    "clawback",
    "exit_terms",
    "function",
    "org",
    "merger",
    "correlation",
    "wave",
];

/// Reads a parsed scenario only for what its readers note ([`super::schema`]); staff files are
/// looked for in the current folder.
pub(super) fn read_for_schema(diag: &mut Diagnostics, root: &Node) {
    let _ = read_scenario(diag, root, Path::new(""), String::new(), None);
}

fn read_scenario(
    diag: &mut Diagnostics,
    root: &Node,
    base: &Path,
    sha256: String,
    seed: Option<u64>,
) -> Option<Scenario> {
    let mut r = Reader {
        diag,
        inputs: Vec::new(),
        spans: Vec::new(),
        warnings: Vec::new(),
        start: Month::new(2025, 4)?,
        horizon: 1,
        scope: None,
    };
    r.table(root, "", TOP_KEYS);
    let sc = r.section(
        root,
        "scenario",
        &[
            "name",
            "description",
            "start",
            "horizon_months",
            "iterations",
            "seed",
            "discount_rate",
            "deflator",
            "appraisal_years",
            "funding_gbp",
            "sampling",
        ],
    );
    if sc.is_none() {
        r.diag.report(
            root.span,
            "scenario",
            "missing the [scenario] section (name, start, horizon_months)",
        );
    }
    let name = r.text(sc, "name", "scenario.name").unwrap_or_else(|| {
        if sc.is_some_and(|s| s.get("name").is_none()) {
            r.diag.report(
                sc.map_or(root.span, |s| s.span),
                "scenario.name",
                "missing required field 'name'",
            );
        }
        String::from("scenario")
    });
    let _ = r.text(sc, "description", "scenario.description");
    match sc.and_then(|s| s.get("start")) {
        Some(n) => match n.as_str().and_then(Month::parse) {
            Some(m) => r.start = m,
            None => r.diag.report(
                n.span,
                "scenario.start",
                "expected a month \"YYYY-MM\", e.g. \"2025-04\"",
            ),
        },
        None => r.diag.report(
            sc.map_or(root.span, |s| s.span),
            "scenario.start",
            "missing required field 'start' (\"YYYY-MM\")",
        ),
    }
    r.horizon = r.integer(sc, "horizon_months", "scenario.horizon_months", 36, 1, 240) as i32;
    let iterations = r.integer(
        sc,
        "iterations",
        "scenario.iterations",
        10_000,
        1,
        10_000_000,
    ) as u32;
    let file_seed = r.integer(sc, "seed", "scenario.seed", 1, 0, i64::MAX) as u64;
    let discount_rate = r.num(
        sc,
        "discount_rate",
        "scenario.discount_rate",
        0.035,
        "HM Treasury Green Book 3.5% (docs/model.md §2.6)",
        Check::Range(0.0, 1.0),
    );
    let deflator = r.num(
        sc,
        "deflator",
        "scenario.deflator",
        0.02,
        "assumption: GDP deflator 2% a year (docs/model.md §2.6)",
        Check::Range(-0.5, 1.0),
    );
    let appraisal_years =
        r.integer(sc, "appraisal_years", "scenario.appraisal_years", 10, 1, 60) as u32;
    let central_funding = sc.and_then(|s| s.get("funding_gbp")).is_some().then(|| {
        r.num(
            sc,
            "funding_gbp",
            "scenario.funding_gbp",
            0.0,
            "",
            Check::NonNeg,
        )
    });

    let target = read_target(&mut r, root);
    let pay = read_pay(&mut r, root);
    let nonpay = read_nonpay(&mut r, root);
    let vacancies = read_cost_line(&mut r, root, "vacancies");
    let temporary_staffing = read_cost_line(&mut r, root, "temporary_staffing");
    let attrition = read_attrition(&mut r, root);
    let (vr, mars, cr) = read_restructure(&mut r, root);
    let waves = read_waves(&mut r, root, &vr, cr.enabled);
    let early_retirement = read_early_retirement(&mut r, root);
    let clawback = read_clawback(&mut r, root);
    let exit_terms = read_exit_terms(&mut r, root);
    let mut functions = read_functions(&mut r, root);
    let policy = Policy {
        target: target.clone(),
        attrition: attrition.clone(),
        vr: vr.clone(),
        mars: mars.clone(),
        cr: cr.clone(),
    };
    let mut orgs = read_orgs(
        &mut r,
        root,
        base,
        &mut functions,
        seed.unwrap_or(file_seed),
        &policy,
    );
    excuse_window_set_by_every_org(&mut r, &orgs, vr.window);
    let mergers = read_mergers(&mut r, root, &mut orgs, &target);
    let sampling = match r.text(sc, "sampling", "scenario.sampling").as_deref() {
        None | Some("random") => Sampling::Random,
        Some("lhs") => Sampling::Lhs,
        Some(other) => {
            let span = sc
                .and_then(|s| s.get("sampling"))
                .map_or(root.span, |n| n.span);
            r.diag.report(
                span,
                "scenario.sampling",
                format!("'{other}' is not a sampling method; use \"random\" or \"lhs\""),
            );
            Sampling::Random
        }
    };
    let correlations = read_correlations(&mut r, root);
    if !r.diag.is_clean() {
        return None;
    }
    Some(Scenario {
        warnings: r.warnings,
        sampling,
        correlations,
        slug: slugify(&name),
        name,
        sha256,
        file: None,
        start: r.start,
        horizon: r.horizon,
        iterations,
        seed: file_seed,
        inputs: r.inputs,
        discount_rate,
        deflator,
        appraisal_years,
        central_funding,
        target,
        pay,
        nonpay,
        vacancies,
        temporary_staffing,
        attrition,
        vr,
        mars,
        cr,
        waves,
        early_retirement,
        clawback,
        exit_terms,
        functions,
        orgs,
        mergers,
    })
}

/// `vr.window` may be left out of `[vr]` when every organisation sets its own in `[org.vr]`:
/// drops the "missing" problem reported for it then.
fn excuse_window_set_by_every_org(r: &mut Reader<'_>, orgs: &[Org], wide: Param) {
    if orgs.is_empty() || orgs.iter().any(|o| o.policy.vr.window == wide) {
        return;
    }
    r.diag
        .problems
        .retain(|p| !(p.path == "vr.window" && p.message.starts_with("missing required month")));
}

/// Reads `[[correlation]]` entries: `inputs = ["path.a", "path.b"]`, `rank = rho` (Spearman).
fn read_correlations(r: &mut Reader<'_>, root: &Node) -> Vec<(usize, usize, f64)> {
    let mut out: Vec<(usize, usize, f64)> = Vec::new();
    let Some(arr) = root.get("correlation") else {
        return out;
    };
    let Value::Array(items) = &arr.value else {
        r.diag
            .report(arr.span, "correlation", "expected [[correlation]] entries");
        return out;
    };
    for (k, item) in items.iter().enumerate() {
        let path = format!("correlation.{k}");
        if !r.table(item, &path, &["inputs", "rank", "source", "note"]) {
            continue;
        }
        let names: Vec<(String, Span)> = match item.get("inputs").map(|n| (&n.value, n.span)) {
            Some((Value::Array(xs), _)) => xs
                .iter()
                .filter_map(|x| x.as_str().map(|s| (s.to_string(), x.span)))
                .collect(),
            _ => Vec::new(),
        };
        if names.len() != 2 {
            let span = item.get("inputs").map_or(item.span, |n| n.span);
            r.diag.report(span, &format!("{path}.inputs"), "expected two input paths, e.g. inputs = [\"vr.uptake\", \"attrition.annual_rate\"]");
            continue;
        }
        let rank = match item.get("rank").and_then(Node::as_f64) {
            Some(x) if (-1.0..=1.0).contains(&x) => x,
            _ => {
                let span = item.get("rank").map_or(item.span, |n| n.span);
                r.diag.report(
                    span,
                    &format!("{path}.rank"),
                    "expected a rank correlation between -1 and 1",
                );
                continue;
            }
        };
        let mut idx = Vec::new();
        let mut dropped = false;
        for (name, span) in &names {
            match r.inputs.iter().position(|d| &d.path == name) {
                Some(i) if r.inputs[i].is_uncertain() => idx.push(i),
                Some(i) => match r.spans[i].filter(|s| s.source != 0) {
                    // A fixed value given by --set (a sweep point, a what-if): the user asked
                    // for that value, so the correlation is dropped rather than the run refused.
                    Some(at) => {
                        dropped = true;
                        let (file, line, column) = {
                            let src = &r.diag.sources[at.source];
                            let (l, c) = src.locate(at.start);
                            (src.name.clone(), l, c)
                        };
                        r.warnings.push(Problem {
                            file,
                            line,
                            column,
                            path: name.clone(),
                            message: format!(
                                "'{name}' is now a fixed value, so {path} \
                                 (rank {}) is dropped; give it a distribution to keep the \
                                 correlation",
                                item.get("rank").and_then(Node::as_f64).unwrap_or(f64::NAN)
                            ),
                        });
                    }
                    None => r.diag.report(
                        *span,
                        &format!("{path}.inputs"),
                        format!(
                            "'{name}' is a fixed value; only uncertain inputs can be \
                             correlated: give it a distribution, or remove this \
                             [[correlation]]"
                        ),
                    ),
                },
                None => r.diag.report(
                    *span,
                    &format!("{path}.inputs"),
                    format!("no input '{name}' (use a dotted path as in iterations.csv)"),
                ),
            }
        }
        if dropped {
            continue;
        }
        if let [a, b] = idx[..] {
            if a == b {
                r.diag.report(
                    item.span,
                    &format!("{path}.inputs"),
                    "an input cannot be correlated with itself",
                );
            } else if out
                .iter()
                .any(|&(x, y, _)| (x, y) == (a, b) || (x, y) == (b, a))
            {
                r.diag.report(
                    item.span,
                    &format!("{path}.inputs"),
                    "this pair is given twice",
                );
            } else {
                out.push((a, b, rank));
            }
        }
    }
    out
}
