//! Shard directories: the raw per-iteration results of part of a run (`icbsim run --shard K/N`),
//! from which `icbsim merge` rebuilds every output of the full run exactly.
//!
//! A shard directory holds `shard.json` (what was run: scenario, overrides, seed, iterations, the
//! run's identity, the range, the shape of each record and the SHA-256 of `shard.bin`) and
//! `shard.bin`: for each iteration in order, its index
//! as a little-endian u64, then its input values and, for each organisation and the total, its
//! scalars, monthly series and financial-year figures, all as little-endian f64 bits. Bits, not
//! decimals, so every float (NaN included) round-trips exactly and the merged outputs are
//! byte-identical to a single run's. Reading checks the SHA-256 and refuses a record holding an
//! infinity or a number beyond ±1e18 (no result of the model comes near), naming the shard and
//! the iteration. NaN is the model's "never" in scalar results (e.g. payback not reached), so it
//! is accepted there and nowhere else.

use crate::engine::IterationOutput;
use crate::metric::{Metric, Scalars, YearMetric};
use crate::model::results::OrgResult;
use crate::output::sink::{sketch_block, sketch_count};
use crate::scenario::Scenario;
use crate::stats::Sketch;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The format tag written in every shard manifest.
pub const FORMAT: &str = "icbsim-shard-3";
/// The largest magnitude a stored value may have.
pub const ABSURD: f64 = 1e18;
/// File name of the manifest.
pub const MANIFEST: &str = "shard.json";
/// File name of the data.
pub const DATA: &str = "shard.bin";
/// File name of a sketched shard's series sketches.
pub const SERIES: &str = "series.bin";
/// `series` of a shard whose records hold every monthly and yearly value.
pub const EXACT: &str = "exact";
/// `series` of a shard whose monthly and yearly values are sketched in [`SERIES`].
pub const SKETCHED: &str = "sketched";

/// What a shard holds and how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardManifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// icbsim version that wrote it.
    pub icbsim_version: String,
    /// Scenario file as given on the command line; `None` for the embedded default.
    pub scenario_file: Option<String>,
    /// The same file as an absolute path, tried when `scenario_file` is not found from the
    /// merging directory.
    pub scenario_path: Option<String>,
    /// SHA-256 of the scenario text plus overrides.
    pub scenario_sha256: String,
    /// `--set` overrides, in order, then a `--sampling` choice as `scenario.sampling="…"`.
    pub overrides: Vec<String>,
    /// Sampling method (`random` or `lhs`).
    pub sampling: String,
    /// SHA-256 of the staff records the run used (read from staff files or generated).
    pub staff_sha256: String,
    /// The run's identity (`workflow::identity::run_id`): the same in every shard of one
    /// run and in the merged run's manifest.
    pub run_id: String,
    /// `--seed` as given (it also seeds synthetic workforces), if any.
    pub seed_option: Option<u64>,
    /// Effective seed.
    pub seed: u64,
    /// Iterations of the full run.
    pub iterations: u64,
    /// This shard's K of `--shard K/N`.
    pub shard: u64,
    /// N of `--shard K/N`.
    pub shards: u64,
    /// First iteration held.
    pub start: u64,
    /// One past the last iteration held.
    pub end: u64,
    /// Input values per iteration.
    pub n_values: usize,
    /// Organisations per iteration, the total included.
    pub n_orgs: usize,
    /// Scalars per organisation.
    pub n_scalars: usize,
    /// Monthly series per organisation.
    pub n_series: usize,
    /// Months per series.
    pub months: usize,
    /// Financial years per organisation (4 figures each).
    pub years: usize,
    /// SHA-256 of `shard.bin` (set by [`ShardWriter::finish`]).
    pub data_sha256: String,
    /// [`EXACT`]: each record holds its monthly and yearly values (a run of up to
    /// [`crate::output::SERIES_EXACT_UP_TO`] iterations); [`SKETCHED`]: records hold inputs and
    /// scalars only, and `series.bin` the shard's sketches of the series, so a shard of a long run
    /// grows by its scalars only.
    pub series: String,
    /// SHA-256 of `series.bin` (empty when exact).
    pub series_sha256: String,
}

