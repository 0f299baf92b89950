//! What tests do to the organisations' repositories, as pushes and repository settings would
//! (add, write a file, rename, remove, archive), and what the double saw of the calls made to
//! them.

use std::sync::atomic::Ordering;

use crate::{FakeRepo, GithubDouble, lock};

/// The id the first repository created gets.
const FIRST_REPO_ID: u64 = 600_000_000;

impl GithubDouble {
    /// Adds `repo` to organisation `org`, or replaces the repository of that name.
    pub fn put_repository(&self, org: &str, mut repo: FakeRepo) {
        let mut repos = lock(&self.shared.repos);
        // Ids grow in creation order, as GitHub's do: the catalog orders repositories by them.
        let next = repos.values().flatten().map(|r| r.id).max().unwrap_or(FIRST_REPO_ID - 1) + 1;
        let repos = repos.entry(org.to_owned()).or_default();
        match repos.iter_mut().find(|existing| existing.name == repo.name) {
            Some(existing) => {
                if repo.id == 0 {
                    repo.id = existing.id;
                }
                *existing = repo;
            }
            None => {
                if repo.id == 0 {
                    repo.id = next;
                }
                repos.push(repo);
            }
        }
    }

    /// Writes `text` to `path` on the default branch of `org/repo`, as a push would. `false`
    /// when there is no such repository.
    pub fn put_file(&self, org: &str, repo: &str, path: &str, text: &str) -> bool {
        let mut repos = lock(&self.shared.repos);
        let found = repos
            .get_mut(org)
            .and_then(|repos| repos.iter_mut().find(|existing| existing.name == repo));
        found.is_some_and(|repo| {
            repo.files.insert(path.to_owned(), text.to_owned());
            true
        })
    }

    /// Removes `org/repo`, as deleting it or transferring it away does. `false` when there is
    /// no such repository.
    pub fn remove_repository(&self, org: &str, repo: &str) -> bool {
        let mut repos = lock(&self.shared.repos);
        let Some(repos) = repos.get_mut(org) else {
            return false;
        };
        let before = repos.len();
        repos.retain(|existing| existing.name != repo);
        repos.len() < before
    }

    /// Renames `org/from` to `to`; it keeps its id and files. `false` when there is no such
    /// repository.
    pub fn rename_repository(&self, org: &str, from: &str, to: &str) -> bool {
        let mut repos = lock(&self.shared.repos);
        let found = repos
            .get_mut(org)
            .and_then(|repos| repos.iter_mut().find(|existing| existing.name == from));
        found.is_some_and(|repo| {
            repo.name = to.to_owned();
            true
        })
    }

    /// GitHub's id for `org/repo`, when there is one.
    pub fn repository_id(&self, org: &str, repo: &str) -> Option<u64> {
        let repos = lock(&self.shared.repos);
        repos.get(org)?.iter().find(|existing| existing.name == repo).map(|repo| repo.id)
    }

    /// Every path the contents endpoint was asked for so far, as `repo/path`.
    pub fn paths_read(&self) -> Vec<String> {
        lock(&self.shared.paths_read).clone()
    }

    /// How many calls the repository endpoints have answered, `304`s included.
    pub fn repository_requests(&self) -> usize {
        self.shared.repo_requests.load(Ordering::SeqCst)
    }

    /// How many of those were `304 Not Modified`, which GitHub does not charge to the rate limit.
    pub fn not_modified(&self) -> usize {
        self.shared.not_modified.load(Ordering::SeqCst)
    }

    /// Makes the repository endpoints refuse every call as rate-limited (403 with
    /// `x-ratelimit-remaining: 0`), or answer again.
    pub fn set_rate_limited(&self, limited: bool) {
        self.shared.rate_limited.store(limited, Ordering::SeqCst);
    }
}
