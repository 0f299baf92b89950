//! Keeps `environment_status` current: every environment's runtime is asked for its status
//! every `runtime.poll_seconds`, and a local environment whose processes changed is asked at
//! once. The local runtime is brought in line with the catalog on each round.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use domain::runtime::{Observation, Placement, Runtime};
use domain::store::EnvironmentStore;
use futures_util::StreamExt;
use time::OffsetDateTime;
use tokio::sync::broadcast::error::RecvError;

use crate::background::Background;
use runtimes::Runtimes;
use crate::store::Store;

/// Status calls in flight at once in one round: enough to cover thousands of environments in a
/// few seconds without flooding a provider.
const CONCURRENT_CALLS: usize = 16;

/// Starts the poller; it runs until the portal stops.
pub fn spawn(background: &Background, store: Store, runtimes: Arc<Runtimes>, every: Duration) {
    background.spawn_loop(async move {
        let mut changes = runtimes.local.changes();
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut placements: Vec<Placement> = Vec::new();
        loop {
            tokio::select! {
                _ = ticks.tick() => {
                    match store.placements().await {
                        Ok(found) => placements = found,
                        Err(error) => tracing::error!(%error, "cannot read the environments to poll"),
                    }
                    runtimes.local.reconcile(&placements).await;
                    observe_all(&store, &runtimes, &placements).await;
                }
                changed = changes.recv() => {
                    let keys: HashSet<(String, String)> = match changed {
                        Ok(key) => HashSet::from([key]),
                        // Fell behind: look at every local environment.
                        Err(RecvError::Lagged(_)) => runtimes::local::local_keys(&placements),
                        Err(RecvError::Closed) => return,
                    };
                    let changed: Vec<Placement> = placements
                        .iter()
                        .filter(|p| keys.contains(&(p.service.clone(), p.environment.name.clone())))
                        .cloned()
                        .collect();
                    observe_all(&store, &runtimes, &changed).await;
                }
            }
        }
    });
}

/// Asks each environment's runtime for its status and records the answer, error included.
pub async fn observe_all(store: &Store, runtime: &Runtimes, placements: &[Placement]) {
    futures_util::stream::iter(placements)
        .for_each_concurrent(CONCURRENT_CALLS, |placement| async move {
            let status = runtime.status(placement).await;
            let observation = Observation { status, observed_at: OffsetDateTime::now_utc() };
            if let Err(error) = store.record_observation(&placement.service, &placement.environment.name, &observation).await {
                tracing::error!(%error, service = %placement.service, "cannot record an environment's status");
            }
        })
        .await;
}
