//! Chart 1, `running_cost_fan`: the total monthly running-cost run-rate as a fan (P5–P95 and
//! P25–P75 bands, median line) against the baseline and target, with the deadline marked, the
//! system run-rate (own plus functions transferred out) dashed where it differs, and financial
//! years along the x axis.

use super::canvas::{self, nhs, size, tint, Frame, Ink, Stroke, Swatch};
use super::format::{format_gbp, format_tick, money_unit, MoneyUnit, Month};
use super::input::{Quantiles, TOTAL};
use super::stats::Axis;
use super::{draw_svg, Chart, ChartError, RunData};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

const NAME: &str = "running_cost_fan";

/// The numbers the fan chart shows.
#[derive(Debug, Clone)]
pub(crate) struct FanModel {
    pub months: Vec<Month>,
    pub own: Vec<Quantiles>,
    /// Median system run-rate, only when it differs from own somewhere.
    pub system: Option<Vec<f64>>,
    pub baseline: f64,
    pub target: f64,
    pub deadline: Month,
    /// The target is measured on the system run-rate (transfers do not count as savings).
    pub target_on_system: bool,
}

impl FanModel {
    fn from(d: &RunData) -> Result<FanModel, ChartError> {
        let own = d.ts.get(TOTAL, "run_rate_gbp");
        if own.is_empty() {
            return Err(d.missing("timeseries.csv", TOTAL, "run_rate_gbp"));
        }
        let months: Vec<Month> = own.iter().map(|(m, _)| *m).collect();
        let sys = d.ts.get(TOTAL, "run_rate_system_gbp");
        let baseline = d.summary.mean(TOTAL, "baseline_gbp");
        let baseline = if baseline.is_finite() {
            baseline
        } else {
            own[0].1.p50
        };
        let tol = 0.002 * baseline.abs().max(1.0);
        let system: Vec<f64> = months
            .iter()
            .map(|m| {
                sys.iter()
                    .find(|(sm, _)| sm == m)
                    .map_or(f64::NAN, |(_, q)| q.p50)
            })
            .collect();
        let differs = system
            .iter()
            .zip(own)
            .any(|(s, (_, q))| s.is_finite() && q.p50.is_finite() && (s - q.p50).abs() > tol);
        Ok(FanModel {
            months,
            own: own.iter().map(|(_, q)| *q).collect(),
            system: differs.then_some(system),
            baseline,
            target: d.summary.mean(TOTAL, "target_gbp"),
            deadline: d.manifest.deadline,
            target_on_system: !d.manifest.counts_transfers,
        })
    }

    /// Index of the deadline month in the series (the last month if it lies beyond).
    fn deadline_index(&self) -> usize {
        self.months
            .iter()
            .position(|m| *m >= self.deadline)
            .unwrap_or(self.months.len() - 1)
    }

    fn title(&self) -> String {
        let i = self.deadline_index();
        let system_med = self.system.as_ref().map(|s| s[i]).filter(|x| x.is_finite());
        let (what, med) = match system_med {
            Some(s) if self.target_on_system => ("Median system running cost", s),
            _ => ("Median running cost", self.own[i].p50),
        };
        let when = self.months[i].label();
        if !self.target.is_finite() || self.target <= 0.0 || !med.is_finite() {
            return format!("{what} reaches {} a year by {when}", format_gbp(med));
        }
        let gap = (med - self.target) / self.target;
        let rel = if gap.abs() < 0.005 {
            "in line with".to_string()
        } else if gap > 0.0 {
            format!("{:.0}% above", gap * 100.0)
        } else {
            format!("{:.0}% below", -gap * 100.0)
        };
        format!(
            "{what} at {when} is {} a year, {rel} the {} target",
            format_gbp(med),
            format_gbp(self.target)
        )
    }
}

/// Builds the chart. Fails when timeseries.csv has no `total` `run_rate_gbp` rows.
pub(crate) fn chart(d: &RunData) -> Result<Chart, ChartError> {
    let m = FanModel::from(d)?;
    let title = m.title();
    let i = m.deadline_index();
    let desc = format!(
        "Monthly running cost run-rate, total. At {}: median {}, P5 {}, P95 {}. Baseline {}; target {}.",
        m.months[i].label(),
        format_gbp(m.own[i].p50),
        format_gbp(m.own[i].p5),
        format_gbp(m.own[i].p95),
        format_gbp(m.baseline),
        format_gbp(m.target)
    );
    let page = d.page(
        title.clone(),
        "Bands: 5th–95th and 25th–75th percentiles of the run-rate across iterations",
    );
    let svg = draw_svg(NAME, |root| draw(root, &page, &m))?;
    Ok(Chart {
        name: NAME,
        title,
        desc,
        svg,
    })
}

