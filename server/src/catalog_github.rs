//! The catalog's second source: one manifest at the root of each repository of a GitHub
//! organisation, with the files its Locations name in the same repository. Every read is a
//! conditional request, so checking an unchanged organisation costs no rate limit; what was
//! read is kept per repository, and a failure keeps it.

mod api;
mod locations;
mod manifest;
mod repository;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use domain::catalog::{Catalog, Problem, TargetRules};
use domain::clock::now_micros;
use secrecy::SecretString;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use self::api::{Api, Fetched, RepoPage};
use self::repository::{Files, Outcome, RepoReader};
use github_api::GithubError;
use crate::config::GithubCatalogConfig;

/// Files read at once: enough to read a few hundred repositories in seconds, few enough not to
/// trip GitHub's secondary rate limit on concurrent requests.
const READS_AT_ONCE: usize = 8;
/// Listing pages followed at most (100 repositories each).
const MAX_PAGES: usize = 200;

/// The repositories of one organisation and what their manifests declare.
pub struct GithubSource {
    org: String,
    api: Api,
    reader: RepoReader,
    webhook_secret: Option<SecretString>,
    /// Held for a whole refresh, so two refreshes never interleave their reads.
    state: tokio::sync::Mutex<State>,
    status: Mutex<Status>,
    refused_deliveries: AtomicU64,
}

/// What was read, by repository.
#[derive(Default)]
struct State {
    /// The listing's pages as last read, in order, with their `ETag`s.
    pages: Vec<(String, Option<String>, RepoPage)>,
    repos: BTreeMap<String, Repository>,
    /// Why the last refresh could not read the organisation, if it could not.
    failure: Option<Problem>,
    /// Counts every change, so an older snapshot is never published over a newer one.
    generation: u64,
}

#[derive(Default)]
struct Repository {
    /// GitHub's id, from the listing or a webhook delivery.
    id: Option<u64>,
    /// What each path read held, with its `ETag`.
    files: Files,
    catalog: Catalog,
    /// Why the file could not be read last time; the catalog read before that still stands.
    failure: Option<Problem>,
}

/// What a webhook delivery says of one repository of the organisation, with GitHub's id for
/// it when the delivery gives one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RepositoryChange {
    /// Pushed to, created, unarchived, transferred in: read it (again).
    Read { name: String, id: Option<u64> },
    /// Deleted, archived, transferred away: its entities leave the catalog.
    Gone { name: String, id: Option<u64> },
    /// Renamed: read under its new name.
    Renamed { from: String, to: String, id: Option<u64> },
}

/// The source's state for the problems page.
#[derive(Clone, Copy, Debug, Default)]
pub struct Status {
    /// Unix microseconds of the last refresh that read the whole organisation.
    pub refreshed_at: Option<i64>,
    pub repositories: u64,
}

/// What the source holds now; `generation` orders snapshots.
pub struct Snapshot {
    pub generation: u64,
    /// Each repository's catalog, oldest repository first.
    pub repositories: Vec<RepositoryCatalog>,
    /// Why the organisation could not be read, if it could not.
    pub failure: Option<Problem>,
}

/// What one repository declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepositoryCatalog {
    pub name: String,
    pub catalog: Catalog,
    /// Whether its manifest was read and parsed without a problem: a repository whose manifest
    /// is broken for a moment keeps the names it holds.
    pub clean: bool,
}

impl GithubSource {
    pub fn new(config: &GithubCatalogConfig) -> anyhow::Result<Self> {
        let api = Api::new(&config.api_url, &config.token, &config.org)?;
        let file = config.file.split('/').filter(|segment| !segment.is_empty()).collect::<Vec<_>>().join("/");
        Ok(Self {
            org: config.org.clone(),
            reader: RepoReader { api: api.clone(), file, targets: TargetRules(config.targets.clone()) },
            api,
            webhook_secret: config.webhook_secret.clone(),
            state: tokio::sync::Mutex::default(),
            status: Mutex::default(),
            refused_deliveries: AtomicU64::new(0),
        })
    }

