//! The board pack (issue 12): `report.html` and `results.xlsx` in every run directory.
//!
//! - every number in the report's sentences is read back from its `data-*` attributes and
//!   compared with the `summary.csv` (or `comparison.csv`) cell it names, and its printed text
//!   with the one formatter; no other digit is in a sentence;
//! - the page refers to nothing outside itself, and every chart image decodes;
//! - the workbook is unzipped and its sheet XML read back: every sheet present, every cell equal
//!   to the CSV it mirrors, the £/%/count formats and frozen header rows set, the charts inside;
//! - `--no-report`, `icbsim chart DIR` rebuilding the pack, a bad run writing none, and the same
//!   bytes at any thread count.
//!
//! The reports made here are copied to `target/tmp/reports/` for the browser check in `.ci/run`.

mod common;

use base64::Engine;
use common::{fixture, icbsim, manifest_dir, option_file, s, tmp};
use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Runs `icbsim ARGS` and asserts it succeeded.
fn ok<const N: usize>(cwd: &Path, args: [&str; N]) {
    let o = icbsim(cwd, args);
    assert_eq!(o.code, Some(0), "icbsim {args:?}\n{}", o.stderr);
}

/// Keeps a copy of `dir/report.html` under `target/tmp/reports/NAME/` for the browser check.
fn keep(dir: &Path, name: &str) {
    let to = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("reports")
        .join(name);
    fs::create_dir_all(&to).unwrap();
    fs::copy(dir.join("report.html"), to.join("report.html")).unwrap();
}

