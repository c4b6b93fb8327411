//! The A4 legibility check of every chart kind: each chart's SVG, as plotters writes it (text
//! still text), is laid out by resvg with the bundled font, and every text element must be at
//! least [`size::MIN_PX`] (8 pt when the page is printed 17 cm wide), lie inside the page and
//! not overlap another. Run charts come from the fixture runs (one with a merger), and the by-organisation chart also
//! from 10, 11 and 55 organisations with the 2026 national default's names; the comparison,
//! sweep and paired charts from rows like the ones `batch`, `sweep` and `compare` pass, with long
//! names and distribution values.

use super::label::size;
use super::raster::{text_boxes, TextBox, HEIGHT, WIDTH};
use super::*;
use std::path::Path;

/// Printed size in points of `px` logical pixels at A4 width.
fn points(px: f64) -> f64 {
    px * size::PRINT_WIDTH_CM / WIDTH as f64 / size::CM_PER_PT
}

/// Ink boxes `a` and `b` overlap by more than a pixel both ways.
fn overlap(a: &TextBox, b: &TextBox) -> bool {
    let w = a.ink.2.min(b.ink.2) - a.ink.0.max(b.ink.0);
    let h = a.ink.3.min(b.ink.3) - a.ink.1.max(b.ink.1);
    w > 1.0 && h > 1.0
}

/// Checks the text of one chart, adding what is wrong to `bad`; returns its smallest font size
/// in pixels.
fn check(name: &str, svg: &str, bad: &mut Vec<String>) -> f64 {
    let boxes = text_boxes(svg).unwrap();
    if boxes.len() < 5 {
        bad.push(format!("{name}: too little text found"));
    }
    for b in &boxes {
        if b.px < size::MIN_PX - 1e-3 {
            bad.push(format!(
                "{name}: \"{}\" is {:.1} px = {:.1} pt at A4 width; at least {:.2} px needed",
                b.text,
                b.px,
                points(b.px),
                size::MIN_PX
            ));
        }
        let (l, t, r, bt) = b.ink;
        if l < 0.0 || t < 0.0 || r > WIDTH as f64 || bt > HEIGHT as f64 {
            bad.push(format!(
                "{name}: \"{}\" is clipped by the page edge at {:?}",
                b.text, b.ink
            ));
        }
        if b.text.ends_with('…') {
            bad.push(format!("{name}: \"{}\" is cut short", b.text));
        }
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if overlap(a, b) {
                bad.push(format!(
                    "{name}: \"{}\" {:?} overlaps \"{}\" {:?}",
                    a.text, a.ink, b.text, b.ink
                ));
            }
        }
    }
    boxes.iter().map(|b| b.px).fold(f64::INFINITY, f64::min)
}

fn run_charts(fixture: &str) -> Vec<Chart> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    build_all(&RunData::read(&dir).unwrap()).unwrap()
}

fn rows() -> Vec<RangeRow> {
    let r = |label: &str, exit: (f64, f64, f64), p_met: f64| RangeRow {
        label: label.into(),
        exit,
        p_met,
    };
    vec![
        r("England ICBs 2025", (5.45e8, 6.02e8, 6.55e8), 0.89),
        r("Example ICB", (2.6e7, 2.74e7, 2.9e7), 0.97),
        r(
            "My ICB with a long scenario name for the board",
            (1.5e7, 1.6e7, 1.7e7),
            0.0,
        ),
    ]
}

fn sweeps() -> Vec<(String, ChartSvg)> {
    let s = |label: Option<&str>, k: f64| SweepSeries {
        label: label.map(str::to_string),
        exit: vec![
            (2.5e7 * k, 2.7e7 * k, 2.9e7 * k),
            (2.55e7 * k, 2.72e7 * k, 2.92e7 * k),
            (2.6e7 * k, 2.74e7 * k, 2.94e7 * k),
        ],
        p_met: vec![0.9 * k.min(1.0), 0.95, 0.97],
    };
    let plain = ["0.2", "0.35", "0.5"].map(String::from);
    let dists = [
        r#"{dist="uniform",min=0.1,max=0.3}"#,
        r#"{dist="triangular",min=0.2,mode=0.35,max=0.5}"#,
        r#"{dist="normal",mean=0.5,sd=0.05}"#,
    ]
    .map(String::from);
    let two = [
        s(Some("mars.enabled = true"), 1.0),
        s(Some("mars.enabled = false"), 1.04),
    ];
    vec![
        (
            "sweep one-way".into(),
            sweep_svg(
                "vr.uptake",
                &plain,
                &[s(None, 1.0)],
                "Example ICB",
                "icbsim 0.1.0",
            ),
        ),
        (
            "sweep two-way with distributions".into(),
            sweep_svg("vr.uptake", &dists, &two, "Example ICB", "icbsim 0.1.0"),
        ),
    ]
}

