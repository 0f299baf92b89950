//! From versions to commits: the [`CodeHistory`] port (what a repository's history can answer:
//! a tag, a commit, a comparison), the rules that resolve a running version to a commit, and
//! what a service's delivery view shows (each environment's commit, and what a promotion from
//! one environment to the next would ship). GitHub and a local git repository both implement
//! the port; the rules and the view cannot tell them apart.

use serde::{Deserialize, Serialize};

use crate::future::BoxFuture;
use crate::runtime::GridCell;
use crate::runtime::version::is_digest;

/// The catalog annotation that names a service's repository (`owner/name`).
pub const REPOSITORY_ANNOTATION: &str = "github.com/project-slug";

/// How many commits a comparison lists; the count is always the whole number.
pub const COMMITS_LISTED: usize = 50;

/// One commit of a repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    /// The full SHA.
    pub sha: String,
    /// The first line of the message.
    pub summary: String,
    pub author: String,
    /// The author's time, in Unix seconds.
    pub at: i64,
    /// Where the commit can be seen, when the history has such a place.
    pub url: Option<String>,
}

impl Commit {
    /// The first seven characters of the SHA, as people write it.
    pub fn short_sha(&self) -> &str {
        self.sha.get(..7).unwrap_or(&self.sha)
    }
}

/// Why a repository's history could not answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CodeError {
    /// The history does not have this repository (none configured for it, or no access).
    #[error("the repository {0} is not available")]
    NoRepository(String),
    /// The history is failing or refusing for now (GitHub unreachable or rate-limited).
    #[error("{0}")]
    Unavailable(String),
}

/// The commits one commit has that another lacks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    /// `ahead_by` commits in `head` and not in `base` (the newest [`COMMITS_LISTED`] of them,
    /// newest first), and `behind_by` the other way round.
    Related { ahead_by: u32, behind_by: u32, commits: Vec<Commit> },
    /// The two commits share no history (a rewritten repository, another project).
    Unrelated,
}

/// What a repository's history can answer. `repository` is `owner/name`.
pub trait CodeHistory: Send + Sync {
    /// The commit the tag `tag` points at (an annotated tag followed to its commit), or `None`
    /// when the repository has no such tag.
    fn tag<'a>(&'a self, repository: &'a str, tag: &'a str) -> BoxFuture<'a, Result<Option<String>, CodeError>>;

    /// The commit with this full or abbreviated SHA, or `None` when the repository has none.
    fn commit<'a>(&'a self, repository: &'a str, sha: &'a str) -> BoxFuture<'a, Result<Option<Commit>, CodeError>>;

    /// The commits `head` has that `base` lacks, both given as full SHAs.
    fn compare<'a>(&'a self, repository: &'a str, base: &'a str, head: &'a str) -> BoxFuture<'a, Result<Comparison, CodeError>>;
}

/// Which rule found a version's commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", content = "name", rename_all = "snake_case")]
pub enum Rule {
    /// A tag of the repository with this name.
    Tag(String),
    /// The version is a commit SHA, or ends in git describe's `-g<sha>`.
    Sha,
}

/// What a running version is in the repository's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Resolution {
    Resolved { commit: Commit, rule: Rule },
    /// The runtime has not reported a version.
    NoVersion,
    /// An image digest names a build, not a commit.
    Digest,
    /// No tag and no commit of the repository matches; `tried` lists what was looked for.
    NotFound { tried: Vec<String> },
    /// The history could not be asked.
    Failed { reason: String },
}

impl Resolution {
    pub fn commit(&self) -> Option<&Commit> {
        match self {
            Self::Resolved { commit, .. } => Some(commit),
            _ => None,
        }
    }
}

/// One place to look for a version's commit, in the order the rules try them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Candidate {
    Tag(String),
    Sha(String),
}

/// Where the rules look for `version`, in order: a tag named exactly so, the same with a `v`
/// in front (`1.8.0` released as `v1.8.0`), then the version as a commit SHA (7 to 40 hex
/// digits), then the SHA at the end of a git describe version (`1.8.0-3-gabc1234`). A digest
/// has no candidates.
pub fn candidates(version: &str) -> Vec<Candidate> {
    if is_digest(version) || version.is_empty() {
        return Vec::new();
    }
    let mut found = vec![Candidate::Tag(version.to_owned())];
    if !version.starts_with('v') {
        found.push(Candidate::Tag(format!("v{version}")));
    }
    if is_sha(version) {
        found.push(Candidate::Sha(version.to_ascii_lowercase()));
    } else if let Some((_, tail)) = version.rsplit_once("-g")
        && is_sha(tail)
    {
        found.push(Candidate::Sha(tail.to_ascii_lowercase()));
    }
    found
}

