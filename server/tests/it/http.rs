//! The portal over HTTP, as a browser with JavaScript off sees it: server-rendered pages,
//! status codes, probes and the theme form.

use server::config::CatalogConfig;

use crate::support::{Engine, TestApp, fixture_catalog_dir};

/// Pages are rendered on a multi-threaded runtime, as in production: the portal serves on
/// `#[tokio::main]`.
async fn app() -> TestApp {
    TestApp::spawn(Engine::Sqlite, vec![fixture_catalog_dir()]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_report_liveness_and_database_readiness() {
    let app = app().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.store.close().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 503);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storage_failure_shows_a_request_id_and_no_internals() {
    let app = app().await;
    app.store.close().await;
    let response = app.get("/services").await;
    assert_eq!(response.status(), 503, "unavailable: try again later");
    let request_id = response.headers()["x-request-id"].to_str().expect("ascii").to_owned();
    let html = response.text().await.expect("body");
    assert!(html.contains("This page could not be loaded"));
    assert!(html.contains(&format!("request id {request_id}")), "the id in the page matches the header");
    assert!(!html.to_lowercase().contains("pool"), "internal error text leaked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_a_request_id() {
    let app = app().await;
    let response = app.get("/services").await;
    let id = response.headers().get("x-request-id").expect("request id header");
    assert_eq!(id.to_str().expect("ascii").len(), 36, "a UUID");
    assert_eq!(response.headers().get("x-content-type-options").map(|v| v.as_bytes()), Some(&b"nosniff"[..]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_for_browsers_that_accept_it() {
    let app = app().await;
    let plain = app.get("/services").await;
    assert!(plain.headers().get("content-encoding").is_none());
    let plain_len = plain.bytes().await.expect("body").len();
    for encoding in ["br", "gzip"] {
        let response =
            app.client.get(app.url("/services")).header("accept-encoding", encoding).send().await.expect("request");
        assert_eq!(response.headers()["content-encoding"], encoding);
        let compressed_len = response.bytes().await.expect("body").len();
        assert!(compressed_len * 2 < plain_len, "{encoding}: {compressed_len} of {plain_len} bytes");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_page_lists_the_catalog_without_javascript() {
    let app = app().await;
    let (status, html) = app.page("/services").await;
    assert_eq!(status, 200);
    for name in ["fixture-api", "fixture-web", "fixture-worker", "fixture-survivor"] {
        assert!(html.contains(&format!("href=\"/services/{name}\"")), "{name} missing");
    }
    assert!(html.contains("Showing 1–4 of 4"), "pagination summary missing");
    // The problems notice links to the problems page.
    assert!(html.contains("href=\"/catalog/problems\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_and_filters_come_from_the_url() {
    let app = app().await;
    let (_, html) = app.page("/services?q=WORKER").await;
    assert!(html.contains("/services/fixture-worker"));
    assert!(!html.contains("/services/fixture-api\""));
    assert!(html.contains("Showing 1–1 of 1"));

    let (_, html) = app.page("/services?q=nothing-matches-this").await;
    assert!(html.contains("No services match these filters"));

    // A filter value the catalog does not have stays visible in its control.
    let (_, html) = app.page("/services?owner=ghost-team").await;
    assert!(html.contains("No services match these filters"));
    assert!(html.contains("value=\"ghost-team\""), "the unknown owner is not shown in the filter");

    let (_, html) = app.page("/services?per_page=2&page=2").await;
    assert!(html.contains("Showing 3–4 of 4"));
    assert!(html.contains("Page 2 of 2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_page_shows_the_manifest_and_unknown_ones_are_404() {
    let app = app().await;
    let (status, html) = app.page("/services/fixture-api").await;
    assert_eq!(status, 200);
    assert!(html.contains("name: fixture-api"), "raw manifest missing");
    assert!(html.contains("good.yaml"), "source file missing");

    let (status, html) = app.page("/services/does-not-exist").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
    let (status, _) = app.page("/no/such/page").await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn problems_page_names_file_line_and_field() {
    let app = app().await;
    let (status, html) = app.page("/catalog/problems").await;
    assert_eq!(status, 200);
    assert!(html.contains("broken.yaml"));
    assert!(html.contains("spec.owner"));
    assert!(html.contains("syntax-error.yaml"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_answer_json() {
    let app = app().await;
    let response = app
        .client
        .post(app.url("/api/catalog/services"))
        .json(&serde_json::json!({ "query": { "q": null, "owner": null, "system": null, "lifecycle": null, "kind": null, "sort": "Name", "page": 1, "per_page": 2 } }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let page: domain::catalog::ServiceList = response.json().await.expect("a service page");
    assert_eq!(page.total, 4);
    assert_eq!(page.items.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn theme_choice_is_stored_and_only_local_redirects_are_followed() {
    let app = app().await;
    let response = app.client.post(app.url("/theme")).form(&[("theme", "dark"), ("back", "/services?q=api")]).send().await.expect("post");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/services?q=api");
    let cookie = response.headers()["set-cookie"].to_str().expect("ascii");
    assert!(cookie.starts_with("portico_theme=dark;") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));

    let (_, html) = {
        let response = app.client.get(app.url("/services")).send().await.expect("get");
        (response.status(), response.text().await.expect("body"))
    };
    assert!(html.contains("data-theme=\"dark\""));

    let response = app.client.post(app.url("/theme")).form(&[("theme", "dark"), ("back", "//evil.example/")]).send().await.expect("post");
    assert_eq!(response.headers()["location"], "/");
    let response = app.client.post(app.url("/theme")).form(&[("theme", "<script>")]).send().await.expect("post");
    assert_eq!(response.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manifests_changed_on_disk_show_up_without_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(fixture_catalog_dir().join("good.yaml"), dir.path().join("good.yaml")).expect("copy");
    let catalog = CatalogConfig { paths: vec![dir.path().to_owned().into()], refresh_seconds: 1, ..CatalogConfig::default() };
    let app = TestApp::spawn_with(Engine::Sqlite, catalog).await;
    let (_, html) = app.page("/services").await;
    assert!(html.contains("/services/fixture-api\"") && !html.contains("/services/fixture-extra\""));

    let extra = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: fixture-extra\nspec:\n  type: service\n  lifecycle: production\n  owner: fixture-backend\n";
    std::fs::write(dir.path().join("extra.yaml"), extra).expect("write");
    std::fs::remove_file(dir.path().join("good.yaml")).expect("remove");
    let mut html = String::new();
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        html = app.page("/services").await.1;
        if html.contains("/services/fixture-extra\"") {
            break;
        }
    }
    assert!(html.contains("/services/fixture-extra\""), "the added manifest never appeared");
    assert!(!html.contains("/services/fixture-api\""), "the removed manifest is still listed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_serves_from_postgresql_too() {
    let app = TestApp::spawn(Engine::Postgres, vec![fixture_catalog_dir()]).await;
    let (status, html) = app.page("/services?owner=fixture-backend").await;
    assert_eq!(status, 200);
    assert!(html.contains("/services/fixture-api"));
    assert_eq!(app.get("/readyz").await.status(), 200);
}
