//! GitHub's REST API, as sign-in, the membership check, the catalog and the actions engine all
//! call it: one client ([`GithubApi`]), one error ([`GithubError`]), one encoding of path
//! segments. Each caller keeps only its own calls and the fields it reads.

mod client;
mod error;

pub use client::{API_VERSION, Conditional, GithubApi, Pages};
pub use error::{GithubError, SECONDARY_LIMIT_WAIT};

/// Percent-encodes one path or query segment (an organisation, repository, file, workflow or
/// branch name).
pub fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(byte).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// `/repos/{owner}/{name}`, each part encoded, or `None` when `repo` is not `owner/name`.
pub fn repo_path(repo: &str) -> Option<String> {
    match repo.split_once('/') {
        Some((owner, name)) if !owner.is_empty() && !name.is_empty() && !name.contains('/') => {
            Some(format!("/repos/{}/{}", encode(owner), encode(name)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(encode("catalog-info.yaml"), "catalog-info.yaml");
        assert_eq!(encode("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(repo_path("acme/shop").as_deref(), Some("/repos/acme/shop"));
        assert_eq!(repo_path("acme"), None);
        assert_eq!(repo_path("acme/shop/extra"), None);
    }
}
