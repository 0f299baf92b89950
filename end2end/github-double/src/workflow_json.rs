//! GitHub Actions workflows, as tests and the `--workflows` file declare them, and the runs
//! their dispatches start.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::stable_id;

/// A workflow file of a repository that can be started with `workflow_dispatch`.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct FakeWorkflow {
    /// The file's name under `.github/workflows/` (`deploy.yml`); callers may name the
    /// workflow by it or by its numeric id.
    pub file: String,
    /// The `workflow_dispatch` inputs the file declares; any other input is refused with 422.
    #[serde(default)]
    pub inputs: Vec<String>,
    /// The branches and tags it may run on; any other `ref` is refused with 422.
    #[serde(default = "main_only")]
    pub refs: Vec<String>,
    /// Its runs end with conclusion `failure` (the `deploy` job fails) instead of `success`.
    #[serde(default)]
    pub fails: bool,
}

fn main_only() -> Vec<String> {
    vec!["main".to_owned()]
}

impl FakeWorkflow {
    /// A workflow without inputs that runs on `main` and succeeds.
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            inputs: Vec::new(),
            refs: main_only(),
            fails: false,
        }
    }

    /// The same workflow declaring these inputs.
    pub fn with_inputs(mut self, inputs: &[&str]) -> Self {
        self.inputs = inputs.iter().map(|&name| name.to_owned()).collect();
        self
    }

    /// The workflow's numeric id within `owner/repo`.
    pub(crate) fn id(&self, full_name: &str) -> u64 {
        stable_id("workflow", &format!("{full_name}/{}", self.file))
    }

    /// GitHub names a workflow after its `name:` key; the file's stem stands in for it.
    pub(crate) fn name(&self) -> &str {
        self.file
            .rsplit_once('.')
            .map_or(&self.file, |(stem, _)| stem)
    }
}

/// Where a run is: each read of the run moves it one step on, so a client polling it sees
/// it start and finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Stage {
    Queued,
    InProgress,
    Completed,
}

/// A run started by a dispatch.
#[derive(Clone, Debug)]
pub(crate) struct FakeRun {
    pub id: u64,
    pub run_number: u64,
    /// `owner/repo`.
    pub full_name: String,
    pub workflow: FakeWorkflow,
    pub head_branch: String,
    pub actor: String,
    pub actor_id: u64,
    pub stage: Stage,
    pub created_at: String,
    pub updated_at: String,
}

impl FakeRun {
    pub(crate) fn status(&self) -> &'static str {
        match self.stage {
            Stage::Queued => "queued",
            Stage::InProgress => "in_progress",
            Stage::Completed => "completed",
        }
    }

    pub(crate) fn conclusion(&self) -> Option<&'static str> {
        let failed = self.workflow.fails;
        (self.stage == Stage::Completed).then_some(if failed { "failure" } else { "success" })
    }

    pub(crate) fn head_sha(&self) -> String {
        let digest = Sha256::digest(format!("{}@{}", self.full_name, self.head_branch));
        digest
            .iter()
            .take(20)
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    pub(crate) fn html_url(&self, base: &str) -> String {
        format!("{base}/{}/actions/runs/{}", self.full_name, self.id)
    }

    pub(crate) fn api_url(&self, base: &str) -> String {
        format!("{base}/repos/{}/actions/runs/{}", self.full_name, self.id)
    }
}

/// Now as GitHub writes times: ISO 8601 in UTC to the second (`2024-01-01T00:00:00Z`).
pub(crate) fn now() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}
