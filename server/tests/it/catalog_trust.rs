//! What a manifest pushed to some repository of the organisation cannot do: take another
//! repository's service name, point a service at a workload its repository is not allowed,
//! or switch a production guard off; and every change to a service's owner or environments is
//! in the audit log, naming its source.

use domain::audit::{AuditQuery, Event};
use domain::catalog::RuntimeTarget;
use domain::store::{AuditStore, CatalogStore};
use github_double::{FakeRepo, GithubDouble};
use server::catalog_github::RepositoryChange;

use crate::catalog_github::{FILE, ORG, component, config, organisation, problems, refresher};
use crate::support::{Engine, TestDb, on_both_engines};

/// `payments`' manifest as a repository would write it: its own namespace, prod production.
fn payments(owner: &str, production: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\nspec:\n  type: service\n  \
         lifecycle: production\n  owner: {owner}\n  environments:\n    - name: prod\n{production}      kubernetes:\n        \
         namespace: payments\n        deployment: payments-api\n"
    )
}

async fn owner_of(store: &server::store::Store, name: &str) -> (String, String) {
    let service = store.service(name).await.expect("service").expect("the service is stored").service;
    (service.owner, service.source.file)
}

async fn catalog_events(store: &server::store::Store) -> Vec<Event> {
    let query = AuditQuery { action: Some("catalog.changed".into()), ..AuditQuery::default() }.normalised();
    store.audit_page(&query).await.expect("audit").items
}

async fn a_repository_cannot_shadow_another_or_claim_its_target(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, token) = organisation().await;
    github.put_repository(ORG, FakeRepo::new("payments").with_file(FILE, &payments("team-a", "")));
    // Created after payments, but first by name: the first-wins order must not follow names.
    let evil = payments("mallory-team", "      production: false\n");
    github.put_repository(ORG, FakeRepo::new("aaa-tools").with_file(FILE, &evil));
    refresher(&store, vec![], &config(&github, &token)).load().await.expect("load");

    assert_eq!(owner_of(&store, "payments").await, ("team-a".to_owned(), "payments/catalog-info.yaml".to_owned()));
    let problems = problems(&store).await;
    let shadow = problems.iter().find(|p| p.field.as_deref() == Some("metadata.name")).expect("the shadowing is a problem");
    assert_eq!((shadow.file.as_str(), shadow.line), ("aaa-tools/catalog-info.yaml", Some(1)));
    assert!(shadow.message.contains("belongs to repository payments"), "{}", shadow.message);
    let target = problems.iter().find(|p| p.field.as_deref() == Some("spec.environments[0].kubernetes")).expect("the target is refused");
    assert_eq!((target.file.as_str(), target.line), ("aaa-tools/catalog-info.yaml", Some(10)));
    assert!(target.message.contains("repository `aaa-tools`") && target.message.contains("default/payments/payments-api"), "{}", target.message);

    let prod = &store.service("payments").await.expect("service").expect("payments").service.environments[0];
    assert!(prod.production, "prod is production by configuration");
    let RuntimeTarget::Kubernetes(k) = &prod.target else { panic!("prod is on Kubernetes") };
    assert_eq!((k.namespace.as_str(), k.deployment.as_str()), ("payments", "payments-api"), "payments still acts on its own Deployment");
}

/// The organisation with `payments` declaring payments, and `old-tools`, a repository older
/// than payments (a lower GitHub id) that declares nothing yet; the catalog loaded once.
async fn payments_and_an_older_repository(engine: Engine) -> (TestDb, server::store::Store, GithubDouble, String) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, token) = organisation().await;
    github.put_repository(ORG, FakeRepo { id: 1, ..FakeRepo::new("old-tools") });
    github.put_repository(ORG, FakeRepo::new("payments").with_file(FILE, &payments("team-a", "")));
    refresher(&store, vec![], &config(&github, &token)).load().await.expect("load");
    (db, store, github, token)
}

async fn a_name_stays_with_its_first_repository_across_restarts(engine: Engine) {
    let (_db, store, github, token) = payments_and_an_older_repository(engine).await;

    // Later it declares payments too; the portal restarts (a new refresher, the same database).
    assert!(github.put_file(ORG, "old-tools", FILE, &payments("mallory-team", "")));
    let restarted = refresher(&store, vec![], &config(&github, &token));
    restarted.load().await.expect("load");
    assert_eq!(owner_of(&store, "payments").await.0, "team-a");

    // A broken push to payments does not hand the name over either.
    assert!(github.put_file(ORG, "payments", FILE, "kind: ["));
    restarted.refresh_repository(&RepositoryChange::Read { name: "payments".into(), id: None }, None).await.expect("refresh");
    assert!(store.service("payments").await.expect("service").is_none(), "payments' own manifest is broken");
    let problems = problems(&store).await;
    assert!(problems.iter().any(|p| p.file == "old-tools/catalog-info.yaml" && p.message.contains("stays with it")), "{problems:?}");
}

