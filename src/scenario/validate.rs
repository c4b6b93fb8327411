//! From a located TOML tree to a typed [`Scenario`], reporting every problem at once.
//!
//! Each section is read by one function below; every field is either a plain setting (name,
//! flags) or an input registered through [`Reader::num`] / [`Reader::month`]. Unknown keys, wrong
//! types and impossible values are reported with their location and the reading carries on, so
//! one run of `icbsim validate` lists everything that needs fixing.

use super::input::{check_support, read_input, Check, InputDef, InputKind, Param, Provenance};
use super::node::{parse_document, parse_override_value, Entry, Node, Value};
use super::source::{Diagnostics, Problems, Source, Span};
use super::workforce::{generate, read_staff_csv, Band, SyntheticSpec};
use super::*;
use crate::distribution::Dist;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

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
    let value = parse_override_value(diag, src, eq + 1);
    let span = Span {
        source: src,
        start: 0,
        end: eq,
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

/// Reads inputs and plain settings, registering every input.
pub(super) struct Reader<'a> {
    pub diag: &'a mut Diagnostics,
    pub inputs: Vec<InputDef>,
    pub start: Month,
    pub horizon: i32,
}

impl Reader<'_> {
    /// Checks that `node` is a table with only `allowed` keys; reports otherwise.
    fn table(&mut self, node: &Node, path: &str, allowed: &[&str]) -> bool {
        match &node.value {
            Value::Table(entries) => {
                for e in entries {
                    if !allowed.contains(&e.key.as_str()) {
                        let p = if path.is_empty() {
                            e.key.clone()
                        } else {
                            format!("{path}.{}", e.key)
                        };
                        let hint = closest(&e.key, allowed)
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
    fn section<'n>(&mut self, root: &'n Node, key: &str, allowed: &[&str]) -> Option<&'n Node> {
        let n = root.get(key)?;
        self.table(n, key, allowed).then_some(n)
    }

    fn register(
        &mut self,
        path: &str,
        kind: InputKind,
        dist: Dist,
        provenance: Provenance,
        explicit: bool,
    ) -> Param {
        self.inputs.push(InputDef {
            path: path.to_string(),
            label: label_for(path),
            kind,
            dist,
            provenance,
            explicit,
        });
        Param((self.inputs.len() - 1) as u32)
    }

    fn default_param(&mut self, path: &str, kind: InputKind, value: f64, source: &str) -> Param {
        let prov = Provenance {
            source: Some(source.to_string()),
            date: None,
            note: Some("icbsim default".into()),
        };
        let dist = Dist::fixed(value).unwrap_or_else(|_| unreachable_fixed());
        self.register(path, kind, dist, prov, false)
    }

    /// A numeric input: `sec.key`, or `default` (cited by `source`) when absent.
    fn num(
        &mut self,
        sec: Option<&Node>,
        key: &str,
        path: &str,
        default: f64,
        source: &str,
        check: Check,
    ) -> Param {
        let Some(node) = sec.and_then(|s| s.get(key)) else {
            return self.default_param(path, InputKind::Number, default, source);
        };
        match read_input(self.diag, node, path, InputKind::Number, self.start) {
            Some((dist, prov)) => match check_support(self.diag, dist, check, node.span, path) {
                Some(dist) => self.register(path, InputKind::Number, dist, prov, true),
                None => self.default_param(path, InputKind::Number, default, source),
            },
            None => self.default_param(path, InputKind::Number, default, source),
        }
    }

    /// A month input within the horizon: `sec.key`, or `default` (an offset) when absent.
    fn month(
        &mut self,
        sec: Option<&Node>,
        key: &str,
        path: &str,
        default: Option<i32>,
        source: &str,
    ) -> Param {
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
                        self.diag.report(
                            node.span,
                            path,
                            format!(
                                "months {}..{} fall outside the horizon {}..{}",
                                self.start.plus(lo as i32),
                                self.start.plus(hi as i32),
                                self.start,
                                last
                            ),
                        );
                    }
                }
                self.register(path, InputKind::Month, dist, prov, true)
            }
            None => self.default_param(path, InputKind::Month, default.unwrap_or(0) as f64, source),
        }
    }

    fn flag(&mut self, sec: Option<&Node>, key: &str, path: &str, default: bool) -> bool {
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

    fn text(&mut self, sec: Option<&Node>, key: &str, path: &str) -> Option<String> {
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

    fn integer(
        &mut self,
        sec: Option<&Node>,
        key: &str,
        path: &str,
        default: i64,
        lo: i64,
        hi: i64,
    ) -> i64 {
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

fn unreachable_fixed() -> Dist {
    // Fixed distributions reject only non-finite values; every default here is finite.
    Dist::fixed(0.0).unwrap_or_else(|_| unreachable_fixed())
}

fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let score = |a: &str| -> usize {
        let (x, y): (Vec<char>, Vec<char>) = (key.chars().collect(), a.chars().collect());
        let mut prev: Vec<usize> = (0..=y.len()).collect();
        for i in 1..=x.len() {
            let mut cur = vec![i; y.len() + 1];
            for j in 1..=y.len() {
                let sub = prev[j - 1] + usize::from(x[i - 1] != y[j - 1]);
                cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
            }
            prev = cur;
        }
        prev[y.len()]
    };
    allowed
        .iter()
        .copied()
        .map(|a| (score(a), a))
        .filter(|(s, _)| *s <= 3)
        .min()
        .map(|(_, a)| a)
}

const TOP_KEYS: &[&str] = &[
    "scenario",
    "target",
    "pay",
    "nonpay",
    "attrition",
    "vr",
    "mars",
    "cr",
    "early_retirement",
    "clawback",
    "exit_terms",
    "function",
    "org",
];

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
        start: Month::new(2025, 4)?,
        horizon: 1,
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
        "HM Treasury Green Book 3.5% (SPEC §2.6)",
        Check::Range(0.0, 1.0),
    );

    let target = read_target(&mut r, root);
    let pay = read_pay(&mut r, root);
    let nonpay = read_nonpay(&mut r, root);
    let attrition = read_attrition(&mut r, root);
    let (vr, mars, cr) = read_restructure(&mut r, root);
    let early_retirement = read_early_retirement(&mut r, root);
    let clawback = read_clawback(&mut r, root);
    let exit_terms = read_exit_terms(&mut r, root);
    let mut functions = read_functions(&mut r, root);
    let orgs = read_orgs(
        &mut r,
        root,
        base,
        &mut functions,
        seed.unwrap_or(file_seed),
        &target,
    );
    if !r.diag.is_clean() {
        return None;
    }
    Some(Scenario {
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
        target,
        pay,
        nonpay,
        attrition,
        vr,
        mars,
        cr,
        early_retirement,
        clawback,
        exit_terms,
        functions,
        orgs,
    })
}

