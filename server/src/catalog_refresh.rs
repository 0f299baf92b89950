//! Keeps the stored catalog in step with its sources: a platform engineer edits a manifest in a
//! catalog folder, or pushes one to a repository of the GitHub organisation, and the portal
//! shows it within one refresh period (at once for a push), without a restart.
//!
//! Names are unique per kind across every source, and a name belongs to the source that
//! declared it first (domain::catalog::claims); which environments are production is the
//! configuration's to say. The stored catalog is replaced only when what the sources hold
//! changed, with an audit event for each service whose owner or environments changed.

use std::collections::HashSet;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use domain::catalog::claims::{self, FOLDERS, SourcePart};
use domain::catalog::{Catalog, ProductionNames, SourceReport, SourceStatus};
use domain::clock::now_micros;
use domain::store::StoreError;
use sha2::{Digest, Sha256};

use crate::background::Background;
use crate::catalog_fingerprint::Fingerprint;
use crate::catalog_github::{GithubSource, RepositoryChange, Snapshot};
use crate::catalog_source::{self, Loaded};
use crate::config::Config;
use crate::store::{ClaimedCatalog, Store};

/// Whether a refresh changed the stored catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Replaced,
    Unchanged,
}

/// Every catalog source, what each last read, and the catalog stored from them.
pub struct CatalogRefresher {
    store: Store,
    paths: Vec<PathBuf>,
    github: Option<GithubSource>,
    production: ProductionNames,
    /// Held while the catalog is merged and stored, so two refreshes never store out of order.
    merged: tokio::sync::Mutex<Merged>,
    /// Unix microseconds of the last time the folders were checked.
    folders_checked: Mutex<Option<i64>>,
}

#[derive(Default)]
struct Merged {
    /// What the folders hold, kept only while a GitHub source may ask for a merge with it
    /// again; without one, each merge is preceded by a read of the folders.
    local: Catalog,
    fingerprint: Option<Fingerprint>,
    github: Option<Snapshot>,
    stored: Option<Stored>,
}

/// What is remembered of the stored catalog: enough to tell whether a merge changed it and
/// which problems were logged, rather than a second copy of a catalog of 100,000 entities.
struct Stored {
    digest: Option<[u8; 32]>,
    problems: HashSet<String>,
}

impl CatalogRefresher {
    pub fn new(store: Store, paths: Vec<PathBuf>, github: Option<GithubSource>, production: ProductionNames) -> Self {
        Self { store, paths, github, production, merged: tokio::sync::Mutex::default(), folders_checked: Mutex::default() }
    }

    /// The refresher `config` describes, with the catalog loaded and the periodic checks
    /// running until the portal stops.
    pub async fn start(background: &Background, store: Store, config: &Config) -> anyhow::Result<Arc<Self>> {
        let github = match &config.catalog.github {
            Some(github) => Some(GithubSource::new(github).context("catalog.github: cannot prepare the GitHub client")?),
            None => None,
        };
        let refresher = Arc::new(Self::new(store, config.catalog_paths(), github, config.catalog.production_environments.clone()));
        refresher.load().await?;
        let folders = (!refresher.paths.is_empty()).then_some(config.catalog.refresh_seconds).filter(|s| *s > 0);
        if let Some(seconds) = folders {
            let this = Arc::clone(&refresher);
            repeat(background, Duration::from_secs(seconds), move || {
                let this = Arc::clone(&this);
                async move { this.refresh_folders().await }
            });
        }
        if let Some(seconds) = config.catalog.github.as_ref().map(|github| github.refresh_seconds).filter(|s| *s > 0) {
            let this = Arc::clone(&refresher);
            repeat(background, Duration::from_secs(seconds), move || {
                let this = Arc::clone(&this);
                async move { this.refresh_github().await }
            });
        }
        Ok(refresher)
    }

    /// The GitHub source, when one is configured.
    pub fn github(&self) -> Option<&GithubSource> {
        self.github.as_ref()
    }

    /// Reads every source and stores the catalog.
    pub async fn load(&self) -> Result<Outcome, StoreError> {
        let paths = self.paths.clone();
        let (fingerprint, local) = blocking(move || read_folders(&paths)).await?;
        let github = match &self.github {
            Some(github) => Some(github.refresh().await),
            None => None,
        };
        let mut merged = self.merged.lock().await;
        merged.local = local;
        merged.fingerprint = Some(fingerprint);
        merged.take(github);
        self.note_folders_checked();
        self.store_merged(&mut merged).await
    }

