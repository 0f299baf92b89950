//! `validate_inputs`, the check every default goes through here and every run request on the
//! server.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::super::super::input::{FieldErrors, InputChoices, InputField, InputKind, validate_inputs};

fn field(name: &str, required: bool, kind: InputKind) -> InputField {
    InputField { name: name.to_owned(), label: name.to_owned(), help: None, required, default: None, kind, secret: false }
}

fn string(pattern: Option<&str>) -> InputKind {
    InputKind::String { pattern: pattern.map(str::to_owned), min_length: None, max_length: None }
}

fn run(fields: &[InputField], values: &[(&str, &str)]) -> Result<serde_json::Map<String, Value>, FieldErrors> {
    let values: BTreeMap<String, String> = values.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let choices = InputChoices { environments: vec!["dev".to_owned(), "prod".to_owned()], versions: vec![] };
    validate_inputs(fields, &values, &choices)
}

fn error(fields: &[InputField], values: &[(&str, &str)], name: &str) -> String {
    let errors = run(fields, values).expect_err("should be refused");
    errors.get(name).cloned().unwrap_or_else(|| panic!("no error for {name}: {errors:?}"))
}

#[test]
fn required_fields_and_defaults() {
    let mut target = field("target", true, string(None));
    assert_eq!(error(std::slice::from_ref(&target), &[("target", "  ")], "target"), "target is required.");
    target.default = Some("main".to_owned());
    assert_eq!(run(&[target], &[]), Ok(json!({ "target": "main" }).as_object().cloned().unwrap_or_default()));
    let optional = field("note", false, string(None));
    assert_eq!(run(&[optional], &[]).map(|typed| typed.len()), Ok(0));
}

#[test]
fn patterns_match_the_whole_value() {
    let fields = [field("ticket", false, string(Some("[A-Z]+-[0-9]+")))];
    assert!(run(&fields, &[("ticket", "OPS-12")]).is_ok());
    assert_eq!(error(&fields, &[("ticket", "see OPS-12")], "ticket"), "ticket must match [A-Z]+-[0-9]+.");
    assert_eq!(error(&fields, &[("ticket", "OPS-12 now")], "ticket"), "ticket must match [A-Z]+-[0-9]+.");
    // An alternation is anchored as a whole, not just its first and last branch.
    let either = [field("env", false, string(Some("dev|prod")))];
    assert!(run(&either, &[("env", "prod")]).is_ok());
    assert!(run(&either, &[("env", "devx")]).is_err());
    assert!(run(&either, &[("env", "xprod")]).is_err());
}

#[test]
fn numbers_respect_bounds_and_whole_numbers() {
    let fields = [field("replicas", false, InputKind::Number { min: Some(0.0), max: Some(8.0), integer: true })];
    assert_eq!(
        run(&fields, &[("replicas", "3")]),
        Ok(json!({ "replicas": 3 }).as_object().cloned().unwrap_or_default())
    );
    assert_eq!(error(&fields, &[("replicas", "-1")], "replicas"), "replicas must be at least 0.");
    assert_eq!(error(&fields, &[("replicas", "9")], "replicas"), "replicas must be at most 8.");
    assert_eq!(error(&fields, &[("replicas", "2.5")], "replicas"), "replicas must be a whole number.");
    assert_eq!(error(&fields, &[("replicas", "three")], "replicas"), "replicas must be a number.");
    assert_eq!(error(&fields, &[("replicas", "NaN")], "replicas"), "replicas must be a number.");
    let ratio = [field("ratio", false, InputKind::Number { min: None, max: None, integer: false })];
    assert_eq!(run(&ratio, &[("ratio", "0.5")]), Ok(json!({ "ratio": 0.5 }).as_object().cloned().unwrap_or_default()));
}

#[test]
fn enums_and_environments_take_only_their_choices() {
    let fields = [
        field("size", false, InputKind::Enum { choices: vec!["s".to_owned(), "m".to_owned()] }),
        field("target", false, InputKind::Environment),
    ];
    assert!(run(&fields, &[("size", "m"), ("target", "prod")]).is_ok());
    let errors = run(&fields, &[("size", "M"), ("target", "qa")]).expect_err("refused");
    assert_eq!(errors.get("size").map(String::as_str), Some("size is one of: s, m."));
    assert_eq!(errors.get("target").map(String::as_str), Some("target is one of: dev, prod."));
}

#[test]
fn values_for_fields_the_form_lacks_are_refused() {
    let fields = [field("target", false, string(None))];
    assert_eq!(
        error(&fields, &[("target", "x"), ("command", "rm -rf /")], "command"),
        "This action has no such field."
    );
}

#[test]
fn an_absent_checkbox_is_false_even_when_its_default_is_true() {
    let mut force = field("force", false, InputKind::Boolean);
    force.default = Some("true".to_owned());
    let fields = [force];
    let typed = |values: &[(&str, &str)]| run(&fields, values).map(|typed| typed.get("force").cloned());
    assert_eq!(typed(&[]), Ok(Some(Value::Bool(false))));
    assert_eq!(typed(&[("force", "true")]), Ok(Some(Value::Bool(true))));
    assert_eq!(typed(&[("force", "on")]), Ok(Some(Value::Bool(true))));
    assert_eq!(error(&fields, &[("force", "maybe")], "force"), "force is yes or no.");
}

#[test]
fn single_line_strings_and_text() {
    let fields = [field("name", false, string(None)), field("notes", false, InputKind::Text { max_length: Some(5) })];
    assert_eq!(error(&fields, &[("name", "a\nb")], "name"), "name is a single line.");
    assert!(run(&fields, &[("notes", "a\nb")]).is_ok());
    assert_eq!(error(&fields, &[("notes", "abcdef")], "notes"), "notes takes at most 5 characters.");
}
