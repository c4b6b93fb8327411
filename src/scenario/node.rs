//! A located TOML tree.
//!
//! The TOML crate's spanned document is converted once into [`Node`]s that remember which source
//! and byte range they came from. Validation walks this tree by hand (rather than through serde)
//! so it can report every problem in one pass, each with its line, column and dotted path, and so
//! `--set PATH=VALUE` overrides can be grafted in with their own location.

use super::source::{Diagnostics, Span};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A TOML value with its location.
#[derive(Debug, Clone)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it was written.
    pub span: Span,
}

/// The TOML value kinds icbsim reads.
#[derive(Debug, Clone)]
pub enum Value {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A float (may be inf or nan as written; validation rejects those).
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A TOML date or time, kept as text to explain that months must be quoted strings.
    Datetime(String),
    /// An array.
    Array(Vec<Node>),
    /// A table, keys in file order of appearance where known.
    Table(Vec<Entry>),
}

/// One key of a table.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key text.
    pub key: String,
    /// Where the key was written.
    pub key_span: Span,
    /// Its value.
    pub node: Node,
}

impl Value {
    /// The TOML type name for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }
}

impl Node {
    /// The entry under `key` if this is a table holding it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Table(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.node),
            _ => None,
        }
    }

    /// The number held, if an integer or a float.
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The string held, if any.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses a TOML document, reporting every syntax error; `None` when there were any.
pub fn parse_document(diag: &mut Diagnostics, source: usize) -> Option<Node> {
    let text = diag.sources[source].text.clone();
    let (table, errors) = DeTable::parse_recoverable(&text);
    if !errors.is_empty() {
        for e in errors {
            let start = e.span().map_or(0, |r| r.start);
            let span = Span {
                source,
                start,
                end: start,
            };
            diag.report(
                span,
                "",
                format!("TOML syntax: {}", first_line(e.message())),
            );
        }
        return None;
    }
    let span = to_span(source, table.span());
    Some(Node {
        value: Value::Table(convert_table(table.get_ref(), source)),
        span,
    })
}

/// Parses the right-hand side of `--set PATH=VALUE`: a TOML value, or a bare word taken as a string
/// (so `--set target.deadline=2026-03` works without shell quoting). Whitespace around the value
/// is ignored. A value that starts like a TOML table, array or string (`{`, `[`, `"`, `'`) but
/// does not parse is reported with the TOML parser's message; `None` then.
pub fn parse_override_value(diag: &mut Diagnostics, source: usize, offset: usize) -> Option<Node> {
    let raw = &diag.sources[source].text[offset..];
    let lead = raw.len() - raw.trim_start().len();
    let text = raw.trim().to_string();
    let offset = offset + lead;
    match DeValue::parse(&text) {
        Ok(v) => {
            let mut node = convert_value(&v, source);
            shift(&mut node, offset);
            Some(node)
        }
        Err(e) if text.starts_with(['{', '[', '"', '\'']) || text.is_empty() => {
            let at = offset + e.span().map_or(0, |r| r.start);
            let span = Span {
                source,
                start: at,
                end: at,
            };
            let msg = if text.is_empty() {
                "the value is empty; write PATH=VALUE, e.g. vr.uptake=0.4".to_string()
            } else {
                format!("TOML syntax: {}", first_line(e.message()))
            };
            diag.report(span, "", msg);
            None
        }
        Err(_) => Some(Node {
            value: Value::Str(text.clone()),
            span: Span {
                source,
                start: offset,
                end: offset + text.len(),
            },
        }),
    }
}

fn first_line(msg: &str) -> String {
    msg.lines().next().unwrap_or("").trim().to_string()
}

fn shift(node: &mut Node, by: usize) {
    node.span.start += by;
    node.span.end += by;
    match &mut node.value {
        Value::Array(items) => items.iter_mut().for_each(|n| shift(n, by)),
        Value::Table(entries) => entries.iter_mut().for_each(|e| {
            e.key_span.start += by;
            e.key_span.end += by;
            shift(&mut e.node, by);
        }),
        _ => {}
    }
}

fn to_span(source: usize, r: std::ops::Range<usize>) -> Span {
    Span {
        source,
        start: r.start,
        end: r.end,
    }
}

