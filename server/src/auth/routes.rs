//! Sign-in and sign-out. Every outcome lands on the sign-in page with a message (`?error=`),
//! and every sign-in, refusal and sign-out is audited.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use domain::access::Identity;
use domain::audit::{Origin, Outcome, kinds};
use serde::Deserialize;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

use super::signed_in::{self, PENDING, Pending, SIGNED_IN, SignedIn};
use super::failures::{SIGN_INS_PER_MINUTE, Verdict};
use super::{Auth, demo, tokens};
use domain::access::RequestMeta;
use domain::clock::now_seconds;
use crate::local_path::is_local_path;

/// The identity routes, all under `/auth`.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Auth>: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/auth/github", get(start_github))
        .route("/auth/github/callback", get(github_callback))
        .route("/auth/demo", post(demo::sign_in_as_demo))
        .route("/auth/sign-out", post(sign_out))
        .route("/auth/tokens", post(tokens::create))
        .route("/auth/tokens/revoke", post(tokens::revoke))
        .route("/auth/people/revoke", post(super::people::revoke_all))
}

#[derive(Deserialize)]
pub struct Next {
    pub next: Option<String>,
}

/// Where to go after signing in: a path on this site, else the home page.
pub fn next_path(next: Option<String>) -> String {
    next.filter(|path| is_local_path(path) && !path.starts_with("/auth/")).unwrap_or_else(|| "/".into())
}

/// The sign-in page showing `error`'s message.
pub fn to_sign_in(error: &str) -> Response {
    Redirect::to(&format!("/sign-in?error={error}")).into_response()
}

async fn start_github(
    State(auth): State<Arc<Auth>>,
    Extension(meta): Extension<RequestMeta>,
    session: Session,
    Query(query): Query<Next>,
) -> Response {
    let Some(github) = &auth.github else { return to_sign_in("github_not_configured") };
    // Each start stores a session row: bounded per address, so a loop cannot fill the table.
    if auth.failures.note(meta.client_addr.as_deref(), "sign_in_started", SIGN_INS_PER_MINUTE) == Verdict::TooMany {
        return super::too_many();
    }
    let authorization = github.authorize();
    let pending = Pending { state: authorization.state, pkce_verifier: authorization.pkce_verifier, next: next_path(query.next) };
    if let Err(error) = session.insert(PENDING, pending).await {
        tracing::error!(%error, "cannot store the pending sign-in");
        return to_sign_in("unavailable");
    }
    Redirect::to(authorization.url.as_str()).into_response()
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

async fn github_callback(
    State(auth): State<Arc<Auth>>,
    Extension(meta): Extension<RequestMeta>,
    session: Session,
    Query(callback): Query<Callback>,
) -> Response {
    let refuse = |code: &'static str, reason: String, actor: &str| {
        let event = meta.event(actor, Origin::Web, kinds::SIGN_IN, Outcome::Failure).reason(reason);
        (code, event)
    };
    // Taking the pending authorization out of the session makes each callback single-use.
    let pending: Option<Pending> = session.remove(PENDING).await.ok().flatten();
    let (code, event) = match (pending, callback) {
        (_, Callback { error: Some(error), .. }) if error == "access_denied" => {
            refuse("access_denied", "authorization was declined at GitHub".into(), "anonymous")
        }
        (_, Callback { error: Some(error), .. }) => refuse("github_error", format!("GitHub answered {error}"), "anonymous"),
        (None, _) => refuse("no_pending", "no sign-in was in progress for this browser".into(), "anonymous"),
        (Some(pending), Callback { code: Some(code), state: Some(state), .. }) if same(&state, &pending.state) => {
            return finish_github(&auth, &meta, &session, pending, code).await;
        }
        (Some(_), _) => refuse("state_mismatch", "the state parameter did not match".into(), "anonymous"),
    };
    // Counted by kind of failure, so each kind a client meets is recorded once a minute.
    if let Err(too_many) = auth.anonymous_failure(code, event).await {
        return too_many;
    }
    to_sign_in(code)
}

