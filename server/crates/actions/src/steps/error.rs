//! Why a step did not succeed.

use domain::runtime::{ProviderError, TaskError};
use domain::store::StoreError;

pub(crate) struct StepError {
    pub message: String,
    /// The run was cancelled while the step waited.
    pub cancelled: bool,
}

impl StepError {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), cancelled: false }
    }

    pub fn cancelled(message: impl Into<String>) -> Self {
        Self { message: message.into(), cancelled: true }
    }
}

impl From<ProviderError> for StepError {
    fn from(error: ProviderError) -> Self {
        Self::new(error.to_string())
    }
}

impl From<TaskError> for StepError {
    fn from(error: TaskError) -> Self {
        match error {
            TaskError::Cancelled { .. } => Self::cancelled(error.to_string()),
            TaskError::Provider(ProviderError::Failed(message) | ProviderError::Invalid(message)) => Self::new(message),
            other => Self::new(other.to_string()),
        }
    }
}

impl From<StoreError> for StepError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "storage failed during a step");
        Self::new("the portal's database failed during this step")
    }
}
