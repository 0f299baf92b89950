//! The store suite, run against SQLite and PostgreSQL alike.

use domain::catalog::{ServiceQuery, ServiceSort};
use domain::store::CatalogStore;

use crate::support::{Engine, TestDb, catalog, component_of, on_both_engines, problem, service, system, team};

on_both_engines!(
    lists_every_service_in_name_order,
    search_matches_text_case_insensitively_and_literally,
    filters_combine_and_facets_list_the_values,
    sort_orders_are_applied,
    pages_split_the_list,
    replacing_the_catalog_removes_what_is_gone,
    a_replacement_that_fails_half_way_keeps_the_previous_catalog,
    service_detail_has_its_team_and_system,
    problems_are_kept_in_file_and_line_order,
    migrating_twice_is_harmless,
);

fn query() -> ServiceQuery {
    ServiceQuery::default().normalised()
}

fn names(page: &domain::catalog::ServiceList) -> Vec<&str> {
    page.items.iter().map(|item| item.name.as_str()).collect()
}

/// Five services over two teams and two systems.
fn sample() -> domain::catalog::Catalog {
    let mut catalog = catalog();
    catalog.services = vec![
        service("search", "discovery", Some("storefront"), "production"),
        service("checkout", "payments", Some("orders"), "production"),
        service("api-gateway", "platform", None, "experimental"),
        service("billing", "payments", Some("orders"), "deprecated"),
        service("recommendations", "discovery", Some("storefront"), "experimental"),
    ];
    catalog.services[2].description = Some("Routes 100% of traffic_in".to_owned());
    catalog.services[0].description = Some("Says \"hello\" to every query".to_owned());
    catalog.services[4].tags = vec!["machine-learning".to_owned()];
    catalog.services[4].title = Some("Book Recommendations".to_owned());
    catalog.entities = catalog.services.iter().map(component_of).collect();
    catalog.entities.extend([team("payments", "Payments Team"), team("discovery", "Discovery")]);
    catalog.entities.extend([system("orders", "Orders", "payments"), system("storefront", "Storefront", "discovery")]);
    catalog
}

async fn lists_every_service_in_name_order(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&sample()).await.expect("replace");
    let page = store.list_services(&query()).await.expect("list");
    assert_eq!(names(&page), ["api-gateway", "billing", "checkout", "recommendations", "search"]);
    assert_eq!(page.total, 5);
    assert_eq!(page.items[0].tags, ["rust"]);
    assert_eq!(page.items[0].system, None);
}

async fn search_matches_text_case_insensitively_and_literally(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&sample()).await.expect("replace");
    let search = |text: &str| ServiceQuery { q: Some(text.to_owned()), ..query() };
    // Title, tag and description all count, whatever the case.
    assert_eq!(names(&store.list_services(&search("BOOK rec")).await.expect("list")), ["recommendations"]);
    assert_eq!(names(&store.list_services(&search("learning")).await.expect("list")), ["recommendations"]);
    // `%` and `_` are literal characters, not wildcards.
    assert_eq!(names(&store.list_services(&search("100%")).await.expect("list")), ["api-gateway"]);
    assert_eq!(names(&store.list_services(&search("c_in")).await.expect("list")), ["api-gateway"]);
    assert!(store.list_services(&search("%")).await.expect("list").items.len() == 1);
    // Quotes are literal too, and text shorter than three characters still matches.
    assert_eq!(names(&store.list_services(&search("\"hello\"")).await.expect("list")), ["search"]);
    assert_eq!(names(&store.list_services(&search("ap")).await.expect("list")), ["api-gateway"]);
    let none = store.list_services(&search("no such thing")).await.expect("list");
    assert_eq!(none.total, 0);
}

async fn filters_combine_and_facets_list_the_values(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&sample()).await.expect("replace");
    let payments = ServiceQuery { owner: Some("payments".into()), ..query() };
    assert_eq!(names(&store.list_services(&payments).await.expect("list")), ["billing", "checkout"]);
    let live_payments = ServiceQuery { lifecycle: Some("production".into()), ..payments };
    let page = store.list_services(&live_payments).await.expect("list");
    assert_eq!(names(&page), ["checkout"]);
    assert_eq!(page.total, 1);
    let storefront_services = ServiceQuery { system: Some("storefront".into()), kind: Some("service".into()), ..query() };
    assert_eq!(names(&store.list_services(&storefront_services).await.expect("list")), ["recommendations", "search"]);
    // Facets describe the whole catalog, not just the filtered page.
    assert_eq!(page.facets.owners, ["discovery", "payments", "platform"]);
    assert_eq!(page.facets.systems, ["orders", "storefront"]);
    assert_eq!(page.facets.lifecycles, ["deprecated", "experimental", "production"]);
    assert_eq!(page.facets.kinds, ["service"]);
}