fn read_target(r: &mut Reader<'_>, root: &Node) -> Target {
    let s = r.section(
        root,
        "target",
        &[
            "basis",
            "reduction_share",
            "per_head_gbp",
            "deadline",
            "counts_transfers",
            "planning_margin",
        ],
    );
    if s.is_none() {
        r.diag.report(
            root.span,
            "target",
            "missing the [target] section (at least `deadline`)",
        );
    }
    let basis_name = r
        .text(s, "basis", "target.basis")
        .unwrap_or_else(|| "share".into());
    let basis = match basis_name.as_str() {
        "envelope" => TargetBasis::Envelope(r.num(
            s,
            "per_head_gbp",
            "target.per_head_gbp",
            18.76,
            "DOMAIN.md §1 (Model ICB Blueprint £18.76/head)",
            Check::Positive,
        )),
        other => {
            if other != "share" {
                let span = s.and_then(|s| s.get("basis")).map_or(root.span, |n| n.span);
                r.diag.report(
                    span,
                    "target.basis",
                    format!("'{other}' is not a target basis; use \"share\" or \"envelope\""),
                );
            }
            TargetBasis::Share(r.num(
                s,
                "reduction_share",
                "target.reduction_share",
                0.5,
                "DOMAIN.md §1 (PQ 45937: 50% cut)",
                Check::Share,
            ))
        }
    };
    let deadline = r.month(s, "deadline", "target.deadline", None, "");
    let counts_transfers = r.flag(s, "counts_transfers", "target.counts_transfers", false);
    let planning_margin = r.num(
        s,
        "planning_margin",
        "target.planning_margin",
        0.0,
        "assumption: plan exactly to the target",
        Check::Range(-0.5, 0.5),
    );
    Target {
        basis,
        deadline,
        counts_transfers,
        planning_margin,
    }
}

