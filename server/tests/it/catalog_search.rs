//! Search across every kind on both engines: text found in names, titles, descriptions and
//! tags of any kind, the kind as a filter with the matches per kind, pages, and the names that
//! are the search text first.

use domain::catalog::{EntityKind, EntityQuery};
use domain::store::CatalogStore;

use crate::support::{Engine, TestDb, load_manifests, on_both_engines};

on_both_engines!(
    one_search_finds_every_kind_and_counts_each,
    the_kind_filter_narrows_and_pages_stay_in_bounds,
    search_text_is_literal_and_short_text_still_matches,
);

fn doc(kind: &str, name: &str, extra: &str) -> String {
    let spec = match kind {
        "Group" => "{type: team, children: []}".to_owned(),
        "User" => "{memberOf: []}".to_owned(),
        "System" | "Domain" => "{owner: payments}".to_owned(),
        "API" => "{type: openapi, lifecycle: production, owner: payments, definition: 'openapi: 3.0.0'}".to_owned(),
        "Resource" => "{type: database, owner: payments}".to_owned(),
        _ => "{type: service, lifecycle: production, owner: payments}".to_owned(),
    };
    format!("apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata: {{name: {name}{extra}}}\nspec: {spec}\n---\n")
}

fn catalog() -> domain::catalog::Catalog {
    let mut text = doc("Group", "payments", ", title: Payments team");
    text += &doc("User", "paula", ", description: Runs the payments on-call");
    text += &doc("Component", "payments-gateway", "");
    text += &doc("Component", "checkout", ", description: Takes payments for orders");
    text += &doc("API", "payments-api", "");
    text += &doc("Resource", "payments-db", ", tags: [postgres]");
    text += &doc("System", "shop", ", title: Payments platform");
    text += &doc("Domain", "commerce", "");
    text += &doc("Component", "coupons", ", title: 50%_off coupons");
    for n in 0..30 {
        text += &doc("Component", &format!("worker-{n:02}"), ", tags: [batch]");
    }
    let catalog = load_manifests(&text);
    assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
    catalog
}

fn search(q: &str, kind: Option<EntityKind>) -> EntityQuery {
    EntityQuery { q: Some(q.to_owned()), kind, ..EntityQuery::default() }
}

async fn one_search_finds_every_kind_and_counts_each(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&catalog()).await.expect("replace");
    let found = store.search_entities(&search("PAYMENTS", None)).await.expect("search");
    let kinds: Vec<(EntityKind, u64)> = found.kinds.iter().map(|count| (count.kind, count.count)).collect();
    assert_eq!(
        kinds,
        [(EntityKind::Component, 2), (EntityKind::Api, 1), (EntityKind::Resource, 1), (EntityKind::System, 1), (EntityKind::Group, 1), (EntityKind::User, 1)],
        "the name, a description, a title: case-insensitively, in every kind"
    );
    assert_eq!(found.total, 7);
    let names: Vec<&str> = found.items.iter().map(|e| e.name.as_str()).collect();
    let (starting, containing) = names.split_at(5);
    fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
        let mut names = names.to_vec();
        names.sort_unstable();
        names
    }
    assert_eq!(sorted(starting), ["payments", "payments-api", "payments-db", "payments-gateway", "shop"], "names and titles starting with the text come first");
    assert_eq!(sorted(containing), ["checkout", "paula"]);
    let tagged = store.search_entities(&search("postgres", None)).await.expect("search");
    assert_eq!(tagged.items.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["payments-db"], "tags are searched");
}

async fn the_kind_filter_narrows_and_pages_stay_in_bounds(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&catalog()).await.expect("replace");
    let people = store.search_entities(&search("payments", Some(EntityKind::User))).await.expect("search");
    assert_eq!(people.items.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["paula"]);
    assert_eq!(people.total, 1);
    assert_eq!(people.kinds.len(), 6, "the other kinds' counts stay, to switch to them");
    let page = |n| EntityQuery { kind: Some(EntityKind::Component), page: n, per_page: 10, ..EntityQuery::default() };
    let second = store.search_entities(&page(2)).await.expect("search");
    assert_eq!(second.total, 33);
    assert_eq!(second.page_count(), 4);
    assert_eq!(second.items.len(), 10);
    assert_eq!(second.items[0].name, "worker-07", "ordered by title, else name: 50%_off coupons, checkout, payments-gateway, worker-00…");
    let beyond = store.search_entities(&page(9)).await.expect("search");
    assert!(beyond.items.is_empty());
    let everything = store.search_entities(&EntityQuery::default()).await.expect("search");
    assert_eq!(everything.total, 39, "no text: the whole catalog");
}

async fn search_text_is_literal_and_short_text_still_matches(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&catalog()).await.expect("replace");
    let literal = store.search_entities(&search("%_", None)).await.expect("search");
    assert_eq!(literal.items.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["coupons"], "% and _ are not wildcards");
    let short = store.search_entities(&search("db", None)).await.expect("search");
    assert_eq!(short.items.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["payments-db"], "two characters are matched too");
    let quoted = store.search_entities(&search("\"shop", None)).await.expect("search");
    assert!(quoted.items.is_empty(), "a quote in the text is searched for, not a syntax error");
}
