//! Integration tests of scenario validation for inputs found by fuzzing (issue 11): inputs that
//! used to hang a run or be accepted and silently mean something else.
//!
//! Every test runs the real binary in a fresh temporary directory with `RUST_BACKTRACE=0` and a
//! time limit (a hang fails instead of blocking the suite). Fixtures live in
//! `tests/fixtures/bad/fuzz/` (each says what it breaks, and where, in its first line); a few
//! are written to the temporary directory because they hold bytes a fixture file should not.
//! Every rejected input must give exit code 2, a `FILE:LINE:COLUMN: dotted.path: message` line
//! per problem, and leave nothing behind.

mod common;

use common::{fixture, icbsim_timed, manifest_dir, s, tmp, Out};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A fixture under `tests/fixtures/bad/fuzz/`.
fn fuzz(name: &str) -> PathBuf {
    fixture("bad/fuzz").join(name)
}

/// Runs `icbsim ARGS` in `cwd`, failing the test after two minutes (`CI` is left as inherited).
fn icbsim<I, S>(cwd: &Path, args: I) -> Out
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    icbsim_timed(Duration::from_secs(120), cwd, args)
}

/// Validates and runs `file` (with `extra` arguments); both must exit 2 listing exactly
/// `expected` (each `LINE:COLUMN: path: message-fragment`, in order, after the file name) and
/// write nothing. Returns validate's stderr.
fn rejected(file: &Path, extra: &[&str], expected: &[&str]) -> String {
    let t = tmp();
    let name = s(file);
    let mut v = vec!["validate".to_string(), name.clone()];
    v.extend(extra.iter().map(|a| a.to_string()));
    let out = icbsim(t.path(), &v);
    assert_eq!(out.code, Some(2), "validate {name}: {}", out.stderr);
    let lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| !l.ends_with("nothing was written."))
        .collect();
    assert_eq!(lines.len(), expected.len(), "{}", out.stderr);
    for (line, want) in lines.iter().zip(expected) {
        let (loc, fragment) = want.split_once(": ").expect("LOC: path: message");
        let (path, fragment) = fragment.split_once(": ").expect("path: message");
        let prefix = if path.is_empty() {
            format!("{loc}: ")
        } else if loc.starts_with("--set") || loc.contains(".csv:") {
            format!("{loc}: {path}: ")
        } else {
            format!("{name}:{loc}: {path}: ")
        };
        assert!(
            line.starts_with(&prefix) && line.contains(fragment),
            "expected `{prefix}…{fragment}…`, got `{line}`"
        );
    }
    assert!(
        out.stderr.ends_with(&format!(
            "{} found; nothing was written.\n",
            count(lines.len())
        )),
        "{}",
        out.stderr
    );
    let mut r = vec![
        "run".to_string(),
        name.clone(),
        "-n".into(),
        "20".into(),
        "--no-charts".into(),
    ];
    r.extend(extra.iter().map(|a| a.to_string()));
    let run = icbsim(t.path(), &r);
    assert_eq!(run.code, Some(2), "run {name}: {}", run.stderr);
    assert_eq!(
        fs::read_dir(t.path()).unwrap().count(),
        0,
        "run {name} wrote something"
    );
    out.stderr
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 problem".into()
    } else {
        format!("{n} problems")
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Parameters that used to hang a run or overflow its quantiles
// ---------------------------------------------------------------------------------------------

#[test]
fn a_beta_shape_of_1e10_is_refused_instead_of_hanging_the_run() {
    rejected(
        &fuzz("beta_huge_shape.toml"),
        &[],
        &["14:35: vr.uptake.alpha: alpha (1e10) must be between 1e-3 and 1e6"],
    );
}

#[test]
fn extreme_sd_cv_and_bounds_are_refused_naming_the_limit() {
    rejected(
        &fuzz("extreme_parameters.toml"),
        &[],
        &[
            "18:58: nonpay.reduction_share.cv: cv (1e300) must be between 1e-6 and 1e3",
            "14:46: vr.uptake.sd: sd (1e300) is beyond the limit of ±1e15",
            "21:53: cr.legal_cost_gbp.max: max (1e300) is beyond the limit of ±1e15",
        ],
    );
}

#[test]
fn a_beta_shape_set_on_the_command_line_is_refused_at_the_override() {
    rejected(
        &fixture("minimal.toml"),
        &["--set", "vr.uptake={dist=\"beta\", alpha=2, beta=1e12}"],
        &["--set vr.uptake={dist=\"beta\", alpha=2, beta=1e12}:1:39: vr.uptake.beta: beta (1e12) must be between 1e-3 and 1e6"],
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Accepted but wrong
// ---------------------------------------------------------------------------------------------

#[test]
fn mars_minimum_above_maximum_is_an_error() {
    rejected(
        &fuzz("mars_min_above_max.toml"),
        &[],
        &["18:14: mars.max_months: mars.min_months (12) is above mars.max_months (6); the minimum payment must not exceed the maximum"],
    );
}

#[test]
fn a_salary_floor_above_the_cap_is_an_error() {
    rejected(
        &fuzz("salary_floor_above_cap.toml"),
        &[],
        &["16:20: exit_terms.salary_floor_gbp: exit_terms.salary_floor_gbp (90000) is above exit_terms.salary_cap_gbp (80000)"],
    );
}

#[test]
fn a_nonpay_ramp_that_ends_before_it_starts_is_an_error() {
    rejected(
        &fuzz("nonpay_ramp_backwards.toml"),
        &[],
        &["18:13: nonpay.ramp_full: nonpay.ramp_start (2025-10) is after nonpay.ramp_full (2025-08)"],
    );
}

#[test]
fn uncertain_ranges_that_can_cross_are_an_error() {
    rejected(
        &fixture("minimal.toml"),
        &[
            "--set",
            "mars.min_months={dist=\"uniform\", min=2, max=8}",
            "--set",
            "mars.max_months={dist=\"uniform\", min=6, max=12}",
        ],
        &["--set mars.max_months={dist=\"uniform\", min=6, max=12}:1:17: mars.max_months: mars.min_months can be as high as 8 but mars.max_months can be as low as 6"],
    );
}

#[test]
fn a_beta_month_without_bounds_is_an_error() {
    rejected(
        &fuzz("month_beta_unbounded.toml"),
        &[],
        &["13:10: vr.window: a beta month needs both `min` and `max`"],
    );
}

#[test]
fn synthetic_ages_past_67_and_fte_below_a_tenth_are_errors_not_clamped() {
    rejected(
        &fuzz("synthetic_clamped.toml"),
        &[],
        &[
            "22:7: org.tiny-icb.synthetic.fte: this distribution ranges over 0.05..1 but the value must be between 0.1 and 1",
            "21:7: org.tiny-icb.synthetic.age: this distribution ranges over 70..80 but the value must be between 18 and 67",
        ],
    );
}

#[test]
fn a_misspelt_function_in_a_staff_file_is_located_in_the_csv_with_a_suggestion() {
    let csv = fuzz("data/misspelt_function.csv");
    rejected(
        &fuzz("staff_misspelt_function.toml"),
        &[],
        &[&format!(
            "{}:3:4: org.tiny-icb.staff_file.function: unknown function 'Digital' (did you mean 'digital'?)",
            s(&csv)
        )],
    );
}

#[test]
fn a_misspelt_function_in_synthetic_function_shares_is_an_error() {
    // The template declares "digital" and gives its synthetic workforce function shares.
    let t = tmp();
    let ex = icbsim(t.path(), ["example"]);
    let template = t.path().join("t.toml");
    fs::write(&template, &ex.stdout).unwrap();
    rejected(
        &template,
        &["--set", "org.0.synthetic.function_shares={Digital=0.2}"],
        &["--set org.0.synthetic.function_shares={Digital=0.2}:1:34: org.my-icb.synthetic.function_shares.Digital: unknown function 'Digital' (did you mean 'digital'?)"],
    );
}

#[test]
fn a_nul_byte_or_control_character_in_a_staff_id_is_an_error() {
    let t = tmp();
    let dir = t.path().join("in");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("staff.csv"),
        "id,function,band,fte,salary_gbp,age,service_years,terms,pension_member\n\
         a\u{0}1,corporate,5,1.0,31000,45,10,afc,yes\n\
         a2,corporate,5,1.0,31000,45,10,afc,yes\n\
         a\u{1b}3,corporate,5,1.0,31000,45,10,afc,yes\n",
    )
    .unwrap();
    let scenario = dir.join("s.toml");
    fs::write(
        &scenario,
        "[scenario]\nname = \"S\"\nstart = \"2025-04\"\n[target]\ndeadline = \"2026-03\"\n\
         [vr]\nwindow = \"2025-12\"\n[[org]]\nname = \"S ICB\"\nstaff_file = \"staff.csv\"\n",
    )
    .unwrap();
    let csv = s(&dir.join("staff.csv"));
    let err = rejected(
        &scenario,
        &[],
        &[
            &format!("{csv}:2:1: org.s-icb.staff_file.id: id \"a\\01\" contains the control character '\\0'"),
            &format!("{csv}:4:1: org.s-icb.staff_file.id: contains the control character '\\u{{1b}}'"),
        ],
    );
    assert!(
        !err.contains('\u{0}'),
        "the NUL byte is escaped in the message"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. --set overrides
// ---------------------------------------------------------------------------------------------

#[test]
fn whitespace_around_an_override_value_is_ignored() {
    let t = tmp();
    let minimal = s(&fixture("minimal.toml"));
    for set in ["vr.uptake = 0.3", "vr.uptake= 0.3 ", " vr.uptake=0.3"] {
        let out = icbsim(t.path(), ["validate", &minimal, "--set", set]);
        assert_eq!(out.code, Some(0), "--set {set:?}: {}", out.stderr);
        assert!(out.stdout.contains("ok"), "{}", out.stdout);
    }
}

#[test]
fn a_malformed_inline_table_gives_the_toml_parser_error_at_the_override() {
    rejected(
        &fixture("minimal.toml"),
        &["--set", "vr.uptake={dist=\"uniform\", min=0.1"],
        &["--set vr.uptake={dist=\"uniform\", min=0.1:1:35: : TOML syntax: unclosed inline table"],
    );
}

#[test]
fn an_error_caused_by_an_override_is_located_at_the_override() {
    rejected(
        &fixture("minimal.toml"),
        &["--set", "mars.min_months=20", "--set", "vr.uptake=1.5"],
        &[
            "--set vr.uptake=1.5:1:11: vr.uptake: 1.5 is not allowed here",
            "--set mars.min_months=20:1:17: mars.min_months: mars.min_months (20) is above mars.max_months (12)",
        ],
    );
}

#[test]
fn a_fixed_input_in_a_correlation_says_how_to_proceed() {
    rejected(
        &fuzz("correlated_fixed_input.toml"),
        &[],
        &["20:11: correlation.0.inputs: 'vr.uptake' is a fixed value; only uncertain inputs can be correlated: give it a distribution, or remove this [[correlation]]"],
    );
}

#[test]
fn fixing_a_correlated_input_with_set_drops_the_correlation_with_a_warning() {
    let t = tmp();
    let template = t.path().join("t.toml");
    let ex = icbsim(t.path(), ["example"]);
    assert_eq!(ex.code, Some(0));
    assert!(
        ex.stdout.contains("inputs = [\"vr.uptake\""),
        "template correlates vr.uptake"
    );
    fs::write(&template, &ex.stdout).unwrap();
    let out = icbsim(
        t.path(),
        [
            "run",
            "t.toml",
            "--set",
            "vr.uptake=0.2",
            "-n",
            "30",
            "--no-charts",
            "-q",
            "--out",
            "o",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "warning: --set vr.uptake=0.2:1:11: vr.uptake: 'vr.uptake' is now a fixed value, so correlation.0 (rank -0.3) is dropped"
        ),
        "{}",
        out.stderr
    );
    assert!(t.path().join("o/summary.csv").is_file());
}

// ---------------------------------------------------------------------------------------------
// README examples on the shipped scenarios
// ---------------------------------------------------------------------------------------------

#[test]
fn readme_set_example_runs_on_the_example_scenario() {
    let t = tmp();
    let example = s(&manifest_dir().join("scenarios/example-icb.toml"));
    let out = icbsim(
        t.path(),
        [
            "run",
            &example,
            "--set",
            "vr.uptake=0.2",
            "-n",
            "30",
            "--no-charts",
            "-q",
            "--out",
            "o",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
}

#[test]
fn readme_sweep_examples_run_on_the_template() {
    let t = tmp();
    let ex = icbsim(t.path(), ["example"]);
    fs::write(t.path().join("s.toml"), &ex.stdout).unwrap();
    let grids: [&[&str]; 2] = [
        &["--vary", "vr.uptake=0.1,0.5,0.9"],
        &[
            "--vary",
            "vr.uptake=0.2,0.4",
            "--vary",
            "function.digital.transfer=2026-04,2026-10,2027-04",
        ],
    ];
    for (k, grid) in grids.iter().enumerate() {
        let out_dir = format!("sweep{k}");
        let mut args = vec!["sweep", "s.toml"];
        args.extend_from_slice(grid);
        args.extend_from_slice(&["-n", "20", "--no-charts", "-q", "--out", &out_dir]);
        let out = icbsim(t.path(), &args);
        assert_eq!(out.code, Some(0), "{grid:?}: {}", out.stderr);
        assert!(t.path().join(&out_dir).join("sweep.csv").is_file());
    }
}

#[test]
fn the_template_validates_cleanly() {
    let t = tmp();
    let ex = icbsim(t.path(), ["example"]);
    fs::write(t.path().join("t.toml"), &ex.stdout).unwrap();
    let out = icbsim(t.path(), ["validate", "t.toml"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}
