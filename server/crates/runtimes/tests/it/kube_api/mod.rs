//! A local Kubernetes API server for tests: Deployments, ReplicaSets and pods held in memory as
//! the JSON the real API serves (`kind`, `apiVersion`, `metadata.resourceVersion`…), answering
//! the paths, content types, error `Status` bodies and log streams of the real one, so the
//! runtime's production client (kube, configured from a kubeconfig file) can be tested
//! unchanged. There is no controller: objects change only through patches and the test.

mod logs;
pub mod objects;
mod patch;
mod routes;
mod selector;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use time::OffsetDateTime;
use tokio::net::TcpListener;

/// The bearer token the server accepts; [`KubeApi::kubeconfig`] writes it.
const TOKEN: &str = "portico-test-token";

/// The user the token stands for, as RBAC messages name it.
const USER: &str = "system:serviceaccount:portal:portico";

/// (resource, namespace, name)
type Key = (String, String, String);

/// One request as it reached the server.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub content_type: Option<String>,
}

/// Something wrong with the server, for every request from now on.
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// Answer every request with this status (a `Status` body; `Retry-After` with 429).
    Status(u16),
    /// Accept the request and never answer.
    Hang,
}

#[derive(Default)]
struct Cluster {
    objects: BTreeMap<Key, Value>,
    last_resource_version: u64,
    logs: HashMap<(String, String, String), logs::ContainerLog>,
    requests: Vec<Recorded>,
    fault: Option<Fault>,
    /// (verb, resource) pairs RBAC refuses: ("patch", "deployments"), ("get", "pods/log").
    denied: Vec<(String, String)>,
}

impl Cluster {
    fn next_resource_version(&mut self) -> String {
        self.last_resource_version += 1;
        self.last_resource_version.to_string()
    }
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Cluster>>);

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Cluster> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The running server; it stops when dropped.
pub struct KubeApi {
    address: SocketAddr,
    shared: Shared,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for KubeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl KubeApi {
    pub async fn spawn() -> Self {
        let shared = Shared::default();
        shared.lock().last_resource_version = 7000;
        let router = Router::new()
            .route("/apis/apps/v1/namespaces/{namespace}/{resource}", get(routes::list))
            .route("/apis/apps/v1/namespaces/{namespace}/{resource}/{name}", get(routes::read).patch(routes::patch))
            .route("/api/v1/namespaces/{namespace}/{resource}", get(routes::list))
            .route("/api/v1/namespaces/{namespace}/{resource}/{name}", get(routes::read).patch(routes::patch))
            .route("/api/v1/namespaces/{namespace}/pods/{name}/log", get(logs::read))
            .fallback(|| async { status(StatusCode::NOT_FOUND, "NotFound", "the server could not find the requested resource".into()) })
            .layer(axum::middleware::from_fn_with_state(shared.clone(), gatekeeper))
            .with_state(shared.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the test API server");
        let address = listener.local_addr().expect("its address");
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.expect("the test API server runs");
        });
        Self { address, shared, server }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Writes a kubeconfig for this server into `dir`, as `kubectl config` would, and returns
    /// its path. `token` is the bearer token it holds; [`Self::token`] is the one accepted.
    pub fn kubeconfig(&self, dir: &Path, token: &str) -> PathBuf {
        write_kubeconfig(dir, &self.url(), token)
    }

    pub fn token() -> &'static str {
        TOKEN
    }

    /// Stores `object` (by its `kind`, namespace and name) with a new resource version.
    pub fn put(&self, mut object: Value) {
        let resource = match object["kind"].as_str() {
            Some("Deployment") => "deployments",
            Some("ReplicaSet") => "replicasets",
            Some("Pod") => "pods",
            other => panic!("the test API server does not hold {other:?}"),
        };
        let mut cluster = self.shared.lock();
        object["metadata"]["resourceVersion"] = json!(cluster.next_resource_version());
        let key = (resource.to_owned(), text(&object["metadata"]["namespace"]), text(&object["metadata"]["name"]));
        cluster.objects.insert(key, object);
    }

    /// The object as stored now: `resource` is the path's plural ("deployments").
    pub fn get(&self, resource: &str, namespace: &str, name: &str) -> Value {
        let key = (resource.to_owned(), namespace.to_owned(), name.to_owned());
        self.shared.lock().objects.get(&key).cloned().unwrap_or_else(|| panic!("no {resource} {namespace}/{name}"))
    }

