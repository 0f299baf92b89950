//! Databases, catalogs and running portals for tests.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use domain::catalog::{Catalog, Declared, Details, Entity, EntityKind, EntityRef, Problem, RelationType, Service, SourceLocation};
use secrecy::SecretString;
use server::Portal;
use server::config::{CatalogConfig, Config};
use server::store::Store;
use sqlx::Connection;

/// Which engine a test runs against.
#[derive(Clone, Copy, Debug)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Generates, for each listed `async fn name(engine: Engine)`, one test per database engine.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name($crate::support::Engine::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() { super::$name($crate::support::Engine::Postgres).await })*
        }
    };
}
pub(crate) use on_both_engines;

/// A throw-away database: an SQLite file in a temporary folder, or a PostgreSQL database on
/// the local server, dropped when the test ends.
pub struct TestDb {
    pub url: SecretString,
    _dir: Option<tempfile::TempDir>,
    postgres_name: Option<String>,
}

/// The PostgreSQL server tests create their databases on; `deploy/dev.sh test` starts it.
fn postgres_admin_url() -> String {
    std::env::var("PORTICO_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

impl TestDb {
    pub async fn new(engine: Engine) -> Self {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let url = format!("sqlite://{}", dir.path().join("portico.db").display());
                Self { url: url.into(), _dir: Some(dir), postgres_name: None }
            }
            Engine::Postgres => {
                let admin = postgres_admin_url();
                let name = format!("portico_test_{}", uuid::Uuid::new_v4().simple());
                let mut connection = sqlx::PgConnection::connect(&admin)
                    .await
                    .expect("PostgreSQL must be running on 127.0.0.1:5432 (deploy/dev.sh test starts it)");
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection).await.expect("create database");
                let base = admin.rsplit_once('/').map(|(base, _)| base.to_owned()).unwrap_or(admin);
                Self { url: format!("{base}/{name}").into(), _dir: None, postgres_name: Some(name) }
            }
        }
    }

    /// A migrated store on this database.
    pub async fn store(&self) -> Store {
        let store = Store::connect(&self.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        store
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.postgres_name.take() else { return };
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async {
                if let Ok(mut connection) = sqlx::PgConnection::connect(&postgres_admin_url()).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut connection).await;
                }
            });
        })
        .join();
    }
}

/// The browser-test fixtures: a good catalog, a file with one broken document, a syntax error.
pub fn fixture_catalog_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../end2end/fixtures/catalog")
}

/// Only one in-process portal runs at a time. Leptos keeps reactive state in process-wide
/// statics, and portals on several test runtimes at once occasionally stalled a request until it
/// timed out; a deployed portal is one per process, where 34,000 concurrent requests across every
/// page showed no stall. Tests that need several portals at once start the binary instead.
static ONE_PORTAL_AT_A_TIME: LazyLock<Arc<tokio::sync::Mutex<()>>> = LazyLock::new(Default::default);

/// A portal serving on an ephemeral loopback port.
pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Store,
    pub actions: Arc<server::actions::ActionEngine>,
    pub runtimes: Arc<runtimes::Runtimes>,
    /// The membership check on GitHub, when the configuration has one.
    pub membership: Option<Arc<server::auth::membership::MembershipCheck>>,
    /// Signed in as the demo user, an admin in test portals.
    pub client: reqwest::Client,
    /// Signed in as nobody.
    pub anonymous: reqwest::Client,
    /// Kept so the database lives as long as the portal.
    _db: TestDb,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl TestApp {
    pub async fn spawn(engine: Engine, catalog: Vec<PathBuf>) -> Self {
        let paths = catalog.into_iter().map(Into::into).collect();
        Self::spawn_with(engine, CatalogConfig { paths, ..CatalogConfig::default() }).await
    }

    pub async fn spawn_with(engine: Engine, catalog: CatalogConfig) -> Self {
        Self::spawn_configured(engine, |config| config.catalog = catalog).await
    }

    /// A portal whose test configuration (demo sign-in on, the demo user an admin) `adjust`
    /// changes first.
    pub async fn spawn_configured(engine: Engine, adjust: impl FnOnce(&mut Config)) -> Self {
        let turn = ONE_PORTAL_AT_A_TIME.clone().lock_owned().await;
        let db = TestDb::new(engine).await;
        // Bound first, so the configuration names the real address (the OAuth callback URL and
        // the allowed Origin derive from it).
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let mut config = Config { listen: addr, database_url: Some(db.url.clone()), ..Config::default() };
        config.auth.demo_user = true;
        config.access.grants.push(grant("admin", &["demo"], &[]));
        adjust(&mut config);
        let portal = Portal::start(&config).await.expect("portal starts");
        let store = portal.store.clone();
        let actions = portal.actions.clone();
        let runtimes = portal.runtimes.clone();
        let membership = portal.membership.clone();
        tokio::spawn(portal.serve(listener, std::future::pending()));
        let demo = config.auth.demo_user;
        let app = Self { addr, store, actions, runtimes, membership, client: client(), anonymous: client(), _db: db, _turn: turn };
        if demo {
            let signed_in = app.client.post(app.url("/auth/demo")).form(&[("next", "/")]).send().await.expect("sign in");
            assert_eq!(signed_in.status(), 303, "demo sign-in redirects");
        }
        app
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    /// The page's HTML and status.
    /// The page at `path`, without the empty comments (`<!>`) Leptos leaves between pieces of
    /// text for hydration: how many there are depends on how the server was built (with
    /// `--cfg erase_components` or not), never on what the page says.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body").replace("<!>", ""))
    }
}

