//! The results workbook, `results.xlsx`, for Excel users: the sheets of SPEC §7 built from the
//! run directory's files — Summary (one row per organisation × metric, one column per
//! statistic), By year (accrued and cash exit costs, savings, net), Time series, Inputs (with
//! provenance), Sensitivity and Charts (the PNGs). Every number is the same f64 the CSV holds
//! (read back from it), shown with a £, % or count format by its unit; header rows are frozen,
//! columns sized and filtered.
//!
//! It is separate from the report because it is a file format of its own (rust_xlsxwriter),
//! and from `output` because it reads only what the run directory holds.

use crate::metric::Series;
use crate::output::records::{read_records, Record, SummaryRecord, TimeseriesRecord};
use crate::report::data::{InputRow, InputStyle, RunFiles};
use crate::report::{replace_file, ReportError};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, Image, Workbook, Worksheet, XlsxError,
};
use std::path::{Path, PathBuf};

/// The workbook's file name in a run directory.
pub const WORKBOOK_FILE: &str = "results.xlsx";

/// The sheet names, in order.
pub const SHEETS: [&str; 6] = [
    "Summary",
    "By year",
    "Time series",
    "Inputs",
    "Sensitivity",
    "Charts",
];

/// Number formats by what a cell holds.
pub mod formats {
    /// Pounds, whole.
    pub const GBP: &str = "£#,##0";
    /// A share or probability as a percentage.
    pub const PERCENT: &str = "0.0%";
    /// A whole count.
    pub const COUNT: &str = "#,##0";
    /// FTE and months.
    pub const ONE_DECIMAL: &str = "#,##0.0";
    /// A rank correlation.
    pub const RHO: &str = "0.00";
    /// Any other number.
    pub const GENERAL: &str = "General";
}

/// The number format of a metric's statistics, by its unit.
pub fn unit_format(unit: &str) -> &'static str {
    match unit {
        "gbp" | "gbp_per_year" => formats::GBP,
        "probability" | "share" => formats::PERCENT,
        "count" => formats::COUNT,
        "fte" | "months" => formats::ONE_DECIMAL,
        _ => formats::GENERAL,
    }
}

/// Reads the run directory `dir` and writes `dir/results.xlsx`; returns its path.
///
/// # Errors
/// A missing or malformed run file (naming it), or the workbook cannot be built or written.
pub fn write_workbook(dir: &Path) -> Result<PathBuf, ReportError> {
    let files = RunFiles::read(dir)?;
    let series: Vec<TimeseriesRecord> = read_records(dir)?;
    let path = dir.join(WORKBOOK_FILE);
    let bytes = workbook_bytes(&files, &series).map_err(|e| ReportError::Workbook {
        path: path.clone(),
        message: e.to_string(),
    })?;
    replace_file(&path, &bytes)?;
    Ok(path)
}

/// The workbook of a run as bytes.
///
/// # Errors
/// What rust_xlsxwriter reports (an image it cannot read, a sheet too large).
pub fn workbook_bytes(files: &RunFiles, series: &[TimeseriesRecord]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation time: the workbook of a run is the same bytes wherever and whenever it
    // is made (as the CSVs are); the run's own time is in manifest.json.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} — results", files.manifest.scenario_name))
            .set_comment(format!(
                "icbsim {}, seed {}, {} iterations, run {}",
                files.manifest.version,
                files.manifest.seed,
                files.manifest.iterations,
                files.manifest.run_id
            ))
            .set_creation_datetime(&created),
    );
    summary_sheet(wb.add_worksheet(), &files.summary)?;
    by_year_sheet(wb.add_worksheet(), files)?;
    series_sheet(wb.add_worksheet(), series)?;
    inputs_sheet(wb.add_worksheet(), &files.inputs)?;
    sensitivity_sheet(wb.add_worksheet(), files)?;
    charts_sheet(wb.add_worksheet(), files)?;
    wb.save_to_buffer()
}

/// The header row's format: bold white on NHS blue.
fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x005EB8))
        .set_align(FormatAlign::Left)
}

/// Writes the header row, sizes the columns (`widths`), freezes the header and adds an
/// autofilter over `rows` data rows.
fn frame(
    ws: &mut Worksheet,
    name: &str,
    header: &[&str],
    widths: &[f64],
    rows: usize,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    let h = header_format();
    for (c, title) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *title, &h)?;
        let w = widths.get(c).copied().unwrap_or(14.0);
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let last_col = header.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, rows as u32, last_col)?;
    Ok(())
}

/// Writes `v` at (row, col) with `format`; a missing value (NaN) leaves the cell empty, as the
/// CSV does.
fn number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: f64,
    format: &Format,
) -> Result<(), XlsxError> {
    if v.is_finite() {
        ws.write_number_with_format(row, col, v, format)?;
    }
    Ok(())
}