fn read_pay(r: &mut Reader<'_>, root: &Node) -> Pay {
    let s = r.section(
        root,
        "pay",
        &[
            "award",
            "employer_ni_rate",
            "ni_threshold_gbp",
            "pension_rate",
            "apprenticeship_levy_rate",
        ],
    );
    Pay {
        award: r.num(
            s,
            "award",
            "pay.award",
            0.03,
            "assumption (DOMAIN.md §3: 2–4.5% after 2025/26)",
            Check::Range(-0.2, 0.5),
        ),
        employer_ni_rate: r.num(
            s,
            "employer_ni_rate",
            "pay.employer_ni_rate",
            0.15,
            "DOMAIN.md §3 (15% from 6 Apr 2025)",
            Check::Share,
        ),
        ni_threshold: r.num(
            s,
            "ni_threshold_gbp",
            "pay.ni_threshold_gbp",
            5_000.0,
            "DOMAIN.md §3 (£5,000 from 6 Apr 2025)",
            Check::NonNeg,
        ),
        pension_rate: r.num(
            s,
            "pension_rate",
            "pay.pension_rate",
            0.1438,
            "DOMAIN.md §3 (14.38% cash rate)",
            Check::Share,
        ),
        levy_rate: r.num(
            s,
            "apprenticeship_levy_rate",
            "pay.apprenticeship_levy_rate",
            0.005,
            "DOMAIN.md §3 (0.5%)",
            Check::Share,
        ),
    }
}

fn read_nonpay(r: &mut Reader<'_>, root: &Node) -> NonPay {
    let s = r.section(
        root,
        "nonpay",
        &["reduction_share", "ramp_start", "ramp_full"],
    );
    let h = r.horizon - 1;
    NonPay {
        reduction_share: r.num(
            s,
            "reduction_share",
            "nonpay.reduction_share",
            0.0,
            "assumption",
            Check::Share,
        ),
        ramp_start: r.month(s, "ramp_start", "nonpay.ramp_start", Some(0), "assumption"),
        ramp_full: r.month(
            s,
            "ramp_full",
            "nonpay.ramp_full",
            Some(12.min(h)),
            "assumption",
        ),
    }
}

fn read_attrition(r: &mut Reader<'_>, root: &Node) -> Attrition {
    let s = r.section(
        root,
        "attrition",
        &[
            "annual_rate",
            "freeze",
            "replacement_share",
            "credit_expected",
        ],
    );
    let freeze = r.flag(s, "freeze", "attrition.freeze", true);
    let annual_rate = r.num(
        s,
        "annual_rate",
        "attrition.annual_rate",
        0.09,
        "assumption",
        Check::Range(0.0, 0.99),
    );
    let replacement_share = if freeze {
        r.num(
            s,
            "replacement_share",
            "attrition.replacement_share",
            0.0,
            "freeze: leavers not replaced",
            Check::Share,
        )
    } else {
        if let Some(n) = s.and_then(|s| s.get("replacement_share")) {
            r.diag.report(
                n.span,
                "attrition.replacement_share",
                "only meaningful under a freeze; with freeze = false every leaver is replaced",
            );
        }
        r.default_param(
            "attrition.replacement_share",
            InputKind::Number,
            1.0,
            "no freeze: every leaver replaced",
        )
    };
    let credit_expected = r.flag(s, "credit_expected", "attrition.credit_expected", true);
    Attrition {
        annual_rate,
        replacement_share,
        credit_expected,
    }
}

