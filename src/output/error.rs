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
    /// The file system holding the results has less free space than the run will write
    /// (projected after its first block; see [`super::room`]).
    #[error(
        "not enough disk space for {} iterations in {}: the run would write up to {} more \
         (iterations.csv about {}, columns spilled for exact statistics up to {}) and {} is free. \
         Free some space, write the results elsewhere (--out), or run fewer iterations",
        crate::format::count(*iterations as f64),
        super::room::shown(dir).display(),
        super::room::bytes(need.total()),
        super::room::bytes(need.csv),
        super::room::bytes(need.spill),
        super::room::bytes(*free)
    )]
    Room {
        /// The directory being written (the message names where the results go).
        dir: PathBuf,
        /// The run's iterations.
        iterations: u64,
        /// What it would still write.
        need: super::room::Need,
        /// Free bytes.
        free: u64,
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
    writer: csv::Writer<Shared>,
}

/// The file under a [`CsvOut`]'s CSV writer, reachable beside it for [`CsvOut::block`] (the CSV
/// writer lends only a shared reference to what it writes to).
struct Shared(std::cell::RefCell<BufWriter<File>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.get_mut().write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.get_mut().flush()
    }
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
            writer: csv_format().from_writer(Shared(std::cell::RefCell::new(file))),
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

    /// Writes rows already formatted by [`csv_block`], after the rows written so far.
    ///
    /// # Errors
    /// [`OutputError::Write`], naming the file.
    pub fn block(&mut self, bytes: &[u8]) -> Result<(), OutputError> {
        let written = self
            .writer
            .flush()
            .and_then(|()| self.writer.get_ref().0.borrow_mut().write_all(bytes));
        written.map_err(|cause| OutputError::Write {
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
            Ok(file) => file.0.into_inner().flush(),
            Err(e) => Err(std::io::Error::new(e.error().kind(), e.error().to_string())),
        };
        flushed.map_err(|cause| OutputError::Write { path, cause })
    }
}

/// Rows formatted as CSV bytes in the format of every icbsim file, for writers that format
/// blocks of rows in parallel and write them in order with [`CsvOut::block`].
pub fn csv_block<I, T>(rows: impl IntoIterator<Item = I>) -> Vec<u8>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let mut w = csv_format().from_writer(Vec::new());
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
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
