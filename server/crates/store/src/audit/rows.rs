//! `audit_events` rows and their conversion to events.

use domain::audit::{Event, Origin, Outcome, canonical_json};

/// The columns of [`EventRow`], in its field order.
pub(super) const EVENT_COLUMNS: &str = "seq, at, actor, token_id, origin, action, service, environment, inputs, \
                                        outcome, reason, request_id, client_addr, prev_hash, hash";

/// An `audit_events` row as stored.
#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub token_id: Option<String>,
    pub origin: String,
    pub action: String,
    pub service: Option<String>,
    pub environment: Option<String>,
    /// Canonical JSON, exactly as hashed.
    pub inputs: String,
    pub outcome: String,
    pub reason: Option<String>,
    pub request_id: Option<String>,
    pub client_addr: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl EventRow {
    /// The event as recorded, or `None` when the row is not something the portal writes: an
    /// unknown origin or outcome, or inputs that are not canonical JSON. Such a row was edited
    /// by hand; verification reports it as altered.
    pub(super) fn decode(&self) -> Option<Event> {
        let inputs: serde_json::Value = serde_json::from_str(&self.inputs).ok()?;
        if canonical_json(&inputs) != self.inputs {
            return None;
        }
        Some(Event {
            seq: self.seq,
            at: self.at,
            actor: self.actor.clone(),
            token_id: self.token_id.clone(),
            origin: Origin::parse(&self.origin)?,
            action: self.action.clone(),
            service: self.service.clone(),
            environment: self.environment.clone(),
            inputs,
            outcome: Outcome::parse(&self.outcome)?,
            reason: self.reason.clone(),
            request_id: self.request_id.clone(),
            client_addr: self.client_addr.clone(),
            prev_hash: self.prev_hash.clone(),
            hash: self.hash.clone(),
        })
    }

    /// The event for the viewer. A row edited by hand is still shown, as best it can be (its
    /// text in place of unreadable inputs, `system`/`failure` for unknown values), because
    /// hiding it would hide the tampering; verification names it.
    pub(super) fn into_event(self) -> Event {
        if let Some(event) = self.decode() {
            return event;
        }
        let inputs = serde_json::from_str(&self.inputs).unwrap_or(serde_json::Value::String(self.inputs));
        Event {
            seq: self.seq,
            at: self.at,
            actor: self.actor,
            token_id: self.token_id,
            origin: Origin::parse(&self.origin).unwrap_or(Origin::System),
            action: self.action,
            service: self.service,
            environment: self.environment,
            inputs,
            outcome: Outcome::parse(&self.outcome).unwrap_or(Outcome::Failure),
            reason: self.reason,
            request_id: self.request_id,
            client_addr: self.client_addr,
            prev_hash: self.prev_hash,
            hash: self.hash,
        }
    }
}
