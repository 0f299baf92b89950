use serde_json::Value;

/// Field names whose values are never stored.
const SECRET_WORDS: [&str; 9] =
    ["token", "secret", "password", "passwd", "authorization", "cookie", "private_key", "api_key", "credential"];

/// Replaces the value of every field, at any depth, whose name looks like a secret.
pub fn redact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let lower = key.to_lowercase();
                    // `token_id` names a token without being one.
                    let secret = SECRET_WORDS.iter().any(|word| lower.contains(word)) && !lower.ends_with("_id");
                    let value = if secret { Value::String("[redacted]".into()) } else { redact(value) };
                    (key, value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redact).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn secrets_are_redacted_at_any_depth_and_ids_kept() {
        let value = super::redact(json!({
            "name": "ci", "token_id": "tok_1", "Authorization": "Bearer x",
            "nested": [{ "client_secret": "s", "keep": 1 }]
        }));
        assert_eq!(value, json!({
            "name": "ci", "token_id": "tok_1", "Authorization": "[redacted]",
            "nested": [{ "client_secret": "[redacted]", "keep": 1 }]
        }));
    }
}
