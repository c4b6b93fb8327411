//! Bounded memory (issue 13): values spilled to disk come back bit for bit, sketched monthly
//! series stay within their stated error of the exact ones, and a run streamed through the sink
//! writes the same bytes at any thread count and shard split.

mod common;

use common::*;
use icbsim::engine::{IterationOutput, RunConfig};
use icbsim::output::{self, Sink};
use icbsim::scenario::{load, LoadOptions, Scenario};
use icbsim::stats::RELATIVE_WIDTH;
use icbsim::workflow;
use std::path::Path;
use std::time::Instant;

const CSVS: [&str; 6] = [
    "summary.csv",
    "iterations.csv",
    "timeseries.csv",
    "by_year.csv",
    "sensitivity.csv",
    "inputs.csv",
];

fn scenario(file: &str) -> Scenario {
    let path = manifest_dir().join("scenarios").join(file);
    load(&path, &LoadOptions::default()).unwrap_or_else(|p| panic!("{p}"))
}

/// Writes the results through a sink that keeps series exactly up to `exact_up_to` iterations,
/// then the tables and manifest as a run does.
fn write_through(dir: &Path, sc: &Scenario, results: &[IterationOutput], exact_up_to: u64) {
    let mut sink = Sink::with_exact_limit(dir, sc, results.len() as u64, exact_up_to).unwrap();
    for block in results.chunks(100) {
        sink.push(block).unwrap();
    }
    let kept = sink.finish().unwrap();
    let cfg = RunConfig {
        iterations: results.len() as u64,
        seed: sc.seed,
        threads: 2,
        range: None,
    };
    let meta = workflow::run_meta(sc, &cfg, &[], Instant::now());
    workflow::write_collected(dir, sc, &cfg, &kept, &meta).unwrap();
}

/// Runs `icbsim run` on `tests/fixtures/small-stochastic.toml` in `dir` with `n` iterations,
/// seed 3, no charts or report, and `extra`; fails the test unless it exits 0.
fn run_small(dir: &Path, n: u64, extra: &[&str]) {
    let sc = s(&fixture("small-stochastic.toml"));
    let n = n.to_string();
    let mut a = vec!["run", sc.as_str(), "-n", n.as_str()];
    a.extend(["--seed", "3", "--no-charts", "--no-report", "-q"]);
    a.extend(extra);
    let o = icbsim(dir, &a);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
}

