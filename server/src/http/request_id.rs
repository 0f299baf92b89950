//! Every request gets an id of the portal's own making: it goes into the audit log, where a
//! client must not be able to choose what an event's request id says. An id a proxy or client
//! sent is kept beside it, as `x-client-request-id`, and logged with the request.

use axum::extract::Request;
use axum::http::HeaderName;
use axum::middleware::Next;
use axum::response::Response;

pub const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("x-client-request-id");

/// Moves an incoming `x-request-id` to `x-client-request-id`, so the next layer makes a new one.
pub async fn own_request_id(mut request: Request, next: Next) -> Response {
    if let Some(sent) = request.headers_mut().remove("x-request-id") {
        request.headers_mut().insert(CLIENT_REQUEST_ID, sent);
    }
    next.run(request).await
}
