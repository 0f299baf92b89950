//! `inputs:`: an action's form. Each field is checked as the form will use it: its pattern must
//! compile and its default must pass the field's own validation, so an author finds out here
//! rather than when someone presses the button.

use std::collections::{BTreeMap, HashMap};

use super::super::input::{InputChoices, InputField, InputKind, validate_inputs};
use super::values::{checked_text, count, flag, known_keys, number, scalar_text};
use crate::catalog::parse::node::{Field, Reader};

const KEYS: [&str; 14] = [
    "name",
    "label",
    "help",
    "type",
    "required",
    "default",
    "pattern",
    "min_length",
    "max_length",
    "min",
    "max",
    "integer",
    "choices",
    "secret",
];

const TYPES: [&str; 7] = ["string", "number", "boolean", "enum", "text", "environment", "version"];

/// The keys that belong to some types only, with those types.
const TYPE_KEYS: [(&str, &[&str]); 8] = [
    ("pattern", &["string"]),
    ("min_length", &["string"]),
    ("max_length", &["string", "text"]),
    ("min", &["number"]),
    ("max", &["number"]),
    ("integer", &["number"]),
    ("choices", &["enum"]),
    ("secret", &["string", "text"]),
];

const LONGEST_NAME: usize = 64;
/// The most any value may hold (the form's own limit).
const LONGEST_VALUE: u32 = 16 * 1024;

/// Reads `inputs` of the action `item`: the fields, or `None` when any has a problem (then the
/// checks that look fields up, such as `scale.input`, are skipped rather than adding noise).
pub(super) fn read(r: &mut Reader<'_>, item: &Field<'_, '_>) -> Option<Vec<InputField>> {
    let Some(list) = r.optional(item, "inputs") else { return Some(Vec::new()) };
    let items = r.list(&list)?;
    let before = r.problems.len();
    let mut fields = Vec::new();
    let mut lines: HashMap<String, usize> = HashMap::new();
    for item in items {
        let Some(item) = r.map(item) else { continue };
        let Some(field) = input(r, &item) else { continue };
        let name_at = r.entry(&item, "name").unwrap_or_else(|| item.clone());
        if let Some(first) = lines.get(&field.name) {
            r.fail(&name_at, format!("an input named `{}` is already declared at line {first}", field.name));
            continue;
        }
        lines.insert(field.name.clone(), name_at.line);
        fields.push(field);
    }
    (r.problems.len() == before).then_some(fields)
}

fn input(r: &mut Reader<'_>, item: &Field<'_, '_>) -> Option<InputField> {
    let before = r.problems.len();
    known_keys(r, item, &KEYS, "an input");
    let name = checked_text(r, item, "name", check_name);
    let label = r.optional_str(item, "label").filter(|label| !label.trim().is_empty());
    let help = r.optional_str(item, "help").filter(|help| !help.trim().is_empty());
    let required = flag(r, item, "required");
    let secret = flag(r, item, "secret");
    let kind = kind(r, item);
    let default = r.optional(item, "default").map(|at| (scalar_text(r, &at), at));
    if r.problems.len() != before {
        return None;
    }
    let name = name?;
    // An empty default is the same as none: the field then starts empty.
    let (default, default_at) = match default {
        Some((Some(text), at)) if !text.trim().is_empty() => (Some(text), Some(at)),
        _ => (None, None),
    };
    if secret && let Some(at) = &default_at {
        r.fail(at, "a secret input cannot have a default: it would be written in the action file for everyone who reads it");
        return None;
    }
    let field = InputField { label: label.unwrap_or_else(|| name.clone()), name, help, required, default, kind: kind?, secret };
    if let (Some(default), Some(at)) = (&field.default, default_at) {
        check_default(r, &field, default, &at);
    }
    Some(field)
}

/// The default is what the run uses when the field is left empty, so it must pass the field's
/// own checks. Environments are only known per service, so that default is checked when used.
fn check_default(r: &mut Reader<'_>, field: &InputField, default: &str, at: &Field<'_, '_>) {
    if matches!(field.kind, InputKind::Environment) {
        return;
    }
    let values = BTreeMap::from([(field.name.clone(), default.to_owned())]);
    if let Err(errors) = validate_inputs(std::slice::from_ref(field), &values, &InputChoices::default()) {
        let message = errors.into_values().collect::<Vec<_>>().join(" ");
        r.fail(at, format!("does not pass this input's own checks: {message}"));
    }
}

