//! The statistics of a run's tables, computed from what its [`super::sink::Sink`] kept (exact
//! columns read back a group at a time, or sketches):
//! `summary.csv` (every metric of every organisation and the total), `timeseries.csv` (every
//! monthly series), `by_year.csv` and, through [`super::sensitivity`], `sensitivity.csv`. Each is
//! computed organisation by organisation in parallel, rows kept in output order, so the bytes do
//! not depend on the thread count. The writers in [`super::tables`] format and write them.

use super::error::OutputError;
use super::records::{
    ByYearRecord, Quantiles, Record, SensitivityRecord, SummaryRecord, TimeseriesRecord, BANDS,
};
use super::sensitivity::sensitivity_rows;
use super::sink::{series_width, spill_error, Collected, SeriesValues};
use super::tables::org_columns;
use crate::engine::{fiscal_years, Columns};
use crate::metric::{Kind, Metric, Series, YearMetric};
use crate::scenario::Scenario;
use crate::stats::{quantile_sorted, sort_total, summarize, summarize_bool, Sketch};
use rayon::prelude::*;

/// The statistics of a run's tables, computed from its results before anything is written.
#[derive(Debug, Clone)]
pub struct Tables {
    pub(super) summary: Vec<SummaryRecord>,
    pub(super) timeseries: Vec<TimeseriesRecord>,
    pub(super) by_year: Vec<ByYearRecord>,
    pub(super) sensitivity: Vec<SensitivityRecord>,
}

/// The statistics of every table of a run (each computed in parallel, in output order) from
/// what its [`super::sink::Sink`] kept.
///
/// # Errors
/// When values spilled to disk cannot be read back.
pub fn statistics(c: &Collected) -> Result<Tables, OutputError> {
    let (sc, dir) = (c.sc, c.dir());
    let io = |e| spill_error(&dir, e);
    let (timeseries, by_year) = (timeseries_rows(c), by_year_rows(c));
    // The series' group buffers are not needed again: each worker frees its own.
    rayon::broadcast(|_| drop(GROUP.take()));
    Ok(Tables {
        summary: summary_rows(sc, c).map_err(io)?,
        timeseries: timeseries?,
        by_year: by_year?,
        sensitivity: sensitivity_rows(sc, c).map_err(io)?,
    })
}

