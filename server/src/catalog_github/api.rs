//! The two GitHub REST calls the catalog makes, both conditional: an `If-None-Match` with the
//! last `ETag` is answered `304 Not Modified`, which GitHub does not charge to the rate limit.
//! Calls are not retried here: a failed refresh keeps what was read before and the next one
//! tries again, which is gentler on a rate limit than retrying at once.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use octocrab::Octocrab;
use octocrab::service::middleware::retry::RetryConfig;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// How long GitHub may take to accept a connection, and then to send each part of an answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// What a conditional request found.
pub(super) enum Fetched<T> {
    /// The `ETag` still matches: what was read before stands.
    Unchanged,
    Fresh { etag: Option<String>, value: T },
    /// 404: no such file (or repository).
    Missing,
}

/// Why GitHub could not be read. Messages never carry the token.
#[derive(Debug, thiserror::Error)]
pub(super) enum Failure {
    #[error("GitHub could not be reached: {0}")]
    Unreachable(String),
    #[error("GitHub refused the token: {0} (401); check catalog.github.token")]
    Unauthorized(String),
    #[error("the GitHub rate limit is spent ({0}); reading resumes once it is reset")]
    RateLimited(String),
    #[error("GitHub answered {status}: {message}")]
    Status { status: u16, message: String },
    #[error("GitHub's answer could not be read: {0}")]
    Invalid(String),
}

impl Failure {
    /// Failures that concern every repository alike, so reading the others is pointless.
    pub(super) fn is_general(&self) -> bool {
        matches!(self, Self::Unreachable(_) | Self::Unauthorized(_) | Self::RateLimited(_))
    }
}

/// A repository as the organisation's listing shows it; the other fields are ignored.
#[derive(Clone, Debug, Deserialize)]
pub(super) struct RepoSummary {
    /// GitHub's numeric id: it grows with each repository created, so it orders repositories
    /// by age, which a newcomer cannot change.
    #[serde(default)]
    pub id: u64,
    pub name: String,
    #[serde(default)]
    pub archived: bool,
}

/// One page of the listing and where the next one is.
#[derive(Clone, Debug)]
pub(super) struct RepoPage {
    pub repos: Vec<RepoSummary>,
    pub next: Option<String>,
}

/// A file as the contents endpoint describes it, before its content is decoded.
#[derive(Debug, Deserialize)]
pub(super) struct FileBody {
    #[serde(rename = "type")]
    pub kind: String,
    pub size: u64,
    pub encoding: Option<String>,
    pub content: Option<String>,
}

/// The catalog's GitHub client: one organisation, one file per repository.
#[derive(Clone)]
pub(super) struct Api {
    client: Octocrab,
    org: String,
    /// The file's path, each segment percent-encoded.
    file_path: String,
    /// Only to scrub it from error text, should a transport error ever echo a header.
    token: SecretString,
}

impl Api {
    pub(super) fn new(api_url: &url::Url, token: &SecretString, org: &str, file: &str) -> Result<Self, octocrab::Error> {
        let client = Octocrab::builder()
            .base_uri(api_url.as_str())?
            .personal_token(token.clone())
            .set_connect_timeout(Some(TIMEOUT))
            .set_read_timeout(Some(TIMEOUT))
            .add_retry_config(RetryConfig::None)
            .build()?;
        let file_path = file.split('/').filter(|s| !s.is_empty()).map(encode).collect::<Vec<_>>().join("/");
        Ok(Self { client, org: org.to_owned(), file_path, token: token.clone() })
    }

    /// The listing's first page: every type of repository, 100 to a page (GitHub's maximum).
    pub(super) fn first_page(&self) -> String {
        format!("/orgs/{}/repos?type=all&per_page=100", encode(&self.org))
    }

    /// One page of the organisation's repositories.
    pub(super) async fn list_page(&self, page: &str, etag: Option<&str>) -> Result<Fetched<RepoPage>, Failure> {
        let Some((headers, text)) = self.get(page, etag).await? else { return Ok(Fetched::Unchanged) };
        let repos = serde_json::from_str(&text).map_err(|e| Failure::Invalid(e.to_string()))?;
        let next = headers.get(header::LINK).and_then(|link| link.to_str().ok()).and_then(next_link);
        Ok(Fetched::Fresh { etag: etag_of(&headers), value: RepoPage { repos, next } })
    }

