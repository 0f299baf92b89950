//! What the catalog folders hold, cheaply: each manifest's path, size and modification time,
//! and the same of every other path a read looked at (a file a `Location` pulled in from beside
//! a configured file, a folder a pattern listed, a target that did not exist yet). Reading
//! 10,000 of these costs a few milliseconds; parsing them costs hundreds, so the folders are
//! read again only when the fingerprint changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::yaml_files::yaml_files;

/// A path's size and modification time; `None` when it does not exist. A folder's changes
/// when a file is added to it or removed.
pub type Stamp = Option<(u64, Option<SystemTime>)>;

fn stamp(path: &Path) -> Stamp {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.len(), metadata.modified().ok()))
}

/// The paths a read looked at besides the walk, each stamped before it was looked at, so a
/// change made while reading shows next time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Watched(BTreeMap<PathBuf, Stamp>);

impl Watched {
    pub fn note(&mut self, path: &Path) {
        self.0.entry(path.to_owned()).or_insert_with(|| stamp(path));
    }

    fn restamped(&self) -> Self {
        Self(self.0.keys().map(|path| (path.clone(), stamp(path))).collect())
    }
}

/// The walk's stamps, per configured path, with whether listing it failed part-way.
pub type Walk = Vec<(Vec<(PathBuf, Stamp)>, bool)>;

#[derive(Debug, PartialEq, Eq)]
pub struct Fingerprint {
    walk: Walk,
    watched: Watched,
}

impl Fingerprint {
    /// The fingerprint a read made: the walk, stamped before it, and what it watched.
    pub fn new(walk: Walk, watched: Watched) -> Self {
        Self { walk, watched }
    }

    /// The walk of `paths` as it is now.
    pub fn walk(paths: &[PathBuf]) -> Walk {
        paths
            .iter()
            .map(|root| {
                let (files, problems) = yaml_files(std::slice::from_ref(root));
                let stamps = files
                    .into_iter()
                    .map(|file| {
                        let at = stamp(&file.path);
                        (file.path, at)
                    })
                    .collect();
                (stamps, !problems.is_empty())
            })
            .collect()
    }

    /// What the same paths look like now.
    pub fn again(&self, paths: &[PathBuf]) -> Self {
        Self { walk: Self::walk(paths), watched: self.watched.restamped() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watched_path_appearing_changes_the_fingerprint() {
        let dir = tempfile::tempdir().expect("temp dir");
        let paths = [dir.path().join("catalog-info.yaml")];
        std::fs::write(&paths[0], "a").expect("write");
        let mut watched = Watched::default();
        watched.note(&dir.path().join("later.yaml"));
        let before = Fingerprint::new(Fingerprint::walk(&paths), watched);
        assert_eq!(before.again(&paths), before);
        std::fs::write(dir.path().join("later.yaml"), "b").expect("write");
        assert_ne!(before.again(&paths), before);
    }
}