    /// Appends a line to a container's log, sent at once to whoever follows it.
    pub fn log(&self, namespace: &str, pod: &str, container: &str, at: OffsetDateTime, text: &str) {
        let key = (namespace.to_owned(), pod.to_owned(), container.to_owned());
        self.shared.lock().logs.entry(key).or_default().write(at, text);
    }

    /// Ends a container's log, as when the container exits: followers' streams end.
    pub fn end_log(&self, namespace: &str, pod: &str, container: &str) {
        let key = (namespace.to_owned(), pod.to_owned(), container.to_owned());
        self.shared.lock().logs.entry(key).or_default().end();
    }

    pub fn fail(&self, fault: Fault) {
        self.shared.lock().fault = Some(fault);
    }

    /// Makes RBAC refuse `verb` on `resource` ("patch", "deployments").
    pub fn deny(&self, verb: &str, resource: &str) {
        self.shared.lock().denied.push((verb.to_owned(), resource.to_owned()));
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().requests.clone()
    }
}

pub fn write_kubeconfig(dir: &Path, server: &str, token: &str) -> PathBuf {
    let path = dir.join("kubeconfig");
    let yaml = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {server}\n\
         contexts:\n- name: test\n  context:\n    cluster: test\n    user: portico\n    namespace: default\n\
         current-context: test\nusers:\n- name: portico\n  user:\n    token: {token}\n"
    );
    std::fs::write(&path, yaml).expect("write the kubeconfig");
    path
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// The `Status` object the API server sends with every error.
fn status(code: StatusCode, reason: &str, message: String) -> Response {
    let body = json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code.as_u16(),
    });
    (code, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// Records every request, then plays the authenticator, the injected fault and RBAC, in the
/// order the API server applies them.
async fn gatekeeper(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let authorized = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {TOKEN}"));
    let (verb, resource, name, namespace) = describe(&request);
    let (fault, denied) = {
        let mut cluster = shared.lock();
        cluster.requests.push(Recorded {
            method: request.method().to_string(),
            path: request.uri().path().to_owned(),
            query: request.uri().query().unwrap_or_default().to_owned(),
            content_type,
        });
        (cluster.fault, cluster.denied.contains(&(verb.clone(), resource.clone())))
    };
    if !authorized {
        return status(StatusCode::UNAUTHORIZED, "Unauthorized", "Unauthorized".into());
    }
    match fault {
        Some(Fault::Hang) => std::future::pending().await,
        Some(Fault::Status(429)) => {
            let mut response = status(StatusCode::TOO_MANY_REQUESTS, "TooManyRequests", "Too many requests, please try again later.".into());
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            return response;
        }
        Some(Fault::Status(code)) => {
            let code = StatusCode::from_u16(code).expect("an HTTP status");
            return status(code, code.canonical_reason().unwrap_or("Unknown"), format!("injected {code}"));
        }
        None => {}
    }
    if denied {
        let plural = resource.split('/').next().unwrap_or_default();
        let group = if plural == "pods" { "" } else { "apps" };
        let qualified = if group.is_empty() { plural.to_owned() } else { format!("{plural}.{group}") };
        let message = format!(
            "{qualified} \"{name}\" is forbidden: User \"{USER}\" cannot {verb} resource \"{resource}\" in API group \"{group}\" in the namespace \"{namespace}\""
        );
        return status(StatusCode::FORBIDDEN, "Forbidden", message);
    }
    next.run(request).await
}

/// The RBAC verb, resource (with subresource), object name and namespace a request is about.
fn describe(request: &Request) -> (String, String, String, String) {
    let segments: Vec<&str> = request.uri().path().split('/').filter(|s| !s.is_empty()).collect();
    let after = segments.iter().position(|s| *s == "namespaces").map_or(&[][..], |at| &segments[at + 1..]);
    let part = |i: usize| after.get(i).copied().unwrap_or_default().to_owned();
    let (namespace, plural, name, sub) = (part(0), part(1), part(2), part(3));
    let verb = match (request.method().as_str(), name.is_empty()) {
        ("PATCH", _) => "patch",
        ("GET", true) => "list",
        _ => "get",
    };
    let resource = if sub.is_empty() { plural } else { format!("{plural}/{sub}") };
    (verb.to_owned(), resource, name, namespace)
}