fn read_restructure(r: &mut Reader<'_>, root: &Node) -> (Vr, Mars, Cr) {
    let s = r.section(
        root,
        "vr",
        &[
            "enabled",
            "window",
            "uptake",
            "service_tilt",
            "age_tilt",
            "approval_lag_months",
        ],
    );
    let enabled = r.flag(s, "enabled", "vr.enabled", true);
    let vr = Vr {
        enabled,
        window: r.month(s, "window", "vr.window", None, ""),
        uptake: r.num(s, "uptake", "vr.uptake", 0.3, "assumption", Check::Share),
        service_tilt: r.num(
            s,
            "service_tilt",
            "vr.service_tilt",
            0.0,
            "assumption",
            Check::Range(-1.0, 1.0),
        ),
        age_tilt: r.num(
            s,
            "age_tilt",
            "vr.age_tilt",
            0.0,
            "assumption",
            Check::Range(-1.0, 1.0),
        ),
        approval_lag: r.num(
            s,
            "approval_lag_months",
            "vr.approval_lag_months",
            3.0,
            "DOMAIN.md §1 (applications Dec 2025, exits from mid-March 2026)",
            Check::Range(0.0, 60.0),
        ),
    };
    let s = r.section(
        root,
        "mars",
        &[
            "enabled",
            "uptake",
            "months_per_year",
            "min_months",
            "max_months",
            "salary_cap_gbp",
            "lag_months",
        ],
    );
    let mars = Mars {
        enabled: r.flag(s, "enabled", "mars.enabled", false),
        uptake: r.num(s, "uptake", "mars.uptake", 0.05, "assumption", Check::Share),
        months_per_year: r.num(
            s,
            "months_per_year",
            "mars.months_per_year",
            0.5,
            "DOMAIN.md §2 (secondary: common MARS scheme)",
            Check::Range(0.0, 12.0),
        ),
        min_months: r.num(
            s,
            "min_months",
            "mars.min_months",
            3.0,
            "DOMAIN.md §2 (secondary)",
            Check::Range(0.0, 24.0),
        ),
        max_months: r.num(
            s,
            "max_months",
            "mars.max_months",
            12.0,
            "DOMAIN.md §2 (at most a year's pay)",
            Check::Range(0.0, 24.0),
        ),
        salary_cap: r.num(
            s,
            "salary_cap_gbp",
            "mars.salary_cap_gbp",
            80_000.0,
            "DOMAIN.md §2 (NHS Employers Section 20)",
            Check::Positive,
        ),
        lag: r.num(
            s,
            "lag_months",
            "mars.lag_months",
            3.0,
            "assumption",
            Check::Range(0.0, 60.0),
        ),
    };
    let s = r.section(
        root,
        "cr",
        &[
            "enabled",
            "consultation_days",
            "pilon",
            "redeploy_share",
            "legal_cost_gbp",
            "notice_months",
        ],
    );
    let notice_sec = s.and_then(|s| s.get("notice_months"));
    let codes: Vec<&str> = Band::ALL.iter().map(|b| b.code()).collect();
    if let Some(n) = notice_sec {
        r.table(n, "cr.notice_months", &codes);
    }
    let notice_months = Band::ALL
        .iter()
        .map(|b| {
            let path = format!("cr.notice_months.{}", b.code());
            (
                *b,
                r.num(
                    notice_sec,
                    b.code(),
                    &path,
                    b.default_notice_months(),
                    "DOMAIN.md §2 (UHB pattern)",
                    Check::Range(0.0, 24.0),
                ),
            )
        })
        .collect();
    let cr = Cr {
        enabled: r.flag(s, "enabled", "cr.enabled", true),
        consultation_days: r.num(
            s,
            "consultation_days",
            "cr.consultation_days",
            45.0,
            "DOMAIN.md / SPEC §2.4 (45 days for 100+ posts)",
            Check::NonNeg,
        ),
        pilon: r.flag(s, "pilon", "cr.pilon", false),
        redeploy_share: r.num(
            s,
            "redeploy_share",
            "cr.redeploy_share",
            0.1,
            "assumption",
            Check::Share,
        ),
        legal_cost: r.num(
            s,
            "legal_cost_gbp",
            "cr.legal_cost_gbp",
            2_000.0,
            "assumption",
            Check::NonNeg,
        ),
        notice_months,
    };
    if !(vr.enabled || mars.enabled || cr.enabled) {
        r.diag.report(
            root.span,
            "vr.enabled",
            "VR, MARS and CR are all disabled: nothing can close the gap (enable at least one)",
        );
    }
    (vr, mars, cr)
}

fn read_early_retirement(r: &mut Reader<'_>, root: &Node) -> EarlyRetirement {
    let s = r.section(
        root,
        "early_retirement",
        &["min_age", "take_up", "strain_multiple"],
    );
    EarlyRetirement {
        min_age: r.num(
            s,
            "min_age",
            "early_retirement.min_age",
            55.0,
            "DOMAIN.md §2 (NHSBSA: 55+)",
            Check::Range(50.0, 75.0),
        ),
        take_up: r.num(
            s,
            "take_up",
            "early_retirement.take_up",
            0.5,
            "assumption",
            Check::Share,
        ),
        strain_multiple: r.num(
            s,
            "strain_multiple",
            "early_retirement.strain_multiple",
            1.5,
            "assumption (GAD factors not found, DOMAIN.md §2)",
            Check::Range(0.0, 20.0),
        ),
    }
}

