//! The GitHub REST calls of the actions engine, through octocrab's plain request methods: its
//! typed `Run` and `Job` models require fields (the whole repository, the head commit) that
//! the engine never reads, and one missing field would fail a whole answer. The answers are
//! read into the small structs of `wire` instead. Calls are not retried here: the engine polls
//! runs again anyway, and a dispatch must not be sent twice.

use std::time::Duration;

use anyhow::Context as _;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use octocrab::Octocrab;
use octocrab::service::middleware::retry::RetryConfig;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use super::GithubActionsError;

/// How long GitHub may take to accept a connection, and then to send each part of an answer.
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub(super) struct Api {
    client: Octocrab,
    /// Only to scrub it from error text, should a transport error ever echo a header.
    token: SecretString,
}

impl Api {
    pub(super) fn new(api_url: &str, token: SecretString) -> anyhow::Result<Self> {
        let url = url::Url::parse(api_url).with_context(|| format!("the GitHub API address {api_url:?} is not a URL"))?;
        let client = Octocrab::builder()
            .base_uri(url.as_str())
            .context("the GitHub API address")?
            .personal_token(token.clone())
            .set_connect_timeout(Some(TIMEOUT))
            .set_read_timeout(Some(TIMEOUT))
            .add_retry_config(RetryConfig::None)
            .build()
            .context("building the GitHub client")?;
        Ok(Self { client, token })
    }

    /// A GET whose answer is JSON of type `T`.
    pub(super) async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, GithubActionsError> {
        let response = self.client._get_with_headers(path, Some(accept())).await.map_err(|e| self.unreachable(&e))?;
        let (status, headers) = (response.status(), response.headers().clone());
        let text = self.answer(status, &headers, self.client.body_to_string(response).await)?;
        serde_json::from_str(&text).map_err(|e| unreadable(&e))
    }

    /// A POST of `body` as JSON; the answer's body, empty for `204 No Content`.
    pub(super) async fn post(&self, path: &str, body: &serde_json::Value) -> Result<String, GithubActionsError> {
        let request = axum::http::Request::post(path).header(header::ACCEPT, "application/vnd.github+json");
        let request = self.client.build_request(request, Some(body)).map_err(|e| GithubActionsError::Invalid(self.describe(&e)))?;
        let response = self.client.execute(request).await.map_err(|e| self.unreachable(&e))?;
        let (status, headers) = (response.status(), response.headers().clone());
        self.answer(status, &headers, self.client.body_to_string(response).await)
    }

    /// The body of a successful answer, or what the refusal means.
    fn answer(&self, status: StatusCode, headers: &HeaderMap, text: Result<String, octocrab::Error>) -> Result<String, GithubActionsError> {
        if status.is_success() {
            return text.map_err(|e| self.unreachable(&e));
        }
        Err(self.refusal(status, headers, &text.unwrap_or_default()))
    }

    fn unreachable(&self, error: &octocrab::Error) -> GithubActionsError {
        GithubActionsError::Unreachable(self.describe(error))
    }

    fn refusal(&self, status: StatusCode, headers: &HeaderMap, text: &str) -> GithubActionsError {
        let message = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|body| body.get("message").and_then(|m| m.as_str()).map(str::to_owned))
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("no message").to_owned());
        let message = self.scrub(message.chars().take(300).collect());
        // GitHub signals both its primary limit (remaining 0) and its secondary limit (the
        // message says so) with 403 as well as 429.
        let rate_limited = status == StatusCode::TOO_MANY_REQUESTS
            || headers.get("x-ratelimit-remaining").is_some_and(|v| v == "0")
            || message.to_ascii_lowercase().contains("secondary rate limit");
        match status.as_u16() {
            401 => GithubActionsError::Unauthorized,
            403 | 429 if rate_limited => GithubActionsError::RateLimited,
            404 => GithubActionsError::NotFound(message),
            422 => GithubActionsError::Invalid(message),
            status => GithubActionsError::Status { status, message },
        }
    }

    /// An error and its causes on one line, without the token.
    fn describe(&self, error: &(dyn std::error::Error + 'static)) -> String {
        self.scrub(crate::error_text::error_chain(error))
    }

    fn scrub(&self, text: String) -> String {
        let token = self.token.expose_secret();
        if token.is_empty() { text } else { text.replace(token, "[token]") }
    }
}

fn accept() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(header::ACCEPT, HeaderValue::from_static("application/vnd.github+json"));
    headers
}

/// A success whose body is not what GitHub documents: reported with the status GitHub sent.
fn unreadable(error: &serde_json::Error) -> GithubActionsError {
    GithubActionsError::Status { status: 200, message: format!("the answer could not be read: {error}") }
}

/// Percent-encodes one path or query segment (a repository, workflow file or branch name).
pub(super) fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(byte).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}
