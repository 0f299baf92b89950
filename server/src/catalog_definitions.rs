//! API definitions that a manifest pulls in with `$text` (or `$json`, `$yaml`): a file next to
//! the manifest, read into the API's entity. Such a file is part of the API, not a manifest of
//! its own, so both sources leave it out of the catalog's files. A folder's are read here; a
//! repository's through the GitHub client ([`crate::catalog_github`]), with the same [`fill`].
//!
//! Only files are read, and only inside the catalog roots ([`crate::catalog_roots`]): a
//! manifest is input from outside, and following `../../etc/passwd` or an address on the
//! internal network would let whoever writes one read what the portal can.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use domain::catalog::follow::is_address;
use domain::catalog::{Catalog, Details, Entity, Problem};

use crate::catalog_fingerprint::Watched;
use crate::catalog_roots::{OUTSIDE, Refusal, Roots};
use crate::yaml_files::{MAX_FILE_BYTES, YamlFile};

/// The definition files `catalog`'s APIs (read from `file`) name, resolved next to it.
pub fn named_by(catalog: &Catalog, file: &Path) -> Vec<PathBuf> {
    let folder = file.parent().unwrap_or(Path::new("."));
    targets(catalog).filter(|target| !is_address(target)).map(|target| folder.join(target)).collect()
}

/// Fills in the definitions of `catalog`'s APIs from the files they name, relative to `file`,
/// when those are inside `roots`, noting each in `watched`. Each one that cannot be read is a
/// problem on the manifest's `spec.definition`; the API is kept, without its definition.
pub fn read_into(catalog: &mut Catalog, file: &YamlFile, roots: &Roots, watched: &mut Watched) {
    let folder = file.path.parent().unwrap_or(Path::new(".")).to_owned();
    fill(catalog, &file.name, |target| {
        if is_address(target) {
            return Err(ADDRESS.to_owned());
        }
        let path = folder.join(target);
        watched.note(&path);
        read_inside(&path, roots)
    });
}

/// Why an address is not read, whatever the source.
pub const ADDRESS: &str = "is an address: Portico reads API definitions from files next to the manifest, not from the network";

/// Fills in each API of `catalog` (read from the file named `file`) whose definition is in
/// another file with what `read` makes of that file's target: its text, or why it cannot be
/// read, which is a problem on `spec.definition` (the API is kept, without its definition).
pub fn fill(catalog: &mut Catalog, file: &str, mut read: impl FnMut(&str) -> Result<String, String>) {
    let mut problems = Vec::new();
    for entity in &mut catalog.entities {
        let Some(target) = pulled_in(entity).map(str::to_owned) else { continue };
        match (read(&target), &mut entity.details) {
            (Ok(text), Details::Api(definition)) => definition.text = text,
            (Err(why), _) => problems.push(problem(file, entity, format!("`{target}` {why}"))),
            (Ok(_), _) => {}
        }
    }
    catalog.problems.extend(problems);
}

/// The files `catalog`'s APIs name for their definitions, as written.
pub fn targets(catalog: &Catalog) -> impl Iterator<Item = &str> {
    catalog.entities.iter().filter_map(pulled_in)
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

fn read_inside(path: &Path, roots: &Roots) -> Result<String, String> {
    let path = roots.inside(path).map_err(|refusal| match refusal {
        Refusal::Missing => "does not exist next to the manifest".to_owned(),
        Refusal::Outside => OUTSIDE.to_owned(),
    })?;
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