impl ShardManifest {
    /// f64 values in one iteration's record, after its index.
    fn floats_per_record(&self) -> usize {
        let series = if self.sketched() {
            0
        } else {
            self.n_series * self.months + YearMetric::COUNT * self.years
        };
        self.n_values + self.n_orgs * (self.n_scalars + series)
    }

    /// Whether the records leave out the series (kept as sketches in [`SERIES`]).
    pub fn sketched(&self) -> bool {
        self.series == SKETCHED
    }

    /// Bytes in one iteration's record.
    pub fn record_bytes(&self) -> usize {
        8 + 8 * self.floats_per_record()
    }
}

/// Why a shard directory cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// The manifest is missing or unreadable.
    #[error(
        "{path}: cannot read ({source}); is this a directory written by `icbsim run --shard K/N`?"
    )]
    Read {
        /// File.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The manifest is not valid.
    #[error("{path}: not a shard manifest: {message}")]
    Manifest {
        /// File.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The data does not match the manifest.
    #[error("{path}: {message}; the shard is incomplete or damaged, run it again")]
    Data {
        /// File.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// The record shape of `results` (all iterations share it); zeros when empty.
pub fn shape(results: &[IterationOutput]) -> (usize, usize, usize, usize, usize, usize) {
    let Some(r) = results.first() else {
        return (0, 0, 0, 0, 0, 0);
    };
    let o = r.orgs.first();
    (
        r.values.len(),
        r.orgs.len(),
        o.map_or(0, |o| o.scalars.len()),
        o.map_or(0, |o| o.series.len()),
        o.and_then(|o| o.series.first()).map_or(0, Vec::len),
        o.map_or(0, |o| o.by_year.len()),
    )
}

/// A writer that hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Lower-case hexadecimal SHA-256 of `bytes`.
fn sha256_hex(hash: Sha256) -> String {
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// `shard.bin` being written as blocks of iterations arrive, hashed as it goes; for a sketched
/// shard, with the series sketched as they arrive.
pub struct ShardWriter<'a> {
    path: PathBuf,
    w: Hashing<BufWriter<std::fs::File>>,
    shape: Option<(usize, usize, usize, usize, usize, usize)>,
    /// The scenario and its sketches, when the series are sketched.
    sketch: Option<(&'a Scenario, Vec<Sketch>)>,
}

impl<'a> ShardWriter<'a> {
    /// Creates `dir/shard.bin` (`dir` must exist); `sketch_for` is the scenario when the series
    /// are to be sketched (the full run is above [`crate::output::SERIES_EXACT_UP_TO`]).
    ///
    /// # Errors
    /// When the file cannot be created (the message names it).
    pub fn create(dir: &Path, sketch_for: Option<&'a Scenario>) -> anyhow::Result<ShardWriter<'a>> {
        use anyhow::Context;
        let path = dir.join(DATA);
        let file = std::fs::File::create(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(ShardWriter {
            path,
            w: Hashing {
                inner: BufWriter::with_capacity(1 << 20, file),
                hash: Sha256::new(),
            },
            shape: None,
            sketch: sketch_for.map(|sc| (sc, vec![Sketch::new(); sketch_count(sc)])),
        })
    }

    /// Appends the records of `results` (the next iterations, in order).
    ///
    /// # Errors
    /// When the file cannot be written (the message names it).
    pub fn write(&mut self, results: &[IterationOutput]) -> anyhow::Result<()> {
        use anyhow::Context;
        if self.shape.is_none() && !results.is_empty() {
            self.shape = Some(shape(results));
        }
        let with_series = self.sketch.is_none();
        let mut bytes = Vec::new();
        for r in results {
            bytes.clear();
            bytes.extend_from_slice(&r.index.to_le_bytes());
            for x in record_floats(r, with_series) {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
            self.w
                .write_all(&bytes)
                .with_context(|| format!("cannot write {}", self.path.display()))?;
        }
        if let Some((sc, sketches)) = &mut self.sketch {
            sketch_block(sc, sketches, results);
        }
        Ok(())
    }

    /// Flushes `shard.bin` and writes `shard.json` beside it (and `series.bin` when sketched):
    /// `manifest` with the record shape seen and the files' SHA-256 set.
    ///
    /// # Errors
    /// When a file cannot be written (the message names it).
    pub fn finish(mut self, manifest: &ShardManifest) -> anyhow::Result<()> {
        use anyhow::Context;
        self.w
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        let mut manifest = manifest.clone();
        let (n_values, n_orgs, n_scalars, n_series, months, years) = self.shape.unwrap_or_default();
        manifest.n_values = n_values;
        manifest.n_orgs = n_orgs;
        manifest.n_scalars = n_scalars;
        manifest.n_series = n_series;
        manifest.months = months;
        manifest.years = years;
        manifest.data_sha256 = sha256_hex(self.w.hash);
        manifest.series = EXACT.to_string();
        manifest.series_sha256 = String::new();
        if let Some((_, sketches)) = &self.sketch {
            let mut bytes = Vec::new();
            for sk in sketches {
                sk.write(&mut bytes);
            }
            let path = self.path.with_file_name(SERIES);
            std::fs::write(&path, &bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut h = Sha256::new();
            h.update(&bytes);
            manifest.series = SKETCHED.to_string();
            manifest.series_sha256 = sha256_hex(h);
        }
        let path = self.path.with_file_name(MANIFEST);
        let mut text = serde_json::to_string_pretty(&manifest)?;
        text.push('\n');
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

/// Reads the sketches of a sketched shard's series (`series.bin`), checking its SHA-256.
///
/// # Errors
/// When the file is unreadable, its SHA-256 does not match the manifest, or it does not hold
/// whole sketches.
pub fn read_sketches(dir: &Path, m: &ShardManifest) -> Result<Vec<Sketch>, ShardError> {
    let path = dir.join(SERIES);
    let bytes = std::fs::read(&path).map_err(|source| ShardError::Read {
        path: path.clone(),
        source,
    })?;
    let mut h = Sha256::new();
    h.update(&bytes);
    let sha = sha256_hex(h);
    if sha != m.series_sha256 {
        return Err(ShardError::Data {
            path,
            message: format!(
                "SHA-256 {sha}, but {MANIFEST} records {}: the file has changed since the shard was written",
                m.series_sha256
            ),
        });
    }
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let Some((sk, k)) = Sketch::read(&bytes[at..]) else {
            return Err(ShardError::Data {
                path,
                message: format!("sketch {} is cut short or malformed", out.len()),
            });
        };
        out.push(sk);
        at += k;
    }
    Ok(out)
}

/// The floats of a record: inputs, then each organisation's scalars and (`with_series`) its
/// series and years.
fn record_floats(r: &IterationOutput, with_series: bool) -> impl Iterator<Item = f64> + '_ {
    r.values
        .iter()
        .copied()
        .chain(r.orgs.iter().flat_map(move |o| {
            let (series, years) = if with_series {
                (&o.series[..], &o.by_year[..])
            } else {
                (&[][..], &[][..])
            };
            o.scalars
                .iter()
                .copied()
                .chain(series.iter().flatten().copied())
                .chain(years.iter().flatten().copied())
        }))
}

/// Reads a shard's manifest.
///
/// # Errors
/// When `shard.json` is missing, unreadable or not a shard manifest.
pub fn read_manifest(dir: &Path) -> Result<ShardManifest, ShardError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|source| ShardError::Read {
        path: path.clone(),
        source,
    })?;
    let m: ShardManifest = serde_json::from_str(&text).map_err(|e| ShardError::Manifest {
        path: path.clone(),
        message: e.to_string(),
    })?;
    if m.format != FORMAT {
        return Err(ShardError::Manifest {
            path,
            message: format!("format '{}', expected '{FORMAT}'", m.format),
        });
    }
    if m.end > m.start && m.n_scalars != Metric::COUNT {
        return Err(ShardError::Manifest {
            path,
            message: format!(
                "{} scalar results per record, this version writes {}: the shard comes from another icbsim version",
                m.n_scalars,
                Metric::COUNT
            ),
        });
    }
    if m.start > m.end || m.end > m.iterations {
        return Err(ShardError::Manifest {
            path,
            message: format!(
                "range {}..{} is not inside 0..{}",
                m.start, m.end, m.iterations
            ),
        });
    }
    Ok(m)
}

/// Why [`read_blocks`] stopped: the shard is unreadable or damaged, or the consumer failed.
#[derive(Debug)]
pub enum ReadError {
    /// The shard (bad input).
    Shard(ShardError),
    /// What the consumer returned.
    Consumer(anyhow::Error),
}

/// Iterations handed to [`read_blocks`]' consumer at a time.
const READ_BLOCK: usize = 64;

/// Reads the iterations of a shard whose manifest is `m`, handing them to `consume` in blocks,
/// in order, so that a shard of any size is read in bounded memory. The whole file's SHA-256 and
/// length are checked first (one pass that holds 8 MiB at a time), then each record as it is
/// decoded.
///
/// # Errors
/// When `shard.bin` is unreadable, its SHA-256 or length does not match the manifest, or a
/// record is not `m.start..m.end` in order or holds an implausible value; or the consumer's
/// error.
pub fn read_blocks(
    dir: &Path,
    m: &ShardManifest,
    consume: &mut dyn FnMut(&[IterationOutput]) -> anyhow::Result<()>,
) -> Result<(), ReadError> {
    use std::io::Read;
    let path = dir.join(DATA);
    let read_err = |source| {
        ReadError::Shard(ShardError::Read {
            path: path.clone(),
            source,
        })
    };
    let data_err = |message: String| {
        ReadError::Shard(ShardError::Data {
            path: path.clone(),
            message,
        })
    };
    let open = || std::fs::File::open(&path).map_err(read_err);
    let mut file = std::io::BufReader::with_capacity(8 << 20, open()?);
    let mut h = Sha256::new();
    let mut len = 0u64;
    let mut buf = vec![0u8; 8 << 20];
    loop {
        let k = file.read(&mut buf).map_err(read_err)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        len += k as u64;
    }
    let sha = sha256_hex(h);
    if sha != m.data_sha256 {
        return Err(data_err(format!(
            "SHA-256 {sha}, but {MANIFEST} records {}: the file has changed since the shard was written",
            m.data_sha256
        )));
    }
    let n = m.end - m.start;
    let rec = m.record_bytes();
    if len != n.saturating_mul(rec as u64) {
        return Err(data_err(format!(
            "{len} bytes, expected {n} iterations × {rec} bytes"
        )));
    }
    let mut file = std::io::BufReader::with_capacity(8 << 20, open()?);
    let mut chunk = vec![0u8; rec];
    let mut block = Vec::with_capacity(READ_BLOCK);
    for k in 0..n {
        file.read_exact(&mut chunk).map_err(read_err)?;
        let r = decode(&chunk, m, m.start + k).map_err(data_err)?;
        block.push(r);
        if block.len() == READ_BLOCK || k + 1 == n {
            consume(&block).map_err(ReadError::Consumer)?;
            block.clear();
        }
    }
    Ok(())
}

/// Decodes record `k`'s bytes, which must hold iteration `expected`.
fn decode(chunk: &[u8], m: &ShardManifest, expected: u64) -> Result<IterationOutput, String> {
    let word = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&chunk[8 * i..8 * i + 8]);
        b
    };
    let index = u64::from_le_bytes(word(0));
    if index != expected {
        return Err(format!(
            "record {} holds iteration {index}, expected {expected}",
            expected - m.start
        ));
    }
    let mut floats = (1..).map(|i| f64::from_le_bytes(word(i)));
    let mut take = |len: usize| floats.by_ref().take(len).collect::<Vec<f64>>();
    let values = take(m.n_values);
    let (n_series, years) = if m.sketched() {
        (0, 0)
    } else {
        (m.n_series, m.years)
    };
    let orgs = (0..m.n_orgs)
        .map(|_| OrgResult {
            scalars: Scalars::from_slice(&take(m.n_scalars)).unwrap_or_default(),
            series: (0..n_series).map(|_| take(m.months)).collect(),
            by_year: (0..years)
                .map(|_| {
                    let y = take(YearMetric::COUNT);
                    std::array::from_fn(|k| y[k])
                })
                .collect(),
        })
        .collect();
    let r = IterationOutput {
        index,
        values,
        orgs,
    };
    match implausible(&r) {
        Some(why) => Err(format!("iteration {index}: {why}")),
        None => Ok(r),
    }
}

/// Why a record cannot be a result of the model, if it cannot: an infinity or a number beyond
/// ±[`ABSURD`] anywhere, or NaN outside the scalar results.
fn implausible(r: &IterationOutput) -> Option<String> {
    let bad = |x: f64, nan_ok: bool| {
        if x.is_nan() {
            !nan_ok
        } else {
            !x.is_finite() || x.abs() > ABSURD
        }
    };
    let say = |what: &str, x: f64| Some(format!("{what} holds {x}, not a number within ±1e18"));
    if let Some(x) = r.values.iter().find(|&&x| bad(x, false)) {
        return say("an input value", *x);
    }
    for o in &r.orgs {
        if let Some(x) = o.scalars.0.iter().find(|&&x| bad(x, true)) {
            return say("a scalar result", *x);
        }
        if let Some(x) = o.series.iter().flatten().find(|&&x| bad(x, false)) {
            return say("a monthly series", *x);
        }
        if let Some(x) = o.by_year.iter().flatten().find(|&&x| bad(x, false)) {
            return say("a financial-year figure", *x);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `shard.bin` and `shard.json` (with the shape and `data_sha256` set) into `dir` (which
    /// must exist).
    ///
    /// # Errors
    /// When a file cannot be written (the message names it).
    fn write_shard(
        dir: &Path,
        manifest: &ShardManifest,
        results: &[IterationOutput],
    ) -> anyhow::Result<()> {
        let mut w = ShardWriter::create(dir, None)?;
        w.write(results)?;
        w.finish(manifest)
    }

    /// Reads every iteration of a shard whose manifest is `m` into memory ([`read_blocks`]).
    ///
    /// # Errors
    /// As [`read_blocks`].
    fn read_data(dir: &Path, m: &ShardManifest) -> Result<Vec<IterationOutput>, ShardError> {
        let mut out = Vec::new();
        let read = read_blocks(dir, m, &mut |b| {
            out.extend_from_slice(b);
            Ok(())
        });
        match read {
            Ok(()) => Ok(out),
            Err(ReadError::Shard(e)) => Err(e),
            Err(ReadError::Consumer(e)) => Err(ShardError::Data {
                path: dir.join(DATA),
                message: e.to_string(),
            }),
        }
    }

    fn sample(index: u64) -> IterationOutput {
        let org = |k: f64| OrgResult {
            scalars: {
                let mut s = Scalars::default();
                s.0[..4].copy_from_slice(&[k, f64::NAN, -0.0, 0.1 + 0.2]);
                s
            },
            series: vec![vec![1.0 / 3.0, k], vec![-1e18, 2.0]],
            by_year: vec![
                [1.0, 2.0, 3.0, k, 0.5, -1.0],
                [5.0, 6.0, 7.0, 8.5e-300, 0.0, 1.0],
            ],
        };
        IterationOutput {
            index,
            values: vec![index as f64 * 0.7, 1e-300],
            orgs: vec![org(1.5), org(index as f64)],
        }
    }

    fn manifest(results: &[IterationOutput]) -> ShardManifest {
        let (n_values, n_orgs, n_scalars, n_series, months, years) = shape(results);
        ShardManifest {
            format: FORMAT.into(),
            icbsim_version: "test".into(),
            scenario_file: Some("s.toml".into()),
            scenario_path: None,
            scenario_sha256: "abc".into(),
            overrides: vec![],
            sampling: "random".into(),
            staff_sha256: "def".into(),
            run_id: "123".into(),
            seed_option: None,
            seed: 1,
            iterations: 10,
            shard: 1,
            shards: 3,
            start: 3,
            end: 6,
            n_values,
            n_orgs,
            n_scalars,
            n_series,
            months,
            years,
            data_sha256: String::new(),
            series: EXACT.into(),
            series_sha256: String::new(),
        }
    }

    #[test]
    fn shard_round_trips_every_bit() {
        let results: Vec<_> = (3..6).map(sample).collect();
        let m = manifest(&results);
        let dir = tempfile::tempdir().unwrap();
        write_shard(dir.path(), &m, &results).unwrap();
        let back_m = read_manifest(dir.path()).unwrap();
        assert_eq!(back_m.data_sha256.len(), 64);
        assert_eq!(
            ShardManifest {
                data_sha256: String::new(),
                ..back_m.clone()
            },
            m
        );
        let m = back_m;
        let back = read_data(dir.path(), &m).unwrap();
        assert_eq!(back.len(), 3);
        for (a, b) in results.iter().zip(&back) {
            assert_eq!(a.index, b.index);
            let bits = |r: &IterationOutput| -> Vec<u64> {
                record_floats(r, true).map(f64::to_bits).collect()
            };
            assert_eq!(bits(a), bits(b));
        }
        // A truncated data file is refused.
        let data = dir.path().join(DATA);
        let bytes = std::fs::read(&data).unwrap();
        std::fs::write(&data, &bytes[..bytes.len() - 8]).unwrap();
        assert!(matches!(
            read_data(dir.path(), &m),
            Err(ShardError::Data { .. })
        ));
    }

    #[test]
    fn a_flipped_bit_is_caught_by_the_checksum() {
        let results: Vec<_> = (3..6).map(sample).collect();
        let dir = tempfile::tempdir().unwrap();
        write_shard(dir.path(), &manifest(&results), &results).unwrap();
        let m = read_manifest(dir.path()).unwrap();
        let data = dir.path().join(DATA);
        let mut bytes = std::fs::read(&data).unwrap();
        bytes[20] ^= 0x10;
        std::fs::write(&data, &bytes).unwrap();
        let e = read_data(dir.path(), &m).unwrap_err().to_string();
        assert!(e.contains("SHA-256") && e.contains("shard.bin"), "{e}");
    }

    #[test]
    fn infinities_and_absurd_numbers_are_refused_naming_the_iteration() {
        for bad in [f64::INFINITY, -2e18, f64::NAN] {
            let mut results: Vec<_> = (3..6).map(sample).collect();
            results[1].orgs[0].series[0][1] = bad;
            let dir = tempfile::tempdir().unwrap();
            write_shard(dir.path(), &manifest(&results), &results).unwrap();
            let m = read_manifest(dir.path()).unwrap();
            let e = read_data(dir.path(), &m).unwrap_err().to_string();
            assert!(e.contains("iteration 4: a monthly series holds"), "{e}");
        }
    }
}
