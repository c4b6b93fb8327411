//! The paired comparison chart of `icbsim compare`, one per pair of options: for each result
//! compared, the distribution over iterations of the difference A − B drawn as a dot (P50) on a
//! thick bar (P25–P75) on a thin line (P5–P95), against a zero line, with the share of
//! iterations in which A is lower beside it. The title is the pair's finding on exit cost.
//! Drawn with the same page, axes, labels and palette as the other charts, from numbers the
//! caller already has, so it reads no files.

use super::canvas::{self, nhs, size, tint, Frame, Ink, Stroke, Swatch};
use super::format::{format_gbp, format_tick, money_unit, MoneyUnit};
use super::stats::Axis;
use super::{draw_svg_text, ChartSvg};
use plotters::style::text_anchor::{HPos, VPos};

const NAME: &str = "paired";
/// Widest line of a result's label; a longer label wraps to two lines.
const LABEL_MAX: f64 = 580.0;
/// Widest a row's note may be before it is shortened with an ellipsis.
const NOTE_MAX: f64 = 320.0;

/// One result's difference in the paired chart.
#[derive(Debug, Clone)]
pub struct DiffRow {
    /// The result, in words.
    pub label: String,
    /// P5, P25, P50, P75 and P95 of the difference A − B (£).
    pub q: [f64; 5],
    /// Printed at the right of the row, e.g. "A lower in 83%".
    pub note: String,
}

/// The paired chart of `rows` (top to bottom in the order given) with the finding `title`, and
/// `subtitle`, `axis_title` and `footer` as page text. Drawing failures are reported by
/// [`write_chart`](super::write_chart).
pub fn paired_svg(
    title: &str,
    rows: &[DiffRow],
    subtitle: &str,
    axis_title: &str,
    footer: &str,
) -> ChartSvg {
    let page = canvas::Page {
        title: title.to_string(),
        subtitle: subtitle.to_string(),
        footer: footer.to_string(),
        note: "Each iteration is one future under both options (common random numbers)".to_string(),
    };
    ChartSvg {
        name: NAME,
        title: title.to_string(),
        desc: desc(title, rows),
        svg: draw_svg_text(|root| draw(root, &page, rows, axis_title)),
    }
}

/// The text alternative: every row's numbers as the chart shows them.
fn desc(title: &str, rows: &[DiffRow]) -> String {
    let each: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{}: difference P50 {} (P5 {}, P95 {}), {}",
                r.label,
                format_gbp(r.q[2]),
                format_gbp(r.q[0]),
                format_gbp(r.q[4]),
                r.note
            )
        })
        .collect();
    format!("{title}. {}.", each.join("; "))
}

/// The money axis (in `unit`) over the finite P5 and P95, always including zero.
fn money_axis(rows: &[DiffRow]) -> (Axis, MoneyUnit) {
    let (lo, hi) = rows
        .iter()
        .flat_map(|r| [r.q[0], r.q[4]])
        .filter(|v| v.is_finite())
        .fold((0.0_f64, 0.0_f64), |(a, b), v| (a.min(v), b.max(v)));
    let unit = money_unit(hi.abs().max(lo.abs()));
    let (lo, hi) = if lo == hi {
        (-unit.div, unit.div)
    } else {
        (lo, hi)
    };
    (Axis::nice(lo / unit.div, hi / unit.div, 6), unit)
}

/// The plot frame under `top`: rows of at most 130 pixels, between the label gutter and the
/// note column (each as wide as its widest text).
fn frame(rows: &[DiffRow], top: f64, axis: &Axis) -> Frame {
    let ink = Ink::new(size::LABEL);
    let gutter = rows
        .iter()
        .flat_map(|r| canvas::two_lines(&r.label, ink, LABEL_MAX))
        .map(|l| ink.width(&l))
        .fold(0.0, f64::max);
    let note = Ink::new(size::NOTE);
    let notes = rows
        .iter()
        .map(|r| note.width(&canvas::ellipsize(&r.note, note, NOTE_MAX)))
        .fold(0.0, f64::max);
    let n = rows.len().max(1) as f64;
    let bottom_max = (canvas::PLOT_BOTTOM - 80) as f64;
    let row_h = ((bottom_max - top) / n).min(130.0);
    Frame {
        left: canvas::MARGIN as f64 + gutter + 24.0,
        top,
        right: canvas::WIDTH as f64 - canvas::MARGIN as f64 - notes - 32.0,
        bottom: top + row_h * n,
        xd: (axis.lo, axis.hi),
        yd: (0.0, n),
    }
}

fn draw(
    root: &canvas::Root,
    page: &canvas::Page,
    rows: &[DiffRow],
    axis_title: &str,
) -> canvas::Drawn {
    let outer = Stroke::solid(tint(nhs::BLUE, 0.45), 4);
    let inner = tint(nhs::BLUE, 0.7);
    let legend = [
        (Swatch::Line(outer), "P5–P95".to_string()),
        (Swatch::Fill(inner), "P25–P75".to_string()),
        (Swatch::Dot(nhs::DARK_BLUE), "P50 (median)".to_string()),
    ];
    let y0 = canvas::draw_page(root, page, &legend)?;
    let (axis, unit) = money_axis(rows);
    let f = frame(rows, y0 as f64 + 40.0, &axis);
    let fmt = |v: f64| format_tick(v, axis.decimals());
    let title = format!("{axis_title}, {}", unit.label);
    canvas::x_grid(root, &f, &axis.ticks, &fmt, &title, true)?;
    let zero = f.x(0.0);
    canvas::polyline(
        root,
        &[(zero, f.top), (zero, f.bottom)],
        Stroke::solid(nhs::DARK_GREY, 3),
    )?;
    let label_ink = Ink::new(size::LABEL).at(HPos::Right, VPos::Center);
    let note_ink = Ink::new(size::NOTE)
        .colour(nhs::TEXT)
        .at(HPos::Left, VPos::Center);
    for (i, r) in rows.iter().enumerate() {
        let yc = f.top + (i as f64 + 0.5) * (f.bottom - f.top) / f.yd.1;
        let lines = canvas::two_lines(&r.label, label_ink, LABEL_MAX);
        let pitch = (size::LABEL * 1.1).round();
        let y0 = yc - (lines.len() - 1) as f64 * pitch / 2.0;
        for (k, line) in lines.iter().enumerate() {
            let y = (y0 + k as f64 * pitch) as i32;
            canvas::text(root, line, f.left as i32 - 16, y, label_ink)?;
        }
        row(root, &f, yc, r.q, unit.div, (outer, inner))?;
        let note = canvas::ellipsize(&r.note, note_ink, NOTE_MAX);
        canvas::text(root, &note, f.right as i32 + 32, yc as i32, note_ink)?;
    }
    canvas::x_axis_line(root, &f)
}

