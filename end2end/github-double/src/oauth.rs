//! The browser half of GitHub's OAuth web flow: the authorize page and the user's decision,
//! which sends the browser back to the app with a code or with `error=access_denied`.

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::{AppState, Grant, consent, lock, random_hex};

/// Where GitHub's error responses point (`error_uri`).
pub(crate) const DOCS: &str = "https://docs.github.com/apps/managing-oauth-apps";

pub(crate) type Params = Vec<(String, String)>;

pub(crate) fn parse(raw: &[u8]) -> Params {
    form_urlencoded::parse(raw).into_owned().collect()
}

/// The first non-empty value of `name`; GitHub treats an empty parameter as absent.
pub(crate) fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .filter(|value| !value.is_empty())
}

/// `GET /login/oauth/authorize`: the sign-in page, or straight to the decision when the
/// request already names a `login` (a shortcut for tests without a browser).
pub(crate) async fn authorize(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = parse(query.unwrap_or_default().as_bytes());
    if let Err(refusal) = validate(&state, &params) {
        return refusal.into_response();
    }
    if param(&params, "login").is_some() || param(&params, "cancel").is_some() {
        return decide(&state, &params);
    }
    let users = lock(&state.users).clone();
    Html(consent::page(&params, &users)).into_response()
}

/// `GET /login/oauth/authorize/confirm`: the button the user pressed on the page.
pub(crate) async fn confirm(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let params = parse(query.unwrap_or_default().as_bytes());
    if let Err(refusal) = validate(&state, &params) {
        return refusal.into_response();
    }
    decide(&state, &params)
}

/// Refuses requests GitHub would not send back to the app at all.
fn validate(state: &AppState, params: &Params) -> Result<(), (StatusCode, &'static str)> {
    let bad = |message: &'static str| (StatusCode::BAD_REQUEST, message);
    let Some(client_id) = param(params, "client_id") else {
        return Err(bad("client_id is required"));
    };
    if client_id != state.config.client_id {
        // github.com shows its 404 page for an unknown application.
        return Err((StatusCode::NOT_FOUND, "Not Found"));
    }
    if param(params, "redirect_uri").is_none() {
        // github.com would fall back to the registered callback; the double has none.
        return Err(bad("redirect_uri is required"));
    }
    if param(params, "code_challenge").is_some()
        && param(params, "code_challenge_method") != Some("S256")
    {
        return Err(bad("code_challenge_method must be S256"));
    }
    Ok(())
}

/// Sends the browser back to the app with either an error or a fresh single-use code.
fn decide(state: &AppState, params: &Params) -> Response {
    let redirect_uri = param(params, "redirect_uri").unwrap_or_default();
    let state_param = param(params, "state");
    let mut reply: Vec<(&str, String)> = Vec::new();
    if param(params, "cancel").is_some() {
        reply.push(("error", "access_denied".into()));
        reply.push((
            "error_description",
            "The user has denied your application access.".into(),
        ));
        reply.push((
            "error_uri",
            format!("{DOCS}/troubleshooting-authorization-request-errors/#access-denied"),
        ));
    } else {
        let Some(user) = param(params, "login").and_then(|login| state.user(login)) else {
            return (StatusCode::BAD_REQUEST, "unknown login").into_response();
        };
        let code = random_hex(20);
        let grant = Grant {
            client_id: state.config.client_id.clone(),
            redirect_uri: redirect_uri.to_owned(),
            code_challenge: param(params, "code_challenge").map(str::to_owned),
            user_id: user.id,
            // Requested scopes are space separated; GitHub reports granted ones comma separated.
            scope: param(params, "scope")
                .unwrap_or_default()
                .split([' ', ','])
                .filter(|scope| !scope.is_empty())
                .collect::<Vec<_>>()
                .join(","),
            issued: std::time::Instant::now(),
        };
        lock(&state.codes).insert(code.clone(), grant);
        reply.push(("code", code));
    }
    if let Some(value) = state_param {
        reply.push(("state", value.to_owned()));
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(reply)
        .finish();
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    let location = format!("{redirect_uri}{separator}{query}");
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}
