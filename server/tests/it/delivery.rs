//! The delivery view over a real git repository: each resolution rule, what a promotion ships
//! with the right count, histories that share nothing, versions that name no commit, a
//! repository the history does not have, and the page that says it.

use std::path::Path;
use std::process::Command;

use domain::delivery::code::{Resolution, Rule, ServiceDelivery, Shipment};
use serde_json::json;

use crate::support::{Engine, TestApp, on_both_engines};

on_both_engines!(each_environment_shows_its_commit_and_each_promotion_what_it_ships,);

/// Runs git in `dir` with a fixed author and time, returning what it printed.
fn git(dir: &Path, args: &[&str], at: i64) -> String {
    let date = format!("@{at} +0000");
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Ada Okafor")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Okafor")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A commit on the current branch; its SHA.
fn commit(dir: &Path, message: &str, at: i64) -> String {
    git(dir, &["commit", "-q", "--allow-empty", "-m", message], at);
    git(dir, &["rev-parse", "HEAD"], at)
}

/// The repository `acme/shop`: 1.0.0 (a plain tag), three commits, v1.1.0 (annotated), two
/// more commits, and an unrelated history on another branch.
struct Shop {
    released: String,
    v110: String,
    head: String,
    orphan: String,
}

fn make_repository(root: &Path) -> Shop {
    let dir = root.join("acme").join("shop");
    std::fs::create_dir_all(&dir).expect("mkdir");
    git(&dir, &["init", "-q", "-b", "main"], 0);
    let start = 1_700_000_000;
    let released = commit(&dir, "First release", start);
    git(&dir, &["tag", "1.0.0"], start);
    commit(&dir, "Add the basket", start + 60);
    commit(&dir, "Fix the totals", start + 120);
    let v110 = commit(&dir, "Speed up search (#12)", start + 180);
    git(&dir, &["tag", "-a", "v1.1.0", "-m", "Release 1.1.0"], start + 200);
    commit(&dir, "Retry payments", start + 240);
    let head = commit(&dir, "Log request ids", start + 300);
    git(&dir, &["checkout", "-q", "--orphan", "rewrite"], start);
    let orphan = commit(&dir, "Start again", start + 400);
    Shop { released, v110, head, orphan }
}

fn catalog(folder: &Path, shop: &Shop) {
    let env = |name: &str, version: &str| {
        format!("    - name: {name}\n      local:\n        command: while :; do sleep 0.2; done\n        version: \"{version}\"\n")
    };
    let component = |name: &str, slug: Option<&str>, envs: String| {
        let annotation = slug.map(|slug| format!("  annotations:\n    github.com/project-slug: {slug}\n")).unwrap_or_default();
        format!("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n{annotation}spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n  environments:\n{envs}")
    };
    let digest = format!("sha256:{}", "a".repeat(64));
    let mut text = component(
        "shop",
        Some("acme/shop"),
        [env("dev", &shop.head), env("staging", &format!("1.1.0-2-g{}", &shop.v110[..9])), env("prod", "1.0.0")].concat(),
    );
    text += &component("rewritten", Some("acme/shop"), [env("dev", &shop.orphan[..12]), env("prod", "1.1.0")].concat());
    text += &component("unknown", Some("acme/shop"), [env("dev", "9.9.9"), env("prod", &digest)].concat());
    text += &component("elsewhere", Some("acme/missing"), env("prod", "1.0.0"));
    text += &component("unnamed", None, env("prod", "1.0.0"));
    std::fs::write(folder.join("catalog.yaml"), text).expect("write catalog");
}