/// The statistics columns of `summary.csv` after `org`, `metric`, `unit`.
fn summary_numbers(r: &SummaryRecord) -> [f64; 18] {
    let q = &r.q;
    [
        q.mean,
        r.sd,
        r.se_mean,
        r.min,
        q.p5,
        q.p10,
        q.p25,
        q.p50,
        q.p75,
        q.p90,
        q.p95,
        r.max,
        r.n,
        r.share_undefined,
        r.p50_ci.0,
        r.p50_ci.1,
        r.p90_ci.0,
        r.p90_ci.1,
    ]
}

fn summary_sheet(ws: &mut Worksheet, rows: &[SummaryRecord]) -> Result<(), XlsxError> {
    let mut widths = vec![26.0, 32.0, 13.0];
    widths.resize(SummaryRecord::HEADER.len(), 14.0);
    frame(ws, SHEETS[0], SummaryRecord::HEADER, &widths, rows.len())?;
    let n_col = SummaryRecord::HEADER
        .iter()
        .position(|h| *h == "n")
        .unwrap_or(15);
    let (count, percent) = (
        Format::new().set_num_format(formats::COUNT),
        Format::new().set_num_format(formats::PERCENT),
    );
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        let unit = Format::new().set_num_format(unit_format(r.metric.unit()));
        ws.write_string(row, 0, &r.org)?;
        ws.write_string(row, 1, r.metric.name())?;
        ws.write_string(row, 2, r.metric.unit())?;
        for (k, v) in summary_numbers(r).into_iter().enumerate() {
            let col = 3 + k;
            let f = match col {
                c if c == n_col => &count,
                c if c == n_col + 1 => &percent,
                _ => &unit,
            };
            number(ws, row, col as u16, v, f)?;
        }
    }
    Ok(())
}

fn by_year_sheet(ws: &mut Worksheet, files: &RunFiles) -> Result<(), XlsxError> {
    let header = crate::output::records::ByYearRecord::HEADER;
    let mut widths = vec![26.0, 10.0, 26.0];
    widths.resize(header.len(), 14.0);
    frame(ws, SHEETS[1], header, &widths, files.by_year.len())?;
    let gbp = Format::new().set_num_format(formats::GBP);
    for (i, r) in files.by_year.iter().enumerate() {
        let row = i as u32 + 1;
        let f = Format::new().set_num_format(unit_format(r.metric.unit()));
        ws.write_string(row, 0, &r.org)?;
        ws.write_string(row, 1, &r.fy)?;
        ws.write_string(row, 2, r.metric.name())?;
        for (k, v) in quantiles(&r.q).into_iter().enumerate() {
            number(
                ws,
                row,
                3 + k as u16,
                v,
                if r.metric.unit() == "gbp" { &gbp } else { &f },
            )?;
        }
    }
    Ok(())
}

/// `mean`, `p5` … `p95`, in column order.
fn quantiles(q: &crate::output::records::Quantiles) -> [f64; 8] {
    [q.mean, q.p5, q.p10, q.p25, q.p50, q.p75, q.p90, q.p95]
}

fn series_sheet(ws: &mut Worksheet, rows: &[TimeseriesRecord]) -> Result<(), XlsxError> {
    let header = TimeseriesRecord::HEADER;
    let mut widths = vec![26.0, 9.0, 9.0, 24.0, 13.0];
    widths.resize(header.len(), 14.0);
    frame(ws, SHEETS[2], header, &widths, rows.len())?;
    let formats: Vec<Format> = Series::ALL
        .iter()
        .map(|s| Format::new().set_num_format(unit_format(s.unit())))
        .collect();
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &r.org)?;
        ws.write_string(row, 1, r.month.to_string())?;
        ws.write_string(row, 2, r.month.fy_label())?;
        ws.write_string(row, 3, r.metric.name())?;
        ws.write_string(row, 4, r.metric.unit())?;
        for (k, v) in quantiles(&r.q).into_iter().enumerate() {
            number(ws, row, 5 + k as u16, v, &formats[r.metric.index()])?;
        }
    }
    Ok(())
}

fn inputs_sheet(ws: &mut Worksheet, inputs: &[InputRow]) -> Result<(), XlsxError> {
    use crate::output::records::INPUTS_HEADER;
    let widths = [
        34.0, 30.0, 8.0, 12.0, 12.0, 12.0, 12.0, 12.0, 10.0, 10.0, 10.0, 8.0, 60.0, 10.0, 30.0,
    ];
    frame(ws, SHEETS[3], &INPUTS_HEADER, &widths, inputs.len())?;
    let style = |s: InputStyle| {
        Format::new().set_num_format(match s {
            InputStyle::Money => formats::GBP,
            InputStyle::Share => formats::PERCENT,
            InputStyle::Plain => formats::GENERAL,
        })
    };
    for (i, r) in inputs.iter().enumerate() {
        let row = i as u32 + 1;
        let f = style(r.style());
        for (c, text) in [&r.path, &r.label, &r.kind, &r.distribution]
            .into_iter()
            .enumerate()
        {
            ws.write_string(row, c as u16, text)?;
        }
        for (k, v) in r.numbers.into_iter().enumerate() {
            number(ws, row, 4 + k as u16, v, &f)?;
        }
        let texts = [
            &r.months[0],
            &r.months[1],
            &r.months[2],
            &r.explicit,
            &r.source,
            &r.date,
            &r.note,
        ];
        for (k, text) in texts.into_iter().enumerate() {
            if !text.is_empty() {
                ws.write_string(row, 8 + k as u16, text)?;
            }
        }
    }
    Ok(())
}

