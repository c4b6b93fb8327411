//! Page furniture shared by every chart: the title/subtitle/legend/footer layout of a 1600×900
//! page, legend swatches and the placeholder page for runs without the data a chart needs. Charts
//! draw through this module, which re-exports the layers below it — [`palette`](super::palette),
//! [`shapes`](super::shapes), [`label`](super::label) and [`axes`](super::axes) — so that all of
//! them look like one set. Those layers never import this module.

pub use super::axes::{deadline_line, fy_axis, x_axis_line, x_grid, y_grid, Frame, X_AXIS_ROOM};
pub use super::label::{
    boxed_text, ellipsize, size, stack_rows, text, two_lines, wrap_lines, wrap_parts, Ink,
};
pub use super::palette::{nhs, tint};
pub use super::raster::{HEIGHT, WIDTH};
pub use super::shapes::{dot, polygon, polyline, rect, shade, Drawn, Root, Stroke, MARGIN};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The fixed text of a chart page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The finding, in words.
    pub title: String,
    /// Scenario, iterations and seed.
    pub subtitle: String,
    /// icbsim version and scenario hash.
    pub footer: String,
    /// A note on what the marks show, at the bottom right.
    pub note: String,
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A filled block.
    Fill(RGBColor),
    /// A line.
    Line(Stroke),
    /// A dot.
    Dot(RGBColor),
}

/// The title as drawn: one line at [`size::TITLE`] if it fits, else two lines, shrinking
/// towards [`size::TITLE_MIN`] if two lines are not enough, then three lines at that size (the
/// last resort shortens the third). Returns the lines and their size.
pub fn title_lines(title: &str, width: f64) -> (Vec<String>, f64) {
    let mut px = size::TITLE;
    loop {
        let ink = Ink::new(px).bold();
        let lines = two_lines(title, ink, width);
        if lines.join(" ") == title {
            return (lines, px);
        }
        if px <= size::TITLE_MIN {
            return (wrap_lines(title, ink, width, 3), px);
        }
        px -= 2.0;
    }
}

/// Most lines a subtitle takes (long option names in `compare`); it breaks between its " · "
/// parts first.
const SUBTITLE_LINES: usize = 3;

/// Draws the page: white background, title (on up to two lines), subtitle (on up to
/// [`SUBTITLE_LINES`]), optional legend rows, footer with the note beside it. Returns the top y
/// at which the plot may start.
pub fn draw_page(root: &Root, page: &Page, legend: &[(Swatch, String)]) -> Drawn<i32> {
    root.fill(&nhs::WHITE)?;
    let full = (WIDTH as i32 - 2 * MARGIN) as f64;
    let (lines, px) = title_lines(&page.title, full);
    let mut y = 18.0;
    for line in &lines {
        let ink = Ink::new(px).bold().colour(nhs::TEXT);
        text(root, line, MARGIN, y as i32, ink)?;
        y += (px * 1.18).round();
    }
    let sub = Ink::new(size::SUBTITLE).colour(nhs::DARK_GREY);
    y += 6.0;
    for line in wrap_parts(&page.subtitle, " · ", sub, full, SUBTITLE_LINES) {
        text(root, &line, MARGIN, y as i32, sub)?;
        y += size::SUBTITLE * 1.2;
    }
    footer(root, page, full)?;
    if legend.is_empty() {
        return Ok(y as i32 + 22);
    }
    let bottom = draw_legend(
        root,
        legend,
        MARGIN,
        y as i32 + 12 + (size::NOTE * 0.6) as i32,
    )?;
    Ok(bottom + 18)
}

/// Height of a footer line.
const FOOT_LINE: i32 = (size::FOOTER * 1.25) as i32;

/// Whether the note is too long to share the footer's line, and so takes a line above it.
fn note_wraps(page: &Page) -> bool {
    let ink = Ink::new(size::FOOTER);
    let full = (WIDTH as i32 - 2 * MARGIN) as f64;
    ink.width(&page.footer) + 40.0 + ink.width(&page.note) > full
}

/// Bottom y of the area a chart on `page` may use: above the footer rule, which is one line
/// higher when the note takes a line of its own.
pub fn plot_bottom(page: &Page) -> i32 {
    if note_wraps(page) {
        PLOT_BOTTOM - FOOT_LINE
    } else {
        PLOT_BOTTOM
    }
}

/// The rule, the footer (left) and the note (right, or on its own line above the footer when
/// the two do not fit on one) along the bottom of the page.
fn footer(root: &Root, page: &Page, full: f64) -> Drawn {
    let foot_y = HEIGHT as i32 - 12;
    let wraps = note_wraps(page);
    let rule = ShapeStyle {
        color: nhs::PALE_GREY.to_rgba(),
        filled: false,
        stroke_width: 2,
    };
    let rule_y = foot_y - size::FOOTER as i32 - 12 - if wraps { FOOT_LINE } else { 0 };
    root.draw(&PathElement::new(
        vec![(MARGIN, rule_y), (WIDTH as i32 - MARGIN, rule_y)],
        rule,
    ))?;
    let foot = Ink::new(size::FOOTER)
        .colour(nhs::DARK_GREY)
        .at(HPos::Left, VPos::Bottom);
    text(root, &page.footer, MARGIN, foot_y, foot)?;
    if wraps {
        let note = ellipsize(&page.note, foot, full);
        return text(root, &note, MARGIN, foot_y - FOOT_LINE, foot);
    }
    text(
        root,
        &page.note,
        WIDTH as i32 - MARGIN,
        foot_y,
        foot.at(HPos::Right, VPos::Bottom),
    )
}

/// Draws the page with `message` in place of a chart, for runs without the data it needs.
pub fn placeholder(root: &Root, page: &Page, message: &str) -> Drawn {
    draw_page(root, page, &[])?;
    let ink = Ink::new(size::SUBTITLE)
        .colour(nhs::DARK_GREY)
        .at(HPos::Center, VPos::Center);
    text(root, message, WIDTH as i32 / 2, HEIGHT as i32 / 2, ink)
}

/// Bottom y of the area charts may use when the note shares the footer's line (see
/// [`plot_bottom`]).
pub(crate) const PLOT_BOTTOM: i32 = HEIGHT as i32 - 12 - size::FOOTER as i32 - 22;

/// Height of one legend row.
const LEGEND_ROW: i32 = 40;

/// Draws the legend entries left to right from (x0, y), starting a new row when the next entry
/// would pass the right margin. Returns the bottom y of the last row.
fn draw_legend(root: &Root, items: &[(Swatch, String)], x0: i32, y: i32) -> Drawn<i32> {
    let ink = Ink::new(size::NOTE)
        .colour(nhs::TEXT)
        .at(HPos::Left, VPos::Center);
    let right = (WIDTH as i32 - MARGIN) as f64;
    let (mut x, mut y) = (x0 as f64, y);
    for (swatch, label) in items {
        let w = 44.0 + ink.width(label);
        if x > x0 as f64 && x + w > right {
            x = x0 as f64;
            y += LEGEND_ROW;
        }
        let (x1, y1) = (x, y as f64);
        match swatch {
            Swatch::Fill(c) => rect(root, (x1, y1 - 9.0), (x1 + 34.0, y1 + 9.0), *c)?,
            Swatch::Line(s) => polyline(root, &[(x1, y1), (x1 + 34.0, y1)], *s)?,
            Swatch::Dot(c) => dot(root, (x1 + 17.0, y1), 7, *c)?,
        }
        text(root, label, (x + 44.0) as i32, y, ink)?;
        x += w + 34.0;
    }
    Ok(y + (size::NOTE * 0.6) as i32)
}
