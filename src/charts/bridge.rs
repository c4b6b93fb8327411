//! Chart 5, `reduction_bridge`: where the reduction comes from. A waterfall, one row per step
//! (labels on the left, so they print full-size on A4), from the starting headcount down to the
//! headcount in post at the deadline (`headcount_at_deadline`) through each route (natural
//! leavers, transfers, VR, MARS, CR, redeployment), using means across iterations, with the exit
//! cost of each paid route written after its count; a route with no one in it is left out. Routes are counted over the whole horizon, so people counted in a
//! route who are still in post at the deadline (they leave later) are added back in a bar of
//! their own, and any other difference shows as "Other changes" rather than being hidden.

use super::canvas::{self, nhs, size, tint, Frame, Ink, Stroke, Swatch};
use super::format::{format_count, format_gbp, format_pct, format_tick, MINUS};
use super::input::TOTAL;
use super::stats::Axis;
use super::{draw_svg, Chart, ChartError, RunData};
use crate::metric::Metric;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

const NAME: &str = "reduction_bridge";

/// Routes in bridge order: (count, bar label, words for the title, exit cost if paid).
const ROUTES: [(Metric, &str, &str, Option<Metric>); 6] = [
    (
        Metric::NaturalLeavers,
        "Natural leavers",
        "natural turnover",
        None,
    ),
    (
        Metric::Transferred,
        "Transferred to other bodies",
        "transfer to other bodies",
        None,
    ),
    (
        Metric::ExitsVr,
        "Voluntary redundancy (VR)",
        "voluntary redundancy",
        Some(Metric::ExitCostVrGbp),
    ),
    (
        Metric::ExitsMars,
        "MARS",
        "MARS",
        Some(Metric::ExitCostMarsGbp),
    ),
    (
        Metric::ExitsCr,
        "Compulsory redundancy (CR)",
        "compulsory redundancy",
        Some(Metric::ExitCostCrGbp),
    ),
    (Metric::Redeployed, "Redeployed", "redeployment", None),
];

/// One bar of the bridge.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    pub label: String,
    pub words: String,
    /// Headcount leaving by this route (mean); negative for net additions.
    pub count: f64,
    /// Mean exit cost of the route, for paid routes.
    pub cost: Option<f64>,
}

/// The bridge's numbers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bridge {
    pub start: f64,
    /// Headcount in post at the deadline.
    pub end: f64,
    pub deadline: String,
    pub steps: Vec<Step>,
}

impl Bridge {
    /// Builds the bridge from summary means; missing routes count as zero and routes with no
    /// one in them are left out. Fails when `headcount_start` is missing.
    fn from(d: &RunData) -> Result<Bridge, ChartError> {
        let s = &d.summary;
        let start = s.require(TOTAL, Metric::HeadcountStart)?.mean;
        let zero_nan = |v: f64| if v.is_finite() { v } else { 0.0 };
        let mut steps: Vec<Step> = ROUTES
            .iter()
            .map(|(metric, label, words, cost)| Step {
                label: label.to_string(),
                words: words.to_string(),
                count: zero_nan(s.mean(TOTAL, *metric)),
                cost: cost.map(|c| zero_nan(s.mean(TOTAL, c))),
            })
            .filter(|st| st.count.abs() >= 0.5)
            .collect();
        let routes_end = start - steps.iter().map(|x| x.count).sum::<f64>();
        let end = s.mean(TOTAL, Metric::HeadcountAtDeadline);
        let end = if end.is_finite() { end } else { routes_end };
        let deadline = d.manifest.deadline.label();
        let other = routes_end - end;
        if other.abs() >= (0.001 * start.abs()).max(0.5) {
            let (label, words) = if other < 0.0 {
                (
                    "Leave after the deadline".to_string(),
                    "leaving after the deadline".to_string(),
                )
            } else {
                (
                    "Other changes (net)".to_string(),
                    "other changes".to_string(),
                )
            };
            steps.push(Step {
                label,
                words,
                count: other,
                cost: None,
            });
        }
        Ok(Bridge {
            start,
            end,
            deadline,
            steps,
        })
    }

    fn title(&self) -> String {
        let fall = self.start - self.end;
        let share = if self.start > 0.0 {
            fall / self.start
        } else {
            0.0
        };
        let change = if fall >= 0.0 {
            format!(
                "Headcount falls from {} to {} by {} ({MINUS}{})",
                format_count(self.start),
                format_count(self.end),
                self.deadline,
                format_pct(share)
            )
        } else {
            format!(
                "Headcount rises from {} to {} by {}",
                format_count(self.start),
                format_count(self.end),
                self.deadline
            )
        };
        match self
            .steps
            .iter()
            .filter(|s| s.count > 0.0)
            .max_by(|a, b| a.count.total_cmp(&b.count))
        {
            Some(s) => format!("{change}; the largest route is {}", s.words),
            None => change,
        }
    }
}

