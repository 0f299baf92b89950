use serde_json::Value;

/// Words that make a field secret wherever they appear in its name, compared without case,
/// `-` or `_` (`api-key`, `apiKey` and `API_KEY` alike).
const SECRET_PARTS: [&str; 15] = [
    "token", "secret", "password", "passwd", "passphrase", "authorization", "cookie", "privatekey", "apikey",
    "credential", "databaseurl", "connectionstring", "sshkey", "signingkey", "session",
];
/// Short words that make a field secret only as a whole word of its name (`db-pass`,
/// `smtp_pwd`), since inside other words they mean nothing (`bypass`, `spinner`).
const SECRET_WORDS: [&str; 7] = ["pass", "pwd", "pin", "otp", "dsn", "jwt", "bearer"];
/// Fields that name a secret without being one.
const NAMES_OF_SECRETS: [&str; 2] = ["tokenid", "sessionid"];

/// Replaces the value of every field, at any depth, whose name looks like a secret.
pub fn redact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let value = if is_secret(&key) { Value::String("[redacted]".into()) } else { redact(value) };
                    (key, value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redact).collect()),
        other => other,
    }
}

/// Whether a field named `key` holds a secret.
pub fn is_secret(key: &str) -> bool {
    let words = words(key);
    let joined: String = words.concat();
    if NAMES_OF_SECRETS.contains(&joined.as_str()) {
        return false;
    }
    SECRET_PARTS.iter().any(|part| joined.contains(part)) || words.iter().any(|word| SECRET_WORDS.contains(&word.as_str()))
}

/// The lowercase words of a field name: split at `-`, `_`, `.`, spaces and lower-to-upper
/// case changes (`dbPass` is `db`, `pass`).
fn words(key: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if matches!(c, '-' | '_' | '.' | ' ') {
            words.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    words.extend((!current.is_empty()).then_some(current));
    words
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

    #[test]
    fn common_spellings_of_secrets_are_redacted() {
        let value = super::redact(json!({
            "apikey": "k", "db-pass": "p", "api-key": "k", "dsn": "postgres://u:pw@h", "x-api-key": "k", "smtpPwd": "p",
            "passphrase": "p", "DATABASE_URL": "postgres://u:pw@h", "private-key": "k", "jwt": "j", "secret_token_id": "s",
            "bypass": "kept", "spinner": "kept", "version": "kept", "replicas": 2,
        }));
        let kept: Vec<&str> = value.as_object().expect("object").iter().filter(|(_, v)| **v != json!("[redacted]")).map(|(k, _)| k.as_str()).collect();
        assert_eq!(kept, ["bypass", "replicas", "spinner", "version"]);
    }
}
