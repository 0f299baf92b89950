//! `POST /webhooks/github`: the organisation's webhook says a repository was pushed to,
//! created, deleted, archived, renamed or transferred ([`events`]), and the catalog reads that
//! one repository again (or drops it) at once instead of at the next periodic check.
//!
//! Anyone can reach this URL, so a delivery only counts when its `X-Hub-Signature-256` is the
//! HMAC-SHA256 of its exact body under the configured secret. Refusals are counted (the problems
//! page shows the count) and logged without the signature or the body.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use self::events::Meaning;
use super::AppState;
use crate::catalog_github::RepositoryChange;
use crate::catalog_refresh::Outcome;

mod events;

/// Push payloads are a few kilobytes; GitHub lists at most 20 commits in one.
const MAX_BODY: usize = 1024 * 1024;
/// GitHub gives up on a delivery after 10 seconds. Reading one repository takes far less;
/// should it not, the answer goes out and the read finishes on its own.
const WAIT_FOR_READ: Duration = Duration::from_secs(5);

/// The route, with its body limit (413 beyond it).
pub fn route() -> MethodRouter<AppState> {
    post(receive).layer(DefaultBodyLimit::max(MAX_BODY))
}

async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let delivery = header_text(&headers, "x-github-delivery");
    let event = header_text(&headers, "x-github-event");
    let Some(github) = state.catalog.github() else {
        tracing::warn!(%delivery, %event, "GitHub webhook delivery refused: catalog.github is not configured");
        return (StatusCode::NOT_FOUND, "No GitHub catalog is configured.").into_response();
    };
    let signature = headers.get("x-hub-signature-256").and_then(|value| value.to_str().ok());
    if let Err(reason) = verify(github.webhook_secret(), signature, &body) {
        github.refuse_delivery();
        tracing::warn!(%delivery, %event, reason, "GitHub webhook delivery refused");
        return (StatusCode::UNAUTHORIZED, "The delivery's signature is missing or wrong.").into_response();
    }
    match event.as_str() {
        "ping" => {
            tracing::info!(%delivery, "GitHub webhook ping");
            (StatusCode::OK, "pong").into_response()
        }
        "push" | "repository" => {
            let org = github.org();
            let meaning = if event == "push" { events::push(org, &body) } else { events::repository(org, &body) };
            match meaning {
                Some(Meaning::Change { change, commit }) => apply(&state, &delivery, change, commit).await,
                Some(Meaning::Ignored(why)) => {
                    tracing::info!(%delivery, %event, why, "GitHub webhook delivery changes nothing");
                    (StatusCode::ACCEPTED, format!("Ignored: {why}.")).into_response()
                }
                None => {
                    tracing::warn!(%delivery, %event, "GitHub webhook delivery is not its event's JSON");
                    (StatusCode::BAD_REQUEST, "Not the JSON of its event.").into_response()
                }
            }
        }
        _ => {
            tracing::info!(%delivery, %event, "GitHub webhook event ignored");
            (StatusCode::ACCEPTED, "Ignored: only pushes and repository events change the catalog.").into_response()
        }
    }
}

/// Applies one repository's change to the catalog, waiting a little for it to be stored.
async fn apply(state: &AppState, delivery: &str, change: RepositoryChange, commit: Option<String>) -> Response {
    let catalog = state.catalog.clone();
    tracing::info!(%delivery, ?change, "reading a repository again after a webhook delivery");
    let read = tokio::spawn(async move { catalog.refresh_repository(&change, commit).await });
    match tokio::time::timeout(WAIT_FOR_READ, read).await {
        Ok(Ok(Ok(outcome))) => tracing::info!(%delivery, changed = outcome == Outcome::Replaced, "repository read"),
        Ok(Ok(Err(error))) => tracing::error!(%delivery, %error, "the catalog could not be stored after a webhook delivery"),
        Ok(Err(error)) => tracing::error!(%delivery, %error, "the read after a webhook delivery stopped"),
        Err(_) => tracing::info!(%delivery, "the read after a webhook delivery goes on after the answer"),
    }
    (StatusCode::ACCEPTED, "Accepted.").into_response()
}

/// Checks `sha256=<hex>` against the body's HMAC-SHA256 under `secret`, in constant time. The
/// error says why, for the log; it never holds the signature.
fn verify(secret: Option<&SecretString>, signature: Option<&str>, body: &[u8]) -> Result<(), &'static str> {
    let secret = secret.map(|secret| secret.expose_secret()).filter(|secret| !secret.is_empty());
    let secret = secret.ok_or("catalog.github.webhook_secret is not configured")?;
    let signature = signature.ok_or("no X-Hub-Signature-256 header")?;
    let given = signature.strip_prefix("sha256=").and_then(|hex| hex::decode(hex).ok());
    let given = given.ok_or("X-Hub-Signature-256 is not sha256=<hex>")?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|_| "the secret cannot key an HMAC")?;
    mac.update(body);
    let expected = mac.finalize().into_bytes();
    if bool::from(expected.as_slice().ct_eq(&given)) { Ok(()) } else { Err("the signature does not match the body") }
}

/// A header's value for the log: the characters GitHub's ids and event names use, at most 64,
/// so an unsigned delivery cannot write arbitrary text into the log.
fn header_text(headers: &HeaderMap, name: &str) -> String {
    let value = headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or("-");
    value.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::verify;
    use secrecy::SecretString;

    /// The example in GitHub's documentation on validating webhook deliveries.
    const SECRET: &str = "It's a Secret to Everybody";
    const BODY: &[u8] = b"Hello, World!";
    const SIGNATURE: &str = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    #[test]
    fn githubs_documented_signature_verifies() {
        let secret = SecretString::from(SECRET);
        assert_eq!(verify(Some(&secret), Some(SIGNATURE), BODY), Ok(()));
    }

    #[test]
    fn anything_else_is_refused() {
        let secret = SecretString::from(SECRET);
        let other_body = verify(Some(&secret), Some(SIGNATURE), b"Hello, World?");
        assert_eq!(other_body, Err("the signature does not match the body"));
        assert!(verify(Some(&secret), None, BODY).is_err());
        assert!(verify(Some(&secret), Some(&SIGNATURE.replace("sha256=", "sha1=")), BODY).is_err());
        assert!(verify(Some(&secret), Some(&SIGNATURE[..20]), BODY).is_err());
        assert!(verify(None, Some(SIGNATURE), BODY).is_err());
        assert!(verify(Some(&SecretString::from("")), Some(SIGNATURE), BODY).is_err());
    }
}
