//! Turns a chart's SVG (as plotters writes it, text as `<text>` in "sans-serif") into the two
//! published files: a 2400×1350 PNG rendered by resvg, and a normalised SVG with text converted
//! to paths so it looks the same in every viewer. Both use only the bundled DejaVu Sans fonts,
//! never system fonts, so output is byte-identical on every machine. Also measures text with the
//! same engine, so layout code can keep labels from overlapping or being clipped.

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};
use std::sync::{Arc, OnceLock};

/// Logical width of every chart (SVG user units).
pub const WIDTH: u32 = 1600;
/// Logical height of every chart.
pub const HEIGHT: u32 = 900;
/// Scale from logical size to the PNG's pixels (1600×900 → 2400×1350).
pub const PNG_SCALE: f32 = 1.5;

/// The font database holding only DejaVu Sans (regular and bold), shared by all renders.
fn fonts() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(dejavu::sans::regular().to_vec());
        db.load_font_data(dejavu::sans::bold().to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

fn options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: "DejaVu Sans".to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    }
}

/// Escapes text for use inside XML elements and attributes.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The rendered files of one chart.
pub struct Rendered {
    /// PNG bytes, 2400×1350 RGB.
    pub png: Vec<u8>,
    /// Normalised SVG, text as paths, with `<title>` and `<desc>` for search and screen readers.
    pub svg: String,
}

/// Renders plotters' SVG to PNG and normalised SVG. `title` and `desc` are written into the SVG
/// as `<title>` and `<desc>`. Fails only if the SVG cannot be parsed or PNG encoding fails.
pub fn render(svg: &str, title: &str, desc: &str) -> Result<Rendered, String> {
    let tree = usvg::Tree::from_str(svg, &options()).map_err(|e| format!("parsing SVG: {e}"))?;
    let (w, h) = (
        (WIDTH as f32 * PNG_SCALE) as u32,
        (HEIGHT as f32 * PNG_SCALE) as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or("cannot allocate the image")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pixmap.as_mut(),
    );
    // The background is opaque white, so premultiplied RGBA equals straight RGBA; drop alpha.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let png = encode_png(&rgb, w, h).map_err(|e| format!("encoding PNG: {e}"))?;
    // Three decimals of a 1600-unit page is far below a printed dot; it halves the file size.
    let write = usvg::WriteOptions {
        coordinates_precision: 3,
        transforms_precision: 6,
        ..usvg::WriteOptions::default()
    };
    let mut out = tree.to_string(&write);
    let meta = format!(
        "<title>{}</title><desc>{}</desc>",
        xml_escape(title),
        xml_escape(desc)
    );
    match out
        .find("<svg")
        .and_then(|i| out[i..].find('>').map(|j| i + j + 1))
    {
        Some(at) => out.insert_str(at, &meta),
        None => return Err("usvg wrote no <svg> element".to_string()),
    }
    Ok(Rendered { png, svg: out })
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Balanced);
        let mut writer = enc.write_header()?;
        writer.write_image_data(rgb)?;
        writer.finish()?;
    }
    Ok(bytes)
}

/// The advance width (approximately: the ink width plus side bearings) of `text` in DejaVu Sans
/// at `px` logical pixels, as resvg will draw it. Empty or unrenderable text measures 0.
pub fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    if text.trim().is_empty() {
        return 0.0;
    }
    // Bracket the text with a thin character so that leading/trailing spaces and side
    // bearings count; subtract the brackets' own width.
    let probe = |s: &str| -> f64 {
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8000\" height=\"400\">\
             <text x=\"10\" y=\"200\" font-family=\"sans-serif\" font-size=\"{px}\"{}>{}</text></svg>",
            if bold { " font-weight=\"bold\"" } else { "" },
            xml_escape(s)
        );
        usvg::Tree::from_str(&svg, &options())
            .map(|t| f64::from(t.root().abs_bounding_box().width()))
            .unwrap_or(0.0)
    };
    (probe(&format!("|{text}|")) - probe("||")).max(0.0)
}

/// One run of text as resvg lays it out from plotters' SVG (before text becomes paths).
#[cfg(test)]
#[derive(Debug, Clone)]
pub struct TextBox {
    /// The characters.
    pub text: String,
    /// The smallest font size among its spans, in logical pixels.
    pub px: f64,
    /// The glyphs' ink box on the page: (left, top, right, bottom) in logical pixels.
    pub ink: (f64, f64, f64, f64),
}

/// Every text element of plotters' `svg` with its size and ink box, in drawing order (empty
/// text is skipped). Fails when the SVG cannot be parsed.
#[cfg(test)]
pub fn text_boxes(svg: &str) -> Result<Vec<TextBox>, String> {
    fn walk(g: &usvg::Group, out: &mut Vec<TextBox>) {
        for n in g.children() {
            match n {
                usvg::Node::Group(g) => walk(g, out),
                usvg::Node::Text(t) => {
                    let text: String = t.chunks().iter().map(|c| c.text()).collect();
                    if text.trim().is_empty() {
                        continue;
                    }
                    let px = t
                        .chunks()
                        .iter()
                        .flat_map(|c| c.spans())
                        .map(|s| f64::from(s.font_size().get()))
                        .fold(f64::INFINITY, f64::min);
                    let b = t.flattened().abs_bounding_box();
                    out.push(TextBox {
                        text,
                        px,
                        ink: (
                            f64::from(b.left()),
                            f64::from(b.top()),
                            f64::from(b.right()),
                            f64::from(b.bottom()),
                        ),
                    });
                }
                _ => {}
            }
        }
    }
    let tree = usvg::Tree::from_str(svg, &options()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    walk(tree.root(), &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_text_with_the_bundled_font() {
        let short = text_width("£1.2bn", 22.0, false);
        let long = text_width("£1.2bn and more", 22.0, false);
        assert!(short > 40.0 && short < 110.0, "{short}");
        assert!(long > short * 2.0);
        assert!(text_width("Title", 22.0, true) > text_width("Title", 22.0, false));
        assert_eq!(text_width("", 22.0, false), 0.0);
    }

    #[test]
    fn renders_png_of_the_published_size_and_keeps_the_title() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1600\" height=\"900\">\
                   <text x=\"10\" y=\"50\" font-family=\"sans-serif\" font-size=\"30\">Hi</text></svg>";
        let r = render(svg, "A & B", "d").unwrap();
        let dec = png::Decoder::new(std::io::Cursor::new(&r.png));
        let reader = dec.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (2400, 1350));
        assert!(r.svg.contains("<title>A &amp; B</title>"));
        assert!(!r.svg.contains("<text"), "text must be converted to paths");
        let again = render(svg, "A & B", "d").unwrap();
        assert!(
            again.png == r.png && again.svg == r.svg,
            "output must be deterministic"
        );
    }
}