/// Builds the chart. Fails when summary.csv lacks `total` `headcount_start`.
pub(crate) fn chart(d: &RunData) -> Result<Chart, ChartError> {
    let b = Bridge::from(d)?;
    let title = b.title();
    let parts: Vec<String> = b
        .steps
        .iter()
        .map(|s| match s.cost {
            Some(c) => format!("{} {} ({})", s.label, step_value(s.count), format_gbp(c)),
            None => format!("{} {}", s.label, step_value(s.count)),
        })
        .collect();
    let desc = format!(
        "Headcount bridge (means): start {}, {}, in post at the deadline {}.",
        format_count(b.start),
        parts.join(", "),
        format_count(b.end)
    );
    let months = d.ts.get(TOTAL, crate::metric::Series::RunRateGbp);
    let ends = (
        months.first().map(|m| m.0.label()),
        Some(b.deadline.clone()),
    );
    let page = d.page(
        title.clone(),
        "Means across iterations; routes counted over the whole horizon",
    );
    let drawn = draw_svg(NAME, |root| draw(root, &page, &b, ends))?;
    Ok(Chart::new(NAME, title, desc, drawn))
}

/// The running headcount after each step, starting at `b.start`.
fn levels(b: &Bridge) -> Vec<f64> {
    let mut level = b.start;
    let mut levels = vec![level];
    for s in &b.steps {
        level -= s.count;
        levels.push(level);
    }
    levels
}

/// The headcount axis, and whether it is truncated (does not start at zero because every
/// level is high up).
fn headcount_axis(b: &Bridge, levels: &[f64]) -> (Axis, bool) {
    let all = || levels.iter().copied().chain([b.end]);
    let lowest = all().fold(f64::INFINITY, f64::min);
    let highest = all().fold(f64::NEG_INFINITY, f64::max);
    let truncated = lowest > 0.6 * highest;
    let lo = if truncated {
        lowest - 0.15 * (highest - lowest).max(highest * 0.05)
    } else {
        lowest.min(0.0)
    };
    (Axis::nice(lo, highest, 5), truncated)
}

/// A step's count as printed beside its bar: "−12", "+3" or "0".
fn step_value(count: f64) -> String {
    if count.abs() < 0.5 {
        "0".to_string()
    } else if count >= 0.0 {
        format!("{MINUS}{}", format_count(count))
    } else {
        format!("+{}", format_count(-count))
    }
}

/// One row of the bridge: the levels its bar spans, colour, label, value and any exit cost.
struct Row {
    from: f64,
    to: f64,
    colour: RGBColor,
    label: String,
    value: String,
    cost: Option<f64>,
}

/// The value (and exit cost) printed right of a bar, and its width.
fn value_width(r: &Row) -> f64 {
    let bold = Ink::new(size::LABEL).bold();
    bold.width(&r.value) + r.cost.map_or(0.0, |c| 16.0 + bold.width(&format_gbp(c)))
}

