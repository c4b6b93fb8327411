//! Text on charts: font sizes, a text style ([`Ink`]) that can measure itself with the bundled
//! font, drawing plain or boxed labels, and fitting labels to space (shrinking, wrapping to two
//! lines, ellipsis, stacking in rows) so that nothing overlaps or is clipped.

use super::palette::nhs;
use super::raster::text_width;
use super::shapes::{Drawn, Root};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Font sizes in logical pixels (SVG user units of the 1600-unit-wide page).
///
/// **The A4 rule.** A chart is printed 17 cm wide on A4 (21 cm less two 2 cm margins), so one
/// logical pixel of a page `W` pixels wide prints 17/W cm. A point is 1/72 inch = 2.54/72 cm, so
/// 8 pt = 8 × 2.54 / 72 = 0.2822 cm. Text prints at 8 pt or more when its size in pixels is at
/// least 0.2822 cm ÷ (17/W cm per pixel) = 8 × 2.54 × W / (72 × 17); for W = 1600 that is
/// 26.56 pixels ([`MIN_PX`]). Every size here is at or above it, and the chart tests read every
/// `<text>` the charts draw and check its size against it.
pub mod size {
    use super::super::raster::WIDTH;

    /// Width the charts are printed at on A4, in cm (21 cm less two 2 cm margins).
    pub const PRINT_WIDTH_CM: f64 = 17.0;
    /// The smallest printed text size, in points.
    pub const MIN_PRINT_PT: f64 = 8.0;
    /// Centimetres in a point: 1 pt = 1/72 inch, 1 inch = 2.54 cm.
    pub const CM_PER_PT: f64 = 2.54 / 72.0;

    /// The smallest font size, in pixels, that prints at [`MIN_PRINT_PT`] when a page
    /// `page_width_px` pixels wide is printed [`PRINT_WIDTH_CM`] wide:
    /// `MIN_PRINT_PT × CM_PER_PT × page_width_px / PRINT_WIDTH_CM`.
    pub const fn min_font_px(page_width_px: f64) -> f64 {
        MIN_PRINT_PT * CM_PER_PT * page_width_px / PRINT_WIDTH_CM
    }

    /// The smallest font size on a chart page: 26.56 pixels at 1600 wide (8 pt at 17 cm).
    pub const MIN_PX: f64 = min_font_px(WIDTH as f64);

    /// Chart title (wraps to two lines before it shrinks).
    pub const TITLE: f64 = 38.0;
    /// Smallest a title may shrink to fit.
    pub const TITLE_MIN: f64 = 32.0;
    /// Subtitle.
    pub const SUBTITLE: f64 = 28.0;
    /// Axis tick labels, category labels and annotations.
    pub const LABEL: f64 = 28.0;
    /// Legend entries and small notes.
    pub const NOTE: f64 = 27.0;
    /// Footer.
    pub const FOOTER: f64 = 27.0;

    // Every size prints at 8 pt or more on A4: checked when compiling.
    const _: () = assert!(
        FOOTER >= MIN_PX
            && NOTE >= MIN_PX
            && LABEL >= MIN_PX
            && SUBTITLE >= MIN_PX
            && TITLE_MIN >= MIN_PX
            && TITLE >= TITLE_MIN
    );
}

/// A text style: size, weight, colour and anchor.
#[derive(Clone, Copy)]
pub struct Ink {
    /// Size in logical pixels.
    pub px: f64,
    /// Bold?
    pub bold: bool,
    /// Colour.
    pub colour: RGBColor,
    /// Horizontal anchor.
    pub h: HPos,
    /// Vertical anchor.
    pub v: VPos,
}

impl Ink {
    /// Regular text in the text colour, anchored left/top.
    pub fn new(px: f64) -> Ink {
        Ink {
            px,
            bold: false,
            colour: nhs::TEXT,
            h: HPos::Left,
            v: VPos::Top,
        }
    }
    /// Bold.
    pub fn bold(self) -> Ink {
        Ink { bold: true, ..self }
    }
    /// In colour `c`.
    pub fn colour(self, c: RGBColor) -> Ink {
        Ink { colour: c, ..self }
    }
    /// Anchored at `h`, `v`.
    pub fn at(self, h: HPos, v: VPos) -> Ink {
        Ink { h, v, ..self }
    }
    fn style(&self) -> TextStyle<'static> {
        // plotters' SVG backend writes font-size = size / 1.24; undo that.
        let weight = if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        TextStyle {
            font: FontDesc::new(FontFamily::SansSerif, self.px * 1.24, weight),
            color: self.colour.to_backend_color(),
            pos: Pos::new(self.h, self.v),
        }
    }
    /// Width of `s` in this style.
    pub fn width(&self, s: &str) -> f64 {
        text_width(s, self.px, self.bold)
    }
    /// The box `s` occupies when drawn at (x, y): (left, top, right, bottom).
    pub fn bounds(&self, s: &str, x: i32, y: i32) -> (i32, i32, i32, i32) {
        let w = self.width(s).ceil() as i32;
        let em = self.px;
        let left = match self.h {
            HPos::Left => x,
            HPos::Center => x - w / 2,
            HPos::Right => x - w,
        };
        let top = match self.v {
            VPos::Top => y as f64 - 0.02 * em,
            VPos::Center => y as f64 - 0.62 * em,
            VPos::Bottom => y as f64 - 0.98 * em,
        };
        (left, top as i32, left + w, (top + 1.02 * em).ceil() as i32)
    }
}

