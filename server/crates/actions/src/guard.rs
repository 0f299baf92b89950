//! The one owner of a worker's hold on a run while it executes: the claim's lease, renewed by
//! a heartbeat, and the run's cancellation, asked for at one pace wherever the run waits.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use domain::clock::{micros, now_micros};
use domain::store::StoreError;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::ActionEngine;
use super::steps::StepError;

/// How often a waiting or running step asks whether its run was cancelled.
pub(super) const CANCEL_POLL: Duration = Duration::from_secs(1);

/// Renews the claim every third of the lease until dropped, and answers whether the run was
/// cancelled or taken over.
pub(super) struct RunGuard {
    engine: Arc<ActionEngine>,
    run: String,
    lost: Arc<AtomicBool>,
    heartbeat: JoinHandle<()>,
}

impl RunGuard {
    pub fn start(engine: &Arc<ActionEngine>, run: &str) -> Self {
        let lost = Arc::new(AtomicBool::new(false));
        let heartbeat = tokio::spawn({
            let engine = engine.clone();
            let run = run.to_owned();
            let lost = lost.clone();
            async move {
                loop {
                    tokio::time::sleep(engine.lease / 3).await;
                    let until = now_micros() + micros(engine.lease);
                    match engine.store.renew_claim(&run, &engine.worker_id, until).await {
                        Ok(true) => {}
                        Ok(false) => {
                            tracing::error!(%run, "lost the claim on a run: another portal took it over");
                            lost.store(true, Ordering::SeqCst);
                            return;
                        }
                        // A passing database failure: the lease is long enough for the next try.
                        Err(error) => tracing::warn!(%error, %run, "cannot renew the claim on a run"),
                    }
                }
            }
        });
        Self { engine: engine.clone(), run: run.to_owned(), lost, heartbeat }
    }

    /// Whether another portal now holds the run: this worker must stop writing to it.
    pub fn lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }

    /// Whether someone asked to cancel the run.
    pub async fn cancel_requested(&self) -> Result<bool, StoreError> {
        self.engine.store.cancel_requested(&self.run).await
    }

    /// Fails with `cancelled` when someone asked to cancel the run.
    pub async fn check_cancel(&self) -> Result<(), StepError> {
        if self.cancel_requested().await? {
            return Err(StepError::cancelled("cancelled while waiting"));
        }
        Ok(())
    }

    /// Waits until `wake`, asking every [`CANCEL_POLL`] whether the run was cancelled, so a
    /// long wait does not delay a cancellation.
    pub async fn wait_until(&self, wake: Instant) -> Result<(), StepError> {
        while Instant::now() < wake {
            tokio::time::sleep((wake - Instant::now()).min(CANCEL_POLL)).await;
            self.check_cancel().await?;
        }
        Ok(())
    }

    /// Completes once someone asks to cancel the run (asked every [`CANCEL_POLL`]; a passing
    /// database failure counts as not cancelled).
    pub async fn cancelled(&self) {
        loop {
            tokio::time::sleep(CANCEL_POLL).await;
            if self.cancel_requested().await.unwrap_or(false) {
                return;
            }
        }
    }
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        self.heartbeat.abort();
    }
}
