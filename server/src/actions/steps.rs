//! The steps each kind of action is made of, what each does, and how the ones that change
//! something are undone when a later step fails.

use std::time::Duration;

use domain::actions::{ActionDef, ActionKind, RunLink, input_text};
use domain::clock::now_micros;
use domain::runtime::{Health, Placement, Runtime, RuntimeStatus};
use domain::store::{EnvironmentStore, PlacementDetail};
use serde_json::{Map, Value, json};
use tokio::time::Instant;

use super::github::{RunWatch, WorkflowRun};
use super::{ActionEngine, task, webhook};
use crate::github::GithubError;
use crate::store::runs::RunRow;

/// How long a deployment may take to become healthy, within the run's own timeout.
const HEALTH_WAIT: Duration = Duration::from_secs(180);
/// How often the runtime is asked while waiting.
const HEALTH_POLL: Duration = Duration::from_millis(500);
/// How often a running task checks whether its run was cancelled.
const CANCEL_POLL: Duration = Duration::from_secs(1);
/// A followed workflow run that has not changed is looked at less often, down to once every
/// this many times `actions.github.poll_millis`.
const IDLE_FACTOR: u32 = 6;
/// How long a `404` for a run GitHub itself just named counts as GitHub catching up.
const NEW_RUN_GRACE: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    ResolvePromotion,
    ResolveRollback,
    Restart,
    Scale,
    SetVersion,
    AwaitHealthy,
    RunTask,
    Dispatch,
    FollowWorkflow,
    Deliver,
}

impl Step {
    /// The steps of a kind, in order.
    pub fn plan(kind: &ActionKind) -> Vec<Self> {
        match kind {
            ActionKind::Restart => vec![Self::Restart, Self::AwaitHealthy],
            ActionKind::Scale { .. } => vec![Self::Scale, Self::AwaitHealthy],
            ActionKind::Promote => vec![Self::ResolvePromotion, Self::SetVersion, Self::AwaitHealthy],
            ActionKind::Rollback => vec![Self::ResolveRollback, Self::SetVersion, Self::AwaitHealthy],
            ActionKind::Task { .. } => vec![Self::RunTask],
            ActionKind::GithubWorkflow(_) => vec![Self::Dispatch, Self::FollowWorkflow],
            ActionKind::Webhook(_) => vec![Self::Deliver],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::ResolvePromotion => "find the version to promote",
            Self::ResolveRollback => "find the version to roll back to",
            Self::Restart => "restart",
            Self::Scale => "scale",
            Self::SetVersion => "deploy the version",
            Self::AwaitHealthy => "wait until healthy",
            Self::RunTask => "run the task",
            Self::Dispatch => "start the workflow",
            Self::FollowWorkflow => "follow the workflow run",
            Self::Deliver => "call the webhook",
        }
    }

    /// Whether running the step again after an interruption does no harm: reads, and changes
    /// that set a state rather than add to one. A task, a workflow start or a webhook call
    /// might happen twice, so a run interrupted in one of them is not resumed.
    pub fn repeatable(self) -> bool {
        !matches!(self, Self::RunTask | Self::Dispatch | Self::Deliver)
    }

    /// The name of the compensation that undoes the step, for the steps that change something
    /// that can be put back.
    pub fn undo_name(self) -> Option<&'static str> {
        match self {
            Self::Scale => Some("undo: scale back"),
            Self::SetVersion => Some("undo: put the previous version back"),
            _ => None,
        }
    }
}

/// Why a step did not succeed.
pub(super) struct StepError {
    pub message: String,
    /// The run was cancelled while the step waited.
    pub cancelled: bool,
}

impl StepError {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), cancelled: false }
    }
}

impl From<domain::runtime::ProviderError> for StepError {
    fn from(error: domain::runtime::ProviderError) -> Self {
        Self::new(error.to_string())
    }
}

impl From<domain::store::StoreError> for StepError {
    fn from(error: domain::store::StoreError) -> Self {
        tracing::error!(%error, "storage failed during a step");
        Self::new("the portal's database failed during this step")
    }
}

/// What a step works with; `memo` carries facts from one step to the next (and to the
/// compensations), and is stored after every step.
pub(super) struct StepCx<'a> {
    pub engine: &'a ActionEngine,
    pub row: &'a RunRow,
    pub def: &'a ActionDef,
    pub inputs: &'a Map<String, Value>,
    pub memo: &'a mut Map<String, Value>,
    pub links: &'a mut Vec<RunLink>,
    pub placement: Option<&'a PlacementDetail>,
    pub deadline: Instant,
}

