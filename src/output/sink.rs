//! The streaming collector of a run's results: iterations arrive in blocks, in iteration order,
//! and each block is written to `iterations.csv` at once and reduced to what the statistics need,
//! so memory does not grow with the iteration count beyond the bounds below.
//!
//! - **Scalars** (every metric of every organisation and the total, and every uncertain input's
//!   draw) go to a [`ColumnStore`]: kept exactly, in memory up to its bound and on disk beyond,
//!   so `summary.csv`, `sensitivity.csv`, the terminal table and `--fail-if` are exact at any
//!   iteration count.
//! - **Monthly series and financial-year figures** (`timeseries.csv`, `by_year.csv`) are kept
//!   exactly, in a second column store, up to [`SERIES_EXACT_UP_TO`] iterations; beyond it each
//!   (organisation, figure, month or year) is a [`Sketch`]: values within 0.78% of exact,
//!   and an exact mean.
//!
//! Everything here sees the iterations in order and the sketches do not depend on order, so the
//! bytes written do not depend on the thread count, the block size or a shard split.

use super::error::OutputError;
use super::iterations::IterationsCsv;
use super::room::{free_bytes, Need};
use super::store::{spill_bound, ColumnStore};
use super::tables::org_columns;
use crate::engine::{fiscal_years, BlockSink, Columns, IterationOutput};
use crate::metric::{Metric, Series, YearMetric};
use crate::scenario::Scenario;
use crate::stats::Sketch;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Runs of up to this many iterations keep every monthly and yearly value for exact
/// percentiles; longer runs sketch them (see the module documentation).
pub const SERIES_EXACT_UP_TO: u64 = 20_000;

/// The monthly and yearly values of the organisations of [`org_columns`]: each organisation's
/// [`Series::ALL`] × months, then [`YearMetric::ALL`] × years, one after another.
#[derive(Debug)]
pub enum SeriesValues {
    /// Every value, one column per (organisation, figure, month or year).
    Exact(ColumnStore),
    /// One sketch per column, in the same order.
    Sketched(Vec<Sketch>),
}

/// Columns of one organisation's series and years.
pub(super) fn series_width(sc: &Scenario) -> usize {
    Series::COUNT * sc.horizon as usize + YearMetric::COUNT * fiscal_years(sc).1.len()
}

/// Collects a run's iterations as they arrive (see the module documentation).
pub struct Sink<'a> {
    sc: &'a Scenario,
    iterations: IterationsCsv<'a>,
    collected: Collected<'a>,
    /// The run's iterations, when set in advance (0 for `--precision`).
    expected: u64,
    /// Whether the room on disk has been checked (after the first block).
    room_checked: bool,
}

/// What a [`Sink`] kept, for the statistics.
#[derive(Debug)]
pub struct Collected<'a> {
    pub(super) sc: &'a Scenario,
    /// Organisations (then the total) × [`Metric::ALL`], then the uncertain inputs.
    scalars: ColumnStore,
    pub(super) series: SeriesValues,
    /// Indices in `sc.inputs` of the uncertain inputs, in column order.
    inputs: Vec<usize>,
    dir: PathBuf,
    /// Series are kept exactly while the iterations kept are at most this many.
    exact_up_to: u64,
}

impl<'a> Sink<'a> {
    /// A sink for a run of `expected` iterations of `sc` writing into `dir` (created if need be).
    ///
    /// # Errors
    /// When `dir` or `iterations.csv` cannot be created.
    pub fn new(dir: &Path, sc: &'a Scenario, expected: u64) -> Result<Sink<'a>, OutputError> {
        Sink::with_exact_limit(dir, sc, expected, SERIES_EXACT_UP_TO)
    }

    /// [`Sink::new`] with the monthly and yearly values kept exactly only when `expected` is at
    /// most `exact_up_to` (runs use [`SERIES_EXACT_UP_TO`]; tests compare the two ways).
    ///
    /// # Errors
    /// When `dir` or `iterations.csv` cannot be created.
    pub fn with_exact_limit(
        dir: &Path,
        sc: &'a Scenario,
        expected: u64,
        exact_up_to: u64,
    ) -> Result<Sink<'a>, OutputError> {
        if let Err(cause) = std::fs::create_dir_all(dir) {
            return Err(OutputError::Create {
                path: dir.to_path_buf(),
                cause,
            });
        }
        let inputs: Vec<usize> = sc.uncertain_inputs().map(|(i, _)| i).collect();
        let bound = spill_bound();
        let scalars = ColumnStore::new(
            (sc.orgs.len() + 1) * Metric::COUNT + inputs.len(),
            dir,
            bound,
        );
        let width = org_columns(sc).len() * series_width(sc);
        let series = if expected <= exact_up_to {
            SeriesValues::Exact(ColumnStore::new(width, dir, bound))
        } else {
            SeriesValues::Sketched(vec![Sketch::new(); width])
        };
        Ok(Sink {
            sc,
            expected,
            room_checked: false,
            iterations: IterationsCsv::create(dir, sc)?,
            collected: Collected {
                sc,
                scalars,
                series,
                inputs,
                dir: dir.to_path_buf(),
                exact_up_to,
            },
        })
    }

