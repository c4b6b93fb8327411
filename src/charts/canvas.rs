//! Page furniture shared by every chart: the title/subtitle/legend/footer layout of a 1600×900
//! page, legend swatches and the placeholder page for runs without the data a chart needs. Charts
//! draw through this module, which re-exports the layers below it — [`palette`](super::palette),
//! [`shapes`](super::shapes), [`label`](super::label) and [`axes`](super::axes) — so that all of
//! them look like one set. Those layers never import this module.

pub use super::axes::{fy_axis, x_axis_line, x_grid, y_grid, Frame};
pub use super::label::{boxed_text, ellipsize, fit_size, size, stack_rows, text, two_lines, Ink};
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

/// Draws the page: white background, title, subtitle, optional legend row, footer. Returns the
/// top y at which the plot may start.
pub fn draw_page(root: &Root, page: &Page, legend: &[(Swatch, String)]) -> Drawn<i32> {
    root.fill(&nhs::WHITE)?;
    let full = (WIDTH as i32 - 2 * MARGIN) as f64;
    let px = fit_size(&page.title, size::TITLE, size::TITLE_MIN, true, full);
    let title = ellipsize(&page.title, Ink::new(px).bold(), full);
    text(
        root,
        &title,
        MARGIN,
        26,
        Ink::new(px).bold().colour(nhs::TEXT),
    )?;
    let sub = Ink::new(size::SUBTITLE).colour(nhs::DARK_GREY);
    text(root, &ellipsize(&page.subtitle, sub, full), MARGIN, 74, sub)?;
    let foot_y = HEIGHT as i32 - 16;
    let rule = ShapeStyle {
        color: nhs::PALE_GREY.to_rgba(),
        filled: false,
        stroke_width: 2,
    };
    root.draw(&PathElement::new(
        vec![(MARGIN, foot_y - 30), (WIDTH as i32 - MARGIN, foot_y - 30)],
        rule,
    ))?;
    let foot = Ink::new(size::FOOTER)
        .colour(nhs::DARK_GREY)
        .at(HPos::Left, VPos::Bottom);
    text(root, &page.footer, MARGIN, foot_y, foot)?;
    let note_max = full - foot.width(&page.footer) - 40.0;
    let note = ellipsize(&page.note, foot, note_max);
    text(
        root,
        &note,
        WIDTH as i32 - MARGIN,
        foot_y,
        foot.at(HPos::Right, VPos::Bottom),
    )?;
    if legend.is_empty() {
        return Ok(124);
    }
    draw_legend(root, legend, MARGIN, 122)?;
    Ok(150)
}

/// Draws the page with `message` in place of a chart, for runs without the data it needs.
pub fn placeholder(root: &Root, page: &Page, message: &str) -> Drawn {
    draw_page(root, page, &[])?;
    let ink = Ink::new(size::SUBTITLE)
        .colour(nhs::DARK_GREY)
        .at(HPos::Center, VPos::Center);
    text(root, message, WIDTH as i32 / 2, HEIGHT as i32 / 2, ink)
}

/// Bottom y of the area charts may use (above the footer).
pub const PLOT_BOTTOM: i32 = HEIGHT as i32 - 56;

fn draw_legend(root: &Root, items: &[(Swatch, String)], x0: i32, y: i32) -> Drawn {
    let ink = Ink::new(size::NOTE)
        .colour(nhs::TEXT)
        .at(HPos::Left, VPos::Center);
    let mut x = x0 as f64;
    for (swatch, label) in items {
        let (x1, y1) = (x, y as f64);
        match swatch {
            Swatch::Fill(c) => rect(root, (x1, y1 - 9.0), (x1 + 34.0, y1 + 9.0), *c)?,
            Swatch::Line(s) => polyline(root, &[(x1, y1), (x1 + 34.0, y1)], *s)?,
            Swatch::Dot(c) => dot(root, (x1 + 17.0, y1), 7, *c)?,
        }
        text(root, label, (x + 44.0) as i32, y, ink)?;
        x += 44.0 + ink.width(label) + 34.0;
    }
    Ok(())
}
