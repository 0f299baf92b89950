//! The local runtime: each environment is a number of child processes of the portal, started
//! from the command its manifest declares. What they print is their log; a process that exits
//! on its own is shown as crashed until it is restarted.

mod output;
mod process;
mod task;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use domain::catalog::{LocalTarget, RuntimeTarget};
use domain::runtime::{
    Health, Instance, LocalDeployment, LocalDeployments, LogLine, LogSource, LogStream, Placement, ProviderError, Runtime, RuntimeStatus, TaskError,
    TaskSpec,
};
use domain::future::BoxFuture;
use futures_util::StreamExt;
use time::OffsetDateTime;
use tokio::io::BufReader;
use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinHandle;

use self::output::{Output, capture};
use self::process::Launch;

/// A service and one of its environments.
pub type Key = (String, String);

/// The processes of every local environment in the catalog.
pub struct LocalRuntime {
    environments: Mutex<HashMap<Key, Arc<LocalEnvironment>>>,
    changes: broadcast::Sender<Key>,
    /// Versions deployed before the portal last stopped, for environments not started yet.
    remembered: Mutex<HashMap<Key, LocalDeployment>>,
    /// Where deployed versions are kept across restarts; none in a runtime that forgets them.
    kept: Option<Arc<dyn LocalDeployments>>,
}

impl Default for LocalRuntime {
    /// A runtime that forgets deployed versions when the portal stops.
    fn default() -> Self {
        Self { environments: Mutex::new(HashMap::new()), changes: broadcast::channel(256).0, remembered: Mutex::default(), kept: None }
    }
}

struct LocalEnvironment {
    key: Key,
    /// Held for the whole of an operation, so that a restart and a scale never interleave.
    state: tokio::sync::Mutex<State>,
    output: Output,
    changes: broadcast::Sender<Key>,
}

struct State {
    target: LocalTarget,
    desired: u32,
    version: Option<String>,
    stopped: bool,
    /// Counts restarts and deployments: the revision shown on pages.
    generation: u64,
    deployed_at: Option<OffsetDateTime>,
    slots: Vec<Slot>,
}

/// One replica: the process running it now, or why it is not running.
struct Slot {
    replica: u32,
    pid: Option<u32>,
    started_at: OffsetDateTime,
    restarts: u32,
    version: Option<String>,
    /// Set by the supervisor when the process ended without being asked to: its exit code.
    exited: Arc<Mutex<Option<Option<i32>>>>,
    /// Why the process could not be started at all.
    failed: Option<String>,
    stop: Option<oneshot::Sender<()>>,
    supervisor: Option<JoinHandle<()>>,
}

impl Slot {
    fn exit(&self) -> Option<Option<i32>> {
        *self.exited.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn is_running(&self) -> bool {
        self.pid.is_some() && self.exit().is_none()
    }

    fn instance(&self) -> Instance {
        let (state, detail) = match (&self.failed, self.exit()) {
            (Some(reason), _) => ("crashed", Some(reason.clone())),
            (None, Some(code)) => ("crashed", Some(code.map_or("killed by a signal".to_owned(), |c| format!("exit code {c}")))),
            (None, None) => ("running", None),
        };
        Instance {
            id: self.pid.map_or_else(|| format!("replica {}", self.replica), |pid| pid.to_string()),
            state: state.to_owned(),
            version: self.version.clone(),
            started_at: Some(self.started_at),
            restarts: self.restarts,
            detail,
        }
    }
}

impl LocalRuntime {
    /// Brings the running processes in line with the catalog's local environments: starts new
    /// ones, restarts those whose declaration changed, stops those no longer declared.
    pub async fn reconcile(&self, placements: &[Placement]) {
        let wanted: HashMap<Key, &LocalTarget> = placements
            .iter()
            .filter_map(|p| match &p.environment.target {
                RuntimeTarget::Local(target) => Some(((p.service.clone(), p.environment.name.clone()), target)),
                _ => None,
            })
            .collect();
        let (removed, existing) = {
            let mut environments = self.environments.lock().unwrap_or_else(PoisonError::into_inner);
            let gone: Vec<Key> = environments.keys().filter(|key| !wanted.contains_key(*key)).cloned().collect();
            let removed: Vec<_> = gone.iter().filter_map(|key| environments.remove(key)).collect();
            (removed, environments.clone())
        };
        for environment in removed {
            environment.stop_all(false).await;
        }
        for (key, target) in wanted {
            match existing.get(&key) {
                Some(environment) => environment.redeclare(target).await,
                None => {
                    let deployed = self.deployed_version(&key, target);
                    let environment = Arc::new(LocalEnvironment::new(key.clone(), target.clone(), deployed, self.changes.clone()));
                    self.environments.lock().unwrap_or_else(PoisonError::into_inner).insert(key, environment.clone());
                    environment.start_missing(&mut *environment.state.lock().await);
                }
            }
        }
    }

