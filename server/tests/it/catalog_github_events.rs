//! The organisation's `repository` webhook events, signed as GitHub signs them, through a
//! running portal: a repository created, renamed, archived, deleted or transferred away changes
//! the catalog at once, reading only that repository; unsigned deliveries change nothing.

use domain::store::CatalogStore;
use github_double::{FakeRepo, GithubDouble};

use crate::catalog_github::{FILE, ORG, component, deliver, organisation, portal, service_names, sign};
use crate::support::{Engine, on_both_engines};

on_both_engines!(repository_events_change_the_catalog_at_once, an_unsigned_repository_event_is_refused);

/// A `repository` event as GitHub delivers it, for `name` as the double now has it.
fn event(github: &GithubDouble, action: &str, owner: &str, name: &str, changes: serde_json::Value) -> String {
    let id = github.repository_id(owner, name).or_else(|| github.repository_id(ORG, name)).unwrap_or(1);
    serde_json::json!({
        "action": action,
        "repository": {
            "id": id, "name": name, "full_name": format!("{owner}/{name}"), "default_branch": "main",
            "archived": action == "archived", "private": true,
        },
        "changes": changes,
        "organization": { "login": ORG },
        "sender": { "login": "alice" },
    })
    .to_string()
}

async fn repository_events_change_the_catalog_at_once(engine: Engine) {
    let (github, token) = organisation().await;
    let app = portal(engine, &github, &token).await;
    assert_eq!(service_names(&app.store).await, ["checkout", "payments"]);
    let none = serde_json::Value::Null;

    github.put_repository(ORG, FakeRepo::new("search").with_file(FILE, &component("search", "Search")));
    let requests = github.repository_requests();
    let created = event(&github, "created", ORG, "search", none.clone());
    assert_eq!(deliver(&app, "repository", &created, Some(sign(&created))).await, 202);
    assert_eq!(service_names(&app.store).await, ["checkout", "payments", "search"]);
    assert_eq!(github.repository_requests() - requests, 1, "only the new repository's manifest is read");

    assert!(github.rename_repository(ORG, "checkout", "shop"));
    let renamed = event(&github, "renamed", ORG, "shop", serde_json::json!({ "repository": { "name": { "from": "checkout" } } }));
    assert_eq!(deliver(&app, "repository", &renamed, Some(sign(&renamed))).await, 202);
    let checkout = app.store.service("checkout").await.expect("read").expect("still declared, now by shop");
    assert_eq!(checkout.service.source.file, "shop/catalog-info.yaml");

    let mut payments = FakeRepo::new("payments").with_file(FILE, &component("payments", "Payments"));
    payments.archived = true;
    github.put_repository(ORG, payments);
    let archived = event(&github, "archived", ORG, "payments", none.clone());
    assert_eq!(deliver(&app, "repository", &archived, Some(sign(&archived))).await, 202);
    assert_eq!(service_names(&app.store).await, ["checkout", "search"]);

    let deleted = event(&github, "deleted", ORG, "search", none.clone());
    assert!(github.remove_repository(ORG, "search"));
    assert_eq!(deliver(&app, "repository", &deleted, Some(sign(&deleted))).await, 202);
    assert_eq!(service_names(&app.store).await, ["checkout"]);

    let away = event(&github, "transferred", "elsewhere", "shop", serde_json::json!({ "owner": { "from": { "organization": { "login": ORG } } } }));
    assert!(github.remove_repository(ORG, "shop"));
    assert_eq!(deliver(&app, "repository", &away, Some(sign(&away))).await, 202);
    assert_eq!(service_names(&app.store).await, Vec::<String>::new());

    // A change of visibility reads nothing.
    let requests = github.repository_requests();
    let publicized = event(&github, "publicized", ORG, "website", none);
    assert_eq!(deliver(&app, "repository", &publicized, Some(sign(&publicized))).await, 202);
    assert_eq!(github.repository_requests(), requests);
}

async fn an_unsigned_repository_event_is_refused(engine: Engine) {
    let (github, token) = organisation().await;
    let app = portal(engine, &github, &token).await;
    let deleted = event(&github, "deleted", ORG, "checkout", serde_json::Value::Null);
    assert_eq!(deliver(&app, "repository", &deleted, None).await, 401);
    let forged = sign(&event(&github, "deleted", ORG, "payments", serde_json::Value::Null));
    assert_eq!(deliver(&app, "repository", &deleted, Some(forged)).await, 401, "signed for another body");
    assert_eq!(service_names(&app.store).await, ["checkout", "payments"]);
}
