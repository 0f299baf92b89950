//! The task step: a one-off command run by the environment's runtime (`Runtime::run_task`),
//! stopped when the run is cancelled or its time runs out.

use domain::actions::{ActionKind, input_text};
use domain::runtime::{Runtime, TaskSpec};
use tokio::time::Instant;

use super::{StepCx, StepError};

pub(super) async fn run_task(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let ActionKind::Task { command } = &cx.run.def.kind else { return Err(StepError::new("not a task")) };
    let placement = cx.placement()?;
    let version = cx.status().await.ok().and_then(|s| s.version);
    let task = TaskSpec {
        command,
        inputs: cx.run.inputs.iter().map(|(name, value)| (name.clone(), input_text(value))).collect(),
        version: version.as_deref(),
        timeout: cx.deadline.saturating_duration_since(Instant::now()),
    };
    Ok(cx.engine.runtimes.run_task(placement, task, Box::pin(cx.guard.cancelled())).await?)
}
