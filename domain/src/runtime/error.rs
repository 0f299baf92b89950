use serde::{Deserialize, Serialize};

/// Why a runtime could not answer, sorted by what a reader of the page should do about it.
/// Messages are for people and never hold credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ProviderError {
    /// The provider could not be reached (connection refused, DNS, TLS).
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// The provider refused the portal's credentials or this operation.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The provider asked the portal to slow down.
    #[error("throttled: {0}")]
    Throttled(String),
    /// No answer in time.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The deployment, service or process named in the catalog does not exist there.
    #[error("not found: {0}")]
    NotFound(String),
    /// The request does not make sense for this runtime or target (a bad version, say).
    #[error("{0}")]
    Invalid(String),
    /// Anything else the provider reported.
    #[error("failed: {0}")]
    Failed(String),
}

impl ProviderError {
    /// Worth trying again after a pause: the same call may well succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Unreachable(_) | Self::Throttled(_) | Self::Timeout(_))
    }

    /// A one-word state for the page: "unreachable", "forbidden"...
    pub fn state(&self) -> &'static str {
        match self {
            Self::Unreachable(_) => "unreachable",
            Self::Forbidden(_) => "forbidden",
            Self::Throttled(_) => "throttled",
            Self::Timeout(_) => "timeout",
            Self::NotFound(_) => "not found",
            Self::Invalid(_) => "invalid",
            Self::Failed(_) => "error",
        }
    }
}
