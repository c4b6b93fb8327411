//! The sweep chart, `sweep`: exit cost (P50 line with its P10–P90 band) and the chance of meeting
//! the target against the values of the swept parameter, one line per value of a second parameter
//! if there is one (then each line's points are set slightly apart and its P10–P90 range is a
//! whisker, so that lines and bands do not hide each other). Values written as distributions are
//! labelled in a short form (`{dist="uniform",min=0.1,max=0.3}` → `0.1–0.3`, the family named in
//! the axis title). The title states how the results move across the sweep. Drawn with the same
//! page, axes, labels and palette as the run charts, from numbers the caller already has (the
//! rows of sweep.csv), so it reads no files.

use super::canvas::{self, nhs, size, Frame, Ink, Stroke, Swatch};
use super::format::{format_gbp, format_gbp_range, format_pct, format_tick, money_unit, MoneyUnit};
use super::palette::series as palette_series;
use super::stats::Axis;
use super::{draw_svg_text, ChartSvg};
use plotters::style::text_anchor::{HPos, VPos};

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
    let short: Vec<ShortValue> = x_labels.iter().map(|v| short_value(v)).collect();
    let x_short: Vec<String> = short.iter().map(|v| v.text.clone()).collect();
    let series: Vec<SweepSeries> = series
        .iter()
        .map(|s| SweepSeries {
            label: s.label.as_deref().map(short_legend),
            ..s.clone()
        })
        .collect();
    let axis_title = match short.first().map(|v| v.form) {
        Some(Some(form)) if short.iter().all(|v| v.form == Some(form)) => {
            format!("{x_name} ({form})")
        }
        _ => x_name.to_string(),
    };
    let title = title(x_name, &x_short, &series);
    let page = canvas::Page {
        title: title.clone(),
        subtitle: subtitle.to_string(),
        footer: footer.to_string(),
        note: "Across iterations; P50 = median".to_string(),
    };
    ChartSvg {
        name: NAME,
        title,
        desc: desc(x_name, &x_short, &series),
        svg: draw_svg_text(|root| draw(root, &page, &axis_title, &x_short, &series)),
    }
}

/// A swept value as the chart labels it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShortValue {
    /// The short label, e.g. `0.1–0.3`.
    pub text: String,
    /// What the short form means, for the axis title (e.g. `uniform, min–max`); `None` for a
    /// plain value.
    pub form: Option<&'static str>,
}

