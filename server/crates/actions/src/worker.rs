//! The workers: up to `actions.workers` runs at a time, first runs whose portal stopped
//! mid-run (their claim lapsed), then the oldest queued runs; and the sweeper, which expires
//! requests nobody approved in time.

use std::sync::Arc;
use std::time::Duration;

use domain::actions::RunState;
use domain::audit::{Outcome, kinds};
use domain::clock::{micros, now_micros};
use serde_json::json;
use tokio::sync::Semaphore;

use super::{ActionEngine, run_inputs};
use tokio_util::task::TaskTracker;
use store::runs::{Claimed, RunRow};

/// How long a worker waits after the database failed before trying again.
const STORE_BACKOFF: Duration = Duration::from_secs(2);

/// Claims runs while fewer than `workers` execute, until the future is dropped; the runs it
/// started live on in `runs`. One loop per portal asks the database, so an idle portal costs one
/// query per poll, whatever its number of workers.
pub(super) async fn work(engine: Arc<ActionEngine>, runs: TaskTracker) {
    let slots = Arc::new(Semaphore::new(usize::try_from(engine.workers.max(1)).unwrap_or(1)));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else { return };
        match next(&engine).await {
            Ok(Some(claimed)) => {
                let engine = engine.clone();
                runs.spawn(async move {
                    engine.execute(claimed).await;
                    drop(slot);
                });
            }
            Ok(None) => {
                drop(slot);
                // Woken at once by a run this portal queues; runs queued by another portal
                // sharing the database are found at the next poll.
                let _ = tokio::time::timeout(engine.poll, engine.wake.notified()).await;
            }
            Err(error) => {
                drop(slot);
                tracing::error!(%error, "cannot read the run queue");
                tokio::time::sleep(STORE_BACKOFF).await;
            }
        }
    }
}

async fn next(engine: &ActionEngine) -> Result<Option<Claimed>, domain::store::StoreError> {
    let now = now_micros();
    let until = now + micros(engine.lease);
    let resumed = |row: &RunRow| {
        ActionEngine::engine_event(row, kinds::ACTION_STARTED, Outcome::Success)
            .inputs(run_inputs(row, json!({ "portal": engine.worker_id, "resumed": true })))
            .reason("taken over after the portal running it stopped")
    };
    if let Some(claimed) = engine.store.claim_lapsed(&engine.worker_id, now, until, resumed).await? {
        tracing::warn!(run = %claimed.row.id, "taking over a run whose portal stopped mid-run");
        return Ok(Some(claimed));
    }
    let started = |row: &RunRow| {
        ActionEngine::engine_event(row, kinds::ACTION_STARTED, Outcome::Success)
            .inputs(run_inputs(row, json!({ "portal": engine.worker_id })))
    };
    engine.store.claim_queued(&engine.worker_id, now, until, started).await
}

/// Expires unapproved requests, every few seconds, for the life of the process.
pub(super) async fn sweep(engine: Arc<ActionEngine>) {
    let every = (engine.lease / 4).clamp(Duration::from_secs(1), Duration::from_secs(10));
    loop {
        tokio::time::sleep(every).await;
        if let Err(error) = expire(&engine).await {
            tracing::error!(%error, "cannot expire unapproved requests");
        }
    }
}

async fn expire(engine: &ActionEngine) -> Result<(), domain::store::StoreError> {
    let now = now_micros();
    for row in engine.store.expired_pending(now).await? {
        let message = "Nobody approved this request in time.";
        let event = ActionEngine::engine_event(&row, kinds::ACTION_EXPIRED, Outcome::Failure)
            .inputs(run_inputs(&row, json!({})))
            .reason(message);
        if engine.store.end_run_from(&row.id, RunState::PendingApproval, RunState::Expired, message, now, &event).await? {
            let mut summary = row.summary()?;
            summary.state = RunState::Expired;
            engine.notifier.run_ended(&summary, &engine.run_link(&row.id));
        }
    }
    Ok(())
}
