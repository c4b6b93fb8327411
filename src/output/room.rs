//! Room on disk for a run. A run of a set number of iterations writes `iterations.csv` (about
//! 34 KB an iteration for the national default) and spills the columns kept for exact statistics
//! beyond their in-memory bound (at most 25 KB an iteration): a million iterations take up to 60
//! GB. The spill is projected at full width, an upper bound: a chunk keeps a column that is the
//! same in all its rows once (see [`super::store`]), which halves the monthly columns of a national
//! run. After its first block a run projects what it will still write and stops at once, with a
//! clear error and nothing left behind, when the file system holding its results has less free
//! space than that, instead of failing with a full disk half an hour later.

use std::path::Path;

/// Free bytes on the file system holding `dir`: `ICBSIM_DISK_FREE_MB` (mebibytes) when set to a
/// whole number, which tests use and which can keep a margin for other files (another value is
/// ignored, like `ICBSIM_SPILL_MB`'s); else what the system reports for an unprivileged writer
/// (`statvfs`); `None` where neither is known (the run goes ahead).
pub fn free_bytes(dir: &Path) -> Option<u64> {
    let set = std::env::var("ICBSIM_DISK_FREE_MB").ok();
    match set.and_then(|mb| mb.trim().parse::<u64>().ok()) {
        Some(mb) => Some(mb.saturating_mul(1 << 20)),
        None => system_free_bytes(dir),
    }
}

#[cfg(unix)]
fn system_free_bytes(dir: &Path) -> Option<u64> {
    let s = rustix::fs::statvfs(dir).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}

#[cfg(not(unix))]
fn system_free_bytes(_dir: &Path) -> Option<u64> {
    None
}

/// The folder to name for a run writing into `dir`: the parent of the staging folder it is in
/// (`.NAME.tmp-PID-N`, see `workflow::atomic`), where the results will go; else `dir`'s parent.
pub fn shown(dir: &Path) -> &Path {
    let staging = dir.ancestors().find(|a| {
        a.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') && n.contains(".tmp-"))
    });
    staging.unwrap_or(dir).parent().unwrap_or(dir)
}

/// What a run will still write, projected from its first iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    /// The rest of `iterations.csv`, bytes.
    pub csv: u64,
    /// Columns spilled beyond their in-memory bounds, bytes: at most (every column at full width).
    pub spill: u64,
}

impl Need {
    /// The run of `expected` iterations that has written `csv_so_far` bytes of rows for its first
    /// `done`, keeping columns in stores of the given `(width, bound)`: `width` values of 8 bytes
    /// an iteration, the first `bound` bytes in memory.
    pub fn project(done: u64, expected: u64, csv_so_far: u64, stores: &[(usize, usize)]) -> Need {
        let per_iteration = csv_so_far as f64 / done.max(1) as f64;
        let csv = (per_iteration * expected as f64) as u64;
        let spill = stores
            .iter()
            .map(|&(width, bound)| {
                let bytes = (width as u64).saturating_mul(8).saturating_mul(expected);
                bytes.saturating_sub(bound as u64)
            })
            .sum();
        Need {
            csv: csv.saturating_sub(csv_so_far),
            spill,
        }
    }

    /// Everything still to write.
    pub fn total(self) -> u64 {
        self.csv.saturating_add(self.spill)
    }

    /// Whether `free` bytes leave room for it, with 2% and 64 MiB to spare for the other files
    /// and the projection's error.
    pub fn fits(self, free: u64) -> bool {
        let margin = self.total() / 50 + (64 << 20);
        self.total().saturating_add(margin) <= free
    }
}

/// Bytes in decimal units as a reader of a disk's size expects them: `61.2 GB`, `850 MB`.
pub fn bytes(n: u64) -> String {
    let x = n as f64;
    if x >= 1e9 {
        format!("{:.1} GB", x / 1e9)
    } else if x >= 1e6 {
        format!("{:.0} MB", x / 1e6)
    } else {
        format!("{:.0} KB", (x / 1e3).ceil())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_million_iterations_need_the_rest_of_the_csv_and_the_spill() {
        // 512 iterations wrote 17.5 MB of rows (34,180 bytes each); a store of 700 columns
        // (5,600 bytes an iteration) over a 256 MiB bound and one of 2,500 (20,000 bytes).
        let (done, n, so_far) = (512, 1_000_000, 512 * 34_180);
        let stores = [(700, 256 << 20), (2_500, 256 << 20)];
        let need = Need::project(done, n, so_far, &stores);
        assert_eq!(need.csv, 34_180 * (n - done));
        let bound = 256u64 << 20;
        assert_eq!(need.spill, (5_600 * n - bound) + (20_000 * n - bound));
        // 25.6 GB less 2 × 268 MB of spill, 34.2 GB of rows: 59.2 GB.
        assert_eq!(bytes(need.total()), "59.2 GB");
        assert!(!need.fits(50_000_000_000));
        assert!(need.fits(61_000_000_000));
    }

    #[test]
    fn a_small_run_spills_nothing_and_fits_beside_the_margin() {
        let need = Need::project(64, 1_000, 64 * 1_000, &[(100, 256 << 20)]);
        assert_eq!(
            need,
            Need {
                csv: 936_000,
                spill: 0
            }
        );
        // 0.94 MB to write and 64 MiB (67.1 MB) to spare.
        assert!(need.fits(69_000_000));
        assert!(!need.fits(67_000_000));
    }

    #[test]
    fn the_folder_named_is_where_the_results_go() {
        assert_eq!(shown(Path::new("/data/.r.tmp-12-0")), Path::new("/data"));
        assert_eq!(
            shown(Path::new("/data/.set.tmp-12-0/north")),
            Path::new("/data")
        );
        assert_eq!(shown(Path::new("/data/out")), Path::new("/data"));
    }

    #[test]
    fn sizes_read_in_decimal_units() {
        assert_eq!(bytes(61_234_000_000), "61.2 GB");
        assert_eq!(bytes(850_400_000), "850 MB");
        assert_eq!(bytes(1_500), "2 KB");
    }
}
