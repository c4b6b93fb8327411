//! Integration tests of the `icbsim` command line.
//!
//! Every test runs the real binary in a fresh temporary directory (as the current directory, so a
//! stray `output/` folder would be noticed) with `RUST_BACKTRACE=0`. Scenario fixtures live in
//! `tests/fixtures/`: `minimal.toml` and `small-stochastic.toml` are valid; each file in
//! `tests/fixtures/bad/` breaks one thing (said in its first line) except `many_problems.toml`.
//!
//! The expected `LINE:COLUMN` of every problem was worked out by hand from the fixture text
//! (1-based; the column is where the offending key or value starts).

mod common;

// `icbsim` leaves `CI` as inherited (unlike tests/analyst.rs, which removes it).
use common::{entries, fixture, icbsim, manifest, manifest_dir, read, read_csv, s, tmp, Out};
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn bad(name: &str) -> PathBuf {
    fixture(&format!("bad/{name}"))
}

/// The lines of stderr that are located problems of `file` (`FILE:LINE:COLUMN: ...`).
fn problem_lines<'a>(stderr: &'a str, file: &str) -> Vec<&'a str> {
    stderr
        .lines()
        .filter(|l| {
            l.strip_prefix(file)
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|rest| {
                    let mut parts = rest.splitn(3, ':');
                    let line = parts.next().unwrap_or("");
                    let col = parts.next().unwrap_or("");
                    !line.is_empty()
                        && !col.is_empty()
                        && line.bytes().all(|b| b.is_ascii_digit())
                        && col.bytes().all(|b| b.is_ascii_digit())
                })
        })
        .collect()
}

fn summary_line(n: usize) -> String {
    format!(
        "{n} problem{} found; nothing was written.",
        if n == 1 { "" } else { "s" }
    )
}