/// The short label of a value as given to `--vary`: a number, month or word as written; a
/// distribution by its parameters in the form [`ShortValue::form`] names. Text that is not a
/// TOML value is kept as it is.
pub(crate) fn short_value(v: &str) -> ShortValue {
    let plain = |t: &str| ShortValue {
        text: t.to_string(),
        form: None,
    };
    let parsed = toml::from_str::<toml::Table>(&format!("v = {v}"));
    let Some(value) = parsed.ok().and_then(|mut t| t.remove("v")) else {
        return plain(v.trim());
    };
    let table = match value {
        toml::Value::String(s) => return plain(&s),
        toml::Value::Table(t) => t,
        _ => return plain(v.trim()),
    };
    let num = |k: &str| -> Option<String> {
        match table.get(k)? {
            toml::Value::Integer(i) => Some(i.to_string()),
            toml::Value::Float(f) => Some(f.to_string()),
            toml::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    };
    let dist = table
        .get("dist")
        .and_then(|d| d.as_str())
        .unwrap_or("fixed");
    let form = |text: Option<String>, form: &'static str| match text {
        Some(text) => ShortValue {
            text,
            form: Some(form),
        },
        None => plain(v.trim()),
    };
    let pair = |a: &str, b: &str, sep: &str| Some(format!("{}{sep}{}", num(a)?, num(b)?));
    let three = |a: &str, b: &str, c: &str| Some(format!("{}/{}/{}", num(a)?, num(b)?, num(c)?));
    let p10_p90 = table.contains_key("p10") && table.contains_key("p90");
    match dist {
        "fixed" => num("value").map_or_else(|| plain(v.trim()), |t| plain(&t)),
        "uniform" => form(pair("min", "max", "–"), "uniform, min–max"),
        "pert" => form(three("min", "mode", "max"), "PERT, min/mode/max"),
        "triangular" => form(three("min", "mode", "max"), "triangular, min/mode/max"),
        "normal" | "lognormal" if p10_p90 => form(pair("p10", "p90", "–"), "P10–P90"),
        "normal" => form(pair("mean", "sd", " ± "), "normal, mean ± sd"),
        "lognormal" => form(pair("mean", "cv", ", cv "), "lognormal, mean and cv"),
        "percentiles" => form(three("p10", "p50", "p90"), "P10/P50/P90"),
        "beta" => form(pair("alpha", "beta", ", "), "beta, alpha and beta"),
        "discrete" => {
            let vals = table.get("values").and_then(|v| v.as_array()).map(|a| {
                a.iter()
                    .map(|x| match x {
                        toml::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            });
            form(vals, "one of")
        }
        _ => plain(v.trim()),
    }
}

/// A legend label `PATH = VALUE` with the value in its short form.
fn short_legend(label: &str) -> String {
    match label.split_once(" = ") {
        Some((path, value)) => format!("{path} = {}", short_value(value).text),
        None => label.to_string(),
    }
}

/// The finding: how the median exit cost and the chance of meeting the target move from the
/// first to the last value of the sweep (one line), or their ranges over every point (several).
fn title(x_name: &str, x: &[String], series: &[SweepSeries]) -> String {
    let (Some(first), Some(last)) = (x.first(), x.last()) else {
        return format!("Exit cost and chance of meeting the target as {x_name} varies");
    };
    if let [one] = series {
        if let (Some(a), Some(b), Some(p), Some(q)) = (
            one.exit.first(),
            one.exit.last(),
            one.p_met.first(),
            one.p_met.last(),
        ) {
            return format!(
                "As {x_name} goes from {first} to {last}, median exit cost goes from {} to {} and the chance of meeting the target from {} to {}",
                format_gbp(a.1),
                format_gbp(b.1),
                format_pct(*p),
                format_pct(*q)
            );
        }
    }
    let fold = |v: &mut dyn Iterator<Item = f64>| {
        v.filter(|x| x.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(x), hi.max(x))
            })
    };
    let e = fold(&mut series.iter().flat_map(|s| s.exit.iter().map(|e| e.1)));
    let p = fold(&mut series.iter().flat_map(|s| s.p_met.iter().copied()));
    if !(e.0.is_finite() && p.0.is_finite()) {
        return format!("Exit cost and chance of meeting the target as {x_name} varies");
    }
    format!(
        "Across the sweep of {x_name}, median exit cost ranges {} and the chance of meeting the target {}–{}",
        format_gbp_range(e.0, e.1),
        format_pct(p.0),
        format_pct(p.1)
    )
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
    let room = (canvas::WIDTH as i32 - 2 * canvas::MARGIN) as f64 - 80.0;
    let mut items: Vec<(Swatch, String)> = labelled
        .into_iter()
        .map(|(k, l)| {
            let swatch = Swatch::Line(Stroke::solid(palette_series(k), 4));
            (swatch, canvas::ellipsize(l, ink, room))
        })
        .collect();
    items.push((
        Swatch::Line(Stroke::solid(nhs::MID_GREY, 3)),
        "Whisker: P10–P90 of exit cost".to_string(),
    ));
    items
}

/// The frame of a panel from `left` to `right` above `bottom`: `n` evenly spaced x positions, y
/// over `yd`, with room on the left for tick labels formatted by `fmt`.
fn panel(
    (left, right): (f64, f64),
    (top, bottom): (f64, f64),
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
        bottom,
        xd: (-pad, n.max(1) as f64 - 1.0 + pad),
        yd: (axis.lo, axis.hi),
    }
}

/// The x labels of both panels, each wrapped to at most two lines in its slot.
fn x_lines(x_labels: &[String], room: f64) -> Vec<Vec<String>> {
    let ink = Ink::new(size::LABEL);
    x_labels
        .iter()
        .map(|l| canvas::two_lines(l, ink, room))
        .collect()
}