    /// Reads the folders again when a manifest was added, changed or removed.
    pub async fn refresh_folders(&self) -> Result<Outcome, StoreError> {
        let mut merged = self.merged.lock().await;
        if let Some(before) = merged.fingerprint.take() {
            let paths = self.paths.clone();
            let (before, now) = blocking(move || {
                let now = before.again(&paths);
                (before, now)
            })
            .await?;
            if before == now {
                merged.fingerprint = Some(before);
                self.note_folders_checked();
                return Ok(Outcome::Unchanged);
            }
        }
        let paths = self.paths.clone();
        let (fingerprint, local) = blocking(move || read_folders(&paths)).await?;
        merged.local = local;
        merged.fingerprint = Some(fingerprint);
        self.note_folders_checked();
        self.store_merged(&mut merged).await
    }

    /// Checks every repository of the organisation.
    pub async fn refresh_github(&self) -> Result<Outcome, StoreError> {
        let Some(github) = &self.github else { return Ok(Outcome::Unchanged) };
        let snapshot = github.refresh().await;
        let mut merged = self.merged.lock().await;
        merged.take(Some(snapshot));
        self.store_merged(&mut merged).await
    }

    /// Applies what a webhook delivery says of one repository at once. After a push, `commit`
    /// is the push's `after`, which the audit events of what changed there name.
    pub async fn refresh_repository(&self, change: &RepositoryChange, commit: Option<String>) -> Result<Outcome, StoreError> {
        let Some(github) = &self.github else { return Ok(Outcome::Unchanged) };
        let snapshot = github.refresh_repository(change).await;
        let mut merged = self.merged.lock().await;
        merged.take(Some(snapshot));
        let name = match change {
            RepositoryChange::Read { name, .. } | RepositoryChange::Gone { name, .. } => name,
            RepositoryChange::Renamed { to, .. } => to,
        };
        let pushed = commit.map(|commit| (format!("github:{name}"), commit));
        self.store_pushed(&mut merged, pushed).await
    }

    /// Merges the sources under the stored claims and replaces the stored catalog, unless that
    /// is what it already holds.
    async fn store_merged(&self, merged: &mut Merged) -> Result<Outcome, StoreError> {
        self.store_pushed(merged, None).await
    }

    /// [`Self::store_merged`], with the changes of source `pushed.0` attributed to commit `pushed.1`.
    async fn store_pushed(&self, merged: &mut Merged, pushed: Option<(String, String)>) -> Result<Outcome, StoreError> {
        let clean = merged.local.problems.is_empty();
        let local = if self.github.is_some() { merged.local.clone() } else { std::mem::take(&mut merged.local) };
        let mut parts = vec![SourcePart { source: FOLDERS.to_owned(), catalog: local, clean }];
        if let Some(github) = &merged.github {
            parts.extend(github.repositories.iter().map(|repo| SourcePart {
                source: format!("github:{}", repo.name),
                catalog: repo.catalog.clone(),
                clean: repo.clean,
            }));
        }
        for part in &mut parts {
            self.production.apply(&mut part.catalog);
        }
        let failure = merged.github.as_ref().and_then(|github| github.failure.clone());
        let stored = merged.stored.as_ref().and_then(|stored| stored.digest);
        let started = Instant::now();
        let mut merge_ms = 0;
        let merge_time = &mut merge_ms;
        let mut digest = None;
        let merged_digest = &mut digest;
        let decided = self
            .store
            .replace_claimed_catalog(move |held| {
                let mut parts = parts;
                // While the organisation cannot be read, its repositories' names stay theirs:
                // a portal that starts with GitHub unreachable must not hand them out again
                // by repository age once it answers.
                if failure.is_some() {
                    let missing: std::collections::BTreeSet<String> = held
                        .values()
                        .map(|claim| claim.source.clone())
                        .filter(|source| source.starts_with("github:") && !parts.iter().any(|part| &part.source == source))
                        .collect();
                    parts.extend(missing.into_iter().map(|source| SourcePart { source, catalog: Catalog::default(), clean: false }));
                }
                let (mut catalog, after) = claims::merge(parts, held);
                catalog.problems.extend(failure);
                *merge_time = started.elapsed().as_millis();
                *merged_digest = digest_of(&catalog);
                if stored.is_some() && stored == *merged_digest && after == *held {
                    return None;
                }
                let mut events = claims::changes(held, &after, &catalog);
                if let Some((source, commit)) = &pushed {
                    let named = claims::source_name(source);
                    for event in events.iter_mut().filter(|event| event.inputs["source"] == named.as_str()) {
                        event.inputs["commit"] = commit.as_str().into();
                    }
                }
                Some(ClaimedCatalog { catalog, claims: after, events })
            })
            .await;
        let decided = match decided {
            Ok(decided) => decided,
            Err(error) => {
                // The folders' catalog was handed to the merge: read them again next time.
                if self.github.is_none() {
                    merged.fingerprint = None;
                }
                return Err(error);
            }
        };
        let Some(ClaimedCatalog { catalog, events, .. }) = decided else { return Ok(Outcome::Unchanged) };
        let problems: HashSet<String> = catalog.problems.iter().map(ToString::to_string).collect();
        // Only problems not logged before: a push to one repository does not repeat the others'.
        let known = merged.stored.as_ref().map(|stored| &stored.problems);
        for problem in catalog.problems.iter().filter(|p| known.is_none_or(|known| !known.contains(&p.to_string()))) {
            tracing::warn!(%problem, "catalog problem");
        }
        tracing::info!(
            services = catalog.services.len(),
            entities = catalog.entities.len(),
            problems = catalog.problems.len(),
            changes = events.len(),
            merge_ms,
            store_ms = started.elapsed().as_millis() - merge_ms,
            "catalog loaded"
        );
        merged.stored = Some(Stored { digest, problems });
        Ok(Outcome::Replaced)
    }

