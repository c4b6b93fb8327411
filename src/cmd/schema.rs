//! `icbsim schema`: the JSON Schema (draft 7) of the scenario format, generated from the
//! validator's own readers ([`icbsim::scenario::schema`]), on stdout or into a file.

use icbsim::scenario::schema;
use icbsim::workflow::{input_error, Error, Outcome};
use std::io::Write;
use std::path::Path;

/// Writes the schema to `out` (replacing it whole: written beside it, then renamed) or stdout.
///
/// # Errors
/// A file that cannot be written is bad input naming it (exit code 2, nothing written);
/// stdout closing early is reported as a broken pipe (exit 0).
pub fn schema(out: Option<&Path>) -> Result<Outcome, Error> {
    let text = schema::to_text(&schema::generate());
    match out {
        None => {
            let mut o = std::io::stdout().lock();
            o.write_all(text.as_bytes())
                .and_then(|()| o.flush())
                .map_err(|e| Error::Internal(e.into()))?;
        }
        Some(path) => {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let Some(name) = name else {
                return Err(input_error(&format!(
                    "{}: give a file name for the schema",
                    path.display()
                )));
            };
            let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
            let written = std::fs::write(&tmp, &text).and_then(|()| std::fs::rename(&tmp, path));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(input_error(&format!(
                    "{}: cannot write the schema: {e}",
                    path.display()
                )));
            }
        }
    }
    Ok(Outcome::Success)
}
