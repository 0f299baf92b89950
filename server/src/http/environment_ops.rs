//! `POST /api/environments/{service}/{environment}/{operation}`: restart, stop, start or scale
//! an environment directly, with a session or an API token (`portico env` uses it). The rules
//! and the audit are the actions engine's ([`ActionPort::operate`]); this route only reads the
//! request and words the answer.
//!
//! [`ActionPort::operate`]: domain::actions::ActionPort::operate

use app::api::{ApiError, Services};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use domain::access::AccessError;
use domain::actions::{ActionError, CONFIRM_FIELD, OperationRequest};
use domain::runtime::{Operation, OperationNameError, ProviderError};
use serde::Deserialize;

use super::{plain_text, unavailable};
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
    State(services): State<Services>,
    Path((service, environment, operation)): Path<(String, String, String)>,
    Caller { principal, meta }: Caller,
    body: Option<Json<Body>>,
) -> Response {
    let Some(principal) = principal else {
        return plain_text(StatusCode::UNAUTHORIZED, &AccessError::SignedOut.to_string());
    };
    let Body { replicas, confirm } = body.map(|Json(body)| body).unwrap_or_default();
    let operation = match Operation::parse(&operation, replicas) {
        Ok(operation) => operation,
        Err(error @ OperationNameError::Unknown) => return plain_text(StatusCode::NOT_FOUND, &error.to_string()),
        Err(error @ OperationNameError::NoReplicas) => return plain_text(StatusCode::UNPROCESSABLE_ENTITY, &error.to_string()),
    };
    let request = OperationRequest { service, environment, operation, confirm };
    let (name, service, environment) = (operation.name(), &request.service, &request.environment);
    match services.actions.operate(&principal, &meta, &request).await {
        Ok(Ok(())) => plain_text(StatusCode::OK, &format!("{name}: done for {service} in {environment}.")),
        Ok(Err(error)) => {
            let status = match error {
                ProviderError::NotFound(_) => StatusCode::NOT_FOUND,
                ProviderError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                ProviderError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::BAD_GATEWAY,
            };
            plain_text(status, &format!("{name} failed for {service} in {environment}: {error}"))
        }
        // The engine logged the cause.
        Err(ActionError::Unavailable) => unavailable(&meta, OPERATION_UNAVAILABLE, &"the actions engine is unavailable"),
        Err(ActionError::Invalid(fields)) => {
            // Only the production confirmation can be missing here.
            let reasons = fields.into_values().collect::<Vec<_>>().join(" ");
            plain_text(StatusCode::UNPROCESSABLE_ENTITY, &format!("{reasons} Send it as \"{CONFIRM_FIELD}\" (portico env --confirm {service})."))
        }
        Err(error) => {
            let message = error.to_string();
            plain_text(ApiError::from(error).http_status(), &message)
        }
    }
}
