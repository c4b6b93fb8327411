//! `icbsim schema`: the JSON Schema of the scenario format on stdout or into a file, and the
//! `#:schema` first-line comment that editors read is a comment icbsim accepts. (The schema's
//! content is tested against the validator in `src/scenario/schema.rs`.)

mod common;

use common::{icbsim, manifest_dir, read, s, tmp};

#[test]
fn the_schema_is_draft_7_json_on_stdout_and_the_same_bytes_with_out() {
    let t = tmp();
    let o = icbsim(t.path(), ["schema"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON");
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(v["additionalProperties"], false);
    assert!(v["properties"]["vr"]["properties"]["uptake"].is_object());
    let file = t.path().join("icbsim.schema.json");
    let o = icbsim(t.path(), ["schema", "--out", &s(&file)]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(o.stdout, "");
    assert_eq!(read(&file), icbsim(t.path(), ["schema"]).stdout);
    assert_eq!(common::entries(t.path()), vec!["icbsim.schema.json"]);
}

#[test]
fn an_unwritable_out_is_bad_input_naming_the_file() {
    let t = tmp();
    let file = t.path().join("missing").join("icbsim.schema.json");
    let o = icbsim(t.path(), ["schema", "--out", &s(&file)]);
    assert_eq!(o.code, Some(2));
    assert!(o.stderr.contains(&s(&file)), "{}", o.stderr);
    assert!(common::entries(t.path()).is_empty());
}

#[test]
fn a_schema_comment_on_the_first_line_is_accepted_by_validate() {
    let t = tmp();
    let template = read(&manifest_dir().join("scenarios/template.toml"));
    let file = t.path().join("my-icb.toml");
    std::fs::write(&file, format!("#:schema ./icbsim.schema.json\n{template}")).unwrap();
    let o = icbsim(t.path(), ["validate", &s(&file)]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
}
