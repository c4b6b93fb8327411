//! Chart 2, `exit_cost_distribution`: a histogram of total exit cost across iterations with the
//! P10, P50 and P90 marked, the central funding line, and the chance that exit costs exceed the
//! funding written on the chart.

use super::canvas::{self, nhs, size, tint, Frame, Ink, Stroke, Swatch};
use super::format::{format_gbp, format_gbp_range, format_pct, format_tick, money_unit};
use super::input::TOTAL;
use super::stats::{Axis, Bins};
use super::{draw_svg, Chart, ChartError, RunData};
use crate::stats::quantile_sorted;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

const NAME: &str = "exit_cost_distribution";

/// The numbers the histogram shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HistModel {
    /// Finite exit costs, sorted.
    pub sorted: Vec<f64>,
    /// Type-7 percentiles of `sorted`.
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    /// Central (mean) funding; NaN when the run has none.
    pub funding: f64,
    /// Share of iterations whose exit cost exceeds funding (per iteration when iterations.csv
    /// has `funding_gbp`, else against the central funding).
    pub p_exceed: Option<f64>,
    pub bins: Bins,
}

impl HistModel {
    /// Builds the model from per-iteration exit costs, optional per-iteration funding (same
    /// order) and the mean funding from summary.csv.
    pub fn new(exit: &[f64], funding: Option<&[f64]>, funding_mean: f64) -> HistModel {
        let mut sorted: Vec<f64> = exit.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let q = |p| quantile_sorted(&sorted, p);
        let paired: Vec<(f64, f64)> = match funding {
            Some(f) if f.len() == exit.len() => exit
                .iter()
                .zip(f)
                .filter(|(e, f)| e.is_finite() && f.is_finite())
                .map(|(e, f)| (*e, *f))
                .collect(),
            _ => Vec::new(),
        };
        let funding_mean = if funding_mean.is_finite() || paired.is_empty() {
            funding_mean
        } else {
            paired.iter().map(|p| p.1).sum::<f64>() / paired.len() as f64
        };
        let p_exceed = if !paired.is_empty() {
            Some(paired.iter().filter(|(e, f)| e > f).count() as f64 / paired.len() as f64)
        } else if funding_mean.is_finite() && !sorted.is_empty() {
            Some(sorted.iter().filter(|&&e| e > funding_mean).count() as f64 / sorted.len() as f64)
        } else {
            None
        };
        let target = (2.0 * (sorted.len() as f64).cbrt()).clamp(10.0, 40.0) as usize;
        HistModel {
            p10: q(0.1),
            p50: q(0.5),
            p90: q(0.9),
            funding: funding_mean,
            p_exceed,
            bins: Bins::of(&sorted, target),
            sorted,
        }
    }

    fn title(&self) -> String {
        if self.sorted.is_empty() {
            return "No exit-cost results in this run".to_string();
        }
        if self.p90 - self.p10 <= 1e-9 * self.p50.abs().max(1.0) {
            return format!(
                "Exit costs most likely {} (P50), with no spread between P10 and P90",
                format_gbp(self.p50)
            );
        }
        format!(
            "Exit costs most likely {} (P50); 80% range {}",
            format_gbp(self.p50),
            format_gbp_range(self.p10, self.p90)
        )
    }
}

/// Builds the chart; a run without finite exit costs gives a chart that says so.
pub(crate) fn chart(d: &RunData) -> Result<Chart, ChartError> {
    let it = &d.iterations;
    let m = HistModel::new(
        &it.exit_cost,
        it.funding.as_deref(),
        d.summary.mean(TOTAL, "funding_gbp"),
    );
    let title = m.title();
    let desc = format!(
        "Histogram of total exit cost over {} iterations. P10 {}, P50 {}, P90 {}. Central funding {}. P(exit cost > funding) = {}.",
        m.sorted.len(),
        format_gbp(m.p10),
        format_gbp(m.p50),
        format_gbp(m.p90),
        format_gbp(m.funding),
        m.p_exceed.map_or("n/a".to_string(), format_pct)
    );
    let page = d.page(
        title.clone(),
        "Bars: share of iterations in each exit-cost band; P10/P50/P90: percentiles",
    );
    let svg = draw_svg(NAME, |root| draw(root, &page, &m))?;
    Ok(Chart {
        name: NAME,
        title,
        desc,
        svg,
    })
}

