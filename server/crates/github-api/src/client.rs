//! The one GitHub REST client: one octocrab set-up (timeouts, no retries, the API version
//! pinned), one reading of refusals ([`super::error`]), conditional requests, pagination that
//! never sends the token to another host, and a pause that keeps every call made with the
//! token away from GitHub while a rate limit lasts.
//!
//! Answers are read as text and parsed into the callers' own small structs: octocrab's typed
//! models require fields the portal never reads, and one missing field would fail a whole
//! answer. Calls are never retried here: a retry at once is what GitHub's limits punish, and a
//! POST must not be sent twice. Callers decide when to look again.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context as _;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use octocrab::Octocrab;
use octocrab::service::middleware::retry::RetryConfig;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use url::Url;

use super::error::{GithubError, classify, message_of};

/// How long GitHub may take to accept a connection, and then to send each part of an answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The REST API version every call asks for, so that an octocrab upgrade cannot change it.
pub const API_VERSION: &str = "2022-11-28";
const VERSION_HEADER: HeaderName = HeaderName::from_static("x-github-api-version");

/// What a conditional GET found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conditional<T> {
    /// `304 Not Modified`: the `ETag` still matches, and GitHub charged nothing for asking.
    Unchanged,
    /// A new answer, its `ETag` for the next ask, and the next page when it is one of several.
    Fresh { value: T, etag: Option<String>, next: Option<String> },
}

/// The items of a paginated listing, and whether every page was read.
#[derive(Clone, Debug)]
pub struct Pages<T> {
    pub items: Vec<T>,
    /// `false`: there were more pages than the caller allowed.
    pub complete: bool,
}

/// A client of one GitHub API (`https://api.github.com`, or a GitHub Enterprise Server's
/// `https://HOST/api/v3`) acting with one token. Clones share the rate-limit pause.
#[derive(Clone)]
pub struct GithubApi {
    client: Octocrab,
    /// Only to scrub it from error text, should a transport error ever echo a header.
    token: SecretString,
    /// The configuration key the token comes from, named when GitHub refuses it.
    setting: &'static str,
    /// Until when GitHub asked this token's calls to stop.
    paused_until: Arc<Mutex<Option<Instant>>>,
}