impl StepCx<'_> {
    fn placement(&self) -> Result<&Placement, StepError> {
        self.placement.map(|p| &p.placement).ok_or_else(|| StepError::new("this action needs an environment"))
    }

    async fn status(&self) -> Result<RuntimeStatus, StepError> {
        Ok(self.engine.runtimes.status(self.placement()?).await?)
    }

    fn memo_str(&self, key: &str) -> Option<String> {
        self.memo.get(key).and_then(Value::as_str).map(str::to_owned)
    }

    /// Fails with `cancelled` when someone asked to cancel the run.
    async fn check_cancel(&self) -> Result<(), StepError> {
        if self.engine.store.cancel_requested(&self.row.id).await? {
            return Err(StepError { message: "cancelled while waiting".to_owned(), cancelled: true });
        }
        Ok(())
    }

    /// `{{name}}` placeholders filled from the inputs, the service and the environment.
    fn fill(&self, template: &str) -> String {
        domain::actions::template::fill(template, |name| match name {
            "service" => Some(self.row.service.clone()),
            "environment" => Some(self.row.environment.clone()),
            _ => self.inputs.get(name).map(input_text),
        })
    }
}

impl Step {
    /// Does the step; the text is what the run page shows for it.
    pub async fn run(self, cx: &mut StepCx<'_>) -> Result<String, StepError> {
        match self {
            Self::ResolvePromotion => resolve_promotion(cx).await,
            Self::ResolveRollback => resolve_rollback(cx).await,
            Self::Restart => {
                cx.engine.runtimes.restart(cx.placement()?).await?;
                Ok("every instance replaced".to_owned())
            }
            Self::Scale => scale(cx).await,
            Self::SetVersion => set_version(cx).await,
            Self::AwaitHealthy => await_healthy(cx).await,
            Self::RunTask => run_task(cx).await,
            Self::Dispatch => dispatch(cx).await,
            Self::FollowWorkflow => follow_workflow(cx).await,
            Self::Deliver => deliver(cx).await,
        }
    }

    /// Undoes the step; `None` when there is nothing to undo.
    pub async fn undo(self, cx: &mut StepCx<'_>) -> Option<Result<String, StepError>> {
        match self {
            Self::Scale => {
                let previous = cx.memo.get("previous_replicas").and_then(Value::as_u64)?;
                let replicas = u32::try_from(previous).unwrap_or(u32::MAX);
                Some(async {
                    cx.engine.runtimes.scale(cx.placement()?, replicas).await?;
                    Ok(format!("scaled back to {replicas}"))
                }.await)
            }
            Self::SetVersion => {
                let previous = cx.memo_str("previous_version")?;
                Some(async {
                    deploy(cx, &previous).await?;
                    Ok(format!("{previous} deployed again"))
                }.await)
            }
            _ => None,
        }
    }
}

async fn resolve_promotion(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let here = cx.placement()?.clone();
    let environments = cx.engine.store.service_environments(&here.service).await?;
    let index = environments.iter().position(|cell| cell.environment == here.environment.name).unwrap_or(0);
    let Some(previous) = index.checked_sub(1).and_then(|i| environments.get(i)) else {
        return Err(StepError::new(format!("{} is the first environment of {}: there is nothing to promote from", here.environment.name, here.service)));
    };
    let source = cx.engine.store.placement(&here.service, &previous.environment).await?
        .ok_or_else(|| StepError::new(format!("{} is no longer in the catalog", previous.environment)))?;
    let version = cx.engine.runtimes.status(&source.placement).await?.version
        .ok_or_else(|| StepError::new(format!("{} reports no version to promote", previous.environment)))?;
    let current = cx.status().await?.version;
    cx.memo.insert("target_version".into(), json!(version));
    if let Some(current) = &current {
        cx.memo.insert("previous_version".into(), json!(current));
    }
    Ok(match current {
        Some(current) if current == version => format!("{version} from {} already runs here", previous.environment),
        Some(current) => format!("{version} from {} replaces {current}", previous.environment),
        None => format!("{version} from {}", previous.environment),
    })
}

async fn resolve_rollback(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let here = cx.placement()?.clone();
    let current = cx.status().await?.version;
    let history = cx.engine.store.version_history(&here.service, &here.environment.name, 50).await?;
    let target = history.into_iter().find(|version| Some(version) != current.as_ref())
        .ok_or_else(|| StepError::new("no earlier version of this environment is known"))?;
    cx.memo.insert("target_version".into(), json!(target));
    if let Some(current) = &current {
        cx.memo.insert("previous_version".into(), json!(current));
    }
    Ok(format!("back to {target} from {}", current.as_deref().unwrap_or("an unknown version")))
}

async fn set_version(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let target = cx.memo_str("target_version").ok_or_else(|| StepError::new("no version was chosen"))?;
    let placement = cx.placement()?;
    // What ran before is kept, so a later rollback can go back to it.
    if let Some(previous) = cx.memo_str("previous_version") {
        cx.engine.store.remember_version(&placement.service, &placement.environment.name, &previous, now_micros()).await?;
    }
    deploy(cx, &target).await?;
    Ok(format!("{target} deployed"))
}

