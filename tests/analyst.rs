//! Integration tests of the analyst workflow: `--fail-if` guards, `batch`, `sweep`, and
//! `run --shard` with `merge`.
//!
//! Every test runs the real binary in a fresh temporary directory with `RUST_BACKTRACE=0` and
//! small iteration counts. Expected values are not pinned numbers but identities that must hold
//! exactly: a guard reports the value `summary.csv` holds, a batch or sweep row equals the
//! corresponding cells of a plain run's `summary.csv`, merged shards equal the unsharded run
//! byte for byte.

mod common;

// These runs remove `CI` from the environment, so progress output is the same on a CI runner.
use common::icbsim_without_ci as icbsim;
use common::{assert_same_files, files_under, fixture, manifest_dir, read, read_csv, s, tmp};
use std::fs;
use std::path::{Path, PathBuf};

/// The stochastic fixture's path, as an argument.
fn stochastic() -> String {
    s(&fixture("stochastic.toml"))
}

/// The cell of `summary.csv` in `dir` for (org, metric, column).
fn summary_cell(dir: &Path, org: &str, metric: &str, column: &str) -> String {
    let (h, rows) = read_csv(&dir.join("summary.csv"));
    let c = h.iter().position(|x| x == column).expect("column");
    rows.iter()
        .find(|r| r[0] == org && r[1] == metric)
        .map(|r| r[c].clone())
        .unwrap_or_else(|| panic!("no row {org},{metric}"))
}

/// The statistics columns of comparison.csv / sweep.csv and where each comes from in
/// summary.csv (metric, column) for org `total`.
const STATS: [(&str, &str, &str); 11] = [
    ("exit_cost_p10_gbp", "exit_cost_gbp", "p10"),
    ("exit_cost_p50_gbp", "exit_cost_gbp", "p50"),
    ("exit_cost_p90_gbp", "exit_cost_gbp", "p90"),
    ("p_target_met", "target_met", "mean"),
    ("p_target_met_se", "target_met", "se_mean"),
    (
        "run_rate_at_deadline_p50_gbp",
        "run_rate_at_deadline_gbp",
        "p50",
    ),
    ("npv_p50_gbp", "npv_gbp", "p50"),
    ("funding_gap_p50_gbp", "funding_gap_gbp", "p50"),
    ("funding_gap_p90_gbp", "funding_gap_gbp", "p90"),
    ("p_target_met_pooled", "target_met_pooled", "mean"),
    ("p_funding_gap", "funding_gap_any", "mean"),
];

