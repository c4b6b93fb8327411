//! Integration tests of `icbsim compare` (issue 12, item 4): options run with common random
//! numbers and compared iteration by iteration.
//!
//! The expected values come from the per-iteration values the command also writes
//! (`paired_iterations.csv`), which are themselves checked against each option's own
//! `iterations.csv`: a share is counted here by hand, a mean and a type-7 median recomputed, and
//! identical options must differ by exactly zero in every iteration.

mod common;

use common::{fixture, icbsim, option_file, read, read_csv, rel_files, s, tmp};
use std::collections::BTreeMap;
use std::path::Path;

/// `paired.csv` as (option_a, option_b, metric, statistic) → value.
fn paired(dir: &Path) -> BTreeMap<(String, String, String, String), f64> {
    let (h, rows) = read_csv(&dir.join("paired.csv"));
    assert_eq!(
        h,
        [
            "option_a",
            "option_b",
            "metric",
            "unit",
            "statistic",
            "value",
            "se"
        ]
    );
    rows.into_iter()
        .map(|r| {
            let v: f64 = r[5].parse().unwrap();
            ((r[0].clone(), r[1].clone(), r[2].clone(), r[4].clone()), v)
        })
        .collect()
}

/// `paired_iterations.csv`: for each option, its column `metric` in iteration order.
fn per_iteration(dir: &Path, option: &str, metric: &str) -> Vec<f64> {
    let (h, rows) = read_csv(&dir.join("paired_iterations.csv"));
    let col = h.iter().position(|c| c == metric).unwrap();
    rows.iter()
        .filter(|r| r[1] == option)
        .map(|r| r[col].parse().unwrap())
        .collect()
}

/// Type-7 quantile of sorted values: x[h] interpolated at h = (n − 1)p.
fn type7(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, frac) = (h.floor() as usize, h - h.floor());
    sorted[lo] + frac * (sorted[(lo + 1).min(sorted.len() - 1)] - sorted[lo])
}

