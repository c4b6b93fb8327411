//! Chart 1, `running_cost_fan`: the total monthly run-rate on the target basis (the basis the
//! target is tested on: the system run-rate, own cost plus functions transferred out, unless
//! transfers count) as a fan (P5–P95 and P25–P75 bands, median line) against the baseline and
//! the target by month (which rises with pay when the target is indexed), the deadline marked,
//! the other basis dashed where it differs, and financial years along the x axis. The title
//! states the chance that the target is missed (several organisations: that at least one misses
//! its own) or met, on the recurrent definition of `target_met`.

use super::canvas::{self, nhs, size, tint, Frame, Ink, Stroke, Swatch};
use super::format::{a_chance, format_gbp, format_tick, money_unit, MoneyUnit, Month};
use super::input::{Quantiles, TOTAL};
use super::stats::Axis;
use super::{draw_svg, Chart, ChartError, RunData};
use crate::metric::{Metric, Series};
use plotters::style::RGBColor;

const NAME: &str = "running_cost_fan";

/// Which run-rate the target is tested on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Basis {
    /// The organisation's own cost (transfers count as savings).
    Own,
    /// Own cost plus functions transferred out (the default).
    System,
}

impl Basis {
    /// The basis in words, as the legend and note print it.
    pub fn words(self) -> &'static str {
        match self {
            Basis::Own => "own run-rate",
            Basis::System => "system run-rate: own cost plus functions transferred out",
        }
    }

    /// The basis's name, as the legend prints it (the note says what it is).
    pub fn short(self) -> &'static str {
        match self {
            Basis::Own => "own run-rate",
            Basis::System => "system run-rate",
        }
    }
}

/// The numbers the fan chart shows.
#[derive(Debug, Clone)]
pub(crate) struct FanModel {
    pub months: Vec<Month>,
    /// Run-rate on the target basis (`run_rate_gbp`).
    pub rr: Vec<Quantiles>,
    pub basis: Basis,
    /// Median run-rate on the other basis, only when it differs from the target basis.
    pub other: Option<Vec<f64>>,
    /// Median target by month (`target_gbp` series; NaN where missing).
    pub target: Vec<f64>,
    /// The target differs between iterations somewhere (its line is then a median).
    pub target_uncertain: bool,
    pub baseline: f64,
    pub deadline: Month,
    /// Probability of `target_met` for the total (every organisation meets its own target).
    pub p_met: f64,
    /// Number of organisations in the run.
    pub orgs: usize,
    /// Statutory mergers by month: (index into `months`, how many successors start then), in
    /// month order. A successor starts in the first month its median headcount is above zero.
    pub mergers: Vec<(usize, usize)>,
}

/// The months the run's merger successors start (those that take in staff by a merger,
/// `moved_by_merger` above 0: `docs/model.md` §2.4a), each the first month of `months` in which
/// the successor's median headcount is above zero, counted by month in month order.
fn mergers(d: &RunData, months: &[Month]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for org in d.orgs() {
        let moved = d.summary.mean(org, Metric::MovedByMerger);
        if moved.is_nan() || moved <= 0.0 {
            continue;
        }
        let heads = medians_on(months, d.ts.get(org, Series::Headcount));
        if let Some(i) = heads.iter().position(|h| *h > 0.0) {
            match out.iter_mut().find(|(m, _)| *m == i) {
                Some(x) => x.1 += 1,
                None => out.push((i, 1)),
            }
        }
    }
    out.sort_unstable();
    out
}

/// Medians of `rows` on `months` (NaN where a month is missing).
fn medians_on(months: &[Month], rows: &[(Month, Quantiles)]) -> Vec<f64> {
    months
        .iter()
        .map(|m| {
            rows.iter()
                .find(|(x, _)| x == m)
                .map_or(f64::NAN, |r| r.1.p50)
        })
        .collect()
}

impl FanModel {
    fn from(d: &RunData) -> Result<FanModel, ChartError> {
        let rows = d.ts.require(TOTAL, Series::RunRateGbp)?;
        let months: Vec<Month> = rows.iter().map(|(m, _)| *m).collect();
        let rr: Vec<Quantiles> = rows.iter().map(|(_, q)| *q).collect();
        let own = medians_on(&months, d.ts.get(TOTAL, Series::RunRateOwnGbp));
        let sys = medians_on(&months, d.ts.get(TOTAL, Series::RunRateSystemGbp));
        let baseline = d.summary.mean(TOTAL, Metric::BaselineGbp);
        let tol = 0.002 * baseline.abs().max(rr[0].p50.abs()).max(1.0);
        let same = |a: &[f64], b: &[f64]| {
            a.iter()
                .zip(b)
                .all(|(x, y)| !x.is_finite() || !y.is_finite() || (x - y).abs() <= tol)
        };
        let med: Vec<f64> = rr.iter().map(|q| q.p50).collect();
        let basis = match (same(&med, &own), same(&med, &sys)) {
            (true, false) => Basis::Own,
            (false, true) => Basis::System,
            _ if d.manifest.counts_transfers => Basis::Own,
            _ => Basis::System,
        };
        let other = match basis {
            Basis::Own => sys,
            Basis::System => own,
        };
        let has_other = other.iter().any(|v| v.is_finite()) && !same(&med, &other);
        let target_rows = d.ts.get(TOTAL, Series::TargetGbp);
        let mergers = mergers(d, &months);
        Ok(FanModel {
            target: medians_on(&months, target_rows),
            target_uncertain: target_rows.iter().any(|(_, q)| (q.p95 - q.p5).abs() > 0.5),
            months,
            rr,
            basis,
            other: has_other.then_some(other),
            baseline,
            deadline: d.manifest.deadline,
            p_met: d.summary.mean(TOTAL, Metric::TargetMet),
            orgs: d.orgs().len(),
            mergers,
        })
    }

