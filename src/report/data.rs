//! What the board pack reads from a finished run directory: the summary, by-year, sensitivity
//! and inputs tables through their record types ([`crate::output::records`]), the manifest's
//! reproducibility fields, and the charts the chart module wrote (`charts/*.svg`, else `.png`).
//!
//! Everything is read from the files, never from the simulation in memory, so `icbsim run`,
//! `icbsim merge` and `icbsim chart DIR` build the same report from the same directory.

use super::ReportError;
use crate::metric::Metric;
use crate::month::Month;
use crate::output::records::{
    read_records, ByYearRecord, CsvIn, ReadError, SensitivityRecord, SummaryRecord, INPUTS_HEADER,
};
use std::path::Path;

/// The organisation name of the sum across organisations.
pub const TOTAL: &str = "total";

/// The charts of a run in the order a board reads them; any other chart found follows, by name.
pub const CHART_ORDER: [&str; 7] = [
    "running_cost_fan",
    "target_probability",
    "exit_cost_distribution",
    "money_by_year",
    "reduction_bridge",
    "tornado",
    "by_organisation",
];

/// The manifest fields the report prints: none of them depends on the machine, the thread
/// count or the time, so the report of a run is the same bytes wherever it is made.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// icbsim version that made the run.
    pub version: String,
    /// Scenario name.
    pub scenario_name: String,
    /// Scenario file as given (or the embedded default's name).
    pub scenario_file: String,
    /// SHA-256 of the scenario text after overrides.
    pub scenario_sha256: String,
    /// The run identity (absent in runs made before it existed: empty).
    pub run_id: String,
    /// `--set` overrides, in order.
    pub overrides: Vec<String>,
    /// Seed.
    pub seed: u64,
    /// Iterations.
    pub iterations: u64,
    /// `random` or `lhs`.
    pub sampling: String,
    /// First month simulated.
    pub start: Option<Month>,
    /// Target deadline.
    pub deadline: Option<Month>,
    /// Months simulated.
    pub horizon_months: u64,
    /// Whether transfers count against the target (false: the system run-rate is measured).
    pub counts_transfers: bool,
    /// Organisation names.
    pub orgs: Vec<String>,
    /// Staff simulated.
    pub staff: u64,
    /// Each staff file with its SHA-256.
    pub staff_files: Vec<(String, String)>,
}

impl Manifest {
    /// Reads `dir/manifest.json`.
    ///
    /// # Errors
    /// [`ReportError::Manifest`] when it cannot be read, is not JSON, or lacks the version,
    /// scenario name, seed or iterations.
    pub fn read(dir: &Path) -> Result<Manifest, ReportError> {
        let path = dir.join("manifest.json");
        let bad = |what: String| ReportError::Manifest {
            path: path.clone(),
            what,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| bad(e.to_string()))?;
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        let text_of = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let need = |k: &'static str| text_of(k).ok_or_else(|| bad(format!("no `{k}` string")));
        let number = |k: &'static str| {
            v.get(k)
                .and_then(serde_json::Value::as_u64)
                .ok_or_else(|| bad(format!("no `{k}` whole number")))
        };
        let strings = |k: &str| -> Vec<String> {
            v.get(k)
                .and_then(|x| x.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let staff_files = v
            .get("staff_files")
            .and_then(|x| x.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|f| {
                        Some((
                            f.get("path")?.as_str()?.to_string(),
                            f.get("sha256")?.as_str()?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Manifest {
            version: need("icbsim_version")?,
            scenario_name: need("scenario_name")?,
            scenario_file: text_of("scenario_file").unwrap_or_default(),
            scenario_sha256: text_of("scenario_sha256").unwrap_or_default(),
            run_id: text_of("run_id").unwrap_or_default(),
            overrides: strings("overrides"),
            seed: number("seed")?,
            iterations: number("iterations")?,
            sampling: text_of("sampling").unwrap_or_else(|| "random".into()),
            start: text_of("start").as_deref().and_then(Month::parse),
            deadline: text_of("deadline").as_deref().and_then(Month::parse),
            horizon_months: v
                .get("horizon_months")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0),
            counts_transfers: v
                .get("counts_transfers")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            orgs: strings("orgs"),
            staff: v
                .get("staff")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0),
            staff_files,
        })
    }
}

/// One row of `inputs.csv`, read by column name ([`INPUTS_HEADER`]).
#[derive(Debug, Clone, PartialEq)]
pub struct InputRow {
    /// Dotted path.
    pub path: String,
    /// Plain-words label.
    pub label: String,
    /// `number` or `month`.
    pub kind: String,
    /// Distribution family (`fixed` for a plain value).
    pub distribution: String,
    /// The number columns `mean`, `p10`, `p50`, `p90` (NaN where empty).
    pub numbers: [f64; 4],
    /// The month columns `p10_month`, `p50_month`, `p90_month` (empty for a number input).
    pub months: [String; 3],
    /// `true` when the scenario gave the value, `false` for a default.
    pub explicit: String,
    /// Provenance: source.
    pub source: String,
    /// Provenance: date.
    pub date: String,
    /// Provenance: note.
    pub note: String,
}

/// How an input's numbers read: money, a share or rate, or a plain number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputStyle {
    /// Pounds (`_gbp` inputs).
    Money,
    /// A share or rate between 0 and 1 (shares, rates, uptakes, awards, margins, the deflator).
    Share,
    /// Anything else (months of lag, days, multiples, counts).
    Plain,
}

impl InputRow {
    /// How this input's numbers read, from the last segment of its path.
    pub fn style(&self) -> InputStyle {
        let last = self.path.rsplit('.').next().unwrap_or("");
        if last.ends_with("_gbp") {
            InputStyle::Money
        } else if [
            "share", "rate", "uptake", "award", "margin", "deflator", "take_up",
        ]
        .iter()
        .any(|w| last.contains(w))
        {
            InputStyle::Share
        } else {
            InputStyle::Plain
        }
    }

