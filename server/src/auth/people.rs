//! Ending all of a person's access at once: every session and every API token, in one
//! transaction with its audit event. Admins only, through a plain form.

use std::sync::Arc;

use app::api::people::{FLASH, PeopleFlash};
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::access::{AccessError, Gate, Permission};
use domain::audit::{Outcome, kinds};
use domain::clock::now_seconds;
use serde::Deserialize;
use tower_sessions::Session;

use super::{Auth, Caller};

const PEOPLE_PAGE: &str = "/admin/people";

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    key: String,
}

pub async fn revoke_all(
    State(auth): State<Arc<Auth>>,
    Caller { principal, meta }: Caller,
    session: Session,
    Form(form): Form<RevokeForm>,
) -> Response {
    let principal = match auth.authorize(principal.as_ref(), Permission::Administer, &meta).await {
        Ok(principal) => principal,
        Err(AccessError::SignedOut) => return Redirect::to("/sign-in?next=%2Fadmin%2Fpeople").into_response(),
        Err(error) => return (StatusCode::FORBIDDEN, error.to_string()).into_response(),
    };
    let key = form.key.trim().to_owned();
    match auth.store.person(&key).await {
        Ok(Some(_)) => {}
        Ok(None) => return (StatusCode::NOT_FOUND, format!("Nobody called {key} has signed in.")).into_response(),
        Err(error) => return unavailable(&error),
    }
    let event = meta.event_by(&principal, kinds::USER_ACCESS_REVOKED, Outcome::Success).inputs(serde_json::json!({ "login": key }));
    let revoked = match auth.store.revoke_access(&key, now_seconds(), &event).await {
        Ok(revoked) => revoked,
        Err(error) => return unavailable(&error),
    };
    let flash = PeopleFlash { key, sessions: revoked.sessions, tokens: revoked.tokens };
    if let Err(error) = session.insert(FLASH, flash).await {
        tracing::error!(%error, "cannot keep the revoke outcome for the page");
    }
    Redirect::to(PEOPLE_PAGE).into_response()
}

fn unavailable(error: &domain::store::StoreError) -> Response {
    tracing::error!(%error, "cannot end a person's access");
    (StatusCode::SERVICE_UNAVAILABLE, "Nothing was revoked: the database is unavailable. Try again.").into_response()
}
