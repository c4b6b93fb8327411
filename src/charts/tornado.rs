//! Chart 4, `tornado`: which uncertain inputs move the money, in £. For each input, the swing
//! of total exit cost and of the run-rate at the deadline (target basis) between the input's
//! bottom and top deciles (`swing_gbp` in sensitivity.csv: the mean result where the input is at
//! or above its P90 less the mean where it is at or below its P10), as signed bars in two
//! panels, largest at top, with the 95% Monte Carlo range of each swing as a whisker. Inputs
//! whose swings are within Monte Carlo noise of zero (both less than 1.96 standard errors) are
//! left out and counted in the note.

use super::canvas::{self, nhs, size, tint, Frame, Ink, Stroke, Swatch};
use super::format::{format_count, format_gbp};
use super::input::Sensitivity;
use super::{draw_svg, Chart, ChartError, RunData};
use crate::output::records::DecileSwing;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

const NAME: &str = "tornado";
const MAX_BARS: usize = 10;
/// Standard errors either side of a swing in its 95% Monte Carlo range.
const Z95: f64 = 1.96;
/// Widest an input label may be on one line before it wraps.
const LABEL_MAX: f64 = 470.0;

/// A swing that is a number and not within Monte Carlo noise of zero.
fn clear(s: &DecileSwing) -> bool {
    s.swing.is_finite() && (s.swing.abs() > Z95 * s.se || (s.se == 0.0 && s.swing != 0.0))
}

/// The inputs shown and how many were left out as noise: those with a clear swing in either
/// result, ranked by the larger of their two swings relative to the largest swing of that
/// result, at most ten.
pub(crate) fn top_inputs(rows: &[Sensitivity]) -> (Vec<Sensitivity>, usize) {
    let kept: Vec<&Sensitivity> = rows
        .iter()
        .filter(|r| clear(&r.exit) || clear(&r.run_rate))
        .collect();
    let noise = rows
        .iter()
        .filter(|r| r.exit.swing.is_finite() || r.run_rate.swing.is_finite())
        .count()
        - kept.len();
    let biggest = |f: fn(&Sensitivity) -> f64| {
        kept.iter()
            .map(|r| f(r).abs())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    };
    let (ex, rr) = (biggest(|r| r.exit.swing), biggest(|r| r.run_rate.swing));
    let rel = |v: f64, m: f64| {
        if m > 0.0 && v.is_finite() {
            v.abs() / m
        } else {
            0.0
        }
    };
    let score = |r: &Sensitivity| rel(r.exit.swing, ex).max(rel(r.run_rate.swing, rr));
    let mut v: Vec<Sensitivity> = kept.into_iter().cloned().collect();
    v.sort_by(|a, b| {
        score(b)
            .total_cmp(&score(a))
            .then_with(|| a.input.cmp(&b.input))
    });
    v.truncate(MAX_BARS);
    (v, noise)
}

/// A swing as printed: "+£2.10m", "−£350k"; "n/a" when there is none.
pub(crate) fn signed(v: f64) -> String {
    if v.is_finite() && v > 0.0 {
        format!("+{}", format_gbp(v))
    } else {
        format_gbp(v)
    }
}

