//! Reliability of what icbsim writes (issue 11): run directories are put in place whole or not
//! at all, a re-used `--out` keeps nothing of the previous run, two runs on one `--out` cannot
//! interleave, every path problem is found before simulating, iteration bounds are checked on
//! the command line, and shards carry checksums and their run's identity so that `merge` refuses
//! damaged or mismatched ones and says why.

mod common;

// `icbsim` leaves `CI` as inherited (unlike tests/analyst.rs, which removes it).
use common::{assert_same_files, entries, fixture, icbsim, manifest, rel_files, s, tmp, Out};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs the minimal fixture into `out` with extra arguments.
fn run_minimal(cwd: &Path, out: &Path, extra: &[&str]) -> Out {
    let mut args = vec![
        "run".to_string(),
        s(&fixture("minimal.toml")),
        "-q".into(),
        "--out".into(),
        s(out),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    icbsim(cwd, args)
}

// ---------------------------------------------------------------------------------------------
// Atomic run directories
// ---------------------------------------------------------------------------------------------

#[test]
fn a_reused_out_keeps_nothing_of_the_previous_run() {
    let t = tmp();
    let out = t.path().join("out");
    assert_eq!(run_minimal(t.path(), &out, &[]).code, Some(0));
    assert!(out.join("charts").is_dir());
    fs::write(out.join("stale.txt"), "old").unwrap();
    let o = run_minimal(t.path(), &out, &["--no-charts", "--seed", "9"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(!out.join("stale.txt").exists());
    assert!(
        !out.join("charts").exists(),
        "the previous run's charts stay"
    );
    assert_eq!(manifest(&out)["seed"], 9);
    assert_eq!(
        entries(t.path()),
        vec!["out"],
        "leftovers beside the output"
    );
}

#[test]
fn a_run_held_by_another_process_is_refused_naming_the_lock() {
    let t = tmp();
    let out = t.path().join("out");
    // This test process is alive, so its lock is not stale.
    fs::write(
        t.path().join("out.lock"),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    let o = run_minimal(t.path(), &out, &[]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("out.lock"), "{}", o.stderr);
    assert!(o.stderr.contains("another icbsim run"), "{}", o.stderr);
    assert!(o.stderr.contains("delete"), "{}", o.stderr);
    assert!(!out.exists());
}

#[test]
fn a_stale_lock_of_a_killed_run_is_taken_over() {
    let t = tmp();
    let out = t.path().join("out");
    // No process id is above the kernel's maximum (2^22).
    fs::write(t.path().join("out.lock"), "99999999\n").unwrap();
    fs::create_dir(t.path().join(".out.tmp-99999999-0")).unwrap();
    let o = run_minimal(t.path(), &out, &["--no-charts"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(entries(t.path()), vec!["out"]);
}

#[test]
fn a_killed_run_leaves_the_old_or_the_new_complete_run() {
    let t = tmp();
    let out = t.path().join("out");
    let n = "300";
    let args = |seed: &str, dir: &Path| {
        vec![
            "run".to_string(),
            "-q".into(),
            "-n".into(),
            n.into(),
            "--seed".into(),
            seed.into(),
            "--out".into(),
            s(dir),
        ]
    };
    // The previous complete run, and a complete new one elsewhere to compare with (and time).
    assert_eq!(icbsim(t.path(), args("1", &out)).code, Some(0));
    let old_files = rel_files(&out);
    let old_manifest = manifest(&out);
    let reference = t.path().join("reference");
    let started = Instant::now();
    assert_eq!(icbsim(t.path(), args("2", &reference)).code, Some(0));
    let full = started.elapsed();
    let new_files = rel_files(&reference);
    assert_eq!(old_files, new_files);
    let bin = assert_cmd::cargo::cargo_bin("icbsim");
    for share in [0.05, 0.3, 0.6, 0.85, 0.95, 0.99, 1.02] {
        let mut child = std::process::Command::new(&bin)
            .current_dir(t.path())
            .args(args("2", &out))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(share));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_eq!(rel_files(&out), old_files, "killed at {share}: files");
        let m = manifest(&out);
        let same_as_old = m == old_manifest;
        let new = m["seed"] == 2 && m["run_id"] == manifest(&reference)["run_id"];
        assert!(
            same_as_old || new,
            "killed at {share}: a mixed manifest {m}"
        );
        if new {
            for f in ["summary.csv", "iterations.csv"] {
                let now = fs::read(out.join(f)).unwrap();
                assert_eq!(
                    now,
                    fs::read(reference.join(f)).unwrap(),
                    "killed at {share}: {f}"
                );
            }
        }
    }
    // A run after the kills finishes and clears their leftovers.
    assert_eq!(icbsim(t.path(), args("2", &out)).code, Some(0));
    assert_eq!(entries(t.path()), vec!["out", "reference"]);
    assert_eq!(
        fs::read(out.join("iterations.csv")).unwrap(),
        fs::read(reference.join("iterations.csv")).unwrap()
    );
}

#[test]
fn chart_replaces_the_charts_whole() {
    let t = tmp();
    let out = t.path().join("out");
    assert_eq!(run_minimal(t.path(), &out, &[]).code, Some(0));
    let before = rel_files(&out);
    fs::write(out.join("charts").join("stale.svg"), "<svg/>").unwrap();
    let o = icbsim(t.path(), ["chart", &s(&out)]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(rel_files(&out), before, "a stale chart stays");
    assert!(o.stdout.contains(&s(&out.join("charts"))), "{}", o.stdout);
    assert_eq!(entries(t.path()), vec!["out"]);
}

#[test]
fn batch_and_sweep_outputs_are_replaced_whole() {
    let t = tmp();
    let out = t.path().join("b");
    let batch = |out: &Path| {
        icbsim(
            t.path(),
            [
                "batch",
                &s(&fixture("minimal.toml")),
                "-q",
                "--no-charts",
                "--out",
                &s(out),
            ],
        )
    };
    assert_eq!(batch(&out).code, Some(0));
    fs::write(out.join("stale.csv"), "x").unwrap();
    fs::write(out.join("minimal").join("stale.csv"), "x").unwrap();
    assert_eq!(batch(&out).code, Some(0));
    assert!(!out.join("stale.csv").exists() && !out.join("minimal/stale.csv").exists());
    assert!(out.join("comparison.csv").is_file());
    let sweep_out = t.path().join("s");
    let sweep = || {
        icbsim(
            t.path(),
            [
                "sweep",
                &s(&fixture("minimal.toml")),
                "--vary",
                "vr.uptake=0.2,0.4",
                "-q",
                "--no-charts",
                "--out",
                &s(&sweep_out),
            ],
        )
    };
    assert_eq!(sweep().code, Some(0));
    fs::write(sweep_out.join("stale.csv"), "x").unwrap();
    assert_eq!(sweep().code, Some(0));
    assert!(!sweep_out.join("stale.csv").exists());
    assert!(sweep_out.join("sweep.csv").is_file());
    assert_eq!(entries(t.path()), vec!["b", "s"]);
}

#[test]
fn the_manifest_records_the_run_identity_and_each_staff_files_hash() {
    let t = tmp();
    let out = t.path().join("out");
    let o = icbsim(
        t.path(),
        [
            "run",
            &s(&fixture("small-stochastic.toml")),
            "-q",
            "--no-charts",
            "--out",
            &s(&out),
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let m = manifest(&out);
    assert_eq!(m["run_id"].as_str().unwrap().len(), 64);
    let staff = &m["staff_files"][0];
    assert!(staff["path"].as_str().unwrap().ends_with("staff.csv"));
    let bytes = fs::read(fixture("data/staff.csv")).unwrap();
    let want: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(staff["sha256"], want.as_str());
}

// ---------------------------------------------------------------------------------------------
// Path problems before simulating, and bounds
// ---------------------------------------------------------------------------------------------

/// Runs the national default with as many iterations as allowed into `out`: a path problem
/// found after simulating would take minutes and allocate gigabytes, so a quick exit 2 shows it
/// was found first.
fn big_run(cwd: &Path, out: &str) -> Out {
    icbsim(cwd, ["run", "-q", "-n", "10000000", "--out", out])
}

#[test]
fn path_problems_are_bad_input_found_before_simulating() {
    let t = tmp();
    let file = t.path().join("file");
    fs::write(&file, "keep").unwrap();
    let long = "x".repeat(300);
    let cases = [
        (s(&file), "a file is in the place"),
        (s(&file.join("sub")), "cannot create"),
        (s(&t.path().join(&long)), "too long"),
        ("/proc/icbsim-cannot-write-here".to_string(), "cannot"),
        (".".to_string(), "give a directory name"),
    ];
    for (out, says) in cases {
        let started = Instant::now();
        let o = big_run(t.path(), &out);
        assert_eq!(o.code, Some(2), "{out}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{out}: {}", o.stderr);
        assert!(o.stderr.contains("nothing was written"), "{}", o.stderr);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{out}: simulated first"
        );
    }
    assert_eq!(entries(t.path()), vec!["file"]);
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn iteration_thread_and_block_bounds_are_checked_before_anything_runs() {
    let t = tmp();
    let out = t.path().join("out");
    let cases: [&[&str]; 7] = [
        &["-n", "18446744073709551615"],
        &["-n", "10000000000"],
        &["-n", "10000001"],
        &["-n", "0"],
        &["--threads", "0"],
        &["--threads", "100000"],
        &["--precision", "0.01", "--block", "1"],
    ];
    for extra in cases {
        let o = run_minimal(t.path(), &out, extra);
        assert_eq!(o.code, Some(2), "{extra:?}: {}", o.stderr);
        assert!(o.stderr.contains("nothing was written"), "{}", o.stderr);
        assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
    }
    let o = run_minimal(t.path(), &out, &["-n", "18446744073709551615"]);
    assert!(o.stderr.contains("1 to 10000000"), "{}", o.stderr);
    assert!(!out.exists());
    for cmd in ["batch", "sweep"] {
        let mut args = vec![cmd.to_string(), s(&fixture("minimal.toml"))];
        if cmd == "sweep" {
            args.extend(["--vary".into(), "vr.uptake=0.2,0.4".into()]);
        }
        args.extend(["-n", "10000000000", "--out", &s(&out)].map(String::from));
        let o = icbsim(t.path(), args);
        assert_eq!(o.code, Some(2), "{cmd}: {}", o.stderr);
        assert!(!out.exists());
    }
}

#[test]
fn names_without_letters_get_distinct_default_folders() {
    let t = tmp();
    let text = fs::read_to_string(fixture("minimal.toml")).unwrap();
    for (file, name) in [("a.toml", ".."), ("b.toml", "."), ("c.toml", "£££")] {
        let path = t.path().join(file);
        fs::write(
            &path,
            text.replace("name = \"Minimal\"", &format!("name = \"{name}\"")),
        )
        .unwrap();
        let o = icbsim(t.path(), ["run", file, "-q", "--no-charts"]);
        assert_eq!(o.code, Some(0), "{name}: {}", o.stderr);
    }
    let made = entries(&t.path().join("output"));
    assert_eq!(made.len(), 3, "{made:?}");
    assert!(made[0].starts_with("a-") && made[1].starts_with("b-") && made[2].starts_with("c-"));
}

// ---------------------------------------------------------------------------------------------
// Shards
// ---------------------------------------------------------------------------------------------

/// Runs shard `k/n` of `scenario` into `dir` with extra arguments.
fn shard(cwd: &Path, scenario: &Path, k: u64, n: u64, dir: &Path, extra: &[&str]) {
    let mut args = vec![
        "run".to_string(),
        s(scenario),
        "-q".into(),
        "--shard".into(),
        format!("{k}/{n}"),
        "--out".into(),
        s(dir),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    let o = icbsim(cwd, args);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
}

fn merge(cwd: &Path, dirs: &[PathBuf], out: &Path) -> Out {
    let mut args = vec!["merge".to_string()];
    args.extend(dirs.iter().map(|d| s(d)));
    args.extend(["-q", "--no-charts", "--out", &s(out)].map(String::from));
    icbsim(cwd, args)
}

/// Shards `0..n` of `scenario` in `t`, under `tag`.
fn shards(t: &Path, scenario: &Path, n: u64, tag: &str, extra: &[&str]) -> Vec<PathBuf> {
    (0..n)
        .map(|k| {
            let d = t.join(format!("{tag}-{k}"));
            shard(t, scenario, k, n, &d, extra);
            d
        })
        .collect()
}

/// Asserts that every CSV file of run directory `a` has the same bytes in `b`.
fn assert_same_csvs(a: &Path, b: &Path) {
    let csvs: Vec<String> = rel_files(a)
        .into_iter()
        .filter(|f| f.ends_with(".csv"))
        .collect();
    assert_same_files(a, b, &csvs);
}

#[test]
fn a_flipped_bit_in_a_shard_is_refused() {
    let t = tmp();
    let dirs = shards(t.path(), &fixture("minimal.toml"), 2, "s", &[]);
    let bin = dirs[1].join("shard.bin");
    let mut bytes = fs::read(&bin).unwrap();
    bytes[100] ^= 0x04;
    fs::write(&bin, bytes).unwrap();
    let out = t.path().join("m");
    let o = merge(t.path(), &dirs, &out);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("SHA-256"), "{}", o.stderr);
    assert!(o.stderr.contains("shard 1"), "{}", o.stderr);
    assert!(o.stderr.contains("shard.bin"), "{}", o.stderr);
    assert!(!out.exists());
}

#[test]
fn an_infinite_value_in_a_shard_is_refused_naming_the_iteration() {
    let t = tmp();
    let dirs = shards(t.path(), &fixture("minimal.toml"), 2, "s", &[]);
    let bin = dirs[0].join("shard.bin");
    let mut bytes = fs::read(&bin).unwrap();
    let rec = bytes.len() / 25; // minimal: 50 iterations, 25 in shard 0
    bytes[rec * 3 + 8..rec * 3 + 16].copy_from_slice(&f64::INFINITY.to_le_bytes());
    fs::write(&bin, &bytes).unwrap();
    // Re-stamp the checksum, as a buggy writer would have.
    let sha: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let json = dirs[0].join("shard.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    m["data_sha256"] = sha.into();
    fs::write(&json, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let o = merge(t.path(), &dirs, &t.path().join("m"));
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("shard 0"), "{}", o.stderr);
    assert!(o.stderr.contains("iteration 3"), "{}", o.stderr);
    assert!(o.stderr.contains("inf"), "{}", o.stderr);
}

#[test]
fn shards_with_different_seeds_are_refused_naming_the_seed() {
    let t = tmp();
    let sc = fixture("minimal.toml");
    let a = t.path().join("a");
    let b = t.path().join("b");
    let c = t.path().join("c");
    shard(t.path(), &sc, 0, 3, &a, &["--seed", "7"]);
    shard(t.path(), &sc, 1, 3, &b, &["--seed", "7"]);
    shard(t.path(), &sc, 2, 3, &c, &["--seed", "8"]);
    let o = merge(t.path(), &[a, b, c], &t.path().join("m"));
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("was run with seed 8, the others with seed 7"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("shard 2"), "{}", o.stderr);
}

#[test]
fn shards_from_different_staff_files_are_refused() {
    let t = tmp();
    // A copy of the staff-file fixture whose staff file is edited between the shards.
    let dir = t.path().join("sc");
    fs::create_dir_all(dir.join("data")).unwrap();
    fs::copy(fixture("small-stochastic.toml"), dir.join("s.toml")).unwrap();
    let staff = fs::read_to_string(fixture("data/staff.csv")).unwrap();
    fs::write(dir.join("data/staff.csv"), &staff).unwrap();
    let a = t.path().join("a");
    let b = t.path().join("b");
    shard(t.path(), &dir.join("s.toml"), 0, 2, &a, &[]);
    // One person's salary changed.
    let edited = staff.replacen("s1,corporate,5,1.0,31000,", "s1,corporate,5,1.0,31500,", 1);
    assert_ne!(edited, staff);
    fs::write(dir.join("data/staff.csv"), edited).unwrap();
    shard(t.path(), &dir.join("s.toml"), 1, 2, &b, &[]);
    let o = merge(t.path(), &[a, b], &t.path().join("m"));
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("staff records"), "{}", o.stderr);
    assert!(o.stderr.contains("shard 1"), "{}", o.stderr);
}

#[test]
fn more_shards_than_iterations_merge_into_the_unsharded_run() {
    let t = tmp();
    let sc = fixture("minimal.toml");
    let dirs = shards(t.path(), &sc, 5, "s", &["-n", "3"]);
    let merged = t.path().join("m");
    let o = merge(t.path(), &dirs, &merged);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let whole = t.path().join("whole");
    assert_eq!(
        run_minimal(t.path(), &whole, &["-n", "3", "--no-charts"]).code,
        Some(0)
    );
    assert_same_csvs(&whole, &merged);
    assert_eq!(manifest(&whole)["run_id"], manifest(&merged)["run_id"]);
}

#[test]
fn latin_hypercube_shards_merge_into_the_unsharded_run() {
    let t = tmp();
    let sc = fixture("small-stochastic.toml");
    let dirs = shards(t.path(), &sc, 3, "s", &["--sampling", "lhs", "-n", "40"]);
    let merged = t.path().join("m");
    let o = merge(t.path(), &dirs, &merged);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let whole = t.path().join("whole");
    let o = icbsim(
        t.path(),
        [
            "run",
            &s(&sc),
            "-q",
            "--no-charts",
            "--sampling",
            "lhs",
            "-n",
            "40",
            "--out",
            &s(&whole),
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_same_csvs(&whole, &merged);
    assert_eq!(manifest(&merged)["sampling"], "lhs");
}
