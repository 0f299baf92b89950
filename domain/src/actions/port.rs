//! What pages and API routes can ask of the actions engine. The server implements it; every
//! method checks the caller's permission itself (per action, service and environment) and
//! audits refusals, since the rules depend on the action's definition.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::input::{FieldErrors, InputChoices, InputField};
use super::run::{Decision, RunDetail, RunList, RunQuery};
use crate::access::{Principal, RequestMeta};
use crate::future::BoxFuture;
use crate::runtime::{Operation, ProviderError};

/// An action someone may request on a service, in one environment or on the service as a
/// whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedAction {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// `restart`, `scale`, `promote`, `rollback`, `task`, `github_workflow`, `webhook`.
    pub kind: String,
    pub service: String,
    /// `None` for actions about the service as a whole.
    pub environment: Option<String>,
    pub production: bool,
    /// Whether a run waits for approval before it starts.
    pub needs_approval: bool,
}

/// Everything the form of one action on one service (and environment) needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionForm {
    pub action: OfferedAction,
    pub fields: Vec<InputField>,
    pub choices: InputChoices,
    /// Production: the person must type the service's name to confirm.
    pub confirm_with: Option<String>,
    /// Who may approve, in words ("1 approval by an operator"), when approval is needed.
    pub approval: Option<String>,
}

/// A request to run an action, as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRequest {
    pub action: String,
    pub service: String,
    pub environment: Option<String>,
    /// Field name to the value as typed.
    pub values: BTreeMap<String, String>,
    /// The service's name typed again, for production environments.
    pub confirm: Option<String>,
}

/// A direct operation on one environment (`portico env`, the environment route): done at once,
/// without a run, under the same rules as the actions that do the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationRequest {
    pub service: String,
    pub environment: String,
    pub operation: Operation,
    /// The service's name typed again, for production environments.
    pub confirm: Option<String>,
}

/// A run's page: the run and what the visitor may do with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    pub run: RunDetail,
    /// `Ok` when the visitor may approve or reject now; otherwise why not (shown instead of
    /// the buttons, when the run waits for approval).
    pub approval: Result<(), String>,
    pub may_cancel: bool,
}

/// Why an actions call did not do what was asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ActionError {
    #[error("Sign in to continue.")]
    SignedOut,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Refused(String),
    /// Field name (or `confirm`) to message; shown next to each field.
    #[error("Some fields need attention.")]
    Invalid(FieldErrors),
    /// The run moved on meanwhile (approved by someone else, already ended...).
    #[error("{0}")]
    Conflict(String),
    #[error("The portal could not do this right now; try again.")]
    Unavailable,
}

/// The actions engine as pages see it.
pub trait ActionPort: Send + Sync {
    /// The actions `principal` may request on `service`, for each environment they apply to.
    fn offered<'a>(&'a self, principal: &'a Principal, service: &'a str) -> BoxFuture<'a, Result<Vec<OfferedAction>, ActionError>>;

    /// The form of one action on a service (in an environment, for actions that need one).
    fn form<'a>(
        &'a self,
        principal: &'a Principal,
        action: &'a str,
        service: &'a str,
        environment: Option<&'a str>,
    ) -> BoxFuture<'a, Result<ActionForm, ActionError>>;

    /// Validates and records a run; returns its id. The run waits for approval or is queued.
    fn request<'a>(&'a self, principal: &'a Principal, meta: &'a RequestMeta, request: &'a RunRequest) -> BoxFuture<'a, Result<String, ActionError>>;

    /// One run, or `None` when there is no such run.
    fn run<'a>(&'a self, principal: &'a Principal, id: &'a str) -> BoxFuture<'a, Result<Option<RunView>, ActionError>>;

    /// One page of runs, newest first.
    fn runs<'a>(&'a self, principal: &'a Principal, query: &'a RunQuery) -> BoxFuture<'a, Result<RunList, ActionError>>;

    /// Runs waiting for an approval `principal` may give, oldest first.
    fn inbox<'a>(&'a self, principal: &'a Principal, page: u32) -> BoxFuture<'a, Result<RunList, ActionError>>;

    /// Approves or rejects a pending run.
    fn decide<'a>(
        &'a self,
        principal: &'a Principal,
        meta: &'a RequestMeta,
        id: &'a str,
        decision: Decision,
        comment: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), ActionError>>;

    /// Cancels a run: at once when it has not started, between steps when it runs. For the
    /// requester and operators.
    fn cancel<'a>(&'a self, principal: &'a Principal, meta: &'a RequestMeta, id: &'a str) -> BoxFuture<'a, Result<(), ActionError>>;

    /// Carries out a direct operation on an environment, when `principal` holds the operator
    /// role there and no action's approval policy covers the same operation there. The attempt
    /// is audited before the runtime is called (and not carried out if it cannot be); the inner
    /// result is the runtime's answer, whose failure is audited too.
    fn operate<'a>(
        &'a self,
        principal: &'a Principal,
        meta: &'a RequestMeta,
        request: &'a OperationRequest,
    ) -> BoxFuture<'a, Result<Result<(), ProviderError>, ActionError>>;
}