fn draw(
    root: &canvas::Root,
    page: &canvas::Page,
    b: &Bridge,
    ends: (Option<String>, Option<String>),
) -> canvas::Drawn {
    let total = nhs::DARK_BLUE;
    let paid = nhs::BLUE;
    let unpaid = tint(nhs::MID_GREY, 0.45);
    let legend = [
        (Swatch::Fill(total), "Headcount".to_string()),
        (Swatch::Fill(paid), "Paid exits, with exit cost".to_string()),
        (Swatch::Fill(unpaid), "Other routes".to_string()),
    ];
    let top = canvas::draw_page(root, page, &legend)?;
    let levels = levels(b);
    let rows = rows(b, &levels, ends, (total, paid, unpaid));
    let (ax, truncated) = headcount_axis(b, &levels);
    let label_ink = Ink::new(size::LABEL)
        .colour(nhs::TEXT)
        .at(HPos::Right, VPos::Center);
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| canvas::two_lines(&r.label, label_ink, 420.0))
        .collect();
    let gutter = lines
        .iter()
        .flatten()
        .map(|l| label_ink.width(l))
        .fold(0.0, f64::max);
    let value_room = rows.iter().map(value_width).fold(0.0, f64::max) + 16.0;
    let f = Frame {
        left: canvas::MARGIN as f64 + gutter + 20.0,
        top: top as f64 + 4.0,
        right: (super::raster::WIDTH as i32 - canvas::MARGIN) as f64 - value_room,
        bottom: canvas::plot_bottom(page) as f64 - canvas::X_AXIS_ROOM,
        xd: (ax.lo, ax.hi),
        yd: (0.0, rows.len() as f64),
    };
    let fmt = |v: f64| format_tick(v, ax.decimals());
    let unit = if truncated {
        "Headcount (axis does not start at zero)"
    } else {
        "Headcount"
    };
    canvas::x_grid(root, &f, &ax.ticks, &fmt, unit, true)?;
    let row_h = (f.bottom - f.top) / f.yd.1;
    let half = (row_h * 0.3).min(24.0);
    for (i, (r, l)) in rows.iter().zip(&lines).enumerate() {
        let yc = f.top + (i as f64 + 0.5) * row_h;
        bar(root, &f, yc, half, r)?;
        let k = l.len() as f64;
        for (j, line) in l.iter().enumerate() {
            let y = yc + (j as f64 - (k - 1.0) / 2.0) * size::LABEL * 1.08;
            canvas::text(root, line, f.left as i32 - 14, y as i32, label_ink)?;
        }
    }
    connectors(root, &f, &levels, half)?;
    canvas::polyline(
        root,
        &[(f.x(ax.lo), f.top), (f.x(ax.lo), f.bottom)],
        Stroke::solid(nhs::DARK_GREY, 2),
    )
}

/// Draws one row's bar centred on `yc`, its value right of it and, for paid routes, the exit
/// cost after the value.
fn bar(root: &canvas::Root, f: &Frame, yc: f64, half: f64, r: &Row) -> canvas::Drawn {
    let floor = f.xd.0;
    let (xa, xz) = (f.x(r.from.max(floor)), f.x(r.to.max(floor)));
    let (l, rt) = (xa.min(xz), xa.max(xz).max(xa.min(xz) + 2.0));
    canvas::rect(root, (l, yc - half), (rt, yc + half), r.colour)?;
    let ink = Ink::new(size::LABEL)
        .bold()
        .colour(nhs::TEXT)
        .at(HPos::Left, VPos::Center);
    let x = rt + 10.0;
    canvas::text(root, &r.value, x as i32, yc as i32, ink)?;
    if let Some(c) = r.cost {
        let x = x + ink.width(&r.value) + 16.0;
        let cost = ink.colour(nhs::DARK_BLUE);
        canvas::text(root, &format_gbp(c), x as i32, yc as i32, cost)?;
    }
    Ok(())
}

/// The start row, one row per step (paid or other route) and the end row.
fn rows(
    b: &Bridge,
    levels: &[f64],
    ends: (Option<String>, Option<String>),
    (total, paid, unpaid): (RGBColor, RGBColor, RGBColor),
) -> Vec<Row> {
    let start_label = ends
        .0
        .map_or("Start".to_string(), |m| format!("Start, {m}"));
    let end_label = ends
        .1
        .map_or("End".to_string(), |m| format!("In post, {m}"));
    let mut out = vec![Row {
        from: f64::NEG_INFINITY,
        to: b.start,
        colour: total,
        label: start_label,
        value: format_count(b.start),
        cost: None,
    }];
    for (i, s) in b.steps.iter().enumerate() {
        out.push(Row {
            from: levels[i],
            to: levels[i + 1],
            colour: if s.cost.is_some() { paid } else { unpaid },
            label: s.label.clone(),
            value: step_value(s.count),
            cost: s.cost,
        });
    }
    out.push(Row {
        from: f64::NEG_INFINITY,
        to: b.end,
        colour: total,
        label: end_label,
        value: format_count(b.end),
        cost: None,
    });
    out
}

/// Dashed connectors from each bar's end down to the next bar.
fn connectors(root: &canvas::Root, f: &Frame, levels: &[f64], half: f64) -> canvas::Drawn {
    let dash = Stroke::dashed(nhs::MID_GREY, 2, 5.0, 4.0);
    let row_h = (f.bottom - f.top) / f.yd.1;
    for (i, &l) in levels.iter().enumerate() {
        let x = f.x(l.max(f.xd.0));
        let (y0, y1) = (
            f.top + (i as f64 + 0.5) * row_h + half,
            f.top + (i as f64 + 1.5) * row_h - half,
        );
        canvas::polyline(root, &[(x, y0), (x, y1)], dash)?;
    }
    Ok(())
}