thread_local! {
    /// Every label drawn by [`text`] on this thread since [`take_printed`] was last called.
    static PRINTED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The labels drawn by [`text`] (and so [`boxed_text`]) on this thread since the last call, in
/// drawing order; axis ticks ([`tick_text`]) are not among them. The chart tests check every
/// number in them against the run's CSV cells.
pub fn take_printed() -> Vec<String> {
    PRINTED.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// Draws `s` at (x, y) and records it as a printed label (see [`take_printed`]).
pub fn text(root: &Root, s: &str, x: i32, y: i32, ink: Ink) -> Drawn {
    PRINTED.with(|p| p.borrow_mut().push(s.to_string()));
    tick_text(root, s, x, y, ink)
}

/// Draws an axis tick label `s` at (x, y): a position on a scale, not a result, so it is not
/// recorded.
pub fn tick_text(root: &Root, s: &str, x: i32, y: i32, ink: Ink) -> Drawn {
    root.draw(&Text::new(s.to_string(), (x, y), ink.style()))?;
    Ok(())
}

/// Draws `s` at (x, y) on a white box with `pad` pixels round it, so it reads over gridlines
/// and data.
pub fn boxed_text(root: &Root, s: &str, x: i32, y: i32, ink: Ink, pad: i32) -> Drawn {
    let (l, t, r, b) = ink.bounds(s, x, y);
    let white = nhs::WHITE.mix(0.92).filled();
    root.draw(&Rectangle::new(
        [(l - pad, t - pad / 2), (r + pad, b + pad / 2)],
        white,
    ))?;
    text(root, s, x, y, ink)
}

/// Shortens `s` with an ellipsis until it fits in `max_width` at `ink`.
pub fn ellipsize(s: &str, ink: Ink, max_width: f64) -> String {
    if ink.width(s) <= max_width {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let t: String = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
        if ink.width(&t) <= max_width {
            return t;
        }
    }
    "…".to_string()
}

/// The words of `s` at which a line may break: split at spaces, except that a month and its
/// year ("Mar 2027") stay together.
fn breakable_words(s: &str) -> Vec<String> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut words: Vec<String> = Vec::new();
    for w in s.split(' ') {
        let year = w.len() >= 4 && w.chars().take(4).all(|c| c.is_ascii_digit());
        match words.last_mut() {
            Some(prev) if year && MONTHS.contains(&prev.as_str()) => {
                prev.push(' ');
                prev.push_str(w);
            }
            _ => words.push(w.to_string()),
        }
    }
    words
}

/// Splits `s` into at most `max_lines` lines no wider than `max_width` (breaking at spaces,
/// filling each line greedily), the last shortened with an ellipsis if needed.
pub fn wrap_lines(s: &str, ink: Ink, max_width: f64, max_lines: usize) -> Vec<String> {
    if ink.width(s) <= max_width || max_lines <= 1 {
        return vec![ellipsize(s, ink, max_width)];
    }
    let words = breakable_words(s);
    let mut lines: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if lines.len() + 1 == max_lines {
            lines.push(ellipsize(&words[i..].join(" "), ink, max_width));
            break;
        }
        let mut k = i + 1;
        while k < words.len() && ink.width(&words[i..=k].join(" ")) <= max_width {
            k += 1;
        }
        lines.push(ellipsize(&words[i..k].join(" "), ink, max_width));
        i = k;
    }
    lines
}

