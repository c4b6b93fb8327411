//! Charts for board papers: reads a finished run directory (the CSV/JSON contract of docs/model.md §5)
//! and writes seven PNG + SVG charts under `charts/`. Each chart states its finding in the title,
//! names the scenario, iterations and seed, and carries the icbsim version and scenario hash.
//! The batch comparison chart, the sweep chart and the paired chart of `compare`
//! ([`comparison_svg`], [`sweep_svg`], [`paired_svg`], written by [`write_chart`]) are drawn with
//! the same primitives and palette.
//!
//! Drawing uses plotters' SVG backend at 1600×900 logical pixels; resvg renders that SVG with the
//! bundled DejaVu Sans into a 2400×1350 PNG and writes a normalised SVG with text as paths. No
//! system fonts, clocks or randomness are involved, so the same run gives the same bytes.

#[cfg(test)]
mod a4;
mod axes;
mod bridge;
mod by_org;
mod by_year;
mod canvas;
mod compare;
mod error;
mod exit_hist;
mod fan;
mod fan_labels;
mod format;
mod input;
mod label;
#[cfg(test)]
mod numbers;
mod paired;
mod palette;
mod raster;
mod s_curve;
mod shapes;
mod stats;
mod sweep;
#[cfg(test)]
mod tests;
mod tornado;

pub use compare::{comparison_svg, RangeRow};
pub use error::ChartError;
pub use format::format_gbp;
pub use paired::{paired_svg, DiffRow};
pub use sweep::{sweep_svg, SweepSeries};

use crate::metric::Metric;
use canvas::{Drawn, Page, Root};
use input::{ByYear, IterationTotals, Manifest, Sensitivity, Summary, Timeseries, TOTAL};
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Everything the charts read from a run directory.
pub(crate) struct RunData {
    manifest: Manifest,
    summary: Summary,
    ts: Timeseries,
    by_year: ByYear,
    sensitivity: Vec<Sensitivity>,
    iterations: IterationTotals,
}

impl RunData {
    /// Reads all inputs; fails on the first missing file or column.
    fn read(dir: &Path) -> Result<RunData, ChartError> {
        Ok(RunData {
            manifest: Manifest::read(dir)?,
            summary: Summary::read(dir)?,
            ts: Timeseries::read(dir)?,
            by_year: ByYear::read(dir)?,
            sensitivity: input::read_sensitivity(dir, TOTAL)?,
            iterations: input::read_iteration_totals(dir)?,
        })
    }

    /// The organisations' names: the manifest's list, else those with rows in summary.csv (a
    /// one-organisation run may write only `total` rows).
    fn orgs(&self) -> &[String] {
        if self.manifest.orgs.is_empty() {
            &self.summary.orgs
        } else {
            &self.manifest.orgs
        }
    }

    /// Words for what `total` covers: the single organisation's name, "total of N
    /// organisations", or with mergers "total of 42 organisations before mergers, 26 at the
    /// deadline" (as the report and the terminal count them): the organisations that are not
    /// merger successors (which take in staff by a merger, `moved_by_merger` above 0), then those
    /// with a target at the deadline in some iteration (`docs/model.md` §2.6).
    fn scope(&self) -> String {
        let orgs = self.orgs();
        let mean = |o: &String, k: Metric| self.summary.get(o, k).map_or(f64::NAN, |q| q.mean);
        let successors = self.successors();
        let live = orgs
            .iter()
            .filter(|o| !mean(o, Metric::TargetGbp).is_nan())
            .count();
        match orgs {
            [one] => one.clone(),
            [] => "all organisations".to_string(),
            many => format!(
                "total of {}",
                crate::format::organisations(many.len(), many.len() - successors, live)
            ),
        }
    }

    /// How many of the organisations are merger successors (staff moved in by a merger).
    fn successors(&self) -> usize {
        self.orgs()
            .iter()
            .filter(|o| {
                self.summary
                    .get(o, Metric::MovedByMerger)
                    .is_some_and(|q| q.mean > 0.0)
            })
            .count()
    }

    /// The page text with `title` and `note`, subtitle and footer filled in from the manifest.
    fn page(&self, title: String, note: &str) -> Page {
        let m = &self.manifest;
        let scope = self.scope();
        let who = if scope == m.scenario_name {
            scope
        } else {
            format!("{} · {scope}", m.scenario_name)
        };
        Page {
            title,
            subtitle: format!(
                "{who} · {} iterations · seed {}",
                format::format_count(m.iterations as f64),
                m.seed
            ),
            footer: format!(
                "icbsim {} · scenario {}",
                m.version,
                m.scenario_sha256.chars().take(12).collect::<String>()
            ),
            note: note.to_string(),
        }
    }
}

/// One drawn chart, before rendering to files.
pub(crate) struct Chart {
    /// File stem, e.g. "running_cost_fan".
    name: &'static str,
    /// The title drawn on the chart (also written as the SVG's `<title>`).
    title: String,
    /// A one-line text alternative with the key numbers (the SVG's `<desc>`).
    desc: String,
    /// plotters' SVG.
    svg: String,
    /// Every label printed on the chart (title, subtitle, legend, annotations, note, footer;
    /// not axis ticks), in drawing order.
    #[cfg_attr(not(test), allow(dead_code))]
    printed: Vec<String>,
}

