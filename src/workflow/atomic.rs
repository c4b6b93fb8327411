//! Atomic output directories. A command writes into a fresh temporary directory beside its
//! target (`.NAME.tmp-PID-N` in the same parent) and renames it into place only when it is
//! complete; a target that already exists is first renamed aside (`.NAME.old-PID-N`) and removed
//! after the swap, so a run killed at any moment leaves the previous complete directory or the
//! new complete one, never a mix. A lock file `NAME.lock` beside the target (created with
//! `O_EXCL`, holding the writer's process id) stops two runs on one target from interleaving; a
//! lock whose process is gone (Linux: no `/proc/PID`) is stale and taken over, with the
//! leftovers of the killed run.
//!
//! It is separate because every command that writes a directory (run, shard, merge, batch,
//! sweep, chart) shares the same checks, done before any simulation: every path problem found
//! here is bad input (exit code 2) and leaves nothing behind.

use super::error::{input_error, Error};
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The longest file name most file systems take (Linux `NAME_MAX`).
const NAME_MAX: usize = 255;

/// Counter that keeps the temporary names of one process distinct.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// A directory being written: files go into [`Staging::path`]; [`Staging::commit`] puts it in
/// place of the target. Dropped without a commit, it removes what it wrote and its lock.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    tmp: PathBuf,
    prefix: String,
    created: Vec<PathBuf>,
    done: bool,
    lock: Option<Lock>,
}

/// The lock file of a target, removed when dropped.
#[derive(Debug)]
struct Lock(PathBuf);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

impl Staging {
    /// Checks `target` can be written, takes its lock and creates the temporary directory.
    ///
    /// # Errors
    /// Bad input (nothing left behind) when the target is not a usable directory name, a file
    /// is in its place, its parent cannot be created or written, the name is too long, or
    /// another run holds the lock.
    pub fn begin(target: &Path) -> Result<Staging, Error> {
        let (parent, name) = split(target)?;
        if let Ok(m) = fs::symlink_metadata(target) {
            if !m.is_dir() {
                return Err(input_error(&format!(
                    "{}: a file is in the place of the output directory; give another --out or remove the file",
                    target.display()
                )));
            }
        }
        let created = create_parents(&parent).map_err(|e| {
            input_error(&format!(
                "{}: cannot create the output's parent directory: {e}",
                parent.display()
            ))
        })?;
        let mut undo = Undo(created);
        let prefix = sibling_prefix(&name);
        let lock = take_lock(&parent, &name, &prefix, target)?;
        clean_leftovers(&parent, &prefix, target);
        let tmp = parent.join(format!(
            "{prefix}.tmp-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir(&tmp).map_err(|e| {
            input_error(&format!(
                "{}: cannot write the output directory here: {e}",
                target.display()
            ))
        })?;
        Ok(Staging {
            target: target.to_path_buf(),
            tmp,
            prefix,
            created: std::mem::take(&mut undo.0),
            done: false,
            lock: Some(lock),
        })
    }

    /// The temporary directory to write into.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// The final directory.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Puts the finished directory in place of the target, replacing any previous one whole.
    ///
    /// # Errors
    /// When a rename fails (the previous directory is then put back).
    pub fn commit(mut self) -> Result<(), Error> {
        let parent = self.tmp.parent().map(Path::to_path_buf).unwrap_or_default();
        if fs::symlink_metadata(&self.target).is_ok() {
            let old = parent.join(format!(
                "{}.old-{}-{}",
                self.prefix,
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            fs::rename(&self.target, &old).with_context(|| {
                format!("cannot move the previous {} aside", self.target.display())
            })?;
            if let Err(e) = fs::rename(&self.tmp, &self.target) {
                let _ = fs::rename(&old, &self.target);
                return Err(anyhow::Error::from(e)
                    .context(format!("cannot put {} in place", self.target.display()))
                    .into());
            }
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&self.tmp, &self.target)
                .with_context(|| format!("cannot put {} in place", self.target.display()))?;
        }
        self.done = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.tmp);
            // The lock first: it is in the parent that may go.
            drop(self.lock.take());
            drop(Undo(std::mem::take(&mut self.created)));
        }
    }
}

