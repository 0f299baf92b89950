//! Runs: one request of an action, from the request to its end, with its steps and decisions.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Where a run is. A run only moves forward: pending approval -> queued -> running -> an end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    PendingApproval,
    Queued,
    Running,
    Succeeded,
    /// A step failed and there was nothing to undo, or undoing failed too.
    Failed,
    /// Stopped by the requester or an operator (undoing what was done, where defined).
    Cancelled,
    /// A step failed and the steps before it were undone.
    RolledBack,
    /// The portal stopped mid-step and the step was not safe to repeat; what could be undone
    /// was.
    Interrupted,
    /// An approver said no.
    Rejected,
    /// Nobody approved it in time.
    Expired,
}

impl RunState {
    pub const ALL: [Self; 10] = [
        Self::PendingApproval,
        Self::Queued,
        Self::Running,
        Self::Succeeded,
        Self::Failed,
        Self::Cancelled,
        Self::RolledBack,
        Self::Interrupted,
        Self::Rejected,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingApproval => "pending_approval",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::RolledBack => "rolled_back",
            Self::Interrupted => "interrupted",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == value)
    }

    /// In words, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Self::PendingApproval => "Waiting for approval",
            Self::Queued => "Queued",
            Self::Running => "Running",
            Self::Succeeded => "Succeeded",
            Self::Failed => "Failed",
            Self::Cancelled => "Cancelled",
            Self::RolledBack => "Rolled back",
            Self::Interrupted => "Interrupted",
            Self::Rejected => "Rejected",
            Self::Expired => "Expired",
        }
    }

    /// Whether the run has ended; an ended run never changes again.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::PendingApproval | Self::Queued | Self::Running)
    }
}

/// Where a step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Running,
    Succeeded,
    Failed,
    /// Its work was undone after a later step failed.
    Undone,
}

impl StepState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Undone => "undone",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Running, Self::Succeeded, Self::Failed, Self::Undone].into_iter().find(|s| s.as_str() == value)
    }
}

/// One step of a run as recorded, compensations included (they are steps of their own).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub seq: u32,
    pub name: String,
    /// True for a step that undoes an earlier one.
    pub compensation: bool,
    pub state: StepState,
    /// What the step said: a new version, a process's output, an HTTP status, an error.
    pub output: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approved,
    Rejected,
}

/// One approver's decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRecord {
    pub approver: String,
    pub decision: Decision,
    pub comment: Option<String>,
    pub at: i64,
}

/// A link a run produced, such as the GitHub Actions run it started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunLink {
    pub title: String,
    pub url: String,
}

/// A run as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: String,
    pub action_id: String,
    pub action_title: String,
    pub service: String,
    /// Empty for actions about the service as a whole.
    pub environment: String,
    pub production: bool,
    pub requester: String,
    pub state: RunState,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

/// A run with everything its page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunDetail {
    pub summary: RunSummary,
    /// `restart`, `promote`, `github_workflow`...
    pub kind: String,
    pub inputs: Map<String, Value>,
    pub approvals_needed: u32,
    pub approvals: Vec<ApprovalRecord>,
    /// When a pending request expires (Unix microseconds).
    pub expires_at: Option<i64>,
    pub started_at: Option<i64>,
    pub steps: Vec<StepRecord>,
    pub links: Vec<RunLink>,
    /// Why it ended as it did, in words.
    pub message: Option<String>,
    pub cancel_requested: bool,
}

/// Runs per page of the runs list and the approvals inbox.
pub const RUN_PAGE_SIZE: u32 = 25;

/// The runs list's filters and page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunQuery {
    pub service: Option<String>,
    pub environment: Option<String>,
    pub action: Option<String>,
    pub requester: Option<String>,
    pub state: Option<RunState>,
    /// 1-based.
    pub page: u32,
}

impl RunQuery {
    /// Reads the query from URL parameters; unknown states and empty values are ignored.
    pub fn from_params<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Self {
        let text = |key: &str| get(key).map(str::trim).filter(|v| !v.is_empty()).map(|v| v.chars().take(200).collect::<String>());
        Self {
            service: text("service"),
            environment: text("environment"),
            action: text("action"),
            requester: text("requester").map(|r| r.to_lowercase()),
            state: text("state").and_then(|s| RunState::parse(&s)),
            page: get("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    /// The query as URL parameters, for links that keep the filters.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        let fields = [
            ("service", &self.service),
            ("environment", &self.environment),
            ("action", &self.action),
            ("requester", &self.requester),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                params.push((key, value.clone()));
            }
        }
        if let Some(state) = self.state {
            params.push(("state", state.as_str().to_owned()));
        }
        if self.page > 1 {
            params.push(("page", self.page.to_string()));
        }
        params
    }
}

/// One page of runs, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunList {
    pub runs: Vec<RunSummary>,
    pub total: u64,
    pub page: u32,
}

impl RunList {
    pub fn page_count(&self) -> u32 {
        u32::try_from(self.total.div_ceil(u64::from(RUN_PAGE_SIZE))).unwrap_or(u32::MAX).max(1)
    }
}
