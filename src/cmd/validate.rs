//! `icbsim validate`: check scenario files (with overrides) and print every problem of every
//! file at once.

use icbsim::scenario::Problems;
use icbsim::workflow::{self, Error, Outcome, ValidateRequest};

/// Prints a line per valid file.
///
/// # Errors
/// Bad input listing every problem of every invalid file.
pub fn validate(req: &ValidateRequest) -> Result<Outcome, Error> {
    let mut all = Vec::new();
    for f in &req.files {
        match workflow::load(Some(f), &req.overrides, None) {
            Ok(sc) => {
                workflow::print_warnings(&sc.warnings);
                println!(
                    "{}: ok ({}, {} staff, {} inputs of which {} uncertain)",
                    f.display(),
                    sc.name,
                    sc.staff_count(),
                    sc.inputs.len(),
                    sc.uncertain_inputs().count()
                );
            }
            Err(p) => all.extend(p.0),
        }
    }
    if all.is_empty() {
        Ok(Outcome::Success)
    } else {
        Err(Problems(all).into())
    }
}