/// A CSV file as its header and rows (quoted cells handled).
fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The attributes and text of every `<span class="fig" …>text</span>` in `html`.
fn figures(html: &str) -> Vec<(HashMap<String, String>, String)> {
    let mut out = Vec::new();
    for part in html.split("<span class=\"fig\" ").skip(1) {
        let (attrs, rest) = part.split_once('>').unwrap();
        let text = rest.split_once("</span>").unwrap().0;
        let mut map = HashMap::new();
        for a in attrs.split("\" ") {
            let (k, v) = a.split_once("=\"").unwrap();
            map.insert(k.to_string(), v.trim_end_matches('"').to_string());
        }
        out.push((map, unescape(text)));
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text a figure should show, by its `data-format`, through the one formatter.
fn formatted(format: &str, v: f64) -> String {
    use icbsim::format as f;
    match format {
        "gbp" => f::gbp(v),
        "a_chance" => f::a_chance(v),
        "chance" => f::chance(v),
        "percent" => f::percent(v, 0),
        "count" => f::count(v),
        "months" => format!("{} months", f::count(v)),
        other => panic!("unknown data-format {other}"),
    }
}

/// The headline sentences (`<li>` of the findings list) of a report.
fn sentences(html: &str) -> Vec<String> {
    let list = html
        .split_once("<ol class=\"findings\">")
        .unwrap()
        .1
        .split_once("</ol>")
        .unwrap()
        .0;
    list.split("<li>")
        .skip(1)
        .map(|l| l.split_once("</li>").unwrap().0.to_string())
        .collect()
}

/// Checks every figure of a run report against `summary.csv` and the formatter, and that the
/// words around them hold no number of their own beyond the definitions' fixed terms (P10, P50,
/// P90, "1 in 10" for P90, "12 months" of the target test, the deadline's year, the count of
/// organisations from the manifest, and the caller's `counts`: words with a count the caller
/// worked out by hand). Returns how many figures were checked.
fn check_run_figures(dir: &Path, counts: &[&str]) -> usize {
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    let (header, rows) = csv_rows(&dir.join("summary.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let figs = figures(&html);
    for (a, text) in &figs {
        let row = rows
            .iter()
            .find(|r| r[col("org")] == a["data-org"] && r[col("metric")] == a["data-metric"])
            .unwrap_or_else(|| panic!("no summary row for {a:?}"));
        let stat = a["data-stat"].as_str();
        let expected = match stat {
            "1-mean" => 1.0 - row[col("mean")].parse::<f64>().unwrap(),
            s => row[col(s)].parse::<f64>().unwrap(),
        };
        let shown: f64 = a["data-value"].parse().unwrap();
        assert_eq!(shown, expected, "{a:?}");
        assert_eq!(text, &formatted(&a["data-format"], expected), "{a:?}");
    }
    let m = common::manifest(dir);
    let deadline_year = &m["deadline"].as_str().unwrap()[..4];
    let n_orgs = format!("{} organisations", m["orgs"].as_array().unwrap().len());
    for sentence in sentences(&html) {
        let mut words = String::new();
        for part in sentence.split("<span class=\"fig\" ") {
            words.push_str(part.split_once("</span>").map_or(part, |(_, w)| w));
        }
        let mut words = unescape(&words);
        for fixed in [
            "P10",
            "P50",
            "P90",
            "1 in 10",
            "12 months",
            deadline_year,
            &n_orgs,
        ]
        .into_iter()
        .chain(counts.iter().copied())
        {
            words = words.replace(fixed, "");
        }
        assert!(
            !words.chars().any(|c| c.is_ascii_digit()),
            "a number typed into a sentence: {words}"
        );
    }
    figs.len()
}

/// Checks the page needs nothing outside itself and every image decodes; returns the count of
/// images.
fn check_self_contained(html: &str) -> usize {
    assert!(!html.to_lowercase().contains("http"), "a network reference");
    assert!(!html.contains("<script") && !html.contains("url("));
    assert!(html.contains("@page { size: A4;") && html.contains("max-width: 17cm"));
    let mut images = 0;
    for part in html.split("<img src=\"").skip(1) {
        let uri = part.split_once('"').unwrap().0;
        let (mime, data) = uri
            .strip_prefix("data:")
            .and_then(|u| u.split_once(";base64,"))
            .unwrap_or_else(|| panic!("an image that is not a data URI: {}", &uri[..40]));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap();
        match mime {
            "image/svg+xml" => {
                let tree =
                    resvg::usvg::Tree::from_data(&bytes, &resvg::usvg::Options::default()).unwrap();
                assert!(tree.size().width() > 0.0 && tree.size().height() > 0.0);
            }
            "image/png" => {
                let info = png::Decoder::new(std::io::Cursor::new(bytes))
                    .read_info()
                    .unwrap();
                assert!(info.info().width > 0);
            }
            other => panic!("unexpected image type {other}"),
        }
        images += 1;
    }
    for part in html.split(" href=\"").skip(1) {
        let target = part.split_once('"').unwrap().0;
        assert!(!target.contains("//"), "{target}");
    }
    images
}

#[test]
fn every_number_in_the_sentences_is_the_result_it_names_one_org() {
    let t = tmp();
    let out = t.path().join("ex");
    ok(
        &manifest_dir(),
        [
            "run",
            "scenarios/example-icb.toml",
            "-n",
            "300",
            "--seed",
            "3",
            "-q",
            "--out",
            &s(&out),
        ],
    );
    // Seven sentences: target, exit cost, funding, run-rate, people, value for money, payback;
    // each figure checked.
    assert!(check_run_figures(&out, &[]) >= 20);
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(sentences(&html).len(), 7);
    let svgs = fs::read_dir(out.join("charts"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().unwrap() == "svg")
        .count();
    assert!(svgs >= 6);
    assert_eq!(
        check_self_contained(&html),
        svgs,
        "every chart is in the page"
    );
    keep(&out, "example-icb");
    check_workbook(&out, svgs);
}

#[test]
fn every_number_in_the_sentences_is_the_result_it_names_national() {
    let t = tmp();
    let out = t.path().join("national");
    ok(t.path(), ["run", "-n", "60", "-q", "--out", &s(&out)]);
    // The embedded default (scenarios/england-icbs-2026.toml) has 42 ICBs and 13 mergers, every
    // one on or before the March 2028 deadline (5 in April 2026, 8 in April 2027). Counting the
    // members of each [[merger]] by hand: 2+2+2+3+2 (Midlands) + 3+2 (East) + 2 (London) +
    // 2+2 (South East) + 2+3+2 (South West) = 29 members, so 42 − 29 = 13 ICBs stand alone and
    // 13 + 13 successors = 26 organisations are in place at the deadline, of 55 in the file.
    let in_place = "26 organisations in place at the deadline (42 before mergers)";
    assert!(check_run_figures(&out, &[in_place]) >= 20);
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let first = &sentences(&html)[0];
    assert!(
        first.contains(&format!(
            "that at least one of the {in_place} misses its running-cost target by Mar 2028"
        )),
        "{first}"
    );
    assert_eq!(common::manifest(&out)["orgs"].as_array().unwrap().len(), 55);
    assert!(html.contains("42 organisations before mergers, 26 at the deadline ·"));
    assert!(check_self_contained(&html) >= 7);
    keep(&out, "national-default");
}

#[test]
fn the_first_finding_counts_the_organisations_in_place_at_the_deadline() {
    // scenarios/cluster-merger.toml: two ICBs (Leicester, Leicestershire and Rutland;
    // Northamptonshire) merge into one successor in April 2027, before the March 2028 deadline.
    let t = tmp();
    let sc = manifest_dir().join("scenarios/cluster-merger.toml");
    // Runs the scenario with `--set` overrides into `t/name`, returning the folder and its report.
    let run = |name: &str, set: &[&str]| {
        let out = t.path().join(name);
        let mut args = vec!["run".to_string(), s(&sc)];
        for a in ["-n", "40", "-q", "--no-charts", "--out"] {
            args.push(a.to_string());
        }
        args.push(s(&out));
        for x in set {
            args.extend(["--set".to_string(), x.to_string()]);
        }
        let o = icbsim(t.path(), &args);
        assert_eq!(o.code, Some(0), "icbsim {args:?}\n{}", o.stderr);
        let html = fs::read_to_string(out.join("report.html")).unwrap();
        (out, html)
    };
    let (merged, html) = run("merged", &[]);
    let successor = "Leicester, Leicestershire, Rutland and Northamptonshire";
    let one =
        format!("{successor}, the one organisation in place at the deadline (2 before mergers),");
    assert!(
        sentences(&html)[0].contains(&format!("that {one} misses")),
        "{html}"
    );
    assert!(html.contains("2 organisations before mergers, 1 at the deadline ·"));
    // Taken together is the one organisation: no pooled clause.
    assert!(!sentences(&html)[0].contains("Taken together"));
    check_run_figures(&merged, &[&one]);
    // The same merger in June 2028, after the deadline: both members are still in place then and
    // the successor is not yet, so 2 of the 3 organisations count.
    let set = "merger.leicester-leicestershire-rutland-and-northamptonshire.month=\"2028-06\"";
    let (later, html) = run("later", &[set]);
    let two = "2 organisations in place at the deadline (2 before mergers)";
    assert!(
        sentences(&html)[0].contains(&format!("that at least one of the {two} misses")),
        "{html}"
    );
    check_run_figures(&later, &[two]);
}

/// Files of a zip archive by name.
fn unzip(path: &Path) -> HashMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut out = HashMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.insert(f.name().to_string(), bytes);
    }
    out
}

/// An attribute of an XML start tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(&tag[at..at + tag[at..].find('"')?])
}

fn xml_unescape(s: &str) -> String {
    unescape(s).replace("&#10;", "\n")
}

/// A cell read back from sheet XML: its text (a shared string or the number as written) and
/// its style index.
#[derive(Debug)]
struct Cell {
    text: String,
    number: bool,
    style: usize,
}

/// The cells of one sheet, by (row, column), 0-based.
fn sheet_cells(xml: &str, strings: &[String]) -> HashMap<(usize, usize), Cell> {
    let mut cells = HashMap::new();
    for part in xml.split("<c ").skip(1) {
        let tag = format!(" {}", part.split_once('>').unwrap().0);
        let r = attr(&tag, "r").unwrap();
        let letters: String = r.chars().take_while(char::is_ascii_uppercase).collect();
        let col = letters
            .bytes()
            .fold(0, |acc, b| acc * 26 + (b - b'A' + 1) as usize)
            - 1;
        let row: usize = r[letters.len()..].parse::<usize>().unwrap() - 1;
        let value = part
            .split_once("<v>")
            .map(|(_, v)| v.split_once("</v>").unwrap().0.to_string());
        let Some(value) = value else { continue };
        let shared = attr(&tag, "t") == Some("s");
        let text = if shared {
            strings[value.parse::<usize>().unwrap()].clone()
        } else {
            value
        };
        cells.insert(
            (row, col),
            Cell {
                text,
                number: !shared,
                style: attr(&tag, "s").map_or(0, |s| s.parse().unwrap()),
            },
        );
    }
    cells
}

/// The number format code of each cell style index.
fn style_formats(styles: &str) -> Vec<String> {
    let mut codes: HashMap<String, String> = [("0", "General")]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    for part in styles.split("<numFmt ").skip(1) {
        let tag = format!(" {}", part.split_once("/>").unwrap().0);
        codes.insert(
            attr(&tag, "numFmtId").unwrap().to_string(),
            xml_unescape(attr(&tag, "formatCode").unwrap()),
        );
    }
    let xfs = styles
        .split_once("<cellXfs")
        .unwrap()
        .1
        .split_once("</cellXfs>")
        .unwrap()
        .0;
    xfs.split("<xf ")
        .skip(1)
        .map(|x| {
            let id = attr(&format!(" {x}"), "numFmtId")
                .unwrap_or("0")
                .to_string();
            codes.get(&id).cloned().unwrap_or(id)
        })
        .collect()
}

/// Reads `dir/results.xlsx` back and checks it against the CSVs of `dir`.
fn check_workbook(dir: &Path, charts: usize) {
    let files = unzip(&dir.join("results.xlsx"));
    let text = |name: &str| String::from_utf8(files[name].clone()).unwrap();
    let workbook = text("xl/workbook.xml");
    let names: Vec<String> = workbook
        .split("<sheet ")
        .skip(1)
        .map(|t| xml_unescape(attr(&format!(" {t}"), "name").unwrap()))
        .collect();
    assert_eq!(
        names,
        [
            "Summary",
            "By year",
            "Time series",
            "Inputs",
            "Sensitivity",
            "Charts"
        ]
    );
    let strings: Vec<String> = files
        .get("xl/sharedStrings.xml")
        .map(|b| String::from_utf8(b.clone()).unwrap())
        .unwrap_or_default()
        .split("<si>")
        .skip(1)
        .map(|si| {
            let t = si.split_once("</si>").unwrap().0;
            let inner = t.split_once('>').unwrap().1;
            xml_unescape(inner.rsplit_once("</t>").unwrap().0)
        })
        .collect();
    let formats = style_formats(&text("xl/styles.xml"));
    let csvs = [
        "summary.csv",
        "by_year.csv",
        "timeseries.csv",
        "inputs.csv",
        "sensitivity.csv",
    ];
    for (i, file) in csvs.iter().enumerate() {
        let xml = text(&format!("xl/worksheets/sheet{}.xml", i + 1));
        assert!(
            xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""),
            "{file}: header row not frozen"
        );
        assert!(xml.contains("<autoFilter ref=\"A1:"), "{file}: no filter");
        assert!(xml.contains("<cols>"), "{file}: no column widths");
        let cells = sheet_cells(&xml, &strings);
        let (header, rows) = csv_rows(&dir.join(file));
        for (c, h) in header.iter().enumerate() {
            assert_eq!(cells[&(0, c)].text, *h, "{file} header");
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, csv_cell) in row.iter().enumerate() {
                let cell = cells.get(&(r + 1, c));
                match (csv_cell.parse::<f64>(), cell) {
                    _ if csv_cell.is_empty() => assert!(cell.is_none(), "{file} {r} {c}"),
                    (Ok(v), Some(x)) if x.number => {
                        assert_eq!(x.text.parse::<f64>().unwrap(), v, "{file} row {r} col {c}")
                    }
                    (_, Some(x)) => assert_eq!(&x.text, csv_cell, "{file} row {r} col {c}"),
                    (_, None) => panic!("{file} row {r} col {c}: missing {csv_cell}"),
                }
            }
        }
        if *file == "summary.csv" {
            // The formats follow each row's unit: £ for money, % for probabilities and shares,
            // a whole number for counts.
            let p50 = header.iter().position(|h| h == "p50").unwrap();
            for (metric, code) in [
                ("exit_cost_gbp", "£#,##0"),
                ("run_rate_at_deadline_gbp", "£#,##0"),
                ("target_met", "0.0%"),
                ("reduction_at_deadline", "0.0%"),
                ("exits_vr", "#,##0"),
            ] {
                let r = rows.iter().position(|row| row[1] == metric).unwrap();
                let style = cells[&(r + 1, p50)].style;
                assert_eq!(formats[style], code, "{metric}");
            }
        }
    }
    let media: Vec<&String> = files
        .keys()
        .filter(|k| k.starts_with("xl/media/"))
        .collect();
    assert_eq!(media.len(), charts, "one image per chart");
    for k in media {
        assert!(files[k].starts_with(b"\x89PNG"), "{k}");
    }
}

