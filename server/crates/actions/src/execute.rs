//! Executing one claimed run: its steps in order (skipping those a stopped portal already
//! finished), the compensations of the steps before a failed one, and the run's end. Every
//! step's start and outcome is recorded as it happens, so a portal that dies mid-run leaves a
//! record any other portal can finish from.

use std::sync::Arc;
use std::time::Duration;

use domain::actions::{RunState, StepState, mask_secrets};
use domain::audit::{Outcome, kinds};
use domain::clock::now_micros;
use domain::store::StoreError;
use serde_json::json;
use tokio::time::Instant;

use super::claimed::ClaimedRun;
use super::guard::RunGuard;
use super::steps::{RunMemo, Step, StepCx, StepError};
use super::{ActionEngine, run_inputs};
use store::runs::{Claimed, RunRow, StepEnd};
use store::rows::to_json;

/// How long compensations may take once the run's own time has run out.
const UNDO_GRACE: Duration = Duration::from_secs(120);
/// How much of a step's output goes into its audit event.
const AUDIT_OUTPUT: usize = 500;

/// How the forward steps ended.
enum Forward {
    Done,
    Failed(StepError),
    /// The portal stopped during a step that is not safe to repeat.
    Interrupted(String),
    /// Another portal took the run over: this one must not write to it any more.
    Lost,
}

impl ActionEngine {
    /// Executes a claimed run to its end. A database failure leaves the run to be taken over
    /// once this portal's claim lapses.
    pub(super) async fn execute(self: &Arc<Self>, claimed: Claimed) {
        let id = claimed.row.id.clone();
        if let Err(error) = self.drive(claimed).await {
            tracing::error!(%error, run = %id, "a run could not be recorded; it is taken over once this portal's claim lapses");
        }
    }

    async fn drive(self: &Arc<Self>, claimed: Claimed) -> Result<(), StoreError> {
        let guard = RunGuard::start(self, &claimed.row.id);
        let run = ClaimedRun::decode(self, claimed.row).await?;
        let (row, def, secrets, placement, records, deadline) = (&run.row, &run.def, &run.secrets, &run.placement, &run.records, run.deadline);
        let (mut memo, mut links) = (run.memo.clone(), run.links.clone());
        let mut seq = records.iter().map(|r| r.seq).max().unwrap_or(0);

        let mut done: Vec<(Step, u32)> = Vec::new();
        let mut forward = Forward::Done;
        if !row.environment.is_empty() && placement.is_none() {
            forward = Forward::Failed(StepError::new(format!("{} is no longer an environment of {} in the catalog", row.environment, row.service)));
        }
        // What was requested and approved is an action on one target: if the catalog points the
        // environment elsewhere now, that approval does not cover it.
        if let Some(now) = placement.as_ref().map(|p| super::port::run_target(&p.placement.environment.target))
            && !row.target.is_empty()
            && now != row.target
        {
            let message = format!(
                "{} in {} now runs on {now}, not on {} as when this run was requested; request it again so it is approved for the new target",
                row.service, row.environment, row.target
            );
            forward = Forward::Failed(StepError::new(message));
        }
        let plan = if matches!(forward, Forward::Done) { Step::plan(&def.kind) } else { Vec::new() };
        for step in plan {
            let earlier = records.iter().rev().find(|r| !r.compensation && r.name == step.name());
            let step_seq = match earlier {
                Some(record) if record.state == StepState::Succeeded => {
                    done.push((step, record.seq));
                    continue;
                }
                Some(record) if !step.repeatable() => {
                    let message = "The portal stopped while this step ran. It is not safe to repeat, so it was not; check what it did before trying again.";
                    self.record_step_end(row, (record.seq, step.name(), false), StepState::Failed, message, &memo, &links).await?;
                    forward = Forward::Interrupted(format!("interrupted during \"{}\"", step.name()));
                    break;
                }
                Some(record) => record.seq,
                None => {
                    seq += 1;
                    seq
                }
            };
            if guard.cancel_requested().await? {
                forward = Forward::Failed(StepError::cancelled("cancelled"));
                break;
            }
            if guard.lost() {
                forward = Forward::Lost;
                break;
            }
            self.store.start_step(&row.id, step_seq, step.name(), false, now_micros()).await?;
            let mut cx = StepCx { engine: self, run: &run, guard: &guard, memo: &mut memo, links: &mut links, deadline };
            let result = tokio::time::timeout_at(deadline, step.run(&mut cx))
                .await
                .unwrap_or_else(|_| Err(StepError::new(format!("the action's time ({} s) ran out", def.timeout_seconds))));
            if guard.lost() {
                forward = Forward::Lost;
                break;
            }
            let (state, output) = match &result {
                Ok(output) => (StepState::Succeeded, output.as_str()),
                Err(error) => (StepState::Failed, error.message.as_str()),
            };
            self.record_step_end(row, (step_seq, step.name(), false), state, &mask_secrets(output, secrets), &memo, &links).await?;
            match result {
                Ok(_) => done.push((step, step_seq)),
                Err(error) => {
                    forward = Forward::Failed(error);
                    break;
                }
            }
        }
        if matches!(forward, Forward::Lost) {
            return Ok(());
        }

        // Undo, newest first, what the steps before the failure changed.
        let mut undone = 0;
        let mut undo_failures = Vec::new();
        if !matches!(forward, Forward::Done) {
            let until = Instant::now() + UNDO_GRACE;
            for (step, step_seq) in done.iter().rev() {
                let Some(name) = step.undo_name() else { continue };
                let at = now_micros();
                let mut cx = StepCx { engine: self, run: &run, guard: &guard, memo: &mut memo, links: &mut links, deadline: until };
                let Some(result) = step.undo(&mut cx).await else { continue };
                seq += 1;
                self.store.start_step(&row.id, seq, name, true, at).await?;
                let (state, output) = match &result {
                    Ok(output) => (StepState::Succeeded, output.clone()),
                    Err(error) => (StepState::Failed, error.message.clone()),
                };
                self.record_step_end(row, (seq, name, true), state, &mask_secrets(&output, secrets), &memo, &links).await?;
                match result {
                    Ok(_) => {
                        self.store.mark_undone(&row.id, *step_seq).await?;
                        undone += 1;
                    }
                    Err(error) => undo_failures.push(error.message),
                }
            }
        }

        let (state, message) = ending(forward, undone, &undo_failures);
        let message = message.map(|message| mask_secrets(&message, secrets));
        let outcome = if state == RunState::Succeeded { Outcome::Success } else { Outcome::Failure };
        let mut event = ActionEngine::engine_event(row, kinds::ACTION_FINISHED, outcome)
            .inputs(run_inputs(row, json!({ "state": state.as_str() })));
        if let Some(message) = &message {
            event = event.reason(message.clone());
        }
        if self.store.finish_run(&row.id, &self.worker_id, state, message.as_deref(), now_micros(), &event).await? {
            let mut summary = row.summary()?;
            summary.state = state;
            self.notifier.run_ended(&summary, &self.run_link(&row.id));
        }
        Ok(())
    }

