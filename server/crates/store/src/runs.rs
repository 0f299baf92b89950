//! The action runs' tables. Every change of a run's state commits in one transaction with the
//! audit event that records it; a state only changes from the state the caller saw (the
//! `WHERE state = ...` of each update), so two portals racing on one run cannot both win.

mod claim;
mod query;
mod row;

pub use claim::Claimed;
pub use row::{NewRun, RunRow};

use domain::actions::{Decision, RunState, StepState};
use domain::audit::NewEvent;
use domain::store::StoreError;

use super::audit::append_in;
use super::{Store, Tx, db_error, on_pool, on_tx};

/// How a step ended, and what the run knows after it.
pub struct StepEnd<'a> {
    pub run: &'a str,
    pub seq: u32,
    pub state: StepState,
    pub output: &'a str,
    /// The run's memo (JSON) after the step.
    pub memo: &'a str,
    /// The run's links (JSON) after the step.
    pub links: &'a str,
    pub at: i64,
}

/// What a decision did to its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// Recorded; more approvals are still needed.
    Waiting,
    /// That was the last approval needed: the run is queued.
    Queued,
    Rejected,
    /// The run was no longer waiting (someone else decided, it expired or was cancelled).
    TooLate,
}

impl Store {
    /// Records a new run and the audit event of its request, together.
    pub async fn insert_run(&self, run: &NewRun, event: &NewEvent) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, conn => {
            sqlx::query(
                "INSERT INTO action_runs (id, action_id, action_title, kind, definition, service, environment, owner, production,
                                          requester, inputs, state, approvals_needed, expires_at, created_at, queued_at, target, secret_inputs)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
            )
            .bind(&run.id).bind(&run.action_id).bind(&run.action_title).bind(&run.kind).bind(&run.definition)
            .bind(&run.service).bind(&run.environment).bind(&run.owner).bind(run.production).bind(&run.requester)
            .bind(&run.inputs).bind(run.state.as_str()).bind(i64::from(run.approvals_needed)).bind(run.expires_at)
            .bind(run.created_at).bind((run.state == RunState::Queued).then_some(run.created_at)).bind(&run.target)
            .bind(&run.secret_inputs)
            .execute(&mut *conn).await.map_err(db_error)?;
        });
        append_in(&mut tx, event).await?;
        tx.commit().await
    }

    /// The values of run `id`'s secret inputs, for its steps; empty once it has ended.
    pub async fn run_secrets(&self, id: &str) -> Result<serde_json::Map<String, serde_json::Value>, StoreError> {
        let stored: Option<Option<String>> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT secret_inputs FROM action_runs WHERE id = $1").bind(id).fetch_optional(pool).await.map_err(db_error)?
        });
        match stored.flatten() {
            Some(json) => crate::rows::from_json(&json),
            None => Ok(serde_json::Map::new()),
        }
    }

    /// Records an approval or rejection by `approver` while the run still waits, and moves the
    /// run on when that settles it.
    pub async fn decide_run(
        &self,
        id: &str,
        approver: &str,
        decision: Decision,
        comment: Option<&str>,
        now: i64,
        event: &NewEvent,
    ) -> Result<Decided, StoreError> {
        let mut tx = self.begin().await?;
        let decided = on_tx!(&mut tx, conn => {
            // Taking the row first (a row lock on PostgreSQL; SQLite's write lock is already
            // held) makes concurrent decisions on one run queue up.
            let row: Option<(String, i64, Option<i64>)> = sqlx::query_as(
                "UPDATE action_runs SET state = state WHERE id = $1 RETURNING state, approvals_needed, expires_at",
            ).bind(id).fetch_optional(&mut *conn).await.map_err(db_error)?;
            let Some((state, needed, expires_at)) = row else { return Ok(Decided::TooLate) };
            if state != RunState::PendingApproval.as_str() || expires_at.is_some_and(|at| now >= at) {
                return Ok(Decided::TooLate);
            }
            let inserted = sqlx::query(
                "INSERT INTO action_approvals (run_id, approver, decision, comment, at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (run_id, approver) DO NOTHING",
            )
            .bind(id).bind(approver).bind(decision_str(decision)).bind(comment).bind(now)
            .execute(&mut *conn).await.map_err(db_error)?;
            if inserted.rows_affected() == 0 {
                return Ok(Decided::TooLate);
            }
            let approved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM action_approvals WHERE run_id = $1 AND decision = 'approved'")
                .bind(id).fetch_one(&mut *conn).await.map_err(db_error)?;
            let (decided, next) = match decision {
                Decision::Rejected => (Decided::Rejected, Some(RunState::Rejected)),
                Decision::Approved if approved >= needed => (Decided::Queued, Some(RunState::Queued)),
                Decision::Approved => (Decided::Waiting, None),
            };
            if let Some(next) = next {
                let finished = next.is_final().then_some(now);
                let queued = (next == RunState::Queued).then_some(now);
                // A rejected run never needs its secrets; a queued one keeps them for its steps.
                sqlx::query(
                    "UPDATE action_runs SET state = $2, finished_at = $3, queued_at = $4,
                         secret_inputs = CASE WHEN $3 IS NULL THEN secret_inputs END WHERE id = $1",
                )
                    .bind(id).bind(next.as_str()).bind(finished).bind(queued)
                    .execute(&mut *conn).await.map_err(db_error)?;
            }
            decided
        });
        append_in(&mut tx, event).await?;
        tx.commit().await?;
        Ok(decided)
    }

    /// Moves a run from `from` to a final `to` (cancelled, expired...) with its audit event;
    /// false when the run was no longer in `from`.
    pub async fn end_run_from(
        &self,
        id: &str,
        from: RunState,
        to: RunState,
        message: &str,
        now: i64,
        event: &NewEvent,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let moved = on_tx!(&mut tx, conn => {
            sqlx::query(
                "UPDATE action_runs SET state = $3, finished_at = $4, message = $5, claimed_by = NULL, lease_until = NULL,
                     secret_inputs = NULL
                 WHERE id = $1 AND state = $2",
            )
            .bind(id).bind(from.as_str()).bind(to.as_str()).bind(now).bind(message)
            .execute(&mut *conn).await.map_err(db_error)?.rows_affected() == 1
        });
        commit_if(tx, moved, event).await
    }

    /// Asks the worker running `id` to stop at its next check; false when it is not running.
    pub async fn request_cancel(&self, id: &str, event: &NewEvent) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let marked = on_tx!(&mut tx, conn => {
            sqlx::query("UPDATE action_runs SET cancel_requested = TRUE WHERE id = $1 AND state = 'running' AND NOT cancel_requested")
                .bind(id).execute(&mut *conn).await.map_err(db_error)?.rows_affected() == 1
        });
        commit_if(tx, marked, event).await
    }

    /// Whether someone asked for the run to be cancelled.
    pub async fn cancel_requested(&self, id: &str) -> Result<bool, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar::<_, bool>("SELECT cancel_requested FROM action_runs WHERE id = $1")
            .bind(id).fetch_optional(pool).await.map(|v| v.unwrap_or(false)).map_err(db_error))
    }

    /// Records that step `seq` started, with its audit event.
    pub async fn start_step(&self, id: &str, seq: u32, name: &str, compensation: bool, now: i64) -> Result<(), StoreError> {
        let sql = "INSERT INTO action_run_steps (run_id, seq, name, compensation, state, output, started_at) VALUES ($1, $2, $3, $4, 'running', '', $5)
                   ON CONFLICT (run_id, seq) DO UPDATE SET state = 'running', started_at = excluded.started_at, finished_at = NULL";
        on_pool!(self, pool => sqlx::query(sql).bind(id).bind(i64::from(seq)).bind(name).bind(compensation).bind(now)
            .execute(pool).await.map(|_| ()).map_err(db_error))
    }

    /// Records how step `seq` ended and what the run learned (`memo`), with the audit event of
    /// the step's outcome, in one transaction: a step is never done without its record.
    pub async fn finish_step(&self, end: &StepEnd<'_>, event: &NewEvent) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, conn => {
            sqlx::query("UPDATE action_run_steps SET state = $3, output = $4, finished_at = $5 WHERE run_id = $1 AND seq = $2")
                .bind(end.run).bind(i64::from(end.seq)).bind(end.state.as_str()).bind(end.output).bind(end.at)
                .execute(&mut *conn).await.map_err(db_error)?;
            sqlx::query("UPDATE action_runs SET memo = $2, links = $3 WHERE id = $1")
                .bind(end.run).bind(end.memo).bind(end.links).execute(&mut *conn).await.map_err(db_error)?;
        });
        append_in(&mut tx, event).await?;
        tx.commit().await
    }

    /// Marks an earlier step as undone by a compensation.
    pub async fn mark_undone(&self, id: &str, seq: u32) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE action_run_steps SET state = 'undone' WHERE run_id = $1 AND seq = $2")
            .bind(id).bind(i64::from(seq)).execute(pool).await.map(|_| ()).map_err(db_error))
    }

    /// Ends a running run held by `worker`, with its audit event; false when the worker no
    /// longer holds it (its claim lapsed and another portal took over).
    pub async fn finish_run(&self, id: &str, worker: &str, state: RunState, message: Option<&str>, now: i64, event: &NewEvent) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let held = on_tx!(&mut tx, conn => {
            sqlx::query(
                "UPDATE action_runs SET state = $3, message = $4, finished_at = $5, claimed_by = NULL, lease_until = NULL,
                     secret_inputs = NULL
                 WHERE id = $1 AND claimed_by = $2 AND state = 'running'",
            )
            .bind(id).bind(worker).bind(state.as_str()).bind(message).bind(now)
            .execute(&mut *conn).await.map_err(db_error)?.rows_affected() == 1
        });
        commit_if(tx, held, event).await
    }
}

/// Commits `tx` with `event` when it `changed` the run; otherwise rolls back and says so.
async fn commit_if(mut tx: Tx<'static>, changed: bool, event: &NewEvent) -> Result<bool, StoreError> {
    if !changed {
        tx.rollback().await?;
        return Ok(false);
    }
    append_in(&mut tx, event).await?;
    tx.commit().await?;
    Ok(true)
}

fn decision_str(decision: Decision) -> &'static str {
    match decision {
        Decision::Approved => "approved",
        Decision::Rejected => "rejected",
    }
}