/// Tick marks and (wrapped) value labels under a panel, and the axis title below them.
fn x_axis(root: &canvas::Root, f: &Frame, lines: &[Vec<String>], title: &str) -> canvas::Drawn {
    let ink = Ink::new(size::LABEL)
        .colour(nhs::DARK_GREY)
        .at(HPos::Center, VPos::Top);
    let step = size::LABEL * 1.1;
    for (i, l) in lines.iter().enumerate() {
        let x = f.x(i as f64);
        let tick = Stroke::solid(nhs::MID_GREY, 2);
        canvas::polyline(root, &[(x, f.bottom), (x, f.bottom + 7.0)], tick)?;
        for (k, line) in l.iter().enumerate() {
            let y = f.bottom + 10.0 + k as f64 * step;
            super::label::tick_text(root, line, x.round() as i32, y as i32, ink)?;
        }
    }
    let rows = lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let mid = ((f.left + f.right) / 2.0) as i32;
    let y = f.bottom + 14.0 + rows * step;
    canvas::text(root, title, mid, y as i32, ink.colour(nhs::TEXT))?;
    canvas::x_axis_line(root, f)
}

/// Where series `k` of `m` is drawn at point `i`: set apart by a small step when there are
/// several, so that their points and whiskers do not sit on each other.
fn dodge(i: usize, k: usize, m: usize) -> f64 {
    if m <= 1 {
        return i as f64;
    }
    let w = (0.3 / m as f64).min(0.08);
    i as f64 + (k as f64 - (m as f64 - 1.0) / 2.0) * w
}

fn draw(
    root: &canvas::Root,
    page: &canvas::Page,
    x_name: &str,
    x_labels: &[String],
    series: &[SweepSeries],
) -> canvas::Drawn {
    let y0 = canvas::draw_page(root, page, &legend(series))?;
    let top = y0 as f64 + 50.0;
    let n = x_labels.len();
    let (axis, unit) = money_axis(series);
    let money = |v: f64| format_tick(v, axis.decimals());
    let p_axis = Axis::nice(0.0, 1.0, 4);
    let pct = |p: f64| format_pct(p);
    let right = (canvas::WIDTH as i32 - canvas::MARGIN) as f64;
    let room = (EXIT_RIGHT - canvas::MARGIN as f64 - 90.0) / n.max(1) as f64 - 12.0;
    let lines = x_lines(x_labels, room);
    let rows = lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let bottom = canvas::plot_bottom(page) as f64 - 24.0 - (rows + 1.0) * size::LABEL * 1.1;
    let fe = panel(
        (canvas::MARGIN as f64, EXIT_RIGHT),
        (top, bottom),
        n,
        &axis,
        &money,
    );
    let fp = panel((PROB_LEFT, right), (top, bottom), n, &p_axis, &pct);
    let unit_title = format!("Exit cost, {}", unit.label);
    canvas::y_grid(root, &fe, &axis.ticks, &money, &unit_title)?;
    canvas::y_grid(root, &fp, &p_axis.ticks, &pct, "P(target met)")?;
    for f in [&fe, &fp] {
        x_axis(root, f, &lines, x_name)?;
    }
    let m = series.len();
    for (k, s) in series.iter().enumerate() {
        if m == 1 {
            band(root, &fe, s, unit.div, palette_series(k))?;
        } else {
            whiskers(root, &fe, s, unit.div, (k, m))?;
        }
    }
    for (k, s) in series.iter().enumerate() {
        let c = palette_series(k);
        let mid: Vec<Option<f64>> = s.exit.iter().map(|e| Some(e.1 / unit.div)).collect();
        line(root, &fe, &mid, c, (k, m))?;
        let p: Vec<Option<f64>> = s.p_met.iter().map(|&p| Some(p.clamp(0.0, 1.0))).collect();
        line(root, &fp, &p, c, (k, m))?;
    }
    Ok(())
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
        return whiskers(root, f, s, div, (0, 1));
    }
    let upper = ok.iter().map(|&i| f.at(i as f64, s.exit[i].2 / div));
    let lower = ok.iter().rev().map(|&i| f.at(i as f64, s.exit[i].0 / div));
    let pts: Vec<(f64, f64)> = upper.chain(lower).collect();
    canvas::shade(root, &pts, c, BAND_OPACITY)
}