    /// Index of the deadline month in the series (the last month if it lies beyond).
    pub(super) fn deadline_index(&self) -> usize {
        self.months
            .iter()
            .position(|m| *m >= self.deadline)
            .unwrap_or(self.months.len() - 1)
    }

    /// The target at the deadline (median across iterations).
    pub(super) fn target_at_deadline(&self) -> f64 {
        self.target[self.deadline_index()]
    }

    /// Whether the target line changes over the months (indexed to pay).
    pub(super) fn target_varies(&self) -> bool {
        let t: Vec<f64> = self
            .target
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        t.iter().any(|v| (v - t[0]).abs() > 0.5)
    }

    fn title(&self) -> String {
        let when = self.deadline.label();
        if !self.p_met.is_finite() {
            return format!(
                "Median run-rate at {when} is {} a year",
                format_gbp(self.rr[self.deadline_index()].p50)
            );
        }
        if self.orgs >= 2 {
            format!(
                "{} that at least one organisation misses its target by {when} or in the 12 months after",
                a_chance(1.0 - self.p_met)
            )
        } else {
            format!(
                "{} of meeting the target by {when} and holding it for 12 months",
                a_chance(self.p_met)
            )
        }
    }

    /// The note: what is drawn, on which basis.
    fn note(&self) -> String {
        let rest = if self.orgs >= 2 {
            "total of organisations"
        } else {
            "bands: percentiles"
        };
        format!("Tested on the {}; {rest}", self.basis.words())
    }
}

/// Builds the chart. Fails when timeseries.csv has no `total` `run_rate_gbp` rows.
pub(crate) fn chart(d: &RunData) -> Result<Chart, ChartError> {
    let m = FanModel::from(d)?;
    let title = m.title();
    let i = m.deadline_index();
    let desc = format!(
        "Monthly run-rate of the total on the {}. At {}: median {}, P5 {}, P95 {}. Baseline {}; target {}.",
        m.basis.words(),
        m.months[i].label(),
        format_gbp(m.rr[i].p50),
        format_gbp(m.rr[i].p5),
        format_gbp(m.rr[i].p95),
        format_gbp(m.baseline),
        format_gbp(m.target_at_deadline())
    ) + &super::fan_labels::merger_words(&m);
    let page = d.page(title.clone(), &m.note());
    let drawn = draw_svg(NAME, |root| draw(root, &page, &m))?;
    Ok(Chart::new(NAME, title, desc, drawn))
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
        (Swatch::Line(median), format!("Median, {}", m.basis.short())),
    ];
    if m.other.is_some() {
        let other = match m.basis {
            Basis::Own => "System run-rate, median (not tested)",
            Basis::System => "Own run-rate, median (not tested)",
        };
        legend.push((Swatch::Line(system), other.to_string()));
    }
    let target = if m.target_uncertain {
        "Target (median)"
    } else {
        "Target"
    };
    legend.push((Swatch::Line(target_stroke()), target.to_string()));
    legend
}

/// How the target line is drawn.
fn target_stroke() -> Stroke {
    Stroke::dashed(nhs::RED, 3, 18.0, 8.0)
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
        bottom: canvas::plot_bottom(page) as f64 - canvas::X_AXIS_ROOM,
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
        m.rr.iter()
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
    super::fan_labels::annotate(root, &f, m, unit.div)
}

/// The money axis over every band, line and reference value, from zero when the data sit
/// well above it.
fn money_axis(m: &FanModel) -> (Axis, MoneyUnit) {
    let finite = |v: f64| v.is_finite().then_some(v);
    let all =
        m.rr.iter()
            .flat_map(|q| [q.p5, q.p95, q.p50])
            .chain([m.baseline])
            .chain(m.target.iter().copied())
            .chain(m.other.iter().flatten().copied())
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

/// The baseline line across the plot, the target by month, and the other basis's median
/// (dashed) if shown.
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
    // The target as a step line month by month, from the left edge to the right.
    let mut tp: Vec<(f64, f64)> = Vec::new();
    for (i, v) in m.target.iter().enumerate().filter(|(_, v)| v.is_finite()) {
        let y = f.y(v / div);
        let xl = if tp.is_empty() {
            x0
        } else {
            f.x(i as f64 - 0.5)
        };
        tp.push((xl, y));
        let xr = if i + 1 == m.target.len() {
            x1
        } else {
            f.x(i as f64 + 0.5)
        };
        tp.push((xr, y));
    }
    if tp.len() >= 2 {
        canvas::polyline(root, &tp, target_stroke())?;
    }
    if let Some(other) = &m.other {
        let p: Vec<(f64, f64)> = other
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