    /// A runtime that keeps the versions it deploys in `kept`, and starts with those kept
    /// before: each applies when its environment is first started (see
    /// [`LocalRuntime::reconcile`]), if the catalog still declares what it declared then.
    pub async fn keeping(kept: Arc<dyn LocalDeployments>) -> Self {
        let remembered = match kept.local_deployments().await {
            Ok(deployments) => deployments,
            Err(error) => {
                tracing::error!(%error, "cannot read the versions deployed to local environments; they start on their declared versions");
                HashMap::new()
            }
        };
        Self { remembered: Mutex::new(remembered), kept: Some(kept), ..Self::default() }
    }

    /// The remembered version for a new environment, unless the catalog has declared another
    /// version since: then the catalog wins.
    fn deployed_version(&self, key: &Key, target: &LocalTarget) -> Option<String> {
        let remembered = self.remembered.lock().unwrap_or_else(PoisonError::into_inner).remove(key)?;
        (remembered.declared_version == target.version.clone().unwrap_or_default()).then_some(remembered.version)
    }

    /// Environments whose processes changed (started, exited, stopped): the poller asks for
    /// their status at once instead of at its next round.
    pub fn changes(&self) -> broadcast::Receiver<Key> {
        self.changes.subscribe()
    }

    /// Stops every process: the portal is shutting down.
    pub async fn shutdown(&self) {
        let all: Vec<_> = self.environments.lock().unwrap_or_else(PoisonError::into_inner).values().cloned().collect();
        for environment in all {
            environment.stop_all(false).await;
        }
    }

    fn find(&self, at: &Placement) -> Result<Arc<LocalEnvironment>, ProviderError> {
        if !matches!(at.environment.target, RuntimeTarget::Local(_)) {
            return Err(ProviderError::Invalid(format!("{}/{} does not run locally", at.service, at.environment.name)));
        }
        let key = (at.service.clone(), at.environment.name.clone());
        self.environments
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned()
            .ok_or_else(|| ProviderError::NotFound(format!("no local processes for {}/{} yet", key.0, key.1)))
    }
}

impl LocalEnvironment {
    /// `deployed`: a version deployed before the portal restarted, which replaces the declared one.
    fn new(key: Key, target: LocalTarget, deployed: Option<String>, changes: broadcast::Sender<Key>) -> Self {
        let state = State {
            desired: target.replicas,
            version: deployed.or_else(|| target.version.clone()),
            stopped: false,
            generation: 1,
            deployed_at: Some(OffsetDateTime::now_utc()),
            slots: Vec::new(),
            target,
        };
        Self { key, state: tokio::sync::Mutex::new(state), output: Output::default(), changes }
    }

    fn changed(&self) {
        let _nobody_listening = self.changes.send(self.key.clone());
    }

    /// Starts a process for every replica that has none running (or crashed), up to the
    /// desired count.
    fn start_missing(self: &Arc<Self>, state: &mut State) {
        if state.stopped {
            return;
        }
        for replica in 0..state.desired {
            let index = usize::try_from(replica).unwrap_or(usize::MAX);
            match state.slots.get(index) {
                Some(slot) if slot.is_running() => {}
                Some(slot) => {
                    let restarts = slot.restarts + 1;
                    state.slots[index] = self.start(state, replica, restarts);
                }
                None => {
                    let slot = self.start(state, replica, 0);
                    state.slots.push(slot);
                }
            }
        }
        self.changed();
    }

