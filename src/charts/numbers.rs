//! Every number a chart prints is a CSV cell, formatted by the one formatter. For each chart of
//! the fixture runs, the labels it printed (title, subtitle, legend, annotations, note; axis
//! ticks aside — they are positions on a scale) and its text alternative are split into number
//! tokens (`£27.3m`, `−£1.20m`, `83%`, `<1%`, `1 in 6`, `1,000`, `−222`, `+0.26`), and each
//! token must be the formatted value of a cell of the run directory that the chart shows. The
//! cells are read here straight from the CSV text by column name, not through the chart reader,
//! so a chart that picks the wrong metric, statistic, month or organisation fails. Each chart
//! also has at least one label asserted in full.

use super::format::{a_chance, format_count, format_gbp, format_gbp_range, format_pct, Month};
use super::*;
use crate::format::chance;
use crate::stats::quantile_sorted;
use std::collections::{BTreeSet, HashMap};

/// A CSV file as rows of column → cell.
struct Csv(Vec<HashMap<String, String>>);

impl Csv {
    fn read(dir: &Path, file: &str) -> Csv {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let mut lines = text.lines();
        let head: Vec<String> = lines
            .next()
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect();
        Csv(lines
            .map(|l| {
                head.iter()
                    .cloned()
                    .zip(l.split(',').map(str::to_string))
                    .collect()
            })
            .collect())
    }

    /// The cell `col` of the one row matching every (column, value) of `key`.
    fn cell(&self, key: &[(&str, &str)], col: &str) -> f64 {
        let rows: Vec<&HashMap<String, String>> = self
            .0
            .iter()
            .filter(|r| {
                key.iter()
                    .all(|(k, v)| r.get(*k).map(String::as_str) == Some(*v))
            })
            .collect();
        assert_eq!(rows.len(), 1, "{key:?}");
        rows[0][col].parse().unwrap_or(f64::NAN)
    }

    /// Every distinct value of column `col` among rows matching `key`.
    fn values(&self, key: &[(&str, &str)], col: &str) -> Vec<String> {
        let mut v: Vec<String> = self
            .0
            .iter()
            .filter(|r| {
                key.iter()
                    .all(|(k, x)| r.get(*k).map(String::as_str) == Some(*x))
            })
            .map(|r| r[col].clone())
            .collect();
        v.dedup();
        v
    }
}

/// A fixture run: its directory and CSV files.
struct Run {
    summary: Csv,
    ts: Csv,
    by_year: Csv,
    iterations: Csv,
    sensitivity: Csv,
    data: RunData,
}

impl Run {
    fn open(name: &str) -> Run {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        Run {
            summary: Csv::read(&dir, "summary.csv"),
            ts: Csv::read(&dir, "timeseries.csv"),
            by_year: Csv::read(&dir, "by_year.csv"),
            iterations: Csv::read(&dir, "iterations.csv"),
            sensitivity: Csv::read(&dir, "sensitivity.csv"),
            data: RunData::read(&dir).unwrap(),
        }
    }

    fn s(&self, metric: &str, stat: &str) -> f64 {
        self.summary
            .cell(&[("org", "total"), ("metric", metric)], stat)
    }

    fn deadline(&self) -> String {
        let m: Month = self.data.manifest.deadline;
        format!("{:04}-{:02}", m.year(), m.month())
    }

    fn ts_at(&self, metric: &str, month: &str, stat: &str) -> f64 {
        self.ts.cell(
            &[("org", "total"), ("metric", metric), ("month", month)],
            stat,
        )
    }

    /// Numbers every chart may print: iterations and seed in the subtitle, the 12 months of the
    /// recurrent test.
    fn common(&self) -> BTreeSet<String> {
        let m = &self.data.manifest;
        [
            format_count(m.iterations as f64),
            m.seed.to_string(),
            "12".into(),
            format_count(m.orgs.len() as f64),
        ]
        .into_iter()
        .collect()
    }
}