/// Checks that `fixture` (in `tests/fixtures/bad/`) is rejected by `validate` and by `run`, with
/// exactly `count` problems, one line per problem, including every `expected` prefix, and that
/// `run` writes nothing.
///
/// An expected entry `"LINE:COL: path: "` is prefixed with the fixture's own path; an entry
/// starting `data/` names a staff CSV next to the fixture and is prefixed with the fixture's
/// directory.
fn assert_rejected(name: &str, count: usize, expected: &[&str]) {
    let path = bad(name);
    assert!(path.is_file(), "missing fixture {}", path.display());
    let file = s(&path);
    let dir = s(path.parent().unwrap());
    let want: Vec<String> = expected
        .iter()
        .map(|e| {
            if e.starts_with("data/") {
                format!("{dir}/{e}")
            } else {
                format!("{file}:{e}")
            }
        })
        .collect();

    // validate
    let t = tmp();
    let v = icbsim(t.path(), ["validate", file.as_str()]);
    assert_eq!(
        v.code,
        Some(2),
        "{name}: validate should exit 2\nstderr:\n{}",
        v.stderr
    );
    for w in &want {
        assert!(
            v.stderr.lines().any(|l| l.starts_with(w.as_str())),
            "{name}: expected a problem line starting\n  {w}\nstderr was:\n{}",
            v.stderr
        );
    }
    // One line per problem, then the count.
    let lines: Vec<&str> = v.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        count + 1,
        "{name}: expected {count} problem lines and the count\nstderr:\n{}",
        v.stderr
    );
    assert_eq!(
        v.stderr.lines().last(),
        Some(summary_line(count).as_str()),
        "{name}: stderr should end with the problem count\nstderr:\n{}",
        v.stderr
    );
    assert!(
        !v.stdout.contains(": ok ("),
        "{name}: validate printed ok:\n{}",
        v.stdout
    );

    // run: same problems, exit 2, nothing written (not the --out folder, nor output/ in the cwd)
    let t = tmp();
    let out_dir = t.path().join("x");
    let r = icbsim(
        t.path(),
        [
            "run",
            file.as_str(),
            "--out",
            &s(&out_dir),
            "-n",
            "5",
            "--no-charts",
        ],
    );
    assert_eq!(
        r.code,
        Some(2),
        "{name}: run should exit 2\nstderr:\n{}",
        r.stderr
    );
    for w in &want {
        assert!(
            r.stderr.lines().any(|l| l.starts_with(w.as_str())),
            "{name}: run: expected a problem line starting\n  {w}\nstderr was:\n{}",
            r.stderr
        );
    }
    assert!(
        !out_dir.exists(),
        "{name}: run created {}",
        out_dir.display()
    );
    let left: Vec<_> = fs::read_dir(t.path()).unwrap().collect();
    assert!(
        left.is_empty(),
        "{name}: run wrote into the current directory: {left:?}"
    );
    assert!(
        r.stdout.is_empty(),
        "{name}: run printed a summary:\n{}",
        r.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Malformed scenarios: table-driven
// ---------------------------------------------------------------------------------------------

/// (fixture, number of problems, expected "LINE:COL: dotted.path: " prefixes).
const BAD: &[(&str, usize, &[&str])] = &[
    // `colour = "blue"` on line 2: the key starts in column 1.
    (
        "unknown_top_level_key.toml",
        1,
        &["2:1: colour: unknown key 'colour'"],
    ),
    // `uptke = 0.3` on line 14.
    (
        "unknown_section_key.toml",
        1,
        &["14:1: vr.uptke: unknown key 'uptke'"],
    ),
    // `uptake = { dist = "uniform", min = 0.1, max = 0.3, mxa = 0.4 }`:
    // "uptake = " (9) + "{ " (2) + `dist = "uniform", ` (18) + "min = 0.1, " (11) + "max = 0.3, " (11) = 51.
    (
        "unknown_distribution_key.toml",
        1,
        &["14:52: vr.uptake.mxa: unknown key 'mxa'"],
    ),
    // `uptake = "0.3"`: the value starts after "uptake = " (9 characters).
    (
        "wrong_type_string_for_number.toml",
        1,
        &["14:10: vr.uptake: "],
    ),
    // `window = 12`.
    (
        "wrong_type_number_for_month.toml",
        1,
        &["13:10: vr.window: "],
    ),
    // `pilon = "yes"` after "pilon = " (8).
    ("wrong_type_bool_as_string.toml", 1, &["24:9: cr.pilon: "]),
    // `annual_rate = -0.1` after "annual_rate = " (14).
    ("negative_rate.toml", 1, &["24:15: attrition.annual_rate: "]),
    ("share_above_one.toml", 1, &["14:10: vr.uptake: "]),
    // `uptake = { dist = "uniform", min = 0.4, max = 0.2 }`: the max is blamed;
    // 9 + 2 + 18 + "min = 0.4, " (11) + "max = " (6) = 46.
    ("uniform_min_above_max.toml", 1, &["14:47: vr.uptake.max: "]),
    // `uptake = { dist = "triangular", min = 0.1, mode = 0.6, max = 0.4 }`:
    // 9 + 2 + `dist = "triangular", ` (21) + "min = 0.1, " (11) + "mode = " (7) = 50.
    (
        "triangular_mode_outside.toml",
        1,
        &["14:51: vr.uptake.mode: "],
    ),
    // The whole inline table (at column 10) is blamed.
    ("normal_share_unbounded.toml", 1, &["14:10: vr.uptake: "]),
    // `uptake = { dist = "gaussian", ...`: 9 + 2 + "dist = " (7) = 18.
    ("unknown_distribution.toml", 1, &["14:19: vr.uptake.dist: "]),
    ("month_13.toml", 1, &["13:10: vr.window: "]),
    ("unquoted_date.toml", 1, &["13:10: vr.window: "]),
    // `window = 2025-12` is not TOML: the problem has no field path.
    ("unquoted_month.toml", 1, &["13:10: TOML syntax"]),
    // `transfer = "2027-06"` after "transfer = " (11).
    (
        "transfer_outside_horizon.toml",
        1,
        &["19:12: function.digital.transfer: "],
    ),
    // `function_shares = { ... }` after "function_shares = " (18).
    (
        "function_shares_above_one.toml",
        1,
        &["22:19: org.tiny-icb.synthetic.function_shares: "],
    ),
    // `staff_file = "nope.csv"` after "staff_file = " (13).
    (
        "missing_staff_file.toml",
        1,
        &["19:14: org.tiny-icb.staff_file: "],
    ),
    // Row 3 `a2,corporate,11,...`: "a2,corporate," is 13 characters, so band is column 14.
    // Row 4 `a3,corporate,6,1.5,...`: "a3,corporate,6," is 15, so FTE is column 16.
    // Row 5 `a4,corporate,7,1.0,47000,30,20,...`: "a4,corporate,7,1.0,47000,30," is 28, so
    // service_years is column 29 (20 years at age 30 is more than 30 − 16 = 14).
    // Row 6 `a5,corporate,5,1.0` has 4 fields, not 9: the whole row (column 1) is unreadable.
    // Row 7 `"a6",corporate,"8a",1.0,abc,...`: `"a6",corporate,"8a",1.0,` is 24 (quotes
    // count), so the salary is column 25.
    (
        "staff_bad_rows.toml",
        5,
        &[
            "data/bad_rows.csv:3:14: org.tiny-icb.staff_file.band: ",
            "data/bad_rows.csv:4:16: org.tiny-icb.staff_file.fte: ",
            "data/bad_rows.csv:5:29: org.tiny-icb.staff_file.service_years: ",
            "data/bad_rows.csv:6:1: org.tiny-icb.staff_file: unreadable row",
            "data/bad_rows.csv:7:25: org.tiny-icb.staff_file.salary_gbp: 'abc' is not a number",
        ],
    ),
    // Header: "id,function,band,fte,salary_gbp,age,service_years,terms,pension_member," is 71.
    (
        "staff_unknown_column.toml",
        1,
        &["data/unknown_column.csv:1:72: org.tiny-icb.staff_file: unknown column 'grade'"],
    ),
    // Missing fields are reported at the start of their section's header.
    ("missing_scenario_name.toml", 1, &["2:1: scenario.name: "]),
    ("missing_scenario_start.toml", 1, &["2:1: scenario.start: "]),
    ("missing_deadline.toml", 1, &["9:1: target.deadline: "]),
    // `deadline = "2027-06"` after "deadline = " (11); the horizon is 2025-04..2027-03.
    (
        "deadline_outside_horizon.toml",
        1,
        &["10:12: target.deadline: "],
    ),
    // The second [[org]] starts on line 23.
    (
        "duplicate_org_names.toml",
        1,
        &["23:1: org.tiny-icb.name: "],
    ),
    // [org.synthetic] header on line 20.
    (
        "staff_file_and_synthetic.toml",
        1,
        &["20:1: org.tiny-icb.synthetic: "],
    ),
    ("org_named_total.toml", 1, &["16:1: org.total.name: "]),
    (
        "envelope_without_population.toml",
        1,
        &["18:1: org.tiny-icb.population: "],
    ),
    // `uptake = = 0.3`: the second '=' (column 10) is where a value was expected; the parser
    // then also trips over the rest of the line (column 12), a second syntax problem.
    (
        "toml_syntax_error.toml",
        2,
        &["14:10: TOML syntax", "14:12: TOML syntax"],
    ),
    // `approval_lag_months = { dist = "discrete", values = [3, 4, 5], weights = [...] }`:
    // "approval_lag_months = " (22) + "{ " (2) + `dist = "discrete", ` (19)
    // + "values = [3, 4, 5], " (20) + "weights = " (10) = 73.
    (
        "discrete_weights_length.toml",
        1,
        &["15:74: vr.approval_lag_months.weights: "],
    ),
    (
        "discrete_negative_weight.toml",
        1,
        &["15:74: vr.approval_lag_months.weights: "],
    ),
    // `uptake = { dist = "percentiles", p10 = 0.3, p50 = 0.2, p90 = 0.5 }`: p50 is blamed;
    // 9 + 2 + `dist = "percentiles", ` (22) + "p10 = 0.3, " (11) + "p50 = " (6) = 50.
    (
        "percentiles_not_increasing.toml",
        1,
        &["14:51: vr.uptake.p50: "],
    ),
    // `horizon_months = 0` after "horizon_months = " (17).
    (
        "horizon_out_of_range.toml",
        1,
        &["5:18: scenario.horizon_months: "],
    ),
];

#[test]
fn every_bad_fixture_is_rejected_with_its_location_and_nothing_is_written() {
    let mut failures = Vec::new();
    for (name, count, expected) in BAD {
        let r = std::panic::catch_unwind(|| assert_rejected(name, *count, expected));
        if let Err(e) = r {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(msg);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad fixtures failed:\n\n{}",
        failures.len(),
        BAD.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_bad_fixture_is_in_the_table_and_says_what_is_wrong() {
    let dir = fixture("bad");
    let on_disk: Vec<String> = entries(&dir)
        .into_iter()
        .filter(|n| n.ends_with(".toml"))
        .collect();
    assert!(on_disk.len() >= 24, "only {} bad fixtures", on_disk.len());
    for n in &on_disk {
        let text = read(&dir.join(n));
        assert!(
            text.starts_with("# BAD: "),
            "{n} should start with a `# BAD: ` comment"
        );
        // Covered by their own tests below.
        if n != "many_problems.toml" && n != "staff_nan_fte.toml" {
            assert!(
                BAD.iter().any(|(f, _, _)| f == n),
                "{n} is not in the BAD table"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Malformed scenarios: specific messages
// ---------------------------------------------------------------------------------------------

fn validate_stderr(name: &str) -> String {
    let t = tmp();
    let v = icbsim(t.path(), ["validate", &s(&bad(name))]);
    assert_eq!(v.code, Some(2), "{name}\n{}", v.stderr);
    v.stderr
}

#[test]
fn a_typo_suggests_the_right_key() {
    let e = validate_stderr("unknown_section_key.toml");
    assert!(e.contains("did you mean 'uptake'?"), "{e}");
}

#[test]
fn an_unquoted_toml_date_is_explained_as_needing_a_quoted_month() {
    let e = validate_stderr("unquoted_date.toml");
    assert!(e.contains("TOML date"), "{e}");
    assert!(e.contains("quoted string \"YYYY-MM\""), "{e}");
}

#[test]
fn messages_say_what_range_was_broken() {
    let e = validate_stderr("share_above_one.toml");
    assert!(
        e.contains("1.5 is not allowed here: it must be a share between 0 and 1"),
        "{e}"
    );
    let e = validate_stderr("negative_rate.toml");
    assert!(e.contains("-0.1 is not allowed here"), "{e}");
    let e = validate_stderr("normal_share_unbounded.toml");
    // Normal(0.3, 0.2): P(x < 0) = Φ(−1.5) = 6.7%, P(x > 1) = Φ(−3.5) ≈ 0.02% → 6.7% outside.
    assert!(
        e.contains("6.7% of this distribution falls outside the allowed range"),
        "{e}"
    );
    let e = validate_stderr("function_shares_above_one.toml");
    assert!(
        e.contains("function shares sum to 1.2000, more than 1"),
        "{e}"
    );
    let e = validate_stderr("transfer_outside_horizon.toml");
    assert!(
        e.contains("fall outside the horizon 2025-04..2027-03"),
        "{e}"
    );
    let e = validate_stderr("unknown_distribution.toml");
    assert!(e.contains("unknown distribution 'gaussian'"), "{e}");
    let e = validate_stderr("discrete_weights_length.toml");
    assert!(e.contains("weights has 2 entries but values has 3"), "{e}");
    let e = validate_stderr("missing_staff_file.toml");
    assert!(e.contains("cannot read staff file"), "{e}");
    assert!(e.contains("nope.csv"), "{e}");
}

#[test]
fn many_problems_are_all_reported_each_on_its_own_line() {
    let path = bad("many_problems.toml");
    let file = s(&path);
    let t = tmp();
    let v = icbsim(t.path(), ["validate", file.as_str()]);
    assert_eq!(v.code, Some(2), "{}", v.stderr);
    // Worked out from the fixture text.
    let expected = [
        "2:1: colour: ",                  // `colour = "blue"`
        "9:17: scenario.discount_rate: ", // "discount_rate = " is 16
        "12:12: target.deadline: ",       // "deadline = " is 11; 2029-03 > 2027-03
        "16:1: vr.uptke: ",               // the key
        "15:10: vr.window: ",             // "2025-13"
        "17:12: vr.age_tilt: ",           // "age_tilt = " is 11
        "20:9: cr.pilon: ",               // "pilon = " is 8
        "21:18: cr.legal_cost_gbp: ",     // "legal_cost_gbp = " is 17
        // `band_mix = { "5" = 1, "7" = 1, "12" = 1 }`: "band_mix = { " (13) + 2 × `"5" = 1, ` (9) = 31.
        "28:32: org.tiny-icb.synthetic.band_mix.12: ",
        "29:19: org.tiny-icb.synthetic.function_shares: ", // "function_shares = " is 18
    ];
    let lines = problem_lines(&v.stderr, &file);
    for e in expected {
        let want = format!("{file}:{e}");
        let hits = lines.iter().filter(|l| l.starts_with(&want)).count();
        assert_eq!(
            hits, 1,
            "expected exactly one line starting\n  {want}\nstderr:\n{}",
            v.stderr
        );
    }
    assert_eq!(lines.len(), expected.len(), "stderr:\n{}", v.stderr);
    assert_eq!(
        v.stderr.lines().count(),
        expected.len() + 1,
        "stderr:\n{}",
        v.stderr
    );
    assert_eq!(
        v.stderr.lines().last(),
        Some(summary_line(expected.len()).as_str())
    );
}

#[test]
fn a_nan_fte_in_a_staff_file_is_one_problem() {
    // Row 2 `n1,corporate,5,NaN,...`: "n1,corporate,5," is 15, so the FTE is column 16.
    assert_rejected(
        "staff_nan_fte.toml",
        1,
        &["data/nan_fte.csv:2:16: org.tiny-icb.staff_file.fte: "],
    );
}

#[test]
fn validate_reports_problems_of_all_files_and_ok_for_good_ones() {
    let t = tmp();
    let good = fixture("minimal.toml");
    let (b1, b2) = (bad("share_above_one.toml"), bad("month_13.toml"));
    let v = icbsim(t.path(), ["validate", &s(&good), &s(&b1), &s(&b2)]);
    assert_eq!(v.code, Some(2), "{}", v.stderr);
    assert!(
        v.stdout.contains(&format!("{}: ok (", s(&good))),
        "{}",
        v.stdout
    );
    assert!(
        v.stderr.contains(&format!("{}:14:10: vr.uptake: ", s(&b1))),
        "{}",
        v.stderr
    );
    assert!(
        v.stderr.contains(&format!("{}:13:10: vr.window: ", s(&b2))),
        "{}",
        v.stderr
    );
    assert_eq!(v.stderr.lines().last(), Some(summary_line(2).as_str()));
}

#[test]
fn a_missing_scenario_file_is_bad_input() {
    let t = tmp();
    let v = icbsim(t.path(), ["validate", "does-not-exist.toml"]);
    assert_eq!(v.code, Some(2), "{}", v.stderr);
    assert!(
        v.stderr
            .starts_with("does-not-exist.toml:1:1: cannot read the scenario file"),
        "{}",
        v.stderr
    );
    let r = icbsim(
        t.path(),
        ["run", "does-not-exist.toml", "-n", "5", "--no-charts"],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(
        fs::read_dir(t.path()).unwrap().count(),
        0,
        "run wrote something"
    );
}

// ---------------------------------------------------------------------------------------------
// Good scenarios
// ---------------------------------------------------------------------------------------------

#[test]
fn shipped_scenarios_validate() {
    let dir = manifest_dir().join("scenarios");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for required in [
        "england-icbs-2025.toml",
        "england-icbs-2026.toml",
        "cluster-merger.toml",
        "template.toml",
    ] {
        assert!(
            files.contains(&dir.join(required)),
            "scenarios/{required} is missing"
        );
    }
    // example-icb.toml is checked here too once it exists (it is picked up by the listing).
    let t = tmp();
    for f in &files {
        let v = icbsim(t.path(), ["validate", &s(f)]);
        assert_eq!(
            v.code,
            Some(0),
            "{} does not validate:\n{}",
            f.display(),
            v.stderr
        );
        assert!(
            v.stdout.starts_with(&format!("{}: ok (", s(f))),
            "{}",
            v.stdout
        );
    }
}

#[test]
fn test_fixtures_that_should_be_good_validate() {
    let t = tmp();
    for f in ["minimal.toml", "small-stochastic.toml"] {
        let p = fixture(f);
        let v = icbsim(t.path(), ["validate", &s(&p)]);
        assert_eq!(v.code, Some(0), "{f}:\n{}", v.stderr);
        assert!(v.stderr.is_empty(), "{f}: {}", v.stderr);
    }
    let v = icbsim(t.path(), ["validate", &s(&fixture("minimal.toml"))]);
    assert!(v.stdout.contains("ok (Minimal, 50 staff, "), "{}", v.stdout);
    // 40 synthetic + 8 from data/staff.csv.
    let v = icbsim(
        t.path(),
        ["validate", &s(&fixture("small-stochastic.toml"))],
    );
    assert!(
        v.stdout.contains("ok (Small stochastic, 48 staff, "),
        "{}",
        v.stdout
    );
}

#[test]
fn the_example_template_validates() {
    let t = tmp();
    let e = icbsim(t.path(), ["example"]);
    assert_eq!(e.code, Some(0), "{}", e.stderr);
    assert!(e.stdout.contains("[scenario]"));
    let p = t.path().join("example.toml");
    fs::write(&p, &e.stdout).unwrap();
    let v = icbsim(t.path(), ["validate", "example.toml"]);
    assert_eq!(v.code, Some(0), "{}", v.stderr);
    assert!(v.stdout.starts_with("example.toml: ok ("), "{}", v.stdout);
}

// ---------------------------------------------------------------------------------------------
// --set overrides
// ---------------------------------------------------------------------------------------------

#[test]
fn set_out_of_range_is_located_in_the_override() {
    let t = tmp();
    let good = s(&fixture("minimal.toml"));
    // "vr.uptake=" is 10 characters, so the value 1.5 starts in column 11.
    let v = icbsim(
        t.path(),
        ["validate", good.as_str(), "--set", "vr.uptake=1.5"],
    );
    assert_eq!(v.code, Some(2), "{}", v.stderr);
    assert!(
        v.stderr
            .lines()
            .any(|l| l.starts_with("--set vr.uptake=1.5:1:11: vr.uptake: ")),
        "{}",
        v.stderr
    );
    let out = t.path().join("x");
    let r = icbsim(
        t.path(),
        [
            "run",
            good.as_str(),
            "--set",
            "vr.uptake=1.5",
            "--out",
            &s(&out),
            "-n",
            "5",
            "--no-charts",
        ],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("--set vr.uptake=1.5:1:11: vr.uptake: "),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

#[test]
fn set_a_distribution_runs() {
    let t = tmp();
    let good = s(&fixture("minimal.toml"));
    let out = t.path().join("x");
    let r = icbsim(
        t.path(),
        [
            "run",
            good.as_str(),
            "--set",
            r#"vr.uptake={dist="uniform",min=0.1,max=0.3}"#,
            "--out",
            &s(&out),
            "-n",
            "10",
            "--no-charts",
            "--quiet",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let (header, rows) = read_csv(&out.join("iterations.csv"));
    let col = header
        .iter()
        .position(|h| h == "vr.uptake")
        .expect("a vr.uptake column");
    let draws: Vec<f64> = rows
        .iter()
        .map(|r| r[col].parse::<f64>().unwrap())
        .collect();
    assert!(draws.iter().all(|x| (0.1..=0.3).contains(x)), "{draws:?}");
    assert!(
        draws.iter().any(|x| (x - draws[0]).abs() > 1e-12),
        "uptake did not vary: {draws:?}"
    );
}

#[test]
fn set_an_unknown_key_is_reported() {
    let t = tmp();
    let good = s(&fixture("minimal.toml"));
    let v = icbsim(
        t.path(),
        ["validate", good.as_str(), "--set", "nosuch.key=1"],
    );
    assert_eq!(v.code, Some(2), "{}", v.stderr);
    assert!(
        v.stderr
            .lines()
            .any(|l| l.starts_with("--set nosuch.key=1:1:1: nosuch: unknown key 'nosuch'")),
        "{}",
        v.stderr
    );
    let v = icbsim(
        t.path(),
        ["validate", good.as_str(), "--set", "vr.uptke=0.2"],
    );
    assert_eq!(v.code, Some(2), "{}", v.stderr);
    assert!(
        v.stderr
            .contains("--set vr.uptke=0.2:1:1: vr.uptke: unknown key 'uptke'"),
        "{}",
        v.stderr
    );
}

#[test]
fn set_takes_a_bare_month() {
    // `--set target.deadline=2026-06` needs no shell quoting: a bare word is a string.
    let v = validate_minimal_with("target.deadline=2026-06");
    assert_eq!(v.code, Some(0), "{}", v.stderr);
    // "target.deadline=" is 16 characters: the value starts in column 17.
    let v = validate_minimal_with("target.deadline=2026-13");
    assert_eq!(v.code, Some(2), "{}", v.stderr);
    assert!(
        v.stderr.starts_with(
            "--set target.deadline=2026-13:1:17: target.deadline: '2026-13' is not a month"
        ),
        "{}",
        v.stderr
    );
}

#[test]
fn set_reaches_into_an_org_by_slug() {
    let t = tmp();
    let good = s(&fixture("minimal.toml"));
    let v = icbsim(
        t.path(),
        [
            "validate",
            good.as_str(),
            "--set",
            "org.tiny-icb.synthetic.headcount=20",
        ],
    );
    assert_eq!(v.code, Some(0), "{}", v.stderr);
    assert!(v.stdout.contains("ok (Minimal, 20 staff, "), "{}", v.stdout);
    let v = icbsim(
        t.path(),
        [
            "validate",
            good.as_str(),
            "--set",
            "org.nowhere.funding_gbp=1",
        ],
    );
    assert_eq!(v.code, Some(2), "{}", v.stderr);
    assert!(
        v.stderr.contains("no element 'nowhere' in org"),
        "{}",
        v.stderr
    );
}

fn validate_minimal_with(set: &str) -> Out {
    let t = tmp();
    icbsim(
        t.path(),
        ["validate", &s(&fixture("minimal.toml")), "--set", set],
    )
}

#[test]
fn month_distributions_inside_the_horizon_validate() {
    for set in [
        r#"nonpay.ramp_start={dist="uniform",min="2025-05",max="2025-06"}"#,
        r#"nonpay.ramp_start={dist="discrete",values=["2025-04","2025-05"]}"#,
        // The last month of the horizon is allowed.
        r#"target.deadline={dist="uniform",min="2026-01",max="2027-03"}"#,
    ] {
        let v = validate_minimal_with(set);
        assert_eq!(v.code, Some(0), "--set {set}\n{}", v.stderr);
    }
    let v =
        validate_minimal_with(r#"target.deadline={dist="uniform",min="2026-01",max="2027-04"}"#);
    assert_eq!(v.code, Some(2), "{}", v.stderr);
    assert!(v.stderr.contains("target.deadline: month"), "{}", v.stderr);
}

#[test]
fn a_month_distribution_may_start_at_the_start_month() {
    // Each whole month from min to max is equally likely, so a uniform from the scenario's first
    // month ("2025-04") lies within the horizon, exactly like the discrete form above.
    let v =
        validate_minimal_with(r#"nonpay.ramp_start={dist="uniform",min="2025-04",max="2025-06"}"#);
    assert_eq!(v.code, Some(0), "{}", v.stderr);
}

#[test]
fn the_percentile_form_is_accepted_for_an_elicited_judgement() {
    // docs/model.md §3: every numeric input accepts the percentile form (P10/P50/P90); the template shows
    // `{ dist = "percentiles", p10 = 0.2, p50 = 0.3, p90 = 0.5 }`.
    let v = validate_minimal_with(
        r#"cr.legal_cost_gbp={dist="percentiles",p10=1500,p50=2000,p90=3000}"#,
    );
    assert_eq!(v.code, Some(0), "{}", v.stderr);
    let v = validate_minimal_with(r#"vr.uptake={dist="percentiles",p10=0.2,p50=0.3,p90=0.45}"#);
    assert_eq!(v.code, Some(0), "{}", v.stderr);
}

#[test]
fn a_normal_by_percentiles_honours_min_and_max() {
    let v = validate_minimal_with(r#"vr.uptake={dist="normal",p10=0.2,p90=0.4,min=0,max=1}"#);
    assert_eq!(v.code, Some(0), "{}", v.stderr);
}

#[test]
fn a_lognormal_is_accepted_for_a_non_negative_input() {
    let v = validate_minimal_with(r#"cr.legal_cost_gbp={dist="lognormal",mean=2000,cv=0.1}"#);
    assert_eq!(v.code, Some(0), "{}", v.stderr);
}

#[test]
fn a_lognormal_is_accepted_for_a_positive_input() {
    let v =
        validate_minimal_with(r#"exit_terms.salary_cap_gbp={dist="lognormal",mean=80000,cv=0.1}"#);
    assert_eq!(v.code, Some(0), "{}", v.stderr);
}

// ---------------------------------------------------------------------------------------------
// exit-cost
// ---------------------------------------------------------------------------------------------

fn exit_cost_json(args: &[&str]) -> serde_json::Value {
    let t = tmp();
    let mut all = vec!["exit-cost", "--json"];
    all.extend_from_slice(args);
    let o = icbsim(t.path(), &all);
    assert_eq!(o.code, Some(0), "exit-cost {args:?}: {}", o.stderr);
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", o.stdout))
}

fn assert_gbp(v: &serde_json::Value, key: &str, want: f64) {
    let got = v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"));
    assert!(
        (got - want).abs() < 0.005,
        "{key}: got {got}, want {want}\n{v}"
    );
}

#[test]
fn exit_cost_vr_55k_20_years() {
    // Month's pay 55,000 / 12 = 4,583.33; × 20 years = 91,666.67.
    // Employer NI 15% × (91,666.67 − 30,000) = 9,250.00. Total 100,916.67.
    let v = exit_cost_json(&["--salary", "55000", "--service", "20", "--age", "50"]);
    assert_eq!(v["route"], "vr");
    assert_eq!(v["reckonable_years"].as_f64(), Some(20.0));
    assert_gbp(&v, "redundancy_pay_gbp", 91_666.67);
    assert_gbp(&v, "employer_ni_gbp", 9_250.0);
    assert_gbp(&v, "pilon_gbp", 0.0);
    assert_gbp(&v, "legal_gbp", 0.0);
    assert_gbp(&v, "paid_to_pension_gbp", 0.0);
    assert_gbp(&v, "total_gbp", 100_916.67);
}

#[test]
fn exit_cost_caps_salary_and_years() {
    // Salary capped at 80,000 → 6,666.67 a month; 30 years capped at 24 → 160,000.00.
    // NI 15% × (160,000 − 30,000) = 19,500.00. Total 179,500.00.
    let v = exit_cost_json(&["--salary", "120000", "--service", "30", "--age", "58"]);
    assert_eq!(v["reckonable_years"].as_f64(), Some(24.0));
    assert_gbp(&v, "redundancy_pay_gbp", 160_000.0);
    assert_gbp(&v, "employer_ni_gbp", 19_500.0);
    assert_gbp(&v, "total_gbp", 179_500.0);
}

#[test]
fn exit_cost_floors_low_salaries() {
    // Salary floored at 23,000 → 1,916.67 a month × 5 years = 9,583.33; below £30k: no NI.
    let v = exit_cost_json(&["--salary", "20000", "--service", "5", "--age", "30"]);
    assert_gbp(&v, "redundancy_pay_gbp", 9_583.33);
    assert_gbp(&v, "employer_ni_gbp", 0.0);
    assert_gbp(&v, "total_gbp", 9_583.33);
}

#[test]
fn exit_cost_part_time_is_pro_rata_after_the_cap() {
    // 90,000 capped at 80,000 → 6,666.67 a month × 0.6 FTE = 4,000 × 15 years = 60,000.00.
    // NI 15% × 30,000 = 4,500.00. Total 64,500.00.
    let v = exit_cost_json(&[
        "--salary",
        "90000",
        "--fte",
        "0.6",
        "--service",
        "15",
        "--age",
        "45",
    ]);
    assert_gbp(&v, "redundancy_pay_gbp", 60_000.0);
    assert_gbp(&v, "employer_ni_gbp", 4_500.0);
    assert_gbp(&v, "total_gbp", 64_500.0);
}

#[test]
fn exit_cost_under_two_years_gets_no_redundancy_pay() {
    // 1.5 years is below the 2 qualifying years: 0 reckonable years, nothing paid.
    let v = exit_cost_json(&["--salary", "40000", "--service", "1.5", "--age", "30"]);
    assert_eq!(v["reckonable_years"].as_f64(), Some(0.0));
    assert_gbp(&v, "redundancy_pay_gbp", 0.0);
    assert_gbp(&v, "employer_ni_gbp", 0.0);
    assert_gbp(&v, "total_gbp", 0.0);
}

#[test]
fn exit_cost_compulsory_with_pilon() {
    // Section 16: 48,000 / 12 × 10 = 40,000; NI 15% × (40,000 − 30,000) = 1,500.
    // Band 7 notice is 3 months: PILON 48,000 / 12 × 3 = 12,000; NI 15% × 12,000 = 1,800.
    // NI 1,500 + 1,800 = 3,300; legal 2,000. Total 40,000 + 12,000 + 3,300 + 2,000 = 57,300.
    let v = exit_cost_json(&[
        "--route",
        "cr",
        "--band",
        "7",
        "--pilon",
        "--salary",
        "48000",
        "--service",
        "10",
        "--age",
        "40",
    ]);
    assert_eq!(v["route"], "cr");
    assert_gbp(&v, "redundancy_pay_gbp", 40_000.0);
    assert_gbp(&v, "pilon_gbp", 12_000.0);
    assert_gbp(&v, "employer_ni_gbp", 3_300.0);
    assert_gbp(&v, "legal_gbp", 2_000.0);
    assert_gbp(&v, "total_gbp", 57_300.0);
}

#[test]
fn exit_cost_mars() {
    // MARS: 0.5 months × 15 years = 7.5 months × 60,000 / 12 = 37,500.00.
    // NI 15% × (37,500 − 30,000) = 1,125.00. Total 38,625.00. No Section 16 pay.
    let v = exit_cost_json(&[
        "--route",
        "mars",
        "--salary",
        "60000",
        "--service",
        "15",
        "--age",
        "45",
    ]);
    assert_eq!(v["route"], "mars");
    assert!(v["reckonable_years"].is_null(), "{v}");
    assert_gbp(&v, "mars_pay_gbp", 37_500.0);
    assert_gbp(&v, "redundancy_pay_gbp", 0.0);
    assert_gbp(&v, "employer_ni_gbp", 1_125.0);
    assert_gbp(&v, "total_gbp", 38_625.0);
}

#[test]
fn exit_cost_early_retirement_on_local_terms_adds_the_strain_excess() {
    // Section 16: salary capped at 80,000, 24 years → 160,000. Strain 1.5 × 150,000 = 225,000
    // exceeds the redundancy pay by 65,000, which the employer pays on top. The whole 160,000
    // goes into the pension scheme to meet the strain: outside the termination-payment charge
    // (ITEPA 2003 s.408, HMRC EIM13735), so no Class 1A NI. Total 160,000 + 65,000 = 225,000.
    let v = exit_cost_json(&[
        "--salary",
        "150000",
        "--service",
        "30",
        "--age",
        "58",
        "--terms",
        "local",
        "--early-retirement",
        "--strain-multiple",
        "1.5",
    ]);
    assert_eq!(v["early_retirement_eligible"], true);
    assert_gbp(&v, "redundancy_pay_gbp", 160_000.0);
    assert_gbp(&v, "pension_strain_gbp", 65_000.0);
    assert_gbp(&v, "paid_to_pension_gbp", 160_000.0);
    assert_gbp(&v, "employer_ni_gbp", 0.0);
    assert_gbp(&v, "total_gbp", 225_000.0);
    // On AfC terms the redundancy pay meets the strain (225,000 ≥ 160,000, all of it paid into
    // the scheme): no extra cost and no Class 1A NI.
    let v = exit_cost_json(&[
        "--salary",
        "150000",
        "--service",
        "30",
        "--age",
        "58",
        "--early-retirement",
    ]);
    assert_gbp(&v, "pension_strain_gbp", 0.0);
    assert_gbp(&v, "employer_ni_gbp", 0.0);
    assert_gbp(&v, "total_gbp", 160_000.0);
    // A smaller strain (0.5 × 150,000 = 75,000) leaves 85,000 paid to the leaver: Class 1A
    // 15% × (85,000 − 30,000) = 8,250. Total 168,250.
    let v = exit_cost_json(&[
        "--salary",
        "150000",
        "--service",
        "30",
        "--age",
        "58",
        "--early-retirement",
        "--strain-multiple",
        "0.5",
    ]);
    assert_gbp(&v, "paid_to_pension_gbp", 75_000.0);
    assert_gbp(&v, "employer_ni_gbp", 8_250.0);
    assert_gbp(&v, "total_gbp", 168_250.0);
}

#[test]
fn exit_cost_table_shows_pounds_with_separators() {
    let t = tmp();
    let o = icbsim(
        t.path(),
        [
            "exit-cost",
            "--salary",
            "55000",
            "--service",
            "20",
            "--age",
            "50",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(o.stdout.contains("£91,666.67"), "{}", o.stdout);
    assert!(o.stdout.contains("£100,916.67"), "{}", o.stdout);
}

#[test]
fn exit_cost_rejects_bad_arguments() {
    let t = tmp();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--salary=-55000", "--service", "20", "--age", "50"],
            "--salary",
        ),
        (
            &[
                "--salary",
                "55000",
                "--service",
                "20",
                "--age",
                "50",
                "--fte",
                "1.5",
            ],
            "--fte",
        ),
        (
            &["--salary", "55000", "--service=-1", "--age", "50"],
            "--service",
        ),
        (
            &["--salary", "55000", "--service", "40", "--age", "50"],
            "--service",
        ),
        (
            &[
                "--salary",
                "55000",
                "--service",
                "20",
                "--age",
                "50",
                "--band",
                "11",
            ],
            "--band",
        ),
        (
            &[
                "--salary",
                "55000",
                "--service",
                "20",
                "--age",
                "50",
                "--pilon",
            ],
            "--pilon",
        ),
    ];
    for (args, flag) in cases {
        let mut all = vec!["exit-cost"];
        all.extend_from_slice(args);
        let o = icbsim(t.path(), &all);
        assert_eq!(o.code, Some(2), "{args:?}: {}", o.stderr);
        assert!(
            o.stderr.contains(flag),
            "{args:?}: stderr should name {flag}:\n{}",
            o.stderr
        );
        assert!(o.stdout.is_empty(), "{args:?}: {}", o.stdout);
    }
}

// ---------------------------------------------------------------------------------------------
// run, reproducibility, chart
// ---------------------------------------------------------------------------------------------

const CSVS: [&str; 7] = [
    "summary.csv",
    "iterations.csv",
    "timeseries.csv",
    "by_year.csv",
    "workforce.csv",
    "sensitivity.csv",
    "inputs.csv",
];

fn run_stochastic(cwd: &Path, out: &Path, extra: &[&str]) {
    let sc = s(&fixture("small-stochastic.toml"));
    let mut args = vec!["run", sc.as_str(), "-n", "50", "--no-charts", "--quiet"];
    let o = s(out);
    args.extend_from_slice(&["--out", o.as_str()]);
    args.extend_from_slice(extra);
    let r = icbsim(cwd, &args);
    assert_eq!(r.code, Some(0), "run {extra:?} failed:\n{}", r.stderr);
}

#[test]
fn run_writes_every_output_file() {
    let t = tmp();
    let out = t.path().join("run");
    run_stochastic(t.path(), &out, &[]);
    for f in CSVS.iter().chain(["manifest.json"].iter()) {
        assert!(out.join(f).is_file(), "{f} was not written");
    }
    let summary = read(&out.join("summary.csv"));
    assert!(
        summary.starts_with(
            "org,metric,unit,mean,sd,se_mean,min,p5,p10,p25,p50,p75,p90,p95,max,n,share_undefined,"
        ),
        "{}",
        summary.lines().next().unwrap_or("")
    );
    for metric in [
        "exit_cost_gbp",
        "target_met",
        "run_rate_at_deadline_gbp",
        "reduction_at_deadline",
        "exits_vr",
        "exits_cr",
        "exits_mars",
        "redeployed",
        "transferred",
        "natural_leavers",
        "npv_gbp",
        "payback_months",
        "funding_gap_gbp",
    ] {
        for org in ["North ICB", "South ICB", "total"] {
            assert!(
                summary
                    .lines()
                    .any(|l| l.starts_with(&format!("{org},{metric},"))),
                "summary.csv has no {org},{metric} row"
            );
        }
    }
    // Two organisations: one row per iteration per org, plus the total: 50 × (2 + 1).
    let it = read(&out.join("iterations.csv"));
    assert_eq!(it.lines().count() - 1, 50 * 3, "iterations.csv data rows");
    // The workforce used: 40 synthetic + 8 read from the CSV.
    let wf = read(&out.join("workforce.csv"));
    assert_eq!(wf.lines().count() - 1, 48, "workforce.csv data rows");
    let ts = read(&out.join("timeseries.csv"));
    assert!(
        ts.starts_with("org,month,fy,metric,unit,mean,p5,p10,p25,p50,p75,p90,p95\n"),
        "{}",
        ts.lines().next().unwrap()
    );
    // The unit beside each series is the one its definition gives.
    for (metric, unit) in [
        ("run_rate_gbp", "gbp_per_year"),
        ("run_rate_own_gbp", "gbp_per_year"),
        ("headcount", "count"),
        ("fte", "fte"),
        ("target_met_by", "probability"),
        ("exit_cost_cash_gbp", "gbp"),
    ] {
        let rows: Vec<&str> = ts
            .lines()
            .filter(|l| l.split(',').nth(3) == Some(metric))
            .collect();
        assert!(!rows.is_empty(), "timeseries.csv has no {metric} rows");
        for l in rows {
            assert_eq!(l.split(',').nth(4), Some(unit), "{l}");
        }
    }
    let inputs = read(&out.join("inputs.csv"));
    assert!(
        inputs.contains("provenance travels"),
        "the note of cr.redeploy_share is missing from inputs.csv"
    );
    let manifest = manifest(&out);
    assert_eq!(manifest["iterations"].as_u64(), Some(50), "{manifest}");
    assert_eq!(manifest["seed"].as_u64(), Some(11), "{manifest}");
    // Nothing outside --out.
    assert_eq!(entries(t.path()), vec!["run"]);
}

#[test]
fn results_do_not_depend_on_threads_and_repeat_exactly() {
    let t = tmp();
    let runs = [
        (t.path().join("t1"), vec!["--threads", "1"]),
        (t.path().join("t4"), vec!["--threads", "4"]),
        (t.path().join("t4-again"), vec!["--threads", "4"]),
        (t.path().join("t1-again"), vec!["-j", "1"]),
    ];
    for (out, extra) in &runs {
        run_stochastic(t.path(), out, extra);
    }
    for f in CSVS {
        let first = fs::read(runs[0].0.join(f)).unwrap();
        assert!(!first.is_empty(), "{f} is empty");
        for (out, extra) in &runs[1..] {
            let other = fs::read(out.join(f)).unwrap();
            assert!(
                first == other,
                "{f} differs between --threads 1 and {extra:?}"
            );
        }
    }
    // A different seed gives different draws (the fixture really is stochastic).
    let other = t.path().join("seed12");
    run_stochastic(t.path(), &other, &["--seed", "12"]);
    assert_ne!(
        fs::read(runs[0].0.join("iterations.csv")).unwrap(),
        fs::read(other.join("iterations.csv")).unwrap(),
        "--seed made no difference"
    );
}

#[test]
fn run_without_out_writes_under_output_slug_in_the_current_directory() {
    let t = tmp();
    let r = icbsim(
        t.path(),
        [
            "run",
            &s(&fixture("minimal.toml")),
            "-n",
            "5",
            "--no-charts",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(t.path().join("output/minimal/summary.csv").is_file());
    // Without --quiet the summary table goes to stdout.
    assert!(!r.stdout.is_empty());
}

#[test]
fn zero_iterations_is_bad_input_and_writes_nothing() {
    let t = tmp();
    let out = t.path().join("x");
    let r = icbsim(
        t.path(),
        [
            "run",
            &s(&fixture("minimal.toml")),
            "-n",
            "0",
            "--no-charts",
            "--out",
            &s(&out),
        ],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("--iterations"), "{}", r.stderr);
    assert!(!out.exists());
    assert_eq!(fs::read_dir(t.path()).unwrap().count(), 0);
}

#[test]
fn chart_needs_a_run_directory() {
    let t = tmp();
    let empty = t.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let o = icbsim(t.path(), ["chart", &s(&empty)]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("no summary.csv"), "{}", o.stderr);
    assert_eq!(
        fs::read_dir(&empty).unwrap().count(),
        0,
        "chart wrote into a non-run directory"
    );
    let o = icbsim(t.path(), ["chart", &s(&t.path().join("missing"))]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
}

/// The cells of a CSV file as text, through a real CSV reader (labels and notes hold commas).
fn csv_cells(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The position of `name` in a header.
fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn inputs_csv_keeps_numbers_and_months_in_separate_columns() {
    let t = tmp();
    let out = t.path().join("run");
    run_stochastic(t.path(), &out, &[]);
    let (h, rows) = csv_cells(&out.join("inputs.csv"));
    assert_eq!(
        h.join(","),
        "path,label,kind,distribution,mean,p10,p50,p90,p10_month,p50_month,p90_month,\
         explicit,source,date,note"
    );
    let number_cols = ["mean", "p10", "p50", "p90"].map(|c| col(&h, c));
    let month_cols = ["p10_month", "p50_month", "p90_month"].map(|c| col(&h, c));
    let kind = col(&h, "kind");
    let is_month = |c: &str| {
        c.len() == 7
            && c.as_bytes()[4] == b'-'
            && c[..4].parse::<u32>().is_ok()
            && c[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
    };
    let (mut numbers, mut months) = (0, 0);
    for r in &rows {
        match r[kind].as_str() {
            "number" => {
                numbers += 1;
                for c in number_cols {
                    assert!(r[c].parse::<f64>().is_ok(), "{} {}: {r:?}", h[c], r[0]);
                }
                for c in month_cols {
                    assert!(r[c].is_empty(), "{r:?}");
                }
            }
            "month" => {
                months += 1;
                for c in number_cols {
                    assert!(r[c].is_empty(), "{r:?}");
                }
                for c in month_cols {
                    assert!(is_month(&r[c]), "{} {}: {r:?}", h[c], r[0]);
                }
            }
            other => panic!("kind {other}"),
        }
    }
    assert!(
        numbers > 10 && months > 3,
        "{numbers} number and {months} month inputs"
    );
    // The fixture's uncertain transfer month, uniform over 2026-04..2026-09, has its median in
    // the middle of the range.
    let digital = rows
        .iter()
        .find(|r| r[0] == "function.digital.transfer")
        .expect("the digital transfer row");
    assert_eq!(digital[kind], "month");
    let p50 = &digital[month_cols[1]];
    assert!(["2026-06", "2026-07"].contains(&p50.as_str()), "{p50}");
}

/// Runs the hand VR fixture (one organisation, every input fixed) with its reduction share drawn
/// from {0, 0.99}: a zero reduction is met from the first month (no pay award, costs only
/// fall), while 99% is never met (the target lies below the non-pay that remains).
/// Returns the terminal summary.
fn run_half_never(cwd: &Path, out: &Path) -> String {
    let sc = s(&fixture("hand/vr.toml"));
    let o = s(out);
    let r = icbsim(
        cwd,
        [
            "run",
            sc.as_str(),
            "-n",
            "40",
            "--no-charts",
            "--set",
            "target.reduction_share={dist=\"discrete\",values=[0.0,0.99],weights=[0.5,0.5]}",
            "--out",
            o.as_str(),
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    r.stdout
}

#[test]
fn summary_reports_the_share_never_met_and_percentiles_over_the_rest() {
    let t = tmp();
    let out = t.path().join("run");
    let terminal = run_half_never(t.path(), &out);
    // The iterations that drew 99% are those without a months_to_target.
    let (ih, irows) = csv_cells(&out.join("iterations.csv"));
    let (share, mtt) = (
        col(&ih, "target.reduction_share"),
        col(&ih, "months_to_target"),
    );
    let never = irows.iter().filter(|r| r[share] == "0.99").count();
    assert!(never > 0 && never < 40, "{never} of 40 drew 0.99");
    for r in &irows {
        assert_eq!(r[mtt].is_empty(), r[share] == "0.99", "{r:?}");
    }
    let (h, rows) = csv_cells(&out.join("summary.csv"));
    assert_eq!(h[col(&h, "n") + 1], "share_undefined");
    let row = |metric: &str| {
        rows.iter()
            .find(|r| r[0] == "total" && r[1] == metric)
            .unwrap_or_else(|| panic!("no total {metric} row"))
            .clone()
    };
    let m = row("months_to_target");
    let expected = never as f64 / 40.0;
    let got: f64 = m[col(&h, "share_undefined")].parse().unwrap();
    assert!((got - expected).abs() < 1e-9, "{got} vs {expected}");
    assert_eq!(m[col(&h, "n")], (40 - never).to_string());
    // Over the defined iterations the target is met from the first month: every percentile 0.
    for c in ["min", "p10", "p50", "p90", "max", "mean"] {
        assert_eq!(m[col(&h, c)], "0", "{c}");
    }
    // An always-defined result has share 0 over all 40.
    let e = row("exit_cost_gbp");
    assert_eq!(
        (
            e[col(&h, "n")].as_str(),
            e[col(&h, "share_undefined")].as_str()
        ),
        ("40", "0")
    );
    // target_met is the share of iterations meeting it: 1 − never / 40.
    let met: f64 = row("target_met")[col(&h, "mean")].parse().unwrap();
    assert!((met - (1.0 - expected)).abs() < 1e-9, "{met}");
    // The terminal says the same: percentiles over the defined iterations, "never" beside them,
    // and the probability of meeting the target recurrently (one organisation, deadline Dec 2025).
    let line = terminal
        .lines()
        .find(|l| l.starts_with("Months to target (when met)"))
        .unwrap_or_else(|| panic!("{terminal}"));
    assert!(
        line.ends_with(&format!("never in {:.1}%", expected * 100.0)),
        "{line}"
    );
    assert!(
        terminal.contains(&format!(
            "P(target met by Dec 2025 and held 12 months): {:.1}% ",
            (1.0 - expected) * 100.0
        )),
        "{terminal}"
    );
}

#[test]
fn a_one_organisation_run_writes_only_total_rows() {
    let t = tmp();
    let out = t.path().join("run");
    run_half_never(t.path(), &out);
    for (file, org_col) in [
        ("summary.csv", "org"),
        ("iterations.csv", "org"),
        ("timeseries.csv", "org"),
        ("by_year.csv", "org"),
        ("sensitivity.csv", "org"),
    ] {
        let (h, rows) = csv_cells(&out.join(file));
        assert!(!rows.is_empty(), "{file} is empty");
        let c = col(&h, org_col);
        assert!(
            rows.iter().all(|r| r[c] == "total"),
            "{file} has rows for an organisation beside total"
        );
    }
    // One row per iteration, and one summary row per metric.
    let (_, it) = csv_cells(&out.join("iterations.csv"));
    assert_eq!(it.len(), 40);
    let (sh, summary) = csv_cells(&out.join("summary.csv"));
    let metrics: std::collections::HashSet<&str> = summary
        .iter()
        .map(|r| r[col(&sh, "metric")].as_str())
        .collect();
    assert_eq!(metrics.len(), summary.len(), "a metric appears twice");
}

// Goal seek on a fixed scenario whose answer is known analytically: the hand VR fixture's exit
// cost is £184,500 in every iteration (tests/model.rs), so the funding gap is
// max(0, 184,500 − funding) and a mean gap of £20,000 needs funding of exactly £164,500.
#[test]
fn solve_recovers_a_planted_funding_level() {
    let t = tempfile::tempdir().unwrap();
    let o = icbsim(
        t.path(),
        [
            "solve",
            &s(&fixture("hand/vr.toml")),
            "--vary",
            "org.hand-icb.funding_gbp",
            "--lo",
            "0",
            "--hi",
            "300000",
            "--target",
            "mean(funding_gap_gbp)=20000",
            "-n",
            "5",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let first = o.stdout.lines().next().unwrap_or("");
    let value: f64 = first
        .split('=')
        .nth(1)
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{first}"));
    assert!((value - 164_500.0).abs() < 1.0, "{first}");
    // A goal outside the range reachable between the bounds is bad input.
    let o = icbsim(
        t.path(),
        [
            "solve",
            &s(&fixture("hand/vr.toml")),
            "--vary",
            "org.hand-icb.funding_gbp",
            "--lo",
            "0",
            "--hi",
            "300000",
            "--target",
            "mean(funding_gap_gbp)=500000",
            "-n",
            "5",
        ],
    );
    assert_eq!(o.code, Some(2));
    assert!(
        o.stderr.contains("is not between the values at the bounds"),
        "{}",
        o.stderr
    );
}

/// `p(target_met)` of the total in a run of the stochastic fixture with the deadline at `month`.
fn p_met_with_deadline(cwd: &Path, month: &str, n: &str) -> f64 {
    let out = cwd.join(format!("deadline-{month}"));
    let r = icbsim(
        cwd,
        [
            "run",
            &s(&fixture("stochastic.toml")),
            "-n",
            n,
            "--no-charts",
            "--quiet",
            "--set",
            &format!("target.deadline=\"{month}\""),
            "--out",
            &s(&out),
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let (h, rows) = csv_cells(&out.join("summary.csv"));
    rows.iter()
        .find(|r| r[0] == "total" && r[1] == "target_met")
        .map(|r| r[col(&h, "mean")].parse().unwrap())
        .unwrap()
}

// Goal seek over a month: the answer is a month whose plain run meets the goal while the month
// before does not (each checked by its own `icbsim run` with the same seed and iterations).
#[test]
fn solve_over_a_month_gives_a_month_meeting_the_goal_whose_neighbour_does_not() {
    let t = tmp();
    let o = icbsim(
        t.path(),
        [
            "solve",
            &s(&fixture("stochastic.toml")),
            "--vary",
            "target.deadline",
            "--lo",
            "2025-10",
            "--hi",
            "2026-09",
            "--target",
            "p(target_met)=0.8",
            "-n",
            "100",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let first = o.stdout.lines().next().unwrap_or("");
    assert!(
        first.starts_with("target.deadline = ")
            && first.contains(": the earliest month with p(target_met) at or above the goal 0.8"),
        "{}",
        o.stdout
    );
    let month = &first["target.deadline = ".len()..][..7];
    let before = o
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("the month before, "))
        .unwrap_or_else(|| panic!("no neighbour line:\n{}", o.stdout));
    let before = &before[..7];
    let p = p_met_with_deadline(t.path(), month, "100");
    let p_before = p_met_with_deadline(t.path(), before, "100");
    assert!(
        p >= 0.8 && p_before < 0.8,
        "{month}: {p}, {before}: {p_before}"
    );
    // Months print as months everywhere, the trace included.
    assert!(o.stdout.contains(&format!("{month:>16}  ")), "{}", o.stdout);
    // A goal no month reaches is bad input, said plainly.
    let o = icbsim(
        t.path(),
        [
            "solve",
            &s(&fixture("stochastic.toml")),
            "--vary",
            "target.deadline",
            "--lo",
            "2025-06",
            "--hi",
            "2025-08",
            "--target",
            "p(target_met)=0.8",
            "-n",
            "20",
        ],
    );
    assert_eq!(o.code, Some(2), "{}", o.stdout);
    assert!(
        o.stderr.contains(
            "no month reaches the goal 0.8 at either end of the range: p(target_met) is 0 at \
             --lo 2025-06 and 0 at --hi 2025-08"
        ),
        "{}",
        o.stderr
    );
}

#[test]
fn precision_flag_stops_when_converged_and_records_why() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("p");
    let o = icbsim(
        t.path(),
        [
            "run",
            &s(&fixture("stochastic.toml")),
            "--precision",
            "0.05",
            "--block",
            "40",
            "-n",
            "2000",
            "--no-charts",
            "--quiet",
            "--out",
            &s(&out),
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let manifest = read(&out.join("manifest.json"));
    assert!(
        manifest.contains("\"stop_reason\": \"converged after"),
        "{manifest}"
    );
    let bad = icbsim(
        t.path(),
        [
            "run",
            &s(&fixture("small-stochastic.toml")),
            "--precision",
            "2",
        ],
    );
    assert_eq!(bad.code, Some(2));
}

#[test]
fn chart_on_a_broken_run_directory_is_bad_input() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("run");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("summary.csv"), "org,metric\nx,y\n").unwrap();
    let o = icbsim(t.path(), ["chart", &s(&dir)]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("manifest.json"), "{}", o.stderr);
    assert!(!dir.join("charts").exists());
}