/// Asserts that a comparison/sweep row's statistics equal the run's summary.csv cells.
fn assert_row_matches_summary(header: &[String], row: &[String], run_dir: &Path) {
    for (col, metric, stat) in STATS {
        let i = header.iter().position(|h| h == col).expect(col);
        assert_eq!(
            row[i],
            summary_cell(run_dir, "total", metric, stat),
            "{col} of {}",
            run_dir.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Guards
// ---------------------------------------------------------------------------------------------

#[test]
fn breached_guard_writes_results_reports_the_value_and_exits_3() {
    let t = tmp();
    let sc = stochastic();
    let o = icbsim(
        t.path(),
        [
            "run",
            &sc,
            "-n",
            "20",
            "--no-charts",
            "-q",
            "--out",
            "r",
            "--fail-if",
            "p(target_met) <= 1",
            "--fail-if",
            "p90(exit_cost_gbp) > 1e12",
            "--fail-if",
            "mean(exits_vr@alpha-icb) >= 0",
        ],
    );
    assert_eq!(o.code, Some(3), "{}", o.stderr);
    let dir = t.path().join("r");
    assert!(dir.join("summary.csv").is_file());
    // The two conditions that hold are reported with the values summary.csv holds.
    let p: f64 = summary_cell(&dir, "total", "target_met", "mean")
        .parse()
        .unwrap();
    let vr: f64 = summary_cell(&dir, "Alpha ICB", "exits_vr", "mean")
        .parse()
        .unwrap();
    let lines: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", o.stderr);
    let actual = |l: &str| -> f64 {
        l.rsplit_once("(actual ")
            .and_then(|(_, v)| v.strip_suffix(')'))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no value in {l}"))
    };
    assert!(lines[0].starts_with("guard breached: p(target_met) <= 1 (actual "));
    assert!((actual(lines[0]) - p).abs() < 1e-6);
    assert!(lines[1].starts_with("guard breached: mean(exits_vr@alpha-icb) >= 0 (actual "));
    assert!((actual(lines[1]) - vr).abs() < 1e-6);
}

#[test]
fn guards_that_hold_exit_0() {
    let t = tmp();
    let o = icbsim(
        t.path(),
        [
            "run",
            &stochastic(),
            "-n",
            "20",
            "--no-charts",
            "-q",
            "--out",
            "r",
            "--fail-if",
            "p(target_met) > 1",
            "--fail-if",
            "min(exit_cost_gbp) < -1e-3",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(o.stderr, "");
}

#[test]
fn malformed_guard_is_bad_input_and_writes_nothing() {
    let t = tmp();
    for (expr, why) in [
        ("p90(exit_cost) > 1e9", "unknown metric 'exit_cost'"),
        (
            "p90(exit_cost_gbp) >> 1e9",
            "'> 1e9' is not a finite number",
        ),
        ("median(npv_gbp) > 0", "unknown function 'median'"),
        ("p50(npv_gbp@atlantis) > 0", "no organisation 'atlantis'"),
    ] {
        let o = icbsim(
            t.path(),
            ["run", &stochastic(), "-n", "5", "--fail-if", expr],
        );
        assert_eq!(o.code, Some(2), "{expr}: {}", o.stderr);
        assert!(
            o.stderr.contains(expr) && o.stderr.contains(why),
            "{}",
            o.stderr
        );
        assert!(o.stderr.contains("nothing was written"));
        assert!(!t.path().join("output").exists(), "{expr} wrote output");
    }
}

// ---------------------------------------------------------------------------------------------
// Batch
// ---------------------------------------------------------------------------------------------

#[test]
fn batch_runs_every_good_scenario_past_a_broken_one() {
    let t = tmp();
    let dir = t.path().join("scenarios");
    fs::create_dir_all(dir.join("data")).unwrap();
    let src = manifest_dir().join("scenarios");
    for f in [
        "england-icbs-2025.toml",
        "example-icb.toml",
        "template.toml",
    ] {
        fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    fs::copy(
        src.join("data/example-icb-staff.csv"),
        dir.join("data/example-icb-staff.csv"),
    )
    .unwrap();
    fs::copy(fixture("analyst/broken.toml"), dir.join("a-broken.toml")).unwrap();
    let o = icbsim(t.path(), ["batch", "scenarios", "-n", "20", "--out", "b"]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("a-broken.toml: not run (bad input)"));
    assert!(o.stderr.contains("scenario.start: expected a month"));
    assert!(o.stdout.contains("3 scenarios compared"));
    let out = t.path().join("b");
    let (header, rows) = read_csv(&out.join("comparison.csv"));
    assert_eq!(
        header.join(","),
        "scenario,slug,iterations,seed,exit_cost_p10_gbp,exit_cost_p50_gbp,exit_cost_p90_gbp,\
         p_target_met,p_target_met_se,run_rate_at_deadline_p50_gbp,npv_p50_gbp,\
         funding_gap_p50_gbp,funding_gap_p90_gbp,p_target_met_pooled,p_funding_gap"
    );
    // Sorted by file name; the broken file (first by name) is absent.
    let slugs: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(slugs, ["england-icbs-2025", "example-icb", "my-icb"]);
    let seeds: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(seeds, ["20250401", "42", "1"]);
    for r in &rows {
        assert_eq!(r[2], "20");
        let run = out.join(&r[1]);
        assert!(run.join("charts/running_cost_fan.png").is_file());
        assert_row_matches_summary(&header, r, &run);
    }
    assert!(out.join("comparison.png").is_file() && out.join("comparison.svg").is_file());
    assert!(!out.join("broken").exists());
}

#[test]
fn batch_of_listed_files_with_seed_and_override_exits_0() {
    let t = tmp();
    let sc = stochastic();
    let o = icbsim(
        t.path(),
        [
            "batch",
            &sc,
            &sc,
            "-n",
            "10",
            "--seed",
            "5",
            "--set",
            "vr.uptake=0.2",
            "--no-charts",
            "-q",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let out = t.path().join("output/batch");
    let (_, rows) = read_csv(&out.join("comparison.csv"));
    // The same scenario twice: numbered folders, identical statistics.
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0][1].as_str(), rows[1][1].as_str()),
        ("stochastic-mix", "stochastic-mix-2")
    );
    assert_eq!(rows[0][3], "5");
    assert_eq!(rows[0][2..], rows[1][2..]);
    assert!(!out.join("comparison.png").exists());
}

// ---------------------------------------------------------------------------------------------
// Sweep
// ---------------------------------------------------------------------------------------------

#[test]
fn sweep_of_vr_uptake_is_monotone_and_each_point_equals_a_plain_run() {
    let t = tmp();
    let sc = stochastic();
    let o = icbsim(
        t.path(),
        [
            "sweep",
            &sc,
            "--vary",
            "vr.uptake=0.1,0.3,0.5,0.7,0.9",
            "-n",
            "20",
            "--out",
            "s",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let out = t.path().join("s");
    assert!(out.join("sweep.png").is_file() && out.join("sweep.svg").is_file());

    // Mean VR exits of the total are non-decreasing in uptake (common random numbers), and
    // uptake matters at all.
    let (h, rows) = read_csv(&out.join("sweep_summary.csv"));
    assert_eq!(h[0], "vr.uptake");
    let mean = h.iter().position(|c| c == "mean").unwrap();
    let vr: Vec<(String, f64)> = rows
        .iter()
        .filter(|r| r[1] == "total" && r[2] == "exits_vr")
        .map(|r| (r[0].clone(), r[mean].parse().unwrap()))
        .collect();
    let points: Vec<&str> = vr.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(points, ["0.1", "0.3", "0.5", "0.7", "0.9"]);
    for w in vr.windows(2) {
        assert!(w[1].1 >= w[0].1, "{vr:?}");
    }
    assert!(vr[4].1 > vr[0].1, "{vr:?}");

    // The 0.5 point equals `run --set vr.uptake=0.5` with the same seed, byte for byte.
    let r = icbsim(
        t.path(),
        [
            "run",
            &sc,
            "-n",
            "20",
            "--set",
            "vr.uptake=0.5",
            "--no-charts",
            "-q",
            "--out",
            "p",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let plain = t.path().join("p");
    let summary = read(&plain.join("summary.csv"));
    let from_sweep: Vec<String> = read(&out.join("sweep_summary.csv"))
        .lines()
        .filter_map(|l| l.strip_prefix("0.5,").map(str::to_string))
        .collect();
    let from_run: Vec<String> = summary.lines().skip(1).map(str::to_string).collect();
    assert_eq!(from_sweep, from_run);
    let (sh, srows) = read_csv(&out.join("sweep.csv"));
    let row = srows.iter().find(|r| r[0] == "0.5").expect("the 0.5 row");
    assert_row_matches_summary(&sh, row, &plain);
}

#[test]
fn two_way_sweep_writes_one_row_per_grid_point() {
    let t = tmp();
    let o = icbsim(
        t.path(),
        [
            "sweep",
            &stochastic(),
            "--vary",
            "vr.uptake=0.2,0.6",
            "--vary",
            "vr.window=2025-10,2026-01,2026-02",
            "-n",
            "8",
            "-q",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let (h, rows) = read_csv(&t.path().join("output/stochastic-mix-sweep/sweep.csv"));
    assert_eq!(h[..3], ["vr.uptake", "vr.window", "exit_cost_p10_gbp"]);
    let grid: Vec<String> = rows.iter().map(|r| format!("{} {}", r[0], r[1])).collect();
    assert_eq!(
        grid,
        [
            "0.2 2025-10",
            "0.2 2026-01",
            "0.2 2026-02",
            "0.6 2025-10",
            "0.6 2026-01",
            "0.6 2026-02"
        ]
    );
}

#[test]
fn sweep_with_an_invalid_value_is_bad_input_and_writes_nothing() {
    let t = tmp();
    let o = icbsim(
        t.path(),
        [
            "sweep",
            &stochastic(),
            "--vary",
            "vr.uptake=0.1,1.5",
            "-n",
            "5",
        ],
    );
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("--set vr.uptake=1.5"), "{}", o.stderr);
    assert!(!t.path().join("output").exists());
    let o = icbsim(t.path(), ["sweep", &stochastic(), "--vary", "vr.uptake"]);
    assert_eq!(o.code, Some(2));
    assert!(o.stderr.contains("expected PATH=V1,V2"));
}

// ---------------------------------------------------------------------------------------------
// Shards
// ---------------------------------------------------------------------------------------------

#[test]
fn four_shards_merged_equal_the_unsharded_run_byte_for_byte() {
    let t = tmp();
    let sc = stochastic();
    let common = ["-n", "37", "--set", "vr.uptake=0.4", "-q"];
    let o = icbsim(
        t.path(),
        [&["run", sc.as_str(), "--out", "full"][..], &common[..]].concat(),
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    for k in 0..4 {
        let shard = format!("{k}/4");
        let out = format!("shards/{k}");
        let o = icbsim(
            t.path(),
            [
                &["run", sc.as_str(), "--shard", &shard, "--out", &out][..],
                &common[..],
            ]
            .concat(),
        );
        assert_eq!(o.code, Some(0), "{}", o.stderr);
        assert!(t.path().join(&out).join("shard.json").is_file());
    }
    // Given in a shuffled order.
    let o = icbsim(
        t.path(),
        [
            "merge", "shards/2", "shards/0", "shards/3", "shards/1", "--out", "merged", "-q",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let full = t.path().join("full");
    let merged = t.path().join("merged");
    let files: Vec<PathBuf> = files_under(&full)
        .into_iter()
        .filter(|p| !p.ends_with("manifest.json"))
        .collect();
    assert!(
        files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .count()
            >= 7
    );
    assert!(files
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "png")));
    let rel: Vec<&Path> = files
        .iter()
        .map(|f| f.strip_prefix(&full).unwrap())
        .collect();
    assert_same_files(&full, &merged, &rel);
}

#[test]
fn merge_refuses_gaps_overlaps_and_mixed_runs() {
    let t = tmp();
    let sc = stochastic();
    for (k, seed) in [(0, "1"), (1, "1"), (2, "1"), (1, "2")] {
        let out = format!("s{k}-{seed}");
        let shard = format!("{k}/3");
        let o = icbsim(
            t.path(),
            [
                "run", &sc, "-n", "9", "--seed", seed, "--shard", &shard, "--out", &out, "-q",
            ],
        );
        assert_eq!(o.code, Some(0), "{}", o.stderr);
    }
    for (dirs, why) in [
        (
            vec!["s0-1", "s2-1"],
            "iterations 3..6 are in no shard given",
        ),
        (
            vec!["s0-1", "s1-1"],
            "iterations 6..9 are in no shard given",
        ),
        (vec!["s0-1", "s1-1", "s1-1", "s2-1"], "covered twice"),
        (vec!["s0-1", "s1-2", "s2-1"], "shards of different runs"),
        (vec!["s0-1", "nowhere"], "shard.json: cannot read"),
    ] {
        let mut args = vec!["merge"];
        args.extend(&dirs);
        args.extend(["--out", "m"]);
        let o = icbsim(t.path(), &args);
        assert_eq!(o.code, Some(2), "{dirs:?}: {}", o.stderr);
        assert!(o.stderr.contains(why), "{dirs:?}: {}", o.stderr);
        assert!(!t.path().join("m").exists());
    }
    let o = icbsim(t.path(), ["run", &sc, "--shard", "4/4"]);
    assert_eq!(o.code, Some(2));
    assert!(o.stderr.contains("--shard '4/4'"));
}
