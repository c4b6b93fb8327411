//! Chart 6, `money_by_year`: exit costs on the accrued timing (when the organisation is
//! committed: VR/MARS approval, CR notice) and in-year savings (target basis) in each financial
//! year as grouped bars (means) with P10–P90 whiskers, cost shifted to other NHS bodies as a
//! separate grey bar when there is any (never a saving), the net (`net_accrued_gbp`, exactly
//! savings less accrued exit cost of the bars drawn) under each year, and the year in which
//! cumulative savings first exceed cumulative accrued exit costs as the title.

use super::canvas::{self, nhs, size, tint, Frame, Ink, Stroke, Swatch};
use super::format::{format_gbp, format_tick, money_unit, MoneyUnit};
use super::input::{Quantiles, TOTAL};
use super::stats::Axis;
use super::{draw_svg, Chart, ChartError, RunData};
use crate::metric::YearMetric;
use plotters::style::text_anchor::{HPos, VPos};

const NAME: &str = "money_by_year";

/// One financial year's figures (NaN where by_year.csv has none).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Year {
    pub fy: String,
    /// Exit costs accrued in the year.
    pub exit: Option<Quantiles>,
    pub savings: Option<Quantiles>,
    /// Cost moved to other NHS bodies in the year.
    pub shifted: Option<Quantiles>,
    /// Mean net on the accrued timing (savings − accrued exit costs).
    pub net: f64,
}

/// The years, in order.
pub(crate) fn years(d: &RunData) -> Vec<Year> {
    let exit = d.by_year.get(TOTAL, YearMetric::ExitCostAccruedGbp);
    let sav = d.by_year.get(TOTAL, YearMetric::SavingsGbp);
    let shifted = d.by_year.get(TOTAL, YearMetric::CostShiftedGbp);
    let net = d.by_year.get(TOTAL, YearMetric::NetAccruedGbp);
    let mut fys: Vec<String> = exit
        .iter()
        .chain(sav)
        .chain(net)
        .map(|(fy, _)| fy.clone())
        .collect();
    fys.sort();
    fys.dedup();
    let find =
        |rows: &[(String, Quantiles)], fy: &str| rows.iter().find(|(f, _)| f == fy).map(|r| r.1);
    fys.into_iter()
        .map(|fy| {
            let (e, s) = (find(exit, &fy), find(sav, &fy));
            let net = match find(net, &fy) {
                Some(q) if q.mean.is_finite() => q.mean,
                _ => s.map_or(0.0, |q| q.mean) - e.map_or(0.0, |q| q.mean),
            };
            Year {
                exit: e,
                savings: s,
                shifted: find(shifted, &fy).filter(|q| q.mean.abs() >= 0.5 || q.p90.abs() >= 0.5),
                fy,
                net,
            }
        })
        .collect()
}

/// The first year by which cumulative net is ≥ 0, and the cumulative net at the end.
pub(crate) fn payback(years: &[Year]) -> (Option<String>, f64) {
    let mut cum = 0.0;
    let mut first = None;
    for y in years {
        cum += if y.net.is_finite() { y.net } else { 0.0 };
        if cum >= 0.0 && first.is_none() {
            first = Some(y.fy.clone());
        }
        if cum < 0.0 {
            first = None;
        }
    }
    (first, cum)
}

fn title(years: &[Year]) -> String {
    match (years.first(), payback(years)) {
        (None, _) => "No money-by-year results in this run".to_string(),
        (Some(y0), (Some(fy), _)) if y0.fy == fy => {
            format!("Savings exceed accrued exit costs from the first year, {fy}")
        }
        (_, (Some(fy), cum)) => format!(
            "Cumulative savings overtake accrued exit costs in {fy}; net {} over the period",
            format_gbp(cum)
        ),
        (_, (None, cum)) => format!(
            "Accrued exit costs are not repaid by savings within the period (net {})",
            format_gbp(cum)
        ),
    }
}

