//! The error type of the output writers, and the CSV writer that names its file in every error.
//!
//! Every message says which file could not be written and why, e.g. `cannot write
//! output/x/summary.csv: No space left on device`. The cause is kept as a field (not as the
//! error's `source`) so that it is printed once whether the error is shown with `{}` or through
//! anyhow's `{:#}` chain.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why an output file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The file could not be created.
    #[error("cannot create {}: {cause}", path.display())]
    Create {
        /// The file.
        path: PathBuf,
        /// What the system said.
        cause: std::io::Error,
    },
    /// Writing or flushing the file failed.
    #[error("cannot write {}: {cause}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        cause: std::io::Error,
    },
    /// The CSV writer failed (nearly always an I/O failure underneath).
    #[error("cannot write {}: {cause}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// What the CSV writer said.
        cause: csv::Error,
    },
    /// A JSON value could not be written.
    #[error("cannot write {}: {cause}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// What the JSON writer said.
        cause: serde_json::Error,
    },
}

/// Creates `dir/name` for buffered writing.
///
/// # Errors
/// [`OutputError::Create`] when the file cannot be created.
pub fn create(dir: &Path, name: &str) -> Result<(PathBuf, BufWriter<File>), OutputError> {
    let path = dir.join(name);
    match File::create(&path) {
        Ok(f) => Ok((path, BufWriter::new(f))),
        Err(cause) => Err(OutputError::Create { path, cause }),
    }
}

/// A CSV file being written, with `\n` line ends (the format of every icbsim CSV).
pub struct CsvOut {
    path: PathBuf,
    writer: csv::Writer<BufWriter<File>>,
}

impl CsvOut {
    /// Creates `dir/name`.
    ///
    /// # Errors
    /// [`OutputError::Create`] when the file cannot be created.
    pub fn create(dir: &Path, name: &str) -> Result<CsvOut, OutputError> {
        let (path, file) = create(dir, name)?;
        Ok(CsvOut {
            path,
            writer: csv_format().from_writer(file),
        })
    }

    /// Writes one row.
    ///
    /// # Errors
    /// [`OutputError::Csv`], naming the file.
    pub fn row<I, T>(&mut self, cells: I) -> Result<(), OutputError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer
            .write_record(cells)
            .map_err(|cause| OutputError::Csv {
                path: self.path.clone(),
                cause,
            })
    }

    /// Flushes the file to disk; call once after the last row.
    ///
    /// # Errors
    /// [`OutputError::Write`], naming the file.
    pub fn finish(mut self) -> Result<(), OutputError> {
        let path = std::mem::take(&mut self.path);
        let flushed = match self.writer.into_inner() {
            Ok(mut file) => file.flush(),
            Err(e) => Err(std::io::Error::new(e.error().kind(), e.error().to_string())),
        };
        flushed.map_err(|cause| OutputError::Write { path, cause })
    }
}

/// The CSV dialect of every icbsim file: comma separated, `\n` line ends.
pub fn csv_format() -> csv::WriterBuilder {
    let mut b = csv::WriterBuilder::new();
    b.terminator(csv::Terminator::Any(b'\n'));
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_directory_names_the_file() {
        let dir = Path::new("/nonexistent-icbsim-dir");
        let e = CsvOut::create(dir, "summary.csv")
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.starts_with("cannot create /nonexistent-icbsim-dir/summary.csv: "),
            "{e}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_disk_names_the_file() {
        // /dev/full accepts the open and fails every write with ENOSPC.
        let Ok(mut out) = CsvOut::create(Path::new("/dev"), "full") else {
            return;
        };
        let e = match out.row(["x".repeat(100_000)]) {
            Err(e) => e,
            Ok(()) => out.finish().unwrap_err(),
        }
        .to_string();
        assert!(
            e.starts_with("cannot write /dev/full: No space left"),
            "{e}"
        );
    }
}
