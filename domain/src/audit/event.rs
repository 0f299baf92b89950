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

/// A recorded event: its place in the chain, its time and its hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub seq: i64,
    /// Unix microseconds, UTC.
    pub at: i64,
    #[serde(flatten)]
    pub event: NewEvent,
    pub prev_hash: String,
    pub hash: String,
}

impl Event {
    /// Whether the stored hash still matches the content and the previous hash.
    pub fn verify_hash(&self) -> bool {
        super::hash::event_hash(&self.prev_hash, self.seq, self.at, &self.event) == self.hash
    }
}