#[test]
fn no_report_writes_none_and_chart_dir_builds_the_pack_with_the_charts() {
    let t = tmp();
    let out = t.path().join("bare");
    let scenario = s(&fixture("small-stochastic.toml"));
    let args = ["run", &scenario, "-n", "40", "-q", "--no-charts"];
    ok(
        t.path(),
        [
            args[0],
            args[1],
            args[2],
            args[3],
            args[4],
            args[5],
            "--no-report",
            "--out",
            &s(&out),
        ],
    );
    assert!(!out.join("report.html").exists() && !out.join("results.xlsx").exists());
    assert!(out.join("summary.csv").is_file());
    // Without charts the report says so, and the workbook's Charts sheet holds no image.
    ok(
        t.path(),
        [
            args[0],
            args[1],
            args[2],
            args[3],
            args[4],
            args[5],
            "--out",
            &s(&out),
        ],
    );
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("No charts were drawn for this run"));
    assert_eq!(check_self_contained(&html), 0);
    check_workbook(&out, 0);
    let before = fs::read(out.join("report.html")).unwrap();
    // `chart DIR --no-report` leaves the pack alone; `chart DIR` rebuilds it with the charts.
    ok(t.path(), ["chart", &s(&out), "--no-report"]);
    assert_eq!(fs::read(out.join("report.html")).unwrap(), before);
    ok(t.path(), ["chart", &s(&out)]);
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        check_self_contained(&html) >= 7,
        "two organisations: seven charts"
    );
    check_run_figures(&out, &[]);
    check_workbook(&out, check_self_contained(&html));
    keep(&out, "small-stochastic");
}