async fn delivery(app: &TestApp, name: &str) -> ServiceDelivery {
    for _ in 0..100 {
        let response = app.client.post(app.url("/api/environments/delivery")).json(&json!({ "name": name })).send().await.expect("post");
        assert_eq!(response.status(), 200, "{name}");
        let found: Option<ServiceDelivery> = response.json().await.expect("json");
        let found = found.expect("the service exists");
        // Until the poller has looked, environments report no version.
        let waiting = matches!(&found, ServiceDelivery::Known { environments, .. }
            if environments.iter().any(|e| e.resolution == Resolution::NoVersion));
        if !waiting {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{name}'s environments never reported their versions");
}

async fn each_environment_shows_its_commit_and_each_promotion_what_it_ships(engine: Engine) {
    let dir = tempfile::tempdir().expect("temp dir");
    let repositories = dir.path().join("repositories");
    let shop = make_repository(&repositories);
    let folder = dir.path().join("catalog");
    std::fs::create_dir_all(&folder).expect("mkdir");
    catalog(&folder, &shop);
    let app = TestApp::spawn_configured(engine, move |config| {
        config.catalog.paths = vec![folder.into()];
        config.runtime.poll_seconds = 1;
        config.delivery.local_repositories = Some(repositories.into());
    })
    .await;

    let ServiceDelivery::Known { repository, environments, promotions } = delivery(&app, "shop").await else { panic!("shop has a history") };
    assert_eq!(repository, "acme/shop");
    let found: Vec<(String, Option<Rule>, Option<String>)> = environments
        .iter()
        .map(|e| match &e.resolution {
            Resolution::Resolved { commit, rule } => (e.environment.clone(), Some(rule.clone()), Some(commit.sha.clone())),
            other => panic!("{} unresolved: {other:?}", e.environment),
        })
        .collect();
    assert_eq!(
        found,
        [
            ("dev".to_owned(), Some(Rule::Sha), Some(shop.head.clone())),
            ("staging".to_owned(), Some(Rule::Sha), Some(shop.v110.clone())),
            ("prod".to_owned(), Some(Rule::Tag("1.0.0".into())), Some(shop.released.clone())),
        ]
    );
    let prod = environments[2].resolution.commit().expect("prod's commit");
    assert_eq!((prod.summary.as_str(), prod.author.as_str(), prod.at), ("First release", "Ada Okafor", 1_700_000_000));
    let shipped: Vec<(String, String, Shipment)> = promotions.into_iter().map(|p| (p.from, p.to, p.shipment)).collect();
    let [(from, to, Shipment::Commits { count: 2, behind_by: 0, commits }), (_, _, Shipment::Commits { count: 3, behind_by: 0, commits: to_prod })] =
        &shipped[..]
    else {
        panic!("dev is 2 commits ahead of staging, staging 3 ahead of prod: {shipped:?}")
    };
    assert_eq!((from.as_str(), to.as_str()), ("dev", "staging"));
    let summaries: Vec<&str> = commits.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(summaries, ["Log request ids", "Retry payments"], "newest first");
    assert_eq!(to_prod.iter().map(|c| c.summary.as_str()).collect::<Vec<_>>(), ["Speed up search (#12)", "Fix the totals", "Add the basket"]);

    // An annotated tag with the v in front; a short SHA of a history that shares nothing.
    let ServiceDelivery::Known { environments, promotions, .. } = delivery(&app, "rewritten").await else { panic!("known") };
    assert_eq!(environments[0].resolution.commit().map(|c| c.sha.clone()), Some(shop.orphan.clone()));
    assert!(matches!(&environments[1].resolution, Resolution::Resolved { commit, rule: Rule::Tag(tag) } if tag == "v1.1.0" && commit.sha == shop.v110));
    assert_eq!(promotions[0].shipment, Shipment::Unrelated);

    // Versions that name nothing say why, and nothing is guessed between them.
    let ServiceDelivery::Known { environments, promotions, .. } = delivery(&app, "unknown").await else { panic!("known") };
    assert_eq!(environments[0].resolution, Resolution::NotFound { tried: vec!["tag 9.9.9".into(), "tag v9.9.9".into()] });
    assert_eq!(environments[1].resolution, Resolution::Digest);
    assert_eq!(promotions[0].shipment, Shipment::Unknown);

    let ServiceDelivery::Known { environments, .. } = delivery(&app, "elsewhere").await else { panic!("known") };
    assert!(matches!(&environments[0].resolution, Resolution::Failed { reason } if reason.contains("acme/missing")), "{environments:?}");
    assert_eq!(delivery(&app, "unnamed").await, ServiceDelivery::NoRepository);
    let response = app.client.post(app.url("/api/environments/delivery")).json(&json!({ "name": "ghost" })).send().await.expect("post");
    assert_eq!(response.json::<Option<ServiceDelivery>>().await.expect("json"), None);

    // The service's page says it without JavaScript.
    let (status, page) = app.page("/services/shop").await;
    assert_eq!(status, 200);
    assert!(page.contains("dev is 2 commits ahead of staging") && page.contains("staging is 3 commits ahead of prod"), "{page}");
    assert!(page.contains("Speed up search (#12)") && page.contains("Found by tag 1.0.0"), "{page}");
}
