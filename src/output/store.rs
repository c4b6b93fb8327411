//! Per-iteration numbers kept for exact statistics, in bounded memory: a table of `width` columns
//! filled one iteration (row) at a time, in iteration order, and read back a group of columns at
//! a time. Rows are gathered into chunks and each chunk is transposed to column-major order, so
//! a column group is one contiguous piece of every chunk. Chunks stay in memory up to a bound
//! ([`SPILL_BOUND`], or `ICBSIM_SPILL_MB`); beyond it they go to a spill file beside the results,
//! which is unlinked as soon as it is created, so a killed run leaves nothing behind.
//!
//! Values read back are the values pushed, bit for bit, in iteration order: statistics computed
//! from a spilled store are the statistics computed from memory.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Bytes of chunks kept in memory before the rest spill to disk (256 MiB).
pub const SPILL_BOUND: usize = 256 << 20;
/// Bytes of one chunk (rows × width × 8), about 16 MiB.
const CHUNK_BYTES: usize = 16 << 20;
/// Bytes of columns a reader asks for at once (see [`ColumnStore::group`]), about 64 MiB.
pub const READ_BYTES: usize = 64 << 20;

/// The in-memory bound: `ICBSIM_SPILL_MB` (mebibytes; 0 spills every chunk) if set, else
/// [`SPILL_BOUND`].
pub fn spill_bound() -> usize {
    std::env::var("ICBSIM_SPILL_MB")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .map_or(SPILL_BOUND, |mb| mb.saturating_mul(1 << 20))
}

#[derive(Debug)]
enum Place {
    Memory(Vec<f64>),
    Disk(u64),
}

/// Rows `first..first + rows`, column-major.
#[derive(Debug)]
struct Chunk {
    first: usize,
    rows: usize,
    place: Place,
}

/// A spill file (already unlinked) and where the next chunk goes.
#[derive(Debug)]
struct Spill {
    file: Mutex<File>,
    end: u64,
}

/// A column store (see the module documentation).
#[derive(Debug)]
pub struct ColumnStore {
    width: usize,
    rows_per_chunk: usize,
    pending: Vec<f64>,
    chunks: Vec<Chunk>,
    n: usize,
    in_memory: usize,
    bound: usize,
    dir: PathBuf,
    spill: Option<Spill>,
    /// A chunk's columns on their way to disk, and their bytes: kept from one spilled chunk to
    /// the next, so spilling maps no fresh memory (and faults in no fresh pages) per chunk.
    spare: Vec<f64>,
    bytes: Vec<u8>,
}

impl ColumnStore {
    /// An empty store of `width` columns that spills into `dir` beyond `bound` bytes.
    pub fn new(width: usize, dir: &Path, bound: usize) -> ColumnStore {
        let rows_per_chunk = (CHUNK_BYTES / (8 * width.max(1))).clamp(1, 65_536);
        ColumnStore {
            width,
            rows_per_chunk,
            pending: Vec::new(),
            chunks: Vec::new(),
            n: 0,
            in_memory: 0,
            bound,
            dir: dir.to_path_buf(),
            spill: None,
            spare: Vec::new(),
            bytes: Vec::new(),
        }
    }

    /// Columns per row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Bytes of chunks kept in memory before the rest spill.
    pub fn bound(&self) -> usize {
        self.bound
    }

    /// Rows pushed.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether no row has been pushed.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Whether any chunk went to disk.
    pub fn spilled(&self) -> bool {
        self.spill.is_some()
    }

    /// Appends one row of `width` values.
    ///
    /// # Errors
    /// When a full chunk cannot be written to the spill file.
    pub fn push(&mut self, row: &[f64]) -> std::io::Result<()> {
        debug_assert_eq!(row.len(), self.width);
        self.pending.extend_from_slice(row);
        self.n += 1;
        if self.pending.len() >= self.rows_per_chunk * self.width {
            self.seal()?;
        }
        Ok(())
    }

    /// Turns the pending rows into a column-major chunk, in memory or on disk.
    ///
    /// # Errors
    /// When the spill file cannot be created or written.
    pub fn seal(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() || self.width == 0 {
            return Ok(());
        }
        let rows = self.pending.len() / self.width;
        let size = self.pending.len() * 8;
        let in_memory = self.in_memory + size <= self.bound;
        let mut cols = if in_memory {
            vec![0.0; self.pending.len()]
        } else {
            let mut spare = std::mem::take(&mut self.spare);
            spare.resize(self.pending.len(), 0.0);
            spare
        };
        for (r, row) in self.pending.chunks_exact(self.width).enumerate() {
            for (c, &x) in row.iter().enumerate() {
                cols[c * rows + r] = x;
            }
        }
        self.pending.clear();
        let first = self.n - rows;
        let place = if in_memory {
            self.in_memory += size;
            Place::Memory(cols)
        } else {
            let at = self.write(&cols);
            self.spare = cols;
            Place::Disk(at?)
        };
        self.chunks.push(Chunk { first, rows, place });
        Ok(())
    }