    /// Whether the input is sampled (any distribution other than a plain value).
    pub fn is_uncertain(&self) -> bool {
        self.distribution != "fixed"
    }
}

/// Reads every row of `dir/inputs.csv`.
///
/// # Errors
/// A missing file or column, malformed CSV or a cell that is not a number.
pub fn read_inputs(dir: &Path) -> Result<Vec<InputRow>, ReadError> {
    let mut t = CsvIn::open(dir, "inputs.csv")?;
    let mut cols = [0usize; INPUTS_HEADER.len()];
    for (c, name) in cols.iter_mut().zip(INPUTS_HEADER) {
        *c = t.column(name)?;
    }
    let mut out = Vec::new();
    let mut rec = csv::ByteRecord::new();
    while t.next_byte_record(&mut rec)? {
        let line = rec.position().map_or(0, |p| p.line());
        let cell = |i: usize| String::from_utf8_lossy(rec.get(cols[i]).unwrap_or(b"")).into_owned();
        let mut numbers = [f64::NAN; 4];
        for (k, slot) in numbers.iter_mut().enumerate() {
            *slot = t.number(&cell(4 + k), line, INPUTS_HEADER[4 + k])?;
        }
        out.push(InputRow {
            path: cell(0),
            label: cell(1),
            kind: cell(2),
            distribution: cell(3),
            numbers,
            months: [cell(8), cell(9), cell(10)],
            explicit: cell(11),
            source: cell(12),
            date: cell(13),
            note: cell(14),
        });
    }
    Ok(out)
}

/// A chart image of the run directory, with the title and text alternative its SVG carries.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartImage {
    /// File stem, e.g. `running_cost_fan`.
    pub stem: String,
    /// The chart's title (its finding), from the SVG's `<title>`; the stem in words otherwise.
    pub title: String,
    /// The text alternative with the key numbers, from the SVG's `<desc>`.
    pub desc: String,
    /// `image/svg+xml` or `image/png`.
    pub mime: &'static str,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The PNG rendering, when there is one (the workbook inserts PNGs).
    pub png: Option<Vec<u8>>,
}

