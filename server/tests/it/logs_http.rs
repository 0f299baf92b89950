//! Live logs over HTTP (server-sent events), who may read them, the audit of production
//! reads, the environments grid fed by the poller, and direct operations on environments.

use std::path::PathBuf;
use std::time::Duration;

use domain::audit::AuditQuery;
use domain::catalog::ServiceQuery;
use domain::runtime::Health;
use domain::store::{AuditStore, EnvironmentStore};

use crate::support::{Engine, TestApp, grant, on_both_engines};

pub(crate) const CATALOG: &str = r#"apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop
spec:
  type: service
  lifecycle: production
  owner: commerce
  environments:
    - name: dev
      local:
        command: i=0; while :; do i=$((i+1)); echo "line $i"; sleep 0.02; done
        version: "2.0.0"
    - name: prod
      local:
        command: while :; do echo serving; sleep 0.2; done
        version: "1.9.0"
"#;

pub(crate) fn catalog() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("catalog");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(folder.join("shop.yaml"), CATALOG).expect("write");
    (dir, folder)
}

async fn portal(engine: Engine, role: &str) -> (TestApp, tempfile::TempDir) {
    let (dir, folder) = catalog();
    let role = role.to_owned();
    let app = TestApp::spawn_configured(engine, move |config| {
        config.catalog.paths = vec![folder.into()];
        config.runtime.poll_seconds = 1;
        config.access.grants = vec![grant(&role, &["demo"], &[])];
    })
    .await;
    (app, dir)
}

/// One server-sent event.
#[derive(Debug, Default)]
struct Sse {
    event: String,
    id: Option<String>,
    data: String,
}

/// Reads events from `response` until `count` named `line` arrived.
async fn lines(response: &mut reqwest::Response, count: usize) -> Vec<Sse> {
    let mut buffer = String::new();
    let mut events = Vec::new();
    while events.iter().filter(|e: &&Sse| e.event == "line").count() < count {
        let chunk = tokio::time::timeout(Duration::from_secs(10), response.chunk()).await.expect("data in time");
        buffer.push_str(&String::from_utf8_lossy(&chunk.expect("read").expect("stream open")));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let mut event = Sse::default();
            for line in block.lines() {
                match line.split_once(':') {
                    Some(("event", value)) => event.event = value.trim().to_owned(),
                    Some(("id", value)) => event.id = Some(value.trim().to_owned()),
                    Some(("data", value)) => event.data.push_str(value.trim()),
                    _ => {}
                }
            }
            if !event.event.is_empty() {
                events.push(event);
            }
        }
    }
    events
}

fn line_number(event: &Sse) -> Option<u64> {
    let data: serde_json::Value = serde_json::from_str(&event.data).ok()?;
    data["text"].as_str()?.strip_prefix("line ")?.parse().ok()
}

async fn a_dropped_connection_resumes_from_the_last_event_id(engine: Engine) {
    let (app, _dir) = portal(engine, "viewer").await;
    let url = app.url("/api/logs/shop/dev");
    let mut first = app.client.get(&url).send().await.expect("open");
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-type"], "text/event-stream");
    let events = lines(&mut first, 20).await;
    let last = events.iter().rev().find(|e| e.event == "line").expect("a line");
    let last_id = last.id.clone().expect("lines have ids");
    let last_number = events.iter().rev().find_map(line_number).expect("numbered lines");
    drop(first);
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut second = app.client.get(&url).header("last-event-id", &last_id).send().await.expect("reopen");
    let events = lines(&mut second, 20).await;
    let (epoch, id) = last_id.split_once(':').expect("epoch:id");
    let next_id: u64 = id.parse::<u64>().expect("number") + 1;
    assert_eq!(events[0].id.as_deref(), Some(format!("{epoch}:{next_id}").as_str()), "{events:?}");
    let numbers: Vec<u64> = events.iter().filter_map(line_number).collect();
    let expected: Vec<u64> = (last_number + 1..=last_number + numbers.len() as u64).collect();
    assert_eq!(numbers, expected, "no gap, no repeat");
    assert!(events.iter().all(|e| e.event != "dropped"));
}