/// GitHub sign-in through the double at `base` (its web flow and API share one address).
pub fn github_sign_in(base: &url::Url) -> server::config::GithubConfig {
    server::config::GithubConfig {
        client_id: github_double::DEFAULT_CLIENT_ID.into(),
        client_secret: secrecy::SecretString::from(github_double::DEFAULT_CLIENT_SECRET),
        web_url: base.clone(),
        api_url: base.clone(),
    }
}

/// A client that keeps cookies and shows redirects instead of following them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        // A hung request fails its test instead of stalling the suite.
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client")
}

/// An `[[access.grants]]` entry.
pub fn grant(role: &str, users: &[&str], teams: &[&str]) -> server::config::GrantConfig {
    let list = |items: &[&str]| items.iter().map(|i| (*i).to_owned()).collect();
    server::config::GrantConfig {
        role: domain::access::Role::parse(role).expect("role"),
        users: list(users),
        orgs: vec![],
        teams: list(teams),
        environments: vec![],
    }
}

/// Builds a service for store tests; `owner` and `system` are what filters see.
pub fn service(name: &str, owner: &str, system: Option<&str>, lifecycle: &str) -> Service {
    Service {
        name: name.to_owned(),
        title: Some(format!("The {name}")),
        description: Some(format!("{name} does useful work")),
        kind: "service".to_owned(),
        lifecycle: lifecycle.to_owned(),
        owner: owner.to_owned(),
        system: system.map(str::to_owned),
        tags: vec!["rust".to_owned()],
        links: vec![],
        annotations: Default::default(),
        environments: vec![],
        source: SourceLocation { file: "catalog/services.yaml".to_owned(), line: 1 },
        manifest: format!("metadata:\n  name: {name}\n"),
    }
}

/// An entity of `kind` named `name`, declaring `declared` (relation, reference as written with
/// its kind).
pub fn entity(kind: EntityKind, name: &str, title: Option<&str>, declared: &[(RelationType, &str, &str)]) -> Entity {
    let declared = declared
        .iter()
        .map(|(relation, target, field)| Declared {
            relation: *relation,
            target: EntityRef::parse(target, None, "default").expect("a reference"),
            field: (*field).to_owned(),
            line: 1,
        })
        .collect::<Vec<_>>();
    let owner = declared.iter().find(|d| d.relation == RelationType::OwnedBy).map(|d| d.target.clone());
    Entity {
        kind,
        namespace: "default".to_owned(),
        name: name.to_owned(),
        title: title.map(str::to_owned),
        description: None,
        tags: vec![],
        links: vec![],
        annotations: Default::default(),
        spec_type: None,
        lifecycle: None,
        owner,
        declared,
        details: Details::None,
        source: SourceLocation { file: format!("catalog/{}.yaml", kind.key()), line: 1 },
    }
}

pub fn team(name: &str, title: &str) -> Entity {
    entity(EntityKind::Group, name, Some(title), &[])
}

pub fn system(name: &str, title: &str, owner: &str) -> Entity {
    entity(EntityKind::System, name, Some(title), &[(RelationType::OwnedBy, &format!("group:{owner}"), "spec.owner")])
}

/// The component entity a service is read with: its owner (a team) and system as relations.
pub fn component_of(service: &Service) -> Entity {
    let owner = format!("group:{}", service.owner);
    let system = service.system.as_ref().map(|system| format!("system:{system}"));
    let mut declared = vec![(RelationType::OwnedBy, owner.as_str(), "spec.owner")];
    declared.extend(system.as_deref().map(|system| (RelationType::PartOf, system, "spec.system")));
    let mut entity = entity(EntityKind::Component, &service.name, service.title.as_deref(), &declared);
    entity.source = service.source.clone();
    entity
}

pub fn problem(file: &str, line: usize, field: &str) -> Problem {
    Problem { file: file.to_owned(), line: Some(line), field: Some(field.to_owned()), message: "is required".to_owned() }
}

/// What a catalog folder holding one file of `text` becomes, as the portal stores it.
pub fn load_manifests(text: &str) -> Catalog {
    let part = domain::catalog::parse_manifest("catalog/all.yaml", text);
    let clean = part.problems.is_empty();
    let source = domain::catalog::claims::SourcePart { source: domain::catalog::claims::FOLDERS.to_owned(), catalog: part, clean };
    domain::catalog::claims::merge(vec![source], &domain::catalog::claims::Claims::new()).0
}

/// An empty catalog to fill in.
pub fn catalog() -> Catalog {
    Catalog::default()
}
