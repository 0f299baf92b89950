//! The JSON objects GitHub's REST API v3 returns for runs: the "workflow-run" of
//! `GET /repos/{owner}/{repo}/actions/runs/{run_id}` and the "job" of its `/jobs` listing, with
//! every field octocrab's `Run` and `Job` models require.

use serde_json::{Value, json};

use crate::FakeRepo;
use crate::model::{node_id, simple_user, stable_id};
use crate::repo_json::repository_json;
use crate::workflow_json::{FakeRun, Stage};

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
    let mut repository = repository_json(base, owner, &FakeRepo::new(name));
    // octocrab reads the owner as a full "simple-user", which the listing's owner is not.
    repository["owner"] = simple_user(base, owner, stable_id("org", owner), "Organization");
    let actor = simple_user(base, &run.actor, run.actor_id, "User");
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
