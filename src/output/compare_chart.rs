//! Charts that compare runs: `comparison.png`/`.svg` for a batch (exit cost P10–P90 with the P50
//! per scenario, and the chance of meeting the target) and `sweep.png`/`.svg` for a sweep (the
//! same two results against the swept value).
//!
//! The run charts' building blocks are private to `charts/`, so these are drawn as plain SVG
//! (rectangles, lines, text) in the same look — NHS Blue, DejaVu Sans, 1600×900 — and rendered
//! the same way: resvg with only the bundled font to a 2400×1350 PNG, and an SVG with text as
//! paths. No clocks or system fonts are involved, so the same results give the same bytes.

use crate::charts::format_gbp;
use anyhow::{anyhow, Context, Result};
use std::fmt::Write;
use std::path::{Path, PathBuf};

const W: f64 = 1600.0;
const H: f64 = 900.0;
const BLUE: &str = "#005EB8";
const DARK_BLUE: &str = "#003087";
const TEXT: &str = "#212B32";
const GREY: &str = "#768692";
const PALE: &str = "#E8EDEE";
/// Line colours for several series (NHS palette).
const PALETTE: [&str; 6] = [
    "#005EB8", "#ED8B00", "#00A499", "#DA291C", "#330072", "#425563",
];

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

/// A small SVG writer with the house style.
struct Svg(String);

impl Svg {
    fn new() -> Svg {
        Svg(format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}"><rect width="{W}" height="{H}" fill="white"/>"#
        ))
    }
    fn text(
        &mut self,
        (x, y): (f64, f64),
        size: f64,
        anchor: &str,
        fill: &str,
        bold: bool,
        s: &str,
    ) {
        let _ = write!(
            self.0,
            r#"<text x="{x:.2}" y="{y:.2}" font-family="DejaVu Sans" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{}>{}</text>"#,
            if bold { r#" font-weight="bold""# } else { "" },
            escape(s)
        );
    }
    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, opacity: f64) {
        let _ = write!(
            self.0,
            r#"<rect x="{x:.2}" y="{y:.2}" width="{:.2}" height="{:.2}" fill="{fill}" fill-opacity="{opacity}"/>"#,
            w.max(0.0),
            h.max(0.0)
        );
    }
    fn line(&mut self, a: (f64, f64), b: (f64, f64), stroke: &str, width: f64) {
        let _ = write!(
            self.0,
            r#"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="{stroke}" stroke-width="{width}"/>"#,
            a.0, a.1, b.0, b.1
        );
    }
    fn poly(&mut self, pts: &[(f64, f64)], closed: bool, colour: &str, width: f64) {
        let p: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.2},{y:.2}")).collect();
        let _ = if closed {
            write!(
                self.0,
                r#"<polygon points="{}" fill="{colour}" fill-opacity="0.18"/>"#,
                p.join(" ")
            )
        } else {
            write!(
                self.0,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-linejoin="round"/>"#,
                p.join(" ")
            )
        };
    }
    fn dot(&mut self, at: (f64, f64), r: f64, colour: &str) {
        let _ = write!(
            self.0,
            r#"<circle cx="{:.2}" cy="{:.2}" r="{r}" fill="{colour}" stroke="white" stroke-width="2"/>"#,
            at.0, at.1
        );
    }
    fn page(&mut self, title: &str, subtitle: &str, footer: &str) {
        self.text((48.0, 66.0), 34.0, "start", TEXT, true, title);
        self.text((48.0, 104.0), 20.0, "start", GREY, false, subtitle);
        self.text((48.0, H - 24.0), 16.0, "start", GREY, false, footer);
    }
    fn finish(mut self) -> String {
        self.0.push_str("</svg>");
        self.0
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Tick values covering [lo, hi] with a 1, 2, 2.5 or 5 × 10^k step (about five ticks).
pub fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, lo + 1.0)
    };
    let raw = (hi - lo) / 5.0;
    let e = raw.log10().floor() as i32;
    // Scale by dividing for negative powers of ten, so 3 × 0.2 prints as 0.6.
    let at = |units: f64| {
        if e >= 0 {
            units * 10f64.powi(e)
        } else {
            units / 10f64.powi(-e)
        }
    };
    let m = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|m| at(*m) >= raw)
        .unwrap_or(10.0);
    let first = (lo / at(m)).floor() as i64;
    let last = (hi / at(m)).ceil() as i64;
    (first..=last).map(|i| at(i as f64 * m)).collect()
}

fn pct_label(p: f64) -> String {
    if p.is_finite() {
        format!("{:.0}%", p * 100.0)
    } else {
        "n/a".into()
    }
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

/// The money axis range over finite values, starting at zero when all are positive.
fn money_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|x| x.is_finite())
        .fold((0.0_f64, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
    if hi.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (lo, lo + 1.0)
    }
}

