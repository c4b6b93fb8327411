//! Per-iteration numbers kept for exact statistics, in bounded memory: a table of `width` columns
//! filled one iteration (row) at a time, in iteration order, and read back a group of columns at
//! a time. Rows are gathered into chunks and each chunk is transposed to column-major order, so
//! a column group is one contiguous piece of every chunk. A column with the same value (bit for
//! bit) in every row of a chunk is kept once: about half the columns of a national run (months
//! before or after anything happens, organisations after their merger), so a chunk takes about
//! half the memory or disk of its rows. Chunks stay in memory up to a bound
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

/// Rows `first..first + rows`, column-major: each column's `rows` values in row order, or its
/// one value when it is the same in every row (its bit in `same` is set).
#[derive(Debug)]
struct Chunk {
    first: usize,
    rows: usize,
    same: Vec<u64>,
    place: Place,
}

impl Chunk {
    /// Where column `c` starts among the chunk's stored values.
    fn offset(&self, c: usize) -> usize {
        let (word, bit) = (c / 64, c % 64);
        let whole: u32 = self.same[..word].iter().map(|w| w.count_ones()).sum();
        let part = if bit == 0 {
            0
        } else {
            (self.same[word] & ((1 << bit) - 1)).count_ones()
        };
        let once = (whole + part) as usize;
        once + (c - once) * self.rows
    }