fn sensitivity_sheet(ws: &mut Worksheet, files: &RunFiles) -> Result<(), XlsxError> {
    let header = crate::output::records::SensitivityRecord::HEADER;
    let widths = [
        26.0, 26.0, 34.0, 34.0, 14.0, 14.0, 14.0, 16.0, 16.0, 16.0, 16.0,
    ];
    frame(ws, SHEETS[4], header, &widths, files.sensitivity.len())?;
    let rho = Format::new().set_num_format(formats::RHO);
    let percent = Format::new().set_num_format(formats::PERCENT);
    let gbp = Format::new().set_num_format(formats::GBP);
    for (i, r) in files.sensitivity.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &r.org)?;
        ws.write_string(row, 1, r.output.name())?;
        ws.write_string(row, 2, &r.input)?;
        ws.write_string(row, 3, &r.label)?;
        number(ws, row, 4, r.rho, &rho)?;
        number(ws, row, 5, r.contribution, &percent)?;
        number(ws, row, 6, r.top_decile, &percent)?;
        number(ws, row, 7, r.swing.low_mean, &gbp)?;
        number(ws, row, 8, r.swing.high_mean, &gbp)?;
        number(ws, row, 9, r.swing.swing, &gbp)?;
        number(ws, row, 10, r.swing.se, &gbp)?;
    }
    Ok(())
}

/// The most characters Excel keeps of an image's alternative text.
const ALT_TEXT_MAX: usize = 255;

/// `text` cut to Excel's limit for alternative text, ending in `…` when cut.
fn alt_text(text: &str) -> String {
    if text.chars().count() <= ALT_TEXT_MAX {
        return text.to_string();
    }
    let mut s: String = text.chars().take(ALT_TEXT_MAX - 1).collect();
    s.push('…');
    s
}

/// Rows a chart takes on the Charts sheet (its title, the image at 680×383 pixels on 20-pixel
/// rows, a gap).
const ROWS_PER_CHART: u32 = 23;

fn charts_sheet(ws: &mut Worksheet, files: &RunFiles) -> Result<(), XlsxError> {
    ws.set_name(SHEETS[5])?;
    ws.set_column_width(0, 120.0)?;
    let title = Format::new()
        .set_bold()
        .set_font_color(Color::RGB(0x005EB8));
    let pngs: Vec<_> = files.charts.iter().filter(|c| c.png.is_some()).collect();
    if pngs.is_empty() {
        ws.write_string(
            0,
            0,
            "No charts were drawn for this run (--no-charts); `icbsim chart DIR` draws them and rebuilds this workbook.",
        )?;
    }
    for (i, c) in pngs.iter().enumerate() {
        let row = i as u32 * ROWS_PER_CHART;
        ws.write_string_with_format(row, 0, &c.title, &title)?;
        if let Some(png) = &c.png {
            let image = Image::new_from_buffer(png)?
                .set_scale_to_size(680, 383, true)
                .set_alt_text(alt_text(&c.desc));
            ws.insert_image(row + 1, 0, &image)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::Metric;

    #[test]
    fn alternative_text_is_cut_to_excels_limit() {
        let long = "é".repeat(300);
        let cut = alt_text(&long);
        assert_eq!(cut.chars().count(), 255);
        assert!(cut.ends_with('…'));
        assert_eq!(alt_text("short"), "short");
    }

    #[test]
    fn units_take_pound_percent_and_count_formats() {
        assert_eq!(unit_format(Metric::ExitCostGbp.unit()), "£#,##0");
        assert_eq!(unit_format(Metric::RunRateAtDeadlineGbp.unit()), "£#,##0");
        assert_eq!(unit_format(Metric::TargetMet.unit()), "0.0%");
        assert_eq!(unit_format(Metric::ReductionAtDeadline.unit()), "0.0%");
        assert_eq!(unit_format(Metric::ExitsVr.unit()), "#,##0");
        assert_eq!(unit_format(Metric::PaybackMonths.unit()), "#,##0.0");
        for m in Metric::ALL {
            assert_ne!(unit_format(m.unit()), formats::GENERAL, "{m}");
        }
    }
}
