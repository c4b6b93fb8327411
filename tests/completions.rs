//! `icbsim completions SHELL`: a completion script for each supported shell, naming every
//! subcommand, in the shell's own syntax.

use assert_cmd::Command;

fn script(shell: &str) -> String {
    let out = Command::cargo_bin("icbsim")
        .unwrap()
        .env("RUST_BACKTRACE", "0")
        .args(["completions", shell])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{shell}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    for (shell, marker) in [
        ("bash", "complete -F _icbsim"),
        ("zsh", "#compdef icbsim"),
        ("fish", "complete -c icbsim"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let s = script(shell);
        assert!(s.contains(marker), "{shell}: no '{marker}'");
        for sub in [
            "run",
            "validate",
            "exit-cost",
            "example",
            "batch",
            "sweep",
            "merge",
            "solve",
            "chart",
        ] {
            assert!(s.contains(sub), "{shell}: no '{sub}'");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = Command::cargo_bin("icbsim")
        .unwrap()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("possible values: bash, zsh, fish, powershell"));
}
