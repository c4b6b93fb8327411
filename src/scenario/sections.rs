//! Readers of the scenario-wide sections: target, pay, non-pay, attrition, VR/MARS/CR, early
//! retirement, clawback and exit terms. Each field's default cites its docs/sources.md row.

use super::input::{Check, InputKind};
use super::node::{Node, Value};
use super::reader::Reader;
use super::source::Span;
use super::workforce::Band;
use super::*;

pub(super) fn read_target(r: &mut Reader<'_>, root: &Node) -> Target {
    let s = r.section(
        root,
        "target",
        &[
            "basis",
            "reduction_share",
            "per_head_gbp",
            "deadline",
            "counts_transfers",
            "indexation",
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
            "docs/sources.md §1 (Model ICB Blueprint £18.76/head)",
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
                "docs/sources.md §1 (PQ 45937: 50% cut)",
                Check::Share,
            ))
        }
    };
    let deadline = r.month(s, "deadline", "target.deadline", None, "");
    let counts_transfers = r.flag(s, "counts_transfers", "target.counts_transfers", false);
    let indexation = match r.text(s, "indexation", "target.indexation").as_deref() {
        None | Some("cash") => Indexation::Cash,
        Some("pay") => Indexation::Pay,
        Some(other) => {
            let span = s
                .and_then(|s| s.get("indexation"))
                .map_or(root.span, |n| n.span);
            r.diag.report(
                span,
                "target.indexation",
                format!("'{other}' is not an indexation; use \"cash\" (a fixed cash allowance) or \"pay\" (uprated with pay awards)"),
            );
            Indexation::Cash
        }
    };
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
        indexation,
        planning_margin,
    }
}

pub(super) fn read_pay(r: &mut Reader<'_>, root: &Node) -> Pay {
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
        award: read_award(r, s),
        employer_ni_rate: r.num(
            s,
            "employer_ni_rate",
            "pay.employer_ni_rate",
            0.15,
            "docs/sources.md §3 (15% from 6 Apr 2025)",
            Check::Share,
        ),
        ni_threshold: r.num(
            s,
            "ni_threshold_gbp",
            "pay.ni_threshold_gbp",
            5_000.0,
            "docs/sources.md §3 (£5,000 from 6 Apr 2025)",
            Check::NonNeg,
        ),
        pension_rate: r.num(
            s,
            "pension_rate",
            "pay.pension_rate",
            0.1438,
            "docs/sources.md §3 (14.38% cash rate)",
            Check::Share,
        ),
        levy_rate: r.num(
            s,
            "apprenticeship_levy_rate",
            "pay.apprenticeship_levy_rate",
            0.005,
            "docs/sources.md §3 (0.5%)",
            Check::Share,
        ),
    }
}

/// `pay.award`: one value or distribution applied every April, or a list by financial year —
/// element k (input `pay.award.k`) is the award of the (k + 1)-th April after the start month, the
/// last repeating. A list longer than the Aprils inside the horizon is an error.
fn read_award(r: &mut Reader<'_>, s: Option<&Node>) -> Vec<Param> {
    const SOURCE: &str = "assumption (docs/sources.md §3: 2–4.5% after 2025/26)";
    const CHECK: Check = Check::Range(-0.2, 0.5);
    let list = match s.and_then(|s| s.get("award")) {
        Some(Node {
            value: Value::Array(items),
            span,
        }) => (items, *span),
        _ => return vec![r.num(s, "award", "pay.award", 0.03, SOURCE, CHECK)],
    };
    let (items, span) = list;
    if items.is_empty() {
        r.diag.report(
            span,
            "pay.award",
            "an empty list: give one award per financial year, e.g. [0.03, 0.025], or one value",
        );
        return vec![r.default_param("pay.award", InputKind::Number, 0.03, SOURCE)];
    }
    let aprils: Vec<i32> = (1..r.horizon)
        .filter(|&m| r.start.plus(m).month() == 4)
        .collect();
    let mut out = Vec::with_capacity(items.len());
    for (k, item) in items.iter().enumerate() {
        let path = format!("pay.award.{k}");
        if k >= aprils.len().max(1) {
            r.diag.report(
                item.span,
                &path,
                format!(
                    "the horizon {}..{} has {} April{} after the start month, so this award would \
                     never apply; remove it (the last award repeats)",
                    r.start,
                    r.start.plus(r.horizon - 1),
                    aprils.len(),
                    if aprils.len() == 1 { "" } else { "s" }
                ),
            );
        }
        let p = r.num_node(item, &path, 0.03, SOURCE, CHECK);
        if let Some(&m) = aprils.get(k) {
            r.inputs[p.0 as usize].label = format!("Pay award {}", r.start.plus(m).fy_label());
        }
        out.push(p);
    }
    out
}