/// One row's interval, box and median dot with its value, centred on pixel row `yc`.
fn row(
    root: &canvas::Root,
    f: &Frame,
    yc: f64,
    q: [f64; 5],
    div: f64,
    (outer, inner): (Stroke, plotters::style::RGBColor),
) -> canvas::Drawn {
    let value = Ink::new(size::NOTE)
        .bold()
        .colour(nhs::TEXT)
        .at(HPos::Center, VPos::Bottom);
    if !q[2].is_finite() {
        return canvas::text(root, &format_gbp(q[2]), f.x(0.0) as i32, yc as i32, value);
    }
    let x = |v: f64| f.x(v / div);
    let bar = ((f.bottom - f.top) / f.yd.1 * 0.28).min(30.0);
    if q[0].is_finite() && q[4].is_finite() {
        canvas::polyline(root, &[(x(q[0]), yc), (x(q[4]), yc)], outer)?;
    }
    if q[1].is_finite() && q[3].is_finite() {
        canvas::rect(
            root,
            (x(q[1]), yc - bar / 2.0),
            (x(q[3]).max(x(q[1]) + 1.0), yc + bar / 2.0),
            inner,
        )?;
    }
    canvas::dot(root, (x(q[2]), yc), 9, nhs::DARK_BLUE)?;
    canvas::boxed_text(
        root,
        &format_gbp(q[2]),
        x(q[2]) as i32,
        (yc - bar / 2.0 - 8.0) as i32,
        value,
        4,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, q: [f64; 5]) -> DiffRow {
        DiffRow {
            label: label.into(),
            q,
            note: "A lower in 83%".into(),
        }
    }

    #[test]
    fn the_axis_always_shows_zero_and_every_finite_interval() {
        let (axis, unit) = money_axis(&[row("Exit cost", [-5e7, -4e7, -3e7, -2e7, -1e7])]);
        assert_eq!(unit.label, "£m");
        assert!(axis.lo <= -50.0 && axis.hi >= 0.0, "{axis:?}");
        let (axis, _) = money_axis(&[row("Same", [0.0; 5]), row("Missing", [f64::NAN; 5])]);
        assert!(axis.lo < 0.0 && axis.hi > 0.0, "{axis:?}");
    }

    #[test]
    fn desc_quotes_the_numbers_drawn() {
        let d = desc("T", &[row("Exit cost", [-5e7, -4e7, -4.23e7, -2e7, -1e7])]);
        assert!(
            d.contains("Exit cost: difference P50 \u{2212}£42.3m (P5 \u{2212}£50.0m, P95 \u{2212}£10.0m), A lower in 83%"),
            "{d}"
        );
    }

    /// Long option names in the subtitle and long result labels wrap instead of being cut: every
    /// word is printed, on lines that fit the page.
    #[test]
    fn long_names_and_labels_wrap_whole() {
        let a = "Cluster mergers from April 2027 with the successors taking over the members' VR windows";
        let b =
            "England ICBs 2026 national default with local VR windows and a second wave of exits";
        let subtitle = format!("A: {a} · B: {b} · 10,000 iterations · seed 20260401");
        let long = "Run-rate at the deadline on the target basis, own functions";
        let rows = [row(long, [-3e6, -2e6, -1e6, 0.0, 1e6])];
        let chart = paired_svg("Title", &rows, &subtitle, "Difference A − B", "icbsim");
        chart.svg().unwrap();
        let printed = super::super::label::take_printed();
        assert!(!printed.iter().any(|p| p.contains('…')), "{printed:?}");
        let all = printed.join(" ");
        for words in [a, b, long, "10,000 iterations", "seed 20260401"] {
            assert!(
                all.contains(words),
                "{words} not printed whole: {printed:?}"
            );
        }
        let full = (canvas::WIDTH as i32 - 2 * canvas::MARGIN) as f64;
        let sub = Ink::new(size::SUBTITLE);
        assert!(
            printed.iter().any(|p| p == &format!("A: {a}")),
            "{printed:?}"
        );
        assert!(printed.iter().all(|p| sub.width(p) <= full), "{printed:?}");
    }

    #[test]
    fn draws_escaped_labels_values_and_missing_rows() {
        let rows = [
            row("NPV & more", [-3e8, -2e8, -1e8, 0.0, 1e8]),
            row("Missing", [f64::NAN; 5]),
        ];
        let chart = paired_svg("Title", &rows, "sub", "Difference A − B", "icbsim");
        let svg = chart.svg().unwrap();
        assert!(svg.contains("NPV &amp; more") && svg.contains("\u{2212}£100m"));
        assert!(svg.contains("n/a") && svg.contains("A lower in 83%"));
    }
}
