//! End-to-end tests of [`render_run_charts`] on the hand-built fixture runs under
//! `tests/fixtures/` (a single-organisation national run and a three-ICB run): every file is
//! written, PNGs have the published size, SVGs carry their titles, every number printed on each
//! chart is the formatted value of a CSV cell it came from (see [`numbers`](super::numbers)),
//! output is deterministic, degenerate data renders, and no system-font crate sneaks into the
//! build.

use super::*;
use std::path::Path;

const ALWAYS: [&str; 6] = [
    "running_cost_fan",
    "exit_cost_distribution",
    "target_probability",
    "tornado",
    "reduction_bridge",
    "money_by_year",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A scratch copy of a fixture run, so that charts/ is never written into the repository.
fn scratch(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture(name)).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

fn png_size(path: &Path) -> (u32, u32) {
    let file = std::fs::File::open(path).unwrap();
    let reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    (reader.info().width, reader.info().height)
}

fn svg_title(path: &Path) -> String {
    let svg = std::fs::read_to_string(path).unwrap();
    let start = svg.find("<title>").expect("SVG has a <title>") + 7;
    let end = svg[start..].find("</title>").unwrap() + start;
    svg[start..end].replace("&amp;", "&")
}

fn expected_paths(dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .flat_map(|n| ["png", "svg"].map(|e| dir.join("charts").join(format!("{n}.{e}"))))
        .collect()
}

#[test]
fn sample_run_writes_every_chart_at_the_published_size_with_its_title() {
    let run = scratch("run-sample");
    let written = render_run_charts(run.path()).unwrap();
    assert_eq!(
        written,
        expected_paths(run.path(), &ALWAYS),
        "one org: no by_organisation chart"
    );
    for p in &written {
        assert!(
            std::fs::metadata(p).unwrap().len() > 1000,
            "{} is too small",
            p.display()
        );
        match p.extension().and_then(|e| e.to_str()) {
            Some("png") => assert_eq!(png_size(p), (2400, 1350), "{}", p.display()),
            _ => {
                let svg = std::fs::read_to_string(p).unwrap();
                assert!(
                    !svg.contains("<text"),
                    "{}: text must be paths",
                    p.display()
                );
                assert!(svg_title(p).len() > 20, "{}: title missing", p.display());
            }
        }
    }
    let charts = run.path().join("charts");
    // Titles checked against the fixture files (example ICB, 200 iterations): target_met has
    // mean 0.97 for the total; the deadline is March 2027.
    assert_eq!(
        svg_title(&charts.join("target_probability.svg")),
        "A 97% chance of meeting the target by Mar 2027 and holding it for 12 months"
    );
    assert_eq!(
        svg_title(&charts.join("running_cost_fan.svg")),
        "A 97% chance of meeting the target by Mar 2027 and holding it for 12 months"
    );
    assert!(svg_title(&charts.join("exit_cost_distribution.svg"))
        .starts_with("Exit costs most likely £27.3m (P50); 80% range £"));
    assert!(svg_title(&charts.join("reduction_bridge.svg"))
        .starts_with("Headcount falls from 1,000 to "));
    assert!(svg_title(&charts.join("money_by_year.svg"))
        .starts_with("Cumulative savings overtake accrued exit costs in "));
}

/// The published SVG must look like the PNG in a viewer without any fonts: render it with an
/// empty font database and compare pixels.
#[test]
fn svg_renders_like_the_png_without_fonts() {
    use resvg::{tiny_skia, usvg};
    let run = scratch("run-multi");
    render_run_charts(run.path()).unwrap();
    let charts = run.path().join("charts");
    let svg = std::fs::read_to_string(charts.join("tornado.svg")).unwrap();
    let opt = usvg::Options::default(); // no fonts loaded at all
    let tree = usvg::Tree::from_str(&svg, &opt).unwrap();
    let mut pixmap = tiny_skia::Pixmap::new(2400, 1350).unwrap();
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(1.5, 1.5),
        &mut pixmap.as_mut(),
    );
    let file = std::fs::File::open(charts.join("tornado.png")).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut png_rgb = vec![0; reader.output_buffer_size().expect("a PNG of sane size")];
    reader.next_frame(&mut png_rgb).unwrap();
    let svg_rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    assert_eq!(svg_rgb.len(), png_rgb.len());
    let differing = svg_rgb
        .iter()
        .zip(&png_rgb)
        .filter(|(a, b)| a.abs_diff(**b) > 8)
        .count();
    assert!(
        differing < png_rgb.len() / 1000,
        "{differing} channel values differ"
    );
    let dark = png_rgb.iter().filter(|&&v| v < 128).count();
    assert!(dark > 10_000, "the chart should have text and bars drawn");
}

