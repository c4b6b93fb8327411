//! The house style and page furniture shared by every chart: NHS identity colours, strokes and
//! shapes in pixel coordinates (with dashing), and the title/subtitle/legend/footer layout of a
//! 1600×900 page. Charts draw through these helpers (and [`label`](super::label) and
//! [`axes`](super::axes), re-exported here) so that all seven look like one set.

pub use super::axes::{fy_axis, x_axis_line, x_grid, y_grid, Frame};
pub use super::label::{boxed_text, ellipsize, fit_size, size, stack_rows, text, two_lines, Ink};
use super::raster::{HEIGHT, WIDTH};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The drawing surface of one chart: plotters' SVG backend in logical pixels.
pub type Root<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// A drawing failure, carried up to [`ChartError::Draw`](super::ChartError::Draw).
#[derive(Debug)]
pub struct DrawError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}

/// Result of drawing.
pub type Drawn<T = ()> = Result<T, DrawError>;

/// NHS identity colours (NHS England colour guidance).
pub mod nhs {
    // The whole identity palette is listed for reference; not every chart uses every colour.
    #![allow(dead_code)]
    use plotters::style::RGBColor;
    /// NHS Blue #005EB8.
    pub const BLUE: RGBColor = RGBColor(0x00, 0x5E, 0xB8);
    /// NHS Dark Blue #003087.
    pub const DARK_BLUE: RGBColor = RGBColor(0x00, 0x30, 0x87);
    /// NHS Bright Blue #0072CE.
    pub const BRIGHT_BLUE: RGBColor = RGBColor(0x00, 0x72, 0xCE);
    /// NHS Light Blue #41B6E6.
    pub const LIGHT_BLUE: RGBColor = RGBColor(0x41, 0xB6, 0xE6);
    /// NHS Aqua Green #00A499.
    pub const AQUA_GREEN: RGBColor = RGBColor(0x00, 0xA4, 0x99);
    /// NHS Warm Yellow #FFB81C.
    pub const WARM_YELLOW: RGBColor = RGBColor(0xFF, 0xB8, 0x1C);
    /// NHS Orange #ED8B00.
    pub const ORANGE: RGBColor = RGBColor(0xED, 0x8B, 0x00);
    /// NHS Red #DA291C.
    pub const RED: RGBColor = RGBColor(0xDA, 0x29, 0x1C);
    /// NHS Dark Grey #425563.
    pub const DARK_GREY: RGBColor = RGBColor(0x42, 0x55, 0x63);
    /// NHS Mid Grey #768692.
    pub const MID_GREY: RGBColor = RGBColor(0x76, 0x86, 0x92);
    /// NHS Pale Grey #E8EDEE.
    pub const PALE_GREY: RGBColor = RGBColor(0xE8, 0xED, 0xEE);
    /// NHS text colour #212B32.
    pub const TEXT: RGBColor = RGBColor(0x21, 0x2B, 0x32);
    /// White.
    pub const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
}

