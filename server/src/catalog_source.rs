//! Reads the catalog from folders (and single files) of `catalog-info.yaml` manifests.

use std::path::{Path, PathBuf};

use domain::catalog::claims::{self, Claims, FOLDERS, SourcePart};
use domain::catalog::{Catalog, RuntimeTarget, parse_manifest};

use crate::yaml_files::{YamlFile, yaml_files};

/// Reads every YAML file under `paths` (see [`crate::yaml_files`]). Problems with one file
/// (unreadable, too large, malformed) are recorded and the other files still load.
pub fn load(paths: &[PathBuf]) -> Catalog {
    let (files, problems) = yaml_files(paths);
    let mut catalog = Catalog { problems, ..Catalog::default() };
    for file in &files {
        catalog.extend(load_file(file));
    }
    // Names are unique per kind: the first declaration wins, each later one is a problem.
    let clean = catalog.problems.is_empty();
    let folders = SourcePart { source: FOLDERS.to_owned(), catalog, clean };
    claims::merge(vec![folders], &Claims::new()).0
}

fn load_file(file: &YamlFile) -> Catalog {
    match file.read() {
        Ok(text) => with_workdir(parse_manifest(&file.name, &text), &file.path),
        Err(problem) => Catalog { problems: vec![problem], ..Catalog::default() },
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
