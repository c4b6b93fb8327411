//! HTML building blocks of the board report: escaping, the inline style sheet (NHS blue
//! headings, A4 print rules), numbers with their provenance attributes, chart figures as data
//! URIs, and tables. Plain string building: the page has no template engine, no script and no
//! reference to anything outside itself.

use super::data::ChartImage;
use super::findings::{Piece, Shown};
use base64::Engine;
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The style sheet: a board paper on screen and on A4 (17 cm text width).
pub const CSS: &str = r#"
@page { size: A4; margin: 18mm 20mm 18mm 20mm; }
:root { --nhs-blue: #005eb8; --nhs-dark-blue: #003087; --text: #212b32; --grey: #4c6272; --pale: #f0f4f5; --rule: #d8dde0; }
* { box-sizing: border-box; }
html { background: #ffffff; }
body { font-family: Arial, "Helvetica Neue", Helvetica, "Liberation Sans", sans-serif; color: var(--text); font-size: 11pt; line-height: 1.45; max-width: 17cm; margin: 0 auto; padding: 1.2em 0.8em 2em; }
h1, h2, h3 { color: var(--nhs-blue); line-height: 1.2; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 22pt; margin: 0.1em 0 0.2em; }
h2 { font-size: 14pt; margin: 1.4em 0 0.5em; border-bottom: 2px solid var(--nhs-blue); padding-bottom: 0.15em; }
.kicker { color: var(--nhs-dark-blue); font-weight: bold; text-transform: uppercase; letter-spacing: 0.04em; font-size: 9pt; margin: 0; }
.sub { color: var(--grey); margin: 0 0 0.8em; }
.findings { background: var(--pale); border-left: 6px solid var(--nhs-blue); padding: 0.6em 1em 0.6em 2.2em; margin: 0.6em 0 0; }
.findings li { margin: 0.35em 0; }
.findings li:first-child { font-weight: bold; font-size: 12pt; }
.fig { font-weight: bold; white-space: nowrap; }
figure { margin: 0 0 1.2em; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; max-width: 17cm; height: auto; border: 1px solid var(--rule); }
figcaption { font-size: 9pt; color: var(--grey); margin-top: 0.3em; }
figcaption strong { color: var(--text); }
table { border-collapse: collapse; width: 100%; font-size: 9pt; break-inside: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th { text-align: left; background: var(--nhs-blue); color: #ffffff; padding: 0.3em 0.4em; font-weight: bold; }
td { border-bottom: 1px solid var(--rule); padding: 0.25em 0.4em; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; }
.note { font-size: 9pt; color: var(--grey); }
footer { margin-top: 2em; border-top: 2px solid var(--nhs-blue); font-size: 8.5pt; color: var(--grey); break-inside: avoid; page-break-inside: avoid; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 1em; margin: 0.6em 0; }
footer dt { font-weight: bold; color: var(--text); }
footer dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 8.5pt; overflow-wrap: anywhere; }
section.charts h2 { break-before: page; page-break-before: always; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"#;

/// The page around `body`: doctype, language, title, the style sheet.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        esc(title)
    )
}

/// A number with what it is: `<span class="fig" data-org=… data-metric=… data-stat=…
/// data-format=… data-value=…>£603m</span>`. `data-value` is the exact value (Rust's shortest
/// round-trip form), so it can be compared with the file it came from.
pub fn figure(org: &str, metric: &str, stat: &str, shown: Shown, value: f64) -> String {
    format!(
        "<span class=\"fig\" data-org=\"{}\" data-metric=\"{}\" data-stat=\"{}\" data-format=\"{}\" data-value=\"{value}\">{}</span>",
        esc(org),
        esc(metric),
        esc(stat),
        shown.name(),
        esc(&shown.text(value))
    )
}

/// A sentence of words and figures as HTML.
pub fn sentence(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(&esc(t)),
            Piece::Figure(f) => out.push_str(&figure(
                &f.org,
                f.metric.name(),
                f.stat.name(),
                f.shown,
                f.value,
            )),
        }
    }
    out
}

/// A chart as a figure: the image inline as a data URI, its title and text alternative below.
pub fn chart_figure(n: usize, c: &ChartImage) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(&c.bytes);
    let alt = if c.desc.is_empty() { &c.title } else { &c.desc };
    format!(
        "<figure id=\"chart-{}\">\n<img src=\"data:{};base64,{data}\" alt=\"{}\">\n\
         <figcaption><strong>Figure {n}. {}</strong>{}</figcaption>\n</figure>\n",
        esc(&c.stem),
        c.mime,
        esc(alt),
        esc(&c.title),
        if c.desc.is_empty() {
            String::new()
        } else {
            format!(" {}", esc(&c.desc))
        }
    )
}

/// A table with a header row; cells are HTML already (escape text first). A column whose
/// index is in `numeric` is right-aligned.
pub fn table(header: &[&str], rows: &[Vec<String>], numeric: &[usize]) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    for (i, h) in header.iter().enumerate() {
        let class = if numeric.contains(&i) {
            " class=\"n\""
        } else {
            ""
        };
        let _ = write!(out, "<th{class}>{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            let class = if numeric.contains(&i) {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{c}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A table cell naming a scenario or option: a link to its own report in the folder `slug`
/// beside this page when `has_report`, else the name.
pub fn own_report_link(slug: &str, name: &str, has_report: bool) -> String {
    if has_report {
        format!(
            "<a href=\"{}/{}\">{}</a>",
            esc(slug),
            super::REPORT_FILE,
            esc(name)
        )
    } else {
        esc(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(
            esc("<b>\"R&D\" it's</b>"),
            "&lt;b&gt;&quot;R&amp;D&quot; it&#39;s&lt;/b&gt;"
        );
    }

    #[test]
    fn a_figure_carries_its_exact_value_and_prints_it_with_the_formatter() {
        let html = figure("total", "exit_cost_gbp", "p50", Shown::Gbp, 603_123_456.78);
        assert_eq!(
            html,
            "<span class=\"fig\" data-org=\"total\" data-metric=\"exit_cost_gbp\" data-stat=\"p50\" \
             data-format=\"gbp\" data-value=\"603123456.78\">£603m</span>"
        );
    }

    #[test]
    fn the_style_sheet_prints_on_a4_and_fetches_nothing() {
        assert!(CSS.contains("@page { size: A4;"));
        assert!(CSS.contains("max-width: 17cm"));
        assert!(!CSS.contains("url(") && !CSS.contains("@import"));
    }
}