/// Input names become keys of the run's inputs and, upper-cased, environment variables
/// (`PORTICO_INPUT_<NAME>`), hence the narrow alphabet.
fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if first && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_')) && name.len() <= LONGEST_NAME {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid input name: start with a lowercase letter, then use lowercase letters, \
             digits or underscores (1-{LONGEST_NAME} characters)"
        ))
    }
}

/// The field's type and the checks that come with it.
fn kind(r: &mut Reader<'_>, item: &Field<'_, '_>) -> Option<InputKind> {
    let type_name = match r.optional_text(item, "type") {
        None => "string".to_owned(),
        Some((name, _)) if TYPES.contains(&name.as_str()) => name,
        Some((name, at)) => {
            r.fail(&at, format!("`{name}` is not an input type: use {}", TYPES.join(", ")));
            return None;
        }
    };
    for (key, types) in TYPE_KEYS {
        if !types.contains(&type_name.as_str())
            && let Some(at) = r.entry(item, key)
        {
            let wanted = types.join(" or ");
            r.fail(&at, format!("is only for {wanted} inputs; this input is of type {type_name}"));
        }
    }
    match type_name.as_str() {
        "string" => {
            let pattern = pattern(r, item);
            let (min_length, max_length) = (length(r, item, "min_length"), length(r, item, "max_length"));
            if let (Some(min), Some(max)) = (min_length, max_length) {
                in_order(r, item, f64::from(min), f64::from(max), ("min_length", "max_length"));
            }
            Some(InputKind::String { pattern, min_length, max_length })
        }
        "number" => {
            let (min, max) = (number(r, item, "min"), number(r, item, "max"));
            if let (Some(min), Some(max)) = (min, max) {
                in_order(r, item, min, max, ("min", "max"));
            }
            Some(InputKind::Number { min, max, integer: flag(r, item, "integer") })
        }
        "boolean" => Some(InputKind::Boolean),
        "enum" => choices(r, item).map(|choices| InputKind::Enum { choices }),
        "text" => Some(InputKind::Text { max_length: length(r, item, "max_length") }),
        "environment" => Some(InputKind::Environment),
        _ => Some(InputKind::Version),
    }
}

/// A pattern must compile with the engine the form uses; the engine's message says why not.
fn pattern(r: &mut Reader<'_>, item: &Field<'_, '_>) -> Option<String> {
    let (pattern, at) = r.optional_text(item, "pattern")?;
    match regex_lite::Regex::new(&pattern) {
        Ok(_) => Some(pattern),
        Err(error) => {
            r.fail(&at, format!("is not a valid pattern: {error}"));
            None
        }
    }
}

fn length(r: &mut Reader<'_>, item: &Field<'_, '_>, key: &str) -> Option<u32> {
    r.optional(item, key)?;
    Some(count(r, item, key, (0, LONGEST_VALUE), 0))
}

/// Reports a `max` below its `min`, on the `max`.
fn in_order(r: &mut Reader<'_>, item: &Field<'_, '_>, min: f64, max: f64, (min_key, max_key): (&str, &str)) {
    if max < min
        && let Some(at) = r.entry(item, max_key)
    {
        r.fail(&at, format!("must not be less than `{min_key}` ({min})"));
    }
}

/// An enum's choices: at least one, each once. Numbers and true/false count as written.
fn choices(r: &mut Reader<'_>, item: &Field<'_, '_>) -> Option<Vec<String>> {
    let list = r.required(item, "choices")?;
    let items = r.list(&list)?;
    if items.is_empty() {
        r.fail(&list, "must list at least one choice");
        return None;
    }
    let mut choices: Vec<String> = Vec::new();
    for at in items {
        let Some(choice) = scalar_text(r, &at) else { continue };
        if choice.trim().is_empty() {
            r.fail(&at, "must not be empty");
        } else if choices.contains(&choice) {
            r.fail(&at, format!("`{choice}` is already a choice"));
        } else {
            choices.push(choice);
        }
    }
    Some(choices)
}
