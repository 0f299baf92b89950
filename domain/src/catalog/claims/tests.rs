use super::*;
use crate::catalog::parse_manifest;

fn service(file: &str, name: &str, owner: &str) -> Catalog {
    let text = format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n\
         spec:\n  type: service\n  lifecycle: production\n  owner: {owner}\n"
    );
    parse_manifest(file, &text)
}

fn part(source: &str, catalog: Catalog) -> SourcePart {
    let clean = catalog.problems.is_empty();
    SourcePart { source: source.to_owned(), catalog, clean }
}

fn owner_of(catalog: &Catalog, name: &str) -> Option<String> {
    catalog.services.iter().find(|s| s.name == name).map(|s| s.owner.clone())
}

#[test]
fn a_name_stays_with_the_source_that_declared_it_first() {
    let payments = || part("github:payments", service("payments/catalog-info.yaml", "payments", "team-a"));
    let (first, claims) = merge(vec![payments()], &Claims::new());
    assert_eq!(owner_of(&first, "payments").as_deref(), Some("team-a"));

    // A repository listed before it (older, or earlier by name) declares the same name later.
    let evil = part("github:aaa-tools", service("aaa-tools/catalog-info.yaml", "payments", "mallory-team"));
    let (second, claims) = merge(vec![evil, payments()], &claims);
    assert_eq!(owner_of(&second, "payments").as_deref(), Some("team-a"));
    assert_eq!(second.services.len(), 1);
    let problem = &second.problems[0];
    assert_eq!((problem.file.as_str(), problem.field.as_deref()), ("aaa-tools/catalog-info.yaml", Some("metadata.name")));
    assert!(problem.message.contains("payments/catalog-info.yaml:1") && problem.message.contains("belongs to repository payments"), "{}", problem.message);
    assert_eq!(claims[&(COMPONENT.to_owned(), "payments".to_owned())].source, "github:payments");
}

#[test]
fn a_broken_owner_keeps_its_names_and_a_removed_one_lets_them_go() {
    let (_, claims) = merge(vec![part("github:payments", service("payments/catalog-info.yaml", "payments", "team-a"))], &Claims::new());
    let evil = || part("github:aaa-tools", service("aaa-tools/catalog-info.yaml", "payments", "mallory-team"));
    // A push breaks payments' manifest: its service is gone for now, but not its name.
    let broken = part("github:payments", parse_manifest("payments/catalog-info.yaml", "kind: ["));
    let (catalog, claims) = merge(vec![evil(), broken], &claims);
    assert_eq!(catalog.services, vec![]);
    assert!(catalog.problems.iter().any(|p| p.file.starts_with("aaa-tools") && p.message.contains("stays with it")), "{:?}", catalog.problems);
    assert_eq!(claims[&(COMPONENT.to_owned(), "payments".to_owned())].source, "github:payments");

    // payments stops declaring it on purpose (a clean manifest without it): the name is free.
    let (catalog, claims) = merge(vec![evil(), part("github:payments", Catalog::default())], &claims);
    assert_eq!(owner_of(&catalog, "payments").as_deref(), Some("mallory-team"));
    assert_eq!(claims[&(COMPONENT.to_owned(), "payments".to_owned())].source, "github:aaa-tools");
}

#[test]
fn new_names_go_to_the_first_source_and_duplicates_within_one_keep_the_first() {
    let mut folders = service("catalog/a.yaml", "api", "team-a");
    folders.extend(service("catalog/b.yaml", "api", "team-b"));
    let repo = part("github:api", service("api/catalog-info.yaml", "api", "team-c"));
    let (catalog, claims) = merge(vec![part(FOLDERS, folders), repo], &Claims::new());
    assert_eq!(owner_of(&catalog, "api").as_deref(), Some("team-a"));
    let messages: Vec<&str> = catalog.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages[0], "a Component named `api` is already declared at catalog/a.yaml:1");
    assert!(messages[1].contains("belongs to the catalog folders"), "{messages:?}");
    assert_eq!(claims.len(), 1);
}

#[test]
fn the_summary_follows_owner_targets_and_guards() {
    let text = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: api\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n  environments:\n    - name: prod\n      production: true\n      kubernetes:\n        namespace: shop\n        deployment: api\n";
    let catalog = parse_manifest("api.yaml", text);
    let summary: serde_json::Value = serde_json::from_str(&service_summary(&catalog.services[0])).expect("JSON");
    assert_eq!(
        summary,
        json!({ "owner": "team-a", "environments": [{ "name": "prod", "production": true, "runtime": "kubernetes", "target": "default/shop/api" }] })
    );
}
