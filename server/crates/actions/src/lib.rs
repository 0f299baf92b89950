//! The actions engine: runs of the action definitions recorded in the database, workers that
//! claim and execute them step by step, and the calls to GitHub, webhooks and
//! chat notifications that some kinds make.

mod claimed;
pub mod config;
mod execute;
pub mod github;
mod guard;
pub mod notify;
mod operations;
mod port;
mod steps;
pub mod webhook;
mod worker;

pub use config::{ActionsConfig, ActionsGithubConfig};

use std::sync::Arc;
use std::time::Duration;

use domain::access::Policy;
use domain::actions::ActionDef;
use domain::audit::{NewEvent, Origin, Outcome};
use domain::catalog::{Environment, Service};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use runtimes::Runtimes;
use store::Store;
use tokio::sync::Notify;
use tokio_util::task::TaskTracker;

use self::github::GithubActions;
use self::notify::Notifier;

/// The actor recorded for what the engine does on its own (starting, steps, expiry).
const ENGINE_ACTOR: &str = "portico";

/// Runs and their definitions, shared by the pages (through [`domain::actions::ActionPort`])
/// and the workers.
pub struct ActionEngine {
    store: Store,
    runtimes: Arc<Runtimes>,
    policy: Arc<Policy>,
    definitions: Vec<ActionDef>,
    /// Identifies this portal's claims on runs; new at every start.
    worker_id: String,
    /// Wakes idle workers when this portal queues a run.
    wake: Notify,
    /// Runs one portal executes at the same time.
    workers: u32,
    lease: Duration,
    poll: Duration,
    /// How often a followed GitHub workflow run is read while it moves.
    workflow_poll: Duration,
    notifier: Notifier,
    github: Option<GithubActions>,
    http: reqwest::Client,
    /// The portal's address as people reach it, for links in notifications.
    public_url: String,
}

impl ActionEngine {
    /// Builds the engine for `definitions` (the valid actions of the action files; the caller
    /// reads and reports them). `public_url` is the portal's address as people reach it.
    /// Nothing runs until [`ActionEngine::work`] and [`ActionEngine::sweep`] are started.
    pub fn new(
        config: &ActionsConfig,
        definitions: Vec<ActionDef>,
        public_url: &str,
        store: Store,
        runtimes: Arc<Runtimes>,
        policy: Arc<Policy>,
    ) -> anyhow::Result<Arc<Self>> {
        let http = webhook::http_client()?;
        let github = match &config.github.token {
            Some(token) => Some(GithubActions::new(&config.github.api_url, token.clone())?),
            None => None,
        };
        Ok(Arc::new(Self {
            store,
            runtimes,
            policy,
            definitions,
            worker_id: uuid::Uuid::new_v4().to_string(),
            wake: Notify::new(),
            workers: config.workers,
            lease: Duration::from_secs(config.lease_seconds.max(2)),
            poll: Duration::from_millis(config.poll_millis.max(10)),
            workflow_poll: Duration::from_millis(config.github.poll_millis.max(10)),
            notifier: Notifier::new(config.notify_url.clone(), http.clone()),
            github,
            http,
            public_url: public_url.trim_end_matches('/').to_owned(),
        }))
    }

    /// The workers: claims runs while fewer than `actions.workers` execute, for as long as the
    /// future is polled. Each run's execution is spawned on `runs`, so that whoever stops the
    /// portal can drop this loop and still wait for the runs in progress.
    pub async fn work(self: Arc<Self>, runs: TaskTracker) {
        worker::work(self, runs).await;
    }

    /// Expires unapproved requests, every few seconds, for as long as the future is polled.
    pub async fn sweep(self: Arc<Self>) {
        worker::sweep(self).await;
    }

    fn definition(&self, id: &str) -> Option<&ActionDef> {
        self.definitions.iter().find(|d| d.id == id)
    }

    /// An action of kind `kind` (`restart`, `scale`) offered on `service` in `environment`
    /// whose approval policy applies there: doing the same directly would skip the approval.
    pub fn approval_for(&self, kind: &str, service: &Service, environment: &Environment) -> Option<&ActionDef> {
        self.definitions.iter().find(|def| {
            def.kind.name() == kind
                && def.applies.service(service)
                && def.applies.environment(environment)
                && def.approval.as_ref().is_some_and(|policy| policy.applies(environment.production))
        })
    }

    /// The run's page, for links in notifications.
    fn run_link(&self, id: &str) -> String {
        format!("{}/runs/{id}", self.public_url)
    }

    /// An event the engine records on its own behalf about a run.
    fn engine_event(row: &store::runs::RunRow, action: &str, outcome: Outcome) -> NewEvent {
        NewEvent::new(ENGINE_ACTOR, Origin::System, action, outcome)
            .service(&row.service)
            .environment(&row.environment)
    }

    /// Whether a webhook secret is set, without revealing it.
    fn webhook_secret(name: &str) -> Option<secrecy::SecretString> {
        std::env::var(name).ok().filter(|v| !v.is_empty()).map(secrecy::SecretString::from)
    }
}


/// What every audit event about a run carries (the run, its action, its requester), with the
/// event's own `fields` (an object) after them.
fn run_inputs(row: &store::runs::RunRow, fields: Value) -> Value {
    let mut inputs = json!({ "run": row.id, "action": row.action_id, "requester": row.requester });
    if let (Some(inputs), Value::Object(fields)) = (inputs.as_object_mut(), fields) {
        inputs.extend(fields);
    }
    inputs
}

/// Keeps `ExposeSecret` in use where the webhook secret is read.
pub(crate) fn secret_bytes(secret: &secrecy::SecretString) -> Vec<u8> {
    secret.expose_secret().as_bytes().to_vec()
}