/// A successful answer, before its body is parsed.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl GithubApi {
    /// A client of the API at `api_url` acting with `token`, configured under `setting`.
    pub fn new(api_url: &Url, token: SecretString, setting: &'static str) -> anyhow::Result<Self> {
        let client = Octocrab::builder()
            .base_uri(api_url.as_str())
            .with_context(|| format!("the GitHub API address {api_url}"))?
            .personal_token(token.clone())
            .set_connect_timeout(Some(TIMEOUT))
            .set_read_timeout(Some(TIMEOUT))
            .add_retry_config(RetryConfig::None)
            .build()
            .context("building the GitHub client")?;
        Ok(Self { client, token, setting, paused_until: Arc::default() })
    }

    /// A GET whose answer is JSON of type `T`.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, GithubError> {
        Ok(self.get_with_headers(path).await?.1)
    }

    /// [`Self::get`], with the answer's headers (`x-oauth-scopes`, `link`).
    pub async fn get_with_headers<T: DeserializeOwned>(&self, path: &str) -> Result<(HeaderMap, T), GithubError> {
        let answer = self.send(Method::GET, path, None, None).await?;
        Ok((answer.headers, parse(&answer.text)?))
    }

    /// A GET with `If-None-Match` when there is an `ETag`.
    pub async fn get_conditional<T: DeserializeOwned>(&self, path: &str, etag: Option<&str>) -> Result<Conditional<T>, GithubError> {
        let answer = self.send(Method::GET, path, etag, None).await?;
        if answer.status == StatusCode::NOT_MODIFIED {
            return Ok(Conditional::Unchanged);
        }
        let etag = answer.headers.get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let next = next_link(&answer.headers);
        Ok(Conditional::Fresh { value: parse(&answer.text)?, etag, next })
    }

    /// A POST of `body` as JSON; the answer's body, empty for `204 No Content`.
    pub async fn post(&self, path: &str, body: &serde_json::Value) -> Result<String, GithubError> {
        Ok(self.send(Method::POST, path, None, Some(body)).await?.text)
    }

    /// Every item of a listing that starts at `first` (which should ask for `per_page=100`),
    /// following `Link: rel="next"` for at most `max_pages` pages.
    pub async fn pages<T: DeserializeOwned>(&self, first: &str, max_pages: u32) -> Result<Pages<T>, GithubError> {
        let mut items = Vec::new();
        let mut next = Some(first.to_owned());
        for _ in 0..max_pages {
            let Some(page) = next.take() else { break };
            let answer = self.send(Method::GET, &page, None, None).await?;
            items.extend(parse::<Vec<T>>(&answer.text)?);
            next = next_link(&answer.headers);
        }
        Ok(Pages { items, complete: next.is_none() })
    }

    /// How long calls are held back by a rate limit, if they are.
    pub fn paused_for(&self) -> Option<Duration> {
        let until = (*self.paused_until.lock().unwrap_or_else(PoisonError::into_inner))?;
        until.checked_duration_since(Instant::now()).filter(|left| !left.is_zero())
    }

    /// One call: the answer when it is a success or a `304`, else what the refusal means.
    async fn send(&self, method: Method, path: &str, etag: Option<&str>, body: Option<&serde_json::Value>) -> Result<Answer, GithubError> {
        if let Some(left) = self.paused_for() {
            let message = "waiting, as GitHub asked, before calling it again".to_owned();
            return Err(GithubError::RateLimited { message, retry_after: left });
        }
        let builder = http::Request::builder().method(method).uri(path);
        let mut request = self.client.build_request(builder, body).map_err(|e| GithubError::Invalid(self.describe(&e)))?;
        let headers = request.headers_mut();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/vnd.github+json"));
        // Replaces the version octocrab adds, so the request carries exactly this one.
        headers.insert(VERSION_HEADER, HeaderValue::from_static(API_VERSION));
        if let Some(value) = etag.and_then(|etag| HeaderValue::from_str(etag).ok()) {
            headers.insert(header::IF_NONE_MATCH, value);
        }
        let response = self.client.execute(request).await.map_err(|e| GithubError::Unreachable(self.describe(&e)))?;
        let (status, headers) = (response.status(), response.headers().clone());
        let text = self.client.body_to_string(response).await;
        if status.is_success() || status == StatusCode::NOT_MODIFIED {
            let text = text.map_err(|e| GithubError::Unreachable(self.describe(&e)))?;
            return Ok(Answer { status, headers, text });
        }
        let message = self.scrub(message_of(status, &text.unwrap_or_default()));
        let now = u64::try_from(domain::clock::now_seconds()).unwrap_or(0);
        let refusal = classify(status, &headers, message, self.setting, now);
        if let Some(wait) = refusal.retry_after() {
            tracing::warn!(%status, wait_seconds = wait.as_secs(), setting = self.setting, "GitHub's rate limit: holding calls back");
            *self.paused_until.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now() + wait);
        }
        Err(refusal)
    }

    /// An error and its causes on one line, without the token.
    fn describe(&self, error: &(dyn std::error::Error + 'static)) -> String {
        self.scrub(domain::error_text::error_chain(error))
    }

    fn scrub(&self, text: String) -> String {
        let token = self.token.expose_secret();
        if token.is_empty() { text } else { text.replace(token, "[token]") }
    }
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, GithubError> {
    serde_json::from_str(text).map_err(|e| GithubError::Unreadable(e.to_string()))
}

/// The `rel="next"` page of a `Link` header, as a path and query only: the token is never sent
/// to a host other than the configured one, and a GitHub Enterprise Server behind another name
/// or port is still asked for page two at the address the portal knows.
fn next_link(headers: &HeaderMap) -> Option<String> {
    let link = headers.get(header::LINK)?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params.split(';').any(|param| param.trim().replace(' ', "") == "rel=\"next\"");
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        let uri: Uri = target.parse().ok()?;
        is_next.then(|| uri.path_and_query().map(|p| p.as_str().to_owned())).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::LINK, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_next_page_is_followed_by_path_only() {
        let both = link(
            "<https://ghe.internal/api/v3/organizations/1/repos?per_page=100&page=2>; rel=\"next\", \
             <https://ghe.internal/api/v3/organizations/1/repos?per_page=100&page=5>; rel=\"last\"",
        );
        assert_eq!(next_link(&both).as_deref(), Some("/api/v3/organizations/1/repos?per_page=100&page=2"));
        let last = link("<https://api.github.com/x?page=1>; rel=\"prev\", <https://api.github.com/x?page=1>; rel=\"first\"");
        assert_eq!(next_link(&last), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }
}
