//! Reads the catalog from folders (and single files) of `catalog-info.yaml` manifests.

use std::path::{Path, PathBuf};

use domain::catalog::claims::{self, Claims, FOLDERS, SourcePart};
use domain::catalog::{Catalog, Problem, RuntimeTarget, parse_manifest};

/// Manifests larger than this are refused: a catalog file is a few kilobytes, and reading an
/// accidental multi-gigabyte file would stall start-up.
const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// Reads every `.yaml`/`.yml` file under `paths`, in a stable order. Problems with one file
/// (unreadable, too large, malformed) are recorded and the other files still load.
///
/// Files are named from the configured folder's own name down (`catalog/teams.yaml`): short
/// enough to read on a page, and without revealing where the server keeps them.
pub fn load(paths: &[PathBuf]) -> Catalog {
    let mut catalog = Catalog::default();
    for root in paths {
        let (files, problem) = manifest_files(root);
        catalog.problems.extend(problem);
        for file in files {
            catalog.extend(load_file(&file, &display_name(root, &file)));
        }
    }
    // Names are unique per kind: the first declaration wins, each later one is a problem.
    let clean = catalog.problems.is_empty();
    let folders = SourcePart { source: FOLDERS.to_owned(), catalog, clean };
    claims::merge(vec![folders], &Claims::new()).0
}

/// The manifest files under `root`, sorted, and the problem that stopped the listing early, if
/// any (the files found before it are still returned).
pub fn manifest_files(root: &Path) -> (Vec<PathBuf>, Option<Problem>) {
    let mut files = Vec::new();
    let problem = collect_files(root, &mut files).err();
    files.sort();
    (files, problem)
}

fn collect_files(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), Problem> {
    let name = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|e| whole_file_problem(&name, &format!("cannot be read: {e}")))?;
    if metadata.is_file() {
        files.push(path.to_owned());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| whole_file_problem(&name, &format!("cannot be listed: {e}")))?;
    for entry in entries.flatten() {
        let child = entry.path();
        let is_manifest = child.extension().is_some_and(|ext| ext == "yaml" || ext == "yml");
        if child.is_dir() {
            collect_files(&child, files)?;
        } else if is_manifest {
            files.push(child);
        }
    }
    Ok(())
}

pub(crate) fn display_name(root: &Path, file: &Path) -> String {
    let base = root.file_name().map(PathBuf::from).unwrap_or_default();
    match file.strip_prefix(root) {
        Ok(relative) if !relative.as_os_str().is_empty() => base.join(relative),
        _ => base,
    }
    .display()
    .to_string()
}

fn load_file(path: &Path, name: &str) -> Catalog {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_MANIFEST_BYTES {
        let message = format!("is {size} bytes; manifests larger than {MAX_MANIFEST_BYTES} bytes are not read");
        return Catalog { problems: vec![whole_file_problem(name, &message)], ..Catalog::default() };
    }
    match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => with_workdir(parse_manifest(name, &text), path),
        Ok(Err(_)) => Catalog { problems: vec![whole_file_problem(name, "is not UTF-8 text")], ..Catalog::default() },
        Err(e) => Catalog { problems: vec![whole_file_problem(name, &format!("cannot be read: {e}"))], ..Catalog::default() },
    }
}

/// Local commands run in the folder of the manifest that declares them, so a catalog folder can
/// keep its scripts beside its manifests.
fn with_workdir(mut catalog: Catalog, path: &Path) -> Catalog {
    let folder = path.parent().map(|folder| folder.display().to_string());
    for environment in catalog.services.iter_mut().flat_map(|service| service.environments.iter_mut()) {
        if let RuntimeTarget::Local(local) = &mut environment.target {
            local.workdir.clone_from(&folder);
        }
    }
    catalog
}

fn whole_file_problem(name: &str, message: &str) -> Problem {
    Problem { file: name.to_owned(), line: None, field: None, message: message.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: api\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n";

    #[test]
    fn a_name_declared_twice_keeps_the_first_and_reports_the_second() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.yaml"), SERVICE).expect("write");
        std::fs::write(dir.path().join("b.yaml"), SERVICE).expect("write");
        let catalog = load(&[dir.path().to_owned()]);
        assert_eq!(catalog.services.len(), 1);
        assert!(catalog.services[0].source.file.ends_with("a.yaml"));
        assert_eq!(catalog.problems.len(), 1);
        let problem = &catalog.problems[0];
        assert!(problem.file.ends_with("b.yaml"));
        assert_eq!(problem.field.as_deref(), Some("metadata.name"));
        assert!(problem.message.contains("a.yaml:1"), "{}", problem.message);
    }

    #[test]
    fn files_are_named_from_the_configured_folder_down() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("catalog");
        std::fs::create_dir_all(root.join("payments")).expect("mkdir");
        std::fs::write(root.join("payments/api.yaml"), "kind: [").expect("write");
        let catalog = load(std::slice::from_ref(&root));
        assert_eq!(catalog.problems[0].file, "catalog/payments/api.yaml");
        let single = load(&[root.join("payments/api.yaml")]);
        assert_eq!(single.problems[0].file, "api.yaml");
    }

    #[test]
    fn unreadable_sources_are_problems_not_failures() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("good.yaml"), SERVICE).expect("write");
        std::fs::write(dir.path().join("binary.yaml"), [0xff, 0xfe, 0x00]).expect("write");
        std::fs::write(dir.path().join("notes.txt"), "not a manifest").expect("write");
        let missing = dir.path().join("missing");
        let catalog = load(&[dir.path().to_owned(), missing]);
        assert_eq!(catalog.services.len(), 1);
        let messages: Vec<String> = catalog.problems.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("binary.yaml") && m.contains("not UTF-8")));
        assert!(messages.iter().any(|m| m.contains("missing") && m.contains("cannot be read")));
    }
}
