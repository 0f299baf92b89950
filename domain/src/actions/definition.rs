use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::approval::ApprovalPolicy;
use super::input::InputField;
use crate::access::Role;
use crate::catalog::{Environment, Service};

/// One action people may request, as declared in the portal's action files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionDef {
    /// Unique across the files; lowercase letters, digits and dashes (it appears in addresses).
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub kind: ActionKind,
    pub applies: Applies,
    pub who: Who,
    /// `None`: runs start as soon as they are requested.
    pub approval: Option<ApprovalPolicy>,
    /// The form, in the order its fields are shown.
    pub inputs: Vec<InputField>,
    /// The whole run fails (and compensates) when it takes longer.
    pub timeout_seconds: u32,
}

/// What an action does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActionKind {
    /// Replace every instance with a fresh one of the same version.
    Restart,
    /// Set the number of instances to the number input named `input`.
    Scale { input: String },
    /// Deploy the version running in the previous environment (in promotion order) here.
    Promote,
    /// Deploy the version this environment ran before its current one.
    Rollback,
    /// Run `command` once next to the service (local runtime: a shell command in the
    /// environment's working folder). Inputs reach it as `PORTICO_INPUT_<NAME>` variables,
    /// never spliced into the command, so no input can inject shell syntax.
    Task { command: String },
    /// Start a GitHub Actions workflow with `workflow_dispatch`.
    GithubWorkflow(WorkflowDispatch),
    /// Call an HTTP endpoint with a signed JSON payload.
    Webhook(WebhookCall),
}

impl ActionKind {
    /// The kind's name, as written in the action files and shown on pages.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Restart => "restart",
            Self::Scale { .. } => "scale",
            Self::Promote => "promote",
            Self::Rollback => "rollback",
            Self::Task { .. } => "task",
            Self::GithubWorkflow(_) => "github_workflow",
            Self::Webhook(_) => "webhook",
        }
    }

    /// Whether the action acts on one environment of a service (the runtime kinds always do;
    /// a workflow or webhook may be about the service as a whole).
    pub fn needs_environment(&self) -> bool {
        matches!(self, Self::Restart | Self::Scale { .. } | Self::Promote | Self::Rollback | Self::Task { .. })
    }

    /// Whether the kind can act on an environment on `target`: tasks need a runtime that runs
    /// them, which today is the local one (`Runtime::run_task`).
    pub fn runs_on(&self, target: &crate::catalog::RuntimeTarget) -> bool {
        !matches!(self, Self::Task { .. }) || matches!(target, crate::catalog::RuntimeTarget::Local(_))
    }
}

/// `workflow_dispatch` on `repo`'s `workflow` file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowDispatch {
    /// `owner/name`.
    pub repo: String,
    /// The workflow's file name (`deploy.yml`) or id.
    pub workflow: String,
    /// The branch or tag to run on; `{{input}}` placeholders are filled from the run's inputs.
    pub git_ref: String,
    /// Workflow input name to value, with the same placeholders (`{{service}}` and
    /// `{{environment}}` too).
    pub inputs: BTreeMap<String, String>,
}

/// An HTTP POST of the run as JSON, signed with HMAC-SHA256.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookCall {
    pub url: String,
    /// The environment variable of the portal that holds the signing secret: secrets never sit
    /// in the action files.
    pub secret_env: String,
    pub timeout_seconds: u32,
    /// Further attempts after a failed one (timeouts, connection errors, 5xx, 429).
    pub retries: u32,
}

/// Which services and environments an action is offered on. Every list that is not empty must
/// match (a service matches a list when any entry does).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applies {
    pub services: Vec<String>,
    pub owners: Vec<String>,
    pub systems: Vec<String>,
    pub tags: Vec<String>,
    pub environments: Vec<String>,
}

impl Applies {
    /// Whether the action is offered on `service` at all.
    pub fn service(&self, service: &Service) -> bool {
        let any = |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v.eq_ignore_ascii_case(value));
        any(&self.services, &service.name)
            && any(&self.owners, &service.owner)
            && (self.systems.is_empty() || service.system.as_deref().is_some_and(|s| any(&self.systems, s)))
            && (self.tags.is_empty() || service.tags.iter().any(|t| any(&self.tags, t)))
    }

    /// Whether the action is offered on this environment of a service it applies to.
    pub fn environment(&self, environment: &Environment) -> bool {
        self.environments.is_empty() || self.environments.iter().any(|e| e == &environment.name)
    }
}

/// Who may request an action: at least `role` on the service in that environment, and, when
/// `teams` is not empty, a member of one of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Who {
    pub role: Role,
    pub teams: Vec<String>,
}

impl Default for Who {
    fn default() -> Self {
        Self { role: Role::Developer, teams: Vec::new() }
    }
}
