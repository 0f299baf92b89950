//! The deployment history: what the portal's runs deploy (for whom, and how the run ended),
//! what it puts back, what it finds deployed outside it, and the history's pages.

use std::time::Duration;

use domain::access::Role;
use domain::actions::{Decision, RunRequest, RunState};
use domain::delivery::{DEPLOYMENTS_PER_PAGE, Origin};
use domain::runtime::Runtime;
use domain::store::EnvironmentStore;
use server::store::RunDeployment;

use super::setup::{ACTIONS, meta, person, request, shop};
use crate::support::{Engine, TestDb, on_both_engines};

on_both_engines!(
    promotes_rollbacks_and_outside_deployments_join_the_history,
    a_deployment_that_fails_is_shown_failed_and_put_back,
    the_history_pages_newest_first_and_skips_repeats,
);

/// `(environment, version, origin)` of `service`'s history, newest first.
async fn history(shop: &super::setup::Shop, service: &str) -> Vec<(String, String, Origin)> {
    let page = shop.app.store.deployments(service, None).await.expect("history");
    page.items.into_iter().map(|d| (d.environment, d.version, d.origin)).collect()
}

/// Waits until `service`'s history in `environment` has `count` entries and returns them.
async fn until_entries(shop: &super::setup::Shop, service: &str, environment: &str, count: usize) -> Vec<(String, Origin)> {
    for _ in 0..100 {
        let seen: Vec<(String, Origin)> =
            history(shop, service).await.into_iter().filter(|(env, ..)| env == environment).map(|(_, v, o)| (v, o)).collect();
        if seen.len() >= count {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{service}/{environment} never had {count} deployments: {:?}", history(shop, service).await);
}

fn portal(run: &str, action: &str, state: RunState) -> Origin {
    Origin::Portal { run: run.to_owned(), action: action.to_owned(), requester: "ada".to_owned(), state: Some(state) }
}

async fn promotes_rollbacks_and_outside_deployments_join_the_history(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    // The poller records what it first finds running.
    assert_eq!(until_entries(&shop, "shop-api", "prod", 1).await, [("1.0.0".to_owned(), Origin::FirstSeen)]);
    let ada = person("ada", Role::Developer);
    let promote = RunRequest { confirm: Some("shop-api".into()), ..request("promote", "shop-api", Some("prod"), &[]) };
    let promoted = shop.engine().request(&ada, &meta(), &promote).await.expect("requested");
    shop.engine().decide(&person("grace", Role::Operator), &meta(), &promoted, Decision::Approved, None).await.expect("approved");
    assert_eq!(shop.until_final(&promoted).await.state().expect("state"), RunState::Succeeded);
    let rollback = RunRequest { confirm: Some("shop-api".into()), ..request("rollback", "shop-api", Some("prod"), &[]) };
    let rolled = shop.engine().request(&ada, &meta(), &rollback).await.expect("requested");
    assert_eq!(shop.until_final(&rolled).await.state().expect("state"), RunState::Succeeded);

    // Someone deploys 3.0.0 without the portal: the poller notices.
    let prod = shop.app.store.placement("shop-api", "prod").await.expect("read").expect("prod");
    shop.app.runtimes.set_version(&prod.placement, "3.0.0").await.expect("deployed outside");
    let seen = until_entries(&shop, "shop-api", "prod", 4).await;
    assert_eq!(
        seen,
        [
            ("3.0.0".to_owned(), Origin::Outside),
            ("1.0.0".to_owned(), portal(&rolled, "rollback", RunState::Succeeded)),
            ("2.0.0".to_owned(), portal(&promoted, "promote", RunState::Succeeded)),
            ("1.0.0".to_owned(), Origin::FirstSeen),
        ]
    );
    // The page says the same, with the run's link and its requester.
    let (status, page) = shop.app.page("/services/shop-api").await;
    assert_eq!(status, 200);
    assert!(page.contains("Outside the portal") && page.contains(&format!("/runs/{promoted}")) && page.contains("Promote"), "{page}");
}

async fn a_deployment_that_fails_is_shown_failed_and_put_back(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let dev = shop.app.store.placement("shop-api", "dev").await.expect("read").expect("dev");
    shop.app.runtimes.set_version(&dev.placement, "bad").await.expect("set dev version");
    let ada = person("ada", Role::Developer);
    let promote = RunRequest { confirm: Some("shop-api".into()), ..request("promote", "shop-api", Some("prod"), &[]) };
    let id = shop.engine().request(&ada, &meta(), &promote).await.expect("requested");
    shop.engine().decide(&person("grace", Role::Operator), &meta(), &id, Decision::Approved, None).await.expect("approved");
    assert_eq!(shop.until_final(&id).await.state().expect("state"), RunState::RolledBack);
    let seen = until_entries(&shop, "shop-api", "prod", 3).await;
    assert_eq!(
        seen,
        [
            ("1.0.0".to_owned(), Origin::PutBack { run: id.clone() }),
            ("bad".to_owned(), portal(&id, "promote", RunState::RolledBack)),
            ("1.0.0".to_owned(), Origin::FirstSeen),
        ]
    );
}

async fn the_history_pages_newest_first_and_skips_repeats(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let empty = store.deployments("quiet", None).await.expect("history");
    assert!(empty.items.is_empty() && empty.older.is_none());
    // A deploy step repeated after an interruption records its deployment once.
    let repeated = RunDeployment { service: "quiet", environment: "prod", version: "2.0", run: "r1", action: Some("promote"), requester: "ada", at: 1 };
    store.record_deployment(&repeated).await.expect("recorded");
    store.record_deployment(&RunDeployment { at: 2, ..repeated }).await.expect("recorded again");
    assert_eq!(store.deployments("quiet", None).await.expect("history").items.len(), 1);
    for n in 1..=25_i64 {
        store.record_seen("paged", "dev", &format!("1.{n}"), n).await.expect("seen");
        // Seeing the same version again is not a deployment.
        store.record_seen("paged", "dev", &format!("1.{n}"), n + 1).await.expect("seen again");
    }
    let first = store.deployments("paged", None).await.expect("first page");
    let versions: Vec<&str> = first.items.iter().map(|d| d.version.as_str()).collect();
    assert_eq!(versions.len(), DEPLOYMENTS_PER_PAGE as usize);
    assert_eq!((versions[0], versions[19]), ("1.25", "1.6"));
    assert!(first.items.iter().all(|d| d.origin == Origin::Outside));
    let second = store.deployments("paged", first.older).await.expect("second page");
    let versions: Vec<&str> = second.items.iter().map(|d| d.version.as_str()).collect();
    assert_eq!(versions, ["1.5", "1.4", "1.3", "1.2", "1.1"]);
    assert_eq!(second.items.last().map(|d| &d.origin), Some(&Origin::FirstSeen));
    assert!(second.older.is_none());
    // A version seen again after another is a deployment again (a rollback outside the portal).
    store.record_seen("paged", "dev", "1.24", 100).await.expect("seen");
    let newest = store.deployments("paged", None).await.expect("history");
    assert_eq!(newest.items.first().map(|d| (d.version.as_str(), d.at)), Some(("1.24", 100)));
}