    fn note_folders_checked(&self) {
        *self.folders_checked.lock().unwrap_or_else(PoisonError::into_inner) = Some(now_micros());
    }
}

impl Merged {
    /// Keeps `snapshot` unless a newer one is already here (two reads finished out of order).
    fn take(&mut self, snapshot: Option<Snapshot>) {
        let Some(snapshot) = snapshot else { return };
        if self.github.as_ref().is_none_or(|held| held.generation < snapshot.generation) {
            self.github = Some(snapshot);
        }
    }
}

impl SourceReport for CatalogRefresher {
    fn sources(&self) -> Vec<SourceStatus> {
        let mut sources = Vec::new();
        if !self.paths.is_empty() {
            sources.push(SourceStatus {
                name: format!("Catalog folders ({})", self.paths.len()),
                refreshed_at: *self.folders_checked.lock().unwrap_or_else(PoisonError::into_inner),
                repositories: None,
                refused_deliveries: None,
            });
        }
        if let Some(github) = &self.github {
            let status = github.status();
            sources.push(SourceStatus {
                name: format!("GitHub organisation {}", github.org()),
                refreshed_at: status.refreshed_at,
                repositories: Some(status.repositories),
                refused_deliveries: Some(github.refused_deliveries()),
            });
        }
        sources
    }
}

/// Reads the folders, with the fingerprint of what was read: the walk and every path the read
/// looked at, each stamped before it was read, so a file changed while it is read is picked
/// up next time.
fn read_folders(paths: &[PathBuf]) -> (Fingerprint, Catalog) {
    let started = Instant::now();
    let walk = Fingerprint::walk(paths);
    let Loaded { catalog, watched } = catalog_source::read(paths);
    // Phase timings in the log are how a slow start at fleet size is told apart from a slow store.
    tracing::info!(entities = catalog.entities.len(), ms = started.elapsed().as_millis(), "catalog folders read");
    (Fingerprint::new(walk, watched), catalog)
}

/// The SHA-256 of `catalog` as JSON. Serialisation is deterministic for one catalog, so equal
/// digests mean an unchanged catalog; `None` (it cannot fail in practice) counts as changed.
fn digest_of(catalog: &Catalog) -> Option<[u8; 32]> {
    let mut hasher = Sha256::new();
    serde_json::to_writer(&mut hasher, catalog).ok()?;
    Some(hasher.finalize().into())
}

/// File-system work off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| StoreError(format!("catalog reader stopped: {e}")))
}

/// Runs `refresh` every `period` (the first time one period from now) until the portal stops.
/// A failed refresh keeps the stored catalog; the next one tries again.
fn repeat<F, R>(background: &Background, period: Duration, mut refresh: impl FnMut() -> F + Send + 'static)
where
    F: Future<Output = Result<R, StoreError>> + Send + 'static,
{
    background.spawn_loop(async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            if let Err(error) = refresh().await {
                tracing::error!(%error, "catalog refresh failed");
            }
        }
    });
}