/// The by-organisation chart of the first 10 and 11 and all 55 organisations of the 2026
/// national default (their names, longest first, and their roles in its mergers; made-up exit
/// costs): all drawn, nine and "2 more", nine and "46 more".
fn by_org_charts() -> Vec<(String, Chart)> {
    let all = by_org::synthetic::england_2026();
    assert_eq!(all.len(), 55, "42 ICBs and 13 successors");
    [10, 11, 55]
        .into_iter()
        .map(|n| {
            let d = by_org::synthetic::run(&all[..n]);
            (
                format!("by_organisation of {n}"),
                by_org::chart(&d).unwrap(),
            )
        })
        .collect()
}

/// Option names as long as a board's scenario names get, for the paired chart's subtitle.
const LONG_A: &str =
    "Cluster mergers from April 2027 with the successors taking over the members' VR windows";
const LONG_B: &str =
    "England ICBs 2026 national default with local VR windows and a second wave of exits";

/// The paired chart of `compare` for two options with long names, with every result it compares
/// (their labels as `compare` gives them).
fn paired_long() -> ChartSvg {
    use crate::output::paired::{label, PAIRED_METRICS};
    let rows: Vec<DiffRow> = PAIRED_METRICS
        .iter()
        .enumerate()
        .map(|(i, &m)| {
            let k = (i as f64 + 1.0) * 1e6;
            DiffRow {
                label: label(m).to_string(),
                q: [-3.0 * k, -2.0 * k, -1.23 * k, 0.5 * k, 2.0 * k],
                note: "A lower in 83%".into(),
            }
        })
        .collect();
    paired_svg(
        "Option A is cheaper than B in 83% of futures: £1.23m less (P50)",
        &rows,
        &format!("A: {LONG_A} · B: {LONG_B} · 10,000 iterations · seed 20260401"),
        "Difference A − B in the same iteration",
        "icbsim 0.1.0",
    )
}

#[test]
fn every_chart_prints_no_text_below_8_pt_at_a4_width_and_none_overlaps() {
    assert!(
        (size::MIN_PX - 26.56).abs() < 0.01,
        "8 × 2.54 × 1600 / (72 × 17)"
    );
    assert!((points(size::MIN_PX) - 8.0).abs() < 1e-9);
    let mut seen = Vec::new();
    let mut bad = Vec::new();
    for fixture in ["run-sample", "run-multi", "run-merger"] {
        for c in run_charts(fixture) {
            let px = check(&format!("{fixture}/{}", c.name), &c.svg, &mut bad);
            seen.push((c.name.to_string(), px));
        }
    }
    for n in [1, 3, 8] {
        let rows: Vec<RangeRow> = rows().into_iter().cycle().take(n).collect();
        let c = comparison_svg(&rows, "3 scenarios", "icbsim 0.1.0");
        let px = check(&format!("comparison of {n}"), c.svg().unwrap(), &mut bad);
        seen.push(("comparison".into(), px));
    }
    for (name, c) in sweeps() {
        let px = check(&name, c.svg().unwrap(), &mut bad);
        seen.push(("sweep".into(), px));
    }
    for (name, c) in by_org_charts() {
        let px = check(&name, &c.svg, &mut bad);
        seen.push(("by_organisation".into(), px));
    }
    let px = check("paired, long names", paired_long().svg().unwrap(), &mut bad);
    seen.push(("paired".into(), px));
    for kind in [
        "running_cost_fan",
        "money_by_year",
        "exit_cost_distribution",
        "target_probability",
        "reduction_bridge",
        "by_organisation",
        "tornado",
        "comparison",
        "sweep",
        "paired",
    ] {
        let px = seen
            .iter()
            .filter(|(n, _)| n == kind)
            .map(|s| s.1)
            .fold(f64::INFINITY, f64::min);
        assert!(px.is_finite(), "{kind} was not checked");
        println!("{kind}: smallest text {px:.1} px = {:.1} pt", points(px));
    }
    assert!(
        bad.is_empty(),
        "{} problems:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Renders the by-organisation charts of 10, 11 and 55 organisations and the paired chart with
/// long names into $ICBSIM_CHART_PREVIEW/a4 (for looking at them); does nothing when the
/// variable is unset.
#[test]
fn preview_a4_cases() {
    let Ok(out) = std::env::var("ICBSIM_CHART_PREVIEW") else {
        return;
    };
    let out = Path::new(&out).join("a4");
    std::fs::create_dir_all(&out).unwrap();
    for (name, c) in by_org_charts() {
        let stem = name.replace(' ', "_");
        write_rendered(&out, c.name, &stem, &c.svg, &c.title, &c.desc).unwrap();
    }
    let p = paired_long();
    write_rendered(
        &out,
        "paired",
        "paired_long_names",
        p.svg().unwrap(),
        "",
        p.desc(),
    )
    .unwrap();
}
