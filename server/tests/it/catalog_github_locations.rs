//! A repository's Locations, against the GitHub double: their targets followed within the
//! repository through the contents endpoint (patterns by listing one folder), nothing outside
//! it ever asked for, `$text` definitions read beside the manifest, and an unchanged
//! repository checked again with `304`s only.

use domain::catalog::{Details, EntityKind};
use domain::store::CatalogStore;
use github_double::{FakeRepo, GithubDouble};
use server::catalog_refresh::CatalogRefresher;
use server::store::Store;

use crate::catalog_github::{FILE, ORG, config, organisation, problems, refresher, service_names};
use crate::support::{Engine, TestDb, on_both_engines};

on_both_engines!(
    a_repositorys_locations_are_followed_within_it_and_definitions_read,
    an_unchanged_repository_with_locations_costs_only_not_modified_answers,
);

const TEAM: &str = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n";

/// A Location whose targets start on line 7, one a line.
fn location(targets: &[&str]) -> String {
    let targets: String = targets.iter().map(|target| format!("    - {target}\n")).collect();
    format!("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: platform\nspec:\n  targets:\n{targets}")
}

fn component(name: &str) -> String {
    format!("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n")
}

const API: &str = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: orders\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $text: ./orders-openapi.yaml\n";
const OPENAPI: &str = "openapi: 3.0.0\ninfo: {title: Orders, version: '1'}\npaths: {}\n";

/// The platform repository: a root Location pulling in a team, a folder of APIs (one of
/// them a definition file another pulls in), services one folder down, and four targets that
/// cannot be followed.
fn platform() -> FakeRepo {
    let targets = ["./team.yaml", "./apis/*.yaml", "./services/*/catalog-info.yaml", "./missing.yaml", "../outside.yaml", "https://github.com/acme/other/blob/main/catalog-info.yaml", "./services/*.md"];
    FakeRepo::new("platform")
        .with_file(FILE, &location(&targets))
        .with_file("team.yaml", TEAM)
        .with_file("apis/orders.yaml", API)
        .with_file("apis/orders-openapi.yaml", OPENAPI)
        .with_file("services/billing/catalog-info.yaml", &component("billing"))
        .with_file("services/ledger/catalog-info.yaml", &component("ledger"))
        .with_file("services/ledger/README.md", "# Ledger\n")
}

/// The organisation with the platform repository, read once into a fresh database.
async fn loaded(engine: Engine) -> (TestDb, Store, GithubDouble, CatalogRefresher) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, token) = organisation().await;
    github.put_repository(ORG, platform());
    let catalog = refresher(&store, vec![], &config(&github, &token));
    catalog.load().await.expect("load");
    (db, store, github, catalog)
}

async fn a_repositorys_locations_are_followed_within_it_and_definitions_read(engine: Engine) {
    let (_db, store, github, _catalog) = loaded(engine).await;

    assert_eq!(service_names(&store).await, ["billing", "checkout", "ledger", "payments"]);
    let orders = store.entity(EntityKind::Api, "default", "orders").await.expect("read").expect("the API");
    assert_eq!(orders.entity.source.file, "platform/apis/orders.yaml");
    assert_eq!(orders.entity.details, Details::Api(domain::catalog::ApiDefinition { text: OPENAPI.into(), from: Some("./orders-openapi.yaml".into()) }));
    let location = store.entity(EntityKind::Location, "default", "platform").await.expect("read").expect("the Location");
    let Details::Location { targets, .. } = &location.entity.details else { panic!("{:?}", location.entity.details) };
    assert_eq!(targets[1].files, ["platform/apis/orders-openapi.yaml", "platform/apis/orders.yaml"]);
    assert_eq!(targets[2].files, ["platform/services/billing/catalog-info.yaml", "platform/services/ledger/catalog-info.yaml"]);

    // The definition file the pattern matched is part of its API, not a broken manifest; the
    // team the Location pulled in is the owner every repository names.
    let mut found: Vec<(String, Option<usize>, Option<String>)> =
        problems(&store).await.into_iter().map(|p| (p.file, p.line, p.field)).collect();
    found.sort();
    let at = |line: usize| ("platform/catalog-info.yaml".to_owned(), Some(line), Some(format!("spec.targets[{}]", line - 7)));
    assert_eq!(found, [at(10), at(11), at(12), at(13)]);
    let messages: Vec<String> = problems(&store).await.into_iter().map(|p| p.message).collect();
    assert!(messages.iter().any(|m| m.starts_with("`./missing.yaml` does not exist")), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("`../outside.yaml` leaves the repository")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("is an address")), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("`./services/*.md` matches no file")), "{messages:?}");
    let asked = github.paths_read();
    assert!(asked.iter().all(|path| !path.contains("..") && !path.contains("outside") && !path.contains("other")), "{asked:?}");
}

async fn an_unchanged_repository_with_locations_costs_only_not_modified_answers(engine: Engine) {
    let (_db, store, github, catalog) = loaded(engine).await;
    let (requests, not_modified) = (github.repository_requests(), github.not_modified());
    catalog.refresh_github().await.expect("refresh");
    let asked = github.repository_requests() - requests;
    // The listing, the four repositories' manifests and, for the platform one: the team, two
    // listings (`apis`, `services`), the two files of each (the definition among them, asked
    // once though both matched and pulled in) and the target that is not there.
    assert_eq!(asked, 1 + 4 + 1 + 2 + 4 + 1, "{:?}", github.paths_read());
    // Everything but the two 404s (a repository without a manifest, the missing target),
    // which have no ETag to ask with.
    assert_eq!(github.not_modified() - not_modified, asked - 2);

    assert!(github.put_file(ORG, "platform", "services/billing/catalog-info.yaml", &component("billing-v2")));
    catalog.refresh_github().await.expect("refresh");
    assert!(service_names(&store).await.contains(&"billing-v2".to_owned()), "a change to a file a Location names is read");
}
