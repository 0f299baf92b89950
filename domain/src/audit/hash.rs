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
    use crate::audit::{Event, Origin, Outcome};

    fn sample() -> NewEvent {
        NewEvent::new("ada", Origin::Web, "auth.sign_in", Outcome::Success)
            .inputs(json!({ "b": 1, "a": [true, null] }))
            .request(Some("req-1".into()), Some("127.0.0.1".into()))
    }

    #[test]
    fn every_field_and_the_previous_hash_change_the_hash() {
        let base = event_hash(GENESIS_HASH, 1, 10, &sample());
        assert_eq!(base.len(), 64);
        assert!(base.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(base, event_hash(GENESIS_HASH, 2, 10, &sample()));
        assert_ne!(base, event_hash(GENESIS_HASH, 1, 11, &sample()));
        assert_ne!(base, event_hash(&"1".repeat(64), 1, 10, &sample()));
        let changed: [fn(&mut NewEvent); 12] = [
            |e| e.actor = "eve".into(),
            |e| e.token_id = Some("tok".into()),
            |e| e.origin = Origin::Api,
            |e| e.action = "auth.sign_out".into(),
            |e| e.service = Some("web".into()),
            |e| e.environment = Some("production".into()),
            |e| e.inputs = json!({ "b": 2, "a": [true, null] }),
            |e| e.outcome = Outcome::Denied,
            |e| e.reason = Some(String::new()),
            |e| e.request_id = None,
            |e| e.client_addr = Some("10.0.0.1".into()),
            |e| e.inputs = json!({ "b": 1, "a": [null, true] }),
        ];
        for (i, change) in changed.into_iter().enumerate() {
            let mut event = sample();
            change(&mut event);
            assert_ne!(base, event_hash(GENESIS_HASH, 1, 10, &event), "change {i}");
        }
    }

    #[test]
    fn a_value_moved_to_the_next_field_is_a_different_event() {
        let service = sample().service("a");
        let environment = sample().environment("a");
        assert_ne!(event_hash(GENESIS_HASH, 1, 10, &service), event_hash(GENESIS_HASH, 1, 10, &environment));
        let mut split = sample();
        split.actor = "a,\"b".into();
        assert_ne!(event_hash(GENESIS_HASH, 1, 10, &split), event_hash(GENESIS_HASH, 1, 10, &sample().token("b")));
    }

    #[test]
    fn a_recorded_event_checks_its_own_hash() {
        let first = Event::chained(sample(), 1, 10, GENESIS_HASH.to_owned());
        let second = Event::chained(sample(), 2, 11, first.hash.clone());
        assert!(first.verify_hash() && second.verify_hash());
        assert_ne!(first.hash, second.hash);
        let mut altered = second.clone();
        altered.reason = Some("edited".into());
        assert!(!altered.verify_hash());
        let mut relinked = second;
        relinked.prev_hash = GENESIS_HASH.to_owned();
        assert!(!relinked.verify_hash());
    }

    #[test]
    fn key_order_does_not_matter() {
        let mut reordered = sample();
        reordered.inputs = serde_json::from_str(r#"{"a":[true,null],"b":1}"#).expect("json");
        assert_eq!(event_hash(GENESIS_HASH, 1, 10, &sample()), event_hash(GENESIS_HASH, 1, 10, &reordered));
        assert_eq!(canonical_json(&json!({ "z": { "y": 1, "x": 2 }, "a": "é" })), r#"{"a":"é","z":{"x":2,"y":1}}"#);
    }

    /// The worked example in docs/audit.md: if this fails, the documented encoding (and every
    /// stored hash) no longer matches the code.
    #[test]
    fn the_documented_example_hashes_as_documented() {
        let event = NewEvent::new("alice", Origin::Web, "auth.sign_in", Outcome::Success)
            .inputs(json!({ "next": "/services?q=é", "scope": ["read"], "a": { "z": 1, "b": "x\ny\"" } }))
            .request(Some("req-1".into()), Some("192.0.2.1".into()));
        assert_eq!(
            event_hash(GENESIS_HASH, 1, 1_795_343_465_000_000, &event),
            "e9a5433de9e21fc5b46bbc592fff8621b35f784053991583d16516db53d89640"
        );
    }
}
