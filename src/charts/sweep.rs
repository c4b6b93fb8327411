//! The sweep chart, `sweep`: exit cost (P50 line with its P10–P90 band) and the chance of meeting
//! the target against the values of the swept parameter, one line per value of a second parameter
//! if there is one. Drawn with the same page, axes, labels and palette as the run charts, from
//! numbers the caller already has (the rows of sweep.csv), so it reads no files.

use super::canvas::{self, size, Frame, Ink, Stroke, Swatch};
use super::format::{format_gbp, format_pct, format_tick, money_unit, MoneyUnit};
use super::palette::series as palette_series;
use super::stats::Axis;
use super::{draw_svg_text, ChartSvg};

const NAME: &str = "sweep";
/// Right edge of the exit-cost panel and left edge of the probability panel's tick labels.
const EXIT_RIGHT: f64 = 740.0;
const PROB_LEFT: f64 = 860.0;
/// Opacity of the P10–P90 bands, so that the bands of several lines show through each other.
const BAND_OPACITY: f64 = 0.2;

/// One line of the sweep chart: a value of the second parameter (or none), with a point per
/// value of the first.
#[derive(Debug, Clone)]
pub struct SweepSeries {
    /// Legend label (`PATH = VALUE`), if there is a second parameter.
    pub label: Option<String>,
    /// Exit cost P10, P50, P90 per x value.
    pub exit: Vec<(f64, f64, f64)>,
    /// P(target met) per x value.
    pub p_met: Vec<f64>,
}

/// The sweep chart: x positions are the values of the first parameter (`x_name`, labelled
/// `x_labels`), evenly spaced in the order given; `subtitle` and `footer` are page text. Drawing
/// failures are reported by [`write_chart`](super::write_chart).
pub fn sweep_svg(
    x_name: &str,
    x_labels: &[String],
    series: &[SweepSeries],
    subtitle: &str,
    footer: &str,
) -> ChartSvg {
    let title = format!("Exit cost and chance of meeting the target as {x_name} varies");
    let page = canvas::Page {
        title: title.clone(),
        subtitle: subtitle.to_string(),
        footer: footer.to_string(),
        note: "Band: 10th–90th percentile of exit cost across iterations".to_string(),
    };
    ChartSvg {
        name: NAME,
        title,
        desc: desc(x_name, x_labels, series),
        svg: draw_svg_text(|root| draw(root, &page, x_name, x_labels, series)),
    }
}

/// The text alternative: every point's numbers as the chart shows them.
fn desc(x_name: &str, x_labels: &[String], series: &[SweepSeries]) -> String {
    let mut points = Vec::new();
    for s in series {
        let prefix = s.label.as_ref().map_or(String::new(), |l| format!("{l}, "));
        for (i, x) in x_labels.iter().enumerate() {
            let e = s
                .exit
                .get(i)
                .copied()
                .unwrap_or((f64::NAN, f64::NAN, f64::NAN));
            let p = s.p_met.get(i).copied().unwrap_or(f64::NAN);
            points.push(format!(
                "{prefix}{x_name} = {x}: exit cost P50 {} (P10 {}, P90 {}), P(target met) {}",
                format_gbp(e.1),
                format_gbp(e.0),
                format_gbp(e.2),
                format_pct(p)
            ));
        }
    }
    format!("Sweep of {x_name}. {}.", points.join("; "))
}

