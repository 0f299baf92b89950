//! The steps that act on an environment's runtime: find the version to deploy, deploy it,
//! restart, scale, and wait until healthy; and the compensations that put a version or a
//! scale back.

use std::time::Duration;

use domain::actions::ActionKind;
use domain::clock::now_micros;
use domain::runtime::{Health, Operation, Runtime};
use domain::store::EnvironmentStore;
use store::RunDeployment;
use serde_json::Value;
use tokio::time::Instant;

use super::{StepCx, StepError};

/// How long a deployment may take to become healthy, within the run's own timeout.
const HEALTH_WAIT: Duration = Duration::from_secs(180);
/// How often the runtime is asked while waiting.
const HEALTH_POLL: Duration = Duration::from_millis(500);

pub(super) async fn resolve_promotion(cx: &mut StepCx<'_>) -> Result<String, StepError> {
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
    cx.memo.target_version = Some(version.clone());
    cx.memo.previous_version.clone_from(&current);
    Ok(match current {
        Some(current) if current == version => format!("{version} from {} already runs here", previous.environment),
        Some(current) => format!("{version} from {} replaces {current}", previous.environment),
        None => format!("{version} from {}", previous.environment),
    })
}

pub(super) async fn resolve_rollback(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let here = cx.placement()?.clone();
    let current = cx.status().await?.version;
    let history = cx.engine.store.version_history(&here.service, &here.environment.name, 50).await?;
    let target = history.into_iter().find(|version| Some(version) != current.as_ref())
        .ok_or_else(|| StepError::new("no earlier version of this environment is known"))?;
    cx.memo.target_version = Some(target.clone());
    cx.memo.previous_version.clone_from(&current);
    Ok(format!("back to {target} from {}", current.as_deref().unwrap_or("an unknown version")))
}

pub(super) async fn set_version(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let target = cx.memo.target_version.clone().ok_or_else(|| StepError::new("no version was chosen"))?;
    let placement = cx.placement()?;
    // What ran before is kept, so a later rollback can go back to it even when the poller
    // never saw it.
    if let Some(previous) = &cx.memo.previous_version {
        cx.engine.store.record_seen(&placement.service, &placement.environment.name, previous, now_micros()).await?;
    }
    deploy(cx, &target, Some(cx.run.def.kind.name())).await?;
    Ok(format!("{target} deployed"))
}

/// Puts back the version that ran before [`set_version`], when one was known.
pub(super) async fn deploy_previous(cx: &mut StepCx<'_>) -> Option<Result<String, StepError>> {
    let previous = cx.memo.previous_version.clone()?;
    Some(deploy(cx, &previous, None).await.map(|()| format!("{previous} deployed again")))
}

/// Records `version` in the deployment history as this run's (`action`, or put back when
/// `None`), then deploys it (a runtime keeps what it needs for its own next start itself).
async fn deploy(cx: &StepCx<'_>, version: &str, action: Option<&str>) -> Result<(), StepError> {
    let placement = cx.placement()?;
    let deployment = RunDeployment {
        service: &placement.service,
        environment: &placement.environment.name,
        version,
        run: &cx.run.row.id,
        action,
        requester: &cx.run.row.requester,
        at: now_micros(),
    };
    cx.engine.store.record_deployment(&deployment).await?;
    cx.engine.runtimes.set_version(placement, version).await?;
    Ok(())
}

/// The same operation as `portico env restart`.
pub(super) async fn restart(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    Operation::Restart.apply(cx.engine.runtimes.as_ref(), cx.placement()?).await?;
    Ok("every instance replaced".to_owned())
}

/// The same operation as `portico env scale`, remembering the scale before it.
pub(super) async fn scale(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let ActionKind::Scale { input } = &cx.run.def.kind else { return Err(StepError::new("not a scale action")) };
    let replicas = cx.run.inputs.get(input).and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| StepError::new(format!("the input {input} is not a number of instances")))?;
    let previous = cx.status().await?.desired;
    cx.memo.previous_replicas = Some(previous);
    cx.memo.target_replicas = Some(replicas);
    Operation::Scale(replicas).apply(cx.engine.runtimes.as_ref(), cx.placement()?).await?;
    Ok(format!("from {previous} to {replicas} instances"))
}

/// Scales back to what ran before [`scale`].
pub(super) async fn scale_back(cx: &mut StepCx<'_>) -> Option<Result<String, StepError>> {
    let replicas = cx.memo.previous_replicas?;
    let result = async {
        Operation::Scale(replicas).apply(cx.engine.runtimes.as_ref(), cx.placement()?).await?;
        Ok(format!("scaled back to {replicas}"))
    };
    Some(result.await)
}

/// Waits until every desired instance is ready (on the deployed version, when one was), and
/// fails when instances keep crashing or time runs out.
pub(super) async fn await_healthy(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let until = cx.deadline.min(Instant::now() + HEALTH_WAIT);
    let target = cx.memo.target_version.clone();
    let stopping = cx.memo.target_replicas == Some(0);
    let mut crashes = 0;
    loop {
        cx.guard.check_cancel().await?;
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
