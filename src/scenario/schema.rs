//! The JSON Schema (draft 7) of the scenario format, for editors: Taplo and Even Better TOML
//! apply it to a file whose first line is `#:schema ./icbsim.schema.json`.
//!
//! The schema is not written by hand: it is what the validator does. The validator's readers
//! note, while they read, the shape of every place they look at — the keys a table allows
//! ([`Reader::table`](super::reader::Reader), [`Reader::section`](super::reader::Reader)), and
//! each key read as a number or month input (with its allowed range and default), a flag, a
//! text or a whole number. [`generate`] reads the annotated template (`scenarios/template.toml`,
//! which documents every field) with that notebook open and turns the notes into the schema, so
//! a key another reader starts accepting appears here by itself. What the readers check by hand
//! (choices such as `basis = "share" | "envelope"`, required fields, the tables of weights) is
//! in the small tables below, each tested against the validator; a key the validator allows but
//! whose shape nothing says is listed by [`Schema::unknown`], which a test requires to be empty.
//! Descriptions come from the README's scenario reference, else the template's comment.

use super::input::{Check, InputKind, DIST_KEYS};
use super::node::{parse_document, Node, Value};
use super::source::{Diagnostics, Source};
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;

/// The annotated template, the document the schema is read from.
pub const TEMPLATE: &str = include_str!("../../scenarios/template.toml");

/// Optional sections the template leaves commented out (organisations' own inputs, waves,
/// mergers, arriving functions), read for their shapes only; a test checks it validates.
pub const COVERAGE: &str = include_str!("schema_coverage.toml");
/// The README, whose scenario reference gives the descriptions.
const README: &str = include_str!("../../README.md");

/// The shape of one place in a scenario, as a reader saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A table allowing these keys (any other is an error).
    Table(Vec<String>),
    /// A number or month input (a value or a distribution), its allowed range and its default.
    Input(InputKind, Check, Option<f64>),
    /// `true` or `false`, with its default.
    Flag(bool),
    /// A non-empty string.
    Text,
    /// A whole number within bounds, with its default.
    Integer(i64, i64, i64),
}

/// One note: the node a reader looked at (by address), the key it looked for in it (if any),
/// and what it expected there.
#[derive(Debug, Clone)]
pub struct Seen {
    at: usize,
    key: Option<String>,
    shape: Shape,
}

/// Notes the shape expected at `node` (or at its `key`) when `diag` keeps a notebook; does
/// nothing in an ordinary load.
pub(super) fn note(diag: &mut Diagnostics, node: &Node, key: Option<&str>, shape: Shape) {
    if let Some(log) = diag.seen.as_mut() {
        log.push(Seen {
            at: std::ptr::from_ref(node) as usize,
            key: key.map(str::to_string),
            shape,
        });
    }
}

/// Inputs that may also be a list, one element per financial year (`pay.award`).
const LISTS: &[&str] = &["pay.award"];

/// Shapes the readers check by hand, by structural path (`[]` marks an array's items).
const HINTS: &[(&str, Hint)] = &[
    ("scenario.start", Hint::Month),
    (
        "scenario.funding_gbp",
        Hint::Input(InputKind::Number, Check::NonNeg),
    ),
    (
        "target.per_head_gbp",
        Hint::Input(InputKind::Number, Check::Positive),
    ),
    ("org[].staff_file", Hint::Text),
    ("org[].synthetic.band_mix", Hint::Weights(true)),
    ("org[].synthetic.function_shares", Hint::Weights(false)),
    ("org[].synthetic.local_terms_bands", Hint::Bands),
    ("clawback.senior_bands", Hint::Bands),
    ("merger[].members", Hint::Names),
    ("merger[].duplicated_bands", Hint::Bands),
    ("org[].target", Hint::Section("target")),
    ("org[].attrition", Hint::Section("attrition")),
    ("org[].vr", Hint::Section("vr")),
    ("org[].mars", Hint::Section("mars")),
    ("org[].cr", Hint::Section("cr")),
    (
        "clawback.senior_payment_gbp",
        Hint::Input(InputKind::Number, Check::NonNeg),
    ),
    ("correlation[].inputs", Hint::Pair),
    ("correlation[].rank", Hint::Number(-1.0, 1.0)),
    ("correlation[].source", Hint::Text),
    ("correlation[].note", Hint::Text),
];