/// Splits `s` into at most `max_lines` lines no wider than `max_width`, breaking first between
/// its parts (the pieces between `sep`, which is dropped at a break, e.g. " · ") and filling each
/// line with whole parts; a part too wide for a line of its own wraps at spaces
/// ([`wrap_lines`]). The last line is shortened with an ellipsis if the text does not fit.
pub fn wrap_parts(s: &str, sep: &str, ink: Ink, max_width: f64, max_lines: usize) -> Vec<String> {
    if ink.width(s) <= max_width || max_lines <= 1 {
        return vec![ellipsize(s, ink, max_width)];
    }
    let parts: Vec<&str> = s.split(sep).collect();
    let mut lines: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let left = max_lines - lines.len();
        if left == 1 {
            lines.push(ellipsize(&parts[i..].join(sep), ink, max_width));
            break;
        }
        let mut k = i + 1;
        while k < parts.len() && ink.width(&parts[i..=k].join(sep)) <= max_width {
            k += 1;
        }
        if k == i + 1 && ink.width(parts[i]) > max_width {
            // One part wider than a line: wrap it at spaces, leaving a line for what follows.
            let room = if k < parts.len() { left - 1 } else { left };
            let wrapped = wrap_lines(parts[i], ink, max_width, room.max(1));
            lines.extend(wrapped);
        } else {
            lines.push(parts[i..k].join(sep));
        }
        i = k;
    }
    lines
}

/// Splits `s` into at most two lines no wider than `max_width` (see [`wrap_lines`]).
pub fn two_lines(s: &str, ink: Ink, max_width: f64) -> Vec<String> {
    wrap_lines(s, ink, max_width, 2)
}

/// Places labels (x centre, width) in the first of several stacked rows where they do not
/// overlap one already placed; returns each label's row.
pub fn stack_rows(items: &[(f64, f64)], gap: f64) -> Vec<usize> {
    let mut placed: Vec<(usize, f64, f64)> = Vec::new();
    let mut rows = Vec::with_capacity(items.len());
    for &(x, w) in items {
        let (l, r) = (x - w / 2.0 - gap, x + w / 2.0 + gap);
        let mut row = 0;
        while placed
            .iter()
            .any(|&(pr, pl, pp)| pr == row && l < pp && r > pl)
        {
            row += 1;
        }
        placed.push((row, l, r));
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_wrap_then_shorten() {
        let ink = Ink::new(20.0);
        assert_eq!(two_lines("VR", ink, 200.0), vec!["VR".to_string()]);
        let lines = two_lines("Voluntary redundancy scheme take-up rate", ink, 200.0);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| ink.width(l) <= 200.0));
        let e = ellipsize("Functions transferred to other NHS bodies", ink, 150.0);
        let three = wrap_lines(
            "A 1 in 6 chance of missing by Mar 2027 in the north",
            ink,
            260.0,
            3,
        );
        assert!(
            three.len() == 3 && three.iter().all(|l| ink.width(l) <= 260.0),
            "{three:?}"
        );
        assert!(!three
            .iter()
            .any(|l| l.ends_with("Mar") || l.starts_with("2027")));
        assert_eq!(
            three.join(" "),
            "A 1 in 6 chance of missing by Mar 2027 in the north"
        );
        assert!(e.ends_with('…') && ink.width(&e) <= 150.0);
    }

    #[test]
    fn long_subtitles_break_between_their_parts_first() {
        let ink = Ink::new(20.0);
        let a = "A: Cluster mergers with the successors taking over the VR windows of members";
        let b = "B: England ICBs 2026 national default";
        let s = format!("{a} · {b} · 300 iterations · seed 7");
        let width = ink.width(a) + 1.0;
        let lines = wrap_parts(&s, " · ", ink, width, 3);
        assert_eq!(
            lines,
            vec![a.to_string(), format!("{b} · 300 iterations · seed 7")]
        );
        // A part wider than a line wraps at its spaces; every word is kept.
        let lines = wrap_parts(&s, " · ", ink, ink.width(b) + 1.0, 6);
        assert!(
            lines.iter().all(|l| ink.width(l) <= ink.width(b) + 1.0),
            "{lines:?}"
        );
        assert!(lines.contains(&b.to_string()), "{lines:?}");
        assert_eq!(lines.join(" ").replace(" · ", " "), s.replace(" · ", " "));
        assert_eq!(
            wrap_parts("short · text", " · ", ink, 900.0, 2),
            vec!["short · text"]
        );
    }

    #[test]
    fn stacked_labels_never_share_a_row_when_they_overlap() {
        let rows = stack_rows(
            &[(100.0, 80.0), (150.0, 80.0), (400.0, 80.0), (120.0, 10.0)],
            4.0,
        );
        assert_eq!(rows, vec![0, 1, 0, 2]);
    }
}
