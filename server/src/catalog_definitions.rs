//! API definitions that a manifest pulls in with `$text` (or `$json`, `$yaml`): a file next to
//! the manifest, read into the API's entity. Such a file is part of the API, not a manifest of
//! its own, so the folder source leaves it out of the catalog's files.
//!
//! Only files are read, and only inside the configured catalog folders: a manifest is input
//! from outside, and following `../../etc/passwd` or an address on the internal network would
//! let whoever writes one read what the portal can.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use domain::catalog::{Catalog, Details, Entity, Problem};

use crate::yaml_files::{MAX_FILE_BYTES, YamlFile};

/// The definition files `catalog`'s APIs (read from `file`) name, resolved next to it.
pub fn named_by(catalog: &Catalog, file: &Path) -> Vec<PathBuf> {
    let folder = file.parent().unwrap_or(Path::new("."));
    catalog.entities.iter().filter_map(pulled_in).filter(|target| !is_address(target)).map(|target| folder.join(target)).collect()
}

/// Fills in the definitions of `catalog`'s APIs from the files they name, relative to `file`,
/// when those are inside one of `roots` (already canonical). Each one that cannot be read is a
/// problem on the manifest's `spec.definition`; the API is kept, without its definition.
pub fn read_into(catalog: &mut Catalog, file: &YamlFile, roots: &[PathBuf]) {
    let folder = file.path.parent().unwrap_or(Path::new(".")).to_owned();
    let mut problems = Vec::new();
    for entity in &mut catalog.entities {
        let Some(target) = pulled_in(entity).map(str::to_owned) else { continue };
        let read = if is_address(&target) {
            Err(format!(
                "`{target}` is an address: Portico reads API definitions from files next to the manifest, not from the network"
            ))
        } else {
            read_inside(&folder.join(&target), roots).map_err(|why| format!("`{target}` {why}"))
        };
        match (read, &mut entity.details) {
            (Ok(text), Details::Api(definition)) => definition.text = text,
            (Err(message), _) => problems.push(problem(&file.name, entity, message)),
            (Ok(_), _) => {}
        }
    }
    catalog.problems.extend(problems);
}

/// A problem for each API of `catalog` whose definition is in another file, where those files
/// cannot be read (a repository's manifest is read alone).
pub fn unread(catalog: &mut Catalog, why: &str) {
    let problems: Vec<Problem> = catalog
        .entities
        .iter()
        .filter_map(|entity| pulled_in(entity).map(|target| problem(&entity.source.file, entity, format!("`{target}` is not read: {why}"))))
        .collect();
    catalog.problems.extend(problems);
}

/// The canonical form of each path that exists, to compare files however they were named.
pub fn canonical(paths: impl IntoIterator<Item = PathBuf>) -> HashSet<PathBuf> {
    paths.into_iter().filter_map(|path| path.canonicalize().ok()).collect()
}

fn pulled_in(entity: &Entity) -> Option<&str> {
    match &entity.details {
        Details::Api(definition) if definition.text.is_empty() => definition.from.as_deref(),
        _ => None,
    }
}

fn is_address(target: &str) -> bool {
    target.contains("://")
}

fn read_inside(path: &Path, roots: &[PathBuf]) -> Result<String, String> {
    let path = path.canonicalize().map_err(|_| "does not exist next to the manifest".to_owned())?;
    if !roots.iter().any(|root| path.starts_with(root)) {
        return Err("is outside the catalog folders, which are the only files Portico reads".to_owned());
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        return Err(format!("is {size} bytes; definitions larger than {MAX_FILE_BYTES} bytes are not read"));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot be read: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_owned())
}

fn problem(file: &str, entity: &Entity, message: String) -> Problem {
    Problem { file: file.to_owned(), line: Some(entity.source.line), field: Some("spec.definition".to_owned()), message }
}
