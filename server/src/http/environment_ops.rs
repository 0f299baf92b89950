//! `POST /api/environments/{service}/{environment}/{operation}`: restart, stop, start or scale
//! an environment directly. For operators, with a session or an API token (`portico env` uses
//! it); every attempt is audited with its outcome.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Json};
use domain::access::{Gate, Permission, Principal, RequestMeta};
use domain::audit::{Outcome, actions};
use domain::runtime::{ProviderError, Runtime};
use domain::store::{AuditStore, EnvironmentStore};
use serde::Deserialize;
use serde_json::json;

use super::{AppState, plain_text, refused};

/// The body of a scale request.
#[derive(Debug, Default, Deserialize)]
pub struct Body {
    pub replicas: Option<u32>,
}

pub async fn operate(
    State(state): State<AppState>,
    Path((service, environment, operation)): Path<(String, String, String)>,
    principal: Option<Extension<Principal>>,
    meta: Option<Extension<RequestMeta>>,
    body: Option<Json<Body>>,
) -> Response {
    let meta = meta.map(|Extension(meta)| meta).unwrap_or_default();
    let principal = principal.map(|Extension(principal)| principal);
    let principal = match state.auth.authorize(principal.as_ref(), Permission::OperateEnvironments, &meta).await {
        Ok(principal) => principal,
        Err(error) => return refused(&error),
    };
    let action = match operation.as_str() {
        "restart" => actions::ENVIRONMENT_RESTART,
        "stop" => actions::ENVIRONMENT_STOP,
        "start" => actions::ENVIRONMENT_START,
        "scale" => actions::ENVIRONMENT_SCALE,
        _ => return plain_text(StatusCode::NOT_FOUND, "The operations are restart, stop, start and scale."),
    };
    let replicas = body.and_then(|Json(body)| body.replicas);
    if action == actions::ENVIRONMENT_SCALE && replicas.is_none() {
        return plain_text(StatusCode::UNPROCESSABLE_ENTITY, "Scaling needs a JSON body such as {\"replicas\": 2}.");
    }
    let detail = match state.store.placement(&service, &environment).await {
        Ok(Some(detail)) => detail,
        Ok(None) => return plain_text(StatusCode::NOT_FOUND, &format!("{service} has no environment named {environment}.")),
        Err(error) => {
            tracing::error!(%error, "cannot read the environment");
            return plain_text(StatusCode::SERVICE_UNAVAILABLE, "The catalog cannot be read right now.");
        }
    };
    let placement = &detail.placement;
    let runtime = state.runtimes.as_ref();
    let result = match (action, replicas) {
        (actions::ENVIRONMENT_RESTART, _) => runtime.restart(placement).await,
        (actions::ENVIRONMENT_STOP, _) => runtime.stop(placement).await,
        (actions::ENVIRONMENT_START, _) => runtime.start(placement).await,
        (_, Some(replicas)) => runtime.scale(placement, replicas).await,
        (_, None) => Err(ProviderError::Invalid("no replica count".to_owned())),
    };
    let outcome = if result.is_ok() { Outcome::Success } else { Outcome::Failure };
    let mut inputs = json!({ "runtime": placement.environment.target.kind() });
    if let Some(replicas) = replicas {
        inputs["replicas"] = json!(replicas);
    }
    if let Err(error) = &result {
        inputs["error"] = json!(error.to_string());
    }
    let event = meta.event_by(&principal, action, outcome).service(&service).environment(&environment).inputs(inputs);
    if let Err(error) = state.store.append(&event).await {
        // The operation happened; the missing record is an incident for the logs.
        tracing::error!(%error, %action, "cannot write the audit event of an operation that ran");
    }
    match result {
        Ok(()) => plain_text(StatusCode::OK, &format!("{operation}: done for {service} in {environment}.")),
        Err(error) => {
            let status = match error {
                ProviderError::NotFound(_) => StatusCode::NOT_FOUND,
                ProviderError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                ProviderError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::BAD_GATEWAY,
            };
            plain_text(status, &format!("{operation} failed for {service} in {environment}: {error}"))
        }
    }
}
