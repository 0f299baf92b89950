//! The folders the catalog may read files from: each configured folder, and the folder of each
//! configured file (a single root `Location` file pulls in the files beside it). A manifest is
//! input from outside, so a file it names (a `Location`'s target, an API's definition) is read
//! only when its canonical path, links resolved, lies inside one of them: following
//! `../../etc/passwd` would otherwise let whoever writes a manifest read what the portal can.

use std::path::{Component, Path, PathBuf};

/// The words every problem about a file outside the roots uses.
pub const OUTSIDE: &str = "is outside the catalog folders, which are the only files Portico reads";

/// The roots, canonical, each with the name its files are shown under.
#[derive(Clone, Debug, Default)]
pub struct Roots(Vec<(PathBuf, PathBuf)>);

/// Why a path named in a manifest is not read.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Outside,
}

impl Roots {
    /// The roots of the configured `paths`; one that does not exist allows nothing.
    pub fn of(paths: &[PathBuf]) -> Self {
        Self(
            paths
                .iter()
                .filter_map(|path| {
                    let canonical = path.canonicalize().ok()?;
                    if canonical.is_file() {
                        // Named from the folder down, as the file itself is (`catalog-info.yaml`).
                        Some((canonical.parent()?.to_owned(), PathBuf::new()))
                    } else {
                        // Named from the configured folder's own name, as the walk names its files.
                        Some((canonical, path.file_name().map(PathBuf::from).unwrap_or_default()))
                    }
                })
                .collect(),
        )
    }

    /// Whether a canonical path lies inside a root.
    pub fn contains(&self, canonical: &Path) -> bool {
        self.0.iter().any(|(root, _)| canonical.starts_with(root))
    }

    /// `path`'s canonical form, when it exists inside a root. `path` is built on a canonical
    /// folder (the manifest's), so a path that leaves the roots as written is refused before
    /// the file system is asked: whether a file exists outside them is not for a problem to tell.
    pub fn inside(&self, path: &Path) -> Result<PathBuf, Refusal> {
        if !self.contains(&lexical(path)) {
            return Err(Refusal::Outside);
        }
        let canonical = path.canonicalize().map_err(|_| Refusal::Missing)?;
        if self.contains(&canonical) { Ok(canonical) } else { Err(Refusal::Outside) }
    }

    /// How pages and problems name a canonical path inside a root: from the root's name down,
    /// short and without revealing where the server keeps it.
    pub fn name(&self, canonical: &Path) -> String {
        let named = self.0.iter().find_map(|(root, base)| canonical.strip_prefix(root).ok().map(|relative| base.join(relative)));
        named.unwrap_or_else(|| canonical.file_name().map(PathBuf::from).unwrap_or_default()).display().to_string()
    }
}

/// `path` with `.` and `..` resolved as written, links left as they are.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_file_allows_its_folder_and_names_from_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("catalog");
        std::fs::create_dir_all(root.join("apis")).expect("mkdir");
        std::fs::write(root.join("catalog-info.yaml"), "").expect("write");
        std::fs::write(root.join("apis/a.yaml"), "").expect("write");
        std::fs::write(dir.path().join("secret.yaml"), "").expect("write");

        let folder = Roots::of(std::slice::from_ref(&root));
        let file = Roots::of(&[root.join("catalog-info.yaml")]);
        let api = root.join("apis/a.yaml").canonicalize().expect("exists");
        assert_eq!(folder.name(&api), "catalog/apis/a.yaml");
        assert_eq!(file.name(&api), "apis/a.yaml");
        assert_eq!(file.inside(&root.join("apis/../apis/a.yaml")), Ok(api));
        assert_eq!(file.inside(&root.join("../secret.yaml")), Err(Refusal::Outside));
        assert_eq!(file.inside(&root.join("../../../../../../etc/passwd")), Err(Refusal::Outside));
        assert_eq!(file.inside(&root.join("../no-such-file.yaml")), Err(Refusal::Outside), "outside, whether it exists or not");
        assert_eq!(file.inside(&root.join("missing.yaml")), Err(Refusal::Missing));
        assert!(Roots::of(&[dir.path().join("missing")]).0.is_empty());
    }
}
