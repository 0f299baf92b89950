use std::collections::BTreeMap;

use domain::actions::FieldErrors;
use leptos::server_fn::codec::JsonEncoding;
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What a server function tells the browser when it fails. It never carries internal details:
/// those are logged on the server under the request id shown to the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    #[error("Something went wrong on our side. It has been logged under request id {request_id}.")]
    Internal { request_id: String },
    #[error("The portal could not be reached ({0}). Check your connection and try again.")]
    Transport(String),
    #[error("Your session has ended. Sign in again to continue.")]
    SignedOut,
    /// The message says which role was needed.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The thing changed meanwhile (a run approved by someone else, already ended...).
    #[error("{0}")]
    Conflict(String),
    /// A form's fields failed validation. It carries what was typed: a form posted without
    /// JavaScript comes back through a redirect, and this error is all it brings with it.
    #[error("Some fields need attention.")]
    Invalid { fields: FieldErrors, values: BTreeMap<String, String>, confirm: Option<String> },
}

impl ApiError {
    /// The HTTP status each error is answered with: the one table pages, server functions and
    /// the script routes share. `Internal` is 503: the cause is logged under the request id,
    /// and trying again later is the advice.
    pub fn status(&self) -> u16 {
        match self {
            Self::SignedOut => 401,
            Self::Forbidden(_) => 403,
            Self::NotFound(_) => 404,
            Self::Conflict(_) => 409,
            Self::Invalid { .. } => 422,
            Self::Transport(_) => 502,
            Self::Internal { .. } => 503,
        }
    }
}

impl From<domain::access::AccessError> for ApiError {
    fn from(error: domain::access::AccessError) -> Self {
        match error {
            domain::access::AccessError::SignedOut => Self::SignedOut,
            forbidden @ domain::access::AccessError::Forbidden { .. } => Self::Forbidden(forbidden.to_string()),
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

/// What the browser may see of an actions engine error. `Unavailable` is logged by the engine;
/// the user gets a request id to report.
#[cfg(feature = "ssr")]
impl From<domain::actions::ActionError> for ApiError {
    fn from(error: domain::actions::ActionError) -> Self {
        use domain::actions::ActionError;
        match error {
            ActionError::SignedOut => Self::SignedOut,
            ActionError::NotFound(message) => Self::NotFound(message),
            ActionError::Refused(message) => Self::Forbidden(message),
            ActionError::Invalid(fields) => Self::Invalid { fields, values: BTreeMap::new(), confirm: None },
            ActionError::Conflict(message) => Self::Conflict(message),
            ActionError::Unavailable => Self::internal("the actions engine is unavailable"),
        }
    }
}

#[cfg(feature = "ssr")]
impl ApiError {
    /// [`Self::status`] as the server answers it.
    pub fn http_status(&self) -> http::StatusCode {
        http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::SERVICE_UNAVAILABLE)
    }

    /// Logs `error` with the current request id and returns the error the user may see.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        let request_id = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get("x-request-id")
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "unknown".to_owned());
        tracing::error!(%request_id, %error, "request failed");
        Self::Internal { request_id }
    }
}
