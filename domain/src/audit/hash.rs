use serde_json::Value;
use sha2::{Digest, Sha256};

use super::event::NewEvent;

/// The previous hash of the first event ever recorded.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Lowercase hex SHA-256 of the event's canonical form: a JSON array of, in order, seq, at,
/// actor, token_id, origin, action, service, environment, inputs, outcome, reason, request_id,
/// client_addr and prev_hash, where absent values are `null` and objects have sorted keys.
/// docs/audit.md spells it out for anyone re-checking the chain with other tools.
pub fn event_hash(prev_hash: &str, seq: i64, at: i64, event: &NewEvent) -> String {
    let canonical = Value::Array(vec![
        Value::from(seq),
        Value::from(at),
        Value::from(event.actor.as_str()),
        Value::from(event.token_id.clone()),
        Value::from(event.origin.as_str()),
        Value::from(event.action.as_str()),
        Value::from(event.service.clone()),
        Value::from(event.environment.clone()),
        event.inputs.clone(),
        Value::from(event.outcome.as_str()),
        Value::from(event.reason.clone()),
        Value::from(event.request_id.clone()),
        Value::from(event.client_addr.clone()),
        Value::from(prev_hash),
    ]);
    hex::encode(Sha256::digest(canonical_json(&canonical).as_bytes()))
}

/// JSON with object keys sorted at every depth, whatever order the map keeps them in.
pub fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let body: Vec<String> = entries
                .into_iter()
                .map(|(key, value)| format!("{}:{}", Value::from(key.as_str()), canonical_json(value)))
                .collect();
            format!("{{{}}}", body.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical_json).collect::<Vec<_>>().join(",")),
        scalar => scalar.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::audit::{Origin, Outcome};

    fn sample() -> NewEvent {
        NewEvent::new("ada", Origin::Web, "auth.sign_in", Outcome::Success)
            .inputs(json!({ "b": 1, "a": [true, null] }))
            .request(Some("req-1".into()), Some("127.0.0.1".into()))
    }

    #[test]
    fn every_field_and_the_previous_hash_change_the_hash() {
        let base = event_hash(GENESIS_HASH, 1, 10, &sample());
        assert_eq!(base.len(), 64);
        assert_ne!(base, event_hash(GENESIS_HASH, 2, 10, &sample()));
        assert_ne!(base, event_hash(GENESIS_HASH, 1, 11, &sample()));
        assert_ne!(base, event_hash(&"1".repeat(64), 1, 10, &sample()));
        let changed: [fn(&mut NewEvent); 7] = [
            |e| e.actor = "eve".into(),
            |e| e.token_id = Some("tok".into()),
            |e| e.origin = Origin::Api,
            |e| e.service = Some("web".into()),
            |e| e.outcome = Outcome::Denied,
            |e| e.inputs = json!({ "b": 2, "a": [true, null] }),
            |e| e.reason = Some(String::new()),
        ];
        for change in changed {
            let mut event = sample();
            change(&mut event);
            assert_ne!(base, event_hash(GENESIS_HASH, 1, 10, &event));
        }
    }

    #[test]
    fn key_order_does_not_matter() {
        let mut reordered = sample();
        reordered.inputs = serde_json::from_str(r#"{"a":[true,null],"b":1}"#).expect("json");
        assert_eq!(event_hash(GENESIS_HASH, 1, 10, &sample()), event_hash(GENESIS_HASH, 1, 10, &reordered));
        assert_eq!(canonical_json(&json!({ "z": { "y": 1, "x": 2 }, "a": "é" })), r#"{"a":"é","z":{"x":2,"y":1}}"#);
    }
}
