//! Headers every answer carries: what browsers may do with the page, and that pages (which show
//! personal data, and once a new token's secret) are never kept in a cache.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Scripts, styles and connections from the portal itself only. Leptos hydrates from an inline
/// script and the WASM needs compiling, hence `'unsafe-inline'` and `'wasm-unsafe-eval'`; no
/// framing, no plugins, no `<base>` pointing elsewhere. Avatars come from GitHub.
const CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
/// Two years, as browsers' preload lists ask: once a portal is served over HTTPS it stays so.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Whether the portal is served over HTTPS, which decides the `Strict-Transport-Security`.
#[derive(Clone, Copy)]
pub struct Https(pub bool);

pub async fn security_headers(State(Https(https)): State<Https>, request: Request, next: Next) -> Response {
    // The built site's files are named by content and the same for everyone: caching them is
    // what keeps a second page load light.
    let path = request.uri().path();
    let static_file = path.starts_with("/pkg/") || path == "/favicon.svg";
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    if !static_file && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