#[test]
fn higher_vr_uptake_cheaper_share_agrees_with_the_per_iteration_values() {
    let t = tmp();
    let low = option_file(t.path(), "low", "Low uptake", 0.15);
    let high = option_file(t.path(), "high", "High uptake", 0.45);
    let o = icbsim(
        t.path(),
        [
            "compare",
            &low,
            &high,
            "-n",
            "120",
            "--out",
            "cmp",
            "--no-charts",
            "-q",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let dir = t.path().join("cmp");
    let (h, rows) = read_csv(&dir.join("paired_iterations.csv"));
    assert_eq!(
        h,
        [
            "iteration",
            "option",
            "exit_cost_gbp",
            "savings_gbp",
            "recurrent_saving_gbp",
            "npv_gbp",
            "run_rate_at_deadline_gbp",
            "target_met"
        ]
    );
    assert_eq!(rows.len(), 240, "one row per iteration × option");
    assert_eq!(
        (rows[0][1].as_str(), rows[1][1].as_str()),
        ("low-uptake", "high-uptake")
    );

    // The per-iteration values are each option's own results for its total.
    for slug in ["low-uptake", "high-uptake"] {
        let (ih, irows) = read_csv(&dir.join(slug).join("iterations.csv"));
        let col = ih.iter().position(|c| c == "exit_cost_gbp").unwrap();
        let own: Vec<&str> = irows
            .iter()
            .filter(|r| r[1] == "total")
            .map(|r| r[col].as_str())
            .collect();
        let here: Vec<&str> = rows
            .iter()
            .filter(|r| r[1] == slug)
            .map(|r| r[2].as_str())
            .collect();
        assert_eq!(
            own, here,
            "{slug}: paired_iterations.csv = its iterations.csv"
        );
    }

    let lo = per_iteration(&dir, "low-uptake", "exit_cost_gbp");
    let hi = per_iteration(&dir, "high-uptake", "exit_cost_gbp");
    let n = lo.len() as f64;
    let high_cheaper = lo.iter().zip(&hi).filter(|(l, h)| h < l).count() as f64;
    let low_cheaper = lo.iter().zip(&hi).filter(|(l, h)| l < h).count() as f64;
    let ties = n - high_cheaper - low_cheaper;
    let p = paired(&dir);
    let key = |m: &str, st: &str| {
        (
            "low-uptake".to_string(),
            "high-uptake".to_string(),
            m.to_string(),
            st.to_string(),
        )
    };
    // Option A is low uptake, B high: P(B lower) is P(higher uptake is cheaper).
    let six = |x: f64| (x * 1e6).round() / 1e6;
    assert_eq!(p[&key("exit_cost_gbp", "p_b_lower")], six(high_cheaper / n));
    assert_eq!(p[&key("exit_cost_gbp", "p_a_lower")], six(low_cheaper / n));
    assert_eq!(p[&key("exit_cost_gbp", "p_equal")], six(ties / n));
    eprintln!("P(higher uptake cheaper) = {}", high_cheaper / n);

    // The difference's mean and median, recomputed from the per-iteration values (written to
    // the penny, so within a penny).
    let mut d: Vec<f64> = lo.iter().zip(&hi).map(|(l, h)| l - h).collect();
    let mean = d.iter().sum::<f64>() / n;
    assert!((p[&key("exit_cost_gbp", "mean")] - mean).abs() < 0.01);
    d.sort_by(f64::total_cmp);
    assert!((p[&key("exit_cost_gbp", "p50")] - type7(&d, 0.5)).abs() < 0.01);
    assert!((p[&key("exit_cost_gbp", "p5")] - type7(&d, 0.05)).abs() < 0.01);

    // The target's joint outcomes, counted from the same rows.
    let ml = per_iteration(&dir, "low-uptake", "target_met");
    let mh = per_iteration(&dir, "high-uptake", "target_met");
    let share = |f: &dyn Fn(f64, f64) -> bool| {
        six(ml.iter().zip(&mh).filter(|(a, b)| f(**a, **b)).count() as f64 / n)
    };
    assert_eq!(
        p[&key("target_met", "p_a_meets_b_misses")],
        share(&|a, b| a == 1.0 && b == 0.0)
    );
    assert_eq!(
        p[&key("target_met", "p_b_meets_a_misses")],
        share(&|a, b| a == 0.0 && b == 1.0)
    );
    assert_eq!(
        p[&key("target_met", "p_both_meet")],
        share(&|a, b| a == 1.0 && b == 1.0)
    );
}

#[test]
fn identical_options_differ_by_exactly_zero_in_every_iteration() {
    let t = tmp();
    let f = s(&fixture("stochastic.toml"));
    let o = icbsim(t.path(), ["compare", &f, &f, "-n", "60", "--no-charts"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let dir = t.path().join("output/compare");
    assert!(dir.join("stochastic-mix/summary.csv").is_file());
    assert!(dir.join("stochastic-mix-2/summary.csv").is_file());
    let a = per_iteration(&dir, "stochastic-mix", "exit_cost_gbp");
    let b = per_iteration(&dir, "stochastic-mix-2", "exit_cost_gbp");
    assert_eq!(a.len(), 60);
    assert_eq!(a, b, "the same future in every iteration");
    let (_, rows) = read_csv(&dir.join("paired.csv"));
    for r in &rows {
        let expected = match r[4].as_str() {
            "n" => "60",
            "p_equal" | "p_both_meet" | "p_neither_meets" if r[2] != "target_met" => "1",
            "p_both_meet" | "p_neither_meets" => continue,
            _ => "0",
        };
        assert_eq!(r[5], expected, "{r:?}");
    }
    let p = paired(&dir);
    let k = |st: &str| {
        p[&(
            "stochastic-mix".to_string(),
            "stochastic-mix-2".to_string(),
            "target_met".to_string(),
            st.to_string(),
        )]
    };
    assert_eq!(k("p_both_meet") + k("p_neither_meets"), 1.0);
    assert!(o
        .stdout
        .contains("Options A and B have the same exit cost in every future"));
    assert!(o.stdout.contains("a tie counts as neither"), "{}", o.stdout);
}

#[test]
fn outputs_are_byte_identical_at_one_and_two_threads() {
    let t = tmp();
    let low = option_file(t.path(), "low", "Low uptake", 0.15);
    let high = option_file(t.path(), "high", "High uptake", 0.45);
    for j in ["1", "2"] {
        let out = format!("j{j}");
        let o = icbsim(
            t.path(),
            [
                "compare", &low, &high, "-n", "40", "-j", j, "--out", &out, "-q",
            ],
        );
        assert_eq!(o.code, Some(0), "{}", o.stderr);
    }
    let (a, b) = (t.path().join("j1"), t.path().join("j2"));
    let files = rel_files(&a);
    assert_eq!(files, rel_files(&b));
    for f in [
        "paired.csv",
        "paired_iterations.csv",
        "compare.json",
        "paired_a_b.png",
        "paired_a_b.svg",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} is written");
    }
    let compared: Vec<&String> = files
        .iter()
        .filter(|f| !f.ends_with("manifest.json"))
        .collect();
    common::assert_same_files(&a, &b, &compared);
    let json: serde_json::Value = serde_json::from_str(&read(&a.join("compare.json"))).unwrap();
    assert_eq!(json["iterations"], 40);
    assert_eq!(json["options"][1]["slug"], "high-uptake");
    let finding = json["pairs"][0]["finding"].as_str().unwrap();
    assert!(finding.contains("of futures"), "{finding}");
}

#[test]
fn a_bad_option_is_bad_input_and_nothing_is_written() {
    let t = tmp();
    let good = s(&fixture("stochastic.toml"));
    let bad = s(&fixture("bad/negative_rate.toml"));
    let o = icbsim(
        t.path(),
        ["compare", &good, &bad, "-n", "10", "--out", "cmp"],
    );
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("negative_rate.toml:"), "{}", o.stderr);
    assert!(o.stderr.contains("nothing was written"), "{}", o.stderr);
    assert!(!t.path().join("cmp").exists());
    assert!(
        common::entries(t.path()).is_empty(),
        "no lock or staging left"
    );
    let one = icbsim(t.path(), ["compare", &good]);
    assert_eq!(one.code, Some(2), "one option is a usage error");
}
