//! Keeps a worker's claim on a run alive while it executes, and notices when it was lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use domain::clock::{micros, now_micros};
use tokio::task::JoinHandle;

use super::ActionEngine;

/// Renews the claim every third of the lease until dropped.
pub(super) struct Heartbeat {
    lost: Arc<AtomicBool>,
    task: JoinHandle<()>,
}

impl Heartbeat {
    pub fn start(engine: &Arc<ActionEngine>, run: &str) -> Self {
        let lost = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn({
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
        Self { lost, task }
    }

    /// Whether another portal now holds the run: this worker must stop writing to it.
    pub fn lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.task.abort();
    }
}