#[test]
fn a_bad_run_or_bad_run_files_write_no_report() {
    let t = tmp();
    let out = t.path().join("bad");
    let o = icbsim(
        t.path(),
        [
            "run",
            &s(&fixture("minimal.toml")),
            "--set",
            "vr.uptake=2",
            "--out",
            &s(&out),
        ],
    );
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(!out.exists());
    // A run directory whose inputs.csv is gone: `chart DIR` is bad input, naming the file, and
    // changes nothing.
    ok(
        t.path(),
        [
            "run",
            &s(&fixture("minimal.toml")),
            "-q",
            "--no-charts",
            "--out",
            &s(&out),
        ],
    );
    let before = fs::read(out.join("report.html")).unwrap();
    fs::remove_file(out.join("inputs.csv")).unwrap();
    let o = icbsim(t.path(), ["chart", &s(&out)]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("inputs.csv"), "{}", o.stderr);
    assert_eq!(fs::read(out.join("report.html")).unwrap(), before);
    assert!(!out.join("charts").exists());
}

#[test]
fn the_pack_is_the_same_bytes_at_any_thread_count() {
    let t = tmp();
    let scenario = s(&fixture("small-stochastic.toml"));
    let dirs: Vec<PathBuf> = ["1", "2"]
        .iter()
        .map(|j| {
            let out = t.path().join(format!("j{j}"));
            ok(
                t.path(),
                [
                    "run",
                    &scenario,
                    "-n",
                    "30",
                    "-j",
                    j,
                    "-q",
                    "--no-charts",
                    "--out",
                    &s(&out),
                ],
            );
            out
        })
        .collect();
    common::assert_same_files(&dirs[0], &dirs[1], &["report.html", "results.xlsx"]);
}

