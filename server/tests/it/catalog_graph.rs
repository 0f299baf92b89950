//! The relations graph and "what breaks" on both engines: arrows drawn from the entity that
//! declares them, large neighbourhoods counted instead of drawn, the node bound held, and the
//! transitive dependents with their owners and environments.

use domain::catalog::graph::{DRAWN_PER_RELATION, GraphQuery, MAX_NODES, RelationPair};
use domain::catalog::{EntityRef, RelationType};
use domain::store::CatalogStore;

use crate::support::{Engine, TestDb, load_manifests, on_both_engines};

on_both_engines!(
    arrows_point_from_the_declaring_entity_and_through_apis,
    a_large_neighbourhood_is_counted_not_drawn,
    the_graph_never_draws_more_than_its_bound,
    what_breaks_follows_dependents_and_api_consumers_transitively,
);

fn component(name: &str, owner: &str, spec: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {{name: {name}}}\nspec: {{type: service, lifecycle: production, owner: {owner}{spec}}}\n---\n"
    )
}

const BASE: &str = "apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: payments}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: storefront}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: orders-db}
spec: {type: database, owner: payments}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: checkout-api}
spec: {type: openapi, lifecycle: production, owner: payments, definition: 'openapi: 3.0.0'}
---
";

/// checkout depends on orders-db and provides checkout-api, which web and app consume; web is
/// a service with environments; reports depends on web.
fn small() -> String {
    let mut text = BASE.to_owned();
    text += &component("checkout", "payments", ", dependsOn: [resource:orders-db], providesApis: [checkout-api]");
    text += &component(
        "web",
        "storefront",
        ", consumesApis: [checkout-api], environments: [{name: staging, local: {command: ./run}}, {name: prod, production: true, local: {command: ./run}}]",
    );
    text += &component("app", "storefront", ", consumesApis: [checkout-api]");
    text += &component("reports", "payments", ", dependsOn: [component:web, component:ghost]");
    text
}

fn reference(kind: &str, name: &str) -> EntityRef {
    EntityRef::new(kind, "default", name)
}

async fn arrows_point_from_the_declaring_entity_and_through_apis(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let catalog = load_manifests(&small());
    store.replace_catalog(&catalog).await.expect("replace");
    let query = GraphQuery { depth: 2, follow: vec![RelationPair::Dependencies, RelationPair::ProvidedApis, RelationPair::ConsumedApis] };
    let graph = store.entity_graph(&reference("component", "checkout"), &query).await.expect("graph").expect("the entity");
    let sentence = |edge: &domain::catalog::graph::GraphEdge| {
        format!("{} {} {}", graph.nodes[edge.from].reference.name, edge.pair.verb(), graph.nodes[edge.to].reference.name)
    };
    let mut sentences: Vec<String> = graph.edges.iter().map(sentence).collect();
    sentences.sort();
    assert_eq!(sentences, ["app consumes checkout-api", "checkout depends on orders-db", "checkout provides checkout-api", "web consumes checkout-api"]);
    let depth_of = |name: &str| graph.nodes.iter().find(|n| n.reference.name == name).map(|n| n.depth);
    assert_eq!((depth_of("checkout"), depth_of("checkout-api"), depth_of("web")), (Some(0), Some(1), Some(2)));
    assert_eq!(depth_of("reports"), None, "three steps away");
    assert!(graph.more.is_empty());

    let reports = store.entity_graph(&reference("component", "reports"), &GraphQuery { depth: 1, ..query }).await.expect("graph").expect("found");
    let ghost = reports.nodes.iter().find(|n| n.reference.name == "ghost").expect("the broken reference is drawn");
    assert!(ghost.entity.is_none(), "and marked as not in the catalog");
    let missing = store.entity_graph(&reference("component", "nowhere"), &GraphQuery::default()).await.expect("graph");
    assert!(missing.is_none());
}

async fn a_large_neighbourhood_is_counted_not_drawn(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let mut text = BASE.to_owned();
    for n in 0..1000 {
        text += &component(&format!("svc-{n:04}"), "payments", ", dependsOn: [resource:orders-db]");
    }
    store.replace_catalog(&load_manifests(&text)).await.expect("replace");
    let query = GraphQuery { depth: 1, follow: vec![RelationPair::Dependencies] };
    let graph = store.entity_graph(&reference("resource", "orders-db"), &query).await.expect("graph").expect("found");
    assert_eq!(graph.nodes.len(), 1 + DRAWN_PER_RELATION as usize);
    assert_eq!(graph.more.len(), 1);
    assert_eq!((graph.more[0].relation, graph.more[0].count), (RelationType::DependencyOf, 1000 - u64::from(DRAWN_PER_RELATION)));
    assert!(graph.edges.iter().all(|edge| edge.to == 0), "every arrow points at the database they depend on");
}

async fn the_graph_never_draws_more_than_its_bound(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let mut text = BASE.to_owned();
    for a in 0..12 {
        text += &component(&format!("mid-{a:02}"), "payments", ", dependsOn: [resource:orders-db]");
        for b in 0..10 {
            text += &component(&format!("leaf-{a:02}-{b}"), "payments", &format!(", dependsOn: [component:mid-{a:02}]"));
        }
    }
    store.replace_catalog(&load_manifests(&text)).await.expect("replace");
    let query = GraphQuery { depth: 2, follow: vec![RelationPair::Dependencies] };
    let graph = store.entity_graph(&reference("resource", "orders-db"), &query).await.expect("graph").expect("found");
    assert_eq!(graph.nodes.len(), MAX_NODES);
    let counted: u64 = graph.more.iter().map(|more| more.count).sum();
    assert_eq!((graph.nodes.len() - 1) as u64 + counted, 12 + 120, "what is not drawn is counted, nothing lost");
}

async fn what_breaks_follows_dependents_and_api_consumers_transitively(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&load_manifests(&small())).await.expect("replace");
    let impact = store.impact(&reference("resource", "orders-db")).await.expect("impact").expect("found");
    let rows: Vec<(String, u32, String)> =
        impact.dependents.iter().map(|d| (d.reference.name.clone(), d.distance, d.via.name.clone())).collect();
    assert_eq!(
        rows,
        [
            ("checkout".to_owned(), 1, "orders-db".to_owned()),
            ("checkout-api".to_owned(), 2, "checkout".to_owned()),
            ("app".to_owned(), 3, "checkout-api".to_owned()),
            ("web".to_owned(), 3, "checkout-api".to_owned()),
            ("reports".to_owned(), 4, "web".to_owned()),
        ]
    );
    let web = impact.dependents.iter().find(|d| d.reference.name == "web").expect("web");
    assert_eq!(web.how, RelationType::ConsumesApi);
    assert_eq!(web.environments, ["prod", "staging"], "production first");
    let owners: Vec<(String, u64)> = impact.owners.iter().map(|o| (o.owner.name.clone(), o.dependents)).collect();
    assert_eq!(owners, [("payments".to_owned(), 3), ("storefront".to_owned(), 2)]);
    assert_eq!(impact.total(), 5);
    let leaf = store.impact(&reference("component", "reports")).await.expect("impact").expect("found");
    assert!(leaf.dependents.is_empty(), "nothing depends on reports");
}