async fn finish_github(auth: &Auth, meta: &RequestMeta, session: &Session, pending: Pending, code: String) -> Response {
    let Some(github) = &auth.github else { return to_sign_in("github_not_configured") };
    let expected = auth.expected_orgs();
    let account = match github.exchange(code, pending.pkce_verifier).await {
        Ok(token) => github.identity(token, &expected).await,
        Err(error) => {
            tracing::warn!(%error, "GitHub sign-in failed");
            let event = meta.event("anonymous", Origin::Web, kinds::SIGN_IN, Outcome::Failure).reason(error.to_string());
            if let Err(too_many) = auth.anonymous_failure("code_rejected", event).await {
                return too_many;
            }
            return to_sign_in("code_rejected");
        }
    };
    let (identity, restricted) = match account {
        Ok(account) => (auth.without_foreign_teams(account.identity), account.restricted),
        Err(error) => {
            tracing::error!(%error, "cannot read the signed-in user from GitHub");
            return to_sign_in("github_unavailable");
        }
    };
    if !restricted.is_empty() {
        tracing::warn!(login = %identity.login, orgs = ?restricted, "organisations hide themselves from the portal's OAuth app: an owner must approve it");
    }
    if !auth.sign_in.admits(&identity) {
        let mut event = meta
            .event(&identity.login, Origin::Web, kinds::SIGN_IN, Outcome::Denied)
            .reason("not a member of an allowed organisation, nor an allowed user".to_owned());
        if let Some(org) = restricted.first() {
            event = event.reason(format!("{org} restricts OAuth apps and has not approved this portal, so GitHub hid the membership"));
            auth.store.append_or_log(&event).await;
            return Redirect::to(&format!("/sign-in?error=org_restricted&org={org}")).into_response();
        }
        auth.store.append_or_log(&event).await;
        return to_sign_in("not_allowed");
    }
    complete_sign_in(auth, meta, session, identity, &pending.next).await
}

/// Rotates the session id, stores who signed in, records the sign-in and goes to `next`.
pub async fn complete_sign_in(auth: &Auth, meta: &RequestMeta, session: &Session, identity: Identity, next: &str) -> Response {
    let at = now_seconds();
    let role = auth.policy.portal_role(&identity);
    let id = format!("sgn_{}", super::tokens::random_hex(16));
    let event = meta
        .event(&identity.login, Origin::Web, kinds::SIGN_IN, Outcome::Success)
        .inputs(serde_json::json!({ "source": identity.source, "role": role, "account": identity.github_id, "sign_in": id }));
    if let Err(error) = auth.store.record_sign_in(&identity, &id, at + auth.max_age, at, &event).await {
        tracing::error!(%error, "cannot record the sign-in");
        return to_sign_in("unavailable");
    }
    if let Err(error) = signed_in::start(session, identity, at, id).await {
        tracing::error!(%error, "cannot start the session");
        return to_sign_in("unavailable");
    }
    Redirect::to(next).into_response()
}

async fn sign_out(State(auth): State<Arc<Auth>>, Extension(meta): Extension<RequestMeta>, session: Session) -> Response {
    if let Ok(Some(signed_in)) = session.get::<SignedIn>(SIGNED_IN).await {
        let event = meta.event(&signed_in.identity.login, Origin::Web, kinds::SIGN_OUT, Outcome::Success);
        if let Err(error) = auth.store.end_sign_in(&signed_in.id, now_seconds(), &event).await {
            tracing::error!(%error, "cannot record the sign-out");
        }
    }
    if let Err(error) = session.flush().await {
        tracing::error!(%error, "cannot end the session");
    }
    Redirect::to("/sign-in?signed_out=1").into_response()
}

/// Compares secrets in constant time.
fn same(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}
