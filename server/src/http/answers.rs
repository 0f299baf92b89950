//! The answers every script-facing route gives in the same words and with the same status:
//! a line of text, a refusal, and "unavailable, logged under the request id".

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::access::{AccessError, RequestMeta};

/// A short answer in one line of text, never cached: for the routes scripts call (exports,
/// log streams, environment operations), where an HTML page would be noise.
pub(crate) fn plain_text(status: StatusCode, message: &str) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], format!("{message}\n")).into_response()
}

/// 401 or 403 in a line of text, for a refusal the gate has already audited; the status comes
/// from the one table, `ApiError::status`.
pub(crate) fn refused(error: &AccessError) -> Response {
    plain_text(app::api::ApiError::from(error.clone()).http_status(), &error.to_string())
}

/// 503 saying what cannot be done right now and the request id it was logged under; the cause
/// goes to the log only.
pub(crate) fn unavailable(meta: &RequestMeta, what: &str, error: &dyn std::fmt::Display) -> Response {
    let request_id = meta.request_id.as_deref().unwrap_or("unknown");
    tracing::error!(%request_id, %error, "{what}");
    plain_text(StatusCode::SERVICE_UNAVAILABLE, &format!("{what} right now. This has been logged under request id {request_id}."))
}