    /// Records how a step ended, with what the run learned so far, and audits it.
    async fn record_step_end(
        &self,
        row: &RunRow,
        (seq, name, compensation): (u32, &str, bool),
        state: StepState,
        output: &str,
        memo: &RunMemo,
        links: &[domain::actions::RunLink],
    ) -> Result<(), StoreError> {
        let outcome = if state == StepState::Succeeded { Outcome::Success } else { Outcome::Failure };
        let excerpt: String = output.chars().take(AUDIT_OUTPUT).collect();
        let event = ActionEngine::engine_event(row, kinds::ACTION_STEP, outcome)
            .inputs(run_inputs(row, json!({ "step": name, "compensation": compensation, "state": state.as_str(), "output": excerpt })));
        let memo = to_json(memo)?;
        let links = to_json(&links)?;
        let end = StepEnd { run: &row.id, seq, state, output, memo: &memo, links: &links, at: now_micros() };
        self.store.finish_step(&end, &event).await
    }
}

/// The run's final state and message, from how the steps and their compensations went.
fn ending(forward: Forward, undone: usize, undo_failures: &[String]) -> (RunState, Option<String>) {
    let undo_note = if !undo_failures.is_empty() {
        format!(" Undoing what was done failed too: {}", undo_failures.join("; "))
    } else if undone > 0 {
        " What the earlier steps changed was put back.".to_owned()
    } else {
        String::new()
    };
    match forward {
        Forward::Done => (RunState::Succeeded, None),
        // `drive` returns before recording an ending when the run was lost; should it ever
        // get here, the run did not end well on this portal.
        Forward::Lost => (RunState::Interrupted, Some(format!("Another portal took this run over.{undo_note}"))),
        Forward::Interrupted(why) => (RunState::Interrupted, Some(format!("The portal stopped mid-run ({why}).{undo_note}"))),
        Forward::Failed(error) if error.cancelled => (RunState::Cancelled, Some(format!("Cancelled.{undo_note}"))),
        Forward::Failed(error) if undo_failures.is_empty() && undone > 0 => {
            (RunState::RolledBack, Some(format!("{}.{undo_note}", error.message)))
        }
        Forward::Failed(error) => (RunState::Failed, Some(format!("{}.{undo_note}", error.message))),
    }
}