#[test]
fn a_batch_report_compares_its_scenarios_from_comparison_csv() {
    let t = tmp();
    let out = t.path().join("batch");
    ok(
        t.path(),
        [
            "batch",
            &s(&fixture("minimal.toml")),
            &s(&fixture("small-stochastic.toml")),
            "-n",
            "30",
            "-q",
            "--out",
            &s(&out),
        ],
    );
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let (header, rows) = csv_rows(&out.join("comparison.csv"));
    let figs = figures(&html);
    assert!(figs.len() >= 2 * 6, "{}", figs.len());
    for (a, text) in &figs {
        let row = rows
            .iter()
            .find(|r| r[1] == a["data-org"])
            .unwrap_or_else(|| panic!("{a:?}"));
        let c = header.iter().position(|h| *h == a["data-metric"]).unwrap();
        let v: f64 = row[c].parse().unwrap();
        assert_eq!(a["data-value"].parse::<f64>().unwrap(), v, "{a:?}");
        assert_eq!(text, &formatted(&a["data-format"], v));
    }
    assert_eq!(check_self_contained(&html), 1, "the comparison chart");
    for row in &rows {
        assert!(html.contains(&format!("<a href=\"{}/report.html\">", row[1])));
        assert!(out.join(&row[1]).join("report.html").is_file());
        assert!(out.join(&row[1]).join("results.xlsx").is_file());
    }
    keep(&out, "batch");
}

