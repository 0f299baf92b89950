//! GitHub Actions workflows and their runs, and the JSON objects the REST API v3 returns for
//! them: the "workflow-run" of `GET /repos/{owner}/{repo}/actions/runs/{run_id}` and the "job"
//! of its `/jobs` listing, with every field octocrab's `Run` and `Job` models require.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::FakeRepo;
use crate::model::{avatar_url, node_id, stable_id};
use crate::repo_json::repository_json;

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

    fn head_sha(&self) -> String {
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

/// A run as `GET /repos/{owner}/{repo}/actions/runs/{run_id}` returns it.
pub(crate) fn run_json(base: &str, run: &FakeRun) -> Value {
    let (owner, name) = run
        .full_name
        .split_once('/')
        .unwrap_or(("", &run.full_name));
    let api = run.api_url(base);
    let repos = format!("{base}/repos/{}", run.full_name);
    let workflow_id = run.workflow.id(&run.full_name);
    let head_sha = run.head_sha();
    let repository = repository_json(base, owner, &FakeRepo::new(name));
    let actor = json!({
        "login": run.actor,
        "id": run.actor_id,
        "node_id": node_id("User", run.actor_id),
        "avatar_url": avatar_url(base, run.actor_id),
        "url": format!("{base}/users/{}", run.actor),
        "html_url": format!("{base}/{}", run.actor),
        "type": "User",
        "site_admin": false,
    });
    let committer =
        json!({ "name": run.actor, "email": format!("{}@users.noreply.github.com", run.actor) });
    json!({
        "id": run.id,
        "name": run.workflow.name(),
        "node_id": node_id("WorkflowRun", run.id),
        "head_branch": run.head_branch,
        "head_sha": head_sha,
        "path": format!(".github/workflows/{}", run.workflow.file),
        "display_title": run.workflow.name(),
        "run_number": run.run_number,
        "event": "workflow_dispatch",
        "status": run.status(),
        "conclusion": run.conclusion(),
        "workflow_id": workflow_id,
        "check_suite_id": run.id + 1,
        "check_suite_node_id": node_id("CheckSuite", run.id + 1),
        "url": api,
        "html_url": run.html_url(base),
        "pull_requests": [],
        "created_at": run.created_at,
        "updated_at": run.updated_at,
        "actor": actor,
        "triggering_actor": actor,
        "run_attempt": 1,
        "referenced_workflows": [],
        "run_started_at": run.created_at,
        "jobs_url": format!("{api}/jobs"),
        "logs_url": format!("{api}/logs"),
        "check_suite_url": format!("{repos}/check-suites/{}", run.id + 1),
        "artifacts_url": format!("{api}/artifacts"),
        "cancel_url": format!("{api}/cancel"),
        "rerun_url": format!("{api}/rerun"),
        "previous_attempt_url": null,
        "workflow_url": format!("{repos}/actions/workflows/{workflow_id}"),
        "head_commit": {
            "id": head_sha,
            "tree_id": head_sha,
            "message": "A commit",
            "timestamp": run.created_at,
            "author": committer,
            "committer": committer,
        },
        "repository": repository,
        "head_repository": repository,
    })
}

/// The run's jobs as `GET .../actions/runs/{run_id}/jobs` lists them: `build`, then `deploy`,
/// which starts once `build` has succeeded and carries the failure of a failing workflow.
pub(crate) fn jobs_json(base: &str, run: &FakeRun) -> Vec<Value> {
    let build = match run.stage {
        Stage::Queued => ("queued", None),
        Stage::InProgress => ("in_progress", None),
        Stage::Completed => ("completed", Some("success")),
    };
    let deploy = match run.stage {
        Stage::Queued | Stage::InProgress => ("queued", None),
        Stage::Completed => ("completed", run.conclusion()),
    };
    [("build", build), ("deploy", deploy)]
        .into_iter()
        .enumerate()
        .map(|(index, (name, (status, conclusion)))| {
            job_json(
                base,
                run,
                run.id * 10 + index as u64,
                name,
                status,
                conclusion,
            )
        })
        .collect()
}

fn job_json(
    base: &str,
    run: &FakeRun,
    id: u64,
    name: &str,
    status: &str,
    conclusion: Option<&str>,
) -> Value {
    let repos = format!("{base}/repos/{}", run.full_name);
    let completed_at = conclusion.map(|_| run.updated_at.clone());
    json!({
        "id": id,
        "run_id": run.id,
        "run_url": run.api_url(base),
        "run_attempt": 1,
        "node_id": node_id("CheckRun", id),
        "head_sha": run.head_sha(),
        "head_branch": run.head_branch,
        "workflow_name": run.workflow.name(),
        "url": format!("{repos}/actions/jobs/{id}"),
        "html_url": format!("{}/job/{id}", run.html_url(base)),
        "status": status,
        "conclusion": conclusion,
        "created_at": run.created_at,
        "started_at": run.created_at,
        "completed_at": completed_at,
        "name": name,
        "steps": [{
            "name": "Run",
            "status": status,
            "conclusion": conclusion,
            "number": 1,
            "started_at": run.created_at,
            "completed_at": completed_at,
        }],
        "check_run_url": format!("{repos}/check-runs/{id}"),
        "labels": ["ubuntu-latest"],
        "runner_id": 1,
        "runner_name": "GitHub Actions 1",
        "runner_group_id": 1,
        "runner_group_name": "GitHub Actions",
    })
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