/// Reads the charts in `dir` (`charts/`, or `dir` itself for a batch): each stem's SVG (vector,
/// for print) and PNG, in [`CHART_ORDER`] then by name. No charts directory gives none.
///
/// # Errors
/// [`ReportError::Read`] when a chart file exists but cannot be read.
pub fn read_charts(dir: &Path) -> Result<Vec<ChartImage>, ReportError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut stems: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "svg" || x == "png"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    stems.sort_by_key(|s| {
        (
            CHART_ORDER
                .iter()
                .position(|o| o == s)
                .unwrap_or(CHART_ORDER.len()),
            s.clone(),
        )
    });
    stems.dedup();
    let read = |p: &Path| {
        std::fs::read(p).map_err(|source| ReportError::Read {
            path: p.to_path_buf(),
            source,
        })
    };
    let mut out = Vec::new();
    for stem in stems {
        let (svg, png) = (
            dir.join(format!("{stem}.svg")),
            dir.join(format!("{stem}.png")),
        );
        let png = if png.is_file() {
            Some(read(&png)?)
        } else {
            None
        };
        let (mime, bytes, title, desc) = if svg.is_file() {
            let bytes = read(&svg)?;
            let text = String::from_utf8_lossy(&bytes);
            let title = xml_element(&text, "title").unwrap_or_else(|| words(&stem));
            let desc = xml_element(&text, "desc").unwrap_or_default();
            ("image/svg+xml", bytes, title, desc)
        } else if let Some(p) = &png {
            ("image/png", p.clone(), words(&stem), String::new())
        } else {
            continue;
        };
        out.push(ChartImage {
            stem,
            title,
            desc,
            mime,
            bytes,
            png,
        });
    }
    Ok(out)
}

/// `running_cost_fan` → `Running cost fan`.
fn words(stem: &str) -> String {
    let s = stem.replace(['_', '-'], " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The text of the first `<name>…</name>` element, its XML entities decoded.
fn xml_element(svg: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let at = svg.find(&open)? + open.len();
    let end = svg[at..].find(&format!("</{name}>"))? + at;
    Some(unescape_xml(&svg[at..end]))
}

/// Decodes the five predefined XML entities and numeric character references.
fn unescape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let ch = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Everything a run's report and workbook are built from.
#[derive(Debug, Clone)]
pub struct RunFiles {
    /// The manifest's reproducibility fields.
    pub manifest: Manifest,
    /// `summary.csv`.
    pub summary: Vec<SummaryRecord>,
    /// `by_year.csv`.
    pub by_year: Vec<ByYearRecord>,
    /// `sensitivity.csv` (empty when the run has no uncertain inputs).
    pub sensitivity: Vec<SensitivityRecord>,
    /// `inputs.csv`.
    pub inputs: Vec<InputRow>,
    /// The charts under `charts/` (none with `--no-charts`).
    pub charts: Vec<ChartImage>,
}

impl RunFiles {
    /// Reads the run directory `dir`.
    ///
    /// # Errors
    /// A missing or malformed file, column or cell, naming the file.
    pub fn read(dir: &Path) -> Result<RunFiles, ReportError> {
        Ok(RunFiles {
            manifest: Manifest::read(dir)?,
            summary: read_records(dir)?,
            by_year: read_records(dir)?,
            sensitivity: if dir.join("sensitivity.csv").is_file() {
                read_records(dir)?
            } else {
                Vec::new()
            },
            inputs: read_inputs(dir)?,
            charts: read_charts(&dir.join("charts"))?,
        })
    }

    /// The summary row of `org` and `metric`.
    pub fn stat(&self, org: &str, metric: Metric) -> Option<&SummaryRecord> {
        self.summary
            .iter()
            .find(|r| r.org == org && r.metric == metric)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_titles_are_decoded_from_xml() {
        let svg =
            "<svg><title>Costs &amp; savings &lt;&#8722;£1m&gt;</title><desc>a &#x2212; b</desc>";
        assert_eq!(
            xml_element(svg, "title").as_deref(),
            Some("Costs & savings <−£1m>")
        );
        assert_eq!(xml_element(svg, "desc").as_deref(), Some("a − b"));
        assert_eq!(xml_element(svg, "nothing"), None);
        assert_eq!(unescape_xml("a & b"), "a & b");
    }

    #[test]
    fn chart_stems_read_as_words() {
        assert_eq!(words("running_cost_fan"), "Running cost fan");
    }
}
