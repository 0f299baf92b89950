//! The steps each kind of action is made of, what each does, and how the ones that change
//! something are undone when a later step fails. Each family of steps has its file: the
//! runtime's (`runtime.rs`), tasks, GitHub workflows and webhooks.

mod error;
mod github;
mod memo;
mod runtime;
mod task;
mod webhook;

pub(super) use error::StepError;
pub(super) use memo::RunMemo;

use domain::actions::{ActionKind, RunLink, input_text};
use domain::runtime::{Placement, Runtime, RuntimeStatus};
use tokio::time::Instant;

use super::ActionEngine;
use super::claimed::ClaimedRun;
use super::guard::RunGuard;

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

/// What a step works with; `memo` carries facts from one step to the next (and to the
/// compensations), and is stored after every step.
pub(super) struct StepCx<'a> {
    pub engine: &'a ActionEngine,
    pub run: &'a ClaimedRun,
    pub guard: &'a RunGuard,
    pub memo: &'a mut RunMemo,
    pub links: &'a mut Vec<RunLink>,
    pub deadline: Instant,
}

impl StepCx<'_> {
    fn placement(&self) -> Result<&Placement, StepError> {
        self.run.placement.as_ref().map(|p| &p.placement).ok_or_else(|| StepError::new("this action needs an environment"))
    }

    async fn status(&self) -> Result<RuntimeStatus, StepError> {
        Ok(self.engine.runtimes.status(self.placement()?).await?)
    }

    /// `{{name}}` placeholders filled from the inputs, the service and the environment.
    fn fill(&self, template: &str) -> String {
        domain::actions::template::fill(template, |name| match name {
            "service" => Some(self.run.row.service.clone()),
            "environment" => Some(self.run.row.environment.clone()),
            _ => self.run.inputs.get(name).map(input_text),
        })
    }
}

impl Step {
    /// Does the step; the text is what the run page shows for it.
    pub async fn run(self, cx: &mut StepCx<'_>) -> Result<String, StepError> {
        match self {
            Self::ResolvePromotion => runtime::resolve_promotion(cx).await,
            Self::ResolveRollback => runtime::resolve_rollback(cx).await,
            Self::Restart => runtime::restart(cx).await,
            Self::Scale => runtime::scale(cx).await,
            Self::SetVersion => runtime::set_version(cx).await,
            Self::AwaitHealthy => runtime::await_healthy(cx).await,
            Self::RunTask => task::run_task(cx).await,
            Self::Dispatch => github::dispatch(cx).await,
            Self::FollowWorkflow => github::follow_workflow(cx).await,
            Self::Deliver => webhook::deliver(cx).await,
        }
    }

    /// Undoes the step; `None` when there is nothing to undo.
    pub async fn undo(self, cx: &mut StepCx<'_>) -> Option<Result<String, StepError>> {
        match self {
            Self::Scale => runtime::scale_back(cx).await,
            Self::SetVersion => runtime::deploy_previous(cx).await,
            _ => None,
        }
    }
}