/// The number tokens of `text`: money, percentages, "1 in N", counts and signed decimals.
/// Month labels ("Mar 2027"), financial years ("2026/27"), percentile names ("P90"), ordinals
/// ("10th") and the footer (version and scenario hash) are not results and are skipped.
fn numbers(text: &str) -> Vec<String> {
    if text.starts_with("icbsim ") {
        return Vec::new();
    }
    let mut t = text.replace('\u{a0}', " ");
    for m in [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ] {
        while let Some(i) = t.find(&format!("{m} 20")) {
            t.replace_range(i..i + m.len() + 5, "MONTH");
        }
    }
    let c: Vec<char> = t.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let num = |ch: char| ch.is_ascii_digit() || ch == '.' || ch == ',';
    while i < c.len() {
        let starts = matches!(c[i], '−' | '+' | '<' | '>' | '£') || c[i].is_ascii_digit();
        let after_word = i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '/');
        if !starts || after_word {
            i += 1;
            continue;
        }
        let s0 = i;
        while i < c.len() && matches!(c[i], '−' | '+' | '<' | '>' | '£') {
            i += 1;
        }
        let d0 = i;
        while i < c.len() && num(c[i]) {
            i += 1;
        }
        if i == d0 {
            continue;
        }
        let rest: String = c[i..].iter().take(3).collect();
        if rest.starts_with("bn") {
            i += 2;
        } else if rest.starts_with(['k', 'm', '%']) {
            i += 1;
        }
        // "2026/27", "10th", "5th": not a result.
        if i < c.len() && (c[i].is_alphanumeric() || c[i] == '/') {
            while i < c.len() && c[i].is_alphanumeric() {
                i += 1;
            }
            continue;
        }
        let mut tok: String = c[s0..i].iter().collect();
        while tok.ends_with(['.', ',']) {
            tok.pop();
        }
        if tok == "1" && c[i..].iter().collect::<String>().starts_with(" in ") {
            let n0 = i + 4;
            let mut j = n0;
            while j < c.len() && num(c[j]) {
                j += 1;
            }
            tok = format!("1 in {}", c[n0..j].iter().collect::<String>());
            tok = tok.trim_end_matches(['.', ',']).to_string();
            i = j;
        }
        out.push(tok);
    }
    out
}

/// Checks every number printed on `chart` (and in its text alternative) is in `allowed`, and
/// that each of `labels` is printed exactly.
fn check(chart: &Chart, allowed: &BTreeSet<String>, labels: &[String]) {
    let wrapped = (2..=3).any(|k| chart.printed.windows(k).any(|w| w.join(" ") == chart.title));
    assert!(
        chart.printed.iter().any(|p| p == &chart.title) || wrapped,
        "{}: the title is printed, on one line or two",
        chart.name
    );
    for text in chart.printed.iter().chain([&chart.desc, &chart.title]) {
        for tok in numbers(text) {
            assert!(
                allowed.contains(&tok),
                "{}: `{tok}` in \"{text}\" is no CSV cell it shows; allowed {allowed:?}",
                chart.name
            );
        }
    }
    for l in labels {
        assert!(
            chart.printed.contains(l),
            "{}: label \"{l}\" not printed; printed {:?}",
            chart.name,
            chart.printed
        );
    }
}

#[test]
fn numbers_are_found_and_non_results_skipped() {
    assert_eq!(
        numbers("A 1 in 6 chance by Mar 2027; net −£1.20m, 83% (P90 £4.70m) in 2026/27"),
        vec!["1 in 6", "−£1.20m", "83%", "£4.70m"]
    );
    assert_eq!(
        numbers("Bands: 5th–95th; P5–P95 range; −222, +0.26, <1%, 1,000 staff"),
        vec!["−222", "+0.26", "<1%", "1,000"]
    );
    assert!(numbers("icbsim 0.1.0 · scenario 619ced9be56b").is_empty());
}

/// A chart whose label is not its cell fails the check.
#[test]
#[should_panic(expected = "is no CSV cell it shows")]
fn a_wrong_number_fails_the_check() {
    let run = Run::open("run-sample");
    let chart = fan::chart(&run.data).unwrap();
    check(&chart, &run.common(), &[]);
}