/// Lower-cases the first letter unless the first word is an acronym ("MARS take-up").
fn in_sentence(label: &str) -> String {
    let mut c = label.chars();
    match (c.next(), c.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

fn title(top: &[Sensitivity]) -> String {
    let by_exit = top
        .iter()
        .filter(|r| clear(&r.exit))
        .max_by(|a, b| a.exit.swing.abs().total_cmp(&b.exit.swing.abs()));
    match by_exit {
        Some(t) => format!(
            "Exit costs swing most with {}: {} from its lowest to its highest tenth of values",
            in_sentence(&t.label),
            signed(t.exit.swing)
        ),
        None if top.is_empty() => "No sensitivity results for exit cost in this run".to_string(),
        None => "No input moves exit costs beyond Monte Carlo noise".to_string(),
    }
}

/// The note: what a bar is, and what was left out.
fn note(noise: usize) -> String {
    let what = "Bar: mean with input in top 10% less mean in bottom 10%";
    match noise {
        0 => what.to_string(),
        n => format!("{what}; {} within noise not shown", format_count(n as f64)),
    }
}

/// Builds the chart; a run without swing results gives a chart that says so.
pub(crate) fn chart(d: &RunData) -> Result<Chart, ChartError> {
    let (top, noise) = top_inputs(&d.sensitivity);
    let title = title(&top);
    let desc = top
        .iter()
        .map(|r| {
            format!(
                "{}: exit cost {}, run-rate at the deadline {}",
                r.label,
                signed(r.exit.swing),
                signed(r.run_rate.swing)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let page = d.page(title.clone(), &note(noise));
    let drawn = draw_svg(NAME, |root| draw(root, &page, &top))?;
    Ok(Chart::new(
        NAME,
        title,
        format!("Change in £ from each input's lowest to highest tenth of values. {desc}."),
        drawn,
    ))
}

/// The two results a row shows, in panel order: heading and how to read a row's swing.
type Pick = fn(&Sensitivity) -> DecileSwing;
const PANELS: [(&str, Pick); 2] = [
    ("Exit cost", |r| r.exit),
    ("Run-rate at the deadline, a year", |r| r.run_rate),
];

fn draw(root: &canvas::Root, page: &canvas::Page, top: &[Sensitivity]) -> canvas::Drawn {
    let up = nhs::DARK_BLUE;
    let down = tint(nhs::LIGHT_BLUE, 0.15);
    let legend = [
        (Swatch::Fill(up), "Higher input, more £".to_string()),
        (Swatch::Fill(down), "Higher input, less £".to_string()),
        (
            Swatch::Line(Stroke::solid(nhs::TEXT, 2)),
            "95% Monte Carlo range".to_string(),
        ),
    ];
    if top.is_empty() {
        let msg = "sensitivity.csv has no swing beyond noise for org total";
        return canvas::placeholder(root, page, msg);
    }
    let y0 = canvas::draw_page(root, page, &legend)?;
    let ink = Ink::new(size::LABEL)
        .colour(nhs::TEXT)
        .at(HPos::Right, VPos::Center);
    let labels: Vec<Vec<String>> = top
        .iter()
        .map(|r| canvas::two_lines(&r.label, ink, LABEL_MAX))
        .collect();
    let gutter = labels
        .iter()
        .flatten()
        .map(|l| ink.width(l))
        .fold(0.0, f64::max);
    let heading = Ink::new(size::LABEL).bold().at(HPos::Center, VPos::Top);
    let (top_y, bottom) = (y0 as f64 + 44.0, (canvas::plot_bottom(page) - 10) as f64);
    let rows = top.len().max(5) as f64;
    let left = canvas::MARGIN as f64 + gutter + 20.0;
    let right = (canvas::WIDTH as i32 - canvas::MARGIN) as f64;
    let gap = 40.0;
    let width = (right - left - gap) / 2.0;
    for (k, (name, pick)) in PANELS.iter().enumerate() {
        let (l, r) = (
            left + k as f64 * (width + gap),
            left + k as f64 * (width + gap) + width,
        );
        let values: Vec<DecileSwing> = top.iter().map(pick).collect();
        let f = panel_frame(&values, (l, r), (top_y, bottom), rows);
        canvas::text(root, name, ((l + r) / 2.0) as i32, y0, heading)?;
        let shade = Stroke::solid(nhs::PALE_GREY, 2);
        canvas::polyline(root, &[(l, f.top), (r, f.top)], shade)?;
        panel(root, &f, &values, (up, down))?;
    }
    for (i, lines) in labels.iter().enumerate() {
        let yc = top_y + (i as f64 + 0.5) * (bottom - top_y) / rows;
        let n = lines.len() as f64;
        for (j, line) in lines.iter().enumerate() {
            let y = yc + (j as f64 - (n - 1.0) / 2.0) * size::LABEL * 1.08;
            canvas::text(root, line, left as i32 - 16, y as i32, ink)?;
        }
    }
    Ok(())
}

/// The frame of one panel: the data range of its swings and whiskers, widened in pixels on
/// each side that has bars so that the values printed at the bars' ends fit inside the panel.
fn panel_frame(values: &[DecileSwing], (l, r): (f64, f64), (t, b): (f64, f64), rows: f64) -> Frame {
    let value_ink = Ink::new(size::LABEL).bold();
    let (mut lo, mut hi, mut room_lo, mut room_hi) = (0.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
    for v in values.iter().filter(|v| v.swing.is_finite()) {
        let w = value_ink.width(&signed(v.swing)) + 14.0;
        let reach = v.swing.abs() + if v.se.is_finite() { Z95 * v.se } else { 0.0 };
        if v.swing >= 0.0 {
            hi = hi.max(reach);
            room_hi = room_hi.max(w);
        } else {
            lo = lo.min(-reach);
            room_lo = room_lo.max(w);
        }
    }
    if hi - lo <= 0.0 {
        hi = 1.0;
    }
    let px = (r - l - room_lo - room_hi).max(40.0);
    let per = (hi - lo) / px;
    Frame {
        left: l,
        top: t,
        right: r,
        bottom: b,
        xd: (lo - room_lo * per, hi + room_hi * per),
        yd: (0.0, rows),
    }
}

/// One panel's zero line, bars, whiskers and values.
fn panel(
    root: &canvas::Root,
    f: &Frame,
    values: &[DecileSwing],
    (up, down): (RGBColor, RGBColor),
) -> canvas::Drawn {
    let row_h = (f.bottom - f.top) / f.yd.1;
    let bar_h = (row_h * 0.6).min(40.0);
    let value_ink = Ink::new(size::LABEL).bold().colour(nhs::TEXT);
    let zero = f.x(0.0);
    for (i, v) in values.iter().enumerate() {
        let yc = f.top + (i as f64 + 0.5) * row_h;
        if !v.swing.is_finite() {
            let ink = value_ink.at(HPos::Left, VPos::Center);
            canvas::text(root, "n/a", zero as i32 + 8, yc as i32, ink)?;
            continue;
        }
        let x1 = f.x(v.swing);
        let colour = if v.swing >= 0.0 { up } else { down };
        canvas::rect(
            root,
            (zero.min(x1), yc - bar_h / 2.0),
            (zero.max(x1), yc + bar_h / 2.0),
            colour,
        )?;
        if v.se.is_finite() && v.se > 0.0 {
            let (a, b) = (f.x(v.swing - Z95 * v.se), f.x(v.swing + Z95 * v.se));
            let s = Stroke::solid(nhs::TEXT, 2);
            canvas::polyline(root, &[(a, yc), (b, yc)], s)?;
            for x in [a, b] {
                canvas::polyline(root, &[(x, yc - 7.0), (x, yc + 7.0)], s)?;
            }
        }
        let reach = v.swing.abs() + if v.se.is_finite() { Z95 * v.se } else { 0.0 };
        let (x, h) = if v.swing >= 0.0 {
            (f.x(reach) + 8.0, HPos::Left)
        } else {
            (f.x(-reach) - 8.0, HPos::Right)
        };
        let ink = value_ink.at(h, VPos::Center);
        canvas::text(root, &signed(v.swing), x as i32, yc as i32, ink)?;
    }
    canvas::polyline(
        root,
        &[(zero, f.top), (zero, f.bottom)],
        Stroke::solid(nhs::DARK_GREY, 2),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn swing(v: f64, se: f64) -> DecileSwing {
        DecileSwing {
            low_mean: 0.0,
            high_mean: v,
            swing: v,
            se,
        }
    }

    fn row(input: &str, exit: f64, run_rate: f64) -> Sensitivity {
        Sensitivity {
            input: input.into(),
            label: input.to_uppercase(),
            exit: swing(exit, 1000.0),
            run_rate: swing(run_rate, 1000.0),
        }
    }

    #[test]
    fn keeps_the_ten_largest_clear_swings_and_counts_the_noise() {
        // Swings of £k·100k for k = 0..13 with standard error £1k: k = 0 is noise.
        let mut rows: Vec<Sensitivity> = (0..14)
            .map(|k| row(&format!("i{k:02}"), k as f64 * 1e5, 0.0))
            .collect();
        rows.push(row("neg", -2e6, 0.0));
        rows.push(row("rate", 0.0, 5e6));
        rows.push(row("nan", f64::NAN, f64::NAN));
        let (top, noise) = top_inputs(&rows);
        assert_eq!(top.len(), 10);
        assert_eq!(noise, 1, "i00 swings by £0 ± £1k");
        // "neg" and "rate" are each the largest of their result (relative score 1).
        assert_eq!(
            (top[0].input.as_str(), top[1].input.as_str()),
            ("neg", "rate")
        );
        assert_eq!(top[2].input, "i13");
        assert!(!top.iter().any(|r| r.input == "i00" || r.input == "nan"));
    }

    #[test]
    fn swings_print_with_their_sign_and_titles_read_as_sentences() {
        assert_eq!(signed(2.1e6), "+£2.10m");
        assert_eq!(signed(-3.5e5), "\u{2212}£350k");
        assert_eq!(signed(f64::NAN), "n/a");
        assert_eq!(
            in_sentence("Voluntary redundancy take-up"),
            "voluntary redundancy take-up"
        );
        assert_eq!(in_sentence("MARS take-up"), "MARS take-up");
        assert_eq!(
            title(&[]),
            "No sensitivity results for exit cost in this run"
        );
        let mut turnover = row("turnover", -1.23e6, 0.0);
        turnover.label = "Staff turnover rate".into();
        assert_eq!(
            title(&[turnover]),
            "Exit costs swing most with staff turnover rate: \u{2212}£1.23m from its lowest to its highest tenth of values"
        );
        // Within noise: a swing of £1k with a standard error of £1k is not clear.
        assert!(!clear(&swing(1000.0, 1000.0)) && clear(&swing(3000.0, 1000.0)));
    }
}
