//! Personal API tokens: created and revoked through plain forms (they work without
//! JavaScript), the secret shown once through the session, only its SHA-256 kept.

use std::sync::Arc;

use app::api::tokens::{FLASH, TokenFlash};
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::access::{AccessError, ApiToken, Gate, NewToken, Permission, Principal, RequestMeta};
use domain::audit::{Outcome, kinds};
use domain::clock::now_seconds;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tower_sessions::Session;

use super::{Auth, Caller};

/// Every token starts with this, so secret scanners and people can recognise one.
const TOKEN_PREFIX: &str = "portico_";
const TOKENS_PAGE: &str = "/me/tokens";

/// The stored form of a token secret. Tokens carry 256 random bits, so a plain SHA-256 is
/// enough: there is nothing to guess, unlike a password.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

pub(super) fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::fill(buffer.as_mut_slice());
    hex::encode(buffer)
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    lifetime_days: String,
}

pub async fn create(
    State(auth): State<Arc<Auth>>,
    Caller { principal, meta }: Caller,
    session: Session,
    Form(form): Form<CreateForm>,
) -> Response {
    let principal = match allowed(&auth, principal, &meta).await {
        Ok(principal) => principal,
        Err(response) => return response,
    };
    let flash = match NewToken::parse(&form.name, &form.scope, &form.lifetime_days, principal.role, auth.token_max_days) {
        Err(errors) => TokenFlash::Invalid { errors, name: form.name, scope: form.scope, lifetime_days: form.lifetime_days },
        Ok(new) => {
            let created_at = now_seconds();
            let token = ApiToken {
                id: format!("tok_{}", random_hex(6)),
                name: new.name,
                scope: new.scope,
                created_at,
                expires_at: created_at + i64::from(new.lifetime_days) * 86_400,
                last_used_at: None,
                revoked_at: None,
            };
            let secret = format!("{TOKEN_PREFIX}{}", random_hex(32));
            let event = meta
                .event_by(&principal, kinds::TOKEN_CREATED, Outcome::Success)
                .inputs(serde_json::json!({ "token_id": token.id, "name": token.name, "scope": token.scope, "expires_at": token.expires_at }));
            if let Err(error) = auth.store.create_token(&principal.identity.login, &token, &hash_secret(&secret), &event).await {
                tracing::error!(%error, "cannot create a token");
                return (StatusCode::SERVICE_UNAVAILABLE, "The token could not be stored; nothing was created.").into_response();
            }
            TokenFlash::Created { id: token.id, name: token.name, secret }
        }
    };
    show(&session, flash).await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    id: String,
}

pub async fn revoke(
    State(auth): State<Arc<Auth>>,
    Caller { principal, meta }: Caller,
    session: Session,
    Form(form): Form<RevokeForm>,
) -> Response {
    let principal = match allowed(&auth, principal, &meta).await {
        Ok(principal) => principal,
        Err(response) => return response,
    };
    let event = meta.event_by(&principal, kinds::TOKEN_REVOKED, Outcome::Success).inputs(serde_json::json!({ "token_id": form.id }));
    let flash = match auth.store.revoke_token(&principal.identity.login, &form.id, now_seconds(), &event).await {
        Ok(true) => TokenFlash::Revoked { id: form.id },
        Ok(false) => TokenFlash::NotFound { id: form.id },
        Err(error) => {
            tracing::error!(%error, "cannot revoke a token");
            return (StatusCode::SERVICE_UNAVAILABLE, "The token could not be revoked; try again.").into_response();
        }
    };
    show(&session, flash).await
}

/// People manage their own tokens from a session; a token cannot mint or revoke tokens.
async fn allowed(auth: &Auth, principal: Option<Principal>, meta: &RequestMeta) -> Result<Principal, Response> {
    match auth.authorize(principal.as_ref(), Permission::ManageOwnTokens, meta).await {
        Ok(principal) if principal.token.is_some() => {
            Err((StatusCode::FORBIDDEN, "API tokens cannot create or revoke tokens; sign in to the portal.").into_response())
        }
        Ok(principal) => Ok(principal),
        Err(AccessError::SignedOut) => Err(Redirect::to("/sign-in?next=%2Fme%2Ftokens").into_response()),
        Err(error) => Err((StatusCode::FORBIDDEN, error.to_string()).into_response()),
    }
}

/// Leaves the outcome for the tokens page to show once, and goes there.
async fn show(session: &Session, flash: TokenFlash) -> Response {
    if let Err(error) = session.insert(FLASH, flash).await {
        tracing::error!(%error, "cannot keep the token outcome for the page");
    }
    Redirect::to(TOKENS_PAGE).into_response()
}