/// Builds the chart; a run without by-year rows gives a chart that says so.
pub(crate) fn chart(d: &RunData) -> Result<Chart, ChartError> {
    let ys = years(d);
    let title = title(&ys);
    let mean = |q: Option<Quantiles>| q.map_or(f64::NAN, |q| q.mean);
    let desc = ys
        .iter()
        .map(|y| {
            let shifted = y.shifted.map_or(String::new(), |q| {
                format!(", cost shifted to other NHS bodies {}", format_gbp(q.mean))
            });
            format!(
                "{}: exit costs accrued {}, savings {}{shifted}, net {}",
                y.fy,
                format_gbp(mean(y.exit)),
                format_gbp(mean(y.savings)),
                format_gbp(y.net)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let page = d.page(
        title.clone(),
        "Bars: means across iterations; whiskers: 10th–90th percentiles; net = savings − exit costs accrued",
    );
    let drawn = draw_svg(NAME, |root| draw(root, &page, &ys))?;
    Ok(Chart::new(NAME, title, format!("{desc}."), drawn))
}

/// The money axis over every mean, P10 and P90, from zero, with room for the whiskers' ends.
fn money_axis(ys: &[Year]) -> (Axis, MoneyUnit) {
    let vals = ys
        .iter()
        .flat_map(|y| [y.exit, y.savings, y.shifted])
        .flatten()
        .flat_map(|q| [q.mean, q.p10, q.p90])
        .filter(|v| v.is_finite());
    let (lo, hi) = vals.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let unit = money_unit(hi.abs().max(lo.abs()));
    (Axis::nice(lo / unit.div, hi / unit.div * 1.12, 6), unit)
}

fn draw(root: &canvas::Root, page: &canvas::Page, ys: &[Year]) -> canvas::Drawn {
    let exit_c = nhs::ORANGE;
    let sav_c = nhs::DARK_BLUE;
    let shift_c = tint(nhs::MID_GREY, 0.35);
    let any_shift = ys.iter().any(|y| y.shifted.is_some());
    let mut legend = vec![
        (
            Swatch::Fill(exit_c),
            "Exit costs when committed (accrued)".to_string(),
        ),
        (Swatch::Fill(sav_c), "In-year savings".to_string()),
    ];
    if any_shift {
        legend.push((
            Swatch::Fill(shift_c),
            "Cost shifted to other NHS bodies (not a saving)".to_string(),
        ));
    }
    legend.push((
        Swatch::Line(Stroke::solid(nhs::TEXT, 2)),
        "P10–P90 range".to_string(),
    ));
    if ys.is_empty() {
        return canvas::placeholder(root, page, "by_year.csv has no rows for org total");
    }
    let top = canvas::draw_page(root, page, &legend)?;
    let (ax, unit) = money_axis(ys);
    let fmt = |v: f64| format_tick(v, ax.decimals());
    let label_w = ax
        .ticks
        .iter()
        .map(|&t| Ink::new(size::LABEL).width(&fmt(t)))
        .fold(0.0, f64::max);
    let f = Frame {
        left: canvas::MARGIN as f64 + label_w + 14.0,
        top: top as f64 + 44.0,
        right: (super::raster::WIDTH as i32 - canvas::MARGIN) as f64,
        bottom: canvas::plot_bottom(page) as f64 - canvas::X_AXIS_ROOM,
        xd: (0.0, ys.len() as f64),
        yd: (ax.lo, ax.hi),
    };
    canvas::y_grid(
        root,
        &f,
        &ax.ticks,
        &fmt,
        &format!("{} in the financial year", unit.label),
    )?;
    let slot = f.x(1.0) - f.x(0.0);
    let per = if any_shift { 3.0 } else { 2.0 };
    let w = (slot * 0.64 / per).min(140.0);
    let fy_ink = Ink::new(size::LABEL).bold().at(HPos::Center, VPos::Top);
    let net_ink = Ink::new(size::NOTE)
        .colour(nhs::DARK_GREY)
        .at(HPos::Center, VPos::Top);
    // Value labels are drawn after every bar, so that no neighbouring bar covers one.
    let mut labels = Vec::new();
    for (i, y) in ys.iter().enumerate() {
        let xc = f.x(i as f64 + 0.5);
        let bars = if any_shift {
            vec![
                (y.exit, exit_c, -w - 6.0),
                (y.savings, sav_c, 0.0),
                (y.shifted, shift_c, w + 6.0),
            ]
        } else {
            vec![
                (y.exit, exit_c, -w / 2.0 - 3.0),
                (y.savings, sav_c, w / 2.0 + 3.0),
            ]
        };
        for (q, colour, dx) in bars {
            if let Some(q) = q {
                labels.push(bar(root, &f, xc + dx, w, q, unit.div, colour)?);
            }
        }
        canvas::text(root, &y.fy, xc as i32, f.bottom as i32 + 10, fy_ink)?;
        let net = format!("Net {}", format_gbp(y.net));
        let net_y = f.bottom + 14.0 + 1.1 * size::LABEL;
        canvas::text(root, &net, xc as i32, net_y as i32, net_ink)?;
    }
    let ink = Ink::new(size::LABEL).bold().at(HPos::Center, VPos::Bottom);
    for (text, x, y) in labels {
        canvas::boxed_text(root, &text, x, y, ink, 2)?;
    }
    canvas::x_axis_line(root, &f)
}

/// One bar at its mean with a P10–P90 whisker; returns the mean as written above it, and
/// where (drawn by the caller after every bar).
fn bar(
    root: &canvas::Root,
    f: &Frame,
    xc: f64,
    w: f64,
    q: Quantiles,
    div: f64,
    colour: plotters::style::RGBColor,
) -> canvas::Drawn<(String, i32, i32)> {
    let mut label_y = f.y(0.0);
    if q.mean.is_finite() {
        let (y0, y1) = (f.y(0.0), f.y(q.mean / div));
        canvas::rect(
            root,
            (xc - w / 2.0, y0.min(y1)),
            (xc + w / 2.0, y0.max(y1)),
            colour,
        )?;
        label_y = label_y.min(y1);
    }
    if q.p10.is_finite() && q.p90.is_finite() {
        let (a, b) = (f.y(q.p10 / div), f.y(q.p90 / div));
        let s = Stroke::solid(nhs::TEXT, 2);
        let cap = w * 0.22;
        canvas::polyline(root, &[(xc, a), (xc, b)], s)?;
        canvas::polyline(root, &[(xc - cap, a), (xc + cap, a)], s)?;
        canvas::polyline(root, &[(xc - cap, b), (xc + cap, b)], s)?;
        label_y = label_y.min(a.min(b));
    }
    Ok((format_gbp(q.mean), xc as i32, label_y as i32 - 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(fy: &str, net: f64) -> Year {
        Year {
            fy: fy.into(),
            exit: None,
            savings: None,
            shifted: None,
            net,
        }
    }

    #[test]
    fn payback_is_the_first_year_cumulative_net_stays_positive() {
        let ys = [
            year("2025/26", -460.0),
            year("2026/27", 520.0),
            year("2027/28", 600.0),
        ];
        assert_eq!(payback(&ys), (Some("2026/27".to_string()), 660.0));
        assert_eq!(payback(&ys[..1]).0, None);
        assert!(title(&ys).starts_with("Cumulative savings overtake accrued exit costs in 2026/27"));
        assert!(title(&[year("2025/26", 5.0)])
            .starts_with("Savings exceed accrued exit costs from the first year"));
        assert_eq!(title(&[]), "No money-by-year results in this run");
    }
}
