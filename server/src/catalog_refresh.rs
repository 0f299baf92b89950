//! Keeps the stored catalog in step with its folders: a platform engineer edits a manifest and
//! the portal shows it within one refresh period, without a restart.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use domain::store::{CatalogStore, StoreError};

use crate::catalog_source;
use crate::store::Store;

/// What the catalog folders hold, cheaply: each manifest's path, size and modification time.
/// Reading 10,000 of these costs a few milliseconds; parsing them costs hundreds.
#[derive(Debug, PartialEq, Eq)]
pub struct Fingerprint(Vec<(Vec<FileStamp>, bool)>);

/// A manifest's path, size and modification time. Each folder's stamps come with whether
/// listing it failed part-way.
type FileStamp = (PathBuf, u64, Option<SystemTime>);

impl Fingerprint {
    pub fn of(paths: &[PathBuf]) -> Self {
        Self(
            paths
                .iter()
                .map(|root| {
                    let (files, problem) = catalog_source::manifest_files(root);
                    let stamps = files
                        .into_iter()
                        .map(|file| {
                            let metadata = std::fs::metadata(&file).ok();
                            let size = metadata.as_ref().map_or(0, std::fs::Metadata::len);
                            let modified = metadata.and_then(|m| m.modified().ok());
                            (file, size, modified)
                        })
                        .collect();
                    (stamps, problem.is_some())
                })
                .collect(),
        )
    }
}

/// Reads the folders and replaces the stored catalog, logging what was found.
pub async fn load(store: &Store, paths: &[PathBuf]) -> Result<(), StoreError> {
    let owned = paths.to_vec();
    let catalog = tokio::task::spawn_blocking(move || catalog_source::load(&owned))
        .await
        .map_err(|e| StoreError(format!("catalog reader stopped: {e}")))?;
    for problem in &catalog.problems {
        tracing::warn!(%problem, "catalog problem");
    }
    store.replace_catalog(&catalog).await?;
    tracing::info!(
        services = catalog.services.len(),
        systems = catalog.systems.len(),
        teams = catalog.teams.len(),
        problems = catalog.problems.len(),
        "catalog loaded"
    );
    Ok(())
}

/// Checks the folders every `every` and reloads the catalog when a manifest was added, changed
/// or removed. `seen` is the fingerprint of what is stored now. Runs until the runtime stops.
pub fn spawn(store: Store, paths: Vec<PathBuf>, every: Duration, mut seen: Fingerprint) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            let roots = paths.clone();
            let Ok(now) = tokio::task::spawn_blocking(move || Fingerprint::of(&roots)).await else {
                continue;
            };
            if now == seen {
                continue;
            }
            match load(&store, &paths).await {
                Ok(()) => seen = now,
                // The previous catalog stays; the next tick tries again.
                Err(error) => tracing::error!(%error, "catalog refresh failed"),
            }
        }
    });
}
