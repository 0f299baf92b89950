//! An organisation's repositories and the files on their default branch: `GET /orgs/{org}/repos`
//! and `GET /repos/{owner}/{repo}/contents/{path}` (a file, or a folder's listing), with GitHub's conditional requests (an
//! `ETag` on every answer, `304 Not Modified` when `If-None-Match` still matches) and its
//! rate-limit refusal.

use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::api::{Unauthorized, authenticate, error, page_of, respond};
use crate::limits::primary_refusal;
use crate::repo_json::{content_json, folder_json, repository_json};
use crate::{AppState, lock};

/// `GET /orgs/{org}/repos`: the organisation's repositories, a page at a time.
pub(crate) async fn org_repos(
    State(state): State<AppState>,
    Path(org): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    state.repo_requests.fetch_add(1, Ordering::SeqCst);
    let scopes = match admit(&state, &headers) {
        Ok(scopes) => scopes,
        Err(refusal) => return refusal.into_response(),
    };
    let items = {
        let repos = lock(&state.repos);
        let Some(repos) = repos.get(&org) else {
            return error(StatusCode::NOT_FOUND, "Not Found");
        };
        repos
            .iter()
            .map(|repo| repository_json(&state.base_url, &org, repo))
            .collect()
    };
    let path = format!("/orgs/{org}/repos");
    let (page, link) = page_of(&state, &path, query.as_deref(), items);
    counted(&state, conditional(&headers, &page, &scopes, link))
}

/// `GET /repos/{owner}/{repo}/contents/{path}`: one file of the default branch, base64 in JSON,
/// or a folder's entries.
pub(crate) async fn contents(
    State(state): State<AppState>,
    Path((owner, name, path)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    read_contents(&state, &owner, &name, &path, &headers)
}

/// `GET /repos/{owner}/{repo}/contents/`: the root folder's entries.
pub(crate) async fn root_contents(
    State(state): State<AppState>,
    Path((owner, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    read_contents(&state, &owner, &name, "", &headers)
}

fn read_contents(state: &AppState, owner: &str, name: &str, path: &str, headers: &HeaderMap) -> Response {
    state.repo_requests.fetch_add(1, Ordering::SeqCst);
    lock(&state.paths_read).push(format!("{name}/{path}"));
    let scopes = match admit(state, headers) {
        Ok(scopes) => scopes,
        Err(refusal) => return refusal.into_response(),
    };
    let body = {
        let repos = lock(&state.repos);
        let repo = repos
            .get(owner)
            .and_then(|repos| repos.iter().find(|repo| repo.name == name));
        let Some(repo) = repo else {
            return error(StatusCode::NOT_FOUND, "Not Found");
        };
        let path = path.trim_end_matches('/');
        let found = match repo.files.get(path) {
            Some(text) => Some(content_json(&state.base_url, owner, repo, path, text)),
            None => folder_json(&state.base_url, owner, repo, path),
        };
        let Some(body) = found else {
            return error(StatusCode::NOT_FOUND, "Not Found");
        };
        body
    };
    counted(state, conditional(headers, &body, &scopes, None))
}

/// Counts a repository endpoint's `304 Not Modified`.
fn counted(state: &AppState, response: Response) -> Response {
    if response.status() == StatusCode::NOT_MODIFIED {
        state.not_modified.fetch_add(1, Ordering::SeqCst);
    }
    response
}

/// Why a repository endpoint refuses a call.
enum Refusal {
    Unauthorized(Unauthorized),
    /// The budget of the user with this id is spent until the given Unix time.
    RateLimited(u64, u64),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Self::Unauthorized(refusal) => refusal.into_response(),
            Self::RateLimited(user_id, reset_at) => primary_refusal(Some(user_id), reset_at),
        }
    }
}

/// The caller's token scopes, unless the token is unknown or its budget spent.
fn admit(state: &AppState, headers: &HeaderMap) -> Result<String, Refusal> {
    let (user, scopes) = authenticate(state, headers).map_err(Refusal::Unauthorized)?;
    if state.rate_limited.load(Ordering::SeqCst) {
        return Err(Refusal::RateLimited(user.id, state.limits.reset_at()));
    }
    Ok(scopes)
}

/// GitHub's answer with its `ETag`; when the request's `If-None-Match` names that tag, a
/// `304 Not Modified` without a body instead, as GitHub does (GitHub does not charge such
/// answers to the rate limit).
pub(crate) fn conditional(
    headers: &HeaderMap,
    body: &Value,
    scopes: &str,
    link: Option<String>,
) -> Response {
    let digest = hex(&Sha256::digest(body.to_string().as_bytes()));
    let etag = format!("\"{}\"", &digest[..40]);
    let unchanged = matches_etag(headers, &etag);
    let mut response = if unchanged {
        let (mut parts, _) =
            respond(StatusCode::NOT_MODIFIED, body, Some(scopes), link).into_parts();
        parts.headers.remove(header::CONTENT_TYPE);
        Response::from_parts(parts, Body::empty())
    } else {
        respond(StatusCode::OK, body, Some(scopes), link)
    };
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// Whether `If-None-Match` lists `etag`; weak (`W/`) and strong forms compare equal, and `*`
/// matches anything, as RFC 9110 has it for GET.
fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    let strip = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == "*" || strip(tag) == strip(etag))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_and_strong_tags_match_and_lists_are_split() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"zzz\", W/\"abc\""),
        );
        assert!(matches_etag(&headers, "\"abc\""));
        assert!(!matches_etag(&headers, "\"abd\""));
        assert!(!matches_etag(&HeaderMap::new(), "\"abc\""));
    }
}