#[test]
fn multi_org_run_adds_the_by_organisation_chart() {
    let run = scratch("run-multi");
    let mut names = ALWAYS.to_vec();
    names.push("by_organisation");
    let written = render_run_charts(run.path()).unwrap();
    assert_eq!(written, expected_paths(run.path(), &names));
    let by_org = run.path().join("charts/by_organisation.png");
    assert_eq!(png_size(&by_org), (2400, 1350));
    let title = svg_title(&run.path().join("charts/by_organisation.svg"));
    // North ICB's P50 exit cost in the fixture's summary.csv is 969,144.46: £969k.
    assert_eq!(title, "North ICB has the largest exit cost: £969k (P50)");
}

/// `tests/fixtures/run-merger` (`scenarios/cluster-merger.toml`: two ICBs merging into one
/// successor in April 2027, the month fixed in the file) marks the merger on the fan chart, in
/// its text alternative and as a label; a run without mergers has neither.
#[test]
fn the_fan_chart_marks_the_month_mergers_take_effect() {
    // The drawn SVG, before rendering turns its text into paths.
    let fan = |name: &str| {
        let data = RunData::read(&fixture(name)).unwrap();
        let chart = fan::chart(&data).unwrap();
        (chart.desc, chart.svg)
    };
    let (desc, svg) = fan("run-merger");
    assert!(desc.ends_with(" Mergers: 1 in Apr 2027."), "{desc}");
    assert!(svg.contains("\n1 merger, Apr 2027\n"), "{svg}");
    let (desc, svg) = fan("run-multi");
    assert!(!desc.contains("erger") && !svg.contains("erger"));
}

#[test]
fn same_inputs_give_the_same_bytes() {
    let (a, b) = (scratch("run-multi"), scratch("run-multi"));
    let (pa, pb) = (
        render_run_charts(a.path()).unwrap(),
        render_run_charts(b.path()).unwrap(),
    );
    for (x, y) in pa.iter().zip(&pb) {
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }
}

