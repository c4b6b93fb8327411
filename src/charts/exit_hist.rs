//! Chart 2, `exit_cost_distribution`: a histogram of total exit cost across iterations with the
//! P10, P50 and P90 marked, central funding drawn as the distribution it is (a shaded P10–P90
//! band with its median line; a single line when it is certain), and the chance of a funding gap
//! (`funding_gap_any`) with the P90 shortfall (`funding_gap_gbp`) written on the chart. For several
//! organisations the gap is summed over organisations, one's surplus not covering another's gap.

use super::canvas::{self, nhs, size, tint, Frame, Ink, Stroke, Swatch};
use super::format::{a_chance, format_gbp, format_gbp_range, format_tick, money_unit};
use super::input::TOTAL;
use super::stats::{Axis, Bins};
use super::{draw_svg, Chart, ChartError, RunData};
use crate::metric::Metric;
use crate::stats::quantile_sorted;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

const NAME: &str = "exit_cost_distribution";

/// Central funding across iterations (type-7 percentiles of the per-iteration values).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Funding {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

impl Funding {
    /// Whether funding varies between iterations (drawn as a band, not a line).
    fn uncertain(&self) -> bool {
        self.p90 - self.p10 > 1e-9 * self.p50.abs().max(1.0)
    }
}

/// The chance of a funding gap and its size, from summary.csv.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Gap {
    /// Mean of `funding_gap_any`: the probability of a gap.
    pub p: f64,
    /// P90 of `funding_gap_gbp`.
    pub p90: f64,
    /// The total's gap is summed over several organisations.
    pub summed: bool,
}

impl Gap {
    /// The sentence printed under the title, e.g. "A 1 in 3 chance that central funding does
    /// not cover exit costs (P90 shortfall £4.70m)".
    fn sentence(&self) -> Option<String> {
        if !self.p.is_finite() {
            return None;
        }
        if self.p <= 0.0 {
            return Some("Central funding covers exit costs in every iteration".to_string());
        }
        let (whose, shortfall) = if self.summed {
            (
                "some organisation's exit costs",
                format!("summed shortfall: P90 {}", format_gbp(self.p90)),
            )
        } else {
            (
                "exit costs",
                format!("P90 shortfall {}", format_gbp(self.p90)),
            )
        };
        if self.p >= 1.0 {
            return Some(format!(
                "Central funding does not cover {whose} in any iteration ({shortfall})"
            ));
        }
        Some(format!(
            "{} that central funding does not cover {whose} ({shortfall})",
            a_chance(self.p)
        ))
    }
}

/// The numbers the histogram shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HistModel {
    /// Finite exit costs, sorted.
    pub sorted: Vec<f64>,
    /// Type-7 percentiles of `sorted`.
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    /// Funding across iterations; None when the run has none.
    pub funding: Option<Funding>,
    pub gap: Gap,
    pub bins: Bins,
}