/// Every CSV of a run with every chunk spilled to disk (`ICBSIM_SPILL_MB=0`) has the bytes of the
/// same run held in memory, on a scenario with mergers (55 organisation columns).
#[test]
fn spilling_to_disk_changes_no_byte() {
    let t = tmp();
    let sc = manifest_dir().join("scenarios/cluster-merger.toml");
    let run = |out: &str, spill: &str| {
        let mut cmd = assert_cmd::Command::cargo_bin("icbsim").unwrap();
        cmd.env("ICBSIM_SPILL_MB", spill).current_dir(t.path());
        let a = [
            "run",
            &s(&sc),
            "-n",
            "700",
            "--seed",
            "5",
            "--no-charts",
            "--no-report",
            "-q",
            "--out",
            out,
        ];
        let o = cmd.args(a).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run("memory", "100000");
    run("disk", "0");
    assert_same_files(&t.path().join("memory"), &t.path().join("disk"), &CSVS);
    // Nothing but the results is left in the folder: the spill file was unlinked.
    assert_eq!(
        rel_files(&t.path().join("disk")).len(),
        rel_files(&t.path().join("memory")).len()
    );
}

/// The header and rows of a CSV (quoted names with commas read whole).
fn table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Sketched series against exact ones on the same iterations: the same rows and labels; each
/// percentile within the bin width (0.78%) of the exact type-7 value (plus 1e-6 for rounding
/// near zero); each mean within 1e-9 of it relatively; every other file byte for byte the same.
#[test]
fn sketched_series_are_within_the_stated_error_of_exact() {
    let sc = scenario("cluster-merger.toml");
    let results = run_engine(&sc, 1500, 2);
    let t = tmp();
    let (exact, sketched) = (t.path().join("exact"), t.path().join("sketched"));
    write_through(&exact, &sc, &results, u64::MAX);
    write_through(&sketched, &sc, &results, 0);
    assert_same_files(
        &exact,
        &sketched,
        &[
            "summary.csv",
            "iterations.csv",
            "sensitivity.csv",
            "inputs.csv",
        ],
    );
    let mut checked = 0;
    let mut exact_cells = 0;
    for file in ["timeseries.csv", "by_year.csv"] {
        let (header, e_rows) = table(&exact.join(file));
        let (_, s_rows) = table(&sketched.join(file));
        assert_eq!(e_rows.len(), s_rows.len(), "{file}");
        let mean_col = header.iter().position(|h| h == "mean").unwrap();
        for (e, s) in e_rows.iter().zip(&s_rows) {
            assert_eq!(e[..mean_col], s[..mean_col], "{file}: row labels");
            for (k, (a, b)) in e[mean_col..].iter().zip(&s[mean_col..]).enumerate() {
                // An empty cell (no value in any iteration) must be empty in both.
                if a.is_empty() || b.is_empty() {
                    assert_eq!(a, b, "{file} {e:?}: column {k}");
                    continue;
                }
                let num = |x: &String| -> f64 {
                    x.parse()
                        .unwrap_or_else(|_| panic!("{file}: {x:?} in {e:?}"))
                };
                let (a, b) = (num(a), num(b));
                let tol = if k == 0 {
                    1e-9 * a.abs() + 1e-6
                } else {
                    RELATIVE_WIDTH * a.abs() + 1e-6
                };
                assert!(
                    (a - b).abs() <= tol,
                    "{file} {e:?}: column {k}: exact {a}, sketch {b}"
                );
                checked += 1;
                exact_cells += usize::from(a == b);
            }
        }
    }
    assert!(checked > 10_000, "{checked} cells compared");
    // Most cells are exact: a bin holding one distinct value (a 0, a fixed target) gives it back.
    assert!(
        exact_cells * 2 > checked,
        "{exact_cells} of {checked} exact"
    );
}

/// With series sketched (a run above 20,000 iterations), the files are the same at one and two
/// threads and when the run is split into shards and merged.
#[test]
fn sketched_runs_do_not_depend_on_threads_or_shards() {
    let t = tmp();
    let run = |extra: &[&str]| run_small(t.path(), output::SERIES_EXACT_UP_TO + 7, extra);
    run(&["--threads", "1", "--out", "one"]);
    run(&["--threads", "2", "--out", "two"]);
    run(&["--shard", "0/2", "--out", "s0"]);
    run(&["--shard", "1/2", "--out", "s1"]);
    let o = icbsim(
        t.path(),
        [
            "merge",
            "s0",
            "s1",
            "--no-charts",
            "--no-report",
            "-q",
            "--out",
            "merged",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let p = t.path();
    assert_same_files(&p.join("one"), &p.join("two"), &CSVS);
    assert_same_files(&p.join("one"), &p.join("merged"), &CSVS);
}

/// A sketched shard whose `series.bin` has changed since it was written is refused at merge
/// (exit 2, naming the file and its SHA-256), and nothing is written.
#[test]
fn a_damaged_sketch_file_is_refused_at_merge() {
    let t = tmp();
    for k in ["0/2", "1/2"] {
        let out = format!("s{}", &k[..1]);
        run_small(
            t.path(),
            output::SERIES_EXACT_UP_TO + 1,
            &["--shard", k, "--out", &out],
        );
    }
    let series = t.path().join("s1").join("series.bin");
    let mut bytes = std::fs::read(&series).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&series, bytes).unwrap();
    let o = icbsim(t.path(), ["merge", "s0", "s1", "-q", "--out", "merged"]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(
        o.stderr.contains("series.bin") && o.stderr.contains("SHA-256"),
        "{}",
        o.stderr
    );
    assert!(!t.path().join("merged").exists());
}

/// A `--precision` run does not know its count in advance: it keeps series exactly and sketches
/// them once it passes 20,000 iterations. Stopped at its ceiling of 20,500 (a precision it cannot
/// reach), its files are those of a plain run of 20,500, sketched from the first iteration.
#[test]
fn a_precision_run_past_the_exact_count_matches_a_plain_run() {
    let t = tmp();
    let run = |extra: &[&str]| run_small(t.path(), output::SERIES_EXACT_UP_TO + 500, extra);
    run(&["--out", "plain"]);
    run(&[
        "--precision",
        "0.000001",
        "--block",
        "10000",
        "--out",
        "precise",
    ]);
    let p = t.path();
    assert_same_files(&p.join("plain"), &p.join("precise"), &CSVS);
}

/// A run larger than the free space of its results' file system stops after its first block
/// with exit code 2, says what it would write and what is free, and leaves nothing behind; the
/// same run with room enough goes ahead.
#[test]
fn a_run_too_large_for_the_disk_stops_at_once_and_leaves_nothing() {
    let t = tmp();
    let sc = s(&fixture("small-stochastic.toml"));
    let run = |free_mb: &str, out: &str| {
        let mut cmd = assert_cmd::Command::cargo_bin("icbsim").unwrap();
        cmd.env("ICBSIM_DISK_FREE_MB", free_mb)
            .current_dir(t.path());
        let a = ["run", &sc, "-n", "3000", "--no-charts", "--no-report", "-q"];
        cmd.args(a).args(["--out", out]).output().unwrap()
    };
    let o = run("0", "tight");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    for part in [
        "not enough disk space for 3,000 iterations in ",
        "iterations.csv about ",
        "and 0 KB is free",
        "nothing was written.",
    ] {
        assert!(stderr.contains(part), "{part}: {stderr}");
    }
    assert!(
        std::fs::read_dir(t.path()).unwrap().next().is_none(),
        "the folder is empty"
    );
    // 100 MiB is room enough for 3,000 iterations of this two-organisation scenario.
    let o = run("100", "roomy");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(t.path().join("roomy").join("summary.csv").exists());
    // A `--precision` run does not know its count, so it is not checked.
    let mut cmd = assert_cmd::Command::cargo_bin("icbsim").unwrap();
    cmd.env("ICBSIM_DISK_FREE_MB", "0").current_dir(t.path());
    let a = [
        "run",
        &sc,
        "-n",
        "200",
        "--precision",
        "0.5",
        "--no-charts",
        "--no-report",
    ];
    let o = cmd
        .args(a)
        .args(["-q", "--out", "precise"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
