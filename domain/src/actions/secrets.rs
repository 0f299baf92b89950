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

/// `text` with every occurrence of a value of `secret` replaced by [`SECRET_MARK`].
pub fn mask_secrets(text: &str, secret: &Map<String, Value>) -> String {
    let mut values: Vec<String> = secret.values().map(input_text).filter(|value| value.len() >= SHORTEST_MASKED).collect();
    // Longest first, so a value that contains another is masked whole.
    values.sort_by_key(|value| std::cmp::Reverse(value.len()));
    values.into_iter().fold(text.to_owned(), |text, value| text.replace(&value, SECRET_MARK))
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
}
