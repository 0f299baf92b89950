//! Inputs declared `secret: true`: their values reach the steps (task variables, workflow
//! inputs, webhook payloads) and nothing else. Pages, the audit log, notifications and the
//! run's record show a mark instead, and any step output that repeats a value has it masked.

use serde_json::{Map, Value};

use super::input::{InputField, input_text};

/// What a secret value is replaced with wherever it would be shown or recorded.
pub const SECRET_MARK: &str = "[secret]";

/// Values shorter than this are not searched for in outputs: masking every "a" would make
/// the output unreadable and protects nothing.
const SHORTEST_MASKED: usize = 3;

/// `inputs` split in two: what may be shown (secret values replaced by [`SECRET_MARK`]) and the
/// secret values themselves (empty when the action declares no secret input).
pub fn split_secrets(fields: &[InputField], inputs: &Map<String, Value>) -> (Map<String, Value>, Map<String, Value>) {
    let mut shown = inputs.clone();
    let mut secret = Map::new();
    for field in fields.iter().filter(|field| field.secret) {
        if let Some(value) = shown.get_mut(&field.name) {
            secret.insert(field.name.clone(), std::mem::replace(value, Value::String(SECRET_MARK.to_owned())));
        }
    }
    (shown, secret)
}

/// `text` with every occurrence of a value of `secret` replaced by [`SECRET_MARK`]. Texts shown
/// of a step are often excerpts cut at a length (a webhook's answer, a task's output), which
/// can cut a repeated secret in two: a tail that is the start of a secret value (at least
/// [`SHORTEST_MASKED`] long) is masked too, at the cost of now and then masking an innocent
/// ending that looks like one.
pub fn mask_secrets(text: &str, secret: &Map<String, Value>) -> String {
    let mut values: Vec<String> = secret.values().map(input_text).filter(|value| value.len() >= SHORTEST_MASKED).collect();
    // Longest first, so a value that contains another is masked whole.
    values.sort_by_key(|value| std::cmp::Reverse(value.len()));
    let masked = values.iter().fold(text.to_owned(), |text, value| text.replace(value.as_str(), SECRET_MARK));
    let cut = values.iter().filter_map(|value| cut_prefix(&masked, value)).max().unwrap_or(0);
    match cut {
        0 => masked,
        cut => format!("{}{SECRET_MARK}", &masked[..masked.len() - cut]),
    }
}

/// The length of the longest proper start of `value` that `text` ends with, if one is long
/// enough to mask.
fn cut_prefix(text: &str, value: &str) -> Option<usize> {
    (SHORTEST_MASKED..value.len()).rev().find(|&len| value.is_char_boundary(len) && text.ends_with(&value[..len]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::InputKind;
    use serde_json::json;

    fn field(name: &str, secret: bool) -> InputField {
        InputField {
            name: name.into(),
            label: name.into(),
            help: None,
            required: false,
            default: None,
            kind: InputKind::String { pattern: None, min_length: None, max_length: None },
            secret,
        }
    }

    #[test]
    fn secret_values_are_taken_out_of_what_is_shown() {
        let fields = [field("reason", false), field("api_key", true)];
        let inputs = json!({ "reason": "rotate", "api_key": "sk-live-123" });
        let (shown, secret) = split_secrets(&fields, inputs.as_object().expect("object"));
        assert_eq!(Value::Object(shown), json!({ "reason": "rotate", "api_key": "[secret]" }));
        assert_eq!(Value::Object(secret), json!({ "api_key": "sk-live-123" }));
    }

    #[test]
    fn outputs_repeating_a_secret_are_masked_longest_first() {
        let secret = json!({ "a": "sk-live-123", "b": "sk-live", "c": "x" });
        let masked = mask_secrets("token sk-live-123 then sk-live and x", secret.as_object().expect("object"));
        assert_eq!(masked, "token [secret] then [secret] and x");
    }

    #[test]
    fn a_secret_cut_in_two_at_the_end_of_an_excerpt_is_masked() {
        let secret = json!({ "a": "sk-live-123" });
        let secret = secret.as_object().expect("object");
        assert_eq!(mask_secrets("echo: sk-live-1", secret), "echo: [secret]");
        assert_eq!(mask_secrets("sk-live-123 and sk-l", secret), "[secret] and [secret]");
        // Too short a start to tell from ordinary text, and text that only contains a start.
        assert_eq!(mask_secrets("ask", secret), "ask");
        assert_eq!(mask_secrets("sk-live then more", secret), "sk-live then more");
    }
}