#[test]
fn degenerate_data_renders_without_panicking() {
    let run = scratch("run-sample");
    let p = run.path();
    // Every iteration has the same exit cost, some cells are empty, no sensitivity rows,
    // no MARS, no system run-rate, and NaN months in the fan and S-curve.
    let it = std::fs::read_to_string(p.join("iterations.csv")).unwrap();
    let exit_col = it
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|h| h == "exit_cost_gbp")
        .unwrap();
    let mut out = String::new();
    for (i, line) in it.lines().enumerate() {
        let mut c: Vec<String> = line.split(',').map(str::to_string).collect();
        if i > 0 {
            c[exit_col] = if i % 17 == 0 {
                String::new()
            } else {
                "450000000".to_string()
            };
        }
        out.push_str(&c.join(","));
        out.push('\n');
    }
    std::fs::write(p.join("iterations.csv"), out).unwrap();
    std::fs::write(
        p.join("sensitivity.csv"),
        "org,output,input,input_label,spearman_rho\n",
    )
    .unwrap();
    let summary = std::fs::read_to_string(p.join("summary.csv")).unwrap();
    let summary: String = summary
        .lines()
        .filter(|l| !l.contains("mars"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(p.join("summary.csv"), summary).unwrap();
    let ts = std::fs::read_to_string(p.join("timeseries.csv")).unwrap();
    let mean_col = ts
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|h| h == "mean")
        .unwrap();
    let ts: String = ts
        .lines()
        .filter(|l| !l.contains("run_rate_system_gbp"))
        .map(|l| {
            if l.contains("2026-01") {
                let mut c: Vec<&str> = l.split(',').collect();
                c[mean_col..].iter_mut().for_each(|x| *x = "NaN");
                format!("{}\n", c.join(","))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(p.join("timeseries.csv"), ts).unwrap();
    std::fs::write(
        p.join("by_year.csv"),
        "org,fy,metric,mean,p5,p10,p25,p50,p75,p90,p95\n",
    )
    .unwrap();
    let written = render_run_charts(p).unwrap();
    assert_eq!(written.len(), 12);
    let title = svg_title(&p.join("charts/exit_cost_distribution.svg"));
    assert_eq!(
        title,
        "Exit costs most likely £450m (P50), with no spread between P10 and P90"
    );
    assert_eq!(
        svg_title(&p.join("charts/tornado.svg")),
        "No sensitivity results for exit cost in this run"
    );
}

#[test]
fn errors_name_the_missing_file_or_rows() {
    let run = scratch("run-sample");
    std::fs::remove_file(run.path().join("by_year.csv")).unwrap();
    let e = render_run_charts(run.path()).unwrap_err().to_string();
    assert!(e.contains("by_year.csv"), "{e}");

    let run = scratch("run-sample");
    std::fs::write(
        run.path().join("timeseries.csv"),
        "org,month,fy,metric,mean,p5,p10,p25,p50,p75,p90,p95\n",
    )
    .unwrap();
    let e = render_run_charts(run.path()).unwrap_err().to_string();
    assert!(
        e.contains("timeseries.csv") && e.contains("run_rate_gbp") && e.contains("total"),
        "{e}"
    );
    assert!(
        !run.path().join("charts").exists(),
        "nothing is written when inputs are bad"
    );
}

#[test]
fn lockfile_has_no_system_font_crates() {
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert!(names.contains(&"resvg"), "Cargo.lock parsed wrongly");
    for banned in [
        "font-kit",
        "freetype-sys",
        "servo-fontconfig",
        "yeslogic-fontconfig-sys",
        "fontconfig",
    ] {
        assert!(!names.contains(&banned), "{banned} is in Cargo.lock");
    }
}

/// Renders the fixtures, and any run directories already there, into $ICBSIM_CHART_PREVIEW (for
/// looking at the charts); does nothing when the variable is unset.
#[test]
fn preview_fixture_charts() {
    let Ok(out) = std::env::var("ICBSIM_CHART_PREVIEW") else {
        return;
    };
    for name in ["run-sample", "run-multi"] {
        let dest = Path::new(&out).join(name);
        std::fs::create_dir_all(&dest).unwrap();
        for entry in std::fs::read_dir(fixture(name)).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, dest.join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    // Also any other run directories placed there by hand.
    for entry in std::fs::read_dir(&out).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("manifest.json").is_file() {
            for png in render_run_charts(&dir).unwrap() {
                if png.extension().is_some_and(|e| e == "png") {
                    write_greyscale(&png);
                }
            }
        }
    }
}

/// Writes `<name>.grey.png` beside a chart: how it prints in black and white (Rec. 709 luma).
fn write_greyscale(path: &Path) {
    let file = std::fs::File::open(path).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut rgb = vec![0; reader.output_buffer_size().expect("a PNG of sane size")];
    let info = reader.next_frame(&mut rgb).unwrap();
    let grey: Vec<u8> = rgb
        .chunks_exact(3)
        .map(|p| (0.2126 * p[0] as f64 + 0.7152 * p[1] as f64 + 0.0722 * p[2] as f64) as u8)
        .collect();
    let out = std::fs::File::create(path.with_extension("grey.png")).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(out), info.width, info.height);
    enc.set_color(png::ColorType::Grayscale);
    enc.write_header().unwrap().write_image_data(&grey).unwrap();
}

/// Rewrites `file` in `dir`: keeps the rows `keep` accepts and inserts a column `extra` (with
/// the cell `value`) after column `after`.
fn rewrite(dir: &Path, file: &str, keep: impl Fn(&str) -> bool, extra: Option<(&str, &str, &str)>) {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let at = extra.map(|(after, _, _)| header.split(',').position(|h| h == after).unwrap() + 1);
    let insert = |line: &str, cell: &str| -> String {
        let mut c: Vec<&str> = line.split(',').collect();
        if let Some(i) = at {
            c.insert(i, cell);
        }
        c.join(",")
    };
    let mut out = insert(header, extra.map_or("", |e| e.1));
    out.push('\n');
    for l in lines.filter(|l| keep(l)) {
        out.push_str(&insert(l, extra.map_or("", |e| e.2)));
        out.push('\n');
    }
    std::fs::write(dir.join(file), out).unwrap();
}

/// The output writers may add columns (`share_undefined` in summary.csv, `unit` in
/// timeseries.csv) and, for one organisation, write only the `total` rows: the charts read
/// columns by name and never need an organisation's own row, so the titles do not change.
#[test]
fn one_organisation_runs_need_only_total_rows_and_tolerate_new_columns() {
    let (plain, lean) = (scratch("run-sample"), scratch("run-sample"));
    let p = lean.path();
    let total = |l: &str| l.starts_with("total,");
    rewrite(p, "summary.csv", total, Some(("n", "share_undefined", "0")));
    rewrite(p, "timeseries.csv", total, Some(("metric", "unit", "gbp")));
    rewrite(p, "by_year.csv", total, None);
    rewrite(p, "sensitivity.csv", total, None);
    rewrite(p, "iterations.csv", |l| l.contains(",total,"), None);
    let a = render_run_charts(plain.path()).unwrap();
    let b = render_run_charts(p).unwrap();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        if x.extension().is_some_and(|e| e == "svg") {
            assert_eq!(svg_title(x), svg_title(y), "{}", x.display());
        }
    }
    assert_eq!(
        svg_title(&p.join("charts/running_cost_fan.svg")),
        "A 97% chance of meeting the target by Mar 2027 and holding it for 12 months"
    );
}
