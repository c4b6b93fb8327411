//! The batch comparison chart, `comparison`: one row per scenario with its exit cost P10–P90 range
//! and P50 on the left, and its chance of meeting the target as a bar on the right; the title says
//! which option has the lowest median exit cost and which the best chance of meeting the target.
//! Rows share the plot's height, so a few scenarios get tall rows with their 80% range written
//! under the bar. Drawn with the same page, axes, labels and palette as the run charts, from
//! numbers the caller already has (the rows of comparison.csv), so it reads no files.

use super::canvas::{self, nhs, size, tint, Frame, Ink, Stroke, Swatch};
use super::format::{format_gbp, format_gbp_range, format_pct, format_tick, money_unit, MoneyUnit};
use super::stats::Axis;
use super::{draw_svg_text, ChartSvg};
use plotters::style::text_anchor::{HPos, VPos};

const NAME: &str = "comparison";
/// Right edge of the exit-cost panel and left edge of the probability panel (room between them
/// for the P50 label of a range that reaches the end of its axis).
const EXIT_RIGHT: f64 = 1060.0;
const PROB_LEFT: f64 = 1200.0;
/// Widest a scenario label may be on one line before it wraps to two.
const LABEL_MAX: f64 = 420.0;
/// Rows at least this tall have the 80% range written under their bar.
const RANGE_ROW: f64 = 100.0;

/// One scenario's bar in the comparison chart.
#[derive(Debug, Clone)]
pub struct RangeRow {
    /// Scenario name.
    pub label: String,
    /// Exit cost P10, P50, P90 (£).
    pub exit: (f64, f64, f64),
    /// P(target met).
    pub p_met: f64,
}

/// The comparison chart of `rows` (top to bottom in the order given), with `subtitle` and
/// `footer` as page text. Drawing failures are reported by [`write_chart`](super::write_chart).
pub fn comparison_svg(rows: &[RangeRow], subtitle: &str, footer: &str) -> ChartSvg {
    let title = title(rows);
    let page = canvas::Page {
        title: title.clone(),
        subtitle: subtitle.to_string(),
        footer: footer.to_string(),
        note: "Across iterations; P50 = median".to_string(),
    };
    ChartSvg {
        name: NAME,
        title: title.clone(),
        desc: desc(&title, rows),
        svg: draw_svg_text(|root| draw(root, &page, rows)),
    }
}

/// The rows with the best `value` (the lowest if `lower`, else the highest) as words — "A",
/// "A and B" or "N options" — with that value; `None` when no row has a number.
fn best(rows: &[RangeRow], value: fn(&RangeRow) -> f64, lower: bool) -> Option<(String, f64)> {
    let vals = rows.iter().map(value).filter(|v| v.is_finite());
    let top = if lower {
        vals.fold(f64::INFINITY, f64::min)
    } else {
        vals.fold(f64::NEG_INFINITY, f64::max)
    };
    let names: Vec<&str> = rows
        .iter()
        .filter(|r| value(r) == top)
        .map(|r| r.label.as_str())
        .collect();
    match names.as_slice() {
        [] => None,
        [one] => Some((one.to_string(), top)),
        [a, b] => Some((format!("{a} and {b}"), top)),
        many => Some((format!("{} options", many.len()), top)),
    }
}

/// "has", or "have" after several names.
fn has(names: &str) -> &'static str {
    if names.contains(" and ") || names.ends_with(" options") {
        "have"
    } else {
        "has"
    }
}

/// The finding: which option has the lowest median exit cost and which the best chance of
/// meeting the target, with their numbers.
fn title(rows: &[RangeRow]) -> String {
    let cheap = best(rows, |r| r.exit.1, true);
    let likely = best(rows, |r| r.p_met, false);
    match (rows, cheap, likely) {
        ([one], _, _) => format!(
            "{}: median exit cost {}, {} chance of meeting the target",
            one.label,
            format_gbp(one.exit.1),
            format_pct(one.p_met)
        ),
        (_, Some((c, e)), Some((l, p))) if c == l => format!(
            "{c} {} the lowest median exit cost ({}) and the best chance of meeting the target ({})",
            has(&c),
            format_gbp(e),
            format_pct(p)
        ),
        (_, Some((c, e)), Some((l, p))) => format!(
            "{c} {} the lowest median exit cost ({}); {l} the best chance of meeting the target ({})",
            has(&c),
            format_gbp(e),
            format_pct(p)
        ),
        _ => "Exit cost and chance of meeting the target, by scenario".to_string(),
    }
}