/// Parent directories created for an output, removed again (when still empty) on failure.
struct Undo(Vec<PathBuf>);

impl Drop for Undo {
    fn drop(&mut self) {
        for d in self.0.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
}

/// The parent (`.` when none) and file name of a target.
fn split(target: &Path) -> Result<(PathBuf, String), Error> {
    let name = match target.file_name() {
        Some(n) if !target.as_os_str().is_empty() => n.to_string_lossy().into_owned(),
        _ => {
            return Err(input_error(&format!(
                "--out '{}': give a directory name (not `.`, `..` or a root); it is replaced whole",
                target.display()
            )))
        }
    };
    if name.len() > NAME_MAX {
        return Err(input_error(&format!(
            "{}: the name is {} bytes long, more than the {NAME_MAX} a directory name may have (File name too long); give a shorter --out",
            target.display(),
            name.len()
        )));
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// Creates `dir` and its missing ancestors; returns the ones created, outermost first.
fn create_parents(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.as_os_str().is_empty() || fs::symlink_metadata(d).is_ok() {
            break;
        }
        missing.push(d.to_path_buf());
        at = d.parent();
    }
    missing.reverse();
    let mut created = Vec::new();
    for d in missing {
        if let Err(e) = fs::create_dir(&d) {
            drop(Undo(created));
            return Err(e);
        }
        created.push(d);
    }
    if !fs::metadata(dir)?.is_dir() {
        drop(Undo(created));
        return Err(std::io::Error::other("not a directory"));
    }
    Ok(created)
}

/// `.NAME`, or `.icbsim-HASH` when the name is too long to take a suffix.
fn sibling_prefix(name: &str) -> String {
    if name.len() + 40 <= NAME_MAX {
        format!(".{name}")
    } else {
        let h = Sha256::digest(name.as_bytes());
        format!(".icbsim-{}", hex(&h[..8]))
    }
}

/// Lower-case hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether process `pid` is running (assumed so where `/proc` cannot tell).
fn alive(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// Creates the lock file beside the target, taking over a stale one.
fn take_lock(parent: &Path, name: &str, prefix: &str, target: &Path) -> Result<Lock, Error> {
    let file = if name.len() + 5 <= NAME_MAX {
        format!("{name}.lock")
    } else {
        format!("{prefix}.lock")
    };
    let path = parent.join(file);
    for _ in 0..2 {
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                let _ = writeln!(f, "{}", std::process::id());
                return Ok(Lock(path));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let pid = fs::read_to_string(&path)
                    .ok()
                    .and_then(|t| t.trim().parse::<u32>().ok());
                match pid {
                    Some(p) if !alive(p) => {
                        let _ = fs::remove_file(&path);
                    }
                    _ => {
                        return Err(input_error(&format!(
                            "{}: another icbsim run{} is writing {}; wait for it to finish, or, if no icbsim is running, delete {} and run again",
                            path.display(),
                            pid.map_or(String::new(), |p| format!(" (process {p})")),
                            target.display(),
                            path.display()
                        )))
                    }
                }
            }
            Err(e) => {
                return Err(input_error(&format!(
                    "{}: cannot write the output directory here ({}: {e})",
                    target.display(),
                    path.display()
                )))
            }
        }
    }
    Err(input_error(&format!(
        "{}: cannot take the lock; delete it if no icbsim is running",
        path.display()
    )))
}

/// Removes the temporary directories of killed runs on this target; if a killed run left the
/// target renamed aside and not replaced, puts it back.
fn clean_leftovers(parent: &Path, prefix: &str, target: &Path) {
    let Ok(rd) = fs::read_dir(parent) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let n = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = n.strip_prefix(prefix) else {
            continue;
        };
        let (kind, tail) = match rest.split_once('-') {
            Some((k @ (".tmp" | ".old"), t)) => (k, t),
            _ => continue,
        };
        let pid = tail.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_none_or(alive) {
            continue;
        }
        if kind == ".old" && fs::symlink_metadata(target).is_err() {
            let _ = fs::rename(e.path(), target);
        } else {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Redraws the `charts/` of the run directory `dir` atomically: `draw` renders into a
/// temporary copy of the run's files beside it, and the new `charts/` replaces the old whole
/// (so stale charts go). Holds the lock of `dir` meanwhile.
///
/// # Errors
/// Bad input when the lock is held or the directory cannot be written; what `draw` returns.
pub fn redraw_charts<T>(
    dir: &Path,
    draw: impl FnOnce(&Path) -> Result<T, Error>,
) -> Result<T, Error> {
    let staging = Staging::begin(dir)?;
    for e in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let e = e.with_context(|| format!("cannot read {}", dir.display()))?;
        if e.file_type().is_ok_and(|t| t.is_file()) {
            let to = staging.path().join(e.file_name());
            if fs::hard_link(e.path(), &to).is_err() {
                fs::copy(e.path(), &to)
                    .with_context(|| format!("cannot copy {}", e.path().display()))?;
            }
        }
    }
    let out = draw(staging.path())?;
    let new = staging.path().join("charts");
    let charts = dir.join("charts");
    let old = dir.join(format!(
        ".charts.old-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let had = fs::symlink_metadata(&charts).is_ok();
    if had {
        fs::rename(&charts, &old)
            .with_context(|| format!("cannot move {} aside", charts.display()))?;
    }
    if let Err(e) = fs::rename(&new, &charts) {
        if had {
            let _ = fs::rename(&old, &charts);
        }
        return Err(anyhow::Error::from(e)
            .context(format!("cannot put {} in place", charts.display()))
            .into());
    }
    if had {
        let _ = fs::remove_dir_all(&old);
    }
    drop(staging);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committed_directory_replaces_the_old_one_whole() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("stale.txt"), "old").unwrap();
        let s = Staging::begin(&out).unwrap();
        assert!(d.path().join("out.lock").is_file());
        fs::write(s.path().join("new.txt"), "new").unwrap();
        s.commit().unwrap();
        let names: Vec<_> = fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["out"]);
        assert!(out.join("new.txt").is_file() && !out.join("stale.txt").exists());
    }

    #[test]
    fn a_dropped_staging_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("a/b/out");
        let s = Staging::begin(&out).unwrap();
        fs::write(s.path().join("x"), "x").unwrap();
        drop(s);
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let _first = Staging::begin(&out).unwrap();
        let msg = Staging::begin(&out).unwrap_err().to_string();
        assert!(msg.contains("out.lock") && msg.contains("delete"), "{msg}");
    }

    #[test]
    fn a_stale_lock_and_a_killed_runs_leftovers_are_cleared() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        // Process ids above the kernel's maximum (2^22) are never running.
        fs::write(d.path().join("out.lock"), "99999999\n").unwrap();
        fs::create_dir(d.path().join(".out.tmp-99999999-0")).unwrap();
        fs::create_dir(d.path().join(".out.old-99999999-1")).unwrap();
        let s = Staging::begin(&out).unwrap();
        // The killed run had moved the previous output aside: it is put back.
        assert!(out.is_dir());
        assert!(!d.path().join(".out.tmp-99999999-0").exists());
        s.commit().unwrap();
    }

    #[test]
    fn a_file_in_place_and_bad_names_are_bad_input() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("f");
        fs::write(&f, "x").unwrap();
        for bad in [f.clone(), f.join("sub"), d.path().join("x".repeat(300))] {
            let e = Staging::begin(&bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{}", bad.display());
        }
        assert_eq!(Staging::begin(Path::new("..")).unwrap_err().exit_code(), 2);
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
    }
}
