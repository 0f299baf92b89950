//! Direct operations on environments (`POST /api/environments/…`, `portico env`) under the
//! rules actions follow: owners-only environments, the production confirmation, approvals, and
//! an audit record before the runtime is touched.

use std::time::Duration;

use domain::audit::{AuditQuery, Outcome};
use domain::store::{AuditStore, EnvironmentStore};
use serde_json::json;

use crate::logs_http::catalog;
use crate::support::{Engine, TestApp, grant, on_both_engines};

/// The `shop` service (owned by `commerce`, which the demo user is not in) with dev and prod,
/// the demo user an operator everywhere, `adjust` applied last.
async fn operator(engine: Engine, adjust: impl FnOnce(&mut server::config::Config)) -> (TestApp, tempfile::TempDir) {
    let (dir, folder) = catalog();
    let app = TestApp::spawn_configured(engine, move |config| {
        config.catalog.paths = vec![folder.into()];
        config.runtime.poll_seconds = 1;
        config.access.grants = vec![grant("operator", &["demo"], &[])];
        adjust(config);
    })
    .await;
    (app, dir)
}

async fn post(app: &TestApp, path: &str, body: serde_json::Value) -> (u16, String) {
    let response = app.client.post(app.url(path)).json(&body).send().await.expect("post");
    (response.status().as_u16(), response.text().await.expect("body"))
}

async fn outcomes(app: &TestApp, action: &str) -> Vec<(Outcome, Option<String>)> {
    let query = AuditQuery { action: Some(action.into()), ..AuditQuery::default() }.normalised();
    app.store.audit_page(&query).await.expect("audit").items.into_iter().map(|e| (e.outcome, e.environment)).collect()
}

async fn owners_only_environments_stay_with_their_owners(engine: Engine) {
    let (app, _dir) = operator(engine, |config| config.access.owners_only_environments = vec!["prod".into()]).await;
    let (status, text) = post(&app, "/api/environments/shop/prod/restart", json!({ "confirm": "shop" })).await;
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("operator"), "{text}");
    assert_eq!(outcomes(&app, "environment.restart").await, [(Outcome::Denied, Some("prod".into()))], "the refusal is recorded");
    let (status, text) = post(&app, "/api/environments/shop/dev/restart", json!({})).await;
    assert_eq!(status, 200, "{text}");
}

async fn production_asks_for_the_service_name(engine: Engine) {
    let (app, _dir) = operator(engine, |_| {}).await;
    let (status, text) = post(&app, "/api/environments/shop/prod/stop", json!({})).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("Type shop to confirm"), "{text}");
    let (status, _) = post(&app, "/api/environments/shop/prod/stop", json!({ "confirm": "checkout" })).await;
    assert_eq!(status, 422);
    let (status, text) = post(&app, "/api/environments/shop/prod/stop", json!({ "confirm": "shop" })).await;
    assert_eq!(status, 200, "{text}");
    let recorded = outcomes(&app, "environment.stop").await;
    assert_eq!(recorded.iter().filter(|(outcome, _)| *outcome == Outcome::Denied).count(), 2);
    assert!(recorded.contains(&(Outcome::Success, Some("prod".into()))), "{recorded:?}");
}

async fn an_approval_policy_cannot_be_stepped_around(engine: Engine) {
    let dir = tempfile::tempdir().expect("temp dir");
    let actions = dir.path().join("actions.yaml");
    let policy = "actions:\n  - id: guarded-restart\n    title: Guarded restart\n    kind: restart\n    \
                  approval: { approvers: 1, role: operator, when: production }\n";
    std::fs::write(&actions, policy).expect("write");
    let (app, _catalog) = operator(engine, move |config| config.actions.paths = vec![actions.into()]).await;
    let (status, text) = post(&app, "/api/environments/shop/prod/restart", json!({ "confirm": "shop" })).await;
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("needs approval") && text.contains("`guarded-restart`"), "{text}");
    // The policy asks for approval in production only.
    let (status, text) = post(&app, "/api/environments/shop/dev/restart", json!({})).await;
    assert_eq!(status, 200, "{text}");
}

async fn an_operation_that_cannot_be_recorded_is_not_carried_out(engine: Engine) {
    let (app, _dir) = operator(engine, |_| {}).await;
    until_ready(&app, 1).await;
    let refuse = match &app.store {
        server::store::Store::Sqlite(pool) => {
            sqlx::query("CREATE TRIGGER no_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'refused'); END")
                .execute(pool)
                .await
                .map(drop)
        }
        server::store::Store::Postgres(pool) => {
            sqlx::raw_sql(
                "CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$; \
                 CREATE TRIGGER no_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION no_audit();",
            )
            .execute(pool)
            .await
            .map(drop)
        }
    };
    refuse.expect("the audit log refuses appends");
    let (status, text) = post(&app, "/api/environments/shop/dev/stop", json!({})).await;
    assert_eq!(status, 503, "{text}");
    assert!(text.contains("not carried out"), "{text}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    until_ready(&app, 1).await;
}

/// Waits until shop's dev environment reports `ready` running processes.
async fn until_ready(app: &TestApp, ready: u32) {
    for _ in 0..100 {
        let cells = app.store.service_environments("shop").await.expect("cells");
        if cells[0].observation.as_ref().and_then(|o| o.status.as_ref().ok()).is_some_and(|s| s.ready == ready) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("dev never had {ready} ready processes");
}

on_both_engines!(
    owners_only_environments_stay_with_their_owners,
    production_asks_for_the_service_name,
    an_approval_policy_cannot_be_stepped_around,
    an_operation_that_cannot_be_recorded_is_not_carried_out,
);
