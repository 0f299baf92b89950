//! Locations in catalog folders: a configured root Location file pulling in the files beside
//! it, patterns, and each target that cannot be followed reported where it is written.

use std::path::Path;

use domain::catalog::{Catalog, Details, EntityKind, Problem};

use crate::catalog_source::load;

const TEAM: &str = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n";

fn component(name: &str) -> String {
    format!("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n")
}

/// A Location document whose targets start on line 7, one a line.
fn location(name: &str, targets: &[&str]) -> String {
    let targets: String = targets.iter().map(|target| format!("    - {target}\n")).collect();
    format!("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: {name}\nspec:\n  targets:\n{targets}")
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn names(catalog: &Catalog, kind: EntityKind) -> Vec<&str> {
    catalog.of_kind(kind).map(|entity| entity.name.as_str()).collect()
}

/// The files each target of Location `name` brought in.
fn followed(catalog: &Catalog, name: &str) -> Vec<Vec<String>> {
    let location = catalog.of_kind(EntityKind::Location).find(|entity| entity.name == name).expect("the Location");
    let Details::Location { targets, .. } = &location.details else { panic!("{:?}", location.details) };
    targets.iter().map(|target| target.files.clone()).collect()
}

fn at(problem: &Problem) -> (&str, Option<usize>, Option<&str>) {
    (problem.file.as_str(), problem.line, problem.field.as_deref())
}

#[test]
fn a_configured_root_location_pulls_in_files_and_patterns_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("catalog");
    write(&root, "catalog-info.yaml", &location("root", &["./team.yaml", "./services/*.yaml", "./more/catalog-info.yaml"]));
    write(&root, "team.yaml", TEAM);
    write(&root, "services/api.yaml", &component("api"));
    write(&root, "services/web.yaml", &component("web"));
    write(&root, "services/.hidden.yaml", &component("hidden"));
    write(&root, "services/notes.txt", "not matched");
    // A Location pulled in follows its own targets, relative to itself.
    write(&root, "more/catalog-info.yaml", &location("more", &["../elsewhere/worker.yaml"]));
    write(&root, "elsewhere/worker.yaml", &component("worker"));

    let catalog = load(&[root.join("catalog-info.yaml")]);
    assert_eq!(catalog.problems, vec![]);
    assert_eq!(names(&catalog, EntityKind::Component), ["api", "web", "worker"]);
    assert_eq!(names(&catalog, EntityKind::Location), ["root", "more"]);
    assert_eq!(followed(&catalog, "root"), [vec!["team.yaml"], vec!["services/api.yaml", "services/web.yaml"], vec!["more/catalog-info.yaml"]]);
    assert_eq!(followed(&catalog, "more"), [vec!["elsewhere/worker.yaml"]]);
    let worker = catalog.services.iter().find(|service| service.name == "worker").expect("worker");
    assert_eq!(worker.source.file, "elsewhere/worker.yaml");
}

#[test]
fn a_file_the_walk_finds_and_a_location_names_is_read_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("catalog");
    write(&root, "all.yaml", &location("all", &["./team.yaml", "./*.yaml"]));
    write(&root, "team.yaml", TEAM);
    write(&root, "api.yaml", &component("api"));
    let catalog = load(std::slice::from_ref(&root));
    assert_eq!(catalog.problems, vec![], "no name is declared twice, and the pattern does not match its own file");
    assert_eq!(names(&catalog, EntityKind::Group), ["team-a"]);
    assert_eq!(followed(&catalog, "all"), [vec!["catalog/team.yaml"], vec!["catalog/api.yaml", "catalog/team.yaml"]]);
}

#[test]
fn targets_that_cannot_be_followed_are_problems_where_written_and_the_rest_loads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("catalog");
    std::fs::write(dir.path().join("secret.yaml"), component("secret")).expect("write");
    let targets =
        ["./team.yaml", "./missing.yaml", "../../etc/passwd", "../secret.yaml", "https://example.com/catalog-info.yaml", "./catalog-info.yaml", "./a.yaml", "./apis", "./**/x.yaml", "./none/*.yaml"];
    write(&root, "catalog-info.yaml", &location("root", &targets));
    write(&root, "team.yaml", TEAM);
    write(&root, "apis/x.yaml", &component("x"));
    write(&root, "a.yaml", &format!("{}---\n{}", location("a", &["./b.yaml"]), component("a")));
    write(&root, "b.yaml", &format!("{}---\n{}", location("b", &["./a.yaml"]), component("b")));

    let catalog = load(&[root.join("catalog-info.yaml")]);
    assert_eq!(names(&catalog, EntityKind::Component), ["a", "b"], "everything that can be read loads");
    assert_eq!(names(&catalog, EntityKind::Group), ["team-a"]);
    let mut found: Vec<(&str, Option<usize>, Option<&str>)> = catalog.problems.iter().map(at).collect();
    found.sort();
    let fields: Vec<String> = (0..10).map(|at| format!("spec.targets[{at}]")).collect();
    let mut expected: Vec<(&str, Option<usize>, Option<&str>)> =
        [8, 9, 10, 11, 12, 14, 15, 16].into_iter().map(|line| ("catalog-info.yaml", Some(line), Some(fields[line - 7].as_str()))).collect();
    expected.insert(0, ("b.yaml", Some(7), Some("spec.targets[0]")));
    assert_eq!(found, expected, "{:#?}", catalog.problems);
    let message = |line: usize| &catalog.problems.iter().find(|p| p.line == Some(line) && p.file == "catalog-info.yaml").expect("a problem").message;
    assert!(message(8).starts_with("`./missing.yaml` does not exist"), "{}", message(8));
    assert!(message(9).starts_with("`../../etc/passwd` is outside the catalog folders"), "{}", message(9));
    assert!(message(10).starts_with("`../secret.yaml` is outside the catalog folders"), "{}", message(10));
    assert!(message(11).contains("is an address"), "{}", message(11));
    assert!(message(12).contains("leads back to catalog-info.yaml, making a loop (catalog-info.yaml → catalog-info.yaml)"), "{}", message(12));
    assert!(message(14).contains("is a folder"), "{}", message(14));
    assert!(message(15).contains("`**`"), "{}", message(15));
    assert!(message(16).contains("matches no file"), "{}", message(16));
    let closing = catalog.problems.last().expect("the loop");
    assert!(closing.message.contains("(a.yaml → b.yaml → a.yaml)"), "{}", closing.message);
    assert!(catalog.problems.iter().all(|p| !p.message.contains(&dir.path().display().to_string())), "no server path is shown");
}

#[test]
fn an_optional_target_may_be_absent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("catalog");
    write(&root, "catalog-info.yaml", &format!("{}  presence: optional\n", location("root", &["./later.yaml", "./later/*.yaml"])));
    let catalog = load(&[root.join("catalog-info.yaml")]);
    assert_eq!(catalog.problems, vec![]);
    assert_eq!(followed(&catalog, "root"), [Vec::<String>::new(), Vec::new()]);
}
