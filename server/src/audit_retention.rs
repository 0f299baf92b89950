//! Keeps the audit log within its retention period: once an hour, events older than
//! `retention_days` are pruned (see [`crate::store::audit::prune`]); 0 days keeps everything.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use domain::store::StoreError;
use tokio::task::JoinHandle;

use crate::store::Store;
use crate::store::audit::prune;

/// How often the task looks for old events.
pub const EVERY: Duration = Duration::from_secs(60 * 60);

const MICROS_PER_DAY: i64 = 24 * 60 * 60 * 1_000_000;

/// Starts the hourly task; the first pass runs at once. It stops when the handle is aborted or
/// the runtime shuts down. A pass interrupted there loses nothing: pruning is one transaction.
pub fn spawn(store: Store, retention_days: u32) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = run_once(&store, retention_days, SystemTime::now()).await {
                // The events stay; the next pass tries again.
                tracing::error!(%error, "audit log retention failed");
            }
        }
    })
}

/// One pass at `now`: prunes what is older than the retention period and refreshes SQLite's
/// statistics on the log. Returns how many events were pruned.
pub async fn run_once(store: &Store, retention_days: u32, now: SystemTime) -> Result<u64, StoreError> {
    let mut pruned = 0;
    if retention_days > 0 {
        pruned = prune(store, cutoff_micros(now, retention_days)).await?;
        if pruned > 0 {
            tracing::info!(pruned, retention_days, "audit log pruned");
        }
    }
    refresh_statistics(store).await?;
    Ok(pruned)
}

/// `days` days before `now`, in Unix microseconds: events recorded before it are old enough to go.
pub fn cutoff_micros(now: SystemTime, days: u32) -> i64 {
    let now = now.duration_since(UNIX_EPOCH).map_or(0, |elapsed| i64::try_from(elapsed.as_micros()).unwrap_or(i64::MAX));
    now.saturating_sub(i64::from(days).saturating_mul(MICROS_PER_DAY))
}

/// SQLite picks among the log's indexes by its statistics, and has none until ANALYZE runs:
/// without them a page filtered on actor and outcome may walk the outcome index, which matches
/// most of a million events. A sampled ANALYZE (at most 1,000 rows per index) takes
/// milliseconds. PostgreSQL keeps its own statistics (autovacuum).
async fn refresh_statistics(store: &Store) -> Result<(), StoreError> {
    let Store::Sqlite(pool) = store else { return Ok(()) };
    let mut connection = pool.acquire().await.map_err(crate::store::db_error)?;
    // The limit is per connection: set back so a later full ANALYZE on it stays full.
    for sql in ["PRAGMA analysis_limit = 1000", "ANALYZE audit_events", "PRAGMA analysis_limit = 0"] {
        sqlx::query(sql).execute(&mut *connection).await.map_err(crate::store::db_error)?;
    }
    Ok(())
}