impl HistModel {
    /// Builds the model from per-iteration exit costs, per-iteration funding (if the run has it)
    /// and the funding gap statistics.
    pub fn new(exit: &[f64], funding: Option<&[f64]>, gap: Gap) -> HistModel {
        let mut sorted: Vec<f64> = exit.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let q = |p| quantile_sorted(&sorted, p);
        let funding = funding.and_then(|f| {
            let mut f: Vec<f64> = f.iter().copied().filter(|v| v.is_finite()).collect();
            f.sort_by(f64::total_cmp);
            (!f.is_empty()).then(|| Funding {
                p10: quantile_sorted(&f, 0.1),
                p50: quantile_sorted(&f, 0.5),
                p90: quantile_sorted(&f, 0.9),
            })
        });
        let target = (2.0 * (sorted.len() as f64).cbrt()).clamp(10.0, 40.0) as usize;
        HistModel {
            p10: q(0.1),
            p50: q(0.5),
            p90: q(0.9),
            funding,
            gap,
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
    let gap = Gap {
        p: d.summary.mean(TOTAL, Metric::FundingGapAny),
        p90: d
            .summary
            .get(TOTAL, Metric::FundingGapGbp)
            .map_or(f64::NAN, |q| q.p90),
        summed: d.orgs().len() >= 2,
    };
    let m = HistModel::new(&it.exit_cost, it.funding.as_deref(), gap);
    let title = m.title();
    // Fixed funding (drawn as a single line) is quoted as one figure, not a range of one value.
    let funding = m.funding.map_or("none".to_string(), |f| {
        if f.p10 == f.p90 {
            format_gbp(f.p50)
        } else {
            format!(
                "P50 {}, P10–P90 {}",
                format_gbp(f.p50),
                format_gbp_range(f.p10, f.p90)
            )
        }
    });
    let desc = format!(
        "Histogram of total exit cost over {} iterations. P10 {}, P50 {}, P90 {}. Central funding {funding}. {}.",
        m.sorted.len(),
        format_gbp(m.p10),
        format_gbp(m.p50),
        format_gbp(m.p90),
        m.gap.sentence().unwrap_or_else(|| "No funding gap results".to_string())
    );
    let note = if gap.summed {
        "Bars: share of iterations in each exit-cost band; the funding gap is summed over organisations"
    } else {
        "Bars: share of iterations in each exit-cost band; P10/P50/P90: percentiles"
    };
    let page = d.page(title.clone(), note);
    let drawn = draw_svg(NAME, |root| draw(root, &page, &m))?;
    Ok(Chart::new(NAME, title, desc, drawn))
}

/// The legend: bars, P50, P10/P90 and (when the run has it) funding, line or band.
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
    match m.funding {
        Some(f) if f.uncertain() => {
            legend.push((
                Swatch::Fill(funding_band()),
                "Central funding P10–P90".to_string(),
            ));
            legend.push((Swatch::Line(funding), "Central funding P50".to_string()));
        }
        Some(_) => legend.push((Swatch::Line(funding), "Central funding".to_string())),
        None => {}
    }
    legend
}

/// The colour of the funding band.
fn funding_band() -> RGBColor {
    tint(nhs::RED, 0.86)
}

/// The money axis (covering the bins and the funding) with its unit, and the share axis (with
/// headroom for the marker labels).
fn axes(m: &HistModel) -> (Axis, super::format::MoneyUnit, Axis) {
    let b = &m.bins;
    let (flo, fhi) = m.funding.map_or((b.start, b.end()), |f| (f.p10, f.p90));
    let lo = b.start.min(flo);
    let hi = b.end().max(fhi);
    let unit = money_unit(hi.abs().max(lo.abs()));
    let pad = 0.04 * (hi - lo).max(b.width);
    let xa = Axis::nice((lo - pad) / unit.div, (hi + pad) / unit.div, 8);
    let n = m.sorted.len() as f64;
    let max_share = b.counts.iter().copied().max().unwrap_or(0) as f64 / n * 100.0;
    (xa, unit, Axis::nice(0.0, max_share * 1.45, 5))
}

fn draw(root: &canvas::Root, page: &canvas::Page, m: &HistModel) -> canvas::Drawn {
    if m.sorted.is_empty() {
        let msg = format!(
            "iterations.csv has no {} values for org total",
            Metric::ExitCostGbp
        );
        return canvas::placeholder(root, page, &msg);
    }
    let bar = tint(nhs::BRIGHT_BLUE, 0.5);
    let top = canvas::draw_page(root, page, &legend(m, bar, Stroke::solid(nhs::RED, 5)))?;
    // The chance of a funding gap on its own line under the legend.
    let mut top = top;
    if let Some(s) = m.gap.sentence() {
        let ink = Ink::new(size::SUBTITLE)
            .bold()
            .colour(nhs::TEXT)
            .at(HPos::Left, VPos::Top);
        let full = (super::raster::WIDTH as i32 - 2 * canvas::MARGIN) as f64;
        for line in canvas::two_lines(&s, ink, full) {
            canvas::text(root, &line, canvas::MARGIN, top + 2, ink)?;
            top += (size::SUBTITLE * 1.2) as i32;
        }
        top += (size::SUBTITLE * 0.7) as i32;
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
        bottom: canvas::plot_bottom(page) as f64 - canvas::X_AXIS_ROOM,
        xd: (xa.lo, xa.hi),
        yd: (ya.lo, ya.hi),
    };
    // Headroom above 100% is for the marker labels only: no tick there.
    let yticks: Vec<f64> = ya.ticks.iter().copied().filter(|&t| t <= 100.0).collect();
    canvas::y_grid(root, &f, &yticks, &yfmt, "Share of iterations")?;
    let xfmt = |v: f64| format_tick(v, xa.decimals());
    let title = format!("Total exit cost, {}", unit.label);
    canvas::x_grid(root, &f, &xa.ticks, &xfmt, &title, false)?;
    if let Some(fd) = m.funding.filter(Funding::uncertain) {
        let (x0, x1) = (f.x(fd.p10 / unit.div), f.x(fd.p90 / unit.div));
        canvas::rect(
            root,
            (x0, f.top),
            (x1.max(x0 + 2.0), f.bottom),
            funding_band(),
        )?;
    }
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
    if let Some(fd) = m.funding {
        let s = if fd.uncertain() {
            format!(
                "Funding P50 {} (P10–P90 {})",
                format_gbp(fd.p50),
                format_gbp_range(fd.p10, fd.p90)
            )
        } else {
            format!("Funding {}", format_gbp(fd.p50))
        };
        marks.push((s, fd.p50, Stroke::solid(nhs::RED, 5), nhs::RED));
    }
    let ink = Ink::new(size::LABEL).bold().at(HPos::Center, VPos::Top);
    let items: Vec<(f64, f64)> = marks
        .iter()
        .map(|(s, v, _, _)| (f.x(v / div), ink.width(s) + 8.0))
        .collect();
    let rows = canvas::stack_rows(&items, 6.0);
    let row_h = (size::LABEL * 1.3).round();
    let row_y = |row: usize| f.top + 4.0 + row as f64 * row_h;
    for ((_, _, stroke, _), (row, (x, _))) in marks.iter().zip(rows.iter().zip(&items)) {
        let line = [(*x, row_y(*row) + row_h - 4.0), (*x, f.bottom)];
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

    const NO_GAP: Gap = Gap {
        p: f64::NAN,
        p90: f64::NAN,
        summed: false,
    };

    #[test]
    fn funding_is_summarised_as_a_distribution() {
        let exit = [1.0, 2.0, 3.0, 4.0, f64::NAN];
        let fund = [2.0, 2.0, 2.0, 5.0, 1.0];
        let m = HistModel::new(&exit, Some(&fund), NO_GAP);
        let f = m.funding.unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(
            close(f.p10, 1.4) && close(f.p50, 2.0) && close(f.p90, 3.8),
            "{f:?}"
        );
        assert!(f.uncertain());
        assert_eq!(m.p50, 2.5);
        assert_eq!(HistModel::new(&exit, None, NO_GAP).funding, None);
    }

    #[test]
    fn the_gap_sentence_says_one_in_n_and_whose_gap() {
        let one = Gap {
            p: 0.32,
            p90: 4.7e6,
            summed: false,
        };
        assert_eq!(
            one.sentence().unwrap(),
            "A 1 in 3 chance that central funding does not cover exit costs (P90 shortfall £4.70m)"
        );
        let many = Gap {
            summed: true,
            p: 0.6,
            ..one
        };
        assert_eq!(
            many.sentence().unwrap(),
            "A 60% chance that central funding does not cover some organisation's exit costs \
             (summed shortfall: P90 £4.70m)"
        );
        assert_eq!(NO_GAP.sentence(), None);
        assert_eq!(
            Gap { p: 1.0, ..one }.sentence().unwrap(),
            "Central funding does not cover exit costs in any iteration (P90 shortfall £4.70m)"
        );
    }

    #[test]
    fn zero_variance_and_empty_data_do_not_panic() {
        let flat = HistModel::new(&[5e8; 100], Some(&[6e8; 100]), NO_GAP);
        assert_eq!((flat.p10, flat.p90), (5e8, 5e8));
        assert!(!flat.funding.unwrap().uncertain());
        assert_eq!(flat.bins.counts, vec![100]);
        let empty = HistModel::new(&[], None, NO_GAP);
        assert!(empty.p50.is_nan());
        assert_eq!(empty.title(), "No exit-cost results in this run");
    }
}
