//! Chart 4, `tornado`: the (up to) ten inputs whose Spearman rank correlation with total exit
//! cost is largest in size, as signed horizontal bars with plain-words labels, largest at top.

use super::canvas::{self, nhs, size, tint, Frame, Ink, Stroke, Swatch};
use super::format::{format_tick, MINUS};
use super::input::Sensitivity;
use super::stats::Axis;
use super::{draw_svg, Chart, ChartError, RunData};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

const NAME: &str = "tornado";
const MAX_BARS: usize = 10;

/// The inputs shown: the largest |rho| first, at most ten.
pub(crate) fn top_inputs(rows: &[Sensitivity]) -> Vec<Sensitivity> {
    let mut v: Vec<Sensitivity> = rows.iter().filter(|r| r.rho.is_finite()).cloned().collect();
    v.sort_by(|a, b| {
        b.rho
            .abs()
            .total_cmp(&a.rho.abs())
            .then_with(|| a.input.cmp(&b.input))
    });
    v.truncate(MAX_BARS);
    v
}

/// "+0.71" / "−0.41".
fn signed(rho: f64) -> String {
    if rho < 0.0 {
        format!("{MINUS}{:.2}", -rho)
    } else {
        format!("+{rho:.2}")
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
    match top.first() {
        None => "No sensitivity results for exit cost in this run".to_string(),
        Some(t) => format!(
            "Exit costs depend most on {} (rank correlation {})",
            in_sentence(&t.label),
            signed(t.rho)
        ),
    }
}

/// Builds the chart; a run without sensitivity rows gives a chart that says so.
pub(crate) fn chart(d: &RunData) -> Result<Chart, ChartError> {
    let top = top_inputs(&d.sensitivity);
    let title = title(&top);
    let desc = top
        .iter()
        .map(|r| format!("{} {}", r.label, signed(r.rho)))
        .collect::<Vec<_>>()
        .join("; ");
    let page = d.page(
        title.clone(),
        "Spearman rank correlation between each sampled input and total exit cost",
    );
    let drawn = draw_svg(NAME, |root| draw(root, &page, &top))?;
    Ok(Chart::new(
        NAME,
        title,
        format!("Inputs driving total exit cost: {desc}."),
        drawn,
    ))
}

fn draw(root: &canvas::Root, page: &canvas::Page, top: &[Sensitivity]) -> canvas::Drawn {
    let up = nhs::DARK_BLUE;
    let down = tint(nhs::LIGHT_BLUE, 0.15);
    let legend = [
        (
            Swatch::Fill(up),
            "Higher input, higher exit cost".to_string(),
        ),
        (
            Swatch::Fill(down),
            "Higher input, lower exit cost".to_string(),
        ),
    ];
    if top.is_empty() {
        let msg = &format!(
            "sensitivity.csv has no rows for org total and output {}",
            crate::metric::Metric::ExitCostGbp
        );
        return canvas::placeholder(root, page, msg);
    }
    let y0 = canvas::draw_page(root, page, &legend)?;
    let ink = Ink::new(size::LABEL)
        .colour(nhs::TEXT)
        .at(HPos::Right, VPos::Center);
    let max_label = 560.0;
    let labels: Vec<String> = top
        .iter()
        .map(|r| canvas::ellipsize(&r.label, ink, max_label))
        .collect();
    let gutter = labels.iter().map(|l| ink.width(l)).fold(0.0, f64::max);
    let m = top
        .iter()
        .map(|r| r.rho.abs())
        .fold(0.0, f64::max)
        .max(0.05);
    let ax = Axis::nice(-m * 1.2, m * 1.2, 8);
    let f = Frame {
        left: canvas::MARGIN as f64 + gutter + 24.0,
        top: y0 as f64 + 20.0,
        right: (super::raster::WIDTH as i32 - canvas::MARGIN - 10) as f64,
        bottom: (canvas::PLOT_BOTTOM - 80) as f64,
        xd: (ax.lo, ax.hi),
        yd: (0.0, MAX_BARS.max(top.len()) as f64),
    };
    let fmt = |v: f64| {
        if v.abs() < 1e-12 {
            "0".to_string()
        } else {
            format_tick(v, ax.decimals())
        }
    };
    canvas::x_grid(
        root,
        &f,
        &ax.ticks,
        &fmt,
        "Rank correlation with total exit cost (Spearman)",
        true,
    )?;
    bars(root, &f, top, &labels, (ink, up, down))?;
    let zero = f.x(0.0);
    canvas::polyline(
        root,
        &[(zero, f.top), (zero, f.bottom)],
        Stroke::solid(nhs::DARK_GREY, 2),
    )
}

/// One signed bar per input, its label left of the plot and its value at the bar's end.
fn bars(
    root: &canvas::Root,
    f: &Frame,
    top: &[Sensitivity],
    labels: &[String],
    (ink, up, down): (Ink, RGBColor, RGBColor),
) -> canvas::Drawn {
    let row_h = (f.bottom - f.top) / f.yd.1;
    let bar_h = (row_h * 0.62).min(44.0);
    let value_ink = Ink::new(size::LABEL).bold().at(HPos::Left, VPos::Center);
    for (i, (r, label)) in top.iter().zip(labels).enumerate() {
        let yc = f.top + (i as f64 + 0.5) * row_h;
        let (x0, x1) = (f.x(0.0), f.x(r.rho));
        let colour = if r.rho >= 0.0 { up } else { down };
        canvas::rect(
            root,
            (x0.min(x1), yc - bar_h / 2.0),
            (x0.max(x1), yc + bar_h / 2.0),
            colour,
        )?;
        canvas::text(root, label, f.left as i32 - 16, yc as i32, ink)?;
        let (x, h) = if r.rho >= 0.0 {
            (x1 + 8.0, HPos::Left)
        } else {
            (x1 - 8.0, HPos::Right)
        };
        canvas::text(
            root,
            &signed(r.rho),
            x as i32,
            yc as i32,
            value_ink.colour(nhs::TEXT).at(h, VPos::Center),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(input: &str, rho: f64) -> Sensitivity {
        Sensitivity {
            input: input.into(),
            label: input.to_uppercase(),
            rho,
        }
    }

    #[test]
    fn keeps_the_ten_largest_by_size_with_sign() {
        let mut rows: Vec<Sensitivity> = (0..14)
            .map(|i| row(&format!("i{i:02}"), i as f64 / 20.0))
            .collect();
        rows.push(row("neg", -0.9));
        rows.push(row("nan", f64::NAN));
        let top = top_inputs(&rows);
        assert_eq!(top.len(), 10);
        assert_eq!(top[0].input, "neg");
        assert_eq!(top[1].input, "i13");
        assert!(top.windows(2).all(|w| w[0].rho.abs() >= w[1].rho.abs()));
    }

    #[test]
    fn titles_read_as_sentences() {
        assert_eq!(
            in_sentence("Voluntary redundancy take-up"),
            "voluntary redundancy take-up"
        );
        assert_eq!(in_sentence("MARS take-up"), "MARS take-up");
        assert_eq!(signed(-0.414), "\u{2212}0.41");
        assert_eq!(
            title(&[]),
            "No sensitivity results for exit cost in this run"
        );
    }
}
