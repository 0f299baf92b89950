//! An action's form: the fields its definition declares and the one validation that both the
//! browser (as the person types) and the server (before anything is stored) run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Field name to the message shown next to it.
pub type FieldErrors = BTreeMap<String, String>;

/// One field of an action's form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputField {
    /// Lowercase letters, digits and underscores; the key in the run's inputs.
    pub name: String,
    pub label: String,
    pub help: Option<String>,
    pub required: bool,
    /// Shown pre-filled, and used when the field is left empty.
    pub default: Option<String>,
    pub kind: InputKind,
    /// The value is shown as `[secret]` everywhere but in the steps that use it, and the form
    /// field does not echo it.
    #[serde(default)]
    pub secret: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InputKind {
    String { pattern: Option<String>, min_length: Option<u32>, max_length: Option<u32> },
    Number { min: Option<f64>, max: Option<f64>, integer: bool },
    Boolean,
    Enum { choices: Vec<String> },
    /// Multi-line text.
    Text { max_length: Option<u32> },
    /// One of the service's environments.
    Environment,
    /// A version: suggestions come from the runtime (versions seen in the service's
    /// environments); any well-formed version may be typed.
    Version,
}

/// What the pickers offer, worked out by the server for one service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputChoices {
    pub environments: Vec<String>,
    pub versions: Vec<String>,
}

/// The most any single value may hold, whatever its field says.
const MAX_VALUE_BYTES: usize = 16 * 1024;

/// Checks `values` (as typed: strings, a checkbox is `"true"` or absent) against `fields` and
/// returns the typed inputs, or every field's problem at once. Values for fields the form does
/// not have are refused, so a forged request cannot smuggle inputs in.
pub fn validate_inputs(
    fields: &[InputField],
    values: &BTreeMap<String, String>,
    choices: &InputChoices,
) -> Result<Map<String, Value>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut typed = Map::new();
    for name in values.keys() {
        if !fields.iter().any(|f| &f.name == name) {
            errors.insert(name.clone(), "This action has no such field.".to_owned());
        }
    }
    for field in fields {
        let raw = values.get(&field.name).map(|v| v.trim()).filter(|v| !v.is_empty());
        // An unticked checkbox is absent from the form, so a boolean's default only pre-ticks
        // the box: falling back to it would make a default of true impossible to untick.
        let raw = if matches!(field.kind, InputKind::Boolean) { raw } else { raw.or(field.default.as_deref()) };
        match raw {
            None if matches!(field.kind, InputKind::Boolean) => {
                typed.insert(field.name.clone(), Value::Bool(false));
            }
            None if field.required => {
                errors.insert(field.name.clone(), format!("{} is required.", field.label));
            }
            None => {}
            Some(raw) => match check(field, raw, choices) {
                Ok(value) => {
                    typed.insert(field.name.clone(), value);
                }
                Err(message) => {
                    errors.insert(field.name.clone(), message);
                }
            },
        }
    }
    if errors.is_empty() { Ok(typed) } else { Err(errors) }
}

fn check(field: &InputField, raw: &str, choices: &InputChoices) -> Result<Value, String> {
    if raw.len() > MAX_VALUE_BYTES {
        return Err(format!("{} is too long.", field.label));
    }
    match &field.kind {
        InputKind::String { pattern, min_length, max_length } => {
            if raw.contains(['\n', '\r']) {
                return Err(format!("{} is a single line.", field.label));
            }
            check_length(field, raw, *min_length, *max_length)?;
            if let Some(pattern) = pattern {
                let matches = regex_lite::Regex::new(&anchored(pattern)).is_ok_and(|re| re.is_match(raw));
                if !matches {
                    return Err(format!("{} must match {pattern}.", field.label));
                }
            }
            Ok(Value::String(raw.to_owned()))
        }
        InputKind::Text { max_length } => {
            check_length(field, raw, None, *max_length)?;
            Ok(Value::String(raw.to_owned()))
        }
        InputKind::Number { min, max, integer } => {
            let number: f64 = raw.parse().ok().filter(|n: &f64| n.is_finite()).ok_or_else(|| format!("{} must be a number.", field.label))?;
            if *integer && number.fract() != 0.0 {
                return Err(format!("{} must be a whole number.", field.label));
            }
            if let Some(min) = min.filter(|min| number < *min) {
                return Err(format!("{} must be at least {min}.", field.label));
            }
            if let Some(max) = max.filter(|max| number > *max) {
                return Err(format!("{} must be at most {max}.", field.label));
            }
            // Whole numbers stay integers in the JSON, so `2` is not recorded as `2.0`.
            Ok(if number.fract() == 0.0 && number.abs() < 9.0e15 {
                Value::from(number as i64)
            } else {
                serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
            })
        }
        InputKind::Boolean => match raw {
            "true" | "on" | "yes" => Ok(Value::Bool(true)),
            "false" | "off" | "no" => Ok(Value::Bool(false)),
            _ => Err(format!("{} is yes or no.", field.label)),
        },
        InputKind::Enum { choices } => one_of(field, raw, choices),
        InputKind::Environment => one_of(field, raw, &choices.environments),
        InputKind::Version => {
            if !crate::runtime::version::is_version(raw) {
                return Err(format!(
                    "{} is a version: an image tag (letters, digits, `_`, `.` and `-`, up to 128) or a sha256 digest.",
                    field.label
                ));
            }
            Ok(Value::String(raw.to_owned()))
        }
    }
}

fn check_length(field: &InputField, raw: &str, min: Option<u32>, max: Option<u32>) -> Result<(), String> {
    let length = raw.chars().count();
    if let Some(min) = min.filter(|min| length < *min as usize) {
        return Err(format!("{} needs at least {min} characters.", field.label));
    }
    if let Some(max) = max.filter(|max| length > *max as usize) {
        return Err(format!("{} takes at most {max} characters.", field.label));
    }
    Ok(())
}

fn one_of(field: &InputField, raw: &str, choices: &[String]) -> Result<Value, String> {
    if choices.iter().any(|c| c == raw) {
        Ok(Value::String(raw.to_owned()))
    } else if choices.is_empty() {
        Err(format!("{} has nothing to choose from.", field.label))
    } else {
        Err(format!("{} is one of: {}.", field.label, choices.join(", ")))
    }
}

/// A pattern must match the whole value, as HTML's `pattern` attribute does.
pub(crate) fn anchored(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

/// A typed input as text, for placeholders, commands' environments and pages.
pub fn input_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The key of the production confirmation among a form's errors.
pub const CONFIRM_FIELD: &str = "confirm";

/// Checks the production confirmation: the service's name typed again. The same message in the
/// browser and from the server.
pub fn check_confirmation(service: &str, typed: Option<&str>) -> Result<(), String> {
    if typed.map(str::trim) == Some(service) {
        Ok(())
    } else {
        Err(format!("Type {service} to confirm this change to production."))
    }
}
