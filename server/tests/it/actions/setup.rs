//! A portal with a small catalog on the local runtime and action files, and the people who use
//! it.

use std::path::Path;
use std::time::Duration;

use domain::access::{Identity, IdentitySource, Principal, RequestMeta, Role};
use domain::actions::{ActionPort, RunRequest};
use server::config::CatalogConfig;
use server::store::runs::RunRow;

use crate::support::{Engine, TestApp, grant};

/// Two services owned by `shop`: `shop-api` with dev and prod (prod a production
/// environment), whose process exits at once when its version is `bad`; `shop-worker` with one
/// environment.
pub const CATALOG: &str = r#"
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: shop }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: shop-api }
spec:
  type: service
  lifecycle: production
  owner: shop
  environments:
    - name: dev
      local:
        command: 'if [ "$PORTICO_VERSION" = bad ]; then echo "cannot start $PORTICO_VERSION" >&2; exit 3; fi; while :; do sleep 0.2; done'
        version: "2.0.0"
    - name: prod
      local:
        command: 'if [ "$PORTICO_VERSION" = bad ]; then echo "cannot start $PORTICO_VERSION" >&2; exit 3; fi; while :; do sleep 0.2; done'
        version: "1.0.0"
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: shop-worker }
spec:
  type: service
  lifecycle: production
  owner: shop
  environments:
    - name: dev
      local:
        command: 'while :; do sleep 0.2; done'
        version: "1.0.0"
"#;

pub const ACTIONS: &str = r#"
actions:
  - id: restart
    title: Restart
    kind: restart
  - id: promote
    title: Promote
    kind: promote
    applies: { environments: [prod] }
    approval: { approvers: 1, role: operator, when: production }
  - id: rollback
    title: Roll back
    kind: rollback
  - id: scale
    title: Scale
    kind: scale
    inputs:
      - { name: replicas, type: number, integer: true, min: 0, max: 4, required: true }
  - id: say
    title: Say something
    kind: task
    timeout_seconds: 20
    inputs:
      - { name: words, type: string, required: true, max_length: 100 }
    command: 'printf "said: %s\n" "$PORTICO_INPUT_WORDS"'
  - id: slow
    title: Slow task
    kind: task
    timeout_seconds: 60
    command: 'echo started; sleep 30; echo finished'
  - id: guarded-restart
    title: Guarded restart
    kind: restart
    approval: { approvers: 2, role: developer, expires_after_minutes: 1 }
"#;

pub struct Shop {
    pub app: TestApp,
    /// Holds `catalog/shop.yaml` and `actions/shop.yaml`.
    pub dir: tempfile::TempDir,
}

/// `ada` and `bob` are developers (bob through the `shop` team), `grace` an operator, `vic` a
/// viewer.
pub async fn shop(engine: Engine, actions: &str) -> Shop {
    shop_with(engine, actions, |_| {}).await
}

/// [`shop`], with `adjust` changing the configuration last.
pub async fn shop_with(engine: Engine, actions: &str, adjust: impl FnOnce(&mut server::config::Config)) -> Shop {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(dir.path(), "catalog/shop.yaml", CATALOG);
    write(dir.path(), "actions/shop.yaml", actions);
    let root = dir.path().to_owned();
    let app = TestApp::spawn_configured(engine, |config| {
        config.catalog = CatalogConfig { paths: vec![root.join("catalog").into()], ..CatalogConfig::default() };
        config.actions.paths = vec![root.join("actions").into()];
        config.actions.poll_millis = 50;
        config.actions.lease_seconds = 3;
        config.runtime.poll_seconds = 1;
        // `owner: shop` is the team acme/shop.
        config.auth.allowed_orgs = vec!["acme".into()];
        config.access.grants.push(grant("developer", &["ada"], &[]));
        config.access.grants.push(grant("operator", &["grace"], &[]));
        config.access.grants.push(grant("viewer", &["vic", "bob"], &[]));
        adjust(config);
    })
    .await;
    let shop = Shop { app, dir };
    shop.until_running("shop-api", "prod").await;
    shop
}

pub fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, text).expect("write");
}

pub fn person(login: &str, role: Role) -> Principal {
    let teams = if login == "bob" { vec![domain::access::TeamRef { org: "acme".into(), slug: "shop".into() }] } else { vec![] };
    Principal {
        identity: Identity { login: login.into(), github_id: None, name: None, avatar_url: None, orgs: vec!["acme".into()], teams, source: IdentitySource::GitHub },
        role: Some(role),
        token: None,
    }
}

pub fn meta() -> RequestMeta {
    RequestMeta { request_id: Some("test".into()), client_addr: Some("127.0.0.1".into()) }
}

pub fn request(action: &str, service: &str, environment: Option<&str>, values: &[(&str, &str)]) -> RunRequest {
    RunRequest {
        action: action.into(),
        service: service.into(),
        environment: environment.map(Into::into),
        values: values.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        confirm: None,
    }
}

impl Shop {
    pub fn engine(&self) -> &dyn ActionPort {
        self.app.actions.as_ref()
    }

    pub async fn row(&self, id: &str) -> RunRow {
        self.app.store.run_row(id).await.expect("read").expect("the run exists")
    }

    /// Waits for the run to end and returns it.
    pub async fn until_final(&self, id: &str) -> RunRow {
        for _ in 0..600 {
            let row = self.row(id).await;
            if row.state().expect("state").is_final() {
                return row;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("run {id} never ended: {:?}", self.row(id).await.state);
    }

    /// Waits until the environment's processes run (the poller starts them).
    pub async fn until_running(&self, service: &str, environment: &str) {
        use domain::runtime::{Health, Runtime};
        use domain::store::EnvironmentStore;
        for _ in 0..200 {
            if let Some(detail) = self.app.store.placement(service, environment).await.expect("read")
                && let Ok(status) = self.app.runtimes.status(&detail.placement).await
                && status.health == Health::Healthy
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{service}/{environment} never became healthy");
    }

    /// The audit actions recorded about a run, oldest first, with their outcomes.
    pub async fn audit_of(&self, id: &str) -> Vec<(String, String)> {
        let sql = "SELECT action, outcome, inputs FROM audit_events ORDER BY seq";
        let rows: Vec<(String, String, String)> = match &self.app.store {
            server::store::Store::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await.expect("audit"),
            server::store::Store::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await.expect("audit"),
        };
        rows.into_iter().filter(|(_, _, inputs)| inputs.contains(id)).map(|(a, o, _)| (a, o)).collect()
    }
}
