//! Plot frames and axes: the linear map from data to pixels, gridlines with tick labels, the
//! financial-year month axis, and the axis line, in the house style.

use super::format::Month;
use super::label::{size, text, tick_text, Ink};
use super::palette::nhs;
use super::shapes::{polyline, Drawn, Root, Stroke, MARGIN};
use plotters::style::text_anchor::{HPos, VPos};

/// Room an x axis takes below its frame: tick labels on one line, then the axis title.
pub const X_AXIS_ROOM: f64 = 14.0 + 2.3 * size::LABEL;
/// Offset of the axis title below the frame.
const X_TITLE: f64 = 12.0 + 1.15 * size::LABEL;

/// A rectangle of the page with linear maps from data values to pixels.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// Left pixel.
    pub left: f64,
    /// Top pixel.
    pub top: f64,
    /// Right pixel.
    pub right: f64,
    /// Bottom pixel.
    pub bottom: f64,
    /// Data range along x (lo, hi).
    pub xd: (f64, f64),
    /// Data range along y (lo, hi).
    pub yd: (f64, f64),
}

impl Frame {
    /// Pixel x of data value `v`.
    pub fn x(&self, v: f64) -> f64 {
        self.left + (v - self.xd.0) / (self.xd.1 - self.xd.0) * (self.right - self.left)
    }
    /// Pixel y of data value `v`.
    pub fn y(&self, v: f64) -> f64 {
        self.bottom - (v - self.yd.0) / (self.yd.1 - self.yd.0) * (self.bottom - self.top)
    }
    /// Pixel point of (x, y).
    pub fn at(&self, x: f64, y: f64) -> (f64, f64) {
        (self.x(x), self.y(y))
    }
}

/// Draws horizontal gridlines and right-aligned y tick labels at `ticks`, and the unit label
/// above the axis (left-aligned with the tick labels, so nothing is rotated).
pub fn y_grid(
    root: &Root,
    f: &Frame,
    ticks: &[f64],
    fmt: &dyn Fn(f64) -> String,
    unit: &str,
) -> Drawn {
    let ink = Ink::new(size::LABEL)
        .colour(nhs::DARK_GREY)
        .at(HPos::Right, VPos::Center);
    let mut widest: f64 = 0.0;
    for &t in ticks {
        let y = f.y(t);
        let stroke = if t == 0.0 {
            Stroke::solid(nhs::MID_GREY, 2)
        } else {
            Stroke::solid(nhs::PALE_GREY, 2)
        };
        polyline(root, &[(f.left, y), (f.right, y)], stroke)?;
        let label = fmt(t);
        widest = widest.max(ink.width(&label));
        tick_text(root, &label, f.left as i32 - 12, y.round() as i32, ink)?;
    }
    let unit_ink = Ink::new(size::LABEL)
        .colour(nhs::DARK_GREY)
        .at(HPos::Left, VPos::Bottom);
    let x = (f.left - 12.0 - widest).min(f.left - 12.0) as i32;
    text(root, unit, x.max(MARGIN), f.top as i32 - 14, unit_ink)
}

/// Draws centred x tick labels below the frame (with vertical gridlines if `grid`, else tick
/// marks), and the axis title centred under them.
pub fn x_grid(
    root: &Root,
    f: &Frame,
    ticks: &[f64],
    fmt: &dyn Fn(f64) -> String,
    title: &str,
    grid: bool,
) -> Drawn {
    let ink = Ink::new(size::LABEL)
        .colour(nhs::DARK_GREY)
        .at(HPos::Center, VPos::Top);
    for &t in ticks {
        let x = f.x(t);
        let stroke = if t == 0.0 {
            Stroke::solid(nhs::DARK_GREY, 2)
        } else {
            Stroke::solid(nhs::PALE_GREY, 2)
        };
        if grid {
            polyline(root, &[(x, f.top), (x, f.bottom)], stroke)?;
        } else {
            polyline(
                root,
                &[(x, f.bottom), (x, f.bottom + 7.0)],
                Stroke::solid(nhs::MID_GREY, 2),
            )?;
        }
        tick_text(root, &fmt(t), x.round() as i32, f.bottom as i32 + 10, ink)?;
    }
    let mid = ((f.left + f.right) / 2.0) as i32;
    text(
        root,
        title,
        mid,
        (f.bottom + X_TITLE) as i32,
        ink.colour(nhs::TEXT),
    )
}

/// Month ticks on the axis, longer ticks and faint gridlines at each April, and financial-year
/// labels centred under their months.
pub fn fy_axis(root: &Root, f: &Frame, months: &[Month]) -> Drawn {
    let tick = Stroke::solid(nhs::MID_GREY, 2);
    let ink = Ink::new(size::LABEL)
        .colour(nhs::DARK_GREY)
        .at(HPos::Center, VPos::Top);
    let mut start = 0;
    for (i, m) in months.iter().enumerate() {
        let x = f.x(i as f64);
        polyline(root, &[(x, f.bottom), (x, f.bottom + 7.0)], tick)?;
        if m.month() == 4 && i > 0 {
            let xb = f.x(i as f64 - 0.5);
            polyline(
                root,
                &[(xb, f.top), (xb, f.bottom)],
                Stroke::solid(nhs::PALE_GREY, 2),
            )?;
            polyline(
                root,
                &[(xb, f.bottom), (xb, f.bottom + X_TITLE - 6.0)],
                tick,
            )?;
        }
        let last = i + 1 == months.len() || months[i + 1].fy_label() != m.fy_label();
        if last {
            let span = i + 1 - start;
            let label = if span >= 3 {
                m.fy_label()
            } else {
                String::new()
            };
            let xc = f.x((start + i) as f64 / 2.0);
            tick_text(root, &label, xc.round() as i32, f.bottom as i32 + 12, ink)?;
            start = i + 1;
        }
    }
    let title = Ink::new(size::LABEL)
        .colour(nhs::TEXT)
        .at(HPos::Center, VPos::Top);
    text(
        root,
        "Financial year (April to March), monthly",
        ((f.left + f.right) / 2.0) as i32,
        (f.bottom + X_TITLE) as i32,
        title,
    )
}

/// Draws the x axis line along the bottom of the frame.
pub fn x_axis_line(root: &Root, f: &Frame) -> Drawn {
    polyline(
        root,
        &[(f.left, f.bottom), (f.right, f.bottom)],
        Stroke::solid(nhs::DARK_GREY, 2),
    )
}

/// The deadline's dashed vertical line at `x`, from just above the plot to its bottom (the fan
/// chart and the target-probability chart).
pub fn deadline_line(root: &Root, f: &Frame, x: f64) -> Drawn {
    polyline(
        root,
        &[(x, f.top - 6.0), (x, f.bottom)],
        Stroke::dashed(nhs::TEXT, 2, 6.0, 5.0),
    )
}