    /// Takes the next block of iterations (in iteration order).
    ///
    /// # Errors
    /// When `iterations.csv` or the spill file cannot be written.
    pub fn push(&mut self, block: &[IterationOutput]) -> Result<(), OutputError> {
        let (iterations, collected) = (&mut self.iterations, &mut self.collected);
        let (csv, kept) = rayon::join(
            || iterations.write(block),
            || collected.keep(self.sc, block),
        );
        csv?;
        kept?;
        self.check_room()
    }

    /// After the first block: [`OutputError::Room`] when the run (of a set count) will write
    /// more than the results' file system has free (see [`super::room`]).
    fn check_room(&mut self) -> Result<(), OutputError> {
        // A run that does not know its count (`--precision`, expected 0) is not checked.
        if self.room_checked || self.expected == 0 || self.collected.is_empty() {
            return Ok(());
        }
        self.room_checked = true;
        let c = &self.collected;
        let mut stores = vec![(c.scalars.width(), c.scalars.bound())];
        if let SeriesValues::Exact(s) = &c.series {
            stores.push((s.width(), s.bound()));
        }
        let done = c.len() as u64;
        let need = Need::project(done, self.expected, self.iterations.row_bytes(), &stores);
        match free_bytes(&c.dir) {
            Some(free) if !need.fits(free) => Err(OutputError::Room {
                dir: c.dir.clone(),
                iterations: self.expected,
                need,
                free,
            }),
            _ => Ok(()),
        }
    }

    /// Iterations taken so far.
    pub fn iterations(&self) -> usize {
        self.collected.len()
    }

    /// Whether this sink sketches the series (the run is above its exact count).
    pub fn sketches(&self) -> bool {
        matches!(self.collected.series, SeriesValues::Sketched(_))
    }

    /// Takes the next block of iterations whose series are not included (a sketched shard's
    /// records): their rows and scalars; the series come through [`Sink::merge_series`].
    ///
    /// # Errors
    /// When `iterations.csv` or the spill file cannot be written.
    pub fn push_scalars(&mut self, block: &[IterationOutput]) -> Result<(), OutputError> {
        let (iterations, collected) = (&mut self.iterations, &mut self.collected);
        let (csv, kept) = rayon::join(|| iterations.write(block), || collected.keep_scalars(block));
        csv?;
        kept?;
        self.check_room()
    }

    /// Adds a shard's sketches of its series (in [`sketch_block`]'s order) to this sink's.
    /// Returns `false`, adding nothing, when this sink keeps series exactly or the count differs.
    pub fn merge_series(&mut self, part: &[Sketch]) -> bool {
        match &mut self.collected.series {
            SeriesValues::Sketched(all) if all.len() == part.len() => {
                all.par_iter_mut().zip(part).for_each(|(a, b)| a.merge(b));
                true
            }
            _ => false,
        }
    }

    /// Closes `iterations.csv` and returns what was kept.
    ///
    /// # Errors
    /// When `iterations.csv` or the spill file cannot be written.
    pub fn finish(self) -> Result<Collected<'a>, OutputError> {
        self.iterations.finish()?;
        let mut c = self.collected;
        let dir = c.dir.clone();
        c.scalars.seal().map_err(|e| spill_error(&dir, e))?;
        if let SeriesValues::Exact(s) = &mut c.series {
            s.seal().map_err(|e| spill_error(&dir, e))?;
        }
        Ok(c)
    }
}

impl BlockSink for Sink<'_> {
    type Error = OutputError;

    fn push(&mut self, block: &[IterationOutput]) -> Result<(), OutputError> {
        Sink::push(self, block)
    }

    fn total_column(&self, k: Metric) -> Result<Vec<f64>, OutputError> {
        let c = &self.collected;
        c.column(self.sc.orgs.len(), k)
            .map_err(|e| spill_error(&c.dir, e))
    }
}

/// The error of a spill file in `dir` that cannot be written or read.
pub(super) fn spill_error(dir: &Path, cause: std::io::Error) -> OutputError {
    OutputError::Write {
        path: dir.join(".icbsim-spill"),
        cause,
    }
}

