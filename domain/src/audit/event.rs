use serde::{Deserialize, Serialize};

use super::redact::redact;

/// Where a request came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Web,
    Api,
    Webhook,
    System,
}

impl Origin {
    pub const ALL: [Origin; 4] = [Self::Web, Self::Api, Self::Webhook, Self::System];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Api => "api",
            Self::Webhook => "webhook",
            Self::System => "system",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == value)
    }
}

/// How an audited request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    /// Refused for lack of permission.
    Denied,
    Failure,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Self::Success, Self::Denied, Self::Failure];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Denied => "denied",
            Self::Failure => "failure",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == value)
    }
}

/// An event about to be recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    /// GitHub login, `system` or `anonymous`.
    pub actor: String,
    /// The API token the actor used, if any.
    pub token_id: Option<String>,
    pub origin: Origin,
    /// Dotted name, such as `auth.sign_in`.
    pub action: String,
    pub service: Option<String>,
    pub environment: Option<String>,
    /// What was asked for, secrets redacted.
    pub inputs: serde_json::Value,
    pub outcome: Outcome,
    /// Why it ended so, in words.
    pub reason: Option<String>,
    pub request_id: Option<String>,
    pub client_addr: Option<String>,
}

impl NewEvent {
    pub fn new(actor: impl Into<String>, origin: Origin, action: impl Into<String>, outcome: Outcome) -> Self {
        Self {
            actor: actor.into(),
            token_id: None,
            origin,
            action: action.into(),
            service: None,
            environment: None,
            inputs: serde_json::Value::Object(serde_json::Map::new()),
            outcome,
            reason: None,
            request_id: None,
            client_addr: None,
        }
    }

    pub fn service(mut self, service: impl Into<String>) -> Self {
        self.service = Some(service.into());
        self
    }

    pub fn environment(mut self, environment: impl Into<String>) -> Self {
        self.environment = Some(environment.into());
        self
    }

    /// The inputs, with every secret-looking field replaced by `[redacted]`.
    pub fn inputs(mut self, inputs: serde_json::Value) -> Self {
        self.inputs = redact(inputs);
        self
    }

    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    pub fn token(mut self, token_id: impl Into<String>) -> Self {
        self.token_id = Some(token_id.into());
        self
    }

    pub fn request(mut self, request_id: Option<String>, client_addr: Option<String>) -> Self {
        self.request_id = request_id;
        self.client_addr = client_addr;
        self
    }
}

/// A recorded event: its place in the chain, its time, what happened and its hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// Unix microseconds, UTC. Never smaller than the previous event's.
    pub at: i64,
    pub actor: String,
    pub token_id: Option<String>,
    pub origin: Origin,
    pub action: String,
    pub service: Option<String>,
    pub environment: Option<String>,
    pub inputs: serde_json::Value,
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub request_id: Option<String>,
    pub client_addr: Option<String>,
    /// The previous event's hash ([`super::GENESIS_HASH`] before the first event).
    pub prev_hash: String,
    /// [`super::event_hash`] of this event.
    pub hash: String,
}

impl Event {
    /// The event recorded as `seq` at `at` after an event whose hash is `prev_hash`.
    pub fn chained(event: NewEvent, seq: i64, at: i64, prev_hash: String) -> Self {
        let hash = super::hash::event_hash(&prev_hash, seq, at, &event);
        let NewEvent { actor, token_id, origin, action, service, environment, inputs, outcome, reason, request_id, client_addr } = event;
        Self {
            seq, at, actor, token_id, origin, action, service, environment, inputs, outcome, reason, request_id, client_addr,
            prev_hash, hash,
        }
    }

    /// What was recorded, without its place in the chain.
    pub fn to_new_event(&self) -> NewEvent {
        NewEvent {
            actor: self.actor.clone(),
            token_id: self.token_id.clone(),
            origin: self.origin,
            action: self.action.clone(),
            service: self.service.clone(),
            environment: self.environment.clone(),
            inputs: self.inputs.clone(),
            outcome: self.outcome,
            reason: self.reason.clone(),
            request_id: self.request_id.clone(),
            client_addr: self.client_addr.clone(),
        }
    }

    /// Whether the stored hash still matches the content and the previous hash.
    pub fn verify_hash(&self) -> bool {
        super::hash::event_hash(&self.prev_hash, self.seq, self.at, &self.to_new_event()) == self.hash
    }
}