fn read_clawback(r: &mut Reader<'_>, root: &Node) -> Clawback {
    let s = r.section(
        root,
        "clawback",
        &[
            "rejoin_share",
            "rejoin_horizon_months",
            "window_months",
            "repay_share",
        ],
    );
    Clawback {
        rejoin_share: r.num(
            s,
            "rejoin_share",
            "clawback.rejoin_share",
            0.22,
            "DOMAIN.md §1 (NAO 2013: ~22% re-employed)",
            Check::Share,
        ),
        rejoin_horizon_months: r.num(
            s,
            "rejoin_horizon_months",
            "clawback.rejoin_horizon_months",
            24.0,
            "assumption",
            Check::Range(1.0, 120.0),
        ),
        window_months: r.num(
            s,
            "window_months",
            "clawback.window_months",
            6.0,
            "DOMAIN.md §2 (2025 model VR scheme: 6 months)",
            Check::Range(0.0, 120.0),
        ),
        repay_share: r.num(
            s,
            "repay_share",
            "clawback.repay_share",
            1.0,
            "assumption (repayment schedule not published)",
            Check::Share,
        ),
    }
}

fn read_exit_terms(r: &mut Reader<'_>, root: &Node) -> ExitTermsParams {
    let s = r.section(
        root,
        "exit_terms",
        &[
            "salary_floor_gbp",
            "salary_cap_gbp",
            "max_years",
            "min_service_years",
            "termination_ni_threshold_gbp",
            "termination_ni_rate",
            "month_pay",
        ],
    );
    let month_pay = r
        .text(s, "month_pay", "exit_terms.month_pay")
        .unwrap_or_else(|| "twelfth".into());
    if month_pay != "twelfth" && month_pay != "weeks" {
        let span = s
            .and_then(|s| s.get("month_pay"))
            .map_or(root.span, |n| n.span);
        r.diag.report(span, "exit_terms.month_pay", format!("'{month_pay}' is not a basis; use \"twelfth\" (1/12 of salary) or \"weeks\" (4.35 weeks' pay)"));
    }
    let src = "DOMAIN.md §2 (AfC Section 16)";
    ExitTermsParams {
        salary_floor: r.num(
            s,
            "salary_floor_gbp",
            "exit_terms.salary_floor_gbp",
            23_000.0,
            src,
            Check::NonNeg,
        ),
        salary_cap: r.num(
            s,
            "salary_cap_gbp",
            "exit_terms.salary_cap_gbp",
            80_000.0,
            src,
            Check::Positive,
        ),
        max_years: r.num(
            s,
            "max_years",
            "exit_terms.max_years",
            24.0,
            src,
            Check::Range(0.0, 60.0),
        ),
        min_service_years: r.num(
            s,
            "min_service_years",
            "exit_terms.min_service_years",
            2.0,
            src,
            Check::Range(0.0, 60.0),
        ),
        ni_threshold: r.num(
            s,
            "termination_ni_threshold_gbp",
            "exit_terms.termination_ni_threshold_gbp",
            30_000.0,
            "DOMAIN.md §2 (Class 1A above £30,000)",
            Check::NonNeg,
        ),
        ni_rate: r.num(
            s,
            "termination_ni_rate",
            "exit_terms.termination_ni_rate",
            0.15,
            "DOMAIN.md §2 (15%, 2025/26)",
            Check::Share,
        ),
        weekly_basis: month_pay == "weeks",
    }
}