    fn start(self: &Arc<Self>, state: &State, replica: u32, restarts: u32) -> Slot {
        let (service, environment) = &self.key;
        let launch = Launch {
            command: &state.target.command,
            workdir: state.target.workdir.as_deref(),
            env: &state.target.env,
            service,
            environment,
            version: state.version.as_deref(),
            replica,
        };
        let mut slot = Slot {
            replica,
            pid: None,
            started_at: OffsetDateTime::now_utc(),
            restarts,
            version: state.version.clone(),
            exited: Arc::new(Mutex::new(None)),
            failed: None,
            stop: None,
            supervisor: None,
        };
        let mut child = match process::spawn(&launch) {
            Ok(child) => child,
            Err(error) => {
                let reason = format!("could not start: {error}");
                self.output.note(&format!("replica {replica}"), format!("{reason} (command: {})", state.target.command));
                slot.failed = Some(reason);
                return slot;
            }
        };
        let pid = child.id();
        let instance = pid.map_or_else(|| format!("replica {replica}"), |pid| pid.to_string());
        self.output.note(&instance, format!("started replica {replica} (pid {instance}), version {}", state.version.as_deref().unwrap_or("unset")));
        for (source, reader) in [
            (LogSource::Stdout, child.stdout.take().map(|s| Box::new(s) as Box<dyn tokio::io::AsyncRead + Send + Unpin>)),
            (LogSource::Stderr, child.stderr.take().map(|s| Box::new(s) as Box<dyn tokio::io::AsyncRead + Send + Unpin>)),
        ] {
            if let Some(reader) = reader {
                let this = self.clone();
                let instance = instance.clone();
                tokio::spawn(async move { capture(BufReader::new(reader), &this.output, &instance, source).await });
            }
        }
        let (stop, stopped) = oneshot::channel();
        let this = self.clone();
        let exited = slot.exited.clone();
        slot.supervisor = Some(tokio::spawn(async move {
            tokio::select! {
                status = child.wait() => {
                    let code = status.ok().and_then(|s| s.code());
                    *exited.lock().unwrap_or_else(PoisonError::into_inner) = Some(code);
                    let how = code.map_or("was killed by a signal".to_owned(), |c| format!("exited with code {c}"));
                    this.output.note(&instance, format!("process {instance} {how}"));
                    this.changed();
                }
                _ = stopped => {
                    let code = process::terminate(&mut child).await;
                    let how = code.map_or(String::new(), |c| format!(" (exit code {c})"));
                    this.output.note(&instance, format!("process {instance} stopped{how}"));
                }
            }
        }));
        slot.pid = pid;
        slot.stop = Some(stop);
        slot
    }

    /// Stops the processes of `slots` and waits until they are gone. The slots stay, so the
    /// processes that replace them keep counting restarts.
    async fn stop_slots(&self, slots: &mut [Slot]) {
        let mut waiting = Vec::new();
        for slot in slots.iter_mut() {
            if let Some(stop) = slot.stop.take() {
                let _already_exited = stop.send(());
            }
            waiting.extend(slot.supervisor.take());
        }
        for supervisor in waiting {
            let _ = supervisor.await;
        }
    }

    /// Stops every process. `mark_stopped` keeps the environment stopped (shown as such, not
    /// restarted) until it is started again; without it the environment is going away.
    async fn stop_all(&self, mark_stopped: bool) {
        let mut state = self.state.lock().await;
        let mut slots = std::mem::take(&mut state.slots);
        self.stop_slots(&mut slots).await;
        if mark_stopped {
            state.stopped = true;
        }
        self.changed();
    }

    /// Sets the desired count and stops the processes of the replicas beyond it.
    async fn resize(&self, state: &mut State, replicas: u32) {
        state.desired = replicas;
        let keep = usize::try_from(replicas).unwrap_or(usize::MAX).min(state.slots.len());
        let mut extra = state.slots.split_off(keep);
        self.stop_slots(&mut extra).await;
    }

    /// Replaces every process with a new one, with the state's current version.
    async fn restart_all(self: &Arc<Self>, state: &mut State) {
        self.stop_slots(&mut state.slots).await;
        for slot in &mut state.slots {
            // Marks each as not running, so start_missing replaces it and counts the restart.
            slot.pid = None;
        }
        state.generation += 1;
        self.start_missing(state);
    }

    /// The catalog changed this environment's declaration: adopt it and restart.
    async fn redeclare(self: &Arc<Self>, target: &LocalTarget) {
        let mut state = self.state.lock().await;
        if state.target == *target {
            return;
        }
        if target.version != state.target.version && target.version.is_some() {
            state.version.clone_from(&target.version);
            state.deployed_at = Some(OffsetDateTime::now_utc());
        }
        state.target = target.clone();
        self.resize(&mut state, target.replicas).await;
        self.restart_all(&mut state).await;
    }

