//! `icbsim example`: print the annotated template scenario that documents every field.

use icbsim::workflow::Outcome;

/// The annotated template.
pub const TEMPLATE: &str = include_str!("../../scenarios/template.toml");

/// Prints the template on stdout.
pub fn example() -> Outcome {
    print!("{TEMPLATE}");
    Outcome::Success
}