    /// Whether column `c` is kept once.
    fn is_same(&self, c: usize) -> bool {
        self.same[c / 64] >> (c % 64) & 1 == 1
    }
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
    /// A chunk's columns as they are gathered (a chunk kept in memory takes a copy of just its
    /// kept values), and their bytes on the way to disk: kept from one chunk to the next, so
    /// sealing and spilling map no fresh memory (and fault in no fresh pages) per chunk.
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
        let (width, rows) = (self.width, self.pending.len() / self.width);
        let mut cols = std::mem::take(&mut self.spare);
        cols.clear();
        cols.reserve(self.pending.len());
        let mut same = vec![0_u64; width.div_ceil(64)];
        for c in 0..width {
            let at = cols.len();
            cols.extend(self.pending[c..].iter().step_by(width).take(rows));
            let first = cols[at].to_bits();
            if cols[at..].iter().all(|x| x.to_bits() == first) {
                same[c / 64] |= 1 << (c % 64);
                cols.truncate(at + 1);
            }
        }
        self.pending.clear();
        let size = cols.len() * 8;
        let first = self.n - rows;
        let place = if self.in_memory + size <= self.bound {
            self.in_memory += size;
            let kept = cols.clone();
            self.spare = cols;
            Place::Memory(kept)
        } else {
            let at = self.write(&cols);
            self.spare = cols;
            Place::Disk(at?)
        };
        self.chunks.push(Chunk {
            first,
            rows,
            same,
            place,
        });
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
        let mut out = Vec::new();
        self.read_into(c0, c1, &mut out)?;
        Ok(out)
    }

    /// [`Self::read`] into `out` (replacing what it held), so a caller reading group after group
    /// reuses one buffer: a group of a national run is tens of megabytes, which the allocator
    /// would map afresh (and the kernel zero page by page) on every read.
    ///
    /// # Errors
    /// When the spill file cannot be read.
    pub fn read_into(&self, c0: usize, c1: usize, out: &mut Vec<f64>) -> std::io::Result<()> {
        let (n, k) = (self.n, c1 - c0);
        out.clear();
        out.resize(k * n, 0.0);
        let mut buf: Vec<u8> = Vec::new();
        let mut decoded: Vec<f64> = Vec::new();
        for ch in &self.chunks {
            let (from, to) = (ch.offset(c0), ch.offset(c1));
            let part: &[f64] = match &ch.place {
                Place::Memory(cols) => &cols[from..to],
                Place::Disk(at) => {
                    buf.resize((to - from) * 8, 0);
                    let spill = self.spill.as_ref().map(|s| &s.file);
                    let Some(file) = spill else {
                        return Err(std::io::Error::other("spill file missing"));
                    };
                    let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
                    f.seek(SeekFrom::Start(at + (from * 8) as u64))?;
                    f.read_exact(&mut buf)?;
                    drop(f);
                    decoded.clear();
                    decoded.extend(
                        buf.chunks_exact(8)
                            .map(|b| f64::from_le_bytes(b.try_into().unwrap_or([0; 8]))),
                    );
                    &decoded
                }
            };
            let mut at = 0;
            for j in 0..k {
                let into = &mut out[j * n + ch.first..j * n + ch.first + ch.rows];
                if ch.is_same(c0 + j) {
                    into.fill(part[at]);
                    at += 1;
                } else {
                    into.copy_from_slice(&part[at..at + ch.rows]);
                    at += ch.rows;
                }
            }
        }
        let sealed = self.n - self.pending.len() / self.width.max(1);
        for (r, row) in self.pending.chunks_exact(self.width.max(1)).enumerate() {
            for j in 0..k {
                out[j * n + sealed + r] = row[c0 + j];
            }
        }
        Ok(())
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

    /// Column c of row r: c when c is a multiple of 3 (the same in every row), the row's block of
    /// 40 when c leaves 1 (the same within some chunks only), else r·1000 + c + 0.25; and −0.0
    /// in column 5 of the first 10 rows (equal to +0.0 but not the same bits).
    fn mixed(r: usize, c: usize) -> f64 {
        match c % 3 {
            _ if c == 5 && r < 10 => -0.0,
            _ if c == 5 => 0.0,
            0 => c as f64,
            1 => (r / 40) as f64,
            _ => (r * 1000 + c) as f64 + 0.25,
        }
    }

    /// Columns the same in every row of a chunk are kept once and read back in full, bit for bit,
    /// from memory, from disk or split between them, across 64-column words and chunk ends.
    #[test]
    fn columns_the_same_in_a_chunk_are_kept_once_and_read_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let width = 200;
        // 16 MiB / (8 × 200) = 10,485 rows a chunk; 25,000 rows make two full chunks and a part.
        let n = 25_000;
        for bound in [usize::MAX, 0, 3 << 20] {
            let mut s = ColumnStore::new(width, dir.path(), bound);
            for r in 0..n {
                let row: Vec<f64> = (0..width).map(|c| mixed(r, c)).collect();
                s.push(&row).unwrap();
            }
            s.seal().unwrap();
            // A buffer reused from group to group holds only the group it was last read into.
            let mut reused = vec![f64::NAN; 3 * width * n];
            for (c0, c1) in [(0, width), (5, 6), (60, 130), (199, 200)] {
                let got = s.read(c0, c1).unwrap();
                s.read_into(c0, c1, &mut reused).unwrap();
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&reused), bits(&got));
                for j in 0..c1 - c0 {
                    for r in 0..n {
                        let want = mixed(r, c0 + j).to_bits();
                        assert_eq!(
                            got[j * n + r].to_bits(),
                            want,
                            "bound {bound} c {} r {r}",
                            c0 + j
                        );
                    }
                }
            }
        }
    }

    /// A chunk whose columns are mostly the same in every row takes the memory of the others: one
    /// chunk of 10,485 rows (16 MiB / 1,600 bytes) of 200 columns is 16.8 MB in full; with all but
    /// the 66 columns c ≡ 2 (mod 3) the same in every row it holds 66 × 10,485 + 134 values,
    /// 5.5 MB, so a 6 MB bound keeps it in memory, and spills it when every column varies.
    #[test]
    fn a_chunk_of_columns_kept_once_fits_a_bound_its_full_rows_would_not() {
        let dir = tempfile::tempdir().unwrap();
        for (others_vary, spills) in [(false, false), (true, true)] {
            let mut s = ColumnStore::new(200, dir.path(), 6_000_000);
            for r in 0..10_485 {
                let row: Vec<f64> = (0..200)
                    .map(|c| {
                        if c % 3 == 2 || others_vary {
                            (r * 1000 + c) as f64
                        } else {
                            7.0
                        }
                    })
                    .collect();
                s.push(&row).unwrap();
            }
            s.seal().unwrap();
            assert_eq!(s.spilled(), spills);
        }
    }
}
