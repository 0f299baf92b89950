use domain::actions::{ActionDef, ApprovalRecord, Decision, RunDetail, RunLink, RunState, RunSummary, StepRecord, StepState};
use domain::store::StoreError;
use serde_json::{Map, Value};

use crate::rows::from_json;

/// A run about to be recorded.
pub struct NewRun {
    pub id: String,
    pub action_id: String,
    pub action_title: String,
    pub kind: String,
    /// The action's definition as JSON.
    pub definition: String,
    pub service: String,
    /// Empty for actions about the whole service.
    pub environment: String,
    pub owner: String,
    pub production: bool,
    pub requester: String,
    /// The validated inputs as JSON, secret ones replaced by their mark.
    pub inputs: String,
    /// The secret inputs' values as JSON, when the action has any.
    pub secret_inputs: Option<String>,
    /// Pending approval or queued.
    pub state: RunState,
    pub approvals_needed: u32,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    /// The environment's runtime target now ([`domain::catalog::target_text`] with its kind).
    pub target: String,
}

/// A run as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RunRow {
    pub id: String,
    pub action_id: String,
    pub action_title: String,
    pub kind: String,
    pub definition: String,
    pub service: String,
    pub environment: String,
    pub owner: String,
    pub production: bool,
    pub requester: String,
    pub inputs: String,
    pub state: String,
    pub approvals_needed: i64,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    pub queued_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub claimed_by: Option<String>,
    pub lease_until: Option<i64>,
    pub cancel_requested: bool,
    pub memo: String,
    pub links: String,
    pub message: Option<String>,
    /// The environment's runtime target when the run was requested; empty for whole-service runs.
    pub target: String,
}

/// Every column, in the order of [`RunRow`].
pub(super) const COLUMNS: &str = "id, action_id, action_title, kind, definition, service, environment, owner, production, requester, \
     inputs, state, approvals_needed, expires_at, created_at, queued_at, started_at, finished_at, claimed_by, lease_until, \
     cancel_requested, memo, links, message, target";

impl RunRow {
    pub fn state(&self) -> Result<RunState, StoreError> {
        RunState::parse(&self.state).ok_or_else(|| StoreError(format!("run {} has an unknown state {}", self.id, self.state)))
    }

    pub fn definition(&self) -> Result<ActionDef, StoreError> {
        from_json(&self.definition)
    }

    pub fn inputs(&self) -> Result<Map<String, Value>, StoreError> {
        from_json(&self.inputs)
    }

    pub fn memo(&self) -> Result<Map<String, Value>, StoreError> {
        from_json(&self.memo)
    }

    pub fn links(&self) -> Result<Vec<RunLink>, StoreError> {
        from_json(&self.links)
    }

    pub fn summary(&self) -> Result<RunSummary, StoreError> {
        Ok(RunSummary {
            id: self.id.clone(),
            action_id: self.action_id.clone(),
            action_title: self.action_title.clone(),
            service: self.service.clone(),
            environment: self.environment.clone(),
            production: self.production,
            requester: self.requester.clone(),
            state: self.state()?,
            created_at: self.created_at,
            finished_at: self.finished_at,
        })
    }

    /// The run's page, with its steps and decisions. Inputs whose names look secret are
    /// redacted, as in the audit log.
    pub fn detail(&self, steps: Vec<StepRecord>, approvals: Vec<ApprovalRecord>) -> Result<RunDetail, StoreError> {
        let inputs = match domain::audit::redact(Value::Object(self.inputs()?)) {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        Ok(RunDetail {
            summary: self.summary()?,
            kind: self.kind.clone(),
            inputs,
            approvals_needed: u32::try_from(self.approvals_needed).unwrap_or(0),
            approvals,
            expires_at: self.expires_at,
            started_at: self.started_at,
            steps,
            links: self.links()?,
            message: self.message.clone(),
            cancel_requested: self.cancel_requested,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct StepRow {
    seq: i64,
    name: String,
    compensation: bool,
    state: String,
    output: String,
    started_at: i64,
    finished_at: Option<i64>,
}

impl StepRow {
    pub fn into_record(self) -> Result<StepRecord, StoreError> {
        Ok(StepRecord {
            seq: u32::try_from(self.seq).map_err(|_| StoreError(format!("step number {} out of range", self.seq)))?,
            state: StepState::parse(&self.state).ok_or_else(|| StoreError(format!("unknown step state {}", self.state)))?,
            name: self.name,
            compensation: self.compensation,
            output: self.output,
            started_at: self.started_at,
            finished_at: self.finished_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct ApprovalRow {
    approver: String,
    decision: String,
    comment: Option<String>,
    at: i64,
}

impl ApprovalRow {
    pub fn into_record(self) -> ApprovalRecord {
        ApprovalRecord {
            approver: self.approver,
            decision: if self.decision == "approved" { Decision::Approved } else { Decision::Rejected },
            comment: self.comment,
            at: self.at,
        }
    }
}