/// A shape the readers check by hand.
#[derive(Debug, Clone, Copy)]
enum Hint {
    /// A number or month input.
    Input(InputKind, Check),
    /// A plain number (no distribution) within bounds.
    Number(f64, f64),
    /// A string.
    Text,
    /// A plain month `"YYYY-MM"` (no distribution).
    Month,
    /// A table `key = weight`: keys are band codes when `true`, any names otherwise.
    Weights(bool),
    /// An array of band codes.
    Bands,
    /// Two input paths.
    Pair,
    /// Two or more names (of `[[org]]`s).
    Names,
    /// The keys of a scenario-wide section, none required (an organisation's own inputs).
    Section(&'static str),
}

/// The choices of text settings, by structural path.
pub const CHOICES: &[(&str, &[&str])] = &[
    ("scenario.sampling", &["random", "lhs"]),
    ("target.basis", &["share", "envelope"]),
    ("target.indexation", &["cash", "pay"]),
    ("exit_terms.month_pay", &["twelfth", "weeks"]),
    (
        "function[].destination",
        &["provider", "region", "national", "retained"],
    ),
];

/// The fields the validator requires, by the structural path of their table.
pub const REQUIRED: &[(&str, &[&str])] = &[
    ("", &["scenario", "target", "vr", "org"]),
    ("scenario", &["name", "start"]),
    ("target", &["deadline"]),
    ("vr", &["window"]),
    ("function[]", &["name"]),
    ("org[]", &["name"]),
    ("org[].synthetic", &["headcount", "band_mix"]),
    ("correlation[]", &["inputs", "rank"]),
];

/// The distribution families and the keys each needs (alternatives: any one set).
pub const FAMILIES: &[(&str, &[&[&str]])] = &[
    ("fixed", &[&["value"]]),
    ("uniform", &[&["min", "max"]]),
    ("normal", &[&["mean", "sd"], &["p10", "p90"]]),
    ("lognormal", &[&["mean", "cv"], &["p10", "p90"]]),
    ("triangular", &[&["min", "mode", "max"]]),
    ("pert", &[&["min", "mode", "max"]]),
    ("beta", &[&["alpha", "beta"]]),
    ("discrete", &[&["values"]]),
    ("percentiles", &[&["p10", "p50", "p90"]]),
];

/// Keys of a distribution that are points of the input (months for a month input).
const POINT_KEYS: &[&str] = &["value", "min", "max", "mean", "mode", "p10", "p50", "p90"];
/// Keys of a distribution that are plain numbers whatever the input.
const NUMBER_KEYS: &[&str] = &["sd", "cv", "alpha", "beta"];
/// Keys of a distribution that are text (provenance).
const TEXT_KEYS: &[&str] = &["source", "date", "note"];

/// The band codes, for tables keyed by band.
fn band_codes() -> Vec<&'static str> {
    super::workforce::Band::ALL
        .iter()
        .map(|b| b.code())
        .collect()
}

/// The generated schema and what could not be described.
#[derive(Debug)]
pub struct Schema {
    /// The JSON Schema document.
    pub json: Json,
    /// Structural paths of keys the validator allows whose shape nothing says (empty when the
    /// schema is complete).
    pub unknown: Vec<String>,
    /// Every shape noted, by structural path (for tests).
    pub shapes: BTreeMap<String, Shape>,
}

/// Reads the template with the readers' notebook open and builds the schema.
pub fn generate() -> Schema {
    let mut shapes = observe("template.toml", TEMPLATE);
    for (path, shape) in observe("schema_coverage.toml", COVERAGE) {
        shapes.entry(path).or_insert(shape);
    }
    let docs = descriptions(&shapes);
    let mut b = Builder {
        shapes: &shapes,
        docs: &docs,
        unknown: Vec::new(),
    };
    let mut root = b.object("");
    let top = root.as_object_mut().expect("an object");
    top.insert(
        "$schema".into(),
        json!("http://json-schema.org/draft-07/schema#"),
    );
    top.insert("title".into(), json!("icbsim scenario"));
    top.insert(
        "description".into(),
        json!(format!(
            "An icbsim {} scenario (`icbsim schema` writes this file; `icbsim validate` is the full check).",
            env!("CARGO_PKG_VERSION")
        )),
    );
    top.insert("definitions".into(), definitions());
    let unknown = b.unknown;
    Schema {
        json: root,
        unknown,
        shapes,
    }
}

/// The shapes the validator notes while reading `text`, by structural path.
pub(crate) fn observe(name: &str, text: &str) -> BTreeMap<String, Shape> {
    let mut diag = Diagnostics {
        seen: Some(Vec::new()),
        ..Diagnostics::default()
    };
    let src = diag.add_source(Source::new(name, text.to_string()));
    let Some(root) = parse_document(&mut diag, src) else {
        return BTreeMap::new();
    };
    // Staff files are resolved from a folder that holds none: a template that names one is
    // still read (the problem is only reported).
    super::validate::read_for_schema(&mut diag, &root);
    let mut at: BTreeMap<usize, String> = BTreeMap::new();
    addresses(&root, "", &mut at);
    let mut out: BTreeMap<String, Shape> = BTreeMap::new();
    for s in diag.seen.take().unwrap_or_default() {
        let Some(base) = at.get(&s.at) else { continue };
        let path = match &s.key {
            Some(k) => join(base, k),
            None => base.clone(),
        };
        let merged = match (out.remove(&path), s.shape) {
            // A range or default noted by the field's reader beats the bare input noted by the
            // distribution reader.
            (Some(old @ Shape::Input(..)), Shape::Input(_, Check::Any, None)) => old,
            (Some(Shape::Table(mut a)), Shape::Table(b)) => {
                a.extend(b.into_iter().filter(|k| !a.contains(k)).collect::<Vec<_>>());
                Shape::Table(a)
            }
            (_, new) => new,
        };
        out.insert(path, merged);
    }
    out
}

fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

/// Maps the address of every node under `node` to its structural path.
fn addresses(node: &Node, path: &str, out: &mut BTreeMap<usize, String>) {
    out.insert(std::ptr::from_ref(node) as usize, path.to_string());
    match &node.value {
        Value::Table(entries) => {
            for e in entries {
                addresses(&e.node, &join(path, &e.key), out);
            }
        }
        Value::Array(items) => {
            for it in items {
                addresses(it, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

struct Builder<'a> {
    shapes: &'a BTreeMap<String, Shape>,
    docs: &'a BTreeMap<String, String>,
    unknown: Vec<String>,
}

impl Builder<'_> {
    /// The schema of the table at `path`, from the keys it allows.
    fn object(&mut self, path: &str) -> Json {
        let allowed = match self.shapes.get(path) {
            Some(Shape::Table(keys)) => keys.clone(),
            _ => Vec::new(),
        };
        let mut props = Map::new();
        for key in &allowed {
            let child = join(path, key);
            props.insert(key.clone(), self.field(&child));
        }
        let mut o = json!({ "type": "object", "properties": props, "additionalProperties": false });
        if let Some((_, req)) = REQUIRED.iter().find(|(p, _)| *p == path) {
            o["required"] = json!(req);
        }
        self.describe(path, o)
    }

    /// The schema of the field at `path`.
    fn field(&mut self, path: &str) -> Json {
        let items = format!("{path}[]");
        let s = if matches!(self.shapes.get(&items), Some(Shape::Table(_))) {
            let item = self.object(&items);
            self.describe(path, json!({ "type": "array", "items": item }))
        } else {
            match self.shapes.get(path).cloned() {
                Some(Shape::Table(_)) => return self.object(path),
                Some(Shape::Input(kind, check, default)) if LISTS.contains(&path) => {
                    let one = input(kind, check, None);
                    let mut s = json!({ "anyOf": [one.clone(), { "type": "array", "items": one, "minItems": 1 }] });
                    if let Some(d) = default {
                        s["default"] = json!(d);
                    }
                    s
                }
                Some(Shape::Input(kind, check, default)) => input(kind, check, default),
                Some(Shape::Flag(d)) => json!({ "type": "boolean", "default": d }),
                Some(Shape::Text) => match CHOICES.iter().find(|(p, _)| *p == path) {
                    Some((_, c)) => json!({ "type": "string", "enum": c }),
                    None => json!({ "type": "string", "minLength": 1 }),
                },
                Some(Shape::Integer(lo, hi, d)) => {
                    json!({ "type": "integer", "minimum": lo, "maximum": hi, "default": d })
                }
                None => match HINTS.iter().find(|(p, _)| *p == path) {
                    Some((_, Hint::Section(section))) => {
                        let mut o = self.object(section);
                        if let Some(o) = o.as_object_mut() {
                            o.remove("required");
                        }
                        o
                    }
                    Some((_, h)) => hint(*h),
                    None => {
                        self.unknown.push(path.to_string());
                        json!({})
                    }
                },
            }
        };
        self.describe(path, s)
    }

    fn describe(&self, path: &str, mut s: Json) -> Json {
        if let (Some(d), Some(o)) = (self.docs.get(path), s.as_object_mut()) {
            o.entry("description").or_insert_with(|| json!(d));
        }
        s
    }
}

/// A number or month input: a plain value within the allowed range, or a distribution.
fn input(kind: InputKind, check: Check, default: Option<f64>) -> Json {
    let mut s = match kind {
        InputKind::Number => {
            let mut plain = json!({ "type": "number" });
            match check {
                Check::Any => {}
                Check::NonNeg => plain["minimum"] = json!(0),
                Check::Positive => plain["exclusiveMinimum"] = json!(0),
                Check::Share => {
                    plain["minimum"] = json!(0);
                    plain["maximum"] = json!(1);
                }
                Check::Range(a, b) => {
                    plain["minimum"] = json!(a);
                    plain["maximum"] = json!(b);
                }
            }
            json!({ "anyOf": [plain, { "$ref": "#/definitions/number_distribution" }] })
        }
        InputKind::Month => json!({
            "anyOf": [{ "$ref": "#/definitions/month" }, { "$ref": "#/definitions/month_distribution" }]
        }),
    };
    if let Some(d) = default {
        s["default"] = json!(d);
    }
    s
}

fn hint(h: Hint) -> Json {
    match h {
        Hint::Input(kind, check) => input(kind, check, None),
        Hint::Number(lo, hi) => json!({ "type": "number", "minimum": lo, "maximum": hi }),
        Hint::Text => json!({ "type": "string", "minLength": 1 }),
        Hint::Month => json!({ "$ref": "#/definitions/month" }),
        Hint::Weights(true) => {
            let props: Map<String, Json> = band_codes()
                .into_iter()
                .map(|b| (b.to_string(), json!({ "type": "number", "minimum": 0 })))
                .collect();
            json!({ "type": "object", "properties": props, "additionalProperties": false })
        }
        Hint::Weights(false) => json!({
            "type": "object",
            "additionalProperties": { "type": "number", "minimum": 0, "maximum": 1 }
        }),
        Hint::Bands => json!({ "type": "array", "items": { "enum": band_codes() } }),
        Hint::Names => json!({
            "type": "array", "items": { "type": "string", "minLength": 1 }, "minItems": 2
        }),
        Hint::Section(_) => json!({ "type": "object" }),
        Hint::Pair => json!({
            "type": "array", "items": { "type": "string" }, "minItems": 2, "maxItems": 2
        }),
    }
}

/// The month pattern and the two distribution tables.
fn definitions() -> Json {
    let families: Vec<&str> = FAMILIES.iter().map(|(f, _)| *f).collect();
    let rules: Vec<Json> = FAMILIES
        .iter()
        .map(|(f, alts)| {
            let need: Vec<Json> = alts
                .iter()
                .map(|keys| json!({ "required": keys }))
                .collect();
            json!({
                "if": { "properties": { "dist": { "const": f } }, "required": ["dist"] },
                "then": { "anyOf": need }
            })
        })
        .collect();
    let table = |point: Json| {
        let mut props = Map::new();
        for key in DIST_KEYS {
            let s = if POINT_KEYS.contains(key) {
                point.clone()
            } else if NUMBER_KEYS.contains(key) {
                json!({ "type": "number" })
            } else if TEXT_KEYS.contains(key) {
                json!({ "type": "string" })
            } else if *key == "values" {
                json!({ "type": "array", "items": point.clone(), "minItems": 1 })
            } else if *key == "weights" {
                json!({ "type": "array", "items": { "type": "number", "minimum": 0 } })
            } else {
                json!({})
            };
            props.insert(key.to_string(), s);
        }
        props.insert(
            "dist".into(),
            json!({ "enum": families, "description": "the distribution family" }),
        );
        json!({
            "type": "object",
            "description": "A distribution sampled once per iteration, with optional provenance (source, date, note).",
            "properties": props,
            "additionalProperties": false,
            "anyOf": [{ "required": ["dist"] }, { "required": ["value"] }],
            "allOf": rules
        })
    };
    json!({
        "month": {
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
            "description": "A month, \"YYYY-MM\"."
        },
        "number_distribution": table(json!({ "type": "number" })),
        "month_distribution": table(json!({ "$ref": "#/definitions/month" })),
    })
}

/// Descriptions by structural path: the README's scenario reference, else the template's
/// comment on the field.
fn descriptions(shapes: &BTreeMap<String, Shape>) -> BTreeMap<String, String> {
    let arrays: Vec<String> = shapes
        .keys()
        .filter_map(|k| k.strip_suffix("[]").map(str::to_string))
        .collect();
    // `[org.synthetic]` is `org[].synthetic`: each segment naming an array becomes its items.
    let structural = |header: &str| -> String {
        let mut out = String::new();
        for seg in header.split('.') {
            out = join(&out, seg.trim_matches('"'));
            if arrays.contains(&out) {
                out.push_str("[]");
            }
        }
        out
    };
    let mut docs = template_comments(&structural);
    docs.extend(readme_rows(&structural));
    docs
}

/// The template's trailing comments on `key = value` lines (commented-out ones too) and headers.
fn template_comments(structural: &dyn Fn(&str) -> String) -> BTreeMap<String, String> {
    let mut docs = BTreeMap::new();
    let mut section = String::new();
    for line in TEMPLATE.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            let name = t.trim_start_matches('[');
            let name = &name[..name.find(']').unwrap_or(name.len())];
            section = structural(name);
            if let Some((_, c)) = t.split_once('#') {
                docs.insert(section.clone(), c.trim().to_string());
            }
            continue;
        }
        let body = t.strip_prefix('#').map_or(t, str::trim_start);
        let Some((key, rest)) = body.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        let valid = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if let (true, Some((_, c))) = (valid, rest.rsplit_once(" # ")) {
            docs.entry(join(&section, key))
                .or_insert_with(|| c.trim().to_string());
        }
    }
    docs
}

/// The rows of the README's "Sections and fields" table: `| `key`, `key2` P | meaning |`.
fn readme_rows(structural: &dyn Fn(&str) -> String) -> BTreeMap<String, String> {
    let mut docs = BTreeMap::new();
    let Some(start) = README.find("### Sections and fields") else {
        return docs;
    };
    let mut section = String::new();
    for line in README[start..].lines().skip(1) {
        if line.starts_with("###") || line.starts_with("**`[[correlation") {
            break;
        }
        let Some((head, rest)) = line.strip_prefix("| ").and_then(|l| l.split_once(" | ")) else {
            continue;
        };
        let names = ticked(head);
        let meaning = rest
            .trim_end()
            .trim_end_matches('|')
            .trim()
            .replace('`', "");
        if head.contains("**") {
            if let Some(h) = names.first() {
                section = structural(h.trim_matches(['[', ']']));
                if !meaning.is_empty() {
                    docs.insert(section.clone(), meaning);
                }
            }
            continue;
        }
        for n in names {
            let path = if n.starts_with('[') {
                structural(n.trim_matches(['[', ']']))
            } else {
                join(&section, &n)
            };
            docs.insert(path, meaning.clone());
        }
    }
    docs
}

/// The `code` spans of a Markdown cell.
fn ticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The schema as pretty JSON text with a final newline.
pub fn to_text(schema: &Schema) -> String {
    let mut s = serde_json::to_string_pretty(&schema.json).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    //! The schema against the validator: every shipped scenario conforms to it; every key it
    //! declares the validator accepts and every other key the validator refuses; its required
    //! fields, choices and distribution families are the validator's. A small checker of the
    //! JSON Schema keywords emitted here stands in for Taplo.

    use super::*;
    use crate::scenario::{load_str, LoadOptions};
    use std::path::{Path, PathBuf};

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    /// Problems of the template with `sets` applied, as `path: message` lines.
    fn problems(text: &str, sets: &[String]) -> Vec<String> {
        let opts = LoadOptions {
            overrides: sets.to_vec(),
            seed: None,
        };
        match load_str("t.toml", text, &root().join("scenarios"), &opts) {
            Ok(_) => Vec::new(),
            Err(p) => {
                p.0.iter()
                    .map(|p| format!("{}: {}", p.path, p.message))
                    .collect()
            }
        }
    }

    // --- a checker of the keywords this module emits -------------------------------------

    fn conforms(s: &Json, v: &Json, defs: &Json, at: &str, errs: &mut Vec<String>) {
        let Some(o) = s.as_object() else { return };
        for (k, x) in o {
            match k.as_str() {
                "$schema" | "title" | "description" | "default" | "definitions" => {}
                "$ref" => {
                    let name = x.as_str().unwrap().trim_start_matches("#/definitions/");
                    conforms(&defs[name], v, defs, at, errs);
                }
                "type" => {
                    let ok = match x.as_str().unwrap() {
                        "object" => v.is_object(),
                        "array" => v.is_array(),
                        "string" => v.is_string(),
                        "number" => v.is_number(),
                        "integer" => v.is_i64() || v.is_u64(),
                        "boolean" => v.is_boolean(),
                        t => panic!("type {t}"),
                    };
                    if !ok {
                        errs.push(format!("{at}: not {x}"));
                    }
                }
                "enum" => {
                    if !x.as_array().unwrap().contains(v) {
                        errs.push(format!("{at}: {v} not in {x}"));
                    }
                }
                "const" => {
                    if x != v {
                        errs.push(format!("{at}: {v} is not {x}"));
                    }
                }
                "properties" | "additionalProperties" | "required" => {
                    let Some(m) = v.as_object() else { continue };
                    if k == "required" {
                        for r in x.as_array().unwrap() {
                            if !m.contains_key(r.as_str().unwrap()) {
                                errs.push(format!("{at}: missing {r}"));
                            }
                        }
                        continue;
                    }
                    for (key, val) in m {
                        let sub = format!("{at}.{key}");
                        match (&o.get("properties").and_then(|p| p.get(key)), k.as_str()) {
                            (Some(ps), "properties") => conforms(ps, val, defs, &sub, errs),
                            (None, "additionalProperties") if x == &json!(false) => {
                                errs.push(format!("{sub}: not allowed"));
                            }
                            (None, "additionalProperties") => conforms(x, val, defs, &sub, errs),
                            _ => {}
                        }
                    }
                }
                "items" => {
                    for (i, it) in v.as_array().into_iter().flatten().enumerate() {
                        conforms(x, it, defs, &format!("{at}[{i}]"), errs);
                    }
                }
                "minItems" | "maxItems" => {
                    let (Some(items), Some(bound)) = (v.as_array(), x.as_u64()) else {
                        continue;
                    };
                    let n = items.len() as u64;
                    let ok = if k == "minItems" {
                        n >= bound
                    } else {
                        n <= bound
                    };
                    if !ok {
                        errs.push(format!("{at}: {n} items ({k} {bound})"));
                    }
                }
                "minimum" | "maximum" | "exclusiveMinimum" => {
                    let (Some(n), Some(b)) = (v.as_f64(), x.as_f64()) else {
                        continue;
                    };
                    let ok = match k.as_str() {
                        "minimum" => n >= b,
                        "maximum" => n <= b,
                        _ => n > b,
                    };
                    if !ok {
                        errs.push(format!("{at}: {n} breaks {k} {b}"));
                    }
                }
                "minLength" => {
                    if v.as_str().is_some_and(str::is_empty) {
                        errs.push(format!("{at}: empty"));
                    }
                }
                "pattern" => {
                    assert_eq!(
                        x, "^[0-9]{4}-(0[1-9]|1[0-2])$",
                        "the checker knows one pattern"
                    );
                    let ok = v
                        .as_str()
                        .is_none_or(|s| crate::month::Month::parse(s).is_some() && s.len() == 7);
                    if !ok {
                        errs.push(format!("{at}: {v} is not a month"));
                    }
                }
                "anyOf" => {
                    let fits = x.as_array().unwrap().iter().any(|alt| {
                        let mut e = Vec::new();
                        conforms(alt, v, defs, at, &mut e);
                        e.is_empty()
                    });
                    if !fits {
                        errs.push(format!("{at}: {v} fits no alternative"));
                    }
                }
                "allOf" => {
                    for alt in x.as_array().unwrap() {
                        conforms(alt, v, defs, at, errs);
                    }
                }
                "if" => {
                    let mut e = Vec::new();
                    conforms(x, v, defs, at, &mut e);
                    if e.is_empty() {
                        conforms(&o["then"], v, defs, at, errs);
                    }
                }
                "then" => {}
                other => panic!("the checker does not know the keyword {other}"),
            }
        }
    }

    fn to_json(v: &toml::Value) -> Json {
        match v {
            toml::Value::String(s) => json!(s),
            toml::Value::Integer(i) => json!(i),
            toml::Value::Float(f) => json!(f),
            toml::Value::Boolean(b) => json!(b),
            toml::Value::Datetime(d) => json!(d.to_string()),
            toml::Value::Array(a) => Json::Array(a.iter().map(to_json).collect()),
            toml::Value::Table(t) => {
                Json::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
            }
        }
    }

    /// The schema's complaints about a scenario text.
    fn schema_errors(schema: &Json, text: &str) -> Vec<String> {
        let doc: toml::Value = toml::from_str(text).expect("TOML");
        let mut errs = Vec::new();
        conforms(
            schema,
            &to_json(&doc),
            &schema["definitions"],
            "",
            &mut errs,
        );
        errs
    }

    fn shipped_scenarios() -> Vec<PathBuf> {
        let mut out = Vec::new();
        for dir in ["scenarios", "tests/fixtures", "tests/fixtures/hand"] {
            for e in std::fs::read_dir(root().join(dir)).unwrap().flatten() {
                if e.path().extension().is_some_and(|x| x == "toml") {
                    out.push(e.path());
                }
            }
        }
        out.sort();
        out
    }

    // --- the tests ----------------------------------------------------------------------------

    #[test]
    fn every_key_the_validator_allows_has_a_shape() {
        let s = generate();
        assert!(
            s.unknown.is_empty(),
            "the validator allows these keys but the schema cannot say what they hold: {:?}. \
             Show each in scenarios/template.toml (read through the Reader), or add a HINT in \
             src/scenario/schema.rs",
            s.unknown
        );
        for path in HINTS
            .iter()
            .map(|(p, _)| p)
            .chain(CHOICES.iter().map(|(p, _)| p))
        {
            let parent = path.rsplit_once('.').map_or("", |(p, _)| p);
            let key = path.rsplit('.').next().unwrap();
            assert!(
                matches!(s.shapes.get(parent), Some(Shape::Table(k)) if k.iter().any(|k| k == key)),
                "{path} is in schema.rs's tables but the validator does not allow it"
            );
        }
    }

    #[test]
    fn every_valid_shipped_scenario_conforms_to_the_schema() {
        let schema = generate().json;
        let mut checked = 0;
        for p in shipped_scenarios() {
            let text = std::fs::read_to_string(&p).unwrap();
            let base = p.parent().unwrap();
            if crate::scenario::load_str("x", &text, base, &LoadOptions::default()).is_err() {
                continue;
            }
            checked += 1;
            let errs = schema_errors(&schema, &text);
            assert!(errs.is_empty(), "{}: {errs:?}", p.display());
        }
        assert!(checked >= 8, "only {checked} valid scenarios found");
    }

    #[test]
    fn the_template_with_an_unknown_key_or_a_wrong_type_fails_the_schema() {
        let schema = generate().json;
        assert!(schema_errors(&schema, TEMPLATE).is_empty());
        for (from, to, expect) in [
            (
                "uptake = { dist",
                "uptak = { dist",
                ".vr.uptak: not allowed",
            ),
            (
                "[early_retirement]",
                "[early_retirment]",
                ".early_retirment: not allowed",
            ),
            (
                "seed = 1 ",
                "seed = \"one\" ",
                ".scenario.seed: not \"integer\"",
            ),
            (
                "deadline = \"2026-03\"",
                "deadline = \"2026-13\"",
                ".target.deadline",
            ),
            ("basis = \"share\"", "basis = \"shares\"", ".target.basis"),
            ("rank = -0.3", "rank = -1.3", ".correlation[0].rank"),
            (
                "take_up = 0.5",
                "take_up = 1.5",
                ".early_retirement.take_up",
            ),
            (
                "annual_rate = { dist = \"pert\"",
                "annual_rate = { dist = \"pret\"",
                ".attrition.annual_rate",
            ),
        ] {
            assert!(TEMPLATE.contains(from), "{from}");
            let errs = schema_errors(&schema, &TEMPLATE.replacen(from, to, 1));
            assert!(errs.iter().any(|e| e.starts_with(expect)), "{to}: {errs:?}");
            assert!(
                !problems(&TEMPLATE.replacen(from, to, 1), &[]).is_empty(),
                "{to}"
            );
        }
    }

    /// Every object of the schema with its path as `--set` spells it (array items: `.0`).
    fn objects<'a>(s: &'a Json, defs: &'a Json, path: &str, out: &mut Vec<(String, &'a Json)>) {
        let s = match s.get("$ref").and_then(Json::as_str) {
            Some(r) => &defs[r.trim_start_matches("#/definitions/")],
            None => s,
        };
        if let Some(props) = s.get("properties").and_then(Json::as_object) {
            if s.get("additionalProperties") == Some(&json!(false)) && !path.ends_with("dist") {
                out.push((path.to_string(), s));
            }
            for (k, v) in props {
                objects(v, defs, &join(path, k), out);
            }
        }
        if let Some(items) = s.get("items") {
            objects(items, defs, &join(path, "0"), out);
        }
    }

    #[test]
    fn the_coverage_file_validates_and_conforms() {
        assert_eq!(problems(COVERAGE, &[]), Vec::<String>::new());
        let schema = generate().json;
        assert_eq!(schema_errors(&schema, COVERAGE), Vec::<String>::new());
    }

    #[test]
    fn the_schema_declares_exactly_the_keys_the_validator_accepts() {
        let schema = generate().json;
        let mut objs = Vec::new();
        objects(&schema, &schema["definitions"], "", &mut objs);
        assert!(objs.len() > 15, "{}", objs.len());
        for (path, obj) in objs {
            // Refused: "unknown key" (a table) or "'…' is not a band" (a table of bands).
            // Sections the template leaves out are tried on the coverage file, which has them.
            let base = if path.starts_with("merger")
                || path.starts_with("wave")
                || path.starts_with("org.0.")
                || path == "function.0"
            {
                COVERAGE
            } else {
                TEMPLATE
            };
            let unknown = |sets: &[String]| {
                problems(base, sets)
                    .into_iter()
                    .filter(|p| p.contains("unknown key") || p.contains("is not a band"))
                    .collect::<Vec<_>>()
            };
            let at = |k: &str| {
                if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                }
            };
            for key in obj["properties"].as_object().unwrap().keys() {
                let found = unknown(&[format!("{}=0", at(key))]);
                assert!(
                    found.is_empty(),
                    "{}: the schema declares it: {found:?}",
                    at(key)
                );
            }
            let found = unknown(&[format!("{}=0", at("zz_not_a_key"))]);
            assert!(!found.is_empty(), "{path} lets an unknown key through");
        }
        // The keys of a distribution, on a number input.
        let dist = &schema["definitions"]["number_distribution"]["properties"];
        let keys = dist.as_object().unwrap().keys().map(String::as_str);
        for key in keys.chain(["zz"]) {
            let set = format!("vr.uptake={{dist=\"uniform\",min=0.2,max=0.4,{key}=0}}");
            let found: Vec<String> = problems(TEMPLATE, &[set])
                .into_iter()
                .filter(|p| p.contains("unknown key"))
                .collect();
            assert_eq!(found.is_empty(), key != "zz", "{key}: {found:?}");
        }
    }

    #[test]
    fn the_required_fields_are_the_ones_the_validator_requires() {
        // Each required field on lines tagged with its path; removing them must be an error.
        let doc = "\
[scenario] # :scenario
name = \"R\" # :scenario.name
start = \"2025-04\" # :scenario.start
[target] # :target
deadline = \"2026-03\" # :target.deadline
[vr] # :vr
window = \"2025-12\" # :vr.window
uptake = { dist = \"uniform\", min = 0.2, max = 0.4 } # :vr
[attrition]
annual_rate = { dist = \"uniform\", min = 0.05, max = 0.1 }
[[function]]
name = \"f\" # :function[].name
[[correlation]]
inputs = [\"vr.uptake\", \"attrition.annual_rate\"] # :correlation[].inputs
rank = 0.2 # :correlation[].rank
[[org]] # :org
name = \"O\" # :org[].name :org
[org.synthetic] # :org
headcount = 20 # :org[].synthetic.headcount :org
band_mix = { \"5\" = 1 } # :org[].synthetic.band_mix :org
";
        let opts = LoadOptions::default();
        assert!(load_str("r.toml", doc, Path::new("."), &opts).is_ok());
        for (table, keys) in REQUIRED {
            for key in *keys {
                let tag = format!(":{}", join(table, key));
                let without: String = doc
                    .lines()
                    .filter(|l| !l.split(' ').any(|w| w == tag))
                    .map(|l| format!("{l}\n"))
                    .collect();
                assert_ne!(without, doc, "{tag} tags no line");
                assert!(
                    load_str("r.toml", &without, Path::new("."), &opts).is_err(),
                    "the schema requires {tag} but the validator does not"
                );
            }
        }
    }

    #[test]
    fn the_choices_are_the_validators() {
        for (path, choices) in CHOICES {
            let set_path = path.replace("[]", ".0");
            for c in choices.iter().chain(&["zz"]) {
                let sets = [format!("{set_path}=\"{c}\"")];
                let bad: Vec<String> = problems(TEMPLATE, &sets)
                    .into_iter()
                    .filter(|p| {
                        p.starts_with(&set_path.replace(".0", ".digital"))
                            || p.starts_with(&set_path)
                    })
                    .filter(|p| p.contains(&format!("'{c}'")))
                    .collect();
                assert_eq!(bad.is_empty(), *c != "zz", "{path} = {c}: {bad:?}");
            }
        }
    }

    #[test]
    fn each_distribution_family_needs_exactly_the_keys_the_schema_says() {
        let example = |k: &str| match k {
            "value" | "mean" | "mode" | "p50" => "0.1",
            "min" => "-0.5",
            "max" => "0.5",
            "sd" => "0.05",
            "cv" => "0.5",
            "alpha" => "2",
            "beta" => "3",
            "values" => "[0.1, 0.2]",
            "p10" => "0.05",
            "p90" => "0.2",
            _ => unreachable!("{k}"),
        };
        for (family, alternatives) in FAMILIES {
            for keys in *alternatives {
                let table = |keys: &[&str]| {
                    let body: Vec<String> =
                        keys.iter().map(|k| format!("{k}={}", example(k))).collect();
                    format!("vr.service_tilt={{dist=\"{family}\",{}}}", body.join(","))
                };
                let p = problems(TEMPLATE, &[table(keys)]);
                assert!(p.is_empty(), "{family} with {keys:?}: {p:?}");
                if *family == "fixed" {
                    continue;
                }
                let p = problems(TEMPLATE, &[table(&keys[1..])]);
                assert!(!p.is_empty(), "{family} without {}", keys[0]);
            }
        }
        let p = problems(TEMPLATE, &["vr.service_tilt={dist=\"zz\"}".into()]);
        assert!(
            p.iter().any(|p| p.contains("unknown distribution")),
            "{p:?}"
        );
    }

    #[test]
    fn fields_carry_the_references_description_and_the_readers_range_and_default() {
        let s = generate().json;
        let uptake = &s["properties"]["vr"]["properties"]["uptake"];
        assert!(
            uptake["description"]
                .as_str()
                .unwrap()
                .contains("chance of applying"),
            "{uptake}"
        );
        assert_eq!(uptake["default"], json!(0.3));
        assert_eq!(
            uptake["anyOf"][0],
            json!({ "type": "number", "minimum": 0, "maximum": 1 })
        );
        let horizon = &s["properties"]["scenario"]["properties"]["horizon_months"];
        assert_eq!(
            (horizon["minimum"].clone(), horizon["maximum"].clone()),
            (json!(1), json!(240))
        );
        let org = &s["properties"]["org"];
        assert_eq!(org["type"], "array");
        assert!(org["items"]["properties"]["synthetic"]["properties"]["headcount"].is_object());
        let notice = &s["properties"]["cr"]["properties"]["notice_months"]["properties"];
        assert!(notice["VSM"].is_object() && notice["8a"].is_object());
    }
}
