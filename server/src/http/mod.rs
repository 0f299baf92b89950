//! The HTTP surface: the Leptos pages and server functions, probes, and the small routes that
//! work without JavaScript.

mod answers;
pub mod audit_export;
mod environment_ops;
mod github_webhook;
mod headers;
mod health;
mod logs;
mod request_id;
mod theme;

pub(crate) use answers::{plain_text, refused, unavailable};


use std::sync::Arc;

use app::api::Services;
use app::api::session::SignInOptions;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::FromRef;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::middleware;
use axum::routing::{get, post};
use leptos::prelude::{LeptosOptions, provide_context};
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use tower::ServiceBuilder;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::SessionManagerLayer;
use tracing::Level;
use tracing::Span;

use actions::ActionEngine;
use domain::delivery::code::CodeHistory;
use crate::auth::session_store::SessionBackend;
use crate::auth::{self, Auth};
use crate::catalog_refresh::CatalogRefresher;
use runtimes::logs::LogHub;
use crate::store::Store;

/// What every handler can reach. The script routes use the same [`Services`] as the server
/// functions (taken with `State<Services>`); the concrete parts below are for what no port
/// covers yet (the log hub, the streaming audit export, the catalog's webhook refresh).
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub auth: Arc<Auth>,
    pub logs: Arc<LogHub>,
    /// The catalog's sources: the GitHub webhook refreshes through it.
    pub catalog: Arc<CatalogRefresher>,
}

impl FromRef<AppState> for Arc<Auth> {
    fn from_ref(state: &AppState) -> Self {
        state.auth.clone()
    }
}

impl FromRef<AppState> for Services {
    fn from_ref(state: &AppState) -> Self {
        state.services.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The ports every server function, page and script route reaches the portal through.
pub fn services(
    store: &Store,
    auth: &Arc<Auth>,
    catalog: &Arc<CatalogRefresher>,
    actions: &Arc<ActionEngine>,
    code: Option<Arc<dyn CodeHistory>>,
) -> Services {
    let store = Arc::new(store.clone());
    Services {
        catalog: store.clone(),
        catalog_sources: catalog.clone(),
        environments: store.clone(),
        audit: store.clone(),
        tokens: store.clone(),
        people: store,
        token_max_days: auth.token_max_days,
        membership_minutes: auth.membership_minutes,
        actions: actions.clone(),
        code,
        gate: auth.clone(),
        policy: Arc::new(auth.policy.clone()),
        sign_in_rule: auth.sign_in.clone(),
        sign_in: SignInOptions { github: auth.github.is_some(), demo: auth.demo },
    }
}

/// The whole application as one axum router; `sessions` keeps sessions in the database.
pub fn router(state: AppState, sessions: SessionManagerLayer<SessionBackend>) -> Router {
    let auth = state.auth.clone();
    let services = state.services.clone();
    let context = move || provide_context(services.clone());
    let options = state.leptos_options.clone();
    let https = headers::Https(auth.secure_cookies());
    let x_request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/theme", post(theme::set_theme))
        // Before the Leptos routes, so that these win over any page path.
        .route("/audit/export.csv", get(audit_export::csv))
        .route("/audit/export.json", get(audit_export::json))
        .route("/webhooks/github", github_webhook::route())
        .route("/api/logs/{service}/{environment}", get(logs::stream))
        .route("/api/logs/{service}/{environment}/download", get(logs::download))
        .route("/api/environments/{service}/{environment}/{operation}", post(environment_ops::operate))
        .merge(auth::routes())
        .leptos_routes_with_context(&state, generate_route_list(App), context.clone(), move || shell(options.clone()))
        .fallback(file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(middleware::from_fn_with_state(auth.clone(), auth::resolve_principal))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(auth, auth::refuse_cross_site))
        .layer(middleware::from_fn_with_state(https, headers::security_headers))
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn(request_id::own_request_id))
                .layer(SetRequestIdLayer::new(x_request_id.clone(), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_span)
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(x_request_id))
                // The WASM bundle shrinks to about a third; pages to a fifth. A middle level keeps
                // compressing rendered pages cheap (brotli's default, 11, costs milliseconds each).
                .layer(CompressionLayer::new().quality(CompressionLevel::Precise(5)))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                )),
        )
        .with_state(state)
}

/// Every log line of a request carries its id; only the path is logged, never the query string,
/// which may carry codes or tokens.
fn request_span(request: &Request<Body>) -> Span {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("-");
    let (request_id, client_request_id) = (header("x-request-id"), header(request_id::CLIENT_REQUEST_ID.as_str()));
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), %request_id, %client_request_id)
}
