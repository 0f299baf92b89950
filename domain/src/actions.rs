//! Self-service actions: what may be pressed (definitions, read from YAML), what must be typed
//! (input schemas, validated the same way in the browser and on the server), who may press and
//! who must approve, and the runs that record what happened.

mod approval;
mod definition;
mod input;
pub mod parse;
mod permission;
mod port;
mod run;
mod secrets;
pub mod template;

pub use approval::{ApprovalAttempt, ApprovalPolicy, ApprovalRefusal, ApprovalScope, check_approval};
pub use definition::{ActionDef, ActionKind, Applies, Who, WorkflowDispatch, WebhookCall};
pub use secrets::{SECRET_MARK, mask_secrets, split_secrets};
pub use input::{CONFIRM_FIELD, FieldErrors, InputChoices, InputField, InputKind, check_confirmation, input_text, validate_inputs};
pub use permission::{RequestRefusal, approval_text, may_cancel, may_request, may_view_runs, role_there};
pub use port::{ActionError, ActionForm, ActionPort, OfferedAction, OperationRequest, RunRequest, RunView};
pub use run::{
    ApprovalRecord, Decision, RunDetail, RunLink, RunList, RunQuery, RunState, RunSummary, StepRecord, StepState,
    RUN_PAGE_SIZE,
};
