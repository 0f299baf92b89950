//! GitHub Actions: `POST .../actions/workflows/{workflow_id}/dispatches` starts a run, which
//! moves one step (`queued`, `in_progress`, `completed`) each time
//! `GET .../actions/runs/{run_id}` reads it; the workflow's run listing and the run's jobs
//! show where it is without moving it. The run and its jobs carry an `ETag` and answer
//! `If-None-Match` with `304 Not Modified` once nothing changes. Refusals carry GitHub's status
//! codes and messages.

mod dispatch;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::api::{authenticate, error, page_of, respond};
use crate::repos::conditional;
use crate::run_json::{jobs_json, run_json};
use crate::workflow_json::{FakeRun, FakeWorkflow, Stage, now};
use crate::{AppState, GithubDouble, lock};

pub(crate) use dispatch::dispatch;

/// Run ids beyond `u32`, as GitHub's have been for years.
const FIRST_RUN_ID: u64 = 9_000_000_000;

/// The workflows and runs the double knows.
#[derive(Default)]
pub(crate) struct Actions {
    /// Workflows by `owner/repo`.
    workflows: Mutex<BTreeMap<String, Vec<FakeWorkflow>>>,
    /// Every run, oldest first; with the inputs it was dispatched with.
    runs: Mutex<Vec<(FakeRun, Value)>>,
    next_id: AtomicU64,
    /// Set: answer like GitHub Enterprise Server releases that predate `return_run_details`.
    without_run_details: AtomicBool,
}

impl Actions {
    fn workflow(&self, full_name: &str, workflow_id: &str) -> Option<FakeWorkflow> {
        let workflows = lock(&self.workflows);
        let found = workflows.get(full_name)?.iter().find(|workflow| {
            workflow.file == workflow_id || workflow.id(full_name).to_string() == workflow_id
        });
        found.cloned()
    }
}

impl GithubDouble {
    /// Adds `workflow` to repository `owner/name`, or replaces the one of the same file.
    pub fn put_workflow(&self, repo: &str, workflow: FakeWorkflow) {
        let mut workflows = lock(&self.shared.actions.workflows);
        let list = workflows.entry(repo.to_owned()).or_default();
        list.retain(|existing| existing.file != workflow.file);
        list.push(workflow);
    }

    /// `false`: the dispatch endpoint refuses `return_run_details` (422), as GitHub Enterprise
    /// Server releases before the parameter do, so clients must find the run in the listing.
    pub fn set_run_details(&self, supported: bool) {
        let actions = &self.shared.actions;
        actions
            .without_run_details
            .store(!supported, Ordering::SeqCst);
    }

    /// The inputs run `run_id` was dispatched with (GitHub's run objects do not show them).
    pub fn run_inputs(&self, run_id: u64) -> Option<Value> {
        let runs = lock(&self.shared.actions.runs);
        let found = runs.iter().find(|(run, _)| run.id == run_id);
        found.map(|(_, inputs)| inputs.clone())
    }

    /// How many runs dispatches have started.
    pub fn runs_started(&self) -> usize {
        lock(&self.shared.actions.runs).len()
    }
}

/// `GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs`: newest first, filtered
/// by `event`, `branch` and `status` as GitHub filters them.
pub(crate) async fn workflow_runs(
    State(state): State<AppState>,
    Path((owner, repo, workflow_id)): Path<(String, String, String)>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let scopes = match authenticate(&state, &headers) {
        Ok((_, scopes)) => scopes,
        Err(refusal) => return refusal.into_response(),
    };
    let full_name = format!("{owner}/{repo}");
    let Some(workflow) = state.actions.workflow(&full_name, &workflow_id) else {
        return error(StatusCode::NOT_FOUND, "Not Found");
    };
    let filter = |name: &str| {
        form_urlencoded::parse(query.as_deref().unwrap_or_default().as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    let (event, branch, status) = (filter("event"), filter("branch"), filter("status"));
    let items: Vec<Value> = lock(&state.actions.runs)
        .iter()
        .rev()
        .map(|(run, _)| run)
        .filter(|run| run.full_name == full_name && run.workflow.file == workflow.file)
        // Every run the double knows was started by a dispatch.
        .filter(|_| {
            event
                .as_deref()
                .is_none_or(|event| event == "workflow_dispatch")
        })
        .filter(|run| {
            branch
                .as_deref()
                .is_none_or(|branch| branch == run.head_branch)
        })
        .filter(|run| {
            status
                .as_deref()
                .is_none_or(|status| status == run.status() || Some(status) == run.conclusion())
        })
        .map(|run| run_json(&state.base_url, run))
        .collect();
    let total = items.len();
    let path = format!("/repos/{full_name}/actions/workflows/{workflow_id}/runs");
    let (page, link) = page_of(&state, &path, query.as_deref(), items);
    respond(
        StatusCode::OK,
        &json!({ "total_count": total, "workflow_runs": page }),
        Some(&scopes),
        link,
    )
}

/// `GET /repos/{owner}/{repo}/actions/runs/{run_id}`: the run, one step further on than the
/// last time it was read.
pub(crate) async fn run(
    State(state): State<AppState>,
    Path((owner, repo, run_id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    read_run(
        &state,
        &headers,
        &format!("{owner}/{repo}"),
        &run_id,
        true,
        |run| run_json(&state.base_url, run),
    )
}

/// `GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs`.
pub(crate) async fn jobs(
    State(state): State<AppState>,
    Path((owner, repo, run_id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    read_run(
        &state,
        &headers,
        &format!("{owner}/{repo}"),
        &run_id,
        false,
        |run| {
            let jobs = jobs_json(&state.base_url, run);
            json!({ "total_count": jobs.len(), "jobs": jobs })
        },
    )
}

/// Answers with `show(run)` for run `run_id` of `full_name`, after moving it on if `advance`.
fn read_run(
    state: &AppState,
    headers: &HeaderMap,
    full_name: &str,
    run_id: &str,
    advance: bool,
    show: impl FnOnce(&FakeRun) -> Value,
) -> Response {
    let scopes = match authenticate(state, headers) {
        Ok((_, scopes)) => scopes,
        Err(refusal) => return refusal.into_response(),
    };
    let mut runs = lock(&state.actions.runs);
    let found = runs
        .iter_mut()
        .map(|(run, _)| run)
        .find(|run| run.full_name == full_name && run.id.to_string() == run_id);
    let Some(run) = found else {
        return error(StatusCode::NOT_FOUND, "Not Found");
    };
    if advance && run.stage != Stage::Completed {
        run.stage = if run.stage == Stage::Queued {
            Stage::InProgress
        } else {
            Stage::Completed
        };
        run.updated_at = now();
    }
    conditional(headers, &show(run), &scopes, None)
}