async fn sort_orders_are_applied(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&sample()).await.expect("replace");
    let sorted = |sort| ServiceQuery { sort, ..query() };
    let desc = store.list_services(&sorted(ServiceSort::NameDesc)).await.expect("list");
    assert_eq!(names(&desc), ["search", "recommendations", "checkout", "billing", "api-gateway"]);
    let by_owner = store.list_services(&sorted(ServiceSort::Owner)).await.expect("list");
    assert_eq!(names(&by_owner), ["recommendations", "search", "billing", "checkout", "api-gateway"]);
    let by_lifecycle = store.list_services(&sorted(ServiceSort::Lifecycle)).await.expect("list");
    assert_eq!(names(&by_lifecycle), ["billing", "api-gateway", "recommendations", "checkout", "search"]);
}

async fn pages_split_the_list(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let mut catalog = catalog();
    catalog.services = (0..45).map(|i| service(&format!("svc-{i:03}"), "team", None, "production")).collect();
    store.replace_catalog(&catalog).await.expect("replace");
    let page = |page| ServiceQuery { page, per_page: 20, ..query() };
    let second = store.list_services(&page(2)).await.expect("list");
    assert_eq!(second.items.len(), 20);
    assert_eq!(second.items[0].name, "svc-020");
    assert_eq!(second.total, 45);
    assert_eq!(second.page_count(), 3);
    let last = store.list_services(&page(3)).await.expect("list");
    assert_eq!(names(&last), ["svc-040", "svc-041", "svc-042", "svc-043", "svc-044"]);
    let beyond = store.list_services(&page(9)).await.expect("list");
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, 45);
}

async fn replacing_the_catalog_removes_what_is_gone(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&sample()).await.expect("replace");
    let mut smaller = catalog();
    smaller.services = vec![service("checkout", "payments", None, "production")];
    store.replace_catalog(&smaller).await.expect("replace again");
    let page = store.list_services(&query()).await.expect("list");
    assert_eq!(names(&page), ["checkout"]);
    assert_eq!(page.facets.systems, Vec::<String>::new());
    assert!(store.service("search").await.expect("detail").is_none());
    // Search sees the new catalog too, not an index of the old one.
    let search = |text: &str| ServiceQuery { q: Some(text.to_owned()), ..query() };
    assert_eq!(store.list_services(&search("does useful")).await.expect("list").total, 1);
    assert_eq!(names(&store.list_services(&search("checkout")).await.expect("list")), ["checkout"]);
}

async fn a_replacement_that_fails_half_way_keeps_the_previous_catalog(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&sample()).await.expect("replace");
    // The duplicate name breaks the INSERT after the old rows were deleted in the same transaction.
    let mut broken = catalog();
    broken.services = vec![service("fresh", "team", None, "production"), service("fresh", "team", None, "production")];
    broken.problems = vec![problem("new.yaml", 1, "kind")];
    assert!(store.replace_catalog(&broken).await.is_err());
    let page = store.list_services(&query()).await.expect("list");
    assert_eq!(page.total, 5, "the previous catalog is intact");
    assert_eq!(page.problem_count, 0);
    let search = ServiceQuery { q: Some("checkout".to_owned()), ..query() };
    assert_eq!(names(&store.list_services(&search).await.expect("list")), ["checkout"]);
}

async fn service_detail_has_its_team_and_system(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let catalog = sample();
    store.replace_catalog(&catalog).await.expect("replace");
    let detail = store.service("checkout").await.expect("detail").expect("checkout exists");
    assert_eq!(detail.service, catalog.services[1]);
    assert_eq!(detail.owner.and_then(|t| t.title).as_deref(), Some("Payments Team"));
    assert_eq!(detail.system.and_then(|s| s.title).as_deref(), Some("Orders"));
    // An owner or system the catalog does not declare is simply absent.
    let gateway = store.service("api-gateway").await.expect("detail").expect("exists");
    assert!(gateway.owner.is_none() && gateway.system.is_none());
    assert!(store.service("nope").await.expect("detail").is_none());
}

async fn problems_are_kept_in_file_and_line_order(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let mut catalog = sample();
    catalog.problems = vec![problem("b.yaml", 3, "spec.owner"), problem("a.yaml", 9, "kind"), problem("a.yaml", 2, "metadata.name")];
    store.replace_catalog(&catalog).await.expect("replace");
    let problems = store.problems().await.expect("problems");
    let places: Vec<String> = problems.iter().map(|p| format!("{}:{}", p.file, p.line.unwrap_or(0))).collect();
    assert_eq!(places, ["a.yaml:2", "a.yaml:9", "b.yaml:3"]);
    assert_eq!(store.problem_count().await.expect("count"), 3);
    assert_eq!(store.list_services(&query()).await.expect("list").problem_count, 3, "the list page carries the count");
    store.replace_catalog(&sample()).await.expect("replace");
    assert_eq!(store.problem_count().await.expect("count"), 0);
}

async fn migrating_twice_is_harmless(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    store.replace_catalog(&sample()).await.expect("replace");
    store.migrate().await.expect("second migration");
    assert_eq!(store.list_services(&query()).await.expect("list").total, 5);
    store.ping().await.expect("ping");
}