/// The legend: the two bands, the median and (when shown) the system median.
fn legend(
    m: &FanModel,
    (outer, inner): (RGBColor, RGBColor),
    median: Stroke,
    system: Stroke,
) -> Vec<(Swatch, String)> {
    let mut legend = vec![
        (Swatch::Fill(outer), "P5–P95 range".to_string()),
        (Swatch::Fill(inner), "P25–P75 range".to_string()),
        (
            Swatch::Line(median),
            "Median (own running cost)".to_string(),
        ),
    ];
    if m.system.is_some() {
        legend.push((
            Swatch::Line(system),
            "System median (incl. functions transferred out)".to_string(),
        ));
    }
    legend
}

fn draw(root: &canvas::Root, page: &canvas::Page, m: &FanModel) -> canvas::Drawn {
    let outer = tint(nhs::LIGHT_BLUE, 0.62);
    let inner = tint(nhs::BRIGHT_BLUE, 0.45);
    let median = Stroke::solid(nhs::DARK_BLUE, 4);
    let system = Stroke::dashed(nhs::ORANGE, 4, 14.0, 8.0);
    let legend = legend(m, (outer, inner), median, system);
    let top = canvas::draw_page(root, page, &legend)?;

    let (axis, unit) = money_axis(m);
    let fmt = |v: f64| format_tick(v, axis.decimals());
    let label_w = axis
        .ticks
        .iter()
        .map(|&t| Ink::new(size::LABEL).width(&fmt(t)))
        .fold(0.0, f64::max);
    let n = m.months.len() as f64;
    let f = Frame {
        left: canvas::MARGIN as f64 + label_w + 14.0,
        top: top as f64 + 44.0,
        right: (super::raster::WIDTH as i32 - canvas::MARGIN) as f64,
        bottom: (canvas::PLOT_BOTTOM - 52) as f64,
        xd: (-0.5, n - 0.5),
        yd: (axis.lo, axis.hi),
    };
    canvas::y_grid(
        root,
        &f,
        &axis.ticks,
        &fmt,
        &format!("Running cost, {} a year", unit.label),
    )?;
    canvas::fy_axis(root, &f, &m.months)?;

    let pts = |sel: &dyn Fn(&Quantiles) -> f64| -> Vec<(f64, f64)> {
        m.own
            .iter()
            .enumerate()
            .filter(|(_, q)| sel(q).is_finite())
            .map(|(i, q)| f.at(i as f64, sel(q) / unit.div))
            .collect()
    };
    band(
        root,
        pts(&|q: &Quantiles| q.p95),
        pts(&|q: &Quantiles| q.p5),
        outer,
    )?;
    band(
        root,
        pts(&|q: &Quantiles| q.p75),
        pts(&|q: &Quantiles| q.p25),
        inner,
    )?;
    reference_lines(root, &f, m, unit.div, system)?;
    canvas::polyline(root, &pts(&|q: &Quantiles| q.p50), median)?;
    canvas::x_axis_line(root, &f)?;
    annotate(root, &f, m, unit.div)
}

/// The money axis over every band, line and reference value, from zero when the data sit
/// well above it.
fn money_axis(m: &FanModel) -> (Axis, MoneyUnit) {
    let finite = |v: f64| v.is_finite().then_some(v);
    let all = m
        .own
        .iter()
        .flat_map(|q| [q.p5, q.p95, q.p50])
        .chain([m.baseline, m.target])
        .chain(m.system.iter().flatten().copied())
        .filter_map(finite);
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let unit = money_unit(hi.abs().max(lo.abs()));
    let (lo, hi) = (lo / unit.div, hi / unit.div);
    let lo = if lo >= 0.0 && lo < 0.5 * hi {
        0.0
    } else {
        lo - 0.05 * (hi - lo)
    };
    (Axis::nice(lo, hi, 6), unit)
}

