//! Who is asking: every request passes here first. A bearer token or the session cookie
//! becomes a [`Principal`] in the request's extensions, where pages, server functions and
//! routes find it. Without one, pages redirect to the sign-in page and the API answers 401.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use domain::access::{Principal, RequestMeta, TokenUse};
use domain::audit::{Origin, Outcome, kinds};
use domain::clock::now_seconds;
use tower_sessions::Session;

use super::signed_in::{SIGNED_IN, SignedIn};
use super::{Auth, hash_secret};

/// Paths anyone may open: the sign-in page and its routes, probes, and static files.
fn is_public(path: &str) -> bool {
    matches!(path, "/sign-in" | "/theme") || path.starts_with("/auth/github") || path.starts_with("/auth/demo")
}

/// Downloads that answer a signed-out request themselves, with 401 and a line of text: scripts
/// fetch them as often as browsers do, and a redirect to the sign-in page would be saved as the
/// file (`curl -L`) or taken for success (`curl -f`).
fn refuses_signed_out(path: &str) -> bool {
    matches!(path, "/audit/export.csv" | "/audit/export.json")
}

/// Paths that never need to know who asks: probes must answer even when the database
/// (and so the session store) is down, static files are the same for everyone, and GitHub's
/// webhook deliveries carry no session: each proves where it comes from with its signature.
fn is_anonymous(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/favicon.svg" | "/webhooks/github") || path.starts_with("/pkg/")
}

pub async fn resolve_principal(State(auth): State<Arc<Auth>>, mut request: Request, next: Next) -> Response {
    if is_anonymous(request.uri().path()) {
        return next.run(request).await;
    }
    let meta = RequestMeta {
        request_id: request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned),
        client_addr: request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip().to_string()),
    };
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_owned());
    let principal = match bearer {
        Some(secret) => match from_token(&auth, &meta, &secret, request.uri().path()).await {
            Ok(principal) => Some(principal),
            Err(response) => return response,
        },
        None => match request.extensions().get::<Session>() {
            Some(session) => match from_session(&auth, session).await {
                Ok(principal) => principal,
                Err(error) => return storage_failed(&meta, request.uri().path(), &error),
            },
            None => None,
        },
    };
    let path = request.uri().path().to_owned();
    request.extensions_mut().insert(meta);
    match principal {
        Some(principal) => {
            request.extensions_mut().insert(principal);
        }
        None if is_public(&path) || refuses_signed_out(&path) => {}
        None if path.starts_with("/api/") => return unauthenticated(),
        None => {
            let had_session = request.headers().get(header::COOKIE).and_then(|c| c.to_str().ok()).is_some_and(|c| c.contains("portico_session="));
            let next = request.uri().path_and_query().map_or("/", |p| p.as_str());
            let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
            let reason = if had_session { "&error=expired" } else { "" };
            return Redirect::to(&format!("/sign-in?next={next}{reason}")).into_response();
        }
    }
    next.run(request).await
}

/// Why a session could not be read.
enum SessionError {
    Session(tower_sessions::session::Error),
    Store(domain::store::StoreError),
}

impl std::fmt::Display for SessionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Session(error) => error.fmt(f),
            Self::Store(error) => error.fmt(f),
        }
    }
}

/// The signed-in person as now stored (the membership check narrows it, a rename follows the
/// account), unless the session has passed its absolute lifetime, its sign-in was ended (signed
/// out elsewhere, revoked by an admin, its login taken by another account), or the person may
/// no longer sign in (removed from `auth.allowed_users`, an organisation no longer allowed or
/// left on GitHub).
async fn from_session(auth: &Auth, session: &Session) -> Result<Option<Principal>, SessionError> {
    let Some(signed_in) = session.get::<SignedIn>(SIGNED_IN).await.map_err(SessionError::Session)? else { return Ok(None) };
    let at = now_seconds();
    let state = match signed_in.id.as_str() {
        "" => None,
        id => auth.store.sign_in(id).await.map_err(SessionError::Store)?,
    };
    let Some(state) = state.filter(|state| !state.ended && at < state.expires_at && at - signed_in.at <= auth.max_age) else {
        session.flush().await.map_err(SessionError::Session)?;
        return Ok(None);
    };
    if !auth.may_sign_in(&state.identity) {
        session.flush().await.map_err(SessionError::Session)?;
        return Ok(None);
    }
    if let Err(error) = auth.store.touch_sign_in(&state, &signed_in.id, at).await {
        tracing::warn!(%error, "cannot note the session's last use");
    }
    let role = auth.policy.portal_role(&state.identity);
    Ok(Some(Principal { identity: state.identity, role, token: None }))
}

/// The session could not be read: say so with the request id, as every other failure does.
fn storage_failed(meta: &RequestMeta, path: &str, error: &SessionError) -> Response {
    let request_id = meta.request_id.clone().unwrap_or_else(|| "unknown".into());
    tracing::error!(%request_id, %error, "cannot read the session");
    let failure = app::api::ApiError::Internal { request_id: request_id.clone() };
    let status = failure.http_status();
    if path.starts_with("/api/") {
        let body = serde_json::to_string(&failure).unwrap_or_default();
        return (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Portico</title></head><body>\
         <h1>This page could not be loaded.</h1><p>Something went wrong on our side. It has been logged under \
         request id {request_id}.</p></body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// The token's owner acting within the token's scope; every use is audited with the token id.
async fn from_token(auth: &Auth, meta: &RequestMeta, secret: &str, path: &str) -> Result<Principal, Response> {
    let found = auth.store.token_by_hash(&hash_secret(secret)).await.map_err(|error| {
        tracing::error!(%error, "cannot look up an API token");
        (StatusCode::SERVICE_UNAVAILABLE, "Storage is unavailable.").into_response()
    })?;
    let at = now_seconds();
    let found = found.map(|mut found| {
        found.token = found.token.within(auth.token_max_days);
        found
    });
    let Some(found) = found.filter(|found| found.token.is_active(at)) else {
        let event = meta.event("anonymous", Origin::Api, kinds::TOKEN_USED, Outcome::Denied).reason("unknown, expired or revoked token".to_owned());
        auth.anonymous_failure("token", event).await?;
        return Err(unauthenticated());
    };
    if !auth.may_sign_in(&found.identity) {
        let event = meta
            .event(&found.identity.login, Origin::Api, kinds::TOKEN_USED, Outcome::Denied)
            .token(found.token.id.clone())
            .reason("the owner may no longer sign in".to_owned());
        auth.store.append_or_log(&event).await;
        return Err(unauthenticated());
    }
    let event = meta
        .event(&found.identity.login, Origin::Api, kinds::TOKEN_USED, Outcome::Success)
        .token(found.token.id.clone())
        .inputs(serde_json::json!({ "path": path }));
    auth.store.append_or_log(&event).await;
    if let Err(error) = auth.store.touch_token(&found.token.id, at).await {
        tracing::warn!(%error, "cannot note the token's last use");
    }
    let role = auth.policy.portal_role(&found.identity);
    Ok(Principal { identity: found.identity, role, token: Some(TokenUse { id: found.token.id, scope: found.token.scope }) })
}

/// 401 with the error body server functions understand.
fn unauthenticated() -> Response {
    let body = serde_json::to_string(&app::api::ApiError::SignedOut).unwrap_or_default();
    (StatusCode::UNAUTHORIZED, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