/// The SVG of the batch comparison chart.
pub fn comparison_svg(rows: &[RangeRow], subtitle: &str, footer: &str) -> String {
    let mut s = Svg::new();
    s.page(
        "Exit cost and chance of meeting the target, by scenario",
        subtitle,
        footer,
    );
    let (top, bottom) = (200.0, H - 80.0);
    let (ax0, ax1) = (480.0, 1140.0);
    let (bx0, bx1) = (1220.0, 1552.0);
    let n = rows.len().max(1) as f64;
    let row_h = ((bottom - top) / n).min(90.0);
    let ticks = {
        let (lo, hi) = money_range(rows.iter().flat_map(|r| [r.exit.0, r.exit.2]));
        nice_ticks(lo, hi)
    };
    let (t0, t1) = (ticks[0], ticks[ticks.len() - 1]);
    let xa = |v: f64| ax0 + (v - t0) / (t1 - t0) * (ax1 - ax0);
    let xb = |p: f64| bx0 + p.clamp(0.0, 1.0) * (bx1 - bx0);
    let y_end = top + row_h * n;
    s.text(
        (ax0, 160.0),
        22.0,
        "start",
        TEXT,
        true,
        "Exit cost: P10–P90 range, P50 marked",
    );
    s.text((bx0, 160.0), 22.0, "start", TEXT, true, "P(target met)");
    for t in &ticks {
        s.line((xa(*t), top - 10.0), (xa(*t), y_end), PALE, 1.5);
        s.text(
            (xa(*t), y_end + 28.0),
            17.0,
            "middle",
            GREY,
            false,
            &format_gbp(*t),
        );
    }
    for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
        s.line((xb(p), top - 10.0), (xb(p), y_end), PALE, 1.5);
        s.text(
            (xb(p), y_end + 28.0),
            17.0,
            "middle",
            GREY,
            false,
            &pct_label(p),
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let yc = top + row_h * (i as f64 + 0.5);
        let bar = (row_h * 0.5).min(36.0);
        s.text(
            (ax0 - 20.0, yc + 7.0),
            20.0,
            "end",
            TEXT,
            false,
            &shorten(&r.label, 32),
        );
        let (p10, p50, p90) = r.exit;
        if p10.is_finite() && p90.is_finite() {
            s.rect(xa(p10), yc - bar / 2.0, xa(p90) - xa(p10), bar, BLUE, 0.35);
        }
        if p50.is_finite() {
            s.line(
                (xa(p50), yc - bar / 2.0 - 4.0),
                (xa(p50), yc + bar / 2.0 + 4.0),
                DARK_BLUE,
                5.0,
            );
            s.text(
                (xa(p90.max(p50)) + 10.0, yc + 7.0),
                17.0,
                "start",
                TEXT,
                false,
                &format_gbp(p50),
            );
        }
        if r.p_met.is_finite() {
            s.rect(bx0, yc - bar / 2.0, xb(r.p_met) - bx0, bar, BLUE, 1.0);
        }
        let (x, anchor, fill) = if r.p_met > 0.8 {
            (xb(r.p_met) - 8.0, "end", "white")
        } else {
            (xb(r.p_met.max(0.0)) + 8.0, "start", TEXT)
        };
        s.text((x, yc + 7.0), 18.0, anchor, fill, true, &pct_label(r.p_met));
    }
    s.line((ax0, y_end), (ax1, y_end), GREY, 1.5);
    s.line((bx0, y_end), (bx1, y_end), GREY, 1.5);
    s.finish()
}

