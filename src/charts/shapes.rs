//! Drawing primitives in pixel coordinates: the drawing surface and its error, the page margin,
//! strokes (solid or dashed) and polylines, rectangles, polygons and dot markers. The lowest layer
//! that draws: labels, axes and page furniture build on it, and it imports none of them.

use super::palette::nhs;
use plotters::coord::Shift;
use plotters::prelude::*;

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

/// Fills a polygon through pixel points with `colour` at `opacity` (0–1), for bands that may
/// overlap one another.
pub fn shade(root: &Root, pts: &[(f64, f64)], colour: RGBColor, opacity: f64) -> Drawn {
    let pts: Vec<(i32, i32)> = pts
        .iter()
        .map(|p| (p.0.round() as i32, p.1.round() as i32))
        .collect();
    root.draw(&Polygon::new(pts, colour.mix(opacity).filled()))?;
    Ok(())
}

/// A filled circle marker with a white outline.
pub fn dot(root: &Root, at: (f64, f64), r: i32, colour: RGBColor) -> Drawn {
    let c = (at.0.round() as i32, at.1.round() as i32);
    root.draw(&Circle::new(c, r + 2, nhs::WHITE.filled()))?;
    root.draw(&Circle::new(c, r, colour.filled()))?;
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
}
