//! The files a catalog folder's `Location` entities name, as Backstage follows them: each
//! target is a path relative to the Location's file, `*` in a path segment matches any run of
//! characters within one folder's names (`./apis/*.yaml`), and only files inside the catalog
//! roots ([`crate::catalog_roots`]) are read. What cannot be followed is a problem on the
//! target's line and field; the rest still loads.

use std::path::{Component, Path, PathBuf};

use domain::catalog::follow::{Follow, IS_FOLDER, NO_MATCH, Site, is_pattern, locations, refused};
use domain::catalog::{Catalog, glob};

use crate::catalog_fingerprint::Watched;
use crate::catalog_roots::{OUTSIDE, Refusal, Roots};
use crate::yaml_files::YamlFile;

/// Files Locations may bring in besides those the walk finds: far more than a catalog holds,
/// few enough that a pattern matching a huge folder cannot stall a refresh.
pub const MAX_FOLLOWED_FILES: usize = 5_000;

/// Why a target names no file.
enum Unfollowed {
    /// Nothing there: not a problem when the Location says its targets may be absent.
    Missing(&'static str),
    Refused(&'static str),
}

/// Resolves the targets of the Locations in `part`, read from `file`, and hands the files they
/// name to `follow`, noting what was looked at in `watched`.
pub fn follow_from(part: &mut Catalog, file: &YamlFile, roots: &Roots, follow: &mut Follow<PathBuf>, watched: &mut Watched) {
    let folder = file.path.parent().unwrap_or(Path::new("."));
    for (target, optional) in locations(part) {
        let site = Site::of(&file.name, target);
        match resolve(folder.join(&target.target), &file.path, &target.target, roots, watched) {
            Ok(found) => {
                let found = found
                    .into_iter()
                    .map(|path| {
                        let name = roots.name(&path);
                        (path, name)
                    })
                    .collect();
                target.files = follow.reached(&file.path, &site, found);
            }
            Err(Unfollowed::Missing(_)) if optional => {}
            Err(Unfollowed::Missing(why) | Unfollowed::Refused(why)) => follow.refuse(&site, why),
        }
    }
}

/// The canonical files `target` (joined to its folder: `path`) names; `own` is the Location's
/// own file, which a pattern never matches.
fn resolve(path: PathBuf, own: &Path, target: &str, roots: &Roots, watched: &mut Watched) -> Result<Vec<PathBuf>, Unfollowed> {
    if let Some(why) = refused(target) {
        return Err(Unfollowed::Refused(why));
    }
    if !target.split('/').any(is_pattern) {
        // Watched even when missing, so that the file appearing is noticed.
        watched.note(&path);
        let file = roots.inside(&path).map_err(|refusal| match refusal {
            Refusal::Missing => Unfollowed::Missing("does not exist: a target is read relative to the Location's file (write `presence: optional` if it may be absent)"),
            Refusal::Outside => Unfollowed::Refused(OUTSIDE),
        })?;
        if file.is_dir() {
            return Err(Unfollowed::Refused(IS_FOLDER));
        }
        return Ok(vec![file]);
    }
    let mut files = Vec::new();
    for candidate in expand(&path, roots, watched)? {
        let Ok(file) = candidate.canonicalize() else { continue };
        // A link among the matches may lead out of the roots.
        if !roots.contains(&file) {
            return Err(Unfollowed::Refused(OUTSIDE));
        }
        if file.is_file() && file != own {
            files.push(file);
        }
    }
    files.sort();
    files.dedup();
    if files.is_empty() {
        return Err(Unfollowed::Missing(NO_MATCH));
    }
    Ok(files)
}

/// The paths a pattern matches, segment by segment: each folder a `*` segment lists must lie
/// inside the roots, so nothing outside them is even listed. Names starting with `.` are
/// matched only by a segment that starts with one, as shells do.
fn expand(path: &Path, roots: &Roots, watched: &mut Watched) -> Result<Vec<PathBuf>, Unfollowed> {
    let mut candidates = vec![PathBuf::new()];
    for component in path.components() {
        let pattern = match component {
            Component::Normal(segment) => segment.to_str().filter(|segment| is_pattern(segment)),
            _ => None,
        };
        let Some(pattern) = pattern else {
            candidates.iter_mut().for_each(|candidate| candidate.push(component));
            continue;
        };
        let mut matched = Vec::new();
        for folder in candidates {
            let folder = match roots.inside(&folder) {
                Ok(folder) => folder,
                Err(Refusal::Missing) => continue,
                Err(Refusal::Outside) => return Err(Unfollowed::Refused(OUTSIDE)),
            };
            watched.note(&folder);
            let Ok(entries) = std::fs::read_dir(&folder) else { continue };
            let mut names: Vec<String> = entries
                .flatten()
                .filter_map(|entry| entry.file_name().into_string().ok())
                .filter(|name| glob(pattern, name) && (!name.starts_with('.') || pattern.starts_with('.')))
                .collect();
            names.sort();
            matched.extend(names.into_iter().map(|name| folder.join(name)));
        }
        candidates = matched;
    }
    Ok(candidates)
}

#[cfg(test)]
mod tests;
