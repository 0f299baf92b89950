//! Refuses cross-site writes: a POST (or any unsafe method) whose `Origin` is neither the
//! portal's public URL nor, on a loopback address, the host it was sent to. Browsers always
//! send `Origin` on cross-site POSTs; scripts with a token send none, and need no such check.
//!
//! Only a loopback host may stand in for the public URL: with DNS rebinding, a page of
//! `rebind.attacker.example` re-resolved to 127.0.0.1 sends `Origin` and `Host` that agree
//! with each other but name no address of the portal.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Auth;

pub async fn refuse_cross_site(State(auth): State<Arc<Auth>>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let cross_site = match origin {
        Some(origin) => !same_origin(origin, &auth.public_url, host),
        // Without Origin, browsers still say where a request came from in Sec-Fetch-Site.
        None => headers.get("sec-fetch-site").is_some_and(|site| site == "cross-site"),
    };
    if cross_site {
        tracing::warn!(origin = origin.unwrap_or("-"), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    next.run(request).await
}

fn same_origin(origin: &str, public_url: &url::Url, host: Option<&str>) -> bool {
    if origin == public_url.origin().ascii_serialization() {
        return true;
    }
    let authority = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    authority.is_some_and(|authority| Some(authority) == host && is_loopback(authority))
}

/// `127.0.0.1:3000`, `[::1]:3000`, `localhost:3000`.
fn is_loopback(authority: &str) -> bool {
    url::Url::parse(&format!("http://{authority}")).is_ok_and(|url| crate::config::is_loopback(&url))
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn only_the_public_origin_or_the_requested_host_is_same_site() {
        let public = url::Url::parse("https://portal.example.com").expect("url");
        assert!(same_origin("https://portal.example.com", &public, None));
        assert!(same_origin("http://127.0.0.1:3000", &public, Some("127.0.0.1:3000")));
        assert!(!same_origin("https://evil.example", &public, Some("portal.example.com")));
        assert!(!same_origin("null", &public, Some("portal.example.com")));
        assert!(same_origin("http://localhost:3000", &public, Some("localhost:3000")));
    }

    #[test]
    fn a_rebound_name_is_not_the_portal() {
        let demo = url::Url::parse("http://127.0.0.1:3000").expect("url");
        assert!(!same_origin("http://rebind.attacker.example:3000", &demo, Some("rebind.attacker.example:3000")));
    }
}