    /// The catalog file at the root of `repo`'s default branch.
    pub(super) async fn read_file(&self, repo: &str, etag: Option<&str>) -> Result<Fetched<FileBody>, Failure> {
        let path = format!("/repos/{}/{}/contents/{}", encode(&self.org), encode(repo), self.file_path);
        let (headers, text) = match self.get(&path, etag).await {
            Ok(Some(found)) => found,
            Ok(None) => return Ok(Fetched::Unchanged),
            Err(Failure::Status { status: 404, .. }) => return Ok(Fetched::Missing),
            Err(failure) => return Err(failure),
        };
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| Failure::Invalid(e.to_string()))?;
        if value.is_array() {
            return Err(Failure::Invalid("it is a folder, not a file".to_owned()));
        }
        let value = serde_json::from_value(value).map_err(|e| Failure::Invalid(e.to_string()))?;
        Ok(Fetched::Fresh { etag: etag_of(&headers), value })
    }

    /// A GET with `If-None-Match` when there is an `ETag`: the headers and body of a success,
    /// `None` for `304 Not Modified`, else what went wrong.
    async fn get(&self, path: &str, etag: Option<&str>) -> Result<Option<(HeaderMap, String)>, Failure> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/vnd.github+json"));
        if let Some(value) = etag.and_then(|etag| HeaderValue::from_str(etag).ok()) {
            headers.insert(header::IF_NONE_MATCH, value);
        }
        let response = self.client._get_with_headers(path, Some(headers)).await.map_err(|e| Failure::Unreachable(self.describe(&e)))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        if status.is_success() {
            let headers = response.headers().clone();
            let text = self.client.body_to_string(response).await.map_err(|e| Failure::Invalid(self.describe(&e)))?;
            return Ok(Some((headers, text)));
        }
        let rate_limited = response.headers().get("x-ratelimit-remaining").is_some_and(|v| v == "0")
            || status == StatusCode::TOO_MANY_REQUESTS;
        let text = self.client.body_to_string(response).await.unwrap_or_default();
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|body| body.get("message").and_then(|m| m.as_str()).map(str::to_owned))
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("no message").to_owned());
        let message = self.scrub(message.chars().take(200).collect());
        Err(match status.as_u16() {
            401 => Failure::Unauthorized(message),
            403 | 429 if rate_limited => Failure::RateLimited(message),
            status => Failure::Status { status, message },
        })
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

/// The `rel="next"` page of a `Link` header, as a path: the token is never sent to a host
/// other than the configured one.
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params.split(';').any(|param| param.trim().replace(' ', "") == "rel=\"next\"");
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        let uri: Uri = target.parse().ok()?;
        is_next.then(|| uri.path_and_query().map(|p| p.as_str().to_owned())).flatten()
    })
}

fn etag_of(headers: &HeaderMap) -> Option<String> {
    headers.get(header::ETAG).and_then(|value| value.to_str().ok()).map(str::to_owned)
}

/// Percent-encodes one path segment (a repository or file name) for a URL.
fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(byte).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{encode, next_link};

    #[test]
    fn the_next_page_is_followed_by_path_only() {
        let link = "<https://api.github.com/organizations/1/repos?per_page=100&page=2>; rel=\"next\", \
                    <https://api.github.com/organizations/1/repos?per_page=100&page=5>; rel=\"last\"";
        assert_eq!(next_link(link).as_deref(), Some("/organizations/1/repos?per_page=100&page=2"));
        let last = "<https://api.github.com/x?page=1>; rel=\"prev\", <https://api.github.com/x?page=1>; rel=\"first\"";
        assert_eq!(next_link(last), None);
    }

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(encode("catalog-info.yaml"), "catalog-info.yaml");
        assert_eq!(encode("a b/c?d"), "a%20b%2Fc%3Fd");
    }
}