/// The SVG of the sweep chart: x positions are the values of the first parameter, evenly spaced
/// in the order given.
pub fn sweep_svg(
    x_name: &str,
    x_labels: &[String],
    series: &[SweepSeries],
    subtitle: &str,
    footer: &str,
) -> String {
    let mut s = Svg::new();
    s.page(
        &format!("Exit cost and chance of meeting the target as {x_name} varies"),
        subtitle,
        footer,
    );
    let (top, bottom) = (190.0, H - 170.0);
    let panels = [(150.0, 760.0), (940.0, 1550.0)];
    let n = x_labels.len().max(1);
    let xpos = |(x0, x1): (f64, f64), i: usize| {
        if n == 1 {
            (x0 + x1) / 2.0
        } else {
            x0 + 30.0 + (x1 - x0 - 60.0) * i as f64 / (n - 1) as f64
        }
    };
    let ticks = {
        let (lo, hi) = money_range(
            series
                .iter()
                .flat_map(|r| r.exit.iter().flat_map(|e| [e.0, e.2])),
        );
        nice_ticks(lo, hi)
    };
    let (t0, t1) = (ticks[0], ticks[ticks.len() - 1]);
    let ya = |v: f64| bottom - (v - t0) / (t1 - t0) * (bottom - top);
    let yb = |p: f64| bottom - p.clamp(0.0, 1.0) * (bottom - top);
    s.text(
        (panels[0].0, 160.0),
        22.0,
        "start",
        TEXT,
        true,
        "Exit cost: P50 with P10–P90 band",
    );
    s.text(
        (panels[1].0, 160.0),
        22.0,
        "start",
        TEXT,
        true,
        "P(target met)",
    );
    for t in &ticks {
        s.line((panels[0].0, ya(*t)), (panels[0].1, ya(*t)), PALE, 1.5);
        s.text(
            (panels[0].0 - 10.0, ya(*t) + 6.0),
            17.0,
            "end",
            GREY,
            false,
            &format_gbp(*t),
        );
    }
    for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
        s.line((panels[1].0, yb(p)), (panels[1].1, yb(p)), PALE, 1.5);
        s.text(
            (panels[1].0 - 10.0, yb(p) + 6.0),
            17.0,
            "end",
            GREY,
            false,
            &pct_label(p),
        );
    }
    for panel in panels {
        s.line((panel.0, bottom), (panel.1, bottom), GREY, 1.5);
        for (i, l) in x_labels.iter().enumerate() {
            s.text(
                (xpos(panel, i), bottom + 28.0),
                17.0,
                "middle",
                TEXT,
                false,
                &shorten(l, 14),
            );
        }
        s.text(
            ((panel.0 + panel.1) / 2.0, bottom + 62.0),
            19.0,
            "middle",
            TEXT,
            false,
            x_name,
        );
    }
    for (k, se) in series.iter().enumerate() {
        let c = PALETTE[k % PALETTE.len()];
        let ok: Vec<usize> = (0..se.exit.len())
            .filter(|&i| se.exit[i].1.is_finite())
            .collect();
        let band: Vec<(f64, f64)> = ok
            .iter()
            .map(|&i| (xpos(panels[0], i), ya(se.exit[i].2)))
            .chain(
                ok.iter()
                    .rev()
                    .map(|&i| (xpos(panels[0], i), ya(se.exit[i].0))),
            )
            .collect();
        s.poly(&band, true, c, 0.0);
        let mid: Vec<(f64, f64)> = ok
            .iter()
            .map(|&i| (xpos(panels[0], i), ya(se.exit[i].1)))
            .collect();
        s.poly(&mid, false, c, 4.0);
        mid.iter().for_each(|p| s.dot(*p, 6.0, c));
        let pm: Vec<(f64, f64)> = (0..se.p_met.len())
            .filter(|&i| se.p_met[i].is_finite())
            .map(|i| (xpos(panels[1], i), yb(se.p_met[i])))
            .collect();
        s.poly(&pm, false, c, 4.0);
        pm.iter().for_each(|p| s.dot(*p, 6.0, c));
        if let Some(label) = &se.label {
            let x = 150.0 + 460.0 * (k % 3) as f64;
            let y = H - 66.0 + 22.0 * (k / 3).min(1) as f64;
            s.rect(x, y - 14.0, 28.0, 6.0, c, 1.0);
            s.text(
                (x + 36.0, y - 4.0),
                17.0,
                "start",
                TEXT,
                false,
                &shorten(label, 42),
            );
        }
    }
    s.finish()
}

/// Renders `svg` to `dir/<stem>.png` (2400×1350) and `dir/<stem>.svg` (text as paths, with
/// `title` as its `<title>`), returning the paths written.
///
/// # Errors
/// When the SVG cannot be parsed, the PNG cannot be encoded or a file cannot be written.
pub fn write_chart(dir: &Path, stem: &str, svg: &str, title: &str) -> Result<Vec<PathBuf>> {
    // The same renderer as the run charts: DejaVu Sans, 2400×1350 PNG, SVG with text as paths.
    let r = crate::charts::raster::render(svg, title, "")
        .map_err(|e| anyhow!("drawing the {stem} chart: {e}"))?;
    let mut written = Vec::new();
    for (ext, bytes) in [("png", r.png.as_slice()), ("svg", r.svg.as_bytes())] {
        let path = dir.join(format!("{stem}.{ext}"));
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_use_round_steps_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 1.0), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(0.0, 6.3e8), vec![0.0, 2e8, 4e8, 6e8, 8e8]);
        let t = nice_ticks(5.2e8, 6.3e8);
        assert!(t[0] <= 5.2e8 && *t.last().unwrap() >= 6.3e8);
    }

    #[test]
    fn comparison_chart_renders_to_png_and_svg() {
        let rows = vec![
            RangeRow {
                label: "A & B".into(),
                exit: (1e8, 2e8, 3e8),
                p_met: 0.9,
            },
            RangeRow {
                label: "C".into(),
                exit: (f64::NAN, f64::NAN, f64::NAN),
                p_met: 0.1,
            },
        ];
        let svg = comparison_svg(&rows, "2 scenarios", "icbsim");
        assert!(svg.contains("A &amp; B"));
        let dir = tempfile::tempdir().unwrap();
        let files = write_chart(dir.path(), "comparison", &svg, "t").unwrap();
        assert_eq!(files.len(), 2);
        assert!(std::fs::read(&files[0]).unwrap().starts_with(b"\x89PNG"));
    }
}