async fn production_logs_need_the_developer_role_and_are_audited(engine: Engine) {
    let (viewer, _dir) = portal(engine, "viewer").await;
    let refused = viewer.get("/api/logs/shop/prod").await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.expect("body").contains("developer"));
    let events = viewer.store.audit_page(&AuditQuery { action: Some("access.denied".into()), ..AuditQuery::default() }.normalised()).await.expect("audit");
    assert_eq!(events.items[0].environment.as_deref(), Some("prod"), "the refusal is recorded");
    assert_eq!(viewer.get("/api/logs/shop/nowhere").await.status(), 404);
    assert_eq!(viewer.anonymous.get(viewer.url("/api/logs/shop/dev")).send().await.expect("get").status(), 401);
    drop(viewer);

    let (developer, _dir) = portal(engine, "developer").await;
    let mut stream = developer.get("/api/logs/shop/prod").await;
    assert_eq!(stream.status(), 200);
    let events = lines(&mut stream, 1).await;
    let reads = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            store.audit_page(&AuditQuery { action: Some("logs.read".into()), ..AuditQuery::default() }.normalised()).await.expect("audit").items
        }
    };
    let recorded = reads(&developer).await;
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].service.as_deref(), recorded[0].environment.as_deref()), (Some("shop"), Some("prod")));
    // A reconnect continues the same reading: not recorded again.
    let id = events.iter().find_map(|e| e.id.clone()).expect("an id");
    let resumed = developer.client.get(developer.url("/api/logs/shop/prod")).header("last-event-id", id).send().await.expect("reopen");
    assert_eq!(resumed.status(), 200);
    drop(resumed);
    assert_eq!(reads(&developer).await.len(), 1);
    // A made-up Last-Event-ID is no reconnect: the reading is recorded, and still served.
    let mut forged = developer.client.get(developer.url("/api/logs/shop/prod")).header("last-event-id", "forged:0").send().await.expect("open");
    assert_eq!(forged.status(), 200);
    assert!(!lines(&mut forged, 1).await.is_empty());
    drop(forged);
    assert_eq!(reads(&developer).await.len(), 2, "a first reading must be recorded whatever Last-Event-ID says");
    // Development logs are not production: reading them is not recorded.
    drop(developer.get("/api/logs/shop/dev").await);
    assert_eq!(reads(&developer).await.len(), 2);
    let download = developer.get("/api/logs/shop/prod/download").await;
    assert_eq!(download.status(), 200);
    assert!(download.text().await.expect("text").contains("serving"));
    assert_eq!(reads(&developer).await.len(), 3, "a download is a reading");
}

async fn the_grid_shows_what_the_local_runtime_runs(engine: Engine) {
    let (app, _dir) = portal(engine, "operator").await;
    let mut cells = Vec::new();
    for _ in 0..100 {
        cells = app.store.service_environments("shop").await.expect("cells");
        if cells.iter().all(|c| c.observation.as_ref().is_some_and(|o| o.status.as_ref().is_ok_and(|s| s.ready == 1))) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let names: Vec<&str> = cells.iter().map(|c| c.environment.as_str()).collect();
    assert_eq!(names, ["dev", "prod"]);
    let status = cells[1].observation.as_ref().expect("observed").status.as_ref().expect("ok");
    assert_eq!((status.health, status.version.as_deref(), status.ready), (Health::Healthy, Some("1.9.0"), 1));
    assert!(cells[1].production);
    assert_eq!(cells[1].drift_from.as_deref(), Some("2.0.0"), "prod runs another version than dev");

    let grid = app.store.environment_grid(&ServiceQuery::default().normalised()).await.expect("grid");
    assert_eq!(grid.columns, ["dev", "prod"]);
    assert_eq!(grid.rows[0].service, "shop");

    // An operator restarts dev from the command line (through the API); the grid sees new
    // processes without waiting for the next round.
    let before = cells[0].observation.as_ref().and_then(|o| o.status.as_ref().ok()).map(|s| s.instances[0].id.clone());
    let restarted = app.client.post(app.url("/api/environments/shop/dev/restart")).send().await.expect("restart");
    assert_eq!(restarted.status(), 200);
    let mut after = before.clone();
    for _ in 0..50 {
        let cells = app.store.service_environments("shop").await.expect("cells");
        after = cells[0].observation.as_ref().and_then(|o| o.status.as_ref().ok()).and_then(|s| s.instances.first()).map(|i| i.id.clone());
        if after != before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_ne!(after, before, "new processes are shown");
    let audit = app.store.audit_page(&AuditQuery { action: Some("environment.restart".into()), ..AuditQuery::default() }.normalised()).await.expect("audit");
    assert_eq!(audit.items.len(), 1);
    assert_eq!(app.client.post(app.url("/api/environments/shop/dev/explode")).send().await.expect("post").status(), 404);
    let scale = app.client.post(app.url("/api/environments/shop/dev/scale")).json(&serde_json::json!({"replicas": 99})).send().await.expect("post");
    assert_eq!(scale.status(), 422, "more processes than a local environment may run");
}

async fn only_operators_operate_environments(engine: Engine) {
    let (app, _dir) = portal(engine, "developer").await;
    let refused = app.client.post(app.url("/api/environments/shop/dev/restart")).send().await.expect("post");
    assert_eq!(refused.status(), 403);
    let anonymous = app.anonymous.post(app.url("/api/environments/shop/dev/restart")).send().await.expect("post");
    assert_eq!(anonymous.status(), 401);
}

on_both_engines!(
    a_dropped_connection_resumes_from_the_last_event_id,
    production_logs_need_the_developer_role_and_are_audited,
    the_grid_shows_what_the_local_runtime_runs,
    only_operators_operate_environments,
);