impl Collected<'_> {
    fn keep(&mut self, sc: &Scenario, block: &[IterationOutput]) -> Result<(), OutputError> {
        self.keep_scalars(block)?;
        if self.scalars.len() as u64 > self.exact_up_to {
            self.sketch_kept()?;
        }
        let orgs = org_columns(sc);
        let mut row = Vec::new();
        match &mut self.series {
            SeriesValues::Exact(store) => {
                for r in block {
                    row.clear();
                    for (o, _) in &orgs {
                        series_row(&r.orgs[*o], &mut row);
                    }
                    store.push(&row).map_err(|e| spill_error(&self.dir, e))?;
                }
            }
            SeriesValues::Sketched(sketches) => sketch_block(sc, sketches, block),
        }
        Ok(())
    }

    /// Turns series kept exactly into sketches (a run that did not know its count in advance,
    /// `--precision`, passing the exact count): each value is inserted into its column's sketch,
    /// which gives the same sketches as sketching from the first iteration.
    fn sketch_kept(&mut self) -> Result<(), OutputError> {
        let SeriesValues::Exact(store) = &mut self.series else {
            return Ok(());
        };
        store.seal().map_err(|e| spill_error(&self.dir, e))?;
        let (width, n, g) = (store.width(), store.len(), store.group());
        let mut sketches = vec![Sketch::new(); width];
        for c0 in (0..width).step_by(g) {
            let c1 = (c0 + g).min(width);
            let values = store.read(c0, c1).map_err(|e| spill_error(&self.dir, e))?;
            for (sk, col) in sketches[c0..c1].iter_mut().zip(values.chunks(n.max(1))) {
                for &x in col {
                    sk.insert(x);
                }
            }
        }
        self.series = SeriesValues::Sketched(sketches);
        Ok(())
    }

    fn keep_scalars(&mut self, block: &[IterationOutput]) -> Result<(), OutputError> {
        let mut row = Vec::with_capacity(self.scalars.width());
        for r in block {
            row.clear();
            for o in &r.orgs {
                row.extend_from_slice(&o.scalars.0);
            }
            row.extend(self.inputs.iter().map(|&i| r.values[i]));
            self.scalars
                .push(&row)
                .map_err(|e| spill_error(&self.dir, e))?;
        }
        Ok(())
    }

    /// Iterations kept.
    pub fn len(&self) -> usize {
        self.scalars.len()
    }

    /// Whether no iteration was kept.
    pub fn is_empty(&self) -> bool {
        self.scalars.is_empty()
    }

    /// Columns `c0..c1` of organisation column `k`'s series and years (exact only), into `out`
    /// (see [`ColumnStore::read_into`]).
    ///
    /// # Errors
    /// When the spill file cannot be read.
    pub(super) fn series_columns(
        &self,
        store: &ColumnStore,
        k: usize,
        c0: usize,
        c1: usize,
        out: &mut Vec<f64>,
    ) -> Result<(), OutputError> {
        let at = k * series_width(self.sc);
        store
            .read_into(at + c0, at + c1, out)
            .map_err(|e| spill_error(&self.dir, e))
    }

    /// The folder the spill files are in (for error messages).
    pub(super) fn dir(&self) -> std::path::PathBuf {
        self.dir.clone()
    }

    /// Whether any store went to disk, and the sketches' heap bytes (for `ICBSIM_TIMING`).
    pub fn footprint(&self) -> (bool, usize) {
        let spilled =
            self.scalars.spilled() || matches!(&self.series, SeriesValues::Exact(s) if s.spilled());
        let sketch = match &self.series {
            SeriesValues::Sketched(v) => v.iter().map(Sketch::heap_bytes).sum(),
            SeriesValues::Exact(_) => 0,
        };
        (spilled, sketch)
    }
}

impl Columns for Collected<'_> {
    fn iterations(&self) -> usize {
        self.scalars.len()
    }

    fn metrics(&self, org: usize, m0: usize, m1: usize) -> std::io::Result<Vec<f64>> {
        let at = org * Metric::COUNT;
        self.scalars.read(at + m0, at + m1)
    }

    fn group(&self) -> usize {
        self.scalars.group()
    }

    fn input(&self, i: usize) -> std::io::Result<Vec<f64>> {
        let Some(j) = self.inputs.iter().position(|&x| x == i) else {
            return Err(std::io::Error::other(format!(
                "input {i} is not an uncertain input"
            )));
        };
        self.scalars
            .column((self.sc.orgs.len() + 1) * Metric::COUNT + j)
    }
}

/// Adds the series and years of `block` to `sketches` (one per column of [`SeriesValues`]),
/// organisations in parallel (a sketch does not depend on the order it is given values in).
pub fn sketch_block(sc: &Scenario, sketches: &mut [Sketch], block: &[IterationOutput]) {
    let per_org = series_width(sc);
    sketches
        .par_chunks_mut(per_org)
        .zip(org_columns(sc))
        .for_each(|(sk, (o, _))| {
            let mut vals = Vec::with_capacity(per_org);
            for r in block {
                vals.clear();
                series_row(&r.orgs[o], &mut vals);
                for (s, &x) in sk.iter_mut().zip(&vals) {
                    s.insert(x);
                }
            }
        });
}

/// The number of sketches of a sketched run of `sc` (organisation columns × series and years).
pub fn sketch_count(sc: &Scenario) -> usize {
    org_columns(sc).len() * series_width(sc)
}

/// Appends an organisation's series (month by month) and then its years.
fn series_row(o: &crate::model::results::OrgResult, row: &mut Vec<f64>) {
    for s in &o.series {
        row.extend_from_slice(s);
    }
    for y in &o.by_year {
        row.extend_from_slice(y);
    }
}