    async fn status(&self) -> RuntimeStatus {
        let state = self.state.lock().await;
        let desired = if state.stopped { 0 } else { state.desired };
        let ready = u32::try_from(state.slots.iter().filter(|s| s.is_running()).count()).unwrap_or(u32::MAX);
        let crashed = state.slots.iter().any(|s| !s.is_running());
        let health = match (desired, ready) {
            (0, _) => Health::Stopped,
            (d, r) if r >= d => Health::Healthy,
            (_, 0) if crashed => Health::Crashed,
            _ => Health::Degraded,
        };
        let mut conditions = Vec::new();
        if crashed {
            conditions.push("Some processes exited on their own; restart the environment to start them again.".to_owned());
        }
        RuntimeStatus {
            version: state.version.clone(),
            desired,
            ready,
            updated: None,
            health,
            deployed_at: state.deployed_at,
            revision: Some(state.generation.to_string()),
            conditions,
            instances: state.slots.iter().map(Slot::instance).collect(),
        }
    }
}

impl Runtime for LocalRuntime {
    fn status<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<RuntimeStatus, ProviderError>> {
        Box::pin(async move { Ok(self.find(at)?.status().await) })
    }

    fn start<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let environment = self.find(at)?;
            let mut state = environment.state.lock().await;
            state.stopped = false;
            environment.start_missing(&mut state);
            Ok(())
        })
    }

    fn stop<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            self.find(at)?.stop_all(true).await;
            Ok(())
        })
    }

    fn restart<'a>(&'a self, at: &'a Placement) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let environment = self.find(at)?;
            let mut state = environment.state.lock().await;
            state.stopped = false;
            environment.restart_all(&mut state).await;
            Ok(())
        })
    }

    fn scale<'a>(&'a self, at: &'a Placement, replicas: u32) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            if replicas > domain::catalog::MAX_LOCAL_REPLICAS {
                return Err(ProviderError::Invalid(format!(
                    "a local environment runs at most {} processes",
                    domain::catalog::MAX_LOCAL_REPLICAS
                )));
            }
            let environment = self.find(at)?;
            let mut state = environment.state.lock().await;
            environment.resize(&mut state, replicas).await;
            environment.start_missing(&mut state);
            Ok(())
        })
    }

    fn set_version<'a>(&'a self, at: &'a Placement, version: &'a str) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let version = version.trim();
            if version.is_empty() || version.len() > 128 || version.chars().any(char::is_control) {
                return Err(ProviderError::Invalid("a version is 1 to 128 printable characters".to_owned()));
            }
            let environment = self.find(at)?;
            let mut state = environment.state.lock().await;
            if let Some(kept) = &self.kept {
                let (service, name) = &environment.key;
                kept.remember_local(service, name, version, state.target.version.as_deref())
                    .await
                    .map_err(|error| ProviderError::Failed(format!("the version could not be kept for the next start: {error}")))?;
            }
            state.version = Some(version.to_owned());
            state.deployed_at = Some(OffsetDateTime::now_utc());
            state.stopped = false;
            environment.restart_all(&mut state).await;
            Ok(())
        })
    }

    fn logs<'a>(&'a self, at: &'a Placement, tail: u32) -> BoxFuture<'a, Result<LogStream, ProviderError>> {
        Box::pin(async move {
            let environment = self.find(at)?;
            let (recent, receiver) = environment.output.follow(tail);
            let live = futures_util::stream::unfold(receiver, |mut receiver| async move {
                let line = match receiver.recv().await {
                    Ok(line) => line,
                    Err(broadcast::error::RecvError::Lagged(count)) => LogLine {
                        at: OffsetDateTime::now_utc(),
                        instance: String::new(),
                        source: LogSource::Portal,
                        text: format!("{count} lines were dropped: the reader fell behind"),
                    },
                    Err(broadcast::error::RecvError::Closed) => return None,
                };
                Some((Ok(line), receiver))
            });
            let stream: LogStream = Box::pin(futures_util::stream::iter(recent.into_iter().map(Ok)).chain(live));
            Ok(stream)
        })
    }

    fn run_task<'a>(&'a self, at: &'a Placement, task: TaskSpec<'a>, cancelled: BoxFuture<'a, ()>) -> BoxFuture<'a, Result<String, TaskError>> {
        Box::pin(async move {
            let RuntimeTarget::Local(target) = &at.environment.target else {
                return Err(ProviderError::Invalid(format!("{} does not run on the local runtime", at.environment.name)).into());
            };
            task::run(at, target, task, cancelled).await
        })
    }
}

/// The keys of `placements` that run locally.
pub fn local_keys(placements: &[Placement]) -> HashSet<Key> {
    placements
        .iter()
        .filter(|p| matches!(p.environment.target, RuntimeTarget::Local(_)))
        .map(|p| (p.service.clone(), p.environment.name.clone()))
        .collect()
}
