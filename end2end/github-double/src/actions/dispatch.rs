//! `POST .../actions/workflows/{workflow_id}/dispatches`: GitHub's checks in GitHub's order
//! (token, workflow, body, ref, inputs), then a queued run.

use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::FIRST_RUN_ID;
use crate::api::{authenticate, error, respond};
use crate::workflow_json::{FakeRun, Stage, now};
use crate::{AppState, lock};

/// `POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches`.
pub(crate) async fn dispatch(
    State(state): State<AppState>,
    Path((owner, repo, workflow_id)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (user, scopes) = match authenticate(&state, &headers) {
        Ok(found) => found,
        Err(refusal) => return refusal.into_response(),
    };
    let full_name = format!("{owner}/{repo}");
    let Some(workflow) = state.actions.workflow(&full_name, &workflow_id) else {
        return error(StatusCode::NOT_FOUND, "Not Found");
    };
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "Problems parsing JSON");
    };
    let with_details = !state.actions.without_run_details.load(Ordering::SeqCst);
    let permitted = |key: &str| {
        matches!(key, "ref" | "inputs") || (with_details && key == "return_run_details")
    };
    if let Some(key) = body.keys().find(|key| !permitted(key)) {
        let message = format!("Invalid request.\n\n\"{key}\" is not a permitted key.");
        return error(StatusCode::UNPROCESSABLE_ENTITY, &message);
    }
    let Some(git_ref) = body.get("ref").and_then(Value::as_str) else {
        let message = "Invalid request.\n\n\"ref\" wasn't supplied.";
        return error(StatusCode::UNPROCESSABLE_ENTITY, message);
    };
    let branch = git_ref
        .strip_prefix("refs/heads/")
        .or_else(|| git_ref.strip_prefix("refs/tags/"))
        .unwrap_or(git_ref);
    if !workflow.refs.iter().any(|known| known == branch) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("No ref found for: {git_ref}"),
        );
    }
    let inputs = body
        .get("inputs")
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    let Value::Object(given) = &inputs else {
        let message = "Invalid request.\n\nFor 'properties/inputs', is not an object.";
        return error(StatusCode::UNPROCESSABLE_ENTITY, message);
    };
    let unexpected: Vec<&String> = given
        .keys()
        .filter(|name| !workflow.inputs.contains(name))
        .collect();
    if !unexpected.is_empty() {
        let names = serde_json::to_string(&unexpected).unwrap_or_default();
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("Unexpected inputs provided: {names}"),
        );
    }

    let id = FIRST_RUN_ID + state.actions.next_id.fetch_add(1, Ordering::SeqCst);
    let mut runs = lock(&state.actions.runs);
    let run_number = 1 + runs
        .iter()
        .filter(|(run, _)| run.full_name == full_name && run.workflow.file == workflow.file)
        .count();
    let created = now();
    let run = FakeRun {
        id,
        run_number: run_number as u64,
        full_name,
        workflow,
        head_branch: branch.to_owned(),
        actor: user.login.clone(),
        actor_id: user.id,
        stage: Stage::Queued,
        created_at: created.clone(),
        updated_at: created,
    };
    let details = json!({
        "workflow_run_id": id,
        "run_url": run.api_url(&state.base_url),
        "html_url": run.html_url(&state.base_url),
    });
    runs.push((run, inputs));
    if with_details && body.get("return_run_details") == Some(&Value::Bool(true)) {
        respond(StatusCode::OK, &details, Some(&scopes), None)
    } else {
        StatusCode::NO_CONTENT.into_response()
    }
}