/// The text alternative: every scenario's numbers as the chart shows them.
fn desc(title: &str, rows: &[RangeRow]) -> String {
    let each: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{}: exit cost P50 {} (P10 {}, P90 {}), P(target met) {}",
                r.label,
                format_gbp(r.exit.1),
                format_gbp(r.exit.0),
                format_gbp(r.exit.2),
                format_pct(r.p_met)
            )
        })
        .collect();
    format!("{title}. {}.", each.join("; "))
}

/// The money axis (in `unit`) over finite exit costs, starting at zero when all are positive.
fn money_axis(rows: &[RangeRow]) -> (Axis, MoneyUnit) {
    let finite = rows
        .iter()
        .flat_map(|r| [r.exit.0, r.exit.1, r.exit.2])
        .filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((0.0_f64, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let unit = money_unit(hi.abs().max(lo.abs()));
    let hi = if hi.is_finite() { hi } else { lo + unit.div };
    (Axis::nice(lo / unit.div, hi / unit.div, 5), unit)
}

/// The two panels' frames: exit cost (data in the axis unit) and P(target met) (0–1), sharing
/// rows that fill the plot area from `top` to `bottom_max`.
fn frames(rows: &[RangeRow], (top, bottom_max): (f64, f64), axis: &Axis) -> (Frame, Frame) {
    let ink = Ink::new(size::LABEL);
    let gutter = rows
        .iter()
        .flat_map(|r| canvas::two_lines(&r.label, ink, LABEL_MAX))
        .map(|l| ink.width(&l))
        .fold(0.0, f64::max);
    let n = rows.len().max(1) as f64;
    let row_h = (bottom_max - top) / n;
    let exit = Frame {
        left: canvas::MARGIN as f64 + gutter + 24.0,
        top,
        right: EXIT_RIGHT,
        bottom: top + row_h * n,
        xd: (axis.lo, axis.hi),
        yd: (0.0, n),
    };
    let prob = Frame {
        left: PROB_LEFT,
        right: (canvas::WIDTH as i32 - canvas::MARGIN - 24) as f64,
        xd: (0.0, 1.0),
        ..exit
    };
    (exit, prob)
}

fn draw(root: &canvas::Root, page: &canvas::Page, rows: &[RangeRow]) -> canvas::Drawn {
    let range = tint(nhs::BLUE, 0.62);
    let median = Stroke::solid(nhs::DARK_BLUE, 5);
    let legend = [
        (
            Swatch::Fill(range),
            "P10–P90 range of exit cost".to_string(),
        ),
        (Swatch::Line(median), "P50 (median) exit cost".to_string()),
        (
            Swatch::Fill(nhs::BLUE),
            "Chance of meeting the target".to_string(),
        ),
    ];
    let y0 = canvas::draw_page(root, page, &legend)?;
    let (axis, unit) = money_axis(rows);
    let bottom = canvas::plot_bottom(page) as f64 - canvas::X_AXIS_ROOM;
    let (fe, fp) = frames(rows, (y0 as f64 + 56.0, bottom), &axis);
    let heading = Ink::new(size::LABEL).bold().at(HPos::Left, VPos::Bottom);
    let head_y = fe.top as i32 - 16;
    canvas::text(
        root,
        "Exit cost: P10–P90 range, P50 marked",
        fe.left as i32,
        head_y,
        heading,
    )?;
    canvas::text(root, "P(target met)", fp.left as i32, head_y, heading)?;
    let fmt = |v: f64| format_tick(v, axis.decimals());
    let title = format!("Exit cost, {}", unit.label);
    canvas::x_grid(root, &fe, &axis.ticks, &fmt, &title, true)?;
    let p_axis = Axis::nice(0.0, 1.0, 2);
    let pct = |p: f64| format_pct(p);
    canvas::x_grid(
        root,
        &fp,
        &p_axis.ticks,
        &pct,
        "Iterations meeting the target",
        true,
    )?;
    let label_ink = Ink::new(size::LABEL).at(HPos::Right, VPos::Center);
    for (i, r) in rows.iter().enumerate() {
        let yc = fe.top + (i as f64 + 0.5) * (fe.bottom - fe.top) / fe.yd.1;
        let lines = canvas::two_lines(&r.label, label_ink, LABEL_MAX);
        let k = lines.len() as f64;
        for (j, line) in lines.iter().enumerate() {
            let y = yc + (j as f64 - (k - 1.0) / 2.0) * size::LABEL * 1.08;
            canvas::text(root, line, fe.left as i32 - 16, y as i32, label_ink)?;
        }
        exit_row(root, &fe, yc, r.exit, unit.div, (range, median))?;
        prob_row(root, &fp, yc, r.p_met)?;
    }
    canvas::x_axis_line(root, &fe)?;
    canvas::x_axis_line(root, &fp)
}

/// The P10–P90 bar, the P50 marker and its value for one scenario, centred on pixel row `yc`.
fn exit_row(
    root: &canvas::Root,
    f: &Frame,
    yc: f64,
    (p10, p50, p90): (f64, f64, f64),
    div: f64,
    (range, median): (plotters::style::RGBColor, Stroke),
) -> canvas::Drawn {
    let bar = bar_height(f);
    if p10.is_finite() && p90.is_finite() {
        let (a, b) = (f.x(p10 / div), f.x(p90 / div));
        canvas::rect(root, (a, yc - bar / 2.0), (b, yc + bar / 2.0), range)?;
    }
    let (x, ink) = (f.x(p90.max(p50) / div) + 10.0, Ink::new(size::NOTE));
    let ink = ink.colour(nhs::TEXT).at(HPos::Left, VPos::Center);
    if !p50.is_finite() {
        return canvas::text(root, &format_gbp(p50), f.left as i32 + 10, yc as i32, ink);
    }
    let xm = f.x(p50 / div);
    let ends = [(xm, yc - bar / 2.0 - 4.0), (xm, yc + bar / 2.0 + 4.0)];
    canvas::polyline(root, &ends, median)?;
    canvas::text(root, &format_gbp(p50), x as i32, yc as i32, ink)?;
    let row_h = (f.bottom - f.top) / f.yd.1;
    if row_h >= RANGE_ROW && p10.is_finite() && p90.is_finite() {
        let range = format!("80% range {}", format_gbp_range(p10, p90));
        let ink = Ink::new(size::NOTE)
            .colour(nhs::DARK_GREY)
            .at(HPos::Left, VPos::Top);
        let x = f
            .x(p10 / div)
            .min(f.right - ink.width(&range))
            .max(f.left + 6.0);
        canvas::text(root, &range, x as i32, (yc + bar / 2.0 + 8.0) as i32, ink)?;
    }
    Ok(())
}

/// The P(target met) bar and its percentage (inside the bar when it is long enough).
fn prob_row(root: &canvas::Root, f: &Frame, yc: f64, p: f64) -> canvas::Drawn {
    let bar = bar_height(f);
    let x = f.x(p.clamp(0.0, 1.0));
    if p.is_finite() {
        canvas::rect(
            root,
            (f.left, yc - bar / 2.0),
            (x, yc + bar / 2.0),
            nhs::BLUE,
        )?;
    }
    let ink = Ink::new(size::NOTE).bold();
    let (x, ink) = if p > 0.8 {
        (
            x - 8.0,
            ink.colour(nhs::WHITE).at(HPos::Right, VPos::Center),
        )
    } else {
        let x = if p.is_finite() { x } else { f.left };
        (x + 8.0, ink.colour(nhs::TEXT).at(HPos::Left, VPos::Center))
    };
    canvas::text(root, &format_pct(p), x as i32, yc as i32, ink)
}

/// Bar thickness: a third of a row, 24 to 48 pixels (half a row in short rows).
fn bar_height(f: &Frame) -> f64 {
    let row = (f.bottom - f.top) / f.yd.1;
    (row * 0.34).clamp(24.0, 48.0).min(row * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, exit: (f64, f64, f64), p_met: f64) -> RangeRow {
        RangeRow {
            label: label.into(),
            exit,
            p_met,
        }
    }

    #[test]
    fn money_axis_starts_at_zero_and_covers_every_finite_value() {
        let rows = [
            row("A", (1.09e7, 1.45e7, 1.85e7), 0.97),
            row("B", (2.45e7, 2.64e7, 2.85e7), 0.94),
            row("C", (f64::NAN, f64::NAN, f64::NAN), f64::NAN),
        ];
        let (axis, unit) = money_axis(&rows);
        assert_eq!(unit.label, "£m");
        assert_eq!((axis.lo, axis.hi), (0.0, 30.0));
        let (empty, _) = money_axis(&rows[2..]);
        assert!(empty.lo <= 0.0 && empty.hi > empty.lo);
    }

    #[test]
    fn desc_quotes_the_numbers_drawn() {
        let rows = [row("Example ICB", (2.445e7, 2.643e7, 2.846e7), 0.94)];
        let d = desc(&title(&rows), &rows);
        assert!(
            d.contains(
                "Example ICB: exit cost P50 £26.4m (P10 £24.5m, P90 £28.5m), P(target met) 94%"
            ),
            "{d}"
        );
    }

    /// The title names the option with the lowest P50 exit cost and the one with the highest
    /// chance of meeting the target, with those numbers.
    #[test]
    fn title_names_the_cheapest_and_the_likeliest_option() {
        let a = row("Low VR", (1.0e7, 1.2e7, 1.4e7), 0.80);
        let b = row("High VR", (1.5e7, 1.8e7, 2.1e7), 0.95);
        assert_eq!(
            title(&[a.clone(), b.clone()]),
            "Low VR has the lowest median exit cost (£12.0m); High VR the best chance of meeting the target (95%)"
        );
        let c = row("Both", (0.9e7, 1.0e7, 1.1e7), 0.99);
        assert_eq!(
            title(&[a.clone(), b, c]),
            "Both has the lowest median exit cost (£10.0m) and the best chance of meeting the target (99%)"
        );
        let a2 = row("Other", (1.3e7, 1.4e7, 1.5e7), 0.80);
        assert!(title(&[a.clone(), a2])
            .ends_with("Low VR and Other the best chance of meeting the target (80%)"));
        assert_eq!(
            title(&[a]),
            "Low VR: median exit cost £12.0m, 80% chance of meeting the target"
        );
    }

    #[test]
    fn draws_escaped_labels_and_missing_values() {
        let rows = [
            row("A & B", (1e8, 2e8, 3e8), 0.9),
            row("C", (f64::NAN, f64::NAN, f64::NAN), 0.1),
        ];
        let chart = comparison_svg(&rows, "2 scenarios", "icbsim");
        let svg = chart.svg().unwrap();
        assert!(svg.contains("A &amp; B") && svg.contains("£200m") && svg.contains("n/a"));
        assert!(svg.contains("90%") && svg.contains("10%"));
    }

    #[test]
    fn writes_a_published_size_png_and_an_svg_with_text_as_paths() {
        let rows = [row("A", (1e8, 2e8, 3e8), 0.5)];
        let chart = comparison_svg(&rows, "1 scenario", "icbsim");
        let dir = tempfile::tempdir().unwrap();
        let files = super::super::write_chart(dir.path(), "comparison", &chart, "T").unwrap();
        assert_eq!(
            files,
            ["png", "svg"].map(|e| dir.path().join(format!("comparison.{e}")))
        );
        let png = std::fs::read(&files[0]).unwrap();
        let reader = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        assert_eq!((reader.info().width, reader.info().height), (2400, 1350));
        let svg = std::fs::read_to_string(&files[1]).unwrap();
        assert!(svg.contains("<title>T</title>") && !svg.contains("<text"));
        assert!(
            svg.contains("A: exit cost P50 £200m"),
            "the <desc> quotes the numbers"
        );
    }
}