fn convert_table(table: &DeTable<'_>, source: usize) -> Vec<Entry> {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(k, v)| Entry {
            key: k.get_ref().to_string(),
            key_span: to_span(source, k.span()),
            node: convert_value(v, source),
        })
        .collect();
    // The parser's map is ordered by key; file order reads better in error lists.
    entries.sort_by_key(|e| e.key_span.start);
    entries
}

fn convert_value(v: &Spanned<DeValue<'_>>, source: usize) -> Node {
    let span = to_span(source, v.span());
    let value = match v.get_ref() {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => parse_int(i.as_str(), i.radix())
            .map(Value::Int)
            .unwrap_or(Value::Float(f64::NAN)),
        DeValue::Float(f) => Value::Float(parse_float(f.as_str())),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string()),
        DeValue::Array(a) => Value::Array(a.iter().map(|x| convert_value(x, source)).collect()),
        DeValue::Table(t) => Value::Table(convert_table(t, source)),
    };
    Node { value, span }
}

fn parse_int(text: &str, radix: u32) -> Option<i64> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let (neg, digits) = match clean.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let digits = if radix == 10 {
        digits
    } else {
        digits.get(2..).unwrap_or("")
    };
    let v = i64::from_str_radix(digits, radix).ok()?;
    Some(if neg { -v } else { v })
}

fn parse_float(text: &str) -> f64 {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    match clean.as_str() {
        "inf" | "+inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        "nan" | "+nan" | "-nan" => f64::NAN,
        s => s.parse().unwrap_or(f64::NAN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::source::Source;

    fn parse(text: &str) -> (Diagnostics, Option<Node>) {
        let mut d = Diagnostics::default();
        let s = d.add_source(Source::new("t.toml", text));
        let n = parse_document(&mut d, s);
        (d, n)
    }

    #[test]
    fn converts_numbers_strings_and_tables_with_spans() {
        let (d, n) = parse("[vr]\nuptake = 0.3\nlag = 1_000\nwindow = \"2025-12\"\n");
        assert!(d.is_clean());
        let n = n.unwrap();
        let vr = n.get("vr").unwrap();
        assert_eq!(vr.get("uptake").unwrap().as_f64(), Some(0.3));
        assert_eq!(vr.get("lag").unwrap().as_f64(), Some(1000.0));
        assert_eq!(vr.get("window").unwrap().as_str(), Some("2025-12"));
        let (line, col) = d.sources[0].locate(vr.get("uptake").unwrap().span.start);
        assert_eq!((line, col), (2, 10));
    }

    #[test]
    fn reports_syntax_errors_with_location() {
        let (d, n) = parse("a = 1\nb = = 2\n");
        assert!(n.is_none());
        assert_eq!(d.problems[0].line, 2);
        assert!(d.problems[0].message.starts_with("TOML syntax"));
    }

    #[test]
    fn override_values_fall_back_to_strings() {
        let mut d = Diagnostics::default();
        let s = d.add_source(Source::new("--set", "target.deadline=2026-03"));
        let n = parse_override_value(&mut d, s, 16).unwrap();
        assert_eq!(n.as_str(), Some("2026-03"));
        let s2 = d.add_source(Source::new(
            "--set",
            "vr.uptake={dist=\"uniform\", min=0.1, max=0.2}",
        ));
        let n2 = parse_override_value(&mut d, s2, 10).unwrap();
        assert_eq!(n2.get("min").unwrap().as_f64(), Some(0.1));
        assert_eq!(n2.get("min").unwrap().span.start, 31);
    }

    #[test]
    fn override_values_ignore_surrounding_whitespace() {
        let mut d = Diagnostics::default();
        let s = d.add_source(Source::new("--set", "vr.uptake= 0.3 "));
        let n = parse_override_value(&mut d, s, 10).unwrap();
        assert_eq!(n.as_f64(), Some(0.3));
        assert_eq!(n.span.start, 11);
        assert!(d.is_clean());
    }

    #[test]
    fn a_malformed_inline_table_gives_the_toml_error() {
        let mut d = Diagnostics::default();
        let s = d.add_source(Source::new("--set", "vr.uptake={dist=\"uniform\", min=0.1"));
        assert!(parse_override_value(&mut d, s, 10).is_none());
        assert_eq!(d.problems.len(), 1);
        assert!(
            d.problems[0].message.starts_with("TOML syntax"),
            "{:?}",
            d.problems
        );
        assert_eq!(d.problems[0].file, "--set");
    }
}