fn fan_allowed(run: &Run) -> BTreeSet<String> {
    let d = run.deadline();
    let mut a = run.common();
    for stat in ["p5", "p50", "p95"] {
        a.insert(format_gbp(run.ts_at("run_rate_gbp", &d, stat)));
    }
    a.insert(format_gbp(run.ts_at("target_gbp", &d, "p50")));
    a.insert(format_gbp(run.s("baseline_gbp", "mean")));
    let p = run.s("target_met", "mean");
    a.insert(chance(p));
    a.insert(chance(1.0 - p));
    a
}

#[test]
fn fan_prints_only_its_cells() {
    for name in ["run-sample", "run-multi"] {
        let run = Run::open(name);
        let d = run.deadline();
        let chart = fan::chart(&run.data).unwrap();
        let median = format!(
            "Median {} at {}",
            format_gbp(run.ts_at("run_rate_gbp", &d, "p50")),
            run.data.manifest.deadline.label()
        );
        let p = run.s("target_met", "mean");
        let when = run.data.manifest.deadline.label();
        let title = if name == "run-multi" {
            format!(
                "{} that at least one organisation misses its target by {when} or in the 12 months after",
                a_chance(1.0 - p)
            )
        } else {
            format!(
                "{} of meeting the target by {when} and holding it for 12 months",
                a_chance(p)
            )
        };
        assert_eq!(chart.title, title);
        let basis = "Median, system run-rate".to_string();
        check(&chart, &fan_allowed(&run), &[median, basis]);
        assert!(chart.printed.iter().any(|l| l.starts_with(
            "Tested on the system run-rate: own cost plus functions transferred out"
        )));
    }
}