/// `icbsim compare` writes a `report.html` beside `paired.csv`: one finding per pair, every figure
/// in it and in the pair tables a `paired.csv` value (the row its `data-org` `A|B`,
/// `data-metric` and `data-stat` name), shown through the one formatter; each option's own folder
/// holds its board pack; `--no-report` writes none of them. Two options that differ only in VR
/// uptake (`tests/fixtures/stochastic.toml`), then the same file twice, whose differences are
/// exactly 0: "the same exit cost in every future" with a 100% share.
#[test]
fn the_comparison_report_states_the_paired_results() {
    let t = tmp();
    let low = option_file(t.path(), "low", "Low uptake", 0.15);
    let high = option_file(t.path(), "high", "High uptake", 0.45);
    let out = t.path().join("cmp");
    ok(
        t.path(),
        ["compare", &high, &low, "-n", "60", "-q", "--out", &s(&out)],
    );
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    check_self_contained(&html);
    let (header, rows) = csv_rows(&out.join("paired.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let value = |org: &str, metric: &str, stat: &str| -> f64 {
        let (a, b) = org.split_once('|').unwrap();
        let row = rows
            .iter()
            .find(|r| {
                r[col("option_a")] == a
                    && r[col("option_b")] == b
                    && r[col("metric")] == metric
                    && r[col("statistic")] == stat
            })
            .unwrap_or_else(|| panic!("no paired.csv row for {org} {metric} {stat}"));
        row[col("value")].parse().unwrap()
    };
    let figs = figures(&html);
    // The finding: exit cost P50, P10, P90 and one option's lower share; two target shares. The
    // tables: 5 results × 6 figures.
    assert_eq!(figs.len(), 6 + 30, "figures: {figs:?}");
    for (attrs, text) in &figs {
        let v: f64 = attrs["data-value"].parse().unwrap();
        let want = value(
            &attrs["data-org"],
            &attrs["data-metric"],
            &attrs["data-stat"],
        );
        assert!((v - want).abs() <= 1e-9 * want.abs().max(1.0), "{attrs:?}");
        assert_eq!(*text, formatted(&attrs["data-format"], v), "{attrs:?}");
    }
    let first = &sentences(&html)[0];
    assert!(first.contains("Option A (High uptake)") && first.contains("Option B (Low uptake)"));
    for slug in ["high-uptake", "low-uptake"] {
        assert!(out.join(slug).join("report.html").is_file(), "{slug}");
        assert!(out.join(slug).join("results.xlsx").is_file(), "{slug}");
        assert!(html.contains(&format!("<a href=\"{slug}/report.html\">")));
    }
    keep(&out, "compare");
    // The same option twice: every difference is 0, so the finding says so.
    let same = t.path().join("same");
    ok(
        t.path(),
        ["compare", &low, &low, "-n", "20", "-q", "--out", &s(&same)],
    );
    let html = fs::read_to_string(same.join("report.html")).unwrap();
    assert!(
        sentences(&html)[0].contains("have the same exit cost in every future"),
        "{html}"
    );
    // --no-report: no page here or in the options' folders.
    let bare = t.path().join("bare");
    ok(
        t.path(),
        [
            "compare",
            &high,
            &low,
            "-n",
            "20",
            "-q",
            "--no-report",
            "--out",
            &s(&bare),
        ],
    );
    assert!(!bare.join("report.html").exists());
    assert!(!bare.join("high-uptake").join("report.html").exists());
    assert!(bare.join("paired.csv").is_file());
}
