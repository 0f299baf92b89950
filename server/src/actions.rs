//! The actions engine: definitions read from the action files, runs recorded in the database,
//! workers that claim and execute them step by step, and the calls to GitHub, webhooks and
//! chat notifications that some kinds make.

mod claimed;
mod definitions;
mod execute;
pub mod github;
mod guard;
pub mod notify;
mod operations;
mod port;
mod steps;
pub mod webhook;
mod worker;

pub use definitions::{Definitions, load_definitions};

use std::sync::Arc;
use std::time::Duration;

use domain::access::Policy;
use domain::actions::ActionDef;
use domain::audit::{NewEvent, Origin, Outcome};
use domain::catalog::{Environment, Service};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::background::Background;
use crate::config::Config;
use runtimes::Runtimes;
use crate::store::Store;

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
    /// Builds the engine and starts `workers` workers plus the sweeper that expires
    /// unapproved requests, until the portal stops (runs in progress are drained then).
    /// Problems in the action files are logged; the valid actions load.
    pub fn start(config: &Config, store: Store, runtimes: Arc<Runtimes>, policy: Arc<Policy>, background: &Background) -> anyhow::Result<Arc<Self>> {
        let loaded = load_definitions(&config.action_paths());
        for problem in &loaded.problems {
            tracing::error!(file = %problem.file, line = ?problem.line, field = ?problem.field, "action files: {}", problem.message);
        }
        tracing::info!(actions = loaded.actions.len(), problems = loaded.problems.len(), "action definitions read");
        let http = webhook::http_client()?;
        let github = match &config.actions.github.token {
            Some(token) => Some(GithubActions::new(&config.actions.github.api_url, token.clone())?),
            None => None,
        };
        let engine = Arc::new(Self {
            store,
            runtimes,
            policy,
            definitions: loaded.actions,
            worker_id: uuid::Uuid::new_v4().to_string(),
            wake: Notify::new(),
            lease: Duration::from_secs(config.actions.lease_seconds.max(2)),
            poll: Duration::from_millis(config.actions.poll_millis.max(10)),
            workflow_poll: Duration::from_millis(config.actions.github.poll_millis.max(10)),
            notifier: Notifier::new(config.actions.notify_url.clone(), http.clone()),
            github,
            http,
            public_url: config.auth.public_url(config.listen).as_str().trim_end_matches('/').to_owned(),
        });
        background.spawn_loop(worker::work(engine.clone(), config.actions.workers, background.clone()));
        background.spawn_loop(worker::sweep(engine.clone()));
        Ok(engine)
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
    fn engine_event(row: &crate::store::runs::RunRow, action: &str, outcome: Outcome) -> NewEvent {
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
fn run_inputs(row: &crate::store::runs::RunRow, fields: Value) -> Value {
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
