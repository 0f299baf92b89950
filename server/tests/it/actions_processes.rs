//! Runs across portal processes: a portal killed with SIGKILL mid-run, and two portals sharing
//! one PostgreSQL database. These start the `portico` binary, as production does.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use domain::actions::RunState;
use domain::actions::parse::parse_actions;
use server::store::Store;
use server::store::runs::NewRun;

use crate::support::{Engine, TestDb, on_both_engines};

on_both_engines!(a_run_cut_short_by_sigkill_ends_recorded_and_is_not_run_twice);

/// `worker/dev` runs nothing of note; the tasks append to `$MARKER` so a test can count how
/// often they really ran.
fn catalog(marker: &Path) -> String {
    format!(
        r#"
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {{ name: worker }}
spec:
  type: service
  lifecycle: production
  owner: ops
  environments:
    - name: dev
      local:
        command: 'while :; do sleep 0.2; done'
        version: "1.0.0"
        env: {{ MARKER: "{}" }}
"#,
        marker.display()
    )
}

const ACTIONS: &str = r#"
actions:
  - id: slow
    title: Slow task
    kind: task
    timeout_seconds: 120
    command: 'echo "slow $PPID" >> "$MARKER"; sleep 30'
  - id: mark
    title: Mark
    kind: task
    inputs:
      - { name: n, type: number, integer: true, required: true }
    command: 'sleep 0.3; echo "$PORTICO_INPUT_N" >> "$MARKER"'
"#;

struct Site {
    dir: tempfile::TempDir,
    marker: PathBuf,
}

fn site() -> Site {
    let dir = tempfile::tempdir().expect("temporary folder");
    let marker = dir.path().join("marker");
    std::fs::create_dir_all(dir.path().join("catalog")).expect("folder");
    std::fs::write(dir.path().join("catalog/worker.yaml"), catalog(&marker)).expect("catalog");
    std::fs::write(dir.path().join("actions.yaml"), ACTIONS).expect("actions");
    Site { dir, marker }
}