/// The baseline and target lines across the plot, and the system median (dashed) if shown.
fn reference_lines(
    root: &canvas::Root,
    f: &Frame,
    m: &FanModel,
    div: f64,
    system: Stroke,
) -> canvas::Drawn {
    let (x0, x1) = (f.left, f.right);
    if m.baseline.is_finite() {
        let y = f.y(m.baseline / div);
        canvas::polyline(root, &[(x0, y), (x1, y)], Stroke::solid(nhs::DARK_GREY, 2))?;
    }
    if m.target.is_finite() {
        let y = f.y(m.target / div);
        canvas::polyline(
            root,
            &[(x0, y), (x1, y)],
            Stroke::dashed(nhs::RED, 3, 18.0, 8.0),
        )?;
    }
    if let Some(sys) = &m.system {
        let p: Vec<(f64, f64)> = sys
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(i, v)| f.at(i as f64, v / div))
            .collect();
        canvas::polyline(root, &p, system)?;
    }
    Ok(())
}

/// Fills the band between an upper and a lower line.
fn band(
    root: &canvas::Root,
    upper: Vec<(f64, f64)>,
    lower: Vec<(f64, f64)>,
    c: RGBColor,
) -> canvas::Drawn {
    if upper.len() < 2 || lower.len() < 2 {
        return Ok(());
    }
    let mut poly = upper;
    poly.extend(lower.into_iter().rev());
    canvas::polygon(root, &poly, c)
}

/// Direct labels: baseline, target, deadline and the median at the deadline.
fn annotate(root: &canvas::Root, f: &Frame, m: &FanModel, div: f64) -> canvas::Drawn {
    let ink = Ink::new(size::LABEL);
    let right = f.right as i32 - 8;
    if m.baseline.is_finite() {
        // Below the line at the right: costs have fallen away from the baseline there.
        let y = f.y(m.baseline / div) as i32 + 8;
        let s = format!("Baseline {} a year", format_gbp(m.baseline));
        canvas::boxed_text(
            root,
            &s,
            right,
            y,
            ink.colour(nhs::DARK_GREY).at(HPos::Right, VPos::Top),
            4,
        )?;
    }
    if m.target.is_finite() {
        let y = f.y(m.target / div) as i32 + 10;
        let s = format!("Target {} a year", format_gbp(m.target));
        canvas::boxed_text(
            root,
            &s,
            f.left as i32 + 12,
            y,
            ink.bold().colour(nhs::RED).at(HPos::Left, VPos::Top),
            4,
        )?;
    }
    deadline(root, f, m, div)?;
    median_label(root, f, m, div)
}

/// The deadline as a dashed vertical line, labelled low down when the bottom of the plot is
/// empty, else at the top.
fn deadline(root: &canvas::Root, f: &Frame, m: &FanModel, div: f64) -> canvas::Drawn {
    let ink = Ink::new(size::LABEL);
    let i = m.deadline_index();
    let x = f.x(i as f64);
    canvas::polyline(
        root,
        &[(x, f.top - 6.0), (x, f.bottom)],
        Stroke::dashed(nhs::TEXT, 2, 6.0, 5.0),
    )?;
    let dl = format!("Deadline {}", m.deadline.label());
    // Put the deadline label low down when the bottom of the plot is empty, else at the top.
    let lowest = m
        .own
        .iter()
        .map(|q| q.p5)
        .chain(m.system.iter().flatten().copied())
        .chain([m.target, m.baseline])
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    if f.y(lowest / div) < f.bottom - 60.0 {
        canvas::boxed_text(
            root,
            &dl,
            x as i32 + 8,
            f.bottom as i32 - 10,
            ink.bold().at(HPos::Left, VPos::Bottom),
            4,
        )?;
    } else {
        canvas::boxed_text(
            root,
            &dl,
            x as i32 + 8,
            f.top as i32 - 4,
            ink.bold().at(HPos::Left, VPos::Top),
            4,
        )?;
    }
    Ok(())
}

/// The median at the deadline: a dot and its value above the fan.
fn median_label(root: &canvas::Root, f: &Frame, m: &FanModel, div: f64) -> canvas::Drawn {
    let ink = Ink::new(size::LABEL);
    let i = m.deadline_index();
    let x = f.x(i as f64);
    let q = m.own[i];
    if q.p50.is_finite() {
        let p = f.at(i as f64, q.p50 / div);
        canvas::dot(root, p, 7, nhs::DARK_BLUE)?;
        let above = if q.p95.is_finite() {
            f.y(q.p95 / div)
        } else {
            p.1
        } - 10.0;
        let s = format!("Median {} at {}", format_gbp(q.p50), m.months[i].label());
        let y = above.max(f.top + 40.0) as i32;
        canvas::boxed_text(
            root,
            &s,
            x as i32 + 10,
            y,
            ink.bold()
                .colour(nhs::DARK_BLUE)
                .at(HPos::Left, VPos::Bottom),
            4,
        )?;
    }
    Ok(())
}