/// Deploys `version` and records it in the version history (a runtime keeps what it needs for
/// its own next start itself).
async fn deploy(cx: &StepCx<'_>, version: &str) -> Result<(), StepError> {
    let placement = cx.placement()?;
    cx.engine.runtimes.set_version(placement, version).await?;
    cx.engine.store.remember_version(&placement.service, &placement.environment.name, version, now_micros()).await?;
    Ok(())
}

async fn scale(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let ActionKind::Scale { input } = &cx.def.kind else { return Err(StepError::new("not a scale action")) };
    let replicas = cx.inputs.get(input).and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| StepError::new(format!("the input {input} is not a number of instances")))?;
    let previous = cx.status().await?.desired;
    cx.memo.insert("previous_replicas".into(), json!(previous));
    cx.memo.insert("target_replicas".into(), json!(replicas));
    cx.engine.runtimes.scale(cx.placement()?, replicas).await?;
    Ok(format!("from {previous} to {replicas} instances"))
}

/// Waits until every desired instance is ready (on the deployed version, when one was), and
/// fails when instances keep crashing or time runs out.
async fn await_healthy(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let until = cx.deadline.min(Instant::now() + HEALTH_WAIT);
    let target = cx.memo_str("target_version");
    let stopping = cx.memo.get("target_replicas").and_then(Value::as_u64) == Some(0);
    let mut crashes = 0;
    loop {
        cx.check_cancel().await?;
        let status = cx.status().await?;
        let on_version = target.as_ref().is_none_or(|t| status.version.as_ref() == Some(t));
        let ready = if stopping {
            status.ready == 0
        } else {
            status.health == Health::Healthy && status.ready >= status.desired && on_version
        };
        if ready {
            return Ok(format!("{}/{} ready, {}", status.ready, status.desired, status.version.as_deref().unwrap_or("no version reported")));
        }
        // One crash can be a restart in progress; several in a row are the deployment failing.
        crashes = if status.health == Health::Crashed { crashes + 1 } else { 0 };
        if crashes >= 4 {
            return Err(StepError::new(format!("instances keep crashing: {}", status.conditions.join("; "))));
        }
        if Instant::now() >= until {
            return Err(StepError::new(format!(
                "not healthy in time: {}/{} ready, {}, version {}",
                status.ready, status.desired, status.health.as_str(), status.version.as_deref().unwrap_or("unknown")
            )));
        }
        tokio::time::sleep(HEALTH_POLL).await;
    }
}

async fn run_task(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let ActionKind::Task { command } = &cx.def.kind else { return Err(StepError::new("not a task")) };
    let placement = cx.placement()?;
    let domain::catalog::RuntimeTarget::Local(target) = &placement.environment.target else {
        return Err(StepError::new(format!("tasks run on the local runtime only; {} runs on {}", placement.environment.name, placement.environment.target.kind())));
    };
    let version = cx.status().await.ok().and_then(|s| s.version);
    let store = &cx.engine.store;
    let run = &cx.row.id;
    // Asked once a second: a cancelled task is stopped, not waited for.
    let cancelled = async {
        loop {
            tokio::time::sleep(CANCEL_POLL).await;
            if store.cancel_requested(run).await.unwrap_or(false) {
                return;
            }
        }
    };
    task::run(task::Task {
        command,
        target,
        service: &placement.service,
        environment: &placement.environment.name,
        version: version.as_deref(),
        inputs: cx.inputs,
        deadline: cx.deadline,
    }, cancelled)
    .await
}

async fn dispatch(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let ActionKind::GithubWorkflow(workflow) = &cx.def.kind else { return Err(StepError::new("not a workflow")) };
    let github = cx.engine.github.as_ref().ok_or_else(|| StepError::new("the portal has no GitHub token for actions (actions.github.token)"))?;
    let mut filled = workflow.clone();
    filled.git_ref = cx.fill(&workflow.git_ref);
    filled.inputs = workflow.inputs.iter().map(|(name, value)| (name.clone(), cx.fill(value))).collect();
    let run = github.dispatch(&filled).await.map_err(|e| StepError::new(e.to_string()))?;
    cx.memo.insert("workflow_run_id".into(), json!(run.id));
    cx.links.push(RunLink { title: format!("GitHub Actions run {}", run.id), url: run.html_url.clone() });
    Ok(format!("{} on {}: run {} ({})", filled.workflow, filled.git_ref, run.id, run.status))
}

