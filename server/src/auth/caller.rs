//! `Caller`: who is calling a script-facing route, and the request's id and address, as the
//! principal middleware left them in the request. One extractor instead of two optional
//! extensions unwrapped in every handler.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use domain::access::{Principal, RequestMeta};

/// The caller of a route: the principal, when signed in or holding a token, and the request's
/// metadata for the audit log.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub principal: Option<Principal>,
    pub meta: RequestMeta,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self {
            principal: parts.extensions.get::<Principal>().cloned(),
            meta: parts.extensions.get::<RequestMeta>().cloned().unwrap_or_default(),
        })
    }
}