/// `c` mixed with white: `f` = 0 gives `c`, 1 gives white. Used for opaque tints, which stay
/// distinct lightness steps in greyscale print.
pub fn tint(c: RGBColor, f: f64) -> RGBColor {
    let m = |v: u8| (v as f64 + (255.0 - v as f64) * f).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// Left and right page margin.
pub const MARGIN: i32 = 48;

/// A stroke: colour, width and optional dash pattern (on, off) in pixels.
#[derive(Debug, Clone, Copy)]
pub struct Stroke {
    /// Colour.
    pub colour: RGBColor,
    /// Width in logical pixels.
    pub width: u32,
    /// Dash and gap lengths; `None` for a solid line.
    pub dash: Option<(f64, f64)>,
}

impl Stroke {
    /// A solid stroke.
    pub fn solid(colour: RGBColor, width: u32) -> Stroke {
        Stroke {
            colour,
            width,
            dash: None,
        }
    }
    /// A dashed stroke.
    pub fn dashed(colour: RGBColor, width: u32, on: f64, off: f64) -> Stroke {
        Stroke {
            colour,
            width,
            dash: Some((on, off)),
        }
    }
}

/// Draws a polyline through pixel points with `stroke`, dashing it if asked.
pub fn polyline(root: &Root, pts: &[(f64, f64)], stroke: Stroke) -> Drawn {
    let style = ShapeStyle {
        color: stroke.colour.to_rgba(),
        filled: false,
        stroke_width: stroke.width,
    };
    let round = |p: &(f64, f64)| (p.0.round() as i32, p.1.round() as i32);
    match stroke.dash {
        None => {
            root.draw(&PathElement::new(
                pts.iter().map(round).collect::<Vec<_>>(),
                style,
            ))?;
        }
        Some((on, off)) => {
            for dash in dashes(pts, on, off) {
                root.draw(&PathElement::new(
                    dash.iter().map(round).collect::<Vec<_>>(),
                    style,
                ))?;
            }
        }
    }
    Ok(())
}

/// Cuts a polyline into dashes of length `on` separated by gaps of `off`.
fn dashes(pts: &[(f64, f64)], on: f64, off: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let (mut drawing, mut left) = (true, on);
    for w in pts.windows(2) {
        let (mut a, b) = (w[0], w[1]);
        let mut seg = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if drawing && cur.is_empty() {
            cur.push(a);
        }
        while seg > left {
            let t = left / seg;
            let p = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            if drawing {
                cur.push(p);
                out.push(std::mem::take(&mut cur));
            } else {
                cur.push(p);
            }
            seg -= left;
            a = p;
            drawing = !drawing;
            left = if drawing { on } else { off };
        }
        left -= seg;
        if drawing {
            cur.push(b);
        } else {
            cur.clear();
        }
    }
    if drawing && cur.len() > 1 {
        out.push(cur);
    }
    out
}

/// Fills a rectangle given by two corners in pixels.
pub fn rect(root: &Root, a: (f64, f64), b: (f64, f64), colour: RGBColor) -> Drawn {
    let p = |q: (f64, f64)| (q.0.round() as i32, q.1.round() as i32);
    root.draw(&Rectangle::new([p(a), p(b)], colour.filled()))?;
    Ok(())
}

/// Fills a polygon through pixel points.
pub fn polygon(root: &Root, pts: &[(f64, f64)], colour: RGBColor) -> Drawn {
    let pts: Vec<(i32, i32)> = pts
        .iter()
        .map(|p| (p.0.round() as i32, p.1.round() as i32))
        .collect();
    root.draw(&Polygon::new(pts, colour.filled()))?;
    Ok(())
}

/// A filled circle marker with a white outline.
pub fn dot(root: &Root, at: (f64, f64), r: i32, colour: RGBColor) -> Drawn {
    let c = (at.0.round() as i32, at.1.round() as i32);
    root.draw(&Circle::new(c, r + 2, nhs::WHITE.filled()))?;
    root.draw(&Circle::new(c, r, colour.filled()))?;
    Ok(())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_cover_the_line_in_alternating_pieces() {
        let d = dashes(&[(0.0, 0.0), (100.0, 0.0)], 10.0, 5.0);
        assert_eq!(d.len(), 7);
        assert_eq!(d[0], vec![(0.0, 0.0), (10.0, 0.0)]);
        assert_eq!(d[1][0], (15.0, 0.0));
        let bent = dashes(&[(0.0, 0.0), (6.0, 0.0), (6.0, 6.0)], 10.0, 5.0);
        assert_eq!(bent[0], vec![(0.0, 0.0), (6.0, 0.0), (6.0, 4.0)]);
    }

    #[test]
    fn tints_step_towards_white() {
        assert_eq!(tint(nhs::BLUE, 0.0), nhs::BLUE);
        assert_eq!(tint(nhs::BLUE, 1.0), nhs::WHITE);
    }
}
