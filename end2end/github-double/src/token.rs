//! The server half of GitHub's OAuth web flow: `POST /login/oauth/access_token`.
//!
//! Behaviour copied from github.com on purpose, including its quirks: it answers HTTP 200
//! even for errors, and answers form-urlencoded unless the request accepts JSON.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use crate::oauth::{DOCS, Params, param, parse};
use crate::{AppState, lock};

/// GitHub's authorization codes expire ten minutes after they are issued.
const CODE_LIFETIME: Duration = Duration::from_secs(600);

/// The errors GitHub's token endpoint reports, with its exact codes and descriptions.
enum TokenError {
    IncorrectClientCredentials,
    RedirectUriMismatch,
    BadVerificationCode,
}

impl TokenError {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let (code, description, uri) = match self {
            Self::IncorrectClientCredentials => (
                "incorrect_client_credentials",
                "The client_id and/or client_secret passed are incorrect.",
                "troubleshooting-oauth-app-access-token-request-errors/#incorrect-client-credentials",
            ),
            Self::RedirectUriMismatch => (
                "redirect_uri_mismatch",
                "The redirect_uri MUST match the registered callback URL for this application.",
                "troubleshooting-authorization-request-errors/#redirect-uri-mismatch2",
            ),
            Self::BadVerificationCode => (
                "bad_verification_code",
                "The code passed is incorrect or expired.",
                "troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code",
            ),
        };
        vec![
            ("error", code.to_owned()),
            ("error_description", description.to_owned()),
            ("error_uri", format!("{DOCS}/{uri}")),
        ]
    }
}

/// `POST /login/oauth/access_token`: exchanges a code for a `gho_` token.
pub(crate) async fn access_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    state.token_requests.fetch_add(1, Ordering::SeqCst);
    // GitHub takes parameters from the query string as well as the body; the body comes
    // first so that it wins when both carry one.
    let mut params = parse(query.unwrap_or_default().as_bytes());
    params.splice(0..0, parse(&body));
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"));
    let reply = match exchange(&state, &headers, &params) {
        Ok(pairs) => pairs,
        Err(error) => error.pairs(),
    };
    // Errors too are HTTP 200: that is what github.com does.
    if wants_json {
        let object: serde_json::Map<String, serde_json::Value> = reply
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value.into()))
            .collect();
        let content_type = [(header::CONTENT_TYPE, "application/json; charset=utf-8")];
        (
            StatusCode::OK,
            content_type,
            serde_json::Value::Object(object).to_string(),
        )
            .into_response()
    } else {
        let form = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(reply)
            .finish();
        let content_type = [(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=utf-8",
        )];
        (StatusCode::OK, content_type, form).into_response()
    }
}

fn exchange(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
) -> Result<Vec<(&'static str, String)>, TokenError> {
    let (client_id, client_secret) = basic_credentials(headers).unwrap_or_else(|| {
        let get = |name| param(params, name).unwrap_or_default().to_owned();
        (get("client_id"), get("client_secret"))
    });
    if client_id != state.config.client_id || client_secret != state.config.client_secret {
        return Err(TokenError::IncorrectClientCredentials);
    }
    // Taken out of the map whatever happens next: a code is good for one attempt only.
    let grant = param(params, "code").and_then(|code| lock(&state.codes).remove(code));
    let grant = grant
        .filter(|grant| grant.client_id == client_id && grant.issued.elapsed() < CODE_LIFETIME)
        .ok_or(TokenError::BadVerificationCode)?;
    if param(params, "redirect_uri").is_some_and(|uri| uri != grant.redirect_uri) {
        return Err(TokenError::RedirectUriMismatch);
    }
    if let Some(challenge) = &grant.code_challenge {
        let verifier = param(params, "code_verifier").ok_or(TokenError::BadVerificationCode)?;
        if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != *challenge {
            return Err(TokenError::BadVerificationCode);
        }
    }
    let token = state.issue_token(grant.user_id, &grant.scope);
    Ok(vec![
        ("access_token", token),
        ("token_type", "bearer".to_owned()),
        ("scope", grant.scope),
    ])
}

/// Client credentials from `Authorization: Basic`, which the oauth2 crate sends by default.
/// RFC 6749 §2.3.1 has each half form-urlencoded before base64, so decode them again.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |part: &str| {
        percent_encoding::percent_decode_str(&part.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    Some((unescape(id), unescape(secret)))
}
