//! `POST /api/environments/{service}/{environment}/{operation}`: restart, stop, start or scale
//! an environment directly, with a session or an API token (`portico env` uses it).
//!
//! The same rules as actions apply: the operator role on the service there (so owners-only
//! environments stay with their owners), the service's name typed again in production, and no
//! direct way around an action whose approval policy covers the same operation there. The
//! attempt is audited before the runtime is called, and refused if it cannot be; a failure is
//! audited after.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use domain::access::{AccessError, RequestMeta, Role};
use domain::actions::{check_confirmation, role_there};
use domain::audit::{Outcome, kinds};
use domain::catalog::Service;
use domain::runtime::{Placement, ProviderError, Runtime};
use domain::store::{AuditStore, CatalogStore};
use serde::Deserialize;
use serde_json::json;

use super::{AppState, plain_text, unavailable};
use crate::auth::Caller;

/// What an operation that cannot be audited answers: it is not carried out unrecorded.
const OPERATION_UNAVAILABLE: &str = "The operation was not carried out: it cannot be recorded";

/// The body of a request: the replica count for `scale`, and in production the service's name.
#[derive(Debug, Default, Deserialize)]
pub struct Body {
    pub replicas: Option<u32>,
    pub confirm: Option<String>,
}

pub async fn operate(
    State(state): State<AppState>,
    Path((service, environment, operation)): Path<(String, String, String)>,
    Caller { principal, meta }: Caller,
    body: Option<Json<Body>>,
) -> Response {
    let Some(principal) = principal else {
        return plain_text(StatusCode::UNAUTHORIZED, &AccessError::SignedOut.to_string());
    };
    let (action, kind) = match operation.as_str() {
        "restart" => (kinds::ENVIRONMENT_RESTART, "restart"),
        "stop" => (kinds::ENVIRONMENT_STOP, "scale"),
        "start" => (kinds::ENVIRONMENT_START, "scale"),
        "scale" => (kinds::ENVIRONMENT_SCALE, "scale"),
        _ => return plain_text(StatusCode::NOT_FOUND, "The operations are restart, stop, start and scale."),
    };
    let Body { replicas, confirm } = body.map(|Json(body)| body).unwrap_or_default();
    if action == kinds::ENVIRONMENT_SCALE && replicas.is_none() {
        return plain_text(StatusCode::UNPROCESSABLE_ENTITY, "Scaling needs a JSON body such as {\"replicas\": 2}.");
    }
    let (service, placement) = match find(&state, &meta, &service, &environment).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let env = &placement.environment;
    let refuse = |status: StatusCode, reason: String| {
        let event = meta
            .event_by(&principal, action, Outcome::Denied)
            .service(&service.name)
            .environment(&env.name)
            .reason(reason.clone());
        (event, plain_text(status, &reason))
    };
    let held = role_there(&state.auth.policy, &principal, &service.owner, Some(&env.name));
    let refusal = if held.is_none_or(|role| role < Role::Operator) {
        Some(refuse(StatusCode::FORBIDDEN, AccessError::Forbidden { needed: Role::Operator, held }.to_string()))
    } else if let Some(def) = state.actions.approval_for(kind, &service, env) {
        let reason = format!("{operation} in {} needs approval here: request the `{}` action ({}) instead.", env.name, def.id, def.title);
        Some(refuse(StatusCode::FORBIDDEN, reason))
    } else if let Some(Err(reason)) = env.production.then(|| check_confirmation(&service.name, confirm.as_deref())) {
        Some(refuse(StatusCode::UNPROCESSABLE_ENTITY, format!("{reason} Send it as \"confirm\" (portico env --confirm {}).", service.name)))
    } else {
        None
    };
    if let Some((event, response)) = refusal {
        state.store.append_or_log(&event).await;
        return response;
    }
    let mut inputs = json!({ "runtime": env.target.kind() });
    if let Some(replicas) = replicas {
        inputs["replicas"] = json!(replicas);
    }
    let requested = meta.event_by(&principal, action, Outcome::Success).service(&service.name).environment(&env.name).inputs(inputs.clone());
    if let Err(error) = state.store.append(&requested).await {
        return unavailable(&meta, OPERATION_UNAVAILABLE, &error);
    }
    let runtime = state.runtimes.as_ref();
    let result = match (action, replicas) {
        (kinds::ENVIRONMENT_RESTART, _) => runtime.restart(&placement).await,
        (kinds::ENVIRONMENT_STOP, _) => runtime.stop(&placement).await,
        (kinds::ENVIRONMENT_START, _) => runtime.start(&placement).await,
        (_, Some(replicas)) => runtime.scale(&placement, replicas).await,
        (_, None) => Err(ProviderError::Invalid("no replica count".to_owned())),
    };
    match result {
        Ok(()) => plain_text(StatusCode::OK, &format!("{operation}: done for {} in {}.", service.name, env.name)),
        Err(error) => {
            inputs["error"] = json!(error.to_string());
            let failed = meta.event_by(&principal, action, Outcome::Failure).service(&service.name).environment(&env.name).inputs(inputs);
            if let Err(error) = state.store.append(&failed).await {
                tracing::error!(%error, %action, "cannot record that an operation failed");
            }
            let status = match error {
                ProviderError::NotFound(_) => StatusCode::NOT_FOUND,
                ProviderError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                ProviderError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::BAD_GATEWAY,
            };
            plain_text(status, &format!("{operation} failed for {} in {}: {error}", service.name, env.name))
        }
    }
}

/// The service and the environment's placement, or the response that says why not.
async fn find(state: &AppState, meta: &RequestMeta, service: &str, environment: &str) -> Result<(Service, Placement), Response> {
    let missing = || plain_text(StatusCode::NOT_FOUND, &format!("{service} has no environment named {environment}."));
    let detail = match state.store.service(service).await {
        Ok(Some(detail)) => detail,
        Ok(None) => return Err(missing()),
        Err(error) => return Err(unavailable(meta, OPERATION_UNAVAILABLE, &error)),
    };
    let service = detail.service;
    let Some(env) = service.environments.iter().find(|e| e.name == environment).cloned() else { return Err(missing()) };
    let placement = Placement { service: service.name.clone(), environment: env };
    Ok((service, placement))
}
