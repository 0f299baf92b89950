//! The portal's background tasks, with one owner: the loops (status poller, catalog refresh,
//! action workers, sweepers) stop at their next wait when the portal stops, and the work that
//! must not be cut short (a run's execution) is waited for, up to a drain time, before the
//! database closes.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Handed to everything that starts a background task; clones share the one owner.
#[derive(Clone, Debug, Default)]
pub struct Background {
    stop: CancellationToken,
    tracker: TaskTracker,
}

impl Background {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a loop that lives until the portal stops: it is dropped at its next `.await`
    /// once stopping begins, so it must keep nothing half-written across one.
    pub fn spawn_loop(&self, task: impl Future<Output = ()> + Send + 'static) {
        let stop = self.stop.clone();
        self.tracker.spawn(async move {
            tokio::select! {
                () = stop.cancelled() => {}
                () = task => {}
            }
        });
    }

    /// Where to start work the portal waits for when it stops (up to the drain time), rather
    /// than cutting it short.
    pub fn tracker(&self) -> TaskTracker {
        self.tracker.clone()
    }

    /// Stops every loop and waits up to `drain` for the work in progress; whether it all
    /// finished. Work still going after that is left to the crash take-over: another portal
    /// (or this one, started again) resumes it once its claim lapses.
    pub async fn shutdown(&self, drain: Duration) -> bool {
        self.stop.cancel();
        self.tracker.close();
        tokio::time::timeout(drain, self.tracker.wait()).await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    #[tokio::test]
    async fn stopping_ends_the_loops_and_waits_for_the_work_in_progress() {
        let background = Background::new();
        background.spawn_loop(std::future::pending());
        let finished = Arc::new(AtomicBool::new(false));
        background.tracker().spawn({
            let finished = finished.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                finished.store(true, Ordering::SeqCst);
            }
        });
        assert!(background.shutdown(Duration::from_secs(5)).await, "the loop stopped and the work drained");
        assert!(finished.load(Ordering::SeqCst), "the work ran to its end");
    }

    #[tokio::test]
    async fn work_that_outlasts_the_drain_time_is_reported() {
        let background = Background::new();
        background.tracker().spawn(std::future::pending::<()>());
        assert!(!background.shutdown(Duration::from_millis(20)).await);
    }
}