pub(super) fn read_nonpay(r: &mut Reader<'_>, root: &Node) -> NonPay {
    let s = r.section(
        root,
        "nonpay",
        &["reduction_share", "ramp_start", "ramp_full"],
    );
    let h = r.horizon - 1;
    let nonpay = NonPay {
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
    };
    r.ordered(
        s,
        root,
        nonpay.ramp_start,
        nonpay.ramp_full,
        "the ramp must reach full effect (ramp_full) no earlier than it starts (ramp_start; \
         ramp_full defaults to 12 months after the start month)",
    );
    nonpay
}

/// Reads a pay-like cost line saved without exit costs (`[vacancies]`, `[temporary_staffing]`):
/// its reduction share and ramp, with the defaults of `[nonpay]` (nothing cut; a ramp over the
/// first 12 months).
pub(super) fn read_cost_line(r: &mut Reader<'_>, root: &Node, key: &str) -> CostLine {
    let s = r.section(root, key, &["reduction_share", "ramp_start", "ramp_full"]);
    let h = r.horizon - 1;
    let line = CostLine {
        reduction_share: r.num(
            s,
            "reduction_share",
            &format!("{key}.reduction_share"),
            0.0,
            "assumption: nothing cut unless stated",
            Check::Share,
        ),
        ramp_start: r.month(
            s,
            "ramp_start",
            &format!("{key}.ramp_start"),
            Some(0),
            "assumption",
        ),
        ramp_full: r.month(
            s,
            "ramp_full",
            &format!("{key}.ramp_full"),
            Some(12.min(h)),
            "assumption",
        ),
    };
    r.ordered(
        s,
        root,
        line.ramp_start,
        line.ramp_full,
        "the ramp must reach full effect (ramp_full) no earlier than it starts (ramp_start; \
         ramp_full defaults to 12 months after the start month)",
    );
    line
}

