//! Chart 3, `target_probability`: the S-curve of the chance that the running-cost target has
//! been met and held for 12 months by each month (`target_met_by`: `months_to_target` reached),
//! with the deadline marked and the chance at the deadline, the month the chance first reaches
//! 50%, and the chance by the end of the horizon labelled. The title gives `target_met` (met at
//! the deadline and in each of the 12 months after; for several organisations, every one meets
//! its own target).

use super::canvas::{self, nhs, size, tint, Frame, Ink, Stroke};
use super::format::{a_chance, format_pct, Month};
use super::input::TOTAL;
use super::{draw_svg, Chart, ChartError, RunData};
use crate::metric::{Metric, Series};
use plotters::style::text_anchor::{HPos, VPos};

const NAME: &str = "target_probability";

/// The numbers the S-curve shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SCurve {
    pub months: Vec<Month>,
    /// Probability met by each month, clamped to 0–1 (NaN where missing).
    pub p: Vec<f64>,
    pub deadline: Month,
    /// Probability of `target_met` (summary.csv, the total).
    pub target_met: f64,
    /// Number of organisations in the run.
    pub orgs: usize,
}

impl SCurve {
    fn from(d: &RunData) -> SCurve {
        let rows = d.ts.get(TOTAL, Series::TargetMetBy);
        SCurve {
            months: rows.iter().map(|(m, _)| *m).collect(),
            p: rows.iter().map(|(_, q)| q.mean.clamp(0.0, 1.0)).collect(),
            deadline: d.manifest.deadline,
            target_met: d.summary.mean(TOTAL, Metric::TargetMet),
            orgs: d.orgs().len(),
        }
    }

    /// First month at which the chance reaches one half.
    fn half_month(&self) -> Option<usize> {
        self.p.iter().position(|&v| v >= 0.5)
    }

    fn title(&self) -> String {
        if !self.target_met.is_finite() {
            return "No target results in this run".to_string();
        }
        let (chance, when) = (a_chance(self.target_met), self.deadline.label());
        if self.orgs >= 2 {
            format!("{chance} that every organisation meets its target by {when} and holds it for 12 months")
        } else {
            format!("{chance} of meeting the target by {when} and holding it for 12 months")
        }
    }
}

/// Builds the chart; a run without the monthly series gives a chart that says so.
pub(crate) fn chart(d: &RunData) -> Result<Chart, ChartError> {
    let m = SCurve::from(d);
    let title = m.title();
    let end = m.p.last().copied().unwrap_or(f64::NAN);
    let desc = format!(
        "Chance the target has been met and held for 12 months by each month. Met at the deadline {} and held: {}. By {}: {}.",
        m.deadline.label(),
        format_pct(m.target_met),
        m.months.last().map_or("the end".to_string(), |x| x.label()),
        format_pct(end)
    );
    // The curve (`target_met_by`) counts a target met at any month up to then and held for the
    // 12 months from it; the title (`target_met`) asks for the deadline month and the 12 after,
    // so the curve can stand higher at the deadline than the title: say which is which.
    let note = if m.orgs >= 2 {
        "Curve: every organisation met by then, held 12 months on; title: met at the deadline, held 12 after"
    } else {
        "Curve: target met by then and held 12 months on; title: met at the deadline and held 12 months after"
    };
    let page = d.page(title.clone(), note);
    let drawn = draw_svg(NAME, |root| draw(root, &page, &m))?;
    Ok(Chart::new(NAME, title, desc, drawn))
}

fn draw(root: &canvas::Root, page: &canvas::Page, m: &SCurve) -> canvas::Drawn {
    if m.months.is_empty() {
        return canvas::placeholder(
            root,
            page,
            &format!(
                "timeseries.csv has no {} rows for org total",
                Series::TargetMetBy
            ),
        );
    }
    let top = canvas::draw_page(root, page, &[])?;
    let ticks = [0.0, 25.0, 50.0, 75.0, 100.0];
    let fmt = |v: f64| format!("{v:.0}%");
    let label_w = Ink::new(size::LABEL).width("100%");
    let n = m.months.len() as f64;
    let f = Frame {
        left: canvas::MARGIN as f64 + label_w + 14.0,
        top: top as f64 + 50.0,
        right: (super::raster::WIDTH as i32 - canvas::MARGIN) as f64,
        bottom: canvas::plot_bottom(page) as f64 - canvas::X_AXIS_ROOM,
        xd: (-0.5, n - 0.5),
        yd: (0.0, 100.0),
    };
    canvas::y_grid(
        root,
        &f,
        &ticks,
        &fmt,
        "Chance target met and held for 12 months (%)",
    )?;
    canvas::fy_axis(root, &f, &m.months)?;
    let pts: Vec<(f64, f64)> =
        m.p.iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(i, v)| f.at(i as f64, v * 100.0))
            .collect();
    if pts.len() >= 2 {
        let mut area = pts.clone();
        area.push((pts[pts.len() - 1].0, f.bottom));
        area.push((pts[0].0, f.bottom));
        canvas::polygon(root, &area, tint(nhs::LIGHT_BLUE, 0.75))?;
    }
    canvas::polyline(root, &pts, Stroke::solid(nhs::DARK_BLUE, 5))?;
    canvas::x_axis_line(root, &f)?;
    annotate(root, &f, m)
}

