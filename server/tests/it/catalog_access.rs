//! The catalog's read side is for people with a role: a signed-out visitor is sent to sign in
//! (the server functions answer 401), and a person signed in without any role is refused every
//! catalog call and page with 403, each refusal audited. The server functions are called
//! directly, as a script would, and the pages are fetched as a browser without JavaScript would.

use domain::audit::{AuditQuery, Outcome};
use domain::store::AuditStore;
use serde_json::{Value, json};
use server::config::{DefaultRole, NoRole};

use crate::support::{Engine, TestApp, fixture_catalog_dir, on_both_engines};

on_both_engines!(every_catalog_call_needs_the_viewer_role,);

/// Each catalog server function with a body it accepts.
fn calls() -> Vec<(&'static str, Value)> {
    let entity = json!({ "kind": "component", "namespace": "default", "name": "fixture-web" });
    vec![
        ("/api/catalog/search", json!({ "query": domain::catalog::EntityQuery::default() })),
        ("/api/catalog/graph", json!({ "entity": entity.clone(), "query": domain::catalog::graph::GraphQuery::default() })),
        ("/api/catalog/impact", json!({ "entity": entity.clone() })),
        ("/api/catalog/entity", entity),
        ("/api/catalog/problems", json!({})),
        ("/api/catalog/sources", json!({})),
        ("/api/environments/service", json!({ "name": "fixture-web" })),
        ("/api/environments/deployments", json!({ "name": "fixture-web", "before": null })),
        ("/api/environments/delivery", json!({ "name": "fixture-web" })),
    ]
}

async fn every_catalog_call_needs_the_viewer_role(engine: Engine) {
    let app = TestApp::spawn_configured(engine, |config| {
        config.catalog.paths = vec![fixture_catalog_dir().into()];
        config.access.grants.clear();
        config.access.default_role = DefaultRole::None(NoRole::None);
    })
    .await;
    for (path, body) in calls() {
        let anonymous = app.anonymous.post(app.url(path)).json(&body).send().await.expect("post");
        assert_eq!(anonymous.status(), 401, "{path} signed out");
        let refused = app.client.post(app.url(path)).json(&body).send().await.expect("post");
        assert_eq!(refused.status(), 403, "{path} without a role");
        let text = refused.text().await.expect("body");
        assert!(!text.contains("Fixture web"), "{path} refused without telling what the catalog holds: {text}");
    }
    for page in ["/catalog?q=fixture", "/catalog/component/default/fixture-web/graph", "/catalog/component/default/fixture-web/impact"] {
        let (status, html) = app.page(page).await;
        assert_eq!(status, 403, "{page}");
        assert!(!html.contains("Fixture web"), "{page} shows nothing of the catalog");
    }
    let query = AuditQuery { action: Some("access.denied".into()), ..AuditQuery::default() }.normalised();
    let denials = app.store.audit_page(&query).await.expect("audit page").items;
    assert_eq!(denials.len(), calls().len() + 3, "every refusal is audited once");
    assert!(denials.iter().all(|event| event.actor == "demo" && event.outcome == Outcome::Denied));
    assert!(denials.iter().all(|event| event.inputs["permission"] == "view_catalog"), "{denials:?}");
}
