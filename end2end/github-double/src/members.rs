//! Who belongs to an organisation and its teams: the endpoints a portal re-checks membership
//! with, and the one that tells an OAuth app it is restricted.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::api::{authenticate_token, error, paged, respond};
use crate::model::{org_simple_json, simple_user};
use crate::{AppState, FakeUser, lock};

/// GitHub's words when an organisation's OAuth-app restrictions hide it from the app.
fn restricted(org: &str) -> Response {
    error(
        StatusCode::FORBIDDEN,
        &format!(
            "Although you appear to have the correct authorization credentials, the `{org}` organization has \
             enabled OAuth App access restrictions, meaning that data access to third-parties is limited. For more \
             information on these restrictions, including how to enable this app, visit \
             https://docs.github.com/articles/restricting-access-to-your-organization-s-data/"
        ),
    )
}

/// The caller and their token's scopes, unless `org` hides itself from their OAuth token.
fn caller(state: &AppState, headers: &HeaderMap, org: &str) -> Result<(FakeUser, String), Box<Response>> {
    let (user, scopes, oauth) = authenticate_token(state, headers).map_err(|refusal| Box::new(refusal.into_response()))?;
    if oauth && state.restricts(org) {
        return Err(Box::new(restricted(org)));
    }
    Ok((user, scopes))
}

fn in_org(user: &FakeUser, org: &str) -> bool {
    user.orgs.iter().any(|o| o.eq_ignore_ascii_case(org))
}

fn in_team(user: &FakeUser, org: &str, team: &str) -> bool {
    user.teams.iter().any(|(o, t)| o.eq_ignore_ascii_case(org) && t.eq_ignore_ascii_case(team))
}

/// `GET /user/memberships/orgs/{org}`: the caller's own membership, 404 when there is none.
pub(crate) async fn my_membership(State(state): State<AppState>, headers: HeaderMap, Path(org): Path<String>) -> Response {
    let (user, scopes) = match caller(&state, &headers, &org) {
        Ok(found) => found,
        Err(refusal) => return *refusal,
    };
    if !in_org(&user, &org) {
        return error(StatusCode::NOT_FOUND, "Not Found");
    }
    let base = &state.base_url;
    let body = json!({
        "url": format!("{base}/orgs/{org}/memberships/{}", user.login),
        "state": "active",
        "role": "member",
        "organization_url": format!("{base}/orgs/{org}"),
        "organization": org_simple_json(base, &org),
        "user": simple_user(base, &user.login, user.id, "User"),
    });
    respond(StatusCode::OK, &body, Some(&scopes), None)
}

/// `GET /orgs/{org}/members`. Only a member sees the concealed members; the double has no
/// public ones, so anyone else gets an empty list, as GitHub would give them.
pub(crate) async fn org_members(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let (caller, scopes) = match caller(&state, &headers, &org) {
        Ok(found) => found,
        Err(refusal) => return *refusal,
    };
    let users = lock(&state.users).clone();
    let items = if in_org(&caller, &org) {
        users.iter().filter(|user| in_org(user, &org)).map(|user| simple_user(&state.base_url, &user.login, user.id, "User")).collect()
    } else {
        Vec::new()
    };
    paged(&state, &format!("/orgs/{org}/members"), query, items, &scopes)
}

/// `GET /orgs/{org}/teams/{team}/members`: 404 for a team that does not exist or that the caller
/// cannot see (it is not in the organisation).
pub(crate) async fn team_members(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, team)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let (caller, scopes) = match caller(&state, &headers, &org) {
        Ok(found) => found,
        Err(refusal) => return *refusal,
    };
    let exists = lock(&state.teams).iter().any(|(o, t)| o.eq_ignore_ascii_case(&org) && t.eq_ignore_ascii_case(&team));
    if !exists || !in_org(&caller, &org) {
        return error(StatusCode::NOT_FOUND, "Not Found");
    }
    let users = lock(&state.users).clone();
    let items = users
        .iter()
        .filter(|user| in_team(user, &org, &team))
        .map(|user| simple_user(&state.base_url, &user.login, user.id, "User"))
        .collect();
    paged(&state, &format!("/orgs/{org}/teams/{team}/members"), query, items, &scopes)
}