#[test]
fn exit_histogram_prints_only_its_cells() {
    for name in ["run-sample", "run-multi"] {
        let run = Run::open(name);
        let col = |c: &str| -> Vec<f64> {
            let mut v: Vec<f64> = run
                .iterations
                .0
                .iter()
                .filter(|r| r["org"] == "total")
                .map(|r| r[c].parse().unwrap())
                .collect();
            v.sort_by(f64::total_cmp);
            v
        };
        let (exit, fund) = (col("exit_cost_gbp"), col("funding_gbp"));
        let mut a = run.common();
        let q = |v: &[f64], p: f64| quantile_sorted(v, p);
        for v in [&exit, &fund] {
            for p in [0.1, 0.5, 0.9] {
                a.insert(format_gbp(q(v, p)));
            }
        }
        a.insert(format_count(exit.len() as f64));
        a.insert("80%".into());
        a.insert(chance(run.s("funding_gap_any", "mean")));
        a.insert(format_gbp(run.s("funding_gap_gbp", "p90")));
        let chart = exit_hist::chart(&run.data).unwrap();
        let p50 = format!("P50 {}", format_gbp(q(&exit, 0.5)));
        check(&chart, &a, &[p50]);
        let p = run.s("funding_gap_any", "mean");
        let (lead, p90) = (
            if p >= 1.0 {
                "Central funding does not cover".to_string()
            } else {
                a_chance(p)
            },
            format_gbp(run.s("funding_gap_gbp", "p90")),
        );
        // The sentence may wrap onto two printed lines.
        let joined: Vec<String> = chart
            .printed
            .iter()
            .cloned()
            .chain(chart.printed.windows(2).map(|w| w.join(" ")))
            .collect();
        assert!(
            joined.iter().any(|l| l.starts_with(&lead)
                && (l.ends_with(&format!("P90 {p90})"))
                    || l.ends_with(&format!("shortfall {p90})")))),
            "{:?}",
            chart.printed
        );
    }
    let run = Run::open("run-sample");
    let chart = exit_hist::chart(&run.data).unwrap();
    let f: Vec<f64> = {
        let mut v: Vec<f64> = run
            .iterations
            .0
            .iter()
            .filter(|r| r["org"] == "total")
            .map(|r| r["funding_gbp"].parse().unwrap())
            .collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let band = format!(
        "Funding P50 {} (P10–P90 {})",
        format_gbp(quantile_sorted(&f, 0.5)),
        format_gbp_range(quantile_sorted(&f, 0.1), quantile_sorted(&f, 0.9))
    );
    assert!(chart.printed.contains(&band), "{:?}", chart.printed);
}

#[test]
fn money_by_year_nets_are_the_difference_of_the_bars() {
    for name in ["run-sample", "run-multi"] {
        let run = Run::open(name);
        let fys = run.by_year.values(&[("org", "total")], "fy");
        let y = |fy: &str, m: &str| {
            run.by_year
                .cell(&[("org", "total"), ("fy", fy), ("metric", m)], "mean")
        };
        let mut a = run.common();
        let mut labels = Vec::new();
        let mut cum = 0.0;
        for fy in &fys {
            let (exit, sav, net) = (
                y(fy, "exit_cost_accrued_gbp"),
                y(fy, "savings_gbp"),
                y(fy, "net_accrued_gbp"),
            );
            assert!(
                (net - (sav - exit)).abs() <= 1e-6 * sav.abs().max(exit.abs()).max(1.0),
                "{fy}: net {net} is not savings {sav} − accrued exit cost {exit}"
            );
            cum += net;
            for v in [exit, sav, y(fy, "cost_shifted_gbp"), net] {
                a.insert(format_gbp(v));
            }
            labels.push(format!("Net {}", format_gbp(net)));
            labels.push(format_gbp(exit));
            labels.push(format_gbp(sav));
        }
        a.insert(format_gbp(cum));
        labels.push("Exit costs when committed (accrued)".into());
        let chart = by_year::chart(&run.data).unwrap();
        check(&chart, &a, &labels);
        let shifted = fys.iter().any(|fy| y(fy, "cost_shifted_gbp") != 0.0);
        assert_eq!(
            chart
                .printed
                .contains(&"Cost shifted to other NHS bodies (not a saving)".to_string()),
            shifted
        );
    }
}

#[test]
fn s_curve_is_met_and_held_for_12_months() {
    for name in ["run-sample", "run-multi"] {
        let run = Run::open(name);
        let months = run
            .ts
            .values(&[("org", "total"), ("metric", "target_met_by")], "month");
        let mut a = run.common();
        for m in &months {
            a.insert(format_pct(run.ts_at("target_met_by", m, "mean")));
        }
        a.insert("50%".into());
        let p = run.s("target_met", "mean");
        a.insert(chance(p));
        a.insert(format_pct(p));
        let chart = s_curve::chart(&run.data).unwrap();
        assert!(chart.title.contains("and hold"), "{}", chart.title);
        let at = format!(
            "{} by {}",
            format_pct(run.ts_at("target_met_by", &run.deadline(), "mean")),
            run.data.manifest.deadline.label()
        );
        check(&chart, &a, &[at]);
    }
}

#[test]
fn bridge_ends_at_the_deadline_without_empty_bars() {
    for name in ["run-sample", "run-multi"] {
        let run = Run::open(name);
        let start = run.s("headcount_start", "mean");
        let end = run.s("headcount_at_deadline", "mean");
        let mut a = run.common();
        let mut routes = 0.0;
        for m in [
            "natural_leavers",
            "transferred",
            "exits_vr",
            "exits_mars",
            "exits_cr",
            "redeployed",
        ] {
            let n = run.s(m, "mean");
            routes += n;
            a.insert(format!("{}{}", format::MINUS, format_count(n)));
        }
        for m in ["exit_cost_vr_gbp", "exit_cost_mars_gbp", "exit_cost_cr_gbp"] {
            a.insert(format_gbp(run.s(m, "mean")));
        }
        let other = start - routes - end;
        a.insert(format!("+{}", format_count(-other)));
        a.insert(format!("{}{}", format::MINUS, format_count(other)));
        a.insert(format_count(other));
        a.insert(format_count(-other));
        a.insert(format_count(start));
        a.insert(format_count(end));
        a.insert(format!(
            "{}{}",
            format::MINUS,
            format_pct((start - end) / start)
        ));
        let chart = bridge::chart(&run.data).unwrap();
        assert!(
            !chart.printed.iter().any(|l| l == "0"),
            "no empty bar: {:?}",
            chart.printed
        );
        check(&chart, &a, &[format_count(end)]);
        // Each route with anyone in it is a row showing its mean count (and, paid, its exit
        // cost); a route with no one is no row at all.
        for (m, label, cost) in [
            ("natural_leavers", "Natural leavers", None),
            ("transferred", "Transferred to other bodies", None),
            (
                "exits_vr",
                "Voluntary redundancy (VR)",
                Some("exit_cost_vr_gbp"),
            ),
            ("exits_mars", "MARS", Some("exit_cost_mars_gbp")),
            (
                "exits_cr",
                "Compulsory redundancy (CR)",
                Some("exit_cost_cr_gbp"),
            ),
            ("redeployed", "Redeployed", None),
        ] {
            let n = run.s(m, "mean");
            let shown = chart.printed.iter().any(|l| l == label);
            assert_eq!(shown, n.abs() >= 0.5, "{name}: {label} with mean {n}");
            if shown {
                let v = format!("{}{}", format::MINUS, format_count(n));
                assert!(chart.printed.contains(&v), "{name}: {label} shows {v}");
                if let Some(c) = cost {
                    let c = format_gbp(run.s(c, "mean"));
                    assert!(chart.printed.contains(&c), "{name}: {label} costs {c}");
                }
            }
        }
        assert!(chart.title.starts_with(&format!(
            "Headcount falls from {} to {} by {}",
            format_count(start),
            format_count(end),
            run.data.manifest.deadline.label()
        )));
    }
}

#[test]
fn by_organisation_shows_each_organisations_own_chance() {
    let run = Run::open("run-multi");
    let mut a = run.common();
    let mut labels = Vec::new();
    let orgs = &run.data.manifest.orgs;
    for o in orgs {
        let c = |m: &str, st: &str| run.summary.cell(&[("org", o), ("metric", m)], st);
        for st in ["p10", "p50", "p90"] {
            a.insert(format_gbp(c("exit_cost_gbp", st)));
        }
        let p = format_pct(c("target_met", "mean"));
        a.insert(p.clone());
        labels.push(format!(
            "{} · target met {p}",
            format_gbp(c("exit_cost_gbp", "p50"))
        ));
    }
    a.insert(format_count(orgs.len() as f64));
    let chart = by_org::chart(&run.data).unwrap();
    check(&chart, &a, &labels);
}

/// The tornado prints each input's £ swings as written in sensitivity.csv (`swing_gbp` of
/// `exit_cost_gbp` and of `run_rate_at_deadline_gbp`, org `total`), and each bar is the swing of
/// its own input: the label printed after an input's name in the text alternative is its cells.
#[test]
fn tornado_prints_the_swings_in_pounds() {
    for name in ["run-sample", "run-multi"] {
        let run = Run::open(name);
        let mut a = run.common();
        a.extend(["10%".to_string(), "95%".to_string()]);
        let mut expect = Vec::new();
        for r in &run.sensitivity.0 {
            if r["org"] != "total" {
                continue;
            }
            let v: f64 = r["swing_gbp"].parse().unwrap_or(f64::NAN);
            a.insert(tornado::signed(v));
            if r["output"] == "exit_cost_gbp" {
                expect.push((r["input_label"].clone(), tornado::signed(v)));
            }
        }
        let inputs = run.sensitivity.values(&[("org", "total")], "input").len();
        for n in 0..=inputs {
            a.insert(format_count(n as f64));
        }
        let chart = tornado::chart(&run.data).unwrap();
        check(&chart, &a, &[]);
        let shown: Vec<&(String, String)> = expect
            .iter()
            .filter(|(l, _)| chart.desc.contains(&format!("{l}: ")))
            .collect();
        assert!(!shown.is_empty(), "{name}: {}", chart.desc);
        for (label, v) in shown {
            assert!(
                chart.desc.contains(&format!("{label}: exit cost {v},")),
                "{name}: {label} should swing exit cost by {v}: {}",
                chart.desc
            );
        }
        assert!(
            !chart.printed.iter().any(|l| l.contains("0.00")),
            "no −0.00"
        );
    }
}