/// Deadline line and labels at the deadline, the 50% month and the end.
fn annotate(root: &canvas::Root, f: &Frame, m: &SCurve) -> canvas::Drawn {
    let ink = Ink::new(size::LABEL).bold();
    let di = m.months.iter().position(|x| *x == m.deadline);
    // Label boxes already drawn; a label that would overlap one is left out.
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    if let Some(i) = di {
        let x = f.x(i as f64);
        canvas::deadline_line(root, f, x)?;
        let dl = format!("Deadline {}", m.deadline.label());
        let style = ink.at(HPos::Left, VPos::Top);
        let (lx, ly) = (x as i32 + 8, f.top as i32 - 4);
        canvas::boxed_text(root, &dl, lx, ly, style, 4)?;
        placed.push(style.bounds(&dl, lx, ly));
    }
    let mut labels = PointLabels {
        root,
        f,
        m,
        ink,
        placed,
    };
    if let Some(i) = di {
        let text = format!("{} by {}", format_pct(m.p[i]), m.months[i].label());
        labels.point(i, text, nhs::DARK_BLUE)?;
    }
    if let Some(i) = m.half_month() {
        let text = format!("50% chance by {}", m.months[i].label());
        labels.point(i, text, nhs::DARK_GREY)?;
    }
    let last = m.months.len() - 1;
    if Some(last) == di || Some(last) == m.half_month() {
        return Ok(());
    }
    let text = format!("{} by {}", format_pct(m.p[last]), m.months[last].label());
    labels.point(last, text, nhs::DARK_GREY)
}

/// Labelled points on the curve, leaving out any label that would overlap one already placed.
struct PointLabels<'a, 'b> {
    root: &'a canvas::Root<'b>,
    f: &'a Frame,
    m: &'a SCurve,
    ink: Ink,
    placed: Vec<(i32, i32, i32, i32)>,
}

impl PointLabels<'_, '_> {
    /// Marks month `i` with a dot and `text`, unless the label would overlap another.
    fn point(
        &mut self,
        i: usize,
        text: String,
        colour: plotters::style::RGBColor,
    ) -> canvas::Drawn {
        let (f, ink) = (self.f, self.ink);
        let v = self.m.p[i];
        if !v.is_finite() {
            return Ok(());
        }
        let p = f.at(i as f64, v * 100.0);
        // Label up-left of the point when the curve is high, down-right when it is low, so the
        // label sits on the empty side of the S.
        let (h, vpos, dx, dy) = if v > 0.5 {
            (HPos::Right, VPos::Bottom, -14, -12)
        } else {
            (HPos::Left, VPos::Top, 14, 12)
        };
        let (x, y) = ((p.0 as i32 + dx), (p.1 as i32 + dy));
        let w = ink.width(&text) as i32;
        let x = match h {
            HPos::Right => x.max(f.left as i32 + w + 6),
            _ => x.min(f.right as i32 - w - 6),
        };
        let style = ink.colour(colour).at(h, vpos);
        let bx = style.bounds(&text, x, y);
        let overlaps = |o: &(i32, i32, i32, i32)| {
            bx.0 < o.2 + 8 && bx.2 + 8 > o.0 && bx.1 < o.3 + 4 && bx.3 + 4 > o.1
        };
        if self.placed.iter().any(overlaps) {
            return Ok(());
        }
        self.placed.push(bx);
        canvas::dot(self.root, p, 8, colour)?;
        canvas::boxed_text(self.root, &text, x, y, style, 4)
    }
}