/// A `portico serve` on a free port; killed (SIGKILL) when dropped.
struct Served {
    child: Child,
    url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn serve(site: &Site, db: &TestDb, name: &str) -> Served {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("address").port();
    let config = site.dir.path().join(format!("{name}.toml"));
    let body = format!(
        "listen = \"127.0.0.1:{port}\"\n[catalog]\npaths = [\"catalog\"]\n[runtime]\npoll_seconds = 1\n\
         [actions]\npaths = [\"actions.yaml\"]\nworkers = 4\nlease_seconds = 2\npoll_millis = 50\n"
    );
    std::fs::write(&config, body).expect("config");
    let log = std::fs::File::create(site.dir.path().join(format!("{name}.log"))).expect("log");
    let child = Command::new(env!("CARGO_BIN_EXE_portico"))
        .arg("--config")
        .arg(&config)
        .arg("serve")
        .env_remove("PORTICO_CONFIG")
        .env("DATABASE_URL", secrecy::ExposeSecret::expose_secret(&db.url))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("portico starts");
    let served = Served { child, url: format!("http://127.0.0.1:{port}") };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client.get(format!("{}/readyz", served.url)).send().await.is_ok_and(|r| r.status().is_success()) {
            return served;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{name} never became ready: {}", std::fs::read_to_string(site.dir.path().join(format!("{name}.log"))).unwrap_or_default());
}

/// Queues a run of `action` on worker/dev, as a request through the pages would.
async fn queue(store: &Store, action: &str, inputs: serde_json::Value) -> String {
    let (defs, problems) = parse_actions("actions.yaml", ACTIONS);
    assert!(problems.is_empty(), "{problems:?}");
    let def = defs.into_iter().find(|d| d.id == action).expect("the action");
    let now = domain::clock::now_micros();
    let run = NewRun {
        id: uuid::Uuid::new_v4().to_string(),
        action_id: def.id.clone(),
        action_title: def.title.clone(),
        kind: def.kind.name().to_owned(),
        definition: serde_json::to_string(&def).expect("json"),
        service: "worker".into(),
        environment: "dev".into(),
        owner: "ops".into(),
        production: false,
        requester: "ada".into(),
        inputs: inputs.to_string(),
        secret_inputs: None,
        state: RunState::Queued,
        approvals_needed: 0,
        expires_at: None,
        created_at: now,
        target: String::new(),
    };
    let event = domain::audit::NewEvent::new("ada", domain::audit::Origin::Web, domain::audit::kinds::ACTION_REQUESTED, domain::audit::Outcome::Success)
        .service("worker")
        .environment("dev")
        .inputs(serde_json::json!({ "run": run.id }));
    store.insert_run(&run, &event).await.expect("queued");
    run.id
}

async fn until<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    for _ in 0..1200 {
        if let Some(found) = check().await {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: never happened");
}

/// The `portal` of every `action.started` event about `run`.
async fn starts(store: &Store, run: &str) -> Vec<String> {
    let sql = "SELECT inputs FROM audit_events WHERE action = 'action.started'";
    let rows: Vec<String> = match store {
        Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.expect("audit"),
        Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.expect("audit"),
    };
    rows.iter()
        .filter_map(|inputs| serde_json::from_str::<serde_json::Value>(inputs).ok())
        .filter(|inputs| inputs["run"] == run)
        .map(|inputs| inputs["portal"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn a_run_cut_short_by_sigkill_ends_recorded_and_is_not_run_twice(engine: Engine) {
    let site = site();
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let first = serve(&site, &db, "first").await;
    let id = queue(&store, "slow", serde_json::json!({})).await;
    until("the task is running", async || {
        let steps = store.run_steps(&id).await.expect("steps");
        steps.first().filter(|s| s.state == domain::actions::StepState::Running && site.marker.exists()).map(|_| ())
    })
    .await;
    drop(first); // SIGKILL: no chance to record anything.
    assert_eq!(store.run_row(&id).await.expect("read").expect("run").state().expect("state"), RunState::Running);

    let _second = serve(&site, &db, "second").await;
    let row = until("the run ends", async || {
        let row = store.run_row(&id).await.expect("read").expect("run");
        row.state().expect("state").is_final().then_some(row)
    })
    .await;
    assert_eq!(row.state().expect("state"), RunState::Interrupted, "{:?}", row.message);
    assert!(row.message.as_deref().is_some_and(|m| m.contains("stopped mid-run")), "{:?}", row.message);
    let steps = store.run_steps(&id).await.expect("steps");
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].state, domain::actions::StepState::Failed);
    assert!(steps[0].output.contains("not safe to repeat"), "{}", steps[0].output);
    let ran = std::fs::read_to_string(&site.marker).expect("marker");
    assert_eq!(ran.lines().count(), 1, "the task ran again: {ran}");
    let started = starts(&store, &id).await;
    assert_eq!(started.len(), 2, "a start and a take-over are audited: {started:?}");
    assert_ne!(started[0], started[1], "the second portal took over");
}

#[tokio::test]
async fn two_portals_on_one_postgresql_database_never_run_a_run_twice() {
    let site = site();
    let db = TestDb::new(Engine::Postgres).await;
    let store = db.store().await;
    let _first = serve(&site, &db, "first").await;
    let _second = serve(&site, &db, "second").await;
    let mut ids = Vec::new();
    for n in 0..40 {
        ids.push(queue(&store, "mark", serde_json::json!({ "n": n })).await);
    }
    for id in &ids {
        let row = until("every run ends", async || {
            let row = store.run_row(id).await.expect("read").expect("run");
            row.state().expect("state").is_final().then_some(row)
        })
        .await;
        assert_eq!(row.state().expect("state"), RunState::Succeeded, "{:?}", row.message);
    }
    let mut marks: Vec<u32> = std::fs::read_to_string(&site.marker).expect("marker").lines().map(|l| l.trim().parse().expect("a number")).collect();
    marks.sort_unstable();
    assert_eq!(marks, (0..40).collect::<Vec<u32>>(), "every task ran exactly once");
    let mut portals = std::collections::BTreeSet::new();
    for id in &ids {
        let started = starts(&store, id).await;
        assert_eq!(started.len(), 1, "run {id} started {started:?}");
        portals.insert(started[0].clone());
    }
    assert_eq!(portals.len(), 2, "both portals took runs: {portals:?}");
}