/// The money axis (in `unit`) over finite P10/P90 values, starting at zero when all are positive.
fn money_axis(series: &[SweepSeries]) -> (Axis, MoneyUnit) {
    let finite = series
        .iter()
        .flat_map(|s| s.exit.iter().flat_map(|e| [e.0, e.1, e.2]))
        .filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((0.0_f64, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let unit = money_unit(hi.abs().max(lo.abs()));
    let hi = if hi.is_finite() { hi } else { lo + unit.div };
    (Axis::nice(lo / unit.div, hi / unit.div, 5), unit)
}

/// The legend: one line per labelled series (shortened to share the row), else what the marks
/// mean for the single series.
fn legend(series: &[SweepSeries]) -> Vec<(Swatch, String)> {
    let labelled: Vec<(usize, &String)> = series
        .iter()
        .enumerate()
        .filter_map(|(k, s)| s.label.as_ref().map(|l| (k, l)))
        .collect();
    if labelled.is_empty() {
        let c = palette_series(0);
        return vec![
            (
                Swatch::Fill(canvas::tint(c, 0.8)),
                "P10–P90 range of exit cost".to_string(),
            ),
            (
                Swatch::Line(Stroke::solid(c, 4)),
                "P50 (median)".to_string(),
            ),
        ];
    }
    let ink = Ink::new(size::NOTE);
    let room = (canvas::WIDTH as i32 - 2 * canvas::MARGIN) as f64 / labelled.len() as f64 - 80.0;
    labelled
        .into_iter()
        .map(|(k, l)| {
            let swatch = Swatch::Line(Stroke::solid(palette_series(k), 4));
            (swatch, canvas::ellipsize(l, ink, room.max(60.0)))
        })
        .collect()
}

/// The frame of a panel from `left` to `right`: `n` evenly spaced x positions, y over `yd`,
/// with room on the left for tick labels formatted by `fmt`.
fn panel(
    left: f64,
    right: f64,
    top: f64,
    n: usize,
    axis: &Axis,
    fmt: &dyn Fn(f64) -> String,
) -> Frame {
    let ink = Ink::new(size::LABEL);
    // Half a step either side, less for a few points so that two points do not sit mid-panel.
    let pad = if n <= 1 {
        0.5
    } else {
        (0.12 * (n - 1) as f64).min(0.5)
    };
    let label_w = axis
        .ticks
        .iter()
        .map(|&t| ink.width(&fmt(t)))
        .fold(0.0, f64::max);
    Frame {
        left: left + label_w + 14.0,
        top,
        right,
        bottom: (canvas::PLOT_BOTTOM - 52) as f64,
        xd: (-pad, n.max(1) as f64 - 1.0 + pad),
        yd: (axis.lo, axis.hi),
    }
}

fn draw(
    root: &canvas::Root,
    page: &canvas::Page,
    x_name: &str,
    x_labels: &[String],
    series: &[SweepSeries],
) -> canvas::Drawn {
    let y0 = canvas::draw_page(root, page, &legend(series))?;
    let top = y0 as f64 + 56.0;
    let n = x_labels.len();
    let (axis, unit) = money_axis(series);
    let money = |v: f64| format_tick(v, axis.decimals());
    let fe = panel(canvas::MARGIN as f64, EXIT_RIGHT, top, n, &axis, &money);
    let p_axis = Axis::nice(0.0, 1.0, 4);
    let pct = |p: f64| format_pct(p);
    let fp = panel(
        PROB_LEFT,
        (canvas::WIDTH as i32 - canvas::MARGIN) as f64,
        top,
        n,
        &p_axis,
        &pct,
    );
    let unit_title = format!("Exit cost, {}: P50 with P10–P90 band", unit.label);
    canvas::y_grid(root, &fe, &axis.ticks, &money, &unit_title)?;
    canvas::y_grid(root, &fp, &p_axis.ticks, &pct, "P(target met)")?;
    for f in [&fe, &fp] {
        let room = (f.right - f.left) / n.max(1) as f64 - 8.0;
        let ink = Ink::new(size::LABEL);
        let at = |t: f64| canvas::ellipsize(x_labels.get(t as usize).map_or("", |s| s), ink, room);
        let ticks: Vec<f64> = (0..n).map(|i| i as f64).collect();
        canvas::x_grid(root, f, &ticks, &at, x_name, false)?;
    }
    for (k, s) in series.iter().enumerate() {
        band(root, &fe, s, unit.div, palette_series(k))?;
    }
    for (k, s) in series.iter().enumerate() {
        let c = palette_series(k);
        let mid: Vec<Option<f64>> = s.exit.iter().map(|e| Some(e.1 / unit.div)).collect();
        line(root, &fe, &mid, c)?;
        let p: Vec<Option<f64>> = s.p_met.iter().map(|&p| Some(p.clamp(0.0, 1.0))).collect();
        line(root, &fp, &p, c)?;
    }
    canvas::x_axis_line(root, &fe)?;
    canvas::x_axis_line(root, &fp)
}

/// The P10–P90 band of one series over the points where both ends are finite.
fn band(
    root: &canvas::Root,
    f: &Frame,
    s: &SweepSeries,
    div: f64,
    c: plotters::style::RGBColor,
) -> canvas::Drawn {
    let ok: Vec<usize> = (0..s.exit.len())
        .filter(|&i| s.exit[i].0.is_finite() && s.exit[i].2.is_finite())
        .collect();
    if ok.len() < 2 {
        return Ok(());
    }
    let upper = ok.iter().map(|&i| f.at(i as f64, s.exit[i].2 / div));
    let lower = ok.iter().rev().map(|&i| f.at(i as f64, s.exit[i].0 / div));
    let pts: Vec<(f64, f64)> = upper.chain(lower).collect();
    canvas::shade(root, &pts, c, BAND_OPACITY)
}

/// A line with a dot at each finite point (NaN points are left out).
fn line(
    root: &canvas::Root,
    f: &Frame,
    ys: &[Option<f64>],
    c: plotters::style::RGBColor,
) -> canvas::Drawn {
    let pts: Vec<(f64, f64)> = ys
        .iter()
        .enumerate()
        .filter_map(|(i, y)| y.filter(|v| v.is_finite()).map(|v| f.at(i as f64, v)))
        .collect();
    if pts.len() >= 2 {
        canvas::polyline(root, &pts, Stroke::solid(c, 4))?;
    }
    for p in pts {
        canvas::dot(root, p, 6, c)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(label: Option<&str>) -> SweepSeries {
        SweepSeries {
            label: label.map(str::to_string),
            exit: vec![(2.38e7, 2.59e7, 2.80e7), (2.53e7, 2.73e7, 2.93e7)],
            p_met: vec![0.705, 1.0],
        }
    }

    #[test]
    fn desc_quotes_every_point() {
        let d = desc("m", &["0".into(), "0.05".into()], &[series(None)]);
        assert!(
            d.contains("m = 0: exit cost P50 £25.9m (P10 £23.8m, P90 £28.0m), P(target met) 71%"),
            "{d}"
        );
        assert!(d.contains("m = 0.05: exit cost P50 £27.3m"), "{d}");
    }

    #[test]
    fn legend_names_each_labelled_line_in_its_palette_colour() {
        let l = legend(&[series(Some("a = 1")), series(Some("a = 2"))]);
        assert_eq!(l.len(), 2);
        assert_eq!(l[1].1, "a = 2");
        assert!(matches!(l[1].0, Swatch::Line(s) if s.colour == palette_series(1)));
        assert_eq!(legend(&[series(None)]).len(), 2);
    }

    #[test]
    fn draws_with_missing_points_and_a_single_value() {
        let mut s = series(None);
        s.exit[1] = (f64::NAN, f64::NAN, f64::NAN);
        s.p_met[1] = f64::NAN;
        let chart = sweep_svg("x", &["1".into(), "2".into()], &[s], "sub", "foot");
        assert!(chart.svg().unwrap().contains("P(target met)"));
        let mut single = series(None);
        single.exit.truncate(1);
        single.p_met.truncate(1);
        let one = sweep_svg("x", &["1".into()], &[single], "sub", "foot");
        assert!(one.svg().is_ok());
    }
}