/// 7 to 40 hexadecimal digits: a commit SHA, full or abbreviated.
pub fn is_sha(text: &str) -> bool {
    (7..=40).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Resolves `version` of `repository` by trying each candidate in turn.
pub async fn resolve(history: &dyn CodeHistory, repository: &str, version: Option<&str>) -> Resolution {
    let Some(version) = version else { return Resolution::NoVersion };
    if is_digest(version) {
        return Resolution::Digest;
    }
    let mut tried = Vec::new();
    for candidate in candidates(version) {
        let (sha, rule) = match candidate {
            Candidate::Tag(name) => match history.tag(repository, &name).await {
                Ok(Some(sha)) => (sha, Rule::Tag(name)),
                Ok(None) => {
                    tried.push(format!("tag {name}"));
                    continue;
                }
                Err(error) => return Resolution::Failed { reason: error.to_string() },
            },
            Candidate::Sha(sha) => (sha, Rule::Sha),
        };
        match history.commit(repository, &sha).await {
            Ok(Some(commit)) => return Resolution::Resolved { commit, rule },
            Ok(None) => tried.push(format!("commit {sha}")),
            Err(error) => return Resolution::Failed { reason: error.to_string() },
        }
    }
    Resolution::NotFound { tried }
}

/// One environment of a service and the commit it runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentCode {
    pub environment: String,
    pub production: bool,
    pub version: Option<String>,
    pub resolution: Resolution,
}

/// What promoting `from` to the next environment `to` would ship.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub from: String,
    pub to: String,
    pub shipment: Shipment,
}

/// The commits a promotion would bring.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Shipment {
    /// `from` runs commits `to` lacks: these would ship (`count` in all, the newest listed).
    /// `behind_by` counts the commits of `to` that `from` lacks, which a promotion would drop.
    Commits { count: u32, behind_by: u32, commits: Vec<Commit> },
    /// Both run the same commit, or `from` has nothing `to` lacks.
    Nothing { behind_by: u32 },
    /// The two commits share no history.
    Unrelated,
    /// One side's commit is not known (see its resolution).
    Unknown,
    Failed { reason: String },
}

/// A service's way from code to production.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ServiceDelivery {
    /// The service names no repository (no `github.com/project-slug` annotation).
    NoRepository,
    /// The portal has no code history configured.
    NoHistory { repository: String },
    Known { repository: String, environments: Vec<EnvironmentCode>, promotions: Vec<Promotion> },
}

/// Resolves each environment's version, then compares each environment with the next one in
/// the promotion path (`cells` are in that order).
pub async fn service_delivery(history: &dyn CodeHistory, repository: &str, cells: &[GridCell]) -> ServiceDelivery {
    let mut environments = Vec::with_capacity(cells.len());
    for cell in cells {
        let version = cell.observation.as_ref().and_then(|o| o.version()).map(str::to_owned);
        let resolution = resolve(history, repository, version.as_deref()).await;
        environments.push(EnvironmentCode { environment: cell.environment.clone(), production: cell.production, version, resolution });
    }
    let mut promotions = Vec::new();
    for pair in environments.windows(2) {
        let [from, to] = pair else { continue };
        let shipment = match (from.resolution.commit(), to.resolution.commit()) {
            (Some(head), Some(base)) => shipment(history, repository, &base.sha, &head.sha).await,
            _ => Shipment::Unknown,
        };
        promotions.push(Promotion { from: from.environment.clone(), to: to.environment.clone(), shipment });
    }
    ServiceDelivery::Known { repository: repository.to_owned(), environments, promotions }
}

async fn shipment(history: &dyn CodeHistory, repository: &str, base: &str, head: &str) -> Shipment {
    if base == head {
        return Shipment::Nothing { behind_by: 0 };
    }
    match history.compare(repository, base, head).await {
        Ok(Comparison::Related { ahead_by: 0, behind_by, .. }) => Shipment::Nothing { behind_by },
        Ok(Comparison::Related { ahead_by, behind_by, commits }) => Shipment::Commits { count: ahead_by, behind_by, commits },
        Ok(Comparison::Unrelated) => Shipment::Unrelated,
        Err(error) => Shipment::Failed { reason: error.to_string() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(names: &[&str]) -> Vec<Candidate> {
        names.iter().map(|n| Candidate::Tag((*n).to_owned())).collect()
    }

    #[test]
    fn a_release_number_is_looked_for_as_a_tag_with_and_without_v() {
        assert_eq!(candidates("1.8.0"), tags(&["1.8.0", "v1.8.0"]));
        assert_eq!(candidates("v2.0.0-rc.1"), tags(&["v2.0.0-rc.1"]));
    }

    #[test]
    fn a_sha_or_a_describe_suffix_is_also_looked_for_as_a_commit() {
        let mut expected = tags(&["ABC1234", "vABC1234"]);
        expected.push(Candidate::Sha("abc1234".into()));
        assert_eq!(candidates("ABC1234"), expected);
        let mut expected = tags(&["1.8.0-3-g0123abcd", "v1.8.0-3-g0123abcd"]);
        expected.push(Candidate::Sha("0123abcd".into()));
        assert_eq!(candidates("1.8.0-3-g0123abcd"), expected);
        // Too short for a SHA, or not hexadecimal: only the tags.
        assert_eq!(candidates("cafe12"), tags(&["cafe12", "vcafe12"]));
        assert_eq!(candidates("1.8.0-gzzzzzzz"), tags(&["1.8.0-gzzzzzzz", "v1.8.0-gzzzzzzz"]));
    }

    #[test]
    fn a_digest_names_no_commit() {
        assert!(candidates(&format!("sha256:{}", "a".repeat(64))).is_empty());
        assert!(candidates("").is_empty());
    }
}
