//! Entities of every kind stored and read back on both engines: relations in both directions,
//! references to missing entities kept and marked, long relation lists bounded with a count.

use domain::catalog::{EntityKind, RELATED_PER_TYPE, RelationType};
use domain::store::CatalogStore;

use crate::support::{Engine, TestDb, load_manifests as load, on_both_engines};

on_both_engines!(
    a_team_page_has_its_members_sub_teams_and_what_it_owns,
    a_missing_target_is_kept_and_marked_and_listed_as_a_problem,
    a_long_relation_list_is_cut_and_counted,
    names_are_found_without_regard_to_case_and_namespaces_apart,
);

const CATALOG: &str = r#"apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: payments, title: Payments}
spec: {type: team, parent: engineering, children: [payments-oncall], members: [ada]}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: engineering}
spec: {type: department, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: payments-oncall}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: ada}
spec: {profile: {displayName: Ada Okafor}, memberOf: [payments]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: checkout}
spec: {type: service, lifecycle: production, owner: payments, dependsOn: [resource:orders-db, component:ghost]}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: orders-db, namespace: default}
spec: {type: database, owner: group:payments}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: checkout, namespace: shop}
spec: {type: service, lifecycle: production, owner: user:default/ada}
"#;


fn names(detail: &domain::catalog::EntityDetail, relation: RelationType) -> Vec<String> {
    detail.group(relation).map(|group| group.items.iter().map(|item| item.target.name.clone()).collect()).unwrap_or_default()
}

async fn a_team_page_has_its_members_sub_teams_and_what_it_owns(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&load(CATALOG)).await.expect("replace");
    let team = store.entity(EntityKind::Group, "default", "payments").await.expect("read").expect("the team");
    assert_eq!(team.entity.title.as_deref(), Some("Payments"));
    assert_eq!(names(&team, RelationType::HasMember), ["ada"], "declared by both ends, listed once");
    assert_eq!(names(&team, RelationType::ParentOf), ["payments-oncall"]);
    assert_eq!(names(&team, RelationType::ChildOf), ["engineering"]);
    assert_eq!(names(&team, RelationType::OwnerOf), ["checkout", "orders-db"]);
    let person = store.entity(EntityKind::User, "default", "ada").await.expect("read").expect("the person");
    assert_eq!(names(&person, RelationType::MemberOf), ["payments"]);
    assert_eq!(names(&person, RelationType::OwnerOf), ["checkout"], "the component in namespace shop");
    let database = store.entity(EntityKind::Resource, "default", "orders-db").await.expect("read").expect("the database");
    assert_eq!(names(&database, RelationType::DependencyOf), ["checkout"]);
    let summary = database.group(RelationType::DependencyOf).expect("present").items[0].entity.clone().expect("known");
    assert_eq!((summary.kind, summary.namespace.as_str()), (EntityKind::Component, "default"));
    assert!(!database.is_service);
}

async fn a_missing_target_is_kept_and_marked_and_listed_as_a_problem(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&load(CATALOG)).await.expect("replace");
    let checkout = store.entity(EntityKind::Component, "default", "checkout").await.expect("read").expect("checkout");
    assert!(checkout.is_service);
    let depends = checkout.group(RelationType::DependsOn).expect("dependencies");
    let ghost = depends.items.iter().find(|item| item.target.name == "ghost").expect("the missing one is listed");
    assert!(ghost.entity.is_none(), "marked as not in the catalog");
    let problems = store.problems().await.expect("problems");
    let problem = problems.iter().find(|p| p.message.contains("component:default/ghost")).expect("a problem for it");
    assert_eq!((problem.file.as_str(), problem.field.as_deref()), ("catalog/all.yaml", Some("spec.dependsOn[1]")));
    // The service page still finds its owner through the component's relations.
    let detail = store.service("checkout").await.expect("read").expect("the service");
    assert_eq!(detail.owner.map(|owner| owner.name).as_deref(), Some("payments"));
}

async fn a_long_relation_list_is_cut_and_counted(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let mut text = String::from(
        "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: db}\nspec: {type: database, owner: team-a}\n",
    );
    for i in 0..120 {
        text.push_str(&format!(
            "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {{name: app-{i:03}}}\n\
             spec: {{type: service, lifecycle: production, owner: team-a, dependsOn: [resource:db]}}\n"
        ));
    }
    store.replace_catalog(&load(&text)).await.expect("replace");
    let db_entity = store.entity(EntityKind::Resource, "default", "db").await.expect("read").expect("db");
    let dependents = db_entity.group(RelationType::DependencyOf).expect("dependents");
    assert_eq!(dependents.total, 120);
    assert_eq!(dependents.items.len(), RELATED_PER_TYPE as usize);
    assert_eq!(dependents.items[0].target.name, "app-000", "the first by reference");
}

async fn names_are_found_without_regard_to_case_and_namespaces_apart(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&load(CATALOG)).await.expect("replace");
    let found = store.entity(EntityKind::Group, "default", "PAYMENTS").await.expect("read");
    assert_eq!(found.map(|detail| detail.entity.name).as_deref(), Some("payments"));
    let shop = store.entity(EntityKind::Component, "shop", "checkout").await.expect("read").expect("shop's checkout");
    assert_eq!(shop.entity.namespace, "shop");
    assert!(!shop.is_service, "only the default namespace's components are services");
    assert!(store.entity(EntityKind::Component, "other", "checkout").await.expect("read").is_none());
}
