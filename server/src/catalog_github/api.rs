//! The two GitHub REST calls the catalog makes (an organisation's repositories, and the contents
//! of a path in one, a file or a folder), both conditional: an `If-None-Match` with the
//! last `ETag` is answered `304 Not Modified`, which GitHub does not charge to the rate limit.
//! Calls are not retried here: a failed refresh keeps what was read before and the next one
//! tries again, and while a rate limit lasts the client makes no call at all.

use secrecy::SecretString;
use serde::Deserialize;

use github_api::{Conditional, GithubApi, GithubError, encode};

/// Where the token is configured, for GitHub's refusals of it.
const TOKEN_SETTING: &str = "catalog.github.token";

/// What a conditional request found.
pub(super) enum Fetched<T> {
    /// The `ETag` still matches: what was read before stands.
    Unchanged,
    Fresh { etag: Option<String>, value: T },
    /// 404: no such file, repository or organisation.
    Missing,
}

/// What a conditional read found, a 404 included, with the next page of a listing.
fn fetched<T>(read: Result<Conditional<T>, GithubError>) -> Result<Fetched<(T, Option<String>)>, GithubError> {
    match read {
        Ok(Conditional::Fresh { value, etag, next }) => Ok(Fetched::Fresh { etag, value: (value, next) }),
        Ok(Conditional::Unchanged) => Ok(Fetched::Unchanged),
        Err(GithubError::NotFound(_)) => Ok(Fetched::Missing),
        Err(error) => Err(error),
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
#[derive(Clone, Debug, Deserialize)]
pub(super) struct FileBody {
    #[serde(rename = "type")]
    pub kind: String,
    pub size: u64,
    pub encoding: Option<String>,
    pub content: Option<String>,
}

/// One entry of a folder, as the contents endpoint lists it.
#[derive(Clone, Debug, Deserialize)]
pub(super) struct Entry {
    pub name: String,
    /// `file`, `dir`, `symlink` or `submodule`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// What a path of a repository's default branch holds.
#[derive(Clone, Debug)]
pub(super) enum Contents {
    File(FileBody),
    Folder(Vec<Entry>),
}

/// The catalog's GitHub client: one organisation.
#[derive(Clone)]
pub(super) struct Api {
    github: GithubApi,
    org: String,
}

impl Api {
    pub(super) fn new(api_url: &url::Url, token: &SecretString, org: &str) -> anyhow::Result<Self> {
        Ok(Self { github: GithubApi::new(api_url, token.clone(), TOKEN_SETTING)?, org: org.to_owned() })
    }

    /// The listing's first page: every type of repository, 100 to a page (GitHub's maximum).
    pub(super) fn first_page(&self) -> String {
        format!("/orgs/{}/repos?type=all&per_page=100", encode(&self.org))
    }

    /// One page of the organisation's repositories.
    pub(super) async fn list_page(&self, page: &str, etag: Option<&str>) -> Result<Fetched<RepoPage>, GithubError> {
        Ok(match fetched(self.github.get_conditional(page, etag).await)? {
            Fetched::Fresh { etag, value: (repos, next) } => Fetched::Fresh { etag, value: RepoPage { repos, next } },
            Fetched::Unchanged => Fetched::Unchanged,
            Fetched::Missing => Fetched::Missing,
        })
    }

    /// What `path` (relative to the root, `/`-separated, without `.` or `..`) holds on
    /// `repo`'s default branch: a file, or a folder's entries.
    pub(super) async fn read(&self, repo: &str, path: &str, etag: Option<&str>) -> Result<Fetched<Contents>, GithubError> {
        let path = path.split('/').filter(|s| !s.is_empty()).map(encode).collect::<Vec<_>>().join("/");
        let path = format!("/repos/{}/{}/contents/{path}", encode(&self.org), encode(repo));
        let (value, etag) = match fetched(self.github.get_conditional::<serde_json::Value>(&path, etag).await)? {
            Fetched::Fresh { etag, value: (value, _) } => (value, etag),
            Fetched::Unchanged => return Ok(Fetched::Unchanged),
            Fetched::Missing => return Ok(Fetched::Missing),
        };
        let unreadable = |e: serde_json::Error| GithubError::Unreadable(e.to_string());
        let value = if value.is_array() {
            Contents::Folder(serde_json::from_value(value).map_err(unreadable)?)
        } else {
            Contents::File(serde_json::from_value(value).map_err(unreadable)?)
        };
        Ok(Fetched::Fresh { etag, value })
    }
}
