//! The manifests kept in the repository: the demo catalog must stay clean, and the browser-test
//! fixtures must break exactly as the browser and server tests expect.

use std::path::{Path, PathBuf};

use super::super::super::{Catalog, EntityKind, Problem, resolve};
use super::super::parse_manifest;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Parses `dir/name` under the name `name`, as the problems then read.
fn parse_file(dir: &Path, name: &str) -> Catalog {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_manifest(name, &text)
}

#[test]
fn the_demo_catalog_loads_without_problems() {
    let dir = repository().join("deploy/demo/catalog");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("deploy/demo/catalog exists")
        .map(|entry| entry.expect("readable entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    files.sort();
    let mut catalog = Catalog::default();
    for name in &files {
        catalog.extend(parse_file(&dir, name));
    }
    assert_eq!(catalog.problems, vec![], "{files:?}");
    assert!(catalog.services.len() >= 12, "{} services", catalog.services.len());
    for kind in EntityKind::ALL.into_iter().filter(|kind| !matches!(kind, EntityKind::Template | EntityKind::AiResource)) {
        assert!(catalog.of_kind(kind).next().is_some(), "the demo shows no {}", kind.label());
    }
    // Every reference points at something the demo declares, so no page shows a dead end.
    assert_eq!(resolve(&catalog.entities).1, vec![]);
    assert!(catalog.services.iter().all(|service| service.system.is_some()), "every demo service is in a system");
    for lifecycle in ["production", "experimental", "deprecated"] {
        assert!(catalog.services.iter().any(|service| service.lifecycle == lifecycle), "no {lifecycle} service");
    }
}

#[test]
fn the_good_fixture_is_clean() {
    let catalog = parse_file(&repository().join("end2end/fixtures/catalog"), "good.yaml");
    assert_eq!(catalog.problems, vec![]);
    let services: Vec<(&str, &str)> = catalog.services.iter().map(|s| (s.name.as_str(), s.owner.as_str())).collect();
    assert_eq!(
        services,
        [
            ("fixture-api", "fixture-backend"),
            ("fixture-web", "fixture-frontend"),
            ("fixture-worker", "fixture-backend")
        ]
    );
    let teams: Vec<&str> = catalog.of_kind(EntityKind::Group).map(|team| team.name.as_str()).collect();
    assert_eq!(teams, ["fixture-backend", "fixture-frontend"]);
    assert_eq!(catalog.of_kind(EntityKind::System).count(), 1);
    assert!(catalog.services.iter().all(|service| service.system.as_deref() == Some("fixture-shop")));
    assert!(catalog.services[0].manifest.contains("name: fixture-api"));
}

#[test]
fn the_broken_fixture_reports_the_missing_owner_and_keeps_the_survivor() {
    let catalog = parse_file(&repository().join("end2end/fixtures/catalog"), "broken.yaml");
    let services: Vec<&str> = catalog.services.iter().map(|service| service.name.as_str()).collect();
    assert_eq!(services, ["fixture-survivor"]);
    let expected = Problem {
        file: "broken.yaml".into(),
        line: Some(7),
        field: Some("spec.owner".into()),
        message: "is required".into(),
    };
    assert_eq!(catalog.problems, vec![expected]);
}

#[test]
fn the_syntax_error_fixture_reports_one_problem_and_loads_nothing() {
    let catalog = parse_file(&repository().join("end2end/fixtures/catalog"), "syntax-error.yaml");
    let expected = Problem {
        file: "syntax-error.yaml".into(),
        line: Some(6),
        field: None,
        message: "YAML syntax error at column 16: mapping values are not allowed in this context".into(),
    };
    assert_eq!(catalog, Catalog { problems: vec![expected], ..Catalog::default() });
}
