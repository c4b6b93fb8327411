//! `icbsim completions SHELL`: a completion script for each supported shell, naming every
//! subcommand, in the shell's own syntax.

mod common;

use common::{icbsim, manifest_dir};

#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    for (shell, marker) in [
        ("bash", "complete -F _icbsim"),
        ("zsh", "#compdef icbsim"),
        ("fish", "complete -c icbsim"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = icbsim(&manifest_dir(), ["completions", shell]);
        assert_eq!(out.code, Some(0), "{shell}: {}", out.stderr);
        assert!(out.stdout.contains(marker), "{shell}: no '{marker}'");
        for sub in [
            "run",
            "validate",
            "exit-cost",
            "example",
            "batch",
            "compare",
            "sweep",
            "merge",
            "solve",
            "chart",
            "schema",
        ] {
            assert!(out.stdout.contains(sub), "{shell}: no '{sub}'");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = icbsim(&manifest_dir(), ["completions", "tcsh"]);
    assert_eq!(out.code, Some(2));
    assert!(out
        .stderr
        .contains("possible values: bash, zsh, fish, powershell"));
}