/// The legend: bars, P50, P10/P90 and (when the run has it) the funding line.
fn legend(m: &HistModel, bar: RGBColor, funding: Stroke) -> Vec<(Swatch, String)> {
    let mut legend = vec![
        (Swatch::Fill(bar), "Share of iterations".to_string()),
        (
            Swatch::Line(Stroke::solid(nhs::DARK_BLUE, 4)),
            "P50 (median)".to_string(),
        ),
        (
            Swatch::Line(Stroke::dashed(nhs::DARK_GREY, 3, 9.0, 6.0)),
            "P10 and P90".to_string(),
        ),
    ];
    if m.funding.is_finite() {
        legend.push((Swatch::Line(funding), "Central funding".to_string()));
    }
    legend
}

/// The money axis (covering the bins and the funding) with its unit, and the share axis (with
/// headroom for the marker labels).
fn axes(m: &HistModel) -> (Axis, super::format::MoneyUnit, Axis) {
    let b = &m.bins;
    let lo = b.start.min(if m.funding.is_finite() {
        m.funding
    } else {
        b.start
    });
    let hi = b.end().max(if m.funding.is_finite() {
        m.funding
    } else {
        b.end()
    });
    let unit = money_unit(hi.abs().max(lo.abs()));
    let pad = 0.04 * (hi - lo).max(b.width);
    let xa = Axis::nice((lo - pad) / unit.div, (hi + pad) / unit.div, 8);
    let n = m.sorted.len() as f64;
    let max_share = b.counts.iter().copied().max().unwrap_or(0) as f64 / n * 100.0;
    (xa, unit, Axis::nice(0.0, max_share * 1.45, 5))
}

fn draw(root: &canvas::Root, page: &canvas::Page, m: &HistModel) -> canvas::Drawn {
    if m.sorted.is_empty() {
        let msg = "iterations.csv has no exit_cost_gbp values for org total";
        return canvas::placeholder(root, page, msg);
    }
    let bar = tint(nhs::BRIGHT_BLUE, 0.5);
    let top = canvas::draw_page(root, page, &legend(m, bar, Stroke::solid(nhs::RED, 5)))?;
    if let Some(p) = m.p_exceed {
        let s = format!("P(exit cost > funding) = {}", format_pct(p));
        let ink = Ink::new(size::SUBTITLE)
            .bold()
            .colour(nhs::TEXT)
            .at(HPos::Right, VPos::Center);
        let x = super::raster::WIDTH as i32 - canvas::MARGIN;
        canvas::text(root, &s, x, 122, ink)?;
    }
    let (xa, unit, ya) = axes(m);
    let yfmt = |v: f64| format!("{}%", format_tick(v, ya.decimals()));
    let label_w = ya
        .ticks
        .iter()
        .map(|&t| Ink::new(size::LABEL).width(&yfmt(t)))
        .fold(0.0, f64::max);
    let f = Frame {
        left: canvas::MARGIN as f64 + label_w + 14.0,
        top: top as f64 + 44.0,
        right: (super::raster::WIDTH as i32 - canvas::MARGIN) as f64,
        bottom: (canvas::PLOT_BOTTOM - 80) as f64,
        xd: (xa.lo, xa.hi),
        yd: (ya.lo, ya.hi),
    };
    // Headroom above 100% is for the marker labels only: no tick there.
    let yticks: Vec<f64> = ya.ticks.iter().copied().filter(|&t| t <= 100.0).collect();
    canvas::y_grid(root, &f, &yticks, &yfmt, "Share of iterations")?;
    let xfmt = |v: f64| format_tick(v, xa.decimals());
    let title = format!("Total exit cost, {}", unit.label);
    canvas::x_grid(root, &f, &xa.ticks, &xfmt, &title, false)?;
    bars(root, &f, m, unit.div, bar)?;
    canvas::x_axis_line(root, &f)?;
    markers(root, &f, m, unit.div)
}