fn read_functions(r: &mut Reader<'_>, root: &Node) -> Vec<Function> {
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
        let transfer = item.get("transfer").map(|_| {
            r.month(
                Some(item),
                "transfer",
                &format!("{path}.transfer"),
                None,
                "",
            )
        });
        if transfer.is_some() && destination == "retained" {
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
        let _ = r.text(Some(item), "note", &format!("{path}.note"));
        out.push(Function {
            name,
            destination,
            transfer,
            share_moving,
            in_scope,
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
    });
    functions.len() - 1
}

const ORG_KEYS: &[&str] = &[
    "name",
    "population",
    "nonpay_baseline_gbp",
    "funding_gbp",
    "staff_file",
    "synthetic",
];

fn read_orgs(
    r: &mut Reader<'_>,
    root: &Node,
    base: &Path,
    functions: &mut Vec<Function>,
    seed: u64,
    target: &Target,
) -> Vec<Org> {
    let mut out: Vec<Org> = Vec::new();
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
        let envelope = matches!(target.basis, TargetBasis::Envelope(_));
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
        let funding = r.num(
            Some(item),
            "funding_gbp",
            &format!("{path}.funding_gbp"),
            0.0,
            "no central funding",
            Check::NonNeg,
        );
        let org_seed = crate::engine::rng::mix(seed, crate::engine::rng::hash_str(&slug));
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
                read_staff_file(r, f, base, &format!("{path}.staff_file"), functions),
                false,
            ),
            (None, Some(s)) => (
                read_synthetic(
                    r,
                    s,
                    &format!("{path}.synthetic"),
                    functions,
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
            funding,
            staff: staff.unwrap_or_default(),
            synthetic,
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
    let staff = read_staff_csv(r.diag, &display, &text, path, &mut |n: &str| match names
        .iter()
        .position(|x| x == n)
    {
        Some(i) => i,
        None => {
            names.push(n.to_string());
            names.len() - 1
        }
    })?;
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

const SYNTH_KEYS: &[&str] = &[
    "headcount",
    "band_mix",
    "fte",
    "age",
    "service_years",
    "function_shares",
    "pension_member_share",
    "local_terms_bands",
];

fn read_synthetic(
    r: &mut Reader<'_>,
    node: &Node,
    path: &str,
    functions: &mut Vec<Function>,
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
    let fte = gen_dist(
        "fte",
        Dist::discrete(vec![1.0, 0.8, 0.6], vec![0.8, 0.1, 0.1]).ok()?,
        0.0,
        1.0,
    );
    let age = gen_dist(
        "age",
        Dist::normal(46.0, 10.0, Some(20.0), Some(66.0)).ok()?,
        16.0,
        80.0,
    );
    let service = gen_dist(
        "service_years",
        Dist::triangular(0.0, 8.0, 40.0).ok()?,
        0.0,
        64.0,
    );
    let pension_member_share =
        gen_dist("pension_member_share", Dist::fixed(0.9).ok()?, 0.0, 1.0).mean();
    let shares = weights_table(
        r,
        node.get("function_shares"),
        &format!("{path}.function_shares"),
        |k| Some(k.to_string()),
        "a function name",
    );
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

/// Plain-words name of an input path for charts and tables.
pub fn label_for(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let known = |tail: &str| -> Option<&'static str> {
        Some(match tail {
            "scenario.discount_rate" => "Discount rate",
            "target.reduction_share" => "Target reduction share",
            "target.per_head_gbp" => "Envelope £ per head",
            "target.deadline" => "Target deadline",
            "target.planning_margin" => "Planning margin",
            "pay.award" => "Annual pay award",
            "pay.employer_ni_rate" => "Employer NI rate",
            "pay.ni_threshold_gbp" => "NI threshold",
            "pay.pension_rate" => "Employer pension rate",
            "pay.apprenticeship_levy_rate" => "Apprenticeship levy",
            "nonpay.reduction_share" => "Non-pay reduction",
            "nonpay.ramp_start" => "Non-pay ramp start",
            "nonpay.ramp_full" => "Non-pay full effect",
            "attrition.annual_rate" => "Staff turnover rate",
            "attrition.replacement_share" => "Leavers replaced",
            "vr.window" => "VR window month",
            "vr.uptake" => "VR uptake",
            "vr.service_tilt" => "VR tilt to long service",
            "vr.age_tilt" => "VR tilt to older staff",
            "vr.approval_lag_months" => "VR approval lag",
            "mars.uptake" => "MARS uptake",
            "mars.lag_months" => "MARS lag",
            "cr.consultation_days" => "Consultation length",
            "cr.redeploy_share" => "CR redeployed share",
            "cr.legal_cost_gbp" => "Legal cost per CR",
            "early_retirement.take_up" => "Early retirement take-up",
            "early_retirement.strain_multiple" => "Pension strain multiple",
            "clawback.rejoin_share" => "Leavers rejoining NHS",
            "clawback.repay_share" => "Clawback repaid share",
            _ => return None,
        })
    };
    if let Some(l) = known(path) {
        return l.to_string();
    }
    match parts.as_slice() {
        ["function", f, "transfer"] => format!("{} transfer date", title(f)),
        ["function", f, "share_moving"] => format!("{} share moving", title(f)),
        ["org", o, "funding_gbp"] => format!("Funding: {}", title(o)),
        ["org", o, "nonpay_baseline_gbp"] => format!("Non-pay baseline: {}", title(o)),
        ["org", o, "population"] => format!("Population: {}", title(o)),
        ["cr", "notice_months", b] => format!("Notice (band {b})"),
        _ => title(&path.replace('.', " ")),
    }
}

fn title(s: &str) -> String {
    let s = s.replace(['-', '_'], " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