async fn a_name_survives_a_start_with_github_unreachable(engine: Engine) {
    let (_db, store, github, token) = payments_and_an_older_repository(engine).await;

    // The portal restarts while GitHub refuses it; meanwhile the older repository declares
    // payments too. When GitHub answers again, payments is still payments'.
    // The limit resets at once, so the portal may ask again as soon as it is lifted.
    github.set_rate_limit_reset(std::time::Duration::ZERO);
    github.set_rate_limited(true);
    let restarted = refresher(&store, vec![], &config(&github, &token));
    restarted.load().await.expect("load");
    assert!(github.put_file(ORG, "old-tools", FILE, &payments("mallory-team", "")));
    github.set_rate_limited(false);
    restarted.refresh_github().await.expect("refresh");
    assert_eq!(owner_of(&store, "payments").await, ("team-a".to_owned(), "payments/catalog-info.yaml".to_owned()));
}

async fn a_manifest_cannot_switch_production_off(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, token) = organisation().await;
    github.put_repository(ORG, FakeRepo::new("payments").with_file(FILE, &payments("team-a", "      production: false\n")));
    refresher(&store, vec![], &config(&github, &token)).load().await.expect("load");
    let prod = &store.service("payments").await.expect("service").expect("payments").service.environments[0];
    assert!(prod.production);
}

async fn catalog_changes_are_audited_with_their_source(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, token) = organisation().await;
    github.put_repository(ORG, FakeRepo::new("payments").with_file(FILE, &payments("team-a", "")));
    let catalog = refresher(&store, vec![], &config(&github, &token));
    catalog.load().await.expect("load");
    assert_eq!(catalog_events(&store).await, [], "the first catalog is the starting point");

    assert!(github.put_file(ORG, "payments", FILE, &payments("team-b", "")));
    assert!(github.put_file(ORG, "checkout", FILE, &component("checkout", "Checkout v2")));
    catalog.refresh_github().await.expect("refresh");
    let events = catalog_events(&store).await;
    assert_eq!(events.len(), 1, "a title change is not audited: {events:?}");
    let event = &events[0];
    assert_eq!((event.actor.as_str(), event.service.as_deref()), ("system", Some("payments")));
    assert_eq!(event.inputs["change"], "changed");
    assert_eq!(event.inputs["source"], "repository payments");
    assert_eq!(event.inputs["file"], "payments/catalog-info.yaml");
    assert_eq!((event.inputs["before"]["owner"].as_str(), event.inputs["after"]["owner"].as_str()), (Some("team-a"), Some("team-b")));
    assert_eq!(event.inputs["after"]["environments"][0]["target"], "default/payments/payments-api");
    assert!(event.inputs.get("commit").is_none(), "the periodic check knows no commit: {event:?}");

    // A push names the commit the change came with.
    assert!(github.put_file(ORG, "payments", FILE, &payments("team-c", "")));
    let sha = "0123456789abcdef0123456789abcdef01234567";
    catalog.refresh_repository(&RepositoryChange::Read { name: "payments".into(), id: None }, Some(sha.to_owned())).await.expect("refresh");
    let events = catalog_events(&store).await;
    assert_eq!((events[0].inputs["after"]["owner"].as_str(), events[0].inputs["commit"].as_str()), (Some("team-c"), Some(sha)));

    github.put_repository(ORG, FakeRepo::new("payments"));
    catalog.refresh_github().await.expect("refresh");
    let events = catalog_events(&store).await;
    assert_eq!(events[0].inputs["change"], "removed", "{events:?}");
    let verified = server::store::audit::verify(&store).await.expect("verify");
    assert!(verified.first_problem.is_none(), "{verified:?}");
}

on_both_engines!(
    a_repository_cannot_shadow_another_or_claim_its_target,
    a_name_stays_with_its_first_repository_across_restarts,
    a_name_survives_a_start_with_github_unreachable,
    a_manifest_cannot_switch_production_off,
    catalog_changes_are_audited_with_their_source,
);
