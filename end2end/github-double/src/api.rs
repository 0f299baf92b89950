//! The REST API v3 endpoints Portico calls, with GitHub's headers, errors and pagination.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::model::{org_simple_json, team_json, user_json};
use crate::{AppState, FakeUser, lock};

const DOCS: &str = "https://docs.github.com/rest";
/// GitHub's defaults: 30 items per page unless asked, never more than 100.
const DEFAULT_PER_PAGE: usize = 30;
const MAX_PER_PAGE: usize = 100;

/// A JSON response dressed the way api.github.com dresses it.
pub(crate) fn respond(
    status: StatusCode,
    body: &Value,
    scopes: Option<&str>,
    link: Option<String>,
) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let reset = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |now| now.as_secs() + 3600);
    // Anonymous callers get GitHub's 60-an-hour budget, tokens 5000.
    let limit = if scopes.is_some() { 5000 } else { 60 };
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), value);
        }
    };
    set("content-type", "application/json; charset=utf-8".into());
    set("x-github-media-type", "github.v3; format=json".into());
    set("x-github-api-version-selected", "2022-11-28".into());
    set("x-ratelimit-limit", limit.to_string());
    set("x-ratelimit-remaining", (limit - 1).to_string());
    set("x-ratelimit-reset", reset.to_string());
    set("x-ratelimit-used", "1".into());
    set("x-ratelimit-resource", "core".into());
    if let Some(scopes) = scopes {
        // GitHub lists a token's scopes comma-and-space separated in this header.
        set(
            "x-oauth-scopes",
            scopes.split(',').collect::<Vec<_>>().join(", "),
        );
    }
    if let Some(link) = link {
        set("link", link);
    }
    response
}

pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    let body = json!({
        "message": message,
        "documentation_url": DOCS,
        "status": status.as_u16().to_string(),
    });
    respond(status, &body, None, None)
}

/// GitHub's two 401 messages: no credentials at all, or credentials it does not know.
pub(crate) enum Unauthorized {
    Missing,
    Bad,
}

impl IntoResponse for Unauthorized {
    fn into_response(self) -> Response {
        let message = match self {
            Self::Missing => "Requires authentication",
            Self::Bad => "Bad credentials",
        };
        error(StatusCode::UNAUTHORIZED, message)
    }
}

/// The user and scopes behind `Authorization: Bearer <token>` or `Authorization: token <token>`.
pub(crate) fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(FakeUser, String), Unauthorized> {
    authenticate_token(state, headers).map(|(user, scopes, _)| (user, scopes))
}

/// As [`authenticate`], and whether the token was issued to the OAuth app.
pub(crate) fn authenticate_token(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(FakeUser, String, bool), Unauthorized> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(Unauthorized::Missing)?;
    let (scheme, token) = value
        .to_str()
        .ok()
        .and_then(|value| value.split_once(' '))
        .ok_or(Unauthorized::Bad)?;
    if !scheme.eq_ignore_ascii_case("bearer") && !scheme.eq_ignore_ascii_case("token") {
        return Err(Unauthorized::Bad);
    }
    let (user_id, scope, oauth) = {
        let tokens = lock(&state.tokens);
        let issued = tokens.get(token.trim()).ok_or(Unauthorized::Bad)?;
        (issued.user_id, issued.scope.clone(), issued.oauth)
    };
    let user = state.user_by_id(user_id).ok_or(Unauthorized::Bad)?;
    Ok((user, scope, oauth))
}

/// `GET /user`.
pub(crate) async fn user(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match authenticate(&state, &headers) {
        Ok((user, scopes)) => respond(
            StatusCode::OK,
            &user_json(&state.base_url, &user),
            Some(&scopes),
            None,
        ),
        Err(refusal) => refusal.into_response(),
    }
}

/// `GET /user/orgs`.
pub(crate) async fn orgs(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let (user, scopes, oauth) = match authenticate_token(&state, &headers) {
        Ok(found) => found,
        Err(refusal) => return refusal.into_response(),
    };
    // An organisation that restricts OAuth apps is left out without an error, as on GitHub.
    let items = user
        .orgs
        .iter()
        .filter(|org| !(oauth && state.restricts(org)))
        .map(|org| org_simple_json(&state.base_url, org))
        .collect();
    paged(&state, "/user/orgs", query, items, &scopes)
}

/// `GET /user/teams`.
pub(crate) async fn teams(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let (user, scopes, oauth) = match authenticate_token(&state, &headers) {
        Ok(found) => found,
        Err(refusal) => return refusal.into_response(),
    };
    let items = user
        .teams
        .iter()
        .filter(|(org, _)| !(oauth && state.restricts(org)))
        .map(|(org, slug)| team_json(&state.base_url, org, slug))
        .collect();
    paged(&state, "/user/teams", query, items, &scopes)
}

/// One page of `items` as `per_page` and `page` select, with GitHub's `Link` header
/// (`prev`, `next`, `last`, `first`, only when there is more than one page), whose URLs keep
/// the query's other parameters and the API's prefix.
pub(crate) fn paged(
    state: &AppState,
    path: &str,
    query: Option<String>,
    items: Vec<Value>,
    scopes: &str,
) -> Response {
    let (page, link) = page_of(state, path, query.as_deref(), items);
    respond(StatusCode::OK, &page, Some(scopes), link)
}

/// The page of `items` that `per_page` and `page` in `query` select, and its `Link` header.
pub(crate) fn page_of(
    state: &AppState,
    path: &str,
    query: Option<&str>,
    items: Vec<Value>,
) -> (Value, Option<String>) {
    let number = |name: &str| {
        form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .find(|(key, _)| key == name)
            .and_then(|(_, value)| value.parse::<usize>().ok())
            .filter(|value| *value > 0)
    };
    let per_page = number("per_page")
        .unwrap_or(DEFAULT_PER_PAGE)
        .min(MAX_PER_PAGE);
    let page = number("page").unwrap_or(1);
    let last = items.len().div_ceil(per_page).max(1);
    let start = (page - 1).saturating_mul(per_page);
    let slice: Vec<Value> = items.into_iter().skip(start).take(per_page).collect();

    // GitHub keeps every other parameter of the query (filters such as `type` or `branch`).
    let kept: String = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(key, _)| key != "per_page" && key != "page")
        .map(|(key, value)| {
            form_urlencoded::Serializer::new(String::new())
                .append_pair(&key, &value)
                .finish()
                + "&"
        })
        .collect();
    let base = state.api_base();
    let url = |n: usize| format!("<{base}{path}?{kept}per_page={per_page}&page={n}>");
    let mut links = Vec::new();
    if page > 1 {
        links.push(format!("{}; rel=\"prev\"", url((page - 1).min(last))));
    }
    if page < last {
        links.push(format!("{}; rel=\"next\"", url(page + 1)));
        links.push(format!("{}; rel=\"last\"", url(last)));
    }
    if page > 1 {
        links.push(format!("{}; rel=\"first\"", url(1)));
    }
    let link = (!links.is_empty()).then(|| links.join(", "));
    (Value::Array(slice), link)
}

/// `GET /avatars/u/{id}`: a placeholder picture, so `avatar_url` resolves in a browser.
pub(crate) async fn avatar() -> Response {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\" viewBox=\"0 0 64 64\">\
               <rect width=\"64\" height=\"64\" fill=\"#8b949e\"/></svg>";
    ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()
}

/// Anything else: GitHub's JSON 404.
pub(crate) async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Not Found")
}
