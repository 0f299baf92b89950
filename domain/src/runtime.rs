//! The runtime port: where services run and what can be done to them there. The server
//! implements it once per runtime (local processes, Kubernetes, AWS ECS); pages only see the
//! facts defined here.

mod deployments;
mod error;
mod grid;
mod log_event;
mod logs;
mod operation;
mod status;
mod task;
pub mod version;

use std::pin::Pin;

pub use deployments::{KeptDeployments, LocalDeployment, LocalDeployments};
pub use error::ProviderError;
pub use grid::{GridCell, GridPage, GridRow, Observation, drift};
pub use log_event::{Dropped, LogEvent, StreamProblem};
pub use logs::{LogLine, LogSource};
pub use operation::{Operation, OperationNameError};
pub use status::{Health, Instance, RuntimeStatus};
pub use task::{TaskError, TaskSpec};

use crate::catalog::Environment;
use crate::future::BoxFuture;

/// One environment of one service: what every runtime call is about.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Placement {
    pub service: String,
    pub environment: Environment,
}

/// Log lines as a runtime produces them, oldest first. The stream ends when the source does
/// (a pod deleted, a process gone for good) or with an error.
pub type LogStream = Pin<Box<dyn futures_core::Stream<Item = Result<LogLine, ProviderError>> + Send>>;

/// What the portal can ask of a runtime. Every call has a timeout and bounded retries inside
/// the implementation; an error says what kind of failure it was, so pages can show it.
pub trait Runtime: Send + Sync {
    /// What is running now.
    fn status<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<RuntimeStatus, ProviderError>>;

    /// Starts what was stopped (to its declared or last scale).
    fn start<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>>;

    /// Stops every instance, keeping the declared scale for the next start.
    fn stop<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>>;

    /// Replaces every instance with a fresh one of the same version.
    fn restart<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>>;

    /// Sets how many instances run.
    fn scale<'a>(&'a self, at: &'a Placement, replicas: u32) -> BoxFuture<'a, Result<(), ProviderError>>;

    /// Deploys `version` (an image tag or reference for containers, any label locally).
    fn set_version<'a>(&'a self, at: &'a Placement, version: &'a str) -> BoxFuture<'a, Result<(), ProviderError>>;

    /// Follows the logs: up to `tail` recent lines first, then new lines as they come.
    fn logs<'a>(&'a self, at: &'a Placement, tail: u32) -> BoxFuture<'a, Result<LogStream, ProviderError>>;

    /// Runs a one-off task to its end, or until `cancelled` completes (then it is stopped):
    /// its output on success. Runtimes that cannot run tasks refuse, as this default does.
    fn run_task<'a>(&'a self, at: &'a Placement, task: TaskSpec<'a>, cancelled: BoxFuture<'a, ()>) -> BoxFuture<'a, Result<String, TaskError>> {
        let _ = (task, cancelled);
        let refusal = format!("tasks run on the local runtime only; {} runs on {}", at.environment.name, at.environment.target.kind());
        Box::pin(async move { Err(TaskError::Provider(ProviderError::Invalid(refusal))) })
    }
}