    fn write(&mut self, cols: &[f64]) -> std::io::Result<u64> {
        if self.spill.is_none() {
            self.spill = Some(open_spill(&self.dir)?);
        }
        let Some(spill) = self.spill.as_mut() else {
            unreachable!("opened above")
        };
        self.bytes.clear();
        self.bytes.reserve(cols.len() * 8);
        for x in cols {
            self.bytes.extend_from_slice(&x.to_le_bytes());
        }
        let at = spill.end;
        let file = spill.file.get_mut().unwrap_or_else(|e| e.into_inner());
        file.seek(SeekFrom::Start(at))?;
        file.write_all(&self.bytes)?;
        spill.end += self.bytes.len() as u64;
        Ok(at)
    }

    /// How many columns to read at once so that a group holds about [`READ_BYTES`].
    pub fn group(&self) -> usize {
        (READ_BYTES / (8 * self.n.max(1))).max(1)
    }

    /// Columns `c0..c1`, column-major: column `c0 + k` is `out[k * n..(k + 1) * n]`, in row
    /// order. Rows still pending are included (call [`Self::seal`] first to read them from a
    /// chunk; the values are the same).
    ///
    /// # Errors
    /// When the spill file cannot be read.
    pub fn read(&self, c0: usize, c1: usize) -> std::io::Result<Vec<f64>> {
        let (n, k) = (self.n, c1 - c0);
        let mut out = vec![0.0; k * n];
        let mut buf: Vec<u8> = Vec::new();
        for ch in &self.chunks {
            let part: &[f64];
            let owned: Vec<f64>;
            match &ch.place {
                Place::Memory(cols) => part = &cols[c0 * ch.rows..c1 * ch.rows],
                Place::Disk(at) => {
                    buf.resize(k * ch.rows * 8, 0);
                    let spill = self.spill.as_ref().map(|s| &s.file);
                    let Some(file) = spill else {
                        return Err(std::io::Error::other("spill file missing"));
                    };
                    let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
                    f.seek(SeekFrom::Start(at + (c0 * ch.rows * 8) as u64))?;
                    f.read_exact(&mut buf)?;
                    drop(f);
                    owned = buf
                        .chunks_exact(8)
                        .map(|b| f64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
                        .collect();
                    part = &owned;
                }
            }
            for j in 0..k {
                out[j * n + ch.first..j * n + ch.first + ch.rows]
                    .copy_from_slice(&part[j * ch.rows..(j + 1) * ch.rows]);
            }
        }
        let sealed = self.n - self.pending.len() / self.width.max(1);
        for (r, row) in self.pending.chunks_exact(self.width.max(1)).enumerate() {
            for j in 0..k {
                out[j * n + sealed + r] = row[c0 + j];
            }
        }
        Ok(out)
    }

    /// One column.
    ///
    /// # Errors
    /// When the spill file cannot be read.
    pub fn column(&self, c: usize) -> std::io::Result<Vec<f64>> {
        self.read(c, c + 1)
    }
}

/// Creates a spill file in `dir` and unlinks it at once (it lives while it is open).
fn open_spill(dir: &Path) -> std::io::Result<Spill> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!(
        ".icbsim-spill-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    // On Unix the open file outlives its name; elsewhere the name stays until it is closed.
    let _ = std::fs::remove_file(&path);
    Ok(Spill {
        file: Mutex::new(file),
        end: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize, width: usize) -> Vec<Vec<f64>> {
        (0..n)
            .map(|r| (0..width).map(|c| (r * 1000 + c) as f64 + 0.25).collect())
            .collect()
    }

    /// The same rows read back from memory, from disk (bound 0) and part-pending give the same
    /// columns: column c of row r is r·1000 + c + 0.25.
    #[test]
    fn columns_read_back_bit_for_bit_from_memory_or_disk() {
        let dir = tempfile::tempdir().unwrap();
        for bound in [usize::MAX, 0, 200_000] {
            let mut s = ColumnStore::new(300, dir.path(), bound);
            for row in rows(50_000 / 300 * 7 + 3, 300) {
                s.push(&row).unwrap();
            }
            let n = s.len();
            let got = s.read(5, 8).unwrap();
            for j in 0..3 {
                for r in 0..n {
                    assert_eq!(got[j * n + r], (r * 1000 + 5 + j) as f64 + 0.25);
                }
            }
            s.seal().unwrap();
            assert_eq!(s.read(5, 8).unwrap(), got, "bound {bound}");
            assert_eq!(s.spilled(), bound == 0 || bound == 200_000);
        }
        // Nothing is left in the folder: the spill file was unlinked when created.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