/// The P10–P90 range of series `k` of `m` as a whisker at each point.
fn whiskers(
    root: &canvas::Root,
    f: &Frame,
    s: &SweepSeries,
    div: f64,
    (k, m): (usize, usize),
) -> canvas::Drawn {
    let stroke = Stroke::solid(palette_series(k), 3);
    for (i, e) in s.exit.iter().enumerate() {
        if !(e.0.is_finite() && e.2.is_finite()) {
            continue;
        }
        let x = f.x(dodge(i, k, m));
        let (a, b) = (f.y(e.0 / div), f.y(e.2 / div));
        canvas::polyline(root, &[(x, a), (x, b)], stroke)?;
        for y in [a, b] {
            canvas::polyline(root, &[(x - 8.0, y), (x + 8.0, y)], stroke)?;
        }
    }
    Ok(())
}

/// A line with a dot at each finite point (NaN points are left out), series `k` of `m`.
fn line(
    root: &canvas::Root,
    f: &Frame,
    ys: &[Option<f64>],
    c: plotters::style::RGBColor,
    (k, m): (usize, usize),
) -> canvas::Drawn {
    let pts: Vec<(f64, f64)> = ys
        .iter()
        .enumerate()
        .filter_map(|(i, y)| y.filter(|v| v.is_finite()).map(|v| f.at(dodge(i, k, m), v)))
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
        assert_eq!(l.len(), 3, "two lines and the whisker");
        assert_eq!(l[1].1, "a = 2");
        assert!(matches!(l[1].0, Swatch::Line(s) if s.colour == palette_series(1)));
        assert_eq!(legend(&[series(None)]).len(), 2);
    }

    #[test]
    fn distribution_values_get_short_labels_and_their_form_in_the_axis_title() {
        let short = |v: &str| short_value(v);
        let u = short(r#"{dist="uniform",min=0.1,max=0.3}"#);
        assert_eq!(
            (u.text.as_str(), u.form),
            ("0.1–0.3", Some("uniform, min–max"))
        );
        assert_eq!(
            short(r#"{dist="pert", min=1, mode=2, max=4}"#).text,
            "1/2/4"
        );
        assert_eq!(
            short(r#"{dist="normal",mean=0.5,sd=0.05}"#).text,
            "0.5 ± 0.05"
        );
        assert_eq!(short(r#"{dist="lognormal",p10=2,p90=5}"#).text, "2–5");
        assert_eq!(short(r#"{dist="discrete",values=[1,3]}"#).text, "1 | 3");
        assert_eq!(short(r#"{value=0.4}"#), short("0.4"));
        assert_eq!(short(r#""2026-04""#).text, "2026-04");
        assert_eq!(
            (short("0.35").text.as_str(), short("0.35").form),
            ("0.35", None)
        );
        assert_eq!(short("true").text, "true");
        assert_eq!(short("not toml {").text, "not toml {");
        assert_eq!(
            short_legend(r#"vr.uptake = {dist="uniform",min=0.2,max=0.5}"#),
            "vr.uptake = 0.2–0.5"
        );
        let x = [r#"{dist="uniform",min=0.1,max=0.3}"#.to_string()];
        let c = sweep_svg("vr.uptake", &x, &[series(None)], "s", "f");
        let svg = c.svg().unwrap();
        assert!(svg.contains("vr.uptake (uniform, min–max)") && !svg.contains("dist="));
    }

    /// One line: the title quotes the first and last points; several: the range over all.
    #[test]
    fn titles_state_how_the_results_move() {
        let x = ["0".to_string(), "0.05".to_string()];
        assert_eq!(
            title("m", &x, &[series(None)]),
            "As m goes from 0 to 0.05, median exit cost goes from £25.9m to £27.3m and the chance of meeting the target from 71% to 100%"
        );
        assert_eq!(
            title("m", &x, &[series(Some("a = 1")), series(Some("a = 2"))]),
            "Across the sweep of m, median exit cost ranges £25.9m–£27.3m and the chance of meeting the target 71%–100%"
        );
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
