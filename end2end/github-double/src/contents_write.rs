//! `PUT /repos/{owner}/{repo}/contents/{path}`: GitHub's "create or update file contents",
//! which commits a file to the default branch: how browser tests push a manifest.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::json;

use crate::api::{authenticate, error};
use crate::repo_json::content_json;
use crate::{AppState, lock};

#[derive(Deserialize)]
pub(crate) struct PutFile {
    message: String,
    /// The new content, base64.
    content: String,
    /// The blob sha of the file being replaced; required when it exists.
    sha: Option<String>,
}

pub(crate) async fn put_contents(
    State(state): State<AppState>,
    Path((owner, name, path)): Path<(String, String, String)>,
    headers: HeaderMap,
    Json(body): Json<PutFile>,
) -> Response {
    if let Err(refusal) = authenticate(&state, &headers) {
        return refusal.into_response();
    }
    let Some(text) = STANDARD.decode(body.content.replace(['\n', '\r'], "")).ok().and_then(|bytes| String::from_utf8(bytes).ok()) else {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "content is not valid Base64");
    };
    let mut repos = lock(&state.repos);
    let Some(repo) = repos.get_mut(&owner).and_then(|repos| repos.iter_mut().find(|repo| repo.name == name)) else {
        return error(StatusCode::NOT_FOUND, "Not Found");
    };
    let existing = repo.files.get(&path).map(|old| content_json(&state.base_url, &owner, repo, &path, old)["sha"].clone());
    match (&existing, &body.sha) {
        (Some(_), None) => return error(StatusCode::UNPROCESSABLE_ENTITY, "Invalid request.\n\n\"sha\" wasn't supplied."),
        (Some(current), Some(sha)) if current != sha => {
            return error(StatusCode::CONFLICT, &format!("{path} does not match {sha}"));
        }
        _ => {}
    }
    repo.files.insert(path.clone(), text.clone());
    let content = content_json(&state.base_url, &owner, repo, &path, &text);
    let commit = json!({ "sha": content["sha"], "message": body.message });
    let status = if existing.is_some() { StatusCode::OK } else { StatusCode::CREATED };
    (status, Json(json!({ "content": content, "commit": commit }))).into_response()
}
