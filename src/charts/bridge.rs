//! Chart 5, `reduction_bridge`: where the reduction comes from. A waterfall from the starting
//! headcount to the headcount in post at the deadline (`headcount_at_deadline`) through each
//! route (natural leavers, transfers, VR, MARS, CR, redeployment), using means across
//! iterations, with the exit cost of each paid route written under its bar; a route with no
//! one in it is left out. Routes are counted over the whole horizon, so people counted in a
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
        "Means across iterations; routes counted over the whole horizon; exit cost of each paid route under its bar",
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
    (Axis::nice(lo, highest * 1.06, 6), truncated)
}

/// A step's count as drawn above its bar: "−12", "+3" or "0".
fn step_value(count: f64) -> String {
    if count.abs() < 0.5 {
        "0".to_string()
    } else if count >= 0.0 {
        format!("{MINUS}{}", format_count(count))
    } else {
        format!("+{}", format_count(-count))
    }
}

/// What every bar of the bridge shares: the surface, frame, axis floor and bar geometry.
struct Bars<'a, 'b> {
    root: &'a canvas::Root<'b>,
    f: Frame,
    floor: f64,
    half: f64,
    slot: f64,
}

/// One bar: its slot, the levels it spans, colour, category label, value and any exit cost.
struct Bar<'s> {
    i: usize,
    from: f64,
    to: f64,
    colour: RGBColor,
    label: &'s str,
    value: String,
    cost: Option<f64>,
}

impl Bars<'_, '_> {
    /// Draws a bar from `from` to `to` in slot `i`, its value above, the exit cost below (paid
    /// steps) and its category label under the axis.
    fn draw(&self, b: Bar) -> canvas::Drawn {
        let (f, root) = (&self.f, self.root);
        let value = Ink::new(size::LABEL).bold().at(HPos::Center, VPos::Bottom);
        let cat = Ink::new(size::NOTE)
            .colour(nhs::TEXT)
            .at(HPos::Center, VPos::Top);
        let xc = f.x(b.i as f64 + 0.5);
        let (ya, yz) = (f.y(b.from.max(self.floor)), f.y(b.to.max(self.floor)));
        canvas::rect(
            root,
            (xc - self.half, ya.min(yz)),
            (xc + self.half, ya.max(yz).max(ya.min(yz) + 2.0)),
            b.colour,
        )?;
        canvas::text(root, &b.value, xc as i32, ya.min(yz) as i32 - 6, value)?;
        if let Some(c) = b.cost {
            let ink = Ink::new(size::LABEL)
                .bold()
                .colour(nhs::DARK_BLUE)
                .at(HPos::Center, VPos::Top);
            let y = ya.max(yz) as i32 + 8;
            canvas::boxed_text(root, &format_gbp(c), xc as i32, y, ink, 3)?;
        }
        for (k, line) in canvas::two_lines(b.label, cat, self.slot - 10.0)
            .iter()
            .enumerate()
        {
            let y = f.bottom as i32 + 10 + 24 * k as i32;
            canvas::text(root, line, xc as i32, y, cat)?;
        }
        Ok(())
    }
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
        (
            Swatch::Fill(paid),
            "Paid exits (exit cost shown)".to_string(),
        ),
        (Swatch::Fill(unpaid), "Other routes".to_string()),
    ];
    let top = canvas::draw_page(root, page, &legend)?;
    let levels = levels(b);
    let (ax, truncated) = headcount_axis(b, &levels);
    let fmt = |v: f64| format_tick(v, ax.decimals());
    let label_w = ax
        .ticks
        .iter()
        .map(|&t| Ink::new(size::LABEL).width(&fmt(t)))
        .fold(0.0, f64::max);
    let n = b.steps.len() + 2;
    let f = Frame {
        left: canvas::MARGIN as f64 + label_w + 14.0,
        top: top as f64 + 44.0,
        right: (super::raster::WIDTH as i32 - canvas::MARGIN) as f64,
        bottom: (canvas::PLOT_BOTTOM - 66) as f64,
        xd: (0.0, n as f64),
        yd: (ax.lo, ax.hi),
    };
    let unit = if truncated {
        "Headcount (axis does not start at zero)"
    } else {
        "Headcount"
    };
    canvas::y_grid(root, &f, &ax.ticks, &fmt, unit)?;
    let slot = f.x(1.0) - f.x(0.0);
    let bars = Bars {
        root,
        f,
        floor: ax.lo,
        half: (slot * 0.34).min(60.0),
        slot,
    };
    let colours = (total, paid, unpaid);
    all_bars(&bars, b, &levels, ends, colours)?;
    connectors(&bars, &levels)?;
    canvas::x_axis_line(root, &f)
}

/// The start bar, one bar per step (paid or other route) and the end bar.
fn all_bars(
    bars: &Bars,
    b: &Bridge,
    levels: &[f64],
    ends: (Option<String>, Option<String>),
    (total, paid, unpaid): (RGBColor, RGBColor, RGBColor),
) -> canvas::Drawn {
    // A no-break space keeps a month and its year on one line when a label wraps.
    let nb = |m: String| m.replace(' ', "\u{a0}");
    let start_label = ends
        .0
        .map_or("Start".to_string(), |m| format!("Start {}", nb(m)));
    let end_label = ends
        .1
        .map_or("End".to_string(), |m| format!("In post {}", nb(m)));
    let whole = |i, to, label, value| Bar {
        i,
        from: bars.floor,
        to,
        colour: total,
        label,
        value,
        cost: None,
    };
    bars.draw(whole(0, b.start, &start_label, format_count(b.start)))?;
    for (i, s) in b.steps.iter().enumerate() {
        bars.draw(Bar {
            i: i + 1,
            from: levels[i],
            to: levels[i + 1],
            colour: if s.cost.is_some() { paid } else { unpaid },
            label: &s.label,
            value: step_value(s.count),
            cost: s.cost,
        })?;
    }
    let last = b.steps.len() + 1;
    bars.draw(whole(last, b.end, &end_label, format_count(b.end)))?;
    Ok(())
}

/// Dashed connectors from each bar's level to the next bar.
fn connectors(bars: &Bars, levels: &[f64]) -> canvas::Drawn {
    let (f, half) = (&bars.f, bars.half);
    let dash = Stroke::dashed(nhs::MID_GREY, 2, 5.0, 4.0);
    for (i, &l) in levels.iter().enumerate() {
        let y = f.y(l.max(bars.floor));
        let (x0, x1) = (f.x(i as f64 + 0.5) + half, f.x(i as f64 + 1.5) - half);
        canvas::polyline(bars.root, &[(x0, y), (x1, y)], dash)?;
    }
    Ok(())
}
