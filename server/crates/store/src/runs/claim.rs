//! Handing queued runs to workers, once each. On PostgreSQL the queue is read with
//! `FOR UPDATE SKIP LOCKED`, so portals sharing the database each take a different run without
//! waiting for each other; SQLite has one writer at a time, so its plain conditional update is
//! already exclusive.

use domain::audit::NewEvent;
use domain::store::StoreError;

use super::row::{COLUMNS, RunRow};
use crate::audit::append_in;
use crate::{Store, Tx, db_error};

/// A run a worker now holds, and whether it had been started before (by a portal that
/// stopped): then its finished steps are not run again.
pub struct Claimed {
    pub row: RunRow,
    pub resumed: bool,
}

/// Which run a claim takes and what it changes. `$1` is the worker, `$2` the end of its
/// lease, `$3` now.
struct Claim {
    set: &'static str,
    pick: &'static str,
    order: &'static str,
    resumed: bool,
}

/// The oldest queued run, which starts running.
const QUEUED: Claim = Claim {
    set: "state = 'running', claimed_by = $1, lease_until = $2, started_at = COALESCE(started_at, $3)",
    pick: "state = 'queued'",
    order: "queued_at, id",
    resumed: false,
};

/// A running run whose portal stopped renewing its claim.
const LAPSED: Claim = Claim {
    set: "claimed_by = $1, lease_until = $2",
    pick: "state = 'running' AND lease_until < $3",
    order: "lease_until, id",
    resumed: true,
};

impl Store {
    /// Takes the oldest queued run for `worker` until `lease_until`, marking it running, with
    /// the audit event `event` makes of it.
    pub async fn claim_queued(&self, worker: &str, now: i64, lease_until: i64, event: impl Fn(&RunRow) -> NewEvent) -> Result<Option<Claimed>, StoreError> {
        self.claim(&QUEUED, worker, now, lease_until, event).await
    }

    /// Takes over one running run whose claim lapsed (its portal stopped without finishing it).
    pub async fn claim_lapsed(&self, worker: &str, now: i64, lease_until: i64, event: impl Fn(&RunRow) -> NewEvent) -> Result<Option<Claimed>, StoreError> {
        self.claim(&LAPSED, worker, now, lease_until, event).await
    }

    async fn claim(&self, claim: &Claim, worker: &str, now: i64, lease_until: i64, event: impl Fn(&RunRow) -> NewEvent) -> Result<Option<Claimed>, StoreError> {
        let Claim { set, pick, order, resumed } = claim;
        let mut tx = self.begin().await?;
        let row = match &mut tx {
            Tx::Postgres(conn) => {
                let sql = format!(
                    "UPDATE action_runs SET {set} WHERE id = (SELECT id FROM action_runs WHERE {pick} ORDER BY {order} LIMIT 1 FOR UPDATE SKIP LOCKED) \
                     RETURNING {COLUMNS}"
                );
                sqlx::query_as::<_, RunRow>(&sql).bind(worker).bind(lease_until).bind(now).fetch_optional(&mut **conn).await
            }
            Tx::Sqlite(conn) => {
                // The condition is checked again on the row itself, as SQLite has no row locks.
                let sql = format!(
                    "UPDATE action_runs SET {set} WHERE id = (SELECT id FROM action_runs WHERE {pick} ORDER BY {order} LIMIT 1) AND {pick} \
                     RETURNING {COLUMNS}"
                );
                sqlx::query_as::<_, RunRow>(&sql).bind(worker).bind(lease_until).bind(now).fetch_optional(&mut **conn).await
            }
        }
        .map_err(db_error)?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(None);
        };
        append_in(&mut tx, &event(&row)).await?;
        tx.commit().await?;
        Ok(Some(Claimed { row, resumed: *resumed }))
    }

    /// Extends `worker`'s claim on a run; false when the claim was lost.
    pub async fn renew_claim(&self, id: &str, worker: &str, lease_until: i64) -> Result<bool, StoreError> {
        let sql = "UPDATE action_runs SET lease_until = $3 WHERE id = $1 AND claimed_by = $2 AND state = 'running'";
        crate::on_pool!(self, pool => sqlx::query(sql).bind(id).bind(worker).bind(lease_until)
            .execute(pool).await.map(|r| r.rows_affected() == 1).map_err(db_error))
    }

    /// Runs waiting for approval whose time ran out.
    pub async fn expired_pending(&self, now: i64) -> Result<Vec<RunRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM action_runs WHERE state = 'pending_approval' AND expires_at <= $1");
        crate::on_pool!(self, pool => sqlx::query_as::<_, RunRow>(&sql).bind(now).fetch_all(pool).await.map_err(db_error))
    }
}