async fn follow_workflow(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let ActionKind::GithubWorkflow(workflow) = &cx.def.kind else { return Err(StepError::new("not a workflow")) };
    let github = cx.engine.github.as_ref().ok_or_else(|| StepError::new("the portal has no GitHub token for actions (actions.github.token)"))?;
    let id = cx.memo.get("workflow_run_id").and_then(Value::as_u64).ok_or_else(|| StepError::new("no workflow run was started"))?;
    let mut watch = RunWatch::new(id);
    let mut pace = FollowPace::new(cx.engine.workflow_poll);
    loop {
        cx.check_cancel().await?;
        match github.look(&workflow.repo, &mut watch).await {
            Ok(_) if watch.run().is_complete() => return finished(cx, watch.run()),
            Ok(changed) => pace.looked(changed),
            Err(error) if error.is_transient() => {
                tracing::warn!(%error, run = id, "cannot read the workflow run; trying again");
                pace.held_back(error.retry_after());
            }
            // GitHub named this run itself: a 404 before it was ever read is GitHub not having
            // it everywhere yet, for a short while.
            Err(error @ GithubError::NotFound(_)) if !watch.seen() && pace.started.elapsed() < NEW_RUN_GRACE => {
                tracing::debug!(%error, run = id, "the new run is not readable yet");
                pace.looked(false);
            }
            Err(error) => return Err(StepError::new(error.to_string())),
        }
        let now = Instant::now();
        if now >= cx.deadline {
            return Err(StepError::new("the workflow run did not finish within the action's timeout"));
        }
        // Cancellation is looked at every CANCEL_POLL while waiting, so a long back-off does
        // not delay it.
        let wake = (now + pace.next).min(cx.deadline);
        while Instant::now() < wake {
            tokio::time::sleep((wake - Instant::now()).min(CANCEL_POLL)).await;
            cx.check_cancel().await?;
        }
    }
}

/// A completed run: its summary, and each job's page (which holds its log) as a link.
fn finished(cx: &mut StepCx<'_>, run: &WorkflowRun) -> Result<String, StepError> {
    let jobs: Vec<String> = run.jobs.iter().map(|job| format!("{}: {}", job.name, job.conclusion.as_deref().unwrap_or(&job.status))).collect();
    let summary = format!("{} ({})", run.conclusion.as_deref().unwrap_or("no conclusion"), jobs.join(", "));
    for job in &run.jobs {
        if let Some(url) = &job.html_url {
            cx.links.push(RunLink { title: format!("Job {}: log", job.name), url: url.clone() });
        }
    }
    if run.succeeded() { Ok(summary) } else { Err(StepError::new(format!("the workflow run ended: {summary}"))) }
}

/// How long a followed run waits between looks: `actions.github.poll_millis` while it moves,
/// doubling up to [`IDLE_FACTOR`] times that while GitHub says nothing changed, and as long as
/// GitHub asks when a rate limit is hit.
struct FollowPace {
    base: Duration,
    next: Duration,
    started: Instant,
}

impl FollowPace {
    fn new(base: Duration) -> Self {
        Self { base, next: base, started: Instant::now() }
    }

    fn looked(&mut self, changed: bool) {
        self.next = if changed { self.base } else { (self.next * 2).min(self.base * IDLE_FACTOR) };
    }

    fn held_back(&mut self, retry_after: Option<Duration>) {
        self.looked(false);
        self.next = self.next.max(retry_after.unwrap_or_default());
    }
}

async fn deliver(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let ActionKind::Webhook(call) = &cx.def.kind else { return Err(StepError::new("not a webhook")) };
    let secret = ActionEngine::webhook_secret(&call.secret_env)
        .ok_or_else(|| StepError::new(format!("the portal has no {} variable to sign the payload with", call.secret_env)))?;
    let payload = json!({
        "run": cx.row.id,
        "action": cx.def.id,
        "service": cx.row.service,
        "environment": cx.row.environment,
        "requester": cx.row.requester,
        "inputs": cx.inputs,
    });
    let delivered = webhook::deliver(&cx.engine.http, call, &super::secret_bytes(&secret), &cx.row.id, &payload)
        .await
        .map_err(|e| StepError::new(e.to_string()))?;
    Ok(format!("{} after {} attempt(s): {}", delivered.status, delivered.attempts, delivered.body_excerpt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchanged_run_is_read_less_often_and_a_rate_limit_waits_as_long_as_github_asks() {
        let base = Duration::from_secs(10);
        let mut pace = FollowPace::new(base);
        let waits: Vec<u64> = (0..5)
            .map(|_| {
                pace.looked(false);
                pace.next.as_secs()
            })
            .collect();
        assert_eq!(waits, [20, 40, 60, 60, 60], "doubling up to six times the base");
        pace.looked(true);
        assert_eq!(pace.next, base, "news brings the pace back");
        pace.held_back(Some(Duration::from_secs(300)));
        assert_eq!(pace.next, Duration::from_secs(300));
        pace.held_back(None);
        assert_eq!(pace.next, Duration::from_secs(60), "an unreachable GitHub is asked at the idle pace");
    }
}
