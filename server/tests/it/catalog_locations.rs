//! A catalog configured as one root Location file, as Backstage's root location is: the files
//! its targets name are stored on both engines, and the portal notices a change to one of them,
//! or a file a pattern comes to match, without walking anything but the configured file.

use domain::catalog::ProductionNames;
use domain::store::CatalogStore;
use server::catalog_refresh::{CatalogRefresher, Outcome};

use crate::catalog_github::{component, service_names, title};
use crate::support::{Engine, TestApp, TestDb, on_both_engines};

on_both_engines!(a_root_location_file_is_followed_and_refreshed, a_locations_page_lists_the_files_each_target_brought_in);

const TEAM: &str = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n";
const ROOT: &str = "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\nspec:\n  targets: [./team.yaml, ./services/*.yaml]\n";

async fn a_root_location_file_is_followed_and_refreshed(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("catalog");
    std::fs::create_dir_all(root.join("services")).expect("mkdir");
    std::fs::write(root.join("catalog-info.yaml"), ROOT).expect("write");
    std::fs::write(root.join("team.yaml"), TEAM).expect("write");
    std::fs::write(root.join("services/api.yaml"), component("api", "API")).expect("write");
    let catalog = CatalogRefresher::new(store.clone(), vec![root.join("catalog-info.yaml")], None, ProductionNames::default());
    catalog.load().await.expect("load");
    assert_eq!(service_names(&store).await, ["api"]);
    assert_eq!(store.problems().await.expect("problems"), []);
    assert_eq!(catalog.refresh_folders().await.expect("refresh"), Outcome::Unchanged);

    // Files only a Location names, not the walk, are watched too.
    std::fs::write(root.join("services/api.yaml"), component("api", "API v2")).expect("write");
    assert_eq!(catalog.refresh_folders().await.expect("refresh"), Outcome::Replaced);
    assert_eq!(title(&store, "api").await.as_deref(), Some("API v2"));
    std::fs::write(root.join("services/web.yaml"), component("web", "Web")).expect("write");
    assert_eq!(catalog.refresh_folders().await.expect("refresh"), Outcome::Replaced);
    assert_eq!(service_names(&store).await, ["api", "web"]);
    std::fs::remove_file(root.join("team.yaml")).expect("remove");
    assert_eq!(catalog.refresh_folders().await.expect("refresh"), Outcome::Replaced);
    let problems = store.problems().await.expect("problems");
    assert!(problems.iter().any(|p| p.file == "catalog-info.yaml" && p.field.as_deref() == Some("spec.targets[0]")), "{problems:?}");
}

async fn a_locations_page_lists_the_files_each_target_brought_in(engine: Engine) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("catalog");
    std::fs::create_dir_all(root.join("services")).expect("mkdir");
    let root_file = ROOT.replace("./services/*.yaml", "./services/*.yaml, ./missing.yaml");
    std::fs::write(root.join("catalog-info.yaml"), root_file).expect("write");
    std::fs::write(root.join("team.yaml"), TEAM).expect("write");
    std::fs::write(root.join("services/api.yaml"), component("api", "API")).expect("write");
    let app = TestApp::spawn(engine, vec![root.join("catalog-info.yaml")]).await;
    let (status, html) = app.page("/catalog/location/default/root").await;
    assert_eq!(status, 200);
    let targets = html.split("data-testid=\"location-targets\"").nth(1).expect("the targets");
    for shown in ["./team.yaml", "team.yaml", "./services/*.yaml", "services/api.yaml", "./missing.yaml", "No file read from it."] {
        assert!(targets.contains(shown), "{shown}: {targets}");
    }
    let (_, problems) = app.page("/catalog/problems").await;
    assert!(problems.contains("./missing.yaml") && problems.contains("spec.targets[2]"), "{problems}");
}
