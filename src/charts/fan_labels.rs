//! The direct labels of the fan chart ([`super::fan`]): the baseline, the target, the deadline,
//! the months statutory mergers take effect and the median at the deadline, each placed where
//! the plot leaves room for it.

use super::canvas::{self, nhs, size, Frame, Ink, Stroke};
use super::fan::FanModel;
use super::format::format_gbp;
use plotters::style::text_anchor::{HPos, VPos};

/// Direct labels: baseline, target, deadline and the median at the deadline.
pub(super) fn annotate(root: &canvas::Root, f: &Frame, m: &FanModel, div: f64) -> canvas::Drawn {
    let ink = Ink::new(size::LABEL);
    let right = f.right as i32 - 8;
    let mut taken = None;
    if m.baseline.is_finite() {
        // Below the line at the right: costs have fallen away from the baseline there.
        let y = f.y(m.baseline / div) as i32 + 8;
        let s = format!("Baseline {} a year", format_gbp(m.baseline));
        let style = ink.colour(nhs::DARK_GREY).at(HPos::Right, VPos::Top);
        canvas::boxed_text(root, &s, right, y, style, 4)?;
        taken = Some(style.bounds(&s, right, y));
    }
    let target = m.target_at_deadline();
    if target.is_finite() {
        let y = f.y(target / div) as i32 + 10;
        let s = if m.target_varies() {
            format!(
                "Target {} a year at {}",
                format_gbp(target),
                m.months[m.deadline_index()].label()
            )
        } else {
            format!("Target {} a year", format_gbp(target))
        };
        canvas::boxed_text(
            root,
            &s,
            f.left as i32 + 12,
            y,
            ink.bold().colour(nhs::RED).at(HPos::Left, VPos::Top),
            4,
        )?;
    }
    deadline(root, f, m, div)?;
    mergers_marked(root, f, m, div)?;
    median_label(root, f, m, div, taken)
}

/// " Mergers: 5 in Apr 2026, 8 in Apr 2027." for the text alternative ("" without mergers).
pub(super) fn merger_words(m: &FanModel) -> String {
    if m.mergers.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = m
        .mergers
        .iter()
        .map(|&(i, n)| format!("{n} in {}", m.months[i].label()))
        .collect();
    format!(" Mergers: {}.", parts.join(", "))
}

/// Each month statutory mergers take effect as a dotted grey line, labelled "5 mergers, Apr
/// 2026" beside it, low down when the bottom of the plot is empty (as the deadline's), else at
/// the top; a label that would run into the one before goes a line further in.
fn mergers_marked(root: &canvas::Root, f: &Frame, m: &FanModel, div: f64) -> canvas::Drawn {
    let ink = Ink::new(size::LABEL).colour(nhs::DARK_GREY);
    let low = f.y(lowest(m) / div) < f.bottom - 110.0;
    let mut last_right = f64::NEG_INFINITY;
    let mut row = 0;
    for &(i, n) in &m.mergers {
        // The merger takes effect at the start of month i: between months i − 1 and i.
        let x = f.x(i as f64 - 0.5);
        canvas::polyline(
            root,
            &[(x, f.top), (x, f.bottom)],
            Stroke::dashed(nhs::MID_GREY, 2, 3.0, 6.0),
        )?;
        let s = format!(
            "{n} merger{}, {}",
            if n == 1 { "" } else { "s" },
            m.months[i].label()
        );
        row = if x + 8.0 < last_right + 12.0 {
            row + 1
        } else {
            0
        };
        let step = 44 * row;
        let (y, v) = if low {
            (f.bottom as i32 - 10 - step, VPos::Bottom)
        } else {
            (f.top as i32 + 4 + step, VPos::Top)
        };
        let style = ink.at(HPos::Left, v);
        canvas::boxed_text(root, &s, x as i32 + 8, y, style, 4)?;
        last_right = x + 8.0 + ink.width(&s);
    }
    Ok(())
}

/// The lowest value the plot draws (bands, lines, reference values).
fn lowest(m: &FanModel) -> f64 {
    m.rr.iter()
        .map(|q| q.p5)
        .chain(m.other.iter().flatten().copied())
        .chain(m.target.iter().copied())
        .chain([m.baseline])
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min)
}

/// The deadline as a dashed vertical line, labelled low down when the bottom of the plot is
/// empty, else at the top.
fn deadline(root: &canvas::Root, f: &Frame, m: &FanModel, div: f64) -> canvas::Drawn {
    let x = f.x(m.deadline_index() as f64);
    canvas::deadline_line(root, f, x)?;
    let dl = format!("Deadline {}", m.deadline.label());
    // Low down when the bottom of the plot is empty, else at the top.
    let (y, v) = if f.y(lowest(m) / div) < f.bottom - 60.0 {
        (f.bottom as i32 - 10, VPos::Bottom)
    } else {
        (f.top as i32 - 4, VPos::Top)
    };
    let style = Ink::new(size::LABEL).bold().at(HPos::Left, v);
    canvas::boxed_text(root, &dl, x as i32 + 8, y, style, 4)
}

/// The median at the deadline: a dot and its value above the fan, right of the deadline, or left
/// of it when the right would pass the plot's edge or overlap the box `taken` (the baseline
/// label).
fn median_label(
    root: &canvas::Root,
    f: &Frame,
    m: &FanModel,
    div: f64,
    taken: Option<(i32, i32, i32, i32)>,
) -> canvas::Drawn {
    let ink = Ink::new(size::LABEL);
    let i = m.deadline_index();
    let x = f.x(i as f64);
    let q = m.rr[i];
    if q.p50.is_finite() {
        let p = f.at(i as f64, q.p50 / div);
        canvas::dot(root, p, 7, nhs::DARK_BLUE)?;
        let above = if q.p95.is_finite() {
            f.y(q.p95 / div)
        } else {
            p.1
        } - 10.0;
        let s = format!("Median {} at {}", format_gbp(q.p50), m.months[i].label());
        let y = above.max(f.top + 40.0) as i32;
        let style = ink
            .bold()
            .colour(nhs::DARK_BLUE)
            .at(HPos::Left, VPos::Bottom);
        let (l, t, r, b) = style.bounds(&s, x as i32 + 10, y);
        let clash = r > f.right as i32
            || taken.is_some_and(|(l2, t2, r2, b2)| l < r2 && l2 < r && t < b2 + 4 && t2 < b + 4);
        // Left of the deadline instead, when the right would pass the plot's edge or cover the
        // baseline label.
        let (lx, style) = if clash {
            (x as i32 - 10, style.at(HPos::Right, VPos::Bottom))
        } else {
            (x as i32 + 10, style)
        };
        canvas::boxed_text(root, &s, lx, y, style, 4)?;
    }
    Ok(())
}
