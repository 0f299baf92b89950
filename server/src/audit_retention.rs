//! Keeps the audit log within its retention period: once an hour, events older than
//! `retention_days` are pruned (see [`crate::store::audit::prune`]); 0 days keeps everything.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use domain::store::StoreError;
use crate::background::Background;
use crate::store::Store;
use crate::store::audit::prune;

/// How often the task looks for old events.
pub const EVERY: Duration = Duration::from_secs(60 * 60);

const MICROS_PER_DAY: i64 = 24 * 60 * 60 * 1_000_000;

/// Starts the hourly task, unless `retention_days` is 0 (keep everything); the first pass runs
/// at once. It stops with the portal; a pass interrupted then loses nothing, as pruning is one
/// transaction.
pub fn spawn(background: &Background, store: Store, retention_days: u32) {
    if retention_days == 0 {
        return;
    }
    background.spawn_loop(async move {
        let mut ticks = tokio::time::interval(EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = run_once(&store, retention_days, SystemTime::now()).await {
                // The events stay; the next pass tries again.
                tracing::error!(%error, "audit log retention failed");
            }
        }
    });
}

/// One pass at `now`: prunes what is older than the retention period, and returns how many
/// events that was.
pub async fn run_once(store: &Store, retention_days: u32, now: SystemTime) -> Result<u64, StoreError> {
    if retention_days == 0 {
        return Ok(0);
    }
    let pruned = prune(store, cutoff_micros(now, retention_days)).await?;
    if pruned > 0 {
        tracing::info!(pruned, retention_days, "audit log pruned");
    }
    Ok(pruned)
}

/// `days` days before `now`, in Unix microseconds: events recorded before it are old enough to go.
pub fn cutoff_micros(now: SystemTime, days: u32) -> i64 {
    let now = now.duration_since(UNIX_EPOCH).map_or(0, |elapsed| i64::try_from(elapsed.as_micros()).unwrap_or(i64::MAX));
    now.saturating_sub(i64::from(days).saturating_mul(MICROS_PER_DAY))
}
