//! The files a repository's `Location` entities name: paths relative to the Location's file,
//! never outside the repository (a `..` that climbs above its root is refused), read from the
//! default branch. A `*` in a path segment matches names within one folder, which costs one
//! conditional request for the folder's listing, counted in the read's budget like any file.

use domain::catalog::follow::{IS_FOLDER, NO_MATCH, folder_of, is_pattern, join_within, refused};
use domain::catalog::glob;
use github_api::GithubError;

use super::api::Contents;
use super::repository::{Got, Session, spent};

/// Why a target names no file.
pub(super) enum Unfollowed {
    /// Nothing there: not a problem when the Location says its targets may be absent.
    Missing(String),
    Refused(String),
}

use Unfollowed::{Missing, Refused};

/// The repository paths `target`, written in the file at `from`, names; the failure of all of
/// GitHub is handed back.
pub(super) async fn resolve(session: &mut Session<'_>, from: &str, target: &str) -> Result<Result<Vec<String>, Unfollowed>, GithubError> {
    if let Some(why) = refused(target) {
        return Ok(Err(Refused(why.to_owned())));
    }
    let Some(path) = join_within(folder_of(from), target) else {
        return Ok(Err(Refused("leaves the repository: a repository's Locations are followed within it only".to_owned())));
    };
    if !path.split('/').any(is_pattern) {
        return Ok(match session.get(&path).await? {
            Got::Found(Contents::File(_)) => Ok(vec![path]),
            Got::Found(Contents::Folder(_)) => Err(Refused(IS_FOLDER.to_owned())),
            Got::Missing => Err(Missing(
                "does not exist: a target is read relative to the Location's file, in the same repository (write `presence: optional` if it may be absent)".to_owned(),
            )),
            Got::Spent => Err(Refused(spent())),
            Got::Failed(why) => Err(Refused(format!("could not be read: {why}"))),
        });
    }
    // Each candidate, and whether it is known to be a file (matched in a listing) or is still
    // to be asked for (a literal name after a pattern: `*/catalog-info.yaml`).
    let mut candidates = vec![(String::new(), false)];
    for segment in path.split('/') {
        if !is_pattern(segment) {
            candidates = candidates.into_iter().map(|(folder, _)| (joined(&folder, segment), false)).collect();
            continue;
        }
        let mut matched = Vec::new();
        for (folder, _) in candidates {
            match session.get(&folder).await? {
                Got::Found(Contents::Folder(entries)) => {
                    let hidden = |name: &str| name.starts_with('.') && !segment.starts_with('.');
                    let entries = entries.into_iter().filter(|entry| glob(segment, &entry.name) && !hidden(&entry.name));
                    matched.extend(entries.map(|entry| (joined(&folder, &entry.name), entry.kind == "file")));
                }
                Got::Found(Contents::File(_)) | Got::Missing => {}
                Got::Spent => return Ok(Err(Refused(spent()))),
                Got::Failed(why) => return Ok(Err(Refused(format!("could not be read: {why}")))),
            }
        }
        candidates = matched;
    }
    let mut files = Vec::new();
    for (candidate, file) in candidates {
        // A pattern never matches the Location's own file.
        if candidate == from {
            continue;
        }
        let is_file = file
            || match session.get(&candidate).await? {
                Got::Found(Contents::File(_)) => true,
                Got::Spent => return Ok(Err(Refused(spent()))),
                _ => false,
            };
        if is_file {
            files.push(candidate);
        }
    }
    files.sort();
    files.dedup();
    if files.is_empty() {
        return Ok(Err(Missing(NO_MATCH.to_owned())));
    }
    Ok(Ok(files))
}

fn joined(folder: &str, name: &str) -> String {
    if folder.is_empty() { name.to_owned() } else { format!("{folder}/{name}") }
}
