//! The embedded demo's "sign in as demo user": only when `auth.demo_user` is set, which the
//! configuration refuses unless the portal listens on loopback.

use std::sync::Arc;

use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use domain::access::{Identity, IdentitySource};
use tower_sessions::Session;

use super::routes::{Next, complete_sign_in, next_path};
use super::Auth;
use domain::access::RequestMeta;

/// The demo user's login; grant it roles in the demo configuration like any other user.
pub const DEMO_LOGIN: &str = "demo";

pub async fn sign_in_as_demo(
    State(auth): State<Arc<Auth>>,
    Extension(meta): Extension<RequestMeta>,
    session: Session,
    Form(form): Form<Next>,
) -> Response {
    if !auth.demo {
        return (StatusCode::NOT_FOUND, "Demo sign-in is not enabled.").into_response();
    }
    let identity = Identity {
        login: DEMO_LOGIN.into(),
        github_id: None,
        name: Some("Demo user".into()),
        avatar_url: None,
        orgs: Vec::new(),
        teams: Vec::new(),
        source: IdentitySource::Demo,
    };
    complete_sign_in(&auth, &meta, &session, identity, &next_path(form.next)).await
}