pub(super) fn read_attrition(r: &mut Reader<'_>, root: &Node) -> Attrition {
    let s = r.section(
        root,
        "attrition",
        &[
            "annual_rate",
            "freeze",
            "replacement_share",
            "freeze_until",
            "replacement_share_after",
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
    let freeze_lifts = read_freeze_lift(r, s, freeze);
    let credit_expected = r.flag(s, "credit_expected", "attrition.credit_expected", true);
    Attrition {
        annual_rate,
        replacement_share,
        freeze_lifts,
        credit_expected,
    }
}

/// `attrition.freeze_until` (the month a freeze lifts; absent: never) and
/// `attrition.replacement_share_after` (the share of leavers replaced from then on, default 1: the
/// organisation recruits to its new establishment). Both only under a freeze.
fn read_freeze_lift(r: &mut Reader<'_>, s: Option<&Node>, freeze: bool) -> Option<(Param, Param)> {
    let until = s.and_then(|s| s.get("freeze_until"));
    let after = s.and_then(|s| s.get("replacement_share_after"));
    match (until, after) {
        (Some(n), _) if !freeze => {
            r.diag.report(
                n.span,
                "attrition.freeze_until",
                "only meaningful under a freeze; with freeze = false every leaver is replaced \
                 (remove freeze_until, or set freeze = true)",
            );
            None
        }
        (None, Some(n)) => {
            r.diag.report(
                n.span,
                "attrition.replacement_share_after",
                "only meaningful when the freeze lifts: add freeze_until = \"YYYY-MM\"",
            );
            None
        }
        (None, None) => None,
        (Some(_), _) => {
            let month = r.month(s, "freeze_until", "attrition.freeze_until", None, "");
            let share = r.num(
                s,
                "replacement_share_after",
                "attrition.replacement_share_after",
                1.0,
                "docs/model.md §2.4a: after the freeze the organisation recruits to its new \
                 establishment",
                Check::Share,
            );
            Some((month, share))
        }
    }
}

pub(super) fn read_restructure(r: &mut Reader<'_>, root: &Node) -> (Vr, Mars, Cr) {
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
            "legal_cost_gbp",
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
            "docs/sources.md §1 (applications Dec 2025, exits from mid-March 2026)",
            Check::Range(0.0, 60.0),
        ),
        legal_cost: r.num(
            s,
            "legal_cost_gbp",
            "vr.legal_cost_gbp",
            0.0,
            "assumption: none unless stated (docs/sources.md §5: employer-funded advice on \
             the settlement agreement, typically £500 + VAT)",
            Check::NonNeg,
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
    let mars_sec = s;
    let mars = Mars {
        enabled: r.flag(s, "enabled", "mars.enabled", false),
        uptake: r.num(s, "uptake", "mars.uptake", 0.05, "assumption", Check::Share),
        months_per_year: r.num(
            s,
            "months_per_year",
            "mars.months_per_year",
            0.5,
            "docs/sources.md §2 (secondary: common MARS scheme)",
            Check::Range(0.0, 12.0),
        ),
        min_months: r.num(
            s,
            "min_months",
            "mars.min_months",
            3.0,
            "docs/sources.md §2 (secondary)",
            Check::Range(0.0, 24.0),
        ),
        max_months: r.num(
            s,
            "max_months",
            "mars.max_months",
            12.0,
            "docs/sources.md §2 (at most a year's pay)",
            Check::Range(0.0, 24.0),
        ),
        salary_cap: r.num(
            s,
            "salary_cap_gbp",
            "mars.salary_cap_gbp",
            80_000.0,
            "docs/sources.md §2 (NHS Employers Section 20)",
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
    r.ordered(
        mars_sec,
        root,
        mars.min_months,
        mars.max_months,
        "the minimum payment must not exceed the maximum (defaults: 3 and 12 months' pay)",
    );
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
            "rejoin_share",
            "timing",
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
                    "docs/sources.md §2 (UHB pattern)",
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
            "docs/model.md §2.4 (45 days for 100+ posts)",
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
        rejoin_share: r.num(
            s,
            "rejoin_share",
            "cr.rejoin_share",
            0.0,
            "assumption (NAO's ~22% re-employed is not split by route)",
            Check::Share,
        ),
        notice_months,
        timing: read_cr_timing(r, s),
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

/// `cr.timing`: `"after_vr"` (default) or `"parallel"`.
fn read_cr_timing(r: &mut Reader<'_>, s: Option<&Node>) -> CrTiming {
    match r.text(s, "timing", "cr.timing").as_deref() {
        None | Some("after_vr") => CrTiming::AfterVr,
        Some("parallel") => CrTiming::Parallel,
        Some(other) => {
            let span = s
                .and_then(|s| s.get("timing"))
                .map_or_else(Span::default, |n| n.span);
            r.diag.report(
                span,
                "cr.timing",
                format!(
                    "'{other}' is not a CR timing; use \"after_vr\" (consultation starts when the \
                     VR leavers go) or \"parallel\" (consultation starts at the window)"
                ),
            );
            CrTiming::AfterVr
        }
    }
}

/// `[[wave]]` entries: further windows, each after the VR window and the wave before it. A wave's
/// `uptake` and `approval_lag_months` default to the VR ones (the same inputs, not new draws);
/// `cr` defaults to `cr.enabled`, `mars` to false.
pub(super) fn read_waves(r: &mut Reader<'_>, root: &Node, vr: &Vr, cr_enabled: bool) -> Vec<Wave> {
    let Some(arr) = root.get("wave") else {
        return Vec::new();
    };
    let Value::Array(items) = &arr.value else {
        r.diag.report(
            arr.span,
            "wave",
            "expected [[wave]] entries (an array of tables), one per further window",
        );
        return Vec::new();
    };
    let mut waves: Vec<Wave> = Vec::with_capacity(items.len());
    for (k, item) in items.iter().enumerate() {
        let path = format!("wave.{k}");
        let keys = ["window", "uptake", "approval_lag_months", "cr", "mars"];
        if !r.table(item, &path, &keys) {
            continue;
        }
        let sec = Some(item);
        let window = r.month(sec, "window", &format!("{path}.window"), None, "");
        let uptake = match item.get("uptake") {
            Some(_) => r.num(
                sec,
                "uptake",
                &format!("{path}.uptake"),
                0.3,
                "",
                Check::Share,
            ),
            None => vr.uptake,
        };
        let approval_lag = match item.get("approval_lag_months") {
            Some(_) => r.num(
                sec,
                "approval_lag_months",
                &format!("{path}.approval_lag_months"),
                3.0,
                "",
                Check::Range(0.0, 60.0),
            ),
            None => vr.approval_lag,
        };
        let before = waves.last().map_or(vr.window, |w| w.window);
        // A missing window is reported above; its stand-in month must not be blamed as well.
        if item.get("window").is_some() {
            r.ordered(
            sec,
            root,
            before,
            window,
            "each [[wave]] window must come no earlier than the VR window and the wave before it",
            );
        }
        let n = k + 2;
        for (p, what) in [
            (window, "window"),
            (uptake, "VR uptake"),
            (approval_lag, "approval lag"),
        ] {
            let d = &mut r.inputs[p.0 as usize];
            if d.path.starts_with("wave.") {
                d.label = format!("Wave {n} {what}");
            }
        }
        waves.push(Wave {
            window,
            uptake,
            approval_lag,
            mars: r.flag(sec, "mars", &format!("{path}.mars"), false),
            cr: r.flag(sec, "cr", &format!("{path}.cr"), cr_enabled),
        });
    }
    waves
}

pub(super) fn read_early_retirement(r: &mut Reader<'_>, root: &Node) -> EarlyRetirement {
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
            "docs/sources.md §2 (NHSBSA: 55+)",
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
            "assumption (GAD factors not found, docs/sources.md §2)",
            Check::Range(0.0, 20.0),
        ),
    }
}

pub(super) fn read_clawback(r: &mut Reader<'_>, root: &Node) -> Clawback {
    let s = r.section(
        root,
        "clawback",
        &[
            "rejoin_share",
            "rejoin_horizon_months",
            "window_months",
            "senior_window_months",
            "senior_bands",
            "senior_payment_gbp",
            "repay_share",
        ],
    );
    let senior_bands = read_bands(r, s, "senior_bands", "clawback.senior_bands", &[Band::Vsm]);
    let senior_payment = s.and_then(|s| s.get("senior_payment_gbp")).map(|_| {
        r.num(
            s,
            "senior_payment_gbp",
            "clawback.senior_payment_gbp",
            0.0,
            "",
            Check::NonNeg,
        )
    });
    let clawback = Clawback {
        rejoin_share: r.num(
            s,
            "rejoin_share",
            "clawback.rejoin_share",
            0.22,
            "docs/sources.md §1 (NAO 2013: ~22% re-employed)",
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
            "docs/sources.md §2 (2025 model VR scheme: 6 months)",
            Check::Range(0.0, 120.0),
        ),
        senior_window_months: r.num(
            s,
            "senior_window_months",
            "clawback.senior_window_months",
            12.0,
            "docs/sources.md §5 (12 months for senior staff and larger payments)",
            Check::Range(0.0, 120.0),
        ),
        senior_bands,
        senior_payment,
        repay_share: r.num(
            s,
            "repay_share",
            "clawback.repay_share",
            1.0,
            "assumption (repayment schedule not published)",
            Check::Share,
        ),
    };
    r.ordered(
        s,
        root,
        clawback.window_months,
        clawback.senior_window_months,
        "the senior window must be at least the ordinary one (defaults: 6 and 12 months)",
    );
    clawback
}

/// A list of band codes at `sec.key` (`default` when absent); each bad entry is reported.
fn read_bands(
    r: &mut Reader<'_>,
    sec: Option<&Node>,
    key: &str,
    path: &str,
    default: &[Band],
) -> Vec<Band> {
    let Some(n) = sec.and_then(|s| s.get(key)) else {
        return default.to_vec();
    };
    let super::node::Value::Array(items) = &n.value else {
        r.diag.report(
            n.span,
            path,
            "expected an array of band codes, e.g. [\"8d\", \"9\", \"VSM\"]",
        );
        return default.to_vec();
    };
    items
        .iter()
        .filter_map(|it| {
            let b = it.as_str().and_then(Band::parse);
            if b.is_none() {
                r.diag.report(
                    it.span,
                    path,
                    "not a band: use 2..9, 8a..8d or VSM, e.g. [\"8d\", \"9\", \"VSM\"]",
                );
            }
            b
        })
        .collect()
}

pub(super) fn read_exit_terms(r: &mut Reader<'_>, root: &Node) -> ExitTermsParams {
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
    let src = "docs/sources.md §2 (AfC Section 16)";
    let terms = ExitTermsParams {
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
            "docs/sources.md §2 (Class 1A above £30,000)",
            Check::NonNeg,
        ),
        ni_rate: r.num(
            s,
            "termination_ni_rate",
            "exit_terms.termination_ni_rate",
            0.15,
            "docs/sources.md §2 (15%, 2025/26)",
            Check::Share,
        ),
        weekly_basis: month_pay == "weeks",
    };
    r.ordered(
        s,
        root,
        terms.salary_floor,
        terms.salary_cap,
        "the salary floor must not exceed the cap (defaults: £23,000 and £80,000)",
    );
    terms
}
