//! Reads the catalog from folders (and single files) of `catalog-info.yaml` manifests, and the
//! files their `Location` entities name.

use std::path::{Path, PathBuf};

use domain::catalog::claims::{self, Claims, FOLDERS, SourcePart};
use domain::catalog::follow::Follow;
use domain::catalog::{Catalog, RuntimeTarget, parse_manifest};

use crate::catalog_definitions as definitions;
use crate::catalog_fingerprint::Watched;
use crate::catalog_locations::{self as locations, MAX_FOLLOWED_FILES};
use crate::catalog_roots::Roots;
use crate::yaml_files::{YamlFile, yaml_files};

/// What a read of the folders found, and every path it looked at besides the walk.
pub struct Loaded {
    pub catalog: Catalog,
    pub watched: Watched,
}

/// [`read`]'s catalog.
pub fn load(paths: &[PathBuf]) -> Catalog {
    read(paths).catalog
}

/// Reads every YAML file under `paths` (see [`crate::yaml_files`]) and the files their
/// Locations name ([`crate::catalog_locations`]), each once. Problems with one file
/// (unreadable, too large, malformed) are recorded and the other files still load.
pub fn read(paths: &[PathBuf]) -> Loaded {
    let (walked, problems) = yaml_files(paths);
    let roots = Roots::of(paths);
    let mut watched = Watched::default();
    let mut follow = Follow::new(MAX_FOLLOWED_FILES);
    for file in walked {
        // Canonical, so that a file the walk found and a Location names is one file.
        follow.start(file.path.canonicalize().unwrap_or(file.path), file.name);
    }
    let mut read = Vec::new();
    while let Some((path, name)) = follow.next_file() {
        let file = YamlFile { path, name };
        watched.note(&file.path);
        let mut part = load_file(&file);
        locations::follow_from(&mut part, &file, &roots, &mut follow, &mut watched);
        read.push((file, part));
    }
    let mut catalog = Catalog { problems, ..Catalog::default() };
    // A file an API pulls in is part of that API, not a manifest: it is left out, not reported.
    let pulled_in = definitions::canonical(read.iter().flat_map(|(file, part)| definitions::named_by(part, &file.path)));
    for (file, mut part) in read {
        if file.path.canonicalize().is_ok_and(|path| pulled_in.contains(&path)) {
            continue;
        }
        definitions::read_into(&mut part, &file, &roots, &mut watched);
        catalog.extend(part);
    }
    catalog.problems.extend(follow.finish());
    // Names are unique per kind: the first declaration wins, each later one is a problem.
    let clean = catalog.problems.is_empty();
    let folders = SourcePart { source: FOLDERS.to_owned(), catalog, clean };
    Loaded { catalog: claims::merge(vec![folders], &Claims::new()).0, watched }
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
    /// The owner the other manifests name, so that no reference is left dangling.
    const TEAM: &str = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n";

    /// A folder with the team in it.
    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("team.yaml"), TEAM).expect("write");
        dir
    }

    #[test]
    fn a_name_declared_twice_keeps_the_first_and_reports_the_second() {
        let dir = folder();
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

    const API: &str = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $text: ";

    fn definition(catalog: &Catalog) -> &str {
        let api = catalog.entities.iter().find(|entity| entity.name == "api").expect("the API");
        match &api.details {
            domain::catalog::Details::Api(definition) => &definition.text,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_definition_file_is_read_into_its_api_and_is_not_a_manifest() {
        let dir = folder();
        std::fs::create_dir(dir.path().join("specs")).expect("mkdir");
        std::fs::write(dir.path().join("api.yaml"), format!("{API}./specs/openapi.yaml\n")).expect("write");
        std::fs::write(dir.path().join("specs/openapi.yaml"), "openapi: 3.0.0\npaths: {}\n").expect("write");
        let catalog = load(&[dir.path().to_owned()]);
        assert_eq!(catalog.problems, vec![], "the OpenAPI file is not reported as a broken manifest");
        assert_eq!(definition(&catalog), "openapi: 3.0.0\npaths: {}\n");
    }

    #[test]
    fn a_definition_outside_the_folders_missing_or_on_the_network_is_a_problem_and_the_api_stays() {
        let outside = tempfile::tempdir().expect("temp dir");
        std::fs::write(outside.path().join("secret.yaml"), "password: x\n").expect("write");
        let secret = outside.path().join("secret.yaml").display().to_string();
        for (target, expected) in [
            (secret.as_str(), "is outside the catalog folders"),
            ("./missing.yaml", "does not exist next to the manifest"),
            ("http://169.254.169.254/latest", "is an address"),
        ] {
            let dir = folder();
            std::fs::write(dir.path().join("api.yaml"), format!("{API}{target}\n")).expect("write");
            let catalog = load(&[dir.path().to_owned()]);
            assert_eq!(catalog.entities.len(), 2, "{target}");
            assert_eq!(definition(&catalog), "", "{target}");
            assert_eq!(catalog.problems.len(), 1, "{target}: {:?}", catalog.problems);
            let problem = &catalog.problems[0];
            assert_eq!((problem.line, problem.field.as_deref()), (Some(1), Some("spec.definition")));
            assert!(problem.message.contains(expected), "{target}: {}", problem.message);
            assert!(!problem.message.contains("password"));
        }
    }

    #[test]
    fn unreadable_sources_are_problems_not_failures() {
        let dir = folder();
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