    pub fn org(&self) -> &str {
        &self.org
    }

    /// The secret webhook deliveries are signed with, when one is configured.
    pub fn webhook_secret(&self) -> Option<&SecretString> {
        self.webhook_secret.as_ref()
    }

    /// Counts a webhook delivery refused for its signature.
    pub fn refuse_delivery(&self) {
        self.refused_deliveries.fetch_add(1, Ordering::Relaxed);
    }

    pub fn refused_deliveries(&self) -> u64 {
        self.refused_deliveries.load(Ordering::Relaxed)
    }

    pub fn status(&self) -> Status {
        *self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Lists the organisation's repositories and reads each one's manifest, unless unchanged.
    /// A failure keeps what was read before and becomes one problem.
    pub async fn refresh(&self) -> Snapshot {
        let mut state = self.state.lock().await;
        let result = match self.list(&state).await {
            Ok(pages) => {
                let ids: BTreeMap<String, u64> = pages
                    .iter()
                    .flat_map(|(_, _, page)| &page.repos)
                    .filter(|r| !r.archived)
                    .map(|r| (r.name.clone(), r.id))
                    .collect();
                state.pages = pages;
                state.repos.retain(|name, _| ids.contains_key(name));
                for (name, id) in &ids {
                    state.repos.entry(name.clone()).or_default().id = Some(*id);
                }
                self.read_all(&mut state, ids.into_keys().collect()).await
            }
            Err(failure) => Err(failure),
        };
        state.failure = match result {
            Ok(()) => {
                self.set_status(|status| status.refreshed_at = Some(now_micros()));
                None
            }
            Err(failure) => {
                tracing::warn!(org = %self.org, error = %failure, "the GitHub organisation could not be read; its repositories as read before are kept");
                Some(self.organisation_problem(&failure))
            }
        };
        let repositories = state.repos.len() as u64;
        self.set_status(|status| status.repositories = repositories);
        state.generation += 1;
        self.snapshot(&state)
    }

    /// Applies what a webhook delivery says of one repository: it is read again (one read of
    /// that repository, never the whole organisation), or leaves the catalog, or is known
    /// under a new name.
    pub async fn refresh_repository(&self, change: &RepositoryChange) -> Snapshot {
        let mut state = self.state.lock().await;
        let read = match change {
            RepositoryChange::Read { name, id } => {
                let repo = state.repos.entry(name.clone()).or_default();
                repo.id = id.or(repo.id);
                Some(name)
            }
            RepositoryChange::Gone { name, id } => {
                // Only the repository the delivery is about: a name taken again since keeps its own.
                if state.repos.get(name).is_some_and(|repo| id.is_none() || repo.id.is_none() || repo.id == *id) {
                    state.repos.remove(name);
                }
                None
            }
            RepositoryChange::Renamed { from, to, id } => {
                let mut repo = state.repos.remove(from).unwrap_or_default();
                repo.id = id.or(repo.id);
                state.repos.insert(to.clone(), repo);
                Some(to)
            }
        };
        if let Some(name) = read {
            let old = state.repos.get(name).map(|repo| repo.files.clone()).unwrap_or_default();
            let result = self.reader.read(name, &old).await;
            if let Err(failure) = self.apply(&mut state, name.clone(), result) {
                tracing::warn!(org = %self.org, repository = %name, error = %failure, "a repository could not be read after a webhook delivery");
            }
        }
        let repositories = state.repos.len() as u64;
        self.set_status(|status| status.repositories = repositories);
        state.generation += 1;
        self.snapshot(&state)
    }

    /// Every page of the listing, each asked for with the `ETag` it had last time.
    async fn list(&self, state: &State) -> Result<Vec<(String, Option<String>, RepoPage)>, GithubError> {
        let mut pages = Vec::new();
        let mut next = Some(self.api.first_page());
        while let Some(url) = next.take() {
            if pages.len() == MAX_PAGES {
                tracing::warn!(org = %self.org, "the organisation has more than {MAX_PAGES} pages of repositories; the rest are not read");
                break;
            }
            let cached = state.pages.iter().find(|(cached, _, _)| *cached == url);
            let page = match self.api.list_page(&url, cached.and_then(|(_, etag, _)| etag.as_deref())).await? {
                Fetched::Fresh { etag, value } => (url, etag, value),
                Fetched::Unchanged => match cached {
                    Some(cached) => cached.clone(),
                    None => return Err(GithubError::Unreadable("an unchanged answer to a page never read".to_owned())),
                },
                Fetched::Missing => return Err(GithubError::NotFound(format!("no organisation named `{}`", self.org))),
            };
            next.clone_from(&page.2.next);
            pages.push(page);
        }
        Ok(pages)
    }

    /// Reads the manifest of every repository in `names`, a few at a time. The first failure
    /// that concerns all of GitHub (unreachable, refused token, rate limit) is returned; the
    /// repositories it stopped keep what was read before.
    async fn read_all(&self, state: &mut State, names: BTreeSet<String>) -> Result<(), GithubError> {
        let permits = Arc::new(Semaphore::new(READS_AT_ONCE));
        let mut reads = JoinSet::new();
        for name in names {
            let old = state.repos.get(&name).map(|repo| repo.files.clone()).unwrap_or_default();
            let (reader, permits) = (self.reader.clone(), permits.clone());
            reads.spawn(async move {
                // The semaphore is never closed, so a permit always comes.
                let _permit = permits.acquire_owned().await;
                let result = reader.read(&name, &old).await;
                (name, result)
            });
        }
        let mut general = None;
        while let Some(joined) = reads.join_next().await {
            match joined {
                Ok((name, result)) => {
                    if let Err(failure) = self.apply(state, name, result) {
                        general.get_or_insert(failure);
                    }
                }
                Err(error) => tracing::error!(%error, "a repository read stopped"),
            }
        }
        general.map_or(Ok(()), Err)
    }

    /// Keeps what one read found. A failure of the manifest alone becomes its problem; one that
    /// concerns all of GitHub is handed back.
    fn apply(&self, state: &mut State, name: String, result: Result<Outcome, GithubError>) -> Result<(), GithubError> {
        let file = format!("{name}/{}", self.reader.file);
        let repo = state.repos.entry(name).or_default();
        match result? {
            Outcome::Read { catalog, files } => *repo = Repository { id: repo.id, files, catalog, failure: None },
            // Not every repository describes itself: no manifest, no problem.
            Outcome::NoManifest => *repo = Repository { id: repo.id, ..Repository::default() },
            Outcome::ManifestFailed(failure) => {
                tracing::warn!(%file, error = %failure, "a catalog file could not be read from GitHub");
                let kept = if repo.files.is_empty() { "" } else { "; the version read before is still shown" };
                let message = format!("could not be read: {failure}{kept}");
                repo.failure = manifest::whole_file(&file, &message).problems.pop();
            }
        }
        Ok(())
    }

    fn snapshot(&self, state: &State) -> Snapshot {
        let mut repositories: Vec<(Option<u64>, RepositoryCatalog)> = state
            .repos
            .iter()
            .map(|(name, repo)| {
                let mut catalog = repo.catalog.clone();
                catalog.problems.extend(repo.failure.clone());
                let clean = catalog.problems.is_empty();
                (repo.id, RepositoryCatalog { name: name.clone(), catalog, clean })
            })
            .collect();
        // Oldest first; one known only from a push comes last until the listing shows its id.
        repositories.sort_by_key(|(id, repo)| (id.unwrap_or(u64::MAX), repo.name.clone()));
        Snapshot {
            generation: state.generation,
            repositories: repositories.into_iter().map(|(_, repo)| repo).collect(),
            failure: state.failure.clone(),
        }
    }

    fn organisation_problem(&self, failure: &GithubError) -> Problem {
        Problem {
            file: self.org.clone(),
            line: None,
            field: None,
            message: format!(
                "GitHub organisation {} could not be read: {failure}. Its repositories as read before are still shown.",
                self.org
            ),
        }
    }

    fn set_status(&self, change: impl FnOnce(&mut Status)) {
        change(&mut self.status.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