/// The histogram bars, as shares of iterations.
fn bars(
    root: &canvas::Root,
    f: &Frame,
    m: &HistModel,
    div: f64,
    colour: RGBColor,
) -> canvas::Drawn {
    let (b, n) = (&m.bins, m.sorted.len() as f64);
    for (i, &c) in b.counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let x0 = f.x((b.start + i as f64 * b.width) / div);
        let x1 = f.x((b.start + (i + 1) as f64 * b.width) / div);
        let gap = if x1 - x0 > 6.0 { 1.0 } else { 0.0 };
        canvas::rect(
            root,
            (x0 + gap, f.y(c as f64 / n * 100.0)),
            (x1 - gap, f.y(0.0)),
            colour,
        )?;
    }
    Ok(())
}

/// Vertical lines for P10, P50, P90 and funding, with labels stacked so none overlap.
fn markers(root: &canvas::Root, f: &Frame, m: &HistModel, div: f64) -> canvas::Drawn {
    let dashed = Stroke::dashed(nhs::DARK_GREY, 3, 9.0, 6.0);
    let mut marks: Vec<(String, f64, Stroke, RGBColor)> = vec![
        (
            format!("P10 {}", format_gbp(m.p10)),
            m.p10,
            dashed,
            nhs::DARK_GREY,
        ),
        (
            format!("P50 {}", format_gbp(m.p50)),
            m.p50,
            Stroke::solid(nhs::DARK_BLUE, 4),
            nhs::DARK_BLUE,
        ),
        (
            format!("P90 {}", format_gbp(m.p90)),
            m.p90,
            dashed,
            nhs::DARK_GREY,
        ),
    ];
    if m.funding.is_finite() {
        let s = format!("Funding {}", format_gbp(m.funding));
        marks.push((s, m.funding, Stroke::solid(nhs::RED, 5), nhs::RED));
    }
    let ink = Ink::new(size::LABEL).bold().at(HPos::Center, VPos::Top);
    let items: Vec<(f64, f64)> = marks
        .iter()
        .map(|(s, v, _, _)| (f.x(v / div), ink.width(s) + 8.0))
        .collect();
    let rows = canvas::stack_rows(&items, 6.0);
    let row_y = |row: usize| f.top + 4.0 + row as f64 * 32.0;
    for ((_, _, stroke, _), (row, (x, _))) in marks.iter().zip(rows.iter().zip(&items)) {
        let line = [(*x, row_y(*row) + 28.0), (*x, f.bottom)];
        if stroke.dash.is_none() {
            // A white halo keeps solid markers visible over bars, in colour and in greyscale.
            canvas::polyline(root, &line, Stroke::solid(nhs::WHITE, stroke.width + 4))?;
        }
        canvas::polyline(root, &line, *stroke)?;
    }
    for ((s, _, _, colour), (row, (x, w))) in marks.iter().zip(rows.iter().zip(&items)) {
        let y = row_y(*row);
        // Keep labels inside the plot: shift them in from the edges.
        let xc = x.clamp(f.left + w / 2.0, f.right - w / 2.0);
        canvas::boxed_text(root, s, xc as i32, y as i32, ink.colour(*colour), 4)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceedance_uses_per_iteration_funding_when_given() {
        let exit = [1.0, 2.0, 3.0, 4.0, f64::NAN];
        let fund = [2.0, 2.0, 2.0, 5.0, 1.0];
        let m = HistModel::new(&exit, Some(&fund), 2.5);
        assert_eq!(m.p_exceed, Some(0.25), "only 3 > 2 exceeds its own funding");
        assert_eq!(m.p50, 2.5);
        let central = HistModel::new(&exit, None, 2.5);
        assert_eq!(central.p_exceed, Some(0.5));
        let none = HistModel::new(&exit, None, f64::NAN);
        assert_eq!(none.p_exceed, None);
    }

    #[test]
    fn zero_variance_and_empty_data_do_not_panic() {
        let flat = HistModel::new(&[5e8; 100], None, 6e8);
        assert_eq!((flat.p10, flat.p90, flat.p_exceed), (5e8, 5e8, Some(0.0)));
        assert_eq!(flat.bins.counts, vec![100]);
        let empty = HistModel::new(&[], None, f64::NAN);
        assert!(empty.p50.is_nan());
        assert_eq!(empty.title(), "No exit-cost results in this run");
    }
}