impl Chart {
    /// A chart from its parts and what [`draw_svg`] returned.
    fn new(name: &'static str, title: String, desc: String, drawn: (String, Vec<String>)) -> Chart {
        Chart {
            name,
            title,
            desc,
            svg: drawn.0,
            printed: drawn.1,
        }
    }
}

/// Draws a page with `draw` into an SVG string, with the labels printed on it. Fails with
/// [`ChartError::Draw`] naming `name`.
fn draw_svg(
    name: &'static str,
    draw: impl FnOnce(&Root) -> Drawn,
) -> Result<(String, Vec<String>), ChartError> {
    let svg = draw_svg_text(draw);
    let printed = label::take_printed();
    svg.map(|s| (s, printed))
        .map_err(|message| ChartError::Draw {
            chart: name,
            message,
        })
}

/// Draws a page with `draw` into an SVG string; the error is plotters' message.
fn draw_svg_text(draw: impl FnOnce(&Root) -> Drawn) -> Result<String, String> {
    label::take_printed();
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (raster::WIDTH, raster::HEIGHT)).into_drawing_area();
        draw(&root).map_err(|e| e.0)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Builds every chart for a run (by_organisation only with two or more organisations).
fn build_all(d: &RunData) -> Result<Vec<Chart>, ChartError> {
    let mut charts = vec![
        fan::chart(d)?,
        exit_hist::chart(d)?,
        s_curve::chart(d)?,
        tornado::chart(d)?,
        bridge::chart(d)?,
        by_year::chart(d)?,
    ];
    if d.orgs().len() >= 2 {
        charts.push(by_org::chart(d)?);
    }
    Ok(charts)
}

/// Reads the run in `run_dir` (summary.csv, timeseries.csv, by_year.csv, iterations.csv,
/// sensitivity.csv, manifest.json) and writes `run_dir/charts/<name>.png` (2400×1350) and
/// `<name>.svg` for each chart, returning the paths written (PNG then SVG, chart by chart).
///
/// Fails when an input file, a needed column or the total run-rate series is missing, when a
/// cell is not a number, or when the charts directory cannot be written. Missing optional data
/// (no sensitivity rows, empty cells) gives a chart that says so instead of an error.
pub fn render_run_charts(run_dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    let data = RunData::read(run_dir)?;
    let charts = build_all(&data)?;
    let out_dir = run_dir.join("charts");
    std::fs::create_dir_all(&out_dir).map_err(|source| ChartError::Write {
        path: out_dir.clone(),
        source,
    })?;
    // Charts are rendered in parallel; the paths come back chart by chart, in order.
    use rayon::prelude::*;
    let written: Vec<Vec<PathBuf>> = charts
        .par_iter()
        .map(|c| write_rendered(&out_dir, c.name, c.name, &c.svg, &c.title, &c.desc))
        .collect::<Result<_, _>>()?;
    Ok(written.into_iter().flatten().collect())
}

/// A comparison or sweep chart drawn as SVG, ready for [`write_chart`]. A drawing failure is
/// kept here and reported by `write_chart`, so that callers handle errors in one place.
#[derive(Debug, Clone)]
pub struct ChartSvg {
    /// The chart's name, for error messages.
    name: &'static str,
    /// The title written into the SVG's `<title>` when the caller gives none.
    title: String,
    /// A one-line text alternative with the key numbers (the SVG's `<desc>`).
    desc: String,
    /// plotters' SVG, or why drawing failed.
    svg: Result<String, String>,
}

impl ChartSvg {
    /// The drawn SVG (plotters' text, before rendering), or why drawing failed.
    pub fn svg(&self) -> Result<&str, ChartError> {
        self.svg.as_deref().map_err(|message| ChartError::Draw {
            chart: self.name,
            message: message.to_string(),
        })
    }

    /// The text alternative written as the SVG's `<desc>`.
    pub fn desc(&self) -> &str {
        &self.desc
    }
}

/// Renders `chart` to `dir/<stem>.png` (2400×1350) and `dir/<stem>.svg` (text as paths, with
/// `title` — or the chart's own title when empty — as its `<title>`), returning the paths
/// written.
///
/// Fails when the chart could not be drawn or rendered, or a file cannot be written.
pub fn write_chart(
    dir: &Path,
    stem: &str,
    chart: &ChartSvg,
    title: &str,
) -> Result<Vec<PathBuf>, ChartError> {
    let title = if title.is_empty() {
        &chart.title
    } else {
        title
    };
    write_rendered(dir, chart.name, stem, chart.svg()?, title, &chart.desc)
}

/// Renders plotters' `svg` and writes `dir/<stem>.png` and `.svg`; `name` labels errors.
fn write_rendered(
    dir: &Path,
    name: &'static str,
    stem: &str,
    svg: &str,
    title: &str,
    desc: &str,
) -> Result<Vec<PathBuf>, ChartError> {
    let r = raster::render(svg, title, desc).map_err(|message| ChartError::Draw {
        chart: name,
        message,
    })?;
    let mut written = Vec::new();
    for (ext, bytes) in [("png", r.png.as_slice()), ("svg", r.svg.as_bytes())] {
        let path = dir.join(format!("{stem}.{ext}"));
        std::fs::write(&path, bytes).map_err(|source| ChartError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