thread_local! {
    /// One buffer per worker thread for every group of exactly kept series it reads (see
    /// `ColumnStore::read_into`: a national organisation's group is tens of megabytes, which
    /// the allocator would map afresh each time), taken out while in use.
    static GROUP: std::cell::Cell<Vec<f64>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Runs `f` over the organisation columns in parallel and joins their rows in order.
pub(super) fn per_org<R: Send, E: Send>(
    sc: &Scenario,
    f: impl Fn(usize, usize, &str) -> Result<Vec<R>, E> + Sync + Send,
) -> Result<Vec<R>, E> {
    let parts: Vec<Result<Vec<R>, E>> = org_columns(sc)
        .into_par_iter()
        .enumerate()
        .map(|(k, (o, name))| f(k, o, &name))
        .collect();
    let mut rows = Vec::new();
    for p in parts {
        rows.extend(p?);
    }
    Ok(rows)
}

/// The header of `summary.csv` (also the end of the `sweep_summary.csv` header).
pub const SUMMARY_HEADER: &[&str] = <SummaryRecord as Record>::HEADER;

/// The rows of `summary.csv`: every organisation, then `total` (only `total` for one
/// organisation), × every metric. A metric undefined (NaN) in some iterations is summarised over
/// the defined ones, with the share undefined beside them. Organisations are summarised in
/// parallel and their rows kept in order; each reads its metrics a group at a time.
///
/// # Errors
/// When values kept on disk cannot be read.
pub fn summary_rows(
    sc: &Scenario,
    cols: &(impl Columns + ?Sized),
) -> std::io::Result<Vec<SummaryRecord>> {
    let n = cols.iterations();
    let g = cols.group().max(1);
    per_org(sc, |_, o, name| {
        let mut rows = Vec::with_capacity(Metric::COUNT);
        for m0 in (0..Metric::COUNT).step_by(g) {
            let m1 = (m0 + g).min(Metric::COUNT);
            let by_metric = cols.metrics(o, m0, m1)?;
            rows.extend(
                Metric::ALL[m0..m1]
                    .iter()
                    .zip(by_metric.chunks(n.max(1)))
                    .map(|(&metric, v)| summary_row(name, metric, v)),
            );
        }
        Ok(rows)
    })
}

/// The `summary.csv` row of `metric` for organisation `name` from its values `v`.
fn summary_row(name: &str, metric: Metric, v: &[f64]) -> SummaryRecord {
    let s = summarize(v);
    let se_mean = if metric.kind() == Kind::Probability {
        summarize_bool(v).se
    } else {
        s.se_mean
    };
    SummaryRecord {
        org: name.to_string(),
        metric,
        q: Quantiles::new(s.mean, [s.p5, s.p10, s.p25, s.p50, s.p75, s.p90, s.p95]),
        sd: s.sd,
        se_mean,
        min: s.min,
        max: s.max,
        n: s.n as f64,
        share_undefined: share_undefined(s.n, v.len()),
        p50_ci: s.p50_ci,
        p90_ci: s.p90_ci,
    }
}

/// The share of `total` iterations without a value, when `defined` have one (NaN with none).
fn share_undefined(defined: usize, total: usize) -> f64 {
    if total == 0 {
        f64::NAN
    } else {
        (total - defined) as f64 / total as f64
    }
}

/// The rows of `summary.csv` as CSV cells (for `sweep_summary.csv`, which prefixes each row).
///
/// # Errors
/// When values kept on disk cannot be read.
pub fn summary_records(
    sc: &Scenario,
    cols: &(impl Columns + ?Sized),
) -> std::io::Result<Vec<Vec<String>>> {
    Ok(summary_rows(sc, cols)?.iter().map(Record::cells).collect())
}

fn bands(values: &mut [f64]) -> Quantiles {
    sort_total(values);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    Quantiles::new(mean, BANDS.map(|p| quantile_sorted(values, p)))
}

/// The quantiles of each of columns `c0..c1` of organisation column `k`'s series and years
/// (exact: sorted values; sketched: the sketch), in column order.
fn series_bands(
    c: &Collected,
    k: usize,
    c0: usize,
    c1: usize,
) -> Result<Vec<Quantiles>, OutputError> {
    let at = k * series_width(c.sc);
    match &c.series {
        SeriesValues::Sketched(sketches) => Ok(sketches[at + c0..at + c1]
            .iter()
            .map(sketch_bands)
            .collect()),
        SeriesValues::Exact(store) => {
            let n = store.len();
            let g = store.group().max(1);
            let mut out = Vec::with_capacity(c1 - c0);
            let mut v = GROUP.take();
            for g0 in (c0..c1).step_by(g) {
                let g1 = (g0 + g).min(c1);
                c.series_columns(store, k, g0, g1, &mut v)?;
                out.extend(v.chunks_mut(n.max(1)).map(bands));
            }
            GROUP.set(v);
            Ok(out)
        }
    }
}

/// The mean and [`BANDS`] of a sketched column.
fn sketch_bands(s: &Sketch) -> Quantiles {
    Quantiles::new(s.mean(), BANDS.map(|p| s.quantile(p)))
}

/// The rows of `timeseries.csv`: every organisation × series × month, organisations in
/// parallel.
fn timeseries_rows(c: &Collected) -> Result<Vec<TimeseriesRecord>, OutputError> {
    let (sc, h) = (c.sc, c.sc.horizon as usize);
    per_org(sc, |k, _, name| {
        let q = series_bands(c, k, 0, Series::COUNT * h)?;
        let mut rows = Vec::with_capacity(Series::COUNT * h);
        for (s, &metric) in Series::ALL.iter().enumerate() {
            for m in 0..h {
                rows.push(TimeseriesRecord {
                    org: name.to_string(),
                    month: sc.start.plus(m as i32),
                    metric,
                    q: q[s * h + m],
                });
            }
        }
        Ok(rows)
    })
}

/// The rows of `by_year.csv`: every organisation × financial year × figure, organisations in
/// parallel.
fn by_year_rows(c: &Collected) -> Result<Vec<ByYearRecord>, OutputError> {
    let (_, labels) = fiscal_years(c.sc);
    let first = Series::COUNT * c.sc.horizon as usize;
    per_org(c.sc, |k, _, name| {
        let q = series_bands(c, k, first, first + YearMetric::COUNT * labels.len())?;
        let mut rows = Vec::new();
        for (y, label) in labels.iter().enumerate() {
            for (j, &metric) in YearMetric::ALL.iter().enumerate() {
                rows.push(ByYearRecord {
                    org: name.to_string(),
                    fy: label.clone(),
                    metric,
                    q: q[y * YearMetric::COUNT + j],
                });
            }
        }
        Ok(rows)
    })
}
