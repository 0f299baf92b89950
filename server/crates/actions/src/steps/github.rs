//! The GitHub workflow steps: start a `workflow_dispatch` run and follow it to its end,
//! politely (conditional reads, back-off while nothing changes, GitHub's own waits on limits).

use std::time::Duration;

use domain::actions::{ActionKind, RunLink};
use tokio::time::Instant;

use super::{StepCx, StepError};
use crate::github::{RunWatch, WorkflowRun};
use github_api::GithubError;

/// A followed workflow run that has not changed is looked at less often, down to once every
/// this many times `actions.github.poll_millis`.
const IDLE_FACTOR: u32 = 6;
/// How long a `404` for a run GitHub itself just named counts as GitHub catching up.
const NEW_RUN_GRACE: Duration = Duration::from_secs(30);

pub(super) async fn dispatch(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let ActionKind::GithubWorkflow(workflow) = &cx.run.def.kind else { return Err(StepError::new("not a workflow")) };
    let github = cx.engine.github.as_ref().ok_or_else(|| StepError::new("the portal has no GitHub token for actions (actions.github.token)"))?;
    let mut filled = workflow.clone();
    filled.git_ref = cx.fill(&workflow.git_ref);
    filled.inputs = workflow.inputs.iter().map(|(name, value)| (name.clone(), cx.fill(value))).collect();
    let run = github.dispatch(&filled).await.map_err(|e| StepError::new(e.to_string()))?;
    cx.memo.workflow_run_id = Some(run.id);
    cx.links.push(RunLink { title: format!("GitHub Actions run {}", run.id), url: run.html_url.clone() });
    Ok(format!("{} on {}: run {} ({})", filled.workflow, filled.git_ref, run.id, run.status))
}

pub(super) async fn follow_workflow(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let ActionKind::GithubWorkflow(workflow) = &cx.run.def.kind else { return Err(StepError::new("not a workflow")) };
    let github = cx.engine.github.as_ref().ok_or_else(|| StepError::new("the portal has no GitHub token for actions (actions.github.token)"))?;
    let id = cx.memo.workflow_run_id.ok_or_else(|| StepError::new("no workflow run was started"))?;
    let mut watch = RunWatch::new(id);
    let mut pace = FollowPace::new(cx.engine.workflow_poll);
    loop {
        cx.guard.check_cancel().await?;
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
        // The guard looks at cancellation while waiting, so a long back-off does not delay it.
        cx.guard.wait_until((now + pace.next).min(cx.deadline)).await?;
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
